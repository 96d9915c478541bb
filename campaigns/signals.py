"""Signals other apps listen to when a plan takes effect."""

from django.dispatch import Signal

# Sent with ``campaign`` when a plan is published or an amendment to it is (who takes part
# may have changed).
plan_published = Signal()
