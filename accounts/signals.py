"""Receivers of the accounts app, connected in AccountsConfig.ready."""

from django.utils import timezone


def record_last_login(sender, user, **kwargs):
    """Stamp the sign-in time without a change-history row: it is not a change of the account."""
    user.last_login = timezone.now()
    user.skip_history_when_saving = True
    try:
        user.save(update_fields=["last_login"])
    finally:
        del user.skip_history_when_saving
