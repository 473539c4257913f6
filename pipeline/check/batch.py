"""Stages 1–2 over many files: read and check in chunks, on every core, with a cache.

Files are cut into chunks whose boundaries depend on the files' names only (a
changed file only changes its own chunk, a new one its own and at worst the next few). Each chunk is read,
identified and validated in a worker process that receives the plan once
(pool initializer); the worker releases the raw cells as soon as the chunk is
validated and writes the feedback workbooks of its files. Each chunk's result
is cached under outputs/.cache by the key of its files (path, sha256) and of
the run (config that checking depends on, the checking code, the day): a
second run on unchanged inputs reads nothing again. A worker that crashes on
a file costs that file only: it is rejected with a "lỗi chương trình" reason.
"""
from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import pickle
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline import messages as msg
from pipeline.check.budget import OverBudget, budget
from pipeline.check.feedback import feedback_bytes, feedback_suffix, issue_list, issues_digest
from pipeline.check.units import (
    choose_returns, complete_returns, counts_in_choosing, identify, ranking_errors, today,
)
from pipeline.check.validation import proposal_warnings_again, validate
from pipeline.config import ROOT, Plan, package_version
from pipeline.files import atomic_path
from pipeline.read.decisions import SEND_BACK
from pipeline.read.discover import check_loaded
from pipeline.read.sheets import match_sheets
from pipeline.read.sources import Issue, SourceFile
from pipeline.read.workbook import read_workbook
from pipeline.ui import progress
from schemas.codes import FileStatus
from schemas.rules import Rule

log = logging.getLogger(__name__)
CHUNK_AVERAGE = 256     # files per chunk on average (pandera costs ~0.1 s a call: few calls, many rows each)
CODE_FOLDERS = ("pipeline/read", "pipeline/check", "schemas")
CODE_FILES = ("pipeline/config.py", "pipeline/matching.py", "pipeline/messages.py", "pipeline/rules.py",
              "pipeline/text.py")
FAULT_ENV = "DVK_FAULT_FILE"    # fault injection for tests: a worker dies on this file
COUNT_COLUMNS = ["file", "sheet", "table", "rows_read", "rows_valid", "rows_excluded"]


@dataclass
class ChunkResult:
    """What checking one chunk of files found."""

    sources: list[SourceFile]                       # read and identified; raw cells released
    tables: dict[str, pd.DataFrame]                 # sheet name -> valid rows of these files
    issues: list[Issue]
    counts: pd.DataFrame                            # file, sheet -> rows read, valid, excluded
    feedback: dict[str, tuple[str, str]] = field(default_factory=dict)   # file -> (cached workbook, issues digest)
    places: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)   # file -> sheet -> column -> letter


def jobs_from_env() -> int:
    """JOBS=n sets the worker processes (default: every core); JOBS=1 works in this process."""
    value = os.environ.get("JOBS", "")
    return max(1, int(value)) if value.strip().isdigit() else (os.cpu_count() or 1)


def run_digest(plan: Plan) -> str:
    """What the checking of a file depends on besides its bytes: config, checking code, package, day of the run."""
    raw = {k: v for k, v in plan.raw.items() if k not in ("report", "plausibility")}   # plausibility: after the chunks
    raw["awards"] = {k: v for k, v in plan.raw.get("awards", {}).items() if k != "ranking"}  # ranking: later stages
    h = hashlib.sha256(json.dumps(raw, sort_keys=True, default=str).encode())
    h.update(json.dumps([u.__dict__ for u in plan.units], sort_keys=True, default=str).encode())
    for folder in CODE_FOLDERS:
        for path in sorted((ROOT / folder).glob("*.py")):
            h.update(path.read_bytes())
    for name in CODE_FILES:
        h.update((ROOT / name).read_bytes())
    h.update(package_version().encode())
    h.update(today().isoformat().encode())
    return h.hexdigest()


def config_digest(plan: Plan) -> str:
    """A digest of the whole configuration (the plan and its registry as read), for the run manifest."""
    h = hashlib.sha256(json.dumps(plan.raw, sort_keys=True, default=str).encode())
    h.update(json.dumps([u.__dict__ for u in plan.units], sort_keys=True, default=str).encode())
    return h.hexdigest()


