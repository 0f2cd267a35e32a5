"""Where everything sits in the workbook: sheets, label cells, value cells, check cells.

The layout is computed from the schema alone, so the generator writes it and the reader
reads by it; a label found elsewhere than here means the sheet was edited.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import cached_property

from ..schema import SCHEMA, Field, Kind, Table
from ..schema import fields as F
from ..schema.grid import grid

INSTRUCTIONS = "填表说明"
CHECKS = "校验"
META = "_gxsheet"
TOP = 2  # rows above a table grid: title and a hint line
TABLE_HINT = "白色格由本单位填写（未填时显示为浅黄色），灰色格自动计算；右侧和下方显示校验结果。"


@dataclass(frozen=True)
class Text:
    """A fixed label cell; `style` picks its format."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    style: str = "label"  # title | header | label | hint | check_label


@dataclass
class SheetLayout:
    name: str
    texts: list[Text] = field(default_factory=list)
    values: dict[str, tuple[int, int]] = field(default_factory=dict)
    value_spans: dict[str, int] = field(default_factory=dict)  # key -> colspan
    checks: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # id -> row, col, colspan
    widths: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    landscape: bool = False
    repeat_rows: tuple[int, int] | None = None
    freeze: tuple[int, int] | None = None  # first scrolling row and column
    checks_beside: bool = True  # a table: statuses right of a row or below a column, else all listed
    width: int = 0  # content columns, before the check column
    bottom: int = 0  # first free row below the content


def _table_sheet(table: Table) -> SheetLayout:
    g = grid(table)
    s = SheetLayout(table.sheet, width=g.cols, landscape=g.cols > 5)
    s.texts.append(Text(0, 0, table.title, colspan=g.cols, style="title"))
    s.texts.append(Text(1, 0, TABLE_HINT, colspan=g.cols, style="hint"))
    for c in g.cells:
        if c.key:
            s.values[c.key] = (TOP + c.row, c.col)
            s.value_spans[c.key] = c.colspan
        else:
            style = "header" if c.header else "label"
            s.texts.append(Text(TOP + c.row, c.col, c.text, c.rowspan, c.colspan, style))
    label_cols = max(b.label_width for b in table.blocks)
    if len(table.blocks) == 1:  # 表二's blocks have headers of their own: nothing to repeat
        s.repeat_rows = (0, TOP + g.header_rows[-1])
        s.freeze = (TOP + g.header_rows[-1] + 1, label_cols)
    for col in range(g.cols):
        s.widths[col] = 12 if col < label_cols else 10
    if table.key == "t3":
        s.widths[0], s.widths[1], s.widths[2] = 8, 14, 27
    if table.key == "t4":  # fifteen value columns across a landscape page at full size
        s.widths = dict.fromkeys(range(g.cols), 8.4)
    if table.key == "t2":
        s.widths = {0: 20, 1: 14, 2: 14, 3: 14}
    s.bottom = TOP + g.rows
    _previous_cells(s, table)
    return s


def _previous_cells(s: SheetLayout, table: Table) -> None:
    """Last year's figures beside this year's: a row under 表三, a column right of 表二's 现行有效件数."""
    prev = [f for f in SCHEMA.fields if f.key.startswith(F.PREVIOUS) and f.sheet == table.sheet]
    if not prev:
        return
    this = [f.key[len(F.PREVIOUS):] for f in prev]
    rows = {s.values[k][0] for k in this}
    if len(rows) == 1:  # one row of figures: repeat it under the table
        label_cols = min(s.values[k][1] for k in this)
        s.texts.append(Text(s.bottom, 0, f"上年“{_row_label(this[0])}”（上年数据，系统预填）",
                            colspan=label_cols, style="check_label"))
        for f, k in zip(prev, this, strict=True):
            s.values[f.key] = (s.bottom, s.values[k][1])
        s.bottom += 1
        return
    col = s.width  # one column: right of the table's last, before the checks
    s.texts = [replace(t, colspan=t.colspan + 1) if t.row < TOP else t for t in s.texts]  # title, hint
    s.texts.append(Text(TOP, col, prev[0].label, rowspan=2, style="header"))
    s.widths[col] = 14
    s.width += 1
    for f, k in zip(prev, this, strict=True):
        s.values[f.key] = (s.values[k][0], col)


