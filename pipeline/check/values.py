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

from pipeline.matching import ERROR, WARNING, YEAR, Choices, Problem, assumed, problem  # noqa: F401 (re-exported)
from pipeline.read.sources import NO_CACHED_VALUE
from pipeline.text import DASH_CHARS, fold, is_blank, nfc, read_as_tcvn3, strip_accents, vn_number
from schemas.rules import Rule

EXCEL_ERRORS = {"#ref!", "#n/a", "#value!", "#div/0!", "#name?", "#null!", "#num!", "#getting_data", "#spill!", "#calc!"}
_NUMBER = re.compile(
    r"^(?P<sign>[-+−]?)\s*(?P<num>[0-9][0-9.,\s]*)\s*(?P<suffix>%(?:\s*[^\W\d_][\w\s./,]*)?|[^\W\d_][\w\s./,]*)?"
    r"\s*[.;*]*$",   # "96%.", "12;", "25*" (a full stop, a semicolon or a footnote mark after the value)
    re.UNICODE)   # "12 người", "98%", "95% CBCCVC", "25 tin, bài"
# Words before a number that only introduce it ("Đạt 96%", "Tổng số: 25", "Có 12 cuộc"), read with a warning;
# not the words that make it a bound, a target or a plan ("trên 100", "chỉ tiêu 100%", "dự kiến 5"): those stay
# refused. Folded.
_LEAD_WORDS = re.compile(rf"^\s*([^\W\d_][^\W\d]*(?:[\s:,.\-{DASH_CHARS}]+[^\W\d_][^\W\d]*)*)\s*[:\-{DASH_CHARS}]?\s*(?=[0-9])")
_BOUND_WORDS = {"tren", "duoi", "hon", "nhat", "thieu", "toi", "chua", "khong", "du", "kien", "ke", "hoach", "phan",
                "dau", "chi", "tieu", "truoc", "sau", "tu", "den", "tang", "giam", "moi", "binh",
                "khoang", "gan", "uoc", "xap"}   # about: a count says so itself (parse_int), a rate stays refused
_TEXT_MARK = re.compile(r"^\s*['’‘`]")     # "'25": the apostrophe that makes Excel keep a number as text, pasted along
# A thousands group never starts with 0: "0,966" and "0.979" are decimals, "1.234" and "12,500" are thousands.
_THOUSANDS_DOT = re.compile(r"^[1-9][0-9]{0,2}(\.[0-9]{3})+$")
_THOUSANDS_COMMA = re.compile(r"^[1-9][0-9]{0,2}(,[0-9]{3})+$")
_THOUSANDS_SPACE = re.compile(r"^[1-9][0-9]{0,2}(\s[0-9]{3})+$")
_ONE_GROUP = re.compile(r"^[1-9][0-9]{0,2}[.,][0-9]{3}$")          # "96,666": thousands, or three decimals
_EXPONENT = re.compile(r"^[eE][0-9]+$")                            # "1e3" read as 1 with "e3" for a unit
_SEPARATE_NUMBER = re.compile(r"(?<![^\W\d_])[0-9]")             # a digit that starts a number ("m2" is a unit)
_OUT_OF_100 = re.compile(r"^(?P<score>.*?)\s*/\s*100\s*(?:điểm)?$", re.IGNORECASE)  # "92,1/100"
MAX_WHOLE = 10**15                                                   # beyond this a whole number is no count
_DATE_SEP = r"\s*[/.\-]\s*"
_DATE_DMY = re.compile(rf"(?<![0-9/.\-])([0-9]{{1,2}}){_DATE_SEP}([0-9]{{1,2}}){_DATE_SEP}([0-9]{{4}}|[0-9]{{2}})"
                       r"(?![0-9/\-]|\.[0-9])")
_DATE_YMD = re.compile(rf"(?<![0-9/.\-])([0-9]{{4}}){_DATE_SEP}([0-9]{{1,2}}){_DATE_SEP}([0-9]{{1,2}})"
                       r"(?![0-9/\-]|\.[0-9])")
