"""The previous run's outputs, reused when nothing they are made from changed.

Two levels, both keyed by digests kept in manifest.json:

- **The whole run.** Every output is a function of the input files (name, bytes, modification time:
  the latest of two returns wins), the configuration, the code, the day of the run (lateness) and
  whether the demo returns were used. A run whose `run_digest` equals the previous complete run's, and
  whose previous outputs are still exactly as that run left them (sizes and modification times), links
  them all into its staging folder and checks, tidies and aggregates nothing (a second run over 10,000
  unchanged returns spent 12 s aggregating the same tables again).
- **The report outputs** (summary workbook, charts, HTML, draft docx) are a function of the tables a run
  persists (the CSVs of checking and every parquet under data/), the configuration, the code and the demo
  flag. When only something else changed (a return's modification time, say), a run with the same
  `publish_digest` links the previous report outputs instead of drawing them again.

Anything different, or any previous output missing or changed, and everything is made again (the
checking of each return is still reused from outputs/.cache when its bytes did not change).
"""
from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

from pipeline.config import ROOT, package_version
from pipeline.files import link_or_copy

DIGEST_KEY = "publish_digest"
NAMES_KEY = "published"
RUN_KEY = "run_digest"
OUTPUTS_KEY = "outputs"              # {top-level name: fingerprint} of everything the run wrote
_CODE = ("pipeline", "schemas")
MANIFEST = "manifest.json"


@functools.cache
def code_digest() -> bytes:
    """The code the outputs are made with: every module and template, and the package version."""
    h = hashlib.sha256()
    for folder in _CODE:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in (".py", ".j2") and path.is_file():
                h.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    h.update(package_version().encode())
    return h.digest()


def publish_digest(stage: Path, config: str, is_demo: bool) -> str:
    """What the report outputs are drawn from: the persisted tables in `stage`, the config digest, the code."""
    h = hashlib.sha256(f"{config}\0{is_demo}".encode())
    for path in sorted(p for p in stage.rglob("*") if p.suffix in (".csv", ".parquet") and p.is_file()):
        h.update(path.relative_to(stage).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    h.update(code_digest())
    return h.hexdigest()


def run_key(sources: list, config: str, is_demo: bool, day: str) -> str:
    """The manifest's `run_digest`: what the whole run is made from (each input file as discovered, the config,
    the code, the day)."""
    h = hashlib.sha256(f"{config}\0{is_demo}\0{day}".encode())
    h.update(code_digest())
    for s in sorted(sources, key=lambda s: s.file):
        h.update(f"{s.file}\0{s.sha256}\0{s.mtime!r}\0{s.status}\0{s.reason}\0".encode())
    return h.hexdigest()


def fingerprint(folder: Path, name: str) -> str:
    """Sizes and modification times of the file or folder `folder/name`: an output edited, replaced or
    deleted since it was written changes it (writes here replace files, they never change one in place)."""
    root = folder / name
    files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
    h = hashlib.sha256()
    for path in files:
        st = path.stat()
        h.update(f"{path.relative_to(folder).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return h.hexdigest()


def written(stage: Path) -> dict[str, str]:
    """The fingerprint of every top-level output in `stage` but the manifest."""
    return {p.name: fingerprint(stage, p.name) for p in sorted(stage.iterdir()) if p.name != MANIFEST}


def previous_manifest(outputs: Path) -> dict:
    try:
        previous = json.loads((outputs / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return previous if isinstance(previous, dict) else {}


def reuse_run(outputs: Path, stage: Path, digest: str) -> dict | None:
    """Link every output of the previous run into `stage` when its run digest is `digest` and its outputs are
    as it left them; return its manifest (None, and nothing linked, otherwise)."""
    previous = previous_manifest(outputs)
    names = previous.get(OUTPUTS_KEY)
    if previous.get(RUN_KEY) != digest or not isinstance(names, dict) or not names:
        return None
    try:
        if any(fingerprint(outputs, name) != mark for name, mark in names.items()):
            return None
    except OSError:   # an output removed
        return None
    _link(outputs, stage, names)
    return previous


def reuse(outputs: Path, stage: Path, digest: str) -> list[Path] | None:
    """Link the previous run's report outputs into `stage` when its digest is `digest`; None otherwise."""
    previous = previous_manifest(outputs)
    names = previous.get(NAMES_KEY)
    if previous.get(DIGEST_KEY) != digest or not names or not all((outputs / n).exists() for n in names):
        return None
    return _link(outputs, stage, names)


def _link(outputs: Path, stage: Path, names) -> list[Path]:
    paths = []
    for name in names:
        source = outputs / name
        files = sorted(p for p in source.rglob("*") if p.is_file()) if source.is_dir() else [source]
        for path in files:
            target = stage / path.relative_to(outputs)
            link_or_copy(path, target)
            paths.append(target)
    return paths


def published_names(stage: Path, paths: list[Path]) -> list[str]:
    """The top-level names under `stage` of the report outputs (files and folders such as charts/)."""
    return sorted({p.relative_to(stage).parts[0] for p in paths})
