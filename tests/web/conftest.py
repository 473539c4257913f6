"""A real server (uvicorn on a loopback port) over temporary inputs/outputs/state folders."""
from __future__ import annotations

import io
import re
import socket
import threading
import time
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

import uvicorn

from pipeline.web import checking
from pipeline.web.app import create_app
from pipeline.web.server import uvicorn_kwargs
from pipeline.web.settings import Settings
from pipeline.web.tokens import issue_links

FORM_RE = re.compile(r'name="form" value="([^"]+)"')


def make_settings(root: Path, **kw) -> Settings:
    for name in ("inputs", "outputs", "state"):
        (root / name).mkdir(parents=True, exist_ok=True)
    return Settings(inputs=root / "inputs", outputs=root / "outputs", state=root / "state", **kw)


@dataclass
class LiveServer:
    settings: Settings
    url: str = ""
    links: dict[str, str] = field(default_factory=dict)   # unit code -> upload link
    office: str = ""

    def start(self) -> "LiveServer":
        self.app = create_app(self.settings)
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        config = uvicorn.Config(self.app, host="127.0.0.1", port=port, log_level="warning", lifespan="on",
                                timeout_graceful_shutdown=5, **uvicorn_kwargs(self.settings))
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 120
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        created, _ = issue_links(self.settings.state, checking.units(), self.url)
        for code, _name, link in created:
            if "/o/" in link:
                self.office = link
            else:
                self.links[code] = link
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(30)

    @property
    def web(self):
        return self.app.web

    # -- acting as a clerk ----------------------------------------------------------
    def form_token(self, client: httpx.Client, link: str) -> str:
        page = client.get(link)
        assert page.status_code == 200
        return FORM_RE.search(page.text).group(1)

    def upload(self, client: httpx.Client, unit: str, data: bytes, name: str = "bao_cao.xlsx",
               form: str | None = None, link: str | None = None, **kw) -> httpx.Response:
        link = link or self.links[unit]
        form = self.form_token(client, link) if form is None else form
        return client.post(f"{link}/nop", data={"form": form}, files={"file": (name, data)}, **kw)

    def received(self, unit: str) -> list[Path]:
        folder = self.settings.inputs / "received" / unit
        return sorted(folder.iterdir()) if folder.is_dir() else []

    def records(self, unit: str) -> list[Path]:
        folder = self.settings.state / "uploads" / unit
        return sorted(folder.iterdir()) if folder.is_dir() else []


def start_server(root: Path, **kw) -> LiveServer:
    return LiveServer(make_settings(root, **kw)).start()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = start_server(tmp_path_factory.mktemp("web"), upload_burst=1000, uploads_per_minute=1000)
    yield srv
    srv.stop()


@pytest.fixture
def client():
    with httpx.Client(timeout=120, follow_redirects=True) as c:
        yield c


@dataclass
class DemoSet:
    """The demo returns (real filled templates) by unit, and the mistakes planted in them."""

    files: dict[str, Path]
    planted: dict[str, list[dict]]
    late: set[str]
    missing: list[str]

    def data(self, unit: str) -> bytes:
        return self.files[unit].read_bytes()

    def clean_on_time(self) -> list[str]:
        return [u for u in self.files if not self.planted.get(u) and u not in self.late]


@pytest.fixture(scope="session")
def demo(demo_dir, demo_intended) -> DemoSet:
    returns, missing = demo_intended
    files = {r.unit.unit_code: demo_dir / "returns" / r.filename for r in returns}
    planted = {r.unit.unit_code: r.planted for r in returns if r.planted}
    return DemoSet(files, planted, {r.unit.unit_code for r in returns if r.is_late}, [u.unit_code for u in missing])


def distinct(data: bytes, tag: str) -> bytes:
    """The same workbook under another zip comment: other bytes, the same return (the server stores the same bytes
    sent twice by a unit once)."""
    buf = io.BytesIO(data)
    with zipfile.ZipFile(buf, "a") as zf:
        zf.comment = tag.encode("utf-8")
    return buf.getvalue()


def multipart(fields: list[tuple[bytes, bytes]], file_field: bytes, filename: bytes, data: bytes,
              boundary: bytes | None = None) -> tuple[bytes, str]:
    """A multipart body written byte by byte, so that a file name reaches the server exactly as given."""
    boundary = boundary or uuid.uuid4().hex.encode()
    out = b""
    for name, value in fields:
        out += b"--" + boundary + b'\r\nContent-Disposition: form-data; name="' + name + b'"\r\n\r\n' + value + b"\r\n"
    out += (b"--" + boundary + b'\r\nContent-Disposition: form-data; name="' + file_field + b'"; filename="'
            + filename + b'"\r\nContent-Type: application/octet-stream\r\n\r\n' + data + b"\r\n--" + boundary + b"--\r\n")
    return out, f"multipart/form-data; boundary={boundary.decode()}"
