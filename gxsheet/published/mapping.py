"""Map the tables of a published report onto the schema by their labels, never by position alone.

`to_report(pub)` finds 表二, 表三 and 表四 among the published tables by their row labels and
header labels, reads every value cell (the printed totals included, so the checker verifies
them) and returns a `Mapped`: a Report with entries by schema key, the format version of each
table, and findings that say in Chinese which table, what and why.

Rows are recognised by their label (the last label cell that names a row of the format; group
labels may be repeated, as in web pages, or empty, as in the text form). Columns are recognised
from the header rows: the header is unfolded level by level (申请人情况 → 自然人 | 法人或其他组织 |
总计 → 商业企业 …) into the printed order of the value columns and, for cell-structured forms,
the grid columns each one covers. A row's values are the cells under those columns (the
trailing cells after its labels in the text form, where merges are unknown).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from ..problems import Problem, about
from ..report import Report
from ..schema import SCHEMA, VERSION, Column, Severity
from ..schema.formats import FORMAT_2019, UNKNOWN
from ..schema.formats import V2019 as V2019  # re-exported: the version names, importable here as before
from ..schema.formats import V2021 as V2021
from ..schema.model import cell_key
from ..schema.tables import (
    ITEM,
    LITIGATION,
    RESULTS,
    REVIEW,
    T3_COLUMNS,
    T3_GROUPS,
    T3_ROWS,
    TABLE_2,
    TABLE_3,
    TABLE_4,
    item_title,
)
from ..values import Entry, parse_key
from .model import Published
from .narrative import recover
from .parts import BOOKMARK, find_title, squeeze

T2, T3, T4 = TABLE_2.name, TABLE_3.name, TABLE_4.name
ERROR, WARNING = Severity.ERROR, Severity.WARNING

# --- label normalisation ----------------------------------------------------------------------
_QUOTES = re.compile(r"[“”\"'‘’「」『』〝〞]")
_ENUM_UNIFY = re.compile(r"^(\d{1,2})[.、,](?=\D)")
_ENUM = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十\d]{1,3}\)|\d{1,2}\.|[①-⑳])")
_TAIL = re.compile(r"\([^()]*\)$")
_VALUE = re.compile(r"^[-+]?(?:\d[\d,]*(?:\.\d+)?|\.\d+)(?:万元|元|件|条|个|项|次)?(?:$|[(\[,;:]|其中|含|注)")
_PLACEHOLDER = re.compile(r"^(?:[-—–/\\~～…]+|无|空|暂无)$")
CORNER = "\x00corner"


@lru_cache(maxsize=8192)  # every cell of every row is compared as a label, and cells repeat ("0", merged labels)
def label(text: str) -> str:
    """A label as compared: squeezed, quotes removed, "1．" "1、" "1." unified, brackets half-width."""
    return _ENUM_UNIFY.sub(r"\1.", _QUOTES.sub("", squeeze(text)))


_T2_TITLE = re.compile("^" + re.escape(label(item_title("@"))).replace("@", "([一二三四五六七八九十]+)") + "$")


def core(text: str) -> str:
    """A label without its numbering and trailing remark: "（二）部分公开（区分处理的…）" → "部分公开"."""
    t = _ENUM.sub("", label(text))
    return _TAIL.sub("", t) or t


def _is_value(norm: str) -> bool:
    return bool(_VALUE.match(norm) or _PLACEHOLDER.match(norm))


# --- what the format's tables look like -----------------------------------------------------
@dataclass(frozen=True)
class _Node:
    """A header label: a value column (key) or a group of columns below it."""

    label: str
    key: str = ""
    children: tuple[_Node, ...] = ()


def _tree(paths: Sequence[tuple[tuple[str, ...], str]]) -> tuple[_Node, ...]:
    groups: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for path, key in paths:
        groups.setdefault(path[0], []).append((path[1:], key))
    nodes = []
    for head, rest in groups.items():
        if len(rest) == 1 and not rest[0][0]:
            nodes.append(_Node(core(head), rest[0][1]))
        else:
            nodes.append(_Node(core(head), "", _tree(rest)))
    return tuple(nodes)


@dataclass(frozen=True)
class _Spec:
    """The header of one official table (or one block of 表二)."""

    table: str
    tree: tuple[_Node, ...]
    keys: tuple[str, ...]  # column keys in the format's order
    corner: bool  # a label column on the left (its header is the corner)


def _spec(table: str, columns: Sequence[Column], corner: bool) -> _Spec:
    return _Spec(table, _tree([(c.path, c.key) for c in columns]), tuple(c.key for c in columns), corner)


T3_SPEC = _spec(T3, T3_COLUMNS, True)
T4_SPEC = _spec(T4, TABLE_4.blocks[0].columns, False)
T2_SPECS = tuple(_spec(T2, b.columns, True) for b in TABLE_2.blocks)
T2_BLOCK = {r.key: i for i, b in enumerate(TABLE_2.blocks) for r in b.rows}
T2_ROWS = {r.key: r for b in TABLE_2.blocks for r in b.rows}

_T3_EXACT = {label(r.label): r.key for r in T3_ROWS}
_T3_CORE = {core(r.label): r.key for r in T3_ROWS}
_T3_GROUPS = {core(g): g for g in T3_GROUPS}
_T3_RESULTS = core(RESULTS)
_T3_ROW = {r.key: r for r in T3_ROWS}
_T2_EXACT = {label(r.label): k for k, r in T2_ROWS.items()}
_T2_CORE = {core(r.label): k for k, r in T2_ROWS.items()}
T2_LEGACY_ROWS = FORMAT_2019.t2_renamed  # 2019 label of a 2021 row
T2_2019_ROWS = FORMAT_2019.t2_rows
T2_2019_COLUMNS = FORMAT_2019.t2_columns
T3_2021_ONLY = FORMAT_2019.t3_absent

_SHARED = {"其他", "总计"}


def _vocab(spec: _Spec) -> set[str]:
    out: set[str] = set()
    stack = list(spec.tree)
    while stack:
        node = stack.pop()
        out.add(node.label)
        stack += node.children
    return out


_VOCAB = {
    T3: _vocab(T3_SPEC) | {core(TABLE_3.blocks[0].corner)},
    T4: _vocab(T4_SPEC),
    T2: {x for s in T2_SPECS for x in _vocab(s)} | {ITEM, *T2_2019_COLUMNS},
}


# --- reading header rows --------------------------------------------------------------------
@dataclass
class _Tok:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class _Columns:
    """Value columns of a table as printed: keys in printed order and the grid columns each covers."""

    keys: tuple[str, ...]
    spans: tuple[tuple[int, int], ...] | None  # None: read the trailing cells of a row in this order
    width: int  # length of the header rows the spans belong to
    confirmed: bool  # False: no usable header, the format's order assumed


def _tokens(cells: Sequence[str], spec: _Spec, text_mode: bool) -> list[_Tok]:
    toks: list[_Tok] = []
    for i, cell in enumerate(cells):
        n = label(cell)
        if not n:
            t = ""
        elif "勾稽" in n or n == ITEM:
            t = CORNER
        else:
            t = core(n) or n
        if toks and toks[-1].text == t:
            toks[-1].end = i
        else:
            toks.append(_Tok(t, i, i))
    toks = [t for t in toks if t.text != CORNER]
    if spec.corner:  # the corner's continuation: every leading empty cell in text, column 0 in a grid
        while toks and toks[0].text == "" and (text_mode or toks[0].start == 0):
            toks.pop(0)
    return toks


def _resolve(spec: _Spec, rows: Sequence[Sequence[str]], text_mode: bool) -> _Columns | None:
    """Unfold the header rows into the printed order of the value columns; None if they do not fit."""
    items: list[tuple[_Node, tuple[int, int] | None]] = [(n, None) for n in spec.tree]
    expanded: set[str] = set()
    width = 0
    for cells in rows:
        width = max(width, len(cells))
        toks = [t for t in _tokens(cells, spec, text_mode) if t.text not in expanded]
        out: list[tuple[_Node, tuple[int, int] | None]] = []
        j = 0
        for node, span in items:
            tok = toks[j] if j < len(toks) else None
            if tok is not None and tok.text in ("", node.label):  # the node itself, or spanning down
                out.append((node, (tok.start, tok.end)))
                j += 1
                continue
            if not node.children:
                out.append((node, span))
                continue
            kids: list[tuple[_Node, tuple[int, int] | None]] = []
            used: set[str] = set()
            while j < len(toks):
                child = next((c for c in node.children if c.label == toks[j].text and c.label not in used), None)
                if child is None:
                    break
                used.add(child.label)
                kids.append((child, (toks[j].start, toks[j].end)))
                j += 1
            if not kids:
                out.append((node, span))
            elif len(kids) != len(node.children):
                return None
            else:
                expanded.add(node.label)
                out += kids
        if any(t.text for t in toks[j:]):
            return None
        items = out
    if any(n.children for n, _ in items):
        return None
    keys = tuple(n.key for n, _ in items)
    if sorted(keys) != sorted(spec.keys):
        return None
    spans = tuple(s for _, s in items if s is not None)
    if text_mode or len(spans) != len(keys):
        return _Columns(keys, None, 0, True)
    return _Columns(keys, spans, width, True)


# --- reading value cells --------------------------------------------------------------------
_NOTE_BRACKET = re.compile(r"^(?P<num>[-+]?\d[\d,]*(?:\.\d+)?(?:万元|元|件)?)\((?P<note>.+)\)$")
_NOTE_TAIL = re.compile(r"^(?P<num>[-+]?\d[\d,]*(?:\.\d+)?(?:万元|元|件)?)[,;:](?P<note>(?:其中|含|包括|注).+)$")


@lru_cache(maxsize=8192)  # a report's 300 cells repeat across rows and pages ("0", "1"); Entry is frozen
def read_cell(key: str, raw: str) -> tuple[Entry, str]:
    """The entry for a printed cell, and the note written inside it ("22（其中修订16件）" → 22, note).

    A blank cell stays blank; anything else that is not a number is kept with its problem.
    """
    text = BOOKMARK.sub("", raw).strip()
    entry = parse_key(key, text)
    if entry.problem and not entry.blank:
        squeezed = squeeze(text)
        m = _NOTE_BRACKET.match(squeezed) or _NOTE_TAIL.match(squeezed)
        if m:
            number = parse_key(key, m["num"])
            if number.value is not None and not number.problem:
                return Entry(text, number.value), m["note"]
    return Entry(text, entry.value, entry.problem), ""


# --- the result -----------------------------------------------------------------------------
@dataclass
class Mapped:
    """A published report mapped onto the schema.

    report: entries for every printed cell found (totals included), notes from number cells and
        under the tables, unit and year from the title, and the fields outside the tables as
        narrative.py recovers them (each sub-section in its field, generated sentences left out).
    versions: the format of each table by name (表二, 表三, 表四): "2021", "2019" or "unknown"
        (not found or not recognisable). 表四 is the same in both formats and takes the version
        of the other tables.
    findings: what could not be mapped and why, as Problems (group = the table).
    found: keys read from a printed cell, blank ones included.
    where: key → (table index, row index, cell index) in pub.tables.
    legacy: (table, label) for every label of the 2019 format met.
    """

    report: Report
    versions: dict[str, str]
    findings: list[Problem] = field(default_factory=list)
    found: set[str] = field(default_factory=set)
    where: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    legacy: list[tuple[str, str]] = field(default_factory=list)
    placed: list[str] = field(default_factory=list)  # text kept in one field for want of sub-headings


@dataclass(frozen=True)
class _Match:
    table: str
    row: str  # row key; "" for a group label carrying values (a subtotal, or 2019's （六）)
    index: int  # the label's cell index in the row
    printed: str  # the label as printed (normalised)
    group: str = ""  # the group's printed label, for group rows
    legacy: bool = False  # a 2019 label
    loose: str = ""  # the format's label when matched only approximately


def _fuzzy(text: str) -> tuple[str, str, str] | None:
    """(table, row key, format label) of the one row label close to text, if any."""
    c = core(text)
    if len(c) < 4:
        return None
    scored = [(difflib.SequenceMatcher(None, c, k).ratio(), T3, key, _T3_ROW[key].label)
              for k, key in _T3_CORE.items()]
    scored += [(difflib.SequenceMatcher(None, c, k).ratio(), T2, key, T2_ROWS[key].label)
               for k, key in _T2_CORE.items()]
    scored.sort(reverse=True)
    best = scored[0]
    if best[0] >= 0.8 and (len(scored) == 1 or scored[1][0] < best[0] - 0.1):
        return best[1], best[2], best[3]
    return None


def _match(labels: Sequence[tuple[int, str]]) -> _Match | None:
    """The row a row's labels name: its last label that is a row of 表二 or 表三."""
    for n, (i, text) in enumerate(reversed(labels)):
        c = core(text)
        key = _T3_EXACT.get(text) or _T3_CORE.get(c)
        if key:
            return _Match(T3, key, i, text)
        key = _T2_EXACT.get(text) or _T2_CORE.get(c)
        if key:
            return _Match(T2, key, i, text)
        if c in T2_LEGACY_ROWS:
            return _Match(T2, T2_LEGACY_ROWS[c], i, text, legacy=True)
        if c in T2_2019_ROWS:
            return _Match(T2, "", i, text, group=text, legacy=True)
        if c in _T3_GROUPS and n == 0:
            return _Match(T3, "", i, text, group=_T3_GROUPS[c])
    if labels:
        i, text = labels[-1]
        hit = _fuzzy(text)
        if hit:
            return _Match(hit[0], hit[1], i, text, loose=hit[2])
    return None