def _row_label(key: str) -> str:
    return SCHEMA.cells[key].row.label


def _field_sheet(name: str, fields: tuple[Field, ...]) -> SheetLayout:
    s = SheetLayout(name, width=3, checks_beside=False)
    s.texts.append(Text(0, 0, name, colspan=3, style="title"))
    s.texts += [Text(1, 0, "项目", style="header"), Text(1, 1, "填写内容", style="header"),
                Text(1, 2, "说明", style="header")]
    row = 2
    for f in fields:
        s.texts.append(Text(row, 0, f.label))
        s.values[f.key] = (row, 1)
        fixed = "系统生成，不可修改" if f.locked else ""
        hint = f.prompt or fixed or (f.kind.rule_zh if not f.kind.numeric else "")
        if f.unit:
            hint = f"单位：{f.unit}。{hint}" if hint else f"单位：{f.unit}"
        if hint:
            s.texts.append(Text(row, 2, hint, style="hint"))
        if f.kind is Kind.LONGTEXT:
            s.heights[row] = 180
        row += 1
    long = any(f.kind is Kind.LONGTEXT for f in fields)
    s.widths = {0: 16, 1: 56, 2: 18} if long else {0: 20, 1: 40, 2: 28}
    s.bottom = row
    return s


def _publishing_sheet() -> SheetLayout:
    s = SheetLayout(F.PUBLISHING, width=3)
    s.texts.append(Text(0, 0, "主动公开发布情况（报告“（一）主动公开”引用的数字）", colspan=3, style="title"))
    row = 1
    for section, prefix, slots, total in (
        (F.CHANNELS, "pub.channel", F.CHANNEL_SLOTS, "pub.channel.total"),
        (F.CATEGORIES, "pub.category", F.CATEGORY_SLOTS, "pub.category.total"),
    ):
        s.texts.append(Text(row, 0, section, colspan=3, style="header"))
        row += 1
        if prefix == "pub.category":
            scope = SCHEMA.field_map["pub.category_scope"]
            s.texts.append(Text(row, 0, scope.label))
            s.values[scope.key] = (row, 1)
            row += 1
        s.texts += [Text(row, 0, "序号", style="header"), Text(row, 1, "名称", style="header"),
                    Text(row, 2, "条数", style="header")]
        row += 1
        for i in range(1, slots + 1):
            s.texts.append(Text(row, 0, str(i)))
            s.values[f"{prefix}.{i}.name"] = (row, 1)
            s.values[f"{prefix}.{i}.count"] = (row, 2)
            row += 1
        s.texts.append(Text(row, 0, SCHEMA.field_map[total].label, colspan=2, style="header"))
        s.values[total] = (row, 2)
        row += 2
    s.widths = {0: 16, 1: 40, 2: 14}
    s.bottom = row - 1
    return s


def _notes_sheet() -> SheetLayout:
    s = SheetLayout(F.NOTES, width=3)
    s.texts.append(Text(0, 0, "单元格备注（个别数字需要说明时填写，如“含自然失效29件”）", colspan=3, style="title"))
    s.texts += [Text(1, 0, "序号", style="header"), Text(1, 1, "所指单元格（从下拉列表选择）", style="header"),
                Text(1, 2, "备注内容", style="header")]
    for i in range(1, F.NOTE_SLOTS + 1):
        s.texts.append(Text(1 + i, 0, str(i)))
        s.values[f"note.{i}.cell"] = (1 + i, 1)
        s.values[f"note.{i}.text"] = (1 + i, 2)
    s.widths = {0: 6, 1: 50, 2: 35}
    s.bottom = 2 + F.NOTE_SLOTS
    return s


