"""The parser of every typed value: what Vietnamese clerks type, and how it is read.

Each row is (what the cell holds, the reading a person would make); a reading
of None with a rule means the value is refused with that rule.
"""
from __future__ import annotations

import datetime as dt

import pytest

from pipeline.check import values as V
from pipeline.config import load_plan

NUMBERS = [
    (1234, 1234.0), (12.5, 12.5), ("1234", 1234.0), ("1.234", 1234.0), ("1.234.567", 1_234_567.0),
    ("1,234", 1234.0), ("1.234,5", 1234.5), ("95,5", 95.5), ("95.5", 95.5), ("0,5", 0.5),
    ("12 người", 12.0), ("1.200 người", 1200.0), ("12 buổi", 12.0), ("98%", 98.0), ("96,6%", 96.6),
    (" 7 ", 7.0), ("−3", -3.0), ("-3", -3.0), ("+4", 4.0), ("1.234,56 đồng", 1234.56),
    ("0,966", 0.966), ("0.979", 0.979), ("12,500", 12500.0),  # a leading 0 is never thousands
    ("'25", 25.0), ("’1.200 người", 1200.0),   # the apostrophe that keeps a number as text in Excel, pasted along
]
# Digits in groups separated by spaces: one number in thousands groups, or several side by side? Read as one, said.
NUMBERS_SAID = [("1 234", 1234.0, "1.234"), ("1 234,5", 1234.5, "1.234,5"), ("120 150", 120150.0, "120.150"),
                ("1\u00a0234 người", 1234.0, "1.234")]
NUMBERS_REFUSED = [
    ("mười hai", "number.invalid"), ("10-12", "number.invalid"), ("khoảng 10", "number.invalid"),
    ("#REF!", "cell.excel_error"), ("#DIV/0!", "cell.excel_error"), (True, "number.invalid"),
    (float("inf"), "number.invalid"), (dt.date(2023, 6, 1), "number.invalid"), (V.NO_CACHED_VALUE, "formula.no_value"),
    ("22 buổi/1.320 lượt người", "number.several"), ("5 tập thể và 12 cá nhân", "number.several"),
    ("22 9 28", "number.several"), ("1 5", "number.several"), ("3 lớp/150 người", "number.several"),
    ("1e3", "number.invalid"), ("2E5", "number.invalid"),
]


@pytest.mark.parametrize("typed,read", NUMBERS)
def test_numbers_as_clerks_type_them(typed, read):
    assert V.parse_number(typed) == (pytest.approx(read), None)


@pytest.mark.parametrize("typed,read,said", NUMBERS_SAID)
def test_space_grouped_digits_are_read_as_one_number_with_a_warning(typed, read, said):
    value, problem = V.parse_number(typed)
    assert value == pytest.approx(read)
    assert (problem.rule, problem.severity, dict(problem.extra)) == ("value.assumed", "warning", {"assumed": said})


@pytest.mark.parametrize("typed,rule", NUMBERS_REFUSED)
def test_numbers_that_must_be_refused(typed, rule):
    value, problem = V.parse_number(typed)
    assert value is None and problem.rule == rule and problem.severity == "error"


@pytest.mark.parametrize("typed,read,rule", [
    ("12", 12, None), (12.0, 12, None), ("1.234", 1234, None), ("0", 0, None),
    (0.5, None, "number.not_whole"), ("2,5", None, "number.not_whole"), ("abc", None, "number.invalid"),
    ("90%", None, "number.percent_in_count"), ("90% CBCCVC", None, "number.percent_in_count"),
    (1e20, None, "number.too_large"),
    ("0985123456 0935123456", None, "number.several"), ("98512345609351234567", None, "number.too_large"),
    # words that only introduce the number, said; words that make it a bound, a target or a plan, refused
    ("Tổng số: 25", 25, "value.assumed"), ("Có 12 cuộc", 12, "value.assumed"), ("Ban hành 5 kế hoạch", 5, "value.assumed"),
    ("Tổng cộng 1.400 lượt", 1400, "value.assumed"), ("Đạt 90%", None, "number.percent_in_count"),
    ("Mỗi năm 2 cuộc", None, "number.invalid"), ("Dự kiến 5", None, "number.invalid"), ("Tăng 5", None, "number.invalid"),
    ("hơn 20", None, "number.invalid"), ("Chỉ tiêu 3", None, "number.invalid"),
])
def test_whole_numbers(typed, read, rule):
    value, problem = V.parse_int(typed)
    assert value == read and (problem.rule if problem else None) == rule


