"""A bug in the tidy stage costs the row or the file that meets it, never the town's run: the row is taken out
with an "internal error" issue at its row, the file is rejected with the sentence that says it is not the unit's
fault, and every other row is kept. The bug is planted: a tidy schema stricter than the sheet's, a builder that
fails on one file's rows."""
from __future__ import annotations

import shutil

import pandera.pandas as pa
import pytest

from pipeline.check import read_and_check
from pipeline.tidy import tables as tidy_tables
from pipeline.tidy import tidy
from schemas.tables import TABLES

FILES = ["pho_an_bao_cao_so_ket.xlsx", "pho_thanh_bao_cao_so_ket.xlsx", "pho_ninh_bao_cao_so_ket.xlsx"]
NOT_THE_UNIT = "lỗi chương trình, không phải lỗi của"


@pytest.fixture
def checked(demo_dir, plan, tmp_path):
    for name in FILES:
        shutil.copy(demo_dir / "returns" / name, tmp_path / name)
    return read_and_check(tmp_path, plan)


def test_a_row_a_tidy_schema_refuses_is_taken_out_at_its_row_and_the_rest_kept(checked, plan, monkeypatch):
    models = checked.tables["models"]
    victim = models.iloc[0]
    before, original = len(models), TABLES["models"].to_schema()

    class Stricter:      # the planted bug: the tidy table refuses a name the sheet accepted
        @staticmethod
        def to_schema():
            return original

        @staticmethod
        def validate(frame, lazy=False):
            schema = original.update_column(
                "model_name", checks=[pa.Check(lambda s: s != victim["model_name"])])
            return schema.validate(frame, lazy=lazy)

    monkeypatch.setitem(tidy_tables.TABLES, "models", Stricter)
    result, tables = tidy(checked, plan)
    assert len(tables["models"]) == before - 1
    assert victim["model_name"] not in set(tables["models"]["model_name"])
    said = result.issues[result.issues["rule"] == "internal.error"]
    assert list(zip(said["file"], said["sheet"], said["cell"])) == [
        (victim["source_file"], victim["sheet"], f"A{victim['excel_row']}")]
    assert said.iloc[0]["message"].startswith(f"Dòng {victim['excel_row']}: chương trình gặp lỗi")
    assert NOT_THE_UNIT in said.iloc[0]["message"]
    status = result.files.set_index("file")["status"]
    assert status[victim["source_file"]] == "accepted_with_errors"


def test_a_builder_that_fails_on_one_file_rejects_that_file_only(checked, plan, monkeypatch):
    victim = FILES[1]
    real = tidy_tables.models_table

    def buggy(sheet, registry, plan):
        if (sheet["source_file"] == victim).any():
            raise KeyError("planted")
        return real(sheet, registry, plan)

    monkeypatch.setattr(tidy_tables, "models_table", buggy)
    result, tables = tidy(checked, plan)
    files = result.files.set_index("file")
    assert files.at[victim, "status"] == "rejected" and NOT_THE_UNIT in files.at[victim, "reason"]
    for name, frame in tables.items():
        if "source_file" in frame.columns:
            assert victim not in set(frame["source_file"]), name
    kept = checked.tables["models"]
    assert len(tables["models"]) == (kept["source_file"] != victim).sum() > 0
