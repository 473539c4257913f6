"""Award proposals: each criterion of section III against the unit's own rows."""
from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from pipeline import messages as msg
from pipeline.tidy.awards import evaluate_proposals, proposal_summary
from pipeline.config import load_plan
from pipeline.tools.demo import EXPECTED
from pipeline.tidy.tables import build_tables
from tests.factories import (
    classification_rows, inline_submissions, inline_tables, model_row, proposal_row, validated_from_demo,
)

PLAN = load_plan()
ALL_HTXS = {2020: 95.0, 2021: 92.0, 2022: 91.5}


def _evaluate(statuses=None, plan=PLAN, **sheets):
    tables = build_tables(inline_tables(**sheets), inline_submissions(plan, statuses or {"pho_an": "on_time"}), plan)
    return evaluate_proposals(tables, plan)


def _plan_with(**awards):
    """The plan with some [awards] keys changed (what a user edits in config/plan.toml)."""
    return dataclasses.replace(PLAN, raw={**PLAN.raw, "awards": {**PLAN.awards, **awards}})


def _verdict(verdicts: pd.DataFrame, criterion: str, unit: str = "pho_an", order: int = 1) -> pd.Series:
    row = verdicts[(verdicts.unit_code == unit) & (verdicts.criterion == criterion) & (verdicts.proposal_order == order)]
    assert len(row) == 1
    return row.iloc[0]


# -- the demo returns: each planted scenario gets its expected verdicts -----------------

@pytest.fixture(scope="module")
def demo_verdicts():
    tables, submissions, returns = validated_from_demo(PLAN)
    verdicts, ranking = evaluate_proposals(build_tables(tables, submissions, PLAN), PLAN)
    return verdicts, ranking, returns


def test_demo_verdicts_match_the_planted_scenarios(demo_verdicts):
    verdicts, ranking, returns = demo_verdicts
    scenarios = {r.unit.unit_code: r.scenario.split("+")[0] for r in returns if r.scenario}
    assert set(verdicts.unit_code) == set(scenarios)
    for unit, scenario in scenarios.items():
        expected = EXPECTED[scenario]
        for criterion in ("b", "c", "d"):
            if criterion in expected:
                assert _verdict(verdicts, criterion, unit).verdict == expected[criterion], (unit, scenario, criterion)
        assert bool(_verdict(verdicts, "a", unit).is_eligible) == expected["eligible"], (unit, scenario)
    eligible = {u for u, s in scenarios.items() if EXPECTED[s]["eligible"]}
    assert set(ranking.unit_code) == eligible


def test_demo_criteria_per_kind_and_declared_ones_unverified(demo_verdicts):
    verdicts, _, _ = demo_verdicts
    per = verdicts.groupby(["unit_code", "recipient_kind_code"])["criterion"].apply(lambda s: "".join(sorted(s)))
    for (_, kind), criteria in per.items():
        assert criteria == ("abcd" if kind == "COLLECTIVE" else "ab")
    declared_only = verdicts[(verdicts.criterion == "a")
                             | ((verdicts.criterion == "b") & (verdicts.recipient_kind_code == "COLLECTIVE"))]
    assert set(declared_only.verdict) == {"unverified"}


def test_demo_ranking_terms_add_up_and_say_people_decide(demo_verdicts):
    _, ranking, _ = demo_verdicts
    terms = ["recognition_points", "replication_points", "places_points", "classification_points", "people_points"]
    assert (ranking[terms].sum(axis=1).round(2) == ranking.score_total).all()
    assert ranking["rank"].iloc[0] == 1
    assert ranking.score_total.is_monotonic_decreasing
    assert set(ranking.note) == {msg.RANKING_NOTE.format(office=PLAN.review["office"],
                                                         local_government=PLAN.review["local_government"])}
    assert all("gợi ý" in note.lower() and PLAN.review["office"] in note for note in ranking.note)


