"""Publishing figures (channels, categories) read from the sentences template/narrative/active.j2 writes.

These are candidates only: narrative.py accepts them when rendering the template with them gives
back exactly the sentences printed, so a reworded template or a staff sentence is never misread.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..schema import SCHEMA
from ..schema.fields import CATEGORY_SLOTS, CHANNEL_SLOTS

_VERSUS = re.compile(r"[,，](?:较上年(?:增加|减少)\d+[件条]|与上年持平)")
_TOTAL = re.compile(re.escape(SCHEMA.field_map["pub.channel.total"].label) + r"(?P<n>\d{1,9})条")
_CHANNEL = re.compile(r"通过(?P<name>[^、。]{1,40}?)发布(?P<n>\d{1,9})条")
_ONLY = re.compile(r"均通过(?P<name>[^。]{1,40})发布。$")
_SCOPE = re.compile(r"^(?:在(?P<scope>[^,，。]{1,40})发布的信息中|按类别统计)[,，](?P<items>[^。]+)。$")
_ITEM = re.compile(r"^(?P<name>.{1,40}?)(?P<n>\d{1,9})条$")


def without_versus(text: str) -> str:
    """A sentence without its "，较上年增加N件" comparisons (written only when last year is known)."""
    return _VERSUS.sub("", text)


def _channels(text: str) -> dict[str, object]:
    total = _TOTAL.search(text)
    if total is None:
        return {}
    only = _ONLY.search(text)
    named = [(only["name"], total["n"])] if only else [(m["name"], m["n"]) for m in _CHANNEL.finditer(text)]
    return {k: v for i, (name, n) in enumerate(named[:CHANNEL_SLOTS], 1)
            for k, v in ((f"pub.channel.{i}.name", name), (f"pub.channel.{i}.count", int(n)))}


def _categories(text: str) -> dict[str, object]:
    m = _SCOPE.match(text)
    if m is None:
        return {}
    out: dict[str, object] = {"pub.category_scope": m["scope"]} if m["scope"] else {}
    items = [_ITEM.match(x) for x in re.split(r"[,，]", m["items"])]
    if not items or any(x is None for x in items) or len(items) > CATEGORY_SLOTS:
        return {}
    for i, item in enumerate(items, 1):
        if item is not None:
            out |= {f"pub.category.{i}.name": item["name"], f"pub.category.{i}.count": int(item["n"])}
    return out


def publishing_candidates(paragraphs: Sequence[str]) -> list[dict[str, object]]:
    """Channel and category figures the paragraphs may state, most complete first; {} last."""
    channels: dict[str, object] = {}
    categories: dict[str, object] = {}
    for p in paragraphs:
        text = without_versus(p.strip())
        channels = channels or _channels(text)
        categories = categories or _categories(text)
    found = [channels | categories, channels, categories, {}]
    unique: list[dict[str, object]] = []
    for c in found:
        if c not in unique:
            unique.append(c)
    return unique
