"""The union hierarchy: units at every level, their history, memberships, clusters.

Units form one tree through ``parent``. Merged units keep their rows, point to
their ``successor`` and stay readable to it (see ``OrganizationQuerySet.visible_to``).
Subtree and ancestor queries are recursive CTEs run by the database.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Count, Q, Sum
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from audit.models import audited
from core.text import fold


class Level(models.IntegerChoices):
    CENTRAL = 1, _("Central (Tổng Liên đoàn)")
    PROVINCE = 2, _("Province / national sector")
    UPPER = 3, _("Directly-superior union")
    GRASSROOTS = 4, _("Grassroots union")
    SUBUNIT = 5, _("Departmental union / union group")


class Sector(models.TextChoices):
    PUBLIC_SERVICE = "hcsn", _("Administrative and public service")
    STATE_ENTERPRISE = "dnnn", _("State-owned enterprise")
    NON_STATE = "ngoai_nn", _("Non-state")
    FOREIGN_INVESTED = "fdi", _("Foreign-invested")


class OrganizationKind(models.Model):
    """A kind of union unit (LĐLĐ tỉnh, LĐLĐ huyện, CĐCS ...).

    Kinds are data because the structure changed in 2025 and may change again:
    ``valid_until`` closes a kind (district federations ended on 30/6/2025).
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    abbreviation = models.CharField(_("abbreviation"), max_length=40, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = audited()

    class Meta:
        ordering = ["level", "sort_order", "name"]
        verbose_name = _("unit kind")
        verbose_name_plural = _("unit kinds")

    def __str__(self):
        return self.name

    def is_valid_on(self, day):
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_until and day > self.valid_until)


def kind_fits_under(child_kind, parent_kind):
    """Units sit below higher levels; sub-units (tổ, bộ phận) may nest in each other."""
    if child_kind.level == Level.SUBUNIT:
        return parent_kind.level >= Level.GRASSROOTS
    return child_kind.level > parent_kind.level


SUBTREE_SQL = """
WITH RECURSIVE subtree(id) AS (
    SELECT id FROM {org} WHERE id IN ({roots})
    UNION
    SELECT o.id FROM {org} o JOIN subtree s ON {join}
)
SELECT id FROM subtree
"""

# Everything a set of roots can see: their subtrees, the units merged into
# them (and those units' subtrees), recursively.
VISIBLE_SQL = """
WITH RECURSIVE visible(id) AS (
    SELECT m.organization_id FROM {membership} m WHERE m.user_id = %s
    UNION
    SELECT o.id FROM {org} o JOIN visible v ON (o.parent_id = v.id OR o.successor_id = v.id)
)
SELECT id FROM visible
"""

# The units whose roles reach a given unit: walk up through parents and
# successors (the reverse of VISIBLE_SQL's edges).
REACHING_SQL = """
WITH RECURSIVE up(id) AS (
    {seed}
    UNION
    SELECT CASE e.k WHEN 1 THEN o.parent_id ELSE o.successor_id END
    FROM {org} o
    JOIN up ON o.id = up.id
    CROSS JOIN (SELECT 1 AS k UNION ALL SELECT 2 AS k) e
    WHERE (CASE e.k WHEN 1 THEN o.parent_id ELSE o.successor_id END) IS NOT NULL
)
SELECT id FROM up
"""

# From each candidate up through parents and successors (like REACHING_SQL) to the units
# where the user holds a role. For a handful of candidates this reads a few rows each, where
# VISIBLE_SQL lists the user's whole subtree (15 000 units for a city).
WALK_UP_SQL = """
WITH RECURSIVE up(start, id) AS (
    SELECT id, id FROM {org} WHERE id IN ({candidates})
    UNION
    SELECT up.start, CASE e.k WHEN 1 THEN o.parent_id ELSE o.successor_id END
    FROM {org} o
    JOIN up ON o.id = up.id
    CROSS JOIN (SELECT 1 AS k UNION ALL SELECT 2 AS k) e
    WHERE (CASE e.k WHEN 1 THEN o.parent_id ELSE o.successor_id END) IS NOT NULL
)
SELECT {select} FROM up JOIN {membership} m ON m.organization_id = up.id WHERE m.user_id = %s
"""


def walk_up_sql(candidates_sql, select):
    return WALK_UP_SQL.format(
        org=Organization._meta.db_table,
        membership=Membership._meta.db_table,
        candidates=candidates_sql,
        select=select,
    )


ANCESTORS_SQL = """
WITH RECURSIVE anc(id, depth) AS (
    SELECT parent_id, 1 FROM {org} WHERE id = %s AND parent_id IS NOT NULL
    UNION ALL
    SELECT o.parent_id, a.depth + 1 FROM {org} o JOIN anc a ON o.id = a.id
    WHERE o.parent_id IS NOT NULL
)
SELECT {org}.* FROM {org} JOIN anc ON {org}.id = anc.id ORDER BY anc.depth DESC
"""


