"""What the reading stage hands on: each file found, its raw sheets, and the problems met so far."""
from __future__ import annotations

import datetime as dt
import io
import traceback
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from openpyxl.utils import get_column_letter

from schemas.codes import FileStatus

WORKBOOK_EXTS = {".xlsx", ".xlsm", ".xls", ".ods"}
WORKBOOK_FORMATS = {e.lstrip(".") for e in WORKBOOK_EXTS}
ZIP_EXTS = {".zip"}
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
    read_by: str = ""              # the reading that read the value under an assumption (pipeline.reading)


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
    readable: bool = False         # the workbook was read (its sheets may since have been released)
    error: str = ""                # developer details of a "lỗi chương trình" rejection (traceback)
    sender: str = ""               # the unit known to have sent it: its upload link, or its folder received/<code>/
    decision: str = ""             # the office's: "use" or "send_back" (pipeline.read.decisions)
    decision_reason: str = ""      # why the office sent it back, as the unit is told

    def reject(self, reason: str, status: str = FileStatus.REJECTED,
               error: BaseException | None = None) -> "SourceFile":
        self.status, self.reason, self.data = status, reason, None
        if error is not None:
            self.error = "".join(traceback.format_exception(error))
        return self


_OPENED: tuple[bytes, zipfile.ZipFile] | None = None


def open_package(data: bytes) -> zipfile.ZipFile:
    """The zip package of a workbook's bytes, opened once for the checks that read it one after the other (the
    content check, then the cell scan). One slot: the file being read; raises zipfile.BadZipFile."""
    global _OPENED
    if _OPENED is None or _OPENED[0] is not data:
        _OPENED = None
        _OPENED = (data, zipfile.ZipFile(io.BytesIO(data)))
    return _OPENED[1]


@lru_cache(maxsize=256)
def letter(index: int) -> str:
    """0 -> "A": the letter of a zero-based column index."""
    return get_column_letter(index + 1)


class _NoCachedValue:
    """A formula cell saved without its computed value (by a tool that never calculates)."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NO_CACHED_VALUE"

    def __reduce__(self):
        return (_NoCachedValue, ())


NO_CACHED_VALUE = _NoCachedValue()
