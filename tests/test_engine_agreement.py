"""The workbook's own formulas, recalculated by LibreOffice and by Gnumeric, agree with the Python checker.

Two engines, so that no formula leans on one engine's leniency: both recalculate the very same
random fillings. Without Gnumeric (outside CI) only LibreOffice runs, and test_gnumeric_present
shows the skip."""

from __future__ import annotations

import itertools
from decimal import Decimal
from pathlib import Path

import pytest
from engine import ENGINES, gnumeric_available, ssconvert
from fill import Formula, fill
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from strategies import fillings, typed_fillings

from gxsheet.check import check
from gxsheet.schema import SCHEMA, Kind
from gxsheet.status import BLANK
from gxsheet.workbook.layout import CHECKS, LAYOUT
from gxsheet.workbook.reader import read_workbook
from gxsheet.xlsx import Xlsx

BATCH = 24
TYPED_BATCH = 10
_counter = itertools.count()


def engine_verdict(path: Path) -> tuple[dict[str, object], dict[str, object], object]:
    """Statuses from the 校验 sheet, computed cells, and the overall status, as LibreOffice left them."""
    with Xlsx(path) as book:
        checks = book.cells(CHECKS)
        statuses = {iid: checks[(row, 5)].value for iid, row in LAYOUT.check_rows.items()}
        computed: dict[str, object] = {}
        sheets: dict[str, dict[tuple[int, int], object]] = {}
        for key in SCHEMA.definitions:
            sheet, row, col = LAYOUT.where[key]
            cells = sheets.setdefault(sheet, book.cells(sheet))  # type: ignore[arg-type]
            computed[key] = cells[(row, col)].value  # type: ignore[union-attr]
        return statuses, computed, checks[(1, 1)].value


def _python_computed(report: object, key: str) -> object:
    n = report.number(key)  # type: ignore[attr-defined]
    return BLANK if n is None else float(n)


ZEROS: dict[str, object] = {c.key: 0 for c in SCHEMA.table_inputs}
KNOWN = [(ZEROS, []), (ZEROS | {"t3.new.natural": 1}, [("t3.new.natural", "plus_one")])]