def test_second_proposal_of_a_unit_is_flagged_not_evaluated():
    tables, submissions, returns = validated_from_demo(PLAN)
    props = tables["proposals"]
    first = props.iloc[[0]].copy()
    extra = first.assign(excel_row=first.excel_row + 1, recipient_kind="Cá nhân", nominee_name="Lê Văn Thêm",
                         crit_c=pd.array([pd.NA], dtype="boolean"), crit_d=pd.array([pd.NA], dtype="boolean"))
    tables = tables | {"proposals": pd.concat([props, extra], ignore_index=True)}
    verdicts, ranking = evaluate_proposals(build_tables(tables, submissions, PLAN), PLAN)
    unit = first.unit_code.iloc[0]
    second = verdicts[(verdicts.unit_code == unit) & (verdicts.proposal_order == 2)]
    assert list(second.criterion) == ["a", "b"]
    assert set(second.verdict) == {"not_evaluated"} and not second.is_eligible.any()
    assert "đề nghị khác" in second.evidence.iloc[0] and "dòng" not in second.evidence.iloc[0]
    assert (verdicts[(verdicts.unit_code == unit) & (verdicts.proposal_order == 1)].verdict != "not_evaluated").all()
    assert ranking.unit_code.is_unique


# -- collective (c) ----------------------------------------------------------------------

def test_collective_with_no_models_fails_c():
    verdicts, ranking = _evaluate(proposals=[proposal_row()], classification=classification_rows(ALL_HTXS))
    c = _verdict(verdicts, "c")
    assert c.verdict == "not_met" and c.evidence == msg.EV_NO_MODELS
    assert ranking.empty


def test_collective_c_needs_the_competent_level():
    models = [model_row(model_name="Chỉ cấp đơn vị", recognition_level="Cơ quan, đơn vị công nhận"),
              model_row(model_name="Chưa công nhận", recognition_level="Chưa được công nhận", recognition_doc=None)]
    verdicts, ranking = _evaluate(proposals=[proposal_row()], models=models,
                                  classification=classification_rows(ALL_HTXS))
    c = _verdict(verdicts, "c")
    assert c.verdict == "not_met" and ranking.empty
    assert "“Chỉ cấp đơn vị”" in c.evidence and "“Cấp thị xã công nhận”" in c.evidence


NOT_YET_REPLICATED = model_row(model_name="Chưa nhân rộng", recognition_level="Cấp thị xã công nhận",
                               recognition_doc="12/QĐ-UBND", is_replicated="Không", replication_places=None)


def test_collective_c_met_by_a_recognised_model_not_yet_replicated():
    """The guidance asks for a model "có thể nhân rộng": recognised and able to be replicated, not replicated."""
    verdicts, ranking = _evaluate(proposals=[proposal_row(model_name="Chưa nhân rộng")], models=[NOT_YET_REPLICATED],
                                  classification=classification_rows(ALL_HTXS))
    c = _verdict(verdicts, "c")
    assert c.verdict == "met" and c.is_eligible
    assert "“Chưa nhân rộng”" in c.evidence and "chưa nhân rộng" in c.evidence and "có thể nhân rộng" in c.evidence
    assert "có thể nhân rộng" in c.criterion_label and "cấp thị xã" in c.criterion_label
    assert list(ranking.unit_code) == ["pho_an"] and ranking.replication_points.iloc[0] == 0


def test_collective_c_requires_replication_only_when_configured():
    plan = _plan_with(crit_c_requires_replication=True)
    verdicts, ranking = _evaluate(plan=plan, proposals=[proposal_row(model_name="Chưa nhân rộng")],
                                  models=[NOT_YET_REPLICATED], classification=classification_rows(ALL_HTXS))
    c = _verdict(verdicts, "c")
    assert c.verdict == "not_met" and ranking.empty
    assert "đã nhân rộng" in c.evidence and "đã được nhân rộng" in c.criterion_label


def test_collective_c_met_names_the_model_and_its_document():
    models = [model_row(model_name="Dân hỏi – cán bộ trả lời", recognition_level="Cấp tỉnh công nhận",
                        recognition_doc="77/QĐ-UBND", replication_places=6)]
    verdicts, ranking = _evaluate(proposals=[proposal_row(model_name="Dân hỏi - cán bộ trả lời")], models=models,
                                  classification=classification_rows(ALL_HTXS))
    c = _verdict(verdicts, "c")
    assert c.verdict == "met"
    assert "“Dân hỏi – cán bộ trả lời”" in c.evidence and "77/QĐ-UBND" in c.evidence and "6 nơi" in c.evidence
    row = ranking.iloc[0]
    cfg = PLAN.awards["ranking"]
    assert row.recognition_points == 3 * cfg["points_per_recognition_rank"]
    assert row.replication_points == cfg["points_if_replicated"]
    assert row.places_points == min(6 * cfg["points_per_replication_place"], cfg["max_replication_points"])
    assert row.classification_points == 3 * cfg["points_per_htxs_year"]
    assert row.people_points == pytest.approx(1.5 * cfg["points_per_1000_people_reached"])


