"""Demo hierarchy: the five seed provinces as they were when their plans were issued,
their 2025 reorganisation, the other provinces of today, clusters and one user per
role and level.

Everything is looked up by code or user name first, so loading twice changes nothing:
``ensure_*`` helpers only write when a value differs, and the 2025 changes are only
applied to units that have not had them yet.
"""

import datetime

from django.db import transaction

from accounts.models import User
from core.audit import save_as
from organizations import services
from organizations.kinds import REFORM_START
from organizations.models import (
    Cluster,
    ClusterMember,
    EventType,
    Membership,
    Organization,
    OrganizationEvent,
    OrganizationKind,
    Role,
    Sector,
)

DEMO_PASSWORD = "ThiDua@2026"
HCSN, DNNN, NGOAI, FDI = (
    Sector.PUBLIC_SERVICE,
    Sector.STATE_ENTERPRISE,
    Sector.NON_STATE,
    Sector.FOREIGN_INVESTED,
)
OLD = datetime.date(1990, 1, 1)

# The 34 provinces and cities after Nghị quyết 202/2025/QH15, with the founding year
# of their current federation (the merged ones from 1/7/2025).
PROVINCES_NOW = [
    ("LDLD-HNI", "Liên đoàn Lao động thành phố Hà Nội", "LĐLĐ TP Hà Nội", None),
    ("LDLD-HUE", "Liên đoàn Lao động thành phố Huế", "LĐLĐ TP Huế", None),
    ("LDLD-LCH", "Liên đoàn Lao động tỉnh Lai Châu", "LĐLĐ tỉnh Lai Châu", None),
    ("LDLD-DBN", "Liên đoàn Lao động tỉnh Điện Biên", "LĐLĐ tỉnh Điện Biên", None),
    ("LDLD-SLA", "Liên đoàn Lao động tỉnh Sơn La", "LĐLĐ tỉnh Sơn La", None),
    ("LDLD-LSN", "Liên đoàn Lao động tỉnh Lạng Sơn", "LĐLĐ tỉnh Lạng Sơn", None),
    ("LDLD-QNH", "Liên đoàn Lao động tỉnh Quảng Ninh", "LĐLĐ tỉnh Quảng Ninh", None),
    ("LDLD-THA", "Liên đoàn Lao động tỉnh Thanh Hóa", "LĐLĐ tỉnh Thanh Hóa", None),
    ("LDLD-NAN", "Liên đoàn Lao động tỉnh Nghệ An", "LĐLĐ tỉnh Nghệ An", None),
    ("LDLD-HTH", "Liên đoàn Lao động tỉnh Hà Tĩnh", "LĐLĐ tỉnh Hà Tĩnh", None),
    ("LDLD-CBG", "Liên đoàn Lao động tỉnh Cao Bằng", "LĐLĐ tỉnh Cao Bằng", None),
    ("LDLD-TQG", "Liên đoàn Lao động tỉnh Tuyên Quang", "LĐLĐ tỉnh Tuyên Quang", None),
    ("LDLD-LCI", "Liên đoàn Lao động tỉnh Lào Cai", "LĐLĐ tỉnh Lào Cai", None),
    ("LDLD-TNN", "Liên đoàn Lao động tỉnh Thái Nguyên", "LĐLĐ tỉnh Thái Nguyên", None),
    ("LDLD-PTO", "Liên đoàn Lao động tỉnh Phú Thọ", "LĐLĐ tỉnh Phú Thọ", None),
    ("LDLD-BNH", "Liên đoàn Lao động tỉnh Bắc Ninh", "LĐLĐ tỉnh Bắc Ninh", None),
    ("LDLD-HYN", "Liên đoàn Lao động tỉnh Hưng Yên", "LĐLĐ tỉnh Hưng Yên", None),
    ("LDLD-HPG", "Liên đoàn Lao động thành phố Hải Phòng", "LĐLĐ TP Hải Phòng", None),
    ("LDLD-NBH", "Liên đoàn Lao động tỉnh Ninh Bình", "LĐLĐ tỉnh Ninh Bình", REFORM_START),
    ("LDLD-QTR", "Liên đoàn Lao động tỉnh Quảng Trị", "LĐLĐ tỉnh Quảng Trị", REFORM_START),
    ("LDLD-DNG", "Liên đoàn Lao động thành phố Đà Nẵng", "LĐLĐ TP Đà Nẵng", None),
    ("LDLD-QNI", "Liên đoàn Lao động tỉnh Quảng Ngãi", "LĐLĐ tỉnh Quảng Ngãi", None),
    ("LDLD-GLI", "Liên đoàn Lao động tỉnh Gia Lai", "LĐLĐ tỉnh Gia Lai", None),
    ("LDLD-KHH", "Liên đoàn Lao động tỉnh Khánh Hòa", "LĐLĐ tỉnh Khánh Hòa", None),
    ("LDLD-LDG", "Liên đoàn Lao động tỉnh Lâm Đồng", "LĐLĐ tỉnh Lâm Đồng", None),
    ("LDLD-DLK", "Liên đoàn Lao động tỉnh Đắk Lắk", "LĐLĐ tỉnh Đắk Lắk", None),
    ("LDLD-HCM", "Liên đoàn Lao động Thành phố Hồ Chí Minh", "LĐLĐ TP Hồ Chí Minh", None),
    ("LDLD-DNI", "Liên đoàn Lao động tỉnh Đồng Nai", "LĐLĐ tỉnh Đồng Nai", None),
    ("LDLD-TNH", "Liên đoàn Lao động tỉnh Tây Ninh", "LĐLĐ tỉnh Tây Ninh", None),
    ("LDLD-CTO", "Liên đoàn Lao động thành phố Cần Thơ", "LĐLĐ TP Cần Thơ", None),
    ("LDLD-VLG", "Liên đoàn Lao động tỉnh Vĩnh Long", "LĐLĐ tỉnh Vĩnh Long", None),
    ("LDLD-DTP", "Liên đoàn Lao động tỉnh Đồng Tháp", "LĐLĐ tỉnh Đồng Tháp", None),
    ("LDLD-CMU", "Liên đoàn Lao động tỉnh Cà Mau", "LĐLĐ tỉnh Cà Mau", None),
    ("LDLD-AGG", "Liên đoàn Lao động tỉnh An Giang", "LĐLĐ tỉnh An Giang", None),
]

