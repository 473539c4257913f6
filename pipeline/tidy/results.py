"""What stages 3–4 hand to publishing: typed, each table checked against its schema."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipeline.check.results import Checked
from pipeline.config import Plan
from pipeline.tidy.aggregate import build_aggregates
from pipeline.tidy.awards import evaluate_proposals, proposal_summary
from pipeline.tidy.summary import key_figures


@dataclass(frozen=True)
class Results:
    """Everything the report shows: the checked files, the tidy tables, the aggregates and the award verdicts."""

    checked: Checked
    tables: dict[str, pd.DataFrame]        # schemas.tables.TABLES
    aggregates: dict[str, pd.DataFrame]    # schemas.tables.AGGREGATES (key_figures included)
    verdicts: pd.DataFrame                 # one row per proposal × criterion
    ranking: pd.DataFrame                  # eligible proposals, ranked
    proposals: pd.DataFrame                # one row per proposal, verdicts side by side

    def figure(self, name: str) -> int:
        """One key figure of the whole town (see pipeline.tidy.summary.KEY_FIGURES)."""
        kf = self.aggregates["key_figures"]
        return int(kf.loc[kf["figure"] == name, "value"].iloc[0])

    @property
    def reported_units(self) -> int:
        return self.figure("reported")


def summarise(checked: Checked, tables: dict[str, pd.DataFrame], plan: Plan) -> Results:
    """Aggregates, award verdicts and key figures of the tidy tables."""
    aggregates = build_aggregates(tables, plan)
    verdicts, ranking = evaluate_proposals(tables, plan)
    proposals = proposal_summary(verdicts)
    aggregates["key_figures"] = key_figures(aggregates, tables, proposals, checked.issues, plan)
    return Results(checked, tables, aggregates, verdicts, ranking, proposals)
