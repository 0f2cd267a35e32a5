"""The PDF reader: real pages printed by Chromium read like the pages; gxsheet's own PDF imports back.

PDFs made here by hand (tiny, exact) test the caps, scans and garbage; PDFs printed by real
programs (Chromium from the shared real pages, LibreOffice from gxsheet's .docx) test the reading.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from engine import soffice
from pages import figures
from PIL import Image, ImageDraw
from printing import print_page
from shared import shared

from gxsheet.published.audit import audit
from gxsheet.published.mapping import to_report
from gxsheet.published.model import Published, Table
from gxsheet.published.pdf import MAX_PAGES, SCAN
from gxsheet.published.pdfgrid import Char, Grid, Seg, build
from gxsheet.published.pdfjoin import continues, joined
from gxsheet.published.reader import PublishedError, read_published
from gxsheet.schema import SCHEMA
from gxsheet.workbook.meta import Meta
from gxsheet.workbook.reader import read_workbook
from gxsheet.workbook.writer import write_workbook

UNIT = "甲镇人民政府"
FIELDS = {"overview.active": "本镇依法做好主动公开。", "overview.requests": "本镇规范办理依申请公开。",
          "problems.current": "公开形式还比较单一。", "problems.measures": "2025年，本镇将丰富公开形式。",
          "address": "甲镇驻地", "postcode": "277500", "phone": "0632-1234567", "website": "中国甲镇网"}
PAGES = ["pingtan_2021.html", "pingtan_2022.html", "shuyang_fgj_2023.html"]


def gx(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gxsheet.cli", *map(str, args)], capture_output=True,
                          text=True, timeout=600)


def cells(tables: list[Table]) -> list[Table]:
    return [[[re.sub(r"\s", "", c) for c in row] for row in table] for table in tables]


# ---------------------------------------------------------------------- printed by real programs


@pytest.mark.engine
def test_gxsheet_pdf_imports_back_to_the_workbook(tmp_path: Path) -> None:
    """Workbook → `build --format pdf` (gxsheet's .docx printed by LibreOffice) → `import`: the same
    figures, unit and year; and the PDF reads exactly like the .docx it was printed from."""
    soffice()  # skips, or fails under CI, without LibreOffice
    book = tmp_path / "甲镇.xlsx"
    write_workbook(book, Meta(UNIT, 2024), figures(12) | FIELDS)
    for fmt in ("pdf", "docx"):
        done = gx("build", book, "-f", fmt, "-o", tmp_path / f"r.{fmt}")
        assert done.returncode == 0, done.stdout + done.stderr
    back = tmp_path / "back.xlsx"
    done = gx("import", tmp_path / "r.pdf", "-o", back)
    assert done.returncode == 0, done.stdout + done.stderr
    source, imported = read_workbook(book), read_workbook(back)
    assert (imported.unit, imported.year) == (UNIT, 2024)
    assert {k: imported.number(k) for k in SCHEMA.cells} == {k: source.number(k) for k in SCHEMA.cells}
    assert imported.entry("postcode").value == "277500"
    pdf, docx = read_published(tmp_path / "r.pdf"), read_published(tmp_path / "r.docx")
    assert pdf.form == "pdf" and pdf.notes == []
    assert pdf.title == docx.title
    # every cell, merged cells repeated, tables cut by pages joined, numbers wrapped in narrow cells whole;
    # except that LibreOffice flows a merged label cut by a page break on to the next page ("三、" | "本年度办理结果"):
    # each part stands in the slots on its own page
    assert len(pdf.tables) == len(docx.tables)
    parts = 0
    for got, want in zip(pdf.tables, docx.tables, strict=True):
        assert len(got) == len(want) and [len(r) for r in got] == [len(r) for r in want]
        for g, w in zip((c for r in got for c in r), (c for r in want for c in r), strict=True):
            if g != w:
                assert g and not g[0].isdigit() and (w.startswith(g) or w.endswith(g)), (g, w)
                parts += 1
    assert parts <= 40
    # wrapped lines joined, page numbers "— 1 —" dropped; LibreOffice squeezes out a comma that would
    # start a line (the printed page has none there), so punctuation is left out of the comparison
    def words(texts: list[str]) -> list[str]:
        return [re.sub("[，。；：、]", "", t) for t in texts]

    assert words(pdf.paragraphs) == words(docx.paragraphs)
    assert sum(p != d for p, d in zip(pdf.paragraphs, docx.paragraphs, strict=True)) <= 2


@pytest.mark.engine
@pytest.mark.parametrize(("name", "header"), [(p, True) for p in PAGES] + [(PAGES[0], False)])
def test_real_pages_printed_by_chromium_read_like_the_pages(name: str, header: bool, tmp_path: Path) -> None:
    """A real report page and Chromium's print of it (with or without the running header that names
    the page) map to the same value for every key, narratives included."""
    page = shared("reports", name)
    pdf = print_page(page, tmp_path / (page.stem + ".pdf"), header)
    printed = read_published(pdf)
    html, got = to_report(read_published(page)), to_report(printed)
    # cell for cell where the page's grid has the printed shape (a line break inside a cell aside; a page
    # may also carry an empty column that is never printed apart, as pingtan_2021's 表三 does)
    same = 0
    for want, have in zip(cells(read_published(page).tables), cells(printed.tables), strict=True):
        if [len(r) for r in want] == [len(r) for r in have]:
            assert have == want
            same += 1
    assert same >= 2
    keys = [k for k in SCHEMA.cells if k in html.report.entries]
    assert len(keys) >= 150  # the page's three tables were read at all
    for key in SCHEMA.cells:
        assert got.report.entries.get(key) == html.report.entries.get(key), key
    assert got.versions == html.versions
    assert printed.title == read_published(page).title
    assert (got.report.unit, got.report.year) == (html.report.unit, html.report.year)
    fields = {k for k in html.report.entries if k not in SCHEMA.cells}  # narratives, contacts, dates
    for field in fields:
        assert got.report.entries.get(field) == html.report.entries.get(field), field
    assert [f.message for f in got.findings] == [f.message for f in html.findings]
    said = [p.message for p in audit(printed).problems]
    assert said == [p.message for p in audit(read_published(page)).problems]  # the audit says the same


@pytest.mark.engine
def test_a_printed_page_as_an_image_is_a_scan(tmp_path: Path) -> None:
    """The same real page rendered to pictures and put back into a PDF: refused as a scan, not guessed."""
    if not shutil.which("pdftoppm"):
        if os.environ.get("CI"):
            pytest.fail("pdftoppm (poppler-utils) is required in CI; `make engine` installs it")
        pytest.skip("pdftoppm (poppler-utils) not installed; `make engine` installs it")
    pdf = print_page(shared("reports", "pingtan_2021.html"), tmp_path / "p.pdf")
    subprocess.run(["pdftoppm", "-r", "60", "-f", "4", "-l", "5", "-png", str(pdf), str(tmp_path / "img")],
                   check=True, timeout=120)
    images = [Image.open(p).convert("RGB") for p in sorted(tmp_path.glob("img*.png"))]
    scan = tmp_path / "扫描.pdf"
    images[0].save(scan, save_all=True, append_images=images[1:])
    with pytest.raises(PublishedError) as e:
        read_published(scan)
    assert SCAN in e.value.message and "扫描.pdf" in e.value.message
    done = gx("audit", scan)
    assert done.returncode == 2 and SCAN in done.stdout and "Traceback" not in done.stdout + done.stderr


# ---------------------------------------------------------------------- PDFs made by hand


def make_pdf(contents: list[bytes], compress: bool = False, images: bool = False, rotate: int = 0) -> bytes:
    """A minimal, valid PDF: one page per content stream, Helvetica as F1, optionally an image XObject."""
    objs: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    for content in contents:
        data = zlib.compress(content) if compress else content
        filt = b" /Filter /FlateDecode" if compress else b""
        objs.append(b"<< /Length %d%s >>\nstream\n" % (len(data), filt) + data + b"\nendstream")
        stream = len(objs)
        xobj = b""
        if images:
            pixels = b"\x80" * 16 * 16 * 3
            objs.append(b"<< /Type /XObject /Subtype /Image /Width 16 /Height 16 /ColorSpace /DeviceRGB "
                        b"/BitsPerComponent 8 /Length %d >>\nstream\n" % len(pixels) + pixels + b"\nendstream")
            xobj = b" /XObject << /Im1 %d 0 R >>" % len(objs)
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Rotate %d /Contents %d 0 R "
                    b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >>%s >> >>"
                    % (rotate, stream, xobj))
        kids.append(b"%d 0 R" % len(objs))
    objs[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def text(x: float, y: float, s: str, size: int = 12) -> bytes:
    return b"BT /F1 %d Tf %.1f %.1f Td (%s) Tj ET\n" % (size, x, y, s.encode("latin-1"))


def refused(tmp_path: Path, data: bytes, name: str = "x.pdf") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(PublishedError) as e:
        read_published(path)
    return e.value.message


def read_published_bytes(tmp_path: Path, data: bytes) -> Published:
    path = tmp_path / "b.pdf"
    path.write_bytes(data)
    return read_published(path)


def test_image_only_pdf_is_a_scan(tmp_path: Path) -> None:
    """Pages that hold only pictures: "扫描件，无法读取文字" (from Pillow, and from a hand-made file)."""
    picture = Image.new("RGB", (595, 842), "white")
    ImageDraw.Draw(picture).rectangle((80, 300, 500, 600), outline="black", width=2)
    picture.save(tmp_path / "a.pdf")
    with pytest.raises(PublishedError) as e:
        read_published(tmp_path / "a.pdf")
    assert SCAN in e.value.message
    page = b"q 100 0 0 100 50 50 cm /Im1 Do Q\n"
    assert SCAN in refused(tmp_path, make_pdf([page, page], images=True))
    assert "没有文字" in refused(tmp_path, make_pdf([b"0 0 m 10 10 l S\n"]))
    ocr = page + b"BT 3 Tr /F1 12 Tf 72 700 Td (2024 guessed 97) Tj ET\n"  # a recogniser's invisible layer
    message = refused(tmp_path, make_pdf([ocr], images=True))
    assert SCAN in message and "识别" in message
    mixed = read_published_bytes(tmp_path, make_pdf([text(72, 700, "Printed text"), ocr], images=True))
    assert mixed.paragraphs == ["Printed text"] and "第2页是扫描图像" in mixed.notes[0]


def test_page_and_size_caps_and_garbage_are_one_chinese_line(tmp_path: Path) -> None:
    many = refused(tmp_path, make_pdf([text(72, 700, "a")] * (MAX_PAGES + 1)), "多.pdf")
    assert "页数过多" in many and "多.pdf" in many
    bomb = b"% " + b" " * 40_000_000 + b"\n" + text(72, 700, "a")
    assert "内容过多" in refused(tmp_path, make_pdf([bomb], compress=True))
    start = time.monotonic()
    busy = b"BT /F1 1 Tf " + b"(a) Tj 0.001 0 Td " * 100_000 + b" ET"  # small file, minutes for pdfminer
    assert "第2页内容过多" in refused(tmp_path, make_pdf([text(72, 700, "a"), busy], compress=True))
    assert time.monotonic() - start < 10
    for blob in (b"%PDF-1.7\n" + bytes(range(256)) * 50, b"%PDF-1.4\n1 0 obj << /Type /Catalog", b"%PDF-"):
        message = refused(tmp_path, blob)
        assert message and "\n" not in message and "Traceback" not in message
    assert "不是 PDF 文件" in refused(tmp_path, b"not a pdf at all", "假.pdf")
    page = tmp_path / "网页.pdf"  # sites serve web pages under a .pdf name too
    page.write_text("<html><body><p>2024年政府信息公开工作年度报告</p></body></html>", encoding="utf-8")
    assert read_published(page).form == "html"


def test_running_text_headers_footers_and_paragraphs(tmp_path: Path) -> None:
    """Page numbers and a repeated header go; wrapped lines join; an indented line starts a paragraph."""
    pages = []
    for n in (1, 2):
        body = [text(72, 800, f"Annual report {n}", 9), text(280, 40, f"- {n} -", 9)]
        body += [text(72, 700, "First paragraph runs across"), text(72, 686, "two lines.")]
        body += [text(96, 660, "Second one."), text(72, 646, "Third paragraph")]
        body += [text(96, 600, "Bold"), text(96.3, 600, "Bold")]  # bold as Word prints it: twice, a little apart
        pages.append(b"".join(body))
    path = tmp_path / "t.pdf"
    path.write_bytes(make_pdf(pages))
    pub = read_published(path)
    assert pub.form == "pdf"
    assert pub.paragraphs[:4] == ["First paragraph runs across two lines.", "Second one.", "Third paragraph", "Bold"]
    assert not any("Annual" in p or "-" in p for p in pub.paragraphs)
    assert pub.tables == [] and pub.notes == ["PDF 中没有找到带框线的表格"]


# ---------------------------------------------------------------------- grids from rules


def ch(s: str, x: float, y: float) -> list[Char]:
    return [Char(c, x + 10 * i, x + 10 * i + 10, y, y + 10, 10.0) for i, c in enumerate(s)]


def test_merged_cells_repeat_their_text_in_every_slot() -> None:
    """A 3×3 grid whose first column's lower two slots are one cell and whose top row's right two are one."""
    hs = [Seg(0, 0, 300), Seg(50, 0, 300), Seg(100, 100, 300), Seg(150, 0, 300)]
    vs = [Seg(0, 0, 150), Seg(100, 0, 150), Seg(200, 50, 150), Seg(300, 0, 150)]
    chars = ch("ab", 10, 20) + ch("cd", 110, 20) + ch("ef", 10, 110) + ch("1", 110, 70) + ch("2", 210, 70)
    chars += ch("3", 110, 120) + ch("4", 210, 120)
    grid = build(hs, vs, chars)
    assert grid.rows == [["ab", "cd", "cd"], ["ef", "1", "2"], ["ef", "3", "4"]]


def test_a_table_cut_by_a_page_break_is_joined() -> None:
    """The header repeated on the next page is dropped; the merged label cut by the break comes back."""
    def page(label: str, value: str, header: bool) -> object:
        ys = [0.0, 50.0, 100.0] if header else [0.0, 50.0]
        hs = [Seg(y, 0, 300) for y in ys]
        vs = [Seg(0, 0, ys[-1]), Seg(100, 0, ys[-1]), Seg(200, 0, ys[-1]), Seg(300, 0, ys[-1])]
        chars = ch("Head", 10, 20) + ch("A", 110, 20) + ch("B", 210, 20) if header else []
        top = 50 if header else 0
        chars += ch(label, 110, top + 20) + ch(value, 210, top + 20)
        if header and label == "x":
            chars += ch("Group", 10, top + 20)
            hs = [Seg(0, 0, 300), Seg(50, 0, 300)]  # the group cell has no rule at the page's bottom
            vs = [Seg(0, 0, 100), Seg(100, 0, 100), Seg(200, 0, 100), Seg(300, 0, 100)]
            hs.append(Seg(100, 100, 300))
        return build(hs, vs, chars)

    first, second = page("x", "1", True), page("y", "2", True)
    table = joined(first, second)  # type: ignore[arg-type]
    assert table.rows == [["Head", "A", "B"], ["Group", "x", "1"], ["Group", "y", "2"]]


def test_audit_takes_pdfs_from_a_folder(tmp_path: Path) -> None:
    """`audit 文件夹/` reads the .pdf files in it; a scan among them is one Chinese line, exit 2."""
    folder = tmp_path / "报告"
    folder.mkdir()
    Image.new("RGB", (300, 400), "white").save(folder / "扫描.pdf")
    (folder / "文字.pdf").write_bytes(make_pdf([text(72, 700, "2024 report")]))
    done = gx("audit", folder)
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"扫描.pdf：无法读取——{SCAN}" in done.stdout
    assert "文字.pdf" in done.stdout and "Traceback" not in done.stdout + done.stderr


@pytest.mark.parametrize(("rotate", "cm"), [(0, b""), (90, b"0 1 -1 0 595 0 cm\n")])
def test_a_ruled_table_reads_on_a_turned_page(tmp_path: Path, rotate: int, cm: bytes) -> None:
    """A wide table on a page turned by /Rotate (how landscape pages are often printed) reads as upright."""
    rules = b"".join(b"%d %d m %d %d l S\n" % r for r in (
        (100, 400, 500, 400), (100, 450, 500, 450), (100, 500, 500, 500),
        (100, 400, 100, 500), (300, 400, 300, 500), (500, 400, 500, 500)))
    body = rules + text(110, 470, "Alpha") + text(310, 470, "12") + text(110, 420, "Beta") + text(310, 420, "34")
    path = tmp_path / "turned.pdf"
    path.write_bytes(make_pdf([b"q " + cm + body + b" Q"], rotate=rotate))
    assert read_published(path).tables == [[["Alpha", "12"], ["Beta", "34"]]]


@pytest.mark.engine
@pytest.mark.parametrize("attrs", [
    'border="1"', 'border="1" cellspacing="0"', 'style="border-collapse:separate;border-spacing:4px" class="boxed"',
    'style="border-collapse:collapse" class="dotted"', 'style="border-collapse:collapse" class="dashed"',
    'style="border-collapse:collapse" class="double"'])
def test_web_table_border_styles_print_to_the_same_grid(attrs: str, tmp_path: Path) -> None:
    """Cells boxed apart (HTML border=1 with its cell spacing, CSS separate borders) or collapsed, ruled
    solid, dotted (a row of dots), dashed (dashes drawn as shapes) or double: one grid."""
    rows = [["项目", "甲", "乙"], ["第一", "12", "3"], ["第二", "45", "6"]]
    cells = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    page = tmp_path / "t.html"
    style = (".boxed td{border:1px solid #999} .dotted td{border:1px dotted} .dashed td{border:1px dashed} "
             ".double td{border:3px double}")
    page.write_text(f"<html><head><meta charset='utf-8'><style>{style}</style></head>"
                    f"<body><p>2024年政府信息公开工作年度报告</p><table {attrs}>{cells}</table></body></html>",
                    encoding="utf-8")
    assert read_published(print_page(page, tmp_path / "t.pdf")).tables == [rows]


@pytest.mark.engine
def test_gxsheet_web_page_printed_by_chromium_reads_like_the_page(tmp_path: Path) -> None:
    """gxsheet's own web page, printed by a browser: title and every table cell as the page has them."""
    page = Path(__file__).resolve().parent.parent / "samples" / "柴胡店镇人民政府2024.html"
    printed, html = read_published(print_page(page, tmp_path / "r.pdf")), read_published(page)
    assert printed.title == html.title
    assert printed.tables == html.tables
    assert len(printed.paragraphs) == len(html.paragraphs)


