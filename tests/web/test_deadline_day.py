"""Deadline day (issue 26): the right reason for every refusal, and an intake that holds when thirty units send at
once. Each test sends what clerks send, through the real server, and checks what they (or the office) read and
what lands on disk; the figures of the load test are printed by tests/web/measure_upload.py, never asserted."""
from __future__ import annotations

import io
import json
import re
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import httpx
import pytest
from openpyxl import load_workbook

from pipeline import messages as msg
from pipeline.check import read_and_check
from pipeline.config import load_plan
from pipeline.web import checking
from pipeline.web.server import MSG_BAD_REQUEST, MSG_BUSY, MSG_HEADER_TIMEOUT
from pipeline.web.storage import shown_name, upload_ext
from schemas import sheet_spec
from tests.ooxml import zipped
from tests.web.conftest import FORM_RE, distinct, multipart, start_server
from tests.web.test_nothing_lost import _partial_upload, wait_for

INFO = sheet_spec("unit_info")
LONG_NAME = ("Báo cáo sơ kết 03 năm thực hiện Phong trào thi đua Dân vận khéo trong các cơ quan hành chính nhà nước "
             "giai đoạn 2020-2023 của UBND xã Phổ Khánh.xlsx")


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def edited(data: bytes, **cells) -> bytes:
    """A return with cells of its unit information sheet changed (None: left blank)."""
    wb = load_workbook(io.BytesIO(data))
    for column, value in cells.items():
        wb[INFO.sheet][INFO.cell(0, column)] = value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def raw_post(client, url: str, body: bytes, ctype: str, **kw) -> httpx.Response:
    return client.post(url, content=body, headers={"content-type": ctype}, **kw)


def upload_id(response: httpx.Response) -> str:
    return response.url.path.rsplit("/", 1)[-1]


# -- 1. long and odd names keep their extension --------------------------------------------------------------

@pytest.mark.parametrize("name,ext", [
    (LONG_NAME, ".xlsx"), ("Báo cáo.xlsx.", ".xlsx"), ("Báo cáo.xlsx  ", ".xlsx"), ("Báo cáo.xlsx . .", ".xlsx"),
    ("bao_cao.xls.xlsx", ".xlsx"), ("BAO CAO.XLSX", ".xlsx"), ("Bao cao.Xls", ".xls"), ("bao cao.ODS", ".ods"),
    ("Gui kem.ZIP", ".zip"), ("C:\\Users\\VanThu\\Desktop\\" + LONG_NAME, ".xlsx"),
    ("Báo cáo. Phổ Khánh năm 2023", ""), ("bao cao", ""), ("bao cao.pdf", ""),
])
def test_an_upload_s_extension_is_read_from_its_whole_name(name, ext):
    assert upload_ext(name) == ext


def test_a_long_name_is_shown_cut_in_the_middle_with_its_extension():
    assert len(LONG_NAME) > 120          # 148 characters, as a clerk named it
    shown = shown_name(LONG_NAME)
    assert len(shown) == 120 and shown.endswith("….xlsx") and shown.startswith("Báo cáo sơ kết 03 năm")


def test_returns_with_long_and_odd_names_are_accepted_through_the_link(server, client, demo):
    unit = demo.clean_on_time()[15]
    for i, name in enumerate([LONG_NAME, "Báo cáo sơ kết.xlsx.", "Bao cao so ket.XLSX ", "bao_cao.xls.xlsx"]):
        form = server.form_token(client, server.links[unit])
        body, ctype = multipart([(b"form", form.encode())], b"file", name.encode(),
                                distinct(demo.data(unit), f"ten {i}"))
        r = raw_post(client, f"{server.links[unit]}/nop", body, ctype)
        text = text_of(r.text)
        assert r.status_code == 200 and "Báo cáo đã được tiếp nhận" in text, (name, text[:400])
        assert "không có đuôi" not in text
    assert len(server.received(unit)) == 4 and all(p.suffix == ".xlsx" for p in server.received(unit))
    page = text_of(client.get(server.links[unit]).text)
    assert shown_name(LONG_NAME) in page


# -- 2. the unit's link is its identity --------------------------------------------------------------------

