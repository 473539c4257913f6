"""A .zip made on a Vietnamese Windows machine: member names in the Windows code page, without the UTF-8 flag."""
from __future__ import annotations

import unicodedata
import zipfile

from openpyxl import load_workbook

from pipeline.check import read_and_check
from pipeline.config import load_plan
from schemas import sheet_spec

INFO = sheet_spec("unit_info")
NAME = "Báo cáo xã Phổ Thuận.xlsx"


def _cp1258(text: str) -> bytes:
    """Text as Vietnamese Windows writes it: base letters in cp1258, tone marks as cp1258 combining marks."""
    out = b""
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out += base.encode("cp1258") + tones.encode("cp1258")
    return out


def _zip_with_raw_name(path, workbook, raw: bytes) -> None:
    """A zip whose member name is stored as `raw` bytes with no UTF-8 flag (what zipfile never writes itself)."""
    placeholder = ("Q" * (len(raw) - 5) + ".xlsx").encode("ascii")
    with zipfile.ZipFile(path, "w") as zf:
        zf.write(workbook, placeholder.decode())
    data = path.read_bytes()
    assert data.count(placeholder) == 2          # local header and central directory
    path.write_bytes(data.replace(placeholder, raw))


def test_member_names_of_a_vietnamese_windows_zip_are_read_as_written(tmp_path, demo_dir):
    wb = load_workbook(demo_dir / "returns" / "pho_thuan_bao_cao_so_ket.xlsx")
    wb[INFO.sheet][INFO.cell(0, "unit_name")] = None     # the unit is then known only from the file name
    book = tmp_path / "book.xlsx"
    wb.save(book)
    inputs = tmp_path / "in"
    inputs.mkdir()
    _zip_with_raw_name(inputs / "pho_thuan.zip", book, _cp1258(NAME))
    _zip_with_raw_name(inputs / "utf8.zip", book, "Báo cáo xã Phổ Thuận (2).xlsx".encode())
    checked = read_and_check(inputs, load_plan())
    files = checked.files.set_index("file")
    assert f"pho_thuan.zip/{NAME}" in files.index, list(files.index)
    assert "utf8.zip/Báo cáo xã Phổ Thuận (2).xlsx" in files.index, list(files.index)
    assert files.at[f"pho_thuan.zip/{NAME}", "unit_code"] == "pho_thuan"   # the file-name guess works again
