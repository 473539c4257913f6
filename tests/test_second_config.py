"""Another town, another plan: config only.

A made-up district with three units, four content areas and other years is written as a config folder; the
template is made from it, two units fill it (the third sends nothing), and the whole report runs, in this process,
on the plan read from that folder (the config is passed in, never read at import). Nothing of Đức Phổ may show in
any output, and the outputs say the new town's names, documents, years and figures.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from pipeline.config import load_plan
from pipeline.run import run_report
from pipeline.tools.template import write_template

FORBIDDEN = ("đức phổ", "quảng ngãi", "phổ")
TEMPLATE = "Mau_bao_cao_so_ket_Dan_van_kheo.xlsx"

PLAN_TOML = """
[review]
title = "Sơ kết 03 năm thực hiện Phong trào thi đua “Dân vận khéo” trong các cơ quan hành chính nhà nước (2021 – 2024)"
town = "huyện Tân Hòa"
province = "tỉnh Bắc Thành"
total_label = "Toàn huyện"
period_label = "2021 – 2024"
all_periods_label = "Cả giai đoạn"
no_level_label = "Chưa có xếp loại hợp lệ"
plan_reference = "Kế hoạch số 45/KH-UBND ngày 10/3/2021 của UBND huyện Tân Hòa"
deadline = 2024-06-20
deadline_inclusive = false
send_to = "UBND huyện (qua Phòng Nội vụ huyện)"
template_version = "TH-2024.1"
earliest_report_date = 2024-01-01
swapped_date_days = 30
classification_years = [2021, 2022, 2023]
period_text = "từ năm 2021 đến 6 tháng đầu năm 2024"
office = "Phòng Nội vụ"
local_government = "UBND huyện"
province_government = "UBND tỉnh"
email_example = "noivu@tanhoa.gov.vn"
template_creator = "UBND huyện Tân Hòa"

[report]
issuer_lines = ["ỦY BAN NHÂN DÂN", "HUYỆN TÂN HÒA"]
place = "Tân Hòa"
document_number = "Số:       /BC-UBND"
basis = ["Kế hoạch số 45/KH-UBND ngày 10/3/2021 của UBND huyện Tân Hòa về phát động phong trào thi đua",
         "Hướng dẫn số 88/SNV ngày 02/5/2024 của Sở Nội vụ tỉnh Bắc Thành về sơ kết phong trào"]
next_period = "giai đoạn 2024 – 2026"
recipients = ["Sở Nội vụ tỉnh Bắc Thành (b/c);", "TT Huyện ủy (b/c);", "Lưu: VT, NV."]
signature = ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Trần Văn Bình"]
max_rows_in_docx = 150
quotes_per_area = 2

[[periods]]
code = "2021"
label = "Năm 2021"
year = 2021
[[periods]]
code = "2022"
label = "Năm 2022"
year = 2022
[[periods]]
code = "2023"
label = "Năm 2023"
year = 2023
[[periods]]
code = "2024H1"
label = "6 tháng đầu năm 2024"
year = 2024

[[content_areas]]
code = "A1"
label = "1. Gần dân, trọng dân"
description = "Cán bộ gần dân, trọng dân"
[[content_areas]]
code = "A2"
label = "2. Cải cách hành chính"
description = "Một cửa, dịch vụ công trực tuyến"
[[content_areas]]
code = "A3"
label = "3. Nông thôn mới"
description = "Vận động xây dựng nông thôn mới"
[[content_areas]]
code = "A4"
label = "4. Mô hình “Dân vận khéo”"
description = "Xây dựng, nhân rộng mô hình"

[[fields]]
code = "KT"
label = "Kinh tế"
[[fields]]
code = "VHXH"
label = "Văn hóa – xã hội"
[[fields]]
code = "CCHC"
label = "Cải cách hành chính"

[[classification_levels]]
code = "HTXS"
label = "Hoàn thành xuất sắc nhiệm vụ"
min_score = 90
[[classification_levels]]
code = "HTT"
label = "Hoàn thành tốt nhiệm vụ"
min_score = 70
[[classification_levels]]
code = "HT"
label = "Hoàn thành nhiệm vụ"
min_score = 50
[[classification_levels]]
code = "KHT"
label = "Không hoàn thành nhiệm vụ"
min_score = 0

