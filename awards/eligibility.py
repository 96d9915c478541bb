"""Checking a nominee against the criteria of a title or award form, from the portal's data.

Each criterion in force at the end of the achievement's year gives pass, fail or unknown,
with the reason in words and the legal basis. Unknown means the data to decide is missing
(no rating entered, the year-end report not approved) or a prerequisite is itself still
being decided (nominated for LĐTT in the same year). Nothing here writes.
"""

import datetime
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import (
    AbsenceReason,
    Criterion,
    Discipline,
    DisciplineLevel,
    Honour,
    Nomination,
    NominationStatus,
    Rating,
    RatingLevel,
    Rule,
    Title,
)
from campaigns.models import Round
from core.templatetags.portal import vn_number
from core.text import fold
from initiatives.models import Initiative
from organizations.models import Organization, Person
from reports.models import Registration, Report, Status, TitleAim

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"
# A nomination still on its way may yet become a title; one turned down never will.
LIVE = [s for s in NominationStatus.values if s not in ("not_passed", "rejected", "decided")]


@dataclass
class Check:
    description: str
    legal_basis: str
    status: str
    reason: str

    def as_dict(self):
        return asdict(self)


@dataclass
class Subject:
    """Who is checked, for what, and which year."""

    person: Person | None
    unit: Organization | None
    entry: object
    year: int

    @property
    def reference_day(self):
        return datetime.date(self.year, 12, 31)

    @property
    def nominee_filter(self):
        return {"person": self.person} if self.person else {"organization": self.unit}


def criteria_for(entry, year):
    """The criteria of ``entry`` in force at the end of ``year``."""
    field = "title" if isinstance(entry, Title) else "award_form"
    return Criterion.objects.filter(**{field: entry}).valid_on(datetime.date(year, 12, 31))


def check_nominee(*, entry, year, person=None, unit=None):
    """The checks of every criterion in force, in the catalogue's order."""
    subject = Subject(person, unit, entry, year)
    return [
        Check(c.description, c.legal_basis, *evaluate(c.rule, c.params, subject)) for c in criteria_for(entry, year)
    ]


def check_nomination(nomination):
    return check_nominee(
        entry=nomination.entry, year=nomination.year, person=nomination.person, unit=nomination.organization
    )


def evaluate(rule, params, subject):
    """``(status, reason)`` of one rule for the subject."""
    handler = HANDLERS.get(rule)
    if handler is None:
        return UNKNOWN, _("This kind of criterion cannot be checked from the data.")
    try:
        return handler(params or {}, subject)
    except (KeyError, TypeError, ValueError, Title.DoesNotExist):
        return UNKNOWN, _("The criterion's parameters are incomplete; ask the catalogue's keeper to correct them.")


def overall(checks):
    statuses = {c["status"] if isinstance(c, dict) else c.status for c in checks}
    if FAIL in statuses:
        return FAIL
    return UNKNOWN if UNKNOWN in statuses else PASS


# Facts -------------------------------------------------------------------------------


def _title(code):
    return Title.objects.get(code=code)


def _holds(nominee_filter, title, year):
    return Honour.objects.standing().filter(title=title, year=year, **nominee_filter).exists()


def _nominated(nominee_filter, title, year):
    return Nomination.objects.filter(title=title, year=year, status__in=LIVE, **nominee_filter).exists()


