"""Stage 1: find every file in `inputs/`, guard it, and read its sheets raw.

Only this stage (and the writer at the end) touches the file system. Reading
uses python-calamine, which reads .xlsx, .xlsm, .xls and .ods without running
anything; bombs are refused before any XML is parsed.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import traceback
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath

import python_calamine as calamine
from openpyxl.utils import get_column_letter
from rapidfuzz import fuzz

from pipeline import messages as msg, xlsx_cells
from pipeline.config import Plan
from pipeline.text import fold, fold_heading, nfc, strip_accents
from pipeline.values import NO_CACHED_VALUE, is_blank
from schemas import SHEETS, SheetSpec, sheet_spec

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
class TotalRow:
    """A "Tổng cộng" row a clerk added under a table: skipped, and checked against the rows above."""

    excel_row: int
    values: list                   # raw values, in spec column order
    label_cell: str                # where the word "Tổng cộng" is
    label: str


@dataclass
class RawSheet:
    """The cells of one sheet of one file, laid out as the spec's columns."""

    records: list[list]            # one list of raw values per record, in spec column order
    excel_rows: list[int]          # the Excel row of each record (forms: the first field's row)
    addresses: dict[str, str] | None = None   # forms: column -> cell address
    letters: dict[str, str] | None = None     # tables: column -> column letter
    totals: list[TotalRow] = field(default_factory=list)
    sheet_name: str = ""           # the sheet's name in this workbook
    percent_cells: set[str] | None = None     # cells with a percent number format (None: format unknown)


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

    report_date: dt.date | None = None   # read from sheet 1 once the unit is known
    error: str = ""                # developer details of a "lỗi chương trình" rejection (traceback)

    def reject(self, reason: str, status: str = "rejected", error: BaseException | None = None) -> "SourceFile":
        self.status, self.reason, self.data = status, reason, None
        if error is not None:
            self.error = "".join(traceback.format_exception(error))
        return self


@lru_cache(maxsize=256)
def _letter(index: int) -> str:
    """0 -> "A": the letter of a zero-based column index."""
    return get_column_letter(index + 1)


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

# Sheets of the template that hold no data, and the problem-list sheet of a feedback copy.
NON_DATA_SHEETS = {fold_heading(n) for n in (msg.INSTRUCTIONS_SHEET, msg.LISTS_SHEET, msg.FEEDBACK_SHEET)}
# "4. Mô hình Dân vận khéo (2)", "... - Copy", "... (bản sao)": a copy of a template sheet.
_COPY_SUFFIX = re.compile(
    r"^(?P<base>.*?)\s*(?:\(\s*\d+\s*\)|_\d+|[-_ ]+\s*(?:copy|ban sao)(?:\s*\(?\s*\d+\s*\)?)?|\(\s*(?:copy|ban sao)\s*\d*\s*\))$")
_SHEET_NUMBER = re.compile(r"^\s*(?:sheet\s*|bieu\s*|mau\s*)?(\d+)\b")
SHEET_FUZZY_ACCEPT = 80
TOTAL_WORDS = ("tong cong", "tong so", "tong", "cong", "total")


def read_workbook(src: SourceFile, plan: Plan) -> SourceFile:
    """Fill `src.sheets` with the raw records of every sheet of the template."""
    try:
        data = src.load()
        wb = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except calamine.PasswordError:
        return src.reject(msg.FILE_ENCRYPTED)
    except Exception:  # calamine raises several error types for broken files
        return src.reject(msg.FILE_CORRUPT)
    try:
        _read_sheets(src, wb, data, plan)
    except Exception as exc:  # noqa: BLE001 (a bug here must cost this file only)
        src.sheets.clear()
        return src.reject(msg.FILE_INTERNAL_ERROR, status="rejected", error=exc)
    finally:
        wb.close()
    return src


