"""Stage 4: aggregates of the normalised tables, by group, unit type and period.

Every aggregate has the rows of three scopes (see schemas/tables.py): the
town ("Toàn thị xã"), each group of config/plan.toml [[unit_types]] and each
unit type. Every category of the configuration gets a row even when no unit
reported it (zeros), so a new content area, field or level needs no code. The
rows of each scope kind add up to the town row for every count; ratios are
recomputed from the summed counts, never summed. Each result is validated
against its schema: a failure is a bug here and raises.
"""
from __future__ import annotations

import itertools

import pandas as pd

from pipeline import rules
from pipeline.config import Plan
from pipeline.tidy import narrative
from pipeline.tidy.tables import leadership_indicators
from schemas.codes import ALL_PERIODS, NO_LEVEL, RecipientKind, ScopeKind, SubmissionStatus
from schemas.aggregates import AGGREGATES

SCOPE = ["scope_kind", "scope"]


def build_aggregates(tables: dict[str, pd.DataFrame], plan: Plan) -> dict[str, pd.DataFrame]:
    """All aggregates of schemas.tables.AGGREGATES, from the tables of pipeline.normalize."""
    units = tables["units"]
    out = {
        "reporting": reporting(units, plan),
        "staff_registration": staff_registration(units, plan),
        "leadership_by_period": leadership_by_period(tables["leadership"], units, plan),
        "content_by_area": content_by_area(tables["content_results"], plan),
        "models_summary": models_summary(tables["models"], units, plan),
        "models_by": models_by(tables["models"], plan),
        "impact_summary": narrative.impact_summary(tables["impact"], plan),
        "impact_texts": narrative.impact_texts(tables["impact"], units, plan),
        "outstanding_results": narrative.outstanding_results(tables["content_results"], units, plan),
        "assessment_texts": narrative.assessment_texts(tables["assessments"], units, plan),
        "units_without_models": units_without_models(tables["models"], units),
        "classification_levels": classification_levels(tables["classification"], units, plan),
        "units_htxs_every_year": units_htxs_every_year(tables["classification"], units, plan),
        "awards_given_by_form": awards_given_by_form(tables["awards_given"], plan),
        "activities_by_period": activities_by_period(tables["content_results"], plan),
        "content_self_assessment": content_self_assessment(tables["content_results"], plan),
    }
    out["quotes"] = narrative.quotes(out["impact_texts"], out["outstanding_results"], tables["assessments"], units)
    for name, frame in out.items():
        AGGREGATES[name].validate(frame)
    return out


# -- scopes -------------------------------------------------------------------------

def scopes(plan: Plan) -> list[tuple[str, str]]:
    """(scope_kind, scope) of every aggregate row group, in report order."""
    return ([(ScopeKind.TOWN.value, plan.total_label)]
            + [(ScopeKind.UNIT_GROUP.value, g) for g in plan.groups]
            + [(ScopeKind.UNIT_TYPE.value, t["label"]) for t in plan.unit_types])