def test_damaged_pdfs_never_raise_anything_else(tmp_path: Path) -> None:
    """Bytes flipped and files cut short: read, or one Chinese line — never another exception, never long."""
    rules = b"".join(b"%d %d m %d %d l S\n" % r for r in ((100, 400, 500, 400), (100, 500, 500, 500),
                                                          (100, 400, 100, 500), (500, 400, 500, 500)))
    good = make_pdf([rules + text(110, 470, "Alpha 12") + text(72, 700, "2024")] * 3, compress=True)
    rng = random.Random(7)
    path = tmp_path / "damaged.pdf"
    for i in range(30):
        damaged = bytearray(good)
        for _ in range(rng.choice((1, 8, 60))):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        path.write_bytes(bytes(damaged[: rng.randrange(len(damaged))] if i % 3 == 0 else damaged))
        start = time.monotonic()
        try:
            read_published(path)
        except PublishedError as e:
            assert e.message and "\n" not in e.message
        assert time.monotonic() - start < 10


def test_only_a_table_with_the_same_columns_goes_on_across_a_page() -> None:
    """The next page's first table goes on with the last one when its column rules are the same (some
    missing where the page cut a merged column); a table of other columns (表四 after 表三) does not."""
    def grid(xs: list[float]) -> Grid:
        return Grid(xs[0], 0, xs[-1], 10, xs, [0, 10])

    t3 = grid([34, 110, 258, 285, 318, 356, 393, 425, 453, 486])
    cut = grid([110, 160, 258, 285, 318, 356, 393, 425, 453, 486])
    t4 = grid([34, 59, 89, 120, 150, 183, 213, 243, 274, 304, 328, 360, 389, 420, 444, 486])
    assert continues(t3, cut) and continues(t3, t3)
    assert not continues(t3, t4)


def test_a_paragraph_indented_with_spaces_starts_a_paragraph(tmp_path: Path) -> None:
    """"　　" or spaces in front of a line indent it: the line starts a paragraph, as an indented one does."""
    line = "Lorem ipsum dolor sit amet consectetur"
    body = text(72, 700, line) + text(72, 686, line) + text(72, 672, "    " + line) + text(72, 658, line)
    pub = read_published_bytes(tmp_path, make_pdf([body]))
    assert pub.paragraphs == [f"{line} {line}", f"{line} {line}"]
