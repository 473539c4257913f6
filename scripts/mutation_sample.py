"""Print the fixed mutation sample of docs/mutation.md: every twentieth mutant name of each module, in natural order.

Run after mutmut has generated the mutants (`mutmut run` once, or `mutmut run` interrupted after "generating"):
    .venv/bin/python scripts/mutation_sample.py [--every 20] > sample.txt
    .venv/bin/mutmut run $(cat sample.txt)
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import defaultdict


def natural(name: str) -> list:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=20)
    args = parser.parse_args()
    listed = subprocess.run([sys.executable, "-m", "mutmut", "results", "--all", "true"], capture_output=True,
                            text=True, check=True).stdout
    names = [m.group(0) for m in re.finditer(r"[\w.]+__mutmut_\d+", listed)]
    by_module: dict[str, list[str]] = defaultdict(list)
    for name in dict.fromkeys(names):
        by_module[name.split(".x")[0]].append(name)
    for module in sorted(by_module):
        for i, name in enumerate(sorted(by_module[module], key=natural)):
            if i % args.every == 0:
                print(name)


if __name__ == "__main__":
    main()
