"""Stages 3–4: tidy tables, aggregates and award verdicts, each checked against its schema.

`tidy` confines a bug of the tidy stage to the rows or files that trigger it:
they are excluded with an issue and the run goes on for every other unit.
"""
from __future__ import annotations

import logging
from dataclasses import replace

import pandas as pd

from pipeline import messages as msg
from pipeline.check.results import Checked, checked
from pipeline.config import Plan
from pipeline.read.sources import Issue
from pipeline.tidy.tables import Failure, build_tables_safe
from schemas.codes import USED_FILE_STATUSES, FileStatus, Severity
from schemas.rules import Rule

log = logging.getLogger(__name__)


def tidy(result: Checked, plan: Plan) -> tuple[Checked, dict[str, pd.DataFrame]]:
    """The tidy tables; rows or files that break them are taken out of `result` with an issue."""
    tables, failures = build_tables_safe(result.tables, result.submissions, plan)
    if not failures:
        return result, tables
    result = _without(result, failures, plan)
    tables, again = build_tables_safe(result.tables, result.submissions, plan)
    if again:
        raise AssertionError(f"tidy tables still fail after excluding the failing rows: {again}")
    return result, tables


def _without(result: Checked, failures: list[Failure], plan: Plan) -> Checked:
    """`result` with the failing files rejected and the failing rows excluded, each with its reason."""
    by_file = {s.file: s for s in result.sources}
    extra, bad_rows = [], set()
    for f in failures:
        log.error("tidy-table failure in %s %s row %s:\n%s", f.source_file, f.sheet, f.excel_row, f.error)
        src = by_file.get(f.source_file)
        if f.excel_row is None:
            if src is not None:
                src.status, src.reason, src.error = FileStatus.REJECTED, msg.FILE_INTERNAL_ERROR, f.error
            continue
        bad_rows.add((f.source_file, f.sheet, f.excel_row))
        extra.append(Issue(file=f.source_file, unit_code=src.unit_code if src else "", sheet=f.sheet,
                           cell=f"A{f.excel_row}", column="", value="", rule=Rule.INTERNAL_ERROR, severity=Severity.ERROR,
                           excel_row=f.excel_row, message=msg.ROW_INTERNAL_ERROR.format(row=f.excel_row)
                           + msg.SEVERITY_SUFFIX[("error", "row")]))
    rejected = {s.file for s in result.sources if s.status == FileStatus.REJECTED}
    tables = {}
    for name, df in result.tables.items():
        keep = [f not in rejected and (f, s, r) not in bad_rows
                for f, s, r in zip(df["source_file"], df["sheet"], df["excel_row"])]
        tables[name] = df.loc[pd.Series(keep, index=df.index, dtype=bool)].reset_index(drop=True)
    for src in result.sources:  # used files are re-counted from their issues
        if src.status in USED_FILE_STATUSES:
            src.status = ""
    cell_issues = [i for i in result.cell_issues if i.file not in rejected] + extra
    found = result.plausibility   # the figures questioned stay, but those of a file now rejected
    kept = found.findings[~found.findings["source_file"].isin(rejected)].reset_index(drop=True)
    found = replace(found, findings=kept)
    return replace(checked(result.sources, cell_issues, tables, result.counts, plan), plausibility=found)
