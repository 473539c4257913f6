"""Stage 1b: read the sheets of each workbook raw, with python-calamine.

calamine reads .xlsx, .xlsm, .xls and .ods without running anything. Each
template sheet becomes a `RawSheet`: the cell values laid out as the schema's
columns, with the Excel row and address of each, and the total rows a clerk
added underneath. Nothing is parsed or judged here beyond the layout.
"""
from __future__ import annotations

import io
import re

import python_calamine as calamine
from rapidfuzz import fuzz

from pipeline import messages as msg
from pipeline.config import Plan
from pipeline.read import xlsx_cells
from pipeline.read.headers import Headers, headers_of
from pipeline.read.sheets import NON_DATA_SHEETS, SheetMatch, match_sheets, notice, pick_copy, structural
from pipeline.read.sources import NO_CACHED_VALUE, Issue, RawSheet, SourceFile, TotalRow, letter
from pipeline.text import DASH_CHARS, fold, fold_heading, from_tcvn3, is_blank, may_hold_tcvn3, nfc
from schemas import SheetSpec
from schemas.fields import DATE, TEXT, YEAR
from schemas.rules import Rule

HEADER_SCAN_ROWS = 15
TOTAL_WORDS = ("tong cong", "tong so", "tong", "cong", "total")
# The first words (folded) of what Vietnamese forms carry under a table: a note, the signature block.
# Such a row, with at most SIGNATURE_CELLS text cells and no number, ends the table: it and the short
# text rows under it (the signers' names) are not records. A fuller row below is read as a record again.
SIGNATURE_WORDS = ("ghi chu", "nguoi lap", "nguoi ky", "thu truong", "chu tich", "pho chu tich", "giam doc",
                   "truong phong", "truong ban", "bi thu", "noi nhan", "xac nhan", "ky ten", "tm ", "t/m", "kt ",
                   "k/t", "ket luan")
SIGNATURE_CELLS = 3
# A group heading a clerk typed inside a table ("I. XÃ, PHƯỜNG", "2. Lĩnh vực văn hóa", "Phần B: …"): one text
# cell alone on its row, in a table whose record needs HEADING_MIN_FIELDS required cells or more, numbered
# (roman, letter or number, then . ) - or :) or in capitals or opened by one of HEADING_WORDS.
HEADING_MIN_FIELDS = 3
SPREAD_KINDS = (YEAR, DATE)   # merged over several rows, a number or date of these kinds belongs to each row
HEADING_NUMBER = re.compile(rf"\s*(?:[IVXLC]{{1,6}}|[A-Za-zĐđ]|\d{{1,2}}(?:\.\d{{1,2}})*)\s*[.):\-{DASH_CHARS}]\s*\w")
HEADING_WORDS = ("phan ", "muc ", "nhom ", "khoi ", "linh vuc ", "cap ", "chuong ")


def read_workbook(src: SourceFile, plan: Plan) -> SourceFile:
    """Fill `src.sheets` with the raw records of every sheet of the template."""
    try:
        data = src.load()
        if src.format in ("xlsx", "xlsm"):
            data = xlsx_cells.without_empty_tail(data)   # a formula filled down a million rows holds nothing
        wb = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except calamine.PasswordError:
        return src.reject(msg.FILE_ENCRYPTED)
    except Exception:  # calamine raises several error types for broken files
        return src.reject(msg.FILE_CORRUPT)
    try:
        _read_sheets(src, wb, data, plan)
    except Exception as exc:  # a bug here must cost this file only
        src.sheets.clear()
        return src.reject(msg.FILE_INTERNAL_ERROR, error=exc)
    finally:
        wb.close()
    return src


