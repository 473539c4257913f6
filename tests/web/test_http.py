"""HTTP tests of the units' pages and the office board against a real server (issue 12).

Each test builds what it sends from the demo returns (real filled templates) and checks
what a clerk or the office would see, and what lands on disk.
"""
from __future__ import annotations

import hashlib
import json
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook

from pipeline.web import checking
from pipeline.web.security import FormGuard
from tests.web.conftest import FORM_RE, distinct, multipart, start_server
from tests.web.helpers import mark

ID_NAME = re.compile(r"\d{8}T\d{6}Z_[0-9a-f]{8}(_\d+)?\.(xlsx|xlsm|xls|ods|zip|bin|json)")


def files_under(root: Path) -> list[Path]:
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


def token_of(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[-1]


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def other_token(token: str) -> str:
    """The same token with its last character changed."""
    return token[:-1] + ("A" if token[-1] != "A" else "B")


# -- 2. the unit's page ----------------------------------------------------------

def test_unit_page_shows_name_deadline_and_template(server, client):
    unit = checking.units()[0]
    page = client.get(server.links[unit.code])
    assert page.status_code == 200
    text = text_of(page.text)
    assert unit.name in text
    assert checking.deadline().strftime("%d/%m/%Y") in text
    assert "Tải mẫu báo cáo" in text and "Chưa gửi" in text
    template = client.get(f"{server.links[unit.code]}/mau.xlsx")
    assert template.status_code == 200
    assert "attachment" in template.headers["content-disposition"]
    wb = load_workbook(io.BytesIO(template.content))
    assert "Thông tin đơn vị" in " ".join(wb.sheetnames)


def test_return_with_mistakes_shows_each_at_its_cell_and_offers_feedback(server, client, demo):
    unit = next(iter(demo.planted))
    r = server.upload(client, unit, demo.data(unit), name="Báo cáo sơ kết.xlsx")
    assert r.status_code == 200 and "/nop/" in str(r.url)
    text = text_of(r.text)
    errors = [p for p in demo.planted[unit] if p["severity"] == "error"]
    assert "Đọc được nhưng còn lỗi" in text
    assert f"còn {len(errors)} lỗi" in text
    rows = re.findall(r'data-sheet="([^"]*)" data-cell="([^"]*)"', r.text)
    for p in demo.planted[unit]:
        assert (p["sheet"], p["cell"]) in rows, p
    link = re.search(r'id="feedback-link" href="([^"]+)"', r.text).group(1)
    feedback = client.get(server.url + link)
    assert feedback.status_code == 200
    wb = load_workbook(io.BytesIO(feedback.content))
    for p in demo.planted[unit]:
        cell = wb[p["sheet"]][p["cell"]]
        assert cell.fill.fgColor.rgb.endswith(("FF9999", "FFE699")) and cell.comment is not None, p
    # the stored copy is the uploaded workbook, byte for byte, under a name of the server's making
    stored = server.received(unit)
    assert len(stored) == 1 and ID_NAME.fullmatch(stored[0].name)
    assert stored[0].read_bytes() == demo.data(unit)
    # and the unit's page lists the upload with its status
    page = text_of(client.get(server.links[unit]).text)
    assert "Báo cáo sơ kết.xlsx" in page and "Đọc được nhưng còn lỗi" in page


def test_clean_return_is_accepted_and_the_board_shows_it_on_time(server, client, demo):
    unit = demo.clean_on_time()[0]
    board = client.get(server.office).text
    assert re.search(rf'data-unit="{unit}" data-status="missing"', board)
    r = server.upload(client, unit, demo.data(unit))
    assert "Báo cáo đã được tiếp nhận" in text_of(r.text) and "đúng hạn" in text_of(r.text)
    board = client.get(server.office).text
    assert re.search(rf'data-unit="{unit}" data-status="on_time"', board)


def test_late_return_shows_late_on_the_board(server, client, demo):
    unit = sorted(demo.late)[0]
    r = server.upload(client, unit, demo.data(unit))
    assert "trễ hạn" in text_of(r.text)
    assert re.search(rf'data-unit="{unit}" data-status="late"', client.get(f"{server.office}/bang").text)


def test_a_correction_sent_after_the_deadline_keeps_the_unit_on_time(server, client, demo, tmp_path):
    """The unit sent on time, then a corrected return dated after the deadline: used, but the unit sent on time."""
    import io

    from openpyxl import load_workbook
    from schemas import sheet_spec

    unit = demo.clean_on_time()[13]   # a unit no other test of the shared server uploads for
    assert server.upload(client, unit, demo.data(unit)).status_code == 200
    info = sheet_spec("unit_info")
    wb = load_workbook(io.BytesIO(demo.data(unit)))
    wb[info.sheet][info.cell(0, "report_date")] = "20/6/2023"          # after the deadline of 15/6/2023
    buf = io.BytesIO()
    wb.save(buf)
    r = server.upload(client, unit, buf.getvalue())
    assert "trễ hạn" in text_of(r.text)                                 # this upload on its own is dated late
    assert re.search(rf'data-unit="{unit}" data-status="on_time"', client.get(server.office).text)


# -- 4. nobody gets in where they don't belong ------------------------------------------

def test_every_page_and_download_without_a_valid_token_is_404(server, client, demo):
    units = list(demo.planted)
    unit, other = units[3], units[4]   # not the units other tests of this module send: no upload is a repeat
    r = server.upload(client, unit, demo.data(unit))
    upload_id = r.url.path.rsplit("/", 1)[-1]
    token, office = token_of(server.links[unit]), token_of(server.office)
    bad, other_tok = other_token(token), token_of(server.links[other])
    not_found = client.get(server.url + "/").text
    paths = [
        "/", "/u", "/u/", "/o", "/o/", "/static/app.css", "/docs", "/openapi.json", "/inputs/", "/state/tokens.json",
        f"/u/{bad}", f"/u/{bad}/mau.xlsx", f"/u/{bad}/nop/{upload_id}", f"/u/{bad}/nop/{upload_id}/phan-hoi.xlsx",
        f"/u/{bad}/static/app.css", f"/u/{token}x", f"/u/{token[:-1]}", f"/u/{token.swapcase()}",
        f"/o/{other_token(office)}", f"/o/{other_token(office)}/bang", f"/o/{other_token(office)}/ket-qua/ket_qua.zip",
        f"/u/{office}", f"/u/{office}/mau.xlsx", f"/o/{token}", f"/o/{token}/bang", f"/o/{token}/ket-qua/ket_qua.zip",
        f"/u/{other_tok}/nop/{upload_id}", f"/u/{other_tok}/nop/{upload_id}/phan-hoi.xlsx",
        f"/u/{token}/nop/", f"/u/{token}/nop/{upload_id}x", f"/u/{token}/static/", f"/u/{token}/static/app.py",
        f"/u/{token}/static/..%2F..%2Fapp.py", f"/u/{token}/static/%2e%2e", f"/o/{office}/ket-qua/..%2Fstate%2Ftokens.json",
        f"/o/{office}/don-vi/{unit}/nothing", f"/o/{office}/don-vi/..%2F..%2Fetc/{upload_id}",
    ]
    for path in paths:
        got = client.get(server.url + path)
        assert got.status_code == 404, path
        assert got.text == not_found, path
    for path in (f"/u/{bad}/nop", f"/u/{office}/nop", f"/o/{token}/tong-hop", f"/o/{bad}/tong-hop", "/u/nop"):
        got = client.post(server.url + path, data={"form": "x"}, files={"file": ("a.xlsx", b"x")})
        assert got.status_code == 404, path
        assert got.text == not_found, path
    assert "Không tìm thấy trang" in text_of(not_found)
    # the real links do open
    assert client.get(f"{server.links[unit]}/nop/{upload_id}/phan-hoi.xlsx").status_code == 200
    assert client.get(f"{server.office}/don-vi/{unit}/{upload_id}/phan-hoi.xlsx").status_code == 200


def test_a_unit_link_refuses_a_return_that_names_another_unit(server, client, demo):
    sender, owner = demo.clean_on_time()[1], demo.clean_on_time()[2]
    r = server.upload(client, sender, demo.data(owner))
    text = text_of(r.text)
    owner_name = next(u.name for u in checking.units() if u.code == owner)
    assert "Bị từ chối" in text and owner_name in text
    assert server.received(sender) == [] and server.received(owner) == []
    refused = list((server.settings.state / "refused" / sender).iterdir())
    assert [p.read_bytes() for p in refused] == [demo.data(owner)]
    board = client.get(server.office).text
    assert re.search(rf'data-unit="{sender}" data-status="rejected"', board)
    assert re.search(rf'data-unit="{owner}" data-status="missing"', board)


def _raw_post(client, url: str, body: bytes, ctype: str, **headers) -> httpx.Response:
    return client.post(url, content=body, headers={"content-type": ctype, **headers})


def test_oversized_upload_is_refused_and_nothing_is_stored(server, client, demo):
    unit = demo.clean_on_time()[3]
    limit = checking.max_upload_bytes()
    big = demo.data(unit) + b"\0" * (limit + 1 - len(demo.data(unit)))
    link = server.links[unit]
    form = server.form_token(client, link)
    r = server.upload(client, unit, big, form=form)
    assert r.status_code == 413
    assert f"giới hạn {limit // 1_000_000} MB" in text_of(r.text)
    # without a Content-Length (chunked), the server stops reading past the limit
    body, ctype = multipart([(b"form", form.encode())], b"file", b"big.xlsx", big)
    chunks = (body[i:i + (1 << 20)] for i in range(0, len(body), 1 << 20))
    try:
        r2 = client.post(f"{link}/nop", content=chunks, headers={"content-type": ctype})
        assert r2.status_code == 413
    except httpx.TransportError:
        pass  # the server may close the connection before the client has sent everything
    assert server.received(unit) == [] and server.records(unit) == []
    assert not (server.settings.state / "refused" / unit).exists()


def _bomb(member: str, size: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr(member, b"\0" * size)
    return buf.getvalue()


@pytest.fixture(scope="module")
def recording_server(tmp_path_factory):
    srv = start_server(tmp_path_factory.mktemp("web-rec"), check_function="tests.web.helpers:recording_check",
                       upload_burst=1000, uploads_per_minute=1000)
    yield srv
    srv.stop()


def test_bombs_and_non_workbooks_are_refused_before_anything_parses_them(recording_server, client, demo):
    srv, unit = recording_server, demo.clean_on_time()[0]
    cases = {
        "bomb.xlsx": _bomb("xl/worksheets/sheet1.xml", 60_000_000),        # compression ratio far past the limit
        "bomb.zip": _bomb("bao_cao.xlsx", 60_000_000),
        "trang.xls": b"<html><body><table><tr><td>1</td></tr></table></body></html>",
        "chuong_trinh.exe": b"MZ\x90\x00" + b"\0" * 200,
        "van_ban.docx": b"PK\x03\x04 not really a document",
        "rong.xlsx": b"",
    }
    for name, data in cases.items():
        r = srv.upload(client, unit, data, name=name)
        assert r.status_code == 200 and "Bị từ chối" in text_of(r.text), name
        assert re.search(r'id="reason">Lý do: \S', r.text), name
        assert not mark("checked", data).exists(), f"{name} reached the workbook reader"
    assert "nghi là tệp độc hại" in text_of(srv.upload(client, unit, cases["bomb.xlsx"]).text)
    assert srv.received(unit) == []
    # a real return does reach the checker (the mark works)
    good = demo.data(unit)
    mark("checked", good).unlink(missing_ok=True)
    srv.upload(client, unit, good)
    assert mark("checked", good).exists()
    assert len(srv.received(unit)) == 1


HOSTILE_NAMES = [
    b"../../x.xlsx",
    b"..\\..\\..\\x.xlsx",
    b"/etc/cron.d/x.xlsx",
    ("Báo cáo sơ kết " * 20).encode() + b".xlsx",     # 300 characters: longer than any file system allows
    b"A" * 5000 + b".xlsx",                              # refused as an unreadable form, or shown cut
    "tên\x00có\x01ký\x1btự\x07điều\x7fkhiển.xlsx".encode(),
    b"<script>alert(1)</script>.xlsx",
    b"x\r\nContent-Type: text/html\r\n\r\n.xlsx",
    b"",
]


def test_hostile_file_names_never_reach_a_path(server, client, demo):
    unit = demo.clean_on_time()[4]
    root = server.settings.inputs.parent
    before = set(files_under(root))
    sent = [distinct(demo.data(unit), f"ten {i}") for i in range(len(HOSTILE_NAMES))]
    for name, data in zip(HOSTILE_NAMES, sent):
        form = server.form_token(client, server.links[unit])
        body, ctype = multipart([(b"form", form.encode())], b"file", name, data)
        r = _raw_post(client, f"{server.links[unit]}/nop", body, ctype)
        assert r.status_code in (200, 400), name
        html = r.text
        assert "<script>alert" not in html
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", html), name
    new = set(files_under(root)) - before
    for rel in new:
        if rel.parts[:2] == ("state", "template"):
            continue
        assert rel.parts[:3] == ("inputs", "received", unit) or rel.parts[:3] in (
            ("state", "uploads", unit), ("state", "feedback", unit), ("state", "refused", unit)), rel
        assert ID_NAME.fullmatch(rel.name), rel
    stored = server.received(unit)
    assert stored and all(p.read_bytes() in sent for p in stored)
    assert not any(p.name == "x.xlsx" for p in root.parent.rglob("x.xlsx"))
    page = text_of(client.get(server.links[unit]).text)
    assert "x.xlsx" in page                                # "../../x.xlsx" shown by its base name only
    assert ("Báo cáo sơ kết " * 7) in page and ("Báo cáo sơ kết " * 9) not in page   # a long name is cut
    assert "A" * 121 not in page


def test_forged_form_posts_are_refused(server, client, demo):
    unit, other = demo.clean_on_time()[5], demo.clean_on_time()[6]
    link, data = server.links[unit], demo.data(unit)
    good = server.form_token(client, link)
    foreign = server.form_token(client, server.links[other])
    forged = FormGuard(b"another key" * 4, 3600).issue(hashlib.sha256(token_of(link).encode()).hexdigest(), "upload")
    tampered = good[:-2] + ("BB" if good.endswith("AA") else "AA")   # a token that happens to end in "AA" too
    for form in ("", "x", tampered, foreign, forged):
        body, ctype = multipart([(b"form", form.encode())], b"file", b"a.xlsx", data)
        r = _raw_post(client, f"{link}/nop", body, ctype)
        assert r.status_code == 403, form
        assert "Biểu mẫu đã hết hạn" in text_of(r.text)
    body, ctype = multipart([], b"file", b"a.xlsx", data)    # no form token at all
    assert _raw_post(client, f"{link}/nop", body, ctype).status_code == 403
    r = server.upload(client, unit, data, form=good, headers={"sec-fetch-site": "cross-site"})
    assert r.status_code == 403
    assert server.received(unit) == [] and server.records(unit) == []
    # the office's report run: no token, a unit's token, a token for another purpose
    for form in ("", good, FORM_RE.search(client.get(server.office).text).group(1)[:-3] + "xyz"):
        r = client.post(f"{server.office}/tong-hop", data={"form": form})
        assert r.status_code == 403, form
    assert server.web.runner.last() is None
    # with the page's own token, the same upload goes through
    assert server.upload(client, unit, data, form=good).status_code == 200
    assert len(server.received(unit)) == 1


def test_security_headers_on_pages_errors_and_downloads(server, client, demo):
    unit = demo.clean_on_time()[0]
    link = server.links[unit]
    for url in (link, f"{link}/mau.xlsx", f"{link}/static/app.js", server.office, server.url + "/nothing"):
        h = client.get(url).headers
        assert "frame-ancestors 'none'" in h["content-security-policy"], url
        assert "unsafe-inline" not in h["content-security-policy"]
        assert h["x-content-type-options"] == "nosniff"
        assert h["x-frame-options"] == "DENY"
        assert h["referrer-policy"] == "no-referrer"
        assert "no-store" in h["cache-control"]
    assert "<script>" not in client.get(link).text      # no inline script: the CSP allows none


def test_uploads_are_rate_limited_per_link_not_per_address(tmp_path, client, demo):
    """Thirty units behind one office address (NAT) send on deadline day: one link's allowance is its own."""
    srv = start_server(tmp_path, upload_burst=2, uploads_per_minute=1)
    try:
        unit, other = demo.clean_on_time()[0], demo.clean_on_time()[1]
        sent = [distinct(demo.data(unit), f"lan {i}") for i in range(3)]
        as_a = {"x-forwarded-for": "10.0.0.1"}      # the server trusts the proxy on 127.0.0.1
        assert srv.upload(client, unit, sent[0], headers=as_a).status_code == 200
        assert srv.upload(client, unit, sent[1], headers={"x-forwarded-for": "10.0.0.2"}).status_code == 200
        r = srv.upload(client, unit, sent[2], headers={"x-forwarded-for": "10.0.0.3"})   # a new address: same link
        assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
        assert "quá nhiều lần" in text_of(r.text)
        assert len(srv.received(unit)) == 2
        # another unit's link from the same address is not held back
        for i in range(2):
            data = distinct(demo.data(other), f"lan {i}")
            assert srv.upload(client, other, data, headers=as_a).status_code == 200
        assert len(srv.received(other)) == 2
    finally:
        srv.stop()


def test_a_zip_with_the_unit_s_workbook_is_read_and_one_naming_another_unit_is_refused(server, client, demo):
    unit, other = demo.clean_on_time()[11], demo.clean_on_time()[12]

    def zipped(*units: str) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for u in units:
                zf.writestr(demo.files[u].name, demo.data(u))
        return buf.getvalue()

    archive = zipped(unit)
    ok = server.upload(client, unit, archive, name="gui_kem.zip")
    assert "Báo cáo đã được tiếp nhận" in text_of(ok.text)
    [stored] = server.received(unit)
    assert stored.suffix == ".zip" and stored.read_bytes() == archive
    mixed = server.upload(client, unit, zipped(unit, other), name="hai_don_vi.zip")
    other_name = next(u.name for u in checking.units() if u.code == other)
    assert "Bị từ chối" in text_of(mixed.text) and other_name in text_of(mixed.text)
    assert server.received(unit) == [stored]


@pytest.mark.office
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed here; CI installs it")
def test_xls_and_ods_returns_are_checked_and_get_a_feedback_workbook(server, client, demo, tmp_path):
    unit = list(demo.planted)[2]
    for fmt in ("xls", "ods"):
        subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profile",
                        "--convert-to", fmt, "--outdir", str(tmp_path), str(demo.files[unit])],
                       check=True, capture_output=True, timeout=180)
        data = (tmp_path / demo.files[unit].with_suffix(f".{fmt}").name).read_bytes()
        r = server.upload(client, unit, data, name=f"bao_cao.{fmt}")
        assert "Đọc được nhưng còn lỗi" in text_of(r.text), fmt
        rows = re.findall(r'data-sheet="([^"]*)" data-cell="([^"]*)"', r.text)
        for p in demo.planted[unit]:
            assert (p["sheet"], p["cell"]) in rows, (fmt, p)
        link = re.search(r'id="feedback-link" href="([^"]+)"', r.text).group(1)
        wb = load_workbook(io.BytesIO(client.get(server.url + link).content))
        for p in demo.planted[unit]:
            assert wb[p["sheet"]][p["cell"]].comment is not None, (fmt, p)
    assert sorted(p.suffix for p in server.received(unit)) == [".ods", ".xls"]