[[recognition_levels]]
code = "NONE"
label = "Chưa được công nhận"
rank = 0
[[recognition_levels]]
code = "UNIT"
label = "Cơ quan, đơn vị công nhận"
rank = 1
authority = "cơ quan, đơn vị"
[[recognition_levels]]
code = "TOWN"
label = "Cấp huyện công nhận"
rank = 2
authority = "cấp huyện"
[[recognition_levels]]
code = "PROVINCE"
label = "Cấp tỉnh công nhận"
rank = 3
authority = "cấp tỉnh"

[[recipient_kinds]]
code = "COLLECTIVE"
label = "Tập thể"
[[recipient_kinds]]
code = "INDIVIDUAL"
label = "Cá nhân"

[[self_assessment_levels]]
code = "GOOD"
label = "Tốt"
[[self_assessment_levels]]
code = "FAIR"
label = "Khá"

[[own_award_forms]]
code = "GIAY_KHEN"
label = "Giấy khen"

[[assessment_topics]]
code = "achievements"
label = "Kết quả đạt được"
[[assessment_topics]]
code = "shortcomings"
label = "Tồn tại, hạn chế"
[[assessment_topics]]
code = "causes"
label = "Nguyên nhân"
[[assessment_topics]]
code = "lessons"
label = "Bài học kinh nghiệm"
[[assessment_topics]]
code = "recommendations"
label = "Kiến nghị, đề xuất"

[awards]
max_proposals_per_unit = 1
min_recognition_level = "TOWN"
crit_c_requires_replication = false
individual_min_recognition_level = "UNIT"
classification_years = [2021, 2022, 2023]
required_classification_level = "HTXS"

[awards.ranking]
weights_confirmed = false
points_per_recognition_rank = 10
points_if_replicated = 10
points_per_replication_place = 1
max_replication_points = 10
points_per_htxs_year = 5
points_per_1000_people_reached = 1
max_people_points = 10
near_tie_margin = 1.0

[limits]
max_file_bytes = 20_000_000
max_uncompressed_bytes = 200_000_000
max_compression_ratio = 100
max_zip_members = 200
feedback_max_issues = 2000
file_check_seconds = 60
file_check_memory_mb = 1500

