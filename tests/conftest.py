"""Shared fixtures: a fresh workbook, the golden-file switch, the LibreOffice engine."""

from __future__ import annotations

from pathlib import Path

import pytest
from shared import shared

from gxsheet.document.compose import compose
from gxsheet.document.docx_writer import write_docx
from gxsheet.document.model import Document
from gxsheet.workbook.meta import Meta
from gxsheet.workbook.reader import read_workbook
from gxsheet.workbook.writer import write_workbook

ROOT = Path(__file__).resolve().parent.parent
UNIT, YEAR = "柴胡店镇人民政府", 2024


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ from the current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def blank_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workbook as `gxsheet new` writes it, nothing filled in."""
    path = tmp_path_factory.mktemp("new") / "blank.xlsx"
    write_workbook(path, Meta(UNIT, YEAR))
    return path


@pytest.fixture(scope="session")
def sample_workbook() -> Path:
    return ROOT / "samples" / "柴胡店镇人民政府2024.xlsx"


@pytest.fixture
def shared_material() -> None:
    """The real pages and the seed of ../shared: skipped when absent, a failure when absent in CI."""
    shared("reports", "pingtan_2021.html")
    shared("seeds", "000_f0f557709e2274f5.txt")


@pytest.fixture(scope="session")
def report(sample_workbook: Path) -> Document:
    """The sample workbook composed into the report."""
    return compose(read_workbook(sample_workbook))


@pytest.fixture(scope="session")
def written(report: Document, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample report written as .docx."""
    path = tmp_path_factory.mktemp("docx") / "report.docx"
    write_docx(report, path)
    return path
