"""Cell fuzzing support: hostile values in every input cell of the template.

Used by tests/test_fuzz_cells.py. Everything is generated from `schemas.SHEETS`:

- TARGETS: every input cell of the template: every column of every table
  sheet, every field of every form sheet; key columns (prefilled, locked) are
  included as a bonus.
- CATALOGUE: hostile values, each with, for every kind of column, the
  readings a person would accept (the oracle). No reading at all means the
  only right answer is an issue at that exact cell.
- clean_rows(): a fully filled, valid return for each registry unit.
- BOOKS: workbooks, one hostile value each, laid out so that each table row
  holds one hostile cell (proposals, with one row, and sheets with too few
  rows spill over into extra workbooks of the same value; a form's fields
  alternate between two workbooks; the unit-name cell, which can get a file
  rejected, has a workbook of its own), each workbook for a different
  registry unit.

Returns are the real template (pipeline.template.build_template) with the
cells written straight into the sheet XML: fast, and it stores exactly what
Excel or another tool would (a string that begins with "=", a formula with no
cached value, a number with a percent format). A test checks that a return
written this way reads exactly like the same return filled with openpyxl.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import math
import re
import unicodedata
import zipfile
from pathlib import Path
from typing import Callable
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

from pipeline.config import load_plan
from schemas import SHEETS, sheet_spec
from schemas.fields import CHOICE, DATE, DECIMAL, INT, PHONE, TEXT, YEAR, YESNO
from schemas.spec import FIRST_DATA_ROW

PLAN = load_plan()

# -- the cells ----------------------------------------------------------------------

PCT = "pct"      # a DECIMAL column whose header says (%)
UNIT = "unit"    # the unit-name dropdown: decides which unit sent the file
NUMBER_KINDS = {INT, DECIMAL, PCT, YEAR}


@dataclasses.dataclass(frozen=True)
class Target:
    """One input cell of the template, by sheet and column (any row of a table)."""

    sheet: str        # SheetSpec.name
    column: str
    kind: str         # schema kind, with PCT and UNIT split out
    required: bool
    key: bool

    @property
    def spec(self):
        return sheet_spec(self.sheet)

    @property
    def form(self) -> bool:
        return self.spec.layout == "form"

    def __str__(self) -> str:
        return f"{self.sheet}.{self.column}"


def _kind(col) -> str:
    if col.kind == CHOICE and col.vocab == "units":
        return UNIT
    if col.kind == DECIMAL and "(%)" in col.header:
        return PCT
    return col.kind


TARGETS: tuple[Target, ...] = tuple(
    Target(spec.name, col.name, _kind(col), col.required, col.key) for spec in SHEETS for col in spec.columns)

# Rows of each table that the clean returns fill. Hostile cells of models use
# the first 13; the last two models stay clean (the proposal names the last one).
MODEL_ROWS = 15
HOSTILE_MODEL_ROWS = 13


def table_rows(sheet: str) -> int:
    """Rows a clean return fills in a table sheet (forms: 1 record)."""
    spec = sheet_spec(sheet)
    if spec.layout == "form":
        return 1
    if spec.fixed_rows:
        return len(spec.fixed_rows)
    return {"models": MODEL_ROWS, "proposals": 1}[sheet]


def hostile_rows(sheet: str) -> int:
    return {"models": HOSTILE_MODEL_ROWS}.get(sheet, table_rows(sheet))


def excel_row(sheet: str, row: int) -> int:
    """The Excel row of a record (forms: the row of the first field, as the reader reports it)."""
    return FIRST_DATA_ROW if sheet_spec(sheet).layout == "form" else FIRST_DATA_ROW + row


# -- the clean returns ---------------------------------------------------------------

UNITS = list(PLAN.units)
# The units that always send a clean return: every unit of one type, so that the
# aggregates of that type are "restricted to them".
CLEAN_TYPE = "Đơn vị sự nghiệp"
CLEAN_UNITS = [u for u in UNITS if u.unit_type == CLEAN_TYPE]
HOSTILE_UNITS = [u for u in UNITS if u.unit_type != CLEAN_TYPE]
PEOPLE = ["Nguyễn Thị Hoa", "Trần Văn Bình", "Lê Thị Thu Hà", "Phạm Văn Đức", "Võ Thị Mỹ Linh"]


def filename(unit) -> str:
    return f"{unit.unit_code}_bao_cao_so_ket.xlsx"


def clean_rows(unit) -> dict[str, list[dict]]:
    """A complete, valid return of one unit: every input cell filled, as a clerk types it."""
    i = UNITS.index(unit)
    L = PLAN.labels
    rows: dict[str, list[dict]] = {}
    rows["unit_info"] = [{
        "unit_name": unit.unit_name,
        "reporter_name": PEOPLE[i % len(PEOPLE)],
        "reporter_position": "Chuyên viên phụ trách công tác dân vận",
        "phone": f"0255 3859 {100 + i}",
        "email": f"{unit.unit_code.replace('_', '')}@ducpho.gov.vn",
        "report_date": dt.date(2023, 6, 1 + i % 10),
        "staff_total": 20 + i,
        "staff_registered": 18 + i,
    }]
    rows["leadership"] = [{
        "period": period,
        "plans_issued": 2 + (i + j) % 4,
        "launch_meetings": 1 + j % 2,
        "propaganda_sessions": 6 + i + j,
        "propaganda_participants": (6 + i + j) * 25,
        "news_items": 3 + i % 5 + j,
        "inspections": 1 + j % 3,
    } for j, (period,) in enumerate(sheet_spec("leadership").fixed_rows)]
    rows["content_results"] = [{
        "content_area": area,
        "period": period,
        "activities": 1 + (i + r) % 9,
        "outstanding_results": f"Hoàn thành {r + 1} phần việc, được Nhân dân đồng tình ủng hộ",
        "self_assessment": L("self_assessment_levels")[r % 2],
    } for r, (area, period) in enumerate(sheet_spec("content_results").fixed_rows)]
    levels = {lvl["code"]: lvl["label"] for lvl in PLAN.items("recognition_levels")}
    rows["models"] = [{
        "model_name": f"Mô hình dân vận khéo số {m + 1} của {unit.unit_name}",
        "field": L("fields")[m % len(L("fields"))],
        "content_area": L("content_areas")[m % len(L("content_areas"))],
        "model_kind": L("recipient_kinds")[1 if m % 3 == 2 else 0],
        "implementer": "Nguyễn Văn Hùng" if m % 3 == 2 else "Tổ dân phố Trung Hòa",
        "start_year": 2020 + m % 3,
        "recognition_level": levels["PROVINCE" if m % 2 else "TOWN"],
        "recognition_doc": f"{100 + m}/QĐ-UBND",
        "recognition_date": dt.date(2022, 1 + m % 12, 10),
        "is_replicated": "Có",
        "replication_places": 1 + m % 5,
        "beneficiaries": 100 + 37 * m + i,
        "effect": "Rút ngắn thời gian giải quyết hồ sơ, người dân hài lòng",
    } for m in range(MODEL_ROWS)]
    htxs = PLAN.label_of("classification_levels", "HTXS")
    rows["classification"] = [{
        "classification_year": year,
        "score": 90.5 + y,
        "classification_level": htxs,
        "decision_number": f"{58 + y}/QĐ-UBND ngày 20/01/{year + 1}",
    } for y, (year,) in enumerate(sheet_spec("classification").fixed_rows)]
    rows["impact"] = [{
        "on_time_procedures_pct": 97.4,
        "satisfaction_pct": 93.2 + (i % 5) / 10,
        "hcm_exemplars": 3 + i % 4,
        "political_tasks_impact": "Cán bộ, công chức gần dân, trọng dân; hồ sơ được giải quyết đúng hạn",
        "hcm_link": "Gắn với việc học tập và làm theo tấm gương đạo đức Hồ Chí Minh",
        "other_movements": "Gắn với phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa”",
    }]
    rows["assessment"] = [{
        "topic": topic,
        "text": f"Đơn vị đánh giá nội dung “{topic}”: đạt yêu cầu đề ra",
    } for (topic,) in sheet_spec("assessment").fixed_rows]
    rows["awards_given"] = [{
        "period": period,
        "award_form": form,
        "collectives": 1 + k % 2,
        "individuals": 2 + k % 3,
    } for k, (period, form) in enumerate(sheet_spec("awards_given").fixed_rows)]
    rows["proposals"] = [{
        "recipient_kind": L("recipient_kinds")[0],
        "nominee_name": "Bộ phận Tiếp nhận và Trả kết quả",
        "nominee_position": "Thuộc Văn phòng đơn vị",
        "achievements_summary": "Thực hiện tốt công tác dân vận chính quyền, có mô hình được công nhận",
        "model_name": rows["models"][-1]["model_name"],
        "crit_a": "Có",
        "crit_a_evidence": "Được tặng Giấy khen năm 2022",
        "crit_b": "Có",
        "crit_b_evidence": "Thực hiện đầy đủ kế hoạch công tác dân vận của Thị ủy",
        "crit_c": "Có",
        "crit_c_evidence": "Mô hình được cấp tỉnh công nhận và nhân rộng",
        "crit_d": "Có",
        "crit_d_evidence": "Xếp loại hoàn thành xuất sắc nhiệm vụ ba năm liền",
    }]
    for name, rs in rows.items():
        assert len(rs) == table_rows(name), name
        assert all(set(r) == set(sheet_spec(name).column_names) for r in rs), name
    return rows


def reading_of(target: Target, raw):
    """How a person reads a clean value typed in that cell."""
    if target.kind == YESNO:
        return {"Có": True, "Không": False}[raw]
    return raw


def as_text(raw) -> str:
    """The clean value as a clerk would type it into a text cell."""
    if isinstance(raw, dt.date):
        return raw.strftime("%d/%m/%Y")
    if isinstance(raw, float):
        return f"{raw:g}".replace(".", ",")  # Vietnamese decimal comma
    return str(raw)


# -- what a hostile cell holds, and what a person reads in it --------------------------

@dataclasses.dataclass(frozen=True)
class Write:
    """What the xlsx stores in a cell."""

    type: str                        # "blank" | "number" | "string" | "formula" | "date"
    value: object = None
    number_format: str | None = None  # None keeps the template's format of the cell

    def show(self) -> str:
        v = self.value
        text = {"blank": "(ô trống)", "formula": f"<f>{v}</f> without <v>"}.get(self.type, repr(v))
        if isinstance(v, str) and len(v) > 40:
            text = f"{v[:20]!r}…({len(v)} chars)"
        return text + (f" [format {self.number_format}]" if self.number_format else "")


@dataclasses.dataclass(frozen=True)
class Expect:
    """The readings a person would accept. Empty: only an issue at the cell is right.

    strict: the reading is required (an issue may add a warning, never an error).
    assumed: with only a warning at the cell and the value kept, it must be one of these
    (empty: any), so that a warning never covers a wrong guess.
    """

    readings: tuple = ()
    strict: bool = False
    assumed: tuple = ()   # when only a warning says what was assumed: the values it may assume

    def show(self) -> str:
        if not self.readings:
            return "an issue at the cell"
        shown = " or ".join(_short(r) for r in self.readings)
        return f"read as {shown}" + ("" if self.strict else " (or an issue at the cell)")


@dataclasses.dataclass(frozen=True)
class Hostile:
    name: str
    about: str
    applies: Callable[[Target], bool]
    write: Callable[[Target, object], Write]
    expect: Callable[[Target, object], Expect]


_LONG = (" ".join(["Dân vận khéo trong cải cách hành chính"] * 900))[:32767].rstrip()
LONG_TEXT = _LONG + "." * (32767 - len(_LONG))  # Excel's longest cell text
assert len(LONG_TEXT) == 32767 and LONG_TEXT == unicodedata.normalize("NFC", LONG_TEXT)
TEXT_VALUE = "chưa có số liệu"
EMOJI = "🎉"
ZWSP, RLM, RLO = "\u200b", "\u200f", "\u202e"
A_DATE = dt.date(2023, 6, 10)
LEADING_EQUALS = "=SUM(B4:B7)"
EXCEL_ERROR_TEXT = "#REF!"


def _all(t: Target) -> bool:
    return True


def _only(*kinds):
    return lambda t: t.kind in kinds


def _const(write: Write):
    return lambda t, raw: write


def _by_kind(table: dict, default=()):
    """An oracle from {kind: readings}; kinds not listed need an issue at the cell."""
    def expect(t: Target, raw) -> Expect:
        value = table.get(t.kind, default)
        return value if isinstance(value, Expect) else Expect(tuple(value))
    return expect


def _same_as_clean(t: Target, raw) -> Expect:
    """Invisible or cosmetic change: read as the clean value (text: exactly the clean text)."""
    return Expect((reading_of(t, raw),))


def _near_miss(t: Target, raw) -> Write:
    if t.kind == YESNO:
        return Write("string", "Chưa rõ")
    words = str(raw).split()
    return Write("string", " ".join(words[:-1]) if len(words) >= 3 else f"{raw} khác")


def _zero_width(t: Target, raw) -> Write:
    text = as_text(raw)
    return Write("string", ZWSP + text.replace(" ", " " + ZWSP, 1) + ZWSP)


CATALOGUE: tuple[Hostile, ...] = (
    Hostile("text", "chữ trong ô số, ngoài danh sách", _all, _const(Write("string", TEXT_VALUE)),
            _by_kind({TEXT: (TEXT_VALUE,)})),
    Hostile("blank", "ô trống", _all, _const(Write("blank")),
            lambda t, raw: Expect(() if t.required else (None,))),
    Hostile("negative", "số âm", _all, _const(Write("number", -5.0)),
            _by_kind({TEXT: ("-5",)})),
    Hostile("huge", "1e15", _all, _const(Write("number", 1e15)),
            _by_kind({TEXT: ("1000000000000000", "1E+15", "1e+15"), PHONE: ("1000000000000000",)})),
    Hostile("half", "0,5 trong ô số nguyên", _all, _const(Write("number", 0.5)),
            # A bare fraction in a percent column: issue 9 asks for a warning to confirm.
            _by_kind({DECIMAL: (0.5,), TEXT: ("0.5", "0,5")})),
    Hostile("decimal_comma", "dấu phẩy thập phân 95,5", _all, _const(Write("string", "95,5")),
            _by_kind({DECIMAL: (95.5,), PCT: (95.5,), TEXT: ("95,5",)})),
    Hostile("percent_fraction", "0,966 với định dạng 0.0%", lambda t: t.kind in NUMBER_KINDS,
            _const(Write("number", 0.966, "0.0%")),
            _by_kind({PCT: Expect((96.6,), strict=True), DECIMAL: (0.966, 96.6)})),
    Hostile("date", "ngày trong ô số", _all, _const(Write("date", A_DATE, "dd/mm/yyyy")),
            _by_kind({DATE: (A_DATE,), TEXT: ("10/06/2023", "10/6/2023")})),
    Hostile("number_in_date", "số 2023 (một năm) trong ô ngày", lambda t: t.kind not in NUMBER_KINDS,
            _const(Write("number", 2023.0)),
            _by_kind({TEXT: ("2023",)})),
    Hostile("long_text", "văn bản 32.767 ký tự", _all, _const(Write("string", LONG_TEXT)),
            _by_kind({TEXT: (LONG_TEXT,)})),
    Hostile("emoji", "emoji", _all, lambda t, raw: Write("string", f"{as_text(raw)} {EMOJI}"),
            lambda t, raw: Expect((f"{as_text(raw)} {EMOJI}",) if t.kind == TEXT else (reading_of(t, raw),))),
    Hostile("zero_width", "ký tự rộng 0 (U+200B)", _all, _zero_width, _same_as_clean),
    Hostile("rtl", "ký tự phải-sang-trái (U+200F, U+202E)", _all,
            lambda t, raw: Write("string", RLM + as_text(raw) + RLO), _same_as_clean),
    Hostile("nfd", "tiếng Việt dạng NFD", _only(TEXT, CHOICE, YESNO, UNIT),
            lambda t, raw: Write("string", unicodedata.normalize("NFD", as_text(raw))), _same_as_clean),
    Hostile("leading_equals", "chữ bắt đầu bằng =", _all, _const(Write("string", LEADING_EQUALS)),
            _by_kind({TEXT: (LEADING_EQUALS,)})),
    Hostile("ref_error", "#REF! gõ như chữ", _all, _const(Write("string", EXCEL_ERROR_TEXT)), _by_kind({})),
    Hostile("formula_no_value", "công thức không có giá trị lưu", _all, _const(Write("formula", "SUM(1,1)")),
            _by_kind({})),
    # A near miss of the clean label: refused, or read as that label with a warning, never as another.
    Hostile("out_of_list", "giá trị ngoài danh sách", _only(CHOICE, YESNO, UNIT), _near_miss,
            lambda t, raw: Expect((), assumed=(reading_of(t, raw),))),
)
VALUES = {h.name: h for h in CATALOGUE}


# -- the workbooks ---------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class HostileCell:
    value: str            # Hostile.name
    target: Target
    row: int              # row index among the sheet's data rows (forms: 0)
    slot: int
    unit_code: str
    raw: object           # the clean value the hostile one replaces
    write: Write
    expect: Expect

    @property
    def spec(self):
        return self.target.spec

    @property
    def address(self) -> str:
        return self.spec.cell(self.row, self.target.column)

    @property
    def where(self) -> str:
        return f"{self.spec.sheet}!{self.address}"

    @property
    def excel_row(self) -> int:
        return excel_row(self.target.sheet, self.row)

    @property
    def id(self) -> str:
        return f"{self.value}-{self.target}"


@dataclasses.dataclass
class Book:
    value: str
    slot: int
    unit: object
    batch: int = 0
    cells: list[HostileCell] = dataclasses.field(default_factory=list)

    @property
    def file(self) -> str:
        return filename(self.unit)

    @property
    def id(self) -> str:
        return f"{self.value}-s{self.slot}"


UNIT_SLOT = 5  # the unit-name cell has a workbook of its own: a bad one can reject the file


def _proposal_group(t: Target) -> int:
    """Proposals hold one row: cells that behave alike share it, one group per workbook."""
    return [(CHOICE, True), (TEXT, True), (TEXT, False), (YESNO, True), (YESNO, False)].index((t.kind, t.required))


def layout(hostile: Hostile) -> list[tuple[Target, int, int]]:
    """(target, row, slot) of every cell that gets this hostile value."""
    placed = []
    for spec in SHEETS:
        targets = [t for t in TARGETS if t.sheet == spec.name and hostile.applies(t)]
        fields = [t for t in targets if t.kind != UNIT]
        for i, t in enumerate(targets):
            if t.kind == UNIT:
                placed.append((t, 0, UNIT_SLOT))
            elif spec.layout == "form":
                # A form's fields stand alone (issue 9), so one record takes many hostile cells; every
                # other field in another workbook, so that next fields (staff and registered staff,
                # tied by a row rule) are never hostile together.
                placed.append((t, 0, fields.index(t) % 2))
            elif spec.name == "proposals":
                placed.append((t, 0, _proposal_group(t)))
            else:
                n = hostile_rows(spec.name)
                placed.append((t, i % n, i // n))
    return placed


def plan_books() -> list[Book]:
    """Every hostile workbook; batch 0 (the full run) holds slot 0 of every value."""
    books = []
    for hostile in CATALOGUE:
        by_slot: dict[int, list] = {}
        for t, row, slot in layout(hostile):
            by_slot.setdefault(slot, []).append((t, row))
        for slot in sorted(by_slot):
            books.append(Book(hostile.name, slot, unit=None))
    main = [b for b in books if b.slot == 0]
    rest = [b for b in books if b.slot != 0]
    n = len(HOSTILE_UNITS)
    assert len(main) <= n
    for i, b in enumerate(main):
        b.batch, b.unit = 0, HOSTILE_UNITS[i]
    for i, b in enumerate(rest):
        b.batch, b.unit = 1 + i // n, HOSTILE_UNITS[i % n]
    clean = {u.unit_code: clean_rows(u) for u in UNITS}
    for b in books:
        hostile = VALUES[b.value]
        rows = clean[b.unit.unit_code]
        for t, row, slot in layout(hostile):
            if slot != b.slot:
                continue
            raw = rows[t.sheet][row][t.column]
            write, expect = hostile.write(t, raw), hostile.expect(t, raw)
            b.cells.append(HostileCell(b.value, t, row, slot, b.unit.unit_code, raw, write, expect))
    return books


BOOKS = plan_books()
CELLS = [c for b in BOOKS for c in b.cells]
N_BATCHES = 1 + max(b.batch for b in BOOKS)


RUN_SUMMARY: list[str] = []  # filled by the session fixture; printed by tests/fuzz_report.py


def coverage() -> dict:
    values = {c.value for c in CELLS}
    targets = {c.target for c in CELLS}
    inputs = {t for t in TARGETS if not t.key}
    return {
        "pairs": len(CELLS), "cells": len(targets), "values": len(values), "workbooks": len(BOOKS),
        "input_cells": len(inputs), "input_pairs": sum(1 for c in CELLS if not c.target.key),
        "covered_inputs": len(targets & inputs),
    }


# -- writing -----------------------------------------------------------------------------

def template_bytes() -> bytes:
    from pipeline.tools.template import build_template

    buf = io.BytesIO()
    build_template(PLAN).save(buf)
    return buf.getvalue()


def clean_edits(unit) -> dict[tuple[str, str], Write]:
    """Every input cell of a clean return (key cells stay as the template prefills them)."""
    edits = {}
    for name, rows in clean_rows(unit).items():
        spec = sheet_spec(name)
        for r, row in enumerate(rows):
            for col in spec.columns:
                if not col.key:
                    raw = row[col.name]
                    write = (Write("date", raw) if isinstance(raw, dt.date)
                             else Write("number", float(raw)) if isinstance(raw, (int, float))
                             else Write("string", raw))
                    edits[(spec.sheet, spec.cell(r, col.name))] = write
    return edits


def clean_workbook(template: bytes, unit) -> bytes:
    """The real template with a clean return typed in (written into the sheet XML, fast)."""
    return patch(template, clean_edits(unit))


def clean_workbook_openpyxl(template: bytes, unit) -> bytes:
    """The same return filled with openpyxl, as a clerk's Excel would store it (slower)."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(template))
    for name, rows in clean_rows(unit).items():
        spec = sheet_spec(name)
        ws = wb[spec.sheet]
        for r, row in enumerate(rows):
            for col in spec.columns:
                if not col.key:
                    ws[spec.cell(r, col.name)] = row[col.name]
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "p": "http://schemas.openxmlformats.org/package/2006/relationships"}
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def _sheet_paths(files: dict[str, bytes]) -> dict[str, str]:
    """Sheet title -> zip member of its XML."""
    wb = ET.fromstring(files["xl/workbook.xml"])
    rels = ET.fromstring(files["xl/_rels/workbook.xml.rels"])
    target = {r.get("Id"): r.get("Target") for r in rels.findall("p:Relationship", _NS)}
    out = {}
    for s in wb.find("m:sheets", _NS):
        path = target[s.get(f"{{{_NS['r']}}}id")]
        out[s.get("name")] = path.lstrip("/") if path.startswith("/") else f"xl/{path}"
    return out


