"""The report's tables, formatted once from the aggregates for every output.

Each `Section` is a display table with Vietnamese headers: the summary
workbook, the HTML tables, report.html and the draft report all print these
same tables, so their figures cannot disagree. Nothing here groups or counts:
every number is read from an aggregate (pipeline.tidy) and only reshaped.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from pipeline.config import Plan
from pipeline.text import vn_figure
from pipeline import messages as msg
from pipeline.publish.wording import H, KEY_FIGURES, LEVEL_RANK, NEAR_TIE, NOT_APPLICABLE, NO, RANKING_RULES, RANKING_TERMS, \
    RANKING_TERMS_LABEL, SECTION_NOTES, SECTION_TITLES, SOURCE_CELL, WEIGHTS_STATUS, YES, fill, headers
from pipeline.tidy.results import Results
from pipeline.tidy.tables import leadership_indicators
from schemas.codes import ALL_PERIODS, NO_LEVEL, ScopeKind, Severity, SubmissionStatus, Verdict
from schemas.tables import TABLES

STATUS_COLUMNS = [("on_time", SubmissionStatus.ON_TIME), ("late", SubmissionStatus.LATE),
                  ("date_unknown", SubmissionStatus.DATE_UNKNOWN), ("missing", SubmissionStatus.MISSING),
                  ("rejected", SubmissionStatus.REJECTED)]


@dataclass
class Section:
    key: str
    title: str
    df: pd.DataFrame
    number_columns: list[str] = field(default_factory=list)
    percent_columns: list[str] = field(default_factory=list)
    note: str = ""
    total_rows: int = 0          # how many rows at the bottom are totals (printed in bold)
    print_columns: int = 0       # a wide list prints only its first columns (0: all); the rest are for the screen
    audit_columns: list[str] = field(default_factory=list)   # where a row came from: never printed


def sections(results: Results, plan: Plan) -> dict[str, Section]:
    """Every table of the report, in report order."""
    aggs = results.aggregates
    out = {
        "overview": overview(results, plan),
        "reporting": reporting(aggs, plan),
        "reporting_units": reporting_units(results.tables["units"], plan),
        "staff": staff(aggs, plan),
        "leadership": leadership(aggs, plan),
        "content": content(aggs, plan),
        "outstanding": outstanding(aggs),
        "models_field": models_by(aggs, plan, "field", H["field"], with_shares=True),
        "models_recognition": models_by(aggs, plan, "recognition", H["recognition"], with_shares=False),
        "models_list": models_list(results.tables["models"], results.tables["units"]),
        "classification": classification(aggs, plan),
        "impact": impact(aggs, plan),
        "impact_texts": impact_texts(aggs),
        "assessment_texts": assessment_texts(aggs),
        "awards_given": awards_given(aggs, plan),
        "proposals": proposals(results.proposals, plan),
        "ranking": ranking(results.ranking, plan),
        "ranking_weights": ranking_weights(plan),
        "verdicts": verdicts(results.verdicts),
        "plausibility": plausibility(aggs, plan),
        "issues": issues(results.checked.issues, results.tables["units"]),
    }
    from pipeline.publish.sections_dossier import dossiers   # the award dossier's tables (issue 29)

    out["dossiers"] = dossiers(results.dossiers, plan)
    return out


# -- helpers -------------------------------------------------------------------------------

def _scoped(frame: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """The rows of each unit group, then the whole town, in report order."""
    keep = frame[frame["scope_kind"].isin([ScopeKind.UNIT_GROUP, ScopeKind.TOWN])]
    order = {g: i for i, g in enumerate([*plan.groups, plan.total_label])}
    return keep.assign(_o=keep["scope"].map(order)).sort_values("_o", kind="stable").drop(columns="_o")


def _town(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["scope_kind"] == ScopeKind.TOWN]


def _pct(share: pd.Series) -> pd.Series:
    """A 0–1 share as a percentage with one decimal (blank when there is nothing to divide)."""
    return (share.astype("float64") * 100).round(1)


def base(n, of) -> str:
    """How many units a figure stands on, as "27/28": n units with data of the N that reported."""
    return f"{int(n)}/{int(of)}"


def _reported(aggs: dict) -> pd.Series:
    """Units reported, by scope (the N of every "n/N")."""
    return aggs["reporting"].set_index("scope")["reported"]


def partial_periods(plan: Plan) -> dict[str, int]:
    """label -> months of each period that does not cover a whole year ("6 tháng đầu năm 2023": 6)."""
    out = {}
    for p in plan.items("periods"):
        first, last = map(int, p.get("months", (1, 12)))
        if (first, last) != (1, 12):
            out[str(p["label"])] = last - first + 1
    return out


def period_note(plan: Plan) -> str:
    """The note under a table by period: what each figure stands on, and the periods that are not whole years."""
    parts = [SECTION_NOTES["base"]]
    parts += [SECTION_NOTES["partial_period"].format(label=label, months=months)
              for label, months in partial_periods(plan).items()]
    return " ".join(parts)


# -- sections ------------------------------------------------------------------------------

def overview(results: Results, plan: Plan) -> Section:
    df = pd.DataFrame({H["figure"]: [fill(label, plan) for label in KEY_FIGURES.values()],
                       H["value"]: [results.figure(k) for k in KEY_FIGURES]})
    return Section("overview", SECTION_TITLES["overview"], df, [H["value"]])


def reporting(aggs: dict, plan: Plan) -> Section:
    rep = _scoped(aggs["reporting"], plan)
    counts = ["registry", "reported", *[k for k, _ in STATUS_COLUMNS]]
    df = pd.DataFrame({H["group"]: rep["scope"], H["registry"]: rep["expected"], H["reported"]: rep["reported"],
                       **{H[k]: rep[k] for k, _ in STATUS_COLUMNS}, H["rate"]: _pct(rep["reporting_rate"])})
    return Section("reporting", SECTION_TITLES["reporting"], df.reset_index(drop=True), [H[c] for c in counts],
                   [H["rate"]], total_rows=1)


def reporting_units(units: pd.DataFrame, plan: Plan) -> Section:
    labels = SubmissionStatus.labels()
    df = pd.DataFrame({
        H["stt"]: range(1, len(units) + 1), H["unit"]: units["unit_name"], H["type"]: units["unit_type"],
        H["group"]: units["unit_group"], H["status"]: units["status"].map(labels),
        H["date"]: pd.to_datetime(units["report_date"]).dt.strftime("%d/%m/%Y").fillna(""),
        H["file"]: units["source_file"].fillna(""),
    })
    return Section("reporting_units", SECTION_TITLES["reporting_units"], df.reset_index(drop=True), [H["stt"]],
                   audit_columns=[H["file"]], note=msg.ON_TIME_RULE.format(deadline=msg.deadline_phrase(plan)))


def staff(aggs: dict, plan: Plan) -> Section:
    """Staff registered for the movement, by group and for the town, with the units each share stands on."""
    st = _scoped(aggs["staff_registration"], plan)
    df = pd.DataFrame({H["group"]: st["scope"],
                       H["units_base"]: [base(n, of) for n, of in zip(st["units_with_figures"], st["units_reported"])],
                       H["staff_total"]: st["staff_total"], H["staff_registered"]: st["staff_registered"],
                       H["registered_pct"]: _pct(st["registered_share"])})
    return Section("staff", SECTION_TITLES["staff"], df.reset_index(drop=True),
                   [H["staff_total"], H["staff_registered"]], [H["registered_pct"]], total_rows=1,
                   note=SECTION_NOTES["base"])


def leadership(aggs: dict, plan: Plan) -> Section:
    lead = aggs["leadership_by_period"]
    reported = _reported(aggs)
    indicators = leadership_indicators(plan)
    rows = []
    for code, label in zip(plan.codes("periods"), plan.labels("periods")):
        for _, r in _scoped(lead[lead["period_code"] == code], plan).iterrows():
            rows.append({H["period"]: label, H["group"]: r["scope"],
                         H["units_base"]: base(r["units_reporting"], reported[r["scope"]]),
                         **{H[c]: r[c] for c in indicators}})
    total = _town(lead[lead["period_code"] == ALL_PERIODS]).iloc[0]
    rows.append({H["period"]: H["total"], H["group"]: plan.total_label,
                 H["units_base"]: base(total["units_reporting"], reported[plan.total_label]),
                 **{H[c]: total[c] for c in indicators}})
    return Section("leadership", SECTION_TITLES["leadership"], pd.DataFrame(rows),
                   [H[c] for c in indicators], total_rows=1, note=period_note(plan))


def content(aggs: dict, plan: Plan) -> Section:
    by_area = _town(aggs["content_by_area"]).pivot(index="content_area_code", columns="period_code", values="activities")
    totals = _town(aggs["activities_by_period"]).set_index("period_code")["activities"]
    good_level = plan.codes("self_assessment_levels")[0]
    sa = _town(aggs["content_self_assessment"])
    good = sa[sa["level_code"] == good_level].set_index("content_area_code")["units"]
    units = _town(aggs["activities_by_period"]).set_index("period_code")["units_reporting"]
    reported = _reported(aggs)[plan.total_label]
    # each period's column says how many units its figures stand on: "Năm 2020 (27/28 đơn vị)"
    periods = [(p, f"{label} ({base(units[p], reported)} đơn vị)")
               for p, label in zip(plan.codes("periods"), plan.labels("periods"))]
    total_header = H["total"]      # the whole review: units with data in any period, said in the note
    rows = [{H["content_area"]: label, **{p_label: by_area.at[code, p] for p, p_label in periods},
             total_header: by_area.at[code, ALL_PERIODS], H["units_good"]: good.get(code, 0)}
            for code, label in zip(plan.codes("content_areas"), plan.labels("content_areas"))]
    rows.append({H["content_area"]: plan.total_label, **{p_label: totals[p] for p, p_label in periods},
                 total_header: totals[ALL_PERIODS], H["units_good"]: None})
    numbers = [label for _, label in periods] + [total_header, H["units_good"]]
    whole = SECTION_NOTES["whole_review"].format(base=base(units[ALL_PERIODS], reported))
    return Section("content", SECTION_TITLES["content"], pd.DataFrame(rows), numbers, total_rows=1,
                   note=f"{period_note(plan)} {whole}")


def models_by(aggs: dict, plan: Plan, dimension: str, header: str, with_shares: bool) -> Section:
    """Models per category of one dimension (rows) and unit group (columns), with the whole-town figures."""
    h = headers(plan)
    mb = aggs["models_by"]
    mb = mb[mb["dimension"] == dimension]
    summary = aggs["models_summary"]
    groups = plan.groups
    rows = []
    for code, label in dict(zip(mb["category_code"], mb["category_label"])).items():
        cat = mb[mb["category_code"] == code].set_index("scope")
        rows.append({header: label, **{g: cat.at[g, "models"] for g in groups},
                     **_model_measures(cat.loc[plan.total_label], with_shares, h)})
    sums = summary.set_index("scope")
    rows.append({header: plan.total_label, **{g: sums.at[g, "models"] for g in groups},
                 **_model_measures(sums.loc[plan.total_label], with_shares, h)})
    numbers = [*groups, h["models"], h["recognised"], h["replicated"]]
    percents = [h["recognised_pct"], h["replicated_pct"]] if with_shares else []
    key = "models_field" if dimension == "field" else "models_recognition"
    return Section(key, SECTION_TITLES[key], pd.DataFrame(rows), numbers, percents, total_rows=1,
                   note=fill(SECTION_NOTES["competent"], plan))


def _model_measures(row: pd.Series, with_shares: bool, h: dict) -> dict:
    out = {h["models"]: row["models"], h["recognised"]: row["recognised"], h["replicated"]: row["replicated"]}
    if with_shares:
        out |= {h["recognised_pct"]: _pct(pd.Series([row["recognised_share"]])).iloc[0],
                h["replicated_pct"]: _pct(pd.Series([row["replicated_share"]])).iloc[0]}
    return out


# Columns of the models table printed in the list under their own headers, or deliberately left out
# (codes, ranks and flags repeat what the labels say); any other column is printed with its schema description.
MODEL_LIST_HANDLED = {
    "unit_code", "unit_type", "unit_group", "model_id", "model_name", "field_code", "field_label", "content_area_code",
    "content_area_label", "model_kind_code", "model_kind_label", "implementer", "start_year", "recognition_code",
    "recognition_label", "recognition_rank", "recognition_doc", "recognition_date", "is_recognised",
    "has_recognition_doc", "is_replicated", "replication_places", "beneficiaries", "effect", "source_file", "sheet",
    "excel_row",
}


def models_list(models: pd.DataFrame, units: pd.DataFrame) -> Section:
    """Every model: the columns worth printing first, then those for the screen, then where each row came from."""
    names = dict(zip(units["unit_code"], units["unit_name"]))
    schema = TABLES["models"].to_schema().columns
    extra = {schema[c].description: models[c] for c in schema if c not in MODEL_LIST_HANDLED}
    printed = {
        H["stt"]: range(1, len(models) + 1), H["unit"]: models["unit_code"].map(names),
        H["model_name"]: models["model_name"], H["field"]: models["field_label"],
        H["recognition"]: models["recognition_label"],
        H["recognition_doc"]: models["recognition_doc"].fillna(""),
        H["recognition_date"]: pd.to_datetime(models["recognition_date"]).dt.strftime("%d/%m/%Y").fillna(""),
        H["replicated"]: models["is_replicated"].map(lambda v: YES if bool(v) else NO),
        H["places"]: models["replication_places"], H["beneficiaries"]: models["beneficiaries"],
        H["effect"]: models["effect"],
    }
    df = pd.DataFrame({
        **printed, H["group"]: models["unit_group"], H["content_area"]: models["content_area_label"],
        H["kind"]: models["model_kind_label"], H["implementer"]: models["implementer"],
        H["start_year"]: models["start_year"], **extra,
        H["source"]: [SOURCE_CELL.format(file=f, sheet=s, row=r) for f, s, r in zip(models["source_file"],
                                                                                     models["sheet"], models["excel_row"])],
    })
    return Section("models_list", SECTION_TITLES["models_list"], df.reset_index(drop=True),
                   [H["stt"], H["places"], H["beneficiaries"]], print_columns=len(printed),
                   audit_columns=[H["source"]])


def classification(aggs: dict, plan: Plan) -> Section:
    cl = _town(aggs["classification_levels"])
    years = [str(y) for y in plan.classification_years]
    levels = list(zip(plan.codes("classification_levels") + [NO_LEVEL],
                      plan.labels("classification_levels") + [plan.no_level_label]))
    grid = cl.pivot(index="level_code", columns="classification_year", values="units")
    rows = [{H["level"]: label, **{y: grid.at[code, int(y)] for y in years}} for code, label in levels]
    reported = _town(aggs["reporting"]).iloc[0]["reported"]
    rows.append({H["level"]: plan.total_label, **{y: reported for y in years}})
    return Section("classification", SECTION_TITLES["classification"], pd.DataFrame(rows), years, total_rows=1)


def awards_given(aggs: dict, plan: Plan) -> Section:
    ag = _town(aggs["awards_given_by_form"])
    reported = _reported(aggs)[plan.total_label]
    periods = [*zip(plan.codes("periods"), plan.labels("periods")), (ALL_PERIODS, plan.all_periods_label)]
    rows = [{H["period"]: p_label, H["award_form"]: r["award_form_label"],
             H["units_base"]: base(r["units_reporting"], reported), H["collectives"]: r["collectives"],
             H["individuals"]: r["individuals"]}
            for code, p_label in periods for _, r in ag[ag["period_code"] == code].iterrows()]
    n_forms = len(plan.codes("own_award_forms"))
    return Section("awards_given", SECTION_TITLES["awards_given"], pd.DataFrame(rows),
                   [H["collectives"], H["individuals"]], total_rows=n_forms, note=period_note(plan))


def proposals(summary: pd.DataFrame, plan: Plan) -> Section:
    """Each proposal with every criterion's verdict and what they add up to: "đạt các tiêu chí kiểm tra được từ
    số liệu" while a criterion rests on the unit's word, never "đủ tiêu chuẩn"."""
    labels = Verdict.labels()

    def verdict(col: pd.Series) -> pd.Series:
        return col.map(lambda v: labels.get(v, NOT_APPLICABLE) if isinstance(v, str) and v else NOT_APPLICABLE)

    df = pd.DataFrame({
        H["stt"]: range(1, len(summary) + 1), H["unit"]: summary["unit_name"], H["nominee"]: summary["nominee_name"],
        H["kind"]: summary["recipient_kind_label"], **{H[c]: verdict(summary[c]) for c in ("crit_a", "crit_b",
                                                                                           "crit_c", "crit_d")},
        H["conclusion"]: summary["conclusion_label"], H["conclusion_text"]: summary["conclusion_text"],
        H["reasons"]: summary["reasons"],
    })
    return Section("proposals", fill(SECTION_TITLES["proposals"], plan), df.reset_index(drop=True), [H["stt"]],
                   note=SECTION_NOTES["proposals"], print_columns=list(df.columns).index(H["conclusion"]) + 1)


