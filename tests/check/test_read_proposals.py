"""A unit's proposal for a commendation as clerks fill it in: criteria answered in words, placeholders for a
document, an extra proposal, dropdown values with remarks or lead-in words, an individual's model named loosely; the
test says what the unit and the office see (the issue at the cell, the verdict on each criterion, the ranking).

The cases are read together, each under a registry unit of its own (tests/check/clerk_batch.py); the tidy stage and
the proposals' evaluation run once per batch, and each test looks at its own unit's verdicts and ranking.
"""
from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from pipeline.config import load_plan
from pipeline.tidy import tidy
from pipeline.tidy.awards import evaluate_proposals
from schemas import sheet_spec
from tests.check.clerk_batch import Job, Read, only, read_together_once, typed_in

PLAN = load_plan()
INFO, MODELS, PROPOSALS, CLASS = (sheet_spec(n) for n in ("unit_info", "models", "proposals", "classification"))
WITH_PROPOSAL = "pho_phong_bao_cao_so_ket.xlsx"     # a collective proposal whose criterion (c) is met by a recognised model
INDIVIDUAL = "kiem_tra_thanh_tra_bao_cao_so_ket.xlsx"
TWO_PROPOSALS = "pho_ninh_bao_cao_so_ket.xlsx"      # a collective proposal (row 1) and an extra individual one (row 2)
INDIVIDUALS_MODEL = "pho_cuong_bao_cao_so_ket.xlsx"  # an individual, the implementer of one of its recognised models
JOBS: dict[str, Job] = {}
ONE = [()]                                           # the one case of a test that is not parametrized


def _job(name: str, values: list, edit, base: str) -> list:
    JOBS[name] = Job(base, edit, values)
    return values


@pytest.fixture(scope="module")
def reads(tmp_path_factory, demo_dir, plan):
    """Every case of this module, read together: (job, values) -> its Read."""
    return read_together_once(tmp_path_factory, "proposals", demo_dir, plan, JOBS)


_VERDICTS: dict[int, tuple] = {}


def _verdicts(read: Read):
    """The case's file after the tidy stage, and its unit's verdicts and place in the ranking."""
    if id(read.checked) not in _VERDICTS:
        checked, tables = tidy(read.checked, PLAN)
        _VERDICTS[id(read.checked)] = (checked, *evaluate_proposals(tables, PLAN))
    checked, verdicts, ranking = _VERDICTS[id(read.checked)]
    return (Read(checked, read.file, read.unit, read.path), verdicts[verdicts.unit_code == read.code],
            ranking[ranking.unit_code == read.code])


@functools.lru_cache(maxsize=None)
def _base(demo_dir: Path, base: str):
    """A demo return as it was generated (read only)."""
    return load_workbook(demo_dir / "returns" / base)


def _issues_at(checked, sheet: str, cell: str) -> pd.DataFrame:
    i = checked.issues
    return i[(i["sheet"] == sheet) & (i["cell"] == cell)]


def _model_rows(ws) -> list[int]:
    return [i for i in range(MODELS.n_data_rows) if ws[MODELS.cell(i, "model_name")].value]


# -- individual (b) declared "Không" ----------------------------------------------------------------------------

def _b_declared_no(wb):
    ws = wb[PROPOSALS.sheet]
    ws[PROPOSALS.cell(0, "crit_b")] = "Không"
    ws[PROPOSALS.cell(0, "crit_b_evidence")] = "Chưa xây dựng được mô hình, sáng kiến nào được công nhận"


_job("b_declared_no", ONE, _b_declared_no, INDIVIDUAL)


def test_individual_b_declared_no_is_not_met_even_with_text_in_the_evidence(reads):
    checked, verdicts, ranking = _verdicts(only(reads, "b_declared_no"))
    b = verdicts[verdicts.criterion == "b"].iloc[0]
    assert b.recipient_kind_code == "INDIVIDUAL"
    assert b.verdict == "not_met", b.evidence
    assert "“Không”" in b.evidence and "Chưa xây dựng được mô hình" in b.evidence
    assert not b.is_eligible and ranking.empty


# -- "Chưa có" typed as the recognition document ------------------------------------------------------------------

