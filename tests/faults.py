"""Hostile and broken inputs, each made from a good one, for the fault-class tests and the fuzzer.

Each maker takes a good file and returns the bytes of a bad one; nothing here runs gxsheet.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import struct
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path


def rezip(data: bytes, change: Callable[[str, bytes], bytes], extra: dict[str, bytes] | None = None) -> bytes:
    """A zip with every member passed through change, plus extra members."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, change(info.filename, zin.read(info)))
        for name, body in (extra or {}).items():
            zout.writestr(name, body)
    return out.getvalue()


def shared_string_index(data: bytes, index: str) -> bytes:
    """Every shared-string reference of the 基本信息 sheet becomes index (e.g. "²", or 5,000 nines)."""
    def change(name: str, body: bytes) -> bytes:
        if name != "xl/worksheets/sheet2.xml":
            return body
        return re.sub(rb'(t="s"><v>)\d+(</v>)', lambda m: m[1] + index.encode() + m[2], body)

    return rezip(data, change)


def unknown_zip_version(data: bytes) -> bytes:
    """The first central-directory header claims a zip version no reader knows (Python: NotImplementedError)."""
    at = data.index(b"PK\x01\x02")
    return data[:at + 6] + struct.pack("<H", 0xFF) + data[at + 8:]


def duplicate_member(data: bytes, name: str = "xl/sharedStrings.xml") -> bytes:
    """A second member of the same name: Python reads the last, Excel the first."""
    import warnings

    out = io.BytesIO(data)
    with warnings.catch_warnings(), zipfile.ZipFile(out, "a") as zf:
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate: that is the point
        zf.writestr(name, b"<sst xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'/>")
    return out.getvalue()


def xml_bomb(data: bytes, member: str, filler: bytes, before: bytes, megabytes: int) -> bytes:
    """member with megabytes of filler inserted before `before`: a tiny file, a huge part."""
    def change(name: str, body: bytes) -> bytes:
        if name != member:
            return body
        count = megabytes * 1024 * 1024 // len(filler)
        return body.replace(before, filler * count + before, 1)

    return rezip(data, change)


def gbk_name(folder: Path, text: str, suffix: str) -> Path:
    """A path in folder whose file name is text encoded as GBK (undecodable as UTF-8)."""
    return Path(os.fsdecode(os.fsencode(folder) + b"/" + text.encode("gbk") + suffix.encode()))


GBK_NAMES = sys.platform != "win32" and sys.getfilesystemencoding().lower() in ("utf-8", "utf8")


def fingerprint(path: Path) -> object:
    """What must not change: a file's bytes, or a folder's tree of them."""
    if path.is_dir():
        return sorted((str(p.relative_to(path)), fingerprint(p)) for p in path.rglob("*") if p.is_file())
    if not path.exists():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()