NATIONAL_SECTOR_UNIONS = [
    ("CDN-GDVN", "Công đoàn Giáo dục Việt Nam", "cd_nganh_tw"),
    ("CDN-YTVN", "Công đoàn Y tế Việt Nam", "cd_nganh_tw"),
    ("CDN-CTVN", "Công đoàn Công Thương Việt Nam", "cd_nganh_tw"),
    ("CDTD-DLVN", "Công đoàn Điện lực Việt Nam", "cd_tap_doan_tw"),
    ("CDTD-DKVN", "Công đoàn Dầu khí Việt Nam", "cd_tap_doan_tw"),
]

# Provinces that ended on 30/6/2025 and the federation they merged into. The
# seed provinces carry a full tree below (SEED_TREES); the others only the unit.
MERGED_PROVINCES = [
    ("LDLD-NTH", "Liên đoàn Lao động tỉnh Ninh Thuận", "LĐLĐ tỉnh Ninh Thuận", "LDLD-KHH"),
    ("LDLD-BTN", "Liên đoàn Lao động tỉnh Bình Thuận", "LĐLĐ tỉnh Bình Thuận", "LDLD-LDG"),
    ("LDLD-DKN", "Liên đoàn Lao động tỉnh Đắk Nông", "LĐLĐ tỉnh Đắk Nông", "LDLD-LDG"),
    ("LDLD-QTR-CU", "Liên đoàn Lao động tỉnh Quảng Trị", "LĐLĐ tỉnh Quảng Trị", "LDLD-QTR"),
    ("LDLD-QBH", "Liên đoàn Lao động tỉnh Quảng Bình", "LĐLĐ tỉnh Quảng Bình", "LDLD-QTR"),
    ("LDLD-NBH-CU", "Liên đoàn Lao động tỉnh Ninh Bình", "LĐLĐ tỉnh Ninh Bình", "LDLD-NBH"),
    ("LDLD-HNM", "Liên đoàn Lao động tỉnh Hà Nam", "LĐLĐ tỉnh Hà Nam", "LDLD-NBH"),
    ("LDLD-NDH", "Liên đoàn Lao động tỉnh Nam Định", "LĐLĐ tỉnh Nam Định", "LDLD-NBH"),
    ("LDLD-HGG", "Liên đoàn Lao động tỉnh Hà Giang", "LĐLĐ tỉnh Hà Giang", "LDLD-TQG"),
]

