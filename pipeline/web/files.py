"""Writes that never overwrite and never leave a half-written file under its real name."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

PART_SUFFIX = ".part"


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_temp(folder: Path, data: bytes, mode: int) -> Path:
    """A hidden temporary file in `folder` holding `data`, flushed to disk."""
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{secrets.token_hex(8)}{PART_SUFFIX}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def write_new(path: Path, data: bytes, mode: int = 0o644) -> bool:
    """Create `path` with `data` in one step; False (and nothing written) if it exists already."""
    tmp = _write_temp(path.parent, data, mode)
    try:
        os.link(tmp, path)        # atomic, and fails instead of overwriting
    except FileExistsError:
        return False
    finally:
        tmp.unlink(missing_ok=True)
    _fsync_dir(path.parent)
    return True


def replace(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Replace `path` with `data` atomically (readers see the old or the new file, never half)."""
    tmp = _write_temp(path.parent, data, mode)
    try:
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    _fsync_dir(path.parent)


def sweep_parts(*folders: Path) -> list[Path]:
    """Remove temporary files left by a server that was killed while writing."""
    removed = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for part in folder.rglob(f".*{PART_SUFFIX}"):
            if part.is_file():
                part.unlink(missing_ok=True)
                removed.append(part)
    return removed
