"""Issue 9: returns filled the way commune clerks really fill them.

Each case is a real return (a demo workbook written into the real template)
changed the way a clerk would change it; the test says what the unit and the
analyst now see. At the end, all the cases go into one inputs/ folder and
`make report`'s command finishes with exit 0 and every output.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from pipeline.config import load_plan
from pipeline.check import read_and_check
from schemas import SHEETS, sheet_spec
from schemas.fields import CHOICE, YESNO

ROOT = Path(__file__).resolve().parents[2]
BASE = "pho_thuan_bao_cao_so_ket.xlsx"     # a clean demo return: no planted mistake, no proposal, 3 models
INFO, LEAD, MODELS, CLASS, IMPACT = (sheet_spec(n) for n in ("unit_info", "leadership", "models", "classification",
                                                            "impact"))
CASES: dict[str, Path] = {}                # every workbook built here, for the run over all of them together


def _cell(spec, column, row=0):
    return spec.cell(row, column)


def _build(tmp: Path, name: str, unit: str, edit=None, base: str = BASE, demo_dir: Path | None = None) -> Path:
    """A copy of a clean demo return for `unit` (a registry unit name), changed by `edit(wb)`."""
    path = tmp / name
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = load_workbook(demo_dir / "returns" / base)
    wb[INFO.sheet][_cell(INFO, "unit_name")] = unit
    if edit:
        edit(wb)
    wb.save(path)
    CASES[f"{tmp.name}/{name}"] = path
    return path


def _check(folder: Path):
    return read_and_check(folder, load_plan())


def _issues_at(checked, sheet: str, cell: str):
    i = checked.issues
    return i[(i["sheet"] == sheet) & (i["cell"] == cell)]


def _one(checked, sheet, cell, rule, severity):
    found = _issues_at(checked, sheet, cell)
    assert list(zip(found["rule"], found["severity"])) == [(rule, severity)], found[["rule", "severity", "message"]]
    return found.iloc[0]["message"]


@pytest.fixture()
def tmp(tmp_path):
    return tmp_path


# -- the sheet layer guarantees the table layer -------------------------------------------------





CHOICE_CELLS = [(spec.name, col.name) for spec in SHEETS for col in spec.columns
                if col.kind in (CHOICE, YESNO) and col.vocab != "units"]






# -- percent, dates ---------------------------------------------------------------------------









# -- form sheets keep their good fields ------------------------------------------------------

@pytest.mark.parametrize("typed", ["phoan@ducpho", "phoan @ducpho.gov.vn", "phoan@gmail,com", "Email: phoan", "gửi qua Zalo"])
def test_a_wrong_email_address_loses_only_the_address(tmp, demo_dir, typed):
    cell = _cell(INFO, "email")
    _build(tmp, "a.xlsx", "UBND xã Phổ An", lambda wb: wb[INFO.sheet].__setitem__(cell, typed), demo_dir=demo_dir)
    checked = _check(tmp)
    _one(checked, INFO.sheet, cell, "format.invalid", "error")
    assert pd.isna(checked.tables["unit_info"].iloc[0]["email"])


def test_a_wrong_phone_number_loses_only_the_phone(tmp, demo_dir):
    cell = _cell(INFO, "phone")
    _build(tmp, "a.xlsx", "UBND xã Phổ An", lambda wb: wb[INFO.sheet].__setitem__(cell, "gọi Zalo"), demo_dir=demo_dir)
    checked = _check(tmp)
    text = _one(checked, INFO.sheet, cell, "format.invalid", "error")
    assert "ô này" in text and "dòng này" not in text
    info = checked.tables["unit_info"].iloc[0]
    assert info["staff_total"] > 0 and info["report_date"] is not None and pd.isna(info["phone"])
    assert checked.submissions.set_index("unit_code").at["pho_an", "status"] == "on_time"


@pytest.mark.parametrize("column, typed", [
    ("phone", "0255 3859 123 - 0905 123 456"), ("phone", "CQ: 0255.3859123; DĐ: 0905.123.456"),
    ("phone", "0905123456 hoặc 0935123456"), ("phone", "(0255) 3859 123"),
    ("phone", "Điện thoại: 0905 123 456"), ("phone", "0905 123 456 (Zalo)"), ("phone", "Di động 0905123456 (đ/c Hạnh)"),
    ("email", "phoan@ducpho.gov.vn; vanphong.phoan@gmail.com"), ("email", "phoan@ducpho.gov.vn, phoan@gmail.com"),
    ("email", "phoan@ducpho.gov.vn hoặc phoan@gmail.com"),
    # a label before the value, a remark after it, a separator left at the end
    ("email", "Email: phoan@ducpho.gov.vn"), ("email", "E-mail phoan@ducpho.gov.vn"),
    ("email", "phoan@ducpho.gov.vn (đ/c Hạnh)"), ("email", "phoan@ducpho.gov.vn; "), ("phone", "0905 123 456;"),
])
def test_several_phone_numbers_or_email_addresses_as_units_write_them_are_kept(tmp, demo_dir, column, typed):
    cell = _cell(INFO, column)
    _build(tmp, "a.xlsx", "UBND xã Phổ An", lambda wb: wb[INFO.sheet].__setitem__(cell, typed), demo_dir=demo_dir)
    checked = _check(tmp)
    assert checked.issues.empty, checked.issues["message"].tolist()
    assert checked.tables["unit_info"].iloc[0][column] == typed.strip()   # text is kept trimmed


def test_a_required_impact_text_left_blank_keeps_the_percentages(tmp, demo_dir):
    cell = _cell(IMPACT, "political_tasks_impact")
    _build(tmp, "a.xlsx", "UBND xã Phổ An", lambda wb: wb[IMPACT.sheet].__setitem__(cell, None), demo_dir=demo_dir)
    checked = _check(tmp)
    _one(checked, IMPACT.sheet, cell, "required.missing", "error")
    assert checked.tables["impact"].iloc[0]["satisfaction_pct"] > 50


# -- copied sheets --------------------------------------------------------------------------------

def _copy_models(wb, clear_original: bool):
    copy = wb.copy_worksheet(wb[MODELS.sheet])
    copy.title = f"{MODELS.sheet} (2)"
    if clear_original:
        ws = wb[MODELS.sheet]
        for i in range(MODELS.blank_rows):
            for col in MODELS.columns:
                ws[MODELS.cell(i, col.name)] = None


def test_models_typed_in_a_copied_sheet_are_read_when_the_original_is_blank(tmp, demo_dir, demo_intended):
    _build(tmp, "a.xlsx", "UBND xã Phổ An", lambda wb: _copy_models(wb, True), demo_dir=demo_dir)
    checked = _check(tmp)
    returns, _ = demo_intended
    typed = next(r for r in returns if r.filename == BASE).rows["models"]
    assert sorted(checked.tables["models"]["model_name"]) == sorted(m["model_name"] for m in typed)
    found = checked.issues[checked.issues["rule"] == "sheet.copy_used"]
    assert len(found) == 1 and f"{MODELS.sheet} (2)" in found.iloc[0]["message"]


def test_rows_in_both_the_original_and_its_copy_are_an_error_naming_both(tmp, demo_dir, demo_intended):
    _build(tmp, "a.xlsx", "UBND xã Phổ An", lambda wb: _copy_models(wb, False), demo_dir=demo_dir)
    checked = _check(tmp)
    found = checked.issues[checked.issues["rule"] == "sheet.copy_conflict"]
    assert len(found) == 1 and found.iloc[0]["severity"] == "error"
    assert MODELS.sheet in found.iloc[0]["message"] and f"{MODELS.sheet} (2)" in found.iloc[0]["message"]
    returns, _ = demo_intended
    typed = next(r for r in returns if r.filename == BASE).rows["models"]
    assert len(checked.tables["models"]) == len(typed)  # the original is read once, the copy not added


# -- two returns of one unit -----------------------------------------------------------------------





# -- formulas, total rows ---------------------------------------------------------------------------



@pytest.mark.parametrize("word", ["Tổng cộng", "Cộng", "TỔNG"])
def test_a_total_row_under_a_table_is_skipped_with_a_warning(tmp, demo_dir, demo_intended, word):
    returns, _ = demo_intended
    typed = next(r for r in returns if r.filename == BASE).rows["leadership"]
    row = 4 + len(typed)
    right = sum(r["plans_issued"] for r in typed)

    def edit(wb):
        ws = wb[LEAD.sheet]
        ws[f"A{row}"] = word
        ws[f"B{row}"] = right                 # plans: right
        ws[f"D{row}"] = 99999                 # sessions: wrong
    _build(tmp, "a.xlsx", "UBND xã Phổ An", edit, demo_dir=demo_dir)
    checked = _check(tmp)
    assert not (checked.issues["severity"] == "error").any(), checked.issues
    _one(checked, LEAD.sheet, f"A{row}", "row.total_skipped", "warning")
    text = _one(checked, LEAD.sheet, f"D{row}", "row.total_mismatch", "warning")
    assert "99.999" in text and "Số kế hoạch" not in text
    assert len(checked.tables["leadership"]) == len(typed)


def test_an_autosum_row_without_a_label_is_a_total_not_a_record(tmp, demo_dir, demo_intended):
    """Excel's AutoSum under a table, no "Tổng cộng" label: one notice that the row is a total, not nine
    "required" errors telling the unit to type a period or a model name into its total row."""
    lead, models = _typed_rows(demo_intended, "leadership"), _typed_rows(demo_intended, "models")
    numeric = [c for c in LEAD.columns if c.kind == "int"]

    def edit(wb):
        ws = wb[LEAD.sheet]
        for col in numeric:
            ws[_cell(LEAD, col.name, len(lead))] = sum(r[col.name] or 0 for r in lead)
        wb[MODELS.sheet][_cell(MODELS, "beneficiaries", len(models))] = sum(r["beneficiaries"] or 0 for r in models)
    _build(tmp, "a.xlsx", "UBND xã Phổ An", edit, demo_dir=demo_dir)
    checked = _check(tmp)
    assert not (checked.issues["severity"] == "error").any(), checked.issues[["sheet", "cell", "rule", "message"]]
    first_lead = _cell(LEAD, numeric[0].name, len(lead))
    _one(checked, LEAD.sheet, first_lead, "row.total_skipped", "warning")
    _one(checked, MODELS.sheet, _cell(MODELS, "beneficiaries", len(models)), "row.total_skipped", "warning")
    assert len(checked.tables["leadership"]) == len(lead) and len(checked.tables["models"]) == len(models)
    for col in numeric:   # nothing counted twice
        assert checked.tables["leadership"][col.name].sum() == sum(r[col.name] or 0 for r in lead)


def test_a_record_of_numbers_only_that_is_no_sum_stays_a_record(tmp, demo_dir, demo_intended):
    lead = _typed_rows(demo_intended, "leadership")
    cell = _cell(LEAD, "plans_issued", len(lead))
    _build(tmp, "a.xlsx", "UBND xã Phổ An", lambda wb: wb[LEAD.sheet].__setitem__(cell, 1), demo_dir=demo_dir)
    checked = _check(tmp)
    found = checked.issues[checked.issues["sheet"] == LEAD.sheet]
    assert "row.total_skipped" not in set(found["rule"])
    assert "required.missing" in set(found["rule"])     # a row with a figure and no period: the unit is asked


def _typed_rows(demo_intended, table: str) -> list[dict]:
    returns, _ = demo_intended
    return next(r for r in returns if r.filename == BASE).rows[table]


def test_a_note_and_signature_block_under_the_tables_are_not_records(tmp, demo_dir, demo_intended):
    """Vietnamese forms end with "Ghi chú: …", then "NGƯỜI LẬP BIỂU … CHỦ TỊCH" and the names."""
    lead, models = _typed_rows(demo_intended, "leadership"), _typed_rows(demo_intended, "models")
    below = {LEAD.sheet: 4 + len(lead) + 1, MODELS.sheet: 4 + len(models) + 1}   # one blank row, then the note

    def edit(wb):
        for sheet, r in below.items():
            ws = wb[sheet]
            ws[f"A{r}"] = "Ghi chú: số liệu tính đến ngày 31/5/2023."
            ws[f"A{r + 2}"], ws[f"D{r + 2}"] = "NGƯỜI LẬP BIỂU", "TM. UBND XÃ"
            ws[f"D{r + 3}"] = "CHỦ TỊCH"
            ws[f"A{r + 6}"], ws[f"D{r + 6}"] = "Nguyễn Văn Bình", "Lê Văn Tâm"
    _build(tmp, "a.xlsx", "UBND xã Phổ An", edit, demo_dir=demo_dir)
    checked = _check(tmp)
    assert not (checked.issues["severity"] == "error").any(), checked.issues[["cell", "rule", "message"]]
    for sheet, r in below.items():
        assert "Ghi chú" in _one(checked, sheet, f"A{r}", "row.not_data", "warning")
    assert len(checked.issues) == len(below)          # one notice a table, none for the titles and names
    assert len(checked.tables["leadership"]) == len(lead) and len(checked.tables["models"]) == len(models)


def test_a_column_number_row_and_a_repeated_header_are_not_records(tmp, demo_dir, demo_intended):
    models = _typed_rows(demo_intended, "models")
    ncols = len(MODELS.columns)

    def edit(wb):
        ws = wb[MODELS.sheet]
        ws.insert_rows(4)                                      # "1, 2, 3 …" under the header, as printed forms do
        for j in range(1, ncols + 1):
            ws.cell(4, j).value = f"({j})" if j % 2 else j
        last = 5 + len(models)
        for j in range(1, ncols + 1):                          # the header typed again under the models
            ws.cell(last, j).value = ws.cell(3, j).value
    _build(tmp, "a.xlsx", "UBND xã Phổ An", edit, demo_dir=demo_dir)
    checked = _check(tmp)
    assert not (checked.issues["severity"] == "error").any(), checked.issues[["cell", "rule", "message"]]
    assert "1, 2, 3" in _one(checked, MODELS.sheet, "A4", "row.not_data", "warning")
    assert "tiêu đề" in _one(checked, MODELS.sheet, f"A{5 + len(models)}", "row.not_data", "warning")
    read = checked.tables["models"]
    assert sorted(read["model_name"]) == sorted(m["model_name"] for m in models)
    assert list(read["excel_row"]) == list(range(5, 5 + len(models)))


@pytest.mark.parametrize("heading, merged", [("I. MÔ HÌNH CẤP XÃ", False), ("2) Lĩnh vực văn hóa – xã hội", False),
                                             ("Phần B: mô hình của các đoàn thể", False),
                                             ("Các mô hình của khối đoàn thể", True)])
def test_a_group_heading_inside_a_table_is_not_a_record(tmp, demo_dir, demo_intended, heading, merged):
    """Clerks group the models under headings typed on their own row, often merged across the table."""
    models = _typed_rows(demo_intended, "models")
    ncols = len(MODELS.columns)

    def edit(wb):
        ws = wb[MODELS.sheet]
        for at in (4, 6 + min(1, len(models) - 1)):     # above the first model, and between two models
            ws.insert_rows(at)
            ws.cell(at, 1).value = heading
            if merged:
                ws.merge_cells(start_row=at, start_column=1, end_row=at, end_column=ncols)
    _build(tmp, "a.xlsx", "UBND xã Phổ An", edit, demo_dir=demo_dir)
    checked = _check(tmp)
    assert not (checked.issues["severity"] == "error").any(), checked.issues[["cell", "rule", "message"]]
    rows = sorted(checked.issues.loc[checked.issues["rule"] == "row.not_data", "cell"])
    assert rows == sorted(["A4", f"A{6 + min(1, len(models) - 1)}"])
    assert "tiêu đề nhóm" in _one(checked, MODELS.sheet, "A4", "row.not_data", "warning")
    assert sorted(checked.tables["models"]["model_name"]) == sorted(m["model_name"] for m in models)


def test_a_model_typed_by_name_only_is_still_a_record_with_its_errors(tmp, demo_dir, demo_intended):
    """A lone name that is no heading (no numbering, not in capitals) is a model whose other cells are missing."""
    models = _typed_rows(demo_intended, "models")
    last = 4 + len(models)

    def edit(wb):
        wb[MODELS.sheet].cell(last, 1).value = "Mô hình dân vận khéo trong xây dựng nông thôn mới"
    _build(tmp, "a.xlsx", "UBND xã Phổ An", edit, demo_dir=demo_dir)
    checked = _check(tmp)
    errors = checked.issues[(checked.issues["severity"] == "error") & (checked.issues["sheet"] == MODELS.sheet)]
    assert set(errors["cell"].str.extract(r"(\d+)$")[0]) == {str(last)} and len(errors) >= 3
    assert not (checked.issues["rule"] == "row.not_data").any()


def test_a_hidden_row_is_counted_and_the_unit_is_told(tmp, demo_dir, demo_intended):
    """Hiding a row is not deleting it: the model is counted, with a warning at its row."""
    models = _typed_rows(demo_intended, "models")
    lead = _typed_rows(demo_intended, "leadership")

    def edit(wb):
        wb[MODELS.sheet].row_dimensions[4].hidden = True
        wb[LEAD.sheet].row_dimensions[5].hidden = True
        wb[MODELS.sheet].row_dimensions[4 + len(models) + 3].hidden = True   # a hidden blank row: nothing to say
    _build(tmp, "a.xlsx", "UBND xã Phổ An", edit, demo_dir=demo_dir)
    checked = _check(tmp)
    hidden = checked.issues[checked.issues["rule"] == "row.hidden"]
    assert sorted(zip(hidden["sheet"], hidden["cell"])) == sorted([(MODELS.sheet, "A4"), (LEAD.sheet, "A5")])
    assert set(hidden["severity"]) == {"warning"} and "dòng 4 đang bị ẩn" in _one(checked, MODELS.sheet, "A4",
                                                                                   "row.hidden", "warning")
    assert sorted(checked.tables["models"]["model_name"]) == sorted(m["model_name"] for m in models)
    assert len(checked.tables["leadership"]) == len(lead)


def test_a_year_or_date_merged_down_several_models_belongs_to_each_but_a_merged_count_is_counted_once(
        tmp, demo_dir, demo_intended):
    """Models started the same year: the clerk merges the year cell over their rows, as Excel then shows it."""
    models = _typed_rows(demo_intended, "models")
    assert len(models) >= 3

    def edit(wb):
        ws = wb[MODELS.sheet]
        for column in ("start_year", "recognition_date", "beneficiaries"):
            top, bottom = _cell(MODELS, column, 0), _cell(MODELS, column, 2)
            ws[_cell(MODELS, column, 1)] = ws[_cell(MODELS, column, 2)] = None
            ws.merge_cells(f"{top}:{bottom}")
    _build(tmp, "a.xlsx", "UBND xã Phổ An", edit, demo_dir=demo_dir)
    checked = _check(tmp)
    assert not (checked.issues["severity"] == "error").any(), checked.issues[["cell", "rule", "message"]]
    read = checked.tables["models"].sort_values("excel_row")
    assert list(read["start_year"][:3]) == [int(models[0]["start_year"])] * 3
    assert list(read["recognition_date"][:3]) == [pd.Timestamp(models[0]["recognition_date"])] * 3
    assert read["beneficiaries"][:3].sum() == models[0]["beneficiaries"]   # shown once, counted once
    assert read["beneficiaries"].iloc[1:3].isna().all()


def test_a_header_typed_in_two_columns_refuses_the_sheet_naming_both(tmp, demo_dir, demo_intended):
    """A hidden stale copy of a column left of the real one: which holds the figures cannot be known."""
    header_cell = _cell(CLASS, "score", 0)
    col = "".join(ch for ch in header_cell if ch.isalpha())

    def edit(wb):
        ws = wb[CLASS.sheet]
        at = ws[f"{col}3"].column
        ws.insert_cols(at)
        ws.cell(3, at).value = ws.cell(3, at + 1).value
        for r in range(4, 7):
            ws.cell(r, at).value = 50
        ws.column_dimensions[ws.cell(3, at).column_letter].hidden = True
    _build(tmp, "a.xlsx", "UBND xã Phổ An", edit, demo_dir=demo_dir)
    checked = _check(tmp)
    nxt = chr(ord(col) + 1)
    text = _one(checked, CLASS.sheet, f"{nxt}3", "column.duplicate", "error")
    assert f"{col}, {nxt}" in text
    assert checked.tables["classification"].empty      # neither column read silently


# -- years, sheet names, unit names as clerks type them -------------------------------------------------



def test_a_renamed_sheet_is_read_with_a_warning(tmp, demo_dir, demo_intended):
    _build(tmp, "a.xlsx", "UBND xã Phổ An",
           lambda wb: setattr(wb[MODELS.sheet], "title", "Mo hinh DVK"), demo_dir=demo_dir)
    checked = _check(tmp)
    returns, _ = demo_intended
    typed = next(r for r in returns if r.filename == BASE).rows["models"]
    assert len(checked.tables["models"]) == len(typed)
    assert (checked.issues["rule"] == "sheet.assumed").sum() == 1
    assert not (checked.issues["rule"] == "sheet.missing").any()


@pytest.mark.parametrize("rename", [
    lambda i, title: f"Sheet{i + 1}",                     # the data pasted into a new workbook's sheets
    lambda i, title: f"Bản sao của {title}"[:31],         # Google Sheets' copies, cut at Excel's 31 characters
    lambda i, title: f"Copy of {title}"[:31],
], ids=["SheetN", "ban_sao_cua", "copy_of"])
def test_sheets_whose_names_say_nothing_are_read_by_their_columns(tmp, demo_dir, demo_intended, rename):
    """Every template sheet is found by its header row (a form: its field labels) when no name stands for it."""
    def edit(wb):
        for i, ws in enumerate(wb.worksheets):
            ws.title = rename(i, ws.title)
    _build(tmp, "a.xlsx", "UBND xã Phổ An", edit, demo_dir=demo_dir)
    checked = _check(tmp)
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






# -- the run never stops -------------------------------------------------------------------------------



def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}






def test_a_text_typed_on_into_the_rows_below_is_joined_to_its_record(tmp, demo_dir, demo_intended):
    """A clerk who presses Enter in a long text types the rest in the cell below: that row carries on the
    record above (its text is kept, joined, and said), it is no new record missing every other cell."""
    models = _typed_rows(demo_intended, "models")
    assert len(models) >= 2 and models[0]["effect"] and models[1]["model_name"]
    effect, name = MODELS.column_names.index("effect") + 1, MODELS.column_names.index("model_name") + 1
    more = ["và được nhân rộng ra nhiều thôn", "trong toàn xã."]
    aside = "(giai đoạn 2021–2023) do Hội Nông dân phụ trách"
    note_row = 4 + len(models) + 3                # right under the last model, once the three rows are inserted

    def edit(wb):
        ws = wb[MODELS.sheet]
        ws.insert_rows(5, 2)                      # under the first model: two rows carrying on its effect
        ws.cell(5, effect).value, ws.cell(6, effect).value = more
        ws.insert_rows(8)                         # under the second model (now row 7): the rest of its name
        ws.cell(8, name).value = aside
        ws.cell(note_row, effect).value = "Ghi chú: số liệu tính đến ngày 30/6/2023."   # a note is no continuation
    _build(tmp, "a.xlsx", "UBND xã Phổ An", edit, demo_dir=demo_dir)
    checked = _check(tmp)
    assert not (checked.issues["severity"] == "error").any(), checked.issues[["cell", "rule", "message"]]
    col_effect, col_name = MODELS.cell(0, "effect")[:-1], MODELS.cell(0, "model_name")[:-1]
    for r, above in ((5, 4), (6, 4)):
        assert f"ô {col_effect}{above} phía trên" in _one(checked, MODELS.sheet, f"{col_effect}{r}", "row.continued",
                                                           "warning")
    assert f"ô {col_name}7 phía trên" in _one(checked, MODELS.sheet, f"{col_name}8", "row.continued", "warning")
    read = checked.tables["models"].sort_values("excel_row")
    assert len(read) == len(models)
    assert read.iloc[0]["effect"] == " ".join([models[0]["effect"], *more])
    assert read.iloc[1]["model_name"] == f"{models[1]['model_name']} {aside}"
    assert list(read["model_name"].iloc[2:]) == [m["model_name"] for m in models[2:]]
    assert read.iloc[-1]["effect"] == models[-1]["effect"]
    assert "Ghi chú" in _one(checked, MODELS.sheet, f"{col_effect}{note_row}", "row.not_data", "warning")


def test_several_models_in_one_cell_are_said_and_several_nominees_in_one_proposal_are_refused(tmp, demo_dir):
    """One row, one model; one proposal, 01 collective or 01 individual: a numbered or bulleted list in the cell
    is several of them. A name with the position under it, on its own line, is one nominee."""
    PROPOSALS = sheet_spec("proposals")
    listed = {"nominee_name": "1. Nguyễn Văn An\n2. Trần Thị Bình"}

    def proposal(nominee):
        def edit(wb):
            ws = wb[PROPOSALS.sheet]
            for column, value in {"recipient_kind": "Cá nhân", "nominee_name": nominee, "crit_a": "Có",
                                  "crit_b": "Có", "achievements_summary": "Gương mẫu, tận tụy."}.items():
                ws[PROPOSALS.cell(0, column)] = value
            ws2 = wb[MODELS.sheet]
            ws2[MODELS.cell(0, "model_name")] = "- Mô hình “Dân vận khéo” ở thôn An Thường\n- Mô hình “Ngày thứ bảy vì dân”"
        return edit
    _build(tmp / "list", "a.xlsx", "UBND xã Phổ An", proposal(listed["nominee_name"]), demo_dir=demo_dir)
    _build(tmp / "one", "a.xlsx", "UBND xã Phổ An", proposal("Nguyễn Văn An\nChủ tịch UBND xã"), demo_dir=demo_dir)
    _build(tmp / "bulleted", "a.xlsx", "UBND xã Phổ An", proposal("- Ông Nguyễn Văn An\n- Chủ tịch UBND xã"),
           demo_dir=demo_dir)
    several = _check(tmp / "list")
    assert "ghi 2 mục trong cùng một ô" in _one(several, MODELS.sheet, MODELS.cell(0, "model_name"), "text.several",
                                                "warning")
    assert "Lỗi" in _one(several, PROPOSALS.sheet, PROPOSALS.cell(0, "nominee_name"), "text.several", "error")
    assert several.tables["proposals"].empty
    assert several.tables["models"]["model_name"].str.contains("Ngày thứ bảy vì dân").sum() == 1   # kept, as one
    for folder, read in (("one", "Nguyễn Văn An Chủ tịch UBND xã"), ("bulleted", "- Ông Nguyễn Văn An - Chủ tịch UBND xã")):
        one = _check(tmp / folder)
        several_cells = one.issues.loc[one.issues["rule"] == "text.several", "cell"]
        assert list(several_cells) == [MODELS.cell(0, "model_name")]   # the model cell only: one person, a position
        assert list(one.tables["proposals"]["nominee_name"]) == [read]


def test_a_record_pasted_from_a_word_table_with_its_cells_merged_down_is_one_record(tmp, demo_dir, demo_intended):
    """Pasting a Word table row whose text has two paragraphs, Excel puts the second on a row of its own and merges
    the record's other cells down over both rows; a record can also be merged down over a blank row for looks.
    Either is one model, its text whole, not a second model with its counts missing."""
    from openpyxl.utils import get_column_letter

    models = _typed_rows(demo_intended, "models")
    assert len(models) >= 2 and models[0]["effect"]
    ncols = len(MODELS.columns)
    effect = MODELS.column_names.index("effect") + 1
    second = "Đoạn thứ hai: được nhân rộng ra 5 thôn."

    def edit(wb):
        ws = wb[MODELS.sheet]
        ws.insert_rows(5)                              # the first model: every cell but its effect merged down
        for j in range(1, ncols + 1):
            if j != effect:
                ws.merge_cells(f"{get_column_letter(j)}4:{get_column_letter(j)}5")
        ws.cell(5, effect).value = second
        ws.insert_rows(7)                              # the second model (now row 6): every cell merged down
        for j in range(1, ncols + 1):
            ws.merge_cells(f"{get_column_letter(j)}6:{get_column_letter(j)}7")
    _build(tmp, "a.xlsx", "UBND xã Phổ An", edit, demo_dir=demo_dir)
    checked = _check(tmp)
    assert not (checked.issues["severity"] == "error").any(), checked.issues[["cell", "rule", "message"]]
    assert not (checked.issues["rule"] == "model_repeated").any()
    col_effect = MODELS.cell(0, "effect")[:-1]
    assert "ô " + col_effect + "4" in _one(checked, MODELS.sheet, f"{col_effect}5", "row.continued", "warning")
    read = checked.tables["models"].sort_values("excel_row")
    assert list(read["model_name"]) == [m["model_name"] for m in models]
    assert read.iloc[0]["effect"] == f"{models[0]['effect']} {second}"
    assert list(read["beneficiaries"].fillna(-1)) == [m["beneficiaries"] if m["beneficiaries"] is not None else -1
                                                      for m in models]




def test_a_fixed_row_with_its_key_deleted_is_a_record_not_a_continuation(tmp, demo_dir):
    """In a sheet whose rows the template fixes, a row whose only cell left is its text is the rest of the text
    above only when the clerk added it (the rows below moved down); the template's own row with its key deleted is
    a record, its key missing at its cell."""
    assessment = sheet_spec("assessment")
    key = assessment.cell(1, "topic")

    def added(wb):
        ws = wb[assessment.sheet]
        ws.insert_rows(5)
        ws[assessment.cell(1, "text")] = "Tiếp theo phần kết quả đạt được."
    _build(tmp / "deleted", "a.xlsx", "UBND xã Phổ An", lambda wb: wb[assessment.sheet].__setitem__(key, None),
           demo_dir=demo_dir)
    _build(tmp / "added", "a.xlsx", "UBND xã Phổ An", added, demo_dir=demo_dir)
    deleted, inserted = _check(tmp / "deleted"), _check(tmp / "added")
    _one(deleted, assessment.sheet, key, "required.missing", "error")
    assert not (deleted.issues["rule"] == "row.continued").any()
    _one(inserted, assessment.sheet, assessment.cell(1, "text"), "row.continued", "warning")
    assert len(inserted.tables["assessment"]) == len(assessment.fixed_rows)
    assert inserted.tables["assessment"].iloc[0]["text"].endswith("Tiếp theo phần kết quả đạt được.")
