"""Which unit a return is, and which of a unit's returns counts: unit names as clerks write them, bodies of a
unit, files reused from a neighbour, corrections, drafts, second downloads, the blank template sent back.

These cases are about which unit or which return is chosen: each keeps a folder of its own (one run each), never
batched with other units' returns.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pipeline import messages as msg
from pipeline.check import read_and_check
from pipeline.config import load_plan
from tests.check.clerk_batch import issues_at as _issues_at, one as _one, rows_of as _rows_of
from schemas import sheet_spec

PLAN = load_plan()
INFO, LEAD = sheet_spec("unit_info"), sheet_spec("leadership")
BASE = "pho_van_bao_cao_so_ket.xlsx"             # a clean demo return, no proposal
HABITS_BASE = "pho_thuan_bao_cao_so_ket.xlsx"    # a clean demo return: no planted mistake, no proposal, 3 models


def _cell(spec, column, row=0):
    return spec.cell(row, column)


def _build(folder: Path, demo_dir: Path, base: str, edit=None, name: str | None = None) -> Path:
    """A copy of the demo return `base` changed by `edit(wb)`, saved as `name` in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    wb = load_workbook(demo_dir / "returns" / base)
    if edit:
        edit(wb)
    path = folder / (name or base)
    wb.save(path)
    return path


def _build_typed(folder: Path, demo_dir: Path, edit, base: str = BASE) -> Path:
    """pho_van's return changed by `edit(wb)`."""
    return _build(folder, demo_dir, base, edit)


def _build_as(tmp: Path, name: str, unit: str | None, edit=None, base: str = HABITS_BASE,
              demo_dir: Path | None = None) -> Path:
    """A copy of a clean demo return for `unit` (a registry unit name), changed by `edit(wb)`."""
    def named(wb):
        wb[INFO.sheet][_cell(INFO, "unit_name")] = unit
        if edit:
            edit(wb)
    return _build(tmp, demo_dir, base, named, name=name)


@pytest.fixture()
def tmp(tmp_path):
    return tmp_path


def _check(folder: Path):
    return read_and_check(folder, load_plan())





# -- unit names as clerks write them ----------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["Đảng ủy phường Phổ Văn", "Ban Dân vận Đảng ủy phường Phổ Văn", "Khối Dân vận phường Phổ Văn",
                                   "Ủy ban MTTQ Việt Nam phường Phổ Văn", "Đảng ủy - UBND phường Phổ Văn, thị xã Đức Phổ",
                                   "HĐND phường Phổ Văn"])
def test_a_unit_written_as_one_of_its_bodies_is_that_unit(tmp_path, demo_dir, typed):
    """The return of a ward that its Party committee, its Dân vận bloc or its Front prepared names that body: it is
    the ward's return (`[registry] bodies` in config/plan.toml), every row kept, and the unit is told at the cell."""
    cell = INFO.cell(0, "unit_name")
    path = _build_typed(tmp_path, demo_dir, lambda wb: wb[INFO.sheet].__setitem__(cell, typed))
    checked = read_and_check(tmp_path, load_plan())
    assert checked.files.set_index("file").at[path.name, "status"] != "rejected"
    assert "“UBND phường Phổ Văn”" in _one(checked, INFO, cell, "unit.assumed", "warning")
    assert set(_rows_of(checked, "leadership", path.name)["unit_code"]) == {"pho_van"}
    assert len(_rows_of(checked, "leadership", path.name)) == len(load_plan().labels("periods"))


@pytest.mark.parametrize("typed", ["Ban Dân vận Thị ủy", "Trường THCS Phổ Văn", "Đảng ủy"])
def test_a_body_that_names_no_unit_of_the_registry_is_still_refused(tmp_path, demo_dir, typed):
    """Body words before nothing the registry knows, or a school named after the ward, never become a unit."""
    cell = INFO.cell(0, "unit_name")
    path = _build_typed(tmp_path, demo_dir, lambda wb: wb[INFO.sheet].__setitem__(cell, typed))
    checked = read_and_check(tmp_path, load_plan())
    assert checked.files.set_index("file").at[path.name, "status"] == "rejected"
    _one(checked, INFO, cell, "unit.unknown", "error")



