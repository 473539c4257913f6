"""Red-team findings on what clerks type in a cell: each case is a real return (a demo workbook written into
the real template) with one cell typed the way a clerk types it; the test says what the unit and the analyst
see (the value read into the tables, or the issue at the cell)."""
from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from pipeline.check import read_and_check
from pipeline.config import load_plan
from pipeline.text import vn_number
from schemas import sheet_spec
from tests.conftest import SOFFICE, needs_soffice

INFO, LEAD, MODELS, CLASS, IMPACT, PROPOSALS = (sheet_spec(n) for n in (
    "unit_info", "leadership", "models", "classification", "impact", "proposals"))
BASE = "pho_van_bao_cao_so_ket.xlsx"             # a clean demo return, no proposal
WITH_PROPOSAL = "pho_phong_bao_cao_so_ket.xlsx"  # a collective proposal meeting every criterion


def _build(folder: Path, demo_dir: Path, edit, base: str = BASE, name: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    wb = load_workbook(demo_dir / "returns" / base)
    edit(wb)
    path = folder / (name or base)
    wb.save(path)
    return path


def _issues_at(checked, spec, cell):
    """How a cell was read. A figure read right but unlike the unit's other years (12 inspections where the base return
    has 1 or 2) is also questioned (plausibility.*, tests/check/test_plausibility.py): not what these tests are about."""
    i = checked.issues
    return i[(i["sheet"] == spec.sheet) & (i["cell"] == cell) & ~i["rule"].str.startswith("plausibility.")]


def _one(checked, spec, cell, rule, severity) -> str:
    found = _issues_at(checked, spec, cell)
    assert list(zip(found["rule"], found["severity"])) == [(rule, severity)], found[["rule", "severity", "message"]]
    return found.iloc[0]["message"]


def _rows_of(checked, table, file):
    t = checked.tables[table]
    return t[t["source_file"] == file]


# -- F22: a number too large for a count ------------------------------------------------------------------

def test_a_huge_whole_number_is_an_error_at_its_cell_and_the_rest_of_the_file_is_read(tmp_path, demo_dir):
    huge, pasted = LEAD.cell(0, "propaganda_participants"), MODELS.cell(0, "beneficiaries")

    def edit(wb):
        wb[LEAD.sheet][huge] = 1e20
        wb[MODELS.sheet][pasted] = "98512345609351234567"     # two phone numbers pasted without a space
    path = _build(tmp_path, demo_dir, edit)
    checked = read_and_check(tmp_path, load_plan())
    assert checked.files.set_index("file").at[path.name, "status"] == "accepted_with_errors"
    text = _one(checked, LEAD, huge, "number.too_large", "error")          # a required count: the row waits
    assert "quá lớn" in text and "1.000.000" in text
    assert len(_rows_of(checked, "leadership", path.name)) == len(LEAD.fixed_rows) - 1
    # An optional count (beneficiaries): the cell is left blank with a warning, the model is kept.
    text = _one(checked, MODELS, pasted, "number.too_large", "warning")
    assert "quá lớn" in text and "để trống khi tổng hợp" in text
    models = load_workbook(path)[MODELS.sheet]
    typed_models = sum(1 for i in range(40) if models[MODELS.cell(i, "model_name")].value)
    assert len(_rows_of(checked, "models", path.name)) == typed_models
    first = _rows_of(checked, "models", path.name).set_index("model_name").loc[models[MODELS.cell(0, "model_name")].value]
    assert pd.isna(first["beneficiaries"])


# -- F2/F21/F19: several numbers or a percentage in a count cell ----------------------------------------------

@pytest.mark.parametrize("typed", ["22 buổi/1.320 lượt người", "5 tập thể và 12 cá nhân", "22 9 28", "9 buổi x 39 người"])
def test_a_count_cell_holding_several_numbers_is_an_error_asking_for_one(tmp_path, demo_dir, typed):
    cell = LEAD.cell(0, "propaganda_participants")
    path = _build(tmp_path, demo_dir, lambda wb: wb[LEAD.sheet].__setitem__(cell, typed))
    checked = read_and_check(tmp_path, load_plan())
    text = _one(checked, LEAD, cell, "number.several", "error")
    assert f"“{typed}”" in text and "nhiều số" in text and "một số" in text
    assert len(_rows_of(checked, "leadership", path.name)) == len(LEAD.fixed_rows) - 1


@pytest.mark.parametrize("typed,read", [("1.234", 1234), ("1.200 người", 1200), ("12 buổi", 12),
                                        # the column's own words, a semicolon or a footnote mark after the number
                                        ("25 tin, bài", 25), ("12;", 12), ("25*", 25), ("1.200 lượt;", 1200),
                                        # a list mark pasted from Word along with the number
                                        ("•\t12", 12), ("● 1.234", 1234)])
def test_one_number_with_thousands_groups_or_a_unit_is_still_read(tmp_path, demo_dir, typed, read):
    cell = LEAD.cell(0, "news_items")
    path = _build(tmp_path, demo_dir, lambda wb: wb[LEAD.sheet].__setitem__(cell, typed))
    checked = read_and_check(tmp_path, load_plan())
    assert _issues_at(checked, LEAD, cell).empty
    rows = _rows_of(checked, "leadership", path.name)
    assert read in set(rows["news_items"])


@pytest.mark.parametrize("typed,read,said", [("120 150", 120150, "120.150"), ("1 234", 1234, "1.234"),
                                             ("1\u00a0234 lượt", 1234, "1.234")])
def test_space_separated_digits_are_read_as_one_number_and_the_unit_is_told(tmp_path, demo_dir, typed, read, said):
    """"120 150" is 120.150 in thousands groups, or the numbers 120 and 150 side by side: the figure is read as
    one number (as a spreadsheet shows "1 234") and the cell says how it was read, never silently."""
    cell = LEAD.cell(0, "propaganda_participants")
    path = _build(tmp_path, demo_dir, lambda wb: wb[LEAD.sheet].__setitem__(cell, typed))
    checked = read_and_check(tmp_path, load_plan())
    text = _one(checked, LEAD, cell, "value.assumed", "warning")
    assert f"đã hiểu là {said}" in text
    rows = _rows_of(checked, "leadership", path.name)
    assert len(rows) == len(LEAD.fixed_rows) and read in set(rows["propaganda_participants"])


@pytest.mark.parametrize("typed", ["1e3", "2E5", "1,5e3"])
def test_scientific_notation_typed_as_text_is_refused_not_read_as_its_first_digits(tmp_path, demo_dir, typed):
    cell = LEAD.cell(0, "propaganda_participants")
    path = _build(tmp_path, demo_dir, lambda wb: wb[LEAD.sheet].__setitem__(cell, typed))
    checked = read_and_check(tmp_path, load_plan())
    text = _one(checked, LEAD, cell, "number.invalid", "error")
    assert f"“{typed}”" in text
    assert len(_rows_of(checked, "leadership", path.name)) == len(LEAD.fixed_rows) - 1


def test_a_percentage_typed_in_a_count_cell_is_an_error(tmp_path, demo_dir):
    cell = LEAD.cell(1, "propaganda_participants")
    path = _build(tmp_path, demo_dir, lambda wb: wb[LEAD.sheet].__setitem__(cell, "90%"))
    checked = read_and_check(tmp_path, load_plan())
    text = _one(checked, LEAD, cell, "number.percent_in_count", "error")
    assert "“90%”" in text and "tỷ lệ" in text
    assert len(_rows_of(checked, "leadership", path.name)) == len(LEAD.fixed_rows) - 1   # that period is held back


@pytest.mark.parametrize("typed, share", [("100%", 100), ("95%", 95), ("100 %", 100), ("90% CBCCVC", 90),
                                          ("Tất cả", 100), ("Toàn thể CBCCVC", 100)])   # everyone: the whole staff
def test_a_percentage_of_the_staff_registered_is_read_as_that_share_of_the_staff(tmp_path, demo_dir, typed, share):
    """"100%" CBCCVC đăng ký thi đua is how reports say it: that share of the staff total typed above it."""
    cell = INFO.cell(0, "staff_registered")
    path = _build(tmp_path, demo_dir, lambda wb: wb[INFO.sheet].__setitem__(cell, typed))
    staff = load_workbook(path)[INFO.sheet][INFO.cell(0, "staff_total")].value
    expected = round(staff * share / 100)
    checked = read_and_check(tmp_path, load_plan())
    text = _one(checked, INFO, cell, "number.share_assumed", "warning")
    assert f"đã hiểu là {vn_number(expected)} ({share}% của {vn_number(staff)}" in text
    info = _rows_of(checked, "unit_info", path.name).iloc[0]
    assert info["staff_registered"] == expected and info["staff_total"] == staff


def test_everyone_typed_for_a_count_with_no_total_beside_it_asks_for_the_number(tmp_path, demo_dir):
    cell = LEAD.cell(1, "propaganda_participants")
    _build(tmp_path, demo_dir, lambda wb: wb[LEAD.sheet].__setitem__(cell, "Toàn bộ"))
    text = _one(read_and_check(tmp_path, load_plan()), LEAD, cell, "number.everyone", "error")
    assert "“Toàn bộ”" in text and "hãy nhập số lượng" in text


@pytest.mark.parametrize("stored, share", [(1, 100), (0.95, 95)])
def test_a_percent_formatted_staff_registered_cell_is_that_share_of_the_staff(tmp_path, demo_dir, stored, share):
    """"100%" typed into a cell Excel formats as a percentage is stored as 1: not one person."""
    cell = INFO.cell(0, "staff_registered")

    def edit(wb):
        wb[INFO.sheet][cell] = stored
        wb[INFO.sheet][cell].number_format = "0%"
    path = _build(tmp_path, demo_dir, edit)
    staff = load_workbook(path)[INFO.sheet][INFO.cell(0, "staff_total")].value
    checked = read_and_check(tmp_path, load_plan())
    text = _one(checked, INFO, cell, "number.share_assumed", "warning")
    assert f"ghi “{share}%”" in text
    assert _rows_of(checked, "unit_info", path.name).iloc[0]["staff_registered"] == round(staff * share / 100)


def test_a_share_above_100_percent_of_the_staff_is_still_an_error(tmp_path, demo_dir):
    cell = INFO.cell(0, "staff_registered")
    path = _build(tmp_path, demo_dir, lambda wb: wb[INFO.sheet].__setitem__(cell, "120%"))
    checked = read_and_check(tmp_path, load_plan())
    _one(checked, INFO, cell, "number.percent_in_count", "error")
    assert pd.isna(_rows_of(checked, "unit_info", path.name).iloc[0]["staff_registered"])


# -- F3: "0,966", "96,666" -------------------------------------------------------------------------------------

def test_a_typed_fraction_is_a_fraction_and_a_three_decimal_rate_is_a_decimal(tmp_path, demo_dir):
    on_time, satisfied = IMPACT.cell(0, "on_time_procedures_pct"), IMPACT.cell(0, "satisfaction_pct")
    score = CLASS.cell(0, "score")

    def edit(wb):
        wb[IMPACT.sheet][on_time] = "0,966"
        wb[IMPACT.sheet][satisfied] = "96,666"
        wb[CLASS.sheet][score] = "96,666"
    path = _build(tmp_path, demo_dir, edit)
    checked = read_and_check(tmp_path, load_plan())
    text = _one(checked, IMPACT, on_time, "percent.fraction", "warning")
    assert "96,6" in text and "ngoài khoảng" not in text
    for spec, cell in ((IMPACT, satisfied), (CLASS, score)):
        text = _one(checked, spec, cell, "number.decimal_assumed", "warning")
        assert "96,666" in text and "96.666" in text
    impact = _rows_of(checked, "impact", path.name).iloc[0]
    assert impact["satisfaction_pct"] == pytest.approx(96.666)
    scores = _rows_of(checked, "classification", path.name)["score"]
    assert any(s == pytest.approx(96.666) for s in scores)


@pytest.mark.parametrize("typed, read, said", [("Đạt 96,5%", 96.5, "96,5"), ("Tỷ lệ: 98 %", 98.0, "98")])
def test_a_rate_with_words_before_it_is_read_and_a_target_is_not(tmp_path, demo_dir, typed, read, said):
    on_time, satisfied = IMPACT.cell(0, "on_time_procedures_pct"), IMPACT.cell(0, "satisfaction_pct")

    def edit(wb):
        wb[IMPACT.sheet][on_time] = typed
        wb[IMPACT.sheet][satisfied] = "Chỉ tiêu 100%"     # the target, not the result: the unit must give the rate
    path = _build(tmp_path, demo_dir, edit)
    checked = read_and_check(tmp_path, load_plan())
    assert f"đã hiểu là {said}" in _one(checked, IMPACT, on_time, "value.assumed", "warning")
    _one(checked, IMPACT, satisfied, "number.invalid", "error")
    impact = _rows_of(checked, "impact", path.name).iloc[0]
    assert impact["on_time_procedures_pct"] == pytest.approx(read) and pd.isna(impact["satisfaction_pct"])


def test_two_unreadable_years_in_the_classification_keep_the_return_and_the_third_year(tmp_path, demo_dir):
    """Found by the random fuzz: two key cells that cannot be read were taken for a repeated row and the
    duplicate check crashed on them ("lỗi chương trình"), rejecting the whole return."""
    first, second = CLASS.cell(0, "classification_year"), CLASS.cell(1, "classification_year")

    def edit(wb):
        wb[CLASS.sheet][first] = 1e15
        wb[CLASS.sheet][second] = "năm thứ hai của giai đoạn, tính từ khi triển khai kế hoạch"
    path = _build(tmp_path, demo_dir, edit)
    third = load_workbook(path)[CLASS.sheet][CLASS.cell(2, "classification_year")].value
    checked = read_and_check(tmp_path, load_plan())
    assert checked.files.set_index("file").at[path.name, "status"] == "accepted_with_errors"
    for cell in (first, second):
        assert set(_issues_at(checked, CLASS, cell)["severity"]) == {"error"}
    assert _rows_of(checked, "classification", path.name)["classification_year"].tolist() == [third]


# -- F11: percent cells of .ods/.xls returns ----------------------------------------------------------------

def _saved_as(tmp_path: Path, source: Path, fmt: str) -> Path:
    """A folder holding `source` saved by LibreOffice as .ods or .xls."""
    out = tmp_path / "in"
    out.mkdir()
    subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", fmt, "--outdir", str(out), str(source)], check=True, capture_output=True,
                   timeout=180)
    return out


