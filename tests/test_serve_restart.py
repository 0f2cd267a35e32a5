"""Stopping `gxsheet serve` in the middle of a round and starting it again on the same folder loses nothing."""

from __future__ import annotations

from pathlib import Path

from serving import blank_workbook, create_round, good_workbook, running, upload


def test_a_restart_in_the_middle_of_a_round_loses_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "office"
    units = ["甲镇人民政府", "乙镇人民政府", "丙镇人民政府"]
    with running(folder) as first:
        with first.client() as c:
            made = create_round(c, units)
            rid = made["id"]
            a, b, _ = made["units"]
            upload(first.base, a["token"], blank_workbook(tmp_path / "a1.xlsx", a["unit"]))
            upload(first.base, a["token"], good_workbook(tmp_path / "a2.xlsx", a["unit"]))
            upload(first.base, b["token"], blank_workbook(tmp_path / "b1.xlsx", b["unit"]))
            uid = next(u["id"] for u in c.get(f"/api/rounds/{rid}").json()["units"] if u["unit"] == b["unit"])
            c.post(f"/api/units/{uid}/review", json={"state": "comment", "comment": "表三第二行请核对"})
            before = c.get(f"/api/rounds/{rid}").json()
            log = c.get(f"/api/rounds/{rid}/log").json()
            history = c.get(f"/api/units/{uid}/uploads").json()
            workbook = first.client(admin=False).get(f"/u/{b['token']}/workbook.xlsx").content
    files = sorted(p.relative_to(folder) for p in (folder / "files").rglob("*.xlsx"))
    with running(folder) as second:
        assert second.admin == first.admin  # the admin link sent round still works
        with second.client() as c:
            assert c.get(f"/api/rounds/{rid}").json() == before
            assert c.get(f"/api/rounds/{rid}/log").json() == log
            assert c.get(f"/api/units/{uid}/uploads").json() == history
        page = second.client(admin=False).get(f"/u/{b['token']}").text
        assert "表三第二行请核对" in page and "b1.xlsx" in page
        assert second.client(admin=False).get(f"/u/{b['token']}/workbook.xlsx").content == workbook
        assert upload(second.base, b["token"], good_workbook(tmp_path / "b2.xlsx", b["unit"])).json()["status"] == "ok"
    assert set(files) <= {p.relative_to(folder) for p in (folder / "files").rglob("*.xlsx")}
    assert before["summary"]["ok"] == 1 and before["summary"]["errors"] == 1 and before["summary"]["missing"] == 1
