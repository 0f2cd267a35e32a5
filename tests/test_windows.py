"""What differs on Windows, tested here: spawn, Chinese paths with spaces, Excel's lock files, CRLF and GBK.

Windows has no fork: a process pool starts fresh interpreters that import the main module again
and receive everything by pickling. The two pooled paths (collect and build_many) are run from a
script under a folder with a Chinese name and a space, with the start method forced to spawn,
and must give what one process gives.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from gxsheet import jsonio
from gxsheet.prefill import prefill_values
from gxsheet.workbook.meta import Meta
from gxsheet.workbook.writer import write_workbook

ROOT = Path(__file__).resolve().parent.parent
SOURCE = sorted((ROOT / "samples" / "source").glob("*.toml"))[0]
UNITS = [f"第{i:02d}镇人民政府" for i in range(6)]
LOCK = b"\x0cAdministrator" + b"\x00" * 40  # what Excel leaves beside a workbook it has open

SCRIPT = '''
import hashlib, json, multiprocessing, sys
from pathlib import Path

from gxsheet.collect import collect
from gxsheet.document.build import build_many, plan


def run(folder, out, workers):
    rows = collect(folder, workers=workers).as_dict()
    built = []
    for done in build_many(plan([folder], out, "html"), "html", workers=workers):
        digest = hashlib.sha256(done.output.read_bytes()).hexdigest() if done.output else None
        status = "built" if done.output else done.status.value
        built.append([done.path.name, status, [p.message for p in done.problems], digest])
    return {"collect": rows, "build": built}


if __name__ == "__main__":  # required under spawn: the workers import this file again
    multiprocessing.set_start_method(sys.argv[1], force=True)
    folder, out = Path(sys.argv[2]), Path(sys.argv[3])
    result = {"pool": run(folder, out / "pool", 2), "one": run(folder, out / "one", 1),
              "method": multiprocessing.get_start_method()}
    Path(sys.argv[4]).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
'''


def _gx(*args: object, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "gxsheet.cli", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=300, check=False)


@pytest.fixture(scope="module")
def round_(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder as a county gets it back: workbooks from the sample data, a lock file, a broken file."""
    folder = tmp_path_factory.mktemp("round") / "2025年 收回的工作簿"
    folder.mkdir()
    first = folder / f"{UNITS[0]}.xlsx"
    done = _gx("new", "--data", SOURCE, "--unit", UNITS[0], "-o", first)
    assert done.returncode == 0, done.stderr
    values = prefill_values(jsonio.load(SOURCE))
    for unit in UNITS[1:]:
        write_workbook(folder / "分组 甲" / f"{unit}.xlsx", Meta(unit, 2024), values)
    (folder / f"~${UNITS[1]}.xlsx").write_bytes(LOCK)
    (folder / "损坏的文件.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    return folder


def test_pools_under_spawn_give_what_one_process_gives(round_: Path, tmp_path: Path) -> None:
    work = tmp_path / "脚本 目录"
    work.mkdir()
    script = work / "运行.py"
    script.write_text(textwrap.dedent(SCRIPT), encoding="utf-8")
    result_file = work / "结果.json"
    done = subprocess.run([sys.executable, str(script), "spawn", str(round_), str(work / "输出"), str(result_file)],
                          cwd=work, capture_output=True, text=True, encoding="utf-8", timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    result = json.loads(result_file.read_text(encoding="utf-8"))
    assert result["method"] == "spawn"
    assert result["pool"] == result["one"]
    rows = result["one"]["collect"]["units"]
    assert sorted(Path(r["file"]).name for r in rows) == sorted([f"{u}.xlsx" for u in UNITS] + ["损坏的文件.xlsx"])
    assert {r["status"] for r in rows} == {"ok", "unreadable"}
    built = result["one"]["build"]
    assert [b[1] for b in built].count("built") == len(UNITS) and all(b[3] for b in built if b[1] == "built")


def test_pools_never_fork() -> None:
    """Every process pool in gxsheet asks for spawn, so Linux runs what Windows runs."""
    pools = 0
    for path in (ROOT / "gxsheet").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = ast.unparse(node.func)
            if name.endswith("get_context"):
                assert [ast.literal_eval(a) for a in node.args] == ["spawn"], f"{path.name}: {ast.unparse(node)}"
                pools += 1
            if name.endswith("ProcessPoolExecutor"):  # only with a spawn context (counted above), never the default
                context = next((k.value for k in node.keywords if k.arg == "mp_context"), None)
                assert context is not None and "get_context(" in ast.unparse(context), path.name
            assert not name.endswith(("multiprocessing.Pool", "set_start_method")), path.name
    assert pools == 2  # pool.in_order (collect.read_all, document.build.build_many) and the serve command's workers


def test_lock_files_are_skipped_wherever_a_folder_is_walked(round_: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from gxsheet import crossyear
    from gxsheet.audit_files import PUBLISHED_SUFFIXES
    from gxsheet.collect import previous_index, workbooks
    from gxsheet.crossyear import load_previous
    from gxsheet.document.build import workbooks as build_workbooks
    from gxsheet.folders import expand
    from gxsheet.workbook import reader

    for found in (workbooks(round_), build_workbooks([round_])):
        assert found and not [p for p in found if p.name.startswith("~$")]
    assert sorted(load_previous(round_)) == sorted(previous_index(round_))
    opened: list[str] = []
    real = reader.read_workbook
    monkeypatch.setattr(crossyear, "read_workbook", lambda path: opened.append(path.name) or real(path))
    load_previous(round_)
    assert opened and not [n for n in opened if n.startswith("~$")]
    (tmp_path / "报告.docx").write_bytes(b"PK")
    (tmp_path / "~$报告.docx").write_bytes(LOCK)
    assert expand([tmp_path], PUBLISHED_SUFFIXES) == [tmp_path / "报告.docx"]


def test_a_file_held_open_is_one_chinese_line(round_: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On Windows, reading a workbook Excel holds open raises PermissionError: one sentence, no traceback."""
    from click.testing import CliRunner

    from gxsheet.cli import app
    from gxsheet.collect import read_one
    from gxsheet.xlsx import HELD_OPEN, ReadError, Xlsx

    held = round_ / f"{UNITS[0]}.xlsx"
    real_open = Path.open

    def locked(self: Path, *args: object, **kw: object) -> object:
        if self == held:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kw)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", locked)
    with pytest.raises(ReadError, match="占用.*Excel.*请关闭后重试"):
        Xlsx(held)
    row, _ = read_one(held, None)
    assert row.error is not None and row.error.code == "FILE"
    assert [p.message for p in row.problems] == [f"无法读取：{HELD_OPEN}"]
    result = CliRunner().invoke(app, ["check", str(held)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.output.splitlines() == [f"{held}：无法读取——{HELD_OPEN}"]


def test_unit_lists_with_crlf_and_gbk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Notepad and Excel on Chinese Windows write CRLF and GBK; a trailing CR must not end up in a name."""
    from gxsheet.distribute import read_units
    from gxsheet.xlsx import ReadError

    names = ["甲镇人民政府", "乙镇人民政府", "县发展和改革局"]
    forms = {"crlf.txt": ("单位名称\r\n" + "\r\n".join(names) + "\r\n\r\n").encode("utf-8"),
             "gbk.txt": "\r\n".join(names).encode("gbk"),
             "bom.txt": "\r\n".join(names).encode("utf-8-sig"),
             "gbk.csv": ("单位,联系人\r\n" + "".join(f"{n},张三\r\n" for n in names)).encode("gbk")}
    for name, blob in forms.items():
        (tmp_path / name).write_bytes(blob)
        assert read_units(tmp_path / name) == names, name
    held = tmp_path / "crlf.txt"
    real_read = Path.read_bytes

    def locked(self: Path) -> bytes:
        if self == held:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", locked)
    with pytest.raises(ReadError, match="占用"):
        read_units(held)



def test_the_command_pools_a_large_folder_under_spawn(round_: Path, tmp_path: Path) -> None:
    """`gxsheet collect` on a folder large enough for two processes, started as an office starts it."""
    from gxsheet.collect import MIN_POOL, collect, workbooks

    folder = tmp_path / "全县 收回"
    batch = 0
    while len(workbooks(folder) if folder.exists() else []) < MIN_POOL:  # the size that starts two processes
        shutil.copytree(round_, folder / f"第{batch}批")
        batch += 1
    output = tmp_path / "汇总 2025.xlsx"
    script = shutil.which("gxsheet", path=str(Path(sys.executable).parent))
    command = [script] if script else [sys.executable, "-m", "gxsheet.cli"]
    done = subprocess.run([*command, "collect", str(folder), "-o", str(output), "--json"], cwd=tmp_path,
                          env=dict(os.environ, PYTHONIOENCODING="utf-8"), capture_output=True, text=True,
                          encoding="utf-8", timeout=600, check=False)
    assert done.returncode == 1, done.stderr  # duplicates and a broken file: not every unit passed
    assert json.loads(done.stdout) == collect(folder, skip=[output], workers=1).as_dict(output)
