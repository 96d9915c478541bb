"""Shared fixtures: a small union tree and the personas of the access table.

TLĐ
├── province  (LĐLĐ tỉnh An Phú)            ← province_staff (staff), leader_viewer (approver)
│   ├── district (CĐ phường Xuân Hòa)       ← district_officer (officer)
│   │   ├── grassroots (CĐCS Công ty May Xuân Hòa)   ← grassroots_chair (staff), g1_officer
│   │   └── other_grassroots (CĐCS Công ty Giày Bình Minh) ← other_grassroots_chair (staff)
│   └── other_district (CĐ phường Đông Sơn)
│       └── far_grassroots
└── other_province (LĐLĐ tỉnh Bắc Sơn)
    └── foreign_grassroots
"""

import os
import sys
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import transaction
from django.test import override_settings

from accounts.models import User
from awards.catalogue_data import load_catalogue
from awards.models import Criterion
from documents.models import DocumentType
from documents.types import load_document_types
from organizations.kinds import load_kinds
from organizations.models import Organization, OrganizationKind
from tests.factories import make_campaign, make_membership, make_organization, make_user

# Playwright's sync API runs an event loop in the test thread; Django's ORM must be
# allowed to run there for live-server tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SECURE_SSL_REDIRECT = False
    settings.LANGUAGE_CODE = "vi"


def build_tree():
    # Transactional tests (the live server) flush what the data migrations loaded.
    if not Criterion.objects.exists():
        load_kinds(OrganizationKind)
        load_document_types(DocumentType)
        load_catalogue(lambda name: apps.get_model("awards", name))
    tld = make_organization("Tổng Liên đoàn Lao động Việt Nam", kind_code="tld", code="TLD")
    province = make_organization(
        "Liên đoàn Lao động tỉnh An Phú",
        kind_code="ldld_tinh",
        parent=tld,
        code="LDLD-AP",
        short_name="LĐLĐ tỉnh An Phú",
    )
    district = make_organization("Công đoàn phường Xuân Hòa", kind_code="cd_xa_phuong", parent=province, code="CDP-XH")
    other_district = make_organization(
        "Công đoàn phường Đông Sơn", kind_code="cd_xa_phuong", parent=province, code="CDP-DS"
    )
    grassroots = make_organization(
        "Công đoàn cơ sở Công ty TNHH May Xuân Hòa",
        parent=district,
        code="CDCS-MXH",
        sector="ngoai_nn",
        members_count=420,
        workers_count=450,
    )
    other_grassroots = make_organization(
        "Công đoàn cơ sở Công ty TNHH Giày Bình Minh",
        parent=district,
        code="CDCS-GBM",
        sector="fdi",
        members_count=1200,
        workers_count=1300,
    )
    far_grassroots = make_organization(
        "Công đoàn cơ sở Trường Tiểu học Đông Sơn",
        parent=other_district,
        code="CDCS-THDS",
        sector="hcsn",
        members_count=40,
        workers_count=42,
    )
    other_province = make_organization(
        "Liên đoàn Lao động tỉnh Bắc Sơn", kind_code="ldld_tinh", parent=tld, code="LDLD-BS"
    )
    foreign_grassroots = make_organization(
        "Công đoàn cơ sở Công ty Cổ phần Bắc Sơn",
        parent=other_province,
        code="CDCS-BS",
        sector="dnnn",
        members_count=300,
    )
    return SimpleNamespace(
        tld=tld,
        province=province,
        district=district,
        other_district=other_district,
        grassroots=grassroots,
        other_grassroots=other_grassroots,
        far_grassroots=far_grassroots,
        other_province=other_province,
        foreign_grassroots=foreign_grassroots,
    )


