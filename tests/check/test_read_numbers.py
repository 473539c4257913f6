"""How a number typed the way clerks type it is read: counts, shares of the staff, rates and scores.

Each case is a real return (a demo workbook written into the real template) with one or a few cells typed the way a
clerk types them; the test says what the unit and the analyst see (the value read into the tables, or the issue at
the cell). The cases are read together, each under a registry unit of its own (tests/check/clerk_batch.py).
"""
from __future__ import annotations

import subprocess
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from pipeline.check import read_and_check
from pipeline.config import load_plan
from pipeline.text import vn_number
from schemas import sheet_spec
from tests.check.clerk_batch import Job, only, read_together_once, typed_in
from tests.check.clerk_batch import issues_at as _issues_at, one as _one, rows_of as _rows_of
from tests.conftest import SOFFICE, needs_soffice

INFO, LEAD, MODELS, CLASS, IMPACT = (sheet_spec(n) for n in (
    "unit_info", "leadership", "models", "classification", "impact"))
BASE = "pho_van_bao_cao_so_ket.xlsx"             # a clean demo return, no proposal
WITH_PROPOSAL = "pho_phong_bao_cao_so_ket.xlsx"  # a collective proposal meeting every criterion
PCT_BASE = "pho_thuan_bao_cao_so_ket.xlsx"       # a clean demo return: no planted mistake, no proposal, 3 models
JOBS: dict[str, Job] = {}
ONE = [()]                                       # the one case of a test that is not parametrized


def _job(name: str, values: list, edit, base: str = BASE) -> list:
    JOBS[name] = Job(base, edit, values)
    return values


@pytest.fixture(scope="module")
def reads(tmp_path_factory, demo_dir, plan):
    """Every case of this module, read together: (job, values) -> its Read."""
    return read_together_once(tmp_path_factory, "numbers", demo_dir, plan, JOBS)





def _typed_models(path: Path) -> int:
    models = load_workbook(path)[MODELS.sheet]
    return sum(1 for i in range(40) if models[MODELS.cell(i, "model_name")].value)


# -- a number too large for a count -----------------------------------------------------------------------------

HUGE, PASTED = LEAD.cell(0, "propaganda_participants"), MODELS.cell(0, "beneficiaries")


def _huge(wb):
    wb[LEAD.sheet][HUGE] = 1e20
    wb[MODELS.sheet][PASTED] = "98512345609351234567"     # two phone numbers pasted without a space


_job("huge", ONE, _huge)


def test_a_huge_whole_number_is_an_error_at_its_cell_and_the_rest_of_the_file_is_read(reads):
    checked = only(reads, "huge")
    assert checked.files.set_index("file").at[checked.file, "status"] == "accepted_with_errors"
    text = _one(checked, LEAD, HUGE, "number.too_large", "error")          # a required count: the row waits
    assert "quá lớn" in text and "1.000.000" in text
    assert len(_rows_of(checked, "leadership", checked.file)) == len(LEAD.fixed_rows) - 1
    # An optional count (beneficiaries): the cell is left blank with a warning, the model is kept.
    text = _one(checked, MODELS, PASTED, "number.too_large", "warning")
    assert "quá lớn" in text and "để trống khi tổng hợp" in text
    models = load_workbook(checked.path)[MODELS.sheet]
    assert len(_rows_of(checked, "models", checked.file)) == _typed_models(checked.path)
    first = _rows_of(checked, "models", checked.file).set_index("model_name").loc[models[MODELS.cell(0, "model_name")].value]
    assert pd.isna(first["beneficiaries"])


# -- several numbers or a percentage in a count cell ------------------------------------------------------------

PARTICIPANTS = LEAD.cell(0, "propaganda_participants")


@pytest.mark.parametrize("typed", _job("several", ["22 buổi/1.320 lượt người", "5 tập thể và 12 cá nhân", "22 9 28",
                                                   "9 buổi x 39 người"], typed_in(LEAD, PARTICIPANTS)))
def test_a_count_cell_holding_several_numbers_is_an_error_asking_for_one(reads, typed):
    checked = reads["several", typed]
    text = _one(checked, LEAD, PARTICIPANTS, "number.several", "error")
    assert f"“{typed}”" in text and "nhiều số" in text and "một số" in text
    assert len(_rows_of(checked, "leadership", checked.file)) == len(LEAD.fixed_rows) - 1


