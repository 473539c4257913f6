"""`make bench`: speed and memory of the pipeline against the ways of reading returns it replaces.

On the same N generated returns (demo returns re-labelled as N distinct units
of a synthetic registry, kept under outputs/bench/), each contender runs in a
fresh process of its own and reports its own time and its own peak memory
(VmHWM of /proc/self/status, read by the child itself: a child inherits its
parent's peak RSS on Linux, so the parent's view would be wrong):

1. baseline:  pandas.read_excel(path, sheet_name=None, engine="openpyxl") of every return;
2. pandas.read_excel with engine="calamine";
3. floor:     python-calamine reading every sheet to Python values (best of three runs);
4. pipeline:  reading, checking, tidy tables and aggregates, with JOBS=1 and JOBS=cores;
   feedback:  the feedback copies of every return with a problem (write_feedback), and one return's copy with
              1,000, 10,000 and 100,000 problems (the cost must grow linearly);
5. report:    the full `make report` path with every output (JOBS=1 and JOBS=cores), then once more on
              unchanged inputs (the cache at work).

Printed as workbooks per second, seconds and peak MB, and as ratios; written to
outputs/bench/bench.json. Tests never assert timings: machines are shared.
"""
from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from pipeline.config import config_dir, load_plan
from pipeline.text import vn_number

DEFAULT_RETURNS = int(os.environ.get("N", 300))
REPEATS = int(os.environ.get("REPEATS", 1))
# The floor is cheap and the yardstick of three ratios: its best of three (a fast floor makes every ratio to it
# larger, never smaller), so one slow run of it on a shared machine does not flatter the pipeline (it swung 35 %).
FLOOR_REPEATS = 3
ISSUE_COUNTS = (1_000, 10_000, 100_000)   # one return's problems, for the feedback copy's growth (it must be linear)

_PEAK = r"""
def _peak_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024

def _workers_mb():
    # The largest peak of this process's finished children (checking workers, the second publishing
    # process). A forked child's peak counts the pages it shares with its parent too: an upper bound.
    import resource
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
"""

_NAIVE = _PEAK + r"""
import json, sys, time, warnings
from pathlib import Path
import pandas as pd
warnings.simplefilter("ignore")
files = sorted(Path(sys.argv[1]).glob("*.xlsx"))
t = time.perf_counter()
for f in files:
    pd.read_excel(f, sheet_name=None, engine=sys.argv[2], header=None)
print(json.dumps({"seconds": time.perf_counter() - t, "peak_mb": _peak_mb(), "n": len(files)}))
"""

_FLOOR = _PEAK + r"""
import io, json, sys, time
from pathlib import Path
import python_calamine as c
files = sorted(Path(sys.argv[1]).glob("*.xlsx"))
t = time.perf_counter()
cells = 0
for f in files:
    wb = c.CalamineWorkbook.from_filelike(io.BytesIO(f.read_bytes()))
    for name in wb.sheet_names:
        cells += sum(len(r) for r in wb.get_sheet_by_name(name).to_python(skip_empty_area=False))
    wb.close()
print(json.dumps({"seconds": time.perf_counter() - t, "peak_mb": _peak_mb(), "n": len(files), "cells": cells}))
"""

_PIPELINE = _PEAK + r"""
import json, sys, time
from pathlib import Path
from pipeline.check import check
from pipeline.config import load_plan
from pipeline.read.discover import discover
from pipeline.tidy import tidy
from pipeline.tidy.results import summarise
plan = load_plan()
t = time.perf_counter()
checked, _ = check(discover(Path(sys.argv[1]), plan), plan, jobs=int(sys.argv[2]))
checked, tables = tidy(checked, plan)
results = summarise(checked, tables, plan)
print(json.dumps({"seconds": time.perf_counter() - t, "peak_mb": _peak_mb(),
                  "n": int((checked.files["format"] != "zip").sum()),
                  "rows": int(sum(len(df) for df in checked.tables.values())), "workers_mb": _workers_mb()}))
"""

