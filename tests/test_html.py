"""The HTML writer: one self-contained, escaped page whose tables are the printed grid."""

from __future__ import annotations

import dataclasses
import html
import re
from pathlib import Path

import pytest
from html_page import parse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gxsheet import templates
from gxsheet.document.compose import compose
from gxsheet.document.html_writer import render_html
from gxsheet.document.model import Document, Heading, Paragraph, TableBlock
from gxsheet.schema.grid import grid
from gxsheet.workbook.reader import read_workbook

HOSTILE = ("<script>alert(1)</script>", "&amp;", "“引号”", "</table>", "a < b && c > d", '"双引号" \'单引号\'',
           "<p class=\"x\">", "&lt;", "]]>", "<!-- -->")
MARKUP = st.sampled_from(["<", ">", "&", "&amp;", "&lt;", "&#60;", "&#x3C;", "&nbsp", "<p>", "</p>", "<br>", "<script>",
                          "</style>", "<!--", "-->", "<![CDATA[", '"', "'", "“", "”", "\n", "\r\n", "\t", "\x00", "　"])
BANNER = "【未通过校验：有2处错误，本稿仅供核对，不得发布】"


@pytest.fixture(scope="module")
def doc(sample_workbook: Path) -> Document:
    return compose(read_workbook(sample_workbook))


@pytest.fixture(scope="module")
def page(doc: Document) -> str:
    return render_html(doc)


def expected_cells(block: TableBlock) -> dict[tuple[int, int], tuple[str, int, int, str]]:
    """What the grid says each cell of the printed form is: tag, rowspan, colspan, text."""
    return {(c.row, c.col): ("td" if c.key or not c.header else "th", c.rowspan, c.colspan,
                             block.values[c.key] if c.key else c.text)
            for c in grid(block.table).cells}


def test_page_parses_as_one_wrapped_html5_page(doc: Document, page: str) -> None:
    """The page parses cleanly, declares HTML5, UTF-8, zh-CN, the generator and the title, and one div holds it all."""
    p = parse(page)
    assert p.errors == [] and p.stack == []
    assert p.doctype.lower() == "doctype html"
    html_tag = next(a for t, a, _ in p.starts if t == "html")
    assert html_tag == {"lang": "zh-CN"}
    metas = [a for t, a, _ in p.starts if t == "meta"]
    assert {"charset": "utf-8"} in metas and {"name": "generator", "content": "gxsheet"} in metas
    assert p.of("title") == [doc.meta["title"]]
    divs = [(a, anc) for t, a, anc in p.starts if t == "div" and a.get("class") == "gxsheet-report"]
    assert len(divs) == 1 and divs[0][1] == ("html", "body")
    in_body = [(t, anc) for t, _, anc in p.starts if "body" in anc]
    assert in_body[0][0] == "div" and all("div" in anc for _, anc in in_body[1:])
    assert page.startswith("<!DOCTYPE html>\n") and page.count("<style>") == 1


def test_tables_are_the_printed_grid(doc: Document, page: str) -> None:
    """Each table rebuilt from rowspan/colspan has exactly the grid's cells, merges, header flags and values."""
    tables = parse(page).tables
    assert len(tables) == len(doc.tables()) == 3
    for parsed, block in zip(tables, doc.tables(), strict=True):
        g = grid(block.table)
        placed, taken = parsed.layout()
        assert len(parsed.rows) == g.rows
        assert taken == {(r, c) for r in range(g.rows) for c in range(g.cols)}, block.table.name
        got = {pos: (cell.tag, cell.rowspan, cell.colspan, cell.text) for pos, cell in placed.items()}
        assert got == expected_cells(block), block.table.name
        assert {c.key for c in g.cells if c.key} == set(block.values)


