"""The standard template that every unit fills, generated from `schemas/`."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from pipeline import messages as msg
from pipeline.config import Plan, load_plan
from schemas import SheetSpec
from schemas.fields import CHOICE, DATE, DECIMAL, EMAIL, INT, PHONE, TEXT, YEAR, YESNO
from schemas.spec import FIRST_DATA_ROW, FORM_VALUE_COLUMN, HEADER_ROW, NOTE_ROW, TITLE_ROW

TEMPLATE_FILENAME = "Mau_bao_cao_so_ket_Dan_van_kheo.xlsx"
INSTRUCTIONS_SHEET = msg.INSTRUCTIONS_SHEET
LISTS_SHEET = msg.LISTS_SHEET
STAMP_CELL = "A2"
FONT = "Times New Roman"
DATE_MIN = dt.date(2019, 1, 1)
DATE_MAX = dt.date(2030, 12, 31)
# Printing: A4 landscape at no less than about 70%: the columns of a sheet add up to at most PRINT_WIDTH
# Excel width units (the widest narrow first, their text wraps); a column never narrows below MIN_WIDTH.
PRINT_WIDTH = 150
MIN_WIDTH = 10
# Each sheet prints one page wide and as many pages tall as its rows fill at the scale its width allows, at most
# SHRINK_TO when it is narrower (the instructions then print on one page, not two). The sheet says that many pages
# tall: Excel, whose Calibri width unit is narrower (7 px), would otherwise print larger and on more pages. Pages
# are counted with the widest width unit seen (LibreOffice without Calibri: about 9.3 px, and 5 px a column), so
# that no office suite has to shrink a sheet below that scale to keep to its pages.
PAPER_INCHES = {"portrait": (8.27, 11.69), "landscape": (11.69, 8.27)}
SIDE_MARGIN, TOP_MARGIN = 0.4, 0.6
PX_PER_UNIT, PX_PER_COLUMN, DPI = 9.3, 5, 96
SHRINK_TO = 0.80
PAGE_SLACK = 0.97       # of a page's height counted as usable: the office suites round row heights their own way
DEFAULT_ROW_PT = 15     # a row left at its default height (LibreOffice draws it a little lower)
LINE_PT = 15            # height of one line of 11 pt text
NARRATIVE_LINES = 4     # a free-text answer cell shows this many lines before the unit scrolls
INSTRUCTIONS_WIDTH = 66     # one column must fit a portrait page's width at 100% (LibreOffice never narrows a
                            # single column to the page's width), even when a wider font replaces Calibri; the
                            # sheet then shrinks (to about 83%) only to print on one page tall

_thin = Side(style="thin", color="808080")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
KEY_FILL = PatternFill("solid", fgColor="EDEDED")
UNLOCKED = Protection(locked=False)
NUMBER_FORMATS = {INT: "#,##0", YEAR: "0", DECIMAL: "#,##0.0", DATE: "dd/mm/yyyy", TEXT: "@", PHONE: "@", EMAIL: "@"}


def stamp_text(plan: Plan) -> str:
    return f"{msg.STAMP_PREFIX} {plan.template_version}"


def build_template(plan: Plan | None = None) -> Workbook:
    """The blank template as an openpyxl workbook."""
    plan = plan or load_plan()
    wb = Workbook()
    _instructions(wb.active, plan)
    list_refs = _lists_sheet(wb, plan)
    for spec in plan.sheets:
        ws = wb.create_sheet(spec.sheet)
        if spec.layout == "form":
            _form_sheet(ws, spec, list_refs)
            _print_setup(ws, "portrait", last_row=FIRST_DATA_ROW + len(spec.columns) - 1, last_col=3)
        else:
            _table_sheet(ws, spec, list_refs)
            _print_setup(ws, "landscape", last_row=FIRST_DATA_ROW + _printed_rows(ws, spec) - 1,
                         last_col=len(spec.columns), repeat_row=HEADER_ROW)
        ws.protection.sheet = True
        ws.protection.formatColumns = False  # let users widen columns and rows
        ws.protection.formatRows = False
        ws.protection.formatCells = False
        if spec.blank_rows:  # free-row tables: a unit with more models than prepared rows adds rows
            ws.protection.insertRows = False
            ws.protection.deleteRows = False
    wb.properties.title = plan.review["title"]
    wb.properties.keywords = plan.template_version
    wb.properties.creator = plan.review.get("template_creator") or plan.review.get("local_government", "")
    return wb


def _print_setup(ws, orientation: str, last_row: int, last_col: int, repeat_row: int | None = None) -> None:
    """A4, the sheet's own rows and columns only (the print area), one page wide and `_pages_tall` pages tall."""
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.orientation = orientation
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_margins.left = ws.page_margins.right = SIDE_MARGIN
    ws.page_margins.top = ws.page_margins.bottom = TOP_MARGIN
    ws.print_options.horizontalCentered = True
    ws.print_area = f"A1:{get_column_letter(last_col)}{last_row}"
    heights = [_row_height(ws, r) for r in range(1, last_row + 1)]
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = _pages_tall(heights, repeat_row, _page_rows_pt(ws, orientation, last_col))


