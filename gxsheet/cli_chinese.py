"""The command-line parser speaking Chinese: usage lines, help headings and parser errors.

Click prints English and offers no catalogue of its own words. Its public extension points do
the job: a formatter class (usage prefix, headings, aligned two-column lists, the help option's
text), set through the context class of our command classes; parser errors caught in
non-standalone mode and worded here from the exception's fields, not from its English text.
"""

from __future__ import annotations

import inspect
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import click
from click.exceptions import BadOptionUsage, BadParameter, MissingParameter, NoSuchOption, UsageError

HEADINGS = {"Positional arguments": "参数", "Arguments": "参数", "Options": "选项", "Commands": "命令"}
HELP_TEXT = "显示本帮助并退出"
USAGE = "用法："
USAGE_WORDS = (("[OPTIONS]", "[选项]"), ("COMMAND [ARGS]...", "命令 [参数]..."))
# What click adds to a parameter's help line (our own help text, so no untrusted input here).
_DEFAULT = re.compile(r"\[default: ([^\]]*)\]")
TYPE_NAMES = {"integer": "整数", "float": "数字", "boolean": "是或否"}


class ChineseFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        for english, chinese in USAGE_WORDS:
            args = args.replace(english, chinese)
        super().write_usage(prog, args, USAGE if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{HEADINGS.get(heading, heading)}：\n")

    def write_text(self, text: str) -> None:
        """Each line as written in the docstring: rewrapping at spaces garbles Chinese and examples."""
        for line in text.splitlines():
            self.write(f"{'':>{self.current_indent}}{line}".rstrip() + "\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        """Two columns aligned by display width (a Chinese character takes two), text never cut."""
        rows = [(term, _extras(text)) for term, text in rows]
        if not rows:
            return
        width = min(max(_width(term) for term, _ in rows), col_max)
        indent = " " * self.current_indent
        for term, text in rows:
            pad = width - _width(term)
            if pad >= 0:
                self.write(f"{indent}{term}{' ' * (pad + col_spacing)}{text}".rstrip() + "\n")
            else:
                self.write(f"{indent}{term}\n{indent}{' ' * (width + col_spacing)}{text}".rstrip() + "\n")


def _extras(text: str) -> str:
    text = text.replace("[required]", "［必填］")
    return _DEFAULT.sub(lambda m: f"［默认：{m.group(1)}］", text)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class ChineseContext(click.Context):
    formatter_class = ChineseFormatter


class Argument(click.Argument):
    """An argument with a help line, listed under 参数 like the options."""

    def __init__(self, *args: Any, help: str = "", **kwargs: Any) -> None:  # noqa: A002 - click's own name
        super().__init__(*args, **kwargs)
        self.help = help

    def get_help_record(self, ctx: click.Context) -> tuple[str, str]:
        return self.make_metavar(ctx), (self.help or "") + ("  [required]" if self.required else "")


class ChineseCommand(click.Command):
    context_class = ChineseContext

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option

    def get_short_help_str(self, limit: int = 45) -> str:
        # The command list shows each command's first paragraph whole, never cut with "...".
        text = inspect.cleandoc(self.help or "")
        return text.split("\n\n")[0].replace("\n", "")


class ChineseGroup(click.Group):
    context_class = ChineseContext
    command_class = ChineseCommand

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)  # in the order they are defined: the order of a round's work

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option


def _hint(exc: BadParameter) -> str:
    """The parameter as the user typed it: its option names, or its placeholder for an argument."""
    param = exc.param
    if param is None:
        return "参数"
    opts = [o for o in param.opts if o.startswith("-")]
    if opts:
        return " / ".join(opts)
    return str(param.metavar or param.name or "参数")


def _expected(exc: BadParameter) -> str:
    name = getattr(getattr(exc.param, "type", None), "name", "")
    text = TYPE_NAMES.get(str(name), "")
    return f"，应为{text}" if text else ""


def error_message(exc: UsageError) -> str:
    """One Chinese sentence for a parser error, from the exception's fields."""
    if isinstance(exc, MissingParameter):
        kind = "选项" if exc.param is not None and exc.param.param_type_name == "option" else "参数"
        return f"缺少{kind} {_hint(exc)}"
    if isinstance(exc, BadParameter):
        return f"{_hint(exc)} 的值不正确{_expected(exc)}"
    if isinstance(exc, NoSuchOption):
        close = f"（是否要用 {'、'.join(sorted(exc.possibilities))}？）" if exc.possibilities else ""
        return f"没有选项 {exc.option_name}{close}"
    if isinstance(exc, BadOptionUsage):
        if "requires an argument" in exc.message:
            return f"选项 {exc.option_name} 后面缺少值"
        return f"选项 {exc.option_name} 用法不正确"
    # Click raises plain UsageError for these two; only its wording tells them apart.
    if exc.message.startswith("No such command") and exc.message.count("'") >= 2:
        return f"没有命令“{exc.message.split(chr(39))[1]}”"
    if exc.message.startswith("Got unexpected extra argument") and "(" in exc.message:
        return "多余的参数：" + exc.message[exc.message.rfind("(") + 1:].rstrip(")")
    return "命令行参数不正确"


def show_usage_error(exc: UsageError) -> None:
    """Usage line, where to find help, and the error: all Chinese, on standard error."""
    ctx = exc.ctx
    if ctx is not None:
        click.echo(ctx.get_usage(), err=True)
    click.echo(f"请用“{ctx.command_path if ctx is not None else 'gxsheet'} --help”查看帮助。\n", err=True)
    click.echo(f"错误：{error_message(exc)}", err=True)


def run(app: click.Command, args: list[str] | None = None) -> int:
    """Run the app; return its exit code. Parser errors are shown in Chinese and return 2."""
    no_args = getattr(click.exceptions, "NoArgsIsHelpError", None)  # click 8.2+
    try:
        code: Any = app.main(args=args, prog_name="gxsheet", standalone_mode=False)
    except UsageError as exc:
        if no_args is not None and isinstance(exc, no_args) and exc.ctx is not None:
            click.echo(exc.ctx.get_help())
            return 0
        show_usage_error(exc)
        return 2
    except click.exceptions.Abort:
        click.echo("已中止", err=True)
        return 130
    return code if isinstance(code, int) else 0
