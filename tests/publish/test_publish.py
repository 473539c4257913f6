"""The town report outputs: workbook, charts, HTML tables and report, draft .docx."""
from __future__ import annotations

import os
import re
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook

from pipeline import explore, publish
from pipeline.publish import charts, html, wording
from schemas.codes import SubmissionStatus
from tests.conftest import SOFFICE, needs_soffice

HYPERLINK = '=HYPERLINK("http://example.com","x")'


@pytest.fixture(scope="module")
def run_outputs(demo_run) -> Path:
    """A real end-to-end run on the demo returns (shared: read only)."""
    return demo_run


@pytest.fixture(scope="module")
def injected(run_outputs, plan, tmp_path_factory):
    """Outputs re-published from the persisted tables with hostile unit text in them."""
    results = explore.results(explore.load(run_outputs))
    models = results.tables["models"]
    models.loc[models.index[0], "model_name"] = HYPERLINK
    models.loc[models.index[1], "effect"] = "+84 905 123 456"
    models.loc[models.index[2], "implementer"] = "@tổ công tác"
    assessments = results.tables["assessments"]
    assessments.loc[assessments.index[0], "text"] = HYPERLINK
    quotes = results.aggregates["quotes"]  # what the draft report quotes
    quotes.loc[quotes.index[0], "text"] = HYPERLINK
    out = tmp_path_factory.mktemp("injected")
    paths = publish.write_outputs(out, results, plan, is_demo=True, show_progress=False)
    return out, paths, results


def test_all_outputs_written(run_outputs):
    for name in (publish.WORKBOOK, publish.DOCX, publish.REPORT_HTML):
        assert (run_outputs / name).stat().st_size > 0
    for stem in ("models_by_field_group", "models_by_recognition", "models_recognised_replicated",
                 "classification_by_year", "reporting_status", "propaganda_by_year"):
        assert (run_outputs / "charts" / f"{stem}.png").stat().st_size > 1000
        assert (run_outputs / "charts" / f"{stem}.svg").exists()
    assert len(list((run_outputs / "tables").glob("*.html"))) == len(html.HTML_SECTIONS)


def test_write_outputs_returns_written_paths(injected):
    out, paths, _ = injected
    assert paths and all(p.exists() and out in p.parents for p in paths)
    assert not list(out.rglob(".*"))  # no temporary file left behind


def test_workbook_sheets_and_layout(run_outputs):
    wb = load_workbook(run_outputs / publish.WORKBOOK)
    assert wb.sheetnames == list(wording.WORKBOOK_SHEETS.values())
    for ws in wb.worksheets:
        assert ws.freeze_panes, ws.title
        assert ws.auto_filter.ref, ws.title
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws["A1"].font.name == "Times New Roman" and ws["A1"].font.bold
    # native charts (not pictures) on the main comparison sheets
    with zipfile.ZipFile(run_outputs / publish.WORKBOOK) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        images = [n for n in z.namelist() if n.startswith("xl/media/")]
    assert len(charts) >= 5 and not images


def _sheet_values(ws) -> dict[str, object]:
    """First column label -> second column value for the key figures table."""
    return {row[0]: row[1] for row in ws.iter_rows(values_only=True) if row[0] is not None and len(row) > 1}


def test_status_of_every_unit_with_colour(run_outputs, plan):
    ws = load_workbook(run_outputs / publish.WORKBOOK)[wording.WORKBOOK_SHEETS["reporting"]]
    cells = [c for c in ws["E"] if c.value in SubmissionStatus.labels().values()]
    assert len(cells) == len(plan.units)
    late = [c for c in cells if c.value == SubmissionStatus.LATE.label]
    assert late and all(c.fill.fgColor.rgb.endswith("FFEB9C") for c in late)


def test_unit_text_stays_inert(injected):
    out, _, _ = injected
    wb = load_workbook(out / publish.WORKBOOK)
    ws = wb[wording.WORKBOOK_SHEETS["models_list"]]
    hits = [c for row in ws.iter_rows() for c in row if c.value == HYPERLINK]
    assert hits, "the unit text was not written as text"
    for c in hits:
        assert c.data_type == "s" and c.hyperlink is None
    for text in ("+84 905 123 456", "@tổ công tác"):
        assert any(c.value == text and c.data_type == "s" for row in ws.iter_rows() for c in row)
    with zipfile.ZipFile(out / publish.WORKBOOK) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
    assert "<f>" not in xml and "hyperlink" not in xml.lower()
    # The draft report quotes the unit's text literally, and HTML escapes it.
    import docx

    doc = docx.Document(out / publish.DOCX)
    assert any(HYPERLINK in p.text for p in doc.paragraphs)


