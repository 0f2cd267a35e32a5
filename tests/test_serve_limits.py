"""A check that takes too long: stopped, said in Chinese, the upload kept and logged, the server still answering."""

from __future__ import annotations

from pathlib import Path

import pytest
from serving import create_round, good_workbook, running, upload

from gxsheet.serve import check_limit

UNIT = "甲镇人民政府"


def test_a_check_over_the_time_limit_is_stopped_and_kept(tmp_path: Path) -> None:
    # A limit no check can meet (starting a worker alone takes longer): every upload runs into it.
    with running(tmp_path / "serve", env={"GXSHEET_SERVE_CHECK_SECONDS": "0.001"}) as server:
        good = good_workbook(tmp_path / "good.xlsx", UNIT)
        with server.client() as c:
            made = create_round(c, [UNIT])
            rid, token = made["id"], made["units"][0]["token"]
            for _ in range(2):  # the second upload meets the pool that replaced the first one's
                answer = upload(server.base, token, good)
                assert answer.status_code == 200, answer.text
                verdict = answer.json()
                assert verdict["status"] == "unreadable"
                assert verdict["error"]["code"] == "TOO-SLOW"
                assert "超过 0.001 秒" in verdict["error"]["message"] and "无法读取" in verdict["error"]["message"]
            row = c.get(f"/api/rounds/{rid}").json()["units"][0]
            assert row["status"] == "unreadable" and row["error"]["code"] == "TOO-SLOW"
            uid = row["id"]
            ups = c.get(f"/api/units/{uid}/uploads").json()["uploads"]
            assert [u["status"] for u in ups] == ["unreadable", "unreadable"]
            assert c.get(f"/api/uploads/{ups[0]['id']}/file").content == good.read_bytes()  # the file is kept
            log = c.get(f"/api/rounds/{rid}/log").json()["log"]
            assert [(e["action"], e["detail"].get("status")) for e in reversed(log)] == [
                ("round", None), ("upload", "unreadable"), ("upload", "unreadable")]
            page = server.client(admin=False).get(f"/u/{token}").text
            assert "超过 0.001 秒" in page


@pytest.mark.parametrize(("raw", "limit"), [("", 60.0), ("5", 5.0), ("0.5", 0.5), ("0", 60.0), ("-1", 60.0),
                                            ("abc", 60.0), ("inf", 60.0), ("nan", 60.0)])
def test_the_limit_from_the_environment(raw: str, limit: float) -> None:
    assert check_limit(raw, 60.0) == limit
