"""Campaign plans (kế hoạch, phát động thi đua): header, body, rounds, tasks, recipients.

The body is an ordered list of sections; each holds an ordered, flat list of clauses
whose ``depth`` says how they nest. Texts are plain rich text (``core.richtext``):
paragraphs, **bold** and *italic*, never HTML. Targets live in the ``targets`` app.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import audited
from documents.models import DocumentType, Issuer, format_number_line
from organizations.models import Level, Organization, OrganizationKind


class CampaignKind(models.TextChoices):
    REGULAR = "regular", _("Regular emulation (thường xuyên)")
    THEMATIC = "thematic", _("Thematic or round-based emulation (chuyên đề, theo đợt)")
    SPECIAL = "special", _("Special emulation movement (đặc biệt)")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")


class CollectiveAuthority(models.TextChoices):
    NONE = "", _("none")
    ON_BEHALF = "tm", _("TM. (on behalf of the collective)")


class SignerAuthority(models.TextChoices):
    NONE = "", _("none (the head signs)")
    FOR_HEAD = "kt", _("KT. (a deputy signs for the head)")
    ACTING = "q", _("Q. (acting head)")
    BY_ORDER = "tl", _("TL. (by order)")
    BY_AUTHORISATION = "tuq", _("TUQ. (by written authorisation)")


# How each style writes the signing prefixes (DOCUMENT_FORMAT.md §4).
AUTHORITY_PREFIX = {
    "state": {"tm": "TM.", "kt": "KT.", "q": "Q.", "tl": "TL.", "tuq": "TUQ."},
    "union": {"tm": "TM.", "kt": "KT.", "q": "Q.", "tl": "TL.", "tuq": "TUQ."},
    "party": {"tm": "T/M", "kt": "K/T", "q": "Q.", "tl": "T/L", "tuq": "T/UQ"},
}


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Drafts to the users who see the owner unit; published plans also to every
        unit below the owner, which takes part in them."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        # Walk up from the owners (a few dozen units) rather than list the user's subtree.
        owners = self.model.objects.order_by().values("owner_id").distinct()
        visible = Organization.objects.seen_among(user, owners).values("pk")
        above = Organization.objects.above_memberships(user).values("pk")
        return self.filter(Q(owner__in=visible) | Q(owner__in=above, status__in=[Status.PUBLISHED, Status.CLOSED]))


class Campaign(models.Model):
    """A campaign plan and the document that launches it."""

    owner = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("run by")
    )
    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("issuer"))
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responses",
        verbose_name=_("answers the plan"),
    )
    doc_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT, verbose_name=_("document type"))
    type_heading = models.CharField(_("printed type"), max_length=200)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    symbol = models.CharField(_("code"), max_length=60)
    number_year = models.PositiveSmallIntegerField(_("numbering year"))
    place = models.CharField(_("place"), max_length=100)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    subject = models.TextField(_("subject (trích yếu)"))
    year = models.PositiveSmallIntegerField(_("campaign year"))
    kind = models.CharField(_("kind of emulation"), max_length=10, choices=CampaignKind.choices)
    allow_outside_year = models.BooleanField(_("rounds may fall outside the campaign year"), default=False)
    scope_kinds = models.ManyToManyField(
        OrganizationKind,
        blank=True,
        related_name="+",
        verbose_name=_("taking part: unit kinds"),
        help_text=_("Empty: every unit below the owner takes part."),
    )
    scope_sectors = models.JSONField(_("taking part: sectors"), default=list, blank=True)

    signer_collective_authority = models.CharField(
        _("collective prefix"), max_length=4, choices=CollectiveAuthority.choices, blank=True
    )
    signer_collective = models.CharField(_("collective"), max_length=200, blank=True)
    signer_authority = models.CharField(
        _("signing authority"), max_length=4, choices=SignerAuthority.choices, blank=True
    )
    signer_head_title = models.CharField(_("head's title"), max_length=200, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=200, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=200, blank=True)

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    amendment_reason = models.TextField(_("amendment under way"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = audited(excluded_fields=["updated_at"])
    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-issued_on", "owner__name"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "number_year", "number", "symbol"],
                condition=Q(number__isnull=False),
                name="campaign_number_unique",
            ),
        ]

    def __str__(self):
        return f"{self.type_heading.capitalize()} {self.subject[:80]}"

    def get_absolute_url(self):
        return reverse("campaigns:campaign_detail", args=[self.pk])

    @property
    def number_line(self):
        return format_number_line(self.issuer.style, self.number, self.symbol)

    @property
    def is_editable(self):
        """Drafts are edited freely; a published plan only while an amendment is open."""
        return self.status == Status.DRAFT or (self.status == Status.PUBLISHED and bool(self.amendment_reason))

    @property
    def period_start(self):
        return datetime.date(self.year, 1, 1)

    @property
    def period_end(self):
        return datetime.date(self.year, 12, 31)

    def signer_lines(self):
        """The signature block's title lines, in the issuer's style (DOCUMENT_FORMAT §4)."""
        prefixes = AUTHORITY_PREFIX[self.issuer.style]
        lines = []
        if self.signer_collective_authority and self.signer_collective:
            lines.append(f"{prefixes[self.signer_collective_authority]} {self.signer_collective}")
        if self.signer_authority:
            lines.append(f"{prefixes[self.signer_authority]} {self.signer_head_title}".strip())
        if self.signer_title:
            lines.append(self.signer_title)
        return lines

    def participants(self):
        """Units that take part: the owner's active subtree, narrowed by the scope."""
        return self.in_scope(Organization.objects.subtree(self.owner, include_self=False))

    def participants_below(self, unit):
        """The participating units directly below ``unit``. Below the owner or a participant,
        these are its children in scope: reading them skips listing the owner's subtree."""
        if unit.pk != self.owner_id and self.owner_id not in unit.ancestor_ids():
            return Organization.objects.none()
        return self.in_scope(Organization.objects.filter(parent=unit))

    def in_scope(self, units):
        """``units`` narrowed to the active ones of the kinds and sectors taking part."""
        units = units.filter(is_active=True)
        # Read once per instance; adding or removing kinds through the relation forgets them.
        prefetch_related_objects([self], "scope_kinds")
        kinds = list(self.scope_kinds.all())
        if kinds:
            units = units.filter(kind__in=kinds)
        if self.scope_sectors:
            units = units.filter(Q(sector__in=self.scope_sectors) | Q(kind__level__lt=Level.GRASSROOTS))
        return units


