"""A file's format is what its bytes are, not what its name says, and every refusal gives its real reason.

All the returns are built once into one folder and checked in one run: a password to open (OOXML and .xls), an
.xls renamed .xlsx by hand and the other way round, a sheet copied and finished in the copy with the older draft
hidden, and a helper formula filled down a hundred thousand rows."""
from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl import load_workbook

from pipeline import messages as msg
from pipeline.check import read_and_check
from pipeline.read.xlsx_cells import TRIM_FROM_BYTES
from tests.conftest import SOFFICE

DATA = Path(__file__).resolve().parents[1] / "data"
MODELS = "4. Mô hình Dân vận khéo"
BASE = "pho_an_bao_cao_so_ket.xlsx"


def _filled_down(src: bytes, last: int) -> bytes:
    """`src` with a helper formula in column Z of the models sheet filled down to row `last` (each cell showing an
    empty text, as Excel saves IF(B5="","",1)), and the used range saying so."""
    zin = zipfile.ZipFile(io.BytesIO(src))
    book, rels = zin.read("xl/workbook.xml").decode(), zin.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{re.escape(MODELS)}"[^>]*r:id="(rId\d+)"', book).group(1)
    target = re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*/>', rels).group(0)
    part = "xl/" + re.search(r'Target="/?(?:xl/)?([^"]+)"', target).group(1)
    xml = zin.read(part).decode()
    first = 1 + max(int(n) for n in re.findall(r'<row r="(\d+)"', xml))
    rows = "".join(f'<row r="{n}"><c r="Z{n}" t="str"><f>IF(B{n}="","",1)</f><v></v></c></row>'
                   for n in range(first, last + 1))
    xml = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:Z{last}"/>', xml).replace(
        "</sheetData>", rows + "</sheetData>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, xml if info.filename == part else zin.read(info.filename))
    return out.getvalue()


@pytest.fixture(scope="module")
def checked(demo_dir, plan, tmp_path_factory):
    d = tmp_path_factory.mktemp("formats")
    returns = demo_dir / "returns"
    # A password to open: OOXML (Excel's "Encrypt with Password"), and a real .xls saved with a password by
    # LibreOffice (tests/data, password 1234).
    with (returns / "pho_khanh_bao_cao_so_ket.xlsx").open("rb") as fh:
        encrypted = io.BytesIO()
        OOXMLFile(fh).encrypt("matkhau", encrypted)
    (d / "pho_khanh_mat_khau.xlsx").write_bytes(encrypted.getvalue())
    shutil.copy(DATA / "mat_khau_mo_tep.xls", d / "pho_ninh_mat_khau.xls")
    # An .xlsx renamed .xls by hand.
    shutil.copy(returns / "pho_vinh_bao_cao_so_ket.xlsx", d / "pho_vinh_doi_duoi.xls")
    # The models sheet copied, the copy finished, the older original hidden.
    wb = load_workbook(returns / "pho_hoa_bao_cao_so_ket.xlsx")
    original = wb[MODELS]
    copy = wb.copy_worksheet(original)
    name_col = next(c.column for c in original[3] if c.value and str(c.value).startswith("Tên mô hình"))
    for row in range(4, original.max_row + 1):
        if original.cell(row, name_col).value:
            copy.cell(row, name_col, f"Mô hình trong bản sao đã hoàn thiện {row}")
            original.cell(row, name_col, f"Mô hình của bản nháp cũ {row}")
    original.sheet_state = "hidden"
    wb.save(d / "pho_hoa_sao_chep.xlsx")
    # A helper formula filled down: the sheet part is larger than TRIM_FROM_BYTES.
    filled = _filled_down((returns / BASE).read_bytes(), 100_000)
    assert max(i.file_size for i in zipfile.ZipFile(io.BytesIO(filled)).infolist()) > TRIM_FROM_BYTES
    (d / "pho_an_keo_cong_thuc.xlsx").write_bytes(filled)
    if SOFFICE:   # an .xls saved by LibreOffice, renamed .xlsx by hand
        shutil.copy(returns / "kinh_te_bao_cao_so_ket.xlsx", d / "kinh_te.xlsx")
        subprocess_run([SOFFICE, f"-env:UserInstallation=file://{d}/lo", "--headless", "--convert-to", "xls",
                        "--outdir", str(d / "lo_out"), str(d / "kinh_te.xlsx")])
        (d / "kinh_te.xlsx").unlink()
        shutil.move(d / "lo_out" / "kinh_te.xls", d / "kinh_te_doi_duoi.xlsx")
        shutil.rmtree(d / "lo", ignore_errors=True)
        shutil.rmtree(d / "lo_out", ignore_errors=True)
    return read_and_check(d, plan)


