"""Demo award work for Lai Châu: the people of Điện lực Lai Châu with three years of history,
this year's ratings, nominations on their way up, and the ward's council.

Lò Văn Thắng was Chiến sĩ thi đua cơ sở in 2023–2025 and has a recognised initiative, so
the eligibility page has a full pass to show; Vàng A Páo was away 45 days, so it has a
failure to show. Loading again changes nothing.
"""

import datetime

from django.db import transaction

from accounts.models import User
from awards.models import Absence, AwardForm, Council, CouncilMember, Honour, HonourSource, Nomination, Rating, Title
from awards.services import nominations
from organizations.models import Organization, Person

POWER = "CDCS-LCH-01"
WARD = "CDP-LCH-TP"
YEAR = 2026

# name, position, gender, birth year, joined, 2026 rating (1 = HTXS … 4)
PEOPLE = [
    ("Lò Văn Thắng", "Trưởng phòng Kỹ thuật", "nam", 1982, datetime.date(2006, 8, 1), 1),
    ("Tòng Thị Mai", "Kế toán viên", "nu", 1990, datetime.date(2014, 3, 1), 2),
    ("Vàng A Páo", "Công nhân vận hành", "nam", 1994, datetime.date(2017, 5, 15), 2),
    ("Lường Thị Hoa", "Chuyên viên Phòng Kinh doanh", "nu", 1988, datetime.date(2012, 9, 1), 2),
    ("Điêu Chính Tuấn", "Đội trưởng Đội Quản lý điện", "nam", 1979, datetime.date(2003, 4, 1), 1),
    ("Hà Thị Lan", "Nhân viên thu ngân", "nu", 1996, datetime.date(2020, 2, 1), 2),
    ("Giàng A Sình", "Công nhân sửa chữa", "nam", 1992, datetime.date(2015, 10, 1), 3),
    ("Nguyễn Thu Trang", "Chuyên viên Phòng Tổ chức", "nu", 1993, datetime.date(2016, 7, 1), 2),
]
HISTORY = [("Lò Văn Thắng", "cstdcs", (2023, 2024, 2025)), ("Lò Văn Thắng", "ldtt", (2023, 2024, 2025))]
COUNCIL = [
    ("tanphong.lanhdao", "chair", "Chủ tịch Công đoàn phường"),
    ("tanphong.quantri", "secretary", "Chuyên viên phụ trách thi đua"),
    ("tanphong.chuyenvien", "member", "Ủy viên Ban Chấp hành"),
    ("tanphong.xem", "member", "Ủy viên Ban Thường vụ"),
]


def _person(unit, name):
    return Person.objects.get(organization=unit, full_name=name)


@transaction.atomic
def load_demo_awards():
    power = Organization.objects.filter(code=POWER).first()
    if power is None or Nomination.objects.filter(nominator=power).exists():
        return
    _load_people(power)
    _load_history(power)
    _load_council()
    _nominate(power)


def _load_people(unit):
    for name, position, gender, born, joined, rating in PEOPLE:
        person, _created = Person.objects.update_or_create(
            organization=unit,
            full_name=name,
            defaults={"position": position, "gender": gender, "birth_year": born, "joined_on": joined},
        )
        Rating.objects.get_or_create(person=person, year=YEAR, kind="duty", defaults={"level": rating})
    Rating.objects.get_or_create(organization=unit, year=YEAR, kind="union", defaults={"level": 1})
    Rating.objects.get_or_create(organization=unit, year=YEAR, kind="duty", defaults={"level": 1})
    Absence.objects.get_or_create(person=_person(unit, "Vàng A Páo"), year=YEAR, days=45, reason="sickness")


def _load_history(unit):
    for name, code, years in HISTORY:
        for year in years:
            Honour.objects.get_or_create(
                person=_person(unit, name),
                year=year,
                title=Title.objects.get(code=code),
                defaults={
                    "source": HonourSource.IMPORT,
                    "decision_number": f"{year - 2000:02d}/QĐ-CĐĐL",
                    "decided_on": datetime.date(year + 1, 1, 15),
                    "issuer_name": "Công đoàn Công ty Điện lực Lai Châu",
                },
            )


def _load_council():
    ward = Organization.objects.get(code=WARD)
    council, _created = Council.objects.get_or_create(
        organization=ward,
        year=YEAR,
        defaults={"name": f"Hội đồng Thi đua – Khen thưởng Công đoàn phường Tân Phong {YEAR}"},
    )
    for username, role, position in COUNCIL:
        user = User.objects.filter(username=username).first()
        if user is not None:
            CouncilMember.objects.get_or_create(
                council=council, user=user, defaults={"role": role, "position": position}
            )


def _nominate(unit):
    officer = User.objects.get(username="dienluc.chuyenvien")
    reviewer = User.objects.get(username="tanphong.lanhdao")
    ldtt = Title.objects.get(code="ldtt")
    rows = [
        ({"person": _person(unit, "Lò Văn Thắng"), "title": ldtt}, "Hoàn thành xuất sắc nhiệm vụ được giao."),
        ({"person": _person(unit, "Vàng A Páo"), "title": ldtt}, "Hoàn thành tốt nhiệm vụ vận hành lưới điện."),
        (
            {"person": _person(unit, "Lò Văn Thắng"), "title": Title.objects.get(code="cstdcs")},
            "Chủ trì sáng kiến thiết bị cảnh báo quá tải máy biến áp; hoàn thành xuất sắc nhiệm vụ.",
        ),
        (
            {"person": _person(unit, "Tòng Thị Mai"), "award_form": _form("giay-khen-ctt-cn")},
            "Hoàn thành tốt nhiệm vụ; tích cực trong phong trào “Giỏi việc nước, đảm việc nhà”.",
        ),
        (
            {"person": _person(unit, "Vàng A Páo"), "award_form": _form("giay-khen-ctt-cn")},
            "Tham gia khắc phục sự cố lưới điện sau mưa lũ tháng 7.",
        ),
        (
            {"organization": unit, "title": Title.objects.get(code="cdcs-vung-manh")},
            "Công đoàn cơ sở hoàn thành xuất sắc nhiệm vụ; 100% đoàn viên đăng ký thi đua.",
        ),
    ]
    created = []
    for nominee, summary in rows:
        data = {"year": YEAR, "summary": summary, "award_kind": "cong-trang", **nominee}
        nomination = nominations.create_nomination(unit, actor=officer, data=data)
        nominations.submit_nomination(nomination, actor=officer)
        created.append(nomination)
    # The ward has already accepted the unit's own nomination for its council.
    nominations.accept_nomination(created[-1], actor=reviewer)


def _form(code):
    return AwardForm.objects.get(code=code)
