from django.core.management.commands import makemessages


class Command(makemessages.Command):
    # A new string is left untranslated rather than pre-filled with the translation of a
    # look-alike: a fuzzy guess is never shown, and the hygiene test lists what is missing.
    msgmerge_options = ["-q", "--backup=none", "--update", "--no-fuzzy-matching"]
