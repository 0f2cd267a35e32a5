"""The .docx report: page setup and styles (GB/T 9704—2012), content read back, tables, rendering."""

from __future__ import annotations

import dataclasses
import importlib.util
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt
from engine import convert
from lxml import etree

from gxsheet import templates
from gxsheet.document.docx_writer import TEMPLATE, column_widths, write_docx
from gxsheet.document.model import Document, Heading, Paragraph, TableBlock
from gxsheet.schema.grid import grid

ROOT = Path(__file__).resolve().parent.parent
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
EMU_PER_MM = 36000
HANGING = "，。、；：？！”’）》〉】"
THEME_ATTRS = ("asciiTheme", "eastAsiaTheme", "hAnsiTheme", "cstheme")

# style id → (East-Asian font, size in pt), as the brief and GB/T 9704 ask.
FONTS = {
    "ReportTitle": ("方正小标宋简体", 22),
    "ReportBody": ("仿宋_GB2312", 16),
    "ReportHeading1": ("黑体", 16),
    "ReportHeading2": ("楷体_GB2312", 16),
    "ReportItem": ("仿宋_GB2312", 16),
    "ReportClosing": ("仿宋_GB2312", 16),
    "ReportWarning": ("黑体", 16),
    "TableText": ("仿宋_GB2312", 12),
    "TableLabel": ("仿宋_GB2312", 12),
    "TableHeader": ("黑体", 12),
    "TableNote": ("仿宋_GB2312", 12),
    "PageNumber": ("宋体", 14),
}


@pytest.fixture(scope="module")
def word(written: Path) -> docx.document.Document:
    return docx.Document(str(written))


