"""Feedback workbooks: each unit's own workbook with its faulty cells highlighted and commented.

The first sheet lists every problem with a link to its cell. `.xls`/`.ods`
returns are rebuilt from their values as .xlsx. A file refused for its unit
(but readable) gets one too, so the unit sees why.
"""
from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill

from pipeline import messages as msg
from pipeline.files import atomic_path
from pipeline.read.sources import WORKBOOK_FORMATS
from pipeline.read.workbook import sheet_values
from schemas.codes import USED_FILE_STATUSES, FileStatus, Severity

LIST_CHARS_PER_LINE = 80   # of a message in the list sheet's 90-wide column, with room for a wider font
LIST_LINE_PT = 16
ERROR_FILL = PatternFill("solid", fgColor="FF9999")
WARNING_FILL = PatternFill("solid", fgColor="FFE699")


def write_feedback(result, folder: Path) -> list[Path]:
    """feedback/<unit>.xlsx for every readable file that has problems; returns the written paths."""
    by_file = {s.file: s for s in result.sources}
    fmt = dict(zip(result.files["file"], result.files["format"]))
    status = dict(zip(result.files["file"], result.files["status"]))
    paths = []
    for file, group in result.issues.groupby("file", sort=True):
        used = status.get(file) in USED_FILE_STATUSES
        readable = used or (status.get(file) == FileStatus.REJECTED and by_file[file].sheets)
        if not readable or fmt.get(file) not in WORKBOOK_FORMATS:
            continue
        group = group[group["rule"] != "file.rejected"] if used else group
        unit = group["unit_code"].iloc[0] or Path(file).stem
        data = by_file[file].load()
        raw = None if fmt[file] in ("xlsx", "xlsm") else sheet_values(data)
        wb = feedback_workbook(data, fmt[file], group, raw)
        path = folder / f"{unit}.xlsx"
        with atomic_path(path) as tmp:
            wb.save(tmp)
        paths.append(path)
    return paths


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
    for row in issues.itertuples(index=False):
        ws.append([row.sheet, row.cell, row.message, Severity(row.severity).label])
        for cell in ws[ws.max_row]:
            cell.font = Font(name="Times New Roman")
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        # LibreOffice keeps a written row's height: each row is made tall enough for its wrapped message.
        ws.row_dimensions[ws.max_row].height = LIST_LINE_PT * max(1, -(-len(row.message) // LIST_CHARS_PER_LINE),
                                                                  -(-len(str(row.sheet)) // 24))
        ws.cell(ws.max_row, 4).fill = ERROR_FILL if row.severity == "error" else WARNING_FILL
        if row.sheet in wb.sheetnames and row.cell:
            ws.cell(ws.max_row, 2).hyperlink = f"#'{row.sheet}'!{row.cell}"
            target = wb[row.sheet][row.cell]
            target.fill = ERROR_FILL if row.severity == "error" else WARNING_FILL
            note = row.message if target.comment is None else target.comment.text + "\n" + row.message
            target.comment = Comment(note, "Cơ quan Tổ chức – Nội vụ", width=320, height=140)
    ws.freeze_panes = "A4"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    wb.active = 0
    return wb


