"""Writes to campaigns: creating and editing plans, publishing, amending, closing, cloning.

Every service is atomic and names its actor in the history; a refusal is a DomainError
with a translated message (``field`` tells the form which input it is about).
"""

import copy
import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns import interchange
from campaigns.models import Campaign, CampaignVersion, Status
from campaigns.rules import check_campaign_rules
from campaigns.signals import plan_published
from core.audit import delete_as, save_as
from core.concurrency import lock_current
from core.exceptions import DomainError
from documents.rendering import pdf_filename, render_html
from documents.services import check_signing_certificate, sign_and_keep
from organizations.access import Cap, can
from organizations.models import Organization

HEADER_FIELDS = (
    "issuer",
    "parent",
    "doc_type",
    "type_heading",
    "number",
    "place",
    "issued_on",
    "subject",
    "year",
    "kind",
    "allow_outside_year",
    "scope_sectors",
)
SIGNER_FIELDS = (
    "signer_collective_authority",
    "signer_collective",
    "signer_authority",
    "signer_head_title",
    "signer_title",
    "signer_name",
)


def numbering_year(issued_on, year):
    """Numbers restart every calendar year of issue (ND30 Điều 15)."""
    return issued_on.year if issued_on else year


def suggest_number(issuer, doc_type, year):
    """The next free number of the issuer for that year and document type."""
    symbol = issuer.symbol_for(doc_type)
    top = Campaign.objects.filter(issuer=issuer, number_year=year, symbol=symbol).aggregate(top=Max("number"))["top"]
    return (top or 0) + 1


def _check_number(campaign):
    if campaign.number is None:
        return
    clash = (
        Campaign.objects.filter(
            issuer=campaign.issuer,
            number_year=campaign.number_year,
            number=campaign.number,
            symbol=campaign.symbol,
        )
        .exclude(pk=campaign.pk)
        .first()
    )
    if clash:
        raise DomainError(
            _(
                "Number %(number)s/%(symbol)s of %(year)s is already used by “%(other)s”. "
                "The next free number is %(free)s."
            )
            % {
                "number": f"{campaign.number:02d}",
                "symbol": campaign.symbol,
                "year": campaign.number_year,
                "other": clash.subject,
                "free": suggest_number(campaign.issuer, campaign.doc_type, campaign.number_year),
            },
            field="number",
        )


def _check_signer(data):
    if data.get("signer_authority") and not data.get("signer_head_title"):
        raise DomainError(
            _("Write the head's title that the signer signs for (e.g. CHỦ TỊCH)."),
            field="signer_head_title",
        )
    if data.get("signer_collective_authority") and not data.get("signer_collective"):
        raise DomainError(_("Write the collective (e.g. BAN THƯỜNG VỤ)."), field="signer_collective")


def _apply_header(campaign, data):
    for field in HEADER_FIELDS + SIGNER_FIELDS:
        if field in data:
            setattr(campaign, field, data[field])
    campaign.symbol = campaign.issuer.symbol_for(campaign.doc_type)
    campaign.number_year = numbering_year(campaign.issued_on, campaign.year)
    if not campaign.type_heading:
        campaign.type_heading = campaign.doc_type.heading
    if not campaign.place:
        campaign.place = campaign.issuer.place


def _check_issuer(actor, campaign):
    if campaign.issuer.managed_by_id != campaign.owner_id:
        raise DomainError(_("This issuer belongs to another unit."), field="issuer")
    if campaign.parent is not None and not Campaign.objects.visible_to(actor).filter(pk=campaign.parent.pk).exists():
        raise DomainError(_("You cannot see the plan you chose to answer."), field="parent")


@transaction.atomic
def create_campaign(*, actor, owner, data, scope_kinds=()):
    """Create a draft plan run by ``owner``."""
    if not can(actor, Cap.MANAGE_CAMPAIGNS, owner):
        raise DomainError(_("You cannot create plans for “%(unit)s”.") % {"unit": owner})
    campaign = Campaign(owner=owner, status=Status.DRAFT, created_by=actor)
    _apply_header(campaign, data)
    _check_signer(data)
    _check_issuer(actor, campaign)
    _check_number(campaign)
    save_as(campaign, actor)
    campaign.scope_kinds.set(scope_kinds)
    return campaign


