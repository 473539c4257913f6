"""`make bench` end to end on a handful of returns: every contender runs and bench.json holds what the issue asks.

Timings are never asserted (shared machines); only that each figure was measured and the ratios are made of them.
"""
from __future__ import annotations

import json

import pytest

from pipeline.tools import bench


def test_bench_measures_every_contender_and_writes_its_ratios(tmp_path, capsys):
    # the feedback copy's growth timed on a few hundred problems, not the 100,000 of `make bench` (6 s)
    assert bench.run_bench(tmp_path, n=3, issue_counts=(100, 300)) == 0
    result = json.loads((tmp_path / "bench" / "bench.json").read_text(encoding="utf-8"))
    assert result["n"] == 3 and result["jobs"] >= 1
    seconds = result["seconds"]
    for name in ("baseline", "pandas_calamine", "floor", "pipeline_1job", "pipeline_jobs", "feedback", "report_1job",
                 "report_jobs", "report_again"):
        assert seconds[name] > 0 and result["peak_mb"][name] > 0, name
    # bench.json keeps seconds to the millisecond: a 3-return floor of a few ms is rounded by up to a fifth
    near = lambda a, b: pytest.approx(a / b, rel=0.2)   # noqa: E731
    assert result["ratio_vs_baseline"] == near(seconds["baseline"], seconds["pipeline_1job"])
    assert result["ratio_vs_floor"] == near(seconds["pipeline_1job"], seconds["floor"])
    assert result["report_ratio_vs_floor"] == near(seconds["report_1job"], seconds["floor"])
    assert result["peak_rss_mb"] == round(result["peak_mb"]["report_1job"], 1)
    assert set(result["feedback_scaling_seconds"]) == {"100", "300"}
    assert all(v > 0 for v in result["feedback_scaling_seconds"].values())
    assert len(list((tmp_path / "bench" / "n3" / "returns").glob("*.xlsx"))) == 3   # the generated files are kept
    printed = capsys.readouterr().out
    assert "sàn calamine" in printed and "tệp/s" in printed and "một tệp có 100 / 300 vấn đề" in printed