class SectionKind(models.TextChoices):
    PREAMBLE = "preamble", _("Opening and legal bases")
    PURPOSES = "purposes", _("Purposes and requirements")
    THEMES = "themes", _("Themes")
    CONTENT = "content", _("Emulation content")
    TARGETS = "targets", _("Targets (printed from the target list)")
    ROUNDS = "rounds", _("Rounds (printed from the rounds)")
    MEASURES = "measures", _("Measures and solutions")
    ORGANIZATION = "organization", _("Responsibilities (tổ chức thực hiện)")
    TASKS = "tasks", _("Tasks (printed from the task table)")
    CLOSING = "closing", _("Closing")
    OTHER = "other", _("Other")


GENERATED_SECTIONS = {SectionKind.TARGETS, SectionKind.ROUNDS, SectionKind.TASKS}


class LegalBasis(models.Model):
    """A 'Căn cứ …' line printed in italics before the preamble."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="legal_bases")
    position = models.PositiveIntegerField(_("order"), default=0)
    text = models.TextField(_("legal basis"))

    history = audited()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")

    def __str__(self):
        return self.text[:80]


class ThemeKind(models.TextChoices):
    CAMPAIGN = "campaign", _("Campaign theme")
    UNION_ANNUAL = "union_annual", _("Union's theme of the year")
    LOCAL = "local", _("Local theme")
    SLOGAN = "slogan", _("Slogan")


class Theme(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="themes")
    position = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=ThemeKind.choices)
    text = models.TextField(_("theme"))

    history = audited()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return self.text[:80]


class Section(models.Model):
    """A numbered part of the plan (I. MỤC ĐÍCH, YÊU CẦU …) in the issuer's own words."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=SectionKind.choices)
    label = models.CharField(_("number"), max_length=20, blank=True, help_text=_("As printed: I., II., III- …"))
    title = models.CharField(_("heading"), max_length=300, blank=True)
    intro = models.TextField(_("text before the items"), blank=True)
    closing = models.TextField(_("text after the items"), blank=True)

    history = audited()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return f"{self.label} {self.title}".strip() or self.get_kind_display()

    @property
    def is_generated(self):
        return self.kind in GENERATED_SECTIONS


