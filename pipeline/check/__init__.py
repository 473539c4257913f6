"""Stage 2, checking: which unit sent which file, every value parsed and validated, every problem at its cell."""
from __future__ import annotations

import gc

from pipeline.check.results import Checked, checked
from pipeline.check.units import identify_units
from pipeline.check.validation import validate
from pipeline.config import Plan
from pipeline.read.sources import SourceFile


def check(sources: list[SourceFile], plan: Plan) -> Checked:
    """Identify the units, validate every sheet of every used file, and account for every file."""
    identify_units(sources, plan)
    result = validate(sources, plan)
    return checked(sources, result.issues, result.tables, result.counts, plan)


def read_and_check(inputs, plan: Plan, show_progress: bool = False) -> Checked:
    """Stages 1 and 2 on a folder: what `make check` and the web page show a unit."""
    from pipeline.read import read_all

    # Millions of small, acyclic cell objects: the cyclic collector only costs time here.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return check(read_all(inputs, plan, show_progress), plan)
    finally:
        if collecting:
            gc.enable()