@needs_soffice
@pytest.mark.parametrize("fmt", ["ods", "xls"])
def test_percent_cells_of_a_return_saved_as_ods_or_xls_are_read_as_percentages(tmp_path, demo_dir, fmt):
    on_time = IMPACT.cell(0, "on_time_procedures_pct")

    def edit(wb):
        wb[IMPACT.sheet][on_time] = 0.979                     # what a spreadsheet stores for "97,9%"
        wb[IMPACT.sheet][on_time].number_format = "0.0%"
    source = _build(tmp_path / "xlsx", demo_dir, edit)
    checked = read_and_check(_saved_as(tmp_path, source, fmt), load_plan())
    name = f"{source.stem}.{fmt}"
    assert _rows_of(checked, "impact", name).iloc[0]["on_time_procedures_pct"] == pytest.approx(97.9)
    text = _one(checked, IMPACT, on_time, "percent.fraction_assumed", "warning")
    assert "0,979" in text and "97,9%" in text and "0.979" not in text


@needs_soffice
@pytest.mark.parametrize("fmt", ["ods", "xls"])
def test_staff_registered_typed_as_100_percent_in_an_ods_or_xls_is_the_whole_staff(tmp_path, demo_dir, fmt):
    """.ods and .xls do not say a cell's format: 1 there, next to a staff of 31, is "100%", not one person."""
    cell = INFO.cell(0, "staff_registered")

    def edit(wb):
        wb[INFO.sheet][cell] = 1
        wb[INFO.sheet][cell].number_format = "0%"
    source = _build(tmp_path / "xlsx", demo_dir, edit)
    staff = load_workbook(source)[INFO.sheet][INFO.cell(0, "staff_total")].value
    checked = read_and_check(_saved_as(tmp_path, source, fmt), load_plan())
    assert _rows_of(checked, "unit_info", f"{source.stem}.{fmt}").iloc[0]["staff_registered"] == staff
    text = _one(checked, INFO, cell, "number.share_assumed", "warning")
    assert f"(100% của {vn_number(staff)}" in text


