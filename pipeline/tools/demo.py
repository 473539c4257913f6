"""Realistic filled returns for every unit, written into the real template.

Deterministic from a seed. Two units are missing, two are late, about half
propose someone for an award (some meeting every criterion of section III,
some falling short on one), and a handful of typical mistakes are planted and
listed in `planted_mistakes.csv` so that tests can check they are all found.

Each unit writes like itself: a commune or ward of its residents, thôn or tổ dân
phố, fishermen or fields; a department of its own field. Its texts are dealt
from the pools of demo_text.py (see there) so that no two units read alike, and
its figures keep the unit's own pace from year to year (a half-year holds about
half a year's work). The figures and the words come from two random streams of
the seed, so editing a phrase does not move any figure.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import pickle
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook

from pipeline.tools import demo_text as T
from pipeline.config import Plan, Unit, load_plan
from pipeline.files import atomic_path, write_csv_rows
from pipeline.tools.template import write_template
from schemas.codes import Verdict
from schemas.rules import Rule

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


# -- the units' words (phrases of demo_text.py) -------------------------------------------------

# {name}, {name:lo-hi}, {name:lo-hi~step}, {name:lo-hi*}: see the docstring of demo_text.py.
_SLOT = re.compile(r"\{(\w+)(?::(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)(?:~(\d+))?(\*)?)?\}")
# How much more a unit draws from its own pool (its unit code) than from a shared one, per card.
_OWN_WEIGHT = 10.0
_COMMON_WEIGHT = 0.7   # the "chung" pool, shared by every unit


def vn_number(x: float, decimals: int = 0) -> str:
    """1234 -> "1.234", 97.85 -> "97,9" (Vietnamese separators); a decimal that is whole is written whole."""
    if decimals and round(x, decimals) != round(x):
        return f"{x:,.{decimals}f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{round(x):,}".replace(",", ".")


@functools.lru_cache(maxsize=None)
def slots_needed(text: str) -> frozenset[str]:
    """The slots a template reads that it does not draw itself."""
    drawn, needed = set(), set()
    for m in _SLOT.finditer(text):
        if m.group(2) is not None:
            drawn.add(m.group(1))
        elif m.group(1) not in drawn:
            needed.add(m.group(1))
    return frozenset(needed)


def fill(text: str, slots: dict[str, str], rng: random.Random, share: float = 1.0) -> str:
    """A template with its ranges drawn (a range marked * scaled by `share`, the period's part of a year)
    and its slots filled."""
    drawn: dict[str, str] = {}

    def one(m: re.Match) -> str:
        name, lo, hi, step, scaled = m.groups()
        if lo is None:
            return drawn[name] if name in drawn else str(slots[name])
        a, b = float(lo), float(hi)
        if scaled:
            a, b = a * share, b * share
        if "." in lo or "." in hi:
            value = vn_number(round(rng.uniform(a, b), 1), 1)
        else:
            n = rng.randint(max(1, round(a)), max(1, round(b)))
            if step:
                n = max(int(step), round(n / int(step)) * int(step))
            value = vn_number(n)
        drawn[name] = value
        return value

    return _SLOT.sub(one, text)


@dataclass(frozen=True)
class _Card:
    """One item of a pool: its texts (a phrase; a shortcoming and its cause; a model's name and effect), the
    periods it is written for (None: any) and the pool keys of the units that never draw it."""
    texts: tuple[str, ...]
    periods: frozenset | None = None
    not_for: frozenset = frozenset()
    extra: tuple = ()


def _phrase_card(item) -> _Card:
    if isinstance(item, tuple):
        tags, text = item
        periods = frozenset(t for t in tags.split() if not t.startswith("-")) or None
        return _Card((text,), periods, frozenset(t[1:] for t in tags.split() if t.startswith("-")))
    return _Card((item,))


def _cards(pool: list, kind: str) -> list[_Card]:
    if kind == "pair":
        return [_Card(tuple(item)) for item in pool]
    if kind == "model":
        return [_Card((name, effect), extra=(fld, area_i)) for fld, area_i, name, effect in pool]
    return [_phrase_card(item) for item in pool]


@dataclass
class _Voice:
    """How one unit writes: the pool keys it draws from, most specific first, each with its weight per card;
    the words of its slots; the cards it has used per topic (a unit never repeats itself on one topic)."""
    keys: list[tuple[str, float]]
    slots: dict[str, str]
    used: dict[str, set] = field(default_factory=dict)


class _Dealer:
    """Deals the cards of every pool to the units in turn: each pool is shuffled and dealt without
    replacement (a fresh shuffled copy is added when none left fits), so the units' texts differ."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.decks: dict[tuple, list[_Card]] = {}
        self.written: dict[str, set[str]] = {}

    def card(self, voice: _Voice, topic: str, pools: dict[str, list], kind: str = "phrase",
             slots: dict[str, str] | None = None, period: str | None = None, keep: bool = True) -> _Card | None:
        """A card of the voice's pools for `topic` that fits: its period, its slots, not one the unit used."""
        slots = voice.slots if slots is None else slots
        used = voice.used.setdefault(topic, set())
        keys = {k for k, _ in voice.keys}

        def fits(c: _Card) -> bool:
            return (c.texts not in used and (c.periods is None or period in c.periods) and not (c.not_for & keys)
                    and all(slots_needed(t) <= slots.keys() for t in c.texts))

        present = [(k, w * len(pools[k])) for k, w in voice.keys if pools.get(k)]
        order = sorted(present, key=lambda kw: -self.rng.random() ** (1 / kw[1]))
        for key, _ in order:
            deck = self.decks.setdefault((topic, key), [])
            for attempt in range(2):
                hit = next((i for i, c in enumerate(deck) if fits(c)), None)
                if hit is not None:
                    c = deck.pop(hit)
                    if keep:
                        used.add(c.texts)
                    return c
                if attempt == 0:
                    fresh = _cards(pools[key], kind)
                    self.rng.shuffle(fresh)
                    deck.extend(fresh)
        return None

    def phrase(self, voice: _Voice, topic: str, pools: dict[str, list], slots: dict[str, str] | None = None,
               period: str | None = None, share: float = 1.0, fallback: str = "") -> str:
        """A filled phrase no other unit wrote for this topic (a few tries), or `fallback` when no pool fits."""
        slots = voice.slots if slots is None else slots
        written = self.written.setdefault(topic, set())
        text = fallback
        for _ in range(8):
            c = self.card(voice, topic, pools, slots=slots, period=period)
            if c is None:
                break
            text = fill(c.texts[0], slots, self.rng, share)
            if text not in written:
                break
        written.add(text)
        return text


def _voice(unit: Unit, rng: random.Random) -> _Voice:
    """The pool keys and slot words of one unit (see demo_text.py)."""
    code = unit.unit_code
    if _is_commune(unit):
        words = T.COMMUNE_WORDS[unit.unit_type]
        keys = [(code, _OWN_WEIGHT), (T.REGIONS.get(code, T.REGION_DEFAULT), 1.0),
                ("xa" if unit.unit_type == "Xã" else "phuong", 1.0), ("xa_phuong", 1.0), ("chung", _COMMON_WEIGHT)]
        slots = {"dp": words["dp"], "thon": words["thon"], "thon_n": vn_number(rng.randint(*words["thon_n"]))}
    else:
        dept = T.DEPARTMENTS.get(code, T.DEPARTMENT_DEFAULT)
        keys = [(code, _OWN_WEIGHT), ("co_quan", 1.0), ("chung", _COMMON_WEIGHT)]
        slots = {"cq": dept["cq"], "linh_vuc": dept["linh_vuc"]}
    return _Voice(keys, slots)


def _department(unit: Unit) -> dict:
    return T.DEPARTMENTS.get(unit.unit_code, T.DEPARTMENT_DEFAULT)


def _share(period: dict) -> float:
    """The part of a year a period covers ([[periods]] months, default the whole year)."""
    first, last = period.get("months", [1, 12])
    return (int(last) - int(first) + 1) / 12


@dataclass
class _Trend:
    """A unit's figures that move from period to period: procedures on time, filed online, poor households."""
    on_time: float
    online: list[float]
    poor: list[float]

    def slots(self, i: int, rng: random.Random) -> dict[str, str]:
        on_time = min(100.0, self.on_time + rng.uniform(-0.8, 0.4))
        return {"dung_han": vn_number(round(on_time, 1), 1), "truc_tuyen": vn_number(round(self.online[i], 1), 1),
                "ho_ngheo": vn_number(round(self.poor[i], 1), 1)}


def _trend(n_periods: int, commune: bool, rng: random.Random) -> _Trend:
    online, poor = [rng.uniform(3, 10)], [rng.uniform(4.5, 9.0)]
    for _ in range(n_periods - 1):
        online.append(min(85.0, online[-1] * rng.uniform(1.8, 2.6)))
        poor.append(max(0.8, poor[-1] - rng.uniform(0.6, 1.5)))
    return _Trend(rng.uniform(97.0, 99.8) if commune else rng.uniform(96.5, 99.9), online, poor)


# -- the sheets of one return -----------------------------------------------------------------

def _plan_rows(unit: Unit, plan: Plan, rng: random.Random, scenario: str | None, is_late: bool,
               dealer: _Dealer) -> dict[str, list[dict]]:
    commune = _is_commune(unit)
    voice = _voice(unit, dealer.rng)
    trend = _trend(len(plan.items("periods")), commune, rng)
    rows = {"unit_info": [_unit_info(unit, plan, rng, commune, is_late, dealer.rng)]}
    staff = rows["unit_info"][0]["staff_total"]
    voice.slots["so_cb"] = vn_number(staff)
    rows["leadership"] = _leadership(plan, rng, commune, staff)
    rows["models"] = _models(unit, plan, rng, commune, scenario, voice, dealer)
    voice.keys.append(("co_mo_hinh" if rows["models"] else "chua_mo_hinh", 1.0))
    rows["content_results"] = _content_results(plan, rng, commune, voice, trend, rows["models"], dealer)
    rows["classification"] = _classification(plan, rng, scenario)
    tthc = commune or bool(_department(unit).get("tthc"))
    exemplars = rng.randint(2, 8) if commune else rng.randint(1, max(2, min(6, staff // 3)))
    impact_slots = voice.slots | {"dien_hinh": vn_number(exemplars)}
    rows["impact"] = [{
        "on_time_procedures_pct": round(trend.on_time, 1) if tthc else None,
        "satisfaction_pct": round(min(99.5, rng.uniform(86, 96) + (trend.on_time - 97) * 1.2), 1),
        "hcm_exemplars": exemplars,
        **{name: dealer.phrase(voice, f"impact.{name}", pools, impact_slots, fallback="…")
           for name, pools in T.IMPACT.items()},
    }]
    rows["assessment"] = _assessment(plan, rows, voice, impact_slots, dealer)
    rows["awards_given"] = _awards_given(plan, rng, commune, staff)
    htxs = plan.label_of("classification_levels", "HTXS")
    rows["proposals"] = [_proposal(unit, scenario, rows["models"], rng, htxs, commune, voice, dealer)] if scenario else []
    return rows


def _unit_info(unit: Unit, plan: Plan, rng: random.Random, commune: bool, is_late: bool,
               text_rng: random.Random) -> dict:
    staff = rng.randint(*T.COMMUNE_STAFF) if commune else rng.randint(*_department(unit)["staff"])
    if is_late:
        report_date = plan.deadline + dt.timedelta(days=rng.randint(1, 10))
    else:
        report_date = plan.deadline - dt.timedelta(days=rng.randint(1, 12))
    positions = T.POSITIONS["xa_phuong"] if commune else _department(unit).get("positions", T.POSITIONS["co_quan"])
    return {
        "unit_name": unit.unit_name,
        "reporter_name": _person(rng),
        "reporter_position": text_rng.choice(positions),
        "phone": f"0255 38{rng.randint(10000, 99999)}",
        "email": f"{unit.unit_code.replace('_', '')}@ducpho.quangngai.gov.vn",
        "report_date": report_date,
        "staff_total": staff,
        "staff_registered": staff - rng.randint(0, min(3, staff // 4)),
    }


def _leadership(plan: Plan, rng: random.Random, commune: bool, staff: int) -> list[dict]:
    """A unit's own pace (sessions, audience, news) kept from year to year: the movement started mid-2020,
    a half-year period holds about half a year's work."""
    sessions_base = rng.uniform(10, 24) if commune else rng.uniform(3, 9)
    audience = rng.uniform(20, 50) if commune else rng.uniform(max(staff, 8), 2.5 * max(staff, 8))
    news_base = rng.uniform(6, 16) if commune else rng.uniform(2, 8)
    leadership = []
    for i, period in enumerate(plan.items("periods")):
        share = _share(period)
        pace = share * (0.75 if i == 0 else 1.0) * rng.uniform(0.85, 1.15)
        sessions = max(1, round(sessions_base * pace))
        leadership.append({
            "period": period["label"],
            "plans_issued": rng.randint(2, 4) if i == 0 else rng.randint(1, 2) if share < 1 else rng.randint(1, 3),
            "launch_meetings": rng.randint(1, 2) if i == 0 else 1,
            "propaganda_sessions": sessions,
            "propaganda_participants": max(sessions, round(sessions * audience * rng.uniform(0.9, 1.1))),
            "news_items": max(1, round(news_base * share * rng.uniform(0.8, 1.2))),
            "inspections": rng.randint(0, 2 if share < 1 or not commune else 3),
        })
    return leadership


def _content_results(plan: Plan, rng: random.Random, commune: bool, voice: _Voice, trend: _Trend,
                     models: list[dict], dealer: _Dealer) -> list[dict]:
    levels = plan.labels("self_assessment_levels")[:3]
    usual = 0 if rng.random() < 0.6 else 1   # the level a unit gives itself most often
    rows = []
    for area in plan.items("content_areas"):
        base = rng.uniform(5, 16) if commune else rng.uniform(2, 8)
        for i, period in enumerate(plan.items("periods")):
            share = _share(period)
            slots = voice.slots | trend.slots(i, dealer.rng) | {"ky": period["label"][:1].lower() + period["label"][1:]}
            if models:
                slots["model"] = models[i % len(models)]["model_name"]
            level = min(len(levels) - 1, max(0, usual + rng.choices([0, 1, -1], [0.75, 0.15, 0.10])[0]))
            rows.append({
                "content_area": area["label"],
                "period": period["label"],
                "activities": max(1, round(base * share * (0.8 if i == 0 else 1.0) * rng.uniform(0.85, 1.15))),
                "outstanding_results": dealer.phrase(voice, f"results.{area['code']}", T.RESULTS.get(area["code"], {}),
                                                     slots, period["code"], share, fallback=T.RESULT_DEFAULT),
                "self_assessment": levels[level],
            })
    return rows


def _models(unit: Unit, plan: Plan, rng: random.Random, commune: bool, scenario: str | None, voice: _Voice,
            dealer: _Dealer) -> list[dict]:
    """Communes build more models; a few departments have none; the scenario shapes the first one."""
    areas = plan.labels("content_areas")
    levels = {lvl["code"]: lvl["label"] for lvl in plan.items("recognition_levels")}
    n_models = rng.randint(1, 4) if commune else rng.choice([0, 1, 1, 2])
    if scenario and scenario != "individual_fail_b":
        n_models = max(n_models, 1)
    cards = []
    for _ in range(n_models):
        c = dealer.card(voice, "models", T.MODELS, kind="model", slots=voice.slots | {"huong_loi": ""})
        if c is None:
            break
        cards.append(c)
    models = []
    for i, c in enumerate(cards):
        (name, effect), (fld, area_i) = c.texts, c.extra
        level, replicated = rng.choice(["NONE", "UNIT", "TOWN", "TOWN", "PROVINCE"]), rng.random() < 0.5
        kind, implementer = "Tập thể", unit.unit_name
        if i == 0 and scenario in ("collective_all_met", "collective_fail_d"):
            level, replicated = rng.choice(["TOWN", "PROVINCE"]), True
        if scenario == "collective_fail_c":
            level = rng.choice(["NONE", "UNIT"])
        if i == 0 and scenario == "individual_met":
            level, kind, implementer = rng.choice(["TOWN", "PROVINCE", "UNIT"]), "Cá nhân", _person(rng)
        recognised = level != "NONE"
        beneficiaries = rng.randint(50, 3000) if commune else rng.randint(30, 1500)
        start = rng.randint(2020, 2022)   # drawn where the row drew it: the demo's other figures stay
        models.append({
            "model_name": name, "field": fld, "content_area": areas[min(area_i, len(areas) - 1)],
            "model_kind": kind, "implementer": implementer, "start_year": start,
            "recognition_level": levels[level],
            "recognition_doc": f"{rng.randint(10, 999)}/QĐ-UBND" if recognised else None,
            "recognition_date": dt.date(max(rng.randint(2021, 2023), start), rng.randint(1, 5),
                                        rng.randint(1, 28))
            if recognised else None,
            "is_replicated": "Có" if replicated else "Không",
            "replication_places": rng.randint(1, 12) if replicated else None,
            "beneficiaries": beneficiaries,
            "effect": fill(effect, voice.slots | {"huong_loi": vn_number(beneficiaries)}, dealer.rng),
        })
    return models


def _classification(plan: Plan, rng: random.Random, scenario: str | None) -> list[dict]:
    """A unit's score stays near its own level from year to year; the scenario shapes it for the awards."""
    base = rng.uniform(80, 95)
    classification = []
    for year in plan.classification_years:
        score = round(min(98.5, max(72.0, base + rng.uniform(-3, 3))), 1)
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


def _awards_given(plan: Plan, rng: random.Random, commune: bool, staff: int) -> list[dict]:
    rows = []
    for period in plan.items("periods"):
        half = _share(period) < 1
        for form in plan.labels("own_award_forms"):
            collectives = rng.randint(0, 3 if commune else 2)
            individuals = rng.randint(1, 8) if commune else rng.randint(0, min(6, staff // 2 + 1))
            if half:
                collectives, individuals = collectives // 2, individuals // 2
            rows.append({"period": period["label"], "award_form": form,
                         "collectives": collectives, "individuals": individuals})
    return rows


def _assessment(plan: Plan, rows: dict[str, list[dict]], voice: _Voice, slots: dict[str, str],
                dealer: _Dealer) -> list[dict]:
    """Content 4 of the guidance in the unit's own words, its achievements with its own figures."""
    lead, models = rows["leadership"], rows["models"]
    none = plan.label_of("recognition_levels", "NONE")
    totals = {"ke_hoach": sum(r["plans_issued"] for r in lead), "buoi": sum(r["propaganda_sessions"] for r in lead),
              "luot": sum(r["propaganda_participants"] for r in lead), "tin": sum(r["news_items"] for r in lead),
              "kiem_tra": sum(r["inspections"] for r in lead), "so_mo_hinh": len(models),
              "cong_nhan": sum(m["recognition_level"] != none for m in models),
              "huong_loi": sum(m["beneficiaries"] for m in models)}
    slots = slots | {k: vn_number(v) for k, v in totals.items() if v > 0}
    rng = dealer.rng

    def some(topic: str, pools: dict[str, list], most: int = 2) -> list[str]:
        n = most if rng.random() < 0.35 else 1
        return [t for t in (dealer.phrase(voice, topic, pools, slots) for _ in range(n)) if t]

    def pairs(n: int) -> list[tuple[str, str]]:
        out = []
        for _ in range(n):
            c = dealer.card(voice, "assessment.shortcomings", T.SHORTCOMINGS, kind="pair", slots=slots)
            if c is not None:
                out.append((fill(c.texts[0], slots, rng), fill(c.texts[1], slots, rng)))
        return out

    found = pairs(2 if rng.random() < 0.45 else 1)
    objective = dealer.phrase(voice, "assessment.objective", T.OBJECTIVE_CAUSES, slots)
    texts = {
        "achievements": " ".join(t for t in (dealer.phrase(voice, "assessment.figures", T.ACHIEVEMENT_FIGURES, slots),
                                             dealer.phrase(voice, "assessment.achievements", T.ACHIEVEMENTS, slots)) if t),
        "shortcomings": " ".join(s for s, _ in found),
        "causes": " ".join(part for part in (
            f"Khách quan: {objective}." if objective else "",
            f"Chủ quan: {'; '.join(c for _, c in found)}." if found else "") if part),
        "lessons": " ".join(some("assessment.lessons", T.LESSONS)),
        "recommendations": " ".join(some("assessment.recommendations", T.RECOMMENDATIONS)),
    }
    return [{"topic": topic["label"], "text": texts.get(topic["code"]) or T.ASSESSMENT_DEFAULT}
            for topic in plan.items("assessment_topics")]


def _proposal(unit: Unit, scenario: str, models: list[dict], rng: random.Random, htxs: str, commune: bool,
              voice: _Voice, dealer: _Dealer) -> dict:
    collective = scenario.startswith("collective")
    first = models[0] if models else None
    model = first["model_name"] if first else None
    if scenario == "individual_fail_b":
        model, first = None, None
    nominee = unit.unit_name if collective else (models[0]["implementer"] if scenario == "individual_met" else _person(rng))
    kind = "collective" if collective else "individual"
    slots = voice.slots | ({"model": model, "huong_loi": vn_number(first["beneficiaries"])} if model else {})
    texts = T.ACHIEVEMENTS_COLLECTIVE if collective else T.ACHIEVEMENTS_INDIVIDUAL
    pool = {"de_nghi": [t for t in texts if ("model" in slots_needed(t)) == bool(model)]}   # name the model if any
    positions = T.POSITIONS["xa_phuong"] if commune else _department(unit).get("positions", T.POSITIONS["co_quan"])
    row = {
        "recipient_kind": "Tập thể" if collective else "Cá nhân",
        "nominee_name": nominee,
        "nominee_position": None if collective else f"{dealer.rng.choice(positions)}, {unit.unit_name}",
        "achievements_summary": dealer.phrase(_Voice([("de_nghi", 1.0)], slots), f"proposal.{kind}", pool, slots),
        "model_name": model,
        "crit_a": "Có", "crit_a_evidence": dealer.rng.choice(T.CRIT_A_EVIDENCE[kind]),
        "crit_b": "Có", "crit_b_evidence": dealer.rng.choice(T.CRIT_B_EVIDENCE[kind]),
    }
    if scenario == "individual_fail_b":
        row["crit_b_evidence"] = None
    if collective:
        row |= {"crit_c": "Có", "crit_c_evidence": f"Mô hình “{model}”.",
                "crit_d": "Có", "crit_d_evidence": f"Xếp loại {htxs.lower()} các năm 2020–2022."}
    return row


def _plant_mistakes(returns: list[DemoReturn], rng: random.Random, plan: Plan) -> None:
    """Typical clerk mistakes, each recorded with the cell where it is."""
    def plant(ret: DemoReturn, sheet: str, row_i: int, column: str, value, rule: str, severity: str):
        ret.rows[sheet][row_i][column] = value
        spec = plan.sheet(sheet)
        ret.planted.append({
            "file": ret.filename, "unit_code": ret.unit.unit_code, "sheet": spec.sheet,
            "cell": spec.cell(row_i, column), "column": column, "value": "" if value is None else str(value),
            "rule": rule, "severity": severity,
        })

    candidates = [r for r in returns if not r.scenario]
    with_models = [r for r in candidates if r.rows["models"]]
    a, b, c, d, e, f = candidates[0], with_models[1], candidates[2], candidates[3], with_models[3], candidates[5]
    plant(a, "leadership", 1, "propaganda_sessions", "10-12", Rule.NUMBER_INVALID, "error")
    plant(b, "models", 0, "field", "Môi trường", Rule.CHOICE_INVALID, "error")
    plant(c, "leadership", 2, "news_items", None, Rule.REQUIRED_MISSING, "error")
    sessions = d.rows["leadership"][0]["propaganda_sessions"]
    plant(d, "leadership", 0, "propaganda_participants", max(0, sessions - 1), Rule.PARTICIPANTS_NOT_BELOW_SESSIONS, "error")
    e.rows["models"][0]["recognition_level"] = "Cấp thị xã công nhận"
    plant(e, "models", 0, "recognition_doc", None, Rule.RECOGNITION_DOC_REQUIRED, "warning")
    f.rows["classification"][1]["score"] = 75.0
    plant(f, "classification", 1, "classification_level", "Hoàn thành xuất sắc nhiệm vụ", Rule.LEVEL_MATCHES_SCORE, "warning")
    # A unit proposing two people at once breaks "01 tập thể hoặc 01 cá nhân".
    g = next(r for r in returns if r.scenario == "collective_all_met")
    extra = dict(g.rows["proposals"][0], recipient_kind="Cá nhân", nominee_name="Lê Văn Thêm",
                 crit_c=None, crit_c_evidence=None, crit_d=None, crit_d_evidence=None)
    g.rows["proposals"].append(extra)
    spec = plan.sheet("proposals")
    g.planted.append({"file": g.filename, "unit_code": g.unit.unit_code, "sheet": spec.sheet,
                      "cell": spec.cell(1, "recipient_kind"), "column": "recipient_kind", "value": "Cá nhân",
                      "rule": Rule.PROPOSAL_TOO_MANY, "severity": "error"})
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
    dealer = _Dealer(random.Random(f"{seed}:texts"))   # the words, drawn apart from the figures
    returns = []
    for unit in present:
        scenario = scenario_of.get(unit.unit_code)
        is_late = unit.unit_code in late
        filename = f"{unit.unit_code}_bao_cao_so_ket.xlsx"
        rows = _plan_rows(unit, plan, rng, scenario, is_late, dealer)
        returns.append(DemoReturn(unit, filename, rows, is_late, scenario))
    _plant_mistakes(returns, rng, plan)
    return returns, missing


def intended_cells(ret: DemoReturn, plan: Plan) -> dict[tuple[str, str], object]:
    """(sheet, cell) -> value the generator writes for one return."""
    cells = {}
    for spec in plan.sheets:
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
    blank = pickle.dumps(load_workbook(template))   # a copy of the loaded template costs a tenth of loading it
    for ret in returns:
        wb = pickle.loads(blank)
        for (sheet, cell), value in intended_cells(ret, plan).items():
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
