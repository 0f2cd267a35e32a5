"""The office's pages and API: rounds, the dashboard, downloads, one unit's history and its review.

Every handler here is wrapped by admin_only: the admin token as a Bearer header, or the session
cookie set from the admin link (then a POST must carry the CSRF token too); otherwise 401.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from . import rounds as r
from .answers import (
    DOCX,
    XLSX,
    as_int,
    bad,
    base_url,
    display_name,
    download,
    not_found,
    suffix,
    unauthorized,
    wants_json,
)
from .judge import reports as make_reports
from .limits import MAX_UPLOAD
from .pages import STATES, render
from .store import Store, Unit, Upload
from .tokens import new_token, same
from .unit import server_of, state_of, unit_context

COOKIE = "gxsheet_admin"
ADMIN = "管理员"  # who the log names for the office's actions
MAX_UNITS = 20_000
Handler = Callable[[Request], Awaitable[Response]]


def admin_only(handler: Handler) -> Handler:
    async def wrapped(request: Request) -> Response:
        server = server_of(request)
        if not server.is_admin(request):
            return unauthorized(request)
        if request.method == "POST" and not server.bearer(request):
            sent = request.headers.get("x-csrf-token")
            if sent is None and "form" in request.headers.get("content-type", ""):
                sent = str((await request.form()).get("csrf", ""))  # kept by Starlette for the handler
            if not same(sent, server.csrf("admin")):
                return bad(request, "表单已失效，请刷新页面后重试", 403)
        return await handler(request)
    return wrapped


def _store(request: Request) -> Store:
    return server_of(request).store


def _round(request: Request) -> dict[str, Any] | None:
    return _store(request).round(int(request.path_params["rid"]))


def _admin_unit(request: Request) -> Unit | None:
    return _store(request).unit(int(request.path_params["uid"]))


def _sent_json(request: Request) -> bool:
    return "json" in request.headers.get("content-type", "")


async def _body(request: Request) -> dict[str, Any] | None:
    """A JSON request's object, or None when it is not one."""
    try:
        body = json.loads(await request.body())
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


# --- home and the admin session -----------------------------------------------------------

async def home(request: Request) -> Response:
    return render("home.html", {"title": "政府信息公开工作年度报告 网上收集"})


async def dashboard(request: Request) -> Response:
    """/admin: with ?token= from the admin link, set the session cookie and take the token out of the address."""
    server = server_of(request)
    token = request.query_params.get("token")
    if token is not None:
        if not same(token, server.admin_token):
            return unauthorized(request)
        response = RedirectResponse("/admin", 303)
        response.set_cookie(COOKIE, server.session, httponly=True, samesite="strict", path="/")
        return response
    if not server.is_admin(request):
        return unauthorized(request)
    rows = await run_in_threadpool(server.store.rounds)
    return render("admin.html", {"title": "网上收集：管理", "rounds": rows, "csrf": server.csrf("admin")})


# --- rounds --------------------------------------------------------------------------------

async def create_round(request: Request) -> Response:
    store = _store(request)
    if _sent_json(request):
        body = await _body(request)
        if body is None:
            return bad(request, "请求内容应为一个 JSON 对象")
        year, units, previous = body.get("year"), body.get("units"), body.get("previous")
        folder, name = body.get("previous_folder"), body.get("name")
    else:
        form = await request.form()
        units, problem = await _form_units(form)
        if problem:
            return bad(request, problem)
        year = as_int(form.get("year"))
        previous = as_int(form.get("previous")) if form.get("previous") else None
        folder, name = form.get("previous_folder") or None, form.get("name")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        return bad(request, "报告年度应为2000至2100之间的年份")
    if not isinstance(units, list) or not all(isinstance(u, str) for u in units):
        return bad(request, "单位名单应为单位名称的列表")
    names = list(dict.fromkeys(n.strip() for n in units if n.strip()))
    if not names or len(names) > MAX_UNITS:
        return bad(request, "单位名单中没有单位名称" if not names else f"单位名单超过{MAX_UNITS}个")
    if previous is not None and (not isinstance(previous, int) or store.round(previous) is None):
        return bad(request, f"没有编号为{previous}的上一轮")
    prior = Path(str(folder)) if folder else None
    if prior is not None and not prior.exists():
        return bad(request, f"上年文件或文件夹 {prior} 不存在")
    title = str(name or "").strip()[:60] or f"{year}年政府信息公开工作年度报告"
    carried = await run_in_threadpool(r.previous_files, store, names, previous, prior)
    from ..crossyear import unit_key

    # "" when the round has last year's data but not this unit's: its checks then say so, as check --previous does
    missing = "" if previous is not None or prior is not None else None
    rows = [(n, new_token(), carried.get(unit_key(n), missing)) for n in names]
    rid = await run_in_threadpool(store.create_round, year, title, rows, previous, ADMIN)
    if _sent_json(request) or wants_json(request):
        base = base_url(request)
        return JSONResponse({"id": rid, "year": year, "name": title, "units": [
            {"unit": n, "token": t, "url": f"{base}/u/{t}", "previous": bool(p)} for n, t, p in rows]}, 201)
    return RedirectResponse(f"/admin/rounds/{rid}", 303)


