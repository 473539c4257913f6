"""The demo returns are what the generator meant to write, with their answer keys."""
from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections import Counter, defaultdict

from openpyxl import load_workbook

from pipeline.tools.demo import intended_cells


def test_a_demo_return_read_back_cell_by_cell_equals_the_intent(demo_dir, demo_intended, plan):
    returns, _ = demo_intended
    for ret in returns:
        wb = load_workbook(demo_dir / "returns" / ret.filename)
        for (sheet, cell), value in intended_cells(ret, plan).items():
            got = wb[sheet][cell].value
            if isinstance(value, dt.date) and isinstance(got, dt.datetime):
                got = got.date()
            assert got == value, (ret.filename, sheet, cell)


def test_demo_leaves_two_missing_two_late_and_half_proposing(demo_dir, demo_intended, plan):
    returns, missing = demo_intended
    manifest = json.loads((demo_dir / "manifest.json").read_text(encoding="utf-8"))
    assert len(missing) == 2 and len(manifest["missing"]) == 2
    assert len(manifest["late"]) == 2
    assert len(returns) == len(plan.units) - 2
    written = sorted(p.name for p in (demo_dir / "returns").glob("*.xlsx"))
    assert written == manifest["files"]
    proposers = [r for r in returns if r.scenario]
    assert abs(len(proposers) - len(returns) / 2) <= 2
    with (demo_dir / "expected_awards.csv").open(encoding="utf-8-sig") as fh:
        awards = list(csv.DictReader(fh))
    assert {a["eligible"] for a in awards} == {"True", "False"}


def test_planted_mistakes_are_listed(demo_dir):
    with (demo_dir / "planted_mistakes.csv").open(encoding="utf-8-sig") as fh:
        planted = list(csv.DictReader(fh))
    assert {"number.invalid", "choice.invalid", "required.missing"} <= {p["rule"] for p in planted}
    assert all(p["cell"] and p["sheet"] and p["file"] for p in planted)


def test_demo_is_deterministic(demo_intended, plan):
    from pipeline.tools.demo import demo_returns

    again, _ = demo_returns()
    assert [intended_cells(r, plan) for r in again] == [intended_cells(r, plan) for r in demo_intended[0]]


# -- the demo reads like many different units, not one unit copied -------------------------------

def _pattern(text: str) -> str:
    """A text with its figures and quoted names left out: "Duy trì mô hình “X”, 120 lượt" and "Duy trì mô hình
    “Y”, 85 lượt" are the same sentence written twice."""
    return re.sub(r"“[^”]*”", "“…”", re.sub(r"\d+(?:[.,]\d+)*", "#", text.strip()))


def _sentences(text: str) -> set[str]:
    """The sentences of a text, figures left out (a quoted name there is what the unit speaks of: kept)."""
    return {re.sub(r"\d+(?:[.,]\d+)*", "#", s) for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s}


def test_each_content_area_has_its_own_outstanding_results_written_by_few_units(demo_intended, plan):
    """No "kết quả nổi bật" serves two content areas, none is written by more than a quarter of the units of an
    area (figures and model names aside), and a unit does not repeat itself from year to year."""
    returns, _ = demo_intended
    code_of = {a["label"]: a["code"] for a in plan.items("content_areas")}
    writers = defaultdict(lambda: defaultdict(set))   # area -> pattern -> units
    for ret in returns:
        mine = defaultdict(list)
        for row in ret.rows["content_results"]:
            area = code_of[row["content_area"]]
            writers[area][_pattern(row["outstanding_results"])].add(ret.unit.unit_code)
            mine[area].append(_pattern(row["outstanding_results"]))
        for area, texts in mine.items():
            assert len(set(texts)) == len(texts), (ret.unit.unit_code, area, texts)
    assert set(writers) == set(code_of.values())
    areas = sorted(writers)
    for i, a in enumerate(areas):
        for b in areas[i + 1:]:
            assert not set(writers[a]) & set(writers[b]), (a, b, sorted(set(writers[a]) & set(writers[b]))[:3])
    limit = len(returns) // 4
    for area, texts in writers.items():
        text, units = max(texts.items(), key=lambda kv: len(kv[1]))
        assert len(units) <= limit, (area, text, sorted(units))


def test_units_assess_themselves_and_their_impact_in_their_own_words(demo_intended, plan):
    """Content 3 and 4 of the guidance (sheets 6 and 7): no sentence is written by more than three units."""
    returns, _ = demo_intended
    topics = {f"assessment: {t}": [next(r["text"] for r in ret.rows["assessment"] if r["topic"] == t) for ret in returns]
              for t in plan.labels("assessment_topics")}
    topics |= {f"impact: {c}": [ret.rows["impact"][0][c] for ret in returns]
               for c in ("political_tasks_impact", "hcm_link", "other_movements")}
    topics["model effects"] = [" ".join(m["effect"] for m in ret.rows["models"]) for ret in returns]
    topics["award achievements"] = [" ".join(p["achievements_summary"] for p in ret.rows["proposals"][:1])
                                    for ret in returns]
    for topic, texts in topics.items():
        count = Counter(s for text in texts for s in _sentences(text))
        sentence, units = count.most_common(1)[0]
        assert units <= 3, (topic, sentence, units)


def test_each_assessment_topic_says_what_it_is_asked(demo_intended, plan):
    """Shortcomings name a shortcoming, causes say which kind, recommendations ask."""
    returns, _ = demo_intended
    label = {t["code"]: t["label"] for t in plan.items("assessment_topics")}
    for ret in returns:
        text = {r["topic"]: r["text"] for r in ret.rows["assessment"]}
        for sentence in re.split(r"(?<=\.)\s+", text[label["shortcomings"]]):
            assert re.search(r"\b(chưa|còn|hạn chế|chậm|thấp)\b", sentence, re.IGNORECASE), (ret.unit.unit_code, sentence)
        assert re.match(r"(Khách quan|Chủ quan): ", text[label["causes"]]), ret.unit.unit_code
        assert all(s.startswith("Đề nghị") for s in re.split(r"(?<=\.)\s+", text[label["recommendations"]]))


def test_a_units_figures_keep_its_own_pace_from_year_to_year(demo_intended, plan):
    """Propaganda sessions of two consecutive whole years differ by at most half; a session gathers a
    plausible audience; a score moves by a few points a year unless the award scenario says otherwise."""
    returns, _ = demo_intended
    whole = [p["label"] for p in plan.items("periods") if p.get("months", [1, 12]) == [1, 12]]
    for ret in returns:
        planted = {p["sheet"][:2] for p in ret.planted}   # a planted mistake is no figure of the unit's pace
        lead = {r["period"]: r for r in ret.rows["leadership"]}
        sessions = [lead[p]["propaganda_sessions"] for p in whole]
        for a, b in zip(sessions, sessions[1:]):
            if isinstance(a, int) and isinstance(b, int):   # a planted "10-12" is no number
                assert max(a, b) <= 2 * min(a, b), (ret.unit.unit_code, sessions)
        for r in ret.rows["leadership"]:
            if isinstance(r["propaganda_sessions"], int) and isinstance(r["propaganda_participants"], int):
                assert r["propaganda_participants"] <= 100 * r["propaganda_sessions"], (ret.unit.unit_code, r)
        if not (ret.scenario or "").startswith("collective_fail_d") and "5." not in planted:
            scores = [c["score"] for c in ret.rows["classification"]]
            assert max(scores) - min(scores) <= 12, (ret.unit.unit_code, scores)
