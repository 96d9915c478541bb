"""The emulation and awards council (Hội đồng Thi đua – Khen thưởng): its members, meetings,
secret ballots and minutes (AWARDS.md §4.4 "Voting" and "Meeting validity").

A meeting opens only with two thirds of all members present; each nominee needs the share
of ALL members its title or form asks for (80 % or 90 %), whoever came; at most two ballot
rounds are held, after which what is still undecided has not passed. Individual ballots are
secret: only the member who cast one and the secretary ever read it.
"""

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from awards.models import (
    MAX_ROUNDS,
    AgendaItem,
    Ballot,
    Council,
    CouncilMember,
    CouncilRole,
    ItemResult,
    Meeting,
    MeetingStatus,
    Nomination,
    NominationEvent,
    NominationStatus,
)
from core.audit import delete_as, save_as
from core.concurrency import lock_current
from core.exceptions import DomainError
from documents.models import Issuer
from documents.official import official_context
from documents.rendering import html_to_pdf
from documents.services import default_issuer_values
from organizations.access import Cap, can
from organizations.models import Organization

# Roles of which a council has at most one (the minutes name them).
SINGLE_ROLES = (CouncilRole.CHAIR, CouncilRole.SECRETARY)


# --- who may do what ---------------------------------------------------------------------------


def seat_of(user, council):
    """The user's seat on ``council``, or None."""
    if not user.is_authenticated:
        return None
    return council.members.filter(user=user).first()


def is_secretary(user, council):
    seat = seat_of(user, council)
    return seat is not None and seat.role == CouncilRole.SECRETARY


def can_manage_council(user, council):
    return can(user, Cap.MANAGE_AWARDS, council.organization)


def can_prepare_meetings(user, council):
    """Scheduling and the agenda: the secretary, or the unit's awards staff."""
    return is_secretary(user, council) or can_manage_council(user, council)


def _require_manage(actor, council):
    if not can_manage_council(actor, council):
        raise DomainError(_("You cannot manage the councils of “%(unit)s”.") % {"unit": council.organization})


def _require_prepare(actor, council):
    if not can_prepare_meetings(actor, council):
        raise DomainError(_("Only the council's secretary or the unit's awards staff prepare its meetings."))


def _require_secretary(actor, council):
    if not is_secretary(actor, council):
        raise DomainError(_("Only the council's secretary runs its meetings."))


def eligible_users(unit):
    """Users who may sit on ``unit``'s council: active, with a role in the unit or above it."""
    return (
        User.objects.filter(is_active=True, memberships__organization__in=Organization.objects.reaching(unit))
        .distinct()
        .order_by("full_name", "username")
    )


# --- the council --------------------------------------------------------------------------------


def default_council_name(year):
    return f"Hội đồng Thi đua – Khen thưởng năm {year}"


@transaction.atomic
def create_council(unit, *, actor, data) -> Council:
    """Set up ``unit``'s council for a year (one a year); members are added afterwards."""
    if not can(actor, Cap.MANAGE_AWARDS, unit):
        raise DomainError(_("You cannot manage the councils of “%(unit)s”.") % {"unit": unit})
    year = data["year"]
    if Council.objects.filter(organization=unit, year=year).exists():
        raise DomainError(
            _("“%(unit)s” already has a council for %(year)s.") % {"unit": unit, "year": year}, field="year"
        )
    council = Council(organization=unit, year=year, name=data.get("name") or default_council_name(year))
    return save_as(council, actor)


def _refuse_while_in_session(council):
    # The quorum and the thresholds count the members: they must not move under a sitting meeting.
    if council.meetings.filter(status=MeetingStatus.OPEN).exists():
        raise DomainError(_("The council is in session; change its members after the meeting closes."))


@transaction.atomic
def add_council_member(council, *, actor, user, role, position="") -> CouncilMember:
    """Seat ``user`` on the council; one chair and one secretary at most."""
    council = lock_current(Council, council, None)
    _require_manage(actor, council)
    _refuse_while_in_session(council)
    if not eligible_users(council.organization).filter(pk=user.pk).exists():
        raise DomainError(
            _("%(user)s has no role in “%(unit)s” or a unit above it.") % {"user": user, "unit": council.organization},
            field="user",
        )
    if council.members.filter(user=user).exists():
        raise DomainError(_("%(user)s already sits on this council.") % {"user": user}, field="user")
    if role in SINGLE_ROLES:
        holder = council.members.filter(role=role).select_related("user").first()
        if holder is not None:
            raise DomainError(
                _("The council already has a %(role)s: %(name)s. Remove them first or choose another role.")
                % {"role": CouncilRole(role).label.lower(), "name": holder.user},
                field="role",
            )
    return save_as(CouncilMember(council=council, user=user, role=role, position=position), actor)


