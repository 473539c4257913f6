"""Whole files and whole runs: a file refused still gets its feedback, every clerk case of the read_* modules in one
`make report` exits 0 with every output, a broken environment stops loudly, a bug met in one file rejects that file
only."""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

from pipeline import messages as msg
from schemas import sheet_spec
from tests.check import (test_read_choices_and_periods, test_read_dates, test_read_numbers, test_read_proposals,
                         test_read_rows)
from tests.check.clerk_batch import read_together_once

ROOT = Path(__file__).resolve().parents[2]
BASE = "pho_thuan_bao_cao_so_ket.xlsx"     # a clean demo return: no planted mistake, no proposal, 3 models
INFO = sheet_spec("unit_info")
CASE_MODULES = {"numbers": test_read_numbers, "dates": test_read_dates, "choices": test_read_choices_and_periods,
                "rows": test_read_rows, "proposals": test_read_proposals}   # each module's batch name


def _cell(spec, column, row=0):
    return spec.cell(row, column)


def test_unit_name_out_of_the_registry_rejects_the_file_but_it_still_gets_feedback(tmp_path, demo_dir):
    from pipeline.run import run_report

    (tmp_path / "in").mkdir()
    wb = load_workbook(demo_dir / "returns" / BASE)
    wb[INFO.sheet][_cell(INFO, "unit_name")] = "Phổ"                 # ambiguous: many units begin so
    wb.save(tmp_path / "in" / "bao_cao.xlsx")
    out = tmp_path / "out"
    assert run_report(tmp_path / "in", out) == 0
    import pandas as pd

    files = pd.read_csv(out / "files.csv", encoding="utf-8-sig").set_index("file")
    assert files.at["bao_cao.xlsx", "status"] == "rejected"
    assert "UBND phường Phổ Hòa" in files.at["bao_cao.xlsx", "reason"]  # names the nearest candidates
    issues = pd.read_csv(out / "issues.csv", encoding="utf-8-sig")
    at_cell = issues[(issues["sheet"] == INFO.sheet) & (issues["cell"] == _cell(INFO, "unit_name"))]
    assert list(at_cell["rule"]) == ["unit.ambiguous"]
    feedback = list((out / "feedback").glob("*.xlsx"))
    assert len(feedback) == 1
    wb = load_workbook(feedback[0])
    assert wb[INFO.sheet][_cell(INFO, "unit_name")].comment is not None


def test_all_the_cases_together_in_one_run_exit_0_with_every_output(tmp_path, tmp_path_factory, demo_dir, plan,
                                                                     demo_intended):
    """Every case of the read_* modules' batches, in one inputs/ folder (many returns of each unit among them)."""
    inputs, outputs = tmp_path / "inputs", tmp_path / "outputs"
    inputs.mkdir()
    test_read_rows.fill_typed(demo_intended)
    cases = [path for name, module in CASE_MODULES.items()    # the batches the read_* tests read, made once
             for folder in read_together_once(tmp_path_factory, name, demo_dir, plan, module.JOBS).folders()
             for path in sorted(folder.glob("*.xlsx"))]
    assert len(cases) >= 20
    for i, path in enumerate(cases):
        shutil.copy2(path, inputs / f"{i:03d}_{path.name}")
    result = subprocess.run([sys.executable, "-m", "pipeline", "--inputs", str(inputs), "--outputs", str(outputs),
                             "report"], capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert result.returncode == 0, result.stderr
    for name in ("files.csv", "submissions.csv", "issues.csv", "Tong_hop_so_ket_Dan_van_kheo.xlsx", "report.html",
                 "Du_thao_bao_cao_so_ket.docx"):
        assert (outputs / name).stat().st_size > 0, name


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_broken_environment_stops_loudly_and_keeps_the_previous_outputs(tmp_path, demo_dir):
    inputs, outputs = tmp_path / "inputs", tmp_path / "outputs"
    inputs.mkdir()
    for name in (BASE, "pho_an_bao_cao_so_ket.xlsx"):
        shutil.copy2(demo_dir / "returns" / name, inputs / name)
    env = {k: v for k, v in os.environ.items() if k != "DVK_DEBUG"}
    cmd = [sys.executable, "-m", "pipeline", "--inputs", str(inputs), "--outputs", str(outputs), "report"]
    assert subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env, timeout=600).returncode == 0
    before = _digest(outputs)
    assert "Tong_hop_so_ket_Dan_van_kheo.xlsx" in before
    shadow = tmp_path / "shadow" / "great_tables"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ImportError('simulated broken install', name='great_tables')\n")
    env["PYTHONPATH"] = str(shadow.parent)
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)
    assert result.returncode != 0
    assert "great_tables" in result.stderr and "Không thể tạo kết quả" in result.stderr
    assert "rm -rf .venv" in result.stderr and "make report" in result.stderr      # the remedy .ci/run follows
    assert "Traceback" not in result.stderr
    assert _digest(outputs) == before


def test_a_bug_met_in_one_file_rejects_that_file_only(tmp_path, demo_dir, monkeypatch):
    from pipeline.check import validation as validate
    from pipeline.tidy import tables as normalize

    for name in (BASE, "pho_an_bao_cao_so_ket.xlsx", "pho_khanh_bao_cao_so_ket.xlsx"):
        shutil.copy2(demo_dir / "returns" / name, tmp_path / name)
    real_normalise, real_models = validate.normalise, normalize.models_table

    def flaky_normalise(spec, raw, *args):
        if (raw["source_file"] == "pho_an_bao_cao_so_ket.xlsx").any():
            raise RuntimeError("simulated bug in validation")
        return real_normalise(spec, raw, *args)

    def flaky_models(models, *args):
        if (models["source_file"] == "pho_khanh_bao_cao_so_ket.xlsx").any():
            raise RuntimeError("simulated bug in the tidy stage")
        return real_models(models, *args)

    monkeypatch.setattr(validate, "normalise", flaky_normalise)
    monkeypatch.setattr(normalize, "models_table", flaky_models)
    from pipeline.run import run_report

    out = tmp_path / "out"
    assert run_report(tmp_path, out) == 0
    import pandas as pd

    files = pd.read_csv(out / "files.csv", encoding="utf-8-sig").set_index("file")
    assert files.at["pho_an_bao_cao_so_ket.xlsx", "status"] == "rejected"
    assert files.at["pho_khanh_bao_cao_so_ket.xlsx", "status"] == "rejected"
    assert files.at["pho_an_bao_cao_so_ket.xlsx", "reason"] == msg.FILE_INTERNAL_ERROR
    assert files.at[BASE, "status"] == "accepted"
    models = pd.read_parquet(out / "data" / "models.parquet")
    assert set(models["source_file"]) == {BASE}
    assert "simulated bug" in (out / "logs" / "errors.log").read_text(encoding="utf-8")
