"""LibreOffice headless as the spreadsheet engine: recalculate many workbooks in one call."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

# Recalculate formulas on load, whatever the file says about its cached values.
PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str:
    """The soffice binary; in CI its absence is a failure, elsewhere the test is skipped."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("LibreOffice (soffice) is required in CI; `make test` installs it")
    pytest.skip("LibreOffice (soffice) not installed; run `make test` to install it")


def convert(paths: list[Path], outdir: Path, to: str = "xlsx", timeout: int = 600) -> list[Path]:
    """Open each file in LibreOffice, recalculate, and save it as `to` into outdir."""
    binary = soffice()
    profile = outdir / ".profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(PROFILE, encoding="utf-8")
    outdir.mkdir(parents=True, exist_ok=True)
    cmd = [binary, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--convert-to", to, "--outdir", str(outdir), *map(str, paths)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=timeout)
    out = [outdir / (p.stem + "." + to.split(":")[0]) for p in paths]
    missing = [p for p in out if not p.exists()]
    assert not missing, f"LibreOffice did not write {missing}"
    return out


def _binary(names: tuple[str, ...], what: str) -> str | None:
    """The first binary found; None outside CI when there is none, a failure in CI."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required in CI; `make engine` installs it")
    return None


def ssconvert() -> str:
    """Gnumeric's ssconvert; in CI its absence is a failure, elsewhere the test is skipped."""
    found = _binary(("ssconvert",), "Gnumeric (ssconvert)")
    if found is None:
        pytest.skip("Gnumeric (ssconvert) not installed; run `make engine` to install it")
    return found


def gnumeric_available() -> bool:
    """Whether the second engine can run here (in CI a missing one fails the test)."""
    return _binary(("ssconvert",), "Gnumeric (ssconvert)") is not None


def recalc_gnumeric(paths: list[Path], outdir: Path, timeout: int = 120) -> list[Path]:
    """Open each workbook in Gnumeric, recalculate every formula, and save it as .xlsx into outdir."""
    binary = ssconvert()
    outdir.mkdir(parents=True, exist_ok=True)
    out = []
    for path in paths:
        target = outdir / (path.stem + ".xlsx")
        subprocess.run([binary, "--recalc", "--export-type=Gnumeric_Excel:xlsx2", str(path), str(target)],
                       check=True, capture_output=True, timeout=timeout)
        assert target.exists(), f"Gnumeric did not write {target}"
        out.append(target)
    return out


ENGINES = {"libreoffice": convert, "gnumeric": recalc_gnumeric}


def excel_metrics() -> None:
    """LibreOffice measures column widths in the default font, Calibri: Carlito has its metrics.

    Without it LibreOffice falls back to a wider font and prints every sheet smaller than Excel
    would; in CI that is a failure, elsewhere the test is skipped.
    """
    found = subprocess.run(["fc-match", "Calibri"], capture_output=True, text=True).stdout if shutil.which(
        "fc-match") else ""
    if "Carlito" in found:
        return
    if os.environ.get("CI"):
        pytest.fail("the Carlito font (Calibri's metrics) is required in CI; `make engine` installs it")
    pytest.skip("the Carlito font (Calibri's metrics) is not installed; run `make engine`")
