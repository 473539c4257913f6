"""Stage 3: tidy tables (one fact per row) from the validated sheets.

Input: the valid rows of every sheet, keyed by sheet name, with vocabulary
values as their Vietnamese labels, plus one submission row per registry unit.
Output: the tables of `schemas.tables.TABLES`, keyed by vocabulary codes (the
stable keys of config/plan.toml) with the labels kept beside them for display.
Pure functions: nothing is read or written, the arguments are not modified.
"""
from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from pipeline import rules
from pipeline.config import Plan
from schemas.codes import REPORTED_STATUSES, RecipientKind, SubmissionStatus
from schemas.tables import TABLES

PROVENANCE = ["source_file", "sheet", "excel_row"]
UNIT_COLUMNS = ["unit_code", "unit_type", "unit_group"]

# Numeric columns of sheet 2, in template order: each becomes one indicator.
# Awards sheet: the column holding the count of each recipient kind.
AWARD_COUNT_COLUMN = {RecipientKind.COLLECTIVE: "collectives", RecipientKind.INDIVIDUAL: "individuals"}


log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Failure:
    """Validated data that the tidy stage could not turn into its tables: a bug, confined to a file or a row."""

    source_file: str
    sheet: str
    excel_row: int | None     # None: the whole file failed
    error: str                # developer details (traceback or schema failure)


def build_tables_safe(tables: dict[str, pd.DataFrame], submissions: pd.DataFrame,
                      plan: Plan) -> tuple[dict[str, pd.DataFrame], list[Failure]]:
    """`build_tables`, with a bug confined to the rows or files that trigger it.

    A row that passed sheet validation but breaks a tidy-table schema is
    dropped and reported as a failure; any other exception is retried file by
    file and the files that still fail are reported whole.
    """
    failures: list[Failure] = []
    try:
        return build_tables(tables, submissions, plan, failures), failures
    except Exception:  # isolate the file that triggers the bug
        log.exception("tidy tables failed on the whole batch; retrying file by file")
    files = sorted({f for df in tables.values() if len(df) for f in df["source_file"]})
    bad = []
    for file in files:
        try:
            build_tables({k: df[df["source_file"] == file] for k, df in tables.items()}, submissions, plan, [])
        except Exception as exc:
            bad.append(Failure(file, "", None, "".join(traceback.format_exception(exc))))
    bad_files = {f.source_file for f in bad}
    kept = {k: df[~df["source_file"].isin(bad_files)] for k, df in tables.items()}
    failures = list(bad)
    return build_tables(kept, submissions, plan, failures), failures


def build_tables(tables: dict[str, pd.DataFrame], submissions: pd.DataFrame, plan: Plan,
                 failures: list[Failure] | None = None) -> dict[str, pd.DataFrame]:
    """The normalised tables, each checked against its schema in schemas/tables.py.

    With `failures` given, rows that break their table's schema are dropped and
    recorded there; without it, any schema failure raises (a bug in this module).
    """
    registry = registry_frame(plan)
    sheets = {name: _sheet(tables, name, plan) for name in (
        "unit_info", "leadership", "content_results", "models", "classification",
        "impact", "assessment", "awards_given", "proposals")}
    out = {
        "units": units_table(sheets["unit_info"], submissions, plan),
        "leadership": leadership_table(sheets["leadership"], registry, plan),
        "content_results": content_results_table(sheets["content_results"], registry, plan),
        "models": models_table(sheets["models"], registry, plan),
        "classification": classification_table(sheets["classification"], registry, plan),
        "awards_given": awards_given_table(sheets["awards_given"], registry, plan),
        "proposals": proposals_table(sheets["proposals"], registry, plan),
        "assessments": assessments_table(sheets["assessment"], registry, plan),
        "impact": impact_table(sheets["impact"], registry),
    }
    for name, frame in out.items():
        out[name] = _checked(name, frame, failures)
    return out


def _checked(name: str, frame: pd.DataFrame, failures: list[Failure] | None) -> pd.DataFrame:
    """The table validated against its schema; rows that fail are dropped into `failures` (if given)."""
    try:
        return TABLES[name].validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        if failures is None or "source_file" not in frame.columns:
            raise
        rows = pd.to_numeric(exc.failure_cases["index"], errors="coerce").dropna().astype(int).unique()
        if len(rows) == 0:
            raise
        for idx in rows:
            cases = exc.failure_cases[exc.failure_cases["index"] == idx]
            failures.append(Failure(str(frame.at[idx, "source_file"]), str(frame.at[idx, "sheet"]),
                                    int(frame.at[idx, "excel_row"]), cases.to_string()))
        kept = frame.drop(index=rows).reset_index(drop=True)
        return TABLES[name].validate(kept)


