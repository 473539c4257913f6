"""Turn what a clerk typed into a typed value, the way a person would read it.

Each parser returns `(value, problem)`. `problem` is None when the cell is
fine (or blank); otherwise a `Problem` with a stable rule code, its severity
and the details its message needs. An "error" problem means the value could
not be read (the value is None); a "warning" problem means the value was read
under an assumption the unit should confirm (the value is kept).
"""
from __future__ import annotations

import datetime as dt
import math
import re

from pipeline.matching import ERROR, WARNING, Choices, Problem, problem  # noqa: F401 (re-exported)
from pipeline.read.sources import NO_CACHED_VALUE
from pipeline.text import fold, fold_heading, is_blank, nfc

EXCEL_ERRORS = {"#ref!", "#n/a", "#value!", "#div/0!", "#name?", "#null!", "#num!", "#getting_data", "#spill!", "#calc!"}
_NUMBER = re.compile(
    r"^(?P<sign>[-+−]?)\s*(?P<num>[0-9][0-9.,\s]*)\s*(?P<suffix>%|[^\W\d_][\w\s./]*)?$", re.UNICODE)
_THOUSANDS_DOT = re.compile(r"^[0-9]{1,3}(\.[0-9]{3})+$")
_THOUSANDS_COMMA = re.compile(r"^[0-9]{1,3}(,[0-9]{3})+$")
_THOUSANDS_SPACE = re.compile(r"^[0-9]{1,3}(\s[0-9]{3})+$")
_DATE_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2,4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
DATE_MIN, DATE_MAX = dt.date(1990, 1, 1), dt.date(2100, 12, 31)   # dates a return can plausibly hold
YES = {"x", "co", "c", "yes", "y", "1", "true", "dung", "da", "roi", "dat", "v"}
NO = {"khong", "k", "no", "n", "0", "false", "chua", "ko", "kh"}



_FORMULA_NO_VALUE = problem("formula.no_value")


def is_excel_error(value) -> bool:
    return isinstance(value, str) and value.strip().lower() in EXCEL_ERRORS


def _unreadable(value) -> Problem | None:
    """The problem of a cell that holds no value of any kind (a broken or uncalculated formula)."""
    if value is NO_CACHED_VALUE:
        return _FORMULA_NO_VALUE
    if is_excel_error(value):
        return problem("cell.excel_error")
    return None


def parse_number(value) -> tuple[float | None, Problem | None]:
    """A number from a cell: 1234, "1.234", "1.234,5", "12 người", "98%"."""
    if is_blank(value):
        return None, None
    if isinstance(value, bool):
        return None, problem("number.invalid")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return None, problem("number.invalid")
        return float(value), None
    if not isinstance(value, str):
        return None, _unreadable(value) or problem("number.invalid")
    if bad := _unreadable(value):
        return None, bad
    match = _NUMBER.match(nfc(value))
    if not match:
        return None, problem("number.invalid")
    num = match["num"].strip()
    sign = -1.0 if match["sign"] in ("-", "−") else 1.0
    if _THOUSANDS_DOT.match(num) or _THOUSANDS_SPACE.match(num):
        num = num.replace(".", "").replace(" ", "")
    elif _THOUSANDS_COMMA.match(num) and "." not in num:
        # "1,234" is ambiguous; Vietnamese writes decimals with a comma, but a
        # group of exactly three digits after it is far more often thousands.
        num = num.replace(",", "")
    elif "," in num and "." in num:
        num = num.replace(".", "").replace(",", ".")  # 1.234,5 (Vietnamese)
    elif "," in num:
        num = num.replace(",", ".")                    # 95,5
    num = num.replace(" ", "")
    try:
        return sign * float(num), None
    except ValueError:
        return None, problem("number.invalid")


def parse_int(value) -> tuple[int | None, Problem | None]:
    number, bad = parse_number(value)
    if bad or number is None:
        return None, bad
    if abs(number - round(number)) > 1e-9:
        return None, problem("number.not_whole")
    return int(round(number)), None


def parse_year(value) -> tuple[int | None, Problem | None]:
    """A year: 2021, "2021", or a year with words around it ("Năm 2021", "năm 2021 (6 tháng)")."""
    number, bad = parse_int(value)
    if number is not None or bad is None or bad.rule != "number.invalid" or not isinstance(value, str):
        return number, bad
    years = set(_YEAR.findall(nfc(value)))
    if len(years) == 1:
        year = int(years.pop())
        return year, problem("value.assumed", WARNING, assumed=str(year))
    return None, problem("year.invalid")


def parse_date(value) -> tuple[dt.date | None, Problem | None]:
    """A date from an Excel date, an Excel serial, or day-first text."""
    if is_blank(value):
        return None, None
    if isinstance(value, (dt.datetime, dt.date)):
        # A number typed into a date-formatted cell arrives as a date near 1900 (2023 -> 15/07/1905): not a date.
        day = value.date() if isinstance(value, dt.datetime) else value
        return (day, None) if DATE_MIN <= day <= DATE_MAX else (None, problem("date.invalid"))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # A serial in the plausible range is a date stored as a number; anything else is not a date.
        if float(value).is_integer() and DATE_MIN <= _EXCEL_EPOCH + dt.timedelta(days=min(int(value), 100_000)) <= DATE_MAX:
            return _EXCEL_EPOCH + dt.timedelta(days=int(value)), None
        return None, problem("date.invalid")
    if not isinstance(value, str):
        return None, _unreadable(value) or problem("date.invalid")
    if bad := _unreadable(value):
        return None, bad
    text = nfc(value).lower().replace("ngày", "").replace("tháng", "/").replace("năm", "/").strip()
    text = re.sub(r"\s*/\s*", "/", text).strip("/ ")
    try:
        if m := _DATE_DMY.match(text):
            day, month, year = int(m[1]), int(m[2]), int(m[3])
            year += 2000 if year < 100 else 0
            return dt.date(year, month, day), None
        if m := _DATE_ISO.match(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3])), None
    except ValueError:
        return None, problem("date.invalid")
    return None, problem("date.invalid")


def parse_yes_no(value) -> tuple[bool | None, Problem | None]:
    if is_blank(value):
        return None, None
    if isinstance(value, bool):
        return value, None
    if isinstance(value, (int, float)):
        if value == 1:
            return True, None
        if value == 0:
            return False, None
        return None, problem("yesno.invalid")
    if bad := _unreadable(value):
        return None, bad
    key = fold(value).rstrip(".")
    if key in YES:
        return True, None
    if key in NO:
        return False, None
    return None, problem("yesno.invalid")


def parse_text(value) -> tuple[str | None, Problem | None]:
    if is_blank(value):
        return None, None
    if bad := _unreadable(value):
        return None, bad
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number or a code typed as a number
    if isinstance(value, (dt.datetime, dt.date)):
        value = value.strftime("%d/%m/%Y")
    return nfc(str(value)), None


def parse_choice(value, choices: Choices) -> tuple[str | None, Problem | None]:
    """The canonical label of a dropdown value (see `Choices`)."""
    if is_blank(value):
        return None, None
    if bad := _unreadable(value):
        return None, bad
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return None, problem("choice.invalid", suggestion="")
    return choices.match(nfc(str(value)))