class _Mapper:
    def __init__(self, pub: Published) -> None:
        self.pub = pub
        self.text_mode = pub.form == "text"
        self.entries: dict[str, Entry] = {}
        self.notes: dict[str, str] = {}
        self.found: set[str] = set()
        self.where: dict[str, tuple[int, int, int]] = {}
        self.findings: list[Problem] = []
        self.legacy: list[tuple[str, str]] = []
        self.ctx = ""
        self.headers: dict[str, list[list[str]]] = {T2: [], T3: [], T4: []}
        self.collecting: dict[str, bool] = {T2: False, T3: False, T4: False}
        self.columns: dict[str, _Columns | None] = {T3: None, T4: None}
        self.tables: dict[str, set[int]] = {T2: set(), T3: set(), T4: set()}
        self.rows: dict[str, set[str]] = {T2: set(), T3: set()}
        self.seen_header: set[str] = set()
        self.t2_2019: list[str] = []
        self.t3_unsplit: list[tuple[str, str, tuple[int, int, int]]] | None = None
        self.conflicts: dict[str, list[str]] = {T2: [], T3: [], T4: []}
        self.noted: set[str] = set()
        self.t4_read = False

    # -- findings ------------------------------------------------------------------------------
    def find(self, code: str, severity: Severity, table: str, message: str, key: str = "") -> None:
        naming = about(key) if key else {"group": table}
        naming["group"] = table
        self.findings.append(Problem(code, severity, message, rule=code, **naming))

    def once(self, tag: str, code: str, severity: Severity, table: str, message: str) -> None:
        if tag not in self.noted:
            self.noted.add(tag)
            self.find(code, severity, table, message)

    # -- rows ----------------------------------------------------------------------------------
    def run(self) -> None:
        for ti, table in enumerate(self.pub.tables):
            self.ctx = ""
            for ri, row in enumerate(table):
                self.row(ti, ri, [c if isinstance(c, str) else "" for c in row])

    def row(self, ti: int, ri: int, cells: list[str]) -> None:
        norms = [label(c) for c in cells]
        values = [i for i, n in enumerate(norms) if n and _is_value(n)]
        labels = [(i, n) for i, n in enumerate(norms) if n and not _is_value(n)]
        if not labels and not values:
            if self.ctx == T4 and self.collecting[T4] and len(cells) >= len(T4_SPEC.keys):
                self.t4_body(ti, ri, cells, -1)  # a row of blank cells under the 表四 header
            return
        if labels and not values and all(_T2_TITLE.match(n) for _, n in labels):
            self.t2_title(labels[0][1])
            return
        if not values:
            kind = self.header_kind(labels)
            if kind:
                self.header(kind, cells)
                return
        match = _match(labels)
        if match:
            self.body(match, ti, ri, cells)
        elif self.ctx == T4 and values:
            self.t4_body(ti, ri, cells, max((i for i, _ in labels), default=-1))
        elif self.ctx and values:
            text = "｜".join(n for _, n in labels) or "（无行标签）"
            self.find("MAP-ROW-UNKNOWN", WARNING, self.ctx,
                      f"{self.ctx}附近第{ti + 1}个表格第{ri + 1}行“{text}”不是格式中的行，其中的数字未读入")

    def header_kind(self, labels: Sequence[tuple[int, str]]) -> str:
        hits = {T2: 0, T3: 0, T4: 0}
        shared = True
        for _, text in labels:
            c = core(text)
            if "勾稽" in text:
                hits[T3] += 2
                shared = False
                continue
            if c in _SHARED:
                continue
            shared = False
            for name, vocab in _VOCAB.items():
                if c in vocab or text in vocab:
                    hits[name] += 1
        best = max(hits, key=lambda k: hits[k])
        if hits[best]:
            return best
        if shared and self.ctx in (T3, T4) and self.collecting[self.ctx]:
            return self.ctx
        return ""

    def header(self, kind: str, cells: list[str]) -> None:
        if not self.collecting[kind]:
            self.headers[kind] = []
            self.collecting[kind] = True
        self.headers[kind].append(cells)
        self.seen_header.add(kind)
        self.ctx = kind
        if kind == T2:
            for cell in cells:
                c = core(cell)
                if c in T2_2019_COLUMNS and c not in self.t2_2019:
                    self.t2_2019.append(c)

    def t2_title(self, text: str) -> None:
        self.ctx = T2
        self.collecting[T2] = False
        self.headers[T2] = []
        self.seen_header.add(T2)
        item = _T2_TITLE.match(text)
        if item and item[1] in FORMAT_2019.t2_items:
            self.t2_2019.append(item_title(item[1]))

    def resolved(self, kind: str, spec: _Spec) -> _Columns:
        if self.collecting[kind] or kind == T2:
            self.collecting[kind] = False
            cols = _resolve(spec, self.headers[kind], self.text_mode) if self.headers[kind] else None
            if kind != T2:
                self.columns[kind] = cols
        else:
            cols = self.columns[kind]
        if cols is None:
            if len(spec.keys) > 1:
                why = "没有表头" if not self.headers[kind] else "表头与格式不符"
                self.once(f"header-{kind}-{spec.keys[0]}", "MAP-HEADER", WARNING, kind,
                          f"{kind}{why}，无法由表头确认列的顺序，按格式的列顺序（{'、'.join(_names(spec))}）读取")
            return _Columns(spec.keys, None, 0, False)
        if cols.keys != spec.keys:
            self.once(f"order-{kind}-{spec.keys[0]}", "MAP-ORDER", WARNING, kind,
                      f"{kind}的列顺序与格式不同，已按表头对应各列")
        return cols

    def cells_of(self, kind: str, cols: _Columns, cells: list[str], after: int, ti: int,
                 ri: int) -> list[tuple[str, str, int]] | None:
        n = len(cols.keys)
        if cols.spans is not None:
            if len(cells) == cols.width and after < min(a for a, _ in cols.spans):
                out = []
                for key, (a, b) in zip(cols.keys, cols.spans, strict=True):
                    texts = list(dict.fromkeys(c.strip() for c in cells[a:b + 1] if label(c))) or [""]
                    out.append((key, texts[0] if len(texts) == 1 else "｜".join(texts), a))  # "" when blank
                return out
            self.once(f"width-{kind}", "MAP-WIDTH", WARNING, kind,
                      f"{kind}部分行的格数与表头不一致，这些行按行末的{n}格读取")
        if len(cells) < n or len(cells) - n <= after:
            self.find("MAP-ROW-SHORT", ERROR, kind,
                      f"{kind}第{ti + 1}个表格第{ri + 1}行只有{len(cells)}格，放不下{n}列数字，本行未读入")
            return None
        start = len(cells) - n
        return [(key, cells[start + j], start + j) for j, key in enumerate(cols.keys)]

    def store(self, kind: str, key: str, raw: str, at: tuple[int, int, int]) -> None:
        if key in self.entries:
            if label(str(self.entries[key].raw or "")) != label(raw):
                self.conflicts[kind].append(f"{SCHEMA.label(key)}（{self.entries[key].raw}、{raw}）")
            return
        if "｜" in raw:
            entry = Entry(raw, None, f"表头一栏下印有不同的数（{raw}），无法确定本格的数")
            note = ""
        else:
            entry, note = read_cell(key, raw)
        self.entries[key] = entry
        if note:
            self.notes[key] = note
        self.found.add(key)
        self.where[key] = at

    def body(self, m: _Match, ti: int, ri: int, cells: list[str]) -> None:
        self.ctx = m.table
        self.tables[m.table].add(ti)
        if m.table == T2:
            self.t2_body(m, ti, ri, cells)
            return
        cols = self.resolved(T3, T3_SPEC)
        got = self.cells_of(T3, cols, cells, m.index, ti, ri)
        if got is None:
            return
        if not m.row:  # a group label carrying numbers
            if core(m.group) == core(FORMAT_2019.t3_unsplit):
                if self.t3_unsplit is None:
                    self.t3_unsplit = [(k, raw, (ti, ri, c)) for k, raw, c in got]
            else:
                self.find("MAP-SUBTOTAL", WARNING, T3,
                          f"表三“{m.printed}”一行是小计，格式中没有此行，其中的数字未读入（由各项计算）")
            return
        if m.loose:
            self.find("MAP-LOOSE", WARNING, T3,
                      f"表三行标签“{m.printed}”与格式的“{m.loose}”不完全相同，按“{m.loose}”读入")
        self.rows[T3].add(m.row)
        for col, raw, c in got:
            self.store(T3, cell_key(TABLE_3.key, m.row, col), raw, (ti, ri, c))

    def t2_body(self, m: _Match, ti: int, ri: int, cells: list[str]) -> None:
        if not m.row:
            if m.printed not in self.t2_2019:
                self.t2_2019.append(m.printed)
            return
        if m.legacy:
            self.legacy.append((T2, m.printed))
            self.find("MAP-LABEL-2019", WARNING, T2,
                      f"表二行标签“{m.printed}”是2019年格式的写法，2021年格式为“{T2_ROWS[m.row].label}”，"
                      f"按{T2_ROWS[m.row].label}读入",
                      key=cell_key(TABLE_2.key, m.row, TABLE_2.blocks[T2_BLOCK[m.row]].columns[0].key))
        if m.loose:
            self.find("MAP-LOOSE", WARNING, T2,
                      f"表二行标签“{m.printed}”与格式的“{m.loose}”不完全相同，按“{m.loose}”读入")
        spec = T2_SPECS[T2_BLOCK[m.row]]
        cols = self.resolved(T2, spec)
        got = self.cells_of(T2, cols, cells, m.index, ti, ri)
        if got is None:
            return
        self.rows[T2].add(m.row)
        for col, raw, c in got:
            self.store(T2, cell_key(TABLE_2.key, m.row, col), raw, (ti, ri, c))

    def t4_body(self, ti: int, ri: int, cells: list[str], after: int) -> None:
        self.tables[T4].add(ti)
        cols = self.resolved(T4, T4_SPEC)
        got = self.cells_of(T4, cols, cells, after, ti, ri)
        if got is None:
            return
        if self.t4_read and all(cell_key(TABLE_4.key, "", k) in self.entries for k, _, _ in got):
            if any(label(str(self.entries[cell_key(TABLE_4.key, "", k)].raw or "")) != label(raw) for k, raw, _ in got):
                self.find("MAP-ROW-EXTRA", WARNING, T4, f"表四第{ti + 1}个表格第{ri + 1}行是表四的第二行数字，未读入")
            return
        self.t4_read = True
        for col, raw, c in got:
            self.store(T4, cell_key(TABLE_4.key, "", col), raw, (ti, ri, c))

    # -- after all rows ------------------------------------------------------------------------
    def finish(self) -> dict[str, str]:
        versions = {T2: UNKNOWN, T3: UNKNOWN, T4: UNKNOWN}
        self.finish_t2(versions)
        self.finish_t3(versions)
        if any(k.startswith(f"{TABLE_4.key}.") for k in self.found):
            versions[T4] = V2019 if V2019 in (versions[T2], versions[T3]) else V2021
        elif T4 in self.seen_header:
            self.find("MAP-TABLE-MISSING", ERROR, T4, "表四只找到表头，没有数字行，表四未读入")
        else:
            self.find("MAP-TABLE-MISSING", ERROR, T4,
                      f"未找到表四（{TABLE_4.title}）：没有表头为“{REVIEW}”“{LITIGATION}”的表格{self.why_none()}")
        for kind, items in self.conflicts.items():
            if items and not (kind == T2 and self.t2_2019):  # a refused table's cells are moot
                self.find("MAP-DUPLICATE", ERROR, kind, f"{kind}有{len(items)}格重复出现且数字不同，按首次出现的读入："
                          + "；".join(items[:3]) + ("等" if len(items) > 3 else ""))
        return versions

    def why_none(self) -> str:
        if not self.pub.tables:
            extra = "；读取时：" + "；".join(self.pub.notes) if self.pub.notes else ""
            return f"（{self.pub.source or '文件'}中没有表格{extra}）"
        return ""

    def finish_t2(self, versions: dict[str, str]) -> None:
        if self.t2_2019:
            versions[T2] = V2019
            self.legacy += [(T2, x) for x in self.t2_2019]
            # A table that is refused says so once: what its header or labels looked like is moot.
            self.findings = [p for p in self.findings if p.group != T2]
            for key in [k for k in self.entries if k.startswith(f"{TABLE_2.key}.")]:
                del self.entries[key]
                self.notes.pop(key, None)
                self.found.discard(key)
                self.where.pop(key, None)
            self.find("MAP-T2-2019", WARNING, T2,
                      f"表二是2019年试行格式（有“{'”“'.join(self.t2_2019[:3])}”等），其栏目无法对应2021年格式，表二未读入")
            return
        if not self.rows[T2]:
            first = "”“".join(r.label for r in TABLE_2.blocks[0].rows)
            reason = f"只找到标题或表头，没有“{first}”等数据行" if T2 in self.seen_header else \
                f"没有行标签为“{first}”等的表格行"
            self.find("MAP-TABLE-MISSING", ERROR, T2, f"未找到表二（{TABLE_2.title}）：{reason}{self.why_none()}")
            return
        versions[T2] = V2021
        for key, row in T2_ROWS.items():
            if key not in self.rows[T2]:
                self.find("MAP-ROW-MISSING", ERROR, T2, f"表二缺少“{row.label}”一行，该行各格未读入",
                          key=cell_key(TABLE_2.key, key, TABLE_2.blocks[T2_BLOCK[key]].columns[0].key))

    def unsplit_2019(self, unsplit: list[tuple[str, str, tuple[int, int, int]]]) -> None:
        """表三 of the 2019 format: its one （六） row is 3.其他; the rows it has not are 0, as its rules had
        them, so the printed （七）总计 is kept and checked (and an imported workbook computes it)."""
        old = FORMAT_2019
        self.legacy.append((T3, old.t3_unsplit))
        for col, raw, at in unsplit:
            self.store(T3, cell_key(TABLE_3.key, old.t3_unsplit_row, col), raw, at)
        self.rows[T3].add(old.t3_unsplit_row)
        for row in old.t3_absent:
            for c in T3_COLUMNS:
                self.entries.setdefault(cell_key(TABLE_3.key, row, c.key), Entry(0, Decimal(0)))
        into = _T3_ROW[old.t3_unsplit_row]
        absent = "、".join(_T3_ROW[r].label.split(".")[0] + "." for r in old.t3_absent)
        total = cell_key(TABLE_3.key, old.t3_unsplit_row, T3_COLUMNS[-1].key)
        self.find("MAP-T3-2019", WARNING, T3,
                  f"表三是{old.version}年格式：“{old.t3_unsplit}”只有一行，未分项，按“{into.name}”读入，是其他处理的合计；"
                  f"{V2021}年格式的{absent}项按0计", key=total)
        # Said on the cell as well, so a workbook imported from it (and a report built from that) explains its 0s.
        self.notes.setdefault(total, f"{old.version}年格式的“{old.t3_unsplit}”未分项，全数计入“{into.label}”，"
                                     f"{absent}项按0计")

    def finish_t3(self, versions: dict[str, str]) -> None:
        if not self.rows[T3] and self.t3_unsplit is None:
            reason = "只找到表头，没有数据行" if T3 in self.seen_header else \
                f"没有行标签为“{T3_ROWS[0].label}”等的表格行"
            self.find("MAP-TABLE-MISSING", ERROR, T3, f"未找到表三（{TABLE_3.title}）：{reason}{self.why_none()}")
            return
        old = FORMAT_2019
        split = any(k in self.rows[T3] for k in (*old.t3_absent, old.t3_unsplit_row))
        if self.t3_unsplit is not None and not split:
            versions[T3] = V2019
            self.unsplit_2019(self.t3_unsplit)
        elif self.t3_unsplit is not None:
            self.find("MAP-SUBTOTAL", WARNING, T3,
                      f"表三“{old.t3_unsplit}”一行是小计，格式中没有此行，其中的数字未读入（由各项计算）")
            versions[T3] = V2021
        else:
            versions[T3] = V2021 if all(k in self.rows[T3] for k in T3_2021_ONLY) else UNKNOWN
        for row in T3_ROWS:
            if row.key in self.rows[T3] or (versions[T3] == V2019 and row.key in T3_2021_ONLY):
                continue
            self.find("MAP-ROW-MISSING", ERROR, T3, f"表三缺少“{row.name}”一行，该行各格未读入",
                      key=cell_key(TABLE_3.key, row.key, T3_COLUMNS[-1].key))


def _names(spec: _Spec) -> list[str]:
    out = []
    for key in spec.keys:
        for c in SCHEMA.cells.values():
            if c.table.name == spec.table and c.column.key == key:
                out.append(c.column_name)
                break
    return out


def to_report(pub: Published) -> Mapped:
    """Map a published report onto the schema: a Report to check, table versions and findings."""
    mapper = _Mapper(pub)
    mapper.run()
    versions = mapper.finish()
    title = find_title(pub)
    report = Report(title.unit, title.year, VERSION, mapper.entries, mapper.notes, source=pub.source)
    recovered = recover(pub, report)
    report.entries |= recovered.values
    report.notes = recovered.notes | report.notes
    return Mapped(report, versions, mapper.findings, mapper.found, mapper.where, mapper.legacy,
                  recovered.messages)
