"""`gxsheet build`: check each workbook, then write its report as .docx, .html or .pdf."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..atomic import atomic_path, write_text
from ..check import Result, check
from ..crash import forget, record, working_on
from ..folders import expand
from ..names import readable
from ..report import Report
from ..tempclean import PREFIX, remove_stale
from ..templates import TemplateProblem
from ..xlsx import ReadError
from .compose import compose

FORMATS = ("docx", "html", "pdf")
NO_LIBREOFFICE = "生成 PDF 需要 LibreOffice（soffice），本机未安装；可先生成 docx，再用 WPS 或 Word 另存为 PDF"


@dataclass
class Built:
    """What happened to one input: written to output, or why not."""

    source: Path
    output: Path | None = None
    result: Result | None = None
    error: str = ""  # unreadable or refused, one Chinese sentence
    forced: bool = False

    @property
    def status(self) -> str:
        if self.output is not None:
            return "built"
        return "unreadable" if self.result is None else "errors"


@dataclass
class Plan:
    sources: list[Path]
    outputs: dict[Path, Path] = field(default_factory=dict)
    skipped: dict[Path, str] = field(default_factory=dict)  # another file of the same unit stands for it: why


def one_per_unit(sources: list[Path]) -> tuple[list[Path], dict[Path, str]]:
    """The files found in folders, one per unit and year (duplicates.py chooses), and why others are skipped."""
    from ..collect import peek
    from ..duplicates import Candidate, choose, differences, reason
    from ..workbook.reader import read_workbook

    groups: dict[tuple[str, str], list[Path]] = {}
    for src in sources:
        meta = peek(src)
        key = (meta.get("unit", ""), meta.get("year", "")) if meta.get("unit") else (str(src), "")
        groups.setdefault(key, []).append(src)
    skipped: dict[Path, str] = {}
    for (unit, _), files in groups.items():
        if len(files) < 2:
            continue
        candidates = []
        for src in files:
            try:
                candidates.append(Candidate(src, passed=check(read_workbook(src)).ok))
            except ReadError:
                candidates.append(Candidate(src, readable=False, passed=False))
        best = choose(candidates)
        for c in candidates:
            if c is not best:
                diff = differences(best.path, c.path) if c.readable and best.readable else ""
                why = reason(best, c, names=(best.path.name, c.path.name))
                skipped[c.path] = "。".join(x for x in (f"{c.path}：与{best.path}是同一单位（{unit}）的工作簿，"
                                                       f"只生成{best.path.name}的报告：{why}", diff) if x)
    return [s for s in sources if s not in skipped], skipped


def workbooks(inputs: Iterable[Path]) -> list[Path]:
    """Files as given, and every .xlsx under a folder (Excel's ~$ lock files skipped)."""
    return expand(inputs, (".xlsx",))


def plan(inputs: list[Path], output: Path | None, fmt: str) -> Plan:
    """Where each report goes: -o FILE for one input, -o DIR for many, else beside the workbook."""
    sources = workbooks(inputs)
    skipped: dict[Path, str] = {}
    if any(p.is_dir() for p in inputs):
        sources, skipped = one_per_unit(sources)
    result = Plan(sources, skipped=skipped)
    single_file = output is not None and len(sources) == 1 and output.suffix.lower() == f".{fmt}"
    for src in sources:
        if single_file:
            assert output is not None
            result.outputs[src] = output
        else:
            folder = output if output is not None else src.parent
            result.outputs[src] = folder / f"{src.stem}.{fmt}"
    return result


def build_one(src: Path, out: Path, fmt: str, force: bool = False, overwrite: bool = False,
              previous: dict[str, Report] | None = None) -> Built:
    """Read, check and (when clean, or forced) write one report. Never touches the input.

    previous holds last year's reports by unit: cross-year rules and year-on-year sentences.
    """
    from ..crossyear import attach, unit_key
    from ..workbook.reader import read_workbook

    if out.exists() and not overwrite:
        return Built(src, error=f"{readable(out)} 已存在；如需覆盖请加 --overwrite")
    try:
        with working_on(src):
            report = read_workbook(src)
            if previous is not None:
                report.problems += attach(report, previous.get(unit_key(report.unit)))
            result = check(report)
            if result.errors and not force:
                return Built(src, result=result)
            write(compose(report, result), out, fmt)
    except ReadError as exc:
        return Built(src, error=exc.message)
    except NoLibreOffice as exc:
        if soffice() is None:
            raise  # not about this file: the whole run stops with its message
        return Built(src, error=str(exc))  # this file's conversion failed; the others may not
    except TemplateProblem:
        raise
    except OSError as exc:
        return Built(src, error=f"无法写入 {readable(out)}（{exc.strerror or type(exc).__name__}）")
    except Exception as exc:  # one strange file must not stop a folder of hundreds
        trace = record(exc)
        forget()
        kept = f"（错误记录：{readable(trace)}）" if trace else ""
        return Built(src, error=f"生成时出现意外错误（{type(exc).__name__}）{kept}")
    return Built(src, out, result, forced=bool(result.errors))


def write(doc: object, out: Path, fmt: str) -> None:
    from .model import Document

    assert isinstance(doc, Document)
    if fmt == "html":
        from .html_writer import render_html

        write_text(out, render_html(doc))
    elif fmt == "docx":
        from .docx_writer import write_docx

        write_docx(doc, out)
    else:
        _write_pdf(doc, out)


@dataclass(frozen=True)
class Done:
    """What a worker sends back: small and picklable (never the report itself)."""

    source: Path
    status: str  # built | errors | unreadable
    output: Path | None
    lines: tuple[str, ...]  # the problems, for errors; the reason, for unreadable
    forced: bool = False


def _summary(built: Built) -> Done:
    from ..output import FileOutcome

    if built.result is not None and built.output is None:
        return Done(built.source, "errors", None, tuple(FileOutcome(built.source, result=built.result).lines()))
    return Done(built.source, built.status, built.output, (built.error,) if built.error else (), built.forced)


_WORKER: dict[str, object] = {}


def _init(fmt: str, force: bool, overwrite: bool, previous: Path | None) -> None:
    from ..crossyear import load_previous

    _WORKER.update(fmt=fmt, force=force, overwrite=overwrite,
                   previous=load_previous(previous) if previous is not None else None)


def _work(job: tuple[Path, Path]) -> Done:
    w = _WORKER
    previous = w["previous"]
    return _summary(build_one(job[0], job[1], str(w["fmt"]), bool(w["force"]), bool(w["overwrite"]),
                              previous if isinstance(previous, dict) else None))


def build_many(planned: Plan, fmt: str, force: bool = False, overwrite: bool = False,
               previous: Path | None = None, workers: int = 2) -> Iterator[Done]:
    """Build every planned report, in order, on up to `workers` processes (a county has hundreds)."""
    jobs = [(src, planned.outputs[src]) for src in planned.sources]
    if workers <= 1 or len(jobs) < 4:
        _init(fmt, force, overwrite, previous)
        yield from map(_work, jobs)
        return
    ctx = multiprocessing.get_context("spawn")  # no fork: safe with threads, same on Windows
    with ctx.Pool(workers, _init, (fmt, force, overwrite, previous)) as pool:
        yield from pool.imap(_work, jobs)


def _pdf_environment() -> dict[str, str]:
    """LibreOffice's environment: template/fonts.conf maps the GB/T 9704 fonts to free ones."""
    from .. import templates

    env = dict(os.environ)
    try:
        env["FONTCONFIG_FILE"] = str(templates.path("fonts.conf"))
    except templates.TemplateProblem:
        pass  # without the mapping LibreOffice still prints, in whatever fonts it finds
    return env


class NoLibreOffice(Exception):
    """PDF needs LibreOffice; the message says what to do instead."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _write_pdf(doc: object, out: Path) -> None:
    from .docx_writer import write_docx
    from .model import Document

    assert isinstance(doc, Document)
    binary = soffice()
    if binary is None:
        raise NoLibreOffice(NO_LIBREOFFICE)
    remove_stale()
    with tempfile.TemporaryDirectory(prefix=PREFIX) as tmp:
        work = Path(tmp)
        docx = work / f"{out.stem}.docx"
        write_docx(doc, docx)
        profile = (work / "profile").as_uri()
        cmd = [binary, f"-env:UserInstallation={profile}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(work), str(docx)]
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=300, check=False, env=_pdf_environment())
        except (subprocess.TimeoutExpired, OSError):
            raise NoLibreOffice("LibreOffice 转换 PDF 超时或无法启动") from None
        pdf = work / f"{out.stem}.pdf"
        if done.returncode != 0 or not pdf.exists():
            raise NoLibreOffice("LibreOffice 未能把报告转换为 PDF")
        with atomic_path(out) as target:
            shutil.copyfile(pdf, target)