def verdicts(found: pd.DataFrame) -> Section:
    """Every criterion of every proposal with its evidence (the internal note prints it)."""
    df = pd.DataFrame({H["unit"]: found["unit_name"], H["nominee"]: found["nominee_name"],
                       H["criterion"]: found["criterion"] + ". " + found["criterion_label"],
                       H["verdict"]: found["verdict_label"], H["evidence"]: found["evidence"]})
    return Section("verdicts", SECTION_TITLES["verdicts"], df.reset_index(drop=True))


def _ranking_note(plan: Plan) -> str:
    confirmed = bool(plan.awards["ranking"].get("weights_confirmed", False))
    return fill(SECTION_NOTES["ranking_confirmed" if confirmed else "ranking_default"], plan)


def ranking(rank: pd.DataFrame, plan: Plan) -> Section:
    """The suggested ranking, term by term (ties share a rank)."""
    level = {g: ", ".join(str(r) for r in rank.loc[rank["tie_group"] == g, "rank"]) for g in rank["tie_group"]}
    df = pd.DataFrame({H["rank"]: rank["rank"], H["unit"]: rank["unit_name"], H["nominee"]: rank["nominee_name"],
                       **{RANKING_TERMS_LABEL[c]: rank[c] for c in ("model_name", "recognition_label", *RANKING_TERMS)},
                       H["points"]: rank["score_total"],
                       H["level_with"]: [NEAR_TIE.format(ranks=level[g]) if is_level else ""
                                         for g, is_level in zip(rank["tie_group"], rank["is_level"])]})
    points = [RANKING_TERMS_LABEL[c] for c in RANKING_TERMS] + [H["points"]]
    return Section("ranking", fill(SECTION_TITLES["ranking"], plan), df.reset_index(drop=True), [H["rank"]], points,
                   note=_ranking_note(plan))


