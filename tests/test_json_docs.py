"""docs/json.md is kept honest: every key its examples show is in what the commands really print.

The examples are parsed from the document itself; each is compared with the real output of the
command it documents, run on the sample and on files made to show every kind of entry.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

DOC = ROOT / "docs" / "json.md"
SAMPLE = ROOT / "samples" / "柴胡店镇人民政府2024.xlsx"
PAGE = ROOT / "samples" / "柴胡店镇人民政府2024.html"


def examples() -> dict[str, Any]:
    """The JSON example under each `## \\`gxsheet CMD …\\`` heading, by command."""
    found: dict[str, Any] = {}
    text = DOC.read_text(encoding="utf-8")
    for section in re.split(r"^## ", text, flags=re.M)[1:]:
        command = re.match(r"`gxsheet (\w+)", section)
        block = re.search(r"```json\n(.*?)```", section, flags=re.S)
        if command and block:
            found[command.group(1)] = json.loads(block.group(1))
    return found


def paths(value: Any, prefix: str = "") -> set[str]:
    """Every key path in a JSON value; list items merge under [] and "..." placeholders say nothing."""
    out: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "...":
                continue
            here = f"{prefix}.{key}" if prefix else key
            out.add(here)
            out |= paths(item, here)
    elif isinstance(value, list):
        for item in value:
            out |= paths(item, prefix + "[]")
    return out


def gx(cwd: Path, *args: object) -> Any:
    done = subprocess.run([sys.executable, "-m", "gxsheet", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=300)
    assert done.returncode in (0, 1, 2) and "Traceback" not in done.stderr, done.stderr
    return json.loads(done.stdout)


def open_keys(command: str) -> set[str]:
    """Keys whose children are data (cell keys, rule codes), not part of the documented shape."""
    return {"export": {"fields", "tables"}, "check": {"files[].statuses"},
            "collect": {"totals.values", "totals.rules", "units[].statuses"},
            "audit": {"reports[].statuses", "reports[].formats"}}.get(command, set())


def shape(value: Any, command: str) -> set[str]:
    keys = paths(value)
    skip = open_keys(command)
    return {k for k in keys if not any(k.startswith(s + ".") for s in skip)}


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The real output of each documented command, on inputs that show every kind of entry."""
    work = tmp_path_factory.mktemp("json")
    blank = work / "空白.xlsx"
    subprocess.run([sys.executable, "-m", "gxsheet", "new", "-o", blank, "--unit", "甲镇人民政府", "--year", "2024"],
                   check=True, capture_output=True)
    unchecked = work / "未通过.html"  # a report with findings: the blank workbook built with --force
    subprocess.run([sys.executable, "-m", "gxsheet", "build", blank, "--force", "--format", "html", "-o", unchecked],
                   check=True, capture_output=True)
    bad = work / "坏.xlsx"
    bad.write_bytes(b"not a workbook")
    bad_docx = work / "坏.docx"
    bad_docx.write_bytes(b"PK\x03\x04 not a whole zip")
    round_ = work / "收回"
    round_.mkdir()
    for name in ("柴胡店镇人民政府.xlsx", "柴胡店镇（修改）.xlsx"):
        shutil.copy(SAMPLE, round_ / name)
    shutil.copy(bad, round_ / "乙镇人民政府.xlsx")
    units = work / "名单.txt"
    units.write_text("柴胡店镇人民政府\n乙镇人民政府\n丙镇人民政府\n", encoding="utf-8")
    return {
        "export": gx(work, "export", SAMPLE),
        "check": gx(work, "check", "--json", blank, bad),
        "collect": gx(work, "collect", round_, "--expect", units, "-o", work / "汇总.xlsx", "--json"),
        "audit": gx(work, "audit", "--json", PAGE, unchecked, bad_docx),
    }


@pytest.mark.parametrize("command", ["export", "check", "collect", "audit"])
def test_every_documented_key_is_printed(command: str, real: dict[str, Any]) -> None:
    documented = examples()
    assert command in documented, f"docs/json.md has no example for {command}"
    missing = shape(documented[command], command) - shape(real[command], command)
    assert missing == set()


def test_the_document_covers_every_json_command() -> None:
    assert set(examples()) == {"export", "check", "collect", "audit"}


@pytest.mark.parametrize("command, key", [("check", "files"), ("collect", "units"), ("audit", "reports")])
def test_counts_are_of_the_problems_listed(command: str, key: str, real: dict[str, Any]) -> None:
    """errors and warnings count a file's own problems; reading (group 读取问题) counts the reader's
    apart, as docs/json.md says: together every problem listed, once."""
    for entry in real[command][key]:
        problems = entry["problems"]
        if problems and not isinstance(problems[0], dict):
            continue
        reading = [p for p in problems if p["group"] == "读取问题"]
        own = [p for p in problems if p["group"] != "读取问题"]
        assert entry["reading"] == len(reading)
        assert entry["errors"] == sum(p["severity"] == "error" for p in own)
        assert entry["warnings"] == sum(p["severity"] == "warning" for p in own)
        if command == "audit" and entry["status"] != "unreadable":
            assert entry["status"] == ("findings" if own else "ok")
