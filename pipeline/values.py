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
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from pipeline.text import fold, fold_heading, nfc

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

ERROR, WARNING = "error", "warning"
# A fuzzy match is taken only when it is this close (0–100) and clearly ahead of the next candidate.
FUZZY_ACCEPT, FUZZY_MARGIN, FUZZY_SUGGEST = 88, 8, 60


@dataclass(frozen=True)
class Problem:
    """Why a cell could not be read as typed: a rule code, its severity, message details."""

    rule: str
    severity: str = ERROR
    extra: tuple = field(default=())   # (name, value) pairs for the message

    @property
    def details(self) -> dict:
        return dict(self.extra)


def problem(rule: str, severity: str = ERROR, **extra) -> Problem:
    return Problem(rule, severity, tuple(sorted(extra.items())))


class _NoCachedValue:
    """A formula cell saved without its computed value (by a tool that never calculates)."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NO_CACHED_VALUE"

    def __reduce__(self):
        return (_NoCachedValue, ())


NO_CACHED_VALUE = _NoCachedValue()
_FORMULA_NO_VALUE = problem("formula.no_value")


def is_blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not nfc(value)


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


# -- dropdown values ------------------------------------------------------------------

def _words(key: str) -> list[str]:
    return [w for w in re.split(r"[\s\-–—.,;:/]+", key) if w]


def _initials(words: list[str]) -> str:
    return "".join(w[0] for w in words if w)


class Choices:
    """The allowed values of one dropdown and the loose ways clerks type them.

    - the label itself (any case, with or without diacritics, with or without
      its leading number) is read silently; with `strict`, only the label or
      an alias as written is silent, and the same without diacritics warns;
    - a code, an abbreviation (initials: "HTXS", "HTXSNV"), a unique part of a
      label ("Xuất sắc", "Hoàn thành xuất sắc") or a small typo is read as
      that label with a warning saying what was assumed;
    - anything else, or a part shared by several labels, is an error that
      names the nearest candidates.
    `expand` maps folded abbreviations to their folded full form ("ubnd" ->
    "uy ban nhan dan"), applied to the labels and to what was typed.
    """

    def __init__(self, labels: list[str], codes: list[str] | None = None, aliases: dict[str, str] | None = None,
                 expand: dict[str, str] | None = None, strict: bool = False):
        self.labels = list(labels)
        self.strict = strict
        self._expand = [(re.compile(rf"(?<![\w.]){re.escape(k)}(?![\w])"), v)
                        for k, v in sorted((expand or {}).items(), key=lambda kv: -len(kv[0]))]
        self.as_written = {nfc(x).casefold() for x in [*self.labels, *(aliases or {})]}
        self.exact: dict[str, str] = {}
        for label in self.labels:
            for key in (self._fold(label), self._heading(label)):
                self.exact.setdefault(key, label)
            number = re.match(r"^\s*(\d+)\s*[.)]", label)
            if number:
                self.exact.setdefault(number[1], label)
        for alias, label in (aliases or {}).items():
            self.exact.setdefault(self._fold(alias), label)
        loose: dict[str, set[str]] = {}
        for label in self.labels:
            words = _words(self._heading(label))
            for key in {_initials(words[:n]) for n in range(2, len(words) + 1)}:
                loose.setdefault(key, set()).add(label)
        self.loose = {k: next(iter(v)) for k, v in loose.items() if len(v) == 1 and len(k) >= 2}
        self.loose.update({fold(c): self.labels[i] for i, c in enumerate(codes or [])})  # a code wins
        self._folded = {label: self._heading(label) for label in self.labels}
        counts: dict[str, int] = {}
        for folded in self._folded.values():
            for w in set(_words(folded)):
                counts[w] = counts.get(w, 0) + 1
        # Words most labels share ("ủy ban nhân dân", "phổ") say nothing about which one was meant.
        self._common = {w for w, n in counts.items() if n >= 2 and n / len(self.labels) >= 0.25}
        self._distinct = {label: self._strip_common(folded) for label, folded in self._folded.items()}

    def _fold(self, text: str) -> str:
        key = fold(text)
        for pattern, full in self._expand:
            key = pattern.sub(full, key)
        return re.sub(r"\s+", " ", key.replace(" - ", " ")).strip()  # "Văn hóa – xã hội" = "văn hóa xã hội"

    def _heading(self, text: str) -> str:
        return self._fold(fold_heading(text))

    @lru_cache(maxsize=4096)
    def match(self, text: str) -> tuple[str | None, Problem | None]:
        key, heading = self._fold(text), self._heading(text)
        hit = self.exact.get(key) or self.exact.get(heading)
        if hit:
            if self.strict and nfc(text).casefold() not in self.as_written:
                return hit, problem("choice.assumed", WARNING, assumed=hit)
            return hit, None
        hit = self.loose.get(key) or self.loose.get(heading.replace(" ", ""))
        if hit:
            return hit, problem("choice.assumed", WARNING, assumed=hit)
        parts = self._containing(heading)
        if len(parts) == 1:
            return parts[0], problem("choice.assumed", WARNING, assumed=parts[0])
        if len(parts) > 1:
            return None, problem("choice.ambiguous", candidates=_quoted(self._closest(heading, parts, 3)))
        hit = self._typo(heading)
        if hit:
            return hit, problem("choice.assumed", WARNING, assumed=hit)
        return None, problem("choice.invalid", suggestion=self.suggest(heading))

    def _typo(self, heading: str) -> str | None:
        """The one label a small typo points to: clearly closest overall, or by the words that tell labels apart."""
        ranked = process.extract(heading, self._folded, scorer=fuzz.ratio, limit=2)
        if ranked and ranked[0][1] >= FUZZY_ACCEPT and (len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= FUZZY_MARGIN):
            return ranked[0][2]
        ranked = process.extract(self._strip_common(heading), self._distinct, scorer=fuzz.ratio, limit=2)
        if not ranked or ranked[0][1] < 80 or (len(ranked) > 1 and ranked[0][1] - ranked[1][1] < 10):
            return None
        return ranked[0][2]

    def _containing(self, heading: str) -> list[str]:
        """Labels holding every word the clerk typed (a word may also be the initials of several label words)."""
        typed = _words(heading)
        if not typed or len("".join(typed)) < 3:
            return []
        hits = []
        for label, folded in self._folded.items():
            words = _words(folded)
            runs = {_initials(words[i:j]) for i in range(len(words)) for j in range(i + 2, len(words) + 1)}
            if all(w in words or w in runs for w in typed):
                hits.append(label)
        return hits

    def _closest(self, heading: str, labels: list[str], n: int) -> list[str]:
        ranked = process.extract(heading, {lab: self._folded[lab] for lab in labels}, scorer=fuzz.WRatio, limit=n)
        return [label for _key, _score, label in ranked]

    def _strip_common(self, folded: str) -> str:
        return " ".join(w for w in _words(folded) if w not in self._common) or folded

    def suggest(self, heading: str) -> str:
        """“A” (or “A”, “B”): the closest labels by their distinctive words, for “có phải ý bạn là …?”."""
        ranked = process.extract(self._strip_common(heading), self._distinct, scorer=fuzz.ratio, limit=3)
        if not ranked or ranked[0][1] < FUZZY_SUGGEST:
            return ""
        close = [label for _key, score, label in ranked if score >= max(FUZZY_SUGGEST, ranked[0][1] - 10)]
        return _quoted(close[:2])


def _quoted(labels: list[str]) -> str:
    return ", ".join(f"“{label}”" for label in labels)


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
