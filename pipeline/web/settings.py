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


@dataclass
class Settings:
    inputs: Path
    outputs: Path
    state: Path                       # token hashes, upload records, feedback, refused files (ignored by git)
    max_upload_bytes: int = 0         # 0: the plan's [limits] max_file_bytes
    check_workers: int = 2            # worker processes that check workbooks
    upload_burst: int = 10            # uploads a client may send at once...
    uploads_per_minute: float = 10.0  # ...and how fast its allowance refills
    csrf_max_age: int = 12 * 3600     # seconds a page's form stays valid
    board_refresh: int = 20           # seconds between two refreshes of the office board
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
        return cls(inputs=inputs, outputs=outputs, state=state,
                   check_workers=max(1, _int_env("DVK_WEB_WORKERS", 2)),
                   upload_burst=max(1, _int_env("DVK_UPLOAD_BURST", 10)),
                   uploads_per_minute=max(1, _int_env("DVK_UPLOADS_PER_MINUTE", 10)))

    # -- folders ------------------------------------------------------------------
    @property
    def received(self) -> Path:
        return self.inputs / "received"

    @property
    def records(self) -> Path:
        return self.state / "uploads"

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
