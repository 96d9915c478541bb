"""Signals other apps listen to, so they can keep their own totals without reports knowing them."""

from django.dispatch import Signal

# Sent with ``submission`` (a Registration or Report, as stored) just before and just after
# its status changes, inside the transaction that changes it.
status_changing = Signal()
status_changed = Signal()