async def list_rounds(request: Request) -> Response:
    return JSONResponse({"rounds": await run_in_threadpool(_store(request).rounds)})


async def round_json(request: Request) -> Response:
    """The round in the `collect --json` shape, with each unit's id and latest review."""
    store, info = _store(request), _round(request)
    if info is None:
        return not_found(request)
    data = await run_in_threadpool(r.round_json, store, info)
    return Response(data, media_type="application/json")


async def round_page(request: Request) -> Response:
    store, info = _store(request), _round(request)
    if info is None:
        return not_found(request)
    rows, counts = await run_in_threadpool(_dashboard, store, info["id"])
    return render("round.html", {"title": info["name"], "round": info, "rows": rows, "counts": counts,
                                 "log": store.log(info["id"], 30)})


async def summary(request: Request) -> Response:
    store, info = _store(request), _round(request)
    if info is None:
        return not_found(request)
    outcome = await run_in_threadpool(r.collection, store, info["id"])
    data = await run_in_threadpool(r.summary_xlsx, outcome)
    return download(data, f"{info['name']}汇总.xlsx", XLSX)


async def reports(request: Request) -> Response:
    """Each passing unit's .docx and .html: built once per upload in the worker pool and kept, then zipped."""
    server, info = server_of(request), _round(request)
    if info is None:
        return not_found(request)
    store = server.store
    current = store.current(info["id"])
    passing = [(u, current[u.id].id, current[u.id].hash) for u in store.units(info["id"])
               if u.id in current and current[u.id].status == "ok"]
    built = await run_in_threadpool(store.reports, [upload_id for _, upload_id, _ in passing])
    todo = [(u, upload_id, digest) for u, upload_id, digest in passing if upload_id not in built]
    made = await asyncio.gather(*(server.run(make_reports, str(store.path_of(digest, ".xlsx")), u.previous_path,
                                             str(store.root)) for u, _, digest in todo))
    for (_, upload_id, _), hashes in zip(todo, made, strict=True):
        store.keep_reports(upload_id, hashes)
        built[upload_id] = hashes
    data = await run_in_threadpool(r.reports_zip, store, [(u, i) for u, i, _ in passing], built)
    return download(data, f"{info['name']}各单位报告.zip", "application/zip")


async def rollup(request: Request) -> Response:
    store, info = _store(request), _round(request)
    fmt = str(request.path_params["fmt"])
    if info is None or fmt not in ("docx", "html"):
        return not_found(request)
    outcome = await run_in_threadpool(r.collection, store, info["id"])
    data = await run_in_threadpool(r.rollup, outcome, request.query_params.get("name", "本地区")[:30], fmt)
    if data is None:
        return bad(request, "还没有通过校验的单位，无法生成汇总报告", 409)
    return download(data, f"{info['name']}汇总报告.{fmt}", DOCX if fmt == "docx" else "text/html")


async def links_csv(request: Request) -> Response:
    store, info = _store(request), _round(request)
    if info is None:
        return not_found(request)
    data = r.links_csv(store.units(info["id"]), base_url(request))
    return download(data, f"{info['name']}单位链接.csv", "text/csv; charset=utf-8")


async def links_page(request: Request) -> Response:
    store, info = _store(request), _round(request)
    if info is None:
        return not_found(request)
    return render("links.html", {"title": f"{info['name']} 单位链接", "round": info, "base": base_url(request),
                                 "units": store.units(info["id"])})


async def log_page(request: Request) -> Response:
    store, info = _store(request), _round(request)
    if info is None:
        return not_found(request)
    log = await run_in_threadpool(store.log, info["id"], 100_000)
    return render("log.html", {"title": f"{info['name']} 操作记录", "round": info, "log": log})


async def round_log(request: Request) -> Response:
    store, info = _store(request), _round(request)
    if info is None:
        return not_found(request)
    return JSONResponse({"id": info["id"], "log": await run_in_threadpool(store.log, info["id"], 100_000)})


# --- one unit, as the office sees it --------------------------------------------------------

