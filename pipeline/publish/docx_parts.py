"""The later parts of the draft report (models to annex), written by `pipeline.publish.docx._Report`."""
from __future__ import annotations


from pipeline.publish.docx_build import CENTER, LEFT, cell_text
from pipeline.publish.sections import Section
from pipeline.publish.wording import (
    DOC_SENTENCES, H, OUTLINE, RECIPIENTS_HEADING, SECTION_TITLES, SIGNER_PLACEHOLDER,
    WORKBOOK_SHEETS,
)
from pipeline.text import fold
from schemas.codes import ScopeKind



def who(nominee: str, unit: str) -> str:
    """A nominee with the unit in brackets, unless the nominee's name already says the unit."""
    if fold(unit) in fold(nominee):
        return str(nominee)
    return DOC_SENTENCES["nominee"].format(nominee=nominee, unit=unit)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


class PartsMixin:
    """Parts II.3 to the annex; `self` is a `_Report` (d, r, secs, charts, plan, report, w, h, max_rows)."""

    def part_ii_3(self) -> None:
        self.d.heading(OUTLINE["II.3"])
        field = self.secs["models_field"]
        total = field.df.iloc[-1]
        groups = "; ".join(DOC_SENTENCES["group_models"].format(group=_lower_first(g), n=cell_text(total[g]))
                           for g in self.plan.groups)
        without = self.r.aggregates["units_without_models"]["unit_name"].tolist()
        self.d.para(DOC_SENTENCES["models"].format(
            models=self.fig("models"), recognised=self.fig("recognised"), replicated=self.fig("replicated"),
            recognised_pct=f"{cell_text(total[self.h['recognised_pct']], True)}%",
            replicated_pct=f"{cell_text(total[self.h['replicated_pct']], True)}%",
            group_models=groups[:1].upper() + groups[1:], no_models=self.fig("units_without_models"),
            no_model_names=f" ({', '.join(without)})" if without else "", **self.w))
        levels = self.secs["models_recognition"].df.iloc[:-1].iloc[::-1]
        listed = "; ".join(DOC_SENTENCES["recognition_level"].format(label=r[H["recognition"]],
                                                                     n=cell_text(r[H["models"]]))
                           for _, r in levels.iterrows() if r[H["models"]])
        self.d.para(DOC_SENTENCES["recognition_levels"].format(levels=listed))
        self.d.table(field)
        self.d.picture(self.charts.get("models_by_field_group"))
        self.d.table(self.secs["models_recognition"])
        if len(self.secs["models_list"].df) > self.max_rows:
            self.d.para(DOC_SENTENCES["models_annex"].format(n=self.fig("models"), sheet=WORKBOOK_SHEETS["models_list"]))
        self.placeholder("models")

    def part_ii_4_5(self) -> None:
        self.d.heading(OUTLINE["II.4"])
        self.d.para(DOC_SENTENCES["classification"])
        self.d.table(self.secs["classification"])
        self.d.heading(OUTLINE["II.5"])
        self.d.para(DOC_SENTENCES["awards_given"].format(collectives=self.fig("awarded_collectives"),
                                                         individuals=self.fig("awarded_individuals")))
        proposals, eligible = self.r.figure("proposals"), self.r.figure("eligible")
        self.d.para(DOC_SENTENCES["proposals"].format(proposals=cell_text(proposals), eligible=cell_text(eligible),
                                                      not_eligible=cell_text(proposals - eligible), **self.w))
        props = self.secs["proposals"]
        if len(props.df) > self.max_rows:
            self.d.para(DOC_SENTENCES["proposals_annex"].format(n=cell_text(proposals),
                                                                sheet=WORKBOOK_SHEETS["proposals"]))
        elif len(props.df):   # every criterion's verdict, so the signer sees what rests on the units' word
            self.d.table(props, props.df[[H["stt"], H["unit"], H["nominee"], H["crit_a"], H["crit_b"], H["crit_c"],
                                          H["crit_d"], H["conclusion"]]])
        self.d.para(DOC_SENTENCES["bang_khen"].format(**self.w))
        if self.r.nominee is not None:   # the office's choice, once its decisions file makes one (issue 29)
            chosen = self.r.nominee.decision
            self.d.para(who(chosen["nominee_name"], chosen["unit_name"]), bold=True)
        else:
            self.placeholder("nominee")

    def part_ii_6(self) -> None:
        self.d.heading(OUTLINE["II.6"])
        summary = self.r.aggregates["impact_summary"]
        for r in summary[summary["scope_kind"] == ScopeKind.TOWN].itertuples():
            if not r.units_reporting:
                text = DOC_SENTENCES["impact_none"].format(label=r.indicator_label)
            elif r.is_percent:
                text = DOC_SENTENCES["impact_percent"].format(
                    label=r.indicator_label, units=cell_text(r.units_reporting), mean=cell_text(r.mean, True),
                    min=cell_text(r.min, True), max=cell_text(r.max, True))
            else:
                text = DOC_SENTENCES["impact_count"].format(label=r.indicator_label, total=cell_text(r.total),
                                                            units=cell_text(r.units_reporting))
            self.d.para(text)
        self.d.table(self.secs["impact"], merge_first=True)
        quotes = self.r.aggregates["quotes"]
        for code, label in dict(zip(quotes.loc[quotes["source"] == "impact", "topic_code"],
                                    quotes.loc[quotes["source"] == "impact", "topic_label"])).items():
            self.d.para(label, bold=True, align=LEFT)
            self.quotes("impact", code, self.per_topic, WORKBOOK_SHEETS["impact_texts"])
        self.placeholder("impact")

    def parts_iii_v(self) -> None:
        self.d.heading(OUTLINE["III"])
        for i, topic in enumerate(["achievements", "shortcomings", "causes", "lessons"], 1):
            self.d.para(f"{i}. {self.plan.label_of('assessment_topics', topic)}", bold=True, align=LEFT)
            self.placeholder(topic)
            self.quotes("assessment", topic, self.per_topic, WORKBOOK_SHEETS["assessment_texts"])
        self.d.heading(OUTLINE["IV"].format(next_period_upper=self.w["next_period"].upper()))
        self.placeholder("directions")
        self.d.heading(OUTLINE["V"])
        self.placeholder("recommendations")
        self.quotes("assessment", "recommendations", self.per_topic, WORKBOOK_SHEETS["assessment_texts"])

    def signature(self) -> None:
        left = [(RECIPIENTS_HEADING, {"bold": True, "italic": True, "size": 12, "align": LEFT})]
        left += [(f"- {line}", {"size": 11, "align": LEFT}) for line in self.report.get("recipients", [])]
        lines = list(self.report.get("signature", [])) or ["", "", ""]
        authority, position, name = (lines + ["", "", ""])[:3]
        right = [(authority, {"bold": True, "size": 13}), (position, {"bold": True, "size": 13})]
        right += [("", {"size": 13})] * 4 + [(name or SIGNER_PLACEHOLDER, {"bold": True, "size": 13})]
        self.d.para()
        self.d.two_columns(left, right, widths=(8.0, 8.0))

    def appendix(self) -> None:
        self.d.landscape_section()
        self.d.para(OUTLINE["appendix"], bold=True, align=CENTER).paragraph_format.space_after = 0
        self.d.para(OUTLINE["appendix_note"].format(year=self.year), italic=True, size=13, align=CENTER)
        self.d.picture(self.charts.get("models_recognised_replicated"))
        self.d.picture(self.charts.get("models_by_recognition"))
        self.d.picture(self.charts.get("classification_by_year"))
        models = self.secs["models_list"]
        if len(models.df) <= self.max_rows:
            keep = [H["stt"], H["unit"], H["model_name"], H["field"], H["recognition"], H["recognition_doc"],
                    H["recognition_date"], H["replicated"], H["places"]]
            self.d.table(Section("models", SECTION_TITLES["models_list"], models.df[keep], models.number_columns))
        self.d.table(self.secs["awards_given"])
        self.d.heading(OUTLINE["data"])
        self.d.para(DOC_SENTENCES["data"].format(
            reported=self.fig("reported"), files=self.fig("files_with_issues"), errors=self.fig("errors"),
            warnings=self.fig("warnings"), sheet=WORKBOOK_SHEETS["issues"]))
