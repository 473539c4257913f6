"""Award proposals: the criteria of section III checked against each unit's own rows.

For every proposal, every criterion of its kind (a–d for a collective, a–b for
an individual) gets a verdict:
- "met" / "not_met" when the unit's workbook decides it: collective (c) from
  sheet 4 (models), collective (d) from sheet 5 (classification), individual
  (b) from sheet 4 or a described initiative;
- "unverified" for what only the unit can declare (collective a, b;
  individual a) when declared "Có"; declared "Không" is "not_met" (also for
  individual (b): the unit's own "Không" outweighs any text in its evidence cell);
- "not_evaluated" for a proposal beyond the one allowed per unit.
A proposal with no criterion "not_met" is ranked (`is_eligible`) but never called eligible while a criterion
is only declared: its `conclusion` says "meets the criteria the returns can verify; the others as declared"
(schemas.codes.Conclusion). The ranked ones get the transparent score of [awards.ranking] in
config/plan.toml, term by term; scores within `near_tie_margin` of each other share a `tie_group`, so nobody
reads a 0.12-point gap as a verdict. The pipeline suggests; the office and the leadership decide.
"""
from __future__ import annotations

import pandas as pd

from pipeline import messages as msg, rules
from pipeline.config import Plan
from pipeline.text import is_blank
from schemas.codes import Conclusion, RecipientKind, Verdict
from schemas.aggregates import AWARDS

COLLECTIVE, INDIVIDUAL = RecipientKind.COLLECTIVE.value, RecipientKind.INDIVIDUAL.value
CRITERIA = {COLLECTIVE: ["a", "b", "c", "d"], INDIVIDUAL: ["a", "b"]}
# Criteria decided by the unit's own declaration only.
DECLARED_ONLY = {(COLLECTIVE, "a"), (COLLECTIVE, "b"), (INDIVIDUAL, "a")}


