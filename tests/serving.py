"""A real `gxsheet serve` on a random loopback port, started and stopped by the tests, and workbooks to upload."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from gxsheet import jsonio
from gxsheet.prefill import prefill_values
from gxsheet.workbook.meta import Meta
from gxsheet.workbook.writer import write_workbook

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DATA = ROOT / "samples" / "柴胡店镇人民政府2024.json"
LINK_FILE = "管理员链接.txt"


@dataclass
class Running:
    base: str
    folder: Path
    admin: str  # the admin token
    process: subprocess.Popen[bytes]

    def client(self, admin: bool = True, **kw: Any) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.admin}"} if admin else {}
        return httpx.Client(base_url=self.base, headers=headers | kw.pop("headers", {}), timeout=120, **kw)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running(folder: Path, env: dict[str, str] | None = None) -> Iterator[Running]:
    """gxsheet serve folder on a free loopback port, until the block ends (then interrupted, as Ctrl+C).
    env: more environment variables for the server (GXSHEET_SERVE_CHECK_SECONDS)."""
    port = free_port()
    link = folder / LINK_FILE
    if link.exists():
        link.unlink()
    process = subprocess.Popen([sys.executable, "-m", "gxsheet", "serve", str(folder), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, process.stdout.read().decode() if process.stdout else ""
            try:
                if link.exists() and httpx.get(base + "/", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "gxsheet serve did not start"
            time.sleep(0.2)
        token = link.read_text(encoding="utf-8").strip().rsplit("token=", 1)[1]
        yield Running(base, folder, token, process)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def good_workbook(path: Path, unit: str, year: int = 2024) -> Path:
    """A workbook of unit and year that passes every rule: the sample's figures, this unit's name."""
    values = prefill_values(jsonio.load(SAMPLE_DATA))
    write_workbook(path, Meta(unit, year), values)
    return path


def blank_workbook(path: Path, unit: str, year: int = 2024) -> Path:
    """A workbook as the unit downloads it, nothing filled in: errors everywhere."""
    write_workbook(path, Meta(unit, year))
    return path


def create_round(client: httpx.Client, units: list[str], year: int = 2024, **more: Any) -> dict[str, Any]:
    answer = client.post("/api/rounds", json={"year": year, "units": units, **more})
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def upload(base: str, token: str, path: Path, name: str | None = None) -> httpx.Response:
    with path.open("rb") as fh:
        return httpx.post(f"{base}/u/{token}/upload", files={"file": (name or path.name, fh)},
                          headers={"Accept": "application/json"}, timeout=120)
