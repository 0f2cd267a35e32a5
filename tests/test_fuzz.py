"""Issue 9's fuzz suite, the quick part run by `make test` (`make fuzz` runs thousands more cases).

Seeded mutations of good inputs (bytes, zip structure, XML values, page text) through the
library entry points each command uses, hypothesis-drawn values and pages, and a few runs of
the real command line. Every case must end in exit 0, 1 or 2 with its input unchanged.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import fuzzing
import pytest
from fill import fill
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
PER_KIND = 30  # 150 seeded cases, about 30 seconds on an idle core
QUICK = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.parametrize("kind", fuzzing.KINDS)
def test_seeded_mutations_end_in_an_exit_code(kind: str, tmp_path: Path) -> None:
    """PER_KIND mutated inputs of a kind: no traceback, no changed input, each an exit code 0, 1 or 2."""
    failures = []
    codes = set()
    for seed in range(PER_KIND):
        work = tmp_path / str(seed)
        outcome = fuzzing.run_case(kind, seed, work, max_seconds=60, max_mb=1 << 20)  # limits: make fuzz
        codes.add(outcome.code)
        if outcome.fault:
            failures.append(f"{kind} seed {seed}: {outcome.label}\n{outcome.detail}")
    assert not failures, "\n".join(failures)
    assert codes <= {0, 1, 2} and len(codes) >= 1


def test_mutators_change_their_input() -> None:
    """The fuzzer is not vacuous: each mutator returns something other than what it was given."""
    rng = random.Random(1)
    seeds = fuzzing.seeds()
    assert all(fuzzing.make_input(kind, rng)[1] != seeds["sample.xlsx"] for kind in ("xlsx",) * 5)
    assert fuzzing.mutate_text(rng, "2024年信息公开") != "2024年信息公开"
    assert fuzzing.mutate_bytes(rng, bytes(100)) != bytes(100)


# --- hypothesis: drawn values and pages ------------------------------------------------------------

_VALUES = st.one_of(st.text(max_size=60), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                    st.sampled_from(fuzzing.NASTY).filter(lambda v: "\x00" not in v and "&#" not in v))


@QUICK
@given(value=_VALUES, key=st.sampled_from(["t3.new.natural", "t2.fees.amount", "others.fee", "postcode", "published",
                                            "pub.channel.1.count", "overview.summary", "note.1.text"]))
def test_any_typed_value_is_a_finding_not_a_crash(value: object, key: str, tmp_path_factory: pytest.TempPathFactory,
                                                  sample_workbook: Path) -> None:
    """Whatever is typed into an input, check ends in 0 or 1 and export and build still work."""
    if isinstance(value, str):
        value = "".join(ch for ch in value if ch.isprintable() or ch in "\t\n")  # XML 1.0 cannot hold the rest
    path = tmp_path_factory.mktemp("v") / "值.xlsx"
    fill(sample_workbook, path, {key: value})
    outcome = fuzzing.run_workbook(path, path.parent)
    assert outcome in (0, 1)


_PIECES = st.sampled_from(["<table>", "</table>", "<tr>", "<td>", "</td>", "<td colspan=99999999>", "<td rowspan=0>",
                           "<p>", "</p>", "<div>", "<br>", "表三", "本年新收", "2024年政府信息公开工作年度报告",
                           "一、总体情况",
                           "9" * 401, "²", "\t", "\n", "1", "0", "件", "。", "<!--", "-->", "<script>", "&nbsp;"])


@QUICK
@given(pieces=st.lists(_PIECES, max_size=300), suffix=st.sampled_from([".html", ".txt"]))
def test_any_page_is_audited_or_unreadable(pieces: list[str], suffix: str,
                                           tmp_path_factory: pytest.TempPathFactory) -> None:
    """A page built from report fragments in any order: audit and import end in 0, 1 or 2."""
    path = tmp_path_factory.mktemp("p") / f"页{suffix}"
    path.write_text("".join(pieces), "utf-8")
    assert fuzzing.run_published(path, path.parent) in (0, 1, 2)


@QUICK
@given(data=st.binary(max_size=2000))
def test_any_bytes_are_unreadable_not_a_crash(data: bytes, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Random bytes named .xlsx are refused with a ReadError (exit 2), never an exception of another kind."""
    from gxsheet.check_files import check_files
    from gxsheet.outcome import exit_code

    path = tmp_path_factory.mktemp("b") / "随机.xlsx"
    path.write_bytes(data)
    assert exit_code(o.status for o in check_files([path])) == 2


