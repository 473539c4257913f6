"""A small, realistic publish bundle built from the demo generator's intended rows.

Used by tests/test_publish.py and tests/test_notebooks.py until (and besides)
the real end-to-end run: it does not read any workbook, it only reshapes the
rows `pipeline.demo.demo_returns()` means to write into the normalised-table
columns the publish stage consumes.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from pipeline.config import Plan, load_plan
from pipeline.demo import demo_returns

HYPERLINK = '=HYPERLINK("http://example.com","x")'


def _yes(v) -> bool:
    return v in (True, "Có", "x", "X")


def make_bundle(plan: Plan | None = None, seed: int = 2023, inject_formula: bool = True) -> dict:
    plan = plan or load_plan()
    returns, missing = demo_returns(plan, seed)
    period_code = {p["label"]: p["code"] for p in plan.items("periods")}
    period_year = {p["label"]: p["year"] for p in plan.items("periods")}
    area_code = {a["label"]: a["code"] for a in plan.items("content_areas")}
    field_code = {a["label"]: a["code"] for a in plan.items("fields")}
    rec = {a["label"]: a for a in plan.items("recognition_levels")}
    kind_code = {a["label"]: a["code"] for a in plan.items("recipient_kinds")}
    level_code = {a["label"]: a["code"] for a in plan.items("classification_levels")}
    form_code = {a["label"]: a["code"] for a in plan.items("own_award_forms")}
    sa_code = {a["label"]: a["code"] for a in plan.items("self_assessment_levels")}
    topic_code = {a["label"]: a["code"] for a in plan.items("assessment_topics")}

    units, lead, content, models, cls, given, props, assess, impact = ([] for _ in range(9))
    submissions, files = [], []
    for i, r in enumerate(returns):
        u = r.unit
        base = {"unit_code": u.unit_code, "unit_name": u.unit_name, "unit_type": u.unit_type, "unit_group": u.unit_group}
        info = r.rows["unit_info"][0]
        rd = info["report_date"]
        if isinstance(rd, str):
            d, m, y = (int(x) for x in rd.split("/"))
            rd = dt.date(y, m, d)
        staff = info["staff_total"]
        staff = int(str(staff).split()[0]) if staff is not None else None
        status = "late" if r.is_late else "on_time"
        units.append(base | {"status": status, "is_reported": True, "is_on_time": not r.is_late,
                             "source_file": r.filename, "report_date": pd.Timestamp(rd), "staff_total": staff,
                             "staff_registered": info["staff_registered"]})
        submissions.append(base | {"status": status, "file": r.filename, "report_date": pd.Timestamp(rd),
                                   "errors": 0, "warnings": 0})
        files.append({"file": r.filename, "sha256": f"{i:064x}", "format": "xlsx", "status": "read",
                      "unit_code": u.unit_code, "template_version": plan.template_version,
                      "errors": 0, "warnings": 0, "reason": ""})
        for row in r.rows["leadership"]:
            vals = {}
            for k, v in row.items():
                if k == "period":
                    continue
                try:
                    vals[k] = int(str(v).replace(".", "")) if v is not None else None
                except ValueError:
                    vals[k] = None
            for k, v in vals.items():
                lead.append(base | {"period_code": period_code[row["period"]], "period_label": row["period"],
                                    "year": period_year[row["period"]], "indicator_code": k, "value": v})
        for row in r.rows["content_results"]:
            content.append(base | {"content_area_code": area_code[row["content_area"]],
                                   "content_area_label": row["content_area"],
                                   "period_code": period_code[row["period"]], "period_label": row["period"],
                                   "activities": row["activities"], "self_assessment_label": row["self_assessment"],
                                   "self_assessment_code": sa_code.get(row["self_assessment"]),
                                   "outstanding_results": row["outstanding_results"]})
        for j, m in enumerate(r.rows["models"]):
            if m["field"] not in field_code:
                continue
            level = rec[m["recognition_level"]]
            name = m["model_name"]
            if inject_formula and i == 0 and j == 0:
                name = HYPERLINK
            models.append(base | {
                "model_name": name, "field_code": field_code[m["field"]], "field_label": m["field"],
                "content_area_code": area_code[m["content_area"]], "content_area_label": m["content_area"],
                "model_kind_code": kind_code[m["model_kind"]], "implementer": m["implementer"],
                "start_year": m["start_year"], "recognition_code": level["code"], "recognition_label": level["label"],
                "recognition_rank": level["rank"], "is_recognised": level["rank"] > 0,
                "is_replicated": _yes(m["is_replicated"]), "replication_places": m["replication_places"],
                "beneficiaries": m["beneficiaries"], "effect": m["effect"],
                "source_file": r.filename, "sheet": "4. Mô hình Dân vận khéo", "excel_row": 5 + j})
        for c in r.rows["classification"]:
            cls.append(base | {"classification_year": c["classification_year"], "score": c["score"],
                               "level_code": level_code[c["classification_level"]],
                               "level_label": c["classification_level"]})
        for a in r.rows["awards_given"]:
            for kind, col in (("COLLECTIVE", "collectives"), ("INDIVIDUAL", "individuals")):
                given.append(base | {"period_code": period_code[a["period"]], "period_label": a["period"],
                                     "award_form_code": form_code[a["award_form"]], "award_form_label": a["award_form"],
                                     "recipient_kind_code": kind, "count": a[col] or 0})
        for p in r.rows["proposals"][:1]:
            props.append(base | {"recipient_kind_code": kind_code[p["recipient_kind"]],
                                 "recipient_kind_label": p["recipient_kind"], "nominee_name": p["nominee_name"],
                                 "nominee_position": p.get("nominee_position"),
                                 "achievements_summary": p["achievements_summary"], "model_name": p["model_name"]})
        for a in r.rows["assessment"]:
            assess.append(base | {"topic_code": topic_code[a["topic"]], "topic_label": a["topic"], "text": a["text"]})
        impact.append(base | dict(r.rows["impact"][0]))
    for u in missing:
        base = {"unit_code": u.unit_code, "unit_name": u.unit_name, "unit_type": u.unit_type, "unit_group": u.unit_group}
        units.append(base | {"status": "missing", "is_reported": False, "is_on_time": False, "source_file": None,
                             "report_date": pd.NaT, "staff_total": None, "staff_registered": None})
    order = {u.unit_code: i for i, u in enumerate(plan.units)}
    units_df = pd.DataFrame(units).sort_values("unit_code", key=lambda s: s.map(order)).reset_index(drop=True)
    tables = {
        "units": units_df, "leadership": pd.DataFrame(lead), "content_results": pd.DataFrame(content),
        "models": pd.DataFrame(models), "classification": pd.DataFrame(cls), "awards_given": pd.DataFrame(given),
        "proposals": pd.DataFrame(props), "assessments": pd.DataFrame(assess), "impact": pd.DataFrame(impact),
    }
    # Verdicts and ranking in the shape of pipeline.awards.evaluate_proposals.
    verdicts, ranking = [], []
    models_df = tables["models"]
    cls_df = tables["classification"]
    for p in props:
        um = models_df[models_df.unit_code == p["unit_code"]]
        best = int(um["recognition_rank"].max()) if len(um) else 0
        repl = bool(um["is_replicated"].any()) if len(um) else False
        htxs = int((cls_df[(cls_df.unit_code == p["unit_code"])].level_code == "HTXS").sum())
        c = "met" if best >= 2 and repl else "not_met"
        d = "met" if htxs == 3 else "not_met"
        collective = p["recipient_kind_code"] == "COLLECTIVE"
        v = {"unit_code": p["unit_code"], "unit_name": p["unit_name"], "nominee_name": p["nominee_name"],
             "recipient_kind_code": p["recipient_kind_code"], "crit_a": "declared", "crit_b": "met",
             "crit_c": c if collective else "not_applicable", "crit_d": d if collective else "not_applicable"}
        v["eligible"] = (c == "met" and d == "met") if collective else True
        v["reasons"] = "" if v["eligible"] else "Chưa đạt tiêu chí c hoặc d."
        verdicts.append(v)
        if v["eligible"]:
            score = 10 * best + (10 if repl else 0) + 5 * htxs
            ranking.append({"unit_code": p["unit_code"], "unit_name": p["unit_name"],
                            "nominee_name": p["nominee_name"], "score": score})
    ranking_df = pd.DataFrame(ranking).sort_values("score", ascending=False).reset_index(drop=True)
    ranking_df["rank"] = range(1, len(ranking_df) + 1)
    issues = pd.DataFrame([{"file": r.filename, "unit_code": r.unit.unit_code, "sheet": p["sheet"], "cell": p["cell"],
                            "column": p["column"], "value": p["value"], "rule": p["rule"], "severity": p["severity"],
                            "message": f"Ô {p['cell']}: lỗi mẫu ({p['rule']})."}
                           for r in returns for p in r.planted])
    return {"tables": tables, "aggregates": {}, "verdicts": pd.DataFrame(verdicts), "ranking": ranking_df,
            "files": pd.DataFrame(files), "submissions": pd.DataFrame(submissions), "issues": issues}
