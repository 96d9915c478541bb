"""Progress reports: figures by kind, evidence checked by content, lateness, review, lock and roll-up."""

import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.exceptions import ConflictError, DomainError
from reports.models import Action, Evidence, Report, ReportValue, Status
from reports.rollup import rollup
from reports.services import reports as services
from tests.factories import make_membership, make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def url(plan, unit, period="1"):
    return reverse("reports:report_detail", args=[plan.pk, unit.pk, period])


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def entries(targets, **by_code):
    return {targets[code].pk: services.Entry(**fields) for code, fields in by_code.items()}


def save(plan, unit, round_, actor, version=None, files=None, **by_code):
    targets = {t.code: t for t in plan.targets.all()}
    data = services.ReportInput(entries=entries(targets, **by_code), files=files or {})
    return services.save_report(plan, unit, round_, actor=actor, data=data, expected_version=version)


@pytest.fixture
def school(tree):
    """A state-sector grassroots union: it answers the percentage target CT03 too."""
    officer = make_user("truong.chuyenvien", full_name="Lò Thị Trường")
    make_membership(officer, tree.far_grassroots, "officer")
    return officer


def form_data(targets, version=0, action="save", key="k", **fields):
    data = {
        "version": version,
        "action": action,
        "request_key": key,
        "highlights": "",
        "shortcomings": "",
        "proposals": "",
    }
    for name, value in fields.items():
        code, _sep, part = name.partition("_")
        data[f"{part}_{targets[code].pk}"] = value
    return data


def test_the_page_asks_each_target_the_way_its_kind_says(client, tree, personas, plan, targets, school):
    client.force_login(school)
    page = text(client.get(url(plan, tree.far_grassroots)))
    assert f'name="v_{targets["CT01"].pk}"' in page  # count: a number
    assert f'name="n_{targets["CT03"].pk}"' in page and f'name="d_{targets["CT03"].pk}"' in page  # percentage
    assert f'name="a_{targets["CT04"].pk}"' in page  # coverage at grassroots level: yes/no
    assert f'name="v_{targets["CT03"].pk}"' not in page  # never a typed percentage
    assert "Báo cáo sơ kết đợt 1" in page and "Hạn" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"CT01_v": "-4"}, "Không được âm."),
        ({"CT01_v": "mười"}, "Hãy nhập một số."),
        ({"CT03_n": "18", "CT03_d": "15"}, "Tử số (18) lớn hơn mẫu số (15)."),
        ({"CT03_n": "3", "CT03_d": ""}, "Hãy nhập cả tử số và mẫu số."),
        ({"CT03_n": "0", "CT03_d": "0"}, "Mẫu số không được bằng 0."),
    ],
)
def test_bad_figures_are_refused_and_everything_typed_is_kept(client, tree, plan, targets, school, fields, message):
    client.force_login(school)
    data = form_data(targets, **{"CT01_v": "12", "CT01_note": "Đã kết nạp tại hội nghị", **fields})
    data["highlights"] = "Tổ chức tốt Tháng Công nhân."
    page = text(client.post(url(plan, tree.far_grassroots), data))
    assert message in page
    assert "Đã kết nạp tại hội nghị" in page and "Tổ chức tốt Tháng Công nhân." in page
    for value in fields.values():
        if value:
            assert f'value="{value}"' in page
    assert not Report.objects.exists()


def test_a_report_keeps_numbers_fractions_and_yes_no(client, tree, plan, targets, school):
    client.force_login(school)
    data = form_data(targets, CT01_v="1.200", CT03_n="17", CT03_d="20", CT04_a="yes", CT04_note="Tổ chức ngày 10/5")
    assert client.post(url(plan, tree.far_grassroots), data).status_code == 302
    report = Report.objects.get(organization=tree.far_grassroots)
    values = {v.target.code: v for v in report.values.select_related("target")}
    assert values["CT01"].value == Decimal(1200)
    assert (values["CT03"].numerator, values["CT03"].denominator) == (Decimal(17), Decimal(20))
    assert (values["CT04"].achieved, values["CT04"].note) == (True, "Tổ chức ngày 10/5")
    assert not values["CT01"].on_behalf and values["CT01"].entered_by == school
    assert report.status == Status.DRAFT


