"""What is a record and what is not: total rows, notes and signatures, headings, hidden and merged rows, text typed
on into the rows below, copied and renamed sheets; and the form sheets, which keep their good fields next to a bad one.

Each case is a real return (a demo workbook written into the real template) laid out the way a clerk lays it out;
the cases are read together, each under a registry unit of its own (tests/check/clerk_batch.py).
"""
from __future__ import annotations

import pandas as pd
import pytest
from openpyxl.utils import get_column_letter

from pipeline.config import load_plan
from pipeline.tidy import tidy
from schemas import SHEETS, sheet_spec
from tests.check.clerk_batch import Job, Read, only, read_together_once, typed_in

PLAN = load_plan()
INFO, LEAD, MODELS, CLASS, IMPACT, PROPOSALS = (sheet_spec(n) for n in (
    "unit_info", "leadership", "models", "classification", "impact", "proposals"))
BASE = "pho_thuan_bao_cao_so_ket.xlsx"     # a clean demo return: no planted mistake, no proposal, 3 models
JOBS: dict[str, Job] = {}
ONE = [()]                                 # the one case of a test that is not parametrized
TYPED: dict[str, list] = {}                # the rows BASE was generated from (filled by `_fill_typed`)


def _job(name: str, values: list, edit, base: str = BASE, fresh: bool = False) -> list:
    JOBS[name] = Job(base, edit, values, fresh)
    return values


def fill_typed(demo_intended) -> None:
    """The rows BASE was generated from, for the edits that add rows below them (before any case is written)."""
    returns, _ = demo_intended
    TYPED.update(next(r for r in returns if r.filename == BASE).rows)


@pytest.fixture(scope="module")
def reads(tmp_path_factory, demo_dir, plan, demo_intended):
    """Every case of this module, read together: (job, values) -> its Read."""
    fill_typed(demo_intended)
    return read_together_once(tmp_path_factory, "rows", demo_dir, plan, JOBS)


def _cell(spec, column, row=0):
    return spec.cell(row, column)


def _issues_at(checked, sheet: str, cell: str):
    i = checked.issues
    return i[(i["sheet"] == sheet) & (i["cell"] == cell)]


def _one(checked, sheet, cell, rule, severity):
    found = _issues_at(checked, sheet, cell)
    assert list(zip(found["rule"], found["severity"])) == [(rule, severity)], found[["rule", "severity", "message"]]
    return found.iloc[0]["message"]


def _typed_rows(demo_intended, table: str) -> list[dict]:
    returns, _ = demo_intended
    return next(r for r in returns if r.filename == BASE).rows[table]


# -- form sheets keep their good fields ------------------------------------------------------------------------

EMAIL, PHONE = _cell(INFO, "email"), _cell(INFO, "phone")


@pytest.mark.parametrize("typed", _job("wrong_email", ["phoan@ducpho", "phoan @ducpho.gov.vn", "phoan@gmail,com",
                                                       "Email: phoan", "gửi qua Zalo"], typed_in(INFO, EMAIL)))
def test_a_wrong_email_address_loses_only_the_address(reads, typed):
    checked = reads["wrong_email", typed]
    _one(checked, INFO.sheet, EMAIL, "format.invalid", "error")
    assert pd.isna(checked.tables["unit_info"].iloc[0]["email"])


_job("wrong_phone", [("gọi Zalo",)], typed_in(INFO, PHONE))


def test_a_wrong_phone_number_loses_only_the_phone(reads):
    checked = only(reads, "wrong_phone")
    text = _one(checked, INFO.sheet, PHONE, "format.invalid", "error")
    assert "ô này" in text and "dòng này" not in text
    info = checked.tables["unit_info"].iloc[0]
    assert info["staff_total"] > 0 and info["report_date"] is not None and pd.isna(info["phone"])
    assert checked.submissions.set_index("unit_code").at[checked.code, "status"] == "on_time"


def _contact(wb, column, typed):
    wb[INFO.sheet][_cell(INFO, column)] = typed


