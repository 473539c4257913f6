"""The review list "Số liệu cần xem lại": every figure the checking stage questioned
(pipeline.check.plausibility), with its unit's name, in the order the office should look at them, and the groups
too small to compare units.

Order: the rules between figures and the rows copied from another period first (certain contradictions), then the
outliers and jumps by how far out the value is, as a multiple of its own threshold (|z| / outlier_threshold,
ratio / jump_factor), so that the two kinds of distance line up. Pure: frames in, frames out, each checked
against its schema (schemas/aggregates.py).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.check.plausibility import Review, settings
from pipeline.config import Plan
from schemas.aggregates import SUMMARIES


def plausibility_tables(found: Review, units: pd.DataFrame, plan: Plan) -> dict[str, pd.DataFrame]:
    """{"plausibility": the review list, "plausibility_groups": each group, its units and whether it was judged}."""
    f = found.findings
    names = dict(zip(units["unit_code"], units["unit_name"]))
    first = f["check"].isin(["rule", "copied"]).to_numpy()   # certain contradictions before likely mistakes
    severity = pd.to_numeric(f["severity"], errors="coerce").astype("float64")
    order = np.lexsort((f["excel_row"].to_numpy(), f["unit_code"].astype("str").to_numpy(),
                        -severity.fillna(0).to_numpy(), ~first))
    f = f.iloc[order].reset_index(drop=True)
    table = pd.DataFrame({
        "rank": np.arange(1, len(f) + 1, dtype="int64"),
        "unit_code": f["unit_code"].astype("str"),
        "unit_name": f["unit_code"].map(names).fillna(f["unit_code"]).astype("str"),
        "unit_group": f["unit_group"].astype("str"), "source_file": f["source_file"].astype("str"),
        "sheet": f["sheet"].astype("str"), "cell": f["cell"].fillna("").astype("str"),
        "excel_row": f["excel_row"].astype("int64"), "column": f["column"].astype("str"),
        "check": f["check"].astype("str"), "rule": ("plausibility." + f["check"]).astype("str"),
        "check_code": f["check_code"].astype("str"), "figure": f["figure"].astype("str"),
        "key": f["key"].fillna("").astype("str"),
        "value": pd.to_numeric(f["value"], errors="coerce").astype("float64"),
        "value_text": f["value_text"].fillna("").astype("str"),
        "reference": pd.to_numeric(f["reference"], errors="coerce").astype("float64"),
        "reference_text": f["reference_text"].fillna("").astype("str"),
        "compared": pd.array(pd.to_numeric(f["compared"], errors="coerce"), dtype="Int64"),
        "distance": pd.to_numeric(f["distance"], errors="coerce").astype("float64"),
        "severity": pd.to_numeric(f["severity"], errors="coerce").astype("float64"),
        "direction": f["direction"].fillna("").astype("str"), "reason": f["reason"].fillna("").astype("str"),
    })
    s = settings(plan)
    groups = found.groups.assign(min_units=s.min_units)[["unit_group", "units", "min_units", "is_judged"]]
    groups = groups.astype({"unit_group": "str", "units": "int64", "min_units": "int64", "is_judged": "bool"})
    return {"plausibility": SUMMARIES["plausibility"].validate(table),
            "plausibility_groups": SUMMARIES["plausibility_groups"].validate(groups.reset_index(drop=True))}
