"""Issue 27: the boundaries of what the publish stage prints: the "Không áp dụng" label of a criterion that has no
verdict, and the rows of a table written in the bold total format (the last `total_rows` rows, and only them)."""
from __future__ import annotations

import pandas as pd
import pytest
import xlsxwriter
from openpyxl import load_workbook

from pipeline.config import load_plan
from pipeline.publish import xlsx_sheet
from pipeline.publish.sections import Section, proposals
from pipeline.publish.wording import H, NOT_APPLICABLE
from schemas.codes import Verdict

PLAN = load_plan()


def _printed_verdicts(values: list) -> list[str]:
    summary = pd.DataFrame({
        "unit_name": ["UBND xã Phổ An"] * len(values), "nominee_name": ["Tập thể"] * len(values),
        "recipient_kind_label": ["Tập thể"] * len(values),
        "crit_a": values, "crit_b": values, "crit_c": values, "crit_d": values,
        "conclusion_label": [""] * len(values), "conclusion_text": [""] * len(values), "reasons": [""] * len(values)})
    df = proposals(summary, PLAN).df
    for c in ("crit_b", "crit_c", "crit_d"):
        assert df[H[c]].tolist() == df[H["crit_a"]].tolist()
    return df[H["crit_a"]].tolist()


@pytest.mark.parametrize("verdict", list(Verdict))
def test_a_criterion_with_a_verdict_prints_its_label(verdict):
    assert _printed_verdicts([verdict.value]) == [verdict.label]


@pytest.mark.parametrize("value", ["", None, float("nan"), pd.NA, "verdict_of_another_version"])
def test_a_criterion_without_a_verdict_prints_not_applicable(value):
    """An empty text (the criterion does not apply to this kind of proposal), a missing value or an unknown code:
    "Không áp dụng". (No verdict code is shorter than three letters, so where the empty text ends and a code begins
    shows no further: the test pins the empty side and every code.)"""
    assert _printed_verdicts([value]) == [NOT_APPLICABLE]


def test_verdicts_and_blanks_side_by_side_keep_their_rows():
    values = ["", Verdict.MET.value, None, Verdict.NOT_MET.value]
    assert _printed_verdicts(values) == [NOT_APPLICABLE, Verdict.MET.label, NOT_APPLICABLE, Verdict.NOT_MET.label]


# -- total rows of the summary workbook --------------------------------------------------------------------------

@pytest.mark.parametrize("total_rows", [0, 1, 2])
def test_the_last_total_rows_rows_and_only_they_are_written_as_totals(tmp_path, total_rows):
    """Four rows, the last `total_rows` of them totals: a count, a rate, a text and a year (a whole number outside
    the number columns) each in the bold total format there, in the plain one above; the row right above the first
    total is plain."""
    df = pd.DataFrame({"Đơn vị": ["A", "B", "C", "Tổng"], "Số": [1, 2, 3, 6], "Tỷ lệ": [10.0, 20.0, 30.0, 20.0],
                       "Năm": [2020.0, 2021.0, 2022.0, 2023.0]})
    path = tmp_path / "w.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    sh = xlsx_sheet.Sheet(wb, xlsx_sheet.Formats(wb), "S", "Tiêu đề", False, 4)
    _hdr, first, last = sh.table(Section("t", "Bảng", df, ["Số"], ["Tỷ lệ"], total_rows=total_rows), caption=False)
    sh.finish()
    wb.close()
    ws = load_workbook(path)["S"]
    for r in range(first + 1, last + 2):          # openpyxl rows are 1-based
        is_total = r > last + 1 - total_rows
        cells = [ws.cell(r, c) for c in range(1, 5)]
        assert [c.font.b for c in cells] == [is_total] * 4, (r, total_rows)
        assert [c.number_format for c in cells[1:]] == ["#,##0", "0.0", "#,##0"], r
        assert [c.fill.fgColor.rgb for c in cells] == (["FFF2F2F2"] * 4 if is_total else ["00000000"] * 4), r
