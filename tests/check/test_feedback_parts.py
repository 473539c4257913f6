"""Every Office file the project writes, read part by part the way Excel reads it.

LibreOffice forgives a part that is not well-formed, a relationship to a missing part, a part without a content
type; Excel refuses the file or "repairs" it and drops what it could not read. Here returns are built the way
clerks' files really look (their own notes, even on the cells we flag; pictures and charts; a thousand notes on
a sheet; a hidden sheet; a macro workbook; files saved by LibreOffice, also as .ods and .xls), checked by the real
pipeline, and each feedback copy is made by the real writer. Each copy must be what Excel opens as it is
(`tests.ooxml.problems` finds nothing) and must keep everything the unit put in its file. One whole `report` run
over a few of these returns then checks every Office file the project writes the same way.
"""
from __future__ import annotations

import csv
import io
import posixpath
import re
import shutil
import subprocess
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from openpyxl import load_workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.drawing.image import Image
from openpyxl.worksheet.datavalidation import DataValidation

from pipeline.check import read_and_check
from pipeline.check.feedback import feedback_bytes, feedback_suffix
from pipeline.messages import FEEDBACK_SHEET
from pipeline.run import run_report
from schemas import sheet_spec
from tests.conftest import SOFFICE
from tests.ooxml import parts, problems, rezipped

ROOT = Path(__file__).resolve().parents[2]
INFO, LEAD, RESULTS, MODELS, CLASS = (sheet_spec(n) for n in (
    "unit_info", "leadership", "content_results", "models", "classification"))
EMAIL = INFO.cell(0, "email")                   # B8 of the unit's information
FREE_TEXT = RESULTS.cell(0, "outstanding_results")   # a free-text cell nobody flags
TEXT_FORMULA = "=Tổng hợp từ báo cáo các thôn"  # typed by a clerk, stored as text: must never become a formula
VBA = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8   # any bytes: only their identity matters
T_VBA = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
CT_VBA = "application/vnd.ms-office.vbaProject"
CT_MACRO_BOOK = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
EXCEL_NS = "{urn:schemas-microsoft-com:office:excel}"
MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
SUMMARY, DRAFT = "Tong_hop_so_ket_Dan_van_kheo.xlsx", "Du_thao_bao_cao_so_ket.docx"

# Variant -> the demo return it is made from: each from a different unit, so that one `report` run over all of
# them makes a feedback copy of each (two returns of one unit: the later one supersedes the other).
BASES = {"notes": "pho_hoa", "pictures": "pho_minh", "many_notes": "pho_quang", "hidden": "pho_vinh",
         "macros": "nguyen_nghiem"}


# -- what a copy must keep --------------------------------------------------------------------------

def _content_types(data: bytes) -> dict[str, str]:
    """Part name -> its Override content type."""
    root = ET.fromstring(parts(data)["[Content_Types].xml"])
    return {e.get("PartName", "").lstrip("/"): e.get("ContentType", "") for e in root if e.tag.endswith("Override")}


def _editable(name: str, types: dict[str, str]) -> bool:
    """A part the feedback writer may have to edit: the package's list of types, the workbook and its
    relationships, the styles, the sheets and theirs, the notes and their drawings (VML). Every other part
    (pictures, charts, their drawings, macros, the theme, shared strings, document properties) is copied as is."""
    return (name in ("[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml")
            or name.startswith("xl/worksheets/") or name.lower().endswith(".vml") or types.get(name) == CT_COMMENTS)


def _notes(wb) -> dict[tuple[str, str], str]:
    return {(ws.title, c.coordinate): c.comment.text for ws in wb for row in ws.iter_rows() for c in row if c.comment}


