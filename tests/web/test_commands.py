"""`make links` and `make serve` as the office runs them (`python -m pipeline.web links|serve`)."""
from __future__ import annotations

import csv
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from pipeline.config import load_plan
from pipeline.web.__main__ import main

ROOT = Path(__file__).resolve().parents[2]
BASE_URL = "https://baocao.example.gov.vn"


@pytest.fixture
def folders(tmp_path, monkeypatch) -> Path:
    for name, env in (("state", "DVK_STATE"), ("inputs", "DVK_INPUTS"), ("outputs", "DVK_OUTPUTS")):
        monkeypatch.setenv(env, str(tmp_path / name))
    return tmp_path


def _links(printed: str) -> list[list[str]]:
    path = re.search(r"Đã tạo \d+ đường dẫn mới: (\S+\.csv)", printed).group(1)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))[1:]


def test_links_are_made_once_each_and_rotated_on_request(folders, capsys):
    units = [u.unit_code for u in load_plan().units]
    assert main(["links", "--base-url", BASE_URL]) == 0
    first = _links(capsys.readouterr().out)
    assert len(first) == len(units) + 1                               # every unit, and the office's board
    assert {row[0] for row in first} >= set(units)
    assert all(row[-1].startswith(f"{BASE_URL}/u/") or row[-1].startswith(f"{BASE_URL}/o/") for row in first)
    assert main(["links", "--base-url", BASE_URL]) == 0
    assert "Mọi đơn vị đã có đường dẫn" in capsys.readouterr().out   # nothing new: the links sent stay valid
    assert main(["links", "--base-url", BASE_URL, "--rotate", units[0]]) == 0
    (again,) = _links(capsys.readouterr().out)
    assert again[0] == units[0] and again[-1] not in {row[-1] for row in first}
    assert main(["links", "--rotate", "khong_co_ma_nay"]) == 2
    assert "Không có đơn vị mã: khong_co_ma_nay" in capsys.readouterr().err


@pytest.mark.slow
def test_serve_answers_on_its_port_and_stops_on_ctrl_c(folders, capsys):
    assert main(["links", "--base-url", "http://127.0.0.1"]) == 0
    office = next(row[-1] for row in _links(capsys.readouterr().out) if "/o/" in row[-1])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "DVK_DEBUG"}
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.web", "serve", "--port", str(port)], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        board = office.replace("http://127.0.0.1", f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + 120
        while True:
            try:
                page = httpx.get(board, timeout=5)
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stdout.read()
                time.sleep(0.2)
        assert page.status_code == 200 and "Bảng theo dõi" in page.text
        assert httpx.get(f"http://127.0.0.1:{port}/", timeout=5).status_code == 404
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, out
    assert f"Trang web chạy tại http://127.0.0.1:{port}/" in out and "Traceback" not in out
    assert office.rsplit("/", 1)[-1] not in out                      # the log never holds a link's token
