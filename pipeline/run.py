"""The pipeline, stage by stage; `run_report` reads like a table of contents."""
from __future__ import annotations

import gc
import itertools
import logging
import multiprocessing
import os
import shutil
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

# Every stage is imported here, before any file is read: a broken environment stops the run at once,
# loudly, and never after half the work (an ImportError is never swallowed).
from pipeline import aggregate, awards, ingest, messages as msg, normalize, publish, validate as val, write
from pipeline.config import Plan, check_plan, load_plan

log = logging.getLogger("pipeline")

console = Console(stderr=False, highlight=False)
FILE_COLUMNS = ["file", "sha256", "format", "status", "unit_code", "template_version", "errors", "warnings", "reason"]
SUBMISSION_COLUMNS = ["unit_code", "unit_name", "unit_type", "unit_group", "status", "file", "report_date", "errors", "warnings"]
ACCEPTED = ("accepted", "accepted_with_errors")


@dataclass
class Checked:
    """What stages 1–2 produce: every file accounted for, valid rows, issues."""

    sources: list[ingest.SourceFile]
    files: pd.DataFrame
    submissions: pd.DataFrame
    issues: pd.DataFrame
    tables: dict[str, pd.DataFrame]
    counts: pd.DataFrame
    cell_issues: list = None          # the Issue objects behind `issues`


def has_workbooks(inputs: Path) -> bool:
    return inputs.is_dir() and any(
        p.is_file() and not p.name.startswith((".", "~$")) and p.suffix.lower() in ingest.WORKBOOK_EXTS | ingest.ZIP_EXTS
        for p in inputs.rglob("*"))


def read_and_validate(inputs: Path, plan: Plan, progress: bool = False) -> Checked:
    """Stages 1 and 2: find, guard and read every file; validate every sheet."""
    # Millions of small, acyclic cell objects: the cyclic collector only costs time here.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _read_and_validate(inputs, plan, progress)
    finally:
        if collecting:
            gc.enable()


def _read_and_validate(inputs: Path, plan: Plan, progress: bool) -> Checked:
    sources = ingest.discover(inputs, plan)
    to_read = [s for s in sources if not s.status]
    with _progress(progress) as bar:
        task = bar.add_task("Đọc báo cáo", total=len(to_read))
        for i, done in enumerate(_read_all(to_read, plan)):
            to_read[i] = done
            bar.advance(task)
    by_file = {s.file: s for s in to_read}
    sources = [by_file.get(s.file, s) for s in sources]
    val.identify_units(sources, plan)
    checked = val.validate(sources, plan)
    return frames(sources, checked.issues, checked.tables, checked.counts, plan)


def frames(sources, cell_issues, tables, counts, plan: Plan) -> Checked:
    """files, submissions and issues frames from the sources and their cell issues."""
    guessed = {s.file: s.unit_code or ingest.guess_unit_from_name(s.file, plan)
               for s in sources if s.status == "rejected"}
    issues = _issues_frame(sources, cell_issues, guessed)
    files = _files_frame(sources, issues)
    submissions = _submissions_frame(files, guessed, sources, plan)
    return Checked(sources, files, submissions, issues, tables, counts, list(cell_issues))


