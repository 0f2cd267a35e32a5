"""`make wheelhouse`: the offline Windows installer resolves from its folder alone, and its texts read right.

Building the wheelhouse downloads from PyPI once per session. Without a network the resolution
tests are skipped with the reason shown; under CI they fail instead.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYTHONS = ("3.11", "3.12", "3.13")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
PATH_VARS = re.compile(r"%%?(~dp0|HERE|ENV|LAUNCHER|PATH)%?%?")
NETWORK_OPTIONS = ("--index-url", "--extra-index-url", "--trusted-host", " -i ", "--proxy", "http://", "https://")


def _load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("wheelhouse", ROOT / "tools" / "wheelhouse.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


wheelhouse = _load_tool()


def _pip_env() -> dict[str, str]:
    """No pip configuration and no PIP_* variables: only what the command line names is searched."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    return env | {"PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def _network_or_skip() -> None:
    """Whether pip can fetch a Windows wheel at all; a failure here is the network, not the code."""
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "--dest", tmp,
                               "--only-binary=:all:", "--platform", "win_amd64", "--python-version", "3.12",
                               "--implementation", "cp", "markupsafe"],
                              capture_output=True, text=True, timeout=300, check=False)
    if done.returncode != 0:
        reason = f"wheelhouse not built: cannot download from the package index ({done.stderr.strip()[-300:]})"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dist/wheelhouse as `make wheelhouse` writes it, built once into a temporary folder."""
    _network_or_skip()
    out = tmp_path_factory.mktemp("wheelhouse") / "gxsheet 离线安装包"  # a space and Chinese, as an office's
    subprocess.run([sys.executable, str(ROOT / "tools" / "wheelhouse.py"), str(out)], check=True, timeout=1200)
    return out


@pytest.fixture(scope="module")
def texts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Only the two texts, which need no network."""
    out = tmp_path_factory.mktemp("texts")
    wheelhouse.texts(out)
    return out


# --- resolution ---------------------------------------------------------------------------------

