"""The titles the catalogue starts with (AWARDS.md §4 and §7); kept as data, loaded by a migration."""

LAW_2022 = "Luật Thi đua, khen thưởng số 06/2022/QH15"
UNION_RULE = "Quy chế Khen thưởng của tổ chức Công đoàn (QĐ 999/QĐ-TLĐ ngày 29/5/2024)"

# code, name, scope, awarding level, union title, legal basis
TITLES = [
    ("ldtt", "Lao động tiên tiến", "individual", 4, False, f"{LAW_2022}, Điều 24"),
    ("cstdcs", "Chiến sĩ thi đua cơ sở", "individual", 4, False, f"{LAW_2022}, Điều 23"),
    ("cstd-tinh", "Chiến sĩ thi đua cấp bộ, ngành, tỉnh", "individual", 1, False, f"{LAW_2022}, Điều 22"),
    ("cstd-toan-quoc", "Chiến sĩ thi đua toàn quốc", "individual", 0, False, f"{LAW_2022}, Điều 21"),
    ("doan-vien-xuat-sac", "Đoàn viên công đoàn xuất sắc", "individual", 4, True, UNION_RULE),
    ("gvn-dvn", "Giỏi việc nước, đảm việc nhà", "individual", 4, True, UNION_RULE),
    ("ttldtt", "Tập thể lao động tiên tiến", "collective", 4, False, f"{LAW_2022}, Điều 28"),
    ("ttldxs", "Tập thể lao động xuất sắc", "collective", 1, False, f"{LAW_2022}, Điều 27"),
    ("cdcs-vung-manh", "Công đoàn cơ sở vững mạnh", "collective", 3, True, UNION_RULE),
    ("to-cd-vung-manh", "Tổ Công đoàn vững mạnh", "collective", 4, True, UNION_RULE),
    ("co-ldld", "Cờ thi đua của Liên đoàn Lao động tỉnh", "collective", 2, True, UNION_RULE),
    ("co-tld", "Cờ thi đua của Tổng Liên đoàn Lao động Việt Nam", "collective", 1, True, UNION_RULE),
]


def load_titles(model):
    for order, (code, name, scope, level, union, basis) in enumerate(TITLES):
        model.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "scope": scope,
                "awarding_level": level,
                "is_union_title": union,
                "legal_basis": basis,
                "sort_order": order,
            },
        )
