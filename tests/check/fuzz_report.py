"""Pytest plugin of tests/test_fuzz_cells.py: the count of cells × values in the terminal summary."""
from __future__ import annotations


def pytest_terminal_summary(terminalreporter):
    from tests.check import fuzz_support

    if fuzz_support.RUN_SUMMARY:
        terminalreporter.write_sep("-", "cell fuzzing")
        for line in fuzz_support.RUN_SUMMARY:
            terminalreporter.write_line(line)
