"""Export and prefill: workbook → JSON → new workbook → JSON gives the same JSON."""

from __future__ import annotations

import json
from pathlib import Path

from fill import fill
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import fillings

from gxsheet import jsonio
from gxsheet.prefill import prefill_values
from gxsheet.schema import SCHEMA
from gxsheet.workbook.meta import Meta
from gxsheet.workbook.reader import read_workbook
from gxsheet.workbook.writer import write_workbook

TEXTS = st.sampled_from(["", "含自然失效29件", "<b>粗体</b> & “引号” 'single'", "=HYPERLINK(\"x\")", "第一段\n第二段"])
KEYS = sorted(c.key for c in SCHEMA.table_inputs)


@st.composite
def extras(draw: st.DrawFn) -> dict[str, object]:
    """Basic information, dates and notes on top of a table filling."""
    values: dict[str, object] = {"address": draw(TEXTS), "phone": "06322205128", "postcode": "010010",
                                 "published": draw(st.sampled_from(["2025年1月20日", "2025-01-31", ""]))}
    for i, key in enumerate(draw(st.lists(st.sampled_from(KEYS), max_size=3, unique=True)), 1):
        values[f"note.{i}.cell"] = SCHEMA.cells[key].label
        values[f"note.{i}.text"] = draw(TEXTS) or "说明"
    return {k: v for k, v in values.items() if v != ""}


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(fillings(), extras())
def test_export_prefill_export_is_identical(tmp_path_factory, blank_workbook, filled, more) -> None:
    """Whatever was typed (valid or not), exporting, prefilling a new workbook and exporting again changes nothing."""
    values, _ = filled
    work = tmp_path_factory.mktemp("rt")
    first = work / "first.xlsx"
    fill(blank_workbook, first, values | more)
    exported = jsonio.to_data(read_workbook(first))
    data_file = work / "data.json"
    data_file.write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")
    report = jsonio.load(data_file)
    second = work / "second.xlsx"
    write_workbook(second, Meta(report.unit, report.year), prefill_values(report))
    assert jsonio.to_data(read_workbook(second)) == exported


def test_blank_stays_null_and_zero_stays_zero(tmp_path: Path, blank_workbook: Path) -> None:
    """A blank cell exports as null and a 0 as 0; a computed total is null until its inputs are filled."""
    path = tmp_path / "x.xlsx"
    fill(blank_workbook, path, {"t3.new.natural": 0})
    data = jsonio.to_data(read_workbook(path))
    assert data["tables"]["t3.new.natural"]["value"] == 0
    assert data["tables"]["t3.new.commercial"]["value"] is None
    assert data["tables"]["t3.new.total"] == {"table": "表三", "row": "一、本年新收政府信息公开申请数量",
                                              "column": "总计", "value": None, "computed": True, "note": None}


def test_decimals_survive_exactly(tmp_path: Path, blank_workbook: Path) -> None:
    """A fee of 5949.088667 万元 comes back as exactly that number."""
    path = tmp_path / "x.xlsx"
    fill(blank_workbook, path, {"t2.fees.amount": 5949.088667})
    text = jsonio.dumps(read_workbook(path))
    assert '"value": 5949.088667' in text
    assert str(jsonio.from_data(json.loads(text, parse_float=__import__("decimal").Decimal))
               .entry("t2.fees.amount").value) == "5949.088667"


def test_sample_export_matches_its_source(sample_workbook: Path) -> None:
    """The sample's export carries the seed's figures: 2173 items, 24 on the county portal, every table cell 0."""
    data = jsonio.to_data(read_workbook(sample_workbook))
    assert data["fields"]["pub.channel.total"]["value"] == 2173
    assert [data["fields"][f"pub.channel.{i}.count"]["value"] for i in range(1, 5)] == [24, 815, 1325, 9]
    assert data["fields"]["pub.category.total"]["value"] == 24
    assert {v["value"] for v in data["tables"].values()} == {0}
    assert data["unit"] == "柴胡店镇人民政府" and data["year"] == 2024
