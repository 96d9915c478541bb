"""Document types from Nghị định 30/2020 Phụ lục III, plus the union's Phát động thi đua."""

DOCUMENT_TYPES = [
    # code, name, abbreviation, printed heading
    ("ke-hoach", "Kế hoạch", "KH", "KẾ HOẠCH"),
    ("phat-dong-thi-dua", "Phát động thi đua", "PĐTĐ", "PHÁT ĐỘNG THI ĐUA"),
    ("chuong-trinh", "Chương trình", "CTr", "CHƯƠNG TRÌNH"),
    ("huong-dan", "Hướng dẫn", "HD", "HƯỚNG DẪN"),
    ("thong-bao", "Thông báo", "TB", "THÔNG BÁO"),
    ("chi-thi", "Chỉ thị", "CT", "CHỈ THỊ"),
    ("nghi-quyet", "Nghị quyết", "NQ", "NGHỊ QUYẾT"),
    ("quyet-dinh", "Quyết định", "QĐ", "QUYẾT ĐỊNH"),
    ("to-trinh", "Tờ trình", "TTr", "TỜ TRÌNH"),
    ("bien-ban", "Biên bản", "BB", "BIÊN BẢN"),
    ("bao-cao", "Báo cáo", "BC", "BÁO CÁO"),
]


def load_document_types(model):
    for order, (code, name, abbreviation, heading) in enumerate(DOCUMENT_TYPES):
        model.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "abbreviation": abbreviation,
                "heading": heading,
                "sort_order": order,
            },
        )
