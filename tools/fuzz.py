"""`make fuzz`: thousands of seeded hostile inputs through every reader, with counts by outcome.

    python tools/fuzz.py --cases 5000 [--seed 0] [--workers 2] [--keep fuzz-failures/]

Cases are spread over the kinds (workbooks, .html, .docx, .txt pages, folders for collect).
Each runs in a worker process; a case fails if anything escapes (traceback), it changes its
input, takes more than --seconds, or raises the worker's peak memory past --mb. Exit 0 when
no case failed. Failing inputs are copied to --keep, named by kind and seed, for a reproducer.
"""

from __future__ import annotations

import argparse
import multiprocessing
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import fuzzing  # noqa: E402

_LIMITS: dict[str, object] = {}


def _init(seconds: float, mb: int, keep: str) -> None:
    _LIMITS.update(seconds=seconds, mb=mb, keep=keep)
    fuzzing.seeds()


def _one(case: tuple[str, int]) -> fuzzing.Outcome:
    kind, seed = case
    with tempfile.TemporaryDirectory(prefix="gxsheet-fuzz-") as tmp:
        outcome = fuzzing.run_case(kind, seed, Path(tmp), float(str(_LIMITS["seconds"])), int(str(_LIMITS["mb"])))
        if outcome.fault and _LIMITS["keep"]:
            fuzzing.keep(outcome, Path(tmp), Path(str(_LIMITS["keep"])))
    return outcome


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=0, help="first seed; case i of a kind uses seed + i")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=10.0, help="time limit of one case")
    ap.add_argument("--mb", type=int, default=500, help="peak memory limit of a worker")
    ap.add_argument("--keep", default="", help="folder to copy failing inputs into")
    args = ap.parse_args()
    kinds = fuzzing.KINDS
    cases = [(kinds[i % len(kinds)], args.seed + i // len(kinds)) for i in range(args.cases)]
    counts: Counter[tuple[str, str]] = Counter()
    failures: list[fuzzing.Outcome] = []
    slowest: list[fuzzing.Outcome] = []
    start = time.perf_counter()
    ctx = multiprocessing.get_context("spawn")
    # a fresh worker now and then: a case's peak memory is measured against a clean process
    with ctx.Pool(args.workers, _init, (args.seconds, args.mb, args.keep), maxtasksperchild=200) as pool:
        for done, outcome in enumerate(pool.imap_unordered(_one, cases, chunksize=4), 1):
            counts[(outcome.kind, outcome.label)] += 1
            slowest = sorted([*slowest, outcome], key=lambda o: -o.seconds)[:5]
            if outcome.fault:
                failures.append(outcome)
                print(f"FAIL {outcome.kind} seed {outcome.seed}: {outcome.label} {outcome.detail.strip()[-300:]}",
                      flush=True)
            if done % 500 == 0:
                print(f"... {done}/{len(cases)} cases, {time.perf_counter() - start:.0f} s", flush=True)
    _report(counts, failures, slowest, len(cases), time.perf_counter() - start)
    if args.keep and not failures:
        shutil.rmtree(args.keep, ignore_errors=True)
    return 1 if failures else 0


def _report(counts: Counter[tuple[str, str]], failures: list[fuzzing.Outcome], slowest: list[fuzzing.Outcome],
            total: int, seconds: float) -> None:
    print(f"\n{total} cases in {seconds:.0f} s")
    for kind in fuzzing.KINDS:
        row = {label: n for (k, label), n in counts.items() if k == kind}
        print(f"  {kind:7} " + ", ".join(f"{label}: {n}" for label, n in sorted(row.items())))
    by_fault = Counter(o.fault for o in failures)
    print("faults: " + (", ".join(f"{f}: {n}" for f, n in sorted(by_fault.items())) or "none"))
    print("slowest: " + ", ".join(f"{o.kind}#{o.seed} {o.seconds:.2f}s {o.peak_mb}MB" for o in slowest))


if __name__ == "__main__":
    sys.exit(main())
