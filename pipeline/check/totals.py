"""Total rows a clerk added under a table: skipped with a warning, and compared with the rows above them."""
from __future__ import annotations

from pipeline import messages as msg
from pipeline.check import values as V
from pipeline.read.sources import Issue, SourceFile
from pipeline.text import vn_figure
from schemas import SheetSpec
from schemas.fields import DECIMAL, INT
from schemas.rules import Rule


def total_row_issues(spec: SheetSpec, sources: list[SourceFile]) -> list[Issue]:
    """A total row under a table ("Tổng cộng", or an AutoSum row without a label) is skipped with a warning, and
    questioned when it disagrees with the rows above it."""
    issues: list[Issue] = []
    numeric = [(i, c) for i, c in enumerate(spec.columns) if c.kind in (INT, DECIMAL)]
    for src in sources:
        sheet = src.sheets.get(spec.name)
        if sheet is None or not sheet.totals:
            continue
        previous = 0
        for total in sheet.totals:
            issues.append(Issue(file=src.file, unit_code=src.unit_code, sheet=sheet.sheet_name, cell=total.label_cell,
                                column="", value=total.label, rule=Rule.ROW_TOTAL_SKIPPED, severity="warning",
                                excel_row=total.excel_row,
                                message=msg.rule_message(Rule.ROW_TOTAL_SKIPPED, "warning", "sheet", cell=total.label_cell,
                                                         value=total.label)))
            above = [rec for rec, r in zip(sheet.records, sheet.excel_rows) if previous < r < total.excel_row]
            wrong, first_cell = [], ""
            for i, col in numeric:
                stated, _ = V.parse_number(total.values[i])
                if stated is None:
                    continue
                summed = sum(v for v in (V.parse_number(rec[i])[0] for rec in above) if v is not None)
                if abs(stated - summed) > 1e-6:
                    wrong.append((col, stated, summed))
                    first_cell = first_cell or f"{(sheet.letters or {}).get(col.name, '')}{total.excel_row}"
            if wrong:
                columns = ", ".join(f"“{c.header}” = {vn_figure(s)}" for c, s, _ in wrong)
                sums = ", ".join(vn_figure(t) for _, _, t in wrong)
                issues.append(Issue(file=src.file, unit_code=src.unit_code, sheet=sheet.sheet_name, cell=first_cell,
                                    column="", value=total.label, rule=Rule.ROW_TOTAL_MISMATCH, severity="warning",
                                    excel_row=total.excel_row,
                                    message=msg.rule_message(Rule.ROW_TOTAL_MISMATCH, "warning", "sheet", cell=first_cell,
                                                             value=total.label, columns=columns, sums=sums)))
            previous = total.excel_row
    return issues