def width_scale(widths: list[float], orientation: str) -> float:
    """The scale at which columns of these widths fill an A4 page's width (at most 1), with the widest width unit."""
    page_px = (PAPER_INCHES[orientation][0] - 2 * SIDE_MARGIN) * DPI
    return min(1.0, page_px / sum(w * PX_PER_UNIT + PX_PER_COLUMN for w in widths))


def _page_rows_pt(ws, orientation: str, last_col: int) -> float:
    """Points of rows (at 100%) that one printed page holds, at the width's scale or SHRINK_TO if that is smaller."""
    widths = [ws.column_dimensions[get_column_letter(j)].width for j in range(1, last_col + 1)]
    scale = min(width_scale(widths, orientation), SHRINK_TO)
    return (PAPER_INCHES[orientation][1] - 2 * TOP_MARGIN) * 72 * PAGE_SLACK / scale


def _row_height(ws, row: int) -> float:
    return ws.row_dimensions[row].height or DEFAULT_ROW_PT


def _pages_tall(heights: list[float], repeat_row: int | None, page_pt: float) -> int:
    """Pages the rows take, a row never split, the repeated header row at the top of every page after the first."""
    pages, used = 1, 0.0
    for height in heights:
        if used + height > page_pt and used:
            pages, used = pages + 1, (heights[repeat_row - 1] if repeat_row else 0.0)
        used += height
    return pages


def _printed_rows(ws, spec: SheetSpec) -> int:
    """Data rows printed: every prepared row of a table of fixed rows; of a free-row table only those that fill its
    first page (sixty empty rows of models would print seven pages of grid; the sheet keeps all of them on screen)."""
    if spec.fixed_rows or not spec.blank_rows:
        return spec.n_data_rows
    page_pt = _page_rows_pt(ws, "landscape", len(spec.columns))
    used = sum(_row_height(ws, r) for r in range(1, FIRST_DATA_ROW))
    rows = 0
    while rows < spec.n_data_rows and used + _row_height(ws, FIRST_DATA_ROW + rows) <= page_pt:
        used += _row_height(ws, FIRST_DATA_ROW + rows)
        rows += 1
    return max(rows, 1)


def print_widths(widths: list[float], budget: float = PRINT_WIDTH) -> list[float]:
    """The widths narrowed, widest first, until they add up to `budget` (none below MIN_WIDTH)."""
    widths = list(widths)
    while sum(widths) > budget:
        j = max(range(len(widths)), key=lambda k: widths[k])
        if widths[j] <= MIN_WIDTH:
            break
        widths[j] = max(widths[j] - 1, MIN_WIDTH)
    return widths