def test_collective_c_without_recognition_document_is_unverified_but_eligible():
    models = [model_row(recognition_doc=None)]
    verdicts, ranking = _evaluate(proposals=[proposal_row()], models=models, classification=classification_rows(ALL_HTXS))
    assert _verdict(verdicts, "c").verdict == "unverified"
    assert list(ranking.unit_code) == ["pho_an"]


def test_min_recognition_level_is_configurable():
    raw = dict(PLAN.raw) | {"awards": dict(PLAN.awards) | {"min_recognition_level": "PROVINCE"}}
    plan = type(PLAN)(raw=raw, units=PLAN.units)
    tables = build_tables(inline_tables(proposals=[proposal_row()], models=[model_row()],
                                        classification=classification_rows(ALL_HTXS)),
                          inline_submissions(plan, {"pho_an": "on_time"}), plan)
    verdicts, _ = evaluate_proposals(tables, plan)
    assert _verdict(verdicts, "c").verdict == "not_met"


# -- collective (d) ----------------------------------------------------------------------

def test_collective_d_fails_on_one_year_below_htxs():
    verdicts, _ = _evaluate(proposals=[proposal_row()], models=[model_row()],
                            classification=classification_rows({2020: 95.0, 2021: 80.0, 2022: 93.0}))
    d = _verdict(verdicts, "d")
    assert d.verdict == "not_met"
    assert "năm 2021: Hoàn thành tốt nhiệm vụ (80 điểm)" in d.evidence
    assert "năm 2020: Hoàn thành xuất sắc nhiệm vụ (95 điểm)" in d.evidence


def test_proposal_of_a_unit_that_sent_errors_missing_year_fails_d():
    # The 2021 classification row had an error, so validation removed it.
    verdicts, _ = _evaluate(proposals=[proposal_row()], models=[model_row()],
                            classification=classification_rows({2020: 95.0, 2022: 92.5}))
    d = _verdict(verdicts, "d")
    assert d.verdict == "not_met"
    assert "năm 2021: không có xếp loại hợp lệ" in d.evidence and "92,5 điểm" in d.evidence
    assert not d.is_eligible


def test_declared_no_is_not_met():
    verdicts, ranking = _evaluate(proposals=[proposal_row(crit_a="Không")], models=[model_row()],
                                  classification=classification_rows(ALL_HTXS))
    assert _verdict(verdicts, "a").verdict == "not_met"
    assert _verdict(verdicts, "b").verdict == "unverified"
    assert ranking.empty


# -- individual (b) ----------------------------------------------------------------------

def _individual(**kw):
    return proposal_row(recipient_kind="Cá nhân", nominee_name="Nguyễn Thị Hoa", crit_c=None, crit_d=None, **kw)


def test_individual_b_met_by_own_recognised_model_of_the_nominee():
    models = [model_row(model_name="Tổ tư vấn pháp luật", model_kind="Cá nhân", implementer="Nguyễn Thị  Hoa",
                        recognition_level="Cơ quan, đơn vị công nhận")]
    verdicts, ranking = _evaluate(proposals=[_individual(model_name=None, crit_b_evidence=None)], models=models)
    b = _verdict(verdicts, "b")
    assert b.verdict == "met" and "“Tổ tư vấn pháp luật”" in b.evidence
    assert ranking.iloc[0].model_name == "Tổ tư vấn pháp luật"
    assert ranking.iloc[0].classification_points == 0  # the unit sent no classification


def test_individual_b_met_by_described_initiative():
    verdicts, _ = _evaluate(proposals=[_individual(model_name=None, crit_b_evidence="Sáng kiến số hóa hồ sơ hộ tịch")])
    b = _verdict(verdicts, "b")
    assert b.verdict == "met" and "Sáng kiến số hóa hồ sơ hộ tịch" in b.evidence


