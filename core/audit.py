"""Helpers around django-simple-history: acting user on writes, readable diffs."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

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
    """Readable entries for a history queryset, newest first.

    The previous version of a record is usually the next older record of the
    same object in the same page, so only the oldest one per object needs a query.
    """
    records = list(queryset.select_related("history_user").order_by("-history_date")[:limit])
    renderer = _Renderer()
    entries = []
    for index, record in enumerate(records):
        object_id = getattr(record, record.instance_type._meta.pk.attname)
        previous = next(
            (
                older
                for older in records[index + 1 :]
                if getattr(older, record.instance_type._meta.pk.attname) == object_id
            ),
            None,
        )
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
                "changes": renderer.changes(record, previous) if record.history_type != "-" else [],
            }
        )
    return entries