def ranking_weights(plan: Plan) -> Section:
    """The weights of [awards.ranking] as configured, and whether anyone confirmed them (nothing counted here)."""
    cfg = plan.awards["ranking"]
    status = WEIGHTS_STATUS[bool(cfg.get("weights_confirmed", False))]
    levels = "; ".join(LEVEL_RANK.format(label=i["label"], rank=i["rank"]) for i in plan.items("recognition_levels")
                       if int(i["rank"]) > 0)
    df = pd.DataFrame({H["term"]: [RANKING_TERMS_LABEL[t] for t in RANKING_TERMS],
                       H["rule_text"]: [RANKING_RULES[t].format(levels=levels, **cfg) for t in RANKING_TERMS],
                       H["weight_status"]: [status] * len(RANKING_TERMS)})
    return Section("ranking_weights", SECTION_TITLES["ranking_weights"], df)


def _stat(v) -> float | None:
    return None if pd.isna(v) else float(v)


def impact(aggs: dict, plan: Plan) -> Section:
    """Each numeric field of sheet 6 by group and for the town: units reporting, mean, lowest, highest, sum."""
    summary = _scoped(aggs["impact_summary"], plan)
    rows = []
    for code in dict.fromkeys(summary["indicator_code"]):
        for _, r in summary[summary["indicator_code"] == code].iterrows():
            pct = bool(r["is_percent"])
            rows.append({H["impact_indicator"]: r["indicator_label"], H["group"]: r["scope"],
                         H["units_reporting"]: r["units_reporting"], H["mean"]: _stat(r["mean"]),
                         H["min"]: _stat(r["min"]), H["max"]: _stat(r["max"]),
                         H["sum"]: None if pct else _stat(r["total"])})
    df = pd.DataFrame(rows, columns=[H[k] for k in ("impact_indicator", "group", "units_reporting", "mean", "min",
                                                    "max", "sum")])
    return Section("impact", SECTION_TITLES["impact"], df, [H["units_reporting"], H["sum"]],
                   [H["mean"], H["min"], H["max"]], note=SECTION_NOTES["impact"])


