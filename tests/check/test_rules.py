"""One case per cell rule (CELL_RULES), on real workbooks.

Each case is a clean demo return, copied under another registry unit, with one
mistake typed in (usually one cell). All the mistakes are read together in one
run, all their valid twins in another. For each mistake: the file's issues are
exactly that rule, at that sheet and cell, with that severity and a Vietnamese
message naming the cell; an error keeps the value out of the tables, a warning
keeps the row. The twin (same workbook, a valid value in that cell) has no
issue at all. Deadline edges are tested on `Plan.is_late` and through the
submissions table.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd
import pytest
from openpyxl import load_workbook

from pipeline.config import Unit
from pipeline.check import read_and_check
from pipeline.text import strip_accents
from schemas import SHEETS, sheet_spec
from schemas.rules import Rule

# Clean demo returns (no planted mistake, no issue at all in the demo run).
BASE = "y_te_bao_cao_so_ket.xlsx"            # two models (province / town, both replicated), no proposal
BASE_PROPOSAL = "pho_thanh_bao_cao_so_ket.xlsx"  # one collective proposal resting on its one model

INFO = sheet_spec("unit_info").sheet
LEAD = sheet_spec("leadership").sheet
MODELS = sheet_spec("models").sheet
CLASS = sheet_spec("classification").sheet
IMPACT = sheet_spec("impact").sheet
AWARDS = sheet_spec("awards_given").sheet
PROPOSALS = sheet_spec("proposals").sheet
INSTRUCTIONS = "Hướng dẫn"
TABLE_OF = {s.sheet: s.name for s in SHEETS}
HTXS = "Hoàn thành xuất sắc nhiệm vụ"

VI_LETTERS = re.compile("[ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ]")
SUFFIX = {"error": "[Lỗi:", "warning": "[Cảnh báo:"}

@dataclass(frozen=True)
class Case:
    id: str
    rule: str
    severity: str
    sheet: str                 # where the issue is reported ("" for a whole file)
    cell: str                  # A1 address of the issue ("" for a sheet, a field or a file)
    bad: tuple                 # edits that make the mistake: (sheet, cell, value) or fn(workbook, unit, base rows)
    good: tuple | None = ()    # edits that make the valid twin (None: no twin)
    scope: str = "cell"        # what an error keeps out of the tables: cell, sheet, file
    base: str = BASE
    names: tuple = ()          # words the message must contain besides the cell
    cell_named: bool = True    # the message names the cell (a missing column has none of its own)
    column: str = ""           # the field a form-sheet issue without a cell is about
    also: tuple = ()           # other issues the mistake rightly gives: (sheet, cell, rule, severity)
    twin_warns: str = ""       # a warning the twin may get instead (the value was read, with a word of caution)
    xfail: str = ""            # reason, when the pipeline is known to be wrong
    xfail_in: tuple = ("issues", "tables")  # which of the two mistake tests that reason applies to


@dataclass(frozen=True)
class _SavedAs:
    """The return saved under its unit's code followed by `tail` instead of ".xlsx"."""

    tail: str


def _text(sheet: str, cell: str, value: str) -> Callable:
    """A value typed (or pasted) as text, e.g. "#REF!" which openpyxl would store as an error."""
    def edit(wb, unit, rows):
        wb[sheet][cell] = value
        wb[sheet][cell].data_type = "s"
    return edit


def _delete_sheet(sheet: str) -> Callable:
    def edit(wb, unit, rows):
        del wb[sheet]
    return edit


def _rename_sheet(sheet: str, new: str) -> Callable:
    def edit(wb, unit, rows):
        wb[sheet].title = new
    return edit


def _clear_row(sheet: str, row: int) -> Callable:
    def edit(wb, unit, rows):
        for cell in wb[sheet][row]:
            cell.value = None
    return edit


def _loose_headers(sheet: str, row: int) -> Callable:
    """Headers retyped in capitals without diacritics: still the template's headers."""
    def edit(wb, unit, rows):
        for cell in wb[sheet][row]:
            if isinstance(cell.value, str):
                cell.value = strip_accents(cell.value).upper()
    return edit


def _loose(sheet: str, cell: str) -> Callable:
    def edit(wb, unit, rows):
        wb[sheet][cell] = "  " + strip_accents(wb[sheet][cell].value).upper() + " "
    return edit


