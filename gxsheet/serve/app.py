"""The application of `gxsheet serve` (Starlette): what the routes share, and the route table.

Who may do what: a unit's token opens that unit's pages only (anything else is 404, unit.py); the
admin token, as `Authorization: Bearer` or the session cookie set from the admin link, opens the
rest (else 401, admin.py). Forms carry a CSRF token; API calls with the Bearer header need none.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import BrokenExecutor, Executor, ProcessPoolExecutor
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from . import admin as a
from . import unit as u
from .answers import bad, not_found, too_large
from .judge import judge, too_slow
from .limits import TooLarge
from .store import Store
from .tokens import ADMIN_BYTES, derive, new_token, same

# One upload's check may take this long (a real workbook takes about a second; a 20 MB one a few). A
# workbook that keeps the checker busy for longer would hold a worker from every other unit.
CHECK_SECONDS = 60.0
CHECK_SECONDS_ENV = "GXSHEET_SERVE_CHECK_SECONDS"  # another limit, for tests and unusual machines


class Server:
    """What the routes share: the store, the worker pool and the two secrets (kept in the store)."""

    def __init__(self, store: Store, pool: Executor, check_seconds: float = CHECK_SECONDS) -> None:
        self.store = store
        self.pool = pool
        self.check_seconds = check_seconds
        # No more checks in the pool than it has workers, so that the time limit counts a check's own
        # time, not its wait behind others (300 units uploading at once queue for minutes).
        self.slots = asyncio.Semaphore(int(getattr(pool, "_max_workers", 1)))
        self.admin_token = store.setting("admin_token", lambda: new_token(ADMIN_BYTES))
        self.key = store.setting("csrf_key", lambda: new_token(32))
        self.session = derive(self.key, "admin-session:" + self.admin_token)

    async def judge(self, path: str, previous: str | None, filename: str, unit: str, year: int,
                    root: str) -> dict[str, Any]:
        """One upload's verdict; a check that outlasts check_seconds is stopped and said to be too slow."""
        async with self.slots:
            pool = self.pool
            try:
                return dict(await asyncio.wait_for(self.run(judge, path, previous, filename, unit, year, root),
                                                   self.check_seconds))
            except TimeoutError:
                # A process pool cannot stop one job: its workers are killed and the pool replaced; checks
                # that were running beside the slow one see a broken pool and start again on the new one.
                for process in list((getattr(pool, "_processes", None) or {}).values()):
                    process.kill()
                self._replace(pool)
        return too_slow(filename, unit, year, self.check_seconds)

    async def run(self, job: Any, *args: Any) -> Any:
        """job(*args) in the worker pool; a pool broken by a worker that died is replaced once."""
        loop = asyncio.get_running_loop()
        pool = self.pool
        try:
            return await loop.run_in_executor(pool, job, *args)
        except BrokenExecutor:
            self._replace(pool)
            return await loop.run_in_executor(self.pool, job, *args)

    def _replace(self, broken: Executor) -> None:
        """A new pool in place of broken, once: jobs that all saw the same pool break replace it once."""
        if self.pool is not broken:
            return
        if isinstance(broken, ProcessPoolExecutor):
            from . import new_pool

            self.pool = new_pool(getattr(broken, "_max_workers", 2))
        broken.shutdown(wait=False)

    def bearer(self, request: Request) -> bool:
        auth = request.headers.get("authorization", "")
        return auth.startswith("Bearer ") and same(auth[7:].strip(), self.admin_token)

    def is_admin(self, request: Request) -> bool:
        return self.bearer(request) or same(request.cookies.get(a.COOKIE), self.session)

    def csrf(self, scope: str) -> str:
        """The CSRF token of one page's forms (the admin's, or one unit's)."""
        return derive(self.key, "csrf:" + scope)


def _admin(path: str, handler: a.Handler, method: str = "GET") -> Route:
    return Route(path, a.admin_only(handler), methods=[method])


ROUTES = [
    Route("/", a.home),
    Route("/admin", a.dashboard),
    _admin("/admin/rounds", a.create_round, "POST"),
    _admin("/admin/rounds/{rid:int}", a.round_page),
    _admin("/admin/rounds/{rid:int}/links", a.links_page),
    _admin("/admin/rounds/{rid:int}/log", a.log_page),
    _admin("/admin/rounds/{rid:int}/units/{uid:int}", a.unit_page),
    _admin("/admin/rounds/{rid:int}/units/{uid:int}/review", a.review, "POST"),
    _admin("/api/rounds", a.create_round, "POST"),
    _admin("/api/rounds", a.list_rounds),
    _admin("/api/rounds/{rid:int}", a.round_json),
    _admin("/api/rounds/{rid:int}/summary.xlsx", a.summary),
    _admin("/api/rounds/{rid:int}/reports.zip", a.reports),
    _admin("/api/rounds/{rid:int}/rollup.{fmt}", a.rollup),
    _admin("/api/rounds/{rid:int}/links.csv", a.links_csv),
    _admin("/api/rounds/{rid:int}/log", a.round_log),
    _admin("/api/units/{uid:int}/uploads", a.unit_uploads),
    _admin("/api/units/{uid:int}/review", a.review, "POST"),
    _admin("/api/uploads/{upid:int}/file", a.original),
    Route("/u/{token}", u.page),
    Route("/u/{token}/workbook.xlsx", u.workbook),
    Route("/u/{token}/upload", u.upload, methods=["POST"]),
    Route("/u/{token}/uploads/{upid:int}/marked.xlsx", u.marked),
]


async def _missing(request: Request, exc: Exception) -> Response:
    return not_found(request)


async def _not_allowed(request: Request, exc: Exception) -> Response:
    return bad(request, "不支持这种请求方式", 405)


async def _too_large(request: Request, exc: Exception) -> Response:
    return too_large(request)


def build(server: Server) -> Starlette:
    app = Starlette(routes=ROUTES, exception_handlers={404: _missing, 405: _not_allowed, TooLarge: _too_large})
    app.state.server = server
    return app
