"""The draft of the town's review report (DỰ THẢO), following the outline of the guidance, laid out as an
administrative document (Nghị định 30/2020/NĐ-CP).

Every figure comes from the report sections or the key figures; every name, document and recipient from
config/plan.toml ([review], [report]); judgement is left to the writers as marked placeholders, with the
units' own words quoted. Lists longer than [report] max_rows_in_docx are not printed: the text points to the
sheet of the summary workbook that holds them.
"""
from __future__ import annotations

from pathlib import Path

from pipeline import messages as msg
from pipeline.config import Plan
from pipeline.files import atomic_path
from pipeline.publish.docx_build import CENTER, LEFT, DocBuilder, cell_text
from pipeline.publish.sections import Section
from pipeline.publish.docx_parts import PartsMixin
from pipeline.publish.wording import (
    DATE_UNKNOWN_TEXT, DEMO_BANNER, DEMO_MARK, DOC_SENTENCES, DRAFT, H, MORE_QUOTES, MORE_UNITS, MOTTO, NATIONAL,
    OUTLINE, PLACE_DATE, PLACEHOLDER, PLACEHOLDERS, QUOTE, QUOTED_INTRO, REPORT_HEADING, WORKBOOK_SHEETS, headers,
    words,
)
from pipeline.text import vn_number
from pipeline.tidy.results import Results
from pipeline.tidy.tables import leadership_indicators
from schemas.codes import ALL_PERIODS, ScopeKind, SubmissionStatus

QUOTE_PT = 13
QUOTE_UNITS = 3      # units named after a quote; the others are counted


