"""A strict reader's view of an Office Open XML package (xlsx, xlsm, docx), for tests.

Excel and Word refuse, or "repair" and drop content from, a package that LibreOffice opens without a word:
a part that is not well-formed or uses a prefix it never declares, a relationship to a part that is not
there, a part [Content_Types].xml gives no type (or, for the kinds of part listed in EXPECTED_TYPE, a type
other than the one its relationship needs: Excel then ignores it), a worksheet whose elements are not in the
schema's order. `problems()` lists each of those, one sentence each; an empty list is a package Excel opens
as it is. Modelled on /work/shared/tools/ooxml_check.py; `parts()` gives every part's bytes by name.
"""
from __future__ import annotations

import io
import posixpath
import zipfile
from collections import Counter
from pathlib import Path
from urllib.parse import unquote
from xml.parsers import expat

XML_PARTS = (".xml", ".rels", ".vml")
CONTENT_TYPES = "[Content_Types].xml"
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_SML = "application/vnd.openxmlformats-officedocument.spreadsheetml."
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
# The content type a part must have for Excel to read it as what its relationship says it is (a comments part
# typed only by the generic Default "xml" is ignored: the notes are gone).
EXPECTED_TYPE = {
    _OFFICE + "worksheet": (_SML + "worksheet+xml",),
    _OFFICE + "comments": (_SML + "comments+xml",),
    _OFFICE + "styles": (_SML + "styles+xml", _WML + "styles+xml"),
    _OFFICE + "sharedStrings": (_SML + "sharedStrings+xml",),
    _OFFICE + "vmlDrawing": ("application/vnd.openxmlformats-officedocument.vmlDrawing",),
    _OFFICE + "drawing": ("application/vnd.openxmlformats-officedocument.drawing+xml",),
    _OFFICE + "chart": ("application/vnd.openxmlformats-officedocument.drawingml.chart+xml",),
    "http://schemas.microsoft.com/office/2006/relationships/vbaProject": ("application/vnd.ms-office.vbaProject",),
}
# The order of a worksheet's elements (CT_Worksheet, ECMA-376 part 1, 18.3.1.99): Excel "repairs" a sheet whose
# elements come in another order, e.g. a <legacyDrawing> (the notes) put after <tableParts> or <extLst>.
WORKSHEET_ORDER = (
    "sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr", "sheetProtection",
    "protectedRanges", "scenarios", "autoFilter", "sortState", "dataConsolidate", "customSheetViews", "mergeCells",
    "phoneticPr", "conditionalFormatting", "dataValidations", "hyperlinks", "printOptions", "pageMargins",
    "pageSetup", "headerFooter", "rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors",
    "smartTags", "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
    "webPublishItems", "tableParts", "extLst")


def _zip(source: str | Path | bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else Path(source))


def parts(source: str | Path | bytes) -> dict[str, bytes]:
    """Every part of the package (folders left out), by its name in the zip."""
    with _zip(source) as z:
        return {info.filename: z.read(info) for info in z.infolist() if not info.filename.endswith("/")}


