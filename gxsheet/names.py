"""File names as people are shown them, whatever bytes the file system holds.

A folder unpacked from a zip made on a Chinese Windows often has GBK-encoded names. On Linux
Python keeps such bytes as lone surrogates, which cannot be written to a workbook, a JSON
file or a UTF-8 console. Each path component is shown as UTF-8 if it is, else GB18030 (GBK's
superset) if it is, else with the odd bytes escaped (\\xb2).
"""

from __future__ import annotations

import os
import re
from pathlib import PurePath


def _has_surrogates(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def _part(raw: bytes) -> str:
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "backslashreplace")


def readable(path: PurePath | str) -> str:
    """The path as text that any output can hold: GBK names decoded, other bad bytes escaped."""
    text = str(path)
    if not _has_surrogates(text):
        return text
    try:
        raw = os.fsencode(text)
    except UnicodeEncodeError:  # surrogates that stand for no byte (Windows, or made up): escape them
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    sep = os.sep.encode()
    return sep.decode().join(_part(piece) for piece in raw.split(sep))


_RUN = re.compile("[\udc80-\udcff]+")


def clean(text: str) -> str:
    """A message that quotes a file name: each run of escaped bytes decoded as above, other surrogates escaped."""
    if not _has_surrogates(text):
        return text
    text = _RUN.sub(lambda m: _part(bytes(ord(ch) - 0xDC00 for ch in m.group())), text)
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
