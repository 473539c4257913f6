"""Stage 1: find every file in `inputs/`, guard it, and read its sheets raw.

Only this stage (and the writer at the end) touches the file system. Reading
uses python-calamine, which reads .xlsx, .xlsm, .xls and .ods without running
anything; bombs are refused before any XML is parsed.
"""
from __future__ import annotations

import hashlib
import io
import zipfile
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import python_calamine as calamine

from pipeline import messages as msg
from pipeline.config import Plan
from pipeline.text import fold, fold_heading
from pipeline.values import is_blank
from schemas import SHEETS, SheetSpec

WORKBOOK_EXTS = {".xlsx", ".xlsm", ".xls", ".ods"}
WORKBOOK_FORMATS = {e.lstrip(".") for e in WORKBOOK_EXTS}
ZIP_EXTS = {".zip"}
HEADER_SCAN_ROWS = 15
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class Issue:
    file: str
    sheet: str
    cell: str
    column: str
    value: str
    rule: str
    severity: str
    message: str
    unit_code: str = ""
    excel_row: int | None = None


@dataclass
class RawSheet:
    """The cells of one sheet of one file, laid out as the spec's columns."""

    records: list[list]            # one list of raw values per record, in spec column order
    excel_rows: list[int]          # the Excel row of each record (forms: the first field's row)
    addresses: dict[str, str] | None = None   # forms: column -> cell address
    letters: dict[str, str] | None = None     # tables: column -> column letter


@dataclass
class SourceFile:
    file: str                      # path relative to inputs/ ("a.zip/b.xlsx" inside an archive)
    format: str
    data: bytes | None = None
    sha256: str = ""
    status: str = ""               # set by later stages; "rejected"/"ignored" here when unreadable
    reason: str = ""
    template_version: str = ""
    sheets: dict[str, RawSheet] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    unit_code: str = ""
    mtime: float = 0.0
    origin: Path | None = None     # the file on disk (the archive, for a member of a .zip)
    member: str = ""               # the member's name inside `origin` when it is an archive

    def load(self) -> bytes:
        """The file's bytes, read again when needed so that a big run never holds them all."""
        if self.data is not None:
            return self.data
        if self.member:
            with zipfile.ZipFile(self.origin) as zf:
                return zf.read(self.member)
        return self.origin.read_bytes()

    def reject(self, reason: str, status: str = "rejected") -> "SourceFile":
        self.status, self.reason, self.data = status, reason, None
        return self


# -- discovery -----------------------------------------------------------------

def discover(inputs: Path, plan: Plan) -> list[SourceFile]:
    """Every file under `inputs/`, archives opened; nothing is skipped silently."""
    found: list[SourceFile] = []
    for path in sorted(p for p in inputs.rglob("*") if p.is_file()):
        rel = path.relative_to(inputs).as_posix()
        if rel in ("README.md", ".gitkeep"):
            continue
        found.extend(_classify(rel, path, plan))
    return found


