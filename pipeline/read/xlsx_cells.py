"""What python-calamine does not say about an .xlsx cell, read from the XML itself.

calamine returns an empty string both for a formula saved without its computed
value (tools that never calculate, e.g. scripts and some web exports) and for
an error cell (`#REF!`, `#DIV/0!`); it does not give number formats, so a
percentage typed "96,6%" arrives as 0.966; and it does not say which rows are
hidden. This module scans only the sheets that need it, with byte-level regular
expressions (no tree is built), and only when the sheet's XML holds a formula,
an error cell, a percent style or something hidden.
"""
from __future__ import annotations

import html
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field

from defusedxml import ElementTree as ET

from pipeline.read.sources import open_package

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]+)"')
_TYPE = re.compile(rb'\bt="([A-Za-z]+)"')
_STYLE = re.compile(rb'\bs="([0-9]+)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f\b")
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]+)</(?:\w+:)?v>")
_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_ROW_NUMBER = re.compile(rb'\br="([0-9]+)"')
_HIDDEN = re.compile(rb'hidden="(?:1|true)"')   # a literal first: searched fast (no \b)
_PERCENT_BUILTIN = {9, 10}
_QUOTED = re.compile(r'"[^"]*"|\\.')


TRIM_FROM_BYTES = 2_000_000   # a sheet part this large is checked for rows that hold nothing at its end
_ROW_END = re.compile(rb"</(?:\w+:)?row>")
_HOLDS_VALUE = re.compile(rb"<(?:\w+:)?v>\s*[^<\s]|<(?:\w+:)?t(?:\s[^>]*)?>\s*[^<\s]")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*/>")


def without_empty_tail(data: bytes) -> bytes:
    """The package with each big sheet cut after its last row that holds a value.

    A helper formula filled down to row 1,048,576 (each cell showing an empty text) makes the sheet's used range a
    million rows: calamine would hold every cell of it, about a gigabyte. Cut after the last row with a value, the
    sheet costs memory in proportion to what it holds. Only sheet parts over TRIM_FROM_BYTES are looked at; the
    data rows above the cut are kept byte for byte (a formula without its value inside the table is still seen)."""
    try:
        zf = open_package(data)
        big = [i for i in zf.infolist() if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")
               and i.file_size > TRIM_FROM_BYTES]
        if not big:
            return data
        cut = {}
        for info in big:
            xml = zf.read(info)
            start = max(xml.find(b"sheetData"), 0)
            last = None
            for match in _HOLDS_VALUE.finditer(xml, start):   # a match per cell that holds something: few here
                last = match
            row_end = _ROW_END.search(xml, last.end()) if last else None
            if row_end is None:
                continue
            last_end = row_end.end()
            end = xml.rfind(b"</", 0, xml.find(b"sheetData>", last_end))
            if end <= last_end:
                continue
            cut[info.filename] = _DIMENSION.sub(b"", xml[:last_end] + xml[end:], count=1)
        if not cut:
            return data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
            for info in zf.infolist():
                zout.writestr(info.filename, cut[info.filename] if info.filename in cut else zf.read(info))
        return out.getvalue()
    except (zipfile.BadZipFile, ValueError, OSError, KeyError):
        return data


@dataclass
class SheetFlags:
    """Cells of one sheet that need more than their calamine value (A1 address -> what)."""

    no_value: set[str] = field(default_factory=set)       # formula with no stored result
    errors: dict[str, str] = field(default_factory=dict)   # error cell -> "#REF!", "#DIV/0!"...
    percent: set[str] = field(default_factory=set)        # cell with a percent number format
    hidden_rows: set[int] = field(default_factory=set)    # Excel row numbers of hidden rows


def scan(data: bytes, sheet_names: list[str], percent_sheets: set[str] = frozenset()) -> dict[str, SheetFlags]:
    """Flags of the named sheets of an .xlsx/.xlsm; {} when the package cannot be scanned."""
    try:
        zf = open_package(data)
        paths = _sheet_paths(zf)
        percent_styles = _percent_styles(zf) if percent_sheets else set()
    except (zipfile.BadZipFile, KeyError, ET.ParseError, ValueError):
        return {}
    flags: dict[str, SheetFlags] = {}
    for name in sheet_names:
        path = paths.get(name)
        if path is None:
            continue
        try:
            xml = zf.read(path)
        except KeyError:
            continue
        want_pct = name in percent_sheets and bool(percent_styles)
        if not (_has_formula(xml) or b't="e"' in xml or want_pct or _HIDDEN.search(xml)):
            continue
        flags[name] = _scan_sheet(xml, percent_styles if want_pct else set())
    return flags


