"""How a dropdown value typed the way clerks type it is read: the periods, the classification levels, the recognition
levels, fields and content areas of the models, yes/no answers and the other lists of config/plan.toml.

Each case is a real return (a demo workbook written into the real template) with cells typed the way a clerk types
them; the test says what the unit and the office see (the value read, the issue at the cell, the verdict on a
proposal resting on it). The cases are read together, each under a registry unit of its own
(tests/check/clerk_batch.py).
"""
from __future__ import annotations

import functools
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pipeline.check import read_and_check
from pipeline.config import load_plan
from pipeline.tidy import tidy
from pipeline.tidy.awards import evaluate_proposals
from schemas import SHEETS, sheet_spec
from schemas.fields import CHOICE, YESNO
from tests.check.clerk_batch import Job, Read, only, read_together_once, typed_in
from tests.check.clerk_batch import issues_at as _issues_at, one as _one, rows_of as _rows_of

PLAN = load_plan()
INFO, LEAD, MODELS, CLASS, PROPOSALS = (sheet_spec(n) for n in (
    "unit_info", "leadership", "models", "classification", "proposals"))
BASE = "pho_van_bao_cao_so_ket.xlsx"               # a clean demo return, no proposal
WITH_PROPOSAL = "pho_phong_bao_cao_so_ket.xlsx"    # a collective proposal whose criterion (c) is met by recognised models
HABITS_BASE = "pho_thuan_bao_cao_so_ket.xlsx"      # a clean demo return: no planted mistake, no proposal, 3 models
JOBS: dict[str, Job] = {}
ONE = [()]                                         # the one case of a test that is not parametrized


def _job(name: str, values: list, edit, base: str = BASE) -> list:
    JOBS[name] = Job(base, edit, values)
    return values


@pytest.fixture(scope="module")
def reads(tmp_path_factory, demo_dir, plan):
    """Every case of this module, read together: (job, values) -> its Read."""
    return read_together_once(tmp_path_factory, "choices", demo_dir, plan, JOBS)


_VERDICTS: dict[int, tuple] = {}


def _verdicts(read: Read):
    """The case's file after the tidy stage, the verdicts on its unit's proposal, the ranking of the run."""
    if id(read.checked) not in _VERDICTS:
        checked, tables = tidy(read.checked, PLAN)
        _VERDICTS[id(read.checked)] = (checked, *evaluate_proposals(tables, PLAN))
    checked, verdicts, ranking = _VERDICTS[id(read.checked)]
    return Read(checked, read.file, read.unit, read.path), verdicts[verdicts.unit_code == read.code], ranking


@functools.lru_cache(maxsize=None)
def _base(demo_dir: Path, base: str):
    """A demo return as it was generated (read only)."""
    return load_workbook(demo_dir / "returns" / base)





def _build(folder: Path, demo_dir: Path, base: str, edit=None, name: str | None = None) -> Path:
    """A copy of the demo return `base` changed by `edit(wb)`, saved as `name` in `folder` (a case read alone)."""
    folder.mkdir(parents=True, exist_ok=True)
    wb = load_workbook(demo_dir / "returns" / base)
    if edit:
        edit(wb)
    path = folder / (name or base)
    wb.save(path)
    return path


# -- periods ------------------------------------------------------------------------------------------------------

def _period_row(wb, period: str) -> int:
    return next(i for i in range(8) if wb[LEAD.sheet][LEAD.cell(i, "period")].value == period)


def _period_typed(wb, code, typed):
    period = PLAN.label_of("periods", code)
    wb[LEAD.sheet][LEAD.cell(_period_row(wb, period), "period")] = typed


@pytest.mark.parametrize("code, typed", _job("period_months", [
    ("2023H1", "T1-T6/2023"), ("2023H1", "Tháng 1-6/2023"), ("2023H1", "01/2023 - 06/2023"),
    ("2023H1", "Từ 01/01/2023 đến 30/06/2023"), ("2023H1", "Từ tháng 1 đến tháng 6/2023"), ("2023H1", "T01-T06/2023"),
    ("2023H1", "Tháng 01 - 06/2023"), ("2023H1", "Từ 1/2023 đến 6/2023"), ("2023H1", "Tháng 1-6 năm 2023"),
    ("2023H1", "T1-6/2023"), ("2023H1", "Quý I, II/2023"), ("2023H1", "Q1-Q2/2023"), ("2023H1", "01/01 – 30/6/2023"),
    ("2023H1", "từ ngày 01/01/2023 đến ngày 30/6/2023"), ("2021", "T1-T12/2021"), ("2021", "01/2021 - 12/2021"),
    ("2021", "Từ 01/01/2021 đến 31/12/2021"), ("2021", "Cả năm 2021"), ("2022", "Quý I đến quý IV năm 2022"),
    ("2022", "Năm 2022 (T1-T12)"), ("2023H1", "Tháng 6/2023"), ("2023H1", "T6/2023"), ("2021", "Tháng 3/2021"),
    ("2022", "12/2022")], _period_typed))
