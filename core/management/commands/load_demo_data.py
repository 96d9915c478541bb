from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from awards.demo import load_demo_awards
from campaigns.demo import load_current_plan, load_seed_campaigns
from dashboards.progress import rebuild_all
from documents.demo import load_demo_certificates
from organizations.demo import DEMO_PASSWORD, DemoLoader
from reports.demo import load_demo_reports


class Command(BaseCommand):
    help = "Load the demo hierarchy, clusters and users. Safe to run again: nothing changes."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even when DEBUG is off (never on a real server).",
        )
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the demo logins.")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError("Demo data is for development; use --force to load it with DEBUG off.")
        with transaction.atomic():
            loader = DemoLoader()
            logins = loader.load()
            load_demo_certificates(loader.actor, DEMO_PASSWORD)
            load_seed_campaigns(loader.actor)
            load_current_plan(loader.actor)
            load_demo_reports()
            load_demo_awards()
            # The demo writes its submissions directly; the dashboard totals are then computed once.
            rebuild_all()
        if options["quiet_logins"]:
            return
        self.stdout.write(self.style.SUCCESS("Demo data is loaded. Sign in at http://127.0.0.1:8000 with:"))
        width = max(len(username) for username, _label in logins)
        for username, label in logins:
            self.stdout.write(f"  {username.ljust(width)}  {label}")
        self.stdout.write(f"Password for every demo account: {DEMO_PASSWORD}")
        self.stdout.write(f"Passphrase of the demo signing certificates: {DEMO_PASSWORD}")