class _Report(PartsMixin):
    """One draft report being written: the document, the data and the tables."""

    def __init__(self, results: Results, secs: dict[str, Section], charts: dict[str, Path], plan: Plan,
                 is_demo: bool):
        self.d, self.r, self.secs, self.charts, self.plan, self.is_demo = DocBuilder(), results, secs, charts, plan, is_demo
        self.report = plan.raw.get("report", {})
        self.max_rows = int(self.report.get("max_rows_in_docx", 150))
        self.w = words(plan)
        self.h = headers(plan)
        self.year = plan.deadline.year

    def fig(self, name: str) -> str:
        return vn_number(self.r.figure(name))

    def placeholder(self, key: str) -> None:
        self.d.para(PLACEHOLDER.format(what=PLACEHOLDERS[key].format(**self.w)), bold=True, italic=True)

    @property
    def per_topic(self) -> int:
        """How many of the units' texts the draft quotes on one content area or topic (the rest: on their sheet)."""
        return int(self.report.get("quotes_per_area", 3))

    def quotes(self, source: str, topic_code: str, limit: int | None = None, sheet: str = "") -> None:
        """The units' words on one topic, identical texts merged (pipeline.tidy.narrative.quotes)."""
        q = self.r.aggregates["quotes"]
        sel = q[(q["source"] == source) & (q["topic_code"] == topic_code)].sort_values("order")
        if not len(sel):
            return
        limit = min(limit or self.max_rows, self.max_rows)
        self.d.para(QUOTED_INTRO, italic=True, size=QUOTE_PT)
        for r in sel.head(limit).itertuples():
            names = r.unit_names.split("; ")
            shown = ", ".join(names[:QUOTE_UNITS]) + (MORE_UNITS if len(names) > QUOTE_UNITS else "")
            p = self.d.para(QUOTE.format(text=r.text, who=shown), italic=True, size=QUOTE_PT, align=LEFT)
            p.paragraph_format.left_indent = self.d.doc.styles["Normal"].font.size  # a visible indent
        if len(sel) > limit and sheet:
            self.d.para(MORE_QUOTES.format(sheet=sheet), italic=True, size=QUOTE_PT)

    # -- the first page ---------------------------------------------------------------------
    def heading_block(self) -> None:
        mark = DRAFT + (f" – {DEMO_MARK}" if self.is_demo else "")
        self.d.header_and_page_numbers(mark, footer_mark=DEMO_MARK if self.is_demo else "")
        issuer = [(line, {"bold": True}) for line in self.report.get("issuer_lines", [])]
        place = PLACE_DATE.format(place=self.report.get("place", ""), year=self.year)
        self.d.two_columns(issuer + [("――――――", {}), (self.report.get("document_number", ""), {"size": 13})],
                           [(NATIONAL, {"bold": True, "size": 12}), (MOTTO, {"bold": True, "size": 13}),
                            ("―――――――――――――", {"after": 6}), (place, {"italic": True, "size": 13})])
        self.d.para()
        if self.is_demo:
            self.d.para(DEMO_BANNER, bold=True, size=13, align=CENTER)
        self.d.para(REPORT_HEADING, bold=True, align=CENTER).paragraph_format.space_after = 0
        self.d.para(self.plan.review["title"], bold=True, align=CENTER)
        self.d.para("――――――", align=CENTER)
        basis = "; ".join(self.report.get("basis") or [self.plan.review["plan_reference"]])
        self.d.para(DOC_SENTENCES["opening"].format(basis=basis, **self.w))

    def part_i(self) -> None:
        units = self.r.tables["units"]
        missing = units.loc[units["status"] == SubmissionStatus.MISSING, "unit_name"].tolist()
        date_unknown = self.r.figure("date_unknown")
        self.d.heading(OUTLINE["I"])
        self.d.para(DOC_SENTENCES["reporting"].format(
            reported=self.fig("reported"), registry=self.fig("registry"), on_time=self.fig("on_time"),
            late=self.fig("late"), missing=self.fig("missing"),
            date_unknown_text=DATE_UNKNOWN_TEXT.format(n=date_unknown) if date_unknown else "",
            missing_names=f" ({', '.join(missing)})" if missing else "",
            on_time_rule=msg.ON_TIME_RULE.format(deadline=msg.deadline_phrase(self.plan))))
        self.placeholder("situation")
        rep = self.secs["reporting"]
        total = rep.df.iloc[-1]
        empty = [H[k] for k in ("date_unknown", "rejected") if not total[H[k]]]  # nothing to say: not printed
        self.d.table(rep, rep.df[[c for c in rep.df.columns if c not in empty]])

    def part_ii_1(self) -> None:
        self.d.heading(OUTLINE["II"])
        self.d.heading(OUTLINE["II.1"])
        lead = self.secs["leadership"]
        total = lead.df.iloc[-1]
        period = self.plan.review.get("period_text", "")
        self.d.para(DOC_SENTENCES["leadership"].format(period_text=period[:1].upper() + period[1:], **{
            key: cell_text(total[H[col]]) for key, col in (
                ("plans", "plans_issued"), ("launch", "launch_meetings"), ("sessions", "propaganda_sessions"),
                ("participants", "propaganda_participants"), ("news", "news_items"), ("inspections", "inspections"))}))
        town_rows = lead.df[lead.df[H["group"]] == self.plan.total_label]
        columns = [H["period"], H["units_base"], *[H[c] for c in leadership_indicators(self.plan)]]
        self.d.table(lead, town_rows[columns])
        self.d.picture(self.charts.get("propaganda_by_year"))
        staff = self.secs["staff"]
        town = staff.df.iloc[-1]
        self.d.para(DOC_SENTENCES["staff"].format(
            registered=cell_text(town[H["staff_registered"]]), staff=cell_text(town[H["staff_total"]]),
            units=town[H["units_base"]].split("/")[0], rate=f"{cell_text(town[H['registered_pct']], True)}%"))
        self.d.table(staff)

    def part_ii_2(self) -> None:
        self.d.heading(OUTLINE["II.2"])
        self.d.para(DOC_SENTENCES["content"])
        self.d.table(self.secs["content"])
        by_area = self.r.aggregates["content_by_area"]
        by_area = by_area[(by_area["scope_kind"] == ScopeKind.TOWN) & (by_area["period_code"] == ALL_PERIODS)]
        for code, label in zip(self.plan.codes("content_areas"), self.plan.labels("content_areas")):
            units = by_area.loc[by_area["content_area_code"] == code, "units_with_outstanding_results"].iloc[0]
            self.d.para(DOC_SENTENCES["outstanding_area"].format(area=label, units=cell_text(units)),
                        bold=True, align=LEFT)
            self.quotes("outstanding", code, self.per_topic, WORKBOOK_SHEETS["outstanding"])
        self.placeholder("content")


def write_docx(path: Path, results: Results, secs: dict[str, Section], charts: dict[str, Path], plan: Plan,
               is_demo: bool) -> Path:
    report = _Report(results, secs, charts, plan, is_demo)
    for part in (report.heading_block, report.part_i, report.part_ii_1, report.part_ii_2, report.part_ii_3,
                 report.part_ii_4_5, report.part_ii_6, report.parts_iii_v, report.signature, report.appendix):
        part()
    with atomic_path(path) as tmp:
        report.d.save(tmp)
    return path