def test_a_period_written_as_its_months_is_that_period(reads, demo_dir, code, typed):
    """A period written as its months, quarters or first and last days is the period with those months (`months` of
    each period in config/plan.toml; a whole year by default), one month alone the period it falls in: its row's
    counts are kept under that period, and the unit is told."""
    period = load_plan().label_of("periods", code)
    wb = _base(demo_dir, BASE)
    row = _period_row(wb, period)
    cell = LEAD.cell(row, "period")
    plans = wb[LEAD.sheet][LEAD.cell(row, "plans_issued")].value
    checked = reads["period_months", (code, typed)]
    assert f"“{period}”" in _one(checked, LEAD, cell, "choice.assumed", "warning")
    assert _rows_of(checked, "leadership", checked.file).set_index("period").loc[period, "plans_issued"] == int(plans)


def _month_made_a_date(wb):
    import datetime as dt

    cell = LEAD.cell(_period_row(wb, PLAN.label_of("periods", "2023H1")), "period")
    wb[LEAD.sheet][cell] = dt.datetime(2023, 6, 1)
    wb[LEAD.sheet][cell].number_format = "mmm-yy"


_job("month_made_a_date", ONE, _month_made_a_date)


def test_a_period_typed_as_a_month_that_excel_made_a_date_is_read_as_typed(reads, demo_dir):
    """"6/2023" typed in the half-year's cell becomes the date 01/06/2023 in Excel (shown "Jun-23"): it is read as
    the text "6/2023" would be, that half-year, with a warning; not refused as a date in a list cell."""
    half = load_plan().label_of("periods", "2023H1")
    wb = _base(demo_dir, BASE)
    row = _period_row(wb, half)
    cell = LEAD.cell(row, "period")
    plans = wb[LEAD.sheet][LEAD.cell(row, "plans_issued")].value
    checked = only(reads, "month_made_a_date")
    assert f"“{half}”" in _one(checked, LEAD, cell, "choice.assumed", "warning")
    assert _rows_of(checked, "leadership", checked.file).set_index("period").loc[half, "plans_issued"] == int(plans)


@pytest.mark.parametrize("typed", _job("period_refused", [
    "6 tháng đầu năm 2021", "T1-T6/2021", "T7-T12/2023", "Từ 15/01/2023 đến 30/6/2023", "6 tháng cuối năm 2023",
    "Tháng 8/2023", "Quý I/2023", "T4-T6/2023", "@9 T1-T6/2023"], lambda wb, typed: _period_typed(wb, "2023H1", typed)))
def test_a_period_the_review_does_not_have_is_refused_at_its_cell(reads, demo_dir, typed):
    """Months or a year that make no period of the review are never read as the nearest one ("6 tháng đầu năm 2021"
    was read as "6 tháng đầu năm 2023", one figure apart): an error at the cell, and the row is not counted."""
    half = load_plan().label_of("periods", "2023H1")
    cell = LEAD.cell(_period_row(_base(demo_dir, BASE), half), "period")
    checked = reads["period_refused", typed]
    _one(checked, LEAD, cell, "choice.invalid", "error")
    assert half not in set(_rows_of(checked, "leadership", checked.file)["period"])


# -- classification levels ----------------------------------------------------------------------------------------

LEVEL, YEAR = CLASS.cell(0, "classification_level"), CLASS.cell(0, "classification_year")


@pytest.mark.parametrize("typed", _job("not_classified", ["Không xếp loại", "Chưa xếp loại", "Không đánh giá", "Không"],
                                       typed_in(CLASS, LEVEL)))
