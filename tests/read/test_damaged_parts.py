"""A return whose package is damaged in one part (a sheet cut short by a failed copy, a part lost by a zip tool):
the damaged sheet is said at its name, every other sheet is read whole, and a broken workbook part rejects the
file with the sentence a clerk can act on."""
from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from pipeline.check import read_and_check
from tests.ooxml import rezipped

BASE = "pho_an_bao_cao_so_ket.xlsx"
CUT = b"<worksheet><sheetData><row"           # a sheet part cut short


def _part_of(data: bytes, sheet: str) -> str:
    """The zip part of the sheet named `sheet`, through workbook.xml and its relationships."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        book, rels = z.read("xl/workbook.xml").decode(), z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet\b[^>]*name="{re.escape(sheet)}"[^>]*r:id="([^"]+)"', book).group(1)
    target = re.search(rf'<Relationship\b[^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels).group(1)
    return target.lstrip("/")


def _damaged(data: bytes, part: str, body: bytes | None) -> bytes:
    return rezipped(data, lambda name, was: body if name == part else was)


def _read(tmp_path: Path, data: bytes, plan):
    folder = tmp_path / "inputs"
    folder.mkdir()
    (folder / BASE).write_bytes(data)
    return read_and_check(folder, plan)


@pytest.fixture(scope="module")
def clean(demo_dir, plan, tmp_path_factory):
    folder = tmp_path_factory.mktemp("clean")
    shutil.copy(demo_dir / "returns" / BASE, folder / BASE)
    return (demo_dir / "returns" / BASE).read_bytes(), read_and_check(folder, plan)


@pytest.mark.parametrize("body", [CUT, None], ids=["cut_short", "part_lost"])
def test_a_damaged_data_sheet_is_said_at_its_name_and_the_other_sheets_are_read_whole(clean, plan, tmp_path, body):
    data, before = clean
    sheet = "2. Lãnh đạo, chỉ đạo"
    checked = _read(tmp_path, _damaged(data, _part_of(data, sheet), body), plan)
    assert checked.files.iloc[0]["status"] == "accepted_with_errors"
    said = checked.issues[checked.issues["sheet"] == sheet]
    assert list(said["rule"]) == ["sheet.unreadable"]
    assert said.iloc[0]["message"].startswith(f"Không đọc được sheet “{sheet}”")
    for name, table in before.tables.items():
        if len(table) and name != "leadership":
            assert len(checked.tables[name]) == len(table), name      # no row of another sheet is lost


def test_damaged_instructions_only_lose_the_template_stamp(clean, plan, tmp_path):
    data, before = clean
    checked = _read(tmp_path, _damaged(data, _part_of(data, "Hướng dẫn"), CUT), plan)
    assert checked.files.iloc[0]["status"] == "accepted"
    assert list(checked.issues["rule"]) == ["file.template_version"]
    assert {n: len(t) for n, t in checked.tables.items()} == {n: len(t) for n, t in before.tables.items()}


def test_a_broken_workbook_part_rejects_the_file_saying_how_to_fix_it(clean, plan, tmp_path):
    data, _ = clean
    checked = _read(tmp_path, _damaged(data, "xl/workbook.xml", b"<<not xml"), plan)
    f = checked.files.iloc[0]
    assert f["status"] == "rejected"
    assert f["reason"].startswith("Tệp bị hỏng hoặc không phải tệp Excel hợp lệ; hãy mở bằng Excel")
