"""`make report`: the pipeline, stage by stage; `run_report` reads like a table of contents."""
from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import json
import sys
from pathlib import Path

import pandas as pd

from pipeline import messages as msg
from pipeline import reuse
from pipeline.check import check
from pipeline.check.batch import config_digest, jobs_from_env
from pipeline.check.feedback import write_feedback
from pipeline.check.results import Checked, summary_text
from pipeline.check.units import today
from pipeline.config import Plan, check_plan, load_plan, package_version
from pipeline.files import staging, write_csv, write_parquet
from pipeline.publish import publishable, write_outputs
from pipeline.publish.dictionary import write_data_dictionary
from pipeline.read import has_workbooks
from pipeline.read.award_decisions import read_office_decisions
from pipeline.read.discover import discover
from pipeline.read.dossiers import dossier_files
from pipeline.tidy import tidy
from pipeline.tidy.dossiers import unit_dossiers, with_dossier_columns
from pipeline.tidy.results import Results, summarise
from pipeline.ui import console

# Libraries the later stages import only when they write: checked before any file is read, so a broken
# environment stops the run at once, loudly, and never after half the work.
LATE_IMPORTS = ("docx", "great_tables", "xlsxwriter", "matplotlib.pyplot", "pyarrow", "openpyxl", "jinja2", "babel")
SUMMARY = "run_summary.txt"
CACHE = ".cache"   # inside outputs/: each chunk of returns as checked last time (pipeline.check.batch)


def run_report(inputs: Path, outputs: Path, jobs: int | None = None, plan: Plan | None = None) -> int:
    """Read, check, tidy, aggregate and publish; bad input is reported, never fatal. `plan`: the configuration
    (default: config/, or the folder DVK_CONFIG_DIR names)."""
    for name in LATE_IMPORTS:
        importlib.import_module(name)
    plan = plan or load_plan()
    if problems := check_plan(plan):
        print("\n".join(problems + [msg.FATAL.format(reason=msg.FATAL_CONFIG)]), file=sys.stderr)
        return 2
    is_demo = not has_workbooks(inputs)
    if is_demo:
        from pipeline.tools.demo import write_demo

        inputs = write_demo(outputs / "demo", plan)
        console.print(msg.DEMO_NOTICE.format(folder=inputs))
    started, jobs = dt.datetime.now(dt.timezone.utc), jobs or jobs_from_env()
    with staging(outputs) as stage:                                      # everything or nothing
        sources = discover(inputs, plan)                                 # stage 1: find and guard
        key = reuse.run_key(sources, config_digest(plan), is_demo, today().isoformat())
        if (manifest := reuse.reuse_run(outputs, stage, key)) is not None:
            console.print(msg.RUN_REUSED)                                # nothing changed: the same outputs
        else:
            manifest = make_outputs(sources, plan, is_demo, outputs, stage, jobs)
        summary = (stage / SUMMARY).read_text(encoding="utf-8").strip()
        manifest = write_manifest(stage, manifest, started, key)
    console.print(summary)
    console.print(msg.OUTPUTS_WRITTEN)
    for name in sorted([*manifest[reuse.OUTPUTS_KEY], reuse.MANIFEST]):
        console.print(f"  {outputs / name}")
    return 0


def make_outputs(sources: list, plan: Plan, is_demo: bool, outputs: Path, stage: Path, jobs: int) -> dict:
    """Stages 1–5 into `stage`; the manifest's entries that trace the outputs to their inputs."""
    checked, done = check(sources, plan, jobs,                           # stages 1–2: read and check
                          outputs / CACHE, show_progress=True)
    checked, tables = tidy(checked, plan)                                # stage 3: tidy tables
    dossiers = unit_dossiers(checked.submissions, tables["proposals"],   # who sent the hồ sơ of a proposal
                             dossier_files(checked.sources, plan), plan)
    checked = dataclasses.replace(checked, submissions=with_dossier_columns(checked.submissions, dossiers))
    write_checked(checked, stage, plan, done.feedback)
    checked, done = dataclasses.replace(checked, tables={}), None        # the valid rows live on in `tables`
    office = read_office_decisions(checked.sources, plan)                # the office's decisions file, if any
    results = summarise(checked, tables, plan, office, dossiers)         # stage 4: aggregates, awards
    write_results(results, stage, plan)
    results, tables = publishable(results), None                         # only what stage 5 draws from
    published, digest = publish(outputs, stage, results, plan, is_demo, jobs)  # stage 5: the town's report
    (stage / SUMMARY).write_text(summary_text(checked, outputs / "issues.csv") + "\n", encoding="utf-8")
    return manifest_entries(stage, checked, plan, is_demo, published, digest)