def _unit_name(value: Callable[[Unit], str]) -> Callable:
    def edit(wb, unit, rows):
        wb[INFO]["B4"] = value(unit)
    return edit


def _second_proposal(wb, unit, rows):
    """A unit proposing two people at once (“01 tập thể hoặc 01 cá nhân”)."""
    ws = wb[PROPOSALS]
    for col in "ABCDEFGHIJKLM":
        ws[f"{col}5"] = ws[f"{col}4"].value
    ws["A5"], ws["B5"] = "Cá nhân", "Lê Văn Thêm"
    for col in "JKLM":
        ws[f"{col}5"] = None


def _model_name_capitals(wb, unit, rows):
    ws = wb[PROPOSALS]
    ws["E4"] = "  " + rows["models"][0]["model_name"].upper() + " "


CASES = [
    # -- cell rules, table sheets -------------------------------------------------
    Case("required.missing", "required.missing", "error", LEAD, "F5", ((LEAD, "F5", None),), ((LEAD, "F5", 0),)),
    Case("required.missing-form", "required.missing", "error", INFO, "B5", ((INFO, "B5", None),),
         ((INFO, "B5", "Nguyễn Văn An"),)),
    Case("number.invalid", "number.invalid", "error", LEAD, "B5", ((LEAD, "B5", "10-12"),), ((LEAD, "B5", "12"),)),
    Case("number.not_whole", "number.not_whole", "error", LEAD, "C6", ((LEAD, "C6", 2.5),), ((LEAD, "C6", 2.0),)),
    Case("range.out_of_bounds-negative", "range.out_of_bounds", "error", LEAD, "B7", ((LEAD, "B7", -3),),
         ((LEAD, "B7", 0),)),
    Case("range.out_of_bounds-score", "range.out_of_bounds", "error", CLASS, "B4",
         ((CLASS, "B4", 100.5), (CLASS, "C4", HTXS)), ((CLASS, "B4", 100), (CLASS, "C4", HTXS))),
    Case("range.out_of_bounds-year", "range.out_of_bounds", "error", MODELS, "F4", ((MODELS, "F4", 2019),),
         ((MODELS, "F4", 2020),)),
    Case("range.out_of_bounds-year-in-words", "range.out_of_bounds", "error", MODELS, "F4",
         ((MODELS, "F4", "Năm 2019"),), None),   # read as 2019 (a warning), then out of range: the error replaces it
    Case("range.out_of_bounds-form", "range.out_of_bounds", "error", IMPACT, "B5", ((IMPACT, "B5", 120),),
         ((IMPACT, "B5", 100),)),
    Case("choice.invalid", "choice.invalid", "error", MODELS, "B4", ((MODELS, "B4", "Môi trường"),),
         ((MODELS, "B4", "kinh te"),), names=("“Môi trường”", "“Kinh tế”; “")),
    Case("choice.invalid-level-with-score", "choice.invalid", "error", CLASS, "C6",
         ((CLASS, "B6", 95), (CLASS, "C6", "Loại A")), ((CLASS, "B6", 95), (CLASS, "C6", HTXS))),
    Case("date.invalid", "date.invalid", "error", INFO, "B9", ((INFO, "B9", "31/02/2023"),),
         ((INFO, "B9", "28/02/2023"),)),
    # An unreadable optional date of a table: the cell is left blank with a warning, the model is kept.
    Case("date.invalid-optional", "date.invalid", "warning", MODELS, "I4", ((MODELS, "I4", "31/02/2023"),),
         ((MODELS, "I4", "28/02/2023"),)),
    # a day and month without the year, in a date whose year does not go without saying (the report date's does)
    Case("date.no_year", "date.no_year", "warning", MODELS, "I4", ((MODELS, "I4", "15/6"),),
         ((MODELS, "I4", "15/06/2022"),)),
    Case("date.invalid-year-in-a-date-cell", "date.invalid", "warning", MODELS, "I4",
         ((MODELS, "I4", dt.datetime(1905, 7, 15)),), None, names=("15/07/1905",)),   # 2023 typed in a date cell
    Case("yesno.invalid", "yesno.invalid", "error", MODELS, "J4", ((MODELS, "J4", "chắc có"),), ((MODELS, "J4", "có"),)),
    Case("cell.excel_error", "cell.excel_error", "error", LEAD, "G6", (_text(LEAD, "G6", "#REF!"),), ((LEAD, "G6", 0),)),
    Case("duplicate.row", "duplicate.row", "error", LEAD, "A5", ((LEAD, "A5", "Năm 2020"),), ((LEAD, "A5", "năm 2021"),)),
    # a row added under the template's own rows repeating one of them: the added row is the copy
    Case("duplicate.row-added-below", "duplicate.row", "error", CLASS, "A7",
         ((CLASS, "A7", 2022), (CLASS, "B7", 95), (CLASS, "C7", HTXS)), None),
    # two keys: the key cell the clerk changed is the one flagged (B5 said "Biểu dương, khen ngợi")
    Case("duplicate.row-second-key", "duplicate.row", "error", AWARDS, "B5", ((AWARDS, "B5", "Giấy khen"),), None),
    # -- format.invalid: phone and e-mail (form sheet) ----------------------------
    Case("format.invalid-phone-abc", "format.invalid", "error", INFO, "B7", ((INFO, "B7", "abc"),),
         ((INFO, "B7", "0255 3859 123"),)),
    Case("format.invalid-phone-short", "format.invalid", "error", INFO, "B7", ((INFO, "B7", "0905"),),
         ((INFO, "B7", "0905123456"),)),
    Case("format.invalid-email-abc", "format.invalid", "error", INFO, "B8", ((INFO, "B8", "abc"),),
         ((INFO, "B8", "tcnv@ducpho.gov.vn"),)),
    Case("format.invalid-email-no-dot", "format.invalid", "error", INFO, "B8", ((INFO, "B8", "a@b"),), None),
    Case("format.invalid-email-space", "format.invalid", "error", INFO, "B8", ((INFO, "B8", "a b@c.vn"),), None),
    # -- row rules of schemas/sheets.py -------------------------------------------
    Case("participants_not_below_sessions", "participants_not_below_sessions", "error", LEAD, "E4",
         ((LEAD, "D4", 10), (LEAD, "E4", 9)), ((LEAD, "D4", 10), (LEAD, "E4", 10))),
    Case("registered_not_above_staff", "registered_not_above_staff", "error", INFO, "B11",
         ((INFO, "B10", 30), (INFO, "B11", 31)), ((INFO, "B10", 30), (INFO, "B11", 30))),
    Case("recognition_doc_required", "recognition_doc_required", "warning", MODELS, "H4", ((MODELS, "H4", None),),
         ((MODELS, "H4", "125/QĐ-UBND"),)),
    Case("replication_places_required-blank", "replication_places_required", "warning", MODELS, "K5",
         ((MODELS, "K5", None),), ((MODELS, "K5", 1),)),
    Case("replication_places_required-zero", "replication_places_required", "warning", MODELS, "K5",
         ((MODELS, "K5", 0),), None),
    Case("places_without_replication", "places_without_replication", "warning", MODELS, "K4",
         ((MODELS, "J4", "Không"), (MODELS, "K4", 6)), ((MODELS, "J4", "Không"), (MODELS, "K4", 0))),
    Case("places_without_replication-blank-twin", "places_without_replication", "warning", MODELS, "K5",
         ((MODELS, "J5", "Không"), (MODELS, "K5", 1)), ((MODELS, "J5", "Không"), (MODELS, "K5", None))),
    Case("level_matches_score", "level_matches_score", "warning", CLASS, "C5",
         ((CLASS, "B5", 75), (CLASS, "C5", HTXS)), ((CLASS, "B5", 90), (CLASS, "C5", HTXS)), names=("75",)),
    Case("level_matches_score-edge", "level_matches_score", "warning", CLASS, "C4",
         ((CLASS, "B4", 89.9), (CLASS, "C4", HTXS)), ((CLASS, "B4", 89.9), (CLASS, "C4", "Hoàn thành tốt nhiệm vụ"))),
    # -- cross-sheet rules (a unit with a collective proposal) --------------------
    Case("proposal.too_many", "proposal.too_many", "error", PROPOSALS, "A5", (_second_proposal,), (),
         base=BASE_PROPOSAL),
    Case("proposal.model_not_found", "proposal.model_not_found", "warning", PROPOSALS, "E4",
         ((PROPOSALS, "E4", "Mô hình không có trong sheet 4"),), (_model_name_capitals,), base=BASE_PROPOSAL),
    Case("proposal.crit_c_unsupported", "proposal.crit_c_unsupported", "warning", PROPOSALS, "J4",
         ((MODELS, "G4", "Cơ quan, đơn vị công nhận"),), ((MODELS, "G4", "Cấp thị xã công nhận"),),
         base=BASE_PROPOSAL),
    # The guidance asks for a model "có thể nhân rộng": a recognised model not yet replicated supports (c).
    Case("proposal.crit_c_unsupported-not-recognised", "proposal.crit_c_unsupported", "warning", PROPOSALS, "J4",
         ((MODELS, "G4", "Chưa được công nhận"), (MODELS, "H4", None)), ((MODELS, "J4", "Không"), (MODELS, "K4", None)),
         base=BASE_PROPOSAL),
    # -- structural ---------------------------------------------------------------
    Case("sheet.missing", "sheet.missing", "error", IMPACT, "", (_delete_sheet(IMPACT),),
         (_rename_sheet(IMPACT, "6. TAC DONG"),), scope="sheet", names=(IMPACT,), twin_warns="sheet.assumed"),
    # the proposals sheet deleted by a unit that proposes no one: the same as the sheet left empty, said
    Case("sheet.missing-optional", "sheet.missing", "warning", PROPOSALS, "", (_delete_sheet(PROPOSALS),), None,
         scope="sheet", names=(PROPOSALS,)),
    Case("sheet.no_header", "sheet.no_header", "error", AWARDS, "", (_clear_row(AWARDS, 3),),
         (_loose_headers(AWARDS, 3),), scope="sheet", names=(AWARDS,)),
    Case("column.missing-required", "column.missing", "error", LEAD, "A3", ((LEAD, "B3", "Cột do đơn vị tự đặt"),),
         (_loose(LEAD, "B3"),), scope="sheet", names=(LEAD, "Số kế hoạch, văn bản chỉ đạo đã ban hành"), cell_named=False),
    Case("column.missing-optional", "column.missing", "warning", MODELS, "A3", ((MODELS, "M3", "Ghi chú"),),
         (_loose(MODELS, "M3"),), scope="sheet", names=(MODELS, "Hiệu quả"), cell_named=False),
    Case("field.missing-required", "field.missing", "error", INFO, "", ((INFO, "A10", "Nội dung khác"),),
         (_loose(INFO, "A10"),), column="staff_total", names=(INFO, "Tổng số CBCCVC và người lao động")),
    Case("field.missing-optional", "field.missing", "warning", IMPACT, "", ((IMPACT, "A9", "Ghi chú khác"),),
         (_loose(IMPACT, "A9"),), scope="sheet", names=("Gắn với các phong trào thi đua, cuộc vận động khác",)),
    Case("file.template_version", "file.template_version", "warning", "", "",
         ((INSTRUCTIONS, "A2", "Phiên bản mẫu: DVK-2021.0"),), ((INSTRUCTIONS, "A2", "phiên bản mẫu:  DVK-2023.1 "),),
         scope="file", names=("DVK-2021.0",)),
    Case("file.no_extension", "file.no_extension", "warning", "", "", (_SavedAs(" 14.6.2023"),), (),
         scope="file", names=("“.2023”", ".xlsx")),
    Case("file.rejected", "file.rejected", "error", "", "", (_unit_name(lambda u: "UBND xã Không Tồn Tại"),),
         (_unit_name(lambda u: strip_accents(u.unit_name).upper()),), scope="file", names=("UBND xã Không Tồn Tại",),
         also=((INFO, "B4", "unit.unknown", "error"),), twin_warns="unit.assumed"),
]


