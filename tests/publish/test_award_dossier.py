"""The office's second deliverable (issue 29): the award dossier drafted from the same data, and who sent their hồ
sơ. Two runs of the whole pipeline on the demo returns: one with the office's decisions file left empty, one with it
filled by this test (accepting a proposal that fails criterion c, refusing one that meets them, choosing the Bằng
khen nominee, and with rows the reader cannot use). Every figure is checked against a count made here from the
demo returns (tests/factories.py), never from the pipeline's tables."""
from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from pipeline.publish import DOCX
from pipeline.publish.docx_dossier import ACHIEVEMENT_DOCX, DECISION_DOCX, SUBMISSION_DOCX
from pipeline.publish.docx_note import NOTE_DOCX
from pipeline.publish.wording import PLACEHOLDER
from pipeline.read.award_decisions import TEMPLATE_NAME
from pipeline.run import run_report
from schemas.dossier import DECISION_COLUMNS, DECISIONS_SHEET
from tests.conftest import SOFFICE
from tests.factories import returns_to_tables
from tests.publish.published import docx_content, norm

DECISIONS_FILE = "quyet_dinh_khen_thuong.xlsx"
HEADERS = {c.key: c.header for c in DECISION_COLUMNS}
KEYS = [c.key for c in DECISION_COLUMNS]
PLACEHOLDER_START = PLACEHOLDER.split("{")[0]          # "[Cần bổ sung: "
# The office's decisions in the filled run: unit -> (decision as typed, reason, Bằng khen mark).
NOMINEE_UNIT = "pho_thanh"                       # collective, meets every criterion
DECIDED = {
    "pho_thanh": ("Đồng ý khen thưởng", "", "x"),
    "pho_phong": ("Đồng ý khen thưởng", "", ""),
    "pho_cuong": ("x", "", ""),                   # an individual
    "kinh_te": ("Đồng ý khen thưởng", "Mô hình đã trình UBND thị xã công nhận", ""),   # fails criterion c
    "pho_ninh": ("Không đồng ý", "", ""),         # meets the criteria the returns can check
    "tai_chinh_ke_hoach": ("có lẽ", "", ""),      # no decision: left undecided, said at its cell
}
ACCEPTED = ("pho_thanh", "pho_phong", "pho_cuong", "kinh_te")
CONTRADICTING = "kinh_te"
WEB_DOSSIER = "received/pho_thanh/ho_so/20230612T030000Z_89abcdef.pdf"     # 10:00 on 12/6 local: on time
HAND_DOSSIER = "ho_so/kinh_te/To trinh de nghi khen thuong.pdf"           # file time 20/6/2023: late
NO_DOSSIER = "pho_phong"                                                    # proposes, sends nothing


def _proposals(returns) -> dict[str, dict]:
    """unit -> its first proposal as the return holds it (the demo's units propose at most one that counts)."""
    return {r.unit.unit_code: r.rows["proposals"][0] for r in returns if r.rows.get("proposals")}


def _decisions_workbook(path: Path, proposals: dict[str, dict], filled: bool, decided: dict = DECIDED) -> None:
    """The decisions file as an office fills it: one row per proposal (code and nominee), the decisions of
    `decided` when `filled`, and three rows the reader cannot use."""
    wb = Workbook()
    ws = wb.active
    ws.title = DECISIONS_SHEET
    ws.append(["QUYẾT ĐỊNH CỦA CƠ QUAN TỔ CHỨC – NỘI VỤ VỀ CÁC ĐỀ NGHỊ KHEN THƯỞNG"])
    ws.append([])
    ws.append([HEADERS[k] for k in KEYS])
    for i, (unit, p) in enumerate(proposals.items(), start=1):
        row = {"stt": i, "unit_code": unit, "nominee": p["nominee_name"]}
        if filled and unit in decided:
            row["decision"], row["reason"], row["bang_khen"] = decided[unit]
        ws.append([row.get(k) for k in KEYS])
    if filled:
        ws.append([None, None, "UBND xã Không Có Thật", None, "Ai đó", None, None, None, None, None,
                   "Đồng ý khen thưởng"])
        ws.append([None, "tu_phap", None, None, "Nguyễn Văn Không Đề Nghị", None, None, None, None, None, "x"])
    wb.save(path)