def test_a_bare_fraction_in_an_xlsx_keeps_its_existing_reading(tmp_path, demo_dir):
    satisfied = IMPACT.cell(0, "satisfaction_pct")

    def edit(wb):
        wb[IMPACT.sheet][satisfied] = 0.9
        wb[IMPACT.sheet][satisfied].number_format = "General"
    path = _build(tmp_path, demo_dir, edit)
    checked = read_and_check(tmp_path, load_plan())
    _one(checked, IMPACT, satisfied, "percent.fraction", "warning")
    assert _rows_of(checked, "impact", path.name).iloc[0]["satisfaction_pct"] == pytest.approx(0.9)


# -- F4: report date written the way documents write it ------------------------------------------------------

@pytest.mark.parametrize("typed", ["Đức Phổ, ngày 14 tháng 6 năm 2023", "14/6/2023.", "14/06/2023 08:30",
                                   "Phổ Văn, ngày 14/6/2023", "14 tháng 6, 2023",
                                   # Word's en dash, a hyphen from a PDF, a list mark pasted along
                                   "14–6–2023", "14 – 06 – 2023", "14‐6‐2023", "•\t14/6/2023"])
def test_a_report_date_inside_a_place_and_date_line_is_read(tmp_path, demo_dir, typed):
    cell = INFO.cell(0, "report_date")
    _build(tmp_path, demo_dir, lambda wb: wb[INFO.sheet].__setitem__(cell, typed))
    checked = read_and_check(tmp_path, load_plan())
    assert _issues_at(checked, INFO, cell).empty
    sub = checked.submissions.set_index("unit_code").loc["pho_van"]
    assert sub["status"] == "on_time" and sub["report_date"] == dt.date(2023, 6, 14)


