"""Issue 27: every comparison of a reading or counting rule of the check stage, tried at its boundary, one below
and one above, through the public function that applies it. What is asserted is what the unit sees: the value
read, the rule code and the cell of the issue. Thresholds the rule takes from config/plan.toml are read from
`load_plan()`; the others are the module's own constants."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest

from pipeline.check import values as V
from pipeline.check.units import report_date_warnings
from pipeline.check.validation import parser, validate
from pipeline.config import load_plan
from pipeline.matching import month_span
from pipeline.read.sources import RawSheet, SourceFile
from schemas import sheet_spec
from schemas.rules import Rule

PLAN = load_plan()
DAYS = PLAN.swapped_date_days             # config [review] swapped_date_days
DEADLINE = PLAN.deadline
FMT = "%d/%m/%Y"


def _rule(problem):
    return None if problem is None else problem.rule


def _with_deadline(deadline: dt.date):
    """The plan with another deadline (every other setting, swapped_date_days among them, as configured)."""
    return dataclasses.replace(PLAN, raw={**PLAN.raw, "review": {**PLAN.raw["review"], "deadline": deadline}},
                               _lookup={})


# -- values.py ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed, year, rule", [
    (9, 9, None),                          # below: no short year (the range check of the column refuses it)
    (10, 2010, Rule.VALUE_ASSUMED),        # the lower bound itself
    (11, 2011, Rule.VALUE_ASSUMED),
    (98, 2098, Rule.VALUE_ASSUMED),
    (99, 2099, Rule.VALUE_ASSUMED),        # the upper bound itself
    (100, 100, None),                      # above: no short year
    ("'10", 2010, Rule.VALUE_ASSUMED),     # typed as text, the same
    ("99", 2099, Rule.VALUE_ASSUMED),
    ("100", 100, None),
])
def test_a_two_digit_year_is_read_in_the_2000s_from_10_to_99_only(typed, year, rule):
    got, problem = V.parse_year(typed)
    assert (got, _rule(problem)) == (year, rule)
    if rule is not None:
        assert problem.read_by == "short_year" and problem.details["assumed"] == str(year)


@pytest.mark.parametrize("typed, rule", [(V.MAX_WHOLE - 1, None), (V.MAX_WHOLE, Rule.NUMBER_TOO_LARGE),
                                         (V.MAX_WHOLE + 1, Rule.NUMBER_TOO_LARGE),
                                         (-(V.MAX_WHOLE - 1), None), (-V.MAX_WHOLE, Rule.NUMBER_TOO_LARGE)])
def test_a_count_of_max_whole_or_more_is_no_count(typed, rule):
    got, problem = V.parse_int(typed)
    assert (got, _rule(problem)) == ((typed, None) if rule is None else (None, rule))


TOP = sheet_spec("impact").column("on_time_procedures_pct").max    # the rate columns' top (100)


@pytest.mark.parametrize("typed, read, rule", [
    ("99,999", 99.999, Rule.NUMBER_DECIMAL_ASSUMED),   # 99999 cannot be a rate: three decimals
    ("100,000", 100.0, Rule.NUMBER_DECIMAL_ASSUMED),   # the top itself, read as a decimal
    ("100,001", 100001.0, None),                       # 100.001 is over the top too: left as typed (range error later)
    ("100", 100.0, None),                              # the top typed plainly
])
def test_a_thousands_group_in_a_rate_is_a_decimal_only_up_to_the_column_s_top(typed, read, rule):
    got, problem = V.parse_bounded(typed, TOP)
    assert (got, _rule(problem)) == (read, rule)


@pytest.mark.parametrize("typed, read, rule", [("999", 999.0, None), ("1.000", 1000.0, None),
                                               ("1.001", 1.001, Rule.NUMBER_DECIMAL_ASSUMED)])
def test_a_number_at_the_top_of_its_column_is_kept_as_typed(typed, read, rule):
    """A column whose top is 1000 (none of this template's): "1.000" is the top itself, read as thousands."""
    got, problem = V.parse_bounded(typed, 1000)
    assert (got, _rule(problem)) == (read, rule)


@pytest.mark.parametrize("typed, read", [
    (dt.date(1989, 12, 31), None), (V.DATE_MIN, V.DATE_MIN), (dt.date(1990, 1, 2), dt.date(1990, 1, 2)),
    (dt.date(2100, 12, 30), dt.date(2100, 12, 30)), (V.DATE_MAX, V.DATE_MAX), (dt.date(2101, 1, 1), None),
    (dt.datetime(1990, 1, 1, 8, 30), V.DATE_MIN),
    # the same bounds typed as text and as Excel serials
    ("31/12/1989", None), ("01/01/1990", V.DATE_MIN), ("31/12/2100", V.DATE_MAX), ("01/01/2101", None),
    (32873, None), (32874, V.DATE_MIN), (32875, dt.date(1990, 1, 2)),
    (73414, dt.date(2100, 12, 30)), (73415, V.DATE_MAX), (73416, None),
])
def test_a_date_is_read_from_date_min_to_date_max_only(typed, read):
    got, problem = V.parse_date(typed)
    assert got == read
    assert _rule(problem) == (Rule.DATE_INVALID if read is None else None)


@pytest.mark.parametrize("typed, read, swapped", [
    ("06/12/2023", dt.date(2023, 12, 6), False),   # month 12: day first, as typed
    ("06/13/2023", dt.date(2023, 6, 13), True),    # month 13: month first, swapped and said
    ("11/13/2023", dt.date(2023, 11, 13), True),   # day 11, 12, 13 with month 13
    ("12/13/2023", dt.date(2023, 12, 13), True),   # day 12: still a month once swapped
    ("13/13/2023", None, False),                   # day 13 as well: no date either way
    ("13/12/2023", dt.date(2023, 12, 13), False),
])
def test_day_and_month_are_swapped_only_when_the_month_is_over_12_and_the_day_is_not(typed, read, swapped):
    got, problem = V.parse_date(typed)
    assert got == read
    if read is None:
        assert _rule(problem) == Rule.DATE_INVALID
    elif swapped:
        assert (_rule(problem), problem.read_by, problem.details["assumed"]) == (
            Rule.VALUE_ASSUMED, "month_first", read.strftime(FMT))
    else:
        assert problem is None


@pytest.mark.parametrize("typed, read, rule", [
    ("25 (25 CBCC)", None, Rule.NUMBER_INVALID),          # one part in brackets: a part, or another count?
    ("25 (20 CBCC, 5 HĐ)", 25, Rule.VALUE_ASSUMED),       # two parts adding up to the total
    ("25 (20 CBCC, 3 HĐ, 2 khác)", 25, Rule.VALUE_ASSUMED),
])
def test_a_count_with_its_parts_in_brackets_needs_two_parts_or_more(typed, read, rule):
    got, problem = V.parse_int(typed)
    assert (got, _rule(problem)) == (read, rule)


@pytest.mark.parametrize("typed, several", [
    ("1. Mô hình A", None),
    ("1. Mô hình A\n2. Mô hình B", 2),
    ("1. Mô hình A\n2. Mô hình B\n3. Mô hình C", 3),
])
def test_a_text_is_a_list_from_two_marked_lines_on(typed, several):
    got, problem = V.parse_one_item(typed, "warning")
    assert got is not None
    if several is None:
        assert problem is None
    else:
        assert (_rule(problem), problem.details["count"]) == (Rule.TEXT_SEVERAL, several)


# -- matching.py: a period written as its months ---------------------------------------------------------------

PERIOD = parser(sheet_spec("leadership").column("period"), PLAN)
HALF = next((y, first, last) for (y, first, last) in PLAN.period_spans() if (first, last) != (1, 12))
HALF_LABEL = PLAN.period_spans()[HALF]


MONTHS = [(m, inside) for m, inside in [(HALF[1] - 1, False), (HALF[1], True), (HALF[1] + 1, True),
                                       (HALF[2] - 1, True), (HALF[2], True), (HALF[2] + 1, False)] if 1 <= m <= 12]


@pytest.mark.parametrize("month, inside", MONTHS)
def test_a_single_month_is_in_the_period_whose_months_hold_it(month, inside):
    """The config's part-year period (months 1 to 6 of 2023): its last month and the one after it."""
    year = HALF[0]
    label, problem = PERIOD(f"Tháng {month}/{year}")
    if inside:
        assert (label, _rule(problem), problem.read_by) == (HALF_LABEL, Rule.CHOICE_ASSUMED, "months")
    else:
        assert (label, _rule(problem)) == (None, Rule.CHOICE_INVALID)


@pytest.mark.parametrize("typed, span", [
    ("Tháng 0 năm 2023", None), ("Tháng 1 năm 2023", (2023, 1, 1)), ("Tháng 12 năm 2023", (2023, 12, 12)),
    ("Tháng 13 năm 2023", None), ("T1-T12/2023", (2023, 1, 12)), ("T1-T13/2023", None), ("T0-T6/2023", None),
    ("Quý IV/2023", (2023, 10, 12)), ("Quý 4 năm 2023", (2023, 10, 12)), ("Quý 5 năm 2023", None),
    # a quarter written before "/year" is a quarter, not a month
    ("Quý 4/2023", (2023, 10, 12)), ("Q4/2023", (2023, 10, 12)), ("Quý 3, 4/2023", (2023, 7, 12)),
    ("Quý 5/2023", None), ("Tháng 4/2023", (2023, 4, 4)),
])
def test_a_month_span_holds_months_1_to_12_only(typed, span):
    assert month_span(typed) == span


# -- units.py: report-date warnings ----------------------------------------------------------------------------

@pytest.mark.parametrize("offset, future", [(-1, False), (0, False), (1, True)])
def test_a_report_date_is_in_the_future_from_the_day_after_today(monkeypatch, offset, future):
    today = dt.date(DEADLINE.year, 6, 20)
    monkeypatch.setenv("DVK_TODAY", today.isoformat())
    date = today + dt.timedelta(days=offset)      # 19, 20, 21 June: days over 12, never swapped
    expected = [(Rule.REPORT_DATE_FUTURE, {"today": today.strftime(FMT)})] if future else []
    assert report_date_warnings(date, PLAN) == expected


@pytest.mark.parametrize("offset, early", [(-1, True), (0, False), (1, False)])
def test_a_report_date_is_too_early_before_the_earliest_day_only(monkeypatch, offset, early):
    earliest = PLAN.earliest_report_date
    monkeypatch.setenv("DVK_TODAY", DEADLINE.replace(month=12, day=31).isoformat())
    date = earliest + dt.timedelta(days=offset)
    got = report_date_warnings(date, PLAN)
    if early:
        assert [rule for rule, _ in got] == [Rule.REPORT_DATE_TOO_EARLY]
        assert got[0][1]["earliest"] == earliest.strftime(FMT)
    else:
        assert Rule.REPORT_DATE_TOO_EARLY not in [rule for rule, _ in got]


# 6/8 read day first is 6 August; swapped, 8 June. The deadline is moved around that pair, so the distances the
# rule compares with swapped_date_days fall one below, on and one above it.
TYPED = dt.date(DEADLINE.year, 8, 6)
SWAPPED = dt.date(DEADLINE.year, 6, 8)


@pytest.mark.parametrize("after, warned", [(DAYS - 1, False), (DAYS, True), (DAYS + 1, True)])
def test_a_swapped_report_date_is_questioned_from_swapped_date_days_after_the_deadline(monkeypatch, after, warned):
    monkeypatch.setenv("DVK_TODAY", TYPED.replace(month=12, day=31).isoformat())
    deadline = TYPED - dt.timedelta(days=after)      # the swapped date stays within the margin of it
    assert abs((SWAPPED - deadline).days) <= DAYS
    expected = [(Rule.REPORT_DATE_SWAPPED, {"deadline": deadline.strftime(FMT), "swapped": SWAPPED.strftime(FMT)})]
    assert report_date_warnings(TYPED, _with_deadline(deadline)) == (expected if warned else [])


@pytest.mark.parametrize("apart, warned", [(DAYS - 1, True), (DAYS, True), (DAYS + 1, False)])
def test_a_swapped_report_date_is_questioned_when_the_swapped_day_is_near_the_deadline_only(monkeypatch, apart,
                                                                                             warned):
    monkeypatch.setenv("DVK_TODAY", TYPED.replace(month=12, day=31).isoformat())
    deadline = SWAPPED - dt.timedelta(days=apart)     # the typed date is long after it
    assert (TYPED - deadline).days >= DAYS
    expected = [(Rule.REPORT_DATE_SWAPPED, {"deadline": deadline.strftime(FMT), "swapped": SWAPPED.strftime(FMT)})]
    assert report_date_warnings(TYPED, _with_deadline(deadline)) == (expected if warned else [])


@pytest.mark.parametrize("day, swapped", [(11, "10/11"), (12, "10/12"), (13, None)])
def test_a_report_date_is_swappable_up_to_day_12(monkeypatch, day, swapped):
    """A date whose day is 12 or less could be month first: the swapped date is named when near the deadline
    (seen in the "in the future" warning here; a December deadline puts 10/12 near it)."""
    deadline = dt.date(DEADLINE.year, 11, 25)
    monkeypatch.setenv("DVK_TODAY", dt.date(DEADLINE.year, 9, 1).isoformat())
    typed = dt.date(DEADLINE.year, 10, day)
    got = report_date_warnings(typed, _with_deadline(deadline))
    hint = {"swapped": f"{swapped}/{DEADLINE.year}"} if swapped else {}
    assert got == [(Rule.REPORT_DATE_FUTURE, {"today": f"01/09/{DEADLINE.year}", **hint})]


@pytest.mark.parametrize("apart, slip", [(-(DAYS + 1), False), (-DAYS, True), (-(DAYS - 1), True),
                                         (DAYS - 1, True), (DAYS, True), (DAYS + 1, False)])
def test_a_later_year_is_a_slip_when_the_same_day_is_within_swapped_date_days_of_the_deadline(monkeypatch, apart,
                                                                                              slip):
    monkeypatch.setenv("DVK_TODAY", dt.date(DEADLINE.year + 2, 1, 1).isoformat())
    meant = DEADLINE + dt.timedelta(days=apart)
    typed = meant.replace(year=DEADLINE.year + 1)
    got = report_date_warnings(typed, PLAN)
    if slip:
        assert got == [(Rule.REPORT_DATE_YEAR, {"deadline": DEADLINE.strftime(FMT), "meant": meant.strftime(FMT)})]
    else:
        assert Rule.REPORT_DATE_YEAR not in [rule for rule, _ in got]


@pytest.mark.parametrize("years, slip", [(-1, False), (0, False), (1, True), (11, False)])
def test_a_year_slip_is_one_later_year_one_digit_apart(monkeypatch, years, slip):
    """2024 for 2023: a slip; 2023 itself, 2022 (an earlier year) and 2034 (two digits) are not."""
    monkeypatch.setenv("DVK_TODAY", dt.date(DEADLINE.year + 20, 1, 1).isoformat())
    typed = (DEADLINE - dt.timedelta(days=1)).replace(year=DEADLINE.year + years)
    assert (Rule.REPORT_DATE_YEAR in [rule for rule, _ in report_date_warnings(typed, PLAN)]) == slip


# -- validation.py: a rate typed as a fraction, a count typed as a share -----------------------------------------

IMPACT, INFO = sheet_spec("impact"), sheet_spec("unit_info")


def _form(spec, values: dict, fmt: str, percent_cells) -> SourceFile:
    """A return holding one form sheet, its fields in B4, B5, …; `percent_cells`: the cells an .xlsx formats as
    percentages (None: an .ods or .xls, which do not say)."""
    record = [values.get(c) for c in spec.column_names]
    sheet = RawSheet(records=[record], excel_rows=[4], sheet_name=spec.sheet, percent_cells=percent_cells,
                     addresses={c: f"B{4 + i}" for i, c in enumerate(spec.column_names)})
    return SourceFile(file=f"pho_an.{fmt}", format=fmt, unit_code="pho_an", sheets={spec.name: sheet})


def _checked(src: SourceFile, spec, column: str):
    """The value of `column` in the validated table and the issues at its cell (rule, severity)."""
    result = validate([src], PLAN)
    cell = src.sheets[spec.name].addresses[column]
    value = result.tables[spec.name][column].tolist()[0]
    return (None if pd.isna(value) else value), [(i.rule, i.severity) for i in result.issues
                                                                  if i.cell == cell]


RATE = "on_time_procedures_pct"
RATE_CELL = f"B{4 + IMPACT.column_names.index(RATE)}"


@pytest.mark.parametrize("fmt, percent_cells, typed, read, rule", [
    # an .xlsx cell not formatted as a percentage: 0 < x <= 1 is questioned, kept as typed
    ("xlsx", set(), 0.999, 0.999, Rule.PERCENT_FRACTION),
    ("xlsx", set(), 1.0, 1.0, Rule.PERCENT_FRACTION),
    ("xlsx", set(), 1.001, 1.001, None),
    ("xlsx", set(), 0.0, 0.0, None),
    # formatted as a percentage: the stored fraction is the rate
    ("xlsx", {RATE_CELL}, 0.999, 99.9, None),
    ("xlsx", {RATE_CELL}, 1.0, 100.0, None),
    ("xlsx", {RATE_CELL}, 1.001, 1.001, None),
    # an .ods: strictly below 1 read as the percentage it stores, 1 itself questioned
    ("ods", None, 0.999, 99.9, Rule.PERCENT_FRACTION_ASSUMED),
    ("ods", None, 1.0, 1.0, Rule.PERCENT_FRACTION),
    ("ods", None, 1.001, 1.001, None),
])
def test_a_rate_from_0_to_1_is_read_as_a_fraction_up_to_1_inclusive(fmt, percent_cells, typed, read, rule):
    src = _form(IMPACT, {RATE: typed, "political_tasks_impact": "Tốt"}, fmt, percent_cells)
    value, issues = _checked(src, IMPACT, RATE)
    assert value == pytest.approx(read)
    assert issues == ([(rule, "warning")] if rule else [])


@pytest.mark.parametrize("typed, read, rule", [
    (0.5, 100, Rule.NUMBER_SHARE_ASSUMED),     # an .ods stores "50%" as 0.5: half the staff
    (1, 200, Rule.NUMBER_SHARE_ASSUMED),       # and "100%" as 1: the whole staff
    (2, 2, None),                              # 2 is two people
    ("99%", 198, Rule.NUMBER_SHARE_ASSUMED),
    ("100%", 200, Rule.NUMBER_SHARE_ASSUMED),
    ("101%", None, Rule.NUMBER_PERCENT_IN_COUNT),   # more than the whole staff: refused
    ("0%", 0, Rule.NUMBER_SHARE_ASSUMED),
])
def test_a_count_typed_as_a_share_of_the_staff_is_read_from_0_to_100_percent(typed, read, rule):
    src = _form(INFO, {"unit_name": "UBND xã Phổ An", "staff_total": 200, "staff_registered": typed}, "ods", None)
    value, issues = _checked(src, INFO, "staff_registered")
    assert value == read
    assert issues == ([(rule, rule.severity)] if rule else [])
