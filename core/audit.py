"""Helpers around django-simple-history: acting user on writes, readable diffs."""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.registry import unit_of
from core.templatetags.portal import vn_number

CHANGE_TYPES = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
# Bookkeeping columns that say nothing to a reader of the audit trail.
HIDDEN_FIELDS = {"version", "updated_at", "created_at", "password", "last_login"}


def save_as(obj, actor, *, reason=None, **save_kwargs):
    """Save ``obj`` so that its history entry names ``actor`` (and the reason)."""
    obj._history_user = actor
    if reason:
        obj._change_reason = str(reason)[:100]
    obj.save(**save_kwargs)
    return obj


def delete_as(obj, actor, *, reason=None):
    obj._history_user = actor
    if reason:
        obj._change_reason = str(reason)[:100]
    obj.delete()


def record_bulk(objs, *, actor, update=False, reason=""):
    """History rows for rows written with bulk_create or update(), which send no save signal.

    Like simple-history's bulk_history_create, but each row is stamped with its own unit.
    """
    objs = list(objs)
    if not objs:
        return
    history = type(objs[0]).history.model
    now = timezone.now()
    rows = [
        history(
            history_date=now,
            history_user=actor,
            history_type="~" if update else "+",
            history_change_reason=str(reason)[:100] or None,
            history_unit=unit_of(obj),
            **{field.attname: getattr(obj, field.attname) for field in history.tracked_fields},
        )
        for obj in objs
    ]
    history.objects.bulk_create(rows, batch_size=500)


class _Renderer:
    """Turns raw history values into text, caching related-object lookups."""

    def __init__(self):
        self._related = {}

    def display(self, record, field):
        value = getattr(record, field.attname)
        if value in (None, ""):
            return "—"
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        if field.is_relation:
            key = (field.related_model, value)
            if key not in self._related:
                obj = field.related_model._base_manager.filter(pk=value).first()
                self._related[key] = str(obj) if obj else f"#{value}"
            return self._related[key]
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if isinstance(value, Decimal):
            return vn_number(value)
        return value

    def changes(self, record, previous):
        tracked = {f.attname for f in record._meta.concrete_fields}
        rows = []
        for field in record.instance_type._meta.concrete_fields:
            if field.primary_key or field.name in HIDDEN_FIELDS or field.attname not in tracked:
                continue
            new = getattr(record, field.attname)
            if previous is None:
                if new in (None, "", 0, False):
                    continue
                rows.append((field.verbose_name, "—", self.display(record, field)))
            elif getattr(previous, field.attname) != new:
                rows.append(
                    (
                        field.verbose_name,
                        self.display(previous, field),
                        self.display(record, field),
                    )
                )
        return rows


def history_entries(queryset, limit=50):
    """Readable entries for a history queryset, newest first."""
    return describe(list(queryset.select_related("history_user").order_by("-history_date")[:limit]))


def describe(records):
    """Readable entries for historical records (of one model or several), kept in their order.

    The previous version of a record is usually the next older record of the same object
    in the list, so only the oldest one per object needs a query.
    """
    renderer = _Renderer()
    entries = []
    for index, record in enumerate(records):
        key = _object_key(record)
        previous = next((older for older in records[index + 1 :] if _object_key(older) == key), None)
        if previous is None and record.history_type != "+":
            previous = record.prev_record
        entries.append(
            {
                "date": record.history_date,
                "user": record.history_user,
                "type": CHANGE_TYPES.get(record.history_type, record.history_type),
                "reason": record.history_change_reason,
                "object": str(record.instance),
                "model": record.instance_type._meta.verbose_name,
                "label": record.instance_type._meta.label_lower,
                "object_id": key[1],
                "changes": renderer.changes(record, previous) if record.history_type != "-" else [],
            }
        )
    return entries


def _object_key(record):
    return record.instance_type, getattr(record, record.instance_type._meta.pk.attname)