class _Styles:
    """styles.xml, with cell formats cloned to carry another number format."""

    def __init__(self, text: str):
        self.text = text
        self.cache: dict[tuple[int, str], int] = {}

    def _fmt_id(self, code: str) -> int:
        found = re.search(rf'<numFmt numFmtId="(\d+)" formatCode="{re.escape(escape(code))}"/>', self.text)
        if found:
            return int(found[1])
        ids = [int(x) for x in re.findall(r'<numFmt numFmtId="(\d+)"', self.text)] or [163]
        new = max(ids) + 1
        entry = f'<numFmt numFmtId="{new}" formatCode="{escape(code)}"/>'
        if "<numFmts" in self.text:
            self.text = re.sub(r'<numFmts count="(\d+)">',
                               lambda m: f'<numFmts count="{int(m[1]) + 1}">{entry}', self.text, count=1)
        else:
            self.text = re.sub(r"(<styleSheet[^>]*>)", rf"\1<numFmts count=\"1\">{entry}</numFmts>", self.text, count=1)
        return new

    def with_format(self, style: int, code: str) -> int:
        if (style, code) in self.cache:
            return self.cache[(style, code)]
        fmt = self._fmt_id(code)
        block = re.search(r'<cellXfs count="(\d+)">(.*?)</cellXfs>', self.text, re.S)
        xfs = re.findall(r"<xf\b[^>]*?(?:/>|>.*?</xf>)", block[2], re.S)
        xf = xfs[style]
        xf = re.sub(r'numFmtId="\d+"', f'numFmtId="{fmt}"', xf, count=1)
        if "applyNumberFormat" in xf:
            xf = re.sub(r'applyNumberFormat="\d"', 'applyNumberFormat="1"', xf, count=1)
        else:
            xf = xf.replace("<xf ", '<xf applyNumberFormat="1" ', 1)
        new_index = len(xfs)
        self.text = (self.text[:block.start()] + f'<cellXfs count="{new_index + 1}">' + block[2] + xf + "</cellXfs>"
                     + self.text[block.end():])
        self.cache[(style, code)] = new_index
        return new_index


