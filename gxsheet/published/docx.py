"""Read a published report from a Word .docx (python-docx opens it; the body is walked as XML).

Paragraphs in body order (content controls opened), soft line breaks splitting a paragraph; the
automatic list numbering Word draws ("一、", "1、") is put back in front of the text, as it is
printed. Tables become full grids in which a merged cell's text is repeated in every slot it
covers (as python-docx's table cells do), laid out from the w:tc elements themselves so that
rows with gridBefore/gridAfter or a short row do not shift. A table holding tables is a layout
table: its content is read in order (paragraphs, inner tables); tables without numbers or the
official labels are skipped with a note. Text boxes, headers, footers and deleted text are left out.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn

from .. import xmlcap
from .common import PublishedError, guarded, load, looks_like_data, split_title, tidy, title_from
from .model import Published, Table, table_notes

MAX_DOCUMENT = 64 * 1024 * 1024  # document.xml larger than this is refused
MAX_UNPACKED = 256 * 1024 * 1024  # all parts together (python-docx loads every part): zip bombs are refused
MAX_MEMBERS = 10_000
# One XML part, measured streaming before python-docx builds its tree: a report's document.xml
# has some 20,000 elements; 300,000 empty paragraphs already take python-docx two seconds.
MAX_PART = 16 * 1024 * 1024
MAX_ELEMENTS = 300_000
MAX_TABLE_DEPTH = 8
MAX_COLS = 200
MAX_SLOTS = 200_000

W_P, W_TBL, W_TR, W_TC, W_SDT = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:sdt")
W_T, W_TAB, W_BR, W_CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
W_HYPHEN = qn("w:noBreakHyphen")
W_VAL = qn("w:val")
# content the printed body does not show in the paragraph's own line
SKIP_INSIDE = frozenset({qn("w:txbxContent"), qn("w:del"), qn("w:moveFrom"), qn("w:footnoteReference"),
                         qn("w:endnoteReference"), qn("w:pict"), qn("w:drawing"), qn("w:object")})
WRAPPERS = frozenset({qn("w:sdtContent"), qn("w:customXml"), qn("w:smartTag"), qn("w:ins"), qn("w:moveTo")})

_CHINESE = "〇一二三四五六七八九"


def _chinese(n: int) -> str:
    if n < 10:
        return _CHINESE[n]
    if n < 20:
        return "十" + (_CHINESE[n % 10] if n % 10 else "")
    if n < 100:
        return _CHINESE[n // 10] + "十" + (_CHINESE[n % 10] if n % 10 else "")
    return str(n)


def _letters(n: int) -> str:
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _roman(n: int) -> str:
    out = ""
    for value, digits in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                          (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + digits, n - value
    return out


def _format(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "japaneseCounting",
               "taiwaneseCounting", "taiwaneseCountingThousand", "chineseLegalSimplified"):
        return _chinese(n)
    if fmt == "ideographDigital":
        return "".join(_CHINESE[int(d)] for d in str(n))
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerLetter":
        return _letters(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "decimalFullWidth":
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 0 < n <= 20:
        return chr(0x2460 + n - 1)
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


class _Numbering:
    """Word's automatic list numbers: counters per list, formatted with the level's lvlText."""

    def __init__(self, document: Any) -> None:
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # numId -> ilvl -> (start, fmt, text)
        self.abstract_of: dict[str, str] = {}
        self.counters: dict[str, list[int]] = {}
        self.styles: dict[str, Any] = {}
        try:
            root = document.part.numbering_part.element
        except Exception:
            root = None
        if root is not None:
            abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
            for a in root.findall(qn("w:abstractNum")):
                abstract[a.get(qn("w:abstractNumId"), "")] = self._lvls(a)
            for num in root.findall(qn("w:num")):
                num_id, ref = num.get(qn("w:numId"), ""), num.find(qn("w:abstractNumId"))
                aid = ref.get(W_VAL, "") if ref is not None else ""
                levels = dict(abstract.get(aid, {}))
                for override in num.findall(qn("w:lvlOverride")):
                    ilvl = _int(override.get(qn("w:ilvl")), 0)
                    start = override.find(qn("w:startOverride"))
                    lvl = override.find(qn("w:lvl"))
                    if lvl is not None:
                        levels.update(self._lvls_of([lvl], ilvl))
                    if start is not None and ilvl in levels:
                        levels[ilvl] = (_int(start.get(W_VAL), 1), *levels[ilvl][1:])
                self.levels[num_id] = levels
                # lists sharing an abstract definition count on together, unless one restarts its numbers
                self.abstract_of[num_id] = num_id if num.find(qn("w:lvlOverride")) is not None else "a" + aid
        try:
            for style in document.styles.element.findall(qn("w:style")):
                self.styles[style.get(qn("w:styleId"), "")] = style
        except Exception:
            self.styles = {}

    def _lvls(self, parent: Any) -> dict[int, tuple[int, str, str]]:
        return self._lvls_of(parent.findall(qn("w:lvl")), None)

    @staticmethod
    def _lvls_of(lvls: list[Any], ilvl: int | None) -> dict[int, tuple[int, str, str]]:
        out: dict[int, tuple[int, str, str]] = {}
        for lvl in lvls:
            level = _int(lvl.get(qn("w:ilvl")), 0) if ilvl is None else ilvl
            start, fmt, text = lvl.find(qn("w:start")), lvl.find(qn("w:numFmt")), lvl.find(qn("w:lvlText"))
            out[level] = (_int(start.get(W_VAL) if start is not None else None, 1),
                          fmt.get(W_VAL, "decimal") if fmt is not None else "decimal",
                          text.get(W_VAL, "") if text is not None else "")
        return out

    def _num_pr(self, p: Any) -> tuple[str, int] | None:
        ppr = p.find(qn("w:pPr"))
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        style_id = ""
        if ppr is not None:
            pstyle = ppr.find(qn("w:pStyle"))
            style_id = pstyle.get(W_VAL, "") if pstyle is not None else ""
        ilvl: int | None = None
        for _ in range(6):  # the paragraph, then its style and the styles it is based on
            if num_pr is not None:
                num = num_pr.find(qn("w:numId"))
                lvl = num_pr.find(qn("w:ilvl"))
                if ilvl is None and lvl is not None:
                    ilvl = _int(lvl.get(W_VAL), 0)
                if num is not None:
                    return num.get(W_VAL, ""), ilvl or 0
            style = self.styles.get(style_id)
            if style is None:
                return None
            sppr = style.find(qn("w:pPr"))
            num_pr = sppr.find(qn("w:numPr")) if sppr is not None else None
            based = style.find(qn("w:basedOn"))
            style_id = based.get(W_VAL, "") if based is not None else ""
        return None

    def label(self, p: Any) -> str:
        """The number Word prints in front of this paragraph, counting it; "" when none."""
        found = self._num_pr(p)
        if found is None:
            return ""
        num_id, ilvl = found
        levels = self.levels.get(num_id)
        if not levels or num_id == "0" or ilvl not in levels or not 0 <= ilvl < 9:
            return ""
        key = self.abstract_of.get(num_id, num_id)
        counters = self.counters.setdefault(key, [0] * 9)
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else levels[ilvl][0]
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        _, fmt, text = levels[ilvl]
        if fmt == "bullet":
            return ""
        for k in range(9, 0, -1):
            if f"%{k}" in text:
                start, kfmt, _ = levels.get(k - 1, (1, "decimal", ""))
                text = text.replace(f"%{k}", _format(counters[k - 1] or start, kfmt))
        return text


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def paragraph_text(p: Any) -> str:
    """A paragraph's printed text: runs, hyperlinks and insertions; breaks as "\\n", tabs as spaces."""
    parts: list[str] = []
    for el in p.iter(W_T, W_TAB, W_BR, W_CR, W_HYPHEN):
        node, shown = el.getparent(), True
        while node is not None and node is not p:
            if node.tag in SKIP_INSIDE or node.tag == W_P:
                shown = False
                break
            node = node.getparent()
        if not shown:
            continue
        if el.tag == W_T:
            parts.append(el.text or "")
        elif el.tag == W_TAB:
            parts.append(" ")
        elif el.tag == W_HYPHEN:
            parts.append("-")
        elif el.tag == W_CR or el.get(qn("w:type")) in (None, "textWrapping"):
            parts.append("\n")
    return "".join(parts)


