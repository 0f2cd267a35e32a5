"""One verdict: `audit` finds nothing in what `build` writes beyond what `check` finds in the workbook,
`import` gives back every field `build` printed, and a roll-up is judged as a roll-up."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import table_2, table_3, table_4

from gxsheet.check import check
from gxsheet.document.build import write
from gxsheet.document.compose import compose, compose_rollup
from gxsheet.document.model import Document, Paragraph, TableBlock
from gxsheet.jsonio import to_data
from gxsheet.published.audit import audit
from gxsheet.published.importer import imported
from gxsheet.published.model import Published
from gxsheet.published.reader import read_published
from gxsheet.report import Report
from gxsheet.schema import VERSION, Kind
from gxsheet.schema import fields as F
from gxsheet.schema.fields import CATEGORY_SLOTS, CHANNEL_SLOTS
from gxsheet.values import parse_key

FORMATS = ("html", "docx")
LINES = ["本年度依法做好政府信息公开工作。", "无", "详见附件<表格>&说明", "2024年共组织培训3次，参训120人次。",
         "下一步，将继续加强政务公开队伍建设。"]
NAMES = ["政府门户网站", "“某镇发布”微信公众号", "政务服务大厅公告栏", "通知公告", "政策文件", "规划计划"]
SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@st.composite
def texts(draw: st.DrawFn) -> dict[str, object]:
    """Every required narrative filled (one to three lines), the optional ones sometimes."""
    out: dict[str, object] = {}
    for f in (*F.OVERVIEW_FIELDS, *F.PROBLEM_FIELDS, *F.OTHER_FIELDS):
        if f.kind is Kind.LONGTEXT and (f.required or draw(st.booleans())):
            out[f.key] = "\n".join(draw(st.lists(st.sampled_from(LINES), min_size=1, max_size=3)))
    return out


@st.composite
def publishing(draw: st.DrawFn) -> dict[str, object]:
    """Channels and categories in their first slots, each named (the scope only with categories: alone it is
    never printed)."""
    out: dict[str, object] = {}
    for prefix, slots in (("pub.channel", CHANNEL_SLOTS), ("pub.category", CATEGORY_SLOTS)):
        for i in range(1, draw(st.integers(0, min(slots, 4))) + 1):
            out[f"{prefix}.{i}.name"] = draw(st.sampled_from(NAMES))
            out[f"{prefix}.{i}.count"] = draw(st.integers(0, 900))
    if "pub.category.1.name" in out and draw(st.booleans()):
        out["pub.category_scope"] = "政府信息公开网"
    return out


@st.composite
def basics(draw: st.DrawFn) -> dict[str, object]:
    out: dict[str, object] = {"address": "山东省滕州市某镇驻地", "postcode": "277500", "phone": "0632-2205128",
                              "email": "gk@example.cn", "others.fee": draw(st.sampled_from([0, "12.5", 300]))}
    if draw(st.booleans()):
        out["website"] = "中国滕州网"
    if draw(st.booleans()):
        out["published"] = dt.date(2025, 1, draw(st.integers(1, 31)))
    return out


@st.composite
def workbooks(draw: st.DrawFn) -> Report:
    """A filling `check` passes (no error), with every field `build` prints."""
    values = draw(table_2()) | draw(table_3()) | draw(table_4()) | draw(texts()) | draw(publishing()) \
        | draw(basics())
    unit = draw(st.sampled_from(["某镇人民政府", "滕州市发展和改革局办公室政务公开科"]))
    report = Report(unit, 2024, VERSION, {k: parse_key(k, v) for k, v in values.items()})
    if draw(st.booleans()):
        report.notes["t2.regulation.in_force"] = "含清理后重新统计的件数"
    return report


def built(tmp: Path, doc: Document, fmt: str) -> Published:
    out = tmp / f"report.{fmt}"
    write(doc, out, fmt)
    return read_published(out)


def _findings(problems: list[Any]) -> list[tuple[str, str]]:
    return sorted((p.rule, p.message) for p in problems)


@pytest.mark.parametrize("fmt", FORMATS)
@SETTINGS
@given(report=workbooks())
def test_audit_finds_nothing_check_did_not(tmp_path: Path, fmt: str, report: Report) -> None:
    """audit(build(wb)) finds exactly what check(wb) finds (but for unfilled texts) — nothing for a clean workbook."""
    result = check(report)
    if result.errors:
        return
    found = audit(built(tmp_path, compose(report, result), fmt))
    assert _findings(found.problems) == _findings([p for p in result.problems if p.rule != "FIELDS"])


@pytest.mark.parametrize("fmt", FORMATS)
@SETTINGS
@given(report=workbooks())
def test_import_gives_back_every_field(tmp_path: Path, fmt: str, report: Report) -> None:
    """export(import(build(wb))) == export(wb), field for field."""
    back, done = imported(built(tmp_path, compose(report, check(report)), fmt))
    want, got = to_data(report), to_data(back)
    assert done.placed == []
    for section in ("fields", "tables"):
        differ = [k for k in want[section] if want[section][k] != got[section][k]]
        assert differ == [], [(k, want[section][k], got[section][k]) for k in differ]


def _sample() -> Report:
    from gxsheet.jsonio import load

    return load(Path(__file__).resolve().parent.parent / "samples" / "source" / "柴胡店镇人民政府2024.toml")


def _with_cases(report: Report) -> Report:
    """The sample with one application granted, so the prose quotes numbers of 表三."""
    entries = dict(report.entries)
    entries |= {k: parse_key(k, 3) for k in ("t3.new.natural", "t3.granted.natural")}
    return dataclasses.replace(report, entries=entries)


@pytest.mark.parametrize("fmt", FORMATS)
def test_planted_contradictions_survive_the_round_trip(tmp_path: Path, fmt: str) -> None:
    """After build → import, a changed figure in the prose and a changed table cell are still found."""
    first = _with_cases(_sample())
    assert not check(first).errors
    again, _ = imported(built(tmp_path, compose(first), fmt))
    doc = compose(again)
    assert audit(built(tmp_path, doc, fmt)).problems == []
    prose = [b if not (isinstance(b, Paragraph) and "新收政府信息公开申请3件" in b.text)
             else Paragraph(b.text.replace("新收政府信息公开申请3件", "新收政府信息公开申请4件")) for b in doc.blocks]
    assert prose != list(doc.blocks)
    found = audit(built(tmp_path, dataclasses.replace(doc, blocks=tuple(prose)), fmt))
    assert [p.rule for p in found.problems] == ["NARR-NEW"]
    cells = [dataclasses.replace(b, values=b.values | {"t3.granted.commercial": "1"})
             if isinstance(b, TableBlock) and "t3.granted.commercial" in b.values else b for b in doc.blocks]
    found = audit(built(tmp_path, dataclasses.replace(doc, blocks=tuple(cells)), fmt))
    assert {p.code for p in found.problems} == {"T3-ROW-03", "T3-RESULT-02"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_rollup_is_audited_as_a_rollup(tmp_path: Path, fmt: str) -> None:
    """The roll-up has parts 一 to 四 only: recognised by its title, it audits clean; a unit's report
    without 五 and 六 does not."""
    report = _with_cases(_sample())
    rollup = compose_rollup(report, "滕州市", 3)
    assert audit(built(tmp_path, rollup, fmt)).problems == []
    as_unit = dataclasses.replace(rollup, title=(report.unit, f"{report.year}{F.REPORT_TITLE}"))
    missing = [p.message for p in audit(built(tmp_path, as_unit, fmt)).problems if p.rule == "STRUCT-PART-MISSING"]
    assert len(missing) == 2 and F.PART_5 in missing[0] and F.PART_6 in missing[1]


def test_text_without_sub_headings_is_kept_and_named() -> None:
    """Another report's parts 一 and 五 without sub-headings: each kept whole in one field, and a message says so."""
    paragraphs = ["本报告所列数据的统计期限自2024年1月1日起至2024年12月31日止。", F.PART_1, "全年公开信息100条。",
                  F.PART_5, "一是公开不够及时。", "二是明年将加强培训。", F.PART_6, "（一）其他事项", "无。"]
    pub = Published("x.html", "html", ["甲镇人民政府", f"2024{F.REPORT_TITLE}"], paragraphs)
    report, done = imported(pub)
    assert report.entry("problems.current").value == "一是公开不够及时。\n二是明年将加强培训。"
    assert report.entry("overview.summary").value == "全年公开信息100条。"
    assert report.entry("others.other").value == "无。"
    assert len(done.placed) == 2
    assert F.PART_1 in done.placed[0] and "总体情况概述" in done.placed[0]
    assert F.PART_5 in done.placed[1] and "存在的主要问题" in done.placed[1]


