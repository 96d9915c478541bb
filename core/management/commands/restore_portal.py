from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive written by backup_portal into a migrated database of the same migration "
        "state, all or nothing, checking every file's SHA-256 against the manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .tar.gz written by backup_portal")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace whatever the database holds (everything but content types and permissions is emptied).",
        )

    def handle(self, *args, **options):
        try:
            summary = restore_backup(options["path"], force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(summary.line("Restored")))