@pytest.mark.parametrize("typed", ["06/14/2023", "6/14/23",
                                   "14/6", "14/06", "ngày 14 tháng 6", "Đức Phổ, ngày 14/6", "14-6", "45091", " 45091"])
def test_a_report_date_typed_month_first_without_its_year_or_as_its_serial_is_read_and_the_unit_is_told(
        tmp_path, demo_dir, typed):
    """A computer set to English writes month first; 14 cannot be a month, so 06/14/2023 is 14 June. The report
    is signed in the year of the deadline (15/6/2023): "14/6" is 14/06/2023. A date pasted into a text-formatted
    cell shows as its serial, 45091 (days from 30/12/1899): 14/06/2023. Each time the unit is told."""
    cell = INFO.cell(0, "report_date")
    _build(tmp_path, demo_dir, lambda wb: wb[INFO.sheet].__setitem__(cell, typed))
    checked = read_and_check(tmp_path, load_plan())
    assert "đã hiểu là 14/06/2023" in _one(checked, INFO, cell, "value.assumed", "warning")
    sub = checked.submissions.set_index("unit_code").loc["pho_van"]
    assert sub["status"] == "on_time" and sub["report_date"] == dt.date(2023, 6, 14)


def test_a_recognition_date_without_its_year_is_left_blank_asking_for_the_year_and_the_model_kept(tmp_path, demo_dir):
    """No year goes without saying for a model's recognition: the cell is left blank, the unit asked for it."""
    cell, name_cell = MODELS.cell(0, "recognition_date"), MODELS.cell(0, "model_name")
    path = _build(tmp_path, demo_dir, lambda wb: wb[MODELS.sheet].__setitem__(cell, "15/6"))
    checked = read_and_check(tmp_path, load_plan())
    assert "thiếu năm" in _one(checked, MODELS, cell, "date.no_year", "warning")
    name = load_workbook(path)[MODELS.sheet][name_cell].value
    kept = _rows_of(checked, "models", path.name).set_index("model_name").loc[name]
    assert pd.isna(kept["recognition_date"])


@pytest.mark.parametrize("typed, read", [("21", 2021), ("'22", 2022), ("Năm 21", 2021), ("2021/2022", 2021)])
def test_a_start_year_typed_short_or_as_a_school_year_is_read_and_the_unit_is_told(tmp_path, demo_dir, typed, read):
    cell, name_cell = MODELS.cell(0, "start_year"), MODELS.cell(0, "model_name")
    path = _build(tmp_path, demo_dir, lambda wb: wb[MODELS.sheet].__setitem__(cell, typed))
    checked = read_and_check(tmp_path, load_plan())
    assert f"đã hiểu là {read}" in _one(checked, MODELS, cell, "value.assumed", "warning")
    name = load_workbook(path)[MODELS.sheet][name_cell].value
    assert _rows_of(checked, "models", path.name).set_index("model_name").loc[name, "start_year"] == read


def test_a_cell_with_two_dates_is_still_refused(tmp_path, demo_dir):
    cell = INFO.cell(0, "report_date")
    _build(tmp_path, demo_dir, lambda wb: wb[INFO.sheet].__setitem__(cell, "14/6/2023 hoặc 20/6/2023"))
    checked = read_and_check(tmp_path, load_plan())
    _one(checked, INFO, cell, "date.invalid", "error")


# -- F24: a score out of 100 ------------------------------------------------------------------------------------

def test_a_score_typed_out_of_100_is_read(tmp_path, demo_dir):
    score = CLASS.cell(0, "score")
    path = _build(tmp_path, demo_dir, lambda wb: wb[CLASS.sheet].__setitem__(score, "92,1/100"), base=WITH_PROPOSAL)
    checked = read_and_check(tmp_path, load_plan())
    assert _issues_at(checked, CLASS, score).empty
    rows = _rows_of(checked, "classification", path.name)
    assert len(rows) == len(CLASS.fixed_rows)
    assert any(s == pytest.approx(92.1) for s in rows["score"])