def require_editable(campaign):
    if not campaign.is_editable:
        if campaign.status == Status.PUBLISHED:
            raise DomainError(_("The plan is published and locked. Open an amendment, with its reason, to change it."))
        raise DomainError(_("The plan is closed and can no longer change."))


@transaction.atomic
def update_campaign(campaign, *, actor, data, expected_version, scope_kinds=None):
    """Change the header, scope or signer of a plan being drafted or amended."""
    require_editable(Campaign.objects.get(pk=campaign.pk))
    current = lock_current(Campaign, campaign, expected_version)
    require_editable(current)
    _apply_header(current, data)
    _check_signer({f: getattr(current, f) for f in SIGNER_FIELDS})
    _check_issuer(actor, current)
    _check_number(current)
    _check_rounds(current)
    current.version += 1
    save_as(current, actor)
    if scope_kinds is not None:
        current.scope_kinds.set(scope_kinds)
    return current


def _check_rounds(campaign):
    rounds = [
        {"number": r.number, "start": r.start, "end": r.end, "report_due": r.report_due} for r in campaign.rounds.all()
    ]
    problems = check_campaign_rules(
        year=campaign.year,
        issued_on=campaign.issued_on,
        allow_outside_year=campaign.allow_outside_year,
        rounds=rounds,
    )
    if problems:
        raise DomainError(problems[0][1])


def touch(campaign, actor):
    """Record that a part of the plan changed (bumps the version others edit against)."""
    Campaign.objects.filter(pk=campaign.pk).update(version=campaign.version + 1, updated_at=timezone.now())
    campaign.version += 1


def publication_checklist(campaign):
    """What still stops a draft from being published: (part of the plan, message) pairs,
    the part naming the page where it is put right."""
    problems = []
    if campaign.number is None:
        problems.append(("header", _("The plan has no number yet.")))
    if campaign.issued_on is None:
        problems.append(("header", _("The plan has no date of issue yet.")))
    if not campaign.signer_name:
        problems.append(("header", _("The signer's name is missing.")))
    if not campaign.sections.exists():
        problems.append(("sections", _("The plan has no content yet.")))
    if not campaign.recipients.exists():
        problems.append(("recipients", _("The list of recipients (nơi nhận) is empty.")))
    problems += [("rounds", message) for _index, message in _round_problems(campaign)]
    return problems


def publication_problems(campaign):
    return [message for _part, message in publication_checklist(campaign)]


def _round_problems(campaign):
    rounds = [
        {"number": r.number, "start": r.start, "end": r.end, "report_due": r.report_due} for r in campaign.rounds.all()
    ]
    return check_campaign_rules(
        year=campaign.year,
        issued_on=campaign.issued_on,
        allow_outside_year=campaign.allow_outside_year,
        rounds=rounds,
    )


