"""The office's decisions file, matched to the proposals (issue 29): read like a return, a message at the cell for
every row it cannot use, never an exception; nothing decided for the office; a decision against the verdicts kept
and said."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from pipeline.config import load_plan
from pipeline.read.award_decisions import DecisionRow, OfficeDecisions, read_decisions_file
from pipeline.read.dossiers import dossier_files
from pipeline.tidy.awards import evaluate_proposals, proposal_summary
from pipeline.tidy.decisions import decide
from pipeline.tidy.dossiers import unit_dossiers
from pipeline.tidy.tables import build_tables
from schemas.codes import Conclusion, OfficeDecision
from schemas.dossier import DECISION_COLUMNS, DECISIONS_SHEET
from tests.factories import validated_from_demo

PLAN = load_plan()
HEADERS = {c.key: c.header for c in DECISION_COLUMNS}
KEYS = [c.key for c in DECISION_COLUMNS]
FILE = "quyet_dinh_khen_thuong.xlsx"


@pytest.fixture(scope="module")
def demo():
    """The demo's proposals with their verdicts, and its hồ sơ table (nobody sent one)."""
    validated, submissions, _returns = validated_from_demo(PLAN)
    tables = build_tables(validated, submissions, PLAN)
    verdicts, _ranking = evaluate_proposals(tables, PLAN)
    summary = proposal_summary(verdicts)
    dossiers = unit_dossiers(submissions.assign(status_label=""), tables["proposals"], dossier_files([], PLAN), PLAN)
    return summary, tables["proposals"], dossiers


def _office(*rows: dict) -> OfficeDecisions:
    """A decisions file whose rows are `rows` (column key -> typed value), from Excel row 4 on."""
    out = OfficeDecisions(file=FILE, sheet=DECISIONS_SHEET)
    for i, values in enumerate(rows, start=4):
        cells = {key: f"{chr(65 + j)}{i}" for j, key in enumerate(KEYS)}
        out.rows.append(DecisionRow(i, dict(values), cells))
    return out


def _first(summary: pd.DataFrame, conclusion: str) -> dict:
    return summary[summary["conclusion"] == conclusion].iloc[0].to_dict()


def _decide(demo, *rows):
    summary, proposals, dossiers = demo
    return decide(_office(*rows), summary, proposals, dossiers, PLAN)


def _row(decisions: pd.DataFrame, unit: str) -> dict:
    return decisions[decisions["unit_code"] == unit].iloc[0].to_dict()


def test_an_empty_file_decides_nothing_and_chooses_no_nominee(demo):
    summary = demo[0]
    decisions, issues = _decide(demo, *({"unit_code": u, "nominee": n} for u, n in
                                        zip(summary["unit_code"], summary["nominee_name"])))
    assert not issues
    assert len(decisions) == len(summary)
    assert set(decisions["decision"]) == {OfficeDecision.UNDECIDED.value}
    assert not decisions["is_nominee"].any() and not decisions["contradicts"].any()


def test_a_decision_against_the_verdicts_is_kept_and_said(demo):
    failing = _first(demo[0], Conclusion.NOT_MET.value)
    meeting = _first(demo[0], Conclusion.MEETS_CHECKED.value)
    decisions, issues = _decide(demo, {"unit_code": failing["unit_code"], "nominee": failing["nominee_name"],
                                       "decision": "Đồng ý khen thưởng", "reason": "Mô hình đang chờ công nhận"},
                                {"unit_code": meeting["unit_code"], "nominee": meeting["nominee_name"],
                                 "decision": "không đồng ý"})
    assert not issues
    accepted, refused = _row(decisions, failing["unit_code"]), _row(decisions, meeting["unit_code"])
    assert accepted["decision"] == OfficeDecision.ACCEPTED.value and accepted["contradicts"]
    assert failing["reasons"] in accepted["contradiction"] and accepted["reason"] == "Mô hình đang chờ công nhận"
    assert refused["decision"] == OfficeDecision.NOT_ACCEPTED.value and refused["contradicts"]


def test_the_one_marked_proposal_is_the_nominee(demo):
    meeting = _first(demo[0], Conclusion.MEETS_CHECKED.value)
    decisions, issues = _decide(demo, {"unit_name": meeting["unit_name"], "nominee": meeting["nominee_name"],
                                       "decision": "x", "bang_khen": "X"})
    assert not issues
    assert decisions["is_nominee"].sum() == 1 and _row(decisions, meeting["unit_code"])["is_nominee"]


def test_two_nominees_choose_none_and_say_so_at_both_cells(demo):
    two = demo[0][demo[0]["conclusion"] == Conclusion.MEETS_CHECKED.value].head(2)
    decisions, issues = _decide(demo, *({"unit_code": u, "nominee": n, "bang_khen": "x"}
                                        for u, n in zip(two["unit_code"], two["nominee_name"])))
    assert not decisions["is_nominee"].any()
    assert [(i.rule, i.cell) for i in issues] == [("decisions.two_nominees", "M4"), ("decisions.two_nominees", "M5")]
    assert all(i.severity == "error" and "01 tập thể hoặc 01 cá nhân" in i.message for i in issues)