@pytest.mark.parametrize("typed,read,rule,severity", [
    (2021, 2021, None, None), ("2021", 2021, None, None), ("Năm 2021", 2021, "value.assumed", "warning"),
    ("năm 2022 (cả năm)", 2022, "value.assumed", "warning"),
    # a span: the year it started ("Năm bắt đầu"), said; a span backwards is no year
    ("2020-2021", 2020, "value.assumed", "warning"), ("từ 2020 đến năm 2023", 2020, "value.assumed", "warning"),
    ("2021 – 2023", 2021, "value.assumed", "warning"), ("2023 - 2020", None, "year.invalid", "error"),
    ("2020, 2022", None, "number.several", "error"),
    # a dash or "không" is 0 in a count, but no year
    ("-", None, "year.invalid", "error"), ("không", None, "year.invalid", "error"),
    ("hai nghìn", None, "year.invalid", "error"), (2021.5, None, "number.not_whole", "error"),
])
def test_years(typed, read, rule, severity):
    value, problem = V.parse_year(typed)
    assert value == read
    assert (problem.rule, problem.severity) == (rule, severity) if problem else rule is None


DATES = [
    (dt.datetime(2023, 6, 10, 0, 0), dt.date(2023, 6, 10)), (dt.date(2023, 6, 10), dt.date(2023, 6, 10)),
    ("10/6/2023", dt.date(2023, 6, 10)), ("10/06/2023", dt.date(2023, 6, 10)), ("10-6-2023", dt.date(2023, 6, 10)),
    ("10.6.2023", dt.date(2023, 6, 10)), ("10/6/23", dt.date(2023, 6, 10)), ("2023-06-10", dt.date(2023, 6, 10)),
    ("ngày 10 tháng 6 năm 2023", dt.date(2023, 6, 10)), ("Ngày 5 tháng 6 năm 2023", dt.date(2023, 6, 5)),
    ("1/12/2023", dt.date(2023, 12, 1)),                     # day first, always
    ("Đức Phổ, ngày 14 tháng 6 năm 2023", dt.date(2023, 6, 14)), ("14/6/2023.", dt.date(2023, 6, 14)),
    ("15/06/2023 08:30", dt.date(2023, 6, 15)), ("2023/06/15", dt.date(2023, 6, 15)), ("14 6 2023", dt.date(2023, 6, 14)),
    (45087, dt.date(2023, 6, 10)), (45087.0, dt.date(2023, 6, 10)),  # an Excel serial
    ("14 thg 6 2023", dt.date(2023, 6, 14)), ("14 tháng 6, 2023", dt.date(2023, 6, 14)),
    # English month names (a date pasted from a computer set to English)
    ("14-Jun-2023", dt.date(2023, 6, 14)), ("14 June 2023", dt.date(2023, 6, 14)), ("June 14, 2023", dt.date(2023, 6, 14)),
    ("Jun 14 2023", dt.date(2023, 6, 14)), ("3-Sep-23", dt.date(2023, 9, 3)), ("Dec. 1st, 2022", dt.date(2022, 12, 1)),
]
DATES_REFUSED = [
    ("31/02/2023", "date.invalid"), ("sáu tháng", "date.invalid"), ("2023", "date.invalid"), (2023, "date.invalid"),
    (dt.datetime(1905, 7, 15), "date.invalid"),              # 2023 typed in a date-formatted cell
    (45087.5, "date.invalid"), (-1, "date.invalid"), ("#VALUE!", "cell.excel_error"),
    ("14/6/2023 hoặc 20/6/2023", "date.invalid"), ("14/6/202", "date.invalid"), ("6/2023", "date.invalid"),
]


