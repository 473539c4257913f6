"""A return typed with a ".VnTime" font (the ABC input method, TCVN3): each Vietnamese letter is stored as a
Latin-1 sign, so any other font shows "D©n vËn khÐo" for "Dân vận khéo". Offices that kept their old fonts
still send such returns. The texts are encoded here by glibc's own TCVN5712-1 converter (`iconv`), not by the
pipeline, and the test checks what the analyst gets: the Unicode text, the unit identified, the values read."""
from __future__ import annotations

import subprocess

from openpyxl import load_workbook

from pipeline.check import read_and_check
from pipeline.config import load_plan
from schemas import sheet_spec

PLAN = load_plan()
BASE = "pho_van_bao_cao_so_ket.xlsx"
INFO, MODELS, RESULTS = (sheet_spec(n) for n in ("unit_info", "models", "content_results"))


def _iconv(text: str, source: str, target: str) -> bytes:
    return subprocess.run(["iconv", "-f", source, "-t", target], input=text.encode("utf-8" if source == "UTF-8" else
                          "latin-1"), capture_output=True, check=True).stdout


def tcvn3(text: str) -> tuple[str, str]:
    """`text` as a ".VnTime" font stores it (read back as Latin-1 signs), and the Unicode text those bytes are
    (signs TCVN3 has no byte for, such as curly quotes, transliterated by iconv)."""
    stored = _iconv(text, "UTF-8", "TCVN5712-1//TRANSLIT")
    return stored.decode("latin-1"), _iconv(stored.decode("latin-1"), "TCVN5712-1", "UTF-8").decode("utf-8")


def test_a_return_typed_in_tcvn3_is_read_as_the_unicode_text_the_clerk_saw(tmp_path, demo_dir):
    wb = load_workbook(demo_dir / "returns" / BASE)
    models = wb[MODELS.sheet]
    rows = [i for i in range(MODELS.n_data_rows) if models[MODELS.cell(i, "model_name")].value]
    expected_names, cells = [], {}
    for i in rows:
        stored, shown = tcvn3(models[MODELS.cell(i, "model_name")].value.lower())   # no capitals with a tone
        models[MODELS.cell(i, "model_name")] = stored
        expected_names.append(shown)
        cells[MODELS.cell(i, "model_name")] = stored
    unit, _ = tcvn3("UBND xã Phổ Văn")
    wb[INFO.sheet][INFO.cell(0, "unit_name")] = unit
    reporter, reporter_shown = tcvn3("Nguyễn Thị Thu Hường")
    wb[INFO.sheet][INFO.cell(0, "reporter_name")] = reporter
    wb[MODELS.sheet][MODELS.cell(rows[0], "is_replicated")] = tcvn3("Có")[0]        # "Cã": no sign of TCVN3 in it
    wb[RESULTS.sheet][RESULTS.cell(0, "self_assessment")] = tcvn3("Tốt")[0]        # "Tèt"
    wb.save(tmp_path / BASE)
    assert unit != "UBND xã Phổ Văn" and tcvn3("Có")[0] == "Cã"

    checked = read_and_check(tmp_path, PLAN)
    assert checked.files["unit_code"].tolist() == ["pho_van"]
    assert checked.tables["models"].sort_values("excel_row")["model_name"].tolist() == expected_names
    assert checked.tables["unit_info"]["reporter_name"].tolist() == [reporter_shown]
    first = checked.tables["models"].sort_values("excel_row").iloc[0]
    assert bool(first["is_replicated"]) is True
    assert checked.tables["content_results"].sort_values("excel_row").iloc[0]["self_assessment"] == "Tốt"
    assert checked.issues["severity"].eq("error").sum() == 0, checked.issues[["cell", "rule", "message"]]
    told = checked.issues[checked.issues["rule"] == "text.tcvn3"]
    assert sorted(told["sheet"]) == sorted([INFO.sheet, MODELS.sheet]) and set(told["severity"]) == {"warning"}
    on_models = told[told["sheet"] == MODELS.sheet].iloc[0]
    assert f"{len(rows)} ô" in on_models["message"] and f"“{expected_names[0]}”" in on_models["message"]


def test_unicode_text_holding_the_signs_tcvn3_uses_is_never_converted(tmp_path, demo_dir):
    """Quotes, ©, a multiplication sign, a soft hyphen, a German name: text in Unicode that holds the Latin-1 signs
    TCVN3 uses for letters is read as typed."""
    typed = ["Mô hình «Dân vận khéo» năm 2021", "Mo hinh «Dan van kheo»", "Tổ tự quản 3×4", "Công ty ABC® tài trợ",
             "Chương trình Müller – Đức", "Dân\u00advận"]
    wb = load_workbook(demo_dir / "returns" / BASE)
    models = wb[MODELS.sheet]
    rows = [i for i in range(MODELS.n_data_rows) if models[MODELS.cell(i, "model_name")].value][:len(typed)]
    for i, text in zip(rows, typed):
        models[MODELS.cell(i, "model_name")] = text
    wb.save(tmp_path / BASE)
    checked = read_and_check(tmp_path, PLAN)
    names = checked.tables["models"].sort_values("excel_row")["model_name"].tolist()
    assert names[:len(rows)] == [t.replace("\u00ad", "") for t in typed[:len(rows)]]
    assert "text.tcvn3" not in checked.issues["rule"].tolist()