def subprocess_run(cmd: list[str]) -> None:
    import subprocess

    subprocess.run(cmd, capture_output=True, timeout=300, check=True)


def _file(checked, name: str) -> dict:
    return checked.files.set_index("file").loc[name].to_dict()


def _issues(checked, name: str, rule: str):
    return checked.issues[(checked.issues["file"] == name) & (checked.issues["rule"] == rule)]


def test_a_password_to_open_is_refused_as_a_password_whatever_the_format(checked):
    assert _file(checked, "pho_khanh_mat_khau.xlsx")["reason"] == msg.FILE_ENCRYPTED
    xls = _file(checked, "pho_ninh_mat_khau.xls")
    assert xls["status"] == "rejected" and xls["reason"] == msg.FILE_ENCRYPTED_XLS   # not "corrupt"


def test_a_renamed_workbook_is_read_as_what_it_is_with_a_warning(checked):
    xlsx = _file(checked, "pho_vinh_doi_duoi.xls")
    assert xlsx["status"] in ("accepted", "accepted_with_errors") and xlsx["format"] == "xlsx"
    assert len(_issues(checked, "pho_vinh_doi_duoi.xls", "file.misnamed")) == 1
    if SOFFICE:
        xls = _file(checked, "kinh_te_doi_duoi.xlsx")
        assert xls["status"] in ("accepted", "accepted_with_errors") and xls["format"] == "xls"   # not "password"
        warning = _issues(checked, "kinh_te_doi_duoi.xlsx", "file.misnamed")["message"].iloc[0]
        assert "“.xlsx”" in warning and ".xls" in warning


def test_a_hidden_draft_is_never_read_when_a_visible_copy_holds_the_data(checked):
    models = checked.tables["models"]
    names = set(models.loc[models["source_file"] == "pho_hoa_sao_chep.xlsx", "model_name"])
    assert names and all(n.startswith("Mô hình trong bản sao đã hoàn thiện") for n in names), names
    hidden = _issues(checked, "pho_hoa_sao_chep.xlsx", "sheet.hidden_copy")
    assert list(hidden["sheet"]) == [MODELS] and (hidden["severity"] == "warning").all()
    assert _issues(checked, "pho_hoa_sao_chep.xlsx", "sheet.copy_conflict").empty


def test_a_formula_filled_down_a_hundred_thousand_rows_reads_the_return_right(checked, demo_dir, plan):
    base = read_and_check(_alone(demo_dir, BASE), plan)
    got = checked.tables["models"]
    want = base.tables["models"]
    assert len(got[got["source_file"] == "pho_an_keo_cong_thuc.xlsx"]) == len(want) > 0
    assert _file(checked, "pho_an_keo_cong_thuc.xlsx")["errors"] == int((base.issues["severity"] == "error").sum())


def _alone(demo_dir, name: str) -> Path:
    folder = demo_dir.parent / f"alone_{Path(name).stem}"
    folder.mkdir(exist_ok=True)
    shutil.copy(demo_dir / "returns" / name, folder / name)
    return folder


def test_calamine_is_handed_only_the_rows_that_hold_values(demo_dir):
    """Memory follows the cells that hold values: the filled-down rows never reach calamine (its range of the
    sheet ends at the last row with a value), while every sheet keeps its rows above."""
    import python_calamine as calamine

    from pipeline.read.xlsx_cells import without_empty_tail

    filled = _filled_down((demo_dir / "returns" / BASE).read_bytes(), 100_000)
    before = calamine.CalamineWorkbook.from_filelike(io.BytesIO(filled)).get_sheet_by_name(MODELS)
    after = calamine.CalamineWorkbook.from_filelike(io.BytesIO(without_empty_tail(filled)))
    plain = calamine.CalamineWorkbook.from_filelike(io.BytesIO((demo_dir / "returns" / BASE).read_bytes()))
    assert before.height >= 100_000
    assert after.get_sheet_by_name(MODELS).height == plain.get_sheet_by_name(MODELS).height
    for name in plain.sheet_names:
        assert after.get_sheet_by_name(name).to_python() == plain.get_sheet_by_name(name).to_python(), name
