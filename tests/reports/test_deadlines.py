"""Deadlines: e-mail reminders (once a day per unit and item) and each user's to-do list."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from reports.models import ReminderLog
from reports.services import deadlines
from reports.services import registrations as registration_services

DUE = datetime.date(2026, 3, 15)  # the plan's registration deadline


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def register(plan, unit, actor):
    data = registration_services.RegistrationInput(pledges={plan.targets.get(code="CT01").pk: (Decimal(40), "")})
    registration = registration_services.save_registration(plan, unit, actor=actor, data=data)
    return registration_services.submit_registration(registration, actor=actor)[0]


def test_reminders_go_before_and_after_the_due_date_once_a_day(tree, personas, plan, settings):
    settings.REMINDER_DAYS_BEFORE = [7, 1]
    settings.REMINDER_DAYS_AFTER = [1]
    register(plan, tree.grassroots, personas.g1_officer)
    sent = deadlines.send_due_reminders(DUE - datetime.timedelta(days=7))
    reminded = {unit.code for _campaign, item, units in sent if item.is_registration for unit in units}
    # Every participating unit that has not sent its registration, and only those.
    assert reminded == {"CDP-XH", "CDP-DS", "CDCS-GBM", "CDCS-THDS"}
    gbm = next(m for m in mail.outbox if "giay.chutich@example.com" in m.to)
    assert gbm.subject == "[Thi đua] Đăng ký thi đua hết hạn ngày 15/3/2026"
    assert "Kính gửi Công đoàn cơ sở Công ty TNHH Giày Bình Minh," in gbm.body
    assert f"/campaigns/{plan.pk}/units/{tree.other_grassroots.pk}/registration/" in gbm.body
    count = len(mail.outbox)

    assert deadlines.send_due_reminders(DUE - datetime.timedelta(days=7)) == [
        (plan, item, []) for _c, item, _u in sent
    ]  # the same day again: nothing more
    assert len(mail.outbox) == count
    assert deadlines.send_due_reminders(DUE - datetime.timedelta(days=6)) == []  # not a reminder day
    late = deadlines.send_due_reminders(DUE + datetime.timedelta(days=1))
    overdue = next(m for m in mail.outbox[count:] if "giay.chutich@example.com" in m.to)
    assert overdue.subject == "[Thi đua] Đăng ký thi đua đã quá hạn ngày 15/3/2026 (1 ngày)"
    assert {u.code for _c, item, units in late if item.is_registration for u in units} == reminded


def test_the_command_runs_for_a_given_day_and_refuses_a_bad_date(tree, personas, plan, settings):
    settings.REMINDER_DAYS_BEFORE = [1]
    out = io.StringIO()
    call_command("send_deadline_reminders", "--date", "2026-03-14", stdout=out)
    assert "LDLD-AP 2026 – Đăng ký thi đua: 5 units reminded" in out.getvalue()
    assert "5 reminders sent for 14/03/2026." in out.getvalue()
    call_command("send_deadline_reminders", "--date", "2026-03-14", stdout=out)
    assert ReminderLog.objects.count() == 5
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_deadline_reminders", "--date", "14/03/2026")


def test_the_board_reminds_the_units_that_have_not_sent(client, tree, personas, plan, district_people):
    register(plan, tree.grassroots, personas.g1_officer)
    client.force_login(district_people.leader)
    board = reverse("reports:registration_board", args=[plan.pk, tree.district.pk])
    remind = reverse("reports:remind", args=[plan.pk, tree.district.pk])
    response = client.post(remind, {"item": "registration", "back": board})
    assert response["Location"] == board
    page = text(client.get(board))
    assert f"Đã gửi thư nhắc tới 1 đơn vị: {tree.other_grassroots.display_name}." in page
    assert [m.to for m in mail.outbox] == [["giay.chutich@example.com"]]
    client.post(remind, {"item": "registration", "back": board})
    assert "Không gửi thư nhắc nào" in text(client.get(board))
    assert len(mail.outbox) == 1
    # Reminding belongs to those who review; an officer of the district does not.
    client.force_login(personas.district_officer)
    assert client.post(remind, {"item": "registration"}).status_code == 403
    assert client.post(remind, {"item": "nothing"}).status_code in (403, 404)


def test_the_home_page_lists_what_is_owed_and_what_awaits_approval(client, tree, personas, plan, district_people):
    client.force_login(personas.g1_officer)
    page = text(client.get(reverse("core:home")))
    assert "Đăng ký thi đua" in page and "Báo cáo sơ kết đợt 1" in page
    assert "Hạn 15/3/2026" in page
    assert f'href="/campaigns/{plan.pk}/units/{tree.grassroots.pk}/registration/"' in page
    register(plan, tree.grassroots, personas.g1_officer)
    page = text(client.get(reverse("core:home")))
    assert f'href="/campaigns/{plan.pk}/units/{tree.grassroots.pk}/registration/"' not in page

    client.force_login(district_people.leader)
    page = text(client.get(reverse("core:home")))
    assert 'Bản đăng ký chờ bạn duyệt</a> <span class="badge text-bg-warning">1</span>' in page


def test_overdue_items_are_marked(tree, personas, plan):
    todos = deadlines.todo_for(personas.g1_officer, today=DUE + datetime.timedelta(days=3))
    registration = next(t for t in todos if t.label == "Đăng ký thi đua")
    assert registration.overdue and registration.due == DUE
    early = deadlines.todo_for(personas.g1_officer, today=DUE - datetime.timedelta(days=3))
    assert not next(t for t in early if t.label == "Đăng ký thi đua").overdue
    # A round that has not started asks for nothing yet; the year-end report waits for December.
    assert [t.label for t in early] == ["Đăng ký thi đua", "Báo cáo sơ kết đợt 1"]