def _in_scopes(rows: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Each row three times: once for the town, once for its group, once for its type."""
    parts = []
    for kind, column in ((ScopeKind.TOWN, None), (ScopeKind.UNIT_GROUP, "unit_group"), (ScopeKind.UNIT_TYPE, "unit_type")):
        part = rows.copy()
        part["scope_kind"] = kind.value
        part["scope"] = plan.total_label if column is None else rows[column].astype("str")
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def _grid(plan: Plan, keys: dict[str, list]) -> pd.DataFrame:
    """Every scope × every combination of the key values (the rows that must exist)."""
    names = SCOPE + list(keys)
    rows = [(*s, *k) for s, k in itertools.product(scopes(plan), itertools.product(*keys.values()))]
    return pd.DataFrame(rows, columns=names)


def _rollup(rows: pd.DataFrame, plan: Plan, keys: dict[str, list], measures: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """Sums/distinct counts of `rows` per scope and key, with zero rows for absent combinations.

    `measures`: output column -> (input column, "sum" | "nunique").
    """
    grid = _grid(plan, keys)
    by = SCOPE + list(keys)
    if len(rows):
        used = list(dict.fromkeys([*keys, *(col for col, _ in measures.values()), "unit_group", "unit_type"]))
        scoped = _in_scopes(rows[used], plan)   # only the columns summed: three copies of a whole table are heavy
        for key in keys:
            scoped[key] = scoped[key].astype(grid[key].dtype) if len(grid) else scoped[key]
        got = scoped.groupby(by, sort=False, dropna=False).agg(**{
            out: pd.NamedAgg(column=col, aggfunc=how) for out, (col, how) in measures.items()
        }).reset_index()
        frame = grid.merge(got, on=by, how="left")
    else:
        frame = grid.assign(**{out: 0 for out in measures})
    for out in measures:
        frame[out] = pd.to_numeric(frame[out]).fillna(0).astype("int64")
    return frame


def _columns(name: str) -> list[str]:
    """The aggregate's columns: scope first, then as its schema declares them."""
    declared = list(AGGREGATES[name].to_schema().columns)
    return [c for c in SCOPE if c in declared] + [c for c in declared if c not in SCOPE]


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    """num / den as float, blank (NaN) when den is 0."""
    den = den.astype("float64")
    return (num.astype("float64") / den.where(den > 0)).astype("float64")


# The columns of the content results that activity counts are summed over (the texts stay out of the copies).
_SUMMED = ["unit_code", "unit_group", "unit_type", "period_code", "content_area_code", "activities"]


def _with_all_periods(rows: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """The rows again under the pseudo-period "Cả giai đoạn", so each total is a plain sum."""
    whole = rows.copy()
    whole["period_code"] = ALL_PERIODS
    whole["period_label"] = plan.all_periods_label
    return pd.concat([rows, whole], ignore_index=True)


def _periods(plan: Plan) -> tuple[list[str], dict[str, str]]:
    codes = plan.codes("periods") + [ALL_PERIODS]
    labels = {str(p["code"]): str(p["label"]) for p in plan.items("periods")} | {ALL_PERIODS: plan.all_periods_label}
    return codes, labels


def _only_if(flag: pd.Series, values: pd.Series) -> pd.Series:
    """values where flag holds, else blank (for distinct counts of a subset)."""
    return values.where(flag.fillna(False).astype(bool))


# -- reporting ----------------------------------------------------------------------

def reporting(units: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Units expected, reported, on time, late, missing, rejected, and the reporting rate."""
    rows = units.assign(
        _one=1,
        _reported=units["is_reported"].fillna(False).astype(int),
        **{f"_{s}": units["status"].eq(s).astype(int) for s in SubmissionStatus},
    )
    frame = _rollup(rows, plan, {}, {
        "expected": ("_one", "sum"), "reported": ("_reported", "sum"), "on_time": ("_on_time", "sum"),
        "late": ("_late", "sum"), "date_unknown": ("_date_unknown", "sum"), "missing": ("_missing", "sum"),
        "rejected": ("_rejected", "sum"),
    })
    frame["reporting_rate"] = _ratio(frame["reported"], frame["expected"])
    return frame


def staff_registration(units: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Staff registered for the movement against the staff of the units that gave both figures (content 1 of the
    guidance asks about participation): each share has the same units above and below the line."""
    reported = units["is_reported"].fillna(False).astype(bool)
    both = reported & units["staff_total"].notna() & units["staff_registered"].notna()
    rows = units.assign(
        _reported=reported.astype(int), _with_both=both.astype(int),
        _staff=units["staff_total"].astype("Float64").where(both, 0).fillna(0),
        _registered=units["staff_registered"].astype("Float64").where(both, 0).fillna(0))
    frame = _rollup(rows, plan, {}, {
        "units_reported": ("_reported", "sum"), "units_with_figures": ("_with_both", "sum"),
        "staff_total": ("_staff", "sum"), "staff_registered": ("_registered", "sum")})
    frame["registered_share"] = _ratio(frame["staff_registered"], frame["staff_total"])
    return frame[_columns("staff_registration")]


# -- leadership -----------------------------------------------------------------------

def leadership_by_period(leadership: pd.DataFrame, units: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Documents, meetings, propaganda sessions and participants... per scope and period."""
    codes, labels = _periods(plan)
    indicators = leadership_indicators(plan)
    wide = leadership.pivot_table(index=["unit_code", "unit_type", "unit_group", "period_code"],
                                  columns="indicator_code", values="value", aggfunc="sum", observed=True)
    wide = wide.reindex(columns=indicators).fillna(0).reset_index()
    wide.columns.name = None
    # One row per unit for the whole period, so the staff of a unit counts once there.
    whole = wide.groupby(["unit_code", "unit_type", "unit_group"], as_index=False)[indicators].sum()
    whole["period_code"] = ALL_PERIODS
    rows = pd.concat([wide, whole], ignore_index=True)
    staff = units.set_index("unit_code")["staff_total"].astype("Float64").fillna(0)
    rows["staff_total"] = rows["unit_code"].map(staff).fillna(0)
    measures = {c: (c, "sum") for c in indicators}
    measures |= {"units_reporting": ("unit_code", "nunique"), "staff_total": ("staff_total", "sum")}
    frame = _rollup(rows, plan, {"period_code": codes}, measures)
    frame.insert(3, "period_label", frame["period_code"].map(labels))
    frame["participants_per_staff"] = _ratio(frame["propaganda_participants"], frame["staff_total"])
    return frame[_columns("leadership_by_period")]


# -- content areas ---------------------------------------------------------------------

def content_by_area(content: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Activities and reporting units per content area of the plan (each area of the config) and period."""
    codes, labels = _periods(plan)
    area_labels = dict(zip(plan.codes("content_areas"), plan.labels("content_areas")))
    rows = content[_SUMMED].assign(_told=narrative.has_text(content["outstanding_results"]))
    rows = _with_all_periods(rows, plan)
    rows["_active_unit"] = _only_if(rows["activities"] > 0, rows["unit_code"])
    rows["_telling_unit"] = _only_if(rows["_told"], rows["unit_code"])
    rows["activities"] = rows["activities"].fillna(0)
    frame = _rollup(rows, plan, {"period_code": codes, "content_area_code": plan.codes("content_areas")}, {
        "activities": ("activities", "sum"),
        "units_reporting": ("unit_code", "nunique"),
        "units_with_activities": ("_active_unit", "nunique"),
        "units_with_outstanding_results": ("_telling_unit", "nunique"),
    })
    frame["period_label"] = frame["period_code"].map(labels)
    frame["content_area_label"] = frame["content_area_code"].map(area_labels)
    return frame[_columns("content_by_area")]


# -- models ----------------------------------------------------------------------------

def _model_measures(models: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Per model: recognised by the competent level (criterion c), recognised at any level, replicated..."""
    return models.assign(
        _one=1,
        _recognised=rules.is_competent_recognition(models["recognition_rank"], plan).astype(int),
        _recognised_any=models["is_recognised"].fillna(False).astype(int),
        _replicated=models["is_replicated"].fillna(False).astype(int),
        _places=models["replication_places"].fillna(0).astype("int64"),
        _beneficiaries=models["beneficiaries"].fillna(0).astype("int64"),
    )


def models_summary(models: pd.DataFrame, units: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Models, recognised (competent level; any level), replicated, places and people reached, with shares."""
    rows = _model_measures(models, plan)
    frame = _rollup(rows, plan, {}, {
        "models": ("_one", "sum"), "recognised": ("_recognised", "sum"), "recognised_any": ("_recognised_any", "sum"),
        "replicated": ("_replicated", "sum"),
        "replication_places": ("_places", "sum"), "beneficiaries": ("_beneficiaries", "sum"),
        "units_with_models": ("unit_code", "nunique"),
    })
    reported = units.assign(
        _reported=units["is_reported"].fillna(False).astype(int),
        _without=(units["is_reported"].fillna(False).astype(bool) & ~units["unit_code"].isin(models["unit_code"])).astype(int),
    )
    counts = _rollup(reported, plan, {}, {"units_reported": ("_reported", "sum"),
                                          "units_without_models": ("_without", "sum")})
    frame = frame.merge(counts, on=SCOPE, how="left")
    frame["recognised_share"] = _ratio(frame["recognised"], frame["models"])
    frame["replicated_share"] = _ratio(frame["replicated"], frame["models"])
    return frame[_columns("models_summary")]


def _model_dimensions(plan: Plan, models: pd.DataFrame) -> dict[str, tuple[str, dict[str, str]]]:
    """dimension -> (column of the models table, code -> label of every category)."""
    years = sorted({int(p["year"]) for p in plan.items("periods")}
                   | {int(y) for y in models["start_year"].dropna()})
    return {
        "field": ("field_code", dict(zip(plan.codes("fields"), plan.labels("fields")))),
        "content_area": ("content_area_code", dict(zip(plan.codes("content_areas"), plan.labels("content_areas")))),
        "recognition": ("recognition_code", dict(zip(plan.codes("recognition_levels"), plan.labels("recognition_levels")))),
        "model_kind": ("model_kind_code", dict(zip(plan.codes("recipient_kinds"), plan.labels("recipient_kinds")))),
        "start_year": ("_start_year", {str(y): str(y) for y in years}),
    }


def models_by(models: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Models per field, content area, recognition level, collective/individual and start year."""
    rows = _model_measures(models, plan)
    rows["_start_year"] = rows["start_year"].astype("str")
    parts = []
    for dimension, (column, categories) in _model_dimensions(plan, models).items():
        part = _rollup(rows.assign(category_code=rows[column].astype("str")), plan,
                       {"category_code": list(categories)}, {
            "models": ("_one", "sum"), "recognised": ("_recognised", "sum"),
            "replicated": ("_replicated", "sum"), "replication_places": ("_places", "sum"),
        })
        part["dimension"] = dimension
        part["category_label"] = part["category_code"].map(categories)
        part["recognised_share"] = _ratio(part["recognised"], part["models"])
        part["replicated_share"] = _ratio(part["replicated"], part["models"])
        parts.append(part)
    frame = pd.concat(parts, ignore_index=True)
    return frame[_columns("models_by")]


def _unit_list(units: pd.DataFrame, mask: pd.Series) -> pd.DataFrame:
    cols = ["unit_code", "unit_name", "unit_type", "unit_group"]
    return units.loc[mask, cols].reset_index(drop=True).astype("str")


def units_without_models(models: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Reported units with no valid model row (a unit whose model rows all had errors is listed too)."""
    mask = units["is_reported"].fillna(False).astype(bool) & ~units["unit_code"].isin(models["unit_code"])
    return _unit_list(units, mask)


# -- classification ---------------------------------------------------------------------

def classification_levels(classification: pd.DataFrame, units: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Units per classification level, year and scope; reported units without a valid level count as MISSING."""
    years = plan.classification_years
    level_codes = plan.codes("classification_levels") + [NO_LEVEL]
    level_labels = dict(zip(plan.codes("classification_levels"), plan.labels("classification_levels")))
    level_labels[NO_LEVEL] = plan.no_level_label
    reported = units[units["is_reported"].fillna(False).astype(bool)][["unit_code", "unit_type", "unit_group"]]
    per_year = reported.merge(pd.DataFrame({"classification_year": years}), how="cross")
    known = classification[["unit_code", "classification_year", "level_code"]].astype({"classification_year": "int64"})
    rows = per_year.merge(known, on=["unit_code", "classification_year"], how="outer")
    # A level from a unit outside the reported list still counts (never drop a validated row).
    missing_meta = rows["unit_type"].isna()
    if missing_meta.any():
        meta = units.set_index("unit_code")
        rows.loc[missing_meta, "unit_type"] = rows.loc[missing_meta, "unit_code"].map(meta["unit_type"])
        rows.loc[missing_meta, "unit_group"] = rows.loc[missing_meta, "unit_code"].map(meta["unit_group"])
    rows["level_code"] = rows["level_code"].fillna(NO_LEVEL).astype("str")
    rows = rows[rows["classification_year"].isin(years)]
    frame = _rollup(rows, plan, {"classification_year": years, "level_code": level_codes},
                    {"units": ("unit_code", "nunique")})
    frame["level_label"] = frame["level_code"].map(level_labels)
    frame["classification_year"] = frame["classification_year"].astype("int64")
    return frame[_columns("classification_levels")]


def units_htxs_every_year(classification: pd.DataFrame, units: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Units whose level is the required one (HTXS) in every classification year of the review."""
    required = plan.awards["required_classification_level"]
    years = set(plan.classification_years)
    top = classification[classification["level_code"].eq(required)]
    top_years = top.groupby("unit_code")["classification_year"].apply(lambda s: set(int(y) for y in s))
    codes = {code for code, got in top_years.items() if years <= got}
    return _unit_list(units, units["unit_code"].isin(codes))


# -- awards given -----------------------------------------------------------------------

def awards_given_by_form(awards: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Collectives and individuals commended by the units themselves, per form and period."""
    codes, labels = _periods(plan)
    form_labels = dict(zip(plan.codes("own_award_forms"), plan.labels("own_award_forms")))
    rows = _with_all_periods(awards, plan)
    count = rows["count"].fillna(0).astype("int64")
    rows["_collectives"] = count.where(rows["recipient_kind_code"].eq(RecipientKind.COLLECTIVE), 0)
    rows["_individuals"] = count.where(rows["recipient_kind_code"].eq(RecipientKind.INDIVIDUAL), 0)
    rows["_total"] = count
    rows["_giving_unit"] = _only_if(rows["count"].notna(), rows["unit_code"])   # a figure typed, 0 included
    frame = _rollup(rows, plan, {"period_code": codes, "award_form_code": plan.codes("own_award_forms")}, {
        "collectives": ("_collectives", "sum"), "individuals": ("_individuals", "sum"), "total": ("_total", "sum"),
        "units_reporting": ("_giving_unit", "nunique"),
    })
    frame["period_label"] = frame["period_code"].map(labels)
    frame["award_form_label"] = frame["award_form_code"].map(form_labels)
    return frame[_columns("awards_given_by_form")]


# -- all content areas, self-assessment ---------------------------------------------------

def activities_by_period(content: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Activities of every content area together, per scope and period (the total row of the content table)."""
    codes, labels = _periods(plan)
    rows = _with_all_periods(content[_SUMMED], plan)
    rows["activities"] = rows["activities"].fillna(0)
    frame = _rollup(rows, plan, {"period_code": codes}, {
        "activities": ("activities", "sum"), "units_reporting": ("unit_code", "nunique"),
    })
    frame["period_label"] = frame["period_code"].map(labels)
    return frame[_columns("activities_by_period")]


def content_self_assessment(content: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Units choosing each self-assessment level for a content area in at least one period."""
    areas = dict(zip(plan.codes("content_areas"), plan.labels("content_areas")))
    levels = dict(zip(plan.codes("self_assessment_levels"), plan.labels("self_assessment_levels")))
    rows = content[content["self_assessment_code"].notna()].rename(columns={"self_assessment_code": "level_code"})
    frame = _rollup(rows, plan, {"content_area_code": list(areas), "level_code": list(levels)},
                    {"units": ("unit_code", "nunique")})
    frame["content_area_label"] = frame["content_area_code"].map(areas)
    frame["level_label"] = frame["level_code"].map(levels)
    return frame[_columns("content_self_assessment")]