@pytest.mark.parametrize("column, typed", _job("contacts", [
    ("phone", "0255 3859 123 - 0905 123 456"), ("phone", "CQ: 0255.3859123; DĐ: 0905.123.456"),
    ("phone", "0905123456 hoặc 0935123456"), ("phone", "(0255) 3859 123"),
    ("phone", "Điện thoại: 0905 123 456"), ("phone", "0905 123 456 (Zalo)"), ("phone", "Di động 0905123456 (đ/c Hạnh)"),
    ("email", "phoan@ducpho.gov.vn; vanphong.phoan@gmail.com"), ("email", "phoan@ducpho.gov.vn, phoan@gmail.com"),
    ("email", "phoan@ducpho.gov.vn hoặc phoan@gmail.com"),
    # a label before the value, a remark after it, a separator left at the end
    ("email", "Email: phoan@ducpho.gov.vn"), ("email", "E-mail phoan@ducpho.gov.vn"),
    ("email", "phoan@ducpho.gov.vn (đ/c Hạnh)"), ("email", "phoan@ducpho.gov.vn; "), ("phone", "0905 123 456;"),
], _contact))
def test_several_phone_numbers_or_email_addresses_as_units_write_them_are_kept(reads, column, typed):
    checked = reads["contacts", (column, typed)]
    assert checked.issues.empty, checked.issues["message"].tolist()
    assert checked.tables["unit_info"].iloc[0][column] == typed.strip()   # text is kept trimmed


IMPACT_TEXT = _cell(IMPACT, "political_tasks_impact")
_job("impact_text", [(None,)], typed_in(IMPACT, IMPACT_TEXT))


def test_a_required_impact_text_left_blank_keeps_the_percentages(reads):
    checked = only(reads, "impact_text")
    _one(checked, IMPACT.sheet, IMPACT_TEXT, "required.missing", "error")
    assert checked.tables["impact"].iloc[0]["satisfaction_pct"] > 50


# -- copied sheets ------------------------------------------------------------------------------------------------

def _copy_models(wb, clear_original: bool):
    copy = wb.copy_worksheet(wb[MODELS.sheet])
    copy.title = f"{MODELS.sheet} (2)"
    if clear_original:
        ws = wb[MODELS.sheet]
        for i in range(MODELS.blank_rows):
            for col in MODELS.columns:
                ws[MODELS.cell(i, col.name)] = None


_job("copy_used", [(True,)], _copy_models)
_job("copy_conflict", [(False,)], _copy_models)


def test_models_typed_in_a_copied_sheet_are_read_when_the_original_is_blank(reads, demo_intended):
    checked = only(reads, "copy_used")
    returns, _ = demo_intended
    typed = next(r for r in returns if r.filename == BASE).rows["models"]
    assert sorted(checked.tables["models"]["model_name"]) == sorted(m["model_name"] for m in typed)
    found = checked.issues[checked.issues["rule"] == "sheet.copy_used"]
    assert len(found) == 1 and f"{MODELS.sheet} (2)" in found.iloc[0]["message"]


def test_rows_in_both_the_original_and_its_copy_are_an_error_naming_both(reads, demo_intended):
    checked = only(reads, "copy_conflict")
    found = checked.issues[checked.issues["rule"] == "sheet.copy_conflict"]
    assert len(found) == 1 and found.iloc[0]["severity"] == "error"
    assert MODELS.sheet in found.iloc[0]["message"] and f"{MODELS.sheet} (2)" in found.iloc[0]["message"]
    returns, _ = demo_intended
    typed = next(r for r in returns if r.filename == BASE).rows["models"]
    assert len(checked.tables["models"]) == len(typed)  # the original is read once, the copy not added


# -- formulas, total rows -----------------------------------------------------------------------------------------

def _total_row(wb, word):
    typed = TYPED["leadership"]
    row = 4 + len(typed)
    ws = wb[LEAD.sheet]
    ws[f"A{row}"] = word
    ws[f"B{row}"] = sum(r["plans_issued"] for r in typed)   # plans: right
    ws[f"D{row}"] = 99999                                    # sessions: wrong


