"""A unit's own pages: its workbook to download, the upload box and the verdict, its history and reviews.

The unit's token in the URL is its only key: any other token is 404, like a page that does not exist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from . import rounds as r
from .answers import XLSX, as_int, bad, display_name, download, not_found, suffix, too_large, wants_json
from .limits import MAX_UPLOAD, TooLarge
from .pages import STATES, render
from .store import Store, Unit, Upload
from .tokens import same

if TYPE_CHECKING:
    from .app import Server


def server_of(request: Request) -> Server:
    found: Server = request.app.state.server
    return found


def _unit(request: Request) -> Unit | None:
    return server_of(request).store.unit_by_token(str(request.path_params["token"]))


def state_of(current: Upload | None, review: dict[str, Any] | None) -> tuple[str, bool]:
    """The unit's review state (as shown) and whether it may upload again: until it passes, and after
    the office sets 退回修改 or 重新开放 on what passed."""
    if current is None or current.status != "ok":
        return "", True
    if review is None or review["upload"] != current.id:
        return "", False
    return STATES[review["state"]], review["state"] in ("returned", "reopened")


def unit_context(store: Store, unit: Unit, admin: bool) -> dict[str, Any]:
    """What the unit's page and the office's page of one unit show."""
    ups = store.uploads(unit.id)
    current = next((u for u in ups if u.status != "rejected"), None)
    state, open_ = state_of(current, store.review_of(unit.id))
    latest = ups[0] if ups else None
    return {"unit": unit, "round": store.round(unit.round_id), "uploads": ups, "latest": latest,
            "verdict": latest.verdict(store) if latest is not None else None, "state": state, "open": open_,
            "reviews": store.reviews(unit.id), "states": STATES, "admin": admin, "just": False}


async def page(request: Request) -> Response:
    server, unit = server_of(request), _unit(request)
    if unit is None:
        return not_found(request)
    context = await run_in_threadpool(unit_context, server.store, unit, False)
    latest = context["latest"]
    context["just"] = latest is not None and request.query_params.get("upload") == str(latest.id)
    return render("unit.html", {**context, "csrf": server.csrf("unit:" + unit.token),
                                "title": f"{unit.name}{unit.year}年报告"})


async def workbook(request: Request) -> Response:
    store, unit = server_of(request).store, _unit(request)
    if unit is None:
        return not_found(request)
    digest = store.workbook(unit.id)
    if digest is None:  # made on the first download, then kept: every later download is the same file
        data = await run_in_threadpool(r.make_workbook, unit)
        digest = (await run_in_threadpool(store.put, data, ".xlsx"))[0]
        store.keep_workbook(unit.id, digest)
    from ..distribute import filename

    return download(store.path_of(digest, ".xlsx").read_bytes(), filename(f"{unit.name}{unit.year}"), XLSX)


async def marked(request: Request) -> Response:
    store, unit = server_of(request).store, _unit(request)
    up = store.upload(as_int(request.path_params["upid"]) or 0)
    if unit is None or up is None or up.unit_id != unit.id or up.marked is None:
        return not_found(request)
    from ..distribute import filename

    return download(store.path_of(up.marked, ".xlsx").read_bytes(), filename(f"{unit.name}{unit.year}（问题标注）"),
                    XLSX)


async def upload(request: Request) -> Response:
    server, unit = server_of(request), _unit(request)
    if unit is None:
        return not_found(request)
    store = server.store
    try:
        form = await request.form(max_files=1, max_fields=4)
    except TooLarge:
        return too_large(request)
    except Exception:  # noqa: BLE001 - a malformed multipart body is the sender's problem, said in Chinese
        return bad(request, "上传的内容无法解析，请用页面上的上传框选择文件")
    as_json = wants_json(request)
    if not as_json and not same(str(form.get("csrf", "")), server.csrf("unit:" + unit.token)):
        return bad(request, "表单已失效，请刷新页面后重新上传", 403)
    file = form.get("file")
    if not isinstance(file, UploadFile):
        return bad(request, "请选择要上传的工作簿（.xlsx）")
    data = await file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        return too_large(request)
    if not state_of(store.current_of(unit.id), store.review_of(unit.id))[1]:
        return bad(request, "本单位的报告已通过校验；如需修改，请联系管理员重新开放", 409)
    name = display_name(file.filename)
    digest, path = await run_in_threadpool(store.put, data, suffix(name))
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
