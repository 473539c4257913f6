"""Returns stored by the web pages, as `make report` reads them (issue 26): a file under received/<unit_code>/ is
that unit's, whatever its name and whether or not its unit cell is blank; the office's decisions file chooses the
return used and sends returns back; an archive inside an archive, and a member named outside its archive, each
get their own reason."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pipeline import messages as msg
from pipeline.check import read_and_check
from pipeline.read.decisions import DECISIONS_FILE
from schemas import sheet_spec

INFO = sheet_spec("unit_info")


def _return(demo_dir: Path, unit: str, unit_cell: str | None = "keep", report_date: str | None = None,
            reporter: str | None = None) -> bytes:
    """A demo return of `unit`, its unit cell blanked (None) or set, its report date or reporter changed."""
    wb = load_workbook(demo_dir / "returns" / f"{unit}_bao_cao_so_ket.xlsx")
    ws = wb[INFO.sheet]
    if unit_cell != "keep":
        ws[INFO.cell(0, "unit_name")] = unit_cell
    if report_date is not None:
        ws[INFO.cell(0, "report_date")] = report_date
    if reporter is not None:
        ws[INFO.cell(0, "reporter_name")] = reporter
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _put(root: Path, rel: str, data: bytes, mtime: float | None = None) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    if mtime is not None:
        import os

        os.utime(path, (mtime, mtime))


@pytest.fixture(scope="module")
def links_run(tmp_path_factory, demo_dir, plan):
    root = tmp_path_factory.mktemp("received")
    blank_vinh = _return(demo_dir, "pho_vinh", unit_cell=None)
    # stored by the server for Phổ Vinh's link: a name of the server's making, the unit cell blank
    _put(root, "received/pho_vinh/20230610T010203Z_0123abcd.xlsx", blank_vinh)
    # dropped in inputs/ by hand, the unit cell blank: the unit its file name names, as before
    _put(root, "Phổ Khánh - báo cáo.xlsx", _return(demo_dir, "pho_khanh", unit_cell=None))
    # in Phổ An's folder, a return naming Phổ Phong: refused, and Phổ An's, not Phổ Phong's
    _put(root, "received/pho_an/20230610T010203Z_4567cdef.xlsx", _return(demo_dir, "pho_phong"))
    # Phổ Thuận: three uploads; the office chose the first, sent the third back
    thuan = "received/pho_thuan/"
    _put(root, thuan + "20230601T010203Z_11111111.xlsx", _return(demo_dir, "pho_thuan", report_date="01/06/2023"),
         mtime=1_685_581_323)
    _put(root, thuan + "20230605T010203Z_22222222.xlsx", _return(demo_dir, "pho_thuan", report_date="05/06/2023"),
         mtime=1_685_927_000)
    _put(root, thuan + "20230607T010203Z_33333333.xlsx", _return(demo_dir, "pho_thuan", report_date="07/06/2023"),
         mtime=1_686_100_000)
    # Phổ Châu: its only upload sent back
    _put(root, "received/pho_chau/20230608T010203Z_44444444.xlsx", _return(demo_dir, "pho_chau"))
    decisions = {"format": "dvk-office-decisions/1", "units": {
        "pho_thuan": {"used": "20230601T010203Z_11111111.xlsx",
                      "sent_back": {"20230607T010203Z_33333333.xlsx": "Thiếu chữ ký lãnh đạo"}},
        "pho_chau": {"used": "", "sent_back": {"20230608T010203Z_44444444.xlsx": "Sai mẫu báo cáo"}}}}
    _put(root, DECISIONS_FILE, json.dumps(decisions, ensure_ascii=False).encode())
    # archives: one inside another; a member named outside its archive
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("pho_cuong.xlsx", (demo_dir / "returns" / "pho_cuong_bao_cao_so_ket.xlsx").read_bytes())
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w") as zf:
        zf.writestr("ben_trong.zip", inner.getvalue())
    _put(root, "long_nhau.zip", outer.getvalue())
    slip = io.BytesIO()
    with zipfile.ZipFile(slip, "w") as zf:
        zf.writestr("../../pho_cuong.xlsx", (demo_dir / "returns" / "pho_cuong_bao_cao_so_ket.xlsx").read_bytes())
    _put(root, "ra_ngoai.zip", slip.getvalue())
    checked = read_and_check(root, plan)
    return (checked.files.set_index("file"), checked.submissions.set_index("unit_code"), checked.issues,
            checked.tables)


def test_a_blank_unit_cell_under_received_unit_is_that_unit_s_return(links_run):
    files, subs, issues, _ = links_run
    stored = "received/pho_vinh/20230610T010203Z_0123abcd.xlsx"
    assert files.at[stored, "unit_code"] == "pho_vinh"
    assert files.at[stored, "status"] in ("accepted", "accepted_with_errors")
    assert subs.at["pho_vinh", "file"] == stored and subs.at["pho_vinh", "status"] == "on_time"
    told = issues[(issues["file"] == stored) & (issues["rule"] == "unit.from_link")]
    assert len(told) == 1 and "UBND phường Phổ Vinh" in told["message"].iloc[0]
    # a file dropped in inputs/ by hand still takes its unit from its name
    assert files.at["Phổ Khánh - báo cáo.xlsx", "unit_code"] == "pho_khanh"
    assert set(issues[issues["file"] == "Phổ Khánh - báo cáo.xlsx"]["rule"]) >= {"unit.from_file_name"}


def test_another_unit_named_inside_a_file_under_received_unit_is_refused_for_that_unit(links_run):
    files, subs, issues, _ = links_run
    stored = "received/pho_an/20230610T010203Z_4567cdef.xlsx"
    assert files.at[stored, "status"] == "rejected"
    assert files.at[stored, "reason"] == msg.FILE_NOT_SENDER.format(named="UBND xã Phổ Phong", unit="UBND xã Phổ An")
    assert subs.at["pho_an", "status"] == "rejected" and subs.at["pho_phong", "status"] == "missing"
    assert "unit.not_sender" in set(issues[issues["file"] == stored]["rule"])


def test_the_office_s_decisions_choose_the_return_and_a_sent_back_one_never_counts(links_run):
    files, subs, _, tables = links_run
    thuan = "received/pho_thuan/"
    chosen, later, sent_back = (thuan + f"2023060{d}T010203Z_{n * 8}.xlsx" for d, n in ((1, "1"), (5, "2"), (7, "3")))
    assert files.at[chosen, "status"] == "accepted" and subs.at["pho_thuan", "file"] == chosen
    assert files.at[later, "status"] == "superseded"
    assert files.at[later, "reason"] == msg.FILE_SUPERSEDED_OFFICE.format(winner=chosen)
    assert files.at[sent_back, "status"] == "rejected"
    assert files.at[sent_back, "reason"] == msg.FILE_SENT_BACK.format(reason="Thiếu chữ ký lãnh đạo")
    only = "received/pho_chau/20230608T010203Z_44444444.xlsx"
    assert files.at[only, "status"] == "rejected" and subs.at["pho_chau", "status"] == "rejected"
    for table in tables.values():                          # no row of a return sent back reaches the tables
        assert not table["source_file"].isin([sent_back, only, later]).any()
    assert (tables["unit_info"]["source_file"] == chosen).sum() == 1
    # the decisions file is accounted for, as what it is
    assert files.at[DECISIONS_FILE, "status"] == "ignored" and files.at[DECISIONS_FILE, "reason"] == msg.FILE_DECISIONS


def test_an_archive_inside_an_archive_and_a_member_named_outside_get_their_own_reasons(links_run):
    files, *_ = links_run
    assert files.at["long_nhau.zip/ben_trong.zip", "status"] == "rejected"
    assert files.at["long_nhau.zip/ben_trong.zip", "reason"] == msg.FILE_NESTED_ARCHIVE
    assert files.at["ra_ngoai.zip/../../pho_cuong.xlsx", "status"] == "rejected"
    assert files.at["ra_ngoai.zip/../../pho_cuong.xlsx", "reason"] == msg.FILE_MEMBER_PATH.format(
        name="../../pho_cuong.xlsx")
    assert files.at["ra_ngoai.zip/../../pho_cuong.xlsx", "reason"] != msg.FILE_HIDDEN


def test_a_decisions_file_that_cannot_be_read_is_refused_and_nothing_it_says_applies(tmp_path, demo_dir, plan):
    _put(tmp_path, "received/pho_chau/20230608T010203Z_44444444.xlsx", _return(demo_dir, "pho_chau"))
    _put(tmp_path, DECISIONS_FILE, b'{"units": "sent back"}')
    checked = read_and_check(tmp_path, plan)
    files = checked.files.set_index("file")
    assert files.at[DECISIONS_FILE, "status"] == "rejected"
    assert files.at[DECISIONS_FILE, "reason"] == msg.FILE_DECISIONS_UNREADABLE
    assert files.at["received/pho_chau/20230608T010203Z_44444444.xlsx", "status"] == "accepted"
