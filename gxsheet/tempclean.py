"""Temporary folders of PDF conversion, removed even after a killed run.

`tempfile.TemporaryDirectory` cleans up on any exception, but not when the process is killed
(Ctrl+C twice, a closed console, the task manager). Each run therefore first removes the
folders of earlier runs: old enough that no conversion can still be using them.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

PREFIX = "gxsheet-pdf-"
STALE = 2 * 60 * 60  # seconds; a conversion times out after 300


def remove_stale(base: Path | None = None, now: float | None = None) -> int:
    """Remove PREFIX folders in the temp folder untouched for STALE seconds; how many were removed."""
    base = Path(base or tempfile.gettempdir())
    now = time.time() if now is None else now
    removed = 0
    try:
        candidates = [p for p in base.iterdir() if p.name.startswith(PREFIX)]
    except OSError:
        return 0
    for folder in candidates:
        try:
            if folder.is_dir() and not folder.is_symlink() and now - folder.stat().st_mtime > STALE:
                shutil.rmtree(folder, ignore_errors=True)
                removed += not folder.exists()
        except OSError:
            continue  # another run removing it at the same time, or not ours to remove
    return removed