@pytest.mark.parametrize("word", _job("total_row", ["Tổng cộng", "Cộng", "TỔNG"], _total_row))
def test_a_total_row_under_a_table_is_skipped_with_a_warning(reads, demo_intended, word):
    returns, _ = demo_intended
    typed = next(r for r in returns if r.filename == BASE).rows["leadership"]
    row = 4 + len(typed)
    checked = reads["total_row", word]
    assert not (checked.issues["severity"] == "error").any(), checked.issues
    _one(checked, LEAD.sheet, f"A{row}", "row.total_skipped", "warning")
    text = _one(checked, LEAD.sheet, f"D{row}", "row.total_mismatch", "warning")
    assert "99.999" in text and "Số kế hoạch" not in text
    assert len(checked.tables["leadership"]) == len(typed)


NUMERIC = [c for c in LEAD.columns if c.kind == "int"]


def _autosum(wb):
    lead, models = TYPED["leadership"], TYPED["models"]
    ws = wb[LEAD.sheet]
    for col in NUMERIC:
        ws[_cell(LEAD, col.name, len(lead))] = sum(r[col.name] or 0 for r in lead)
    wb[MODELS.sheet][_cell(MODELS, "beneficiaries", len(models))] = sum(r["beneficiaries"] or 0 for r in models)


_job("autosum", ONE, _autosum)


def test_an_autosum_row_without_a_label_is_a_total_not_a_record(reads, demo_intended):
    """Excel's AutoSum under a table, no "Tổng cộng" label: one notice that the row is a total, not nine
    "required" errors telling the unit to type a period or a model name into its total row."""
    lead, models = _typed_rows(demo_intended, "leadership"), _typed_rows(demo_intended, "models")
    checked = only(reads, "autosum")
    assert not (checked.issues["severity"] == "error").any(), checked.issues[["sheet", "cell", "rule", "message"]]
    first_lead = _cell(LEAD, NUMERIC[0].name, len(lead))
    _one(checked, LEAD.sheet, first_lead, "row.total_skipped", "warning")
    _one(checked, MODELS.sheet, _cell(MODELS, "beneficiaries", len(models)), "row.total_skipped", "warning")
    assert len(checked.tables["leadership"]) == len(lead) and len(checked.tables["models"]) == len(models)
    for col in NUMERIC:   # nothing counted twice
        assert checked.tables["leadership"][col.name].sum() == sum(r[col.name] or 0 for r in lead)


def _one_figure_below(wb):
    wb[LEAD.sheet][_cell(LEAD, "plans_issued", len(TYPED["leadership"]))] = 1


_job("numbers_only", ONE, _one_figure_below)


def test_a_record_of_numbers_only_that_is_no_sum_stays_a_record(reads):
    checked = only(reads, "numbers_only")
    found = checked.issues[checked.issues["sheet"] == LEAD.sheet]
    assert "row.total_skipped" not in set(found["rule"])
    assert "required.missing" in set(found["rule"])     # a row with a figure and no period: the unit is asked


# -- notes, headings, numbering rows ------------------------------------------------------------------------------

def _below() -> dict[str, int]:
    return {LEAD.sheet: 4 + len(TYPED["leadership"]) + 1, MODELS.sheet: 4 + len(TYPED["models"]) + 1}


def _note_and_signature(wb):
    for sheet, r in _below().items():   # one blank row, then the note
        ws = wb[sheet]
        ws[f"A{r}"] = "Ghi chú: số liệu tính đến ngày 31/5/2023."
        ws[f"A{r + 2}"], ws[f"D{r + 2}"] = "NGƯỜI LẬP BIỂU", "TM. UBND XÃ"
        ws[f"D{r + 3}"] = "CHỦ TỊCH"
        ws[f"A{r + 6}"], ws[f"D{r + 6}"] = "Nguyễn Văn Bình", "Lê Văn Tâm"


_job("note", ONE, _note_and_signature)