def build_personas(tree):
    def person(username, full_name, unit, role, position=""):
        user = make_user(username, full_name=full_name)
        make_membership(user, unit, role, position=position)
        return user

    return SimpleNamespace(
        province_staff=person("tinh.quantri", "Nguyễn Thị Tỉnh", tree.province, "staff"),
        leader_viewer=person("tinh.lanhdao", "Trần Văn Lãnh", tree.province, "approver", "Phó Chủ tịch"),
        district_officer=person("phuong.chuyenvien", "Lê Thị Phường", tree.district, "officer"),
        grassroots_chair=person("may.chutich", "Phạm Văn May", tree.grassroots, "staff", "Chủ tịch"),
        other_grassroots_chair=person("giay.chutich", "Hoàng Thị Giày", tree.other_grassroots, "staff", "Chủ tịch"),
        g1_officer=person("may.chuyenvien", "Vũ Văn Nhập", tree.grassroots, "officer"),
        anonymous=None,
    )


UNIT_CODES = {
    "tld": "TLD",
    "province": "LDLD-AP",
    "district": "CDP-XH",
    "other_district": "CDP-DS",
    "grassroots": "CDCS-MXH",
    "other_grassroots": "CDCS-GBM",
    "far_grassroots": "CDCS-THDS",
    "other_province": "LDLD-BS",
    "foreign_grassroots": "CDCS-BS",
}
USERNAMES = {
    "province_staff": "tinh.quantri",
    "leader_viewer": "tinh.lanhdao",
    "district_officer": "phuong.chuyenvien",
    "grassroots_chair": "may.chutich",
    "other_grassroots_chair": "giay.chutich",
    "g1_officer": "may.chuyenvien",
}
# Modules holding a transactional test (live server, concurrency, backups): their tests build
# the tree themselves, since a flush or another connection cannot share an open transaction.
TRANSACTIONAL_MODULES = set()
# A module can also opt out with SHARED_TREE = False, when one of its tests needs an empty database.


def _is_transactional(item):
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    names = getattr(item, "fixturenames", ())
    return any(name in names for name in ("transactional_db", "live_server", "django_db_reset_sequences"))


def pytest_collection_modifyitems(items):
    TRANSACTIONAL_MODULES.update(item.module.__name__ for item in items if item.module and _is_transactional(item))


@pytest.fixture(scope="module")
def _shared_tree(request, django_db_setup, django_db_blocker):
    """The tree and its personas, built once per module inside an outer transaction.

    Building them costs more than most tests; each test's own transaction is a savepoint
    inside this one, so it still starts from the same rows and leaves nothing behind.
    """
    if request.module.__name__ in TRANSACTIONAL_MODULES or not getattr(request.module, "SHARED_TREE", True):
        yield False
        return
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
                build_personas(build_tree())
        except BaseException:
            outer.__exit__(*sys.exc_info())
            raise
    yield True
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def tree(_shared_tree, db):
    if not _shared_tree:
        return build_tree()
    units = {unit.code: unit for unit in Organization.objects.filter(code__in=UNIT_CODES.values())}
    return SimpleNamespace(**{name: units[code] for name, code in UNIT_CODES.items()})


@pytest.fixture
def personas(_shared_tree, tree):
    if not _shared_tree:
        return build_personas(tree)
    users = {user.username: user for user in User.objects.filter(username__in=USERNAMES.values())}
    return SimpleNamespace(anonymous=None, **{name: users[username] for name, username in USERNAMES.items()})


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def draft_plan(tree, personas):
    """A draft plan of the province (only the province's users see it)."""
    return make_campaign(tree.province, personas.province_staff, year=2026)


@pytest.fixture
def published_plan(tree, personas):
    """A published plan of the province, numbered, with shares given to both districts."""
    from campaigns.services import publish_campaign
    from targets.services import save_allocation

    plan = make_campaign(tree.province, personas.province_staff, year=2026, number=3, issued_on="2026-01-15")
    ct01, ct02 = plan.targets.get(code="CT01"), plan.targets.get(code="CT02")
    publish_campaign(plan, actor=personas.province_staff)
    save_allocation(
        plan,
        tree.province,
        actor=personas.province_staff,
        values={(tree.district.pk, ct01.pk): 70, (tree.other_district.pk, ct01.pk): 50, (tree.district.pk, ct02.pk): 3},
        expected_version=None,
    )
    return plan