def test_report_html_self_contained(run_outputs, plan):
    page = (run_outputs / publish.REPORT_HTML).read_text(encoding="utf-8")
    for _anchor, heading, keys, _ in wording.REPORT_LAYOUT:
        assert heading in page
        for key in keys:
            title = wording.fill(wording.SECTION_TITLES[key], plan)
            assert title in page or _html_has(page, title)
    fetches = re.findall(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not fetches
    assert not re.search(r"@import|url\(\s*['\"]?https?:", page, re.I)
    assert page.count("data:image/png;base64,") == len(charts.STEMS)
    for table in (run_outputs / "tables").glob("*.html"):
        text = table.read_text(encoding="utf-8")
        assert not re.search(r"""(?:src|href)\s*=\s*["']?https?://|@import""", text, re.I), table


def _html_has(page: str, title: str) -> bool:
    import html

    return html.escape(title) in page or html.escape(title, quote=False) in page


def test_demo_marking_everywhere(injected):
    import docx

    run_outputs = injected[0]
    assert wording.DEMO_BANNER in (run_outputs / publish.REPORT_HTML).read_text(encoding="utf-8")
    for table in (run_outputs / "tables").glob("*.html"):
        assert wording.DEMO_BANNER in table.read_text(encoding="utf-8")
    wb = load_workbook(run_outputs / publish.WORKBOOK)
    for ws in wb.worksheets:
        assert ws["A2"].value == wording.DEMO_BANNER, ws.title
    doc = docx.Document(run_outputs / publish.DOCX)
    text = "\n".join(p.text for p in doc.paragraphs)
    first = doc.sections[0]
    assert "DỮ LIỆU MẪU" in text and "DỮ LIỆU MẪU" in first.first_page_header.paragraphs[0].text
    assert "DỮ LIỆU MẪU" in first.footer.paragraphs[0].text  # every later page too


def test_docx_draft_contains_overview_figures(run_outputs, plan):
    import docx

    doc = docx.Document(run_outputs / publish.DOCX)
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert wording.NATIONAL in cells and wording.MOTTO in cells
    assert all(line in cells for line in plan.raw["report"]["issuer_lines"])
    assert wording.DRAFT in doc.sections[0].first_page_header.paragraphs[0].text
    next_period = plan.raw["report"]["next_period"]
    for key in ("I", "II", "III", "IV", "V"):
        assert wording.OUTLINE[key].format(next_period_upper=next_period.upper()) in text
    assert "2023 – 2025" not in text  # section IV names the next period from the config
    assert "[Cần bổ sung:" in text
    assert doc.styles["Normal"].font.name == "Times New Roman"
    sec = doc.sections[0]
    assert abs(sec.page_width.cm - 21) < 0.1 and abs(sec.page_height.cm - 29.7) < 0.1


@needs_soffice
@pytest.mark.parametrize("name", [publish.WORKBOOK, publish.DOCX])
def test_opens_in_libreoffice(run_outputs, tmp_path, name):
    result = subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                             "--convert-to", "pdf", "--outdir", str(tmp_path), str(run_outputs / name)],
                            capture_output=True, text=True, timeout=180)
    pdf = tmp_path / (Path(name).stem + ".pdf")
    if not pdf.exists() and "source file could not be loaded" in result.stderr + result.stdout \
            and name.endswith(".docx"):
        pytest.skip("this LibreOffice has no Writer component (install libreoffice-writer)")
    assert pdf.exists() and pdf.stat().st_size > 10_000, result.stderr


# A column-width unit as LibreOffice draws it where Calibri is missing (about 9.3 px; 7 px with Calibri), plus
# the 5 px each column adds: a sheet that prints at 70% with these prints larger everywhere else.
PX_PER_UNIT, PX_PER_COLUMN = 9.3, 5


