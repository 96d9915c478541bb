from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write the database and every uploaded or signed file (MEDIA_ROOT) to one tar.gz, "
        "with a manifest of the migration state, the rows per model and each file's SHA-256."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Archive to write (default: var/backups/portal-YYYYmmdd-HHMMSS.tar.gz)")

    def handle(self, *args, **options):
        try:
            summary = create_backup(options["output"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(summary.line("Backup written to")))
