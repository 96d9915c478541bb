"""Checks every upload passes before anything parses it."""

from django.utils.translation import gettext as _

from core.exceptions import DomainError


def check_size(uploaded, limit):
    """Refuse an empty file or one above ``limit`` bytes, naming the limit in MB."""
    if uploaded.size == 0:
        raise DomainError(_("The file is empty."), field="file")
    if uploaded.size > limit:
        raise DomainError(
            _("The file is larger than the %(limit)s MB allowed.") % {"limit": limit // (1024 * 1024)},
            field="file",
        )
