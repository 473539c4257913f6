"""Issue 4 end to end on the real demo workbooks: read, validate, normalise,
aggregate, check awards; compare with counts taken straight from what the
generator wrote."""
from __future__ import annotations

import csv

import pandas as pd
import pytest

from pipeline.tidy import aggregate, awards, tables as normalize


@pytest.fixture(scope="module")
def stages(checked_demo, plan):
    normal = normalize.build_tables(checked_demo.tables, checked_demo.submissions, plan)
    aggs = aggregate.build_aggregates(normal, plan)
    verdicts, ranking = awards.evaluate_proposals(normal, plan)
    return normal, aggs, verdicts, ranking


def test_model_counts_equal_the_generator(stages, demo_intended, plan):
    _, aggs, _, _ = stages
    returns, _ = demo_intended
    bad = {(p["file"], p["cell"][1:]) for r in returns for p in r.planted
           if p["severity"] == "error" and p["sheet"].startswith("4.")}
    models = [(r, i, m) for r in returns for i, m in enumerate(r.rows["models"]) if (r.filename, str(4 + i)) not in bad]
    town = aggs["models_summary"].set_index("scope").loc["Toàn thị xã"]
    assert town["models"] == len(models)
    none = plan.labels("recognition_levels")[0]
    rank = {i["label"]: int(i["rank"]) for i in plan.items("recognition_levels")}
    competent = rank[plan.label_of("recognition_levels", plan.awards["min_recognition_level"])]
    assert town["recognised"] == sum(rank[m["recognition_level"]] >= competent for _, _, m in models)
    assert town["recognised_any"] == sum(m["recognition_level"] != none for _, _, m in models)
    assert town["replicated"] == sum(m["is_replicated"] == "Có" for _, _, m in models)
    assert town["replication_places"] == sum(m["replication_places"] or 0 for _, _, m in models)
    by_field = aggs["models_by"].query("scope == 'Toàn thị xã' and dimension == 'field'").set_index("category_label")
    for label in plan.labels("fields"):
        expected = sum(m["field"] == label for _, _, m in models)
        got = by_field.at[label, "models"] if label in by_field.index else 0
        assert got == expected, label


def test_propaganda_totals_equal_the_generator(stages, demo_intended):
    _, aggs, _, _ = stages
    returns, _ = demo_intended
    bad_files = {p["file"] for r in returns for p in r.planted
                 if p["severity"] == "error" and p["sheet"].startswith("2.")}
    lead = aggs["leadership_by_period"]
    town_all = lead[(lead["scope"] == "Toàn thị xã") & (lead["period_code"] == "ALL")].iloc[0]
    # Rows with a planted error are excluded; the other rows of those files still count.
    expected = 0
    for r in returns:
        for i, row in enumerate(r.rows["leadership"]):
            planted_here = any(p["sheet"].startswith("2.") and p["severity"] == "error" and p["cell"][1:] == str(4 + i)
                               for p in r.planted)
            if not planted_here:
                value = row["propaganda_participants"]
                expected += int(str(value).replace(".", "")) if isinstance(value, str) else value
    assert town_all["propaganda_participants"] == expected
    assert bad_files  # the demo does plant leadership errors, so the exclusion path is exercised


def test_reporting_status_counts(stages, plan, demo_dir):
    import json

    _, aggs, _, _ = stages
    manifest = json.loads((demo_dir / "manifest.json").read_text(encoding="utf-8"))
    town = aggs["reporting"].set_index("scope").loc["Toàn thị xã"]
    assert town["expected"] == len(plan.units)
    assert town["missing"] == len(manifest["missing"]) and town["late"] == len(manifest["late"])
    assert town["reported"] == len(plan.units) - len(manifest["missing"])


def test_each_proposal_verdict_matches_what_the_generator_planted(stages, demo_dir):
    _, _, verdicts, ranking = stages
    with (demo_dir / "expected_awards.csv").open(encoding="utf-8-sig") as fh:
        expected = list(csv.DictReader(fh))
    first = verdicts[verdicts["proposal_order"] == 1].set_index(["unit_code", "criterion"])
    for exp in expected:
        for crit in ("b", "c", "d"):
            if exp[f"crit_{crit}"]:
                assert first.at[(exp["unit_code"], crit), "verdict"] == exp[f"crit_{crit}"], (exp, crit)
        eligible = bool(first.loc[exp["unit_code"], "is_eligible"].iloc[0])
        assert eligible == (exp["eligible"] == "True"), exp
    eligible_units = {e["unit_code"] for e in expected if e["eligible"] == "True"}
    assert set(ranking["unit_code"]) == eligible_units
    assert ranking["rank"].min() == 1 and ranking["note"].str.contains("quyết định").all()


def test_group_totals_add_up_to_the_town(stages):
    _, aggs, _, _ = stages
    for name in ("reporting", "models_summary"):
        df = aggs[name]
        numeric = [c for c in df.columns if pd.api.types.is_integer_dtype(df[c])]
        town = df[df["scope_kind"] == "town"][numeric].sum()
        groups = df[df["scope_kind"] == "unit_group"][numeric].sum()
        pd.testing.assert_series_equal(town, groups, check_names=False)
