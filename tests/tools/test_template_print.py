"""The template on paper and on screen: what it tells the units, and how each sheet prints (A4, never below about
70%, nothing cut off, the whole template on at most MAX_PAGES pages), with labels and answer cells tall enough for
their text."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from openpyxl.utils import get_column_letter

from pipeline import messages as msg
from pipeline.tools.template import INSTRUCTIONS_SHEET, LISTS_SHEET, TEMPLATE_FILENAME, build_template, write_template
from schemas import SHEETS
from schemas.fields import TEXT
from schemas.spec import FIRST_DATA_ROW, HEADER_ROW, NOTE_ROW, TITLE_ROW
from tests.conftest import SOFFICE, needs_soffice

# A column-width unit as LibreOffice draws it where Calibri is missing (measured: about 9.3 px; 7 px with
# Calibri), plus the 5 px each column adds. Checking with the wider one keeps the page readable everywhere.
PX_PER_UNIT, PX_PER_COLUMN, DPI = 9.3, 5, 96
A4_INCHES = {"portrait": 8.27, "landscape": 11.69}
MIN_SCALE = 0.70
MAX_PAGES = 12          # the blank template, printed whole (issue 25): an office form, not a ream of empty grid


@pytest.fixture(scope="module")
def template():
    return build_template()


def _widths(ws) -> list[float]:
    return [ws.column_dimensions[get_column_letter(j)].width for j in range(1, ws.max_column + 1)]


def _scale(ws) -> float:
    page = (A4_INCHES[ws.page_setup.orientation] - ws.page_margins.left - ws.page_margins.right) * DPI
    return min(1.0, page / sum(w * PX_PER_UNIT + PX_PER_COLUMN for w in _widths(ws)))


def test_every_sheet_prints_on_a4_at_a_readable_scale(template):
    for spec in SHEETS:
        ws = template[spec.sheet]
        assert int(ws.page_setup.paperSize) == 9 and ws.sheet_properties.pageSetUpPr.fitToPage  # 9: A4
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight >= 1
        assert ws.page_setup.orientation == ("portrait" if spec.layout == "form" else "landscape"), spec.sheet
        assert _scale(ws) >= MIN_SCALE, (spec.sheet, round(_scale(ws), 2))
    assert template[SHEETS[-1].sheet].page_setup.orientation == "landscape"  # sheet 9, the widest list


def _printed_rows(ws) -> range:
    first, last = ws.print_area.split("!")[1].replace("$", "").split(":")
    assert first == "A1"
    return range(1, int(re.sub(r"[A-Z]", "", last)) + 1)


def test_each_sheet_prints_its_own_rows_on_few_pages_at_a_readable_scale(template):
    """The print area holds the sheet's title, header and rows (of the sixty rows prepared for models, those that
    fill a page); at 70% those rows fit in the pages the sheet asks for, so no suite shrinks it further."""
    pages = 0
    for ws in template.worksheets:
        if ws.sheet_state != "visible":
            continue
        rows = _printed_rows(ws)
        assert ws.print_area.endswith(f"${get_column_letter(ws.max_column)}${rows[-1]}"), (ws.title, ws.print_area)
        page_pt = (A4_INCHES["landscape" if ws.page_setup.orientation == "portrait" else "portrait"]
                   - ws.page_margins.top - ws.page_margins.bottom) * 72
        heights = sum(ws.row_dimensions[r].height or 15 for r in rows)
        assert heights * MIN_SCALE <= ws.page_setup.fitToHeight * page_pt, ws.title
        pages += ws.page_setup.fitToHeight
    assert pages <= MAX_PAGES
    assert template[LISTS_SHEET].sheet_state == "hidden"  # never printed
    for spec in SHEETS:
        printed = len(_printed_rows(template[spec.sheet])) - FIRST_DATA_ROW + 1
        if spec.blank_rows and not spec.fixed_rows:
            assert 3 <= printed <= spec.n_data_rows, spec.sheet  # room to write a few, not pages of empty rows
        else:
            assert printed == spec.n_data_rows, spec.sheet  # every prepared row and form field is printed


def test_instructions_fit_a_portrait_page_without_scaling(template):
    """LibreOffice never scales down a single column: it must fit at 100%, or it is cut off on the right."""
    ws = template[INSTRUCTIONS_SHEET]
    assert ws.max_column == 1 and ws.page_setup.orientation == "portrait"
    assert _scale(ws) == 1.0
    for row in range(4, ws.max_row + 1):
        cell = ws.cell(row, 1)
        if cell.value:
            assert cell.alignment.wrap_text
            lines = -(-len(cell.value) // int(_widths(ws)[0]))
            assert ws.row_dimensions[row].height >= 14 * lines, cell.value


def test_titles_and_notes_wrap_inside_the_sheet(template):
    """A long line running past the last column would widen what LibreOffice prints."""
    for spec in SHEETS:
        ws = template[spec.sheet]
        last = get_column_letter(3 if spec.layout == "form" else len(spec.columns))
        merged = {str(r) for r in ws.merged_cells.ranges}
        for row in (TITLE_ROW, NOTE_ROW):
            assert f"A{row}:{last}{row}" in merged, (spec.sheet, row)
            assert ws.cell(row, 1).alignment.wrap_text


def test_form_labels_and_answers_are_tall_enough(template):
    for spec in (s for s in SHEETS if s.layout == "form"):
        ws = template[spec.sheet]
        label_width = ws.column_dimensions["A"].width
        for i, col in enumerate(spec.columns):
            row = FIRST_DATA_ROW + i
            height = ws.row_dimensions[row].height
            lines = -(-len(col.header) // int(label_width))
            assert height >= 14 * lines, (spec.sheet, col.header)  # the label never runs into the next row
            assert ws.cell(row, 1).alignment.wrap_text and ws.cell(row, 2).alignment.wrap_text
            if col.kind == TEXT and col.width >= 50:
                assert height >= 4 * 14, (spec.sheet, col.header)  # room for a few lines of the unit's text


def test_narrative_answer_cells_are_tall_and_wrap(template):
    for spec in (s for s in SHEETS if s.layout == "table" and any(c.kind == TEXT and c.width >= 50 for c in s.columns)):
        ws = template[spec.sheet]
        j = next(j for j, c in enumerate(spec.columns, 1) if c.kind == TEXT and c.width >= 50)
        assert ws.cell(FIRST_DATA_ROW, j).alignment.wrap_text
        assert ws.row_dimensions[FIRST_DATA_ROW].height >= 4 * 14, spec.sheet
        header_lines = max(-(-len(c.header) // int(ws.column_dimensions[get_column_letter(k)].width))
                           for k, c in enumerate(spec.columns, 1))
        assert ws.row_dimensions[HEADER_ROW].height >= 13 * header_lines, spec.sheet


def test_instructions_ask_for_the_signed_report_and_the_award_file(template, plan):
    text = "\n".join(str(c.value) for c in template[INSTRUCTIONS_SHEET]["A"] if c.value)
    assert "báo cáo sơ kết đã ký" in text and "hồ sơ đề nghị khen thưởng" in text
    assert plan.raw["report"]["basis"][-1] in text  # the guidance itself is cited
    assert plan.review["plan_reference"] in text and plan.deadline.strftime("%d/%m/%Y") in text
    assert msg.criterion_c_text(plan) in text and "có thể nhân rộng" in text


def test_criterion_c_help_matches_the_guidance(plan):
    spec = next(s for s in SHEETS if s.name == "proposals")
    crit_c = spec.column("crit_c")
    authority = plan.item("recognition_levels", plan.awards["min_recognition_level"])["authority"]
    assert "có thể nhân rộng" in crit_c.header and "có thể nhân rộng" in crit_c.help
    assert authority in crit_c.help and "minh chứng" in crit_c.help


def test_years_come_from_the_config(plan):
    years = [int(p["year"]) for p in plan.items("periods")]
    start = next(s for s in SHEETS if s.name == "models").column("start_year")
    assert (start.min, start.max) == (min(years), max(years))
    assert f"từ {min(years)} đến {max(years)}" in start.help


@pytest.fixture(scope="module")
def template_pdf(tmp_path_factory):
    """The template converted to PDF by LibreOffice, as a unit's "print the whole workbook" would print it."""
    if SOFFICE is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice (soffice) or poppler-utils is not installed here; CI installs them")
    out = tmp_path_factory.mktemp("template_pdf")
    path = write_template(out)
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{out}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), str(path)], capture_output=True, timeout=300)
    pdf = out / TEMPLATE_FILENAME.replace(".xlsx", ".pdf")
    assert pdf.exists()
    return pdf


