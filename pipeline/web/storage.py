"""Uploads on disk: the workbook, its feedback and its record, the office's decisions, and the board built from them.

Layout (never a name taken from the upload):
  inputs/received/<unit_code>/<UTC time>_<sha8>[_n].<ext>   accepted uploads, read by `make report`
  inputs/received/quyet_dinh.json                          the office's decisions, read by `make report` too
  inputs/received/<unit_code>/ho_so/<UTC time>_<sha8>.<ext>  the unit's hồ sơ, <ext> from its bytes (issue 29)
  <state>/ho_so/<unit_code>/<stored name>.json             the name a hồ sơ was sent under and its sha256
  <state>/refused/<unit_code>/<id>.<ext>                   refused uploads, kept for the office, never read
  <state>/feedback/<unit_code>/<id>.xlsx                   the highlighted feedback workbook
  <state>/issues/<unit_code>/<id>.json                     the upload's list of problems (for its result page)
  <state>/uploads/<unit_code>/<id>.json                    the record, small, written last (the commit point)
  <state>/office_actions.log                               every office action, appended, never rewritten

A server killed mid-way leaves at most a hidden `.part` file (swept at start) or a stored workbook without a
record (checked again at start): never a half-written file under a real name. The same bytes sent twice by a
unit are stored once. A hồ sơ is never opened, parsed or run: its first bytes say what it is.

The board reads every record again and again: records are kept small (a return with 20,000 problems has an
8 MB list of them, read only for its own page), parsed once and kept in memory until their file changes, and
read in a worker thread, never on the server's event loop.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import os
import re
import stat
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath

from pipeline.web import checking, files
from pipeline.web.checking import Outcome, Sent, UnitInfo
from pipeline.web.settings import DISPLAY_TZ, Settings

log = logging.getLogger("pipeline.web")
ID_RE = re.compile(r"\d{8}T\d{6}Z_[0-9a-f]{8}(?:_\d{1,4})?")
MAX_SHOWN_NAME = 120
MAX_EXT = 12                      # a longer "extension" is part of the name ("Báo cáo. Phổ Khánh năm 2023")
BOARD_TTL = 2.0                   # seconds the board's rows are reused when this server wrote nothing meanwhile
TOO_MANY, OVER_TOTAL = "too_many", "over_total"   # why a unit's hồ sơ were not stored (the app words it)
CLEAR = "clear"                   # an office action besides checking.USE and checking.SEND_BACK: undo a decision
ACTIONS = (checking.USE, checking.SEND_BACK, CLEAR)


def clean_name(name: str | None) -> str:
    """The uploaded file's name without folders or control characters, and without the dots and spaces Windows
    drops from a name's end ("Báo cáo.xlsx." is "Báo cáo.xlsx"), never cut."""
    name = unicodedata.normalize("NFC", name or "")
    name = PureWindowsPath(PurePosixPath(name.replace("\x00", "")).name).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return name.rstrip(". ")


def clean_text(text: str) -> str:
    """A text typed by a person (the office's reason) on one line: no control characters, single spaces."""
    text = unicodedata.normalize("NFC", text)
    return " ".join("".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text).split())


def name_ext(name: str | None) -> str:
    """The extension of an uploaded file's whole name, in small letters ('' when none): read before any cut."""
    suffix = PurePosixPath(clean_name(name) or "x").suffix.lower()
    return suffix if 1 < len(suffix) <= MAX_EXT else ""


def shown_name(name: str | None) -> str:
    """The uploaded file's name as a person may read it: no folders, no control characters, not too long (a long
    name is cut in its middle and keeps its extension)."""
    name = clean_name(name)
    if len(name) > MAX_SHOWN_NAME:
        suffix = PurePosixPath(name).suffix
        suffix = suffix if len(suffix) <= MAX_EXT else ""
        name = name[:MAX_SHOWN_NAME - 1 - len(suffix)].rstrip() + "…" + suffix
    return name or "(không có tên)"


