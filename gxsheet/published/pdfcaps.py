"""What a PDF page may cost before pdfminer interprets it: content size and operators, forms included.

pdfminer decodes and interprets a page's content in one go, so the time a page takes is bounded
beforehand: its content streams and the form XObjects they draw (nested forms included, each
once) are decoded here with a byte cap (a Flate bomb stops at the cap), and their tokens
counted. A report page has about 10,000 tokens; interpreting MAX_TOKENS takes a few seconds.
"""

from __future__ import annotations

import re
import zlib
from typing import Any

from pdfminer.pdftypes import PDFStream, resolve1

from .common import PublishedError

MAX_CONTENT = 4 * 1024 * 1024  # decoded bytes of one page's content and forms
MAX_TOKENS = 200_000  # operators and operands of one page
MAX_STREAMS = 500  # content streams and forms of one page
MAX_DEPTH = 8  # forms inside forms
_FLATE = ("FlateDecode", "Fl")
_INVISIBLE = re.compile(rb"(?<![\d.])3\s+Tr\b")
_SMALL = 256 * 1024  # streams under other filters are decoded by pdfminer only when this small


def _decoded(stream: PDFStream, cap: int) -> bytes:
    """The stream's data, never more than cap + 1 bytes of it."""
    raw = stream.rawdata if stream.rawdata is not None else stream.data or b""
    names = [str(getattr(f, "name", f)) for f, _ in stream.get_filters()]
    if not names:
        return raw[:cap + 1]
    if names == [n for n in names if n in _FLATE][:1] and len(names) == 1:
        try:
            return zlib.decompressobj().decompress(raw, cap + 1)
        except zlib.error:
            return b""
    if len(raw) > _SMALL:
        return b"x" * (cap + 1)  # too large to decode safely: counted as over the cap
    data = stream.get_data()
    return data[:cap + 1] if isinstance(data, bytes) else b""


def _forms(resources: Any) -> list[PDFStream]:
    res = resolve1(resources)
    xobjects = resolve1(res.get("XObject")) if isinstance(res, dict) else None
    if not isinstance(xobjects, dict):
        return []
    out = []
    for value in list(xobjects.values())[:MAX_STREAMS]:
        x = resolve1(value)
        if isinstance(x, PDFStream) and str(getattr(x.get("Subtype"), "name", "")) == "Form":
            out.append(x)
    return out


def check_page(page_obj: Any, number: int, name: str) -> bool:
    """PublishedError when the page's content, forms included, is larger than a report page can be;
    else whether it writes invisible text (render mode 3 Tr: the text layer OCR puts over a scan)."""
    todo: list[tuple[PDFStream, int]] = [(s, 0) for s in resolve1(page_obj.contents or [])
                                         if isinstance(s, PDFStream)]
    todo += [(f, 1) for f in _forms(page_obj.resources)]
    seen: set[int] = set()
    size = tokens = 0
    invisible = False
    while todo:
        stream, depth = todo.pop()
        if id(stream) in seen or depth > MAX_DEPTH:
            continue
        seen.add(id(stream))
        data = _decoded(stream, MAX_CONTENT - size)
        size, tokens = size + len(data), tokens + len(data.split())
        invisible = invisible or _INVISIBLE.search(data) is not None
        if size > MAX_CONTENT or tokens > MAX_TOKENS or len(seen) > MAX_STREAMS:
            raise PublishedError(f"PDF 第{number}页内容过多，无法读取：{name}")
        if depth:
            todo += [(f, depth + 1) for f in _forms(stream.get("Resources"))]
    return invisible
