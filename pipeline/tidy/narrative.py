"""Stage 4, content 3 of section II and the units' own words: impact figures by scope, and the texts to quote.

`impact_summary` gives, for every numeric field of sheet 6 (the schema says which), the units that reported
it, the mean, lowest and highest value of the units and their sum, per scope (town, group, unit type).
`impact_texts` and `outstanding_results` are the texts the units wrote (sheet 6, and the "Kết quả nổi bật"
column of sheet 3), each with its unit, in report order, so publishing only quotes them.
"""
from __future__ import annotations

import pandas as pd

from pipeline.config import Plan
from schemas.fields import DECIMAL, INT, TEXT

SCOPE = ["scope_kind", "scope"]


def impact_indicators(plan: Plan) -> list[tuple[str, str, bool]]:
    """(column, header, is_percent) of every numeric field of sheet 6, in template order."""
    return [(c.name, c.header, bool(c.percent)) for c in plan.sheet("impact").columns if c.kind in (INT, DECIMAL)]


def impact_topics(plan: Plan) -> list[tuple[str, str]]:
    """(column, header) of every text field of sheet 6, in template order."""
    return [(c.name, c.header) for c in plan.sheet("impact").columns if c.kind == TEXT]


def impact_summary(impact: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Units reporting, mean, min, max and sum of each numeric impact field, per scope."""
    from pipeline.tidy.aggregate import _in_scopes, scopes

    indicators = impact_indicators(plan)
    codes = [code for code, _, _ in indicators]
    long = impact.melt(id_vars=["unit_code", "unit_type", "unit_group"], value_vars=codes,
                       var_name="indicator_code", value_name="value")
    long["value"] = pd.to_numeric(long["value"], errors="coerce").astype("float64")
    long = long[long["value"].notna()]
    grid = pd.DataFrame([(*s, code) for s in scopes(plan) for code in codes], columns=[*SCOPE, "indicator_code"])
    if len(long):
        stats = _in_scopes(long, plan).groupby([*SCOPE, "indicator_code"], sort=False)["value"].agg(
            units_reporting="count", mean="mean", min="min", max="max", total="sum").reset_index()
        frame = grid.merge(stats, on=[*SCOPE, "indicator_code"], how="left")
    else:
        frame = grid.assign(units_reporting=0, mean=float("nan"), min=float("nan"), max=float("nan"), total=0.0)
    labels = {code: header for code, header, _ in indicators}
    percent = {code: is_pct for code, _, is_pct in indicators}
    frame["indicator_label"] = frame["indicator_code"].map(labels)
    frame["is_percent"] = frame["indicator_code"].map(percent).astype(bool)
    frame["units_reporting"] = frame["units_reporting"].fillna(0).astype("int64")
    for col in ("mean", "min", "max"):
        # kept whole (only float noise rounded off): publishing rounds once, to what it shows; rounded here first,
        # a mean of 97.3545 was shown as 97,3, not 97,4
        frame[col] = frame[col].astype("float64").round(9)
    frame["total"] = frame["total"].fillna(0).astype("float64").round(9)
    return frame[[*SCOPE, "indicator_code", "indicator_label", "is_percent", "units_reporting", "mean", "min", "max",
                  "total"]]


def _unit_order(units: pd.DataFrame) -> dict[str, int]:
    return {code: i for i, code in enumerate(units["unit_code"])}


def impact_texts(impact: pd.DataFrame, units: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Every text of sheet 6 with its unit: topic by topic, units in registry order; blanks left out."""
    names = dict(zip(units["unit_code"], units["unit_name"]))
    order = _unit_order(units)
    rows = []
    for i, (code, header) in enumerate(impact_topics(plan)):
        for r in impact[["unit_code", "unit_group", code]].itertuples(index=False):
            text = r[2]
            if isinstance(text, str) and text.strip():
                rows.append({"topic_code": code, "topic_label": header, "unit_code": r[0],
                             "unit_name": names.get(r[0], r[0]), "unit_group": r[1], "text": text.strip(),
                             "_o": (i, order.get(r[0], len(order)))})
    frame = pd.DataFrame(rows, columns=["topic_code", "topic_label", "unit_code", "unit_name", "unit_group", "text",
                                        "_o"])
    frame = frame.sort_values("_o", kind="stable").drop(columns="_o").reset_index(drop=True)
    return frame.astype("str")


def outstanding_results(content: pd.DataFrame, units: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """The "Kết quả nổi bật" of sheet 3: content area, then period, then units in registry order; blanks left out."""
    names = dict(zip(units["unit_code"], units["unit_name"]))
    area_order = {c: i for i, c in enumerate(plan.codes("content_areas"))}
    period_order = {c: i for i, c in enumerate(plan.codes("periods"))}
    unit_order = _unit_order(units)
    text = content["outstanding_results"]
    told = has_text(text)
    keep = content.loc[told, ["content_area_code", "content_area_label", "period_code", "period_label", "unit_code",
                              "unit_group", "outstanding_results"]]
    keep = keep.assign(text=keep["outstanding_results"].astype("str").str.strip())
    keep["unit_name"] = keep["unit_code"].map(names).fillna(keep["unit_code"])
    order = pd.DataFrame({"a": keep["content_area_code"].map(area_order).to_numpy(),
                          "p": keep["period_code"].map(period_order).to_numpy(),
                          "u": keep["unit_code"].map(unit_order).fillna(len(unit_order)).to_numpy()})
    columns = ["content_area_code", "content_area_label", "period_code", "period_label", "unit_code", "unit_name",
               "unit_group", "text"]
    frame = keep.iloc[order.sort_values(["a", "p", "u"], kind="stable").index][columns].reset_index(drop=True)
    return frame.astype("str")


def assessment_texts(assessments: pd.DataFrame, units: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """The units' own assessment (content 4 of the guidance: achievements, shortcomings, causes, lessons,
    recommendations): topic by topic in the plan's order, units in registry order; blanks left out."""
    names = dict(zip(units["unit_code"], units["unit_name"]))
    groups = dict(zip(units["unit_code"], units["unit_group"]))
    topic_order = {c: i for i, c in enumerate(plan.codes("assessment_topics"))}
    unit_order = _unit_order(units)
    keep = assessments[has_text(assessments["text"])]
    frame = pd.DataFrame({
        "topic_code": keep["topic_code"], "topic_label": keep["topic_label"], "unit_code": keep["unit_code"],
        "unit_name": keep["unit_code"].map(names).fillna(keep["unit_code"]),
        "unit_group": keep["unit_code"].map(groups).fillna(""), "text": keep["text"].astype("str").str.strip(),
        "_t": keep["topic_code"].map(topic_order).fillna(len(topic_order)),
        "_u": keep["unit_code"].map(unit_order).fillna(len(unit_order))})
    frame = frame.sort_values(["_t", "_u"], kind="stable").drop(columns=["_t", "_u"]).reset_index(drop=True)
    return frame.astype("str")


def has_text(texts: pd.Series) -> pd.Series:
    """Whether each cell holds a character other than spaces (tested without a stripped copy of every text)."""
    return texts.notna() & texts.astype("str").str.contains(r"\S", regex=True, na=False)


def quotes(impact_text: pd.DataFrame, outstanding: pd.DataFrame, assessments: pd.DataFrame,
           units: pd.DataFrame) -> pd.DataFrame:
    """The texts to quote in the draft report: identical texts of several units merged into one quote naming
    them all; within a topic, the quotes shared by most units first, then in the order the units were listed."""
    names = dict(zip(units["unit_code"], units["unit_name"]))
    order = _unit_order(units)
    assessments = assessments.assign(_u=assessments["unit_code"].map(order)).sort_values("_u", kind="stable")
    parts = [
        outstanding.rename(columns={"content_area_code": "topic_code", "content_area_label": "topic_label"})
        .assign(source="outstanding"),
        impact_text.assign(source="impact"),
        assessments.assign(source="assessment", unit_name=assessments["unit_code"].map(names).fillna(
            assessments["unit_code"])),
    ]
    columns = ["source", "topic_code", "topic_label", "text", "unit_name"]
    rows = pd.concat([p[columns] for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) \
        else pd.DataFrame(columns=columns)
    rows = rows[has_text(rows["text"])].astype({"unit_name": object})  # joined below
    rows["_first"] = range(len(rows))
    merged = rows.groupby(["source", "topic_code", "topic_label", "text"], sort=False).agg(
        unit_names=("unit_name", lambda s: "; ".join(dict.fromkeys(s))), units=("unit_name", "nunique"),
        _first=("_first", "min")).reset_index()
    merged = merged.sort_values(["source", "topic_code", "units", "_first"], ascending=[True, True, False, True],
                                kind="stable")
    merged["order"] = merged.groupby(["source", "topic_code"], sort=False).cumcount() + 1
    merged["units"] = merged["units"].astype("int64")
    merged["order"] = merged["order"].astype("int64")
    out = merged[["source", "topic_code", "topic_label", "order", "text", "unit_names", "units"]]
    return out.reset_index(drop=True).astype({c: "str" for c in ("source", "topic_code", "topic_label", "text",
                                                                  "unit_names")})
