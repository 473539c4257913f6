"""Issue 27: the counting rules of the sheet reader (pipeline/read/workbook.py) tried at their boundary, one below
and one above: which rows under a table's header are no data (a group heading, the header typed again, the
column-number row, a signature block), and which column of a form holds its values. Each case is a small .xlsx
built in memory and read by `read_workbook`; what is asserted is what the unit sees: the `row.not_data` notice
at its cell, or the record read."""
from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from pipeline import messages as msg
from pipeline.config import load_plan
from pipeline.read import workbook as W
from pipeline.read.sources import SourceFile
from schemas import sheet_spec
from schemas.rules import Rule
from schemas.spec import FIRST_DATA_ROW, HEADER_ROW

PLAN = load_plan()
MODELS, CLASS, ASSESS, INFO = (sheet_spec(n) for n in ("models", "classification", "assessment", "unit_info"))


def _read(sheet: str, rows: list[list]) -> SourceFile:
    """A workbook holding one sheet, `rows` from A1 (None: an empty cell), read as a return."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(r, c, value)
    buf = io.BytesIO()
    wb.save(buf)
    src = SourceFile(file="pho_an.xlsx", format="xlsx", data=buf.getvalue())
    W.read_workbook(src, PLAN)
    assert src.status == "", src.reason
    return src


def _table(spec, body: list[list]) -> SourceFile:
    """A table sheet: its headers on the template's header row, `body` under them."""
    top = [[spec.sheet]] + [[] for _ in range(HEADER_ROW - 2)]
    return _read(spec.sheet, [*top, [c.header for c in spec.columns], *body])


def _not_data(src: SourceFile, spec) -> list[str]:
    return [i.cell for i in src.issues if i.sheet == spec.sheet and i.rule == Rule.ROW_NOT_DATA]


def _records(src: SourceFile, spec) -> list[int]:
    sheet = src.sheets.get(spec.name)
    return list(sheet.excel_rows) if sheet else []


FIRST = f"A{FIRST_DATA_ROW}"
FIELDS = {spec.name: sum(c.required for c in spec.columns) for spec in (MODELS, CLASS, ASSESS)}


def test_the_sheets_used_below_sit_on_both_sides_of_heading_min_fields():
    assert FIELDS["assessment"] == W.HEADING_MIN_FIELDS - 1
    assert FIELDS["classification"] == W.HEADING_MIN_FIELDS
    assert FIELDS["models"] > W.HEADING_MIN_FIELDS


@pytest.mark.parametrize("spec, heading", [(ASSESS, False), (CLASS, True), (MODELS, True)])
def test_a_numbered_group_heading_is_no_record_where_a_record_needs_heading_min_fields(spec, heading):
    """"I. Nhóm xã" alone on its row: a heading in a table whose record needs HEADING_MIN_FIELDS required cells or
    more; in a table of fewer (a topic and its text) it may be a record, and is read as one."""
    src = _table(spec, [["I. Các xã đồng bằng"]])
    assert _not_data(src, spec) == ([FIRST] if heading else [])
    assert _records(src, spec) == ([] if heading else [FIRST_DATA_ROW])
    if heading:
        [issue] = [i for i in src.issues if i.rule == Rule.ROW_NOT_DATA]
        assert (issue.severity, issue.message.startswith(f"Ô {FIRST}"), "I. Các xã đồng bằng" in issue.message) == (
            "warning", True, True)


@pytest.mark.parametrize("cells, heading", [(2, False), (3, True), (4, True)])
def test_one_text_spread_over_three_cells_or_more_is_a_heading(cells, heading):
    """A merged cell spread over the row: a heading from three cells on (two may be a record's name and field)."""
    src = _table(MODELS, [["Các xã đồng bằng"] * cells])
    assert _not_data(src, MODELS) == ([FIRST] if heading else [])
    assert _records(src, MODELS) == ([] if heading else [FIRST_DATA_ROW])


@pytest.mark.parametrize("text, heading", [("TÂY", False), ("ĐÔNG", True), ("XÃ MỚI", True)])
def test_a_text_in_capitals_is_a_heading_from_four_letters_on(text, heading):
    src = _table(MODELS, [[text]])
    assert _not_data(src, MODELS) == ([FIRST] if heading else [])