# -- building and running ---------------------------------------------------------

# The models of each base, as the cases expect them (the demo's own draw may change): BASE two models recognised by
# the province and the town, both replicated; BASE_PROPOSAL the one model its collective proposal rests on.
BASE_MODELS = {
    BASE: [
        {"model_name": "Bộ phận một cửa thân thiện – Nói lời hay, làm việc tốt", "field": "Cải cách hành chính",
         "content_area": "2. Cải cách hành chính", "model_kind": "Tập thể", "implementer": "Phòng Y tế",
         "start_year": 2020, "recognition_level": "Cấp tỉnh công nhận", "recognition_doc": "184/QĐ-UBND",
         "recognition_date": dt.datetime(2022, 3, 14), "is_replicated": "Có", "replication_places": 6,
         "beneficiaries": 2904, "effect": "Giảm thời gian chờ của người dân tại bộ phận một cửa."},
        {"model_name": "Mã QR tra cứu thủ tục hành chính", "field": "Cải cách hành chính",
         "content_area": "2. Cải cách hành chính", "model_kind": "Tập thể", "implementer": "Phòng Y tế",
         "start_year": 2021, "recognition_level": "Cấp thị xã công nhận", "recognition_doc": "515/QĐ-UBND",
         "recognition_date": dt.datetime(2022, 2, 20), "is_replicated": "Có", "replication_places": 11,
         "beneficiaries": 1605, "effect": "Người dân tra cứu thủ tục ngay trên điện thoại."},
    ],
}