def _printed_columns(ws) -> list[int]:
    if ws.print_area:
        last = re.search(r":\$?([A-Z]+)\$?\d+$", ws.print_area[0] if isinstance(ws.print_area, list) else ws.print_area)
        from openpyxl.utils import column_index_from_string

        return list(range(1, column_index_from_string(last.group(1)) + 1))
    return list(range(1, ws.max_column + 1))


def test_every_workbook_sheet_prints_at_a_readable_scale(run_outputs):
    from openpyxl.utils import get_column_letter

    wb = load_workbook(run_outputs / publish.WORKBOOK)
    for ws in wb.worksheets:
        widths = [ws.column_dimensions[get_column_letter(j)].width or 8.43 for j in _printed_columns(ws)]
        page = (11.69 - ws.page_margins.left - ws.page_margins.right) * 96
        scale = min(1.0, page / sum(w * PX_PER_UNIT + PX_PER_COLUMN for w in widths))
        assert scale >= 0.70, (ws.title, round(scale, 2))


def test_audit_columns_are_not_printed(run_outputs):
    wb = load_workbook(run_outputs / publish.WORKBOOK)
    for key, audit in (("models_list", wording.H["source"]), ("reporting", wording.H["file"])):
        ws = wb[wording.WORKBOOK_SHEETS[key]]
        header = next(row for row in ws.iter_rows(values_only=True) if audit in row)
        assert header.index(audit) + 1 not in _printed_columns(ws), key
        assert ws.page_setup.orientation == "landscape"
    printed = _printed_columns(wb[wording.WORKBOOK_SHEETS["models_list"]])
    header = next(row for row in wb[wording.WORKBOOK_SHEETS["models_list"]].iter_rows(values_only=True)
                  if wording.H["model_name"] in row)
    assert {wording.H["unit"], wording.H["model_name"], wording.H["recognition"]} <= set(header[:len(printed)])


def test_impact_and_outstanding_results_have_their_sheets(run_outputs):
    wb = load_workbook(run_outputs / publish.WORKBOOK, read_only=True)
    for key in ("impact", "impact_texts", "assessment_texts", "outstanding", "ranking"):
        assert wording.WORKBOOK_SHEETS[key] in wb.sheetnames
    ranking = [str(v) for row in wb[wording.WORKBOOK_SHEETS["ranking"]].iter_rows(values_only=True) for v in row if v]
    # the ranking is a suggestion, on weights the leadership has not agreed yet (weights_confirmed = false)
    assert any("gợi ý" in v.lower() for v in ranking) and any("chưa được lãnh đạo thống nhất" in v for v in ranking)


def _listing_section(n: int):
    import pandas as pd

    from pipeline.publish.sections import Section

    df = pd.DataFrame({
        "STT": range(1, n + 1),
        "Đơn vị": [f"<b>Xã {i}</b> & co" for i in range(n)],
        "Số người": [1234567 if i % 3 == 0 else None for i in range(n)],
        "Tỷ lệ (%)": [96.64 if i % 2 else float("nan") for i in range(n)],
    })
    return Section("t", "Danh sách <thử>", df, ["STT", "Số người"], ["Tỷ lệ (%)"], note="Ghi chú & nguồn")


def _parsed(markup: str, tmp_path: Path):
    from tests.publish.published import html_tables

    page = tmp_path / "t.html"
    page.write_text(f"<html><body>{markup}</body></html>", encoding="utf-8")
    (table,) = html_tables(page)
    return table


def test_long_listing_is_rendered_whole_with_the_same_formats(tmp_path):
    """Above LONG_TABLE_ROWS rows a section skips great-tables (6 ms a row) and loses nothing by it."""
    n = html.LONG_TABLE_ROWS + 7
    long = html.render_section(_listing_section(n))
    assert "gt_table" not in long   # the fast path was taken
    table = _parsed(long, tmp_path)
    assert table.header == ["STT", "Đơn vị", "Số người", "Tỷ lệ (%)"]
    assert len(table.rows) == n
    assert table.rows[0] == ["1", "<b>Xã 0</b> & co", "1.234.567", ""]
    assert table.rows[1] == ["2", "<b>Xã 1</b> & co", "", "96,6"]
    assert "Danh sách <thử>" in table.caption
    assert "&lt;b&gt;" in long and "<b>" not in long   # unit text stays text
    assert "Ghi chú &amp; nguồn" in long


