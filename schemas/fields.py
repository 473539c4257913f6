"""Column declarations: one call per template column, metadata in one place."""
from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

# Kinds of column. The reader turns raw cell values into the kind's dtype;
# the template adds the matching Excel data validation.
TEXT = "text"          # free text (NFC, trimmed)
INT = "int"            # whole number >= 0 unless a range says otherwise
DECIMAL = "decimal"    # number with decimals (a score, a percentage)
DATE = "date"          # a date, always day-first
CHOICE = "choice"      # one value of a vocabulary (dropdown)
YESNO = "yesno"        # Có / Không
YEAR = "year"          # a year of the review
PHONE = "phone"        # digits, spaces, dots, +
EMAIL = "email"

MAX_COUNT = 1_000_000

TEXT_DTYPE = pd.api.types.pandas_dtype("str")   # the dtype the reader gives text (pandas' own "str", Arrow-backed)


def column(
    plan,
    header: str,
    help: str,
    kind: str = TEXT,
    *,
    required: bool = False,
    vocab: str | None = None,
    ge: float | None = None,
    le: float | None = None,
    width: int | None = None,
    key: bool = False,
    percent: bool = False,
    share_of: str | None = None,
    in_review_year: bool = False,
    one_item: str | None = None,
    **checks,
):
    """A pandera Field carrying the template metadata of one column; a choice's values are `plan`'s labels of `vocab`.

    `key=True` marks a column the template prefills and locks (a year, a
    content area): the reader uses it to match rows, the unit never types it.
    `percent=True` marks a percentage typed on a 0–100 scale: a fraction
    typed in a percent-formatted cell ("96,6%" is stored as 0.966) is read as
    96.6.
    `share_of` names the count this one is a part of: a percentage typed here ("100%", "95% CBCCVC") is read
    as that share of the other column's number, with a warning.
    `in_review_year=True` marks a date of the review itself (the report date): a day and month typed without
    a year ("15/6") are read in the deadline's year, with a warning; elsewhere they are refused ("date.no_year").
    `one_item` ("warning" or "error") marks a text that names one thing (a model, a nominee): a cell listing
    several ("1. … 2. …", one "- …" per line) gets a `text.several` problem of that severity.
    """
    if kind == CHOICE:
        checks["isin"] = plan.labels(vocab)
    if kind in (INT, DECIMAL, YEAR):
        if kind == INT and ge is None:
            ge = 0
        if kind == INT and le is None:
            le = MAX_COUNT
        if ge is not None:
            checks["ge"] = ge
        if le is not None:
            checks["le"] = le
    # A label of up to three words before a value ("Email: …", "Điện thoại: …"), a remark in brackets after it
    # ("… (Zalo)", "… (đ/c Hạnh)"), and a separator left at the end ("…; ") are the clerk's, not the value's.
    # Without its colon, only a word that names an address is a label ("E-mail phoan@…"; "a b@c.vn" is no address).
    label = r"(?:[^\W\d_]+(?:[\s-][^\W\d_]+){0,2}\.?\s*:\s*|(?i:e-?mail|mail|thư điện tử|hộp thư)\s+)?"
    remark, end = r"(?:\s*\([^()]*\))?", r"[\s;,.]*"
    if kind == EMAIL:   # one address, or several separated by ";", "," or "hoặc"
        one = rf"{label}[^@\s;,()]+@[^@\s;,()]+\.[^@\s;,()]+{remark}"
        checks["str_matches"] = rf"^{one}(?:\s*(?:[;,/]|hoặc|hoac|và)\s*{one})*{end}$"
    if kind == PHONE:   # one number, or several as units write them: "0255 3859 123 - 0905 123 456", "CQ: …; DĐ: …"
        one = r"(?:[^\W\d_]+(?:\s[^\W\d_]+){0,2}\.?\s*:?\s*)?\+?\(?[0-9][0-9 .()-]{7,18}(?:\s*\([^()0-9]*\))?"
        checks["str_matches"] = rf"^{one}(?:\s*(?:[;,/]|\s-|–|hoặc|hoac|và|va)\s*{one})*{end}$"
    metadata = {
        "header": header,
        "help": help,
        "kind": kind,
        "vocab": vocab,
        "min": ge,
        "max": le,
        "width": width or _default_width(kind, header),
        "key": key,
        "percent": percent,
        "share_of": share_of,
        "in_review_year": in_review_year,
        "one_item": one_item,
    }
    return pa.Field(nullable=not required, metadata=metadata, **checks)


def _default_width(kind: str, header: str) -> int:
    base = {TEXT: 40, INT: 14, DECIMAL: 14, DATE: 14, CHOICE: 30, YESNO: 12, YEAR: 12, PHONE: 16, EMAIL: 28}[kind]
    return max(base, min(len(header) // 2 + 4, 60))
