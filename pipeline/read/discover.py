"""Stage 1a: find every file in `inputs/`, open e-mailed archives, and refuse what is not a readable workbook.

Bombs and disguised files are refused here, before any XML is parsed.
"""
from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from pathlib import Path, PurePosixPath

from pipeline import messages as msg
from pipeline.config import Plan
from pipeline.read.decisions import DECISIONS_FILE, Decisions, parse as parse_decisions, upload_of
from pipeline.read.award_decisions import decisions_source, is_award_decisions
from pipeline.read.dossiers import archived_dossier, classify_dossier, is_dossier
from pipeline.read.sources import (
    OLE_MAGIC, WORKBOOK_EXTS, ZIP_EXTS, ZIP_MAGIC, Issue, SourceFile, open_package,
)
from schemas.codes import FileStatus
from schemas.rules import Rule

# -- discovery -----------------------------------------------------------------

def discover(inputs: Path, plan: Plan, sender: str = "") -> list[SourceFile]:
    """Every file under `inputs/`, archives opened; nothing is skipped silently.

    A file under `received/<unit_code>/` (where the web stores what a unit sends through its link) is known to
    come from that unit (`SourceFile.sender`), and carries the office's decision on it (DECISIONS_FILE);
    `sender` says so of every file found (the web checking one upload of that unit)."""
    found: list[SourceFile] = []
    decisions = Decisions()
    for path in sorted(p for p in inputs.rglob("*") if p.is_file()):
        rel = path.relative_to(inputs).as_posix()
        if rel in ("README.md", ".gitkeep"):
            continue
        if rel == DECISIONS_FILE:
            src, decisions = _decisions(rel, path)
            found.append(src)
            continue
        if is_award_decisions(rel, plan):                     # the office's decisions on the award proposals
            found.append(decisions_source(rel, path, plan))
            continue
        if is_dossier(rel, plan) and not _not_a_return(rel):  # a unit's hồ sơ: never read as a return
            found.append(classify_dossier(rel, path, plan))
            continue
        found.extend(_classify(rel, path, plan))
    codes = {u.unit_code for u in plan.units}
    for src in found:
        unit, name = upload_of(src.file)
        src.sender = sender or (unit if unit in codes else "")
        if unit in codes:
            src.decision, src.decision_reason = decisions.for_file(unit, name)
    return found


def _decisions(rel: str, path: Path) -> tuple[SourceFile, Decisions]:
    """The office's decisions file: listed in files.csv as what it is (not a return), and read."""
    src = SourceFile(file=rel, format="json")
    try:
        data = path.read_bytes()
        src.mtime = path.stat().st_mtime
        src.sha256 = hashlib.sha256(data).hexdigest()
        decisions = parse_decisions(data)
    except (OSError, ValueError, UnicodeDecodeError):
        return src.reject(msg.FILE_DECISIONS_UNREADABLE), Decisions()
    src.status, src.reason = FileStatus.IGNORED, msg.FILE_DECISIONS
    return src, decisions


# Files an operating system leaves in folders (Windows thumbnails and folder settings, macOS metadata).
SYSTEM_FILES = {"thumbs.db", "ehthumbs.db", "desktop.ini", "__macosx", "icon\r"}


def _not_a_return(path: str) -> str | None:
    """Why a file is passed over without a word of blame: an office suite's lock file, a hidden or system file."""
    parts = PurePosixPath(path).parts
    if parts and parts[-1].startswith("~$"):
        return msg.FILE_LOCK
    if any(p.startswith(".") or p.casefold() in SYSTEM_FILES for p in parts):
        return msg.FILE_HIDDEN
    return None