def test_not_classified_is_never_read_as_the_lowest_level(reads, demo_dir, typed):
    """"Không xếp loại" (not classified that year) was read as "Không hoàn thành nhiệm vụ", the lowest level, once
    "xếp loại" was taken for a lead-in and "không" alone matched the one level that says it: refused at its cell,
    the year not counted at any level."""
    year = _base(demo_dir, BASE)[CLASS.sheet][YEAR].value
    checked = reads["not_classified", typed]
    _one(checked, CLASS, LEVEL, "choice.invalid", "error")
    assert int(year) not in set(_rows_of(checked, "classification", checked.file)["classification_year"])


@pytest.mark.parametrize("typed", _job("words_change_level", ["Chưa hoàn thành nhiệm vụ",
                                                               "Xếp loại: chưa hoàn thành nhiệm vụ", "HTXSNV/HTTNV"],
                                       typed_in(CLASS, LEVEL), base=WITH_PROPOSAL))
def test_words_that_change_a_dropdown_value_are_never_dropped(reads, typed):
    checked = reads["words_change_level", typed]
    found = _issues_at(checked, CLASS.sheet, LEVEL)
    assert list(found["severity"]) == ["error"] and found.iloc[0]["rule"] in ("choice.invalid", "choice.ambiguous")


LEVELS_TYPED = [CLASS.cell(i, "classification_level") for i in range(3)]


def _levels_typed(wb):
    ws = wb[CLASS.sheet]
    ws[CLASS.cell(0, "score")], ws[LEVELS_TYPED[0]] = 95, "Giỏi"
    ws[CLASS.cell(1, "score")], ws[LEVELS_TYPED[1]] = 95, "HTXSNV"
    ws[CLASS.cell(2, "score")], ws[LEVELS_TYPED[2]] = 95, "Hoàn thành xuất sắc"


_job("level_out_of_list", ONE, _levels_typed, base=HABITS_BASE)


def test_level_out_of_list_is_an_error_at_the_cell_and_common_forms_are_read(reads):
    checked = only(reads, "level_out_of_list")
    cell, cell2, cell3 = LEVELS_TYPED
    text = _one(checked, CLASS.sheet, cell, "choice.invalid", "error")
    assert "“Giỏi”" in text and "Hoàn thành xuất sắc nhiệm vụ" in text  # the list is shown
    for c in (cell2, cell3):
        assert "Hoàn thành xuất sắc nhiệm vụ" in _one(checked, CLASS.sheet, c, "choice.assumed", "warning")
    levels = checked.tables["classification"].set_index("classification_year")["classification_level"]
    assert 2020 not in levels.index  # the refused row is left out, the assumed ones are read
    assert levels[2021] == levels[2022] == "Hoàn thành xuất sắc nhiệm vụ"


# -- any dropdown --------------------------------------------------------------------------------------------------

FIELD = MODELS.cell(0, "field")
_job("nearest", [("Kinh tê xa hoi",)], typed_in(MODELS, FIELD), base=HABITS_BASE)


def test_a_nearest_candidate_is_suggested(reads):
    text = _one(only(reads, "nearest"), MODELS.sheet, FIELD, "choice.invalid", "error")
    assert "có phải ý bạn là" in text and "“Kinh tế”" in text


CHOICE_CELLS = [(spec.name, col.name) for spec in SHEETS for col in spec.columns
                if col.kind in (CHOICE, YESNO) and col.vocab != "units"]


def _every_dropdown_build(tmp: Path, name: str, unit: str, edit, demo_dir: Path) -> Path:
    path = tmp / name
    wb = load_workbook(demo_dir / "returns" / HABITS_BASE)
    wb[INFO.sheet][INFO.cell(0, "unit_name")] = unit
    edit(wb)
    wb.save(path)
    return path


def test_every_dropdown_refuses_a_value_outside_its_list(tmp_path, demo_dir):
    """One workbook per sheet, with every dropdown cell of that sheet (one per row) out of its list."""
    plan = load_plan()
    where = {}
    units = iter(u.unit_name for u in plan.units)
    for spec in SHEETS:
        cols = [c for s, c in CHOICE_CELLS if s == spec.name]
        if not cols:
            continue

        def edit(wb, spec=spec, cols=cols):
            ws = wb[spec.sheet]
            for i, col in enumerate(cols):
                row = 0 if spec.layout == "form" else i
                if spec.name == "proposals":  # a proposal row must exist to hold a value
                    ws[spec.cell(row, "nominee_name")] = "Nguyễn Văn A"
                ws[spec.cell(row, col)] = "Giá trị lạ ngoài danh sách"
                where[(spec.sheet, spec.cell(row, col))] = col
        _every_dropdown_build(tmp_path, f"{spec.name}.xlsx", next(units), edit, demo_dir)
    checked = read_and_check(tmp_path, plan)
    for (sheet, cell), col in where.items():
        found = _issues_at(checked, sheet, cell)
        assert ("choice.invalid" in set(found["rule"]) or "yesno.invalid" in set(found["rule"])), (sheet, cell, col)
        assert set(found["severity"]) == {"error"}, (sheet, cell)
    assert len(where) == len(CHOICE_CELLS)


