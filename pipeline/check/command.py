"""`dvk check FILE` (`make check FILE=...`): one workbook checked and its problems printed, as a unit sees them."""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from pipeline import messages as msg
from pipeline.check import read_and_check
from pipeline.config import load_plan
from pipeline.ui import console
from schemas.codes import FileStatus, Severity


def check_file(path: Path) -> int:
    """0 when the file would be used without errors, 1 when it has problems, 2 when it cannot be found."""
    plan = load_plan()
    if not path.is_file():
        print(msg.CHECK_NOT_FOUND.format(path=path), file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy2(path, Path(tmp) / path.name)
        result = read_and_check(Path(tmp), plan)
    row = result.files.iloc[0]
    console.print(msg.CHECK_HEADER.format(file=path.name, status=FileStatus(row["status"]).label))
    if row["reason"]:
        console.print(f"  {row['reason']}")
    for issue in result.issues.itertuples(index=False):
        where = f"{issue.sheet}!{issue.cell}" if issue.cell else issue.sheet
        console.print(f"  [{Severity(issue.severity).label}] {where}: {issue.message}", markup=False)
    if result.issues.empty and row["status"] == FileStatus.ACCEPTED:
        console.print(msg.CHECK_OK)
    used = row["status"] in (FileStatus.ACCEPTED, FileStatus.ACCEPTED_WITH_ERRORS)
    return 0 if used and row["errors"] == 0 else 1
