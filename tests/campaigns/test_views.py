"""Plan pages through the test client: authoring by parts, errors kept, conflicts, XSS."""

import re

from django.urls import reverse

from campaigns.models import Campaign, Round, Status
from targets.models import Target


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def formset(prefix, rows, initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


def test_create_a_plan_with_the_next_number_suggested(client, tree, personas, published_plan):
    client.force_login(personas.province_staff)
    page = text(client.get(reverse("campaigns:campaign_create")))
    assert "Số tiếp theo còn trống: 4" in page
    issuer = published_plan.issuer
    from documents.models import DocumentType

    response = client.post(
        reverse("campaigns:campaign_create"),
        {
            "unit": tree.province.pk,
            "issuer": issuer.pk,
            "doc_type": DocumentType.objects.get(abbreviation="PĐTĐ").pk,
            "type_heading": "",
            "number": "",
            "issued_on": "",
            "place": "",
            "subject": "Thi đua chào mừng Đại hội",
            "year": "2026",
            "kind": "thematic",
            "signer_collective_authority": "tm",
            "signer_collective": "BAN THƯỜNG VỤ",
            "signer_authority": "kt",
            "signer_head_title": "CHỦ TỊCH",
            "signer_title": "PHÓ CHỦ TỊCH",
            "signer_name": "Lê Văn Phó",
        },
    )
    plan = Campaign.objects.get(subject="Thi đua chào mừng Đại hội")
    assert response["Location"] == plan.get_absolute_url()
    assert (plan.symbol, plan.type_heading, plan.place) == ("PĐTĐ-LĐLĐ", "PHÁT ĐỘNG THI ĐUA", "An Phú")
    assert plan.signer_lines() == ["TM. BAN THƯỜNG VỤ", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]


def test_rounds_that_overlap_are_refused_and_the_input_is_kept(client, tree, personas, draft_plan):
    client.force_login(personas.province_staff)
    url = reverse("campaigns:round_list", args=[draft_plan.pk])
    rounds = list(draft_plan.rounds.all())
    rows = [
        {
            "id": r.pk,
            "number": r.number,
            "name": r.name,
            "heading": r.heading,
            "theme": "",
            "start": str(r.start),
            "end": str(r.end),
            "report_due": "",
            "description": r.description,
        }
        for r in rounds
    ]
    rows[1]["start"] = "2026-06-15"
    rows[1]["description"] = "Nội dung đợt 2 vừa sửa"
    response = client.post(url, {"campaign_version": draft_plan.version, **formset("items", rows, initial=2)})
    page = text(response)
    assert "Đợt 2 trùng thời gian với đợt 1 (01/1/2026 – 30/6/2026)." in page
    assert "Nội dung đợt 2 vừa sửa" in page
    assert Round.objects.get(pk=rounds[1].pk).start.isoformat() == "2026-07-01"
    rows[1]["start"], rows[1]["end"] = "2026-05-01", "2026-04-01"
    assert "Đợt 2 kết thúc (01/4/2026) trước khi bắt đầu (01/5/2026)." in text(
        client.post(url, {"campaign_version": draft_plan.version, **formset("items", rows, initial=2)})
    )
    rows[1]["start"], rows[1]["end"] = "2026-07-01", "2027-01-31"
    assert "Đợt 2 nằm ngoài năm 2026" in text(
        client.post(url, {"campaign_version": draft_plan.version, **formset("items", rows, initial=2)})
    )


def test_items_are_saved_in_the_order_the_user_set(client, tree, personas, draft_plan):
    client.force_login(personas.province_staff)
    section = draft_plan.sections.get(kind="purposes")
    clause = section.clauses.get()
    url = reverse("campaigns:section_update", args=[draft_plan.pk, section.pk])
    data = {
        "campaign_version": draft_plan.version,
        "main-label": "I.",
        "main-title": "MỤC ĐÍCH, YÊU CẦU",
        "main-intro": "",
        "main-closing": "",
        **formset(
            "items",
            [
                {
                    "id": clause.pk,
                    "depth": 0,
                    "label": "2.",
                    "title": "Yêu cầu",
                    "body": "Thiết thực, hiệu quả.",
                    "ORDER": 2,
                },
                {
                    "depth": 0,
                    "label": "1.",
                    "title": "Mục đích",
                    "body": "Động viên **toàn thể** đoàn viên.",
                    "ORDER": 1,
                },
            ],
            initial=1,
        ),
    }
    response = client.post(url, data)
    assert response.status_code == 302
    assert list(section.clauses.values_list("label", flat=True)) == ["1.", "2."]
    detail = text(client.get(draft_plan.get_absolute_url()))
    assert "Động viên <strong>toàn thể</strong> đoàn viên." in detail


def test_a_stale_page_is_told_of_the_conflict_and_saves_nothing(client, tree, personas, draft_plan):
    client.force_login(personas.province_staff)
    url = reverse("campaigns:recipient_list", args=[draft_plan.pk])
    recipients = list(draft_plan.recipients.all())
    rows = [{"id": r.pk, "text": r.text, "group_note": r.group_note, "ORDER": i + 1} for i, r in enumerate(recipients)]
    stale = draft_plan.version
    rows_a = [dict(rows[0], text="UBND tỉnh;"), rows[1]]
    assert client.post(url, {"campaign_version": stale, **formset("items", rows_a, initial=2)}).status_code == 302
    rows_b = [dict(rows[0], text="Tỉnh ủy;"), rows[1]]
    page = text(client.post(url, {"campaign_version": stale, **formset("items", rows_b, initial=2)}))
    assert "Người khác đã lưu bản ghi này trong lúc bạn đang sửa." in page and "Tỉnh ủy;" in page
    assert draft_plan.recipients.first().text == "UBND tỉnh;"


def test_a_conflict_on_a_section_writes_nothing_and_shows_the_other_version(client, tree, personas, draft_plan):
    client.force_login(personas.province_staff)
    section = draft_plan.sections.get(kind="purposes")
    url = reverse("campaigns:section_update", args=[draft_plan.pk, section.pk])
    clause = section.clauses.get()

    def post(intro, body, level, version):
        main = {"main-label": section.label, "main-title": section.title, "main-intro": intro, "main-closing": ""}
        row = {
            "id": clause.pk,
            "depth": 0,
            "label": "1.",
            "title": "Mục đích",
            "body": body,
            "responsible_level": level,
            "ORDER": 1,
        }
        return client.post(url, {"campaign_version": version, **main, **formset("items", [row], initial=1)})

    stale = draft_plan.version
    assert post("Lời mở đầu của chị Tỉnh.", "Thân bài của chị Tỉnh.", "3", stale).status_code == 302
    page = text(post("Lời mở đầu viết sau.", "Thân bài viết sau.", "", stale))
    assert "Người khác đã lưu bản ghi này trong lúc bạn đang sửa." in page
    # The user's input is kept, the other version is shown for comparison, nothing of it was written.
    assert "Lời mở đầu viết sau." in page and "Thân bài viết sau." in page
    theirs = page[page.index("Phiên bản do người khác lưu") :]
    assert "Lời mở đầu của chị Tỉnh." in theirs and "Thân bài của chị Tỉnh." in theirs
    assert "Công đoàn cấp trên trực tiếp cơ sở" in theirs
    section.refresh_from_db()
    clause.refresh_from_db()
    assert (section.intro, clause.body) == ("Lời mở đầu của chị Tỉnh.", "Thân bài của chị Tỉnh.")


def test_rows_left_as_they_were_are_not_written_again(client, tree, personas, draft_plan):
    from django.db.models.signals import post_save

    from campaigns.models import Recipient

    client.force_login(personas.province_staff)
    url = reverse("campaigns:recipient_list", args=[draft_plan.pk])
    recipients = list(draft_plan.recipients.all())
    rows = [{"id": r.pk, "text": r.text, "group_note": r.group_note, "ORDER": i + 1} for i, r in enumerate(recipients)]
    rows[1]["text"] = "Lưu: VT, Ban Tổ chức."
    written = []

    def record(sender, instance, **kwargs):
        written.append(instance.pk)

    post_save.connect(record, sender=Recipient)
    try:
        client.post(url, {"campaign_version": draft_plan.version, **formset("items", rows, initial=2)})
    finally:
        post_save.disconnect(record, sender=Recipient)
    assert written == [recipients[1].pk]
    assert Recipient.objects.get(pk=recipients[1].pk).text == "Lưu: VT, Ban Tổ chức."


def test_targets_need_a_plan_value_and_warn_when_the_text_disagrees(client, tree, personas, draft_plan):
    client.force_login(personas.province_staff)
    group = draft_plan.target_groups.get()
    url = reverse("campaigns:target_group_update", args=[draft_plan.pk, group.pk])
    targets = list(group.targets.all())
    rows = [
        {
            "id": t.pk,
            "code": t.code,
            "label": t.label,
            "joiner": t.joiner,
            "text": t.text,
            "kind": t.kind,
            "comparator": t.comparator,
            "plan_value": t.plan_value,
            "unit_label": t.unit_label,
            "period": t.period,
            "source": t.source,
            "ORDER": i + 1,
        }
        for i, t in enumerate(targets)
    ]
    rows[0]["plan_value"] = ""
    page = text(client.post(url, {"campaign_version": draft_plan.version, **formset("items", rows, initial=4)}))
    assert "Chỉ tiêu loại này phải có giá trị kế hoạch." in page
    rows[0]["plan_value"] = "150"
    assert (
        client.post(url, {"campaign_version": draft_plan.version, **formset("items", rows, initial=4)}).status_code
        == 302
    )
    assert Target.objects.get(pk=targets[0].pk).plan_value == 150
    page = text(client.get(url))
    assert "CT01: con số 150 không có trong nội dung" in page


def test_text_cannot_carry_html(client, tree, personas, draft_plan):
    section = draft_plan.sections.get(kind="preamble")
    section.intro = 'Năm 2027 <script>alert("x")</script> <img src=x onerror=alert(1)>'
    section.save()
    client.force_login(personas.province_staff)
    page = client.get(draft_plan.get_absolute_url()).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_publishing_from_the_page_and_the_lock_afterwards(client, tree, personas, draft_plan):
    draft_plan.number, draft_plan.issued_on = 7, "2027-01-05"
    draft_plan.save()
    client.force_login(personas.province_staff)
    response = client.post(reverse("campaigns:campaign_publish", args=[draft_plan.pk]), follow=True)
    assert "Kế hoạch đã ban hành và được khóa" in text(response)
    assert Campaign.objects.get(pk=draft_plan.pk).status == Status.PUBLISHED
    response = client.get(reverse("campaigns:section_list", args=[draft_plan.pk]), follow=True)
    assert "Kế hoạch đã ban hành và bị khóa." in text(response)


def test_the_pdf_of_a_draft_is_marked_and_a_published_one_is_the_version(
    client, tree, personas, draft_plan, published_plan
):
    from tests.pdf import pdf_text

    client.force_login(personas.province_staff)
    draft_pdf = client.get(reverse("campaigns:campaign_pdf", args=[draft_plan.pk]))
    assert draft_pdf["Content-Type"] == "application/pdf" and "DỰ THẢO" in pdf_text(draft_pdf.content)
    published_pdf = client.get(reverse("campaigns:campaign_pdf", args=[published_plan.pk]) + "?download=1")
    assert published_pdf["Content-Disposition"] == 'attachment; filename="03-kh-ldld-2026.pdf"'
    text_ = pdf_text(published_pdf.content)
    assert "DỰ THẢO" not in text_ and "Số: 03/KH-LĐLĐ" in text_ and "An Phú, ngày 15 tháng 01 năm 2026" in text_


def test_json_import_page_lists_problems(client, tree, personas):
    import json

    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import plan_document

    client.force_login(personas.province_staff)
    bad = plan_document("LDLD-AP")
    bad["rounds"][0]["end"] = "2026-13-01"
    upload = SimpleUploadedFile("plan.json", json.dumps(bad).encode(), content_type="application/json")
    page = text(client.post(reverse("campaigns:campaign_import"), {"file": upload}))
    assert "Chưa nhập dữ liệu nào." in page and "rounds[1].end" in page
    good = SimpleUploadedFile("plan.json", json.dumps(plan_document("LDLD-AP")).encode())
    response = client.post(reverse("campaigns:campaign_import"), {"file": good})
    assert response.status_code == 302 and Campaign.objects.count() == 1


def test_a_district_writes_the_plan_answering_the_provinces(client, tree, personas, published_plan):
    from tests.factories import make_membership, make_user

    district_staff = make_user("phuong.quantri", full_name="Đỗ Văn Quận")
    make_membership(district_staff, tree.district, "staff")
    client.force_login(district_staff)
    page = text(client.get(published_plan.get_absolute_url()))
    create = f"{reverse('campaigns:campaign_create')}?unit={tree.district.pk}&amp;parent={published_plan.pk}"
    assert f'href="{create}"' in page and "Xây dựng kế hoạch hưởng ứng" in page

    form = client.get(create.replace("&amp;", "&")).context["form"]
    assert form.initial["parent"] == published_plan
    assert (form.initial["year"], form.initial["subject"]) == (2026, published_plan.subject)
    issuer = form.initial["issuer"]
    response = client.post(
        reverse("campaigns:campaign_create") + f"?unit={tree.district.pk}",
        {
            "unit": tree.district.pk,
            "issuer": issuer.pk,
            "doc_type": form.initial["doc_type"].pk,
            "type_heading": "",
            "number": "",
            "issued_on": "",
            "place": "",
            "parent": published_plan.pk,
            "subject": "Hưởng ứng phong trào thi đua năm 2026",
            "year": "2026",
            "kind": "regular",
            "signer_collective_authority": "tm",
            "signer_collective": "BAN CHẤP HÀNH",
            "signer_authority": "",
            "signer_head_title": "",
            "signer_title": "CHỦ TỊCH",
            "signer_name": "Đỗ Văn Quận",
        },
    )
    answer = Campaign.objects.get(subject="Hưởng ứng phong trào thi đua năm 2026")
    assert response["Location"] == answer.get_absolute_url()
    assert (answer.owner, answer.parent) == (tree.district, published_plan)
    assert "Hưởng ứng kế hoạch" in text(client.get(answer.get_absolute_url()))
    assert "Công đoàn phường Xuân Hòa – Hưởng ứng phong trào thi đua năm 2026" in text(
        client.get(published_plan.get_absolute_url())
    )
    exported = client.get(reverse("campaigns:campaign_export", args=[answer.pk])).json()
    assert exported["parent"] == {"owner": "LDLD-AP", "year": 2026, "number": 3, "symbol": "KH-LĐLĐ"}

    # The province's staff write the plan itself; they are not offered to answer it.
    client.force_login(personas.province_staff)
    assert "Xây dựng kế hoạch hưởng ứng" not in text(client.get(published_plan.get_absolute_url()))


def test_a_forged_row_count_is_refused_without_building_thousands_of_rows(client, personas, draft_plan):
    """Django would build up to 2.000 forms for a forged TOTAL_FORMS; a table stops at 200."""
    client.force_login(personas.province_staff)
    sections = list(draft_plan.sections.values_list("pk", "title"))
    data = formset("items", [{"kind": "other", "label": "I.", "title": "Mục giả mạo"}] * 3)
    data.update({"items-TOTAL_FORMS": "5000", "campaign_version": str(draft_plan.version)})
    response = client.post(reverse("campaigns:section_list", args=[draft_plan.pk]), data)
    page = text(response)
    assert response.status_code == 200
    assert "Một bảng có tối đa 200 dòng; hãy bớt dòng trước khi lưu." in page
    assert len(set(re.findall(r'name="items-(\d+)-title"', page))) <= 200
    assert list(draft_plan.sections.values_list("pk", "title")) == sections
