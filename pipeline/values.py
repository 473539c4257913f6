"""Turn what a clerk typed into a typed value, the way a person would read it.

Each parser returns `(value, rule)`: `rule` is None when the cell is fine (or
blank) and a stable rule code when it cannot be read.
"""
from __future__ import annotations

import datetime as dt
import math
import re

from pipeline.text import fold, fold_heading, nfc

EXCEL_ERRORS = {"#ref!", "#n/a", "#value!", "#div/0!", "#name?", "#null!", "#num!", "#getting_data", "#spill!", "#calc!"}
_NUMBER = re.compile(
    r"^(?P<sign>[-+−]?)\s*(?P<num>[0-9][0-9.,\s]*)\s*(?P<suffix>%|[^\W\d_][\w\s./]*)?$", re.UNICODE)
_THOUSANDS_DOT = re.compile(r"^[0-9]{1,3}(\.[0-9]{3})+$")
_THOUSANDS_COMMA = re.compile(r"^[0-9]{1,3}(,[0-9]{3})+$")
_THOUSANDS_SPACE = re.compile(r"^[0-9]{1,3}(\s[0-9]{3})+$")
_DATE_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2,4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
YES = {"x", "co", "c", "yes", "y", "1", "true", "dung", "da", "roi", "dat", "v"}
NO = {"khong", "k", "no", "n", "0", "false", "chua", "ko", "kh"}


def is_blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def is_excel_error(value) -> bool:
    return isinstance(value, str) and value.strip().lower() in EXCEL_ERRORS


def parse_number(value) -> tuple[float | None, str | None]:
    """A number from a cell: 1234, "1.234", "1.234,5", "12 người", "98%"."""
    if is_blank(value):
        return None, None
    if isinstance(value, bool):
        return None, "number.invalid"
    if isinstance(value, (int, float)):
        return float(value), None
    if not isinstance(value, str):
        return None, "number.invalid"
    if is_excel_error(value):
        return None, "cell.excel_error"
    match = _NUMBER.match(nfc(value))
    if not match:
        return None, "number.invalid"
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
        return None, "number.invalid"


def parse_int(value) -> tuple[int | None, str | None]:
    number, rule = parse_number(value)
    if rule or number is None:
        return None, rule
    if abs(number - round(number)) > 1e-9:
        return None, "number.not_whole"
    return int(round(number)), None


def parse_date(value) -> tuple[dt.date | None, str | None]:
    """A date from an Excel date, an Excel serial, or day-first text."""
    if is_blank(value):
        return None, None
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2_958_466:
            return _EXCEL_EPOCH + dt.timedelta(days=int(value)), None
        return None, "date.invalid"
    if not isinstance(value, str):
        return None, "date.invalid"
    if is_excel_error(value):
        return None, "cell.excel_error"
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
        return None, "date.invalid"
    return None, "date.invalid"


def parse_yes_no(value) -> tuple[bool | None, str | None]:
    if is_blank(value):
        return None, None
    if isinstance(value, bool):
        return value, None
    if isinstance(value, (int, float)):
        return (True, None) if value == 1 else (False, None) if value == 0 else (None, "yesno.invalid")
    key = fold(value).rstrip(".")
    if key in YES:
        return True, None
    if key in NO:
        return False, None
    return None, "yesno.invalid"


def parse_text(value) -> tuple[str | None, str | None]:
    if is_blank(value):
        return None, None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number or a code typed as a number
    if isinstance(value, (dt.datetime, dt.date)):
        value = value.strftime("%d/%m/%Y")
    if is_excel_error(value):
        return None, "cell.excel_error"
    return nfc(str(value)), None


def choice_lookup(labels: list[str], codes: list[str] | None = None) -> dict[str, str]:
    """Loose spellings of each allowed value -> the value itself."""
    lookup: dict[str, str] = {}
    for i, label in enumerate(labels):
        keys = {fold(label), fold_heading(label)}
        if codes:
            keys.add(fold(codes[i]))
        number = re.match(r"^\s*(\d+)\s*[.)]", label)
        if number:
            keys.add(number[1])
        for key in keys:
            lookup.setdefault(key, label)
    return lookup


def parse_choice(value, lookup: dict[str, str]) -> tuple[str | None, str | None]:
    """The canonical label; an unknown value is kept as typed for the schema to flag."""
    if is_blank(value):
        return None, None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if is_excel_error(value):
        return None, "cell.excel_error"
    text = nfc(str(value))
    return lookup.get(fold(text), lookup.get(fold_heading(text), text)), None