_DAY_MONTH = re.compile(r"^\D*?(?<![0-9])([0-9]{1,2})[/.\-]([0-9]{1,2})(?![0-9])\D*$")   # "15/6": no year
_DATE_SPACED = re.compile(r"^([0-9]{1,2})\s+([0-9]{1,2})\s+([0-9]{4})$")  # "14 6 2023"
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_NAME = re.compile(r"[\s\-/.,]*\b(" + "|".join(_MONTHS) + r")[a-z]*\b\.?[\s\-/.,]*")  # "14-Jun-2023" -> "14/6/2023"
_MONTH_FIRST = re.compile(r"^\s*/([0-9]{1,2})/([0-9]{1,2})(?:st|nd|rd|th)?\b")   # "June 14, 2023" -> "/6/14, 2023"
_YEAR_APART = re.compile(r"(/[0-9]{1,2})/?(?:,\s*|\s+)([0-9]{4})\b")           # "14/6, 2023", "14/6 2023"
_YEAR_SPAN = re.compile(rf"^\D*?((?:19|20)[0-9]{{2}})\s*(?:[-{DASH_CHARS}→/]|đến|tới|den|toi)\s*(?:năm\s*)?((?:19|20)[0-9]{{2}})\D*$",
                        re.IGNORECASE)   # "2020 - 2023", "từ 2020 đến năm 2023", "2021/2022"
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIAL = re.compile(r"^\s*[0-9]{5}\s*$")   # an Excel date serial (43831 is 01/01/2020)
DATE_MIN, DATE_MAX = dt.date(1990, 1, 1), dt.date(2100, 12, 31)   # dates a return can plausibly hold
YES = {"x", "co", "c", "yes", "y", "1", "true", "dung", "da", "roi", "dat", "v", "√", "✓", "✔", "☑", "✅", "co dat",
       "da dat", "da co", "co roi", "du", "duoc", "ok", "dam bao"}
NO = {"khong", "k", "no", "n", "0", "false", "chua", "ko", "kh", "kg", "khg", "khong dat", "chua dat", "khong co",
      "chua co", "sai"}
# What a clerk types in a count cell for none ("nhập 0 nếu không có"), folded, besides dashes; and the words of an
# approximate count.
NONE_COUNT = {"khong", "khong co", "chua", "chua co", "khong to chuc", "chua to chuc",
              "khong phat sinh", "chua phat sinh", "khong co gi", "nil", "none"}
# "Everyone" typed for a count ("Tất cả", "Toàn thể CBCCVC"), folded: no digits after the word.
_ALL_COUNT = re.compile(r"^(?:tat ca|toan bo|toan the|het)(?:\s+[^\W\d_][^\W\d]*)*\.?$")
_APPROXIMATE = re.compile(r"^\s*(?:khoảng chừng|khoảng|gần|ước tính|ước khoảng|ước|xấp xỉ|~)\s*(?=[0-9])", re.IGNORECASE)
# What a count is followed by when the first number is the total: its breakdown, "25 (trong đó 20 CBCC, 5 HĐ)",
# "25; gồm …", or a remark without a number, "25 lượt (CB)".
_BREAKDOWN = re.compile(r"\s*(?:[,;]\s*(?:trong đó|trong số đó|bao gồm|gồm)\b.*|\(\s*(?:trong đó|trong số đó|bao gồm|gồm)\b"
                        r"[^()]*\)|\((?![^()]*(?:dự kiến|kế hoạch|chưa))[^()0-9]*\))\s*\.?$", re.IGNORECASE)