def test_a_note_and_signature_block_under_the_tables_are_not_records(reads, demo_intended):
    """Vietnamese forms end with "Ghi chú: …", then "NGƯỜI LẬP BIỂU … CHỦ TỊCH" and the names."""
    lead, models = _typed_rows(demo_intended, "leadership"), _typed_rows(demo_intended, "models")
    below = {LEAD.sheet: 4 + len(lead) + 1, MODELS.sheet: 4 + len(models) + 1}
    checked = only(reads, "note")
    assert not (checked.issues["severity"] == "error").any(), checked.issues[["cell", "rule", "message"]]
    for sheet, r in below.items():
        assert "Ghi chú" in _one(checked, sheet, f"A{r}", "row.not_data", "warning")
    assert len(checked.issues) == len(below)          # one notice a table, none for the titles and names
    assert len(checked.tables["leadership"]) == len(lead) and len(checked.tables["models"]) == len(models)


def _numbering_and_header(wb):
    ncols = len(MODELS.columns)
    ws = wb[MODELS.sheet]
    ws.insert_rows(4)                                      # "1, 2, 3 …" under the header, as printed forms do
    for j in range(1, ncols + 1):
        ws.cell(4, j).value = f"({j})" if j % 2 else j
    last = 5 + len(TYPED["models"])
    for j in range(1, ncols + 1):                          # the header typed again under the models
        ws.cell(last, j).value = ws.cell(3, j).value


_job("numbering", ONE, _numbering_and_header)


def test_a_column_number_row_and_a_repeated_header_are_not_records(reads, demo_intended):
    models = _typed_rows(demo_intended, "models")
    checked = only(reads, "numbering")
    assert not (checked.issues["severity"] == "error").any(), checked.issues[["cell", "rule", "message"]]
    assert "1, 2, 3" in _one(checked, MODELS.sheet, "A4", "row.not_data", "warning")
    assert "tiêu đề" in _one(checked, MODELS.sheet, f"A{5 + len(models)}", "row.not_data", "warning")
    read = checked.tables["models"]
    assert sorted(read["model_name"]) == sorted(m["model_name"] for m in models)
    assert list(read["excel_row"]) == list(range(5, 5 + len(models)))


def _headings(wb, heading, merged):
    ncols = len(MODELS.columns)
    ws = wb[MODELS.sheet]
    for at in (4, 6 + min(1, len(TYPED["models"]) - 1)):     # above the first model, and between two models
        ws.insert_rows(at)
        ws.cell(at, 1).value = heading
        if merged:
            ws.merge_cells(start_row=at, start_column=1, end_row=at, end_column=ncols)


@pytest.mark.parametrize("heading, merged", _job("heading", [
    ("I. MÔ HÌNH CẤP XÃ", False), ("2) Lĩnh vực văn hóa – xã hội", False), ("Phần B: mô hình của các đoàn thể", False),
    ("Các mô hình của khối đoàn thể", True)], _headings))
def test_a_group_heading_inside_a_table_is_not_a_record(reads, demo_intended, heading, merged):
    """Clerks group the models under headings typed on their own row, often merged across the table."""
    models = _typed_rows(demo_intended, "models")
    checked = reads["heading", (heading, merged)]
    assert not (checked.issues["severity"] == "error").any(), checked.issues[["cell", "rule", "message"]]
    rows = sorted(checked.issues.loc[checked.issues["rule"] == "row.not_data", "cell"])
    assert rows == sorted(["A4", f"A{6 + min(1, len(models) - 1)}"])
    assert "tiêu đề nhóm" in _one(checked, MODELS.sheet, "A4", "row.not_data", "warning")
    assert sorted(checked.tables["models"]["model_name"]) == sorted(m["model_name"] for m in models)


def _name_only(wb):
    wb[MODELS.sheet].cell(4 + len(TYPED["models"]), 1).value = "Mô hình dân vận khéo trong xây dựng nông thôn mới"


_job("name_only", ONE, _name_only)


def test_a_model_typed_by_name_only_is_still_a_record_with_its_errors(reads, demo_intended):
    """A lone name that is no heading (no numbering, not in capitals) is a model whose other cells are missing."""
    last = 4 + len(_typed_rows(demo_intended, "models"))
    checked = only(reads, "name_only")
    errors = checked.issues[(checked.issues["severity"] == "error") & (checked.issues["sheet"] == MODELS.sheet)]
    assert set(errors["cell"].str.extract(r"(\d+)$")[0]) == {str(last)} and len(errors) >= 3
    assert not (checked.issues["rule"] == "row.not_data").any()