def write_checked(checked: Checked, stage: Path, plan: Plan, made: dict | None = None) -> None:
    """files.csv, submissions.csv, issues.csv, the validated rows, feedback workbooks, the developers' error log."""
    write_csv(checked.files, stage / "files.csv")
    write_csv(checked.submissions, stage / "submissions.csv")
    write_csv(checked.issues, stage / "issues.csv")
    write_parquet(checked.tables, stage / "data" / "validated")
    errors = [f"== {s.file}\n{s.error}" for s in checked.sources if s.error]
    if errors:  # developer details of every "lỗi chương trình": the unit only sees the Vietnamese reason
        log_path = stage / "logs" / "errors.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log_path.write_text("\n".join(errors), encoding="utf-8")
    write_feedback(checked, stage / "feedback", plan, made)


def write_results(results: Results, stage: Path, plan: Plan) -> None:
    """The tidy tables, the aggregates, the award verdicts and the data dictionary."""
    write_parquet(results.tables, stage / "data")
    write_parquet(results.aggregates, stage / "data" / "aggregates")
    write_parquet({"award_verdicts": results.verdicts, "award_ranking": results.ranking,
                   "award_proposals": results.proposals, "award_decisions": results.decisions,
                   "award_dossiers": results.dossiers}, stage / "data")
    if len(results.decision_issues):   # the decisions file's problems, listed with the returns' (never counted)
        write_csv(pd.concat([results.checked.issues, results.decision_issues], ignore_index=True),
                  stage / "issues.csv")
    write_data_dictionary(stage / "data" / "README.md", plan)


def publish(outputs: Path, stage: Path, results: Results, plan: Plan, is_demo: bool,
            jobs: int = 1) -> tuple[list[Path], str]:
    """The report outputs and their digest: the previous run's when nothing they are drawn from changed,
    else drawn anew (pipeline.reuse)."""
    digest = reuse.publish_digest(stage, config_digest(plan), is_demo)
    paths = reuse.reuse(outputs, stage, digest)
    if paths is not None:
        console.print(msg.OUTPUTS_REUSED)
    else:
        paths = write_outputs(stage, results, plan, is_demo, jobs=jobs)
    return paths, digest


def manifest_entries(stage: Path, checked: Checked, plan: Plan, is_demo: bool, published: list[Path],
                     digest: str) -> dict:
    """What manifest.json says of a run's outputs: the code and config they come from and the inputs, each
    with its sha256 and status, so a figure can be traced to its files."""
    return {
        "package_version": package_version(), "template_version": plan.template_version,
        "config_digest": config_digest(plan), "demo": is_demo,
        reuse.NAMES_KEY: reuse.published_names(stage, published), reuse.DIGEST_KEY: digest,
        "inputs": [{"file": r.file, "sha256": r.sha256, "status": r.status}
                   for r in checked.files.itertuples(index=False)],
    }


def write_manifest(stage: Path, entries: dict, started: dt.datetime, key: str) -> dict:
    """manifest.json: when the run was made and from what (`entries`), with the fingerprint of every output
    (pipeline.reuse); written last."""
    manifest = {"run_started": started.isoformat(timespec="seconds"),
                "run_finished": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
    manifest |= {k: v for k, v in entries.items() if k not in manifest}
    manifest |= {reuse.RUN_KEY: key, reuse.OUTPUTS_KEY: reuse.written(stage)}
    (stage / reuse.MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return manifest