def _cell_xml(address: str, style: str, write: Write, styles: _Styles) -> str:
    if write.number_format:
        style = str(styles.with_format(int(style or 0), write.number_format))
    s = f' s="{style}"' if style else ""
    if write.type == "blank":
        return f'<c r="{address}"{s}/>'
    if write.type == "number":
        return f'<c r="{address}"{s} t="n"><v>{write.value!r}</v></c>'
    if write.type == "date":
        return f'<c r="{address}"{s} t="n"><v>{(write.value - _EXCEL_EPOCH).days}</v></c>'
    if write.type == "string":
        return f'<c r="{address}"{s} t="inlineStr"><is><t xml:space="preserve">{escape(write.value)}</t></is></c>'
    if write.type == "formula":
        return f'<c r="{address}"{s}><f>{escape(write.value)}</f></c>'  # no <v>: no value stored
    raise ValueError(write.type)


_CELL = re.compile(r'<c r="(?P<address>[A-Z]+[0-9]+)"(?P<attrs>[^>]*?)(?:/>|>(?P<body>.*?)</c>)', re.S)


def patch(data: bytes, edits: dict[tuple[str, str], Write]) -> bytes:
    """A copy of an xlsx with some cells replaced: {(sheet title, A1 address): Write}."""
    zin = zipfile.ZipFile(io.BytesIO(data))
    files = {n: zin.read(n) for n in zin.namelist()}
    paths = _sheet_paths(files)
    styles = _Styles(files["xl/styles.xml"].decode("utf-8"))
    by_sheet: dict[str, dict[str, Write]] = {}
    for (sheet, address), write in edits.items():
        by_sheet.setdefault(sheet, {})[address] = write
    for sheet, cells in by_sheet.items():
        member = paths[sheet]
        done = set()

        def replace(m: re.Match, cells=cells, done=done) -> str:
            write = cells.get(m["address"])
            if write is None:
                return m[0]
            done.add(m["address"])
            style = re.search(r's="(\d+)"', m["attrs"])
            return _cell_xml(m["address"], style[1] if style else "", write, styles)

        files[member] = _CELL.sub(replace, files[member].decode("utf-8")).encode("utf-8")
        if done != set(cells):
            raise AssertionError(f"not cells of the template in {sheet}: {sorted(set(cells) - done)}")
    files["xl/styles.xml"] = styles.text.encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, files[info.filename])
    return out.getvalue()