def _with_models(wb, rows: dict, base: str) -> dict:
    """The base workbook's models sheet (and its intended rows) as the cases expect them."""
    spec = sheet_spec("models")
    ws = wb[MODELS]
    if base in BASE_MODELS:
        models = BASE_MODELS[base]
    else:   # the one model the proposal names
        named = rows["proposals"][0]["model_name"]
        models = [m for m in rows["models"] if m["model_name"] == named][:1]
        assert models, (base, named)
    for i in range(max(len(rows["models"]), len(models)) + 1):
        for j, col in enumerate(spec.columns, start=1):
            ws.cell(4 + i, j).value = models[i].get(col.name) if i < len(models) else None
    return rows | {"models": models}


@pytest.fixture(scope="module")
def bases(demo_intended, demo_dir):
    """Each base return: its intended rows and its loaded workbook (pickled: copies are cheap)."""
    returns, _ = demo_intended
    by_file = {r.filename: r for r in returns}
    out = {}
    for base in (BASE, BASE_PROPOSAL):
        assert by_file[base].planted == [], base  # the bases must be clean returns
        assert by_file[BASE].rows["proposals"] == [] and by_file[BASE_PROPOSAL].rows["proposals"], base
        wb = load_workbook(demo_dir / "returns" / base)
        rows = _with_models(wb, by_file[base].rows, base)
        out[base] = (rows, pickle.dumps(wb))
    return out


