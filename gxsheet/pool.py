"""Work on two processes when a folder has enough files to repay starting them (collect, build)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

Job = TypeVar("Job")
Done = TypeVar("Done")


def workers_for(jobs: int, least: int) -> int:
    """Two workers (the machines offices have) for at least `least` jobs, else this process alone."""
    return min(2, os.cpu_count() or 1) if jobs >= least else 1


def in_order(work: Callable[[Job], Done], jobs: Iterable[Job], init: Callable[..., None], args: tuple[Any, ...],
             workers: int, chunksize: int = 1) -> Iterator[Done]:
    """work(job) for each job, results in the order of jobs; init(*args) first in each process.

    spawn, never fork: safe with threads and the same on Windows, where offices run it.
    """
    if workers <= 1:
        init(*args)
        yield from map(work, jobs)
        return
    import multiprocessing  # start-up: ~10 ms that one workbook (one process) never needs

    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(workers, init, args) as pool:
        yield from pool.imap(work, jobs, chunksize=chunksize)
