"""Report runs started from the office board: a subprocess, so uploads go on meanwhile."""
from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import re
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

from pipeline.web import checking, files
from pipeline.web.settings import DISPLAY_TZ, Settings

LOG_TAIL = 4000
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@dataclass
class RunInfo:
    state: str                 # running | finished | failed
    started_at: str
    finished_at: str = ""
    returncode: int | None = None
    log: str = ""

    def shown(self, when: str) -> str:
        if not when:
            return ""
        return dt.datetime.fromisoformat(when).astimezone(DISPLAY_TZ).strftime("%H:%M:%S ngày %d/%m/%Y")

    @property
    def started_shown(self) -> str:
        return self.shown(self.started_at)

    @property
    def finished_shown(self) -> str:
        return self.shown(self.finished_at)


class ReportRunner:
    def __init__(self, settings: Settings):
        self.s = settings
        self.current: RunInfo | None = None
        self._task: asyncio.Task | None = None
        self._zip_lock = asyncio.Lock()

    @property
    def last_file(self) -> Path:
        return self.s.runs / "last.json"

    def last(self) -> RunInfo | None:
        if self.current is not None:
            return self.current
        try:
            return RunInfo(**json.loads(self.last_file.read_text(encoding="utf-8")))
        except (FileNotFoundError, ValueError, TypeError):
            return None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> bool:
        """Start a run unless one is going; False when one is."""
        if self.running:
            return False
        now = dt.datetime.now(dt.timezone.utc).isoformat()
        self.current = RunInfo("running", now)
        self._task = asyncio.get_running_loop().create_task(self._run())
        return True

    async def _run(self) -> None:
        cmd = self.s.report_command or checking.report_command(self.s.inputs, self.s.outputs)
        env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "120", "PYTHONIOENCODING": "utf-8"}
        info = self.current
        try:
            proc = await asyncio.create_subprocess_exec(*cmd, stdin=asyncio.subprocess.DEVNULL,
                                                        stdout=asyncio.subprocess.PIPE,
                                                        stderr=asyncio.subprocess.STDOUT, env=env)
            out, _ = await proc.communicate()
            info.returncode = proc.returncode
            info.log = ANSI.sub("", out.decode("utf-8", "replace"))[-LOG_TAIL:]
            info.state = "finished" if proc.returncode == 0 else "failed"
        except Exception as exc:  # the command could not start at all
            info.state, info.log = "failed", f"{type(exc).__name__}: {exc}"
        info.finished_at = dt.datetime.now(dt.timezone.utc).isoformat()
        files.replace(self.last_file, json.dumps(asdict(info), ensure_ascii=False).encode("utf-8"))
        self.current = None

    async def wait(self) -> None:
        if self._task is not None:
            await self._task

    # -- outputs ------------------------------------------------------------------
    def outputs_ready(self) -> bool:
        return (self.s.outputs / checking.REPORT_DONE_MARKER).is_file()

    def output_file(self, name: str) -> Path | None:
        """One of the listed outputs of the last finished run (the name is compared, not joined)."""
        for known in checking.REPORT_FILES:
            if name == known:
                path = self.s.outputs / known
                return path if path.is_file() else None
        return None

    def available(self) -> list[str]:
        return [n for n in checking.REPORT_FILES if (self.s.outputs / n).is_file()]

    async def outputs_zip(self) -> Path | None:
        """Every output of the last finished run in one .zip, built once per run."""
        marker = self.s.outputs / checking.REPORT_DONE_MARKER
        if not marker.is_file():
            return None
        async with self._zip_lock:
            target = self.s.runs / f"ket_qua_{marker.stat().st_mtime_ns}.zip"
            if not target.is_file():
                await asyncio.to_thread(self._build_zip, target)
            return target

    def _build_zip(self, target: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        for old in target.parent.glob("ket_qua_*.zip"):
            old.unlink(missing_ok=True)
        tmp = target.with_name(f".{target.name}{files.PART_SUFFIX}")
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(self.s.outputs.rglob("*")):
                rel = path.relative_to(self.s.outputs)
                if path.is_file() and not any(p.startswith(".") for p in rel.parts) and rel.parts[0] != "demo":
                    zf.write(path, rel.as_posix())
        os.replace(tmp, target)
