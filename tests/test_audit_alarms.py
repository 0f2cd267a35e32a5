"""No false alarms: real pages, and faithful variants of them written the ways real reports are
written (title beginning with the year or broken over two lines, 年度 for 年, a period without
its second year, next year's measures under 下一步 / 下阶段 / 今后, a 2019 report without a fee
statement), audit without structure findings; and a table the reader cannot read is one reading
problem, with nothing else said about it."""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pages import extracted_text
from shared import shared

from gxsheet.published.audit import AuditResult, audit
from gxsheet.published.model import Published
from gxsheet.published.parts import find_periods, find_title
from gxsheet.published.reader import read_published
from gxsheet.published.reading import READING
from gxsheet.published.text import parse

PINGTAN = {2021: "pingtan_2021.html", 2022: "pingtan_2022.html"}
UNIT = "平潭综合实验区"
SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@cache
def _read(name: str) -> Published:
    return read_published(shared("reports", name))


def page(year: int) -> Published:
    """A fresh copy of a real page, to mutate."""
    return copy.deepcopy(_read(PINGTAN[year]))


def structure(result: AuditResult) -> list[str]:
    return [f"{p.code}: {p.message}" for p in result.problems if p.code.startswith("STRUCT")]


def replaced(pub: Published, old: str, new: str) -> Published:
    """The page with old replaced by new in every paragraph; old must occur."""
    assert any(old in p for p in pub.paragraphs), old
    pub.paragraphs = [p.replace(old, new) for p in pub.paragraphs]
    return pub


@pytest.mark.parametrize("year", sorted(PINGTAN))
def test_real_pages_have_no_structure_findings(year: int) -> None:
    """The two real pages follow the format (title with 年度, the six parts, period, next year, fee)."""
    result = audit(page(year))
    assert result.report.year == year
    assert result.report.unit == UNIT
    assert structure(result) == []


# --- the title ----------------------------------------------------------------------------------
@given(year=st.sampled_from(sorted(PINGTAN)), du=st.sampled_from(["年", "年度"]))
@SLOW
def test_title_beginning_with_the_year(year: int, du: str) -> None:
    pub = page(year)
    pub.title = [f"{year}{du}{UNIT}政府信息公开工作年度报告"]
    result = audit(pub)
    assert (result.report.year, result.report.unit) == (year, UNIT)
    assert structure(result) == []


@pytest.mark.parametrize("year", sorted(PINGTAN))
def test_title_with_the_year_after_it(year: int) -> None:
    pub = page(year)
    pub.title = [f"{UNIT}政府信息公开工作年度报告（{year}年度）"]
    text = extracted(pub, short=False)  # the text reader takes that line for the title too
    assert text.title == pub.title
    result = audit(text)
    assert (result.report.year, result.report.unit) == (year, UNIT)
    assert not [s for s in structure(result) if s.startswith("STRUCT-YEAR")]


@given(year=st.sampled_from(sorted(PINGTAN)), du=st.sampled_from(["年", "年度"]), data=st.data())
@SLOW
def test_title_split_over_two_lines_anywhere(year: int, du: str, data: st.DataObject) -> None:
    """The title broken at any character into two body lines above part 一 is still the title."""
    title = f"{UNIT}{year}{du}政府信息公开工作年度报告"
    cut = data.draw(st.integers(1, len(title) - 1))
    pub = page(year)
    pub.title = []
    pub.paragraphs = [title[:cut], title[cut:], *pub.paragraphs]
    found = find_title(pub)
    assert (found.year, found.unit, found.text) == (year, UNIT, title)
    assert structure(audit(pub)) == []


@pytest.mark.parametrize("cut", [len(UNIT), len(UNIT) + 8, len(UNIT) + 14])
def test_title_split_by_a_line_break_in_the_real_page(tmp_path: Path, cut: int) -> None:
    """The page itself with <br> inside its title: the web-page reader puts the two lines together."""
    title = f"{UNIT}2022年度政府信息公开工作年度报告"
    html = shared("reports", PINGTAN[2022]).read_text(encoding="utf-8")
    html = html.replace(f'content="{title}"', 'content=""').replace(f"<title>{title}", "<title>")  # the body's only
    assert html.count(title) == 1
    target = tmp_path / "split.html"
    target.write_text(html.replace(title, f"{title[:cut]}<br>{title[cut:]}"), encoding="utf-8")
    pub = read_published(target)
    assert "".join(pub.title) == title
    result = audit(pub)
    assert (result.report.year, result.report.unit) == (2022, UNIT)
    assert structure(result) == []


@given(data=st.data())
@SLOW
def test_title_split_over_two_lines_in_extracted_text(data: st.DataObject) -> None:
    """Text copied from the page with its title broken at any character: the text reader joins the lines."""
    title = f"{UNIT}2022年度政府信息公开工作年度报告"
    cut = data.draw(st.integers(1, len(title) - 1))
    pub = page(2022)
    pub.title = [title[:cut], title[cut:]]
    text = extracted(pub, short=False)
    assert "".join(text.title) == title
    assert text.paragraphs[0] == pub.paragraphs[0]
    result = audit(text)
    assert (result.report.year, result.report.unit) == (2022, UNIT)
    assert structure(result) == []


def test_a_wrong_title_is_still_flagged() -> None:
    """The tolerance has limits: a title that is not the report's kind, or another year, is a finding."""
    pub = page(2022)
    pub.title = [f"{UNIT}2022年政务工作总结"]
    assert any(s.startswith("STRUCT-TITLE") for s in structure(audit(pub)))
    pub = page(2022)
    pub.title = [f"{UNIT}2021年度政府信息公开工作年度报告"]
    assert any(s.startswith("STRUCT-YEAR") for s in structure(audit(pub)))


