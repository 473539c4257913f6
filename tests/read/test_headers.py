"""Template headers and form labels retyped by a clerk: a unit in brackets, a colon, a few words more or fewer,
a small typo. The column is still read (its figures counted, checked against the cells the test wrote), with a
warning at the header cell when the words changed; a header that could mean several columns, or none, leaves
the column missing with an error, and never takes a column another header already names."""
from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from pipeline.check import read_and_check
from pipeline.config import load_plan
from schemas import sheet_spec
from schemas.spec import FIRST_DATA_ROW, HEADER_ROW

PLAN = load_plan()
BASE = "pho_van_bao_cao_so_ket.xlsx"   # a clean demo return
INFO, LEAD, MODELS = (sheet_spec(n) for n in ("unit_info", "leadership", "models"))


def _header_cell(spec, column: str) -> str:
    return f"{get_column_letter(spec.column_names.index(column) + 1)}{HEADER_ROW}"


def _label_cell(spec, column: str) -> str:
    return f"A{FIRST_DATA_ROW + spec.column_names.index(column)}"


def _build(folder: Path, demo_dir: Path, cells: dict[tuple[str, str], str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    wb = load_workbook(demo_dir / "returns" / BASE)
    for (sheet, cell), value in cells.items():
        wb[sheet][cell] = value
    path = folder / BASE
    wb.save(path)
    return path


def _column_values(path: Path, spec, column: str) -> list:
    """The numbers the workbook holds in one column of a table sheet, read by the test itself."""
    ws = load_workbook(path)[spec.sheet]
    j = spec.column_names.index(column) + 1
    values = [ws.cell(row=r, column=j).value for r in range(FIRST_DATA_ROW, ws.max_row + 1)]
    return [v for v in values if isinstance(v, (int, float))]


def _issues(checked, sheet: str, cell: str):
    i = checked.issues
    return i[(i["sheet"] == sheet) & (i["cell"] == cell)]


@pytest.mark.parametrize("typed, warned", [
    ("Số buổi tuyên truyền (buổi)", False),          # a unit added
    ("Số buổi tuyên truyền:", False),                # a colon
    ("Số buổi tuyên truyền (*)", False),             # the "required" star
    ("SỐ BUỔI TUYÊN TRUYỀN", False),                 # capitals
    ("Số buổi tuyên truyền, vận động", True),        # words added
    ("Tổng số buổi tổ chức tuyên truyền", True),     # words added before and inside
    ("Số buổi", True),                               # shortened, still one column
    ("Số buổi tuyên truyềm", True),                  # a typo
])
def test_a_retyped_table_header_still_reads_its_column(tmp_path, demo_dir, typed, warned):
    cell = _header_cell(LEAD, "propaganda_sessions")
    path = _build(tmp_path, demo_dir, {(LEAD.sheet, cell): typed})
    typed_sessions = _column_values(path, LEAD, "propaganda_sessions")
    assert typed_sessions
    checked = read_and_check(tmp_path, PLAN)
    lead = checked.tables["leadership"]
    assert len(lead) == len(typed_sessions)
    assert lead["propaganda_sessions"].sum() == sum(typed_sessions)
    assert not (checked.issues["severity"] == "error").any(), checked.issues.to_string()
    at = _issues(checked, LEAD.sheet, cell)
    if warned:
        assert at["rule"].tolist() == ["column.assumed"]
        assert f"“{typed}”" in at["message"].iloc[0] and "“Số buổi tuyên truyền”" in at["message"].iloc[0]
        assert at["severity"].iloc[0] == "warning"
    else:
        assert at.empty, at.to_string()


def test_several_retyped_headers_of_one_sheet_are_each_read(tmp_path, demo_dir):
    path = _build(tmp_path, demo_dir, {
        (MODELS.sheet, _header_cell(MODELS, "model_name")): "Tên mô hình “Dân vận khéo”",
        (MODELS.sheet, _header_cell(MODELS, "start_year")): "Năm bắt đầu thực hiện",
        (MODELS.sheet, _header_cell(MODELS, "replication_places")): "Số nơi nhân rộng (đơn vị)",
    })
    names = [v for v in _column_values(path, MODELS, "start_year")]
    checked = read_and_check(tmp_path, PLAN)
    models = checked.tables["models"]
    assert sorted(models["start_year"]) == sorted(names)
    assert models["replication_places"].fillna(0).sum() == sum(_column_values(path, MODELS, "replication_places"))
    rules = checked.issues[checked.issues["sheet"] == MODELS.sheet].set_index("cell")["rule"].to_dict()
    assert rules == {_header_cell(MODELS, "model_name"): "column.assumed",
                     _header_cell(MODELS, "start_year"): "column.assumed"}


@pytest.mark.parametrize("typed", [
    "Ghi chú",            # names no column
    "Số",                 # could be any of the counts
    "Số lượt",            # only the participants column holds these words, and it is there already
])
def test_a_header_that_names_no_one_missing_column_leaves_the_column_missing(tmp_path, demo_dir, typed):
    _build(tmp_path, demo_dir, {(LEAD.sheet, _header_cell(LEAD, "propaganda_sessions")): typed})
    checked = read_and_check(tmp_path, PLAN)
    at = _issues(checked, LEAD.sheet, f"A{HEADER_ROW}")
    assert at["rule"].tolist() == ["column.missing"]
    assert "“Số buổi tuyên truyền”" in at["message"].iloc[0] and "đổi tên cột" in at["message"].iloc[0]
    assert checked.tables["leadership"].empty   # the sheet is not counted with a column read wrongly


def test_retyped_form_labels_still_read_their_fields(tmp_path, demo_dir):
    date_label, unit_label = _label_cell(INFO, "report_date"), _label_cell(INFO, "unit_name")
    path = _build(tmp_path, demo_dir, {(INFO.sheet, date_label): "Ngày báo cáo:",
                                       (INFO.sheet, unit_label): "Tên đơn vị:"})
    ws = load_workbook(path)[INFO.sheet]
    typed_date = ws[INFO.cell(0, "report_date")].value
    checked = read_and_check(tmp_path, PLAN)
    assert checked.files["unit_code"].tolist() == ["pho_van"]
    info = checked.tables["unit_info"]
    assert info["report_date"].iloc[0].date() == typed_date.date()
    assert _issues(checked, INFO.sheet, date_label).empty      # only a colon added: read silently
    at = _issues(checked, INFO.sheet, unit_label)
    assert at["rule"].tolist() == ["column.assumed"] and "“Tên cơ quan, đơn vị, địa phương”" in at["message"].iloc[0]
    assert not (checked.issues["severity"] == "error").any(), checked.issues.to_string()


def test_an_added_column_headed_like_a_present_one_does_not_replace_it(tmp_path, demo_dir):
    """A clerk adds a column "Năm bắt đầu (dự kiến)" at the end and retypes another header: the years read are
    the template column's, never the added column's."""
    wb = load_workbook(demo_dir / "returns" / BASE)
    ws = wb[MODELS.sheet]
    extra = len(MODELS.columns) + 2
    ws.cell(row=HEADER_ROW, column=extra, value="Năm bắt đầu (dự kiến)")
    for r in range(FIRST_DATA_ROW, ws.max_row + 1):
        if ws.cell(row=r, column=1).value:
            ws.cell(row=r, column=extra, value=2030)
    ws[_header_cell(MODELS, "beneficiaries")] = "Số người hưởng lợi"
    tmp_path.mkdir(exist_ok=True)
    wb.save(tmp_path / BASE)
    years = _column_values(tmp_path / BASE, MODELS, "start_year")
    checked = read_and_check(tmp_path, PLAN)
    assert sorted(checked.tables["models"]["start_year"]) == sorted(years) and 2030 not in years
    assert checked.issues["rule"].tolist() == ["column.assumed"]   # "Số người hưởng lợi", read as its column


@pytest.mark.parametrize("merged", [True, False], ids=["merged", "not-merged"])
@pytest.mark.parametrize("sessions, participants, warned", [
    ("Số buổi tuyên truyền", "Số lượt người tham gia tuyên truyền", False),
    ("Số buổi", "Số lượt người", True),
])
def test_a_header_split_over_two_rows_is_read(tmp_path, demo_dir, merged, sessions, participants, warned):
    """"Tuyên truyền" over "Số buổi" | "Số lượt người", the other headers merged down both rows (or not)."""
    wb = load_workbook(demo_dir / "returns" / BASE)
    ws = wb[LEAD.sheet]
    js = [LEAD.column_names.index(c) + 1 for c in ("propaganda_sessions", "propaganda_participants")]
    ws.insert_rows(HEADER_ROW + 1)
    for j in range(1, len(LEAD.columns) + 1):
        if j not in js and merged:
            ws.merge_cells(start_row=HEADER_ROW, start_column=j, end_row=HEADER_ROW + 1, end_column=j)
    ws.cell(HEADER_ROW, js[0], "Tuyên truyền")
    ws.cell(HEADER_ROW, js[1], None)
    ws.merge_cells(start_row=HEADER_ROW, start_column=js[0], end_row=HEADER_ROW, end_column=js[1])
    ws.cell(HEADER_ROW + 1, js[0], sessions)
    ws.cell(HEADER_ROW + 1, js[1], participants)
    rows = [[ws.cell(r, j).value for j in js] for r in range(HEADER_ROW + 2, ws.max_row + 1)]
    rows = [r for r in rows if all(isinstance(v, int) for v in r)]
    wb.save(tmp_path / BASE)
    checked = read_and_check(tmp_path, PLAN)
    lead = checked.tables["leadership"]
    assert len(lead) == len(rows) > 0
    assert lead["propaganda_sessions"].sum() == sum(r[0] for r in rows)
    assert lead["propaganda_participants"].sum() == sum(r[1] for r in rows)
    issues = checked.issues
    assert sorted(issues["cell"]) == (sorted(f"{get_column_letter(j)}{HEADER_ROW + 1}" for j in js) if warned else [])
    assert set(issues["rule"]) <= {"column.assumed"}


def test_a_record_under_a_header_missing_an_optional_column_is_never_taken_for_a_second_header_row(
        tmp_path, demo_dir):
    """The proposals table holds text only. With the optional header "Mô hình, sáng kiến làm căn cứ" cleared
    and the record echoing it in its cell, the record is still a record, not a second header row."""
    base = "kiem_tra_thanh_tra_bao_cao_so_ket.xlsx"   # an individual proposal
    proposals = sheet_spec("proposals")
    wb = load_workbook(demo_dir / "returns" / base)
    ws = wb[proposals.sheet]
    name = ws[proposals.cell(0, "nominee_name")].value
    assert name
    ws[_header_cell(proposals, "model_name")] = None
    ws[proposals.cell(0, "model_name")] = "Mô hình, sáng kiến làm căn cứ: chưa có"
    wb.save(tmp_path / base)
    checked = read_and_check(tmp_path, PLAN)
    assert checked.tables["proposals"]["nominee_name"].tolist() == [name]
    at = _issues(checked, proposals.sheet, f"A{HEADER_ROW}")
    assert at["rule"].tolist() == ["column.missing"] and at["severity"].tolist() == ["warning"]


def _moved_values(ws, how: str) -> None:
    """A clerk widens the label column of a form: a blank column inserted after it, or the label merged over
    it; the values move one column right, under the form's "Thông tin của đơn vị" header."""
    ws.insert_cols(2)
    if how == "merged":
        for r in range(HEADER_ROW, ws.max_row + 1):
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)


@pytest.mark.parametrize("how", ["blank-column", "merged"])
def test_form_values_moved_right_of_a_widened_label_column_are_read(tmp_path, demo_dir, how):
    impact = sheet_spec("impact")
    wb = load_workbook(demo_dir / "returns" / BASE)
    for spec in (INFO, impact):
        _moved_values(wb[spec.sheet], how)
    info = wb[INFO.sheet]
    staff_cell = f"C{FIRST_DATA_ROW + INFO.column_names.index('staff_total')}"
    staff, date = info[staff_cell].value, info[f"C{FIRST_DATA_ROW + INFO.column_names.index('report_date')}"].value
    pct = wb[impact.sheet][f"C{FIRST_DATA_ROW + impact.column_names.index('satisfaction_pct')}"].value
    assert isinstance(staff, int) and isinstance(pct, float)
    info[f"C{FIRST_DATA_ROW + INFO.column_names.index('phone')}"] = None   # a required value left blank
    wb.save(tmp_path / BASE)
    checked = read_and_check(tmp_path, PLAN)
    assert checked.files["unit_code"].tolist() == ["pho_van"]
    row = checked.tables["unit_info"].iloc[0]
    assert row["staff_total"] == staff and row["report_date"].date() == date.date()
    assert checked.tables["impact"]["satisfaction_pct"].tolist() == [pct]
    issues = checked.issues
    assert issues[["sheet", "cell", "rule"]].values.tolist() == [
        [INFO.sheet, f"C{FIRST_DATA_ROW + INFO.column_names.index('phone')}", "required.missing"]]


def _value_cell(spec, column: str, letter: str = "B") -> str:
    return f"{letter}{FIRST_DATA_ROW + spec.column_names.index(column)}"


def test_form_values_typed_over_the_help_text_are_read_there_and_told(tmp_path, demo_dir):
    """A clerk types a form's value over its help text in the "Hướng dẫn" column and leaves the value cell empty:
    the value is read (a count, a rate, a text), the unit is told at that cell, and a value there that cannot be
    read is reported at that cell, not as a missing value."""
    impact = sheet_spec("impact")
    wb = load_workbook(demo_dir / "returns" / BASE)
    moved = [(INFO, "staff_total", 41), (INFO, "reporter_position", "Công chức Văn phòng - Thống kê"),
             (impact, "satisfaction_pct", "97,5%"), (INFO, "staff_registered", "ba mươi")]
    for spec, column, value in moved:
        ws = wb[spec.sheet]
        ws[_value_cell(spec, column)] = None
        ws[_value_cell(spec, column, "C")] = value
    wb.save(tmp_path / BASE)
    checked = read_and_check(tmp_path, PLAN)
    row, rates = checked.tables["unit_info"], checked.tables["impact"]
    assert row["staff_total"].tolist() == [41] and row["reporter_position"].tolist() == ["Công chức Văn phòng - Thống kê"]
    assert rates["satisfaction_pct"].tolist() == [97.5]
    told = checked.issues[checked.issues["rule"] == "field.value_moved"]
    assert sorted(zip(told["sheet"], told["cell"])) == sorted(
        (spec.sheet, _value_cell(spec, column, "C")) for spec, column, _value in moved)
    assert set(told["severity"]) == {"warning"}
    staff = told[told["cell"] == _value_cell(INFO, "staff_total", "C")].iloc[0]["message"]
    assert "Ô C" in staff and _value_cell(INFO, "staff_total") in staff and "Thông tin của đơn vị" in staff
    unread = _issues(checked, INFO.sheet, _value_cell(INFO, "staff_registered", "C"))
    assert sorted(unread["rule"]) == ["field.value_moved", "number.invalid"]
    assert "required.missing" not in checked.issues["rule"].tolist()


@pytest.mark.parametrize("help_text", [None, "Ví dụ: 0255 3859 123.", "Số điện thoại liên hệ"])
def test_a_help_text_beside_an_empty_form_value_is_never_read_as_the_value(tmp_path, demo_dir, help_text):
    """The template's help, or an older template's wording of it, beside a required value left empty: the value is
    missing at its own cell."""
    wb = load_workbook(demo_dir / "returns" / BASE)
    ws = wb[INFO.sheet]
    ws[_value_cell(INFO, "phone")] = None
    if help_text is not None:
        ws[_value_cell(INFO, "phone", "C")] = help_text
    wb.save(tmp_path / BASE)
    checked = read_and_check(tmp_path, PLAN)
    assert checked.issues[["sheet", "cell", "rule"]].values.tolist() == [
        [INFO.sheet, _value_cell(INFO, "phone"), "required.missing"]]