def test_a_blank_unit_cell_is_the_link_s_unit_whatever_the_file_is_called(server, client, demo):
    unit, other = "pho_vinh", demo.clean_on_time()[16]
    blank = edited(demo.data(unit), unit_name=None)
    for i, name in enumerate(["Phổ Vinh - báo cáo.xlsx", "Phổ An - báo cáo.xlsx", "bao_cao.xlsx"]):
        r = server.upload(client, unit, distinct(blank, str(i)), name=name)
        text = text_of(r.text)
        assert r.status_code == 200 and "Bị từ chối" not in text, (name, text[:500])
        assert "đường dẫn nộp báo cáo riêng của “UBND phường Phổ Vinh”" in text      # the unit is told why
    # a different unit named inside the file is still refused, and says which
    r = server.upload(client, unit, distinct(demo.data(other), "nham"), name="Phổ Vinh.xlsx")
    other_name = next(u.name for u in checking.units() if u.code == other)
    assert "Bị từ chối" in text_of(r.text) and msg.FILE_NOT_SENDER.format(
        named=other_name, unit="UBND phường Phổ Vinh") in text_of(r.text)
    assert len(server.received(unit)) == 3 and server.received(other) == []
    # `make report` on the very folder the server stored them in: Phổ Vinh's three returns, as the board says
    checked = read_and_check(server.settings.inputs, load_plan())
    files = checked.files.set_index("file")
    for path in server.received(unit):
        assert files.at[f"received/{unit}/{path.name}", "unit_code"] == unit
    board = client.get(server.office).text
    status = re.search(rf'data-unit="{unit}" data-status="([^"]+)"', board).group(1)
    assert status == checked.submissions.set_index("unit_code").at[unit, "status"]


# -- 3. deadline-day capacity ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    """A server with short limits, as `make serve` has them, only shorter."""
    srv = start_server(tmp_path_factory.mktemp("web-guarded"), header_timeout=1.0, keep_alive=1.0,
                       body_idle_timeout=2.0, body_min_rate=0, max_receiving=3, max_connections=40,
                       upload_burst=1000, uploads_per_minute=1000)
    yield srv
    srv.stop()


def _connections(srv) -> int:
    return len(srv.server.server_state.connections)


def _read_all(sock: socket.socket, timeout: float = 20.0) -> bytes:
    """Everything the server sends until it closes the connection (or `timeout`: then what came)."""
    sock.settimeout(timeout)
    out = b""
    try:
        while chunk := sock.recv(65536):
            out += chunk
    except (socket.timeout, ConnectionResetError):
        pass
    return out


def test_a_connection_that_never_completes_its_headers_is_closed(guarded):
    host, port = urlsplit(guarded.url).hostname, urlsplit(guarded.url).port
    silent = socket.create_connection((host, port))
    slow = socket.create_connection((host, port))
    slow.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")     # and never the end of the headers
    try:
        answer = _read_all(slow)
        assert answer.startswith(b"HTTP/1.1 408") and MSG_HEADER_TIMEOUT.encode() in answer
        assert _read_all(silent) == b""                        # closed without a word: it said nothing
    finally:
        silent.close()
        slow.close()


def test_a_slow_upload_body_is_stopped_in_vietnamese_and_nothing_is_stored(guarded, client, demo):
    unit = demo.clean_on_time()[0]
    form = guarded.form_token(client, guarded.links[unit])
    sock = _partial_upload(guarded.url, guarded.links[unit], form, demo.data(unit), 2000)
    try:
        answer = _read_all(sock).decode("utf-8", "replace")
    finally:
        sock.close()
    assert answer.startswith("HTTP/1.1 408") and "Gửi tệp quá chậm" in answer
    assert guarded.received(unit) == [] and guarded.records(unit) == []


def test_only_so_many_bodies_are_received_at_once_and_the_pages_still_answer(guarded, client, demo):
    unit = demo.clean_on_time()[1]
    form = guarded.form_token(client, guarded.links[unit])
    assert wait_for(lambda: _connections(guarded) <= 1, 30)
    slow = [_partial_upload(guarded.url, guarded.links[unit], form, demo.data(unit), 1000) for _ in range(3)]
    try:
        time.sleep(0.3)
        extra = _partial_upload(guarded.url, guarded.links[unit], form, demo.data(unit), 1000)
        answer = _read_all(extra, 10).decode("utf-8", "replace")
        extra.close()
        assert answer.startswith("HTTP/1.1 503") and MSG_BUSY in answer
        assert client.get(guarded.links[unit]).status_code == 200          # the unit's page still answers
    finally:
        for sock in slow:
            sock.close()
    assert guarded.received(unit) == []


