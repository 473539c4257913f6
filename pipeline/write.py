"""Last stage: write the run's tables. Everything goes to a staging folder first
and is moved into `outputs/` only when the whole run succeeded."""
from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill

from pipeline import messages as msg

ERROR_FILL = PatternFill("solid", fgColor="FF9999")
WARNING_FILL = PatternFill("solid", fgColor="FFE699")
FEEDBACK_SHEET = msg.FEEDBACK_SHEET
# Names this pipeline owns inside outputs/; template/ and demo/ are made by their own targets.
MANAGED = ("files.csv", "submissions.csv", "issues.csv", "feedback", "data", "charts", "tables", "logs",
           "report.html", "Tong_hop_so_ket_Dan_van_kheo.xlsx", "Du_thao_bao_cao_so_ket.docx", "run_summary.txt")


@contextlib.contextmanager
def staging(outputs: Path):
    """A folder to write the run into; its contents replace outputs/ only on success."""
    outputs.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".staging-", dir=outputs))
    try:
        yield stage
        for name in MANAGED:
            target = outputs / name
            if (stage / name).exists() or target.exists():
                if target.is_dir():
                    shutil.rmtree(target)
                elif target.exists():
                    target.unlink()
            if (stage / name).exists():
                os.replace(stage / name, target)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def write_csv(df: pd.DataFrame, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False, encoding="utf-8-sig")  # BOM: Excel opens Vietnamese CSV correctly
    return path


def write_parquet(tables: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, df in tables.items():
        path = folder / f"{name}.parquet"
        df.to_parquet(path, index=False)
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
    ws = wb.create_sheet(FEEDBACK_SHEET, 0)
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
        ws.append([row.sheet, row.cell, row.message, msg.SEVERITY_LABEL[row.severity]])
        for cell in ws[ws.max_row]:
            cell.font = Font(name="Times New Roman")
            cell.alignment = Alignment(wrap_text=True, vertical="top")
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


def write_data_dictionary(path: Path) -> Path:
    """outputs/data/README.md: every persisted table and column, generated from the schemas."""
    from schemas import SHEETS
    from schemas.tables import data_dictionary

    where = {"table": "data/{t}.parquet", "aggregate": "data/aggregates/{t}.parquet", "awards": "data/award_{t}.parquet"}
    lines = [f"# {msg.DICTIONARY_TITLE}", "", msg.DICTIONARY_NOTE, ""]
    for (kind, table), cols in data_dictionary().groupby(["kind", "table"], sort=False):
        lines += [f"## `{where[kind].format(t=table)}`", "", str(cols["table_description"].iloc[0]), "",
                  "| cột | kiểu | mô tả |", "| --- | --- | --- |"]
        lines += [f"| `{r.column}` | {r.dtype} | {r.description} |" for r in cols.itertuples()]
        lines.append("")
    for spec in SHEETS:
        lines += [f"## `data/validated/{spec.name}.parquet`", "", msg.DICTIONARY_VALIDATED.format(sheet=spec.sheet), "",
                  "| cột | kiểu | mô tả |", "| --- | --- | --- |"]
        lines += [f"| `{c.name}` | {c.kind} | {c.header} |" for c in spec.columns]
        lines += ["| `unit_code`, `source_file`, `sheet`, `excel_row` | | " + msg.DICTIONARY_PROVENANCE + " |", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
