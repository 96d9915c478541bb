import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from dashboards.scale import Generator


class Command(BaseCommand):
    help = (
        "Build a national-scale synthetic dataset (34 provinces and 20 sector unions, about 130 000 grassroots "
        "unions, a campaign per federation answering a national one, about 5 million reported values). Meant for "
        "PostgreSQL; use --scale for a smaller copy."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="Size factor (1 = national scale)")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options):
        if connection.vendor != "postgresql" and options["scale"] > 0.1:
            raise CommandError(
                "The national dataset needs PostgreSQL (DATABASE_URL); on SQLite use --scale 0.1 or less."
            )
        start = time.perf_counter()
        self.stdout.write(f"Generating at scale {options['scale']} on {connection.vendor}…")
        try:
            summary = Generator(scale=options["scale"], seed=options["seed"], out=self.stdout.write).run()
        except RuntimeError as error:
            raise CommandError(str(error)) from None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary['units']:,} units, {summary['campaigns']} campaigns, {summary['reports']:,} reports, "
                f"{summary['values']:,} values in {time.perf_counter() - start:.0f} s"
            )
        )
