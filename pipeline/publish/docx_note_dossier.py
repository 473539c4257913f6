"""The internal note's parts on the office's decisions and the units' hồ sơ (pipeline/publish/docx_note.py): the
office's choice once it made one, every decision that goes against the verdicts (recorded, never refused), and the
units that proposed someone but sent no hồ sơ."""
from __future__ import annotations

from pipeline.config import Plan
from pipeline.publish.docx_build import DocBuilder
from pipeline.publish.docx_parts import who
from pipeline.publish.sections import Section
from pipeline.publish.sections_dossier import decisions_or_empty, title_words
from pipeline.publish.wording import NOTE, NOTE_DOSSIER, PLACEHOLDER, WORKBOOK_SHEETS, words
from pipeline.read.award_decisions import TEMPLATE_NAME
from pipeline.tidy.results import Results
from schemas.codes import DossierStatus, OfficeDecision


def choice(d: DocBuilder, results: Results, plan: Plan) -> None:
    """Part 4: the office's choice for the Bằng khen when its decisions file makes one; the placeholder until then."""
    w = words(plan)
    if results.nominee is None:
        d.para(PLACEHOLDER.format(what=NOTE["choice"].format(**w)), bold=True, italic=True)
        return
    row = results.nominee.decision
    reason = NOTE_DOSSIER["choice_reason"].format(reason=row["reason"]) if row["reason"] else ""
    d.para(NOTE_DOSSIER["choice_made"].format(who=who(row["nominee_name"], row["unit_name"]), reason=reason, **w))
    if row["contradicts"]:
        d.para(NOTE_DOSSIER["choice_contradicts"].format(text=row["contradiction"]), bold=True)


def decisions_and_dossiers(d: DocBuilder, results: Results, secs: dict[str, Section], plan: Plan,
                           max_rows: int) -> None:
    """Parts 5 and 6: the decisions read, those against the verdicts, and the hồ sơ of every proposing unit."""
    w = words(plan) | title_words(plan)
    decisions = decisions_or_empty(results.decisions)
    d.heading(NOTE_DOSSIER["h_decisions"].format(**w))
    decided = decisions[decisions["decision"] != OfficeDecision.UNDECIDED.value]
    if not len(decided) and not decisions["is_nominee"].any():
        d.para(NOTE_DOSSIER["decisions_none"].format(template=TEMPLATE_NAME, **w))
    else:
        counts = decisions["decision_label"].value_counts()
        d.para(NOTE_DOSSIER["decisions_counts"].format(n=len(decisions), counts="; ".join(
            f"{label}: {n}" for label, n in counts.items())))
    problems = results.decision_issues
    if problems is not None and len(problems):
        d.para(NOTE_DOSSIER["decisions_problems"].format(n=len(problems), file=problems["file"].iloc[0]))
    against = decisions[decisions["contradicts"].astype(bool)]
    if len(against):
        d.para(NOTE_DOSSIER["contradictions"].format(**w), bold=True)
        for r in against.head(max_rows).to_dict("records"):
            reason = (NOTE_DOSSIER["contradiction_reason"].format(reason=r["reason"], **w) if r["reason"]
                      else NOTE_DOSSIER["contradiction_no_reason"].format(**w))
            d.para("- " + NOTE_DOSSIER["contradiction"].format(who=who(r["nominee_name"], r["unit_name"]),
                                                              text=r["contradiction"], reason=reason))
    accepted = decisions[(decisions["decision"] == OfficeDecision.ACCEPTED.value)
                         & ~decisions["has_dossier"].astype(bool)]
    if len(accepted):
        d.para(NOTE_DOSSIER["accepted_without_dossier"].format(names="; ".join(
            who(n, u) for n, u in zip(accepted["nominee_name"], accepted["unit_name"]))))

    dossiers = results.dossiers
    d.heading(NOTE_DOSSIER["h_dossiers"])
    if dossiers is None:
        return
    proposing = dossiers[dossiers["proposals"] > 0]
    status = dossiers["dossier_status"]
    d.para(NOTE_DOSSIER["dossiers_counts"].format(
        proposing=len(proposing), received=int((dossiers["dossier_files"] > 0).sum()),
        on_time=int((status == DossierStatus.ON_TIME.value).sum()),
        late=int((status == DossierStatus.LATE.value).sum())))
    missing = dossiers[status == DossierStatus.MISSING.value]
    if len(missing):
        d.para(NOTE_DOSSIER["dossiers_missing"].format(names="; ".join(missing["unit_name"].head(max_rows))), bold=True)
    elif len(proposing):
        d.para(NOTE_DOSSIER["dossiers_all"])
    late = dossiers[status == DossierStatus.LATE.value]
    if len(late):
        d.para(NOTE_DOSSIER["dossiers_late"].format(names="; ".join(late["unit_name"].head(max_rows))))
    d.para(NOTE_DOSSIER["dossiers_where"].format(sheet=WORKBOOK_SHEETS["dossiers"]), italic=True, size=12)
