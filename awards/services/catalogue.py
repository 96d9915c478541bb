"""Writes to the catalogue: titles and award forms, their criteria, quotas and base salaries.

The catalogue is the union's law in data, so only staff of a top-level unit (the Tổng Liên
đoàn) change it; a quota belongs to its issuing unit. Criteria are never deleted: ending one
(``valid_until``) keeps the rule that applied to past years readable and checkable.

A criterion's ``params`` are checked against ``PARAMS``, one schema per ``Rule``, so a typo
in the JSON is refused with a message instead of breaking the eligibility check later.
"""

import contextlib
import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.models import (
    AwardForm,
    BaseSalary,
    Criterion,
    DisciplineLevel,
    Quota,
    RatingKind,
    RatingLevel,
    Rule,
    Title,
)
from core.audit import delete_as, save_as
from core.concurrency import lock_current
from core.exceptions import DomainError
from core.templatetags.portal import vn_number
from initiatives.models import RecognitionLevel
from organizations.access import Cap, can, reach

ENTRY_FIELDS = (
    "name",
    "scope",
    "awarding_level",
    "is_union_title",
    "coefficient",
    "vote_threshold",
    "certificate_heading",
    "legal_basis",
    "valid_from",
    "valid_until",
    "sort_order",
)
CRITERION_FIELDS = ("rule", "params", "description", "legal_basis", "valid_from", "valid_until", "sort_order")
QUOTA_FIELDS = ("year", "cap", "legal_basis")
ENTRY_MODELS = {"title": Title, "form": AwardForm}


# Access ----------------------------------------------------------------------