def test_a_body_outside_the_registry_is_not_filed_under_a_registry_unit(tmp_path, demo_dir):
    """The Ban Dân vận Thị ủy circulates its own copy: it is no "Văn phòng HĐND và UBND thị xã" return."""
    def edit(wb):
        wb[INFO.sheet][INFO.cell(0, "unit_name")] = "Ban Dân vận Thị ủy"
    _build(tmp_path, demo_dir, "vp_hdnd_ubnd_bao_cao_so_ket.xlsx", edit, name="ban_dan_van.xlsx")
    checked = read_and_check(tmp_path, PLAN)
    assert checked.files.set_index("file").at["ban_dan_van.xlsx", "status"] == "rejected"
    assert checked.submissions.set_index("unit_code").at["vp_hdnd_ubnd", "status"] == "missing"
    found = _issues_at(checked, INFO.sheet, INFO.cell(0, "unit_name"))
    assert list(zip(found.rule, found.severity)) == [("unit.unknown", "error")]
    assert "“Ban Dân vận Thị ủy”" in found.iloc[0].message and "Văn phòng" not in found.iloc[0].message


@pytest.mark.parametrize(("base", "typed", "unit", "silent"), [
    ("lao_dong_tbxh_bao_cao_so_ket.xlsx", "Phòng LĐTB&XH", "lao_dong_tbxh", True),
    ("van_hoa_thong_tin_bao_cao_so_ket.xlsx", "Phòng VH-TT", "van_hoa_thong_tin", True),
    ("y_te_bao_cao_so_ket.xlsx", "Phòng Y tế thị xã", "y_te", False),
    ("pho_an_bao_cao_so_ket.xlsx", "UBND xã Phổ An, thị xã Đức Phổ", "pho_an", False),
    ("pho_van_bao_cao_so_ket.xlsx", "UBND Phường Phổ văn, TX Đức Phổ", "pho_van", False),
    ("pho_an_bao_cao_so_ket.xlsx", "UBND xã Phổ An - TX.Đức Phổ", "pho_an", False),
    ("kinh_te_bao_cao_so_ket.xlsx", "Phòng Kinh tế, Đức Phổ", "kinh_te", False),
    # the form's label typed again, a remark, the town's name before 2020 and the province after it
    ("pho_an_bao_cao_so_ket.xlsx", "Tên đơn vị: UBND xã Phổ An", "pho_an", False),
    ("pho_an_bao_cao_so_ket.xlsx", "UBND xã Phổ An (bản sửa)", "pho_an", False),
    ("pho_khanh_bao_cao_so_ket.xlsx", "UBND xã Phổ Khánh, huyện Đức Phổ", "pho_khanh", False),
    ("pho_an_bao_cao_so_ket.xlsx", "UBND xã Phổ An, huyện Đức Phổ, tỉnh Quảng Ngãi", "pho_an", False),
    # an abbreviation with its "&", "-" or spaces left out or put elsewhere
    ("giao_duc_dao_tao_bao_cao_so_ket.xlsx", "Phòng GDĐT", "giao_duc_dao_tao", False),
    ("giao_duc_dao_tao_bao_cao_so_ket.xlsx", "Phòng GD & ĐT", "giao_duc_dao_tao", False),
    ("lao_dong_tbxh_bao_cao_so_ket.xlsx", "Phòng LĐ, TB&XH", "lao_dong_tbxh", False),
    ("lao_dong_tbxh_bao_cao_so_ket.xlsx", "Phòng Lao động - TBXH", "lao_dong_tbxh", False),
])
def test_common_ways_of_writing_a_unit_name_are_read(tmp_path, demo_dir, base, typed, unit, silent):
    _build(tmp_path, demo_dir, base, lambda wb: wb[INFO.sheet].__setitem__(INFO.cell(0, "unit_name"), typed))
    checked = read_and_check(tmp_path, PLAN)
    assert checked.files.set_index("file").at[base, "status"] != "rejected"
    assert checked.submissions.set_index("unit_code").at[unit, "file"] == base
    found = _issues_at(checked, INFO.sheet, INFO.cell(0, "unit_name"))
    if silent:
        assert found.empty
    else:
        assert list(zip(found.rule, found.severity)) == [("unit.assumed", "warning")]
        assert f"“{typed}”" in found.iloc[0].message and PLAN.unit(unit).unit_name in found.iloc[0].message


