"""The web app's only door into the pipeline.

Everything the web package needs from the pipeline (the registry, the deadline,
the file guards, checking one workbook, the feedback workbook, the template and
the report command) goes through this module, so that when the pipeline's
modules move, only this file changes.

`check_upload` runs in a worker process: it takes plain values and returns a
picklable `Outcome`.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import messages as msg
from pipeline.config import ROOT, load_plan
from pipeline.text import csv_safe  # noqa: F401 (the web's CSVs are made safe as the pipeline's are)

# The reading, checking and writing stages (pandas, pandera, calamine, openpyxl) are imported
# on first use, so that `make links` starts at once; the server loads them at start (`preload`).


def preload() -> None:
    import pipeline.check.feedback  # noqa: F401
    import pipeline.read  # noqa: F401
    import pipeline.tools.template  # noqa: F401

ACCEPTED_EXTS = (".xlsx", ".xlsm", ".xls", ".ods", ".zip")
TEMPLATE_FILE_NAME = "Mau_bao_cao_so_ket_Dan_van_kheo.xlsx"
# Outputs of a finished report run that the office board offers one by one.
REPORT_FILES = ("Tong_hop_so_ket_Dan_van_kheo.xlsx", "Du_thao_bao_cao_so_ket.docx", "report.html",
                "submissions.csv", "issues.csv", "files.csv", "run_summary.txt")
REPORT_DONE_MARKER = "run_summary.txt"   # written last by a finished run


@dataclass(frozen=True)
class UnitInfo:
    code: str
    name: str
    group: str


@dataclass
class Outcome:
    """What checking one upload found, for the unit's link `unit_code`."""

    verdict: str                       # accepted | accepted_with_errors | refused
    reason: str = ""                   # why it was refused (Vietnamese)
    report_date: dt.date | None = None
    errors: int = 0
    warnings: int = 0
    issues: list[dict] = field(default_factory=list)   # sheet, cell, column, value, rule, severity, message
    feedback: bytes | None = None      # the highlighted feedback workbook (.xlsx), when there are issues
    other_unit: str = ""               # the unit the workbook names, when it is not the link's unit


# -- registry and plan ------------------------------------------------------------

def default_dirs() -> tuple[Path, Path]:
    """inputs/ and outputs/ as the command line finds them (DVK_INPUTS / DVK_OUTPUTS)."""
    return (Path(os.environ.get("DVK_INPUTS", ROOT / "inputs")),
            Path(os.environ.get("DVK_OUTPUTS", ROOT / "outputs")))


def project_root() -> Path:
    return ROOT


def units() -> list[UnitInfo]:
    return [UnitInfo(u.unit_code, u.unit_name, u.unit_group) for u in load_plan().units]


def deadline() -> dt.date:
    return load_plan().deadline


def deadline_inclusive() -> bool:
    return bool(load_plan().review.get("deadline_inclusive", False))


def is_late(report_date: dt.date) -> bool:
    return load_plan().is_late(report_date)


def review_title() -> str:
    return str(load_plan().review.get("title", ""))


def send_to() -> str:
    return str(load_plan().review.get("send_to", ""))


def max_upload_bytes() -> int:
    return int(load_plan().limits["max_file_bytes"])


