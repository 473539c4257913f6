"""A problem is said at the cell Excel shows, even when a clerk cleared the sheet's title (the first filled row is
then another): rows and columns are counted from A1, never from the first cell that holds something."""
from __future__ import annotations

import csv

from openpyxl import load_workbook

from pipeline.check import read_and_check


def _cleared_title(ws) -> int:
    """The sheet's first filled row (its title) emptied, as a clerk deleting it would; its number."""
    title = next(row[0].row for row in ws.iter_rows() if any(c.value not in (None, "") for c in row))
    for merged in [m for m in ws.merged_cells.ranges if m.min_row == title]:
        ws.unmerge_cells(str(merged))
    for cell in ws[title]:
        cell.value = None
    return title


def test_each_planted_mistake_is_said_at_its_cell_with_the_title_row_cleared(demo_dir, plan, tmp_path):
    with (demo_dir / "planted_mistakes.csv").open(encoding="utf-8-sig", newline="") as fh:
        planted = list(csv.DictReader(fh))
    assert len(planted) >= 5
    for p in planted:
        wb = load_workbook(demo_dir / "returns" / p["file"])
        assert _cleared_title(wb[p["sheet"]]) < int("".join(filter(str.isdigit, p["cell"])))
        wb.save(tmp_path / p["file"])
    issues = read_and_check(tmp_path, plan).issues
    found = set(zip(issues["file"], issues["sheet"], issues["cell"], issues["rule"]))
    missing = [p for p in planted if (p["file"], p["sheet"], p["cell"], p["rule"]) not in found]
    assert missing == []