def _read_sheets(src: SourceFile, wb, data: bytes, plan: Plan) -> None:
    chosen = match_sheets(list(wb.sheet_names), plan.sheets)
    hidden = {m.name for m in wb.sheets_metadata if m.visible != calamine.SheetVisibleEnum.Visible}
    if len(chosen) < len(plan.sheets):
        chosen.update(_matched_by_content(wb, chosen, plan.sheets))
    src.template_version = _find_stamp(wb, chosen)
    flags = {}
    if src.format in ("xlsx", "xlsm"):
        wanted = [a for m in chosen.values() for a in m.candidates]
        flags = xlsx_cells.scan(data, wanted)
    for spec in plan.sheets:
        found = chosen.get(spec.name)
        if found is None:
            if spec.optional:   # nothing to list (no proposal): the same as the sheet left empty, said
                src.issues.append(notice(src, spec.sheet, Rule.SHEET_MISSING, msg.SHEET_MISSING_OPTIONAL.format(sheet=spec.sheet)))
            else:
                src.issues.append(structural(src, spec.sheet, "", Rule.SHEET_MISSING, msg.SHEET_MISSING.format(sheet=spec.sheet)))
            continue
        read = {}
        for actual in found.candidates:
            try:
                sheet = wb.get_sheet_by_name(actual)
                rows = _from_tcvn3(src, actual, sheet.to_python(skip_empty_area=False))
                rows, merged = _unmerge(rows, sheet.merged_cell_ranges)
            except Exception:  # calamine: one unreadable sheet
                src.issues.append(structural(src, actual, "", Rule.SHEET_UNREADABLE, msg.SHEET_UNREADABLE.format(sheet=actual)))
                continue
            sheet_flags = flags.get(actual)
            if sheet_flags is not None:
                rows = _apply_flags(rows, sheet_flags)
            raw = _read_form(src, spec, actual, rows) if spec.layout == "form" else \
                _read_table(src, spec, actual, rows, merged)
            if raw is not None and sheet_flags is not None and spec.layout == "table":
                _hidden_records(src, actual, raw, sheet_flags.hidden_rows)
            if raw is not None:
                raw.percent_cells = _percent_cells(src, spec, raw, data, actual)
                read[actual] = raw
        picked = pick_copy(src, spec, found, read, hidden)
        if picked is not None:
            src.sheets[spec.name] = picked


CONTENT_MATCH = 0.6   # share of a template sheet's columns (or form fields) a renamed sheet must show to be it


def _matched_by_content(wb, chosen: dict[str, SheetMatch], sheets: tuple[SheetSpec, ...]) -> dict[str, SheetMatch]:
    """Template sheets no sheet name stands for, found by what the other sheets hold: a sheet named "Sheet3",
    "Biểu 2" or "Copy of 8. Khen thưởng theo thẩ" (a copy's name cut at Excel's 31 characters) whose header row
    shows most of a missing sheet's columns (a form: its field labels) is that sheet."""
    used = {a for m in chosen.values() for a in m.candidates}
    missing = [spec for spec in sheets if spec.name not in chosen]
    found: dict[str, SheetMatch] = {}
    for name in wb.sheet_names:
        if name in used or fold_heading(name) in NON_DATA_SHEETS:
            continue
        try:
            rows = wb.get_sheet_by_name(name).to_python(nrows=HEADER_SCAN_ROWS + 20)
        except Exception:  # an unreadable extra sheet stands for nothing
            continue
        fits = [(_fit(spec, rows), spec.name) for spec in missing if spec.name not in found]
        share, spec_name = max(fits, default=(0.0, ""))
        if share >= CONTENT_MATCH and sum(f == share for f, _ in fits) == 1:
            found[spec_name] = SheetMatch(name, [], assumed=True, by_content=True)
    return found


def _fit(spec: SheetSpec, rows: list[list]) -> float:
    """The share of a template sheet's columns (a form's fields) found in these rows, headers retyped or not."""
    if spec.layout == "form":
        return len(_form_labels(rows, headers_of(spec))[0]) / len(spec.columns)
    return len(_header_rows(rows, headers_of(spec))[2]) / len(spec.columns)


def _hidden_records(src: SourceFile, actual: str, raw: RawSheet, hidden: set[int]) -> None:
    """A record on a hidden row is still counted, and the unit is told: a reviewer reading the sheet in Excel
    would not see it (hiding a row is not deleting it)."""
    first = min(raw.letters.values(), key=lambda c: (len(c), c))
    for r in sorted(hidden.intersection(raw.excel_rows)):
        src.issues.append(Issue(file=src.file, sheet=actual, cell=f"{first}{r}", column="", value="",
                                rule=Rule.ROW_HIDDEN, severity="warning",
                                message=msg.rule_message(Rule.ROW_HIDDEN, "warning", "row", cell=f"{first}{r}", row=r)))