class Clause(models.Model):
    """An item of a section: '1. Mục đích', '2.1. …', '- …'. ``depth`` nests it."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="clauses")
    position = models.PositiveIntegerField(_("order"), default=0)
    depth = models.PositiveSmallIntegerField(_("level"), default=0)
    label = models.CharField(_("number"), max_length=20, blank=True)
    title = models.CharField(_("heading"), max_length=300, blank=True)
    body = models.TextField(_("text"), blank=True)
    responsible_level = models.PositiveSmallIntegerField(
        _("responsibility of the level"), choices=Level.choices, null=True, blank=True
    )

    history = audited()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self):
        return f"{self.label} {self.title or self.body[:60]}".strip()


class Round(models.Model):
    """An emulation round (đợt) with its dates, theme and commemorations."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=100)
    heading = models.CharField(
        _("printed heading"),
        max_length=300,
        blank=True,
        help_text=_("As written, e.g. **Đợt 1** (từ 01/01/2023 đến 30/6/2023):"),
    )
    theme = models.TextField(_("theme of the round"), blank=True)
    start = models.DateField(_("starts"), null=True, blank=True, help_text=_("Empty: from the launch date."))
    end = models.DateField(_("ends"))
    report_due = models.DateField(_("interim report due (sơ kết)"), null=True, blank=True)
    description = models.TextField(_("text of the round"), blank=True)
    is_peak = models.BooleanField(_("peak drive (cao điểm)"), default=False)

    history = audited()

    class Meta:
        ordering = ["number"]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="round_number_unique"),
        ]

    def __str__(self):
        return self.name

    def effective_start(self):
        return self.start or self.campaign.issued_on or self.campaign.period_start

    def is_open(self, on=None):
        on = on or timezone.localdate()
        return self.effective_start() <= on <= self.end


class Commemoration(models.Model):
    """An anniversary a round celebrates: 75 năm Ngày … (11/6/1948 – 11/6/2023)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="commemorations")
    position = models.PositiveIntegerField(_("order"), default=0)
    name = models.CharField(_("event"), max_length=400)
    base_date = models.DateField(_("original date"), null=True, blank=True)
    anniversary_date = models.DateField(_("anniversary"), null=True, blank=True)
    years = models.PositiveSmallIntegerField(_("years"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = audited()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("commemoration")
        verbose_name_plural = _("commemorations")

    def __str__(self):
        return self.name

    @property
    def computed_years(self):
        if self.base_date and self.anniversary_date:
            return self.anniversary_date.year - self.base_date.year
        return None


class ResponsibleLabel(models.TextChoices):
    ADVISE = "advise", _("Chịu trách nhiệm tham mưu")
    EXECUTE = "execute", _("Chịu trách nhiệm thực hiện")


class Task(models.Model):
    """A task of the plan with who leads it, who advises or carries it out, and when."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveIntegerField(_("order"), default=0)
    depth = models.PositiveSmallIntegerField(_("level"), default=0)
    label = models.CharField(_("number"), max_length=20, blank=True)
    text = models.TextField(_("task"))
    lead = models.CharField(_("lead (chủ trì)"), max_length=500, blank=True)
    responsible_label = models.CharField(
        _("role of the second party"),
        max_length=10,
        choices=ResponsibleLabel.choices,
        default=ResponsibleLabel.ADVISE,
    )
    responsible = models.CharField(_("responsible"), max_length=500, blank=True)
    timing = models.CharField(_("timing (thời gian thực hiện)"), max_length=500, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)

    history = audited()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self):
        return f"{self.label} {self.text[:60]}".strip()


class DeadlineKind(models.TextChoices):
    REGISTRATION = "registration", _("Registration (đăng ký thi đua)")
    PLAN = "plan", _("Plans of lower levels")
    REPORT = "report", _("Report (sơ kết, tổng kết)")
    OTHER = "other", _("Other")


class Deadline(models.Model):
    """A date written into the plan's text, kept as data for to-do lists and reminders."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="deadlines")
    position = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=DeadlineKind.choices)
    description = models.CharField(_("what is due"), max_length=500)
    due_date = models.DateField(_("due date"))
    round = models.ForeignKey(
        Round,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deadlines",
        verbose_name=_("round"),
    )

    history = audited()

    class Meta:
        ordering = ["due_date", "position"]
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")

    def __str__(self):
        return f"{self.due_date}: {self.description[:60]}"


class Recipient(models.Model):
    """A line of 'Nơi nhận'; consecutive lines with the same group note share a brace."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="recipients")
    position = models.PositiveIntegerField(_("order"), default=0)
    text = models.TextField(_("recipient"))
    group_note = models.CharField(
        _("group note"), max_length=100, blank=True, help_text=_("e.g. B/c, Báo cáo, Gửi mạng")
    )

    history = audited()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")

    def __str__(self):
        return self.text


class CampaignVersion(models.Model):
    """The whole plan as published or amended (the JSON export), kept readable forever."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    data = models.JSONField(_("content"))
    reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="campaign_version_unique"),
        ]

    def __str__(self):
        return f"{self.campaign} v{self.number}"
