"""A time and memory budget for checking one file, so that one careless return never stalls the others.

`[limits] file_check_seconds` and `file_check_memory_mb` in config/plan.toml. A timer ticks every 50 ms in
the process that checks (a worker of `make report`, of the web page, or the command line's own process) and
compares the time spent and the memory grown since the file began with the budget; over it, `OverBudget` is
raised in the checking code and the file is refused with its reason, while the run goes on. The budget is
soft inside one long call into C or Rust (the tick is seen when it returns); everything in Python is
interrupted within a tick. Outside the main thread (where no signal can be delivered) no budget applies.
"""
from __future__ import annotations

import contextlib
import os
import signal
import threading
import time

from pipeline import messages as msg

TICK = 0.05
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


class OverBudget(BaseException):
    """Checking a file took more time or memory than its budget. A BaseException, so that the `except
    Exception` guards inside the stages (which turn a bug into a rejected file) never swallow it."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def rss_bytes() -> int:
    """This process's resident memory now (not its peak)."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


def _can_tick() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def budget(limits: dict):
    """Raise `OverBudget` inside the block when it runs past the per-file budget of `limits`."""
    seconds = float(limits["file_check_seconds"])
    grow = int(limits["file_check_memory_mb"]) * 1_000_000
    if not _can_tick() or signal.getitimer(signal.ITIMER_REAL)[0]:   # no signals here, or a budget already runs
        yield
        return
    start, base, fired = time.monotonic(), rss_bytes(), []

    def tick(_signum, _frame):
        if fired:            # raised once already: the block is unwinding
            return
        if time.monotonic() - start > seconds:
            fired.append(True)
            raise OverBudget(msg.FILE_OVER_TIME.format(seconds=round(seconds)))
        if rss_bytes() - base > grow:
            fired.append(True)
            raise OverBudget(msg.FILE_OVER_MEMORY.format(mb=grow // 1_000_000))

    previous = signal.signal(signal.SIGALRM, tick)
    signal.setitimer(signal.ITIMER_REAL, TICK, TICK)
    try:
        yield
    finally:
        try:             # a tick may raise (once) on the way here: the timer is stopped whatever happens
            signal.setitimer(signal.ITIMER_REAL, 0, 0)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0, 0)
            signal.signal(signal.SIGALRM, previous)
