"""Đăng ký thi đua: pledges against the allocation, titles, works, and the review by the unit above."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from awards.models import Title
from core.exceptions import ConflictError, DomainError
from organizations.models import Person
from reports.models import Action, Registration, Status
from reports.services import registrations as services


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def page_url(plan, unit):
    return reverse("reports:registration_detail", args=[plan.pk, unit.pk])


def post_data(form_version, pledges, *, title="", aims=(), works=(), action="save", key="k1", note=""):
    data = {"version": form_version, "collective_title": title, "note": note, "action": action, "request_key": key}
    for target, value, reason in pledges:
        data[f"p_{target.pk}"] = value
        data[f"r_{target.pk}"] = reason
    data.update(
        {"aims-TOTAL_FORMS": len(aims), "aims-INITIAL_FORMS": 0, "aims-MIN_NUM_FORMS": 0, "aims-MAX_NUM_FORMS": 500}
    )
    for index, (aim_title, name, position) in enumerate(aims):
        data.update(
            {f"aims-{index}-title": aim_title, f"aims-{index}-full_name": name, f"aims-{index}-position": position}
        )
    data.update(
        {
            "works-TOTAL_FORMS": len(works),
            "works-INITIAL_FORMS": 0,
            "works-MIN_NUM_FORMS": 0,
            "works-MAX_NUM_FORMS": 100,
        }
    )
    for index, (name, description, when) in enumerate(works):
        data.update(
            {
                f"works-{index}-name": name,
                f"works-{index}-description": description,
                f"works-{index}-expected_completion": when,
            }
        )
    return data


def test_pledges_start_from_the_share_given_and_only_applicable_targets_are_asked(
    client, tree, personas, plan, targets
):
    client.force_login(personas.g1_officer)
    page = text(client.get(page_url(plan, tree.grassroots)))
    # May Xuân Hòa is a non-state grassroots union: CT03 (state sector only) is not asked.
    assert f'name="p_{targets["CT01"].pk}" value="40"' in page
    assert "Được giao: <strong>40</strong>" in page
    assert f'name="p_{targets["CT03"].pk}"' not in page
    assert f'name="p_{targets["CT04"].pk}"' in page  # coverage: a yes/no for a grassroots union
    assert re.search(r"Hạn: <strong[^>]*>15/3/2026</strong>", page)


def test_a_pledge_below_the_share_needs_a_reason_and_the_input_is_kept(client, tree, personas, plan, targets):
    client.force_login(personas.g1_officer)
    ttldtt = Title.objects.get(code="ttldtt")
    ldtt = Title.objects.get(code="ldtt")
    data = post_data(
        0,
        [(targets["CT01"], "35", ""), (targets["CT02"], "", ""), (targets["CT04"], "yes", "")],
        title=ttldtt.pk,
        aims=[(ldtt.pk, "Nguyễn Thị Hoa", "Tổ trưởng may")],
        works=[("Sân chơi cho con công nhân", "Chào mừng Đại hội", "2026-04-30")],
    )
    page = text(client.post(page_url(plan, tree.grassroots), data))
    assert "Mức đăng ký thấp hơn 40 được giao: hãy nêu lý do." in page
    assert f'name="p_{targets["CT01"].pk}" value="35"' in page
    assert "Nguyễn Thị Hoa" in page and "Sân chơi cho con công nhân" in page
    assert not Registration.objects.exists()

    data[f"r_{targets['CT01'].pk}"] = "Doanh nghiệp giảm 30 lao động trong quý I."
    response = client.post(page_url(plan, tree.grassroots), data)
    assert response.status_code == 302
    registration = Registration.objects.get(organization=tree.grassroots)
    pledge = registration.pledges.get(target=targets["CT01"])
    assert (pledge.value, pledge.reason) == (Decimal(35), "Doanh nghiệp giảm 30 lao động trong quý I.")
    assert registration.pledges.get(target=targets["CT04"]).value == 1
    assert (registration.status, registration.collective_title) == (Status.DRAFT, ttldtt)
    aim = registration.title_aims.get()
    assert (aim.person.full_name, aim.person.position, aim.title) == ("Nguyễn Thị Hoa", "Tổ trưởng may", ldtt)
    assert aim.person.organization == tree.grassroots
    assert registration.works.get().expected_completion.isoformat() == "2026-04-30"
    assert "Đã lưu nháp bản đăng ký." in text(client.get(page_url(plan, tree.grassroots)))


@pytest.mark.parametrize(("typed", "message"), [("-3", "Không được âm."), ("ba mươi", "Hãy nhập một số.")])
def test_bad_pledges_are_refused_with_the_input_kept(client, tree, personas, plan, targets, typed, message):
    client.force_login(personas.g1_officer)
    data = post_data(0, [(targets["CT01"], "45", ""), (targets["CT02"], typed, "")])
    page = text(client.post(page_url(plan, tree.grassroots), data))
    assert message in page and f'value="{typed}"' in page and 'value="45"' in page
    assert not Registration.objects.exists()


def _registered(plan, unit, actor, targets, **extra):
    data = services.RegistrationInput(
        pledges={targets["CT01"].pk: (Decimal(40), "")},
        collective_title=Title.objects.get(code="ttldtt"),
        aims=[(Title.objects.get(code="ldtt"), "Trần Văn Bình", "Công nhân")],
        **extra,
    )
    return services.save_registration(plan, unit, actor=actor, data=data)


def test_sending_twice_from_one_form_makes_one_submission(client, tree, personas, plan, targets):
    client.force_login(personas.g1_officer)
    data = post_data(
        0, [(targets["CT01"], "40", "")], title=Title.objects.get(code="ttldtt").pk, action="submit", key="same-form"
    )
    first = client.post(page_url(plan, tree.grassroots), data)
    second = client.post(page_url(plan, tree.grassroots), data)  # a double click
    assert first.status_code == second.status_code == 302
    registration = Registration.objects.get(organization=tree.grassroots)
    assert registration.status == Status.SUBMITTED
    assert registration.events.filter(action=Action.SUBMITTED).count() == 1
    assert "Biểu mẫu này đã được nhận trước đó; không áp dụng lần thứ hai." in text(client.get(second["Location"]))
    # Another tab, another form: the registration is under review and cannot change.
    data["request_key"] = "other-tab"
    page = text(client.post(page_url(plan, tree.grassroots), data))
    assert "Bản đăng ký đã gửi; không thể sửa nữa." in page
    assert registration.events.filter(action=Action.SUBMITTED).count() == 1
    # And the service itself: a second submit is a no-op.
    again, sent = services.submit_registration(registration, actor=personas.g1_officer)
    assert (again.status, sent) == (Status.SUBMITTED, False)


def test_the_unit_above_approves_returns_and_reopens(tree, personas, plan, targets, district_people):
    registration = _registered(plan, tree.grassroots, personas.g1_officer, targets)
    registration, sent = services.submit_registration(registration, actor=personas.g1_officer)
    assert sent and registration.submitted_by == personas.g1_officer and registration.late_days >= 0
    # Nobody approves their own unit's registration; a district officer enters but does not review.
    for outsider in (personas.grassroots_chair, personas.district_officer, personas.other_grassroots_chair):
        with pytest.raises(DomainError, match="Chỉ công đoàn cấp trên"):
            services.approve_registration(registration, actor=outsider)
    with pytest.raises(DomainError, match="Hãy ghi ý kiến"):
        services.return_registration(registration, actor=district_people.leader, comment="  ")
    returned = services.return_registration(registration, actor=district_people.leader, comment="Bổ sung danh hiệu.")
    assert (returned.status, returned.review_comment) == (Status.RETURNED, "Bổ sung danh hiệu.")

    services.save_registration(
        plan,
        tree.grassroots,
        actor=personas.g1_officer,
        data=services.RegistrationInput(
            pledges={targets["CT01"].pk: (Decimal(42), "")},
            collective_title=Title.objects.get(code="ttldtt"),
            aims=[(Title.objects.get(code="cstdcs"), "Trần Văn Bình", "Công nhân")],
        ),
        expected_version=returned.version,
    )
    services.submit_registration(registration, actor=personas.g1_officer)
    approved = services.approve_registration(registration, actor=district_people.leader, comment="Đồng ý.")
    assert (approved.status, approved.reviewed_by) == (Status.APPROVED, district_people.leader)
    with pytest.raises(DomainError, match="đã gửi"):
        _registered(plan, tree.grassroots, personas.g1_officer, targets)
    # The province (above the district) may also review; reopening needs a reason.
    with pytest.raises(DomainError, match="Hãy nêu lý do mở lại."):
        services.reopen_registration(approved, actor=personas.province_staff, reason="")
    services.reopen_registration(approved, actor=personas.province_staff, reason="Sai tên danh hiệu cá nhân.")
    registration.refresh_from_db()
    assert (registration.status, registration.review_comment) == (Status.RETURNED, "Sai tên danh hiệu cá nhân.")
    assert list(registration.events.values_list("action", flat=True)) == [
        "submitted",
        "returned",
        "submitted",
        "approved",
        "reopened",
    ]
    # One person record, reused across saves.
    assert Person.objects.filter(organization=tree.grassroots, full_name="Trần Văn Bình").count() == 1


def test_a_reopened_registration_shows_what_changed_when_sent_again(
    client, tree, personas, plan, targets, district_people
):
    registration = _registered(plan, tree.grassroots, personas.g1_officer, targets)
    services.submit_registration(registration, actor=personas.g1_officer)
    services.approve_registration(registration, actor=district_people.leader)
    services.reopen_registration(registration, actor=district_people.leader, reason="Điều chỉnh theo chỉ tiêu mới.")
    registration.refresh_from_db()
    services.save_registration(
        plan,
        tree.grassroots,
        actor=personas.g1_officer,
        data=services.RegistrationInput(
            pledges={targets["CT01"].pk: (Decimal(48), "")},
            collective_title=Title.objects.get(code="ttldtt"),
            aims=[(Title.objects.get(code="ldtt"), "Trần Văn Bình", "Công nhân")],
        ),
        expected_version=registration.version,
    )
    services.submit_registration(registration, actor=personas.g1_officer)
    event = registration.events.filter(action=Action.SUBMITTED).last()
    assert event.changes == [["CT01 đăng ký", "40", "48"]]
    client.force_login(district_people.leader)
    page = text(client.get(page_url(plan, tree.grassroots)))
    assert "Thay đổi so với bản đã duyệt" in page
    assert '<th scope="row" class="fw-normal">CT01 đăng ký</th><td><del>40</del></td><td><ins>48</ins></td>' in page
    assert "Điều chỉnh theo chỉ tiêu mới." in page


def test_two_people_saving_the_same_registration(client, tree, personas, plan, targets):
    first = _registered(plan, tree.grassroots, personas.g1_officer, targets)
    stale = first.version
    services.save_registration(
        plan,
        tree.grassroots,
        actor=personas.grassroots_chair,
        data=services.RegistrationInput(pledges={targets["CT01"].pk: (Decimal(44), "")}),
        expected_version=stale,
    )
    with pytest.raises(ConflictError):
        services.save_registration(
            plan, tree.grassroots, actor=personas.g1_officer, data=services.RegistrationInput(), expected_version=stale
        )
    # Through the page: the second person's input stays, and what the first saved is shown beside it.
    client.force_login(personas.g1_officer)
    page = text(client.post(page_url(plan, tree.grassroots), post_data(stale, [(targets["CT01"], "47", "")])))
    assert "Phạm Văn May đã lưu nội dung này trong lúc bạn đang sửa." in page
    assert 'value="47"' in page
    assert "Bản người khác đã lưu: 44" in page
    assert Registration.objects.get().pledges.get(target=targets["CT01"]).value == Decimal(44)


def test_an_upper_unit_enters_on_behalf_and_the_steps_say_so(tree, personas, plan, targets, district_people):
    registration = _registered(plan, tree.grassroots, personas.district_officer, targets)
    services.submit_registration(registration, actor=personas.district_officer)
    event = registration.events.get()
    assert event.on_behalf and event.actor == personas.district_officer
    assert registration.pledges.get().history.first().history_user == personas.district_officer


def test_a_closed_campaign_takes_no_registration(tree, personas, plan, targets):
    from campaigns.services import close_campaign

    close_campaign(plan, actor=personas.province_staff)
    with pytest.raises(DomainError, match="Phong trào đã kết thúc"):
        _registered(plan, tree.grassroots, personas.g1_officer, targets)


def test_the_board_counts_each_status_and_filters(client, tree, personas, plan, targets, district_people):
    registration = _registered(plan, tree.grassroots, personas.g1_officer, targets)
    services.submit_registration(registration, actor=personas.g1_officer)
    client.force_login(district_people.leader)
    url = reverse("reports:registration_board", args=[plan.pk, tree.district.pk])
    page = text(client.get(url))
    assert re.search(r"Chưa đăng ký <span class=\"badge text-bg-light\">1</span>", page)
    assert re.search(r"Chờ duyệt <span class=\"badge text-bg-light\">1</span>", page)
    assert "Công ty TNHH May Xuân Hòa" in page and "Công ty TNHH Giày Bình Minh" in page
    page = text(client.get(url + "?status=submitted"))
    assert "May Xuân Hòa" in page and "Giày Bình Minh" not in page


def test_a_forged_number_of_titles_is_refused_and_nothing_is_written(client, tree, personas, plan, targets):
    client.force_login(personas.g1_officer)
    data = post_data(0, [(targets["CT01"], "40", "")])
    data["aims-TOTAL_FORMS"] = 100_000
    page = text(client.post(page_url(plan, tree.grassroots), data))
    assert "Một bảng có tối đa 500 dòng; hãy bớt dòng trước khi lưu." in page
    assert not Registration.objects.filter(campaign=plan, organization=tree.grassroots).exists()