def test_the_office_s_decisions_refuse_what_they_cannot_act_on(server, client, demo):
    """The office decides on one upload at a time: a refused upload cannot be chosen, an unknown action or a form
    from elsewhere is refused, an unknown unit or upload is not found, and a decision can be undone."""
    unit, other = demo.clean_on_time()[14], demo.clean_on_time()[13]
    refused = server.upload(client, unit, demo.data(other))               # names another unit: refused
    refused_id = refused.url.path.rsplit("/", 1)[-1]
    kept = server.upload(client, unit, demo.data(unit))
    kept_id = kept.url.path.rsplit("/", 1)[-1]
    page = f"{server.office}/don-vi/{unit}/{kept_id}"
    form = FORM_RE.search(client.get(page).text).group(1)

    def decide(upload_id: str, **data) -> httpx.Response:
        return client.post(f"{server.office}/don-vi/{unit}/{upload_id}/quyet-dinh", data={"form": form, **data})

    r = decide(refused_id, action="use")
    assert r.status_code == 409 and "Chỉ chọn dùng được một báo cáo đã được tiếp nhận" in text_of(r.text)
    r = decide(kept_id, action="xoa_het")
    assert r.status_code == 400 and "Không đọc được nội dung gửi lên" in text_of(r.text)
    r = client.post(f"{page}/quyet-dinh", data={"form": "gia-mao", "action": "use"})
    assert r.status_code == 403 and "Biểu mẫu đã hết hạn" in text_of(r.text)
    r = client.post(f"{page}/quyet-dinh", data={"form": form, "action": "use"}, headers={"sec-fetch-site": "cross-site"})
    assert r.status_code == 403
    assert client.get(f"{server.office}/don-vi/khong_co/{kept_id}").status_code == 404
    assert decide("20230612T030000Z_00000000", action="use").status_code == 404
    assert decide(kept_id, action="use").status_code == 200                  # chosen...
    r = decide(kept_id, action="clear")                                       # ...and the choice undone
    assert r.status_code == 200
    log = [json.loads(line) for line in server.settings.actions_log.read_text("utf-8").splitlines()]
    assert [(e["upload"], e["action"]) for e in log if e["unit"] == unit] == [(kept_id, "use"), (kept_id, "clear")]