# One run of each engine per batch; shrinking would rerun it hundreds of times, so it is off.
@settings(max_examples=2, deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(st.lists(fillings(), min_size=BATCH, max_size=BATCH))
def test_engines_and_python_agree_rule_by_rule(tmp_path_factory, blank_workbook, batch) -> None:
    """For random fillings with planted mistakes, every rule's status and every total agree."""
    batch = KNOWN + batch  # a clean and a broken filling, so both verdicts are always exercised
    seen = _agree(tmp_path_factory, blank_workbook, batch)
    assert {"通过", "错误"} <= seen  # the batch exercised both verdicts


TYPED_KNOWN = [(ZEROS | {"t3.new.natural": "１５", "t3.new.legal": "3件", "t3.carried_over.natural": " 5 ",
                         "t4.review.upheld": " ", "pub.channel.1.count": "5", "t2.fees.amount": "1.5",
                         "t3.granted.natural": Formula("1+2"), "pub.channel.2.count": Formula("4")},
                ["known typed text"])]


@settings(max_examples=2, deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(st.lists(typed_fillings(), min_size=TYPED_BATCH, max_size=TYPED_BATCH))
def test_engines_and_python_agree_on_typed_text(tmp_path_factory, blank_workbook, batch) -> None:
    """Full-width digits, units, spaces, text, formulas and blanks in number cells: every rule agrees."""
    seen = _agree(tmp_path_factory, blank_workbook, TYPED_KNOWN + batch)
    assert "错误" in seen


def for_gnumeric(values: dict[str, object]) -> dict[str, object]:
    """A filling less what Gnumeric cannot judge as Excel 2013+ and LibreOffice do.

    It does not evaluate ISFORMULA or FIND over a range inside SUMPRODUCT as arrays, so a formula
    typed into an input and a fraction typed into a count cell go unseen there (as in an Excel before
    2013 for formulas); and it counts a cell holding an empty string (which nobody can type; only a
    file can hold one) as text. Everything else is compared in both engines.
    """
    def judged(key: str, v: object) -> bool:
        fraction = (isinstance(v, (Decimal, float)) and v != int(v) and SCHEMA.kind(key) is Kind.COUNT)
        return not isinstance(v, Formula) and v != "" and not fraction

    return {k: v for k, v in values.items() if judged(k, v)}


def _agree(tmp_path_factory, blank_workbook, batch) -> set[str]:  # type: ignore[no-untyped-def]
    """Fill, recalculate in each engine, and compare each filling's statuses and totals with check's."""
    seen: set[str] = set()
    for engine in ["libreoffice"] + (["gnumeric"] if gnumeric_available() else []):
        work = tmp_path_factory.mktemp(f"agree{next(_counter)}")
        mine = batch if engine == "libreoffice" else [(for_gnumeric(v), why) for v, why in batch]
        paths = []
        for i, (values, _) in enumerate(mine):
            path = work / f"f{i:02d}.xlsx"
            fill(blank_workbook, path, values)
            paths.append(path)
        seen |= _compare(engine, mine, paths, ENGINES[engine](paths, work / engine))
    return seen


def _compare(engine: str, batch: list[tuple[dict[str, object], list[tuple[str, str]]]], paths: list[Path],
           recalculated: list[Path]) -> set[str]:
    seen: set[str] = set()
    for (_, planted), path, calc in zip(batch, paths, recalculated, strict=True):
        result = check(read_workbook(path))
        statuses, computed, overall = engine_verdict(calc)
        assert statuses == result.statuses, (engine, planted, _diff(statuses, result.statuses))
        expected = {k: _python_computed(result.report, k) for k in SCHEMA.definitions}
        assert computed == expected, (engine, planted, _diff(computed, expected))
        errors = sum(s == "错误" for s in result.statuses.values())
        assert (overall == f"有{errors}处错误") == (errors > 0), (engine, overall)
        seen |= set(result.statuses.values())
    return seen


def test_gnumeric_present() -> None:
    """The second engine is there (a skip outside CI says it is not; in CI its absence fails)."""
    assert ssconvert()


def _diff(a: dict[str, object], b: dict[str, object]) -> dict[str, tuple[object, object]]:
    return {k: (a.get(k), b.get(k)) for k in a.keys() | b.keys() if a.get(k) != b.get(k)}


@pytest.mark.parametrize("engine", ENGINES)
def test_sample_recalculates_to_all_pass(tmp_path: Path, sample_workbook: Path, engine: str) -> None:
    """The bundled sample, opened in LibreOffice or Gnumeric, shows 全部通过 and every rule 通过."""
    (calc,) = ENGINES[engine]([sample_workbook], tmp_path)
    statuses, computed, overall = engine_verdict(calc)
    assert overall == "全部通过"
    assert {s for i, s in statuses.items() if not i.startswith("XY-")} == {"通过"}
    assert {s for i, s in statuses.items() if i.startswith("XY-")} == {"不适用"}  # no last year in the sample
    assert computed["pub.channel.total"] == 2173.0
    assert computed["pub.category.total"] == 24.0
    assert computed["t3.closed.total"] == float(Decimal(0))


@pytest.mark.parametrize("engine", ENGINES)
def test_blank_workbook_opens_calm(tmp_path: Path, blank_workbook: Path, engine: str) -> None:
    """A fresh form, recalculated, shows nothing red: every rule 通过 or 未填, overall not an error.

    The Python checker shows the same statuses, yet still fails the blank report when it is submitted.
    """
    (calc,) = ENGINES[engine]([blank_workbook], tmp_path)
    statuses, _, overall = engine_verdict(calc)
    assert "错误" not in statuses.values(), {k: s for k, s in statuses.items() if s == "错误"}
    assert statuses["BLANK-表三"] == BLANK
    assert isinstance(overall, str) and overall.startswith("尚未填完"), overall
    result = check(read_workbook(blank_workbook))
    assert result.statuses == statuses
    assert not result.ok
    assert any(p.rule == "BLANK-表三" and p.severity.value == "error" for p in result.problems)