def _write(folder: Path, bases, plan, jobs: list[tuple[str, str, tuple]]) -> list[tuple[Path, dict]]:
    """jobs: (key, base file, edits). One workbook per registry unit, one folder per batch of units."""
    units = list(plan.units)
    batches = []
    for start in range(0, len(jobs), len(units)):
        batch = folder / f"batch{start // len(units)}"
        batch.mkdir(parents=True)
        names = {}
        for (key, base, edits), unit in zip(jobs[start:start + len(units)], units):
            rows, pickled = bases[base]
            wb = pickle.loads(pickled)
            wb[INFO]["B4"] = unit.unit_name
            name = f"{unit.unit_code}.xlsx"
            for edit in edits:
                if isinstance(edit, _SavedAs):
                    name = unit.unit_code + edit.tail
                elif callable(edit):
                    edit(wb, unit, rows)
                else:
                    sheet, cell, value = edit
                    wb[sheet][cell] = value
            wb.save(batch / name)
            names[key] = (name, unit)
        batches.append((batch, names))
    return batches


def _run(batches, plan) -> dict[str, tuple]:
    """key -> (the run's Checked, the case's file, its unit)."""
    out = {}
    for batch, names in batches:
        checked = read_and_check(batch, plan)
        out |= {key: (checked, file, unit) for key, (file, unit) in names.items()}
    return out


@pytest.fixture(scope="module")
def mistakes(tmp_path_factory, bases, plan):
    return _run(_write(tmp_path_factory.mktemp("mistakes"), bases, plan, [(c.id, c.base, c.bad) for c in CASES]),
                plan)


