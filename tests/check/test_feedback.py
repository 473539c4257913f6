"""Outputs of the check stage: contracts of the CSVs and the feedback copies."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from pipeline.check.feedback_xlsx import FILLS
from pipeline.messages import FEEDBACK_SHEET
from schemas.codes import FileStatus, Severity, SubmissionStatus

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def run_outputs(demo_run):
    """A real `report` run on the demo returns (the session's shared run: read only)."""
    return demo_run


def test_csv_contracts(run_outputs):
    files = pd.read_csv(run_outputs / "files.csv", encoding="utf-8-sig")
    assert list(files.columns) == ["file", "sha256", "format", "status", "status_label", "unit_code",
                                   "template_version", "errors", "warnings", "reason"]
    subs = pd.read_csv(run_outputs / "submissions.csv", encoding="utf-8-sig")
    assert list(subs.columns) == ["unit_code", "unit_name", "unit_type", "unit_group", "status", "status_label",
                                  "file", "report_date", "errors", "warnings", "proposals", "dossier_files",
                                  "dossier_received", "dossier_status", "dossier_status_label"]
    issues = pd.read_csv(run_outputs / "issues.csv", encoding="utf-8-sig")
    assert list(issues.columns) == ["file", "unit_code", "sheet", "cell", "column", "value", "rule", "severity",
                                    "severity_label", "message", "read_by", "read_by_label"]
    # every stable code has its Vietnamese label beside it
    for frame, column, codes in ((files, "status", FileStatus), (subs, "status", SubmissionStatus),
                                 (issues, "severity", Severity)):
        assert (frame[f"{column}_label"] == frame[column].map(codes.labels())).all()
    per_file = issues.groupby("file")["severity"].value_counts().unstack(fill_value=0)
    for row in files.itertuples():
        if row.file in per_file.index:
            assert row.errors == per_file.at[row.file, "error"] if "error" in per_file else 0


def test_feedback_highlights_and_comments_every_faulty_cell(run_outputs):
    issues = pd.read_csv(run_outputs / "issues.csv", encoding="utf-8-sig").fillna("")
    for unit, group in issues.groupby("unit_code"):
        wb = load_workbook(run_outputs / "feedback" / f"{unit}.xlsx")
        assert wb.sheetnames[0] == FEEDBACK_SHEET
        assert "A2:D2" in {str(r) for r in wb[FEEDBACK_SHEET].merged_cells.ranges}   # the note over the full width
        listed = [r[2] for r in wb[FEEDBACK_SHEET].iter_rows(min_row=4, values_only=True)]
        assert sorted(listed) == sorted(group["message"])
        for issue in group.itertuples():
            if not issue.cell:
                continue
            cell = wb[issue.sheet][issue.cell]
            assert cell.fill.fgColor.rgb.endswith(FILLS[issue.severity][-6:]), (unit, issue.cell)
            assert issue.message in cell.comment.text


def test_validated_rows_are_persisted_with_provenance(run_outputs):
    models = pd.read_parquet(run_outputs / "data" / "validated" / "models.parquet")
    assert {"source_file", "sheet", "excel_row", "unit_code"} <= set(models.columns)
    assert len(models) > 20


def test_data_dictionary_describes_every_persisted_table(run_outputs):
    text = (run_outputs / "data" / "README.md").read_text(encoding="utf-8")
    parquet = sorted(p.relative_to(run_outputs).as_posix() for p in (run_outputs / "data").rglob("*.parquet"))
    assert len(parquet) > 20
    for rel in parquet:
        assert f"`{rel}`" in text, rel
