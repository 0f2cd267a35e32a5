"""The web-page reader's own tokenizer reads pages as html.parser does: the same paragraphs, tables,
title and notes, on the real pages and on pages made of the markup real sites serve."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser

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


class _Reference(HTMLParser):
    """html.parser's own events, kept as feed promises them: tags in dispatch only (attributes for
    those in wanted), the text on either side of the others joined into one piece."""

    def __init__(self, dispatch: set[str], wanted: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.dispatch, self.wanted = dispatch, wanted
        self.events: list[tuple[str, ...]] = []
        self.text: list[str] = []

    def _flush(self) -> None:
        if self.text and "".join(self.text):
            self.events.append(("data", "".join(self.text)))
        self.text.clear()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.dispatch:
            self._flush()
            # a value-less attribute is left out when a tag has no "=" at all (feed reads no attributes then)
            kept = attrs if tag in self.wanted and any(v is not None for _, v in attrs) else []
            self.events.append(("start", tag, *(f"{k}={v}" for k, v in kept)))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.dispatch:
            self._flush()
            self.events.append(("end", tag))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def reference(text: str, dispatch: set[str], wanted: set[str]) -> list[tuple[str, ...]]:
    parser = _Reference(dispatch, wanted)
    parser.feed(text)
    parser.close()
    parser._flush()
    return parser.events


def merged(text: str, dispatch: set[str], wanted: set[str]) -> list[tuple[str, ...]]:
    sink = _Events()
    feed(text, sink, dispatch, wanted)
    out: list[tuple[str, ...]] = []
    for e in sink.events:
        if e[0] == "start" and e[1] not in wanted:
            e = e[:2]
        if e[0] == "data" and out and out[-1][0] == "data":
            out[-1] = ("data", out[-1][1] + e[1])
        elif e != ("data", ""):
            out.append(e)
    return out


_NAMES = st.sampled_from(["p", "P", "div", "DiV", "td", "TD", "table", "tr", "br", "span", "b", "a", "script",
                          "SCRIPT", "style", "Style", "title", "meta", "x-y", "o:p", "h1", "li"])
_VALUE_CHARS = st.sampled_from(list("ab 1<>/='\"&;#x-") + ["&amp;", "&lt;", "&#21153;", "&quot;", "中", "\n"])
_VALUES = st.lists(_VALUE_CHARS, max_size=8).map("".join)


@st.composite
def _attribute(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(["class", "ID", "rowspan", "colspan", "data-x", "nowrap", "content", "name", "a:b"]))
    value = draw(_VALUES)
    form = draw(st.sampled_from(["bare", "double", "single", "none", "spaced"]))
    if form == "none":
        return name
    if form == "double":
        return f'{name}="{value.replace(chr(34), "")}"'
    if form == "single":
        return f"{name}='{value.replace(chr(39), '')}'"
    if form == "spaced":
        return f'{name} = "{value.replace(chr(34), "")}"'
    bare = "".join(c for c in value if c not in " >\n" + chr(34) + chr(39))
    bare = bare.lstrip("=") or "x"  # an empty bare value, or one starting "=", is read differently: not real markup
    return f"{name}={bare}"


@st.composite
def _tag(draw: st.DrawFn) -> str:
    name = draw(_NAMES)
    attrs = draw(st.lists(_attribute(), max_size=3))
    closing = draw(st.sampled_from(["", "", "/"]))
    end = draw(st.sampled_from([">", ">", "/>", " />", " >"]))
    if closing:
        return f"</{name}>"
    return f"<{name}{''.join(' ' + a for a in attrs)}{end}"


_TEXT = st.sampled_from([
    "甲", "一、总体情况", "12", " ", "\n", "a < b", "x>y", "<", ">", "&", "&amp;", "&lt", "&#21153;", "&#x4e2d;",
    "&nbsp;", "&bogus;", "&am", "p;", "<!--", "-->", "<!-- c -->", "<![CDATA[x<p>y]]>", "<!DOCTYPE html>",
    "<?php echo 1 ?>", "&nb", "sp;", "&#", "x4e2d;", "&#2", "1153;", "&amp", ";",
    "</>", "< p>", "<3", "'", "\"", "</ p>", "<a", "<!", "<?", "--!>", "<!---->", "<!--->",
    "</script>", "</style >", "</SCRIPT>",
])
_PIECE = st.one_of(_tag(), _TEXT)


@given(st.lists(_PIECE, max_size=40))
@settings(max_examples=1500, deadline=None)
def test_events_as_html_parser_gives_them(pieces: list[str]) -> None:
    """Arbitrary markup, tag for tag: the same events as html.parser (the tags a reader dispatches)."""
    page = "".join(pieces)
    dispatch = {"p", "div", "td", "table", "tr", "br", "script", "style", "title", "meta", "h1", "li"}
    wanted = {"td", "meta", "div"}
    assert _unscripted(merged(page, dispatch, wanted)) == _unscripted(reference(page, dispatch, wanted))


def _unscripted(events: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Without the text of a <script> or <style> never closed: html.parser's versions differ on it
    (3.11 drops it, later ones keep it) and the reader drops it either way."""
    if any(e[:2] == ("start", t) for e in events[-2:] for t in ("script", "style")):
        if events and events[-1][0] == "data":
            return events[:-1]
    return events


@given(st.lists(_PIECE, max_size=60))
@settings(max_examples=300, deadline=None)
def test_generated_pages_read_as_with_html_parser(pieces: list[str]) -> None:
    expected, got = both("<html><body>" + "".join(pieces) + "</body></html>")
    assert got == expected


@pytest.mark.parametrize("page", [
    "<td title=\"it's\" alt='a>b'>甲</td>",  # quotes counted, not read: the ">" in alt ended the tag
    "<p>a<![CDATA[x<p>y]]>b</p>",  # a marked section ends at "]]>", not at the first ">"
    "<p>a</ p>b",  # an end tag with a space after "</"
    "<p class=/>a",  # "/" in an unquoted value: not self-closing
    "<a href=/x/>a<p>b",
    "<p>a<!--<p>b",  # a comment never closed: text up to the next ">"
    "&am<span>p;", "&l<b>t;x", "a&#2<font>1153;b",  # a reference is never made across a left-out tag
    "<p class=\"a\"\">甲</p><p>乙\"</p>",  # a stray quote is no value: it swallowed the text up to the next quote
    "<td width=50 nowrap'>1</td><td>2'</td>", "<p '>'", "<p a='x' \"b>c\" d=e>t</p>",
])
def test_faults_found_by_the_property(page: str) -> None:
    """Each a fault the generated markup found: the tokenizer read it other than html.parser."""
    dispatch = {"p", "td", "a"}
    assert merged(page, dispatch, dispatch) == reference(page, dispatch, dispatch)