# Grassroots unions: (code suffix, name, sector, members, fate). The fate is what
# happened on 1/7/2025: "dissolve" (fully state-funded public bodies), "province"
# (moved directly under the provincial federation), "stay" (under an industrial-zone
# union), or the code of the new commune/ward union it moved to.
SEED_TREES = {
    "LDLD-NTH": {
        "new_parent": "LDLD-KHH",
        "wards": [
            ("CDP-KHH-PR", "Công đoàn phường Phan Rang"),
            ("CDP-KHH-BA", "Công đoàn phường Bảo An"),
            ("CDX-KHH-NH", "Công đoàn xã Ninh Hải"),
        ],
        "upper": [
            (
                "LDLD-NTH-PRTC",
                "Liên đoàn Lao động thành phố Phan Rang – Tháp Chàm",
                "ldld_huyen",
                [
                    ("01", "Công đoàn cơ sở Công ty Điện lực Ninh Thuận", DNNN, 310, "CDP-KHH-PR"),
                    (
                        "02",
                        "Công đoàn cơ sở Công ty Cổ phần Cấp nước Ninh Thuận",
                        DNNN,
                        185,
                        "CDP-KHH-PR",
                    ),
                    ("03", "Công đoàn cơ sở Công ty TNHH May Phan Rang", NGOAI, 420, "CDP-KHH-BA"),
                    ("04", "Công đoàn cơ sở Ủy ban nhân dân phường Đạo Long", HCSN, 28, "dissolve"),
                    ("05", "Công đoàn cơ sở Trường THPT Chu Văn An", HCSN, 74, "dissolve"),
                ],
            ),
            (
                "LDLD-NTH-NH",
                "Liên đoàn Lao động huyện Ninh Hải",
                "ldld_huyen",
                [
                    ("06", "Công đoàn cơ sở Công ty Cổ phần Muối Cà Ná", NGOAI, 160, "CDX-KHH-NH"),
                    ("07", "Công đoàn cơ sở Hợp tác xã Nho Thái An", NGOAI, 35, "CDX-KHH-NH"),
                    ("08", "Công đoàn cơ sở Trường Tiểu học Khánh Hải", HCSN, 41, "dissolve"),
                    ("09", "Công đoàn cơ sở Ủy ban nhân dân xã Vĩnh Hải", HCSN, 25, "dissolve"),
                ],
            ),
            (
                "LDLD-NTH-NP",
                "Liên đoàn Lao động huyện Ninh Phước",
                "ldld_huyen",
                [
                    (
                        "10",
                        "Công đoàn cơ sở Công ty TNHH Nông sản Ninh Phước",
                        NGOAI,
                        96,
                        "CDP-KHH-BA",
                    ),
                    (
                        "11",
                        "Công đoàn cơ sở Trung tâm Y tế huyện Ninh Phước",
                        HCSN,
                        132,
                        "province",
                    ),
                    ("12", "Công đoàn cơ sở Trường THCS Phước Dân", HCSN, 52, "dissolve"),
                ],
            ),
            (
                "CDN-NTH-GD",
                "Công đoàn ngành Giáo dục tỉnh Ninh Thuận",
                "cd_nganh_dp",
                [
                    ("13", "Công đoàn cơ sở Trường THPT chuyên Lê Quý Đôn", HCSN, 88, "dissolve"),
                    (
                        "14",
                        "Công đoàn cơ sở Trường Cao đẳng Sư phạm Ninh Thuận",
                        HCSN,
                        115,
                        "province",
                    ),
                ],
            ),
            (
                "CDN-NTH-YT",
                "Công đoàn ngành Y tế tỉnh Ninh Thuận",
                "cd_nganh_dp",
                [
                    (
                        "15",
                        "Công đoàn cơ sở Bệnh viện đa khoa tỉnh Ninh Thuận",
                        HCSN,
                        640,
                        "province",
                    ),
                    (
                        "16",
                        "Công đoàn cơ sở Trung tâm Kiểm soát bệnh tật tỉnh",
                        HCSN,
                        97,
                        "dissolve",
                    ),
                ],
            ),
            (
                "CDVC-NTH",
                "Công đoàn Viên chức tỉnh Ninh Thuận",
                "cd_vien_chuc_tinh",
                [
                    ("17", "Công đoàn cơ sở Sở Tài chính tỉnh Ninh Thuận", HCSN, 58, "dissolve"),
                    ("18", "Công đoàn cơ sở Sở Nội vụ tỉnh Ninh Thuận", HCSN, 44, "dissolve"),
                    (
                        "19",
                        "Công đoàn cơ sở Đài Phát thanh và Truyền hình Ninh Thuận",
                        HCSN,
                        82,
                        "province",
                    ),
                ],
            ),
            (
                "CDKCN-NTH",
                "Công đoàn các khu công nghiệp tỉnh Ninh Thuận",
                "cd_kcn",
                [
                    (
                        "20",
                        "Công đoàn cơ sở Công ty TNHH Gạch men Đồng Tâm Ninh Thuận",
                        NGOAI,
                        380,
                        "stay",
                    ),
                    (
                        "21",
                        "Công đoàn cơ sở Công ty TNHH Sunrise Textile Việt Nam",
                        FDI,
                        950,
                        "stay",
                    ),
                    ("22", "Công đoàn cơ sở Công ty TNHH Thủy sản Hoàng Long", NGOAI, 210, "stay"),
                ],
            ),
        ],
    },
    "LDLD-LCH": {
        "new_parent": None,  # Lai Châu was not merged
        "wards": [
            ("CDP-LCH-TP", "Công đoàn phường Tân Phong"),
            ("CDP-LCH-DK", "Công đoàn phường Đoàn Kết"),
            ("CDX-LCH-TU", "Công đoàn xã Than Uyên"),
            ("CDX-LCH-PT", "Công đoàn xã Phong Thổ"),
        ],
        "upper": [
            (
                "LDLD-LCH-TP",
                "Liên đoàn Lao động thành phố Lai Châu",
                "ldld_huyen",
                [
                    ("01", "Công đoàn cơ sở Công ty Điện lực Lai Châu", DNNN, 265, "CDP-LCH-TP"),
                    (
                        "02",
                        "Công đoàn cơ sở Công ty Cổ phần Xây dựng Lai Châu",
                        NGOAI,
                        140,
                        "CDP-LCH-TP",
                    ),
                    (
                        "03",
                        "Công đoàn cơ sở Công ty Cổ phần Nước sạch Lai Châu",
                        DNNN,
                        120,
                        "CDP-LCH-DK",
                    ),
                    (
                        "04",
                        "Công đoàn cơ sở Khách sạn Mường Thanh Lai Châu",
                        NGOAI,
                        75,
                        "CDP-LCH-DK",
                    ),
                    ("05", "Công đoàn cơ sở Trường THPT thành phố Lai Châu", HCSN, 68, "dissolve"),
                ],
            ),
            (
                "LDLD-LCH-TD",
                "Liên đoàn Lao động huyện Tam Đường",
                "ldld_huyen",
                [
                    (
                        "06",
                        "Công đoàn cơ sở Công ty Cổ phần Chè Tam Đường",
                        NGOAI,
                        90,
                        "CDP-LCH-TP",
                    ),
                    ("07", "Công đoàn cơ sở Ủy ban nhân dân xã Bình Lư", HCSN, 22, "dissolve"),
                ],
            ),
            (
                "LDLD-LCH-PT",
                "Liên đoàn Lao động huyện Phong Thổ",
                "ldld_huyen",
                [
                    (
                        "08",
                        "Công đoàn cơ sở Công ty Cổ phần Thủy điện Nậm Na",
                        NGOAI,
                        64,
                        "CDX-LCH-PT",
                    ),
                    (
                        "09",
                        "Công đoàn cơ sở Công ty TNHH Khoáng sản Phong Thổ",
                        NGOAI,
                        57,
                        "CDX-LCH-PT",
                    ),
                    ("10", "Công đoàn cơ sở Trường THCS Mường So", HCSN, 39, "dissolve"),
                ],
            ),
            (
                "LDLD-LCH-THU",
                "Liên đoàn Lao động huyện Than Uyên",
                "ldld_huyen",
                [
                    (
                        "11",
                        "Công đoàn cơ sở Công ty Cổ phần Thủy điện Huội Quảng",
                        DNNN,
                        118,
                        "CDX-LCH-TU",
                    ),
                    ("12", "Công đoàn cơ sở Hợp tác xã Chè Than Uyên", NGOAI, 31, "CDX-LCH-TU"),
                ],
            ),
            (
                "CDN-LCH-GD",
                "Công đoàn ngành Giáo dục tỉnh Lai Châu",
                "cd_nganh_dp",
                [
                    (
                        "13",
                        "Công đoàn cơ sở Trường THPT chuyên Lê Quý Đôn Lai Châu",
                        HCSN,
                        77,
                        "dissolve",
                    ),
                    (
                        "14",
                        "Công đoàn cơ sở Trường Cao đẳng Cộng đồng Lai Châu",
                        HCSN,
                        92,
                        "province",
                    ),
                ],
            ),
            (
                "CDN-LCH-YT",
                "Công đoàn ngành Y tế tỉnh Lai Châu",
                "cd_nganh_dp",
                [
                    (
                        "15",
                        "Công đoàn cơ sở Bệnh viện đa khoa tỉnh Lai Châu",
                        HCSN,
                        520,
                        "province",
                    ),
                ],
            ),
            (
                "CDVC-LCH",
                "Công đoàn Viên chức tỉnh Lai Châu",
                "cd_vien_chuc_tinh",
                [
                    (
                        "16",
                        "Công đoàn cơ sở Văn phòng Ủy ban nhân dân tỉnh Lai Châu",
                        HCSN,
                        61,
                        "dissolve",
                    ),
                    (
                        "17",
                        "Công đoàn cơ sở Sở Giáo dục và Đào tạo tỉnh Lai Châu",
                        HCSN,
                        54,
                        "dissolve",
                    ),
                ],
            ),
        ],
    },
    "LDLD-QTR-CU": {
        "new_parent": "LDLD-QTR",
        "wards": [
            ("CDP-QTR-DH", "Công đoàn phường Đông Hà"),
            ("CDP-QTR-NDH", "Công đoàn phường Nam Đông Hà"),
            ("CDX-QTR-VL", "Công đoàn xã Vĩnh Linh"),
        ],
        "upper": [
            (
                "LDLD-QTR-DH",
                "Liên đoàn Lao động thành phố Đông Hà",
                "ldld_huyen",
                [
                    ("01", "Công đoàn cơ sở Công ty Điện lực Quảng Trị", DNNN, 290, "CDP-QTR-DH"),
                    (
                        "02",
                        "Công đoàn cơ sở Công ty Cổ phần Vận tải Quảng Trị",
                        NGOAI,
                        88,
                        "CDP-QTR-NDH",
                    ),
                    ("03", "Công đoàn cơ sở Trường THPT Đông Hà", HCSN, 70, "dissolve"),
                ],
            ),
            (
                "LDLD-QTR-VL",
                "Liên đoàn Lao động huyện Vĩnh Linh",
                "ldld_huyen",
                [
                    (
                        "04",
                        "Công đoàn cơ sở Công ty TNHH MTV Cao su Quảng Trị",
                        DNNN,
                        860,
                        "CDX-QTR-VL",
                    ),
                    (
                        "05",
                        "Công đoàn cơ sở Công ty Cổ phần Hồ tiêu Vĩnh Linh",
                        NGOAI,
                        46,
                        "CDX-QTR-VL",
                    ),
                    ("06", "Công đoàn cơ sở Ủy ban nhân dân xã Vĩnh Thạch", HCSN, 24, "dissolve"),
                ],
            ),
            (
                "LDLD-QTR-HL",
                "Liên đoàn Lao động huyện Hải Lăng",
                "ldld_huyen",
                [
                    (
                        "07",
                        "Công đoàn cơ sở Công ty Cổ phần Lâm nghiệp Hải Lăng",
                        NGOAI,
                        73,
                        "CDP-QTR-NDH",
                    ),
                    ("08", "Công đoàn cơ sở Trường THCS Hải Lăng", HCSN, 44, "dissolve"),
                ],
            ),
            (
                "CDN-QTR-GD",
                "Công đoàn ngành Giáo dục tỉnh Quảng Trị",
                "cd_nganh_dp",
                [
                    (
                        "09",
                        "Công đoàn cơ sở Trường THPT chuyên Lê Quý Đôn Quảng Trị",
                        HCSN,
                        81,
                        "dissolve",
                    ),
                ],
            ),
            (
                "CDVC-QTR",
                "Công đoàn Viên chức tỉnh Quảng Trị",
                "cd_vien_chuc_tinh",
                [
                    (
                        "10",
                        "Công đoàn cơ sở Sở Kế hoạch và Đầu tư tỉnh Quảng Trị",
                        HCSN,
                        49,
                        "dissolve",
                    ),
                    ("11", "Công đoàn cơ sở Báo Quảng Trị", HCSN, 38, "province"),
                ],
            ),
            (
                "CDKKT-QTR",
                "Công đoàn Khu kinh tế tỉnh Quảng Trị",
                "cd_kcn",
                [
                    (
                        "12",
                        "Công đoàn cơ sở Công ty TNHH Sợi Hoàng Gia Quảng Trị",
                        FDI,
                        540,
                        "stay",
                    ),
                    ("13", "Công đoàn cơ sở Công ty Cổ phần Gỗ MDF Quảng Trị", NGOAI, 260, "stay"),
                ],
            ),
        ],
    },
    "LDLD-NBH-CU": {
        "new_parent": "LDLD-NBH",
        "wards": [
            ("CDP-NBH-HL", "Công đoàn phường Hoa Lư"),
            ("CDP-NBH-TD", "Công đoàn phường Tam Điệp"),
            ("CDX-NBH-GV", "Công đoàn xã Gia Viễn"),
        ],
        "upper": [
            (
                "LDLD-NBH-TP",
                "Liên đoàn Lao động thành phố Ninh Bình",
                "ldld_huyen",
                [
                    ("01", "Công đoàn cơ sở Công ty Điện lực Ninh Bình", DNNN, 330, "CDP-NBH-HL"),
                    (
                        "02",
                        "Công đoàn cơ sở Công ty Cổ phần Du lịch Tràng An",
                        NGOAI,
                        410,
                        "CDP-NBH-HL",
                    ),
                    (
                        "03",
                        "Công đoàn cơ sở Trường THPT chuyên Lương Văn Tụy",
                        HCSN,
                        95,
                        "dissolve",
                    ),
                ],
            ),
            (
                "LDLD-NBH-TDP",
                "Liên đoàn Lao động thành phố Tam Điệp",
                "ldld_huyen",
                [
                    (
                        "04",
                        "Công đoàn cơ sở Công ty Cổ phần Xi măng The Vissai Ninh Bình",
                        NGOAI,
                        1200,
                        "CDP-NBH-TD",
                    ),
                    (
                        "05",
                        "Công đoàn cơ sở Công ty Cổ phần Bia Hà Nội – Ninh Bình",
                        DNNN,
                        180,
                        "CDP-NBH-TD",
                    ),
                ],
            ),
            (
                "LDLD-NBH-GV",
                "Liên đoàn Lao động huyện Gia Viễn",
                "ldld_huyen",
                [
                    (
                        "06",
                        "Công đoàn cơ sở Công ty TNHH Giày Adiana Việt Nam",
                        FDI,
                        2300,
                        "CDX-NBH-GV",
                    ),
                    ("07", "Công đoàn cơ sở Ủy ban nhân dân xã Gia Vân", HCSN, 26, "dissolve"),
                ],
            ),
            (
                "CDN-NBH-GD",
                "Công đoàn ngành Giáo dục tỉnh Ninh Bình",
                "cd_nganh_dp",
                [
                    ("08", "Công đoàn cơ sở Trường Đại học Hoa Lư", HCSN, 240, "province"),
                ],
            ),
            (
                "CDVC-NBH",
                "Công đoàn Viên chức tỉnh Ninh Bình",
                "cd_vien_chuc_tinh",
                [
                    (
                        "09",
                        "Công đoàn cơ sở Sở Lao động – Thương binh và Xã hội",
                        HCSN,
                        57,
                        "dissolve",
                    ),
                ],
            ),
            (
                "CDKCN-NBH",
                "Công đoàn các khu công nghiệp tỉnh Ninh Bình",
                "cd_kcn",
                [
                    (
                        "10",
                        "Công đoàn cơ sở Công ty TNHH Ô tô Hyundai Thành Công Việt Nam",
                        FDI,
                        1650,
                        "stay",
                    ),
                    ("11", "Công đoàn cơ sở Công ty TNHH Sterling Việt Nam", FDI, 780, "stay"),
                    ("12", "Công đoàn cơ sở Công ty Cổ phần Phân đạm Ninh Bình", DNNN, 560, "stay"),
                ],
            ),
        ],
    },
    "LDLD-BTN": {
        "new_parent": "LDLD-LDG",
        "wards": [
            ("CDP-LDG-PT", "Công đoàn phường Phan Thiết"),
            ("CDP-LDG-LG", "Công đoàn phường La Gi"),
            ("CDX-LDG-TP", "Công đoàn xã Tuy Phong"),
        ],
        "upper": [
            (
                "LDLD-BTN-PT",
                "Liên đoàn Lao động thành phố Phan Thiết",
                "ldld_huyen",
                [
                    ("01", "Công đoàn cơ sở Công ty Điện lực Bình Thuận", DNNN, 350, "CDP-LDG-PT"),
                    (
                        "02",
                        "Công đoàn cơ sở Công ty Cổ phần Nước mắm Phan Thiết",
                        NGOAI,
                        125,
                        "CDP-LDG-PT",
                    ),
                    ("03", "Công đoàn cơ sở Trường THPT Phan Bội Châu", HCSN, 84, "dissolve"),
                ],
            ),
            (
                "LDLD-BTN-LG",
                "Liên đoàn Lao động thị xã La Gi",
                "ldld_huyen",
                [
                    (
                        "04",
                        "Công đoàn cơ sở Công ty TNHH Chế biến Hải sản La Gi",
                        NGOAI,
                        230,
                        "CDP-LDG-LG",
                    ),
                    (
                        "05",
                        "Công đoàn cơ sở Ủy ban nhân dân phường Phước Hội",
                        HCSN,
                        27,
                        "dissolve",
                    ),
                ],
            ),
            (
                "LDLD-BTN-TP",
                "Liên đoàn Lao động huyện Tuy Phong",
                "ldld_huyen",
                [
                    (
                        "06",
                        "Công đoàn cơ sở Công ty TNHH Điện gió Tuy Phong",
                        NGOAI,
                        48,
                        "CDX-LDG-TP",
                    ),
                    ("07", "Công đoàn cơ sở Công ty Nhiệt điện Vĩnh Tân", DNNN, 620, "CDX-LDG-TP"),
                ],
            ),
            (
                "CDVC-BTN",
                "Công đoàn Viên chức tỉnh Bình Thuận",
                "cd_vien_chuc_tinh",
                [
                    (
                        "08",
                        "Công đoàn cơ quan Ban Dân vận Tỉnh ủy Bình Thuận",
                        HCSN,
                        21,
                        "dissolve",
                    ),
                    ("09", "Công đoàn cơ sở Sở Y tế tỉnh Bình Thuận", HCSN, 63, "dissolve"),
                ],
            ),
            (
                "CDKCN-BTN",
                "Công đoàn các khu công nghiệp tỉnh Bình Thuận",
                "cd_kcn",
                [
                    ("10", "Công đoàn cơ sở Công ty TNHH Quốc tế Mỹ Phong", FDI, 890, "stay"),
                    ("11", "Công đoàn cơ sở Công ty TNHH May mặc Hàm Kiệm", NGOAI, 330, "stay"),
                ],
            ),
        ],
    },
}

