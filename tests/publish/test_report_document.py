"""The draft report as an administrative document (Nghị định 30/2020/NĐ-CP), read the way an office reads it:
converted to PDF by LibreOffice, its first page, its page numbers, its words; and its layout in the .docx."""
from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pandas as pd
import pytest
from openpyxl import load_workbook
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from pipeline import explore, publish
from pipeline.publish import wording
from pipeline.publish.docx import write_docx
from pipeline.publish.docx_note import NOTE_DOCX, write_note
from pipeline.publish.sections import sections
from pipeline.tidy.awards import near_ties
from schemas.codes import Verdict
from tests.conftest import SOFFICE, needs_soffice
from tests.publish.published import TOTAL, TOWN, norm, vn_number

SPREADSHEET_WORDS = ("sheet", "dòng", "lỗi", "cảnh báo")
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")


@pytest.fixture(scope="module")
def run_outputs(demo_run) -> Path:
    return demo_run


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

def test_first_page_block_names_the_issuing_body_and_cites_the_documents(document, plan):
    """What the signer reads first, in the document's own order, whatever the fonts make of the pages: the issuing
    body and the national heading side by side, "BÁO CÁO" and the title, then the documents it rests on."""
    report = plan.raw["report"]
    head = document.tables[0]
    issuer, national = (_flat(c.text) for c in head.rows[0].cells)
    assert all(line in issuer for line in report["issuer_lines"]) and report["document_number"].split()[0] in issuer
    assert wording.NATIONAL in national and wording.MOTTO in national and report["place"] in national
    texts = [p.text for p in document.paragraphs if p.text.strip()]
    start = texts.index(wording.REPORT_HEADING)
    assert texts[start + 1] == plan.review["title"]
    opening = next(t for t in texts[start:] if t.startswith("Thực hiện"))
    for cited in report["basis"]:
        assert cited in opening, cited


@needs_soffice
@needs_pdftotext
def test_printed_first_page_starts_with_the_issuing_body(pdf_pages, plan):
    top = _flat(pdf_pages[0][:1500])
    assert all(part in top for part in plan.raw["report"]["issuer_lines"])
    assert wording.NATIONAL.split()[0] in top


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
            rows = element.xpath("./w:tr")
            assert rows[0].xpath(".//w:tblHeader") and rows[0].xpath(".//w:keepNext")
            # only the caption, the header and the first row hold on to what follows: a table longer than a page
            # may break after its first row
            assert all(not r.xpath(".//w:keepNext[not(@w:val='0')]") for r in rows[2:]), before.xpath("string(.)")
    assert tables > 10


def test_no_header_wraps_one_word_per_line(document):
    """Each header cell is at least as wide as its longest word (11 pt bold, with the cell's margins)."""
    grids = [t for t in document.tables if t.style is not None and t.style.name == "Table Grid"]
    assert len(grids) > 10  # the national heading and the signature are borderless and have no header row
    for table in grids:
        for cell in table.rows[0].cells:
            longest = max((len(w) for w in cell.text.split()), default=0)
            assert cell.width >= Cm(0.2) * longest + Cm(0.3), (cell.text, cell.width.cm)


def _bold(cell) -> bool:
    runs = [r for p in cell.paragraphs for r in p.runs if r.text.strip()]
    return bool(runs) and all(r.bold for r in runs)


def test_headers_and_totals_are_bold_and_figures_right_aligned(document):
    """What the signer sees in every table: the header row in bold; the total rows at its foot in bold (each row
    wholly bold or not, "Tổng cộng" and "Toàn thị xã" always bold); the figures, and only they, right-aligned."""
    grids = [t for t in document.tables if t.style is not None and t.style.name == "Table Grid"]
    with_totals = right = 0
    for table in grids:
        rows = table.rows
        assert all(_bold(c) for c in rows[0].cells if c.text.strip()), [c.text for c in rows[0].cells]
        bold = []
        for row in rows[1:]:
            flags = {_bold(c) for c in row.cells if c.text.strip()}
            assert len(flags) == 1, [(c.text, _bold(c)) for c in row.cells]
            bold.append(flags.pop())
            if norm(row.cells[0].text) in (norm(TOTAL), norm(TOWN)):
                assert bold[-1], row.cells[0].text
            for c in row.cells:
                if c.text.strip() and c.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT:
                    right += 1
                    assert vn_number(c.text.split("/")[0]) is not None, c.text
        assert bold == sorted(bold), [r.cells[0].text for r in rows]     # the bold rows are the last ones
        with_totals += any(bold) and not all(bold)
    assert with_totals >= 5 and right >= 100, (with_totals, right)