def hostile_workbook(clean: bytes, cells: list[HostileCell]) -> bytes:
    return patch(clean, {(c.spec.sheet, c.address): c.write for c in cells})


# -- reading back what the pipeline made of it ---------------------------------------------

class Outcome:
    """The issues and the validated rows of one run of read_and_check (what issues.csv and
    outputs/data/validated/*.parquet hold)."""

    def __init__(self, checked):
        self.checked = checked
        # how a cell is read, not whether its figure is plausible (random figures often are not: tested on its own in
        # tests/check/test_plausibility.py)
        self.issues = checked.issues[~checked.issues["rule"].astype(str).str.startswith("plausibility.")]
        self._at: dict[tuple, list[dict]] = {}
        for rec in self.issues.to_dict("records"):
            self._at.setdefault((rec["file"], rec["sheet"], rec["cell"]), []).append(rec)
        self._rows: dict[tuple, dict] = {}
        for name, frame in checked.tables.items():
            for rec in frame.to_dict("records"):
                self._rows[(name, rec["source_file"], int(rec["excel_row"]))] = rec
        self.status = dict(zip(checked.files["file"], checked.files["status"]))
        self.unit_of = dict(zip(checked.files["file"], checked.files["unit_code"]))

    def issues_at(self, file: str, sheet_title: str, cell: str) -> list[dict]:
        return self._at.get((file, sheet_title, cell), [])

    def issues_in_row(self, file: str, sheet_title: str, row: int) -> list[dict]:
        return [i for (f, s, c), items in self._at.items() if f == file and s == sheet_title
                and re.fullmatch(rf"[A-Z]+{row}", c or "") for i in items]

    def row(self, sheet: str, file: str, excel_row_: int) -> dict | None:
        return self._rows.get((sheet, file, excel_row_))

    def rows(self, sheet: str, file: str) -> dict[int, dict]:
        return {r: rec for (s, f, r), rec in self._rows.items() if s == sheet and f == file}