def _lines(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column of `width` units (11 pt Times: about one unit per character)."""
    return max(1, -(-len(text) * 11 // max(int((width - 1) * 10), 1)))


def write_template(out_dir: Path, plan: Plan | None = None) -> Path:
    """Write the template into `out_dir` (atomically) and return its path."""
    from pipeline.files import atomic_path

    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / TEMPLATE_FILENAME
    with atomic_path(path) as tmp:
        build_template(plan).save(tmp)
    return path


def _instructions(ws, plan: Plan) -> None:
    """One column of wrapped lines, as wide as a portrait A4 page: nothing runs off the page on the right."""
    ws.title = INSTRUCTIONS_SHEET
    review = plan.review
    ws.column_dimensions["A"].width = INSTRUCTIONS_WIDTH
    ws["A1"] = msg.TEMPLATE_HEADING.format(title=review["title"])
    ws["A1"].font = Font(name=FONT, bold=True, size=14)
    ws["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[1].height = 20 * _lines(ws["A1"].value, INSTRUCTIONS_WIDTH * 0.8)
    ws[STAMP_CELL] = stamp_text(plan)
    ws[STAMP_CELL].font = Font(name=FONT, italic=True, size=10, color="595959")
    lines = msg.instructions(plan, sheets=[(s.sheet, s.title) for s in plan.sheets])
    for i, (text, bold) in enumerate(lines, start=4):
        cell = ws.cell(row=i, column=1, value=text)
        cell.font = Font(name=FONT, bold=bold, size=12)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[i].height = 17 * _lines(text, INSTRUCTIONS_WIDTH * 0.9)
    ws.protection.sheet = True
    _print_setup(ws, "portrait", last_row=ws.max_row, last_col=1)


def _lists_sheet(wb: Workbook, plan: Plan) -> dict[str, str]:
    """A hidden sheet holding every dropdown's values; returns vocab -> range."""
    ws = wb.create_sheet(LISTS_SHEET)
    vocabs = sorted({c.vocab for s in plan.sheets for c in s.columns if c.kind in (CHOICE, YESNO) and c.vocab})
    refs = {}
    for j, vocab in enumerate(vocabs, start=1):
        values = plan.labels(vocab)
        letter = get_column_letter(j)
        ws.cell(row=1, column=j, value=vocab)
        for i, value in enumerate(values, start=2):
            ws.cell(row=i, column=j, value=value)
        refs[vocab] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
    ws.sheet_state = "hidden"
    ws.protection.sheet = True
    return refs


def _validation(col, list_refs: dict[str, str]) -> DataValidation:
    """The Excel data validation of one column, with Vietnamese messages."""
    common = dict(
        allow_blank=True, showInputMessage=True, showErrorMessage=True,
        promptTitle=col.header[:32], prompt=(col.help or col.header)[:255],
        errorTitle=msg.DV_ERROR_TITLE,
    )
    if col.kind in (CHOICE, YESNO):
        return DataValidation(type="list", formula1="=" + list_refs[col.vocab],
                              error=msg.DV_CHOICE_ERROR, **common)
    if col.kind in (INT, YEAR):
        return DataValidation(type="whole", operator="between", formula1=str(int(col.min)), formula2=str(int(col.max)),
                              error=msg.DV_NUMBER_ERROR.format(min=int(col.min), max=int(col.max)), **common)
    if col.kind == DECIMAL:
        return DataValidation(type="decimal", operator="between", formula1=str(col.min), formula2=str(col.max),
                              error=msg.DV_NUMBER_ERROR.format(min=col.min, max=col.max), **common)
    if col.kind == DATE:
        serial = lambda d: str((d - dt.date(1899, 12, 30)).days)  # noqa: E731 (Excel date serial)
        return DataValidation(type="date", operator="between", formula1=serial(DATE_MIN), formula2=serial(DATE_MAX),
                              error=msg.DV_DATE_ERROR, **common)
    # Free text: no restriction, only the input message that explains the column.
    return DataValidation(type=None, **common)


def _header_cell(cell, text: str, required: bool) -> None:
    cell.value = text
    cell.font = Font(name=FONT, bold=True, size=11)
    cell.fill = REQUIRED_FILL if required else HEADER_FILL
    cell.border = BORDER
    cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")


def _data_cell(cell, kind: str, locked: bool = False) -> None:
    cell.font = Font(name=FONT, size=11)
    cell.border = BORDER
    cell.alignment = Alignment(wrap_text=kind == TEXT, vertical="top")
    cell.number_format = NUMBER_FORMATS.get(kind, "General")
    if locked:
        cell.fill = KEY_FILL
    else:
        cell.protection = UNLOCKED


def _title(ws, spec: SheetSpec, last_col: int, width: float) -> None:
    """The sheet's title and note, each wrapped within the sheet's columns: a line running past the last column
    would widen the printed page (LibreOffice prints the text that overflows)."""
    for row, text, font, size in ((TITLE_ROW, spec.title, Font(name=FONT, bold=True, size=13), 13),
                                  (NOTE_ROW, msg.SHEET_NOTE, Font(name=FONT, italic=True, size=10), 10)):
        cell = ws.cell(row=row, column=1, value=text)
        cell.font = font
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
        ws.row_dimensions[row].height = (size + 5) * _lines(text, width * 11 / size)
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=1)