def _has_formula(xml: bytes) -> bool:
    """`_FORMULA.search`, after a plain substring test that rules out most sheets at a fraction of its cost
    (a formula element is written <f>, <f .../> or with a prefix, <x:f …>; each leaves one of these)."""
    return (b"f>" in xml or b"<f " in xml or b":f " in xml) and _FORMULA.search(xml) is not None


def _scan_sheet(xml: bytes, percent_styles: set[int]) -> SheetFlags:
    out = SheetFlags()
    for attrs in _ROW.findall(xml):
        number = _ROW_NUMBER.search(attrs)
        if number is not None and _HIDDEN.search(attrs):
            out.hidden_rows.add(int(number.group(1)))
    for m in _CELL.finditer(xml):
        attrs, body = m.group(1), m.group(2) or b""
        ref = _REF.search(attrs)
        if ref is None:
            continue
        address = (ref.group(1) + ref.group(2)).decode("ascii")
        kind = _TYPE.search(attrs)
        value = _VALUE.search(body)
        if kind is not None and kind.group(1) == b"e":
            out.errors[address] = value.group(1).decode("utf-8", "replace") if value else "#N/A"
        elif _FORMULA.search(body) and value is None:
            out.no_value.add(address)
        if percent_styles:
            style = _STYLE.search(attrs)
            if style is not None and int(style.group(1)) in percent_styles:
                out.percent.add(address)
    return out


_SHEET_ENTRY = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)/?>")
_NAME = re.compile(rb'\bname="([^"]*)"')
_RID = re.compile(rb'\b(?:\w+:)?id="([^"]*)"')
_REL_ENTRY = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)/?>")
_ID = re.compile(rb'\bId="([^"]*)"')
_TARGET = re.compile(rb'\bTarget="([^"]*)"')


def _sheet_paths(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> path of its XML part inside the package (read with regular expressions: it is small and flat)."""
    targets = {}
    for attrs in _REL_ENTRY.findall(zf.read("xl/_rels/workbook.xml.rels")):
        rid, target = _ID.search(attrs), _TARGET.search(attrs)
        if rid and target:
            targets[rid.group(1)] = _unescape(target.group(1))
    paths = {}
    for attrs in _SHEET_ENTRY.findall(zf.read("xl/workbook.xml")):
        name, rid = _NAME.search(attrs), _RID.search(attrs)
        target = targets.get(rid.group(1)) if rid else None
        if name and target:
            paths[_unescape(name.group(1))] = (target.lstrip("/") if target.startswith("/")
                                               else posixpath.normpath(posixpath.join("xl", target)))
    return paths


def _unescape(raw: bytes) -> str:
    return html.unescape(raw.decode("utf-8"))


def percent_cells(data: bytes, sheet_name: str) -> set[str] | None:
    """The cells of one sheet with a percent number format (None: the package cannot say)."""
    flags = scan(data, [sheet_name], {sheet_name})
    return flags[sheet_name].percent if sheet_name in flags else set()


def _percent_styles(zf: zipfile.ZipFile) -> set[int]:
    """Indexes of the cell styles whose number format shows a percentage."""
    styles = ET.fromstring(zf.read("xl/styles.xml"))
    custom = {int(n.get("numFmtId")): n.get("formatCode") or "" for n in styles.iter(f"{_NS_MAIN}numFmt")}
    percent_ids = set(_PERCENT_BUILTIN) | {i for i, code in custom.items() if "%" in _QUOTED.sub("", code)}
    xfs = styles.find(f"{_NS_MAIN}cellXfs")
    if xfs is None:
        return set()
    return {i for i, xf in enumerate(xfs.findall(f"{_NS_MAIN}xf")) if int(xf.get("numFmtId") or 0) in percent_ids}


def address_index(address: str) -> tuple[int, int]:
    """"B12" -> (11, 1): zero-based row and column."""
    m = re.match(r"^([A-Z]+)([0-9]+)$", address)
    col = 0
    for ch in m.group(1):
        col = col * 26 + (ord(ch) - 64)
    return int(m.group(2)) - 1, col - 1
