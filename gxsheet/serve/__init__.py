"""`gxsheet serve DIR`: a round of the county office in a browser, on one office machine.

Imported only by the serve command: the other commands never load Starlette or uvicorn.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
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


def new_pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes for the checks, started as on Windows (spawn) everywhere."""
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))


def port_problem(host: str, port: int) -> str:
    """Why the server cannot listen there (in Chinese), or "" when it can."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return f"无法识别地址 {host}"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        try:
            probe.bind(address)
        except OSError:
            return f"无法在 {host}:{port} 上监听：端口已被占用或没有权限，请用 --port 换一个端口"
    return ""


def check_limit(raw: str, default: float) -> float:
    """The per-upload check limit from the environment: a positive number of seconds, else the default."""
    try:
        value = float(raw)
    except ValueError:
        return default
    return value if 0 < value < float("inf") else default


class ServeProblem(Exception):
    """Why the server cannot start, in one Chinese sentence."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def serve(folder: Path, host: str, port: int, workers: int | None = None,
          say: Callable[[str], None] = print) -> None:
    """Run until interrupted; everything is in folder, so a restart loses nothing."""
    import uvicorn

    from .app import CHECK_SECONDS, CHECK_SECONDS_ENV, Server, build
    from .limits import Guard
    from .store import Store

    if problem := port_problem(host, port):
        raise ServeProblem(problem)
    store = Store(folder)
    server = Server(store, new_pool(workers or max(1, min(2, os.cpu_count() or 1))),
                    check_limit(os.environ.get(CHECK_SECONDS_ENV, ""), CHECK_SECONDS))
    try:
        link = admin_link(host, port, server.admin_token)
        where = write_link(folder, link)
        say(f"管理员链接（请勿外传，也保存在 {where}）：{link}")
        uvicorn.run(Guard(build(server)), host=host, port=port, log_level="warning", access_log=False,
                    timeout_graceful_shutdown=5)
    finally:
        server.pool.shutdown(cancel_futures=True)  # the pool in use: a broken one may have been replaced
        store.close()
