"""`make report` and `dvk check` as a user runs them."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*args, cwd=ROOT):
    env = {k: v for k, v in os.environ.items() if k != "DVK_DEBUG"}
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=600)


def test_report_on_empty_inputs_runs_the_demo_without_traceback(tmp_path):
    inputs, outputs = tmp_path / "inputs", tmp_path / "outputs"
    inputs.mkdir()
    result = _run("--inputs", str(inputs), "--outputs", str(outputs), "report")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "DỮ LIỆU MẪU" in result.stdout
    for name in ("files.csv", "submissions.csv", "issues.csv"):
        assert (outputs / name).exists()
    assert not list(outputs.glob(".staging-*"))


def test_report_never_changes_inputs(tmp_path, demo_dir):
    inputs, outputs = tmp_path / "inputs", tmp_path / "outputs"
    inputs.mkdir()
    for p in list((demo_dir / "returns").glob("*.xlsx"))[:5]:
        (inputs / p.name).write_bytes(p.read_bytes())
    (inputs / "note.docx").write_bytes(b"not really a docx")
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in inputs.iterdir()}
    mtimes = {p.name: p.stat().st_mtime_ns for p in inputs.iterdir()}
    result = _run("--inputs", str(inputs), "--outputs", str(outputs), "report")
    assert result.returncode == 0, result.stderr
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in inputs.iterdir()} == before
    assert {p.name: p.stat().st_mtime_ns for p in inputs.iterdir()} == mtimes


def test_check_one_file_lists_its_problems(demo_dir):
    bad = demo_dir / "returns" / "pho_hoa_bao_cao_so_ket.xlsx"
    result = _run("check", str(bad))
    assert result.returncode == 1
    assert "B4" in result.stdout and "Môi trường" in result.stdout
    assert "Traceback" not in result.stderr


def test_check_missing_file_says_so_in_vietnamese(tmp_path):
    result = _run("check", str(tmp_path / "khong_co.xlsx"))
    assert result.returncode == 2
    assert "Không tìm thấy tệp" in result.stderr


def test_report_that_cannot_write_says_why_in_one_sentence(tmp_path):
    blocker = tmp_path / "outputs"
    blocker.write_text("một tệp chắn chỗ thư mục kết quả")
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    result = _run("--inputs", str(inputs), "--outputs", str(blocker), "report")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Không thể tạo kết quả vì"), result.stderr
    assert blocker.read_text() == "một tệp chắn chỗ thư mục kết quả"