# -- F13: yes/no criteria with a reason, ticks ----------------------------------------------------------------

@pytest.mark.parametrize("tick", ["✓", "•\tCó"])   # a tick, or "Có" pasted from a bulleted list in Word
def test_a_criterion_answered_with_its_reason_or_a_tick_keeps_the_proposal(tmp_path, demo_dir, tick):
    crit_a, crit_b = PROPOSALS.cell(0, "crit_a"), PROPOSALS.cell(0, "crit_b")

    def edit(wb):
        wb[PROPOSALS.sheet][crit_a] = "Có - đạt HTXS 3 năm liền"
        wb[PROPOSALS.sheet][crit_b] = tick
    path = _build(tmp_path, demo_dir, edit, base=WITH_PROPOSAL)
    checked = read_and_check(tmp_path, load_plan())
    text = _one(checked, PROPOSALS, crit_a, "value.assumed", "warning")
    assert "“Có”" in text
    assert _issues_at(checked, PROPOSALS, crit_b).empty
    proposal = _rows_of(checked, "proposals", path.name).iloc[0]
    assert bool(proposal["crit_a"]) and bool(proposal["crit_b"])


# -- F7: year bounds in messages ---------------------------------------------------------------------------------

def test_year_bounds_are_written_without_a_thousands_separator(tmp_path, demo_dir):
    cell = MODELS.cell(0, "start_year")
    _build(tmp_path, demo_dir, lambda wb: wb[MODELS.sheet].__setitem__(cell, 2019))
    checked = read_and_check(tmp_path, load_plan())
    text = _one(checked, MODELS, cell, "range.out_of_bounds", "error")
    assert "từ 2020 đến 2023" in text and "2.020" not in text


# -- F34: an unreadable optional cell ------------------------------------------------------------------------------

def test_an_unreadable_optional_cell_is_left_blank_and_its_model_kept(tmp_path, demo_dir):
    date_cell, people_cell = MODELS.cell(0, "recognition_date"), MODELS.cell(1, "beneficiaries")
    name_cell = MODELS.cell(1, "model_name")

    def edit(wb):
        wb[MODELS.sheet][date_cell] = "2023"
        wb[MODELS.sheet][people_cell] = "rất đông"
    path = _build(tmp_path, demo_dir, edit)
    checked = read_and_check(tmp_path, load_plan())
    for cell, rule in ((date_cell, "date.invalid"), (people_cell, "number.invalid")):
        text = _one(checked, MODELS, cell, rule, "warning")
        assert "để trống khi tổng hợp" in text and "các ô khác của dòng vẫn được tổng hợp" in text
    models = _rows_of(checked, "models", path.name)
    typed = load_workbook(path)[MODELS.sheet]
    assert len(models) == sum(1 for i in range(40) if typed[MODELS.cell(i, "model_name")].value)
    kept = models.set_index("model_name").loc[typed[name_cell].value]
    assert pd.isna(kept["beneficiaries"])


@pytest.mark.parametrize("typed, read", [("-", 0), ("—", 0), ("Không", 0), ("không có", 0), ("Chưa tổ chức", 0),
                                         ("khoảng 25", 25), ("Khoảng 1.400 người", 1400), ("~30", 30),
                                         # the total with its breakdown or a remark after it
                                         ("12 (trong đó 3 đột xuất)", 12), ("12 cuộc, trong đó 3 đột xuất", 12),
                                         ("12 (gồm 9 kiểm tra, 3 giám sát).", 12), ("12 cuộc (Đảng ủy)", 12),
                                         # words that only introduce the number
                                         ("Tổng số: 12", 12), ("Có 12 cuộc", 12),
                                         # the count as its parts, which add up to the total when it is typed
                                         ("9 + 3", 12), ("9 kiểm tra + 3 giám sát", 12), ("9+3=12", 12),
                                         ("12 (9 kiểm tra, 3 giám sát)", 12), ("12 (kiểm tra: 9; giám sát: 3)", 12),
                                         ("1.200 (1.000 CBCC, 200 HĐ)", 1200),
                                         # brackets around the count, "none" said twice
                                         ("(12)", 12), ("Không (0)", 0), ("0 (chưa có)", 0), ("0 - không có", 0)])
def test_none_or_an_approximate_count_in_a_count_cell_is_read_and_the_row_kept(tmp_path, demo_dir, typed, read):
    """The help says "nhập 0 nếu không có": a dash or "không" in a required count is 0, and "khoảng 25" is 25,
    each with a warning saying what was read; the rest of the row (the period's other counts) is counted."""
    cell = LEAD.cell(1, "inspections")
    path = _build(tmp_path, demo_dir, lambda wb: wb[LEAD.sheet].__setitem__(cell, typed))
    ws = load_workbook(path)[LEAD.sheet]
    period, plans = ws[LEAD.cell(1, "period")].value, ws[LEAD.cell(1, "plans_issued")].value
    checked = read_and_check(tmp_path, load_plan())
    text = _one(checked, LEAD, cell, "value.assumed", "warning")
    assert f"đã hiểu là {vn_number(read)}" in text
    row = _rows_of(checked, "leadership", path.name).set_index("period").loc[period]
    assert row["inspections"] == read and row["plans_issued"] == plans