def test_a_listing_longer_than_a_written_block_keeps_every_row_and_its_total(tmp_path):
    """A listing is made a block of STREAM_BUFFER rows at a time: rows on both sides of a block's edge, and the
    total row at the very end, come out as they are in the table."""
    import dataclasses

    import pandas as pd

    from pipeline.text import vn_number

    n = html.STREAM_BUFFER + 3
    sec = _listing_section(n)
    df = pd.concat([sec.df, pd.DataFrame({"STT": [None], "Đơn vị": ["Tổng cộng"], "Số người": [9876543],
                                           "Tỷ lệ (%)": [50.0]})], ignore_index=True)
    long = html.render_section(dataclasses.replace(sec, df=df, total_rows=1))
    table = _parsed(long, tmp_path)
    assert len(table.rows) == n + 1
    edge = html.STREAM_BUFFER   # the first row of the second block
    assert table.rows[edge - 1][:2] == [vn_number(edge), f"<b>Xã {edge - 1}</b> & co"]
    assert table.rows[edge][:2] == [vn_number(edge + 1), f"<b>Xã {edge}</b> & co"]
    assert table.rows[-1] == ["", "Tổng cộng", "9.876.543", "50,0"]
    assert long.count('<tr class="total">') == 1 and long.rstrip().rfind('<tr class="total">') > long.rfind("Xã")


def test_workbook_columns_fit_their_longest_figure_and_wrapped_rows_are_tall(tmp_path):
    """Widths and row heights come from what each column holds: a column as wide as its longest number (a
    negative one too), a row as tall as its longest wrapped text needs; a row of short texts keeps Excel's height."""
    import pandas as pd
    import xlsxwriter

    from pipeline.publish import xlsx_sheet
    from pipeline.publish.sections import Section

    long_text = "Mô hình dân vận khéo trong xây dựng nông thôn mới kiểu mẫu " * 4
    df = pd.DataFrame({"Tên": ["Ngắn", long_text, "Hai dòng\nnhưng ngắn"], "Số": [5, 1234567, 12],
                       "Chênh lệch": [3, -7654321, 0], "Ghi chú": ["", "abcdefghij\nabcdefghij", ""]})
    path = tmp_path / "w.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    sh = xlsx_sheet.Sheet(wb, xlsx_sheet.Formats(wb), "S", "Tiêu đề", False, 4)
    hdr, first, _ = sh.table(Section("t", "Bảng", df, ["Số", "Chênh lệch"]), caption=False)
    sh.finish()
    wb.close()
    ws = load_workbook(path)["S"]
    widths = {c: ws.column_dimensions[c].width for c in "ABC"}
    assert widths["B"] >= len("1,234,567") * 0.95 + 2 and widths["C"] >= len("-7,654,321") * 0.95 + 2
    assert widths["A"] <= xlsx_sheet.MAX_TEXT_WIDTH + 1
    long_row, short_row = first + 2, first + 1   # Excel rows are 1-based
    assert ws.row_dimensions[long_row].height >= 3 * xlsx_sheet.LINE_HEIGHT   # the long name's lines, not the note's two
    assert ws.row_dimensions[short_row].height is None


def test_short_and_long_renderings_show_the_same_cells(tmp_path):
    sec = _listing_section(12)
    short = _parsed(html.gt_html(sec), tmp_path)
    long = _parsed(html.long_html(sec), tmp_path)
    assert (long.header, long.rows) == (short.header, short.rows)
    assert short.rows[0] == ["1", "<b>Xã 0</b> & co", "1.234.567", ""] and short.rows[1][3] == "96,6"
    # the figures right-aligned, the names not, in both (great-tables' class, the listing's)
    cells = re.findall(r'<td headers="[^"]*" class="([^"]*)"[^>]*>([^<]*)</td>', html.gt_html(sec))
    assert cells and all(("gt_right" in c) == (t.strip() != "" and t[0].isdigit()) for c, t in cells if t.strip())
    assert all(t[0].isdigit() for t in re.findall(r'<td class="num">([^<]*)</td>', html.long_html(sec)) if t)


def _published(out: Path) -> dict[str, object]:
    """What a reader finds in the outputs: every file, the workbook's cell values, the draft's paragraphs."""
    wb = load_workbook(out / publish.WORKBOOK, read_only=True)
    return {"files": sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()),
            "workbook": {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets},
            "docx": [p.text for p in docx.Document(out / publish.DOCX).paragraphs]}