def _run(demo_dir: Path, demo_run: Path, tmp: Path, demo_intended, filled: bool, decided: dict = DECIDED) -> Path:
    inputs, out = tmp / "inputs", tmp / "outputs"
    shutil.copytree(demo_dir / "returns", inputs)
    shutil.copytree(demo_run / ".cache", out / ".cache")   # the same returns: each chunk as the demo run checked it
    _decisions_workbook(inputs / DECISIONS_FILE, _proposals(demo_intended[0]), filled, decided)
    for rel, when in ((WEB_DOSSIER, None), (HAND_DOSSIER, dt.datetime(2023, 6, 20, 8, 0))):
        path = inputs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-1.4\n% scanned\n")
        if when:
            os.utime(path, (when.timestamp(), when.timestamp()))
    (inputs / "ho_so" / "tu_phap").mkdir(parents=True)
    (inputs / "ho_so" / "tu_phap" / "ho so.pdf").write_bytes(b"MZ\x90\x00 a program, not a pdf")   # not counted
    assert run_report(inputs, out) == 0
    return out


@pytest.fixture(scope="module")
def decided(demo_dir, demo_run, demo_intended, tmp_path_factory) -> Path:
    return _run(demo_dir, demo_run, tmp_path_factory.mktemp("decided"), demo_intended, filled=True)


@pytest.fixture(scope="module")
def undecided(demo_dir, demo_run, demo_intended, tmp_path_factory) -> Path:
    return _run(demo_dir, demo_run, tmp_path_factory.mktemp("undecided"), demo_intended, filled=False)


@pytest.fixture(scope="module")
def intended(demo_intended):
    """The demo returns as the validate stage would hand them on (rows with a planted error left out)."""
    returns = demo_intended[0]
    return returns_to_tables(returns), _proposals(returns)


def _text(path: Path) -> str:
    paragraphs, tables = docx_content(path)
    return norm(" ".join(paragraphs + [c for t in tables for row in [t.header, *t.rows] for c in row]))


def _table(path: Path, caption: str):
    hits = [t for t in docx_content(path)[1] if norm(caption) in norm(t.caption)]
    assert len(hits) == 1, (caption, [t.caption for t in docx_content(path)[1]])
    return hits[0]


# -- the decisions file empty: nothing decided, nobody named ----------------------------------------------------

@pytest.fixture(params=["no_file", pytest.param("empty_file", marks=pytest.mark.slow)])
def undecided_run(request, demo_run) -> Path:
    """Nothing decided: no decisions file (the demo run), or the file the run writes put back unfilled (a whole run
    of its own: make test-all)."""
    return demo_run if request.param == "no_file" else request.getfixturevalue("undecided")


def test_with_nothing_decided_no_document_names_a_nominee(undecided_run, intended):
    undecided = undecided_run
    names = [p["nominee_name"] for p in intended[1].values()]
    assert (undecided / DECISION_DOCX).exists() and (undecided / SUBMISSION_DOCX).exists()
    assert not (undecided / ACHIEVEMENT_DOCX).exists()          # no nominee, no báo cáo thành tích
    for doc in (DECISION_DOCX, SUBMISSION_DOCX):
        text = _text(undecided / doc)
        assert not [n for n in names if norm(n) in text], doc
        assert norm(PLACEHOLDER_START) in text, doc
    paragraphs = docx_content(undecided / DOCX)[0]           # the outward report keeps its placeholder
    after = paragraphs[next(i for i, p in enumerate(paragraphs) if "tặng Bằng khen cho:" in p) + 1]
    assert after.startswith(PLACEHOLDER_START)
    decisions = pd.read_parquet(undecided / "data" / "award_decisions.parquet")
    assert set(decisions["decision"]) == {"undecided"} and not decisions["is_nominee"].any()