_FEEDBACK = _PEAK + r"""
import json, sys, tempfile, time
from pathlib import Path
from pipeline.check import read_and_check
from pipeline.check.feedback import feedback_bytes, write_feedback
from pipeline.check.feedback_xlsx import Listing, Mark, annotate
from pipeline.config import load_plan
plan = load_plan()
checked = read_and_check(Path(sys.argv[1]), plan)
with tempfile.TemporaryDirectory() as tmp:
    t = time.perf_counter()
    written = write_feedback(checked, Path(tmp), plan)
    seconds = time.perf_counter() - t
# One return with many problems on one sheet: the copy's cost as the issues grow (it must grow linearly).
data = sorted(Path(sys.argv[1]).glob("*.xlsx"))[0].read_bytes()
scaling = {}
for n in map(int, sys.argv[2:]):
    marks = [Mark("4. Mô hình Dân vận khéo", f"{chr(66 + i % 12)}{4 + i // 12}", "error", f"Lỗi {i}")
             for i in range(n)]
    rows = [(m.sheet, m.cell, m.message, "Lỗi", m.severity) for m in marks]
    t = time.perf_counter()
    annotate(data, marks, Listing("Danh sách lỗi", "T", "N", ("a", "b", "c", "d"), rows, "Cơ quan"))
    scaling[str(n)] = round(time.perf_counter() - t, 3)
print(json.dumps({"seconds": seconds, "peak_mb": _peak_mb(), "copies": len(written),
                  "issues": int(len(checked.issues)), "scaling": scaling}))
"""

_REPORT = _PEAK + r"""
import json, sys, time
from pathlib import Path
from pipeline.run import run_report
t = time.perf_counter()
rc = run_report(Path(sys.argv[1]), Path(sys.argv[3]), jobs=int(sys.argv[2]))
print(json.dumps({"seconds": time.perf_counter() - t, "peak_mb": _peak_mb(), "workers_mb": _workers_mb(), "rc": rc}))
"""


def synthetic(n: int, work: Path) -> tuple[Path, Path]:
    """N returns of N distinct synthetic units under `work`, and a config folder registering them."""
    from pipeline.tools.demo import write_demo

    returns, config = work / "returns", work / "config"
    if returns.is_dir() and len(list(returns.glob("*.xlsx"))) == n and (config / "units.csv").exists():
        shutil.copy(config_dir() / "plan.toml", config / "plan.toml")   # the plan as it is now
        return returns, config   # the same generated files as last time
    shutil.rmtree(work, ignore_errors=True)
    demo = write_demo(work / "demo")
    plan = load_plan()
    sources = sorted(demo.glob("*.xlsx"))
    names = {u.unit_code: u.unit_name for u in plan.units}
    returns.mkdir(parents=True)
    config.mkdir()
    shutil.copy(config_dir() / "plan.toml", config / "plan.toml")
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


def _measure(code: str, args: list[str], env: dict) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def _best(code: str, args: list[str], env: dict, repeats: int) -> dict:
    runs = [_measure(code, args, env) for _ in range(repeats)]
    return min(runs, key=lambda r: r["seconds"])