def upload_ext(name: str | None) -> str:
    """The extension of an uploaded file, if it is one the app accepts; '' otherwise."""
    ext = name_ext(name)
    return ext if ext in checking.accepted_exts() else ""


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
    issues: list[dict] = field(default_factory=list)   # in <state>/issues/ (records written before: inline)
    feedback: bool = False
    recovered: bool = False           # checked again at start: the server stopped before recording it
    member: str = ""                  # an archive's used workbook, by its path inside the archive
    missing_sheets: dict[str, str] = field(default_factory=dict)   # template sheets it lacks -> severity
    choosing_errors: int | None = None   # its errors but the report date's (None in records written before)
    proposals: int | None = None      # its award proposals as `make report` counts them (None in records before)
    tables_read: list[str] = field(default_factory=list)   # the template tables it holds
    # Filled when listed, not stored:
    present: bool = field(default=True, compare=False)
    mtime: float = field(default=0.0, compare=False)     # the stored file's, as `make report` finds it
    superseded: bool = field(default=False, compare=False)
    decision: str = field(default="", compare=False)     # the office's: checking.USE, checking.SEND_BACK or ''
    decision_reason: str = field(default="", compare=False)
    not_used_reason: str = field(default="", compare=False)   # why `make report` will not use it (files.csv)
    inline_issues: bool = field(default=False, compare=False)
    repeated: bool = field(default=False, compare=False)     # the same bytes had been sent already: not stored again

    def to_json(self) -> bytes:
        data = asdict(self)
        for name in LISTED + ("issues",):
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
    def usable(self) -> bool:
        """A return the office may choose: stored in inputs/ for `make report`, and read."""
        return checking.is_used(self.verdict) and self.stored == "inputs" and self.present

    @property
    def sent_back(self) -> bool:
        return self.decision == checking.SEND_BACK

    @property
    def chosen(self) -> bool:
        return self.decision == checking.USE

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
        return self.usable and not self.superseded and not self.sent_back

    @property
    def size_shown(self) -> str:
        return size_shown(self.size)


def size_shown(size: int) -> str:
    if size == 0:
        return "0 KB, tệp rỗng"
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB".replace(".", ",")
    return f"{max(1, round(size / 1000))} KB"


@dataclass
class Dossier:
    """One hồ sơ file of a unit that `make report` counts (in inputs/received/<unit_code>/ho_so/)."""

    stored_name: str
    kind: str                         # what its first bytes say it is
    size: int
    received: dt.datetime | None      # local time, as `make report` reads it (from the name, else the file's time)
    name: str = ""                    # the name it was sent under (display only; '' when not sent by the web)
    sha256: str = ""

    @property
    def received_local(self) -> str:
        return self.received.strftime("%H:%M:%S ngày %d/%m/%Y") if self.received else "chưa rõ"

    @property
    def kind_label(self) -> str:
        return checking.dossier_kind_label(self.kind)

    @property
    def size_shown(self) -> str:
        return size_shown(self.size)


LISTED = ("present", "mtime", "superseded", "decision", "decision_reason", "not_used_reason", "inline_issues",
          "repeated")


@dataclass
class BoardRow:
    unit: UnitInfo
    status: str                       # submissions.csv's status of the unit, by the uploads the board knows
    last: Upload | None
    used: Upload | None
    uploads: int
    sent_back: int = 0                # uploads the office sent back
    proposals: int | None = 0         # submissions.csv `proposals`, by the return used (None: not known)
    dossiers: list[Dossier] = field(default_factory=list)   # the hồ sơ `make report` counts, first arrived first
    dossier_status: str = ""          # submissions.csv `dossier_status` ('' while the proposals are not known)

    @property
    def status_label(self) -> str:
        return checking.submission_label(self.status)

    @property
    def dossier_status_label(self) -> str:
        return checking.dossier_labels().get(self.dossier_status, "")

    @property
    def dossier_missing(self) -> bool:
        return self.dossier_status == checking.DOSSIER_MISSING


