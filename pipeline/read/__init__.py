"""Stage 1, reading: every file under inputs/ found, guarded and read raw (see `discover`, `workbook`)."""
from __future__ import annotations

import itertools
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from pipeline import messages as msg
from pipeline.config import Plan
from pipeline.read.discover import discover
from pipeline.read.sources import WORKBOOK_EXTS, ZIP_EXTS, SourceFile
from pipeline.read.workbook import read_workbook
from pipeline.ui import progress

PARALLEL_FROM = 64  # below this many workbooks, starting worker processes costs more than it saves


def has_workbooks(inputs: Path) -> bool:
    """Whether inputs/ holds anything that looks like a return (else the demo returns are used)."""
    return inputs.is_dir() and any(
        p.is_file() and not p.name.startswith((".", "~$")) and p.suffix.lower() in WORKBOOK_EXTS | ZIP_EXTS
        for p in inputs.rglob("*"))


def read_all(inputs: Path, plan: Plan, show_progress: bool = False) -> list[SourceFile]:
    """Every file under `inputs`, in a stable order; readable workbooks carry their raw sheets."""
    sources = discover(inputs, plan)
    to_read = [s for s in sources if not s.status]
    with progress(show_progress) as bar:
        task = bar.add_task(msg.PROGRESS_READING, total=len(to_read))
        done = {}
        for src in _read_each(to_read, plan):
            done[src.file] = src
            bar.advance(task)
    return [done.get(s.file, s) for s in sources]


def _read_each(to_read: list[SourceFile], plan: Plan):
    """Read workbooks, on every core when there are many (calamine parsing is CPU-bound)."""
    workers = min(os.cpu_count() or 1, 8)
    if len(to_read) < PARALLEL_FROM or workers < 2:
        for src in to_read:
            yield read_workbook(src, plan)
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        yield from pool.map(read_workbook, to_read, itertools.repeat(plan), chunksize=16)
