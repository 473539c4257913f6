"""Red-team findings on clerk-typed returns (notes/redteam.md): each case is a demo return changed the way
a clerk changed it; the test says what the unit and the office now see (verdict and evidence, the unit's
submission status, the issue at the cell)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from pipeline.check import read_and_check
from pipeline.config import load_plan
from pipeline.tidy import tidy
from pipeline.tidy.awards import evaluate_proposals
from schemas import sheet_spec

PLAN = load_plan()
INFO, MODELS, PROPOSALS = (sheet_spec(n) for n in ("unit_info", "models", "proposals"))


def _build(folder: Path, demo_dir: Path, base: str, edit=None, name: str | None = None) -> Path:
    """A copy of the demo return `base` changed by `edit(wb)`, saved as `name` in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    wb = load_workbook(demo_dir / "returns" / base)
    if edit:
        edit(wb)
    path = folder / (name or base)
    wb.save(path)
    return path


def _verdicts(folder: Path):
    checked = read_and_check(folder, PLAN)
    checked, tables = tidy(checked, PLAN)
    verdicts, ranking = evaluate_proposals(tables, PLAN)
    return checked, verdicts, ranking


def _issues_at(checked, sheet: str, cell: str) -> pd.DataFrame:
    i = checked.issues
    return i[(i["sheet"] == sheet) & (i["cell"] == cell)]


# -- F12: individual (b) declared "Không" ----------------------------------------------------------

def test_individual_b_declared_no_is_not_met_even_with_text_in_the_evidence(tmp_path, demo_dir):
    def edit(wb):
        ws = wb[PROPOSALS.sheet]
        ws[PROPOSALS.cell(0, "crit_b")] = "Không"
        ws[PROPOSALS.cell(0, "crit_b_evidence")] = "Chưa xây dựng được mô hình, sáng kiến nào được công nhận"
    _build(tmp_path, demo_dir, "kiem_tra_thanh_tra_bao_cao_so_ket.xlsx", edit)
    checked, verdicts, ranking = _verdicts(tmp_path)
    b = verdicts[verdicts.criterion == "b"].iloc[0]
    assert b.recipient_kind_code == "INDIVIDUAL"
    assert b.verdict == "not_met", b.evidence
    assert "“Không”" in b.evidence and "Chưa xây dựng được mô hình" in b.evidence
    assert not b.is_eligible and ranking.empty


# -- F33: "Chưa có" typed as the recognition document ----------------------------------------------

@pytest.mark.parametrize("placeholder", ["Chưa có", "Không", "chưa"])
def test_a_placeholder_in_the_document_number_is_no_document(tmp_path, demo_dir, placeholder):
    base = "pho_phong_bao_cao_so_ket.xlsx"  # a collective proposal whose criterion (c) is met by a recognised model
    wb = load_workbook(demo_dir / "returns" / base)
    ws = wb[MODELS.sheet]
    rows = [i for i in range(MODELS.n_data_rows) if ws[MODELS.cell(i, "model_name")].value]
    none = PLAN.labels("recognition_levels")[0]
    recognised = [i for i in rows if ws[MODELS.cell(i, "recognition_level")].value != none]
    assert recognised

    def edit(wb):
        for i in rows:
            wb[MODELS.sheet][MODELS.cell(i, "recognition_doc")] = placeholder
    _build(tmp_path, demo_dir, base, edit)
    checked, verdicts, _ = _verdicts(tmp_path)
    c = verdicts[(verdicts.unit_code == "pho_phong") & (verdicts.criterion == "c")].iloc[0]
    assert c.verdict == "unverified", c.evidence
    assert f"văn bản {placeholder}" not in c.evidence and "chưa ghi số văn bản công nhận" in c.evidence
    for i in rows:
        found = _issues_at(checked, MODELS.sheet, MODELS.cell(i, "recognition_doc"))
        if i in recognised:
            assert list(zip(found.rule, found.severity)) == [("recognition_doc_required", "warning")]
            assert "chưa có số văn bản công nhận" in found.iloc[0].message
        else:  # "Chưa được công nhận" with "Chưa có": nothing to say
            assert found.empty


# -- F31: two proposals, the first with an error -----------------------------------------------------