def run_bench(outputs: Path, n: int | None = None, issue_counts: tuple[int, ...] = ISSUE_COUNTS) -> int:
    """`make bench` on n synthetic returns; `issue_counts`: the sizes of the one return whose feedback copy is timed
    as its issues grow."""
    n = n or DEFAULT_RETURNS
    jobs = os.cpu_count() or 1
    work = outputs / "bench" / f"n{n}"
    print(f"Tạo {n} báo cáo thử nghiệm trong {work}...", flush=True)
    returns, config = synthetic(n, work)
    env = dict(os.environ, DVK_CONFIG_DIR=str(config), PYTHONHASHSEED="0")
    env.pop("JOBS", None)
    report_out = work / "report"
    shutil.rmtree(report_out, ignore_errors=True)
    m = {}
    steps = [("baseline", _NAIVE, [str(returns), "openpyxl"]), ("pandas_calamine", _NAIVE, [str(returns), "calamine"]),
             ("floor", _FLOOR, [str(returns)]), ("pipeline_1job", _PIPELINE, [str(returns), "1"]),
             ("pipeline_jobs", _PIPELINE, [str(returns), str(jobs)])]
    skip = {s.strip() for s in os.environ.get("BENCH_SKIP", "").split(",") if s.strip()}
    for name, code, args in steps:
        if name in skip:   # BENCH_SKIP=baseline,pandas_calamine: the slow references left out (their ratios: null)
            continue
        m[name] = _best(code, args, env, max(REPEATS, FLOOR_REPEATS) if name == "floor" else REPEATS)
        _say(name, m[name], n)
    m["feedback"] = _measure(_FEEDBACK, [str(returns), *map(str, issue_counts)], env)
    _say("feedback", m["feedback"], n)
    print(f"    ({m['feedback']['copies']} bản phản hồi, {m['feedback']['issues']} vấn đề; một tệp có "
          + " / ".join(vn_number(c) for c in issue_counts) + " vấn đề: "
          + " / ".join(f"{v:.2f} s" for v in m["feedback"]["scaling"].values()) + ")", flush=True)
    for name, j in (("report_1job", 1), ("report_jobs", jobs)):
        shutil.rmtree(report_out, ignore_errors=True)
        m[name] = _measure(_REPORT, [str(returns), str(j), str(report_out)], env)
        _say(name, m[name], n)
    m["report_again"] = _measure(_REPORT, [str(returns), str(jobs), str(report_out)], env)
    _say("report_again", m["report_again"], n)
    result = _result(n, jobs, m)
    _print_ratios(result)
    (outputs / "bench").mkdir(parents=True, exist_ok=True)
    (outputs / "bench" / "bench.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


LABELS = {
    "baseline": "pandas.read_excel (openpyxl)", "pandas_calamine": "pandas.read_excel (calamine)",
    "floor": "python-calamine, mọi sheet", "pipeline_1job": "quy trình đến tổng hợp, 1 tiến trình",
    "pipeline_jobs": "quy trình đến tổng hợp, mọi lõi", "report_1job": "make report đầy đủ, 1 tiến trình",
    "report_jobs": "make report đầy đủ, mọi lõi", "report_again": "make report lần 2 (không đổi đầu vào)",
    "feedback": "tệp phản hồi của mọi báo cáo có lỗi",
}


def _say(name: str, run: dict, n: int) -> None:
    print(f"  {LABELS[name]:<42} {run['seconds']:8.2f} s  {n / run['seconds']:8.1f} tệp/s  "
          f"bộ nhớ đỉnh {run['peak_mb']:7.1f} MB"
          + (f" (tiến trình con ≤ {run['workers_mb']:.0f} MB)" if run.get("workers_mb") else ""), flush=True)


def _result(n: int, jobs: int, m: dict) -> dict:
    s = {k: v["seconds"] for k, v in m.items()}
    s.setdefault("baseline", float("nan"))
    s.setdefault("pandas_calamine", float("nan"))
    return _no_nan({
        "n": n, "jobs": jobs,
        "baseline_wps": round(n / s["baseline"], 2), "pandas_calamine_wps": round(n / s["pandas_calamine"], 2),
        "floor_wps": round(n / s["floor"], 2), "pipeline_wps_1job": round(n / s["pipeline_1job"], 2),
        "pipeline_wps_jobs": round(n / s["pipeline_jobs"], 2), "report_wps": round(n / s["report_1job"], 2),
        "report_wps_jobs": round(n / s["report_jobs"], 2),
        "ratio_vs_baseline": round(s["baseline"] / s["pipeline_1job"], 2),
        "ratio_vs_floor": round(s["pipeline_1job"] / s["floor"], 2),
        "report_ratio_vs_floor": round(s["report_1job"] / s["floor"], 2),
        "report_jobs_speedup": round(s["report_1job"] / s["report_jobs"], 2),
        "second_run_share": round(s["report_again"] / s["report_jobs"], 3),
        "peak_rss_mb": round(m["report_1job"]["peak_mb"], 1),
        "peak_rss_mb_jobs": round(m["report_jobs"]["peak_mb"], 1),
        "feedback_seconds_per_copy": round(s["feedback"] / max(m["feedback"]["copies"], 1), 4),
        "feedback_scaling_seconds": m["feedback"]["scaling"],
        "seconds": {k: round(v, 3) for k, v in s.items()},
        "peak_mb": {k: round(v["peak_mb"], 1) for k, v in m.items()},
        "workers_peak_mb": {k: round(v["workers_mb"], 1) for k, v in m.items() if v.get("workers_mb")},
    })


def _no_nan(value):
    """A contender left out (BENCH_SKIP) gives NaN ratios: null in bench.json."""
    if isinstance(value, dict):
        return {k: _no_nan(v) for k, v in value.items()}
    return None if isinstance(value, float) and value != value else value


def _print_ratios(r: dict) -> None:
    print()
    print(f"Số báo cáo: {r['n']}, số lõi: {r['jobs']}")
    if r["ratio_vs_baseline"] is not None:
        print(f"  quy trình (1 tiến trình) nhanh hơn pandas+openpyxl : {r['ratio_vs_baseline']:.2f}×")
    print(f"  quy trình (1 tiến trình) / sàn calamine             : {r['ratio_vs_floor']:.2f}×")
    print(f"  make report (1 tiến trình) / sàn calamine           : {r['report_ratio_vs_floor']:.2f}×")
    print(f"  make report, {r['jobs']} tiến trình nhanh hơn 1 tiến trình   : {r['report_jobs_speedup']:.2f}×")
    print(f"  lần chạy 2 (không đổi) / lần chạy đầu               : {r['second_run_share']:.1%}")
    print(f"  bộ nhớ đỉnh make report (1 tiến trình)              : {r['peak_rss_mb']:.0f} MB")