# -- helpers ----------------------------------------------------------------------

def registry_frame(plan: Plan) -> pd.DataFrame:
    """The unit registry, in registry order."""
    return pd.DataFrame(
        [{"unit_code": u.unit_code, "unit_name": u.unit_name, "unit_type": u.unit_type, "unit_group": u.unit_group}
         for u in plan.units],
        columns=["unit_code", "unit_name", "unit_type", "unit_group"],
    ).astype("str")


def _sheet(tables: dict[str, pd.DataFrame], name: str, plan: Plan) -> pd.DataFrame:
    """A copy of one validated sheet; a missing sheet is an empty frame of the right columns."""
    columns = plan.sheet(name).column_names + ["unit_code", *PROVENANCE]
    frame = tables.get(name)
    if frame is None:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    return frame.copy()


def _codes(plan: Plan, vocab: str) -> dict[str, str]:
    """label -> code of one vocabulary."""
    return {str(i["label"]): str(i["code"]) for i in plan.items(vocab)}


def _coded(series: pd.Series, plan: Plan, vocab: str) -> pd.Series:
    """Codes of a column of labels; a blank stays blank (validation already refused unknown labels)."""
    return series.map(_codes(plan, vocab)).astype("str")


def _with_units(frame: pd.DataFrame, registry: pd.DataFrame) -> pd.DataFrame:
    """Adds unit_type and unit_group from the registry (a row's unit came from the registry)."""
    frame = frame.drop(columns=[c for c in ("unit_type", "unit_group") if c in frame.columns])
    return frame.merge(registry[UNIT_COLUMNS], on="unit_code", how="left", validate="many_to_one")


