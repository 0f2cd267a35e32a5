"""The routes of `gxsheet serve` (Starlette): admin pages and API, and each unit's page.

Who may do what: a unit's token opens that unit's page only (anything else is 404); the admin
token, as `Authorization: Bearer` or the session cookie set from the admin link, opens the rest
(else 401). Forms carry a CSRF token; API calls with the Bearer header need none.
"""

from __future__ import annotations

import asyncio
import json
import re
import unicodedata
from concurrent.futures import BrokenExecutor, Executor, ProcessPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from . import rounds as r
from .judge import judge
from .judge import reports as make_reports
from .limits import MAX_UPLOAD, TOO_LARGE, TooLarge
from .pages import STATES, render
from .store import Store, Unit, Upload
from .tokens import ADMIN_BYTES, derive, new_token, same

COOKIE = "gxsheet_admin"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ADMIN = "管理员"
MAX_UNITS = 20_000
_SAFE_SUFFIX = re.compile(r"^\.[a-z0-9]{1,8}$")


class Server:
    """What the routes share: the store, the worker pool and the two secrets."""

    def __init__(self, store: Store, pool: Executor) -> None:
        self.store = store
        self.pool = pool
        self.admin_token = store.setting("admin_token", lambda: new_token(ADMIN_BYTES))
        self.key = store.setting("csrf_key", lambda: new_token(32))
        self.session = derive(self.key, "admin-session:" + self.admin_token)

    async def judge(self, *args: Any) -> dict[str, Any]:
        return dict(await self.run(judge, *args))

    async def run(self, job: Any, *args: Any) -> Any:
        """job(*args) in the worker pool; a pool broken by a worker that died is replaced once."""
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self.pool, job, *args)
        except BrokenExecutor:
            broken = self.pool
            if isinstance(broken, ProcessPoolExecutor):
                from . import new_pool

                self.pool = new_pool(getattr(broken, "_max_workers", 2))
            broken.shutdown(wait=False)
            return await loop.run_in_executor(self.pool, job, *args)

    # --- who is asking ----------------------------------------------------------------------

    def bearer(self, request: Request) -> bool:
        auth = request.headers.get("authorization", "")
        return auth.startswith("Bearer ") and same(auth[7:].strip(), self.admin_token)

    def is_admin(self, request: Request) -> bool:
        return self.bearer(request) or same(request.cookies.get(COOKIE), self.session)

    def csrf(self, scope: str) -> str:
        return derive(self.key, "csrf:" + scope)

    def unit(self, request: Request) -> Unit | None:
        return self.store.unit_by_token(str(request.path_params["token"]))


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _unauthorized(request: Request) -> Response:
    if _wants_json(request) or request.url.path.startswith("/api/"):
        return JSONResponse({"error": {"code": "UNAUTHORIZED", "message": "需要管理员身份（管理员链接或令牌）"}},
                            401, headers={"WWW-Authenticate": "Bearer"})
    return render("error.html", {"title": "需要管理员身份", "message": "请用启动时给出的管理员链接打开本页。"}, 401)


def _not_found(request: Request) -> Response:
    if _wants_json(request) or request.url.path.startswith("/api/"):
        return JSONResponse({"error": {"code": "NOT-FOUND", "message": "没有这个页面"}}, 404)
    return render("error.html", {"title": "没有这个页面", "message": "请核对链接是否完整。"}, 404)


def _bad(request: Request, message: str, status: int = 400) -> Response:
    if _wants_json(request) or request.url.path.startswith("/api/"):
        return JSONResponse({"error": {"code": "BAD-REQUEST", "message": message}}, status)
    return render("error.html", {"title": "无法完成", "message": message}, status)


def _download(data: bytes, name: str, media: str) -> Response:
    # RFC 5987: the Chinese name for browsers, an ASCII one for the rest.
    disposition = f"attachment; filename=\"download{_suffix(name)}\"; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type=media, headers={"content-disposition": disposition})


