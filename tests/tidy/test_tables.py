"""Normalised tables: one fact per row, codes as keys, provenance kept."""
from __future__ import annotations

import copy

import pandas as pd
import pytest

from pipeline.config import load_plan
from pipeline.tidy.tables import build_tables, leadership_indicators
from schemas.aggregates import data_dictionary
from schemas.tables import TABLES
from tests.factories import (
    inline_submissions, inline_tables, model_row, proposal_row, validated_from_demo,
)

PLAN = load_plan()


@pytest.fixture(scope="module")
def demo():
    tables, submissions, returns = validated_from_demo(PLAN)
    return tables, submissions, build_tables(tables, submissions, PLAN)


def test_every_table_matches_its_schema_and_keeps_provenance(demo):
    _, _, out = demo
    assert set(out) == set(TABLES)
    for name, frame in out.items():
        TABLES[name].validate(frame)
        if name != "units":
            assert {"unit_code", "unit_group", "unit_type", "source_file", "sheet", "excel_row"} <= set(frame.columns)


def test_units_has_every_registry_unit_with_its_status(demo):
    _, submissions, out = demo
    units = out["units"]
    assert list(units.unit_code) == [u.unit_code for u in PLAN.units]
    assert (units.status.values == submissions.set_index("unit_code").loc[units.unit_code, "status"].values).all()
    assert (units.is_reported == units.status.isin(["on_time", "late"])).all()
    assert (units.is_on_time == units.status.eq("on_time")).all()
    assert units.loc[units.status == "missing", "staff_total"].isna().all()
    assert units.loc[units.is_reported, "staff_total"].notna().all()


def test_leadership_is_one_row_per_number(demo):
    tables, _, out = demo
    lead = out["leadership"]
    assert len(lead) == len(tables["leadership"]) * len(leadership_indicators(load_plan()))
    src = tables["leadership"]
    for indicator in leadership_indicators(load_plan()):
        assert lead.loc[lead.indicator_code == indicator, "value"].sum() == src[indicator].sum()


def test_half_year_2023_keeps_its_own_period(demo):
    _, _, out = demo
    half = out["leadership"][out["leadership"].period_code == "2023H1"]
    assert len(half) and set(half.period_label) == {"6 tháng đầu năm 2023"} and set(half.year) == {2023}
    assert "2023H1" in set(out["content_results"].period_code)
    assert "2023H1" in set(out["awards_given"].period_code)


def test_content_results_use_config_codes(demo):
    tables, _, out = demo
    content = out["content_results"]
    assert set(content.content_area_code) <= set(PLAN.codes("content_areas"))
    assert len(content) == len(tables["content_results"])
    assert content.activities.sum() == tables["content_results"].activities.sum()
    label = dict(zip(PLAN.codes("content_areas"), PLAN.labels("content_areas")))
    assert (content.content_area_code.map(label) == content.content_area_label).all()


def test_models_codes_flags_and_blank_places(demo):
    tables, _, out = demo
    models = out["models"]
    assert len(models) == len(tables["models"]) and models.model_id.is_unique
    assert (models.is_recognised == (models.recognition_code != "NONE")).all()
    assert (models.has_recognition_doc == models.recognition_doc.notna()).all()
    assert models.replication_places.notna().all()
    assert (models.loc[~models.is_replicated.astype(bool), "replication_places"] == 0).all()


def test_awards_given_blank_counts_are_zero():
    rows = [{"period": "Năm 2021", "award_form": "Giấy khen", "collectives": None, "individuals": 4}]
    out = build_tables(inline_tables(awards_given=rows), inline_submissions(PLAN, {"pho_an": "on_time"}), PLAN)
    given = out["awards_given"].set_index("recipient_kind_code")["count"]
    assert given["COLLECTIVE"] == 0 and given["INDIVIDUAL"] == 4


def test_proposals_are_numbered_per_unit_and_extras_marked():
    rows = [proposal_row(_excel_row=6), proposal_row(recipient_kind="Cá nhân", nominee_name="Lê Văn Thêm", _excel_row=5)]
    out = build_tables(inline_tables(proposals=rows), inline_submissions(PLAN, {"pho_an": "on_time"}), PLAN)
    props = out["proposals"]
    assert list(props.excel_row) == [5, 6]
    assert list(props.proposal_order) == [1, 2]
    assert list(props.is_extra) == [False, True]
    assert props.unit_name.iloc[0] == "UBND xã Phổ An"


def test_unit_with_no_models_and_empty_sheets():
    out = build_tables(inline_tables(), inline_submissions(PLAN, {"pho_an": "late"}), PLAN)
    assert all(out[n].empty for n in out if n != "units")
    assert out["units"].set_index("unit_code").loc["pho_an", "status"] == "late"


def test_a_new_content_area_needs_only_config():
    raw = copy.deepcopy(PLAN.raw)
    raw["content_areas"].append({"code": "ND7", "label": "7. Chuyển đổi số", "description": "Thử nghiệm"})
    plan = type(PLAN)(raw=raw, units=PLAN.units)
    rows = [{"content_area": "7. Chuyển đổi số", "period": "Năm 2022", "activities": 3,
             "outstanding_results": None, "self_assessment": "Tốt"}]
    out = build_tables(inline_tables(content_results=rows, models=[model_row(content_area="7. Chuyển đổi số")]),
                       inline_submissions(plan, {"pho_an": "on_time"}), plan)
    assert out["content_results"].content_area_code.tolist() == ["ND7"]
    assert out["models"].content_area_code.tolist() == ["ND7"]


def test_build_tables_does_not_modify_its_arguments(demo):
    tables, submissions, _ = demo
    before = {k: v.copy() for k, v in tables.items()}
    subs_before = submissions.copy()
    build_tables(tables, submissions, PLAN)
    for k in tables:
        pd.testing.assert_frame_equal(tables[k], before[k])
    pd.testing.assert_frame_equal(submissions, subs_before)


def test_data_dictionary_describes_every_column_in_vietnamese():
    dd = data_dictionary()
    assert {"table", "column", "dtype", "description"} <= set(dd.columns)
    assert (dd.description.str.len() > 0).all()
    assert {"units", "models", "reporting", "verdicts", "ranking"} <= set(dd.table)
    assert dd.loc[(dd.table == "models") & (dd.column == "is_recognised"), "description"].iloc[0].startswith("Mô hình")