# A count written as its parts added up, "20 + 5" or "20 CBCC + 5 HĐ = 25" (the total, when typed, must agree).
_SUM = re.compile(r"^\s*=?\s*(?P<terms>[^+=]+(?:\+[^+=]+)+?)\s*(?:=\s*(?P<total>[^+=]+))?$")
# A count with its parts in brackets and no word saying so, "25 (20 CBCC, 5 HĐ)", "25 (CBCC: 20; HĐ: 5)": read as
# the total only when the parts add up to it ("12 (3 đột xuất)" stays refused: a part, or another count?).
_PARTS = re.compile(r"^(?P<total>[^()]*?[0-9][^()]*?)\s*\((?P<parts>[^()]*[0-9][^()]*)\)\s*\.?$")
_PART = re.compile(r"(?<![0-9.,])[0-9]+(?:\.[0-9]{3})*(?![0-9]|[.,][0-9])")
_BRACKETED = re.compile(r"^\s*\(\s*(?P<inner>[^()]+?)\s*\)\s*\.?$")   # "(12)": brackets around the whole count
_NONE_SAID_TWICE = re.compile(r"\s0$|^0\s*(?:-\s*)?")   # "Không (0)", "0 (chưa có)", "0 - không có" (folded)
# An answer followed by its reason or by the words of the question ("Có - đạt HTXS 3 năm liền", "Không, chưa có
# mô hình", "Đã nhân rộng", "Chưa thực hiện"): the answer words, and the words that turn a "yes" around.
_ANSWER_WORDS = {"co": True, "dat": True, "da": True, "duoc": True, "du": True, "yes": True, "x": True, "khong": False,
                 "chua": False, "no": False}
_NEGATIONS = {"khong", "chua", "chang", "ko", "k", "no", "not"}
# "có thể", "có lẽ", "đã dự kiến", "chưa rõ", "không biết", "chưa xác định": no answer yet
_HEDGES = {"thể", "lẽ", "khi", "sẽ", "đang", "dự", "sắp", "rõ", "biết", "xác", "chắc", "nắm"}
_ANSWER_THEN_REASON = re.compile(rf"^(\w+)(\s*[-{DASH_CHARS}:,;.(]\s*|\s+)(\S.*)$")



_FORMULA_NO_VALUE = problem(Rule.FORMULA_NO_VALUE)


def is_excel_error(value) -> bool:
    return isinstance(value, str) and value.strip().lower() in EXCEL_ERRORS


def _unreadable(value) -> Problem | None:
    """The problem of a cell that holds no value of any kind (a broken or uncalculated formula)."""
    if value is NO_CACHED_VALUE:
        return _FORMULA_NO_VALUE
    if is_excel_error(value):
        return problem(Rule.CELL_EXCEL_ERROR)
    return None


_BULLET = re.compile(r"^\s*[•·▪◦●○■►➢➤]\s*")     # a list mark pasted from Word before a value ("•\t12")
_DASH_CHARS = str.maketrans(dict.fromkeys(DASH_CHARS, "-"))   # "15–6–2023": one kind of dash between a date's parts


def without_bullet(value):
    """A cell's value without a list mark pasted before it; any other value as it is."""
    return _BULLET.sub("", value, count=1) if isinstance(value, str) else value


def parse_number(value) -> tuple[float | None, Problem | None]:
    """A number from a cell: 1234, "1.234", "1.234,5", "12 người", "98%"."""
    number, bad, _suffix = _read_number(value)
    return number, bad


def _read_number(value) -> tuple[float | None, Problem | None, str]:
    """A number, its problem, and the words typed after it ("%", "người")."""
    if is_blank(value):
        return None, None, ""
    if isinstance(value, bool):
        return None, problem(Rule.NUMBER_INVALID), ""
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return None, problem(Rule.NUMBER_INVALID), ""
        return float(value), None, ""
    if not isinstance(value, str):
        return None, _unreadable(value) or problem(Rule.NUMBER_INVALID), ""
    if bad := _unreadable(value):
        return None, bad, ""
    text = _TEXT_MARK.sub("", nfc(value), count=1)
    number, bad, suffix = _number_in(text)
    if number is not None or bad.rule != Rule.NUMBER_INVALID:
        return number, bad, suffix
    lead = _LEAD_WORDS.match(text)
    if lead and not _BOUND_WORDS & set(fold(lead[1]).split()):
        number, again, suffix = _number_in(text[lead.end():])   # "Đạt 96,5%", "Tổng số: 25 người", "Có 12 cuộc"
        if number is None or (again is not None and again.severity != WARNING):
            return None, bad, ""
        decimals = 0 if number.is_integer() else len(repr(abs(number)).partition(".")[2])
        return number, assumed(Rule.VALUE_ASSUMED, "lead_words", assumed=vn_number(number, decimals)), suffix
    return number, bad, suffix


