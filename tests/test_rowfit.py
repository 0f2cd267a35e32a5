"""Text tables that lost cells: glued label+number split, short rows aligned by their totals or left unread."""

from __future__ import annotations

from decimal import Decimal

from pages import complete, figures, rows

from gxsheet.published.mapping import to_report
from gxsheet.published.rowfit import fit, shapes, split_glued
from gxsheet.published.text import parse
from gxsheet.schema import SCHEMA
from gxsheet.schema.tables import TABLE_2, TABLE_3, TABLE_4


def label_of(table: object, key: str) -> str:
    return next(r.path[-1] for b in table.blocks for r in b.rows if r.key == key)  # type: ignore[attr-defined]


def as_text(tables: list[list[list[str]]]) -> str:
    """The extraction format text.py reads: a cell a line after a TAB, rows apart by one empty line."""
    out = ["2024年政府信息公开工作年度报告"]
    for table in tables:
        out.append("")
        out.append("")
        for i, row in enumerate(table):
            if i:
                out.append("")
            out += ["\t" + cell for cell in row]
    return "\n".join(out) + "\n"


def test_shapes_come_from_the_schema_totals() -> None:
    got = {w: [(t, len(p)) for t, p in s.totals] for w, s in shapes().items()}
    assert got == {7: [(6, 6)], 15: [(4, 4), (9, 4), (14, 4)]}


def test_glued_label_and_number_are_split() -> None:
    licensing = label_of(TABLE_2, "licensing")
    assert split_glued([f"{licensing} 97"]) == [licensing, "97"]
    assert split_glued([f"{licensing}  1,200 3"]) == [licensing, "1,200", "3"]
    assert split_glued(["12 3", licensing, "第二十条 甲"]) == ["12 3", licensing, "第二十条 甲"]


def test_a_short_row_is_aligned_only_when_one_alignment_holds() -> None:
    label = label_of(TABLE_3, "carried_over")
    full = [label] + ["1", "2", "3", "4", "5", "6", "21"]
    # only the total printed, and it is 0: the parts can only be empty
    table, notes = fit([full, [label, "0"]], "第1个表格")
    assert table[1] == [label, "", "", "", "", "", "", "0"] and "只有一种对齐方式" in notes[0]
    # a missing part: the numbers fit several columns, so the row is not read rather than shifted
    table, notes = fit([full, [label, "1", "2", "3", "5", "6", "17"]], "第1个表格")
    assert table[1] == [label] and "有多种对齐方式" in notes[0] and "本行未读入" in notes[0]
    table, notes = fit([full, [label, "1", "2", "3", "5", "6", "99"]], "第1个表格")
    assert table[1] == [label] and "没有一种对齐方式" in notes[0]


def test_text_report_with_lost_cells_reads_without_shifting(tmp_path: object) -> None:
    """End to end: a glued 表二 cell is read, a 表三 row missing a cell is unread (said so), nothing shifts."""
    v = complete(figures(5))
    t2, t3, t4 = rows(TABLE_2, v, "text"), rows(TABLE_3, v, "text"), rows(TABLE_4, v, "text")
    licensing = label_of(TABLE_2, "licensing")
    i = next(n for n, r in enumerate(t2) if licensing in r)
    t2[i] = [f"{licensing} {v['t2.licensing.decisions']}"]
    granted = label_of(TABLE_3, "granted")
    j = next(n for n, r in enumerate(t3) if granted in r)
    del t3[j][-4]  # one applicant column's cell lost
    pub = parse(as_text([t2, t3, t4]), "甲.txt")
    assert any("本行未读入" in n for n in pub.notes), pub.notes
    entries = to_report(pub).report.entries
    assert entries["t2.licensing.decisions"].value == Decimal(v["t2.licensing.decisions"])
    lost = {k for k in SCHEMA.cells if k.startswith("t3.granted.")}
    assert not lost & set(entries)
    for key in SCHEMA.cells:
        if key not in lost and v.get(key):
            assert entries[key].value == Decimal(v[key]), key
