"""The great-tables HTML tables (tables/*.html) and the self-contained report.html.

Each section is rendered once and used in both. Pages are Jinja2 templates
with autoescaping; nothing in them makes a browser fetch anything.
"""
from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import math
import re
from pathlib import Path

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from pipeline.config import Plan
from pipeline.files import atomic_path
from pipeline.publish.sections import Section
from pipeline.publish.wording import DEMO_BANNER, GENERATED, HTML_TITLE, REPORT_LAYOUT, REPORT_ROWS_NOTE
from pipeline.text import vn_number

HTML_SECTIONS = [key for _anchor, _heading, keys, _stems in REPORT_LAYOUT for key in keys]   # one page each
_EXTERNAL = re.compile(r"@import\s+url\([^)]*\)\s*;?|<link\b[^>]*>|<script\b[^>]*\bsrc=[^>]*>\s*</script>", re.I)
LONG_TABLE_ROWS = 100   # longer sections are rendered by `long_html` (great-tables: ~6 ms a row)
REPORT_ROWS = 2000      # report.html shows this many rows of a longer section (a town never has one), then points to
                        # its page in tables/
STREAM_BUFFER = 2000     # template pieces joined before each write of a streamed page
_ENV = Environment(loader=PackageLoader("pipeline.publish", "templates"), autoescape=select_autoescape(["j2"]))


def strip_external(markup: str) -> str:
    """Remove anything that would make a browser fetch a URL (fonts, CSS, scripts)."""
    return _EXTERNAL.sub("", markup)


def gt_html(sec: Section) -> str:
    """One section as a great-tables table; its figures written the Vietnamese way (pipeline.text.vn_number)."""
    from great_tables import GT

    df = sec.df.copy()
    # The figures are written by vn_number, as `long_html` writes them: great-tables' own fmt_integer/fmt_number
    # read its locale tables again at every call (half of the time of a report's tables).
    kinds = {c: "num" if c in sec.number_columns else "pct" for c in [*sec.number_columns, *sec.percent_columns]
             if c in df.columns}
    for col, kind in kinds.items():
        df[col] = [_cell(v, kind) for v in df[col].tolist()]
    df.columns = [str(c) for c in df.columns]
    tbl = GT(df).tab_header(title=sec.title)    # right-aligns the columns of figures (great-tables' auto-align)
    tbl = tbl.sub_missing(missing_text="").opt_table_font(font=["Times New Roman", "DejaVu Serif", "serif"])
    tbl = tbl.tab_options(table_font_size="14px", heading_title_font_size="17px")
    if sec.note:
        tbl = tbl.tab_source_note(sec.note)
    return strip_external(tbl.as_raw_html())


def long_html(sec: Section) -> str:
    """A long listing as a plain HTML table: the same rows and formats as `gt_html`, ~100x faster.

    great-tables spends ~6 ms a row (24,000 outstanding results of 1,000 units: 150 s); above
    LONG_TABLE_ROWS rows the section is written by a Jinja2 template instead, nothing left out.
    """
    return _ENV.get_template("listing.html.j2").render(**_listing(sec))


def _listing(sec: Section) -> dict:
    """The context of listing.html.j2. Its rows are made as the template reads them (never all in memory), each
    as one escaped <tr> string: a template loop over every cell costs ~4 times as much."""
    nums, pcts = set(sec.number_columns), set(sec.percent_columns)
    kinds = ["num" if c in nums else "pct" if c in pcts else "" for c in sec.df.columns]
    opens = ['<td class="num">' if kind else "<td>" for kind in kinds]
    first_total = len(sec.df) - sec.total_rows

    def rows():   # a block of rows at a time, column by column (a row at a time iterates Arrow cells one by one)
        for start in range(0, len(sec.df), STREAM_BUFFER):
            block = sec.df.iloc[start:start + STREAM_BUFFER]
            columns = [[f"{o}{escape(_cell(v, kind))}</td>" for v in block.iloc[:, k].tolist()]
                       for k, (kind, o) in enumerate(zip(kinds, opens))]
            for i, cells in enumerate(zip(*columns), start=start):
                cells = "".join(cells)
                yield Markup(f'<tr class="total">{cells}</tr>' if i >= first_total else f"<tr>{cells}</tr>")

    return {"title": sec.title, "columns": [str(c) for c in sec.df.columns], "kinds": kinds, "rows": rows(),
            "note": sec.note}


