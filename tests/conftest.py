"""Shared fixtures: the demo returns are generated once per test session."""
from __future__ import annotations

import gc
import os
import shutil
from pathlib import Path

import pytest

from pipeline.config import load_plan
from pipeline.tools.demo import demo_returns, write_demo
from pipeline.check import read_and_check

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# The tests build and drop thousands of openpyxl workbooks while each worker holds the session's demo runs and
# batches: at Python's default thresholds the collector walks all of it again and again (~10 % of the suite's time).
gc.set_threshold(50_000, 20, 100)


def needs_soffice(test):
    """A test that opens files with LibreOffice: marked `office` (left out of `make test`), skipped without it."""
    return pytest.mark.office(
        pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed here; CI installs it")(test))


# The tests `make test` leaves out (`make test-all` runs them), by node id prefix: each runs the whole pipeline,
# many servers or many returns, or generates hundreds of workbooks. What they test is also tested, on one
# return or on the shared demo run, by a fast test.
SLOW = (
    "tests/test_runs.py",                      # whole runs, again and again: reuse, kill, identical outputs
    "tests/test_extension.py",                 # a new column, a new content area: a whole run each
    "tests/test_second_config.py",             # another town's config: a whole run
    "tests/test_cli.py::test_report_",         # `make report` as a subprocess
    "tests/tools/test_bench.py",               # the benchmark itself
    "tests/check/test_fuzz_cells.py",          # hundreds of hostile cells in their own workbooks
    "tests/check/test_budget.py",              # returns of 40,000 problems
    "tests/check/test_read_files.py::test_a_broken_environment",
    "tests/check/test_read_files.py::test_all_the_cases_together",
    "tests/tidy/test_aggregate.py::test_random_returns_add_up",   # hypothesis: many random towns
    "tests/web/test_load.py", "tests/web/test_nothing_lost.py",  # concurrent uploads, killed servers
    "tests/web/test_board_truth.py",           # the board beside a whole run
    "tests/web/test_office.py::test_report_run_from_the_board",
    "tests/publish/test_publish.py::test_two_processes", "tests/publish/test_publish.py::test_a_dying_second",
    "tests/publish/test_publish.py::test_report_page_shows_the_head_of_a_long_table",
    "tests/check/test_read_files.py::test_a_bug_met_in_one_file",          # subprocesses
    "tests/check/test_read_files.py::test_unit_name_out_of_the_registry",
    "tests/read/test_unit_in_file_name.py::test_the_index_finds_what_the_plain_search_finds",   # property tests
    "tests/read/test_unit_in_file_name.py::test_blank_is_what_normalising_leaves_empty",
    "tests/test_text.py::test_same_as_babel_vi",
    "tests/web/test_deadline_day.py::test_returns_with_long_and_odd_names",   # many uploads, slow clients
    "tests/web/test_deadline_day.py::test_a_flood_of_slow_uploads",
    "tests/web/test_deadline_day.py::test_a_slow_upload_body",
    "tests/web/test_deadline_day.py::test_a_later_return_with_more_errors",
    "tests/web/test_deadline_day.py::test_a_blank_unit_cell_is_the_link_s_unit",
    "tests/web/test_http.py::test_hostile_file_names_never_reach_a_path",
    "tests/web/test_office.py::test_links_are_random_hashed_kept_and_rotated",
)
BROWSER = ("tests/web/test_browser.py", "tests/test_notebooks.py")
# Modules of many cases, each a workbook of its own: `make test` runs the first case of each test, `make test-all`
# every case.
# (The clerk cases of tests/check/test_read_*.py are read together, a batch of units at a time, and all run; only those
# about which unit or return is chosen keep a folder and a run each.)
FIRST_CASE_ONLY = ("tests/check/test_read_units.py", "tests/read/test_headers.py", "tests/check/test_fuzz_cells.py")


def pytest_collection_modifyitems(config, items):
    seen: set[str] = set()
    for item in items:
        function = item.nodeid.split("[", 1)[0]
        if item.nodeid.startswith(SLOW) or (item.nodeid.startswith(FIRST_CASE_ONLY) and function in seen):
            item.add_marker(pytest.mark.slow)
        seen.add(function)
        if item.nodeid.startswith(BROWSER):
            item.add_marker(pytest.mark.browser)


class _StartOrder:
    """pytest-xdist (--dist worksteal) hands each of two workers one half of the selected tests, by count, and
    moves tests between them when one runs out. What a worker makes for the session (the demo run, the fuzz
    workbooks) the other waits for when it needs it meanwhile. So the first half starts with the modules that need
    the demo run, then those that need the demo returns; the second half starts with modules that need neither;
    a module of a quarter or more of the tests (the fuzz cells) comes last. Within each, the modules with slow
    tests come first. Modules stay whole."""

    @staticmethod
    def _needs(module: list) -> int:
        names = {name for item in module for name in item.fixturenames}
        return 2 if "demo_run" in names else 1 if "demo_dir" in names else 0

    @staticmethod
    def _cheap(module: list) -> bool:
        """Cheap modules last: a worker that runs out takes half of what the other has not started, from its end."""
        return not any(item.get_closest_marker("slow") for item in module)

    @pytest.hookimpl(trylast=True)       # after the deselection by -m: the halves are those xdist sees
    def pytest_collection_modifyitems(self, config, items):
        if not os.environ.get("PYTEST_XDIST_WORKER"):
            return
        modules: dict[str, list] = {}
        for item in items:
            modules.setdefault(item.nodeid.split("::", 1)[0], []).append(item)
        big = [m for m in modules.values() if 4 * len(m) >= len(items)]
        rest = sorted((m for m in modules.values() if 4 * len(m) < len(items)),
                      key=lambda m: (-self._needs(m), self._cheap(m)))
        first, count = [], 0
        while rest and self._needs(rest[0]) and count < len(items) // 2:
            first.append(rest.pop(0))
            count += len(first[-1])
        rest.sort(key=lambda m: (self._needs(m), self._cheap(m)))
        items[:] = [item for module in [*first, *rest, *big] for item in module]


def pytest_configure(config):
    config.pluginmanager.register(_StartOrder(), "dvk-start-order")


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