def too_large_message() -> str:
    return msg.FILE_TOO_LARGE.format(mb=max_upload_bytes() // 1_000_000)


def not_workbook_message(ext: str) -> str:
    return msg.FILE_NOT_WORKBOOK.format(ext=ext or "(không có đuôi)")


def severity_label(severity: str) -> str:
    from schemas.codes import Severity

    return Severity(severity).label if severity in Severity.labels() else severity


def supersede_key(report_date: dt.date | None, received_at: str, name: str) -> tuple:
    """Order of a unit's uploads as `make report` ranks its files: the one that sorts last is used.

    Mirrors pipeline.check.units.choose_returns for files whose names say nothing (a stored upload's
    name is the server's own): a dated report beats an undated one, a later report date wins, and on
    the same date the file stored later wins (each stored upload's modification time is its upload
    time), then the later name.
    """
    return (report_date is not None, report_date or dt.date.min, received_at, name)


# -- guards and checking ----------------------------------------------------------------

def guard(data: bytes, ext: str) -> str:
    """Why an upload must be refused before anything parses it (size, type, zip bomb), or ''."""
    from pipeline.read.discover import check_content, zip_guard
    from pipeline.read.sources import ZIP_EXTS, SourceFile

    plan = load_plan()
    if len(data) > plan.limits["max_file_bytes"]:
        return too_large_message()
    if ext in ZIP_EXTS:
        try:
            problem = zip_guard(zipfile.ZipFile(io.BytesIO(data)), len(data), plan)
        except (zipfile.BadZipFile, ValueError, OSError):
            return msg.FILE_CORRUPT
        return problem
    src = SourceFile(file=f"upload{ext}", format=ext.lstrip("."), data=data)
    src = check_content(src, ext, plan)
    return src.reason if src.status else ""


def check_upload(data: bytes, ext: str, unit_code: str) -> Outcome:
    """Check one uploaded workbook (or .zip) exactly as `make report` would, for the link's unit."""
    from pipeline.check import read_and_check

    plan = load_plan()
    problem = guard(data, ext)
    if problem:
        return Outcome("refused", problem)
    with tempfile.TemporaryDirectory(prefix="dvk-check-") as tmp:
        (Path(tmp) / f"bao_cao{ext}").write_bytes(data)
        checked = read_and_check(Path(tmp), plan)
        return _outcome(checked, unit_code, plan)


def _outcome(checked, unit_code: str, plan) -> Outcome:
    import pandas as pd

    from pipeline.check.feedback import feedback_copy
    from schemas.codes import USED_FILE_STATUSES

    files = checked.files
    archive = files[files["format"] == "zip"]
    if len(archive) and (archive["status"] == "rejected").any():
        return Outcome("refused", str(archive["reason"].iloc[0]))
    books = files[files["format"] != "zip"]
    if books.empty:
        return Outcome("refused", MSG_EMPTY_ARCHIVE)
    others = [c for c in books["unit_code"].dropna().unique() if c and c != unit_code]
    if others:
        names = ", ".join(f"“{plan.unit(c).unit_name}”" for c in others)
        return Outcome("refused", MSG_OTHER_UNIT.format(other=names, unit=plan.unit(unit_code).unit_name),
                       other_unit=others[0])
    mine = books[(books["unit_code"] == unit_code) & books["status"].isin(list(USED_FILE_STATUSES))]
    if mine.empty:
        reasons = [r for r in books["reason"] if r]
        return Outcome("refused", reasons[0] if reasons else MSG_NO_RETURN)
    row = mine.iloc[0]
    issues = checked.issues[checked.issues["file"] == row["file"]]
    sub = checked.submissions.set_index("unit_code")
    date = sub.at[unit_code, "report_date"] if unit_code in sub.index else None
    date = None if date is None or pd.isna(date) else dt.date(date.year, date.month, date.day)
    src = next(s for s in checked.sources if s.file == row["file"])
    feedback = feedback_copy(src, issues.to_dict("records")) if not issues.empty else None   # as `make report`'s
    listed = [{k: ("" if v is None else str(v)) for k, v in rec.items()}
              for rec in issues[["sheet", "cell", "column", "value", "rule", "severity", "message"]]
              .to_dict("records")]
    return Outcome(str(row["status"]), "", date, int(row["errors"]), int(row["warnings"]), listed, feedback)


MSG_OTHER_UNIT = ("Báo cáo này ghi tên đơn vị {other}, không phải {unit}. Đường dẫn này chỉ nhận báo cáo "
                  "của {unit}; hãy chọn đúng tên đơn vị ở sheet “Thông tin đơn vị” hoặc dùng đường dẫn của "
                  "đơn vị kia.")
MSG_EMPTY_ARCHIVE = "Tệp nén không chứa tệp báo cáo Excel nào; hãy gửi trực tiếp tệp báo cáo."
MSG_NO_RETURN = "Không tìm thấy báo cáo của đơn vị trong tệp đã gửi; hãy dùng đúng mẫu báo cáo."


def feedback_suffix(data: bytes) -> str:
    """.xlsm for a feedback copy that keeps the unit's macros, else .xlsx."""
    from pipeline.check.feedback import feedback_suffix as suffix

    return suffix(data)


def warm() -> None:
    """Import and load everything a worker process needs before the first upload arrives."""
    preload()
    load_plan()


# -- template and report run ----------------------------------------------------------

def write_template(folder: Path) -> Path:
    """The blank template units fill (the same file as `make template`)."""
    from pipeline.tools.template import write_template as _write_template

    folder.mkdir(parents=True, exist_ok=True)
    return _write_template(folder)


def report_command(inputs: Path, outputs: Path) -> list[str]:
    """`make report` as a subprocess, so that a run never blocks the server."""
    return [sys.executable, "-m", "pipeline", "--inputs", str(inputs), "--outputs", str(outputs), "report"]