[[unit_types]]
label = "Xã"
group = "Xã, thị trấn"
[[unit_types]]
label = "Phòng, ban"
group = "Cơ quan, đơn vị huyện"
"""

UNITS_CSV = """unit_code,unit_name,unit_type,unit_group,aliases
xa_dong,UBND xã Đông Sơn,Xã,"Xã, thị trấn",Đông Sơn
xa_tay,UBND xã Tây Sơn,Xã,"Xã, thị trấn",Tây Sơn
phong_vh,Phòng Văn hóa và Thông tin huyện,"Phòng, ban","Cơ quan, đơn vị huyện",Phòng Văn hóa
"""

# What each of the two reporting units writes (the third unit sends nothing).
UNITS = {
    "xa_dong": {"name": "UBND xã Đông Sơn", "on_time_pct": 96.0, "satisfaction": 90.0, "exemplars": 3,
                "model": "Chợ quê không rác thải nhựa", "level": "Cấp huyện công nhận", "replicated": "Không"},
    "phong_vh": {"name": "Phòng Văn hóa và Thông tin huyện", "on_time_pct": None, "satisfaction": 94.0,
                 "exemplars": 5, "model": "Tủ sách pháp luật ở thôn", "level": "Cơ quan, đơn vị công nhận",
                 "replicated": "Có"},
}


def _headers(ws, row: int = 3) -> dict[str, int]:
    return {str(c.value): c.column for c in ws[row] if c.value}


def _fill_table(ws, spec, values: dict[str, object], rows: int | None = None) -> None:
    """Every prefilled row of a table sheet (or the first `rows` rows) gets `values` (column name -> value)."""
    cols = _headers(ws)
    row = 4
    while (rows is None and ws.cell(row, 1).value is not None) or (rows is not None and row < 4 + rows):
        for name, value in values.items():
            ws.cell(row, cols[spec.column(name).header], value=value(row) if callable(value) else value)
        row += 1


def _fill_form(ws, spec, values: dict[str, object]) -> None:
    rows = {str(ws.cell(r, 1).value): r for r in range(4, ws.max_row + 1) if ws.cell(r, 1).value}
    for name, value in values.items():
        ws.cell(rows[spec.column(name).header], 2, value=value)


def _fill_return(template: Path, code: str, folder: Path, plan) -> Path:
    u = UNITS[code]
    wb = load_workbook(template)
    sheet = {s.name: wb[s.sheet] for s in plan.sheets}
    spec = {s.name: s for s in plan.sheets}
    _fill_form(sheet["unit_info"], spec["unit_info"], {
        "unit_name": u["name"], "reporter_name": "Nguyễn Thị Lan", "phone": "0912345678",
        "report_date": dt.date(2024, 6, 12), "staff_total": 20, "staff_registered": 18})
    _fill_table(sheet["leadership"], spec["leadership"], {
        "plans_issued": 2, "launch_meetings": 1, "propaganda_sessions": 4, "propaganda_participants": 120,
        "news_items": 3, "inspections": 1})
    _fill_table(sheet["content_results"], spec["content_results"], {
        "activities": 5, "outstanding_results": lambda r: f"{u['name']}: kết quả nổi bật số {r}.",
        "self_assessment": "Tốt"})
    _fill_table(sheet["models"], spec["models"], {
        "model_name": u["model"], "field": "Kinh tế", "content_area": "4. Mô hình “Dân vận khéo”",
        "model_kind": "Tập thể", "implementer": u["name"], "start_year": 2022, "recognition_level": u["level"],
        "recognition_doc": "12/QĐ-UBND", "is_replicated": u["replicated"],
        "replication_places": 2 if u["replicated"] == "Có" else None, "beneficiaries": 800,
        "effect": "Người dân đồng tình hưởng ứng."}, rows=1)
    _fill_table(sheet["classification"], spec["classification"], {
        "score": 95, "classification_level": "Hoàn thành xuất sắc nhiệm vụ", "decision_number": "5/QĐ-UBND"})
    _fill_form(sheet["impact"], spec["impact"], {
        "on_time_procedures_pct": u["on_time_pct"], "satisfaction_pct": u["satisfaction"],
        "hcm_exemplars": u["exemplars"], "political_tasks_impact": f"Tác động tốt tại {u['name']}.",
        "hcm_link": "Gắn với học tập và làm theo Bác.", "other_movements": "Gắn với phong trào nông thôn mới."})
    _fill_table(sheet["assessment"], spec["assessment"], {"text": f"Ý kiến của {u['name']}."})
    _fill_table(sheet["awards_given"], spec["awards_given"], {"collectives": 1, "individuals": 2})
    _fill_table(sheet["proposals"], spec["proposals"], {
        "recipient_kind": "Tập thể", "nominee_name": u["name"], "achievements_summary": "Thành tích xuất sắc.",
        "model_name": u["model"], "crit_a": "Có", "crit_b": "Có", "crit_c": "Có", "crit_d": "Có"}, rows=1)
    path = folder / f"{code}.xlsx"
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def second_run(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("second_config")
    config, inputs, outputs = base / "config", base / "inputs", base / "outputs"
    for folder in (config, inputs):
        folder.mkdir()
    (config / "plan.toml").write_text(PLAN_TOML, encoding="utf-8")
    (config / "units.csv").write_text(UNITS_CSV, encoding="utf-8")
    plan = load_plan(config)
    assert plan is not load_plan()
    template = write_template(outputs / "template", plan)
    assert template.name == TEMPLATE
    for code in UNITS:
        _fill_return(template, code, inputs, plan)
    assert run_report(inputs, outputs, plan=plan) == 0
    return outputs


def _texts(outputs: Path) -> dict[str, str]:
    """Every output as the text a person reads: CSV, xlsx cells, HTML, docx, notes."""
    out = {}
    for path in outputs.rglob("*"):
        if path.suffix in (".csv", ".html", ".txt", ".md", ".svg"):
            out[str(path)] = path.read_text(encoding="utf-8-sig")
        elif path.suffix == ".xlsx":
            wb = load_workbook(path, read_only=True)
            cells = [ws.title for ws in wb.worksheets]
            for ws in wb.worksheets:
                cells += [str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None]
            out[str(path)] = "\n".join(cells + [str(wb.properties.creator), str(wb.properties.title)])
            wb.close()
        elif path.suffix == ".docx":
            with zipfile.ZipFile(path) as z:
                xml = " ".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
            out[str(path)] = re.sub(r"<[^>]+>", "", xml)
    return out


def test_no_word_of_the_first_town_in_any_output(second_run):
    texts = _texts(second_run)
    kinds = {Path(p).suffix for p in texts}
    assert {".csv", ".xlsx", ".html", ".docx"} <= kinds
    for path, text in texts.items():
        folded = unicodedata.normalize("NFC", text).casefold()
        found = [w for w in FORBIDDEN if w in folded]
        assert not found, (path, found)


def test_the_report_speaks_of_the_new_town(second_run):
    import docx

    doc = docx.Document(second_run / "Du_thao_bao_cao_so_ket.docx")
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "HUYỆN TÂN HÒA" in cells and "Tân Hòa, ngày" in cells and "năm 2024" in cells
    assert "Sở Nội vụ tỉnh Bắc Thành (b/c);" in cells and "Trần Văn Bình" in cells
    assert "Hướng dẫn số 88/SNV" in text and "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ GIAI ĐOẠN 2024 – 2026" in text
    assert "Từ năm 2021 đến 6 tháng đầu năm 2024" in text and "Toàn huyện có 2 mô hình" in text
    assert "1 mô hình được cấp có thẩm quyền (từ cấp huyện trở lên) công nhận" in text
    assert "Có 2/3 cơ quan, đơn vị, địa phương gửi báo cáo" in text


def test_the_tables_follow_the_new_plan(second_run):
    subs = pd.read_csv(second_run / "submissions.csv", encoding="utf-8-sig")
    assert dict(zip(subs.unit_code, subs.status)) == {"xa_dong": "on_time", "xa_tay": "missing", "phong_vh": "on_time"}
    issues = pd.read_csv(second_run / "issues.csv", encoding="utf-8-sig")
    assert issues[issues.severity == "error"].empty, issues.message.tolist()
    content = pd.read_parquet(second_run / "data" / "aggregates" / "content_by_area.parquet")
    town = content[(content.scope_kind == "town") & (content.period_code == "ALL")]
    assert list(town.content_area_code) == ["A1", "A2", "A3", "A4"] and (town.activities == 2 * 4 * 5).all()
    impact = pd.read_parquet(second_run / "data" / "aggregates" / "impact_summary.parquet").set_index(
        ["scope", "indicator_code"])
    assert impact.loc[("Toàn huyện", "satisfaction_pct"), "mean"] == pytest.approx(92.0)
    assert impact.loc[("Toàn huyện", "on_time_procedures_pct"), "units_reporting"] == 1
    assert impact.loc[("Cơ quan, đơn vị huyện", "hcm_exemplars"), "total"] == 5
    verdicts = pd.read_parquet(second_run / "data" / "award_verdicts.parquet")
    c = verdicts[verdicts.criterion == "c"].set_index("unit_code").verdict
    assert c.to_dict() == {"xa_dong": "met", "phong_vh": "not_met"}  # recognised, not yet replicated: met
    classification = pd.read_parquet(second_run / "data" / "classification.parquet")
    assert sorted(classification.classification_year.unique()) == [2021, 2022, 2023]
    wb = load_workbook(second_run / "Tong_hop_so_ket_Dan_van_kheo.xlsx", read_only=True)
    assert "HUYỆN TÂN HÒA" in str(next(wb["1. Tổng quan"].iter_rows(values_only=True))[0])