# -- the decisions file filled -------------------------------------------------------------------------------------

def test_the_quyet_dinh_awards_exactly_the_proposals_the_office_accepted(decided, intended):
    proposals = intended[1]
    collectives = [proposals[u]["nominee_name"] for u in ACCEPTED if proposals[u]["recipient_kind"] == "Tập thể"]
    individuals = [proposals[u]["nominee_name"] for u in ACCEPTED if proposals[u]["recipient_kind"] == "Cá nhân"]
    listed_c = _table(decided / DECISION_DOCX, f"I. TẬP THỂ ({len(collectives):02d})")
    listed_i = _table(decided / DECISION_DOCX, f"II. CÁ NHÂN ({len(individuals):02d})")
    assert sorted(r[1] for r in listed_c.rows) == sorted(collectives)
    assert [r[1].split(",")[0] for r in listed_i.rows] == individuals
    assert all(r[3] for r in listed_c.rows + listed_i.rows)                 # every line has its achievement
    article = next(p for p in docx_content(decided / DECISION_DOCX)[0] if p.startswith("Điều 1."))
    assert f"{len(collectives):02d} tập thể và {len(individuals):02d} cá nhân" in article
    refused = proposals["pho_ninh"]["nominee_name"]
    assert norm(refused) not in _text(decided / DECISION_DOCX)


def test_the_to_trinh_proposes_the_nominee_with_its_models(decided, intended):
    tables, proposals = intended
    models = tables["models"][tables["models"]["unit_code"] == NOMINEE_UNIT]
    text = _text(decided / SUBMISSION_DOCX)
    assert norm(proposals[NOMINEE_UNIT]["nominee_name"]) in text
    assert f"đã xây dựng {len(models):02d} mô hình" in text
    for doc in models["recognition_doc"].dropna():
        assert norm(doc) in text
    others = [p["nominee_name"] for u, p in proposals.items() if u != NOMINEE_UNIT]
    assert not [n for n in others if norm(n) in text]


def test_once_chosen_the_outward_report_names_the_nominee_where_it_had_the_placeholder(decided, intended):
    paragraphs = docx_content(decided / DOCX)[0]
    after = paragraphs[next(i for i, p in enumerate(paragraphs) if "tặng Bằng khen cho:" in p) + 1]
    assert after == intended[1][NOMINEE_UNIT]["nominee_name"]


def test_the_bao_cao_thanh_tich_holds_the_nominees_own_figures(decided, intended):
    tables = intended[0]
    report = decided / ACHIEVEMENT_DOCX
    mine = {name: frame[frame["unit_code"] == NOMINEE_UNIT] for name, frame in tables.items()}
    models = _table(report, "Mô hình “Dân vận khéo” và văn bản công nhận")
    expected = {(r.model_name, r.recognition_doc, r.recognition_date.strftime("%d/%m/%Y"))
                for r in mine["models"].itertuples()}
    got = {(r[models.header.index("Tên mô hình")], r[models.header.index("Văn bản công nhận")],
            r[models.header.index("Ngày công nhận")]) for r in models.rows}
    assert got == expected
    classification = _table(report, "Xếp loại công tác dân vận chính quyền")
    years = sorted(mine["classification"]["classification_year"])
    assert [r[0] for r in classification.rows] == [str(y) for y in years]
    assert [r[2] for r in classification.rows] == list(mine["classification"].sort_values(
        "classification_year")["classification_level"])
    awards = _table(report, "Khen thưởng theo thẩm quyền của đơn vị")
    total = awards.rows[-1]
    assert (int(total[2]), int(total[3])) == (int(mine["awards_given"]["collectives"].sum()),
                                              int(mine["awards_given"]["individuals"].sum()))
    text = _text(report)
    for heading in ("I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH", "II. THÀNH TÍCH ĐẠT ĐƯỢC",
                    "III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG"):
        assert norm(heading) in text
    assert norm("Mẫu số 01 ban hành kèm theo Nghị định số 91/2017/NĐ-CP") in text


