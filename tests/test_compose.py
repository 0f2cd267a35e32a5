"""The composed report: six parts in order, and every number in the prose equal to its table figure."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import table_2, table_3, table_4

from gxsheet.check import check
from gxsheet.document.compose import compose
from gxsheet.document.figures import shares
from gxsheet.document.model import Document, Heading, Paragraph
from gxsheet.jsonio import from_data
from gxsheet.report import Report
from gxsheet.schema.tables import T3_COLUMNS, T3_ROWS
from gxsheet.workbook.reader import read_workbook

PARTS = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
         "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
GROUPS = {  # result categories, typed here independently of the schema, with their row-key prefixes
    "予以公开": ("granted",), "部分公开": ("partial",), "不予公开": ("withheld_",),
    "无法提供": ("unavailable_",), "不予处理": ("rejected_",), "其他处理": ("other_",),
}
ORGS = [c.key for c in T3_COLUMNS[1:-1]]


def report_of(values: dict[str, object], channels: list[int]) -> Report:
    fields: dict[str, object] = {"overview.active": "本单位主动公开工作正文。"}
    for i, n in enumerate(channels, 1):
        fields |= {f"pub.channel.{i}.name": f"渠道{i}", f"pub.channel.{i}.count": n}
    return from_data({"unit": "甲镇人民政府", "year": 2024, "fields": fields, "tables": values})


def prose(doc: Document) -> str:
    return "\n".join(b.text for b in doc.blocks if isinstance(b, Paragraph))


def col_total(values: dict[str, object], row: str) -> int:
    return sum(int(values[f"t3.{row}.{c.key}"]) for c in T3_COLUMNS[:-1])  # type: ignore[call-overload]


def one(pattern: str, text: str) -> list[str]:
    found = re.findall(pattern, text)
    assert len(found) == 1, (pattern, found)
    return found[0] if isinstance(found[0], tuple) else [found[0]]


tables = st.builds(lambda a, b, c: a | b | c, table_2(), table_3(), table_4())


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(tables, st.lists(st.integers(0, 900), max_size=4), st.booleans(), st.booleans())
def test_every_number_in_the_prose_is_its_table_figure(values, channels, no_requests, no_cases) -> None:
    """Applications, outcomes and shares, reviews, lawsuits and publishing totals in the prose equal the tables."""
    if no_requests:
        values |= {k: 0 for k in values if k.startswith("t3.")}
    if no_cases:
        values |= {k: 0 for k in values if k.startswith("t4.")}
    doc = compose(report_of(values, channels))
    text = prose(doc)
    new, over = col_total(values, "new"), col_total(values, "carried_over")
    rows = [r.key for r in T3_ROWS[2:-2]]
    closed = sum(col_total(values, r) for r in rows)
    if new + over == 0:
        assert "未收到政府信息公开申请" in text and "办结" not in text
    else:
        assert "未收到" not in text
        assert int(one(r"新收政府信息公开申请(\d+)件", text)[0]) == new
        assert int(one(r"上年结转(\d+)件", text)[0]) == over
        assert int(one(r"办结(\d+)件", text)[0]) == closed
        assert int(one(r"结转下年度继续办理(\d+)件", text)[0]) == col_total(values, "carried_forward")
        if new:
            natural, orgs = one(r"其中自然人(\d+)件，法人或其他组织(\d+)件", text)
            assert int(natural) == values["t3.new.natural"]
            assert int(orgs) == sum(int(values[f"t3.new.{c}"]) for c in ORGS)  # type: ignore[call-overload]
        counts = {g: sum(col_total(values, r) for r in rows if r.startswith(p)) for g, p in GROUPS.items()}
        quoted = dict(re.findall(r"(予以公开|部分公开|不予公开|无法提供|不予处理|其他处理)(\d+)件（占", text))
        assert {g: int(n) for g, n in quoted.items()} == {g: n for g, n in counts.items() if n}
        pcts = [Decimal(p) for p in re.findall(r"件（占([\d.]+)%）", text)]
        assert not pcts or abs(sum(pcts) - 100) <= Decimal("0.05") * len(pcts)  # each rounded on its own
    review = sum(int(values[f"t4.review.{o}"]) for o in ("upheld", "corrected", "other", "pending"))  # type: ignore[call-overload]
    suits = sum(int(values[f"t4.{g}.{o}"]) for g in ("direct", "after_review")  # type: ignore[call-overload]
                for o in ("upheld", "corrected", "other", "pending"))
    if review + suits == 0:
        assert "未发生因政府信息公开引起的行政复议、行政诉讼" in text
    else:
        cases = one(r"本年度[^。]*行政复议[^。]*。", text)[0]
        for kind, n in (("行政复议", review), ("行政诉讼", suits)):
            if n:
                assert int(one(kind + r"(\d+)件", cases)[0]) == n
            else:
                assert "未发生" in cases and not re.search(kind + r"\d", cases)
    if channels:
        assert int(one(r"共发布政务信息(\d+)条", text)[0]) == sum(channels)
        assert [int(n) for n in re.findall(r"发布(\d+)条", text)][-len(channels):] == channels or len(channels) == 1


@given(st.lists(st.integers(0, 10**6), min_size=1, max_size=8))
def test_shares_are_each_rounded_on_their_own(counts) -> None:
    """Each share is its exact share rounded half up to 0.1%: equal counts read the same share."""
    out = shares(counts)
    if sum(counts) == 0:
        assert out == [""] * len(counts)
        return
    values = [Decimal(s.rstrip("%")) for s in out]
    for c, v in zip(counts, values, strict=True):
        assert abs(v - Decimal(c) * 100 / sum(counts)) <= Decimal("0.05")
    for a, b in zip(counts, out, strict=True):
        assert all(y == b for x, y in zip(counts, out, strict=True) if x == a)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(table_3())
def test_equal_counts_read_equal_shares(values) -> None:
    """In the prose, two result categories with the same count have the same share (never 6.7% and 6.6%)."""
    text = prose(compose(report_of(values, [])))
    quoted = re.findall(r"(\d+)件（占([\d.]+)%）", text)
    by_count: dict[str, set[str]] = {}
    for n, pct in quoted:
        by_count.setdefault(n, set()).add(pct)
    assert all(len(p) == 1 for p in by_count.values()), quoted


def test_equal_counts_of_fifteen_read_the_same() -> None:
    """The case of the issue: 15 closed, two categories of one each."""
    assert shares([13, 1, 1]) == ["86.7%", "6.7%", "6.7%"]


CASE_OUTCOMES = ("结果维持", "结果纠正", "其他结果", "尚未审结")


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(table_4(), st.sampled_from(["review", "direct", "after_review", ""]))
def test_cases_sentence_names_only_what_occurred(values, emptied) -> None:
    """表四's sentence: no outcome or kind named with 0件; 均获维持 and 未被纠错 only right after a count not 0."""
    if emptied:
        values |= {k: 0 for k in values if k.startswith(f"t4.{emptied}.")}
    text = prose(compose(report_of(values, [])))
    cases = one(r"本年度[^。]*行政复议[^。]*。", text)[0]
    assert not re.search(r"(?<!\d)0件", cases), cases
    for verdict in ("均获维持", "未被纠错"):
        for m in re.finditer(verdict, cases):
            before = cases[:m.start()]
            assert re.search(r"[1-9]\d*件）?，$", before), cases  # right after a kind's count or its outcomes
    review = sum(int(values[f"t4.review.{o}"]) for o in ("upheld", "corrected", "other", "pending"))  # type: ignore[call-overload]
    suits = sum(int(values[f"t4.{g}.{o}"]) for g in ("direct", "after_review")  # type: ignore[call-overload]
                for o in ("upheld", "corrected", "other", "pending"))
    clauses = {kind: rest for kind, _, rest in re.findall(r"(行政复议|行政诉讼)(\d+)件([^；。]*)", cases)}
    for kind, n, key in (("行政复议", review, ("review",)), ("行政诉讼", suits, ("direct", "after_review"))):
        if not n:
            assert kind not in clauses
            continue
        upheld = sum(int(values[f"t4.{g}.upheld"]) for g in key)  # type: ignore[call-overload]
        corrected = sum(int(values[f"t4.{g}.corrected"]) for g in key)  # type: ignore[call-overload]
        assert ("均获维持" in clauses[kind]) == (upheld == n)
        assert "未被纠错" not in clauses[kind] or corrected == 0
        for name, o in zip(CASE_OUTCOMES, ("upheld", "corrected", "other", "pending"), strict=True):
            count = sum(int(values[f"t4.{g}.{o}"]) for g in key)  # type: ignore[call-overload]
            if count and upheld != n:
                assert f"{name}{count}件" in clauses[kind]


