"""Turn what staff typed into typed values, accepting what people really type.

Full-width digits, surrounding spaces, a trailing unit ("3件", "1.5万元") and numbers stored
as text are accepted from data files and published reports; anything else is kept as found
with a Chinese reason.

A workbook cell is read strictly (`parse_cell`), the way the workbook's own formulas see it:
in a number cell only a typed number is a number. Text that looks like one ("１５", "3件",
" 5 ") is refused with a message saying what to type, a formula is refused without trusting
its cached result, and only an empty cell is blank (COUNTBLANK does not count spaces).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation, localcontext

from .schema import SCHEMA, Kind

Value = Decimal | str | dt.date | None
UNITS = ("万元", "元", "件", "条", "个", "项", "次")
MONEY = ("万元", "元")  # a different money unit than the cell's changes the amount 10000-fold
EXCEL_EPOCH = dt.date(1899, 12, 30)
# Bounds no real report comes near. A number past them is refused where it enters, so that a
# 401-digit count balancing every rule cannot pass the check and then overflow a writer.
MAX_COUNT = 10**9  # 件, 条
MAX_AMOUNT = {"万元": 10**8, "元": 10**12}
MAX_DIGITS = 30  # characters of a typed number before it is even parsed
_DATE = re.compile(r"^(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?$")
_SPACES = re.compile(r"[\s\u3000\u00a0]+")


@dataclass(frozen=True)
class Entry:
    """One input as found (`raw`) and as understood (`value`), with why it is wrong, if it is."""

    raw: object
    value: Value
    problem: str = ""
    empty: bool | None = None  # set when read from a workbook cell: blank as the workbook sees it

    @property
    def blank(self) -> bool:
        if self.empty is not None:
            return self.empty
        return self.raw is None or (isinstance(self.raw, str) and not _SPACES.sub("", self.raw))

    @property
    def number(self) -> Decimal | None:
        return self.value if isinstance(self.value, Decimal) else None


def plain(n: Decimal | int | None) -> str:
    """A number as a report or a message prints it: 0 as "0", decimals as typed, never in exponent form."""
    if n is None:
        return ""
    d = Decimal(n)
    if d == d.to_integral_value():
        return str(int(d))
    return format(d.normalize(), "f")


def shown(raw: object) -> str:
    """How a raw value is quoted back in a message."""
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"  # as the spreadsheet shows it, not Python's True
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, int) and raw.bit_length() > 3000:
        return f"{'-' if raw < 0 else ''}约{int(raw.bit_length() * 0.30103)}位的整数"
    return str(raw)


def _to_decimal(raw: object) -> tuple[Decimal | None, str]:
    """The number in raw, and the unit typed after it ("" if none)."""
    if isinstance(raw, bool):
        return None, ""
    if isinstance(raw, (int, float, Decimal)):
        try:
            d = Decimal(raw) if isinstance(raw, int) else Decimal(str(raw))  # str() refuses a 5,000-digit int
        except InvalidOperation:
            return None, ""
        return (d if d.is_finite() else None), ""
    text = _SPACES.sub("", unicodedata.normalize("NFKC", str(raw))).replace(",", "")
    typed = ""
    for unit in UNITS:
        if text.endswith(unit):
            text, typed = text[: -len(unit)], unit
            break
    if len(text) > MAX_DIGITS or not re.fullmatch(r"[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)", text):
        return None, typed
    return Decimal(text), typed


def limit(whole: bool, unit: str) -> int:
    """The bound a number must stay under: a count under 10^9, an amount under 10^8 万元."""
    return MAX_COUNT if whole else MAX_AMOUNT.get(unit, MAX_AMOUNT["万元"])


def too_big(whole: bool, unit: str) -> str:
    words = {10**8: "1亿", 10**9: "10亿", 10**12: "1万亿"}
    return f"应小于{words[limit(whole, unit)]}{unit}"


def _normal(d: Decimal) -> Decimal:
    if d != d.to_integral_value():
        return d.normalize()
    with localcontext() as ctx:  # a whole number longer than the default 28 digits stays exact
        ctx.prec = max(ctx.prec, d.adjusted() + 1)
        return d.quantize(Decimal(1))


def parse_number(raw: object, whole: bool, unit: str = "") -> Entry:
    """A count (whole) or an amount; unit is the cell's own unit, if it has one."""
    d, typed = _to_decimal(raw)
    want = "非负整数" if whole else "不小于0的数"
    if d is not None and unit and typed in MONEY and typed != unit:
        return Entry(raw, None, f"填写了“{shown(raw)}”，本格单位为{unit}，请换算后只填数字")
    if d is None and _is_long_number(raw):
        return Entry(raw, None, f"填写了“{_head(raw)}”，数字过大，{too_big(whole, unit)}")
    if d is None:
        return Entry(raw, None, f"填写了“{shown(raw)}”，应为{want}")
    if abs(d) >= limit(whole, unit):
        return Entry(raw, None, f"填写了“{_head(raw)}”，数字过大，{too_big(whole, unit)}")
    d = _normal(d)
    if d < 0:
        return Entry(raw, d, f"填写了{shown(raw)}，不能为负数")
    if whole and d != d.to_integral_value():
        return Entry(raw, d, f"填写了{shown(raw)}，应为整数")
    return Entry(raw, d)


