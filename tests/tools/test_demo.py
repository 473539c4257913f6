"""The demo returns are what the generator meant to write, with their answer keys."""
from __future__ import annotations

import csv
import datetime as dt
import json

from openpyxl import load_workbook

from pipeline.tools.demo import intended_cells


def test_a_demo_return_read_back_cell_by_cell_equals_the_intent(demo_dir, demo_intended):
    returns, _ = demo_intended
    for ret in returns:
        wb = load_workbook(demo_dir / "returns" / ret.filename)
        for (sheet, cell), value in intended_cells(ret).items():
            got = wb[sheet][cell].value
            if isinstance(value, dt.date) and isinstance(got, dt.datetime):
                got = got.date()
            assert got == value, (ret.filename, sheet, cell)


def test_demo_leaves_two_missing_two_late_and_half_proposing(demo_dir, demo_intended, plan):
    returns, missing = demo_intended
    manifest = json.loads((demo_dir / "manifest.json").read_text(encoding="utf-8"))
    assert len(missing) == 2 and len(manifest["missing"]) == 2
    assert len(manifest["late"]) == 2
    assert len(returns) == len(plan.units) - 2
    written = sorted(p.name for p in (demo_dir / "returns").glob("*.xlsx"))
    assert written == manifest["files"]
    proposers = [r for r in returns if r.scenario]
    assert abs(len(proposers) - len(returns) / 2) <= 2
    with (demo_dir / "expected_awards.csv").open(encoding="utf-8-sig") as fh:
        awards = list(csv.DictReader(fh))
    assert {a["eligible"] for a in awards} == {"True", "False"}


def test_planted_mistakes_are_listed(demo_dir):
    with (demo_dir / "planted_mistakes.csv").open(encoding="utf-8-sig") as fh:
        planted = list(csv.DictReader(fh))
    assert {"number.invalid", "choice.invalid", "required.missing"} <= {p["rule"] for p in planted}
    assert all(p["cell"] and p["sheet"] and p["file"] for p in planted)


def test_demo_is_deterministic(demo_intended):
    from pipeline.tools.demo import demo_returns

    again, _ = demo_returns()
    assert [intended_cells(r) for r in again] == [intended_cells(r) for r in demo_intended[0]]
