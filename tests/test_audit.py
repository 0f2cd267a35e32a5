"""Published reports: tables mapped to schema keys by their labels, prose and structure audited."""

from __future__ import annotations

from collections.abc import Mapping
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
from gxsheet.published.mapping import V2019, V2021, to_report
from gxsheet.published.model import Published
from gxsheet.published.reader import read_published
from gxsheet.report import Report
from gxsheet.schema import SCHEMA, VERSION
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
    result = audit(published(v, tables=[TABLE_2_2019, rows(TABLE_3, v), rows(TABLE_4, v)]))
    assert result.mapped.versions["表二"] == V2019
    assert not any(k.startswith("t2.") for k in result.report.entries)
    message = only(result, "MAP-T2-2019")
    assert "表二" in message and "2019" in message and "本年新制作数量" in message
    assert not any(p.rule.startswith("BLANK") for p in result.problems)
    assert "FORMAT-2019" in codes(result)


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
    assert "t3.other_no_correction.natural" not in result.report.entries
    assert "未分" in only(result, "MAP-T3-2019")
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