NEWS = LEAD.cell(0, "news_items")


@pytest.mark.parametrize("typed,read", _job("one_number", [
    ("1.234", 1234), ("1.200 người", 1200), ("12 buổi", 12),
    # the column's own words, a semicolon or a footnote mark after the number
    ("25 tin, bài", 25), ("12;", 12), ("25*", 25), ("1.200 lượt;", 1200),
    # a list mark pasted from Word along with the number
    ("•\t12", 12), ("● 1.234", 1234)], typed_in(LEAD, NEWS)))
def test_one_number_with_thousands_groups_or_a_unit_is_still_read(reads, typed, read):
    checked = reads["one_number", (typed, read)]
    assert _issues_at(checked, LEAD, NEWS).empty
    rows = _rows_of(checked, "leadership", checked.file)
    assert read in set(rows["news_items"])


@pytest.mark.parametrize("typed,read,said", _job("spaced", [("120 150", 120150, "120.150"), ("1 234", 1234, "1.234"),
                                                            ("1\u00a0234 lượt", 1234, "1.234")],
                                                 typed_in(LEAD, PARTICIPANTS)))
def test_space_separated_digits_are_read_as_one_number_and_the_unit_is_told(reads, typed, read, said):
    """"120 150" is 120.150 in thousands groups, or the numbers 120 and 150 side by side: the figure is read as
    one number (as a spreadsheet shows "1 234") and the cell says how it was read, never silently."""
    checked = reads["spaced", (typed, read, said)]
    text = _one(checked, LEAD, PARTICIPANTS, "value.assumed", "warning")
    assert f"đã hiểu là {said}" in text
    rows = _rows_of(checked, "leadership", checked.file)
    assert len(rows) == len(LEAD.fixed_rows) and read in set(rows["propaganda_participants"])


@pytest.mark.parametrize("typed", _job("scientific", ["1e3", "2E5", "1,5e3"], typed_in(LEAD, PARTICIPANTS)))
def test_scientific_notation_typed_as_text_is_refused_not_read_as_its_first_digits(reads, typed):
    checked = reads["scientific", typed]
    text = _one(checked, LEAD, PARTICIPANTS, "number.invalid", "error")
    assert f"“{typed}”" in text
    assert len(_rows_of(checked, "leadership", checked.file)) == len(LEAD.fixed_rows) - 1


PARTICIPANTS_2 = LEAD.cell(1, "propaganda_participants")


_job("percent_in_count", [("90%",)], typed_in(LEAD, PARTICIPANTS_2))


def test_a_percentage_typed_in_a_count_cell_is_an_error(reads):
    checked = only(reads, "percent_in_count")
    text = _one(checked, LEAD, PARTICIPANTS_2, "number.percent_in_count", "error")
    assert "“90%”" in text and "tỷ lệ" in text
    assert len(_rows_of(checked, "leadership", checked.file)) == len(LEAD.fixed_rows) - 1   # that period is held back


REGISTERED = INFO.cell(0, "staff_registered")


@pytest.mark.parametrize("typed, share", _job("share", [
    ("100%", 100), ("95%", 95), ("100 %", 100), ("90% CBCCVC", 90),
    ("Tất cả", 100), ("Toàn thể CBCCVC", 100)], typed_in(INFO, REGISTERED)))   # everyone: the whole staff
def test_a_percentage_of_the_staff_registered_is_read_as_that_share_of_the_staff(reads, typed, share):
    """"100%" CBCCVC đăng ký thi đua is how reports say it: that share of the staff total typed above it."""
    checked = reads["share", (typed, share)]
    staff = load_workbook(checked.path)[INFO.sheet][INFO.cell(0, "staff_total")].value
    expected = round(staff * share / 100)
    text = _one(checked, INFO, REGISTERED, "number.share_assumed", "warning")
    assert f"đã hiểu là {vn_number(expected)} ({share}% của {vn_number(staff)}" in text
    info = _rows_of(checked, "unit_info", checked.file).iloc[0]
    assert info["staff_registered"] == expected and info["staff_total"] == staff


