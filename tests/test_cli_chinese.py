"""The command line speaks Chinese all the way down: usage, headings, placeholders and parser errors."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from gxsheet.cli import app
from gxsheet.cli_chinese import run

COMMANDS = list(app.commands)
# What click prints in English, and code-like placeholders (<path>, {files}) a parser may make.
ENGLISH = re.compile(r"Usage:|Options:|Arguments:|Commands:|Error:|Show this message|\[required\]|default:|"
                     r"Try '|<[a-z][^<>]*>|\{[a-z_]+\}")


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(app, list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("command", COMMANDS)
def test_help_has_no_english_parser_words(capsys: pytest.CaptureFixture[str], command: str) -> None:
    """Each command's help has Chinese headings, a Chinese usage line and readable placeholders."""
    code, out, _ = run_cli(capsys, command, "--help")
    assert code == 0
    assert out.startswith(f"用法：gxsheet {command} [选项]")
    assert "选项：" in out and "显示本帮助并退出" in out
    assert ENGLISH.findall(out) == []


def test_top_level_help_lists_every_command_whole(capsys: pytest.CaptureFixture[str]) -> None:
    """No description in the command list is cut short with "..."; the exit codes are documented."""
    code, out, _ = run_cli(capsys, "--help")
    assert code == 0 and ENGLISH.findall(out) == []
    listing = out[out.index("命令："):]
    for command in COMMANDS:
        summary = next(line for line in listing.splitlines() if line.strip().startswith(command + " "))
        assert not summary.rstrip().endswith("..."), summary
    assert "退出码：0" in out and "2 文件无法读取" in out


@pytest.mark.parametrize(("args", "message"), [
    (["new", "--unit", "甲镇"], "错误：缺少选项 -o / --output"),
    (["nosuch"], "错误：没有命令“nosuch”"),
    (["new", "-o", "x.xlsx", "--year", "二〇二四"], "错误：--year 的值不正确，应为整数"),
    (["build", "x.xlsx", "--format"], "错误：选项 --format 后面缺少值"),
    (["check"], "错误：缺少参数 工作簿或文件夹"),
    (["check", "--nosuch", "x.xlsx"], "错误：没有选项 --nosuch"),
    (["version", "extra"], "错误：多余的参数：extra"),
])
def test_parser_errors_are_chinese(capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    """A parser error: the usage line, where to find help, and one Chinese error line; exit 2."""
    code, out, err = run_cli(capsys, *args)
    assert code == 2 and out == ""
    assert err.splitlines()[-1] == message
    assert "--help”查看帮助" in err and (err.startswith("用法：gxsheet") or args[-1].startswith("--"))
    assert ENGLISH.findall(err) == []


def test_the_click_runner_sees_the_same_chinese_help() -> None:
    """Tools that drive the app object directly (the test runner) get the Chinese help too."""
    result = CliRunner().invoke(app, ["check", "--help"])
    assert result.exit_code == 0 and "用法：" in result.output and "Usage:" not in result.output
