"""Stage 5, publishing: the town report outputs, formatted from the results of stages 3–4.

`write_outputs()` writes, under the run's output folder:
- Tong_hop_so_ket_Dan_van_kheo.xlsx  summary workbook (xlsxwriter, native charts);
- charts/*.png, charts/*.svg           matplotlib charts;
- tables/*.html                        great-tables tables, one per report section;
- report.html                          one self-contained page (no network needed);
- Du_thao_bao_cao_so_ket.docx          draft of the town's review report.
Every table comes from `sections()`, so all outputs agree; nothing here counts.
"""
from __future__ import annotations

from pathlib import Path

from pipeline.config import Plan
from pipeline.publish import charts, html
from pipeline.publish.docx import write_docx
from pipeline.publish.sections import sections
from pipeline.publish.wording import PROGRESS
from pipeline.publish.workbook import write_workbook
from pipeline.tidy.results import Results
from pipeline.ui import progress

WORKBOOK = "Tong_hop_so_ket_Dan_van_kheo.xlsx"
DOCX = "Du_thao_bao_cao_so_ket.docx"
REPORT_HTML = "report.html"


def write_outputs(out_dir: Path, results: Results, plan: Plan, is_demo: bool, show_progress: bool = True) -> list[Path]:
    """Write every town report output under `out_dir`; return the written paths."""
    out_dir = Path(out_dir)
    secs = sections(results, plan)
    paths: list[Path] = []
    with progress(show_progress) as bar:
        task = bar.add_task(PROGRESS["charts"], total=5)

        def step(key: str) -> None:
            bar.update(task, description=PROGRESS[key], advance=1)

        pngs = charts.draw_all(out_dir / "charts", secs, plan, is_demo)
        paths += [p for png in pngs.values() for p in (png, png.with_suffix(".svg"))]
        step("workbook")
        paths.append(write_workbook(out_dir / WORKBOOK, secs, plan, is_demo))
        step("tables")
        rendered = html.render_all(secs)
        paths += html.write_tables(out_dir / "tables", secs, rendered, is_demo)
        step("html")
        paths.append(html.write_report_html(out_dir / REPORT_HTML, rendered, pngs, plan, is_demo,
                                            results.reported_units))
        step("docx")
        paths.append(write_docx(out_dir / DOCX, results, secs, pngs, plan, is_demo))
        bar.advance(task)
    return paths
