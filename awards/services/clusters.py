"""Cluster covenants (giao ước thi đua), their scoring, the ranking and the acclaim (suy tôn).

The cluster's organizer drafts a covenant for a year with its scoring table, signs it to open
scoring and closes it to end scoring. Each member unit of that year scores itself, then every
other member. A unit's final score is the mean of the cross scores it received (its own score
when nobody scored it). After scoring, the organizer opens a secret ballot; closing it
acclaims the leaders and proposes them for the organizer's emulation flag (Cờ thi đua).

Who may act: managing a covenant or a ballot is ``Cap.MANAGE_CLUSTERS`` on the organizer;
scoring for a unit is ``Cap.REVIEW_AWARDS`` or ``Cap.MANAGE_AWARDS`` on it; casting a unit's
ballot needs such a role held on the unit itself (see ``can_vote_for``).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import (
    Acclaim,
    AcclaimStatus,
    AcclaimTally,
    AcclaimVoter,
    AwardKind,
    Covenant,
    CovenantStatus,
    ItemKind,
    Nomination,
    Score,
    Scorecard,
    ScoringItem,
    Title,
)
from awards.services import nominations
from core.audit import delete_as, save_as
from core.concurrency import lock_current
from core.exceptions import DomainError
from core.numbers import plain
from organizations.access import Cap, can, roles_granting
from organizations.models import ClusterMember, ClusterRole, Level, Membership, Organization

SCORING_CAPS = (Cap.REVIEW_AWARDS, Cap.MANAGE_AWARDS)
ONE_DECIMAL = Decimal("0.1")
TWO_DECIMALS = Decimal("0.01")
# Flags proposed for acclaimed leaders: the Tổng Liên đoàn's own, or a provincial federation's.
CENTRAL_FLAG, PROVINCE_FLAG = "co-tld", "co-ldld"
DEFAULT_CANDIDATES = 3


# Who may do what ---------------------------------------------------------------


def can_manage_covenant(user, cluster) -> bool:
    """Covenants and ballots are run by the cluster's organizer."""
    return can(user, Cap.MANAGE_CLUSTERS, cluster.organizer)


def can_act_for(user, unit) -> bool:
    """Whether ``user`` may score on behalf of ``unit``."""
    return any(can(user, capability, unit) for capability in SCORING_CAPS)


def can_vote_for(user, unit) -> bool:
    """Whether ``user`` may cast ``unit``'s ballot: a reviewing or managing role held on the
    unit itself. A role inherited from above is not enough, or the organizer's staff, who
    reach every member, could cast every member's ballot."""
    if not user.is_authenticated or not user.is_active:
        return False
    roles = {role for capability in SCORING_CAPS for role in roles_granting(capability)}
    return Membership.objects.filter(user=user, organization=unit, role__in=roles).exists()


def member_units(covenant):
    """The cluster's member units in the covenant's year, by name."""
    return Organization.objects.filter(
        cluster_memberships__cluster=covenant.cluster_id, cluster_memberships__year=covenant.year
    ).order_by("name")


def _member_ids(covenant):
    return set(
        ClusterMember.objects.filter(cluster=covenant.cluster_id, year=covenant.year).values_list(
            "organization_id", flat=True
        )
    )


def _require_manage(actor, cluster):
    if not can_manage_covenant(actor, cluster):
        raise DomainError(_("Only the organizer of “%(cluster)s” can do this.") % {"cluster": cluster})


def _require_status(covenant, status, message):
    if covenant.status != status:
        raise DomainError(message)


# Covenants ---------------------------------------------------------------------


def default_name(cluster, year):
    return f"Giao ước thi đua {cluster.name} năm {year}"


@transaction.atomic
def create_covenant(cluster, *, actor, year: int, name: str = "", copy_from: Covenant | None = None) -> Covenant:
    """Draft the covenant of ``cluster`` for ``year``, with the scoring table of ``copy_from``
    (an earlier covenant of the same cluster) when given: clusters reuse their table."""
    _require_manage(actor, cluster)
    if Covenant.objects.filter(cluster=cluster, year=year).exists():
        raise DomainError(_("The cluster already has a covenant for %(year)s.") % {"year": year}, field="year")
    if copy_from is not None and copy_from.cluster_id != cluster.pk:
        raise DomainError(_("Only a covenant of the same cluster can be copied."), field="copy_from")
    covenant = save_as(
        Covenant(cluster=cluster, year=year, name=name.strip() or default_name(cluster, year)),
        actor,
        reason=_("Drafted"),
    )
    if copy_from is not None:
        ScoringItem.objects.bulk_create(
            ScoringItem(covenant=covenant, order=item.order, name=item.name, kind=item.kind, max_points=item.max_points)
            for item in copy_from.items.all()
        )
    return covenant


