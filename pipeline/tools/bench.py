"""`make bench`: reading + validation against a python-calamine-only baseline.

Both run side by side in fresh subprocesses on the same N synthetic returns
(demo returns re-labelled as N distinct units of a synthetic registry), several
times in alternation; the medians are printed as ratios. No timing is asserted
anywhere: machines are shared and noisy, ratios are what we track.
"""
from __future__ import annotations

import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from pipeline.config import CONFIG_DIR, load_plan

DEFAULT_RETURNS = int(os.environ.get("N", 300))
REPEATS = int(os.environ.get("REPEATS", 3))

_BASELINE = r"""
import io, json, resource, sys, time
from pathlib import Path
import python_calamine as c
t = time.perf_counter()
cells = 0
for f in sorted(Path(sys.argv[1]).glob("*.xlsx")):
    wb = c.CalamineWorkbook.from_filelike(io.BytesIO(f.read_bytes()))
    for name in wb.sheet_names:
        cells += sum(len(r) for r in wb.get_sheet_by_name(name).to_python(skip_empty_area=False))
    wb.close()
print(json.dumps({"seconds": time.perf_counter() - t, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "cells": cells}))
"""

_PIPELINE = r"""
import json, resource, sys, time
from pathlib import Path
t0 = time.perf_counter()
from pipeline.config import load_plan
from pipeline.check import read_and_check as read_and_validate
plan = load_plan()
t = time.perf_counter()
checked = read_and_validate(Path(sys.argv[1]), plan)
rows = int(checked.counts["rows_read"].sum())
print(json.dumps({"seconds": time.perf_counter() - t, "import_seconds": t - t0,
                  "rss_mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024,
                  "rows": rows, "accepted": int(checked.files["status"].str.startswith("accepted").sum())}))
"""


def _synthetic(n: int, work: Path) -> tuple[Path, Path]:
    """N returns of N distinct synthetic units, and a config folder registering them."""
    from pipeline.tools.demo import write_demo

    demo = write_demo(work / "demo")
    plan = load_plan()
    sources = sorted(demo.glob("*.xlsx"))
    names = {u.unit_code: u.unit_name for u in plan.units}
    returns = work / "returns"
    returns.mkdir()
    config = work / "config"
    config.mkdir()
    shutil.copy(CONFIG_DIR / "plan.toml", config / "plan.toml")
    with (config / "units.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["unit_code", "unit_name", "unit_type", "unit_group", "aliases"])
        for i in range(n):
            w.writerow([f"u{i:05d}", f"UBND xã Thử Nghiệm {i:05d}", "Xã", "Xã, phường", ""])
    for i in range(n):
        src = sources[i % len(sources)]
        old = names[src.name.replace("_bao_cao_so_ket.xlsx", "")]
        _relabel(src, returns / f"u{i:05d}.xlsx", old, f"UBND xã Thử Nghiệm {i:05d}")
    return returns, config


def _relabel(src: Path, dst: Path, old: str, new: str) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename.startswith("xl/") and item.filename.endswith(".xml"):
                for enc in (lambda t: t.encode(), lambda t: t.encode("ascii", "xmlcharrefreplace")):
                    data = data.replace(b">" + enc(old) + b"<", b">" + enc(new) + b"<")
            zout.writestr(item, data)


def _measure(code: str, folder: Path, env: dict) -> dict:
    out = subprocess.run([sys.executable, "-c", code, str(folder)], capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_bench(outputs: Path, n: int | None = None) -> int:
    n = n or DEFAULT_RETURNS
    with tempfile.TemporaryDirectory(prefix="dvk-bench-") as tmp:
        work = Path(tmp)
        print(f"Tạo {n} báo cáo thử nghiệm...", flush=True)
        returns, config = _synthetic(n, work)
        env = dict(os.environ, DVK_CONFIG_DIR=str(config))
        base, mine = [], []
        for r in range(REPEATS):
            base.append(_measure(_BASELINE, returns, env))
            mine.append(_measure(_PIPELINE, returns, env))
            print(f"  lượt {r + 1}/{REPEATS}: calamine {base[-1]['seconds']:.2f}s, "
                  f"pipeline {mine[-1]['seconds']:.2f}s", flush=True)
    b_s = statistics.median(x["seconds"] for x in base)
    m_s = statistics.median(x["seconds"] for x in mine)
    b_m = statistics.median(x["rss_mb"] for x in base)
    m_m = statistics.median(x["rss_mb"] for x in mine)
    result = {
        "returns": n, "repeats": REPEATS,
        "baseline_seconds": round(b_s, 3), "pipeline_seconds": round(m_s, 3), "time_ratio": round(m_s / b_s, 2),
        "baseline_peak_mb": round(b_m, 1), "pipeline_peak_mb": round(m_m, 1), "memory_ratio": round(m_m / b_m, 2),
        "rows_validated": mine[0]["rows"], "files_accepted": mine[0]["accepted"],
        "pipeline_import_seconds": round(statistics.median(x["import_seconds"] for x in mine), 2),
    }
    print()
    print(f"Số báo cáo: {n} (mỗi phép đo lặp {REPEATS} lần, lấy trung vị)")
    print(f"  Chỉ đọc bằng python-calamine : {b_s:8.2f} s   bộ nhớ đỉnh {b_m:7.1f} MB")
    print(f"  Đọc + chuẩn hóa + kiểm tra   : {m_s:8.2f} s   bộ nhớ đỉnh {m_m:7.1f} MB")
    print(f"  Tỷ lệ thời gian: {m_s / b_s:.2f}×   tỷ lệ bộ nhớ: {m_m / b_m:.2f}×   "
          f"({mine[0]['rows']} dòng, {mine[0]['accepted']} tệp được nhận)")
    outputs.mkdir(parents=True, exist_ok=True)
    (outputs / "bench.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0