def _number_in(text: str) -> tuple[float | None, Problem | None, str]:
    """The number a cell's text is: digits, then a unit or "%" if any."""
    match = _NUMBER.match(text)
    if not match:
        return None, problem(Rule.NUMBER_INVALID), ""
    suffix = (match["suffix"] or "").strip()
    if _SEPARATE_NUMBER.search(suffix):
        return None, problem(Rule.NUMBER_SEVERAL), suffix   # "22 buổi/1.320 lượt người": which one?
    if _EXPONENT.match(suffix):
        return None, problem(Rule.NUMBER_INVALID), suffix   # "1e3": scientific notation pasted as text, never a count
    typed = match["num"].strip()
    num = _plain_number(typed)
    if num is None:
        return None, problem(Rule.NUMBER_SEVERAL), suffix   # "22 9 28": numbers side by side
    sign = -1.0 if match["sign"] in ("-", "−") else 1.0
    try:
        number = sign * float(num)
    except ValueError:
        return None, problem(Rule.NUMBER_INVALID), suffix
    if " " in typed:   # "120 150": one number in thousands groups, or two numbers? Read as one, and said
        decimals = len(num.partition(".")[2])
        return number, assumed(Rule.VALUE_ASSUMED, "spaced_number", assumed=vn_number(number, decimals)), suffix
    return number, None, suffix


def _plain_number(num: str) -> str | None:
    """"1.234,5" -> "1234.5"; None when spaces separate numbers rather than thousands groups."""
    if _THOUSANDS_DOT.match(num) or _THOUSANDS_SPACE.match(num):
        return num.replace(".", "").replace(" ", "")
    if _THOUSANDS_COMMA.match(num) and "." not in num:
        # "1,234" is ambiguous; Vietnamese writes decimals with a comma, but a
        # group of exactly three digits after it is far more often thousands.
        return num.replace(",", "")
    if "," in num and "." in num:
        num = num.replace(".", "").replace(",", ".")  # 1.234,5 (Vietnamese)
    elif "," in num:
        num = num.replace(",", ".")                    # 95,5
    if " " in num:
        whole, _, decimals = num.partition(".")
        if " " in decimals or not _THOUSANDS_SPACE.match(whole):
            return None
        num = num.replace(" ", "")                     # 1 234,5
    return num


# What a clerk types where a figure does not apply to the unit ("để trống nếu đơn vị không giải quyết TTHC"),
# folded; in an optional number cell it is read as blank. In a rate, none (a dash, "không phát sinh", "chưa có")
# is no figure either: 0% would be a figure.
NOT_APPLICABLE = {"n/a", "na", "n a", "khong ap dung", "kad", "k/ad", "k ad", "khong co so lieu", "chua co so lieu",
                  "khong co tthc", "khong phat sinh tthc", "khong giai quyet tthc", "chua khao sat", "chua danh gia",
                  "khong khao sat", "khong danh gia"}


def not_applicable(value, rate: bool) -> tuple[None, Problem] | None:
    """(None, a `value.not_applicable` warning) for a "not applicable" typed in an optional cell; None for any
    other value. `rate`: a percentage, a score, an address or a date, where words for none ("không có", a dash)
    are no value either (in a count they are 0)."""
    if not isinstance(value, str) or is_blank(value):
        return None
    key = fold(value).strip(" .")
    if key in NOT_APPLICABLE or rate and (key in NONE_COUNT or _is_dash(key)):
        return None, problem(Rule.VALUE_NOT_APPLICABLE, WARNING)
    return None


