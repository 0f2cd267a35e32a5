"""Benchmarks, reported as ratios to a baseline measured in the same run (never as timed tests).

check: reading and checking N workbooks with gxsheet, against merely loading them with openpyxl.
build: compiling 1 and N workbooks into .docx / .html, against loading the same workbooks.
new:   writing one workbook with `gxsheet new`, against openpyxl loading one.
collect: `gxsheet collect` over a folder of distinct units' workbooks, against loading them with
       openpyxl one after another; and its peak memory for a tenth of the folder and the whole.
serve: N units uploading at once to `gxsheet serve` over loopback: none lost, no error answer; the
       median and 95th-percentile upload-to-verdict times as ratios to one `gxsheet check` of the same
       file; the dashboard of a 10,000-unit round; what the database and the file store hold per unit.
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
    parser.add_argument("--serve", type=int, default=300, help="units uploading at once to gxsheet serve (0: skip)")
    parser.add_argument("--serve-round", type=int, default=10_000, help="units in the round whose dashboard is timed")
    parser.add_argument("--only-serve", action="store_true", help="run the serve benchmark alone")
    args = parser.parse_args()
    compiled()
    if args.only_audit:
        bench_audit(args.audit)
        return
    if args.only_serve:
        bench_serve(args.serve, args.serve_round)
        return
    bench_startup()
    if args.only_startup:
        return
    bench_audit(args.audit)
    if args.collect:
        bench_collect(args.collect)
    if args.only_collect:
        return
    if args.serve:
        bench_serve(args.serve, args.serve_round)
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


def bench_serve(n: int, big: int) -> None:
    """n distinct units upload a passing workbook at the same moment; then a big round's dashboard."""
    import asyncio
    import statistics

    from gxsheet.prefill import prefill_values

    work = Path(tempfile.mkdtemp(prefix="gxserve"))
    try:
        values = prefill_values(read_workbook(SAMPLE))
        names = [f"第{i:04d}号单位" for i in range(n)]
        files = []
        for name in names:
            files.append(work / f"{name}.xlsx")
            write_workbook(files[-1], Meta(name, 2024), values)
        one = [sys.executable, "-m", "gxsheet", "check", str(files[0])]
        check_wall = min(_wall(one) for _ in range(5))
        check_cpu = timed(lambda: check(read_workbook(files[0])), repeat=5)
        with _server(work / "office") as (base, token):
            import httpx

            auth = {"Authorization": f"Bearer {token}"}
            made = httpx.post(f"{base}/api/rounds", json={"year": 2024, "units": names}, headers=auth,
                              timeout=600).json()
            tokens = {u["unit"]: u["token"] for u in made["units"]}
            times, answers = asyncio.run(_upload_all(base, [(tokens[f.stem], f) for f in files]))
            state = httpx.get(f"{base}/api/rounds/{made['id']}", headers=auth, timeout=600).json()
        bad = [a for a in answers if a != (200, "ok")]
        print(f"serve {n} uploads at once: {len(answers) - len(bad)} ok, {len(bad)} not ok {bad[:3]};"
              f" round shows {state['summary']['ok']} passed of {state['summary']['units']}")
        median, p95 = statistics.median(times), statistics.quantiles(times, n=20)[18]
        print(f"serve upload-to-verdict: median {median:.2f}s, p95 {p95:.2f}s; one `gxsheet check` process"
              f" {check_wall:.2f}s (check alone {check_cpu:.3f}s): ratios median {median / check_wall:.1f},"
              f" p95 {p95 / check_wall:.1f} (to check alone {median / check_cpu:.0f}, {p95 / check_cpu:.0f})")
        _sizes(work / "office", n)
        _dashboard(work / "big", big)
    finally:
        shutil.rmtree(work)


def _wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=False, capture_output=True)
    return time.perf_counter() - start