def test_a_decision_against_the_verdicts_is_recorded_in_the_internal_note(decided, intended):
    nominee = intended[1][CONTRADICTING]["nominee_name"]
    paragraphs = [norm(p) for p in docx_content(decided / NOTE_DOCX)[0]]
    hits = [p for p in paragraphs if p.startswith("- " + norm(nominee))]
    assert len(hits) == 1 and norm("Đồng ý khen thưởng dù kết luận đối chiếu là “Chưa đạt”") in hits[0]
    assert norm(DECIDED[CONTRADICTING][1]) in hits[0]
    chosen = next(p for p in paragraphs if norm("đề xuất chọn") in p)
    assert norm(intended[1][NOMINEE_UNIT]["nominee_name"]) in chosen
    decisions = pd.read_parquet(decided / "data" / "award_decisions.parquet").set_index("unit_code")
    assert decisions.loc[CONTRADICTING, "contradicts"] and decisions.loc[CONTRADICTING, "decision"] == "accepted"


def test_rows_of_the_decisions_file_it_cannot_use_are_listed_at_their_cells(decided, demo_intended):
    issues = pd.read_csv(decided / "issues.csv", encoding="utf-8-sig").fillna("")
    mine = issues[issues["file"] == DECISIONS_FILE]
    units = list(_proposals(demo_intended[0]))
    first = 4 + len(units)                                                   # the first row added after them
    assert sorted(zip(mine["rule"], mine["cell"])) == sorted([
        ("decisions.unit_unknown", f"C{first}"), ("decisions.nominee_unknown", f"E{first + 1}"),
        ("decisions.value", f"K{4 + units.index('tai_chinh_ke_hoach')}")])
    assert all(m.endswith(("]", ".")) and len(m) > 40 for m in mine["message"])
    files = pd.read_csv(decided / "files.csv", encoding="utf-8-sig").set_index("file")
    assert files.loc[DECISIONS_FILE, "status"] == "ignored"                 # never a unit's return


def test_the_template_carries_the_decisions_read(decided):
    ws = load_workbook(decided / TEMPLATE_NAME, read_only=True)[DECISIONS_SHEET]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    head = next(i for i, r in enumerate(rows) if r[:2] == ["STT", HEADERS["unit_code"]])
    col = {k: rows[head].index(HEADERS[k]) for k in ("unit_code", "decision", "bang_khen")}
    by_unit = {r[col["unit_code"]]: r for r in rows[head + 1:] if r[col["unit_code"]]}
    chosen = by_unit[NOMINEE_UNIT]
    assert chosen[col["decision"]] == "Đồng ý khen thưởng" and chosen[col["bang_khen"]] == "x"
    assert by_unit["pho_ninh"][col["decision"]] == "Không đồng ý"
    assert not by_unit["pho_chau"][col["decision"]]


# -- who sent their hồ sơ -----------------------------------------------------------------------------------------

def test_submissions_say_who_proposed_and_sent_their_ho_so_and_when(decided, intended):
    with (decided / "submissions.csv").open(encoding="utf-8-sig") as fh:
        subs = {r["unit_code"]: r for r in csv.DictReader(fh)}
    proposing = set(intended[1])
    for unit, row in subs.items():
        assert (int(row["proposals"]) > 0) == (unit in proposing), unit
    assert (subs["pho_thanh"]["dossier_status"], subs["pho_thanh"]["dossier_files"]) == ("on_time", "1")
    assert subs["kinh_te"]["dossier_status"] == "late"
    assert subs["tu_phap"]["dossier_status"] == "missing"                  # its only file is not a hồ sơ
    missing = {u for u, r in subs.items() if r["dossier_status"] == "missing"}
    assert missing == proposing - {"pho_thanh", "kinh_te"}