def _children(parent: Any) -> Iterator[Any]:
    """Paragraphs and tables in order, content controls and other wrappers opened."""
    todo = list(reversed(list(parent)))
    while todo:
        el = todo.pop()
        if el.tag in (W_P, W_TBL):
            yield el
        elif el.tag == W_SDT or el.tag in WRAPPERS:
            inner = el.find(qn("w:sdtContent")) if el.tag == W_SDT else el
            if inner is not None:
                todo.extend(reversed(list(inner)))


def _cells(tr: Any) -> Iterator[Any]:
    yield from _children_of(tr, W_TC)


def _children_of(parent: Any, tag: str) -> Iterator[Any]:
    todo = list(reversed(list(parent)))
    while todo:
        el = todo.pop()
        if el.tag == tag:
            yield el
        elif el.tag == W_SDT or el.tag in WRAPPERS:
            inner = el.find(qn("w:sdtContent")) if el.tag == W_SDT else el
            if inner is not None:
                todo.extend(reversed(list(inner)))


def cell_text(tc: Any) -> str:
    lines: list[str] = []
    for el in _children(tc):
        if el.tag == W_P:
            lines += [tidy(line) for line in paragraph_text(el).split("\n")]
    return "\n".join(line for line in lines if line)


def _tc_props(tc: Any) -> tuple[int, str | None, bool]:
    """gridSpan; vMerge: None (no merge), "restart" or "continue"; whether an old-style hMerge continues."""
    pr = tc.find(qn("w:tcPr"))
    if pr is None:
        return 1, None, False
    span = pr.find(qn("w:gridSpan"))
    merge = pr.find(qn("w:vMerge"))
    vmerge = None if merge is None else (merge.get(W_VAL) or "continue")
    hmerge = pr.find(qn("w:hMerge"))
    continues = hmerge is not None and (hmerge.get(W_VAL) or "continue") == "continue"
    return max(1, min(_int(span.get(W_VAL) if span is not None else None, 1), MAX_COLS)), vmerge, continues


