"""Published reports made by hand, as the readers give them: every table cell printed as a correct
report prints it, the six parts with clean prose, and balanced fillings whose figures all differ
(shared by the audit, rowfit, PDF and published-CLI tests)."""

from __future__ import annotations

import random
from collections.abc import Mapping
from decimal import Decimal

from gxsheet.published.model import Published
from gxsheet.report import Report
from gxsheet.schema import SCHEMA, VERSION, Table
from gxsheet.schema.grid import grid
from gxsheet.schema.rules import T3_PARTS, T3_RESULT_ROWS
from gxsheet.schema.tables import OUTCOMES, T4_GROUPS, TABLES
from gxsheet.values import parse_key

UNIT, YEAR = "甲镇人民政府", 2024
ALL_KEYS = [c.key for t in TABLES for c in t.cells]


def complete(inputs: Mapping[str, object]) -> dict[str, str]:
    """Every cell's printed text, totals computed from the inputs as a correct report prints them."""
    report = Report(UNIT, YEAR, VERSION, {k: parse_key(k, v) for k, v in inputs.items()})
    out = {}
    for key in ALL_KEYS:
        n = report.number(key)
        out[key] = "" if n is None else (str(int(n)) if n == n.to_integral_value() else format(n.normalize(), "f"))
    return out


def zeros() -> dict[str, str]:
    return complete({c.key: 0 for c in SCHEMA.table_inputs})


def rows(table: Table, values: Mapping[str, str], form: str = "html") -> list[list[str]]:
    """The table's rows as the readers give them: merged cells repeated (html, docx), or each cell
    once with empty continuation cells under vertical merges (text)."""
    g = grid(table)
    owner = {}
    for c in g.cells:
        for r in range(c.row, c.row + c.rowspan):
            for k in range(c.col, c.col + c.colspan):
                owner[(r, k)] = c
    out = []
    for r in range(g.rows):
        row: list[str] = []
        k = 0
        while k < g.cols:
            c = owner[(r, k)]
            text = values.get(c.key, "") if c.key else c.text
            if form == "text":
                row.append(text if c.row == r else "")
                k += c.colspan
            else:
                row.append(text)
                k += 1
        out.append(row)
    return out


def requests_text(v: Mapping[str, str]) -> str:
    """A sentence quoting 表三's figures correctly."""
    orgs = sum(int(v[f"t3.new.{c}"] or 0) for c in ("commercial", "research", "nonprofit", "legal", "other_org"))
    return (f"{YEAR}年，本机关新收政府信息公开申请{v['t3.new.total']}件，其中自然人{v['t3.new.natural']}件、"
            f"法人或其他组织{orgs}件，上年结转{v['t3.carried_over.total']}件；本年度办结{v['t3.closed.total']}件，"
            f"其中予以公开{v['t3.granted.total']}件、部分公开{v['t3.partial.total']}件；"
            f"结转下年度继续办理{v['t3.carried_forward.total']}件。")


def body(v: Mapping[str, str], extra: list[str] | None = None, first: str = "一、总体情况",
         drop: int = 0) -> list[str]:
    """The six parts with clean prose; extra sentences go into 一（二）, part `drop` (1–6) is left out."""
    parts = [
        [first, f"本报告所列数据的统计期限自{YEAR}年1月1日起至{YEAR}年12月31日止。", "（一）主动公开政府信息情况",
         "（二）依申请公开",
         requests_text(v), *(extra or [])],
        ["二、主动公开政府信息情况"],
        ["三、收到和处理政府信息公开申请情况"],
        ["四、政府信息公开行政复议、行政诉讼情况"],
        ["五、存在的主要问题及改进情况", f"{YEAR + 1}年，我镇将进一步规范依申请公开办理流程。"],
        ["六、其他需要报告的事项", f"{YEAR}年度未收取政府信息公开信息处理费。"],
    ]
    return [p for n, part in enumerate(parts, 1) if n != drop for p in part]


def published(v: Mapping[str, str], form: str = "html", paragraphs: list[str] | None = None,
              title: list[str] | None = None, tables: list[list[list[str]]] | None = None) -> Published:
    return Published(
        source="手工.html", form=form,
        title=title if title is not None else [UNIT, f"{YEAR}年政府信息公开工作年度报告"],
        paragraphs=paragraphs if paragraphs is not None else body(v),
        tables=tables if tables is not None else [rows(t, v, form) for t in TABLES],
    )


TABLE_2_2019 = [
    ["第二十条第（一）项"] * 4,
    ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
    ["规章", "0", "0", "0"],
    ["规范性文件", "3", "3", "40"],
    ["第二十条第（五）项"] * 4,
    ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
    ["行政许可", "12", "0", "230"],
    ["其他对外管理服务事项", "0", "0", "0"],
    ["第二十条第（九）项"] * 4,
    ["信息内容", "采购项目数量", "采购总金额", "采购总金额"],
    ["政府集中采购", "2", "35.6", "35.6"],
]


def figures(seed: int) -> dict[str, object]:
    """A balanced filling in which most figures differ, so a cell read from the wrong slot shows."""
    rng = random.Random(seed)
    values: dict[str, object] = {}
    for row in ("regulation", "normative"):
        issued, repealed = rng.randint(1, 30), rng.randint(0, 9)
        values |= {f"t2.{row}.issued": issued, f"t2.{row}.repealed": repealed,
                   f"t2.{row}.in_force": rng.randint(issued, 400)}
    for row in ("licensing", "penalty", "coercion"):
        values[f"t2.{row}.decisions"] = rng.randint(10, 5000)
    values["t2.fees.amount"] = Decimal(rng.randint(1, 10**8)) / 10000
    for col in T3_PARTS:
        results = {row: rng.randint(0, 40) for row in T3_RESULT_ROWS}
        forward = rng.randint(0, 9)
        over = rng.randint(0, sum(results.values()) + forward)
        values |= {f"t3.{row}.{col}": n for row, n in results.items()}
        values |= {f"t3.carried_forward.{col}": forward, f"t3.carried_over.{col}": over,
                   f"t3.new.{col}": sum(results.values()) + forward - over}
    values |= {f"t4.{g}.{k}": rng.randint(0, 30) for g, _ in T4_GROUPS for k, _ in OUTCOMES[:-1]}
    return values


def extracted_text(pub: Published, short: bool) -> str:
    """The page as text extracted from it (cells one a TAB line); short: rows of zeros lose their last
    two cells, as PDF text does with trailing blanks, so their numbers cannot be placed."""
    lines = [*pub.title, *pub.paragraphs, ""]
    for table in pub.tables:
        for row in table:
            cells = list(row)
            if short and len(cells) >= 8 and all(c.strip() == "0" for c in cells[-7:]):
                cells = cells[:-2]
            lines += [f"\t{c}".replace("\n", " ") for c in cells] + [""]
        lines += ["", ""]
    return "\n".join(lines)
