"""Write the report Document as .docx, on the styles of template/report.docx.

Composition decided every word; this module only lays the model out. The style template
(built by tools/make_style_template.py, restylable in Word) carries page setup, fonts,
spacing and the page-number footers; here its body is emptied and filled paragraph by
paragraph, the three official tables as real Word tables laid out by schema.grid.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Sequence
from pathlib import Path

import docx
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Twips
from docx.table import Table as WordTable
from docx.table import _Cell as WordCell
from docx.text.paragraph import Paragraph as WordParagraph

from .. import templates
from ..atomic import atomic_path, stamp
from ..schema.grid import Grid, GridCell, grid
from .model import Document, Heading, Paragraph, TableBlock

TEMPLATE = "report.docx"

# Style ids defined by tools/make_style_template.py.
TITLE, WARNING, NOTE = "ReportTitle", "ReportWarning", "TableNote"
HEADINGS = {1: "ReportHeading1", 2: "ReportHeading2"}
PARAGRAPHS = {"opening": "ReportBody", "contact": "ReportBody", "body": "ReportBody", "item": "ReportItem",
              "closing": "ReportClosing", "warning": "ReportWarning"}
CELL_TEXT, CELL_LABEL, CELL_HEADER = "TableText", "TableLabel", "TableHeader"
STYLE_IDS = (TITLE, WARNING, NOTE, *HEADINGS.values(), *PARAGRAPHS.values(), CELL_TEXT, CELL_LABEL, CELL_HEADER)

CELL_MARGIN = 57  # twips (1 mm) left and right inside each cell
SLACK = 40  # twips a column gets beyond its characters, against rounding in layout
BORDER = 'w:val="single" w:sz="8" w:space="0" w:color="000000"'  # 1 pt black
TABLE_PT, COMPACT_PT = 12.0, 10.5  # 小四; 五号 where a value column cannot hold two characters of 小四
LABEL_CHARS = 12  # the leaf label column aims at this many characters a line
KEEP_WHOLE = 16  # tables with at most this many rows are kept on one page


def write_docx(doc: Document, path: Path) -> None:
    """Write doc to path (atomically) on the styles and page setup of template/report.docx."""
    word = _open_template()
    _clear_body(word)
    width = _text_width(word)
    pitch = _pitch(word, PARAGRAPHS["closing"])
    if doc.unchecked:
        _paragraph(word, doc.unchecked, WARNING)
    for line in doc.title:
        _paragraph(word, line, TITLE)
    for block in doc.blocks:
        if isinstance(block, Heading):
            _paragraph(word, block.text, HEADINGS[block.level])
        elif isinstance(block, Paragraph):
            if block.style not in PARAGRAPHS:
                raise ValueError(f"unknown paragraph style {block.style!r}")
            p = _paragraph(word, block.text, PARAGRAPHS[block.style])
            if block.right:
                p.paragraph_format.right_indent = Twips(round(block.right * pitch))
            if block.style == "contact":  # flush left: a long e-mail address must not stretch the line
                p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
        else:
            _table(word, block, width)
            for note in block.notes:
                _paragraph(word, note, NOTE)
    last = doc.blocks[-1] if doc.blocks else None
    if isinstance(last, TableBlock) and not last.notes:
        word.add_paragraph()  # Word needs a paragraph between a final table and the section end
    _properties(word, doc)
    buffer = io.BytesIO()
    word.save(buffer)
    with atomic_path(path) as tmp:
        _repack(buffer.getvalue(), tmp)


def _open_template() -> WordDocument:
    """The style template, or a Chinese message naming the file an office broke."""
    try:
        word = docx.Document(str(templates.path(TEMPLATE)))
    except templates.TemplateProblem:
        raise
    except Exception:  # python-docx raises several types for a file that is not a Word document
        raise templates.TemplateProblem(f"模板 {templates.display(TEMPLATE)} 不是有效的 Word 文档（.docx）") from None
    ids = {s.style_id for s in word.styles if s.type == WD_STYLE_TYPE.PARAGRAPH}
    missing = [s for s in STYLE_IDS if s not in ids]
    if missing:
        raise templates.TemplateProblem(f"模板 {templates.display(TEMPLATE)} 缺少段落样式 {'、'.join(missing)}"
                                        "（可用 tools/make_style_template.py 重新生成）")
    return word


def _clear_body(word: WordDocument) -> None:
    """Remove the template's sample content; keep the final sectPr (page setup, footers)."""
    body = word.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _text_width(word: WordDocument) -> int:
    """Width of the text block in twips (156 mm on the GB/T 9704 page)."""
    s = word.sections[-1]
    assert s.page_width is not None and s.left_margin is not None and s.right_margin is not None
    return int((s.page_width - s.left_margin - s.right_margin) / 635)  # EMU per twip


