"""Uploads on disk: the workbook, its feedback and its record, and the office board built from them.

Layout (never a name taken from the upload):
  inputs/received/<unit_code>/<UTC time>_<sha8>[_n].<ext>   accepted uploads, read by `make report`
  <state>/refused/<unit_code>/<id>.<ext>                   refused uploads, kept for the office, never read
  <state>/feedback/<unit_code>/<id>.xlsx                   the highlighted feedback workbook
  <state>/uploads/<unit_code>/<id>.json                    the record, written last (the commit point)

A server killed mid-way leaves at most a hidden `.part` file (swept at start) or a stored
workbook without a record (checked again at start): never a half-written file under a real name.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import stat
import threading
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath

from pipeline.web import checking, files
from pipeline.web.checking import Outcome, UnitInfo
from pipeline.web.settings import DISPLAY_TZ, Settings

ID_RE = re.compile(r"\d{8}T\d{6}Z_[0-9a-f]{8}(?:_\d{1,4})?")
MAX_SHOWN_NAME = 120


def shown_name(name: str | None) -> str:
    """The uploaded file's name as a person may read it: no folders, no control characters, not too long."""
    name = unicodedata.normalize("NFC", name or "")
    name = PureWindowsPath(PurePosixPath(name.replace("\x00", "")).name).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if len(name) > MAX_SHOWN_NAME:
        name = name[:MAX_SHOWN_NAME - 1] + "…"
    return name or "(không có tên)"


def upload_ext(name: str | None) -> str:
    """The extension of an uploaded file, if it is one the app accepts; '' otherwise."""
    suffix = PurePosixPath(shown_name(name)).suffix.lower()
    return suffix if suffix in checking.accepted_exts() else ""


@dataclass
class Upload:
    id: str
    unit_code: str
    received_at: str                  # ISO 8601, UTC
    original_name: str                # for display only, never used in a path
    ext: str
    size: int
    sha256: str
    verdict: str                      # files.csv's status of the same file: accepted, accepted_with_errors, rejected
    reason: str = ""
    stored: str = "inputs"            # "inputs" or "refused"
    stored_name: str = ""
    report_date: str | None = None    # ISO date
    errors: int = 0
    warnings: int = 0
    issues: list[dict] = field(default_factory=list)
    feedback: bool = False
    recovered: bool = False           # checked again at start: the server stopped before recording it
    member: str = ""                  # an archive's used workbook, by its path inside the archive
    # Filled when listed, not stored:
    present: bool = field(default=True, compare=False)
    mtime: float = field(default=0.0, compare=False)     # the stored file's, as `make report` finds it
    superseded: bool = field(default=False, compare=False)

    def to_json(self) -> bytes:
        data = asdict(self)
        for name in LISTED:
            data.pop(name)
        return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> "Upload":
        data = json.loads(raw)
        known = {f for f in cls.__dataclass_fields__ if f not in LISTED}
        up = cls(**{k: v for k, v in data.items() if k in known})
        up.verdict = checking.verdict_code(up.verdict)   # a record written before the web used files.csv's codes
        return up

    # -- for the pages ----------------------------------------------------------
    @property
    def received(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.received_at.replace("Z", "+00:00"))

    @property
    def received_local(self) -> str:
        return self.received.astimezone(DISPLAY_TZ).strftime("%H:%M:%S ngày %d/%m/%Y")

    @property
    def report_day(self) -> dt.date | None:
        return dt.date.fromisoformat(self.report_date) if self.report_date else None

    @property
    def report_date_shown(self) -> str:
        day = self.report_day
        return day.strftime("%d/%m/%Y") if day else "chưa rõ"

    @property
    def verdict_label(self) -> str:
        return checking.verdict_label(self.verdict)

    @property
    def is_refused(self) -> bool:
        return self.verdict == checking.REJECTED

    @property
    def date_status(self) -> str:
        """on_time or late by this upload's report date alone ('' without one); the unit's status may differ."""
        return checking.return_status(self.report_day) if self.report_day else ""

    @property
    def date_status_label(self) -> str:
        return checking.submission_label(self.date_status) if self.date_status else ""

    @property
    def run_file(self) -> str:
        """The file `make report` reads for this upload, below inputs/received/<unit_code>/."""
        return f"{self.stored_name}/{self.member}" if self.member else self.stored_name

    @property
    def counts_for_report(self) -> bool:
        return checking.is_used(self.verdict) and self.present and not self.superseded

    @property
    def size_shown(self) -> str:
        if self.size >= 1_000_000:
            return f"{self.size / 1_000_000:.1f} MB".replace(".", ",")
        return f"{max(1, round(self.size / 1000))} KB"


