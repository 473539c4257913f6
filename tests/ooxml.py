"""A strict reader's view of an Office Open XML package (xlsx, xlsm, docx), for tests.

Excel and Word refuse, or "repair" and drop content from, a package that LibreOffice opens without a word:
a part that is not well-formed or uses a prefix it never declares, a relationship to a part that is not
there, a part [Content_Types].xml gives no type. `problems()` lists each of those, one sentence each; an
empty list is a package Excel opens as it is. Modelled on /work/shared/tools/ooxml_check.py.
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


def _zip(source: str | Path | bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else Path(source))


def parts(source: str | Path | bytes) -> dict[str, bytes]:
    """Every part of the package (folders left out), by its name in the zip."""
    with _zip(source) as z:
        return {info.filename: z.read(info) for info in z.infolist() if not info.filename.endswith("/")}


def _elements(data: bytes) -> list[tuple[str, dict[str, str]]]:
    """(local name, attributes by local name) of every element, parsed as Excel does: namespace-aware expat,
    which refuses a prefix that is not declared. Raises expat.ExpatError when the part is not well-formed."""
    found: list[tuple[str, dict[str, str]]] = []
    parser = expat.ParserCreate(namespace_separator=" ")

    def start(name: str, attrs: dict[str, str]) -> None:
        found.append((name.rsplit(" ", 1)[-1], {k.rsplit(" ", 1)[-1]: v for k, v in attrs.items()}))

    parser.StartElementHandler = start
    parser.Parse(data, True)
    return found


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
    parsed: dict[str, list[tuple[str, dict[str, str]]]] = {}
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
    defaults = {a.get("Extension", "").lower() for tag, a in types if tag == "Default"}
    overrides = {unquote(a.get("PartName", "")).lstrip("/").lower() for tag, a in types if tag == "Override"}
    for name in names:
        if name == CONTENT_TYPES:
            continue
        ext = posixpath.basename(name).rsplit(".", 1)[-1].lower() if "." in posixpath.basename(name) else ""
        if name.lower() not in overrides and unquote(name).lower() not in overrides and ext not in defaults:
            out.append(f"{name}: no content type (neither an Override nor a Default for .{ext})")
    for name in names:
        if not name.lower().endswith(".rels") or name not in parsed:
            continue
        ids: set[str] = set()
        for tag, a in parsed[name]:
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
    return out
