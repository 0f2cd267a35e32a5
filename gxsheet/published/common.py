"""What every reader of published reports shares: loading with a size cap, decoding, clean-up,
finding the title lines, the one error type, and telling a data table from a layout table.

The readers (html.py, docx.py, text.py, pdf.py) depend on this module and reader.py (the
dispatcher) depends on them; nothing here imports a reader, so the package has no import cycle.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from pathlib import Path

from ..names import clean
from ..schema.formats import TABLE_MARKERS
from .model import Published, Table

MAX_BYTES = 20 * 1024 * 1024  # larger files are refused: no report page comes near this
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# Chinese government sites declare gb2312/gbk but serve characters outside them: GB18030 is their superset.
_GB = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "ms936", "euc-cn", "csgb2312", "hz-gb-2312", "windows-936"}
_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\ufffe\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TITLE = re.compile(r"(?:19|20)\d{2}\s*年.{0,40}?(?:公开|政务).{0,20}?报告")
_TITLE_AFTER = re.compile(r"(?:公开|政务).{0,20}?报告\s*[(（]\s*(?:19|20)\d{2}\s*年度?\s*[)）]")


class PublishedError(Exception):
    """A file that cannot be read as a published report at all; `.message` says why, in one Chinese line."""

    def __init__(self, message: str) -> None:
        message = clean(message)  # a GBK file name must not make the message unprintable
        message = re.sub(r"[\x00-\x1f\x7f\u2028\u2029]+", " ", message).strip()  # one line, whatever the file name
        super().__init__(message)
        self.message = message


def load(path: Path) -> bytes:
    """The file's bytes; PublishedError when it is missing, not a file, empty or larger than MAX_BYTES."""
    try:
        if not path.exists():
            raise PublishedError(f"找不到文件：{path.name}")
        if not path.is_file():
            raise PublishedError(f"不是文件：{path.name}")
        size = path.stat().st_size
        if size > MAX_BYTES:
            mb = size / 1024 / 1024
            raise PublishedError(f"文件过大（{mb:.1f} MB，上限 {MAX_BYTES // 1024 // 1024} MB）：{path.name}")
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
    except PublishedError:
        raise
    except OSError as e:
        raise PublishedError(f"无法打开文件：{path.name}（{e.strerror or type(e).__name__}）") from e
    if len(data) > MAX_BYTES:
        raise PublishedError(f"文件过大（上限 {MAX_BYTES // 1024 // 1024} MB）：{path.name}")
    if not data.strip():
        raise PublishedError(f"文件是空的：{path.name}")
    return data


def guarded(what: str, path: Path, work: Callable[[], Published]) -> Published:
    """Run a reader; any failure other than PublishedError becomes one, so no traceback escapes."""
    try:
        return work()
    except PublishedError:
        raise
    except RecursionError as e:
        raise PublishedError(f"{what}结构嵌套过深，无法读取：{path.name}") from e
    except MemoryError as e:
        raise PublishedError(f"{what}过于复杂，内存不足，无法读取：{path.name}") from e
    except Exception as e:
        raise PublishedError(f"{what}无法读取（{type(e).__name__}）：{path.name}") from e


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    if name in _GB:
        return "gb18030"
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    # A page cannot really be UTF-16 when its own <meta> is readable as ASCII: browsers ignore that too.
    return None if codec.startswith(("utf-16", "utf-32")) else codec


def decode(data: bytes, declared: str | None = None) -> tuple[str, list[str]]:
    """Text and notes: the BOM wins, then the declared charset, UTF-8 and GB18030 (strict, in that
    order); when none fits, the one with the fewest undecodable bytes, with replacement characters."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data[len(bom):].decode(encoding, "replace")
            return text, _replaced(text, encoding)
    candidates: list[str] = []
    for name in (_codec(declared), "utf-8", "gb18030"):
        if name and name not in candidates:
            candidates.append(name)
    for encoding in candidates:
        try:
            return data.decode(encoding), []
        except (UnicodeDecodeError, LookupError):
            continue
    best, best_text, best_bad = "", "", -1
    for encoding in candidates:
        text = data.decode(encoding, "replace")
        bad = text.count("\ufffd")
        if best_bad < 0 or bad < best_bad:
            best, best_text, best_bad = encoding, text, bad
    return best_text, _replaced(best_text, best)


def _replaced(text: str, encoding: str) -> list[str]:
    bad = text.count("\ufffd")
    return [f"有{bad}处字节无法按{encoding}解码，已替换为“\ufffd”"] if bad else []


def spaces(text: str) -> str:
    """&nbsp;, full-width and other special spaces become plain spaces; invisible characters go."""
    return _INVISIBLE.sub("", _SPACES.sub(" ", text))


_BLANKS = re.compile(r"[ \t\n\r\f\v]+")


def tidy(text: str) -> str:
    """A piece of text as the readers keep it: special spaces plain, each run of white space one space,
    the ends trimmed (the one clean-up of html.py, docx.py and text.py)."""
    return _BLANKS.sub(" ", spaces(text)).strip()


def is_title(line: str) -> bool:
    """Whether a line reads as a report title: a year, 公开/政务 and 报告 (or the year in brackets
    after it: "…年度报告（2021年度）"), and not a sentence."""
    return len(line) <= 80 and "。" not in line and (_TITLE.search(line) or _TITLE_AFTER.search(line)) is not None


def title_head(line: str) -> bool:
    """A first title line: the unit's name, short, no sentence punctuation, not a numbered heading."""
    return (0 < len(line) <= 40 and len(re.findall("[\u4e00-\u9fff]", line)) >= 2
            and not re.search("[。，；：:;,]", line)
            and not re.match(r"[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[、.．]", line))


def split_title(paragraphs: list[str], look: int = 4) -> tuple[list[str], list[str]]:
    """Title lines found among the first paragraphs (unit / YYYY年…报告, one line, or a title broken
    anywhere over two lines: "某局2024年政府信息" / "公开工作年度报告"), and the rest."""
    for i, line in enumerate(paragraphs[:look]):
        end = i + 1
        if not is_title(line):
            if i + 1 >= len(paragraphs) or len(line) > 40 or not is_title(line + paragraphs[i + 1]):
                continue
            end = i + 2
        start = i - 1 if i > 0 and title_head(paragraphs[i - 1]) and not is_title(paragraphs[i - 1]) else i
        return paragraphs[start:end], paragraphs[:start] + paragraphs[end:]
    return [], paragraphs


def title_from(text: str) -> list[str]:
    """The title inside a page title such as "…年度报告_政府信息公开年报_某网站": the part that reads as one."""
    for part in re.split(r"\s*(?:_|\||｜|—{1,2}|--?|－)\s*", text):
        part = part.strip()
        if is_title(part):
            return [part]
    return []


_NUMBER = re.compile(r"[-+]?\d+(?:[.,，]\d+)*%?(?:[（(].{0,30}[)）])?")
# words of the official tables: a table holding one of them (in a short cell) is a report table
MARKERS = TABLE_MARKERS  # words of the official tables: a table holding one of them (in a short cell) is a report table


def looks_like_data(table: Table) -> bool:
    """Whether a table reads as a report table: a short cell that is a number or holds an official label."""
    for row in table:
        for cell in row:
            text = re.sub(r"\s+", "", cell)
            if not text or len(text) > 40:
                continue
            if _NUMBER.fullmatch(text) or any(m in text for m in MARKERS):
                return True
    return False
