"""Backups: the database and every uploaded or signed file go into one archive and come back whole.

The round trip is proven on the real thing: a published plan, a report with an evidence file and a
signed PDF are backed up, the database is flushed and MEDIA_ROOT emptied, and the restore brings back
every row (the dump written afterwards is the very same) and every file byte for byte; the signed PDF
still verifies. A damaged archive, another migration state or a database in use restore nothing.
"""

import hashlib
import io
import json
import re
import shutil
import stat
import tarfile
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from awards.catalogue_data import load_catalogue
from campaigns.models import Campaign
from campaigns.services import sign_campaign
from core.backup import sign_manifest, write_dump
from documents.certificates import fingerprint, issue_ca, issue_certificate, to_pem, to_pkcs12
from documents.models import DocumentType, SignedDocument, TrustAnchor
from documents.services import upload_certificate
from documents.signing import verify_pdf
from documents.types import load_document_types
from organizations.kinds import load_kinds
from organizations.models import Organization, OrganizationKind
from reports.models import Evidence, Report
from reports.services import reports as report_services
from tests.factories import make_organization
from tests.pdf import pdfsig

pytestmark = pytest.mark.django_db(transaction=True)

PASSPHRASE = "Mật khẩu ký số 2026!"
EVIDENCE = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + bytes(range(256)) * 4


@pytest.fixture(scope="module")
def pki():
    ca, ca_key = issue_ca(common_name="CA kiểm thử sao lưu")
    certificate, key = issue_certificate(ca, ca_key, "Liên đoàn Lao động tỉnh An Phú", "Công đoàn Việt Nam")
    return SimpleNamespace(ca=ca, p12=to_pkcs12(certificate, key, [ca], PASSPHRASE))


@pytest.fixture
def world(tree, personas, published_plan, pki):
    """A published plan, signed; the grassroots union's round 1 report with an evidence file."""
    TrustAnchor.objects.create(name="CA kiểm thử", certificate_pem=to_pem(pki.ca), fingerprint=fingerprint(pki.ca))
    certificate = upload_certificate(
        actor=personas.province_staff, unit=tree.province, data=pki.p12, passphrase=PASSPHRASE, label="Chứng thư số"
    )
    signed = sign_campaign(published_plan, actor=personas.leader_viewer, certificate=certificate, passphrase=PASSPHRASE)
    ct01 = published_plan.targets.get(code="CT01")
    data = report_services.ReportInput(
        entries={ct01.pk: report_services.Entry(value=12, note="Kết nạp 12 đoàn viên")},
        files={ct01.pk: [SimpleUploadedFile("bien-ban.pdf", EVIDENCE)]},
    )
    report = report_services.save_report(
        published_plan, tree.grassroots, published_plan.rounds.get(number=1), actor=personas.g1_officer, data=data
    )
    with signed.file.open("rb") as handle:
        signed_bytes = handle.read()
    return SimpleNamespace(plan=published_plan, report=report, signed=signed, signed_bytes=signed_bytes)


def dump():
    """Every row as the backup writes it: equal dumps mean equal databases."""
    handle = io.StringIO()
    write_dump(handle)
    return handle.getvalue()


def media_files(settings):
    root = settings.MEDIA_ROOT
    return (
        {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
        if root.exists()
        else {}
    )


def backup(path):
    out = io.StringIO()
    call_command("backup_portal", output=str(path), stdout=out)
    return out.getvalue()


def restore(path, *options):
    out = io.StringIO()
    call_command("restore_portal", str(path), *options, stdout=out)
    return out.getvalue()


def wipe(settings):
    """An empty portal as migrate leaves it: the reference data loaded, content types with other ids."""
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT)
    load_kinds(OrganizationKind)
    load_document_types(DocumentType)
    load_catalogue(lambda name: apps.get_model("awards", name))
    # Signed documents point at their plan through a content type: give it a new id.
    ContentType.objects.filter(app_label="campaigns", model="campaign").delete()
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_model(Campaign)


def rewrite(archive, change, *, resign=False):
    """Write the archive again with ``change(name, data)`` applied to each member's bytes.

    ``resign`` signs the changed manifest with the backup key, as the portal that wrote
    the archive would have: for tests of the checks that come after the signature's.
    """
    with tarfile.open(archive) as tar:
        members = [(member, tar.extractfile(member).read()) for member in tar.getmembers()]
    manifest = None
    with tarfile.open(archive, "w:gz") as tar:
        for member, data in members:
            data = change(member.name, data)
            if member.name == "manifest.json":
                manifest = data
            elif member.name == "manifest.sig" and resign:
                data = sign_manifest(manifest).encode()
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))


def manifest_of(archive):
    with tarfile.open(archive) as tar:
        return json.load(tar.extractfile("manifest.json"))


