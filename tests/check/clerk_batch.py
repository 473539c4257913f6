"""Many clerk-typed cases read together, as tests/check/test_rules.py reads its mistakes.

A case is a clean demo return changed by one `edit(wb, *values)`. Every case of a module is saved under a registry
unit of its own (its name typed in the unit cell, the file named after the unit's code), up to one folder of returns
per batch of units, and each folder is read by one `read_and_check`: the ~0.3 s of fixed cost of a run is paid once
per batch, not once per case. A test then looks at its own file only (`Read`): its issues (the figures questioned
against the other returns of the run, plausibility.*, left out: every return copies a few bases), its rows, its file
and its unit's submission.

Cases about which unit or which return is chosen are not batched: they keep a folder of their own.
"""
from __future__ import annotations

import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd
from openpyxl import load_workbook

from pipeline.check import read_and_check
from pipeline.config import Unit
from schemas import sheet_spec

UNIT_CELL = (sheet_spec("unit_info").sheet, sheet_spec("unit_info").cell(0, "unit_name"))


@dataclass(frozen=True)
class Job:
    """The cases of one parametrized test: each of `values` edits a copy of `base` with `edit(wb, *value)`."""

    base: str
    edit: Callable
    values: list
    fresh: bool = False    # load the base anew (a pickled copy loses what row/column_dimensions make on demand)


@dataclass
class Read:
    """One case's workbook as the run read it: `checked`'s frames cut down to its file and its unit."""

    checked: object
    file: str
    unit: Unit
    path: Path

    @property
    def issues(self) -> pd.DataFrame:
        i = self.checked.issues
        return i[(i["file"] == self.file) & ~i["rule"].str.startswith("plausibility.")]

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        return {name: t[t["source_file"] == self.file] for name, t in self.checked.tables.items()}

    @property
    def files(self) -> pd.DataFrame:
        f = self.checked.files
        return f[f["file"] == self.file]

    @property
    def submissions(self) -> pd.DataFrame:
        s = self.checked.submissions
        return s[s["unit_code"] == self.unit.unit_code]

    @property
    def code(self) -> str:
        return self.unit.unit_code


def _as_tuple(value) -> tuple:
    """A case's values: a tuple of several (or of none, a test of one case), or one."""
    return value if isinstance(value, tuple) else (value,)


def write_cases(folder: Path, demo_dir: Path, plan, jobs: dict[str, Job]) -> list[tuple[Path, dict]]:
    """Every case of `jobs` saved, a folder of returns per batch of registry units: [(folder, {(job, value): (path,
    unit)})]."""
    units = list(plan.units)
    bases: dict[str, bytes] = {}
    cases = [(name, value, job) for name, job in jobs.items() for value in job.values]
    batches = []
    for start in range(0, len(cases), len(units)):
        batch = folder / f"batch{start // len(units)}"
        batch.mkdir(parents=True)
        names = {}
        for (name, value, job), unit in zip(cases[start:start + len(units)], units):
            if job.fresh:
                wb = load_workbook(demo_dir / "returns" / job.base)
            else:
                if job.base not in bases:
                    bases[job.base] = pickle.dumps(load_workbook(demo_dir / "returns" / job.base))
                wb = pickle.loads(bases[job.base])
            sheet, cell = UNIT_CELL
            wb[sheet][cell] = unit.unit_name
            job.edit(wb, *_as_tuple(value))
            path = batch / f"{unit.unit_code}.xlsx"
            wb.save(path)
            names[(name, value)] = (path, unit)
        batches.append((batch, names))
    return batches


def read_together(folder: Path, demo_dir: Path, plan, jobs: dict[str, Job]) -> dict[tuple, Read]:
    """(job name, value) -> its case's Read: every case of `jobs` written, and each batch read by one run."""
    out: dict[tuple, Read] = {}
    for batch, names in write_cases(folder, demo_dir, plan, jobs):
        checked = read_and_check(batch, plan)
        out |= {key: Read(checked, path.name, unit, path) for key, (path, unit) in names.items()}
    return out


def read_together_once(tmp_path_factory, name: str, demo_dir: Path, plan, jobs: dict[str, Job]) -> dict[tuple, Read]:
    """read_together, done once per test session: the first xdist worker to need a module's cases writes and reads
    them, the others load what it read (each worker would otherwise read every case of the module again)."""
    from tests.conftest import _shared

    def make(folder: Path) -> None:
        reads = read_together(folder, demo_dir, plan, jobs)
        (folder / "reads.pickle").write_bytes(pickle.dumps(reads))

    folder = _shared(tmp_path_factory, f"clerk_{name}", make)
    return pickle.loads((folder / "reads.pickle").read_bytes())


def only(reads: dict[tuple, Read], name: str) -> Read:
    """The Read of a job of one case (a test that is not parametrized)."""
    (found,) = [read for (job, _), read in reads.items() if job == name]
    return found


def typed_in(spec, cell: str) -> Callable:
    """An edit typing its one value into `cell` of `spec`'s sheet."""
    def edit(wb, typed, *_):
        wb[spec.sheet][cell] = typed
    return edit
