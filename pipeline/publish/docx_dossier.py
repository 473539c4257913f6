"""The award dossier the office prepares from the same data (issue 29), as drafts in the administrative form of
Nghị định 30/2020/NĐ-CP:

- Du_thao_Quyet_dinh_tang_Giay_khen.docx: the Quyết định of the Chairman of UBND thị xã awarding the proposals the
  office accepted, with the annexed list (tập thể / cá nhân, proposing unit, achievement in one line);
- Du_thao_To_trinh_de_nghi_Bang_khen.docx: the Tờ trình of UBND thị xã to Sở Nội vụ proposing the Bằng khen of the
  Chairman of UBND tỉnh for the office's nominee;
- Du_thao_Bao_cao_thanh_tich_de_nghi_Bang_khen.docx: the nominee's báo cáo thành tích, drafted from its return in
  the form in force ([dossier.achievement_report] in_force); written only once the office chose a nominee.

Every name, figure and document comes from the data or from [dossier] of config/plan.toml; what the office has not
decided, and whatever needs a person's judgement, is a marked placeholder: nothing is decided here.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.config import Plan
from pipeline.files import atomic_path
from pipeline.publish.docx_build import CENTER, LEFT, DocBuilder
from pipeline.publish.docx_parts import who
from pipeline.publish.sections import Section
from pipeline.publish.sections_dossier import (
    decisions_or_empty, nominee_awards, nominee_classification, nominee_models, title_words,
)
from pipeline.publish.wording import (
    DEMO_BANNER, DEMO_MARK, DOSSIER, DOSSIER_PLACEHOLDERS, DRAFT, MOTTO, NATIONAL, PLACE_DATE, PLACEHOLDER,
    RECIPIENTS_HEADING, words,
)
from pipeline.read.award_decisions import TEMPLATE_NAME
from pipeline.text import is_blank, vn_number
from pipeline.tidy.nominee import Nominee
from pipeline.tidy.results import Results
from schemas.codes import OfficeDecision, RecipientKind

DECISION_DOCX = "Du_thao_Quyet_dinh_tang_Giay_khen.docx"
SUBMISSION_DOCX = "Du_thao_To_trinh_de_nghi_Bang_khen.docx"
ACHIEVEMENT_DOCX = "Du_thao_Bao_cao_thanh_tich_de_nghi_Bang_khen.docx"
SMALL = 13


# -- shared parts ------------------------------------------------------------------------------------------------

class _Doc:
    """One dossier document being written: the builder, the plan's words and the document's own settings."""

    def __init__(self, plan: Plan, is_demo: bool, key: str):
        self.d, self.plan, self.is_demo = DocBuilder(), plan, is_demo
        self.cfg = plan.raw.get("dossier", {}).get(key, {})
        self.report = plan.raw.get("report", {})
        self.w = words(plan) | title_words(plan)
        self.year = plan.deadline.year

    def placeholder(self, what: str, align=None) -> None:
        self.d.para(PLACEHOLDER.format(what=what), bold=True, italic=True, align=align)

    def heading_block(self, issuer: list[str], number: str, place: str | None = None) -> None:
        """The issuing body and the national heading side by side (Nghị định 30/2020/NĐ-CP, Phụ lục I)."""
        mark = DRAFT + (f" – {DEMO_MARK}" if self.is_demo else "")
        self.d.header_and_page_numbers(mark, footer_mark=DEMO_MARK if self.is_demo else "")
        lines = [(line, {"bold": i > 0 or len(issuer) == 1, "size": SMALL}) for i, line in enumerate(issuer)]
        if number:
            lines += [("――――――", {}), (number, {"size": SMALL})]
        else:
            lines += [("――――――", {})]
        place = self.report.get("place", "") if place is None else place
        self.d.two_columns(lines, [(NATIONAL, {"bold": True, "size": 12}), (MOTTO, {"bold": True, "size": SMALL}),
                                   ("―――――――――――――", {"after": 6}),
                                   (PLACE_DATE.format(place=place, year=self.year), {"italic": True, "size": SMALL})])
        self.d.para()
        if self.is_demo:
            self.d.para(DEMO_BANNER, bold=True, size=SMALL, align=CENTER)

    def title(self, heading: str, *lines: str) -> None:
        self.d.para(heading, bold=True, align=CENTER).paragraph_format.space_after = 0
        for line in lines:
            p = self.d.para(line, bold=True, align=CENTER)
            p.paragraph_format.space_after = 0
        self.d.para("――――――", align=CENTER)

    def labelled(self, label: str, text: str) -> None:
        """A paragraph whose first words are bold ("Điều 1.")."""
        p = self.d.para("")
        head = p.add_run(label + " ")
        head.bold = True
        p.add_run(text)

    def signature(self, recipients: list[str], lines: list[str]) -> None:
        """Nơi nhận on the left; the signer's position lines and name (blank: a placeholder) on the right."""
        left = [(RECIPIENTS_HEADING, {"bold": True, "italic": True, "size": 12, "align": LEFT})]
        left += [(f"- {line}", {"size": 11, "align": LEFT}) for line in recipients]
        positions, name = (lines[:-1], lines[-1]) if lines else ([], "")
        right = [(line, {"bold": True, "size": SMALL}) for line in positions] + [("", {"size": SMALL})] * 4
        right += [(name or PLACEHOLDER.format(what=DOSSIER_PLACEHOLDERS["signer"]), {"bold": True, "size": SMALL})]
        self.d.para()
        self.d.two_columns(left, right, widths=(8.0, 8.0))

    def save(self, path: Path) -> Path:
        with atomic_path(path) as tmp:
            self.d.save(tmp)
        return path