def parse_int(value) -> tuple[int | None, Problem | None]:
    """A count: a whole number. A dash or "không", "chưa có" (the help says "nhập 0 nếu không có") is 0, and
    "khoảng 20" is 20, "25 (trong đó 20 CBCC)" and "25 lượt (CB)" are 25, each with a warning naming what was read."""
    if isinstance(value, str) and not is_blank(value):
        key = fold(value)
        if _NONE_SAID_TWICE.sub("", key).strip(" .") in NONE_COUNT or _is_dash(key):
            return 0, assumed(Rule.VALUE_ASSUMED, "none_is_zero", assumed="0")
        if _ALL_COUNT.match(key):
            return None, problem(Rule.NUMBER_EVERYONE)   # "Tất cả": a share of 100% where a total is next to it
        text = nfc(value)
        if (rest := _BREAKDOWN.sub("", text, count=1)) != text and _whole(value)[0] is None:
            number, bad = _whole(rest)
            if number is not None and (bad is None or bad.severity == WARNING):
                return number, assumed(Rule.VALUE_ASSUMED, "total_with_breakdown", assumed=vn_number(number))
        if (rest := _APPROXIMATE.sub("", text, count=1)) != text:
            number, bad = _whole(rest)
            if number is not None and (bad is None or bad.severity == WARNING):
                return number, assumed(Rule.VALUE_ASSUMED, "approximate", assumed=vn_number(number))
            return None, bad
        number, bad = _whole(value)
        if number is None:
            total, disagree = _added_up(text)
            if total is not None:
                return total, assumed(Rule.VALUE_ASSUMED, "parts_added", assumed=vn_number(total))
            bad = disagree or bad
        return number, bad
    return _whole(value)


def _added_up(text: str) -> tuple[int | None, Problem | None]:
    """The total of a count typed as its parts: "20 + 5", "20 CBCC + 5 HĐ = 25", "25 (20 CBCC, 5 HĐ)", or "(25)";
    (None, "number.parts_mismatch") when the parts do not add up to the total typed; (None, None) for other text."""
    if bracketed := _BRACKETED.match(text):
        return _counted(bracketed["inner"]), None
    total, parts = None, []
    if added := _SUM.match(text):
        parts = [_counted(t) for t in added["terms"].split("+")]
        total = _counted(added["total"]) if added["total"] else sum(p for p in parts if p is not None)
    elif broken := _PARTS.match(text):
        total, parts = _counted(broken["total"]), [int(n.replace(".", "")) for n in _PART.findall(broken["parts"])]
    if total is None or len(parts) < 2 or None in parts:
        return None, None
    if sum(parts) != total:
        return None, problem(Rule.NUMBER_PARTS_MISMATCH, parts=vn_number(sum(parts)), total=vn_number(total))
    return total, None


def _counted(text: str) -> int | None:
    """A whole number read from `text` without a doubt (a unit after it is fine, an assumption is not)."""
    number, bad = _whole(text)
    return number if bad is None else None


def _is_dash(key: str) -> bool:
    """A folded cell of dashes only ("-", "--", "- -")."""
    return bool(key) and set(key) <= {"-", " "}


def _whole(value) -> tuple[int | None, Problem | None]:
    """A whole number as typed (no reading of words for none or about)."""
    number, bad, suffix = _read_number(value)
    if number is None or (bad is not None and bad.severity != WARNING):
        return None, bad
    if suffix.startswith("%"):
        return None, problem(Rule.NUMBER_PERCENT_IN_COUNT)   # "90%" where a count of people is asked
    if abs(number) >= MAX_WHOLE:
        return None, problem(Rule.NUMBER_TOO_LARGE)          # two phone numbers pasted together
    if abs(number - round(number)) > 1e-9:
        return None, problem(Rule.NUMBER_NOT_WHOLE)
    return int(round(number)), bad


