"""One worksheet of the summary workbook: a title, the demo banner, captioned tables and native charts."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from pipeline.publish.sections import Section
from pipeline.publish.wording import DEMO_BANNER, PAGE_FOOTER, PRINT_NOTE, PRINT_ROWS_NOTE
from schemas.codes import SubmissionStatus

FONT = "Times New Roman"
STATUS_COLOURS = {  # fill of the status cell (also readable in grey print: the text says it)
    SubmissionStatus.ON_TIME.label: "#C6EFCE", SubmissionStatus.LATE.label: "#FFEB9C",
    SubmissionStatus.DATE_UNKNOWN.label: "#FFEB9C", SubmissionStatus.MISSING.label: "#FFC7CE",
    SubmissionStatus.REJECTED.label: "#D9D9D9",
}
PATTERNS = [("solid", "#404040"), ("wide_upward_diagonal", "#000000"), ("percent_20", "#000000"),
            ("dark_vertical", "#000000"), ("small_grid", "#000000")]
# Printed width budget, in Excel column-width units. A4 landscape with 1.3 cm margins holds about 110 units at 100%
# where LibreOffice has no Calibri (about 9.3 px a unit), 145 units where it has: 150 units print at 70% or more.
PRINT_WIDTH = 150
XLSX_PADDING = 0.71       # xlsxwriter stores each width this much wider (Excel's cell padding)
MAX_TEXT_WIDTH = 40       # a long text column wraps rather than widening the page
MIN_SHRUNK_WIDTH = 12
LINE_HEIGHT = 15.5        # points per wrapped line at 12 pt
CHARS_PER_UNIT = 1.05     # characters of 12 pt Times New Roman per Excel width unit (a little less than measured)
NOTE_LINE = 14.5          # points per line of an 11 pt note

# -- printing --------------------------------------------------------------------------------------------------
# Every sheet prints one page wide. Its pages are counted here as LibreOffice prints where Calibri is missing (its
# widest width unit: about 9.3 px, and 5 px a column; a chart spans the columns xlsxwriter anchors it to, drawn
# that wide). A block (a table's caption and header with its first rows, a chart) that would be cut in two starts
# a new page by a row break; a sheet that needs none says how many pages tall it prints, so that Excel, whose unit
# is narrower (7 px) and would print larger and on more pages, shrinks to those pages instead. A sheet with row
# breaks stays "one page wide, automatic tall": LibreOffice ignores row breaks on a sheet fitted to N pages tall.
PAGE_INCHES = (11.69, 8.27)       # A4 landscape: width, height
SIDE_MARGIN, TOP_MARGIN = 0.4, 0.6
PX_PER_UNIT, PX_PER_COLUMN, DPI = 9.3, 5, 96
PAGE_SLACK = 0.97         # of a page's height counted usable: the suites round row heights their own way
DEFAULT_ROW = 15          # points: a row left at xlsxwriter's default height (LibreOffice draws it so too)
ROW_PX = 20               # the same row in pixels, as xlsxwriter anchors a chart
DEFAULT_WIDTH = 8.43      # a column left at xlsxwriter's default width
CHART_SIZE = (760, 380)   # pixels; a chart is never taller than half a printed page: two print to a page
KEEP_ROWS = 3             # a table's caption and header never end a page: they print with its first rows
SHRINK_TO = 0.72          # a sheet prints a little smaller (by a tenth at most, never below this) to save a page
SHRINK_BY = 0.9


class Formats:
    def __init__(self, wb):
        base = {"font_name": FONT, "font_size": 12, "valign": "top"}
        self.title = wb.add_format(base | {"bold": True, "font_size": 14, "align": "center", "valign": "vcenter",
                                           "text_wrap": True})
        self.demo = wb.add_format(base | {"bold": True, "font_size": 13, "font_color": "#C00000", "align": "center",
                                          "valign": "vcenter", "text_wrap": True, "border": 2,
                                          "border_color": "#C00000"})
        self.caption = wb.add_format(base | {"bold": True, "italic": True})
        self.note = wb.add_format(base | {"italic": True, "font_size": 11})
        self.note_wrapped = wb.add_format(base | {"italic": True, "font_size": 11, "text_wrap": True})
        self.header = wb.add_format(base | {"bold": True, "border": 1, "text_wrap": True, "align": "center",
                                            "valign": "vcenter", "bg_color": "#D9D9D9"})
        self.text = wb.add_format(base | {"border": 1, "text_wrap": True})
        self.int = wb.add_format(base | {"border": 1, "num_format": "#,##0"})
        self.pct = wb.add_format(base | {"border": 1, "num_format": "0.0"})
        self.total_text = wb.add_format(base | {"border": 1, "bold": True, "text_wrap": True, "bg_color": "#F2F2F2"})
        self.total_int = wb.add_format(base | {"border": 1, "bold": True, "num_format": "#,##0", "bg_color": "#F2F2F2"})
        self.total_pct = wb.add_format(base | {"border": 1, "bold": True, "num_format": "0.0", "bg_color": "#F2F2F2"})
        self.status = {k: wb.add_format(base | {"border": 1, "bg_color": v, "bold": True}) for k, v in STATUS_COLOURS.items()}


def _longest_line(texts: list[str]) -> int:
    """The length of the longest line of these texts."""
    longest = max(map(len, texts), default=0)
    if longest and any("\n" in t for t in texts):
        longest = max(len(line) for t in texts for line in t.split("\n"))
    return longest


def _longest_figure(numbers: list[float]) -> int:
    """The length of the longest of these numbers written "1,234": the largest's or the most negative's (the
    written length never shrinks as a number grows away from zero)."""
    return max(len(f"{x:,.0f}") for x in (min(numbers), max(numbers))) if numbers else 0


class Sheet:
    """One worksheet: a title, the demo banner and tables stacked vertically."""

    def __init__(self, wb, fm: Formats, name: str, title: str, is_demo: bool, ncols: int):
        self.wb, self.fm, self.ws = wb, fm, wb.add_worksheet(name)
        self.widths: dict[int, float] = {}
        self.row = 0
        self.heights: dict[int, float] = {}    # row -> points, every row given a height
        self.ws.merge_range(0, 0, 0, max(ncols - 1, 1), title, fm.title)
        self._set_row(0, 36)
        self.row = 1
        if is_demo:
            self.ws.merge_range(1, 0, 1, max(ncols - 1, 1), DEMO_BANNER, fm.demo)
            self._set_row(1, 36)
            self.row = 2
        self.row += 1
        ws = self.ws
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)      # `finish` says how many pages tall
        ws.set_margins(left=SIDE_MARGIN, right=SIDE_MARGIN, top=TOP_MARGIN, bottom=TOP_MARGIN)
        ws.center_horizontally()
        ws.set_footer(PAGE_FOOTER)
        ws.hide_gridlines(2)
        self.header_rows: list[tuple[int, list[str]]] = []
        self.breaks: list[int] = []     # rows that always start a page (a row break before each)
        self.keeps: dict[int, int] = {}  # first row -> last row of a block printed on one page when it fits one
        self.repeat: int | None = None  # the header row printed at the top of every page
        self.print_last_row: int | None = None   # the last row printed (None: every row)
        self.charts: list[list] = []    # [anchor column, width in pixels (None: to the last column), chart, height]
        self.in_part: tuple[int, int, int, int] | None = None   # (header row, rows printed, rows, note row)
        self.cell_text: list[tuple[int, list[int], list[int]]] = []   # (column, rows, text lengths) of each column written
        self.print_columns = 0      # 0: print every column
        self.notes: list[int] = []
        self.note_texts: dict[int, str] = {}   # row -> note, wrapped across the printed columns by `finish`

    def table(self, sec: Section, caption: str | None = None, main: bool = False,
              status_col: str | None = None, print_rows: int | None = None) -> tuple[int, int, int]:
        """Write a section; return (header_row, first_data_row, last_data_row).

        `print_rows` (a sheet's main table, the last thing on it): a longer table prints only its first
        `print_rows` rows; the whole stays on screen, filterable, and a note above the header says so. The notes
        that would follow the table are written above its header then, where they are printed."""
        fm, ws = self.fm, self.ws
        start = self.row
        if caption is not False:
            ws.write_string(self.row, 0, caption or sec.title, fm.caption)
            self.row += 1
        df = sec.df
        printed = (sec.print_columns or len(df.columns) - len(sec.audit_columns)) if main else len(df.columns)
        column_note = PRINT_NOTE.format(last=df.columns[printed - 1]) if printed < len(df.columns) else ""
        in_part = bool(main and print_rows and len(df) > print_rows)
        if in_part:
            note_row = self.row
            for text in (PRINT_ROWS_NOTE.format(shown=print_rows, total=len(df)), column_note, sec.note):
                if text:
                    self._note(self.row, text)
                    self.notes.append(self.row)
                    self.row += 1
        hdr = self.row
        self.keeps[start] = hdr + min(len(df), KEEP_ROWS)
        for j, col in enumerate(df.columns):
            ws.write_string(hdr, j, str(col), fm.header)
            self._fit(j, str(col), header=True)
        self.header_rows.append((hdr, [str(c) for c in df.columns]))
        first_total = hdr + len(df) - sec.total_rows + 1
        for j, col in enumerate(df.columns):   # column by column: one kind and one width per column
            self._column(j, df.iloc[:, j].tolist(), hdr + 1, first_total, sec, col == status_col)
        last = hdr + len(df)
        if main:
            ws.freeze_panes(hdr + 1, 0)
            ws.autofilter(hdr, 0, max(last, hdr), max(len(df.columns) - 1, 0))
            if len(df) > 20:
                ws.repeat_rows(hdr)
                self.repeat = hdr
            if printed < len(df.columns):
                self.print_columns = printed
                if not in_part:
                    self._note(last + 1, column_note)
                    last += 1
            if in_part:
                self.print_last_row = hdr + print_rows
                self.in_part = (hdr, print_rows, len(df), note_row)
                self.row = last + 2
                return hdr, hdr + 1, hdr + len(df)
        if sec.note:
            self._note(last + 1, sec.note)
            self.notes.append(last + 1)
            last += 1
        self.row = last + 2
        return hdr, hdr + 1, hdr + len(df)

    def _note(self, row: int, text: str) -> None:
        self.ws.write_string(row, 0, text, self.fm.note)
        self.note_texts[row] = text

    def _set_row(self, row: int, height: float) -> None:
        self.ws.set_row(row, height)
        self.heights[row] = height

    def _column(self, j: int, values: list, r0: int, first_total: int, sec: Section, is_status: bool) -> None:
        """Write one column's cells from row r0 down; rows from `first_total` on are totals. The loop only writes:
        the column's width and its texts' lengths (for the row heights) are worked out from what it collects."""
        fm, ws, col = self.fm, self.ws, sec.df.columns[j]
        numeric = col in sec.number_columns or col in sec.percent_columns
        plain, total = ((fm.pct, fm.total_pct) if col in sec.percent_columns else (fm.int, fm.total_int)) if numeric \
            else (fm.text, fm.total_text)
        write_blank, write_number, write_string, status = ws.write_blank, ws.write_number, ws.write_string, fm.status
        na, nat = pd.NA, pd.NaT
        numbers, texts, text_rows, other = [], [], [], 0
        for r, v in enumerate(values, start=r0):
            f = total if r >= first_total else plain
            if v is None or v is na or v is nat or (isinstance(v, float) and v != v):
                write_blank(r, j, None, f)
            elif numeric:
                v = float(v)
                write_number(r, j, v, f)
                numbers.append(v)
            elif isinstance(v, float):  # a whole number outside the number columns (a year) stays text
                write_number(r, j, v, fm.total_int if r >= first_total else fm.int)
                other = max(other, len(str(v)))
            else:
                text = str(v)
                write_string(r, j, text, status.get(text, fm.text) if is_status else f)  # never a formula or link
                texts.append(text)
                text_rows.append(r)
        if texts:
            self.cell_text.append((j, text_rows, [len(t) for t in texts]))
        if values:
            self._fit_length(j, max(other, _longest_line(texts), _longest_figure(numbers)))

    def _fit(self, j: int, text: str, header: bool = False) -> None:
        self._fit_length(j, max((len(line) for line in text.split("\n")), default=0), header)

    def _fit_length(self, j: int, longest: int, header: bool = False) -> None:
        width = min(longest * (0.55 if header else 0.95) + 2, MAX_TEXT_WIDTH)
        self.widths[j] = max(self.widths.get(j, 8), width)

    def _fit_print_width(self, floors: dict[int, float]) -> None:
        """Narrow the widest printed columns (their text wraps) until the page prints at a readable scale;
        a column never narrows below its floor (`finish`'s min_widths) or MIN_SHRUNK_WIDTH."""
        printed = [j for j in self.widths if not self.print_columns or j < self.print_columns]

        def floor(k: int) -> float:
            return max(MIN_SHRUNK_WIDTH, floors.get(k, 0))

        while sum(self.widths[j] + XLSX_PADDING for j in printed) > PRINT_WIDTH:
            shrinkable = [k for k in printed if self.widths[k] > floor(k)]
            if not shrinkable:
                break
            j = max(shrinkable, key=lambda k: self.widths[k])
            self.widths[j] = max(self.widths[j] - 2, floor(j))

    def finish(self, min_widths: dict[int, float] | None = None, max_widths: dict[int, float] | None = None) -> None:
        """Column widths (`min_widths`/`max_widths` by column index), the print area, row heights, page breaks."""
        min_widths = min_widths or {}
        for j, w in self.widths.items():
            self.widths[j] = max(min(w, (max_widths or {}).get(j, w)), min_widths.get(j, 0))
        self._fit_print_width(min_widths)
        for j, w in self.widths.items():
            self.ws.set_column(j, j, w)
        for chart in self.charts:   # a chart "as wide as the table" now that the columns have their widths
            if chart[1] is None:
                chart[1] = sum(int(self.widths.get(j, DEFAULT_WIDTH) * 7 + 0.5) + 5   # xlsxwriter's pixels
                               for j in range(chart[0], self._last_column() + 1))
                chart[2].set_size({"width": chart[1], "height": chart[3]})
        for row, lines in self._wrapped_lines().items():  # wrapped text: LibreOffice does not grow rows by itself
            self._set_row(row, lines * LINE_HEIGHT + 3)
        for row, headers in self.header_rows:  # wrapped headers need a taller row
            lines = max(math.ceil(len(h) * 1.15 / max(self.widths.get(j, 8) - 1, 1)) for j, h in enumerate(headers))
            self._set_row(row, max(1, lines) * 16 + 4)
        for row, text in self.note_texts.items():   # a note runs on over the empty cells, wraps at the page's edge
            lines = math.ceil(len(text) * 1.1 / CHARS_PER_UNIT / max(sum(self._printed_widths()) - 2, 1))
            if lines > 1:
                self._set_row(row, lines * NOTE_LINE + 3)
        if self.in_part:
            self._end_on_a_full_page()
        last_col = self._last_column()
        for row, text in self.note_texts.items():
            if self.heights.get(row, 0) > DEFAULT_ROW and last_col > 0:
                self.ws.merge_range(row, 0, row, last_col, text, self.fm.note_wrapped)
        if self.print_columns or self.print_last_row is not None:
            self.ws.print_area(0, 0, max(self.last_row, 1), self._last_column())
        pages, breaks = self.pages()
        if breaks:  # a block starts a new page rather than being cut in two
            self.ws.set_h_pagebreaks(breaks)
        self.ws.fit_to_pages(1, 0 if breaks else pages)

    def pages(self) -> tuple[int, list[int]]:
        """(pages tall, rows that start a page by a break) as the sheet prints: at the scale its width allows, or
        a little smaller (SHRINK_BY, SHRINK_TO) when that saves a page with no row break (a block that would need
        one then fits where it is)."""
        scale = self.scale()
        pages, breaks = self.paginate(scale)
        if pages > 1:
            smallest = math.ceil(max(SHRINK_TO, SHRINK_BY * scale) * 100)
            for percent in range(math.ceil(scale * 100) - 1, smallest - 1, -1):
                fewer, fewer_breaks = self.paginate(percent / 100)
                if fewer < pages and not fewer_breaks:
                    return fewer, []
        return pages, breaks

    def _end_on_a_full_page(self) -> None:
        """A table printed in part prints fewer rows when its last page would hold only the last few of them (a
        third at most): it ends on a full page. The note above it gives the rows printed."""
        hdr, shown, total, note_row = self.in_part
        pages = self.pages()[0]
        fewer = shown
        while pages > 1 and fewer > 1:
            self.print_last_row = hdr + fewer - 1
            if self.pages()[0] < pages:
                break
            fewer -= 1
        if pages > 1 and fewer > 1 and shown - (fewer - 1) <= shown // 3:
            shown = fewer - 1
        self.print_last_row = hdr + shown
        self.in_part = (hdr, shown, total, note_row)
        self._note(note_row, PRINT_ROWS_NOTE.format(shown=shown, total=total))

    def _last_column(self) -> int:
        return (self.print_columns or max(self.widths, default=0) + 1) - 1

    @property
    def last_row(self) -> int:
        """The last row printed: the print_rows limit, or the last row written (2 rows above `self.row`)."""
        return self.print_last_row if self.print_last_row is not None else max(self.row - 2, 0)

    def _printed_widths(self) -> list[float]:
        return [w + XLSX_PADDING for j, w in self.widths.items() if not self.print_columns or j < self.print_columns]

    def scale(self) -> float:
        """The scale at which the printed columns, and the charts, fill the page's width (at most 1), with the
        widest width unit."""
        widths = self._printed_widths()
        page_px = (PAGE_INCHES[0] - 2 * SIDE_MARGIN) * DPI
        charts = [self._chart_px(col, width) for col, width, _, _ in self.charts if width]
        return min(_width_scale(sum(widths), len(widths)), page_px / max(charts, default=1))

    def _chart_px(self, col: int, width: int) -> float:
        """Pixels from the left edge to a chart's right edge as LibreOffice draws it: xlsxwriter anchors the chart
        to the columns its `width` spans at Excel's 7 px a unit; LibreOffice draws those columns wider."""
        def drawn(j: int) -> float:   # a column left at the default width has no padding added
            return (self.widths[j] + XLSX_PADDING if j in self.widths else DEFAULT_WIDTH) * PX_PER_UNIT + PX_PER_COLUMN

        px = sum(drawn(j) for j in range(col))
        while width > 0:
            excel = int(self.widths.get(col, DEFAULT_WIDTH) * 7 + 0.5) + 5   # xlsxwriter's pixels of the column
            px += min(width / excel, 1) * drawn(col)
            width, col = width - excel, col + 1
        return px

    def page_points(self, scale: float | None = None) -> float:
        """Points of rows (at 100%) that one printed page holds at `scale` (the sheet's own by default)."""
        return (PAGE_INCHES[1] - 2 * TOP_MARGIN) * 72 * PAGE_SLACK / (scale or self.scale())

    def paginate(self, scale: float) -> tuple[int, list[int]]:
        """(pages tall, rows that start a page by a break) at `scale`: the rows up to `last_row`, a row never split,
        the repeated header at the top of each page after its own, a block started on a new page when it does not
        fit what is left of the page (and fits a page), a break row always starting one."""
        page, last = self.page_points(scale), self.last_row
        height = [self.heights.get(r, DEFAULT_ROW) for r in range(last + 1)]
        pages, used, breaks = 1, 0.0, []
        for r in range(last + 1):
            block = sum(height[r:self.keeps[r] + 1]) if r in self.keeps else 0.0
            if used and (r in self.breaks or (block and used + block > page and block <= page - self._repeated(r))):
                breaks.append(r)
            elif not (used and used + height[r] > page):
                used += height[r]
                continue
            pages, used = pages + 1, self._repeated(r) + height[r]
        return pages, sorted(set(breaks))

    def _repeated(self, row: int) -> float:
        """Height of the header row repeated at the top of a page that starts at `row`."""
        return self.heights.get(self.repeat, DEFAULT_ROW) if self.repeat is not None and row > self.repeat else 0.0

    def _wrapped_lines(self) -> dict[int, int]:
        """Row -> the lines its longest wrapped text takes (rows of two lines or more), over the printed columns."""
        lines: dict[int, int] = {}
        for j, rows, lengths in self.cell_text:
            if self.print_columns and j >= self.print_columns:
                continue
            needed = np.ceil(np.asarray(lengths, dtype=float) / CHARS_PER_UNIT / max(self.widths.get(j, 8) - 1.5, 1))
            for row, n in zip(np.asarray(rows)[needed > 1].tolist(), needed[needed > 1].astype(int).tolist()):
                if n > lines.get(row, 1):
                    lines[row] = n
        return lines

    def chart(self, kind: str, title: str, series: list[dict], anchor_row: int, anchor_col: int = 0,
              subtype: str | None = None, y_title: str = "", size: tuple[int | None, int] = CHART_SIZE) -> None:
        """A native chart at `anchor_row`, no taller than `chart_height` (two to a printed page), on one page; a
        width of None reaches from `anchor_col` to the last printed column (beside a table: within the page)."""
        size = (size[0], min(size[1], self.chart_height()))
        opts = {"type": kind} | ({"subtype": subtype} if subtype else {})
        ch = self.wb.add_chart(opts)
        for i, s in enumerate(series):
            pat, fg = PATTERNS[i % len(PATTERNS)]
            fill = {"fill": {"color": fg}} if pat == "solid" else {"pattern": {"pattern": pat, "fg_color": fg,
                                                                                "bg_color": "#FFFFFF"}}
            # White boxed labels read on every fill; the number format leaves an empty segment unlabelled.
            ch.add_series(s | fill | {"border": {"color": "#000000"},
                                      "data_labels": {"value": True, "num_format": "#,##0;-#,##0;;",
                                                      "font": {"name": FONT, "size": 9, "bold": True},
                                                      "fill": {"color": "#FFFFFF"},
                                                      "border": {"color": "#808080"}}})
        font = {"name": FONT}
        value_axis = ch.set_x_axis if kind == "bar" else ch.set_y_axis
        category_axis = ch.set_y_axis if kind == "bar" else ch.set_x_axis
        ch.set_title({"name": title, "name_font": font | {"size": 13, "bold": True}})
        ch.set_legend({"position": "bottom", "font": font | {"size": 10}})
        category_axis({"num_font": font | {"size": 10}, "reverse": kind == "bar"})
        value_axis({"num_font": font | {"size": 10}, "num_format": "#,##0", "name": y_title, "min": 0,
                    "name_font": font | {"size": 10}, "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
        ch.set_size({"width": size[0] or CHART_SIZE[0], "height": size[1]})
        self.ws.insert_chart(anchor_row, anchor_col, ch)
        rows = math.ceil(size[1] / ROW_PX)
        top = max(anchor_row - 1, 0)   # with the row above: LibreOffice draws a chart's edge on the row it starts at
        self.keeps[top] = max(self.keeps.get(top, 0), anchor_row + rows - 1)
        self.charts.append([anchor_col, size[0], ch, size[1]])
        self.row = max(self.row, anchor_row + rows + 2)

    def chart_height(self, per_page: int = 2) -> int:
        """Pixels of the tallest chart of which `per_page` (each with the two rows under it) print on one page,
        under the sheet's title, at most CHART_SIZE's. The scale is the largest the sheet can print at once
        `finish` narrows its columns (PRINT_WIDTH), so that the charts still fit when it does."""
        widths = self._printed_widths()
        page = self.page_points(_width_scale(min(sum(widths), PRINT_WIDTH), len(widths))) - self.heights.get(0, 0)
        return min(CHART_SIZE[1], (int(page / per_page // DEFAULT_ROW) - 2) * ROW_PX)


def _width_scale(units: float, columns: int) -> float:
    """The scale at which columns of `units` width units in all fill an A4 landscape page (at most 1)."""
    page_px = (PAGE_INCHES[0] - 2 * SIDE_MARGIN) * DPI
    return min(1.0, page_px / max(units * PX_PER_UNIT + columns * PX_PER_COLUMN, 1))


def ref(ws_name: str, r0: int, c0: int, r1: int, c1: int) -> list:
    return [ws_name, r0, c0, r1, c1]