def members(unit, year):
    """People of the unit's subtree who belonged to it during ``year``."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return Person.objects.filter(organization__in=Organization.objects.subtree(unit).values("pk")).filter(
        Q(joined_on__isnull=True) | Q(joined_on__lte=end), Q(left_on__isnull=True) | Q(left_on__gte=start)
    )


def _share_text(count, total):
    percent = vn_number((Decimal(count * 100) / total).quantize(Decimal("0.1"))) if total else "0"
    return _("%(count)s of %(total)s members (%(percent)s%%)") % {"count": count, "total": total, "percent": percent}


# Rules -------------------------------------------------------------------------------


def _registered(params, s):
    """Registering for any title of the year's campaigns counts: aiming higher includes the lower."""
    sent = [Status.SUBMITTED, Status.APPROVED]
    if s.person:
        found = TitleAim.objects.filter(
            person=s.person, registration__campaign__year=s.year, registration__status__in=sent
        ).select_related("title")
        aimed = [aim.title for aim in found]
    else:
        found = Registration.objects.filter(organization=s.unit, campaign__year=s.year, status__in=sent)
        aimed = [r.collective_title for r in found.select_related("collective_title")]
    if not aimed:
        return FAIL, _("No registration for emulation in %(year)s.") % {"year": s.year}
    names = ", ".join(sorted({str(title) for title in aimed if title})) or _("no title named")
    return PASS, _("Registered for emulation in %(year)s (%(titles)s).") % {"year": s.year, "titles": names}


def _title_in_year(params, s):
    title = _title(params["title"])
    if _holds(s.nominee_filter, title, s.year):
        return PASS, _("Holds “%(title)s” for %(year)s.") % {"title": title, "year": s.year}
    if _nominated(s.nominee_filter, title, s.year):
        return UNKNOWN, _("Nominated for “%(title)s” for %(year)s; not decided yet.") % {"title": title, "year": s.year}
    return FAIL, _("Does not hold “%(title)s” for %(year)s.") % {"title": title, "year": s.year}


def _consecutive(params, s):
    title, count = _title(params["title"]), int(params["years"])
    years = range(s.year - count + 1, s.year + 1)
    held = set(
        Honour.objects.standing().filter(title=title, year__in=years, **s.nominee_filter).values_list("year", flat=True)
    )
    values = {"title": title, "count": count, "first": years[0], "last": years[-1]}
    if held == set(years):
        return PASS, _("Held “%(title)s” %(count)s years running, %(first)s–%(last)s.") % values
    missing = sorted(set(years) - held)
    if missing == [s.year] and _nominated(s.nominee_filter, title, s.year):
        return UNKNOWN, _("Held it before; %(year)s is still being decided.") % {"year": s.year}
    values["missing"] = ", ".join(str(y) for y in missing)
    return FAIL, _("Needs “%(title)s” %(count)s years running (%(first)s–%(last)s); missing %(missing)s.") % values


def _rating(params, s):
    at_least = int(params["at_least"])
    rating = Rating.objects.filter(year=s.year, kind=params.get("kind", "duty"), **s.nominee_filter).first()
    needed = RatingLevel(at_least).label
    if rating is None:
        return UNKNOWN, _("No rating entered for %(year)s (needs: %(level)s).") % {"year": s.year, "level": needed}
    values = {"year": s.year, "level": rating.get_level_display(), "needed": needed}
    if rating.level <= at_least:
        return PASS, _("Rated “%(level)s” for %(year)s.") % values
    return FAIL, _("Rated “%(level)s” for %(year)s; needs “%(needed)s”.") % values


def _initiatives(params, s):
    years = int(params.get("years", 1))
    found = Initiative.objects.filter(
        recognized_on__year__gte=s.year - years + 1,
        recognized_on__year__lte=s.year,
        recognition_level__lte=int(params.get("level", 4)),
    )
    if params.get("min_benefit"):
        found = found.filter(benefit__gte=params["min_benefit"])
    if s.unit:
        return list(found.filter(organization__in=Organization.objects.subtree(s.unit).values("pk")))
    name = fold(s.person.full_name)
    found = found.filter(organization__in=Organization.objects.subtree(s.person.organization).values("pk"))
    return [i for i in found if any(fold(line).startswith(name) for line in i.authors.splitlines())]


def _initiative(params, s):
    found = _initiatives(params, s)
    if found:
        return PASS, _("Recognised initiative: “%(title)s” (%(date)s).") % {
            "title": found[0].title,
            "date": found[0].recognized_on.strftime("%d/%m/%Y"),
        }
    return FAIL, _("No initiative recognised at that level in the period.")


