"""Every planted mistake is found at its cell; no valid row is ever lost."""
from __future__ import annotations

import csv

import pandas as pd

from schemas import SHEETS


def test_every_planted_mistake_is_found_at_the_right_cell(checked_demo, demo_dir):
    with (demo_dir / "planted_mistakes.csv").open(encoding="utf-8-sig") as fh:
        planted = list(csv.DictReader(fh))
    found = {(i.file, i.sheet, i.cell, i.rule, i.severity) for i in checked_demo.issues.itertuples()}
    for p in planted:
        assert (p["file"], p["sheet"], p["cell"], p["rule"], p["severity"]) in found, p


def test_no_error_beyond_the_planted_ones(checked_demo, demo_dir):
    with (demo_dir / "planted_mistakes.csv").open(encoding="utf-8-sig") as fh:
        planted = {(p["file"], p["cell"]) for p in csv.DictReader(fh) if p["severity"] == "error"}
    errors = checked_demo.issues[checked_demo.issues["severity"] == "error"]
    assert {(e.file, e.cell) for e in errors.itertuples()} == planted


def test_rows_read_equal_rows_validated_plus_rows_excluded(checked_demo):
    errors = checked_demo.issues[(checked_demo.issues["severity"] == "error") & (checked_demo.issues["cell"] != "")]
    forms = {s.sheet for s in SHEETS if s.layout == "form"}
    for row in checked_demo.counts.itertuples():
        mine = errors[errors["sheet"] == row.sheet]
        if row.sheet in forms:
            excluded = mine["file"].nunique()
        else:
            excluded = len(set(zip(mine["file"], mine["cell"].str.extract(r"(\d+)$")[0])))
        assert row.rows_read == row.rows_valid + row.rows_excluded, row
        assert row.rows_excluded == excluded, row


def test_every_valid_row_of_the_demo_reaches_the_tables(checked_demo, demo_intended):
    returns, _ = demo_intended
    planted_rows = {(p["file"], p["sheet"]) for r in returns for p in r.planted if p["severity"] == "error"}
    for spec in SHEETS:
        expected = sum(len(r.rows.get(spec.name, [])) for r in returns)
        if spec.fixed_rows:
            expected = sum(len(spec.fixed_rows) for r in returns)
        lost = sum(1 for f, s in planted_rows if s == spec.sheet)
        got = len(checked_demo.tables[spec.name])
        assert got == expected - lost, spec.name


def test_values_in_the_tables_equal_what_the_units_typed(checked_demo, demo_intended):
    returns, _ = demo_intended
    ret = next(r for r in returns if not r.planted and r.rows["models"])
    models = checked_demo.tables["models"]
    mine = models[models["source_file"] == ret.filename].sort_values("excel_row")
    assert mine["model_name"].tolist() == [m["model_name"] for m in ret.rows["models"]]
    assert mine["beneficiaries"].tolist() == [m["beneficiaries"] for m in ret.rows["models"]]
    lead = checked_demo.tables["leadership"]
    lead = lead[lead["source_file"] == ret.filename].sort_values("excel_row")
    assert lead["propaganda_participants"].tolist() == [r["propaganda_participants"] for r in ret.rows["leadership"]]


def test_each_row_keeps_its_provenance(checked_demo):
    for name, df in checked_demo.tables.items():
        assert {"unit_code", "source_file", "sheet", "excel_row"} <= set(df.columns), name
        assert df["unit_code"].ne("").all() and (df["excel_row"] >= 4).all(), name


def test_submissions_cover_every_unit_with_the_right_status(checked_demo, plan, demo_dir):
    import json

    manifest = json.loads((demo_dir / "manifest.json").read_text(encoding="utf-8"))
    sub = checked_demo.submissions.set_index("unit_code")
    assert len(sub) == len(plan.units)
    assert sorted(sub.index[sub["status"] == "missing"]) == sorted(manifest["missing"])
    assert sorted(sub.index[sub["status"] == "late"]) == sorted(manifest["late"])
    assert (sub["status"] == "on_time").sum() == len(plan.units) - 4


def test_warning_keeps_the_row_and_error_excludes_it(checked_demo):
    issues = checked_demo.issues
    warn = issues[(issues["rule"] == "recognition_doc_required")].iloc[0]
    models = checked_demo.tables["models"]
    assert ((models["source_file"] == warn["file"]) & (models["excel_row"] == 4)).any()
    err = issues[(issues["rule"] == "choice.invalid")].iloc[0]
    assert not ((models["source_file"] == err["file"]) & (models["excel_row"] == 4)).any()
    assert "vẫn được tổng hợp" in warn["message"] and "chưa được tổng hợp" in err["message"]


def test_proposal_rules_one_per_unit(checked_demo):
    props = checked_demo.tables["proposals"]
    assert props.groupby("unit_code").size().max() == 1


def test_parallel_checking_gives_the_same_result(demo_dir, plan, checked_demo):
    """Two worker processes (JOBS=2), small chunks: the same files, issues and rows as one process."""
    from pipeline.check import batch, check
    from pipeline.read.discover import discover

    old = batch.CHUNK_AVERAGE
    batch.CHUNK_AVERAGE = 4
    try:
        parallel, _ = check(discover(demo_dir / "returns", plan), plan, jobs=2)
    finally:
        batch.CHUNK_AVERAGE = old
    pd.testing.assert_frame_equal(parallel.issues, checked_demo.issues)
    pd.testing.assert_frame_equal(parallel.files, checked_demo.files)
    for name, df in checked_demo.tables.items():
        pd.testing.assert_frame_equal(parallel.tables[name].sort_values(["source_file", "excel_row"]).reset_index(drop=True),
                                      df.sort_values(["source_file", "excel_row"]).reset_index(drop=True))


def test_declared_criterion_c_without_a_qualifying_model_is_flagged(checked_demo, demo_dir):
    with (demo_dir / "expected_awards.csv").open(encoding="utf-8-sig") as fh:
        fail_c = {r["unit_code"] for r in csv.DictReader(fh) if r["scenario"] == "collective_fail_c"}
    flagged = set(checked_demo.issues.loc[checked_demo.issues["rule"] == "proposal.crit_c_unsupported", "unit_code"])
    assert fail_c and flagged == fail_c