def _percent_cells(src: SourceFile, spec: SheetSpec, raw: RawSheet, data: bytes, actual: str) -> set[str] | None:
    """Which cells are formatted as percentages, looked up only when a percent column (or a count typed as a
    share of another, "100%" stored as 1) holds a fraction (rare)."""
    columns = [i for i, c in enumerate(spec.columns) if c.percent or c.share_of]
    fractions = any(isinstance(r[i], float) and 0 < r[i] <= 1 for r in raw.records for i in columns)
    if not fractions or src.format not in ("xlsx", "xlsm"):
        return None
    return xlsx_cells.percent_cells(data, actual)


def _from_tcvn3(src: SourceFile, actual: str, rows: list[list]) -> list[list]:
    """The cells typed in TCVN3 (a ".VnTime" font) read as the Unicode text that font shows; the unit told once for
    the sheet, at the first such cell."""
    if not may_hold_tcvn3("\n".join(v for row in rows for v in row if v.__class__ is str)):
        return rows
    found = []
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str) and (read := from_tcvn3(value)) is not None:
                row[c] = read
                found.append((f"{letter(c)}{r + 1}", value, read))
    if found:
        cell, typed, read = found[0]
        src.issues.append(notice(src, actual, Rule.TEXT_TCVN3, msg.TEXT_TCVN3.format(
            sheet=actual, n=len(found), cell=cell, typed=nfc(typed), read=nfc(read)), cell))
    return rows


def _apply_flags(rows: list[list], flags: xlsx_cells.SheetFlags) -> list[list]:
    """Put what calamine left blank back into the cells: uncalculated formulas and error values."""
    for address, marker in [*((a, NO_CACHED_VALUE) for a in flags.no_value), *flags.errors.items()]:
        r, c = xlsx_cells.address_index(address)
        if r < len(rows) and c < len(rows[r]) and rows[r][c] == "":
            rows[r][c] = marker
    return rows


def _unmerge(rows: list[list], merged) -> tuple[list[list], dict[tuple[int, int], object]]:
    """Spread the text of a merged cell over the cells it covers, as a reader sees it; return the rows and,
    for a merged number or date, the value each covered cell shows (row, column) -> value; a text cell
    covered from a row above is there too (a record whose cells are merged down over its rows).

    Numbers and dates are left in the top-left cell: spreading a count would count it twice. A table
    spreads them only in a column where that cannot happen (a year, a date: `_read_table`).
    """
    shown: dict[tuple[int, int], object] = {}
    for (r0, c0), (r1, c1) in merged or ():
        if r0 >= len(rows) or c0 >= len(rows[r0]) or is_blank(rows[r0][c0]):
            continue
        value = rows[r0][c0]
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            for c in range(c0, min(c1, len(rows[r]) - 1) + 1):
                if (r, c) == (r0, c0) or rows[r][c] != "":
                    continue
                if isinstance(value, str):
                    rows[r][c] = value
                if not isinstance(value, str) or r > r0:
                    shown[(r, c)] = value
    return rows, shown


def _find_stamp(wb, chosen: dict[str, SheetMatch]) -> str:
    """The template version written on the instructions sheet, wherever that sheet now is."""
    prefix = fold(msg.STAMP_PREFIX)
    data_sheets = {a for m in chosen.values() for a in m.candidates}
    names = sorted((n for n in wb.sheet_names if n not in data_sheets),
                   key=lambda n: fold_heading(n) != fold_heading(msg.INSTRUCTIONS_SHEET))
    for name in names:
        try:
            first = wb.get_sheet_by_name(name).to_python(nrows=5)
        except Exception:  # an unreadable extra sheet holds no stamp
            continue
        for row in first:
            for value in row:
                text = fold(value) if isinstance(value, str) else ""
                if text.startswith(prefix):
                    return str(value).split(":", 1)[1].strip()
    return ""


def _read_table(src: SourceFile, spec: SheetSpec, actual: str, rows: list[list],
                merged: dict[tuple[int, int], object] | None = None) -> RawSheet | None:
    """A table sheet's records under its header row; None when its header or a required column is missing."""
    found = _table_columns(src, spec, actual, rows)
    if found is None:
        return None
    top, header_row, mapping = found
    return _TableRows(src, spec, actual, rows, merged or {}, top, header_row, mapping).read()