def _is_long_number(raw: object) -> bool:
    text = _SPACES.sub("", unicodedata.normalize("NFKC", shown(raw)))
    return len(text) > MAX_DIGITS and re.fullmatch(r"[-+]?[0-9][0-9,.]*[^0-9]{0,2}", text) is not None


def _head(raw: object) -> str:
    """A number as quoted in a message: a 400-digit one is shortened, not printed whole."""
    text = shown(raw)
    return text if len(text) <= 20 else f"{text[:12]}……共{len(text)}位"


def parse_date(raw: object) -> Entry:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and 1 <= raw < 2958466:
        return Entry(raw, EXCEL_EPOCH + dt.timedelta(days=int(raw)))
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    m = _DATE.match(text)
    if m:
        try:
            return Entry(raw, dt.date(int(m[1]), int(m[2]), int(m[3])))
        except ValueError:
            pass
    return Entry(raw, None, f"填写了“{shown(raw)}”，不是有效日期（如2025年1月20日）")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def parse_text(raw: object, limit: int) -> Entry:
    # Control characters cannot be stored in a .docx and mean nothing in a report: drop them.
    text = _CONTROL.sub("", shown(raw).replace("\r\n", "\n").replace("\r", "\n")).strip()
    if len(text) > limit:
        return Entry(raw, text, f"共{len(text)}字，超过{limit}字的上限")
    return Entry(raw, text)


def parse_postcode(raw: object) -> Entry:
    if isinstance(raw, float) and raw.is_integer() and 0 <= raw < 1_000_000:
        return Entry(raw, f"{int(raw):06d}")
    text = _SPACES.sub("", unicodedata.normalize("NFKC", shown(raw)))
    if re.fullmatch(r"\d{6}", text):
        return Entry(raw, text)
    return Entry(raw, text, f"填写了“{shown(raw)}”，邮政编码应为6位数字")


# A telephone number: an area code in brackets or before a hyphen, 7 or 8 digits, an extension after
# 转 or a hyphen; or an 11-digit mobile number; either after an optional +86. Every quantifier is
# bounded (none nested), so a match tries a fixed number of ways and is linear in the text.
_PHONE = re.compile(r"(?:\+?86-?)?(?:(?:\(0\d{2,3}\)|0\d{2,3}-?)?\d{7,8}(?:(?:转|-)\d{1,6})?|1[3-9]\d{9})")
# One @, no spaces, and a domain of dot-separated labels: a label cannot hold the dot that ends it.
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")


def parse_phone(raw: object, limit: int) -> Entry:
    """A telephone or mobile number; spaces and full-width digits are read, the number kept as typed."""
    text = _CONTROL.sub("", shown(raw)).strip()
    if len(text) > limit:
        return Entry(raw, text, f"共{len(text)}字，超过{limit}字的上限")
    if _PHONE.fullmatch(_SPACES.sub("", unicodedata.normalize("NFKC", text))):
        return Entry(raw, text)
    return Entry(raw, text, f"填写了“{text}”，不是有效的电话号码（如0632-2205128、13812345678）")


def parse_email(raw: object, limit: int) -> Entry:
    text = _CONTROL.sub("", shown(raw)).strip()
    if len(text) > limit:
        return Entry(raw, text, f"共{len(text)}字，超过{limit}字的上限")
    if _EMAIL.fullmatch(unicodedata.normalize("NFKC", text)):
        return Entry(raw, unicodedata.normalize("NFKC", text))
    return Entry(raw, text, f"填写了“{text}”，不是有效的电子邮箱地址（如gongkai@tengzhou.gov.cn）")


