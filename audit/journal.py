"""Reading the audit trail of every app at once: for one object, for one user, or filtered.

Each audited model has its own history table. A page is one UNION ALL over those tables
(kind, id, date), sorted and cut by the database; only the rows on the page are then
loaded and turned into readable entries.
"""

import json
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import CharField, F, Lookup, Q, Value
from django.db.models.functions import Coalesce

from audit.registry import audited_models, history_model
from core.audit import describe
from organizations.access import Cap, reach, units_with
from organizations.models import Organization

PAGE_SIZE = 50


class AnyOf(Lookup):
    """``column`` is one of ``ids``, sent as ONE parameter whatever their number.

    A province reaches thousands of units and the journal repeats the condition for every
    history table: an IN list would make a huge statement (and overflow SQLite's variables),
    and a subquery of the unit tree is re-planned per table, which took seconds.
    """

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        ids = [int(value) for value in self.rhs]
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*params, ids]
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*params, json.dumps(ids)]


@dataclass(frozen=True)
class Scope:
    """Which historical rows a reader may see: units in their audit reach, maybe catalogue rows."""

    everything: bool = False
    units: tuple = ()  # unit ids
    catalogue: bool = False

    def condition(self):
        if self.everything:
            return Q()
        condition = Q(AnyOf(F("history_unit"), self.units))
        if self.catalogue:
            condition |= Q(history_unit__isnull=True)
        return condition


def scope_for(user):
    """The reader's scope, or None when they may read no audit trail at all."""
    if user.is_superuser:
        return Scope(everything=True)
    roots = set(units_with(user, Cap.VIEW_AUDIT).values_list("pk", flat=True))
    if not roots:
        return None
    tops = set(Organization.objects.filter(parent__isnull=True).values_list("pk", flat=True))
    if tops <= roots:  # the reader audits every tree: no filter to run
        return Scope(everything=True)
    return Scope(
        units=tuple(reach(user, Cap.VIEW_AUDIT).values_list("pk", flat=True)),
        catalogue=bool(roots & tops),
    )


@dataclass
class Query:
    """What to read: each entry of ``branches`` is (model, condition on its history table)."""

    branches: list = field(default_factory=list)

    def narrowed(self, condition):
        return Query([(model, where & condition) for model, where in self.branches])


def everything():
    return Query([(model, Q()) for model in audited_models()])


def of_kind(label):
    return Query([(model, Q()) for model in audited_models() if model._meta.label_lower == label])


def of_object(model, pk):
    """The object's own history and that of the rows that belong to it, two links deep.

    A plan's page thus shows its sections' clauses; a unit's page stops at one link, since
    everything in the unit points at it.
    """
    branches = [(model, Q(**{model._meta.pk.attname: pk}))]
    parents = [(model, [pk])]
    depth = 1 if model in (Organization,) else 2
    for _ in range(depth):
        found = []
        for parent, ids in parents:
            for child, attname in _children(parent):
                condition = Q(**{f"{attname}__in": ids})
                branches.append((child, condition))
                child_ids = history_model(child).objects.filter(condition).values(child._meta.pk.attname)
                found.append((child, child_ids))
        parents = found
    return Query(branches)


def _children(parent):
    for model in audited_models():
        for model_field in model._meta.concrete_fields:
            if (
                model_field.is_relation
                and model_field.related_model is parent
                and model_field.related_model._meta.label != settings.AUTH_USER_MODEL
            ):
                yield model, model_field.attname


def page(query, scope, number=1, size=PAGE_SIZE):
    """The entries of page ``number`` (newest first) and whether an older page exists."""
    branches = [
        history_model(model)
        .objects.filter(where & scope.condition())
        .order_by()
        .annotate(audit_kind=Value(model._meta.label_lower, output_field=CharField()))
        .values_list("audit_kind", "history_id", "history_date")
        for model, where in query.branches
    ]
    if not branches:
        return [], False
    start = (number - 1) * size
    if len(branches) > 1:
        ordered = branches[0].union(*branches[1:], all=True).order_by("-history_date", "-history_id")
    elif scope.everything:
        ordered = branches[0].order_by("-history_date", "-history_id")
    else:
        # Sorting on an expression keeps PostgreSQL from walking a table's whole date index
        # backwards in the hope of meeting the reader's units: it picks their rows first.
        ordered = branches[0].order_by(Coalesce("history_date", "history_date").desc(), "-history_id")
    rows = list(ordered[start : start + size + 1])
    return _load(rows[:size]), len(rows) > size


def _load(rows):
    """The historical records behind (kind, id, date) rows, in the rows' order, as entries."""
    by_kind = {}
    for kind, history_id, _date in rows:
        by_kind.setdefault(kind, []).append(history_id)
    models = {model._meta.label_lower: model for model in audited_models()}
    records = {}
    for kind, ids in by_kind.items():
        for record in history_model(models[kind]).objects.filter(history_id__in=ids).select_related("history_user"):
            records[kind, record.history_id] = record
    return describe([records[kind, history_id] for kind, history_id, _date in rows])
