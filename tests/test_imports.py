"""The gxsheet package has no import cycle: module-level imports (those that run when a module is
first imported) form a graph without loops. Imports inside functions run later and are left out;
so are those under `if TYPE_CHECKING:`, which never run."""

from __future__ import annotations

import ast
from pathlib import Path

import gxsheet

ROOT = Path(gxsheet.__file__).resolve().parent


def modules() -> dict[str, Path]:
    """Every module of the installed package by dotted name (a package by its own name)."""
    out: dict[str, Path] = {}
    for path in ROOT.rglob("*.py"):
        parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _top_level(body: list[ast.stmt]) -> list[ast.Import | ast.ImportFrom]:
    """Import statements that run at import time: in the body, and in its if/try/with blocks."""
    found: list[ast.Import | ast.ImportFrom] = []
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        elif isinstance(node, ast.If):
            test = ast.unparse(node.test)
            if "TYPE_CHECKING" not in test:
                found += _top_level(node.body)
            found += _top_level(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody, *(h.body for h in node.handlers)):
                found += _top_level(block)
        elif isinstance(node, ast.With):
            found += _top_level(node.body)
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The gxsheet modules `name` imports at module level (a package's __init__ counted as imported too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in _top_level(ast.parse(path.read_text(encoding="utf-8")).body):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
            continue
        base = node.module or ""
        if node.level:
            anchor = package.split(".")
            anchor = anchor[:len(anchor) - (node.level - 1)]
            base = ".".join([*anchor, base] if base else anchor)
        for alias in node.names:  # `from . import docx` imports the module docx; `from .x import f` needs x
            sub = f"{base}.{alias.name}"
            targets.add(sub if sub in known else base)
    # A module's own packages are initialised before it runs, so reaching them is no cycle, unless it takes
    # a name from one (`from ..schema import SCHEMA` inside gxsheet/schema/): then it needs the package done.
    own = {".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1)}
    out: set[str] = set()
    for target in targets:
        parts = target.split(".")
        for i in range(1, len(parts) + 1):  # importing a.b.c runs a and a.b first
            prefix = ".".join(parts[:i])
            if prefix in known and prefix != name and (prefix not in own or prefix == target):
                out.add(prefix)
    return out


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    top = stack.pop()
                    on.discard(top)
                    component.append(top)
                    if top == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(name, path, known) for name, path in known.items()}


def test_the_package_has_no_import_cycle() -> None:
    g = graph()
    assert len(g) > 50, "the walk found the package's modules"
    assert cycles(g) == []


def test_the_readers_depend_on_the_common_module_and_nothing_imports_the_dispatcher_back() -> None:
    g = graph()
    readers = [f"gxsheet.published.{m}" for m in ("html", "docx", "text", "pdf", "pdftext", "pdfcaps")]
    for reader in readers:
        assert "gxsheet.published.reader" not in g[reader], reader
    for reader in ("html", "docx", "text", "pdf"):
        assert "gxsheet.published.common" in g[f"gxsheet.published.{reader}"], reader
    for reader in ("docx", "text", "pdf"):  # looks_like_data comes from common, not from html
        assert "gxsheet.published.html" not in g[f"gxsheet.published.{reader}"], reader


def test_the_cycle_finder_finds_a_planted_cycle() -> None:
    g = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(g) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_relative_imports_resolve_to_modules(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    for name in ("__init__.py", "sub/__init__.py", "sub/x.py", "sub/y.py", "z.py"):
        (package / name).write_text("", encoding="utf-8")
    (package / "sub" / "x.py").write_text(
        "from . import y\nfrom ..z import thing\nimport typing\nif typing.TYPE_CHECKING:\n    from .w import q\n"
        "def f():\n    from . import late\n", encoding="utf-8")
    known = {"pkg": package / "__init__.py", "pkg.sub": package / "sub" / "__init__.py",
             "pkg.sub.x": package / "sub" / "x.py", "pkg.sub.y": package / "sub" / "y.py",
             "pkg.z": package / "z.py", "pkg.sub.w": package / "z.py", "pkg.sub.late": package / "z.py"}
    assert imports("pkg.sub.x", known["pkg.sub.x"], known) == {"pkg.sub.y", "pkg.z"}
    (package / "sub" / "y.py").write_text("from . import helper\n", encoding="utf-8")  # a name from the package
    assert imports("pkg.sub.y", known["pkg.sub.y"], known) == {"pkg.sub"}
