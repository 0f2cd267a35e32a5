"""Every rule of reference §4 that needs only this year's data, declared once.

A rule has a code, a severity, a Chinese title and message, and one instance per row,
column or block it applies to. The workbook and the checker both iterate over `RULES`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from . import fields as F
from .model import Severity, Table, cell_key
from .relations import AtMost, Balance, Below, Filled, Relation, Total, Valid, ZeroUnless
from .tables import OUTCOMES, T3_COLUMNS, T3_ROWS, T4_GROUPS, TABLE_2, TABLE_3, TABLE_4

ERROR, WARNING = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True)
class Instance:
    """One application of a rule: where it applies (in words) and the relation it states."""

    id: str
    where: str
    relation: Relation


@dataclass(frozen=True)
class Rule:
    """A declared check. `message` is formatted with where, a and b (the two sides)."""

    code: str
    severity: Severity
    group: str  # the table or sheet the rule belongs to, for grouping problems
    title: str
    message: str
    instances: tuple[Instance, ...]


def _t3(row: str, col: str) -> str:
    return cell_key(TABLE_3.key, row, col)


T3_PARTS = tuple(c.key for c in T3_COLUMNS[:-1])
T3_RESULT_ROWS = tuple(r.key for r in T3_ROWS[2:-2])  # （一） … （六）3.


def _rule(code: str, severity: Severity, group: str, title: str, message: str,
          instances: list[tuple[str, Relation]]) -> Rule:
    n = len(instances)
    made = tuple(
        Instance(f"{code}-{i:02d}" if n > 1 else code, where, rel)
        for i, (where, rel) in enumerate(instances, 1)
    )
    return Rule(code, severity, group, title, message, made)


def _table_keys(table: Table) -> tuple[str, ...]:
    return tuple(c.key for c in table.cells)


def _counts(prefix: str, slots: int) -> tuple[str, ...]:
    return tuple(f"{prefix}.{i}.count" for i in range(1, slots + 1))


def _required(sheet: str) -> tuple[str, ...]:
    return tuple(f.key for f in F.FIELDS if f.sheet == sheet and f.required and not f.locked)


T4_TOTALS = tuple(f"t4.{g}.total" for g, _ in T4_GROUPS)

RULES: tuple[Rule, ...] = (
    _rule("T3-ROW", ERROR, TABLE_3.name, "总计＝自然人与法人或其他组织各列之和",
          "{where}：总计为{a}，各类申请人之和为{b}",
          [(f"{r.name}行", Total(_t3(r.key, "total"), tuple(_t3(r.key, c) for c in T3_PARTS)))
           for r in T3_ROWS]),
    _rule("T3-RESULT", ERROR, TABLE_3.name, "（七）总计＝（一）至（六）各项之和",
          "{where}：（七）总计为{a}，各项办理结果之和为{b}",
          [(f"{c.label}列", Total(_t3("closed", c.key), tuple(_t3(r, c.key) for r in T3_RESULT_ROWS)))
           for c in T3_COLUMNS]),
    _rule("T3-BALANCE", ERROR, TABLE_3.name, "第一项加第二项之和，等于第三项加第四项之和",
          "{where}：一＋二＝{a}，（七）总计＋四＝{b}，两者不相等",
          [(f"{c.label}列", Balance((_t3("new", c.key), _t3("carried_over", c.key)),
                                    (_t3("closed", c.key), _t3("carried_forward", c.key))))
           for c in T3_COLUMNS]),
    _rule("T4-SUM", ERROR, TABLE_4.name, "总计＝结果维持＋结果纠正＋其他结果＋尚未审结",
          "{where}：总计为{a}，各项结果之和为{b}",
          [("·".join(path[-1:]), Total(f"t4.{g}.total", tuple(f"t4.{g}.{k}" for k, _ in OUTCOMES[:-1])))
           for g, path in T4_GROUPS]),
    _rule("T2-STOCK", WARNING, TABLE_2.name, "本年制发件数不应超过本年废止与现行有效件数之和",
          "{where}：本年制发{a}件，本年废止与现行有效合计只有{b}件，现行有效件数可能偏小",
          [(f"{r}行", AtMost((f"t2.{k}.issued",), (f"t2.{k}.repealed", f"t2.{k}.in_force")))
           for k, r in (("regulation", "规章"), ("normative", "行政规范性文件"))]),
    _rule("T2-FEE-UNIT", WARNING, TABLE_2.name, "行政事业性收费以万元为单位，数额过大时请确认未按元填写",
          "{where}：填写了{a}万元，不小于{b}万元，请确认单位",
          [("行政事业性收费", Below(("t2.fees.amount",), Decimal(10000)))]),
    _rule("T4-AFTER-REVIEW", WARNING, TABLE_4.name, "复议后起诉一般不多于本年行政复议总数",
          "{where}：复议后起诉{a}件，多于行政复议总计{b}件，请核实",
          [("复议后起诉", AtMost(("t4.after_review.total",), ("t4.review.total",)))]),
    _rule("T4-WITHOUT-T3", WARNING, TABLE_4.name, "有行政复议或诉讼时，表三一般应有申请",
          "{where}：复议诉讼合计{a}件，而表三本年新收与上年结转合计为{b}件，请核实",
          [("表四", ZeroUnless(T4_TOTALS, (_t3("new", "total"), _t3("carried_over", "total"))))]),
    *(
        _rule(f"BLANK-{t.name}", ERROR, t.name, "每一格都要填写，没有的填0",
              "{where}：有{a}格未填", [(t.name, Filled(_table_keys(t)))])
        for t in (TABLE_2, TABLE_3, TABLE_4)
    ),
    *(
        _rule(f"VALUE-{t.name}", ERROR, t.name, "件数为不小于0的整数，金额为不小于0的数",
              "{where}：有{a}格不是有效数字", [(t.name, Valid(_table_keys(t), whole=t is not TABLE_2))])
        for t in (TABLE_3, TABLE_4)
    ),
    _rule("VALUE-表二", ERROR, TABLE_2.name, "件数为不小于0的整数，金额为不小于0的数",
          "{where}：有{a}格不是有效数字",
          [("件数", Valid(tuple(k for k in _table_keys(TABLE_2) if k != "t2.fees.amount"), whole=True)),
           ("收费金额", Valid(("t2.fees.amount",), whole=False))]),
    _rule("PUB-TOTAL", ERROR, F.PUBLISHING, "合计＝各项条数之和",
          "{where}：合计为{a}，各项之和为{b}",
          [("按发布渠道", Total("pub.channel.total", _counts("pub.channel", F.CHANNEL_SLOTS), True)),
           ("按信息类别", Total("pub.category.total", _counts("pub.category", F.CATEGORY_SLOTS), True))]),
    _rule("PUB-SCOPE", WARNING, F.PUBLISHING, "按类别统计的条数不应多于发布总条数",
          "{where}：类别合计{a}条，多于发布总数{b}条",
          [("按信息类别", AtMost(("pub.category.total",), ("pub.channel.total",)))]),
    _rule("VALUE-PUB", ERROR, F.PUBLISHING, "条数为不小于0的整数", "{where}：有{a}格不是有效数字",
          [(F.PUBLISHING, Valid(_counts("pub.channel", F.CHANNEL_SLOTS)
                                + _counts("pub.category", F.CATEGORY_SLOTS), whole=True))]),
    _rule("VALUE-FEE", ERROR, F.OTHERS, "信息处理费为不小于0的数（元）", "{where}：不是有效金额",
          [("信息处理费", Valid(("others.fee",), whole=False))]),
    _rule("XY-CARRY", ERROR, TABLE_3.name, "二、上年结转＝上年“四、结转下年度继续办理”",
          "{where}：本年上年结转{a}件，上年结转下年度{b}件，两者应相等",
          [(f"{c.label}列", Balance((_t3("carried_over", c.key),), (F.PREVIOUS + _t3("carried_forward", c.key),)))
           for c in T3_COLUMNS[:-1]]),  # the 总计 column follows from these six
    _rule("XY-STOCK", WARNING, TABLE_2.name, "上年现行有效＋本年制发－本年废止＝本年现行有效",
          "{where}：上年现行有效加本年制发为{a}件，本年废止加现行有效为{b}件，请核实（清理后重新统计的可保留）",
          [(f"{r}行", Balance((f"{F.PREVIOUS}t2.{k}.in_force", f"t2.{k}.issued"),
                              (f"t2.{k}.repealed", f"t2.{k}.in_force")))
           for k, r in (("regulation", "规章"), ("normative", "行政规范性文件"))]),
    _rule("FIELDS", WARNING, "文字部分", "报告需要的信息和文字都已填写", "{where}：有{a}项未填",
          [(sheet, Filled(_required(sheet))) for sheet in (F.BASIC, F.OVERVIEW, F.PROBLEMS, F.OTHERS)]),
)
