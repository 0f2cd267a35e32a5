"""`gxsheet collect`: a round's workbooks read one at a time, judged, and the passing ones summed.

A county office sends every township and department a workbook and gets a folder back.
`collect` reads that folder file by file, keeps only a small row per file (never a Report),
finds what is missing, unreadable, wrong or sent twice, and adds the tables 二, 三 and 四 of
the units that passed into one roll-up, which is checked by the same rules.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

from .check import Result, check
from .crash import forget, record, working_on
from .crossyear import attach, load_previous, unit_key
from .distribute import filename
from .duplicates import Candidate, choose, differences, reason
from .folders import Progress, under
from .jsonio import from_data, plain
from .names import readable
from .outcome import JSON_VERSION, Outcome, Status, exit_code
from .pool import in_order, workers_for
from .problems import Problem
from .report import Report
from .schema import SCHEMA, Instance, Rule, Severity
from .schema.relations import Below
from .workbook.meta import PROPERTY
from .workbook.reader import read_workbook
from .xlsx import ReadError, Xlsx

OK, ERRORS, UNREADABLE, MISSING, DUPLICATE = (Status.OK, Status.ERRORS, Status.UNREADABLE, Status.MISSING,
                                              Status.DUPLICATE)
OLD_TEMPLATE = "模板版本过旧"
GROUP = "提交"  # the group of problems about the round rather than one workbook's contents
SUFFIXES = (".xlsx", ".xls")  # a .xls is reported as unreadable rather than silently missed
TABLE_KEYS = tuple(c.key for c in SCHEMA.table_inputs)  # the inputs of 表二, 表三, 表四
MIN_POOL = 40  # fewer files are read faster in this process than by starting two workers
FIRST = 3  # problems shown per unit in the overview


@dataclass
class Collection:
    """A whole round: every submission (one Outcome per file, or per expected unit with none) in the
    order work is left, and the roll-up."""

    folder: Path
    year: int | None
    submissions: list[Outcome]
    sums: dict[str, Decimal]  # the table inputs summed over the counted units
    counted: int
    expected: tuple[str, ...] | None = None

    @property
    def units(self) -> list[Outcome]:
        """One submission per unit: duplicates left out."""
        return [s for s in self.submissions if s.status is not DUPLICATE]

    @property
    def counts(self) -> dict[str, int]:
        units = self.units
        found = {s.value: sum(u.status is s for u in units) for s in (OK, ERRORS, UNREADABLE, MISSING)}
        return {"units": len(units), **found,
                "duplicate": sum(s.status is DUPLICATE for s in self.submissions),
                "unlisted": sum(not s.listed for s in self.submissions), "counted": self.counted}

    def headline(self) -> str:
        c = self.counts
        line = (f"共{c['units']}个单位：{OK.zh}{c['ok']}，{ERRORS.zh}{c['errors']}，{UNREADABLE.zh}{c['unreadable']}，"
                f"{MISSING.zh}{c['missing']}")
        extra = []
        if c["duplicate"]:
            extra.append(f"另有{DUPLICATE.zh}{c['duplicate']}个文件")
        if c["unlisted"]:
            extra.append(f"名单外{c['unlisted']}个")
        return line + (f"（{'，'.join(extra)}）" if extra else "")

    @property
    def exit_code(self) -> int:
        """0 when every expected unit passed (without a list: every file, and there is one), else 1.

        The one rule of outcome.exit_code, over the units that count; a file of the round that could
        not be read is the round's finding (its summary was written), so the round is 1, not 2.
        """
        if self.expected is not None:
            wanted = {unit_key(n) for n in self.expected}
            judged = [s.status for s in self.units if s.unit and unit_key(s.unit) in wanted]
        else:
            judged = [s.status for s in self.submissions] or [MISSING]
        return exit_code(ERRORS if s is UNREADABLE else s for s in judged)

    @property
    def flawed(self) -> list[Path]:
        """The files read that have problems: those a marked copy helps (collect --mark)."""
        return [s.path for s in self.submissions if s.path is not None and s.problems and s.status is not UNREADABLE]

    def summed(self) -> Report:
        """The roll-up as a report (tables only), for the checker and the writers."""
        return from_data({"unit": f"{self.counted}个单位汇总", "year": self.year or 0,
                          "tables": {k: v for k, v in self.sums.items()}})

    @cached_property
    def checked(self) -> Result | None:
        """The rules run over the roll-up; None when nothing was summed."""
        return check(self.summed()) if self.counted else None

    def total_rules(self) -> list[tuple[Instance, Rule, str]]:
        """The rules about the tables alone, with their status on the roll-up."""
        result = self.checked
        out = []
        for rule in SCHEMA.rules:
            for inst in rule.instances:
                if sum_rule(inst):
                    out.append((inst, rule, result.statuses[inst.id] if result else ""))
        return out

    @cached_property
    def summed_numbers(self) -> dict[str, Decimal]:
        """Every table cell of the roll-up, totals recomputed; empty when nothing was summed."""
        if not self.counted:
            return {}
        report = self.summed()
        return {k: n for k in SCHEMA.cells if (n := report.number(k)) is not None}

    def as_dict(self, output: Path | None = None) -> dict[str, Any]:
        return {
            "version": JSON_VERSION, "folder": readable(self.folder), "year": self.year,
            "output": readable(output) if output else None, "exit_code": self.exit_code,
            "summary": self.counts,
            "units": [s.as_dict() for s in self.submissions],
            "totals": {"units": self.counted,
                       "values": {k: plain(v) for k, v in self.summed_numbers.items()},
                       "rules": {i.id: status for i, _, status in self.total_rules() if status}},
        }

    def lines(self, limit: int = 40) -> list[str]:
        """What is left to do, one line a unit, for people."""
        head = f"{self.year}年：" if self.year else ""
        out = [head + self.headline()]
        if not any(s.path for s in self.submissions):
            out.append(f"  在 {readable(self.folder)} 中没有找到工作簿（.xlsx）")
        todo = [s for s in self.submissions if s.status is not OK or s.warnings]
        for s in todo[:limit]:
            name = s.unit or "（未知单位）"
            where = f"（{readable(s.path)}）" if s.path else ""
            label = s.status.zh if s.status is not OK else "通过，有提醒"
            first = next(iter(s.first(1)), "")
            more = f"（共{s.errors + s.warnings}处）" if s.errors + s.warnings > 1 else ""
            out.append(f"  [{label}] {name}{where}：{first}{more}")
        if len(todo) > limit:
            out.append(f"  ……另有{len(todo) - limit}个，详见汇总工作簿的“提交情况”表")
        if self.counted:
            out.append(f"已汇总{self.counted}个通过校验的单位的表二、表三、表四")
        else:
            out.append("没有通过校验的单位，未汇总")
        return out


def sum_rule(inst: Instance) -> bool:
    """Whether a rule applies to a roll-up: it is about the tables alone and not a per-unit threshold."""
    rel = inst.relation
    return all(k in SCHEMA.cells for k in rel.keys) and not isinstance(rel, Below)


# --- reading one file (in this process or a worker) -------------------------------------

Read = tuple[Outcome, dict[str, Decimal] | None]  # a file's outcome, and its table inputs when it passed


def peek(path: Path) -> dict[str, str]:
    """The identity a workbook claims (unit, year, schema), without reading or trusting it."""
    try:
        with Xlsx(path) as book:
            props = book.custom_properties()
    except Exception:  # only a hint for an unreadable file's row: whatever went wrong, there is none
        return {}
    return {name: props.get(prop, "") for name, prop in PROPERTY.items()}


def _unreadable(path: Path, code: str, message: str) -> Read:
    meta = peek(path) if path.suffix.lower() == ".xlsx" else {}
    try:
        year: int | None = int(meta.get("year", ""))
    except ValueError:
        year = None
    text = f"{OLD_TEMPLATE}：{message}" if code == "OLD-TEMPLATE" else f"{UNREADABLE.zh}：{message}"
    return Outcome.unreadable(path, code, message, text, unit=meta.get("unit", ""), year=year,
                              schema=meta.get("schema", "")), None


def read_one(path: Path, previous: Mapping[str, Path] | None = None) -> Read:
    """Read and check one workbook; with last year's files by unit, cross-year rules too."""
    try:
        with working_on(path):
            report = read_workbook(path)
            if previous is not None:
                report.problems += attach(report, _last_year(previous.get(unit_key(report.unit))))
            result = check(report)
    except ReadError as exc:
        return _unreadable(path, exc.code, exc.message)
    except Exception as exc:  # one strange file must not stop a round of hundreds
        trace = record(exc)
        forget()
        kept = f"（错误记录：{readable(trace)}）" if trace else ""
        return _unreadable(path, "FILE", f"读取时出现意外错误（{type(exc).__name__}），请另存为 .xlsx 后重新提交{kept}")
    values = None
    if result.ok:
        values = {k: n for k in TABLE_KEYS if (n := report.number(k)) is not None}
    outcome = Outcome.checked(path, result)
    outcome.statuses = None  # a row of the round, small: the rules' statuses are the summary's, not each unit's
    return outcome, values


