"""A corpus of broken inputs, built here: each gets the right status and message,
and the run goes on with the others."""
from __future__ import annotations

import io
import subprocess
import time
import unicodedata
import zipfile
from pathlib import Path

import pytest
from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl import load_workbook

from pipeline import messages as msg
from pipeline.check import read_and_check
from tests.conftest import SOFFICE, needs_soffice

GOOD = "pho_an_bao_cao_so_ket.xlsx"      # a clean demo return (with odd but readable typing)
GOOD2 = "pho_khanh_bao_cao_so_ket.xlsx"


def _copy(demo_dir, name, dest: Path, new_name=None) -> Path:
    target = dest / (new_name or name)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes((demo_dir / "returns" / name).read_bytes())
    return target


def _edit(path: Path, fn) -> Path:
    wb = load_workbook(path)
    fn(wb)
    wb.save(path)
    return path


def _status(checked, file):
    row = checked.files.set_index("file").loc[file]
    return row["status"], row["reason"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, demo_dir, plan):
    """Every kind of broken input in one inputs/ folder, read in one run."""
    d = tmp_path_factory.mktemp("inputs")
    _copy(demo_dir, GOOD, d)
    (d / "hong.xlsx").write_bytes(b"PK\x03\x04" + b"\x00garbage" * 50)
    (d / "rong.xlsx").write_bytes(b"")
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 500
    (d / "mat_khau.xlsx").write_bytes(ole)
    encrypted = io.BytesIO()
    with (demo_dir / "returns" / GOOD2).open("rb") as fh:
        OOXMLFile(fh).encrypt("matkhau", encrypted)  # a real password, as Excel's "Encrypt with Password"
    (d / "mat_khau_that.xlsx").write_bytes(encrypted.getvalue())
    (d / "trang_web.xls").write_bytes(b"<html><body><table><tr><td>1</td></tr></table></body></html>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
        zf.writestr("[Content_Types].xml", "<Types/>")
    (d / "bao_cao.docx").write_bytes(buf.getvalue())
    (d / "word_doi_duoi.xlsx").write_bytes(buf.getvalue())
    (d / "~$pho_an_bao_cao_so_ket.xlsx").write_bytes(b"lock")
    (d / ".an.xlsx").write_bytes(b"hidden")
    (d / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0 thumbnails")     # left by Windows Explorer
    (d / "desktop.ini").write_bytes(b"[.ShellClassInfo]")
    (d / "ghi_chu.pdf").write_bytes(b"%PDF-1.4 ...")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", b"\x00" * 50_000_000)
    (d / "bom.xlsx").write_bytes(bomb.getvalue())
    # Unknown unit.
    _edit(_copy(demo_dir, GOOD2, d, "la.xlsx"),
          lambda wb: wb["1. Thông tin đơn vị"].__setitem__("B4", "UBND xã Không Tồn Tại"))
    # Duplicate unit: an earlier report of Phổ An, superseded by the GOOD one.
    _edit(_copy(demo_dir, GOOD, d / "cu", "pho_an_lan_1.xlsx"),
          lambda wb: wb["1. Thông tin đơn vị"].__setitem__("B9", "01/06/2023"))
    # Macro-enabled workbook: read as data only.
    _edit(_copy(demo_dir, GOOD2, d / "xlsm", "pho_khanh_macro.xlsm"),
          lambda wb: wb["1. Thông tin đơn vị"].__setitem__("B9", "14/06/2023"))
    early = _edit(_copy(demo_dir, GOOD2, d.parent / "tmp_zip"),
                  lambda wb: wb["1. Thông tin đơn vị"].__setitem__("B9", "02/06/2023"))
    # A zip as e-mailed, with a workbook inside.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Bao cao/pho_khanh.xlsx", early.read_bytes())
        zf.writestr("Bao cao/~$pho_khanh.xlsx", b"lock")
        zf.writestr("Bao cao/Thumbs.db", b"\xd0\xcf\x11\xe0 thumbnails")
    (d / "thu_dien_tu.zip").write_bytes(buf.getvalue())
    start = time.perf_counter()
    checked = read_and_check(d, plan)
    return d, checked, time.perf_counter() - start


@pytest.mark.parametrize("file,status,reason", [
    ("hong.xlsx", "rejected", msg.FILE_CORRUPT),
    ("rong.xlsx", "rejected", msg.FILE_EMPTY),
    ("mat_khau.xlsx", "rejected", msg.FILE_ENCRYPTED),
    ("mat_khau_that.xlsx", "rejected", msg.FILE_ENCRYPTED),
    ("trang_web.xls", "rejected", msg.FILE_HTML),
    ("bao_cao.docx", "rejected", msg.FILE_NOT_WORKBOOK.format(ext=".docx")),
    ("word_doi_duoi.xlsx", "rejected", msg.FILE_WORD),
    ("ghi_chu.pdf", "rejected", msg.FILE_NOT_WORKBOOK.format(ext=".pdf")),
    ("~$pho_an_bao_cao_so_ket.xlsx", "ignored", msg.FILE_LOCK),
    (".an.xlsx", "ignored", msg.FILE_HIDDEN),
    ("Thumbs.db", "ignored", msg.FILE_HIDDEN),
    ("desktop.ini", "ignored", msg.FILE_HIDDEN),
    ("thu_dien_tu.zip/Bao cao/Thumbs.db", "ignored", msg.FILE_HIDDEN),
    ("bom.xlsx", "rejected", msg.FILE_BOMB),
    ("la.xlsx", "rejected", msg.FILE_UNKNOWN_UNIT.format(value="UBND xã Không Tồn Tại", suggestion="")),
    ("cu/pho_an_lan_1.xlsx", "superseded", msg.FILE_SUPERSEDED.format(winner=GOOD)),
    (GOOD, "accepted", msg.FILE_USED_OVER.format(n=2, others="cu/pho_an_lan_1.xlsx", why=msg.WHY_LATER_DATE)),
    ("thu_dien_tu.zip/Bao cao/pho_khanh.xlsx", "superseded",
     msg.FILE_SUPERSEDED.format(winner="xlsm/pho_khanh_macro.xlsm")),
    ("xlsm/pho_khanh_macro.xlsm", "accepted",
     msg.FILE_USED_OVER.format(n=2, others="thu_dien_tu.zip/Bao cao/pho_khanh.xlsx", why=msg.WHY_LATER_DATE)),
    ("thu_dien_tu.zip/Bao cao/~$pho_khanh.xlsx", "ignored", msg.FILE_LOCK),
])
def test_each_broken_input_gets_its_status_and_reason(corpus, file, status, reason):
    _, checked, _ = corpus
    assert _status(checked, file) == (status, reason)


def test_every_file_is_accounted_for(corpus):
    d, checked, _ = corpus
    on_disk = {p.relative_to(d).as_posix() for p in d.rglob("*") if p.is_file()}
    listed = set(checked.files["file"])
    assert on_disk <= listed
    assert set(checked.files["status"]) <= {"accepted", "accepted_with_errors", "rejected", "ignored", "superseded"}
    rejected = checked.files[checked.files["status"] == "rejected"]
    assert (checked.issues[checked.issues["rule"] == "file.rejected"]["file"].sort_values().tolist()
            == rejected["file"].sort_values().tolist())


def test_bomb_is_refused_quickly(corpus):
    _, _, seconds = corpus
    assert seconds < 60  # sanity bound only: the bomb is never inflated (50 MB of zeros)


def test_superseded_and_unknown_rows_do_not_reach_the_tables(corpus):
    _, checked, _ = corpus
    files = set(checked.tables["leadership"]["source_file"])
    assert files == {GOOD, "xlsm/pho_khanh_macro.xlsm"}
    sub = checked.submissions.set_index("unit_code")
    assert sub.at["pho_an", "file"] == GOOD and sub.at["pho_an", "status"] == "on_time"
    assert sub.at["pho_khanh", "status"] == "on_time"


def test_a_return_whose_name_lost_its_extension_is_read_by_its_content_and_the_unit_told(tmp_path, demo_dir, plan):
    """Attachments saved from a chat or a web mail sometimes lose ".xlsx" ("BC Phổ An 14.6.2023" ends in ".2023");
    a file with an extension of its own (".bak", ".txt") is never taken for a workbook, whatever it holds."""
    _copy(demo_dir, GOOD, tmp_path, "BC Phổ An 14.6.2023")
    _copy(demo_dir, GOOD2, tmp_path, "pho_khanh")
    _copy(demo_dir, "pho_chau_bao_cao_so_ket.xlsx", tmp_path, "pho_chau.xlsx.bak")
    (tmp_path / "ghi chu").write_bytes("Báo cáo gửi kèm".encode())
    checked = read_and_check(tmp_path, plan)
    files = checked.files.set_index("file")
    for name, unit, said in (("BC Phổ An 14.6.2023", "pho_an", msg.FILE_NAMED_ODD_EXT.format(ext=".2023")),
                             ("pho_khanh", "pho_khanh", msg.FILE_NAMED_NO_EXT)):
        assert files.at[name, "status"].startswith("accepted") and files.at[name, "unit_code"] == unit
        warned = checked.issues[(checked.issues["file"] == name) & (checked.issues["rule"] == "file.no_extension")]
        assert list(warned["severity"]) == ["warning"] and said in warned.iloc[0]["message"]
    assert set(checked.tables["models"]["source_file"]) >= {"BC Phổ An 14.6.2023", "pho_khanh"}
    assert _status(checked, "pho_chau.xlsx.bak") == ("rejected", msg.FILE_NOT_WORKBOOK.format(ext=".bak"))
    assert _status(checked, "ghi chu") == ("rejected", msg.FILE_NOT_WORKBOOK.format(ext="(không có đuôi)"))


def test_missing_sheet_and_renamed_header_are_reported(tmp_path, demo_dir, plan):
    def damage(wb):
        del wb["6. Tác động"]
        wb["2. Lãnh đạo, chỉ đạo"]["B3"] = "Cột do đơn vị tự đặt"
        wb["4. Mô hình Dân vận khéo"].title = "mo hinh dan van kheo"  # no number, no diacritics: still found
    _edit(_copy(demo_dir, GOOD, tmp_path), damage)
    checked = read_and_check(tmp_path, plan)
    rules = checked.issues.set_index("rule")
    assert rules.at["sheet.missing", "sheet"] == "6. Tác động"
    missing_col = checked.issues[checked.issues["rule"] == "column.missing"].iloc[0]
    assert missing_col["column"] == "plans_issued" and missing_col["severity"] == "error"
    assert len(checked.tables["models"]) > 0          # found despite the renamed sheet
    assert len(checked.tables["leadership"]) == 0      # a required column is gone: sheet excluded
    assert _status(checked, GOOD)[0] == "accepted_with_errors"


def test_odd_value_formats_are_normalised(tmp_path, demo_dir, plan):
    nfd_name = unicodedata.normalize("NFD", "  UBND xã Phổ An ")

    def odd(wb):
        info = wb["1. Thông tin đơn vị"]
        info["B4"] = nfd_name
        info["B9"] = "ngày 5 tháng 6 năm 2023"
        info["B10"] = "1.234"
        info["B11"] = "1.200 người"
        lead = wb["2. Lãnh đạo, chỉ đạo"]
        lead["B4"], lead["C4"], lead["D4"], lead["E4"] = "3", " 2 ", "12 buổi", "1.250"
        models = wb["4. Mô hình Dân vận khéo"]
        models["J4"] = "x"
        models["K4"] = "4"
        models["I4"] = "15/6/2022"
        models["F4"] = "2021"
    _edit(_copy(demo_dir, GOOD, tmp_path), odd)
    checked = read_and_check(tmp_path, plan)
    info = checked.tables["unit_info"].iloc[0]
    assert info["unit_name"] == "UBND xã Phổ An" and info["unit_code"] == "pho_an"
    assert str(info["report_date"].date()) == "2023-06-05"
    assert info["staff_total"] == 1234 and info["staff_registered"] == 1200
    lead = checked.tables["leadership"].set_index("period").loc["Năm 2020"]
    assert (lead["plans_issued"], lead["launch_meetings"], lead["propaganda_sessions"],
            lead["propaganda_participants"]) == (3, 2, 12, 1250)
    model = checked.tables["models"].sort_values("excel_row").iloc[0]
    assert bool(model["is_replicated"]) is True
    assert model["replication_places"] == 4 and model["start_year"] == 2021
    assert str(model["recognition_date"].date()) == "2022-06-15"
    assert checked.issues[checked.issues["severity"] == "error"].empty, checked.issues["message"].tolist()


def test_excel_error_and_bad_values_point_at_their_cells(tmp_path, demo_dir, plan):
    def bad(wb):
        lead = wb["2. Lãnh đạo, chỉ đạo"]
        lead["G5"] = "#REF!"
        lead["G5"].data_type = "s"  # typed or pasted as text; calamine reads true error cells as blank
        lead["B6"] = -3
        lead["C7"] = 2.5
        wb["4. Mô hình Dân vận khéo"]["J4"] = "chắc có"
        wb["1. Thông tin đơn vị"]["B9"] = "31/02/2023"
    _edit(_copy(demo_dir, GOOD, tmp_path), bad)
    checked = read_and_check(tmp_path, plan)
    got = {(r.sheet, r.cell): r.rule for r in checked.issues.itertuples()}
    assert got[("2. Lãnh đạo, chỉ đạo", "G5")] == "cell.excel_error"
    assert got[("2. Lãnh đạo, chỉ đạo", "B6")] == "range.out_of_bounds"
    assert got[("2. Lãnh đạo, chỉ đạo", "C7")] == "number.not_whole"
    assert got[("4. Mô hình Dân vận khéo", "J4")] == "yesno.invalid"
    assert got[("1. Thông tin đơn vị", "B9")] == "date.invalid"
    msg_b6 = checked.issues.set_index("cell").at["B6", "message"]
    assert "B6" in msg_b6 and "từ 0" in msg_b6 and "Lỗi" in msg_b6


@needs_soffice
@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_xls_and_ods_saved_by_libreoffice_read_the_same(tmp_path, demo_dir, plan, fmt):
    src = _copy(demo_dir, GOOD, tmp_path / "src")
    out = tmp_path / "inputs"
    out.mkdir()
    subprocess.run([SOFFICE, "--headless", "--convert-to", fmt, "--outdir", str(out), str(src)],
                   capture_output=True, timeout=180, check=True)
    converted = read_and_check(out, plan)
    original = read_and_check(tmp_path / "src", plan)
    assert _status(converted, GOOD.replace("xlsx", fmt))[0] == "accepted"
    for name in ("leadership", "models", "classification", "unit_info"):
        a = original.tables[name].drop(columns=["source_file"]).reset_index(drop=True)
        b = converted.tables[name].drop(columns=["source_file"]).reset_index(drop=True)
        assert a.astype(str).equals(b.astype(str)), name


def test_merged_text_cells_spread_over_their_rows(tmp_path, demo_dir, plan):
    def merge(wb):
        ws = wb["4. Mô hình Dân vận khéo"]
        ws["A5"] = "Mô hình thử"
        for col in "CDEFGHIJKLM":
            ws[f"{col}5"] = ws[f"{col}4"].value
        ws["B5"] = None
        ws.merge_cells("B4:B5")  # the clerk merged the field of two models
    _edit(_copy(demo_dir, GOOD, tmp_path), merge)
    checked = read_and_check(tmp_path, plan)
    models = checked.tables["models"].set_index("excel_row")
    assert models.at[5, "field"] == models.at[4, "field"]
    assert not (checked.issues["cell"] == "B5").any()


def test_models_added_below_the_prepared_rows_are_read(tmp_path, demo_dir, plan):
    def extra(wb):
        ws = wb["4. Mô hình Dân vận khéo"]
        for col in "ABCDEFGHIJKLM":
            ws[f"{col}80"] = ws[f"{col}4"].value
        ws["A80"] = "Mô hình thêm ở dòng 80"
    _edit(_copy(demo_dir, GOOD, tmp_path), extra)
    checked = read_and_check(tmp_path, plan)
    models = checked.tables["models"]
    assert (models["model_name"] == "Mô hình thêm ở dòng 80").sum() == 1
    assert models.loc[models["model_name"] == "Mô hình thêm ở dòng 80", "excel_row"].item() == 80