def test_a_flood_of_slow_uploads_is_shed_and_a_return_still_lands(guarded, client, demo):
    """1,100 slow upload connections used to stay open for as long as they liked (scaled down here)."""
    unit = demo.clean_on_time()[2]
    form = guarded.form_token(client, guarded.links[unit])
    assert wait_for(lambda: _connections(guarded) <= 1, 30)
    socks = []
    try:
        for _ in range(120):
            try:
                socks.append(_partial_upload(guarded.url, guarded.links[unit], form, demo.data(unit), 1000))
            except OSError:
                pass
        answers = [_read_all(s, 30) for s in socks]
        assert all(a.startswith((b"HTTP/1.1 503", b"HTTP/1.1 408")) or a == b"" for a in answers)
        assert sum(a.startswith(b"HTTP/1.1 503") for a in answers) >= 100   # most never got a slot
        assert wait_for(lambda: _connections(guarded) <= 1, 30)           # none is left open
    finally:
        for s in socks:
            s.close()
    r = guarded.upload(client, unit, demo.data(unit))
    assert r.status_code == 200 and "Báo cáo đã được tiếp nhận" in text_of(r.text)
    assert [p.read_bytes() for p in guarded.received(unit)] == [demo.data(unit)]


def test_connections_past_the_limit_are_answered_503_in_vietnamese(tmp_path, client):
    srv = start_server(tmp_path, max_connections=5, header_timeout=30.0)
    host, port = urlsplit(srv.url).hostname, urlsplit(srv.url).port
    socks = []
    try:
        socks = [socket.create_connection((host, port)) for _ in range(5)]
        assert wait_for(lambda: _connections(srv) == 5, 10)
        extra = socket.create_connection((host, port))
        answer = _read_all(extra, 10).decode("utf-8")
        extra.close()
        assert answer.startswith("HTTP/1.1 503") and MSG_BUSY in answer
    finally:
        for s in socks:
            s.close()
        srv.stop()


@pytest.fixture(scope="module")
def many_issues_server(tmp_path_factory):
    srv = start_server(tmp_path_factory.mktemp("web-issues"), check_function="tests.web.helpers:many_issues_check",
                       upload_burst=1000, uploads_per_minute=1000)
    yield srv
    srv.stop()


def test_the_board_reads_small_records_and_a_result_page_reads_its_problems(many_issues_server, client, demo):
    srv, unit = many_issues_server, demo.clean_on_time()[0]
    r = srv.upload(client, unit, demo.data(unit))
    assert int(re.search(r"Danh sách cần sửa \((\d+)\)", text_of(r.text)).group(1)) >= 20_000
    assert 'id="more-issues"' in r.text
    [record] = srv.records(unit)
    assert record.stat().st_size < 4096                       # the 8 MB list of problems lives apart
    assert "issues" not in json.loads(record.read_text("utf-8"))
    issues = json.loads((srv.settings.state / "issues" / unit / record.name).read_text("utf-8"))
    assert len(issues) >= 20_000
    assert f'data-unit="{unit}" data-status="' in client.get(srv.office).text


def test_the_board_is_built_off_the_event_loop(many_issues_server, client, demo):
    """While the board's records are being read (slowly, here), the server answers other requests."""
    srv, unit = many_issues_server, demo.clean_on_time()[1]
    storage, release, entered = srv.web.storage, threading.Event(), threading.Event()
    board = storage.board

    def slow_board(units):
        entered.set()
        release.wait(60)
        return board(units)

    storage.board = slow_board
    try:
        with ThreadPoolExecutor(1) as pool:
            pending = pool.submit(lambda: httpx.get(srv.office, timeout=90))
            assert entered.wait(30)
            static = httpx.get(f"{srv.links[unit]}/static/app.css", timeout=10)   # not held behind the board
            assert static.status_code == 200 and not pending.done()
            release.set()
            assert pending.result().status_code == 200
    finally:
        release.set()
        storage.board = board


# -- 4. the office decides which return counts -----------------------------------------------------------

