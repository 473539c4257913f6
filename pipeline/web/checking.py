"""The web app's only door into the pipeline.

Everything the web package needs from the pipeline (the registry, the deadline,
the file guards, checking one workbook, the feedback workbook, the template, the
report command, the codes, labels and rules of a unit's status, and those of its
hồ sơ) goes through this module, so that when the pipeline's modules move, only
this file changes.
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
from pipeline.read.decisions import DECISIONS_FILE, MAX_REASON, RECEIVED_DIR, SEND_BACK, USE  # noqa: F401
from pipeline.read.decisions import Decisions, UnitDecisions, parse as parse_decisions  # noqa: F401
from pipeline.reuse import MANIFEST
from pipeline.text import csv_safe  # noqa: F401 (the web's CSVs are made safe as the pipeline's are)
from schemas.codes import USED_FILE_STATUSES, DossierStatus, FileStatus, SubmissionStatus
from schemas.rules import Rule

# The reading, checking and writing stages (pandas, pandera, calamine, openpyxl) are imported
# on first use, so that `make links` starts at once; the server loads them at start (`preload`).


def preload() -> None:
    import pipeline.check.feedback
    import pipeline.check.results
    import pipeline.check.units
    import pipeline.read
    import pipeline.tools.template  # noqa: F401


# A finished report run writes its manifest (a reused run too); the board offers the run's own files one by
# one, the report's documents before its tables, and never the manifest, which is for the machine.
REPORT_DONE_MARKER = MANIFEST
REPORT_FILES = tuple(sorted((n for n in MANAGED if PurePosixPath(n).suffix and n != MANIFEST),
                            key=lambda n: PurePosixPath(n).suffix in (".csv", ".txt")))

# A stored upload's verdict: the files.csv status `make report` gives the same file (old records said "refused").
REJECTED = FileStatus.REJECTED.value
OLD_VERDICTS = {"refused": REJECTED}
PROPOSALS = "proposals"   # the table of award proposals (schemas/sheets.py), whose rows `make report` counts


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
    member: str = ""                   # for an archive: the used workbook's path inside it
    missing_sheets: dict[str, str] = field(default_factory=dict)   # template sheet it lacks -> severity
    choosing_errors: int | None = None # its errors as they weigh in choosing the unit's return (`unit_return`)
    proposals: int = 0                 # its award proposals: the rows of the proposals table `make report` counts
    tables_read: tuple[str, ...] = ()  # the template tables it holds (a return sent in parts completes from them)

    @classmethod
    def refused(cls, reason: str) -> "Outcome":
        return cls(REJECTED, reason)

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
    errors: int = 0                    # as they weigh in choosing (`Outcome.choosing_errors`)
    missing_sheets: tuple[tuple[str, str], ...] = ()   # (template sheet it lacks, severity)
    decision: str = ""                 # the office's: USE, SEND_BACK or ''
    decision_reason: str = ""
    proposals: int | None = None       # its award proposals (None: recorded before they were counted)
    tables_read: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnitReturn:
    """What `make report` will make of a unit's uploads."""

    used: str                          # the `file` of the upload used ('' for none)
    status: str                        # the unit's submissions.csv `status`
    reasons: tuple[tuple[str, str], ...] = ()   # (file, files.csv `reason`) of each upload not used, or sent back
    proposals: int | None = 0          # submissions.csv `proposals` (None: the upload giving them predates counting)


