"""Stage 2, checking: which unit sent which file, every value parsed and validated, every problem at its cell."""
from __future__ import annotations

import gc
from dataclasses import replace
from pathlib import Path

from pipeline.check.batch import Checking, check_files
from pipeline.check.plausibility import review
from pipeline.check.results import Checked, checked
from pipeline.config import Plan
from pipeline.read.sources import SourceFile


def check(sources: list[SourceFile], plan: Plan, jobs: int = 1, cache: Path | None = None,
          show_progress: bool = False) -> tuple[Checked, Checking]:
    """Read, identify and validate every file found; account for every file and every unit."""
    # Millions of small, acyclic cell objects: the cyclic collector only costs time here.
    collecting = gc.isenabled()
    gc.disable()
    try:
        done = check_files(sources, plan, jobs, cache, show_progress)
    finally:
        if collecting:
            gc.enable()
    # Figures that look wrong, questioned once every unit's rows are in (the outliers compare units): warnings only.
    # A feedback copy made in a chunk is remade by write_feedback, whose digest of the file's issues then differs.
    found = review(done.tables, done.places, plan)
    done.issues = done.issues + found.issues
    return replace(checked(done.sources, done.issues, done.tables, done.counts, plan), plausibility=found), done


def read_and_check(inputs, plan: Plan, show_progress: bool = False, sender: str = "") -> Checked:
    """Stages 1 and 2 on a folder, in this process and without a cache: what `make check` and the web page show
    (`sender`: the unit whose link the files came through, see `discover`)."""
    from pipeline.read.discover import discover

    return check(discover(Path(inputs), plan, sender), plan, show_progress=show_progress)[0]