def test_a_later_return_with_more_errors_does_not_replace_a_clean_one_until_the_office_chooses_it(server, client, demo):
    unit = demo.clean_on_time()[17]
    clean = edited(demo.data(unit), report_date="10/06/2023")
    worse = edited(demo.data(unit), report_date="12/06/2023", staff_total="rất nhiều")   # dated later, one error
    first = server.upload(client, unit, clean)
    later = server.upload(client, unit, worse)
    assert "còn" in text_of(later.text) and "lỗi" in text_of(later.text)
    clean_id, worse_id = upload_id(first), upload_id(later)

    def used_on_unit_page() -> str:
        rows = re.findall(r"<tr>((?:(?!</tr>).)*?)</tr>", client.get(server.links[unit]).text, re.S)
        used = [r for r in rows if "đang được dùng để tổng hợp" in r]
        assert len(used) == 1
        return re.search(r'/nop/([^"/]+)"', used[0]).group(1)

    assert used_on_unit_page() == clean_id
    later_page = text_of(client.get(f"{server.links[unit]}/nop/{worse_id}").text)
    assert "không được dùng để tổng hợp" in later_page and "nhiều hơn" in later_page

    def run_used() -> tuple[str, dict]:
        checked = read_and_check(server.settings.inputs, load_plan())
        files = checked.files.set_index("file")
        return checked.submissions.set_index("unit_code").at[unit, "file"], files

    used, files = run_used()
    assert used.startswith(f"received/{unit}/{clean_id}")                 # `make report` says the same
    worse_file = next(f for f in files.index if f.startswith(f"received/{unit}/{worse_id}"))
    assert files.at[worse_file, "status"] == "superseded" and "nhiều hơn" in files.at[worse_file, "reason"]

    # the office chooses the later one
    office_page = f"{server.office}/don-vi/{unit}/{worse_id}"
    form = FORM_RE.search(client.get(office_page).text).group(1)
    r = client.post(f"{office_page}/quyet-dinh", data={"form": form, "action": "use"})
    assert r.status_code == 200 and 'id="chosen"' in r.text
    assert used_on_unit_page() == worse_id
    assert run_used()[0].startswith(f"received/{unit}/{worse_id}")

    # then sends it back, with a reason the unit reads on its page
    r = client.post(f"{office_page}/quyet-dinh", data={"form": form, "action": "send_back", "reason": ""})
    assert r.status_code == 400 and "Hãy ghi lý do" in text_of(r.text)
    reason = "Số cán bộ ghi bằng chữ; đề nghị ghi số."
    r = client.post(f"{office_page}/quyet-dinh", data={"form": form, "action": "send_back", "reason": reason})
    assert r.status_code == 200
    unit_page = text_of(client.get(server.links[unit]).text)
    assert reason in unit_page and "trả lại" in unit_page
    assert reason in text_of(client.get(f"{server.links[unit]}/nop/{worse_id}").text)
    assert used_on_unit_page() == clean_id
    used, files = run_used()
    assert used.startswith(f"received/{unit}/{clean_id}")
    assert files.at[worse_file, "status"] == "rejected"
    assert files.at[worse_file, "reason"] == msg.FILE_SENT_BACK.format(reason=reason)

    # every action is in the office's append-only log
    log = [json.loads(line) for line in server.settings.actions_log.read_text("utf-8").splitlines()]
    mine = [e for e in log if e["unit"] == unit]
    assert [(e["who"], e["upload"], e["action"], e["reason"]) for e in mine] == [
        ("office", worse_id, "use", ""), ("office", worse_id, "send_back", reason)]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z", e["at"]) for e in mine)
    # a unit's link cannot decide
    r = client.post(f"{server.links[unit]}/nop/{worse_id}/quyet-dinh", data={"form": form, "action": "use"})
    assert r.status_code in (404, 405)


def test_the_same_bytes_sent_twice_are_stored_once(server, demo):
    unit = demo.clean_on_time()[18]
    data = distinct(demo.data(unit), "bam hai lan")
    with httpx.Client(timeout=300, follow_redirects=True) as c:
        form = server.form_token(c, server.links[unit])
    start = threading.Barrier(6)

    def send(_):
        with httpx.Client(timeout=300, follow_redirects=True) as c:
            start.wait()
            return server.upload(c, unit, data, form=form)

    with ThreadPoolExecutor(6) as pool:
        responses = list(pool.map(send, range(6)))        # a clerk's double (and sextuple) click
    assert [r.status_code for r in responses] == [200] * 6
    assert len({r.url.path for r in responses}) == 1
    assert [p.read_bytes() for p in server.received(unit)] == [data]
    assert len(server.records(unit)) == 1
    with httpx.Client(timeout=300, follow_redirects=True) as c:
        again = server.upload(c, unit, data, name="gui lai.xlsx")
    assert again.url.path == responses[0].url.path and 'id="repeated"' in again.text
    assert len(server.received(unit)) == 1


# -- 5. logs never hold a token ------------------------------------------------------------------------------