def test_section_iv_names_the_next_period_from_the_config(document, plan):
    texts = [p.text for p in document.paragraphs]
    heading = wording.OUTLINE["IV"].format(next_period_upper=plan.raw["report"]["next_period"].upper())
    assert heading in texts
    assert not any("2023 – 2025" in t or "2023-2025" in t for t in texts)


def plan_report() -> dict:
    from pipeline.config import load_plan

    return load_plan().raw["report"]


def test_impact_and_outstanding_results_reach_the_draft(document, run_outputs):
    texts = [p.text for p in document.paragraphs]
    assert wording.OUTLINE["II.6"] in texts
    quotes = explore.load(run_outputs)["agg_quotes"]
    impact = quotes[quotes.source == "impact"]
    outstanding = quotes[(quotes.source == "outstanding") & (quotes.order == 1)]
    assert len(impact) and len(outstanding)
    joined = "\n".join(texts)
    assert all(f"“{t}”" in joined for t in outstanding.text)
    assert wording.PLACEHOLDER.format(what=wording.PLACEHOLDERS["impact"]) in texts
    # the first texts of each topic are quoted, the rest are on their sheet of the summary workbook, which the
    # draft names: the report to sign stays a report, not a collection of every unit's words
    per_topic = plan_report()["quotes_per_area"]
    for source, sheet in (("impact", "impact_texts"), ("assessment", "assessment_texts")):
        texts_of = quotes[quotes.source == source].sort_values("order")
        for _topic, group in texts_of.groupby("topic_code"):
            shown, rest = group.head(per_topic), group.iloc[per_topic:]
            assert all(f"“{t}”" in joined for t in shown.text)
            assert not any(f"“{t}”" in joined for t in rest.text)
        if (texts_of.groupby("topic_code").size() > per_topic).any():
            assert wording.MORE_QUOTES.format(sheet=wording.WORKBOOK_SHEETS[sheet]) in texts


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


def _note_with(tmp_path, results, plan, **report) -> docx.Document:
    plan = dataclasses.replace(plan, raw={**plan.raw, "report": {**plan.raw["report"], **report}})
    path = write_note(tmp_path / "note.docx", results, sections(results, plan), plan, is_demo=True)
    return docx.Document(path)


def _all_text(doc) -> str:
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


SOFTWARE_WORDS = ("mặc định", "cấu hình", "chương trình", "trọng số")


@pytest.fixture(scope="module")
def unit_texts(demo_dir) -> list[str]:
    """Every text a unit typed in its return, longest first: the report quotes them, and they are the units'."""
    texts = set()
    for path in (demo_dir / "returns").glob("*.xlsx"):
        wb = load_workbook(path, read_only=True)
        texts |= {v.strip() for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
                  if isinstance(v, str) and len(v.strip()) >= 8}
        wb.close()
    return sorted(texts, key=len, reverse=True)


def _ours(text: str, unit_texts: list[str]) -> str:
    """What the pipeline wrote: the text without the units' own words."""
    for typed in unit_texts:
        text = text.replace(typed, " ")
    return text


def test_the_outgoing_report_carries_no_ranking_and_no_software_words(document, unit_texts):
    """Sent to Sở Nội vụ, the Thị ủy and the HĐND: no suggested ranking, no words of the software behind it (the
    units' own words, quoted, are theirs)."""
    text = _ours(_all_text(document), unit_texts).lower()
    assert not [w for w in SOFTWARE_WORDS if w in text], [w for w in SOFTWARE_WORDS if w in text]
    assert "xếp hạng" not in text and "thang điểm" not in text and wording.H["rank"].lower() not in text
    assert wording.PLACEHOLDER.split(":")[0].lower() in text and "bằng khen" in text   # the nominee: a placeholder


def test_the_outgoing_report_shows_each_criterion_s_verdict(document, run_outputs):
    table = next(t for t in document.tables if t.rows[0].cells[-1].text == wording.H["conclusion"])
    header = [c.text for c in table.rows[0].cells]
    assert [wording.H[f"crit_{c}"] for c in "abcd"] == header[3:7]
    unverified = Verdict.UNVERIFIED.label
    assert any(unverified in c.text for row in table.rows[1:] for c in row.cells)