_job("everyone", [("Toàn bộ",)], typed_in(LEAD, PARTICIPANTS_2))


def test_everyone_typed_for_a_count_with_no_total_beside_it_asks_for_the_number(reads):
    text = _one(only(reads, "everyone"), LEAD, PARTICIPANTS_2, "number.everyone", "error")
    assert "“Toàn bộ”" in text and "hãy nhập số lượng" in text


def _percent_formatted(wb, stored, share):
    wb[INFO.sheet][REGISTERED] = stored
    wb[INFO.sheet][REGISTERED].number_format = "0%"


@pytest.mark.parametrize("stored, share", _job("percent_formatted", [(1, 100), (0.95, 95)], _percent_formatted))
def test_a_percent_formatted_staff_registered_cell_is_that_share_of_the_staff(reads, stored, share):
    """"100%" typed into a cell Excel formats as a percentage is stored as 1: not one person."""
    checked = reads["percent_formatted", (stored, share)]
    staff = load_workbook(checked.path)[INFO.sheet][INFO.cell(0, "staff_total")].value
    text = _one(checked, INFO, REGISTERED, "number.share_assumed", "warning")
    assert f"ghi “{share}%”" in text
    assert _rows_of(checked, "unit_info", checked.file).iloc[0]["staff_registered"] == round(staff * share / 100)


_job("share_above_100", [("120%",)], typed_in(INFO, REGISTERED))


def test_a_share_above_100_percent_of_the_staff_is_still_an_error(reads):
    checked = only(reads, "share_above_100")
    _one(checked, INFO, REGISTERED, "number.percent_in_count", "error")
    assert pd.isna(_rows_of(checked, "unit_info", checked.file).iloc[0]["staff_registered"])


# -- "0,966", "96,666": fractions, decimals and rates -------------------------------------------------------------

ON_TIME, SATISFIED = IMPACT.cell(0, "on_time_procedures_pct"), IMPACT.cell(0, "satisfaction_pct")
SCORE = CLASS.cell(0, "score")


def _fraction_and_decimals(wb):
    wb[IMPACT.sheet][ON_TIME] = "0,966"
    wb[IMPACT.sheet][SATISFIED] = "96,666"
    wb[CLASS.sheet][SCORE] = "96,666"


_job("fraction", ONE, _fraction_and_decimals)


def test_a_typed_fraction_is_a_fraction_and_a_three_decimal_rate_is_a_decimal(reads):
    checked = only(reads, "fraction")
    text = _one(checked, IMPACT, ON_TIME, "percent.fraction", "warning")
    assert "96,6" in text and "ngoài khoảng" not in text
    for spec, cell in ((IMPACT, SATISFIED), (CLASS, SCORE)):
        text = _one(checked, spec, cell, "number.decimal_assumed", "warning")
        assert "96,666" in text and "96.666" in text
    impact = _rows_of(checked, "impact", checked.file).iloc[0]
    assert impact["satisfaction_pct"] == pytest.approx(96.666)
    scores = _rows_of(checked, "classification", checked.file)["score"]
    assert any(s == pytest.approx(96.666) for s in scores)


def _rate_and_target(wb, typed, *_):
    wb[IMPACT.sheet][ON_TIME] = typed
    wb[IMPACT.sheet][SATISFIED] = "Chỉ tiêu 100%"     # the target, not the result: the unit must give the rate


@pytest.mark.parametrize("typed, read, said", _job("rate_words", [("Đạt 96,5%", 96.5, "96,5"), ("Tỷ lệ: 98 %", 98.0, "98")],
                                                   _rate_and_target))
def test_a_rate_with_words_before_it_is_read_and_a_target_is_not(reads, typed, read, said):
    checked = reads["rate_words", (typed, read, said)]
    assert f"đã hiểu là {said}" in _one(checked, IMPACT, ON_TIME, "value.assumed", "warning")
    _one(checked, IMPACT, SATISFIED, "number.invalid", "error")
    impact = _rows_of(checked, "impact", checked.file).iloc[0]
    assert impact["on_time_procedures_pct"] == pytest.approx(read) and pd.isna(impact["satisfaction_pct"])


def _bare_fraction(wb):
    wb[IMPACT.sheet][SATISFIED] = 0.9
    wb[IMPACT.sheet][SATISFIED].number_format = "General"