def _placeholder_docs(wb, placeholder):
    for i in _model_rows(wb[MODELS.sheet]):
        wb[MODELS.sheet][MODELS.cell(i, "recognition_doc")] = placeholder


@pytest.mark.parametrize("placeholder", _job("placeholder", ["Chưa có", "Không", "chưa"], _placeholder_docs,
                                             WITH_PROPOSAL))
def test_a_placeholder_in_the_document_number_is_no_document(reads, demo_dir, placeholder):
    ws = _base(demo_dir, WITH_PROPOSAL)[MODELS.sheet]
    rows = _model_rows(ws)
    none = PLAN.labels("recognition_levels")[0]
    recognised = [i for i in rows if ws[MODELS.cell(i, "recognition_level")].value != none]
    assert recognised
    checked, verdicts, _ = _verdicts(reads["placeholder", placeholder])
    c = verdicts[verdicts.criterion == "c"].iloc[0]
    assert c.verdict == "unverified", c.evidence
    assert f"văn bản {placeholder}" not in c.evidence and "chưa ghi số văn bản công nhận" in c.evidence
    for i in rows:
        found = _issues_at(checked, MODELS.sheet, MODELS.cell(i, "recognition_doc"))
        if i in recognised:
            assert list(zip(found.rule, found.severity)) == [("recognition_doc_required", "warning")]
            assert "chưa có số văn bản công nhận" in found.iloc[0].message
        else:  # "Chưa được công nhận" with "Chưa có": nothing to say
            assert found.empty


# -- two proposals, the first with an error -------------------------------------------------------------------------

_job("first_proposal_error", [("Đang hoàn thiện hồ sơ",)], typed_in(PROPOSALS, PROPOSALS.cell(0, "crit_a")),
     TWO_PROPOSALS)


def test_an_error_in_the_first_proposal_does_not_promote_the_extra_one(reads, demo_dir):
    ws = _base(demo_dir, TWO_PROPOSALS)[PROPOSALS.sheet]
    second = ws[PROPOSALS.cell(1, "nominee_name")].value
    assert ws[PROPOSALS.cell(0, "nominee_name")].value and second
    checked, verdicts, ranking = _verdicts(only(reads, "first_proposal_error"))
    first = _issues_at(checked, PROPOSALS.sheet, PROPOSALS.cell(0, "crit_a"))
    assert list(zip(first.rule, first.severity)) == [("yesno.invalid", "error")]
    extra = _issues_at(checked, PROPOSALS.sheet, PROPOSALS.cell(1, "recipient_kind"))
    assert list(zip(extra.rule, extra.severity)) == [("proposal.too_many", "error")]
    assert "chỉ đề nghị 01 tập thể hoặc 01 cá nhân" in extra.iloc[0].message
    assert second not in set(verdicts.nominee_name) and second not in set(ranking.nominee_name)
    assert checked.files.set_index("file").at[checked.file, "status"] == "accepted_with_errors"
    assert checked.submissions.set_index("unit_code").at[checked.code, "errors"] == 2


# -- a dropdown value with a remark after it, or words before it ------------------------------------------------

def _excellent_rows(ws) -> list[int]:
    excellent = PLAN.labels("classification_levels")[0]
    return [i for i in range(3) if ws[CLASS.cell(i, "classification_level")].value == excellent]


def _remark_after(wb, kind, level, level_warned):
    rows = _excellent_rows(wb[CLASS.sheet])
    wb[PROPOSALS.sheet][PROPOSALS.cell(0, "recipient_kind")] = kind
    for i in rows:
        wb[CLASS.sheet][CLASS.cell(i, "classification_level")] = level


