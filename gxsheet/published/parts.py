"""The document around the tables: title, unit and year, the six part headings and their text.

Shared by mapping.py (unit, year, part texts for the narrative fields) and audit.py (structure
findings). Everything works on normalised text: NFKC, whitespace and "[bookmark: …]" junk removed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..schema.fields import REPORT_TITLE, ROLLUP_MARK
from ..schema.parts import HEADINGS
from ..schema.parts import NUMERALS as NUMERALS  # re-exported: the schema's, importable here as before
from ..schema.parts import PART_TITLES as PART_TITLES
from .model import Published

# bounded, so that a text of many "[bookmark:" never closed is scanned in linear time (real ones are short)
_BOOKMARK = re.compile(r"\[bookmark:[^\]\n]{0,200}\]", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\s\u200b-\u200d\u2060\ufeff\u00ad]+")
BOOKMARK, INVISIBLE = _BOOKMARK, _INVISIBLE  # the one copy of each: mapping and audit use them too

CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


@lru_cache(maxsize=8192)  # the same cells and paragraphs are squeezed by the mapping, parts, narrative and audit
def squeeze(text: str) -> str:
    """Text as compared: NFKC, no whitespace or zero-width characters, no "[bookmark: …]" junk."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", _BOOKMARK.sub("", text)))


MAX_NUMERAL = 18


def cn_number(text: str) -> int | None:
    """An Arabic or Chinese numeral ("12", "十二", "二〇二四", "一百零五") as an int; None if it is neither."""
    if len(text) > MAX_NUMERAL:
        return None  # no count or year has this many digits, and int() refuses 4,300 of them
    if text.isdecimal():  # not isdigit(): that takes "²", which int() refuses
        return int(text)
    if text and all(c in CN_DIGITS for c in text):
        if len(text) == 1:
            return CN_DIGITS[text]
        return int("".join(str(CN_DIGITS[c]) for c in text))  # 二〇二四: digit by digit
    total, section, digit = 0, 0, 0
    for c in text:
        if c in CN_DIGITS:
            digit = CN_DIGITS[c]
        elif c in _CN_UNITS:
            section += (digit or 1) * _CN_UNITS[c]
            digit = 0
        elif c == "万":
            total += (section + digit) * 10000
            section = digit = 0
        else:
            return None
    return total + section + digit if text else None


# --- title, unit and year ---------------------------------------------------------------------
_YEAR = r"(?P<year>\d{4}|[〇○零一二三四五六七八九]{4})"
# The unit is whatever stands before the first match: found by slicing, not by a leading lazy
# `.*?`, which makes every search quadratic (a 10 KB paragraph of digits took 35 seconds). A title
# that begins with the year ("2019年某局政府信息公开工作年度报告") has the unit after it: a bounded,
# punctuation-free run, so the search stays linear.
_TITLE = re.compile(rf"{_YEAR}年度?(?P<mid>[^,，。;；:：《》()（）\d]{{0,40}}?)"
                    r"(?P<rest>(?:政府)?信息公开(?:工作)?年度?报告?)")
# "某局政府信息公开工作年度报告（2021年度）": the year in brackets after the title
_TITLE_YEAR_AFTER = re.compile(r"(?P<rest>(?:政府)?信息公开(?:工作)?年度?报告)[(（]" + _YEAR + r"年度?[)）]$")
# The format's title with 年 or 年度 after the year, as real reports write it; the unit
# stands before the year or right after it.
_STANDARD_REST = re.escape(REPORT_TITLE).replace("年", "年度?", 1)
STANDARD_TITLE = re.compile(rf"^(?:(?P<unit>.+?)(?P<year>\d{{4}}){_STANDARD_REST}|"
                            rf"(?P<year_first>\d{{4}})年度?(?!度)(?P<unit_after>[^\d]+?){_STANDARD_REST[len('年度?'):]})$")
_JAN1 = r"(?:0?1|一)月(?:0?1|一)日"
_DEC31 = r"(?:12|十二)月(?:31|三十一)日"
_END_YEAR = r"(?P<end>\d{4}|[〇○零一二三四五六七八九]{4})"
# "2021年1月1日起至2021年12月31日止", "从2019年1月1日到12月31日止" (the second year left out), dashes.
_PERIOD = re.compile(rf"{_YEAR}年{_JAN1}起?(?:至|到|[—\-~～]{{1,2}})(?:{_END_YEAR}年)?{_DEC31}")
# "统计期限为2021年度" / "统计时限为2021年": a whole year named without dates
_PERIOD_YEAR = re.compile(rf"统计(?:期限|时限|时间|期间|区间|周期|范围)(?:为|是)?(?:自|从)?{_YEAR}年度?"
                          r"(?![\d〇○零一二三四五六七八九]|1月|一月)")


@dataclass(frozen=True)
class Title:
    """The report's title as found: the text, the unit before (or right after) the year, the year (0 if none)."""

    text: str  # normalised, title lines joined
    unit: str
    year: int
    where: str  # "title" (pub.title), "paragraph" (found in the body text) or "" (none)

    @property
    def rollup(self) -> bool:
        """The title of a round's roll-up (`collect --rollup`): the standard title and its mark."""
        return self.text.endswith(squeeze(ROLLUP_MARK))

    @property
    def standard(self) -> bool:
        text = self.text[:-len(squeeze(ROLLUP_MARK))] if self.rollup else self.text
        return bool(STANDARD_TITLE.match(text))


