"""The office board says of every unit what `make report` says in submissions.csv (issue 24, item 5).

Returns are sent through each unit's own link, as clerks send them; then `make report` runs on the very
inputs folder the server stored them in, and the board is read as a person reads it: each unit's row, its
name and its Vietnamese status. The cases are the ones where a board with rules of its own went wrong: a
late return, a blank report date, refused uploads, a unit that sent twice, a correction sent after the
deadline by a unit that had sent on time, a report date typed wrong then fixed, a draft sent in a .zip, and
the units that sent nothing.
"""
from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import httpx
import pytest
from openpyxl import load_workbook

from pipeline.web import checking
from schemas import sheet_spec
from schemas.codes import SubmissionStatus
from pipeline.web.storage import Storage
from tests.web.conftest import make_settings, start_server

ROOT = Path(__file__).resolve().parents[2]
# config/plan.toml: a report dated before 15/6/2023 is on time
ON_TIME, EARLIER, LATE = dt.date(2023, 6, 12), dt.date(2023, 6, 5), dt.date(2023, 6, 20)
ROW = re.compile(r'<tr data-unit="([^"]+)" data-status="([^"]+)">(.*?)</tr>', re.S)
CELL = re.compile(r"<td[^>]*>(.*?)</td>", re.S)
USED_ROW = re.compile(r"<tr>((?:(?!</tr>).)*?đang được dùng để tổng hợp.*?)</tr>", re.S)
UPLOAD_LINK = re.compile(r'href="[^"]*/nop/([^"/]+)"')


