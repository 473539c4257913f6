"""Stage 5, publishing: the town report outputs, formatted from the results of stages 3–4.

`write_outputs()` writes, under the run's output folder:
- Tong_hop_so_ket_Dan_van_kheo.xlsx  summary workbook (xlsxwriter, native charts);
- charts/*.png, charts/*.svg           matplotlib charts;
- tables/*.html                        great-tables tables, one per report section;
- report.html                          one self-contained page (no network needed);
- Du_thao_bao_cao_so_ket.docx          draft of the town's review report (outward: no ranking);
- Bao_cao_noi_bo_xet_khen_thuong.docx  the office's internal note: verdicts, suggested ranking, weights, its decisions;
- Du_thao_Quyet_dinh_tang_Giay_khen.docx, Du_thao_To_trinh_de_nghi_Bang_khen.docx,
  Du_thao_Bao_cao_thanh_tich_de_nghi_Bang_khen.docx (once a nominee is chosen), Quyet_dinh_cua_co_quan.xlsx:
  the award dossier (pipeline/publish/docx_dossier.py, decisions_xlsx.py).
Every table comes from `sections()`, so all outputs agree; nothing here counts.
"""
from __future__ import annotations

import dataclasses
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from pipeline.config import Plan
from pipeline.publish import charts, html
from pipeline.publish.docx import write_docx
from pipeline.publish.decisions_xlsx import write_decisions_template
from pipeline.publish.docx_dossier import (
    ACHIEVEMENT_DOCX, DECISION_DOCX, SUBMISSION_DOCX, write_achievement_report, write_decision, write_submission,
)
from pipeline.publish.docx_note import NOTE_DOCX, write_note
from pipeline.publish.sections import sections
from pipeline.publish.wording import PROGRESS
from pipeline.publish.workbook import write_workbook
from pipeline.read.award_decisions import TEMPLATE_NAME
from pipeline.tidy.results import Results
from pipeline.ui import progress

WORKBOOK = "Tong_hop_so_ket_Dan_van_kheo.xlsx"
DOCX = "Du_thao_bao_cao_so_ket.docx"
REPORT_HTML = "report.html"

log = logging.getLogger(__name__)
SOURCE_TABLES = ("units", "models")   # the tidy tables the outputs draw from, besides the aggregates


def publishable(results: Results) -> Results:
    """The results without the tidy tables no output draws from: they are written already, and at a
    province's scale they hold hundreds of MB."""
    return dataclasses.replace(results, tables={k: results.tables[k] for k in SOURCE_TABLES})


def write_outputs(out_dir: Path, results: Results, plan: Plan, is_demo: bool, show_progress: bool = True,
                  jobs: int = 1) -> list[Path]:
    """Write every town report output under `out_dir`; return the written paths.

    With jobs >= 2 a second process (forked: it inherits the sections, nothing is pickled) draws charts
    alongside this one, each process taking the next chart nobody took, then makes the summary workbook
    while this one writes the HTML and the docx; what a second process that dies did not make is made here.
    """
    out_dir = Path(out_dir)
    secs = sections(results, plan)
    helper = _Helper(out_dir, secs, plan, is_demo) if jobs >= 2 else None
    paths: list[Path] = []
    try:
        with progress(show_progress) as bar:
            task = bar.add_task(PROGRESS["charts"], total=5)

            def step(key: str) -> None:
                bar.update(task, description=PROGRESS[key], advance=1)

            pngs = _draw_charts(out_dir, secs, plan, is_demo, helper.claimed() if helper else charts.STEMS)
            step("tables")
            rendered = html.render_all(secs)
            paths += html.write_tables(out_dir / "tables", secs, rendered, is_demo)
            if helper:   # the charts the second process drew; any it could not, drawn here
                pngs |= helper.result("charts")
                pngs |= _draw_charts(out_dir, secs, plan, is_demo, [s for s in charts.STEMS if s not in pngs])
            pngs = {stem: pngs[stem] for stem in charts.STEMS}
            paths += [p for png in pngs.values() for p in (png, png.with_suffix(".svg"))]
            step("html")
            paths.append(html.write_report_html(out_dir / REPORT_HTML, secs, rendered, pngs, plan, is_demo,
                                                results.reported_units))
            step("docx")
            paths.append(write_docx(out_dir / DOCX, results, secs, pngs, plan, is_demo))
            paths.append(write_note(out_dir / NOTE_DOCX, results, secs, plan, is_demo))
            paths += write_dossier(out_dir, results, plan, is_demo)
            step("workbook")
            paths.append(helper.result("workbook") if helper else _write_workbook(out_dir, secs, plan, is_demo))
            bar.advance(task)
    finally:
        if helper:
            helper.close()
    return paths


