"""File-system helpers: writes that never leave a half-written file behind.

A run writes everything into a staging folder inside outputs/ and moves it
into place only when the whole run succeeded, so a run that dies half-way
leaves the previous outputs whole.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
from pandas.api.types import is_numeric_dtype

from pipeline.text import csv_safe


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


def link_or_copy(source: Path, target: Path) -> None:
    """A hard link (instant, no space) when both are on one disk, else a copy. Safe because every write
    here replaces a file (atomic_path) rather than changing it in place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


# Names this pipeline owns inside outputs/ (template/, demo/ and bench/ are made by their own targets).
# A run replaces all of them at once: a name the new run does not write is removed with the old outputs.
MANAGED = ("files.csv", "submissions.csv", "issues.csv", "feedback", "data", "charts", "tables", "logs",
           "report.html", "Tong_hop_so_ket_Dan_van_kheo.xlsx", "Du_thao_bao_cao_so_ket.docx",
           "Bao_cao_noi_bo_xet_khen_thuong.docx", "run_summary.txt",
           # the award dossier (pipeline/publish/docx_dossier.py); the báo cáo thành tích only once a nominee is chosen
           "Du_thao_Quyet_dinh_tang_Giay_khen.docx", "Du_thao_To_trinh_de_nghi_Bang_khen.docx",
           "Du_thao_Bao_cao_thanh_tich_de_nghi_Bang_khen.docx", "Quyet_dinh_cua_co_quan.xlsx",
           "manifest.json")
JOURNAL = ".commit.json"
LOCK = ".lock"


class RunInProgress(RuntimeError):
    """Another run is writing these outputs right now."""


@contextlib.contextmanager
def staging(outputs: Path):
    """A folder to write the run into; its contents replace the outputs only when the run finished.

    The outputs folder is locked for the run. A run killed before the end leaves the previous outputs
    as they were; one killed while replacing them leaves a journal, and the next run finishes the
    replacement before anything else. Either way the next run removes what a killed run left behind.
    """
    outputs.mkdir(parents=True, exist_ok=True)
    with _locked(outputs):
        recover(outputs)
        stage = Path(tempfile.mkdtemp(prefix=".staging-", dir=outputs))
        try:
            yield stage
            _commit(outputs, stage)
        finally:
            shutil.rmtree(stage, ignore_errors=True)


@contextlib.contextmanager
def _locked(outputs: Path):
    import fcntl

    with (outputs / LOCK).open("a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise RunInProgress(str(outputs)) from exc
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _commit(outputs: Path, stage: Path) -> None:
    names = sorted(set(MANAGED) | {p.name for p in stage.iterdir()})
    trash = outputs / f".trash-{stage.name.removeprefix('.staging-')}"
    journal = {"stage": stage.name, "trash": trash.name, "names": names}
    with atomic_path(outputs / JOURNAL) as tmp:
        tmp.write_text(json.dumps(journal), encoding="utf-8")
    _replace(outputs, journal)


def _replace(outputs: Path, journal: dict) -> None:
    """Move the old outputs aside and the new ones in, name by name (safe to repeat after a kill)."""
    stage, trash = outputs / journal["stage"], outputs / journal["trash"]
    trash.mkdir(exist_ok=True)
    for name in journal["names"]:
        new, old = stage / name, outputs / name
        if (new.exists() or name in MANAGED) and (old.exists() or old.is_symlink()) and not (trash / name).exists():
            os.replace(old, trash / name)
        if new.exists():
            os.replace(new, old)
    (outputs / JOURNAL).unlink(missing_ok=True)
    shutil.rmtree(trash, ignore_errors=True)


def recover(outputs: Path) -> None:
    """Finish a replacement a killed run started, and remove the staging folders killed runs left."""
    journal = outputs / JOURNAL
    if journal.exists():
        data = json.loads(journal.read_text(encoding="utf-8"))
        if (outputs / data["stage"]).is_dir():
            _replace(outputs, data)
        journal.unlink(missing_ok=True)
    for leftover in [*outputs.glob(".staging-*"), *outputs.glob(".trash-*")]:
        shutil.rmtree(leftover, ignore_errors=True)


def write_csv(df: pd.DataFrame, path: Path) -> Path:
    """A CSV for people who open it in Excel: a BOM so Vietnamese reads right, every text cell `csv_safe`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    safe = df.apply(lambda col: col.map(csv_safe, na_action="ignore") if not is_numeric_dtype(col) else col)
    safe.to_csv(path, index=False, encoding="utf-8-sig")
    return path


def write_csv_rows(path: Path, header: list[str], rows: list[list]) -> Path:
    """The same for plain rows (no pandas), written all at once."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([csv_safe(v) for v in header])
    writer.writerows([csv_safe(v) for v in row] for row in rows)
    with atomic_path(path) as tmp:
        tmp.write_text("\ufeff" + buf.getvalue(), encoding="utf-8")
    return path


def write_parquet(tables: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, df in tables.items():
        path = folder / f"{name}.parquet"
        df.to_parquet(path, index=False)
        paths.append(path)
    return paths
