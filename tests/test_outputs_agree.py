"""The .docx and the .html of one report carry the same tables and the same prose."""

from __future__ import annotations

from pathlib import Path

import docx
from html_page import Layout, html_tables, parse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import table_2, table_3, table_4

from gxsheet.document.compose import compose
from gxsheet.document.docx_writer import write_docx
from gxsheet.document.html_writer import render_html
from gxsheet.jsonio import from_data


def docx_tables(path: Path) -> list[Layout]:
    """Each Word table as top-left slot → (text, rowspan, colspan), from the merged w:tc elements."""
    out = []
    for table in docx.Document(str(path)).tables:
        ncols = len(table.columns)
        slots = table._cells
        seen: dict[object, list[tuple[int, int]]] = {}
        for i, cell in enumerate(slots):
            seen.setdefault(cell._tc, []).append(divmod(i, ncols))
        layout: Layout = {}
        for where in seen.values():
            rows, cols = {r for r, _ in where}, {c for _, c in where}
            text = slots[where[0][0] * ncols + where[0][1]].text
            layout[(min(rows), min(cols))] = (text, len(rows), len(cols))
        out.append(layout)
    return out


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.builds(lambda a, b, c: a | b | c, table_2(), table_3(), table_4()))
def test_docx_and_html_tables_are_identical(tmp_path_factory, values) -> None:
    """For random fillings, every table cell, merge and value is the same in the Word file and the web page."""
    doc = compose(from_data({"unit": "甲镇人民政府", "year": 2024, "tables": values}))
    path = tmp_path_factory.mktemp("agree") / "r.docx"
    write_docx(doc, path)
    from_word, from_web = docx_tables(path), html_tables(render_html(doc))
    assert len(from_word) == 3
    assert from_word == from_web


def test_docx_and_html_prose_is_identical(tmp_path: Path, sample_workbook: Path) -> None:
    """The sample's paragraphs (title, headings, body, closing) read the same in both outputs."""
    from gxsheet.workbook.reader import read_workbook

    doc = compose(read_workbook(sample_workbook))
    path = tmp_path / "r.docx"
    write_docx(doc, path)
    word = [p.text for p in docx.Document(str(path)).paragraphs if p.text.strip()]
    web: list[str] = []
    for tag, _, text in parse(render_html(doc)).texts:
        if tag in ("h1", "h2", "h3", "p"):
            web += [line for line in text.split("\n") if line.strip()]
    assert web == word
    assert word[:2] == list(doc.title)
    assert len(word) >= 35
