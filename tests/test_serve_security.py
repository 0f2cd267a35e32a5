"""`gxsheet serve` refuses what it must: wrong and absent tokens, another unit's files, forged forms,
oversized and hostile uploads, path traversal in file names; and it keeps uploads append-only."""

from __future__ import annotations

import random
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fuzzing import make_input
from serving import Running, blank_workbook, create_round, good_workbook, running, upload

from gxsheet.serve.store import DB_NAME

UNITS = ["柴胡店镇人民政府", "乙镇人民政府"]
ADMIN_GETS = ["/admin", "/admin/rounds/{rid}", "/admin/rounds/{rid}/links", "/admin/rounds/{rid}/log",
              "/admin/rounds/{rid}/units/{uid}",
              "/api/rounds", "/api/rounds/{rid}", "/api/rounds/{rid}/summary.xlsx", "/api/rounds/{rid}/reports.zip",
              "/api/rounds/{rid}/rollup.docx", "/api/rounds/{rid}/links.csv", "/api/rounds/{rid}/log",
              "/api/units/{uid}/uploads", "/api/uploads/{upid}/file"]
ADMIN_POSTS = ["/api/rounds", "/admin/rounds", "/api/units/{uid}/review", "/admin/rounds/{rid}/units/{uid}/review"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    with running(tmp_path_factory.mktemp("serve")) as s:
        yield s


@pytest.fixture(scope="module")
def made(server: Running, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    with server.client() as c:
        made = create_round(c, UNITS)
        rid = made["id"]
        first = made["units"][0]
        answer = upload(server.base, first["token"], blank_workbook(tmp_path_factory.mktemp("b") / "b.xlsx", UNITS[0]))
        uid = next(u["id"] for u in c.get(f"/api/rounds/{rid}").json()["units"] if u["unit"] == UNITS[0])
        assert c.post(f"/api/units/{uid}/review", json={"state": "comment", "comment": "请尽快填写"}).status_code == 200
    return {**made, "rid": rid, "uid": uid, "upid": answer.json()["upload"]}


def fill(path: str, made: dict[str, object]) -> str:
    return path.format(rid=made["rid"], uid=made["uid"], upid=made["upid"])


def count_uploads(server: Running) -> int:
    with sqlite3.connect(server.folder / DB_NAME) as db:
        return int(db.execute("SELECT COUNT(*) FROM uploads").fetchone()[0])


@pytest.mark.parametrize("path", ADMIN_GETS)
def test_admin_pages_need_the_admin(server: Running, made: dict[str, object], path: str) -> None:
    url = fill(path, made)
    assert server.client(admin=False).get(url).status_code == 401
    assert server.client(admin=False, headers={"Authorization": "Bearer wrong"}).get(url).status_code == 401
    assert server.client(admin=False, cookies={"gxsheet_admin": "forged"}).get(url).status_code == 401
    assert server.client().get(url).status_code in (200, 409)  # 409: no unit has passed yet, nothing to roll up


@pytest.mark.parametrize("path", ADMIN_POSTS)
def test_admin_actions_need_the_admin(server: Running, made: dict[str, object], path: str) -> None:
    answer = server.client(admin=False).post(fill(path, made), json={"year": 2024, "units": ["x"]})
    assert answer.status_code == 401


def test_a_wrong_token_is_not_found_and_gives_no_hint(server: Running, made: dict[str, object],
                                                      tmp_path: Path) -> None:
    c = server.client(admin=False)
    real = made["units"][0]["token"]  # type: ignore[index]
    for token in ("nope", real[:-1], real + "x", server.admin, "..%2Fadmin", "%00"):
        for path in ("/u/{}", "/u/{}/workbook.xlsx"):
            answer = c.get(path.format(token))
            assert answer.status_code == 404, (path, token)
            assert UNITS[0] not in answer.text
        before = count_uploads(server)
        answer = upload(server.base, token, good_workbook(tmp_path / "g.xlsx", UNITS[0]))
        assert answer.status_code == 404 and count_uploads(server) == before
    # another unit's token cannot reach this unit's marked copy
    other = made["units"][1]["token"]  # type: ignore[index]
    assert c.get(f"/u/{real}/uploads/{made['upid']}/marked.xlsx").status_code == 200
    assert c.get(f"/u/{other}/uploads/{made['upid']}/marked.xlsx").status_code == 404


def test_another_units_or_years_workbook_is_rejected(server: Running, made: dict[str, object],
                                                     tmp_path: Path) -> None:
    token = made["units"][1]["token"]  # type: ignore[index]
    answer = upload(server.base, token, good_workbook(tmp_path / "a.xlsx", UNITS[0]))
    assert answer.status_code == 422
    assert answer.json()["status"] == "rejected" and UNITS[0] in answer.json()["error"]["message"]
    answer = upload(server.base, token, good_workbook(tmp_path / "y.xlsx", UNITS[1], 2023))
    assert answer.status_code == 422 and "2023年" in answer.json()["error"]["message"]
    state = server.client().get(f"/api/rounds/{made['rid']}").json()
    assert next(u for u in state["units"] if u["unit"] == UNITS[1])["status"] == "missing"
    page = server.client(admin=False).get(f"/u/{token}").text
    assert "未采用" in page


def test_the_admin_link_sets_a_strict_httponly_cookie(server: Running) -> None:
    c = server.client(admin=False, follow_redirects=False)
    assert c.get("/admin?token=wrong").status_code == 401
    answer = c.get(f"/admin?token={server.admin}")
    assert answer.status_code == 303 and answer.headers["location"] == "/admin"
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict") and "Path=/" in cookie
    assert server.admin not in cookie
    assert c.get("/admin").status_code == 200  # the cookie now opens the dashboard


def test_forms_without_their_csrf_token_are_refused(server: Running, made: dict[str, object],
                                                    tmp_path: Path) -> None:
    c = server.client(admin=False, follow_redirects=False)
    c.get(f"/admin?token={server.admin}")
    page = c.get("/admin").text
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert csrf
    form = {"year": "2024", "units": "丁镇人民政府"}
    assert c.post("/admin/rounds", data=form, files={"units_file": ("", b"")}).status_code == 403
    assert c.post("/admin/rounds", data={**form, "csrf": "0" * 64}, files={"units_file": ("", b"")}).status_code == 403
    assert c.post("/admin/rounds", data={**form, "csrf": csrf.group(1)},
                  files={"units_file": ("", b"")}).status_code == 303
    # a unit's upload form: its token alone is not enough from a browser form
    token = made["units"][1]["token"]  # type: ignore[index]
    good = good_workbook(tmp_path / "g.xlsx", UNITS[1])
    before = count_uploads(server)
    answer = httpx.post(f"{server.base}/u/{token}/upload", files={"file": ("g.xlsx", good.read_bytes())})
    assert answer.status_code == 403 and count_uploads(server) == before
    unit_csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', httpx.get(f"{server.base}/u/{token}").text)
    assert unit_csrf and unit_csrf.group(1) != csrf.group(1)
    answer = httpx.post(f"{server.base}/u/{token}/upload", data={"csrf": unit_csrf.group(1)},
                        files={"file": ("g.xlsx", good.read_bytes())}, follow_redirects=True)
    assert answer.status_code == 200 and "通过校验" in answer.text and count_uploads(server) == before + 1
    assert "刚才上传的结果" in answer.text and "?upload=" in str(answer.url)


def test_an_oversized_upload_is_413_and_not_kept(server: Running, made: dict[str, object]) -> None:
    token = made["units"][0]["token"]  # type: ignore[index]
    before = count_uploads(server)
    big = b"PK\x03\x04" + b"\0" * (21 * 1024 * 1024)
    answer = httpx.post(f"{server.base}/u/{token}/upload", files={"file": ("big.xlsx", big)},
                        headers={"Accept": "application/json"}, timeout=60)
    assert answer.status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams in
        boundary = b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.xlsx\"\r\n\r\n"
        yield boundary
        for _ in range(22):
            yield b"\0" * (1024 * 1024)

    answer = httpx.post(f"{server.base}/u/{token}/upload", content=chunks(), timeout=60,
                        headers={"Content-Type": "multipart/form-data; boundary=x", "Accept": "application/json"})
    assert answer.status_code == 413
    answer = server.client().post("/admin/rounds", content=chunks(), timeout=60,
                                  headers={"Content-Type": "multipart/form-data; boundary=x"})
    assert answer.status_code == 413  # the office's forms too
    assert count_uploads(server) == before


def test_hostile_uploads_are_judged_never_served_as_markup(server: Running, made: dict[str, object],
                                                           tmp_path: Path) -> None:
    token = made["units"][0]["token"]  # type: ignore[index]
    rng = random.Random(14)
    cases = [make_input("xlsx", rng) for _ in range(12)]
    cases += [(".xlsx", b"<html><script>alert(1)</script></html>"), (".xlsx", b""), (".xls", b"\xd0\xcf\x11\xe0junk")]
    for i, (suffix, data) in enumerate(cases):
        path = tmp_path / f"{i}{suffix}"
        path.write_bytes(data)
        answer = upload(server.base, token, path, name=f"<img src=x onerror=alert({i})>{suffix}")
        assert answer.status_code in (200, 409, 422), answer.text
        if answer.status_code == 409:
            break  # one mutation still passed: the unit is closed, as after any pass
        assert answer.json()["status"] in ("ok", "errors", "unreadable", "rejected")
    page = httpx.get(f"{server.base}/u/{token}")
    assert page.status_code == 200 and "<img" not in page.text and "&lt;img src=x onerror=alert(" in page.text
    assert "script-src" not in page.headers["content-security-policy"]  # default-src 'none': no script at all
    assert page.headers["referrer-policy"] == "no-referrer" and page.headers["x-content-type-options"] == "nosniff"


def test_a_path_in_the_file_name_stays_a_name(server: Running, made: dict[str, object], tmp_path: Path) -> None:
    token = made["units"][1]["token"]  # type: ignore[index]
    bad = blank_workbook(tmp_path / "b.xlsx", UNITS[1])
    inside = set(server.folder.rglob("*"))
    for name in ("../../../../tmp/evil.xlsx", "..\\..\\evil.xlsx", "/etc/passwd", "a\x00b.xlsx"):
        answer = upload(server.base, token, bad, name=name)
        assert answer.status_code in (200, 409)
        if answer.status_code == 200:
            assert "/" not in answer.json()["file"] and "\\" not in answer.json()["file"]
    assert not Path("/tmp/evil.xlsx").exists()
    new = set(server.folder.rglob("*")) - inside
    assert all(p.is_relative_to(server.folder / "files") for p in new)


def test_uploads_reviews_and_log_are_append_only(server: Running, made: dict[str, object]) -> None:
    with sqlite3.connect(server.folder / DB_NAME) as db:
        for sql in ("UPDATE uploads SET status='ok'", "DELETE FROM uploads", "DELETE FROM log",
                    "UPDATE log SET who='x'", "DELETE FROM reviews"):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                db.execute(sql)


def test_the_admin_link_file_is_for_its_owner_only(server: Running) -> None:
    link = server.folder / "管理员链接.txt"
    assert link.stat().st_mode & 0o777 == 0o600
    assert server.admin in link.read_text(encoding="utf-8")


def test_the_original_upload_comes_back_as_an_attachment(server: Running, tmp_path: Path) -> None:
    with server.client() as c:
        token = create_round(c, ["戊镇人民政府"])["units"][0]["token"]
    page = tmp_path / "p.xlsx"
    page.write_bytes(b"<html><body onload=alert(1)>hi</body></html>")
    answer = upload(server.base, token, page, name='报告"; filename="x.html')
    assert answer.status_code == 200 and answer.json()["status"] == "unreadable"
    back = server.client().get(f"/api/uploads/{answer.json()['upload']}/file")
    assert back.content == page.read_bytes()
    assert back.headers["content-type"] == "application/octet-stream"
    header = back.headers["content-disposition"]
    assert re.fullmatch(r'attachment; filename="download\.[a-z0-9]{1,8}"; filename\*=UTF-8\'\'[^\s";]+', header), header


def test_no_page_loads_anything_from_outside(server: Running, made: dict[str, object]) -> None:
    admin = server.client()
    unit = server.client(admin=False)
    token = made["units"][0]["token"]  # type: ignore[index]
    pages = [admin.get(fill(p, made)).text for p in ("/admin", "/admin/rounds/{rid}", "/admin/rounds/{rid}/links",
                                                     "/admin/rounds/{rid}/log", "/admin/rounds/{rid}/units/{uid}")]
    pages += [unit.get(f"/u/{token}").text, unit.get("/").text, unit.get("/u/nope").text]
    for page in pages:
        assert "<script" not in page and "@import" not in page and "url(" not in page
        for target in re.findall(r'(?:src|href|action)="([^"]*)"', page):
            assert target.startswith(("/", "#")), target
