"""Check functions a test puts in place of the real one (they run in the worker processes)."""
from __future__ import annotations

import hashlib
import tempfile
import time
from pathlib import Path

from pipeline.web import checking

MARKS = Path(tempfile.gettempdir()) / "dvk-web-test-marks"


def mark(kind: str, data: bytes) -> Path:
    return MARKS / f"{kind}-{hashlib.sha256(data).hexdigest()}"


def recording_check(data: bytes, ext: str, unit_code: str):
    """The real check, leaving a mark that it saw these bytes."""
    MARKS.mkdir(parents=True, exist_ok=True)
    mark("checked", data).touch()
    return checking.check_upload(data, ext, unit_code)


def held_check(data: bytes, ext: str, unit_code: str):
    """The real check, held back while a `hold` mark exists for these bytes (a slow workbook)."""
    MARKS.mkdir(parents=True, exist_ok=True)
    mark("started", data).touch()
    deadline = time.monotonic() + 120
    while mark("hold", data).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return checking.check_upload(data, ext, unit_code)


def many_issues_check(data: bytes, ext: str, unit_code: str):
    """The real check, with 20,000 more problems, as a return with a table pasted 20,000 rows down has."""
    outcome = checking.check_upload(data, ext, unit_code)
    outcome.issues = outcome.issues + [
        {"sheet": "4. Mô hình Dân vận khéo", "cell": f"B{5 + i}", "column": "model_name", "value": "x" * 200,
         "rule": "required.missing", "severity": "error", "message": "Ô B%d: thiếu tên mô hình." % (5 + i)}
        for i in range(20_000)]
    outcome.errors += 20_000
    outcome.verdict = "accepted_with_errors"
    return outcome