class OrganizationQuerySet(models.QuerySet):
    def _org_table(self):
        return self.model._meta.db_table

    def subtree(self, roots, *, include_self=True, include_predecessors=False):
        """Units at or below ``roots`` (one unit, a queryset or ids), by recursive CTE."""
        if isinstance(roots, models.Model):
            root_ids = [roots.pk]
        elif isinstance(roots, models.QuerySet):
            root_ids = list(roots.values_list("pk", flat=True))
        else:
            root_ids = list(roots)
        if not root_ids:
            return self.none()
        join = "(o.parent_id = s.id OR o.successor_id = s.id)" if include_predecessors else "o.parent_id = s.id"
        sql = SUBTREE_SQL.format(org=self._org_table(), roots=", ".join(["%s"] * len(root_ids)), join=join)
        qs = self.filter(pk__in=RawSQL(sql, root_ids))
        if not include_self:
            qs = qs.exclude(pk__in=root_ids)
        return qs

    def visible_to(self, user):
        """Units the user may see: the subtrees of their memberships and predecessors."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        sql = VISIBLE_SQL.format(org=self._org_table(), membership=Membership._meta.db_table)
        return self.filter(pk__in=RawSQL(sql, [user.pk]))

    def seen_among(self, user, candidates):
        """The units of ``candidates`` (a queryset of ids) that the user sees: the same answer
        as ``visible_to`` for a few candidates, without listing the user's subtree."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.filter(pk__in=candidates)
        inner, params = candidates.query.sql_with_params()
        return self.filter(pk__in=RawSQL(walk_up_sql(inner, "up.start"), (*params, user.pk)))

    def reaching(self, organization):
        """Units whose roles apply to ``organization``: itself, ancestors, successors."""
        sql = REACHING_SQL.format(org=self._org_table(), seed="SELECT CAST(%s AS BIGINT)")
        return self.filter(pk__in=RawSQL(sql, [organization.pk]))

    def above_memberships(self, user):
        """The user's units and everything above them (parents and successors)."""
        seed = f"SELECT m.organization_id FROM {Membership._meta.db_table} m WHERE m.user_id = %s"
        sql = REACHING_SQL.format(org=self._org_table(), seed=seed)
        return self.filter(pk__in=RawSQL(sql, [user.pk]))

    def active(self):
        return self.filter(is_active=True)

    def totals_below(self, organization):
        """Counts over the active subtree below ``organization``, in one aggregate query."""
        return (
            self.subtree(organization, include_self=False)
            .filter(is_active=True)
            .aggregate(
                units=Count("pk"),
                grassroots=Count("pk", filter=Q(kind__level=Level.GRASSROOTS)),
                members=Sum("members_count", filter=Q(kind__level=Level.GRASSROOTS)),
                workers=Sum("workers_count", filter=Q(kind__level=Level.GRASSROOTS)),
            )
        )

    def ancestors_of(self, organization):
        """Ancestors of ``organization`` from the root down, in one query."""
        return list(self.model.objects.raw(ANCESTORS_SQL.format(org=self._org_table()), [organization.pk]))


code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9._-]*$",
    _("Use capital letters without accents, digits, dot, dash or underscore."),
)


class Organization(models.Model):
    """A union unit (đơn vị): the Tổng Liên đoàn, an LĐLĐ tỉnh, a CĐCS, a tổ công đoàn."""

    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    code = models.CharField(_("code"), max_length=50, unique=True, validators=[code_validator])
    kind = models.ForeignKey(
        OrganizationKind,
        on_delete=models.PROTECT,
        related_name="organizations",
        verbose_name=_("kind"),
    )
    sector = models.CharField(_("sector"), max_length=10, choices=Sector.choices, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    members_count = models.PositiveIntegerField(_("union members"), default=0)
    workers_count = models.PositiveIntegerField(_("workers"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("merged into"),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # Name, short name and code without accents, so "lai chau" finds "Lai Châu".
    search_text = models.CharField(max_length=500, editable=False, default="")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = audited(excluded_fields=["updated_at", "search_text"])
    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="org_not_own_parent"),
            models.CheckConstraint(condition=~Q(successor=models.F("pk")), name="org_not_own_successor"),
            models.CheckConstraint(
                condition=Q(successor__isnull=True) | Q(is_active=False),
                name="org_successor_only_when_ended",
            ),
        ]
        indexes = [models.Index(fields=["kind", "is_active"]), models.Index(fields=["sector"])]

    def __str__(self):
        if self.is_active or not self.ended_on:
            return self.name
        return _("%(name)s (until %(date)s)") % {
            "name": self.name,
            "date": date_format(self.ended_on, "SHORT_DATE_FORMAT"),
        }

    def save(self, *args, **kwargs):
        self.search_text = fold(" ".join([self.name, self.short_name, self.code]))
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)
        self.__dict__.pop("_ancestor_ids", None)

    def get_absolute_url(self):
        return reverse("organizations:organization_detail", args=[self.pk])

    @property
    def level(self):
        return self.kind.level

    @property
    def display_name(self):
        return self.short_name or self.name

    def ancestors(self):
        return Organization.objects.ancestors_of(self)

    def ancestor_ids(self):
        """Ids of the units above this one, read once per instance: a report page asks
        several times whether the plan's owner is above its unit. Saving the unit forgets them."""
        if "_ancestor_ids" not in self.__dict__:
            self.__dict__["_ancestor_ids"] = frozenset(a.pk for a in Organization.objects.ancestors_of(self))
        return self.__dict__["_ancestor_ids"]

    def can_have_child(self, kind):
        """Whether a unit of ``kind`` may sit directly below this one."""
        return kind_fits_under(kind, self.kind)