def test_no_output_calls_a_proposal_eligible_while_a_criterion_is_unverified(run_outputs, unit_texts):
    """Criterion a (and b of a collective) rests on the unit's word in every proposal: no output may call one
    "đủ tiêu chuẩn" or "đủ điều kiện"."""
    verdicts = pd.read_parquet(run_outputs / "data" / "award_verdicts.parquet")
    assert (verdicts["verdict"] == Verdict.UNVERIFIED).any()
    texts = [_all_text(docx.Document(run_outputs / name)) for name in (publish.DOCX, NOTE_DOCX)]
    texts += [p.read_text(encoding="utf-8") for p in [run_outputs / "report.html",
                                                       *sorted((run_outputs / "tables").glob("*.html"))]]
    texts += [p.read_text(encoding="utf-8-sig") for p in run_outputs.glob("*.csv")]
    wb = load_workbook(run_outputs / publish.WORKBOOK, read_only=True)
    texts += [str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v]
    texts += [str(v) for v in pd.read_parquet(run_outputs / "data" / "award_proposals.parquet").to_numpy().ravel()]
    texts = [_ours(t, unit_texts).lower() for t in texts]
    for phrase in ("đủ tiêu chuẩn", "đủ điều kiện"):
        assert not [t for t in texts if phrase in t], phrase


def test_the_internal_note_holds_the_ranking_the_verdicts_and_the_weights(run_outputs, plan):
    note = docx.Document(run_outputs / NOTE_DOCX)
    text = _all_text(note)
    ranking = pd.read_parquet(run_outputs / "data" / "award_ranking.parquet")
    proposals = pd.read_parquet(run_outputs / "data" / "award_proposals.parquet")
    assert all(n in text for n in proposals["nominee_name"])             # every proposal, verdict by verdict
    assert all(n in text for n in ranking["nominee_name"])
    assert wording.WEIGHTS_STATUS[False] in text and "[awards.ranking]" in text   # where the weights come from
    assert wording.NOTE["mark"] in note.sections[0].first_page_header.paragraphs[0].text
    choice = [p.text for p in note.paragraphs if p.text.startswith("[Cần bổ sung:")]
    assert len(choice) == 1 and plan.review["office"] in choice[0]       # the choice is the office's


def test_a_long_ranking_prints_its_top_and_points_to_the_workbook(republished, plan, tmp_path):
    ranked = len(republished.ranking)
    assert ranked > 3   # the demo returns give enough proposals for this test to mean something
    doc = _note_with(tmp_path, republished, plan, max_rows_in_docx=3)
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == wording.H["rank"])
    first = republished.ranking.sort_values("rank", kind="stable").head(3)
    assert [r.cells[0].text for r in table.rows[1:]] == [str(int(r)) for r in first["rank"]]
    texts = "\n".join(p.text for p in doc.paragraphs)
    assert f"chỉ in 3 trong {ranked} đề nghị" in texts and wording.WORKBOOK_SHEETS["ranking"] in texts
    whole = _note_with(tmp_path, republished, plan, max_rows_in_docx=ranked)
    table = next(t for t in whole.tables if t.rows[0].cells[0].text == wording.H["rank"])
    assert len(table.rows) == ranked + 1
    assert "chỉ in" not in "\n".join(p.text for p in whole.paragraphs)


def test_near_ties_at_the_top_are_said_level_and_left_to_the_office(republished, plan, tmp_path):
    """Two proposals within near_tie_margin of each other are named together: the gap decides nothing."""
    ranking = republished.ranking.copy()
    margin = float(plan.awards["ranking"]["near_tie_margin"])
    ranking.loc[1, "score_total"] = ranking.loc[0, "score_total"] - margin / 2
    ranking["tie_group"] = near_ties(ranking["score_total"].tolist(), margin)
    ranking["is_level"] = ranking["tie_group"].map(ranking["tie_group"].value_counts()) > 1
    doc = _note_with(tmp_path, dataclasses.replace(republished, ranking=ranking), plan)
    top = [p.text for p in doc.paragraphs if "coi như ngang nhau" in p.text]
    assert len(top) == 1
    for r in ranking.head(2).itertuples():
        assert r.nominee_name in top[0]
    choice = [p.text for p in doc.paragraphs if p.text.startswith("[Cần bổ sung:")]
    assert len(choice) == 1 and plan.review["office"] in choice[0]