# --- the statistical period ---------------------------------------------------------------------
PERIODS = ["自{y}年1月1日起至{y}年12月31日止", "从{y}年1月1日到12月31日止", "自{y}年1月1日起至12月31日止",
           "为{y}年1月1日—{y}年12月31日", "为{y}年1月1日——12月31日", "为{y}年01月01日至{y}年12月31日",
           "为{y}年度", "为二〇二二年一月一日至十二月三十一日"]


@given(form=st.sampled_from(PERIODS))
@SLOW
def test_period_written_every_way(form: str) -> None:
    pub = replaced(page(2022), "统计时限为2022年1月1日至2022年12月31日", "统计时限" + form.format(y=2022))
    periods = find_periods(pub.paragraphs)
    assert [(p.start, p.end) for p in periods] == [(2022, 2022)]
    assert structure(audit(pub)) == []


@given(form=st.sampled_from(PERIODS[:6]))
@SLOW
def test_period_of_another_year_is_still_flagged(form: str) -> None:
    pub = replaced(page(2022), "统计时限为2022年1月1日至2022年12月31日", "统计时限" + form.format(y=2021))
    assert [s for s in structure(audit(pub)) if s.startswith("STRUCT-YEAR")]


# --- part 五: next year's measures ---------------------------------------------------------------
NEXT = "2023年，我区将采取以下措施加以改进。"


@given(head=st.sampled_from(["下一步，我区将采取以下措施加以改进。", "下阶段，我区将采取以下措施加以改进。",
                             "今后，我区将采取以下措施加以改进。", "（二）下一步工作打算", "（二）今后改进措施",
                             "（二）下阶段工作计划"]))
@SLOW
def test_next_year_measures_under_the_usual_headings(head: str) -> None:
    pub = replaced(page(2022), NEXT, head)
    assert structure(audit(pub)) == []


def test_part_five_without_next_year_is_still_flagged() -> None:
    pub = replaced(page(2022), NEXT, "我区采取了以下措施加以改进。")
    assert [s for s in structure(audit(pub)) if s.startswith("STRUCT-NEXT-YEAR")]


# --- year-aware rules: the fee statement exists since 2021 ----------------------------------------
def as_year(pub: Published, old: int, new: int) -> Published:
    """The page as a report for another year: the years in its title and text moved."""
    pub.title = [t.replace(str(old), str(new)) for t in pub.title]
    pub.paragraphs = [p.replace(str(old + 1), str(new + 1)).replace(str(old), str(new)) for p in pub.paragraphs]
    return pub


def without_fee(pub: Published) -> Published:
    return replaced(pub, "2021年，无收取信息处理费情况。", "本年度无其他需要报告的事项。")


def test_a_2019_report_is_not_asked_for_a_fee_statement() -> None:
    old = as_year(without_fee(page(2021)), 2021, 2019)
    result = audit(old)
    assert result.report.year == 2019
    assert not [s for s in structure(result) if s.startswith("STRUCT-FEE")]
    assert [s for s in structure(audit(without_fee(page(2021)))) if s.startswith("STRUCT-FEE")]


# --- reading problems apart ---------------------------------------------------------------------
def extracted(pub: Published, short: bool) -> Published:
    """The page as a text reader sees what was extracted from it (see pages.extracted_text)."""
    return parse(extracted_text(pub, short), "extracted.txt")


def test_an_unreadable_table_is_one_reading_problem_and_nothing_else() -> None:
    whole = audit(extracted(page(2022), short=False))
    assert not [p for p in whole.problems if p.group == READING]
    assert [p for p in whole.problems if p.group == "表三" or p.key.startswith("t3.")]  # the NARR-NEW of the page
    result = audit(extracted(page(2022), short=True))
    reading = [p for p in result.problems if p.group == READING]
    assert len(reading) == 1, [p.message for p in result.problems]
    assert reading[0].message.startswith("表三无法读取：")
    assert reading[0].message.endswith("（14行）")
    assert "第2个表格第8、9、10" in reading[0].message  # where, from the rows that could not be read
    about_t3 = [p.message for p in result.problems
                if p is not reading[0] and (p.group == "表三" or p.key.startswith("t3.")
                                            or any(k.startswith("t3.") for k in p.keys))]
    assert about_t3 == []
    assert not result.errors  # the report itself is right
    t3_rules = {i: s for i, s in result.result.statuses.items() if i.startswith("T3-")}
    assert t3_rules and set(t3_rules.values()) == {"未填"}  # no rule judged the unread table
    assert set(whole.result.statuses[i] for i in t3_rules) != {"未填"}


def test_a_refused_2019_table_2_says_nothing_about_its_columns() -> None:
    """A 2019 表二 is refused: one reading item; no notes on its header, labels or columns."""
    pub = page(2021)
    t2 = next(i for i, t in enumerate(pub.tables) if any("规章" in c for r in t for c in r))
    pub.tables[t2] = [[c.replace("本年制发件数", "本年新制作数量").replace("本年废止件数", "本年新公开数量")
                       .replace("现行有效件数", "对外公开总数量") for c in r] for r in pub.tables[t2]]
    pub = as_year(pub, 2021, 2019)
    result = audit(pub)
    about_t2 = [p for p in result.problems if p.group == "表二" or p.key.startswith("t2.")]
    assert about_t2 == [], [p.message for p in about_t2]
    assert [p.code for p in result.problems if p.group == READING] == ["MAP-T2-2019"]