LISTED = ("present", "mtime", "superseded")


@dataclass
class BoardRow:
    unit: UnitInfo
    status: str                       # submissions.csv's status of the unit, by the uploads the board knows
    last: Upload | None
    used: Upload | None
    uploads: int

    @property
    def status_label(self) -> str:
        return checking.submission_label(self.status)


class Storage:
    def __init__(self, settings: Settings):
        self.s = settings
        self._lock = threading.Lock()
        self._reserved: set[tuple[str, str]] = set()

    # -- writing ----------------------------------------------------------------------
    def _taken(self, unit: str, upload_id: str) -> bool:
        if (unit, upload_id) in self._reserved or (self.s.records / unit / f"{upload_id}.json").exists():
            return True
        return any(any((root / unit).glob(f"{upload_id}.*")) for root in (self.s.received, self.s.refused))

    def _reserve(self, unit: str, base: str) -> str:
        with self._lock:
            n = 1
            while True:
                upload_id = base if n == 1 else f"{base}_{n}"
                if not self._taken(unit, upload_id):
                    self._reserved.add((unit, upload_id))
                    return upload_id
                n += 1

    def save(self, unit: str, data: bytes, ext: str, outcome: Outcome, original_name: str | None,
             now: dt.datetime | None = None) -> Upload:
        """Store one upload: the workbook, then its feedback, then its record."""
        now = now or dt.datetime.now(dt.timezone.utc)
        sha = hashlib.sha256(data).hexdigest()
        stored = "refused" if outcome.is_refused else "inputs"
        folder = (self.s.refused if stored == "refused" else self.s.received) / unit
        file_ext = ext if ext in checking.accepted_exts() else ".bin"
        base = f"{now:%Y%m%dT%H%M%SZ}_{sha[:8]}"
        upload_id = self._reserve(unit, base)
        try:
            while not files.write_new(folder / f"{upload_id}{file_ext}", data):
                with self._lock:   # someone else wrote this name meanwhile: take the next one
                    self._reserved.discard((unit, upload_id))
                upload_id = self._reserve(unit, base)
            # `make report` breaks ties between a unit's reports by modification time: make it the upload's
            stamp = int(now.timestamp() * 1_000_000) * 1000
            os.utime(folder / f"{upload_id}{file_ext}", ns=(stamp, stamp))
            if outcome.feedback:
                files.replace(self.s.feedback / unit / f"{upload_id}{checking.feedback_suffix(outcome.feedback)}",
                              outcome.feedback)
            record = self._record(upload_id, unit, now, original_name, ext, data, sha, outcome, stored, file_ext)
            files.write_new(self.s.records / unit / f"{upload_id}.json", record.to_json())
        finally:
            with self._lock:
                self._reserved.discard((unit, upload_id))
        return record

    @staticmethod
    def _record(upload_id, unit, now, original_name, ext, data, sha, outcome: Outcome, stored, file_ext,
                recovered=False) -> Upload:
        return Upload(
            id=upload_id, unit_code=unit, received_at=now.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            original_name=shown_name(original_name), ext=ext, size=len(data), sha256=sha,
            verdict=outcome.verdict, reason=outcome.reason, stored=stored, stored_name=f"{upload_id}{file_ext}",
            report_date=outcome.report_date.isoformat() if outcome.report_date else None,
            errors=outcome.errors, warnings=outcome.warnings, issues=outcome.issues,
            feedback=bool(outcome.feedback), recovered=recovered, member=outcome.member)

    # -- reading ----------------------------------------------------------------------
    def uploads(self, unit: str) -> list[Upload]:
        """A unit's uploads, oldest first, with which one `make report` will use."""
        return self._unit(unit)[0]

    def _unit(self, unit: str) -> tuple[list[Upload], Upload | None, str]:
        """A unit's uploads (oldest first), the one `make report` will use and the unit's status, both by the
        check stage's rules on the stored files it will find (a refused upload counts as a rejected file)."""
        folder = self.s.records / unit
        found = []
        if folder.is_dir():
            for path in folder.iterdir():
                if path.suffix == ".json" and ID_RE.fullmatch(path.stem):
                    try:
                        found.append(Upload.from_json(path.read_bytes()))
                    except (OSError, ValueError, TypeError):
                        continue
        for up in found:
            try:
                info = self.stored_path(up).stat()
                up.present, up.mtime = stat.S_ISREG(info.st_mode), info.st_mtime
            except OSError:
                up.present = False
        found.sort(key=lambda u: (u.received_at, u.id))
        present = [u for u in found if u.present]
        used_file, status = checking.unit_return(
            unit, [checking.Sent(u.run_file, u.verdict, u.report_day, u.mtime) for u in present])
        used = next((u for u in present if used_file and u.run_file == used_file), None)
        for u in present:
            u.superseded = checking.is_used(u.verdict) and u is not used
        return found, used, status

    def find(self, unit: str, upload_id: str) -> Upload | None:
        """The upload with this id among the unit's own (the id is compared, never put in a path)."""
        return next((u for u in self.uploads(unit) if u.id == upload_id), None)

    def stored_path(self, up: Upload) -> Path:
        root = self.s.refused if up.stored == "refused" else self.s.received
        return root / up.unit_code / up.stored_name

    def feedback_path(self, up: Upload) -> Path | None:
        if not up.feedback:
            return None
        return next((p for suffix in (".xlsx", ".xlsm") if (p := self.s.feedback / up.unit_code / f"{up.id}{suffix}")
                     .is_file()), None)

    def board(self, units: list[UnitInfo]) -> list[BoardRow]:
        rows = []
        for unit in units:
            ups, used, status = self._unit(unit.code)
            rows.append(BoardRow(unit, status, ups[-1] if ups else None, used, len(ups)))
        return rows

    # -- recovery ------------------------------------------------------------------
    def orphans(self, units: set[str]) -> list[tuple[str, Path, str]]:
        """Stored workbooks without a record: the server stopped between storing and recording."""
        found = []
        for stored, root in (("inputs", self.s.received), ("refused", self.s.refused)):
            if not root.is_dir():
                continue
            for unit_dir in root.iterdir():
                if not unit_dir.is_dir() or unit_dir.name not in units:
                    continue
                for path in unit_dir.iterdir():
                    if (path.is_file() and ID_RE.fullmatch(path.stem)
                            and not (self.s.records / unit_dir.name / f"{path.stem}.json").exists()):
                        found.append((unit_dir.name, path, stored))
        return sorted(found)

    def record_orphan(self, unit: str, path: Path, stored: str, outcome: Outcome) -> Upload:
        data = path.read_bytes()
        when = dt.datetime.strptime(path.stem[:16], "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.timezone.utc)
        ext = path.suffix.lower()
        if outcome.feedback:
            files.replace(self.s.feedback / unit / f"{path.stem}{checking.feedback_suffix(outcome.feedback)}",
                          outcome.feedback)
        record = self._record(path.stem, unit, when, "", ext, data, hashlib.sha256(data).hexdigest(), outcome,
                              stored, ext, recovered=True)
        record.stored_name = path.name
        files.write_new(self.s.records / unit / f"{path.stem}.json", record.to_json())
        return record

    def sweep(self) -> list[Path]:
        return files.sweep_parts(self.s.received, self.s.state)