class EventType(models.TextChoices):
    FOUNDED = "founded", _("Founded")
    MOVED = "moved", _("Moved under a new parent")
    MERGED = "merged", _("Merged into another unit")
    ABSORBED = "absorbed", _("Took in a merged unit")
    DEACTIVATED = "deactivated", _("Dissolved / ended")
    REACTIVATED = "reactivated", _("Reactivated")


class OrganizationEvent(models.Model):
    """A dated change in a unit's life, as it happened in the real world.

    The audit trail (history) says who recorded what and when; an event says
    what happened to the unit and on which date it took effect.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="events", verbose_name=_("unit")
    )
    event_type = models.CharField(_("event"), max_length=20, choices=EventType.choices)
    effective_on = models.DateField(_("effective on"))
    previous_parent = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("previous parent"),
    )
    related = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("related unit"),
    )
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-effective_on", "-recorded_at"]
        verbose_name = _("unit event")
        verbose_name_plural = _("unit events")

    def __str__(self):
        return f"{self.organization} – {self.get_event_type_display()} ({self.effective_on})"


class Role(models.TextChoices):
    STAFF = "staff", _("Staff (manages campaigns and users)")
    APPROVER = "approver", _("Leader (approves)")
    OFFICER = "officer", _("Officer (enters data)")
    VIEWER = "viewer", _("Viewer")


class Membership(models.Model):
    """A user's role in a unit; it covers the unit and its whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("unit")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    position = models.CharField(_("position"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = audited()

    class Meta:
        ordering = ["organization__name", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="membership_unique"),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.organization}"


class Gender(models.TextChoices):
    FEMALE = "nu", _("Female")
    MALE = "nam", _("Male")


class Person(models.Model):
    """A member or worker of a unit, named in registrations and nominations.

    People need no user account: the unit's officer types them in.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="people", verbose_name=_("unit")
    )
    full_name = models.CharField(_("full name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    gender = models.CharField(_("gender"), max_length=3, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    joined_on = models.DateField(_("joined the unit on"), null=True, blank=True)
    left_on = models.DateField(_("left the unit on"), null=True, blank=True)
    is_active = models.BooleanField(_("still in the unit"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = audited()

    class Meta:
        ordering = ["organization", "full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return f"{self.full_name} ({self.position})" if self.position else self.full_name


class ClusterKind(models.TextChoices):
    CLUSTER = "cum", _("Cluster (cụm)")
    BLOCK = "khoi", _("Block (khối)")


class Cluster(models.Model):
    """A cụm or khối thi đua: units of one level grouped by their organizer."""

    organizer = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="organized_clusters",
        verbose_name=_("organized by"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ClusterKind.choices)
    name = models.CharField(_("name"), max_length=255)
    level = models.PositiveSmallIntegerField(_("level of member units"), choices=Level.choices)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = audited()

    class Meta:
        ordering = ["organizer__name", "name"]
        verbose_name = _("emulation cluster")
        verbose_name_plural = _("emulation clusters")
        constraints = [
            models.UniqueConstraint(fields=["organizer", "name"], name="cluster_name_unique"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organizations:cluster_detail", args=[self.pk])


class ClusterRole(models.TextChoices):
    LEADER = "leader", _("Leader (trưởng cụm/khối)")
    DEPUTY = "deputy", _("Deputy (phó cụm/khối)")
    MEMBER = "member", _("Member")


class ClusterMember(models.Model):
    """A unit's place in a cluster for one year; leader and deputy rotate yearly."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="members", verbose_name=_("cluster"))
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="cluster_memberships",
        verbose_name=_("unit"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    role = models.CharField(_("role"), max_length=10, choices=ClusterRole.choices, default=ClusterRole.MEMBER)

    history = audited()

    class Meta:
        ordering = ["-year", "role", "organization__name"]
        verbose_name = _("cluster member")
        verbose_name_plural = _("cluster members")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "organization", "year"], name="cluster_member_unique"),
            models.UniqueConstraint(
                fields=["cluster", "year"],
                condition=Q(role="leader"),
                name="cluster_one_leader_a_year",
            ),
            models.UniqueConstraint(
                fields=["cluster", "year"],
                condition=Q(role="deputy"),
                name="cluster_one_deputy_a_year",
            ),
        ]

    def __str__(self):
        return f"{self.cluster} {self.year}: {self.organization}"