def _last_year(path: Path | None) -> Report | None:
    if path is None:
        return None
    try:
        return next(iter(load_previous(path).values()), None)
    except ReadError:
        return None


def previous_index(source: Path) -> dict[str, Path]:
    """Last year's workbooks by unit, from what each claims to be: nothing is kept in memory but paths.

    As crossyear.load_previous does, a later file of the same unit wins and unreadable files are skipped.
    """
    found: dict[str, Path] = {}
    for path in workbooks(source) if source.is_dir() else [source]:
        unit = peek(path).get("unit", "")
        if not unit:
            try:
                unit = next(iter(load_previous(path).values())).unit
            except Exception:  # last year's odd file is skipped, as an unreadable one: it must not stop the round
                continue
        found[unit_key(unit)] = path
    return found


_WORKER: list[Mapping[str, Path] | None] = [None]


def _init(previous: Mapping[str, Path] | None) -> None:
    _WORKER[0] = previous


def _work(path: Path) -> Read:
    return read_one(path, _WORKER[0])


def read_all(paths: list[Path], previous: Mapping[str, Path] | None = None,
             workers: int | None = None) -> Iterator[Read]:
    """Each file's outcome and table inputs, in the order given; on two processes for a large folder."""
    workers = workers_for(len(paths), MIN_POOL) if workers is None else workers
    yield from in_order(_work, paths, _init, (previous,), workers, chunksize=4)


