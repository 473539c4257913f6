"""A feedback copy that a unit corrects and sends back is read as a return: its version stamp is found on whichever
sheet holds it, the problem-list sheet is ignored, and the corrected value reaches the tidy tables."""
from __future__ import annotations

import io
import os
import time

import pandas as pd
from openpyxl import load_workbook

from pipeline import messages as msg
from pipeline.check import read_and_check
from pipeline.check.feedback import feedback_bytes
from pipeline.tidy import tidy
from schemas.codes import FileStatus


def _feedback_copy(demo_dir, plan, file: str):
    """The feedback workbook the office sends back for `file` (a demo return with one planted error)."""
    checked = read_and_check(demo_dir / "returns", plan)
    issues = checked.issues[checked.issues["file"] == file]
    assert (issues["severity"] == "error").any()
    data = feedback_bytes((demo_dir / "returns" / file).read_bytes(), "xlsx", issues.to_dict("records"), plan)
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames[0] == msg.FEEDBACK_SHEET  # the problem list comes first, before the instructions sheet
    return wb, issues


def test_a_corrected_feedback_copy_is_read_as_a_return(demo_dir, plan, tmp_path):
    planted = pd.read_csv(demo_dir / "planted_mistakes.csv", encoding="utf-8-sig")
    mistake = planted[(planted["rule"] == "number.invalid") & (planted["severity"] == "error")].iloc[0]
    wb, issues = _feedback_copy(demo_dir, plan, mistake["file"])
    wb[mistake["sheet"]][mistake["cell"]] = 12  # the unit types a number where it had typed "10-12"
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    original = inputs / mistake["file"]
    original.write_bytes((demo_dir / "returns" / mistake["file"]).read_bytes())
    corrected = inputs / f"{mistake['unit_code']}.xlsx"  # the feedback copy, as the office named it
    buffer = io.BytesIO()
    wb.save(buffer)
    corrected.write_bytes(buffer.getvalue())
    later = time.time() + 60
    os.utime(corrected, (later, later))  # sent back after the first return

    checked = read_and_check(inputs, plan)
    files = checked.files.set_index("file")
    assert files.at[corrected.name, "status"] == FileStatus.ACCEPTED, checked.issues.to_dict("records")
    assert files.at[corrected.name, "template_version"] == plan.template_version
    assert files.at[original.name, "status"] == FileStatus.SUPERSEDED
    own = checked.issues[checked.issues["file"] == corrected.name]
    assert not (own["sheet"] == msg.FEEDBACK_SHEET).any()
    assert "file.template_version" not in set(own["rule"])
    assert not ((own["sheet"] == mistake["sheet"]) & (own["cell"] == mistake["cell"])).any()

    checked, tables = tidy(checked, plan)
    lead = tables["leadership"]
    row = int(mistake["cell"][1:])
    fixed = lead[(lead["source_file"] == corrected.name) & (lead["excel_row"] == row)
                 & (lead["indicator_code"] == mistake["column"])]
    assert fixed["value"].tolist() == [12]


def test_the_stamp_is_found_when_the_instructions_sheet_is_not_first(demo_dir, plan, tmp_path):
    planted = pd.read_csv(demo_dir / "planted_mistakes.csv", encoding="utf-8-sig")
    file = planted[planted["severity"] == "error"].iloc[0]["file"]
    wb, _ = _feedback_copy(demo_dir, plan, file)
    wb.move_sheet(msg.INSTRUCTIONS_SHEET, offset=len(wb.sheetnames) - 1)  # a clerk moved it to the end
    path = tmp_path / "copy.xlsx"
    wb.save(path)
    checked = read_and_check(tmp_path, plan)
    assert checked.files.iloc[0]["template_version"] == plan.template_version
    assert load_workbook(path).sheetnames[-1] == msg.INSTRUCTIONS_SHEET


def test_file_and_sheet_messages_do_not_speak_of_a_row(demo_dir, plan, tmp_path):
    """A problem of a whole file or sheet says "tệp này" or "sheet này", never "dòng này"."""
    sources = sorted((demo_dir / "returns").glob("*.xlsx"))[:3]  # three units: none supersedes another
    edits = {
        "unknown_unit.xlsx": lambda wb: wb["1. Thông tin đơn vị"].cell(4, 2, "UBND xã Không Có"),
        "old_stamp.xlsx": lambda wb: wb[msg.INSTRUCTIONS_SHEET].cell(2, 1, f"{msg.STAMP_PREFIX} CU-2019"),
        "no_sheet.xlsx": lambda wb: wb.remove(wb["6. Tác động"]),
    }
    for source, (name, edit) in zip(sources, edits.items()):
        wb = load_workbook(source)
        edit(wb)
        wb.save(tmp_path / name)
    issues = read_and_check(tmp_path, plan).issues
    whole = issues[issues["cell"] == ""]
    assert {"file.rejected", "file.template_version", "sheet.missing"} <= set(whole["rule"])
    for message in whole["message"]:
        assert "dòng này" not in message, message