def test_a_reused_file_naming_the_neighbour_does_not_replace_the_neighbours_return(tmp_path, demo_dir):
    _build(tmp_path, demo_dir, "pho_chau_bao_cao_so_ket.xlsx")                  # Phổ Châu's own return
    sent = "pho_an_bao_cao_so_ket.xlsx"                                         # Phổ An's data, cell not changed

    def edit(wb):
        wb[INFO.sheet][INFO.cell(0, "unit_name")] = "UBND xã Phổ Châu"
        wb[INFO.sheet][INFO.cell(0, "report_date")] = "14/06/2023"
    _build(tmp_path, demo_dir, sent, edit)
    checked = read_and_check(tmp_path, PLAN)
    subs = checked.submissions.set_index("unit_code")
    assert subs.at["pho_chau", "file"] == "pho_chau_bao_cao_so_ket.xlsx"       # the neighbour keeps its own return
    assert subs.at["pho_an", "status"] == "rejected"                          # the sender is told, not "chưa gửi"
    files = checked.files.set_index("file")
    assert files.at["pho_chau_bao_cao_so_ket.xlsx", "status"] == "accepted"
    assert files.at[sent, "status"] == "rejected"
    cell = _issues_at(checked, INFO.sheet, INFO.cell(0, "unit_name"))
    cell = cell[cell.file == sent]
    assert list(zip(cell.rule, cell.severity)) == [("unit.conflict", "error")]
    assert "“UBND xã Phổ Châu”" in cell.iloc[0].message and "“UBND xã Phổ An”" in cell.iloc[0].message
    assert set(checked.tables["leadership"].source_file) == {"pho_chau_bao_cao_so_ket.xlsx"}



@pytest.mark.parametrize("typed", ["ubnd xa pho an", "Ủy ban nhân dân xã Phổ An", "UBND xã Phổ Ann"])
def test_a_unit_name_typed_loosely_is_read_with_a_warning(tmp_path, demo_dir, typed):
    _build_as(tmp_path, "a.xlsx", typed, demo_dir=demo_dir)
    checked = _check(tmp_path)
    assert checked.files.iloc[0]["status"] == "accepted"
    assert checked.submissions.set_index("unit_code").at["pho_an", "status"] == "on_time"
    assert "UBND xã Phổ An" in _one(checked, INFO.sheet, _cell(INFO, "unit_name"), "unit.assumed", "warning")


def test_a_blank_unit_name_in_a_file_named_after_the_unit(tmp_path, demo_dir):
    _build_as(tmp_path, "Bao cao so ket - Pho Khanh.xlsx", None, demo_dir=demo_dir)
    checked = _check(tmp_path)
    assert checked.submissions.set_index("unit_code").at["pho_khanh", "status"] == "on_time"
    _one(checked, INFO.sheet, _cell(INFO, "unit_name"), "unit.from_file_name", "warning")



# -- a unit's several returns ------------------------------------------------------------------------------

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


def test_a_correction_sent_after_the_deadline_keeps_an_on_time_unit_on_time(tmp_path, demo_dir):
    _return(tmp_path, demo_dir, "pho_an_bao_cao_so_ket.xlsx", "14/06/2023", 22, 1_686_700_000)
    _return(tmp_path, demo_dir, "pho_an_bao_cao_so_ket_sua.xlsx", "20/06/2023", 99, 1_687_200_000)
    checked = read_and_check(tmp_path, PLAN)
    sub, sessions = _used(checked)
    assert sub.file == "pho_an_bao_cao_so_ket_sua.xlsx" and sessions[0] == 99  # the correction is what counts
    assert sub.status == "on_time"                                             # first sent 14/06, before 15/06
    assert str(sub.report_date)[:10] == "2023-06-20"


def test_a_unit_whose_first_return_was_late_stays_late(tmp_path, demo_dir):
    _return(tmp_path, demo_dir, "pho_an_bao_cao_so_ket.xlsx", "16/06/2023", 22, 1_686_700_000)
    _return(tmp_path, demo_dir, "pho_an_bao_cao_so_ket_sua.xlsx", "20/06/2023", 99, 1_687_200_000)
    assert _used(read_and_check(tmp_path, PLAN))[0].status == "late"


def test_a_second_download_named_1_is_the_newer_copy(tmp_path, demo_dir):
    # Windows names the second download "(1)"; copied into inputs/ first, it is the older file on disk.
    _return(tmp_path, demo_dir, "Báo cáo xã Phổ An (1).xlsx", "14/06/2023", 99, 1_686_700_000)
    _return(tmp_path, demo_dir, "Báo cáo xã Phổ An.xlsx", "14/06/2023", 22, 1_686_800_000)
    checked = read_and_check(tmp_path, PLAN)
    sub, sessions = _used(checked)
    assert sub.file == "Báo cáo xã Phổ An (1).xlsx" and sessions[0] == 99


def test_a_draft_saved_later_does_not_replace_the_final_return(tmp_path, demo_dir):
    _return(tmp_path, demo_dir, "Phổ An - chính thức.xlsx", "14/06/2023", 22, 1_686_700_000)
    _return(tmp_path, demo_dir, "Phổ An - dự thảo.xlsx", "14/06/2023", 99, 1_686_800_000)
    checked = read_and_check(tmp_path, PLAN)
    sub, sessions = _used(checked)
    assert sub.file == "Phổ An - chính thức.xlsx" and sessions[0] == 22
    files = checked.files.set_index("file")
    assert files.at["Phổ An - dự thảo.xlsx", "status"] == "superseded"
    assert "dự thảo" in files.at["Phổ An - dự thảo.xlsx", "reason"]


