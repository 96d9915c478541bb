"""Demo registrations, reports and initiatives for Lai Châu's 2026 plan, so that every
board, to-do list and roll-up has something to show after `make run`.

Công đoàn phường Tân Phong splits its share among its three grassroots unions; Điện lực
Lai Châu registered and reported round 1 (both approved), Xây dựng Lai Châu sent its
registration and had its round 1 report returned, Chè Tam Đường has only a draft.
Loading again changes nothing.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from awards.models import Title
from campaigns.models import Campaign
from initiatives.models import Initiative
from organizations.models import Organization
from reports import scope
from reports.models import Action, Registration, Report
from reports.services import registrations, reports
from targets.services import allocatable_targets, save_allocation, unit_plan

WARD = "CDP-LCH-TP"
SHARES = {"CDCS-LCH-01": Decimal("0.5"), "CDCS-LCH-02": Decimal("0.3"), "CDCS-LCH-06": Decimal("0.2")}


def _unit(code):
    return Organization.objects.select_related("kind", "parent").get(code=code)


def _user(username):
    return User.objects.get(username=username)


@transaction.atomic
def load_demo_reports():
    campaign = Campaign.objects.filter(owner__code="LDLD-LCH", year=2026).first()
    if campaign is None or Registration.objects.filter(campaign=campaign).exists():
        return
    ward = _unit(WARD)
    _split_ward_share(campaign, ward)
    _register_power_company(campaign)
    _register_builder(campaign)
    _draft_tea_company(campaign)
    _register_ward(campaign, ward)
    _load_initiatives()
    _report_round_one(campaign)


def _split_ward_share(campaign, ward):
    targets = list(allocatable_targets(campaign))
    plan = unit_plan(campaign, ward, targets)
    values = {}
    for code, share in SHARES.items():
        unit = _unit(code)
        for target in targets:
            if plan.get(target.pk):
                values[(unit.pk, target.pk)] = (plan[target.pk] * share).to_integral_value()
    save_allocation(campaign, ward, actor=_user("tanphong.quantri"), values=values, expected_version=None)


def _pledges(campaign, unit, extra=0):
    own = registrations.allocations_of(campaign, unit)
    pledges = {}
    for target in scope.targets_for(campaign, unit):
        if target.pk in own:
            pledges[target.pk] = (own[target.pk] + extra, "")
        elif target.kind in ("coverage", "yes_no"):
            pledges[target.pk] = (1, "")
    return pledges


def _register_power_company(campaign):
    unit = _unit("CDCS-LCH-01")
    officer = _user("dienluc.chuyenvien")
    data = registrations.RegistrationInput(
        pledges=_pledges(campaign, unit, extra=1),
        collective_title=Title.objects.get(code="ttldtt"),
        note="Phấn đấu 100% đoàn viên hoàn thành tốt nhiệm vụ.",
        aims=[
            (Title.objects.get(code="cstdcs"), "Lò Văn Thắng", "Trưởng phòng Kỹ thuật"),
            (Title.objects.get(code="ldtt"), "Tòng Thị Mai", "Kế toán viên"),
            (Title.objects.get(code="ldtt"), "Vàng A Páo", "Công nhân vận hành"),
        ],
        works=[
            {
                "name": "Cải tạo lưới điện hạ áp khu dân cư tổ 5",
                "description": "Chào mừng Đại hội XIII Công đoàn tỉnh",
                "expected_completion": datetime.date(2026, 4, 30),
            }
        ],
    )
    registration = registrations.save_registration(campaign, unit, actor=officer, data=data)
    registrations.submit_registration(registration, actor=officer)
    registrations.approve_registration(registration, actor=_user("tanphong.lanhdao"), comment="Đồng ý.")


def _register_builder(campaign):
    unit = _unit("CDCS-LCH-02")
    chair = _user("xaydung.quantri")
    data = registrations.RegistrationInput(
        pledges=_pledges(campaign, unit),
        collective_title=Title.objects.get(code="ttldtt"),
        aims=[(Title.objects.get(code="ldtt"), "Nguyễn Văn Hùng", "Đội trưởng thi công")],
    )
    registration = registrations.save_registration(campaign, unit, actor=chair, data=data)
    registrations.submit_registration(registration, actor=chair)


def _draft_tea_company(campaign):
    unit = _unit("CDCS-LCH-06")
    ward_officer = _user("tanphong.chuyenvien")  # entered on behalf of a unit with no account
    data = registrations.RegistrationInput(pledges=_pledges(campaign, unit))
    registrations.save_registration(campaign, unit, actor=ward_officer, data=data)


def _register_ward(campaign, ward):
    staff = _user("tanphong.quantri")
    data = registrations.RegistrationInput(
        pledges=_pledges(campaign, ward), collective_title=Title.objects.get(code="cdcs-vung-manh")
    )
    registration = registrations.save_registration(campaign, ward, actor=staff, data=data)
    registrations.submit_registration(registration, actor=staff)
    registrations.approve_registration(registration, actor=_user("laichau.lanhdao"))


def _load_initiatives():
    officer = _user("dienluc.chuyenvien")
    power = _unit("CDCS-LCH-01")
    rows = [
        (
            "Thiết bị cảnh báo quá tải máy biến áp qua tin nhắn",
            "Lò Văn Thắng, Trưởng phòng Kỹ thuật",
            "technical",
            datetime.date(2026, 3, 20),
            120_000_000,
        ),
        (
            "Sổ tay số hóa quy trình kiểm tra an toàn điện",
            "Tòng Thị Mai, Kế toán viên\nVàng A Páo, Công nhân vận hành",
            "operations",
            datetime.date(2026, 5, 8),
            35_000_000,
        ),
        (
            "Lịch trực sửa chữa điện theo cụm bản",
            "Vàng A Páo, Công nhân vận hành",
            "management",
            datetime.date(2026, 8, 14),
            None,
        ),
    ]
    for title, authors, field, day, benefit in rows:
        Initiative.objects.create(
            organization=power,
            title=title,
            authors=authors,
            field=field,
            recognized_on=day,
            benefit=benefit,
            recognition_level=4,
            decision_number=f"{day:%m}/QĐ-ĐLLC",
            created_by=officer,
        )
    Initiative.objects.create(
        organization=_unit("CDCS-LCH-02"),
        title="Khuôn đúc cấu kiện bê tông dùng lại nhiều lần",
        authors="Nguyễn Văn Hùng, Đội trưởng thi công",
        field="technical",
        recognized_on=datetime.date(2026, 4, 2),
        benefit=48_000_000,
        recognition_level=4,
        created_by=_user("xaydung.quantri"),
    )


def _round_one_entries(campaign, unit, ratio):
    own = registrations.allocations_of(campaign, unit)
    entries = {}
    for target in scope.targets_for(campaign, unit):
        if target.pk in own:
            entries[target.pk] = reports.Entry(value=(own[target.pk] * ratio).to_integral_value())
        elif target.kind in ("coverage", "yes_no"):
            entries[target.pk] = reports.Entry(achieved=True)
    return entries


def _report_round_one(campaign):
    round_one = campaign.rounds.get(number=1)
    power, builder = _unit("CDCS-LCH-01"), _unit("CDCS-LCH-02")
    officer, chair, leader = _user("dienluc.chuyenvien"), _user("xaydung.quantri"), _user("tanphong.lanhdao")
    data = reports.ReportInput(
        entries=_round_one_entries(campaign, power, Decimal("0.6")),
        texts={"highlights": "Hoàn thành vượt tiến độ kết nạp đoàn viên mới.", "shortcomings": "", "proposals": ""},
    )
    report = reports.save_report(campaign, power, round_one, actor=officer, data=data)
    reports.submit_report(report, actor=officer)
    reports.approve_report(report, actor=leader)
    data = reports.ReportInput(entries=_round_one_entries(campaign, builder, Decimal("0.4")))
    report = reports.save_report(campaign, builder, round_one, actor=chair, data=data)
    reports.submit_report(report, actor=chair)
    first = next(iter(data.entries))
    reports.return_report(
        report,
        actor=leader,
        comment="Đề nghị bổ sung minh chứng.",
        value_comments={first: "Số liệu chưa khớp với danh sách kết nạp; gửi kèm danh sách."},
    )
    _backdate(report, datetime.datetime(2026, 7, 6, 9, 30), late_days=6)
    _backdate(Registration.objects.get(campaign=campaign, organization=power), datetime.datetime(2026, 3, 10, 8, 0))
    _backdate(Registration.objects.get(campaign=campaign, organization=builder), datetime.datetime(2026, 3, 14, 15, 0))
    _backdate(
        Report.objects.get(campaign=campaign, organization=power, round=round_one),
        datetime.datetime(2026, 6, 29, 10, 0),
    )


def _backdate(submission, moment, late_days=0):
    """Demo steps happened on plausible days of 2026, not on the day the demo is loaded."""
    moment = timezone.make_aware(moment)
    type(submission).objects.filter(pk=submission.pk).update(submitted_at=moment, late_days=late_days)
    submission.events.update(at=moment)
    comment = _("%(days)s days late") % {"days": late_days} if late_days else ""
    submission.events.filter(action=Action.SUBMITTED).update(comment=comment)
