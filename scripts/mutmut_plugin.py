"""pytest plugin loaded only by `make mutate` (through [tool.mutmut].pytest_add_cli_args).

1. mutmut 3 learns which tests reach each function by recording calls during one "stats" run; it
   files every call made while a fixture is set up under the first test that needed the fixture.
   Our session- and module-scoped fixtures (checked_demo, the demo tables...) run the pipeline, so
   every later test using them would look as if it reached nothing there, and a mutant would be
   run against too few tests (false survivors). During the stats run this plugin remembers which
   functions each fixture's setup reached and credits them to every test that uses the fixture.
2. Hypothesis runs deterministically, without shrinking and without an example database: a failing
   example is all mutmut needs, and mutants tested in parallel must not share a database.
3. The demo returns (`demo_dir`, several seconds of writing workbooks) are written once, by the
   stats run, into mutants/.demo_cache, and copied for each mutant, but only when writing them
   reached no mutated function (then they are the same whatever the mutant).
4. The clerk cases of tests/check/test_read_*.py are read a batch at a time by the first test that asks
   for one (tests/check/clerk_batch.py: Reads), inside that test, not in a fixture: the calls made while a
   module's batches are read are likewise credited to every test of that module that reads one.
5. mutmut passes a mutant's tests fastest first, which interleaves test modules; pytest then tears
   down and rebuilds each module-scoped fixture (tests/check/test_rules.py builds dozens of
   workbooks in one) at every switch. The tests are regrouped by module, modules in the order of
   their first test, tests of a module in the order given: same verdicts, each fixture built once.
"""
from __future__ import annotations

import os
import shutil
import sys
import warnings
from pathlib import Path

import pytest

_hits_by_fixture: dict[int, set[str]] = {}
DEMO_CACHE = Path(".demo_cache")  # mutmut runs the tests from mutants/


def _stats_run() -> bool:
    return os.environ.get("MUTANT_UNDER_TEST") == "stats"


def _recorded_hits() -> set[str] | None:
    """The set mutmut fills with the functions reached by the running test (mutmut >= 3.4)."""
    try:
        from mutmut.state import state
    except ImportError:
        return None
    return getattr(state(), "_stats", None)


def pytest_configure(config):
    try:
        from hypothesis import Phase, settings
    except ImportError:
        return
    settings.register_profile("mutmut", derandomize=True, database=None,
                              phases=[Phase.explicit, Phase.reuse, Phase.generate])
    settings.load_profile("mutmut")
    if _stats_run() and _recorded_hits() is None:
        warnings.warn("mutmut_plugin: this mutmut keeps its call records elsewhere; calls made in shared "
                      "fixtures are credited to the first test only (some mutants run against too few tests)", stacklevel=2)


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef, request):
    hits = _recorded_hits() if _stats_run() else None
    if hits is None:
        yield
        return
    outer = set(hits)  # calls recorded so far belong to the test (or to an enclosing fixture)
    hits.clear()
    try:
        yield
    finally:
        _hits_by_fixture.setdefault(id(fixturedef), set()).update(hits)
        hits.update(outer)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item, nextitem):
    hits = _recorded_hits() if _stats_run() else None
    if hits is None:
        return
    for fixturedefs in item._fixtureinfo.name2fixturedefs.values():
        for fixturedef in fixturedefs:
            hits.update(_hits_by_fixture.get(id(fixturedef), ()))


def _group_by_module(items) -> None:
    """Tests of one module together, modules in the order of their first test (see 5. above)."""
    first: dict[str, int] = {}
    for i, item in enumerate(items):
        first.setdefault(item.nodeid.split("::")[0], i)
    items.sort(key=lambda item: first[item.nodeid.split("::")[0]])  # stable: the order inside a module is kept


_hits_by_batches: dict[str, set[str]] = {}


def _credit_batches() -> None:
    """During the stats run, every read of a clerk case (Reads[key]) is credited with the calls made while any
    batch of its module was read (see 4. above)."""
    batches = sys.modules.get("tests.check.clerk_batch")
    if not _stats_run() or batches is None or getattr(batches.Reads.__getitem__, "_mutmut_credited", False):
        return
    real = batches.Reads.__getitem__

    def getitem(self, key):
        hits = _recorded_hits()
        if hits is None:
            return real(self, key)
        outer = set(hits)
        hits.clear()
        try:
            return real(self, key)
        finally:
            made = _hits_by_batches.setdefault(self.name, set())
            made.update(hits)
            hits.update(outer | made)

    getitem._mutmut_credited = True
    batches.Reads.__getitem__ = getitem


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session, config, items):
    _group_by_module(items)
    _credit_batches()
    conftest = sys.modules.get("tests.conftest")
    real = getattr(conftest, "write_demo", None)
    if real is None or getattr(real, "_mutmut_cached", False):
        return

    def write_demo(out, *args, **kwargs):
        if args or kwargs:
            return real(out, *args, **kwargs)
        if _stats_run() and not DEMO_CACHE.exists():
            hits = _recorded_hits()
            outer = set(hits) if hits is not None else set()
            if hits is not None:
                hits.clear()
            result = real(out)
            reached = set(hits) if hits is not None else {"unknown"}
            if hits is not None:
                hits.update(outer | reached)
            if not reached:
                shutil.copytree(out, DEMO_CACHE.with_suffix(".tmp"), dirs_exist_ok=True)
                DEMO_CACHE.with_suffix(".tmp").rename(DEMO_CACHE)
            return result
        if DEMO_CACHE.is_dir() and not _stats_run():
            shutil.copytree(DEMO_CACHE, out, dirs_exist_ok=True)
            return Path(out) / "returns"
        return real(out)

    write_demo._mutmut_cached = True
    conftest.write_demo = write_demo

