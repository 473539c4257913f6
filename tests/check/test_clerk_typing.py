"""Red-team findings on what clerks type in a cell: each case is a real return (a demo workbook written into
the real template) with one cell typed the way a clerk types it; the test says what the unit and the analyst
see (the value read into the tables, or the issue at the cell)."""
from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pipeline.check import read_and_check
from pipeline.config import load_plan
from schemas import sheet_spec
from tests.conftest import SOFFICE

INFO, LEAD, MODELS, CLASS, IMPACT, PROPOSALS = (sheet_spec(n) for n in (
    "unit_info", "leadership", "models", "classification", "impact", "proposals"))
BASE = "pho_van_bao_cao_so_ket.xlsx"             # a clean demo return, no proposal
WITH_PROPOSAL = "pho_phong_bao_cao_so_ket.xlsx"  # a collective proposal meeting every criterion


def _build(folder: Path, demo_dir: Path, edit, base: str = BASE, name: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    wb = load_workbook(demo_dir / "returns" / base)
    edit(wb)
    path = folder / (name or base)
    wb.save(path)
    return path


def _issues_at(checked, spec, cell):
    """How a cell was read. A figure read right but unlike the unit's other years (12 inspections where the base return
    has 1 or 2) is also questioned (plausibility.*, tests/check/test_plausibility.py): not what these tests are about."""
    i = checked.issues
    return i[(i["sheet"] == spec.sheet) & (i["cell"] == cell) & ~i["rule"].str.startswith("plausibility.")]


def _one(checked, spec, cell, rule, severity) -> str:
    found = _issues_at(checked, spec, cell)
    assert list(zip(found["rule"], found["severity"])) == [(rule, severity)], found[["rule", "severity", "message"]]
    return found.iloc[0]["message"]


def _rows_of(checked, table, file):
    t = checked.tables[table]
    return t[t["source_file"] == file]


# -- F22: a number too large for a count ------------------------------------------------------------------



# -- F2/F21/F19: several numbers or a percentage in a count cell ----------------------------------------------



















# -- F3: "0,966", "96,666" -------------------------------------------------------------------------------------







# -- F11: percent cells of .ods/.xls returns ----------------------------------------------------------------

def _saved_as(tmp_path: Path, source: Path, fmt: str) -> Path:
    """A folder holding `source` saved by LibreOffice as .ods or .xls."""
    out = tmp_path / "in"
    out.mkdir()
    subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", fmt, "--outdir", str(out), str(source)], check=True, capture_output=True,
                   timeout=180)
    return out








# -- F4: report date written the way documents write it ------------------------------------------------------











# -- F24: a score out of 100 ------------------------------------------------------------------------------------



# -- F13: yes/no criteria with a reason, ticks ----------------------------------------------------------------

@pytest.mark.parametrize("tick", ["✓", "•\tCó"])   # a tick, or "Có" pasted from a bulleted list in Word
def test_a_criterion_answered_with_its_reason_or_a_tick_keeps_the_proposal(tmp_path, demo_dir, tick):
    crit_a, crit_b = PROPOSALS.cell(0, "crit_a"), PROPOSALS.cell(0, "crit_b")

    def edit(wb):
        wb[PROPOSALS.sheet][crit_a] = "Có - đạt HTXS 3 năm liền"
        wb[PROPOSALS.sheet][crit_b] = tick
    path = _build(tmp_path, demo_dir, edit, base=WITH_PROPOSAL)
    checked = read_and_check(tmp_path, load_plan())
    text = _one(checked, PROPOSALS, crit_a, "value.assumed", "warning")
    assert "“Có”" in text
    assert _issues_at(checked, PROPOSALS, crit_b).empty
    proposal = _rows_of(checked, "proposals", path.name).iloc[0]
    assert bool(proposal["crit_a"]) and bool(proposal["crit_b"])


# -- F7: year bounds in messages ---------------------------------------------------------------------------------



# -- F34: an unreadable optional cell ------------------------------------------------------------------------------















# -- a year in a date-formatted cell ---------------------------------------------------------------------------



@pytest.mark.parametrize("code, typed", [
    ("2023H1", "T1-T6/2023"), ("2023H1", "Tháng 1-6/2023"), ("2023H1", "01/2023 - 06/2023"),
    ("2023H1", "Từ 01/01/2023 đến 30/06/2023"), ("2023H1", "Từ tháng 1 đến tháng 6/2023"), ("2023H1", "T01-T06/2023"),
    ("2023H1", "Tháng 01 - 06/2023"), ("2023H1", "Từ 1/2023 đến 6/2023"), ("2023H1", "Tháng 1-6 năm 2023"),
    ("2023H1", "T1-6/2023"), ("2023H1", "Quý I, II/2023"), ("2023H1", "Q1-Q2/2023"), ("2023H1", "01/01 – 30/6/2023"),
    ("2023H1", "từ ngày 01/01/2023 đến ngày 30/6/2023"), ("2021", "T1-T12/2021"), ("2021", "01/2021 - 12/2021"),
    ("2021", "Từ 01/01/2021 đến 31/12/2021"), ("2021", "Cả năm 2021"), ("2022", "Quý I đến quý IV năm 2022"),
    ("2022", "Năm 2022 (T1-T12)"), ("2023H1", "Tháng 6/2023"), ("2023H1", "T6/2023"), ("2021", "Tháng 3/2021"),
    ("2022", "12/2022")])
