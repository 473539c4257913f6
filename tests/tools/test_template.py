"""The template is generated from the schemas and opens in real office software."""
from __future__ import annotations

import subprocess

from openpyxl import load_workbook

from pipeline.tools.template import INSTRUCTIONS_SHEET, LISTS_SHEET, STAMP_CELL, TEMPLATE_FILENAME, stamp_text
from schemas import SHEETS
from schemas.spec import FIRST_DATA_ROW, HEADER_ROW
from tests.conftest import SOFFICE, needs_soffice


def _template(demo_dir):
    return load_workbook(demo_dir / "template" / TEMPLATE_FILENAME)


def test_sheets_and_headers_equal_the_schemas(demo_dir):
    wb = _template(demo_dir)
    assert wb.sheetnames == [INSTRUCTIONS_SHEET, LISTS_SHEET] + [s.sheet for s in SHEETS]
    for spec in SHEETS:
        ws = wb[spec.sheet]
        if spec.layout == "table":
            headers = [ws.cell(HEADER_ROW, j + 1).value for j in range(len(spec.columns))]
        else:
            headers = [ws.cell(FIRST_DATA_ROW + i, 1).value for i in range(len(spec.columns))]
        assert headers == [c.header for c in spec.columns], spec.sheet


def _list_values(wb, formula: str) -> list[str]:
    ref = formula.lstrip("=")
    sheet, rng = ref.rsplit("!", 1)
    ws = wb[sheet.strip("'")]
    return [c.value for row in ws[rng.replace("$", "")] for c in row]


def test_every_dropdown_lists_exactly_the_config_values(demo_dir, plan):
    wb = _template(demo_dir)
    checked = 0
    for spec in SHEETS:
        ws = wb[spec.sheet]
        for col in spec.columns:
            if col.kind not in ("choice", "yesno") or col.key:
                continue
            cell = spec.cell(0, col.name)
            dvs = [dv for dv in ws.data_validations.dataValidation if cell in dv.sqref]
            assert len(dvs) == 1, (spec.sheet, col.name)
            assert dvs[0].type == "list"
            assert _list_values(wb, dvs[0].formula1) == plan.labels(col.vocab), (spec.sheet, col.name)
            checked += 1
    assert checked >= 12


def test_number_and_date_cells_have_vietnamese_validation(demo_dir):
    wb = _template(demo_dir)
    for spec in SHEETS:
        ws = wb[spec.sheet]
        for col in spec.columns:
            if col.kind not in ("int", "decimal", "date", "year") or col.key:
                continue
            cell = spec.cell(0, col.name)
            dv = next(dv for dv in ws.data_validations.dataValidation if cell in dv.sqref)
            assert dv.type in ("whole", "decimal", "date")
            assert dv.showErrorMessage and dv.error and dv.prompt
            assert any(ch in dv.error for ch in "ạảãàáâầấậẩẫăằắặẳẵ"), dv.error  # Vietnamese text


def test_headers_locked_data_cells_editable_and_frozen(demo_dir):
    wb = _template(demo_dir)
    for spec in SHEETS:
        ws = wb[spec.sheet]
        assert ws.protection.sheet
        assert ws.freeze_panes == f"A{FIRST_DATA_ROW}"
        for col in spec.columns:
            data = ws[spec.cell(0, col.name)]
            assert data.protection.locked == bool(col.key), (spec.sheet, col.name)
        if spec.layout == "table":
            assert ws.cell(HEADER_ROW, 1).protection.locked
        # openpyxl's flag True means "forbidden": free-row tables let a unit add rows
        assert ws.protection.insertRows is (not spec.blank_rows), spec.sheet


def test_fixed_rows_are_prefilled_from_config(demo_dir, plan):
    ws = _template(demo_dir)[next(s for s in SHEETS if s.name == "content_results").sheet]
    keys = [(ws.cell(FIRST_DATA_ROW + i, 1).value, ws.cell(FIRST_DATA_ROW + i, 2).value)
            for i in range(len(plan.labels("content_areas")) * len(plan.labels("periods")))]
    assert keys == [(a, p) for a in plan.labels("content_areas") for p in plan.labels("periods")]


def test_template_carries_a_version_stamp(demo_dir, plan):
    wb = _template(demo_dir)
    assert wb[INSTRUCTIONS_SHEET][STAMP_CELL].value == stamp_text(plan)
    assert plan.template_version in stamp_text(plan)


@needs_soffice
def test_template_opens_in_libreoffice(demo_dir, tmp_path):
    result = subprocess.run(
        [SOFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
         str(demo_dir / "template" / TEMPLATE_FILENAME)],
        capture_output=True, timeout=180)
    pdf = tmp_path / TEMPLATE_FILENAME.replace(".xlsx", ".pdf")
    assert result.returncode == 0 and pdf.exists() and pdf.stat().st_size > 10_000