def lost(original: bytes, copy: bytes) -> list[str]:
    """What the unit put in its file and the copy no longer has, one sentence each; [] when nothing is lost."""
    out = []
    before, after = parts(original), parts(copy)
    out += [f"part {n} is gone" for n in sorted(set(before) - set(after))]
    types = _content_types(original)
    out += [f"part {n} was changed" for n in sorted(set(before) & set(after))
            if not _editable(n, types) and before[n] != after[n]]
    wb0, wb1 = load_workbook(io.BytesIO(original)), load_workbook(io.BytesIO(copy))
    if wb1.sheetnames != [FEEDBACK_SHEET, *wb0.sheetnames]:
        out.append(f"sheets {wb1.sheetnames} are not the problem list then {wb0.sheetnames}")
    for ws in wb0:
        if ws.title not in wb1.sheetnames:
            continue
        other = wb1[ws.title]
        if other.sheet_state != ws.sheet_state:
            out.append(f"{ws.title}: {ws.sheet_state} sheet became {other.sheet_state}")
        out += [f"{ws.title}: merged cells {r} are gone" for r in
                sorted({str(r) for r in ws.merged_cells.ranges} - {str(r) for r in other.merged_cells.ranges})]
        rules = {(str(v.sqref), v.type, v.formula1) for v in ws.data_validations.dataValidation}
        kept = {(str(v.sqref), v.type, v.formula1) for v in other.data_validations.dataValidation}
        out += [f"{ws.title}: drop-down or rule on {r[0]} is gone" for r in sorted(rules - kept, key=str)]
        if (len(ws._images), len(ws._charts)) != (len(other._images), len(other._charts)):
            out.append(f"{ws.title}: {len(ws._images)} pictures and {len(ws._charts)} charts became "
                       f"{len(other._images)} and {len(other._charts)}")
    notes = _notes(wb1)
    for (sheet, cell), text in _notes(wb0).items():
        if text not in notes.get((sheet, cell), ""):
            out.append(f"{sheet}!{cell}: the note {text[:40]!r} is gone")
    return out


def notes_without_box(data: bytes) -> list[str]:
    """Every note needs its box in the drawing the sheet names in <legacyDrawing> (not the one of its header and
    footer pictures, <legacyDrawingHF>), or Excel has nothing to show on hover."""
    p = parts(data)
    out = []
    for rels_name in [n for n in p if re.fullmatch(r"xl/worksheets/_rels/[^/]+\.rels", n)]:
        rels = {r.get("Id"): (r.get("Type", "").rsplit("/", 1)[-1], r.get("Target", ""))
                for r in ET.fromstring(p[rels_name]) if r.tag == f"{PKG_REL}Relationship"}
        comments = [target for kind, target in rels.values() if kind == "comments"]
        if not comments:
            continue
        sheet = "xl/worksheets/" + rels_name.rsplit("/", 1)[-1][:-len(".rels")]
        refs = re.findall(r'<comment\b[^>]*\bref="([A-Z]+[0-9]+)"', p[_part(comments[0])].decode())
        legacy = ET.fromstring(p[sheet]).find(f"{MAIN_NS}legacyDrawing")
        if legacy is None:
            out.append(f"{sheet}: {len(refs)} notes and no <legacyDrawing>, the drawing of their boxes")
            continue
        vml = ET.fromstring(p[_part(rels[legacy.get(f"{R_NS}id")][1])])
        boxes = {(int(d.findtext(f"{EXCEL_NS}Row")), int(d.findtext(f"{EXCEL_NS}Column")))
                 for d in vml.iter(f"{EXCEL_NS}ClientData") if d.get("ObjectType") == "Note"}
        for ref in refs:
            letters, digits = re.fullmatch(r"([A-Z]+)([0-9]+)", ref).groups()
            col = 0
            for ch in letters:
                col = col * 26 + ord(ch) - 64
            if (int(digits) - 1, col - 1) not in boxes:
                out.append(f"{sheet}: the note on {ref} has no box")
    return out


def _part(target: str) -> str:
    """The part a sheet's relationship points to (absolute, or relative to xl/worksheets)."""
    return posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join("xl/worksheets", target))


# -- returns as clerks send them ---------------------------------------------------------------------

@dataclass
class Variant:
    """A return built for this test, the issues the real checking finds in it and its feedback copy."""

    path: Path
    fmt: str
    issues: list[dict]
    made: bytes | None
    failure: str = ""

    @property
    def copy(self) -> bytes:
        if self.made is None:
            pytest.fail(f"no feedback copy of {self.path.name}: {self.failure}")
        return self.made

    def issue_at(self, sheet: str, cell: str) -> dict:
        found = [i for i in self.issues if i["sheet"] == sheet and i["cell"] == cell]
        assert found, f"the pipeline flags nothing at {sheet}!{cell} of {self.path.name}: {self.issues}"
        return found[0]