def test_a_period_written_as_its_months_is_that_period(tmp_path, demo_dir, code, typed):
    """A period written as its months, quarters or first and last days is the period with those months (`months` of
    each period in config/plan.toml; a whole year by default), one month alone the period it falls in: its row's
    counts are kept under that period, and the unit is told."""
    period = load_plan().label_of("periods", code)
    wb = load_workbook(demo_dir / "returns" / BASE)
    row = next(i for i in range(8) if wb[LEAD.sheet][LEAD.cell(i, "period")].value == period)
    cell = LEAD.cell(row, "period")
    plans = wb[LEAD.sheet][LEAD.cell(row, "plans_issued")].value
    path = _build(tmp_path, demo_dir, lambda wb: wb[LEAD.sheet].__setitem__(cell, typed))
    checked = read_and_check(tmp_path, load_plan())
    assert f"“{period}”" in _one(checked, LEAD, cell, "choice.assumed", "warning")
    assert _rows_of(checked, "leadership", path.name).set_index("period").loc[period, "plans_issued"] == int(plans)


def test_a_period_typed_as_a_month_that_excel_made_a_date_is_read_as_typed(tmp_path, demo_dir):
    """"6/2023" typed in the half-year's cell becomes the date 01/06/2023 in Excel (shown "Jun-23"): it is read as
    the text "6/2023" would be, that half-year, with a warning; not refused as a date in a list cell."""
    half = load_plan().label_of("periods", "2023H1")
    wb = load_workbook(demo_dir / "returns" / BASE)
    row = next(i for i in range(8) if wb[LEAD.sheet][LEAD.cell(i, "period")].value == half)
    cell = LEAD.cell(row, "period")
    plans = wb[LEAD.sheet][LEAD.cell(row, "plans_issued")].value

    def edit(wb):
        wb[LEAD.sheet][cell] = dt.datetime(2023, 6, 1)
        wb[LEAD.sheet][cell].number_format = "mmm-yy"

    path = _build(tmp_path, demo_dir, edit)
    checked = read_and_check(tmp_path, load_plan())
    assert f"“{half}”" in _one(checked, LEAD, cell, "choice.assumed", "warning")
    assert _rows_of(checked, "leadership", path.name).set_index("period").loc[half, "plans_issued"] == int(plans)


@pytest.mark.parametrize("typed", ["6 tháng đầu năm 2021", "T1-T6/2021", "T7-T12/2023", "Từ 15/01/2023 đến 30/6/2023",
                                   "6 tháng cuối năm 2023", "Tháng 8/2023", "Quý I/2023", "T4-T6/2023", "@9 T1-T6/2023"])
def test_a_period_the_review_does_not_have_is_refused_at_its_cell(tmp_path, demo_dir, typed):
    """Months or a year that make no period of the review are never read as the nearest one ("6 tháng đầu năm 2021"
    was read as "6 tháng đầu năm 2023", one figure apart): an error at the cell, and the row is not counted."""
    half = load_plan().label_of("periods", "2023H1")
    wb = load_workbook(demo_dir / "returns" / BASE)
    row = next(i for i in range(8) if wb[LEAD.sheet][LEAD.cell(i, "period")].value == half)
    cell = LEAD.cell(row, "period")
    path = _build(tmp_path, demo_dir, lambda wb: wb[LEAD.sheet].__setitem__(cell, typed))
    checked = read_and_check(tmp_path, load_plan())
    _one(checked, LEAD, cell, "choice.invalid", "error")
    assert half not in set(_rows_of(checked, "leadership", path.name)["period"])


@pytest.mark.parametrize("typed", ["Đảng ủy phường Phổ Văn", "Ban Dân vận Đảng ủy phường Phổ Văn", "Khối Dân vận phường Phổ Văn",
                                   "Ủy ban MTTQ Việt Nam phường Phổ Văn", "Đảng ủy - UBND phường Phổ Văn, thị xã Đức Phổ",
                                   "HĐND phường Phổ Văn"])