def _clean_items(items):
    """Validate the rows of a scoring table; rows are dicts of name, kind and max_points."""
    for position, item in enumerate(items, start=1):
        if not (item.get("name") or "").strip():
            raise DomainError(_("Row %(row)s: name the criterion.") % {"row": position})
        if item.get("kind") not in ItemKind.values:
            raise DomainError(_("Row %(row)s: choose a kind.") % {"row": position})
        points = item.get("max_points")
        if points is None or points <= 0 or points != points.quantize(ONE_DECIMAL):
            raise DomainError(
                _("Row %(row)s: the maximum must be a positive number with at most one decimal.") % {"row": position}
            )


@transaction.atomic
def update_covenant(covenant, *, actor, year: int, name: str, items: list[dict], expected_version) -> Covenant:
    """Save a draft covenant's year, name and scoring table.

    ``items`` lists the table in order, each a dict with ``name``, ``kind``, ``max_points``
    and the ``id`` of the row it changes (None for a new row); rows not listed are removed.
    """
    current = lock_current(Covenant, covenant, expected_version)
    _require_manage(actor, current.cluster)
    _require_status(current, CovenantStatus.DRAFT, _("Only a draft covenant can be edited."))
    if Covenant.objects.filter(cluster=current.cluster_id, year=year).exclude(pk=current.pk).exists():
        raise DomainError(_("The cluster already has a covenant for %(year)s.") % {"year": year}, field="year")
    _clean_items(items)
    existing = {item.pk: item for item in current.items.all()}
    kept = {item["id"] for item in items if item.get("id")}
    if kept - existing.keys():
        raise DomainError(_("The table was changed elsewhere; open it again."))
    ScoringItem.objects.filter(covenant=current).exclude(pk__in=kept).delete()
    for order, data in enumerate(items, start=1):
        row = existing.get(data.get("id")) or ScoringItem(covenant=current)
        row.order, row.name, row.kind, row.max_points = order, data["name"].strip(), data["kind"], data["max_points"]
        row.save()
    current.year, current.name = year, name.strip() or default_name(current.cluster, year)
    current.version += 1
    return save_as(current, actor, reason=_("Edited"))


@transaction.atomic
def delete_covenant(covenant, *, actor) -> None:
    """Remove a draft covenant (one drafted for the wrong year, say)."""
    current = lock_current(Covenant, covenant, None)
    _require_manage(actor, current.cluster)
    _require_status(current, CovenantStatus.DRAFT, _("Only a draft covenant can be removed."))
    delete_as(current, actor)


@transaction.atomic
def sign_covenant(covenant, *, actor, signed_on, expected_version=None) -> Covenant:
    """Record the signing (ký kết giao ước): the table is fixed and scoring opens."""
    current = lock_current(Covenant, covenant, expected_version)
    _require_manage(actor, current.cluster)
    _require_status(current, CovenantStatus.DRAFT, _("The covenant is already signed."))
    if not current.items.filter(kind=ItemKind.CRITERION).exists():
        raise DomainError(_("Add at least one criterion to the scoring table before signing."))
    if len(_member_ids(current)) < 2:
        raise DomainError(
            _("The cluster needs at least two member units in %(year)s to score each other.") % {"year": current.year}
        )
    current.status, current.signed_on = CovenantStatus.SIGNED, signed_on
    current.version += 1
    return save_as(current, actor, reason=_("Signed; scoring opened"))


@transaction.atomic
def close_covenant(covenant, *, actor) -> Covenant:
    """End scoring; the ranking is final and an acclaim can be opened."""
    current = lock_current(Covenant, covenant, None)
    _require_manage(actor, current.cluster)
    _require_status(current, CovenantStatus.SIGNED, _("Only a covenant open for scoring can be closed."))
    current.status = CovenantStatus.CLOSED
    current.version += 1
    return save_as(current, actor, reason=_("Scoring closed"))


@transaction.atomic
def reopen_covenant(covenant, *, actor) -> Covenant:
    """Open scoring again for late or corrected cards, as long as no acclaim has started."""
    current = lock_current(Covenant, covenant, None)
    _require_manage(actor, current.cluster)
    _require_status(current, CovenantStatus.CLOSED, _("Only a closed covenant can be reopened."))
    if Acclaim.objects.filter(covenant=current).exists():
        raise DomainError(_("The acclaim has started; scoring cannot reopen."))
    current.status = CovenantStatus.SIGNED
    current.version += 1
    return save_as(current, actor, reason=_("Scoring reopened"))


