"""Reading the audit trail of every app at once: for one object, for one user, or filtered.

Each audited model has its own history table. A page is one UNION ALL over those tables
(kind, id, date), sorted and cut by the database; only the rows on the page are then
loaded and turned into readable entries.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import CharField, Q, Value

from audit.registry import audited_models, history_model
from core.audit import describe
from organizations.access import Cap, reach, units_with
from organizations.models import Organization

PAGE_SIZE = 50


@dataclass(frozen=True)
class Scope:
    """Which historical rows a reader may see: units in their audit reach, maybe catalogue rows."""

    everything: bool = False
    units: object = None  # a queryset of unit ids
    catalogue: bool = False

    def condition(self):
        if self.everything:
            return Q()
        condition = Q(history_unit__in=self.units)
        if self.catalogue:
            condition |= Q(history_unit__isnull=True)
        return condition


def scope_for(user):
    """The reader's scope, or None when they may read no audit trail at all."""
    if user.is_superuser:
        return Scope(everything=True)
    roots = units_with(user, Cap.VIEW_AUDIT)
    if not roots.exists():
        return None
    return Scope(
        units=reach(user, Cap.VIEW_AUDIT).values("pk"),
        catalogue=roots.filter(parent__isnull=True).exists(),
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
    union = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
    start = (number - 1) * size
    rows = list(union.order_by("-history_date", "-history_id")[start : start + size + 1])
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