def test_round_trip_brings_back_every_row_and_file_and_the_signature_still_verifies(world, settings, tmp_path):
    before, files_before = dump(), media_files(settings)
    evidence = Evidence.objects.get()
    assert set(files_before) == {evidence.file.name, world.signed.file.name}
    archive = tmp_path / "portal.tar.gz"

    said = backup(archive)

    rows = sum(manifest_of(archive)["counts"].values())
    assert re.fullmatch(
        rf"Backup written to {re.escape(str(archive))}: {rows} rows, 2 files, \d+\.\d MB in \d+\.\d s\.\n", said
    )
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600  # password hashes and certificates inside
    manifest = manifest_of(archive)
    assert manifest["files"][evidence.file.name] == {"sha256": evidence.sha256, "size": len(EVIDENCE)}
    assert manifest["files"][world.signed.file.name]["sha256"] == world.signed.sha256
    assert manifest["counts"]["campaigns.campaign"] == 1 and manifest["counts"]["reports.evidence"] == 1
    assert "auth.permission" not in manifest["counts"] and "sessions.session" not in manifest["counts"]
    assert manifest["migrations"]["reports"] and manifest["migrations"]["campaigns"]

    wipe(settings)
    assert not Campaign.objects.exists() and not media_files(settings)

    said = restore(archive)

    assert re.fullmatch(rf"Restored {re.escape(str(archive))}: {rows} rows, 2 files, \d+\.\d MB in \d+\.\d s\.\n", said)
    assert dump() == before  # every row of every table, ids and timestamps to the microsecond
    assert media_files(settings) == files_before
    plan = Campaign.objects.get(pk=world.plan.pk)
    assert (plan.status, plan.number, plan.subject) == ("published", 3, world.plan.subject)
    report = Report.objects.get(pk=world.report.pk)
    value = report.values.get(target__code="CT01")
    assert (value.value, value.note) == (12, "Kết nạp 12 đoàn viên")
    with value.evidence.get().file.open("rb") as handle:
        assert handle.read() == EVIDENCE
    signed = SignedDocument.objects.get()
    assert signed.subject == plan  # its content type found again by natural key
    with signed.file.open("rb") as handle:
        data = handle.read()
    assert data == world.signed_bytes
    verdict = verify_pdf(data)
    assert verdict.intact and verdict.issued == signed and verdict.signatures[0].trusted
    if shutil.which("pdfsig"):
        assert "Signature Validation: Signature is Valid." in pdfsig(data)
    # New rows take ids after the restored ones (PostgreSQL sequences were reset).
    assert make_organization("Công đoàn cơ sở mới", parent=plan.owner).pk > max(
        Organization.objects.exclude(name="Công đoàn cơ sở mới").values_list("pk", flat=True)
    )


def test_a_database_in_use_is_refused_unless_forced(world, settings, tmp_path):
    archive = tmp_path / "portal.tar.gz"
    backup(archive)
    before, files_before = dump(), media_files(settings)
    added = make_organization("Công đoàn cơ sở lập sau bản sao lưu", parent=world.plan.owner)

    with pytest.raises(CommandError) as refused:
        restore(archive)

    assert str(refused.value) == (
        "The database already holds portal data (accounts.user: 6, organizations.organization: 10, "
        "campaigns.campaign: 1). Restore into a freshly migrated database, or pass --force to replace everything in it."
    )
    assert Organization.objects.filter(pk=added.pk).exists()

    restore(archive, "--force")

    assert not Organization.objects.filter(pk=added.pk).exists()
    assert dump() == before and media_files(settings) == files_before


def test_an_altered_file_in_the_archive_restores_nothing(world, settings, tmp_path):
    archive = tmp_path / "portal.tar.gz"
    backup(archive)
    evidence_name = f"media/{Evidence.objects.get().file.name}"

    def flip_a_byte(name, data):
        return data[:20] + bytes([data[20] ^ 1]) + data[21:] if name == evidence_name else data

    rewrite(archive, flip_a_byte)
    wipe(settings)

    with pytest.raises(CommandError) as refused:
        restore(archive)

    assert str(refused.value) == (
        f"The archive is damaged or was altered, nothing was restored (SHA-256 mismatch: {evidence_name[6:]})."
    )
    assert not Organization.objects.exists() and not Campaign.objects.exists()
    assert media_files(settings) == {}  # not even the intact signed PDF, and no staging left behind
    assert not any(settings.MEDIA_ROOT.iterdir())