@pytest.mark.parametrize("typed", ["N/A", "Không áp dụng", "không phát sinh", "-", "Không có TTHC", "chưa khảo sát"])
def test_not_applicable_in_an_optional_rate_is_left_blank_with_a_warning_not_an_error(tmp_path, demo_dir, typed):
    """The help says "để trống nếu đơn vị không giải quyết TTHC": a unit that says so in words has no rate (not
    0%), the return has no error, and its other fields are read."""
    rate, count = IMPACT.cell(0, "on_time_procedures_pct"), MODELS.cell(0, "beneficiaries")

    def edit(wb):
        wb[IMPACT.sheet][rate] = typed
        wb[MODELS.sheet][count] = "N/A"
    path = _build(tmp_path, demo_dir, edit)
    typed_wb = load_workbook(path)
    checked = read_and_check(tmp_path, load_plan())
    assert "không có thông tin này" in _one(checked, IMPACT, rate, "value.not_applicable", "warning")
    _one(checked, MODELS, count, "value.not_applicable", "warning")
    assert not (checked.issues["severity"] == "error").any(), checked.issues[["cell", "rule", "message"]]
    impact = _rows_of(checked, "impact", path.name).iloc[0]
    assert pd.isna(impact["on_time_procedures_pct"])
    assert impact["satisfaction_pct"] == typed_wb[IMPACT.sheet][IMPACT.cell(0, "satisfaction_pct")].value
    models = _rows_of(checked, "models", path.name).sort_values("excel_row")
    assert pd.isna(models.iloc[0]["beneficiaries"]) and len(models) == \
        sum(1 for i in range(40) if typed_wb[MODELS.sheet][MODELS.cell(i, "model_name")].value)


@pytest.mark.parametrize("typed", ["Không có", "Chưa có", "-", "N/A", "không"])
def test_none_typed_in_an_optional_address_or_date_is_left_blank_with_a_warning_not_an_error(tmp_path, demo_dir,
                                                                                             typed):
    """A unit with no e-mail address, or a model with no decision date yet, says so in words: no value, told how
    to give one, and no error (a required phone number stays required)."""
    email, date = INFO.cell(0, "email"), MODELS.cell(0, "recognition_date")

    def edit(wb):
        wb[INFO.sheet][email] = typed
        wb[MODELS.sheet][date] = typed
    path = _build(tmp_path, demo_dir, edit)
    typed_wb = load_workbook(path)
    checked = read_and_check(tmp_path, load_plan())
    assert "thư điện tử" in _one(checked, INFO, email, "value.not_applicable", "warning")
    assert "ngày/tháng/năm" in _one(checked, MODELS, date, "value.not_applicable", "warning")
    assert not (checked.issues["severity"] == "error").any(), checked.issues[["cell", "rule", "message"]]
    assert pd.isna(_rows_of(checked, "unit_info", path.name).iloc[0]["email"])
    models = _rows_of(checked, "models", path.name).sort_values("excel_row")
    assert pd.isna(models.iloc[0]["recognition_date"]) and len(models) == \
        sum(1 for i in range(40) if typed_wb[MODELS.sheet][MODELS.cell(i, "model_name")].value)


@pytest.mark.parametrize("typed", ["trên 100", "khoảng", "x", "?", "12 (dự kiến)", "12 (3 đột xuất)",
                                   "12 cuộc (trong đó 3 đột xuất); 40 lượt", "9 + ", "9 + khoảng 3"])
def test_a_count_that_is_no_number_is_still_refused(tmp_path, demo_dir, typed):
    cell = LEAD.cell(1, "inspections")
    _build(tmp_path, demo_dir, lambda wb: wb[LEAD.sheet].__setitem__(cell, typed))
    _one(read_and_check(tmp_path, load_plan()), LEAD, cell, "number.invalid", "error")


@pytest.mark.parametrize("typed, parts, total", [("9+3=13", "12", "13"), ("12 (9 kiểm tra, 4 giám sát)", "13", "12")])
def test_a_count_whose_parts_do_not_add_up_to_its_total_is_refused_saying_so(tmp_path, demo_dir, typed, parts, total):
    """Which one is the count, the parts' sum or the total typed? The unit is asked, shown both."""
    cell = LEAD.cell(1, "inspections")
    _build(tmp_path, demo_dir, lambda wb: wb[LEAD.sheet].__setitem__(cell, typed))
    text = _one(read_and_check(tmp_path, load_plan()), LEAD, cell, "number.parts_mismatch", "error")
    assert f"cộng lại được {parts}, khác tổng {total}" in text


def test_an_unreadable_required_cell_still_excludes_its_row(tmp_path, demo_dir):
    cell = MODELS.cell(0, "start_year")
    path = _build(tmp_path, demo_dir, lambda wb: wb[MODELS.sheet].__setitem__(cell, "khoảng năm ấy"))
    checked = read_and_check(tmp_path, load_plan())
    _one(checked, MODELS, cell, "year.invalid", "error")
    typed = load_workbook(path)[MODELS.sheet]
    assert len(_rows_of(checked, "models", path.name)) == \
        sum(1 for i in range(40) if typed[MODELS.cell(i, "model_name")].value) - 1


# -- a year in a date-formatted cell ---------------------------------------------------------------------------

@pytest.mark.parametrize("typed", [dt.datetime(1905, 7, 13), dt.datetime(2021, 1, 1)])
def test_a_year_typed_into_a_date_formatted_cell_is_read_as_that_year_and_said(tmp_path, demo_dir, typed):
    """2021 typed into a cell formatted as a date is stored as day 2021 of Excel's calendar (13/07/1905); 1/1/2021
    typed there is a date of 2021. Both meant the year 2021: read, the unit told, the model kept."""
    cell = MODELS.cell(0, "start_year")

    def edit(wb):
        wb[MODELS.sheet][cell] = typed
        wb[MODELS.sheet][cell].number_format = "dd/mm/yyyy"
    path = _build(tmp_path, demo_dir, edit)
    checked = read_and_check(tmp_path, load_plan())
    text = _one(checked, MODELS, cell, "value.assumed", "warning")
    assert "đã hiểu là 2021" in text
    name = load_workbook(path)[MODELS.sheet][MODELS.cell(0, "model_name")].value
    models = _rows_of(checked, "models", path.name).set_index("model_name")
    assert models.at[name, "start_year"] == 2021


