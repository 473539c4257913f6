"""A return sent in parts: the report, then its award proposal in a file of its own ("bổ sung hồ sơ đề nghị khen
thưởng"), or the other way round. One file is used for the unit, and the sheets it lacks are taken from the unit's
other file: no model, classification or proposal of the unit is lost, the unit is told which sheet came from
where, and the proposal is checked against the models of the whole return."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from openpyxl import load_workbook

from pipeline.check import read_and_check
from pipeline.config import load_plan
from pipeline.tidy import tidy
from pipeline.tidy.awards import evaluate_proposals
from schemas import SHEETS, sheet_spec

PLAN = load_plan()
BASE = "pho_phong_bao_cao_so_ket.xlsx"      # models recognised at the town's level, a collective proposal
INFO, MODELS, CLASS, PROPOSALS = (sheet_spec(n) for n in ("unit_info", "models", "classification", "proposals"))


def _keep_only(src: Path, dst: Path, keep: set[str], edit=None) -> None:
    """A copy of the return with only the template sheets `keep` (and the instructions and lists)."""
    wb = load_workbook(src)
    for spec in SHEETS:
        if spec.name not in keep:
            del wb[spec.sheet]
    if edit:
        edit(wb)
    wb.save(dst)


def _saved_later(path: Path, seconds: int = 60) -> None:
    st = path.stat()
    os.utime(path, (st.st_atime + seconds, st.st_mtime + seconds))


def _filled(path: Path, spec, column: str) -> list:
    ws = load_workbook(path)[spec.sheet]
    return [ws[spec.cell(i, column)].value for i in range(60) if ws[spec.cell(i, column)].value]


def test_a_proposal_sent_after_the_report_completes_it_and_nothing_is_lost(tmp_path, demo_dir):
    report, extra = tmp_path / "pho_phong_bao_cao.xlsx", tmp_path / "pho_phong_bo_sung_de_nghi_khen_thuong.xlsx"
    shutil.copy(demo_dir / "returns" / BASE, report)
    nominee = "UBND xã Phổ Phong (hồ sơ bổ sung)"
    _keep_only(report, extra, {"unit_info", "proposals"},
               lambda wb: wb[PROPOSALS.sheet].__setitem__(PROPOSALS.cell(0, "nominee_name"), nominee))
    _saved_later(extra)
    models, years = _filled(report, MODELS, "model_name"), _filled(report, CLASS, "classification_year")

    checked = read_and_check(tmp_path, PLAN)
    mine = checked.tables
    assert sorted(mine["models"]["model_name"]) == sorted(models)              # every model of the report
    assert sorted(mine["classification"]["classification_year"]) == sorted(years)
    assert mine["proposals"]["nominee_name"].tolist() == [nominee]             # the proposal sent later
    assert set(mine["models"]["source_file"]) == {report.name}
    issues = checked.issues
    assert not (issues["severity"] == "error").any(), issues[["file", "sheet", "rule", "message"]]
    assert not issues["rule"].str.startswith("proposal.").any()                # its model is in the report
    told = issues[issues["rule"] == "sheet.from_other_file"]
    assert set(told["file"]) == {extra.name} and set(told["severity"]) == {"warning"}
    assert sorted(told["sheet"]) == sorted(s.sheet for s in SHEETS if s.name not in ("unit_info", "proposals"))
    assert all(report.name in m for m in told["message"])
    files = checked.files.set_index("file")
    assert files.at[report.name, "status"] == "superseded" and f"“{MODELS.sheet}”" in files.at[report.name, "reason"]
    checked, tables = tidy(checked, PLAN)
    verdicts, _ranking = evaluate_proposals(tables, PLAN)
    mine = verdicts[verdicts.unit_code == "pho_phong"].set_index("criterion")
    assert mine.loc["c", "verdict"] == "met" and mine.is_eligible.all()


def test_a_report_sent_after_its_proposal_keeps_the_proposal(tmp_path, demo_dir):
    proposal, report = tmp_path / "pho_phong_de_nghi.xlsx", tmp_path / "pho_phong_bao_cao.xlsx"
    _keep_only(demo_dir / "returns" / BASE, proposal, {"unit_info", "proposals"})
    _keep_only(demo_dir / "returns" / BASE, report, {s.name for s in SHEETS} - {"proposals"})
    _saved_later(report)
    nominees = _filled(proposal, PROPOSALS, "nominee_name")
    checked = read_and_check(tmp_path, PLAN)
    assert checked.tables["proposals"]["nominee_name"].tolist() == nominees
    assert set(checked.tables["proposals"]["source_file"]) == {proposal.name}
    assert sorted(checked.tables["models"]["model_name"]) == sorted(_filled(report, MODELS, "model_name"))
    rules = checked.issues.loc[checked.issues["file"] == report.name, "rule"].tolist()
    assert "sheet.from_other_file" in rules and "sheet.missing" not in rules


def test_a_sheet_the_used_file_holds_is_never_taken_from_the_other_file(tmp_path, demo_dir):
    """Two whole returns, the earlier named as a draft: the later one is used alone, even where its sheet is broken
    (its header deleted): the unit is told to mend it, and the earlier file's rows are not mixed in. (Were the
    earlier one final, the later one, with more errors, would not replace it: tests/check/test_units.py.)"""
    first, second = tmp_path / "pho_phong_du_thao.xlsx", tmp_path / "pho_phong_lan_2.xlsx"
    shutil.copy(demo_dir / "returns" / BASE, first)
    wb = load_workbook(demo_dir / "returns" / BASE)
    ws = wb[CLASS.sheet]
    for col in range(1, 6):
        ws.cell(row=3, column=col).value = None
    wb.save(second)
    _saved_later(second)
    checked = read_and_check(tmp_path, PLAN)
    assert len(checked.tables["classification"]) == 0
    assert set(checked.tables["models"]["source_file"]) == {second.name}
    assert "sheet.from_other_file" not in checked.issues["rule"].tolist()
    assert checked.files.set_index("file").at[first.name, "status"] == "superseded"
