"""Feedback workbooks: each unit's own workbook with its faulty cells highlighted and commented.

The first sheet lists every problem with a link to its cell. `.xls`/`.ods`
returns are rebuilt from their values as .xlsx. A file refused for its unit
(but readable) gets one too, so the unit sees why.
"""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill

from pipeline import messages as msg
from pipeline.check.feedback_xlsx import Listing, Mark, annotate
from pipeline.files import atomic_path, link_or_copy
from pipeline.read.sources import WORKBOOK_FORMATS
from pipeline.read.workbook import sheet_values
from schemas.codes import USED_FILE_STATUSES, FileStatus, Severity

LIST_CHARS_PER_LINE = 80   # of a message in the list sheet's 90-wide column, with room for a wider font
LIST_LINE_PT = 16
ERROR_FILL = PatternFill("solid", fgColor="FF9999")
WARNING_FILL = PatternFill("solid", fgColor="FFE699")


def write_feedback(result, folder: Path, made: dict[str, tuple[Path, str]] | None = None) -> list[Path]:
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
        group = _shown(by_file[file], rows_of[file])
        if not group:
            continue
        unit = group[0]["unit_code"] or Path(file).stem
        path = folder / f"{unit}.xlsx"
        ready = (made or {}).get(file)
        if ready and ready[0].exists() and ready[1] == issues_digest(group):
            path.parent.mkdir(parents=True, exist_ok=True)
            link_or_copy(ready[0], path)
        else:
            with atomic_path(path) as tmp:
                tmp.write_bytes(feedback_bytes(by_file[file].load(), by_file[file].format, group))
        paths.append(path)
    return paths


def _shown(src, rows: list[dict]) -> list[dict]:
    """The issues a file's feedback copy shows; none when the file gets no copy (unreadable, superseded)."""
    used = src.status in USED_FILE_STATUSES
    readable = used or (src.status == FileStatus.REJECTED and (src.readable or src.sheets))
    if not readable or src.format not in WORKBOOK_FORMATS:
        return []
    return [r for r in rows if r["rule"] != "file.rejected"] if used else rows


def issue_list(issues: list, src) -> list[dict]:
    """One file's issues as issues.csv will list them (for a feedback copy made while checking)."""
    from pipeline.check.results import issue_rows
    from pipeline.read.discover import guess_unit_from_name

    guessed = {src.file: src.unit_code or guess_unit_from_name(src.file, _plan())} if src.status else {}
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


def _plan():
    from pipeline.config import load_plan

    return load_plan()



def feedback_bytes(data: bytes, fmt: str, issues: list[dict]) -> bytes:
    """The feedback copy as .xlsx bytes: an .xlsx is edited in place (fast), anything else rebuilt with openpyxl."""
    if fmt in ("xlsx", "xlsm"):
        marks = [Mark(r["sheet"], r["cell"], r["severity"], r["message"]) for r in issues]
        rows = [(r["sheet"], r["cell"], r["message"], Severity(r["severity"]).label, r["severity"]) for r in issues]
        listing = Listing(msg.FEEDBACK_SHEET, msg.FEEDBACK_TITLE, msg.FEEDBACK_NOTE, tuple(msg.FEEDBACK_HEADERS), rows,
                          _plan().review["office"])
        fast = annotate(data, marks, listing)
        if fast is not None:
            return fast
    raw = None if fmt in ("xlsx", "xlsm") else sheet_values(data)
    buf = io.BytesIO()
    feedback_workbook(data, fmt, pd.DataFrame(issues), raw).save(buf)
    return buf.getvalue()


def feedback_workbook(data: bytes, fmt: str, issues: pd.DataFrame, raw_sheets: dict[str, list[list]] | None) -> Workbook:
    """A copy of the unit's workbook with faulty cells highlighted and commented,
    and a first sheet listing every problem. `.xls`/`.ods` are rebuilt from values."""
    if fmt in ("xlsx", "xlsm"):
        wb = load_workbook(io.BytesIO(data), keep_vba=False, keep_links=False)
    else:
        wb = Workbook()
        wb.remove(wb.active)
        for name, rows in (raw_sheets or {}).items():
            ws = wb.create_sheet(name[:31])
            for row in rows:
                ws.append([None if v == "" else v for v in row])
    ws = wb.create_sheet(msg.FEEDBACK_SHEET, 0)
    ws.append([msg.FEEDBACK_TITLE])
    ws.append([msg.FEEDBACK_NOTE])
    ws.append(list(msg.FEEDBACK_HEADERS))
    ws["A1"].font = Font(name="Times New Roman", bold=True, size=13)
    ws["A2"].font = Font(name="Times New Roman", italic=True)
    for cell in ws[3]:
        cell.font = Font(name="Times New Roman", bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for width, letter in zip((28, 8, 90, 10), "ABCD"):
        ws.column_dimensions[letter].width = width
    for n, row in enumerate(issues.itertuples(index=False), start=4):  # rows counted here: max_row is slow
        ws.append([row.sheet, row.cell, row.message, Severity(row.severity).label])
        for cell in ws[n]:
            cell.font = Font(name="Times New Roman")
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        # LibreOffice keeps a written row's height: each row is made tall enough for its wrapped message.
        ws.row_dimensions[n].height = LIST_LINE_PT * max(1, -(-len(row.message) // LIST_CHARS_PER_LINE),
                                                         -(-len(str(row.sheet)) // 24))
        ws.cell(n, 4).fill = ERROR_FILL if row.severity == "error" else WARNING_FILL
        if row.sheet in wb.sheetnames and row.cell:
            ws.cell(n, 2).hyperlink = f"#'{row.sheet}'!{row.cell}"
            target = wb[row.sheet][row.cell]
            target.fill = ERROR_FILL if row.severity == "error" else WARNING_FILL
            note = row.message if target.comment is None else target.comment.text + "\n" + row.message
            target.comment = Comment(note, _plan().review["office"], width=320, height=140)
    ws.freeze_panes = "A4"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    wb.active = 0
    return wb