@pytest.mark.parametrize("code, typed", [
    ("2023H1", "T1-T6/2023"), ("2023H1", "Tháng 1-6/2023"), ("2023H1", "01/2023 - 06/2023"),
    ("2023H1", "Từ 01/01/2023 đến 30/06/2023"), ("2023H1", "Từ tháng 1 đến tháng 6/2023"), ("2023H1", "T01-T06/2023"),
    ("2023H1", "Tháng 01 - 06/2023"), ("2023H1", "Từ 1/2023 đến 6/2023"), ("2023H1", "Tháng 1-6 năm 2023"),
    ("2023H1", "T1-6/2023"), ("2023H1", "Quý I, II/2023"), ("2023H1", "Q1-Q2/2023"), ("2023H1", "01/01 – 30/6/2023"),
    ("2023H1", "từ ngày 01/01/2023 đến ngày 30/6/2023"), ("2021", "T1-T12/2021"), ("2021", "01/2021 - 12/2021"),
    ("2021", "Từ 01/01/2021 đến 31/12/2021"), ("2021", "Cả năm 2021"), ("2022", "Quý I đến quý IV năm 2022"),
    ("2022", "Năm 2022 (T1-T12)"), ("2023H1", "Tháng 6/2023"), ("2023H1", "T6/2023"), ("2021", "Tháng 3/2021"),
    ("2022", "12/2022")])
def test_a_period_written_as_its_months_is_that_period(tmp_path, demo_dir, code, typed):
    """A period written as its months, quarters or first and last days is the period with those months (`months` of
    each period in config/plan.toml; a whole year by default), one month alone the period it falls in: its row's
    counts are kept under that period, and the unit is told."""
    period = load_plan().label_of("periods", code)
    wb = load_workbook(demo_dir / "returns" / BASE)
    row = next(i for i in range(8) if wb[LEAD.sheet][LEAD.cell(i, "period")].value == period)
    cell = LEAD.cell(row, "period")
    plans = wb[LEAD.sheet][LEAD.cell(row, "plans_issued")].value
    path = _build(tmp_path, demo_dir, lambda wb: wb[LEAD.sheet].__setitem__(cell, typed))
    checked = read_and_check(tmp_path, load_plan())
    assert f"“{period}”" in _one(checked, LEAD, cell, "choice.assumed", "warning")
    assert _rows_of(checked, "leadership", path.name).set_index("period").loc[period, "plans_issued"] == int(plans)


def test_a_period_typed_as_a_month_that_excel_made_a_date_is_read_as_typed(tmp_path, demo_dir):
    """"6/2023" typed in the half-year's cell becomes the date 01/06/2023 in Excel (shown "Jun-23"): it is read as
    the text "6/2023" would be, that half-year, with a warning; not refused as a date in a list cell."""
    half = load_plan().label_of("periods", "2023H1")
    wb = load_workbook(demo_dir / "returns" / BASE)
    row = next(i for i in range(8) if wb[LEAD.sheet][LEAD.cell(i, "period")].value == half)
    cell = LEAD.cell(row, "period")
    plans = wb[LEAD.sheet][LEAD.cell(row, "plans_issued")].value

    def edit(wb):
        wb[LEAD.sheet][cell] = dt.datetime(2023, 6, 1)
        wb[LEAD.sheet][cell].number_format = "mmm-yy"

    path = _build(tmp_path, demo_dir, edit)
    checked = read_and_check(tmp_path, load_plan())
    assert f"“{half}”" in _one(checked, LEAD, cell, "choice.assumed", "warning")
    assert _rows_of(checked, "leadership", path.name).set_index("period").loc[half, "plans_issued"] == int(plans)


@pytest.mark.parametrize("typed", ["6 tháng đầu năm 2021", "T1-T6/2021", "T7-T12/2023", "Từ 15/01/2023 đến 30/6/2023",
                                   "6 tháng cuối năm 2023", "Tháng 8/2023", "Quý I/2023", "T4-T6/2023", "@9 T1-T6/2023"])
def test_a_period_the_review_does_not_have_is_refused_at_its_cell(tmp_path, demo_dir, typed):
    """Months or a year that make no period of the review are never read as the nearest one ("6 tháng đầu năm 2021"
    was read as "6 tháng đầu năm 2023", one figure apart): an error at the cell, and the row is not counted."""
    half = load_plan().label_of("periods", "2023H1")
    wb = load_workbook(demo_dir / "returns" / BASE)
    row = next(i for i in range(8) if wb[LEAD.sheet][LEAD.cell(i, "period")].value == half)
    cell = LEAD.cell(row, "period")
    path = _build(tmp_path, demo_dir, lambda wb: wb[LEAD.sheet].__setitem__(cell, typed))
    checked = read_and_check(tmp_path, load_plan())
    _one(checked, LEAD, cell, "choice.invalid", "error")
    assert half not in set(_rows_of(checked, "leadership", path.name)["period"])


