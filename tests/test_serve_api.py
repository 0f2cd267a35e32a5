"""`gxsheet serve` through its HTTP API, against a real server on a loopback port: a round from
creation to the summary, with the same verdicts as `gxsheet check --json`."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from serving import Running, blank_workbook, create_round, good_workbook, running, upload

from gxsheet.crossyear import unit_key
from gxsheet.workbook.reader import read_workbook

UNITS = ["甲镇人民政府", "乙镇人民政府", "丙县教育局"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    with running(tmp_path_factory.mktemp("serve")) as s:
        yield s


def check_json(path: Path) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-m", "gxsheet", "check", "--json", str(path)], capture_output=True,
                          text=True, timeout=120)
    entry = json.loads(done.stdout)["files"][0]
    return dict(entry)


def test_a_new_round_gives_each_unit_its_own_link(server: Running) -> None:
    with server.client() as c:
        made = create_round(c, [*UNITS, " 甲镇人民政府 "])  # a repeated name is one unit
        assert [u["unit"] for u in made["units"]] == UNITS
        tokens = {u["token"] for u in made["units"]}
        assert len(tokens) == 3 and all(len(t) >= 20 for t in tokens)
        assert all(u["url"] == f"{server.base}/u/{u['token']}" for u in made["units"])
        state = c.get(f"/api/rounds/{made['id']}").json()
    assert state["summary"]["missing"] == 3 and state["exit_code"] == 1
    assert {u["status"] for u in state["units"]} == {"missing"}


def test_a_unit_downloads_its_own_workbook(server: Running, tmp_path: Path) -> None:
    with server.client() as c:
        made = create_round(c, UNITS, 2025)
    answer = server.client(admin=False).get(f"/u/{made['units'][1]['token']}/workbook.xlsx")
    assert answer.status_code == 200
    assert "attachment" in answer.headers["content-disposition"]
    path = tmp_path / "wb.xlsx"
    path.write_bytes(answer.content)
    report = read_workbook(path)
    assert (report.unit, report.year) == ("乙镇人民政府", 2025)


def test_uploads_get_the_same_verdict_as_check(server: Running, tmp_path: Path) -> None:
    with server.client() as c:
        made = create_round(c, UNITS)
        rid, unit = made["id"], made["units"][0]
        bad = blank_workbook(tmp_path / "bad.xlsx", unit["unit"])
        answer = upload(server.base, unit["token"], bad)
        assert answer.status_code == 200
        got = answer.json()
        expected = check_json(bad)
        assert got["status"] == "errors" and got["errors"] > 0
        assert {k: v for k, v in got.items() if k not in ("file", "upload")} == \
            {k: v for k, v in expected.items() if k != "file"}
        assert got["file"] == "bad.xlsx"
        assert all(p["sheet"] and p["message"] for p in got["problems"] if p["severity"] == "error")
        state = c.get(f"/api/rounds/{rid}").json()
        row = next(u for u in state["units"] if u["unit"] == unit["unit"])
        assert row["status"] == "errors" and not row["counted"]

        good = good_workbook(tmp_path / "good.xlsx", unit["unit"])
        answer = upload(server.base, unit["token"], good)
        assert answer.json()["status"] == "ok" == check_json(good)["status"]
        state = c.get(f"/api/rounds/{rid}").json()
        row = next(u for u in state["units"] if u["unit"] == unit["unit"])
        assert row["status"] == "ok" and row["counted"]
        assert state["summary"]["counted"] == 1 and state["totals"]["units"] == 1
        history = c.get(f"/api/units/{row['id']}/uploads").json()
        assert [u["status"] for u in history["uploads"]] == ["ok", "errors"]


def test_downloads_of_a_round(server: Running, tmp_path: Path) -> None:
    with server.client() as c:
        made = create_round(c, UNITS)
        rid = made["id"]
        for unit in made["units"][:2]:
            upload(server.base, unit["token"], good_workbook(tmp_path / f"{unit['token']}.xlsx", unit["unit"]))
        summary = c.get(f"/api/rounds/{rid}/summary.xlsx")
        assert summary.status_code == 200
        book = openpyxl.load_workbook(io.BytesIO(summary.content))
        assert "提交情况" in book.sheetnames
        cells = [str(v) for row in book["提交情况"].iter_rows(values_only=True) for v in row if v]
        assert all(any(u in v for v in cells) for u in UNITS)
        reports = zipfile.ZipFile(io.BytesIO(c.get(f"/api/rounds/{rid}/reports.zip").content))
        assert sorted(reports.namelist()) == sorted(f"{u}.{f}" for u in UNITS[:2] for f in ("docx", "html"))
        html = reports.read(f"{UNITS[0]}.html").decode("utf-8")
        assert UNITS[0] in html
        again = zipfile.ZipFile(io.BytesIO(c.get(f"/api/rounds/{rid}/reports.zip").content))  # built once, kept
        assert all(again.read(n) == reports.read(n) for n in reports.namelist())
        rollup = c.get(f"/api/rounds/{rid}/rollup.docx")
        assert rollup.status_code == 200 and rollup.content[:2] == b"PK"
        links = c.get(f"/api/rounds/{rid}/links.csv").content.decode("utf-8-sig").splitlines()
        assert links[0] == "单位,链接" and len(links) == 4
        assert all(f"/u/{u['token']}" in "\n".join(links) for u in made["units"])
        printable = c.get(f"/admin/rounds/{rid}/links").text
        assert all(u["token"] in printable for u in made["units"])


def test_review_states_and_comments_reach_the_unit(server: Running, tmp_path: Path) -> None:
    with server.client() as c:
        made = create_round(c, UNITS)
        rid, unit = made["id"], made["units"][2]
        uid = next(u["id"] for u in c.get(f"/api/rounds/{rid}").json()["units"] if u["unit"] == unit["unit"])
        assert c.post(f"/api/units/{uid}/review", json={"state": "approved"}).status_code == 409  # nothing passed
        good = good_workbook(tmp_path / "good.xlsx", unit["unit"])
        assert upload(server.base, unit["token"], good).json()["status"] == "ok"
        again = upload(server.base, unit["token"], good)
        assert again.status_code == 409  # passed: closed until the office reopens it
        answer = c.post(f"/api/units/{uid}/review", json={"state": "returned", "comment": "第二部分内容过简，请补充"})
        assert answer.status_code == 200
        page = server.client(admin=False).get(f"/u/{unit['token']}").text
        assert "退回修改" in page and "第二部分内容过简，请补充" in page
        assert upload(server.base, unit["token"], good).json()["status"] == "ok"  # open again after 退回修改
        assert c.post(f"/api/units/{uid}/review", json={"state": "approved", "comment": "好"}).status_code == 200
        row = next(u for u in c.get(f"/api/rounds/{rid}").json()["units"] if u["unit"] == unit["unit"])
        assert row["review"]["state"] == "approved"
        assert c.post(f"/api/units/{uid}/review", json={"state": "reopened"}).status_code == 200
        assert upload(server.base, unit["token"], good).status_code == 200
        log = c.get(f"/api/rounds/{rid}/log").json()["log"]
    actions = [(e["action"], e["who"]) for e in reversed(log)]
    assert actions == [("round", "管理员"), ("upload", unit["unit"]), ("review", "管理员"), ("upload", unit["unit"]),
                       ("review", "管理员"), ("review", "管理员"), ("upload", unit["unit"])]
    assert all(e["at"] for e in log)


def test_last_years_round_prefills_this_years_workbooks(server: Running, tmp_path: Path) -> None:
    from gxsheet.distribute import from_previous

    with server.client() as c:
        last = create_round(c, UNITS[:1], 2024)
        good = good_workbook(tmp_path / "last.xlsx", UNITS[0], 2024)
        assert upload(server.base, last["units"][0]["token"], good).json()["status"] == "ok"
        this = create_round(c, UNITS, 2025, previous=last["id"])
    assert [u["previous"] for u in this["units"]] == [True, False, False]
    other = upload(server.base, this["units"][1]["token"], good_workbook(tmp_path / "b.xlsx", UNITS[1], 2025)).json()
    assert [p["code"] for p in other["problems"]] == ["XY-MATCH"]  # as `check --previous` says: no such unit last year
    assert UNITS[1] in other["problems"][0]["message"]
    answer = server.client(admin=False).get(f"/u/{this['units'][0]['token']}/workbook.xlsx")
    path = tmp_path / "this.xlsx"
    path.write_bytes(answer.content)
    carried, locked = from_previous(read_workbook(good))
    assert carried and locked
    report = read_workbook(path)
    for key, value in carried.items():
        assert report.entry(key).value == value, key
    assert unit_key(report.unit) == unit_key(UNITS[0]) and report.year == 2025


def test_a_round_from_the_form_with_a_gbk_list_and_last_years_folder(server: Running, tmp_path: Path) -> None:
    import re

    last = tmp_path / "2024年"
    last.mkdir()
    good_workbook(last / "甲.xlsx", UNITS[0], 2024)
    c = server.client(admin=False, follow_redirects=False)
    c.get(f"/admin?token={server.admin}")
    match = re.search(r'name="csrf" value="([0-9a-f]+)"', c.get("/admin").text)
    assert match
    listed = "单位名称\r\n甲镇人民政府\r\n丙县教育局\r\n".encode("gb18030")  # as Excel on Chinese Windows saves it
    answer = c.post("/admin/rounds", data={"csrf": match.group(1), "year": "2025", "units": "乙镇人民政府",
                                           "previous_folder": str(last)},
                    files={"units_file": ("名单.csv", listed, "text/csv")})
    assert answer.status_code == 303
    rid = int(answer.headers["location"].rsplit("/", 1)[1])
    import shutil

    shutil.rmtree(last)  # the round keeps its own copy of last year's files
    state = server.client().get(f"/api/rounds/{rid}").json()
    assert sorted(u["unit"] for u in state["units"]) == sorted(UNITS)
    page = c.get(f"/admin/rounds/{rid}").text
    assert all(u in page for u in UNITS)
    token = re.search(r"/u/([\w-]+)", c.get(f"/admin/rounds/{rid}/links").text.split(UNITS[0], 1)[1])
    assert token
    path = tmp_path / "wb.xlsx"
    path.write_bytes(server.client(admin=False).get(f"/u/{token.group(1)}/workbook.xlsx").content)
    assert read_workbook(path).number("t3.carried_over.total") is not None  # carried from last year's folder


def test_other_commands_never_load_the_web_server() -> None:
    code = "import sys, gxsheet.cli; print(sorted({m.split('.')[0] for m in sys.modules} & {'starlette', 'uvicorn'}))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "[]"


def test_a_busy_port_is_one_chinese_line(server: Running, tmp_path: Path) -> None:
    port = server.base.rsplit(":", 1)[1]
    done = subprocess.run([sys.executable, "-m", "gxsheet", "serve", str(tmp_path / "x"), "--port", port],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "端口已被占用" in done.stderr and "Traceback" not in done.stderr


def test_an_unreadable_unit_list_is_said_not_ignored(server: Running) -> None:
    import re

    c = server.client(admin=False, follow_redirects=False)
    c.get(f"/admin?token={server.admin}")
    match = re.search(r'name="csrf" value="([0-9a-f]+)"', c.get("/admin").text)
    assert match
    answer = c.post("/admin/rounds", data={"csrf": match.group(1), "year": "2025", "units": "乙镇人民政府"},
                    files={"units_file": ("名单.xlsx", b"not a workbook", "application/octet-stream")})
    assert answer.status_code == 400
    assert "“名单.xlsx”" in answer.text and "gxserve-" not in answer.text


def test_every_office_file_served_is_valid_ooxml(server: Running, tmp_path: Path) -> None:
    from ooxml import schema_errors

    with server.client() as c:
        made = create_round(c, UNITS[:2])
        rid, (a, b) = made["id"], made["units"]
        bad = upload(server.base, a["token"], blank_workbook(tmp_path / "bad.xlsx", a["unit"])).json()
        upload(server.base, b["token"], good_workbook(tmp_path / "good.xlsx", b["unit"]))
        unit = server.client(admin=False)
        files = {"workbook.xlsx": unit.get(f"/u/{a['token']}/workbook.xlsx").content,
                 "marked.xlsx": unit.get(f"/u/{a['token']}/uploads/{bad['upload']}/marked.xlsx").content,
                 "summary.xlsx": c.get(f"/api/rounds/{rid}/summary.xlsx").content,
                 "rollup.docx": c.get(f"/api/rounds/{rid}/rollup.docx").content}
        reports = zipfile.ZipFile(io.BytesIO(c.get(f"/api/rounds/{rid}/reports.zip").content))
        files["report.docx"] = reports.read(f"{b['unit']}.docx")
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        assert schema_errors(path) == [], name
    marked = read_workbook(tmp_path / "marked.xlsx")
    assert marked.unit == a["unit"]
