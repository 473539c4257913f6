"""File-system helpers: writes that never leave a half-written file behind.

A run writes everything into a staging folder inside outputs/ and moves it
into place only when the whole run succeeded, so a run that dies half-way
leaves the previous outputs whole.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd


@contextlib.contextmanager
def atomic_path(path: Path):
    """Yield a temporary path next to `path`; move it into place only on success."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)  # mkstemp makes 0600; outputs are for every analyst
        os.replace(tmp_path, path)
    finally:
        tmp_path.unlink(missing_ok=True)


# Names this pipeline owns inside outputs/; template/ and demo/ are made by their own targets.
MANAGED = ("files.csv", "submissions.csv", "issues.csv", "feedback", "data", "charts", "tables", "logs",
           "report.html", "Tong_hop_so_ket_Dan_van_kheo.xlsx", "Du_thao_bao_cao_so_ket.docx", "run_summary.txt")


@contextlib.contextmanager
def staging(outputs: Path):
    """A folder to write the run into; its contents replace outputs/ only on success."""
    outputs.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".staging-", dir=outputs))
    try:
        yield stage
        for name in MANAGED:
            target = outputs / name
            if (stage / name).exists() or target.exists():
                if target.is_dir():
                    shutil.rmtree(target)
                elif target.exists():
                    target.unlink()
            if (stage / name).exists():
                os.replace(stage / name, target)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def write_csv(df: pd.DataFrame, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False, encoding="utf-8-sig")  # BOM: Excel opens Vietnamese CSV correctly
    return path


def write_parquet(tables: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, df in tables.items():
        path = folder / f"{name}.parquet"
        df.to_parquet(path, index=False)
        paths.append(path)
    return paths