def _file_key(digest: str, src: SourceFile) -> str:
    return hashlib.sha256(f"{digest}\0{src.file}\0{src.sha256}".encode()).hexdigest()


def chunks(sources: list[SourceFile], jobs: int = 1) -> list[list[SourceFile]]:
    """Chunks cut by the files' names: a boundary after each file whose name's hash is 0 (mod the average size).

    The boundaries do not depend on a file's bytes or on the day of the run, so a changed file only makes its own
    chunk be checked again, and a new file its own chunk and at worst the next few. The average is
    CHUNK_AVERAGE, halved (a power of two) until every worker gets more than two chunks' worth: each chunk
    costs a fixed ~0.3 s of pandera calls, so fewer, bigger chunks pay better than fine load balancing. A
    chunk ends after twice the average at the latest.
    """
    average = CHUNK_AVERAGE
    while average > 1 and len(sources) <= average * jobs * 2:
        average //= 2
    out, current = [], []
    for src in sources:
        current.append(src)
        if int(hashlib.sha256(src.file.encode()).hexdigest()[-8:], 16) % average == 0 or len(current) >= 2 * average:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


# -- the worker side ----------------------------------------------------------------------------

_PLAN: Plan | None = None
_FEEDBACK_DIR: Path | None = None


def _init(plan: Plan, feedback_dir: Path | None) -> None:
    global _PLAN, _FEEDBACK_DIR
    _PLAN, _FEEDBACK_DIR = plan, feedback_dir


def check_chunk(sources: list[SourceFile], keys: dict[str, str]) -> ChunkResult:
    """Read, identify and validate a chunk of files; write their feedback workbooks (in a worker)."""
    plan, fault = _PLAN, os.environ.get(FAULT_ENV)
    for src in sources:
        if fault and src.file == fault:
            os._exit(70)  # a simulated crash of the worker (tests)
        try:
            with budget(plan.limits):
                check_loaded(src, plan)          # not a workbook (HTML, Word, encrypted, a zip bomb): refused here
                if not src.status:
                    read_workbook(src, plan)
                src.data = None                  # the bytes are read again only for a feedback copy
                if not src.status:
                    identify(src, plan)
        except OverBudget as over:
            src.sheets.clear()
            src.issues.clear()
            src.reject(over.reason)
    validated = validate(sources, plan)
    counts = _counts(sources, validated.tables, plan)
    places = {src.file: _places(src) for src in sources if src.sheets}
    for src in sources:   # the raw cells are not needed any more: keep what the later steps read
        src.readable, src.sheets = bool(src.sheets), {}
        src.issues = []
    result = ChunkResult(sources, _sliced(validated.tables), validated.issues, counts, places=places)
    if _FEEDBACK_DIR is not None:
        result.feedback = _feedback(sources, validated.issues, keys, _FEEDBACK_DIR)
    return result


def _places(src: SourceFile) -> dict[str, dict[str, str]]:
    """Where each column of each sheet is in this file (tables: its letter; forms: its cell), for the warnings made
    once every chunk is checked (pipeline.check.plausibility)."""
    return {name: dict((sheet.addresses if sheet.addresses is not None else sheet.letters) or {})
            for name, sheet in src.sheets.items()}


