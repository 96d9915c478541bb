"""The one access check: ``can(user, capability, organization)``.

A role granted on a unit covers that unit, its whole subtree and the units
merged into any of them. Outside that reach an object does not exist for the
user (404); inside it, a missing capability is a refusal (403).
"""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404

from organizations.models import Organization, Role, walk_up_sql


class Cap:
    """Capability names; views declare one, ``can`` checks it."""

    VIEW = "organizations.view"
    MANAGE_UNITS = "organizations.manage"
    MANAGE_CLUSTERS = "organizations.manage_clusters"
    MANAGE_USERS = "accounts.manage"
    VIEW_AUDIT = "audit.view"
    MANAGE_CAMPAIGNS = "campaigns.manage"
    SIGN_DOCUMENTS = "documents.sign"
    MANAGE_CERTIFICATES = "documents.manage_certificates"
    ENTER_REPORTS = "reports.enter"
    REVIEW_REPORTS = "reports.review"
    NOMINATE = "awards.nominate"
    REVIEW_AWARDS = "awards.review"
    MANAGE_AWARDS = "awards.manage"


ROLE_CAPABILITIES = {
    Role.VIEWER: {Cap.VIEW},
    Role.OFFICER: {Cap.VIEW, Cap.ENTER_REPORTS, Cap.NOMINATE},
    Role.APPROVER: {Cap.VIEW, Cap.VIEW_AUDIT, Cap.SIGN_DOCUMENTS, Cap.REVIEW_REPORTS, Cap.REVIEW_AWARDS},
    Role.STAFF: {
        Cap.VIEW,
        Cap.MANAGE_UNITS,
        Cap.MANAGE_CLUSTERS,
        Cap.MANAGE_USERS,
        Cap.VIEW_AUDIT,
        Cap.MANAGE_CAMPAIGNS,
        Cap.SIGN_DOCUMENTS,
        Cap.MANAGE_CERTIFICATES,
        Cap.ENTER_REPORTS,
        Cap.REVIEW_REPORTS,
        Cap.NOMINATE,
        Cap.REVIEW_AWARDS,
        Cap.MANAGE_AWARDS,
    },
}


def roles_granting(capability):
    return [role for role, caps in ROLE_CAPABILITIES.items() if capability in caps]


def _roles_cache(user):
    # The user object lives for one request, so this cache does too.
    if not hasattr(user, "_portal_roles_over"):
        user._portal_roles_over = {}
    return user._portal_roles_over


def roles_over(user, organization):
    """The roles ``user`` holds on ``organization`` through it, an ancestor or a successor."""
    if not user.is_authenticated or not user.is_active:
        return set()
    prime_roles(user, [organization])
    return _roles_cache(user)[organization.pk]


def prime_roles(user, organizations):
    """Fill ``roles_over``'s cache for many units in one query, before checking each of them."""
    if not user.is_authenticated or not user.is_active:
        return
    cache = _roles_cache(user)
    missing = list(dict.fromkeys(unit.pk for unit in organizations if unit.pk not in cache))
    if not missing:
        return
    found = {pk: set() for pk in missing}
    sql = walk_up_sql(", ".join(["%s"] * len(missing)), "up.start, m.role")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*missing, user.pk])
        for pk, role in cursor.fetchall():
            found[pk].add(role)
    # Filled in one step: a thread sharing the user object never reads a half-filled entry.
    cache.update(found)


def can(user, capability, organization):
    """Whether ``user`` has ``capability`` on ``organization``."""
    if user.is_authenticated and user.is_active and user.is_superuser:
        return True
    return any(capability in ROLE_CAPABILITIES[Role(role)] for role in roles_over(user, organization))


def can_see(user, organization):
    return can(user, Cap.VIEW, organization)


def check(user, capability, organization):
    """Raise 404 when the unit is out of the user's reach, 403 when the right is missing."""
    if not can_see(user, organization):
        raise Http404
    if not can(user, capability, organization):
        raise PermissionDenied


def holds_anywhere(user, capability):
    """Whether ``user`` holds ``capability`` on some unit (the menu asks this on every page).
    The user's roles are read once per user object, so once a request."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_portal_own_roles"):
        user._portal_own_roles = set(user.memberships.values_list("role", flat=True).distinct())
    return any(capability in ROLE_CAPABILITIES[Role(role)] for role in user._portal_own_roles)


def units_held(user, capability):
    """The units where ``user`` holds a role granting ``capability`` on the unit itself."""
    return Organization.objects.filter(
        memberships__user=user, memberships__role__in=roles_granting(capability)
    ).distinct()


def units_with(user, capability):
    """The units on which the user holds ``capability`` directly (their reach roots); for a
    superuser, the roots of the tree."""
    if user.is_superuser:
        return Organization.objects.filter(parent__isnull=True)
    return units_held(user, capability)


def reach(user, capability):
    """All units on which the user holds ``capability``: the subtrees of ``units_with``."""
    if user.is_superuser:
        return Organization.objects.all()
    roots = list(units_with(user, capability).values_list("pk", flat=True))
    return Organization.objects.subtree(roots, include_predecessors=True)


class AccessMixin:
    """Class-view mixin: log-in required, then ``check`` against the view's unit.

    Views set ``capability``; the unit checked is ``get_access_organization()``,
    by default the object itself when it is a unit, or its ``organization``.
    """

    capability = Cap.VIEW

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        check(request.user, self.capability, self.get_access_organization())
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, queryset=None):
        # dispatch() and get() both need the object; load it once.
        if queryset is not None:
            return super().get_object(queryset)
        if not hasattr(self, "_access_object"):
            self._access_object = super().get_object()
        return self._access_object

    def get_access_organization(self):
        obj = self.get_object()
        return obj if isinstance(obj, Organization) else obj.organization


def cluster_visible(user, cluster):
    """A cluster is seen by its organizer's users and by the users of its member units."""
    if can_see(user, cluster.organizer):
        return True
    visible = Organization.objects.visible_to(user)
    return cluster.members.filter(organization__in=visible).exists()


def check_cluster(user, capability, cluster):
    """``check`` for clusters: managing one is a right on its organizer."""
    if not cluster_visible(user, cluster):
        raise Http404
    if capability != Cap.VIEW and not can(user, capability, cluster.organizer):
        raise PermissionDenied
