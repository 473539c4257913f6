"""Stage 1c: the hồ sơ units send beside their returns (the files of their award proposal).

Where a hồ sơ is found (`[dossier]` of config/plan.toml):
- any file under a folder named like "ho_so" ("Hồ sơ", "HOSO"):
  `inputs/received/<unit_code>/ho_so/<UTC time>_<sha8>.<ext>` is where the web stores what a unit uploads through
  its link; `inputs/ho_so/<unit code or name>/…` is where the office copies what arrived by e-mail or on paper
  (scanned);
- a file that is not a workbook whose name says it is one ("Ho so khen thuong Pho An.pdf", "To trinh.docx").
Its unit is the folder `received/<unit_code>/`, else the nearest folder or the file name that names one unit.

A hồ sơ is never opened, run or parsed: its first bytes say what it is (`kind`), its size and sha256 are taken for
the manifest, and when it arrived is the UTC time the web put in its name, else the file's modification time.
It is listed in files.csv as "ignored" with the reason saying whose hồ sơ it is.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path, PurePosixPath

import pandas as pd

from pipeline import messages as msg
from pipeline.config import Plan
from pipeline.read.sources import Issue, SourceFile, WORKBOOK_EXTS
from pipeline.text import fold, strip_accents, nfc
from schemas.codes import FileStatus
from schemas.rules import Rule

RECEIVED = "received"                                    # inputs/received/<unit_code>/ (the web's uploads)
WEB_NAME = re.compile(r"^(\d{8}T\d{6}Z)_[0-9a-f]{8}(?:\.|$)", re.IGNORECASE)   # <UTC time>_<sha8>.<ext>
HEAD_BYTES = 8192
RECEIVED_BY_WEB, RECEIVED_BY_FILE_TIME = "web", "file_time"
DOSSIER_FILE_COLUMNS = ["file", "unit_code", "kind", "received", "received_by"]

# The first bytes of each kind of hồ sơ (and of what must never pass for one).
_MAGIC = (
    (b"%PDF-", "pdf"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"), (b"PK\x03\x04", "zip"), (b"PK\x05\x06", "zip"),
    (b"\xff\xd8\xff", "jpg"), (b"\x89PNG\r\n\x1a\n", "png"), (b"II*\x00", "tif"), (b"MM\x00*", "tif"),
    (b"{\\rtf", "rtf"), (b"MZ", "exe"), (b"\x7fELF", "exe"),
)
# A zip-based or OLE file is what its extension says among these (reading its parts would be parsing it).
_ZIP_KINDS = {".docx": "docx", ".xlsx": "xlsx", ".odt": "odt", ".ods": "ods", ".zip": "zip"}
_OLE_KINDS = {".doc": "doc", ".xls": "xls"}


def _settings(plan: Plan) -> dict:
    return plan.raw.get("dossier", {})


def is_dossier(rel: str, plan: Plan) -> bool:
    """Whether the file at `rel` (inside inputs/, "a.zip/b.pdf" in an archive) is a hồ sơ, by where it is and its
    name; a workbook counts only inside a hồ sơ folder (elsewhere it is read as a return)."""
    cfg = _settings(plan)
    path = PurePosixPath(rel)
    folders = {fold(part.replace("_", " ")) for part in path.parts[:-1]}
    if folders & {fold(n) for n in cfg.get("folder_names", ())}:
        return True
    if path.suffix.lower() in WORKBOOK_EXTS or path.suffix.lower() == ".zip":
        return False
    name = re.sub(r"[_\-.]+", " ", strip_accents(nfc(path.stem)).casefold())
    return any(re.search(rf"(?<![a-z0-9]){m}(?![a-z0-9])", name) for m in cfg.get("name_markers", ()))


def unit_of(rel: str, plan: Plan) -> str:
    """The unit whose hồ sơ `rel` is: its folder received/<unit_code>/, else the nearest folder or the file name
    that names exactly one registry unit (by code, name or alias); '' when none does."""
    from pipeline.read.discover import camel_apart

    codes = {u.unit_code for u in plan.units}
    parts = PurePosixPath(rel).parts
    if len(parts) > 2 and parts[0] == RECEIVED and parts[1] in codes:
        return parts[1]
    for part in (*reversed(parts[:-1]), PurePosixPath(rel).stem):
        if part in codes:
            return part
        hits = plan.units_named_in(part) or plan.units_named_in(camel_apart(part))
        if len(hits) == 1:
            return hits.pop()
    return ""


def kind_of(head: bytes, ext: str) -> str:
    """What a file is by its first bytes: a key of msg.DOSSIER_KINDS, or '' when nothing says."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            if kind == "zip":
                return _ZIP_KINDS.get(ext, "zip")
            if kind == "ole":
                return _OLE_KINDS.get(ext, "doc")
            return kind
    start = head[:512].lstrip().lower()
    if start.startswith((b"<!doctype html", b"<html")):
        return "html"
    return ""


