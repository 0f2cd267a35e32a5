"""Published reports: tables mapped to schema keys by their labels, prose and structure audited."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pages import ALL_KEYS, TABLE_2_2019, UNIT, YEAR, body, complete, published, rows, zeros
from shared import shared
from strategies import table_2, table_3, table_4

from gxsheet.document.compose import compose
from gxsheet.document.model import Heading, Paragraph, TableBlock
from gxsheet.jsonio import from_data
from gxsheet.published.audit import AuditResult, audit
from gxsheet.published.importer import imported
from gxsheet.published.mapping import V2019, V2021, to_report
from gxsheet.published.model import Published
from gxsheet.published.reader import read_published
from gxsheet.report import Report
from gxsheet.schema import SCHEMA, VERSION, Column
from gxsheet.schema.tables import TABLE_2, TABLE_3, TABLE_4
from gxsheet.values import parse_key


def codes(result: AuditResult) -> list[str]:
    return [p.code for p in result.problems]


def only(result: AuditResult, code: str) -> str:
    found = [p.message for p in result.problems if p.code == code]
    assert len(found) == 1, (code, [(p.code, p.message) for p in result.problems])
    return found[0]


def distinct() -> dict[str, str]:
    """A filling where every input differs from every other, so a cell read from the wrong place shows."""
    inputs = {c.key: i + 1 for i, c in enumerate(SCHEMA.table_inputs)}
    inputs["t2.fees.amount"] = "12.5"
    return complete(inputs)


# --- mapping by labels --------------------------------------------------------------------
@pytest.mark.parametrize("form", ["html", "docx", "text"])
def test_every_cell_maps_to_its_key(form: str) -> None:
    """Rows as each reader gives them map every cell, printed totals included, to its key and value."""
    v = distinct()
    mapped = to_report(published(v, form))
    assert mapped.findings == []
    assert mapped.versions == {"表二": V2021, "表三": V2021, "表四": V2021}
    assert mapped.found == set(ALL_KEYS)
    assert {k: str(mapped.report.entries[k].raw) for k in ALL_KEYS} == v
    assert mapped.report.entries["t2.fees.amount"].value == Decimal("12.5")
    assert (mapped.report.unit, mapped.report.year) == (UNIT, YEAR)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(t2=table_2(), t3=table_3(), t4=table_4(), form=st.sampled_from(["html", "text"]))
def test_random_tables_map_back_identically(t2: dict[str, object], t3: dict[str, object], t4: dict[str, object],
                                            form: str) -> None:
    """Random consistent tables rendered with the schema grid's labels come back as the same numbers, clean."""
    v = complete(t2 | t3 | t4)
    result = audit(published(v, form))
    assert {k: result.report.number(k) for k in ALL_KEYS} == {k: Decimal(v[k]) for k in ALL_KEYS}
    assert [p for p in result.problems if p.severity.value == "error"] == []


def test_labels_tolerate_junk_line_breaks_and_numbering() -> None:
    """Bookmark junk, line breaks, spaces, "1．"/"1、" numbering and half-width brackets do not stop a label."""
    v = distinct()
    t3 = rows(TABLE_3, v, "text")
    for row in t3:
        for i, cell in enumerate(row):
            if cell == "一、本年新收政府信息公开申请数量":
                row[i] = "[bookmark: _Hlk66973412]一、本年新收政府信息\n公开申请数量"
            elif cell.startswith("1.属于"):
                row[i] = "1．属于国家秘密"
            elif cell.startswith("5.要求"):
                row[i] = "5、要求行政机关确认或重新\n出具已获取信息"
            elif cell.startswith("（二）部分公开"):
                row[i] = "(二)部分公开 (区分处理的，只计这一情形，不计其他情形)"
            elif cell == "商业企业":
                row[i] = "商业\n企业"
    mapped = to_report(published(v, "text", tables=[rows(TABLE_2, v, "text"), t3, rows(TABLE_4, v, "text")]))
    assert mapped.findings == []
    assert {k: str(mapped.report.entries[k].raw) for k in ALL_KEYS} == v


