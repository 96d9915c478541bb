"""People of a unit and what they (and units) earned and how they did, year by year.

The eligibility rules read this history, so every write is checked here: a year that
makes sense, a title given to the kind of nominee it is for, no second rating for the
same year. Entering belongs to whoever may nominate for the unit (Cap.NOMINATE).
"""

import re

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import (
    Absence,
    Discipline,
    Honour,
    HonourSource,
    Rating,
    RatingKind,
    Scope,
    Title,
)
from core.audit import delete_as, save_as
from core.exceptions import DomainError
from core.text import clean, fold
from initiatives.models import Initiative
from organizations.access import Cap, can
from organizations.models import Person

PERSON_FIELDS = ("full_name", "gender", "birth_year", "position", "joined_on", "left_on")
FIRST_YEAR = 1945  # the union's awards start with the Republic
OLDEST_AGE, YOUNGEST_AGE = 100, 14


def unit_of(nominee):
    """The unit whose users answer for ``nominee`` (a person's unit, or the unit itself)."""
    return nominee.organization if isinstance(nominee, Person) else nominee


def nominee_filter(nominee):
    return {"person": nominee} if isinstance(nominee, Person) else {"organization": nominee}


def can_enter(user, nominee):
    return can(user, Cap.NOMINATE, unit_of(nominee))


def _require_enter(actor, nominee):
    if not can_enter(actor, nominee):
        raise DomainError(_("You cannot enter the records of “%(unit)s”.") % {"unit": unit_of(nominee)})


def check_year(year, field="year"):
    this_year = timezone.localdate().year
    if year is None or not FIRST_YEAR <= year <= this_year:
        raise DomainError(
            _("The year must be between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": this_year},
            field=field,
        )
    return year


# People ----------------------------------------------------------------------


def _apply_person(person, data):
    for name in PERSON_FIELDS:
        if name in data:
            setattr(person, name, data[name])
    person.full_name = clean(person.full_name)
    person.position = clean(person.position)
    if not person.full_name:
        raise DomainError(_("Enter the full name."), field="full_name")
    this_year = timezone.localdate().year
    if person.birth_year is not None and not this_year - OLDEST_AGE <= person.birth_year <= this_year - YOUNGEST_AGE:
        raise DomainError(
            _("The year of birth must be between %(first)s and %(last)s.")
            % {"first": this_year - OLDEST_AGE, "last": this_year - YOUNGEST_AGE},
            field="birth_year",
        )
    if person.joined_on and person.left_on and person.left_on < person.joined_on:
        raise DomainError(_("The date of leaving is before the date of joining."), field="left_on")
    # Whether someone is still in the unit follows from the date they left.
    person.is_active = person.left_on is None or person.left_on > timezone.localdate()


@transaction.atomic
def create_person(unit, *, actor, data):
    """Add a member or worker to ``unit``; people need no user account."""
    _require_enter(actor, unit)
    if not unit.is_active:
        raise DomainError(_("“%(unit)s” has ended; people cannot be added to it.") % {"unit": unit})
    person = Person(organization=unit)
    _apply_person(person, data)
    return save_as(person, actor, reason=_("Person added"))


@transaction.atomic
def update_person(person, *, actor, data):
    """Correct a person's details, or record that they left the unit."""
    _require_enter(actor, person.organization)
    current = Person.objects.select_for_update().get(pk=person.pk)
    _apply_person(current, data)
    return save_as(current, actor, reason=_("Person edited"))


# Ratings, discipline, absences ------------------------------------------------


@transaction.atomic
def record_rating(nominee, *, actor, data):
    """A yearly rating (duty completion or union grading) of a person or a unit."""
    _require_enter(actor, nominee)
    year, kind = check_year(data["year"]), data.get("kind") or RatingKind.DUTY
    if Rating.objects.filter(year=year, kind=kind, **nominee_filter(nominee)).exists():
        raise DomainError(
            _("%(nominee)s already has a rating of this kind for %(year)s.") % {"nominee": nominee, "year": year},
            field="year",
        )
    rating = Rating(year=year, kind=kind, level=data["level"], **nominee_filter(nominee))
    try:
        with transaction.atomic():
            return save_as(rating, actor, reason=_("Rating entered"))
    except IntegrityError:  # entered by someone else at the same moment
        raise DomainError(_("This rating was just entered by someone else."), field="year") from None


@transaction.atomic
def record_discipline(person, *, actor, data):
    """A disciplinary measure taken against a person in a year."""
    _require_enter(actor, person)
    year = check_year(data["year"])
    decided_on = data.get("decided_on")
    _check_decision_date(decided_on, year)
    discipline = Discipline(
        person=person, year=year, level=data["level"], decided_on=decided_on, note=clean(data.get("note"))
    )
    return save_as(discipline, actor, reason=_("Discipline entered"))