def dossier_source(src: SourceFile, head: bytes, plan: Plan) -> SourceFile:
    """`src`, a hồ sơ whose sha256 and mtime are set, told apart from a return: ignored, with whose it is."""
    ext = PurePosixPath(src.file).suffix.lower()
    kind = kind_of(head, ext)
    unit = unit_of(src.file, plan)
    formats = list(_settings(plan).get("accepted_formats", ()))
    accepted = set(formats)
    src.status, src.unit_code, src.format = FileStatus.IGNORED, unit, kind or "?"
    name = plan.unit(unit).unit_name if unit else ""
    if not unit:
        example = plan.units[0].unit_code if plan.units else "ma_don_vi"
        src.reason = msg.FILE_DOSSIER_NO_UNIT.format(example=example)
    elif kind not in accepted:
        found = msg.DOSSIER_FOUND.format(kind=msg.DOSSIER_KINDS[kind]) if kind else msg.DOSSIER_KIND_UNKNOWN
        names = ", ".join(dict.fromkeys(msg.DOSSIER_KINDS.get(k, k) for k in formats))
        src.reason = msg.FILE_DOSSIER_FORMAT.format(unit=name, ext=ext or "(không có đuôi)", found=found, formats=names)
    else:
        src.reason = msg.FILE_DOSSIER.format(unit=name, kind=msg.DOSSIER_KINDS[kind])
        return src
    src.issues.append(Issue(file=src.file, sheet="", cell="", column="", value=src.file, rule=Rule.DOSSIER_NOT_COUNTED,
                            severity="warning", message=src.reason, unit_code=unit))
    return src


def classify_dossier(rel: str, path: Path, plan: Plan) -> SourceFile:
    """A hồ sơ on disk: hashed as it streams (a scanned hồ sơ may be large), its first bytes sniffed."""
    src = SourceFile(file=rel, format="?", origin=path)
    try:
        src.mtime = path.stat().st_mtime
        h = hashlib.sha256()
        with path.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
            h.update(head)
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError as exc:
        return src.reject(msg.FILE_UNREADABLE.format(error=exc), FileStatus.IGNORED)
    src.sha256 = h.hexdigest()
    return dossier_source(src, head, plan)


def received_at(src: SourceFile, plan: Plan) -> tuple[dt.datetime | None, str]:
    """(local time the hồ sơ arrived, how it is known): the UTC time the web wrote in the name, else the file's
    modification time (a file saved from an e-mail or copied in Explorer keeps the time it arrived)."""
    offset = dt.timedelta(hours=float(_settings(plan).get("utc_offset_hours", 0)))
    m = WEB_NAME.match(PurePosixPath(src.file).name)
    if m:
        try:
            utc = dt.datetime.strptime(m.group(1).upper(), "%Y%m%dT%H%M%SZ")
            return utc + offset, RECEIVED_BY_WEB
        except ValueError:
            pass
    if src.mtime:
        return dt.datetime.fromtimestamp(src.mtime, dt.timezone.utc).replace(tzinfo=None) + offset, \
            RECEIVED_BY_FILE_TIME
    return None, ""


def dossier_files(sources: list[SourceFile], plan: Plan) -> pd.DataFrame:
    """One row per hồ sơ counted (its unit known, its kind accepted): file, unit_code, kind, received, received_by."""
    accepted = set(_settings(plan).get("accepted_formats", ()))
    rows = []
    for src in sources:
        if src.status == FileStatus.IGNORED and src.unit_code and src.format in accepted \
                and is_dossier(src.file, plan):
            when, how = received_at(src, plan)
            rows.append({"file": src.file, "unit_code": src.unit_code, "kind": src.format, "received": when,
                         "received_by": how})
    frame = pd.DataFrame(rows, columns=DOSSIER_FILE_COLUMNS)
    frame["received"] = pd.to_datetime(frame["received"])
    return frame.sort_values(["unit_code", "received", "file"], kind="stable").reset_index(drop=True)


def archived_dossier(src: SourceFile, zf, info, plan: Plan) -> SourceFile:
    """A hồ sơ inside an e-mailed .zip (`src` its member): hashed and sniffed from the archive, never extracted."""
    h = hashlib.sha256()
    try:
        with zf.open(info) as fh:
            head = fh.read(HEAD_BYTES)
            h.update(head)
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except Exception:  # zipfile raises several kinds for a broken member
        return src.reject(msg.FILE_CORRUPT, FileStatus.IGNORED)
    src.sha256 = h.hexdigest()
    return dossier_source(src, head, plan)