def is_na(x) -> bool:
    if x is None:
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def same(reading, expected) -> bool:
    """Does a value of a validated table equal a Python reading (or another table value)?"""
    if expected is None or is_na(expected):
        return is_na(reading)
    if is_na(reading):
        return False
    if isinstance(expected, (bool, np.bool_)):
        return isinstance(reading, (bool, np.bool_)) and bool(reading) == bool(expected)
    if isinstance(expected, dt.date):
        if isinstance(expected, dt.datetime):
            expected = expected.date()
        return isinstance(reading, dt.date) and pd.Timestamp(reading).date() == expected
    if isinstance(expected, (int, float, np.integer, np.floating)):
        numeric = isinstance(reading, (int, float, np.integer, np.floating)) and not isinstance(reading, (bool, np.bool_))
        return numeric and math.isclose(float(reading), float(expected), rel_tol=0, abs_tol=1e-9)
    return isinstance(reading, str) and reading == expected


def same_rows(a: dict[int, dict], b: dict[int, dict]) -> bool:
    """Two {excel_row: row} of one sheet hold the same rows and values."""
    return a.keys() == b.keys() and all(
        r1.keys() == b[k].keys() and all(same(r1[c], b[k][c]) for c in r1) for k, r1 in a.items())


def _short(x) -> str:
    if is_na(x):
        return "(blank)"
    if isinstance(x, str) and len(x) > 40:
        return f"{x[:20]!r}…({len(x)} chars)"
    if isinstance(x, dt.date):
        return x.strftime("%d/%m/%Y")
    return repr(x)