@pytest.mark.parametrize("kind, level, level_warned", _job("remark_after", [
    ("Tập thể UBND xã Phổ Phong", "HTXSNV (95 điểm)", True),
    ("Tập thể (UBND xã)", "Hoàn thành xuất sắc nhiệm vụ.", False),   # a full stop after the label: the label
], _remark_after, WITH_PROPOSAL))
def test_a_dropdown_value_with_a_remark_after_it_keeps_the_proposal_and_its_criteria(reads, demo_dir, kind, level,
                                                                                    level_warned):
    """pho_phong proposes a collective that meets every criterion; its clerk adds who and the score."""
    excellent = PLAN.labels("classification_levels")[0]
    rows = _excellent_rows(_base(demo_dir, WITH_PROPOSAL)[CLASS.sheet])
    assert len(rows) == 3
    checked, verdicts, ranking = _verdicts(reads["remark_after", (kind, level, level_warned)])
    assumed = checked.issues[checked.issues["rule"] == "choice.assumed"]
    assert len(assumed) == 1 + len(rows) * level_warned and set(assumed["severity"]) == {"warning"}
    assert checked.tables["classification"]["classification_level"].tolist() == [excellent] * 3
    mine = verdicts
    assert set(mine.recipient_kind_code) == {"COLLECTIVE"}
    assert mine.set_index("criterion").loc["d", "verdict"] == "met" and mine.is_eligible.all()
    assert checked.code in set(ranking.unit_code)


def _economy_rows(wb) -> list[int]:
    return [i for i in range(20) if wb[MODELS.sheet][MODELS.cell(i, "field")].value == "Kinh tế"]


def _words_before(wb, level, field):
    years = {i: wb[CLASS.sheet][CLASS.cell(i, "classification_year")].value for i in _excellent_rows(wb[CLASS.sheet])}
    economy = _economy_rows(wb)
    for i, year in years.items():
        wb[CLASS.sheet][CLASS.cell(i, "classification_level")] = level.format(year=year)
    for i in economy:
        wb[MODELS.sheet][MODELS.cell(i, "field")] = field


@pytest.mark.parametrize("level, field", _job("words_before", [
    ("Xếp loại: HTXSNV", "Lĩnh vực: Kinh tế"), ("Năm {year}: HTXSNV", "Thuộc lĩnh vực Kinh tế"),
    ("Được xếp loại Hoàn thành xuất sắc nhiệm vụ", "KT - Kinh tế"),   # lead-in words; one value written twice
    ("Đã hoàn thành xuất sắc NV", "Thuộc lĩnh vực: Kinh tế"),
], _words_before, WITH_PROPOSAL))
def test_a_dropdown_value_with_words_before_it_keeps_the_proposal(reads, demo_dir, level, field):
    wb = _base(demo_dir, WITH_PROPOSAL)
    excellent = PLAN.labels("classification_levels")[0]
    years = _excellent_rows(wb[CLASS.sheet])
    economy = _economy_rows(wb)
    assert len(years) == 3 and economy
    checked, verdicts, ranking = _verdicts(reads["words_before", (level, field)])
    assumed = checked.issues[checked.issues["rule"] == "choice.assumed"]
    assert len(assumed) == len(years) + len(economy) and set(assumed["severity"]) == {"warning"}
    assert checked.tables["classification"]["classification_level"].tolist() == [excellent] * 3
    assert checked.tables["models"]["field"].tolist().count("Kinh tế") == len(economy)
    mine = verdicts
    assert mine.set_index("criterion").loc["d", "verdict"] == "met" and mine.is_eligible.all()


def _by_level(ws, town, province) -> dict[int, str]:
    by_town, by_province = (PLAN.label_of("recognition_levels", code) for code in ("TOWN", "PROVINCE"))
    levels = [ws[MODELS.cell(i, "recognition_level")].value for i in range(20) if ws[MODELS.cell(i, "model_name")].value]
    return {i: {by_town: town, by_province: province}[level] for i, level in enumerate(levels)
            if level in (by_town, by_province)}


def _who_recognised(wb, town, province):
    for i, said in _by_level(wb[MODELS.sheet], town, province).items():
        wb[MODELS.sheet][MODELS.cell(i, "recognition_level")] = said


@pytest.mark.parametrize("town, province", _job("who_recognised", [
    ("Được UBND thị xã công nhận", "UBND tỉnh công nhận"), ("Đã được Thị xã công nhận", "Đã được Tỉnh ủy công nhận"),
    ("Thị ủy công nhận", "Được UBND tỉnh công nhận")], _who_recognised, WITH_PROPOSAL))
