"""The whole generated workbook, normalised to text, against tests/golden/workbook.txt.

Run `pytest tests/test_golden.py --update-golden` to rewrite the golden file after an
intended change, then read its diff as a reviewer before committing it.
"""

from __future__ import annotations

import difflib
import zipfile
from pathlib import Path

import pytest
from dump import dump
from openpyxl.workbook.protection import hash_password

from gxsheet import __version__
from gxsheet.workbook.layout import LAYOUT
from gxsheet.workbook.meta import Meta
from gxsheet.workbook.writer import write_workbook

GOLDEN = Path(__file__).resolve().parent / "golden" / "workbook.txt"
UNIT, YEAR = "柴胡店镇人民政府", 2024
PASSWORD = "abc"
DIFF_LINES = 200


def _diff(expected: str, actual: str, a: str = "golden", b: str = "generated") -> str:
    lines = list(difflib.unified_diff(expected.splitlines(), actual.splitlines(), a, b, lineterm=""))
    more = f"\n... {len(lines) - DIFF_LINES} more diff lines" if len(lines) > DIFF_LINES else ""
    return "\n".join(lines[:DIFF_LINES]) + more


@pytest.fixture(scope="module")
def blank_dump(blank_workbook: Path) -> str:
    return dump(blank_workbook)


@pytest.fixture(scope="module")
def protected_dump(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("pw") / "protected.xlsx"
    write_workbook(path, Meta(UNIT, YEAR), password=PASSWORD)
    return dump(path)


def test_dump_matches_golden(blank_dump: str, update_golden: bool) -> None:
    """The blank workbook's dump equals the reviewed golden file (or rewrites it with --update-golden)."""
    if update_golden:
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(blank_dump, encoding="utf-8", newline="\n")
        return
    assert GOLDEN.exists(), f"{GOLDEN} is missing: run pytest tests/test_golden.py --update-golden"
    expected = GOLDEN.read_text(encoding="utf-8")
    if expected != blank_dump:
        pytest.fail("workbook dump differs from the golden file "
                    "(rerun with --update-golden if the change is intended):\n" + _diff(expected, blank_dump),
                    pytrace=False)


def test_password_changes_only_the_hashes(blank_dump: str, protected_dump: str) -> None:
    """A password adds the same legacy hash to every sheet's and the workbook's protection, and nothing else."""
    digest = hash_password(PASSWORD)  # openpyxl's implementation of the ECMA-376 legacy hash
    assert digest == "CC1A"
    before, after = blank_dump.splitlines(), protected_dump.splitlines()
    assert len(before) == len(after)
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    sheets = len(LAYOUT.sheets)
    assert len(changed) == sheets + 1
    sheet_old = "  options: formatColumns=0 formatRows=0 objects=1 scenarios=1 sheet=1"
    sheet_new = f"  options: formatColumns=0 formatRows=0 objects=1 password={digest} scenarios=1 sheet=1"
    assert changed[:sheets] == [(sheet_old, sheet_new)] * sheets
    assert changed[sheets] == ("workbookProtection: lockStructure=1",
                               f"workbookProtection: lockStructure=1 workbookPassword={digest}")


def test_dump_ignores_creation_time_and_version(blank_dump: str, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Workbooks written at different moments dump identically, with no dates or generator version in the text."""
    paths = []
    for epoch in ("0", "1735689600"):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        paths.append(tmp_path / f"at{epoch}.xlsx")
        write_workbook(paths[-1], Meta(UNIT, YEAR))
    cores = [zipfile.ZipFile(p).read("docProps/core.xml") for p in paths]
    assert b"1970-01-01T00:00:00Z" in cores[0] and b"2025-01-01T00:00:00Z" in cores[1]
    texts = [dump(p) for p in paths]
    assert texts[0] == texts[1], _diff(texts[0], texts[1], "epoch 0", "epoch 1735689600")
    assert texts[0] == blank_dump
    assert f"gxsheet {__version__}" not in blank_dump
    assert "B7 | gxsheet <version> | locked | General" in blank_dump
    assert "created" not in blank_dump and "modified" not in blank_dump