def impact_texts(aggs: dict) -> Section:
    texts = aggs["impact_texts"]
    df = pd.DataFrame({H["stt"]: range(1, len(texts) + 1), H["topic"]: texts["topic_label"],
                       H["unit"]: texts["unit_name"], H["text"]: texts["text"]})
    return Section("impact_texts", SECTION_TITLES["impact_texts"], df.reset_index(drop=True), [H["stt"]])


def assessment_texts(aggs: dict) -> Section:
    """The units' own assessment, word for word (content 4 of the guidance)."""
    texts = aggs["assessment_texts"]
    df = pd.DataFrame({H["stt"]: range(1, len(texts) + 1), H["topic"]: texts["topic_label"],
                       H["unit"]: texts["unit_name"], H["text"]: texts["text"]})
    return Section("assessment_texts", SECTION_TITLES["assessment_texts"], df.reset_index(drop=True), [H["stt"]])


def outstanding(aggs: dict) -> Section:
    found = aggs["outstanding_results"]
    df = pd.DataFrame({H["stt"]: range(1, len(found) + 1), H["content_area"]: found["content_area_label"],
                       H["period"]: found["period_label"], H["unit"]: found["unit_name"],
                       H["outstanding"]: found["text"]})
    return Section("outstanding", SECTION_TITLES["outstanding"], df.reset_index(drop=True), [H["stt"]])