def _row_skip(tr: Any, name: str) -> int:
    pr = tr.find(qn("w:trPr"))
    el = pr.find(qn(name)) if pr is not None else None
    return max(0, min(_int(el.get(W_VAL) if el is not None else None, 0), MAX_COLS))


def expand(tbl: Any) -> tuple[Table, int]:
    """The table as a full grid, a merged cell's text in every slot it covers; cells cut by the caps."""
    grid: list[list[str]] = []
    cut = slots = 0
    for tr in _children_of(tbl, W_TR):
        row: list[str] = [""] * _row_skip(tr, "w:gridBefore")
        for tc in _cells(tr):
            span, vmerge, hcontinue = _tc_props(tc)
            if len(row) + span > MAX_COLS or slots + span > MAX_SLOTS:
                cut += 1
                continue
            col = len(row)
            if vmerge == "continue" and grid and col < len(grid[-1]):
                text = grid[-1][col]  # the merged cell above: its text repeats down
            elif hcontinue and row:
                text = row[-1]
            else:
                text = cell_text(tc)
            row += [text] * span
            slots += span
        grid.append(row)
    width = max((len(r) for r in grid), default=0)
    return [r + [""] * (width - len(r)) for r in grid if r], cut


class _Walk:
    def __init__(self, numbering: _Numbering) -> None:
        self.numbering = numbering
        self.paragraphs: list[str] = []
        self.tables: list[Table] = []
        self.layout = 0
        self.skipped: list[str] = []
        self.cut = 0
        self.deep = False

    def body(self, parent: Any, depth: int = 0) -> None:
        for el in _children(parent):
            if el.tag == W_P:
                text = self.numbering.label(el) + paragraph_text(el)
                self.paragraphs += [line for line in (tidy(x) for x in text.split("\n")) if line]
            elif depth >= MAX_TABLE_DEPTH:
                self.deep = True
            elif el.find(".//" + W_TBL) is not None:
                self.layout += 1
                for tr in _children_of(el, W_TR):
                    for tc in _cells(tr):
                        self.body(tc, depth + 1)
            else:
                table, cut = expand(el)
                self.cut += cut
                if not table:
                    continue
                if looks_like_data(table):
                    self.tables.append(table)
                elif max(len(r) for r in table) <= 1:
                    self.layout += 1
                    for tr in _children_of(el, W_TR):
                        for tc in _cells(tr):
                            self.body(tc, depth + 1)
                else:
                    first = next((c for r in table for c in r if c.strip()), "")
                    self.skipped.append(first.replace("\n", " ")[:20])