def test_six_parts_in_order_numbered_as_text(sample_workbook: Path) -> None:
    """The sample composes into the title, six parts 一、…六、 in order, and five sub-parts of part one."""
    doc = compose(read_workbook(sample_workbook))
    assert doc.title == ("柴胡店镇人民政府", "2024年政府信息公开工作年度报告")
    assert doc.headings(1) == PARTS
    first = doc.blocks.index(Heading(1, PARTS[1]))
    assert [b.text for b in doc.blocks[:first] if isinstance(b, Heading) and b.level == 2] == [
        "（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）平台建设", "（五）监督保障"]
    assert not doc.unchecked


def test_sample_carries_every_figure_of_the_seed(sample_workbook: Path) -> None:
    """The seed's figures — 2173 items by four channels, five categories, no applications, no fee — are in the prose."""
    text = prose(compose(read_workbook(sample_workbook)))
    for phrase in ("共发布政务信息2173条", "滕州市政府信息公开网发布24条", "柴胡店镇官网发布815条",
                   "“柴胡店镇微讯”微信公众号发布1325条", "线下张贴发布9条", "通知公告10条", "政策文件1条",
                   "规划计划2条", "组织管理9条", "公开基本目录2条", "未收到政府信息公开申请",
                   "未发生因政府信息公开引起的行政复议、行政诉讼", "未收取政府信息公开信息处理费",
                   "统计期限自2024年1月1日起至2024年12月31日止", "邮编：277525", "0632-2205128"):
        assert phrase in text, phrase


def test_unchecked_report_says_so(sample_workbook: Path) -> None:
    """A report composed with errors in its check result carries the 未通过校验 warning; a clean one does not."""
    report = read_workbook(sample_workbook)
    report.entries["t3.new.natural"] = report.entries["t3.new.natural"].__class__(5, Decimal(5))
    doc = compose(report, check(report))
    assert doc.unchecked.startswith("【未通过校验：有")
    assert "不得发布" in doc.unchecked


def test_staff_text_is_data_not_template(tmp_path: Path) -> None:
    """Jinja syntax and markup typed by staff come out verbatim."""
    hostile = "{{ f.year }}{% if 1 %}x{% endif %}<b>&amp;“引号”"
    report = from_data({"unit": "甲镇人民政府", "year": 2024, "fields": {"overview.platforms": hostile}})
    assert hostile in prose(compose(report))
