"""The approval workflow registrations and reports share.

draft ─save─▶ draft ─submit─▶ submitted ─approve─▶ approved (locked)
                 ▲                 │                   │
                 └── returned ◀────┴─return    reopen ─┘ (with a reason)

Every transition locks the row, checks the actor's right on the right unit (the unit
itself to submit, the unit above to review) and records an ``Event``.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from campaigns.models import Status as CampaignStatus
from core.exceptions import ConflictError, DomainError
from reports import scope
from reports.models import Action, Event, Registration, Status
from reports.signals import status_changed, status_changing


def check_campaign_open(campaign):
    """Registrations and reports change only while the plan is published and not closed."""
    status = Campaign.objects.values_list("status", flat=True).get(pk=campaign.pk)
    if status == CampaignStatus.CLOSED:
        raise DomainError(_("The campaign is closed; nothing more can be sent or changed."))
    if status != CampaignStatus.PUBLISHED:
        raise DomainError(_("The plan is not published yet."))


def lock(submission, expected_version=None):
    """The row, locked for the transaction; a stale ``expected_version`` is a conflict."""
    current = (
        type(submission)
        .objects.select_for_update(of=("self",))
        .select_related("organization__parent")
        .get(pk=submission.pk)
    )
    check_version(current, expected_version)
    return current


def check_version(current, expected_version):
    if expected_version is not None and current.version != expected_version:
        who = current.updated_by.get_full_name() if current.updated_by else _("someone")
        raise ConflictError(
            _(
                "%(who)s saved this while you were editing it. Your input is kept below, beside what "
                "they saved; check it and save again."
            )
            % {"who": who},
            current=current,
        )


def record(submission, action, actor, *, comment="", snapshot=None, changes=None, on_behalf=False):
    link = {"registration": submission} if isinstance(submission, Registration) else {"report": submission}
    return Event.objects.create(
        action=action,
        actor=actor,
        comment=comment,
        snapshot=snapshot or {},
        changes=changes or [],
        on_behalf=on_behalf,
        **link,
    )


def require_enter(actor, unit):
    if not scope.can_enter(actor, unit):
        raise DomainError(_("You cannot enter the figures of “%(unit)s”.") % {"unit": unit})


def require_review(actor, unit):
    if not scope.can_review(actor, unit):
        raise DomainError(_("Only the union above “%(unit)s” reviews what it sends.") % {"unit": unit})


def lateness(submission, today=None):
    due = submission.due_date()
    today = today or timezone.localdate()
    return max((today - due).days, 0) if due else 0


def submit(submission, *, actor, snapshot, check=None, request_key=""):
    """Send for approval. A second submit of the same thing (two tabs, a double click)
    changes nothing and records nothing: ``(submission, False)``."""
    current = lock(submission)
    check_campaign_open(current.campaign)
    if current.status in (Status.SUBMITTED, Status.APPROVED):
        return current, False
    require_enter(actor, current.organization)
    if check:
        check(current)
    now = timezone.now()
    status_changing.send(type(current), submission=current)
    current.status = Status.SUBMITTED
    current.submitted_at = now
    current.submitted_by = actor
    current.late_days = lateness(current)
    current.version += 1
    if request_key:
        current.last_request = request_key
    current.save()
    status_changed.send(type(current), submission=current)
    data = snapshot(current)
    record(
        current,
        Action.SUBMITTED,
        actor,
        snapshot=data,
        changes=changes_since_approval(current, data),
        on_behalf=scope.is_on_behalf(actor, current.organization),
        comment=_("%(days)s days late") % {"days": current.late_days} if current.late_days else "",
    )
    return current, True


def approve(submission, *, actor, snapshot, comment=""):
    current = lock(submission)
    require_review(actor, current.organization)
    if current.status != Status.SUBMITTED:
        raise DomainError(_("Only what is awaiting approval can be approved."))
    data = snapshot(current)
    status_changing.send(type(current), submission=current)
    current.status = Status.APPROVED
    current.reviewed_at = timezone.now()
    current.reviewed_by = actor
    current.review_comment = comment
    current.version += 1
    current.save()
    status_changed.send(type(current), submission=current)
    record(
        current, Action.APPROVED, actor, comment=comment, snapshot=data, changes=changes_since_approval(current, data)
    )
    return current


def return_to_unit(submission, *, actor, comment, snapshot, has_value_comments=False):
    current = lock(submission)
    require_review(actor, current.organization)
    if current.status != Status.SUBMITTED:
        raise DomainError(_("Only what is awaiting approval can be returned."))
    if not comment.strip() and not has_value_comments:
        raise DomainError(_("Say what to correct: write a comment."), field="comment")
    status_changing.send(type(current), submission=current)
    current.status = Status.RETURNED
    current.reviewed_at = timezone.now()
    current.reviewed_by = actor
    current.review_comment = comment.strip()
    current.version += 1
    current.save()
    status_changed.send(type(current), submission=current)
    record(current, Action.RETURNED, actor, comment=comment.strip(), snapshot=snapshot(current))
    return current


def reopen(submission, *, actor, reason):
    """Unlock an approved submission for correction; the reason stays in its history."""
    current = lock(submission)
    require_review(actor, current.organization)
    if current.status != Status.APPROVED:
        raise DomainError(_("Only an approved submission can be reopened."))
    if not reason.strip():
        raise DomainError(_("Give the reason for reopening."), field="reason")
    check_campaign_open(current.campaign)
    status_changing.send(type(current), submission=current)
    current.status = Status.RETURNED
    current.review_comment = reason.strip()
    current.version += 1
    current.save()
    status_changed.send(type(current), submission=current)
    record(current, Action.REOPENED, actor, comment=reason.strip())
    return current


def last_approved_snapshot(submission):
    event = submission.events.filter(action=Action.APPROVED).order_by("-at", "-pk").first()
    return event.snapshot if event else None


def changes_since_approval(submission, data):
    """What differs from the last approved version: [[what, before, after], …]."""
    before = last_approved_snapshot(submission)
    if before is None:
        return []
    return diff(before, data)


def diff(before, after):
    rows = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old != new:
            rows.append([key, old if old is not None else "—", new if new is not None else "—"])
    return rows
