"""Official PDF of each seed plan: the portal's render against bare WeasyPrint, and signing.

Usage: .venv/bin/python bench/bench_pdf.py [--repeat N]

It builds a throwaway SQLite database with the demo data (the five seeds, the demo CA and
the provinces' certificates), then for each seed times:

- portal: the stored plan → JSON → HTML → PDF/A-2b, as the PDF download does;
- bare:   ``weasyprint.HTML(string=same_html).write_pdf(stylesheets=same_css)``, nothing else;

and prints the medians and their ratio. Signing is timed on the published demo plans
(render with the signature box + PAdES signature), and so is verification.
"""

import argparse
import io
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(workdir):
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import translation

    settings.MEDIA_ROOT = workdir / "media"
    translation.activate("vi")
    call_command("migrate", verbosity=0)
    call_command("load_demo_data", verbosity=0, stdout=io.StringIO())


def timed(function, repeat):
    """Median seconds of ``repeat`` calls, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def bare_weasyprint(html):
    import weasyprint

    from documents.rendering import STATIC_DIR, STYLESHEETS

    stylesheets = [weasyprint.CSS(filename=str(path)) for path in STYLESHEETS]
    return weasyprint.HTML(string=html, base_url=str(STATIC_DIR)).write_pdf(stylesheets=stylesheets)


def page_count(pdf):
    from pyhanko.pdf_utils.reader import PdfFileReader

    return PdfFileReader(io.BytesIO(pdf)).root["/Pages"]["/Count"]


def bench_render(repeat):
    from campaigns.interchange import export_campaign
    from campaigns.models import Campaign
    from documents.rendering import html_to_pdf, render_html

    seeds = Campaign.objects.filter(year__lt=2026).select_related("owner").order_by("owner__code", "year")
    # The first PDF of a process loads WeasyPrint and the fonts; it is reported on its own.
    start = time.perf_counter()
    html_to_pdf(render_html(export_campaign(seeds[0])))
    cold = time.perf_counter() - start
    print(f"First PDF of a process (WeasyPrint import, fonts, stylesheets): {cold:.2f} s\n")
    print(f"{'plan':<22} {'pages':>5} {'KB':>6} {'portal s':>9} {'bare s':>8} {'ratio':>6}")
    ratios, worst = [], 0.0
    for campaign in seeds:

        def portal(campaign=campaign):
            return html_to_pdf(render_html(export_campaign(campaign)))

        html = render_html(export_campaign(campaign))
        portal_time, pdf = timed(portal, repeat)
        bare_time, _bare = timed(lambda html=html: bare_weasyprint(html), repeat)
        pages = page_count(pdf)
        label = f"{campaign.owner.code} {campaign.year}"
        ratio = portal_time / bare_time
        ratios.append(ratio)
        worst = max(worst, portal_time)
        print(f"{label:<22} {pages:>5} {len(pdf) // 1024:>6} {portal_time:>9.3f} {bare_time:>8.3f} {ratio:>6.2f}")
    print(f"\nRatio portal/bare: median {statistics.median(ratios):.2f}, worst {max(ratios):.2f} (aim ≤ 1,3)")
    print(f"Slowest seed plan: {worst:.3f} s (aim ≤ 1,5 s)")


def bench_signing(repeat):
    from campaigns.models import Campaign, Status
    from campaigns.services import sign_campaign
    from documents.models import SigningCertificate
    from documents.rendering import pdf_with_signature_box, render_html
    from documents.signing import sign_pdf, verify_pdf

    passphrase = "ThiDua@2026"
    print("\nSigning (PAdES, visible stamp) and verification")
    for campaign in Campaign.objects.exclude(status=Status.DRAFT).select_related("owner", "issuer"):
        certificate = SigningCertificate.objects.filter(organization=campaign.owner, is_active=True).first()
        staff = campaign.owner.memberships.filter(role="staff").select_related("user").first()
        if certificate is None or staff is None:
            continue
        data = campaign.versions.order_by("-number").first().data
        pdf, page, box = pdf_with_signature_box(render_html(data))

        def sign_only(certificate=certificate, pdf=pdf, page=page, box=box):
            return sign_pdf(
                pdf,
                pkcs12_data=certificate.pkcs12,
                passphrase=passphrase,
                page=page,
                box=box,
                unit_name="bench",
                location="bench",
                reason="bench",
            )

        sign_time, signed = timed(sign_only, repeat)
        whole_time, _document = timed(
            lambda campaign=campaign, certificate=certificate, staff=staff: sign_campaign(
                campaign, actor=staff.user, certificate=certificate, passphrase=passphrase
            ),
            repeat,
        )
        verify_time, report = timed(lambda signed=signed: verify_pdf(signed), repeat)
        label = f"{campaign.owner.code} {campaign.year} ({page_count(signed)} pages)"
        print(
            f"  {label}: sign_pdf {sign_time:.3f} s, sign from the page (render + sign + store) "
            f"{whole_time:.3f} s, verify {verify_time:.3f} s"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        start = time.perf_counter()
        setup_django(Path(workdir))
        print(f"Set-up (migrate + demo data): {time.perf_counter() - start:.1f} s; median of {args.repeat} runs\n")
        bench_render(args.repeat)
        bench_signing(args.repeat)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nPeak memory of the process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
