"""What stages 3–4 hand to publishing: typed, each table checked against its schema."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipeline.check.results import Checked
from pipeline.config import Plan
from pipeline.tidy.aggregate import build_aggregates
from pipeline.tidy.awards import evaluate_proposals, proposal_summary
from pipeline.tidy.plausibility import plausibility_tables
from pipeline.tidy.summary import key_figures
from pipeline.read.award_decisions import OfficeDecisions
from pipeline.read.dossiers import dossier_files
from pipeline.tidy.decisions import decide, issues_table
from pipeline.tidy.dossiers import unit_dossiers
from pipeline.tidy.nominee import Nominee, nominee_facts


@dataclass(frozen=True)
class Results:
    """Everything the report shows: the checked files, the tidy tables, the aggregates and the award verdicts."""

    checked: Checked
    tables: dict[str, pd.DataFrame]        # schemas.tables.TABLES
    aggregates: dict[str, pd.DataFrame]    # schemas.tables.AGGREGATES (key_figures included)
    verdicts: pd.DataFrame                 # one row per proposal × criterion
    ranking: pd.DataFrame                  # eligible proposals, ranked
    proposals: pd.DataFrame                # one row per proposal, verdicts side by side
    # The award dossier: the office's decisions (award_decisions), the hồ sơ of each unit (award_dossiers), the
    # problems of the decisions file (rows of issues.csv) and the facts of the chosen nominee (None: not chosen).
    decisions: pd.DataFrame | None = None
    dossiers: pd.DataFrame | None = None
    decision_issues: pd.DataFrame | None = None
    nominee: Nominee | None = None

    def figure(self, name: str) -> int:
        """One key figure of the whole town (see pipeline.tidy.summary.KEY_FIGURES)."""
        kf = self.aggregates["key_figures"]
        return int(kf.loc[kf["figure"] == name, "value"].iloc[0])

    @property
    def reported_units(self) -> int:
        return self.figure("reported")


def summarise(checked: Checked, tables: dict[str, pd.DataFrame], plan: Plan, office: OfficeDecisions | None = None,
              dossiers: pd.DataFrame | None = None) -> Results:
    """Aggregates, award verdicts and key figures of the tidy tables; the office's decisions on the proposals
    (`office`, read from its decisions file) against them, and the nominee's facts."""
    aggregates = build_aggregates(tables, plan)
    verdicts, ranking = evaluate_proposals(tables, plan)
    proposals = proposal_summary(verdicts)
    aggregates["key_figures"] = key_figures(aggregates, tables, proposals, checked.issues, plan)
    aggregates |= plausibility_tables(checked.plausibility, tables["units"], plan)   # "Số liệu cần xem lại"
    if dossiers is None:
        dossiers = unit_dossiers(checked.submissions, tables["proposals"], dossier_files([], plan), plan)
    decisions, problems = decide(office or OfficeDecisions(), proposals, tables["proposals"], dossiers, plan)
    return Results(checked, tables, aggregates, verdicts, ranking, proposals, decisions, dossiers,
                   issues_table(problems), nominee_facts(decisions, tables, plan))