def test_an_error_in_the_first_proposal_does_not_promote_the_extra_one(tmp_path, demo_dir):
    base = "pho_ninh_bao_cao_so_ket.xlsx"  # a collective proposal (row 1) and an extra individual one (row 2)
    ws = load_workbook(demo_dir / "returns" / base)[PROPOSALS.sheet]
    second = ws[PROPOSALS.cell(1, "nominee_name")].value
    assert ws[PROPOSALS.cell(0, "nominee_name")].value and second

    _build(tmp_path, demo_dir, base, lambda wb: wb[PROPOSALS.sheet].__setitem__(PROPOSALS.cell(0, "crit_a"),
                                                                                 "Đang hoàn thiện hồ sơ"))
    checked, verdicts, ranking = _verdicts(tmp_path)
    first = _issues_at(checked, PROPOSALS.sheet, PROPOSALS.cell(0, "crit_a"))
    assert list(zip(first.rule, first.severity)) == [("yesno.invalid", "error")]
    extra = _issues_at(checked, PROPOSALS.sheet, PROPOSALS.cell(1, "recipient_kind"))
    assert list(zip(extra.rule, extra.severity)) == [("proposal.too_many", "error")]
    assert "chỉ đề nghị 01 tập thể hoặc 01 cá nhân" in extra.iloc[0].message
    assert second not in set(verdicts.nominee_name) and second not in set(ranking.nominee_name)
    assert checked.files.set_index("file").at[base, "status"] == "accepted_with_errors"
    assert checked.submissions.set_index("unit_code").at["pho_ninh", "errors"] == 2


# -- F14: a unit's several returns -------------------------------------------------------------------

LEAD = sheet_spec("leadership")


def _return(folder, demo_dir, name, day: str, sessions: int, mtime: int):
    """pho_an's return saved as `name`, report date `day`, first propaganda count `sessions`, saved at `mtime`."""
    def edit(wb):
        wb[INFO.sheet][INFO.cell(0, "report_date")] = day
        wb[LEAD.sheet][LEAD.cell(0, "propaganda_sessions")] = sessions
    path = _build(folder, demo_dir, "pho_an_bao_cao_so_ket.xlsx", edit, name=name)
    import os
    os.utime(path, (mtime, mtime))
    return path


def _used(checked, unit="pho_an"):
    sub = checked.submissions.set_index("unit_code").loc[unit]
    lead = checked.tables["leadership"]
    sessions = lead[lead.source_file == sub.file]["propaganda_sessions"].tolist()
    return sub, sessions










# -- F18: a reused file whose unit cell still names the neighbour ----------------------------------



# -- F1: "Cấp xã" is not "Cấp thị xã công nhận" ------------------------------------------------------

def _every_model_recognised_as(tmp_path, demo_dir, typed: str):
    """pho_phong's return (criterion (c) met by its recognised models) with `typed` as every model's level."""
    base = "pho_phong_bao_cao_so_ket.xlsx"
    ws = load_workbook(demo_dir / "returns" / base)[MODELS.sheet]
    rows = [i for i in range(MODELS.n_data_rows) if ws[MODELS.cell(i, "model_name")].value]

    def edit(wb):
        for i in rows:
            wb[MODELS.sheet][MODELS.cell(i, "recognition_level")] = typed
    _build(tmp_path, demo_dir, base, edit)
    checked, verdicts, _ = _verdicts(tmp_path)
    return checked, verdicts, rows
















# -- F27, F6: unit names ---------------------------------------------------------------------------





# -- F20: the same model listed twice --------------------------------------------------------------





# -- a dropdown value with a remark after it ---------------------------------------------------------------