def test_evidence_is_checked_by_its_content(client, tree, plan, targets, school, settings):
    client.force_login(school)
    ct01 = targets["CT01"]

    def send(upload):
        current = Report.objects.first()
        data = form_data(targets, version=current.version if current else 0, key=upload.name, CT01_v="5")
        data[f"f_{ct01.pk}"] = upload
        return client.post(url(plan, tree.far_grassroots), data)

    # A web page renamed .pdf is refused; so is a program.
    for name, content in [("bien-ban.pdf", b"<html><script>alert(1)</script></html>"), ("anh.png", b"MZ\x90\x00")]:
        page = text(send(SimpleUploadedFile(name, content)))
        assert f"“{name}” không phải tệp PDF, ảnh (JPEG, PNG, GIF, WebP) hay tài liệu Office." in page
        assert 'value="5"' in page
    settings.EVIDENCE_MAX_BYTES = 1024
    page = text(send(SimpleUploadedFile("lon.pdf", PDF + b"0" * 2048)))
    assert "“lon.pdf”: Tệp vượt quá dung lượng cho phép (0 MB)." in page
    assert not Evidence.objects.exists() and not Report.objects.exists()

    settings.EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
    for name, content, kind in [
        ("danh-sach.pdf", PDF, "application/pdf"),
        ("anh chup.png", PNG, "image/png"),
        ("bao-cao.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ]:
        assert send(SimpleUploadedFile(name, content)).status_code == 302
        evidence = Evidence.objects.get(original_name=name)
        assert (evidence.content_type, evidence.size) == (kind, len(content))
        # Stored under a random name, served only through the checked view.
        assert name.split(".")[0] not in evidence.file.name
    report = Report.objects.get()
    download = client.get(
        reverse(
            "reports:evidence_download",
            args=[plan.pk, tree.far_grassroots.pk, "1", Evidence.objects.get(original_name="danh-sach.pdf").pk],
        )
    )
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert 'filename="danh-sach.pdf"' in download["Content-Disposition"]
    assert report.values.get(target=ct01).evidence.count() == 3


def test_files_per_value_are_capped_counting_those_already_kept(tree, plan, targets, school, settings):
    settings.EVIDENCE_MAX_FILES = 2
    round_ = plan.rounds.get(number=1)

    def upload(name):
        return SimpleUploadedFile(name, PDF)

    ct01, ct02 = targets["CT01"], targets["CT02"]
    report = save(
        plan,
        tree.far_grassroots,
        round_,
        school,
        CT01={"value": 5},
        CT02={"value": 3},
        files={ct01.pk: [upload("a.pdf"), upload("b.pdf")], ct02.pk: [upload("c.pdf")]},
    )
    with pytest.raises(services.ReportProblems) as refused:
        save(
            plan,
            tree.far_grassroots,
            round_,
            school,
            report.version,
            CT01={"value": 5},
            files={ct01.pk: [upload("d.pdf")]},
        )
    assert refused.value.problems == {ct01.pk: ("files", "Mỗi chỉ tiêu tối đa 2 tệp.")}
    # The other value had room for one more.
    save(
        plan, tree.far_grassroots, round_, school, report.version, CT02={"value": 3}, files={ct02.pk: [upload("e.pdf")]}
    )
    counts = {v.target.code: v.evidence.count() for v in Report.objects.get().values.select_related("target")}
    assert counts == {"CT01": 2, "CT02": 2}


def test_saving_a_report_reads_its_values_and_files_in_a_fixed_number_of_queries(
    tree, plan, targets, school, django_assert_max_num_queries
):
    """The files already kept are counted in the query that reads the values, not one query per value."""
    round_ = plan.rounds.get(number=1)
    figures = {"CT01": {"value": 5}, "CT02": {"value": 3}, "CT03": {"numerator": 1, "denominator": 2}}
    files = {targets[code].pk: [SimpleUploadedFile(f"{code}.pdf", PDF)] for code in figures}
    report = save(plan, tree.far_grassroots, round_, school, files=files, **figures)
    changed = {code: {"value": 6} if "value" in fields else fields for code, fields in figures.items()}
    # Reading: campaign state, report, lock, scope, targets, values with their file counts; writing
    # one changed value and its history, then the report and its history.
    with django_assert_max_num_queries(18):
        save(plan, tree.far_grassroots, round_, school, report.version, **changed)


def test_the_report_page_reads_in_a_bounded_number_of_queries(
    client, tree, plan, targets, school, django_assert_max_num_queries
):
    """The page grassroots officers open most: rights on the unit, the unit above and the owner are
    read in one walk up the tree, the unit's ancestors and the plan's scope once a request."""
    client.force_login(school)
    assert client.post(url(plan, tree.far_grassroots), form_data(targets, CT01_v="5")).status_code == 302
    with django_assert_max_num_queries(21):
        page = client.get(url(plan, tree.far_grassroots))
    assert 'value="5"' in text(page)


def test_evidence_of_one_unit_cannot_be_read_through_another(client, tree, personas, plan, targets, school, round_one):
    report = save(
        plan,
        tree.far_grassroots,
        round_one,
        school,
        files={targets["CT01"].pk: [SimpleUploadedFile("a.pdf", PDF)]},
        CT01={"value": 1},
    )
    evidence = Evidence.objects.get(value__report=report)
    client.force_login(personas.grassroots_chair)
    # Through its own report URL, the grassroots chair guesses the school's file number.
    save(plan, tree.grassroots, round_one, personas.grassroots_chair, CT01={"value": 2})
    guessed = reverse("reports:evidence_download", args=[plan.pk, tree.grassroots.pk, "1", evidence.pk])
    assert client.get(guessed).status_code == 404
    direct = reverse("reports:evidence_download", args=[plan.pk, tree.far_grassroots.pk, "1", evidence.pk])
    assert client.get(direct).status_code == 404  # another district's unit: outside the chair's reach


def test_sending_late_is_allowed_and_flagged(tree, personas, plan, round_one):
    report = save(plan, tree.grassroots, round_one, personas.g1_officer, CT01={"value": 12})
    report, sent = services.submit_report(report, actor=personas.g1_officer)
    expected = (__import__("django.utils.timezone", fromlist=["x"]).localdate() - round_one.report_due).days
    assert sent and report.late_days == max(expected, 0)
    event = report.events.get(action=Action.SUBMITTED)
    if report.late_days:
        assert event.comment == f"chậm {report.late_days} ngày"


def test_review_per_value_comments_correction_and_lock(
    client, tree, personas, plan, targets, round_one, district_people
):
    report = save(plan, tree.grassroots, round_one, personas.g1_officer, CT01={"value": 12}, CT02={"value": 1})
    services.submit_report(report, actor=personas.g1_officer)
    client.force_login(district_people.leader)
    response = client.post(
        reverse("reports:report_return", args=[plan.pk, tree.grassroots.pk, "1"]),
        {"comment": "", f"c_{targets['CT01'].pk}": "Gửi kèm danh sách đoàn viên mới."},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.RETURNED
    assert report.values.get(target=targets["CT01"]).review_comment == "Gửi kèm danh sách đoàn viên mới."
    client.force_login(personas.g1_officer)
    page = text(client.get(url(plan, tree.grassroots)))
    assert "Cần sửa:</strong> Gửi kèm danh sách đoàn viên mới." in page

    save(
        plan,
        tree.grassroots,
        round_one,
        personas.g1_officer,
        version=report.version,
        CT01={"value": 14},
        CT02={"value": 1},
    )
    services.submit_report(report, actor=personas.g1_officer)
    services.approve_report(report, actor=district_people.leader)
    report.refresh_from_db()
    assert report.status == Status.APPROVED
    assert report.values.get(target=targets["CT01"]).review_comment == ""
    # Locked: neither saving nor sending again changes it.
    with pytest.raises(DomainError, match="Báo cáo đã gửi hoặc đã duyệt"):
        save(plan, tree.grassroots, round_one, personas.g1_officer, CT01={"value": 99})
    data = form_data(targets, version=report.version, action="submit", key="late-tab", CT01_v="99")
    page = text(client.post(url(plan, tree.grassroots), data))
    assert "Báo cáo đã gửi hoặc đã duyệt; không thể sửa nữa." in page
    assert ReportValue.objects.get(report=report, target=targets["CT01"]).value == Decimal(14)
    assert f'name="v_{targets["CT01"].pk}"' not in text(client.get(url(plan, tree.grassroots)))


def test_reopening_needs_a_reason_and_the_next_approval_lists_the_changes(
    tree, personas, plan, round_one, district_people
):
    report = save(plan, tree.grassroots, round_one, personas.g1_officer, CT01={"value": 12})
    services.submit_report(report, actor=personas.g1_officer)
    services.approve_report(report, actor=district_people.leader)
    with pytest.raises(DomainError, match="Hãy nêu lý do mở lại."):
        services.reopen_report(report, actor=district_people.leader, reason=" ")
    with pytest.raises(DomainError, match="Chỉ công đoàn cấp trên"):
        services.reopen_report(report, actor=personas.grassroots_chair, reason="Tự mở")
    services.reopen_report(report, actor=district_people.leader, reason="Số liệu CT01 nhập nhầm.")
    report.refresh_from_db()
    save(
        plan,
        tree.grassroots,
        round_one,
        personas.g1_officer,
        version=report.version,
        CT01={"value": 21, "note": "Bổ sung 9 đoàn viên"},
    )
    services.submit_report(report, actor=personas.g1_officer)
    services.approve_report(report, actor=district_people.leader)
    approval = report.events.filter(action=Action.APPROVED).last()
    assert approval.changes == [["CT01", "12", "21"], ["CT01 ghi chú", "—", "Bổ sung 9 đoàn viên"]]
    assert report.events.get(action=Action.REOPENED).comment == "Số liệu CT01 nhập nhầm."


def test_the_district_enters_for_a_unit_that_cannot_get_online(client, tree, personas, plan, targets):
    client.force_login(personas.district_officer)
    page = text(client.get(url(plan, tree.grassroots)))
    assert "Bạn đang nhập thay cho" in page
    data = form_data(targets, CT01_v="9")
    assert client.post(url(plan, tree.grassroots), data).status_code == 302
    value = ReportValue.objects.get(target=targets["CT01"])
    assert value.on_behalf and value.entered_by == personas.district_officer
    client.force_login(personas.grassroots_chair)
    assert "Cấp trên nhập thay (Lê Thị Phường)" in text(client.get(url(plan, tree.grassroots)))


def test_the_district_report_starts_from_the_sum_of_its_approved_units(
    client, tree, personas, plan, targets, round_one, district_people
):
    for unit, value, done in [(tree.grassroots, 12, True), (tree.other_grassroots, 7, False)]:
        report = save(plan, unit, round_one, personas.province_staff, CT01={"value": value}, CT04={"achieved": done})
        services.submit_report(report, actor=personas.province_staff)
        services.approve_report(report, actor=district_people.leader)
    figures = rollup(plan, tree.district, round_one, list(plan.targets.all()))
    assert figures[targets["CT01"].pk].value == Decimal(19)
    coverage = figures[targets["CT04"].pk]
    assert (coverage.numerator, coverage.denominator, coverage.percent) == (1, 2, Decimal("50.0"))

    client.force_login(personas.district_officer)
    page = text(client.get(url(plan, tree.district)))
    assert f'name="v_{targets["CT01"].pk}" value="19"' in page
    assert f'name="n_{targets["CT04"].pk}" value="1"' in page and f'name="d_{targets["CT04"].pk}" value="2"' in page
    assert "tổng các đơn vị trực thuộc <strong>19</strong> (2 báo cáo)" in page
    # A figure other than the sum needs a note saying why.
    data = form_data(targets, CT01_v="25", CT04_n="1", CT04_d="2")
    page = text(client.post(url(plan, tree.district), data))
    assert "Số liệu khác với tổng của các đơn vị trực thuộc: hãy ghi rõ lý do." in page
    data[f"note_{targets['CT01'].pk}"] = "Cấp phường trực tiếp kết nạp 6 đoàn viên ở nghiệp đoàn."
    assert client.post(url(plan, tree.district), data).status_code == 302
    assert Report.objects.get(organization=tree.district).values.get(target=targets["CT01"]).value == Decimal(25)

    # The province's board sums the district once the province approves it.
    report = Report.objects.get(organization=tree.district)
    services.submit_report(report, actor=personas.district_officer)
    services.approve_report(report, actor=personas.leader_viewer)
    client.force_login(personas.leader_viewer)
    board = text(client.get(reverse("reports:report_board", args=[plan.pk, tree.province.pk, "1"])))
    assert re.search(
        r"CT01</span>.*?<td class=\"text-end\">120</td> <td class=\"text-end\">25</td> <td class=\"text-end\">20,8%</td>",
        board,
    )


def test_two_people_saving_one_report_are_told_and_shown_both(client, tree, personas, plan, targets, round_one):
    report = save(plan, tree.grassroots, round_one, personas.g1_officer, CT01={"value": 10})
    stale = report.version
    save(
        plan,
        tree.grassroots,
        round_one,
        personas.grassroots_chair,
        version=stale,
        CT01={"value": 11, "note": "Theo sổ"},
    )
    with pytest.raises(ConflictError):
        save(plan, tree.grassroots, round_one, personas.g1_officer, version=stale, CT01={"value": 12})
    client.force_login(personas.g1_officer)
    page = text(client.post(url(plan, tree.grassroots), form_data(targets, version=stale, CT01_v="13")))
    assert "Phạm Văn May đã lưu nội dung này trong lúc bạn đang sửa." in page
    assert f'name="v_{targets["CT01"].pk}" value="13"' in page
    assert "Bản người khác đã lưu: 11 – Theo sổ" in page
    assert ReportValue.objects.get(report=report, target=targets["CT01"]).value == Decimal(11)


def test_a_draft_plan_has_no_report_pages(client, tree, personas, draft_plan):
    client.force_login(personas.province_staff)
    assert client.get(url(draft_plan, tree.grassroots)).status_code == 404


def test_the_period_in_the_address_must_exist(client, tree, personas, plan):
    client.force_login(personas.g1_officer)
    assert client.get(url(plan, tree.grassroots, "9")).status_code == 404
    assert client.get(url(plan, tree.grassroots, "x")).status_code == 404
    assert "Báo cáo tổng kết năm 2026" in text(client.get(url(plan, tree.grassroots, "year")))