def test_units_that_proposed_but_sent_no_ho_so_are_listed(decided):
    from pipeline.config import load_plan

    unit_name = load_plan().unit(NO_DOSSIER).unit_name
    note = [norm(p) for p in docx_content(decided / NOTE_DOCX)[0]]
    listed = next(p for p in note if p.startswith(norm("Các đơn vị có đề nghị nhưng chưa gửi hồ sơ")))
    assert norm(unit_name) in listed and norm(load_plan().unit("pho_thanh").unit_name) not in listed
    ws = load_workbook(decided / "Tong_hop_so_ket_Dan_van_kheo.xlsx", read_only=True)["9b. Hồ sơ khen thưởng"]
    rows = [r for r in ws.iter_rows(values_only=True) if unit_name in r]
    assert len(rows) == 1 and "Có đề nghị, chưa gửi hồ sơ" in rows[0]


# -- as printed ----------------------------------------------------------------------------------------------------

@pytest.mark.office
@pytest.mark.skipif(SOFFICE is None or shutil.which("pdftotext") is None, reason="LibreOffice or pdftotext missing")
def test_the_three_documents_print_as_administrative_documents(decided, tmp_path):
    docs = [DECISION_DOCX, SUBMISSION_DOCX, ACHIEVEMENT_DOCX]
    result = subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                             "--convert-to", "pdf", "--outdir", str(tmp_path), *(str(decided / d) for d in docs)],
                            capture_output=True, text=True, timeout=300)
    pages = {}
    for d in docs:
        pdf = tmp_path / (Path(d).stem + ".pdf")
        assert pdf.exists(), result.stderr
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        pages[d] = text.split("\f")
        first = pages[d][0]
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first and "DỰ THẢO" in first
    assert "QUYẾT ĐỊNH" in pages[DECISION_DOCX][0]
    annex = next(i for i, p in enumerate(pages[DECISION_DOCX]) if "DANH SÁCH" in p)
    assert annex > 0 and "Nơi nhận" in pages[DECISION_DOCX][annex - 1]      # the list: a page of its own, after
    assert "Nơi nhận" not in pages[DECISION_DOCX][annex]                     # the signature
    assert "TỜ TRÌNH" in pages[SUBMISSION_DOCX][0]
    assert "BÁO CÁO THÀNH TÍCH" in pages[ACHIEVEMENT_DOCX][0]


# -- an individual chosen for the Bằng khen (make test-all: a third whole run) ----------------------------------

PERSON_UNIT = "pho_cuong"          # proposes an individual


@pytest.fixture(scope="module")
def person_chosen(demo_dir, demo_run, demo_intended, tmp_path_factory) -> Path:
    decided = {u: (d, r, "") for u, (d, r, _mark) in DECIDED.items()} | {PERSON_UNIT: ("Đồng ý khen thưởng", "", "x")}
    return _run(demo_dir, demo_run, tmp_path_factory.mktemp("person"), demo_intended, True, decided)


@pytest.mark.slow
def test_the_bao_cao_thanh_tich_of_an_individual_speaks_of_that_person(person_chosen, intended, plan):
    proposal = intended[1][PERSON_UNIT]
    unit_name = next(u.unit_name for u in plan.units if u.unit_code == PERSON_UNIT)
    text = _text(person_chosen / ACHIEVEMENT_DOCX)
    for said in (f"Họ và tên: {proposal['nominee_name']}", f"Chức vụ, đơn vị công tác: {proposal['nominee_position']}",
                 f"Đơn vị đề nghị: {unit_name}", proposal["achievements_summary"], proposal["crit_b_evidence"]):
        assert norm(said) in text, said
    # the model the proposal names (the person's), not the unit's others
    models = _table(person_chosen / ACHIEVEMENT_DOCX, "Mô hình “Dân vận khéo” và văn bản công nhận")
    assert [r[models.header.index("Tên mô hình")] for r in models.rows] == [proposal["model_name"]]
    unit_models = intended[0]["models"]
    assert len(unit_models[unit_models["unit_code"] == PERSON_UNIT]) > 1
    assert norm("Xếp loại công tác dân vận chính quyền") not in text       # a collective's table, not a person's
    other = intended[1][NOMINEE_UNIT]["nominee_name"]
    assert norm(other) not in text