def _read_sheets(src: SourceFile, wb, data: bytes, plan: Plan) -> None:
    chosen = match_sheets(list(wb.sheet_names))
    src.template_version = _find_stamp(wb, chosen)
    flags = {}
    if src.format in ("xlsx", "xlsm"):
        wanted = [a for m in chosen.values() for a in m.candidates]
        percent = {a for name, m in chosen.items() for a in m.candidates if sheet_spec(name).percent_columns}
        flags = xlsx_cells.scan(data, wanted, percent)
    for spec in SHEETS:
        found = chosen.get(spec.name)
        if found is None:
            src.issues.append(_structural(src, spec.sheet, "", "sheet.missing", msg.SHEET_MISSING.format(sheet=spec.sheet)))
            continue
        read = {}
        for actual in found.candidates:
            try:
                sheet = wb.get_sheet_by_name(actual)
                rows = _unmerge(sheet.to_python(skip_empty_area=False), sheet.merged_cell_ranges)
            except Exception:  # noqa: BLE001 (calamine: one unreadable sheet)
                src.issues.append(_structural(src, actual, "", "sheet.unreadable", msg.SHEET_UNREADABLE.format(sheet=actual)))
                continue
            sheet_flags = flags.get(actual)
            if sheet_flags is not None:
                rows = _apply_flags(rows, sheet_flags)
            reader = _read_form if spec.layout == "form" else _read_table
            raw = reader(src, spec, actual, rows)
            if raw is not None:
                raw.percent_cells = sheet_flags.percent if sheet_flags is not None else None
                read[actual] = raw
        picked = _pick_copy(src, spec, found, read)
        if picked is not None:
            src.sheets[spec.name] = picked


@dataclass
class SheetMatch:
    """The sheet(s) of a workbook that hold one template sheet: the original first, then copies."""

    original: str | None
    copies: list[str]
    assumed: bool = False          # the original's name was matched loosely

    @property
    def candidates(self) -> list[str]:
        return ([self.original] if self.original else []) + self.copies


def match_sheets(names: list[str]) -> dict[str, SheetMatch]:
    """Template sheet name -> the workbook's sheets holding it, matched as loosely as is unambiguous."""
    specs = {spec.name: fold_heading(spec.sheet) for spec in SHEETS}
    numbers = {spec.name: _sheet_number(spec.sheet) for spec in SHEETS}
    exact = {v: k for k, v in specs.items()}
    out: dict[str, SheetMatch] = {}
    copies: list[tuple[str, str]] = []   # (actual, folded base)
    loose: list[str] = []
    for name in names:
        key = fold_heading(name)
        if key in NON_DATA_SHEETS:
            continue
        if key in exact and exact[key] not in out:
            as_typed = nfc(name).casefold() == nfc(sheet_spec(exact[key]).sheet).casefold()
            out[exact[key]] = SheetMatch(name, [], assumed=not as_typed)
            continue
        base = _COPY_SUFFIX.match(strip_accents(nfc(name)).casefold())
        if base and base["base"].strip():
            spec_name = exact.get(fold_heading(base["base"])) or _closest_sheet(base["base"], specs, numbers, set())
            if spec_name:
                copies.append((name, spec_name))
                continue
        loose.append(name)
    for name in loose:  # a renamed, abbreviated or mistyped sheet name: the one clear best template sheet
        spec_name = _closest_sheet(name, specs, numbers, taken=set(out))
        if spec_name:
            out[spec_name] = SheetMatch(name, [], assumed=True)
    for name, spec_name in copies:
        match = out.setdefault(spec_name, SheetMatch(None, []))
        match.copies.append(name)
    return out


def _sheet_number(name: str) -> str:
    m = _SHEET_NUMBER.match(fold(name))
    return m.group(1) if m else ""


_SHEET_PREFIX = re.compile(r"^\s*(?:sheet|bieu|mau|phu luc)\s*\d+\s*[-.:)]?\s*")


