"""Parse or measure an XML part streaming, giving up past a byte or element cap.

A small zip can unpack to a hundred megabytes of `<row/>` or `<w:p/>`; building that tree
takes a minute and gigabytes. Here the part is fed to the (defused) expat parser in blocks
and the count is checked as elements start, so the work stops at the cap, not after the tree.
"""

from __future__ import annotations

from typing import IO
from xml.etree.ElementTree import Element, TreeBuilder

from defusedxml.ElementTree import DefusedXMLParser

CHUNK = 64 * 1024


class TooBig(Exception):
    """The part passed max_bytes or max_elements."""


class Broken(Exception):
    """The part is not well-formed XML (or not readable from its archive)."""


class _Counted(TreeBuilder):
    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.elements = 0

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        self.elements += 1
        if self.elements > self.limit:
            raise TooBig
        return super().start(tag, attrs)


class _Counter:
    """A parser target that keeps nothing: only counts, for parts another library will parse."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.elements = 0

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self.elements += 1
        if self.elements > self.limit:
            raise TooBig

    def close(self) -> None:
        return None


def _feed(fh: IO[bytes], target: object, max_bytes: int) -> object:
    parser = DefusedXMLParser(target=target)
    seen = 0
    try:
        while block := fh.read(CHUNK):
            seen += len(block)
            if seen > max_bytes:
                raise TooBig
            parser.feed(block)
        return parser.close()
    except TooBig:
        raise
    except Exception:  # expat, defusedxml and zlib raise several types for hostile or broken data
        raise Broken from None


def parse(fh: IO[bytes], max_bytes: int, max_elements: int) -> Element:
    """The part's root element; TooBig past a cap, Broken if it is not XML."""
    root = _feed(fh, _Counted(max_elements), max_bytes)
    if not isinstance(root, Element):
        raise Broken
    return root


def measure(fh: IO[bytes], max_bytes: int, max_elements: int) -> int:
    """The part's element count, without keeping anything; TooBig past a cap, Broken if it is not XML."""
    counter = _Counter(max_elements)
    _feed(fh, counter, max_bytes)
    return counter.elements