def test_a_correction_whose_report_date_was_left_blank_is_still_the_one_used(tmp_path, demo_dir):
    _return(tmp_path, demo_dir, "pho_an.xlsx", "14/06/2023", 22, 1_686_700_000)
    _return(tmp_path, demo_dir, "pho_an - bản sửa.xlsx", None, 99, 1_686_800_000)
    checked = read_and_check(tmp_path, PLAN)
    sub, sessions = _used(checked)
    assert sub.file == "pho_an - bản sửa.xlsx" and sessions[0] == 99
    assert sub.status == "on_time"                      # the first return, dated 14/06, was on time
    reason = checked.files.set_index("file").at["pho_an.xlsx", "reason"]
    assert "bản sửa" in reason and "chưa ghi ngày báo cáo" in reason



def test_same_date_prefers_the_file_named_as_a_correction(tmp, demo_dir):
    first = _build_as(tmp, "pho_an.xlsx", "UBND xã Phổ An", demo_dir=demo_dir)
    second = _build_as(tmp, "pho_an (sửa).xlsx", "UBND xã Phổ An", demo_dir=demo_dir)
    os.utime(second, (1_600_000_000, 1_600_000_000))  # the correction is even saved earlier
    os.utime(first, (1_700_000_000, 1_700_000_000))
    checked = _check(tmp)
    files = checked.files.set_index("file")
    assert files.at[second.name, "status"] == "accepted"
    assert files.at[first.name, "status"] == "superseded"
    assert files.at[first.name, "reason"] == msg.FILE_SUPERSEDED_CORRECTION.format(winner=second.name)
    assert msg.WHY_CORRECTION in files.at[second.name, "reason"]
    assert "muộn hơn" not in files.at[first.name, "reason"]  # the dates are the same: never say otherwise
    assert (checked.issues["rule"] == "file.duplicate_used").sum() == 1


def test_same_date_without_a_mark_prefers_the_file_saved_later(tmp, demo_dir):
    older = _build_as(tmp, "bao_cao_pho_an.xlsx", "UBND xã Phổ An", demo_dir=demo_dir)
    newer = _build_as(tmp, "pho_an_gui_lai.xlsx", "UBND xã Phổ An", demo_dir=demo_dir)
    os.utime(older, (1_700_000_000, 1_700_000_000))
    os.utime(newer, (1_700_100_000, 1_700_100_000))
    files = _check(tmp).files.set_index("file")
    assert files.at[newer.name, "status"] == "accepted"
    assert files.at[older.name, "reason"] == msg.FILE_SUPERSEDED_LATER.format(winner=newer.name)


def test_the_blank_template_sent_back_is_no_return_and_never_replaces_a_real_one(tmp, demo_dir):
    """A unit that sends the blank template (only its name typed, or only the file named after it) has not
    reported: the file is refused saying so, and the unit counts as refused, not as reported with every figure
    missing. Sent after its real return, the blank file does not replace it."""
    from pipeline.tools.template import build_template

    def blank(path: Path, unit: str | None):
        wb = build_template(load_plan())
        if unit:
            wb[INFO.sheet][_cell(INFO, "unit_name")] = unit
        path.parent.mkdir(parents=True, exist_ok=True)
        wb.save(path)

    blank(tmp / "alone" / "Phổ Khánh.xlsx", None)                 # the unit named by the file only
    blank(tmp / "alone" / "bao_cao.xlsx", "UBND xã Phổ An")
    checked = _check(tmp / "alone")
    files = checked.files.set_index("file")
    assert set(files["status"]) == {"rejected"} and files["reason"].str.contains("chưa nhập số liệu").all()
    units = checked.submissions.set_index("unit_code")
    assert units.loc[["pho_khanh", "pho_an"], "status"].tolist() == ["rejected", "rejected"]
    assert not checked.tables["leadership"].size and not checked.tables["models"].size

    _build_as(tmp / "both", "a_that.xlsx", "UBND xã Phổ An", demo_dir=demo_dir)   # the real return first
    blank(tmp / "both" / "b_blank.xlsx", "UBND xã Phổ An")
    both = _check(tmp / "both")
    assert both.files.set_index("file").at["b_blank.xlsx", "status"] == "rejected"
    assert both.submissions.set_index("unit_code").at["pho_an", "file"] == "a_that.xlsx"
    assert set(both.tables["models"]["source_file"]) == {"a_that.xlsx"}

