"""What a unit may attach as a hồ sơ through its upload link (issue 29): `kind_of`'s first bytes, without a name.

`kind_of` names a zip-based file by its extension (a zip called "a.docx" is a Word file), which suits files the
office copied by hand. The web never trusts a name: a zip-based file is a Word document only when its first part
is one of an Office Open XML package and a part under "word/" is named in its first bytes, an OpenDocument text
only when its stored `mimetype` says so; anything else is a zip. Nothing is decompressed, opened or run.

The web stores a file under the extension of its kind, so `make report` reads the same kind from it again.
"""
from __future__ import annotations

import struct

from pipeline.config import Plan
from pipeline.read.dossiers import HEAD_BYTES, kind_of

ZIP_LOCAL = b"PK\x03\x04"
OOXML_FIRST = ("[Content_Types].xml", "_rels/", "docProps/", "word/", "customXml/")
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def upload_formats(plan: Plan) -> tuple[str, ...]:
    """The kinds a unit may attach ([dossier] upload_formats), each one a run counts (accepted_formats)."""
    cfg = plan.raw.get("dossier", {})
    counted = set(cfg.get("accepted_formats", ()))
    return tuple(k for k in cfg.get("upload_formats", ()) if k in counted)


def upload_kind(data: bytes) -> str:
    """What an attached file is by its first bytes alone: a key of msg.DOSSIER_KINDS, or '' when nothing says.
    (An OLE file is taken for a Word 97-2003 document: telling it from a workbook would mean parsing it.)"""
    head = data[:HEAD_BYTES]
    if not head.startswith(ZIP_LOCAL):
        return kind_of(head, "")
    if len(head) < 30:
        return "zip"
    name_len, extra_len = struct.unpack("<HH", head[26:30])   # a local file header: 30 bytes, then the name
    first = head[30:30 + name_len].decode("cp437", "replace")
    if first.startswith(OOXML_FIRST) and b"word/" in head:
        return "docx"
    start = 30 + name_len + extra_len
    if first == "mimetype" and head[start:start + len(ODT_MIMETYPE)] == ODT_MIMETYPE:
        return "odt"
    return "zip"