# -- recognition levels: "Cấp xã" is not "Cấp thị xã công nhận" --------------------------------------------------------

def _model_rows(ws) -> list[int]:
    return [i for i in range(MODELS.n_data_rows) if ws[MODELS.cell(i, "model_name")].value]


def _every_model_recognised_as(wb, typed, *_):
    """pho_phong's return (criterion (c) met by its recognised models) with `typed` as every model's level."""
    for i in _model_rows(wb[MODELS.sheet]):
        wb[MODELS.sheet][MODELS.cell(i, "recognition_level")] = typed


def _recognised_as(reads, job: str, typed):
    """The case's file after the tidy stage, its unit's verdicts, and its model rows."""
    checked, verdicts, _ = _verdicts(reads[job, typed])
    return checked, verdicts, _model_rows(load_workbook(checked.path)[MODELS.sheet])


def _level_job(name: str, values: list) -> list:
    return _job(name, values, _every_model_recognised_as, base=WITH_PROPOSAL)


@pytest.mark.parametrize("typed", _level_job("commune_level", ["Cấp xã", "Cấp xã công nhận", "Cấp phường",
                                                               "UBND xã công nhận", "Đảng ủy xã công nhận"]))
def test_a_commune_level_recognition_is_not_read_as_the_town_level(reads, typed):
    """A commune recognising its own model: the unit's own level (an alias in config/plan.toml), said; never the
    town's ("thị xã" holds "xã"), so criterion (c), which asks for the town's level or above, is not met by it."""
    checked, verdicts, rows = _recognised_as(reads, "commune_level", typed)
    town, unit = PLAN.label_of("recognition_levels", "TOWN"), PLAN.label_of("recognition_levels", "UNIT")
    for i in rows:
        found = _issues_at(checked, MODELS.sheet, MODELS.cell(i, "recognition_level"))
        assert list(zip(found.rule, found.severity)) == [("choice.assumed", "warning")], found.message.tolist()
        assert f"“{typed}”" in found.iloc[0].message and f"“{unit}”" in found.iloc[0].message
    assert set(checked.tables["models"]["recognition_level"]) == {unit}
    assert len(checked.tables["models"]) == len(rows)          # every model kept, counted
    c = verdicts[verdicts.criterion == "c"].iloc[0]
    assert c.verdict == "not_met" and f"({town}" not in c.evidence and f"({unit}" in c.evidence


_level_job("level_no", [("Không",)])


def test_no_typed_as_the_recognition_level_is_not_recognised(reads):
    checked, verdicts, rows = _recognised_as(reads, "level_no", ("Không",))
    none = PLAN.label_of("recognition_levels", "NONE")
    assert checked.tables["models"]["recognition_level"].tolist() == [none] * len(rows)
    assert set(checked.issues.loc[checked.issues["sheet"] == MODELS.sheet, "rule"]) <= {"choice.assumed",
                                                                                          "recognition_doc_required"}


LEVEL_CELL = MODELS.cell(0, "recognition_level")
_job("town_loosely", [("Cấp thị xã",)], typed_in(MODELS, LEVEL_CELL), base=WITH_PROPOSAL)


def test_the_town_level_typed_loosely_is_still_read(reads):
    found = _issues_at(only(reads, "town_loosely"), MODELS.sheet, LEVEL_CELL)
    assert list(zip(found.rule, found.severity)) == [("choice.assumed", "warning")]
    assert "“Cấp thị xã công nhận”" in found.iloc[0].message


@pytest.mark.parametrize("typed, code", _level_job("level_other_names", [
    ("Cấp huyện", "TOWN"), ("UBND thị xã", "TOWN"), ("Thị ủy", "TOWN"), ("UBND huyện công nhận", "TOWN"),
    ("Huyện ủy công nhận", "TOWN"), ("UBND tỉnh", "PROVINCE"), ("TW", "CENTRAL"), ("Cấp bộ", "CENTRAL")]))
