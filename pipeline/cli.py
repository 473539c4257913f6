"""Command line: `python -m pipeline report|template|demo|check FILE|bench`."""
from __future__ import annotations

import argparse
import errno
import os
import sys
from pathlib import Path

from pipeline import messages as msg
from pipeline.config import ROOT


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="dvk", description=msg.CLI_DESCRIPTION)
    p.add_argument("--inputs", type=Path, default=Path(os.environ.get("DVK_INPUTS", ROOT / "inputs")))
    p.add_argument("--outputs", type=Path, default=Path(os.environ.get("DVK_OUTPUTS", ROOT / "outputs")))
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("report", help=msg.CLI_HELP["report"])
    sub.add_parser("template", help=msg.CLI_HELP["template"])
    demo = sub.add_parser("demo", help=msg.CLI_HELP["demo"])
    demo.add_argument("--seed", type=int, default=None)
    check = sub.add_parser("check", help=msg.CLI_HELP["check"])
    check.add_argument("file", type=Path)
    bench = sub.add_parser("bench", help=msg.CLI_HELP["bench"])
    bench.add_argument("--returns", type=int, default=None)
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        print(msg.INTERRUPTED, file=sys.stderr)
        return 130
    except Exception as exc:  # a bug or an unusable environment: one sentence, no traceback
        if os.environ.get("DVK_DEBUG"):
            raise
        print(fatal_sentence(exc), file=sys.stderr)
        return 1


def fatal_sentence(exc: Exception) -> str:
    """One Vietnamese sentence saying why no output could be produced."""
    where = getattr(exc, "filename", None) or ""
    if isinstance(exc, PermissionError):
        return msg.FATAL_PERMISSION.format(where=where)
    if isinstance(exc, (FileExistsError, NotADirectoryError)):
        return msg.FATAL_NOT_A_FOLDER.format(where=where)
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return msg.FATAL_DISK_FULL
    from pipeline.files import RunInProgress

    if isinstance(exc, RunInProgress):
        return msg.FATAL_RUN_IN_PROGRESS.format(where=exc)
    if isinstance(exc, ImportError):
        name = getattr(exc, "name", None) or str(exc)
        return msg.FATAL_IMPORT.format(name=name)
    if isinstance(exc, MemoryError):
        return msg.FATAL_MEMORY
    return msg.FATAL_BUG.format(error=type(exc).__name__)


def _dispatch(args) -> int:
    if args.command == "template":
        from pipeline.tools.template import write_template

        path = write_template(args.outputs / "template")
        print(msg.TEMPLATE_WRITTEN.format(path=path))
        return 0
    if args.command == "demo":
        from pipeline.tools.demo import DEFAULT_SEED, write_demo

        folder = write_demo(args.outputs / "demo", seed=args.seed or DEFAULT_SEED)
        print(msg.DEMO_WRITTEN.format(folder=folder))
        return 0
    if args.command == "report":
        from pipeline.run import run_report

        return run_report(args.inputs, args.outputs)
    if args.command == "check":
        from pipeline.check.command import check_file

        return check_file(args.file)
    if args.command == "bench":
        from pipeline.tools.bench import run_bench

        return run_bench(args.outputs, args.returns)
    raise AssertionError(args.command)
