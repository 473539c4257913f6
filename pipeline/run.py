"""The pipeline, stage by stage; `run_report` reads like a table of contents."""
from __future__ import annotations

import gc
import itertools
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

from pipeline import ingest, messages as msg, validate as val, write
from pipeline.config import Plan, check_plan, load_plan
from schemas import sheet_spec

console = Console(stderr=False, highlight=False)
FILE_COLUMNS = ["file", "sha256", "format", "status", "unit_code", "template_version", "errors", "warnings", "reason"]
SUBMISSION_COLUMNS = ["unit_code", "unit_name", "unit_type", "unit_group", "status", "file", "report_date", "errors", "warnings"]


@dataclass
class Checked:
    """What stages 1–2 produce: every file accounted for, valid rows, issues."""

    sources: list[ingest.SourceFile]
    files: pd.DataFrame
    submissions: pd.DataFrame
    issues: pd.DataFrame
    tables: dict[str, pd.DataFrame]
    counts: pd.DataFrame


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
    guessed = {s.file: s.unit_code or ingest.guess_unit_from_name(s.file, plan)
               for s in sources if s.status == "rejected"}
    issues = _issues_frame(sources, checked.issues, guessed)
    files = _files_frame(sources, issues)
    submissions = _submissions_frame(files, checked.tables, guessed, sources, plan)
    return Checked(sources, files, submissions, issues, checked.tables, checked.counts)


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
                         "severity": "error", "message": src.reason + msg.SEVERITY_SUFFIX["file_error"], "_row": 0})
    df = pd.DataFrame(rows, columns=val.ISSUE_COLUMNS + ["_row"])
    df = df.sort_values(["file", "sheet", "_row", "cell"], kind="stable").drop(columns="_row")
    return df.reset_index(drop=True)


def _files_frame(sources, issues: pd.DataFrame) -> pd.DataFrame:
    counts = issues.groupby(["file", "severity"]).size().unstack(fill_value=0)
    rows = []
    for src in sources:
        errors = int(counts.at[src.file, "error"]) if src.file in counts.index and "error" in counts else 0
        warnings = int(counts.at[src.file, "warning"]) if src.file in counts.index and "warning" in counts else 0
        status = src.status or ("accepted_with_errors" if errors else "accepted")
        if not src.status:
            src.status = status
        rows.append({"file": src.file, "sha256": src.sha256, "format": src.format, "status": status,
                     "unit_code": src.unit_code, "template_version": src.template_version,
                     "errors": errors, "warnings": warnings, "reason": src.reason})
    return pd.DataFrame(rows, columns=FILE_COLUMNS)


def _submissions_frame(files: pd.DataFrame, tables, guessed: dict[str, str], sources, plan: Plan) -> pd.DataFrame:
    info = tables["unit_info"].set_index("source_file")
    accepted = files[files["status"].isin(["accepted", "accepted_with_errors"])].set_index("unit_code")
    rejected = set(guessed.values())
    rows = []
    for unit in plan.units:
        row = {"unit_code": unit.unit_code, "unit_name": unit.unit_name, "unit_type": unit.unit_type,
               "unit_group": unit.unit_group, "status": "missing", "file": "", "report_date": pd.NaT,
               "errors": 0, "warnings": 0}
        if unit.unit_code in accepted.index:
            f = accepted.loc[unit.unit_code]
            date = info.at[f["file"], "report_date"] if f["file"] in info.index else _raw_report_date(sources, f["file"])
            late = pd.notna(date) and plan.is_late(pd.Timestamp(date).date())
            row |= {"status": "late" if late else "on_time", "file": f["file"], "report_date": date,
                    "errors": int(f["errors"]), "warnings": int(f["warnings"])}
        elif unit.unit_code in rejected:
            row["status"] = "rejected"
        rows.append(row)
    df = pd.DataFrame(rows, columns=SUBMISSION_COLUMNS)
    df["report_date"] = pd.to_datetime(df["report_date"]).dt.date
    return df


def _raw_report_date(sources, file: str):
    """The report date of a file whose unit sheet had errors (still decides lateness)."""
    from pipeline.values import parse_date

    spec = sheet_spec("unit_info")
    src = next(s for s in sources if s.file == file)
    sheet = src.sheets.get("unit_info")
    if sheet is None:
        return pd.NaT
    value = parse_date(sheet.records[0][spec.column_names.index("report_date")])[0]
    return pd.Timestamp(value) if value else pd.NaT


def write_checked(checked: Checked, stage: Path) -> list[Path]:
    """files.csv, submissions.csv, issues.csv, feedback workbooks, validated parquet."""
    paths = [
        write.write_csv(checked.files, stage / "files.csv"),
        write.write_csv(checked.submissions, stage / "submissions.csv"),
        write.write_csv(checked.issues, stage / "issues.csv"),
    ]
    paths += write.write_parquet(checked.tables, stage / "data" / "validated")
    by_file = {s.file: s for s in checked.sources}
    fmt = dict(zip(checked.files["file"], checked.files["format"]))
    status = dict(zip(checked.files["file"], checked.files["status"]))
    for file, group in checked.issues.groupby("file", sort=True):
        if status.get(file) not in ("accepted", "accepted_with_errors") or fmt.get(file) not in ingest.WORKBOOK_FORMATS:
            continue
        unit = group["unit_code"].iloc[0] or Path(file).stem
        data = by_file[file].load()
        raw = None if fmt[file] in ("xlsx", "xlsm") else ingest.sheet_values(data)
        wb = write.feedback_workbook(data, fmt[file], group, raw)
        path = stage / "feedback" / f"{unit}.xlsx"
        path.parent.mkdir(parents=True, exist_ok=True)
        wb.save(path)
        paths.append(path)
    return paths


def run_report(inputs: Path, outputs: Path) -> int:
    """`make report`: every stage in order; bad input is reported, never fatal."""
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
    with write.staging(outputs) as stage:
        paths = write_checked(checked, stage)
        paths += _later_stages(checked, plan, stage, is_demo)
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


def _later_stages(checked: Checked, plan: Plan, stage: Path, is_demo: bool) -> list[Path]:
    """Stages 3–5 (normalise, aggregate and awards, publish) when they are installed."""
    try:
        from pipeline import aggregate, awards, normalize
    except ImportError:
        return []
    normal = normalize.build_tables(checked.tables, checked.submissions, plan)
    aggregates = aggregate.build_aggregates(normal, plan)
    verdicts, ranking = awards.evaluate_proposals(normal, plan)
    paths = write.write_parquet(normal, stage / "data")
    paths += write.write_parquet(aggregates, stage / "data" / "aggregates")
    paths += write.write_parquet({"award_verdicts": verdicts, "award_ranking": ranking}, stage / "data")
    paths.append(write.write_data_dictionary(stage / "data" / "README.md"))
    try:
        from pipeline import publish
    except ImportError:
        return paths
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