def can_manage_catalogue(user):
    """Staff of a top-level unit (or a superuser) keep the catalogue for everyone."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return reach(user, Cap.MANAGE_AWARDS).filter(parent__isnull=True).exists()


def _require_catalogue(actor):
    if not can_manage_catalogue(actor):
        raise DomainError(_("Only the staff of the Tổng Liên đoàn may change the catalogue."))


def _check_period(valid_from, valid_until):
    if valid_from and valid_until and valid_until < valid_from:
        raise DomainError(_("The end of validity is before its start."), field="valid_until")


# Criterion parameters ----------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """One parameter of a rule: its JSON key, how it reads, what values it takes."""

    key: str
    label: str
    kind: str  # "int", "title", "rating_kind", "rating_level", "discipline_level", "initiative_level", "rules"
    low: int | None = None
    high: int | None = None
    required: bool = True
    unit: str = ""


def _rating_level(key="at_least"):
    return Param(key, gettext_lazy("rated at least"), "rating_level", 1, 4)


def _title(label=None):
    return Param("title", label or gettext_lazy("title"), "title")


def _percent(low=1, high=100):
    return Param("percent", gettext_lazy("share"), "int", low, high, unit="%")


PARAMS = {
    Rule.REGISTERED: [],
    Rule.TITLE_IN_YEAR: [_title()],
    Rule.CONSECUTIVE: [_title(), Param("years", gettext_lazy("consecutive years"), "int", 2, 20)],
    Rule.RATING: [Param("kind", gettext_lazy("rating"), "rating_kind"), _rating_level()],
    Rule.INITIATIVE: [
        Param("level", gettext_lazy("recognised at"), "initiative_level", 1, 4),
        Param("years", gettext_lazy("within the last years"), "int", 1, 20),
        Param("min_benefit", gettext_lazy("benefit of at least"), "int", 0, 10**15, required=False, unit="đ"),
    ],
    Rule.ANY_OF: [Param("rules", gettext_lazy("one of"), "rules")],
    Rule.MEMBER_SHARE_TITLE: [_title(), _percent()],
    Rule.MEMBER_SHARE_RATING: [
        Param("kind", gettext_lazy("rating"), "rating_kind", required=False),
        _rating_level(),
        _percent(),
    ],
    Rule.MEMBERS_WITH_TITLE: [_title(), Param("count", gettext_lazy("members at least"), "int", 1, 10_000)],
    Rule.NO_DISCIPLINE: [Param("at_least", gettext_lazy("disciplined at or above"), "discipline_level", 1, 4)],
    Rule.ABSENCE: [Param("max_days", gettext_lazy("fewer working days away than"), "int", 1, 366)],
    Rule.TENURE: [Param("months", gettext_lazy("months worked at least"), "int", 1, 12)],
    Rule.CAMPAIGN_RESULTS: [_percent(1, 1000)],
    Rule.REPORTS_COMPLETE: [],
}

# What a user types for each rule, shown beside the parameters box.
EXAMPLES = {
    Rule.REGISTERED: {},
    Rule.TITLE_IN_YEAR: {"title": "ldtt"},
    Rule.CONSECUTIVE: {"title": "cstdcs", "years": 3},
    Rule.RATING: {"kind": "duty", "at_least": 2},
    Rule.INITIATIVE: {"level": 4, "years": 1},
    Rule.ANY_OF: {
        "rules": [
            {"rule": "rating", "params": {"kind": "duty", "at_least": 1}},
            {"rule": "initiative", "params": {"level": 4, "years": 1}},
        ]
    },
    Rule.MEMBER_SHARE_TITLE: {"title": "ldtt", "percent": 70},
    Rule.MEMBER_SHARE_RATING: {"at_least": 3, "percent": 100},
    Rule.MEMBERS_WITH_TITLE: {"title": "cstdcs", "count": 1},
    Rule.NO_DISCIPLINE: {"at_least": 2},
    Rule.ABSENCE: {"max_days": 40},
    Rule.TENURE: {"months": 10},
    Rule.CAMPAIGN_RESULTS: {"percent": 100},
    Rule.REPORTS_COMPLETE: {},
}

MAX_DEPTH = 3


def _param_error(message, **values):
    return DomainError(message % values, field="params")


def _check_int(param, value):
    if isinstance(value, bool) or not isinstance(value, int):
        raise _param_error(_("“%(key)s” must be a whole number."), key=param.key)
    if (param.low is not None and value < param.low) or (param.high is not None and value > param.high):
        raise _param_error(
            _("“%(key)s” must be between %(low)s and %(high)s."), key=param.key, low=param.low, high=param.high
        )
    return value


def _check_value(param, value, depth):
    if param.kind == "title":
        if not isinstance(value, str) or not Title.objects.filter(code=value.strip()).exists():
            raise _param_error(_("No emulation title has the code “%(code)s”."), code=value)
        return value.strip()
    if param.kind == "rating_kind":
        if value not in RatingKind.values:
            raise _param_error(
                _("“%(key)s” must be one of: %(choices)s."), key=param.key, choices=", ".join(RatingKind.values)
            )
        return value
    if param.kind == "rules":
        return _check_sub_rules(value, depth)
    return _check_int(param, value)


def _check_sub_rules(value, depth):
    if not isinstance(value, list) or len(value) < 2:
        raise _param_error(_("“rules” must be a list of at least two criteria, each with “rule” and “params”."))
    if depth >= MAX_DEPTH:
        raise _param_error(_("Criteria are nested too deeply."))
    cleaned = []
    for item in value:
        if not isinstance(item, dict) or set(item) - {"rule", "params"} or "rule" not in item:
            raise _param_error(_("Each item of “rules” needs “rule” and “params”, and nothing else."))
        if item["rule"] not in Rule.values:
            raise _param_error(_("Unknown rule “%(rule)s” in “rules”."), rule=item["rule"])
        cleaned.append({"rule": item["rule"], "params": check_params(item["rule"], item.get("params", {}), depth + 1)})
    return cleaned


def check_params(rule, params, depth=0):
    """``params`` checked against the schema of ``rule``; raises DomainError(field="params")."""
    if rule not in PARAMS:
        raise DomainError(_("Choose a rule."), field="rule")
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise _param_error(_("The parameters must be a JSON object, like %(example)s."), example='{"years": 3}')
    schema = {param.key: param for param in PARAMS[rule]}
    unknown = sorted(set(params) - set(schema))
    if unknown:
        expected = ", ".join(schema) or _("none")
        raise _param_error(
            _("Unknown parameter “%(key)s” for this rule (expected: %(expected)s)."),
            key=unknown[0],
            expected=expected,
        )
    cleaned = {}
    for key, param in schema.items():
        if key not in params or params[key] in (None, ""):
            if param.required:
                raise _param_error(_("The parameter “%(key)s” is missing."), key=key)
            continue
        cleaned[key] = _check_value(param, params[key], depth)
    return cleaned


def _display_value(param, value, titles):
    if param.kind == "title":
        return titles.get(value, value)
    if param.kind == "rating_kind":
        return RatingKind(value).label
    if param.kind == "rating_level":
        return RatingLevel(value).label
    if param.kind == "discipline_level":
        return DisciplineLevel(value).label
    if param.kind == "initiative_level":
        return RecognitionLevel(value).label
    text = vn_number(value)
    return f"{text} {param.unit}".strip() if param.unit != "%" else f"{text}%"


def describe_params(rule, params, titles=None):
    """``params`` in words: ``{"label", "value", "items"}`` per parameter.

    ``items`` lists the sub-criteria of ``any_of`` as sentences; ``value`` is empty then.
    """
    if titles is None:
        titles = dict(Title.objects.values_list("code", "name"))
    if rule not in PARAMS or not isinstance(params, dict):
        return []
    described = []
    for param in PARAMS[rule]:
        if param.key not in params:
            continue
        value, items = params[param.key], []
        if param.kind == "rules":
            value, items = "", [describe_sub_rule(item, titles) for item in value if isinstance(item, dict)]
        else:
            # A value stored before the schema knew better is shown as it is.
            with contextlib.suppress(ValueError, TypeError):
                value = _display_value(param, value, titles)
        described.append({"label": param.label, "value": value, "items": items})
    return described


def describe_sub_rule(item, titles):
    """One sub-criterion of ``any_of`` as a sentence: “Rule (label: value; …)”."""
    rule = item.get("rule")
    label = Rule(rule).label if rule in Rule.values else str(rule)
    parts = [
        f"{d['label']}: {' / '.join(d['items']) if d['items'] else d['value']}"
        for d in describe_params(rule, item.get("params") or {}, titles)
    ]
    return f"{label} ({'; '.join(parts)})" if parts else str(label)


# Entries ---------------------------------------------------------------------


def entry_model(kind):
    """The model behind a catalogue kind (``"title"`` or ``"form"``), or None."""
    return ENTRY_MODELS.get(kind)


def entry_kind(entry):
    return "title" if isinstance(entry, Title) else "form"


@transaction.atomic
def update_entry(entry, *, actor, data, expected_version):
    """Change a title's or award form's details; its code stays (criteria and imports use it)."""
    _require_catalogue(actor)
    current = lock_current(type(entry), entry, expected_version)
    for name in ENTRY_FIELDS:
        if name in data:
            setattr(current, name, data[name])
    _check_period(current.valid_from, current.valid_until)
    current.version += 1
    return save_as(current, actor, reason=_("Catalogue entry edited"))


# Criteria --------------------------------------------------------------------


def _apply_criterion(criterion, data):
    for name in CRITERION_FIELDS:
        if name in data:
            setattr(criterion, name, data[name])
    criterion.params = check_params(criterion.rule, criterion.params)
    _check_period(criterion.valid_from, criterion.valid_until)


@transaction.atomic
def create_criterion(entry, *, actor, data):
    """Add a criterion to a title or award form."""
    _require_catalogue(actor)
    owner = "title" if isinstance(entry, Title) else "award_form"
    criterion = Criterion(**{owner: entry})
    _apply_criterion(criterion, data)
    return save_as(criterion, actor, reason=_("Criterion added"))


@transaction.atomic
def update_criterion(criterion, *, actor, data, expected_version):
    """Change a criterion's rule, parameters, wording or validity."""
    _require_catalogue(actor)
    current = lock_current(Criterion, criterion, expected_version)
    _apply_criterion(current, data)
    current.version += 1
    return save_as(current, actor, reason=_("Criterion edited"))


