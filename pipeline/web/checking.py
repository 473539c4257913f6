"""The web app's only door into the pipeline.

Everything the web package needs from the pipeline (the registry, the deadline,
the file guards, checking one workbook, the feedback workbook, the template, the
report command, and the codes, labels and rules of a unit's status) goes through
this module, so that when the pipeline's modules move, only this file changes.
The web spells no status, label or rule of its own: each comes from
`schemas/codes.py` or the check stage.

`check_upload` runs in a worker process: it takes plain values and returns a
picklable `Outcome`.
"""
from __future__ import annotations

import datetime as dt
import functools
import io
import os
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from pipeline import messages as msg
from pipeline.config import ROOT, load_plan
from pipeline.files import MANAGED
from pipeline.reuse import MANIFEST
from pipeline.text import csv_safe  # noqa: F401 (the web's CSVs are made safe as the pipeline's are)
from schemas.codes import USED_FILE_STATUSES, FileStatus, SubmissionStatus

# The reading, checking and writing stages (pandas, pandera, calamine, openpyxl) are imported
# on first use, so that `make links` starts at once; the server loads them at start (`preload`).


def preload() -> None:
    import pipeline.check.feedback  # noqa: F401
    import pipeline.check.results  # noqa: F401
    import pipeline.check.units  # noqa: F401
    import pipeline.read  # noqa: F401
    import pipeline.tools.template  # noqa: F401


# A finished report run writes its manifest (a reused run too); the board offers the run's own files one by
# one, the report's documents before its tables, and never the manifest, which is for the machine.
REPORT_DONE_MARKER = MANIFEST
REPORT_FILES = tuple(sorted((n for n in MANAGED if PurePosixPath(n).suffix and n != MANIFEST),
                            key=lambda n: PurePosixPath(n).suffix in (".csv", ".txt")))

# A stored upload's verdict: the files.csv status `make report` gives the same file (old records said "refused").
REJECTED = FileStatus.REJECTED.value
OLD_VERDICTS = {"refused": REJECTED}


@functools.cache
def workbook_exts() -> tuple[str, ...]:
    """The workbook extensions `make report` reads, Excel's first."""
    from pipeline.read.sources import WORKBOOK_EXTS

    return tuple(sorted(WORKBOOK_EXTS, reverse=True))


@functools.cache
def archive_exts() -> tuple[str, ...]:
    """The archive extensions `make report` opens."""
    from pipeline.read.sources import ZIP_EXTS

    return tuple(sorted(ZIP_EXTS))


def accepted_exts() -> tuple[str, ...]:
    return workbook_exts() + archive_exts()


def template_file_name() -> str:
    """The name `make template` gives the blank template."""
    from pipeline.tools.template import TEMPLATE_FILENAME

    return TEMPLATE_FILENAME


@dataclass(frozen=True)
class UnitInfo:
    code: str
    name: str
    group: str


@dataclass
class Outcome:
    """What checking one upload found, for the unit's link `unit_code`."""

    verdict: str                       # a files.csv status: accepted | accepted_with_errors | rejected
    reason: str = ""                   # why it was refused (Vietnamese)
    report_date: dt.date | None = None
    errors: int = 0
    warnings: int = 0
    issues: list[dict] = field(default_factory=list)   # sheet, cell, column, value, rule, severity, message
    feedback: bytes | None = None      # the highlighted feedback workbook (.xlsx), when there are issues
    other_unit: str = ""               # the unit the workbook names, when it is not the link's unit
    member: str = ""                   # for an archive: the used workbook's path inside it

    @classmethod
    def refused(cls, reason: str, other_unit: str = "") -> "Outcome":
        return cls(REJECTED, reason, other_unit=other_unit)

    @property
    def is_refused(self) -> bool:
        return self.verdict == REJECTED


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


# -- statuses: the codes and labels of schemas/codes.py, the rules of the check stage ----------------------

def verdict_code(verdict: str) -> str:
    """A stored verdict as a files.csv status (records written before the web used those codes said "refused")."""
    return OLD_VERDICTS.get(verdict, verdict)