def tidy(checked: Checked, plan: Plan) -> tuple[Checked, dict[str, pd.DataFrame]]:
    """Stage 3 with a bug confined to its rows or files: they are excluded with an issue, the run goes on."""
    normal, failures = normalize.build_tables_safe(checked.tables, checked.submissions, plan)
    if not failures:
        return checked, normal
    by_file = {s.file: s for s in checked.sources}
    extra, bad_rows = [], set()
    for f in failures:
        log.error("tidy-table failure in %s %s row %s:\n%s", f.source_file, f.sheet, f.excel_row, f.error)
        src = by_file.get(f.source_file)
        if f.excel_row is None:
            if src is not None:
                src.status, src.reason, src.error = "rejected", msg.FILE_INTERNAL_ERROR, f.error
            continue
        bad_rows.add((f.source_file, f.sheet, f.excel_row))
        extra.append(ingest.Issue(file=f.source_file, unit_code=src.unit_code if src else "", sheet=f.sheet,
                                  cell=f"A{f.excel_row}", column="", value="", rule="internal.error",
                                  severity="error", excel_row=f.excel_row,
                                  message=msg.ROW_INTERNAL_ERROR.format(row=f.excel_row)
                                  + msg.SEVERITY_SUFFIX[("error", "row")]))
    rejected = {s.file for s in checked.sources if s.status == "rejected"}
    tables = {}
    for name, df in checked.tables.items():
        keys = list(zip(df["source_file"], df["sheet"], df["excel_row"]))
        keep = pd.Series([f not in rejected and k not in bad_rows for f, k in zip(df["source_file"], keys)],
                         index=df.index, dtype=bool)
        tables[name] = df.loc[keep].reset_index(drop=True)
    for src in checked.sources:  # accepted files are re-counted from their issues
        if src.status in ACCEPTED:
            src.status = ""
    cell_issues = [i for i in checked.cell_issues if i.file not in rejected] + extra
    checked = frames(checked.sources, cell_issues, tables, checked.counts, plan)
    normal, again = normalize.build_tables_safe(checked.tables, checked.submissions, plan)
    if again:
        raise AssertionError(f"tidy tables still fail after excluding the failing rows: {again}")
    return checked, normal


PARALLEL_FROM = 64  # below this many workbooks, starting worker processes costs more than it saves


def _read_all(to_read: list, plan: Plan):
    """Read workbooks, on every core when there are many (calamine parsing is CPU-bound)."""
    workers = min(os.cpu_count() or 1, 8)
    if len(to_read) < PARALLEL_FROM or workers < 2:
        for src in to_read:
            yield ingest.read_workbook(src, plan)
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        yield from pool.map(ingest.read_workbook, to_read, itertools.repeat(plan), chunksize=16)


def _progress(enabled: bool) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=console, disable=not enabled, transient=True)


def _issues_frame(sources, cell_issues, guessed: dict[str, str]) -> pd.DataFrame:
    units = {s.file: s.unit_code for s in sources}
    rows = [{
        "file": i.file, "unit_code": i.unit_code or units.get(i.file, ""), "sheet": i.sheet, "cell": i.cell,
        "column": i.column, "value": i.value, "rule": i.rule, "severity": i.severity, "message": i.message,
        "_row": i.excel_row or 0,
    } for i in cell_issues]
    for src in sources:
        if src.status == "rejected":
            rows.append({"file": src.file, "unit_code": guessed[src.file],
                         "sheet": "", "cell": "", "column": "", "value": "", "rule": "file.rejected",
                         "severity": "error", "message": src.reason + msg.SEVERITY_SUFFIX[("error", "file")],
                         "_row": 0})
    df = pd.DataFrame(rows, columns=val.ISSUE_COLUMNS + ["_row"])
    df = df.sort_values(["file", "sheet", "_row", "cell"], kind="stable").drop(columns="_row")
    return df.reset_index(drop=True)


def _files_frame(sources, issues: pd.DataFrame) -> pd.DataFrame:
    counts = issues.groupby(["file", "severity"]).size().unstack(fill_value=0)
    rows = []
    for src in sources:
        errors = int(counts.at[src.file, "error"]) if src.file in counts.index and "error" in counts else 0
        warnings = int(counts.at[src.file, "warning"]) if src.file in counts.index and "warning" in counts else 0
        status = src.status if src.status not in ("", *ACCEPTED) else ("accepted_with_errors" if errors else "accepted")
        src.status = status
        rows.append({"file": src.file, "sha256": src.sha256, "format": src.format, "status": status,
                     "unit_code": src.unit_code, "template_version": src.template_version,
                     "errors": errors, "warnings": warnings, "reason": src.reason})
    return pd.DataFrame(rows, columns=FILE_COLUMNS)


