"""What the checking stage hands on (`Checked`): every file accounted for, each unit's status, every problem.

files.csv, submissions.csv and issues.csv are these frames as they are: each stable code column (`status`,
`severity`) is followed by its Vietnamese label (`status_label`, `severity_label`, from schemas/codes.py) for
the clerk who opens the CSV.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from pipeline import messages as msg, reading
from pipeline.config import Plan
from pipeline.check.plausibility import Review, empty_review
from pipeline.read.discover import guess_unit_from_name
from pipeline.read.sources import Issue, SourceFile
from schemas.codes import USED_FILE_STATUSES, FileStatus, Severity, SubmissionStatus
from schemas.rules import Rule

FILE_COLUMNS = ["file", "sha256", "format", "status", "status_label", "unit_code", "template_version", "errors",
                "warnings", "reason"]
SUBMISSION_COLUMNS = ["unit_code", "unit_name", "unit_type", "unit_group", "status", "status_label", "file",
                      "report_date", "errors", "warnings"]
ISSUE_COLUMNS = ["file", "unit_code", "sheet", "cell", "column", "value", "rule", "severity", "severity_label",
                 "message", "read_by", "read_by_label"]


@dataclass
class Checked:
    """Stages 1–2: the files, one submission row per registry unit, the issues and the valid rows of each sheet."""

    sources: list[SourceFile]
    files: pd.DataFrame
    submissions: pd.DataFrame
    issues: pd.DataFrame
    tables: dict[str, pd.DataFrame]     # sheet name -> valid rows, typed, with provenance
    counts: pd.DataFrame                # sheet -> rows read, valid, excluded
    cell_issues: list[Issue] = field(default_factory=list)   # the Issue objects behind `issues`
    plausibility: Review = field(default_factory=empty_review)   # figures questioned (pipeline.check.plausibility)


def checked(sources: list[SourceFile], cell_issues: list[Issue], tables: dict[str, pd.DataFrame],
            counts: pd.DataFrame, plan: Plan) -> Checked:
    """The files, submissions and issues frames of the sources and their issues."""
    guessed = {s.file: s.unit_code or s.sender or guess_unit_from_name(s.file, plan)
               for s in sources if s.status == FileStatus.REJECTED}
    issues = issues_frame(sources, cell_issues, guessed)
    files = _files_frame(sources, issues)
    submissions = _submissions_frame(files, guessed, sources, plan)
    return Checked(sources, files, submissions, issues, tables, counts, list(cell_issues))


def issue_rows(sources: list[SourceFile], cell_issues: list[Issue], guessed: dict[str, str]) -> list[dict]:
    """The rows of issues.csv (without labels), in their order: by file, sheet, Excel row and cell."""
    units = {s.file: s.unit_code for s in sources}
    rows = [{
        "file": i.file, "unit_code": i.unit_code or units.get(i.file, ""), "sheet": i.sheet, "cell": i.cell,
        "column": i.column, "value": i.value, "rule": i.rule, "severity": str(i.severity), "message": i.message,
        "read_by": i.read_by, "_row": i.excel_row or 0,
    } for i in cell_issues]
    for src in sources:
        if src.status == FileStatus.REJECTED:
            rows.append({"file": src.file, "unit_code": guessed[src.file], "sheet": "", "cell": "", "column": "",
                         "value": "", "rule": Rule.FILE_REJECTED, "severity": Severity.ERROR.value,
                         "message": src.reason + msg.SEVERITY_SUFFIX[("error", "file")], "read_by": "", "_row": 0})
    return sorted(rows, key=lambda r: (r["file"], r["sheet"], r["_row"], r["cell"]))  # stable: a cell keeps its order


def issues_frame(sources: list[SourceFile], cell_issues: list[Issue], guessed: dict[str, str]) -> pd.DataFrame:
    df = pd.DataFrame(issue_rows(sources, cell_issues, guessed), columns=ISSUE_COLUMNS + ["_row"]).drop(columns="_row")
    df["severity_label"] = df["severity"].map(Severity.labels()).astype(str)
    df["read_by"] = df["read_by"].fillna("").astype(str)
    df["read_by_label"] = df["read_by"].map(reading.label).astype(str)
    return df.reset_index(drop=True)


def _files_frame(sources: list[SourceFile], issues: pd.DataFrame) -> pd.DataFrame:
    counts = issues.groupby(["file", "severity"]).size().to_dict()   # (file, severity) -> issues

    def count(file: str, severity: str) -> int:
        return int(counts.get((file, str(severity)), 0))

    rows = []
    for src in sources:
        errors, warnings = count(src.file, Severity.ERROR), count(src.file, Severity.WARNING)
        if src.status in ("", *USED_FILE_STATUSES):  # a used file's status follows its errors
            src.status = FileStatus.ACCEPTED_WITH_ERRORS if errors else FileStatus.ACCEPTED
        rows.append({"file": src.file, "sha256": src.sha256, "format": src.format, "status": str(src.status),
                     "status_label": FileStatus.labels().get(str(src.status), ""), "unit_code": src.unit_code, "template_version": src.template_version,
                     "errors": errors, "warnings": warnings, "reason": src.reason})
    return pd.DataFrame(rows, columns=FILE_COLUMNS)


def _submissions_frame(files: pd.DataFrame, guessed: dict[str, str], sources: list[SourceFile],
                       plan: Plan) -> pd.DataFrame:
    """One row per registry unit: on time, late, date unknown (all three reported), missing or rejected."""
    used = {r["unit_code"]: r for r in files[files["status"].isin(list(USED_FILE_STATUSES))].to_dict("records")}
    dates = {s.file: s.report_date for s in sources}
    by_unit: dict[str, list[SourceFile]] = {}
    for s in sources:   # a rejected file belongs to the unit it names, or whose name it bears
        by_unit.setdefault(guessed[s.file] if s.status == FileStatus.REJECTED else s.unit_code, []).append(s)
    rows = []
    for unit in plan.units:
        status = unit_status(by_unit.get(unit.unit_code, []), plan)
        row = {"unit_code": unit.unit_code, "unit_name": unit.unit_name, "unit_type": unit.unit_type,
               "unit_group": unit.unit_group, "status": str(status), "status_label": status.label, "file": "",
               "report_date": None, "errors": 0, "warnings": 0}
        if unit.unit_code in used:
            f = used[unit.unit_code]
            row |= {"file": f["file"], "report_date": dates.get(f["file"]), "errors": int(f["errors"]),
                    "warnings": int(f["warnings"])}
        rows.append(row)
    return pd.DataFrame(rows, columns=SUBMISSION_COLUMNS)


def unit_status(files: list[SourceFile], plan: Plan) -> SubmissionStatus:
    """One unit's reporting status from all its files, each with its final status (after `choose_returns` and
    the checks). The office board (pipeline/web) calls it on a unit's uploads, so both say the same.

    A unit with a used return is on time or late by the earliest readable report date among all its returns,
    superseded ones included: a unit that sent on time and corrected its return after the office's feedback
    still sent on time. A unit with no used return but a rejected file was rejected; one with none, missing.
    """
    if any(s.status in USED_FILE_STATUSES for s in files):
        dates = [s.report_date for s in files
                 if s.report_date is not None and s.status in (*USED_FILE_STATUSES, FileStatus.SUPERSEDED)]
        return submission_status(min(dates, default=None), plan)
    if any(s.status == FileStatus.REJECTED for s in files):
        return SubmissionStatus.REJECTED
    return SubmissionStatus.MISSING


def submission_status(report_date, plan: Plan) -> SubmissionStatus:
    """The status of a used return: the deadline rule of the guidance applied to its report date."""
    if report_date is None:
        return SubmissionStatus.DATE_UNKNOWN
    return SubmissionStatus.LATE if plan.is_late(report_date) else SubmissionStatus.ON_TIME


def summary_text(result: Checked, issues_path) -> str:
    """The few lines printed at the end of a run (and kept in run_summary.txt)."""
    f = result.files["status"].value_counts()
    s = result.submissions["status"].value_counts()
    sev = result.issues["severity"].value_counts()
    lines = [msg.SUMMARY_TITLE] + [line.format(
        found=len(result.files), accepted=f.get(FileStatus.ACCEPTED, 0),
        with_errors=f.get(FileStatus.ACCEPTED_WITH_ERRORS, 0), rejected=f.get(FileStatus.REJECTED, 0),
        ignored=f.get(FileStatus.IGNORED, 0), superseded=f.get(FileStatus.SUPERSEDED, 0),
        units=len(result.submissions), on_time=s.get(SubmissionStatus.ON_TIME, 0), late=s.get(SubmissionStatus.LATE, 0),
        date_unknown=s.get(SubmissionStatus.DATE_UNKNOWN, 0), missing=s.get(SubmissionStatus.MISSING, 0),
        unit_rejected=s.get(SubmissionStatus.REJECTED, 0), errors=sev.get(Severity.ERROR, 0),
        warnings=sev.get(Severity.WARNING, 0), issues_path=issues_path,
    ) for line in msg.SUMMARY_LINES]
    return "\n".join(lines)
