"""Files named on the command line, with folders expanded: the one walk every command shares."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

Progress = Callable[[int, int], None]  # told (files done, files in all) after each file of a folder


def ignored(path: Path) -> bool:
    """Excel's ~$ lock files (present while a workbook is open) and hidden files are never inputs."""
    return path.name.startswith(("~$", "."))


def under(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """Every file with one of suffixes below folder, in a stable order."""
    return sorted(p for p in folder.rglob("*")
                  if p.suffix.lower() in suffixes and not ignored(p) and p.is_file())


def expand(paths: Iterable[Path], suffixes: tuple[str, ...]) -> list[Path]:
    """Files as given, and every matching file under each folder."""
    found: list[Path] = []
    for p in paths:
        found += under(p, suffixes) if p.is_dir() else [p]
    return found
