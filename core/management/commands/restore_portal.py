from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive written by backup_portal into a migrated database of the same migration "
        "state, all or nothing, checking the manifest's signature and every file's SHA-256 against it."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .tar.gz written by backup_portal")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace whatever the database holds (everything but content types and permissions is emptied).",
        )
        parser.add_argument(
            "--accept-unsigned",
            action="store_true",
            help=(
                "Restore an archive whose manifest is not signed with this portal's backup key "
                "(PORTAL_BACKUP_KEY, else SECRET_KEY): only for an archive whose origin you are sure of."
            ),
        )

    def handle(self, *args, **options):
        try:
            summary = restore_backup(
                options["path"], force=options["force"], accept_unsigned=options["accept_unsigned"]
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(summary.line("Restored")))
