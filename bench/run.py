"""Benchmarks, reported as ratios to a baseline measured in the same run (never as timed tests).

check: reading and checking N workbooks with gxsheet, against merely loading them with openpyxl.
build: compiling 1 and N workbooks into .docx / .html, against loading the same workbooks.
new:   writing one workbook with `gxsheet new`, against openpyxl loading one.
collect: `gxsheet collect` over a folder of distinct units' workbooks, against loading them with
       openpyxl one after another; and its peak memory for a tenth of the folder and the whole.
start-up: one whole `gxsheet check` / `gxsheet build` process on the sample, against one whole
       process that merely loads it with openpyxl, in CPU time (a clerk checking one file should
       not pay for the writer; targets: check <= 0.6, build .docx <= 1.5).
audit: one whole `gxsheet audit DIR` process over a folder of real published pages (the pages in
       ../shared/reports, copied over and over), against one whole process that merely parses the
       same pages with html.parser, in CPU time; and its pages per CPU second (target >= 50).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import openpyxl

from gxsheet.check import check
from gxsheet.workbook.meta import Meta
from gxsheet.workbook.reader import read_workbook
from gxsheet.workbook.writer import write_workbook

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "柴胡店镇人民政府2024.xlsx"


def timed(fn: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def peak(fn: Callable[[], object]) -> int:
    tracemalloc.start()
    fn()
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=100, help="workbooks in the folder")
    parser.add_argument("--collect", type=int, default=300, help="workbooks in the collect round (0: skip)")
    parser.add_argument("--only-collect", action="store_true", help="run the collect benchmark alone")
    parser.add_argument("--only-startup", action="store_true", help="run the start-up benchmark alone")
    parser.add_argument("--audit", type=int, default=100, help="copies of each real page in the audit folder")
    parser.add_argument("--only-audit", action="store_true", help="run the audit benchmark alone")
    args = parser.parse_args()
    compiled()
    if args.only_audit:
        bench_audit(args.audit)
        return
    bench_startup()
    if args.only_startup:
        return
    bench_audit(args.audit)
    if args.collect:
        bench_collect(args.collect)
    if args.only_collect:
        return
    work = Path(tempfile.mkdtemp(prefix="gxbench"))
    try:
        files = [work / f"{i:03d}.xlsx" for i in range(args.n)]
        for f in files:
            shutil.copyfile(SAMPLE, f)

        def load_all() -> None:
            for f in files:
                openpyxl.load_workbook(f).close()

        def check_all() -> None:
            for f in files:
                check(read_workbook(f))

        base, ours = timed(load_all), timed(check_all)
        print(f"check  {args.n} workbooks: gxsheet {ours:.2f}s, openpyxl load {base:.2f}s, ratio {ours / base:.2f}")
        m_small = peak(lambda: [check(read_workbook(f)) for f in files[: max(1, args.n // 10)]])
        m_all = peak(check_all)
        print(f"memory peak: {m_small / 1e6:.1f} MB for {max(1, args.n // 10)}, {m_all / 1e6:.1f} MB for {args.n}"
              f" (ratio {m_all / m_small:.2f}; flat means no workbook is held)")
        from gxsheet.document.build import build_one

        out = work / "out"

        def build(fmt: str, some: list[Path]) -> Callable[[], None]:
            return lambda: [build_one(f, out / f"{f.stem}.{fmt}", fmt, overwrite=True) for f in some]

        for fmt in ("docx", "html"):
            for some in (files[:1], files):
                ours = timed(build(fmt, some))
                base = timed(lambda some=some: [openpyxl.load_workbook(f).close() for f in some])
                print(f"build  {fmt:4} x{len(some):<3}: gxsheet {ours:.2f}s, openpyxl load {base:.2f}s,"
                      f" ratio {ours / base:.2f}")
        one = work / "new.xlsx"
        ours = timed(lambda: write_workbook(one, Meta("甲镇人民政府", 2024)))
        base = timed(lambda: openpyxl.load_workbook(SAMPLE).close())
        print(f"new    one workbook: gxsheet {ours:.3f}s, openpyxl load {base:.3f}s, ratio {ours / base:.2f}")
    finally:
        shutil.rmtree(work)


def compiled() -> None:
    """Compile gxsheet's bytecode before timing whole processes, as installing a wheel does (pip
    compiles every module; the baselines' openpyxl and html.parser have theirs). Without it an
    editable install under PYTHONDONTWRITEBYTECODE compiles every module from source in every
    process: ~65 ms of a `build`, ~0.2 s of an `audit`, a cost no installed copy pays."""
    import gxsheet

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(gxsheet.__file__).parent)], check=True)


def child_cpu(cmd: list[str], repeat: int = 5) -> float:
    """The least CPU time (user + system) a whole child process took over `repeat` runs."""
    best = float("inf")
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(cmd, check=False, capture_output=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        best = min(best, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return best


def bench_startup() -> None:
    gx = [sys.executable, "-m", "gxsheet"]
    work = Path(tempfile.mkdtemp(prefix="gxstart"))
    try:
        base = child_cpu([sys.executable, "-c", "import openpyxl, sys; openpyxl.load_workbook(sys.argv[1])",
                          str(SAMPLE)])
        for name, cmd, target in (
                ("check", [*gx, "check", str(SAMPLE)], 0.6),
                ("build docx", [*gx, "build", str(SAMPLE), "-o", str(work / "r.docx"), "--overwrite"], 1.5)):
            ours = child_cpu(cmd)
            print(f"start-up {name}: gxsheet {ours:.3f}s CPU, openpyxl load process {base:.3f}s,"
                  f" ratio {ours / base:.2f} (target <= {target})")
    finally:
        shutil.rmtree(work)


def bench_collect(n: int) -> None:
    """collect over n workbooks of distinct units (a real round) against openpyxl loading them."""
    from gxsheet.collect import collect
    from gxsheet.prefill import prefill_values

    work = Path(tempfile.mkdtemp(prefix="gxcollect"))
    try:
        values = prefill_values(read_workbook(SAMPLE))
        tenth = max(1, n // 10)
        small, whole = work / "small", work / "whole"
        small.mkdir()
        whole.mkdir()
        for i in range(n):
            path = whole / f"{i:03d}.xlsx"
            write_workbook(path, Meta(f"第{i:03d}号单位", 2024), values)
            if i < tenth:
                shutil.copyfile(path, small / path.name)
        files = sorted(whole.glob("*.xlsx"))

        def load_all() -> None:
            for f in files:
                openpyxl.load_workbook(f).close()

        base = timed(load_all, repeat=2)
        pooled = timed(lambda: collect(whole), repeat=2)
        serial = timed(lambda: collect(whole, workers=1), repeat=2)
        print(f"collect {n} workbooks: gxsheet {pooled:.2f}s (one process {serial:.2f}s), openpyxl load {base:.2f}s,"
              f" ratio {pooled / base:.2f} (one process {serial / base:.2f})")
        m_small = peak(lambda: collect(small, workers=1))
        m_all = peak(lambda: collect(whole, workers=1))
        print(f"collect memory peak (one process): {m_small / 1e6:.1f} MB for {tenth}, {m_all / 1e6:.1f} MB for {n}"
              f" (ratio {m_all / m_small:.2f}; flat means no workbook is held)")
    finally:
        shutil.rmtree(work)


REPORTS = ROOT.parent / "shared" / "reports"  # real published pages, beside the clone
BARE_PARSE = """
import sys
from html.parser import HTMLParser
from pathlib import Path
for path in sorted(Path(sys.argv[1]).iterdir()):
    parser = HTMLParser()
    parser.feed(path.read_bytes().decode("utf-8", "replace"))
    parser.close()
"""


def bench_audit(copies: int) -> None:
    """`gxsheet audit` of a folder of real pages against a bare html.parser pass over them, whole processes."""
    pages = sorted(REPORTS.glob("*.html"))
    if not pages:
        print(f"audit: skipped, no real pages in {REPORTS}")
        return
    work = Path(tempfile.mkdtemp(prefix="gxaudit"))
    try:
        for i in range(copies):
            for page in pages:
                shutil.copyfile(page, work / f"{i:03d}_{page.name}")
        n = copies * len(pages)
        base = child_cpu([sys.executable, "-c", BARE_PARSE, str(work)], repeat=3)
        ours = child_cpu([sys.executable, "-m", "gxsheet", "audit", str(work)], repeat=3)
        print(f"audit {n} real pages: gxsheet {ours:.2f}s CPU ({n / ours:.1f} pages per CPU second, target >= 50),"
              f" html.parser alone {base:.2f}s ({n / base:.1f}/s), ratio {ours / base:.2f}")
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
