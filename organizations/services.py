"""Writes to the hierarchy. Each service is atomic, names its actor in the audit
trail and raises ``DomainError`` with a translated message when a rule refuses it.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.audit import delete_as, save_as
from core.concurrency import lock_current
from core.exceptions import DomainError
from organizations.access import Cap, can
from organizations.models import (
    Cluster,
    ClusterMember,
    ClusterRole,
    EventType,
    Level,
    Membership,
    Organization,
    OrganizationEvent,
    kind_fits_under,
)
from organizations.signals import tree_changed

ORGANIZATION_FIELDS = (
    "name",
    "short_name",
    "code",
    "kind",
    "sector",
    "members_count",
    "workers_count",
    "founded_on",
    "address",
    "phone",
    "email",
)


def _record_event(organization, event_type, *, actor, effective_on, note="", **links):
    return OrganizationEvent.objects.create(
        organization=organization,
        event_type=event_type,
        effective_on=effective_on,
        note=note,
        actor=actor,
        **links,
    )


def _check_effective_date(organization, effective_on):
    if effective_on > timezone.localdate():
        raise DomainError(_("The effective date cannot be in the future."), field="effective_on")
    if organization.founded_on and effective_on < organization.founded_on:
        raise DomainError(
            _("The effective date cannot be before the unit was founded (%(date)s).")
            % {"date": date_format(organization.founded_on, "SHORT_DATE_FORMAT")},
            field="effective_on",
        )


def check_placement(kind, parent, *, on_date=None):
    """Raise DomainError unless a unit of ``kind`` may sit under ``parent`` on ``on_date``."""
    on_date = on_date or timezone.localdate()
    if not kind.is_valid_on(on_date):
        raise DomainError(
            _("The unit kind “%(kind)s” is not in use on %(date)s.")
            % {"kind": kind.name, "date": date_format(on_date, "SHORT_DATE_FORMAT")},
            field="kind",
        )
    if parent is None:
        if kind.level != Level.CENTRAL:
            raise DomainError(_("Only the Tổng Liên đoàn has no parent unit."), field="parent")
        return
    if not parent.is_active:
        raise DomainError(
            _("“%(parent)s” has ended and cannot take new units.") % {"parent": parent},
            field="parent",
        )
    if not parent.can_have_child(kind):
        raise DomainError(
            _("A unit of kind “%(kind)s” cannot sit under “%(parent)s” (%(parent_kind)s).")
            % {"kind": kind.name, "parent": parent.name, "parent_kind": parent.kind.name},
            field="kind",
        )


def check_code_free(code, *, exclude_pk=None):
    clash = Organization.objects.filter(code=code).exclude(pk=exclude_pk).first()
    if clash:
        raise DomainError(
            _("The code %(code)s is already used by “%(unit)s”.") % {"code": code, "unit": clash},
            field="code",
        )


@transaction.atomic
def create_organization(*, actor, parent, data):
    """Create a unit under ``parent`` and record its founding."""
    check_placement(data["kind"], parent, on_date=data.get("founded_on"))
    check_code_free(data["code"])
    org = Organization(parent=parent, **{k: v for k, v in data.items() if k in ORGANIZATION_FIELDS})
    save_as(org, actor)
    _record_event(
        org,
        EventType.FOUNDED,
        actor=actor,
        effective_on=org.founded_on or timezone.localdate(),
        related=parent,
    )
    tree_changed.send(Organization, unit=org)
    return org


@transaction.atomic
def update_organization(org, *, actor, data, expected_version):
    """Change a unit's details; a stale ``expected_version`` raises ConflictError."""
    current = lock_current(Organization, org, expected_version)
    kind = data.get("kind", current.kind)
    if kind != current.kind:
        if current.parent is not None and not current.parent.can_have_child(kind):
            raise DomainError(
                _("A unit of kind “%(kind)s” cannot sit under “%(parent)s”.")
                % {"kind": kind.name, "parent": current.parent.name},
                field="kind",
            )
        blocked = [c for c in current.children.select_related("kind") if not kind_fits_under(c.kind, kind)]
        if blocked:
            raise DomainError(
                _("The kind cannot change: units below it would no longer fit (%(unit)s).") % {"unit": blocked[0].name},
                field="kind",
            )
    if "code" in data:
        check_code_free(data["code"], exclude_pk=current.pk)
    shape = (current.kind_id, current.sector)
    for field, value in data.items():
        if field in ORGANIZATION_FIELDS:
            setattr(current, field, value)
    current.version += 1
    saved = save_as(current, actor)
    if (saved.kind_id, saved.sector) != shape:
        # Totals are kept per kind and sector of unit.
        tree_changed.send(Organization, unit=saved)
    return saved


