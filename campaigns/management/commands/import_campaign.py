import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from campaigns import interchange


class Command(BaseCommand):
    help = "Import a campaign from a thidua.campaign/1 JSON file. A bad file changes nothing; every problem is listed."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the JSON file, or - for standard input")
        parser.add_argument("--as", dest="username", help="User recorded as the importer (default: none)")

    def handle(self, *args, **options):
        raw = sys.stdin.buffer.read() if options["file"] == "-" else self._read(options["file"])
        actor = User.objects.filter(username=options["username"]).first() if options["username"] else None
        if options["username"] and actor is None:
            raise CommandError(f"No user named {options['username']}.")
        try:
            campaign = interchange.import_campaign(interchange.parse_json(raw), actor=actor)
        except interchange.ImportErrors as errors:
            for message in errors.messages:
                self.stderr.write(f"- {message}")
            raise CommandError(f"{len(errors.messages)} problem(s); nothing was imported.") from None
        summary = f"Imported campaign {campaign.pk}: {campaign.number_line} {campaign.subject}"
        self.stdout.write(self.style.SUCCESS(summary))

    def _read(self, path):
        try:
            return Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
