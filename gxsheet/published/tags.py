"""A fast tokenizer for report pages: the start-tag, end-tag and text events html.parser gives, for
less (html.parser runs several Python-level regex calls a tag; a 250 KB page with 4,000 tags took
14 ms, more than everything the audit does after it).

`feed(text, sink, dispatch, wanted)` calls sink.handle_starttag(tag, attrs), handle_endtag(tag) and
handle_data(text) as html.parser with convert_charrefs=True does: tag and attribute names in lower
case, character references resolved, `<br/>` as a start and an end, comments, declarations and
processing instructions skipped, the content of <script> and <style> (which must be in `dispatch`)
taken as text up to their end tag. Only tags in `dispatch` make events: the others (<span> and
<font> by the thousand in a Word-made page) are left out and the text on either side of them is
handed over as one piece, as a reader joining the pieces sees it. Attributes are parsed only for
the tags in `wanted` (the others get an empty list).

Linear on any input: no regex here has a nested quantifier, and every forward search remembers
what it found, so a page of a million unclosed "<a '" is scanned once, not once per "<".
"""

from __future__ import annotations

import gc
import re
from collections.abc import Container
from html import unescape
from typing import Protocol

_UPTO = re.compile(r"[^>\"']*")  # inside a tag: up to its end or a quoted value
_ATTR = re.compile(r"([^\t\n\r\f />=][^\t\n\r\f />=]*)"  # a name, then perhaps = and a value
                   r"(?:[\t\n\r\f ]*(=)[\t\n\r\f ]*(?:\"([^\"]*)\"|'([^']*)'|([^\t\n\r\f >]*)))?")
# a tag's inside whose quoted values all close. A quote opens a value only after "=" (a stray one,
# class="a"">, is part of a name, as html.parser reads it); counting quotes is not enough either:
# title="it's" alt='a>b' has two of each. One way to read any inside (each part starts with its own
# character, the spaces after "=" taken possessively), so linear.
_QUOTES_CLOSED = re.compile(r"(?:[^=]++|=[\t\n\r\f ]*+(?:\"[^\"]*\"|'[^']*'|(?![\"'])))*+\Z")
RAW_TEXT = frozenset({"script", "style"})


class Sink(Protocol):
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None: ...

    def handle_endtag(self, tag: str) -> None: ...

    def handle_data(self, data: str) -> None: ...


