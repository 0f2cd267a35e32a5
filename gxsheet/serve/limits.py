"""ASGI middleware: the upload cap (413 before anything is stored) and headers every answer carries."""

from __future__ import annotations

from typing import Any

MAX_UPLOAD = 20 * 1024 * 1024
TOO_LARGE = "上传的文件超过20MB，请确认上传的是本单位的填报工作簿（通常不到1MB）".encode()
HEADERS = [
    # Tokens live in URLs: never send them on to another site.
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    # No script, nothing from outside the machine; forms post only here.
    (b"content-security-policy",
     b"default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; "
     b"frame-ancestors 'none'; base-uri 'none'"),
    (b"cache-control", b"no-store"),
]

Scope = dict[str, Any]


class TooLarge(Exception):
    pass


class Guard:
    """Caps every request body at MAX_UPLOAD (by Content-Length, else while it streams in)."""

    def __init__(self, app: Any, limit: int = MAX_UPLOAD) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit + 64 * 1024):
            await _refuse(send)
            return
        seen = 0
        started = False

        async def counted() -> Any:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit + 64 * 1024:  # the multipart framing around a file of exactly the limit
                    raise TooLarge
            return message

        async def headed(message: Any) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = {**message, "headers": [*message.get("headers", []), *HEADERS]}
            await send(message)

        try:
            await self.app(scope, counted, headed)
        except TooLarge:
            if not started:
                await _refuse(send)


async def _refuse(send: Any) -> None:
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), *HEADERS]})
    await send({"type": "http.response.body", "body": TOO_LARGE})
