"""Audit a published report: its tables against every schema rule, its prose against its tables,
and its structure against the format (reference §2, §4, §6).

`audit(pub, previous)` maps the report (mapping.py), runs gxsheet.check over it (with last year's
report for the cross-year rules when given) and adds what only a published report can get wrong:
printed totals left blank, 2019 labels in a 2021+ report, sentences whose numbers contradict the
tables ("予以公开及部分公开258件" beside a table giving 275), missing or misnumbered parts, a
title or statistical period with another year. Every finding is a gxsheet Problem with its rule,
severity, group (结构, 表二/三/四, 正文, 上年报告) and a Chinese message quoting both numbers and
the sentence. Sentences that cannot be interpreted with confidence are skipped, never flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from ..check import Result, check
from ..crossyear import attach
from ..outcome import Outcome, Status
from ..problems import Problem, about
from ..report import Report
from ..schema import FORMAT_NOTICE, SCHEMA, Severity
from ..schema import fields as F
from ..schema.rules import T3_PARTS
from ..schema.tables import T3_ROWS, T4_GROUPS
from ..values import Entry
from .mapping import T2, T3, T3_2021_ONLY, T4, V2019, V2021, Mapped, to_report
from .model import Published
from .narrative import split
from .parts import (
    NUMERALS,
    PART_TITLES,
    Heading,
    cn_number,
    find_headings,
    find_periods,
    find_title,
    part_texts,
    squeeze,
)

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
        """This report's outcome, as every command's: findings (errors or warnings) or ok."""
        r = self.report
        return Outcome(path, Status.FINDINGS if self.problems else Status.OK, r.unit, r.year, "",
                       list(self.problems), dict(self.result.statuses), formats=dict(self.mapped.versions))


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
    return AuditResult(mapped, result, problems)


def _problem(code: str, severity: Severity, message: str, group: str, key: str = "") -> Problem:
    naming = about(key) if key else {}
    naming["group"] = group
    return Problem(code, severity, message, rule=code, **naming)


# --- tables ---------------------------------------------------------------------------------
def _checkable(mapped: Mapped) -> Report:
    """The mapped report as the checker should see it: a 2019 表三 has its unsplit （六） in 3.其他,
    so its 1. and 2. (which the 2019 format has not) count as 0 for the sums."""
    r = mapped.report
    entries = dict(r.entries)
    if mapped.versions.get(T3) == V2019:
        for row in T3_2021_ONLY:
            for col in (*T3_PARTS, "total"):
                entries.setdefault(f"t3.{row}.{col}", Entry("（2019年格式无此行）", Decimal(0)))
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
    if 6 in texts and not re.search(r"信息处理费|收费|收取", squeeze("".join(texts[6]))):
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


def _names_next_year(paragraphs: list[str], year: int) -> bool:
    """Part 五 states next year's measures: it names the year, or has the measures' own sub-heading."""
    body = squeeze("".join(paragraphs))
    spelled = "".join("〇一二三四五六七八九"[int(d)] for d in str(year + 1))
    if re.search(rf"{year + 1}年|{spelled}年|明年|下一年|来年|新的一年|下一步", body):
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
_OUTCOME_WORDS = re.compile(r"公开|提供|处理|结转|复议|诉讼")
_NOT_REQUESTS = re.compile(r"复议|诉讼|建议|提案|来信|留言|投诉|咨询|问政|热线|举报|来电|信件|办件|处理费")


def _t3_group(name: str) -> tuple[str, ...]:
    return tuple(f"t3.{r.key}.total" for r in T3_ROWS if len(r.path) == 3 and r.path[1].endswith(name))


CATEGORIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "granted": ("予以公开", ("t3.granted.total",)),
    "partial": ("部分公开", ("t3.partial.total",)),
    "withheld": ("不予公开", _t3_group("不予公开")),
    "unavailable": ("无法提供", _t3_group("无法提供")),
    "rejected": ("不予处理", _t3_group("不予处理")),
    "other": ("其他处理", _t3_group("其他处理")),
}
_CATEGORY_RE = {
    "granted": r"(?<!不)(?<!部分)予以公开",
    "partial": r"部分公开",
    "withheld": r"不予以?公开",
    "unavailable": r"无法提供",
    "rejected": r"不予以?处理",
    "other": r"其他处理",
}
ORGS = tuple(c for c in T3_PARTS if c != "natural")
PARTIES = {
    "自然人": ("natural",), "法人或其他组织": ORGS, "法人和其他组织": ORGS, "法人及其他组织": ORGS,
    "商业企业": ("commercial",), "科研机构": ("research",), "社会公益组织": ("nonprofit",),
    "法律服务机构": ("legal",),
}
T4_NAMES = {g: path[-1] for g, path in T4_GROUPS}


class _Figures:
    """Table numbers the prose is compared with; None when a cell it needs is blank or not a number."""

    def __init__(self, report: Report) -> None:
        self.report = report

    def one(self, key: str) -> Decimal | None:
        n = self.report.number(key)
        if n is None and key in SCHEMA.definitions and key in self.report.entries:  # a blank printed total
            parts = [self.one(p) for p in SCHEMA.definitions[key].parts]
            return None if any(p is None for p in parts) else sum((p for p in parts if p is not None), Decimal(0))
        return n

    def sum(self, keys: tuple[str, ...]) -> Decimal | None:
        values = [self.one(k) for k in keys]
        return None if any(v is None for v in values) else sum((v for v in values if v is not None), Decimal(0))


def _fmt(n: Decimal) -> str:
    return str(int(n)) if n == n.to_integral_value() else format(n.normalize(), "f")


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


class _Prose:
    def __init__(self, report: Report) -> None:
        self.f = _Figures(report)
        self.out: list[Problem] = []

    def flag(self, code: str, severity: Severity, s: _Sentence, m: re.Match[str], table: str, why: str,
             key: str = "") -> None:
        message = f"正文“{s.quote(m.start(), m.end())}”与{table}不符：{why}"
        self.out.append(_problem(code, severity, message, PROSE, key))

    def compare(self, code: str, s: _Sentence, m: re.Match[str], n: int, want: Decimal | None, table: str,
                what: str, key: str, said: str) -> bool:
        """Flag n against the table's figure; True when they agree or cannot be compared."""
        if want is None or n == want:
            return True
        self.flag(code, ERROR, s, m, table, f"正文{said}{n}件，{table}{what}为{_fmt(want)}件", key)
        return False

    # -- the claims --------------------------------------------------------------------------
    def sentence(self, s: _Sentence) -> None:
        taken: list[tuple[int, int]] = []
        for claim in (self.new, self.carried, self.closed, self.forward, self.parties, self.outcomes, self.cases,
                      self.verdicts, self.no_requests, self.no_cases):
            claim(s, taken)

    def matches(self, pattern: str, s: _Sentence, taken: list[tuple[int, int]]) -> Iterator[re.Match[str]]:
        for m in re.finditer(pattern, s.text):
            if any(a < m.end() and m.start() < b for a, b in taken) or s.skip(m.start(), m.end()):
                continue
            yield m

    def number(self, m: re.Match[str]) -> int | None:
        return cn_number(m["n"])

    def new(self, s: _Sentence, taken: list[tuple[int, int]]) -> None:
        pattern = (rf"(?P<neg>未|没有)?(?P<verb>新收|收到|接收|接到|受理)(?P<gap>{GAP}{{0,24}}?){NUM}件"
                   r"(?P<after>[^,;:。!?]{0,6})")
        for m in self.matches(pattern, s, taken):
            n = self.number(m)
            near = m["gap"] + m["after"]
            if n is None or m["neg"] or "申请" not in near or _NOT_REQUESTS.search(m["gap"]):
                continue
            taken.append(m.span())
            new, carried = self.f.one("t3.new.total"), self.f.one("t3.carried_over.total")
            both = None if new is None or carried is None else new + carried
            what = "一、本年新收政府信息公开申请数量·总计"
            if "结转" in near:
                s.basis = "both"
                self.compare("NARR-NEW", s, m, n, both, T3, "一、本年新收与二、上年结转合计", "t3.new.total", m["verb"])
            elif n == new:
                s.basis = "new"
            elif n == both and m["verb"] == "受理":
                s.basis = "both"
            elif n == both and m["verb"] != "新收" and carried:
                s.basis = "both"
                self.flag("NARR-NEW", WARNING, s, m, T3,
                          f"正文{m['verb']}{n}件是表三一、本年新收{_fmt(new or Decimal(0))}件与二、上年结转"
                          f"{_fmt(carried)}件之和，“{m['verb']}”应只计本年新收", "t3.new.total")
            else:
                self.compare("NARR-NEW", s, m, n, new, T3, what, "t3.new.total", m["verb"])

    def carried(self, s: _Sentence, taken: list[tuple[int, int]]) -> None:
        for m in self.matches(rf"上一?年度?结转(?P<gap>{GAP}{{0,12}}?){NUM}件", s, taken):
            n = self.number(m)
            if n is None or _NOT_REQUESTS.search(m["gap"]):
                continue
            taken.append(m.span())
            self.compare("NARR-CARRIED", s, m, n, self.f.one("t3.carried_over.total"), T3,
                         "二、上年结转政府信息公开申请数量·总计", "t3.carried_over.total", "上年结转")

    def closed(self, s: _Sentence, taken: list[tuple[int, int]]) -> None:
        for m in self.matches(rf"(?P<verb>办结|答复|办理完毕|处理完毕)(?P<gap>{GAP}{{0,10}}?){NUM}件", s, taken):
            n = self.number(m)
            if n is None or _OUTCOME_WORDS.search(m["gap"]) or _NOT_REQUESTS.search(m["gap"]):
                continue
            if re.search(r"复议|诉讼|结转", s.clause(m.start(), m.end())):
                continue
            taken.append(m.span())
            self.compare("NARR-CLOSED", s, m, n, self.f.one("t3.closed.total"), T3, "（七）总计", "t3.closed.total",
                         m["verb"])

    def forward(self, s: _Sentence, taken: list[tuple[int, int]]) -> None:
        for pattern in (rf"结转(?:至|到|入)?下一?年度?(?P<gap>{GAP}{{0,10}}?){NUM}件",
                        rf"(?<![\d零〇两一二三四五六七八九十百千]){NUM}件(?P<gap>{GAP}{{0,8}}?)结转(?:至|到|入)?下一?年"):
            for m in self.matches(pattern, s, taken):
                n = self.number(m)
                if n is None or _NOT_REQUESTS.search(m["gap"]):
                    continue
                taken.append(m.span())
                self.compare("NARR-FORWARD", s, m, n, self.f.one("t3.carried_forward.total"), T3,
                             "四、结转下年度继续办理·总计", "t3.carried_forward.total", "结转下年度")

    def parties(self, s: _Sentence, taken: list[tuple[int, int]]) -> None:
        if "申请" not in s.text:
            return
        who = "|".join(PARTIES)
        for m in self.matches(rf"(?P<who>{who})(?P<gap>{GAP}{{0,10}}?){NUM}件", s, taken):
            n = self.number(m)
            if n is None or _OUTCOME_WORDS.search(m["gap"]) or _NOT_REQUESTS.search(m["gap"]):
                continue
            taken.append(m.span())
            cols = PARTIES[m["who"]]
            new = self.f.sum(tuple(f"t3.new.{c}" for c in cols))
            over = self.f.sum(tuple(f"t3.carried_over.{c}" for c in cols))
            both = None if new is None or over is None else new + over
            if s.basis == "both":
                self.compare("NARR-PARTY", s, m, n, both, T3, f"一、本年新收与二、上年结转中{m['who']}合计",
                             f"t3.new.{cols[0]}", m["who"])
            elif s.basis == "new" or n != both:
                self.compare("NARR-PARTY", s, m, n, new, T3, f"一、本年新收·{m['who']}", f"t3.new.{cols[0]}",
                             m["who"])

    def outcomes(self, s: _Sentence, taken: list[tuple[int, int]]) -> None:
        closed = self.f.one("t3.closed.total")
        both = rf"予以公开(?:及|和|与|、|或|以及)部分公开(?P<gap>{GAP}{{0,8}}?){NUM}件"
        for m in self.matches(both, s, taken):
            n = self.number(m)
            if n is None:
                continue
            taken.append(m.span())
            keys = CATEGORIES["granted"][1] + CATEGORIES["partial"][1]
            self.compare("NARR-OUTCOME", s, m, n, self.f.sum(keys), T3, "予以公开与部分公开合计", keys[0],
                         "予以公开及部分公开")
        for cat, word in _CATEGORY_RE.items():
            name, keys = CATEGORIES[cat]
            for m in self.matches(rf"{word}(?P<gap>{GAP}{{0,8}}?){NUM}件", s, taken):
                n = self.number(m)
                if n is None or _OUTCOME_WORDS.search(m["gap"]) or "、" in m["gap"]:
                    continue
                taken.append(m.span())
                count = self.f.sum(keys)
                numeral = "一二三四五六"[list(CATEGORIES).index(cat)]
                what = f"（{numeral}）{name}" + ("·总计" if len(keys) == 1 else "各项合计")
                if self.compare("NARR-OUTCOME", s, m, n, count, T3, what, keys[0], name):
                    self.share(s, m, name, count, closed)

    def share(self, s: _Sentence, m: re.Match[str], name: str, count: Decimal | None,
              closed: Decimal | None) -> None:
        after = re.match(rf"\)?[,、(]?(?:约?占|占比|比例为)(?:{GAP}){{0,8}}?(?P<p>\d+(?:\.\d+)?)%", s.text[m.end():])
        if after is None or count is None or not closed:
            return
        p = Decimal(after["p"])
        places = len(after["p"].partition(".")[2])
        tolerance = Decimal(1) if places == 0 else Decimal(10) ** -places
        new, carried = self.f.one("t3.new.total"), self.f.one("t3.carried_over.total")
        bases = [b for b in (closed, new, None if new is None or carried is None else new + carried) if b]
        if any(abs(p - count * 100 / b) < tolerance for b in bases):
            return
        exact = (count * 100 / closed).quantize(Decimal("0.1"))
        end = m.end() + after.end()
        self.out.append(_problem("NARR-SHARE", ERROR,
                                 f"正文“{s.quote(m.start(), end)}”与表三不符：正文占比为{after['p']}%，按表三{name}"
                                 f"{_fmt(count)}件、（七）总计{_fmt(closed)}件计算应为{exact}%", PROSE,
                                 CATEGORIES[_cat(name)][1][0]))

    def cases(self, s: _Sentence, taken: list[tuple[int, int]]) -> None:
        both = rf"(?:行政)?复议(?:和|及|与|、|或)(?:行政)?诉讼(?P<gap>{GAP}{{0,10}}?){NUM}件"
        for m in self.matches(both, s, taken):
            n = self.number(m)
            if n is None or re.search(r"维持|纠正|纠错|结果|审结", m["gap"]):
                continue
            taken.append(m.span())
            all_keys = ("t4.review.total", "t4.direct.total", "t4.after_review.total")
            self.compare("NARR-CASES", s, m, n, self.f.sum(all_keys), T4, "行政复议与行政诉讼总计合计", all_keys[0],
                         "行政复议和行政诉讼")
        single: tuple[tuple[str, str, str, tuple[str, ...], str], ...] = (
            ("NARR-REVIEW", r"行政复议", r"诉讼|起诉", ("t4.review.total",), "行政复议·总计"),
            ("NARR-LITIGATION", r"行政诉讼", r"复议", ("t4.direct.total", "t4.after_review.total"),
             "未经复议直接起诉与复议后起诉的总计合计"))
        for code, word, foreign, keys, what in single:
            for m in self.matches(rf"{word}(?P<gap>{GAP}{{0,12}}?){NUM}件", s, taken):
                n = self.number(m)
                if n is None or re.search(rf"{foreign}|维持|纠正|纠错|结果|审结|撤", m["gap"]):
                    continue
                taken.append(m.span())
                self.compare(code, s, m, n, self.f.sum(keys), T4, what, keys[0], word)

    def scope(self, text: str) -> tuple[str, ...]:
        review, litigation = "复议" in text.replace("复议后起诉", ""), bool(re.search(r"诉讼|起诉", text))
        if review and not litigation:
            return ("review",)
        if litigation and not review:
            return ("direct", "after_review")
        return tuple(g for g, _ in T4_GROUPS)

    def outcome_counts(self, groups: tuple[str, ...], outcome: str) -> tuple[Decimal | None, str]:
        parts = [(self.f.one(f"t4.{g}.{outcome}"), T4_NAMES[g]) for g in groups]
        if any(n is None for n, _ in parts):
            return None, ""
        total = sum((n for n, _ in parts if n is not None), Decimal(0))
        shown = "，".join(f"{name}{_fmt(n)}件" for n, name in parts if n)
        return total, shown

    def verdicts(self, s: _Sentence, taken: list[tuple[int, int]]) -> None:
        if not re.search(r"复议|诉讼|起诉", s.text):
            return
        groups = self.scope(s.text)
        names = {"corrected": "结果纠正", "pending": "尚未审结", "other": "其他结果"}
        claims = ((r"(?:均|全部|都)(?:获|被|予以|得到|为|是)?(?:法院|复议机关)?(?:依法)?维持", "均获维持",
                   ("corrected", "pending"), ("other",)),
                  (r"(?:未|没有|无)(?:被|发生被?|出现被?)?(?:纠错|纠正)", "未被纠错", ("corrected",), ()),
                  (r"均已(?:结案|审结)", "均已审结", ("pending",), ()))
        for pattern, said, errors, warnings in claims:
            for m in re.finditer(pattern, s.text):
                total, _ = self.outcome_counts(groups, "total")
                if not total:
                    continue
                for outcomes, severity in ((errors, ERROR), (warnings, WARNING)):
                    found = [(o, *self.outcome_counts(groups, o)) for o in outcomes]
                    bad = [(o, n, shown) for o, n, shown in found if n]
                    if bad:
                        detail = "；".join(f"{names[o]}{_fmt(n)}件（{shown}）" for o, n, shown in bad if n is not None)
                        self.flag("NARR-VERDICT", severity, s, m, T4, f"正文说“{said}”，而表四{detail}",
                                  f"t4.{groups[0]}.{bad[0][0]}")
                        break
                break

    def no_requests(self, s: _Sentence, taken: list[tuple[int, int]]) -> None:
        patterns = (r"(?:未|没有)(?:收到|接到|接收到?|受理)(?P<gap>[^,;:。!?]{0,20}?)申请",
                    r"(?:无|没有)(?P<gap>新收的?|上年结转的?|新的?)?(?:政府信息公开|依)申请")
        for pattern in patterns:
            for m in re.finditer(pattern, s.text):
                gap = m["gap"] or ""
                if _NOT_REQUESTS.search(gap) or any(a <= m.start() < b for a, b in taken):
                    continue
                taken.append(m.span())
                new, carried = self.f.one("t3.new.total"), self.f.one("t3.carried_over.total")
                if "结转" in gap:
                    checks = [("二、上年结转政府信息公开申请数量·总计", carried, "t3.carried_over.total")]
                elif "新" in gap or "上年结转" in s.text:
                    checks = [("一、本年新收政府信息公开申请数量·总计", new, "t3.new.total")]
                else:
                    checks = [("一、本年新收政府信息公开申请数量·总计", new, "t3.new.total"),
                              ("二、上年结转政府信息公开申请数量·总计", carried, "t3.carried_over.total")]
                bad = [(what, n, key) for what, n, key in checks if n]
                if bad:
                    detail = "，".join(f"{what}为{_fmt(n)}件" for what, n, _ in bad if n is not None)
                    self.flag("NARR-NONE", ERROR, s, m, T3, f"正文说没有收到申请，而表三{detail}", bad[0][2])

    def no_cases(self, s: _Sentence, taken: list[tuple[int, int]]) -> None:
        pattern = (r"(?:未|没有|无)(?:发生|产生|出现|引发|涉及|收到|接到|被提起|提起)?"
                   r"(?P<gap>[^,;:。!?]{0,24}?)(?:行政复议|行政诉讼)")
        for m in re.finditer(pattern, s.text):
            clause = s.clause(m.start(), m.end())
            if re.search(r"纠错|纠正|败诉|撤销|确认违法|维持|审结|结案", clause) or re.search(r"\d", m["gap"]):
                continue
            groups = self.scope(clause[clause.find(m.group(0)):])
            values = [(g, self.f.one(f"t4.{g}.total")) for g in groups]
            bad = [(g, n) for g, n in values if n]
            if bad:
                detail = "，".join(f"{T4_NAMES[g]}总计{_fmt(n)}件" for g, n in bad if n is not None)
                self.flag("NARR-NONE", ERROR, s, m, T4, f"正文说未发生行政复议、行政诉讼，而表四{detail}",
                          f"t4.{bad[0][0]}.total")


def _cat(name: str) -> str:
    return next(k for k, (n, _) in CATEGORIES.items() if n == name)


_ASCII = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "，": ",", "；": ";", "：": ":",
                        "！": "!", "？": "?", "（": "(", "）": ")", "％": "%", "．": ".", "\u3000": " "})
_JUNK = re.compile(r"\[bookmark:[^\]]*\]|[\s\u200b-\u200d\u2060\ufeff\u00ad]+", re.IGNORECASE)


def _sentences(paragraph: str, year: int) -> Iterator[_Sentence]:
    shown = _JUNK.sub("", paragraph)
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