def _submissions_frame(files: pd.DataFrame, guessed: dict[str, str], sources, plan: Plan) -> pd.DataFrame:
    """One row per registry unit: on time, late, date unknown (reported), missing or rejected."""
    accepted = files[files["status"].isin(ACCEPTED)].set_index("unit_code")
    dates = {s.file: s.report_date for s in sources}
    rejected = set(guessed.values())
    rows = []
    for unit in plan.units:
        row = {"unit_code": unit.unit_code, "unit_name": unit.unit_name, "unit_type": unit.unit_type,
               "unit_group": unit.unit_group, "status": "missing", "file": "", "report_date": None,
               "errors": 0, "warnings": 0}
        if unit.unit_code in accepted.index:
            f = accepted.loc[unit.unit_code]
            date = dates.get(f["file"])
            status = "date_unknown" if date is None else "late" if plan.is_late(date) else "on_time"
            row |= {"status": status, "file": f["file"], "report_date": date,
                    "errors": int(f["errors"]), "warnings": int(f["warnings"])}
        elif unit.unit_code in rejected:
            row["status"] = "rejected"
        rows.append(row)
    return pd.DataFrame(rows, columns=SUBMISSION_COLUMNS)


def write_checked(checked: Checked, stage: Path) -> list[Path]:
    """files.csv, submissions.csv, issues.csv, feedback workbooks, validated parquet."""
    paths = [
        write.write_csv(checked.files, stage / "files.csv"),
        write.write_csv(checked.submissions, stage / "submissions.csv"),
        write.write_csv(checked.issues, stage / "issues.csv"),
    ]
    paths += write.write_parquet(checked.tables, stage / "data" / "validated")
    errors = [f"== {s.file}\n{s.error}" for s in checked.sources if s.error]
    if errors:  # developer details of every "lỗi chương trình": the unit only sees the Vietnamese reason
        log_path = stage / "logs" / "errors.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log_path.write_text("\n".join(errors), encoding="utf-8")
        paths.append(log_path)
    by_file = {s.file: s for s in checked.sources}
    fmt = dict(zip(checked.files["file"], checked.files["format"]))
    status = dict(zip(checked.files["file"], checked.files["status"]))
    for file, group in checked.issues.groupby("file", sort=True):
        readable = status.get(file) in ACCEPTED or (status.get(file) == "rejected" and by_file[file].sheets)
        if not readable or fmt.get(file) not in ingest.WORKBOOK_FORMATS:
            continue
        group = group[group["rule"] != "file.rejected"] if status.get(file) in ACCEPTED else group
        unit = group["unit_code"].iloc[0] or Path(file).stem
        data = by_file[file].load()
        raw = None if fmt[file] in ("xlsx", "xlsm") else ingest.sheet_values(data)
        wb = write.feedback_workbook(data, fmt[file], group, raw)
        path = stage / "feedback" / f"{unit}.xlsx"
        path.parent.mkdir(parents=True, exist_ok=True)
        wb.save(path)
        paths.append(path)
    return paths


# Libraries the later stages import only when they write: checked before any file is read.
LATE_IMPORTS = ("docx", "great_tables", "xlsxwriter", "matplotlib.pyplot", "pyarrow", "openpyxl")


def preflight() -> None:
    """Import what every stage needs now, so a broken environment stops the run before any work."""
    import importlib

    for name in LATE_IMPORTS:
        importlib.import_module(name)


