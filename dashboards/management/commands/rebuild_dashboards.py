import time

from django.core.management.base import BaseCommand

from campaigns.models import Campaign
from dashboards.progress import rebuild_all


class Command(BaseCommand):
    help = "Recompute the dashboard totals of every published plan (or of the plans given) from the submissions."

    def add_arguments(self, parser):
        parser.add_argument("campaign_ids", nargs="*", type=int)

    def handle(self, *args, **options):
        start = time.perf_counter()
        campaigns = Campaign.objects.filter(pk__in=options["campaign_ids"]) if options["campaign_ids"] else None
        count = rebuild_all(campaigns)
        self.stdout.write(f"{count} plans recomputed in {time.perf_counter() - start:.1f} s")