def display_name(raw: str | None) -> str:
    """An uploaded file's name as shown: its last part only, no control characters, at most 120 characters."""
    name = re.split(r"[\\/]", raw or "")[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    return name[:120] or "（无文件名）"


def _suffix(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return suffix if _SAFE_SUFFIX.match(suffix) else ".bin"


def state_of(current: Upload | None, review: dict[str, Any] | None) -> tuple[str, bool]:
    """The unit's review state (as shown) and whether it may upload again."""
    if current is None or current.status != "ok":
        return "", True
    if review is None or review["upload"] != current.id:
        return "", False
    return STATES[review["state"]], review["state"] in ("returned", "reopened")


def build(server: Server) -> Starlette:  # noqa: C901 - the route table reads best in one place
    store = server.store

    def admin_only(handler: Any) -> Any:
        async def wrapped(request: Request) -> Response:
            if not server.is_admin(request):
                return _unauthorized(request)
            if request.method == "POST" and not server.bearer(request):
                sent = request.headers.get("x-csrf-token")
                if sent is None and "form" in request.headers.get("content-type", ""):
                    sent = str((await request.form()).get("csrf", ""))
                if not same(sent, server.csrf("admin")):
                    return _bad(request, "表单已失效，请刷新页面后重试", 403)
            result: Response = await handler(request)
            return result
        return wrapped

    def round_id(request: Request) -> dict[str, Any] | None:
        try:
            return store.round(int(request.path_params["rid"]))
        except ValueError:
            return None

    # --- home and admin session ------------------------------------------------------------

    async def home(request: Request) -> Response:
        return render("home.html", {"title": "政府信息公开工作年度报告 网上收集"})

    async def admin(request: Request) -> Response:
        token = request.query_params.get("token")
        if token is not None:
            if not same(token, server.admin_token):
                return _unauthorized(request)
            response = RedirectResponse("/admin", 303)
            response.set_cookie(COOKIE, server.session, httponly=True, samesite="strict", path="/")
            return response
        if not server.is_admin(request):
            return _unauthorized(request)
        rows = await run_in_threadpool(store.rounds)
        return render("admin.html", {"title": "网上收集：管理", "rounds": rows, "csrf": server.csrf("admin")})

    # --- rounds --------------------------------------------------------------------------

    async def create_round(request: Request) -> Response:
        if "json" in request.headers.get("content-type", ""):
            try:
                body = json.loads(await request.body())
            except ValueError:
                return _bad(request, "请求内容不是 JSON")
            if not isinstance(body, dict):
                return _bad(request, "请求内容应为一个对象")
            year, units, previous = body.get("year"), body.get("units"), body.get("previous")
            folder, name = body.get("previous_folder"), body.get("name")
        else:
            form = await request.form()
            units, problem = await _form_units(form)
            if problem:
                return _bad(request, problem)
            year = _int(form.get("year"))
            previous = _int(form.get("previous")) if form.get("previous") else None
            folder, name = form.get("previous_folder") or None, form.get("name")
        if not isinstance(year, int) or not 2000 <= year <= 2100:
            return _bad(request, "报告年度应为2000至2100之间的年份")
        if not isinstance(units, list) or not all(isinstance(u, str) for u in units):
            return _bad(request, "单位名单应为单位名称的列表")
        names = list(dict.fromkeys(n.strip() for n in units if n.strip()))
        if not names or len(names) > MAX_UNITS:
            return _bad(request, "单位名单中没有单位名称" if not names else f"单位名单超过{MAX_UNITS}个")
        if previous is not None and (not isinstance(previous, int) or store.round(previous) is None):
            return _bad(request, f"没有编号为{previous}的上一轮")
        prior = Path(str(folder)) if folder else None
        if prior is not None and not prior.exists():
            return _bad(request, f"上年文件或文件夹 {prior} 不存在")
        title = str(name or "").strip()[:60] or f"{year}年政府信息公开工作年度报告"
        carried = await run_in_threadpool(r.previous_files, store, names, previous, prior)
        from ..crossyear import unit_key

        rows = [(n, new_token(), carried.get(unit_key(n))) for n in names]
        rid = await run_in_threadpool(store.create_round, year, title, rows, previous, ADMIN)
        if "json" in request.headers.get("content-type", "") or _wants_json(request):
            base = str(request.base_url).rstrip("/")
            return JSONResponse({"id": rid, "year": year, "name": title, "units": [
                {"unit": n, "token": t, "url": f"{base}/u/{t}", "previous": p is not None} for n, t, p in rows]}, 201)
        return RedirectResponse(f"/admin/rounds/{rid}", 303)

    async def list_rounds(request: Request) -> Response:
        return JSONResponse({"rounds": await run_in_threadpool(store.rounds)})

    async def round_json(request: Request) -> Response:
        info = round_id(request)
        if info is None:
            return _not_found(request)
        outcome = await run_in_threadpool(r.collection, store, info["id"])
        data = outcome.as_dict()
        reviews = await run_in_threadpool(store.latest_reviews, info["id"])
        by_name = {u.name: u for u in store.units(info["id"])}
        for item in data["units"]:
            unit = by_name.get(item["unit"])
            review = reviews.get(unit.id) if unit is not None else None
            item["review"] = {"state": review["state"], "comment": review["comment"], "at": review["at"]} \
                if review else None
            item["id"] = unit.id if unit is not None else None
        data["id"], data["name"] = info["id"], info["name"]
        return JSONResponse(data)

    async def round_page(request: Request) -> Response:
        info = round_id(request)
        if info is None:
            return _not_found(request)
        rows, counts = await run_in_threadpool(_dashboard, store, info["id"])
        return render("round.html", {"title": f"{info['name']}", "round": info, "rows": rows, "counts": counts,
                                     "log": store.log(info["id"], 30)})

    async def summary(request: Request) -> Response:
        info = round_id(request)
        if info is None:
            return _not_found(request)
        outcome = await run_in_threadpool(r.collection, store, info["id"])
        data = await run_in_threadpool(r.summary_xlsx, outcome)
        return _download(data, f"{info['name']}汇总.xlsx", XLSX)

    async def reports(request: Request) -> Response:
        info = round_id(request)
        if info is None:
            return _not_found(request)
        current = store.current(info["id"])
        passing = [(u, current[u.id].id, current[u.id].hash) for u in store.units(info["id"])
                   if u.id in current and current[u.id].status == "ok"]
        built = await run_in_threadpool(store.reports, [upload_id for _, upload_id, _ in passing])
        todo = [(u, upload_id, digest) for u, upload_id, digest in passing if upload_id not in built]
        made = await asyncio.gather(*(server.run(make_reports, str(store.path_of(digest, ".xlsx")), u.previous_path,
                                                 str(store.root)) for u, _, digest in todo))
        for (_, upload_id, _), hashes in zip(todo, made, strict=True):
            store.keep_reports(upload_id, hashes)  # built once per upload: the next download only zips
            built[upload_id] = hashes
        data = await run_in_threadpool(r.reports_zip, store, [(u, i) for u, i, _ in passing], built)
        return _download(data, f"{info['name']}各单位报告.zip", "application/zip")

    async def rollup(request: Request) -> Response:
        info = round_id(request)
        fmt = str(request.path_params["fmt"])
        if info is None or fmt not in ("docx", "html"):
            return _not_found(request)
        outcome = await run_in_threadpool(r.collection, store, info["id"])
        area = request.query_params.get("name", "本地区")[:30]
        data = await run_in_threadpool(r.rollup, outcome, area, fmt)
        if data is None:
            return _bad(request, "还没有通过校验的单位，无法生成汇总报告", 409)
        return _download(data, f"{info['name']}汇总报告.{fmt}", DOCX if fmt == "docx" else "text/html")

    async def links_csv(request: Request) -> Response:
        info = round_id(request)
        if info is None:
            return _not_found(request)
        base = str(request.base_url).rstrip("/")
        data = r.links_csv(store.units(info["id"]), base)
        return _download(data, f"{info['name']}单位链接.csv", "text/csv; charset=utf-8")

    async def links_page(request: Request) -> Response:
        info = round_id(request)
        if info is None:
            return _not_found(request)
        base = str(request.base_url).rstrip("/")
        return render("links.html", {"title": f"{info['name']} 单位链接", "round": info, "base": base,
                                     "units": store.units(info["id"])})

    async def log_page(request: Request) -> Response:
        info = round_id(request)
        if info is None:
            return _not_found(request)
        log = await run_in_threadpool(store.log, info["id"], 100_000)
        return render("log.html", {"title": f"{info['name']} 操作记录", "round": info, "log": log})

    async def round_log(request: Request) -> Response:
        info = round_id(request)
        if info is None:
            return _not_found(request)
        return JSONResponse({"id": info["id"], "log": store.log(info["id"], 100_000)})

    # --- one unit, as the office sees it --------------------------------------------------

    def admin_unit(request: Request) -> Unit | None:
        try:
            unit = store.unit(int(request.path_params["uid"]))
        except ValueError:
            return None
        return unit

    async def unit_admin_page(request: Request) -> Response:
        unit = admin_unit(request)
        if unit is None:
            return _not_found(request)
        context = await run_in_threadpool(_unit_context, store, unit, True)
        return render("unit_admin.html", {**context, "csrf": server.csrf("admin"), "title": f"{unit.name}{unit.year}年",
                                          "base": str(request.base_url).rstrip("/")})

    async def unit_uploads(request: Request) -> Response:
        unit = admin_unit(request)
        if unit is None:
            return _not_found(request)
        ups = store.uploads(unit.id)
        return JSONResponse({"unit": unit.name, "year": unit.year, "reviews": store.reviews(unit.id),
                             "uploads": [{"id": u.id, "at": u.at, "file": u.filename, "hash": u.hash, "size": u.size,
                                          "status": u.status, "verdict": u.verdict(store)} for u in ups]})

    async def review(request: Request) -> Response:
        unit = admin_unit(request)
        if unit is None:
            return _not_found(request)
        if "json" in request.headers.get("content-type", ""):
            try:
                body = json.loads(await request.body())
            except ValueError:
                return _bad(request, "请求内容不是 JSON")
            body = body if isinstance(body, dict) else {}
        else:
            body = dict(await request.form())
        state, comment = str(body.get("state", "")), str(body.get("comment", "")).strip()[:2000]
        if state not in STATES:
            return _bad(request, "审核结果应为 approved（已审核）、returned（退回修改）、"
                                 "reopened（重新开放）或 comment（留言）")
        if state == "comment" and not comment:
            return _bad(request, "留言不能为空")
        current = store.current_of(unit.id)
        if state == "approved" and (current is None or current.status != "ok"):
            return _bad(request, "本单位还没有通过校验的工作簿，不能设为已审核", 409)
        await run_in_threadpool(store.add_review, unit, current.id if current else None, state, comment, ADMIN)
        if "json" in request.headers.get("content-type", "") or _wants_json(request):
            return JSONResponse({"unit": unit.name, "state": state, "comment": comment})
        return RedirectResponse(f"/admin/rounds/{unit.round_id}/units/{unit.id}", 303)

    async def original(request: Request) -> Response:
        up = store.upload(_int(request.path_params["upid"]) or 0)
        if up is None:
            return _not_found(request)
        return _download(store.path_of(up.hash, _suffix(up.filename)).read_bytes(), up.filename,
                         "application/octet-stream")

    # --- a unit's own page ----------------------------------------------------------------

    async def unit_page(request: Request) -> Response:
        unit = server.unit(request)
        if unit is None:
            return _not_found(request)
        context = await run_in_threadpool(_unit_context, store, unit, False)
        latest = context["latest"]
        context["just"] = latest is not None and request.query_params.get("upload") == str(latest.id)
        return render("unit.html", {**context, "csrf": server.csrf("unit:" + unit.token),
                                    "title": f"{unit.name}{unit.year}年报告"})

    async def workbook(request: Request) -> Response:
        unit = server.unit(request)
        if unit is None:
            return _not_found(request)
        digest = store.workbook(unit.id)
        if digest is None:
            data = await run_in_threadpool(r.make_workbook, unit)
            digest = (await run_in_threadpool(store.put, data, ".xlsx"))[0]
            store.keep_workbook(unit.id, digest)
        from ..distribute import filename

        return _download(store.path_of(digest, ".xlsx").read_bytes(), filename(f"{unit.name}{unit.year}"), XLSX)

    async def marked(request: Request) -> Response:
        unit = server.unit(request)
        up = store.upload(_int(request.path_params["upid"]) or 0)
        if unit is None or up is None or up.unit_id != unit.id or up.marked is None:
            return _not_found(request)
        from ..distribute import filename

        name = filename(f"{unit.name}{unit.year}（问题标注）")
        return _download(store.path_of(up.marked, ".xlsx").read_bytes(), name, XLSX)

    async def upload(request: Request) -> Response:
        unit = server.unit(request)
        if unit is None:
            return _not_found(request)
        as_json = _wants_json(request)
        try:
            form = await request.form(max_files=1, max_fields=4)
        except TooLarge:
            return _too_large(as_json)
        except Exception:  # noqa: BLE001 - a malformed multipart body is the sender's problem, said in Chinese
            return _bad(request, "上传的内容无法解析，请用页面上的上传框选择文件")
        if not as_json and not same(str(form.get("csrf", "")), server.csrf("unit:" + unit.token)):
            return _bad(request, "表单已失效，请刷新页面后重新上传", 403)
        file = form.get("file")
        if not isinstance(file, UploadFile):
            return _bad(request, "请选择要上传的工作簿（.xlsx）")
        data = await file.read(MAX_UPLOAD + 1)
        if len(data) > MAX_UPLOAD:
            return _too_large(as_json)
        _, open_ = state_of(store.current_of(unit.id), store.review_of(unit.id))
        if not open_:
            return _bad(request, "本单位的报告已通过校验；如需修改，请联系管理员重新开放", 409)
        name = display_name(file.filename)
        digest, path = await run_in_threadpool(store.put, data, _suffix(name))
        outcome = await server.judge(str(path), unit.previous_path, name, unit.name, unit.year, str(store.root))
        saved = await run_in_threadpool(store.add_upload, unit, name, digest, len(data), outcome, unit.name)
        if as_json:
            verdict = dict(outcome["verdict"])
            if outcome["status"] == "rejected":
                verdict = {"file": name, "status": "rejected",
                           "error": {"code": "WRONG-UNIT-OR-YEAR", "message": outcome["message"]}}
            verdict["upload"] = saved.id
            return JSONResponse(verdict, 422 if outcome["status"] == "rejected" else 200)
        # Post/redirect/get: reloading the verdict page must not send the file again.
        return RedirectResponse(f"/u/{unit.token}?upload={saved.id}#verdict", 303)

    routes = [
        Route("/", home),
        Route("/admin", admin),
        Route("/admin/rounds", admin_only(create_round), methods=["POST"]),
        Route("/admin/rounds/{rid:int}", admin_only(round_page)),
        Route("/admin/rounds/{rid:int}/links", admin_only(links_page)),
        Route("/admin/rounds/{rid:int}/log", admin_only(log_page)),
        Route("/admin/rounds/{rid:int}/units/{uid:int}", admin_only(unit_admin_page)),
        Route("/admin/rounds/{rid:int}/units/{uid:int}/review", admin_only(review), methods=["POST"]),
        Route("/api/rounds", admin_only(create_round), methods=["POST"]),
        Route("/api/rounds", admin_only(list_rounds), methods=["GET"]),
        Route("/api/rounds/{rid:int}", admin_only(round_json)),
        Route("/api/rounds/{rid:int}/summary.xlsx", admin_only(summary)),
        Route("/api/rounds/{rid:int}/reports.zip", admin_only(reports)),
        Route("/api/rounds/{rid:int}/rollup.{fmt}", admin_only(rollup)),
        Route("/api/rounds/{rid:int}/links.csv", admin_only(links_csv)),
        Route("/api/rounds/{rid:int}/log", admin_only(round_log)),
        Route("/api/units/{uid:int}/uploads", admin_only(unit_uploads)),
        Route("/api/units/{uid:int}/review", admin_only(review), methods=["POST"]),
        Route("/api/uploads/{upid:int}/file", admin_only(original)),
        Route("/u/{token}", unit_page),
        Route("/u/{token}/workbook.xlsx", workbook),
        Route("/u/{token}/upload", upload, methods=["POST"]),
        Route("/u/{token}/uploads/{upid:int}/marked.xlsx", marked),
    ]

    async def missing(request: Request, exc: Exception) -> Response:
        return _not_found(request)

    async def not_allowed(request: Request, exc: Exception) -> Response:
        return _bad(request, "不支持这种请求方式", 405)

    async def too_large(request: Request, exc: Exception) -> Response:
        return _too_large(_wants_json(request))

    return Starlette(routes=routes, exception_handlers={404: missing, 405: not_allowed, TooLarge: too_large})


def _too_large(as_json: bool) -> Response:
    text = TOO_LARGE.decode()
    if as_json:
        return JSONResponse({"error": {"code": "TOO-LARGE", "message": text}}, 413)
    return render("error.html", {"title": "文件太大", "message": text}, 413)


def _int(value: Any) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


async def _form_units(form: Any) -> tuple[list[str], str]:
    """Unit names pasted (one a line) and/or from an uploaded list (.txt/.csv/.xlsx), read as `new --units` does;
    and why the list could not be read, if it could not."""
    names = [line for line in str(form.get("units", "")).splitlines()]
    listed = form.get("units_file")
    if isinstance(listed, UploadFile) and listed.filename:
        import tempfile

        from ..distribute import read_units
        from ..xlsx import ReadError

        data = await listed.read(MAX_UPLOAD + 1)
        with tempfile.TemporaryDirectory(prefix="gxserve-") as tmp:
            path = Path(tmp) / f"units{_suffix(display_name(listed.filename))}"
            path.write_bytes(data)
            try:
                names += await run_in_threadpool(read_units, path)
            except ReadError as exc:
                return names, exc.message.replace(str(path), f"“{display_name(listed.filename)}”")
    return names, ""


def _dashboard(store: Store, rid: int) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """One light row a unit (no problem lists parsed): what the round page shows, work left first."""
    current = store.current(rid)
    reviews = store.latest_reviews(rid)
    rows = []
    order = {"missing": 0, "unreadable": 1, "errors": 2, "ok": 3}
    for unit in store.units(rid):
        up = current.get(unit.id)
        review, _ = state_of(up, reviews.get(unit.id))
        status = up.status if up is not None else "missing"
        rows.append({"unit": unit, "status": status, "upload": up, "review": review})
    counts = {s: sum(x["status"] == s for x in rows) for s in order}
    counts["reviewed"] = sum(x["review"] == "已审核" for x in rows)
    counts["returned"] = sum(x["review"] == "退回修改" for x in rows)
    rows.sort(key=lambda x: (order[str(x["status"])], int(x["unit"].position)))  # type: ignore[attr-defined]
    return rows, counts


def _unit_context(store: Store, unit: Unit, admin: bool) -> dict[str, Any]:
    ups = store.uploads(unit.id)
    current = next((u for u in ups if u.status != "rejected"), None)
    review = store.review_of(unit.id)
    state, open_ = state_of(current, review)
    latest = ups[0] if ups else None
    verdict = latest.verdict(store) if latest is not None else None
    info = store.round(unit.round_id)
    return {"unit": unit, "round": info, "uploads": ups, "latest": latest, "verdict": verdict,
            "state": state, "open": open_, "reviews": store.reviews(unit.id), "states": STATES, "admin": admin,
            "just": None,
            "rejected": latest.first[0] if latest is not None and latest.status == "rejected" else ""}