# Sub-units inside one grassroots union, to show the lowest level.
SUBUNITS = [
    (
        "CDCS-NBH-CU-06-PX1",
        "Công đoàn bộ phận Phân xưởng may 1",
        "cd_bo_phan",
        "CDCS-NBH-CU-06",
        850,
    ),
    ("CDCS-NBH-CU-06-PX2", "Công đoàn bộ phận Phân xưởng đế", "cd_bo_phan", "CDCS-NBH-CU-06", 620),
    ("CDCS-NBH-CU-06-T1", "Tổ công đoàn Tổ cắt 1", "to_cong_doan", "CDCS-NBH-CU-06-PX1", 45),
]

CLUSTERS = [
    # organizer, kind, name, level, {year: [(code, role), ...]}
    (
        "TLD",
        "cum",
        "Cụm thi đua 7 tỉnh biên giới phía Bắc",
        2,
        {
            2023: [
                ("LDLD-LCH", "leader"),
                ("LDLD-DBN", "deputy"),
                ("LDLD-LCI", "member"),
                ("LDLD-HGG", "member"),
                ("LDLD-CBG", "member"),
                ("LDLD-LSN", "member"),
                ("LDLD-QNH", "member"),
            ],
            2026: [
                ("LDLD-DBN", "leader"),
                ("LDLD-LCH", "deputy"),
                ("LDLD-LCI", "member"),
                ("LDLD-TQG", "member"),
                ("LDLD-CBG", "member"),
                ("LDLD-LSN", "member"),
                ("LDLD-QNH", "member"),
            ],
        },
    ),
    (
        "TLD",
        "cum",
        "Cụm thi đua các tỉnh Nam Trung Bộ và Tây Nguyên",
        2,
        {
            2023: [
                ("LDLD-KHH", "leader"),
                ("LDLD-NTH", "deputy"),
                ("LDLD-BTN", "member"),
                ("LDLD-LDG", "member"),
                ("LDLD-DKN", "member"),
            ],
            2026: [
                ("LDLD-KHH", "leader"),
                ("LDLD-LDG", "deputy"),
                ("LDLD-GLI", "member"),
                ("LDLD-DLK", "member"),
                ("LDLD-QNI", "member"),
                ("LDLD-DNG", "member"),
            ],
        },
    ),
    (
        "TLD",
        "khoi",
        "Khối thi đua các công đoàn ngành trung ương và tập đoàn",
        2,
        {
            2026: [
                ("CDN-GDVN", "leader"),
                ("CDN-YTVN", "deputy"),
                ("CDN-CTVN", "member"),
                ("CDTD-DLVN", "member"),
                ("CDTD-DKVN", "member"),
            ],
        },
    ),
    (
        "LDLD-LCH",
        "cum",
        "Cụm thi đua số 1 – LĐLĐ các huyện, thành phố",
        3,
        {
            2023: [
                ("LDLD-LCH-TP", "leader"),
                ("LDLD-LCH-TD", "deputy"),
                ("LDLD-LCH-PT", "member"),
                ("LDLD-LCH-THU", "member"),
            ],
        },
    ),
    (
        "LDLD-LCH",
        "khoi",
        "Khối thi đua các công đoàn ngành",
        3,
        {
            2023: [("CDN-LCH-GD", "leader"), ("CDN-LCH-YT", "deputy"), ("CDVC-LCH", "member")],
        },
    ),
    (
        "LDLD-LCH",
        "cum",
        "Cụm thi đua công đoàn xã, phường",
        3,
        {
            2026: [
                ("CDP-LCH-TP", "leader"),
                ("CDP-LCH-DK", "deputy"),
                ("CDX-LCH-TU", "member"),
                ("CDX-LCH-PT", "member"),
            ],
        },
    ),
]