# Scoring -----------------------------------------------------------------------


def item_field(item):
    """The form field (and error field) of one scoring item."""
    return f"item_{item.pk}"


def _clean_points(items, points):
    if set(points) - {item.pk for item in items}:
        raise DomainError(_("The scoring table changed; open the card again."))
    for item in items:
        value = points.get(item.pk)
        if value is None:
            raise DomainError(_("Give points for every criterion."), field=item_field(item))
        if value < 0 or value > item.max_points:
            raise DomainError(
                _("Between 0 and %(max)s points.") % {"max": plain(item.max_points)}, field=item_field(item)
            )
        if value != value.quantize(ONE_DECIMAL):
            raise DomainError(_("At most one decimal."), field=item_field(item))


def card_total(items, points) -> Decimal:
    """Criteria and bonuses add up; penalties, entered as positive numbers, are subtracted."""
    return sum((item.sign * points[item.pk] for item in items), Decimal("0"))


@transaction.atomic
def save_scorecard(covenant, *, scorer, unit, actor, points: dict) -> Scorecard:
    """Save the points ``scorer`` gives ``unit`` (``points`` maps item ids to decimals).

    A unit scores itself first, then the others; sending a card again replaces it while
    scoring is open. Nothing is saved unless every point is within its item's range.
    """
    # Locking the covenant keeps a card from slipping in while scoring closes.
    current = Covenant.objects.select_for_update().get(pk=covenant.pk)
    _require_status(current, CovenantStatus.SIGNED, _("Scoring is not open for this covenant."))
    members = _member_ids(current)
    if scorer.pk not in members or unit.pk not in members:
        raise DomainError(_("Both units must be members of the cluster in %(year)s.") % {"year": current.year})
    if not can_act_for(actor, scorer):
        raise DomainError(_("You cannot score on behalf of “%(unit)s”.") % {"unit": scorer})
    if scorer.pk != unit.pk and not Scorecard.objects.filter(covenant=current, unit=scorer, scorer=scorer).exists():
        raise DomainError(
            _("“%(unit)s” sends its self-assessment before scoring the others.") % {"unit": scorer.display_name}
        )
    items = list(current.items.all())
    _clean_points(items, points)
    card = Scorecard.objects.filter(covenant=current, unit=unit, scorer=scorer).first() or Scorecard(
        covenant=current, unit=unit, scorer=scorer
    )
    card.total = card_total(items, points)
    card.submitted_by, card.submitted_at = actor, timezone.now()
    save_as(card, actor, reason=_("Self-assessment") if scorer.pk == unit.pk else _("Cross-scoring"))
    Score.objects.filter(scorecard=card).delete()
    Score.objects.bulk_create(Score(scorecard=card, item=item, points=points[item.pk]) for item in items)
    return card


# Ranking -----------------------------------------------------------------------


@dataclass
class RankRow:
    """One member unit's place in the ranking."""

    unit: Organization
    role: str
    self_total: Decimal | None = None
    cross_totals: list = field(default_factory=list)
    rank: int | None = None

    @property
    def role_label(self) -> str:
        return ClusterRole(self.role).label

    @property
    def cross_count(self) -> int:
        return len(self.cross_totals)

    @property
    def cross_mean(self) -> Decimal | None:
        if not self.cross_totals:
            return None
        mean = sum(self.cross_totals, Decimal("0")) / len(self.cross_totals)
        return mean.quantize(TWO_DECIMALS, rounding=ROUND_HALF_UP)

    @property
    def final(self) -> Decimal | None:
        """The mean of the cross scores; the unit's own score only when nobody scored it."""
        mean = self.cross_mean
        return mean if mean is not None else self.self_total


def _members(covenant):
    return list(
        ClusterMember.objects.filter(cluster=covenant.cluster_id, year=covenant.year)
        .select_related("organization")
        .order_by("organization__name")
    )


def _cards(covenant, member_ids):
    return Scorecard.objects.filter(covenant=covenant, unit__in=member_ids, scorer__in=member_ids).values_list(
        "unit_id", "scorer_id", "total"
    )