class _Finder:
    """text.find with memory: positions only move forward, so a search that found nothing (or
    something further on) answers every later search for the same needle from before that point."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.last: dict[str, int] = {}

    def find(self, needle: str, start: int) -> int:
        found = self.last.get(needle)
        if found is not None and (found < 0 or found >= start):
            return found
        found = self.text.find(needle, start)
        self.last[needle] = found
        return found


def _attrs(inside: str) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    for name, equals, double, single, bare in _ATTR.findall(inside):
        value = (double or single or bare) if equals else None  # findall gives "" for a group not taken
        out.append((name.lower(), unescape(value) if value and "&" in value else value))
    return out


def _tag_end(find: _Finder, text: str, start: int) -> int:
    """The index of the ">" that ends a tag whose name ends at start, quotes respected; -1 if none."""
    at = start
    size = len(text)
    while True:
        at = _UPTO.match(text, at).end()  # type: ignore[union-attr]  # [^…]* always matches
        if at >= size:
            return -1
        if text[at] == ">":
            return at
        if not _opens_value(text, at, start):  # a stray quote: part of a name
            at += 1
            continue
        close = find.find(text[at], at + 1)
        if close < 0:  # an unclosed quote: the tag ends at the next ">" after it, as far as there is one
            return find.find(">", at + 1)
        at = close + 1


def _opens_value(text: str, at: int, start: int) -> bool:
    """Whether the quote at `at` opens a value: "=" (and perhaps spaces) before it, inside the tag."""
    before = at - 1
    while before >= start and text[before] in " \t\n\r\f":
        before -= 1
    return before >= start and text[before] == "="


def _slash_in_value(inside: str) -> bool:
    """Whether a tag's final "/" belongs to an unquoted value (`<p class=/>`, `<a href=x/>`): then
    the tag is not self-closing, as html.parser reads it. Rare, so the attributes are read only here."""
    if "=" not in inside:
        return False
    found = list(_ATTR.finditer(inside))
    return bool(found) and found[-1].end() == len(inside) and bool(found[-1][5])


def _text(raw: str) -> str:
    """A piece of text between two tags, its character references resolved. Each piece alone, before
    the pieces around a left-out tag are joined: html.parser never reads "&am<span>p;" as "&"."""
    return unescape(raw) if "&" in raw else raw


# A token: a tag up to the first ">" (a ">" inside a quoted value is caught after), or the start of
# a comment, declaration or processing instruction.
_TOKEN = re.compile(r"<(?:(/?)([a-zA-Z][^\t\n\r\f />\x00]*)([^>]*)>|(!--|[!?/]))")


def feed(text: str, sink: Sink, dispatch: Container[str], wanted: Container[str]) -> None:
    """Tokenize the whole page into sink's handlers (exceptions from the sink end the run): tags in
    dispatch only, with their attributes when in wanted; the text between others is joined.

    The cycle collector is paused meanwhile: a sink building a tree with parent links makes
    thousands of objects that all live on, and collecting them over and over cost a tenth of the
    time. They are collected as usual afterwards (the caller's caps bound how many there are)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        _feed(text, sink, dispatch, wanted)
    finally:
        if paused:
            gc.enable()


def _feed(text: str, sink: Sink, dispatch: Container[str], wanted: Container[str]) -> None:
    find = _Finder(text)
    pos = 0
    pending: list[str] = []  # text is handed over in one piece between tags, as html.parser does
    append = pending.append  # bound once: this loop runs for every tag of the page
    quotes_closed = _QUOTES_CLOSED.match
    read: dict[str, list[tuple[str, str | None]]] = {}  # a tag's inside -> its attributes: cells repeat theirs
    closed: dict[str, bool] = {}  # a tag's inside (with quotes) -> whether its quoted values all close
    # Up to the page's last ">" only: after it no tag can end, and `[^>]*` would run to the end from
    # every "<" there. A match inside a comment, <script> or a tag's quoted value is passed over
    # (it ends at the first ">", which is never after the end of what it stands in).
    for m in _TOKEN.finditer(text, 0, text.rfind(">") + 1):
        lt = m.start()
        if lt < pos:
            continue
        if lt > pos:
            piece = text[pos:lt]  # _text, inlined: this runs for every tag
            append(unescape(piece) if "&" in piece else piece)
        closing, name, inside, other = m.groups()
        end = m.end()
        if name is None:
            if other == "/" and (loose := _LOOSE_END.match(text, lt)):  # "</ p>" ends a p, as html.parser has it
                closing, name, inside, end = "/", loose[1], "", loose.end()
            else:
                pos = _skip(find, text, lt, other)
                if pos < 0:  # a comment never closed: text up to the next ">" (there is one), as html.parser has it
                    pos = find.find(">", lt + 1) + 1
                    append(_text(text[lt:pos]))
                continue
        pos = end
        if "\"" in inside or "'" in inside:
            ok = closed.get(inside)  # tags repeat their insides: each read once
            if ok is None:
                ok = closed[inside] = quotes_closed(inside) is not None
            if not ok:
                close = _tag_end(find, text, m.end(2))  # a ">" inside a quoted value: the tag goes on
                if close < 0:
                    append("<")  # "<" with no end: text, as html.parser makes it
                    pos = lt + 1
                    continue
                inside, pos = text[m.end(2):close], close + 1
        tag = name.lower()
        if tag not in dispatch:
            continue  # an inline tag the sink ignores (<span>, <o:p>, <font>): its text runs on with the text around it
        if pending:
            sink.handle_data("".join(pending))
            pending.clear()
        if closing:
            sink.handle_endtag(tag)
            continue
        if tag in wanted and "=" in inside:
            attrs = read.get(inside)
            if attrs is None:
                attrs = read[inside] = _attrs(inside)
            sink.handle_starttag(tag, attrs.copy())  # a copy: the sink may keep or change its list
        else:
            sink.handle_starttag(tag, [])
        if inside.endswith("/") and not _slash_in_value(inside):
            sink.handle_endtag(tag)
        elif tag in RAW_TEXT:
            pos = _raw_text(text, pos, tag, sink)
    pending.append(_text(text[pos:]))
    text_left = "".join(pending)
    if text_left:
        sink.handle_data(text_left)


def _skip(find: _Finder, text: str, lt: int, kind: str) -> int:
    """Past a comment (to its "-->"; -1 if it never ends), a declaration, processing instruction or
    "</ …>" (to ">")."""
    if kind == "!--":
        close = find.find("-->", lt + 4)
        return -1 if close < 0 else close + 3
    if kind == "!" and _CDATA.match(text, lt):  # a marked section ends at "]]>", as html.parser has it
        close = find.find("]]>", lt + 3)
        if close >= 0:
            return close + 3
    close = find.find(">", lt + 2)
    return len(text) if close < 0 else close + 1


_LOOSE_END = re.compile(r"</\s+([a-zA-Z][-.a-zA-Z0-9:_]*)\s*>")
_CDATA = re.compile(r"<!\[(?i:cdata|temp|ignore|include|rcdata)[^-_.a-zA-Z0-9]")
_RAW_END = {tag: re.compile(rf"</{tag}[\t\n\r\f />]", re.IGNORECASE) for tag in RAW_TEXT}


def _raw_text(text: str, pos: int, tag: str, sink: Sink) -> int:
    """<script>/<style> content: text up to its end tag (or the end of the page); where to go on."""
    m = _RAW_END[tag].search(text, pos)
    stop = m.start() if m else len(text)
    if stop > pos:
        sink.handle_data(text[pos:stop])
    if m is None:
        return len(text)
    close = text.find(">", m.start())
    sink.handle_endtag(tag)
    return len(text) if close < 0 else close + 1
