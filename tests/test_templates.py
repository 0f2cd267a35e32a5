"""An office's own templates: --templates DIR or GXSHEET_TEMPLATES, file by file over the shipped set."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gxsheet import templates
from gxsheet.document.compose import compose
from gxsheet.document.docx_writer import write_docx
from gxsheet.document.html_writer import render_html
from gxsheet.workbook.reader import read_workbook

SHIPPED = ("fonts.conf", "report.css", "report.docx", "narrative/opening.j2", "workbook/填表说明.txt")


def gx(*args: object, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gxsheet", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=300)


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_template_is_found(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(templates.ENV_VAR, raising=False)
    assert templates.path(name).is_file()
    assert templates.display(name) == f"template/{name}"


def test_an_office_file_wins_and_the_rest_falls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      sample_workbook: Path) -> None:
    """A reworded opening sentence is used; the CSS the office did not copy comes from the shipped set."""
    (tmp_path / "narrative").mkdir()
    shipped = templates.read_text("narrative/opening.j2")
    (tmp_path / "narrative" / "opening.j2").write_text("本单位改写的开头。\n" + shipped, encoding="utf-8")
    monkeypatch.setenv(templates.ENV_VAR, str(tmp_path))
    page = render_html(compose(read_workbook(sample_workbook)))
    assert "本单位改写的开头。" in page
    assert templates.path("report.css") == templates.SHIPPED_DIR / "report.css"
    monkeypatch.delenv(templates.ENV_VAR)
    assert "本单位改写的开头。" not in render_html(compose(read_workbook(sample_workbook)))


def test_a_broken_office_docx_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample_workbook: Path) -> None:
    (tmp_path / "report.docx").write_bytes(b"not a word file")
    monkeypatch.setenv(templates.ENV_VAR, str(tmp_path))
    with pytest.raises(templates.TemplateProblem) as err:
        write_docx(compose(read_workbook(sample_workbook)), tmp_path / "out.docx")
    assert err.value.message == f"模板 {tmp_path / 'report.docx'} 不是有效的 Word 文档（.docx）"
    assert not (tmp_path / "out.docx").exists()


def test_cli_templates_option_reaches_the_report(tmp_path: Path, sample_workbook: Path) -> None:
    """`gxsheet --templates DIR build` uses the office's wording; a missing folder is one Chinese line, exit 2."""
    office = tmp_path / "本单位模板"
    (office / "narrative").mkdir(parents=True)
    text = templates.read_text("narrative/fee.j2")
    (office / "narrative" / "fee.j2").write_text("收费情况：" + text, encoding="utf-8")
    out = tmp_path / "r.html"
    done = gx("--templates", office, "build", sample_workbook, "--format", "html", "-o", out, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "收费情况：" in out.read_text(encoding="utf-8")
    missing = gx("--templates", tmp_path / "没有", "version", cwd=tmp_path)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    assert missing.stderr.strip() == (f"错误：模板文件夹 {tmp_path / '没有'} 不存在或不是文件夹"
                                      f"（见 --templates 或环境变量 {templates.ENV_VAR}）")


def test_python_dash_m_works_like_the_command(tmp_path: Path, sample_workbook: Path) -> None:
    done = gx("check", sample_workbook, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{sample_workbook}：柴胡店镇人民政府2024年 — 通过")