def parse_bounded(value, top: float) -> tuple[float | None, Problem | None]:
    """A number in a column that cannot exceed `top` (a score out of 100, a rate).

    "92,1/100" is 92.1 on a 100-point scale; "96,666" would be 96666 as thousands, which the column
    cannot hold, so it is read as 96.666 with a warning saying so.
    """
    if isinstance(value, str) and top == 100 and (scaled := _OUT_OF_100.match(nfc(value))):
        value = scaled["score"]
    number, bad = parse_number(value)
    if bad is not None or number is None or number <= top or not isinstance(value, str):
        return number, bad
    match = _NUMBER.match(nfc(value))
    if match and match["suffix"] in (None, "%") and _ONE_GROUP.match(match["num"].strip()):
        decimal = float(match["num"].strip().replace(",", "."))
        if decimal <= top:
            return decimal, problem(Rule.NUMBER_DECIMAL_ASSUMED, WARNING, assumed=_vn_decimal(decimal),
                                    thousands=f"{number:,.0f}".replace(",", "."))
    return number, bad


def _vn_decimal(x: float) -> str:
    return repr(round(x, 10)).replace(".", ",").removesuffix(",0")


def parse_year(value) -> tuple[int | None, Problem | None]:
    """A year: 2021, "2021", or a year with words around it ("Năm 2021", "năm 2021 (6 tháng)").

    A year in a date-formatted cell arrives as a date: 2021 typed there is day 2021 of Excel's calendar
    (13/07/1905), and 1/1/2021 typed there is a date in 2021; both are read as the year 2021 and said.
    """
    if isinstance(value, (dt.datetime, dt.date)):
        day = value.date() if isinstance(value, dt.datetime) else value
        serial = (day - _EXCEL_EPOCH).days
        year = serial if DATE_MIN.year <= serial <= DATE_MAX.year else day.year
        if DATE_MIN.year <= year <= DATE_MAX.year:
            return year, assumed(Rule.VALUE_ASSUMED, "date_as_year", assumed=str(year))
        return None, problem(Rule.YEAR_INVALID)
    number, bad = _whole(value)
    if number is not None and 10 <= number <= 99:   # "21", "'21", "năm 21": the century left out
        number, bad = 2000 + number, assumed(Rule.VALUE_ASSUMED, "short_year", assumed=str(2000 + number))
    if number is not None and bad is not None:   # "2 023": said as a year, not as a count
        return number, assumed(Rule.VALUE_ASSUMED, bad.read_by or "year_in_text", assumed=str(number))
    if number is not None or bad is None or bad.rule != Rule.NUMBER_INVALID or not isinstance(value, str):
        return number, bad
    years = set(YEAR.findall(nfc(value)))
    if len(years) == 1 or (span := _YEAR_SPAN.search(nfc(value))) and span[1] < span[2]:
        year = int(years.pop()) if len(years) == 1 else int(span[1])   # "2020 - 2023": the year it started
        return year, assumed(Rule.VALUE_ASSUMED, "year_in_text", assumed=str(year))
    return None, problem(Rule.YEAR_INVALID)


def parse_date(value, year: int | None = None) -> tuple[dt.date | None, Problem | None]:
    """A date from an Excel date, an Excel serial, or day-first text. A day and month typed without their year
    ("15/6", "ngày 15 tháng 6") are read in `year` with a warning; with no `year`, "date.no_year"."""
    if is_blank(value):
        return None, None
    if isinstance(value, (dt.datetime, dt.date)):
        # A number typed into a date-formatted cell arrives as a date near 1900 (2023 -> 15/07/1905): not a date.
        day = value.date() if isinstance(value, dt.datetime) else value
        return (day, None) if DATE_MIN <= day <= DATE_MAX else (None, problem(Rule.DATE_INVALID))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # A serial in the plausible range is a date stored as a number; anything else is not a date.
        if float(value).is_integer() and DATE_MIN <= _EXCEL_EPOCH + dt.timedelta(days=min(int(value), 100_000)) <= DATE_MAX:
            return _EXCEL_EPOCH + dt.timedelta(days=int(value)), None
        return None, problem(Rule.DATE_INVALID)
    if not isinstance(value, str):
        return None, _unreadable(value) or problem(Rule.DATE_INVALID)
    if bad := _unreadable(value):
        return None, bad
    if _SERIAL.match(value) and (day := parse_date(int(value))[0]) is not None:
        return day, assumed(Rule.VALUE_ASSUMED, "excel_serial", assumed=f"{day:%d/%m/%Y}")   # "45091": pasted as text
    return _date_in_text(value, year)


