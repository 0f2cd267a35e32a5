"""`gxsheet build`: checks first, writes nothing on errors, never touches inputs, refuses to overwrite."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from engine import soffice
from fill import fill

from gxsheet import templates
from gxsheet.prefill import prefill_values
from gxsheet.templates import TemplateProblem, render_lines
from gxsheet.workbook.meta import Meta
from gxsheet.workbook.reader import read_workbook
from gxsheet.workbook.writer import write_workbook


def gx(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gxsheet.cli", *map(str, args)], capture_output=True,
                          text=True, timeout=300)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def sample(tmp_path: Path, sample_workbook: Path) -> Path:
    copy = tmp_path / "in" / "甲镇.xlsx"
    copy.parent.mkdir()
    shutil.copyfile(sample_workbook, copy)
    return copy


def test_builds_docx_and_html_without_touching_the_input(sample: Path, tmp_path: Path) -> None:
    """A clean workbook becomes a .docx and an .html; the workbook is byte-identical afterwards."""
    before = digest(sample)
    out = tmp_path / "out"
    docx = gx("build", sample, "-o", out)
    html = gx("build", sample, "--format", "html", "-o", out / "r.html")
    assert docx.returncode == 0 and html.returncode == 0, docx.stdout + docx.stderr + html.stderr
    assert docx.stdout.strip() == f"已生成 {out / '甲镇.docx'}"
    assert zipfile.is_zipfile(out / "甲镇.docx")
    assert (out / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert digest(sample) == before


def test_refuses_to_overwrite_unless_told(sample: Path, tmp_path: Path) -> None:
    """An existing output is left alone (exit 2) until --overwrite is given."""
    target = tmp_path / "r.html"
    target.write_text("keep", encoding="utf-8")
    refused = gx("build", sample, "-f", "html", "-o", target)
    assert refused.returncode == 2 and "已存在" in refused.stdout and "--overwrite" in refused.stdout
    assert target.read_text(encoding="utf-8") == "keep"
    assert gx("build", sample, "-f", "html", "-o", target, "--overwrite").returncode == 0
    assert "柴胡店镇" in target.read_text(encoding="utf-8")


def test_errors_write_nothing_and_force_marks_the_document(sample: Path, tmp_path: Path) -> None:
    """With a broken balance nothing is written and the problem is listed; --force writes a marked report."""
    broken = tmp_path / "broken.xlsx"
    fill(sample, broken, {"t3.new.natural": 3})
    out = tmp_path / "b.html"
    failed = gx("build", broken, "-f", "html", "-o", out)
    assert failed.returncode == 1
    assert "未生成报告" in failed.stdout and "表三·自然人列" in failed.stdout
    assert not out.exists() and not list(tmp_path.glob(".b.html*"))
    forced = gx("build", broken, "-f", "html", "-o", out, "--force")
    assert forced.returncode == 0 and "未通过校验" in forced.stdout
    assert "【未通过校验：有2处错误" in out.read_text(encoding="utf-8")


def test_a_folder_builds_every_workbook_and_reports_the_bad_ones(sample: Path, tmp_path: Path) -> None:
    """Every .xlsx under a folder is built; an unreadable one is named and makes the exit code 2."""
    folder = sample.parent
    fill(sample, folder / "乙镇.xlsx", {"address": "乙镇驻地"})
    (folder / "坏.xlsx").write_text("not a workbook", encoding="utf-8")
    (folder / "~$甲镇.xlsx").write_text("lock file", encoding="utf-8")
    out = tmp_path / "reports"
    done = gx("build", folder, "-f", "html", "-o", out)
    assert done.returncode == 2
    assert sorted(p.name for p in out.iterdir()) == ["乙镇.html"]  # the same unit: one report, the newer file's
    skipped = next(line for line in done.stdout.splitlines() if line.startswith("跳过"))
    assert "甲镇.xlsx" in skipped and "只生成乙镇.xlsx的报告" in skipped and "通讯地址" in skipped
    assert "坏.xlsx：无法生成——不是 Excel 工作簿（.xlsx）文件" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_pdf_through_libreoffice(sample: Path, tmp_path: Path) -> None:
    """--format pdf writes a PDF when LibreOffice is installed."""
    soffice()
    out = tmp_path / "r.pdf"
    done = gx("build", sample, "-f", "pdf", "-o", out)
    assert done.returncode == 0, done.stdout + done.stderr
    assert out.read_bytes().startswith(b"%PDF")
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    assert "NotoSerifCJK" in fonts and "NotoSansCJK" in fonts  # template/fonts.conf: 仿宋 serif, 黑体 sans


def test_pdf_without_libreoffice_says_what_to_do(sample: Path, tmp_path: Path) -> None:
    """Without soffice on PATH, --format pdf exits 2 with a Chinese hint and writes nothing."""
    env_path = str(Path(sys.executable).parent)  # python only: no soffice
    done = subprocess.run([sys.executable, "-m", "gxsheet.cli", "build", str(sample), "-f", "pdf", "-o",
                           str(tmp_path / "r.pdf")], capture_output=True, text=True, env={"PATH": env_path})
    assert done.returncode == 2
    assert "需要 LibreOffice" in done.stderr
    assert not (tmp_path / "r.pdf").exists()


def test_unknown_template_name_fails_clearly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An office's reworded template that uses a name gxsheet does not provide fails naming its file and the name."""
    (tmp_path / "narrative").mkdir()
    (tmp_path / "narrative" / "fee.j2").write_text("{{ f.year }}年度收费{{ f.no_such_figure }}元。", encoding="utf-8")
    monkeypatch.setenv(templates.ENV_VAR, str(tmp_path))
    with pytest.raises(TemplateProblem) as err:
        render_lines("narrative/fee.j2", {"f": type("F", (), {"year": 2024})()})
    assert str(tmp_path / "narrative" / "fee.j2") in err.value.message and "no_such_figure" in err.value.message


def test_many_workbooks_build_on_two_processes_in_order(sample: Path, tmp_path: Path) -> None:
    """Five workbooks of five units (enough for the process pool) all build, in path order, with a summary line."""
    folder = sample.parent
    values = prefill_values(read_workbook(sample))
    for i in range(4):
        write_workbook(folder / f"乙{i}.xlsx", Meta(f"乙{i}镇人民政府", 2024), values)
    done = gx("build", folder, "-f", "html", "-o", tmp_path / "out")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[:-1] == [f"已生成 {tmp_path / 'out' / name}.html" for name in ("乙0", "乙1", "乙2", "乙3", "甲镇")]
    assert lines[-1] == "共5个工作簿：生成5份报告，跳过0个"
