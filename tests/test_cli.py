"""`make report` and `dvk check` as a user runs them."""
from __future__ import annotations

import errno
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import cli
from pipeline.files import RunInProgress

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


# -- in this process: what each failure says, and the commands that only write one thing -----------------------

@pytest.mark.parametrize("exc, says", [
    (PermissionError(errno.EACCES, "denied", "/srv/outputs"), "không có quyền ghi vào “/srv/outputs”"),
    (NotADirectoryError(errno.ENOTDIR, "not a dir", "/srv/outputs"), "“/srv/outputs” là một tệp, không phải thư mục"),
    (FileExistsError(errno.EEXIST, "exists", "/srv/outputs"), "“/srv/outputs” là một tệp, không phải thư mục"),
    (OSError(errno.ENOSPC, "No space left on device"), "ổ đĩa đã hết dung lượng"),
    (OSError(errno.EIO, "I/O error"), "lỗi chương trình (OSError)"),
    (RunInProgress("/srv/outputs"), "đang có một lần chạy khác ghi vào “/srv/outputs”"),
    (ModuleNotFoundError("No module named 'docx'", name="docx"), "không nạp được thư viện “docx”"),
    (MemoryError(), "máy không đủ bộ nhớ"),
    (KeyError("x"), "lỗi chương trình (KeyError); chạy lại với DVK_DEBUG=1"),
])
def test_a_run_that_cannot_finish_says_why_in_one_sentence(monkeypatch, capsys, exc, says):
    def fail(*_args, **_kw):
        raise exc

    monkeypatch.delenv("DVK_DEBUG", raising=False)
    monkeypatch.setattr("pipeline.run.run_report", fail)
    assert cli.main(["report"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("Không thể tạo kết quả") and says in err and "\n" not in err, err


def test_ctrl_c_stops_quietly_and_dvk_debug_shows_the_error(monkeypatch, capsys):
    def interrupted(*_args, **_kw):
        raise KeyboardInterrupt

    monkeypatch.setattr("pipeline.run.run_report", interrupted)
    assert cli.main(["report"]) == 130
    assert capsys.readouterr().err.strip() == "Đã dừng theo yêu cầu của người dùng."
    monkeypatch.setattr("pipeline.run.run_report", lambda *a, **k: {}["missing"])
    monkeypatch.setenv("DVK_DEBUG", "1")
    with pytest.raises(KeyError):
        cli.main(["report"])


def test_template_and_demo_commands_write_what_they_say(tmp_path, capsys):
    assert cli.main(["--outputs", str(tmp_path), "template"]) == 0
    (template,) = (tmp_path / "template").glob("*.xlsx")
    assert f"Đã tạo mẫu báo cáo: {template}" in capsys.readouterr().out
    assert cli.main(["--outputs", str(tmp_path), "demo", "--seed", "7"]) == 0
    assert "Đã tạo báo cáo mẫu của các đơn vị trong:" in capsys.readouterr().out
    assert len(list((tmp_path / "demo" / "returns").glob("*.xlsx"))) >= 15


def test_bench_takes_the_number_of_returns(monkeypatch, tmp_path):
    asked = []
    monkeypatch.setattr("pipeline.tools.bench.run_bench", lambda outputs, n: asked.append((outputs, n)) or 0)
    assert cli.main(["--outputs", str(tmp_path), "bench", "--returns", "12"]) == 0
    assert asked == [(tmp_path, 12)]
