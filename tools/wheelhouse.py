"""Build dist/wheelhouse/: an offline installer of gxsheet for Windows x64 and Python 3.11 to 3.13.

The folder holds the gxsheet wheel, a wheel of every dependency for each of those Pythons
(binary wheels where a dependency has them, e.g. lxml and MarkupSafe), 安装.bat and 使用说明.txt
(written from tools/windows/). An office copies the folder, double-clicks 安装.bat, and pip
installs from the folder alone into gxsheet-env beside it: no network.

pip evaluates environment markers for the machine it runs on even with --platform, so a
dependency needed only on Windows (click's colorama) would be missed from Linux. After pip's
own download, the wheels' metadata is walked with the markers of Windows and of each target
Python, and whatever is missing is downloaded too.

Run:  make wheelhouse   (or: .venv/bin/python tools/wheelhouse.py [OUTPUT_DIR])
Needs network (PyPI, or the index in the user's pip configuration).
"""

from __future__ import annotations

import email.parser
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from packaging.markers import Marker  # packaging: installed with pytest in the project's .venv
from packaging.requirements import Requirement
from packaging.tags import Tag, compatible_tags, cpython_tags
from packaging.utils import canonicalize_name, parse_wheel_filename
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
SOURCES = Path(__file__).resolve().parent / "windows"
PYTHONS = ("3.11", "3.12", "3.13")
PLATFORM = "win_amd64"
# name in the wheelhouse: encoding. Batch files in GBK (see the comment at the top of 安装.bat);
# the text with a BOM, which every Notepad, WPS and Word recognise as UTF-8.
TEXTS = {"安装.bat": "gbk", "使用说明.txt": "utf-8-sig"}
COPY_IGNORE = shutil.ignore_patterns(".git", ".venv", "dist", "build", "*.egg-info", "__pycache__",
                                     ".*_cache", ".hypothesis", "bench", "tests", "docs")


def dependencies() -> list[str]:
    """The runtime dependencies as pyproject.toml declares them."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return list(project.get("dependencies", []))


def version() -> str:
    return str(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"])


def pip(*args: str | Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *map(str, args)], check=True)


def build_wheel(out: Path) -> Path:
    """The gxsheet wheel, built from a copy of the sources so the worktree gets no build/ or egg-info."""
    with tempfile.TemporaryDirectory(prefix="gxsheet-wheel-") as tmp:
        src = Path(tmp) / "src"
        shutil.copytree(ROOT, src, ignore=COPY_IGNORE)
        pip("wheel", "--no-deps", "--quiet", "--wheel-dir", out, src)
    found = sorted(out.glob("gxsheet-*.whl"))
    if len(found) != 1:
        raise SystemExit(f"expected one gxsheet wheel in {out}, found {len(found)}")
    return found[0]


def download(requirements: Iterable[str], out: Path, python: str) -> None:
    pip("download", "--quiet", "--dest", out, "--only-binary=:all:", "--platform", PLATFORM,
        "--python-version", python, "--implementation", "cp", *requirements)


# --- what a Windows machine will ask for ------------------------------------------------------

def windows_markers(python: str) -> dict[str, str]:
    """The environment markers of 64-bit CPython `python` on Windows."""
    return {"os_name": "nt", "sys_platform": "win32", "platform_system": "Windows", "platform_machine": "AMD64",
            "platform_release": "10", "platform_version": "10.0.19045", "python_version": python,
            "python_full_version": f"{python}.0", "implementation_name": "cpython",
            "implementation_version": f"{python}.0", "platform_python_implementation": "CPython", "extra": ""}


def windows_tags(python: str) -> set[Tag]:
    major, minor = (int(x) for x in python.split("."))
    return set(cpython_tags((major, minor), platforms=[PLATFORM])) | set(
        compatible_tags((major, minor), f"cp{major}{minor}", [PLATFORM]))


@dataclass(frozen=True)
class Wheel:
    path: Path
    name: str
    version: Version
    tags: frozenset[Tag]

    def requires(self) -> list[Requirement]:
        with zipfile.ZipFile(self.path) as z:
            meta = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA") and n.count("/") == 1)
            message = email.parser.BytesParser().parsebytes(z.read(meta), headersonly=True)
        return [Requirement(r) for r in message.get_all("Requires-Dist") or []]


def wheels(folder: Path) -> list[Wheel]:
    found = []
    for path in sorted(folder.glob("*.whl")):
        name, ver, _, tags = parse_wheel_filename(path.name)
        found.append(Wheel(path, str(name), ver, frozenset(tags)))
    return found


def missing(folder: Path, python: str, roots: Iterable[str] = ("gxsheet",)) -> list[str]:
    """Requirements that pip on Windows with `python` would not find in folder, walking from roots."""
    env, tags = windows_markers(python), windows_tags(python)
    usable = [w for w in wheels(folder) if w.tags & tags]
    todo, seen, absent = [(Requirement(r), "") for r in roots], set(), []
    while todo:
        req, extra = todo.pop()
        if req.marker is not None and not Marker(str(req.marker)).evaluate(env | {"extra": extra}):
            continue
        key = (canonicalize_name(req.name), str(req.specifier), tuple(sorted(req.extras)))
        if key in seen:
            continue
        seen.add(key)
        fits = [w for w in usable if w.name == canonicalize_name(req.name)
                and req.specifier.contains(w.version, prereleases=True)]
        if not fits:
            absent.append(f"{req.name}{req.specifier}")
            continue
        best = max(fits, key=lambda w: w.version)
        todo += [(r, e) for r in best.requires() for e in ("", *sorted(req.extras))]
    return sorted(set(absent))


# --- the folder ---------------------------------------------------------------------------------

def texts(out: Path) -> None:
    """安装.bat and 使用说明.txt from tools/windows/, with CRLF line ends and the encoding cmd.exe reads."""
    fill = {"@PYTHONS@": " ".join(PYTHONS), "@PYTHONS_NEWEST_FIRST@": " ".join(reversed(PYTHONS)),
            "@PYTHONS_ZH@": "、".join(PYTHONS[:-1]) + " 或 " + PYTHONS[-1], "@VERSION@": version()}
    for name, encoding in TEXTS.items():
        text = (SOURCES / name).read_text(encoding="utf-8")
        for key, value in fill.items():
            text = text.replace(key, value)
        if re.search(r"@[A-Z_]+@", text):
            raise SystemExit(f"{name}: a placeholder was left unfilled")
        lines = text.replace("\r\n", "\n").split("\n")
        (out / name).write_bytes("\r\n".join(lines).encode(encoding))


def build(out: Path) -> list[Path]:
    """Write the wheelhouse into out (emptied first) and return its wheels."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    build_wheel(out)
    requirements = dependencies()
    for python in PYTHONS:
        download(requirements, out, python)
        for _ in range(5):
            absent = missing(out, python)
            if not absent:
                break
            download(absent, out, python)
        else:
            raise SystemExit(f"Python {python}: still missing {', '.join(absent)}")
    texts(out)
    return sorted(out.glob("*.whl"))


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "dist" / "wheelhouse"
    built = build(out)
    size = sum(p.stat().st_size for p in out.iterdir())
    print(f"{out}: {len(built)} wheels, {size / 1024 / 1024:.1f} MB, for Windows x64, Python {', '.join(PYTHONS)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