@pytest.mark.parametrize("typed,read", DATES)
def test_dates_as_clerks_type_them(typed, read):
    assert V.parse_date(typed) == (read, None)


@pytest.mark.parametrize("typed,rule", DATES_REFUSED)
def test_dates_that_must_be_refused(typed, rule):
    value, problem = V.parse_date(typed)
    assert value is None and problem.rule == rule


@pytest.mark.parametrize("typed,read", [
    ("Có", True), ("có", True), ("CO", True), ("x", True), ("X", True), ("Đã", True), ("rồi", True), (1, True),
    (True, True), ("yes", True), ("Không", False), ("không", False), ("K", False), ("ko", False), ("Chưa", False),
    (0, False), (False, False), ("No", False), ("có.", True), ("√", True), ("✓", True), ("✔", True),
    ("Chưa đạt", False), ("Đã có", True), ("có rồi", True), ("Có*", True), ("Kg", False), ("khg", False),
    ("Sai", False), ("Đủ", True), ("Được", True), ("Có!", True), ("OK", True), ("ok.", True), ("Đảm bảo", True),
])
def test_yes_no_as_clerks_type_them(typed, read):
    assert V.parse_yes_no(typed) == (read, None)


@pytest.mark.parametrize("typed,read", [
    ("Có - đạt HTXS 3 năm liền", True), ("Có, đạt", True), ("Đạt (3 năm HTXS)", True), ("Không - chưa có mô hình", False),
    ("Có, không vi phạm kỷ luật", True),
    # the answer with the words of the question after it ("Đã nhân rộng" under the header "Đã nhân rộng")
    ("Đã nhân rộng", True), ("Chưa nhân rộng", False), ("Không nhân rộng", False), ("Đã nhân rộng ra 3 xã", True),
    ("Đạt tiêu chí", True), ("Đủ tiêu chuẩn", True), ("Chưa thực hiện", False), ("Không được", False),
    ("x (đạt)", True), ("X - đạt", True), ("Không đảm bảo", False),   # a tick with its reason
    # an answer of two words before its reason
    ("Đảm bảo (3 năm HTXS)", True), ("Chưa đạt - thiếu mô hình", False), ("Đã có: QĐ số 12", True),
    # any dash Word, a PDF or a phone puts there (figure dash, horizontal bar, minus sign)
    ("Đảm bảo ― 3 năm HTXS", True), ("Chưa đạt ‒ thiếu mô hình", False), ("Có−đạt", True),
])
def test_an_answer_followed_by_its_reason_is_read_with_a_warning(typed, read):
    value, problem = V.parse_yes_no(typed)
    assert value is read and (problem.rule, problem.severity) == ("value.assumed", "warning")


@pytest.mark.parametrize("typed", ["-", "–", "--", " - "])
def test_a_dash_is_nothing_to_declare_said(typed):
    # in a yes/no cell it is "Không", in a count 0 ("nhập 0 nếu không có"), each with a warning naming the reading
    (answer, said), (count, told) = V.parse_yes_no(typed), V.parse_int(typed)
    assert answer is False and (said.rule, said.severity, dict(said.extra)["assumed"]) == ("value.assumed", "warning", "“Không”")
    assert count == 0 and (told.rule, dict(told.extra)["assumed"]) == ("value.assumed", "0")


