"""Summarise a mutmut 3 run: share of mutants killed per module, and the survivors.

Reads what `mutmut run` left in mutants/ (the per-file .meta results and .spans line index),
prints a per-module table and every surviving mutant (module, line, the mutation), and writes
outputs/mutation/summary.json and outputs/mutation/survivors.txt.

Usage: python scripts/mutation_report.py [--paths pipeline/values.py ...] [--out outputs/mutation]
The mutated modules default to [tool.mutmut].only_mutate in pyproject.toml.
"""
from __future__ import annotations

import argparse
import ast
import difflib
import json
import re
import sys
import tomllib
from collections import Counter
from datetime import datetime
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# mutmut's exit-code meaning (mutmut/stats.py), folded into the groups reported here.
STATUS_BY_EXIT_CODE = {
    1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests", 2: "interrupted",
    None: "not checked", 34: "skipped", 35: "suspicious", 36: "timeout", 37: "killed",
    -24: "timeout", 24: "timeout", 152: "timeout", 255: "timeout", -11: "segfault", -9: "segfault",
}
KILLED = {"killed", "timeout", "segfault"}            # the tests noticed the mutant
NOT_COUNTED = {"not checked", "skipped", "interrupted"}  # not part of the score
COLUMNS = ["killed", "timeout", "survived", "no tests", "suspicious", "segfault", "not checked"]


def mutated_paths(pyproject: Path) -> list[str]:
    conf = tomllib.loads(pyproject.read_text("utf-8")).get("tool", {}).get("mutmut", {})
    return list(conf.get("only_mutate", []))


def status_of(exit_code) -> str:
    return STATUS_BY_EXIT_CODE.get(exit_code, "suspicious")


def _def_index(lines: list[str]) -> int:
    for i, line in enumerate(lines):
        if line.lstrip().startswith(("def ", "async def ")):
            return i
    return 0


def _function_lines(text: list[str], span) -> list[str]:
    body = text[span[0]:span[1]]
    return body[_def_index(body):]


def original_def_lines(source: Path) -> dict[str, int]:
    """Line of each `def` in the original module, keyed as mutmut mangles it."""
    tree = ast.parse(source.read_text("utf-8"))
    found = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found[f"x_{node.name}"] = node.lineno
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    found[f"xǁ{node.name}ǁ{item.name}"] = item.lineno
    return found


def describe(orig: list[str], mutant: list[str], orig_name: str, mutant_name: str) -> tuple[int, str]:
    """(offset of the first changed line from the `def` line, 'old  →  new')."""
    mutant = [line.replace(mutant_name, orig_name) for line in mutant]
    changes = []
    first = None
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=orig, b=mutant, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        first = i1 if first is None else first
        old = " ⏎ ".join(line.strip() for line in orig[i1:i2]) or "(nothing)"
        new = " ⏎ ".join(line.strip() for line in mutant[j1:j2]) or "(line removed)"
        changes.append(f"{old}  →  {new}")
    return (first or 0), " ; ".join(changes) or "(no textual change)"