@pytest.fixture(scope="module")
def one_process(injected, plan):
    out, _, results = injected
    return results, _published(out)


def test_two_processes_publish_the_same_outputs(one_process, injected, plan, tmp_path):
    results, expected = one_process
    paths = publish.write_outputs(tmp_path, results, plan, is_demo=True, show_progress=False, jobs=2)
    assert _published(tmp_path) == expected
    charts = sorted((injected[0] / "charts").iterdir())     # drawn by either process, at another time: same bytes
    assert len(charts) >= 10 and all(c.read_bytes() == (tmp_path / "charts" / c.name).read_bytes() for c in charts)
    assert sorted(str(p.relative_to(tmp_path)) for p in paths) == sorted(
        f for f in expected["files"])


@pytest.mark.parametrize("part", ["charts", "workbook"])
def test_a_dying_second_process_costs_no_output(one_process, plan, tmp_path, monkeypatch, part):
    """The forked process dies (as if killed) after taking a chart, or when it starts the workbook: this
    process makes what it did not."""
    results, expected = one_process
    parent, real = os.getpid(), publish.PARTS[part]

    def dies_when_forked(*args):
        if os.getpid() != parent:
            next(publish._claimed(publish._NEXT_CHART), None)   # takes the next chart if any, and dies
            os._exit(70)
        return real(*args)

    monkeypatch.setitem(publish.PARTS, part, dies_when_forked)
    publish.write_outputs(tmp_path, results, plan, is_demo=True, show_progress=False, jobs=2)
    assert _published(tmp_path) == expected


class _Tables(HTMLParser):
    """caption -> the rows (lists of cell texts) of each table of a page."""

    def __init__(self):
        super().__init__()
        self.tables, self._rows, self._cell, self._caption, self._in = {}, None, None, None, ""

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._rows, self._caption = [], ""
        elif tag == "caption":
            self._in = "caption"
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in = ""
        elif tag in ("td", "th") and self._cell is not None:
            self._rows[-1].append(self._cell.strip())
            self._cell = None
        elif tag == "table" and self._rows is not None:
            self.tables[self._caption.strip()] = self._rows
            self._rows = None

    def handle_data(self, data):
        if self._in == "caption":
            self._caption += data
        elif self._cell is not None:
            self._cell += data


def _tables_of(path: Path) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tables


def test_report_page_shows_the_head_of_a_long_table_and_links_the_whole(one_process, plan, tmp_path, monkeypatch):
    """A province's listings would make report.html a page no browser opens: it shows the first REPORT_ROWS
    rows and links the page of tables/ that holds every row."""
    results, _ = one_process
    units = results.tables["units"]
    monkeypatch.setattr(html, "REPORT_ROWS", 4)
    monkeypatch.setattr(html, "LONG_TABLE_ROWS", 0)   # the tables page as a plain listing too, to parse alike
    publish.write_outputs(tmp_path, results, plan, is_demo=True, show_progress=False)
    title = wording.fill(wording.SECTION_TITLES["reporting_units"], plan)
    whole = _tables_of(tmp_path / "tables" / html.table_page("reporting_units"))[title]
    shown = _tables_of(tmp_path / publish.REPORT_HTML)[title]
    assert len(whole) - 1 == len(units) > 4       # header + one row per unit of the registry
    assert shown == whole[:5]                      # the header and the first 4 rows, the same cells
    page = (tmp_path / publish.REPORT_HTML).read_text(encoding="utf-8")
    assert f'href="tables/{html.table_page("reporting_units")}"' in page
    assert f"Bảng có {len(units)} dòng; trang này chỉ in 4 dòng đầu" in page


def test_bar_labels_are_written_as_the_axis_writes_numbers():
    """A province's bar of 13,471 sessions reads "13.471" above it, as on its axis, never "13471"; a share
    keeps its "%"; an empty bar gets no label."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    try:
        charts._label_bars(ax, ax.bar([0, 1, 2], [13471, 0, 1_250_000]))
        charts._label_bars(ax, ax.bar([3], [96.6]), "%")
        assert [t.get_text() for t in ax.texts] == ["13.471", "1.250.000", "97%"]
    finally:
        plt.close(fig)