def issues(found: pd.DataFrame, units: pd.DataFrame) -> Section:
    names = dict(zip(units["unit_code"], units["unit_name"]))
    df = pd.DataFrame({
        H["stt"]: range(1, len(found) + 1), H["unit"]: found["unit_code"].map(names).fillna(found["unit_code"]),
        H["file"]: found["file"], H["sheet"]: found["sheet"], H["cell"]: found["cell"],
        H["severity"]: found["severity"].map(Severity.labels()), H["message"]: found["message"],
    })
    return Section("issues", SECTION_TITLES["issues"], df.reset_index(drop=True), [H["stt"]])


def plausibility(aggs: dict, plan: Plan) -> Section:
    """Every figure questioned while checking (issue 28), in the order to review them (pipeline.tidy.plausibility):
    what the unit typed, the median it was compared with, how far out, why, and the rule that asked."""
    from pipeline.check.plausibility import settings
    from pipeline.publish import wording as w

    found, groups, s = aggs["plausibility"], aggs["plausibility_groups"], settings(plan)
    h = w.PLAUSIBILITY_H
    rule = found["rule"].where(found["check"] != "rule", found["rule"] + " (" + found["check_code"] + ")")
    df = pd.DataFrame({
        H["stt"]: found["rank"], h["unit"]: found["unit_name"], h["figure"]: found["figure"], h["key"]: found["key"],
        h["cell"]: [w.PLAUSIBILITY_CELL.format(sheet=sh, cell=c) if c else sh for sh, c in zip(found["sheet"],
                                                                                               found["cell"])],
        h["value"]: found["value_text"], h["reference"]: found["reference_text"], h["distance"]: found["distance"],
        h["reason"]: found["reason"], h["rule"]: rule, h["file"]: found["source_file"],
    })
    if not s.enabled:
        note = w.PLAUSIBILITY_OFF
    else:
        note = w.PLAUSIBILITY_NOTE.format(threshold=vn_figure(s.threshold), min_units=s.min_units,
                                          factor=vn_figure(s.jump_factor), half=vn_figure(s.half_year_factor),
                                          mad_zero=w.PLAUSIBILITY_MAD_ZERO.get(s.mad_zero, ""))
        small = groups[~groups["is_judged"]]
        if len(small):
            note += w.PLAUSIBILITY_SMALL_GROUPS.format(min_units=s.min_units, groups=", ".join(
                w.PLAUSIBILITY_GROUP.format(group=g, units=n) for g, n in zip(small["unit_group"], small["units"])))
        if not s.score_bands_confirmed:
            note += w.PLAUSIBILITY_BANDS
        if not len(found):
            note = f"{w.PLAUSIBILITY_NONE} {note}"
    return Section("plausibility", SECTION_TITLES["plausibility"], df.reset_index(drop=True), [H["stt"]], [h["distance"]],
                   note=note, audit_columns=[h["file"]])