def run_report(inputs: Path, outputs: Path) -> int:
    """`make report`: every stage in order; bad input is reported, never fatal."""
    preflight()
    plan = load_plan()
    problems = check_plan(plan)
    if problems:
        for p in problems:
            print(p, file=sys.stderr)
        print(msg.FATAL.format(reason="tệp cấu hình có lỗi (xem các dòng trên)."), file=sys.stderr)
        return 2
    is_demo = not has_workbooks(inputs)
    if is_demo:
        from pipeline.demo import write_demo

        inputs = write_demo(outputs / "demo", plan)
        console.print(msg.DEMO_NOTICE.format(folder=inputs))
    checked = read_and_validate(inputs, plan, progress=True)
    checked, normal = tidy(checked, plan)
    with write.staging(outputs) as stage:
        paths = write_checked(checked, stage)
        paths += _later_stages(normal, checked, plan, stage, is_demo)
        summary = summary_text(checked, outputs)
        (stage / "run_summary.txt").write_text(summary + "\n", encoding="utf-8")
    console.print(summary)
    console.print(msg.OUTPUTS_WRITTEN)
    for path in _shown_paths(paths, outputs, stage):
        console.print(f"  {path}")
    return 0


def _shown_paths(paths: list[Path], outputs: Path, stage: Path) -> list[str]:
    shown = sorted({str(outputs / p.relative_to(stage).parts[0]) for p in paths})
    return shown


def _later_stages(normal: dict[str, pd.DataFrame], checked: Checked, plan: Plan, stage: Path,
                  is_demo: bool) -> list[Path]:
    """Stages 4–5: aggregate and check awards, publish."""
    aggregates = aggregate.build_aggregates(normal, plan)
    verdicts, ranking = awards.evaluate_proposals(normal, plan)
    paths = write.write_parquet(normal, stage / "data")
    paths += write.write_parquet(aggregates, stage / "data" / "aggregates")
    paths += write.write_parquet({"award_verdicts": verdicts, "award_ranking": ranking}, stage / "data")
    paths.append(write.write_data_dictionary(stage / "data" / "README.md"))
    bundle = {"tables": normal, "aggregates": aggregates, "verdicts": verdicts, "ranking": ranking,
              "files": checked.files, "submissions": checked.submissions, "issues": checked.issues}
    return paths + publish.write_outputs(stage, bundle, plan, is_demo)


def summary_text(checked: Checked, outputs: Path) -> str:
    f = checked.files["status"].value_counts()
    s = checked.submissions["status"].value_counts()
    sev = checked.issues["severity"].value_counts()
    lines = [msg.SUMMARY_TITLE] + [line.format(
        found=len(checked.files), accepted=f.get("accepted", 0), with_errors=f.get("accepted_with_errors", 0),
        rejected=f.get("rejected", 0), ignored=f.get("ignored", 0), superseded=f.get("superseded", 0),
        units=len(checked.submissions), on_time=s.get("on_time", 0), late=s.get("late", 0),
        date_unknown=s.get("date_unknown", 0),
        missing=s.get("missing", 0), unit_rejected=s.get("rejected", 0),
        errors=sev.get("error", 0), warnings=sev.get("warning", 0), issues_path=outputs / "issues.csv",
    ) for line in msg.SUMMARY_LINES]
    return "\n".join(lines)


def check_file(path: Path) -> int:
    """`dvk check FILE`: validate one workbook and print its problems, as a unit would."""
    plan = load_plan()
    if not path.is_file():
        print(msg.CHECK_NOT_FOUND.format(path=path), file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy2(path, Path(tmp) / path.name)
        checked = read_and_validate(Path(tmp), plan)
    row = checked.files.iloc[0]
    console.print(msg.CHECK_HEADER.format(file=path.name, status=msg.FILE_STATUS_LABEL[row["status"]]))
    if row["reason"]:
        console.print(f"  {row['reason']}")
    for issue in checked.issues.itertuples(index=False):
        where = f"{issue.sheet}!{issue.cell}" if issue.cell else issue.sheet
        console.print(f"  [{msg.SEVERITY_LABEL[issue.severity]}] {where}: {issue.message}", markup=False)
    if checked.issues.empty and row["status"] == "accepted":
        console.print(msg.CHECK_OK)
    return 0 if row["status"] in ("accepted", "accepted_with_errors") and row["errors"] == 0 else 1
