"""The five real plans: complete in their JSON files, and reproduced as official PDFs."""

import json
import re
from pathlib import Path

import pytest

from campaigns import interchange
from core.richtext import plain
from documents.rendering import render_pdf
from tests.pdf import _run, pdf_fonts, pdf_text, squash

SEEDS = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "seeds").glob("*.json"))

# Numbers the issue names, written as the seeds write them, plus each seed's header lines.
EXPECTED = {
    "000-ninh-thuan-2023": {
        "values": ["15/3/2023", "75 năm"],
        "number": "Số: /KH-LĐLĐ",
        "date": "Ninh Thuận, ngày tháng năm 2023",
    },
    "001-lai-chau-2023": {
        "values": ["134", "785", "717", "05 doanh nghiệp nhà nước", "25 doanh nghiệp", "50 doanh nghiệp", "11 đơn vị"],
        "number": "Số: 424/PĐTĐ-LĐLĐ",
        "date": "Lai Châu, ngày 03 tháng 3 năm 2023",
    },
    "002-quang-tri-2021": {
        "values": ["01 mô hình điểm"],
        "number": "Số: /KH-LĐLĐ",
        "date": "Quảng Trị, ngày 22 tháng 02 năm 2021",
    },
    "003-ninh-binh-2021": {
        "values": ["8.000", "1.070", "85%", "55%", "1.200", "15.000 đồng", "20 CĐCS", "190 doanh nghiệp"],
        "number": "Số: 02/KH-LĐLĐ",
        "date": "Ninh Bình, ngày 20 tháng 01 năm 2021",
    },
    "004-ban-dan-van-binh-thuan-2023": {
        "values": ["100% cán bộ, công chức", "01 công trình"],
        "number": "Số -KH/BDVTU",
        "date": "Bình Thuận, ngày tháng năm 2023",
    },
}


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", SEEDS, ids=[p.stem for p in SEEDS])
def test_seed_file_is_valid_and_round_trips(path, seed_units):
    data = load(path)
    assert interchange.validate(data) == []
    campaign = interchange.import_campaign(data, actor=None)
    assert interchange.export_campaign(campaign) == data
    assert campaign.versions.get().number == 1  # published seeds keep their text as version 1


def test_the_seeds_hold_their_numbers():
    documents = {p.stem: load(p) for p in SEEDS}
    counts = {stem: sum(len(g["targets"]) for g in d["target_groups"]) for stem, d in documents.items()}
    assert counts == {
        "000-ninh-thuan-2023": 2,
        "001-lai-chau-2023": 16,
        "002-quang-tri-2021": 2,
        "003-ninh-binh-2021": 28,
        "004-ban-dan-van-binh-thuan-2023": 5,
    }
    lai_chau = documents["001-lai-chau-2023"]
    assert [len(r["commemorations"]) for r in lai_chau["rounds"]] == [7, 4]
    assert len(lai_chau["recipients"]) == 12
    assert [t["label"] for t in documents["004-ban-dan-van-binh-thuan-2023"]["tasks"]] == [
        "1.",
        "2.",
        "3.",
        "4.",
        "4.1-",
        "4.2-",
        "5.",
        "6.",
        "7.",
    ]


@pytest.mark.parametrize("path", SEEDS, ids=[p.stem for p in SEEDS])
def test_seed_pdf_reproduces_the_plan(path):
    data = load(path)
    filename, content_type, pdf = render_pdf(data)
    text = pdf_text(pdf)
    expected = EXPECTED[path.stem]
    assert expected["number"] in text
    assert expected["date"] in text
    for value in expected["values"]:
        assert value in text, value
    for group in data["target_groups"]:
        for target in group["targets"]:
            assert squash(plain(target["text"])).rstrip(".") in text, target["code"]
    for round_ in data["rounds"]:
        assert squash(plain(round_["heading"])) in text
    for recipient in data["recipients"]:
        for line in recipient["text"].split("\n"):
            assert squash(line) in text, line
    assert data["signer"]["name"] in text
    assert squash(plain(data["document"]["subject"])) in text
    assert content_type == "application/pdf" and filename.endswith(".pdf")
    fonts = pdf_fonts(pdf)
    assert fonts and all(embedded == "yes" for _name, embedded in fonts)
    assert {name.split("+")[-1] for name, _ in fonts} >= {"Liberation-Serif", "Liberation-Serif-Bold"}


def test_the_party_plan_is_printed_in_the_partys_style():
    text = pdf_text(render_pdf(load(SEEDS[4]))[2])
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in text
    assert "K/T TRƯỞNG BAN PHÓ TRƯỞNG BAN" in text
    assert "* Chủ trì: Lãnh đạo Ban, Chi ủy, Ban Chấp hành Công đoàn." in text
    assert "* Chịu trách nhiệm thực hiện: Các phòng chuyên môn" in text
    # pdftotext joins a hyphen that ends a line with the next word, so "(1)-" may read "(1)".
    assert re.search(r"\(1\)-? ?100% cán bộ, công chức", text)
    assert re.search(r"; \(2\)-? ?100% tập thể phòng", text)


def test_the_union_plans_carry_the_national_title_and_the_deputy_form():
    text = pdf_text(render_pdf(load(SEEDS[3]))[2])
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "TỔNG LĐLĐ VIỆT NAM LĐLĐ TỈNH NINH BÌNH" in text
    assert "TM. BAN THƯỜNG VỤ PHÓ CHỦ TỊCH" in text


def test_a_draft_carries_the_draft_mark_and_pages_are_numbered_from_page_two():
    data = load(SEEDS[1])
    draft_pages = _run(["pdftotext"], render_pdf(data, draft=True)[2]).stdout.split("\f")
    assert all("DỰ THẢO" in page for page in draft_pages if page.strip())
    pages = _run(["pdftotext"], render_pdf(data)[2]).stdout.split("\f")
    assert "DỰ THẢO" not in pages[0]
    assert pages[0].strip().splitlines()[0] == "TỔNG LĐLĐ VIỆT NAM"  # no number on page 1
    assert [page.strip().splitlines()[0] for page in pages[1:] if page.strip()] == [
        str(n) for n in range(2, len([p for p in pages if p.strip()]) + 1)
    ]


def test_the_pdf_declares_pdf_a_2b_with_its_colour_profile_and_title():
    import io
    import re

    from pyhanko.pdf_utils.reader import PdfFileReader

    pdf = render_pdf(load(SEEDS[1]))[2]
    root = PdfFileReader(io.BytesIO(pdf)).root
    xmp = root["/Metadata"].data.decode()
    assert re.search(r'pdfaid:part="2"\s+pdfaid:conformance="B"', xmp)
    intent = root["/OutputIntents"][0]
    assert (intent["/S"], intent["/OutputConditionIdentifier"]) == (
        "/GTS_PDFA1",
        "IEC 61966-2-1 Default RGB Colour Space - sRGB",
    )
    # The title readers list the file by: type, trích yếu and number.
    assert "PHÁT ĐỘNG PHONG TRÀO THI ĐUA: Góp phần thực hiện thắng lợi nhiệm vụ" in xmp
    assert "(Số: 424/PĐTĐ-LĐLĐ)" in xmp
    assert root["/Lang"] == "vi"
