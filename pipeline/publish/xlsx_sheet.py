"""One worksheet of the summary workbook: a title, the demo banner, captioned tables and native charts."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from pipeline.publish.sections import Section
from pipeline.publish.wording import DEMO_BANNER, PAGE_FOOTER, PRINT_NOTE
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
        self.ws.merge_range(0, 0, 0, max(ncols - 1, 1), title, fm.title)
        self.ws.set_row(0, 36)
        self.row = 1
        if is_demo:
            self.ws.merge_range(1, 0, 1, max(ncols - 1, 1), DEMO_BANNER, fm.demo)
            self.ws.set_row(1, 36)
            self.row = 2
        self.row += 1
        ws = self.ws
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        ws.center_horizontally()
        ws.set_footer(PAGE_FOOTER)
        ws.hide_gridlines(2)
        self.header_rows: list[tuple[int, list[str]]] = []
        self.breaks: list[int] = []
        self.cell_text: list[tuple[int, list[int], list[int]]] = []   # (column, rows, text lengths) of each column written
        self.print_columns = 0      # 0: print every column
        self.notes: list[int] = []

    def table(self, sec: Section, caption: str | None = None, main: bool = False,
              status_col: str | None = None) -> tuple[int, int, int]:
        """Write a section; return (header_row, first_data_row, last_data_row)."""
        fm, ws = self.fm, self.ws
        if caption is not False:
            ws.write_string(self.row, 0, caption or sec.title, fm.caption)
            self.row += 1
        df = sec.df
        hdr = self.row
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
            printed = sec.print_columns or len(df.columns) - len(sec.audit_columns)
            if printed < len(df.columns):
                self.print_columns = printed
                ws.write_string(last + 1, 0, PRINT_NOTE.format(last=df.columns[printed - 1]), fm.note)
                last += 1
        if sec.note:
            ws.write_string(last + 1, 0, sec.note, fm.note)
            self.notes.append(last + 1)
            last += 1
        self.row = last + 2
        return hdr, hdr + 1, hdr + len(df)

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
        if self.print_columns:
            self.ws.print_area(0, 0, max(self.row, 1), self.print_columns - 1)
        for row, lines in self._wrapped_lines().items():  # wrapped text: LibreOffice does not grow rows by itself
            self.ws.set_row(row, lines * LINE_HEIGHT + 3)
        if self.breaks:  # a chart starts on a new page rather than being cut in two
            self.ws.set_h_pagebreaks(self.breaks)
        for row, headers in self.header_rows:  # wrapped headers need a taller row
            lines = max(math.ceil(len(h) * 1.15 / max(self.widths.get(j, 8) - 1, 1)) for j, h in enumerate(headers))
            self.ws.set_row(row, max(1, lines) * 16 + 4)

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
              subtype: str | None = None, y_title: str = "", size=(760, 380)) -> None:
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
        ch.set_size({"width": size[0], "height": size[1]})
        self.ws.insert_chart(anchor_row, anchor_col, ch)
        self.breaks.append(anchor_row - 1)
        self.row = anchor_row + int(size[1] / 20) + 2


def ref(ws_name: str, r0: int, c0: int, r1: int, c1: int) -> list:
    return [ws_name, r0, c0, r1, c1]
