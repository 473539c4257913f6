"""The server's writes: never over an existing file, never a half-written file under its real name."""
from __future__ import annotations

import errno
import os
import stat

import pytest

from pipeline.web.files import replace, sweep_parts, write_new


def _parts(folder):
    return sorted(p.name for p in folder.rglob("*.part"))


def _fsync_fails_on(monkeypatch, kind, error: OSError) -> None:
    """os.fsync raises `error` on a file descriptor whose mode `kind` accepts (stat.S_ISREG, stat.S_ISDIR)."""
    real = os.fsync

    def fsync(fd):
        if kind(os.fstat(fd).st_mode):
            raise error
        return real(fd)

    monkeypatch.setattr(os, "fsync", fsync)


def test_a_second_write_of_the_same_name_is_refused_and_the_first_kept(tmp_path):
    path = tmp_path / "received" / "pho_an" / "bao_cao.xlsx"
    assert write_new(path, b"first") is True
    assert write_new(path, b"second") is False
    assert path.read_bytes() == b"first" and _parts(tmp_path) == []


def test_replace_leaves_the_new_bytes_and_no_temporary_file(tmp_path):
    path = tmp_path / "state" / "tokens.json"
    replace(path, b"old")
    replace(path, b"new")
    assert path.read_bytes() == b"new" and _parts(tmp_path) == []


def test_a_write_that_fails_half_way_leaves_nothing(tmp_path, monkeypatch):
    _fsync_fails_on(monkeypatch, stat.S_ISREG, OSError(errno.ENOSPC, "No space left on device"))
    path = tmp_path / "received" / "bao_cao.xlsx"
    with pytest.raises(OSError):
        write_new(path, b"x" * 1000)
    assert not path.exists() and _parts(tmp_path) == []


def test_a_folder_that_cannot_be_synced_does_not_fail_the_write(tmp_path, monkeypatch):
    """Some file systems (network shares) refuse fsync on a folder: the file itself is on disk all the same."""
    _fsync_fails_on(monkeypatch, stat.S_ISDIR, OSError(errno.EINVAL, "Invalid argument"))
    path = tmp_path / "bao_cao.xlsx"
    assert write_new(path, b"data") is True and path.read_bytes() == b"data"


def test_the_temporary_files_of_a_killed_server_are_swept_and_nothing_else(tmp_path):
    inputs, state = tmp_path / "inputs", tmp_path / "state"
    (inputs / "received" / "pho_an").mkdir(parents=True)
    state.mkdir()
    left = [inputs / "received" / "pho_an" / ".0a1b2c3d4e5f6a7b.part", state / ".ffeeddccbbaa9988.part"]
    for p in left:
        p.write_bytes(b"half")
    kept = inputs / "received" / "pho_an" / "bao_cao.xlsx"
    kept.write_bytes(b"whole")
    removed = sweep_parts(inputs, state, tmp_path / "missing")
    assert sorted(removed) == sorted(left)
    assert _parts(tmp_path) == [] and kept.read_bytes() == b"whole"
