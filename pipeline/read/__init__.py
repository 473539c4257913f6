"""Stage 1, reading: every file under inputs/ found and guarded (`discover`), each workbook read raw (`workbook`).

Reading happens chunk by chunk inside the checking stage (pipeline.check.batch), so that raw cells never
outlive their chunk.
"""
from __future__ import annotations

from pathlib import Path

from pipeline.read.sources import WORKBOOK_EXTS, ZIP_EXTS


def has_workbooks(inputs: Path) -> bool:
    """Whether inputs/ holds anything that looks like a return (else the demo returns are used)."""
    return inputs.is_dir() and any(
        p.is_file() and not p.name.startswith((".", "~$")) and p.suffix.lower() in WORKBOOK_EXTS | ZIP_EXTS
        for p in inputs.rglob("*"))
