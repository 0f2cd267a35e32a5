"""The relations a rule can state, each rendered two ways: an Excel formula and a Python test.

A relation only knows cell keys. The workbook passes a `Ref` that turns keys into cell
references; the checker passes a `Numbers` that turns keys into values. Deciding whether a
relation can be judged at all (every input filled) is done once, by the caller, for both.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

Number = Decimal
Numbers = Callable[[str], Decimal]


class Ref(Protocol):
    """Turns cell keys into Excel references; `args` compresses many keys into ranges."""

    def cell(self, key: str) -> str: ...

    def args(self, keys: Sequence[str]) -> str: ...

    def sum(self, keys: Sequence[str]) -> str:
        """Σ of the numbers typed in these inputs; a formula typed into one is left out."""
        ...


def _sum(get: Numbers, keys: Sequence[str]) -> Decimal:
    return sum((get(k) for k in keys), Decimal(0))


def _xsum(ref: Ref, keys: Sequence[str]) -> str:
    return ref.cell(keys[0]) if len(keys) == 1 else f"SUM({ref.args(keys)})"


@dataclass(frozen=True)
class Total:
    """target = Σ parts. The target is computed by this formula in the workbook."""

    target: str
    parts: tuple[str, ...]
    blank_as_zero: bool = False  # optional lists (publishing channels) count blanks as 0

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.target, *self.parts)

    def holds(self, get: Numbers) -> bool:
        return get(self.target) == _sum(get, self.parts)

    def excel(self, ref: Ref) -> str:
        parts = ref.sum(self.parts) if self.blank_as_zero else _xsum(ref, self.parts)  # unguarded
        return f"ROUND({ref.cell(self.target)}-({parts}),6)=0"

    def sides(self, get: Numbers) -> tuple[Decimal, Decimal]:
        return get(self.target), _sum(get, self.parts)


@dataclass(frozen=True)
class _TwoSums:
    """Σ left compared with Σ right; subclasses say how."""

    left: tuple[str, ...]
    right: tuple[str, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return (*self.left, *self.right)

    def sides(self, get: Numbers) -> tuple[Decimal, Decimal]:
        return _sum(get, self.left), _sum(get, self.right)


@dataclass(frozen=True)
class Balance(_TwoSums):
    """Σ left = Σ right, for cells that are all typed in (the printed 勾稽关系)."""

    def holds(self, get: Numbers) -> bool:
        a, b = self.sides(get)
        return a == b

    def excel(self, ref: Ref) -> str:
        return f"ROUND({_xsum(ref, self.left)}-{_xsum(ref, self.right)},6)=0"


@dataclass(frozen=True)
class AtMost(_TwoSums):
    """Σ left ≤ Σ right."""

    def holds(self, get: Numbers) -> bool:
        a, b = self.sides(get)
        return a <= b

    def excel(self, ref: Ref) -> str:
        return f"{_xsum(ref, self.left)}<={_xsum(ref, self.right)}"


@dataclass(frozen=True)
class Below:
    """Σ cells < limit (a figure that large was probably typed in the wrong unit)."""

    cells: tuple[str, ...]
    limit: Decimal

    @property
    def keys(self) -> tuple[str, ...]:
        return self.cells

    def holds(self, get: Numbers) -> bool:
        return _sum(get, self.cells) < self.limit

    def excel(self, ref: Ref) -> str:
        return f"{_xsum(ref, self.cells)}<{self.limit}"

    def sides(self, get: Numbers) -> tuple[Decimal, Decimal]:
        return _sum(get, self.cells), self.limit


@dataclass(frozen=True)
class ZeroUnless:
    """Σ cells may be non-zero only when Σ given is non-zero."""

    cells: tuple[str, ...]
    given: tuple[str, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return (*self.cells, *self.given)

    def holds(self, get: Numbers) -> bool:
        return _sum(get, self.cells) == 0 or _sum(get, self.given) != 0

    def excel(self, ref: Ref) -> str:
        return f"OR({_xsum(ref, self.cells)}=0,{_xsum(ref, self.given)}<>0)"

    def sides(self, get: Numbers) -> tuple[Decimal, Decimal]:
        return _sum(get, self.cells), _sum(get, self.given)


Equation = Total | Balance | AtMost | Below | ZeroUnless


@dataclass(frozen=True)
class Filled:
    """Every one of these inputs is filled in. Judged by counting blanks."""

    cells: tuple[str, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return self.cells

    def excel_count(self, ref: Ref, rects: Sequence[str]) -> str:
        # A formula is never blank, whatever it shows: the checker does not evaluate formulas.
        return "+".join(f"COUNTBLANK({r})-IFERROR(SUMPRODUCT(_xlfn.ISFORMULA({r})*({r}=\"\")),0)" for r in rects)


@dataclass(frozen=True)
class Valid:
    """Every filled input is a number of its kind: counts whole and ≥ 0, amounts ≥ 0."""

    cells: tuple[str, ...]
    whole: bool

    @property
    def keys(self) -> tuple[str, ...]:
        return self.cells

    def excel_count(self, ref: Ref, rects: Sequence[str]) -> str:
        # Text, negative numbers and (for counts) fractions. A fraction is a number whose text
        # has a decimal point: IF/IFERROR inside SUMPRODUCT would need Ctrl+Shift+Enter in
        # Excel before 365, FIND does not.
        terms = []
        for r in rects:
            # A formula typed into an input is never trusted: counted (0 in an Excel before 2013).
            terms.append(f"COUNTA({r})-COUNT({r})+COUNTIF({r},\"<0\")+IFERROR(SUMPRODUCT(_xlfn.ISFORMULA({r})*1),0)")
            if self.whole:
                terms.append(f"SUMPRODUCT(ISNUMBER({r})*ISNUMBER(FIND(\".\",{r})))")
        return "+".join(terms)


Counted = Filled | Valid
Relation = Equation | Counted