# --- the round ------------------------------------------------------------------------------

def workbooks(folder: Path, skip: Iterable[Path] = ()) -> list[Path]:
    """Every workbook in a folder tree, in sorted path order; Office lock files and hidden files left out."""
    skipped = {p.resolve() for p in skip}
    return [p for p in under(folder, SUFFIXES) if p.resolve() not in skipped]


def collect(folder: Path, expect: list[str] | None = None, previous: Path | None = None,
            year: int | None = None, *, skip: Iterable[Path] = (), workers: int | None = None,
            progress: Progress | None = None) -> Collection:
    """Read every workbook under folder, one at a time, and judge the round.

    expect: the units that should have submitted (distribute.read_units); previous: last year's
    workbook or folder, for the cross-year rules; year: the round's year (else the most common
    year of the files). skip: files not to read (the summary being written into the folder).
    """
    paths = workbooks(folder, skip)
    index = previous_index(previous) if previous is not None else None
    listed = {unit_key(n): i for i, n in enumerate(expect)} if expect is not None else None
    by_file = _file_units(expect or [])
    rows: list[Outcome] = []
    values: dict[int, dict[str, Decimal]] = {}  # by id of the row: a passing file's table inputs
    for done, (sub, read) in enumerate(read_all(paths, index, workers), 1):
        if sub.status is UNREADABLE and not sub.unit and sub.path is not None:
            sub.unit = by_file.get(unit_key(sub.path.stem), "")
        sub.listed = listed is None or not sub.unit or unit_key(sub.unit) in listed
        sub.counted = False
        if read is not None and sub.year is not None and sub.listed:
            values[id(sub)] = read
            sub.counted = True  # for now: only if its year is the round's and it stands for its unit
        rows.append(sub)
        if progress is not None:
            progress(done, len(paths))
    round_year = year if year is not None else _common_year(rows)
    return judge_round(folder, rows, values, round_year, expect)


def judge_round(folder: Path, rows: list[Outcome], values: Mapping[int, Mapping[str, Decimal]], year: int | None,
                expect: list[str] | None) -> Collection:
    """The round from each file's outcome: the round's own findings (year, duplicates, missing units),
    the sums of the files that count (values: table inputs by id of the row) and the order to show.
    Shared by collect and by serve, whose rows come from its store."""
    rows = _judge_round(rows, year, expect, folder)
    total = dict.fromkeys(TABLE_KEYS, Decimal(0))
    for s in rows:
        for key, n in values.get(id(s), {}).items() if s.counted else ():
            total[key] += n
    counted = sum(bool(s.counted) for s in rows)
    listed = {unit_key(n): i for i, n in enumerate(expect)} if expect is not None else None
    return Collection(folder, year, _ordered(rows, listed), total if counted else {}, counted,
                      tuple(expect) if expect is not None else None)


