import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports.services.deadlines import send_due_reminders


class Command(BaseCommand):
    help = (
        "E-mail the units that still owe a registration or a report due a configured number of days ahead "
        "or behind (PORTAL_REMINDER_DAYS_BEFORE / _AFTER). Safe to run again: a unit gets one reminder per "
        "item per day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Run as if today were this date (YYYY-MM-DD)")

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("--date must be written YYYY-MM-DD.") from None
        sent = send_due_reminders(today)
        total = 0
        for campaign, item, units in sent:
            total += len(units)
            self.stdout.write(f"{campaign.owner.code} {campaign.year} – {item.label}: {len(units)} units reminded")
        self.stdout.write(self.style.SUCCESS(f"{total} reminders sent for {today:%d/%m/%Y}."))