@transaction.atomic
def move_organization(org, *, actor, new_parent, effective_on, note=""):
    """Put ``org`` (and its subtree) under ``new_parent`` from ``effective_on``."""
    org = Organization.objects.select_for_update().get(pk=org.pk)
    if not org.is_active:
        raise DomainError(_("An ended unit cannot be moved."))
    if new_parent.pk == org.parent_id:
        raise DomainError(
            _("The unit is already under “%(parent)s”.") % {"parent": new_parent},
            field="new_parent",
        )
    if Organization.objects.subtree(org).filter(pk=new_parent.pk).exists():
        raise DomainError(_("A unit cannot be moved under itself or its own subunits."), field="new_parent")
    if not can(actor, Cap.MANAGE_UNITS, new_parent):
        raise DomainError(_("You do not manage “%(parent)s”.") % {"parent": new_parent}, field="new_parent")
    check_placement(org.kind, new_parent, on_date=effective_on)
    _check_effective_date(org, effective_on)
    previous = org.parent
    org.parent = new_parent
    org.version += 1
    save_as(org, actor, reason=note or _("Moved"))
    _record_event(
        org,
        EventType.MOVED,
        actor=actor,
        effective_on=effective_on,
        note=note,
        previous_parent=previous,
        related=new_parent,
    )
    tree_changed.send(Organization, unit=org, previous_parent=previous)
    return org


@transaction.atomic
def merge_organization(org, *, actor, into, effective_on, note="", move_children=True):
    """Merge ``org`` into ``into``: it ends, points to its successor, and its
    active subunits move to the successor. Its records stay attached to it and
    visible to the successor's users."""
    org = Organization.objects.select_for_update().get(pk=org.pk)
    if not org.is_active:
        raise DomainError(_("This unit has already ended."))
    if not into.is_active:
        raise DomainError(_("“%(unit)s” has ended; choose an active unit.") % {"unit": into}, field="into")
    if into.pk == org.pk or Organization.objects.subtree(org).filter(pk=into.pk).exists():
        raise DomainError(_("A unit cannot be merged into itself or its own subunits."), field="into")
    if into.kind.level != org.kind.level:
        raise DomainError(_("A unit can only be merged into a unit of the same level."), field="into")
    if not can(actor, Cap.MANAGE_UNITS, into):
        raise DomainError(_("You do not manage “%(unit)s”.") % {"unit": into}, field="into")
    _check_effective_date(org, effective_on)
    reason = note or _("Merged into %(unit)s") % {"unit": into.name}
    if move_children:
        for child in org.children.filter(is_active=True).select_related("kind"):
            if not into.can_have_child(child.kind):
                raise DomainError(
                    _("“%(child)s” cannot move under “%(unit)s”; move it elsewhere first.")
                    % {"child": child.name, "unit": into.name}
                )
            child.parent = into
            child.version += 1
            save_as(child, actor, reason=reason)
            _record_event(
                child,
                EventType.MOVED,
                actor=actor,
                effective_on=effective_on,
                note=reason,
                previous_parent=org,
                related=into,
            )
    org.is_active = False
    org.ended_on = effective_on
    org.successor = into
    org.version += 1
    save_as(org, actor, reason=reason)
    _record_event(org, EventType.MERGED, actor=actor, effective_on=effective_on, note=note, related=into)
    _record_event(into, EventType.ABSORBED, actor=actor, effective_on=effective_on, note=note, related=org)
    tree_changed.send(Organization, unit=org)
    return org


@transaction.atomic
def deactivate_organization(org, *, actor, effective_on, note=""):
    """End a unit (giải thể). Its active subunits must be moved or ended first."""
    org = Organization.objects.select_for_update().get(pk=org.pk)
    if not org.is_active:
        raise DomainError(_("This unit has already ended."))
    active_children = org.children.filter(is_active=True).count()
    if active_children:
        raise DomainError(
            _(
                "The unit still has %(count)s active subunits. Move or end them first, "
                "or merge the unit into another one."
            )
            % {"count": active_children}
        )
    _check_effective_date(org, effective_on)
    org.is_active = False
    org.ended_on = effective_on
    org.version += 1
    save_as(org, actor, reason=note or _("Ended"))
    _record_event(org, EventType.DEACTIVATED, actor=actor, effective_on=effective_on, note=note)
    tree_changed.send(Organization, unit=org)
    return org


@transaction.atomic
def reactivate_organization(org, *, actor, effective_on, note=""):
    """Bring an ended unit back; a merge link to its successor is dropped."""
    org = Organization.objects.select_for_update().get(pk=org.pk)
    if org.is_active:
        raise DomainError(_("This unit is active."))
    if org.parent is not None and not org.parent.is_active:
        raise DomainError(
            _("Its parent “%(parent)s” has ended; move the unit under an active parent first.") % {"parent": org.parent}
        )
    if org.ended_on and effective_on < org.ended_on:
        raise DomainError(_("The date cannot be before the unit ended."), field="effective_on")
    _check_effective_date(org, effective_on)
    org.is_active = True
    org.ended_on = None
    org.successor = None
    org.version += 1
    save_as(org, actor, reason=note or _("Reactivated"))
    _record_event(org, EventType.REACTIVATED, actor=actor, effective_on=effective_on, note=note)
    tree_changed.send(Organization, unit=org)
    return org


# Memberships -----------------------------------------------------------------