@pytest.mark.parametrize("kind, level, level_warned", [
    ("Tập thể UBND xã Phổ Phong", "HTXSNV (95 điểm)", True),
    ("Tập thể (UBND xã)", "Hoàn thành xuất sắc nhiệm vụ.", False),   # a full stop after the label: the label
])
def test_a_dropdown_value_with_a_remark_after_it_keeps_the_proposal_and_its_criteria(tmp_path, demo_dir, kind, level,
                                                                                    level_warned):
    """pho_phong proposes a collective that meets every criterion; its clerk adds who and the score."""
    classification = sheet_spec("classification")
    base = "pho_phong_bao_cao_so_ket.xlsx"
    ws = load_workbook(demo_dir / "returns" / base)[classification.sheet]
    excellent = PLAN.labels("classification_levels")[0]
    rows = [i for i in range(3) if ws[classification.cell(i, "classification_level")].value == excellent]
    assert len(rows) == 3

    def edit(wb):
        wb[PROPOSALS.sheet][PROPOSALS.cell(0, "recipient_kind")] = kind
        for i in rows:
            wb[classification.sheet][classification.cell(i, "classification_level")] = level
    _build(tmp_path, demo_dir, base, edit)
    checked, verdicts, ranking = _verdicts(tmp_path)
    assumed = checked.issues[checked.issues["rule"] == "choice.assumed"]
    assert len(assumed) == 1 + len(rows) * level_warned and set(assumed["severity"]) == {"warning"}
    assert checked.tables["classification"]["classification_level"].tolist() == [excellent] * 3
    mine = verdicts[verdicts.unit_code == "pho_phong"]
    assert set(mine.recipient_kind_code) == {"COLLECTIVE"}
    assert mine.set_index("criterion").loc["d", "verdict"] == "met" and mine.is_eligible.all()
    assert "pho_phong" in set(ranking.unit_code)


@pytest.mark.parametrize("level, field", [
    ("Xếp loại: HTXSNV", "Lĩnh vực: Kinh tế"), ("Năm {year}: HTXSNV", "Thuộc lĩnh vực Kinh tế"),
    ("Được xếp loại Hoàn thành xuất sắc nhiệm vụ", "KT - Kinh tế"),   # lead-in words; one value written twice
    ("Đã hoàn thành xuất sắc NV", "Thuộc lĩnh vực: Kinh tế"),
])
def test_a_dropdown_value_with_words_before_it_keeps_the_proposal(tmp_path, demo_dir, level, field):
    classification, models = sheet_spec("classification"), sheet_spec("models")
    base = "pho_phong_bao_cao_so_ket.xlsx"
    wb = load_workbook(demo_dir / "returns" / base)
    excellent = PLAN.labels("classification_levels")[0]
    ws = wb[classification.sheet]
    years = {i: ws[classification.cell(i, "classification_year")].value for i in range(3)
             if ws[classification.cell(i, "classification_level")].value == excellent}
    economy = [i for i in range(20) if wb[models.sheet][models.cell(i, "field")].value == "Kinh tế"]
    assert len(years) == 3 and economy

    def edit(wb):
        for i, year in years.items():
            wb[classification.sheet][classification.cell(i, "classification_level")] = level.format(year=year)
        for i in economy:
            wb[models.sheet][models.cell(i, "field")] = field
    _build(tmp_path, demo_dir, base, edit)
    checked, verdicts, ranking = _verdicts(tmp_path)
    assumed = checked.issues[checked.issues["rule"] == "choice.assumed"]
    assert len(assumed) == len(years) + len(economy) and set(assumed["severity"]) == {"warning"}
    assert checked.tables["classification"]["classification_level"].tolist() == [excellent] * 3
    assert checked.tables["models"]["field"].tolist().count("Kinh tế") == len(economy)
    mine = verdicts[verdicts.unit_code == "pho_phong"]
    assert mine.set_index("criterion").loc["d", "verdict"] == "met" and mine.is_eligible.all()


@pytest.mark.parametrize("town, province", [("Được UBND thị xã công nhận", "UBND tỉnh công nhận"),
                                            ("Đã được Thị xã công nhận", "Đã được Tỉnh ủy công nhận"),
                                            ("Thị ủy công nhận", "Được UBND tỉnh công nhận")])
