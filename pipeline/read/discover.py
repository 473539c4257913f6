"""Stage 1a: find every file in `inputs/`, open e-mailed archives, and refuse what is not a readable workbook.

Bombs and disguised files are refused here, before any XML is parsed.
"""
from __future__ import annotations

import hashlib
import io
import unicodedata
import zipfile
from pathlib import Path, PurePosixPath

from pipeline import messages as msg
from pipeline.config import Plan
from pipeline.read.sources import (
    OLE_MAGIC, WORKBOOK_EXTS, ZIP_EXTS, ZIP_MAGIC, Issue, SourceFile, open_package,
)
from schemas.codes import FileStatus

# -- discovery -----------------------------------------------------------------

def discover(inputs: Path, plan: Plan) -> list[SourceFile]:
    """Every file under `inputs/`, archives opened; nothing is skipped silently."""
    found: list[SourceFile] = []
    for path in sorted(p for p in inputs.rglob("*") if p.is_file()):
        rel = path.relative_to(inputs).as_posix()
        if rel in ("README.md", ".gitkeep"):
            continue
        found.extend(_classify(rel, path, plan))
    return found


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
        if why := _not_a_return(info.filename):
            members.append(src.reject(why, FileStatus.IGNORED))
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
    """Refuse what is not a readable workbook before calamine sees it."""
    data = src.data or b""
    if ext not in WORKBOOK_EXTS:
        if not (found := _sniffed(data, ext)):
            return src.reject(msg.FILE_NOT_WORKBOOK.format(ext=ext or "(không có đuôi)"))
        src.issues.append(Issue(file=src.file, sheet="", cell="", column="", value=ext, rule="file.no_extension",
                                severity="warning", message=msg.FILE_NO_EXTENSION.format(
                                    named=msg.FILE_NAMED_ODD_EXT.format(ext=ext) if ext else msg.FILE_NAMED_NO_EXT,
                                    format=found.lstrip("."))
                                + msg.SEVERITY_SUFFIX[("warning", "file")]))
        src.format, ext = found.lstrip("."), found
    if not data:
        return src.reject(msg.FILE_EMPTY)
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<table", b"<meta")) or b"<html" in head:
        return src.reject(msg.FILE_HTML)
    if data.startswith(OLE_MAGIC):
        if ext != ".xls" or b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in data:
            return src.reject(msg.FILE_ENCRYPTED)
        return src
    if data.startswith(ZIP_MAGIC):
        try:
            zf = open_package(data)
            problem = zip_guard(zf, len(data), plan)
            names = set(zf.namelist())
        except zipfile.BadZipFile:
            return src.reject(msg.FILE_CORRUPT)
        if problem:
            return src.reject(problem)
        if "xl/workbook.xml" not in names and "content.xml" not in names:
            if "word/document.xml" in names:
                return src.reject(msg.FILE_WORD)
            return src.reject(msg.FILE_NOT_WORKBOOK.format(ext=ext))
        return src
    return src.reject(msg.FILE_CORRUPT)



def _sniffed(data: bytes, ext: str) -> str:
    """The workbook extension of a file whose name lost it ("Báo cáo Phổ An", "BC 14.6.2023"), by its bytes; ''
    for a file with an extension of its own (".bak", ".docx": never read as a workbook) or other bytes."""
    if ext[1:].isalpha():
        return ""
    if data.startswith(OLE_MAGIC):
        return ".xls"
    if data.startswith(ZIP_MAGIC):
        try:
            names = set(open_package(data).namelist())
        except zipfile.BadZipFile:
            return ""
        if "xl/workbook.xml" in names:
            return ".xlsm" if "xl/vbaProject.bin" in names else ".xlsx"
        if "content.xml" in names:
            return ".ods"
    return ""


def guess_unit_from_name(rel: str, plan: Plan) -> str:
    """The unit a file seems to come from, by its file name alone (or '' when none or several match); a name whose
    words are glued with capitals ("BC_DVK_PhoVan", "PhổAn") is read with them apart when it names none as it is."""
    stem = PurePosixPath(rel).stem
    hits = plan.units_named_in(stem) or plan.units_named_in(camel_apart(stem))
    return hits.pop() if len(hits) == 1 else ""


def camel_apart(text: str) -> str:
    """"PhoVan" -> "Pho Van": a space wherever a small letter is followed by a capital."""
    return "".join(f" {c}" if i and c.isupper() and text[i - 1].islower() else c for i, c in enumerate(text))
