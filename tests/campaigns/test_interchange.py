"""The JSON document: export, import, and refusals that change nothing."""

import copy
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from campaigns import interchange
from campaigns.models import Campaign
from tests.factories import plan_document


def problems(data, **kwargs):
    with pytest.raises(interchange.ImportErrors) as error:
        interchange.import_campaign(data, actor=None, **kwargs)
    return error.value.messages


def test_export_and_import_give_the_same_campaign(tree, personas, published_plan):
    data = interchange.export_campaign(published_plan)
    published_plan.delete()
    copy_ = interchange.import_campaign(data, actor=personas.province_staff)
    assert interchange.export_campaign(copy_) == data
    allocations = data["target_groups"][0]["targets"][0]["allocations"]
    assert allocations == [
        {"unit": "CDP-DS", "allocated_by": "LDLD-AP", "value": 50},
        {"unit": "CDP-XH", "allocated_by": "LDLD-AP", "value": 70},
    ]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d.pop("signer"), "(gốc): thiếu trường bắt buộc “signer”"),
        (lambda d: d.update(format="other/1"), "format: phải là thidua.campaign/1"),
        (lambda d: d["document"].update(kind="yearly"), "document.kind: phải là một trong regular, thematic, special"),
        (
            lambda d: d["rounds"][0].update(end="30/6/2026"),
            "rounds[1].end: không đúng định dạng (ngày viết YYYY-MM-DD)",
        ),
        (
            lambda d: d["target_groups"][0]["targets"][0].update(plan_value=-5),
            "target_groups[1].targets[1].plan_value: phải từ 0 trở lên",
        ),
        (lambda d: d["document"].update(colour="red"), "document: có trường không được phép: “colour”"),
    ],
    ids=["missing", "format", "enum", "date", "negative", "extra-field"],
)
def test_schema_problems_are_named_by_path(tree, mutate, expected):
    data = plan_document("LDLD-AP")
    mutate(data)
    assert expected in problems(data)
    assert Campaign.objects.count() == 0


def test_domain_problems_are_all_reported_at_once(tree):
    data = plan_document("LDLD-AP")
    data["rounds"][1]["start"] = "2026-06-01"  # overlaps round 1
    data["target_groups"][0]["targets"][1]["code"] = "CT01"
    data["target_groups"][0]["targets"][0]["allocations"] = [{"unit": "CDCS-BS", "value": 3}]
    data["deadlines"][0]["round"] = 9
    messages = problems(data)
    assert "target_groups[1].targets[1].allocations[1]: “CDCS-BS” is not below LDLD-AP." in messages or any(
        "CDCS-BS" in m for m in messages
    )
    assert any("Đợt 2 trùng thời gian với đợt 1" in m for m in messages)
    assert any("CT01" in m for m in messages)
    assert any("không có đợt 9" in m for m in messages)
    assert Campaign.objects.count() == 0


def test_unknown_owner_and_number_clash(tree, personas, published_plan):
    assert problems(plan_document("KHONG-CO")) == ["owner: không có đơn vị nào có mã “KHONG-CO”."]
    clash = plan_document("LDLD-AP", number=3, issued_on="2026-02-01", year=2026)
    assert problems(clash) == ["document.number: số 3/KH-LĐLĐ năm 2026 đã được cơ quan ban hành này dùng."]


def test_malformed_files(tree):
    for raw, message in [
        (b"{not json", "Tệp không phải JSON hợp lệ (dòng 1, cột 2)."),
        (b"\xff\xfe\x00", "Tệp không phải văn bản UTF-8."),
        (b"[1, 2]", "Tệp phải chứa một đối tượng kế hoạch."),
    ]:
        with pytest.raises(interchange.ImportErrors) as error:
            interchange.parse_json(raw)
        assert error.value.messages == [message]


def test_commands_round_trip(tree, published_plan, tmp_path):
    out = tmp_path / "plan.json"
    call_command("export_campaign", published_plan.pk, out=str(out), stdout=io.StringIO())
    data = json.loads(out.read_text())
    published_plan.delete()
    stdout = io.StringIO()
    call_command("import_campaign", str(out), stdout=stdout)
    assert "Imported campaign" in stdout.getvalue()
    assert Campaign.objects.get().subject == data["document"]["subject"]


def test_import_command_lists_problems_and_writes_nothing(tree, tmp_path):
    bad = copy.deepcopy(plan_document("LDLD-AP"))
    bad["rounds"][0]["end"] = "2025-12-31"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_campaign", str(path), stderr=stderr)
    assert "Đợt 1 kết thúc (31/12/2025) trước khi bắt đầu (01/1/2026)." in stderr.getvalue()
    assert Campaign.objects.count() == 0