@pytest.fixture(scope="module")
def parts(written: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(written) as z:
        return {n: z.read(n) for n in z.namelist()}


@pytest.fixture(scope="module")
def pdf(written: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return convert([written], tmp_path_factory.mktemp("pdf"), to="pdf")[0]


def _styles(parts: dict[str, bytes]) -> tuple[etree._Element, dict[str, etree._Element]]:
    root = etree.fromstring(parts["word/styles.xml"])
    return root, {s.get(f"{W}styleId"): s for s in root.iter(f"{W}style")}


def _resolved(parts: dict[str, bytes], style_id: str, path: str) -> etree._Element | None:
    """The first element at path (e.g. 'w:rPr/w:rFonts') along the style's basedOn chain, then in docDefaults."""
    root, styles = _styles(parts)
    xpath = path.replace("w:", W)
    sid: str | None = style_id
    while sid:
        style = styles[sid]
        found = style.find(xpath)
        if found is not None:
            return found
        based = style.find(f"{W}basedOn")
        sid = based.get(f"{W}val") if based is not None else None
    return root.find(f"{W}docDefaults/{W}rPrDefault/{xpath}")


def _used_styles(parts: dict[str, bytes]) -> set[str]:
    used = set()
    for name, blob in parts.items():
        if re.fullmatch(r"word/(document|footer\d+|header\d+)\.xml", name):
            used |= {e.get(f"{W}val") for e in etree.fromstring(blob).iter(f"{W}pStyle")}
    return used


def test_page_is_a4_with_gbt_margins_and_22_line_grid(word: docx.document.Document, parts: dict[str, bytes]) -> None:
    """The page is A4 with margins 37/35/28/26 mm and a document grid of 22 lines (pitch 579 twips)."""
    s = word.sections[0]
    expected = {"page_width": 210, "page_height": 297, "top_margin": 37, "bottom_margin": 35,
                "left_margin": 28, "right_margin": 26}
    for attr, mm in expected.items():
        assert abs(getattr(s, attr) / EMU_PER_MM - mm) <= 0.5, attr
    grid_el = s._sectPr.find(qn("w:docGrid"))
    assert grid_el.get(qn("w:type")) == "linesAndChars" and grid_el.get(qn("w:linePitch")) == "579"
    pitch = 16 + int(grid_el.get(qn("w:charSpace"))) / 4096  # pt: Normal's 三号 plus the grid's charSpace
    width = (s.page_width - s.left_margin - s.right_margin) / 12700  # pt
    assert 28 * pitch <= width < 29 * pitch  # 28 characters a line, as GB/T 9704 asks
    text_block = (s.page_height - s.top_margin - s.bottom_margin) / EMU_PER_MM
    assert 22 * 28.95 * 25.4 / 72 <= text_block < 23 * 28.95 * 25.4 / 72  # 22 lines fit, not 23
    settings = etree.fromstring(parts["word/settings.xml"])
    assert settings.find(f"{W}evenAndOddHeaders") is not None


def test_every_used_style_has_its_east_asian_font_and_size(parts: dict[str, bytes]) -> None:
    """Each paragraph style the document uses resolves to the specified w:eastAsia font and size."""
    used = _used_styles(parts)
    assert used <= set(FONTS), f"styles without a specification: {used - set(FONTS)}"
    assert {"ReportTitle", "ReportBody", "ReportHeading1", "ReportHeading2", "ReportClosing",
            "TableText", "TableLabel", "TableHeader", "PageNumber"} <= used
    for sid in sorted(used):
        font, size = FONTS[sid]
        rfonts = _resolved(parts, sid, "w:rPr/w:rFonts")
        assert rfonts is not None and rfonts.get(f"{W}eastAsia") == font, sid
        sz = _resolved(parts, sid, "w:rPr/w:sz")
        assert sz is not None and int(sz.get(f"{W}val")) == size * 2, sid


def test_docdefaults_are_chinese_and_no_theme_fonts_remain(parts: dict[str, bytes]) -> None:
    """docDefaults name 仿宋_GB2312 for East-Asian text in zh-CN, and styles.xml has no theme font attributes."""
    root, _ = _styles(parts)
    rpr = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    assert rpr.find(f"{W}rFonts").get(f"{W}eastAsia") == "仿宋_GB2312"
    assert rpr.find(f"{W}lang").get(f"{W}eastAsia") == "zh-CN"
    text = parts["word/styles.xml"].decode("utf-8")
    for attr in THEME_ATTRS:
        assert f"w:{attr}=" not in text, attr
    assert "stylesWithEffects" not in parts["word/_rels/document.xml.rels"].decode("utf-8")


def test_body_and_heading_paragraph_formats(word: docx.document.Document) -> None:
    """Body, item and headings: exact 28.95 pt lines, 32 pt first-line indent; headings have outline levels."""
    for sid in ("ReportBody", "ReportItem", "ReportHeading1", "ReportHeading2"):
        pf = word.styles.get_by_id(sid, 1).paragraph_format
        assert pf.line_spacing_rule == WD_LINE_SPACING.EXACTLY, sid
        assert abs(pf.line_spacing.pt - 28.95) < 0.01, sid
        assert pf.first_line_indent == Pt(32), sid
    body = word.styles.get_by_id("ReportBody", 1)
    assert body.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    for sid, level in (("ReportHeading1", "0"), ("ReportHeading2", "1")):
        outline = word.styles.get_by_id(sid, 1).element.find(f"{W}pPr/{W}outlineLvl")
        assert outline is not None and outline.get(qn("w:val")) == level, sid


def test_other_paragraph_formats(word: docx.document.Document) -> None:
    """Title and table texts are centred, labels left, closing right and unindented, the warning red, bold, centred."""
    def style(sid: str) -> docx.styles.style.ParagraphStyle:
        return word.styles.get_by_id(sid, 1)

    for sid in ("ReportTitle", "TableText", "TableHeader", "ReportWarning"):
        assert style(sid).paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER, sid
    assert style("TableLabel").paragraph_format.alignment == WD_ALIGN_PARAGRAPH.LEFT
    closing = style("ReportClosing").paragraph_format
    assert closing.alignment == WD_ALIGN_PARAGRAPH.RIGHT and not closing.first_line_indent
    for sid in ("TableText", "TableHeader", "TableLabel", "TableNote"):
        pf = style(sid).paragraph_format
        assert pf.line_spacing_rule == WD_LINE_SPACING.SINGLE and not pf.first_line_indent, sid
    warning = style("ReportWarning").font
    assert warning.bold and str(warning.color.rgb) == "FF0000"


def test_no_numbering_anywhere(parts: dict[str, bytes]) -> None:
    """No part of the package carries w:numPr (the "一、" of headings is text) and there is no numbering part."""
    for name, blob in parts.items():
        if name.endswith(".xml"):
            assert b"w:numPr" not in blob and b":numPr " not in blob, name
    assert "word/numbering.xml" not in parts


def test_title_headings_and_paragraphs_read_back(word: docx.document.Document, report: Document) -> None:
    """The title lines, the six level-1 headings in order, and every paragraph text come back from the docx."""
    paragraphs = [(p.style.style_id, p.text) for p in word.paragraphs]
    assert [t for s, t in paragraphs if s == "ReportTitle"] == list(report.title)
    headings = [t for s, t in paragraphs if s == "ReportHeading1"]
    assert headings == report.headings(1)
    assert [h[:2] for h in headings] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    assert [t for s, t in paragraphs if s == "ReportHeading2"] == report.headings(2)
    texts = [b.text for b in report.blocks if isinstance(b, Paragraph)]
    assert [t for s, t in paragraphs if s in ("ReportBody", "ReportItem", "ReportClosing")] == texts
    assert paragraphs[0] == ("ReportTitle", report.title[0])  # no warning on a checked report


def test_tables_match_the_grid_cell_by_cell(word: docx.document.Document, report: Document) -> None:
    """Each Word table has the grid's rows, columns, merges, labels and values (every cell filled)."""
    blocks = report.tables()
    assert len(word.tables) == len(blocks) == 3
    for table, block in zip(word.tables, blocks, strict=True):
        g = grid(block.table)
        assert (len(table.rows), len(table.columns)) == (g.rows, g.cols)
        owner: dict[object, object] = {}  # keeps each w:tc proxy alive, so identity is meaningful
        for cell in g.cells:
            top = table.cell(cell.row, cell.col)
            expected = block.values[cell.key] if cell.key else cell.text
            assert top.text == expected, (block.table.key, cell)
            assert top.text != "", (block.table.key, cell)
            for r in range(cell.row, cell.row + cell.rowspan):
                for c in range(cell.col, cell.col + cell.colspan):
                    assert table.cell(r, c)._tc is top._tc, (block.table.key, cell, r, c)
            assert top._tc not in owner, f"{cell} merged with {owner.get(top._tc)}"
            owner[top._tc] = cell
        covered = sum(c.rowspan * c.colspan for c in g.cells)
        assert covered == g.rows * g.cols


def test_official_merges(word: docx.document.Document) -> None:
    """表三 "三、本年度办理结果" spans 22 rows and "申请人情况" 7 columns; 表四 "行政复议" spans 5 columns."""
    t3, t4 = word.tables[1], word.tables[2]

    def extent(table: docx.table.Table, text: str) -> tuple[int, int]:
        hits = [(r, c) for r in range(len(table.rows)) for c in range(len(table.columns))
                if table.cell(r, c).text == text]
        return len({r for r, _ in hits}), len({c for _, c in hits})

    assert extent(t3, "三、本年度办理结果") == (22, 1)
    assert extent(t3, "申请人情况") == (1, 7)
    assert extent(t4, "行政复议") == (1, 5)
    assert extent(t4, "行政诉讼") == (1, 10)


def test_header_rows_repeat_and_borders(word: docx.document.Document, report: Document) -> None:
    """The header rows at the top of each table carry w:tblHeader, and every cell has 1 pt black single borders."""
    assert [_top(b) for b in report.tables()] == [[0, 1], [0, 1, 2], [0, 1, 2]]
    for table, block in zip(word.tables, report.tables(), strict=True):
        top = _top(block)
        marked = [r for r, row in enumerate(table.rows) if row._tr.find(f"{W}trPr/{W}tblHeader") is not None]
        assert marked == top and top, block.table.key
        for tc in table._tbl.iter(f"{W}tc"):
            edges = tc.find(f"{W}tcPr/{W}tcBorders")
            for side in ("top", "left", "bottom", "right"):
                edge = edges.find(f"{W}{side}")
                assert (edge.get(f"{W}val"), edge.get(f"{W}sz"), edge.get(f"{W}color")) == ("single", "8", "000000")


def _top(block: TableBlock) -> list[int]:
    """Rows 0..k that are all header rows."""
    g = grid(block.table)
    return [r for r in range(g.rows) if set(range(r + 1)) <= set(g.header_rows)]


def test_tables_fit_the_text_block(word: docx.document.Document, report: Document) -> None:
    """Column widths sum to the 156 mm text block; 表四 with 15 columns is set in 10.5 pt, the others in 12 pt."""
    text_width = 156 / 25.4 * 1440
    for table, block in zip(word.tables, report.tables(), strict=True):
        cols = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert abs(sum(cols) - text_width) <= 2, block.table.key
        assert min(cols) >= 500, block.table.key  # room for two characters
    sizes = [column_widths(grid(b.table), 8844)[1] for b in report.tables()]
    assert sizes == [12.0, 12.0, 10.5]
    t4_sizes = {r.find(f"{W}rPr/{W}sz").get(f"{W}val") for r in word.tables[2]._tbl.iter(f"{W}r")}
    assert t4_sizes == {"21"}


def test_footer_page_numbers(word: docx.document.Document) -> None:
    """Odd and even footers hold "— PAGE —" in 宋体 14 pt, right-aligned on odd pages and left-aligned on even ones."""
    section = word.sections[0]
    odd, even = (section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)
    for footer, side in (odd, even):
        assert not footer.is_linked_to_previous
        p = footer.paragraphs[0]
        assert p.style.style_id == "PageNumber" and p.alignment == side
        runs = list(p._p.iter(f"{W}r"))
        texts = ["".join(t.text for t in r.iter(f"{W}t")) for r in runs]
        instr = [i for i, r in enumerate(runs) if "PAGE" in "".join(t.text for t in r.iter(f"{W}instrText"))]
        assert len(instr) == 1
        assert texts[0] == "— " and texts[-1] == " —"
        assert p.text.startswith("—") and p.text.endswith("—")


def test_warning_first_and_text_survives(report: Document, tmp_path: Path) -> None:
    """An unchecked report opens with the warning; < > & “ ” and the like come back exactly as written."""
    tricky = "标注<b>&amp;“引号”‘单引’ {{ f.x }} {% if %} 100% <>&"
    doc = dataclasses.replace(report, unchecked="【未通过校验：有2处错误，本稿仅供核对，不得发布】",
                              blocks=(Heading(1, "一、" + tricky), Paragraph(tricky), *report.blocks))
    path = tmp_path / "unchecked.docx"
    write_docx(doc, path)
    paragraphs = docx.Document(str(path)).paragraphs
    assert (paragraphs[0].style.style_id, paragraphs[0].text) == ("ReportWarning", doc.unchecked)
    assert [p.text for p in paragraphs[1:1 + len(doc.title)]] == list(doc.title)
    assert paragraphs[1 + len(doc.title)].text == "一、" + tricky
    assert paragraphs[2 + len(doc.title)].text == tricky


def test_core_properties(word: docx.document.Document, report: Document) -> None:
    """The document title comes from the model; no author or tool name is recorded."""
    props = word.core_properties
    assert props.title == report.meta["title"]
    assert props.author == "" and props.last_modified_by == "" and props.comments == ""


def test_template_is_what_the_script_builds(tmp_path: Path) -> None:
    """template/report.docx is exactly what tools/make_style_template.py builds (so neither drifts)."""
    spec = importlib.util.spec_from_file_location("make_style_template", ROOT / "tools" / "make_style_template.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    built = tmp_path / "report.docx"
    module.build(built)
    with zipfile.ZipFile(built) as a, zipfile.ZipFile(templates.path(TEMPLATE)) as b:
        assert sorted(a.namelist()) == sorted(b.namelist())
        for name in a.namelist():
            assert a.read(name) == b.read(name), name


def test_libreoffice_renders_chinese_within_the_margins(pdf: Path) -> None:
    """LibreOffice makes 4–12 A4 pages, with a CJK font, and no text strays outside the 156 mm text block."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    assert 4 <= pages <= 12
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    mm = 72 / 25.4
    words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)<', bbox)
    assert len(words) > 500
    left, right = 28 * mm - 1, (210 - 26) * mm + 1
    for x0, x1, text in words:
        assert left <= float(x0), text
        if float(x1) > right:  # only a closing punctuation mark may hang into the margin (LibreOffice does)
            assert text[-1] in HANGING and float(x1) <= right + 16, text
    for page in (1, 3):
        out = pdf.parent / f"page{page}"
        subprocess.run(["pdftoppm", "-r", "60", "-f", str(page), "-l", str(page), "-png", "-singlefile",
                        str(pdf), str(out)], check=True)
        assert out.with_suffix(".png").stat().st_size > 10_000