@pytest.mark.parametrize("typed", ["Đảng ủy phường Phổ Văn", "Ban Dân vận Đảng ủy phường Phổ Văn", "Khối Dân vận phường Phổ Văn",
                                   "Ủy ban MTTQ Việt Nam phường Phổ Văn", "Đảng ủy - UBND phường Phổ Văn, thị xã Đức Phổ",
                                   "HĐND phường Phổ Văn"])
def test_a_unit_written_as_one_of_its_bodies_is_that_unit(tmp_path, demo_dir, typed):
    """The return of a ward that its Party committee, its Dân vận bloc or its Front prepared names that body: it is
    the ward's return (`[registry] bodies` in config/plan.toml), every row kept, and the unit is told at the cell."""
    cell = INFO.cell(0, "unit_name")
    path = _build(tmp_path, demo_dir, lambda wb: wb[INFO.sheet].__setitem__(cell, typed))
    checked = read_and_check(tmp_path, load_plan())
    assert checked.files.set_index("file").at[path.name, "status"] != "rejected"
    assert "“UBND phường Phổ Văn”" in _one(checked, INFO, cell, "unit.assumed", "warning")
    assert set(_rows_of(checked, "leadership", path.name)["unit_code"]) == {"pho_van"}
    assert len(_rows_of(checked, "leadership", path.name)) == len(load_plan().labels("periods"))


@pytest.mark.parametrize("typed", ["Ban Dân vận Thị ủy", "Trường THCS Phổ Văn", "Đảng ủy"])
def test_a_body_that_names_no_unit_of_the_registry_is_still_refused(tmp_path, demo_dir, typed):
    """Body words before nothing the registry knows, or a school named after the ward, never become a unit."""
    cell = INFO.cell(0, "unit_name")
    path = _build(tmp_path, demo_dir, lambda wb: wb[INFO.sheet].__setitem__(cell, typed))
    checked = read_and_check(tmp_path, load_plan())
    assert checked.files.set_index("file").at[path.name, "status"] == "rejected"
    _one(checked, INFO, cell, "unit.unknown", "error")


@pytest.mark.parametrize("typed", ["Không xếp loại", "Chưa xếp loại", "Không đánh giá", "Không"])
def test_not_classified_is_never_read_as_the_lowest_level(tmp_path, demo_dir, typed):
    """"Không xếp loại" (not classified that year) was read as "Không hoàn thành nhiệm vụ", the lowest level, once
    "xếp loại" was taken for a lead-in and "không" alone matched the one level that says it: refused at its cell,
    the year not counted at any level."""
    cell, year_cell = CLASS.cell(0, "classification_level"), CLASS.cell(0, "classification_year")
    year = load_workbook(demo_dir / "returns" / BASE)[CLASS.sheet][year_cell].value
    path = _build(tmp_path, demo_dir, lambda wb: wb[CLASS.sheet].__setitem__(cell, typed))
    checked = read_and_check(tmp_path, load_plan())
    _one(checked, CLASS, cell, "choice.invalid", "error")
    assert int(year) not in set(_rows_of(checked, "classification", path.name)["classification_year"])


@pytest.mark.parametrize("column, typed, code", [
    ("recognition_level", "Chưa", "NONE"), ("recognition_level", "Không được công nhận", "NONE"),
    ("recognition_level", "Không", "NONE"), ("recognition_level", "Chưa có", "NONE"),
    ("recognition_level", "Không có", "NONE")])
def test_not_recognised_written_short_is_still_not_recognised(plan, column, typed, code):
    from pipeline.check.validation import parser

    read, problem = parser(MODELS.column(column), plan)(typed)
    assert read == plan.label_of("recognition_levels", code) and problem.rule == "choice.assumed"


@pytest.mark.parametrize("typed, code", [("Ưu điểm", "achievements"), ("Mặt được", "achievements"),
                                         ("Khó khăn", "shortcomings"), ("Khuyết điểm", "shortcomings"),
                                         ("Hạn chế", "shortcomings"), ("Đề xuất", "recommendations")])
def test_an_assessment_topic_under_its_usual_other_name_is_that_topic(plan, typed, code):
    """"Ưu điểm" is what many reports call "Kết quả đạt được", "Khó khăn" sits with "Tồn tại, hạn chế" (aliases in
    config/plan.toml): read as that topic with a warning, the text kept under it."""
    from pipeline.check.validation import parser

    read, problem = parser(sheet_spec("assessment").column("topic"), plan)(typed)
    assert read == plan.label_of("assessment_topics", code) and problem.rule == "choice.assumed"


@pytest.mark.parametrize("column, vocab, typed, code", [
    ("field", "fields", "Xây dựng Đảng", "XDHTCT"), ("field", "fields", "Tài nguyên môi trường", "KT"),
    ("field", "fields", "Du lịch", "KT"), ("field", "fields", "Lao động, việc làm", "VHXH"),
    ("field", "fields", "Chuyển đổi số", "CCHC"),
    # another name typed with its punctuation or spaces changed is still that name
    ("content_area", "content_areas", "Khiếu nại tố cáo", "ND4"), ("field", "fields", "Tài nguyên - môi trường", "KT"),
    ("field", "fields", "Lao động việc làm", "VHXH")])
def test_a_sector_or_another_name_however_punctuated_is_its_list_value(plan, column, vocab, typed, code):
    """The sector a model works in names its field ("Xây dựng Đảng" is "Xây dựng hệ thống chính trị"; aliases in
    config/plan.toml), read with a warning; an alias is compared by its letters too, as every label is."""
    from pipeline.check.validation import parser

    read, problem = parser(MODELS.column(column), plan)(typed)
    assert read == plan.label_of(vocab, code) and problem.rule == "choice.assumed"
