"""Print to PDF as users do: Chromium prints a web page, LibreOffice prints gxsheet's .docx.

Like engine.soffice(): a missing program skips the test, and fails it under CI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from engine import convert


def chromium() -> str:
    """The chromium binary; in CI its absence is a failure, elsewhere the test is skipped."""
    found = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("Chromium is required in CI; `make engine` installs it")
    pytest.skip("Chromium not installed; run `make engine` to install it")


def print_page(page: Path, out: Path, header: bool = True) -> Path:
    """A web page printed to PDF by headless Chromium, with its page header and footer (date, page title,
    address, "1/9") as by default, or without them."""
    profile = out.parent / f".chromium-{out.stem}"
    cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile}", f"--print-to-pdf={out}", page.resolve().as_uri()]
    if not header:
        cmd.insert(-1, "--no-pdf-header-footer")
    subprocess.run(cmd, capture_output=True, timeout=180, check=False)
    assert out.exists() and out.read_bytes().startswith(b"%PDF"), f"Chromium did not print {page.name}"
    return out


def print_docx(docx: Path, outdir: Path) -> Path:
    """A .docx printed to PDF by LibreOffice."""
    return convert([docx], outdir, to="pdf")[0]
