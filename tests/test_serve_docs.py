"""docs/http.md is kept honest: its route table is exactly the server's routes, and every key its
JSON examples show is in what a real server answers."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from conftest import ROOT
from serving import blank_workbook, create_round, good_workbook, running, upload
from test_json_docs import paths

DOC = ROOT / "docs" / "http.md"


def documented_routes() -> set[tuple[str, str]]:
    rows = re.findall(r"^\| (GET|POST) \| `([^`]+)` \|", DOC.read_text(encoding="utf-8"), flags=re.M)
    return {(m, re.sub(r"\{[^}]+\}", "{}", p)) for m, p in rows}


def examples() -> dict[tuple[str, str], Any]:
    """The JSON example under each `## \\`METHOD /path\\`` heading."""
    found = {}
    for section in re.split(r"^## ", DOC.read_text(encoding="utf-8"), flags=re.M)[1:]:
        head = re.match(r"`(GET|POST) ([^`]+)`", section)
        block = re.search(r"```json\n(.*?)```", section, flags=re.S)
        if head and block:
            found[(head.group(1), head.group(2))] = json.loads(block.group(1))
    return found


def test_the_route_table_is_the_servers(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from gxsheet.serve.app import Server, build
    from gxsheet.serve.store import Store

    store = Store(tmp_path)
    try:
        app = build(Server(store, ThreadPoolExecutor(1)))
        real = {(m, re.sub(r"\{[^}]+\}", "{}", r.path)) for r in app.routes  # type: ignore[attr-defined]
                for m in (r.methods or ()) if m != "HEAD"}  # type: ignore[attr-defined]
    finally:
        store.close()
    assert documented_routes() == real


def test_every_documented_key_is_answered(tmp_path: Path) -> None:
    docs = examples()
    assert len(docs) == 7
    with running(tmp_path / "office") as s, s.client() as c:
        last = create_round(c, ["甲镇人民政府"], 2024)
        upload(s.base, last["units"][0]["token"], good_workbook(tmp_path / "g.xlsx", "甲镇人民政府", 2024))
        made = create_round(c, ["甲镇人民政府", "乙镇人民政府"], 2025, previous=last["id"])
        rid = made["id"]
        token = made["units"][0]["token"]
        answer = upload(s.base, token, blank_workbook(tmp_path / "b.xlsx", "甲镇人民政府", 2025)).json()
        good = upload(s.base, token, good_workbook(tmp_path / "g5.xlsx", "甲镇人民政府", 2025)).json()
        assert good["status"] == "ok"
        uid = next(u["id"] for u in c.get(f"/api/rounds/{rid}").json()["units"] if u["unit"] == "甲镇人民政府")
        reviewed = c.post(f"/api/units/{uid}/review", json={"state": "returned", "comment": "请补充"}).json()
        real = {
            ("POST", "/api/rounds"): made,
            ("GET", "/api/rounds"): c.get("/api/rounds").json(),
            ("GET", "/api/rounds/{id}"): c.get(f"/api/rounds/{rid}").json(),
            ("POST", "/u/{token}/upload"): answer,
            ("POST", "/api/units/{unit_id}/review"): reviewed,
            ("GET", "/api/units/{unit_id}/uploads"): c.get(f"/api/units/{uid}/uploads").json(),
            ("GET", "/api/rounds/{id}/log"): c.get(f"/api/rounds/{rid}/log").json(),
        }
    assert set(docs) == set(real)
    for route, example in docs.items():
        missing = paths(example) - paths(real[route])
        assert not missing, f"{route}: documented but not answered: {sorted(missing)}"
