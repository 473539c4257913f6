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

import fcntl
import os
import pickle
import shutil
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


def _write_batch(batch: Path, demo_dir: Path, cases: list, units: list) -> dict[tuple, tuple[Path, Unit]]:
    """cases [(job name, value, job)] saved in `batch`, the i-th under the i-th of `units`."""
    batch.mkdir(parents=True)
    bases: dict[str, bytes] = {}
    names = {}
    for (name, value, job), unit in zip(cases, units):
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
    return names


def _cases(jobs: dict[str, Job]) -> list[tuple]:
    return [(name, value, job) for name, job in jobs.items() for value in job.values]


def _read_batch(folder: Path, demo_dir: Path, plan, cases: list) -> dict[tuple, Read]:
    names = _write_batch(folder, demo_dir, cases, list(plan.units))
    checked = read_and_check(folder, plan)
    return {key: Read(checked, path.name, unit, path) for key, (path, unit) in names.items()}


def _once(root: Path, tag: str, make, wait: bool) -> bool:
    """`make(folder)` done once per test session across the xdist workers; without `wait`, give up (False) when
    another worker is making it."""
    folder, done = root / f"shared_{tag}", root / f"shared_{tag}.done"
    if done.exists():
        return True
    with (root / f"shared_{tag}.lock").open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            return False
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            make(folder)
            done.touch()
    return True


class Reads:
    """(job name, value) -> its case's Read, each batch of a module's cases read once per test session. A worker
    that needs a batch first reads every batch of the module no other worker is reading (so the workers read
    different batches side by side), then waits for its own and loads what was read (pickled). A module-scoped
    fixture alone would read every case of the module again in every worker."""

    def __init__(self, tmp_path_factory, name: str, demo_dir: Path, plan, jobs: dict[str, Job]):
        base = tmp_path_factory.getbasetemp()
        self.root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
        self.name, self.demo_dir, self.plan = name, demo_dir, plan
        self.cases = _cases(jobs)
        self.keys = [(job, value) for job, value, _ in self.cases]
        self.size = len(plan.units)
        self.batches = range((len(self.cases) + self.size - 1) // self.size)
        self.loaded: dict[int, dict[tuple, Read]] = {}

    def _make(self, b: int):
        cases = self.cases[b * self.size:(b + 1) * self.size]

        def make(folder: Path) -> None:
            reads = _read_batch(folder / "returns", self.demo_dir, self.plan, cases)
            (folder / "reads.pickle").write_bytes(pickle.dumps(reads))
        return make

    def __getitem__(self, key: tuple) -> Read:
        b = self.keys.index(key) // self.size
        if b not in self.loaded:
            for other in [*self.batches[b:], *self.batches[:b]]:
                _once(self.root, f"clerk_{self.name}_{other}", self._make(other), wait=False)
            _once(self.root, f"clerk_{self.name}_{b}", self._make(b), wait=True)
            folder = self.root / f"shared_clerk_{self.name}_{b}"
            self.loaded[b] = pickle.loads((folder / "reads.pickle").read_bytes())
        return self.loaded[b][key]


    def folders(self) -> list[Path]:
        """The folder of returns of every batch, each made (written and read) once per test session."""
        for b in self.batches:
            _once(self.root, f"clerk_{self.name}_{b}", self._make(b), wait=True)
        return [self.root / f"shared_clerk_{self.name}_{b}" / "returns" for b in self.batches]


def read_together_once(tmp_path_factory, name: str, demo_dir: Path, plan, jobs: dict[str, Job]) -> Reads:
    """The cases of `jobs`, each batch read once per test session (see Reads)."""
    return Reads(tmp_path_factory, name, demo_dir, plan, jobs)


def only(reads: Reads, name: str) -> Read:
    """The Read of a job of one case (a test that is not parametrized)."""
    (key,) = [key for key in reads.keys if key[0] == name]
    return reads[key]


def typed_in(spec, cell: str) -> Callable:
    """An edit typing its one value into `cell` of `spec`'s sheet."""
    def edit(wb, typed, *_):
        wb[spec.sheet][cell] = typed
    return edit


def issues_at(checked, sheet, cell):
    """The issues at a cell (`sheet`: its name or its spec). The figures questioned against other returns or the
    unit's other years (plausibility.*, tests/check/test_plausibility.py) are left out: these tests are about how a
    cell is read."""
    sheet = getattr(sheet, "sheet", sheet)
    i = checked.issues
    return i[(i["sheet"] == sheet) & (i["cell"] == cell) & ~i["rule"].str.startswith("plausibility.")]


def one(checked, sheet, cell, rule, severity) -> str:
    """The message of the one issue at a cell, which must be `rule` at `severity`."""
    found = issues_at(checked, sheet, cell)
    assert list(zip(found["rule"], found["severity"])) == [(rule, severity)], found[["rule", "severity", "message"]]
    return found.iloc[0]["message"]


def rows_of(checked, table, file):
    """The rows a file gave to a table."""
    t = checked.tables[table]
    return t[t["source_file"] == file]