def _checked(path: Path, plan) -> Variant:
    """The return checked alone in its folder by the real pipeline, then its feedback copy by the real writer."""
    checked = read_and_check(path.parent, plan)
    issues = [r for r in checked.issues.to_dict("records") if r["file"] == path.name]
    fmt = checked.files.set_index("file").at[path.name, "format"]
    try:
        return Variant(path, fmt, issues, feedback_bytes(path.read_bytes(), fmt, issues, plan))
    except Exception as exc:
        return Variant(path, fmt, issues, None, f"{type(exc).__name__}: {exc}")


def _png() -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(1.2, 0.9), dpi=50)
    ax.bar([0, 1, 2], [3, 1, 2], color="grey")
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def _planted(demo_dir: Path, unit: str) -> list[dict]:
    with open(demo_dir / "planted_mistakes.csv", encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r["unit_code"] == unit and r["cell"]]


def _unit_notes(wb, planted: list[dict]) -> None:
    """The unit's own notes: on each cell where a mistake was planted, on a cell nobody flags, and on an e-mail
    address it typed wrong (a sheet whose template has no notes)."""
    for row in planted:
        wb[row["sheet"]][row["cell"]].comment = Comment(f"Đơn vị ghi chú ô {row['cell']}: số liệu theo báo cáo "
                                                        "của các thôn, tổ dân phố", "Phổ Hòa")
    wb[MODELS.sheet]["A4"].comment = Comment("Mô hình tiêu biểu nhất của phường", "Phổ Hòa")
    wb[INFO.sheet][EMAIL] = "phohoa(a)gmail"
    wb[INFO.sheet][EMAIL].comment = Comment("Thư điện tử riêng của người lập", "Phổ Hòa")


def _pictures(wb, png: bytes) -> None:
    """A picture and a native chart on the unit's information (whose e-mail is wrong, a sheet without notes),
    a picture on the leadership sheet (with a planted mistake), and a text that starts with '='."""
    info = wb[INFO.sheet]
    info[EMAIL] = "phominh(a)gmail"
    info.add_image(Image(io.BytesIO(png)), "E2")
    chart = BarChart()
    chart.title = "Số buổi tuyên truyền"
    chart.add_data(Reference(wb[LEAD.sheet], min_col=4, min_row=3, max_row=7), titles_from_data=True)
    chart.set_categories(Reference(wb[LEAD.sheet], min_col=1, min_row=4, max_row=7))
    info.add_chart(chart, "E14")
    wb[LEAD.sheet].add_image(Image(io.BytesIO(png)), "I2")
    cell = wb[RESULTS.sheet][FREE_TEXT]
    cell.value = TEXT_FORMULA
    cell.data_type = "s"


def _many_notes(wb) -> None:
    """A thousand notes on the model sheet (which has a flagged cell and the template's notes)."""
    ws = wb[MODELS.sheet]
    for r in range(4, 104):
        for c in range(15, 25):
            ws.cell(r, c).comment = Comment(f"Ghi chú {r}.{c} của đơn vị", "Phổ Quang")


def _hidden(wb) -> None:
    """A hidden working sheet with its own merged cells and drop-down, more merged cells and a rule on a sheet
    with a flagged cell."""
    draft = wb.create_sheet("Nháp của đơn vị")
    draft.sheet_state = "hidden"
    draft["A1"] = "Số liệu nháp, không gửi"
    draft.merge_cells("A1:C1")
    yes_no = DataValidation(type="list", formula1='"Có,Không"', allow_blank=True)
    draft.add_data_validation(yes_no)
    yes_no.add("A2:A20")
    ws = wb[CLASS.sheet]
    ws["G10"] = "Ghi chú của đơn vị"
    ws.merge_cells("G10:I11")
    score = DataValidation(type="decimal", operator="between", formula1="0", formula2="100")
    ws.add_data_validation(score)
    score.add("G4:G9")


