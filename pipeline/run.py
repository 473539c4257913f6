"""`make report`: the pipeline, stage by stage; `run_report` reads like a table of contents."""
from __future__ import annotations

import importlib
import sys
from pathlib import Path

from pipeline import messages as msg
from pipeline.check import check
from pipeline.check.feedback import write_feedback
from pipeline.check.results import Checked, summary_text
from pipeline.config import check_plan, load_plan
from pipeline.files import staging, write_csv, write_parquet
from pipeline.publish import write_outputs
from pipeline.publish.dictionary import write_data_dictionary
from pipeline.read import has_workbooks, read_all
from pipeline.tidy import tidy
from pipeline.tidy.results import Results, summarise
from pipeline.ui import console

# Libraries the later stages import only when they write: checked before any file is read, so a broken
# environment stops the run at once, loudly, and never after half the work.
LATE_IMPORTS = ("docx", "great_tables", "xlsxwriter", "matplotlib.pyplot", "pyarrow", "openpyxl", "jinja2", "babel")


def run_report(inputs: Path, outputs: Path) -> int:
    """Read, check, tidy, aggregate and publish; bad input is reported, never fatal."""
    for name in LATE_IMPORTS:
        importlib.import_module(name)
    plan = load_plan()
    if problems := check_plan(plan):
        print("\n".join(problems + [msg.FATAL.format(reason=msg.FATAL_CONFIG)]), file=sys.stderr)
        return 2
    is_demo = not has_workbooks(inputs)
    if is_demo:
        from pipeline.tools.demo import write_demo

        inputs = write_demo(outputs / "demo", plan)
        console.print(msg.DEMO_NOTICE.format(folder=inputs))
    checked = check(read_all(inputs, plan, show_progress=True), plan)   # stages 1–2
    checked, tables = tidy(checked, plan)                                # stage 3
    results = summarise(checked, tables, plan)                           # stage 4
    with staging(outputs) as stage:                                      # stage 5, all or nothing
        paths = write_checked(checked, stage)
        paths += write_results(results, stage)
        paths += write_outputs(stage, results, plan, is_demo)
        summary = summary_text(checked, outputs / "issues.csv")
        (stage / "run_summary.txt").write_text(summary + "\n", encoding="utf-8")
    console.print(summary)
    console.print(msg.OUTPUTS_WRITTEN)
    for path in sorted({str(outputs / p.relative_to(stage).parts[0]) for p in paths}):
        console.print(f"  {path}")
    return 0


def write_checked(checked: Checked, stage: Path) -> list[Path]:
    """files.csv, submissions.csv, issues.csv, the validated rows, feedback workbooks, the developers' error log."""
    paths = [write_csv(checked.files, stage / "files.csv"), write_csv(checked.submissions, stage / "submissions.csv"),
             write_csv(checked.issues, stage / "issues.csv")]
    paths += write_parquet(checked.tables, stage / "data" / "validated")
    errors = [f"== {s.file}\n{s.error}" for s in checked.sources if s.error]
    if errors:  # developer details of every "lỗi chương trình": the unit only sees the Vietnamese reason
        log_path = stage / "logs" / "errors.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log_path.write_text("\n".join(errors), encoding="utf-8")
        paths.append(log_path)
    return paths + write_feedback(checked, stage / "feedback")


def write_results(results: Results, stage: Path) -> list[Path]:
    """The tidy tables, the aggregates, the award verdicts and the data dictionary."""
    paths = write_parquet(results.tables, stage / "data")
    paths += write_parquet(results.aggregates, stage / "data" / "aggregates")
    paths += write_parquet({"award_verdicts": results.verdicts, "award_ranking": results.ranking,
                            "award_proposals": results.proposals}, stage / "data")
    paths.append(write_data_dictionary(stage / "data" / "README.md"))
    return paths