def collect(root: Path, paths: list[str]) -> tuple[dict, list[dict]]:
    modules, survivors = {}, []
    for rel in paths:
        meta = root / "mutants" / (rel + ".meta")
        spans_file = root / "mutants" / (rel + ".spans")
        if not meta.exists():
            sys.exit(f"No mutmut results for {rel} ({meta} missing): run `make mutate` first.")
        results = json.loads(meta.read_text("utf-8"))["exit_code_by_key"]
        spans = json.loads(spans_file.read_text("utf-8"))["spans"] if spans_file.exists() else {}
        text = (root / "mutants" / rel).read_text("utf-8").split("\n")
        def_lines = original_def_lines(root / rel)
        counts = Counter(status_of(code) for code in results.values())
        scored = sum(n for status, n in counts.items() if status not in NOT_COUNTED)
        killed = sum(counts[s] for s in KILLED)
        modules[rel] = {
            "mutants": len(results),
            **{status: counts.get(status, 0) for status in COLUMNS},
            "scored": scored,
            "killed_share": round(killed / scored, 4) if scored else None,
        }
        for key, code in sorted(results.items(), key=lambda kv: _natural(kv[0])):
            status = status_of(code)
            if status in KILLED or status in NOT_COUNTED:
                continue
            local = key.rsplit(".", 1)[-1]                     # x_parse_number__mutmut_12
            function = local.rsplit("__mutmut_", 1)[0]         # x_parse_number
            orig_local = f"{function}__mutmut_orig"
            line, change = None, "(see `mutmut show`)"
            if local in spans and orig_local in spans:
                offset, change = describe(_function_lines(text, spans[orig_local]),
                                          _function_lines(text, spans[local]), orig_local, local)
                if function in def_lines:
                    line = def_lines[function] + offset
            survivors.append({
                "module": rel, "line": line, "function": _readable(function), "status": status,
                "mutation": change, "mutant": key,
            })
    return modules, survivors


def _natural(key: str):
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", key)]


def _readable(function: str) -> str:
    return function[2:] if function.startswith("x_") else function[1:].replace("ǁ", ".").strip(".")


def overall(modules: dict) -> dict:
    total = {column: sum(m[column] for m in modules.values()) for column in ["mutants", *COLUMNS, "scored"]}
    killed = sum(total[s] for s in KILLED)
    total["killed_share"] = round(killed / total["scored"], 4) if total["scored"] else None
    return total


def _pct(share) -> str:
    return "   n/a" if share is None else f"{share * 100:5.1f}%"


def table(modules: dict, total: dict) -> str:
    name_width = max(len(name) for name in [*modules, "overall"])
    head = f"{'module':<{name_width}}  {'mutants':>7}  " + "  ".join(f"{c:>11}" for c in COLUMNS) + "  killed share"
    rows = [head, "-" * len(head)]
    for name, m in [*modules.items(), ("overall", total)]:
        rows.append(f"{name:<{name_width}}  {m['mutants']:>7}  " + "  ".join(f"{m[c]:>11}" for c in COLUMNS)
                    + f"  {_pct(m['killed_share']):>12}")
    return "\n".join(rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paths", nargs="*", help="modules to report (default: [tool.mutmut].only_mutate)")
    parser.add_argument("--root", type=Path, default=ROOT, help="project root holding mutants/")
    parser.add_argument("--out", type=Path, help="folder for summary.json and survivors.txt "
                                                 "(default: <root>/outputs/mutation)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    paths = args.paths or mutated_paths(root / "pyproject.toml")
    if not paths:
        sys.exit("No modules to report: set [tool.mutmut].only_mutate in pyproject.toml or pass --paths.")
    modules, survivors = collect(root, paths)
    total = overall(modules)

    lines = [f"{s['module']}:{s['line'] or '?'}  {s['function']}  [{s['status']}]  {s['mutation']}  ({s['mutant']})"
             for s in survivors]
    print(f"Survivors ({len(survivors)}): module:line  function  [status]  original  →  mutated  (mutant)")
    print("\n".join(lines))
    print()
    print(table(modules, total))
    if total["not checked"]:
        print(f"\n{total['not checked']} mutants were not checked (run interrupted or limited to some modules).")

    out = args.out or root / "outputs" / "mutation"
    out.mkdir(parents=True, exist_ok=True)
    try:
        version = metadata.version("mutmut")
    except metadata.PackageNotFoundError:
        version = None
    (out / "summary.json").write_text(json.dumps({
        "generated": datetime.now().isoformat(timespec="seconds"),
        "mutmut": version,
        "killed_share_counts": sorted(KILLED),
        "overall": total,
        "modules": modules,
        "survivors_per_module": dict(Counter(s["module"] for s in survivors)),
    }, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (out / "survivors.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"\nWritten: {out / 'summary.json'}, {out / 'survivors.txt'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
