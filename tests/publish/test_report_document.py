"""The draft report as an administrative document (Nghị định 30/2020/NĐ-CP), read the way an office reads it:
converted to PDF by LibreOffice, its first page, its page numbers, its words; and its layout in the .docx."""
from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.shared import Cm

from pipeline import explore, publish
from pipeline.publish import wording
from pipeline.publish.docx import write_docx
from pipeline.publish.sections import sections
from pipeline.run import run_report
from tests.conftest import SOFFICE, needs_soffice

SPREADSHEET_WORDS = ("sheet", "dòng", "lỗi", "cảnh báo")
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")


@pytest.fixture(scope="module")
def run_outputs(demo_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("document")
    assert run_report(demo_dir / "returns", out) == 0
    return out


@pytest.fixture(scope="module")
def document(run_outputs):
    return docx.Document(run_outputs / publish.DOCX)


@pytest.fixture(scope="module")
def pdf_pages(run_outputs, tmp_path_factory) -> list[str]:
    """The text of every page of the draft report as LibreOffice prints it."""
    if SOFFICE is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice or pdftotext is not installed here; CI installs both")
    tmp = tmp_path_factory.mktemp("pdf")
    result = subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to",
                             "pdf", "--outdir", str(tmp), str(run_outputs / publish.DOCX)],
                            capture_output=True, text=True, timeout=300)
    pdf = tmp / (Path(publish.DOCX).stem + ".pdf")
    if not pdf.exists() and "source file could not be loaded" in result.stderr + result.stdout:
        pytest.skip("this LibreOffice has no Writer component (install libreoffice-writer)")
    assert pdf.exists(), result.stderr
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# -- the document as printed ----------------------------------------------------------------

@needs_soffice
@needs_pdftotext
def test_first_page_names_the_issuing_body_and_cites_the_documents(pdf_pages, plan):
    first = _flat(pdf_pages[0])
    report = plan.raw["report"]
    issuer = " ".join(report["issuer_lines"])
    lines = [_flat(line) for line in pdf_pages[0].splitlines() if line.strip()]
    assert any(line.startswith(report["issuer_lines"][0]) for line in lines)
    assert all(part in first for part in report["issuer_lines"]), issuer
    for document in report["basis"]:
        assert _flat(document) in first, document
    assert wording.NATIONAL.split()[0] in first and wording.REPORT_HEADING in first


@needs_soffice
@needs_pdftotext
def test_pages_are_numbered_at_the_top_from_the_second(pdf_pages):
    assert len(pdf_pages) > 3
    tops = [next((line.strip() for line in page.splitlines() if line.strip()), "") for page in pdf_pages]
    assert tops[0] != "1" and wording.DRAFT in tops[0]  # the first page carries no number
    assert tops[1:] == [str(n) for n in range(2, len(pdf_pages) + 1)]


@needs_soffice
@needs_pdftotext
def test_printed_text_has_no_spreadsheet_words(pdf_pages):
    text = "\n".join(pdf_pages)
    assert "sheet" not in text.lower()


# -- the document's layout ---------------------------------------------------------------------

def test_page_margins_and_fonts_follow_the_decree(document):
    sec = document.sections[0]
    assert abs(sec.page_width.cm - 21) < 0.1 and abs(sec.page_height.cm - 29.7) < 0.1
    assert round(sec.top_margin.cm, 1) == 2.0 and round(sec.bottom_margin.cm, 1) == 2.0
    assert round(sec.left_margin.cm, 1) == 3.0 and 1.5 <= round(sec.right_margin.cm, 1) <= 2.0
    normal = document.styles["Normal"].font
    assert normal.name == "Times New Roman" and 13 <= normal.size.pt <= 14
    assert sec.different_first_page_header_footer  # a first page without number
    header_xml = sec.header._element.xml
    assert "PAGE" in header_xml and 'w:val="center"' in header_xml


def _prose(document) -> list[str]:
    """The paragraphs the office writes (not the units' quoted words, not table cells)."""
    return [p.text for p in document.paragraphs if p.text.strip() and not p.text.lstrip().startswith("“")]


def test_prose_has_no_spreadsheet_words(document):
    for text in _prose(document):
        found = [w for w in SPREADSHEET_WORDS if re.search(rf"(?<!\w){w}(?!\w)", text.lower())]
        assert not found, (found, text)


def test_recipients_and_signature(document, plan):
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert wording.RECIPIENTS_HEADING in cells and "(b/c)" in cells and "Lưu: VT" in cells
    for recipient in plan.raw["report"]["recipients"]:
        assert recipient in cells
    authority, position = plan.raw["report"]["signature"][:2]
    assert authority in cells and position in cells


