"""Compare the CSV and parquet contents of two output folders (`python -m pipeline.tools.compare A B`).

Used to show that a refactor leaves every published table unchanged: each
table present in both folders must hold the same rows (compared in a stable
order) and the same columns with the same values. Tables present in only one
folder are listed, not failed, unless `--strict`.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd


def tables(folder: Path) -> dict[str, Path]:
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*"))
            if p.suffix in (".csv", ".parquet") and ".staging" not in p.as_posix() and "demo/" not in
            p.relative_to(folder).as_posix()}


def read(path: Path) -> pd.DataFrame:
    frame = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path, encoding="utf-8-sig", dtype=str)
    return read_frame(frame)


def read_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows in a stable order, whatever order they were written in."""
    frame = frame.reset_index(drop=True)
    return frame.sort_values(list(frame.columns), key=lambda s: s.astype(str), kind="stable").reset_index(drop=True)


def differences(a: Path, b: Path, ignore: tuple[str, ...] = (), new_columns: bool = False
                ) -> tuple[list[str], list[str]]:
    """(problems, notes): tables whose contents differ, and tables found in one folder only.

    `ignore`: columns left out of the comparison; `new_columns`: B may have columns A lacks (listed in notes).
    """
    ta, tb = tables(a), tables(b)
    problems, notes = [], []
    for name in sorted(set(ta) | set(tb)):
        if name not in ta or name not in tb:
            notes.append(f"only in {'B' if name in tb else 'A'}: {name}")
            continue
        fa, fb = read(ta[name]), read(tb[name])
        added = [c for c in fb.columns if c not in fa.columns]
        if new_columns and added:
            notes.append(f"new columns in B: {name}: {', '.join(added)}")
            fb = read_frame(fb[[c for c in fb.columns if c not in added]])
        drop = [c for c in ignore if c in fa.columns or c in fb.columns]
        fa, fb = read_frame(fa.drop(columns=drop, errors="ignore")), read_frame(fb.drop(columns=drop, errors="ignore"))
        try:
            pd.testing.assert_frame_equal(fa, fb, check_dtype=True, check_like=False)
        except AssertionError as exc:
            problems.append(f"{name}: {str(exc).splitlines()[0]} …")
    return problems, notes


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("a", type=Path)
    p.add_argument("b", type=Path)
    p.add_argument("--strict", action="store_true", help="fail when a table exists in one folder only")
    p.add_argument("--ignore", nargs="*", default=[], help="columns left out (e.g. sha256 of regenerated files)")
    p.add_argument("--new-columns", action="store_true", help="B may add columns; the others must be identical")
    args = p.parse_args(argv)
    problems, notes = differences(args.a, args.b, tuple(args.ignore), args.new_columns)
    for line in notes:
        print(line)
    for line in problems:
        print("DIFFERENT", line)
    n = len(set(tables(args.a)) & set(tables(args.b)))
    print(f"{n - len(problems)}/{n} tables identical")
    return 1 if problems or (args.strict and notes) else 0


if __name__ == "__main__":
    sys.exit(main())