def text_of(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def variant(data: bytes, report_date, reporter: str | None = None) -> bytes:
    """The same return with another report date (None: left blank) and, to make it another return, another
    reporter."""
    info = sheet_spec("unit_info")
    wb = load_workbook(io.BytesIO(data))
    sheet = wb[info.sheet]
    sheet[info.cell(0, "report_date")] = report_date
    if reporter is not None:
        sheet[info.cell(0, "reporter_name")] = reporter
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def zipped(name: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(name, data)
    return buf.getvalue()


@dataclass
class Sent:
    """What was sent, what the board shows, and what `make report` wrote."""

    units: dict[str, str]                       # case -> unit code
    refused_only: set[str]                      # units every upload of which was refused
    board: dict[str, tuple[str, str, str]]      # unit -> (status code, name, status label) as the board shows
    used: dict[str, str]                        # unit -> id of the upload the unit's page says is used
    submissions: dict[str, dict]                # unit -> row of submissions.csv
    files: list[dict]                           # files.csv


@pytest.fixture(scope="module")
def sent(tmp_path_factory, demo) -> Sent:
    srv = start_server(tmp_path_factory.mktemp("web-truth"), upload_burst=1000, uploads_per_minute=1000)
    clean = demo.clean_on_time()
    cases = {
        "late": sorted(demo.late)[0],
        "with_errors": sorted(demo.planted)[0],
        "blank_date": clean[0],
        "refused_other_unit": clean[1],
        "not_a_workbook": clean[2],
        "refused_then_sent": clean[3],
        "twice": clean[4],
        "correction_after_deadline": clean[5],
        "date_fixed": clean[6],
        "draft_in_zip": clean[7],
    }
    owner = clean[8]          # the unit whose return clean[1] sent by mistake: it sent nothing itself

    def own(case: str, report_date, reporter: str | None = None) -> bytes:
        return variant(demo.data(cases[case]), report_date, reporter)

    try:
        with httpx.Client(timeout=300, follow_redirects=True) as client:
            def send(case: str, data: bytes, name: str = "bao_cao.xlsx") -> str:
                r = srv.upload(client, cases[case], data, name=name)
                assert r.status_code == 200 and 'id="verdict"' in r.text, (case, r.text[:300])
                return text_of(r.text)

            refused = checking.verdict_label("rejected")
            send("late", demo.data(cases["late"]))
            send("with_errors", demo.data(cases["with_errors"]))
            send("blank_date", own("blank_date", None))
            assert refused in send("refused_other_unit", demo.data(owner))
            assert refused in send("not_a_workbook", b"PK\x03\x04 not a return", name="Bao cao.docx")
            assert refused in send("refused_then_sent", demo.data(owner))
            send("refused_then_sent", own("refused_then_sent", ON_TIME))
            send("twice", own("twice", ON_TIME))
            send("twice", own("twice", ON_TIME, reporter="Nguyễn Thị Hoa"))            # the same date: the later
            send("correction_after_deadline", own("correction_after_deadline", ON_TIME))
            send("correction_after_deadline", own("correction_after_deadline", LATE, reporter="Trần Văn Bình"))
            send("date_fixed", own("date_fixed", LATE))                                  # a typo: 20/6 for 5/6
            send("date_fixed", own("date_fixed", EARLIER))
            send("draft_in_zip", own("draft_in_zip", EARLIER))
            send("draft_in_zip", zipped("Bao_cao_du_thao.xlsx", own("draft_in_zip", ON_TIME)),
                 name="gui_lai.zip")                    # a later report date, but a draft: never the return used

            board_page = client.get(srv.office).text
            board = {}
            for unit, status, body in ROW.findall(board_page):
                cells = [text_of(td) for td in CELL.findall(body)]
                board[unit] = (status, cells[0], cells[2])
            used = {}
            for unit in checking.units():
                page = client.get(srv.links[unit.code]).text
                rows = USED_ROW.findall(page)
                assert len(rows) <= 1, unit.code
                if rows:
                    used[unit.code] = UPLOAD_LINK.search(rows[0]).group(1)
        out = tmp_path_factory.mktemp("web-truth-out")
        run = subprocess.run([sys.executable, "-m", "pipeline", "--inputs", str(srv.settings.inputs),
                              "--outputs", str(out), "report"], cwd=ROOT, capture_output=True, text=True,
                             timeout=1200)
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    finally:
        srv.stop()

    def read(name: str) -> list[dict]:
        with (out / name).open(encoding="utf-8-sig", newline="") as fh:
            return list(csv.DictReader(fh))

    refused_only = {cases["refused_other_unit"], cases["not_a_workbook"]}
    return Sent(cases, refused_only, board, used, {r["unit_code"]: r for r in read("submissions.csv")},
                read("files.csv"))


def test_the_board_says_of_every_unit_what_submissions_csv_says(sent):
    units = checking.units()
    assert list(sent.board) == [u.code for u in units]                    # every registry unit, in order
    assert set(sent.submissions) == set(sent.board)
    for code in sent.board:
        status, name, label = sent.board[code]
        row = sent.submissions[code]
        assert name == row["unit_name"], code
        if code in sent.refused_only:
            continue                                                       # see the next test
        assert (status, label) == (row["status"], row["status_label"]), (code, sent.board[code], row)
    # the cases meant what they say, so that the comparison above covered each of them
    by_case = {case: sent.submissions[unit]["status"] for case, unit in sent.units.items()}
    assert by_case.pop("with_errors") in {"on_time", "late", "date_unknown"}
    assert by_case == {
        "late": "late", "blank_date": "date_unknown", "refused_other_unit": "missing", "not_a_workbook": "missing",
        "refused_then_sent": "on_time", "twice": "on_time", "correction_after_deadline": "on_time",
        "date_fixed": "on_time", "draft_in_zip": "on_time"}
    missing = {code for code, (status, _, _) in sent.board.items() if status == "missing"}
    assert missing == {u.code for u in units} - set(sent.units.values())   # the other unit's file counted for none


def test_a_unit_whose_every_upload_was_refused_is_rejected_on_the_board_and_missing_in_the_run(sent):
    """Refused uploads are kept in state/refused/ and never reach inputs/: the run cannot see that the unit
    tried. The board, which can, says what the run says of a unit whose only file was rejected."""
    for code in sent.refused_only:
        assert sent.board[code][0::2] == (SubmissionStatus.REJECTED.value, SubmissionStatus.REJECTED.label)
        row = sent.submissions[code]
        assert (row["status"], row["status_label"]) == (SubmissionStatus.MISSING.value,
                                                        SubmissionStatus.MISSING.label)


def test_the_board_uses_the_upload_make_report_uses(sent):
    used_by_run = {r["unit_code"]: r["file"] for r in sent.submissions.values() if r["file"]}
    assert set(sent.used) == set(used_by_run)
    for unit, file in used_by_run.items():
        parts = PurePosixPath(file).parts
        assert parts[:2] == ("received", unit) and parts[2].split(".")[0] == sent.used[unit], (unit, file)
    # the draft in the .zip was sent last with the latest report date, and is still not the return used
    draft = next(f for f in sent.files if f["file"].endswith("/Bao_cao_du_thao.xlsx"))
    assert draft["status"] == "superseded"


def _old_record(settings, unit: str, upload_id: str, verdict: str, stored: str, report_date: str | None) -> None:
    """An upload as the server recorded it before its verdicts were files.csv's codes (no `member` either)."""
    ext = ".bin" if stored == "refused" else ".xlsx"
    folder = (settings.refused if stored == "refused" else settings.received) / unit
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{upload_id}{ext}").write_bytes(b"stored bytes")
    record = {"id": upload_id, "unit_code": unit, "received_at": f"{upload_id[:4]}-06-10T01:02:03.000000Z",
              "original_name": "bao_cao.xlsx", "ext": ext, "size": 12, "sha256": "0" * 64, "verdict": verdict,
              "reason": "", "stored": stored, "stored_name": f"{upload_id}{ext}", "report_date": report_date,
              "errors": 0, "warnings": 0, "issues": [], "feedback": False, "recovered": False}
    (settings.records / unit).mkdir(parents=True, exist_ok=True)
    (settings.records / unit / f"{upload_id}.json").write_text(json.dumps(record), encoding="utf-8")


def test_a_record_written_with_the_old_verdict_code_still_reads(tmp_path):
    settings = make_settings(tmp_path)
    store = Storage(settings)
    unit = checking.units()[0]
    _old_record(settings, unit.code, "20230610T010203Z_0123abcd", "refused", "refused", None)
    [up] = store.uploads(unit.code)
    assert (up.verdict, up.is_refused, up.verdict_label) == ("rejected", True, "Bị từ chối")
    [row] = store.board([unit])
    assert (row.status, row.status_label) == ("rejected", "Không hợp lệ")
    _old_record(settings, unit.code, "20230611T010203Z_4567cdef", "accepted", "inputs", "2023-06-11")
    [row] = store.board([unit])
    assert (row.status, row.status_label, row.used.id) == ("on_time", "Đúng hạn", "20230611T010203Z_4567cdef")
    assert row.used.verdict_label == "Hợp lệ"