# -- hidden and merged rows, duplicate columns --------------------------------------------------------------------

def _hidden(wb):
    wb[MODELS.sheet].row_dimensions[4].hidden = True
    wb[LEAD.sheet].row_dimensions[5].hidden = True
    wb[MODELS.sheet].row_dimensions[4 + len(TYPED["models"]) + 3].hidden = True   # a hidden blank row: nothing to say


_job("hidden", ONE, _hidden, fresh=True)


def test_a_hidden_row_is_counted_and_the_unit_is_told(reads, demo_intended):
    """Hiding a row is not deleting it: the model is counted, with a warning at its row."""
    models = _typed_rows(demo_intended, "models")
    lead = _typed_rows(demo_intended, "leadership")
    checked = only(reads, "hidden")
    hidden = checked.issues[checked.issues["rule"] == "row.hidden"]
    assert sorted(zip(hidden["sheet"], hidden["cell"])) == sorted([(MODELS.sheet, "A4"), (LEAD.sheet, "A5")])
    assert set(hidden["severity"]) == {"warning"} and "dòng 4 đang bị ẩn" in _one(checked, MODELS.sheet, "A4",
                                                                                   "row.hidden", "warning")
    assert sorted(checked.tables["models"]["model_name"]) == sorted(m["model_name"] for m in models)
    assert len(checked.tables["leadership"]) == len(lead)


def _merged_down(wb):
    ws = wb[MODELS.sheet]
    for column in ("start_year", "recognition_date", "beneficiaries"):
        top, bottom = _cell(MODELS, column, 0), _cell(MODELS, column, 2)
        ws[_cell(MODELS, column, 1)] = ws[_cell(MODELS, column, 2)] = None
        ws.merge_cells(f"{top}:{bottom}")


_job("merged_down", ONE, _merged_down)


def test_a_year_or_date_merged_down_several_models_belongs_to_each_but_a_merged_count_is_counted_once(
        reads, demo_intended):
    """Models started the same year: the clerk merges the year cell over their rows, as Excel then shows it."""
    models = _typed_rows(demo_intended, "models")
    assert len(models) >= 3
    checked = only(reads, "merged_down")
    assert not (checked.issues["severity"] == "error").any(), checked.issues[["cell", "rule", "message"]]
    read = checked.tables["models"].sort_values("excel_row")
    assert list(read["start_year"][:3]) == [int(models[0]["start_year"])] * 3
    assert list(read["recognition_date"][:3]) == [pd.Timestamp(models[0]["recognition_date"])] * 3
    assert read["beneficiaries"][:3].sum() == models[0]["beneficiaries"]   # shown once, counted once
    assert read["beneficiaries"].iloc[1:3].isna().all()


SCORE_COLUMN = "".join(ch for ch in _cell(CLASS, "score", 0) if ch.isalpha())


def _two_score_columns(wb):
    ws = wb[CLASS.sheet]
    at = ws[f"{SCORE_COLUMN}3"].column
    ws.insert_cols(at)
    ws.cell(3, at).value = ws.cell(3, at + 1).value
    for r in range(4, 7):
        ws.cell(r, at).value = 50
    ws.column_dimensions[ws.cell(3, at).column_letter].hidden = True


_job("two_columns", ONE, _two_score_columns, fresh=True)


def test_a_header_typed_in_two_columns_refuses_the_sheet_naming_both(reads):
    """A hidden stale copy of a column left of the real one: which holds the figures cannot be known."""
    checked = only(reads, "two_columns")
    col = SCORE_COLUMN
    nxt = chr(ord(col) + 1)
    text = _one(checked, CLASS.sheet, f"{nxt}3", "column.duplicate", "error")
    assert f"{col}, {nxt}" in text
    assert checked.tables["classification"].empty      # neither column read silently


# -- sheet names -----------------------------------------------------------------------------------------------

_job("renamed", ONE, lambda wb: setattr(wb[MODELS.sheet], "title", "Mo hinh DVK"))


