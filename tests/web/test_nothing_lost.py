"""Issue 12, point 5 (nothing lost) and checking off the request thread (point 4)."""
from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from pipeline.web import checking
from pipeline.web.tokens import issue_links
from tests.web.conftest import FORM_RE, LiveServer, distinct, make_settings, multipart, start_server
from tests.web.helpers import mark

ROOT = Path(__file__).resolve().parents[2]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def wait_for(condition, timeout: float = 90.0, step: float = 0.05) -> bool:
    """Poll until `condition()` holds (never a timing assertion: only a bound on waiting)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(step)
    return condition()


def test_twenty_concurrent_uploads_from_different_units_and_from_one_unit_all_land(server, demo):
    same = demo.clean_on_time()[7]
    units = [u for u in demo.files if u != same][:20]
    assert len(units) == 20
    jobs = [(u, distinct(demo.data(u), "20")) for u in units] + [
        (same, distinct(demo.data(same), f"lan {i}")) for i in range(20)]       # twenty different returns
    with httpx.Client(timeout=300, follow_redirects=True) as c:
        forms = {u: server.form_token(c, server.links[u]) for u in set(units) | {same}}
    before = {u: len(server.received(u)) for u in set(units) | {same}}
    start = threading.Barrier(len(jobs))

    def send(job):
        unit, data = job
        with httpx.Client(timeout=300, follow_redirects=True) as c:
            start.wait()
            return server.upload(c, unit, data, form=forms[unit])

    with ThreadPoolExecutor(len(jobs)) as pool:
        responses = list(pool.map(send, jobs))
    assert [r.status_code for r in responses] == [200] * len(jobs)
    assert len({str(r.url) for r in responses}) == len(jobs)         # forty distinct results
    for unit in units:
        stored = server.received(unit)[before[unit]:]
        assert [sha(p.read_bytes()) for p in stored] == [sha(distinct(demo.data(unit), "20"))], unit
    stored = server.received(same)
    assert len(stored) - before[same] == 20                        # none overwrote another
    assert {sha(p.read_bytes()) for p in stored} >= {sha(data) for u, data in jobs if u == same}
    assert len(server.records(same)) == len(stored)
    assert not list(server.settings.inputs.rglob(".*.part"))


def _partial_upload(url: str, link: str, form: str, data: bytes, send_bytes: int) -> socket.socket:
    """Start an upload and send only its first `send_bytes` bytes; returns the open socket."""
    parts = urlsplit(link)
    body, ctype = multipart([(b"form", form.encode())], b"file", b"bao_cao.xlsx", data)
    head = (f"POST {parts.path}/nop HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Type: {ctype}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    sock = socket.create_connection((parts.hostname, parts.port))
    sock.sendall(head + body[:send_bytes])
    return sock


def test_an_upload_interrupted_midway_leaves_no_file(server, client, demo):
    unit = demo.clean_on_time()[8]
    whole = distinct(demo.data(unit), "gui sau khi dut")
    data = demo.data(unit) + b"\0" * 3_000_000       # past the 1 MB that is kept in memory
    form = server.form_token(client, server.links[unit])
    before, records = server.received(unit), server.records(unit)
    for cut in (500, 2_000_000):
        sock = _partial_upload(server.url, server.links[unit], form, data, cut)
        time.sleep(0.2)
        sock.close()
    # the server goes on: a complete upload after the broken ones is the only one stored
    r = server.upload(client, unit, whole, form=form)
    assert r.status_code == 200
    stored = [p for p in server.received(unit) if p not in before]
    assert [p.read_bytes() for p in stored] == [whole]
    assert len(server.records(unit)) == len(records) + 1
    assert not list(server.settings.state.rglob(".*.part")) and not list(server.settings.inputs.rglob(".*.part"))


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _start_process(root: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "DVK_INPUTS": str(root / "inputs"), "DVK_OUTPUTS": str(root / "outputs"),
           "DVK_STATE": str(root / "state"), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.web", "serve", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"

    def up():
        try:
            return httpx.get(url + "/", timeout=2).status_code == 404
        except httpx.TransportError:
            return False

    assert wait_for(up, 120, 0.2), "the server did not start"
    return proc


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_server_killed_during_an_upload_leaves_consistent_files(tmp_path, client, demo):
    settings = make_settings(tmp_path)
    port = _free_port()
    created, _ = issue_links(settings.state, checking.units(), f"http://127.0.0.1:{port}")
    links = {code: link for code, _n, link in created if "/u/" in link}
    office = next(link for _c, _n, link in created if "/o/" in link)
    unit, other = demo.clean_on_time()[0], demo.clean_on_time()[1]
    # what a kill leaves at worst: a hidden partial file, and a stored workbook whose record was not written
    folder = settings.inputs / "received" / unit
    folder.mkdir(parents=True)
    (folder / ".0123456789abcdef.part").write_bytes(demo.data(unit)[:1000])
    orphan = folder / f"20230601T080000Z_{sha(demo.data(unit))[:8]}.xlsx"
    orphan.write_bytes(demo.data(unit))

    proc = _start_process(tmp_path, port)
    try:
        assert not (folder / ".0123456789abcdef.part").exists()        # swept at start
        record = json.loads((settings.state / "uploads" / unit / f"{orphan.stem}.json").read_text("utf-8"))
        assert record["verdict"] == "accepted" and record["recovered"] is True
        board = client.get(office).text
        assert f'data-unit="{unit}" data-status="on_time"' in board
        # now kill it in the middle of another unit's upload
        form = FORM_RE.search(client.get(links[other]).text).group(1)
        sock = _partial_upload(f"http://127.0.0.1:{port}", links[other], form, demo.data(other) + b"\0" * 2_000_000,
                               1_500_000)
        workers = _children(proc.pid)
        time.sleep(0.3)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        sock.close()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
    assert not (settings.inputs / "received" / other).exists()
    assert not (settings.state / "uploads" / other).exists()
    assert not list(tmp_path.rglob(".*.part"))
    # the check workers do not outlive the server
    assert wait_for(lambda: not any(Path(f"/proc/{w}").exists() for w in workers), 30, 0.2)
    # a restarted server sees the same, consistent state
    srv = LiveServer(settings).start()     # on another port: the links keep their paths
    srv.office = srv.url + urlsplit(office).path
    srv.links = {code: srv.url + urlsplit(link).path for code, link in links.items()}
    try:
        board = client.get(srv.office).text
        assert f'data-unit="{unit}" data-status="on_time"' in board
        assert f'data-unit="{other}" data-status="missing"' in board
        assert srv.upload(client, other, demo.data(other)).status_code == 200
        assert [p.read_bytes() for p in srv.received(other)] == [demo.data(other)]
    finally:
        srv.stop()
    assert [p.name for p in sorted(folder.iterdir())] == [orphan.name]


@pytest.fixture(scope="module")
def held_server(tmp_path_factory):
    srv = start_server(tmp_path_factory.mktemp("web-held"), check_function="tests.web.helpers:held_check",
                       upload_burst=1000, uploads_per_minute=1000)
    yield srv
    srv.stop()


def test_a_slow_workbook_does_not_stall_other_uploads_or_pages(held_server, client, demo):
    srv = held_server
    slow_unit, fast_unit = demo.clean_on_time()[0], demo.clean_on_time()[1]
    slow = demo.data(slow_unit)
    mark("hold", slow).parent.mkdir(parents=True, exist_ok=True)
    mark("hold", slow).touch()
    mark("started", slow).unlink(missing_ok=True)
    result = {}

    def send_slow():
        with httpx.Client(timeout=300, follow_redirects=True) as c:
            result["slow"] = srv.upload(c, slow_unit, slow)

    t = threading.Thread(target=send_slow)
    t.start()
    try:
        assert wait_for(lambda: mark("started", slow).exists())        # the slow check is running
        board = client.get(srv.office)
        assert board.status_code == 200 and f'data-unit="{slow_unit}" data-status="missing"' in board.text
        fast = srv.upload(client, fast_unit, demo.data(fast_unit))
        assert fast.status_code == 200 and 'id="verdict"' in fast.text and "Bị từ chối" not in fast.text
        assert "slow" not in result and srv.received(slow_unit) == []   # still held, and the other went through
    finally:
        mark("hold", slow).unlink(missing_ok=True)
        t.join(300)
    assert result["slow"].status_code == 200 and len(srv.received(slow_unit)) == 1