def check_cell(cell: HostileCell, out: Outcome) -> str | None:
    """None when the cell was read as a person would, or has an issue at exactly its cell;
    otherwise what went wrong, in one sentence."""
    file, sheet_title = filename_of(cell), cell.spec.sheet
    issues = out.issues_at(file, sheet_title, cell.address)
    errors = [i for i in issues if i["severity"] == "error"]
    row = out.row(cell.target.sheet, file, cell.excel_row)
    reading = row[cell.target.column] if row is not None else None
    wrote = f"{cell.write.show()} in {cell.where}"
    if cell.target.kind == UNIT and row is not None and out.unit_of.get(file) != cell.unit_code:
        return f"{wrote}: file read as unit {out.unit_of.get(file)!r}, not {cell.unit_code!r}"
    if cell.expect.strict:
        if row is None:
            return f"{wrote}: not read ({_why_missing(cell, out)}); expected {cell.expect.show()}"
        if errors:
            return f"{wrote}: error {errors[0]['rule']} at the cell; expected {cell.expect.show()}"
        if not any(same(reading, r) for r in cell.expect.readings):
            return f"{wrote}: read as {_short(reading)}{_issue_note(issues)}; expected {cell.expect.show()}"
        return None
    if issues:
        if errors and row is not None and not is_na(reading):
            return f"{wrote}: error {errors[0]['rule']} at the cell, yet the value {_short(reading)} is kept"
        if (not errors and row is not None and cell.expect.assumed
                and not any(same(reading, r) for r in cell.expect.readings + cell.expect.assumed)):
            return (f"{wrote}: read as {_short(reading)} with only a warning ({issues[0]['rule']}); a person "
                    f"would read {' or '.join(_short(r) for r in cell.expect.assumed)} or be asked")
        return None
    if row is None:
        return f"{wrote}: no issue at the cell and not read ({_why_missing(cell, out)}); expected {cell.expect.show()}"
    if any(same(reading, r) for r in cell.expect.readings):
        return None
    return f"{wrote}: read as {_short(reading)}, no issue at the cell; expected {cell.expect.show()}"