def test_a_recognition_level_typed_as_who_recognised_the_model_keeps_it_and_the_proposal(reads, demo_dir, town,
                                                                                        province):
    """"Được UBND thị xã công nhận": the body that recognised the model, in the words of the level's label."""
    ws = _base(demo_dir, WITH_PROPOSAL)[MODELS.sheet]
    by_town, by_province = (PLAN.label_of("recognition_levels", code) for code in ("TOWN", "PROVINCE"))
    levels = [ws[MODELS.cell(i, "recognition_level")].value for i in range(20) if ws[MODELS.cell(i, "model_name")].value]
    typed = _by_level(ws, town, province)
    assert {by_town, by_province} <= set(levels)
    checked, verdicts, _ranking = _verdicts(reads["who_recognised", (town, province)])
    assumed = checked.issues[checked.issues["rule"] == "choice.assumed"]
    assert sorted(assumed["cell"]) == sorted(MODELS.cell(i, "recognition_level") for i in typed)
    assert set(assumed["severity"]) == {"warning"}
    assert checked.tables["models"].sort_values("excel_row")["recognition_level"].tolist() == levels
    mine = verdicts
    assert mine.set_index("criterion").loc["c", "verdict"] == "met" and mine.is_eligible.all()


# -- an individual's model: the nominee and the model named as clerks write them --------------------------------

def _persons_model(wb) -> tuple[str, int, str]:
    proposal, models = wb[PROPOSALS.sheet], wb[MODELS.sheet]
    person = proposal[PROPOSALS.cell(0, "nominee_name")].value
    row = next(i for i in range(MODELS.n_data_rows) if models[MODELS.cell(i, "implementer")].value == person)
    return person, row, models[MODELS.cell(row, "model_name")].value


def _individuals_model(wb, variant):
    person, row, model = _persons_model(wb)
    nominee = {"honorific": f"Ông {person}", "named_with_mo_hinh": f"Bà {person}", "named_short": f"Bà {person}"}
    named = {"named_with_mo_hinh": f"Mô hình “{model}”", "named_short": " ".join(model.split()[:3])}
    implementer = {"title_after_implementer": f"Đ/c {person} - Chủ tịch Hội Nông dân xã"}
    p = wb[PROPOSALS.sheet]
    p[PROPOSALS.cell(0, "crit_b_evidence")] = None
    p[PROPOSALS.cell(0, "model_name")] = named.get(variant)
    if variant in nominee:
        p[PROPOSALS.cell(0, "nominee_name")] = nominee[variant]
    if variant in implementer:
        wb[MODELS.sheet][MODELS.cell(row, "implementer")] = implementer[variant]


@pytest.mark.parametrize("variant", _job("individuals_model", ["honorific", "title_after_implementer",
                                                               "named_with_mo_hinh", "named_short"],
                                         _individuals_model, INDIVIDUALS_MODEL))
def test_an_individuals_model_is_found_by_the_nominee_or_the_name_as_clerks_write_them(reads, demo_dir, variant):
    """pho_cuong proposes an individual, the implementer of one of its recognised models: criterion (b) rests on
    that model (no other evidence is given), and no "model not found" warning, however the clerk writes the
    nominee ("Ông …"), the implementer ("Đ/c … - Chủ tịch Hội Nông dân xã") or the model ("Mô hình “…”", its
    first words)."""
    person, row, model = _persons_model(_base(demo_dir, INDIVIDUALS_MODEL))
    assert person and model and len(model.split()) >= 4
    checked, verdicts, _ = _verdicts(reads["individuals_model", variant])
    b = verdicts[verdicts.criterion == "b"].iloc[0]
    assert b.verdict == "met" and model in b.evidence, b.evidence
    assert "proposal.model_not_found" not in set(checked.issues["rule"])


NAMED_MODEL = PROPOSALS.cell(0, "model_name")
_job("model_not_listed", [("Mô hình “Một cửa thân thiện”",)], typed_in(PROPOSALS, NAMED_MODEL), INDIVIDUALS_MODEL)


def test_a_model_named_in_a_proposal_that_the_unit_did_not_list_is_still_flagged(reads):
    found = _issues_at(only(reads, "model_not_listed"), PROPOSALS.sheet, NAMED_MODEL)
    assert list(zip(found.rule, found.severity)) == [("proposal.model_not_found", "warning")]
