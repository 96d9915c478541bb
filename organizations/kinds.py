"""The unit kinds the portal starts with (loaded by a data migration).

Dates follow Công văn 4173/TLĐ-ToC: district federations, local sector unions
and the provincial public-employee unions ended on 30/6/2025; commune, ward
and special-zone unions began on 1/7/2025.
"""

import datetime

REFORM_END = datetime.date(2025, 6, 30)
REFORM_START = datetime.date(2025, 7, 1)

KINDS = [
    # code, name, abbreviation, level, valid_from, valid_until
    ("tld", "Tổng Liên đoàn Lao động Việt Nam", "TLĐ", 1, None, None),
    ("ldld_tinh", "Liên đoàn Lao động tỉnh, thành phố", "LĐLĐ tỉnh", 2, None, None),
    ("cd_nganh_tw", "Công đoàn ngành trung ương", "CĐ ngành TW", 2, None, None),
    (
        "cd_tap_doan_tw",
        "Công đoàn tập đoàn, tổng công ty trực thuộc Tổng Liên đoàn",
        "CĐ TĐ/TCT",
        2,
        None,
        None,
    ),
    ("ldld_huyen", "Liên đoàn Lao động cấp huyện", "LĐLĐ huyện", 3, None, REFORM_END),
    ("cd_nganh_dp", "Công đoàn ngành địa phương", "CĐ ngành", 3, None, REFORM_END),
    ("cd_vien_chuc_tinh", "Công đoàn Viên chức tỉnh", "CĐVC tỉnh", 3, None, REFORM_END),
    ("cd_xa_phuong", "Công đoàn xã, phường, đặc khu", "CĐ xã/phường", 3, REFORM_START, None),
    (
        "cd_kcn",
        "Công đoàn các khu công nghiệp, khu chế xuất, khu kinh tế",
        "CĐ KCN/KKT",
        3,
        None,
        None,
    ),
    ("cd_tct", "Công đoàn tổng công ty (cấp trên trực tiếp cơ sở)", "CĐ TCT", 3, None, None),
    ("cdcs", "Công đoàn cơ sở", "CĐCS", 4, None, None),
    ("nghiep_doan", "Nghiệp đoàn cơ sở", "NĐCS", 4, None, None),
    ("cdcs_thanh_vien", "Công đoàn cơ sở thành viên", "CĐCS thành viên", 5, None, None),
    ("cd_bo_phan", "Công đoàn bộ phận", "CĐBP", 5, None, None),
    ("to_cong_doan", "Tổ công đoàn", "Tổ CĐ", 5, None, None),
]


def load_kinds(kind_model):
    """Create or refresh the kinds above; safe to run again."""
    for order, (code, name, abbreviation, level, valid_from, valid_until) in enumerate(KINDS):
        kind_model.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "abbreviation": abbreviation,
                "level": level,
                "valid_from": valid_from,
                "valid_until": valid_until,
                "sort_order": order,
            },
        )
