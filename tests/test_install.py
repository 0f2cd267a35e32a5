"""gxsheet as a user gets it: the wheel in a fresh virtual environment, run from an empty folder; and a
copy of the repository placed where no ../shared sits beside it.

These build and install for real (pip reaches PyPI for the dependencies), so they are marked
`install` and left out of `make check`; `make test` runs them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.install

SAMPLE = ROOT / "samples" / "柴胡店镇人民政府2024.xlsx"
SOURCE = ROOT / "samples" / "source" / "柴胡店镇人民政府2024.toml"
PAGE = ROOT / "samples" / "柴胡店镇人民政府2024.html"


def _clean_env() -> dict[str, str]:
    """No PYTHONPATH or virtual environment of ours leaking into the user's."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env.pop("GXSHEET_TEMPLATES", None)
    return env


def _pip_or_skip(cmd: list[str], what: str) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=900, env=_clean_env())
    if done.returncode == 0:
        return
    tail = (done.stderr or done.stdout)[-800:]
    if os.environ.get("CI"):
        pytest.fail(f"{what} failed:\n{tail}")
    pytest.skip(f"{what} failed (no network to PyPI?):\n{tail}")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv, outside the repository, with the wheel built from this checkout installed into it."""
    base = tmp_path_factory.mktemp("user")
    dist = base / "dist"
    _pip_or_skip([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(ROOT)],
                 "building the wheel")
    wheel = next(dist.glob("gxsheet-*.whl"))
    env_dir = base / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / ("Scripts" if os.name == "nt" else "bin") / "python"
    _pip_or_skip([str(python), "-m", "pip", "install", "-q", str(wheel)], "installing the wheel")
    return python


def run(python: Path, cwd: Path, *args: object) -> subprocess.CompletedProcess[str]:
    exe = python.parent / "gxsheet"
    done = subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          env=_clean_env(), timeout=600)
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    return done


def test_the_wheel_carries_the_templates_and_not_the_source_tree(installed: Path, tmp_path: Path) -> None:
    code = "import gxsheet, gxsheet.templates as t; print(gxsheet.__file__); print(t.SHIPPED_DIR)"
    done = subprocess.run([str(installed), "-c", code], capture_output=True, text=True, cwd=tmp_path,
                          env=_clean_env(), check=True)
    module, shipped = done.stdout.splitlines()
    assert not Path(module).is_relative_to(ROOT) and not Path(shipped).is_relative_to(ROOT)
    assert Path(shipped) == Path(module).parent / "template"
    assert (Path(shipped) / "report.docx").is_file() and (Path(shipped) / "workbook" / "填表说明.txt").is_file()


def test_every_command_runs_from_an_empty_folder(installed: Path, tmp_path: Path) -> None:
    """new, check, export, build (docx, html), collect, audit and import: all succeed on the sample."""
    work = tmp_path / "空文件夹"
    work.mkdir()
    assert run(installed, work, "new", "-o", "空白.xlsx", "--unit", "甲镇人民政府", "--year", "2025").returncode == 0
    assert run(installed, work, "new", "--data", SOURCE, "-o", "样例.xlsx").returncode == 0
    done = run(installed, work, "check", "样例.xlsx")
    assert done.returncode == 0 and "通过" in done.stdout
    assert run(installed, work, "export", "样例.xlsx", "-o", "样例.json").returncode == 0
    assert json.loads((work / "样例.json").read_text(encoding="utf-8"))["unit"] == "柴胡店镇人民政府"
    for fmt in ("docx", "html"):
        assert run(installed, work, "build", "样例.xlsx", "--format", fmt).returncode == 0
        assert (work / f"样例.{fmt}").stat().st_size > 1000
    (work / "收回").mkdir()
    shutil.copy(work / "样例.xlsx", work / "收回" / "样例.xlsx")
    done = run(installed, work, "collect", "收回", "-o", "汇总.xlsx")
    assert done.returncode == 0 and (work / "汇总.xlsx").exists()
    done = run(installed, work, "audit", "样例.html", "--json")
    assert done.returncode in (0, 1) and json.loads(done.stdout)["reports"][0]["unit"] == "柴胡店镇人民政府"
    assert run(installed, work, "import", PAGE, "-o", "导入.xlsx").returncode == 0
    assert run(installed, work, "check", "导入.xlsx").returncode in (0, 1)
    module = subprocess.run([str(installed), "-m", "gxsheet", "version"], capture_output=True, text=True,
                            cwd=work, env=_clean_env())
    assert module.returncode == 0 and module.stdout.startswith("gxsheet ")


def _copy_of_the_repository(target: Path) -> Path:
    """The tracked files (and new ones not ignored), as a clone would have them, somewhere else."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    return target


SHARED_TESTS = ["tests/test_published_readers.py::test_pingtan_2021_title_parts_and_tables",
                "tests/test_audit.py::test_real_text_seed",
                "tests/test_workbook.py::test_hand_copied_labels_match_the_reference"]


def test_a_clone_without_shared_skips_visibly_and_fails_under_ci(tmp_path: Path) -> None:
    """Placed where ../shared is absent, the shared-material tests skip saying why; with CI=true they fail."""
    clone = _copy_of_the_repository(tmp_path / "somewhere" / "gxsheet")
    assert not (clone.parent / "shared").exists()
    env = _clean_env() | {"PYTHONPATH": str(clone)}
    env.pop("CI", None)
    cmd = [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", *SHARED_TESTS]
    done = subprocess.run(cmd, cwd=clone, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:]
    assert "shared material not present" in done.stdout and " skipped" in done.stdout.splitlines()[-1]
    done = subprocess.run(cmd, cwd=clone, env=env | {"CI": "true"}, capture_output=True, text=True, timeout=600)
    assert done.returncode == 1, done.stdout[-2000:]
    assert "CI lays shared/ beside the clone" in done.stdout