def _as_macro_workbook(data: bytes) -> bytes:
    """The workbook as Excel saves a macro workbook: vbaProject.bin, its relationship, its content type, and the
    workbook's macro-enabled type."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            body = zin.read(info)
            if info.filename == "[Content_Types].xml":
                text, n = re.subn(r'(<Override PartName="/xl/workbook\.xml" ContentType=")[^"]+"',
                                  rf'\g<1>{CT_MACRO_BOOK}"', body.decode())
                assert n == 1
                body = text.replace("</Types>", f'<Override PartName="/xl/vbaProject.bin" ContentType="{CT_VBA}"/>'
                                                "</Types>").encode()
            elif info.filename == "xl/_rels/workbook.xml.rels":
                body = body.replace(b"</Relationships>", f'<Relationship Type="{T_VBA}" Target="vbaProject.bin" '
                                                         f'Id="rIdVba1"/></Relationships>'.encode())
            zout.writestr(info.filename, body)
        zout.writestr("xl/vbaProject.bin", VBA)
    return out.getvalue()


def _build(folder: Path, demo_dir: Path, unit: str, edit, suffix: str = ".xlsx") -> Path:
    src = demo_dir / "returns" / f"{unit}_bao_cao_so_ket.xlsx"
    wb = load_workbook(src)
    edit(wb)
    folder.mkdir(parents=True)
    buf = io.BytesIO()
    wb.save(buf)
    path = folder / f"{src.stem}{suffix}"
    path.write_bytes(buf.getvalue())
    return path


@pytest.fixture(scope="module")
def png() -> bytes:
    return _png()


@pytest.fixture(scope="module")
def variants(tmp_path_factory, demo_dir, plan, png) -> dict[str, Variant]:
    base = tmp_path_factory.mktemp("variants")
    paths = {
        "notes": _build(base / "notes", demo_dir, BASES["notes"],
                        lambda wb: _unit_notes(wb, _planted(demo_dir, BASES["notes"]))),
        "pictures": _build(base / "pictures", demo_dir, BASES["pictures"], lambda wb: _pictures(wb, png)),
        "many_notes": _build(base / "many_notes", demo_dir, BASES["many_notes"], _many_notes),
        "hidden": _build(base / "hidden", demo_dir, BASES["hidden"], _hidden),
        "macros": _build(base / "macros", demo_dir, BASES["macros"], lambda wb: None, ".xlsm"),
    }
    paths["macros"].write_bytes(_as_macro_workbook(paths["macros"].read_bytes()))
    return {name: _checked(path, plan) for name, path in paths.items()}


HF_VML = ('<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
          'xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" '
          'data="5"/></o:shapelayout><v:shapetype id="_x0000_t75" coordsize="21600,21600" o:spt="75" '
          'o:preferrelative="t" path="m@4@5l@4@11@9@11@9@5xe" filled="f" stroked="f"><v:stroke joinstyle="miter"/>'
          '<v:path o:extrusionok="f" gradientshapeok="t" o:connecttype="rect"/><o:lock v:ext="edit" '
          'aspectratio="t"/></v:shapetype><v:shape id="LH" o:spid="_x0000_s5121" type="#_x0000_t75" '
          'style="position:absolute;margin-left:0;margin-top:0;width:60pt;height:45pt;z-index:1">'
          '<v:imagedata o:relid="rId1" o:title="logo"/><o:lock v:ext="edit" rotation="t"/></v:shape></xml>')
HF_PART = "xl/drawings/vmlDrawingHF1.vml"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _sheet_parts(data: bytes) -> dict[str, str]:
    """Sheet title -> its part, read from the workbook and its relationships."""
    p = parts(data)
    rels = {r.get("Id"): r.get("Target") for r in ET.fromstring(p["xl/_rels/workbook.xml.rels"])}
    targets = {s.get("name"): rels[s.get(f"{R_NS}id")]
               for s in ET.fromstring(p["xl/workbook.xml"]).iter(f"{MAIN_NS}sheet")}
    return {name: posixpath.normpath(t.lstrip("/") if t.startswith("/") else posixpath.join("xl", t))
            for name, t in targets.items()}


def _with_header_picture(data: bytes, png: bytes) -> bytes:
    """A logo in the page header of two sheets, as Excel saves it: a VML drawing of its own, named by
    <legacyDrawingHF> and related with the same relationship type as the drawing of notes. On the unit's
    information the sheet has no notes; on the leadership sheet the header's relationship comes first."""
    sheets = _sheet_parts(data)
    plain, noted = sheets[INFO.sheet], sheets[LEAD.sheet]
    rel = (f'<Relationship Type="{REL_NS}/vmlDrawing" Target="/{HF_PART}" Id="rIdHF"/>').encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            body = zin.read(info)
            if info.filename in (plain, noted):
                body = re.sub(rb"(<pageSetup\b[^>]*/>)", rb"\1<headerFooter><oddHeader>&amp;L&amp;G</oddHeader>"
                              rb"</headerFooter>", body, count=1)
                body = body.replace(b"</worksheet>", f'<legacyDrawingHF xmlns:r="{REL_NS}" r:id="rIdHF"/>'
                                                     "</worksheet>".encode())
            rels_of = {f"xl/worksheets/_rels/{posixpath.basename(n)}.rels": n for n in (plain, noted)}
            if info.filename in rels_of:             # the header's drawing first: Excel numbers it as it likes
                body = re.sub(rb"(<Relationships\b[^>]*>)", lambda m: m.group(1) + rel, body, count=1)
            zout.writestr(info.filename, body)
        zout.writestr(HF_PART, HF_VML)
        zout.writestr("xl/drawings/_rels/vmlDrawingHF1.vml.rels",
                      f'<Relationships xmlns="{PKG_REL[1:-1]}"><Relationship Id="rId1" Type="{REL_NS}/image" '
                      'Target="../media/logo_hf.png"/></Relationships>')
        zout.writestr("xl/media/logo_hf.png", png)
    return out.getvalue()