def test_other_names_of_a_recognition_level_are_read_as_it_with_a_warning(reads, typed, code):
    """A thị xã is a district-level unit: "Cấp huyện" is the town level (config: `aliases` of the level)."""
    checked, verdicts, rows = _recognised_as(reads, "level_other_names", (typed, code))
    level = PLAN.label_of("recognition_levels", code)
    for i in rows:
        found = _issues_at(checked, MODELS.sheet, MODELS.cell(i, "recognition_level"))
        assert list(zip(found.rule, found.severity)) == [("choice.assumed", "warning")]
        assert f"“{level}”" in found.iloc[0].message
    assert checked.tables["models"]["recognition_level"].tolist() == [level] * len(rows)
    c = verdicts[verdicts.criterion == "c"].iloc[0]
    assert c.verdict == "met" and level in c.evidence


@pytest.mark.parametrize("typed, code", _level_job("level_by_body", [
    ("Ban Dân vận Thị ủy", "TOWN"), ("BTV Thị ủy Đức Phổ", "TOWN"), ("QĐ số 45/QĐ-UBND ngày 3/4/2022 của UBND thị xã", "TOWN"),
    ("Phòng Nội vụ công nhận", "TOWN"), ("Ban dan van Thi uy", "TOWN"), ("UBND tỉnh Quảng Ngãi", "PROVINCE"),
    ("Ban Dân vận Tỉnh ủy", "PROVINCE"), ("Sở Nội vụ công nhận", "PROVINCE"), ("Bộ Nội vụ công nhận", "CENTRAL"),
    ("Bộ công nhận", "CENTRAL"), ("Trung ương Hội LHPN công nhận", "CENTRAL")]))
def test_a_recognition_level_typed_as_the_body_that_recognised_the_model_is_its_level(reads, typed, code):
    """The guidance asks for a model "được cơ quan có thẩm quyền đánh giá, công nhận": clerks write that body.
    Its level is the level the words name (`named_by` in config/plan.toml), said; "thị xã" is no "xã"."""
    checked, verdicts, rows = _recognised_as(reads, "level_by_body", (typed, code))
    level = PLAN.label_of("recognition_levels", code)
    for i in rows:
        found = _issues_at(checked, MODELS.sheet, MODELS.cell(i, "recognition_level"))
        assert list(zip(found.rule, found.severity)) == [("choice.assumed", "warning")], found.message.tolist()
        assert f"“{level}”" in found.iloc[0].message
    assert checked.tables["models"]["recognition_level"].tolist() == [level] * len(rows)
    c = verdicts[verdicts.criterion == "c"].iloc[0]
    assert c.verdict == "met" and level in c.evidence


@pytest.mark.parametrize("typed", _level_job("level_own_unit", ["Xã công nhận", "Đảng ủy phường Phổ Thạnh",
                                                                "Chi bộ cơ quan công nhận"]))
def test_a_model_recognised_by_the_unit_itself_in_its_words_is_the_units_level(reads, typed):
    checked, verdicts, rows = _recognised_as(reads, "level_own_unit", typed)
    unit = PLAN.label_of("recognition_levels", "UNIT")
    assert checked.tables["models"]["recognition_level"].tolist() == [unit] * len(rows)
    c = verdicts[verdicts.criterion == "c"].iloc[0]
    assert c.verdict == "not_met"


@pytest.mark.parametrize("typed", _job("level_refused", [
    "Đề nghị cấp thị xã công nhận", "Chưa được UBND thị xã công nhận", "Đang đề nghị công nhận",
    "Cấp thị xã, cấp tỉnh công nhận", "Được công nhận",
    # the body named, but not yet, or two levels, or no level named
    "Đang đề nghị UBND tỉnh công nhận", "Chờ Thị ủy công nhận", "Cấp thị xã, cấp tỉnh", "Trường THCS"],
    typed_in(MODELS, LEVEL_CELL), base=WITH_PROPOSAL))
def test_a_recognition_not_given_or_not_one_is_refused_at_its_cell(reads, typed):
    found = _issues_at(reads["level_refused", typed], MODELS.sheet, LEVEL_CELL)
    assert list(found["severity"]) == ["error"] and found.iloc[0]["rule"] in ("choice.invalid", "choice.ambiguous")


