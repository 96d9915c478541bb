"""Small builders for test data; they write rows directly, bypassing services."""

import datetime
import itertools

from accounts.models import User
from organizations.models import Cluster, ClusterMember, Membership, Organization, OrganizationKind

_counter = itertools.count(1)


def kind(code):
    return OrganizationKind.objects.get(code=code)


def make_organization(name=None, *, kind_code="cdcs", parent=None, code=None, **fields):
    number = next(_counter)
    fields.setdefault("founded_on", datetime.date(2010, 1, 1))
    return Organization.objects.create(
        name=name or f"Đơn vị {number}",
        code=code or f"TEST-{number:05d}",
        kind=kind(kind_code),
        parent=parent,
        **fields,
    )


def make_user(username=None, *, password="pass-12345", **fields):
    username = username or f"user{next(_counter)}"
    fields.setdefault("full_name", username.replace(".", " ").title())
    fields.setdefault("email", f"{username}@example.com")
    user = User(username=username, **fields)
    user.set_password(password)
    user.save()
    return user


def make_membership(user, organization, role="officer", **fields):
    return Membership.objects.create(user=user, organization=organization, role=role, **fields)


def make_cluster(organizer, *, name=None, kind="cum", level=3, members=(), year=2026):
    cluster = Cluster.objects.create(
        organizer=organizer, name=name or f"Cụm thi đua {next(_counter)}", kind=kind, level=level
    )
    for index, org in enumerate(members):
        ClusterMember.objects.create(
            cluster=cluster, organization=org, year=year, role="leader" if index == 0 else "member"
        )
    return cluster


def plan_document(owner_code, *, year=2026, number=None, status="draft", issued_on=None, targets=None, rounds=None):
    """A small but complete campaign document (thidua.campaign/1) for tests."""
    return {
        "format": "thidua.campaign/1",
        "owner": owner_code,
        "issuer": {
            "organization": owner_code,
            "style": "union",
            "parent_name": "TỔNG LĐLĐ VIỆT NAM",
            "name": "LĐLĐ TỈNH AN PHÚ",
            "abbreviation": "LĐLĐ",
            "place": "An Phú",
        },
        "parent": None,
        "document": {
            "type": "KH",
            "heading": "KẾ HOẠCH",
            "number": number,
            "symbol": "KH-LĐLĐ",
            "place": "An Phú",
            "issued_on": issued_on,
            "subject": f"Phát động phong trào thi đua năm {year}",
            "year": year,
            "kind": "regular",
            "allow_outside_year": False,
            "status": status,
        },
        "scope": {"unit_kinds": [], "sectors": []},
        "themes": [{"kind": "campaign", "text": "Đoàn kết, sáng tạo"}],
        "legal_bases": [],
        "sections": [
            {
                "kind": "preamble",
                "label": "",
                "title": "",
                "intro": f"Năm {year} là năm có ý nghĩa quan trọng.",
                "closing": "",
                "clauses": [],
            },
            {
                "kind": "purposes",
                "label": "I.",
                "title": "MỤC ĐÍCH, YÊU CẦU",
                "intro": "",
                "closing": "",
                "clauses": [
                    {
                        "depth": 0,
                        "label": "1.",
                        "title": "Mục đích",
                        "body": "Động viên đoàn viên thi đua.",
                        "responsible_level": None,
                    },
                ],
            },
            {"kind": "rounds", "label": "II.", "title": "CÁC ĐỢT THI ĐUA", "intro": "", "closing": "", "clauses": []},
            {"kind": "targets", "label": "III.", "title": "CHỈ TIÊU", "intro": "", "closing": "", "clauses": []},
        ],
        "rounds": rounds
        if rounds is not None
        else [
            {
                "number": 1,
                "name": "Đợt 1",
                "heading": f"**Đợt 1** (từ 01/01/{year} đến 30/6/{year}):",
                "theme": "",
                "start": f"{year}-01-01",
                "end": f"{year}-06-30",
                "report_due": f"{year}-07-05",
                "description": "Thi đua lập thành tích chào mừng 75 năm Ngày Chủ tịch Hồ Chí Minh ra Lời kêu gọi thi đua ái quốc.",
                "is_peak": False,
                "commemorations": [],
            },
            {
                "number": 2,
                "name": "Đợt 2",
                "heading": f"**Đợt 2** (từ 01/7/{year} đến 31/12/{year}):",
                "theme": "",
                "start": f"{year}-07-01",
                "end": f"{year}-12-31",
                "report_due": None,
                "description": "Thi đua hoàn thành vượt mức kế hoạch năm.",
                "is_peak": False,
                "commemorations": [],
            },
        ],
        "target_groups": [
            {
                "label": "",
                "title": "",
                "intro": "",
                "layout": "lines",
                "targets": targets
                if targets is not None
                else [
                    {
                        "code": "CT01",
                        "label": "1.",
                        "joiner": "",
                        "text": "Kết nạp mới 120 đoàn viên",
                        "kind": "count",
                        "comparator": "gte",
                        "plan_value": 120,
                        "unit": "đoàn viên",
                        "sectors": [],
                        "unit_kinds": [],
                        "period": "year",
                        "allocations": [],
                    },
                    {
                        "code": "CT02",
                        "label": "",
                        "joiner": "; ",
                        "text": "thành lập 05 công đoàn cơ sở.",
                        "kind": "count",
                        "comparator": "gte",
                        "plan_value": 5,
                        "unit": "CĐCS",
                        "sectors": [],
                        "unit_kinds": [],
                        "period": "year",
                        "allocations": [],
                    },
                    {
                        "code": "CT03",
                        "label": "2.",
                        "joiner": "",
                        "text": "85% CĐCS khu vực nhà nước đạt loại tốt.",
                        "kind": "percentage",
                        "comparator": "gte",
                        "plan_value": 85,
                        "unit": "%",
                        "sectors": ["hcsn", "dnnn"],
                        "unit_kinds": ["cdcs"],
                        "period": "year",
                        "allocations": [],
                    },
                    {
                        "code": "CT04",
                        "label": "3.",
                        "joiner": "",
                        "text": "100% công đoàn cơ sở tổ chức Tháng Công nhân.",
                        "kind": "coverage",
                        "comparator": "gte",
                        "plan_value": 100,
                        "unit": "%",
                        "sectors": [],
                        "unit_kinds": [],
                        "period": "round",
                        "allocations": [],
                    },
                ],
            }
        ],
        "tasks": [],
        "deadlines": [
            {"kind": "registration", "description": "Đăng ký thi đua", "due_date": f"{year}-03-15", "round": 1}
        ],
        "recipients": [{"text": "Tổng LĐLĐ Việt Nam;", "group": "B/c"}, {"text": "Lưu: VT, Ban CSPL.", "group": ""}],
        "signer": {
            "collective_authority": "tm",
            "collective": "BAN THƯỜNG VỤ",
            "authority": "",
            "head_title": "",
            "title": "CHỦ TỊCH",
            "name": "Nguyễn Văn Thử",
        },
    }


def make_campaign(owner, actor=None, **kwargs):
    from campaigns.interchange import import_campaign

    return import_campaign(plan_document(owner.code, **kwargs), actor=actor)
