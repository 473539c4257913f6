"""Red-team findings on clerk-typed returns (notes/redteam.md): each case is a demo return changed the way
a clerk changed it; the test says what the unit and the office now see (verdict and evidence, the unit's
submission status, the issue at the cell)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from pipeline.check import read_and_check
from pipeline.config import load_plan
from pipeline.tidy import tidy
from pipeline.tidy.awards import evaluate_proposals
from schemas import sheet_spec

PLAN = load_plan()
INFO, MODELS, PROPOSALS = (sheet_spec(n) for n in ("unit_info", "models", "proposals"))


def _build(folder: Path, demo_dir: Path, base: str, edit=None, name: str | None = None) -> Path:
    """A copy of the demo return `base` changed by `edit(wb)`, saved as `name` in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    wb = load_workbook(demo_dir / "returns" / base)
    if edit:
        edit(wb)
    path = folder / (name or base)
    wb.save(path)
    return path


def _verdicts(folder: Path):
    checked = read_and_check(folder, PLAN)
    checked, tables = tidy(checked, PLAN)
    verdicts, ranking = evaluate_proposals(tables, PLAN)
    return checked, verdicts, ranking


def _issues_at(checked, sheet: str, cell: str) -> pd.DataFrame:
    i = checked.issues
    return i[(i["sheet"] == sheet) & (i["cell"] == cell)]


# -- F12: individual (b) declared "Không" ----------------------------------------------------------

def test_individual_b_declared_no_is_not_met_even_with_text_in_the_evidence(tmp_path, demo_dir):
    def edit(wb):
        ws = wb[PROPOSALS.sheet]
        ws[PROPOSALS.cell(0, "crit_b")] = "Không"
        ws[PROPOSALS.cell(0, "crit_b_evidence")] = "Chưa xây dựng được mô hình, sáng kiến nào được công nhận"
    _build(tmp_path, demo_dir, "kiem_tra_thanh_tra_bao_cao_so_ket.xlsx", edit)
    checked, verdicts, ranking = _verdicts(tmp_path)
    b = verdicts[verdicts.criterion == "b"].iloc[0]
    assert b.recipient_kind_code == "INDIVIDUAL"
    assert b.verdict == "not_met", b.evidence
    assert "“Không”" in b.evidence and "Chưa xây dựng được mô hình" in b.evidence
    assert not b.is_eligible and ranking.empty