def test_individual_b_not_met_without_model_or_initiative():
    models = [model_row(recognition_level="Chưa được công nhận", recognition_doc=None, implementer="Nguyễn Thị Hoa")]
    verdicts, ranking = _evaluate(proposals=[_individual(model_name="Mô hình thử", crit_b_evidence=None)], models=models)
    assert _verdict(verdicts, "b").verdict == "not_met"
    assert set(verdicts.criterion) == {"a", "b"}
    assert ranking.empty


def test_only_the_units_own_models_count():
    other = model_row(_unit_code="pho_khanh", implementer="Nguyễn Thị Hoa")
    verdicts, _ = _evaluate(statuses={"pho_an": "on_time", "pho_khanh": "on_time"},
                            proposals=[_individual(model_name="Mô hình thử", crit_b_evidence=None)], models=[other])
    assert _verdict(verdicts, "b").verdict == "not_met"


def test_summary_has_one_row_per_proposal():
    verdicts, _ = _evaluate(proposals=[proposal_row()], models=[model_row()],
                            classification=classification_rows(ALL_HTXS))
    summary = proposal_summary(verdicts)
    assert len(summary) == 1
    assert summary.loc[0, ["crit_a", "crit_b", "crit_c", "crit_d"]].tolist() == ["unverified", "unverified", "met", "met"]
    assert bool(summary.loc[0, "is_eligible"]) and summary.loc[0, "reasons"] == ""


def test_inputs_are_not_modified():
    tables = build_tables(inline_tables(proposals=[proposal_row()], models=[model_row()]),
                          inline_submissions(PLAN, {"pho_an": "on_time"}), PLAN)
    before = {k: v.copy() for k, v in tables.items()}
    evaluate_proposals(tables, PLAN)
    for k in tables:
        pd.testing.assert_frame_equal(tables[k], before[k])


def test_ranking_caps_hold_and_equal_scores_share_a_rank():
    """Places and people reached give points up to their caps; two equal scores share the better rank."""
    cfg = PLAN.awards["ranking"]
    big = dict(model_name="Lớn", recognition_level="Cấp tỉnh công nhận", replication_places=40, beneficiaries=90_000)
    rows = {"pho_an": big, "pho_khanh": big,
            "pho_thuan": dict(model_name="Nhỏ", recognition_level="Cấp thị xã công nhận", replication_places=2,
                              beneficiaries=500)}
    models = [model_row(**kw, _unit_code=u) for u, kw in rows.items()]
    proposals = [proposal_row(model_name=kw["model_name"], _unit_code=u) for u, kw in rows.items()]
    classification = [r for u in rows for r in classification_rows(ALL_HTXS, unit_code=u)]
    _, ranking = _evaluate({u: "on_time" for u in rows}, proposals=proposals, models=models,
                           classification=classification)
    by_unit = ranking.set_index("unit_code")
    assert by_unit.at["pho_an", "places_points"] == cfg["max_replication_points"] < 40 * cfg["points_per_replication_place"]
    assert by_unit.at["pho_an", "people_points"] == cfg["max_people_points"] < 90 * cfg["points_per_1000_people_reached"]
    assert by_unit.at["pho_thuan", "places_points"] == 2 * cfg["points_per_replication_place"]
    assert by_unit.at["pho_an", "rank"] == by_unit.at["pho_khanh", "rank"] == 1
    assert by_unit.at["pho_thuan", "rank"] == 3  # after a tie for first, the next rank is third


# -- which model is the evidence, and what the evidence says ----------------------------------

def _town_model(name: str, row: int, **kw) -> dict:
    return model_row(model_name=name, recognition_level="Cấp thị xã công nhận", replication_places=3,
                     _excel_row=row, **kw)


def test_the_model_named_in_the_proposal_is_the_evidence_even_when_another_is_stronger():
    models = [model_row(model_name="Mạnh", recognition_level="Cấp tỉnh công nhận", replication_places=9, _excel_row=4),
              _town_model("Được đề nghị", 5)]
    verdicts, ranking = _evaluate(proposals=[proposal_row(model_name="được  đề nghị")], models=models,
                                  classification=classification_rows(ALL_HTXS))
    assert "“Được đề nghị”" in _verdict(verdicts, "c").evidence and "“Mạnh”" not in _verdict(verdicts, "c").evidence
    assert ranking.iloc[0].model_name == "Được đề nghị"
    # Without a name, the strongest model is the evidence.
    verdicts, ranking = _evaluate(proposals=[proposal_row(model_name=None)], models=models,
                                  classification=classification_rows(ALL_HTXS))
    assert ranking.iloc[0].model_name == "Mạnh"


