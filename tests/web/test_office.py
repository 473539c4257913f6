"""The office board: statuses, report runs and their outputs; the links (issue 12, points 1 and 3)."""
from __future__ import annotations

import base64
import csv
import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import httpx

from pipeline.web import checking
from pipeline.web.tokens import TokenStore
from tests.web.conftest import FORM_RE, distinct, start_server
from tests.web.helpers import MARKS
from tests.web.test_nothing_lost import wait_for

ROOT = Path(__file__).resolve().parents[2]


def run_links(state: Path, *args: str) -> subprocess.CompletedProcess:
    env = {"DVK_STATE": str(state), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "pipeline.web", "links", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def read_links(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return {row[0]: row[2] for row in list(csv.reader(fh))[1:]}


def test_links_are_random_hashed_kept_and_rotated(tmp_path):
    state = tmp_path / "state"
    first = run_links(state, "--base-url", "https://dvk.example.vn/")
    assert first.returncode == 0, first.stderr
    [csv_path] = (state / "links").glob("*.csv")
    links = read_links(csv_path)
    units = checking.units()
    assert set(links) == {u.code for u in units} | {"(cơ quan)"}
    tokens = {code: link.rsplit("/", 1)[-1] for code, link in links.items()}
    for code, token in tokens.items():
        assert links[code].startswith("https://dvk.example.vn/o/" if code == "(cơ quan)" else "https://dvk.example.vn/u/")
        assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) * 8 >= 128
    assert len(set(tokens.values())) == len(tokens)
    stored = (state / "tokens.json").read_text("utf-8")
    assert not any(t in stored for t in tokens.values())              # only hashes are kept
    store = TokenStore(state / "tokens.json")
    known = {u.code for u in units}
    unit = units[0].code
    assert store.resolve(tokens[unit], known).unit_code == unit
    assert store.resolve(tokens["(cơ quan)"], known).role == "office"
    # run again: nothing new, the links sent out still work
    again = run_links(state)
    assert again.returncode == 0 and "vẫn dùng được" in again.stdout
    assert len(list((state / "links").glob("*.csv"))) == 1
    assert store.resolve(tokens[unit], known).unit_code == unit
    # rotate one unit: a new link for it alone, its old link no longer opens anything
    rotated = run_links(state, "--rotate", unit)
    assert rotated.returncode == 0, rotated.stderr
    new_csv = max((state / "links").glob("*.csv"), key=lambda p: p.stat().st_mtime_ns)
    assert new_csv != csv_path
    new = read_links(new_csv)
    assert list(new) == [unit]
    assert store.resolve(tokens[unit], known) is None
    assert store.resolve(new[unit].rsplit("/", 1)[-1], known).unit_code == unit
    assert store.resolve(tokens[units[1].code], known).unit_code == units[1].code
    assert run_links(state, "--rotate", "no_such_unit").returncode == 2


def test_report_run_from_the_board_reads_the_uploads_and_offers_its_outputs(server, client, demo):
    first, second = demo.clean_on_time()[9], demo.clean_on_time()[10]
    server.upload(client, first, demo.data(first))
    server.upload(client, first, distinct(demo.data(first), "lan 2"))   # sent again: the later copy is used
    server.upload(client, second, demo.data(second))
    board = client.get(server.office)
    form = FORM_RE.search(board.text).group(1)
    r = client.post(f"{server.office}/tong-hop", data={"form": form})
    assert r.status_code == 200 and "Đang tổng hợp" in r.text
    assert wait_for(lambda: not server.web.runner.running, 600, 0.2)
    board = client.get(server.office).text
    assert "hoàn tất" in board, board
    with zipfile.ZipFile(io.BytesIO(client.get(f"{server.office}/ket-qua/ket_qua.zip").content)) as zf:
        names = set(zf.namelist())
        assert {"submissions.csv", "files.csv", "issues.csv", "Tong_hop_so_ket_Dan_van_kheo.xlsx"} <= names
        files = list(csv.DictReader(io.TextIOWrapper(zf.open("files.csv"), encoding="utf-8-sig")))
        subs = {row["unit_code"]: row for row in csv.DictReader(io.TextIOWrapper(zf.open("submissions.csv"),
                                                                                   encoding="utf-8-sig"))}
    stored_first = [f"received/{first}/{p.name}"                  # in the order sent (the time of each upload)
                    for p in sorted(server.received(first), key=lambda p: p.stat().st_mtime_ns)]
    mine = {row["file"]: row["status"] for row in files if row["file"] in stored_first}
    assert mine == {stored_first[0]: "superseded", stored_first[1]: "accepted"}
    assert subs[first]["status"] == "on_time" and subs[second]["status"] == "on_time"
    summary = client.get(f"{server.office}/ket-qua/Tong_hop_so_ket_Dan_van_kheo.xlsx")
    assert summary.status_code == 200 and summary.content[:2] == b"PK"
    # the board's choice of upload agrees with the run's
    page = client.get(f"{server.links[first]}").text
    assert page.count("đang được dùng để tổng hợp") == 1


def test_a_report_run_does_not_block_uploads(tmp_path, client, demo):
    release = MARKS / f"release-{tmp_path.name}"
    MARKS.mkdir(parents=True, exist_ok=True)
    release.unlink(missing_ok=True)
    wait = f"import os, time\nwhile not os.path.exists({str(release)!r}): time.sleep(0.05)\nprint('xong')"
    srv = start_server(tmp_path, report_command=[sys.executable, "-c", wait])
    try:
        form = FORM_RE.search(client.get(srv.office).text).group(1)
        r = client.post(f"{srv.office}/tong-hop", data={"form": form})
        assert "Đang tổng hợp" in r.text and srv.web.runner.running
        unit = demo.clean_on_time()[0]
        up = srv.upload(client, unit, demo.data(unit))
        assert up.status_code == 200 and len(srv.received(unit)) == 1
        assert srv.web.runner.running                                  # the run is still going
        again = client.post(f"{srv.office}/tong-hop", data={"form": form})
        assert again.status_code == 409 and "Đang có một lần tổng hợp chạy" in again.text
        assert f'data-unit="{unit}" data-status="on_time"' in client.get(f"{srv.office}/bang").text
    finally:
        release.touch()
    assert wait_for(lambda: not srv.web.runner.running, 60, 0.1)
    assert "xong" in json.loads((srv.settings.state / "runs" / "last.json").read_text("utf-8"))["log"]
    srv.stop()
    release.unlink(missing_ok=True)


def test_board_lists_every_unit_of_the_registry(server, client):
    board = client.get(server.office).text
    units = checking.units()
    rows = re.findall(r'data-unit="([^"]+)" data-status="([^"]+)"', board)
    assert [code for code, _ in rows] == [u.code for u in units]
    assert {status for _, status in rows} <= {"on_time", "late", "missing", "date_unknown", "rejected"}
    for u in units:
        assert u.name in board
    with httpx.Client() as c:
        assert c.get(f"{server.office}/bang").text.count("data-unit=") == len(units)
