"""Strings of Django's own that its Vietnamese catalogue lacks.

Listed here so that `makemessages` copies them into the portal's catalogue, which is
searched before Django's.
"""

from django.utils.translation import gettext_noop

DJANGO_STRINGS = [
    gettext_noop("- Select an option -"),  # the empty choice of select boxes (Django 6)
]