def _date_in_text(value: str, year_left_out: int | None = None) -> tuple[dt.date | None, Problem | None]:
    """The one date written in a cell: "14/6/2023", "Đức Phổ, ngày 14 tháng 6 năm 2023", "14/6/2023.", "14-Jun-2023"."""
    text = nfc(value).lower().translate(_DASH_CHARS)   # "15–6–2023": Word's en dash between the parts
    text = text.replace("ngày", " ").replace("tháng", "/").replace("thg", "/").replace("năm", "/")
    text = _MONTH_NAME.sub(lambda m: f"/{_MONTHS.index(m[1]) + 1}/", text)   # English month names
    text = _MONTH_FIRST.sub(r"\2/\1/", text)
    text = re.sub(r"\s*/\s*", "/", text).strip("/ ")
    text = _YEAR_APART.sub(r"\1/\2", text)   # "14 tháng 6, 2023", "14 thg 6 2023"
    found = {(int(d), int(m), int(y)) for d, m, y in _DATE_DMY.findall(text)}
    found |= {(int(d), int(m), int(y)) for y, m, d in _DATE_YMD.findall(text)}
    if not found and (spaced := _DATE_SPACED.match(text)):
        found = {tuple(int(x) for x in spaced.groups())}
    if not found and (day_month := _DAY_MONTH.match(text)):
        day, month = int(day_month[1]), int(day_month[2])
        if year_left_out is None:
            return None, problem(Rule.DATE_NO_YEAR if _day(day, month, 2000)[0] else Rule.DATE_INVALID)
        date, _swapped = _day(day, month, year_left_out)
        return ((date, assumed(Rule.VALUE_ASSUMED, "year_left_out", assumed=f"{date:%d/%m/%Y}")) if date
                else (None, problem(Rule.DATE_INVALID)))
    if len(found) != 1:
        return None, problem(Rule.DATE_INVALID)   # no date, or two dates: which one?
    day, month, year = found.pop()
    date, swapped = _day(day, month, year + (2000 if year < 100 else 0))
    if date is None:
        return None, problem(Rule.DATE_INVALID)
    return date, assumed(Rule.VALUE_ASSUMED, "month_first", assumed=f"{date:%d/%m/%Y}") if swapped else None


def _day(day: int, month: int, year: int) -> tuple[dt.date | None, bool]:
    """The date of a day, month and year as typed (None when there is none), and whether the day and month
    were swapped to make it: "06/14/2023" from a computer set to English is month first."""
    swapped = month > 12 >= day
    if swapped:
        day, month = month, day
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None, swapped
    return (date, swapped) if DATE_MIN <= date <= DATE_MAX else (None, swapped)


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
        return None, problem(Rule.YESNO_INVALID)
    if bad := _unreadable(value):
        return None, bad
    key = fold(value).rstrip(".*! ")   # "Có.", "Có!", "Có*" (a footnote mark)
    if key in YES:
        return True, None
    if key in NO:
        return False, None
    if _is_dash(key):                 # "-": nothing to declare, as in a count cell
        return False, assumed(Rule.VALUE_ASSUMED, "dash_is_no", assumed="“Không”")
    reading = "answer_then_reason"
    said = _answer_then_words(nfc(str(value)).casefold().strip())
    if said is None:   # an answer of two words or more before its reason: "Đảm bảo (3 năm HTXS)", "Chưa đạt - …"
        said = _phrase_then_reason(nfc(str(value)))
    if said is None and isinstance(value, str) and (legacy := read_as_tcvn3(value)) is not None:
        said, reading = parse_yes_no(legacy)[0], "tcvn3"   # "Cã", typed in a ".VnTime" font: "Có"
    if said is not None:
        return said, assumed(Rule.VALUE_ASSUMED, reading, assumed="“Có”" if said else "“Không”")
    return None, problem(Rule.YESNO_INVALID)