@functools.lru_cache(maxsize=4096)
def unit_return(unit_code: str, sent: tuple[Sent, ...]) -> UnitReturn:
    """The upload `make report` uses for a unit and the unit's status (submissions.csv `status`), by the check
    stage's own rules: `choose_returns` ranks the usable ones (the office's decisions, the errors), `unit_status`
    decides; the proposals are the used return's, or those of the upload `complete_returns` takes its proposals
    sheet from (a return sent in parts). (Cached: the board asks it of every unit, again and again, about the
    same uploads.)"""
    from pipeline.check.results import unit_status
    from pipeline.check.units import choose_returns, complete_returns, ranking_errors
    from pipeline.read.sources import SourceFile

    plan = load_plan()
    files = [SourceFile(file=s.file, format=PurePosixPath(s.file).suffix.lstrip("."), unit_code=unit_code,
                        report_date=s.report_date, mtime=s.mtime, decision=s.decision,
                        decision_reason=s.decision_reason,
                        status="" if is_used(s.verdict) else verdict_code(s.verdict)) for s in sent]
    errors = ranking_errors(files, {s.file: s.errors for s in sent}, {s.file: dict(s.missing_sheets) for s in sent})
    several = choose_returns(files, plan, errors)
    borrowed = complete_returns(several, {(s.file, sheet) for s in sent for sheet, _ in s.missing_sheets},
                                {(s.file, table) for s in sent for table in s.tables_read}, plan) if several else {}
    used = next((f for f in files if not f.status), None)
    if used is not None:   # the checks gave it its final status already: the upload's verdict
        used.status = verdict_code(next(s.verdict for s in sent if s.file == used.file))
    reasons = tuple((f.file, f.reason) for f in files if f.status == FileStatus.SUPERSEDED
                    or f.status == FileStatus.REJECTED and f.decision == SEND_BACK)
    proposals = 0
    if used is not None:
        giver = next((g for (g, table), to in borrowed.items() if table == PROPOSALS and to == used.file), used.file)
        proposals = next(s.proposals for s in sent if s.file == giver)
    return UnitReturn(used.file if used else "", unit_status(files, plan).value, reasons, proposals)


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
        # the link is the sender: a blank unit cell is the link's unit, another unit named inside is refused
        checked = read_and_check(Path(tmp), plan, sender=unit_code)
        return _outcome(checked, unit_code, plan)


def _outcome(checked, unit_code: str, plan) -> Outcome:
    import pandas as pd

    from pipeline.check.feedback import feedback_copy
    from pipeline.check.units import counts_in_choosing
    from pipeline.read.sources import ZIP_EXTS

    files = checked.files
    rejected = files["status"] == REJECTED
    is_archive = files["format"].isin([e.lstrip(".") for e in ZIP_EXTS])
    top = ~files["file"].str.contains("/", regex=False)
    if (is_archive & top & rejected).any():          # the .zip sent, refused as a whole (a bomb, broken)
        return Outcome.refused(str(files[is_archive & top & rejected]["reason"].iloc[0]))
    inner = files[is_archive & ~top & rejected]
    books = files[~is_archive]
    if books.empty:                                  # only archives inside: say why they were not opened
        return Outcome.refused(str(inner["reason"].iloc[0]) if len(inner) else MSG_EMPTY_ARCHIVE)
    named = checked.issues[checked.issues["rule"] == Rule.UNIT_NOT_SENDER]["file"]
    if len(named):                                   # a workbook of another unit: the whole upload is refused
        return Outcome.refused(str(files.set_index("file").at[named.iloc[0], "reason"]))
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
    feedback = feedback_copy(src, issues.to_dict("records"), plan) if not issues.empty else None   # as `make report`'s
    listed = [{k: ("" if v is None else str(v)) for k, v in rec.items()}
              for rec in issues[["sheet", "cell", "column", "value", "rule", "severity", "message"]]
              .to_dict("records")]
    # A member's name takes part in choosing a unit's return ("..._nhap.xlsx" is a draft): `make report` sees it.
    member = str(row["file"]).split("/", 1)[1] if src.member else ""
    missing = issues[issues["rule"] == Rule.SHEET_MISSING]
    choosing = sum(counts_in_choosing(str(sev), str(col)) for sev, col in zip(issues["severity"], issues["column"]))
    proposals = checked.tables[PROPOSALS]          # one proposal a row, as pipeline.tidy.dossiers counts them
    tables = checked.counts["table"]               # the sheets read, of the files kept: this upload's own
    return Outcome(str(row["status"]), "", date, int(row["errors"]), int(row["warnings"]), listed, feedback,
                   member=member, missing_sheets=dict(zip(missing["sheet"], missing["severity"])),
                   choosing_errors=choosing, proposals=int((proposals["unit_code"] == unit_code).sum()),
                   tables_read=tuple(sorted(set(tables))))


MSG_EMPTY_ARCHIVE = "Tệp nén không chứa tệp báo cáo Excel nào; hãy gửi trực tiếp tệp báo cáo."
MSG_NO_RETURN = "Không tìm thấy báo cáo của đơn vị trong tệp đã gửi; hãy dùng đúng mẫu báo cáo."


def feedback_suffix(data: bytes) -> str:
    """.xlsm for a feedback copy that keeps the unit's macros, else .xlsx."""
    from pipeline.check.feedback import feedback_suffix as suffix

    return suffix(data)


_WARM = False