@pytest.mark.parametrize("typed,read,rule", [
    ("Đạt 96,5%", 96.5, "value.assumed"), ("Tỷ lệ hài lòng: 98%", 98.0, "value.assumed"), ("96%.", 96.0, None),
    ("Chỉ tiêu 100%", None, "number.invalid"), ("Phấn đấu 100%", None, "number.invalid"), ("trên 95%", None, "number.invalid"),
    ("Đạt ≥ 95%", None, "number.invalid"), ("Năm 2022: 96%", None, "number.invalid"), ("khoảng 96%", None, "number.invalid"),
    ("92,1/100", 92.1, None), ("92,1 / 100 điểm", 92.1, None), ("96,666", 96.666, "number.decimal_assumed"),
    ("96.666", 96.666, "number.decimal_assumed"), ("95,5", 95.5, None), ("150", 150.0, None),
])
def test_numbers_of_a_column_that_cannot_exceed_100(typed, read, rule):
    value, problem = V.parse_bounded(typed, 100)
    assert value == pytest.approx(read) and (problem.rule if problem else None) == rule


@pytest.mark.parametrize("typed,rule", [
    ("có thể", "yesno.invalid"), (2, "yesno.invalid"), ("#N/A", "cell.excel_error"),
    # no answer yet, or both: the unit must say
    ("Có thể nhân rộng", "yesno.invalid"), ("Có lẽ", "yesno.invalid"), ("Đã dự kiến", "yesno.invalid"),
    ("Đang nhân rộng", "yesno.invalid"), ("Có nhưng chưa đủ", "yesno.invalid"), ("Có / Không", "yesno.invalid"),
    ("Chưa rõ", "yesno.invalid"), ("Không biết", "yesno.invalid"), ("Chưa xác định", "yesno.invalid"),
    ("Có thể (chưa chắc)", "yesno.invalid"), ("Khó nói (x)", "yesno.invalid"),
])
def test_yes_no_refused(typed, rule):
    value, problem = V.parse_yes_no(typed)
    assert value is None and problem.rule == rule


@pytest.mark.parametrize("typed,read", [
    ("  Mô  hình   “Dân vận khéo”  ", "Mô hình “Dân vận khéo”"),
    ("Mo\u0302 hi\u0300nh", "Mô hình"),                      # decomposed (NFD) text
    ("Phổ\u200b An", "Phổ An"), ("\u202eAn\u202c", "An"), ("\ufeffHọp dân", "Họp dân"),
    ("Tổ 👍 tự quản", "Tổ 👍 tự quản"), (905123456, "905123456"), (dt.date(2023, 6, 1), "01/06/2023"),
    ("=1+1", "=1+1"),                                        # text, never a formula
])
def test_text_is_read_as_a_person_reads_it(typed, read):
    assert V.parse_text(typed) == (read, None)


def test_blank_cells_are_no_value_and_no_problem():
    for parse in (V.parse_number, V.parse_int, V.parse_year, V.parse_date, V.parse_yes_no, V.parse_text):
        for blank in (None, "", "   ", float("nan"), "\u200b"):
            assert parse(blank) == (None, None), (parse.__name__, blank)


PLAN = load_plan()
LEVELS = V.Choices(PLAN.labels("classification_levels"), PLAN.codes("classification_levels"))
FIELDS = V.Choices(PLAN.labels("fields"), PLAN.codes("fields"))
KINDS = V.Choices(PLAN.labels("recipient_kinds"), PLAN.codes("recipient_kinds"))
SELF = V.Choices(PLAN.labels("self_assessment_levels"), PLAN.codes("self_assessment_levels"))
RECOGNITION = V.Choices(PLAN.labels("recognition_levels"), PLAN.codes("recognition_levels"))
NOT_RECOGNISED = PLAN.label_of("recognition_levels", "NONE")
PERIODS = V.Choices(PLAN.labels("periods"), PLAN.codes("periods"))
FIRST_HALF = PLAN.labels("periods")[-1]   # "6 tháng đầu năm 2023"
HTXS = "Hoàn thành xuất sắc nhiệm vụ"