def _classify(rel: str, path: Path, plan: Plan) -> list[SourceFile]:
    name = PurePosixPath(rel).name
    ext = PurePosixPath(name).suffix.lower()
    src = SourceFile(file=rel, format=ext.lstrip(".") or "?")
    try:
        src.mtime = path.stat().st_mtime
        size = path.stat().st_size
    except OSError as exc:
        return [src.reject(msg.FILE_UNREADABLE.format(error=exc))]
    if why := _not_a_return(rel):
        return [src.reject(why, FileStatus.IGNORED)]
    if size > plan.limits["max_file_bytes"]:
        return [src.reject(msg.FILE_TOO_LARGE.format(mb=plan.limits["max_file_bytes"] // 1_000_000))]
    data = path.read_bytes()
    src.sha256 = hashlib.sha256(data).hexdigest()
    if ext in ZIP_EXTS:
        return [src] + _open_archive(rel, data, plan, src, path)
    src.origin = path
    return [src]   # its content is checked where it is read (`check_loaded`, in a checking worker)


def check_loaded(src: SourceFile, plan: Plan) -> SourceFile:
    """`check_content` of a found file, its bytes loaded (kept for `read_workbook` when they pass)."""
    src.data = src.load()
    return check_content(src, PurePosixPath(src.file).suffix.lower(), plan)


def _open_archive(rel: str, data: bytes, plan: Plan, archive: SourceFile, path: Path) -> list[SourceFile]:
    """Members of an e-mailed .zip, under the same bomb guards as a workbook."""
    archive.status = FileStatus.IGNORED
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        problem = zip_guard(zf, len(data), plan)
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
        shown = member_name(info)
        member_rel = f"{rel}/{shown}"
        name = PurePosixPath(shown).name
        ext = PurePosixPath(name).suffix.lower()
        src = SourceFile(file=member_rel, format=ext.lstrip(".") or "?", mtime=archive.mtime,
                         origin=path, member=info.filename)
        if not _safe_member_path(info.filename):      # "../../x.xlsx", "/etc/x.xlsx", "C:\\x.xlsx"
            members.append(src.reject(msg.FILE_MEMBER_PATH.format(name=shown)))
            continue
        if why := _not_a_return(info.filename):
            members.append(src.reject(why, FileStatus.IGNORED))
            continue
        if is_dossier(member_rel, plan):                      # a hồ sơ sent in the archive: never extracted
            members.append(archived_dossier(src, zf, info, plan))
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
        src.data = None   # read again from the archive where it is checked and read
        members.append(src)
    return members


def _safe_member_path(name: str) -> bool:
    """Whether a member's name is a relative path inside the archive (never above it, never absolute)."""
    path = name.replace("\\", "/")
    parts = PurePosixPath(path).parts
    return bool(parts) and not path.startswith("/") and not re.match(r"[A-Za-z]:", path) and ".." not in parts


def member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its sender wrote it.

    A zip made on a Vietnamese Windows machine stores names in the Windows code page without the UTF-8 flag;
    zipfile then reads them as cp437 ("Bßo cßo"). The raw name is read as UTF-8 when it is valid UTF-8, else
    as cp1258 (Vietnamese Windows), else left as zipfile read it.
    """
    if info.flag_bits & 0x800 or info.filename.isascii():
        return info.filename
    raw = info.filename.encode("cp437")
    for codec in ("utf-8", "cp1258"):
        try:
            return unicodedata.normalize("NFC", raw.decode(codec))
        except UnicodeDecodeError:
            continue
    return info.filename


def zip_guard(zf: zipfile.ZipFile, packed: int, plan: Plan) -> str:
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


def check_content(src: SourceFile, ext: str, plan: Plan) -> SourceFile:
    """Refuse what is not a readable workbook before calamine sees it; the format is the bytes', not the name's."""
    data = src.data or b""
    if not data:
        return src.reject(msg.FILE_EMPTY)
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<table", b"<meta")) or b"<html" in head:
        return src.reject(msg.FILE_HTML)
    found = sniff(data, plan)
    if ext not in WORKBOOK_EXTS:
        if found not in FORMATS or ext[1:].isalpha():   # ".bak", ".docx": a name of its own is never read
            return src.reject(msg.FILE_NOT_WORKBOOK.format(ext=ext or "(không có đuôi)"))
        named = msg.FILE_NAMED_ODD_EXT.format(ext=ext) if ext else msg.FILE_NAMED_NO_EXT
        src.issues.append(_file_warning(src, Rule.FILE_NO_EXTENSION, ext, msg.FILE_NO_EXTENSION.format(
            named=named, format=found)))
    if found in REFUSED:
        return src.reject(REFUSED[found])
    if not found:
        return src.reject(msg.FILE_CORRUPT)
    if ext in WORKBOOK_EXTS and found != ext.lstrip(".") and {found, ext.lstrip(".")} != {"xlsx", "xlsm"}:
        # an .xls saved under .xlsx by hand (or the other way round): read as what it is, and said
        src.issues.append(_file_warning(src, Rule.FILE_MISNAMED, ext, msg.FILE_MISNAMED.format(
            ext=ext, format=found, kind=msg.FORMAT_NAMES[found])))
    src.format = found
    return src


FORMATS = ("xlsx", "xlsm", "xls", "ods")
# What the bytes of a file may be besides a workbook (`sniff`), and why such a file is refused.
REFUSED = {
    "encrypted_ooxml": msg.FILE_ENCRYPTED,
    "encrypted_xls": msg.FILE_ENCRYPTED_XLS,
    "ole_other": msg.FILE_CORRUPT,
    "word": msg.FILE_WORD,
    "zip_other": msg.FILE_NOT_WORKBOOK_ZIP,
    "corrupt_zip": msg.FILE_CORRUPT,
    "bomb": msg.FILE_BOMB,
}
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")   # the stream of an OOXML file with a password to open
_WORKBOOK_STREAM = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
_BIFF_BOF = re.compile(rb"\x09\x08[\x08\x10]\x00")             # a BIFF5/8 BOF record: type 0x0809, 8 or 16 bytes


def sniff(data: bytes, plan: Plan) -> str:
    """The format of a file's bytes: one of FORMATS, a key of REFUSED, or '' (nothing known).

    An OLE file is an .xls, or an OOXML workbook encrypted with a password to open (its EncryptedPackage
    stream); an .xls is encrypted when the record after its first BOF is FILEPASS (0x002F)."""
    if data.startswith(OLE_MAGIC):
        if _ENCRYPTED_PACKAGE in data:
            return "encrypted_ooxml"
        if not any(name in data for name in _WORKBOOK_STREAM):
            return "ole_other"          # a Word 97 document, an Outlook message: OLE, but no workbook
        bof = _BIFF_BOF.search(data)
        if bof and data[bof.end() + data[bof.start() + 2]:][:2] == b"\x2f\x00":
            return "encrypted_xls"
        return "xls"
    if data.startswith(ZIP_MAGIC):
        try:
            zf = open_package(data)
            names = set(zf.namelist())
            if zip_guard(zf, len(data), plan):
                return "bomb"
        except (zipfile.BadZipFile, ValueError, OSError):
            return "corrupt_zip"
        if "xl/workbook.xml" in names:
            return "xlsm" if "xl/vbaProject.bin" in names else "xlsx"
        if "content.xml" in names:
            return "ods"
        return "word" if "word/document.xml" in names else "zip_other"
    return ""


def _file_warning(src: SourceFile, rule: str, value: str, text: str) -> Issue:
    return Issue(file=src.file, sheet="", cell="", column="", value=value, rule=rule, severity="warning",
                 message=text + msg.SEVERITY_SUFFIX[("warning", "file")])


def guess_unit_from_name(rel: str, plan: Plan) -> str:
    """The unit a file seems to come from, by its file name alone (or '' when none or several match); a name whose
    words are glued with capitals ("BC_DVK_PhoVan", "PhổAn") is read with them apart when it names none as it is."""
    stem = PurePosixPath(rel).stem
    hits = plan.units_named_in(stem) or plan.units_named_in(camel_apart(stem))
    return hits.pop() if len(hits) == 1 else ""


def camel_apart(text: str) -> str:
    """"PhoVan" -> "Pho Van": a space wherever a small letter is followed by a capital."""
    return "".join(f" {c}" if i and c.isupper() and text[i - 1].islower() else c for i, c in enumerate(text))