@pytest.mark.parametrize("others, header", [(0, True), (1, True), (2, True), (3, False)])
def test_a_row_is_the_header_again_when_at_least_half_its_cells_and_two_repeat_headers(others, header):
    """Two template headers typed again under the header, with 0 to 3 other texts beside them."""
    heads = [c.header for c in MODELS.columns]
    row = heads[:2] + [f"Ghi chú {k}" for k in range(others)]
    src = _table(MODELS, [row])
    assert _not_data(src, MODELS) == ([FIRST] if header else [])


def test_one_header_typed_again_alone_is_no_header_row():
    src = _table(MODELS, [[MODELS.columns[0].header]])
    assert _not_data(src, MODELS) == []


@pytest.mark.parametrize("n, numbering", [(2, False), (3, True), (4, True)])
def test_the_column_numbers_under_the_header_are_no_data_from_three_on(n, numbering):
    src = _table(MODELS, [list(range(1, n + 1)), ["Mô hình A"]])
    assert _not_data(src, MODELS) == ([FIRST] if numbering else [])
    assert _records(src, MODELS)[-1] == FIRST_DATA_ROW + 1


@pytest.mark.parametrize("extra, signature", [(W.SIGNATURE_CELLS - 2, True), (W.SIGNATURE_CELLS - 1, True),
                                              (W.SIGNATURE_CELLS, False)])
def test_a_signature_row_holds_at_most_signature_cells_texts(extra, signature):
    """"Người lập biểu" with other texts beside it: a signature row up to SIGNATURE_CELLS texts in all."""
    row = ["Người lập biểu"] + [f"Ý kiến {k}" for k in range(extra)]
    src = _table(MODELS, [["Mô hình A", "Văn hóa"], row])
    below = f"A{FIRST_DATA_ROW + 1}"
    assert _not_data(src, MODELS) == ([below] if signature else [])
    assert _records(src, MODELS) == ([FIRST_DATA_ROW] if signature else [FIRST_DATA_ROW, FIRST_DATA_ROW + 1])


# -- a form's value column --------------------------------------------------------------------------------------

def _form(label_col: int, header_col: int | None, value_col: int | None) -> SourceFile:
    """Sheet 1 with its labels in column `label_col` (0 = A), the "Thông tin của đơn vị" header over column
    `header_col` (None: not typed), and each value in column `value_col` (None: left blank)."""
    width = max(label_col, header_col or 0, value_col or 0) + 2
    head = [None] * width
    head[label_col] = msg.FORM_HEADERS[0]
    if header_col is not None:
        head[header_col] = msg.FORM_HEADERS[1]
    rows = [[INFO.sheet], [], head]
    for i, col in enumerate(INFO.columns):
        row = [None] * width
        row[label_col] = col.header
        if value_col is not None:
            row[value_col] = f"giá trị {i}"
        rows.append(row)
    return _read(INFO.sheet, rows)


def _value_cell(src: SourceFile) -> str:
    return src.sheets["unit_info"].addresses["unit_name"]


@pytest.mark.parametrize("header_col, value_col, read_at", [
    (0, 2, "C"),     # the value header typed left of the labels: no value column, values right of the label
    (1, 2, "C"),     # over the label column itself: the same
    (2, 2, "C"),     # right of the label: values read there
    (3, 3, "D"),     # further right: values typed under it are read there
    (3, 2, "C"),     # further right but the values typed next to the label: read where they are
])
def test_a_form_s_value_column_is_right_of_its_labels(header_col, value_col, read_at):
    src = _form(1, header_col, value_col)
    assert _value_cell(src) == f"{read_at}{FIRST_DATA_ROW}"
    assert src.sheets["unit_info"].records[0][0] == "giá trị 0"


@pytest.mark.parametrize("header_col, blank_at", [(1, "C"), (2, "C"), (3, "D")])
def test_a_blank_form_value_is_looked_for_under_the_value_header_right_of_the_label_only(header_col, blank_at):
    """Nothing typed: the field's cell is the value header's column when it is right of the labels, else the
    cell right of the label; never the label itself."""
    src = _form(1, header_col, None)
    assert _value_cell(src) == f"{blank_at}{FIRST_DATA_ROW}"
    assert src.sheets["unit_info"].records[0][0] in (None, "")