def _n(n: int) -> str:
    """A count as administrative documents write it: 01, 02 … 10, 11."""
    return f"{int(n):02d}"


def _ordered(decisions: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Proposals in the order of the registry (config/units.csv), then as each unit listed them."""
    order = {u.unit_code: i for i, u in enumerate(plan.units)}
    return decisions.assign(_o=decisions["unit_code"].map(order)).sort_values(
        ["_o", "proposal_order"], kind="stable").drop(columns="_o")


def achievement_line(row: dict, ranking: pd.DataFrame, plan: Plan) -> str:
    """The achievement a proposal is listed with: the office's line, else one drafted from the model the ranking
    scored, else the movement's own words."""
    if not is_blank(row.get("achievement")):
        return str(row["achievement"])
    w = title_words(plan)
    scored = ranking[ranking["unit_code"] == row["unit_code"]] if len(ranking) else ranking
    if len(scored) and not is_blank(scored.iloc[0]["model_name"]):
        r = scored.iloc[0]
        recognition = str(r["recognition_label"])
        return DOSSIER["achievement_model"].format(movement=w["movement"], period=w["period"], model=r["model_name"],
                                                   recognition=recognition[:1].lower() + recognition[1:])
    return DOSSIER["achievement"].format(movement=w["movement"], period=w["period"])


def nominee_words(nominee: Nominee | None, plan: Plan) -> str:
    """The nominee as documents name it ("UBND phường Phổ Thạnh", "Nguyễn Văn A (UBND xã Phổ Cường)"), or the
    placeholder saying the office has not chosen one."""
    if nominee is None:
        w = words(plan) | title_words(plan)
        return PLACEHOLDER.format(what=DOSSIER["nominee_missing"].format(**w))
    return who(nominee.decision["nominee_name"], nominee.decision["unit_name"])


# -- the Quyết định ---------------------------------------------------------------------------------------------

def write_decision(path: Path, results: Results, plan: Plan, is_demo: bool) -> Path:
    """The Quyết định tặng Giấy khen for the proposals the office accepted (placeholders until it decides)."""
    doc = _Doc(plan, is_demo, "decision")
    cfg, w, d = doc.cfg, doc.w, doc.d
    award = cfg.get("award", "")
    decisions = _ordered(decisions_or_empty(results.decisions), plan)
    accepted = decisions[decisions["decision"] == OfficeDecision.ACCEPTED.value]
    undecided = decisions[decisions["decision"] == OfficeDecision.UNDECIDED.value]
    collectives = accepted[accepted["recipient_kind_code"] == RecipientKind.COLLECTIVE.value]
    individuals = accepted[accepted["recipient_kind_code"] == RecipientKind.INDIVIDUAL.value]

    doc.heading_block(cfg.get("issuer_lines") or doc.report.get("issuer_lines", []), cfg.get("document_number", ""))
    doc.title(DOSSIER["decision_heading"], DOSSIER["decision_title"].format(award=award, **w))
    if cfg.get("authority"):
        d.para(cfg["authority"], bold=True, align=CENTER)
    for text in cfg.get("basis", []):
        d.para(DOSSIER["basis"].format(text=text), italic=True)
    if cfg.get("proposer"):
        d.para(DOSSIER["proposer"].format(proposer=cfg["proposer"]), italic=True)
    d.para(DOSSIER["decides"], bold=True, align=CENTER)
    parts = [DOSSIER["collectives_n"].format(n=_n(len(collectives))) if len(collectives) else "",
             DOSSIER["individuals_n"].format(n=_n(len(individuals))) if len(individuals) else ""]
    who_text = DOSSIER["and"].join(p for p in parts if p) or PLACEHOLDER.format(
        what=DOSSIER["who_missing"].format(**w))
    article1 = DOSSIER["article1"].format(award=award, who=who_text, **w)
    label, text = article1.split(" ", 2)[:2], article1.split(" ", 2)[2]
    doc.labelled(" ".join(label), text)
    for key, value in (("article2", {"bonus": cfg.get("bonus", "")}),
                       ("article3", {"executors": cfg.get("executors", "")})):
        line = DOSSIER[key].format(**value)
        head, rest = line.split(" ", 2)[:2], line.split(" ", 2)[2]
        doc.labelled(" ".join(head), rest)
    doc.signature(cfg.get("recipients", []), list(cfg.get("signature", [])))

    # the annexed list, on its own page
    d.doc.add_page_break()
    d.para(DOSSIER["annex_heading"], bold=True, align=CENTER).paragraph_format.space_after = 0
    d.para(DOSSIER["annex_title"].format(award=award, **w), bold=True, align=CENTER).paragraph_format.space_after = 0
    d.para(DOSSIER["annex_note"].format(year=doc.year, **w), italic=True, size=SMALL, align=CENTER)
    d.para("――――――", align=CENTER)
    if not len(accepted):
        doc.placeholder(DOSSIER["none_accepted"].format(**w), align=CENTER)
    ranking = results.ranking
    for rows, heading, column in ((collectives, "annex_collectives", "col_collective"),
                                  (individuals, "annex_individuals", "col_person")):
        if not len(rows):
            continue
        names = [r["nominee_name"] if is_blank(r["nominee_position"]) or column == "col_collective"
                 else f"{r['nominee_name']}, {r['nominee_position']}" for r in rows.to_dict("records")]
        table = pd.DataFrame({DOSSIER["col_stt"]: range(1, len(rows) + 1), DOSSIER[column]: names,
                              DOSSIER["col_unit"]: rows["unit_name"].tolist(),
                              DOSSIER["col_achievement"]: [achievement_line(r, ranking, plan)
                                                           for r in rows.to_dict("records")]})
        d.table(Section(heading, f"{DOSSIER[heading]} ({_n(len(rows))})", table, [DOSSIER["col_stt"]]))
    if len(undecided):
        doc.placeholder(_undecided(undecided, w))
    return doc.save(path)


def _undecided(undecided: pd.DataFrame, w: dict) -> str:
    """How many proposals wait for the office (never who: nothing here names a proposal the office did not accept)."""
    return DOSSIER["undecided"].format(n=_n(len(undecided)), template=TEMPLATE_NAME, **w)


# -- the Tờ trình -----------------------------------------------------------------------------------------------

def write_submission(path: Path, results: Results, plan: Plan, is_demo: bool) -> Path:
    """The Tờ trình proposing the Bằng khen for the office's nominee (a placeholder until it chooses)."""
    doc = _Doc(plan, is_demo, "submission")
    cfg, w, d = doc.cfg, doc.w, doc.d
    nominee = results.nominee
    award = cfg.get("award", "")
    kind = (nominee.decision["recipient_kind_label"].lower() if nominee is not None else DOSSIER["kind_either"])
    doc.heading_block(cfg.get("issuer_lines") or doc.report.get("issuer_lines", []), cfg.get("document_number", ""))
    doc.title(DOSSIER["submission_heading"], DOSSIER["submission_title"].format(award=award, kind=kind, **w))
    d.para(DOSSIER["to"].format(addressee=cfg.get("addressee", "")), align=CENTER)
    basis = "; ".join(cfg.get("basis", []))
    if basis:
        d.para(DOSSIER["submission_basis"].format(basis=basis))
    d.para(DOSSIER["submission_body"].format(award=award, who=nominee_words(nominee, plan), **w))
    d.para(DOSSIER["summary_heading"], bold=True, align=LEFT)
    if nominee is None:
        doc.placeholder(DOSSIER["summary_missing"])
    else:
        for sentence in _summary(nominee, plan, w):
            d.para(sentence)
    d.para(DOSSIER["attachments"], bold=True, align=LEFT)
    named = nominee_words(nominee, plan) if nominee is not None else PLACEHOLDER.format(what=DOSSIER["nominee_short"])
    d.para("- " + DOSSIER["attachment_report"].format(who=named), align=LEFT)
    for item in cfg.get("attachments", []):
        d.para("- " + DOSSIER["attachment_item"].format(text=item), align=LEFT)
    d.para(DOSSIER["closing"].format(addressee=cfg.get("addressee", ""), **w))
    doc.signature(cfg.get("recipients", []), list(cfg.get("signature", [])))
    return doc.save(path)


def _model_phrase(m: dict) -> str:
    doc = ""
    if not is_blank(m.get("recognition_doc")):
        date = m.get("recognition_date")
        when = pd.Timestamp(date).strftime("%d/%m/%Y") if date is not None and not pd.isna(date) else ""
        doc = (DOSSIER["summary_doc_date"].format(doc=m["recognition_doc"], date=when) if when
               else DOSSIER["summary_doc"].format(doc=m["recognition_doc"]))
    recognition = str(m["recognition_label"])
    return DOSSIER["summary_model"].format(name=m["model_name"], recognition=recognition[:1].lower() + recognition[1:],
                                           doc=doc)


def _summary(nominee: Nominee, plan: Plan, w: dict) -> list[str]:
    """The nominee's achievements in a few sentences, every figure from its return."""
    name, fig = nominee_words(nominee, plan), nominee.figures
    models = nominee.models.to_dict("records")
    listed = (": " + "; ".join(_model_phrase(m) for m in models)) if models else ""
    if not models:
        out = [DOSSIER["summary_no_models"].format(who=name)]
    elif nominee.is_collective:
        out = [DOSSIER["summary_models"].format(who=name, n=_n(fig["models"]), k=_n(fig["recognised"]),
                                                listed=listed, **w)]
    else:
        out = [DOSSIER["summary_models_person"].format(who=name, n=_n(fig["models"]), listed=listed)]
    if nominee.is_collective and len(nominee.classification):
        years = "; ".join(DOSSIER["summary_year"].format(year=int(r["classification_year"]), level=r["level_label"])
                          for r in nominee.classification.to_dict("records"))
        out.append(DOSSIER["summary_years"].format(years=years))
    if nominee.is_collective and (fig["awarded_collectives"] or fig["awarded_individuals"]):
        out.append(DOSSIER["summary_awards"].format(c=vn_number(fig["awarded_collectives"]),
                                                    i=vn_number(fig["awarded_individuals"])))
    return out


# -- the nominee's báo cáo thành tích -----------------------------------------------------------------------------

def write_achievement_report(path: Path, results: Results, plan: Plan, is_demo: bool) -> Path | None:
    """The nominee's báo cáo thành tích in the form in force; None (nothing written) until the office chose one."""
    nominee = results.nominee
    if nominee is None:
        return None
    doc = _Doc(plan, is_demo, "achievement_report")
    d, w, cfg = doc.d, doc.w, doc.cfg
    key = str(cfg.get("in_force", ""))
    decree = plan.raw.get("dossier", {}).get("forms", {}).get(key, {})
    form = decree.get("collective" if nominee.is_collective else "individual", {})
    unit = nominee.decision
    above = cfg.get("issuer_above", {}).get(unit["unit_group"])
    issuer = [line for line in (above, str(unit["unit_name"]).upper()) if line]
    doc.heading_block(issuer, "")
    award = plan.raw.get("dossier", {}).get("submission", {}).get("award", "")
    doc.d.para(DOSSIER["report_heading"], bold=True, align=CENTER).paragraph_format.space_after = 0
    d.para(DOSSIER["report_award"].format(award=award.upper(), province_government=w["province_government"].upper()),
           bold=True, align=CENTER).paragraph_format.space_after = 0
    d.para(DOSSIER["report_scope"].format(**w), italic=True, size=SMALL, align=CENTER)
    d.para(str(unit["nominee_name"]), bold=True, align=CENTER).paragraph_format.space_after = 0
    if form.get("name_note"):
        d.para(form["name_note"], italic=True, size=SMALL, align=CENTER)
    if form:
        d.para(DOSSIER["report_form"].format(form=form.get("form", ""), decree=decree.get("decree", "")), italic=True,
               size=SMALL, align=CENTER)
    else:
        doc.placeholder(DOSSIER["no_form"].format(key=key), align=CENTER)
    d.para("――――――", align=CENTER)
    report_date = nominee.unit.get("report_date")
    dated = report_date is not None and not pd.isna(report_date)
    date = pd.Timestamp(report_date).strftime("%d/%m/%Y") if dated else ""
    d.para(DOSSIER["report_drafted"].format(file=nominee.unit.get("source_file") or "", date=date, **w), italic=True,
           size=12)
    for part in form.get("parts", []):
        d.heading(part["heading"])
        fill = part.get("fill", "")
        if fill:
            _SLOTS.get(fill, _placeholder_only)(doc, nominee, plan, fill)
    signatures = form.get("signatures", [])
    if signatures:
        cols = [[(line, {"bold": i == 0 or not line.startswith("("), "italic": line.startswith("("), "size": SMALL})
                 for i, line in enumerate(block)] for block in signatures[:2]]
        while len(cols) < 2:
            cols.insert(0, [("", {})])
        d.para()
        d.two_columns(cols[0], cols[1], widths=(8.0, 8.0))
    return doc.save(path)


def _placeholder_only(doc: _Doc, nominee: Nominee, plan: Plan, fill: str) -> None:
    doc.placeholder(DOSSIER_PLACEHOLDERS.get(fill, fill))


def _profile(doc: _Doc, nominee: Nominee, plan: Plan, fill: str) -> None:
    u = nominee.unit
    doc.d.para(DOSSIER["profile_name"].format(name=u["unit_name"], unit_type=str(u["unit_type"]).lower()))
    if not pd.isna(u.get("staff_total")):
        registered = "" if pd.isna(u.get("staff_registered")) else vn_number(u["staff_registered"])
        doc.d.para(DOSSIER["profile_staff"].format(staff=vn_number(u["staff_total"]), registered=registered))
    doc.placeholder(DOSSIER_PLACEHOLDERS["profile"])


def _person(doc: _Doc, nominee: Nominee, plan: Plan, fill: str) -> None:
    p = nominee.decision
    doc.d.para(DOSSIER["person_name"].format(name=p["nominee_name"]))
    if not is_blank(p.get("nominee_position")):
        doc.d.para(DOSSIER["person_position"].format(position=p["nominee_position"]))
    doc.d.para(DOSSIER["person_unit"].format(unit=p["unit_name"]))
    doc.placeholder(DOSSIER_PLACEHOLDERS["person"])


def _person_duties(doc: _Doc, nominee: Nominee, plan: Plan, fill: str) -> None:
    position = nominee.decision.get("nominee_position")
    if not is_blank(position):
        doc.d.para(DOSSIER["person_position"].format(position=position))
    doc.placeholder(DOSSIER_PLACEHOLDERS["person_duties"])


def _quote(doc: _Doc, key: str, text) -> None:
    if not is_blank(text):
        doc.d.para(DOSSIER[key].format(text=str(text).strip()), italic=True)


def _results(doc: _Doc, nominee: Nominee, plan: Plan, fill: str) -> None:
    """Everything the return says of the nominee's achievements: figures, models, classification, own awards."""
    d, w, fig = doc.d, doc.w, nominee.figures
    if nominee.is_collective:
        lead = nominee.leadership
        if lead:
            period = plan.review.get("period_text", "")
            d.para(DOSSIER["leadership"].format(period_text=period[:1].upper() + period[1:], **{
                key: vn_number(lead.get(code, 0)) for key, code in (
                    ("plans", "plans_issued"), ("launch", "launch_meetings"), ("sessions", "propaganda_sessions"),
                    ("participants", "propaganda_participants"), ("news", "news_items"),
                    ("inspections", "inspections"))}))
        if len(nominee.models):
            d.para(DOSSIER["models"].format(n=_n(fig["models"]), k=_n(fig["recognised"]), r=_n(fig["replicated"]),
                                            **w))
            d.table(nominee_models(nominee.models))
        else:
            d.para(DOSSIER["models_none"].format(whose=""))
        if len(nominee.classification):
            d.para(DOSSIER["classification"])
            d.table(nominee_classification(nominee.classification))
        else:
            d.para(DOSSIER["classification_none"])
        if len(nominee.awards_given):
            d.para(DOSSIER["awards"].format(c=vn_number(fig["awarded_collectives"]),
                                            i=vn_number(fig["awarded_individuals"])))
            d.table(nominee_awards(nominee.awards_given, plan))
        else:
            d.para(DOSSIER["awards_none"])
        _quote(doc, "quote_summary", nominee.proposal.get("achievements_summary"))
    else:
        name = nominee.decision["nominee_name"]
        _quote(doc, "quote_summary", nominee.proposal.get("achievements_summary"))
        if len(nominee.models):
            d.para(DOSSIER["models_person"].format(who=name, n=_n(fig["models"])))
            d.table(nominee_models(nominee.models))
        else:
            d.para(DOSSIER["models_none"].format(whose=DOSSIER["models_whose"].format(who=name)))
        _quote(doc, "quote_initiative", nominee.proposal.get("crit_b_evidence"))
    doc.placeholder(DOSSIER_PLACEHOLDERS["results"])


def _compliance(doc: _Doc, nominee: Nominee, plan: Plan, fill: str) -> None:
    _quote(doc, "quote_declared", nominee.proposal.get("crit_a_evidence"))
    doc.placeholder(DOSSIER_PLACEHOLDERS["compliance"])


_SLOTS = {"profile": _profile, "person": _person, "person_duties": _person_duties, "results": _results,
          "compliance": _compliance}
