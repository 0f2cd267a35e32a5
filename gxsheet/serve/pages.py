"""Pages rendered on the server from the Jinja2 templates beside this module (shipped in the wheel).

Autoescaping is on for every template: unit names, file names and messages quoting what staff
typed are text, never markup.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jinja2
from starlette.responses import HTMLResponse

STATUS = {"ok": "通过", "errors": "有错误", "unreadable": "无法读取", "missing": "未提交", "rejected": "未采用"}
SEVERITY = {"error": "错误", "warning": "提醒"}
STATES = {"approved": "已审核", "returned": "退回修改", "reopened": "重新开放", "comment": "留言"}


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("gxsheet.serve", "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(status_zh=STATUS, severity_zh=SEVERITY, states_zh=lambda s: STATES.get(s, s))
    env.filters["when"] = when
    return env


def when(stamp: str) -> str:
    """An ISO time in UTC as people in China read it (Beijing time, to the minute)."""
    import datetime as dt

    moment = dt.datetime.fromisoformat(stamp).astimezone(dt.timezone(dt.timedelta(hours=8)))
    return moment.strftime("%Y-%m-%d %H:%M")


def render(name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    return HTMLResponse(environment().get_template(name).render(**context), status)
