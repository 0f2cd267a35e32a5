"""Seeded mutators and one-case runners for the fuzz suite (tests/test_fuzz.py, tools/fuzz.py).

A case is (kind, seed): the seed picks a good input of that kind, mutates it (bytes, zip
structure, XML values, page text), writes it under a fresh folder and runs the library entry
points a command would run. The outcome is the command's exit code (0, 1, 2) or a fault class:
"traceback" (an exception escaped), "modified" (an input changed), "slow" or "memory".
"""

from __future__ import annotations

import hashlib
import io
import os
import random
import re
import sys
import time
import traceback
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

# Values that broke or nearly broke a reader: odd digits, huge and special numbers, markup, controls.
NASTY = ["²", "٣", "９", "9" * 5000, "9" * 401, "-1", "1e308", "-0", "NaN", "inf", "1E+400", "0x10", "", " ",
         "\x00", "&#xD800;", "&#0;", "<", "&amp;", "]]>", "=HYPERLINK(\"x\")", "2024年", "一、", "\t", "\n" * 50,
         "测" * 5000, "1" * 10_000, "2024年政府信息公开工作年度报告", "（" * 2000, "%" * 100, "4294967296",
         "18446744073709551617", "1.5万元", "3件", "–", "\u202e", "\ufeff", "A1048577", "XFD1", "$A$1"]
KINDS = ("xlsx", "html", "docx", "txt", "folder")


@dataclass
class Outcome:
    kind: str
    seed: int
    code: int | None  # the exit code the command would give; None when it failed
    fault: str = ""  # "", "traceback", "modified", "slow", "memory"
    detail: str = ""
    seconds: float = 0.0
    peak_mb: int = 0

    @property
    def label(self) -> str:
        return self.fault or f"exit {self.code}"


# --- the good inputs -----------------------------------------------------------------------------

_SEEDS: dict[str, bytes] = {}


def seeds() -> dict[str, bytes]:
    """The good inputs, made once: the sample workbook, a blank one, the sample's .docx, .html and text."""
    if _SEEDS:
        return _SEEDS
    import tempfile

    from gxsheet.workbook.meta import Meta
    from gxsheet.workbook.writer import write_workbook

    with tempfile.TemporaryDirectory() as tmp:
        blank = Path(tmp) / "blank.xlsx"
        write_workbook(blank, Meta("柴胡店镇人民政府", 2024))
        _SEEDS["blank.xlsx"] = blank.read_bytes()
    for name in ("柴胡店镇人民政府2024.xlsx", "柴胡店镇人民政府2024.docx", "柴胡店镇人民政府2024.html"):
        _SEEDS[name.rsplit(".", 1)[1] if name.endswith((".docx", ".html")) else "sample.xlsx"] = (
            (SAMPLES / name).read_bytes())
    _SEEDS["txt"] = _as_text(SAMPLES / "柴胡店镇人民政府2024.html").encode("utf-8")
    return _SEEDS


def _as_text(page: Path) -> str:
    """The report as the text form reads it: paragraphs one a line, table cells TAB-led, rows apart."""
    from gxsheet.published.reader import read_published

    pub = read_published(page)
    lines = [*pub.title, *pub.paragraphs, ""]
    for table in pub.tables:
        for row in table:
            lines += [f"\t{cell}" for cell in row] + [""]
        lines.append("")
    return "\n".join(lines)


# --- mutators ------------------------------------------------------------------------------------

def mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    """Flip, cut, insert or repeat a few bytes anywhere."""
    b = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        op, at = rng.randrange(5), rng.randrange(max(len(b), 1))
        if op == 0 and b:
            b[at] ^= 1 << rng.randrange(8)
        elif op == 1:
            del b[at:at + rng.randint(1, 64)]
        elif op == 2:
            b[at:at] = rng.randbytes(rng.randint(1, 32))
        elif op == 3:
            b[at:at] = b[at:at + rng.randint(1, 256)] * rng.randint(1, 20)
        else:
            b = b[:at]
    return bytes(b)


def mutate_text(rng: random.Random, text: str) -> str:
    """Insert nasty values, repeat or drop a span, or wrap text in deep markup."""
    for _ in range(rng.randint(1, 6)):
        at = rng.randrange(max(len(text), 1))
        op = rng.randrange(5)
        if op == 0:
            text = text[:at] + rng.choice(NASTY) + text[at:]
        elif op == 1:
            text = text[:at] + text[at:at + rng.randint(1, 400)] * rng.randint(2, 50) + text[at:]
        elif op == 2:
            text = text[:at] + text[at + rng.randint(1, 2000):]
        elif op == 3:
            depth = rng.choice((10, 200, 3000))
            tag = rng.choice(("div", "table", "td", "p", "span", "w:tbl"))
            text = text[:at] + f"<{tag}>" * depth + text[at:]
        else:
            text = re.sub(r"\d+", lambda m: rng.choice(NASTY) if rng.random() < 0.05 else m.group(), text, count=200)
    return text


