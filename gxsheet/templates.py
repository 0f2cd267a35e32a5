"""The texts and styles an office may reword or restyle: where they are, and rendering them (Jinja2, strict).

gxsheet ships its own set (``template/`` at the top of the repository, installed inside the
package as ``gxsheet/template``). An office may keep its own reworded copies of any of these
files in a folder of its own and name it with ``--templates DIR`` or the environment variable
GXSHEET_TEMPLATES; a file it has there is used instead of the shipped one, any other file falls
back to the shipped one. The variable, not a module global, carries the choice so that worker
processes (started with spawn) inherit it.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2

ENV_VAR = "GXSHEET_TEMPLATES"
_PACKAGE = Path(__file__).resolve().parent


def _shipped() -> Path:
    """Inside an installed package first; a source checkout keeps them at the repository top."""
    installed = _PACKAGE / "template"
    return installed if installed.is_dir() else _PACKAGE.parent / "template"


SHIPPED_DIR = _shipped()


class TemplateProblem(Exception):
    """A template cannot be used; the message names the file and what is wrong."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def office_dir() -> Path | None:
    """The office's own template folder, if one is set."""
    value = os.environ.get(ENV_VAR, "").strip()
    return Path(value) if value else None


def check_office_dir() -> None:
    """Refuse an office folder that is not there, before any work is done."""
    folder = office_dir()
    if folder is not None and not folder.is_dir():
        raise TemplateProblem(f"模板文件夹 {folder} 不存在或不是文件夹（见 --templates 或环境变量 {ENV_VAR}）")


def path(name: str) -> Path:
    """The file to use for a template name such as ``report.docx`` or ``narrative/fee.j2``."""
    folder = office_dir()
    if folder is not None and (folder / name).is_file():
        return folder / name
    shipped = SHIPPED_DIR / name
    if not shipped.is_file():
        raise TemplateProblem(f"模板 {display(name)} 不存在")
    return shipped


def display(name: str) -> str:
    """How a message names a template: the office's file by its path, a shipped one as template/NAME."""
    folder = office_dir()
    if folder is not None and (folder / name).is_file():
        return str(folder / name)
    return f"template/{name}"


def read_text(name: str) -> str:
    try:
        return path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateProblem(f"模板 {display(name)} 无法读取（应为 UTF-8 文本）：{exc}") from None


@lru_cache(maxsize=4)
def _environment(office: str) -> jinja2.Environment:
    import jinja2  # here, not at the top: every command checks the template folder, few render

    folders = [office] if office else []
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([*folders, str(SHIPPED_DIR)]),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # plain text out; the HTML writer escapes on its own
        keep_trailing_newline=True,
    )


def environment() -> jinja2.Environment:
    folder = office_dir()
    return _environment(str(folder) if folder is not None else "")


def render_lines(name: str, variables: dict[str, Any]) -> list[str]:
    """The non-blank lines a template renders to. Staff text is passed in as data, never as source."""
    import jinja2

    try:
        text = environment().get_template(name).render(**variables)
    except jinja2.TemplateNotFound:
        raise TemplateProblem(f"模板 {display(name)} 不存在") from None
    except jinja2.UndefinedError as exc:
        raise TemplateProblem(f"模板 {display(name)} 使用了程序未提供的名称：{exc.message}") from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(f"模板 {display(name)} 第{exc.lineno}行语法错误：{exc.message}") from None
    except UnicodeDecodeError:
        raise TemplateProblem(f"模板 {display(name)} 无法读取（应为 UTF-8 文本）") from None
    return [line.strip() for line in text.splitlines() if line.strip()]
