"""Load the texts in template/ that an office may reword, rendered with Jinja2 (strict)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "template"


class TemplateProblem(Exception):
    """A template in template/ cannot be used; the message names the file and what is wrong."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # plain text out; the HTML writer escapes on its own
        keep_trailing_newline=True,
    )


def render_lines(name: str, variables: dict[str, Any]) -> list[str]:
    """The non-blank lines a template renders to. Staff text is passed in as data, never as source."""
    try:
        text = environment().get_template(name).render(**variables)
    except jinja2.TemplateNotFound:
        raise TemplateProblem(f"模板 template/{name} 不存在") from None
    except jinja2.UndefinedError as exc:
        raise TemplateProblem(f"模板 template/{name} 使用了程序未提供的名称：{exc.message}") from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(f"模板 template/{name} 第{exc.lineno}行语法错误：{exc.message}") from None
    return [line.strip() for line in text.splitlines() if line.strip()]