def _periods(frame: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """period label -> period_code, period_label, year."""
    years = {str(p["label"]): int(p["year"]) for p in plan.items("periods")}
    frame["period_code"] = _coded(frame["period"], plan, "periods")
    frame["period_label"] = frame["period"].astype("str")
    frame["year"] = frame["period"].map(years).astype("Int64")
    return frame


def _provenance(frame: pd.DataFrame) -> pd.DataFrame:
    for col in ("unit_code", "source_file", "sheet"):
        frame[col] = frame[col].astype("str")
    frame["excel_row"] = frame["excel_row"].astype("int64")
    return frame


def _finish(frame: pd.DataFrame, name: str, sort: list[str]) -> pd.DataFrame:
    """Columns in a stable order (unit first, provenance last), rows sorted by `sort`."""
    declared = list(TABLES[name].to_schema().columns)
    lead = [c for c in ("unit_code", "unit_name", "unit_type", "unit_group") if c in declared]
    tail = [c for c in PROVENANCE if c in declared]
    order = lead + [c for c in declared if c not in lead and c not in tail] + tail
    if sort:
        frame = frame.sort_values(sort, kind="stable")
    return frame[order].reset_index(drop=True)


def _int(series: pd.Series) -> pd.Series:
    return pd.array(series, dtype="Int64")


# -- tables -----------------------------------------------------------------------

def units_table(unit_info: pd.DataFrame, submissions: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Registry × submission status, with the staff counts of each unit's own form."""
    registry = registry_frame(plan)
    subs = submissions.drop(columns=[c for c in ("unit_name", "unit_type", "unit_group") if c in submissions.columns])
    subs = subs.rename(columns={"file": "source_file"})
    frame = registry.merge(subs, on="unit_code", how="left", validate="one_to_one")
    frame["status"] = frame["status"].fillna(SubmissionStatus.MISSING.value).astype("str")
    info = unit_info[["unit_code", "report_date", "staff_total", "staff_registered"]].drop_duplicates("unit_code")
    frame = frame.drop(columns=["report_date"], errors="ignore").merge(
        info, on="unit_code", how="left", validate="one_to_one")
    # The form's date wins; the submission's date is the fallback when the form row was refused.
    fallback = pd.to_datetime(subs.set_index("unit_code")["report_date"]) if "report_date" in subs else None
    if fallback is not None:
        frame["report_date"] = frame["report_date"].fillna(frame["unit_code"].map(fallback))
    frame["report_date"] = pd.to_datetime(frame["report_date"]).astype("datetime64[us]")
    frame["is_reported"] = pd.array(frame["status"].isin(list(REPORTED_STATUSES)), dtype="boolean")
    frame["is_on_time"] = pd.array(frame["status"].eq(SubmissionStatus.ON_TIME), dtype="boolean")
    frame["source_file"] = frame.get("source_file", pd.Series(index=frame.index, dtype="str")).astype("str")
    for col in ("errors", "warnings"):
        frame[col] = _int(frame[col].fillna(0)) if col in frame else _int([0] * len(frame))
    for col in ("staff_total", "staff_registered"):
        frame[col] = _int(frame[col])
    order = {u.unit_code: i for i, u in enumerate(plan.units)}
    frame["_order"] = frame["unit_code"].map(order)
    frame = frame.sort_values("_order").drop(columns="_order")
    return _finish(frame, "units", sort=[])


def leadership_indicators(plan: Plan) -> list[str]:
    """The figures of sheet 2 (Lãnh đạo, chỉ đạo), in template order."""
    return [c.name for c in plan.sheet("leadership").columns if c.name != "period"]


def leadership_table(leadership: pd.DataFrame, registry: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """unit × period × indicator → value (one row per number the unit typed)."""
    labels = {c.name: c.header for c in plan.sheet("leadership").columns}
    indicators = leadership_indicators(plan)
    frame = _periods(_provenance(leadership), plan)
    long = frame.melt(
        id_vars=["unit_code", "period_code", "period_label", "year", *PROVENANCE],
        value_vars=indicators, var_name="indicator_code", value_name="value",
    )
    long["indicator_code"] = long["indicator_code"].astype("str")
    long["indicator_label"] = long["indicator_code"].map(labels).astype("str")
    long["value"] = _int(long["value"])
    long = long[long["value"].notna()]  # a blank optional count is no fact (all are required today)
    long = _with_units(long, registry)
    order = {c: i for i, c in enumerate(indicators)}
    long = long.assign(_i=long["indicator_code"].map(order)).sort_values(["unit_code", "period_code", "_i"])
    return _finish(long, "leadership", sort=[])


def content_results_table(content: pd.DataFrame, registry: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """unit × content area × period → activities, self-assessment, outstanding results."""
    frame = _periods(_provenance(content), plan)
    frame["content_area_code"] = _coded(frame["content_area"], plan, "content_areas")
    frame["content_area_label"] = frame["content_area"].astype("str")
    frame["self_assessment_code"] = _coded(frame["self_assessment"], plan, "self_assessment_levels")
    frame["self_assessment_label"] = frame["self_assessment"].astype("str")
    frame["activities"] = _int(frame["activities"])
    frame["outstanding_results"] = frame["outstanding_results"].astype("str")
    frame = _with_units(frame, registry)
    return _finish(frame, "content_results", sort=["unit_code", "content_area_code", "period_code"])


def models_table(models: pd.DataFrame, registry: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """One row per model.

    `is_recognised` means a recognition level above "Chưa được công nhận" as the
    unit declared it. A missing document number does not unset it (validation
    already warned the unit); `has_recognition_doc` keeps that fact separately,
    and the award rules use it to mark a criterion unverified.
    """
    ranks = {str(i["label"]): int(i["rank"]) for i in plan.items("recognition_levels")}
    frame = _provenance(models)
    frame["model_id"] = (frame["unit_code"] + "#" + frame["excel_row"].astype("str")).astype("str")
    frame["model_name"] = frame["model_name"].astype("str")
    for col, vocab in (("field", "fields"), ("content_area", "content_areas"), ("model_kind", "recipient_kinds")):
        frame[f"{col}_code"] = _coded(frame[col], plan, vocab)
        frame[f"{col}_label"] = frame[col].astype("str")
    frame["recognition_code"] = _coded(frame["recognition_level"], plan, "recognition_levels")
    frame["recognition_label"] = frame["recognition_level"].astype("str")
    frame["recognition_rank"] = _int(frame["recognition_level"].map(ranks))
    has_doc = rules.has_document_number(frame["recognition_doc"])  # "Chưa có" typed as a number is blank
    frame["recognition_doc"] = frame["recognition_doc"].where(has_doc.to_numpy(), None).astype("str")
    frame["recognition_date"] = pd.to_datetime(frame["recognition_date"]).astype("datetime64[us]")
    frame["is_recognised"] = pd.array(frame["recognition_rank"] >= 1, dtype="boolean")
    frame["has_recognition_doc"] = pd.array(has_doc.to_numpy(), dtype="boolean")
    frame["is_replicated"] = pd.array(frame["is_replicated"], dtype="boolean").fillna(False)
    # A blank number of places counts as none (sheet 4 says "Số nơi nhân rộng" is optional).
    frame["replication_places"] = _int(frame["replication_places"]).fillna(0)
    frame["start_year"] = _int(frame["start_year"])
    frame["beneficiaries"] = _int(frame["beneficiaries"])
    for col in ("implementer", "effect"):
        frame[col] = frame[col].astype("str")
    frame = _with_units(frame, registry)
    frame = frame.sort_values(["unit_code", "excel_row"], kind="stable")
    frame = frame[~rules.is_repeated_model(frame["unit_code"], frame["model_name"])]  # warned at its cell
    return _finish(frame, "models", sort=["unit_code", "excel_row"])


def classification_table(classification: pd.DataFrame, registry: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """unit × year → score and level."""
    frame = _provenance(classification)
    frame["classification_year"] = _int(frame["classification_year"])
    frame["score"] = pd.array(frame["score"], dtype="Float64")
    frame["level_code"] = _coded(frame["classification_level"], plan, "classification_levels")
    frame["level_label"] = frame["classification_level"].astype("str")
    frame["decision_number"] = frame["decision_number"].astype("str")
    frame = _with_units(frame, registry)
    return _finish(frame, "classification", sort=["unit_code", "classification_year"])


def awards_given_table(awards: pd.DataFrame, registry: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """unit × period × form × recipient kind → count; a blank cell means none (the template says so)."""
    frame = _periods(_provenance(awards), plan)
    frame["award_form_code"] = _coded(frame["award_form"], plan, "own_award_forms")
    frame["award_form_label"] = frame["award_form"].astype("str")
    parts = []
    for kind in plan.codes("recipient_kinds"):
        part = frame.copy()
        part["recipient_kind_code"] = kind
        part["recipient_kind_label"] = plan.label_of("recipient_kinds", kind)
        part["count"] = _int(part[AWARD_COUNT_COLUMN[kind]]).fillna(0)
        parts.append(part)
    long = pd.concat(parts, ignore_index=True) if parts else frame
    long["recipient_kind_code"] = long["recipient_kind_code"].astype("str")
    long["recipient_kind_label"] = long["recipient_kind_label"].astype("str")
    long = _with_units(long, registry)
    return _finish(long, "awards_given", sort=["unit_code", "period_code", "award_form_code", "recipient_kind_code"])


def proposals_table(proposals: pd.DataFrame, registry: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """One row per proposal; beyond `max_proposals_per_unit` (by Excel row) a proposal is marked extra."""
    frame = _provenance(proposals).sort_values(["unit_code", "excel_row"], kind="stable")
    frame["proposal_order"] = _int(rules.proposal_order(frame["unit_code"], frame["excel_row"]).reindex(frame.index))
    frame["is_extra"] = pd.array(rules.is_beyond_limit(frame["proposal_order"], plan), dtype="boolean")
    frame["recipient_kind_code"] = _coded(frame["recipient_kind"], plan, "recipient_kinds")
    frame["recipient_kind_label"] = frame["recipient_kind"].astype("str")
    for col in ("nominee_name", "nominee_position", "achievements_summary", "model_name",
                "crit_a_evidence", "crit_b_evidence", "crit_c_evidence", "crit_d_evidence"):
        frame[col] = frame[col].astype("str")
    for col in ("crit_a", "crit_b", "crit_c", "crit_d"):
        frame[col] = pd.array(frame[col], dtype="boolean")
    frame = _with_units(frame, registry)
    frame = frame.merge(registry[["unit_code", "unit_name"]], on="unit_code", how="left")
    return _finish(frame, "proposals", sort=["unit_code", "proposal_order"])


def assessments_table(assessment: pd.DataFrame, registry: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """unit × topic → text, for the report writers."""
    frame = _provenance(assessment)
    frame["topic_code"] = _coded(frame["topic"], plan, "assessment_topics")
    frame["topic_label"] = frame["topic"].astype("str")
    frame["text"] = frame["text"].astype("str")
    frame = _with_units(frame, registry)
    topic_order = {c: i for i, c in enumerate(plan.codes("assessment_topics"))}
    frame["_t"] = frame["topic_code"].map(topic_order)
    frame = frame.sort_values(["unit_code", "_t"], kind="stable")
    return _finish(frame, "assessments", sort=["unit_code"])


def impact_table(impact: pd.DataFrame, registry: pd.DataFrame) -> pd.DataFrame:
    """One row per unit: the impact form of sheet 6."""
    frame = _provenance(impact)
    for col in ("on_time_procedures_pct", "satisfaction_pct"):
        frame[col] = pd.array(frame[col], dtype="Float64")
    frame["hcm_exemplars"] = _int(frame["hcm_exemplars"])
    for col in ("political_tasks_impact", "hcm_link", "other_movements"):
        frame[col] = frame[col].astype("str")
    frame = _with_units(frame, registry)
    return _finish(frame, "impact", sort=["unit_code"])