def ranking(covenant) -> list[RankRow]:
    """Member units from the best final score down; equal scores share a rank (1, 2, 2, 4)
    and units nobody scored come last without one."""
    members = _members(covenant)
    rows = {m.organization_id: RankRow(unit=m.organization, role=m.role) for m in members}
    for unit_id, scorer_id, total in _cards(covenant, rows.keys()):
        if unit_id == scorer_id:
            rows[unit_id].self_total = total
        else:
            rows[unit_id].cross_totals.append(total)
    ordered = sorted(rows.values(), key=lambda r: (r.final is None, -(r.final or 0), r.unit.name))
    for index, row in enumerate(ordered):
        if row.final is None:
            break
        previous = ordered[index - 1] if index else None
        row.rank = previous.rank if previous is not None and previous.final == row.final else index + 1
    return ordered


def missing_cards(covenant) -> list[tuple[Organization, list[Organization]]]:
    """For each member unit that still owes cards, the units it has not scored (itself first)."""
    members = [m.organization for m in _members(covenant)]
    done = {(unit_id, scorer_id) for unit_id, scorer_id, _total in _cards(covenant, [u.pk for u in members])}
    missing = []
    for scorer in members:
        owed = [unit for unit in members if (unit.pk, scorer.pk) not in done]
        owed.sort(key=lambda unit: unit.pk != scorer.pk)  # the self-assessment first
        if owed:
            missing.append((scorer, owed))
    return missing


# Acclaim (suy tôn) ---------------------------------------------------------------


def default_candidates(covenant, count=DEFAULT_CANDIDATES) -> list[Organization]:
    """The best-ranked units, offered as candidates when the ballot opens."""
    return [row.unit for row in ranking(covenant) if row.final is not None][:count]


@transaction.atomic
def open_acclaim(covenant, *, actor, seats: int, candidates) -> Acclaim:
    """Open the secret ballot on a closed covenant, for ``seats`` leaders among ``candidates``."""
    current = Covenant.objects.select_for_update().select_related("cluster__organizer").get(pk=covenant.pk)
    _require_manage(actor, current.cluster)
    _require_status(current, CovenantStatus.CLOSED, _("Close scoring before the acclaim."))
    if Acclaim.objects.filter(covenant=current).exists():
        raise DomainError(_("The acclaim of this covenant has already been opened."))
    candidates = list(candidates)
    members = _member_ids(current)
    if not candidates:
        raise DomainError(_("Choose the candidates."), field="candidates")
    if any(unit.pk not in members for unit in candidates):
        raise DomainError(_("Candidates must be member units of the year."), field="candidates")
    if seats < 1 or seats > len(candidates):
        raise DomainError(_("There must be at least as many candidates as units to acclaim."), field="seats")
    acclaim = save_as(Acclaim(covenant=current, seats=seats), actor, reason=_("Ballot opened"))
    acclaim.candidates.set(candidates)
    AcclaimTally.objects.bulk_create(AcclaimTally(acclaim=acclaim, candidate=unit) for unit in candidates)
    return acclaim


@transaction.atomic
def cast_ballot(acclaim, *, voter, actor, choices) -> None:
    """Cast ``voter``'s one ballot for up to ``seats`` of the candidates (none is a blank ballot).

    Only that the unit voted is stored, and apart from it each chosen candidate's count goes
    up by one: no row ties a voter to a choice. The acclaim and tally rows are locked, so
    ballots cast at the same moment neither lose counts nor slip in after the count.
    """
    current = Acclaim.objects.select_for_update().select_related("covenant").get(pk=acclaim.pk)
    if current.status != AcclaimStatus.OPEN:
        raise DomainError(_("Voting has ended."))
    if voter.pk not in _member_ids(current.covenant):
        raise DomainError(_("Only member units of the cluster vote."))
    if not can_vote_for(actor, voter):
        raise DomainError(_("You cannot vote on behalf of “%(unit)s”.") % {"unit": voter})
    if AcclaimVoter.objects.filter(acclaim=current, unit=voter).exists():
        raise DomainError(_("“%(unit)s” has already cast its ballot; a ballot cannot be changed.") % {"unit": voter})
    chosen = {unit.pk for unit in choices}
    if len(chosen) > current.seats:
        raise DomainError(_("Choose at most %(seats)s.") % {"seats": current.seats}, field="choices")
    tallies = list(AcclaimTally.objects.select_for_update().filter(acclaim=current, candidate__in=chosen))
    if len(tallies) != len(chosen):
        raise DomainError(_("Choose among the candidates only."), field="choices")
    try:
        with transaction.atomic():
            AcclaimVoter.objects.create(acclaim=current, unit=voter)
    except IntegrityError:
        raise DomainError(
            _("“%(unit)s” has already cast its ballot; a ballot cannot be changed.") % {"unit": voter}
        ) from None
    AcclaimTally.objects.filter(pk__in=[t.pk for t in tallies]).update(votes=F("votes") + 1)


