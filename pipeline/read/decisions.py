"""The office's decisions on the returns units sent through their links: which one is used, which are sent back.

The office board (pipeline/web) writes them, atomically, to `inputs/received/quyet_dinh.json` (DECISIONS_FILE),
next to the uploads they are about, so that `make report` on the same inputs/ applies the office's choice: a
return the office chose is the unit's return whatever the rules of `choose_returns` would pick, and a return
sent back never counts. The file holds the current state only; every action that led to it is in the web's
append-only log (state/office_actions.log).

    {"format": "dvk-office-decisions/1",
     "units": {"pho_an": {"used": "20230610T010203Z_0123abcd.xlsx",
                          "sent_back": {"20230611T080000Z_89abcdef.xlsx": "Thiếu chữ ký của lãnh đạo"}}}}

Names are those of the stored uploads in `received/<unit_code>/`; a decision on a .zip holds for its members.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import PurePosixPath

RECEIVED_DIR = "received"                          # inputs/received/<unit_code>/: the web's uploads
DECISIONS_FILE = f"{RECEIVED_DIR}/quyet_dinh.json"
FORMAT = "dvk-office-decisions/1"
USE, SEND_BACK = "use", "send_back"                # SourceFile.decision
MAX_REASON = 1000


@dataclass
class UnitDecisions:
    used: str = ""                                  # the upload the office chose ('' : the rules choose)
    sent_back: dict[str, str] = field(default_factory=dict)   # upload -> the reason the unit is told


@dataclass
class Decisions:
    units: dict[str, UnitDecisions] = field(default_factory=dict)

    def of(self, unit_code: str) -> UnitDecisions:
        return self.units.get(unit_code) or UnitDecisions()

    def for_file(self, unit_code: str, name: str) -> tuple[str, str]:
        """(USE, '') / (SEND_BACK, reason) / ('', '') for the upload `name` of the unit."""
        mine = self.units.get(unit_code)
        if mine is None:
            return "", ""
        if name in mine.sent_back:
            return SEND_BACK, mine.sent_back[name]
        return (USE, "") if name and name == mine.used else ("", "")

    def to_json(self) -> bytes:
        units = {code: {"used": d.used, "sent_back": dict(sorted(d.sent_back.items()))}
                 for code, d in sorted(self.units.items()) if d.used or d.sent_back}
        return json.dumps({"format": FORMAT, "units": units}, ensure_ascii=False, indent=1).encode("utf-8")


def parse(raw: bytes) -> Decisions:
    """The decisions in a file's bytes; raises ValueError when they cannot be read."""
    data = json.loads(raw.decode("utf-8-sig"))
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("units"), dict):
        raise ValueError("not an office decisions file")
    units = {}
    for code, entry in data["units"].items():
        if not isinstance(entry, dict):
            raise ValueError(f"unit {code!r}: not an object")
        used, sent_back = entry.get("used") or "", entry.get("sent_back") or {}
        if not isinstance(used, str) or not isinstance(sent_back, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in sent_back.items()):
            raise ValueError(f"unit {code!r}: malformed")
        units[str(code)] = UnitDecisions(used, {k: v[:MAX_REASON] for k, v in sent_back.items()})
    return Decisions(units)


def upload_of(rel: str) -> tuple[str, str]:
    """(unit folder, upload name) of a path under received/<unit_code>/ ("received/pho_an/x.zip/a.xlsx" ->
    ("pho_an", "x.zip")); ('', '') for any other path."""
    parts = PurePosixPath(rel).parts
    if len(parts) >= 3 and parts[0] == RECEIVED_DIR:
        return parts[1], parts[2]
    return "", ""