def verdict_label(verdict: str) -> str:
    """The Vietnamese label of an upload's verdict: files.csv's `status_label` of the same file."""
    return FileStatus.labels().get(verdict_code(verdict), verdict)


def is_used(verdict: str) -> bool:
    """Whether a file with this verdict can be a unit's return."""
    return verdict_code(verdict) in USED_FILE_STATUSES


def submission_labels() -> dict[str, str]:
    """Every unit status (submissions.csv `status`) with its label, in the order of schemas/codes.py."""
    return SubmissionStatus.labels()


def submission_label(status: str) -> str:
    return SubmissionStatus(status).label


def return_status(report_date: dt.date | None) -> str:
    """on_time, late or date_unknown: the deadline rule of the check stage applied to one report date."""
    from pipeline.check.results import submission_status

    return submission_status(report_date, load_plan()).value


@dataclass(frozen=True)
class Sent:
    """One of a unit's stored uploads, as `make report` will find it in inputs/ (or, refused, never will)."""

    file: str                          # the stored name; for an archive, "<stored name>/<member>"
    verdict: str                       # a files.csv status (see `verdict_code`)
    report_date: dt.date | None
    mtime: float                       # the stored file's modification time: `make report` breaks ties with it


def unit_return(unit_code: str, sent: list[Sent]) -> tuple[str, str]:
    """The upload `make report` uses for a unit (its `file`, '' for none) and the unit's status (submissions.csv
    `status`), by the check stage's own rules: `choose_returns` ranks the usable ones, `unit_status` decides."""
    from pipeline.check.results import unit_status
    from pipeline.check.units import choose_returns
    from pipeline.read.sources import SourceFile

    plan = load_plan()
    files = [SourceFile(file=s.file, format=PurePosixPath(s.file).suffix.lstrip("."), unit_code=unit_code,
                        report_date=s.report_date, mtime=s.mtime,
                        status="" if is_used(s.verdict) else verdict_code(s.verdict)) for s in sent]
    choose_returns(files, plan)
    used = next((f for f in files if not f.status), None)
    if used is not None:   # the checks gave it its final status already: the upload's verdict
        used.status = verdict_code(next(s.verdict for s in sent if s.file == used.file))
    return (used.file if used else ""), unit_status(files, plan).value


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
        return Outcome.refused(problem)
    with tempfile.TemporaryDirectory(prefix="dvk-check-") as tmp:
        (Path(tmp) / f"bao_cao{ext}").write_bytes(data)
        checked = read_and_check(Path(tmp), plan)
        return _outcome(checked, unit_code, plan)


def _outcome(checked, unit_code: str, plan) -> Outcome:
    import pandas as pd

    from pipeline.check.feedback import feedback_copy
    from pipeline.read.sources import ZIP_EXTS

    files = checked.files
    is_archive = files["format"].isin([e.lstrip(".") for e in ZIP_EXTS])
    archive = files[is_archive]
    if len(archive) and (archive["status"] == REJECTED).any():
        return Outcome.refused(str(archive["reason"].iloc[0]))
    books = files[~is_archive]
    if books.empty:
        return Outcome.refused(MSG_EMPTY_ARCHIVE)
    others = [c for c in books["unit_code"].dropna().unique() if c and c != unit_code]
    if others:
        names = ", ".join(f"“{plan.unit(c).unit_name}”" for c in others)
        return Outcome.refused(MSG_OTHER_UNIT.format(other=names, unit=plan.unit(unit_code).unit_name),
                               other_unit=others[0])
    mine = books[(books["unit_code"] == unit_code) & books["status"].isin(list(USED_FILE_STATUSES))]
    if mine.empty:
        reasons = [r for r in books["reason"] if r]
        return Outcome.refused(reasons[0] if reasons else MSG_NO_RETURN)
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
    # A member's name takes part in choosing a unit's return ("..._nhap.xlsx" is a draft): `make report` sees it.
    member = str(row["file"]).split("/", 1)[1] if src.member else ""
    return Outcome(str(row["status"]), "", date, int(row["errors"]), int(row["warnings"]), listed, feedback,
                   member=member)


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
