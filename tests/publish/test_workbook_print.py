"""How the summary workbook prints (pipeline/publish/xlsx_sheet.py): A4 landscape, one page wide, a long listing
printed as its first rows with a note saying so (the whole list stays on screen, filterable), charts no taller
than half a page and never cut in two, each sheet on the pages its `fitToHeight` says.

Small workbooks written with `Sheet` directly are printed by LibreOffice, sheet by sheet; the whole demo workbook
is printed once, against issue 25's target (30 pages at most, the overview on one)."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
import xlsxwriter
from openpyxl import load_workbook

from pipeline.publish import xlsx_sheet
from pipeline.publish.sections import Section
from pipeline.publish.xlsx_sheet import Formats, Sheet, ref
from tests.conftest import SOFFICE, needs_soffice

MIN_SCALE = 0.70
LONG_TEXT = "Vận động Nhân dân hiến đất làm đường, mương thủy lợi; tổ chức đối thoại, tiếp thu ý kiến. " * 2


def _listing(rows: int) -> Section:
    return Section("listing", "Danh sách", pd.DataFrame({
        "STT": [str(i) for i in range(1, rows + 1)],
        "Cơ quan, đơn vị, địa phương": [f"UBND xã Phổ {i}" for i in range(1, rows + 1)],
        "Kết quả nổi bật": [f"Dòng {i}: {LONG_TEXT[:40 + 7 * (i % 9)]}" for i in range(1, rows + 1)],
    }))


def _small(rows: int = 5) -> Section:
    return Section("small", "Bảng số liệu", pd.DataFrame({
        "Năm": [f"Năm {2020 + i}" for i in range(rows)], "Xã, phường": [10 + i for i in range(rows)],
        "Cơ quan, đơn vị thị xã": [20 + i for i in range(rows)]}), ["Xã, phường", "Cơ quan, đơn vị thị xã"])


def _series(sheet: str, k: int, first: int, last: int, j: int) -> dict:
    """Column j of a table as a series named LEGEND k: the legend, at the chart's foot, names nothing else."""
    return {"name": LEGEND.format(k=k), "categories": ref(sheet, first, 0, last, 0),
            "values": ref(sheet, first, j, last, j)}


# Each sheet of the sample workbook: its title (A1, the first text of its first printed page) and how it is made.
TITLES = {"in_part": "DANH SÁCH IN MỘT PHẦN", "two_charts": "HAI BIỂU ĐỒ MỘT TRANG",
          "chart_after": "BẢNG DÀI VÀ BIỂU ĐỒ", "beside": "BIỂU ĐỒ BÊN CẠNH BẢNG"}   # in the workbook's order
CHART_TITLE = "Biểu đồ số {k}"      # at the chart's head
LEGEND = "Chú giải riêng {k}"       # at its foot


def _write_sample(path: Path) -> dict[str, Sheet]:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    fm, sheets = Formats(wb), {}

    sh = sheets["in_part"] = Sheet(wb, fm, "in_part", TITLES["in_part"], True, 3)
    sh.table(_listing(300), caption=False, main=True, print_rows=40)
    sh.finish({2: 60})

    charts = sheets["two_charts"] = Sheet(wb, fm, "two_charts", TITLES["two_charts"], False, 3)
    sh = sheets["chart_after"] = Sheet(wb, fm, "chart_after", TITLES["chart_after"], False, 3)
    hdr, first, last = sh.table(_small(20), caption=False, main=True)
    sh.chart("bar", CHART_TITLE.format(k=3), [_series("chart_after", 3, first, last, 1)], sh.row)
    sh.finish({0: 30, 1: 30, 2: 30})
    for k in (1, 2):   # stacked, each with the rows under it, as workbook.py places them (data: the sheet above)
        charts.chart("column", CHART_TITLE.format(k=k), [_series("chart_after", k, first, first + 5, k)], charts.row)
    charts.finish()

    sh = sheets["beside"] = Sheet(wb, fm, "beside", TITLES["beside"], False, 8)
    hdr, first, last = sh.table(_small(14), caption=False, main=True)
    sh.table(Section("wide", "Bảng rộng", pd.DataFrame({f"Cột số {j}": [j] for j in range(1, 9)})))
    sh.chart("bar", CHART_TITLE.format(k=4), [_series("beside", 4, first, last, 1)], hdr, anchor_col=4,
             size=(None, 300))
    sh.finish()
    wb.close()
    return sheets


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> tuple[Path, dict[str, Sheet]]:
    path = tmp_path_factory.mktemp("print") / "sample.xlsx"
    return path, _write_sample(path)


def _squeezed(text: str) -> str:
    """Without spaces: a glyph drawn from a fallback font comes out of pdftotext with spaces around it."""
    return re.sub(r"\s+", "", text)


def _pdf_pages(path: Path) -> list[str]:
    """The text of every page LibreOffice prints of the workbook, squeezed."""
    if SOFFICE is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice (soffice) or poppler-utils is not installed here; CI installs them")
    out = path.parent
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{out}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), str(path)], capture_output=True, timeout=600)
    pdf = path.with_suffix(".pdf")
    assert pdf.exists()
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [_squeezed(page) for page in text.split("\f")[:-1]]


