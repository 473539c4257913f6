"""The key figures of the report: one home for each, taken from the aggregates (never recounted in publish)."""
from __future__ import annotations

import pandas as pd

from pipeline.config import Plan
from schemas.codes import ALL_PERIODS, ScopeKind, Severity
from schemas.aggregates import SUMMARIES

# The figures of the overview, in report order (their Vietnamese labels are in pipeline/publish/wording.py).
KEY_FIGURES = ("registry", "reported", "on_time", "late", "date_unknown", "missing", "rejected", "staff",
               "staff_registered", "plans",
               "sessions", "participants", "models", "recognised", "recognised_any", "replicated", "units_without_models",
               "awarded_collectives", "awarded_individuals", "proposals", "eligible", "errors", "warnings",
               "files_with_issues")


def town(frame: pd.DataFrame) -> pd.DataFrame:
    """The whole-town rows of an aggregate."""
    return frame[frame["scope_kind"] == ScopeKind.TOWN]


def key_figures(aggregates: dict[str, pd.DataFrame], tables: dict[str, pd.DataFrame], proposals: pd.DataFrame,
                issues: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """figure -> value, for the whole town."""
    rep = town(aggregates["reporting"]).iloc[0]
    lead = town(aggregates["leadership_by_period"])
    lead = lead[lead["period_code"] == ALL_PERIODS].iloc[0]
    models = town(aggregates["models_summary"]).iloc[0]
    units = tables["units"]
    given = town(aggregates["awards_given_by_form"])
    given = given[given["period_code"] == ALL_PERIODS]
    values = {
        "registry": rep["expected"], "reported": rep["reported"], "on_time": rep["on_time"], "late": rep["late"],
        "date_unknown": rep["date_unknown"], "missing": rep["missing"], "rejected": rep["rejected"],
        "staff": units.loc[units["is_reported"].fillna(False).astype(bool), "staff_total"].fillna(0).sum(),
        "staff_registered": town(aggregates["staff_registration"]).iloc[0]["staff_registered"],
        "plans": lead["plans_issued"], "sessions": lead["propaganda_sessions"],
        "participants": lead["propaganda_participants"], "models": models["models"],
        "recognised": models["recognised"], "recognised_any": models["recognised_any"],
        "replicated": models["replicated"],
        "units_without_models": models["units_without_models"], "proposals": len(proposals),
        "awarded_collectives": given["collectives"].sum(), "awarded_individuals": given["individuals"].sum(),
        "files_with_issues": issues["file"].nunique(),
        "eligible": int(proposals["is_eligible"].sum()), "errors": int((issues["severity"] == Severity.ERROR).sum()),
        "warnings": int((issues["severity"] == Severity.WARNING).sum()),
    }
    frame = pd.DataFrame({"figure": list(KEY_FIGURES), "value": [int(values[k]) for k in KEY_FIGURES]})
    return SUMMARIES["key_figures"].validate(frame)
