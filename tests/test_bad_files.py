"""Files `gxsheet check` cannot read: one Chinese line each, exit code 2, the file left untouched."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from gxsheet.xlsx import MAX_FILE, MAX_UNPACKED

ROOT = Path(__file__).resolve().parent.parent
CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
UNIT = "柴胡店镇人民政府"


def run(*args: object) -> subprocess.CompletedProcess[str]:
    """`python -m gxsheet.cli check ARGS` in a fresh process, output decoded as UTF-8."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "gxsheet.cli", "check", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def fingerprint(path: Path) -> object:
    """What must not change: a file's bytes, a folder's listing, or that nothing is there."""
    if path.is_dir():
        return sorted(p.name for p in path.iterdir())
    if not path.exists():
        return None
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return path.stat().st_size, h.hexdigest()


def _rezip(src: Path, dst: Path, change: Callable[[str, bytes], bytes]) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, change(info.filename, zin.read(info)))


# --- the bad files ------------------------------------------------------------------------

def missing(tmp: Path, blank: Path) -> Path:
    return tmp / "不存在.xlsx"


def empty(tmp: Path, blank: Path) -> Path:
    path = tmp / "空文件.xlsx"
    path.write_bytes(b"")
    return path


def text(tmp: Path, blank: Path) -> Path:
    path = tmp / "改了扩展名.xlsx"
    path.write_text("机关全称,柴胡店镇人民政府\n报告年度,2024\n", encoding="utf-8")
    return path


def truncated(tmp: Path, blank: Path) -> Path:
    path = tmp / "下载不完整.xlsx"
    data = blank.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _cfb(name: str) -> bytes:
    """A minimal OLE compound file: its magic, a header's worth of filler, one directory name."""
    return CFB + b"\x00" * 504 + name.encode("utf-16-le") + b"\x00" * 512


def old_xls(tmp: Path, blank: Path) -> Path:
    path = tmp / "旧格式.xls"
    path.write_bytes(_cfb("Workbook"))
    return path


def encrypted(tmp: Path, blank: Path) -> Path:
    path = tmp / "加密.xlsx"
    path.write_bytes(_cfb("EncryptionInfo"))
    return path


def huge(tmp: Path, blank: Path) -> Path:
    path = tmp / "超大.xlsx"
    with path.open("wb") as fh:
        fh.write(b"PK\x03\x04")
        fh.truncate(MAX_FILE + 1024 * 1024)  # sparse: takes no disk space
    return path


def foreign(tmp: Path, blank: Path) -> Path:
    path = tmp / "别的表格.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "机关全称"
    wb.active["B1"] = UNIT
    wb.save(path)
    return path


def edited_identity(tmp: Path, blank: Path) -> Path:
    """The unit changed consistently in the custom properties and in _gxsheet's shared string."""
    path = tmp / "改了单位.xlsx"
    old, new = f">{UNIT}<".encode(), ">枣庄市人民政府<".encode()

    def change(name: str, data: bytes) -> bytes:
        if name in ("docProps/custom.xml", "xl/sharedStrings.xml"):
            assert data.count(old) == 1, name
            return data.replace(old, new)
        return data

    _rezip(blank, path, change)
    return path


def folder(tmp: Path, blank: Path) -> Path:
    path = tmp / "文件夹.xlsx"
    path.mkdir()
    (path / "里面的文件.txt").write_text("x", encoding="utf-8")
    return path


