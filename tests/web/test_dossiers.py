"""A unit attaches its hồ sơ through its link; the board's hồ sơ column says what `make report` says (issue 29).

Hostile names, a zip called .pdf, too many files and a file too large are refused with a Vietnamese reason and
leave nothing stored (not even the return sent with them); a good PDF lands in inputs/received/<unit>/ho_so/
under the server's own name, and the board's column and submissions.csv agree on every unit.
"""
from __future__ import annotations

import csv
import html
import io
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import httpx
import pytest

from tests.web.conftest import multipart, start_server

WEB_NAME = re.compile(r"\d{8}T\d{6}Z_[0-9a-f]{8}\.pdf")
CELL = re.compile(r'<tr data-unit="([^"]+)"[^>]*>.*?<td class="dossier[^"]*" data-dossier-status="([^"]*)" '
                  r'data-dossier-files="(\d+)">(.*?)</td>', re.S)
MAX_FILE, MAX_FILES = 1_000_000, 5


def pdf(tag: str) -> bytes:
    return b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n% " + tag.encode() + b"\n%%EOF\n"


def zipped() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("ho_so.pdf", pdf("inside"))
    return buf.getvalue()


def text_of(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    srv = start_server(tmp_path_factory.mktemp("web-dossiers"), upload_burst=1000, uploads_per_minute=1000,
                       dossier_max_file_bytes=MAX_FILE, dossier_max_files=MAX_FILES)
    yield srv
    srv.stop()


def send(srv, client, unit: str, files: list[tuple[str, bytes]], report: bytes | None = None) -> httpx.Response:
    link = srv.links[unit]
    parts = [("ho_so", (name, data, "application/pdf")) for name, data in files]
    if report is not None:
        parts.append(("file", ("bao_cao.xlsx", report, "application/octet-stream")))
    return client.post(f"{link}/nop", data={"form": srv.form_token(client, link)}, files=parts)


def stored(srv, unit: str) -> list[Path]:
    folder = srv.settings.inputs / "received" / unit / "ho_so"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def board(srv, client) -> dict[str, tuple[str, int, str]]:
    """unit -> (hồ sơ status, files counted, the cell's text) as the office board shows them."""
    page = client.get(f"{srv.office}/bang").text
    return {u: (status, int(n), text_of(cell)) for u, status, n, cell in CELL.findall(page)}


def test_hostile_names_are_never_paths_nor_markup(site, client, demo):
    unit = demo.clean_on_time()[0]
    names = [b"../../x.pdf", b"..\\..\\..\\y.pdf", b"<script>alert(1)</script>.pdf", b"/etc/passwd.pdf",
             b"<img src=x onerror=alert(1)>.pdf"]
    link = site.links[unit]
    for i, name in enumerate(names):
        body, ctype = multipart([(b"form", site.form_token(client, link).encode())], b"ho_so", name, pdf(str(i)))
        r = client.post(f"{link}/nop", content=body, headers={"content-type": ctype})
        assert r.status_code == 200, text_of(r.text)[:300]
        assert "<script>alert" not in r.text and "<img src=x" not in r.text
    assert "&lt;img src=x onerror=alert(1)&gt;.pdf" in r.text     # shown as text, never as markup
    files = stored(site, unit)
    assert len(files) == len(names) and all(WEB_NAME.fullmatch(p.name) for p in files)
    root = site.settings.inputs.parent
    assert not [p for p in root.rglob("*") if p.name in ("x.pdf", "y.pdf", "passwd.pdf")]
    assert "x.pdf" in text_of(r.text) and "Đã nhận 1 tệp hồ sơ" in text_of(r.text)


@pytest.mark.parametrize("name, data, found", [
    ("ho_so.pdf", zipped(), "là tệp nén"),                      # a zip renamed: its bytes say so
    ("to_trinh.docx", zipped(), "là tệp nén"),                  # a zip is no Word file for its name
    ("ho_so.pdf", b"MZ\x90\x00" + b"\0" * 200, "là chương trình chạy được"),
    ("ho_so.pdf", b"<html><body>x</body></html>", "là trang HTML"),
])
def test_a_file_that_is_not_a_hồ_sơ_by_its_bytes_is_refused_and_nothing_is_stored(site, client, demo, name, data,
                                                                                  found):
    unit = demo.clean_on_time()[1]
    r = send(site, client, unit, [("tot.pdf", pdf("good")), (name, data)], report=demo.data(unit))
    assert r.status_code == 415
    said = text_of(r.text)
    assert "Không tệp nào trong lần gửi này được lưu" in said and f"“{name}”" in said and found in said
    assert "không phải một trong các loại tệp hồ sơ được nhận (PDF," in said
    assert stored(site, unit) == [] and site.received(unit) == [] and site.records(unit) == []


def test_fifty_attachments_are_refused_whole(site, client, demo):
    unit = demo.clean_on_time()[2]
    r = send(site, client, unit, [(f"trang_{i}.pdf", pdf(f"p{i}")) for i in range(50)])
    assert r.status_code == 413
    assert f"Mỗi đơn vị gửi được tối đa {MAX_FILES} tệp hồ sơ" in text_of(r.text)
    assert "không tệp nào trong lần gửi này được lưu" in text_of(r.text)
    # fewer than the form may hold, more than the unit may store: refused whole too
    r = send(site, client, unit, [(f"trang_{i}.pdf", pdf(f"q{i}")) for i in range(MAX_FILES + 1)])
    assert r.status_code == 413 and f"lần này gửi thêm {MAX_FILES + 1}" in text_of(r.text)
    assert stored(site, unit) == [] and not (site.settings.state / "ho_so" / unit).exists()


def test_an_oversize_file_is_refused_and_nothing_is_stored(site, client, demo):
    unit = demo.clean_on_time()[3]
    big = pdf("big") + b"\0" * MAX_FILE
    r = send(site, client, unit, [("nho.pdf", pdf("small")), ("scan_lon.pdf", big)])
    assert r.status_code == 413
    said = text_of(r.text)
    assert "“scan_lon.pdf”: tệp lớn hơn giới hạn 1 MB cho mỗi tệp hồ sơ" in said
    assert stored(site, unit) == []


@pytest.mark.slow
def test_the_board_and_submissions_csv_agree_on_every_hồ_sơ(site, client, demo, demo_intended, tmp_path):
    returns, _missing = demo_intended
    proposing = [r.unit.unit_code for r in returns if r.rows.get("proposals") and not r.planted and not r.is_late]
    quiet = [r.unit.unit_code for r in returns if not r.rows.get("proposals") and not r.planted and not r.is_late]
    taken = set(demo.clean_on_time()[:4])
    proposing, quiet = [u for u in proposing if u not in taken], [u for u in quiet if u not in taken]
    sent_both, proposed_only, pdf_only, copied = proposing[0], proposing[1], quiet[0], quiet[1]

    r = send(site, client, sent_both, [("Tờ trình khen thưởng.pdf", pdf("both"))], report=demo.data(sent_both))
    assert r.status_code == 200 and 'id="verdict"' in r.text and "Đã nhận 1 tệp hồ sơ" in text_of(r.text)
    [landed] = stored(site, sent_both)
    assert WEB_NAME.fullmatch(landed.name) and landed.read_bytes() == pdf("both")
    assert landed.parent == site.settings.inputs / "received" / sent_both / "ho_so"
    assert send(site, client, proposed_only, [], report=demo.data(proposed_only)).status_code == 200
    assert send(site, client, pdf_only, [("ho_so.pdf", pdf("alone"))]).status_code == 200
    # a hồ sơ the office copied in by hand, named as the web names them, before the deadline
    folder = site.settings.inputs / "received" / copied / "ho_so"
    folder.mkdir(parents=True)
    (folder / "20230610T020000Z_0123abcd.pdf").write_bytes(pdf("copied"))

    shown = board(site, client)
    assert shown[sent_both][:2] == ("late", 1) and "Đã gửi hồ sơ, trễ hạn" in shown[sent_both][2]
    assert shown[proposed_only][:2] == ("missing", 0) and "Có đề nghị, chưa gửi hồ sơ" in shown[proposed_only][2]
    assert shown[pdf_only][:2] == ("late", 1)
    assert shown[copied][:2] == ("on_time", 1) and "Đã gửi hồ sơ, đúng hạn" in shown[copied][2]
    page = text_of(client.get(site.links[sent_both]).text)
    assert "Tờ trình khen thưởng.pdf" in page and "Đã gửi hồ sơ, trễ hạn" in page

    outputs = tmp_path / "outputs"
    inputs = tmp_path / "inputs"
    shutil.copytree(site.settings.inputs, inputs)
    done = subprocess.run([sys.executable, "-m", "pipeline", "--inputs", str(inputs), "--outputs", str(outputs),
                           "report"], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    with (outputs / "submissions.csv").open(encoding="utf-8-sig") as fh:
        subs = {row["unit_code"]: row for row in csv.DictReader(fh)}
    assert int(subs[sent_both]["proposals"]) > 0 and subs[proposed_only]["dossier_status"] == "missing"
    shown = board(site, client)
    assert set(shown) == set(subs)
    for unit, (status, files, cell) in shown.items():
        row = subs[unit]
        assert (row["dossier_status"], int(row["dossier_files"])) == (status, files), unit
        assert row["dossier_status_label"] in cell and f"{row['proposals']} đề nghị" in cell, unit