def _issue_note(issues) -> str:
    return f" with {issues[0]['severity']} {issues[0]['rule']}" if issues else ""


def _why_missing(cell: HostileCell, out: Outcome) -> str:
    file = filename_of(cell)
    status = out.status.get(file)
    if status in ("rejected", "ignored", "superseded"):
        rej = [i for i in out.issues.to_dict("records") if i["file"] == file and i["rule"] == "file.rejected"]
        where = f" (issue at sheet {rej[0]['sheet']!r} cell {rej[0]['cell']!r})" if rej else ""
        return f"file {status}{where}"
    others = [i for i in out.issues_in_row(file, cell.spec.sheet, cell.excel_row) if i["severity"] == "error"]
    if cell.target.form:
        field = others[0] if others else None
        return "the whole form record was dropped" + (f" for an error at {field['cell']} ({field['rule']})" if field else "")
    if others:
        return f"row excluded by an error at {others[0]['cell']} ({others[0]['rule']})"
    return "row missing without an error"


def filename_of(cell: HostileCell) -> str:
    return filename(next(u for u in UNITS if u.unit_code == cell.unit_code))


def check_sheet(book: Book, sheet: str, out: Outcome, clean: Outcome) -> list[str]:
    """Problems with the cells of one sheet that were NOT made hostile: they must read as
    in the clean twin; a row may only go missing for an error at its own hostile cell."""
    spec = sheet_spec(sheet)
    file = book.file
    hostile = {(c.excel_row, c.target.column): c for c in book.cells if c.target.sheet == sheet}
    before, after = clean.rows(sheet, file), out.rows(sheet, file)
    problems = []
    status = out.status.get(file)
    if status not in ("accepted", "accepted_with_errors"):
        unit = next((c for c in book.cells if c.target.kind == UNIT), None)
        if unit is not None and status == "rejected" and out.issues_at(file, unit.spec.sheet, unit.address):
            return []  # rejected for its unit cell, and told so at that cell: nothing else is read
        return [f"file {status}, no issue at its unit cell"]
    for r, old in sorted(before.items()):
        new = after.get(r)
        mine = [c for (row, _), c in hostile.items() if row == r]
        if new is None:
            if spec.layout == "table" and any(
                    i["severity"] == "error" for c in mine for i in out.issues_at(file, spec.sheet, c.address)):
                continue  # an error excludes its row: the error at its own hostile cell
            lost = [col for col in spec.column_names if (r, col) not in hostile and not is_na(old[col])]
            if lost:
                row_i = 0 if spec.layout == "form" else r - FIRST_DATA_ROW
                where = ", ".join(spec.cell(row_i, col) for col in lost)
                problems.append(f"{spec.sheet} row {r} lost, with its good cells {where}")
            continue
        for col in spec.column_names:
            if (r, col) in hostile:
                continue
            if not (same(new[col], old[col]) if not is_na(old[col]) else is_na(new[col])):
                row_i = 0 if spec.layout == "form" else r - FIRST_DATA_ROW
                problems.append(f"{spec.sheet}!{spec.cell(row_i, col)} read as {_short(new[col])}, "
                                f"was {_short(old[col])}")
    for r in sorted(set(after) - set(before)):
        problems.append(f"{spec.sheet} row {r} appeared")
    return problems


class Run(dict):
    """What the session fixture built and ran (a short repr: hypothesis prints it on failure)."""

    def __repr__(self) -> str:
        return f"<fuzz run in {self.get('root')}>"


def write_batch(folder: Path, books: list[Book], clean: dict[str, bytes], extra_units=()) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for b in books:
        (folder / b.file).write_bytes(hostile_workbook(clean[b.unit.unit_code], b.cells))
    for u in extra_units:
        (folder / filename(u)).write_bytes(clean[u.unit_code])
    return folder
