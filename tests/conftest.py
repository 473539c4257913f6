"""Shared fixtures: the demo returns are generated once per test session."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from pipeline.config import load_plan
from pipeline.tools.demo import demo_returns, write_demo
from pipeline.check import read_and_check

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed here; CI installs it")


@pytest.fixture(scope="session")
def plan():
    return load_plan()


def _shared(tmp_path_factory, name: str, make) -> Path:
    """A folder made once per test session and shared by the xdist workers (the first to take the lock makes it,
    the others wait and read it): the demo returns and the demo run are the same for every worker."""
    import fcntl

    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder, done = root / f"shared_{name}", root / f"shared_{name}.done"
    with (root / f"shared_{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            make(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory) -> Path:
    """outputs/demo as `make demo` writes it (template, returns, answer keys)."""
    return _shared(tmp_path_factory, "demo", write_demo)


@pytest.fixture(scope="session")
def demo_run(demo_dir, tmp_path_factory) -> Path:
    """The outputs of one `make report` run on the demo returns, for every test that only reads them."""
    from pipeline.run import run_report

    def run(folder: Path) -> None:
        assert run_report(demo_dir / "returns", folder) == 0

    return _shared(tmp_path_factory, "demo_run", run)


@pytest.fixture(scope="session")
def demo_intended():
    returns, missing = demo_returns()
    return returns, missing


@pytest.fixture(scope="session")
def checked_demo(demo_dir, plan):
    return read_and_check(demo_dir / "returns", plan)
