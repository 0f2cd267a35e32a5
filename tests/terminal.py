"""Running a command on a pseudo-terminal, to see what it shows a person (progress lines)."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path


def stderr_on_terminal(args: list[str], cwd: Path | None = None) -> str:
    """What `python -m gxsheet.cli ARGS` writes to stderr when stderr is a terminal (stdout discarded)."""
    master, slave = pty.openpty()
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "gxsheet.cli", *args], cwd=cwd, env=env,
                            stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    seen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 120)
        try:
            chunk = os.read(master, 4096) if ready else b""
        except OSError:  # the terminal closed when the process ended
            chunk = b""
        if not chunk:
            break
        seen += chunk
    proc.wait(timeout=120)
    os.close(master)
    return seen.decode("utf-8")