# One user per role and level, plus the staff of each province a seed plan belongs to.
ROLE_SUFFIX = {
    Role.STAFF: "quantri",
    Role.APPROVER: "lanhdao",
    Role.OFFICER: "chuyenvien",
    Role.VIEWER: "xem",
}
LEVEL_USERS = [
    ("tld", "TLD", "Tổng Liên đoàn"),
    ("laichau", "LDLD-LCH", "LĐLĐ tỉnh Lai Châu"),
    ("tanphong", "CDP-LCH-TP", "Công đoàn phường Tân Phong"),
    ("dienluc", "CDCS-LCH-01", "CĐCS Công ty Điện lực Lai Châu"),
]
EXTRA_USERS = [
    ("xaydung.quantri", "CDCS-LCH-02", Role.STAFF, "Chủ tịch công đoàn"),
    ("khanhhoa.quantri", "LDLD-KHH", Role.STAFF, "Chuyên viên Ban Tổ chức"),
    ("lamdong.quantri", "LDLD-LDG", Role.STAFF, "Chuyên viên Ban Tổ chức"),
    ("quangtri.quantri", "LDLD-QTR", Role.STAFF, "Chuyên viên Ban Tổ chức"),
    ("ninhbinh.quantri", "LDLD-NBH", Role.STAFF, "Chuyên viên Ban Tổ chức"),
]
PEOPLE = [
    "Nguyễn Văn An",
    "Trần Thị Bình",
    "Lê Hoàng Cường",
    "Phạm Thị Dung",
    "Hoàng Văn Em",
    "Vũ Thị Giang",
    "Đặng Minh Hải",
    "Bùi Thị Hoa",
    "Đỗ Quang Huy",
    "Ngô Thị Lan",
    "Dương Văn Long",
    "Lý Thị Mai",
    "Phan Đức Nam",
    "Trịnh Thị Oanh",
    "Mai Văn Phúc",
    "Hồ Thị Quyên",
    "Tạ Văn Sơn",
    "Lò Thị Thanh",
    "Quàng Văn Tuấn",
    "Đinh Thị Uyên",
    "Lương Văn Việt",
    "Cao Thị Xuân",
    "Chu Văn Yên",
    "Kiều Thị Yến",
]
POSITION = {
    Role.STAFF: "Chuyên viên phụ trách",
    Role.APPROVER: "Phó Chủ tịch",
    Role.OFFICER: "Chuyên viên",
    Role.VIEWER: "Ủy viên Ban Thường vụ",
}