@transaction.atomic
def remove_council_member(member, *, actor):
    """Take a member off the council; someone who sat in a meeting stays on its record."""
    council = lock_current(Council, member.council, None)
    _require_manage(actor, council)
    _refuse_while_in_session(council)
    if member.ballots.exists() or member.meetings_attended.exists():
        raise DomainError(
            _("%(user)s took part in a meeting of this council and stays on its record.") % {"user": member.user}
        )
    delete_as(member, actor)


# --- meetings and their agenda ------------------------------------------------------------------


@transaction.atomic
def schedule_meeting(council, *, actor, data) -> Meeting:
    """Plan a meeting (date and place); the secretary then builds its agenda."""
    _require_prepare(actor, council)
    if not council.members.filter(role=CouncilRole.SECRETARY).exists():
        raise DomainError(_("Name the council's secretary first: the secretary runs the meeting."))
    return save_as(Meeting(council=council, held_on=data["held_on"], place=data["place"]), actor)


def agenda_candidates(council):
    """Nominations the council may consider: held by its unit and accepted for the council."""
    return (
        Nomination.objects.filter(holder=council.organization, status=NominationStatus.READY)
        .select_related("person", "organization", "nominator", "title", "award_form")
        .order_by("title__sort_order", "title__name", "award_form__sort_order", "award_form__name", "pk")
    )


def _require_planned(meeting):
    if meeting.status != MeetingStatus.PLANNED:
        raise DomainError(_("The agenda can be changed only before the meeting opens."))


def set_nomination_status(nomination, status, actor, reason):
    """Move a locked nomination to ``status``; its history names the actor and the reason."""
    nomination.status = status
    nomination.version += 1
    save_as(nomination, actor, reason=reason)