def _sliced(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return {name: df.reset_index(drop=True) for name, df in tables.items()}


def _counts(sources: list[SourceFile], tables: dict[str, pd.DataFrame], plan: Plan) -> pd.DataFrame:
    rows = []
    for spec in plan.sheets:
        valid = tables[spec.name]["source_file"].value_counts() if len(tables[spec.name]) else pd.Series(dtype=int)
        for src in sources:
            sheet = src.sheets.get(spec.name)
            if sheet is None:
                continue
            read, ok = len(sheet.records), int(valid.get(src.file, 0))
            rows.append({"file": src.file, "sheet": spec.sheet, "table": spec.name, "rows_read": read,
                         "rows_valid": ok, "rows_excluded": read - ok if spec.layout == "table" else 0})
    return pd.DataFrame(rows, columns=COUNT_COLUMNS)


def _feedback(sources: list[SourceFile], issues: list[Issue], keys: dict[str, str],
              folder: Path) -> dict[str, tuple[str, str]]:
    """The feedback workbook of each readable file with a problem, as the checking of this chunk sees it."""
    by_file: dict[str, list[Issue]] = {}
    for issue in issues:
        by_file.setdefault(issue.file, []).append(issue)
    out = {}
    for src in sources:
        mine = by_file.get(src.file)
        if not mine or not src.readable or src.status not in ("", FileStatus.REJECTED):
            continue
        rows = issue_list(mine, src, _PLAN)
        if not rows:
            continue
        try:
            with budget(_PLAN.limits):
                data = feedback_bytes(src.load(), src.format, rows, _PLAN)
            path = folder / f"{keys[src.file]}{feedback_suffix(data)}"
            with atomic_path(path) as tmp:
                tmp.write_bytes(data)
        except (Exception, OverBudget):  # a copy that cannot be made is remade later, or skipped
            log.exception("feedback workbook of %s", src.file)
            continue
        out[src.file] = (path.name, issues_digest(rows))
    return out


# -- the parent side ----------------------------------------------------------------------------

@dataclass
class Checking:
    """Every chunk's result, assembled; the feedback workbooks made on the way (file -> path, issues digest)."""

    sources: list[SourceFile]
    tables: dict[str, pd.DataFrame]
    issues: list[Issue]
    counts: pd.DataFrame
    feedback: dict[str, tuple[Path, str]]
    places: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)   # file -> sheet -> column -> letter


def check_files(sources: list[SourceFile], plan: Plan, jobs: int = 1, cache: Path | None = None,
                show_progress: bool = False) -> Checking:
    """Read and check every file found; `cache` (a folder) keeps each chunk's result for the next run."""
    readable = [s for s in sources if not s.status]
    digest = run_digest(plan) if cache else "no-cache"
    keys = {s.file: _file_key(digest, s) for s in readable}
    parts = chunks(readable, jobs)
    feedback_dir = (cache / "feedback") if cache else None
    if feedback_dir:
        feedback_dir.mkdir(parents=True, exist_ok=True)
    results: dict[int, ChunkResult] = {}
    todo = []
    for i, part in enumerate(parts):
        hit = _load(cache, _chunk_key(part, keys)) if cache else None
        if hit is not None:
            results[i] = hit
        else:
            todo.append(i)
    with progress(show_progress) as bar:
        task = bar.add_task(msg.PROGRESS_READING, total=len(readable))
        bar.advance(task, sum(len(parts[i]) for i in results))
        for i, result in _run(parts, todo, keys, plan, jobs, feedback_dir):
            results[i] = result
            if cache:
                _store(cache, _chunk_key(parts[i], keys), result)
            bar.advance(task, len(parts[i]))
    if cache:
        _prune(cache, {_chunk_key(p, keys) for p in parts}, {keys[s.file] for s in readable})
    return _assemble(sources, [results[i] for i in range(len(parts))], plan, feedback_dir)


def _chunk_key(part: list[SourceFile], keys: dict[str, str]) -> str:
    return hashlib.sha256("".join(keys[s.file] for s in part).encode()).hexdigest()


def _run(parts, todo, keys, plan, jobs, feedback_dir):
    """(index, result) of each chunk to check, in this process (jobs=1) or in a pool of workers."""
    if jobs <= 1 or not todo:
        _init(plan, feedback_dir)
        for i in todo:
            yield i, _safe_chunk(parts[i], keys)
        return
    done: set[int] = set()
    try:
        with _pool(jobs, plan, feedback_dir) as pool:
            biggest_first = sorted(todo, key=lambda i: -len(parts[i]))   # no worker left alone with a big chunk at the end
            futures = {pool.submit(check_chunk, parts[i], {s.file: keys[s.file] for s in parts[i]}): i
                       for i in biggest_first}
            for future in as_completed(futures):
                i = futures[future]
                result = future.result()
                done.add(i)
                yield i, result
    except BrokenProcessPool:
        # A worker died (not a Python error: those are caught per file). Each unfinished chunk now runs in a
        # process of its own, and a chunk that kills its process is taken apart file by file.
        log.error("a checking worker died; checking the remaining chunks one process each")
        for i in todo:
            if i not in done:
                yield i, _alone(parts[i], keys, plan, feedback_dir)