def _anchor(keys: tuple[str, ...], target: str, name: str,
            where: dict[str, tuple[str, int, int]]) -> int:
    """The row an instance belongs to: its total's row, or the one row all its cells share."""
    if target:
        return where[target][1]
    rows = {where[k][1] for k in keys if where[k][0] == name}
    local = all(where[k][0] == name for k in keys)
    return rows.pop() if local and len(rows) == 1 else -1


def _place_checks(sheets: dict[str, SheetLayout], where: dict[str, tuple[str, int, int]]) -> None:
    """Put each rule instance beside what it checks: right of its row, below its column, or listed."""
    by_sheet: dict[str, list[tuple[str, str, tuple[str, ...], int]]] = defaultdict(list)
    for rule in SCHEMA.rules:
        for inst in rule.instances:
            keys = inst.relation.keys
            name = where[keys[0]][0]
            target = getattr(inst.relation, "target", "")
            by_sheet[name].append((rule.code, inst.id, keys, _anchor(keys, target, name, where)))
    for name, items in by_sheet.items():
        _place_on_sheet(sheets[name], items, where)


def _place_on_sheet(s: SheetLayout, items: list[tuple[str, str, tuple[str, ...], int]],
                    where: dict[str, tuple[str, int, int]]) -> None:
    anchors: dict[str, list[int]] = defaultdict(list)
    for code, _, _, row in items:
        anchors[code].append(row)
    used_rows: set[int] = set()
    wanted: dict[str, tuple[str, int, int]] = {}  # iid -> (code, lo, hi) for a row below
    listed: list[str] = []
    for code, iid, keys, row in items:
        beside = s.checks_beside and min(c for _, c in s.values.values()) > 0  # 表四 has no row labels
        if beside and row >= 0 and anchors[code].count(row) == 1 and row not in used_rows:
            used_rows.add(row)
            s.checks[iid] = (row, s.width, 1)
            continue
        local = [k for k in keys if where[k][0] == s.name]
        cols = {s.values[k][1] for k in local}
        lo = min(s.values[k][1] for k in local)
        hi = max(s.values[k][1] + s.value_spans.get(k, 1) for k in local)
        # Below the content only where a label fits to the left of the status.
        row_of_several = row >= 0 and len(anchors[code]) > 1  # 表四's three totals side by side
        if s.checks_beside and len(local) == len(keys) and (len(cols) == 1 or row_of_several) and lo > 0:
            wanted[iid] = (code, lo, hi)
        else:
            listed.append(iid)
    below: dict[str, int] = {}
    taken: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for code, lo, hi in wanted.values():
        taken[code].append((lo, hi))
    for code, spans in taken.items():
        spans.sort()
        clash = any(a[1] > b[0] for a, b in zip(spans, spans[1:], strict=False))
        clash = clash or any(SCHEMA.rule_of[i].code == code for i in listed)
        if clash:
            listed += [i for i, (c, _, _) in wanted.items() if c == code]
        else:
            below[code] = s.bottom + len(below)
    for iid, (code, lo, hi) in wanted.items():
        if code in below:
            s.checks[iid] = (below[code], lo, hi - lo)
    order = {inst.id: n for n, inst in enumerate(SCHEMA.instances)}
    listed.sort(key=order.__getitem__)
    label_cols = _check_label_cols(s, bool(used_rows))
    for code, r in below.items():
        s.texts.append(Text(r, 0, f"校验：{_rule(code).title}", colspan=_first_col(s, r),
                            style="check_label"))
    first = s.bottom + len(below) + (1 if below else 0)
    for n, iid in enumerate(listed):
        rule = SCHEMA.rule_of[iid]
        inst = next(i for i in rule.instances if i.id == iid)
        text = f"校验：{rule.title}" + (f"（{inst.where}）" if len(rule.instances) > 1 and inst.where != s.name else "")
        s.texts.append(Text(first + n, 0, text, colspan=label_cols, style="check_label"))
        s.checks[iid] = (first + n, label_cols, 1)
    s.bottom = first + len(listed)
    if used_rows:
        s.widths.setdefault(s.width, 10)
        s.texts.append(Text(1, s.width, "校验", style="header"))