def test_value_cells_are_centred_numbers(doc: Document, page: str) -> None:
    """Every value cell is a centred td.num (by class and attribute); label and header cells are not."""
    p = parse(page)
    for parsed, block in zip(p.tables, doc.tables(), strict=True):
        placed, _ = parsed.layout()
        for c in grid(block.table).cells:
            cell = placed[(c.row, c.col)]
            is_num = cell.attrs.get("class") == "num" and cell.attrs.get("align") == "center"
            assert is_num == bool(c.key), (block.table.name, c)
    rule = re.search(r"td\.num\s*\{([^}]*)\}", p.style)
    assert rule and "text-align: center" in rule.group(1)
    cells = re.search(r"table\.gxsheet-table th,\s*table\.gxsheet-table td\s*\{([^}]*)\}", p.style)
    assert cells and "border: 1px solid #000" in cells.group(1)
    assert re.search(r"table\.gxsheet-table\s*\{[^}]*border-collapse: collapse", p.style)


def test_header_rows_go_in_thead_or_their_blocks_tbody(doc: Document, page: str) -> None:
    """A one-block table has its leading header rows in <thead>; a stacked table has a <tbody> per block."""
    for parsed, block in zip(parse(page).tables, doc.tables(), strict=True):
        g = grid(block.table)
        heads = [r for r in g.header_rows if r - 1 not in g.header_rows]
        if len(heads) == 1:
            lead = [r for r in range(g.rows) if all(x in g.header_rows for x in range(r + 1))]
            assert [tag for tag, _ in parsed.groups] == ["thead", "tbody"]
            assert [r for r, s in enumerate(parsed.sections) if s == "thead"] == lead
        else:
            assert [tag for tag, _ in parsed.groups] == ["tbody"] * len(heads)
            starts = [sum(n for _, n in parsed.groups[:i]) for i in range(len(parsed.groups))]
            assert starts == heads
    table_two = next(b for b in doc.tables() if len(b.table.blocks) > 1)
    assert len(grid(table_two.table).header_rows) > 2  # the stacked case is really exercised


def test_headings_and_paragraphs_in_order(doc: Document, page: str) -> None:
    """The title lines, the six <h2> parts, the <h3> sections and every paragraph appear in document order."""
    p = parse(page)
    assert p.of("h1") == ["\n".join(doc.title)]
    assert p.of("h2") == doc.headings(1) and len(doc.headings(1)) == 6
    assert p.of("h3") == doc.headings(2)
    paragraphs = [(t, c, text) for t, c, text in p.texts if t == "p"]
    want: list[tuple[str, str, str]] = []
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            want.append(("p", b.style, b.text))
        elif isinstance(b, TableBlock):
            want += [("p", "note", n) for n in b.notes]
    assert paragraphs == want


def test_no_external_references(page: str) -> None:
    """Nothing in the page loads anything: no src, href, @import, url(), http, script, link, image or frame."""
    low = page.lower()
    for needle in ("src=", "href=", "@import", "url(", "http", "<script", "<link", "<img", "<iframe", "javascript:"):
        assert needle not in low, needle
    p = parse(page)
    allowed = {"lang", "charset", "name", "content", "class", "role", "rowspan", "colspan", "align", "border",
               "cellspacing", "cellpadding", "width", "style"}
    for tag, attrs, _ in p.starts:
        assert tag not in {"script", "link", "img", "iframe", "object", "embed", "base", "svg", "form"}, tag
        assert set(attrs) <= allowed, (tag, attrs)
        assert "url" not in attrs.get("style", "")