def mutate_xml(rng: random.Random, xml: bytes) -> bytes:
    """Values, attributes and tags of an XML part replaced by nasty ones, or the part truncated."""
    text = xml.decode("utf-8", "surrogateescape")
    op = rng.randrange(6)
    if op == 0:  # cell values and shared-string indexes
        text = re.sub(r"<v>[^<]*</v>", lambda m: f"<v>{_esc(rng.choice(NASTY))}</v>" if rng.random() < 0.1
                      else m.group(), text)
    elif op == 1:  # attributes: cell types, references, spans, styles
        text = re.sub(r'(\b(?:t|r|s|w:val|ref|spans|gridSpan)=")[^"]*(")',
                      lambda m: m[1] + _esc(rng.choice(NASTY + ["s", "str", "inlineStr", "e", "b"])) + m[2]
                      if rng.random() < 0.1 else m.group(), text)
    elif op == 2:  # text nodes
        text = re.sub(r"(<(?:t|w:t)(?: [^>]*)?>)[^<]*", lambda m: m[1] + _esc(rng.choice(NASTY))
                      if rng.random() < 0.1 else m.group(), text)
    elif op == 3:  # a run of empty elements, small enough to pass the caps sometimes
        tag = rng.choice(("<row><c/></row>", "<si/>", "<w:p/>", "<c r=\"A1\"/>"))
        at = rng.randrange(max(len(text), 1))
        text = text[:at] + tag * rng.choice((10, 1000, 50_000, 200_000)) + text[at:]
    elif op == 4:
        text = mutate_text(rng, text)
    else:
        return mutate_bytes(rng, xml)
    return text.encode("utf-8", "surrogateescape")


