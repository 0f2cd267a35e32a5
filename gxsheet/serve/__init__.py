"""`gxsheet serve DIR`: a round of the county office in a browser, on one office machine.

Imported only by the serve command: the other commands never load Starlette or uvicorn.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

LINK_FILE = "管理员链接.txt"


def admin_link(host: str, port: int, token: str) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/admin?token={token}"


def write_link(folder: Path, link: str) -> Path:
    """The admin link in a file only its owner may read (0600 from the start, not chmod after)."""
    target = folder / LINK_FILE
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(link + "\n")
    os.chmod(target, 0o600)  # an older file of other mode keeps its mode through O_TRUNC
    return target


def serve(folder: Path, host: str, port: int, workers: int | None = None, say: object = print) -> None:
    """Run until interrupted; everything is in folder, so a restart loses nothing."""
    import uvicorn

    from .app import Server, build
    from .limits import Guard
    from .store import Store

    store = Store(folder)
    workers = workers or max(1, min(2, os.cpu_count() or 1))
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        server = Server(store, pool)
        link = admin_link(host, port, server.admin_token)
        where = write_link(folder, link)
        assert callable(say)
        say(f"管理员链接（请勿外传，也保存在 {where}）：{link}")
        uvicorn.run(Guard(build(server)), host=host, port=port, log_level="warning", access_log=False,
                    timeout_graceful_shutdown=5)
    finally:
        pool.shutdown(cancel_futures=True)
        store.close()
