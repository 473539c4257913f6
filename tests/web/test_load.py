"""Deadline day, smaller (issue 26): units sending several returns at once from one address while the board is
asked for without pause. Every return lands, under its own unit, byte for byte. Timings are printed by
`python -m tests.web.measure_upload --load`, never asserted."""
from __future__ import annotations

import pytest

from pipeline.web import checking
from tests.web.measure_upload import deadline_day, server_process, unit_returns


@pytest.mark.slow
def test_units_sending_at_once_from_one_address_all_land_unmixed(tmp_path, demo_dir):
    units = [u.code for u in checking.units()][:10]
    returns = unit_returns(demo_dir / "returns", units, 2)
    srv = server_process(tmp_path)                # `make serve` as it runs, with its default limits
    try:
        day = deadline_day(srv, returns, seconds=10, flooders=3, board_rate=30, retries=0)   # a 429 is not landed
    finally:
        srv.stop()
    print(day.summary())
    assert day.failed == [] and day.lost == [] and day.mixed == []
    assert day.landed == day.sent == 20
    assert day.board_requests > 0 and day.board_errors == 0