@pytest.fixture(scope="module")
def twins(tmp_path_factory, bases, plan):
    jobs = [(c.id, c.base, c.good) for c in CASES if c.good is not None]
    return _run(_write(tmp_path_factory.mktemp("twins"), bases, plan, jobs), plan)


def _expected_rows(rows: dict, table: str) -> int:
    spec = sheet_spec(table)
    return len(spec.fixed_rows) or len(rows.get(table, []))


def _file_issues(checked, file) -> pd.DataFrame:
    """A file's cell rules. Its figures questioned against the other returns of the run or its own years
    (plausibility.*, tests/check/test_plausibility.py) are left out: here every return copies one of a few bases, and
    a twin's valid figure (12 plans where the base has 2) is rightly questioned among them."""
    issues = checked.issues[checked.issues["file"] == file]
    return issues[~issues["rule"].str.startswith("plausibility.")]


def _rows_of_file(checked, table: str, file: str) -> pd.DataFrame:
    df = checked.tables[table]
    return df[df["source_file"] == file]


def _params(cases, test: str = "") -> list:
    """A list, not a generator: pytest may collect a module more than once in a process (mutmut does)."""
    return [pytest.param(c, id=c.id,
                         marks=[pytest.mark.xfail(strict=True, reason=c.xfail)] if (c.xfail and test in c.xfail_in) else [])
            for c in cases]


# -- the tests ----------------------------------------------------------------------

# The rules a workbook mistake raises at one cell: each has a case here (the other rules of schemas/rules.py are
# raised by files, units, sheets, plausibility and decisions, and are tested where those are).
CELL_RULES = {
    Rule.CELL_EXCEL_ERROR, Rule.CHOICE_INVALID, Rule.COLUMN_MISSING, Rule.DATE_INVALID, Rule.DATE_NO_YEAR,
    Rule.DUPLICATE_ROW, Rule.FIELD_MISSING, Rule.FILE_NO_EXTENSION, Rule.FILE_REJECTED, Rule.FILE_TEMPLATE_VERSION,
    Rule.FORMAT_INVALID, Rule.LEVEL_MATCHES_SCORE, Rule.NUMBER_INVALID, Rule.NUMBER_NOT_WHOLE,
    Rule.PARTICIPANTS_NOT_BELOW_SESSIONS, Rule.PLACES_WITHOUT_REPLICATION, Rule.PROPOSAL_CRIT_C_UNSUPPORTED,
    Rule.PROPOSAL_MODEL_NOT_FOUND, Rule.PROPOSAL_TOO_MANY, Rule.RANGE_OUT_OF_BOUNDS, Rule.RECOGNITION_DOC_REQUIRED,
    Rule.REGISTERED_NOT_ABOVE_STAFF, Rule.REPLICATION_PLACES_REQUIRED, Rule.REQUIRED_MISSING, Rule.SHEET_MISSING,
    Rule.SHEET_NO_HEADER, Rule.YESNO_INVALID,
}


def test_every_cell_rule_has_a_case():
    assert {c.rule for c in CASES} == CELL_RULES


@pytest.mark.parametrize("case", _params(CASES, "issues"))
def test_mistake_gives_exactly_its_rule_at_its_cell(mistakes, case):
    checked, file, unit = mistakes[case.id]
    issues = _file_issues(checked, file)
    got = sorted(zip(issues["sheet"], issues["cell"], issues["rule"], issues["severity"]))
    assert got == sorted([(case.sheet, case.cell, case.rule, case.severity), *case.also]), issues["message"].tolist()
    message = issues.loc[issues["rule"] == case.rule, "message"].iloc[0]
    assert VI_LETTERS.search(message.lower()), message
    assert SUFFIX[case.severity] in message, message
    for word in ((case.cell,) if case.cell and case.cell_named else ()) + case.names:
        assert word in message, (word, message)
    assert not re.search(r"[{}]|\bNone\b|\bnan\b", message), message
    assert (issues.loc[issues["rule"] == "required.missing", "value"] == "").all()   # a blank cell shows nothing


