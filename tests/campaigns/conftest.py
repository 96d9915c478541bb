import pytest

from organizations.kinds import load_kinds
from organizations.models import OrganizationKind
from tests.factories import make_organization


@pytest.fixture
def seed_units(db):
    """The units that own the five seed plans, as they were when the plans were issued."""
    load_kinds(OrganizationKind)
    tld = make_organization("Tổng Liên đoàn Lao động Việt Nam", kind_code="tld", code="TLD")
    units = {"TLD": tld}
    for code, name in [
        ("LDLD-NTH", "Liên đoàn Lao động tỉnh Ninh Thuận"),
        ("LDLD-LCH", "Liên đoàn Lao động tỉnh Lai Châu"),
        ("LDLD-QTR-CU", "Liên đoàn Lao động tỉnh Quảng Trị"),
        ("LDLD-NBH-CU", "Liên đoàn Lao động tỉnh Ninh Bình"),
        ("LDLD-BTN", "Liên đoàn Lao động tỉnh Bình Thuận"),
    ]:
        units[code] = make_organization(name, kind_code="ldld_tinh", parent=tld, code=code)
    cdvc = make_organization(
        "Công đoàn Viên chức tỉnh Bình Thuận", kind_code="cd_vien_chuc_tinh", parent=units["LDLD-BTN"], code="CDVC-BTN"
    )
    units["CDCS-BTN-08"] = make_organization(
        "Công đoàn cơ quan Ban Dân vận Tỉnh ủy Bình Thuận", parent=cdvc, code="CDCS-BTN-08", sector="hcsn"
    )
    return units
