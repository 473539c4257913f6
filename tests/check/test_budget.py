"""One careless return never stalls the others: a file over its time or memory budget is refused with its reason
while every other file is checked as usual, and a feedback copy of thousands of problems lists the first ones and
says how many more there are (issues.csv keeps them all)."""
from __future__ import annotations

import dataclasses
import io
import shutil
import time

import pytest
from openpyxl import load_workbook

from pipeline import messages as msg
from pipeline.check import feedback, read_and_check
from pipeline.read import workbook

HEAVY, CLEAN = "pho_an_nhieu_loi.xlsx", "pho_vinh_bao_cao_so_ket.xlsx"
pytestmark = pytest.mark.slow   # a return of 40,000 problems
MODELS = "4. Mô hình Dân vận khéo"


def _with_limits(plan, **limits):
    return dataclasses.replace(plan, raw={**plan.raw, "limits": {**plan.raw["limits"], **limits}})


@pytest.fixture(scope="module")
def folder(demo_dir, tmp_path_factory):
    """A clean return, and one whose models sheet holds 8,000 rows with only a name (five required cells blank)."""
    d = tmp_path_factory.mktemp("budget")
    wb = load_workbook(demo_dir / "returns" / "pho_an_bao_cao_so_ket.xlsx")
    ws = wb[MODELS]
    for row in range(4, 8004):
        ws.cell(row, 1, f"Mô hình số {row}")
    wb.save(d / HEAVY)
    shutil.copy(demo_dir / "returns" / CLEAN, d / CLEAN)
    return d


def _status(checked, file: str) -> tuple[str, str]:
    row = checked.files.set_index("file").loc[file]
    return row["status"], row["reason"]


def test_a_file_over_its_time_budget_is_refused_and_the_others_are_checked(folder, plan, monkeypatch):
    real = workbook._read_sheets

    def slow(src, wb, data, plan):   # reading this one file takes long (a real one of 40,000 problems takes ~3 s here)
        if src.file == HEAVY:
            time.sleep(10)
        return real(src, wb, data, plan)

    monkeypatch.setattr(workbook, "_read_sheets", slow)
    checked = read_and_check(folder, _with_limits(plan, file_check_seconds=2))
    status, reason = _status(checked, HEAVY)
    assert status == "rejected" and reason == msg.FILE_OVER_TIME.format(seconds=2)
    assert _status(checked, CLEAN)[0] in ("accepted", "accepted_with_errors")
    assert len(checked.tables["models"][checked.tables["models"]["source_file"] == CLEAN]) > 0


def test_a_file_over_its_memory_budget_is_refused_and_the_others_are_checked(folder, plan, monkeypatch):
    real = workbook._read_sheets

    def greedy(src, wb, data, plan):   # reading this one file takes 400 MB for a moment
        if src.file == HEAVY:
            hog = bytearray(400_000_000)
            hog[::4096] = b"x" * len(hog[::4096])     # touch every page: resident, not only reserved
            time.sleep(0.3)
        return real(src, wb, data, plan)

    monkeypatch.setattr(workbook, "_read_sheets", greedy)
    checked = read_and_check(folder, _with_limits(plan, file_check_memory_mb=200))
    status, reason = _status(checked, HEAVY)
    assert status == "rejected" and reason == msg.FILE_OVER_MEMORY.format(mb=200)
    assert _status(checked, CLEAN)[0] in ("accepted", "accepted_with_errors")


def test_a_copy_of_thousands_of_problems_lists_the_first_ones_and_counts_the_rest(folder, plan):
    checked = read_and_check(folder, plan)
    rows = checked.issues[checked.issues["file"] == HEAVY].to_dict("records")
    assert len(rows) > 5_000
    copy = load_workbook(io.BytesIO(feedback.feedback_bytes((folder / HEAVY).read_bytes(), "xlsx", rows,
                                                              _with_limits(plan, feedback_max_issues=50))))
    listed = [r for r in copy[msg.FEEDBACK_SHEET].iter_rows(min_row=4, values_only=True) if any(r)]
    assert [r[2] for r in listed[:50]] == [r["message"] for r in rows[:50]]
    assert len(listed) == 51 and f"còn {len(rows) - 50} nội dung" in listed[-1][0]
    commented = sum(1 for row in copy[MODELS].iter_rows() for c in row if c.comment and "Ô " in c.comment.text)
    assert commented == len({r["cell"] for r in rows[:50] if r["sheet"] == MODELS})
