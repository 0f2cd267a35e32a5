"""The web-page reader's own tokenizer reads pages as html.parser does: the same paragraphs, tables,
title and notes, on the real pages and on pages made of the markup real sites serve."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shared import shared

from gxsheet.published import html as html_reader
from gxsheet.published.model import Published
from gxsheet.published.tags import feed


@contextmanager
def _stdlib() -> Iterator[None]:
    """The reader driven by html.parser itself, as it was before the tokenizer."""
    real = html_reader.feed

    def by_html_parser(text: str, sink: object, dispatch: object, wanted: object) -> None:
        assert isinstance(sink, html_reader._Builder)
        sink.feed(text)
        sink.close()

    html_reader.feed = by_html_parser  # type: ignore[assignment]
    try:
        yield
    finally:
        html_reader.feed = real


def both(page: str) -> tuple[Published, Published]:
    with _stdlib():
        expected = html_reader.parse(page, "页.html")
    return expected, html_reader.parse(page, "页.html")


@pytest.mark.parametrize("name", ["pingtan_2021.html", "pingtan_2022.html", "shuyang_fgj_2023.html"])
def test_real_pages_read_as_with_html_parser(name: str) -> None:
    expected, got = both(shared("reports", name).read_text(encoding="utf-8"))
    assert got.tables and got.paragraphs
    assert got == expected


PIECES = st.sampled_from([
    "<p>", "</p>", "<div class=\"article\">", "<div id='content'>", "</div>", "<br>", "<br/>", "<hr>",
    "<span style='font-family:宋体'>", "</span>", "<font color=red>", "</font>", "<o:p>", "</o:p>", "<b>", "</b>",
    "<a href=\"/x?a=1&amp;b=2\">", "</a>", "<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>",
    "<td rowspan=\"2\">", "<td colspan=3>", "<th>", "</th>", "<tbody>", "</tbody>", "<ul>", "<li>", "</ul>",
    "<h1>", "</h1>", "<h2 class=\"title\">", "</h2>", "<title>", "</title>", "<script>var a = '<p>x</p>';</script>",
    "<style>p > span { color: red }</style>", "<!-- a <p>comment</p> -->", "<!DOCTYPE html>", "<?xml version='1.0'?>",
    "<div ms-visible=\"a.length > 0\">", "<img alt='a>b' src=x>",
    "<meta name=\"ArticleTitle\" content=\"某局2024年政府信息公开工作年度报告\">",
    "<nav>", "</nav>", "<div class=\"share\">", "&amp;", "&lt;", "&#21153;", "&nbsp;", "a < b", "x>y",
    "一、总体情况", "（一）主动公开", "本年新收", "12", "0", "予以公开", "某局2024年政府信息公开工作年度报告",
    "  ", "\n", "\t", "全年公开信息12条。", "<P CLASS=MsoNormal>", "</P>", "<TD>", "</TD>", "<Table border=1>",
])


@given(st.lists(PIECES, max_size=60))
@settings(max_examples=300, deadline=None)
def test_pages_of_real_markup_read_as_with_html_parser(pieces: list[str]) -> None:
    expected, got = both("<html><body>" + "".join(pieces) + "</body></html>")
    assert got == expected


class _Events:
    def __init__(self) -> None:
        self.events: list[tuple[str, ...]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(("start", tag, *(f"{k}={v}" for k, v in attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.events.append(("end", tag))

    def handle_data(self, data: str) -> None:
        self.events.append(("data", data))


def events(text: str, dispatch: set[str]) -> list[tuple[str, ...]]:
    sink = _Events()
    feed(text, sink, dispatch, dispatch)
    return sink.events


def test_events() -> None:
    page = ("<DIV Class=\"a&amp;b\" data-x='1>2'>甲<span>乙</span>&lt;丙<br/>"
            "<!-- <div>no</div> --><script>if (a<b) {}</script>丁<td rowspan=2 nowrap>")
    assert events(page, {"div", "br", "script", "td"}) == [
        ("start", "div", "class=a&b", "data-x=1>2"), ("data", "甲乙<丙"), ("start", "br"), ("end", "br"),
        ("start", "script"), ("data", "if (a<b) {}"), ("end", "script"), ("data", "丁"),
        ("start", "td", "rowspan=2", "nowrap=None")]


def test_hostile_markup_is_text_and_finishes() -> None:
    """Unclosed quotes, tags and comments by the hundred thousand: linear, and the text kept."""
    assert events("<a '" * 100_000, {"a"}) == [("data", "<a '" * 100_000)]
    assert events("<div " * 100_000, {"div"}) == [("data", "<div " * 100_000)]
    assert events("x<!--" * 100_000, set()) == [("data", "x<!--" * 100_000)]
    assert events("<p>a<!--b>c", {"p"}) == [("start", "p"), ("data", "a<!--b>c")]  # as html.parser
    assert events("<p>a" + "<b>" * 100_000, {"p"}) == [("start", "p"), ("data", "a")]
