"""`python -m pipeline.tools.compare A B`: the tables of two output folders, compared whatever their row order."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.tools.compare import differences, main


def _folder(root: Path, tables: dict[str, pd.DataFrame]) -> Path:
    for name, frame in tables.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".csv":
            frame.to_csv(path, index=False, encoding="utf-8-sig")
        else:
            frame.to_parquet(path, index=False)
    return root


FILES = pd.DataFrame({"file": ["a.xlsx", "b.xlsx"], "status": ["accepted", "rejected"]})
COUNTS = pd.DataFrame({"unit": ["pho_an", "pho_ninh"], "n": [3, 4]})


def test_the_same_rows_in_another_order_are_the_same_table(tmp_path, capsys):
    a = _folder(tmp_path / "a", {"files.csv": FILES, "data/counts.parquet": COUNTS})
    b = _folder(tmp_path / "b", {"files.csv": FILES.iloc[::-1], "data/counts.parquet": COUNTS.iloc[::-1]})
    assert differences(a, b) == ([], [])
    assert main([str(a), str(b)]) == 0
    assert capsys.readouterr().out.strip() == "2/2 tables identical"


def test_a_changed_value_fails_and_a_table_in_one_folder_is_noted(tmp_path, capsys):
    changed = COUNTS.assign(n=[3, 5])
    a = _folder(tmp_path / "a", {"files.csv": FILES, "data/counts.parquet": COUNTS, "old.csv": FILES})
    b = _folder(tmp_path / "b", {"files.csv": FILES, "data/counts.parquet": changed, "demo/x.csv": FILES})
    problems, notes = differences(a, b)
    assert [p.split(":")[0] for p in problems] == ["data/counts.parquet"]
    assert notes == ["only in A: old.csv"]             # demo/ (the generated demo returns) is never compared
    assert main([str(a), str(b)]) == 1
    out = capsys.readouterr().out
    assert "only in A: old.csv" in out and "DIFFERENT data/counts.parquet" in out and "1/2 tables identical" in out


def test_strict_fails_on_a_missing_table_and_ignore_and_new_columns_relax(tmp_path):
    a = _folder(tmp_path / "a", {"files.csv": FILES, "old.csv": FILES})
    b = _folder(tmp_path / "b", {"files.csv": FILES.assign(status="accepted", added="x")})
    assert main([str(a), str(b)]) == 1                               # status differs, a column added
    assert main([str(a), str(b), "--ignore", "status", "--new-columns"]) == 0
    assert main([str(a), str(b), "--ignore", "status", "--new-columns", "--strict"]) == 1   # old.csv only in A
    problems, notes = differences(a, b, ignore=("status",), new_columns=True)
    assert problems == [] and notes == ["new columns in B: files.csv: added", "only in A: old.csv"]