def _pages_by_sheet(pages: list[str], titles: list[str]) -> list[list[str]]:
    """The printed pages of each sheet, in order: a sheet's pages run from the page its title starts."""
    starts, at = [], 0
    for title in titles:
        at = next(i for i in range(at, len(pages)) if pages[i].startswith(_squeezed(title)[:60]))
        starts.append(at)
    assert starts[0] == 0, starts
    return [pages[a:b] for a, b in zip(starts, starts[1:] + [len(pages)])]


def _setup(path: Path, name: str):
    ws = load_workbook(path)[name]
    return ws.page_setup.fitToHeight or 1, ws.print_area, [b.id for b in ws.row_breaks.brk]


def test_a_long_listing_prints_its_first_rows_and_says_so(sample):
    path, sheets = sample
    sh = sheets["in_part"]
    hdr, shown, total, note_row = sh.in_part
    assert total == 300 and 10 <= shown <= 40
    ws = load_workbook(path)["in_part"]
    assert ws.print_area == f"'in_part'!$A$1:$C${hdr + 1 + shown}"          # title to the last row printed
    assert ws.auto_filter.ref == f"A{hdr + 1}:C{hdr + 1 + total}"           # the whole list stays filterable
    note = ws.cell(note_row + 1, 1).value
    assert note == xlsx_sheet.PRINT_ROWS_NOTE.format(shown=shown, total=total) and note_row < hdr
    assert ws.cell(hdr + 1 + total, 1).value == str(total)                  # every row is on the sheet


def test_the_rows_printed_end_on_a_full_page(sample):
    """40 rows asked for, the last few of them alone on a page: the listing prints the rows that fill its pages."""
    sh = sample[1]["in_part"]
    hdr, shown, _, _ = sh.in_part
    pages = sh.pages()[0]
    try:
        sh.print_last_row = hdr + 40
        assert sh.pages()[0] > pages and shown < 40     # the 40 rows asked for would print a page more
        sh.print_last_row = hdr + shown + 1
        assert sh.pages()[0] > pages                    # and so would one row more than printed
    finally:
        sh.print_last_row = hdr + shown


def test_charts_are_at_most_half_a_page_tall_and_fit_the_table_width(sample):
    path, sheets = sample
    for name in ("two_charts", "chart_after", "beside"):
        sh = sheets[name]
        for _, _width, _chart, height in sh.charts:
            rows = -(-height // xlsx_sheet.ROW_PX) + 2        # the chart and the two rows under it
            assert 2 * rows * xlsx_sheet.DEFAULT_ROW <= sh.page_points(), name
    beside = sheets["beside"]
    col, width, _, _ = beside.charts[0]
    assert width == sum(int(beside.widths[j] * 7 + 0.5) + 5 for j in range(col, 8))   # up to the last column


def test_every_sheet_prints_at_a_readable_scale(sample):
    for name, sh in sample[1].items():
        assert sh.scale() >= MIN_SCALE, (name, sh.scale())


@pytest.mark.office
@needs_soffice
def test_each_sheet_prints_on_the_pages_it_says(sample):
    path, sheets = sample
    pages = _pages_by_sheet(_pdf_pages(path), list(TITLES.values()))
    printed = dict(zip(TITLES, pages))
    for name, sh in sheets.items():   # the pages counted are the pages printed (a page more is counted at most)
        fit, _, breaks = _setup(path, name)
        assert sh.pages()[0] - 1 <= len(printed[name]) <= sh.pages()[0], (name, len(printed[name]), sh.pages())
        assert breaks or fit == sh.pages()[0], name
    # the listing: its note and its first rows, not the rest
    hdr, shown, total, _ = sheets["in_part"].in_part
    text = "".join(printed["in_part"])
    assert _squeezed(xlsx_sheet.PRINT_ROWS_NOTE.format(shown=shown, total=total)) in text
    assert f"UBNDxãPhổ{shown}" in text and f"UBNDxãPhổ{shown + 1}" not in text
    # two charts to a page; a chart that does not fit under its table starts the next page, whole
    def whole(k: int, page: str) -> bool:   # the chart's head and foot on the page
        return _squeezed(CHART_TITLE.format(k=k)) in page and _squeezed(LEGEND.format(k=k)) in page

    assert len(printed["two_charts"]) == 1 and whole(1, printed["two_charts"][0]) and whole(2, printed["two_charts"][0])
    assert len(printed["chart_after"]) == 2 and whole(3, printed["chart_after"][1])
    assert len(printed["beside"]) == 1 and whole(4, printed["beside"][0])


# -- the demo summary workbook, against issue 25's target ------------------------------------------------------

MAX_PAGES = 30


@pytest.fixture(scope="module")
def demo_workbook_pages(demo_run) -> dict[str, int]:
    from pipeline import publish

    path = demo_run / publish.WORKBOOK
    wb = load_workbook(path, read_only=True)
    titles = {ws.title: str(next(ws.iter_rows(max_row=1, values_only=True))[0]) for ws in wb.worksheets}
    wb.close()
    pages = _pages_by_sheet(_pdf_pages(path), list(titles.values()))
    return {name: len(p) for name, p in zip(titles, pages)}


@pytest.mark.office
@needs_soffice
def test_the_demo_summary_workbook_prints_on_at_most_30_pages(demo_workbook_pages):
    from pipeline.publish.wording import WORKBOOK_SHEETS

    pages = demo_workbook_pages
    assert sum(pages.values()) <= MAX_PAGES and pages[WORKBOOK_SHEETS["overview"]] == 1, pages