_job("bare_fraction", ONE, _bare_fraction)


def test_a_bare_fraction_in_an_xlsx_keeps_its_existing_reading(reads):
    checked = only(reads, "bare_fraction")
    _one(checked, IMPACT, SATISFIED, "percent.fraction", "warning")
    assert _rows_of(checked, "impact", checked.file).iloc[0]["satisfaction_pct"] == pytest.approx(0.9)


def _percent_sign(wb):
    ws = wb[IMPACT.sheet]
    ws[ON_TIME] = 0.966            # what Excel stores for "96,6%"
    ws[ON_TIME].number_format = "0.0%"
    ws[SATISFIED] = 0.9            # a bare fraction: the unit is asked to confirm
    ws[SATISFIED].number_format = "General"


_job("percent_sign", ONE, _percent_sign, base=PCT_BASE)


def test_percent_typed_with_a_percent_sign_is_read_as_percent(reads):
    checked = only(reads, "percent_sign")
    row = checked.tables["impact"].iloc[0]
    assert row["on_time_procedures_pct"] == pytest.approx(96.6)
    assert _issues_at(checked, IMPACT, ON_TIME).empty
    text = _one(checked, IMPACT, SATISFIED, "percent.fraction", "warning")
    assert "ví dụ 90 cho 90%" in text   # the fraction read on the 0–100 scale, as the unit should type it
    assert row["satisfaction_pct"] == pytest.approx(0.9)


_job("score_out_of_100", [("92,1/100",)], typed_in(CLASS, SCORE), base=WITH_PROPOSAL)


def test_a_score_typed_out_of_100_is_read(reads):
    checked = only(reads, "score_out_of_100")
    assert _issues_at(checked, CLASS, SCORE).empty
    rows = _rows_of(checked, "classification", checked.file)
    assert len(rows) == len(CLASS.fixed_rows)
    assert any(s == pytest.approx(92.1) for s in rows["score"])


# -- percent cells of .ods/.xls returns -----------------------------------------------------------------------------

def _build(folder: Path, demo_dir: Path, edit, base: str = BASE) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    wb = load_workbook(demo_dir / "returns" / base)
    edit(wb)
    path = folder / base
    wb.save(path)
    return path


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


# -- an unreadable optional cell -----------------------------------------------------------------------------------

DATE_CELL, PEOPLE_CELL = MODELS.cell(0, "recognition_date"), MODELS.cell(1, "beneficiaries")


def _unreadable_optional(wb):
    wb[MODELS.sheet][DATE_CELL] = "2023"
    wb[MODELS.sheet][PEOPLE_CELL] = "rất đông"


_job("unreadable_optional", ONE, _unreadable_optional)


def test_an_unreadable_optional_cell_is_left_blank_and_its_model_kept(reads):
    checked = only(reads, "unreadable_optional")
    for cell, rule in ((DATE_CELL, "date.invalid"), (PEOPLE_CELL, "number.invalid")):
        text = _one(checked, MODELS, cell, rule, "warning")
        assert "để trống khi tổng hợp" in text and "các ô khác của dòng vẫn được tổng hợp" in text
    models = _rows_of(checked, "models", checked.file)
    typed = load_workbook(checked.path)[MODELS.sheet]
    assert len(models) == sum(1 for i in range(40) if typed[MODELS.cell(i, "model_name")].value)
    kept = models.set_index("model_name").loc[typed[MODELS.cell(1, "model_name")].value]
    assert pd.isna(kept["beneficiaries"])


# -- none, about, the parts of a count ----------------------------------------------------------------------------

INSPECTIONS = LEAD.cell(1, "inspections")


@pytest.mark.parametrize("typed, read", _job("none_or_about", [
    ("-", 0), ("—", 0), ("Không", 0), ("không có", 0), ("Chưa tổ chức", 0),
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
    ("(12)", 12), ("Không (0)", 0), ("0 (chưa có)", 0), ("0 - không có", 0)], typed_in(LEAD, INSPECTIONS)))