def _page_texts(pdf) -> list[str]:
    """Each page's text without spaces: a glyph drawn from a fallback font comes out with spaces around it."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [re.sub(r"\s+", "", page) for page in text.split("\f")[:-1]]


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.office
@needs_soffice
def test_the_blank_template_prints_on_a_few_pages_each_sheet_whole(template_pdf, template, plan):
    pages = _page_texts(template_pdf)
    assert len(pages) <= MAX_PAGES, len(pages)
    first = pages[0]
    assert _squeezed(msg.TEMPLATE_HEADING.format(title=plan.review["title"])) in first
    assert _squeezed(msg.instructions(plan, sheets=[])[0][0]) in first  # "CÁCH ĐIỀN MẪU BÁO CÁO"
    assert _squeezed(msg.instructions(plan, sheets=[])[-1][0]) in first  # the last instruction: one page
    starts = [next(i for i, page in enumerate(pages) if page.startswith(_squeezed(spec.title))) for spec in SHEETS]
    assert starts == sorted(starts) and starts[0] == 1, starts  # every sheet, in order, after the instructions
    for spec, start, end in zip(SHEETS, starts, starts[1:] + [len(pages)]):
        assert end - start <= template[spec.sheet].page_setup.fitToHeight, spec.sheet
        last = [str(v) for v in spec.fixed_rows[-1]] if spec.fixed_rows else []
        last += [spec.columns[-1].header] if spec.layout == "form" else []
        assert all(_squeezed(v) in pages[end - 1] for v in last), (spec.sheet, last)  # the last row, not cut off
    vocabs = [str(c.value) for c in template[LISTS_SHEET][1] if c.value]
    assert vocabs and not any(vocab in page for vocab in vocabs for page in pages)  # the hidden lists sheet


@pytest.mark.office
@needs_soffice
def test_nothing_printed_off_the_page_in_libreoffice(template_pdf):
    html = subprocess.run(["pdftotext", "-bbox", str(template_pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    for page in html.split("<page ")[1:]:
        width = float(re.search(r'width="([\d.]+)"', page).group(1))
        boxes = [(float(a), float(b)) for a, b in re.findall(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', page)]
        assert all(0 <= a and b <= width for a, b in boxes), "text runs off the page"
