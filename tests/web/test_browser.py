"""The pages in a real browser: Playwright driving the system Chromium (issue 12, "Done when")."""
from __future__ import annotations

import io
import os
import shutil

import pytest
from openpyxl import load_workbook

from tests.web.conftest import start_server

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
WAIT_MS = 180_000

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed here (.ci/run installs it)")


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    # a small upload limit keeps the over-limit file quick to hand to the browser
    srv = start_server(tmp_path_factory.mktemp("web-browser"), board_refresh=1, max_upload_bytes=2_000_000)
    yield srv
    srv.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(accept_downloads=True, locale="vi-VN")
    pg = context.new_page()
    pg.set_default_timeout(WAIT_MS)
    yield pg
    context.close()


def test_clerk_uploads_a_return_with_mistakes_and_sees_them_at_their_cells(site, page, demo):
    unit = next(iter(demo.planted))
    page.goto(site.links[unit])
    assert page.locator("#unit-status").inner_text().startswith("Chưa gửi")
    page.set_input_files("#file", str(demo.files[unit]))
    page.click("#send")
    page.wait_for_selector("#verdict")
    assert "Đọc được nhưng còn lỗi" in page.locator("#verdict").inner_text()
    for p in demo.planted[unit]:
        row = page.locator(f'#issues tr[data-sheet="{p["sheet"]}"][data-cell="{p["cell"]}"]')
        assert row.count() >= 1, p
        text = row.first.inner_text()
        assert p["cell"] in text and p["sheet"] in text
        if p["value"]:
            assert p["value"] in row.first.locator(".value").inner_text()

    # the highlighted feedback workbook
    with page.expect_download() as download:
        page.click("#feedback-link")
    path = download.value.path()
    assert download.value.suggested_filename.endswith(".xlsx")
    wb = load_workbook(io.BytesIO(open(path, "rb").read()))
    listing = wb.worksheets[0]
    listed = {(row[0], row[1]) for row in listing.iter_rows(min_row=4, values_only=True)}
    for p in demo.planted[unit]:
        assert (p["sheet"], p["cell"]) in listed, p
        cell = wb[p["sheet"]][p["cell"]]
        assert cell.comment is not None and cell.fill.fgColor.rgb not in (None, "00000000"), p


def test_office_board_moves_a_unit_from_missing_to_on_time(site, browser, page, demo):
    unit = demo.clean_on_time()[0]
    page.goto(site.office)
    row = page.locator(f'#board tr[data-unit="{unit}"]')
    assert "Chưa gửi" in row.inner_text()
    clerk = browser.new_context().new_page()
    clerk.set_default_timeout(WAIT_MS)
    clerk.goto(site.links[unit])
    clerk.set_input_files("#file", str(demo.files[unit]))
    clerk.click("#send")
    clerk.wait_for_selector("#verdict")
    assert "Báo cáo đã được tiếp nhận" in clerk.locator("#verdict").inner_text()
    clerk.context.close()
    # the open board refreshes by itself, without reloading the page or restarting the server
    page.wait_for_selector(f'#board tr[data-unit="{unit}"][data-status="on_time"]')
    assert "Đúng hạn" in page.locator(f'#board tr[data-unit="{unit}"]').inner_text()


def test_a_file_over_the_limit_is_stopped_in_the_browser(site, page, demo):
    unit = demo.clean_on_time()[1]
    page.goto(site.links[unit])
    too_big = site.settings.max_upload_bytes + 1
    page.set_input_files("#file", {"name": "qua_lon.xlsx", "mimeType": "application/octet-stream",
                                   "buffer": b"\0" * too_big})
    page.click("#send")
    assert page.locator("#size-error").is_visible()
    assert "2 MB" in page.locator("#size-error").inner_text()
    assert site.received(unit) == [] and site.records(unit) == []


@pytest.mark.browser
def test_a_clerk_attaches_a_hồ_sơ_and_the_board_column_changes(site, browser, page, demo):
    unit = demo.clean_on_time()[2]
    page.goto(site.office)
    cell = page.locator(f'#board tr[data-unit="{unit}"] td.dossier')
    assert cell.get_attribute("data-dossier-files") == "0"
    clerk = browser.new_context().new_page()
    clerk.set_default_timeout(WAIT_MS)
    clerk.goto(site.links[unit])
    clerk.set_input_files("#ho-so-file", {"name": "To trinh khen thuong.pdf", "mimeType": "application/pdf",
                                          "buffer": b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"})
    clerk.click("#send")
    clerk.wait_for_selector("#dossier-sent")
    assert "To trinh khen thuong.pdf" in clerk.locator("#dossiers").inner_text()
    clerk.context.close()
    # the open board refreshes by itself: one file, received after the deadline (the demo's is in 2023)
    page.wait_for_selector(f'#board tr[data-unit="{unit}"] td.dossier[data-dossier-files="1"]')
    assert "Đã gửi hồ sơ, trễ hạn" in cell.inner_text()
    assert len(list((site.settings.inputs / "received" / unit / "ho_so").iterdir())) == 1