@transaction.atomic
def assign_role(*, actor, user, organization, role, position=""):
    """Give ``user`` ``role`` on ``organization`` (replacing any role they had there)."""
    if not can(actor, Cap.MANAGE_USERS, organization):
        raise DomainError(
            _("You cannot assign roles in “%(unit)s”.") % {"unit": organization},
            field="organization",
        )
    membership = Membership.objects.select_for_update().filter(user=user, organization=organization).first()
    if membership is None:
        membership = Membership(user=user, organization=organization)
    elif membership.role == role and membership.position == position:
        return membership
    membership.role = role
    membership.position = position
    return save_as(membership, actor)


@transaction.atomic
def revoke_role(membership, *, actor):
    if not can(actor, Cap.MANAGE_USERS, membership.organization):
        raise DomainError(_("You cannot change roles in “%(unit)s”.") % {"unit": membership.organization})
    if membership.user_id == actor.pk and not actor.is_superuser:
        raise DomainError(_("You cannot remove your own role."))
    delete_as(membership, actor)


# Clusters --------------------------------------------------------------------

CLUSTER_FIELDS = ("kind", "name", "level", "description", "is_active")


def _check_cluster(organizer, level):
    if level <= organizer.kind.level:
        raise DomainError(
            _("Members of a cluster must be below its organizer “%(unit)s”.") % {"unit": organizer},
            field="level",
        )


@transaction.atomic
def create_cluster(*, actor, organizer, data):
    _check_cluster(organizer, data["level"])
    if Cluster.objects.filter(organizer=organizer, name=data["name"]).exists():
        raise DomainError(_("This unit already has a cluster with that name."), field="name")
    cluster = Cluster(organizer=organizer, **{k: v for k, v in data.items() if k in CLUSTER_FIELDS})
    return save_as(cluster, actor)


@transaction.atomic
def update_cluster(cluster, *, actor, data, expected_version):
    current = lock_current(Cluster, cluster, expected_version)
    level = data.get("level", current.level)
    _check_cluster(current.organizer, level)
    if level != current.level and current.members.exists():
        raise DomainError(_("The level cannot change while the cluster has members."), field="level")
    if (
        Cluster.objects.filter(organizer=current.organizer, name=data.get("name", current.name))
        .exclude(pk=current.pk)
        .exists()
    ):
        raise DomainError(_("This unit already has a cluster with that name."), field="name")
    for field, value in data.items():
        if field in CLUSTER_FIELDS:
            setattr(current, field, value)
    current.version += 1
    return save_as(current, actor)


@transaction.atomic
def save_cluster_member(cluster, *, actor, organization, year, role=ClusterRole.MEMBER):
    """Add ``organization`` to ``cluster`` for ``year``, or change its role there."""
    cluster = Cluster.objects.select_for_update().get(pk=cluster.pk)
    if organization.kind.level != cluster.level:
        raise DomainError(
            _("Only units of level “%(level)s” can join this cluster.") % {"level": Level(cluster.level).label},
            field="organization",
        )
    in_scope = Organization.objects.subtree(cluster.organizer, include_self=False, include_predecessors=True)
    if not in_scope.filter(pk=organization.pk).exists():
        raise DomainError(
            _("“%(unit)s” is not under the cluster's organizer.") % {"unit": organization},
            field="organization",
        )
    elsewhere = (
        ClusterMember.objects.filter(
            organization=organization,
            year=year,
            cluster__organizer=cluster.organizer,
            cluster__kind=cluster.kind,
        )
        .exclude(cluster=cluster)
        .select_related("cluster")
        .first()
    )
    if elsewhere:
        raise DomainError(
            _("“%(unit)s” already belongs to “%(cluster)s” in %(year)s.")
            % {"unit": organization, "cluster": elsewhere.cluster, "year": year},
            field="organization",
        )
    if role != ClusterRole.MEMBER:
        holder = (
            ClusterMember.objects.filter(cluster=cluster, year=year, role=role)
            .exclude(organization=organization)
            .first()
        )
        if holder:
            raise DomainError(
                _("“%(unit)s” already holds this role in %(year)s; make it a member first.")
                % {"unit": holder.organization, "year": year},
                field="role",
            )
    member = ClusterMember.objects.filter(cluster=cluster, organization=organization, year=year).first()
    if member is None:
        member = ClusterMember(cluster=cluster, organization=organization, year=year)
    elif member.role == role:
        return member
    member.role = role
    try:
        with transaction.atomic():
            return save_as(member, actor)
    except IntegrityError as exc:  # a concurrent request took the role first
        raise DomainError(_("Someone else changed this cluster at the same time; try again.")) from exc


@transaction.atomic
def remove_cluster_member(member, *, actor):
    delete_as(member, actor)


@transaction.atomic
def copy_cluster_members(cluster, *, actor, from_year, to_year):
    """Carry last year's members over; leader and deputy rotate, so they come as members."""
    existing = set(cluster.members.filter(year=to_year).values_list("organization_id", flat=True))
    copied = 0
    for member in cluster.members.filter(year=from_year, organization__is_active=True):
        if member.organization_id in existing:
            continue
        save_as(ClusterMember(cluster=cluster, organization=member.organization, year=to_year), actor)
        copied += 1
    return copied