@pytest.mark.parametrize("choices,typed,read,rule", [
    (LEVELS, HTXS, HTXS, None), (LEVELS, "hoàn thành xuất sắc nhiệm vụ", HTXS, None),
    (LEVELS, "Hoan thanh xuat sac nhiem vu", HTXS, None),
    (LEVELS, "HTXS", HTXS, "choice.assumed"), (LEVELS, "HTXSNV", HTXS, "choice.assumed"),
    (LEVELS, "Hoàn thành xuất sắc", HTXS, "choice.assumed"), (LEVELS, "Xuất sắc", HTXS, "choice.assumed"),
    (LEVELS, "Hoàn thành xuất sắc NV", HTXS, "choice.assumed"),
    (LEVELS, "Hoàn thành", None, "choice.ambiguous"), (LEVELS, "Giỏi", None, "choice.invalid"),
    (FIELDS, "Văn hoá - xã hội", "Văn hóa – xã hội", None), (FIELDS, "Môi trường", None, "choice.invalid"),
    (FIELDS, "CCHC", "Cải cách hành chính", "choice.assumed"), (FIELDS, 0.5, None, "choice.invalid"),
    # a full stop after the label; a remark in brackets or after the label
    (LEVELS, "Hoàn thành nhiệm vụ.", "Hoàn thành nhiệm vụ", None),
    (LEVELS, "HTXSNV (95 điểm)", HTXS, "choice.assumed"),
    (KINDS, "Tập thể UBND xã Phổ An", "Tập thể", "choice.assumed"),
    (KINDS, "Cá nhân (ông Nguyễn Văn A)", "Cá nhân", "choice.assumed"),
    # ... but not when the words after the label belong to another label: which one was meant?
    (SELF, "Khá tốt", None, "choice.invalid"),
    # nor a typo that names another value whole: "Trung bình khá" lies between two levels
    (SELF, "Trung bình khá", None, "choice.invalid"), (SELF, "Trung bnh", "Trung bình", "choice.assumed"),
    (LEVELS, "Hoàn thành xuất sắcc nhiệm vụ", HTXS, "choice.assumed"),
    # a label that says "not" is never read for words that do not ("Được công nhận" is no "Chưa được công nhận")
    (RECOGNITION, "Được công nhận", None, "choice.invalid"), (RECOGNITION, "Đã được công nhận", None, "choice.invalid"),
    (RECOGNITION, "Chưa công nhận", NOT_RECOGNISED, "choice.assumed"),
    (FIELDS, "Kinh tế - văn hóa", None, "choice.invalid"),
    # nor is a label that says "đầu" (the first half) read for words that say "cuối" (the second half)
    (PERIODS, "6 tháng cuối năm 2023", None, "choice.invalid"), (PERIODS, "6 tháng đầu 2023", FIRST_HALF, "choice.assumed"),
    # a date in a list cell is no value of it (a period's cell reads one as its month: test_read_choices_and_periods)
    (FIELDS, dt.datetime(2023, 6, 1), None, "choice.invalid"), (PERIODS, dt.datetime(2023, 6, 1), None, "choice.invalid"),
])
def test_dropdown_values(choices, typed, read, rule):
    value, problem = V.parse_choice(typed, choices)
    assert value == read and (problem.rule if problem else None) == rule
    if problem is not None:
        assert problem.severity == ("warning" if rule == "choice.assumed" else "error")


def test_a_refused_dropdown_value_names_the_nearest_candidates():
    _value, problem = V.parse_choice("Kinh tê xa hoi", FIELDS)
    assert "“Kinh tế”" in problem.details["suggestion"]
    _value, problem = V.parse_choice("Hoàn thành", LEVELS)
    assert HTXS in problem.details["candidates"]


@pytest.mark.parametrize("dash", list("-‐‑‒–—―−"))
def test_every_dash_reads_alike_in_a_year_span_and_a_list(dash):
    """A hyphen, Word's en and em dashes, a PDF's figure dash or minus sign: one dash to the clerk who typed it."""
    assert V.parse_year(f"2020 {dash} 2023") == (2020, V.problem("value.assumed", "warning", assumed="2020"))
    assert V.parse_one_item(f"{dash} Mô hình A\n{dash} Mô hình B", "warning")[1].rule == "text.several"