def test_none_or_an_approximate_count_in_a_count_cell_is_read_and_the_row_kept(reads, typed, read):
    """The help says "nhập 0 nếu không có": a dash or "không" in a required count is 0, and "khoảng 25" is 25,
    each with a warning saying what was read; the rest of the row (the period's other counts) is counted."""
    checked = reads["none_or_about", (typed, read)]
    ws = load_workbook(checked.path)[LEAD.sheet]
    period, plans = ws[LEAD.cell(1, "period")].value, ws[LEAD.cell(1, "plans_issued")].value
    text = _one(checked, LEAD, INSPECTIONS, "value.assumed", "warning")
    assert f"đã hiểu là {vn_number(read)}" in text
    row = _rows_of(checked, "leadership", checked.file).set_index("period").loc[period]
    assert row["inspections"] == read and row["plans_issued"] == plans


RATE, COUNT = IMPACT.cell(0, "on_time_procedures_pct"), MODELS.cell(0, "beneficiaries")


def _not_applicable(wb, typed):
    wb[IMPACT.sheet][RATE] = typed
    wb[MODELS.sheet][COUNT] = "N/A"


@pytest.mark.parametrize("typed", _job("not_applicable", ["N/A", "Không áp dụng", "không phát sinh", "-", "Không có TTHC",
                                                          "chưa khảo sát"], _not_applicable))
def test_not_applicable_in_an_optional_rate_is_left_blank_with_a_warning_not_an_error(reads, typed):
    """The help says "để trống nếu đơn vị không giải quyết TTHC": a unit that says so in words has no rate (not
    0%), the return has no error, and its other fields are read."""
    checked = reads["not_applicable", typed]
    typed_wb = load_workbook(checked.path)
    assert "không có thông tin này" in _one(checked, IMPACT, RATE, "value.not_applicable", "warning")
    _one(checked, MODELS, COUNT, "value.not_applicable", "warning")
    assert not (checked.issues["severity"] == "error").any(), checked.issues[["cell", "rule", "message"]]
    impact = _rows_of(checked, "impact", checked.file).iloc[0]
    assert pd.isna(impact["on_time_procedures_pct"])
    assert impact["satisfaction_pct"] == typed_wb[IMPACT.sheet][IMPACT.cell(0, "satisfaction_pct")].value
    models = _rows_of(checked, "models", checked.file).sort_values("excel_row")
    assert pd.isna(models.iloc[0]["beneficiaries"]) and len(models) == \
        sum(1 for i in range(40) if typed_wb[MODELS.sheet][MODELS.cell(i, "model_name")].value)


@pytest.mark.parametrize("typed", _job("no_number", ["trên 100", "khoảng", "x", "?", "12 (dự kiến)", "12 (3 đột xuất)",
                                                     "12 cuộc (trong đó 3 đột xuất); 40 lượt", "9 + ", "9 + khoảng 3"],
                                       typed_in(LEAD, INSPECTIONS)))
def test_a_count_that_is_no_number_is_still_refused(reads, typed):
    _one(reads["no_number", typed], LEAD, INSPECTIONS, "number.invalid", "error")


@pytest.mark.parametrize("typed, parts, total", _job("parts_mismatch", [("9+3=13", "12", "13"),
                                                                        ("12 (9 kiểm tra, 4 giám sát)", "13", "12")],
                                                     typed_in(LEAD, INSPECTIONS)))
def test_a_count_whose_parts_do_not_add_up_to_its_total_is_refused_saying_so(reads, typed, parts, total):
    """Which one is the count, the parts' sum or the total typed? The unit is asked, shown both."""
    text = _one(reads["parts_mismatch", (typed, parts, total)], LEAD, INSPECTIONS, "number.parts_mismatch", "error")
    assert f"cộng lại được {parts}, khác tổng {total}" in text


# -- formulas ---------------------------------------------------------------------------------------------------

FORMULA = LEAD.cell(1, "news_items")


_job("formula", [("=B5+C5",)], typed_in(LEAD, FORMULA), base=PCT_BASE)


def test_a_formula_saved_without_its_value_is_reported_at_its_cell(reads):
    checked = only(reads, "formula")
    text = _one(checked, LEAD, FORMULA, "formula.no_value", "error")
    assert _issues_at(checked, LEAD, FORMULA)["value"].tolist() == ["(công thức chưa có kết quả)"]
    assert "Excel hoặc LibreOffice" in text