def leaders(tallies, seats: int, voters: int) -> list:
    """The acclaimed among ``tallies`` (sorted by votes, most first).

    A leader needs votes from more than half of the units that voted, and at most ``seats``
    are acclaimed. When candidates tie at the last seat, none of the tied is acclaimed: only
    those clearly ahead of them are.
    """
    majority = [t for t in tallies if 2 * t.votes > voters]
    if len(majority) <= seats:
        return majority
    cut = majority[seats - 1].votes
    if majority[seats].votes == cut:
        return [t for t in majority if t.votes > cut]
    return majority[:seats]


@transaction.atomic
def close_acclaim(acclaim, *, actor) -> list[Nomination]:
    """Count the ballot, mark the leaders and propose each for the organizer's flag."""
    current = Acclaim.objects.select_for_update().select_related("covenant__cluster__organizer").get(pk=acclaim.pk)
    _require_manage(actor, current.covenant.cluster)
    if current.status != AcclaimStatus.OPEN:
        raise DomainError(_("The votes have already been counted."))
    voters = current.voters.count()
    if not voters:
        raise DomainError(_("No unit has voted yet."))
    tallies = list(current.tallies.select_related("candidate").order_by("-votes", "candidate__name"))
    acclaimed = leaders(tallies, current.seats, voters)
    AcclaimTally.objects.filter(pk__in=[t.pk for t in acclaimed]).update(acclaimed=True)
    current.status, current.closed_at = AcclaimStatus.CLOSED, timezone.now()
    save_as(current, actor, reason=_("Votes counted"))
    return [propose_flag(current, tally.candidate, actor=actor) for tally in acclaimed]


# Proposing the leaders for the flag ---------------------------------------------------


def flag_title(organizer) -> Title:
    """The Tổng Liên đoàn's flag for its own clusters, the provincial federation's otherwise."""
    code = CENTRAL_FLAG if organizer.level == Level.CENTRAL else PROVINCE_FLAG
    title = Title.objects.filter(code=code).first()
    if title is None:
        raise DomainError(_("The title “%(code)s” is missing from the catalogue.") % {"code": code})
    return title


def flag_summary(acclaim, unit) -> str:
    """The achievement line of the proposal, in the words of an official document."""
    covenant = acclaim.covenant
    row = next(r for r in ranking(covenant) if r.unit.pk == unit.pk)
    votes = acclaim.tallies.get(candidate=unit).votes
    score = plain(row.final) if row.final is not None else "0"
    return (
        f"Dẫn đầu {covenant.cluster.name} năm {covenant.year} với {score} điểm; "
        f"được suy tôn với {votes}/{acclaim.voters.count()} phiếu."
    )


@transaction.atomic
def propose_flag(acclaim, unit, *, actor) -> Nomination:
    """Propose the acclaimed ``unit`` for the organizer's flag, through the nominations service.

    The organizer nominates and sends it up at once: when the flag is granted at the
    organizer's own level its council decides and the nomination is ready for it; otherwise
    it waits for review at the level above. A unit already proposed for the flag that year
    keeps the nomination it has.
    """
    covenant = acclaim.covenant
    organizer = covenant.cluster.organizer
    title = flag_title(organizer)
    existing = Nomination.objects.filter(
        organization=unit, year=covenant.year, title=title, status__in=nominations.LIVE_STATES
    ).first()
    if existing is not None:
        return existing
    nomination = nominations.create_nomination(
        organizer,
        actor=actor,
        data={
            "year": covenant.year,
            "title": title,
            "award_form": None,
            "person": None,
            "organization": unit,
            "summary": flag_summary(acclaim, unit),
            "award_kind": AwardKind.MERIT,
            "campaign": None,
        },
    )
    return nominations.submit_nomination(nomination, actor=actor)


def flag_nominations(acclaim):
    """The nominations of the acclaim's leaders for the flag."""
    covenant = acclaim.covenant
    return Nomination.objects.filter(
        organization__in=acclaim.tallies.filter(acclaimed=True).values("candidate"),
        year=covenant.year,
        title__code__in=[CENTRAL_FLAG, PROVINCE_FLAG],
        status__in=nominations.LIVE_STATES,
    ).select_related("organization", "title", "holder")