def _closest_sheet(name: str, specs: dict[str, str], numbers: dict[str, str], taken: set[str]) -> str | None:
    """The template sheet a renamed sheet stands for: read as loosely as a dropdown value, else by similarity."""
    from pipeline.values import Choices

    number = _sheet_number(name)
    label, _problem = _sheet_choices().match(_SHEET_PREFIX.sub("", fold(name)) or fold(name))
    by_label = {sheet_spec(n).sheet: n for n in specs}
    if label and by_label[label] not in taken and (not number or number == numbers[by_label[label]]):
        return by_label[label]
    key = fold_heading(name)
    scores = {}
    for spec_name, folded in specs.items():
        if spec_name in taken:
            continue
        score = max(fuzz.token_set_ratio(key, folded), fuzz.ratio(key, folded)) if key else 0
        if number:
            score += 15 if number == numbers[spec_name] else -15
        scores[spec_name] = score
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < SHEET_FUZZY_ACCEPT:
        return None
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < 5:
        return None
    return ranked[0][0]


@lru_cache(maxsize=1)
def _sheet_choices():
    from pipeline.values import Choices

    return Choices([spec.sheet for spec in SHEETS])


def _has_data(spec: SheetSpec, raw: RawSheet) -> bool:
    """Whether a sheet holds anything the unit typed (prefilled key cells do not count)."""
    typed = [i for i, c in enumerate(spec.columns) if not c.key]
    return any(not is_blank(record[i]) for record in raw.records for i in typed)


def _pick_copy(src: SourceFile, spec: SheetSpec, found: SheetMatch, read: dict[str, RawSheet]) -> RawSheet | None:
    """The sheet to read among the original and its copies; a conflict is an error naming both."""
    if found.assumed and found.original in read:
        src.issues.append(_notice(src, found.original, "sheet.assumed", msg.SHEET_ASSUMED.format(
            actual=found.original, sheet=spec.sheet)))
    if not found.copies:
        return read.get(found.original) if found.original else None
    filled = [name for name in found.candidates if name in read and _has_data(spec, read[name])]
    if not filled:
        return read.get(found.original) if found.original in read else next(iter(read.values()), None)
    used = filled[0]
    for other in filled[1:]:
        src.issues.append(_structural(src, other, "", "sheet.copy_conflict", msg.SHEET_COPY_CONFLICT.format(
            copy=other, used=used)))
    if used != found.original:
        src.issues.append(_notice(src, used, "sheet.copy_used", msg.SHEET_COPY_USED.format(
            copy=used, sheet=found.original or spec.sheet)))
    return read[used]


def _apply_flags(rows: list[list], flags: xlsx_cells.SheetFlags) -> list[list]:
    """Put what calamine left blank back into the cells: uncalculated formulas and error values."""
    for address, marker in [*((a, NO_CACHED_VALUE) for a in flags.no_value), *flags.errors.items()]:
        r, c = xlsx_cells.address_index(address)
        if r < len(rows) and c < len(rows[r]) and rows[r][c] == "":
            rows[r][c] = marker
    return rows


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


def _find_stamp(wb, chosen: dict[str, SheetMatch]) -> str:
    """The template version written on the instructions sheet, wherever that sheet now is."""
    prefix = fold(msg.STAMP_PREFIX)
    data_sheets = {a for m in chosen.values() for a in m.candidates}
    names = sorted((n for n in wb.sheet_names if n not in data_sheets),
                   key=lambda n: fold_heading(n) != fold_heading(msg.INSTRUCTIONS_SHEET))
    for name in names:
        try:
            first = wb.get_sheet_by_name(name).to_python(nrows=5)
        except Exception:  # noqa: BLE001 (an unreadable extra sheet holds no stamp)
            continue
        for row in first:
            for value in row:
                text = fold(value) if isinstance(value, str) else ""
                if text.startswith(prefix):
                    return str(value).split(":", 1)[1].strip()
    return ""


def _structural(src: SourceFile, sheet: str, cell: str, rule: str, message: str, column: str = "") -> Issue:
    return Issue(file=src.file, sheet=sheet, cell=cell, column=column, value="", rule=rule,
                 severity="error", message=message + msg.SEVERITY_SUFFIX[("error", "sheet")])


