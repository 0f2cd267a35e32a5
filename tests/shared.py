"""The team's shared material (../shared beside the clone): real published reports, the seed, the reference.

A clone placed anywhere else still passes: these tests skip, saying why. In CI, where a copy
of shared/ is always laid beside the clone, its absence is a failure, never a silent skip.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


def shared(*parts: str) -> Path:
    """A path inside ../shared; skip (or, under CI, fail) when it is not there."""
    path = SHARED.joinpath(*parts)
    if path.exists():
        return path
    if os.environ.get("CI"):
        pytest.fail(f"{path} is missing: CI lays shared/ beside the clone, so these tests must run there")
    pytest.skip(f"shared material not present: {path} (a clone without ../shared beside it)")