def replace_evidence_with_recomputed_checksums(archive, evidence_name, content):
    """What someone holding the archive but not the key can do: swap a file, fix the manifest."""

    def swap(name, data):
        if name == evidence_name:
            return content
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["files"][evidence_name[6:]] = {"sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
            return json.dumps(manifest).encode()
        return data

    rewrite(archive, swap)


def test_an_archive_altered_with_recomputed_checksums_is_refused_for_its_signature(world, settings, tmp_path):
    archive = tmp_path / "portal.tar.gz"
    backup(archive)
    evidence_name = f"media/{Evidence.objects.get().file.name}"
    replace_evidence_with_recomputed_checksums(archive, evidence_name, b"%PDF-1.7 forged minutes")
    wipe(settings)

    with pytest.raises(CommandError) as refused:
        restore(archive)

    assert str(refused.value).startswith(
        f"{archive} was not signed with this portal's backup key, or was altered after the backup, "
        "nothing was restored."
    )
    assert not Organization.objects.exists() and media_files(settings) == {}


def test_an_archive_signed_with_another_key_is_refused_until_the_key_is_set(world, settings, tmp_path):
    archive = tmp_path / "portal.tar.gz"
    settings.BACKUP_KEY = "the-key-of-the-federation-that-wrote-the-archive-0123456789"
    backup(archive)
    wipe(settings)
    settings.BACKUP_KEY = "a-new-machine-with-a-key-of-its-own-0123456789-abcdefghij"

    with pytest.raises(CommandError, match="was not signed with this portal's backup key"):
        restore(archive)
    assert not Organization.objects.exists()

    settings.BACKUP_KEY = "the-key-of-the-federation-that-wrote-the-archive-0123456789"
    assert "Restored" in restore(archive)
    assert Campaign.objects.count() == 1


def test_an_unsigned_archive_restores_only_when_accepted(world, settings, tmp_path):
    archive = tmp_path / "portal.tar.gz"
    backup(archive)
    evidence_name = f"media/{Evidence.objects.get().file.name}"
    with tarfile.open(archive) as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers() if m.name != "manifest.sig"]
    with tarfile.open(archive, "w:gz") as tar:
        for member, data in members:
            tar.addfile(member, io.BytesIO(data))
    wipe(settings)

    with pytest.raises(CommandError, match=r"carries no signature, nothing was restored\. Set PORTAL_BACKUP_KEY"):
        restore(archive)
    assert not Organization.objects.exists()

    assert "Restored" in restore(archive, "--accept-unsigned")
    assert Campaign.objects.count() == 1
    assert evidence_name[6:] in media_files(settings)


def test_an_archive_of_another_migration_state_is_refused(world, settings, tmp_path):
    archive = tmp_path / "portal.tar.gz"
    backup(archive)
    code_state = manifest_of(archive)["migrations"]["awards"]

    def from_the_future(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"]["awards"] = ["0099_future"]
        return json.dumps(manifest).encode()

    rewrite(archive, from_the_future, resign=True)
    wipe(settings)

    with pytest.raises(CommandError) as refused:
        restore(archive)

    assert str(refused.value) == (
        f"The archive was made at another migration state than this code (awards: archive 0099_future, "
        f"code {code_state[0]}). Restore it with the version of the portal that wrote it."
    )
    assert not Organization.objects.exists() and media_files(settings) == {}


def test_a_dump_that_fails_to_load_changes_nothing(world, settings, tmp_path):
    """Rows load in one transaction: a bad row at the very end undoes the whole load."""
    archive = tmp_path / "portal.tar.gz"
    backup(archive)
    orphan = {"model": "organizations.organization", "pk": 99999, "fields": {"name": "Mồ côi", "parent": 88888}}
    broken = {}

    def append_orphan(name, data):
        if name == "database.jsonl":
            data += (json.dumps(orphan) + "\n").encode()
            broken["sha256"] = hashlib.sha256(data).hexdigest()
        elif name == "manifest.json":
            manifest = json.loads(data)
            manifest["database"]["sha256"] = broken["sha256"]
            data = json.dumps(manifest).encode()
        return data

    rewrite(archive, append_orphan, resign=True)  # the dump comes before the manifest in the archive
    wipe(settings)
    kinds = OrganizationKind.objects.count()

    with pytest.raises(CommandError) as refused:
        restore(archive)

    assert str(refused.value).startswith("The database dump could not be loaded, nothing was restored:")
    assert not Organization.objects.exists() and not Campaign.objects.exists()
    assert OrganizationKind.objects.count() == kinds  # emptying the tables was undone too
    assert media_files(settings) == {}


def test_the_default_archive_goes_to_var_backups(tree, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    call_command("backup_portal", stdout=io.StringIO())
    (archive,) = (tmp_path / "var" / "backups").iterdir()
    assert re.fullmatch(r"portal-\d{8}-\d{6}\.tar\.gz", archive.name)
    with tarfile.open(archive) as tar:
        assert sorted(tar.getnames()) == ["database.jsonl", "manifest.json", "manifest.sig"]  # no uploads yet
    assert manifest_of(archive)["files"] == {}


def test_an_archive_with_a_foreign_member_is_refused(tree, tmp_path):
    archive = tmp_path / "portal.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("../../etc/cron.d/evil")
        info.size = 4
        tar.addfile(info, io.BytesIO(b"evil"))

    with pytest.raises(CommandError) as refused:
        restore(archive)

    assert str(refused.value) == f"{archive} holds '../../etc/cron.d/evil', which no portal backup holds."
