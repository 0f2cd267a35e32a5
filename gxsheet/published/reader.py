"""Read a published report from a web page, a .docx or extracted text: pick the reader, load safely.

`read_published(path)` chooses the reader by the file's content (%PDF- is a PDF, a zip is Word,
markup is a web page) and its suffix (.pdf, .html/.htm, .docx, .txt). Anything that cannot be read at all raises
`PublishedError` with a one-line Chinese message; no other exception leaves a reader.

The helpers here are shared by html.py, docx.py and text.py: loading with a size cap, decoding
(BOM, declared charset, then UTF-8 / GB18030), space clean-up and finding the title lines.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from pathlib import Path

from ..names import clean
from .model import Published

MAX_BYTES = 20 * 1024 * 1024  # larger files are refused: no report page comes near this
# What the later passes (mapping, audit) are given: a report has some 300 paragraphs of at most
# a few thousand characters. Those passes are linear but not cheap (30 µs a paragraph), so a
# million-line text is cut here, with a note, instead of taking half a minute.
MAX_PARAGRAPHS = 5_000
MAX_PARAGRAPH = 20_000
# Rows of tables, likewise: the mapping compares each row's label with the official ones
# (60 µs a comparison), and a report's four tables have some 100 rows in all.
MAX_TABLE_ROWS = 300
MAX_ROWS = 1_500

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# Chinese government sites declare gb2312/gbk but serve characters outside them: GB18030 is their superset.
_GB = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "ms936", "euc-cn", "csgb2312", "hz-gb-2312", "windows-936"}
_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\ufffe\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TITLE = re.compile(r"(?:19|20)\d{2}\s*年.{0,40}?(?:公开|政务).{0,20}?报告")


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


def is_title(line: str) -> bool:
    """Whether a line reads as a report title: a year, 公开/政务 and 报告, and not a sentence."""
    return len(line) <= 80 and "。" not in line and _TITLE.search(line) is not None


def _title_head(line: str) -> bool:
    """A first title line: the unit's name, short, no sentence punctuation, not a numbered heading."""
    return (0 < len(line) <= 40 and len(re.findall("[\u4e00-\u9fff]", line)) >= 2
            and not re.search("[。，；：:;,]", line)
            and not re.match(r"[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[、.．]", line))


def split_title(paragraphs: list[str], look: int = 4) -> tuple[list[str], list[str]]:
    """Title lines found among the first paragraphs (unit / YYYY年…报告, or one line), and the rest."""
    for i, line in enumerate(paragraphs[:look]):
        if is_title(line):
            start = i - 1 if i > 0 and _title_head(paragraphs[i - 1]) and not is_title(paragraphs[i - 1]) else i
            return paragraphs[start:i + 1], paragraphs[:start] + paragraphs[i + 1:]
    return [], paragraphs


def title_from(text: str) -> list[str]:
    """The title inside a page title such as "…年度报告_政府信息公开年报_某网站": the part that reads as one."""
    for part in re.split(r"\s*(?:_|\||｜|—{1,2}|--?|－)\s*", text):
        part = part.strip()
        if is_title(part):
            return [part]
    return []


def read_published(path: Path) -> Published:
    """Read a published report, choosing the reader by content and suffix; PublishedError when unreadable."""
    return _capped(_read(Path(path)))


def _capped(published: Published) -> Published:
    """The paragraphs the later passes will see: at most MAX_PARAGRAPHS, each at most MAX_PARAGRAPH long."""
    if len(published.paragraphs) > MAX_PARAGRAPHS:
        published.notes.append(f"正文超过{MAX_PARAGRAPHS}段，其后的内容未读取")
        del published.paragraphs[MAX_PARAGRAPHS:]
    if any(len(p) > MAX_PARAGRAPH for p in published.paragraphs):
        published.notes.append(f"有段落超过{MAX_PARAGRAPH}字，超出部分未读取")
        published.paragraphs[:] = [p[:MAX_PARAGRAPH] for p in published.paragraphs]
    published.title[:] = [t[:MAX_PARAGRAPH] for t in published.title]
    _cap_tables(published)
    return published


def _cap_tables(published: Published) -> None:
    """At most MAX_TABLE_ROWS rows a table and MAX_ROWS in all; a note says what was left out."""
    if any(len(t) > MAX_TABLE_ROWS for t in published.tables):
        published.notes.append(f"有表格超过{MAX_TABLE_ROWS}行，超出部分未读取")
        published.tables[:] = [t[:MAX_TABLE_ROWS] for t in published.tables]
    rows, kept = 0, 0
    for table in published.tables:
        if rows + len(table) > MAX_ROWS:
            break
        rows, kept = rows + len(table), kept + 1
    if kept < len(published.tables):
        published.notes.append(f"表格总行数超过{MAX_ROWS}行，其后{len(published.tables) - kept}个表格未读取")
        del published.tables[kept:]


def _read(path: Path) -> Published:
    from . import docx as docx_reader
    from . import html as html_reader
    from . import pdf as pdf_reader
    from . import text as text_reader

    head = load(path)[:4096]
    suffix = path.suffix.lower()
    if b"%PDF-" in head[:1024] or (suffix == ".pdf" and not _looks_like_markup(head)):
        return pdf_reader.read(path)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise PublishedError(f"这是旧版 Word（.doc）或 WPS 文件，请另存为 .docx 再读：{path.name}")
    if head.startswith(b"PK\x03\x04"):
        return docx_reader.read(path)
    if suffix in (".docx", ".doc", ".pdf") and _looks_like_markup(head):
        published = html_reader.read(path)  # sites serve web pages saved under a Word name
        published.notes.insert(0, f"文件扩展名是{suffix}，内容却是网页，已按网页读取")
        return published
    if suffix == ".docx":
        return docx_reader.read(path)
    if suffix in (".html", ".htm", ".shtml", ".xhtml"):
        return html_reader.read(path)
    if suffix == ".txt":
        return html_reader.read(path) if _starts_as_page(head) else text_reader.read(path)
    return html_reader.read(path) if _looks_like_markup(head) else text_reader.read(path)


def _sniff(head: bytes) -> str:
    text, _ = decode(head)
    return text.lstrip("\ufeff \t\r\n").lower()


def _starts_as_page(head: bytes) -> bool:
    return _sniff(head).startswith(("<!doctype html", "<html", "<?xml"))


def _looks_like_markup(head: bytes) -> bool:
    start = _sniff(head)
    return start.startswith("<") and re.search(r"<(?:html|head|body|div|p|table|meta|title)\b", start) is not None