def evaluate_proposals(tables: dict[str, pd.DataFrame], plan: Plan) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(verdicts: one row per proposal × criterion, ranking: eligible proposals with score terms)."""
    proposals, models, classification = tables["proposals"], tables["models"], tables["classification"]
    verdict_rows, ranking_rows = [], []
    first_row = proposals[~proposals["is_extra"].fillna(False).astype(bool)].groupby("unit_code")["excel_row"].min()
    # Each unit's own rows, as records looked up by key: a proposal never scans the whole town's tables.
    proposing = proposals["unit_code"].unique()
    models_of = _by_unit(_with_rule_flags(models[models["unit_code"].isin(proposing)], plan))
    levels_of = _by_unit(classification[classification["unit_code"].isin(proposing)])
    for p in proposals.to_dict("records"):
        own_models = models_of.get(p["unit_code"], [])
        own_levels = levels_of.get(p["unit_code"], [])
        kind = p["recipient_kind_code"]
        if bool(p["is_extra"]):
            first = first_row.get(p["unit_code"], "")
            results = {c: (Verdict.NOT_EVALUATED, msg.EV_EXTRA.format(first_row=first), None) for c in CRITERIA[kind]}
        else:
            results = {c: _criterion(kind, c, p, own_models, own_levels, plan) for c in CRITERIA[kind]}
        is_eligible = not p["is_extra"] and all(v != Verdict.NOT_MET for v, _, _ in results.values())
        for criterion, (verdict, evidence, _model) in results.items():
            verdict_rows.append({
                "unit_code": p["unit_code"], "unit_name": p["unit_name"], "unit_group": p["unit_group"],
                "source_file": p["source_file"], "excel_row": int(p["excel_row"]),
                "proposal_order": int(p["proposal_order"]),
                "recipient_kind_code": kind, "recipient_kind_label": p["recipient_kind_label"],
                "nominee_name": p["nominee_name"], "criterion": criterion,
                "criterion_label": msg.criterion_label(kind, criterion, plan),
                "declared": p[f"crit_{criterion}"], "verdict": verdict.value,
                "verdict_label": verdict.label, "evidence": evidence, "is_eligible": is_eligible,
            })
        if is_eligible:
            model = next((m for _, _, m in results.values() if m is not None), None)
            ranking_rows.append(_score(p, model, own_levels, plan))
    verdicts = _verdicts_frame(verdict_rows)
    ranking = _ranking_frame(ranking_rows, float(plan.awards["ranking"]["near_tie_margin"]))
    AWARDS["verdicts"].validate(verdicts)
    AWARDS["ranking"].validate(ranking)
    return verdicts, ranking


def proposal_summary(verdicts: pd.DataFrame) -> pd.DataFrame:
    """One row per proposal: the verdict code of each criterion side by side (blank: not applicable),
    eligibility and the evidence of what failed."""
    keys = ["unit_code", "unit_name", "unit_group", "proposal_order", "recipient_kind_label", "nominee_name", "is_eligible"]
    columns = list(AWARDS["proposals"].to_schema().columns)
    if verdicts.empty:
        return AWARDS["proposals"].validate(pd.DataFrame({c: pd.Series(dtype=_EMPTY_DTYPES.get(c, "str"))
                                                          for c in columns}))
    wide = verdicts.pivot_table(index=keys, columns="criterion", values="verdict", aggfunc="first").reset_index()
    wide.columns.name = None
    wide = wide.rename(columns={c: f"crit_{c}" for c in "abcd"})
    for c in "abcd":
        wide[f"crit_{c}"] = wide[f"crit_{c}"].astype("str") if f"crit_{c}" in wide else pd.Series(None, index=wide.index,
                                                                                                dtype="str")
    failed = verdicts[verdicts["verdict"].isin([Verdict.NOT_MET, Verdict.NOT_EVALUATED])]
    reasons = failed.groupby(["unit_code", "proposal_order"])["evidence"].agg(lambda s: " ".join(dict.fromkeys(s)))
    wide["reasons"] = [reasons.get((u, o), "") for u, o in zip(wide["unit_code"], wide["proposal_order"])]
    found = [conclusion({c: v for c in "abcd" if isinstance(v := r[f"crit_{c}"], str) and v})
             for r in wide.to_dict("records")]
    wide["conclusion"] = [str(code) for code, _ in found]
    wide["conclusion_label"] = [code.label for code, _ in found]
    wide["conclusion_text"] = [text for _, text in found]
    wide = wide.sort_values(["unit_code", "proposal_order"]).reset_index(drop=True)
    wide["proposal_order"] = wide["proposal_order"].astype("int64")
    wide["is_eligible"] = wide["is_eligible"].astype(bool)
    return AWARDS["proposals"].validate(wide[columns])


_EMPTY_DTYPES = {"proposal_order": "int64", "is_eligible": "bool"}


def conclusion(verdicts: dict[str, str]) -> tuple[Conclusion, str]:
    """What a proposal's verdicts (criterion -> verdict code) add up to, and the sentence saying it."""
    def having(*codes) -> str:
        return ", ".join(c for c, v in verdicts.items() if v in codes)

    if having(Verdict.NOT_EVALUATED):
        return Conclusion.NOT_EVALUATED, msg.CONCLUSION_TEXT["not_evaluated"]
    if failed := having(Verdict.NOT_MET):
        return Conclusion.NOT_MET, msg.CONCLUSION_TEXT["not_met"].format(failed=failed)
    met, declared = having(Verdict.MET), having(Verdict.UNVERIFIED)
    if declared:
        key = "meets_checked" if met else "meets_checked_none"
        return Conclusion.MEETS_CHECKED, msg.CONCLUSION_TEXT[key].format(met=met, declared=declared)
    return Conclusion.MEETS_ALL, msg.CONCLUSION_TEXT["meets_all"].format(met=met)


# -- criteria ----------------------------------------------------------------------

def _criterion(kind: str, criterion: str, p: dict, models: pd.DataFrame, levels: pd.DataFrame, plan: Plan):
    """(verdict, evidence, model used as evidence or None)."""
    if (kind, criterion) in DECLARED_ONLY:
        return (*_declared(p[f"crit_{criterion}"], p[f"crit_{criterion}_evidence"]), None)
    if kind == COLLECTIVE and criterion == "c":
        return _collective_model(p, models, plan)
    if kind == COLLECTIVE and criterion == "d":
        return (*_classification_record(levels, plan), None)
    if kind == INDIVIDUAL and criterion == "b":
        return _individual_model(p, models, plan)
    raise AssertionError(f"no rule for criterion {criterion} of {kind}")  # CRITERIA and this function disagree


