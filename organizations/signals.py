"""Signals other apps listen to when the shape of the tree changes."""

from django.dispatch import Signal

# Sent with ``unit`` after a unit is founded, moved, merged, ended or restored, inside the
# transaction that changed it (with ``previous_parent`` after a move): totals kept per subtree
# must be recomputed.
tree_changed = Signal()
