from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from organizations.demo import DEMO_PASSWORD, DemoLoader


class Command(BaseCommand):
    help = "Load the demo hierarchy, clusters and users. Safe to run again: nothing changes."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even when DEBUG is off (never on a real server).",
        )
        parser.add_argument(
            "--quiet-logins", action="store_true", help="Do not print the demo logins."
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Demo data is for development; use --force to load it with DEBUG off."
            )
        logins = DemoLoader().load()
        if options["quiet_logins"]:
            return
        self.stdout.write(
            self.style.SUCCESS("Demo data is loaded. Sign in at http://127.0.0.1:8000 with:")
        )
        width = max(len(username) for username, _label in logins)
        for username, label in logins:
            self.stdout.write(f"  {username.ljust(width)}  {label}")
        self.stdout.write(f"Password for every demo account: {DEMO_PASSWORD}")
