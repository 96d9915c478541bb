"""The audit trail is django-simple-history's tables; this adds the unit each change belongs to.

Every historical row carries ``history_unit``: the union unit whose subtree the changed record
belongs to (a report's unit, a plan's owner, …). The journal filters on it, so a district's staff
read the changes made in their district and nothing above or beside it, even for rows whose
live record has since been deleted.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class UnitStampedHistory(models.Model):
    # A plain integer rather than a foreign key: a historical row must outlive any unit.
    history_unit = models.IntegerField(_("unit"), null=True, blank=True, db_index=True)

    class Meta:
        abstract = True


def audited(**options):
    """The history manager every audited model declares: ``history = audited()``."""
    return HistoricalRecords(bases=[UnitStampedHistory], **options)