def warm() -> None:
    """Import and load everything a worker process needs before the first upload arrives, and check the blank
    template once: a worker's first check otherwise costs twice the next ones (schemas built, readers loaded)."""
    global _WARM
    if _WARM:
        return
    preload()
    load_plan()
    try:
        with tempfile.TemporaryDirectory(prefix="dvk-warm-") as tmp:
            template = write_template(Path(tmp)).read_bytes()
        check_upload(template, ".xlsx", units()[0].code)
    except Exception:  # warming up is an optimisation: the first upload then pays instead
        pass
    _WARM = True


# -- the hồ sơ a unit attaches (issue 29) ----------------------------------------------------

DOSSIER_DIR = "ho_so"   # inputs/received/<unit_code>/ho_so/: a folder `make report` reads as hồ sơ ([dossier])
DOSSIER_MISSING = DossierStatus.MISSING.value   # proposed someone, sent no hồ sơ: what the office must chase


def dossier_formats() -> tuple[str, ...]:
    """The kinds a unit may attach, in the plan's order ([dossier] upload_formats)."""
    from pipeline.read.dossier_uploads import upload_formats

    return upload_formats(load_plan())


def dossier_accept() -> tuple[str, ...]:
    """The extensions a file chooser offers for those kinds (a hint only: the bytes decide)."""
    more = {"jpg": (".jpeg",), "tif": (".tiff",)}
    return tuple(e for kind in dossier_formats() for e in (f".{kind}", *more.get(kind, ())))


def dossier_kind(data: bytes) -> str:
    """What an attached file is, by its first bytes (never its name)."""
    from pipeline.read.dossier_uploads import upload_kind

    return upload_kind(data)


def dossier_kind_label(kind: str) -> str:
    return msg.DOSSIER_KINDS.get(kind, kind)


def dossier_found(kind: str) -> str:
    """What its bytes say a refused hồ sơ is, as files.csv says it ("là tệp nén", "không xác định được loại tệp")."""
    return msg.DOSSIER_FOUND.format(kind=msg.DOSSIER_KINDS[kind]) if kind in msg.DOSSIER_KINDS \
        else msg.DOSSIER_KIND_UNKNOWN


def counted_dossiers(received: Path, unit_code: str) -> list[tuple[str, str, dt.datetime | None]]:
    """(file name, kind, local time it arrived) of each file in the unit's hồ sơ folder that `make report` counts,
    first arrived first: pipeline.read.dossiers' own rules, on the first bytes of each file only."""
    import pandas as pd

    from pipeline.read.dossiers import HEAD_BYTES, dossier_files, dossier_source
    from pipeline.read.sources import SourceFile

    plan = load_plan()
    sources = []
    try:
        entries = sorted(os.scandir(received / unit_code / DOSSIER_DIR), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return []
    for entry in entries:
        if entry.name.startswith((".", "~$")) or not entry.is_file(follow_symlinks=False):
            continue
        try:
            with open(entry.path, "rb") as fh:
                head = fh.read(HEAD_BYTES)
            mtime = entry.stat().st_mtime
        except OSError:
            continue
        src = SourceFile(file=f"{RECEIVED_DIR}/{unit_code}/{DOSSIER_DIR}/{entry.name}", format="?", mtime=mtime)
        sources.append(dossier_source(src, head, plan))
    found = dossier_files(sources, plan)
    return [(PurePosixPath(f).name, k, None if pd.isna(r) else r.to_pydatetime())
            for f, k, r in zip(found["file"], found["kind"], found["received"])]


def dossier_status(proposals: int, files: int, first_received: dt.datetime | None) -> str:
    """The unit's hồ sơ status (submissions.csv `dossier_status`), by pipeline.tidy.dossiers' own rule."""
    from pipeline.tidy.dossiers import dossier_status as status

    return status(proposals, files, first_received, load_plan()).value


def dossier_labels() -> dict[str, str]:
    """Every hồ sơ status with its label (submissions.csv `dossier_status_label`), in the order of schemas/codes.py."""
    return DossierStatus.labels()


# -- template and report run ----------------------------------------------------------

def write_template(folder: Path) -> Path:
    """The blank template units fill (the same file as `make template`)."""
    from pipeline.tools.template import write_template as _write_template

    folder.mkdir(parents=True, exist_ok=True)
    return _write_template(folder)


def report_command(inputs: Path, outputs: Path) -> list[str]:
    """`make report` as a subprocess, so that a run never blocks the server."""
    return [sys.executable, "-m", "pipeline", "--inputs", str(inputs), "--outputs", str(outputs), "report"]
