"""The official format lives in gxsheet/schema/ alone: no other module types a label or a part title."""

from __future__ import annotations

import ast
import importlib.util
import pkgutil
import re
from pathlib import Path

import gxsheet
from gxsheet.schema import claims, formats, parts
from gxsheet.schema import fields as F
from gxsheet.schema.tables import TABLES

CJK = re.compile(r"[\u4e00-\u9fff]")
NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)")
WHOLE = 4  # a label or its core of at least this many Chinese characters may not be typed as a string
INSIDE = 6  # ... and one of at least this many may not be typed inside a longer string either


def _chinese(text: str) -> int:
    return len(CJK.findall(text))


def official_words() -> tuple[set[str], set[str]]:
    """(labels, part titles) of the format as the schema declares them, with their cores (numbering
    removed): every table label, both formats, the six parts and part 一's sub-parts, the synonyms."""
    labels: set[str] = set()
    for t in TABLES:
        for b in t.blocks:
            labels |= {b.title, b.corner} | {x for r in b.rows for x in r.path} | {x for c in b.columns for x in c.path}
    old = formats.FORMAT_2019
    labels |= {*old.t2_renamed, *old.t2_rows, *old.t2_columns, old.t3_unsplit}
    labels |= {f.label for f in F.OVERVIEW_FIELDS[1:]}
    labels |= {x for words in claims.SYNONYMS.values() for x in words}
    labels |= {m for m in formats.TABLE_MARKERS}
    labels |= {NUMBERING.sub("", x) for x in labels}
    titles = {NUMBERING.sub("", t) for t in parts.PART_TITLES}
    return {x for x in labels if _chinese(x) >= WHOLE}, titles


def string_constants(source: str) -> list[tuple[int, str]]:
    """Every string constant of a module, docstrings aside, with its line."""
    tree = ast.parse(source)
    docs = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body:
            first = body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docs.add(id(first.value))
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs]


def offences(source: str) -> list[str]:
    labels, titles = official_words()
    found = []
    for line, text in sorted(string_constants(source)):
        hits = [x for x in labels if text == x or (_chinese(x) >= INSIDE and x in text)]
        hits += [t for t in titles if t in text]
        if hits:
            found.append(f"{line}: {text[:40]!r} holds {sorted(hits)[0]!r}")
    return found


def modules() -> list[tuple[str, Path]]:
    """Every module of the installed package outside gxsheet.schema."""
    out = []
    for info in pkgutil.walk_packages(gxsheet.__path__, "gxsheet."):
        if info.name == "gxsheet.schema" or info.name.startswith("gxsheet.schema."):
            continue
        spec = importlib.util.find_spec(info.name)
        if spec is not None and spec.origin and spec.origin.endswith(".py"):
            out.append((info.name, Path(spec.origin)))
    return out


def test_no_module_outside_the_schema_types_an_official_label() -> None:
    """Labels (≥4 Chinese characters, whole or with their numbering) and part titles (anywhere in a
    string) are the schema's: every other module takes them from it."""
    found = [f"{name}:{o}" for name, path in modules() for o in offences(path.read_text(encoding="utf-8"))]
    assert len(modules()) > 40  # the walk saw the package
    assert found == []


def test_the_scan_finds_labels_typed_in_code() -> None:
    """The check itself can fail: a label typed whole, one inside a message, a part title inside a
    pattern are each found; a docstring and short words are not."""
    source = '''"""予以公开 in a docstring is fine."""
x = "予以公开"
y = f"表三缺少“{k}”，应为“本年新收政府信息公开申请数量”"
z = r"^收到和处理政府信息公开申请情况$"
w = "公开"
'''
    found = offences(source)
    assert [f.split(":")[0] for f in found] == ["2", "3", "4"]
