"""Whether an output path can be written, checked before any work is done.

A typo such as `-o 报告.docx/汇总.docx` (a file where a folder should be) or `-o` onto a folder
named like a file must be one Chinese line at the start, not a traceback after a round of
hundreds of workbooks was read, or after the summary was already written.
"""

from __future__ import annotations

import os
from pathlib import Path

from .names import readable


def _first_existing(path: Path) -> Path | None:
    for parent in path.parents:
        if parent.exists():
            return parent
    return None


def output_problem(path: Path, overwrite: bool) -> str:
    """Why path cannot be written as an output file ("" when it can)."""
    shown = readable(path)
    try:
        if path.is_dir():
            return f"{shown} 是一个文件夹，不能作为输出文件"
        if path.exists() and not overwrite:
            return f"{shown} 已存在；如需覆盖请加 --overwrite"
        base = _first_existing(path.absolute())
        if base is not None and not base.is_dir():
            return f"{readable(base)} 是一个文件，不是文件夹，无法在其中写入 {readable(path.name)}"
        if base is not None and not os.access(base, os.W_OK | os.X_OK):
            return f"没有权限在 {readable(base)} 中写入文件"
    except OSError as exc:  # a name too long, a broken drive
        return f"无法写入 {shown}（{exc.strerror or type(exc).__name__}）"
    return ""


def folder_problem(path: Path) -> str:
    """Why path cannot be used as an output folder ("" when it can, or can be created)."""
    try:
        if path.exists() and not path.is_dir():
            return f"{readable(path)} 是一个文件，不能作为输出文件夹"
        base = path if path.exists() else _first_existing(path.absolute())
        if base is not None and not base.is_dir():
            return f"{readable(base)} 是一个文件，不是文件夹，无法在其中创建 {readable(path.name)}"
    except OSError as exc:
        return f"无法使用文件夹 {readable(path)}（{exc.strerror or type(exc).__name__}）"
    return ""
