"""Build template/report.docx, the Word style template of the annual report.

The writer (gxsheet/document/docx_writer.py) opens this file, empties its body and fills
it from the document model, so everything about the look of the report lives here: page
setup (GB/T 9704—2012: A4, margins 37/35/28/26 mm, 22 lines of 3号仿宋), named paragraph
styles, and the "— 1 —" page-number footers. An office may open template/report.docx in
Word, restyle (change a font, a size, a spacing) and save it; the writer picks that up.
Style ids are stable English names; the writer finds styles by id.

Run:  .venv/bin/python tools/make_style_template.py  [output path]
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from typing import Any
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm
from docx.text.paragraph import Paragraph

from gxsheet.document.docx_writer import set_properties

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "template" / "report.docx"

LINE_PITCH = 579  # twips: 28.95 pt, 22 lines in the 225 mm text block
CHARS_PER_LINE = 28  # GB/T 9704: 28 characters of 3号 (16 pt) a line across the 156 mm text block
BODY_PT = 16
# Character spacing of the 16 pt styles, in twentieths of a point: 28 characters of 15.7 pt
# (439.6 pt) fill the 442 pt line. Their paragraphs do not snap to the character grid:
# LibreOffice (7.4) snaps each 16 pt character to two cells of a 15.8 pt grid (14 a line)
# and ignores the spacing there; -0.25 pt still leaves 27 a line in LibreOffice.
CONDENSE = -6
LATIN = "Times New Roman"  # digits and Latin letters in the serif styles

# What fontTable.xml says about each GB font, for Word to substitute a like font where it
# is missing: charset 86 = GB2312 (Chinese), family roman = serif (宋/仿宋/楷 and the title
# face), swiss = sans (黑体), and an alternative name Windows machines usually have.
# LibreOffice ignores these and falls back through fontconfig to an installed CJK font
# (Noto Sans CJK with fonts-noto-cjk); w:lang eastAsia="zh-CN" gives it Chinese glyph forms.
FONTS = {
    "仿宋_GB2312": ("roman", "02010609030101010101", "仿宋"),
    "方正小标宋简体": ("roman", "02000000000000000000", "宋体"),
    "黑体": ("swiss", "02010609060101010101", "SimHei"),
    "楷体_GB2312": ("roman", "02010609030101010101", "楷体"),
    "宋体": ("roman", "02010600030101010101", "SimSun"),
}


@dataclass(frozen=True)
class Style:
    """A paragraph style, written out in schema order."""

    id: str
    name: str
    east_asia: str
    size: float  # pt
    latin: str = LATIN
    based_on: str = "Normal"
    next: str = ""
    align: str = "both"  # w:jc
    first_line: int = 0  # characters of first-line indent (2 = 32 pt at 16 pt type)
    line: int | None = LINE_PITCH  # exact line spacing in twips; None: single
    before: int = 0  # twips
    after: int = 0
    contextual: bool = False  # no space between paragraphs of this same style
    outline: int | None = None  # 1 or 2 (written 0-based)
    bold: bool = False
    color: str = ""
    keep_next: bool = False
    snap: bool = True  # snap to the document grid
    condense: int = 0  # character spacing, twentieths of a point (w:spacing in the run properties)


BODY: dict[str, Any] = {"snap": False, "condense": CONDENSE}  # the 16 pt styles: 28 characters a line

STYLES = (
    # Title lines at a fixed 35 pt, one blank line of the grid below the last.
    Style("ReportTitle", "报告标题", "方正小标宋简体", 22, latin="方正小标宋简体", align="center",
          line=700, after=LINE_PITCH, contextual=True, keep_next=True, snap=False),
    Style("ReportBody", "报告正文", "仿宋_GB2312", 16, first_line=2, **BODY),
    Style("ReportHeading1", "一级标题", "黑体", 16, latin="黑体", first_line=2, outline=1, keep_next=True,
          next="ReportBody", **BODY),
    Style("ReportHeading2", "二级标题", "楷体_GB2312", 16, latin="楷体_GB2312", first_line=2, outline=2,
          keep_next=True, next="ReportBody", **BODY),
    Style("ReportItem", "报告条目", "仿宋_GB2312", 16, based_on="ReportBody", first_line=2, **BODY),
    # The first closing line (the unit) stands one line below the text; the date follows it.
    Style("ReportClosing", "落款", "仿宋_GB2312", 16, based_on="ReportBody", align="right",
          before=LINE_PITCH, contextual=True, **BODY),
    Style("ReportWarning", "未校验警示", "黑体", 16, latin="黑体", align="center", bold=True, color="FF0000",
          after=LINE_PITCH, **BODY),
    Style("TableText", "表格文字", "仿宋_GB2312", 12, align="center", line=None, snap=False),
    Style("TableLabel", "表格项目", "仿宋_GB2312", 12, based_on="TableText", align="left", line=None, snap=False),
    Style("TableHeader", "表格表头", "黑体", 12, latin="黑体", based_on="TableText", align="center", line=None,
          snap=False),
    Style("TableNote", "表注", "仿宋_GB2312", 12, align="both", line=None, snap=False),
    Style("PageNumber", "页码", "宋体", 14, latin="宋体", align="right", line=None, snap=False),
)

KEEP_STYLES = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList"}
THEME_ATTRS = ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme")


def rfonts(east_asia: str, latin: str) -> str:
    return f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{east_asia}" w:cs="{latin}"/>'


def style_xml(s: Style) -> str:
    ppr = []
    if s.keep_next:
        ppr.append("<w:keepNext/>")
    if not s.snap:
        ppr.append('<w:snapToGrid w:val="0"/>')
    spacing = f'w:before="{s.before}" w:after="{s.after}"'
    if s.line is None:
        spacing += ' w:line="240" w:lineRule="auto"'
    else:
        spacing += f' w:line="{s.line}" w:lineRule="exact"'
    ppr.append(f"<w:spacing {spacing}/>")
    if s.first_line:  # in characters for Word, in twips for readers that ignore *Chars
        first = f'w:firstLineChars="{s.first_line * 100}" w:firstLine="{s.first_line * int(s.size * 20)}"'
    else:
        first = 'w:firstLineChars="0" w:firstLine="0"'
    ppr.append(f'<w:ind w:left="0" w:right="0" {first}/>')
    if s.contextual:
        ppr.append("<w:contextualSpacing/>")
    ppr.append(f'<w:jc w:val="{s.align}"/>')
    if s.outline is not None:
        ppr.append(f'<w:outlineLvl w:val="{s.outline - 1}"/>')
    rpr = [rfonts(s.east_asia, s.latin)]  # schema order: rFonts, b, bCs, color, spacing, sz, szCs
    if s.bold:
        rpr += ["<w:b/>", "<w:bCs/>"]
    if s.color:
        rpr.append(f'<w:color w:val="{s.color}"/>')
    if s.condense:
        rpr.append(f'<w:spacing w:val="{s.condense}"/>')
    half = int(s.size * 2)
    rpr += [f'<w:sz w:val="{half}"/>', f'<w:szCs w:val="{half}"/>']
    head = f'<w:name w:val="{s.name}"/><w:basedOn w:val="{s.based_on}"/>'
    if s.next:
        head += f'<w:next w:val="{s.next}"/>'
    head += '<w:uiPriority w:val="1"/><w:qFormat/>'
    return (f'<w:style {nsdecls("w")} w:type="paragraph" w:customStyle="1" w:styleId="{s.id}">{head}'
            f'<w:pPr>{"".join(ppr)}</w:pPr><w:rPr>{"".join(rpr)}</w:rPr></w:style>')


def setup_styles(document: Document) -> None:
    styles = document.styles.element
    for style in list(styles.findall(qn("w:style"))):
        if style.get(qn("w:styleId")) not in KEEP_STYLES:
            styles.remove(style)
    defaults = styles.find(qn("w:docDefaults"))
    defaults.getparent().remove(defaults)
    styles.insert(0, parse_xml(
        f'<w:docDefaults {nsdecls("w")}><w:rPrDefault><w:rPr>{rfonts("仿宋_GB2312", LATIN)}'
        '<w:kern w:val="2"/><w:sz w:val="32"/><w:szCs w:val="32"/>'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        # 28 characters a line: no punctuation hanging into the margin, no extra space around
        # Latin text, and long Latin words (e-mail addresses) may break rather than stretch a line.
        '<w:pPrDefault><w:pPr><w:widowControl w:val="0"/><w:wordWrap w:val="0"/><w:overflowPunct w:val="0"/>'
        '<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>'
        '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="both"/></w:pPr></w:pPrDefault>'
        "</w:docDefaults>"))
    # The character grid's pitch is counted from Normal's size: LibreOffice reads it from the style
    # itself (not from docDefaults), and without it takes 12 pt, spreading 16 pt type over two cells.
    normal = next(s for s in styles.findall(qn("w:style")) if s.get(qn("w:styleId")) == "Normal")
    normal.append(parse_xml(f'<w:rPr {nsdecls("w")}><w:sz w:val="{BODY_PT * 2}"/><w:szCs w:val="{BODY_PT * 2}"/>'
                            "</w:rPr>"))
    for s in STYLES:
        styles.append(parse_xml(style_xml(s)))
    for element in styles.iter():
        for attr in THEME_ATTRS:
            element.attrib.pop(qn(attr), None)


def font_table_xml() -> str:
    fonts = [f'<w:font w:name="{LATIN}"><w:panose1 w:val="02020603050405020304"/><w:charset w:val="00"/>'
             '<w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>']
    for name, (family, panose, alt) in FONTS.items():
        fonts.append(f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:panose1 w:val="{panose}"/>'
                     f'<w:charset w:val="86"/><w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>')
    return f'<w:fonts {nsdecls("w")}>{"".join(fonts)}</w:fonts>'


def setup_font_table(document: Document) -> None:
    for rel in document.part.rels.values():
        if rel.reltype == RT.FONT_TABLE:
            rel.target_part._blob = font_table_xml().encode("utf-8")  # a plain Part: replace its bytes


def setup_page(document: Document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(24)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = section._sectPr.makeelement(qn("w:docGrid"), {})
        section._sectPr.append(grid)
    grid.attrib.clear()
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    grid.set(qn("w:charSpace"), str(char_space(_twips(section.page_width) - _twips(section.left_margin)
                                                  - _twips(section.right_margin))))
    document.settings.odd_and_even_pages_header_footer = True
    section.different_first_page_header_footer = False
    _page_number(section.footer.paragraphs[0], "right")
    _page_number(section.even_page_footer.paragraphs[0], "left")


def _twips(emu: int | None) -> int:
    assert emu is not None
    return round(emu / 635)  # as python-docx writes it into the section's XML


def char_space(width: int) -> int:
    """w:charSpace for CHARS_PER_LINE characters across width twips.

    Word's character pitch is the default font size plus charSpace/4096 pt; 16 pt characters
    give 27 a line in 156 mm (27.6), so the pitch shrinks to the largest that fits 28.
    """
    pitch = width / CHARS_PER_LINE / 20  # pt
    return math.floor((pitch - BODY_PT) * 4096)


def _page_number(paragraph: Paragraph, side: str) -> None:
    """"— N —": odd pages at the right, even pages at the left, one character in."""
    p = paragraph._p
    for child in list(p):
        p.remove(child)
    indent = "right" if side == "right" else "left"
    p.append(parse_xml(f'<w:pPr {nsdecls("w")}><w:pStyle w:val="PageNumber"/>'
                       f'<w:ind w:{indent}Chars="100" w:{indent}="280"/><w:jc w:val="{side}"/></w:pPr>'))
    runs = ["<w:t xml:space=\"preserve\">— </w:t>", '<w:fldChar w:fldCharType="begin"/>',
            '<w:instrText xml:space="preserve"> PAGE </w:instrText>', '<w:fldChar w:fldCharType="separate"/>',
            "<w:t>1</w:t>", '<w:fldChar w:fldCharType="end"/>', "<w:t xml:space=\"preserve\"> —</w:t>"]
    for run in runs:
        p.append(parse_xml(f'<w:r {nsdecls("w")}>{run}</w:r>'))


def setup_settings(document: Document) -> None:
    settings = document.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    for compat in settings.iter(qn("w:compatSetting")):
        if compat.get(qn("w:name")) == "compatibilityMode":
            compat.set(qn("w:val"), "15")
    for tag in ("w:rsids", "w:proofState"):
        element = settings.find(qn(tag))
        if element is not None:
            settings.remove(element)


def drop_parts(document: Document) -> None:
    """Parts of python-docx's default template a report does not need: they carry Japanese
    theme fonts (stylesWithEffects), list numbering, a bibliography and a thumbnail."""
    unwanted = {RT.NUMBERING, RT.CUSTOM_XML, "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"}
    for rid, rel in list(document.part.rels.items()):
        if rel.reltype in unwanted:
            document.part.drop_rel(rid)
    package_rels = document.part.package.rels
    for rid, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package_rels.pop(rid)


def samples(document: Document) -> None:
    """One paragraph per style, so that restyling in Word is a matter of clicking on it."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    texts = [
        ("ReportWarning", "【未校验警示（样式：未校验警示）】"),
        ("ReportTitle", "某某单位"),
        ("ReportTitle", "2024年政府信息公开工作年度报告（样式：报告标题）"),
        ("ReportBody", "正文段落，三号仿宋，首行缩进两字，固定行距28.95磅，每页22行。（样式：报告正文）"),
        ("ReportHeading1", "一、一级标题（样式：一级标题）"),
        ("ReportHeading2", "（一）二级标题（样式：二级标题）"),
        ("ReportItem", "1．条目段落（样式：报告条目）"),
        ("TableHeader", "表格表头（样式：表格表头）"),
        ("TableLabel", "表格项目（样式：表格项目）"),
        ("TableText", "0（样式：表格文字）"),
        ("TableNote", "注：表注（样式：表注）"),
        ("ReportClosing", "某某单位（样式：落款）"),
        ("ReportClosing", "2025年1月20日"),
    ]
    for style, text in texts:
        p = document.add_paragraph(text)
        p.style = document.styles.get_by_id(style, WD_STYLE_TYPE.PARAGRAPH)


APP_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
 xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">
<Template>Normal.dotm</Template><TotalTime>0</TotalTime><Application>gxsheet</Application>
<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><Company/><LinksUpToDate>false</LinksUpToDate>
<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>
"""


def core_properties(document: Document) -> None:
    for rel in document.part.package.rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES:  # python-docx's says "Microsoft Macintosh Word"
            rel.target_part._blob = APP_XML.encode("utf-8")
    set_properties(document, "政府信息公开工作年度报告样式模板", "政府信息公开工作年度报告")


def build(path: Path) -> None:
    document = docx.Document()
    drop_parts(document)
    setup_styles(document)
    setup_font_table(document)
    setup_settings(document)
    setup_page(document)
    samples(document)
    core_properties(document)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUTPUT)
    print(f"wrote {sys.argv[1] if len(sys.argv) > 1 else OUTPUT}")