@transaction.atomic
def record_absence(person, *, actor, data):
    """Working days a person was away in a year, with the reason (maternity counts as work)."""
    _require_enter(actor, person)
    year = check_year(data["year"])
    days = data.get("days")
    if days is None or not 1 <= days <= 366:
        raise DomainError(_("The number of days must be between 1 and 366."), field="days")
    if Absence.objects.filter(person=person, year=year, reason=data["reason"]).exists():
        raise DomainError(
            _("An absence for this reason is already recorded for %(year)s; correct that one.") % {"year": year},
            field="reason",
        )
    absence = Absence(person=person, year=year, days=days, reason=data["reason"])
    return save_as(absence, actor, reason=_("Absence entered"))


def _check_decision_date(decided_on, year):
    if decided_on is None:
        return
    if decided_on > timezone.localdate():
        raise DomainError(_("The decision date is in the future."), field="decided_on")
    if decided_on.year < year:
        raise DomainError(_("The decision is dated before the year it is about."), field="decided_on")


# Honours ---------------------------------------------------------------------


def check_scope(entry, nominee):
    """Refuse an individual title for a unit, or a collective one for a person."""
    if isinstance(nominee, Person):
        if entry.scope in (Scope.INDIVIDUAL, Scope.HOUSEHOLD):
            return
        message = _("“%(entry)s” is for collectives, not for a person.")
    elif entry.scope == Scope.COLLECTIVE:
        return
    elif entry.scope == Scope.HOUSEHOLD:
        message = _("“%(entry)s” is for households, not for a unit.")
    else:
        message = _("“%(entry)s” is for individuals, not for a unit.")
    raise DomainError(message % {"entry": entry}, field="entry")


@transaction.atomic
def record_honour(nominee, *, actor, data, source=HonourSource.MANUAL):
    """A title or award ``nominee`` received outside the portal (by hand or imported)."""
    _require_enter(actor, nominee)
    entry, year = data["entry"], check_year(data["year"])
    check_scope(entry, nominee)
    _check_decision_date(data.get("decided_on"), year)
    entry_field = "title" if isinstance(entry, Title) else "award_form"
    twin = Honour.objects.standing().filter(year=year, **{entry_field: entry}, **nominee_filter(nominee))
    if twin.exists():
        raise DomainError(
            _("%(nominee)s already has “%(entry)s” for %(year)s.") % {"nominee": nominee, "entry": entry, "year": year},
            field="entry",
        )
    honour = Honour(
        year=year,
        award_kind=data.get("award_kind") or Honour._meta.get_field("award_kind").default,
        decision_number=clean(data.get("decision_number")),
        decided_on=data.get("decided_on"),
        issuer_name=clean(data.get("issuer_name")),
        source=source,
        created_by=actor,
        **{entry_field: entry},
        **nominee_filter(nominee),
    )
    return save_as(honour, actor, reason=_("Imported") if source == HonourSource.IMPORT else _("Entered by hand"))


# Removing what was entered by mistake -------------------------------------------


@transaction.atomic
def delete_record(record, *, actor):
    """Remove a rating, discipline, absence or honour entered by mistake.

    Honours written by a decision of the portal stay: they are revoked, not removed.
    """
    nominee = record.person if record.person_id else record.organization
    _require_enter(actor, nominee)
    if isinstance(record, Honour) and record.source == HonourSource.DECISION:
        raise DomainError(_("An award decided in the portal cannot be removed; it can only be revoked."))
    delete_as(record, actor, reason=_("Removed as entered by mistake"))


# Reading ---------------------------------------------------------------------


def _author_pattern(full_name):
    # Whole words only: "Nguyễn Văn A" must not match "Nguyễn Văn An".
    return re.compile(rf"(?<!\w){re.escape(fold(full_name))}(?!\w)")


def initiatives_of(person):
    """Recognised initiatives of the person's unit that name the person among their authors."""
    name = fold(person.full_name)
    if not name:
        return []
    pattern = _author_pattern(person.full_name)
    candidates = Initiative.objects.filter(organization=person.organization, search_text__contains=name)
    return [i for i in candidates if pattern.search(fold(i.authors))]


def person_history(person):
    """Everything the person earned and how they did, newest year first."""
    entries = ("title", "award_form")
    return {
        "honours": Honour.objects.filter(person=person).select_related(*entries, "decision"),
        "ratings": Rating.objects.filter(person=person).order_by("-year", "kind"),
        "disciplines": Discipline.objects.filter(person=person).order_by("-year", "pk"),
        "absences": Absence.objects.filter(person=person).order_by("-year", "reason"),
        "initiatives": initiatives_of(person),
    }


def unit_history(unit):
    """What the unit earned as a collective, its ratings and its recognised initiatives."""
    return {
        "honours": Honour.objects.filter(organization=unit).select_related("title", "award_form", "decision"),
        "ratings": Rating.objects.filter(organization=unit).order_by("-year", "kind"),
        "initiatives": Initiative.objects.filter(organization=unit).order_by("-recognized_on", "title"),
    }
