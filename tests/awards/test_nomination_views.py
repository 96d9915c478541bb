"""Nomination pages: the form, the dossier and its actions, the lists, proposals and their PDF."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards.forms.nominations import entry_code
from awards.models import Nomination, NominationEvent, NominationEvidence, Proposal, Rating
from reports.models import Registration, TitleAim
from tests.awards.factories import (
    PDF_BYTES,
    award_form,
    make_evidence,
    make_nomination,
    make_person,
    make_proposal,
    title,
)
from tests.factories import make_campaign, make_membership, make_user
from tests.pdf import pdf_text

Action = NominationEvent.Action


@pytest.fixture
def worker(tree):
    return make_person(tree.grassroots, "Đỗ Văn Cường", position="Tổ trưởng")


@pytest.fixture
def district_reviewer(tree):
    """An approver of the district: reviews what the district holds."""
    user = make_user("phuong.duyet", full_name="Ngô Thị Duyệt")
    make_membership(user, tree.district, "approver")
    return user


def pending_at_district(tree, person, entry="giay-khen-ctt-cn", deciding=None):
    return make_nomination(
        tree.grassroots,
        person=person,
        entry=entry,
        status="pending",
        holder=tree.district,
        deciding_unit=deciding or tree.district,
    )


def failing(person, year=2026):
    """A rating below “good” makes the district and provincial certificates fail."""
    Rating.objects.create(person=person, year=year, kind="duty", level=4)


def form_data(**overrides):
    data = {
        "kind": "individual",
        "year": "2026",
        "award_kind": "cong-trang",
        "summary": "Hoàn thành xuất sắc nhiệm vụ được giao, có nhiều sáng kiến.",
    }
    data.update(overrides)
    return data


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def detail(nomination):
    return reverse("awards:nomination_detail", args=[nomination.pk])


# The form ------------------------------------------------------------------------------


def test_an_individual_title_for_a_unit_is_shown_as_a_form_error_and_nothing_is_saved(client, tree, personas):
    client.force_login(personas.grassroots_chair)
    url = reverse("awards:nomination_create", args=[tree.grassroots.pk])
    data = form_data(kind="collective", organization=tree.grassroots.pk, entry=entry_code(title("ldtt")))
    response = client.post(url, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["entry"]
    assert "Lao động tiên tiến" in form.errors["entry"][0]
    # The input comes back as typed.
    assert form["summary"].value() == data["summary"]
    assert form["organization"].value() == str(tree.grassroots.pk)
    assert not Nomination.objects.exists()


def test_a_nomination_is_saved_as_a_draft_with_its_deciding_unit(client, tree, personas, worker):
    client.force_login(personas.grassroots_chair)
    url = reverse("awards:nomination_create", args=[tree.grassroots.pk])
    entry = award_form("giay-khen-ctt-cn")
    response = client.post(url, form_data(person=worker.pk, entry=entry_code(entry)))
    nomination = Nomination.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail(nomination)
    assert (nomination.person, nomination.award_form, nomination.title) == (worker, entry, None)
    assert (nomination.status, nomination.holder, nomination.deciding_unit) == ("draft", tree.grassroots, tree.district)
    assert nomination.created_by == personas.grassroots_chair
    assert nomination.history.get().history_user == personas.grassroots_chair
    assert list(nomination.events.values_list("action", flat=True)) == [Action.CREATED]


def test_the_radio_decides_which_nominee_counts(client, tree, personas, worker):
    """A person left selected in the hidden list does not turn a collective nomination into two."""
    client.force_login(personas.grassroots_chair)
    url = reverse("awards:nomination_create", args=[tree.grassroots.pk])
    data = form_data(
        kind="collective", person=worker.pk, organization=tree.grassroots.pk, entry=entry_code(title("ttldtt"))
    )
    client.post(url, data)
    nomination = Nomination.objects.get()
    assert (nomination.person, nomination.organization) == (None, tree.grassroots)


def test_a_missing_nominee_is_asked_for(client, tree, personas):
    client.force_login(personas.grassroots_chair)
    url = reverse("awards:nomination_create", args=[tree.grassroots.pk])
    response = client.post(url, form_data(entry=entry_code(title("ldtt"))))
    assert response.context["form"].errors["person"]
    assert not Nomination.objects.exists()


def test_a_person_of_a_sibling_unit_is_not_offered(client, tree, personas, worker):
    stranger = make_person(tree.other_grassroots, "Người Ngoài")
    client.force_login(personas.grassroots_chair)
    url = reverse("awards:nomination_create", args=[tree.grassroots.pk])
    response = client.get(url)
    people = list(response.context["form"].fields["person"].queryset)
    assert worker in people and stranger not in people
    response = client.post(url, form_data(person=stranger.pk, entry=entry_code(title("ldtt"))))
    assert response.context["form"].errors["person"]
    assert not Nomination.objects.exists()


def test_the_candidate_link_prefills_the_form(client, tree, personas, worker):
    client.force_login(personas.grassroots_chair)
    url = reverse("awards:nomination_create", args=[tree.grassroots.pk])
    response = client.get(url, {"kind": "individual", "person": worker.pk, "entry": entry_code(title("ldtt"))})
    form = response.context["form"]
    assert str(form["person"].value()) == str(worker.pk)
    assert form["entry"].value() == entry_code(title("ldtt"))


def test_a_draft_can_be_changed_and_a_stale_version_shows_the_conflict(client, tree, personas, worker):
    nomination = make_nomination(tree.grassroots, person=worker, entry="ldtt")
    client.force_login(personas.grassroots_chair)
    url = reverse("awards:nomination_update", args=[nomination.pk])
    data = form_data(person=worker.pk, entry=entry_code(title("ldtt")), version=nomination.version)
    data["summary"] = "Bản sửa lần một."
    assert client.post(url, data).status_code == 302
    nomination.refresh_from_db()
    assert (nomination.summary, nomination.version) == ("Bản sửa lần một.", 2)

    data["summary"] = "Bản sửa dựa trên bản cũ."  # still version 1
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["conflict"]["summary"].value() == "Bản sửa lần một."
    assert response.context["form"]["version"].value() == 2
    nomination.refresh_from_db()
    assert nomination.summary == "Bản sửa lần một."


def test_a_sent_nomination_cannot_be_edited(client, tree, personas, worker):
    nomination = pending_at_district(tree, worker)
    client.force_login(personas.grassroots_chair)
    response = client.get(reverse("awards:nomination_update", args=[nomination.pk]))
    assert response.status_code == 302 and response["Location"] == detail(nomination)


# Who sees what -------------------------------------------------------------------------


def test_an_outsider_finds_neither_the_dossier_nor_its_files(client, tree, personas, worker):
    nomination = make_nomination(tree.grassroots, person=worker, entry="ldtt")
    evidence = make_evidence(nomination)
    client.force_login(personas.other_grassroots_chair)
    assert client.get(detail(nomination)).status_code == 404
    download = reverse("awards:nomination_evidence_download", args=[nomination.pk, evidence.pk])
    assert client.get(download).status_code == 404
    remove = reverse("awards:nomination_evidence_delete", args=[nomination.pk, evidence.pk])
    assert client.post(remove).status_code == 404
    assert NominationEvidence.objects.filter(pk=evidence.pk).exists()


def test_a_sibling_grassroots_does_not_see_the_nomination_in_its_lists(client, tree, personas, worker):
    make_nomination(tree.grassroots, person=worker, entry="ldtt")
    own = make_nomination(tree.other_grassroots, person=make_person(tree.other_grassroots, "Lý Thị Giày"), entry="ldtt")
    client.force_login(personas.other_grassroots_chair)
    for tab in ("mine", "review"):
        response = client.get(reverse("awards:nomination_list"), {"tab": tab})
        assert worker.full_name not in response.content.decode()
    response = client.get(reverse("awards:nomination_list"))
    assert [n.pk for n in response.context["nominations"]] == [own.pk]


def test_an_evidence_id_of_another_nomination_is_not_found(client, tree, personas, worker):
    mine = make_nomination(tree.grassroots, person=worker, entry="ldtt")
    other = make_nomination(tree.other_grassroots, person=make_person(tree.other_grassroots, "B"), entry="ldtt")
    evidence = make_evidence(other)
    client.force_login(personas.grassroots_chair)
    url = reverse("awards:nomination_evidence_download", args=[mine.pk, evidence.pk])
    assert client.get(url).status_code == 404


def test_the_review_tab_lists_what_the_users_units_hold(client, tree, personas, worker, district_reviewer):
    waiting = pending_at_district(tree, worker)
    make_nomination(tree.grassroots, person=make_person(tree.grassroots, "Nháp"), entry="ldtt")
    client.force_login(district_reviewer)
    response = client.get(reverse("awards:nomination_list"), {"tab": "review"})
    assert [n.pk for n in response.context["nominations"]] == [waiting.pk]
    assert response.context["review_count"] == 1
    # G1's chair writes the nomination but does not review the district's pile.
    client.force_login(personas.grassroots_chair)
    response = client.get(reverse("awards:nomination_list"), {"tab": "review"})
    assert response.context["nominations"] == []


def test_the_list_filters_by_year_status_and_entry(client, tree, personas, worker):
    ldtt = make_nomination(tree.grassroots, person=worker, entry="ldtt", year=2026)
    make_nomination(tree.grassroots, person=worker, entry="ldtt", year=2025, status="decided")
    make_nomination(tree.grassroots, person=worker, entry="giay-khen-ctt-cn", year=2026, deciding_unit=tree.district)
    client.force_login(personas.grassroots_chair)
    url = reverse("awards:nomination_list")
    response = client.get(url, {"year": 2026, "status": "draft", "entry": entry_code(title("ldtt"))})
    assert [n.pk for n in response.context["nominations"]] == [ldtt.pk]
    assert len(client.get(url, {"year": 2025}).context["nominations"]) == 1
    assert len(client.get(url, {"unit": tree.other_grassroots.pk}).context["nominations"]) == 0


def test_registered_candidates_are_offered_until_nominated(client, tree, personas, worker):
    plan = make_campaign(tree.province, personas.province_staff, year=2026)
    registration = Registration.objects.create(campaign=plan, organization=tree.grassroots, status="submitted")
    TitleAim.objects.create(registration=registration, person=worker, title=title("ldtt"))
    client.force_login(personas.grassroots_chair)
    url = reverse("awards:nomination_list")
    groups = client.get(url, {"year": 2026}).context["candidate_groups"]
    assert [(g["unit"], [r["nominee"] for r in g["rows"]]) for g in groups] == [(tree.grassroots, [worker])]
    link = groups[0]["rows"][0]["url"]
    assert link.startswith(reverse("awards:nomination_create", args=[tree.grassroots.pk]))
    assert f"person={worker.pk}" in link and f"entry={entry_code(title('ldtt'))}" in link
    make_nomination(tree.grassroots, person=worker, entry="ldtt")
    assert client.get(url, {"year": 2026}).context["candidate_groups"] == []


# The way up ----------------------------------------------------------------------------


def test_submitting_sends_the_draft_to_the_district(client, tree, personas, worker):
    nomination = make_nomination(tree.grassroots, person=worker, entry="giay-khen-ctt-cn", deciding_unit=tree.district)
    client.force_login(personas.g1_officer)
    response = client.post(reverse("awards:nomination_submit", args=[nomination.pk]))
    assert response.status_code == 302 and response["Location"] == detail(nomination)
    nomination.refresh_from_db()
    assert (nomination.status, nomination.holder) == ("pending", tree.district)
    assert nomination.checks  # the snapshot travels with it
    assert nomination.events.filter(action=Action.SUBMITTED, actor=personas.g1_officer).exists()


def test_submitting_twice_only_says_why_not(client, tree, personas, worker):
    nomination = pending_at_district(tree, worker)
    client.force_login(personas.grassroots_chair)
    response = client.post(reverse("awards:nomination_submit", args=[nomination.pk]), follow=True)
    assert len(messages_of(response)) == 1
    nomination.refresh_from_db()
    assert (nomination.status, nomination.holder) == ("pending", tree.district)


def test_a_draft_is_deleted_but_a_pending_nomination_is_not(client, tree, personas, worker):
    draft = make_nomination(tree.grassroots, person=worker, entry="ldtt")
    sent = pending_at_district(tree, make_person(tree.grassroots, "Đã gửi"))
    client.force_login(personas.grassroots_chair)
    response = client.post(reverse("awards:nomination_delete", args=[draft.pk]))
    assert response["Location"] == reverse("awards:nomination_list")
    assert not Nomination.objects.filter(pk=draft.pk).exists()
    client.post(reverse("awards:nomination_delete", args=[sent.pk]))
    assert Nomination.objects.filter(pk=sent.pk).exists()


def test_the_dossier_shows_the_live_check_and_the_quota(client, tree, personas, worker):
    nomination = pending_at_district(tree, worker)
    failing(worker)
    from awards.models import Quota

    Quota.objects.create(organization=tree.district, year=2026, award_form=award_form("giay-khen-ctt-cn"), cap=3)
    client.force_login(personas.leader_viewer)
    response = client.get(detail(nomination))
    assert response.context["overall"] == "fail"
    assert [c.status for c in response.context["checks"]] == ["fail"]
    assert (response.context["quota_used"], response.context["quota_cap"]) == (0, 3)
    page = response.content.decode()
    assert "Hoàn thành tốt nhiệm vụ trở lên" in page  # the criterion as written
    assert "0 / 3" in page


def test_recording_the_check_keeps_a_snapshot(client, tree, worker, district_reviewer):
    nomination = pending_at_district(tree, worker)
    failing(worker)
    client.force_login(district_reviewer)
    client.post(reverse("awards:nomination_check", args=[nomination.pk]))
    nomination.refresh_from_db()
    assert [c["status"] for c in nomination.checks] == ["fail"]
    assert nomination.checked_at is not None
    assert nomination.events.filter(action=Action.CHECKED, unit=tree.district).exists()


def test_a_failing_nominee_is_forwarded_only_with_a_reason(client, tree, worker, district_reviewer):
    nomination = pending_at_district(tree, worker, entry="bang-khen-ldld-cn", deciding=tree.province)
    failing(worker)
    client.force_login(district_reviewer)
    url = reverse("awards:nomination_forward", args=[nomination.pk])

    response = client.post(url, {"forward-override_reason": "  "})
    assert response.status_code == 200
    assert response.context["forward_form"].errors["override_reason"]
    nomination.refresh_from_db()
    assert (nomination.status, nomination.holder) == ("pending", tree.district)
    assert not Proposal.objects.exists()

    reason = "Đơn vị đã xác minh: đánh giá năm bị nhập nhầm."
    response = client.post(url, {"forward-override_reason": reason, "forward-note": "Kèm hồ sơ."})
    proposal = Proposal.objects.get()
    assert response["Location"] == reverse("awards:proposal_detail", args=[proposal.pk])
    nomination.refresh_from_db()
    assert (nomination.holder, nomination.override_reason) == (tree.province, reason)
    assert (proposal.from_unit, proposal.to_unit, proposal.note) == (tree.district, tree.province, "Kèm hồ sơ.")
    assert list(proposal.nominations.all()) == [nomination]


def test_bulk_forward_refuses_a_failing_nominee_and_forwards_the_others(client, tree, worker, district_reviewer):
    ok = pending_at_district(tree, make_person(tree.grassroots, "Đạt Chuẩn"), "bang-khen-ldld-cn", tree.province)
    bad = pending_at_district(tree, worker, entry="bang-khen-ldld-cn", deciding=tree.province)
    failing(worker)
    client.force_login(district_reviewer)
    url = reverse("awards:nomination_forward_bulk")

    response = client.post(url, {"nominations": [ok.pk, bad.pk]}, follow=True)
    assert any(worker.full_name in m for m in messages_of(response))
    assert not Proposal.objects.exists()
    ok.refresh_from_db()
    assert ok.holder == tree.district  # all or nothing

    response = client.post(url, {"nominations": [ok.pk], "note": "Đợt 1"})
    proposal = Proposal.objects.get()
    assert response["Location"] == reverse("awards:proposal_detail", args=[proposal.pk])
    assert list(proposal.nominations.all()) == [ok]


def test_bulk_forward_cannot_reach_what_the_user_does_not_hold(client, tree, personas, worker):
    nomination = pending_at_district(tree, worker, entry="bang-khen-ldld-cn", deciding=tree.province)
    client.force_login(personas.grassroots_chair)  # reviews G1, not the district
    response = client.post(reverse("awards:nomination_forward_bulk"), {"nominations": [nomination.pk]}, follow=True)
    assert messages_of(response)
    assert not Proposal.objects.exists()


def test_accepting_puts_it_before_the_district_council(client, tree, worker, district_reviewer):
    nomination = pending_at_district(tree, worker)
    client.force_login(district_reviewer)
    response = client.post(reverse("awards:nomination_accept", args=[nomination.pk]))
    assert response["Location"] == detail(nomination)
    nomination.refresh_from_db()
    assert (nomination.status, nomination.holder) == ("ready", tree.district)
    assert nomination.events.filter(action=Action.ACCEPTED, actor=district_reviewer).exists()


def test_accepting_a_failing_nominee_needs_a_reason(client, tree, worker, district_reviewer):
    nomination = pending_at_district(tree, worker)
    failing(worker)
    client.force_login(district_reviewer)
    url = reverse("awards:nomination_accept", args=[nomination.pk])
    response = client.post(url)
    assert response.context["accept_form"].errors["override_reason"]
    assert Nomination.objects.get(pk=nomination.pk).status == "pending"
    client.post(url, {"accept-override_reason": "Hội đồng xem xét thành tích đột xuất."})
    assert Nomination.objects.get(pk=nomination.pk).status == "ready"


def test_an_officer_of_the_district_cannot_accept(client, tree, personas, worker):
    nomination = pending_at_district(tree, worker)
    client.force_login(personas.district_officer)
    assert client.post(reverse("awards:nomination_accept", args=[nomination.pk])).status_code == 403
    assert Nomination.objects.get(pk=nomination.pk).status == "pending"


def test_returning_sends_it_back_as_a_draft_with_the_note(client, tree, personas, worker, district_reviewer):
    nomination = pending_at_district(tree, worker)
    client.force_login(district_reviewer)
    url = reverse("awards:nomination_return", args=[nomination.pk])
    response = client.post(url, {"return-note": ""})
    assert response.context["return_form"].errors["note"]
    assert Nomination.objects.get(pk=nomination.pk).status == "pending"

    client.post(url, {"return-note": "Thiếu biên bản bình xét."})
    nomination.refresh_from_db()
    assert (nomination.status, nomination.holder) == ("draft", tree.grassroots)
    assert nomination.return_note == "Thiếu biên bản bình xét."
    client.force_login(personas.grassroots_chair)
    assert "Thiếu biên bản bình xét." in client.get(detail(nomination)).content.decode()


# Evidence ------------------------------------------------------------------------------


def test_a_text_file_is_refused_as_evidence(client, tree, personas, worker):
    nomination = make_nomination(tree.grassroots, person=worker, entry="ldtt")
    client.force_login(personas.grassroots_chair)
    upload = SimpleUploadedFile("ghi-chu.pdf", b"just some text, not a PDF", content_type="application/pdf")
    response = client.post(
        reverse("awards:nomination_evidence_upload", args=[nomination.pk]), {"evidence-file": upload}
    )
    assert response.status_code == 200
    assert "ghi-chu.pdf" in response.context["evidence_form"].errors["file"][0]
    assert not NominationEvidence.objects.exists()


def test_a_pdf_is_kept_and_served_as_a_private_attachment(client, tree, personas, worker):
    nomination = make_nomination(tree.grassroots, person=worker, entry="ldtt")
    client.force_login(personas.grassroots_chair)
    upload = SimpleUploadedFile("Báo cáo thành tích.pdf", PDF_BYTES, content_type="application/pdf")
    client.post(reverse("awards:nomination_evidence_upload", args=[nomination.pk]), {"evidence-file": upload})
    evidence = NominationEvidence.objects.get()
    assert (evidence.original_name, evidence.content_type, evidence.uploaded_by) == (
        "Báo cáo thành tích.pdf",
        "application/pdf",
        personas.grassroots_chair,
    )
    client.force_login(personas.leader_viewer)  # above: may read the dossier
    response = client.get(reverse("awards:nomination_evidence_download", args=[nomination.pk, evidence.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert "B%C3%A1o%20c%C3%A1o" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_evidence_is_removed_only_while_a_draft(client, tree, personas, worker):
    nomination = make_nomination(tree.grassroots, person=worker, entry="ldtt")
    evidence = make_evidence(nomination)
    client.force_login(personas.grassroots_chair)
    Nomination.objects.filter(pk=nomination.pk).update(status="pending", holder=tree.district)
    url = reverse("awards:nomination_evidence_delete", args=[nomination.pk, evidence.pk])
    client.post(url)
    assert NominationEvidence.objects.filter(pk=evidence.pk).exists()
    Nomination.objects.filter(pk=nomination.pk).update(status="draft", holder=tree.grassroots)
    client.post(url)
    assert not NominationEvidence.objects.exists()


def test_the_province_approver_reads_but_cannot_upload(client, tree, personas, worker):
    nomination = make_nomination(tree.grassroots, person=worker, entry="ldtt")
    client.force_login(personas.leader_viewer)
    upload = SimpleUploadedFile("a.pdf", PDF_BYTES, content_type="application/pdf")
    url = reverse("awards:nomination_evidence_upload", args=[nomination.pk])
    assert client.post(url, {"evidence-file": upload}).status_code == 403
    assert not NominationEvidence.objects.exists()


# Proposals -----------------------------------------------------------------------------


def test_the_proposal_pdf_lists_every_nominee(client, tree, personas, worker):
    second = make_person(tree.other_grassroots, "Hoàng Văn Bốn", position="Kỹ sư")
    people = [
        pending_at_district(tree, worker, "bang-khen-ldld-cn", tree.province),
        make_nomination(
            tree.other_grassroots,
            person=second,
            entry="bang-khen-ldld-cn",
            status="pending",
            holder=tree.district,
            deciding_unit=tree.province,
        ),
        make_nomination(
            tree.grassroots,
            unit=tree.grassroots,
            entry="bang-khen-ldld-tt",
            status="pending",
            holder=tree.district,
            deciding_unit=tree.province,
        ),
    ]
    Nomination.objects.filter(pk=people[0].pk).update(
        checks=[{"description": "x", "legal_basis": "y", "status": "fail", "reason": "z"}],
        override_reason="Đã xác minh lại kết quả đánh giá.",
    )
    proposal = make_proposal(tree.district, people, year=2026)
    client.force_login(personas.leader_viewer)
    response = client.get(reverse("awards:proposal_pdf", args=[proposal.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    text = pdf_text(response.content)
    for name in ("Đỗ Văn Cường", "Hoàng Văn Bốn", "Công đoàn cơ sở Công ty TNHH May Xuân Hòa"):
        assert name in text
    assert "TỜ TRÌNH" in text
    assert "Kính gửi: Liên đoàn Lao động tỉnh An Phú" in text
    assert "Chưa đạt – lý do chuyển tiếp: Đã xác minh lại kết quả đánh giá." in text
    # Long cells wrap, and text extraction reads a table column by column: look for pieces.
    assert "Bằng khen của Ban" in text and "(cá nhân)" in text and "(tập thể)" in text


def test_the_proposal_page_links_each_dossier(client, tree, personas, worker):
    nomination = pending_at_district(tree, worker, "bang-khen-ldld-cn", tree.province)
    proposal = make_proposal(tree.district, [nomination])
    client.force_login(personas.district_officer)
    response = client.get(reverse("awards:proposal_detail", args=[proposal.pk]))
    assert detail(nomination) in response.content.decode()
    client.force_login(personas.grassroots_chair)  # sees neither the district nor the province
    assert client.get(reverse("awards:proposal_detail", args=[proposal.pk])).status_code == 404


def test_the_list_reads_a_fixed_number_of_queries(client, tree, personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plan = make_campaign(tree.province, personas.province_staff, year=2026)
    registration = Registration.objects.create(
        campaign=plan, organization=tree.grassroots, status="submitted", collective_title=title("ttldtt")
    )
    client.force_login(personas.province_staff)
    url = reverse("awards:nomination_list")

    def queries(count):
        for index in range(count):
            person = make_person(tree.grassroots, f"Người {len(str(index))}{index}")
            make_nomination(tree.grassroots, person=person, entry="giay-khen-ctt-cn", deciding_unit=tree.district)
            TitleAim.objects.create(registration=registration, person=make_person(tree.grassroots), title=title("ldtt"))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"year": 2026}).status_code == 200
        return len(captured)

    assert queries(1) == queries(5)
