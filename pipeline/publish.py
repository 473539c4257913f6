"""Stage 6: the town report outputs.

`write_outputs()` writes, under the run's output folder:
- Tong_hop_so_ket_Dan_van_kheo.xlsx  summary workbook (xlsxwriter, native charts);
- charts/*.png, charts/*.svg           matplotlib charts;
- tables/*.html                        great-tables tables, one per report section;
- report.html                          one self-contained page (no network needed);
- Du_thao_bao_cao_so_ket.docx          draft of the town's review report.
Every table is taken from `pipeline.report.sections()`, so all outputs agree.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline import charts, report
from pipeline.config import Plan
from pipeline.files import atomic_path
from pipeline.report import DEMO_BANNER, H, TOWN_TOTAL, Section

WORKBOOK = "Tong_hop_so_ket_Dan_van_kheo.xlsx"
DOCX = "Du_thao_bao_cao_so_ket.docx"
REPORT_HTML = "report.html"
WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
                    "nan_inf_to_errors": False}

# =============================================================================
# Vietnamese user-facing text of the summary workbook
# =============================================================================
SHEETS = {
    "overview": "1. Tổng quan",
    "reporting": "2. Tình hình báo cáo",
    "leadership": "3. Lãnh đạo, tuyên truyền",
    "content": "4. Nội dung thi đua",
    "models_summary": "5. Mô hình - tổng hợp",
    "models_list": "6. Danh sách mô hình",
    "classification": "7. Xếp loại",
    "awards_given": "8. Khen thưởng",
    "proposals": "9. Đề nghị khen thưởng",
    "issues": "10. Vấn đề số liệu",
}
WORKBOOK_TITLE = "TỔNG HỢP SƠ KẾT PHONG TRÀO THI ĐUA “DÂN VẬN KHÉO” {town} (2020 – 2023)"
CHART_TITLES = {
    "reporting": "Tình hình gửi báo cáo theo nhóm đơn vị",
    "leadership": "Số buổi tuyên truyền theo năm",
    "content": "Số hoạt động theo nội dung thi đua (cả giai đoạn)",
    "models": "Số mô hình theo lĩnh vực và nhóm đơn vị",
    "classification": "Số đơn vị theo mức xếp loại và năm",
}
PROGRESS = {
    "charts": "Vẽ biểu đồ", "workbook": "Ghi bảng tổng hợp Excel", "tables": "Ghi các bảng HTML",
    "html": "Ghi báo cáo report.html", "docx": "Soạn dự thảo báo cáo (.docx)",
}
WRITTEN = "Đã ghi kết quả:"
PAGE_FOOTER = "&CTrang &P/&N"
# =============================================================================

FONT = "Times New Roman"
STATUS_COLOURS = {  # fill of the status cell (also readable in grey print: the text says it)
    report.STATUS_LABEL["on_time"]: "#C6EFCE", report.STATUS_LABEL["late"]: "#FFEB9C", report.STATUS_LABEL["date_unknown"]: "#FFEB9C",
    report.STATUS_LABEL["missing"]: "#FFC7CE", report.STATUS_LABEL["rejected"]: "#D9D9D9",
}
PATTERNS = [("solid", "#404040"), ("wide_upward_diagonal", "#000000"), ("percent_20", "#000000"),
            ("dark_vertical", "#000000"), ("small_grid", "#000000")]


class _Formats:
    def __init__(self, wb):
        base = {"font_name": FONT, "font_size": 12, "valign": "top"}
        self.title = wb.add_format(base | {"bold": True, "font_size": 14, "align": "center", "valign": "vcenter",
                                           "text_wrap": True})
        self.demo = wb.add_format(base | {"bold": True, "font_size": 13, "font_color": "#C00000", "align": "center",
                                          "valign": "vcenter", "text_wrap": True, "border": 2,
                                          "border_color": "#C00000"})
        self.caption = wb.add_format(base | {"bold": True, "italic": True})
        self.header = wb.add_format(base | {"bold": True, "border": 1, "text_wrap": True, "align": "center",
                                            "valign": "vcenter", "bg_color": "#D9D9D9"})
        self.text = wb.add_format(base | {"border": 1, "text_wrap": True})
        self.int = wb.add_format(base | {"border": 1, "num_format": "#,##0"})
        self.pct = wb.add_format(base | {"border": 1, "num_format": "0.0"})
        self.total_text = wb.add_format(base | {"border": 1, "bold": True, "text_wrap": True, "bg_color": "#F2F2F2"})
        self.total_int = wb.add_format(base | {"border": 1, "bold": True, "num_format": "#,##0", "bg_color": "#F2F2F2"})
        self.total_pct = wb.add_format(base | {"border": 1, "bold": True, "num_format": "0.0", "bg_color": "#F2F2F2"})
        self.status = {k: wb.add_format(base | {"border": 1, "bg_color": v, "bold": True}) for k, v in STATUS_COLOURS.items()}


def _is_missing(v) -> bool:
    try:
        return v is None or v is pd.NA or bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


class _Sheet:
    """One worksheet: a title, the demo banner and tables stacked vertically."""

    def __init__(self, wb, fm: _Formats, name: str, title: str, is_demo: bool, ncols: int):
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
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        ws.set_footer(PAGE_FOOTER)
        ws.hide_gridlines(2)
        self.header_rows: list[tuple[int, list[str]]] = []
        self.breaks: list[int] = []
        self.cell_text: dict[int, dict[int, int]] = {}

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
        for i, rec in enumerate(df.itertuples(index=False), start=1):
            r = hdr + i
            is_total = str(rec[0]) in (TOWN_TOTAL, H["total"]) or (len(rec) > 1 and str(rec[1]) == TOWN_TOTAL
                                                                   and str(rec[0]) == H["total"])
            for j, (col, v) in enumerate(zip(df.columns, rec)):
                if col in sec.number_columns or col in sec.percent_columns:
                    f = (fm.total_pct if is_total else fm.pct) if col in sec.percent_columns else \
                        (fm.total_int if is_total else fm.int)
                    if _is_missing(v):
                        ws.write_blank(r, j, None, f)
                    else:
                        ws.write_number(r, j, float(v), f)
                        self._fit(j, f"{float(v):,.0f}")
                elif _is_missing(v):
                    ws.write_blank(r, j, None, fm.total_text if is_total else fm.text)
                elif isinstance(v, (int, float)) and not isinstance(v, bool):
                    ws.write_number(r, j, float(v), fm.total_int if is_total else fm.int)
                    self._fit(j, str(v))
                else:
                    text = str(v)
                    f = fm.status.get(text, fm.text) if col == status_col else (fm.total_text if is_total else fm.text)
                    ws.write_string(r, j, text, f)  # always a string: unit text never becomes a formula or link
                    self._fit(j, text)
                    self.cell_text.setdefault(r, {})[j] = max(len(text), self.cell_text.get(r, {}).get(j, 0))
        last = hdr + len(df)
        if main:
            ws.freeze_panes(hdr + 1, 0)
            ws.autofilter(hdr, 0, max(last, hdr), max(len(df.columns) - 1, 0))
            if len(df) > 20:
                ws.repeat_rows(hdr)
        self.row = last + 2
        return hdr, hdr + 1, last

    def _fit(self, j: int, text: str, header: bool = False) -> None:
        longest = max((len(line) for line in text.split("\n")), default=0)
        width = min(longest * (0.55 if header else 0.95) + 2, 36)
        self.widths[j] = max(self.widths.get(j, 8), width)

    def finish(self, min_widths: dict[int, float] | None = None) -> None:
        import math

        for j, w in self.widths.items():
            w = max(w, (min_widths or {}).get(j, 0))
            self.widths[j] = w
            self.ws.set_column(j, j, w)
        for row, lengths in self.cell_text.items():  # wrapped text: LibreOffice does not grow rows by itself
            lines = max(math.ceil(n * 0.95 / max(self.widths.get(j, 8) - 1.5, 1)) for j, n in lengths.items())
            if lines > 1:
                self.ws.set_row(row, lines * 15.5 + 2)
        if self.breaks:  # a chart starts on a new page rather than being cut in two
            self.ws.set_h_pagebreaks(self.breaks)
        for row, headers in self.header_rows:  # wrapped headers need a taller row
            lines = max(math.ceil(len(h) * 1.15 / max(self.widths.get(j, 8) - 1, 1)) for j, h in enumerate(headers))
            self.ws.set_row(row, max(1, lines) * 16 + 4)

    def chart(self, kind: str, title: str, series: list[dict], anchor_row: int, anchor_col: int = 0,
              subtype: str | None = None, y_title: str = "", size=(760, 380)) -> None:
        opts = {"type": kind} | ({"subtype": subtype} if subtype else {})
        ch = self.wb.add_chart(opts)
        for i, s in enumerate(series):
            pat, fg = PATTERNS[i % len(PATTERNS)]
            fill = {"fill": {"color": fg}} if pat == "solid" else {"pattern": {"pattern": pat, "fg_color": fg,
                                                                                "bg_color": "#FFFFFF"}}
            ch.add_series(s | fill | {"border": {"color": "#000000"},
                                      "data_labels": {"value": True, "font": {"name": FONT, "size": 9}}})
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


def _ref(ws_name: str, r0: int, c0: int, r1: int, c1: int) -> list:
    return [ws_name, r0, c0, r1, c1]


def write_workbook(path: Path, secs: dict[str, Section], plan: Plan, is_demo: bool) -> Path:
    import xlsxwriter

    groups = plan.groups
    title = WORKBOOK_TITLE.format(town=plan.review["town"].upper())
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), WORKBOOK_OPTIONS)
        wb.set_properties({"title": title, "subject": plan.review["title"], "author": "Cơ quan Tổ chức – Nội vụ",
                           "comments": DEMO_BANNER if is_demo else ""})
        fm = _Formats(wb)

        # 1. Overview + reporting chart.
        sh = _Sheet(wb, fm, SHEETS["overview"], title, is_demo, 6)
        sh.ws.write_string(sh.row, 0, plan.review["title"], fm.caption)
        sh.row += 2
        sh.table(secs["overview"], main=True)
        hdr, first, last = sh.table(secs["reporting"])
        name = SHEETS["overview"]
        rep = secs["reporting"].df
        cols = list(rep.columns)
        series = []
        for col in (H["on_time"], H["late"], H["date_unknown"], H["missing"], H["rejected"]):
            if rep[col].iloc[:-1].sum() == 0 and col in (H["rejected"], H["date_unknown"]):
                continue
            j = cols.index(col)
            series.append({"name": _ref(name, hdr, j, hdr, j), "categories": _ref(name, first, 0, last - 1, 0),
                           "values": _ref(name, first, j, last - 1, j)})
        sh.chart("bar", CHART_TITLES["reporting"], series, sh.row, subtype="stacked", size=(760, 300))
        sh.finish({0: 30})

        # 2. Reporting status of every unit.
        sh = _Sheet(wb, fm, SHEETS["reporting"], secs["reporting_units"].title.upper(), is_demo,
                    len(secs["reporting_units"].df.columns))
        sh.table(secs["reporting_units"], caption=False, main=True, status_col=H["status"])
        sh.finish()

        # 3. Leadership and propaganda.
        ld = secs["leadership"].df
        sh = _Sheet(wb, fm, SHEETS["leadership"], secs["leadership"].title.upper(), is_demo, len(ld.columns))
        hdr, first, last = sh.table(secs["leadership"], caption=False, main=True)
        # Chart data: sessions per period (rows) × group (columns), written beside the table.
        periods = plan.labels("periods")
        c0 = 0
        hdr = sh.row
        sh.ws.write_string(hdr - 1, 0, CHART_TITLES["leadership"], fm.caption)
        sh.row = hdr + len(periods) + 2
        sh.ws.write_string(hdr, c0, H["period"], fm.header)
        for k, g in enumerate(groups):
            sh.ws.write_string(hdr, c0 + 1 + k, g, fm.header)
        for i, p in enumerate(periods, start=1):
            sh.ws.write_string(hdr + i, c0, p, fm.text)
            for k, g in enumerate(groups):
                v = ld[(ld[H["period"]] == p) & (ld[H["group"]] == g)][H["propaganda_sessions"]].sum()
                sh.ws.write_number(hdr + i, c0 + 1 + k, float(v), fm.int)
        name = SHEETS["leadership"]
        series = [{"name": _ref(name, hdr, c0 + 1 + k, hdr, c0 + 1 + k),
                   "categories": _ref(name, hdr + 1, c0, hdr + len(periods), c0),
                   "values": _ref(name, hdr + 1, c0 + 1 + k, hdr + len(periods), c0 + 1 + k)} for k in range(len(groups))]
        sh.chart("column", CHART_TITLES["leadership"], series, sh.row, y_title=H["propaganda_sessions"])
        sh.finish({0: 22, 1: 24})

        # 4. Content areas.
        cd = secs["content"].df
        sh = _Sheet(wb, fm, SHEETS["content"], secs["content"].title.upper(), is_demo, len(cd.columns))
        hdr, first, last = sh.table(secs["content"], caption=False, main=True)
        name = SHEETS["content"]
        j = list(cd.columns).index(H["total"])
        sh.chart("bar", CHART_TITLES["content"], [{"name": _ref(name, hdr, j, hdr, j),
                                                    "categories": _ref(name, first, 0, last - 1, 0),
                                                    "values": _ref(name, first, j, last - 1, j)}], sh.row)
        sh.finish({0: 34})

        # 5. Models summary.
        mf = secs["models_field"].df
        sh = _Sheet(wb, fm, SHEETS["models_summary"], secs["models_field"].title.upper(), is_demo, len(mf.columns))
        hdr, first, last = sh.table(secs["models_field"], caption=False, main=True)
        name = SHEETS["models_summary"]
        series = []
        for g in groups:
            j = list(mf.columns).index(g)
            series.append({"name": _ref(name, hdr, j, hdr, j), "categories": _ref(name, first, 0, last - 1, 0),
                           "values": _ref(name, first, j, last - 1, j)})
        sh.table(secs["models_recognition"])
        sh.chart("column", CHART_TITLES["models"], series, sh.row, y_title=H["models"])
        sh.finish({0: 30})

        # 6. The consolidated model list (appendix), filterable.
        ml = secs["models_list"].df
        sh = _Sheet(wb, fm, SHEETS["models_list"], secs["models_list"].title.upper(), is_demo, min(len(ml.columns), 10))
        sh.table(secs["models_list"], caption=False, main=True)
        sh.finish()

        # 7. Classification by year.
        cl = secs["classification"].df
        sh = _Sheet(wb, fm, SHEETS["classification"], secs["classification"].title.upper(), is_demo, len(cl.columns))
        hdr, first, last = sh.table(secs["classification"], caption=False, main=True)
        name = SHEETS["classification"]
        series = [{"name": _ref(name, first + i, 0, first + i, 0),
                   "categories": _ref(name, hdr, 1, hdr, len(cl.columns) - 1),
                   "values": _ref(name, first + i, 1, first + i, len(cl.columns) - 1)} for i in range(len(cl) - 1)]
        sh.chart("column", CHART_TITLES["classification"], series, sh.row, subtype="stacked", y_title=H["units_n"])
        sh.finish({0: 34, 1: 10, 2: 10, 3: 10})

        # 8. Awards given.
        ag = secs["awards_given"].df
        sh = _Sheet(wb, fm, SHEETS["awards_given"], secs["awards_given"].title.upper(), is_demo, len(ag.columns))
        sh.table(secs["awards_given"], caption=False, main=True)
        sh.finish({0: 22, 1: 26})

        # 9. Proposals with verdicts, then the ranking.
        pr = secs["proposals"].df
        sh = _Sheet(wb, fm, SHEETS["proposals"], secs["proposals"].title.upper(), is_demo, len(pr.columns))
        sh.table(secs["proposals"], caption=False, main=True)
        sh.table(secs["ranking"])
        sh.finish()

        # 10. Data problems.
        iss = secs["issues"].df
        sh = _Sheet(wb, fm, SHEETS["issues"], secs["issues"].title.upper(), is_demo, len(iss.columns))
        sh.table(secs["issues"], caption=False, main=True)
        sh.finish()
        wb.close()
    return path


def write_outputs(out_dir: Path, bundle: dict, plan: Plan, is_demo: bool) -> list[Path]:
    """Write every town report output under `out_dir`; return the written paths."""
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    out_dir = Path(out_dir)
    secs = report.sections(bundle, plan)
    paths: list[Path] = []
    n_reports = int(bundle["tables"]["units"]["is_reported"].astype(bool).sum())
    console = Console(stderr=True)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=console, transient=True) as progress:
        task = progress.add_task(PROGRESS["charts"], total=5)

        def step(key):
            progress.update(task, description=PROGRESS[key], advance=1)

        pngs = charts.draw_all(out_dir / "charts", secs, plan.groups, is_demo)
        paths += [p for png in pngs.values() for p in (png, png.with_suffix(".svg"))]
        step("workbook")
        paths.append(write_workbook(out_dir / WORKBOOK, secs, plan, is_demo))
        step("tables")
        paths += report.write_tables(out_dir / "tables", secs, is_demo)
        step("html")
        paths.append(report.write_report_html(out_dir / REPORT_HTML, secs, pngs, plan, is_demo, n_reports))
        step("docx")
        paths.append(report.write_docx(out_dir / DOCX, bundle, secs, pngs, plan, is_demo))
        progress.update(task, advance=1)
    return paths