class _server:
    """gxsheet serve on a free loopback port, for the length of a with block."""

    def __init__(self, folder: Path) -> None:
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.folder = folder

    def __enter__(self) -> tuple[str, str]:
        import httpx

        self.process = subprocess.Popen([sys.executable, "-m", "gxsheet", "serve", str(self.folder),
                                         "--port", str(self.port)], stdout=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{self.port}"
        link = self.folder / "管理员链接.txt"
        for _ in range(300):
            try:
                if link.exists() and httpx.get(base + "/", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        return base, link.read_text(encoding="utf-8").strip().rsplit("token=", 1)[1]

    def __exit__(self, *exc: object) -> None:
        import signal

        self.process.send_signal(signal.SIGINT)
        self.process.wait(60)


async def _upload_all(base: str, jobs: list[tuple[str, Path]]) -> tuple[list[float], list[tuple[int, str]]]:
    import asyncio

    import httpx

    limits = httpx.Limits(max_connections=len(jobs), max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=3600) as client:
        async def one(token: str, path: Path) -> tuple[float, tuple[int, str]]:
            data = path.read_bytes()
            start = time.perf_counter()
            answer = await client.post(f"/u/{token}/upload", files={"file": (path.name, data)},
                                       headers={"Accept": "application/json"})
            took = time.perf_counter() - start
            return took, (answer.status_code, answer.json().get("status", "") if answer.status_code < 500 else "")

        done = await asyncio.gather(*(one(t, p) for t, p in jobs))
    return [d[0] for d in done], [d[1] for d in done]


def _sizes(folder: Path, n: int) -> None:
    """What the database and the file store hold per passing unit (one upload and its marked-less verdict)."""
    import sqlite3

    with sqlite3.connect(folder / "gxsheet.sqlite3") as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = db.execute("PRAGMA page_count").fetchone()[0] * db.execute("PRAGMA page_size").fetchone()[0]
    files = sum(p.stat().st_size for p in (folder / "files").rglob("*") if p.is_file())
    print(f"serve storage for {n} units with one upload each: database {pages / 1e6:.1f} MB"
          f" ({pages / n / 1e3:.1f} KB a unit), files {files / 1e6:.1f} MB ({files / n / 1e3:.1f} KB a unit);"
          f" at 10,000 units: database ~{pages / n * 1e4 / 1e6:.0f} MB, files ~{files / n * 1e4 / 1e9:.2f} GB"
          " per upload round (every re-upload adds its own file and row)")


def _dashboard(folder: Path, n: int) -> None:
    """A round of n units, each with an upload on record (one in ten failing with a blank workbook's errors,
    the rest passing; verdicts written straight into the store), then the dashboard page and the round's
    JSON timed through the server."""
    from gxsheet.prefill import prefill_values
    from gxsheet.serve.judge import judge
    from gxsheet.serve.store import Store

    folder.mkdir(parents=True)
    blank, good = folder / "blank.xlsx", folder / "good.xlsx"
    unit = "第00000号单位"
    write_workbook(blank, Meta(unit, 2024))
    write_workbook(good, Meta(unit, 2024), prefill_values(read_workbook(SAMPLE)))
    store = Store(folder)
    rid = store.create_round(2024, "大轮次", [(f"第{i:05d}号单位", f"t{i}", None) for i in range(n)], None, "bench")
    kinds = []
    for path in (blank, good):  # the verdict each upload would get, computed once and stored for every unit
        digest, kept = store.put(path.read_bytes(), ".xlsx")
        kinds.append((judge(str(kept), None, path.name, unit, 2024, str(folder)), digest))
    for i, unit in enumerate(store.units(rid)):
        outcome, digest = kinds[0 if i % 10 == 0 else 1]
        store.add_upload(unit, "上传.xlsx", digest, 1, outcome, unit.name)
    store.close()
    with _server(folder) as (base, token):
        auth = {"Authorization": f"Bearer {token}"}
        page = min(_timed_get(f"{base}/admin/rounds/{rid}", auth) for _ in range(3))
        first = _timed_get(f"{base}/api/rounds/{rid}", auth)
        again = _timed_get(f"{base}/api/rounds/{rid}", auth)  # nothing uploaded since: the round is not made again
    errors = kinds[0][0]["verdict"]["errors"]
    print(f"serve dashboard of {n} units (one in ten failing, {errors} errors each): page {page:.2f}s"
          f" (target < 1 s), round JSON {first:.2f}s, again {again:.2f}s")


def _timed_get(url: str, headers: dict[str, str]) -> float:
    import httpx

    start = time.perf_counter()
    answer = httpx.get(url, headers=headers, timeout=600)
    assert answer.status_code == 200, answer.status_code
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