@pytest.mark.parametrize("case", _params(CASES, "tables"))
def test_error_keeps_the_value_out_and_warning_keeps_the_row(mistakes, bases, case):
    checked, file, unit = mistakes[case.id]
    rows = bases[case.base][0]
    status = checked.files.set_index("file").at[file, "status"]
    if case.scope == "file":
        kept = {name: len(_rows_of_file(checked, name, file)) for name in checked.tables}
        if case.severity == "error":
            assert status == "rejected" and not any(kept.values()), kept
            assert checked.submissions.set_index("unit_code").at[unit.unit_code, "status"] == "rejected"
        else:
            assert status == "accepted"
            assert kept == {name: _expected_rows(rows, name) for name in checked.tables}
        return
    assert status == ("accepted_with_errors" if case.severity == "error" else "accepted")
    table = TABLE_OF[case.sheet]
    spec = sheet_spec(table)
    mine = _rows_of_file(checked, table, file)
    base_rows = set(range(4, 4 + _expected_rows(rows, table))) if spec.layout == "table" else {4}
    if case.scope == "sheet":
        assert set(mine["excel_row"]) == (set() if case.severity == "error" else base_rows)
        return
    row = int(re.search(r"\d+$", case.cell)[0]) if case.cell else 4
    if spec.layout == "form":
        column = case.column or spec.columns[row - 4].name
        if case.severity == "error":   # the bad field never reaches the table (the record may go with it)
            assert mine.empty or mine[column].isna().all(), mine[column].tolist()
        else:
            assert len(mine) == 1
        return
    # An error excludes its row and only it; a warning keeps every row.
    expected = base_rows - {row} if case.severity == "error" else base_rows | {row}
    assert set(mine["excel_row"]) == expected


@pytest.mark.parametrize("case", _params([c for c in CASES if c.good is not None]))
def test_valid_twin_has_no_issue(twins, case):
    checked, file, unit = twins[case.id]
    issues = _file_issues(checked, file)
    assert set(issues["rule"]) <= ({case.twin_warns} - {""}), issues[["sheet", "cell", "rule", "message"]].to_dict("records")
    assert (issues["severity"] == "warning").all()
    assert checked.files.set_index("file").at[file, "status"] == "accepted"
    if case.sheet:
        assert len(_rows_of_file(checked, TABLE_OF[case.sheet], file)) > 0


def test_twins_keep_the_value_typed(twins):
    """The edge values of the twins reach the tables as typed (the rule did not silently drop them)."""
    def row(case_id, table, excel_row):
        checked, file, _ = twins[case_id]
        mine = _rows_of_file(checked, table, file)
        return mine[mine["excel_row"] == excel_row].iloc[0]

    info = row("registered_not_above_staff", "unit_info", 4)
    assert (info["staff_total"], info["staff_registered"]) == (30, 30)
    model = row("places_without_replication", "models", 4)
    assert (bool(model["is_replicated"]), model["replication_places"]) == (False, 0)
    assert row("format.invalid-email-abc", "unit_info", 4)["email"] == "tcnv@ducpho.gov.vn"
    assert row("format.invalid-phone-abc", "unit_info", 4)["phone"] == "0255 3859 123"
    assert row("range.out_of_bounds-score", "classification", 4)["score"] == 100
    assert row("participants_not_below_sessions", "leadership", 4)["propaganda_participants"] == 10


def test_form_sheet_keeps_its_good_fields_next_to_a_bad_one(mistakes):
    checked, file, unit = mistakes["format.invalid-phone-abc"]
    info = _rows_of_file(checked, "unit_info", file)
    assert len(info) == 1
    assert info["phone"].isna().all()
    assert info["staff_total"].notna().all() and info["report_date"].notna().all()


# -- deadline ------------------------------------------------------------------------

def _with_inclusive(plan, inclusive: bool):
    return dataclasses.replace(plan, raw={**plan.raw, "review": {**plan.review, "deadline_inclusive": inclusive}})


@pytest.mark.parametrize("inclusive,day,late", [
    (False, -1, False), (False, 0, True), (False, 1, True),
    (True, -1, False), (True, 0, False), (True, 1, True),
])
def test_is_late_at_the_deadline_edges(plan, inclusive, day, late):
    p = _with_inclusive(plan, inclusive)
    assert p.is_late(p.deadline + dt.timedelta(days=day)) is late