def _narrative_height(spec: SheetSpec, widths: list[float]) -> float | None:
    """Height of a data row of a sheet with a free-text answer column (None: the default height)."""
    texts = [w for c, w in zip(spec.columns, widths) if c.kind == TEXT and c.width >= 50]
    return LINE_PT * NARRATIVE_LINES + 4 if texts else None


def _table_sheet(ws, spec: SheetSpec, list_refs: dict[str, str]) -> None:
    last_row = FIRST_DATA_ROW + spec.n_data_rows - 1
    widths = print_widths([c.width for c in spec.columns])
    _title(ws, spec, len(spec.columns), sum(widths))
    ws.row_dimensions[HEADER_ROW].height = max(3, max(_lines(c.header, w) for c, w in zip(spec.columns, widths))) \
        * LINE_PT + 6
    height = _narrative_height(spec, widths)
    for j, (col, width) in enumerate(zip(spec.columns, widths), start=1):
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = width
        _header_cell(ws.cell(row=HEADER_ROW, column=j), col.header, col.required)
        ws.cell(row=HEADER_ROW, column=j).comment = Comment(col.help or col.header, "Mẫu biểu") if col.help else None
        if not col.key:
            dv = _validation(col, list_refs)
            dv.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}")
            ws.add_data_validation(dv)
        for i in range(spec.n_data_rows):
            cell = ws.cell(row=FIRST_DATA_ROW + i, column=j)
            _data_cell(cell, col.kind, locked=col.key)
            if col.key:
                cell.value = spec.fixed_rows[i][spec.key_columns.index(col.name)]
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    if height:
        for i in range(spec.n_data_rows):
            ws.row_dimensions[FIRST_DATA_ROW + i].height = height
    ws.auto_filter.ref = None
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


FORM_WIDTHS = (32, 42, 26)   # label, answer, help: a portrait A4 page at 70% or more


def _form_sheet(ws, spec: SheetSpec, list_refs: dict[str, str]) -> None:
    """Label, answer and help side by side; each row tall enough for its label, its help and (for a free-text
    answer) a few lines of the unit's text."""
    _title(ws, spec, 3, sum(FORM_WIDTHS))
    for j, text in enumerate(msg.FORM_HEADERS, start=1):
        _header_cell(ws.cell(row=HEADER_ROW, column=j), text, False)
    for letter, width in zip("ABC", FORM_WIDTHS):
        ws.column_dimensions[letter].width = width
    for i, col in enumerate(spec.columns):
        row = FIRST_DATA_ROW + i
        label = ws.cell(row=row, column=1, value=col.header)
        label.font = Font(name=FONT, bold=col.required, size=11)
        label.fill = REQUIRED_FILL if col.required else HEADER_FILL
        label.border = BORDER
        label.alignment = Alignment(wrap_text=True, vertical="top")
        value = ws.cell(row=row, column=FORM_VALUE_COLUMN)
        _data_cell(value, col.kind)
        value.alignment = Alignment(wrap_text=True, vertical="top")
        hint = ws.cell(row=row, column=3, value=col.help)
        hint.font = Font(name=FONT, italic=True, size=10)
        hint.alignment = Alignment(wrap_text=True, vertical="top")
        lines = max(_lines(col.header, FORM_WIDTHS[0]), _lines(col.help or "", FORM_WIDTHS[2] * 1.1),
                    NARRATIVE_LINES if col.kind == TEXT and col.width >= 50 else 1)
        ws.row_dimensions[row].height = lines * LINE_PT + 4
        dv = _validation(col, list_refs)
        dv.add(value.coordinate)
        ws.add_data_validation(dv)
