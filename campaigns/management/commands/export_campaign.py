import json

from django.core.management.base import BaseCommand, CommandError

from campaigns.interchange import export_campaign
from campaigns.models import Campaign


class Command(BaseCommand):
    help = "Export a campaign as a thidua.campaign/1 JSON document."

    def add_arguments(self, parser):
        parser.add_argument("campaign", type=int, help="Campaign id")
        parser.add_argument("--out", help="File to write (default: standard output)")

    def handle(self, *args, **options):
        campaign = Campaign.objects.filter(pk=options["campaign"]).first()
        if campaign is None:
            raise CommandError(f"No campaign with id {options['campaign']}.")
        text = json.dumps(export_campaign(campaign), ensure_ascii=False, indent=2) + "\n"
        if options["out"]:
            with open(options["out"], "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stdout.write(self.style.SUCCESS(f"Wrote {options['out']}"))
        else:
            self.stdout.write(text, ending="")