def test_configured_deadline_means_strictly_before(plan):
    # “trước ngày 15/6/2023”: a return dated 15/6/2023 is late.
    assert plan.deadline == DEADLINE and plan.review["deadline_inclusive"] is False
    assert plan.is_late(dt.date(2023, 6, 15)) and not plan.is_late(dt.date(2023, 6, 14))


# report date typed in B9 -> (the date read, late under deadline_inclusive = False, True)
DEADLINE = dt.date(2023, 6, 15)
BEFORE, AFTER = DEADLINE - dt.timedelta(days=1), DEADLINE + dt.timedelta(days=1)
DATED = {
    "date_before": (BEFORE, BEFORE, (False, False)),
    "text_before": ("14/6/2023", BEFORE, (False, False)),
    "date_on": (DEADLINE, DEADLINE, (True, False)),
    "text_on": ("15/6/2023", DEADLINE, (True, False)),
    "text_on_words": ("ngày 15 tháng 6 năm 2023", DEADLINE, (True, False)),
    "datetime_on": (dt.datetime(2023, 6, 15, 16, 30), DEADLINE, (True, False)),
    "date_after": (AFTER, AFTER, (True, True)),
    "text_after": ("16/06/2023", AFTER, (True, True)),
}


@pytest.fixture(scope="module")
def dated(tmp_path_factory, bases, plan):
    """The same returns read under both settings of deadline_inclusive."""
    jobs = [(key, BASE, ((INFO, "B9", value),)) for key, (value, _, _) in DATED.items()]
    jobs.append(("blank", BASE, ((INFO, "B9", None),)))
    batches = _write(tmp_path_factory.mktemp("dated"), bases, plan, jobs)
    return {inclusive: _run(batches, _with_inclusive(plan, inclusive)) for inclusive in (False, True)}


@pytest.mark.parametrize("inclusive", [False, True])
@pytest.mark.parametrize("key", list(DATED))
def test_lateness_through_the_submissions(dated, key, inclusive):
    checked, file, unit = dated[inclusive][key]
    sub = checked.submissions.set_index("unit_code")
    _, read_as, late = DATED[key]
    assert sub.at[unit.unit_code, "report_date"] == read_as
    assert sub.at[unit.unit_code, "status"] == ("late" if late[inclusive] else "on_time")
    assert _file_issues(checked, file).empty


def test_text_date_reads_as_the_date_cell(dated):
    sub = dated[False]["text_on"][0].submissions.set_index("unit_code")
    text_unit, date_unit = dated[False]["text_on"][2], dated[False]["date_on"][2]
    assert sub.at[text_unit.unit_code, "report_date"] == sub.at[date_unit.unit_code, "report_date"] == dt.date(2023, 6, 15)


def test_blank_report_date_is_an_error_at_its_cell(dated):
    checked, file, unit = dated[False]["blank"]
    issues = _file_issues(checked, file)
    assert list(zip(issues["sheet"], issues["cell"], issues["severity"])) == [(INFO, "B9", "error")]


def test_blank_report_date_is_never_on_time(dated):
    checked, file, unit = dated[False]["blank"]
    assert checked.submissions.set_index("unit_code").at[unit.unit_code, "status"] == "date_unknown"


def test_a_template_row_moved_down_flags_the_copies_and_keeps_one_row_per_year(tmp_path, bases, plan):
    """The clerk typed 2021 over the 2022 row and 2022 twice below: each year is kept once, the copies flagged."""
    edits = ((CLASS, "A6", 2021), (CLASS, "A7", 2022), (CLASS, "B7", 95), (CLASS, "C7", HTXS),
             (CLASS, "A8", 2022), (CLASS, "B8", 95), (CLASS, "C8", HTXS))
    checked, file, unit = _run(_write(tmp_path, bases, plan, [("moved", BASE, edits)]), plan)["moved"]
    issues = _file_issues(checked, file)
    assert sorted(zip(issues["sheet"], issues["cell"], issues["rule"], issues["severity"])) == [
        (CLASS, "A6", "duplicate.row", "error"), (CLASS, "A8", "duplicate.row", "error")]
    assert checked.files.set_index("file").at[file, "status"] == "accepted_with_errors"
    kept = _rows_of_file(checked, "classification", file)
    assert sorted(zip(kept["excel_row"], kept["classification_year"])) == [(4, 2020), (5, 2021), (7, 2022)]
