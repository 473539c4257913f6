"""The draft of the town's review report (DỰ THẢO), following the outline of the guidance.

Every figure comes from the report sections or the key figures; judgement is
left to the writers as marked placeholders, with the units' own words quoted.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.config import Plan
from pipeline.files import atomic_path
from pipeline.publish.docx_build import CENTER, LEFT, DocBuilder, cell_text
from pipeline.publish.sections import Section
from pipeline.publish.wording import (
    DATE_UNKNOWN_TEXT, DEMO_BANNER, DOC_NUMBER, DOC_SENTENCES, DRAFT, H, ISSUER, MOTTO, NATIONAL, OUTLINE, PLACE_DATE, PLACEHOLDER,
    PLACEHOLDERS, QUOTED_INTRO, RECIPIENTS, REPORT_HEADING, SECTION_TITLES, SIGNATURE,
)
from pipeline.text import vn_number
from pipeline.tidy.results import Results
from pipeline.tidy.tables import LEADERSHIP_INDICATORS
from schemas.codes import SubmissionStatus


class _Report:
    """One draft report being written: the document, the data and the tables."""

    def __init__(self, results: Results, secs: dict[str, Section], charts: dict[str, Path], plan: Plan,
                 is_demo: bool):
        self.d, self.r, self.secs, self.charts, self.plan, self.is_demo = DocBuilder(), results, secs, charts, plan, is_demo
        self.names = dict(zip(results.tables["units"]["unit_code"], results.tables["units"]["unit_name"]))

    def fig(self, name: str) -> str:
        return vn_number(self.r.figure(name))

    def placeholder(self, key: str) -> None:
        self.d.para(PLACEHOLDER.format(what=PLACEHOLDERS[key]), bold=True, italic=True)

    def quotes(self, topic_code: str) -> None:
        a = self.r.tables["assessments"]
        sel = a[a["topic_code"] == topic_code]
        if not len(sel):
            return
        self.d.para(QUOTED_INTRO, italic=True, size=12)
        for text, grp in sel.groupby("text", sort=False):
            who = ", ".join(grp["unit_code"].map(self.names))
            p = self.d.para(f"“{text}” ({who})", italic=True, size=12, align=LEFT)
            p.paragraph_format.left_indent = self.d.doc.styles["Normal"].font.size  # a visible indent

    def heading_block(self) -> None:
        self.d.header_text(DRAFT + (" – DỮ LIỆU MẪU" if self.is_demo else ""))
        self.d.two_columns([(ISSUER, {"bold": True}), ("―――――", {}), (DOC_NUMBER, {})],
                           [(NATIONAL, {"bold": True, "size": 12}), (MOTTO, {"bold": True}), ("―――――――――――――", {}),
                            (PLACE_DATE, {"italic": True})])
        self.d.para()
        self.d.para(DRAFT, bold=True, size=16, align=CENTER).paragraph_format.space_after = 0
        if self.is_demo:
            self.d.para(DEMO_BANNER, bold=True, size=13, align=CENTER)
        self.d.para(REPORT_HEADING, bold=True, align=CENTER).paragraph_format.space_after = 0
        self.d.para(self.plan.review["title"], bold=True, align=CENTER)

    def part_i(self) -> None:
        units = self.r.tables["units"]
        missing = units.loc[units["status"] == SubmissionStatus.MISSING, "unit_name"].tolist()
        date_unknown = self.r.figure("date_unknown")
        self.d.heading(OUTLINE["I"])
        self.d.para(DOC_SENTENCES["reporting"].format(
            plan_reference=self.plan.review["plan_reference"], reported=self.fig("reported"),
            registry=self.fig("registry"), on_time=self.fig("on_time"), late=self.fig("late"),
            missing=self.fig("missing"), date_unknown_text=DATE_UNKNOWN_TEXT.format(n=date_unknown)
            if date_unknown else "", missing_names=f" ({', '.join(missing)})" if missing else ""))
        self.placeholder("situation")
        self.d.table(self.secs["reporting"])

    def part_ii_1(self) -> None:
        self.d.heading(OUTLINE["II"])
        self.d.heading(OUTLINE["II.1"])
        lead = self.secs["leadership"]
        total = lead.df.iloc[-1]
        self.d.para(DOC_SENTENCES["leadership"].format(**{
            key: cell_text(total[H[col]]) for key, col in (
                ("plans", "plans_issued"), ("launch", "launch_meetings"), ("sessions", "propaganda_sessions"),
                ("participants", "propaganda_participants"), ("news", "news_items"), ("inspections", "inspections"))}))
        town_rows = lead.df[lead.df[H["group"]] == self.plan.total_label]
        columns = [H["period"], *[H[c] for c in LEADERSHIP_INDICATORS]]
        self.d.table(lead, town_rows[columns])
        self.d.picture(self.charts.get("propaganda_by_year"))

    def part_ii_2_3(self) -> None:
        self.d.heading(OUTLINE["II.2"])
        self.d.para(DOC_SENTENCES["content"])
        self.d.table(self.secs["content"])
        self.placeholder("content")
        self.d.heading(OUTLINE["II.3"])
        total = self.secs["models_field"].df.iloc[-1]
        groups = (self.plan.groups + ["", ""])[:2]
        without = self.r.aggregates["units_without_models"]["unit_name"].tolist()
        self.d.para(DOC_SENTENCES["models"].format(
            models=self.fig("models"), recognised=self.fig("recognised"), replicated=self.fig("replicated"),
            recognised_pct=f"{cell_text(total[H['recognised_pct']], True)}%",
            replicated_pct=f"{cell_text(total[H['replicated_pct']], True)}%",
            models_commune=cell_text(total.get(groups[0], 0)), models_town=cell_text(total.get(groups[1], 0)),
            no_models=self.fig("units_without_models"),
            no_model_names=f" ({', '.join(without)})" if without else ""))
        self.d.table(self.secs["models_field"])
        self.d.picture(self.charts.get("models_by_field_group"))
        self.d.table(self.secs["models_recognition"])
        self.placeholder("models")

    def part_ii_4_6(self) -> None:
        self.d.heading(OUTLINE["II.4"])
        self.d.para(DOC_SENTENCES["classification"])
        self.d.table(self.secs["classification"])
        self.d.heading(OUTLINE["II.5"])
        self.d.para(DOC_SENTENCES["awards_given"].format(collectives=self.fig("awarded_collectives"),
                                                         individuals=self.fig("awarded_individuals")))
        proposals, eligible = self.r.figure("proposals"), self.r.figure("eligible")
        self.d.para(DOC_SENTENCES["proposals"].format(proposals=proposals, eligible=eligible,
                                                      not_eligible=proposals - eligible))
        self.d.heading(OUTLINE["II.6"])
        self.placeholder("impact")

    def parts_iii_v(self) -> None:
        self.d.heading(OUTLINE["III"])
        for i, topic in enumerate(["achievements", "shortcomings", "causes", "lessons"], 1):
            self.d.para(f"{i}. {self.plan.label_of('assessment_topics', topic)}", bold=True, align=LEFT)
            self.placeholder(topic)
            self.quotes(topic)
        self.d.heading(OUTLINE["IV"])
        self.placeholder("directions")
        self.d.heading(OUTLINE["V"])
        self.placeholder("recommendations")
        self.quotes("recommendations")
        rank = self.r.ranking
        if len(rank):
            top = rank.iloc[0]
            self.d.para(DOC_SENTENCES["top"].format(nominee=top["nominee_name"], unit=top["unit_name"],
                                                    score=cell_text(top["score_total"])), bold=True)
        props = self.secs["proposals"]
        self.d.table(props, props.df[[H["stt"], H["unit"], H["nominee"], H["kind"], H["eligible"], H["reasons"]]])
        self.d.table(self.secs["ranking"])

    def signature(self) -> None:
        left = [(RECIPIENTS[0], {"bold": True, "italic": True, "size": 12, "align": LEFT})]
        left += [(line, {"size": 11, "align": LEFT}) for line in RECIPIENTS[1]]
        right = [(text, {"bold": i < 2}) for i, text in enumerate(SIGNATURE)]
        self.d.two_columns(left, right, widths=(8.0, 8.0))

    def appendix(self) -> None:
        self.d.landscape_section()
        self.d.para(OUTLINE["appendix"], bold=True, align=CENTER)
        self.d.picture(self.charts.get("models_recognised_replicated"))
        self.d.picture(self.charts.get("classification_by_year"))
        models = self.secs["models_list"]
        keep = [H["stt"], H["unit"], H["model_name"], H["field"], H["recognition"], H["replicated"], H["places"],
                H["beneficiaries"]]
        self.d.table(Section("models", SECTION_TITLES["models_list"], models.df[keep], models.number_columns))
        self.d.table(self.secs["awards_given"])
        self.d.heading(OUTLINE["data"])
        self.d.para(DOC_SENTENCES["data"].format(errors=self.r.figure("errors"), warnings=self.r.figure("warnings"),
                                                 files=self.r.figure("files_with_issues")))


def write_docx(path: Path, results: Results, secs: dict[str, Section], charts: dict[str, Path], plan: Plan,
               is_demo: bool) -> Path:
    report = _Report(results, secs, charts, plan, is_demo)
    for part in (report.heading_block, report.part_i, report.part_ii_1, report.part_ii_2_3, report.part_ii_4_6,
                 report.parts_iii_v, report.signature, report.appendix):
        part()
    with atomic_path(path) as tmp:
        report.d.save(tmp)
    return path