# -- content areas ----------------------------------------------------------------------------------------------

AREA = MODELS.cell(0, "content_area")


@pytest.mark.parametrize("typed, code", _job("area_number", [
    ("Nội dung 2", "ND2"), ("ND 2", "ND2"), ("Nội dung 6", "ND6"), ("Nội dung 2: Cải cách hành chính", "ND2"),
    ("nội dung 3 - Dân chủ ở cơ sở", "ND3"), ("Nội dung 2: Dân chủ ở cơ sở", None)],
    typed_in(MODELS, AREA), base=WITH_PROPOSAL))
def test_a_content_area_written_as_its_number_is_read(reads, typed, code):
    """The plan numbers its content areas "Nội dung 1" … "Nội dung 6" (codes ND1 … ND6); words after the number
    must name the same area, else the cell is refused."""
    checked = reads["area_number", (typed, code)]
    found = _issues_at(checked, MODELS.sheet, AREA)
    models = checked.tables["models"]
    if code is None:
        assert list(zip(found.rule, found.severity)) == [("choice.invalid", "error")]
        assert 4 not in models["excel_row"].tolist()
        return
    assert list(zip(found.rule, found.severity)) == [("choice.assumed", "warning")]
    area = PLAN.label_of("content_areas", code)
    assert models.set_index("excel_row").loc[4, "content_area"] == area


@pytest.mark.parametrize("typed, code", _job("area_by_work", [
    ("Xây dựng nông thôn mới", "ND5"), ("GPMB", "ND5"), ("Giảm nghèo", "ND5"), ("Quy chế dân chủ", "ND3"),
    ("Thực hiện dân chủ ở cơ sở", "ND3"), ("Giải quyết khiếu nại, tố cáo", "ND4"), ("Một cửa liên thông", "ND2"),
    ("Trọng dân, gần dân", "ND1")], typed_in(MODELS, AREA), base=WITH_PROPOSAL))
def test_a_model_content_area_named_by_its_work_is_read_as_that_area_and_told(reads, typed, code):
    """The plan's content areas by the work clerks name ("Xây dựng nông thôn mới" is the economic and social
    area): the aliases in config/plan.toml, each read with a warning; the model is counted in that area."""
    checked = reads["area_by_work", (typed, code)]
    name = load_workbook(checked.path)[MODELS.sheet][MODELS.cell(0, "model_name")].value
    found = _issues_at(checked, MODELS.sheet, AREA)
    area = PLAN.label_of("content_areas", code)
    assert list(zip(found.rule, found.severity)) == [("choice.assumed", "warning")] and f"“{area}”" in found.iloc[0].message
    assert checked.tables["models"].set_index("model_name").at[name, "content_area"] == area


# -- yes/no -------------------------------------------------------------------------------------------------------

CRIT_A, CRIT_B = PROPOSALS.cell(0, "crit_a"), PROPOSALS.cell(0, "crit_b")


def _criteria_answered(wb, tick):
    wb[PROPOSALS.sheet][CRIT_A] = "Có - đạt HTXS 3 năm liền"
    wb[PROPOSALS.sheet][CRIT_B] = tick


@pytest.mark.parametrize("tick", _job("tick", ["✓", "•\tCó"], _criteria_answered, base=WITH_PROPOSAL))
def test_a_criterion_answered_with_its_reason_or_a_tick_keeps_the_proposal(reads, tick):
    # a tick, or "Có" pasted from a bulleted list in Word
    checked = reads["tick", tick]
    text = _one(checked, PROPOSALS, CRIT_A, "value.assumed", "warning")
    assert "“Có”" in text
    assert _issues_at(checked, PROPOSALS, CRIT_B).empty
    proposal = _rows_of(checked, "proposals", checked.file).iloc[0]
    assert bool(proposal["crit_a"]) and bool(proposal["crit_b"])


