"""Whole runs as an office makes them: repeated, traced, interrupted, crashing, incremental (issue 13)."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from pipeline import messages as msg
from pipeline.tools.compare import differences

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def inputs(demo_dir, tmp_path_factory) -> Path:
    """Eight of the demo returns as an office's inputs/ folder (fixed bytes for the whole module). What these runs
    test (reuse, traces, kills, crashes) does not grow with the returns, and each of the ~20 runs here is ~3 s
    shorter than on all 28; cut in chunks of at most four, one changed return still leaves others unread."""
    folder = tmp_path_factory.mktemp("inputs")
    for path in sorted((demo_dir / "returns").glob("*.xlsx"))[:8]:
        shutil.copy2(path, folder / path.name)
    return folder


def _report(inputs: Path, outputs: Path, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("DVK_DEBUG", "JOBS")} | env
    return subprocess.run([sys.executable, "-m", "pipeline", "--inputs", str(inputs), "--outputs", str(outputs),
                           "report"], capture_output=True, text=True, cwd=ROOT, env=environment, timeout=900)


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.relative_to(folder).parts[0].startswith(".")}


def test_two_runs_give_identical_tables_and_a_manifest_traces_every_input(inputs, finished, tmp_path):
    first, second = finished, tmp_path / "b"               # one process (the module's finished run), and two
    assert _report(inputs, second, JOBS="2").returncode == 0
    problems, notes = differences(first, second)
    assert not problems and not notes, (problems, notes)
    manifest = json.loads((first / "manifest.json").read_text(encoding="utf-8"))
    assert {"run_started", "package_version", "template_version", "config_digest", "inputs"} <= set(manifest)
    on_disk = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in inputs.iterdir()}
    assert {i["file"]: i["sha256"] for i in manifest["inputs"]} == on_disk


def test_a_worker_that_dies_on_one_file_costs_that_file_only(inputs, tmp_path):
    victim = sorted(p.name for p in inputs.iterdir())[3]
    out = tmp_path / "out"
    result = _report(inputs, out, JOBS="2", DVK_FAULT_FILE=victim)
    assert result.returncode == 0, result.stderr
    files = pd.read_csv(out / "files.csv", encoding="utf-8-sig").set_index("file")
    assert files.at[victim, "status"] == "rejected" and files.at[victim, "reason"] == msg.FILE_INTERNAL_ERROR
    others = files.drop(index=victim)
    assert others["status"].isin(["accepted", "accepted_with_errors"]).all()
    assert victim in (out / "logs" / "errors.log").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def finished(inputs, tmp_path_factory) -> Path:
    """The outputs of one finished run over `inputs`: what a killed run must leave as it found."""
    out = tmp_path_factory.mktemp("finished") / "out"
    assert _report(inputs, out, JOBS="1").returncode == 0
    return out


@pytest.mark.parametrize("after", [1.0, 6.0])
def test_a_run_killed_at_any_moment_leaves_the_previous_outputs(inputs, finished, tmp_path, after):
    out = tmp_path / "out"
    shutil.copytree(finished, out, copy_function=shutil.copy2)
    before = _digest(out)
    (inputs.parent / "changed").mkdir(exist_ok=True)
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "--inputs", str(inputs), "--outputs", str(out),
                             "report"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={k: v for k, v in os.environ.items() if k != "JOBS"} | {"JOBS": "1"})
    time.sleep(after)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    if not (out / ".commit.json").exists():   # killed before replacing (the old outputs) or after (the new ones)
        now = _digest(out)
        if now["manifest.json"] == before["manifest.json"]:
            assert now == before
        else:
            assert now.keys() == before.keys()
    assert _report(inputs, out, JOBS="1").returncode == 0   # the next run finishes or undoes what was left
    assert not list(out.glob(".staging-*")) and not list(out.glob(".trash-*")) and not (out / ".commit.json").exists()
    assert _digest(out).keys() == before.keys()


def _counting(monkeypatch) -> list[str]:
    from pipeline.check import batch

    read = []
    real = batch.read_workbook

    def counted(src, plan):
        read.append(src.file)
        return real(src, plan)

    monkeypatch.setattr(batch, "read_workbook", counted)
    return read


def test_an_unchanged_second_run_reads_no_return_again(inputs, finished, tmp_path, monkeypatch):
    from pipeline.run import run_report

    folder = tmp_path / "in"
    shutil.copytree(inputs, folder)                  # the same names, bytes and times as the finished run's
    out = tmp_path / "out"
    shutil.copytree(finished, out, copy_function=shutil.copy2)
    read = _counting(monkeypatch)
    first = _digest(out)
    drawn = _report_inodes(out)
    assert run_report(folder, out, jobs=1) == 0
    assert read == []
    assert not differences(out, out)[0] and _digest(out) == first | {"manifest.json": _digest(out)["manifest.json"]}
    assert _report_inodes(out) == drawn     # the same tables: the report outputs are the previous ones, not redrawn
    changed = sorted(folder.iterdir())[5]
    data = changed.read_bytes()
    changed.write_bytes(data + b"\0")   # different bytes (a zip with trailing junk still reads)
    read.clear()
    assert run_report(folder, out, jobs=1) == 0
    assert changed.name in read and len(read) < len(list(folder.iterdir()))
    assert not set(_report_inodes(out).items()) & set(drawn.items())   # a new input sha256: drawn again


@pytest.mark.parametrize("n", [3, 12, 28, 100, 1500])
def test_one_changed_return_is_checked_again_with_a_few_others_whatever_the_day(n, plan, tmp_path, monkeypatch):
    # The cache keys hold the day of the run: on no day may one changed return make every return be read again.
    import random

    from pipeline.check import batch
    from pipeline.read.sources import SourceFile

    checked = []

    def fake_check(part, keys):   # what reading and checking a chunk costs: every file in it
        checked.extend(s.file for s in part)
        return batch.ChunkResult(part, {}, [], pd.DataFrame(columns=batch.COUNT_COLUMNS))

    monkeypatch.setattr(batch, "check_chunk", fake_check)
    monkeypatch.setattr(batch, "_assemble", lambda *a: None)
    rng = random.Random(n)
    names = sorted(f"{rng.getrandbits(40):010x}_bao_cao.xlsx" for _ in range(n))
    for day in range(40):
        monkeypatch.setenv("DVK_TODAY", f"2026-{1 + day // 28:02}-{1 + day % 28:02}")
        files = {name: f"{rng.getrandbits(256):064x}" for name in names}
        cache = tmp_path / str(day)
        for changed in (None, rng.choice(names)):
            if changed:
                files[changed] = f"{rng.getrandbits(256):064x}"
            checked.clear()
            batch.check_files([SourceFile(f, "xlsx", sha256=h) for f, h in files.items()], plan, cache=cache)
            if changed is None:
                assert sorted(checked) == names                     # the first run checks each return once
            else:
                assert changed in checked and len(checked) < n, (day, len(checked))


def test_an_unchanged_run_reuses_every_output_and_anything_changed_makes_them_again(inputs, finished, tmp_path,
                                                                                    monkeypatch):
    import pipeline.run as run
    from pipeline import reuse

    folder, out = tmp_path / "in", tmp_path / "out"
    shutil.copytree(inputs, folder)
    made = []
    real = run.summarise
    monkeypatch.setattr(run, "summarise", lambda *a: made.append(1) or real(*a))

    def inodes() -> dict[str, int]:
        return {p.relative_to(out).as_posix(): p.stat().st_ino for p in sorted(out.rglob("*"))
                if p.is_file() and not p.relative_to(out).parts[0].startswith(".") and p.name != "manifest.json"}

    def manifest() -> dict:
        return json.loads((out / "manifest.json").read_text(encoding="utf-8"))

    shutil.copytree(finished, out, copy_function=shutil.copy2)      # a finished run over the same returns
    first, files, traced = _digest(out), inodes(), manifest()
    assert len(files) > len(list(folder.iterdir()))   # feedback workbooks, tables, data, report outputs
    assert run.run_report(folder, out, jobs=1) == 0
    assert made == [] and inodes() == files           # nothing checked, tidied or aggregated: the same files
    assert manifest()["inputs"] == traced["inputs"] and manifest()[reuse.RUN_KEY] == traced[reuse.RUN_KEY]
    assert _digest(out) == first | {"manifest.json": _digest(out)["manifest.json"]}

    (out / "files.csv").write_text("sửa tay", encoding="utf-8")     # an analyst edits an output
    assert run.run_report(folder, out, jobs=1) == 0 and len(made) == 1
    assert _digest(out)["files.csv"] == first["files.csv"]
    victim = sorted((out / "feedback").iterdir())[0]
    victim.unlink()                                                    # or deletes one
    assert run.run_report(folder, out, jobs=1) == 0 and len(made) == 2 and victim.exists()
    monkeypatch.setenv("DVK_TODAY", "2023-07-01")                      # another day (lateness is counted to it)
    assert run.run_report(folder, out, jobs=1) == 0 and len(made) == 3
    monkeypatch.setattr(reuse, "code_digest", lambda: b"changed code")  # a new version of the code
    assert run.run_report(folder, out, jobs=1) == 0 and len(made) == 4
    assert run.run_report(folder, out, jobs=1) == 0 and len(made) == 4
    os.utime(sorted(folder.iterdir())[3], (1, 1))                    # a return saved at another time
    assert run.run_report(folder, out, jobs=1) == 0 and len(made) == 5


def _report_inodes(out: Path) -> dict[str, int]:
    """The report outputs (workbook, docx, report.html, charts, tables) by path, with their inode numbers."""
    from pipeline import publish

    names = [publish.WORKBOOK, publish.DOCX, publish.REPORT_HTML, "charts", "tables"]
    paths = [p for n in names for p in ([out / n] if (out / n).is_file() else sorted((out / n).rglob("*")))]
    assert len(paths) > 5
    return {p.relative_to(out).as_posix(): p.stat().st_ino for p in paths}


def test_a_config_change_reads_again_but_a_ranking_weight_does_not(inputs, finished, tmp_path, monkeypatch):
    from pipeline.config import load_plan
    from pipeline.run import run_report

    config = tmp_path / "config"
    shutil.copytree(ROOT / "config", config)
    monkeypatch.setenv("DVK_CONFIG_DIR", str(config))
    load_plan.cache_clear()
    out = tmp_path / "out"
    shutil.copytree(finished, out, copy_function=shutil.copy2)      # made with the same config, as a copy
    read = _counting(monkeypatch)
    try:
        assert run_report(inputs, out, jobs=1) == 0
        assert read == []                       # the same config in another folder: nothing is read again
        ranking_before = pd.read_parquet(out / "data" / "award_ranking.parquet")
        plan_text = (config / "plan.toml").read_text(encoding="utf-8")
        (config / "plan.toml").write_text(plan_text.replace("points_per_htxs_year = 5", "points_per_htxs_year = 50"),
                                          encoding="utf-8")
        load_plan.cache_clear()
        read.clear()
        drawn = _report_inodes(out)
        assert run_report(inputs, out, jobs=1) == 0
        assert read == []                       # only the ranking changed: nothing is read again
        ranking_after = pd.read_parquet(out / "data" / "award_ranking.parquet")
        assert (ranking_after["classification_points"] == 10 * ranking_before["classification_points"]).all()
        assert not set(_report_inodes(out).items()) & set(drawn.items())   # the report is drawn with the new ranking
        (config / "plan.toml").write_text(plan_text.replace("deadline = 2023-06-15", "deadline = 2023-06-20"),
                                          encoding="utf-8")
        load_plan.cache_clear()
        read.clear()
        assert run_report(inputs, out, jobs=1) == 0
        assert len(read) == len(list(inputs.iterdir()))
    finally:
        load_plan.cache_clear()


@pytest.mark.parametrize("months", ["[6, 1]", "[1, 13]", "[6]", '["1", "6"]'])
def test_a_period_with_impossible_months_in_config_stops_before_reading(inputs, tmp_path, monkeypatch, capsys, months):
    """`months` of a period that no calendar has is said in Vietnamese, naming the period, before any file is read."""
    from pipeline.config import load_plan
    from pipeline.run import run_report

    config = tmp_path / "config"
    shutil.copytree(ROOT / "config", config)
    text = (config / "plan.toml").read_text(encoding="utf-8")
    assert "months = [1, 6]" in text
    (config / "plan.toml").write_text(text.replace("months = [1, 6]", f"months = {months}"), encoding="utf-8")
    monkeypatch.setenv("DVK_CONFIG_DIR", str(config))
    load_plan.cache_clear()
    read = _counting(monkeypatch)
    try:
        assert run_report(inputs, tmp_path / "out", jobs=1) == 2
    finally:
        load_plan.cache_clear()
    err = capsys.readouterr().err
    assert "kỳ '6 tháng đầu năm 2023' có 'months' không hợp lệ" in err and "tệp cấu hình có lỗi" in err
    assert read == [] and not (tmp_path / "out" / "manifest.json").exists()