def hostile_document(doc: Document, text: str) -> Document:
    """The sample with staff text replaced by hostile text wherever staff text can reach the page."""
    blocks: list[Heading | Paragraph | TableBlock] = []
    for b in doc.blocks:
        if isinstance(b, Paragraph) and b.style == "body":
            blocks.append(dataclasses.replace(b, text=text))
        elif isinstance(b, Heading) and b.level == 2:
            blocks.append(dataclasses.replace(b, text=text))
        elif isinstance(b, TableBlock):
            values = {k: text if i % 7 == 0 else v for i, (k, v) in enumerate(b.values.items())}
            blocks.append(dataclasses.replace(b, values=values, notes=(text, f"注：{text}")))
        else:
            blocks.append(b)
    return dataclasses.replace(doc, unit=text, title=(text, f"{text}年度报告"), blocks=tuple(blocks),
                               unchecked=text, meta={**doc.meta, "title": text})


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_escaped_and_round_trips(doc: Document, text: str) -> None:
    """Markup typed by staff comes out as text: nothing new is parsed as a tag and every string reads back equal."""
    bad = hostile_document(doc, text)
    page = render_html(bad)
    p = parse(page)
    assert p.errors == [] and p.stack == []
    plain = parse(render_html(hostile_document(doc, "正常文字")))
    assert [(t, a) for t, a, _ in p.starts] == [(t, a) for t, a, _ in plain.starts]  # no element added or lost
    assert p.of("title") == [text]
    assert p.of("h1") == [f"{text}\n{text}年度报告"]
    assert p.of("p", "unchecked") == [text]
    assert p.of("h3") == bad.headings(2)
    assert p.of("p", "body") == [b.text for b in bad.blocks if isinstance(b, Paragraph) and b.style == "body"]
    assert p.of("p", "note") == [text, f"注：{text}"] * 3
    for parsed, block in zip(p.tables, bad.tables(), strict=True):
        placed, _ = parsed.layout()
        got = {pos: (cell.tag, cell.rowspan, cell.colspan, cell.text) for pos, cell in placed.items()}
        assert got == expected_cells(block)
    assert html.escape(text) in page


def test_script_tag_is_escaped_literally(doc: Document) -> None:
    """A <script> in staff text is written as &lt;script&gt;, and “ ” and & survive as characters."""
    page = render_html(hostile_document(doc, "<script>alert(1)</script> “引号” &amp;"))
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; “引号” &amp;amp;" in page


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.lists(st.one_of(st.text(st.characters(exclude_categories=["Cs"]), max_size=6), MARKUP),
                     max_size=12).map("".join),
       style=st.sampled_from(["opening", "body", "item", "closing", "warning"]))
def test_paragraph_text_round_trips(doc: Document, text: str, style: str) -> None:
    """Whatever text a paragraph holds, the parsed page gives back exactly that text in a <p> of its style."""
    small = dataclasses.replace(doc, blocks=(Heading(1, "一、总体情况"), Paragraph(text, style)))
    p = parse(render_html(small))
    assert p.errors == []
    assert p.texts[-1] == ("p", style, text)


def test_unchecked_banner_only_when_unchecked(doc: Document, page: str) -> None:
    """The red banner is absent from a checked report and comes first, before the title, in an unchecked one."""
    assert doc.unchecked == ""
    p = parse(page)
    assert p.of("p", "unchecked") == [] and 'class="unchecked"' not in page
    flagged = parse(render_html(dataclasses.replace(doc, unchecked=BANNER)))
    assert flagged.of("p", "unchecked") == [BANNER]
    body = [(t, a) for t, a, anc in flagged.starts if "div" in anc]
    assert body[0] == ("p", {"class": "unchecked", "role": "alert"}) and body[1][0] == "h1"
    assert re.search(r"p\.unchecked\s*\{[^}]*color: #c00", flagged.style)


def test_output_is_deterministic(sample_workbook: Path, doc: Document, page: str) -> None:
    """The same document gives the same bytes, and so does composing the same workbook again."""
    assert render_html(doc) == page
    assert render_html(compose(read_workbook(sample_workbook))).encode() == page.encode("utf-8")


def test_css_is_the_template_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, doc: Document) -> None:
    """The page inlines template/report.css as an office restyled it, and refuses CSS that would load anything."""
    css = templates.read_text("report.css")
    assert "p.closing {" in css and "p.closing {" in render_html(doc)
    monkeypatch.setenv(templates.ENV_VAR, str(tmp_path))
    (tmp_path / "report.css").write_text("/* 本单位样式，勿用 url() 或 http 地址 */\np.body { color: #333; }\n",
                                         encoding="utf-8")
    page = render_html(doc)
    assert "p.body { color: #333; }" in page and "本单位样式" not in page
    for bad in ('@import "x.css";', "div.gxsheet-report { background: url(x.png); }", "p.body { color: red; }</style>",
                'p.body { font-family: "https:x"; }', "p.body { background: expression(alert(1)); }"):
        (tmp_path / "report.css").write_text(bad, encoding="utf-8")
        with pytest.raises(templates.TemplateProblem, match="自包含"):
            render_html(doc)
