"""Worker processes that check workbooks off the server's thread.

Parsing a workbook is CPU-bound and calamine holds the GIL, so checks run in a small pool
of processes. One pool per process is shared by every app instance (tests start several).
"""
from __future__ import annotations

import atexit
import importlib
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor

from pipeline.web import checking

_pools: dict[int, ProcessPoolExecutor] = {}
_lock = threading.Lock()


def pool(workers: int) -> ProcessPoolExecutor:
    with _lock:
        p = _pools.get(workers)
        if p is None:
            # spawn: a clean interpreter per worker, never a fork of a server with threads
            p = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                    initializer=_start_worker, initargs=(os.getpid(),))
            _pools[workers] = p
        return p


def warm_up(workers: int) -> None:
    """Start the worker processes now, so that the first upload does not wait for them."""
    p = pool(workers)
    for _ in range(workers):
        p.submit(checking.warm)


def _start_worker(parent: int) -> None:
    """In each worker: load the plan, and exit if the server dies without shutting the pool down."""
    def watch():
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
    checking.warm()


def reset(workers: int, broken: ProcessPoolExecutor) -> None:
    """Drop a pool whose worker died (a workbook that ran it out of memory); the next call makes a new one."""
    with _lock:
        if _pools.get(workers) is broken:
            del _pools[workers]
    broken.shutdown(wait=False, cancel_futures=True)


def check_function(spec: str):
    """`checking.check_upload`, or the "module:function" a test puts in its place."""
    if not spec:
        return checking.check_upload
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


@atexit.register
def shutdown() -> None:
    with _lock:
        pools = list(_pools.values())
        _pools.clear()
    for p in pools:
        p.shutdown(wait=True, cancel_futures=True)