def _with_rule_flags(models: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """The models with the rules of section III evaluated once for the whole table (pipeline/rules.py)."""
    return models.assign(
        _supports_c=rules.supports_criterion_c(models["recognition_rank"], models["is_replicated"], plan),
        _supports_b=models["recognition_rank"].fillna(-1).astype("int64")
        >= rules.min_rank(plan, "individual_min_recognition_level"),
        _name=models["model_name"].map(rules.model_key),
        _implementer=models["implementer"].map(rules.person_key, na_action="ignore"))


def _by_unit(frame: pd.DataFrame) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    text = [c for c, t in frame.dtypes.items() if pd.api.types.is_string_dtype(t) and not pd.api.types.is_object_dtype(t)]
    for record in frame.astype({c: object for c in text}).to_dict("records"):   # arrow text: converted at once
        out.setdefault(record["unit_code"], []).append(record)
    return out


def _declared(declared, evidence) -> tuple[str, str]:
    """A criterion only the unit can vouch for: reported as declared."""
    proof = "" if is_blank(evidence) else msg.EV_DECLARED_PROOF.format(text=str(evidence).strip())
    if declared is True:
        return Verdict.UNVERIFIED, msg.EV_DECLARED_YES + proof
    return Verdict.NOT_MET, msg.EV_DECLARED_NO + proof


def _describe(model: dict) -> str:
    doc = msg.EV_DOC.format(doc=model["recognition_doc"]) if bool(model["has_recognition_doc"]) else msg.EV_NO_DOC
    replication = (msg.EV_REPLICATED.format(places=int(model["replication_places"]))
                   if bool(model["is_replicated"]) else msg.EV_NOT_REPLICATED)
    return msg.EV_MODEL.format(name=model["model_name"], level=model["recognition_label"], doc=doc,
                               replication=replication)


def _best(candidates: list[dict], named) -> dict:
    """The model the proposal names if it is among the candidates, else the strongest one."""
    if not is_blank(named):
        key = rules.model_key(named)
        hit = [m for m in candidates if rules.same_model(m["_name"], key)]
        candidates = hit or candidates

    def strength(m: dict):
        people = 0 if _missing(m["beneficiaries"]) else int(m["beneficiaries"])
        return (-int(m["recognition_rank"]), -int(m["replication_places"]), -people, int(m["excel_row"]))

    return min(candidates, key=strength)


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _collective_model(p: dict, models: pd.DataFrame, plan: Plan):
    """(c): an own model recognised at min_recognition_level or higher, "có thể nhân rộng".

    Replication already done is evidence, not a requirement, unless
    [awards] crit_c_requires_replication says so. A qualifying model whose
    recognition document is not written down leaves the criterion unverified
    rather than met: the recognition is only declared.
    """
    min_code = plan.awards["min_recognition_level"]
    good = [m for m in models if m["_supports_c"]]
    with_doc = [m for m in good if not _missing(m["has_recognition_doc"]) and bool(m["has_recognition_doc"])]
    if with_doc:
        model = _best(with_doc, p["model_name"])
        template = msg.EV_C_MET if bool(model["is_replicated"]) else msg.EV_C_MET_NOT_REPLICATED
        return Verdict.MET, template.format(model=_describe(model)), model
    if good:
        model = _best(good, p["model_name"])
        return Verdict.UNVERIFIED, msg.EV_C_NO_DOC.format(model=_describe(model)), model
    if not models:
        return Verdict.NOT_MET, msg.EV_NO_MODELS, None
    listed = "; ".join(_describe(m) for m in models)
    replicated = msg.EV_C_REPLICATED if rules.requires_replication(plan) else ""
    return Verdict.NOT_MET, msg.EV_C_NOT_MET.format(level=plan.label_of("recognition_levels", min_code),
                                                    replicated=replicated, models=listed), None


def _classification_record(levels: list[dict], plan: Plan) -> tuple[str, str]:
    """(d): the required level in each configured year; a year without a valid row is not met."""
    required = plan.awards["required_classification_level"]
    by_year = {int(r["classification_year"]): r for r in levels}
    parts, all_met = [], True
    for year in (int(y) for y in plan.awards["classification_years"]):
        row = by_year.get(year)
        if row is None:
            parts.append(msg.EV_YEAR_MISSING.format(year=year))
            all_met = False
            continue
        parts.append(msg.EV_YEAR_LEVEL.format(year=year, level=row["level_label"], score=_number(row["score"])))
        all_met &= row["level_code"] == required
    template = msg.EV_D_MET if all_met else msg.EV_D_NOT_MET
    text = template.format(required=plan.label_of("classification_levels", required), years="; ".join(parts))
    return (Verdict.MET if all_met else Verdict.NOT_MET), text


def _number(x) -> str:
    """92.5 -> "92,5" (Vietnamese decimal comma)."""
    if _missing(x):
        return "?"
    text = f"{float(x):.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _individual_model(p: dict, models: pd.DataFrame, plan: Plan):
    """(b) individual: a recognised own model carried out by the nominee or named in the proposal, else an initiative."""
    min_code = plan.awards["individual_min_recognition_level"]
    if not _missing(p["crit_b"]) and not bool(p["crit_b"]):  # the unit's own "Không" decides, as for a-b
        proof = "" if is_blank(p["crit_b_evidence"]) else msg.EV_DECLARED_PROOF.format(
            text=str(p["crit_b_evidence"]).strip())
        return Verdict.NOT_MET, msg.EV_B_DECLARED_NO + proof, None
    person, named = rules.person_key(p["nominee_name"]), "" if is_blank(p["model_name"]) else rules.model_key(p["model_name"])
    matched = [m for m in models if m["_supports_b"] and (m["_implementer"] == person or rules.same_model(m["_name"], named))]
    if matched:
        model = _best(matched, p["model_name"])
        return Verdict.MET, msg.EV_B_MODEL.format(model=_describe(model), implementer=model["implementer"]), model
    if not is_blank(p["crit_b_evidence"]):
        return Verdict.MET, msg.EV_B_INITIATIVE.format(text=str(p["crit_b_evidence"]).strip()), None
    return Verdict.NOT_MET, msg.EV_B_NOT_MET.format(level=plan.label_of("recognition_levels", min_code)), None


# -- ranking -------------------------------------------------------------------------

def _score(p: dict, model: dict | None, levels: list[dict], plan: Plan) -> dict:
    """The terms of [awards.ranking] for one eligible proposal, each shown on its own."""
    cfg = plan.awards["ranking"]
    required = plan.awards["required_classification_level"]
    years = {int(y) for y in plan.awards["classification_years"]}
    htxs_years = len({int(r["classification_year"]) for r in levels
                      if r["level_code"] == required and int(r["classification_year"]) in years})
    rank = int(model["recognition_rank"]) if model else 0
    replicated = bool(model["is_replicated"]) if model else False
    places = int(model["replication_places"]) if model else 0
    people = model["beneficiaries"] if model and not _missing(model["beneficiaries"]) else 0
    terms = {
        "recognition_points": float(cfg["points_per_recognition_rank"] * rank),
        "replication_points": float(cfg["points_if_replicated"] if replicated else 0),
        "places_points": float(min(places * cfg["points_per_replication_place"], cfg["max_replication_points"])),
        "classification_points": float(cfg["points_per_htxs_year"] * htxs_years),
        "people_points": round(float(min(int(people) / 1000 * cfg["points_per_1000_people_reached"],
                                          cfg["max_people_points"])), 2),
    }
    return {
        "unit_code": p["unit_code"], "unit_name": p["unit_name"], "unit_group": p["unit_group"],
        "recipient_kind_label": p["recipient_kind_label"], "nominee_name": p["nominee_name"],
        "model_name": model["model_name"] if model else None,
        "recognition_label": model["recognition_label"] if model else None,
        **terms, "score_total": round(sum(terms.values()), 2),
        "note": msg.RANKING_NOTE.format(office=plan.review.get("office", ""),
                                        local_government=plan.review.get("local_government", "")),
    }


def _verdicts_frame(rows: list[dict]) -> pd.DataFrame:
    columns = list(AWARDS["verdicts"].to_schema().columns)
    frame = pd.DataFrame(rows, columns=columns)
    for col in columns:
        if col in ("excel_row", "proposal_order"):
            frame[col] = frame[col].astype("int64")
        elif col == "declared":
            frame[col] = pd.array(frame[col], dtype="boolean")
        elif col == "is_eligible":
            frame[col] = frame[col].astype(bool)
        else:
            frame[col] = frame[col].astype("str")
    return frame


def _ranking_frame(rows: list[dict], margin: float) -> pd.DataFrame:
    columns = list(AWARDS["ranking"].to_schema().columns)
    derived = ("rank", "tie_group", "is_level")
    frame = pd.DataFrame(rows, columns=[c for c in columns if c not in derived])
    for col in frame.columns:
        if col.endswith("_points") or col == "score_total":
            frame[col] = frame[col].astype("float64")
        else:
            frame[col] = frame[col].astype("str")
    frame["rank"] = frame["score_total"].rank(method="min", ascending=False).astype("int64")
    frame = frame.sort_values(["rank", "unit_code"], kind="stable").reset_index(drop=True)
    frame["tie_group"] = pd.Series(near_ties(frame["score_total"].tolist(), margin), index=frame.index, dtype="int64")
    frame["is_level"] = frame["tie_group"].map(frame["tie_group"].value_counts()).gt(1).astype(bool)
    return frame[columns]


def near_ties(scores: list[float], margin: float) -> list[int]:
    """Groups of scores (sorted from the highest) that chain within `margin` points of each other: 1, 1, 2, ...
    Two proposals 0.12 points apart are level for a reader; the group says so."""
    groups, group = [], 0
    for i, score in enumerate(scores):
        if i == 0 or scores[i - 1] - score > margin:
            group += 1
        groups.append(group)
    return groups