def test_a_renamed_sheet_is_read_with_a_warning(reads, demo_intended):
    checked = only(reads, "renamed")
    returns, _ = demo_intended
    typed = next(r for r in returns if r.filename == BASE).rows["models"]
    assert len(checked.tables["models"]) == len(typed)
    assert (checked.issues["rule"] == "sheet.assumed").sum() == 1
    assert not (checked.issues["rule"] == "sheet.missing").any()


RENAMES = {
    "SheetN": lambda i, title: f"Sheet{i + 1}",                     # the data pasted into a new workbook's sheets
    "ban_sao_cua": lambda i, title: f"Bản sao của {title}"[:31],    # Google Sheets' copies, cut at Excel's 31 characters
    "copy_of": lambda i, title: f"Copy of {title}"[:31],
}


def _rename_every_sheet(wb, how):
    for i, ws in enumerate(wb.worksheets):
        ws.title = RENAMES[how](i, ws.title)


@pytest.mark.parametrize("rename", _job("sheets_say_nothing", list(RENAMES), _rename_every_sheet))
def test_sheets_whose_names_say_nothing_are_read_by_their_columns(reads, demo_intended, rename):
    """Every template sheet is found by its header row (a form: its field labels) when no name stands for it."""
    checked = reads["sheets_say_nothing", rename]
    assert checked.files.iloc[0]["status"] == "accepted", checked.issues[["sheet", "rule", "message"]]
    returns, _ = demo_intended
    rows = next(r for r in returns if r.filename == BASE).rows
    for spec in SHEETS:
        assert len(checked.tables[spec.name]) == len(rows[spec.name]), spec.name
    lead = checked.tables["leadership"]
    assert lead["propaganda_sessions"].sum() == sum(r["propaganda_sessions"] for r in rows["leadership"])
    assumed = checked.issues[checked.issues["rule"] == "sheet.assumed"]
    assert len(assumed) >= sum(1 for spec in SHEETS if rows[spec.name])
    assert set(assumed["severity"]) == {"warning"}


# -- text typed on into the rows below ----------------------------------------------------------------------------

EFFECT_COL, NAME_COL = MODELS.column_names.index("effect") + 1, MODELS.column_names.index("model_name") + 1
MORE = ["và được nhân rộng ra nhiều thôn", "trong toàn xã."]
ASIDE = "(giai đoạn 2021–2023) do Hội Nông dân phụ trách"


def _typed_on(wb):
    ws = wb[MODELS.sheet]
    note_row = 4 + len(TYPED["models"]) + 3      # right under the last model, once the three rows are inserted
    ws.insert_rows(5, 2)                         # under the first model: two rows carrying on its effect
    ws.cell(5, EFFECT_COL).value, ws.cell(6, EFFECT_COL).value = MORE
    ws.insert_rows(8)                            # under the second model (now row 7): the rest of its name
    ws.cell(8, NAME_COL).value = ASIDE
    ws.cell(note_row, EFFECT_COL).value = "Ghi chú: số liệu tính đến ngày 30/6/2023."   # a note is no continuation


_job("typed_on", ONE, _typed_on)


def test_a_text_typed_on_into_the_rows_below_is_joined_to_its_record(reads, demo_intended):
    """A clerk who presses Enter in a long text types the rest in the cell below: that row carries on the
    record above (its text is kept, joined, and said), it is no new record missing every other cell."""
    models = _typed_rows(demo_intended, "models")
    assert len(models) >= 2 and models[0]["effect"] and models[1]["model_name"]
    note_row = 4 + len(models) + 3
    checked = only(reads, "typed_on")
    assert not (checked.issues["severity"] == "error").any(), checked.issues[["cell", "rule", "message"]]
    col_effect, col_name = MODELS.cell(0, "effect")[:-1], MODELS.cell(0, "model_name")[:-1]
    for r, above in ((5, 4), (6, 4)):
        assert f"ô {col_effect}{above} phía trên" in _one(checked, MODELS.sheet, f"{col_effect}{r}", "row.continued",
                                                           "warning")
    assert f"ô {col_name}7 phía trên" in _one(checked, MODELS.sheet, f"{col_name}8", "row.continued", "warning")
    read = checked.tables["models"].sort_values("excel_row")
    assert len(read) == len(models)
    assert read.iloc[0]["effect"] == " ".join([models[0]["effect"], *MORE])
    assert read.iloc[1]["model_name"] == f"{models[1]['model_name']} {ASIDE}"
    assert list(read["model_name"].iloc[2:]) == [m["model_name"] for m in models[2:]]
    assert read.iloc[-1]["effect"] == models[-1]["effect"]
    assert "Ghi chú" in _one(checked, MODELS.sheet, f"{col_effect}{note_row}", "row.not_data", "warning")


