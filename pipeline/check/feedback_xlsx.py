"""The feedback copy of an .xlsx return, made by editing only the parts that change.

Loading and saving a whole workbook with openpyxl costs ~100 ms and rewrites
everything; here the package is copied member by member and only these
parts are edited, as text: the styles (two fills and the cell formats that
use them), the sheets that hold a faulty cell (its style, its comment), the
comments and their VML drawings, and the workbook (a first sheet listing the
problems). Every edit is one pass over its part, so the time grows with the
size of the file plus the number of issues, never their product. Every edited
part is parsed again with a namespace-aware parser before the copy is written:
a part Excel would have to "repair" is never handed to a unit. Anything
unexpected (a prefixed namespace, a cell without its address) raises
`Unsupported`; the caller then normalises the package with openpyxl first.
"""
from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
from xml.parsers import expat
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from pipeline.read.xlsx_cells import address_index

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
T_SHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
T_COMMENTS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
T_VML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing"
CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
FILLS = {"error": "FFFF9999", "warning": "FFFFE699", "header": "FFDDEBF7"}
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Elements of a worksheet that must come after <legacyDrawing> (schema order of CT_Worksheet).
_AFTER_LEGACY = ("legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems", "tableParts",
                 "extLst")


@dataclass(frozen=True)
class Mark:
    """A faulty cell: where it is, how bad, and what to do."""

    sheet: str
    cell: str
    severity: str
    message: str


@dataclass(frozen=True)
class Listing:
    """The problem-list sheet: its name, title, note, column headers and rows (sheet, cell, message, severity)."""

    name: str
    title: str
    note: str
    headers: tuple[str, str, str, str]
    rows: list[tuple[str, str, str, str, str]]     # sheet, cell, message, severity label, severity code
    author: str
    tail: str = ""                                 # a last line: how many problems are not listed, if any


class Unsupported(Exception):
    """The package holds something this editor does not handle (normalise it with openpyxl first)."""


# Parts written by this editor carry this time, so that one return gives the same bytes by every path.
PART_TIME = (1980, 1, 1, 0, 0, 0)


def annotate(data: bytes, marks: list[Mark], listing: Listing) -> bytes:
    """The feedback copy as .xlsx bytes; `Unsupported` when this package must be normalised first."""
    try:
        return _Package(data).annotated(marks, listing)
    except (KeyError, ValueError, zipfile.BadZipFile, IndexError, UnicodeDecodeError, AttributeError) as exc:
        raise Unsupported(f"{type(exc).__name__}: {exc}") from exc


def _text(value: str) -> str:
    return escape(_BAD_XML.sub("", str(value)))


def _attr(value: str) -> str:
    return quoteattr(_BAD_XML.sub("", str(value)))