def _any_of(params, s):
    results = [evaluate(part["rule"], part.get("params", {}), s) for part in params["rules"]]
    reasons = " ".join(reason for _status, reason in results)
    statuses = {status for status, _reason in results}
    if PASS in statuses:
        return PASS, reasons
    return (UNKNOWN if UNKNOWN in statuses else FAIL), reasons


def _member_share_title(params, s):
    title, percent = _title(params["title"]), int(params["percent"])
    people = members(s.unit, s.year)
    total = people.count()
    if not total:
        return UNKNOWN, _("No members of the unit are recorded for %(year)s.") % {"year": s.year}
    holders = Honour.objects.standing().filter(title=title, year=s.year, person__in=people)
    held = holders.values("person").distinct().count()
    text = _share_text(held, total)
    values = {"share": text, "title": title, "percent": percent}
    if held * 100 >= percent * total:
        return PASS, _("%(share)s hold “%(title)s”.") % values
    hopeful = Nomination.objects.filter(title=title, year=s.year, status__in=LIVE, person__in=people)
    hopeful = hopeful.exclude(person__in=holders.values("person")).values("person").distinct().count()
    if (held + hopeful) * 100 >= percent * total:
        return UNKNOWN, _("%(share)s hold “%(title)s”; others are still being decided (needs %(percent)s%%).") % values
    return FAIL, _("%(share)s hold “%(title)s”; needs at least %(percent)s%%.") % values


def _member_share_rating(params, s):
    at_least, percent = int(params["at_least"]), int(params["percent"])
    people = members(s.unit, s.year)
    total = people.count()
    if not total:
        return UNKNOWN, _("No members of the unit are recorded for %(year)s.") % {"year": s.year}
    ratings = Rating.objects.filter(year=s.year, kind="duty", person__in=people)
    good = ratings.filter(level__lte=at_least).count()
    values = {"share": _share_text(good, total), "level": RatingLevel(at_least).label, "percent": percent}
    if good * 100 >= percent * total:
        return PASS, _("%(share)s rated “%(level)s” or better.") % values
    if (good + total - ratings.count()) * 100 >= percent * total:
        return UNKNOWN, _("%(share)s rated “%(level)s” or better; some members have no rating yet.") % values
    return FAIL, _("%(share)s rated “%(level)s” or better; needs %(percent)s%%.") % values


def _members_with_title(params, s):
    title, count = _title(params["title"]), int(params.get("count", 1))
    people = members(s.unit, s.year)
    held = Honour.objects.standing().filter(title=title, year=s.year, person__in=people)
    values = {"held": held.values("person").distinct().count(), "title": title, "count": count}
    if values["held"] >= count:
        return PASS, _("%(held)s member(s) hold “%(title)s”.") % values
    if Nomination.objects.filter(title=title, year=s.year, status__in=LIVE, person__in=people).exists():
        return UNKNOWN, _("Members are nominated for “%(title)s”; not decided yet.") % values
    return FAIL, _("%(held)s member(s) hold “%(title)s”; needs %(count)s.") % values


def _no_discipline(params, s):
    level = int(params["at_least"])
    people = [s.person] if s.person else members(s.unit, s.year)
    found = Discipline.objects.filter(year=s.year, level__gte=level, person__in=people).select_related("person")
    values = {"level": DisciplineLevel(level).label, "year": s.year}
    first = found.first()
    if first is None:
        return PASS, _("Nobody disciplined at “%(level)s” or above in %(year)s.") % values
    values.update(name=first.person.full_name, given=first.get_level_display())
    return FAIL, _("%(name)s was disciplined (%(given)s) in %(year)s.") % values


def _absence(params, s):
    limit = int(params["max_days"])
    days = (
        s.person.absences.filter(year=s.year)
        .exclude(reason=AbsenceReason.MATERNITY)
        .aggregate(days=Sum("days"))["days"]
        or 0
    )
    values = {"days": days, "limit": limit}
    if days >= limit:
        return FAIL, _("Away %(days)s working days (limit: under %(limit)s, maternity leave excepted).") % values
    return PASS, _("Away %(days)s working days, maternity leave excepted.") % values


