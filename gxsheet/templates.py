"""Load the texts in template/ that an office may reword, rendered with Jinja2 (strict)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "template"


def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # plain text out; HTML writers escape on their own
        keep_trailing_newline=True,
    )


def render_lines(name: str, variables: dict[str, Any]) -> list[str]:
    text = environment().get_template(name).render(**variables)
    return [line for line in text.splitlines() if line.strip()]