@transaction.atomic
def end_criterion(criterion, *, actor, on: datetime.date):
    """Stop applying a criterion after ``on`` (its last valid day); past years keep it."""
    _require_catalogue(actor)
    current = lock_current(Criterion, criterion, None)
    if current.valid_from and on < current.valid_from:
        raise DomainError(_("A criterion cannot end before it starts applying."), field="valid_until")
    if current.valid_until and current.valid_until <= on:
        raise DomainError(
            _("This criterion already ended on %(date)s.") % {"date": current.valid_until.strftime("%d/%m/%Y")},
            field="valid_until",
        )
    current.valid_until = on
    current.version += 1
    return save_as(current, actor, reason=_("Criterion ended"))


# Quotas ----------------------------------------------------------------------


def _require_quota(actor, unit):
    if not can(actor, Cap.MANAGE_AWARDS, unit):
        raise DomainError(_("You cannot set the quotas of “%(unit)s”.") % {"unit": unit})


def _apply_quota(quota, data):
    for name in QUOTA_FIELDS:
        if name in data:
            setattr(quota, name, data[name])
    entry = data.get("entry")
    if entry is not None:
        quota.title, quota.award_form = (entry, None) if isinstance(entry, Title) else (None, entry)
    if quota.title_id is None and quota.award_form_id is None:
        raise DomainError(_("Choose a title or an award form."), field="entry")