async def unit_page(request: Request) -> Response:
    server, unit = server_of(request), _admin_unit(request)
    if unit is None:
        return not_found(request)
    context = await run_in_threadpool(unit_context, server.store, unit, True)
    return render("unit_admin.html", {**context, "csrf": server.csrf("admin"), "title": f"{unit.name}{unit.year}年",
                                      "base": base_url(request)})


async def unit_uploads(request: Request) -> Response:
    store, unit = _store(request), _admin_unit(request)
    if unit is None:
        return not_found(request)
    ups = store.uploads(unit.id)
    return JSONResponse({"unit": unit.name, "year": unit.year, "reviews": store.reviews(unit.id),
                         "uploads": [{"id": u.id, "at": u.at, "file": u.filename, "hash": u.hash, "size": u.size,
                                      "status": u.status, "verdict": u.verdict(store)} for u in ups]})


async def review(request: Request) -> Response:
    store, unit = _store(request), _admin_unit(request)
    if unit is None:
        return not_found(request)
    body = await _body(request) if _sent_json(request) else dict(await request.form())
    if body is None:
        return bad(request, "请求内容应为一个 JSON 对象")
    state, comment = str(body.get("state", "")), str(body.get("comment", "")).strip()[:2000]
    if state not in STATES:
        return bad(request, "审核结果应为 approved（已审核）、returned（退回修改）、"
                            "reopened（重新开放）或 comment（留言）")
    if state == "comment" and not comment:
        return bad(request, "留言不能为空")
    current = store.current_of(unit.id)
    if state == "approved" and (current is None or current.status != "ok"):
        return bad(request, "本单位还没有通过校验的工作簿，不能设为已审核", 409)
    await run_in_threadpool(store.add_review, unit, current.id if current else None, state, comment, ADMIN)
    if _sent_json(request) or wants_json(request):
        return JSONResponse({"unit": unit.name, "state": state, "comment": comment})
    return RedirectResponse(f"/admin/rounds/{unit.round_id}/units/{unit.id}", 303)


async def original(request: Request) -> Response:
    """An upload as it was sent: always an attachment of no type, never shown in the browser."""
    store = _store(request)
    up = store.upload(int(request.path_params["upid"]))
    if up is None:
        return not_found(request)
    return download(store.path_of(up.hash, suffix(up.filename)).read_bytes(), up.filename, "application/octet-stream")


# --- helpers -------------------------------------------------------------------------------

async def _form_units(form: Any) -> tuple[list[str], str]:
    """Unit names pasted (one a line) and/or from an uploaded list (.txt/.csv/.xlsx), read as `new --units` does;
    and why the list could not be read, if it could not."""
    names = str(form.get("units", "")).splitlines()
    listed = form.get("units_file")
    if not isinstance(listed, UploadFile) or not listed.filename:
        return names, ""
    import tempfile

    from ..distribute import read_units
    from ..xlsx import ReadError

    shown = display_name(listed.filename)
    data = await listed.read(MAX_UPLOAD + 1)
    with tempfile.TemporaryDirectory(prefix="gxserve-") as tmp:
        path = Path(tmp) / f"units{suffix(shown)}"
        path.write_bytes(data)
        try:
            names += await run_in_threadpool(read_units, path)
        except ReadError as exc:
            return names, exc.message.replace(str(path), f"“{shown}”")
    return names, ""


def _dashboard(store: Store, rid: int) -> tuple[list[tuple[int, str, str, str, str, str]], dict[str, int]]:
    """One row of plain text a unit (id, name, status, review, first problem, time), work left first, and the
    counts: what the round page shows. Plain tuples, no problem list parsed: 10,000 units in well under a second."""
    from .pages import when

    current = store.current(rid)
    reviews = store.latest_reviews(rid)
    order = {"missing": 0, "unreadable": 1, "errors": 2, "ok": 3}
    rows = []
    for unit in store.units(rid):
        up = current.get(unit.id)
        status = up.status if up is not None else "missing"
        rows.append((order[status], unit.position, unit.id, unit.name, status, state_of(up, reviews.get(unit.id))[0],
                     _note(up), when(up.at) if up is not None else ""))
    counts = {s: sum(x[4] == s for x in rows) for s in order}
    counts["reviewed"] = sum(x[5] == "已审核" for x in rows)
    counts["returned"] = sum(x[5] == "退回修改" for x in rows)
    rows.sort()
    return [x[2:] for x in rows], counts


def _note(up: Upload | None) -> str:
    """The first problem of what failed (and how many there are), or the warnings of what passed."""
    if up is None:
        return ""
    if up.status != "ok":
        total = up.errors + up.warnings
        return (up.first[0] if up.first else "") + (f"（共{total}处）" if total > 1 else "")
    return f"有提醒{up.warnings}处" if up.warnings else ""
