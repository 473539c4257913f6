"""The two most common changes need no code: a content area is a config change, a column a schema change.

Each test makes the change in a copy (a config folder, or a copy of the
project whose diff touches schemas/ only), then follows it from the template
that units fill to the summary workbook the office prints.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = "outputs/template/Mau_bao_cao_so_ket_Dan_van_kheo.xlsx"
WORKBOOK = "Tong_hop_so_ket_Dan_van_kheo.xlsx"
UNIT = "UBND xã Phổ An"


def _pipeline(args: list[str], cwd: Path, env: dict) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd, env=env, capture_output=True,
                            text=True, timeout=900)
    assert result.returncode == 0, result.stderr
    return result


def _find(ws, text: str) -> tuple[int, int]:
    """(row, column) of the first cell holding exactly `text`."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == text:
                return cell.row, cell.column
    raise AssertionError(f"“{text}” not found in {ws.title}")


def _fill_unit(wb, date: str = "10/06/2023") -> None:
    ws = wb["1. Thông tin đơn vị"]
    ws["B4"], ws["B9"] = UNIT, date


def test_a_new_content_area_is_a_config_change(tmp_path):
    config = tmp_path / "config"
    shutil.copytree(ROOT / "config", config)
    area = "7. Chuyển đổi số"
    with (config / "plan.toml").open("a", encoding="utf-8") as fh:
        fh.write(f'\n[[content_areas]]\ncode = "ND7"\nlabel = "{area}"\ndescription = "Chuyển đổi số, dịch vụ số"\n')
    env = {**os.environ, "DVK_CONFIG_DIR": str(config)}
    out, inputs = tmp_path / "outputs", tmp_path / "inputs"
    _pipeline(["--outputs", str(out), "template"], ROOT, env)
    wb = load_workbook(out / "template" / Path(TEMPLATE).name)
    _fill_unit(wb)
    ws = wb["3. Kết quả nội dung thi đua"]
    row, _ = _find(ws, area)
    _hr, col = _find(ws, "Số hoạt động, phần việc đã thực hiện")
    for r in range(row, row + 4):  # the four periods of the new area
        ws.cell(r, col, 7)
    inputs.mkdir()
    wb.save(inputs / "pho_an.xlsx")
    _pipeline(["--inputs", str(inputs), "--outputs", str(out), "report"], ROOT, env)
    summary = load_workbook(out / WORKBOOK)["4. Nội dung thi đua"]
    r, c = _find(summary, area)
    _hr, total = _find(summary, "Tổng cộng")
    assert summary.cell(r, total).value == 28


def test_a_new_column_is_a_schema_change(tmp_path):
    project = tmp_path / "project"
    for part in ("pipeline", "schemas", "config"):
        shutil.copytree(ROOT / part, project / part, ignore=shutil.ignore_patterns("__pycache__", "web"))
    header = "Địa bàn thực hiện"
    sheets = project / "schemas" / "sheets.py"
    text = sheets.read_text(encoding="utf-8")
    anchor = '        effect: Series[str] = column("Hiệu quả", "Hiệu quả thực tế của mô hình.", TEXT, width=60)\n'
    assert anchor in text
    sheets.write_text(text.replace(anchor, anchor + f'        venue: Series[str] = column("{header}", "Thôn, tổ dân phố.", '
                                                    'TEXT, width=30)\n'), encoding="utf-8")
    tables = project / "schemas" / "tables.py"
    text = tables.read_text(encoding="utf-8")
    anchor = '    effect: Series[str] = _text("Hiệu quả thực tế")\n'
    assert anchor in text
    tables.write_text(text.replace(anchor, anchor + f'    venue: Series[str] = _text("{header}")\n'), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(project), "DVK_CONFIG_DIR": str(project / "config")}
    out, inputs = tmp_path / "outputs", tmp_path / "inputs"
    _pipeline(["--outputs", str(out), "template"], project, env)
    wb = load_workbook(out / "template" / Path(TEMPLATE).name)
    _fill_unit(wb)
    ws = wb["4. Mô hình Dân vận khéo"]
    values = {"Tên mô hình": "Mô hình thử", "Lĩnh vực": "Kinh tế", "Nội dung thi đua": "1. Dân vận chính quyền",
              "Tập thể hay cá nhân": "Tập thể", "Tập thể, cá nhân thực hiện": UNIT, "Năm bắt đầu": 2021,
              "Cấp công nhận": "Chưa được công nhận", "Đã nhân rộng": "Không", header: "Thôn Trung An"}
    for name, value in values.items():
        hr, col = _find(ws, name)
        ws.cell(hr + 1, col, value)
    inputs.mkdir()
    wb.save(inputs / "pho_an.xlsx")
    _pipeline(["--inputs", str(inputs), "--outputs", str(out), "report"], project, env)
    listing = load_workbook(out / WORKBOOK)["6. Danh sách mô hình"]
    hr, col = _find(listing, header)
    assert listing.cell(hr + 1, col).value == "Thôn Trung An"