def _esc(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def mutate_zip(rng: random.Random, data: bytes) -> bytes:
    """Mutate some XML members, drop, duplicate or add members, or break the zip headers."""
    op = rng.randrange(10)
    if op == 0:
        return mutate_bytes(rng, data)
    if op == 1:  # a header field: versions, flags, method, sizes
        heads = [m.start() for m in re.finditer(rb"PK\x01\x02|PK\x03\x04", data)]
        if heads:
            at = rng.choice(heads) + rng.randrange(4, 30)
            return data[:at] + bytes([rng.randrange(256)]) + data[at + 1:]
    out = io.BytesIO()
    import warnings

    with zipfile.ZipFile(io.BytesIO(data)) as zin, warnings.catch_warnings(), \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        warnings.simplefilter("ignore")  # duplicate names are one of the mutations
        xml = [i.filename for i in zin.infolist() if i.filename.endswith((".xml", ".rels"))]
        chosen = set(rng.sample(xml, min(len(xml), rng.choice((1, 1, 2, 4))))) if op >= 5 else set()
        for info in zin.infolist():
            body = zin.read(info)
            roll = rng.random()
            if op == 2 and roll < 0.05:
                continue  # a member dropped
            if info.filename in chosen:
                body = mutate_xml(rng, body)
            zout.writestr(info.filename, body)
            if op == 3 and roll < 0.05:
                zout.writestr(info.filename, mutate_xml(rng, body))  # a second member of the same name
        if op == 4:
            zout.writestr("xl/media/big.bin", b"\0" * rng.choice((1 << 10, 1 << 22)))
    return out.getvalue()


def make_input(kind: str, rng: random.Random) -> tuple[str, bytes]:
    """(suffix, bytes) of one mutated input of kind."""
    s = seeds()
    if kind == "xlsx":
        return ".xlsx", mutate_zip(rng, s[rng.choice(("sample.xlsx", "sample.xlsx", "blank.xlsx"))])
    if kind == "docx":
        return ".docx", mutate_zip(rng, s["docx"])
    if kind == "html":
        page = s["html"].decode("utf-8")
        data = mutate_text(rng, page).encode(rng.choice(("utf-8", "gb18030")), "ignore")
        return rng.choice((".html", ".html", ".htm", ".txt")), data if rng.random() < 0.8 else mutate_bytes(rng, data)
    text = mutate_text(rng, s["txt"].decode("utf-8"))
    return ".txt", text.encode("utf-8", "surrogateescape") if rng.random() < 0.8 else mutate_bytes(rng, text.encode())


# --- running one case ----------------------------------------------------------------------------

def peak_mb() -> int:
    """The process's peak resident memory so far, in MB (0 where it cannot be known)."""
    try:
        import resource
    except ImportError:  # Windows
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // (1 << 20) if sys.platform == "darwin" else peak // 1024


def digest(folder: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def run_workbook(path: Path, out: Path) -> int:
    """check, export and build (html) of one workbook: the exit code check would give."""
    from gxsheet import jsonio
    from gxsheet.check_files import check_files
    from gxsheet.document.build import build_one
    from gxsheet.outcome import exit_code
    from gxsheet.output import check_lines

    outcomes = check_files([path])
    code = exit_code(o.status for o in outcomes)
    if code != 2:
        from gxsheet.workbook.reader import read_workbook

        jsonio.dumps(read_workbook(path))
        built = build_one(path, out / "report.html", "html", force=True)
        if built.output is None:
            raise AssertionError(f"build could not write what check read: {built.error}")
    for o in outcomes:
        check_lines(o)
        o.as_dict()
    return code


def run_published(path: Path, out: Path) -> int:
    """audit, then import into a workbook: 2 when unreadable, 1 with findings."""
    from gxsheet.published.audit import audit
    from gxsheet.published.importer import import_report
    from gxsheet.published.reader import PublishedError, read_published

    try:
        pub = read_published(path)
    except PublishedError as exc:
        assert "\n" not in exc.message and exc.message
        return 2
    audited = audit(pub, None)
    import_report(pub, out / "imported.xlsx", "某单位", 2024)
    return 1 if audited.problems else 0


def run_folder(folder: Path, out: Path) -> int:
    from gxsheet.collect import collect
    from gxsheet.summary import write_summary

    done = collect(folder, workers=1)
    write_summary(done, out / "汇总.xlsx")
    if len(done.submissions) != len(list(folder.glob("*.xlsx"))):
        raise AssertionError("a file of the folder has no row in the summary")
    done.lines()
    done.as_dict(out / "汇总.xlsx")
    return done.exit_code


def run_case(kind: str, seed: int, work: Path, max_seconds: float = 10, max_mb: int = 500) -> Outcome:
    """Make and run one case under work/ (emptied by the caller); never raises."""
    rng = random.Random(f"{kind}:{seed}")
    inputs, out = work / "in", work / "out"
    inputs.mkdir(parents=True)
    out.mkdir()
    try:
        if kind == "folder":
            for i in range(rng.randint(2, 5)):
                suffix, data = make_input("xlsx", rng) if rng.random() < 0.8 else (".xlsx", seeds()["sample.xlsx"])
                (inputs / f"{i}{suffix}").write_bytes(data)
            target: Path = inputs
        else:
            suffix, data = make_input(kind, rng)
            target = inputs / f"case{suffix}"
            target.write_bytes(data)
    except Exception as exc:  # a mutator bug: report it rather than hide it
        return Outcome(kind, seed, None, "traceback", f"mutator: {exc!r}")
    before = digest(inputs)
    peak_before = peak_mb()
    start = time.perf_counter()
    try:
        if kind == "folder":
            code = run_folder(target, out)
        elif kind == "xlsx":
            code = run_workbook(target, out)
        else:
            code = run_published(target, out)
        fault, detail = "", ""
    except BaseException as exc:  # noqa: B036 - a fuzz case must report anything that escapes
        if isinstance(exc, KeyboardInterrupt):
            raise
        code, fault = None, "traceback"
        detail = "".join(traceback.format_exception(exc)[-3:])
    seconds = time.perf_counter() - start
    peak = peak_mb()
    if not fault and digest(inputs) != before:
        fault = "modified"
    elif not fault and code not in (0, 1, 2):
        fault, detail = "traceback", f"exit code {code}"
    elif not fault and seconds > max_seconds:
        fault = "slow"
    elif not fault and peak > max_mb >= peak_before:  # this case raised the process's peak past the limit
        fault = "memory"
    return Outcome(kind, seed, code, fault, detail, seconds, peak)


def keep(outcome: Outcome, work: Path, into: Path) -> None:
    """Copy a failing case's inputs to into/ for a reproducer."""
    import shutil

    target = into / f"{outcome.kind}-{outcome.seed}"
    shutil.copytree(work / "in", target, dirs_exist_ok=True)


Runner = Callable[[str, int, Path], Outcome]
os.environ.setdefault("SOURCE_DATE_EPOCH", "1735689600")