def _file_units(expect: list[str]) -> dict[str, str]:
    """Expected units by the file names gxsheet new gives them, to name an unreadable file's unit."""
    out: dict[str, str] = {}
    for name in expect:
        out[unit_key(name)] = name
        out[unit_key(Path(filename(name)).stem)] = name
    return out


def _common_year(rows: list[Outcome]) -> int | None:
    years = Counter(s.year for s in rows if s.year is not None and s.status is not UNREADABLE)
    if not years:
        return None
    return max(years, key=lambda y: (years[y], y))


def _judge_round(rows: list[Outcome], year: int | None, expect: list[str] | None,
                 folder: Path) -> list[Outcome]:
    """Year, duplicates, units off the list and units with no file: what only the whole round shows."""
    def shown(s: Outcome) -> str:
        return shown_path(s.path, folder)

    groups: dict[str, list[Outcome]] = defaultdict(list)
    for s in rows:
        groups[unit_key(s.unit) if s.unit else f"\0{s.path}"].append(s)
        if s.year != year and s.status is not UNREADABLE:
            s.counted = False
            if year is not None and s.year is not None:
                s.problems.insert(0, Problem("COLLECT-YEAR", Severity.ERROR,
                                             f"报告年度为{s.year}年，本轮收集的是{year}年的报告，未计入汇总",
                                             group=GROUP, rule="COLLECT-YEAR"))
                s.status = ERRORS
        if not s.listed:
            s.problems.insert(0, Problem("COLLECT-UNLISTED", Severity.WARNING,
                                         f"“{s.unit}”不在单位名单中，未计入汇总（如是名称写法不同，请核对名单）",
                                         group=GROUP, rule="COLLECT-UNLISTED"))
    for files in groups.values():
        if len(files) > 1:
            _duplicates(files, year, shown)
    present = {unit_key(s.unit) for s in rows if s.unit}
    for name in expect or []:
        if unit_key(name) not in present:
            missing = Problem("COLLECT-MISSING", Severity.ERROR, "未收到本单位的工作簿", group=GROUP,
                              rule="COLLECT-MISSING")
            rows.append(Outcome(None, MISSING, name, problems=[missing], listed=True, counted=False))
    return rows


def _duplicates(files: list[Outcome], year: int | None, shown: Callable[[Outcome], str]) -> None:
    """One file stands for the unit; each message says why and where the files differ."""
    by_path = {s.path: s for s in files}
    candidates = [Candidate(s.path, s.status is not UNREADABLE, s.year == year, s.status is OK)
                  for s in files if s.path is not None]
    best = choose(candidates)
    kept = by_path[best.path]
    for c in candidates:
        if c is best:
            continue
        s = by_path[c.path]
        why = reason(best, c, year, (shown(kept), shown(s)))
        diff = differences(best.path, c.path) if best.readable and c.readable else ""
        detail = "。".join(x for x in (f"以{shown(kept)}为准：{why}", diff) if x)
        kept.problems.insert(0, Problem("COLLECT-DUPLICATE", Severity.WARNING,
                                        f"本单位还提交了{shown(s)}，{detail}", group=GROUP, rule="COLLECT-DUPLICATE"))
        s.status, s.counted = DUPLICATE, False
        s.problems.insert(0, Problem("COLLECT-DUPLICATE", Severity.WARNING,
                                     f"与{shown(kept)}是同一单位的报告，本文件未计入汇总，{detail}",
                                     group=GROUP, rule="COLLECT-DUPLICATE"))


def shown_path(path: Path | None, folder: Path) -> str:
    """A file as people are shown it: relative to the round's folder."""
    if path is None:
        return ""
    try:
        return readable(path.relative_to(folder))
    except ValueError:
        return readable(path)


RANK = {MISSING: 0, UNREADABLE: 1, ERRORS: 2, DUPLICATE: 3}


def _ordered(rows: list[Outcome], listed: Mapping[str, int] | None) -> list[Outcome]:
    """Work left on top: 未提交, 无法读取, 有错误, 重复提交, 通过 with warnings, 通过; list order within."""
    def key(s: Outcome) -> tuple[int, int, str]:
        rank = RANK.get(s.status, 4 if s.warnings else 5)
        place = listed.get(unit_key(s.unit), len(listed)) if listed is not None and s.unit else 1 << 30
        return rank, place, str(s.path or "")

    return sorted(rows, key=key)
