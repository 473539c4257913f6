"""Time from upload to result page, for a normal return and for the largest return the limits allow; and a
deadline-day load test.

Not a test (timings are never asserted): run `python -m tests.web.measure_upload` and read the table.
It starts the real server on a loopback port over temporary folders, uploads through HTTP as a
browser does, and stops when the result page has arrived.

`python -m tests.web.measure_upload --load` is deadline day instead: 30 units, each sending 3 returns at random
moments within one minute, all from one address (one office behind NAT), with the server's default limits, while
a flood of board requests runs; it prints how many returns landed, the p95 and the longest time from upload to
result page, the 429s, and checks that nothing was lost or mixed up (each stored file byte-identical to what its
unit sent, under its unit). tests/web/test_load.py runs a smaller day and asserts only landed, lost and mixed.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import random
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
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


# -- deadline day ---------------------------------------------------------------------------------------------

@dataclass
class DeadlineDay:
    """What a load test sent and what landed."""

    sent: int = 0
    landed: int = 0                    # sent returns stored, byte for byte, under their own unit
    lost: list[str] = field(default_factory=list)      # "unit: sha" of a return sent and not stored
    mixed: list[str] = field(default_factory=list)     # a stored file that is not what its unit sent
    seconds: list[float] = field(default_factory=list)  # upload to result page, each return (retries included)
    refused_429: int = 0
    failed: list[str] = field(default_factory=list)    # an answer that was no result page
    board_requests: int = 0
    board_seconds: list[float] = field(default_factory=list)
    board_errors: int = 0
    timeline: list[tuple[float, float]] = field(default_factory=list)   # (second it was sent at, seconds it took)

    @property
    def p95(self) -> float:
        return _quantile(self.seconds, 0.95)

    @property
    def longest(self) -> float:
        return max(self.seconds, default=0.0)

    def summary(self) -> str:
        return (f"landed {self.landed}/{self.sent}, lost {len(self.lost)}, mixed {len(self.mixed)}; "
                f"upload to result page: p95 {self.p95:.2f} s, max {self.longest:.2f} s; 429s {self.refused_429}; "
                f"board requests {self.board_requests} (p95 {_quantile(self.board_seconds, 0.95) * 1000:.0f} ms, "
                f"errors {self.board_errors})")


def _quantile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def unit_returns(folder: Path, units: list[str], per_unit: int) -> dict[str, list[bytes]]:
    """`per_unit` different returns of each unit: its demo return (for a unit the demo leaves out, another unit's
    with this unit's name typed in), each under another zip comment, so that each is new bytes."""
    from pipeline.tools.demo import demo_returns
    from schemas import sheet_spec
    from tests.web.conftest import distinct

    returns, _missing = demo_returns()
    by_unit = {r.unit.unit_code: (folder / r.filename).read_bytes() for r in returns}
    names = {u.code: u.name for u in checking.units()}
    info = sheet_spec("unit_info")
    out = {}
    for unit in units:
        data = by_unit.get(unit)
        if data is None:
            wb = load_workbook(io.BytesIO(next(iter(by_unit.values()))))
            wb[info.sheet][info.cell(0, "unit_name")] = names[unit]
            buf = io.BytesIO()
            wb.save(buf)
            data = buf.getvalue()
        out[unit] = [distinct(data, f"{unit} lần {i + 1}") for i in range(per_unit)]
    return out


def deadline_day(srv, returns: dict[str, list[bytes]], seconds: float, flooders: int, board_rate: float = 100.0,
                 seed: int = 26, retries: int = 9) -> DeadlineDay:
    """Every unit sends its returns at random moments within `seconds`, all from one address, while `flooders`
    clients ask for the office board `board_rate` times a second in all (6,000 a minute by default; 0: without
    pause); then what landed is compared with what was sent. A return answered 429 is sent again after the wait
    the server asks for, `retries` times at most (as a clerk would)."""
    rng = random.Random(seed)
    result = DeadlineDay(sent=sum(len(v) for v in returns.values()))
    plan = sorted((rng.uniform(0, seconds), unit, i) for unit, datas in returns.items() for i in range(len(datas)))
    stop = threading.Event()
    lock = threading.Lock()
    rng_flood = random.Random(seed + 1)

    def flood(n: int) -> None:
        urls = (srv.office, f"{srv.office}/bang")
        gap = flooders / board_rate if board_rate else 0.0
        due = time.monotonic() + rng_flood.uniform(0, gap)
        with httpx.Client(timeout=120) as c:
            while not stop.is_set():
                due += gap
                time.sleep(max(0.0, due - time.monotonic()))
                t = time.perf_counter()
                try:
                    ok = c.get(urls[n % 2]).status_code == 200
                except httpx.HTTPError:
                    ok = False
                with lock:
                    result.board_requests += 1
                    result.board_seconds.append(time.perf_counter() - t)
                    result.board_errors += not ok
                n += 1

    # one browser per return, opened before the day starts (making ninety clients at once costs seconds of CPU)
    browsers = [httpx.Client(timeout=600, follow_redirects=True) for _ in plan]

    def send(job) -> None:
        (when, unit, i), c = job
        data = returns[unit][i]
        with c:
            time.sleep(max(0.0, start + when - time.monotonic()))
            t = time.perf_counter()
            for _attempt in range(retries + 1):
                try:
                    r = srv.upload(c, unit, data, name=f"Báo cáo sơ kết {unit} lần {i + 1}.xlsx")
                except httpx.HTTPError as exc:
                    with lock:
                        result.failed.append(f"{unit} {i}: {exc!r}")
                    return
                if r.status_code != 429:
                    break
                with lock:
                    result.refused_429 += 1
                time.sleep(float(r.headers.get("retry-after", "1")))       # as a clerk would, told to wait
            elapsed = time.perf_counter() - t
            with lock:
                if r.status_code == 200 and 'id="verdict"' in r.text:
                    result.seconds.append(elapsed)
                    result.timeline.append((when, elapsed))
                else:
                    result.failed.append(f"{unit} {i}: {r.status_code}")

    board = [threading.Thread(target=flood, args=(n,), daemon=True) for n in range(flooders)]
    for t in board:
        t.start()
    start = time.monotonic() + 1.0
    try:
        with ThreadPoolExecutor(len(plan)) as pool:
            list(pool.map(send, zip(plan, browsers)))
    finally:
        stop.set()
        for t in board:
            t.join(120)
    sender = {_sha(data): unit for unit, datas in returns.items() for data in datas}
    for unit, datas in returns.items():
        stored = {_sha(p.read_bytes()) for p in srv.received(unit)}
        for data in datas:
            if _sha(data) in stored:
                result.landed += 1
            else:
                result.lost.append(f"{unit}: {_sha(data)[:12]}")
        for sha in stored:
            if sender.get(sha) != unit:
                result.mixed.append(f"{unit}: {sha[:12]} sent by {sender.get(sha, 'nobody')}")
    return result


def server_process(root: Path):
    """`python -m pipeline.web serve` in a process of its own, as `make serve` runs it (a server in a thread of
    the process that also runs the clients shares its interpreter lock with them: every answer takes ~40 ms more)."""
    import os
    import socket
    import subprocess
    import sys

    from tests.web.conftest import LiveServer, make_settings
    from pipeline.web.tokens import issue_links

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    srv = LiveServer(make_settings(root))
    srv.url = f"http://127.0.0.1:{port}"
    for code, _name, link in issue_links(srv.settings.state, checking.units(), srv.url)[0]:
        if "/o/" in link:
            srv.office = link
        else:
            srv.links[code] = link
    env = {**os.environ, "DVK_INPUTS": str(srv.settings.inputs), "DVK_OUTPUTS": str(srv.settings.outputs),
           "DVK_STATE": str(srv.settings.state), "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    srv.process = subprocess.Popen([sys.executable, "-m", "pipeline.web", "serve", "--port", str(port)], env=env,
                                   stdout=subprocess.DEVNULL, stderr=(root / "server.log").open("wb"))
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(srv.office, timeout=5).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or srv.process.poll() is not None:
            raise RuntimeError("the server did not start")
        time.sleep(0.2)
    srv.stop = lambda: (srv.process.terminate(), srv.process.wait(60))
    return srv


def warm(srv, returns: dict[str, list[bytes]], times: int = 4) -> None:
    """A few checks before the day starts, so that every check worker has loaded what it needs, as on a server that
    has run for a while: another unit's return sent through the first unit's link, checked in full and refused
    (kept in state/refused/, never among the returns)."""
    from tests.web.conftest import distinct

    first, second = list(returns)[:2]
    with httpx.Client(timeout=600, follow_redirects=True) as c:
        for i in range(times):
            srv.upload(c, first, distinct(returns[second][0], f"warm {i}"))


def load(args) -> None:
    from pipeline.tools.demo import write_demo

    tmp = Path(tempfile.mkdtemp(prefix="dvk-load-"))
    folder = write_demo(tmp / "demo")
    units = [u.code for u in checking.units()][:args.units]
    returns = unit_returns(folder, units, args.per_unit)
    srv = server_process(tmp / "site")            # the default limits: 10 uploads at once per link, 10 a minute
    warm(srv, returns)
    before = _cpu(srv.process.pid), time.process_time()
    print(f"{len(units)} units × {args.per_unit} returns within {args.seconds:.0f} s from one address, "
          f"{args.flooders} clients asking for the board {args.board_rate:g} times a second in all meanwhile "
          f"({srv.settings.check_workers} check workers)...")
    try:
        day = deadline_day(srv, returns, args.seconds, args.flooders, args.board_rate)
        server, workers = (a - b for a, b in zip(_cpu(srv.process.pid), before[0]))
        generator = time.process_time() - before[1]
    finally:
        srv.stop()
    print(day.summary())
    print(f"CPU seconds over the day: server {server:.1f}, its check workers {workers:.1f}, "
          f"this load generator {generator:.1f}")
    if args.verbose:
        print("sent at (s) -> took (s):", ", ".join(f"{w:.1f}->{e:.1f}" for w, e in sorted(day.timeline)))
    for line in day.lost + day.mixed + day.failed:
        print("  ", line)


def _cpu(pid: int) -> tuple[float, float]:
    """CPU seconds of a process (user + system) and of its living children (the check workers)."""
    import os

    def own(p: int) -> float:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    children = [int(p.parent.name) for p in Path("/proc").glob("[0-9]*/stat")
                if _parent(p) == pid]
    return own(pid), sum(own(c) for c in children)


def _parent(stat: Path) -> int:
    try:
        return int(stat.read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return -1


def main() -> None:
    from tests.web.conftest import start_server
    from pipeline.tools.demo import demo_returns, write_demo

    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "dvk-measure-cache",
                    help="keeps the built largest returns between runs (building one takes minutes)")
    ap.add_argument("--build-only", action="store_true")
    ap.add_argument("--load", action="store_true", help="deadline day: many units sending at once (see above)")
    ap.add_argument("--units", type=int, default=30)
    ap.add_argument("--per-unit", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--flooders", type=int, default=8)
    ap.add_argument("--verbose", action="store_true", help="print when each return was sent and how long it took")
    ap.add_argument("--board-rate", type=float, default=100.0, help="board requests a second in all (0: no pause)")
    args = ap.parse_args()
    if args.load:
        return load(args)
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
                for _ in range(args.repeats):
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
