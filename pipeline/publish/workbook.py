"""The summary workbook (Tong_hop_so_ket_Dan_van_kheo.xlsx): one sheet per part of the report, native charts.

Written with xlsxwriter: Times New Roman, A4 landscape, repeated headers, and
text always written as text (a unit's "=HYPERLINK(...)" never becomes a formula).
"""
from __future__ import annotations

from pathlib import Path

from pipeline.config import Plan
from pipeline.files import atomic_path
from pipeline.publish.sections import Section
from pipeline.publish.wording import CHART_TITLES, DEMO_BANNER, H, WEIGHTS_LINE, WORKBOOK_SHEETS, WORKBOOK_TITLE
from pipeline.publish.xlsx_sheet import Formats, ref, Sheet

WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
                    "nan_inf_to_errors": False}


def write_workbook(path: Path, secs: dict[str, Section], plan: Plan, is_demo: bool) -> Path:
    import xlsxwriter

    title = WORKBOOK_TITLE.format(town=plan.review["town"].upper(), period=plan.review["period_label"])
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), WORKBOOK_OPTIONS)
        wb.set_properties({"title": title, "subject": plan.review["title"], "author": plan.review.get("office", ""),
                           "comments": DEMO_BANNER if is_demo else ""})
        fm = Formats(wb)

        def sheet(key: str, sec: Section | None = None, heading: str | None = None) -> Sheet:
            ncols = sec.print_columns or len(sec.df.columns) - len(sec.audit_columns) if sec is not None else 6
            return Sheet(wb, fm, WORKBOOK_SHEETS[key], heading or sec.title.upper(), is_demo, ncols)

        _overview(sheet("overview", heading=title), secs, plan)
        _listing(sheet("reporting", secs["reporting_units"]), secs["reporting_units"], status_col=H["status"])
        _leadership(sheet("leadership", secs["leadership"]), secs, plan)
        _content(sheet("content", secs["content"]), secs["content"])
        rows = plan.raw.get("report", {}).get("workbook_print_rows", {})   # long listings print their first rows
        _listing(sheet("outstanding", secs["outstanding"]), secs["outstanding"], min_widths={4: 60},
                 print_rows=rows.get("listing"))
        _models(sheet("models_summary", secs["models_field"]), secs, plan)
        _listing(sheet("models_list", secs["models_list"]), secs["models_list"], print_rows=rows.get("models_list"))
        _classification(sheet("classification", secs["classification"]), secs["classification"])
        _listing(sheet("impact", secs["impact"]), secs["impact"], min_widths={0: 40})
        _listing(sheet("impact_texts", secs["impact_texts"]), secs["impact_texts"], min_widths={3: 70},
                 print_rows=rows.get("listing"))
        _listing(sheet("assessment_texts", secs["assessment_texts"]), secs["assessment_texts"], min_widths={3: 70},
                 print_rows=rows.get("listing"))
        _listing(sheet("awards_given", secs["awards_given"]), secs["awards_given"], min_widths={0: 22, 1: 26})
        _listing(sheet("proposals", secs["proposals"]), secs["proposals"], min_widths={9: 50, 10: 40},
                 max_widths={j: 16 for j in range(4, 9)})
        sh = sheet("ranking", secs["ranking"])
        sh.table(secs["ranking"], caption=False, main=True)
        _lines(sh, secs["ranking_weights"])
        sh.finish()
        _listing(sheet("dossiers", secs["dossiers"]), secs["dossiers"], status_col=H["status"], min_widths={1: 30, 4: 30})
        _listing(sheet("issues", secs["issues"]), secs["issues"], print_rows=rows.get("listing"))
        _listing(sheet("plausibility", secs["plausibility"]), secs["plausibility"],
                 min_widths={1: 15, 2: 17, 8: 28, 9: 17}, max_widths={0: 6},
                 print_rows=rows.get("listing"))
        wb.close()
    return path


def _lines(sh: Sheet, sec: Section) -> None:
    """A small table written as lines under the main one (its own columns would fight the main table's widths)."""
    sh.ws.write_string(sh.row, 0, sec.title, sh.fm.caption)
    for i, row in enumerate(sec.df.itertuples(index=False), start=1):
        sh.ws.write_string(sh.row + i, 0, WEIGHTS_LINE.format(*row), sh.fm.note)
    sh.row += len(sec.df) + 2