def _notice(src: SourceFile, sheet: str, rule: str, message: str, cell: str = "", column: str = "") -> Issue:
    return Issue(file=src.file, sheet=sheet, cell=cell, column=column, value="", rule=rule,
                 severity="warning", message=message + msg.SEVERITY_SUFFIX[("warning", "sheet")])


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
        src.issues.append(_structural(src, actual, "", "sheet.no_header", msg.SHEET_NO_HEADER.format(sheet=actual)))
        return None
    missing = [c for c in spec.columns if c.name not in mapping]
    for col in missing:
        text = msg.COLUMN_MISSING.format(header=col.header, sheet=actual)
        if col.required:
            src.issues.append(_structural(src, actual, f"A{header_row + 1}", "column.missing", text, col.name))
        else:
            src.issues.append(_notice(src, actual, "column.missing", text, f"A{header_row + 1}", col.name))
    if any(c.required for c in missing):
        return None
    cols = [mapping.get(c.name) for c in spec.columns]
    records, excel_rows, totals = [], [], []
    for r in range(header_row + 1, len(rows)):
        row = rows[r]
        values = [row[j] if j is not None and j < len(row) else None for j in cols]
        if all(is_blank(v) for v in values):
            continue  # blank rows (trailing or between records) are not records
        label = _total_label(row)
        if label is not None:
            totals.append(TotalRow(excel_row=r + 1, values=values, label_cell=f"{_letter(label)}{r + 1}",
                                   label=str(row[label])))
            continue
        records.append(values)
        excel_rows.append(r + 1)
    letters = {c.name: _letter(mapping[c.name]) for c in spec.columns if c.name in mapping}
    return RawSheet(records=records, excel_rows=excel_rows, letters=letters, totals=totals, sheet_name=actual)


def _total_label(row: list) -> int | None:
    """The column of the "Tổng cộng" label when the row is a total row a clerk added under a table."""
    for j, value in enumerate(row):
        if is_blank(value):
            continue
        if not isinstance(value, str):
            return None
        key = fold(value).rstrip(" :.")
        return j if key in TOTAL_WORDS or key.startswith(("tong cong ", "tong so ")) else None
    return None


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
        src.issues.append(_structural(src, actual, "", "sheet.no_header", msg.SHEET_NO_HEADER.format(sheet=actual)))
        return None
    values, addresses = [], {}
    for col in spec.columns:
        if col.name not in positions:
            sev = "error" if col.required else "warning"
            src.issues.append(Issue(file=src.file, sheet=actual, cell="", column=col.name, value="",
                                    rule="field.missing", severity=sev,
                                    message=msg.FIELD_MISSING.format(header=col.header, sheet=actual)
                                    + msg.SEVERITY_SUFFIX[(sev, "field")]))
            values.append(None)
            addresses[col.name] = ""
            continue
        r, j = positions[col.name]
        row = rows[r]
        values.append(row[j] if j < len(row) else None)
        addresses[col.name] = f"{_letter(j)}{r + 1}"
    first_row = min(r for r, _ in positions.values()) + 1
    return RawSheet(records=[values], excel_rows=[first_row], addresses=addresses, sheet_name=actual)


def sheet_values(data: bytes) -> dict[str, list[list]]:
    """Every sheet's cell values, for rebuilding an .xls/.ods as .xlsx."""
    wb = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    try:
        return {name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in wb.sheet_names}
    finally:
        wb.close()


def guess_unit_from_name(rel: str, plan: Plan) -> str:
    """The unit a file seems to come from, by its file name alone (or '' when none or several match)."""
    def words(text: str) -> str:
        return " " + _SEPARATORS.sub(" ", fold(text)).strip() + " "

    stem = words(PurePosixPath(rel).stem)
    hits = {u.unit_code for u in plan.units
            for name in (u.unit_code, u.unit_name, *u.aliases) if len(fold(name)) > 4 and words(name) in stem}
    return hits.pop() if len(hits) == 1 else ""


_SEPARATORS = re.compile(r"[\s_.\-]+")