def test_a_unit_written_as_one_of_its_bodies_is_that_unit(tmp_path, demo_dir, typed):
    """The return of a ward that its Party committee, its Dân vận bloc or its Front prepared names that body: it is
    the ward's return (`[registry] bodies` in config/plan.toml), every row kept, and the unit is told at the cell."""
    cell = INFO.cell(0, "unit_name")
    path = _build(tmp_path, demo_dir, lambda wb: wb[INFO.sheet].__setitem__(cell, typed))
    checked = read_and_check(tmp_path, load_plan())
    assert checked.files.set_index("file").at[path.name, "status"] != "rejected"
    assert "“UBND phường Phổ Văn”" in _one(checked, INFO, cell, "unit.assumed", "warning")
    assert set(_rows_of(checked, "leadership", path.name)["unit_code"]) == {"pho_van"}
    assert len(_rows_of(checked, "leadership", path.name)) == len(load_plan().labels("periods"))


@pytest.mark.parametrize("typed", ["Ban Dân vận Thị ủy", "Trường THCS Phổ Văn", "Đảng ủy"])
def test_a_body_that_names_no_unit_of_the_registry_is_still_refused(tmp_path, demo_dir, typed):
    """Body words before nothing the registry knows, or a school named after the ward, never become a unit."""
    cell = INFO.cell(0, "unit_name")
    path = _build(tmp_path, demo_dir, lambda wb: wb[INFO.sheet].__setitem__(cell, typed))
    checked = read_and_check(tmp_path, load_plan())
    assert checked.files.set_index("file").at[path.name, "status"] == "rejected"
    _one(checked, INFO, cell, "unit.unknown", "error")


@pytest.mark.parametrize("typed", ["Không xếp loại", "Chưa xếp loại", "Không đánh giá", "Không"])
def test_not_classified_is_never_read_as_the_lowest_level(tmp_path, demo_dir, typed):
    """"Không xếp loại" (not classified that year) was read as "Không hoàn thành nhiệm vụ", the lowest level, once
    "xếp loại" was taken for a lead-in and "không" alone matched the one level that says it: refused at its cell,
    the year not counted at any level."""
    cell, year_cell = CLASS.cell(0, "classification_level"), CLASS.cell(0, "classification_year")
    year = load_workbook(demo_dir / "returns" / BASE)[CLASS.sheet][year_cell].value
    path = _build(tmp_path, demo_dir, lambda wb: wb[CLASS.sheet].__setitem__(cell, typed))
    checked = read_and_check(tmp_path, load_plan())
    _one(checked, CLASS, cell, "choice.invalid", "error")
    assert int(year) not in set(_rows_of(checked, "classification", path.name)["classification_year"])


@pytest.mark.parametrize("column, typed, code", [
    ("recognition_level", "Chưa", "NONE"), ("recognition_level", "Không được công nhận", "NONE"),
    ("recognition_level", "Không", "NONE"), ("recognition_level", "Chưa có", "NONE"),
    ("recognition_level", "Không có", "NONE")])
def test_not_recognised_written_short_is_still_not_recognised(plan, column, typed, code):
    from pipeline.check.validation import parser

    read, problem = parser(MODELS.column(column), plan)(typed)
    assert read == plan.label_of("recognition_levels", code) and problem.rule == "choice.assumed"


@pytest.mark.parametrize("typed, code", [("Ưu điểm", "achievements"), ("Mặt được", "achievements"),
                                         ("Khó khăn", "shortcomings"), ("Khuyết điểm", "shortcomings"),
                                         ("Hạn chế", "shortcomings"), ("Đề xuất", "recommendations")])
def test_an_assessment_topic_under_its_usual_other_name_is_that_topic(plan, typed, code):
    """"Ưu điểm" is what many reports call "Kết quả đạt được", "Khó khăn" sits with "Tồn tại, hạn chế" (aliases in
    config/plan.toml): read as that topic with a warning, the text kept under it."""
    from pipeline.check.validation import parser

    read, problem = parser(sheet_spec("assessment").column("topic"), plan)(typed)
    assert read == plan.label_of("assessment_topics", code) and problem.rule == "choice.assumed"


@pytest.mark.parametrize("column, vocab, typed, code", [
    ("field", "fields", "Xây dựng Đảng", "XDHTCT"), ("field", "fields", "Tài nguyên môi trường", "KT"),
    ("field", "fields", "Du lịch", "KT"), ("field", "fields", "Lao động, việc làm", "VHXH"),
    ("field", "fields", "Chuyển đổi số", "CCHC"),
    # another name typed with its punctuation or spaces changed is still that name
    ("content_area", "content_areas", "Khiếu nại tố cáo", "ND4"), ("field", "fields", "Tài nguyên - môi trường", "KT"),
    ("field", "fields", "Lao động việc làm", "VHXH")])
def test_a_sector_or_another_name_however_punctuated_is_its_list_value(plan, column, vocab, typed, code):
    """The sector a model works in names its field ("Xây dựng Đảng" is "Xây dựng hệ thống chính trị"; aliases in
    config/plan.toml), read with a warning; an alias is compared by its letters too, as every label is."""
    from pipeline.check.validation import parser

    read, problem = parser(MODELS.column(column), plan)(typed)
    assert read == plan.label_of(vocab, code) and problem.rule == "choice.assumed"
