"""Audit a published report: its tables against every schema rule, its prose against its tables,
and its structure against the format (reference §2, §4, §6).

`audit(pub, previous)` maps the report (mapping.py), runs gxsheet.check over it (with last year's
report for the cross-year rules when given) and adds what only a published report can get wrong:
printed totals left blank, 2019 labels in a 2021+ report, sentences whose numbers contradict the
tables ("予以公开及部分公开258件" beside a table giving 275), missing or misnumbered parts, a
title or statistical period with another year. Every finding is a gxsheet Problem with its rule,
severity, group (结构, 表二/三/四, 正文, 上年报告) and a Chinese message quoting both numbers and
the sentence. Sentences that cannot be interpreted with confidence are skipped, never flagged.
What the prose may claim is declared in schema/claims.py (words → cells → how to compare); this
module only reads sentences and runs every claim over each of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache
from pathlib import Path

from ..check import Result, check
from ..crossyear import attach
from ..outcome import Outcome
from ..problems import Problem, about
from ..report import Report
from ..schema import FORMAT_NOTICE, SCHEMA, Severity
from ..schema import claims as C
from ..schema import fields as F
from ..schema.claims import CLAIMS, Claim, How
from ..schema.formats import FEE_SINCE
from ..schema.parts import NEXT_YEAR_WORDS, NUMERALS, PART_TITLES
from ..schema.relations import Total
from ..schema.tables import LITIGATION, REVIEW, TABLE_3, TABLE_4
from ..values import plain
from .mapping import T2, T3, V2021, Mapped, to_report
from .model import Published
from .narrative import split
from .parts import (
    BOOKMARK,
    INVISIBLE,
    Heading,
    cn_number,
    find_headings,
    find_periods,
    find_title,
    part_texts,
    squeeze,
)
from .reading import apart, unread_left_out

ERROR, WARNING = Severity.ERROR, Severity.WARNING
STRUCTURE, PROSE = "结构", "正文"


@dataclass
class AuditResult:
    """Everything found in one published report, in reading order: structure, mapping, tables, prose.

    mapped: the mapping (report, table versions, mapping findings).
    result: gxsheet.check's verdict on the mapped report (statuses of every schema rule instance);
        result.report is the report as checked (last year's attached when given).
    problems: every finding, errors and warnings, as Problems.
    """

    mapped: Mapped
    result: Result
    problems: list[Problem] = field(default_factory=list)

    @property
    def report(self) -> Report:
        return self.mapped.report

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def outcome(self, path: Path | None) -> Outcome:
        """This report's outcome, as every command's: findings (its own errors or warnings) or ok."""
        r = self.report
        return Outcome.audited(path, r.unit, r.year, list(self.problems), dict(self.result.statuses),
                               dict(self.mapped.versions))


def audit(pub: Published, previous: Report | None = None) -> AuditResult:
    """Map and audit a published report; previous is last year's report (workbook or published)."""
    mapped = to_report(pub)
    view = _checkable(mapped)
    crossyear = attach(view, previous) if previous is not None else []
    result = check(view)
    problems = structure_problems(pub, mapped.report)
    problems += mapped.findings
    problems += format_problems(mapped)
    problems += _table_problems(result, mapped)
    problems += crossyear
    problems += narrative_problems(pub, mapped.report)
    return AuditResult(mapped, result, apart(problems, mapped))  # reading problems in a group of their own


def _problem(code: str, severity: Severity, message: str, group: str, key: str = "") -> Problem:
    naming = about(key) if key else {}
    naming["group"] = group
    return Problem(code, severity, message, rule=code, **naming)


# --- tables ---------------------------------------------------------------------------------
def _checkable(mapped: Mapped) -> Report:
    """The mapped report as the checker should see it (a 2019 表三 comes mapped with the rows its
    format has not as 0, the rules that applied then: see schema/formats.py); a table that could not
    be read is left out (its rules cannot be judged: 未填)."""
    r = mapped.report
    entries = unread_left_out(r.entries, mapped)  # no rule judges a table that could not be read
    return replace(r, entries=entries, problems=list(r.problems), previous=None)


def _table_problems(result: Result, mapped: Mapped) -> list[Problem]:
    """The schema rules' problems that mean something for a published report, and printed totals.

    Blanks of cells that were never found are left out (the mapping findings say which table or
    row is missing); FIELDS is about the workbook's own inputs.
    """
    out = []
    for p in result.problems:
        if p.rule == "FIELDS":
            continue
        if p.rule.startswith("BLANK") and p.key and p.key not in mapped.found:
            continue
        out.append(p)
    for key in sorted(mapped.found, key=_order):
        if SCHEMA.is_input(key):
            continue
        entry = mapped.report.entry(key)
        table = SCHEMA.cells[key].table.name
        if entry.blank:
            out.append(_problem(f"BLANK-{table}", ERROR, f"{SCHEMA.label(key)} 空白，合计数也应填写，没有的填0",
                                table, key))
        elif entry.problem:
            out.append(_problem(f"VALUE-{table}", ERROR, f"{SCHEMA.label(key)} {entry.problem}", table, key))
    return out


_ORDER = {k: i for i, k in enumerate(SCHEMA.cells)}


def _order(key: str) -> int:
    return _ORDER.get(key, len(_ORDER))


def format_problems(mapped: Mapped) -> list[Problem]:
    """FORMAT-2019: a report for 2021 or later printed with labels of the 2019 trial format."""
    year = mapped.report.year
    out = []
    if year >= 2021:
        by_table: dict[str, list[str]] = {}
        for table, text in mapped.legacy:
            by_table.setdefault(table, []).append(text)
        for table, labels in by_table.items():
            shown = "”“".join(dict.fromkeys(labels))
            out.append(_problem("FORMAT-2019", ERROR, f"{table}使用了2019年试行格式的“{shown}”，{year}年度报告应使用"
                                f"2021年格式（{FORMAT_NOTICE}）", table))
    elif 0 < year <= 2020:
        newer = [t for t in (T2, T3) if mapped.versions.get(t) == V2021]
        if newer:
            out.append(_problem("FORMAT-2021", WARNING, f"{'、'.join(newer)}是2021年格式，{year}年度报告一般使用2019年"
                                "试行格式，请核实报告年度", newer[0]))
    return out


# --- structure ------------------------------------------------------------------------------
def structure_problems(pub: Published, report: Report) -> list[Problem]:
    """Title, year, statistical period, the six parts and their numbering, parts 五 and 六."""
    out: list[Problem] = []

    def add(code: str, severity: Severity, message: str) -> None:
        out.append(_problem(code, severity, message, STRUCTURE))

    title = find_title(pub)
    year = report.year
    pattern = f"〈机关全称〉YYYY{F.REPORT_TITLE}"
    if not title.where:
        add("STRUCT-TITLE", WARNING, f"未找到报告标题（应为“{pattern}”）")
    elif not title.standard:
        add("STRUCT-TITLE", WARNING, f"标题“{title.text}”不符合“{pattern}”的写法")
    if title.where and not title.unit:
        add("STRUCT-TITLE", WARNING, f"标题“{title.text}”中没有机关全称")
    if not year:
        add("STRUCT-YEAR", ERROR, "无法从标题或正文开头确定报告年度，年度相关的核对未做")
    periods = find_periods(pub.paragraphs)
    if not periods:
        add("STRUCT-PERIOD", WARNING,
            "正文没有写明统计期限（“本报告所列数据的统计期限自YYYY年1月1日起至YYYY年12月31日止”）")
    for p in periods:
        if year and (p.start != year or p.end != year):
            shown = f"{p.start}年1月1日至{p.end}年12月31日"
            add("STRUCT-YEAR", ERROR, f"统计期限为{shown}，与标题的报告年度{year}年不一致")

    out += part_problems(pub, report, title.rollup)
    return out


def part_problems(pub: Published, report: Report, rollup: bool) -> list[Problem]:
    """The six parts (a roll-up has 一 to 四 only), their order and numbering, and what 五 and 六 say."""
    out: list[Problem] = []

    def add(code: str, severity: Severity, message: str) -> None:
        out.append(_problem(code, severity, message, STRUCTURE))

    heads = find_headings(pub.paragraphs)
    parts = [h.part for h in heads]
    for n in range(1, 7):
        count = parts.count(n)
        if count == 0 and not (rollup and n > 4):
            add("STRUCT-PART-MISSING", ERROR, f"缺少第{NUMERALS[n - 1]}部分“{PART_TITLES[n - 1]}”")
        elif count > 1:
            add("STRUCT-PART-DUP", WARNING, f"第{NUMERALS[n - 1]}部分“{PART_TITLES[n - 1]}”出现了{count}次")
    first = list(dict.fromkeys(parts))
    if first != sorted(first):
        shown = "、".join(f"{NUMERALS[p - 1]}" for p in first)
        add("STRUCT-PART-ORDER", ERROR, f"各部分的顺序为{shown}，应按一至六依次排列")
    for h in heads:
        if not h.proper:
            want = PART_TITLES[h.part - 1][:2]
            add("STRUCT-NUMBER", WARNING, f"部分标题“{h.text[:30]}”{_numbering(h)}，应为“{want}”")
    texts = part_texts(pub.paragraphs, heads)
    year = report.year
    if year and 5 in texts and not _names_next_year(texts[5], year):
        add("STRUCT-NEXT-YEAR", WARNING, f"第五部分“{PART_TITLES[4]}”没有写明{year + 1}年的改进措施")
    if 6 in texts and year >= FEE_SINCE and not re.search(r"信息处理费|收费|收取", squeeze("".join(texts[6]))):
        add("STRUCT-FEE", WARNING, f"第六部分“{PART_TITLES[5]}”没有说明信息处理费的收取情况（未收取的也应写明）")
    return out


def _numbering(h: Heading) -> str:
    if h.style == "arabic":
        return f"用了“{h.number}、”式的编号"
    if h.style == "none":
        return "没有编号"
    if h.style == "ordinal":
        return "用了“第X部分”式的编号"
    return f"编号为“{NUMERALS[h.number - 1] if 0 < h.number <= 6 else h.number}、”"


MEASURES = next(f for f in F.PROBLEM_FIELDS if f.key == "problems.measures")
_NEXT_YEAR_WORDS = re.compile("|".join(NEXT_YEAR_WORDS))


def _names_next_year(paragraphs: list[str], year: int) -> bool:
    """Part 五 states next year's measures: it names the year, or speaks of what comes next
    (下一步 / 下阶段 / 今后 …, often as the measures' heading), or has the measures' own sub-heading."""
    body = squeeze("".join(paragraphs))
    spelled = "".join("〇一二三四五六七八九"[int(d)] for d in str(year + 1))
    if f"{year + 1}年" in body or f"{spelled}年" in body or _NEXT_YEAR_WORDS.search(body):
        return True
    _, under = split(paragraphs, (MEASURES,))
    return bool(under.get(MEASURES.key))


# --- prose against the tables ---------------------------------------------------------------
NUM = r"(?P<n>\d+|[零〇两一二三四五六七八九十百千]+)"
GAP = r"[^,;:。!?\d]"
_SENTENCE = re.compile(r"[^。!?;]+[。!?;]?")
_CLAUSE_END = ",;:。!?"
_COMPARE = re.compile(r"同比|去年|较上一?年|比上一?年|上一?年同期|与上一?年|环比|前一年|分别|累计|历年")
_YEARS = re.compile(r"(\d{4})年")
_NOT_REQUESTS = re.compile(C.NOT_REQUESTS)
_BEFORE = 12  # characters before a claim's words that `not_before` looks at
_UNIT = "件"  # what every number the claims compare is counted in


def _name(key: str) -> str:
    """How a message names a cell: 一、本年新收政府信息公开申请数量·总计, （七）总计, 行政复议总计."""
    c = SCHEMA.cells[key]
    if not c.row_name:  # 表四 has one row: the block names the column
        return f"{c.column.path[-2]}{c.column.label}"
    if c.row_name.endswith(c.column_name):
        return c.row_name
    return f"{c.row_name}·{c.column_name}"


def _what(keys: tuple[str, ...]) -> str:
    """How a message names the sum of cells: one cell, a group of 表三 (（三）不予公开各项合计), or a list."""
    cells = [SCHEMA.cells[k] for k in keys]
    groups = {c.row.path[1] for c in cells if len(c.row.path) == 3}
    if len(keys) == 1:
        return _name(keys[0])
    if len(groups) == 1 and all(len(c.row.path) == 3 for c in cells):
        return f"{groups.pop()}各项合计"
    if len({c.column.key for c in cells}) == 1 and all(c.row_name for c in cells):  # rows of one column
        return "与".join(c.row_name for c in cells) + "合计"
    return "与".join(_name(k) for k in keys) + "合计"


@dataclass(frozen=True)
class _Figure:
    """A table figure the prose is compared with; the printed totals that were blank and stood in for
    by the sum of their parts; the blank cells of a sum counted as 0 (None: nothing to compare with)."""

    value: Decimal | None
    through: tuple[str, ...] = ()
    zeros: tuple[str, ...] = ()

    @property
    def said(self) -> str:
        """The message's note on blank cells: what the figure was computed from instead."""
        notes = [f"{SCHEMA.cells[k].table.name}{_name(k)}空白，按{C.THROUGH_BLANK[_DEFINED_BY[k]]}计"
                 for k in self.through]
        if self.zeros:
            first = f"{SCHEMA.cells[self.zeros[0]].table.name}{_name(self.zeros[0])}"
            notes.append(f"{first}{f'等{len(self.zeros)}格' if len(self.zeros) > 1 else ''}空白，按0计")
        return f"（{'；'.join(notes)}）" if notes else ""


# The rule whose total defines each computed cell (T3-ROW, T3-RESULT, T4-SUM).
_DEFINED_BY = {i.relation.target: SCHEMA.rule_of[i.id].code for i in SCHEMA.instances
               if isinstance(i.relation, Total) and SCHEMA.definitions.get(i.relation.target) is i.relation}


class _Figures:
    """Table numbers the prose is compared with.

    Blank cells are a frequent defect of published reports, mostly where 0 belongs. A blank printed
    total stands for the sum of its parts, and a sum of several cells (法人或其他组织) is taken, with
    the blank ones counted as 0, as long as one cell is filled: the report's own numbers, said so in
    the message."""

    def __init__(self, report: Report) -> None:
        self.report = report

    def _blank(self, key: str) -> bool:
        """Printed, and printed blank."""
        entry = self.report.entries.get(key)
        return entry is not None and entry.blank

    def _one(self, key: str, through: list[str]) -> Decimal | None:
        n = self.report.number(key)
        rel = SCHEMA.definitions.get(key)
        if n is not None or rel is None or not self._blank(key):
            return n
        parts = [(self._one(p, through), p) for p in rel.parts]
        if any(v is None and not self._blank(p) for v, p in parts):
            return None  # a part that is not a number, or was never printed
        filled = [v for v, _ in parts if v is not None]
        if not filled:
            return None
        through.append(key)
        return sum(filled, Decimal(0))

    def sum(self, keys: tuple[str, ...]) -> _Figure:
        through: list[str] = []
        values = [(self._one(k, through), k) for k in keys]
        zeros = tuple(k for v, k in values if v is None and self._blank(k))
        if any(v is None and k not in zeros for v, k in values) or len(zeros) == len(keys):
            return _Figure(None)
        return _Figure(sum((v for v, _ in values if v is not None), Decimal(0)), tuple(dict.fromkeys(through)), zeros)

    def one(self, key: str) -> Decimal | None:
        return self.sum((key,)).value


@dataclass
class _Sentence:
    """One sentence: text to match (full-width digits and punctuation made ASCII, one for one) and
    shown, the same characters as printed, for quoting."""

    text: str
    shown: str
    year: int
    basis: str = ""  # "new" or "both": what this sentence's 收到 number counted

    def clause(self, start: int, end: int) -> str:
        a = max((self.text.rfind(c, 0, start) for c in _CLAUSE_END), default=-1) + 1
        ends = [i for c in _CLAUSE_END if (i := self.text.find(c, end)) >= 0]
        return self.text[a:min(ends) if ends else len(self.text)]

    def quote(self, start: int, end: int) -> str:
        size = len(self.text.rstrip("。;!?"))
        if size <= 60:
            return self.shown[:size]
        clause = self.clause(start, end)
        a = self.text.find(clause)
        b = a + len(clause)
        return ("…" if a > 0 else "") + self.shown[a:b] + ("…" if b < size else "")

    def skip(self, start: int, end: int) -> bool:
        """A clause comparing with other years or lumping numbers together: not the table's figure."""
        clause = re.sub(r"上一?年度?结转", "", self.clause(start, end))
        if _COMPARE.search(clause):
            return True
        return any(int(y) != self.year for y in _YEARS.findall(clause))


@cache
def _pattern(claim: Claim) -> re.Pattern[str]:
    """A claim's words and its number: "<words><gap>N件", or "N件<gap><words>"."""
    if claim.how in (How.VERDICT, How.NO_REQUESTS, How.NO_CASES):
        return re.compile(claim.words)
    if claim.number_first:
        return re.compile(rf"(?<![\d零〇两一二三四五六七八九十百千]){NUM}{_UNIT}(?P<gap>{GAP}{{0,{claim.gap}}}?)"
                          rf"(?P<w>{claim.words})")
    return re.compile(rf"(?P<w>{claim.words})(?P<gap>{GAP}{{0,{claim.gap}}}?){NUM}{_UNIT}"
                      r"(?=(?P<after>[^,;:。!?]{0,6}))")


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    """A claim's sentence pattern, compiled once (it is tried on every sentence of every report)."""
    return re.compile(pattern)


Taken = list[tuple[int, int]]


class _Prose:
    """Every declared claim (schema/claims.py) run over every sentence, each by how it compares."""

    def __init__(self, report: Report) -> None:
        self.f = _Figures(report)
        self.out: list[Problem] = []
        self.run: dict[How, Callable[[Claim, _Sentence, Taken], None]] = {
            How.EQUAL: self.equal, How.RECEIVED: self.received, How.PARTY: self.party, How.OUTCOME: self.outcome,
            How.VERDICT: self.verdict, How.NO_REQUESTS: self.no_requests, How.NO_CASES: self.no_cases,
        }

    def sentence(self, s: _Sentence) -> None:
        taken: Taken = []
        for claim in CLAIMS:
            if not claim.sentence or _compiled(claim.sentence).search(s.text):
                self.run[claim.how](claim, s, taken)

    def flag(self, code: str, severity: Severity, s: _Sentence, m: re.Match[str], table: str, why: str,
             key: str = "") -> None:
        message = f"正文“{s.quote(m.start(), m.end())}”与{table}不符：{why}"
        self.out.append(_problem(code, severity, message, PROSE, key))

    def compare(self, claim: Claim, s: _Sentence, m: re.Match[str], n: int, keys: tuple[str, ...],
                what: str = "") -> bool:
        """Flag n against the tables' sum of keys; True when they agree or cannot be compared."""
        want = self.f.sum(keys)
        if want.value is None or n == want.value:
            return True
        table = SCHEMA.cells[keys[0]].table.name
        self.flag(claim.code, ERROR, s, m, table,
                  f"正文{m['w']}{n}件，{table}{what or _what(keys)}为{plain(want.value)}件{want.said}", keys[0])
        return False

    def numbers(self, claim: Claim, s: _Sentence, taken: Taken) -> Iterator[tuple[re.Match[str], int]]:
        """The claim's numbers in the sentence that no other claim took and nothing makes something else."""
        if _UNIT not in s.text:  # most sentences count nothing: not worth a search per claim
            return
        for m in _pattern(claim).finditer(s.text):
            if any(a < m.end() and m.start() < b for a, b in taken) or s.skip(m.start(), m.end()):
                continue
            n = cn_number(m["n"])
            if n is None or (claim.not_between and re.search(claim.not_between, m["gap"])):
                continue
            if claim.not_before and re.search(rf"(?:{claim.not_before})$",
                                              s.text[max(0, m.start("w") - _BEFORE):m.start("w")]):
                continue
            if claim.not_in_clause and re.search(claim.not_in_clause, s.clause(m.start(), m.end())):
                continue
            yield m, n

    # -- how claims compare -------------------------------------------------------------------------
    def equal(self, claim: Claim, s: _Sentence, taken: Taken) -> None:
        for m, n in self.numbers(claim, s, taken):
            taken.append(m.span())
            self.compare(claim, s, m, n, claim.keys)

    def received(self, claim: Claim, s: _Sentence, taken: Taken) -> None:
        """收到 N 件: this year's new applications, or (受理, or said so) with last year's carried over."""
        for m, n in self.numbers(claim, s, taken):
            near = m["gap"] + m["after"]
            if not re.search(claim.near, near):
                continue
            taken.append(m.span())
            new, carried = self.f.sum(claim.keys).value, self.f.sum(claim.plus).value
            both = None if new is None or carried is None else new + carried
            if re.search(claim.plus_words, near):
                s.basis = "both"
                self.compare(claim, s, m, n, claim.keys + claim.plus)
            elif n == new:
                s.basis = "new"
            elif n == both and re.fullmatch(claim.may_add, m["w"]):
                s.basis = "both"
            elif n == both and not re.fullmatch(claim.only, m["w"]) and carried:
                s.basis = "both"
                first, second = (C.SHORT[SCHEMA.cells[k].row.key] for k in (*claim.keys, *claim.plus))
                self.flag(claim.code, WARNING, s, m, SCHEMA.cells[claim.keys[0]].table.name,
                          f"正文{m['w']}{n}件是表三{first}{plain(new or Decimal(0))}件与{second}{plain(carried)}件"
                          f"之和，“{m['w']}”应只计{first.partition('、')[2]}", claim.keys[0])
            else:
                self.compare(claim, s, m, n, claim.keys)

    def party(self, claim: Claim, s: _Sentence, taken: Taken) -> None:
        """自然人 N 件 …: counted as the sentence's 收到 was."""
        first, second = (C.SHORT[SCHEMA.cells[k].row.key] for k in (claim.keys[0], claim.plus[0]))
        for m, n in self.numbers(claim, s, taken):
            taken.append(m.span())
            new, over = self.f.sum(claim.keys).value, self.f.sum(claim.plus).value
            both = None if new is None or over is None else new + over
            if s.basis == "both":
                self.compare(claim, s, m, n, claim.keys + claim.plus, f"{first}与{second}中{m['w']}合计")
            elif s.basis == "new" or n != both:
                self.compare(claim, s, m, n, claim.keys, f"{first}·{m['w']}")

    def outcome(self, claim: Claim, s: _Sentence, taken: Taken) -> None:
        for m, n in self.numbers(claim, s, taken):
            taken.append(m.span())
            if self.compare(claim, s, m, n, claim.keys):
                self.share(s, m, claim.keys)

    def share(self, s: _Sentence, m: re.Match[str], keys: tuple[str, ...]) -> None:
        """A share after an outcome ("占60%"): of （七）总计, or of the applications, as the table gives it."""
        after = re.match(rf"\)?[,、(]?(?:约?占|占比|比例为)(?:{GAP}){{0,8}}?(?P<p>\d+(?:\.\d+)?)%", s.text[m.end():])
        count = self.f.sum(keys).value
        bases = [self.f.sum(b).value for b in C.SHARE_BASES]
        closed = bases[0]
        if after is None or count is None or not closed:
            return
        p = Decimal(after["p"])
        places = len(after["p"].partition(".")[2])
        tolerance = Decimal(1) if places == 0 else Decimal(10) ** -places
        if any(abs(p - count * 100 / b) < tolerance for b in bases if b):
            return
        exact = (count * 100 / closed).quantize(Decimal("0.1"))
        end = m.end() + after.end()
        self.out.append(_problem("NARR-SHARE", ERROR,
                                 f"正文“{s.quote(m.start(), end)}”与表三不符：正文占比为{after['p']}%，按表三{m['w']}"
                                 f"{plain(count)}件、{_name(C.SHARE_BASES[0][0])}{plain(closed)}件计算应为{exact}%",
                                 PROSE, keys[0]))

    def scope(self, text: str) -> tuple[str, ...]:
        """The blocks of 表四 a text is about."""
        text = text.replace(C.T4_SCOPE_IGNORE, C.T4_SCOPE_IGNORE[-2:])
        named = [groups for words, groups in C.T4_SCOPES if re.search(words, text)]
        return named[0] if len(named) == 1 else tuple(g for _, groups in C.T4_SCOPES for g in groups)

    def in_scope(self, keys: tuple[str, ...], groups: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(k for k in keys if SCHEMA.cells[k].column.key.partition(".")[0] in groups)

    def verdict(self, claim: Claim, s: _Sentence, taken: Taken) -> None:
        """均获维持 / 未被纠错 / 均已审结, said of cases 表四 has: the outcomes it rules out are 0."""
        m = _pattern(claim).search(s.text)
        groups = self.scope(s.text)
        if m is None or not self.f.sum(self.in_scope(C.T4_TOTALS, groups)).value:
            return
        for keys, severity in ((claim.keys, ERROR), (claim.warn, WARNING)):
            found = []
            for outcome in dict.fromkeys(k.rpartition(".")[2] for k in keys):
                cells = self.in_scope(tuple(k for k in keys if k.endswith(f".{outcome}")), groups)
                values = [(k, self.f.one(k)) for k in cells]
                if any(v is None for _, v in values):
                    continue
                total = sum((v for _, v in values if v is not None), Decimal(0))
                if total:
                    shown = "，".join(f"{SCHEMA.cells[k].column.path[-2]}{plain(v)}件" for k, v in values if v)
                    found.append((cells[0], f"{SCHEMA.cells[cells[0]].column.label}{plain(total)}件（{shown}）"))
            if found:
                self.flag(claim.code, severity, s, m, TABLE_4.name,
                          f"正文说“{m.group(0)}”，而{TABLE_4.name}{'；'.join(d for _, d in found)}", found[0][0])
                return

    def no_requests(self, claim: Claim, s: _Sentence, taken: Taken) -> None:
        """未收到申请: 一 (and 二, unless the words say which) are 0."""
        for m in _pattern(claim).finditer(s.text):
            gap = m["gap"] or ""
            if re.search(claim.not_between, gap) or any(a <= m.start() < b for a, b in taken):
                continue
            taken.append(m.span())
            if re.search(claim.plus_words, gap):
                keys = claim.plus
            elif re.search(claim.only, gap) or re.search(claim.near, s.text):
                keys = claim.keys
            else:
                keys = claim.keys + claim.plus
            bad = [(k, n) for k in keys if (n := self.f.sum((k,))).value]
            if bad:
                detail = "，".join(f"{_name(k)}为{plain(n.value or Decimal(0))}件{n.said}" for k, n in bad)
                self.flag(claim.code, ERROR, s, m, TABLE_3.name, f"正文说没有收到申请，而{TABLE_3.name}{detail}",
                          bad[0][0])

    def no_cases(self, claim: Claim, s: _Sentence, taken: Taken) -> None:
        """未发生行政复议、行政诉讼: the totals of 表四 the clause names are 0."""
        for m in _pattern(claim).finditer(s.text):
            clause = s.clause(m.start(), m.end())
            if re.search(claim.not_in_clause, clause) or re.search(r"\d", m["gap"]):
                continue
            keys = self.in_scope(claim.keys, self.scope(clause[clause.find(m.group(0)):]))
            bad = [(k, n) for k in keys if (n := self.f.sum((k,))).value]
            if bad:
                detail = "，".join(f"{_name(k)}{plain(n.value or Decimal(0))}件{n.said}" for k, n in bad)
                self.flag(claim.code, ERROR, s, m, TABLE_4.name,
                          f"正文说未发生{REVIEW}、{LITIGATION}，而{TABLE_4.name}{detail}", bad[0][0])


_ASCII = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "，": ",", "；": ";", "：": ":",
                        "！": "!", "？": "?", "（": "(", "）": ")", "％": "%", "．": ".", "\u3000": " "})


def _sentences(paragraph: str, year: int) -> Iterator[_Sentence]:
    shown = INVISIBLE.sub("", BOOKMARK.sub("", paragraph))
    text = shown.translate(_ASCII)  # one character for one: positions in text are positions in shown
    for m in _SENTENCE.finditer(text):
        if m.group(0).strip():
            yield _Sentence(m.group(0), shown[m.start():m.end()], year)


def narrative_problems(pub: Published, report: Report) -> list[Problem]:
    """Every number the prose quotes that contradicts the tables (reference §4, narrative ↔ tables)."""
    heads = find_headings(pub.paragraphs)
    start = heads[0].index if heads else 0
    skip = {h.index for h in heads}
    start = min([start, *(i for i, p in enumerate(pub.paragraphs) if "统计" in p and "1月1日" in p)])
    prose = _Prose(report)
    for i, paragraph in enumerate(pub.paragraphs):
        if i < start or i in skip:
            continue
        for s in _sentences(paragraph, report.year):
            prose.sentence(s)
    return prose.out

