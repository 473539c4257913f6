"""Feedback copies of returns the copy editor cannot edit as they are: a package written with prefixed XML or
without cell addresses (as some generators write them), an .xls/.ods return rebuilt from its values, and a copy
that cannot be made at all."""
from __future__ import annotations

import datetime as dt
import io
import re
import shutil

from openpyxl import load_workbook

from pipeline.check import read_and_check
from pipeline.check.feedback import feedback_bytes, values_workbook, write_feedback
from tests.ooxml import parts, problems, rezipped

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
BASE = "pho_hoa_bao_cao_so_ket.xlsx"       # a demo return with planted mistakes


def _prefixed(data: bytes) -> bytes:
    """The same package with xl/workbook.xml written with an "x:" prefix for the main namespace."""
    def change(name: str, body: bytes) -> bytes:
        if name != "xl/workbook.xml":
            return body
        text = body.decode("utf-8").replace(f'xmlns="{MAIN}"', f'xmlns:x="{MAIN}"')
        return re.sub(r"<(/?)([A-Za-z]+)(?=[\s/>])", r"<\1x:\2", text).encode("utf-8")
    return rezipped(data, change)


def test_a_package_with_prefixed_xml_gets_its_copy_through_openpyxl(demo_dir, plan, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / BASE).write_bytes(_prefixed((demo_dir / "returns" / BASE).read_bytes()))
    checked = read_and_check(folder, plan)
    rows = checked.issues.to_dict("records")
    assert rows, "the planted mistakes are found in the prefixed package too"
    copy = feedback_bytes((folder / BASE).read_bytes(), "xlsx", rows, plan)
    assert problems(copy) == []
    wb = load_workbook(io.BytesIO(copy))
    for r in rows:
        if r["sheet"] in wb.sheetnames and r["cell"]:
            assert r["message"] in wb[r["sheet"]][r["cell"]].comment.text


def _without_addresses(data: bytes) -> bytes:
    """The same package with the optional r="A1" / r="4" attributes left out of every sheet's rows and cells."""
    return rezipped(data, lambda name, body: re.sub(rb'(<(?:row|c)\b[^>]*?) r="[^"]*"', rb"\1", body)
                    if name.startswith("xl/worksheets/sheet") else body)


def test_a_package_without_cell_addresses_is_read_the_same_and_gets_its_copy(demo_dir, plan, tmp_path):
    original = (demo_dir / "returns" / BASE).read_bytes()
    stripped = _without_addresses(original)
    addressed = [any(re.search(rb'<c\b[^>]* r="', b) for n, b in parts(d).items() if n.startswith("xl/worksheets/"))
                 for d in (original, stripped)]
    assert addressed == [True, False]
    checked = {}
    for name, data in (("original", original), ("stripped", stripped)):
        (tmp_path / name).mkdir()
        (tmp_path / name / BASE).write_bytes(data)
        checked[name] = read_and_check(tmp_path / name, plan)
    said = {k: sorted(zip(c.issues["sheet"], c.issues["cell"], c.issues["rule"])) for k, c in checked.items()}
    assert said["stripped"] == said["original"] != []
    for table, frame in checked["original"].tables.items():
        assert len(checked["stripped"].tables[table]) == len(frame), table
    rows = checked["stripped"].issues.to_dict("records")
    copy = feedback_bytes(stripped, "xlsx", rows, plan)
    assert problems(copy) == []
    wb = load_workbook(io.BytesIO(copy))
    for r in rows:
        if r["sheet"] in wb.sheetnames and r["cell"]:
            assert r["message"] in wb[r["sheet"]][r["cell"]].comment.text


def test_a_values_copy_keeps_types_and_names_every_sheet_as_excel_allows():
    long_name = "Bảng tổng hợp kết quả thực hiện phong trào 2020–2023"
    data = values_workbook({
        "Kết quả [2023]": [["Có", True, 12, 1.5, dt.date(2023, 6, 14), "=1+1"]],
        "Kết quả (2023)": [[None, ""]],
        "Kết quả ?2023?": [["x"]],
        long_name: [["y"]],
        long_name + " (bản 2)": [["z"]],
    })
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Kết quả _2023_", "Kết quả (2023)", "Kết quả _2023__2", long_name[:31],
                             long_name[:29] + "_2"]
    row = [c.value for c in wb["Kết quả _2023_"][1]]
    assert row[:4] == ["Có", True, 12, 1.5] and row[4].date() == dt.date(2023, 6, 14)
    assert [c.data_type for c in wb["Kết quả _2023_"][1]][:4] == ["s", "b", "n", "n"]   # yes/no stays yes/no
    assert (row[5], wb["Kết quả _2023_"]["F1"].data_type) == ("=1+1", "s")      # a text, never a formula
    assert load_workbook(io.BytesIO(values_workbook({}))).sheetnames == ["Sheet1"]


def test_a_copy_that_cannot_be_made_costs_that_copy_only(demo_dir, plan, tmp_path, monkeypatch, caplog):
    folder = tmp_path / "in"
    folder.mkdir()
    others = ["pho_an_bao_cao_so_ket.xlsx", "pho_thanh_bao_cao_so_ket.xlsx"]
    for name in [BASE, *others]:
        shutil.copy(demo_dir / "returns" / name, folder / name)
    checked = read_and_check(folder, plan)
    with_issues = set(checked.issues["file"])
    assert BASE in with_issues
    broken = next(s for s in checked.sources if s.file == BASE)
    monkeypatch.setattr(broken, "load", lambda: b"not a zip any more")
    written = write_feedback(checked, tmp_path / "feedback", plan)
    assert BASE.split("_bao_cao")[0] not in {p.stem for p in written}
    assert len(written) == len(with_issues) - 1
    assert f"feedback copy of {BASE}" in caplog.text