SECOND_PARAGRAPH = "Đoạn thứ hai: được nhân rộng ra 5 thôn."


def _word_table(wb):
    ncols = len(MODELS.columns)
    ws = wb[MODELS.sheet]
    ws.insert_rows(5)                              # the first model: every cell but its effect merged down
    for j in range(1, ncols + 1):
        if j != EFFECT_COL:
            ws.merge_cells(f"{get_column_letter(j)}4:{get_column_letter(j)}5")
    ws.cell(5, EFFECT_COL).value = SECOND_PARAGRAPH
    ws.insert_rows(7)                              # the second model (now row 6): every cell merged down
    for j in range(1, ncols + 1):
        ws.merge_cells(f"{get_column_letter(j)}6:{get_column_letter(j)}7")


_job("word_table", ONE, _word_table)


def test_a_record_pasted_from_a_word_table_with_its_cells_merged_down_is_one_record(reads, demo_intended):
    """Pasting a Word table row whose text has two paragraphs, Excel puts the second on a row of its own and merges
    the record's other cells down over both rows; a record can also be merged down over a blank row for looks.
    Either is one model, its text whole, not a second model with its counts missing."""
    models = _typed_rows(demo_intended, "models")
    assert len(models) >= 2 and models[0]["effect"]
    checked = only(reads, "word_table")
    assert not (checked.issues["severity"] == "error").any(), checked.issues[["cell", "rule", "message"]]
    assert not (checked.issues["rule"] == "model_repeated").any()
    col_effect = MODELS.cell(0, "effect")[:-1]
    assert "ô " + col_effect + "4" in _one(checked, MODELS.sheet, f"{col_effect}5", "row.continued", "warning")
    read = checked.tables["models"].sort_values("excel_row")
    assert list(read["model_name"]) == [m["model_name"] for m in models]
    assert read.iloc[0]["effect"] == f"{models[0]['effect']} {SECOND_PARAGRAPH}"
    assert list(read["beneficiaries"].fillna(-1)) == [m["beneficiaries"] if m["beneficiaries"] is not None else -1
                                                      for m in models]


ASSESSMENT = sheet_spec("assessment")
KEY = ASSESSMENT.cell(1, "topic")


def _row_added(wb):
    ws = wb[ASSESSMENT.sheet]
    ws.insert_rows(5)
    ws[ASSESSMENT.cell(1, "text")] = "Tiếp theo phần kết quả đạt được."


_job("key_deleted", [(None,)], typed_in(ASSESSMENT, KEY))
_job("row_added", ONE, _row_added)


def test_a_fixed_row_with_its_key_deleted_is_a_record_not_a_continuation(reads):
    """In a sheet whose rows the template fixes, a row whose only cell left is its text is the rest of the text
    above only when the clerk added it (the rows below moved down); the template's own row with its key deleted is
    a record, its key missing at its cell."""
    deleted, inserted = only(reads, "key_deleted"), only(reads, "row_added")
    _one(deleted, ASSESSMENT.sheet, KEY, "required.missing", "error")
    assert not (deleted.issues["rule"] == "row.continued").any()
    _one(inserted, ASSESSMENT.sheet, ASSESSMENT.cell(1, "text"), "row.continued", "warning")
    assert len(inserted.tables["assessment"]) == len(ASSESSMENT.fixed_rows)
    assert inserted.tables["assessment"].iloc[0]["text"].endswith("Tiếp theo phần kết quả đạt được.")


# -- several items in one cell --------------------------------------------------------------------------------