def test_a_refused_nominee_is_no_nominee(demo):
    meeting = _first(demo[0], Conclusion.MEETS_CHECKED.value)
    decisions, issues = _decide(demo, {"unit_code": meeting["unit_code"], "nominee": meeting["nominee_name"],
                                       "decision": "Không đồng ý", "bang_khen": "x"})
    assert not decisions["is_nominee"].any()
    assert [i.rule for i in issues] == ["decisions.nominee_refused"]


def test_rows_it_cannot_use_get_a_message_at_their_cell(demo):
    summary = demo[0]
    some = summary.iloc[0].to_dict()
    no_proposal = next(u for u in PLAN.units if u.unit_code not in set(summary["unit_code"]))
    decisions, issues = _decide(
        demo,
        {"unit_name": "UBND xã Không Có", "nominee": "Ai đó", "decision": "Đồng ý khen thưởng"},          # row 4
        {"unit_code": some["unit_code"], "nominee": "Nguyễn Văn Không Đề Nghị", "decision": "x"},        # row 5
        {"unit_code": no_proposal.unit_code, "nominee": "Ai đó", "decision": "x"},                      # row 6
        {"unit_code": some["unit_code"], "nominee": some["nominee_name"], "decision": "có lẽ",
         "bang_khen": "chưa chắc"},                                                                     # row 7
        {"unit_code": some["unit_code"], "nominee": some["nominee_name"], "decision": "Không đồng ý"},   # row 8
        {"nominee": "Không ghi đơn vị", "decision": "x"},                                                # row 9
    )
    found = [(i.rule, i.cell) for i in issues]
    assert found == [("decisions.unit_unknown", "C4"), ("decisions.nominee_unknown", "E5"),
                     ("decisions.no_proposal", "B6"), ("decisions.value", "K7"), ("decisions.nominee_value", "M7"),
                     ("decisions.duplicate", "A8"), ("decisions.unit_missing", "B9")]
    assert all(i.file == FILE and i.sheet == DECISIONS_SHEET and i.message for i in issues)
    assert "UBND xã Không Có" in issues[0].message and some["nominee_name"] in issues[1].message
    # nothing was decided by the rows it could not read, nor by the duplicate
    assert set(decisions["decision"]) == {OfficeDecision.UNDECIDED.value}


def _workbook(path: Path, sheet: str = DECISIONS_SHEET, headers: list[str] | None = None, rows=()) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(["QUYẾT ĐỊNH CỦA CƠ QUAN"])
    ws.append(["Ghi vào các cột nền trắng"])
    ws.append(headers or [HEADERS[k] for k in KEYS])
    for row in rows:
        ws.append([row.get(k) for k in KEYS])
    wb.save(path)
    return path


def test_a_decisions_workbook_is_read_by_its_headers(tmp_path, demo):
    meeting = _first(demo[0], Conclusion.MEETS_CHECKED.value)
    path = _workbook(tmp_path / FILE, rows=[{"stt": 1, "unit_code": meeting["unit_code"],
                                             "nominee": meeting["nominee_name"], "decision": "Đồng ý khen thưởng",
                                             "bang_khen": "x"}])
    office = read_decisions_file(FILE, path, PLAN)
    assert not office.issues and [r.excel_row for r in office.rows] == [4]
    decisions, issues = decide(office, *demo, PLAN)
    assert not issues and _row(decisions, meeting["unit_code"])["is_nominee"]


@pytest.mark.parametrize("case, says", [("not_a_workbook", "không phải bảng tính"), ("other_sheet", DECISIONS_SHEET),
                                        ("no_decision", HEADERS["decision"]), ("no_unit", HEADERS["unit_code"])])
def test_a_decisions_file_it_cannot_read_is_one_message_and_no_decision(tmp_path, demo, case, says):
    path = tmp_path / FILE
    some = demo[0].iloc[0]
    row = {"unit_code": some["unit_code"], "unit_name": some["unit_name"], "nominee": some["nominee_name"],
           "decision": "x"}
    if case == "not_a_workbook":
        path.write_bytes(b"%PDF-1.4 this is a scan")
    elif case == "other_sheet":
        _workbook(path, sheet="Sheet1", headers=["STT", "Đơn vị", "Ý kiến"])
    else:
        gone = {"no_decision": ("decision",), "no_unit": ("unit_code", "unit_name")}[case]
        _workbook(path, headers=[HEADERS[k] if k not in gone else "Ghi chú" for k in KEYS], rows=[row])
    office = read_decisions_file(FILE, path, PLAN)
    assert len(office.issues) == 1 and office.issues[0].severity == "error" and not office.rows
    assert says in office.issues[0].message
    decisions, issues = decide(office, *demo, PLAN)
    assert issues == office.issues and set(decisions["decision"]) == {OfficeDecision.UNDECIDED.value}