_REASON_MARK = re.compile(rf"\s*[(\-{DASH_CHARS}:,;]\s*")   # what separates an answer from its reason


def _phrase_then_reason(text: str) -> bool | None:
    """The answer of a cell that starts with an answer of the YES or NO lists ("đảm bảo", "chưa đạt") and then,
    after a bracket, a dash, a colon or a comma, its reason; None for any other cell."""
    parts = _REASON_MARK.split(text, maxsplit=1)
    if len(parts) < 2 or not parts[1].strip():
        return None
    head = fold(parts[0]).strip(" .")
    return True if head in YES else False if head in NO else None


def _answer_then_words(text: str) -> bool | None:
    """The answer a cell starts with when the words after it do not put it off ("có thể") nor, going on
    from it without a break, turn it around ("Có nhưng chưa đủ"; "Có, không vi phạm" is a "Có" and its reason)."""
    answer = _ANSWER_THEN_REASON.match(text)
    said = _ANSWER_WORDS.get(strip_accents(answer[1])) if answer else None
    if said is None:
        return None
    rest = re.findall(r"\w+", answer[3])
    if not rest or rest[0] in _HEDGES:
        return None
    if said and not answer[2].strip() and _NEGATIONS & {strip_accents(w) for w in rest}:
        return None
    return said


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


# A list where one thing is asked: lines that each start with a list mark ("1.", "2)", "a)", "-", "+", "•"), or a
# cell that starts with a numbered list, "1. … 2. …" / "1) …; 2) …" (a "1." inside a name is no list).
_LIST_MARK = re.compile(rf"^\s*(?:[0-9]{{1,2}}\s*[.)]|[a-zđ]\s*\)|[-+•*{DASH_CHARS}])\s*\S", re.IGNORECASE)
_INLINE_LIST = re.compile(r"^\W*1\s*[.)]\s*[^\W\d_].*?[\s;,]2\s*[.)]\s*[^\W\d_]", re.S)
_NUMBERED = re.compile(r"(?:^|[\s;,])[0-9]{1,2}\s*[.)]\s*[^\W\d_]")


def parse_one_item(value, severity: str, positions: tuple[str, ...] = ()) -> tuple[str | None, Problem | None]:
    """A text naming one thing (a model, a nominee); several listed in the cell get `text.several`, of the
    column's severity (a warning keeps the text, counted as one). A marked line that opens with one of
    `positions` (folded words: "chủ tịch", "công chức") says the position of the name above it: no item."""
    text, bad = parse_text(value)
    if text is None or bad is not None:
        return text, bad
    lines = [line for line in str(value).splitlines() if line.strip()]
    marked = sum(1 for line in lines if (m := _LIST_MARK.match(line))
                 and not (fold(line[m.end() - 1:]) + " ").startswith(tuple(f"{w} " for w in positions)))
    if marked >= 2 or len(lines) == 1 and _INLINE_LIST.search(lines[0]):
        count = max(2, marked, len(_NUMBERED.findall(str(value))))
        return (text if severity == WARNING else None), problem(Rule.TEXT_SEVERAL, severity, count=count)
    return text, None


def parse_choice(value, choices: Choices) -> tuple[str | None, Problem | None]:
    """The canonical label of a dropdown value (see `Choices`)."""
    if is_blank(value):
        return None, None
    if bad := _unreadable(value):
        return None, bad
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        if not (choices.reads_periods and value.day == 1):
            return None, problem(Rule.CHOICE_INVALID, suggestion="")
        value = f"{value.month}/{value.year}"   # "6/2023" typed in a period cell: Excel made it June 2023, a date
    label, found = choices.match(nfc(str(value)))
    if label is None and (legacy := read_as_tcvn3(str(value))) is not None:   # "Tèt", typed in a ".VnTime" font
        if (hit := choices.match(nfc(legacy))[0]) is not None:
            return hit, assumed(Rule.CHOICE_ASSUMED, "tcvn3", assumed=hit)
    return label, found
