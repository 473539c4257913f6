"""Read a finished run's persisted tables, for notebooks and ad-hoc analysis.

    from pipeline import explore
    data = explore.load()          # outputs/ of the repository, or $DVK_OUTPUTS
    data["models"].head()

Keys: every normalised table (outputs/data/<table>.parquet), every aggregate
as "agg_<name>" (outputs/data/aggregates/<name>.parquet), "award_verdicts",
"award_ranking", "award_proposals", "award_decisions", "award_dossiers", and the
run's "files", "submissions" and "issues" (CSV).
Nothing is recomputed here.
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from pipeline.config import ROOT

CSV_TABLES = ("files", "submissions", "issues")


def outputs_dir(outputs: Path | str | None = None) -> Path:
    return Path(outputs or os.environ.get("DVK_OUTPUTS") or ROOT / "outputs")


def load(outputs_dir_: Path | str | None = None) -> dict[str, pd.DataFrame]:
    """Every persisted table of the run in `outputs_dir_` (default $DVK_OUTPUTS or outputs/)."""
    out = outputs_dir(outputs_dir_)
    data_dir = out / "data"
    if not data_dir.is_dir():
        raise FileNotFoundError(
            f"Không thấy thư mục {data_dir}: hãy chạy `make report` trước (hoặc đặt biến DVK_OUTPUTS).")
    tables: dict[str, pd.DataFrame] = {}
    for path in sorted(data_dir.glob("*.parquet")):
        tables[path.stem] = pd.read_parquet(path)
    for path in sorted((data_dir / "aggregates").glob("*.parquet")):
        tables[f"agg_{path.stem}"] = pd.read_parquet(path)
    for name in CSV_TABLES:
        path = out / f"{name}.csv"
        if path.exists():
            tables[name] = pd.read_csv(path, encoding="utf-8-sig")
    return tables


def results(tables: dict[str, pd.DataFrame]):
    """The publishing stage's input rebuilt from `load()`'s result (to redraw outputs from a notebook)."""
    from pipeline.check.results import Checked
    from pipeline.tidy.results import Results

    aggregates = {k[4:]: v for k, v in tables.items() if k.startswith("agg_")}
    special = {"award_verdicts", "award_ranking", "award_proposals", "award_decisions", "award_dossiers", *CSV_TABLES}
    tidy = {k: v for k, v in tables.items() if not k.startswith("agg_") and k not in special}
    checked = Checked(sources=[], files=tables["files"], submissions=tables["submissions"],
                      issues=tables["issues"].fillna(""), tables={}, counts=pd.DataFrame())
    from pipeline.config import load_plan
    from pipeline.tidy.nominee import nominee_facts

    decisions = tables.get("award_decisions")
    nominee = nominee_facts(decisions, tidy, load_plan()) if decisions is not None else None
    return Results(checked, tidy, aggregates, tables["award_verdicts"], tables["award_ranking"],
                   tables["award_proposals"], decisions, tables.get("award_dossiers"), None, nominee)