# --- the real command line, sparingly ------------------------------------------------------------

def test_command_line_over_a_folder_of_broken_files(tmp_path: Path) -> None:
    """`gxsheet collect` and `gxsheet check` in a fresh process over mutated files: no traceback, summary written."""
    folder = tmp_path / "收回"
    folder.mkdir()
    rng = random.Random(9)
    for i in range(6):
        suffix, data = fuzzing.make_input("xlsx", rng)
        (folder / f"{i}{suffix}").write_bytes(data)
    (folder / "好.xlsx").write_bytes(fuzzing.seeds()["sample.xlsx"])
    before = fuzzing.digest(folder)
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    for args in (["collect", str(folder), "-o", str(tmp_path / "汇总.xlsx")], ["check", *map(str, folder.iterdir())]):
        done = subprocess.run([sys.executable, "-m", "gxsheet.cli", *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, encoding="utf-8", timeout=120)
        assert done.returncode in (1, 2), done.stderr
        assert "Traceback" not in done.stdout + done.stderr
    assert (tmp_path / "汇总.xlsx").exists()
    assert fuzzing.digest(folder) == before


# --- the command line over folders of mixed hostile files ------------------------------------------
HAZARDS: dict[str, bytes] = {
    "空.html": b"", "空.xlsx": b"", "空.docx": b"", "假.pdf": b"%PDF-1.7\n" + bytes(range(256)) * 4,
    "~$锁.docx": b"lock", "二进制.txt": bytes(range(256)) * 8, "bom.txt": b"\xef\xbb\xbf\xff\xfe<p>",
    "标签.html": b"<table>" * 5000 + b"<td>1" * 5000, "引号.htm": b"<p title='>" * 2000,
}


def hostile_folder(folder: Path, seed: int, files: int = 8) -> None:
    """Mutated workbooks, pages, .docx and text side by side, with empty, binary and misnamed files."""
    rng = random.Random(f"folder-cli:{seed}")
    (folder / "子目录.html").mkdir(parents=True)  # a folder named like a report
    for name, data in HAZARDS.items():
        if rng.random() < 0.5:
            (folder / name).write_bytes(data)
    for i in range(files):
        suffix, data = fuzzing.make_input(rng.choice(("xlsx", "html", "docx", "txt")), rng)
        (folder / f"{i}{suffix}").write_bytes(data)


def run_cli_over(folder: Path, out: Path) -> list[str]:
    """audit -o, audit --json and check --json over the folder: what went wrong, if anything."""
    from ooxml import schema_errors

    before = fuzzing.digest(folder)
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    wrong: list[str] = []
    book = out / "审查结果.xlsx"
    for args in (("audit", folder, "-o", book), ("audit", folder, "--json"), ("check", folder, "--json")):
        done = subprocess.run([sys.executable, "-m", "gxsheet", *map(str, args)], capture_output=True, text=True,
                              encoding="utf-8", errors="replace", env=env, timeout=600, cwd=out)
        said = f"{args[0]} {args[-1]}: exit {done.returncode}\n{done.stderr[-2000:]}"
        if done.returncode not in (0, 1, 2) or "Traceback" in done.stderr:  # 0: every workbook passed
            wrong.append(said)
        if args[-1] == "--json":
            try:
                json.loads(done.stdout)
            except ValueError:
                wrong.append(said + "\nnot JSON: " + done.stdout[:300])
    if not book.exists():
        wrong.append("no workbook written")
    elif errors := schema_errors(book):
        wrong.append("workbook not valid: " + "; ".join(errors[:3]))
    if fuzzing.digest(folder) != before:
        wrong.append("an input was changed")
    return wrong


@pytest.mark.parametrize("seed", range(2))
def test_the_command_line_over_a_hostile_folder(seed: int, tmp_path: Path) -> None:
    """Exit 0, 1 or 2, never 3; the audit workbook always written and valid; every --json parses."""
    folder, out = tmp_path / "收回", tmp_path / "out"
    out.mkdir()
    hostile_folder(folder, seed)
    assert run_cli_over(folder, out) == []
