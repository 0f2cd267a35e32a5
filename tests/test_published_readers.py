"""Readers of published reports (web page, .docx, extracted text) against real pages read by hand.

Every expected cell below was read off the saved page source (shared/reports/*.html, the seed
text), not produced by the reader: the comments say where. Merged cells are repeated in every
slot they cover, so a row is written out in full, label slots included.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from shared import SHARED

from gxsheet.document.compose import compose
from gxsheet.document.model import Heading, Paragraph, TableBlock
from gxsheet.published import html as html_reader
from gxsheet.published.model import Published, Table
from gxsheet.published.reader import MAX_BYTES, PublishedError, read_published
from gxsheet.schema.grid import grid
from gxsheet.workbook.reader import read_workbook

ROOT = Path(__file__).resolve().parent.parent
REPORTS = SHARED / "reports"
SEED = SHARED / "seeds" / "000_f0f557709e2274f5.txt"
SAMPLES = ROOT / "samples"
CJK = re.compile("[\u4e00-\u9fff]")

needs_shared = pytest.mark.usefixtures("shared_material")

PARTS_2021_FORMAT = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                     "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]


def in_order(wanted: list[str], paragraphs: list[str]) -> bool:
    it = iter(paragraphs)
    return all(any(p == w for p in it) for w in wanted)


def row(table: Table, label: str) -> list[str]:
    """The first row of a table that has a cell exactly equal to label."""
    for r in table:
        if label in r:
            return r
    raise AssertionError(f"no row labelled {label!r}")


def t3_row(label: str, values: list[str], label_slots: int = 3) -> list[str]:
    return [label] * label_slots + values


def t3_result(label: str, values: list[str]) -> list[str]:
    return ["三、本年度办理结果", label, label] + values


# ---------------------------------------------------------------------- pingtan 2021


@needs_shared
def test_pingtan_2021_title_parts_and_tables() -> None:
    """pingtan_2021: the article title, the six parts in order, exactly the three report tables."""
    p = read_published(REPORTS / "pingtan_2021.html")
    assert p.form == "html"
    assert p.title == ["平潭综合实验区2021年度政府信息公开工作年度报告"]  # div.article_title, line 294
    assert in_order(PARTS_2021_FORMAT, p.paragraphs)
    assert len(p.tables) == 3  # the page has three <table>s, at lines 349, 578 and 2304
    assert p.paragraphs[0].startswith("根据《中华人民共和国政府信息公开条例》")
    assert p.paragraphs[-1] == "2021年，无收取信息处理费情况。"
    # the site's header, navigation and footer are left out
    assert not any("版权所有" in x or "网站标识码" in x or "当前位置" in x for x in p.paragraphs)


@needs_shared
def test_pingtan_2021_table_cells() -> None:
    """pingtan_2021: 表二, 表三 and 表四 cells as printed on the page."""
    t2, t3, t4 = read_published(REPORTS / "pingtan_2021.html").tables
    # 表二, source lines 349-577: 规章 0 0 0 (the first 0 after an &nbsp;), 行政规范性文件 69 3 665;
    # 行政事业性收费 in a colspan=3 cell: 24252.311082 (line 577).
    assert row(t2, "规章") == ["规章", "0", "0", "0"]
    assert row(t2, "行政规范性文件") == ["行政规范性文件", "69", "3", "665"]
    assert row(t2, "行政事业性收费") == ["行政事业性收费"] + ["24252.311082"] * 3
    # 表三, lines 578-2303. Labels span 3 columns; the 商业企业 value cell has colspan=2, so each row
    # is 3 label slots + 自然人 + 商业企业 ×2 + 科研 + 公益 + 法律 + 其他 + 总计 = 11 slots.
    assert row(t3, "一、本年新收政府信息公开申请数量") == t3_row(
        "一、本年新收政府信息公开申请数量", ["64", "0", "0", "0", "2", "0", "4", "70"])  # line 680
    assert row(t3, "（一）予以公开") == t3_result("（一）予以公开", ["27", "0", "0", "0", "2", "0", "1", "30"])  # 811
    assert row(t3, "（七）总计") == t3_result("（七）总计", ["63", "0", "0", "0", "2", "0", "4", "69"])  # line 2184
    assert row(t3, "四、结转下年度继续办理") == t3_row(
        "四、结转下年度继续办理", ["1", "0", "0", "0", "0", "0", "0", "1"])  # line 2247
    # the header as the page lays it out: 自然人 spans 2 columns in the second header row
    assert t3[1][3:5] == ["自然人", "自然人"] and t3[2][3] == "" and t3[2][4] == "商业\n企业"
    # 表四, lines 2304-: the one value row, 15 cells; headers are one character a <p> ("结\n果\n维\n持")
    assert t4[-1] == ["1", "0", "2", "0", "3", "12", "0", "0", "0", "12", "0", "0", "0", "0", "0"]
    assert t4[1][0] == "结\n果\n维\n持"


# ---------------------------------------------------------------------- pingtan 2022


@needs_shared
def test_pingtan_2022_title_parts_and_tables() -> None:
    """pingtan_2022: title, the six parts (part four with the page's typo 行政法复议), three tables."""
    p = read_published(REPORTS / "pingtan_2022.html")
    assert p.title == ["平潭综合实验区2022年度政府信息公开工作年度报告"]
    parts = list(PARTS_2021_FORMAT)
    parts[3] = "四、政府信息公开行政法复议、行政诉讼情况"  # verbatim: the page misspells it
    assert in_order(parts, p.paragraphs)
    assert "（一）主动公开方面" in p.paragraphs  # sub-headings are paragraphs of their own on this page
    assert len(p.tables) == 3  # <table>s at lines 349, 442, 1098


@needs_shared
def test_pingtan_2022_table_cells() -> None:
    """pingtan_2022: 表二, 表三 and 表四 cells as printed on the page."""
    t2, t3, t4 = read_published(REPORTS / "pingtan_2022.html").tables
    # 表二, lines 349-441: 规章 0 0 0; 行政规范性文件 88 55 698 (line 382); 行政事业性收费 9116.36 (line 439)
    assert row(t2, "规章") == ["规章", "0", "0", "0"]
    assert row(t2, "行政规范性文件") == ["行政规范性文件", "88", "55", "698"]
    assert row(t2, "行政事业性收费") == ["行政事业性收费"] + ["9116.36"] * 3
    # 表三, lines 442-1097: labels span 3 columns, then 7 plain value cells (10 slots)
    assert row(t3, "一、本年新收政府信息公开申请数量") == t3_row(
        "一、本年新收政府信息公开申请数量", ["71", "3", "0", "0", "0", "0", "74"])  # line 477
    assert row(t3, "（一）予以公开") == t3_result("（一）予以公开", ["21", "0", "0", "0", "0", "0", "21"])  # 528
    assert row(t3, "（七）总计") == t3_result("（七）总计", ["72", "3", "0", "0", "0", "0", "75"])  # line 1053
    assert row(t3, "四、结转下年度继续办理") == t3_row(
        "四、结转下年度继续办理", ["0", "0", "0", "0", "0", "0", "0"])  # line 1077
    # 表四, lines 1098-: 复议 0 1 1 0 2, 直诉 1 0 0 0 1, 复议后 0 0 0 0 0
    assert t4[-1] == ["0", "1", "1", "0", "2", "1", "0", "0", "0", "1", "0", "0", "0", "0", "0"]


# ---------------------------------------------------------------------- shuyang 2023


@needs_shared
def test_shuyang_2023_title_parts_and_tables() -> None:
    """shuyang_fgj_2023: the <h1> title, six parts (五 worded 整改措施), three data tables, no metadata table."""
    p = read_published(REPORTS / "shuyang_fgj_2023.html")
    assert p.title == ["沭阳县发展和改革局2023年政府信息公开年度报告"]  # h1.article-title, line 227
    parts = list(PARTS_2021_FORMAT)
    parts[4] = "五、存在的主要问题及整改措施"
    assert in_order(parts, p.paragraphs)
    # the 名称/索引号 table (line 175) sits outside the article: not among the data tables
    assert len(p.tables) == 3
    assert not any("索引号" in c for t in p.tables for r in t for c in r)
    assert p.paragraphs[-2:] == ["沭阳县发展和改革局", "2024年1月17日"]


@needs_shared
def test_shuyang_2023_blank_cells_and_old_label() -> None:
    """shuyang_fgj_2023: blank cells come back as "" (not "0"), and the 2019 label 规范性文件 as printed."""
    t2, t3, t4 = read_published(REPORTS / "shuyang_fgj_2023.html").tables
    # 表二, line 282: the row is labelled 规范性文件 (2019 wording), 8 0 18
    assert row(t2, "规范性文件") == ["规范性文件", "8", "0", "18"]
    assert row(t2, "行政事业性收费") == ["行政事业性收费", "0", "0", "0"]
    # 表三, lines 372-1081: each value row fills 自然人 and 总计; the five 法人 cells hold only
    # "<o:p> </o:p>" (line 415 onwards): blank.
    blanks = ["", "", "", "", ""]
    assert row(t3, "一、本年新收政府信息公开申请数量") == t3_row(
        "一、本年新收政府信息公开申请数量", ["26", *blanks, "26"])
    assert row(t3, "二、上年结转政府信息公开申请数量") == t3_row(
        "二、上年结转政府信息公开申请数量", ["0", *blanks, "0"])
    assert row(t3, "（一）予以公开") == t3_result("（一）予以公开", ["26", *blanks, "26"])
    assert row(t3, "3.其他") == ["三、本年度办理结果", "（六）其他处理", "3.其他", "0", *blanks, "0"]
    assert row(t3, "（七）总计") == t3_result("（七）总计", ["26", *blanks, "26"])
    assert row(t3, "四、结转下年度继续办理") == t3_row("四、结转下年度继续办理", ["0", *blanks, "0"])  # line 1054
    # 表四, lines 1082-: 复议 尚未审结 1, 总计 1, all else 0
    assert t4[-1] == ["0", "0", "0", "1", "1"] + ["0"] * 10


# ---------------------------------------------------------------------- the seed (text from a .docx)


@needs_shared
def test_seed_text_title_parts_and_tables() -> None:
    """The township seed: two-line title, parts (the first auto-numbered "1、 总体情况"), three tables."""
    p = read_published(SEED)
    assert p.form == "text"
    assert p.title == ["滕州市柴胡店镇", "2024年政府信息公开工作年度报告"]  # lines 1-2
    parts = ["1、 总体情况", *PARTS_2021_FORMAT[1:]]  # line 5: Word's list number "1、" came out in the text
    assert in_order(parts, p.paragraphs)
    assert len(p.tables) == 3
    assert not any("bookmark" in x for x in p.paragraphs)
    assert "最后，加强学习" in p.paragraphs[p.paragraphs.index("（二）改进情况") + 3]  # after "[bookmark: _GoBack]"


@needs_shared
def test_seed_text_cells() -> None:
    """The seed's cells: empty TAB lines are "", a line without TAB continues its cell, junk removed."""
    t2, t3, t4 = read_published(SEED).tables
    assert t2[0] == ["第二十条第（一）项"]  # line 23: one cell, the merge is not in the text
    assert row(t2, "行政规范性文件") == ["行政规范性文件", "0", "0", "0"]  # lines 35-38
    assert row(t2, "行政事业性收费") == ["行政事业性收费", "0"]  # lines 64-65
    # lines 69-71: a cell broken over two lines, then 申请人情况
    assert t3[0] == ["（本列数据的勾稽关系为：第一项加第二项之和，\n等于第三项加第四项之和）", "申请人情况"]
    # line 87: "[bookmark: _Hlk66973412]一、本年新收…" then seven 0
    assert row(t3, "一、本年新收政府信息公开申请数量") == ["一、本年新收政府信息公开申请数量"] + ["0"] * 7
    # lines 115-123: an empty TAB line (the merged 三、本年度办理结果), the label with its bookmark removed
    assert row(t3, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）") == [
        "", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"] + ["0"] * 7
    # lines 291-300: "5.要求行政机关确认或重新" / "出具已获取信息" without TAB
    split = "5.要求行政机关确认或重新\n出具已获取信息"
    assert row(t3, split)[:3] == ["", "", split]
    assert row(t3, "（七）总计") == ["", "（七）总计"] + ["0"] * 7  # lines 335-343
    assert t4[-1] == ["0"] * 15  # lines 390-404


# ---------------------------------------------------------------------- gxsheet's own outputs


def _model() -> tuple[list[str], list[str], list[Table]]:
    doc = compose(read_workbook(SAMPLES / "柴胡店镇人民政府2024.xlsx"))
    paragraphs: list[str] = []
    tables: list[Table] = []
    for block in doc.blocks:
        if isinstance(block, (Heading, Paragraph)):
            paragraphs.append(block.text)
        elif isinstance(block, TableBlock):
            g = grid(block.table)
            rows = [[""] * g.cols for _ in range(g.rows)]
            for c in g.cells:
                for r in range(c.row, c.row + c.rowspan):
                    for k in range(c.col, c.col + c.colspan):
                        rows[r][k] = block.values[c.key] if c.key else c.text
            tables.append(rows)
            paragraphs += block.notes
    return list(doc.title), paragraphs, tables


@pytest.mark.parametrize("name", ["柴胡店镇人民政府2024.docx", "柴胡店镇人民政府2024.html"])
def test_samples_read_back_as_composed(name: str) -> None:
    """The report gxsheet built reads back with exactly the document model's title, paragraphs and tables."""
    title, paragraphs, tables = _model()
    p = read_published(SAMPLES / name)
    assert p.form == name.rsplit(".", 1)[1]
    assert p.title == title
    assert p.paragraphs == paragraphs
    assert p.tables == tables
    assert p.notes == []


# ---------------------------------------------------------------------- structure on made-up pages


def test_layout_tables_are_flattened_and_other_tables_skipped(tmp_path: Path) -> None:
    """A CMS page built of layout tables: text read, the data table kept, a label-less table skipped, both noted."""
    page = """<html><head><meta charset="utf-8"><title>某局2024年政府信息公开工作年度报告_某网站</title></head>
    <body><table width="100%"><tr><td class="menu"><a href="/">首页</a> <a href="/x">政务公开</a></td></tr>
    <tr><td><p>某局2024年政府信息公开工作年度报告</p><p>一、总体情况</p><p>本局全年主动公开信息12条。</p>
    <table><tr><td>名称</td><td>某局</td></tr><tr><td>发布日期</td><td>2025-01-20</td></tr></table>
    <table><tr><td><p>四、政府信息公开行政复议、行政诉讼情况</p>
    <table><tr><td colspan="5">行政复议</td></tr><tr><td>结果维持</td><td>结果纠正</td><td>其他结果</td>
    <td>尚未审结</td><td>总计</td></tr><tr><td>1</td><td>0</td><td>0</td><td>0</td><td>1</td></tr></table>
    </td></tr></table>
    <p>六、其他需要报告的事项<br>本年未收取信息处理费。</p></td></tr></table>
    <div class="footer">版权所有：某局</div></body></html>"""
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    p = read_published(path)
    assert p.title == ["某局2024年政府信息公开工作年度报告"]
    assert p.paragraphs == ["一、总体情况", "本局全年主动公开信息12条。", "四、政府信息公开行政复议、行政诉讼情况",
                            "六、其他需要报告的事项", "本年未收取信息处理费。"]
    assert p.tables == [[["行政复议"] * 5, ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"],
                         ["1", "0", "0", "0", "1"]]]
    assert any("排版" in n for n in p.notes)
    assert any("跳过1个" in n and "名称" in n for n in p.notes)


def test_rowspan_colspan_expand_like_a_browser(tmp_path: Path) -> None:
    """Merged cells repeat their text in every slot; rowspan=0 runs to the end; huge spans are capped."""
    page = """<meta charset="utf-8"><table>
    <tr><td rowspan="0">甲</td><td colspan="2">乙&nbsp;&nbsp;丙</td><td colspan="100000">0</td></tr>
    <tr><td>1</td><td rowspan="99999">2<br>二</td></tr><tr><td>3</td></tr></table>"""
    path = tmp_path / "t.htm"
    path.write_text(page, encoding="utf-8")
    (table,) = read_published(path).tables
    width = 3 + html_reader.MAX_COLSPAN
    assert [len(r) for r in table] == [width] * 3
    assert table[0][:4] == ["甲", "乙 丙", "乙 丙", "0"]
    assert table[1][:3] == ["甲", "1", "2\n二"]
    assert table[2][:3] == ["甲", "3", "2\n二"]


def test_docx_numbering_merges_and_layout(tmp_path: Path) -> None:
    """A .docx: Word's automatic "一、" numbers restored, vertical and horizontal merges repeated."""
    word = docx.Document()
    numbering = word.part.numbering_part.element
    numbering.append(parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    word.add_paragraph("某镇人民政府")
    word.add_paragraph("2024年政府信息公开工作年度报告")
    for text in ("总体情况", "主动公开政府信息情况"):
        p = word.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr>'))
    table = word.add_table(rows=3, cols=3)
    table.cell(1, 0).merge(table.cell(2, 0))
    table.cell(0, 1).merge(table.cell(0, 2))
    for r, values in enumerate([["信息内容", "本年制发件数", None], ["规章", "0", "0"], [None, "1", "2"]]):
        for c, value in enumerate(values):
            if value is not None:
                table.cell(r, c).text = value
    word.add_paragraph("本报告完。")
    path = tmp_path / "r.docx"
    word.save(str(path))
    p = read_published(path)
    assert p.title == ["某镇人民政府", "2024年政府信息公开工作年度报告"]
    assert p.paragraphs == ["一、总体情况", "二、主动公开政府信息情况", "本报告完。"]
    assert p.tables == [[["信息内容", "本年制发件数", "本年制发件数"], ["规章", "0", "0"], ["规章", "1", "2"]]]


# ---------------------------------------------------------------------- hostile input


def _chinese_line(e: PublishedError) -> str:
    assert e.message == str(e) and "\n" not in e.message and CJK.search(e.message)
    return e.message


def test_deep_nested_page_finishes_fast(tmp_path: Path) -> None:
    """A 12 MB page of <table><tr><td> nested 5000 deep, over and over, returns without crashing or hanging."""
    deep = "<table><tr><td>" * 5000 + "深" + "</td></tr></table>" * 5000
    block = "<p>一、总体情况</p>" + deep
    page = '<html><head><meta charset="utf-8"></head><body>' + block * (12 * 1024 * 1024 // len(block) + 1)
    path = tmp_path / "deep.html"
    path.write_bytes(page.encode("utf-8"))
    assert 12 * 1024 * 1024 < path.stat().st_size < MAX_BYTES
    start = time.process_time()  # CPU time: a hang guard that a loaded machine cannot trip (speed: make bench)
    p = read_published(path)
    assert time.process_time() - start < 30
    assert isinstance(p, Published)
    assert "一、总体情况" in p.paragraphs
    assert any("嵌套" in n for n in p.notes) and any("标签过多" in n for n in p.notes)


def test_broken_gbk_bytes_are_replaced_not_fatal(tmp_path: Path) -> None:
    """A GBK page with broken bytes reads: good text decoded, bad bytes replaced, noted; undeclared GBK, UTF-8 too."""
    good = ("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body>"
            "<h1>某县2023年政府信息公开工作年度报告</h1><div><p>一、总体情况</p><p>全年公开信息12条。</p>"
            "<table><tr><td>行政许可</td><td>5</td></tr></table></div></body></html>").encode("gbk")
    broken = good.replace("全年".encode("gbk"), b"\xff\x81" + "全年".encode("gbk") + b"\xd6")
    path = tmp_path / "gbk.html"
    path.write_bytes(broken)
    p = read_published(path)
    assert p.title == ["某县2023年政府信息公开工作年度报告"]
    assert p.paragraphs[0] == "一、总体情况"
    assert "公开信息12条。" in p.paragraphs[1] and "\ufffd" in p.paragraphs[1]
    assert p.tables == [[["行政许可", "5"]]]
    assert any("gb18030" in n for n in p.notes)
    undeclared = tmp_path / "plain.htm"
    undeclared.write_bytes(good.replace(b"; charset=gb2312", b""))
    q = read_published(undeclared)
    assert q.paragraphs == ["一、总体情况", "全年公开信息12条。"] and q.notes == []
    # UTF-8 without a charset: these bytes also decode as GB18030 (to 鏀垮簻淇℃伅鍏紑), so UTF-8 must be tried first
    undeclared.write_bytes("<p>政府信息公开</p>".encode())
    assert read_published(undeclared).paragraphs == ["政府信息公开"]


@pytest.mark.parametrize("suffix", [".docx", ".html", ".txt", ".htm"])
def test_empty_file_is_refused(tmp_path: Path, suffix: str) -> None:
    """An empty (or blank) file raises PublishedError saying it is empty."""
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(b" \n")
    with pytest.raises(PublishedError) as e:
        read_published(path)
    assert "空" in _chinese_line(e.value)


def test_docx_that_is_text_is_refused(tmp_path: Path) -> None:
    """A .docx that is really a text file, or a zip that is not Word, raises PublishedError."""
    path = tmp_path / "report.docx"
    path.write_text("这不是Word文件", encoding="utf-8")
    with pytest.raises(PublishedError) as e:
        read_published(path)
    assert "Word" in _chinese_line(e.value)
    import zipfile

    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "x")
    with pytest.raises(PublishedError) as e:
        read_published(path)
    assert "document.xml" in _chinese_line(e.value)


def test_web_page_saved_as_docx_is_read_as_a_page(tmp_path: Path) -> None:
    """A "Word" file that is really a web page (sites serve these) is read as HTML, with a note saying so."""
    path = tmp_path / "report.docx"
    path.write_text("<html><body><p>一、总体情况</p><table><tr><td>行政许可</td><td>3</td></tr></table></body></html>",
                    encoding="utf-8")
    p = read_published(path)
    assert p.form == "html" and p.paragraphs == ["一、总体情况"] and p.tables == [[["行政许可", "3"]]]
    assert "网页" in p.notes[0]


def test_text_indented_paragraphs_are_not_tables(tmp_path: Path) -> None:
    """Extracted text whose paragraphs start with a TAB gives paragraphs; a TAB table of numbers stays a table."""
    path = tmp_path / "r.txt"
    path.write_text("某镇人民政府\n2024年政府信息公开工作年度报告\n\t一、总体情况\n\n\t本镇全年公开信息5条。\n\n\n"
                    "\t行政许可\n\t5\n\n\t行政处罚\n\t\n\n\n\t名称\n\t某镇\n", encoding="gb18030")
    p = read_published(path)
    assert p.title == ["某镇人民政府", "2024年政府信息公开工作年度报告"]
    assert p.paragraphs == ["一、总体情况", "本镇全年公开信息5条。"]
    assert p.tables == [[["行政许可", "5"], ["行政处罚", ""]]]
    assert any("跳过1个" in n and "名称" in n for n in p.notes)


def test_missing_and_huge_files_are_refused(tmp_path: Path) -> None:
    """A missing file, a directory and a file over the size cap raise PublishedError in Chinese."""
    with pytest.raises(PublishedError) as e:
        read_published(tmp_path / "nowhere.html")
    assert "找不到" in _chinese_line(e.value)
    with pytest.raises(PublishedError) as e:
        read_published(tmp_path)
    _chinese_line(e.value)
    big = tmp_path / "big.html"
    with big.open("wb") as f:
        f.truncate(MAX_BYTES + 1)
    with pytest.raises(PublishedError) as e:
        read_published(big)
    assert "文件过大" in _chinese_line(e.value)


@pytest.mark.parametrize("blob", [
    b"<html><body><table><tr><td rowspan='x' colspan='-3'>1</td></tr></table></body></html>",
    b"</td></tr></table></div></p><td><tr>1</th>" * 50,
    b"<table>" * 3000 + b"<caption>\x00\xff<tbody><li><dt><p><script>" + b"\x81" * 100,
    b"\xef\xbb\xbf<p>\xed\xa0\x80\xc0\xaf</p><![CDATA[<<</>&#xD800;&#99999999;",
])
def test_malformed_pages_never_raise_anything_else(tmp_path: Path, blob: bytes) -> None:
    """Malformed markup and bytes give a Published or a PublishedError, never another exception."""
    path = tmp_path / "bad.html"
    path.write_bytes(blob)
    try:
        p = read_published(path)
    except PublishedError as e:
        _chinese_line(e)
    else:
        assert p.form == "html"