class _Package:
    def __init__(self, data: bytes):
        self.zin = zipfile.ZipFile(io.BytesIO(data))
        self.names = self.zin.namelist()
        self.parts: dict[str, bytes | str] = {}     # edited parts, by name
        workbook = self.read("xl/workbook.xml")
        if "<x:" in workbook[:2000] or f'xmlns="{MAIN}"' not in workbook:
            raise Unsupported("prefixed or unknown namespace")
        self.rels = self.read("xl/_rels/workbook.xml.rels")
        targets = dict(re.findall(r'<Relationship\b[^>]*?\bId="([^"]+)"[^>]*?\bTarget="([^"]+)"', self.rels))
        targets |= {i: t for t, i in re.findall(r'<Relationship\b[^>]*?\bTarget="([^"]+)"[^>]*?\bId="([^"]+)"',
                                               self.rels)}
        self.sheets = {}
        for attrs in re.findall(r"<sheet\b([^>]*)/>", workbook):
            name = _unescape(re.search(r'\bname="([^"]*)"', attrs).group(1))
            rid = re.search(r'\br:id="([^"]*)"', attrs).group(1)
            target = targets[rid]
            self.sheets[name] = _resolve("xl", target)

    def read(self, name: str) -> str:
        value = self.parts.get(name)
        if value is None:
            return self.zin.read(name).decode("utf-8")
        return value if isinstance(value, str) else value.decode("utf-8")

    def annotated(self, marks: list[Mark], listing: Listing) -> bytes:
        styles = _Styles(self.read("xl/styles.xml"))
        by_sheet: dict[str, list[Mark]] = {}
        for m in marks:
            if m.sheet in self.sheets and m.cell:
                by_sheet.setdefault(m.sheet, []).append(m)
        for sheet, found in by_sheet.items():
            self._mark_sheet(self.sheets[sheet], found, styles, listing.author)
        self._add_listing(listing, styles)
        self.parts["xl/styles.xml"] = styles.xml()
        return self._write()

    # -- faulty cells ------------------------------------------------------------------

    def _mark_sheet(self, path: str, marks: list[Mark], styles: "_Styles", author: str) -> None:
        worst: dict[str, str] = {}
        notes: dict[str, list[str]] = {}
        for m in marks:
            address = m.cell.replace("$", "").upper()
            if not _ADDRESS.fullmatch(address):
                continue            # a range or a column: listed, not marked
            worst[address] = "error" if "error" in (m.severity, worst.get(address)) else "warning"
            notes.setdefault(address, []).append(m.message)
        if not worst:
            return
        xml = _restyle(self.read(path), {a: (lambda s, sev=sev: styles.with_fill(s, sev)) for a, sev in worst.items()})
        self.parts[path] = re.sub(r'(<sheetView\b[^>]*?)\s+tabSelected="1"', r"\1", xml)
        self._comment(path, notes, author)

    def _comment(self, sheet_path: str, notes: dict[str, list[str]], author: str) -> None:
        base = posixpath.dirname(sheet_path)
        rels_path = posixpath.join(base, "_rels", posixpath.basename(sheet_path) + ".rels")
        rels = self.read(rels_path) if rels_path in self.names or rels_path in self.parts else (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG_REL}"></Relationships>')
        # The notes' drawing is the one the sheet's <legacyDrawing> names: a logo in the page header has a drawing
        # of the same relationship type (<legacyDrawingHF>), which must stay as it is.
        legacy = re.search(r'<legacyDrawing\b[^>]*\br:id="([^"]+)"', self.read(sheet_path))
        comments_target = _target_of(rels, T_COMMENTS)
        vml_target = _target_by_id(rels, legacy.group(1)) if legacy else None
        n = 1 + sum(1 for name in [*self.names, *self.parts] if re.match(r"xl/comments\w*\d*\.xml$", name))
        if comments_target:
            comments_path = _resolve(base, comments_target)
        else:
            comments_path = f"xl/comments_fb{n}.xml"
            rels = _add_relationship(rels, T_COMMENTS, _rel_target(base, comments_path))
            self.parts[comments_path] = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<comments '
                                         f'xmlns="{MAIN}"><authors></authors><commentList></commentList></comments>')
            self._content_type(f"/{comments_path}", CT_COMMENTS)
        if vml_target:   # the sheet's drawing of notes (and of any form controls) gets the new note boxes
            vml_path = _resolve(base, vml_target)
        else:
            vml_path = f"xl/drawings/vmlDrawing_fb{n}.vml"
            rid = _new_rid(rels)
            rels = _add_relationship(rels, T_VML, _rel_target(base, vml_path))
            self.parts[sheet_path] = _insert_legacy_drawing(self.read(sheet_path), rid)
            self.parts[vml_path] = _VML_HEAD.replace('data="1"', f'data="{n + 100}"') + "</xml>"
            self._content_type("vml", CT_VML, default=True)
        self.parts[rels_path] = rels
        self.parts[comments_path] = _add_comments(self.read(comments_path), notes, author)
        self.parts[vml_path] = _add_shapes(self.read(vml_path), notes)

    def _content_type(self, name: str, content_type: str, default: bool = False) -> None:
        types = self.read("[Content_Types].xml")
        if default:
            if f'Extension="{name}"' not in types:
                types = types.replace("</Types>", f'<Default Extension="{name}" ContentType="{content_type}"/></Types>')
        elif f'PartName="{name}"' not in types:
            types = types.replace("</Types>", f'<Override PartName="{name}" ContentType="{content_type}"/></Types>')
        self.parts["[Content_Types].xml"] = types

    # -- the problem list -------------------------------------------------------------------

    def _add_listing(self, listing: Listing, styles: "_Styles") -> None:
        """The problem list as the first sheet; a list already there (a feedback copy sent back) is replaced."""
        if listing.name in self.sheets:
            self.parts[self.sheets[listing.name]] = _listing_xml(listing, styles)
            return
        taken = {*self.names, *self.parts}
        path = next(p for n in range(1, 10_000) if (p := f"xl/worksheets/sheet_feedback{n}.xml") not in taken)
        workbook = self.read("xl/workbook.xml")
        ids = [int(i) for i in re.findall(r'<sheet\b[^>]*?\bsheetId="(\d+)"', workbook)]
        rid = _new_rid(self.rels)
        self.rels = _add_relationship(self.rels, T_SHEET, _rel_target("xl", path))
        self.parts["xl/_rels/workbook.xml.rels"] = self.rels
        entry = (f'<sheet xmlns:r="{REL}" name={_attr(listing.name)} sheetId="{max(ids, default=0) + 1}" '
                 f'r:id="{rid}"/>')
        workbook, found = re.subn(r"<sheets>", "<sheets>" + entry, workbook, count=1)
        if not found:
            raise Unsupported("no <sheets>")
        # The new sheet comes first: every sheet-local defined name moves one place.
        workbook = re.sub(r'localSheetId="(\d+)"', lambda m: f'localSheetId="{int(m.group(1)) + 1}"', workbook)
        workbook = re.sub(r'\s(?:activeTab|firstSheet)="\d+"', "", workbook)
        self.parts["xl/workbook.xml"] = workbook
        for other in self.sheets.values():
            xml = self.read(other)
            if 'tabSelected="1"' in xml:
                self.parts[other] = re.sub(r'(<sheetView\b[^>]*?)\s+tabSelected="1"', r"\1", xml)
        self.parts[path] = _listing_xml(listing, styles)
        self._content_type("/" + path, CT_SHEET)

    def _write(self) -> bytes:
        for name, value in self.parts.items():
            _well_formed(name, value)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
            for info in self.zin.infolist():
                if info.filename not in self.parts:
                    _copy_member(self.zin, zout, info)
            for name, value in self.parts.items():
                info = zipfile.ZipInfo(name, PART_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                zout.writestr(info, value.encode("utf-8") if isinstance(value, str) else value)
        return out.getvalue()


def _well_formed(name: str, xml: str | bytes) -> None:
    """An edited part as Excel reads it: well-formed, every prefix bound (expat with namespaces)."""
    parser = expat.ParserCreate(namespace_separator=" ")
    try:
        parser.Parse(xml.encode("utf-8") if isinstance(xml, str) else xml, True)
    except expat.ExpatError as exc:
        raise Unsupported(f"{name} would not be well-formed: {exc}") from exc


# -- styles ------------------------------------------------------------------------------------

class _Styles:
    """styles.xml with added fills, fonts and cell formats, appended at the end of their lists."""

    def __init__(self, xml: str):
        self.src = xml
        self.fills = _items(xml, "fills", "fill")
        self.fonts = _items(xml, "fonts", "font")
        self.xfs = _items(xml, "cellXfs", "xf")
        if not self.xfs:
            raise Unsupported("no cell formats")
        self.added_fills: dict[str, int] = {}
        self.added_fonts: dict[str, int] = {}
        self.cache: dict[tuple, int] = {}

    def fill(self, kind: str) -> int:
        if kind not in self.added_fills:
            self.added_fills[kind] = len(self.fills)
            self.fills.append(f'<fill><patternFill patternType="solid"><fgColor rgb="{FILLS[kind]}"/>'
                              f'<bgColor indexed="64"/></patternFill></fill>')
        return self.added_fills[kind]

    def font(self, key: str, xml: str) -> int:
        if key not in self.added_fonts:
            self.added_fonts[key] = len(self.fonts)
            self.fonts.append(xml)
        return self.added_fonts[key]

    def with_fill(self, style: int, kind: str) -> int:
        """A cell format like `style` (its font, border, number format) with the fill of `kind`."""
        key = ("fill", style, kind)
        if key not in self.cache:
            base = self.xfs[style] if style < len(self.xfs) else self.xfs[0]
            xf = re.sub(r'\sfillId="\d+"', "", base)
            xf = re.sub(r'\sapplyFill="\w+"', "", xf)
            xf = xf.replace("<xf", f'<xf fillId="{self.fill(kind)}" applyFill="1"', 1)
            self.cache[key] = len(self.xfs)
            self.xfs.append(xf)
        return self.cache[key]

    def listing(self, role: str) -> int:
        """The cell formats of the problem list: title, note, header, text, and the two severity cells."""
        key = ("listing", role)
        if key not in self.cache:
            fonts = {"title": '<font><b/><sz val="13"/><name val="Times New Roman"/></font>',
                     "note": '<font><i/><sz val="11"/><name val="Times New Roman"/></font>',
                     "header": '<font><b/><sz val="11"/><name val="Times New Roman"/></font>'}
            font = self.font(role if role in fonts else "body", fonts.get(
                role, '<font><sz val="11"/><name val="Times New Roman"/></font>'))
            fill = self.fill(role) if role in FILLS else 0
            wrap = '<alignment wrapText="1" vertical="top"/>' if role != "title" else ""
            apply_fill = ' applyFill="1"' if fill else ""
            self.cache[key] = len(self.xfs)
            self.xfs.append(f'<xf numFmtId="0" fontId="{font}" fillId="{fill}" borderId="0" xfId="0" applyFont="1"'
                            f'{apply_fill} applyAlignment="1">{wrap}</xf>')
        return self.cache[key]

    def xml(self) -> str:
        out = _replace_items(self.src, "fills", "fill", self.fills)
        out = _replace_items(out, "fonts", "font", self.fonts)
        return _replace_items(out, "cellXfs", "xf", self.xfs)


def _items(xml: str, list_tag: str, item: str) -> list[str]:
    m = re.search(rf"<{list_tag}\b[^>]*>(.*?)</{list_tag}>", xml, re.S)
    if m is None:
        if re.search(rf"<{list_tag}\b[^>]*/>", xml):
            return []
        raise Unsupported(f"no <{list_tag}>")
    return re.findall(rf"<{item}\b[^>]*?/>|<{item}\b[^>]*?>.*?</{item}>", m.group(1), re.S)


def _replace_items(xml: str, list_tag: str, item: str, items: list[str]) -> str:
    body = "".join(items)
    new = f'<{list_tag} count="{len(items)}">{body}</{list_tag}>'
    xml, n = re.subn(rf"<{list_tag}\b[^>]*>.*?</{list_tag}>", lambda _m: new, xml, count=1, flags=re.S)
    if n == 0:
        xml, n = re.subn(rf"<{list_tag}\b[^>]*/>", lambda _m: new, xml, count=1)
    return xml


# -- cells -----------------------------------------------------------------------------------

_ADDRESS = re.compile(r"[A-Z]{1,3}[1-9][0-9]{0,6}")
_ROW = re.compile(r"<row\b([^>]*?)(/>|>(.*?)</row>)", re.S)
_CELL = re.compile(r"<c\b([^>]*?)(/>|>.*?</c>)", re.S)
_R_ATTR = re.compile(r'\br="([A-Z]*)(\d+)"')
_S_ATTR = re.compile(r'\ss="(\d+)"')


def _restyle(xml: str, style_of: dict) -> str:
    """Give each cell in `style_of` (address -> function of its old style index) a new style, in one pass over
    the sheet; a cell or row that is not there yet is created in its place."""
    by_row: dict[int, dict[int, str]] = {}
    for address in style_of:
        row, col = address_index(address)
        by_row.setdefault(row + 1, {})[col] = address
    head = re.search(r"<sheetData\s*/>|<sheetData\b[^>]*>", xml)
    if head is None:
        raise Unsupported("no sheetData")
    if head.group(0).endswith("/>"):
        xml = xml[:head.start()] + "<sheetData></sheetData>" + xml[head.end():]
        body_start = body_end = head.start() + len("<sheetData>")
    else:
        body_start, body_end = head.end(), xml.index("</sheetData>", head.end())
    pending = sorted(by_row)          # rows to mark, in order; each is either met or inserted before a later one
    out, at, k = [xml[:body_start]], body_start, 0
    for m in _ROW.finditer(xml, body_start, body_end):
        r = re.search(r'\br="(\d+)"', m.group(1))
        if r is None:
            raise Unsupported("a row without its number")
        number = int(r.group(1))
        while k < len(pending) and pending[k] < number:       # rows to create before this one
            out.append(xml[at:m.start()] + _new_row(pending[k], by_row[pending[k]], style_of))
            at, k = m.start(), k + 1
        if k < len(pending) and pending[k] == number:
            out.append(xml[at:m.start()] + _marked_row(m, by_row[number], style_of))
            at, k = m.end(), k + 1
    out.append(xml[at:body_end])
    out.extend(_new_row(n, by_row[n], style_of) for n in pending[k:])
    out.append(xml[body_end:])
    return "".join(out)


def _new_cell(address: str, style_of: dict) -> str:
    return f'<c r="{address}" s="{style_of[address](0)}"/>'


def _new_row(number: int, cols: dict[int, str], style_of: dict) -> str:
    return f'<row r="{number}">' + "".join(_new_cell(cols[c], style_of) for c in sorted(cols)) + "</row>"


def _marked_row(row: re.Match, cols: dict[int, str], style_of: dict) -> str:
    """One row with its marked cells restyled and the missing ones inserted in column order."""
    attrs, body = row.group(1), row.group(3) or ""
    todo = sorted(cols)
    out, at, k = [], 0, 0
    for c in _CELL.finditer(body):
        ref = _R_ATTR.search(c.group(1))
        if ref is None or not ref.group(1):
            raise Unsupported("a cell without its address")
        col = address_index(f"{ref.group(1)}1")[1]
        while k < len(todo) and todo[k] < col:
            out.append(body[at:c.start()] + _new_cell(cols[todo[k]], style_of))
            at, k = c.start(), k + 1
        if k < len(todo) and todo[k] == col:
            old = _S_ATTR.search(c.group(1))
            new_attrs = _S_ATTR.sub("", c.group(1)) + f' s="{style_of[cols[col]](int(old.group(1)) if old else 0)}"'
            out.append(body[at:c.start()] + f"<c{new_attrs}{c.group(2)}")
            at, k = c.end(), k + 1
    out.append(body[at:])
    out.extend(_new_cell(cols[c], style_of) for c in todo[k:])
    return f"<row{attrs}>" + "".join(out) + "</row>"


# -- comments ----------------------------------------------------------------------------------

_SHAPETYPE = ('<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
              '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>')
_VML_HEAD = ('<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
             'xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" '
             'data="1"/></o:shapelayout>' + _SHAPETYPE)


# A comment: its start tag (without its end), its cell, and its body (None when the element closes itself).
_COMMENT = re.compile(r'(<comment\b[^>]*?\bref="([A-Z]+[0-9]+)"[^>]*?)(?:/>|>(.*?)</comment>)', re.S)
_VML_NS = ('xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
           'xmlns:x="urn:schemas-microsoft-com:office:excel"')


def _add_comments(xml: str, notes: dict[str, list[str]], author: str) -> str:
    """Each cell's messages as its comment, in one pass: after the note already there (the unit's own, or the
    template's help), as the text of a note that has none, else as a new comment at the end of the list."""
    authors = re.findall(r"<author>(.*?)</author>", xml, re.S)
    if escape(author) not in authors:
        authors.append(escape(author))
        xml = re.sub(r"<authors\s*/>", "<authors></authors>", xml, count=1)
        xml = xml.replace("</authors>", f"<author>{escape(author)}</author></authors>", 1)
    author_id = authors.index(escape(author))
    xml = re.sub(r"<commentList\s*/>", "<commentList></commentList>", xml, count=1)
    runs = {address: f'<r><t xml:space="preserve">{_text(chr(10).join(messages))}</t></r>'
            for address, messages in notes.items()}
    out, at = [], 0
    for m in _COMMENT.finditer(xml):
        start, address, body = m.groups()
        run = runs.pop(address, None)
        if run is None:
            continue
        if body is not None and "</text>" in body:
            body = body.replace("</text>", f'<r><t xml:space="preserve">\n</t></r>{run}</text>', 1)
            out.append(xml[at:m.start(3)] + body)
            at = m.end(3)
        else:   # a comment without a text (some tools write one): ours becomes its text; a cell has one comment
            out.append(f"{xml[at:m.start()]}{start}><text>{run}</text>{body or ''}</comment>")
            at = m.end()
    end = xml.index("</commentList>", at)
    out.append(xml[at:end])
    out.extend(f'<comment ref="{address}" authorId="{author_id}"><text>{run}</text></comment>'
               for address, run in runs.items())
    out.append(xml[end:])
    return "".join(out)


def _add_shapes(vml: str, notes: dict[str, list[str]]) -> str:
    """One hidden note box per new comment, anchored next to its cell (what Excel shows on hover). Each box
    declares its own namespaces, so it is well-formed whatever prefixes the drawing already uses (openpyxl
    writes ns0:, Excel v:)."""
    if "</xml>" not in vml:
        raise Unsupported("unexpected VML")
    ids = [int(i) for i in re.findall(r'id="_x0000_s(\d+)"', vml)]
    block = re.search(r'<(?:\w+:)?idmap\b[^>]*\bdata="(\d+)', vml)
    next_id = max(ids, default=1024 * (int(block.group(1)) if block else 1)) + 1
    boxed = {(int(r), int(c)) for r, c in
             re.findall(r"<(?:\w+:)?Row>\s*(\d+)\s*</(?:\w+:)?Row>\s*<(?:\w+:)?Column>\s*(\d+)\s*<", vml)}
    shapes = []
    for address in notes:
        row, col = address_index(address)
        if (row, col) in boxed:
            continue  # the cell already has a note box
        shapes.append(
            f'<v:shape {_VML_NS} id="_x0000_s{next_id}" type="#_x0000_t202" style="position:absolute;'
            f'margin-left:59.25pt;margin-top:1.5pt;width:240pt;height:110pt;z-index:1;visibility:hidden" '
            f'fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/><v:shadow on="t" color="black" '
            f'obscured="t"/><v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto">'
            f'<div style="text-align:left"></div></v:textbox><x:ClientData ObjectType="Note"><x:MoveWithCells/>'
            f"<x:SizeWithCells/><x:Anchor>{col + 1}, 15, {row}, 2, {col + 5}, 15, {row + 7}, 2</x:Anchor>"
            f"<x:AutoFill>False</x:AutoFill><x:Row>{row}</x:Row><x:Column>{col}</x:Column></x:ClientData>"
            "</v:shape>")
        next_id += 1
    if shapes and 'id="_x0000_t202"' not in vml:     # a drawing of form controls only: add the note shape type
        shapes.insert(0, _SHAPETYPE.replace("<v:shapetype ", f"<v:shapetype {_VML_NS} ", 1))
    end = vml.rindex("</xml>")
    return vml[:end] + "".join(shapes) + vml[end:]


# -- the problem-list sheet ---------------------------------------------------------------------

def _listing_xml(listing: Listing, styles: _Styles) -> str:
    s = {role: styles.listing(role) for role in ("title", "note", "header", "body", "error", "warning")}
    rows = [f'<row r="1" ht="22" customHeight="1"><c r="A1" s="{s["title"]}" t="inlineStr"><is><t>'
            f"{_text(listing.title)}</t></is></c></row>",
            f'<row r="2" ht="32" customHeight="1"><c r="A2" s="{s["note"]}" t="inlineStr"><is><t xml:space="preserve">'
            f"{_text(listing.note)}</t></is></c></row>",
            '<row r="3">' + "".join(f'<c r="{col}3" s="{s["header"]}" t="inlineStr"><is><t>{_text(h)}</t></is></c>'
                                    for col, h in zip("ABCD", listing.headers)) + "</row>"]
    links = []
    for i, (sheet, cell, message, label, severity) in enumerate(listing.rows, start=4):
        lines = max(1, -(-len(message) // 85))
        cells = [(f"A{i}", sheet, s["body"]), (f"B{i}", cell, s["body"]), (f"C{i}", message, s["body"]),
                 (f"D{i}", label, s["error"] if severity == "error" else s["warning"])]
        rows.append(f'<row r="{i}" ht="{15 * lines + 3}" customHeight="1">' + "".join(
            f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{_text(v)}</t></is></c>'
            for ref, v, style in cells) + "</row>")
        if cell and sheet:
            quoted = "'" + sheet.replace("'", "''") + "'"
            links.append(f'<hyperlink ref="B{i}" location={_attr(f"{quoted}!{cell}")} display={_attr(cell)}/>')
    merged = ['<mergeCell ref="A1:D1"/>', '<mergeCell ref="A2:D2"/>']    # title, note: full width
    if listing.tail:
        last = len(listing.rows) + 4
        rows.append(f'<row r="{last}" ht="32" customHeight="1"><c r="A{last}" s="{s["note"]}" t="inlineStr"><is>'
                    f'<t xml:space="preserve">{_text(listing.tail)}</t></is></c></row>')
        merged.append(f'<mergeCell ref="A{last}:D{last}"/>')
    hyperlinks = f"<hyperlinks>{''.join(links)}</hyperlinks>" if links else ""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}" xmlns:r="{REL}">'
            '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
            '<sheetViews><sheetView tabSelected="1" workbookViewId="0"><pane ySplit="3" topLeftCell="A4" '
            'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
            '<sheetFormatPr defaultRowHeight="15"/>'
            '<cols><col min="1" max="1" width="30" customWidth="1"/><col min="2" max="2" width="9" customWidth="1"/>'
            '<col min="3" max="3" width="90" customWidth="1"/><col min="4" max="4" width="11" customWidth="1"/></cols>'
            f"<sheetData>{''.join(rows)}</sheetData>"
            f'<mergeCells count="{len(merged)}">{"".join(merged)}</mergeCells>'
            f"{hyperlinks}"
            '<printOptions gridLines="1"/><pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" '
            'footer="0.3"/><pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
            "</worksheet>")


def _copy_member(zin: zipfile.ZipFile, zout: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """An unchanged part, copied as its compressed bytes (no inflate and deflate again)."""
    if info.flag_bits & 0x01 or info.file_size >= 0xFFFFFFFF or info.compress_size >= 0xFFFFFFFF:
        zout.writestr(info, zin.read(info))
        return
    zin.fp.seek(info.header_offset)
    header = zin.fp.read(30)
    if header[:4] != b"PK\x03\x04":
        raise Unsupported("unexpected local header")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    zin.fp.seek(info.header_offset + 30 + name_len + extra_len)
    raw = zin.fp.read(info.compress_size)
    copy = zipfile.ZipInfo(info.filename, info.date_time)
    copy.compress_type, copy.CRC = info.compress_type, info.CRC
    copy.compress_size, copy.file_size = info.compress_size, info.file_size
    copy.external_attr, copy.create_system = info.external_attr, info.create_system
    copy.header_offset = zout.fp.tell()
    zout.fp.write(copy.FileHeader(zip64=False))
    zout.fp.write(raw)
    zout.start_dir = zout.fp.tell()
    zout.filelist.append(copy)
    zout.NameToInfo[copy.filename] = copy
    zout._didModify = True


# -- package helpers -----------------------------------------------------------------------------

def _unescape(text: str) -> str:
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'")
            .replace("&amp;", "&"))


def _target_of(rels: str, rel_type: str) -> str | None:
    for rel in re.findall(r"<Relationship\b[^>]*/>", rels):
        if f'Type="{rel_type}"' in rel:
            return re.search(r'\bTarget="([^"]+)"', rel).group(1)
    return None


def _new_rid(rels: str) -> str:
    used = {int(n) for n in re.findall(r'Id="rId(\d+)"', rels)}
    return f"rId{max(used, default=0) + 1}"


def _add_relationship(rels: str, rel_type: str, target: str) -> str:
    rels = re.sub(r"<Relationships\b([^>]*?)\s*/>", r"<Relationships\1></Relationships>", rels, count=1)
    if "</Relationships>" not in rels:
        raise Unsupported("unexpected relationships part")
    rid = _new_rid(rels)
    return rels.replace("</Relationships>", f'<Relationship Id="{rid}" Type="{rel_type}" Target="{target}"/>'
                                            "</Relationships>", 1)


def _target_by_id(rels: str, rid: str) -> str | None:
    for rel in re.findall(r"<Relationship\b[^>]*/>", rels):
        if re.search(rf'\bId="{re.escape(rid)}"', rel):
            return re.search(r'\bTarget="([^"]+)"', rel).group(1)
    return None


def _resolve(base: str, target: str) -> str:
    """The part a relationship points to: absolute ("/xl/...") or relative to the part's folder."""
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))


def _rel_target(base: str, path: str) -> str:
    return posixpath.relpath(path, base)


def _insert_legacy_drawing(xml: str, rid: str) -> str:
    if re.search(r"<legacyDrawing\b", xml):
        raise Unsupported("a drawing of notes the relationships do not name")
    if 'xmlns:r="' not in xml[:1500]:
        xml = xml.replace("<worksheet ", f'<worksheet xmlns:r="{REL}" ', 1)
    element = f'<legacyDrawing r:id="{rid}"/>'
    for tag in _AFTER_LEGACY:
        m = re.search(rf"<{tag}\b", xml)
        if m:
            return xml[:m.start()] + element + xml[m.start():]
    return xml.replace("</worksheet>", element + "</worksheet>", 1)
