"""How a date or a year typed the way clerks type them is read: the report date (and with it lateness), the date a
model was recognised, the year it started and the years of the classification.

Each case is a real return (a demo workbook written into the real template) with one or a few cells typed the way a
clerk types them; the cases are read together, each under a registry unit of its own (tests/check/clerk_batch.py).
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from openpyxl import load_workbook

from pipeline.check import read_and_check
from pipeline.config import load_plan
from schemas import sheet_spec
from tests.check.clerk_batch import Job, only, read_together_once, typed_in
from tests.check.clerk_batch import issues_at as _issues_at, one as _one, rows_of as _rows_of

INFO, LEAD, MODELS, CLASS = (sheet_spec(n) for n in ("unit_info", "leadership", "models", "classification"))
BASE = "pho_van_bao_cao_so_ket.xlsx"             # a clean demo return, no proposal
HABITS_BASE = "pho_thuan_bao_cao_so_ket.xlsx"    # a clean demo return: no planted mistake, no proposal, 3 models
JOBS: dict[str, Job] = {}
ONE = [()]                                       # the one case of a test that is not parametrized


def _job(name: str, values: list, edit, base: str = BASE) -> list:
    JOBS[name] = Job(base, edit, values)
    return values


@pytest.fixture(scope="module")
def reads(tmp_path_factory, demo_dir, plan):
    """Every case of this module, read together: (job, values) -> its Read."""
    return read_together_once(tmp_path_factory, "dates", demo_dir, plan, JOBS)





# -- the report date written the way documents write it -----------------------------------------------------------

REPORT_DATE = INFO.cell(0, "report_date")


@pytest.mark.parametrize("typed", _job("date_line", [
    "Đức Phổ, ngày 14 tháng 6 năm 2023", "14/6/2023.", "14/06/2023 08:30", "Phổ Văn, ngày 14/6/2023", "14 tháng 6, 2023",
    # Word's en dash, a hyphen from a PDF, a list mark pasted along
    "14–6–2023", "14 – 06 – 2023", "14‐6‐2023", "•\t14/6/2023"], typed_in(INFO, REPORT_DATE)))
def test_a_report_date_inside_a_place_and_date_line_is_read(reads, typed):
    checked = reads["date_line", typed]
    assert _issues_at(checked, INFO, REPORT_DATE).empty
    sub = checked.submissions.set_index("unit_code").loc[checked.code]
    assert sub["status"] == "on_time" and sub["report_date"] == dt.date(2023, 6, 14)


@pytest.mark.parametrize("typed", _job("month_first", [
    "06/14/2023", "6/14/23", "14/6", "14/06", "ngày 14 tháng 6", "Đức Phổ, ngày 14/6", "14-6", "45091", " 45091"],
    typed_in(INFO, REPORT_DATE)))
def test_a_report_date_typed_month_first_without_its_year_or_as_its_serial_is_read_and_the_unit_is_told(reads, typed):
    """A computer set to English writes month first; 14 cannot be a month, so 06/14/2023 is 14 June. The report
    is signed in the year of the deadline (15/6/2023): "14/6" is 14/06/2023. A date pasted into a text-formatted
    cell shows as its serial, 45091 (days from 30/12/1899): 14/06/2023. Each time the unit is told."""
    checked = reads["month_first", typed]
    assert "đã hiểu là 14/06/2023" in _one(checked, INFO, REPORT_DATE, "value.assumed", "warning")
    sub = checked.submissions.set_index("unit_code").loc[checked.code]
    assert sub["status"] == "on_time" and sub["report_date"] == dt.date(2023, 6, 14)


_job("two_dates", [("14/6/2023 hoặc 20/6/2023",)], typed_in(INFO, REPORT_DATE))


def test_a_cell_with_two_dates_is_still_refused(reads):
    _one(only(reads, "two_dates"), INFO, REPORT_DATE, "date.invalid", "error")


@pytest.mark.parametrize("typed,rule", _job("blank_or_unreadable", [(None, "required.missing"),
                                                                   ("không rõ", "date.invalid")],
                                            typed_in(INFO, REPORT_DATE), base=HABITS_BASE))
def test_blank_or_unreadable_report_date_is_an_error_and_the_unit_is_date_unknown(reads, typed, rule):
    checked = reads["blank_or_unreadable", (typed, rule)]
    _one(checked, INFO, REPORT_DATE, rule, "error")
    sub = checked.submissions.set_index("unit_code")
    assert sub.at[checked.code, "status"] == "date_unknown"
    # The unit still reported: its other figures are read.
    assert len(checked.tables["leadership"]) == len(LEAD.fixed_rows)
    assert checked.tables["unit_info"].iloc[0]["staff_total"] > 0


@pytest.mark.parametrize("typed,rule,named", _job("implausible", [
    (dt.datetime(2023, 12, 6), "report_date.swapped", "12/06/2023"),   # 12/06/2023 typed on an English computer
    (dt.datetime(2021, 6, 10), "report_date.too_early", "01/01/2023"),
    (dt.datetime(2099, 6, 10), "report_date.future", None),
    (dt.datetime(2024, 6, 14), "report_date.year", "14/06/2023"),      # the next year's number typed by habit
], typed_in(INFO, REPORT_DATE), base=HABITS_BASE))
def test_implausible_report_date_gets_a_warning_naming_the_likely_date(reads, typed, rule, named):
    text = _one(reads["implausible", (typed, rule, named)], INFO, REPORT_DATE, rule, "warning")
    if named:
        assert named in text


def test_report_date_typed_as_text_decides_lateness_like_a_date(tmp_path, demo_dir):
    """Three units' returns in one folder: which unit is late is the point, so they are read on their own."""
    def build(name, unit, typed):
        wb = load_workbook(demo_dir / "returns" / HABITS_BASE)
        wb[INFO.sheet][INFO.cell(0, "unit_name")] = unit
        wb[INFO.sheet][REPORT_DATE] = typed
        wb.save(tmp_path / name)
    build("a.xlsx", "UBND xã Phổ An", "15/6/2023")
    build("b.xlsx", "UBND xã Phổ Khánh", dt.datetime(2023, 6, 15))
    build("c.xlsx", "UBND xã Phổ Thuận", "14/06/2023")
    sub = read_and_check(tmp_path, load_plan()).submissions.set_index("unit_code")["status"]
    # "trước ngày 15/6/2023": the deadline day itself is late by default.
    assert sub["pho_an"] == sub["pho_khanh"] == "late" and sub["pho_thuan"] == "on_time"