def test_the_access_log_never_holds_a_token(tmp_path, demo):
    import subprocess

    from pipeline.web.tokens import issue_links
    from tests.web.test_nothing_lost import ROOT, _free_port

    port = _free_port()
    state = tmp_path / "state"
    created, _ = issue_links(state, checking.units(), f"http://127.0.0.1:{port}")
    unit_token = next(link for code, _n, link in created if "/u/" in link).rsplit("/", 1)[-1]
    office_token = next(link for _c, _n, link in created if "/o/" in link).rsplit("/", 1)[-1]
    env = {"DVK_INPUTS": str(tmp_path / "inputs"), "DVK_OUTPUTS": str(tmp_path / "outputs"), "DVK_STATE": str(state),
           "PYTHONPATH": str(ROOT), "DVK_WEB_WORKERS": "1"}
    import os

    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen([os.sys.executable, "-m", "pipeline.web", "serve", "--port", str(port)], cwd=ROOT,
                                env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            assert wait_for(lambda: _answers(url), 120, 0.2), "the server did not start"
            encoded = "".join(f"%{b:02X}" for b in unit_token.encode())
            paths = [f"/u/{unit_token}", f"/U/{unit_token}", f"/u/o/{office_token}", f"/{unit_token}",
                     f"/{office_token}", f"/o/{office_token}/bang", f"/O/{office_token}",
                     f"/u/{unit_token}/nop/20230610T010203Z_0123abcd?lai={unit_token}", f"/u/{encoded}",
                     f"/static/{unit_token}.css", f"/x/{office_token}/y"]
            with httpx.Client(timeout=60) as c:
                for path in paths:
                    c.get(url + path)
                c.post(f"{url}/U/{unit_token}/nop", content=b"x", headers={"content-type": "multipart/form-data"})
        finally:
            proc.terminate()
            proc.wait(30)
    text = log_path.read_text("utf-8", "replace")
    assert text.count('"GET ') >= len(paths) and '"POST ' in text       # the access log was written
    assert unit_token not in text and office_token not in text
    for token in (unit_token, office_token):
        assert token[:20] not in text and token[-20:] not in text


def _answers(url: str) -> bool:
    try:
        return httpx.get(url + "/", timeout=2).status_code == 404
    except httpx.TransportError:
        return False


# -- 6. every message in Vietnamese --------------------------------------------------------------------------

def test_malformed_requests_are_answered_in_vietnamese(server, client, demo):
    unit = demo.clean_on_time()[19]
    link = server.links[unit]
    r = raw_post(client, f"{link}/nop", b"--x\r\n", "multipart/form-data")        # no boundary
    assert r.status_code == 400 and "Missing boundary" not in r.text
    assert "Không đọc được nội dung gửi lên" in text_of(r.text)
    r = raw_post(client, f"{server.office}/tong-hop", b"--x\r\n", "multipart/form-data")
    assert r.status_code == 400 and "Missing boundary" not in r.text and "Không đọc được" in text_of(r.text)
    host, port = urlsplit(server.url).hostname, urlsplit(server.url).port
    with socket.create_connection((host, port)) as sock:
        sock.sendall(b"THIS IS NOT HTTP\r\n\r\n")
        answer = _read_all(sock, 10).decode("utf-8")
    assert answer.startswith("HTTP/1.1 400") and MSG_BAD_REQUEST in answer and "Invalid HTTP" not in answer


def test_archives_and_empty_files_are_refused_for_what_they_are(server, client, demo):
    unit = demo.clean_on_time()[19]
    data = demo.data(unit)
    nested = server.upload(client, unit, zipped({"ben_trong.zip": zipped({"bao_cao.xlsx": data})}), name="a.zip")
    text = text_of(nested.text)
    assert "Bị từ chối" in text and msg.FILE_NESTED_ARCHIVE in text and msg.FILE_ARCHIVE not in text
    outside = server.upload(client, unit, zipped({"../../x.xlsx": data}), name="b.zip")
    text = text_of(outside.text)
    assert "Bị từ chối" in text and msg.FILE_MEMBER_PATH.format(name="../../x.xlsx") in text
    assert msg.FILE_HIDDEN not in text
    empty = server.upload(client, unit, b"", name="rong.xlsx")
    text = text_of(empty.text)
    assert "(0 KB, tệp rỗng)" in text and "1 KB" not in text and msg.FILE_EMPTY in text


def test_every_limit_can_be_set_from_the_environment(monkeypatch):
    from pipeline.web.settings import LIMITS, Settings

    for _name, env, default, _lowest in LIMITS:
        monkeypatch.setenv(env, str(default * 3))
    got = Settings.from_env()
    for name, _env, default, _lowest in LIMITS:
        assert getattr(got, name) == default * 3, name