@pytest.fixture(scope="module")
def header_picture(tmp_path_factory, variants, plan, png) -> Variant:
    folder = tmp_path_factory.mktemp("header_picture")
    source = variants["pictures"].path
    path = folder / source.name
    path.write_bytes(_with_header_picture(source.read_bytes(), png))
    return _checked(path, plan)


def _soffice(source: Path, fmt: str, out: Path, profile: Path) -> Path:
    subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
                    "--convert-to", fmt, "--outdir", str(out), str(source)], check=True, capture_output=True,
                   timeout=240)
    return out / f"{source.stem}.{fmt}"


@pytest.fixture(scope="module")
def saved_by_libreoffice(tmp_path_factory, variants, plan) -> dict[str, Variant]:
    """The return with pictures, a chart, notes and a text starting with '=', saved by LibreOffice as .xlsx, .ods
    and .xls (three conversions at once, each with its own profile)."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed here; CI installs it")
    base = tmp_path_factory.mktemp("libreoffice")
    source = variants["pictures"].path
    with ThreadPoolExecutor(3) as pool:
        done = {fmt: pool.submit(_soffice, source, fmt, base / fmt, base / f"lo_profile_{fmt}")
                for fmt in ("xlsx", "ods", "xls")}
        paths = {fmt: f.result() for fmt, f in done.items()}
    return {fmt: _checked(path, plan) for fmt, path in paths.items()}


# -- the checker itself ----------------------------------------------------------------------------

def test_the_checker_finds_what_excel_refuses(variants):
    """problems() is clean on a copy and names each fault Excel refuses when one is put in that copy."""
    copy = variants["notes"].copy
    assert problems(copy) == []
    vml = next(n for n in parts(copy) if n.endswith(".vml"))
    unbound = rezipped(copy, lambda n, b: b.replace(b"</xml>", b"<v:shape/></xml>") if n == vml else b)
    assert any(p.startswith(f"{vml}: not well-formed") for p in problems(unbound))
    comments = next(n for n in parts(copy) if "comment" in n and n.endswith(".xml"))
    missing = rezipped(copy, lambda n, b: None if n == comments else b)
    assert any(f"missing part {comments}" in p for p in problems(missing))
    untyped = rezipped(copy, lambda n, b: b.replace(b'Extension="vml"', b'Extension="vmlx"')
                        if n == "[Content_Types].xml" else b)
    assert any(p.startswith(f"{vml}: no content type") for p in problems(untyped))
    generic = rezipped(copy, lambda n, b: re.sub(rf'<Override PartName="/{comments}"[^>]*/>'.encode(), b"", b)
                        if n == "[Content_Types].xml" else b)     # left to the Default of .xml: application/xml
    assert any(f"points to {comments} of content type" in p for p in problems(generic))
    sheet = next(n for n, b in parts(copy).items() if n.startswith("xl/worksheets/") and b"<legacyDrawing" in b)

    def misplaced(body: bytes) -> bytes:          # the notes' drawing moved before the page margins
        element = re.search(rb"<legacyDrawing\b[^>]*/>", body).group(0)
        return body.replace(element, b"").replace(b"<pageMargins", element + b"<pageMargins", 1)

    disordered = rezipped(copy, lambda n, b: misplaced(b) if n == sheet else b)
    assert any(p.startswith(f"{sheet}: elements out of the order") for p in problems(disordered))
    assert problems(b"not a zip") != []


# -- each kind of return ---------------------------------------------------------------------------

def test_the_units_own_notes_stay_beside_ours(variants, demo_dir):
    v = variants["notes"]
    assert problems(v.path) == []
    assert problems(v.copy) == []
    assert lost(v.path.read_bytes(), v.copy) == []
    assert notes_without_box(v.copy) == []
    wb = load_workbook(io.BytesIO(v.copy))
    flagged = [(r["sheet"], r["cell"]) for r in _planted(demo_dir, BASES["notes"])] + [(INFO.sheet, EMAIL)]
    for sheet, cell in flagged:
        ours = v.issue_at(sheet, cell)["message"]
        text = wb[sheet][cell].comment.text
        assert "Đơn vị ghi chú" in text or "Thư điện tử riêng" in text, (sheet, cell, text)   # the unit's words
        assert ours in text, (sheet, cell, text)                                             # and ours
    assert wb[MODELS.sheet]["A4"].comment.text == "Mô hình tiêu biểu nhất của phường"


def test_pictures_and_charts_stay(variants):
    v = variants["pictures"]
    assert problems(v.path) == []
    assert problems(v.copy) == []
    assert {(i["sheet"], i["cell"]) for i in v.issues} >= {(INFO.sheet, EMAIL)}   # a sheet with a picture is marked
    assert lost(v.path.read_bytes(), v.copy) == []
    assert notes_without_box(v.copy) == []
    before, after = parts(v.path.read_bytes()), parts(v.copy)
    media = [n for n in before if n.startswith(("xl/media/", "xl/charts/"))]
    assert len(media) >= 3 and all(after[n] == before[n] for n in media)
    wb = load_workbook(io.BytesIO(v.copy))
    assert (len(wb[INFO.sheet]._images), len(wb[INFO.sheet]._charts), len(wb[LEAD.sheet]._images)) == (1, 1, 1)
    assert wb[INFO.sheet][EMAIL].comment is not None
    cell = wb[RESULTS.sheet][FREE_TEXT]
    assert (cell.value, cell.data_type) == (TEXT_FORMULA, "s")


def test_a_thousand_notes_on_one_sheet(variants):
    v = variants["many_notes"]
    assert problems(v.path) == []
    assert problems(v.copy) == []
    assert any(i["sheet"] == MODELS.sheet for i in v.issues)     # the sheet with the notes is marked
    assert lost(v.path.read_bytes(), v.copy) == []
    assert notes_without_box(v.copy) == []
    notes = _notes(load_workbook(io.BytesIO(v.copy)))
    ours = re.compile(r"Ghi chú \d+\.\d+ của đơn vị")
    assert sum(1 for (sheet, _), text in notes.items() if sheet == MODELS.sheet and ours.fullmatch(text)) == 1000


def test_a_hidden_sheet_merged_cells_and_drop_downs_stay(variants):
    v = variants["hidden"]
    assert problems(v.path) == []
    assert problems(v.copy) == []
    assert any(i["sheet"] == CLASS.sheet for i in v.issues)
    assert lost(v.path.read_bytes(), v.copy) == []
    wb = load_workbook(io.BytesIO(v.copy))
    draft = wb["Nháp của đơn vị"]
    assert draft.sheet_state == "hidden" and "A1:C1" in {str(r) for r in draft.merged_cells.ranges}
    assert [str(d.sqref) for d in draft.data_validations.dataValidation] == ["A2:A20"]
    assert "G10:I11" in {str(r) for r in wb[CLASS.sheet].merged_cells.ranges}
    assert wb["Danh mục"].sheet_state == "hidden"                      # the template's lists stay hidden


def test_a_macro_workbook_keeps_its_macros(variants):
    v = variants["macros"]
    assert v.fmt == "xlsm" and v.issues
    assert problems(v.path) == []
    assert problems(v.copy) == []
    assert lost(v.path.read_bytes(), v.copy) == []
    assert parts(v.copy)["xl/vbaProject.bin"] == VBA
    assert _content_types(v.copy)["xl/workbook.xml"] == CT_MACRO_BOOK
    assert feedback_suffix(v.copy) == ".xlsm"
    assert feedback_suffix(variants["notes"].copy) == ".xlsx"


def test_a_logo_in_the_page_header_stays_and_every_note_gets_its_box(header_picture):
    v = header_picture
    before = v.path.read_bytes()
    assert problems(before) == [] and notes_without_box(before) == []
    assert {i["sheet"] for i in v.issues} >= {INFO.sheet, LEAD.sheet}     # both sheets with a logo are marked
    assert problems(v.copy) == []
    assert lost(before, v.copy) == []
    assert parts(v.copy)[HF_PART] == parts(before)[HF_PART]              # the header's drawing is the unit's
    assert notes_without_box(v.copy) == []


@pytest.mark.office
def test_a_return_saved_by_libreoffice(saved_by_libreoffice):
    v = saved_by_libreoffice["xlsx"]
    assert v.issues
    assert problems(v.path) == []
    assert problems(v.copy) == []
    assert lost(v.path.read_bytes(), v.copy) == []
    assert notes_without_box(v.copy) == []
    wb = load_workbook(io.BytesIO(v.copy))
    for issue in v.issues:
        assert issue["message"] in wb[issue["sheet"]][issue["cell"]].comment.text


@pytest.mark.office
@pytest.mark.parametrize("fmt", ["ods", "xls"])
def test_an_ods_or_xls_return_gets_a_clean_copy_rebuilt_from_its_values(saved_by_libreoffice, variants, fmt):
    v = saved_by_libreoffice[fmt]
    assert v.fmt == fmt and v.issues
    assert problems(v.copy) == []
    assert notes_without_box(v.copy) == []
    assert feedback_suffix(v.copy) == ".xlsx"
    wb = load_workbook(io.BytesIO(v.copy))
    assert wb.sheetnames == [FEEDBACK_SHEET, *load_workbook(variants["pictures"].path).sheetnames]
    cell = wb[RESULTS.sheet][FREE_TEXT]
    assert (cell.value, cell.data_type) == (TEXT_FORMULA, "s")
    for issue in v.issues:
        assert issue["message"] in wb[issue["sheet"]][issue["cell"]].comment.text


# -- one whole run ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def run(tmp_path_factory, variants, demo_dir, plan) -> tuple[Path, Path]:
    """One `report` run over the built returns (no LibreOffice needed), and the blank template as `make template`
    writes it (the demo's)."""
    base = tmp_path_factory.mktemp("run")
    inputs, outputs = base / "inputs", base / "outputs"
    inputs.mkdir()
    for v in variants.values():
        shutil.copy(v.path, inputs / v.path.name)
    assert run_report(inputs, outputs, plan=plan) == 0
    return outputs, demo_dir / "template"


def test_every_office_file_of_a_run_is_what_excel_and_word_open(run, variants):
    outputs, blank = run
    feedback = {f"{BASES[name]}{'.xlsm' if name == 'macros' else '.xlsx'}" for name in variants}
    assert {p.name for p in (outputs / "feedback").glob("*.xls[xm]")} == feedback
    assert len(list((outputs / ".cache" / "feedback").glob("*.xls[xm]"))) == len(variants)
    assert len(list(blank.glob("*.xlsx"))) >= 1
    assert (outputs / SUMMARY).is_file() and (outputs / DRAFT).is_file()
    files = sorted(p for folder in (outputs, blank) for p in folder.rglob("*")
                   if p.suffix in (".xlsx", ".xlsm", ".docx") and p.is_file())
    assert len(files) >= 2 * len(variants) + 3        # every copy, its cached twin, summary, draft, template
    found = {str(f): problems(f) for f in files}
    assert {f: p for f, p in found.items() if p} == {}


def test_the_feedback_copies_of_a_run_keep_the_units_files(run, variants):
    outputs, _ = run
    for name, v in variants.items():
        copy = outputs / "feedback" / f"{BASES[name]}{'.xlsm' if name == 'macros' else '.xlsx'}"
        assert lost(v.path.read_bytes(), copy.read_bytes()) == [], name
        assert notes_without_box(copy.read_bytes()) == [], name
    assert parts(outputs / "feedback" / f"{BASES['macros']}.xlsm")["xl/vbaProject.bin"] == VBA