def _year(text: str) -> int:
    n = cn_number(text)
    return n if n is not None else 0


def _candidates(pub: Published) -> list[tuple[str, str]]:
    """Where a title may stand: the title lines; each of the first paragraphs, and each two
    of them joined (a title broken over two lines: "某局2021年政府信息公开" / "工作年度报告")."""
    first = [squeeze(p) for p in pub.paragraphs[:12]]
    out = [("title", squeeze("".join(pub.title)))]
    for i, text in enumerate(first):
        if i + 1 < len(first) and len(text) + len(first[i + 1]) <= 60 and not text.endswith("报告"):
            out.append(("paragraph", text + first[i + 1]))  # first: "…年度报" alone would pass for a title
        out.append(("paragraph", text))
    return out


def find_title(pub: Published) -> Title:
    """Unit and year from the title lines, else from the first paragraphs naming a report."""
    candidates = _candidates(pub)
    for where, text in candidates:
        m = _TITLE.search(text)
        if m is None:
            after = _TITLE_YEAR_AFTER.search(text) if len(text) <= 60 else None
            head = text[:after.start()] if after else ""
            if after and head and not re.search(r"[《,，。;；]", head):
                return Title(text, head.strip(":. "), _year(after["year"]), where)
            continue
        head, mid = text[:m.start()], m["mid"]
        plausible = len(head) <= 40 and not re.search(r"[《,，。;；]", head) and not (head.strip(":. ") and mid)
        if plausible and (where == "title" or len(text) <= 60):
            title = text if where == "title" else text[:m.end()]
            return Title(title, (head or mid).strip(":. "), _year(m["year"]), where)
    return Title(candidates[0][1], "", 0, "")


@dataclass(frozen=True)
class Period:
    """A statistical-period statement: its first and last year and the paragraph it stands in."""

    start: int
    end: int
    text: str


def find_periods(paragraphs: list[str]) -> list[Period]:
    """Every statement of the statistical period; one without a second year ends in its first."""
    found: list[Period] = []
    for p in paragraphs:
        text = squeeze(p)
        if "月" not in text and "统计" not in text:
            continue  # most paragraphs: no need to run the patterns at all
        spans = []
        for m in _PERIOD.finditer(text):
            start = _year(m["year"])
            found.append(Period(start, _year(m["end"]) if m["end"] else start, text))
            spans.append(m.span())
        for m in _PERIOD_YEAR.finditer(text):
            if not any(a <= m.start("year") < b for a, b in spans):
                found.append(Period(_year(m["year"]), _year(m["year"]), text))
    return found


# --- the six parts ----------------------------------------------------------------------------
_PART_CORES = tuple(re.compile(h) for h in HEADINGS)
_NUMBERING = re.compile(r"^(?:(?P<cn>[一二三四五六七八九十])[、.,]|(?P<ar>\d{1,2})(?:[、.,]|(?=[^\d.]))|"
                        r"第(?P<nth>[一二三四五六七八九十])部分[、.:,]?)")


@dataclass(frozen=True)
class Heading:
    """A first-level part heading: which part (1–6), where, and how it was numbered."""

    part: int
    index: int  # paragraph index in pub.paragraphs
    text: str  # normalised
    style: str  # "chinese" (一、), "arabic" (1、), "ordinal" (第一部分) or "none"
    number: int  # the number as written, 0 when unnumbered

    @property
    def proper(self) -> bool:
        """Numbered as the format does: 一、 … 六、 with its own numeral."""
        return self.style == "chinese" and self.number == self.part


def _heading(index: int, paragraph: str) -> Heading | None:
    text = squeeze(paragraph)
    if not text or text.startswith("("):  # （一）… is a sub-part
        return None
    m = _NUMBERING.match(text)
    style, number, rest = "none", 0, text
    if m:
        rest = text[m.end():]
        if m["cn"]:
            style, number = "chinese", cn_number(m["cn"]) or 0
        elif m["ar"]:
            style, number = "arabic", int(m["ar"])
        else:
            style, number = "ordinal", cn_number(m["nth"]) or 0
    limit = {"chinese": 200_000, "ordinal": 200_000, "arabic": 30, "none": 25}[style]
    if len(text) > limit:
        return None
    for part, core in enumerate(_PART_CORES, 1):
        if core.match(rest) and (part != 4 or len(rest) <= 40):
            return Heading(part, index, text, style, number)
    return None


def find_headings(paragraphs: list[str]) -> list[Heading]:
    """The part headings in reading order (duplicates and disorder kept, for the audit to judge)."""
    return [h for i, p in enumerate(paragraphs) if (h := _heading(i, p)) is not None]


def part_texts(paragraphs: list[str], headings: list[Heading]) -> dict[int, list[str]]:
    """The paragraphs under each part (first occurrence of its heading up to the next heading)."""
    out: dict[int, list[str]] = {}
    for n, h in enumerate(headings):
        end = headings[n + 1].index if n + 1 < len(headings) else len(paragraphs)
        if h.part not in out:
            out[h.part] = [p for p in paragraphs[h.index + 1:end] if p.strip()]
    return out
