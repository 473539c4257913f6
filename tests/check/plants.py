"""Wrong figures planted in filled returns with openpyxl, each recorded with the cells it changed and the rules that
must question them (issue 28). Used by tests/check/test_plausibility.py and scripts/plausibility_bench.py.

Kinds:
- x10: a count typed with one digit too many (36997 for 3699), a cell of at least 10;
- staff_x10: the staff total so typed;
- wrong_year: the figures of the year 2022 typed again in the row of the half-year 2023 (sheet 2);
- registered_gt_total: more staff registered than the unit has (a schema rule, an error);
- recognised_before_start: a model recognised years before it started (21/04/2013);
- recognised_future: a recognition dated after the report (25/05/2031).
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from openpyxl.workbook.workbook import Workbook

from pipeline.config import Plan
from schemas import sheet_spec
from schemas.fields import INT

KINDS = ("x10", "staff_x10", "wrong_year", "registered_gt_total", "recognised_before_start", "recognised_future")
RULES = {   # the rules that must question each kind (any of them at a planted cell)
    "x10": {"plausibility.outlier", "plausibility.jump", "registered_not_above_staff"},   # registered ×10 > total
    "staff_x10": {"plausibility.outlier"},
    "wrong_year": {"plausibility.copied", "plausibility.half_year", "plausibility.outlier"},
    "registered_gt_total": {"registered_not_above_staff"},
    "recognised_before_start": {"plausibility.rule"},
    "recognised_future": {"plausibility.rule"},
}
# Counts a ×10 typo may hit: sheet -> columns (no bounded column: 965% or a score of 950 is refused as an error).
COUNTS = {name: [c.name for c in sheet_spec(name).columns if c.kind == INT and (c.max is None or c.max >= 100_000)]
          for name in ("leadership", "content_results", "awards_given", "models", "impact", "unit_info")}


@dataclass
class Plant:
    file: str
    kind: str
    sheet: str                       # the sheet's name in the workbook
    cells: list[str] = field(default_factory=list)
    rules: set[str] = field(default_factory=set)


def _numbers(ws, spec, columns: list[str], rows: range) -> list[tuple[str, float]]:
    out = []
    for i in rows:
        for col in columns:
            cell = spec.cell(i, col)
            value = ws[cell].value
            if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 10:
                out.append((cell, value))
    return out


def plant(wb: Workbook, file: str, kind: str, plan: Plan, rng: random.Random) -> Plant | None:
    """Plant one wrong figure of `kind` in the workbook (None when this return has nothing to plant it in)."""
    if kind in ("x10", "staff_x10"):
        name = "unit_info" if kind == "staff_x10" else rng.choice(sorted(COUNTS))
        spec = sheet_spec(name)
        ws = wb[spec.sheet]
        columns = ["staff_total"] if kind == "staff_x10" else COUNTS[name]
        rows = range(1) if spec.layout == "form" else range(spec.n_data_rows)
        found = _numbers(ws, spec, columns, rows)
        if not found:
            return None
        cell, value = rng.choice(found)
        ws[cell].value = int(value * 10)
        return Plant(file, kind, spec.sheet, [cell], RULES[kind])
    if kind == "wrong_year":
        spec = sheet_spec("leadership")
        ws = wb[spec.sheet]
        labels = plan.labels("periods")
        part = next(i for i, p in enumerate(plan.items("periods")) if tuple(p.get("months", (1, 12))) != (1, 12))
        year = labels.index(next(p["label"] for p in plan.items("periods") if int(p["year"]) == 2022))
        cells = []
        for col in (c.name for c in spec.columns if c.kind == INT):
            source = ws[spec.cell(year, col)].value
            if isinstance(source, (int, float)):
                ws[spec.cell(part, col)].value = source
                cells.append(spec.cell(part, col))
        return Plant(file, kind, spec.sheet, cells, RULES[kind]) if cells else None
    if kind == "registered_gt_total":
        spec = sheet_spec("unit_info")
        ws = wb[spec.sheet]
        total = ws[spec.cell(0, "staff_total")].value
        if not isinstance(total, (int, float)):
            return None
        ws[spec.cell(0, "staff_registered")].value = int(total) + 3
        return Plant(file, kind, spec.sheet, [spec.cell(0, "staff_registered")], RULES[kind])
    spec = sheet_spec("models")
    ws = wb[spec.sheet]
    rows = [i for i in range(spec.n_data_rows) if isinstance(ws[spec.cell(i, "start_year")].value, (int, float))]
    if not rows:
        return None
    i = rng.choice(rows)
    cell = spec.cell(i, "recognition_date")
    ws[cell].value = dt.datetime(2013, 4, 21) if kind == "recognised_before_start" else dt.datetime(2031, 5, 25)
    ws[cell].number_format = "dd/mm/yyyy"
    return Plant(file, kind, spec.sheet, [cell], RULES[kind])


def excluded(plant_: Plant, issues) -> bool:
    """Whether another error already keeps a planted row out of the report (a row the demo itself broke): the unit
    must fix that row anyway, and no check questions a figure that is not counted."""
    rows = {"".join(ch for ch in cell if ch.isdigit()) for cell in plant_.cells}
    mine = issues[(issues["file"] == plant_.file) & (issues["sheet"] == plant_.sheet) & (issues["severity"] == "error")]
    return bool(mine["cell"].map(lambda c: "".join(ch for ch in str(c) if ch.isdigit()) in rows).any()) \
        and not caught(plant_, issues)


def caught(plant_: Plant, issues) -> bool:
    """Whether a rule that must question this plant is at one of its cells (`issues`: issues.csv's frame)."""
    mine = issues[(issues["file"] == plant_.file) & (issues["sheet"] == plant_.sheet)]
    return bool((mine["cell"].isin(plant_.cells) & mine["rule"].isin(plant_.rules)).any())