def date_in_year(value: dt.date, year: int) -> str:
    """Why a report's date is wrong: it must fall in the report's year or the next; "" if it does."""
    if year <= value.year <= year + 1:
        return ""
    return f"填写了{value.year}年{value.month}月{value.day}日，应为{year}年或{year + 1}年的日期"


def unit_of(key: str) -> str:
    """The unit a key's number is counted in: 件, 万元 (表二 fees), 元 (the fee), 条, or ""."""
    if key in SCHEMA.cells:
        return SCHEMA.cells[key].block.unit
    f = SCHEMA.field_map.get(key)
    return f.unit if f else ""


def parse_key(key: str, raw: object) -> Entry:
    """Understand a raw value typed for a schema key, by that key's kind, length limit and unit."""
    field = SCHEMA.field_map.get(key)
    if isinstance(raw, dt.date) and SCHEMA.kind(key) is Kind.DATE:
        return Entry(raw, raw)
    return parse(SCHEMA.kind(key), raw, field.limit if field else 0, unit_of(key))


def parse(kind: Kind, raw: object, limit: int = 200, unit: str = "") -> Entry:
    """Understand one raw cell value as the given kind; a blank stays blank (value None).

    unit is the cell's unit (元, 万元, 件); an amount typed with the other money unit is refused.
    """
    entry = Entry(raw, None)
    if entry.blank:
        return entry
    if kind is Kind.COUNT:
        return parse_number(raw, whole=True, unit=unit)
    if kind is Kind.AMOUNT:
        return parse_number(raw, whole=False, unit=unit)
    if kind is Kind.DATE:
        return parse_date(raw)
    if kind is Kind.POSTCODE:
        return parse_postcode(raw)
    if kind is Kind.PHONE:
        return parse_phone(raw, limit)
    if kind is Kind.EMAIL:
        return parse_email(raw, limit)
    return parse_text(raw, limit)


_FULL_WIDTH = re.compile(r"[０-９]")
FORMULA = "填写了公式，请直接填写数字"


def parse_cell(key: str, raw: object, formula: bool = False) -> Entry:
    """Understand a workbook cell typed for a schema key exactly as the workbook's formulas do.

    Blank means empty (None or ""). In a number cell a formula and any text are not numbers:
    the workbook's totals leave them out (未填) and its 有效数字 rule counts them.
    """
    empty = raw is None or raw == ""
    kind = SCHEMA.kind(key)
    if formula and kind.numeric:
        return Entry(raw, None, FORMULA, empty=False)
    if empty:
        return Entry(raw, None, empty=not formula)
    if kind.numeric and isinstance(raw, str):
        return _typed_text(raw, kind is Kind.COUNT, unit_of(key))
    if kind is Kind.PHONE and isinstance(raw, str) and _FULL_WIDTH.search(raw):
        # Read as the workbook's validation reads it: full-width digits are not digits there.
        entry = parse_phone(unicodedata.normalize("NFKC", raw), SCHEMA.field_map[key].limit)
        if entry.problem:
            return replace(entry, raw=raw, empty=False)
        return Entry(raw, raw, f"填写了“{raw}”（全角数字），请改为 {entry.value}", empty=False)
    return replace(parse_key(key, raw), empty=False)


def _typed_text(raw: str, whole: bool, unit: str) -> Entry:
    """Text in a number cell: say what was understood and what to type instead."""
    if not _SPACES.sub("", raw):
        return Entry(raw, None, "只填了空格，请删除或填写数字", empty=False)
    lenient = parse_number(raw, whole, unit)
    if lenient.value is None or lenient.problem:  # not a number, or not a valid one: say that
        return Entry(raw, None, lenient.problem, empty=False)
    number = str(lenient.value)
    _, typed = _to_decimal(raw)
    if typed:
        why = f"请只填数字 {number}"
    elif unicodedata.normalize("NFKC", raw) != raw and re.search(r"[０-９．]", raw):
        why = f"（全角数字），请改为 {number}"
    elif _SPACES.search(raw):
        why = f"（含空格），请改为 {number}"
    else:
        why = f"（文本格式），请重新输入数字 {number}"
    sep = "，" if typed else ""
    return Entry(raw, None, f"填写了“{raw}”{sep}{why}", empty=False)