def _table_columns(src: SourceFile, spec: SheetSpec, actual: str, rows: list[list]):
    """(first header row, last header row, column -> position) of a table sheet, its columns told (a retyped
    header, a missing column, one header twice); None when the sheet cannot be read."""
    heads = headers_of(spec)
    top, header_row, mapping, assumed = _header_rows(rows, heads)
    if len(mapping) < max(1, len(spec.columns) // 2):
        src.issues.append(structural(src, actual, "", Rule.SHEET_NO_HEADER, msg.SHEET_NO_HEADER.format(sheet=actual)))
        return None
    for name, (r, j) in assumed.items():
        cell = f"{letter(j)}{r + 1}"
        src.issues.append(notice(src, actual, Rule.COLUMN_ASSUMED, msg.COLUMN_ASSUMED.format(
            cell=cell, typed=nfc(str(rows[r][j])), header=heads.header[name]), cell, name))
    missing = [c for c in spec.columns if c.name not in mapping]
    for col in missing:
        text = msg.COLUMN_MISSING.format(header=col.header, sheet=actual)
        if col.required:
            src.issues.append(structural(src, actual, f"A{top + 1}", Rule.COLUMN_MISSING, text, col.name))
        else:
            src.issues.append(notice(src, actual, Rule.COLUMN_MISSING, text, f"A{top + 1}", col.name))
    if any(c.required for c in missing):
        return None
    if twice := _duplicated(rows[top], heads.exact):
        name, js = twice
        header = next(c.header for c in spec.columns if c.name == name)
        src.issues.append(structural(src, actual, f"{letter(js[1])}{top + 1}", Rule.COLUMN_DUPLICATE,
                                     msg.COLUMN_DUPLICATE.format(header=header, sheet=actual,
                                                                 columns=", ".join(letter(j) for j in js)), name))
        return None
    return top, header_row, mapping


class _TableRows:
    """The rows under a table's header read one by one: records, total rows, rows that are no data (a column-number
    row, a heading, a signature block), and rows that carry on the record above."""

    def __init__(self, src, spec, actual, rows, merged, top, header_row, mapping):
        self.src, self.spec, self.actual, self.rows, self.merged = src, spec, actual, rows, merged
        self.header_row, self.mapping = header_row, mapping
        self.cols = [mapping.get(c.name) for c in spec.columns]
        self.mapped = set(self.cols)
        self.headers = {j: fold_heading(_typed_header(rows[top:header_row + 1], j)) for j in self.cols if j is not None}
        self.fields = sum(c.required for c in spec.columns)
        self.spread = [(k, j) for k, (j, c) in enumerate(zip(self.cols, spec.columns))
                       if j is not None and c.kind in SPREAD_KINDS]
        self.records, self.excel_rows, self.totals = [], [], []
        self.since = 0        # the first record after the last total row
        self.signed = False   # the table ended with a note or a signature block
        self.tail = -1        # the Excel row of the last record, or of the last row that carried on its text

    def read(self) -> RawSheet:
        for r in range(self.header_row + 1, len(self.rows)):
            self._row(r)
        letters = {c.name: letter(self.mapping[c.name]) for c in self.spec.columns if c.name in self.mapping}
        return RawSheet(records=self.records, excel_rows=self.excel_rows, letters=letters, totals=self.totals,
                        sheet_name=self.actual)

    def _values(self, r: int) -> list:
        row = self.rows[r]
        values = [row[j] if j is not None and j < len(row) else None for j in self.cols]
        for k, j in self.spread if self.merged else ():   # a year or date merged down several rows: each row shows it
            if values[k] == "" and (r, j) in self.merged:
                values[k] = self.merged[(r, j)]
        return values

    def _row(self, r: int) -> None:
        values = self._values(r)
        if all(is_blank(v) for v in values):
            return  # blank rows (trailing or between records) are not records
        filled = [(j, v) for j, v in enumerate(self.rows[r]) if not is_blank(v)]
        if self._not_a_record(r, filled, values) or self._carried_on(r, filled, values):
            return
        self.records.append(values)
        self.excel_rows.append(r + 1)
        self.tail = r + 1

    def _not_a_record(self, r: int, filled: list, values: list) -> bool:
        """A row under a signature, a row that is no data, or a total row (kept aside to be checked)."""
        row = self.rows[r]
        if self.signed and _short_text(filled):
            return True  # the signers' titles and names under a note or signature row
        if kind := _not_data(filled, self.headers, first=not self.records and not self.signed, fields=self.fields):
            self.signed = self.signed or kind == "signature"
            j = filled[0][0]
            cell = f"{letter(j)}{r + 1}"
            self.src.issues.append(notice(self.src, self.actual, Rule.ROW_NOT_DATA,
                                          msg.ROW_NOT_DATA[kind].format(cell=cell, value=str(row[j]).strip()[:60]),
                                          cell))
            return True
        label = _total_label(filled)
        if label is not None:
            self.totals.append(TotalRow(excel_row=r + 1, values=values, label_cell=f"{letter(label)}{r + 1}",
                                        label=str(row[label])))
            self.since = len(self.records)
            return True
        if _is_unlabelled_sum(filled, values, self.records, self.since):   # Excel's AutoSum under the table
            self.totals.append(TotalRow(excel_row=r + 1, values=values, label_cell=f"{letter(filled[0][0])}{r + 1}",
                                        label=" | ".join(_plain(v) for _, v in filled)))
            self.since = len(self.records)
            return True
        return False

    def _carried_on(self, r: int, filled: list, values: list) -> bool:
        """A row right under a record, with nothing outside the template's columns, that is part of that record:
        its cells merged down, or the rest of its texts (joined to them, and said)."""
        below_record = self.records and self.tail == r and all(j in self.mapped for j, _ in filled)
        if not below_record:
            return False
        from_above = {k for k, j in enumerate(self.cols) if (r, j) in self.merged} if self.merged else set()
        if all(k in from_above or is_blank(v) for k, v in enumerate(values)):
            self.tail = r + 1
            return True   # the record's own cells merged down over this row: nothing of its own
        rows, cols, spec, header_row = self.rows, self.cols, self.spec, self.header_row
        more = _continued(values, spec, self.records[-1], from_above,
                          lambda: _added(rows, r, r - header_row - 1, cols, spec))
        if not more:
            return False
        for k, text in more:   # the rest of a text typed on into the row below: joined to it, said
            cell, above = f"{letter(cols[k])}{r + 1}", f"{letter(cols[k])}{self.excel_rows[-1]}"
            self.records[-1][k] = f"{self.records[-1][k].rstrip()} {text.strip()}"
            self.src.issues.append(Issue(file=self.src.file, sheet=self.actual, cell=cell, column=spec.columns[k].name,
                                         value=text.strip(), rule=Rule.ROW_CONTINUED, severity="warning",
                                         message=msg.rule_message(Rule.ROW_CONTINUED, "warning", "row", cell=cell,
                                                                  above=above, value=text.strip()[:60])))
        self.tail = r + 1
        return True


def _continued(values: list, spec: SheetSpec, above: list, from_above: set[int], added) -> list[tuple[int, str]]:
    """The cells of a row that only carries on the texts of the record right above it (a clerk who pressed Enter
    in a long text and typed the rest below; a record pasted from a Word table, whose paragraphs Excel puts on
    rows of their own with the record's other cells merged down over them): (column, text) of each; [] for any
    other row.

    Every filled cell not merged down from the record (`from_above`, column positions) is a free-text column of
    the template whose cell above holds text, and differs from it. In a required column the text must read as the rest
    of a sentence (a small letter, or a bracket or comma first): "Mô hình B" typed alone there is a new record
    with its other cells missing, and is told so. In a sheet whose rows the template fixes (a record per year, per
    item), a row the clerk `added` (see `_added`; asked last, `added()`) carries on whatever its text; the
    template's own row with its keys deleted is a record, its keys missing. (A row with a cell filled outside the
    template's columns, a row number, is a record: the caller asks this of the others only.)"""
    out = []
    for k, value in enumerate(values):
        if is_blank(value) or k in from_above:
            continue
        col, prev = spec.columns[k], above[k]
        if (col.kind != TEXT or not isinstance(value, str) or not isinstance(prev, str) or is_blank(prev)
                or value.strip() == prev.strip()):
            return []
        text = value.strip()
        if col.required and not spec.fixed_rows and not (text[0].islower() or text[0] in "(,;…"):
            return []
        out.append((k, value))
    return [] if out and spec.fixed_rows and not added() else out


def _added(rows: list[list], r: int, position: int, cols: list, spec: SheetSpec) -> bool:
    """Whether row r of a fixed-rows sheet was added by the clerk: past the template's rows, or with the next row
    holding the keys the template put at r's position (the rows below moved down by one)."""
    if not spec.fixed_rows:
        return False
    if position >= len(spec.fixed_rows):
        return True
    below = rows[r + 1] if r + 1 < len(rows) else []
    keys = [cols[spec.column_names.index(name)] for name in spec.key_columns]
    return all(j is not None and j < len(below) and _same_key(below[j], want)
               for j, want in zip(keys, spec.fixed_rows[position]))


def _same_key(typed, want) -> bool:
    if isinstance(typed, float) and typed.is_integer():
        typed = int(typed)
    return fold(str(typed)) == fold(str(want))


def _header_rows(rows: list[list], heads: Headers) -> tuple[int, int, dict[str, int], dict[str, tuple[int, int]]]:
    """The header among the first rows: its first and last row (the same row, or two when a clerk split the
    header, "Tuyên truyền" over "Số buổi" | "Số lượt người"), the column of each template column found, and
    the retyped headers to warn about (row, column). The row holding the template headers as written wins;
    only when none holds them all are retyped headers read."""
    best: tuple[int, dict[str, int], dict[str, int]] = (-1, {}, {})
    for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        found: dict[str, int] = {}
        for j, value in enumerate(row):
            name = heads.name(value)
            if name and name not in found:
                found[name] = j
        if len(found) > len(best[1]):
            best = (r, found, {})
            if len(found) == len(heads.header):
                return r, r, found, {}   # every header found as written: no need to look further
    for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        found, warned = _retyped(row, heads)
        if len(found) > len(best[1]):
            best = (r, found, warned)
    top, found, warned = best
    assumed = {name: (top, j) for name, j in warned.items()}
    below = rows[top + 1] if 0 <= top < len(rows) - 1 else []
    # A header row under the first holds no number, and under the columns found above nothing or the same
    # header (a cell merged down both rows); a first record under a header always fills some of them.
    if len(found) < len(heads.header) and not any(_is_number(v) for v in below) and all(
            j >= len(below) or is_blank(below[j]) or below[j] == rows[top][j] for j in found.values()):
        more, more_warned = _retyped(below, heads)
        used = set(found.values())
        more = {name: j for name, j in more.items() if name not in found and j not in used}
        if more:   # a second header row under the first: the columns missing above are named there
            found = {**found, **more}
            assumed.update({name: (top + 1, j) for name, j in more_warned.items() if name in more})
            return top, top + 1, found, assumed
    return top, top, found, assumed


def _typed_header(band: list[list], j: int) -> object:
    """What a header row band shows at column j: its lowest filled cell."""
    return next((row[j] for row in reversed(band) if j < len(row) and not is_blank(row[j])), "")


def _retyped(cells: list, heads: Headers) -> tuple[dict[str, int], dict[str, int]]:
    """The template columns in one header row, headers retyped or not: (column of each, those to warn about).
    A column that two retyped cells could both mean is left unread."""
    found: dict[str, int] = {}
    for j, value in enumerate(cells):
        name = heads.name(value)
        if name and name not in found:
            found[name] = j
    claims: dict[str, list[tuple[int, bool]]] = {}
    for j, value in enumerate(cells):
        if heads.name(value) is None:
            name, warn = heads.assumed(value)
            if name and name not in found:
                claims.setdefault(name, []).append((j, warn))
    warned = {}
    for name, cells_ in claims.items():
        if len(cells_) == 1:
            j, warn = cells_[0]
            found[name] = j
            if warn:
                warned[name] = j
    return found, warned


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_unlabelled_sum(filled: list[tuple[int, object]], values: list, records: list[list], since: int) -> bool:
    """A row of numbers only, not all zero, each the sum of its column over the two or more records above it
    (from `since`): a total a clerk added with AutoSum and no "Tổng cộng" label (a record always has some text)."""
    if len(records) - since < 2 or not filled or not all(_is_number(v) for _, v in filled):
        return False
    above = records[since:]
    stated = [(i, v) for i, v in enumerate(values) if _is_number(v)]
    return any(v for _, v in stated) and all(
        abs(v - sum(rec[i] for rec in above if _is_number(rec[i]))) < 1e-6 for i, v in stated)


def _plain(value) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _duplicated(header: list, wanted: dict[str, str]) -> tuple[str, list[int]] | None:
    """A template column whose header appears twice in the header row (e.g. a hidden stale copy): which one holds
    the figures cannot be known, so the sheet is refused rather than one of them read silently."""
    seen: dict[str, list[int]] = {}
    for j, value in enumerate(header):
        name = wanted.get(fold_heading(value)) if isinstance(value, str) and value else None
        if name:
            seen.setdefault(name, []).append(j)
    return next(((name, js) for name, js in seen.items() if len(js) > 1), None)


def _not_data(filled: list[tuple[int, object]], headers: dict[int, str], first: bool, fields: int = 0) -> str:
    """Why a row under the header is not a record: "header" (the header row typed again), "numbering" (the
    column-number row 1, 2, 3… under the header), "signature" (a note or the signature block), "heading" (a
    group heading typed inside the table); "" for a record. `filled` holds the row's (column, value) pairs
    that are not blank; `fields` is the number of cells a record requires."""
    one = filled[0][1] if filled and all(v == filled[0][1] for _, v in filled) else None   # a merged cell spread
    if fields >= HEADING_MIN_FIELDS and isinstance(one, str) and (_is_heading(one) or len(filled) >= 3):
        return "heading"
    same = sum(1 for j, v in filled if isinstance(v, str) and headers.get(j) == fold_heading(v))
    if same >= 2 and same * 2 >= len(filled):
        return "header"
    if first and len(filled) >= 3 and [_column_number(v) for _, v in filled] == list(range(1, len(filled) + 1)):
        return "numbering"
    if _short_text(filled) and any(fold(v).startswith(SIGNATURE_WORDS) for _, v in filled):
        return "signature"
    return ""


def _is_heading(value) -> bool:
    if not isinstance(value, str):
        return False
    letters = [ch for ch in value if ch.isalpha()]
    return (bool(HEADING_NUMBER.match(value)) or (len(letters) >= 4 and all(ch.isupper() for ch in letters))
            or fold(value).startswith(HEADING_WORDS))


def _column_number(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value) if float(value).is_integer() else None
    text = str(value).strip().strip("()[]")
    return int(text) if text.isdigit() else None


def _short_text(filled: list[tuple[int, object]]) -> bool:
    return 0 < len(filled) <= SIGNATURE_CELLS and all(isinstance(v, str) for _, v in filled)


def _total_label(filled: list[tuple[int, object]]) -> int | None:
    """The column of the "Tổng cộng" label when the row is a total row a clerk added under a table."""
    if not filled or not isinstance(filled[0][1], str):
        return None
    j, value = filled[0]
    key = fold(value).rstrip(" :.")
    return j if key in TOTAL_WORDS or key.startswith(("tong cong ", "tong so ")) else None


def _read_form(src: SourceFile, spec: SheetSpec, actual: str, rows: list[list]) -> RawSheet | None:
    heads = headers_of(spec)
    positions, assumed = _form_labels(rows, heads)
    for name, (r, j) in assumed.items():
        cell = f"{letter(j)}{r + 1}"
        src.issues.append(notice(src, actual, Rule.COLUMN_ASSUMED, msg.FIELD_ASSUMED.format(
            cell=cell, typed=nfc(str(rows[r][j])), header=heads.header[name]), cell, name))
    if not positions:
        src.issues.append(structural(src, actual, "", Rule.SHEET_NO_HEADER, msg.SHEET_NO_HEADER.format(sheet=actual)))
        return None
    values, addresses = [], {}
    value_column = _form_value_column(rows)
    for col in spec.columns:
        if col.name not in positions:
            sev = "error" if col.required else "warning"
            src.issues.append(Issue(file=src.file, sheet=actual, cell="", column=col.name, value="",
                                    rule=Rule.FIELD_MISSING, severity=sev,
                                    message=msg.FIELD_MISSING.format(header=col.header, sheet=actual)
                                    + msg.SEVERITY_SUFFIX[(sev, "field")]))
            values.append(None)
            addresses[col.name] = ""
            continue
        r, j = positions[col.name]
        row = rows[r]
        j = _form_value_cell(row, j - 1, value_column)
        if (j >= len(row) or is_blank(row[j])) and (beside := _typed_beside(row, j, col)) is not None:
            expected, j = f"{letter(j)}{r + 1}", beside
            src.issues.append(notice(src, actual, Rule.FIELD_VALUE_MOVED, msg.FIELD_VALUE_MOVED.format(
                cell=f"{letter(j)}{r + 1}", header=col.header, expected=expected, column=msg.FORM_HEADERS[1]),
                f"{letter(j)}{r + 1}", col.name))
        values.append(row[j] if j < len(row) else None)
        addresses[col.name] = f"{letter(j)}{r + 1}"
    first_row = min(r for r, _ in positions.values()) + 1
    return RawSheet(records=[values], excel_rows=[first_row], addresses=addresses, sheet_name=actual)


def _form_value_column(rows: list[list]) -> int | None:
    """The column under the form's "Thông tin của đơn vị" header, wherever a clerk moved it."""
    wanted = fold(msg.FORM_HEADERS[1])
    for row in rows[:HEADER_SCAN_ROWS]:
        for j, value in enumerate(row):
            if isinstance(value, str) and fold(value) == wanted:
                return j
    return None


def _form_value_cell(row: list, label: int, value_column: int | None) -> int:
    """The column of a field's value: under the form's value header when a clerk typed it there, else right of
    the label (past the cells the label is merged over, which show the label again)."""
    right = label + 1
    while right < len(row) and isinstance(row[right], str) and row[right] == row[label]:
        right += 1
    for j in (value_column, right):
        if j is not None and j > label and j < len(row) and not is_blank(row[j]):
            return j
    return value_column if value_column is not None and value_column > label else right


HELP_LIKE = 80   # how close (rapidfuzz token set ratio, folded) a cell beside a form value is to the field's help or label


def _typed_beside(row: list, value: int, col) -> int | None:
    """The column of a form value typed beside its empty value cell, in the "Hướng dẫn" column over the help
    text; None when that cell holds the field's help or label, as this template or an older one words them."""
    k = value + 1
    if k >= len(row) or is_blank(row[k]):
        return None
    if isinstance(row[k], str) and any(fuzz.token_set_ratio(fold(row[k]), fold(words)) >= HELP_LIKE
                                       for words in (col.help, col.header)):
        return None
    return k


def _form_labels(rows: list[list], heads: Headers) -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
    """Where each field's value is in a form sheet (row, column right of its label), and the labels that were
    retyped enough to need a warning (row, column). A label is looked for in the first three columns; a retyped
    one only in the columns where the others were found, on rows holding no other label."""
    positions: dict[str, tuple[int, int]] = {}
    for r, row in enumerate(rows):
        for j, value in enumerate(row[:3]):
            name = heads.name(value)
            if name and name not in positions:
                positions[name] = (r, j + 1)
                break
    missing = set(heads.header) - set(positions)
    if not missing or not positions:
        return positions, {}
    label_columns = sorted({j - 1 for _, j in positions.values()})
    taken = {r for r, _ in positions.values()}
    claims: dict[str, list[tuple[int, int, bool]]] = {}
    for r, row in enumerate(rows):
        for j in label_columns if r not in taken else ():
            name, warn = heads.assumed(row[j]) if j < len(row) else (None, False)
            if name in missing:
                claims.setdefault(name, []).append((r, j, warn))
    assumed = {}
    for name, at in claims.items():
        if len(at) == 1:   # a field two retyped labels could both mean is left unread
            r, j, warn = at[0]
            positions[name] = (r, j + 1)
            if warn:
                assumed[name] = (r, j)
    return positions, assumed


def sheet_values(data: bytes) -> dict[str, list[list]]:
    """Every sheet's cell values, for rebuilding an .xls/.ods as .xlsx."""
    wb = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    try:
        return {name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in wb.sheet_names}
    finally:
        wb.close()