def test_a_recognition_level_typed_as_who_recognised_the_model_keeps_it_and_the_proposal(tmp_path, demo_dir, town,
                                                                                        province):
    """"Được UBND thị xã công nhận": the body that recognised the model, in the words of the level's label."""
    base = "pho_phong_bao_cao_so_ket.xlsx"
    ws = load_workbook(demo_dir / "returns" / base)[MODELS.sheet]
    by_town, by_province = (PLAN.label_of("recognition_levels", code) for code in ("TOWN", "PROVINCE"))
    levels = [ws[MODELS.cell(i, "recognition_level")].value for i in range(20) if ws[MODELS.cell(i, "model_name")].value]
    typed = {i: {by_town: town, by_province: province}[level] for i, level in enumerate(levels)
             if level in (by_town, by_province)}
    assert {by_town, by_province} <= set(levels)

    def edit(wb):
        for i, said in typed.items():
            wb[MODELS.sheet][MODELS.cell(i, "recognition_level")] = said
    _build(tmp_path, demo_dir, base, edit)
    checked, verdicts, _ranking = _verdicts(tmp_path)
    assumed = checked.issues[checked.issues["rule"] == "choice.assumed"]
    assert sorted(assumed["cell"]) == sorted(MODELS.cell(i, "recognition_level") for i in typed)
    assert set(assumed["severity"]) == {"warning"}
    assert checked.tables["models"].sort_values("excel_row")["recognition_level"].tolist() == levels
    mine = verdicts[verdicts.unit_code == "pho_phong"]
    assert mine.set_index("criterion").loc["c", "verdict"] == "met" and mine.is_eligible.all()














# -- an individual's model: the nominee and the model named as clerks write them --------------------------------

@pytest.mark.parametrize("variant", ["honorific", "title_after_implementer", "named_with_mo_hinh", "named_short"])
def test_an_individuals_model_is_found_by_the_nominee_or_the_name_as_clerks_write_them(tmp_path, demo_dir, variant):
    """pho_cuong proposes an individual, the implementer of one of its recognised models: criterion (b) rests on
    that model (no other evidence is given), and no "model not found" warning, however the clerk writes the
    nominee ("Ông …"), the implementer ("Đ/c … - Chủ tịch Hội Nông dân xã") or the model ("Mô hình “…”", its
    first words)."""
    base = "pho_cuong_bao_cao_so_ket.xlsx"
    wb = load_workbook(demo_dir / "returns" / base)
    proposal, models = wb[PROPOSALS.sheet], wb[MODELS.sheet]
    person = proposal[PROPOSALS.cell(0, "nominee_name")].value
    row = next(i for i in range(MODELS.n_data_rows) if models[MODELS.cell(i, "implementer")].value == person)
    model = models[MODELS.cell(row, "model_name")].value
    assert person and model and len(model.split()) >= 4
    nominee = {"honorific": f"Ông {person}", "named_with_mo_hinh": f"Bà {person}", "named_short": f"Bà {person}"}
    named = {"named_with_mo_hinh": f"Mô hình “{model}”", "named_short": " ".join(model.split()[:3])}
    implementer = {"title_after_implementer": f"Đ/c {person} - Chủ tịch Hội Nông dân xã"}

    def edit(wb):
        p = wb[PROPOSALS.sheet]
        p[PROPOSALS.cell(0, "crit_b_evidence")] = None
        p[PROPOSALS.cell(0, "model_name")] = named.get(variant)
        if variant in nominee:
            p[PROPOSALS.cell(0, "nominee_name")] = nominee[variant]
        if variant in implementer:
            wb[MODELS.sheet][MODELS.cell(row, "implementer")] = implementer[variant]
    _build(tmp_path, demo_dir, base, edit)
    checked, verdicts, _ = _verdicts(tmp_path)
    b = verdicts[(verdicts.unit_code == "pho_cuong") & (verdicts.criterion == "b")].iloc[0]
    assert b.verdict == "met" and model in b.evidence, b.evidence
    assert "proposal.model_not_found" not in set(checked.issues["rule"])


def test_a_model_named_in_a_proposal_that_the_unit_did_not_list_is_still_flagged(tmp_path, demo_dir):
    base = "pho_cuong_bao_cao_so_ket.xlsx"
    cell = PROPOSALS.cell(0, "model_name")
    _build(tmp_path, demo_dir, base, lambda wb: wb[PROPOSALS.sheet].__setitem__(cell, "Mô hình “Một cửa thân thiện”"))
    checked = read_and_check(tmp_path, PLAN)
    found = _issues_at(checked, PROPOSALS.sheet, cell)
    assert list(zip(found.rule, found.severity)) == [("proposal.model_not_found", "warning")]
