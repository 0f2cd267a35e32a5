"""The report as GB/T 9704 lays it out and as a phone or a CMS shows it (issue 11).

28 characters a line on the rendered page, the 落款 indents of §7.3.5.2, contact items that do
not stretch a justified line, and the inline styles that survive a CMS editor stripping <style>.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from engine import soffice
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from gxsheet.document.build import write
from gxsheet.document.html_writer import render_html
from gxsheet.document.model import Document, Paragraph, signature_indents, width
from gxsheet.schema import SCHEMA

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CJK_LINE = re.compile(r"[^\x00-\x7f]+")  # a line of Chinese text and full-width punctuation only


def _paragraphs(path: Path) -> list[etree._Element]:
    with zipfile.ZipFile(path) as z:
        return list(etree.fromstring(z.read("word/document.xml")).iter(f"{W}p"))


def _style_of(p: etree._Element) -> str:
    s = p.find(f"{W}pPr/{W}pStyle")
    return "" if s is None else str(s.get(f"{W}val"))


def _pitch(path: Path, style_id: str) -> float:
    """Advance of one character of the style in twips, resolved along basedOn: size plus spacing."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/styles.xml"))
    styles = {s.get(f"{W}styleId"): s for s in root.iter(f"{W}style")}
    size, spacing, sid = None, None, style_id
    while sid:
        style = styles[sid]
        sz, sp = style.find(f"{W}rPr/{W}sz"), style.find(f"{W}rPr/{W}spacing")
        size = size if size is not None or sz is None else int(sz.get(f"{W}val")) * 10
        spacing = spacing if spacing is not None or sp is None else int(sp.get(f"{W}val"))
        based = style.find(f"{W}basedOn")
        sid = None if based is None else based.get(f"{W}val")
    return float((size or 320) + (spacing or 0))


@pytest.mark.engine
def test_rendered_body_lines_hold_28_characters(report: Document, tmp_path: Path) -> None:
    """LibreOffice (with template/fonts.conf, as `build --format pdf`) sets 28 characters a full line."""
    soffice()
    pdf = tmp_path / "report.pdf"
    write(report, pdf, "pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    prose = text.split(SCHEMA.tables[0].title)[0]  # part 一: paragraphs of body text, no table
    lengths = [len(line) for raw in prose.splitlines() if (line := raw.replace(" ", ""))
               and CJK_LINE.fullmatch(line)]
    assert len(lengths) >= 20
    assert max(lengths) == 28, lengths
    assert lengths.count(28) >= 10, lengths  # every full line, not one by chance
    assert 27 not in lengths[:5] or lengths.count(28) > lengths.count(27), lengths


def test_signature_indents_follow_gbt_9704() -> None:
    """署名 右空二字, date two characters right of its first character; a long date 右空二字 instead."""
    assert signature_indents("某某县人民政府办公室", "2025年1月20日") == (2.0, 3.5)
    assert signature_indents("某局", "2025年1月20日") == (8.5, 2.0)
    assert signature_indents("柴胡店镇人民政府", "2025年1月20日") == (2.5, 2.0)


@given(st.text(alphabet="镇人民政府办公室局委", min_size=1, max_size=20),
       st.dates().map(lambda d: f"{d.year}年{d.month}月{d.day}日"))
def test_signature_offset_is_two_characters(unit: str, date: str) -> None:
    u, d = signature_indents(unit, date)
    assert min(u, d) >= 2 and 2.0 in (u, d)
    assert (u + width(unit)) - (d + width(date)) == 2  # the date starts two characters right of the unit


def test_closing_indents_in_the_docx(report: Document, written: Path) -> None:
    """The two 落款 paragraphs carry right indents in twips of the character pitch, as §7.3.5.2 asks."""
    closing = [p for p in _paragraphs(written) if _style_of(p) == "ReportClosing"]
    assert len(closing) == 2
    texts = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in closing]
    assert texts[0] == report.unit
    pitch = _pitch(written, "ReportClosing")
    rights = [int(p.find(f"{W}pPr/{W}ind").get(f"{W}right")) / pitch for p in closing]
    starts = [r + width(t) for r, t in zip(rights, texts, strict=True)]  # from the right margin
    assert starts[0] - starts[1] == pytest.approx(2, abs=0.01)
    assert min(rights) == pytest.approx(2, abs=0.01) and all(r >= 1.99 for r in rights)
    blocks = [b for b in report.blocks if isinstance(b, Paragraph) and b.style == "closing"]
    assert [b.right for b in blocks] == list(signature_indents(texts[0], texts[1]))


def test_closing_indents_in_the_html(report: Document) -> None:
    page = render_html(report)
    margins = re.findall(r'<p class="closing" style="[^"]*margin-right: ([\d.]+)em[^"]*">', page)
    blocks = [b for b in report.blocks if isinstance(b, Paragraph) and b.style == "closing"]
    assert [float(m) for m in margins] == [b.right for b in blocks]


def test_contact_items_do_not_stretch_a_line(report: Document, written: Path) -> None:
    """The e-mail address stands in a left-aligned paragraph of its own (docx and HTML)."""
    contact = [b.text for b in report.blocks if isinstance(b, Paragraph) and b.style == "contact"]
    assert any("@" in t for t in contact) and all(t.count("：") == 1 for t in contact)
    opening = [b.text for b in report.blocks if isinstance(b, Paragraph) and b.style == "opening"]
    assert not any("@" in t for t in opening)
    for p in _paragraphs(written):
        text = "".join(t.text or "" for t in p.iter(f"{W}t"))
        if "@" in text:
            assert p.find(f"{W}pPr/{W}jc").get(f"{W}val") == "left"
    page = render_html(report)
    mail = re.search(r'<p class="contact" style="([^"]*)">[^<]*@', page)
    assert mail is not None and "text-align: left" in mail.group(1)


def test_title_keeps_its_words_whole_on_a_phone(report: Document) -> None:
    page = render_html(report)
    title = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.DOTALL).group(1)  # type: ignore[union-attr]
    assert re.search(r'<span style="white-space: nowrap">年度[^<]*</span>', title)
    assert re.search(rf'<span style="white-space: nowrap">{report.year}年</span>', title)
    assert re.sub(r"<[^>]+>", "", title) == "".join(report.title)


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {k: v or "" for k, v in attrs}))


def _stripped(page: str) -> str:
    """What a CMS editor leaves: no <style> element, no class attributes."""
    page = re.sub(r"<style>.*?</style>", "", page, flags=re.DOTALL)
    return re.sub(r' class="[^"]*"', "", page)


def test_a_page_stripped_of_style_and_classes_still_reads_as_the_report(report: Document) -> None:
    """Heading sizes and weight, paragraph indents, table borders and centred numbers stay inline."""
    parser = _Elements()
    parser.feed(_stripped(render_html(report)))
    assert "<style" not in _stripped(render_html(report))
    seen: set[str] = set()
    for tag, attrs in parser.found:
        style = attrs.get("style", "")
        if tag in ("h1", "h2", "h3"):
            assert "font-size:" in style and "font-weight:" in style, (tag, style)
        elif tag == "p":
            assert "font-size:" in style, style
        elif tag in ("table", "th", "td"):
            assert "border:" in style, (tag, style)
            if tag == "th" or attrs.get("align") == "center":
                assert "text-align: center" in style, (tag, style)
        seen.add(tag)
    assert {"h1", "h2", "h3", "p", "table", "th", "td"} <= seen
    indented = [a["style"] for t, a in parser.found if t == "p" and "text-indent: 2em" in a.get("style", "")]
    assert len(indented) >= 10
