"""The inputs the fuzzers found that crashed (500) or wrote on a refusal, kept as plain tests."""

import io
import json
import tarfile
import zlib

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from campaigns.models import Campaign
from core.backup import BackupError, create_backup, restore_backup, sign_manifest
from organizations.models import Organization
from targets.models import AllocationSheet
from tests.fuzz.checks import post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"[" * 100_000 + b"]" * 100_000,
            "Tệp lồng danh sách hoặc đối tượng quá nhiều tầng, không phải văn bản kế hoạch.",
        ),
        (b'{"document": {"year": ' + b"9" * 5000 + b"}}", "Tệp chứa một số có quá nhiều chữ số."),
    ],
    ids=["deep-nesting", "5000-digit-number"],
)
def test_a_campaign_file_nested_too_deeply_or_with_a_huge_number_is_refused(client, personas, content, message):
    client.force_login(personas.province_staff)
    response = post(client, reverse("campaigns:campaign_import"), {"file": SimpleUploadedFile("k.json", content)})
    assert response.status_code == 200
    assert response.context["problems"] == [message]
    assert not Campaign.objects.exists()


def test_a_unit_that_is_not_a_number_falls_back_to_the_users_unit(client, tree, personas):
    client.force_login(personas.province_staff)
    response = post(client, reverse("campaigns:campaign_create"), {"unit": "Công đoàn cơ sở", "subject": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["subject"] == ["Trường này là bắt buộc."]
    assert not Campaign.objects.exists()


def test_an_id_beyond_64_bits_is_an_invalid_choice_not_a_crash(tree):
    field = forms.ModelMultipleChoiceField(queryset=Organization.objects.all())
    with pytest.raises(ValidationError) as refused:
        field.clean([str(tree.grassroots.pk), "99999999999999999999"])
    assert refused.value.messages == [
        "Hãy chọn một lựa chọn hợp lệ. 99999999999999999999 không phải là một trong các lựa chọn khả thi."
    ]
    assert list(field.clean([str(tree.grassroots.pk)])) == [tree.grassroots]
    assert list(Organization.objects.filter(pk__in=[-(2**70), tree.grassroots.pk, 2**70])) == [tree.grassroots]


def test_showing_the_allocation_page_writes_nothing(client, tree, personas, published_plan):
    client.force_login(personas.province_staff)
    url = reverse("targets:allocation", kwargs={"pk": published_plan.pk, "unit_pk": tree.district.pk})
    before = AllocationSheet.objects.count()
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["form"].initial["sheet_version"] == 0
    assert AllocationSheet.objects.count() == before


def _with_manifest(archive, change):
    """The archive with its manifest changed and signed again: a manifest that passes the
    signature (written by a faulty version, or restored with --accept-unsigned) is still checked."""
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers()]
    buffer = io.BytesIO()
    manifest = None
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for member, data in members:
            if member.name == "manifest.json":
                data = manifest = change(data)
            elif member.name == "manifest.sig":
                data = sign_manifest(manifest).encode()
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))
    return buffer.getvalue()


def _set(key, value):
    def change(data):
        manifest = json.loads(data)
        manifest[key] = value
        return json.dumps(manifest).encode()

    return change


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_set("counts", None), "has a damaged manifest, nothing was restored."),
        (_set("counts", {"khong.co": 1}), "has a damaged manifest, nothing was restored."),
        (_set("migrations", ["core"]), "has a damaged manifest, nothing was restored."),
        (_set("files", {"a.pdf": "x"}), "has a damaged manifest, nothing was restored."),
        (_set("database", 1), "has a damaged manifest, nothing was restored."),
        (lambda data: b"[" * 100_000 + b"]" * 100_000, "is not a readable portal backup: maximum recursion depth"),
    ],
    ids=["counts-null", "unknown-model", "migrations-list", "file-entry-text", "database-number", "deep-nesting"],
)
def test_a_damaged_manifest_is_refused_and_restores_nothing(tree, tmp_path, change, message):
    good = tmp_path / "good.tar.gz"
    create_backup(good)
    damaged = tmp_path / "damaged.tar.gz"
    damaged.write_bytes(_with_manifest(good.read_bytes(), change))
    units = Organization.objects.count()
    with pytest.raises(BackupError) as refused:
        restore_backup(damaged, force=True)
    assert message in str(refused.value)
    assert Organization.objects.count() == units


def test_a_gzip_stream_damaged_past_its_start_is_refused(tree, tmp_path, monkeypatch):
    """tarfile wraps a zlib error met while opening, not one met while extracting further on."""
    archive = tmp_path / "portal.tar.gz"
    create_backup(archive)

    def damaged(*args, **kwargs):
        raise zlib.error("Error -3 while decompressing data: invalid distance too far back")

    monkeypatch.setattr(tarfile.TarFile, "extractall", damaged)
    with pytest.raises(BackupError) as refused:
        restore_backup(archive, force=True)
    assert "is not a readable portal backup: Error -3 while decompressing data" in str(refused.value)


def test_a_version_stamp_of_unicode_digits_is_no_version(client, tree, personas, published_plan):
    """ "²".isdigit() is true and int("²") fails: such a stamp is a sheet made elsewhere, not a 500."""
    from openpyxl.packaging.custom import StringProperty

    from targets.spreadsheets import VERSION_PROPERTY, AllocationExporter

    content = AllocationExporter(published_plan, tree.province).render()[2]
    book = load_workbook(io.BytesIO(content))
    book.custom_doc_props.props.clear()  # the export's own stamp, replaced
    book.custom_doc_props.append(
        StringProperty(name=VERSION_PROPERTY, value=f"{published_plan.pk}:{tree.province.pk}:²")
    )
    buffer = io.BytesIO()
    book.save(buffer)
    client.force_login(personas.province_staff)
    url = reverse("targets:allocation_import", kwargs={"pk": published_plan.pk, "unit_pk": tree.province.pk})
    response = post(client, url, {"file": SimpleUploadedFile("giao.xlsx", buffer.getvalue())})
    assert response.status_code == 302