def _save_quota(quota, actor, reason):
    clash = Quota.objects.filter(
        organization=quota.organization, year=quota.year, title=quota.title, award_form=quota.award_form
    ).exclude(pk=quota.pk)
    if clash.exists():
        raise DomainError(
            _("%(unit)s already has a quota for “%(entry)s” in %(year)s; edit that one.")
            % {"unit": quota.organization, "entry": quota.title or quota.award_form, "year": quota.year},
            field="entry",
        )
    try:
        with transaction.atomic():
            return save_as(quota, actor, reason=reason)
    except IntegrityError:  # a concurrent save of the same quota
        raise DomainError(_("This quota was just saved by someone else; reload the page."), field="entry") from None


@transaction.atomic
def create_quota(unit, *, actor, data):
    """Cap how many of one title or award form ``unit`` may issue in a year."""
    _require_quota(actor, unit)
    quota = Quota(organization=unit)
    _apply_quota(quota, data)
    return _save_quota(quota, actor, _("Quota set"))


@transaction.atomic
def update_quota(quota, *, actor, data):
    _require_quota(actor, quota.organization)
    current = Quota.objects.select_for_update().get(pk=quota.pk)
    _apply_quota(current, data)
    return _save_quota(current, actor, _("Quota changed"))


@transaction.atomic
def delete_quota(quota, *, actor):
    """Remove a quota: the unit may then issue that title or form without a cap."""
    _require_quota(actor, quota.organization)
    delete_as(quota, actor, reason=_("Quota removed"))


# Base salaries -----------------------------------------------------------------


@transaction.atomic
def create_base_salary(*, actor, data):
    """Record a new lương cơ sở from a date on; rewards decided from then on use it."""
    _require_catalogue(actor)
    if data["amount"] is None or data["amount"] <= 0:
        raise DomainError(_("The amount must be more than 0."), field="amount")
    if BaseSalary.objects.filter(valid_from=data["valid_from"]).exists():
        raise DomainError(_("A base salary already starts on that date."), field="valid_from")
    salary = BaseSalary(amount=data["amount"], valid_from=data["valid_from"], legal_basis=data["legal_basis"])
    return save_as(salary, actor, reason=_("Base salary added"))
