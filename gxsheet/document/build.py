"""`gxsheet build`: check each workbook, then write its report as .docx, .html or .pdf."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..atomic import atomic_path, write_text
from ..check import check
from ..crash import forget, record, working_on
from ..crossyear import attach, load_previous, unit_key
from ..duplicates import Candidate, choose, differences, reason
from ..folders import expand
from ..names import readable
from ..outcome import Outcome
from ..pool import in_order
from ..report import Report
from ..tempclean import PREFIX, remove_stale
from ..templates import TemplateProblem
from ..templates import path as template_path
from ..workbook.reader import read_workbook
from ..xlsx import ReadError
from .compose import compose
from .model import Document

FORMATS = ("docx", "html", "pdf")
NO_LIBREOFFICE = "生成 PDF 需要 LibreOffice（soffice），本机未安装；可先生成 docx，再用 WPS 或 Word 另存为 PDF"


@dataclass
class Plan:
    sources: list[Path]
    outputs: dict[Path, Path] = field(default_factory=dict)
    skipped: dict[Path, str] = field(default_factory=dict)  # another file of the same unit stands for it: why


def one_per_unit(sources: list[Path]) -> tuple[list[Path], dict[Path, str]]:
    """The files found in folders, one per unit and year (duplicates.py chooses), and why others are skipped."""
    from ..collect import peek  # start-up: not above, building one workbook needs nothing of collect

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
        if output is not None and single_file:
            result.outputs[src] = output
        else:
            folder = output if output is not None else src.parent
            result.outputs[src] = folder / f"{src.stem}.{fmt}"
    return result


def _failed(src: Path, message: str) -> Outcome:
    return Outcome.unreadable(src, "FILE", message)


def build_one(src: Path, out: Path, fmt: str, force: bool = False, overwrite: bool = False,
              previous: dict[str, Report] | None = None) -> Outcome:
    """Read, check and (when clean, or forced) write one report. Never touches the input.

    previous holds last year's reports by unit: cross-year rules and year-on-year sentences.
    The outcome's output is the report written (None when not); a forced report has status errors.
    """
    if out.exists() and not overwrite:
        return _failed(src, f"{readable(out)} 已存在；如需覆盖请加 --overwrite")
    try:
        with working_on(src):
            report = read_workbook(src)
            if previous is not None:
                report.problems += attach(report, previous.get(unit_key(report.unit)))
            result = check(report)
            done = Outcome.checked(src, result)
            if result.errors and not force:
                return done
            write(compose(report, result), out, fmt)
    except ReadError as exc:
        return Outcome.unreadable(src, exc.code, exc.message)
    except NoLibreOffice as exc:
        if soffice() is None:
            raise  # not about this file: the whole run stops with its message
        return _failed(src, str(exc))  # this file's conversion failed; the others may not
    except TemplateProblem:
        raise
    except OSError as exc:
        return _failed(src, f"无法写入 {readable(out)}（{exc.strerror or type(exc).__name__}）")
    except Exception as exc:  # one strange file must not stop a folder of hundreds
        trace = record(exc)
        forget()
        kept = f"（错误记录：{readable(trace)}）" if trace else ""
        return _failed(src, f"生成时出现意外错误（{type(exc).__name__}）{kept}")
    done.output = out
    return done


def write(doc: Document, out: Path, fmt: str) -> None:
    if fmt == "html":
        from .html_writer import render_html  # here, not above: the .docx writer need not load jinja2

        write_text(out, render_html(doc))
    elif fmt == "docx":
        from .docx_writer import write_docx  # here, not above: python-docx and lxml are slow to import

        write_docx(doc, out)
    else:
        _write_pdf(doc, out)


@dataclass(frozen=True)
class _Settings:
    """What every job of one `build` shares, set once in each worker process."""

    fmt: str
    force: bool
    overwrite: bool
    previous: dict[str, Report] | None


_WORKER: list[_Settings] = []


def _init(fmt: str, force: bool, overwrite: bool, previous: Path | None) -> None:
    _WORKER[:] = [_Settings(fmt, force, overwrite, load_previous(previous) if previous is not None else None)]


def _work(job: tuple[Path, Path]) -> Outcome:
    w = _WORKER[0]
    return build_one(job[0], job[1], w.fmt, w.force, w.overwrite, w.previous)


def build_many(planned: Plan, fmt: str, force: bool = False, overwrite: bool = False,
               previous: Path | None = None, workers: int = 2) -> Iterator[Outcome]:
    """Build every planned report, in order, on up to `workers` processes (a county has hundreds)."""
    jobs = [(src, planned.outputs[src]) for src in planned.sources]
    yield from in_order(_work, jobs, _init, (fmt, force, overwrite, previous), workers if len(jobs) >= 4 else 1)


def _pdf_environment() -> dict[str, str]:
    """LibreOffice's environment: template/fonts.conf maps the GB/T 9704 fonts to free ones."""
    env = dict(os.environ)
    try:
        env["FONTCONFIG_FILE"] = str(template_path("fonts.conf"))
    except TemplateProblem:
        pass  # without the mapping LibreOffice still prints, in whatever fonts it finds
    return env


class NoLibreOffice(Exception):
    """PDF needs LibreOffice; the message says what to do instead."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _write_pdf(doc: Document, out: Path) -> None:
    from .docx_writer import write_docx  # here, not above: python-docx and lxml are slow to import

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
        import subprocess  # start-up: only a PDF needs it (LibreOffice)

        try:
            done = subprocess.run(cmd, capture_output=True, timeout=300, check=False, env=_pdf_environment())
        except (subprocess.TimeoutExpired, OSError):
            raise NoLibreOffice("LibreOffice 转换 PDF 超时或无法启动") from None
        pdf = work / f"{out.stem}.pdf"
        if done.returncode != 0 or not pdf.exists():
            raise NoLibreOffice("LibreOffice 未能把报告转换为 PDF")
        with atomic_path(out) as target:
            shutil.copyfile(pdf, target)