def _listing(sh: Sheet, sec: Section, status_col: str | None = None, min_widths: dict | None = None,
             max_widths: dict | None = None, print_rows: int | None = None) -> None:
    sh.table(sec, caption=False, main=True, status_col=status_col, print_rows=print_rows)
    sh.finish(min_widths, max_widths)


def _series(name: str, hdr: int, first: int, last: int, j: int) -> dict:
    """A chart series of column `j` of a table whose header is at `hdr` and rows `first..last`."""
    return {"name": ref(name, hdr, j, hdr, j), "categories": ref(name, first, 0, last, 0),
            "values": ref(name, first, j, last, j)}


def _overview(sh: Sheet, secs: dict[str, Section], plan: Plan) -> None:
    sh.ws.write_string(sh.row, 0, plan.review["title"], sh.fm.caption)
    sh.row += 2
    key_hdr, _, _ = sh.table(secs["overview"], main=True)
    hdr, first, last = sh.table(secs["reporting"])
    rep = secs["reporting"].df
    cols = list(rep.columns)
    optional = (H["rejected"], H["date_unknown"])
    series = [_series(WORKBOOK_SHEETS["overview"], hdr, first, last - 1, cols.index(col))
              for col in (H["on_time"], H["late"], H["date_unknown"], H["missing"], H["rejected"])
              if not (col in optional and rep[col].iloc[-1] == 0)]
    # beside the key figures, so that the overview prints on one page
    sh.chart("bar", CHART_TITLES["reporting"], series, key_hdr, anchor_col=3, subtype="stacked", size=(None, 300))
    sh.finish({0: 56})


def _leadership(sh: Sheet, secs: dict[str, Section], plan: Plan) -> None:
    """The table, the staff registered (participation), then the chart's data (sessions per period × group)
    written under them, then the chart."""
    sec = secs["leadership"]
    sh.table(sec, caption=False, main=True)
    sh.table(secs["staff"])
    ld, groups, periods, fm = sec.df, plan.groups, plan.labels("periods"), sh.fm
    hdr = sh.row
    sh.ws.write_string(hdr - 1, 0, CHART_TITLES["leadership"], fm.caption)
    sh.ws.write_string(hdr, 0, H["period"], fm.header)
    for k, g in enumerate(groups):
        sh.ws.write_string(hdr, 1 + k, g, fm.header)
    sessions = ld.set_index([H["period"], H["group"]])[H["propaganda_sessions"]]
    for i, p in enumerate(periods, start=1):
        sh.ws.write_string(hdr + i, 0, p, fm.text)
        for k, g in enumerate(groups):
            sh.ws.write_number(hdr + i, 1 + k, float(sessions.loc[(p, g)]), fm.int)
    sh.row = hdr + len(periods) + 2
    series = [_series(WORKBOOK_SHEETS["leadership"], hdr, hdr + 1, hdr + len(periods), 1 + k)
              for k in range(len(groups))]
    sh.chart("column", CHART_TITLES["leadership"], series, sh.row, y_title=H["propaganda_sessions"])
    sh.finish({0: 22, 1: 24})


def _content(sh: Sheet, sec: Section) -> None:
    hdr, first, last = sh.table(sec, caption=False, main=True)
    j = list(sec.df.columns).index(H["total"])
    sh.chart("bar", CHART_TITLES["content"], [_series(WORKBOOK_SHEETS["content"], hdr, first, last - 1, j)], sh.row)
    sh.finish({0: 34})


def _models(sh: Sheet, secs: dict[str, Section], plan: Plan) -> None:
    hdr, first, last = sh.table(secs["models_field"], caption=False, main=True)
    cols = list(secs["models_field"].df.columns)
    series = [_series(WORKBOOK_SHEETS["models_summary"], hdr, first, last - 1, cols.index(g)) for g in plan.groups]
    sh.table(secs["models_recognition"])
    sh.chart("column", CHART_TITLES["models"], series, sh.row, y_title=H["models"])
    sh.finish({0: 30})


def _classification(sh: Sheet, sec: Section) -> None:
    hdr, first, last = sh.table(sec, caption=False, main=True)
    name, width = WORKBOOK_SHEETS["classification"], len(sec.df.columns) - 1
    series = [{"name": ref(name, first + i, 0, first + i, 0), "categories": ref(name, hdr, 1, hdr, width),
               "values": ref(name, first + i, 1, first + i, width)} for i in range(len(sec.df) - sec.total_rows)]
    sh.chart("column", CHART_TITLES["classification"], series, sh.row, subtype="stacked", y_title=H["units_n"])
    sh.finish({0: 34, 1: 10, 2: 10, 3: 10})
