"""Shared fixtures: the demo returns are generated once per test session."""
from __future__ import annotations

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


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory) -> Path:
    """outputs/demo as `make demo` writes it (template, returns, answer keys)."""
    out = tmp_path_factory.mktemp("demo")
    write_demo(out)
    return out


@pytest.fixture(scope="session")
def demo_intended():
    returns, missing = demo_returns()
    return returns, missing


@pytest.fixture(scope="session")
def checked_demo(demo_dir, plan):
    return read_and_check(demo_dir / "returns", plan)