def _classify(rel: str, path: Path, plan: Plan) -> list[SourceFile]:
    name = PurePosixPath(rel).name
    ext = PurePosixPath(name).suffix.lower()
    src = SourceFile(file=rel, format=ext.lstrip(".") or "?")
    try:
        src.mtime = path.stat().st_mtime
        size = path.stat().st_size
    except OSError as exc:
        return [src.reject(msg.FILE_UNREADABLE.format(error=exc))]
    if name.startswith("~$"):
        return [src.reject(msg.FILE_LOCK, "ignored")]
    if any(part.startswith(".") for part in PurePosixPath(rel).parts):
        return [src.reject(msg.FILE_HIDDEN, "ignored")]
    if size > plan.limits["max_file_bytes"]:
        return [src.reject(msg.FILE_TOO_LARGE.format(mb=plan.limits["max_file_bytes"] // 1_000_000))]
    data = path.read_bytes()
    src.sha256 = hashlib.sha256(data).hexdigest()
    if ext in ZIP_EXTS:
        return [src] + _open_archive(rel, data, plan, src, path)
    src.data, src.origin = data, path
    return [_release(_check_content(src, ext, plan))]


def _release(src: SourceFile) -> SourceFile:
    """Drop the bytes after the checks; `read_workbook` loads them again."""
    src.data = None
    return src


def _open_archive(rel: str, data: bytes, plan: Plan, archive: SourceFile, path: Path) -> list[SourceFile]:
    """Members of an e-mailed .zip, under the same bomb guards as a workbook."""
    archive.status = "ignored"
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        problem = _zip_guard(zf, len(data), plan)
    except zipfile.BadZipFile:
        archive.reject(msg.FILE_CORRUPT)
        return []
    if problem:
        archive.reject(problem)
        return []
    archive.reason = msg.FILE_ARCHIVE
    members = []
    for info in sorted(zf.infolist(), key=lambda i: i.filename):
        if info.is_dir():
            continue
        member_rel = f"{rel}/{info.filename}"
        name = PurePosixPath(info.filename).name
        ext = PurePosixPath(name).suffix.lower()
        src = SourceFile(file=member_rel, format=ext.lstrip(".") or "?", mtime=archive.mtime,
                         origin=path, member=info.filename)
        if name.startswith("~$"):
            members.append(src.reject(msg.FILE_LOCK, "ignored"))
            continue
        if any(p.startswith(".") or p == "__MACOSX" for p in PurePosixPath(info.filename).parts):
            members.append(src.reject(msg.FILE_HIDDEN, "ignored"))
            continue
        if ext in ZIP_EXTS:
            members.append(src.reject(msg.FILE_NESTED_ARCHIVE))
            continue
        try:
            src.data = zf.read(info)
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError):
            members.append(src.reject(msg.FILE_CORRUPT))
            continue
        src.sha256 = hashlib.sha256(src.data).hexdigest()
        members.append(_release(_check_content(src, ext, plan)))
    return members


def _zip_guard(zf: zipfile.ZipFile, packed: int, plan: Plan) -> str:
    """A reason to refuse a zip container (a bomb or a trap), or ''."""
    limits = plan.limits
    infos = zf.infolist()
    total = sum(i.file_size for i in infos)
    if len(infos) > max(limits["max_zip_members"], 1000):
        return msg.FILE_BOMB
    if total > limits["max_uncompressed_bytes"]:
        return msg.FILE_BOMB
    if packed and total / packed > limits["max_compression_ratio"]:
        return msg.FILE_BOMB
    for info in infos:
        if info.compress_size and info.file_size / info.compress_size > limits["max_compression_ratio"] * 10:
            return msg.FILE_BOMB
    return ""


def _check_content(src: SourceFile, ext: str, plan: Plan) -> SourceFile:
    """Refuse what is not a readable workbook before calamine sees it."""
    data = src.data or b""
    if ext not in WORKBOOK_EXTS:
        return src.reject(msg.FILE_NOT_WORKBOOK.format(ext=ext or "(không có đuôi)"))
    if not data:
        return src.reject(msg.FILE_EMPTY)
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<table", b"<meta")) or b"<html" in head:
        return src.reject(msg.FILE_HTML)
    if data.startswith(OLE_MAGIC):
        if ext != ".xls" or b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in data:
            return src.reject(msg.FILE_ENCRYPTED)
        return src
    if data.startswith(ZIP_MAGIC):
        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
            problem = _zip_guard(zf, len(data), plan)
            names = set(zf.namelist())
        except zipfile.BadZipFile:
            return src.reject(msg.FILE_CORRUPT)
        if problem:
            return src.reject(problem)
        if "xl/workbook.xml" not in names and "content.xml" not in names:
            if "word/document.xml" in names:
                return src.reject(msg.FILE_WORD)
            return src.reject(msg.FILE_NOT_WORKBOOK.format(ext=ext))
        return src
    return src.reject(msg.FILE_CORRUPT)


# -- reading -------------------------------------------------------------------

def read_workbook(src: SourceFile, plan: Plan) -> SourceFile:
    """Fill `src.sheets` with the raw records of every sheet of the template."""
    try:
        wb = calamine.CalamineWorkbook.from_filelike(io.BytesIO(src.load()))
    except calamine.PasswordError:
        return src.reject(msg.FILE_ENCRYPTED)
    except Exception:  # calamine raises several error types for broken files
        return src.reject(msg.FILE_CORRUPT)
    try:
        names = {fold_heading(n): n for n in wb.sheet_names}
        src.template_version = _find_stamp(wb, plan)
        for spec in SHEETS:
            actual = names.get(fold_heading(spec.sheet))
            if actual is None:
                src.issues.append(_structural(src, spec, "", "", "sheet.missing", msg.SHEET_MISSING.format(sheet=spec.sheet)))
                continue
            try:
                sheet = wb.get_sheet_by_name(actual)
                rows = _unmerge(sheet.to_python(skip_empty_area=False), sheet.merged_cell_ranges)
            except Exception:
                src.issues.append(_structural(src, spec, "", "", "sheet.unreadable", msg.SHEET_UNREADABLE.format(sheet=actual)))
                continue
            reader = _read_form if spec.layout == "form" else _read_table
            sheet = reader(src, spec, actual, rows)
            if sheet is not None:
                src.sheets[spec.name] = sheet
    except Exception:
        return src.reject(msg.FILE_CORRUPT)
    finally:
        wb.close()
    return src


def _unmerge(rows: list[list], merged) -> list[list]:
    """Spread the text of a merged cell over the cells it covers, as a reader sees it.

    Numbers are left in the top-left cell only: spreading them would count them twice.
    """
    for (r0, c0), (r1, c1) in merged or ():
        if r0 >= len(rows) or c0 >= len(rows[r0]) or not isinstance(rows[r0][c0], str):
            continue
        value = rows[r0][c0]
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            for c in range(c0, min(c1, len(rows[r]) - 1) + 1):
                if (r, c) != (r0, c0) and rows[r][c] == "":
                    rows[r][c] = value
    return rows


def _find_stamp(wb, plan: Plan) -> str:
    prefix = fold(msg.STAMP_PREFIX)
    try:
        first = wb.get_sheet_by_index(0).to_python(nrows=5)
    except Exception:
        return ""
    for row in first:
        for value in row:
            text = fold(value) if isinstance(value, str) else ""
            if text.startswith(prefix):
                return str(value).split(":", 1)[1].strip()
    return ""


def _structural(src: SourceFile, spec: SheetSpec, cell: str, column: str, rule: str, message: str) -> Issue:
    return Issue(file=src.file, sheet=spec.sheet, cell=cell, column=column, value="", rule=rule,
                 severity="error", message=message + msg.SEVERITY_SUFFIX["sheet_error"])


@lru_cache(maxsize=256)
def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _read_table(src: SourceFile, spec: SheetSpec, actual: str, rows: list[list]) -> RawSheet | None:
    wanted = {fold_heading(c.header): c.name for c in spec.columns}
    header_row, mapping = -1, {}
    for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        found = {}
        for j, value in enumerate(row):
            name = wanted.get(fold_heading(value)) if isinstance(value, str) and value else None
            if name and name not in found:
                found[name] = j
        if len(found) > len(mapping):
            header_row, mapping = r, found
            if len(found) == len(spec.columns):
                break  # every header found: no need to look further
    if len(mapping) < max(1, len(spec.columns) // 2):
        src.issues.append(_structural(src, spec, "", "", "sheet.no_header", msg.SHEET_NO_HEADER.format(sheet=actual)))
        return None
    missing = [c for c in spec.columns if c.name not in mapping]
    for col in missing:
        rule, text = "column.missing", msg.COLUMN_MISSING.format(header=col.header, sheet=actual)
        if col.required:
            src.issues.append(_structural(src, spec, f"{_letter(0)}{header_row + 1}", col.name, rule, text))
        else:
            src.issues.append(Issue(file=src.file, sheet=spec.sheet, cell=f"A{header_row + 1}", column=col.name, value="",
                                    rule=rule, severity="warning", message=text + msg.SEVERITY_SUFFIX["warning"]))
    if any(c.required for c in missing):
        return None
    cols = [mapping.get(c.name) for c in spec.columns]
    records, excel_rows = [], []
    for r in range(header_row + 1, len(rows)):
        row = rows[r]
        values = [row[j] if j is not None and j < len(row) else None for j in cols]
        if all(is_blank(v) for v in values):
            continue  # blank rows (trailing or between records) are not records
        records.append(values)
        excel_rows.append(r + 1)
    letters = {c.name: _letter(mapping[c.name]) for c in spec.columns if c.name in mapping}
    return RawSheet(records=records, excel_rows=excel_rows, letters=letters)


def _read_form(src: SourceFile, spec: SheetSpec, actual: str, rows: list[list]) -> RawSheet | None:
    wanted = {fold_heading(c.header): c.name for c in spec.columns}
    positions: dict[str, tuple[int, int]] = {}
    for r, row in enumerate(rows):
        for j, value in enumerate(row[:3]):
            name = wanted.get(fold_heading(value)) if isinstance(value, str) else None
            if name and name not in positions:
                positions[name] = (r, j + 1)
                break
    if not positions:
        src.issues.append(_structural(src, spec, "", "", "sheet.no_header", msg.SHEET_NO_HEADER.format(sheet=actual)))
        return None
    values, addresses = [], {}
    for col in spec.columns:
        if col.name not in positions:
            sev = "error" if col.required else "warning"
            src.issues.append(Issue(file=src.file, sheet=spec.sheet, cell="", column=col.name, value="",
                                    rule="field.missing", severity=sev,
                                    message=msg.FIELD_MISSING.format(header=col.header, sheet=actual)
                                    + msg.SEVERITY_SUFFIX[sev]))
            values.append(None)
            addresses[col.name] = ""
            continue
        r, j = positions[col.name]
        row = rows[r]
        values.append(row[j] if j < len(row) else None)
        addresses[col.name] = f"{_letter(j)}{r + 1}"
    first_row = min(r for r, _ in positions.values()) + 1
    return RawSheet(records=[values], excel_rows=[first_row], addresses=addresses)


def sheet_values(data: bytes) -> dict[str, list[list]]:
    """Every sheet's cell values, for rebuilding an .xls/.ods as .xlsx."""
    wb = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    try:
        return {name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in wb.sheet_names}
    finally:
        wb.close()


def guess_unit_from_name(rel: str, plan: Plan) -> str:
    """The unit a rejected file seems to come from, by its file name alone (or '')."""
    stem = fold(PurePosixPath(rel).stem.replace("_", " "))
    hits = {u.unit_code for u in plan.units
            for name in (u.unit_code.replace("_", " "), *u.aliases) if len(fold(name)) > 4 and fold(name) in stem}
    return hits.pop() if len(hits) == 1 else ""