@transaction.atomic
def add_agenda_items(meeting, nominations, *, actor) -> list[AgendaItem]:
    """Put ready nominations on a planned meeting's agenda; each goes before the council."""
    meeting = lock_current(Meeting, meeting, None)
    _require_prepare(actor, meeting.council)
    _require_planned(meeting)
    ids = [nomination.pk for nomination in nominations]
    if not ids:
        raise DomainError(_("Choose at least one nomination."), field="nominations")
    locked = list(Nomination.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    items = []
    for nomination in locked:
        if nomination.holder_id != meeting.council.organization_id or nomination.status != NominationStatus.READY:
            raise DomainError(
                _("“%(nomination)s” is not ready for this council.") % {"nomination": nomination}, field="nominations"
            )
        set_nomination_status(
            nomination, NominationStatus.IN_COUNCIL, actor, _("On the agenda of %(meeting)s") % {"meeting": meeting}
        )
        items.append(save_as(AgendaItem(meeting=meeting, nomination=nomination), actor))
    return items


@transaction.atomic
def remove_agenda_item(item, *, actor):
    """Take a nomination off a planned meeting's agenda; it is ready for the council again."""
    meeting = lock_current(Meeting, item.meeting, None)
    _require_prepare(actor, meeting.council)
    _require_planned(meeting)
    nomination = Nomination.objects.select_for_update().get(pk=item.nomination_id)
    set_nomination_status(nomination, NominationStatus.READY, actor, _("Taken off the agenda"))
    delete_as(item, actor)


# --- the sitting ----------------------------------------------------------------------------------


@transaction.atomic
def open_meeting(meeting, *, actor, present) -> Meeting:
    """Open the meeting with the members present; refused below the quorum (2/3 of all members)."""
    meeting = lock_current(Meeting, meeting, None)
    council = meeting.council
    _require_secretary(actor, council)
    if meeting.status != MeetingStatus.PLANNED:
        raise DomainError(_("This meeting has already been opened."))
    if not meeting.items.exists():
        raise DomainError(_("Put at least one nomination on the agenda before opening the meeting."))
    present = list({member.pk: member for member in present}.values())
    if any(member.council_id != council.pk for member in present):
        raise DomainError(_("Only members of this council can be recorded as present."), field="present")
    total, quorum = council.members.count(), council.quorum()
    if len(present) < quorum:
        raise DomainError(
            _(
                "The meeting cannot open: %(present)d of %(total)d members are present, "
                "and at least %(quorum)d (two thirds of all members) must be."
            )
            % {"present": len(present), "total": total, "quorum": quorum},
            field="present",
        )
    meeting.status = MeetingStatus.OPEN
    meeting.opened_at = timezone.now()
    meeting.version += 1
    save_as(meeting, actor, reason=_("Opened"))
    meeting.present.set(present)
    return meeting


def pending_items(meeting):
    return meeting.items.filter(result=ItemResult.PENDING)


@transaction.atomic
def open_ballot_round(meeting, *, actor) -> Meeting:
    """Open the next ballot round (at most two) on every nominee not decided yet."""
    meeting = lock_current(Meeting, meeting, None)
    _require_secretary(actor, meeting.council)
    if meeting.status != MeetingStatus.OPEN:
        raise DomainError(_("Ballot rounds are held only while the meeting is in session."))
    if meeting.ballot_open:
        raise DomainError(_("Ballot round %(round)d is still open.") % {"round": meeting.ballot_round})
    if meeting.ballot_round >= MAX_ROUNDS:
        raise DomainError(
            _("A meeting holds at most %(max)d ballot rounds; the competent head decides on the rest.")
            % {"max": MAX_ROUNDS}
        )
    if not pending_items(meeting).exists():
        raise DomainError(_("Every nominee has been decided; there is nothing left to vote on."))
    meeting.ballot_round += 1
    meeting.ballot_open = True
    meeting.version += 1
    return save_as(meeting, actor, reason=_("Ballot round %(round)d opened") % {"round": meeting.ballot_round})


def _require_can_vote(meeting, seat):
    """Why ``seat`` cannot vote in ``meeting`` now, as a DomainError; nothing when it can."""
    if seat is None:
        raise DomainError(_("You are not a member of this council."))
    if meeting.status != MeetingStatus.OPEN:
        raise DomainError(_("Votes are cast only while the council's meeting is in session."))
    if not meeting.ballot_open:
        raise DomainError(_("No ballot round is open."))
    if not meeting.present.filter(pk=seat.pk).exists():
        raise DomainError(_("You were not recorded as present at this meeting, so you cannot vote."))


def has_voted(meeting, seat):
    return Ballot.objects.filter(item__meeting=meeting, round=meeting.ballot_round, member=seat).exists()


def voting_refusal(meeting, user):
    """The reason ``user`` cannot vote in ``meeting`` now, or None when they can."""
    seat = seat_of(user, meeting.council)
    try:
        _require_can_vote(meeting, seat)
    except DomainError as error:
        return error.message
    if has_voted(meeting, seat):
        return _("You have voted in round %(round)d.") % {"round": meeting.ballot_round}
    return None


@transaction.atomic
def cast_ballot(meeting, *, actor, votes) -> list[Ballot]:
    """The member's secret ballot for the open round: ``votes`` maps each pending item's id to
    True (agrees) or False. All or nothing; one ballot per member and round."""
    meeting = lock_current(Meeting, meeting, None)
    seat = seat_of(actor, meeting.council)
    _require_can_vote(meeting, seat)
    if has_voted(meeting, seat):
        raise DomainError(_("You have already voted in round %(round)d.") % {"round": meeting.ballot_round})
    pending = {item.pk: item for item in pending_items(meeting)}
    if set(votes) != set(pending):
        raise DomainError(_("Mark agree or disagree for every nominee on the ballot."))
    ballots = [
        Ballot(item=pending[pk], round=meeting.ballot_round, member=seat, approve=bool(approve))
        for pk, approve in votes.items()
    ]
    try:
        with transaction.atomic():
            return Ballot.objects.bulk_create(ballots)
    except IntegrityError:
        # A second tab or a double click got there first.
        raise DomainError(_("You have already voted in round %(round)d.") % {"round": meeting.ballot_round}) from None


@transaction.atomic
def close_ballot_round(meeting, *, actor) -> Meeting:
    """Count the open round: a nominee passes with the needed share of ALL members; after the
    last round a nominee still short of it has not passed."""
    meeting = lock_current(Meeting, meeting, None)
    _require_secretary(actor, meeting.council)
    if meeting.status != MeetingStatus.OPEN or not meeting.ballot_open:
        raise DomainError(_("No ballot round is open."))
    number = meeting.ballot_round
    members_total = meeting.council.members.count()
    items = pending_items(meeting).select_related("nomination__title", "nomination__award_form")
    items = items.annotate(
        yes=Count("ballots", filter=Q(ballots__round=number, ballots__approve=True)),
        no=Count("ballots", filter=Q(ballots__round=number, ballots__approve=False)),
    )
    for item in items:
        _count_item(item, number, members_total, actor)
    meeting.ballot_open = False
    meeting.version += 1
    return save_as(meeting, actor, reason=_("Ballot round %(round)d counted") % {"round": number})


def _count_item(item, number, members_total, actor):
    setattr(item, f"yes_round{number}", item.yes)
    setattr(item, f"no_round{number}", item.no)
    item.members_total = members_total
    item.votes_needed = item.nomination.entry.votes_needed(members_total)
    if item.yes >= item.votes_needed:
        item.result = ItemResult.PASSED
    elif number >= MAX_ROUNDS:
        item.result = ItemResult.NOT_PASSED
    save_as(item, actor)
    if item.result != ItemResult.PENDING:
        status = NominationStatus.PASSED if item.result == ItemResult.PASSED else NominationStatus.NOT_PASSED
        nomination = Nomination.objects.select_for_update().get(pk=item.nomination_id)
        set_nomination_status(nomination, status, actor, _("Council ballot round %(round)d") % {"round": number})


def tally_text(item):
    """One line for the nomination's timeline: each round's votes, the threshold, the result."""
    rounds = []
    for number in range(1, MAX_ROUNDS + 1):
        yes, no = item.tally(number)
        if yes is not None:
            rounds.append(
                _("round %(round)d: %(yes)d agree, %(no)d disagree") % {"round": number, "yes": yes, "no": no}
            )
    return _("%(rounds)s; %(needed)d of %(total)d members needed: %(result)s.") % {
        "rounds": "; ".join(rounds),
        "needed": item.votes_needed,
        "total": item.members_total,
        "result": item.get_result_display(),
    }


@transaction.atomic
def close_meeting(meeting, *, actor) -> Meeting:
    """Close the meeting: nominees still undecided have not passed; each nomination's timeline
    gets the council's result."""
    meeting = lock_current(Meeting, meeting, None)
    council = meeting.council
    _require_secretary(actor, council)
    if meeting.status != MeetingStatus.OPEN:
        raise DomainError(_("Only a meeting in session can be closed."))
    if meeting.ballot_open:
        raise DomainError(_("Count ballot round %(round)d first.") % {"round": meeting.ballot_round})
    if meeting.ballot_round == 0:
        raise DomainError(_("Hold at least one ballot round before closing the meeting."))
    for item in pending_items(meeting):
        # Round 1 counted every item, so its threshold is already stored.
        item.result = ItemResult.NOT_PASSED
        save_as(item, actor)
        nomination = Nomination.objects.select_for_update().get(pk=item.nomination_id)
        set_nomination_status(nomination, NominationStatus.NOT_PASSED, actor, _("Council meeting closed"))
    NominationEvent.objects.bulk_create(
        NominationEvent(
            nomination_id=item.nomination_id,
            action=NominationEvent.Action.VOTED,
            unit=council.organization,
            actor=actor,
            note=tally_text(item),
        )
        for item in meeting.items.all()
    )
    meeting.status = MeetingStatus.CLOSED
    meeting.closed_at = timezone.now()
    meeting.version += 1
    return save_as(meeting, actor, reason=_("Closed"))


# --- reading ----------------------------------------------------------------------------------------


def meeting_progress(meeting):
    """How many present members have handed in a ballot in the open round (not how they voted)."""
    if not meeting.ballot_open:
        return None
    voted = Ballot.objects.filter(item__meeting=meeting, round=meeting.ballot_round).values("member").distinct().count()
    return {"voted": voted, "present": meeting.present.count()}


def open_meetings_for(user):
    """Meetings in session where ``user`` sits as a present member (the 'my council work' list)."""
    return (
        Meeting.objects.filter(status=MeetingStatus.OPEN, present__user=user)
        .select_related("council__organization")
        .distinct()
    )


def items_by_entry(items):
    """Agenda items grouped by title or award form, in catalogue order: [(entry, [items])]."""
    groups = {}
    for item in items:
        nomination = getattr(item, "nomination", item)
        groups.setdefault(nomination.entry, []).append(item)
    return list(groups.items())


# --- minutes (biên bản họp) -----------------------------------------------------------------------


# Printed in the minutes whatever the reader's language: official documents are Vietnamese.
ROLE_TEXT = {
    CouncilRole.CHAIR: "Chủ tịch Hội đồng",
    CouncilRole.VICE_CHAIR: "Phó Chủ tịch Hội đồng",
    CouncilRole.SECRETARY: "Thư ký",
    CouncilRole.MEMBER: "Ủy viên",
}
RESULT_TEXT = {ItemResult.PASSED: "Đạt", ItemResult.NOT_PASSED: "Không đạt", ItemResult.PENDING: "Chưa biểu quyết"}


def _clock(moment):
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{local:%H} giờ {local:%M} phút"


def _minutes_row(item):
    nomination = item.nomination
    if nomination.person_id:
        name, unit = nomination.person.full_name, nomination.person.organization.name
    else:
        name, unit = nomination.organization.name, nomination.nominator.name
    counts = {}
    for number in range(1, MAX_ROUNDS + 1):
        yes, no = item.tally(number)
        counts[f"yes{number}"] = "" if yes is None else yes
        counts[f"no{number}"] = "" if no is None else no
    return {
        "name": name,
        "unit": unit,
        "entry": nomination.entry.name,
        "needed": item.votes_needed,
        "total": item.members_total,
        "result": RESULT_TEXT[item.result],
        **counts,
    }


def minutes_context(meeting):
    """What templates/documents/minutes.html prints about a closed meeting."""
    council = meeting.council
    unit = council.organization
    issuer = Issuer.objects.usable_by(unit).filter(organization=unit).first() or Issuer(
        managed_by=unit, **default_issuer_values(unit)
    )
    members = list(council.members.select_related("user").order_by("pk"))
    for member in members:
        member.role_text = ROLE_TEXT[member.role]
    present_ids = set(meeting.present.values_list("pk", flat=True))
    present = [member for member in members if member.pk in present_ids]
    items = meeting.items.select_related(
        "nomination__person__organization",
        "nomination__organization",
        "nomination__nominator",
        "nomination__title",
        "nomination__award_form",
    ).order_by("pk")
    rows = [_minutes_row(item) for item in items]
    passed = sum(1 for row in rows if row["result"] == RESULT_TEXT[ItemResult.PASSED])
    held_on = meeting.held_on
    month = f"{held_on.month:02d}" if held_on.month < 3 else str(held_on.month)
    return {
        "doc": official_context(
            issuer=issuer,
            doc_type_code="bien-ban",
            number=None,
            issued_on=held_on,
            year=held_on.year,
            subject=f"Họp Hội đồng Thi đua – Khen thưởng xét khen thưởng năm {council.year}",
        ),
        "meeting": meeting,
        "council": council,
        "unit_name": unit.name,
        "members": members,
        "present": present,
        "absent": [member for member in members if member.pk not in present_ids],
        "quorum": council.quorum(),
        "quorum_met": len(present) >= council.quorum(),
        "chair": next((member for member in members if member.role == CouncilRole.CHAIR), None),
        "secretary": next((member for member in members if member.role == CouncilRole.SECRETARY), None),
        "rows": rows,
        "rounds": meeting.ballot_round,
        "passed": passed,
        "not_passed": len(rows) - passed,
        "date_text": f"ngày {held_on.day:02d} tháng {month} năm {held_on.year}",
        "opened_text": _clock(meeting.opened_at),
        "closed_text": _clock(meeting.closed_at),
    }


def minutes_filename(meeting):
    return f"bien-ban-hop-hdtdkt-{meeting.held_on:%Y-%m-%d}-{meeting.pk}.pdf"


def generate_minutes(meeting):
    """The minutes of a closed meeting as a PDF: (filename, content type, bytes)."""
    if meeting.status != MeetingStatus.CLOSED:
        raise DomainError(_("The minutes are drawn up once the meeting is closed."))
    html = render_to_string("documents/minutes.html", minutes_context(meeting))
    return minutes_filename(meeting), "application/pdf", html_to_pdf(html)