def _snapshot(campaign, actor, reason):
    number = (campaign.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    return CampaignVersion.objects.create(
        campaign=campaign,
        number=number,
        data=interchange.export_campaign(campaign),
        reason=reason,
        created_by=actor,
    )


@transaction.atomic
def publish_campaign(campaign, *, actor):
    """Publish a draft: it is locked and its text is kept as version 1."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != Status.DRAFT:
        raise DomainError(_("Only a draft can be published."))
    problems = publication_problems(campaign)
    if problems:
        raise DomainError(" ".join(problems))
    _check_number(campaign)
    campaign.status = Status.PUBLISHED
    campaign.published_at = timezone.now()
    campaign.version += 1
    save_as(campaign, actor, reason=_("Published"))
    _snapshot(campaign, actor, _("Published"))
    plan_published.send(Campaign, campaign=campaign)
    return campaign


@transaction.atomic
def open_amendment(campaign, *, actor, reason):
    """Unlock a published plan for changes; the reason goes with the next version."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != Status.PUBLISHED:
        raise DomainError(_("Only a published plan can be amended."))
    if campaign.amendment_reason:
        raise DomainError(_("An amendment is already open."))
    if not reason.strip():
        raise DomainError(_("Give the reason for the amendment."), field="reason")
    campaign.amendment_reason = reason.strip()
    campaign.version += 1
    return save_as(campaign, actor, reason=_("Amendment opened"))


@transaction.atomic
def publish_amendment(campaign, *, actor):
    """Publish the amended plan as a new version; the earlier versions stay readable."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not campaign.amendment_reason:
        raise DomainError(_("No amendment is open."))
    problems = publication_problems(campaign)
    if problems:
        raise DomainError(" ".join(problems))
    reason = campaign.amendment_reason
    campaign.amendment_reason = ""
    campaign.version += 1
    save_as(campaign, actor, reason=_("Amendment published"))
    snapshot = _snapshot(campaign, actor, reason)
    plan_published.send(Campaign, campaign=campaign)
    return snapshot


@transaction.atomic
def close_campaign(campaign, *, actor):
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != Status.PUBLISHED:
        raise DomainError(_("Only a published plan can be closed."))
    if campaign.amendment_reason:
        raise DomainError(_("Publish the open amendment first."))
    campaign.status = Status.CLOSED
    campaign.closed_at = timezone.now()
    campaign.version += 1
    return save_as(campaign, actor, reason=_("Closed"))


@transaction.atomic
def delete_campaign(campaign, *, actor):
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != Status.DRAFT:
        raise DomainError(_("A published plan is an official record and cannot be deleted."))
    if campaign.responses.exists():
        raise DomainError(_("Other plans answer this one; it cannot be deleted."))
    delete_as(campaign, actor)


def _shift(value, years):
    if not value:
        return value
    day = datetime.date.fromisoformat(value)
    try:
        return day.replace(year=day.year + years).isoformat()
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28).isoformat()


def _replace_year(text, old, new):
    return text.replace(str(old), str(new)) if isinstance(text, str) else text


def cloned_document(data, *, year, replace_year_in_text=True):
    """A copy of a campaign document moved to ``year``: dates shifted, number and date cleared."""
    data = copy.deepcopy(data)
    old = data["document"]["year"]
    delta = year - old

    def text(value):
        return _replace_year(value, old, year) if replace_year_in_text else value

    document = data["document"]
    document.update(year=year, number=None, issued_on=None, status="draft", subject=text(document["subject"]))
    for section in data["sections"]:
        section["title"], section["intro"], section["closing"] = (
            text(section.get("title", "")),
            text(section.get("intro", "")),
            text(section.get("closing", "")),
        )
        for clause in section.get("clauses", []):
            clause["body"] = text(clause["body"])
    for round_ in data["rounds"]:
        for key in ("start", "end", "report_due"):
            round_[key] = _shift(round_.get(key), delta)
        round_["heading"], round_["description"], round_["theme"] = (
            text(round_.get("heading", "")),
            text(round_.get("description", "")),
            text(round_.get("theme", "")),
        )
        for item in round_.get("commemorations", []):
            item["anniversary_date"] = _shift(item.get("anniversary_date"), delta)
            if item.get("years") and item.get("base_date"):
                item["years"] += delta
    for group in data["target_groups"]:
        for target in group["targets"]:
            target["text"] = text(target["text"])
            target["allocations"] = []
    for task in data.get("tasks", []):
        task["due_date"] = _shift(task.get("due_date"), delta)
        task["text"], task["timing"] = text(task["text"]), text(task.get("timing", ""))
    for deadline in data.get("deadlines", []):
        deadline["due_date"] = _shift(deadline["due_date"], delta)
        deadline["description"] = text(deadline["description"])
    return data


@transaction.atomic
def clone_campaign(campaign, *, actor, year, replace_year_in_text=True):
    """A new draft for ``year`` with the same content, dates moved by whole years."""
    if not can(actor, Cap.MANAGE_CAMPAIGNS, campaign.owner):
        raise DomainError(_("You cannot create plans for “%(unit)s”.") % {"unit": campaign.owner})
    data = cloned_document(interchange.export_campaign(campaign), year=year, replace_year_in_text=replace_year_in_text)
    try:
        return interchange.import_campaign(data, actor=actor, owner=campaign.owner)
    except interchange.ImportErrors as errors:
        raise DomainError(" ".join(errors.messages)) from errors


@transaction.atomic
def import_campaign(raw, *, actor, owner=None):
    """Import a campaign document (bytes, text or dict); every problem is reported at once."""
    data = raw if isinstance(raw, dict) else interchange.parse_json(raw)
    if owner is None:
        code = data.get("owner") if isinstance(data, dict) else None
        owner = Organization.objects.filter(code=code).first() if isinstance(code, str) else None
        if owner is not None and not can(actor, Cap.MANAGE_CAMPAIGNS, owner):
            raise interchange.ImportErrors([_("You cannot create plans for “%(unit)s”.") % {"unit": owner}])
    elif not can(actor, Cap.MANAGE_CAMPAIGNS, owner):
        raise interchange.ImportErrors([_("You cannot create plans for “%(unit)s”.") % {"unit": owner}])
    if isinstance(data, dict) and owner is not None:
        data = {**data, "owner": owner.code}
    return interchange.import_campaign(data, actor=actor, owner=owner)


@transaction.atomic
def sign_campaign(campaign, *, actor, certificate, passphrase):
    """Sign the published text of the plan with the unit's certificate and keep the file."""
    campaign = Campaign.objects.select_related("owner", "issuer").get(pk=campaign.pk)
    if campaign.status == Status.DRAFT:
        raise DomainError(_("Only a published plan can be signed."))
    if campaign.amendment_reason:
        raise DomainError(_("Publish the open amendment before signing."))
    if not can(actor, Cap.SIGN_DOCUMENTS, campaign.owner):
        raise DomainError(_("You cannot sign the documents of “%(unit)s”.") % {"unit": campaign.owner})
    check_signing_certificate(certificate, campaign.owner)
    version = campaign.versions.order_by("-number").first()
    return sign_and_keep(
        campaign,
        actor=actor,
        certificate=certificate,
        passphrase=passphrase,
        html=render_html(version.data),
        filename=pdf_filename(version.data, signed=True),
        record={
            "title": f"{campaign.type_heading} {campaign.subject}",
            "number_line": campaign.number_line,
            "issued_on": campaign.issued_on,
            "issuer_text": str(campaign.issuer),
            "version_number": version.number,
        },
        unit_name=campaign.issuer.name.replace("\n", " "),
        location=campaign.place,
        reason=_("Issuing %(number)s") % {"number": campaign.number_line},
    )


@transaction.atomic
def save_part(campaign, *, actor, formset, expected_version, part, link=None, order_by=None, main_form=None):
    """Save one ordered part of the plan (its sections, rounds, targets …) from a formset.

    Positions follow the order the user set; ``link`` holds the foreign keys to set on
    each row; ``main_form`` is the part's own text (a section's introduction), saved in
    the same transaction. A stale ``expected_version`` is a conflict, reported, never
    overwritten. Rows the user left as they were are not written again.
    """
    require_editable(Campaign.objects.get(pk=campaign.pk))
    current = lock_current(Campaign, campaign, expected_version)
    if main_form is not None and main_form.has_changed():
        main_form.save()
    for form in formset.deleted_forms:
        if form.instance.pk:
            form.instance.delete()
    kept = formset.ordered_forms if formset.can_order else [f for f in formset.forms if f not in formset.deleted_forms]
    if order_by:
        kept = sorted(kept, key=lambda f: f.cleaned_data.get(order_by) or 0)
    for position, form in enumerate(kept):
        if not form.has_changed() and (
            not form.instance.pk or getattr(form.instance, "position", position) == position
        ):
            continue
        item = form.save(commit=False)
        if hasattr(item, "position"):
            item.position = position
        for field, value in (link or {}).items():
            setattr(item, field, value)
        item.save()
        form.save_m2m()
    current.version += 1
    return save_as(current, actor, reason=_("Edited: %(part)s") % {"part": part})