class Storage:
    def __init__(self, settings: Settings):
        self.s = settings
        self._lock = threading.Lock()
        self._reserved: set[tuple[str, str]] = set()
        self._unit_locks: dict[str, threading.Lock] = {}
        self._records: dict[str, dict[str, tuple[tuple, Upload]]] = {}   # unit -> record file -> (stamp, record)
        self._decisions: tuple[tuple, checking.Decisions] | None = None
        self._decide_lock = threading.Lock()
        self._generation = 0                  # bumped by every write of this server: the board is then built anew
        self._boards: dict[tuple[str, ...], tuple[tuple, float, list[BoardRow]]] = {}
        self._stamp_paths: dict[tuple[str, ...], list[str]] = {}
        self._dossiers: dict[str, tuple[tuple, list[Dossier]]] = {}   # unit -> (its folder's listing, hồ sơ)

    def _wrote(self) -> None:
        with self._lock:
            self._generation += 1

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

    def _unit_lock(self, unit: str) -> threading.Lock:
        with self._lock:
            return self._unit_locks.setdefault(unit, threading.Lock())

    def same_upload(self, unit: str, sha256: str, ext: str,
                    keep: Callable[[Upload], bool] = lambda up: True) -> Upload | None:
        """The unit's latest upload of exactly these bytes under this extension, if `keep` keeps it."""
        same = [u for u in self._records_of(unit) if u.sha256 == sha256 and u.ext == ext and keep(u)]
        return max(same, key=lambda u: (u.received_at, u.id), default=None)

    def save(self, unit: str, data: bytes, ext: str, outcome: Outcome, original_name: str | None,
             now: dt.datetime | None = None, dedupe: Callable[[Upload], bool] | None = None) -> Upload:
        """Store one upload: the workbook, then its feedback and problems, then its record. With `dedupe`, the same
        bytes the unit sent already (an upload `dedupe` keeps) are not stored again: that upload is returned,
        `repeated`. A unit's uploads are stored one at a time, so a double click stores one copy."""
        now = now or dt.datetime.now(dt.timezone.utc)
        sha = hashlib.sha256(data).hexdigest()
        with self._unit_lock(unit):
            if dedupe is not None and (same := self.same_upload(unit, sha, ext, dedupe)) is not None:
                same.repeated = True
                return same
            return self._store(unit, data, sha, ext, outcome, original_name, now)

    def _store(self, unit, data, sha, ext, outcome: Outcome, original_name, now: dt.datetime) -> Upload:
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
            self._write_issues(unit, upload_id, outcome.issues)
            files.write_new(self.s.records / unit / f"{upload_id}.json", record.to_json())
        finally:
            with self._lock:
                self._reserved.discard((unit, upload_id))
            self._wrote()
        return record

    def _write_issues(self, unit: str, upload_id: str, issues: list[dict]) -> None:
        if issues:
            files.replace(self.s.issues / unit / f"{upload_id}.json",
                          json.dumps(issues, ensure_ascii=False).encode("utf-8"))

    @staticmethod
    def _record(upload_id, unit, now, original_name, ext, data, sha, outcome: Outcome, stored, file_ext,
                recovered=False) -> Upload:
        return Upload(
            id=upload_id, unit_code=unit, received_at=now.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            original_name=shown_name(original_name), ext=ext, size=len(data), sha256=sha,
            verdict=outcome.verdict, reason=outcome.reason, stored=stored, stored_name=f"{upload_id}{file_ext}",
            report_date=outcome.report_date.isoformat() if outcome.report_date else None,
            errors=outcome.errors, warnings=outcome.warnings, issues=outcome.issues,
            feedback=bool(outcome.feedback), recovered=recovered, member=outcome.member,
            missing_sheets=dict(outcome.missing_sheets), choosing_errors=outcome.choosing_errors,
            proposals=outcome.proposals, tables_read=list(outcome.tables_read))

    # -- the office's decisions --------------------------------------------------------
    def decisions(self) -> checking.Decisions:
        """The office's decisions as `make report` will read them (re-read when the file changes)."""
        try:
            st = self.s.decisions.stat()
        except FileNotFoundError:
            return checking.Decisions()
        stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
        cached = self._decisions
        if cached is not None and cached[0] == stamp:
            return cached[1]
        try:
            found = checking.parse_decisions(self.s.decisions.read_bytes())
        except (OSError, ValueError, UnicodeDecodeError):
            log.error("the office's decisions file %s cannot be read; no decision is applied", self.s.decisions)
            found = checking.Decisions()
        self._decisions = (stamp, found)
        return found

    def decide(self, up: Upload, action: str, reason: str = "", now: dt.datetime | None = None) -> None:
        """Record an office action on one upload: in the decisions file (atomically, what `make report` reads), then
        in the append-only log of every action."""
        if action not in ACTIONS:
            raise ValueError(action)
        now = now or dt.datetime.now(dt.timezone.utc)
        with self._decide_lock:
            current = self.decisions()
            units = {code: checking.UnitDecisions(d.used, dict(d.sent_back)) for code, d in current.units.items()}
            mine = units.setdefault(up.unit_code, checking.UnitDecisions())
            name = up.stored_name
            mine.sent_back.pop(name, None)
            if mine.used == name or action == checking.USE:
                mine.used = name if action == checking.USE else ""
            if action == checking.SEND_BACK:
                mine.sent_back[name] = reason
            files.replace(self.s.decisions, checking.Decisions(units).to_json())
            self._wrote()
            self._log_action({"at": now.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                              "who": "office", "unit": up.unit_code, "upload": up.id, "file": up.run_file,
                              "action": action, "reason": reason})

    def _log_action(self, entry: dict) -> None:
        self.s.actions_log.parent.mkdir(parents=True, exist_ok=True)
        line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
        fd = os.open(self.s.actions_log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)

    def actions(self, unit: str | None = None) -> list[dict]:
        """The logged office actions (of one unit), oldest first."""
        try:
            lines = self.s.actions_log.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        found = []
        for line in lines:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if unit is None or entry.get("unit") == unit:
                found.append(entry)
        return found

    # -- the hồ sơ units attach (issue 29) ------------------------------------------------
    def dossier_folder(self, unit: str) -> Path:
        return self.s.received / unit / checking.DOSSIER_DIR

    def save_dossiers(self, unit: str, attached: list[tuple[bytes, str, str]], max_files: int, max_bytes: int,
                      now: dt.datetime | None = None) -> str:
        """Store a unit's hồ sơ (data, name sent, kind: each a kind the unit may send) all or none: '' when
        stored, TOO_MANY or OVER_TOTAL when they would pass the unit's limits (then nothing is stored). A file the
        unit has sent already (the same bytes) is not stored again. Each file is written whole under its final
        name (`make report` reads it from then on), then the name it was sent under beside its record."""
        now = (now or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc).replace(microsecond=0)
        folder = self.dossier_folder(unit)
        with self._unit_lock(unit):
            have = self.dossiers(unit)
            seen = {d.sha256 for d in have}
            new = []
            for data, name, kind in attached:
                sha = hashlib.sha256(data).hexdigest()
                if sha not in seen:
                    seen.add(sha)
                    new.append((data, name, kind, sha))
            if len(have) + len(new) > max_files:
                return TOO_MANY
            if sum(d.size for d in have) + sum(len(n[0]) for n in new) > max_bytes:
                return OVER_TOTAL
            written: list[Path] = []
            try:
                for data, _name, kind, sha in new:
                    base, n = f"{now:%Y%m%dT%H%M%SZ}_{sha[:8]}", 1
                    while not files.write_new(path := folder / f"{base}{'' if n == 1 else f'_{n}'}.{kind}", data):
                        n += 1                                      # never over another file
                    written.append(path)
                    stamp = int(now.timestamp()) * 1_000_000_000   # a copy that keeps its time says the same
                    os.utime(path, ns=(stamp, stamp))
            except OSError:
                for path in written:                                # nothing half-stored
                    path.unlink(missing_ok=True)
                raise
            finally:
                self._wrote()
            for path, (_data, name, _kind, sha) in zip(written, new):
                record = json.dumps({"name": shown_name(name), "sha256": sha}, ensure_ascii=False).encode("utf-8")
                files.replace(self.s.dossier_names / unit / f"{path.name}.json", record)
            return ""

    def dossiers(self, unit: str) -> list[Dossier]:
        """The unit's hồ sơ `make report` counts, first arrived first (re-read when a file in the folder changes),
        with the name each was sent under when the web stored it."""
        folder = self.dossier_folder(unit)
        try:
            listing = tuple(sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in os.scandir(folder)))
        except OSError:
            return []
        try:                                  # the names are written just after the files
            names = os.stat(self.s.dossier_names / unit)
            listing += ((names.st_mtime_ns, names.st_ino),)
        except OSError:
            pass
        cached = self._dossiers.get(unit)
        if cached is None or cached[0] != listing:
            sizes = {entry[0]: entry[1] for entry in listing if len(entry) == 3}
            found = []
            for name, kind, received in checking.counted_dossiers(self.s.received, unit):
                d = Dossier(name, kind, sizes.get(name, 0), received)
                try:
                    record = json.loads((self.s.dossier_names / unit / f"{name}.json").read_bytes())
                    d.name, d.sha256 = str(record["name"]), str(record["sha256"])
                except (OSError, ValueError, KeyError, TypeError):
                    pass
                found.append(d)
            cached = self._dossiers[unit] = (listing, found)
        return [dataclasses.replace(d) for d in cached[1]]

    # -- reading ----------------------------------------------------------------------
    def _records_of(self, unit: str) -> list[Upload]:
        """Copies of a unit's records (without their problems), parsed once and kept until their file changes."""
        folder = self.s.records / unit
        try:
            entries = list(os.scandir(folder))
        except (FileNotFoundError, NotADirectoryError):
            return []
        with self._lock:
            cached = self._records.get(unit, {})
        seen: dict[str, tuple[tuple, Upload]] = {}
        for entry in entries:
            if not (entry.name.endswith(".json") and ID_RE.fullmatch(entry.name[:-5])):
                continue
            try:
                st = entry.stat()
                stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
                hit = cached.get(entry.name)
                if hit is None or hit[0] != stamp:
                    up = Upload.from_json(Path(entry.path).read_bytes())
                    up.inline_issues, up.issues = bool(up.issues), []
                    hit = (stamp, up)
            except (OSError, ValueError, TypeError):
                continue
            seen[entry.name] = hit
        with self._lock:
            self._records[unit] = seen
        return [dataclasses.replace(up) for _stamp, up in seen.values()]

    def uploads(self, unit: str) -> list[Upload]:
        """A unit's uploads, oldest first, with which one `make report` will use."""
        return self._unit(unit)[0]

    def _unit(self, unit: str) -> tuple[list[Upload], Upload | None, str, int | None]:
        """A unit's uploads (oldest first), the one `make report` will use and the unit's status, both by the
        check stage's rules on the stored files it will find (a refused upload counts as a rejected file) and
        the office's decisions; and its proposals, as `make report` counts them."""
        found = self._records_of(unit)
        decided = self.decisions()
        for up in found:
            try:
                info = self.stored_path(up).stat()
                up.present, up.mtime = stat.S_ISREG(info.st_mode), info.st_mtime
            except OSError:
                up.present = False
            if up.stored == "inputs":
                up.decision, up.decision_reason = decided.for_file(unit, up.stored_name)
        found.sort(key=lambda u: (u.received_at, u.id))
        present = [u for u in found if u.present]
        result = checking.unit_return(unit, tuple(
            Sent(u.run_file, u.verdict, u.report_day, u.mtime,
                 u.errors if u.choosing_errors is None else u.choosing_errors, tuple(sorted(u.missing_sheets.items())),
                 u.decision, u.decision_reason, u.proposals, tuple(u.tables_read)) for u in present))
        used = next((u for u in present if result.used and u.run_file == result.used), None)
        reasons = dict(result.reasons)
        for u in present:
            u.superseded = checking.is_used(u.verdict) and u is not used and not u.sent_back
            why = reasons.get(u.run_file, "")
            u.not_used_reason = why.replace(used.run_file, f"lần gửi lúc {used.received_local}") if used else why
        return found, used, result.status, result.proposals

    def find(self, unit: str, upload_id: str, with_issues: bool = False) -> Upload | None:
        """The upload with this id among the unit's own (the id is compared, never put in a path)."""
        up = next((u for u in self.uploads(unit) if u.id == upload_id), None)
        if up is not None and with_issues:
            up.issues = self.issues_of(up)
        return up

    def issues_of(self, up: Upload) -> list[dict]:
        """An upload's problems, from their own file (or from the record, when written before they had one)."""
        try:
            return json.loads((self.s.issues / up.unit_code / f"{up.id}.json").read_bytes())
        except FileNotFoundError:
            pass
        except (OSError, ValueError):
            return []
        if up.inline_issues:
            try:
                return json.loads((self.s.records / up.unit_code / f"{up.id}.json").read_bytes()).get("issues", [])
            except (OSError, ValueError, AttributeError):
                return []
        return []

    def stored_path(self, up: Upload) -> Path:
        root = self.s.refused if up.stored == "refused" else self.s.received
        return root / up.unit_code / up.stored_name

    def feedback_path(self, up: Upload) -> Path | None:
        if not up.feedback:
            return None
        return next((p for suffix in (".xlsx", ".xlsm") if (p := self.s.feedback / up.unit_code / f"{up.id}{suffix}")
                     .is_file()), None)

    def _folders_stamp(self, codes: tuple[str, ...]) -> tuple:
        """When the units' folders and the decisions file last changed (a file added, removed or renamed in them:
        by this server or by other hands)."""
        paths = self._stamp_paths.get(codes)
        if paths is None:
            roots = [os.fspath(r) for r in (self.s.records, self.s.received, self.s.refused)]
            paths = self._stamp_paths[codes] = [os.path.join(r, c) for c in codes for r in roots] + [
                os.fspath(self.dossier_folder(c)) for c in codes] + [os.fspath(self.s.decisions)]
        stamp = []
        for path in paths:
            try:
                st = os.stat(path)
                stamp.append((st.st_mtime_ns, st.st_ino))
            except OSError:
                stamp.append(None)
        return tuple(stamp)

    def board(self, units: list[UnitInfo]) -> list[BoardRow]:
        """A row per unit. The rows are reused while this server writes nothing and no file is added or removed in
        the units' folders, for BOARD_TTL seconds at most (a file changed in place shows within that time): a
        board asked for a hundred times a second costs one build every two seconds."""
        key, now = tuple(u.code for u in units), time.monotonic()
        generation = (self._generation, self._folders_stamp(key))
        cached = self._boards.get(key)
        if cached is not None and cached[0] == generation and now - cached[1] < BOARD_TTL:
            return cached[2]
        rows = []
        for unit in units:
            ups, used, status, proposals = self._unit(unit.code)
            dossiers = self.dossiers(unit.code)
            dossier_status = "" if proposals is None and not dossiers else checking.dossier_status(
                proposals or 0, len(dossiers), dossiers[0].received if dossiers else None)
            rows.append(BoardRow(unit, status, ups[-1] if ups else None, used, len(ups),
                                 sum(u.sent_back for u in ups), proposals, dossiers, dossier_status))
        with self._lock:
            if len(self._boards) > 64:
                self._boards.clear()
            self._boards[key] = (generation, now, rows)
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
        self._write_issues(unit, path.stem, outcome.issues)
        files.write_new(self.s.records / unit / f"{path.stem}.json", record.to_json())
        self._wrote()
        return record

    def sweep(self) -> list[Path]:
        return files.sweep_parts(self.s.received, self.s.state)