def _cell(value, kind: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT:
        return ""
    if kind and isinstance(value, (int, float)) and not isinstance(value, bool):
        return vn_number(value, 1 if kind == "pct" else 0)
    return str(value)


def render_section(sec: Section) -> Markup:
    return Markup(long_html(sec) if len(sec.df) > LONG_TABLE_ROWS else gt_html(sec))


def _fits(sec: Section) -> bool:
    """Whether report.html shows the section whole (see REPORT_ROWS)."""
    return len(sec.df) <= REPORT_ROWS + sec.total_rows


def render_all(secs: dict[str, Section]) -> dict[str, Markup]:
    """Every section report.html shows whole, rendered once (its page in tables/ and report.html reuse it).
    A longer one is streamed to its page by `write_tables`, never held whole in memory."""
    return {key: render_section(secs[key]) for key in HTML_SECTIONS if _fits(secs[key])}


def table_page(key: str) -> str:
    """The file name of a section's page under tables/ ("06_outstanding.html")."""
    return f"{HTML_SECTIONS.index(key) + 1:02d}_{key}.html"


def write_tables(folder: Path, secs: dict[str, Section], rendered: dict[str, Markup], is_demo: bool) -> list[Path]:
    paths = []
    banner = DEMO_BANNER if is_demo else ""
    for key in HTML_SECTIONS:
        path = folder / table_page(key)
        with atomic_path(path) as tmp:
            if key in rendered:
                page = _ENV.get_template("page.html.j2").render(title=secs[key].title, table=rendered[key],
                                                                 demo_banner=banner)
                tmp.write_text(page, encoding="utf-8")
            else:
                stream = _ENV.get_template("listing_page.html.j2").stream(**_listing(secs[key]), demo_banner=banner)
                stream.enable_buffering(STREAM_BUFFER)
                stream.dump(str(tmp), encoding="utf-8")
        paths.append(path)
    return paths


def _in_report(key: str, secs: dict[str, Section], rendered: dict[str, Markup]) -> dict:
    """A section as report.html shows it: whole, or its first REPORT_ROWS rows (and its total rows) with a
    pointer to the whole table, so that a province's report stays a page a browser opens."""
    sec = secs[key]
    if key in rendered:
        return {"html": rendered[key], "more": None}
    head = pd.concat([sec.df.iloc[:REPORT_ROWS], sec.df.iloc[len(sec.df) - sec.total_rows:]]) if sec.total_rows \
        else sec.df.iloc[:REPORT_ROWS]
    return {"html": Markup(long_html(dataclasses.replace(sec, df=head))),
            "more": {"text": REPORT_ROWS_NOTE.format(n=vn_number(len(sec.df) - sec.total_rows),
                                                     shown=vn_number(REPORT_ROWS)),
                     "href": f"tables/{table_page(key)}"}}


def write_report_html(path: Path, secs: dict[str, Section], rendered: dict[str, Markup], charts: dict[str, Path],
                      plan: Plan, is_demo: bool, n_reports: int) -> Path:
    """One page with every section and chart embedded, following the report outline."""
    meta = [plan.review["title"], f'{plan.review["town"]}, {plan.review["province"]}',
            GENERATED.format(when=dt.datetime.now().strftime("%H:%M %d/%m/%Y"), n=n_reports)]
    parts = [{"anchor": anchor, "heading": heading, "tables": [_in_report(k, secs, rendered) for k in keys],
              "figures": [{"alt": stem, "data": base64.b64encode(charts[stem].read_bytes()).decode("ascii")}
                          for stem in stems if stem in charts and charts[stem].exists()]}
             for anchor, heading, keys, stems in REPORT_LAYOUT]
    page = _ENV.get_template("report.html.j2").render(title=HTML_TITLE, meta=meta, parts=parts,
                                                      demo_banner=DEMO_BANNER if is_demo else "")
    with atomic_path(path) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return path