@pytest.mark.network
@pytest.mark.parametrize("python", PYTHONS)
def test_resolves_offline_for_windows(built: Path, python: str, tmp_path: Path) -> None:
    """pip for 64-bit Windows and this Python finds gxsheet and every dependency in the folder, offline."""
    report = tmp_path / "report.json"
    command = [sys.executable, "-m", "pip", "install", "--dry-run", "--no-index", "--find-links", str(built),
               "--platform", "win_amd64", "--python-version", python, "--implementation", "cp", "--quiet",
               "--only-binary=:all:", "--target", str(tmp_path / "target"), "--report", str(report), "gxsheet"]
    done = subprocess.run(command, capture_output=True, text=True, env=_pip_env(), timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    installs = json.loads(report.read_text(encoding="utf-8"))["install"]
    names = {wheelhouse.canonicalize_name(i["metadata"]["name"]) for i in installs}
    wanted = {wheelhouse.canonicalize_name(wheelhouse.Requirement(r).name) for r in wheelhouse.dependencies()}
    assert wanted | {"gxsheet"} <= names
    for item in installs:  # every file came from the folder and fits this Python on Windows
        file = Path(item["download_info"]["url"].rsplit("/", 1)[-1])
        assert (built / file.name).is_file(), file.name
        assert file.name.endswith(("-none-any.whl", f"-cp{python.replace('.', '')}-win_amd64.whl",
                                   "-abi3-win_amd64.whl", "-py3-none-win_amd64.whl")), file.name  # pypdfium2
    # pip judged markers as on this Linux machine; walk them again as Windows does (click's colorama)
    assert wheelhouse.missing(built, python) == []


@pytest.mark.network
def test_binary_wheels_for_each_python(built: Path) -> None:
    """lxml (python-docx) and MarkupSafe (Jinja2) come compiled for each Python, not as source."""
    assert not list(built.glob("*.tar.gz")) and not list(built.glob("*.zip"))
    for python in PYTHONS:
        tag = f"cp{python.replace('.', '')}-cp{python.replace('.', '')}-win_amd64"
        for name in ("lxml", "markupsafe"):
            assert list(built.glob(f"{name}-*-{tag}.whl")), f"{name} for {python}"
    assert len(list(built.glob("gxsheet-*-py3-none-any.whl"))) == 1
    assert {p.name for p in built.iterdir() if p.suffix != ".whl"} == {"安装.bat", "使用说明.txt"}


def test_missing_sees_windows_only_requirements(tmp_path: Path) -> None:
    """The marker walk finds a requirement only Windows asks for, which pip on Linux would not."""
    _wheel(tmp_path / "gxsheet-0.1.0-py3-none-any.whl", "gxsheet", ["tool>=1", "posixonly; os_name == 'posix'"])
    _wheel(tmp_path / "tool-1.0-py3-none-any.whl", "tool", ["colorama; platform_system == 'Windows'",
                                                             "old; python_version < '3.12'"])
    _wheel(tmp_path / "old-1.0-cp311-cp311-win_amd64.whl", "old", [])
    assert wheelhouse.missing(tmp_path, "3.11") == ["colorama"]
    _wheel(tmp_path / "colorama-0.4.6-py2.py3-none-any.whl", "colorama", [])
    assert wheelhouse.missing(tmp_path, "3.11") == []
    assert wheelhouse.missing(tmp_path, "3.13") == []
    (tmp_path / "old-1.0-cp311-cp311-win_amd64.whl").rename(tmp_path / "old-1.0-cp311-cp311-manylinux1_x86_64.whl")
    assert wheelhouse.missing(tmp_path, "3.11") == ["old"]


def _wheel(path: Path, name: str, requires: list[str]) -> None:
    import zipfile

    version = path.name.split("-")[1]
    meta = "".join([f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
                    *(f"Requires-Dist: {r}\n" for r in requires)])
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(f"{name}-{version}.dist-info/METADATA", meta)


# --- 安装.bat -------------------------------------------------------------------------------------

def _bat(texts: Path) -> list[str]:
    blob = (texts / "安装.bat").read_bytes()
    assert not blob.startswith(b"\xef\xbb\xbf"), "a BOM would be read by cmd.exe as part of the first command"
    assert blob.endswith(b"\r\n") and blob.count(b"\n") == blob.count(b"\r\n"), "every line must end in CRLF"
    return blob.decode("gbk").split("\r\n")


def test_installer_is_gbk_crlf_with_chinese_only_in_messages(texts: Path) -> None:
    lines = _bat(texts)
    assert lines[0] == "@echo off"
    chinese = [x.strip() for x in lines if re.search(r"[^\x00-\x7f]", x)]
    assert chinese and all(x.split(" ", 1)[0].lower() in ("echo", "rem", "title") for x in chinese), chinese
    for line in chinese:  # read in another code page, a GBK trail byte must not become cmd syntax
        assert not set(line.encode("gbk")) & set(b"|^&<>"), line
    assert not re.search(r"@[A-Z_]+@", "\n".join(lines)), "a placeholder was left unfilled"
    assert "3.11 3.12 3.13" in "\n".join(lines) and "py -%%V" in "\n".join(lines)


def test_installer_installs_from_its_own_folder_only(texts: Path) -> None:
    lines = [x for x in _bat(texts) if not x.strip().lower().startswith(("rem", "echo", "title"))]
    text = "\n".join(lines)
    pip_lines = [x for x in lines if " pip " in x]
    assert len(pip_lines) == 1
    assert '--no-index --find-links "%HERE%"' in pip_lines[0]
    assert 'set "HERE=%~dp0."' in text  # never "%~dp0" before a quote: \" would escape it for Python
    assert not re.search(r'\\"', text)
    assert 'set "PIP_CONFIG_FILE=nul"' in text and 'set "PIP_FIND_LINKS="' in text
    for option in NETWORK_OPTIONS:
        assert option not in text, option


def test_installer_quotes_every_path(texts: Path) -> None:
    """%~dp0 and the variables made from it sit inside double quotes wherever a command uses them."""
    for line in _bat(texts):
        if line.strip().lower().startswith(("rem", "@echo off")):
            continue
        for match in PATH_VARS.finditer(line):
            before = line[:match.start()]
            assert before.count('"') % 2 == 1, f"unquoted {match.group()} in: {line}"


def test_installer_writes_an_ascii_launcher_that_passes_every_argument(texts: Path) -> None:
    launcher = [x.split(" echo ", 1)[1] for x in _bat(texts) if re.match(r'>>? ?"%LAUNCHER%" echo ', x)]
    body = "\r\n".join(launcher).replace("%%", "%").replace("|| goto launcherfail", "")
    assert body.isascii()
    assert '"%~dp0gxsheet-env\\Scripts\\python.exe" -m gxsheet.cli %*' in body
    assert launcher[0].startswith("@echo off")


# --- 使用说明.txt ---------------------------------------------------------------------------------

def test_instructions_in_chinese_name_the_three_commands(texts: Path) -> None:
    blob = (texts / "使用说明.txt").read_bytes()
    assert blob.startswith(b"\xef\xbb\xbf")  # Notepad on every Windows then reads it as UTF-8
    assert blob.count(b"\n") == blob.count(b"\r\n")
    text = blob.decode("utf-8-sig")
    for needle in ("gxsheet new", "gxsheet check", "gxsheet build", "安装.bat", "gxsheet.bat", "python.org",
                   "软件中心", "64 位", "3.11"):
        assert needle in text, needle
    cjk = len(re.findall(r"[\u4e00-\u9fff]", text))
    assert cjk > len(re.findall(r"[A-Za-z]", text)), "the instructions are in Chinese"