def write_dossier(out_dir: Path, results: Results, plan: Plan, is_demo: bool) -> list[Path]:
    """The award dossier: the Quyết định and the Tờ trình (always: placeholders until the office decides), the
    nominee's báo cáo thành tích (once it chose one) and the decisions file for the office to fill."""
    paths = [write_decision(out_dir / DECISION_DOCX, results, plan, is_demo),
             write_submission(out_dir / SUBMISSION_DOCX, results, plan, is_demo),
             write_achievement_report(out_dir / ACHIEVEMENT_DOCX, results, plan, is_demo),
             write_decisions_template(out_dir / TEMPLATE_NAME, results, plan, is_demo)]
    return [p for p in paths if p is not None]


def _draw_charts(out_dir: Path, secs: dict, plan: Plan, is_demo: bool, stems=charts.STEMS) -> dict[str, Path]:
    return charts.draw_all(out_dir / "charts", secs, plan, is_demo, stems)


def _write_workbook(out_dir: Path, secs: dict, plan: Plan, is_demo: bool) -> Path:
    return write_workbook(out_dir / WORKBOOK, secs, plan, is_demo)


def _draw_claimed(out_dir: Path, secs: dict, plan: Plan, is_demo: bool) -> dict[str, Path]:
    return _draw_charts(out_dir, secs, plan, is_demo, _claimed(_NEXT_CHART))


PARTS = {"charts": _draw_claimed, "workbook": _write_workbook}   # what the second process makes, in this order
_ARGS: tuple = ()   # (out_dir, secs, plan, is_demo), set before the fork: the forked process inherits it
_NEXT_CHART = None  # the index of the next chart nobody drew yet, shared by both processes


def _claimed(counter):
    """The charts this process takes, one at a time, from those no process took yet: both processes draw
    charts first, so the second moves on to the workbook (the longest part) as soon as they are done."""
    lock = counter.get_lock()
    while lock.acquire(timeout=10):   # never blocks for good: a chart nobody drew is drawn by write_outputs
        i = counter.value
        counter.value += 1
        lock.release()
        if i >= len(charts.STEMS):
            return
        yield charts.STEMS[i]


def _make(part: str):
    return PARTS[part](*_ARGS)


class _Helper:
    """The second process of `write_outputs`: one forked worker making PARTS in order."""

    def __init__(self, *args) -> None:
        global _ARGS, _NEXT_CHART
        context = multiprocessing.get_context("fork")
        _ARGS, _NEXT_CHART = args, context.Value("i", 0)
        self.pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
        self.futures = {part: self.pool.submit(_make, part) for part in PARTS}

    def claimed(self):
        return _claimed(_NEXT_CHART)

    def result(self, part: str):
        try:
            return self.futures[part].result()
        except BrokenProcessPool:
            log.error("the second publishing process died; making %s here", part)
            return {} if part == "charts" else _make(part)   # charts it could not draw: drawn by the caller

    def close(self) -> None:
        global _ARGS, _NEXT_CHART
        self.pool.shutdown(wait=True, cancel_futures=True)
        _ARGS, _NEXT_CHART = (), None