def test_every_caption_stays_with_its_table(document):
    body = list(document.element.body.iterchildren())
    tables = 0
    for before, element in zip(body, body[1:]):
        if element.tag.endswith("}tbl") and before.tag.endswith("}p") and before.xpath("string(.)").strip():
            tables += 1
            assert before.xpath(".//w:keepNext"), before.xpath("string(.)")
            first_row = element.xpath("./w:tr")[0]
            assert first_row.xpath(".//w:tblHeader") and first_row.xpath(".//w:keepNext")
    assert tables > 10


def test_no_header_wraps_one_word_per_line(document):
    """Each header cell is at least as wide as its longest word (11 pt bold, with the cell's margins)."""
    grids = [t for t in document.tables if t.style is not None and t.style.name == "Table Grid"]
    assert len(grids) > 10  # the national heading and the signature are borderless and have no header row
    for table in grids:
        for cell in table.rows[0].cells:
            longest = max((len(w) for w in cell.text.split()), default=0)
            assert cell.width >= Cm(0.2) * longest + Cm(0.3), (cell.text, cell.width.cm)


def test_section_iv_names_the_next_period_from_the_config(document, plan):
    texts = [p.text for p in document.paragraphs]
    heading = wording.OUTLINE["IV"].format(next_period_upper=plan.raw["report"]["next_period"].upper())
    assert heading in texts
    assert not any("2023 – 2025" in t or "2023-2025" in t for t in texts)


def test_impact_and_outstanding_results_reach_the_draft(document, run_outputs):
    texts = [p.text for p in document.paragraphs]
    assert wording.OUTLINE["II.6"] in texts
    quotes = explore.load(run_outputs)["agg_quotes"]
    impact = quotes[quotes.source == "impact"]
    outstanding = quotes[(quotes.source == "outstanding") & (quotes.order == 1)]
    assert len(impact) and len(outstanding)
    joined = "\n".join(texts)
    assert all(f"“{t}”" in joined for t in impact.text)
    assert all(f"“{t}”" in joined for t in outstanding.text)
    assert wording.PLACEHOLDER.format(what=wording.PLACEHOLDERS["impact"]) in texts


# -- long lists go to the annex workbook; ties are said -----------------------------------------

@pytest.fixture(scope="module")
def republished(run_outputs):
    results = explore.results(explore.load(run_outputs))
    return results


def _docx_with(tmp_path, results, plan, **report) -> docx.Document:
    plan = dataclasses.replace(plan, raw={**plan.raw, "report": {**plan.raw["report"], **report}})
    secs = sections(results, plan)
    path = write_docx(tmp_path / "draft.docx", results, secs, {}, plan, is_demo=True)
    return docx.Document(path)


def test_long_lists_point_to_the_summary_workbook(republished, plan, tmp_path):
    doc = _docx_with(tmp_path, republished, plan, max_rows_in_docx=5)
    texts = "\n".join(p.text for p in doc.paragraphs)
    captions = [p.text for p in doc.paragraphs]
    assert wording.SECTION_TITLES["models_list"] not in captions
    assert wording.WORKBOOK_SHEETS["models_list"] in texts and wording.WORKBOOK_SHEETS["proposals"] in texts
    n_models = len(republished.tables["models"])
    assert f"Danh sách {n_models} mô hình" in texts
    assert not any(t.rows[0].cells[-1].text == wording.H["reasons"] for t in doc.tables)


def test_a_long_ranking_prints_its_top_and_points_to_the_workbook(republished, plan, tmp_path):
    ranked = len(republished.ranking)
    assert ranked > 3   # the demo returns give enough proposals for this test to mean something
    doc = _docx_with(tmp_path, republished, plan, max_rows_in_docx=3)
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == wording.H["rank"])
    first = republished.ranking.sort_values("rank", kind="stable").head(3)
    assert [r.cells[0].text for r in table.rows[1:]] == [str(int(r)) for r in first["rank"]]
    texts = "\n".join(p.text for p in doc.paragraphs)
    assert f"chỉ in 3 đề nghị đứng đầu trong {ranked} đề nghị" in texts and wording.WORKBOOK_SHEETS["ranking"] in texts
    whole = _docx_with(tmp_path, republished, plan, max_rows_in_docx=ranked)
    table = next(t for t in whole.tables if t.rows[0].cells[0].text == wording.H["rank"])
    assert len(table.rows) == ranked + 1
    assert "đề nghị đứng đầu trong" not in "\n".join(p.text for p in whole.paragraphs)


def test_a_tie_at_the_top_is_said_and_left_to_the_office(republished, plan, tmp_path):
    ranking = republished.ranking.copy()
    ranking.loc[1, "score_total"] = ranking.loc[0, "score_total"]
    ranking.loc[1, "rank"] = 1
    tied = dataclasses.replace(republished, ranking=ranking)
    doc = _docx_with(tmp_path, tied, plan)
    top = [p.text for p in doc.paragraphs if "cùng có điểm cao nhất" in p.text]
    assert len(top) == 1
    for r in ranking.head(2).itertuples():
        assert r.nominee_name in top[0]
    assert plan.review["office"] in top[0] and "gợi ý" in top[0].lower()
