"""Stage 1d: the office's decisions on the award proposals, read from the workbook it saves into inputs/.

The run writes the template (outputs/Quyet_dinh_cua_co_quan.xlsx, pipeline/publish/decisions_xlsx.py) with one
row per proposal; the office fills its columns and saves the copy as inputs/<[dossier] decisions_file>. That
file is found here by its name, listed in files.csv as "ignored" (it is never a unit's return), and its rows are
read raw, each cell with its address. Matching the rows to the proposals, and every message about them, is the
tidy stage's (pipeline/tidy/decisions.py); a file that cannot be read gives one issue and no rows, never an
exception.
"""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from pipeline import messages as msg
from pipeline.config import Plan
from pipeline.read.sources import Issue, SourceFile
from pipeline.text import fold, is_blank, nfc
from schemas.codes import FileStatus, Severity
from schemas.dossier import DECISION_COLUMNS, DECISIONS_SHEET, HEADER_SCAN_ROWS, REQUIRED_KEYS
from schemas.rules import Rule

TEMPLATE_NAME = "Quyet_dinh_cua_co_quan.xlsx"        # what the run writes in outputs/ for the office to fill
SAVED_AS = (".xlsx", ".xls", ".ods", ".xlsm")         # the office may save its copy in any of these


@dataclass
class DecisionRow:
    excel_row: int
    values: dict[str, object]                   # column key -> the cell's value as read
    cells: dict[str, str]                       # column key -> its address ("K5")


@dataclass
class OfficeDecisions:
    """What the decisions file holds, as typed; `file` is '' when there is none."""

    file: str = ""
    sheet: str = ""
    rows: list[DecisionRow] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)     # column key -> header as found


DEFAULT_NAME = "quyet_dinh_khen_thuong.xlsx"           # when [dossier] decisions_file is not set


def decisions_name(plan: Plan) -> str:
    """Where in inputs/ the office saves its filled decisions file ([dossier] decisions_file)."""
    return str(plan.raw.get("dossier", {}).get("decisions_file") or DEFAULT_NAME)


def is_award_decisions(rel: str, plan: Plan) -> bool:
    """Whether `rel` (a path inside inputs/) is the office's decisions file: its configured path, in any case, saved
    as .xlsx, .xls or .ods."""
    name = decisions_name(plan)
    if not name:
        return False
    want, got = PurePosixPath(fold(name)), PurePosixPath(fold(rel))
    return got.with_suffix("") == want.with_suffix("") and got.suffix in SAVED_AS


def decisions_source(rel: str, path: Path, plan: Plan) -> SourceFile:
    """The decisions file as files.csv lists it: ignored as a return, read here."""
    src = SourceFile(file=rel, format=PurePosixPath(rel).suffix.lstrip(".").lower(), origin=path)
    src.status = FileStatus.IGNORED
    src.reason = msg.FILE_AWARD_DECISIONS.format(office=plan.review.get("office", ""))
    try:
        src.mtime = path.stat().st_mtime
        src.sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        src.reason = msg.FILE_UNREADABLE.format(error=exc)
    return src


def read_office_decisions(sources: list[SourceFile], plan: Plan) -> OfficeDecisions:
    """The rows of the decisions file among `sources` (none: an empty OfficeDecisions)."""
    found = [s for s in sources if s.origin is not None and not s.member and is_award_decisions(s.file, plan)]
    if not found:
        return OfficeDecisions()
    src = sorted(found, key=lambda s: (PurePosixPath(s.file).suffix != ".xlsx", s.file))[0]
    return read_decisions_file(src.file, src.origin, plan)


def _file_issue(file: str, text: str, sheet: str = "", cell: str = "", value: str = "") -> Issue:
    return Issue(file=file, sheet=sheet, cell=cell, column="", value=value, rule=Rule.DECISIONS_FILE,
                 severity=Severity.ERROR.value, message=text)


def read_decisions_file(rel: str, path: Path, plan: Plan) -> OfficeDecisions:
    """Read one decisions workbook; every problem is an issue of the result."""
    import python_calamine as calamine

    from pipeline.read.discover import FORMATS, sniff

    out = OfficeDecisions(file=rel)
    template = dict(template=TEMPLATE_NAME, name=decisions_name(plan))
    try:
        data = path.read_bytes()
    except OSError:
        out.issues.append(_file_issue(rel, msg.DEC_FILE_UNREADABLE.format(why=msg.DEC_WHY["corrupt"], **template)))
        return out
    if len(data) > plan.limits["max_file_bytes"]:
        out.issues.append(_file_issue(rel, msg.DEC_FILE_UNREADABLE.format(why=msg.DEC_WHY["too_large"], **template)))
        return out
    kind = sniff(data, plan)
    if kind not in FORMATS:
        why = "encrypted" if kind.startswith("encrypted") else "corrupt" if kind in ("corrupt_zip", "bomb") \
            else "not_workbook"
        out.issues.append(_file_issue(rel, msg.DEC_FILE_UNREADABLE.format(why=msg.DEC_WHY[why], **template)))
        return out
    try:
        wb = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = {name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in wb.sheet_names}
    except Exception:  # calamine raises several error types for broken files
        out.issues.append(_file_issue(rel, msg.DEC_FILE_UNREADABLE.format(why=msg.DEC_WHY["corrupt"], **template)))
        return out
    found = _find_sheet(sheets)
    if found is None:
        out.issues.append(_file_issue(rel, msg.DEC_NO_SHEET.format(sheet=DECISIONS_SHEET, **template)))
        return out
    out.sheet, header_row, columns = found
    missing = [c for c in DECISION_COLUMNS if c.key in REQUIRED_KEYS and c.key not in columns]
    if "unit_code" not in columns and "unit_name" not in columns:
        missing.insert(0, next(c for c in DECISION_COLUMNS if c.key == "unit_code"))
    if missing:
        for c in missing:
            out.issues.append(_file_issue(rel, msg.DEC_COLUMN_MISSING.format(sheet=out.sheet, header=c.header,
                                                                             **template), sheet=out.sheet))
        return out
    rows = sheets[out.sheet]
    out.headers = {key: str(rows[header_row][j]) for key, j in columns.items()}
    for i in range(header_row + 1, len(rows)):
        row = rows[i]
        values = {key: _cell(row, j) for key, j in columns.items()}
        if all(is_blank(v) for v in values.values()):
            continue
        out.rows.append(DecisionRow(i + 1, values, {key: f"{_letters(j)}{i + 1}" for key, j in columns.items()}))
    return out


def _cell(row: list, j: int):
    value = row[j] if j < len(row) else None
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


MIN_HEADERS = 3      # a row holding this many of the template's headers is the header row (its columns may lack some)


def _find_sheet(sheets: dict[str, list[list]]):
    """(sheet name, header row index, column key -> index) of the sheet holding the decisions: the template's
    sheet by name first, else any sheet with a row of the template's headers."""
    headers = {fold(c.header): c.key for c in DECISION_COLUMNS}
    ordered = sorted(sheets, key=lambda n: fold(n) != fold(DECISIONS_SHEET))
    for name in ordered:
        for i, row in enumerate(sheets[name][:HEADER_SCAN_ROWS]):
            columns = {}
            for j, value in enumerate(row):
                key = headers.get(fold(value)) if isinstance(value, str) else None
                if key and key not in columns:
                    columns[key] = j
            if len(columns) >= MIN_HEADERS:
                return name, i, columns
    return None


def _letters(j: int) -> str:
    out = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        out = chr(65 + r) + out
    return out
