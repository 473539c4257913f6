"""Every loose reading names itself: issues.csv `read_by`, and "đọc theo: …" in the message the unit reads."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from pipeline import reading
from pipeline.check import values as V
from pipeline.matching import Choices

ROOT = Path(__file__).resolve().parents[2]
LEVELS = ["Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ", "Không hoàn thành nhiệm vụ"]
PERIODS = {(2021, 1, 12): "Năm 2021", (2023, 1, 6): "6 tháng đầu năm 2023"}


@pytest.mark.parametrize("typed,read_by", [
    ("HTXS", "initials"), ("ND2", "code"), ("Nội dung 2", "spelled_code"), ("Xuất sắc", "part_of_label"),
    ("Hoàn thàn tốt nhiệm vụ", "typo"), ("HTXSNV (95 điểm)", "remark"), ("Xếp loại: HTXSNV", "lead_in"),
    ("T1-T6/2023", "months"),
])
def test_a_list_value_read_loosely_names_its_reading(typed, read_by):
    choices = Choices(LEVELS + ["2. Cải cách hành chính"], codes=["HT1", "HT2", "HT3", "HT4", "ND2"],
                      lead_ins=frozenset({"xep", "loai"}), spans=PERIODS if read_by == "months" else None)
    if read_by == "months":
        choices = Choices(list(PERIODS.values()), spans=PERIODS)
    label, found = choices.match(typed)
    assert label is not None and found.rule == "choice.assumed" and found.read_by == read_by, (label, found)


@pytest.mark.parametrize("parse,typed,read_by", [
    (V.parse_int, "Tổng số: 25", "lead_words"), (V.parse_int, "120 150", "spaced_number"),
    (V.parse_int, "-", "none_is_zero"), (V.parse_int, "25 (trong đó 20 CBCC)", "total_with_breakdown"),
    (V.parse_int, "khoảng 25", "approximate"), (V.parse_int, "20 + 5", "parts_added"),
    (V.parse_year, "21", "short_year"), (V.parse_year, "2020 - 2023", "year_in_text"),
    (V.parse_date, "45091", "excel_serial"), (V.parse_date, "06/14/2023", "month_first"),
    (V.parse_yes_no, "-", "dash_is_no"), (V.parse_yes_no, "Có - đạt HTXS 3 năm", "answer_then_reason"),
])
def test_a_value_read_under_an_assumption_names_its_reading(parse, typed, read_by):
    value, found = parse(typed)
    assert value is not None and found.rule == "value.assumed" and found.read_by == read_by


def test_the_message_says_which_reading_read_the_cell(tmp_path, demo_dir, plan):
    from openpyxl import load_workbook

    from pipeline.check import read_and_check

    wb = load_workbook(demo_dir / "returns" / "pho_an_bao_cao_so_ket.xlsx")
    lead = wb["2. Lãnh đạo, chỉ đạo"]
    lead["B4"] = "khoảng 25"
    wb.save(tmp_path / "pho_an.xlsx")
    issues = read_and_check(tmp_path, plan).issues
    row = issues[(issues["cell"] == "B4") & (issues["rule"] == "value.assumed")].iloc[0]
    assert (row["read_by"], row["read_by_label"]) == ("approximate", reading.label("approximate"))
    assert f"(đọc theo: {reading.label('approximate')})" in row["message"]


def test_every_declared_reading_is_used_and_every_used_reading_is_declared():
    used = set()
    for path in (ROOT / "pipeline").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "assumed" and len(node.args) >= 2:
                if isinstance(node.args[1], ast.Constant):
                    used.add(node.args[1].value)
            if isinstance(node, ast.Tuple) and len(node.elts) == 2:   # (reading, method) and (found, reading) pairs
                used |= {e.value for e in node.elts if isinstance(e, ast.Constant) and e.value in reading.READINGS}
    used |= {"code", "alias", "initials", "year_in_text", "answer_then_reason", "tcvn3"}   # chosen by a variable
    assert used <= set(reading.READINGS), used - set(reading.READINGS)
    assert set(reading.READINGS) <= used, set(reading.READINGS) - used


def test_the_catalogue_in_docs_is_generated_from_the_readings():
    assert (ROOT / "docs" / "readings.md").read_text(encoding="utf-8") == reading.catalogue()