# -- the date a model was recognised -------------------------------------------------------------------------------

RECOGNISED = MODELS.cell(0, "recognition_date")
_job("no_year", [("15/6",)], typed_in(MODELS, RECOGNISED))


def test_a_recognition_date_without_its_year_is_left_blank_asking_for_the_year_and_the_model_kept(reads):
    """No year goes without saying for a model's recognition: the cell is left blank, the unit asked for it."""
    checked = only(reads, "no_year")
    assert "thiếu năm" in _one(checked, MODELS, RECOGNISED, "date.no_year", "warning")
    name = load_workbook(checked.path)[MODELS.sheet][MODELS.cell(0, "model_name")].value
    kept = _rows_of(checked, "models", checked.file).set_index("model_name").loc[name]
    assert pd.isna(kept["recognition_date"])


EMAIL = INFO.cell(0, "email")


def _none_typed(wb, typed):
    wb[INFO.sheet][EMAIL] = typed
    wb[MODELS.sheet][RECOGNISED] = typed


@pytest.mark.parametrize("typed", _job("none_typed", ["Không có", "Chưa có", "-", "N/A", "không"], _none_typed))
def test_none_typed_in_an_optional_address_or_date_is_left_blank_with_a_warning_not_an_error(reads, typed):
    """A unit with no e-mail address, or a model with no decision date yet, says so in words: no value, told how
    to give one, and no error (a required phone number stays required)."""
    checked = reads["none_typed", typed]
    typed_wb = load_workbook(checked.path)
    assert "thư điện tử" in _one(checked, INFO, EMAIL, "value.not_applicable", "warning")
    assert "ngày/tháng/năm" in _one(checked, MODELS, RECOGNISED, "value.not_applicable", "warning")
    assert not (checked.issues["severity"] == "error").any(), checked.issues[["cell", "rule", "message"]]
    assert pd.isna(_rows_of(checked, "unit_info", checked.file).iloc[0]["email"])
    models = _rows_of(checked, "models", checked.file).sort_values("excel_row")
    assert pd.isna(models.iloc[0]["recognition_date"]) and len(models) == \
        sum(1 for i in range(40) if typed_wb[MODELS.sheet][MODELS.cell(i, "model_name")].value)


# -- years ---------------------------------------------------------------------------------------------------------

START = MODELS.cell(0, "start_year")


@pytest.mark.parametrize("typed, read", _job("short_year", [("21", 2021), ("'22", 2022), ("Năm 21", 2021),
                                                            ("2021/2022", 2021)], typed_in(MODELS, START)))
