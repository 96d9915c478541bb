"""The restore drill: sign documents, back up, restore into an empty database, verify every signature.

Usage:
    .venv/bin/python bench/restore_drill.py [--server postgres://postgres@127.0.0.1:5432]

On the PostgreSQL server given, it (re)creates two scratch databases, ``thidua_drill_src`` and
``thidua_drill_dst``, each with its own media directory under a temporary directory:

1. the source gets the demo data, and every published plan is signed with its unit's demo
   certificate (the portal's own signing service, as a leader's click does);
2. ``manage.py backup_portal`` writes the archive;
3. the destination is migrated and ``manage.py restore_portal`` loads the archive;
4. every SignedDocument of the destination is checked outside the portal's code: the file's
   SHA-256 against the row, ``pdfsig`` (poppler) and pyHanko's validator with the restored
   trust anchors as the only roots.

It prints one line per document and the totals, and exits non-zero on any failure.
The scratch databases are dropped at the end.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SOURCE, TARGET = "thidua_drill_src", "thidua_drill_dst"
SECRET = "drill-only-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ"


def environment(server, name, var_dir):
    return {
        **os.environ,
        "DATABASE_URL": f"{server}/{name}",
        "PORTAL_VAR_DIR": str(var_dir),
        "DJANGO_DEBUG": "1",
        "DJANGO_SECRET_KEY": SECRET,
        "PORTAL_TASKS_IMMEDIATE": "1",
    }


def manage(env, *args):
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], env=env, check=True, cwd=ROOT)


def recreate(server, *names):
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')


def drop(server, *names):
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


SIGN_ALL = """
from django.contrib.auth import get_user_model
from campaigns.models import Campaign, Status
from campaigns.services import sign_campaign
from documents.models import SigningCertificate
signer = get_user_model().objects.filter(is_superuser=True).first()
count = 0
for plan in Campaign.objects.exclude(status=Status.DRAFT).filter(amendment_reason=""):
    certificate = SigningCertificate.objects.usable_by(plan.owner).first()
    if certificate is None:
        continue
    sign_campaign(plan, actor=signer, certificate=certificate, passphrase="ThiDua@2026")
    count += 1
print(f"signed {count} plans")
"""

VERIFY_ALL = r"""
import hashlib, io, json, subprocess, tempfile
from asn1crypto import pem, x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from documents.models import SignedDocument, TrustAnchor

roots = []
for anchor in TrustAnchor.objects.all():
    _type, _headers, der = pem.unarmor(anchor.certificate_pem.encode())
    roots.append(x509.Certificate.load(der))
rows = []
for document in SignedDocument.objects.order_by("pk"):
    data = document.file.read()
    digest = hashlib.sha256(data).hexdigest() == document.sha256
    with tempfile.NamedTemporaryFile(suffix=".pdf") as copy:
        copy.write(data)
        copy.flush()
        poppler = subprocess.run(["pdfsig", copy.name], capture_output=True).stdout.decode()
    by_pdfsig = "Signature is Valid." in poppler
    context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
    signatures = PdfFileReader(io.BytesIO(data)).embedded_signatures
    by_pyhanko = bool(signatures) and all(
        (status := validate_pdf_signature(s, context)).intact and status.valid and status.trusted for s in signatures
    )
    rows.append([document.pk, document.title[:60], len(data), digest, by_pdfsig, by_pyhanko])
print("RESULT " + json.dumps(rows))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="thidua-drill-") as tmp:
        tmp = Path(tmp)
        source = environment(args.server, SOURCE, tmp / "src")
        target = environment(args.server, TARGET, tmp / "dst")
        recreate(args.server, SOURCE, TARGET)
        try:
            manage(source, "migrate", "-v0")
            manage(source, "load_demo_data")
            manage(source, "shell", "--no-imports", "-c", SIGN_ALL)
            archive = tmp / "portal.tar.gz"
            start = time.perf_counter()
            manage(source, "backup_portal", "--output", str(archive))
            backed_up = time.perf_counter() - start
            manage(target, "migrate", "-v0")
            start = time.perf_counter()
            manage(target, "restore_portal", str(archive))
            restored = time.perf_counter() - start
            out = subprocess.run(
                [PYTHON, str(ROOT / "manage.py"), "shell", "--no-imports", "-c", VERIFY_ALL],
                env=target,
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        finally:
            drop(args.server, SOURCE, TARGET)
    import json

    rows = json.loads(out.split("RESULT ", 1)[1])
    print(f"\nbackup {backed_up:.1f} s, restore {restored:.1f} s")
    print(f"{'id':>4}  {'bytes':>8}  sha256  pdfsig  pyHanko  title")
    for pk, title, size, digest, by_pdfsig, by_pyhanko in rows:
        print(f"{pk:>4}  {size:>8}  {digest!s:<6}  {by_pdfsig!s:<6}  {by_pyhanko!s:<7}  {title}")
    failed = [row for row in rows if not all(row[3:])]
    passed = len(rows) - len(failed)
    print(f"\n{len(rows)} signed documents restored; {passed} pass all three checks, {len(failed)} fail")
    sys.exit(1 if failed or not rows else 0)


if __name__ == "__main__":
    main()