def _check_label_cols(s: SheetLayout, check_column: bool) -> int:
    """Columns a listed check's text spans; its status stands in the next one."""
    row_labels = min((c for _, c in s.values.values()), default=1)
    if row_labels >= 2:  # 表三: the three row-label columns
        return row_labels
    if row_labels == 0:  # 表四, without row labels: the longest check text on one line
        return 10
    if check_column:  # statuses line up in the 校验 column right of the table
        return s.width
    return max(1, s.width - 1)  # the label and value columns, the status in the last


def _rule(code: str):  # type: ignore[no-untyped-def]
    return next(r for r in SCHEMA.rules if r.code == code)


def _first_col(s: SheetLayout, row: int) -> int:
    return min((c for r, c, _ in s.checks.values() if r == row), default=1) or 1


def _span(s: SheetLayout, key: str) -> tuple[int, int]:
    return s.values[key][1], s.value_spans.get(key, 1)


@dataclass
class Layout:
    """All sheets in order, and where every key and check lives."""

    sheets: list[SheetLayout]

    @cached_property
    def by_name(self) -> dict[str, SheetLayout]:
        return {s.name: s for s in self.sheets}

    @cached_property
    def where(self) -> dict[str, tuple[str, int, int]]:
        return {k: (s.name, r, c) for s in self.sheets for k, (r, c) in s.values.items()}

    @cached_property
    def check_rows(self) -> dict[str, int]:
        """Row of each instance on the 校验 sheet, in rule order."""
        return {inst.id: CHECK_TOP + n for n, inst in enumerate(SCHEMA.instances)}


CHECK_TOP = 5  # first instance row on the 校验 sheet
CHECK_HEADERS = ("编号", "所在", "位置", "规则", "类别", "状态")
CHECK_WIDTHS = (16, 16, 40, 46, 6, 8)  # A4 landscape at full size, most rows on one line


def _fit_heights(s: SheetLayout) -> None:
    """Raise rows whose wrapped labels need more than one line (CJK glyphs are two units wide)."""
    for t in s.texts:
        if t.rowspan > 1 or t.style == "title":
            continue
        width = sum(s.widths.get(c, 8.43) for c in range(t.col, t.col + t.colspan))
        lines = wrapped_lines(t.text, width)
        if lines > 1:
            s.heights[t.row] = max(s.heights.get(t.row, 0), 14.5 * lines)


def wrapped_lines(text: str, width: float) -> int:
    """Lines a wrapped text needs in a column this wide (CJK glyphs take two width units, Latin one)."""
    units = sum(2.1 if ord(ch) >= 0x2000 else 1.15 for ch in text)
    return max(1, -(-int(units) // max(int(width), 1)))


def _build() -> Layout:
    def sheet_fields(name: str) -> tuple[Field, ...]:
        return tuple(f for f in SCHEMA.fields if f.sheet == name)

    t2, t3, t4 = SCHEMA.tables
    sheets = [
        SheetLayout(INSTRUCTIONS, widths={0: 88}),
        _field_sheet(F.BASIC, sheet_fields(F.BASIC)),
        _field_sheet(F.OVERVIEW, sheet_fields(F.OVERVIEW)),
        _publishing_sheet(),
        _table_sheet(t2),
        _table_sheet(t3),
        _table_sheet(t4),
        _field_sheet(F.PROBLEMS, sheet_fields(F.PROBLEMS)),
        _field_sheet(F.OTHERS, sheet_fields(F.OTHERS)),
        _notes_sheet(),
        SheetLayout(CHECKS, widths=dict(enumerate(CHECK_WIDTHS)), repeat_rows=(CHECK_TOP - 1, CHECK_TOP - 1),
                    freeze=(CHECK_TOP, 0), landscape=True),
        SheetLayout(META),
    ]
    layout = Layout(sheets)
    _place_checks(layout.by_name, layout.where)
    for s in sheets:
        _fit_heights(s)
    return layout


LAYOUT = _build()
