"""Who sent the hồ sơ of their award proposal, and when: one row per registry unit (award_dossiers), and the same
facts as columns of submissions.csv."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from pipeline.config import Plan
from schemas.codes import DossierStatus, SubmissionStatus
from schemas.dossier import AwardDossiersTable

# The columns submissions.csv gains (after its own), named as in award_dossiers.
SUBMISSION_DOSSIER_COLUMNS = ["proposals", "dossier_files", "dossier_received", "dossier_status",
                              "dossier_status_label"]


def unit_dossiers(submissions: pd.DataFrame, proposals: pd.DataFrame, files: pd.DataFrame,
                  plan: Plan) -> pd.DataFrame:
    """Every registry unit: its return's status, its proposals (the rows of sheet 9 in the return used), the hồ sơ
    files counted (pipeline.read.dossiers.dossier_files) and whether the first arrived before the deadline."""
    labels = SubmissionStatus.labels()
    nominees = proposals.groupby("unit_code")["nominee_name"].agg(lambda s: "; ".join(map(str, s)))
    counts = proposals.groupby("unit_code").size()
    by_unit = {code: frame for code, frame in files.groupby("unit_code")}
    rows = []
    for sub in submissions.to_dict("records"):
        code = sub["unit_code"]
        mine = by_unit.get(code)
        n = int(counts.get(code, 0))
        first = mine.iloc[0] if mine is not None and len(mine) else None
        status = dossier_status(n, 0 if first is None else len(mine),
                                None if first is None or pd.isna(first["received"]) else first["received"], plan)
        rows.append({
            "unit_code": code, "unit_name": sub["unit_name"], "unit_group": sub["unit_group"],
            "status": sub["status"], "status_label": labels.get(sub["status"], ""), "proposals": n,
            "nominees": str(nominees.get(code, "")), "dossier_files": 0 if mine is None else len(mine),
            "dossier_received": None if first is None else first["received"],
            "received_by": "" if first is None else str(first["received_by"]),
            "dossier_status": status.value, "dossier_status_label": status.label,
            "files": "" if mine is None else "; ".join(mine["file"]),
        })
    frame = pd.DataFrame(rows, columns=list(AwardDossiersTable.to_schema().columns))
    frame["dossier_received"] = pd.to_datetime(frame["dossier_received"])
    frame = frame.astype({"proposals": "int64", "dossier_files": "int64"})
    return AwardDossiersTable.validate(frame)


def dossier_status(proposals: int, files: int, first_received: dt.datetime | None, plan: Plan) -> DossierStatus:
    """A unit's hồ sơ status: by when its first hồ sơ file arrived (local time), like a return by its report date;
    without any, `missing` if it proposed someone, else `none`. The office board (pipeline/web) calls it too."""
    if not files:
        return DossierStatus.MISSING if proposals else DossierStatus.NONE
    if first_received is None:
        return DossierStatus.ON_TIME   # never happens: every counted file has a time (web name or mtime)
    return DossierStatus.LATE if plan.is_late(first_received.date()) else DossierStatus.ON_TIME


def with_dossier_columns(submissions: pd.DataFrame, dossiers: pd.DataFrame) -> pd.DataFrame:
    """submissions.csv with what each unit proposed and whether its hồ sơ came (SUBMISSION_DOSSIER_COLUMNS)."""
    extra = dossiers.set_index("unit_code")[SUBMISSION_DOSSIER_COLUMNS]
    return submissions.join(extra, on="unit_code")