def _proposal(wb, nominee):
    ws = wb[PROPOSALS.sheet]
    for column, value in {"recipient_kind": "Cá nhân", "nominee_name": nominee, "crit_a": "Có",
                          "crit_b": "Có", "achievements_summary": "Gương mẫu, tận tụy."}.items():
        ws[PROPOSALS.cell(0, column)] = value
    ws2 = wb[MODELS.sheet]
    ws2[MODELS.cell(0, "model_name")] = "- Mô hình “Dân vận khéo” ở thôn An Thường\n- Mô hình “Ngày thứ bảy vì dân”"


NOMINEES = {"list": "1. Nguyễn Văn An\n2. Trần Thị Bình", "one": "Nguyễn Văn An\nChủ tịch UBND xã",
            "bulleted": "- Ông Nguyễn Văn An\n- Chủ tịch UBND xã"}
_job("several_in_a_cell", list(NOMINEES), lambda wb, key: _proposal(wb, NOMINEES[key]))


def test_several_models_in_one_cell_are_said_and_several_nominees_in_one_proposal_are_refused(reads):
    """One row, one model; one proposal, 01 collective or 01 individual: a numbered or bulleted list in the cell
    is several of them. A name with the position under it, on its own line, is one nominee."""
    several = reads["several_in_a_cell", "list"]
    assert "ghi 2 mục trong cùng một ô" in _one(several, MODELS.sheet, MODELS.cell(0, "model_name"), "text.several",
                                                "warning")
    assert "Lỗi" in _one(several, PROPOSALS.sheet, PROPOSALS.cell(0, "nominee_name"), "text.several", "error")
    assert several.tables["proposals"].empty
    assert several.tables["models"]["model_name"].str.contains("Ngày thứ bảy vì dân").sum() == 1   # kept, as one
    for folder, read in (("one", "Nguyễn Văn An Chủ tịch UBND xã"), ("bulleted", "- Ông Nguyễn Văn An - Chủ tịch UBND xã")):
        one = reads["several_in_a_cell", folder]
        several_cells = one.issues.loc[one.issues["rule"] == "text.several", "cell"]
        assert list(several_cells) == [MODELS.cell(0, "model_name")]   # the model cell only: one person, a position
        assert list(one.tables["proposals"]["nominee_name"]) == [read]


# -- the same model listed twice ------------------------------------------------------------------------------

TWICE_BASE = "pho_an_bao_cao_so_ket.xlsx"


def _twice_rows(ws):
    rows = [i for i in range(MODELS.n_data_rows) if ws[MODELS.cell(i, "model_name")].value]
    return rows, rows[1], rows[-1] + 1


def _listed_twice(wb):
    sheet = wb[MODELS.sheet]
    rows, copied, new = _twice_rows(sheet)
    name = sheet[MODELS.cell(copied, "model_name")].value
    for col in MODELS.column_names:
        sheet[MODELS.cell(new, col)] = sheet[MODELS.cell(copied, col)].value
    sheet[MODELS.cell(new, "model_name")] = f" {name.upper()} "     # the same model, typed again
    sheet[MODELS.cell(new, "start_year")] = 2021


_job("listed_twice", ONE, _listed_twice, base=TWICE_BASE)


def test_a_model_listed_twice_is_counted_once_with_a_warning(reads, demo_dir):
    from openpyxl import load_workbook

    rows, copied, new = _twice_rows(load_workbook(demo_dir / "returns" / TWICE_BASE)[MODELS.sheet])
    read = only(reads, "listed_twice")
    tidied, tables = tidy(read.checked, PLAN)
    checked = Read(tidied, read.file, read.unit, read.path)
    found = _issues_at(checked, MODELS.sheet, MODELS.cell(new, "model_name"))
    assert list(zip(found.rule, found.severity)) == [("model_repeated", "warning")]
    assert "đã có ở một dòng phía trên" in found.iloc[0].message
    assert _issues_at(checked, MODELS.sheet, MODELS.cell(copied, "model_name")).empty
    models = tables["models"]
    assert len(models[models.unit_code == read.code]) == len(rows)
