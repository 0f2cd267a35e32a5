"""Hypothesis strategies: fillings of a workbook that balance, and mistakes planted in them."""

from __future__ import annotations

from decimal import Decimal

from fill import Formula, Shared
from hypothesis import strategies as st

from gxsheet.schema import SCHEMA, Kind
from gxsheet.schema.rules import T3_PARTS, T3_RESULT_ROWS
from gxsheet.schema.tables import OUTCOMES, T4_GROUPS

small = st.integers(min_value=0, max_value=6)


@st.composite
def table_3(draw: st.DrawFn) -> dict[str, object]:
    """Table 三 with every column balanced: 一 + 二 = （七） + 四."""
    values: dict[str, object] = {}
    for col in T3_PARTS:
        results = {row: draw(st.integers(0, 3) if draw(st.booleans()) else st.just(0)) for row in T3_RESULT_ROWS}
        closed = sum(results.values())
        forward = draw(small)
        over = draw(st.integers(0, closed + forward))
        values |= {f"t3.{row}.{col}": n for row, n in results.items()}
        values |= {f"t3.carried_forward.{col}": forward, f"t3.carried_over.{col}": over,
                   f"t3.new.{col}": closed + forward - over}
    return values


@st.composite
def table_2(draw: st.DrawFn) -> dict[str, object]:
    values: dict[str, object] = {}
    for row in ("regulation", "normative"):
        issued, repealed = draw(small), draw(small)
        values |= {f"t2.{row}.issued": issued, f"t2.{row}.repealed": repealed,
                   f"t2.{row}.in_force": draw(st.integers(max(issued - repealed, 0), 40))}
    for row in ("licensing", "penalty", "coercion"):
        values[f"t2.{row}.decisions"] = draw(st.integers(0, 500))
    cents = draw(st.integers(0, 10**8))
    values["t2.fees.amount"] = Decimal(cents) / 10000
    return values


@st.composite
def table_4(draw: st.DrawFn) -> dict[str, object]:
    return {f"t4.{g}.{k}": draw(st.integers(0, 2)) for g, _ in T4_GROUPS for k, _ in OUTCOMES[:-1]}


@st.composite
def others(draw: st.DrawFn) -> dict[str, object]:
    """Publishing counts (some slots empty), the fee, and required texts filled or not."""
    values: dict[str, object] = {}
    for f in SCHEMA.field_inputs:
        if f.kind is Kind.COUNT and draw(st.booleans()):
            values[f.key] = draw(st.integers(0, 300))
        elif f.kind is Kind.LONGTEXT and draw(st.integers(0, 9)) > 0:
            values[f.key] = draw(st.sampled_from(["本年度依法做好政府信息公开工作。", "无", "详见附件<表格>&说明"]))
    values["others.fee"] = draw(st.sampled_from([0, Decimal("12.5"), 300]))
    return values


MISTAKES = ("blank", "plus_one", "negative", "fraction", "text")
# What paste or a careless keyboard puts into a number cell: text that looks like a number,
# whitespace, a formula. The workbook's formulas do not take any of them as a number.
TYPED = ("full_width", "unit", "padded", "as_text", "shared", "spaces", "empty_text", "formula", "text_formula",
         "empty_formula")
FULL_WIDTH = str.maketrans("0123456789.-", "０１２３４５６７８９．－")


def typed(how: str, n: object) -> object:
    """The typed-text mistake `how`, made of the figure n that belonged in the cell."""
    text = format(n, "f") if isinstance(n, Decimal) else str(n)
    return {"full_width": text.translate(FULL_WIDTH), "unit": f"{text}件", "padded": f" {text}\u3000",
            "as_text": text, "shared": Shared(text), "spaces": " ", "empty_text": "",
            "formula": Formula(f"{text}+0"), "text_formula": Formula(f'"{text}"'),
            "empty_formula": Formula('""')}[how]


@st.composite
def fillings(draw: st.DrawFn, max_mistakes: int = 3) -> tuple[dict[str, object], list[tuple[str, str]]]:
    """A balanced filling, then up to max_mistakes single-cell mistakes planted on purpose."""
    values = draw(table_2()) | draw(table_3()) | draw(table_4()) | draw(others())
    if draw(st.booleans()):  # last year's figures, as `new --previous` prefills them, sometimes off by one
        for col in T3_PARTS:
            off = draw(st.sampled_from([0, 0, 1]))
            values[f"prev.t3.carried_forward.{col}"] = values[f"t3.carried_over.{col}"] + off
        for row in ("regulation", "normative"):
            stock = values[f"t2.{row}.in_force"] - values[f"t2.{row}.issued"] + values[f"t2.{row}.repealed"]
            values[f"prev.t2.{row}.in_force"] = max(0, stock + draw(st.sampled_from([0, 0, 3])))
    keys = sorted(c.key for c in SCHEMA.table_inputs)
    planted = draw(st.lists(st.tuples(st.sampled_from(keys), st.sampled_from(MISTAKES)),
                            max_size=max_mistakes, unique_by=lambda t: t[0]))
    for key, how in planted:
        n = values.get(key, 0)
        values[key] = {"blank": None, "plus_one": (n or 0) + 1, "negative": -1,
                       "fraction": Decimal("2.5"), "text": "无"}[how]
        if values[key] is None:
            del values[key]
    return values, planted


NUMBER_INPUTS = sorted([c.key for c in SCHEMA.table_inputs]
                       + [f.key for f in SCHEMA.field_inputs if f.kind.numeric and not f.key.startswith("prev.")])


@st.composite
def typed_fillings(draw: st.DrawFn, max_mistakes: int = 6) -> tuple[dict[str, object], list[tuple[str, str]]]:
    """A filling with typed-text mistakes (and blanks) planted in number cells of every sheet."""
    values, planted = draw(fillings(max_mistakes=1))
    more = draw(st.lists(st.tuples(st.sampled_from(NUMBER_INPUTS), st.sampled_from((*TYPED, "blank"))),
                         max_size=max_mistakes, unique_by=lambda t: t[0]))
    for key, how in more:
        if how == "blank":
            values.pop(key, None)
        else:
            values[key] = typed(how, values.get(key, draw(small)))
    return values, planted + more
