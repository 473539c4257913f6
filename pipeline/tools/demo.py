"""Realistic filled returns for every unit, written into the real template.

Deterministic from a seed. Two units are missing, two are late, about half
propose someone for an award (some meeting every criterion of section III,
some falling short on one), and a handful of typical mistakes are planted and
listed in `planted_mistakes.csv` so that tests can check they are all found.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook

from pipeline.tools import demo_text as T
from pipeline.config import Plan, Unit, load_plan
from pipeline.files import atomic_path, write_csv_rows
from pipeline.tools.template import write_template
from schemas import SHEETS, sheet_spec
from schemas.codes import Verdict

DEFAULT_SEED = 2023
RETURNS_DIR = "returns"
PLANTED_FILE = "planted_mistakes.csv"
AWARDS_FILE = "expected_awards.csv"
MANIFEST_FILE = "manifest.json"

# Award scenarios, assigned in turn to the units that propose someone.
SCENARIOS = [
    "collective_all_met", "individual_met", "collective_fail_d", "collective_all_met",
    "individual_fail_b", "collective_fail_c", "collective_all_met", "individual_met",
    "collective_fail_d", "collective_all_met", "individual_fail_b", "collective_fail_c",
    "collective_all_met", "individual_met",
]
# (scenario) -> expected verdict of the criteria the evidence decides.
EXPECTED = {
    "collective_all_met": {"c": Verdict.MET.value, "d": Verdict.MET.value, "eligible": True},
    "collective_fail_c": {"c": Verdict.NOT_MET.value, "d": Verdict.MET.value, "eligible": False},
    "collective_fail_d": {"c": Verdict.MET.value, "d": Verdict.NOT_MET.value, "eligible": False},
    "individual_met": {"b": Verdict.MET.value, "eligible": True},
    "individual_fail_b": {"b": Verdict.NOT_MET.value, "eligible": False},
}


@dataclass
class DemoReturn:
    unit: Unit
    filename: str
    rows: dict[str, list[dict]]  # sheet name -> rows (column name -> value)
    is_late: bool = False
    scenario: str | None = None
    planted: list[dict] = field(default_factory=list)


def _person(rng: random.Random) -> str:
    return f"{rng.choice(T.SURNAMES)} {rng.choice(T.MIDDLE)} {rng.choice(T.GIVEN)}"


def _is_commune(unit: Unit) -> bool:
    return unit.unit_type in ("Xã", "Phường")


def _plan_rows(unit: Unit, plan: Plan, rng: random.Random, scenario: str | None, is_late: bool) -> dict[str, list[dict]]:
    commune = _is_commune(unit)
    rows = {"unit_info": [_unit_info(unit, plan, rng, commune, is_late)],
            "leadership": _leadership(plan, rng, commune),
            "content_results": _content_results(plan, rng, commune)}
    rows["models"] = _models(unit, plan, rng, commune, scenario)
    rows["classification"] = _classification(plan, rng, scenario)
    rows["impact"] = [{
        "on_time_procedures_pct": round(rng.uniform(95, 100), 1) if commune else None,
        "satisfaction_pct": round(rng.uniform(85, 99), 1),
        "hcm_exemplars": rng.randint(1, 8),
        "political_tasks_impact": rng.choice(T.IMPACT),
        "hcm_link": rng.choice(T.HCM_LINK),
        "other_movements": rng.choice(T.OTHER_MOVEMENTS),
    }]
    rows["assessment"] = [
        {"topic": topic, "text": T.ASSESSMENT.get(topic, "…").format(n=len(rows["models"]))}
        for topic in plan.labels("assessment_topics")
    ]
    rows["awards_given"] = [
        {"period": period, "award_form": form,
         "collectives": rng.randint(0, 3), "individuals": rng.randint(0, 8)}
        for period in plan.labels("periods")
        for form in plan.labels("own_award_forms")
    ]
    htxs = plan.label_of("classification_levels", "HTXS")
    rows["proposals"] = [_proposal(unit, scenario, rows["models"], rng, htxs)] if scenario else []
    return rows


def _unit_info(unit: Unit, plan: Plan, rng: random.Random, commune: bool, is_late: bool) -> dict:
    staff = rng.randint(22, 40) if commune else rng.randint(6, 45)
    if is_late:
        report_date = plan.deadline + dt.timedelta(days=rng.randint(1, 10))
    else:
        report_date = plan.deadline - dt.timedelta(days=rng.randint(1, 12))
    return {
        "unit_name": unit.unit_name,
        "reporter_name": _person(rng),
        "reporter_position": rng.choice(T.POSITIONS),
        "phone": f"0255 38{rng.randint(10000, 99999)}",
        "email": f"{unit.unit_code.replace('_', '')}@ducpho.quangngai.gov.vn",
        "report_date": report_date,
        "staff_total": staff,
        "staff_registered": staff - rng.randint(0, 3),
    }


def _leadership(plan: Plan, rng: random.Random, commune: bool) -> list[dict]:
    periods = plan.labels("periods")
    leadership = []
    for period in periods:
        half = period == periods[-1]
        sessions = rng.randint(8, 30) if commune else rng.randint(3, 12)
        if half:
            sessions = max(1, sessions // 2)
        leadership.append({
            "period": period,
            "plans_issued": rng.randint(1, 3) if half else rng.randint(2, 6),
            "launch_meetings": rng.randint(1, 3),
            "propaganda_sessions": sessions,
            "propaganda_participants": sessions * (rng.randint(15, 60) if commune else rng.randint(8, 20)),
            "news_items": rng.randint(2, 20),
            "inspections": rng.randint(0, 4),
        })
    return leadership


def _content_results(plan: Plan, rng: random.Random, commune: bool) -> list[dict]:
    return [
        {
            "content_area": area,
            "period": period,
            "activities": rng.randint(0, 25 if commune else 10),
            "outstanding_results": rng.choice(T.RESULTS).format(n=rng.randint(3, 400)),
            "self_assessment": rng.choice(plan.labels("self_assessment_levels")[:3]),
        }
        for area in plan.labels("content_areas")
        for period in plan.labels("periods")
    ]


def _models(unit: Unit, plan: Plan, rng: random.Random, commune: bool, scenario: str | None) -> list[dict]:
    """Communes build more models; a few departments have none; the scenario shapes the first one."""
    areas = plan.labels("content_areas")
    levels = {lvl["code"]: lvl["label"] for lvl in plan.items("recognition_levels")}
    n_models = rng.randint(1, 4) if commune else rng.choice([0, 1, 1, 2])
    if scenario and scenario != "individual_fail_b":
        n_models = max(n_models, 1)
    pool = [m for m in T.MODELS if m[3] in ("all", "xa" if commune else "cq")]
    models = []
    for i, (fld, area_i, name, _scope) in enumerate(rng.sample(pool, n_models)):
        level, replicated = rng.choice(["NONE", "UNIT", "TOWN", "TOWN", "PROVINCE"]), rng.random() < 0.5
        kind, implementer = "Tập thể", unit.unit_name
        if i == 0 and scenario in ("collective_all_met", "collective_fail_d"):
            level, replicated = rng.choice(["TOWN", "PROVINCE"]), True
        if scenario == "collective_fail_c":
            level = rng.choice(["NONE", "UNIT"])
        if i == 0 and scenario == "individual_met":
            level, kind, implementer = rng.choice(["TOWN", "PROVINCE", "UNIT"]), "Cá nhân", _person(rng)
        recognised = level != "NONE"
        models.append({
            "model_name": name, "field": fld, "content_area": areas[min(area_i, len(areas) - 1)],
            "model_kind": kind, "implementer": implementer, "start_year": rng.randint(2020, 2022),
            "recognition_level": levels[level],
            "recognition_doc": f"{rng.randint(10, 999)}/QĐ-UBND" if recognised else None,
            "recognition_date": dt.date(rng.randint(2021, 2023), rng.randint(1, 5), rng.randint(1, 28))
            if recognised else None,
            "is_replicated": "Có" if replicated else "Không",
            "replication_places": rng.randint(1, 12) if replicated else None,
            "beneficiaries": rng.randint(50, 3000),
            "effect": rng.choice(T.EFFECTS).format(n=rng.randint(30, 900)),
        })
    return models


def _classification(plan: Plan, rng: random.Random, scenario: str | None) -> list[dict]:
    classification = []
    for year in plan.classification_years:
        score = round(rng.uniform(72, 98), 1)
        if scenario in ("collective_all_met", "collective_fail_c"):
            score = round(rng.uniform(90, 98), 1)
        if scenario == "collective_fail_d":
            score = round(rng.uniform(90, 98), 1) if year != plan.classification_years[1] else round(rng.uniform(75, 88), 1)
        classification.append({
            "classification_year": year,
            "score": score,
            "classification_level": plan.classification_for_score(score),
            "decision_number": f"{rng.randint(10, 300)}/QĐ-UBND ngày {rng.randint(5, 28)}/01/{year + 1}",
        })
    return classification


def _proposal(unit: Unit, scenario: str, models: list[dict], rng: random.Random, htxs: str) -> dict:
    collective = scenario.startswith("collective")
    model = models[0]["model_name"] if models else None
    if scenario == "individual_fail_b":
        model = None
    nominee = unit.unit_name if collective else (models[0]["implementer"] if scenario == "individual_met" else _person(rng))
    row = {
        "recipient_kind": "Tập thể" if collective else "Cá nhân",
        "nominee_name": nominee,
        "nominee_position": None if collective else f"{rng.choice(T.POSITIONS)}, {unit.unit_name}",
        "achievements_summary": rng.choice(T.ACHIEVEMENTS).format(model=model or "công tác dân vận"),
        "model_name": model,
        "crit_a": "Có", "crit_a_evidence": "Được bình xét trong phong trào thi đua năm 2022.",
        "crit_b": "Có", "crit_b_evidence": "Thực hiện đầy đủ kế hoạch công tác dân vận của Thị ủy.",
    }
    if scenario == "individual_fail_b":
        row["crit_b_evidence"] = None
    if collective:
        row |= {"crit_c": "Có", "crit_c_evidence": f"Mô hình “{model}”.",
                "crit_d": "Có", "crit_d_evidence": f"Xếp loại {htxs.lower()} các năm 2020–2022."}
    return row


def _plant_mistakes(returns: list[DemoReturn], rng: random.Random) -> None:
    """Typical clerk mistakes, each recorded with the cell where it is."""
    def plant(ret: DemoReturn, sheet: str, row_i: int, column: str, value, rule: str, severity: str):
        ret.rows[sheet][row_i][column] = value
        spec = sheet_spec(sheet)
        ret.planted.append({
            "file": ret.filename, "unit_code": ret.unit.unit_code, "sheet": spec.sheet,
            "cell": spec.cell(row_i, column), "column": column, "value": "" if value is None else str(value),
            "rule": rule, "severity": severity,
        })

    candidates = [r for r in returns if not r.scenario]
    with_models = [r for r in candidates if r.rows["models"]]
    a, b, c, d, e, f = candidates[0], with_models[1], candidates[2], candidates[3], with_models[3], candidates[5]
    plant(a, "leadership", 1, "propaganda_sessions", "10-12", "number.invalid", "error")
    plant(b, "models", 0, "field", "Môi trường", "choice.invalid", "error")
    plant(c, "leadership", 2, "news_items", None, "required.missing", "error")
    sessions = d.rows["leadership"][0]["propaganda_sessions"]
    plant(d, "leadership", 0, "propaganda_participants", max(0, sessions - 1), "participants_not_below_sessions", "error")
    e.rows["models"][0]["recognition_level"] = "Cấp thị xã công nhận"
    plant(e, "models", 0, "recognition_doc", None, "recognition_doc_required", "warning")
    f.rows["classification"][1]["score"] = 75.0
    plant(f, "classification", 1, "classification_level", "Hoàn thành xuất sắc nhiệm vụ", "level_matches_score", "warning")
    # A unit proposing two people at once breaks "01 tập thể hoặc 01 cá nhân".
    g = next(r for r in returns if r.scenario == "collective_all_met")
    extra = dict(g.rows["proposals"][0], recipient_kind="Cá nhân", nominee_name="Lê Văn Thêm",
                 crit_c=None, crit_c_evidence=None, crit_d=None, crit_d_evidence=None)
    g.rows["proposals"].append(extra)
    spec = sheet_spec("proposals")
    g.planted.append({"file": g.filename, "unit_code": g.unit.unit_code, "sheet": spec.sheet,
                      "cell": spec.cell(1, "recipient_kind"), "column": "recipient_kind", "value": "Cá nhân",
                      "rule": "proposal.too_many", "severity": "error"})
    g.scenario = "collective_all_met+extra"
    # Odd but readable typing that the reader must normalise without complaint.
    h = candidates[6]
    h.rows["unit_info"][0]["staff_total"] = f"{h.rows['unit_info'][0]['staff_total']} người"
    h.rows["unit_info"][0]["report_date"] = h.rows["unit_info"][0]["report_date"].strftime("%-d/%-m/%Y")
    h.rows["leadership"][0]["propaganda_participants"] = f"{h.rows['leadership'][0]['propaganda_participants']:,}".replace(",", ".")


def demo_returns(plan: Plan | None = None, seed: int = DEFAULT_SEED) -> tuple[list[DemoReturn], list[Unit]]:
    """What the generator means to write, and the units it leaves missing."""
    plan = plan or load_plan()
    rng = random.Random(seed)
    units = list(plan.units)
    missing = rng.sample(units, 2)
    present = [u for u in units if u not in missing]
    late = set(u.unit_code for u in rng.sample(present, 2))
    proposers = rng.sample(present, len(present) // 2)
    scenario_of = {u.unit_code: SCENARIOS[i % len(SCENARIOS)] for i, u in enumerate(proposers)}
    returns = []
    for unit in present:
        scenario = scenario_of.get(unit.unit_code)
        is_late = unit.unit_code in late
        filename = f"{unit.unit_code}_bao_cao_so_ket.xlsx"
        returns.append(DemoReturn(unit, filename, _plan_rows(unit, plan, rng, scenario, is_late), is_late, scenario))
    _plant_mistakes(returns, rng)
    return returns, missing


def intended_cells(ret: DemoReturn) -> dict[tuple[str, str], object]:
    """(sheet, cell) -> value the generator writes for one return."""
    cells = {}
    for spec in SHEETS:
        rows = ret.rows.get(spec.name, [])
        for i, row in enumerate(rows):
            if spec.fixed_rows:
                key = tuple(row[k] for k in spec.key_columns)
                i = spec.fixed_rows.index(key)
            for col in spec.columns:
                if col.key:
                    continue
                value = row.get(col.name)
                if value is not None:
                    cells[(spec.sheet, spec.cell(i, col.name))] = value
    return cells


def demo_key(plan: Plan, seed: int) -> str:
    """What the demo returns are made from: the seed, the configuration, the code that writes them and the
    package version. Unchanged, the returns written last time are used again (and so is the run's cache)."""
    from pipeline.check.batch import config_digest
    from pipeline.config import ROOT, package_version

    h = hashlib.sha256(f"{seed}\0{config_digest(plan)}\0{package_version()}".encode())
    for path in sorted([*(ROOT / "pipeline" / "tools").glob("*.py"), *(ROOT / "schemas").glob("*.py")]):
        h.update(path.read_bytes())
    return h.hexdigest()


def _still_written(out_dir: Path, key: str) -> bool:
    """The demo under `out_dir` was written from `key` and nobody changed a file of it since."""
    try:
        manifest = json.loads((out_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
        if manifest.get("key") != key or not (out_dir / PLANTED_FILE).is_file() or not (out_dir / AWARDS_FILE).is_file():
            return False
        folder = out_dir / RETURNS_DIR
        present = {p.name for p in folder.iterdir() if p.suffix == ".xlsx"}
        return present == set(manifest["sha256"]) and all(
            hashlib.sha256((folder / name).read_bytes()).hexdigest() == sha for name, sha in manifest["sha256"].items())
    except (OSError, ValueError, KeyError, AttributeError):
        return False


def write_demo(out_dir: Path, plan: Plan | None = None, seed: int = DEFAULT_SEED) -> Path:
    """Write the demo returns and their answer keys under `out_dir` (unless they are there, unchanged, from the
    same configuration and code); return the returns folder."""
    plan = plan or load_plan()
    key = demo_key(plan, seed)
    if _still_written(out_dir, key):
        return out_dir / RETURNS_DIR
    template = write_template(out_dir / "template", plan)
    returns, missing = demo_returns(plan, seed)
    folder = out_dir / RETURNS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.xlsx"):
        old.unlink()
    for ret in returns:
        wb = load_workbook(template)
        for (sheet, cell), value in intended_cells(ret).items():
            wb[sheet][cell] = value
        with atomic_path(folder / ret.filename) as tmp:
            wb.save(tmp)
    _write_csv(out_dir / PLANTED_FILE, [p for r in returns for p in r.planted],
               ["file", "unit_code", "sheet", "cell", "column", "value", "rule", "severity"])
    awards = []
    for r in returns:
        if r.scenario:
            base = r.scenario.split("+")[0]
            exp = EXPECTED[base]
            awards.append({"unit_code": r.unit.unit_code, "scenario": r.scenario,
                           "recipient_kind": "Tập thể" if base.startswith("collective") else "Cá nhân",
                           "crit_b": exp.get("b", ""), "crit_c": exp.get("c", ""), "crit_d": exp.get("d", ""),
                           "eligible": exp["eligible"]})
    _write_csv(out_dir / AWARDS_FILE, awards,
               ["unit_code", "scenario", "recipient_kind", "crit_b", "crit_c", "crit_d", "eligible"])
    manifest = {"seed": seed, "missing": [u.unit_code for u in missing],
                "late": sorted(r.unit.unit_code for r in returns if r.is_late),
                "files": sorted(r.filename for r in returns), "key": key,
                "sha256": {r.filename: hashlib.sha256((folder / r.filename).read_bytes()).hexdigest()
                           for r in returns}}
    with atomic_path(out_dir / MANIFEST_FILE) as tmp:
        tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return folder


def _write_csv(path: Path, rows: list[dict], columns: list[str]) -> None:
    write_csv_rows(path, columns, [[r.get(c, "") for c in columns] for r in rows])