def _pitch(word: WordDocument, style_id: str) -> float:
    """Advance of one character of the style's type in twips: its size plus its character spacing."""
    style = word.styles.get_by_id(style_id, WD_STYLE_TYPE.PARAGRAPH)
    size, spacing = None, 0
    while style is not None and (size is None or not spacing):
        rpr = style.element.rPr
        if rpr is not None:
            sz, sp = rpr.find(qn("w:sz")), rpr.find(qn("w:spacing"))
            if size is None and sz is not None:
                size = int(sz.get(qn("w:val"))) * 10  # half-points to twips
            if not spacing and sp is not None:
                spacing = int(sp.get(qn("w:val")))
        style = style.base_style
    return float((size or 320) + spacing)


def _style(paragraph: WordParagraph, style_id: str) -> None:
    paragraph._p.get_or_add_pPr().get_or_add_pStyle().set(qn("w:val"), style_id)


def _paragraph(word: WordDocument, text: str, style_id: str) -> WordParagraph:
    p = word.add_paragraph()
    _style(p, style_id)
    if text:
        p.add_run(text)
    return p


def _properties(word: WordDocument, doc: Document) -> None:
    set_properties(word, doc.meta.get("title", "".join(doc.title)), doc.meta.get("subject", ""))
    now = stamp()
    word.core_properties.created = now
    word.core_properties.modified = now


def set_properties(word: WordDocument, title: str, subject: str) -> None:
    """Title and subject; no name of whoever ran gxsheet (shared with the style template script)."""
    props = word.core_properties
    props.title = title
    props.subject = subject
    props.author = ""
    props.last_modified_by = ""
    props.comments = ""
    props.keywords = ""
    props.category = ""
    props.language = "zh-CN"
    props.revision = 1


# ---------------------------------------------------------------- tables


def _label_columns(g: Grid) -> int:
    """Columns left of the first value: they hold row labels."""
    return min((c.col for c in g.cells if c.key), default=0)


def column_widths(g: Grid, total: int) -> tuple[list[int], float]:
    """Column widths in twips summing to total, and the font size (pt) the table needs.

    A label column left of others holds group labels spanning several rows: it gets the
    characters its longest label needs a line to fit in those rows, plus one. The last label
    column (the item labels) aims at LABEL_CHARS characters a line, and gives way down to
    six so that each value column holds two characters of 小四; value columns share the
    rest. A table whose value columns still cannot hold two characters is set in 五号.
    """
    labels = _label_columns(g)
    values = g.cols - labels

    def fit(chars: float, pt: float = TABLE_PT) -> int:
        return int(chars * pt * 20) + 2 * CELL_MARGIN + SLACK

    widths: list[int] = []
    for col in range(labels):
        cells = [c for c in g.cells if c.col == col and c.colspan == 1 and c.text and not c.header]
        if col < labels - 1:
            widths.append(fit(max([math.ceil(len(c.text) / c.rowspan) + 1 for c in cells] + [2])))
        else:
            widths.append(fit(min(max([len(c.text) for c in cells] + [4]), LABEL_CHARS)))
    if labels and values and (total - sum(widths)) // values < fit(2):
        widths[-1] = max(fit(6), total - sum(widths[:-1]) - values * fit(2))
    if values:
        rest = total - sum(widths)
        widths += [rest // values + (1 if i < rest % values else 0) for i in range(values)]
    narrowest = min(widths[labels:] or [total])
    return widths, TABLE_PT if narrowest >= fit(2) else COMPACT_PT


def _top_headers(g: Grid) -> list[int]:
    """Header rows at the very top of the table: they repeat on each page."""
    rows = []
    for r in range(g.rows):
        if r not in g.header_rows:
            break
        rows.append(r)
    return rows


def _table(word: WordDocument, block: TableBlock, total: int) -> None:
    g = grid(block.table)
    widths, size = column_widths(g, total)
    table = word.add_table(rows=g.rows, cols=g.cols)
    _table_properties(table, widths)
    # table.cell() rescans the whole table on every call; take the cells once, before merging.
    slots = table._cells
    labels = _label_columns(g)
    for cell in g.cells:
        _fill(slots[cell.row * g.cols + cell.col], block, cell, labels, size)
    for cell in g.cells:
        if cell.rowspan > 1 or cell.colspan > 1:
            last = (cell.row + cell.rowspan - 1) * g.cols + cell.col + cell.colspan - 1
            slots[cell.row * g.cols + cell.col].merge(slots[last])
    _cell_geometry(table, widths)
    headers = _top_headers(g)
    keep = g.rows <= KEEP_WHOLE
    for r, row in enumerate(table.rows):
        trpr = row._tr.get_or_add_trPr()
        trpr.append(parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))
        if r in headers:
            trpr.append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
        if r in headers or (keep and r < g.rows - 1):
            for p in row._tr.iter(qn("w:p")):  # keep with the next row
                p.get_or_add_pPr().get_or_add_keepNext()


