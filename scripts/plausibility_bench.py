"""How well the plausibility checks (issue 28) catch wrong figures, and how often they question right ones.

N returns of N synthetic units, made by `make bench`'s generator (pipeline/tools/bench.py `synthetic`: the demo's
returns relabelled), each unit registered with the type and group of the demo unit whose return it copies (the
bench registers them all as communes, which would compare offices with communes). A random 10% of the returns
(fixed seed) get one wrong figure each (tests/check/plants.py, the kinds in turn); the rest stay as generated.
Then every return is checked as `make report` checks them, and this prints:
- for each kind of plant, how many were questioned by their rule at a planted cell;
- the plausibility warnings on the clean returns, per 100 of them (false alarms: every clean return copies a demo
  return, whose figures are right by construction);
- the plausibility warnings on planted returns away from the planted cells, and the time the checks took.

Usage: .venv/bin/python scripts/plausibility_bench.py [N] [work folder]   (default 1000, outputs/bench/plausibility)
BENCH_REGISTRY=1 keeps make bench's registry (offices compared with communes, as `make bench` does).
Option: HALF_YEAR_FACTOR=0.8 (or any [plausibility] key in capitals) overrides the plan for this run only.
"""
from __future__ import annotations

import csv
import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SEED = 28
SHARE = 0.10


