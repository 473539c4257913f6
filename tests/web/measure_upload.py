"""Time from upload to result page, for a normal return and for the largest return the limits allow.

Not a test (timings are never asserted): run `python -m tests.web.measure_upload` and read the table.
It starts the real server on a loopback port over temporary folders, uploads through HTTP as a
browser does, and stops when the result page has arrived.
"""
from __future__ import annotations

import argparse
import io
import random
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from openpyxl import load_workbook
from openpyxl.utils.cell import coordinate_from_string

from pipeline.web import checking

WORDS = ("vận động nhân dân tham gia xây dựng nông thôn mới đô thị văn minh cải cách hành chính một cửa "
         "dịch vụ công trực tuyến tiếp công dân đối thoại giải quyết kiến nghị dân chủ ở cơ sở giảm nghèo "
         "giải phóng mặt bằng hộ gia đình thôn tổ dân phố phường xã hội phụ nữ đoàn thanh niên cựu chiến binh "
         "mô hình hiệu quả nhân rộng công nhận quyết định kết quả thực hiện").split()


def big_return(source: Path, target_bytes: int, mistake: bool) -> bytes:
    """The demo return grown with model rows of varied text until it is just under `target_bytes`."""
    from schemas import sheet_spec

    spec = sheet_spec("models")
    rng = random.Random(7)

    def build(rows: int) -> bytes:
        wb = load_workbook(source)
        ws = wb[spec.sheet]
        names = [c.name for c in spec.columns]
        where = {n: coordinate_from_string(spec.cell(0, n)) for n in names}   # column letter, first row
        first = {n: ws[f"{col}{row}"].value for n, (col, row) in where.items()}
        for i in range(rows):
            values = dict(first)
            values["model_name"] = f"Mô hình {i + 1}: " + " ".join(rng.choices(WORDS, k=8))
            values["effect"] = " ".join(rng.choices(WORDS, k=40))
            for n, (col, row) in where.items():
                ws[f"{col}{row + 1 + i}"] = values[n]
        if mistake:
            col, row = where["start_year"]
            ws[f"{col}{row + 1}"] = "năm ngoái"
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()

    base, small = len(build(0)), 4000
    per_row = (len(build(small)) - base) / small
    rows = int((target_bytes * 0.99 - base) / per_row)
    while True:   # one large build, and a smaller one if it came out over the limit
        data = build(rows)
        print(f"  {rows} model rows: {len(data) / 1e6:.2f} MB")
        if len(data) <= target_bytes:
            return data
        rows = int(rows * target_bytes * 0.99 / len(data))


def main() -> None:
    from tests.web.conftest import start_server
    from pipeline.tools.demo import demo_returns, write_demo

    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "dvk-measure-cache",
                    help="keeps the built largest returns between runs (building one takes minutes)")
    ap.add_argument("--build-only", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="dvk-measure-"))
    folder = write_demo(tmp / "demo")
    returns, _ = demo_returns()
    clean = next(r for r in returns if not r.planted and not r.is_late and r.rows["models"])
    planted = next(r for r in returns if r.planted)
    limit = checking.max_upload_bytes()
    print(f"Building the largest return the limits allow (max_file_bytes = {limit:,} bytes)...")
    args.cache.mkdir(parents=True, exist_ok=True)
    built = {}
    for mistake in (False, True):
        path = args.cache / f"largest_{limit}_{clean.unit.unit_code}_{int(mistake)}.xlsx"
        if not path.is_file():
            path.write_bytes(big_return(folder / clean.filename, limit, mistake))
        built[mistake] = path.read_bytes()
    big, big_bad = built[False], built[True]
    if args.build_only:
        return
    cases = [
        ("normal return, no mistake", clean.unit.unit_code, (folder / clean.filename).read_bytes()),
        ("normal return, planted mistakes", planted.unit.unit_code, (folder / planted.filename).read_bytes()),
        ("largest return, no mistake", clean.unit.unit_code, big),
        ("largest return, one mistake (feedback workbook built)", clean.unit.unit_code, big_bad),
    ]
    srv = start_server(tmp / "site", upload_burst=1000, uploads_per_minute=1000)
    print(f"\n{'case':58} {'size':>9} {'median s':>9} {'runs (s)'}")
    try:
        with httpx.Client(timeout=900, follow_redirects=True) as client:
            for label, unit, data in cases:
                times = []
                for i in range(args.repeats):
                    form = srv.form_token(client, srv.links[unit])
                    # a different server-side cache key each time: the app checks identical bytes once
                    srv.web._checks.clear()
                    t = time.perf_counter()
                    r = client.post(f"{srv.links[unit]}/nop", data={"form": form},
                                    files={"file": ("bao_cao.xlsx", data)})
                    times.append(time.perf_counter() - t)
                    assert r.status_code == 200 and 'id="verdict"' in r.text, r.text[:500]
                print(f"{label:58} {len(data) / 1e6:7.2f}MB {statistics.median(times):9.2f} "
                      f"{', '.join(f'{t:.2f}' for t in times)}")
    finally:
        srv.stop()


if __name__ == "__main__":
    main()
