"""The report's fields outside the tables, read back from its text: the inverse of document/compose.py.

`recover(pub, report)` splits the six parts into the narrative fields by their "（一）…" sub-headings
(the field titles of the schema), recognises the sentences `build` writes from the figures (by
rendering the same templates and comparing) so they are not taken for staff text, and reads the
website, contact details, publication date and table notes. Text that cannot be placed under a
field is kept whole in one field and named in a message — never dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache

from ..document.compose import sentences
from ..report import Report
from ..schema import SCHEMA, Field, Kind
from ..schema import fields as F
from ..schema.parts import PART_TITLES
from ..values import Entry, parse_key
from .model import Published
from .parts import cn_number, find_headings, part_texts, squeeze
from .publishing import publishing_candidates, without_versus


@dataclass
class Recovered:
    """Field entries by key (text, numbers, dates) and what could not be placed, in Chinese."""

    values: dict[str, Entry] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)  # table cell key -> note printed under the table
    messages: list[str] = field(default_factory=list)


_SUB = re.compile(r"^\((?P<n>[一二三四五六七八九十]{1,2})\)(?P<rest>[^。;!?]{1,60})$")
_INLINE = re.compile(r"^\((?P<n>[一二三四五六七八九十]{1,2})\)(?P<rest>[^。:;!?]{1,30})[。:]")
_NUMBER = re.compile(r"^（[一二三四五六七八九十]+）")
_DATE = re.compile(r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日$")
_UNDATED = re.compile(r"^\d{4}年\d{1,2}月日$")
_WEBSITE = re.compile(r"电子版[^。“]{0,12}?(?:在|登录|访问)“(?P<site>[^”。]{1,80})”")
_CONTACT = {
    "address": r"地址[:：]\s*([^，,；;）)\n]{2,100})",
    "postcode": r"邮(?:政)?编(?:码)?[:：]\s*(\d{6})",
    "phone": r"(?:联系)?电话[:：]\s*([\d\-－ ()（）]{7,30}\d)",
    "email": r"(?:电子)?邮箱[:：]\s*([\w.\-]+@[\w.\-]+\w)",
}


def title_core(f: Field) -> str:
    """A field's sub-heading as compared: squeezed, without its （一） numbering."""
    return squeeze(_NUMBER.sub("", f.title))


def _field_named(rest: str, fields: Sequence[Field]) -> str:
    rest = re.sub(r"^\d{4}年度?", "", rest)
    for f in fields:
        core = title_core(f)
        if rest == core or (core in rest and len(rest) <= len(core) + 12):
            return f.key
    return ""


def _subheading(paragraph: str, fields: Sequence[Field]) -> tuple[str, str]:
    """The key of the field a "（一）…" sub-heading names ("" when none), and the text run in after it
    (a run-in "（一）<title>：…" prints the heading at the start of its first paragraph)."""
    text = squeeze(paragraph)
    m = _SUB.match(text)
    if m is not None:
        return _field_named(m["rest"], fields), ""
    m = _INLINE.match(text)
    if m is not None and (key := _field_named(m["rest"], fields)):
        return key, _run_in(paragraph)
    return "", ""


def _by_number(paragraph: str, fields: Sequence[Field], named: set[str]) -> tuple[str, str]:
    """The field a sub-heading's number stands for, when the format fixes the sub-parts and their order
    (part 一: （一）主动公开 … （五）监督保障) and no sub-heading names that field; and the run-in text."""
    text = squeeze(paragraph)
    m = _SUB.match(text) or _INLINE.match(text)
    n = cn_number(m["n"]) if m is not None else None
    if n is None or not 0 < n <= len(fields) or fields[n - 1].key in named:
        return "", ""
    return fields[n - 1].key, _run_in(paragraph) if _INLINE.match(text) and not _SUB.match(text) else ""


def _run_in(paragraph: str) -> str:
    raw = paragraph.strip()
    cut = next((i for i, c in enumerate(raw) if c in "。：:"), -1)
    return raw[cut + 1:].strip()


def split(paragraphs: Sequence[str], fields: Sequence[Field],
          numbered: bool = False) -> tuple[list[str], dict[str, list[str]]]:
    """The paragraphs before the first sub-heading, and those under each field's sub-heading.

    numbered: the fields are the format's fixed sub-parts, so "（三）…" stands for the third
    when no sub-heading names it."""
    named = {key for p in paragraphs if (key := _subheading(p, fields)[0])}
    lead: list[str] = []
    under: dict[str, list[str]] = {}
    current: list[str] = lead
    for p in paragraphs:
        key, run_in = _subheading(p, fields)
        if not key and numbered:
            key, run_in = _by_number(p, fields, named)
        if key and key not in under:
            current = under[key] = [run_in] if run_in else []
        else:
            current.append(p)
    return lead, under


def _joined(paragraphs: Sequence[str]) -> str:
    return "\n".join(p.strip() for p in paragraphs if p.strip())


