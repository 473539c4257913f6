"""The previous run's report outputs, reused when nothing they are made from changed.

The report outputs (summary workbook, charts, HTML, draft docx) are a function of the tables a run
persists (the CSVs of checking and every parquet under data/), the configuration, the code and
whether the demo returns were used. A digest of all of these is kept in manifest.json; a run with
the same digest as the previous complete run links the previous outputs into its staging folder
instead of drawing them again (on a second run over 1,000 unchanged returns, most of the time went
into drawing the same outputs). Anything different, or any previous output missing, and they are
drawn again.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pipeline.config import ROOT
from pipeline.files import link_or_copy

DIGEST_KEY = "publish_digest"
NAMES_KEY = "published"
_CODE = ("pipeline", "schemas")


def publish_digest(stage: Path, config: str, is_demo: bool) -> str:
    """What the report outputs are drawn from: the persisted tables in `stage`, the config digest, the code."""
    h = hashlib.sha256(f"{config}\0{is_demo}".encode())
    for path in sorted(p for p in stage.rglob("*") if p.suffix in (".csv", ".parquet") and p.is_file()):
        h.update(path.relative_to(stage).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    for folder in _CODE:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in (".py", ".j2") and path.is_file():
                h.update(path.read_bytes())
    from importlib.metadata import PackageNotFoundError, version

    try:
        h.update(version("dan-van-kheo").encode())
    except PackageNotFoundError:
        pass
    return h.hexdigest()


def reuse(outputs: Path, stage: Path, digest: str) -> list[Path] | None:
    """Link the previous run's report outputs into `stage` when its digest is `digest`; None otherwise."""
    try:
        previous = json.loads((outputs / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    names = previous.get(NAMES_KEY) if isinstance(previous, dict) else None
    if previous.get(DIGEST_KEY) != digest or not names or not all((outputs / n).exists() for n in names):
        return None
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
