"""Issue 27: the boundaries of what the upload link accepts, run in this process (the server tests run the check
in worker processes, where no line of it is seen): the size limit of config [limits] max_file_bytes, and which
workbook of an upload is the link unit's return (its own unit, a status that can be used)."""
from __future__ import annotations

import dataclasses
import io

import pytest
from openpyxl import Workbook

from pipeline import messages as msg
from pipeline.config import load_plan
from pipeline.web import checking
from schemas import sheet_spec
from schemas.codes import FileStatus

INFO = sheet_spec("unit_info")
UNIT = "pho_an"


def _return(unit_name: str | None) -> bytes:
    """Sheet 1 of the template with only the unit's name (and nothing else) filled in."""
    wb = Workbook()
    ws = wb.active
    ws.title = INFO.sheet
    rows = [[INFO.sheet], [], list(msg.FORM_HEADERS)] + [[c.header] for c in INFO.columns]
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            ws.cell(r, c, value)
    if unit_name is not None:
        ws.cell(4, 2, unit_name)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("room, refused", [(-1, True), (0, False), (1, False)])
def test_an_upload_of_max_file_bytes_is_checked_and_one_byte_more_is_refused(monkeypatch, room, refused):
    data = _return("UBND xã Phổ An")
    plan = load_plan()
    limited = dataclasses.replace(plan, raw={**plan.raw, "limits": {**plan.limits, "max_file_bytes": len(data) + room}},
                                  _lookup={})
    monkeypatch.setattr(checking, "load_plan", lambda: limited)
    assert checking.guard(data, ".xlsx") == (checking.too_large_message() if refused else "")


def test_the_link_unit_s_own_workbook_is_its_return():
    out = checking.check_upload(_return("UBND xã Phổ An"), ".xlsx", UNIT)
    assert not out.is_refused and out.verdict == FileStatus.ACCEPTED_WITH_ERRORS and out.reason == ""
    assert out.errors > 0 and out.feedback is not None


def test_a_blank_unit_cell_is_the_link_s_unit():
    out = checking.check_upload(_return(None), ".xlsx", UNIT)
    assert not out.is_refused
    assert "unit.from_link" in [i["rule"] for i in out.issues]


def test_another_unit_s_workbook_is_refused_naming_both_units():
    out = checking.check_upload(_return("UBND xã Phổ Văn"), ".xlsx", UNIT)
    assert out.is_refused and "Phổ Văn" in out.reason and "Phổ An" in out.reason


def test_a_workbook_with_no_sheet_of_the_template_is_refused_with_the_file_s_own_reason():
    """No workbook of the upload is a usable return of the link's unit: the upload is refused, saying why the
    file was (not the generic "no return found")."""
    wb = Workbook()
    wb.active["A1"] = "Báo cáo sơ kết của UBND xã Phổ An (xem tệp gửi kèm)"
    buf = io.BytesIO()
    wb.save(buf)
    out = checking.check_upload(buf.getvalue(), ".xlsx", UNIT)
    assert out.is_refused and out.reason and out.reason != checking.MSG_NO_RETURN


def test_the_link_unit_s_own_workbook_refused_is_no_return(tmp_path):
    """The blank template sent back through the link: the file is the unit's, but its status (rejected: nothing
    typed) can never be a return, so the upload is refused with that reason."""
    data = checking.write_template(tmp_path).read_bytes()
    out = checking.check_upload(data, ".xlsx", UNIT)
    assert out.is_refused and out.reason == msg.FILE_BLANK
