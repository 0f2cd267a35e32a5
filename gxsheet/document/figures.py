"""Every figure the report's prose quotes, computed from the tables (reference §4, narrative ↔ tables).

The narrative templates get these and nothing else, so no number in the prose is typed twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..report import Report
from ..schema import SCHEMA
from ..schema.fields import CATEGORY_SLOTS, CHANNEL_SLOTS
from ..schema.rules import T3_PARTS
from ..schema.tables import T3_ROWS, T4_GROUPS
from ..values import plain

_NUMBERING = re.compile(r"^（[一二三四五六七八九十]+）")


@dataclass(frozen=True)
class Outcome:
    """One result category of 表三 (予以公开, …, 其他处理) with its count and share of all closed."""

    name: str
    count: int
    share: str  # "62.5%", rounded on its own: equal counts, equal shares


@dataclass(frozen=True)
class Named:
    name: str
    count: int


def _int(report: Report, key: str) -> int:
    n = report.number(key)
    return int(n) if n is not None else 0


def _groups() -> list[tuple[str, list[str]]]:
    """Result categories of 表三 in printed order, each with its row keys."""
    out: list[tuple[str, list[str]]] = []
    for row in T3_ROWS[2:-2]:
        label = row.path[1]
        name = _NUMBERING.sub("", (row.short or label) if len(row.path) == 2 else label)
        if out and out[-1][0] == name:
            out[-1][1].append(row.key)
        else:
            out.append((name, [row.key]))
    return out


def shares(counts: list[int]) -> list[str]:
    """Percentages to one decimal, each rounded on its own (half up): equal counts read the same.

    The shares may add up to 99.9% or 100.1%, as rounded shares do; forcing 100.0% would give
    two categories of one application each different shares.
    """
    total = sum(counts)
    if total == 0:
        return ["" for _ in counts]
    return [f"{(Decimal(c) * 100 / total).quantize(Decimal('0.1'), ROUND_HALF_UP)}%" for c in counts]


class Figures:
    """Named figures of one report, for templates: f.t3.new, f.outcomes, f.channels …"""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.unit = report.unit
        self.year = report.year
        self.next_year = report.year + 1
        self.t2 = {c.key[3:]: _int(report, c.key) for c in SCHEMA.cells.values() if c.table.key == "t2"
                   and c.kind.value == "count"}
        self.fee_amount = plain(report.number("t2.fees.amount") or Decimal(0))
        self.t3 = self._t3()
        self.outcomes = self._outcomes()
        self.t4 = {f"{g}.{o}": _int(report, f"t4.{g}.{o}") for g, _ in T4_GROUPS
                   for o in ("upheld", "corrected", "other", "pending", "total")}
        self.review = self.t4["review.total"]
        self.litigation = self.t4["direct.total"] + self.t4["after_review.total"]
        self.channels = self._named("pub.channel", CHANNEL_SLOTS)
        self.categories = self._named("pub.category", CATEGORY_SLOTS)
        self.published_total = _int(report, "pub.channel.total")
        self.category_total = _int(report, "pub.category.total")
        self.category_scope = str(report.entry("pub.category_scope").value or "")
        self.fee = plain(report.number("others.fee") or Decimal(0))
        self.prev = Figures(report.previous) if report.previous is not None else None

    def versus(self, name: str, unit: str = "件") -> str:
        """"，较上年增加N件" for a figure (an attribute or a 表三 row name); "" without last year."""
        if self.prev is None:
            return ""
        this, last = self._value(name), self.prev._value(name)
        if this == last:
            return "，与上年持平"
        return f"，较上年{'增加' if this > last else '减少'}{abs(this - last)}{unit}"

    def _value(self, name: str) -> int:
        value = self.t3[name] if name in self.t3 else getattr(self, name)
        return int(value)

    def _t3(self) -> dict[str, int]:
        r = self.report
        t3 = {row: _int(r, f"t3.{row}.total") for row in ("new", "carried_over", "closed", "carried_forward")}
        t3["natural"] = _int(r, "t3.new.natural")
        t3["orgs"] = sum(_int(r, f"t3.new.{c}") for c in T3_PARTS[1:])
        t3["received"] = t3["new"] + t3["carried_over"]
        return t3

    def _outcomes(self) -> list[Outcome]:
        counts = [(name, sum(_int(self.report, f"t3.{k}.total") for k in keys)) for name, keys in _groups()]
        pct = shares([c for _, c in counts])
        return [Outcome(name, c, p) for (name, c), p in zip(counts, pct, strict=True)]

    def _named(self, prefix: str, slots: int) -> list[Named]:
        out = []
        for i in range(1, slots + 1):
            name = self.report.entry(f"{prefix}.{i}.name").value
            count = self.report.number(f"{prefix}.{i}.count")
            if name or count:
                out.append(Named(str(name or "其他"), int(count or 0)))
        return out

    @property
    def all_upheld(self) -> bool:
        """均获维持: every review and lawsuit closed with the decision upheld, none pending."""
        total = self.review + self.litigation
        upheld = self.t4["review.upheld"] + self.t4["direct.upheld"] + self.t4["after_review.upheld"]
        return total > 0 and upheld == total

    @property
    def corrected(self) -> int:
        return self.t4["review.corrected"] + self.t4["direct.corrected"] + self.t4["after_review.corrected"]