class DemoLoader:
    def __init__(self, out=None):
        self.out = out
        self.kinds = {k.code: k for k in OrganizationKind.objects.all()}
        self.actor = None

    def log(self, message):
        if self.out:
            self.out.write(message)

    @transaction.atomic
    def load(self):
        self.actor = self.ensure_user("admin", "Quản trị hệ thống", superuser=True)
        self.load_tree()
        self.apply_2025_reform()
        self.load_subunits()
        self.load_clusters()
        self.load_users()
        return self.logins()

    # Units ---------------------------------------------------------------

    def ensure_unit(self, code, name, kind, parent, **fields):
        """Create the unit, or bring its descriptive fields in line; never move or end it."""
        org = Organization.objects.filter(code=code).first()
        values = {"name": name, "kind": self.kinds[kind], **fields}
        if org is None:
            org = Organization(code=code, parent=parent, **values)
            save_as(org, self.actor)
            OrganizationEvent.objects.create(
                organization=org,
                event_type=EventType.FOUNDED,
                effective_on=org.founded_on or OLD,
                related=parent,
                actor=self.actor,
            )
            return org
        changed = [k for k, v in values.items() if getattr(org, k) != v]
        if changed:
            for key in changed:
                setattr(org, key, values[key])
            save_as(org, self.actor)
        return org

    def load_tree(self):
        self.tld = self.ensure_unit(
            "TLD",
            "Tổng Liên đoàn Lao động Việt Nam",
            "tld",
            None,
            short_name="Tổng LĐLĐ Việt Nam",
            founded_on=datetime.date(1929, 7, 28),
        )
        for code, name, short, founded in PROVINCES_NOW:
            self.ensure_unit(code, name, "ldld_tinh", self.tld, short_name=short, founded_on=founded or OLD)
        for code, name, kind in NATIONAL_SECTOR_UNIONS:
            self.ensure_unit(code, name, kind, self.tld, founded_on=OLD)
        for code, name, short, _successor in MERGED_PROVINCES:
            self.ensure_unit(code, name, "ldld_tinh", self.tld, short_name=short, founded_on=OLD)
        for province_code, tree in SEED_TREES.items():
            province = Organization.objects.get(code=province_code)
            for code, name, kind, grassroots in tree["upper"]:
                upper = self.ensure_unit(code, name, kind, province, founded_on=OLD)
                for suffix, cname, sector, members, _fate in grassroots:
                    self.ensure_unit(
                        f"CDCS-{province_code.removeprefix('LDLD-')}-{suffix}",
                        cname,
                        "cdcs",
                        upper,
                        sector=sector,
                        members_count=members,
                        workers_count=round(members * 1.08),
                        founded_on=datetime.date(2005, 3, 1),
                    )

    # The 2025 reorganisation ---------------------------------------------------

    def apply_2025_reform(self):
        for province_code, tree in SEED_TREES.items():
            home = Organization.objects.get(code=tree["new_parent"] or province_code)
            for code, name in tree["wards"]:
                self.ensure_unit(code, name, "cd_xa_phuong", home, founded_on=REFORM_START)
            for upper_code, _name, _kind, grassroots in tree["upper"]:
                for suffix, _cname, _sector, _members, fate in grassroots:
                    unit = Organization.objects.get(code=f"CDCS-{province_code.removeprefix('LDLD-')}-{suffix}")
                    self.apply_fate(unit, fate, home)
                upper = Organization.objects.get(code=upper_code)
                if upper.kind.valid_until and upper.is_active:
                    services.deactivate_organization(
                        upper,
                        actor=self.actor,
                        effective_on=REFORM_START,
                        note="Kết thúc hoạt động theo Công văn 4173/TLĐ-ToC ngày 28/5/2025",
                    )
        for code, _name, _short, successor_code in MERGED_PROVINCES:
            province = Organization.objects.get(code=code)
            if province.is_active:
                services.merge_organization(
                    province,
                    actor=self.actor,
                    into=Organization.objects.get(code=successor_code),
                    effective_on=REFORM_START,
                    note="Hợp nhất theo Nghị quyết 202/2025/QH15 ngày 12/6/2025",
                )

    def apply_fate(self, unit, fate, home):
        if not unit.is_active or fate == "stay":
            return
        if fate == "dissolve":
            services.deactivate_organization(
                unit,
                actor=self.actor,
                effective_on=REFORM_START,
                note="Giải thể công đoàn cơ sở khu vực hưởng lương 100% từ ngân sách nhà nước",
            )
            return
        target = home if fate == "province" else Organization.objects.get(code=fate)
        if unit.parent_id != target.pk:
            services.move_organization(
                unit,
                actor=self.actor,
                new_parent=target,
                effective_on=REFORM_START,
                note="Chuyển về công đoàn cấp trên mới khi sắp xếp tổ chức bộ máy",
            )

    def load_subunits(self):
        for code, name, kind, parent_code, members in SUBUNITS:
            parent = Organization.objects.get(code=parent_code)
            self.ensure_unit(
                code,
                name,
                kind,
                parent,
                members_count=members,
                founded_on=datetime.date(2015, 1, 1),
            )

    # Clusters ------------------------------------------------------------------

    def load_clusters(self):
        for organizer_code, kind, name, level, years in CLUSTERS:
            organizer = Organization.objects.get(code=organizer_code)
            cluster, created = Cluster.objects.get_or_create(
                organizer=organizer, name=name, defaults={"kind": kind, "level": level}
            )
            if created:
                save_as(cluster, self.actor)
            for year, members in years.items():
                for code, role in members:
                    unit = Organization.objects.get(code=code)
                    if not ClusterMember.objects.filter(cluster=cluster, organization=unit, year=year).exists():
                        save_as(
                            ClusterMember(cluster=cluster, organization=unit, year=year, role=role),
                            self.actor,
                        )

    # Users ---------------------------------------------------------------------

    def ensure_user(self, username, full_name, *, superuser=False):
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                full_name=full_name,
                email=f"{username}@example.com",
                is_superuser=superuser,
                is_staff=superuser,
            )
            user.set_password(DEMO_PASSWORD)
            save_as(user, self.actor)
        return user

    def ensure_role(self, user, code, role, position):
        unit = Organization.objects.get(code=code)
        if not Membership.objects.filter(user=user, organization=unit).exists():
            save_as(Membership(user=user, organization=unit, role=role, position=position), self.actor)

    def load_users(self):
        people = iter(PEOPLE)
        for prefix, code, _label in LEVEL_USERS:
            for role, suffix in ROLE_SUFFIX.items():
                user = self.ensure_user(f"{prefix}.{suffix}", next(people))
                self.ensure_role(user, code, role, POSITION[role])
        for username, code, role, position in EXTRA_USERS:
            user = self.ensure_user(username, next(people))
            self.ensure_role(user, code, role, position)

    def logins(self):
        rows = [("admin", "Quản trị hệ thống (superuser)")]
        for prefix, _code, label in LEVEL_USERS:
            for role, suffix in ROLE_SUFFIX.items():
                rows.append((f"{prefix}.{suffix}", f"{label} – {Role(role).label}"))
        names = dict(
            Organization.objects.filter(code__in=[u[1] for u in EXTRA_USERS]).values_list("code", "short_name")
        )
        for username, code, role, _position in EXTRA_USERS:
            rows.append((username, f"{names.get(code) or code} – {Role(role).label}"))
        return rows
