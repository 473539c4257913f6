"""Red-team findings on what clerks type in a cell: each case is a real return (a demo workbook written into
the real template) with one cell typed the way a clerk types it; the test says what the unit and the analyst
see (the value read into the tables, or the issue at the cell)."""
from __future__ import annotations

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



# -- F7: year bounds in messages ---------------------------------------------------------------------------------



# -- F34: an unreadable optional cell ------------------------------------------------------------------------------















# -- a year in a date-formatted cell ---------------------------------------------------------------------------









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








