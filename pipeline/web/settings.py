"""Where the web app keeps things and how strict it is; every value can come from the environment."""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from pipeline.web import checking

# Vietnam keeps UTC+7 all year; pages show times in it, file names use UTC.
DISPLAY_TZ = dt.timezone(dt.timedelta(hours=7), "ICT")


def _int_env(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


def _float_env(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


# Each limit: (field, environment variable, default, lowest value allowed). README "Web pages" says what each does;
# pipeline/web/server.py applies the network ones.
LIMITS = (
    ("check_workers", "DVK_WEB_WORKERS", 2, 1),             # worker processes that check workbooks
    ("upload_burst", "DVK_UPLOAD_BURST", 10, 1),            # uploads one link may send at once...
    ("uploads_per_minute", "DVK_UPLOADS_PER_MINUTE", 10.0, 0.1),   # ...and how fast its allowance refills
    ("csrf_max_age", "DVK_FORM_MAX_AGE", 12 * 3600, 60),    # seconds a page's form stays valid
    ("board_refresh", "DVK_BOARD_REFRESH", 20, 2),          # seconds between two refreshes of the office board
    ("header_timeout", "DVK_HEADER_TIMEOUT", 20.0, 0.1),    # seconds for a request's headers to arrive
    ("keep_alive", "DVK_KEEP_ALIVE", 5.0, 0.1),             # seconds an idle connection stays open between requests
    ("max_header_bytes", "DVK_MAX_HEADER_BYTES", 16_384, 1024),   # request line and headers, in bytes
    ("max_connections", "DVK_MAX_CONNECTIONS", 400, 4),     # open connections; one more is answered 503
    ("max_receiving", "DVK_MAX_RECEIVING", 64, 1),          # request bodies received at once; one more: 503
    ("body_idle_timeout", "DVK_BODY_IDLE_TIMEOUT", 30.0, 0.1),   # longest pause within a request body
    ("body_min_rate", "DVK_BODY_MIN_RATE", 2_000, 0),       # bytes a second a body must average past that pause
    ("body_timeout", "DVK_BODY_TIMEOUT", 600.0, 1.0),       # seconds for a whole request body
    ("dossier_max_file_bytes", "DVK_DOSSIER_MAX_FILE_BYTES", 20_000_000, 1),   # one hồ sơ file (a scan)
    ("dossier_max_unit_bytes", "DVK_DOSSIER_MAX_UNIT_BYTES", 60_000_000, 1),   # all of a unit's hồ sơ files
    ("dossier_max_files", "DVK_DOSSIER_MAX_FILES", 20, 1),  # hồ sơ files a unit may store
)

_D = {name: default for name, _env, default, _lowest in LIMITS}


@dataclass
class Settings:
    inputs: Path
    outputs: Path
    state: Path                       # token hashes, upload records, feedback, refused files (ignored by git)
    max_upload_bytes: int = 0         # 0: the plan's [limits] max_file_bytes
    # the limits of LIMITS:
    check_workers: int = _D["check_workers"]
    upload_burst: int = _D["upload_burst"]
    uploads_per_minute: float = _D["uploads_per_minute"]
    csrf_max_age: int = _D["csrf_max_age"]
    board_refresh: int = _D["board_refresh"]
    header_timeout: float = _D["header_timeout"]
    keep_alive: float = _D["keep_alive"]
    max_header_bytes: int = _D["max_header_bytes"]
    max_connections: int = _D["max_connections"]
    max_receiving: int = _D["max_receiving"]
    body_idle_timeout: float = _D["body_idle_timeout"]
    body_min_rate: int = _D["body_min_rate"]
    body_timeout: float = _D["body_timeout"]
    dossier_max_file_bytes: int = _D["dossier_max_file_bytes"]
    dossier_max_unit_bytes: int = _D["dossier_max_unit_bytes"]
    dossier_max_files: int = _D["dossier_max_files"]
    report_command: list[str] | None = None   # None: `python -m pipeline ... report`
    check_function: str = ""          # "module:function" replacing the check (tests only)

    def __post_init__(self):
        self.inputs, self.outputs, self.state = Path(self.inputs), Path(self.outputs), Path(self.state)
        if not self.max_upload_bytes:
            self.max_upload_bytes = checking.max_upload_bytes()

    @classmethod
    def from_env(cls) -> "Settings":
        inputs, outputs = checking.default_dirs()
        state = Path(os.environ.get("DVK_STATE", checking.project_root() / "state"))
        limits = {}
        for name, env, default, lowest in LIMITS:
            read = _float_env(env, default) if isinstance(default, float) else _int_env(env, default)
            limits[name] = max(lowest, read)
        return cls(inputs=inputs, outputs=outputs, state=state, **limits)

    # -- folders ------------------------------------------------------------------
    @property
    def received(self) -> Path:
        return self.inputs / checking.RECEIVED_DIR

    @property
    def decisions(self) -> Path:
        """The office's decisions, where `make report` reads them (pipeline.read.decisions)."""
        return self.inputs / checking.DECISIONS_FILE

    @property
    def actions_log(self) -> Path:
        """Every office action, one JSON line each, appended and never rewritten."""
        return self.state / "office_actions.log"

    @property
    def issues(self) -> Path:
        """Each upload's list of problems, apart from its record, so that the board reads small records only."""
        return self.state / "issues"

    @property
    def records(self) -> Path:
        return self.state / "uploads"

    @property
    def dossier_names(self) -> Path:
        """The name each stored hồ sơ was sent under, for the pages only (the file itself is in inputs/)."""
        return self.state / "ho_so"

    @property
    def feedback(self) -> Path:
        return self.state / "feedback"

    @property
    def refused(self) -> Path:
        return self.state / "refused"

    @property
    def runs(self) -> Path:
        return self.state / "runs"

    @property
    def links(self) -> Path:
        return self.state / "links"

    @property
    def tokens_file(self) -> Path:
        return self.state / "tokens.json"

    @property
    def secret_file(self) -> Path:
        return self.state / "secret.key"

    @property
    def template_dir(self) -> Path:
        return self.state / "template"
