"""Feedback copies: each unit's own workbook with its faulty cells highlighted and commented.

One writer for every path (`make report`, the web page): `feedback_bytes`. The first sheet lists the problems
with a link to each cell; the cells are marked by editing the package part by part (feedback_xlsx.py), so
that everything the unit put in its file (pictures, charts, its own comments, macros) stays. An `.xls`/`.ods`
return is first rebuilt from its values as .xlsx, every text as text. A file refused for its unit (but
readable) gets one too, so the unit sees why. Past `feedback_max_issues` ([limits] of config/plan.toml) the
copy marks the first ones and says how many more there are; issues.csv keeps them all.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import zipfile
from pathlib import Path

from pipeline import messages as msg
from pipeline.check.budget import OverBudget, budget
from pipeline.check.feedback_xlsx import Listing, Mark, Unsupported, annotate
from pipeline.files import atomic_path, link_or_copy
from pipeline.read.sources import WORKBOOK_FORMATS
from pipeline.read.workbook import sheet_values
from schemas.codes import USED_FILE_STATUSES, FileStatus, Severity
from schemas.rules import Rule

log = logging.getLogger(__name__)
MACRO_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def write_feedback(result, folder: Path, plan, made: dict[str, tuple[Path, str]] | None = None) -> list[Path]:
    """feedback/<unit>.xlsx for every readable file that has problems; returns the written paths.

    `made`: feedback workbooks already made while checking (file -> path, digest of the issues they show);
    one is reused when it shows exactly the file's final issues, else the workbook is made again.
    """
    by_file = {s.file: s for s in result.sources}
    rows_of: dict[str, list[dict]] = {}
    for row in result.issues.to_dict("records"):   # one conversion, not one per file
        rows_of.setdefault(row["file"], []).append(row)
    paths = []
    for file in sorted(rows_of):
        src = by_file[file]
        group = _shown(src, rows_of[file])
        if not group:
            continue
        unit = group[0]["unit_code"] or Path(file).stem
        ready = (made or {}).get(file)
        if ready and ready[0].exists() and ready[1] == issues_digest(group):
            path = folder / f"{unit}{ready[0].suffix}"
            path.parent.mkdir(parents=True, exist_ok=True)
            link_or_copy(ready[0], path)
        else:
            data = feedback_copy(src, group, plan)
            if data is None:
                continue
            path = folder / f"{unit}{feedback_suffix(data)}"
            with atomic_path(path) as tmp:
                tmp.write_bytes(data)
        paths.append(path)
    return paths


def feedback_copy(src, rows: list[dict], plan) -> bytes | None:
    """The feedback copy of one checked file showing its rows of issues.csv, within the file's budget; None when
    the file gets no copy, or when making it failed (logged: one copy never stops a run or a check)."""
    group = _shown(src, rows)
    if not group:
        return None
    try:
        with budget(plan.limits):
            return feedback_bytes(src.load(), src.format, group, plan)
    except (Exception, OverBudget):
        log.exception("feedback copy of %s", src.file)
        return None


def _shown(src, rows: list[dict]) -> list[dict]:
    """The issues a file's feedback copy shows; none when the file gets no copy (unreadable, superseded)."""
    used = src.status in USED_FILE_STATUSES
    readable = used or (src.status == FileStatus.REJECTED and (src.readable or src.sheets))
    if not readable or src.format not in WORKBOOK_FORMATS:
        return []
    return [r for r in rows if r["rule"] != Rule.FILE_REJECTED] if used else rows


def issue_list(issues: list, src, plan) -> list[dict]:
    """One file's issues as issues.csv will list them (for a feedback copy made while checking)."""
    from pipeline.check.results import issue_rows
    from pipeline.read.discover import guess_unit_from_name

    guessed = {src.file: src.unit_code or guess_unit_from_name(src.file, plan)} if src.status else {}
    rows = issue_rows([src], issues, guessed)
    status, src.status = src.status, (src.status or FileStatus.ACCEPTED)
    try:
        return _shown(src, rows)
    finally:
        src.status = status


def issues_digest(rows: list[dict]) -> str:
    """What a feedback copy shows, as a digest: a copy made while checking is reused only when this is unchanged."""
    shown = "\x1e".join("\x1f".join(str(r[k]) for k in ("sheet", "cell", "rule", "severity", "message")) for r in rows)
    return hashlib.sha256(shown.encode()).hexdigest()


def feedback_bytes(data: bytes, fmt: str, issues: list[dict], plan) -> bytes:
    """The feedback copy of a return (its bytes and format) showing `issues` (rows of issues.csv), as .xlsx or
    .xlsm bytes (`feedback_suffix`). The same bytes whichever path asks."""
    limit = int(plan.limits["feedback_max_issues"])
    shown = issues[:limit]
    marks = [Mark(r["sheet"], r["cell"], r["severity"], r["message"]) for r in shown]
    rows = [(r["sheet"], r["cell"], r["message"], Severity(r["severity"]).label, r["severity"]) for r in shown]
    tail = msg.FEEDBACK_MORE.format(more=len(issues) - limit, shown=limit) if len(issues) > limit else ""
    listing = Listing(msg.FEEDBACK_SHEET, msg.FEEDBACK_TITLE, msg.FEEDBACK_NOTE, tuple(msg.FEEDBACK_HEADERS), rows,
                      plan.review["office"], tail)
    package = data if fmt in ("xlsx", "xlsm") else values_workbook(sheet_values(data))
    try:
        return annotate(package, marks, listing)
    except Unsupported:      # a package laid out in a way the editor does not know: openpyxl's layout first
        return annotate(_normalised(package, fmt), marks, listing)


def feedback_suffix(data: bytes) -> str:
    """.xlsm for a copy that keeps the unit's macros (Excel refuses a macro workbook named .xlsx), else .xlsx."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return ".xlsm" if MACRO_TYPE in z.read("[Content_Types].xml").decode("utf-8", "replace") else ".xlsx"


def _normalised(data: bytes, fmt: str) -> bytes:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), keep_vba=fmt == "xlsm", keep_links=False, rich_text=True)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def values_workbook(sheets: dict[str, list[list]]) -> bytes:
    """An .xlsx of an .xls/.ods return's values, sheet by sheet: every text written as text (never a formula
    or a link, whatever it starts with), numbers, dates and yes/no as themselves."""
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                     "strings_to_numbers": False, "nan_inf_to_errors": True})
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    names: set[str] = set()
    for name, rows in sheets.items():
        title = _sheet_title(name, names)
        ws = book.add_worksheet(title)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, bool):
                    ws.write_boolean(r, c, value)
                elif isinstance(value, (int, float)):
                    ws.write_number(r, c, value)
                elif isinstance(value, (dt.datetime, dt.date, dt.time, dt.timedelta)):
                    ws.write_datetime(r, c, value, dates)
                else:
                    ws.write_string(r, c, str(value))
    if not names:
        book.add_worksheet()
    book.close()
    return buf.getvalue()


def _sheet_title(name: str, taken: set[str]) -> str:
    """A sheet name Excel accepts (31 characters, none of []:*?/\\), unique in the workbook."""
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in name).strip("'")[:31] or "Sheet"
    title, n = base, 1
    while title.lower() in taken:
        n += 1
        title = f"{base[:31 - len(str(n)) - 1]}_{n}"
    taken.add(title.lower())
    return title