def test_a_start_year_typed_short_or_as_a_school_year_is_read_and_the_unit_is_told(reads, typed, read):
    checked = reads["short_year", (typed, read)]
    assert f"đã hiểu là {read}" in _one(checked, MODELS, START, "value.assumed", "warning")
    name = load_workbook(checked.path)[MODELS.sheet][MODELS.cell(0, "model_name")].value
    assert _rows_of(checked, "models", checked.file).set_index("model_name").loc[name, "start_year"] == read


_job("year_bounds", [(2019,)], typed_in(MODELS, START))


def test_year_bounds_are_written_without_a_thousands_separator(reads):
    text = _one(only(reads, "year_bounds"), MODELS, START, "range.out_of_bounds", "error")
    assert "từ 2020 đến 2023" in text and "2.020" not in text


_job("unreadable_required", [("khoảng năm ấy",)], typed_in(MODELS, START))


def test_an_unreadable_required_cell_still_excludes_its_row(reads):
    checked = only(reads, "unreadable_required")
    _one(checked, MODELS, START, "year.invalid", "error")
    typed = load_workbook(checked.path)[MODELS.sheet]
    assert len(_rows_of(checked, "models", checked.file)) == \
        sum(1 for i in range(40) if typed[MODELS.cell(i, "model_name")].value) - 1


def _date_formatted(wb, typed):
    wb[MODELS.sheet][START] = typed
    wb[MODELS.sheet][START].number_format = "dd/mm/yyyy"


@pytest.mark.parametrize("typed", _job("year_as_date", [dt.datetime(1905, 7, 13), dt.datetime(2021, 1, 1)],
                                       _date_formatted))
def test_a_year_typed_into_a_date_formatted_cell_is_read_as_that_year_and_said(reads, typed):
    """2021 typed into a cell formatted as a date is stored as day 2021 of Excel's calendar (13/07/1905); 1/1/2021
    typed there is a date of 2021. Both meant the year 2021: read, the unit told, the model kept."""
    checked = reads["year_as_date", typed]
    text = _one(checked, MODELS, START, "value.assumed", "warning")
    assert "đã hiểu là 2021" in text
    name = load_workbook(checked.path)[MODELS.sheet][MODELS.cell(0, "model_name")].value
    models = _rows_of(checked, "models", checked.file).set_index("model_name")
    assert models.at[name, "start_year"] == 2021


OK_YEAR, BAD_YEAR = MODELS.cell(0, "start_year"), MODELS.cell(1, "start_year")


def _year_words(wb):
    wb[MODELS.sheet][OK_YEAR] = "Năm 2021"
    wb[MODELS.sheet][BAD_YEAR] = "hai nghìn"


_job("year_words", ONE, _year_words, base=HABITS_BASE)


def test_a_year_with_words_around_it_is_read_with_a_warning(reads):
    checked = only(reads, "year_words")
    assert "2021" in _one(checked, MODELS, OK_YEAR, "value.assumed", "warning")
    assert "ví dụ 2021" in _one(checked, MODELS, BAD_YEAR, "year.invalid", "error")
    models = checked.tables["models"].set_index("excel_row")
    assert models.at[4, "start_year"] == 2021 and 5 not in models.index


FIRST_YEAR, SECOND_YEAR = CLASS.cell(0, "classification_year"), CLASS.cell(1, "classification_year")


def _unreadable_years(wb):
    wb[CLASS.sheet][FIRST_YEAR] = 1e15
    wb[CLASS.sheet][SECOND_YEAR] = "năm thứ hai của giai đoạn, tính từ khi triển khai kế hoạch"


_job("unreadable_years", ONE, _unreadable_years)


def test_two_unreadable_years_in_the_classification_keep_the_return_and_the_third_year(reads):
    """Found by the random fuzz: two key cells that cannot be read were taken for a repeated row and the
    duplicate check crashed on them ("lỗi chương trình"), rejecting the whole return."""
    checked = only(reads, "unreadable_years")
    third = load_workbook(checked.path)[CLASS.sheet][CLASS.cell(2, "classification_year")].value
    assert checked.files.set_index("file").at[checked.file, "status"] == "accepted_with_errors"
    for cell in (FIRST_YEAR, SECOND_YEAR):
        assert set(_issues_at(checked, CLASS, cell)["severity"]) == {"error"}
    assert _rows_of(checked, "classification", checked.file)["classification_year"].tolist() == [third]
