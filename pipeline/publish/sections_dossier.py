"""The award dossier's tables, formatted once from award_dossiers, award_decisions and the nominee's facts for every
output (summary workbook, internal note, the dossier's documents). Nothing here counts."""
from __future__ import annotations

import pandas as pd

from pipeline import messages as msg
from pipeline.config import Plan
from pipeline.publish.sections import Section
from pipeline.publish.wording import DOSSIER, H, fill
from pipeline.read.award_decisions import decisions_name
from schemas.codes import SubmissionStatus
from schemas.dossier import AwardDecisionsTable, AwardDossiersTable


def empty(model) -> pd.DataFrame:
    """A table of `model` with no rows (what an output shows when a run has none, e.g. rebuilt by pipeline.explore)."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in model.to_schema().columns})


def dossiers(found: pd.DataFrame | None, plan: Plan) -> Section:
    """Every registry unit: its return, its proposal, its hồ sơ and when it came."""
    found = empty(AwardDossiersTable) if found is None else found
    labels = SubmissionStatus.labels()
    when = pd.to_datetime(found["dossier_received"])
    df = pd.DataFrame({
        H["stt"]: range(1, len(found) + 1), H["unit"]: found["unit_name"], H["group"]: found["unit_group"],
        H["status"]: found["status"].map(labels).fillna(""),
        DOSSIER["col_proposal"]: [n if n else DOSSIER["no_proposal"] for n in found["nominees"].fillna("")],
        DOSSIER["col_dossier"]: found["dossier_status_label"], DOSSIER["col_files"]: found["dossier_files"],
        DOSSIER["col_received"]: when.dt.strftime("%d/%m/%Y").fillna(""),
        DOSSIER["col_received_by"]: found["received_by"].map(DOSSIER["received_by"]).fillna(""),
        DOSSIER["col_dossier_files"]: found["files"],
    })
    note = DOSSIER["dossiers_note"].format(deadline=msg.deadline_phrase(plan))
    return Section("dossiers", DOSSIER["dossiers_title"], df.reset_index(drop=True), [H["stt"], DOSSIER["col_files"]],
                   note=note, audit_columns=[DOSSIER["col_dossier_files"]])


def nominee_models(models: pd.DataFrame) -> Section:
    """The nominee's models with their recognition (document number and date)."""
    df = pd.DataFrame({
        H["stt"]: range(1, len(models) + 1), DOSSIER["col_model"]: models["model_name"],
        H["recognition"]: models["recognition_label"], DOSSIER["col_doc"]: models["recognition_doc"].fillna(""),
        DOSSIER["col_date"]: pd.to_datetime(models["recognition_date"]).dt.strftime("%d/%m/%Y").fillna(""),
        DOSSIER["col_places"]: models["replication_places"], H["beneficiaries"]: models["beneficiaries"],
    })
    return Section("nominee_models", DOSSIER["models_title"], df.reset_index(drop=True),
                   [H["stt"], DOSSIER["col_places"], H["beneficiaries"]])


def nominee_classification(rows: pd.DataFrame) -> Section:
    df = pd.DataFrame({H["year"]: rows["classification_year"].astype(str), DOSSIER["col_score"]: rows["score"],
                       H["level"]: rows["level_label"], DOSSIER["col_decision_no"]: rows["decision_number"].fillna("")})
    return Section("nominee_classification", DOSSIER["classification_title"], df.reset_index(drop=True),
                   [DOSSIER["col_score"]])


def nominee_awards(rows: pd.DataFrame, plan: Plan) -> Section:
    """The awards the nominee's unit gave under its own authority, by period and form, with their total."""
    df = pd.DataFrame({H["period"]: rows["period_label"], H["award_form"]: rows["award_form_label"],
                       H["collectives"]: rows["collectives"], H["individuals"]: rows["individuals"]})
    total = pd.DataFrame({H["period"]: [plan.all_periods_label], H["award_form"]: [H["total"]],
                          H["collectives"]: [int(rows["collectives"].sum())],
                          H["individuals"]: [int(rows["individuals"].sum())]})
    return Section("nominee_awards", DOSSIER["awards_title"], pd.concat([df, total], ignore_index=True),
                   [H["collectives"], H["individuals"]], total_rows=1)


def decisions_or_empty(decisions: pd.DataFrame | None) -> pd.DataFrame:
    return empty(AwardDecisionsTable) if decisions is None else decisions


def title_words(plan: Plan) -> dict[str, str]:
    """The words every dossier document is filled with ([dossier] and [review] of the plan)."""
    cfg = plan.raw.get("dossier", {})
    return {"movement": cfg.get("movement", "") or plan.review.get("title", ""),
            "period": plan.review.get("period_label", ""), "office_upper": plan.review.get("office", "").upper(),
            "competent": fill("{competent}", plan), "decisions_file": decisions_name(plan)}