def _tenure(params, s):
    months = int(params["months"])
    joined = s.person.joined_on
    if joined is None:
        return UNKNOWN, _("The date the person joined the unit is not recorded.")
    end = min(s.person.left_on or s.reference_day, s.reference_day)
    worked = (end.year - joined.year) * 12 + end.month - joined.month + (1 if end.day >= joined.day else 0)
    values = {"worked": max(worked, 0), "months": months, "date": joined.strftime("%d/%m/%Y")}
    if worked >= months:
        return PASS, _("Joined on %(date)s: %(worked)s months by the year's end.") % values
    return FAIL, _("Joined on %(date)s: %(worked)s months by the year's end; needs %(months)s.") % values


def _pledge_met(pledge, value, percent):
    target = pledge.target
    if target.kind == "percentage":
        if not value.denominator:
            return False
        return value.numerator * 100 / value.denominator * 100 >= pledge.value * percent
    if target.kind in ("count", "money"):
        return value.value is not None and value.value * 100 >= pledge.value * percent
    return bool(value.achieved)


def _campaign_results(params, s):
    percent = Decimal(params.get("percent", 100))
    registrations = Registration.objects.filter(organization=s.unit, campaign__year=s.year, status=Status.APPROVED)
    if not registrations.exists():
        return UNKNOWN, _("No approved registration for %(year)s to compare with.") % {"year": s.year}
    missed = []
    for registration in registrations:
        final = Report.objects.filter(
            organization=s.unit, campaign=registration.campaign, round__isnull=True, status=Status.APPROVED
        ).first()
        if final is None:
            return UNKNOWN, _("The year-end report (tổng kết) of “%(plan)s” is not approved yet.") % {
                "plan": registration.campaign
            }
        values = {v.target_id: v for v in final.values.all()}
        for pledge in registration.pledges.exclude(value__isnull=True).select_related("target"):
            value = values.get(pledge.target_id)
            if value is None or not _pledge_met(pledge, value, percent):
                missed.append(pledge.target.code)
    if missed:
        return FAIL, _("Pledges not met: %(codes)s.") % {"codes": ", ".join(missed)}
    return PASS, _("Every pledge met in the approved year-end reports.")


def _reports_complete(params, s):
    registrations = Registration.objects.filter(organization=s.unit, campaign__year=s.year, status=Status.APPROVED)
    if not registrations.exists():
        return UNKNOWN, _("No approved registration for %(year)s.") % {"year": s.year}
    # Rounds still running cannot be owed yet.
    last_due = min(s.reference_day, timezone.localdate())
    due = Round.objects.filter(campaign__in=registrations.values("campaign"), end__lte=last_due)
    approved = set(
        Report.objects.filter(organization=s.unit, round__in=due, status=Status.APPROVED).values_list(
            "round_id", flat=True
        )
    )
    missing = [str(r) for r in due if r.pk not in approved]
    if missing:
        return FAIL, _("No approved report for: %(rounds)s.") % {"rounds": "; ".join(missing)}
    return PASS, _("Every round's report approved (%(count)s).") % {"count": len(approved)}


HANDLERS = {
    Rule.REGISTERED: _registered,
    Rule.TITLE_IN_YEAR: _title_in_year,
    Rule.CONSECUTIVE: _consecutive,
    Rule.RATING: _rating,
    Rule.INITIATIVE: _initiative,
    Rule.ANY_OF: _any_of,
    Rule.MEMBER_SHARE_TITLE: _member_share_title,
    Rule.MEMBER_SHARE_RATING: _member_share_rating,
    Rule.MEMBERS_WITH_TITLE: _members_with_title,
    Rule.NO_DISCIPLINE: _no_discipline,
    Rule.ABSENCE: _absence,
    Rule.TENURE: _tenure,
    Rule.CAMPAIGN_RESULTS: _campaign_results,
    Rule.REPORTS_COMPLETE: _reports_complete,
}