def test_between_equal_models_more_people_then_the_first_row_is_the_evidence():
    # Same level and places: the one reaching more people wins; a blank count of people is none.
    models = [_town_model("Chưa đếm", 4, beneficiaries=None), _town_model("Không ai", 5, beneficiaries=0),
              _town_model("Trăm người", 6, beneficiaries=100)]
    _, ranking = _evaluate(proposals=[proposal_row(model_name=None)], models=models,
                           classification=classification_rows(ALL_HTXS))
    assert ranking.iloc[0].model_name == "Trăm người"
    # Without the 100: a blank count and zero tie, so the model typed first (row 4) is the evidence.
    _, ranking = _evaluate(proposals=[proposal_row(model_name=None)], models=models[:2],
                           classification=classification_rows(ALL_HTXS))
    assert ranking.iloc[0].model_name == "Chưa đếm"
    _, ranking = _evaluate(proposals=[proposal_row(model_name=None)], models=models[1:2] + [_town_model("Sau", 7, beneficiaries=0)],
                           classification=classification_rows(ALL_HTXS))
    assert ranking.iloc[0].model_name == "Không ai"


def test_collective_c_not_met_lists_every_model_and_the_level_required():
    models = [model_row(model_name="Một", recognition_level="Cơ quan, đơn vị công nhận"),
              model_row(model_name="Hai", recognition_level="Cơ quan, đơn vị công nhận", is_replicated="Không",
                        replication_places=None)]
    verdicts, _ = _evaluate(proposals=[proposal_row()], models=models, classification=classification_rows(ALL_HTXS))
    assert _verdict(verdicts, "c").verdict == "not_met"
    evidence = _verdict(verdicts, "c").evidence
    level = PLAN.label_of("recognition_levels", PLAN.awards["min_recognition_level"])
    assert f"“{level}”" in evidence
    assert "“Một” (Cơ quan, đơn vị công nhận, văn bản 12/QĐ-UBND; đã nhân rộng tại 3 nơi); mô hình “Hai”" in evidence


def test_individual_b_met_by_a_model_named_in_the_proposal_carried_out_by_someone_else():
    models = [model_row(model_name="Tổ hòa giải giỏi", implementer="Tổ hòa giải thôn 3",
                        recognition_level="Cơ quan, đơn vị công nhận")]
    verdicts, ranking = _evaluate(proposals=[_individual(model_name="Tổ hòa giải giỏi", crit_b_evidence=None)],
                                  models=models)
    b = _verdict(verdicts, "b")
    assert b.verdict == "met"
    assert "“Tổ hòa giải giỏi”" in b.evidence and "do “Tổ hòa giải thôn 3” thực hiện" in b.evidence
    assert ranking.iloc[0].model_name == "Tổ hòa giải giỏi"


def test_an_initiative_without_a_model_scores_no_model_points():
    _, ranking = _evaluate(proposals=[_individual(model_name=None, crit_b_evidence="Sáng kiến số hóa hồ sơ")])
    row = ranking.iloc[0]
    assert (row.recognition_points, row.replication_points, row.places_points, row.people_points) == (0, 0, 0, 0)
    assert row.score_total == 0 and row["rank"] == 1


def test_declared_criteria_show_the_units_proof_only_when_it_wrote_one():
    verdicts, _ = _evaluate(proposals=[proposal_row(crit_a_evidence=None, crit_b_evidence="Nghị quyết 05")],
                            models=[model_row()], classification=classification_rows(ALL_HTXS))
    assert _verdict(verdicts, "a").evidence == msg.EV_DECLARED_YES
    assert _verdict(verdicts, "b").evidence == msg.EV_DECLARED_YES + msg.EV_DECLARED_PROOF.format(text="Nghị quyết 05")


def test_a_model_without_its_document_number_says_so_in_the_evidence():
    verdicts, _ = _evaluate(proposals=[proposal_row()], models=[model_row(recognition_doc=None)],
                            classification=classification_rows(ALL_HTXS))
    evidence = _verdict(verdicts, "c").evidence
    assert msg.EV_NO_DOC in evidence and "văn bản" not in evidence.replace("văn bản công nhận", "")