def zip_bomb(tmp: Path, blank: Path) -> Path:
    """A real workbook plus one member of zeros that unpacks to more than MAX_UNPACKED."""
    path = tmp / "炸弹.xlsx"
    _rezip(blank, path, lambda name, data: data)
    chunk = b"\x00" * (1 << 20)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf, zf.open("xl/media/image1.bin", "w") as fh:
        for _ in range(MAX_UNPACKED // len(chunk) + 1):
            fh.write(chunk)
    assert path.stat().st_size < MAX_FILE
    return path


CASES = [
    (missing, "FILE", "文件不存在"),
    (empty, "FILE", "文件是空的（0字节）"),
    (text, "FILE", "不是 Excel 工作簿（.xlsx）文件"),
    (truncated, "FILE", "文件已损坏，无法解压（不是完整的 .xlsx 文件）"),
    (old_xls, "XLS", "这是旧版 .xls 格式（或其他 Office 格式），请用工作簿原来的 .xlsx 格式保存"),
    (encrypted, "ENCRYPTED", "文件设置了打开密码（已加密），请取消打开密码后再提交"),
    (huge, "FILE", f"文件过大（{(MAX_FILE + 1024 * 1024) / 1024 / 1024:.1f} MB），不像是填报工作簿"),
    (foreign, "NOT-GXSHEET", "不是 gxsheet 生成的填报工作簿（缺少模板标识），请使用 gxsheet new 生成的工作簿填写"),
    (edited_identity, "TAMPER-META", "工作簿标识（单位、年度）被改动，与生成时不符"),
    (folder, "FILE", "这是一个文件夹，不是工作簿文件"),
    (zip_bomb, "FILE", "文件解压后过大，拒绝读取"),
]
IDS = [make.__name__ for make, _, _ in CASES]


@pytest.mark.parametrize(("make", "code", "message"), CASES, ids=IDS)
def test_bad_file_gets_one_chinese_line(tmp_path: Path, blank_workbook: Path, make, code: str,
                                        message: str) -> None:
    """A bad file yields exactly one stdout line naming it and the reason, exit 2, and stays unchanged."""
    path = make(tmp_path, blank_workbook)
    before = fingerprint(path)
    done = run(path)
    assert done.returncode == 2, done.stderr
    assert done.stdout.splitlines() == [f"{path}：无法读取——{message}"]
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    assert done.stderr == ""
    assert fingerprint(path) == before


@pytest.mark.parametrize(("make", "code", "message"), CASES, ids=IDS)
def test_bad_file_json_says_unreadable(tmp_path: Path, blank_workbook: Path, make, code: str,
                                       message: str) -> None:
    """With --json a bad file is reported as status unreadable with its error code and message."""
    path = make(tmp_path, blank_workbook)
    before = fingerprint(path)
    done = run("--json", path)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    data = json.loads(done.stdout)
    [entry] = data["files"]
    assert {k: entry[k] for k in ("file", "status", "error")} == {
        "file": str(path), "status": "unreadable", "error": {"code": code, "message": message}}
    assert [(p["code"], p["severity"], p["message"]) for p in entry["problems"]] == [(code, "error", message)]
    assert (entry["unit"], entry["year"], entry["errors"]) == (None, None, 1)
    assert data["summary"] == {"files": 1, "ok": 0, "errors": 0, "unreadable": 1}
    assert fingerprint(path) == before


def test_bad_file_does_not_hide_a_good_one(tmp_path: Path, blank_workbook: Path, sample_workbook: Path) -> None:
    """Checking a bad file together with the good sample exits 2 and still reports the sample as passing."""
    bad = truncated(tmp_path, blank_workbook)
    before = fingerprint(bad), fingerprint(sample_workbook)
    done = run(bad, sample_workbook)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    assert done.stdout.splitlines() == [
        f"{bad}：无法读取——文件已损坏，无法解压（不是完整的 .xlsx 文件）",
        f"{sample_workbook}：{UNIT}2024年 — 通过（错误0处，提醒0处）",
        "共2个文件：通过1个，有错误0个，无法读取1个",
    ]
    assert (fingerprint(bad), fingerprint(sample_workbook)) == before


def test_bad_file_does_not_hide_a_good_one_in_json(tmp_path: Path, blank_workbook: Path,
                                                   sample_workbook: Path) -> None:
    """In JSON the same pair gives one unreadable entry and one ok entry with no problems, in order."""
    bad = old_xls(tmp_path, blank_workbook)
    done = run("--json", bad, sample_workbook)
    assert done.returncode == 2, done.stderr
    data = json.loads(done.stdout)
    first, second = data["files"]
    assert (first["file"], first["status"], first["error"]["code"]) == (str(bad), "unreadable", "XLS")
    assert (second["file"], second["status"], second["errors"], second["problems"]) == (
        str(sample_workbook), "ok", 0, [])
    assert (second["unit"], second["year"]) == (UNIT, 2024)
    assert data["summary"] == {"files": 2, "ok": 1, "errors": 0, "unreadable": 1}
