"""What the nominee's báo cáo thành tích and the Tờ trình say of it, taken once from its unit's return: its
models with their recognition, its classification by year, the awards its unit gave under its own authority and
the unit's movement figures. Only the office's chosen nominee has one (none until it chooses)."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipeline.config import Plan
from pipeline.rules import is_competent_recognition, model_key, person_key, same_model
from pipeline.text import is_blank
from schemas.codes import RecipientKind


@dataclass(frozen=True)
class Nominee:
    """The one proposal the office chose for the Bằng khen, with the facts of its return."""

    decision: dict                 # its row of award_decisions
    proposal: dict                 # its row of the tidy proposals table (achievements, evidence, model named)
    unit: dict                     # its unit's row of the units table
    models: pd.DataFrame           # collective: every model of the unit; individual: those carried out by or named
    classification: pd.DataFrame   # the unit's classification rows, by year
    awards_given: pd.DataFrame     # period_code, period_label, award_form_label, collectives, individuals
    leadership: dict[str, int]     # indicator_code -> total over the review's periods
    figures: dict[str, int]        # models, recognised (by a competent level), replicated, awarded_* (sheet 8)

    @property
    def is_collective(self) -> bool:
        return self.decision["recipient_kind_code"] == RecipientKind.COLLECTIVE.value


def nominee_facts(decisions: pd.DataFrame, tables: dict[str, pd.DataFrame], plan: Plan) -> Nominee | None:
    """The chosen nominee's facts (None while the office has chosen none)."""
    chosen = decisions[decisions["is_nominee"]]
    if len(chosen) != 1:
        return None
    decision = chosen.iloc[0].to_dict()
    unit, order = decision["unit_code"], int(decision["proposal_order"])
    props = tables["proposals"]
    proposal = props[(props["unit_code"] == unit) & (props["proposal_order"] == order)].iloc[0].to_dict()
    units = tables["units"]
    unit_row = units[units["unit_code"] == unit].iloc[0].to_dict()
    models = tables["models"]
    models = models[models["unit_code"] == unit]
    if decision["recipient_kind_code"] == RecipientKind.INDIVIDUAL.value:
        person = person_key(proposal["nominee_name"])
        named = "" if is_blank(proposal.get("model_name")) else model_key(proposal["model_name"])
        keep = [person_key(i) == person or same_model(model_key(n), named)
                for i, n in zip(models["implementer"].fillna(""), models["model_name"])]
        models = models[pd.Series(keep, index=models.index, dtype=bool)]
    models = models.sort_values(["recognition_rank", "excel_row"], ascending=[False, True], kind="stable")
    classification = tables["classification"]
    classification = classification[classification["unit_code"] == unit].sort_values("classification_year")
    awards = _awards_given(tables["awards_given"], unit, plan)
    figures = {"models": len(models),
               "recognised": int(is_competent_recognition(models["recognition_rank"], plan).sum()),
               "replicated": int(models["is_replicated"].fillna(False).astype(bool).sum()),
               "awarded_collectives": int(awards["collectives"].sum()),
               "awarded_individuals": int(awards["individuals"].sum())}
    return Nominee(decision, proposal, unit_row, models.reset_index(drop=True), classification.reset_index(drop=True),
                   awards, _leadership(tables["leadership"], unit), figures)


def _awards_given(awards: pd.DataFrame, unit: str, plan: Plan) -> pd.DataFrame:
    """The unit's own awards (sheet 8) by period and form, collectives and individuals side by side, in the plan's
    order of periods and forms; a period or form the unit gave nothing in is left out."""
    mine = awards[awards["unit_code"] == unit]
    collective, individual = RecipientKind.COLLECTIVE.value, RecipientKind.INDIVIDUAL.value
    rows = []
    for code, label in zip(plan.codes("periods"), plan.labels("periods")):
        for form in plan.labels("own_award_forms"):
            sel = mine[(mine["period_code"] == code) & (mine["award_form_label"] == form)]
            counts = sel.groupby("recipient_kind_code")["count"].sum()
            c, i = int(counts.get(collective, 0)), int(counts.get(individual, 0))
            if c or i:
                rows.append({"period_code": code, "period_label": label, "award_form_label": form,
                             "collectives": c, "individuals": i})
    return pd.DataFrame(rows, columns=["period_code", "period_label", "award_form_label", "collectives",
                                       "individuals"])


def _leadership(leadership: pd.DataFrame, unit: str) -> dict[str, int]:
    mine = leadership[leadership["unit_code"] == unit]
    return {str(k): int(v) for k, v in mine.groupby("indicator_code")["value"].sum(min_count=1).dropna().items()}