def _pool(jobs: int, plan: Plan, feedback_dir: Path | None) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"),
                               initializer=_init, initargs=(plan, feedback_dir))


def _alone(part: list[SourceFile], keys: dict[str, str], plan: Plan, feedback_dir: Path | None) -> ChunkResult:
    with _pool(1, plan, feedback_dir) as pool:
        try:
            return pool.submit(check_chunk, part, {s.file: keys[s.file] for s in part}).result()
        except BrokenProcessPool:
            pass
    return _isolate(part, keys, plan, feedback_dir)


def _safe_chunk(part: list[SourceFile], keys: dict[str, str]) -> ChunkResult:
    return check_chunk(part, {s.file: keys[s.file] for s in part})


def _isolate(part, keys, plan, feedback_dir) -> ChunkResult:
    """A chunk whose worker died: each file alone in its own worker; the one that kills it is rejected."""
    pieces = []
    for src in part:
        with _pool(1, plan, feedback_dir) as pool:
            try:
                pieces.append(pool.submit(check_chunk, [src], {src.file: keys[src.file]}).result())
            except BrokenProcessPool as exc:
                src.reject(msg.FILE_INTERNAL_ERROR, error=exc)
                src.error = f"the worker process died while reading this file ({exc!r})"
                pieces.append(ChunkResult([src], validate([], plan).tables, [], pd.DataFrame(columns=COUNT_COLUMNS)))
    return _merge(pieces, plan)


def _merge(pieces: list[ChunkResult], plan: Plan) -> ChunkResult:
    tables = {spec.name: pd.concat([p.tables[spec.name] for p in pieces if spec.name in p.tables] or
                                   [pd.DataFrame()], ignore_index=True) for spec in plan.sheets}
    return ChunkResult([s for p in pieces for s in p.sources], tables, [i for p in pieces for i in p.issues],
                       pd.concat([p.counts for p in pieces], ignore_index=True),
                       {f: v for p in pieces for f, v in p.feedback.items()},
                       {f: v for p in pieces for f, v in p.places.items()})


def _assemble(sources: list[SourceFile], parts: list[ChunkResult], plan: Plan, feedback_dir: Path | None) -> Checking:
    """One return per unit across all chunks; the rows and issues of superseded files are dropped, but for the
    sheets the used file lacks, taken from the unit's other file (a return sent in parts); the rows of a return
    the office sent back are dropped (its problems stay listed for the unit)."""
    checked = {s.file: s for p in parts for s in p.sources}
    found = {s.file: s for s in sources}
    for file, src in checked.items():           # a cached file keeps its bytes, not its time on disk nor the
        here = found[file]                      # office's decision on it
        src.mtime, src.decision, src.decision_reason = here.mtime, here.decision, here.decision_reason
    everyone = [checked.get(s.file, s) for s in sources]
    for src in everyone:
        src.issues = [] if src.file in checked else src.issues
    counts = pd.concat([p.counts for p in parts] + [pd.DataFrame(columns=COUNT_COLUMNS)], ignore_index=True)
    sent_back = {s.file for s in everyone if s.unit_code and not s.status and s.decision == SEND_BACK}
    several = choose_returns(everyone, plan, _errors_of(everyone, parts))
    borrowed = complete_returns(several, *_sheets_of(several, parts, counts), plan) if several else {}
    dropped = {s.file for s in everyone if s.status == FileStatus.SUPERSEDED}
    completed = {(used, plan.sheet(table).sheet) for (_giver, table), used in borrowed.items()}
    issues = [i for p in parts for i in p.issues
              if (i.file not in dropped or borrowed and (i.file, _table_of(i, plan)) in borrowed)
              and not (i.rule == Rule.SHEET_MISSING and (i.file, i.sheet) in completed)]
    issues += [i for s in everyone for i in s.issues]          # "used over" warnings and discovery problems
    tables, empty = {}, _empty_tables(plan)
    for spec in plan.sheets:
        frames = [p.tables[spec.name] for p in parts if len(p.tables.get(spec.name, ()))]
        frame = pd.concat(frames, ignore_index=True) if frames else empty[spec.name]
        if removed := (dropped | sent_back) - _giving(borrowed, spec.name):   # sent back: its problems stay listed
            frame = frame[~frame["source_file"].isin(removed)]
        tables[spec.name] = frame.reset_index(drop=True)
    if borrowed:   # the proposal warnings of a return sent in parts, against the models of the whole return
        parted = {f for pair, used in borrowed.items() for f in (pair[0], used)}
        issues = proposal_warnings_again(issues, tables["models"], {s.file: s.unit_code for s in everyone
                                                                    if s.file in parted}, plan)
    kept = ~counts["file"].isin(dropped | sent_back)
    if borrowed:
        kept |= pd.MultiIndex.from_arrays([counts["file"], counts["table"]]).isin(list(borrowed))
    counts = counts[kept].groupby(["sheet", "table"], sort=False, as_index=False)[
        ["rows_read", "rows_valid", "rows_excluded"]].sum()
    feedback = {f: (feedback_dir / name, dig) for p in parts for f, (name, dig) in p.feedback.items()} \
        if feedback_dir else {}
    return Checking(everyone, tables, issues, counts, feedback, {f: v for p in parts for f, v in p.places.items()})