def build(n: int, work: Path) -> tuple[Path, Path, list[dict]]:
    """The generated returns (planted copy) and their config; the plants as dicts."""
    from openpyxl import load_workbook

    from pipeline.config import load_plan
    from pipeline.tools.bench import synthetic
    from tests.check.plants import KINDS, plant

    plan = load_plan()
    returns, config = synthetic(n, work / "base")
    sources = sorted((work / "base" / "demo" / "returns").glob("*.xlsx"))   # synthetic() copies sources[i % len]
    own = work / "config"
    shutil.rmtree(own, ignore_errors=True)
    shutil.copytree(config, own)
    keep = os.environ.get("BENCH_REGISTRY") == "1"   # make bench's registry as it is: every unit a commune
    with (own / "units.csv").open("a" if keep else "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        if not keep:
            w.writerow(["unit_code", "unit_name", "unit_type", "unit_group", "aliases"])
        for i in range(0 if keep else n):
            demo_unit = plan.unit(sources[i % len(sources)].name.replace("_bao_cao_so_ket.xlsx", ""))
            w.writerow([f"u{i:05d}", f"UBND xã Thử Nghiệm {i:05d}", demo_unit.unit_type, demo_unit.unit_group, ""])
    for key, value in os.environ.items():     # HALF_YEAR_FACTOR=0.8 ...: a [plausibility] setting for this run
        if key.lower() in plan.raw.get("plausibility", {}) and key.isupper():
            text = (own / "plan.toml").read_text(encoding="utf-8")
            lines = [f"{key.lower()} = {value}" if line.split("=")[0].strip() == key.lower() else line
                     for line in text.splitlines()]
            (own / "plan.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    planted_dir = work / "planted"
    shutil.rmtree(planted_dir, ignore_errors=True)
    shutil.copytree(returns, planted_dir)
    rng = random.Random(SEED)
    chosen = sorted(rng.sample(range(n), max(1, int(n * SHARE))))
    plants = []
    for j, i in enumerate(chosen):
        path = planted_dir / f"u{i:05d}.xlsx"
        wb = load_workbook(path)
        for k in range(len(KINDS)):                      # the kinds in turn; one this return cannot take: the next
            done = plant(wb, path.name, KINDS[(j + k) % len(KINDS)], plan, rng)
            if done is not None:
                break
        if done is None:
            continue
        wb.save(path)
        plants.append({"file": done.file, "kind": done.kind, "sheet": done.sheet, "cells": done.cells,
                       "rules": sorted(done.rules)})
    (work / "plants.json").write_text(json.dumps(plants, ensure_ascii=False, indent=1), encoding="utf-8")
    return planted_dir, own, plants


def measure(folder: Path, work: Path) -> dict:
    """In a process whose DVK_CONFIG_DIR is the synthetic registry: check every return, count."""
    import pandas as pd

    from pipeline.check import check
    from pipeline.check.plausibility import review
    from pipeline.config import load_plan
    from pipeline.read.discover import discover
    from tests.check.plants import Plant, caught, excluded

    plan = load_plan()
    t = time.perf_counter()
    checked, done = check(discover(folder, plan), plan, jobs=os.cpu_count() or 1)
    seconds = time.perf_counter() - t
    t = time.perf_counter()
    review(done.tables, done.places, plan)                     # the plausibility checks alone, once more
    review_seconds = time.perf_counter() - t
    plants = [Plant(p["file"], p["kind"], p["sheet"], p["cells"], set(p["rules"]))
              for p in json.loads((work / "plants.json").read_text(encoding="utf-8"))]
    issues = checked.issues
    plaus = issues[issues["rule"].str.startswith("plausibility.")]
    planted_files = {p.file for p in plants}
    clean_files = set(checked.files["file"]) - planted_files
    by_kind: dict[str, list[int]] = {}
    out_anyway = [p for p in plants if excluded(p, issues)]
    for p in plants:
        if p in out_anyway:
            continue
        by_kind.setdefault(p.kind, [0, 0])
        by_kind[p.kind][0] += 1
        by_kind[p.kind][1] += caught(p, issues)
    by_rule: dict[str, Counter] = {}                       # which rule questioned each kind (a plant may get several)
    for p in plants:
        at = issues[(issues["file"] == p.file) & (issues["sheet"] == p.sheet) & issues["cell"].isin(p.cells)]
        by_rule.setdefault(p.kind, Counter()).update(set(at["rule"]) & p.rules)
    missed = [{"file": p.file, "kind": p.kind, "cells": p.cells} for p in plants
              if not caught(p, issues) and p not in out_anyway]
    on_clean = plaus[plaus["file"].isin(clean_files)]
    planted_cells = {(p.file, p.sheet, c) for p in plants for c in p.cells}
    collateral = plaus[plaus["file"].isin(planted_files)
                       & ~pd.Series(list(zip(plaus["file"], plaus["sheet"], plaus["cell"])), index=plaus.index)
                       .isin(planted_cells)]
    return {
        "returns": int(len(checked.files)), "planted": len(plants) - len(out_anyway), "clean": len(clean_files),
        "planted_in_rows_excluded_anyway": len(out_anyway),
        "caught": sum(v[1] for v in by_kind.values()),
        "by_kind": {k: {"planted": v[0], "caught": v[1], "by_rule": dict(by_rule.get(k, {}))}
                    for k, v in sorted(by_kind.items())},
        "missed": missed,
        "false_alarms_on_clean": int(len(on_clean)),
        "false_alarms_per_100_clean": round(100 * len(on_clean) / max(1, len(clean_files)), 2),
        "false_alarms_by_rule": dict(Counter(on_clean["rule"])),
        "false_alarm_examples": on_clean["message"].head(5).tolist(),
        "collateral_on_planted": int(len(collateral)),
        "collateral_by_rule": dict(Counter(collateral["rule"])),
        "check_seconds": round(seconds, 2), "plausibility_seconds": round(review_seconds, 2),
    }


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        print(json.dumps(measure(Path(sys.argv[2]), Path(sys.argv[3])), ensure_ascii=False))
        return 0
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    work = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "outputs" / "bench" / "plausibility"
    folder, config, plants = build(n, work)
    env = dict(os.environ, DVK_CONFIG_DIR=str(config), PYTHONHASHSEED="0")
    out = subprocess.run([sys.executable, __file__, "--measure", str(folder), str(work)], env=env,
                         capture_output=True, text=True)
    if out.returncode != 0:
        print(out.stderr[-3000:], file=sys.stderr)
        return 1
    result = json.loads(out.stdout.strip().splitlines()[-1])
    (work / "result.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"{result['returns']} returns, {result['planted']} planted, {result['clean']} clean "
          f"({result['planted_in_rows_excluded_anyway']} more planted in rows another error keeps out, not counted)")
    for kind, v in result["by_kind"].items():
        print(f"  {kind:<26} {v['caught']:>4}/{v['planted']:<4} caught  {v['by_rule']}")
    print(f"  all plants                 {result['caught']:>4}/{result['planted']:<4} "
          f"({100 * result['caught'] / max(1, result['planted']):.1f} %)")
    print(f"false alarms on clean returns: {result['false_alarms_on_clean']} "
          f"({result['false_alarms_per_100_clean']} per 100 clean returns) {result['false_alarms_by_rule']}")
    print(f"other warnings on planted returns: {result['collateral_on_planted']} {result['collateral_by_rule']}")
    print(f"checking {result['check_seconds']} s, of which the plausibility checks "
          f"≈ {result['plausibility_seconds']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