def zipped(members: dict[str, bytes]) -> bytes:
    """A zip holding `members` (name -> bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in members.items():
            z.writestr(name, body)
    return out.getvalue()


def rezipped(data: bytes, change) -> bytes:
    """The package with each part replaced by change(name, body); a part for which it returns None is left out."""
    changed = {name: change(name, body) for name, body in parts(data).items()}
    return zipped({name: body for name, body in changed.items() if body is not None})


def _elements(data: bytes) -> list[tuple[str, dict[str, str], int]]:
    """(local name, attributes by local name, depth: 0 for the root) of every element, parsed as Excel does:
    namespace-aware expat, which refuses a prefix that is not declared. Raises expat.ExpatError when the part is
    not well-formed."""
    found: list[tuple[str, dict[str, str], int]] = []
    depth = [0]
    parser = expat.ParserCreate(namespace_separator=" ")

    def start(name: str, attrs: dict[str, str]) -> None:
        found.append((name.rsplit(" ", 1)[-1], {k.rsplit(" ", 1)[-1]: v for k, v in attrs.items()}, depth[0]))
        depth[0] += 1

    def end(_name: str) -> None:
        depth[0] -= 1

    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.Parse(data, True)
    return found


def _out_of_order(elements: list[tuple[str, dict[str, str], int]]) -> str:
    """The first child of a worksheet that comes before one it must follow; '' when the order is right."""
    last = ("", -1)
    for tag, _, depth in elements:
        if depth == 1 and tag in WORKSHEET_ORDER:
            rank = WORKSHEET_ORDER.index(tag)
            if rank < last[1]:
                return f"<{tag}> after <{last[0]}>"
            last = (tag, rank)
    return ""


def _target(rels_name: str, target: str) -> str:
    """The part a relationship points to: absolute ("/xl/...") or relative to the folder of the part that owns
    the _rels folder (xl/_rels/workbook.xml.rels -> xl; _rels/.rels -> the package root)."""
    target = target.split("#", 1)[0]
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    base = posixpath.dirname(posixpath.dirname(rels_name))
    return posixpath.normpath(posixpath.join(base, target))


def problems(source: str | Path | bytes) -> list[str]:
    """What a strict reader would refuse in the package, one sentence per problem; [] when there is nothing."""
    try:
        z = _zip(source)
    except (zipfile.BadZipFile, OSError) as exc:
        return [f"not a zip package: {exc}"]
    with z:
        infos = [i for i in z.infolist() if not i.filename.endswith("/")]
        names = [i.filename for i in infos]
        contents = {i.filename: z.read(i) for i in infos}
    out: list[str] = []
    lower = {n.lower() for n in names}
    out.extend(f"{name}: stored more than once" for name, n in sorted(Counter(names).items()) if n > 1)
    parsed: dict[str, list[tuple[str, dict[str, str], int]]] = {}
    for name in names:
        if name.lower().endswith(XML_PARTS):
            try:
                parsed[name] = _elements(contents[name])
            except expat.ExpatError as exc:
                out.append(f"{name}: not well-formed XML ({expat.ErrorString(exc.code)}, line {exc.lineno}, "
                           f"column {exc.offset})")
    if CONTENT_TYPES not in contents:
        return [*out, f"no {CONTENT_TYPES}"]
    types = parsed.get(CONTENT_TYPES, [])
    defaults = {a.get("Extension", "").lower(): a.get("ContentType", "") for tag, a, _ in types if tag == "Default"}
    overrides = {unquote(a.get("PartName", "")).lstrip("/").lower(): a.get("ContentType", "")
                 for tag, a, _ in types if tag == "Override"}

    def content_type(name: str) -> str | None:
        ext = posixpath.basename(name).rsplit(".", 1)[-1].lower() if "." in posixpath.basename(name) else ""
        return overrides.get(unquote(name).lower(), defaults.get(ext))

    for name in names:
        if name != CONTENT_TYPES and content_type(name) is None:
            out.append(f"{name}: no content type (neither an Override nor a Default for its extension)")
        if content_type(name) == _SML + "worksheet+xml" and name in parsed and (wrong := _out_of_order(parsed[name])):
            out.append(f"{name}: elements out of the order Excel requires ({wrong})")
    for name in names:   # a comment needs its text, and a cell holds one comment (Excel repairs either)
        if content_type(name) == _SML + "comments+xml" and name in parsed:
            refs = [a.get("ref", "") for tag, a, _ in parsed[name] if tag == "comment"]
            out.extend(f"{name}: two comments at {ref}" for ref, n in sorted(Counter(refs).items()) if n > 1)
            depth = {d for tag, _, d in parsed[name] if tag == "comment"}
            texts = sum(1 for tag, _, d in parsed[name] if tag == "text" and d - 1 in depth)
            if texts != len(refs):
                out.append(f"{name}: {len(refs) - texts} comment(s) without a text")
    for name in names:
        if not name.lower().endswith(".rels") or name not in parsed:
            continue
        ids: set[str] = set()
        for tag, a, _ in parsed[name]:
            if tag != "Relationship":
                continue
            rid = a.get("Id", "")
            if rid in ids:
                out.append(f"{name}: relationship Id {rid} used twice")
            ids.add(rid)
            if a.get("TargetMode") == "External":
                continue
            target = _target(name, a.get("Target", ""))
            if target.lower() not in lower and unquote(target).lower() not in lower:
                out.append(f"{name}: relationship {rid} points to missing part {target}")
                continue
            expected = EXPECTED_TYPE.get(a.get("Type", ""))
            if expected and content_type(target) is not None and content_type(target) not in expected:
                out.append(f"{name}: relationship {rid} points to {target} of content type {content_type(target)}, "
                           f"not {expected[0]}")
    return out