def test_header_split_differently_is_read_by_its_columns() -> None:
    """A 表三 whose header splits 自然人 over two grid columns (as pingtan 2021 prints it) maps by the header."""
    v = distinct()
    corner = TABLE_3.blocks[0].corner
    table = [
        [corner] * 3 + ["申请人情况"] * 8,
        [corner] * 3 + ["自然人", "自然人"] + ["法人或其他组织"] * 5 + ["总计"],
        [corner] * 3 + ["", "商业企业", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"],
    ]
    for row in rows(TABLE_3, v)[3:]:
        labels, values = row[:3], row[3:]
        table.append(labels + [values[0], values[1], *values[1:]])  # 商业企业 merged over two grid columns
    mapped = to_report(published(v, tables=[rows(TABLE_2, v), table, rows(TABLE_4, v)]))
    assert mapped.findings == []
    assert all(str(mapped.report.entries[c.key].raw) == v[c.key] for c in TABLE_3.cells)


def test_column_order_is_taken_from_the_header() -> None:
    """A 表三 printing 总计 before 自然人 is mapped by its header, with a finding, never by position."""
    v = distinct()
    table = rows(TABLE_3, v)
    for row in table:
        row[3:] = [row[-1], *row[3:-1]]
    mapped = to_report(published(v, tables=[rows(TABLE_2, v), table, rows(TABLE_4, v)]))
    assert all(str(mapped.report.entries[c.key].raw) == v[c.key] for c in TABLE_3.cells)
    assert [f.code for f in mapped.findings] == ["MAP-ORDER"]


def test_blank_stays_blank_and_is_flagged() -> None:
    """A blank cell is kept blank, not 0, and the audit names it; a blank printed total too."""
    v = zeros()
    v["t3.new.commercial"] = ""
    v["t3.carried_over.total"] = ""
    result = audit(published(v))
    blank, zero = result.report.entries["t3.new.commercial"], result.report.entries["t3.new.natural"]
    assert (blank.raw, blank.value, blank.blank) == ("", None, True)
    assert (zero.raw, zero.value) == ("0", Decimal(0))
    assert "t3.new.commercial" in result.mapped.found
    flagged = {p.key for p in result.problems if p.rule.startswith("BLANK")}
    assert flagged == {"t3.new.commercial", "t3.carried_over.total"}


@pytest.mark.parametrize("form", ["html", "text"])
def test_blank_table_4_row_is_read_as_blanks(form: str) -> None:
    """A 表四 printed with an entirely blank number row is read as fifteen blanks, not as a missing table."""
    v = zeros() | {c.key: "" for c in TABLE_4.cells}
    result = audit(published(v, form))
    assert all(result.report.entries[c.key].blank for c in TABLE_4.cells)
    assert sum(p.group == "表四" and p.rule.startswith("BLANK") for p in result.problems) == 15


def test_note_in_number_cell_is_split_off() -> None:
    """"22（其中修订16件）" is read as 22 with the note 其中修订16件, and is not a problem."""
    v = zeros()
    v["t2.normative.issued"] = "22（其中修订16件）"
    v["t2.normative.in_force"] = "30"
    result = audit(published(v))
    entry = result.report.entries["t2.normative.issued"]
    assert (entry.value, entry.problem) == (Decimal(22), "")
    assert result.report.notes == {"t2.normative.issued": "其中修订16件"}
    assert result.problems == []


def test_unreadable_cell_is_kept_with_its_problem() -> None:
    """A dash in a number cell is kept as printed with its problem, never guessed as 0."""
    v = zeros()
    v["t4.review.other"] = "—"
    result = audit(published(v))
    entry = result.report.entries["t4.review.other"]
    assert (entry.raw, entry.value) == ("—", None) and entry.problem
    assert "VALUE-表四" in codes(result)


def test_2019_row_label_is_mapped_and_flagged() -> None:
    """"规范性文件" maps to 行政规范性文件 with a finding; in a 2021+ report it is a format error."""
    v = zeros()
    v["t2.normative.issued"], v["t2.normative.in_force"] = "8", "18"
    t2 = rows(TABLE_2, v)
    for row in t2:
        row[:] = ["规范性文件" if c == "行政规范性文件" else c for c in row]
    result = audit(published(v, tables=[t2, rows(TABLE_3, v), rows(TABLE_4, v)]))
    assert result.report.entries["t2.normative.issued"].value == Decimal(8)
    assert "规范性文件" in only(result, "MAP-LABEL-2019")
    assert "规范性文件" in only(result, "FORMAT-2019")
    assert [p.severity.value for p in result.problems if p.code == "FORMAT-2019"] == ["error"]

    old = published(v, tables=[t2, rows(TABLE_3, v), rows(TABLE_4, v)],
                    title=[UNIT, "2020年政府信息公开工作年度报告"],
                    paragraphs=[p.replace(str(YEAR), "2020").replace(str(YEAR + 1), "2021") for p in body(v)])
    assert "FORMAT-2019" not in codes(audit(old))


def test_2019_table_2_is_refused() -> None:
    """A 2019 表二 yields no 表二 values, a finding naming it, and no flood of blank cells."""
    v = zeros()
    t2 = [*TABLE_2_2019, ["规章", "1", "1", "1"]]  # printed twice, differently: moot once refused
    result = audit(published(v, tables=[t2, rows(TABLE_3, v), rows(TABLE_4, v)]))
    assert result.mapped.versions["表二"] == V2019
    assert not any(k.startswith("t2.") for k in result.report.entries)
    message = only(result, "MAP-T2-2019")
    assert "表二" in message and "2019" in message and "本年新制作数量" in message
    assert not any(p.rule.startswith("BLANK") for p in result.problems)
    assert "FORMAT-2019" in codes(result)
    # What its header or its old row label looked like is moot once the table is refused.
    assert [p.code for p in result.problems if p.group == "表二"] == ["MAP-T2-2019", "FORMAT-2019"]


def test_2019_table_3_imports_with_its_printed_total() -> None:
    """An imported 2019 表三 keeps every number it prints: （七）总计 is computed from inputs that are all
    filled (the rows the 2019 format has not are 0), so it equals the printed one."""
    inputs = {c.key: 0 for c in SCHEMA.table_inputs} | {
        "t3.new.natural": 6, "t3.granted.natural": 3, "t3.other_unpaid.natural": 2, "t3.other_other.natural": 1}
    v = complete(inputs)
    pub = published(v, tables=[rows(TABLE_2, v), t3_2019(v), rows(TABLE_4, v)],
                    title=[UNIT, "2020年政府信息公开工作年度报告"])
    report, done = imported(pub)
    assert "表三" in done.tables
    inputs_only = replace(report, entries={k: e for k, e in report.entries.items() if SCHEMA.is_input(k)})
    assert inputs_only.number("t3.closed.natural") == Decimal(6)
    assert inputs_only.number("t3.closed.total") == Decimal(v["t3.closed.total"])
    assert "按0计" in report.notes["t3.other_other.total"]  # the workbook says where its 0s come from


def t3_2019(v: Mapping[str, str], form: str = "html") -> list[list[str]]:
    """表三 as the 2019 format prints it: one row （六）其他处理 holding the sum of the three 2021 rows."""
    out = []
    for row in rows(TABLE_3, v, form):
        text = "".join(row)
        if "1.申请人无正当理由" in text or "2.申请人逾期未按" in text:
            continue
        if "3.其他" in row:
            row = ["（六）其他处理" if c == "3.其他" else c for c in row]
            tail = [str(sum(int(v[f"t3.{r}.{c.key}"]) for r in ("other_no_correction", "other_unpaid", "other_other")))
                    for c in TABLE_3.blocks[0].columns]
            row = row[:-7] + tail
        out.append(row)
    return out


@pytest.mark.parametrize("form", ["html", "text"])
def test_2019_table_3_maps_one_to_one(form: str) -> None:
    """A 2019 表三 maps row by row, its single （六） to t3.other_other with a finding, and is checked."""
    inputs = {c.key: 0 for c in SCHEMA.table_inputs} | {
        "t3.new.natural": 5, "t3.granted.natural": 2, "t3.other_no_correction.natural": 1,
        "t3.other_other.natural": 1, "t3.carried_forward.natural": 1}
    v = complete(inputs)
    result = audit(published(v, form, tables=[rows(TABLE_2, v, form), t3_2019(v, form), rows(TABLE_4, v, form)],
                             title=[UNIT, "2020年政府信息公开工作年度报告"],
                             paragraphs=[p.replace(str(YEAR), "2020").replace(str(YEAR + 1), "2021")
                                         for p in body(v)]))
    assert result.mapped.versions == {"表二": V2021, "表三": V2019, "表四": V2019}
    assert result.report.entries["t3.other_other.natural"].value == Decimal(2)
    absent = result.report.entries["t3.other_no_correction.natural"]  # a row the 2019 format has not: 0
    assert absent.value == 0 and "t3.other_no_correction.natural" not in result.mapped.found
    assert "未分" in only(result, "MAP-T3-2019")
    assert result.report.number("t3.closed.natural") == Decimal(4)
    assert all(result.result.statuses[f"T3-RESULT-{i:02d}"] == "通过" for i in range(1, 8))
    assert not any(p.rule.startswith("BLANK") or p.rule.startswith("T3") for p in result.problems)


def test_missing_table_is_named() -> None:
    """A report without 表四 gets one finding naming 表四 instead of fifteen blank cells."""
    v = zeros()
    result = audit(published(v, tables=[rows(TABLE_2, v), rows(TABLE_3, v)]))
    assert "表四" in only(result, "MAP-TABLE-MISSING")
    assert result.mapped.versions["表四"] == "unknown"
    assert not any(p.rule.startswith("BLANK") for p in result.problems)


def test_printed_totals_are_checked() -> None:
    """A printed 总计 that is not the sum of its row is an error (totals are mapped as given)."""
    v = distinct()
    v["t3.granted.total"] = str(int(v["t3.granted.total"]) + 1)
    result = audit(published(v))
    assert "T3-ROW" in {p.rule for p in result.problems}
    assert "T3-RESULT" in {p.rule for p in result.problems}


# --- prose against the tables ----------------------------------------------------------------
def requests(granted: int, partial: int, pending: int = 0) -> dict[str, str]:
    inputs = {c.key: 0 for c in SCHEMA.table_inputs} | {
        "t3.new.natural": granted + partial, "t3.granted.natural": granted, "t3.partial.natural": partial,
        "t4.review.upheld": 1, "t4.review.pending": pending}
    return complete(inputs)


def test_clean_report_audits_clean() -> None:
    """A hand-built report whose prose, tables and structure agree has no finding at all."""
    v = requests(200, 75)
    extra = ["本年度发生政府信息公开行政复议1件，均获维持。", "予以公开及部分公开275件，予以公开200件（占72.7%）。",
             "另受理政府信息公开申请275件。"]
    result = audit(published(v, paragraphs=body(v, extra)))
    assert result.problems == []
    assert result.ok


def test_contradicting_outcome_sum_quotes_both_numbers() -> None:
    """"予以公开及部分公开258件" beside a table giving 275 is an error quoting the sentence and both numbers."""
    v = requests(200, 75)
    result = audit(published(v, paragraphs=body(v, ["全年予以公开及部分公开258件。"])))
    message = only(result, "NARR-OUTCOME")
    assert "正文“全年予以公开及部分公开258件”" in message
    assert "258件" in message and "275件" in message and "表三" in message


def test_upheld_beside_pending_case() -> None:
    """"均获维持" while a case is 尚未审结 is an error naming the pending case."""
    v = requests(3, 0, pending=1)
    result = audit(published(v, paragraphs=body(v, ["本年度发生行政复议2件，均获维持。"])))
    message = only(result, "NARR-VERDICT")
    assert "均获维持" in message and "尚未审结1件" in message
    assert codes(result) == ["NARR-VERDICT"]


def test_no_requests_claim_beside_new_requests() -> None:
    """"未收到政府信息公开申请" while 表三 has new requests is an error giving the table's number."""
    v = requests(3, 0)
    paragraphs = [p for p in body(v) if "新收" not in p]
    result = audit(published(v, paragraphs=[*paragraphs, "本年度未收到政府信息公开申请。"]))
    message = only(result, "NARR-NONE")
    assert "未收到政府信息公开申请" in message and "3件" in message


def test_no_requests_claim_beside_carried_over_request() -> None:
    """"未收到政府信息公开申请" while one request was carried over from last year is an error too."""
    v = complete({c.key: 0 for c in SCHEMA.table_inputs} | {"t3.carried_over.natural": 1, "t3.granted.natural": 1})
    paragraphs = [p for p in body(v) if "新收" not in p]
    result = audit(published(v, paragraphs=[*paragraphs, "本年度未收到政府信息公开申请。"]))
    assert "二、上年结转政府信息公开申请数量·总计为1件" in only(result, "NARR-NONE")


def test_no_cases_claim_beside_review_case() -> None:
    """"未发生…行政复议、行政诉讼" while 表四 has a review is an error."""
    v = requests(3, 0)
    result = audit(published(v, paragraphs=body(v, ["本年度未发生因政府信息公开引起的行政复议、行政诉讼。"])))
    assert "行政复议总计1件" in only(result, "NARR-NONE")


def test_prose_numbers_are_compared() -> None:
    """收到, 上年结转, 办结, 结转下年度, 自然人 and 行政诉讼 numbers that disagree are each named."""
    v = requests(3, 1)
    wrong = ["本年度收到政府信息公开申请9件，其中自然人7件，上年结转2件，办结8件，结转下年度3件。",
             "发生行政诉讼4件。"]
    result = audit(published(v, paragraphs=[p for p in body(v) if "新收" not in p] + wrong))
    assert {"NARR-NEW", "NARR-PARTY", "NARR-CARRIED", "NARR-CLOSED", "NARR-FORWARD", "NARR-LITIGATION"} <= set(
        codes(result))
    assert "正文收到9件，表三一、本年新收政府信息公开申请数量·总计为4件" in only(result, "NARR-NEW")


def test_share_is_checked() -> None:
    """A share "占60%" that the table does not give is an error; an unreadable sentence is skipped."""
    v = requests(2, 2)
    extra = ["其中予以公开2件（占60%）。", "各类申请数量较去年增长5件，予以公开约十余件。"]
    result = audit(published(v, paragraphs=body(v, extra)))
    assert "60%" in only(result, "NARR-SHARE") and "50.0%" in only(result, "NARR-SHARE")
    assert [p.code for p in result.problems] == ["NARR-SHARE"]


def test_chinese_numerals_are_read() -> None:
    """"办结十二件" is read as 12."""
    v = requests(3, 1)
    result = audit(published(v, paragraphs=body(v, ["本年度共办结十二件。"])))
    assert "正文办结12件" in only(result, "NARR-CLOSED")


# --- structure ----------------------------------------------------------------------------
def test_arabic_numbered_part_is_a_warning() -> None:
    """"1、总体情况" is flagged as numbering that should be "一、"."""
    v = zeros()
    result = audit(published(v, paragraphs=body(v, first="1、总体情况")))
    message = only(result, "STRUCT-NUMBER")
    assert "1、" in message and "一、" in message
    assert [p.severity.value for p in result.problems] == ["warning"]


def test_missing_part_six_is_an_error() -> None:
    """A report without 六、其他需要报告的事项 is missing a part."""
    v = zeros()
    result = audit(published(v, paragraphs=body(v, drop=6)))
    assert "六、其他需要报告的事项" in only(result, "STRUCT-PART-MISSING")
    assert not result.ok


def test_parts_out_of_order_and_duplicated() -> None:
    """Parts out of order are an error, a part printed twice a warning."""
    v = zeros()
    paragraphs = body(v)
    i, j = paragraphs.index("二、主动公开政府信息情况"), paragraphs.index("三、收到和处理政府信息公开申请情况")
    paragraphs[i], paragraphs[j] = paragraphs[j], paragraphs[i]
    paragraphs.append("六、其他需要报告的事项")
    result = audit(published(v, paragraphs=paragraphs))
    assert {"STRUCT-PART-ORDER", "STRUCT-PART-DUP"} <= set(codes(result))


def test_year_title_period_and_next_year() -> None:
    """Another year in the statistical period, a nonstandard title and no next-year plan are flagged."""
    v = zeros()
    paragraphs = [p.replace(f"自{YEAR}年1月1日", f"自{YEAR - 1}年1月1日").replace(f"{YEAR + 1}年，", "今后，")
                  for p in body(v)]
    result = audit(published(v, paragraphs=paragraphs, title=[f"{UNIT}{YEAR}年度政府信息公开年度报告"]))
    assert f"{YEAR - 1}年1月1日" in only(result, "STRUCT-YEAR")
    assert "不符合" in only(result, "STRUCT-TITLE")
    assert f"{YEAR + 1}年" in only(result, "STRUCT-NEXT-YEAR")


# --- across years and against the composer --------------------------------------------------
def test_previous_report_is_attached() -> None:
    """With last year's report, this year's 上年结转 is checked against last year's 结转下年度."""
    v = zeros()
    last = Report(UNIT, YEAR - 1, VERSION, {"t3.carried_forward.natural": parse_key("t3.carried_forward.natural", 2)})
    result = audit(published(v), last)
    assert "XY-CARRY" in {p.rule for p in result.problems}
    wrong_unit = Report("乙镇人民政府", YEAR - 1, VERSION)
    assert "XY-MATCH" in codes(audit(published(v), wrong_unit))


def as_published(report: Report) -> Published:
    """The project's own composed report, as a reader would give it back."""
    doc = compose(report)
    paragraphs: list[str] = []
    tables = []
    for b in doc.blocks:
        if isinstance(b, (Heading, Paragraph)):
            paragraphs.append(b.text)
        elif isinstance(b, TableBlock):
            tables.append(rows(b.table, b.values))
    return Published("composed.html", "html", list(doc.title), paragraphs, tables)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(t2=table_2(), t3=table_3(), t4=table_4())
def test_composed_reports_audit_clean(t2: dict[str, object], t3: dict[str, object], t4: dict[str, object]) -> None:
    """Whatever the numbers, the prose gxsheet composes agrees with its tables in the audit's eyes."""
    fields = {"overview.active": "本镇主动公开工作正文。", "problems.measures": f"{YEAR + 1}年将继续改进。"}
    report = from_data({"unit": UNIT, "year": YEAR, "fields": fields, "tables": t2 | t3 | t4})
    result = audit(as_published(report))
    assert [(p.code, p.message) for p in result.problems if p.group == "正文"] == []
    assert result.errors == []


# --- real published reports (with the readers) ------------------------------------------------
def read(path: Path) -> Published:
    return read_published(path)


def test_real_page_with_split_header_maps() -> None:
    """pingtan 2021's 表三 (自然人 split over two grid columns) maps to its printed numbers and checks clean."""
    result = audit(read(shared("reports", "pingtan_2021.html")))
    r = result.report
    assert (r.unit, r.year) == ("平潭综合实验区", 2021)
    keys = ("t3.new.natural", "t3.new.nonprofit", "t3.new.other_org", "t3.new.total", "t3.closed.total")
    assert [r.number(k) for k in keys] == [64, 2, 4, 70, 69]
    assert not [p for p in result.problems if p.group in ("表三", "表四", "正文")]


def test_real_page_with_blanks_and_old_label() -> None:
    """shuyang 2023 prints blank cells and the 2019 label 规范性文件: both are findings."""
    result = audit(read(shared("reports", "shuyang_fgj_2023.html")))
    assert result.report.entries["t3.new.commercial"].blank
    assert "FORMAT-2019" in codes(result)
    blank = {k for k in result.mapped.found if result.report.entry(k).blank}
    flagged = [p.key for p in result.problems if p.rule.startswith("BLANK")]
    assert "t3.new.commercial" in blank and sorted(flagged) == sorted(blank)  # each printed blank once, no other


def test_real_text_seed() -> None:
    """The township's text copy maps all 200 cells and its "1、 总体情况" heading is flagged."""
    result = audit(read(shared("seeds", "000_f0f557709e2274f5.txt")))
    assert result.mapped.found == set(ALL_KEYS)
    assert "1、" in only(result, "STRUCT-NUMBER")
    assert result.errors == []


# --- prose against tables with blanks, and outcome words (issue 12 item 5) --------------------
T3_APPLICANTS = tuple(c.key for c in TABLE_3.blocks[0].columns[:-1])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(t3=table_3(), blank=st.sets(st.sampled_from(T3_APPLICANTS)), said=st.integers(0, 40), column=st.booleans())
def test_blank_total_is_the_sum_of_the_applicants(t3: dict[str, object], blank: set[str], said: int,
                                                   column: bool) -> None:
    """With 一's 总计 printed blank (or the whole 总计 column), the prose's 新收 number is compared with
    the applicant columns' sum, blank ones (where 0 belongs) counted as 0, and the message says so."""
    v = complete({c.key: 0 for c in SCHEMA.table_inputs} | t3)
    for col in blank:
        if v[f"t3.new.{col}"] == "0":
            v[f"t3.new.{col}"] = ""
    for key in [k for k in v if k.startswith("t3.") and k.endswith(".total")] if column else ["t3.new.total"]:
        v[key] = ""
    filled = [int(v[f"t3.new.{c}"]) for c in T3_APPLICANTS if v[f"t3.new.{c}"]]
    paragraphs = [p for p in body(v) if "新收" not in p] + [f"本年度新收政府信息公开申请{said}件。"]
    found = [p.message for p in audit(published(v, paragraphs=paragraphs)).problems if p.code == "NARR-NEW"]
    if not filled or said == sum(filled):
        assert found == []
    else:
        assert len(found) == 1
        assert f"正文新收{said}件" in found[0] and f"为{sum(filled)}件" in found[0]
        assert "总计空白，按各类申请人之和计" in found[0]


def test_blank_total_column_finds_a_planted_contradiction() -> None:
    """The 总计 column and the zeros blank, as real reports leave them: "收到申请9件" beside applicants
    giving 5 is still found, and the message says what 5 is."""
    v = requests(3, 2)
    for key in [k for k in v if k.startswith("t3.") and (k.endswith(".total") or v[k] == "0")]:
        v[key] = ""
    paragraphs = [p for p in body(v) if "新收" not in p] + ["本年度收到政府信息公开申请9件，办结5件。"]
    result = audit(published(v, paragraphs=paragraphs))
    message = only(result, "NARR-NEW")
    assert "正文收到9件，表三一、本年新收政府信息公开申请数量·总计为5件" in message
    assert "表三一、本年新收政府信息公开申请数量·总计空白，按各类申请人之和计" in message
    assert "NARR-CLOSED" not in codes(result)  # 办结5件 agrees with the applicants of （七）


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(t3=table_3(), granted=st.integers(0, 20), partial=st.integers(0, 20),
       verb=st.sampled_from(["答复", "办结"]))
def test_outcome_words_before_a_reply_decide_what_it_counts(t3: dict[str, object], granted: int, partial: int,
                                                           verb: str) -> None:
    """"同意公开答复9件" and "部分公开答复0件" are outcomes, never the number closed: each is compared with
    its own row, and （七）总计 is not."""
    v = complete({c.key: 0 for c in SCHEMA.table_inputs} | t3)
    text = f"其中，同意公开{verb}{granted}件，部分公开{verb}{partial}件。"
    problems = [p for p in audit(published(v, paragraphs=body(v, [text]))).problems if p.group == "正文"]
    assert [p.code for p in problems if p.code == "NARR-CLOSED"] == []
    wrong = {"t3.granted.total": granted != int(v["t3.granted.total"]),
             "t3.partial.total": partial != int(v["t3.partial.total"])}
    assert sorted(p.key for p in problems if p.code == "NARR-OUTCOME") == sorted(k for k, bad in wrong.items() if bad)


# --- the 2019 format audited with the rules that applied then (issue 12 item 6) ----------------
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(t3=table_3(), planted=st.booleans(), column=st.sampled_from(TABLE_3.blocks[0].columns))
def test_2019_table_3_is_checked_as_printed(t3: dict[str, object], planted: bool, column: Column) -> None:
    """Whatever its numbers, a 2019 表三 that balances audits clean (its one （六） row standing for the three
    of 2021) and keeps its printed （七）总计; one number of its （六） row changed breaks 2019's own sums."""
    v = complete({c.key: 0 for c in SCHEMA.table_inputs} | t3)
    t3_rows = t3_2019(v)
    if planted:
        at = next(i for i, row in enumerate(t3_rows) if "（六）其他处理" in row)
        j = len(t3_rows[at]) - 7 + TABLE_3.blocks[0].columns.index(column)
        t3_rows[at][j] = str(int(t3_rows[at][j]) + 1)
    result = audit(published(v, tables=[rows(TABLE_2, v), t3_rows, rows(TABLE_4, v)],
                             title=[UNIT, "2020年政府信息公开工作年度报告"]))
    table_rules = {p.rule for p in result.problems if p.group == "表三" and p.rule.startswith("T3")}
    assert result.report.number("t3.closed.total") == Decimal(v["t3.closed.total"])
    assert table_rules == ({"T3-ROW", "T3-RESULT"} if planted else set())


def test_blank_cells_of_a_sum_count_as_zero() -> None:
    """"法人或其他组织5件" beside one 法人 column of 2 and four left blank where 0 belongs: found, and the
    message says the blanks were taken as 0; the agreeing 自然人 sentence is not."""
    v = complete({c.key: 0 for c in SCHEMA.table_inputs} | {"t3.new.natural": 3, "t3.new.commercial": 2,
                                                            "t3.granted.natural": 3, "t3.granted.commercial": 2})
    for key in [k for k in v if k.startswith("t3.new.") and v[k] == "0"]:
        v[key] = ""
    said = "本年度新收政府信息公开申请5件，其中自然人3件、法人或其他组织5件。"
    paragraphs = [p for p in body(v) if "新收" not in p] + [said]
    message = only(audit(published(v, paragraphs=paragraphs)), "NARR-PARTY")
    assert "正文法人或其他组织5件" in message and "为2件" in message and "等4格空白，按0计" in message


PHRASES = (  # how reports say a figure, and the cells it must equal
    ("本年度新收政府信息公开申请{}件。", "NARR-NEW", ("t3.new.total",)),
    ("上年结转政府信息公开申请{}件。", "NARR-CARRIED", ("t3.carried_over.total",)),
    ("本年度共办结{}件。", "NARR-CLOSED", ("t3.closed.total",)),
    ("结转下年度继续办理{}件。", "NARR-FORWARD", ("t3.carried_forward.total",)),
    ("其中予以公开{}件。", "NARR-OUTCOME", ("t3.granted.total",)),
    ("部分公开{}件。", "NARR-OUTCOME", ("t3.partial.total",)),
    ("不予公开{}件。", "NARR-OUTCOME", tuple(f"t3.{r}.total" for r in ("withheld_secret", "withheld_law",
     "withheld_safety", "withheld_third_party", "withheld_internal", "withheld_process", "withheld_enforcement",
     "withheld_inquiry"))),
    ("无法提供{}件。", "NARR-OUTCOME", ("t3.unavailable_not_held.total", "t3.unavailable_needs_making.total",
                                 "t3.unavailable_unclear.total")),
    ("其他处理{}件。", "NARR-OUTCOME", ("t3.other_no_correction.total", "t3.other_unpaid.total",
                                 "t3.other_other.total")),
    ("发生政府信息公开行政复议{}件。", "NARR-REVIEW", ("t4.review.total",)),
    ("发生政府信息公开行政诉讼{}件。", "NARR-LITIGATION", ("t4.direct.total", "t4.after_review.total")),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(t3=table_3(), t4=table_4(), phrase=st.sampled_from(PHRASES), off=st.sampled_from([0, 0, 1, 2, 7]))
def test_each_claim_finds_its_contradiction(t3: dict[str, object], t4: dict[str, object],
                                            phrase: tuple[str, str, tuple[str, ...]], off: int) -> None:
    """Whatever the tables, a sentence quoting a figure is flagged (with both numbers) exactly when it is wrong."""
    text, code, keys = phrase
    v = complete({c.key: 0 for c in SCHEMA.table_inputs} | t3 | t4)
    right = sum(int(v[k]) for k in keys)
    said = right + off
    paragraphs = [p for p in body(v) if "新收" not in p] + [text.format(said)]
    found = [(p.code, p.message) for p in audit(published(v, paragraphs=paragraphs)).problems if p.group == "正文"]
    if off == 0:
        assert found == []
    else:
        assert [c for c, _ in found] == [code]
        assert f"{said}件" in found[0][1] and f"为{right}件" in found[0][1]
