"""Every command is documented: --help works, in Chinese, with an example; the README names it."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import ROOT

from gxsheet.cli import app

COMMANDS = list(app.commands)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command: str) -> None:
    """`gxsheet CMD --help` exits 0 and shows a 示例 line (except the trivial version command)."""
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0, result.output
    if command != "version":
        assert "示例：gxsheet " + command in result.output


@pytest.mark.parametrize("command", [c for c in COMMANDS if c != "version"])
def test_readme_shows_every_command(command: str) -> None:
    """The README's usage section shows each command."""
    assert f"gxsheet {command} " in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("args", [["check", "samples/柴胡店镇人民政府2024.xlsx"], ["--help"], ["build", "--help"],
                                  ["audit", "samples/柴胡店镇人民政府2024.html"]])
def test_a_gbk_console_does_not_crash(args: list[str]) -> None:
    """On a GBK console (Chinese Windows) every message prints as GBK, with no traceback."""
    import os
    import subprocess
    import sys

    env = os.environ | {"PYTHONIOENCODING": "gbk"}
    done = subprocess.run([sys.executable, "-m", "gxsheet.cli", *args], capture_output=True, cwd=ROOT, env=env,
                          timeout=120)
    assert done.returncode in (0, 1), done.stderr.decode("gbk", "replace")
    assert b"Traceback" not in done.stderr
    text = done.stdout.decode("gbk")  # strict: every character made it through as GBK
    assert "gxsheet" in text or "柴胡店镇" in text