def _open(data: bytes, path: Path) -> Any:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
        info = archive.getinfo("word/document.xml")
    except KeyError as e:
        raise PublishedError(f"不是 Word 文档（压缩包里没有 word/document.xml）：{path.name}") from e
    except Exception as e:  # zipfile also raises NotImplementedError, EOFError, struct.error on hostile headers
        raise PublishedError(f"Word 文件已损坏，无法打开：{path.name}") from e
    total = sum(m.file_size for m in members)
    if info.file_size > MAX_DOCUMENT or total > MAX_UNPACKED or len(members) > MAX_MEMBERS:
        raise PublishedError(f"Word 文件解压后过大（{total // 1024 // 1024} MB，{len(members)}个部件）：{path.name}")
    if len({m.filename for m in members}) != len(members):
        raise PublishedError(f"Word 文件已损坏：压缩包中有重名的部件，无法确定内容：{path.name}")
    _measure(archive, members, path)
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as e:
        raise PublishedError(f"Word 文件已损坏或不是 .docx，无法打开：{path.name}") from e


def _measure(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], path: Path) -> None:
    """Refuse a part python-docx would spend minutes and gigabytes on, before it parses any."""
    for member in members:
        if not member.filename.endswith((".xml", ".rels")):
            continue
        try:
            with archive.open(member) as fh:
                xmlcap.measure(fh, MAX_PART, MAX_ELEMENTS)
        except xmlcap.TooBig:
            raise PublishedError(f"Word 文件异常：{member.filename} 的内容过多（超过 {MAX_PART // 1024 // 1024} MB "
                                 f"或 {MAX_ELEMENTS} 个元素），拒绝读取：{path.name}") from None
        except xmlcap.Broken:
            raise PublishedError(f"Word 文件已损坏：{member.filename} 不是有效的 XML：{path.name}") from None
        except Exception:  # the member itself cannot be unpacked
            raise PublishedError(f"Word 文件已损坏，无法解压 {member.filename}：{path.name}") from None


def read(path: Path, data: bytes | None = None) -> Published:
    """Read a .docx: title, paragraphs and data tables. PublishedError if it is not a readable .docx.

    data: the file's bytes when the caller has loaded them already (reader.py, to tell the format)."""
    path = Path(path)

    def work() -> Published:
        raw = load(path) if data is None else data
        if not raw.startswith(b"PK"):
            if raw.startswith(b"\xd0\xcf\x11\xe0"):
                raise PublishedError(f"这是旧版 Word（.doc）或 WPS 文件，请另存为 .docx 再读：{path.name}")
            raise PublishedError(f"不是 Word 文档（.docx 应为 zip 压缩格式）：{path.name}")
        document = _open(raw, path)
        walk = _Walk(_Numbering(document))
        walk.body(document.element.body)
        title, paragraphs = split_title(walk.paragraphs)
        if not title:
            try:
                title = title_from(document.core_properties.title or "")
            except Exception:
                title = []
        notes = table_notes(walk.layout, walk.skipped)
        if walk.deep:
            notes.append(f"表格嵌套超过{MAX_TABLE_DEPTH}层，更深的部分未读取")
        if walk.cut:
            notes.append(f"表格过大，{walk.cut}个单元格未读取")
        if not walk.tables:
            notes.append("Word 文档中没有找到数据表格")
        return Published(str(path), "docx", title, paragraphs, walk.tables, notes)

    return guarded("Word 文件", path, work)

