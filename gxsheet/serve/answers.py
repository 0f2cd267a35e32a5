"""How the server answers: JSON for the API (or when asked), a Chinese page otherwise; downloads; file names."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .limits import TOO_LARGE
from .pages import render

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_SAFE_SUFFIX = re.compile(r"^\.[a-z0-9]{1,8}$")


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _api(request: Request) -> bool:
    return wants_json(request) or request.url.path.startswith("/api/")


def unauthorized(request: Request) -> Response:
    if _api(request):
        return JSONResponse({"error": {"code": "UNAUTHORIZED", "message": "需要管理员身份（管理员链接或令牌）"}},
                            401, headers={"WWW-Authenticate": "Bearer"})
    return render("error.html", {"title": "需要管理员身份", "message": "请用启动时给出的管理员链接打开本页。"}, 401)


def not_found(request: Request) -> Response:
    if _api(request):
        return JSONResponse({"error": {"code": "NOT-FOUND", "message": "没有这个页面"}}, 404)
    return render("error.html", {"title": "没有这个页面", "message": "请核对链接是否完整。"}, 404)


def bad(request: Request, message: str, status: int = 400) -> Response:
    if _api(request):
        return JSONResponse({"error": {"code": "BAD-REQUEST", "message": message}}, status)
    return render("error.html", {"title": "无法完成", "message": message}, status)


def too_large(request: Request) -> Response:
    text = TOO_LARGE.decode()
    if _api(request):
        return JSONResponse({"error": {"code": "TOO-LARGE", "message": text}}, 413)
    return render("error.html", {"title": "文件太大", "message": text}, 413)


def download(data: bytes, name: str, media: str) -> Response:
    # RFC 5987: the Chinese name for browsers, an ASCII one for the rest.
    disposition = f"attachment; filename=\"download{suffix(name)}\"; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type=media, headers={"content-disposition": disposition})


def display_name(raw: str | None) -> str:
    """An uploaded file's name as shown: its last part only, no control characters, at most 120 characters."""
    name = re.split(r"[\\/]", raw or "")[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    return name[:120] or "（无文件名）"


def suffix(name: str) -> str:
    """A file name's suffix when it is plain (.xlsx), else .bin: what a stored file is named with."""
    found = Path(name).suffix.lower()
    return found if _SAFE_SUFFIX.match(found) else ".bin"


def as_int(value: Any) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


def base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")