def test_a_field_named_by_its_sector_and_a_self_assessment_in_other_words_are_read_and_told(tmp_path, demo_dir):
    """Clerks name the sector, "Giáo dục", "An ninh trật tự", for the field it belongs to, and write "Rất tốt" or
    "Kém" for a self-assessment: read as the field or level (the aliases in config/plan.toml), each said."""
    content = sheet_spec("content_results")
    sector = {"Kinh tế": "Nông nghiệp", "Văn hóa – xã hội": "Giáo dục", "Quốc phòng – an ninh": "An ninh trật tự",
              "Cải cách hành chính": "Cải cách TTHC"}
    level = {"Tốt": "Rất tốt", "Yếu": "Kém"}
    base = "pho_phong_bao_cao_so_ket.xlsx"
    wb = load_workbook(demo_dir / "returns" / base)
    models = wb[MODELS.sheet]
    fields = [models[MODELS.cell(i, "field")].value for i in range(20) if models[MODELS.cell(i, "model_name")].value]
    rows = range(len(PLAN.labels("content_areas")) * len(PLAN.labels("periods")))
    levels = [wb[content.sheet][content.cell(i, "self_assessment")].value for i in rows]
    changed = [MODELS.cell(i, "field") for i, f in enumerate(fields) if f in sector] + \
        [content.cell(i, "self_assessment") for i, v in zip(rows, levels) if v in level]
    assert len({f for f in fields if f in sector}) >= 2 and "Tốt" in levels

    def edit(wb):
        for i, f in enumerate(fields):
            wb[MODELS.sheet][MODELS.cell(i, "field")] = sector.get(f, f)
        for i, v in zip(rows, levels):
            wb[content.sheet][content.cell(i, "self_assessment")] = level.get(v, v)
    _build(tmp_path, demo_dir, base, edit)
    checked = read_and_check(tmp_path, PLAN)
    assumed = checked.issues[checked.issues["rule"] == "choice.assumed"]
    assert sorted(assumed["cell"]) == sorted(changed) and set(assumed["severity"]) == {"warning"}
    assert checked.tables["models"].sort_values("excel_row")["field"].tolist() == fields
    assert checked.tables["content_results"].sort_values("excel_row")["self_assessment"].tolist() == \
        [v for v in levels if v]


def test_yes_no_answered_with_the_words_of_the_question_keeps_every_model(tmp_path, demo_dir):
    """The clerk answers "Đã nhân rộng" with "Đã nhân rộng" / "Chưa nhân rộng" rather than Có / Không."""
    def answers_of(path):
        ws = load_workbook(path)[MODELS.sheet]
        return {i: ws[MODELS.cell(i, "is_replicated")].value for i in range(20)
                if ws[MODELS.cell(i, "model_name")].value}
    base = next(p.name for p in sorted((demo_dir / "returns").glob("*.xlsx"))   # a unit with both answers
                if {"Có", "Không"} <= set(answers_of(p).values()))
    answers = answers_of(demo_dir / "returns" / base)

    def edit(wb):
        for i, said in answers.items():
            wb[MODELS.sheet][MODELS.cell(i, "is_replicated")] = "Đã nhân rộng" if said == "Có" else "Chưa nhân rộng"
    _build(tmp_path, demo_dir, base, edit)
    checked = read_and_check(tmp_path, PLAN)
    models = checked.tables["models"]
    assert models["is_replicated"].tolist() == [said == "Có" for said in answers.values()]
    warned = checked.issues[checked.issues["rule"] == "value.assumed"]
    assert sorted(warned["cell"]) == sorted(MODELS.cell(i, "is_replicated") for i in answers)


def test_a_commendation_typed_as_its_synonym_is_read_and_a_higher_award_is_refused(tmp_path, demo_dir):
    """"Tuyên dương" is "Biểu dương, khen ngợi"; a "Bằng khen" is no award a unit gives under its own authority."""
    given = sheet_spec("awards_given")
    praised, higher = given.cell(1, "award_form"), given.cell(0, "award_form")

    def edit(wb):
        wb[given.sheet][praised], wb[given.sheet][higher] = "Tuyên dương", "Bằng khen"
    _build(tmp_path, demo_dir, "pho_phong_bao_cao_so_ket.xlsx", edit)
    was = load_workbook(demo_dir / "returns" / "pho_phong_bao_cao_so_ket.xlsx")[given.sheet][praised].value
    checked = read_and_check(tmp_path, PLAN)
    assert was == PLAN.label_of("own_award_forms", "BIEU_DUONG")
    assert list(_issues_at(checked, given.sheet, praised).rule) == ["choice.assumed"]
    assert list(_issues_at(checked, given.sheet, higher).rule) == ["choice.invalid"]
    rows = checked.tables["awards_given"].set_index("excel_row")
    assert rows.at[int(praised[1:]), "award_form"] == was and int(higher[1:]) not in rows.index



# -- the parser alone ---------------------------------------------------------------------------------------------

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