class _Recovery:
    def __init__(self, pub: Published, report: Report) -> None:
        self.pub = pub
        self.report = report
        self.out = Recovered()
        heads = find_headings(pub.paragraphs)
        self.texts = part_texts(pub.paragraphs, heads)
        self.opening = pub.paragraphs[:heads[0].index] if heads else []
        self.closing()

    def put(self, key: str, value: object) -> None:
        if value is None or value == "":
            return
        if SCHEMA.kind(key) is Kind.LONGTEXT and isinstance(value, str):
            self.out.values[key] = Entry(value, value)  # kept whole, however long: never lost
            return
        entry = parse_key(key, value)
        if entry.value is not None and not entry.problem:
            self.out.values[key] = entry

    def closing(self) -> None:
        """Unit and date after the last part: the publication date, not text of part 六."""
        last = max(self.texts, default=0)
        body = self.texts.get(last, [])
        unit = squeeze(self.report.unit)
        while body:
            text = squeeze(body[-1])
            date = _DATE.match(text)
            if date:
                self.put("published", dt.date(int(date["y"]), int(date["m"]), int(date["d"])))
            elif not (_UNDATED.match(text) or (unit and text == unit)):
                break
            body.pop()

    def basics(self) -> None:
        text = "\n".join(self.opening) or "\n".join(self.pub.paragraphs)
        site = _WEBSITE.search(text)
        if site:
            self.put("website", site["site"])
        for key, pattern in _CONTACT.items():
            m = re.search(pattern, text) or re.search(pattern, "\n".join(self.pub.paragraphs))
            if m:
                self.put(key, m.group(1).strip())

    def table_notes(self) -> None:
        labels = _note_prefixes()
        for part in (2, 3, 4):
            for p in self.texts.get(part, []):
                text = p.strip()
                for prefix, key in labels.items():
                    if text.startswith(prefix) and text[len(prefix):]:
                        self.out.notes[key] = text[len(prefix):]

    def part(self, n: int, fields: Sequence[Field], lead_key: str, fallback: str) -> dict[str, list[str]]:
        """Place the paragraphs of part n; lead_key takes text before the first sub-heading."""
        paragraphs = self.texts.get(n, [])
        lead, under = split(paragraphs, fields, numbered=n == 1)
        if not lead:
            return under
        key = lead_key or fallback
        under[key] = lead + under.get(key, [])
        if lead_key and under.keys() - {lead_key}:
            return under
        title = PART_TITLES[n - 1]
        where = "没有可对应的小标题" if len(lead) == len(paragraphs) else "在第一个小标题之前"
        name = SCHEMA.field_map[key].label
        self.out.messages.append(f"“{title}”的{len(lead)}段文字{where}，已全部放入“{name}”，请在工作簿中分开")
        return under

    def generated(self, lines: list[str], name: str, report: Report) -> list[str]:
        """lines without the sentences template name writes for report at their end."""
        if not lines:
            return lines  # nothing to strip: spare the template rendering
        want = sentences(name, report)
        if want and len(lines) >= len(want) and [without_versus(squeeze(x)) for x in lines[-len(want):]] \
                == [squeeze(x) for x in want]:
            return lines[:-len(want)]
        return lines

    def overview(self) -> None:
        under = self.part(1, F.OVERVIEW_FIELDS[1:], "overview.summary", "")
        under["overview.requests"] = self.generated(under.get("overview.requests", []), "requests", self.report)
        active = under.get("overview.active", [])
        for values in publishing_candidates(active[-3:]):
            trial = replace(self.report, entries=self.report.entries | {k: parse_key(k, v) for k, v in values.items()})
            rest = self.generated(active, "active", trial)
            if len(rest) < len(active):
                under["overview.active"] = rest
                for k, v in values.items():
                    self.put(k, v)
                break
        for key, paragraphs in under.items():
            self.put(key, _joined(paragraphs))

    def problems(self) -> None:
        for key, paragraphs in self.part(5, F.PROBLEM_FIELDS, "", "problems.current").items():
            self.put(key, _joined(paragraphs))

    def others(self) -> None:
        under = self.part(6, F.OTHER_FIELDS, "", "others.other")
        fee = under.pop("others.fee", [])
        for amount in _fee_candidates(fee):
            trial = replace(self.report, entries=self.report.entries | {"others.fee": Entry(amount, amount)})
            rest = self.generated(fee, "fee", trial)
            if not rest:
                self.put("others.fee", amount)
                fee = []
                break
        if fee:
            under["others.other"] = fee + under.get("others.other", [])
            other = SCHEMA.field_map["others.other"].label
            self.out.messages.append(f"“{F.PART_6}”中信息处理费的说明未能识别出金额，已放入“{other}”")
        for key, paragraphs in under.items():
            self.put(key, _joined(paragraphs))


@lru_cache(maxsize=1)  # the same for every report: made once, not on every page
def _note_prefixes() -> dict[str, str]:
    """The prefix of a note printed under a table ("注：<cell label>：") -> the cell's key."""
    return {f"注：{c.label}：": k for k, c in SCHEMA.cells.items()}


_FEE = re.compile(r"(?P<n>\d+(?:\.\d+)?)元")


def _fee_candidates(lines: Sequence[str]) -> list[Decimal]:
    text = squeeze("".join(lines))
    found = [Decimal(m["n"]) for m in _FEE.finditer(text)]
    return [*found, Decimal(0)] if lines else []


def recover(pub: Published, report: Report) -> Recovered:
    """The fields outside the tables as the report states them (report: its mapped tables)."""
    r = _Recovery(pub, report)
    r.basics()
    r.table_notes()
    r.overview()
    r.problems()
    r.others()
    return r.out
