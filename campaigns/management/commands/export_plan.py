import getpass
import os
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from campaigns import services
from campaigns.interchange import export_campaign
from campaigns.models import Campaign, Status
from core.exceptions import DomainError
from documents.models import SigningCertificate
from documents.rendering import html_to_pdf, render_html
from organizations.access import Cap, can


class Command(BaseCommand):
    help = (
        "Write a plan's official PDF; with --sign, sign it with the unit's certificate (the passphrase comes "
        "from $SIGNING_PASSPHRASE or is asked for) and keep the signed file like the web page does."
    )

    def add_arguments(self, parser):
        parser.add_argument("campaign", type=int, help="Campaign id")
        parser.add_argument("--out", required=True, help="PDF file to write")
        parser.add_argument("--sign", action="store_true", help="Sign the published text")
        parser.add_argument("--as", dest="username", help="User who signs (needs the signing right on the unit)")
        parser.add_argument("--certificate", type=int, help="Certificate id (default: the unit's valid one)")

    def handle(self, *args, **options):
        campaign = Campaign.objects.filter(pk=options["campaign"]).first()
        if campaign is None:
            raise CommandError(f"No campaign with id {options['campaign']}.")
        content = self._signed(campaign, options) if options["sign"] else self._unsigned(campaign)
        with open(options["out"], "wb") as handle:
            handle.write(content)
        self.stdout.write(self.style.SUCCESS(f"Wrote {options['out']} ({len(content)} bytes)"))

    def _unsigned(self, campaign):
        version = campaign.versions.order_by("-number").first()
        if campaign.status != Status.DRAFT and version is not None and not campaign.amendment_reason:
            return html_to_pdf(render_html(version.data))
        return html_to_pdf(render_html(export_campaign(campaign), draft=True))

    def _signed(self, campaign, options):
        actor = User.objects.filter(username=options["username"] or "").first()
        if actor is None:
            raise CommandError("--sign needs --as USERNAME, a user who may sign for the unit.")
        if not can(actor, Cap.SIGN_DOCUMENTS, campaign.owner):
            # Said before the passphrase is asked for, not after it was typed in vain.
            raise CommandError(_("You cannot sign the documents of “%(unit)s”.") % {"unit": campaign.owner})
        certificate = self._certificate(campaign, options["certificate"])
        passphrase = os.environ.get("SIGNING_PASSPHRASE") or self._ask_passphrase()
        try:
            document = services.sign_campaign(campaign, actor=actor, certificate=certificate, passphrase=passphrase)
        except DomainError as error:
            raise CommandError(str(error.message)) from None
        self.stdout.write(f"SHA-256 {document.sha256}")
        with document.file.open("rb") as handle:
            return handle.read()

    def _ask_passphrase(self):
        # Scripts and cron jobs have no terminal to ask on: say what to set instead of hanging.
        if not sys.stdin.isatty():
            raise CommandError("No passphrase: set SIGNING_PASSPHRASE or run the command in a terminal.")
        return getpass.getpass("Certificate passphrase: ")

    def _certificate(self, campaign, certificate_id):
        now = timezone.now()
        certificates = SigningCertificate.objects.filter(
            organization=campaign.owner, is_active=True, not_before__lte=now, not_after__gte=now
        )
        if certificate_id:
            certificates = certificates.filter(pk=certificate_id)
        certificate = certificates.order_by("-not_after").first()
        if certificate is None:
            raise CommandError(f"{campaign.owner} has no valid signing certificate.")
        return certificate