def test_other_reports_sub_headings_are_followed_where_they_allow() -> None:
    """Run-in sub-headings ("（一）主动公开方面。…") are placed by name, part 一's by their number when the
    name differs ("（四）平台载体建设方面"); part 五's run-in headings by name."""
    paragraphs = [F.PART_1, "概述。", "（一）主动公开方面。主动公开文字。", "（四）平台载体建设方面。平台文字。",
                  "（五）及时回应关切，自觉接受监督", "监督文字。", F.PART_5, "（一）存在的主要问题：问题文字。",
                  "（二）改进措施：措施文字。", F.PART_6]
    report, done = imported(Published("x.html", "html", ["甲镇人民政府", f"2024{F.REPORT_TITLE}"], paragraphs))
    want = {"overview.summary": "概述。", "overview.active": "主动公开文字。", "overview.platforms": "平台文字。",
            "overview.oversight": "监督文字。", "problems.current": "问题文字。", "problems.measures": "措施文字。"}
    assert {k: report.entry(k).value for k in want} == want
    assert done.placed == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_year_on_year_sentences_are_recognised(tmp_path: Path, fmt: str) -> None:
    """Built with last year's report ("较上年增加N件", "与上年持平"): audit finds nothing, import gives every field."""
    report, last = _with_cases(_sample()), _sample()
    last.year = report.year - 1
    last.entries["pub.channel.1.count"] = parse_key("pub.channel.1.count", 5)
    report.entries["t4.review.upheld"] = parse_key("t4.review.upheld", 1)  # 行政诉讼0件，与上年持平
    report.previous = last
    pub = built(tmp_path, compose(report, check(report)), fmt)
    assert any("较上年增加" in p for p in pub.paragraphs) and any("与上年持平" in p for p in pub.paragraphs)
    assert audit(pub).problems == []
    back, done = imported(pub)
    want, got = to_data(dataclasses.replace(report, previous=None)), to_data(back)
    assert done.placed == [] and want == got


def test_a_fee_sentence_not_written_by_build_is_kept_and_named() -> None:
    """Under the fee's sub-heading, a sentence the fee template did not write: no amount is guessed, the
    text goes to the other matters, and a message says so."""
    fee = next(f for f in F.OTHER_FIELDS if f.key == "others.fee")
    paragraphs = [F.PART_1, F.PART_5, F.PART_6, f"（一）{fee.title}", "信息处理费收取情况详见附件，共收取约12元。"]
    report, done = imported(Published("x.html", "html", ["甲镇人民政府", f"2024{F.REPORT_TITLE}"], paragraphs))
    assert report.entry("others.fee").value is None
    assert report.entry("others.other").value == paragraphs[-1]
    assert any(F.PART_6 in m and "信息处理费" in m for m in done.placed)