_EMPTY: tuple[Plan, dict[str, pd.DataFrame]] | None = None


def _empty_tables(plan: Plan) -> dict[str, pd.DataFrame]:
    """Each sheet's table with no row, typed: made once per plan (validating nothing still costs a tenth of a
    second of pandera, which the web pays on every upload it checks)."""
    global _EMPTY
    if _EMPTY is None or _EMPTY[0] is not plan:
        _EMPTY = (plan, validate([], plan).tables)
    return _EMPTY[1]


def _errors_of(everyone: list[SourceFile], parts: list[ChunkResult]) -> dict[str, int]:
    """Each file's errors, as files.csv counts them but the report date's, for choosing among a unit's returns."""
    errors: dict[str, int] = {}
    missing: dict[str, dict[str, str]] = {}
    for issue in [i for p in parts for i in p.issues] + [i for s in everyone for i in s.issues]:
        if counts_in_choosing(str(issue.severity), issue.column):
            errors[issue.file] = errors.get(issue.file, 0) + 1
        if issue.rule == Rule.SHEET_MISSING:
            missing.setdefault(issue.file, {})[issue.sheet] = str(issue.severity)
    return ranking_errors(everyone, errors, missing)


def _sheets_of(several: list[list[SourceFile]], parts: list[ChunkResult], counts: pd.DataFrame,
               ) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(file, sheet name) of each template sheet missing, and (file, table) of each sheet read, of the files of the
    units that sent several (only those can complete one another; kept small at the scale of a country)."""
    files = {s.file for group in several for s in group}
    missing = {(i.file, i.sheet) for p in parts for i in p.issues if i.rule == Rule.SHEET_MISSING and i.file in files}
    mine = counts[counts["file"].isin(files)]
    return missing, set(zip(mine["file"], mine["table"]))


def _giving(borrowed: dict[tuple[str, str], str], table: str) -> set[str]:
    """The superseded files whose sheet `table` is still used (a return sent in parts)."""
    return {giver for giver, name in borrowed if name == table}


def _table_of(issue: Issue, plan: Plan) -> str | None:
    """The template table of the sheet an issue is on (None for a file-level issue or another sheet)."""
    found = match_sheets([issue.sheet], plan.sheets) if issue.sheet else {}
    return next(iter(found), None)


# -- the cache on disk ------------------------------------------------------------------------

def _load(cache: Path, key: str) -> ChunkResult | None:
    path = cache / "chunks" / f"{key}.pkl"
    try:
        with path.open("rb") as fh:
            result = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    if any(not (cache / "feedback" / name).exists() for name, _ in result.feedback.values()):
        return None
    return result


def _store(cache: Path, key: str, result: ChunkResult) -> None:
    path = cache / "chunks" / f"{key}.pkl"
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        with tmp.open("wb") as fh:
            pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)


def _prune(cache: Path, chunk_keys: set[str], file_keys: set[str]) -> None:
    """Forget what this run did not use, so the cache never grows past one run's files."""
    for path in (cache / "chunks").glob("*.pkl"):
        if path.stem not in chunk_keys:
            path.unlink(missing_ok=True)
    for path in (cache / "feedback").glob("*.xls[xm]"):
        if path.stem not in file_keys:
            path.unlink(missing_ok=True)