def _fill(target: WordCell, block: TableBlock, cell: GridCell, labels: int, size: float) -> None:
    if cell.key:
        text, style = block.values[cell.key], CELL_TEXT
    else:
        text = cell.text
        style = CELL_HEADER if cell.header else (CELL_LABEL if cell.col < labels else CELL_TEXT)
    p = target.paragraphs[0]
    _style(p, style)
    run = p.add_run(text)
    if size != TABLE_PT:
        half = str(int(size * 2))
        rpr = run._r.get_or_add_rPr()
        rpr.append(parse_xml(f'<w:sz {nsdecls("w")} w:val="{half}"/>'))
        rpr.append(parse_xml(f'<w:szCs {nsdecls("w")} w:val="{half}"/>'))
    target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _table_properties(table: WordTable, widths: Sequence[int]) -> None:
    tblpr = table._tbl.tblPr
    for tag in ("w:tblStyle", "w:tblW", "w:tblLook"):
        for old in tblpr.findall(qn(tag)):
            tblpr.remove(old)
    edges = "".join(f"<w:{e} {BORDER}/>" for e in ("top", "left", "bottom", "right", "insideH", "insideV"))
    tblpr.append(parse_xml(
        f'<w:tblW {nsdecls("w")} w:w="{sum(widths)}" w:type="dxa"/>'))
    tblpr.append(parse_xml(f'<w:jc {nsdecls("w")} w:val="center"/>'))
    tblpr.append(parse_xml(f'<w:tblBorders {nsdecls("w")}>{edges}</w:tblBorders>'))
    tblpr.append(parse_xml(f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>'))
    tblpr.append(parse_xml(
        f'<w:tblCellMar {nsdecls("w")}><w:top w:w="28" w:type="dxa"/><w:left w:w="{CELL_MARGIN}" w:type="dxa"/>'
        f'<w:bottom w:w="28" w:type="dxa"/><w:right w:w="{CELL_MARGIN}" w:type="dxa"/></w:tblCellMar>'))
    grid_el = table._tbl.tblGrid
    for col, width in zip(grid_el.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(width))


def _cell_geometry(table: WordTable, widths: Sequence[int]) -> None:
    """Every w:tc (continuations of vertical merges included): width of its span, borders."""
    edges = "".join(f"<w:{e} {BORDER}/>" for e in ("top", "left", "bottom", "right"))
    for tr in table._tbl.tr_lst:
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tcpr = tc.get_or_add_tcPr()
            tcpr.width = Twips(sum(widths[col:col + span]))
            borders = parse_xml(f'<w:tcBorders {nsdecls("w")}>{edges}</w:tcBorders>')
            # schema order: tcW, gridSpan, vMerge, tcBorders, shd, ..., vAlign
            anchor = next((tcpr.find(qn(t)) for t in ("w:shd", "w:noWrap", "w:tcMar", "w:textDirection",
                                                      "w:tcFitText", "w:vAlign", "w:hideMark")
                           if tcpr.find(qn(t)) is not None), None)
            if anchor is not None:
                anchor.addprevious(borders)
            else:
                tcpr.append(borders)
            col += span


def _repack(blob: bytes, target: Path) -> None:
    """Re-zip with fixed member dates, so the same report gives the same bytes (samples stay diff-free)."""
    with zipfile.ZipFile(io.BytesIO(blob)) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
