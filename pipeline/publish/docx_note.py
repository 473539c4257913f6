"""The internal note on the award proposals (Bao_cao_noi_bo_xet_khen_thuong.docx), from the office that runs the
review (Cơ quan Tổ chức – Nội vụ) to the town's leadership, laid out as an administrative document.

What the outgoing report must not say lives here: every criterion's verdict with its evidence, the suggested
ranking with its weights and where they come from, and the proposals whose scores are too close to tell apart.
The choice itself is the office's: a marked placeholder until its decisions file makes one (then its choice, its
decisions against the verdicts and the units' hồ sơ: pipeline/publish/docx_note_dossier.py). Names, numbers and
recipients come from [note] of config/plan.toml.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.config import Plan
from pipeline.files import atomic_path
from pipeline.publish.docx_build import CENTER, LEFT, DocBuilder, cell_text
from pipeline.publish import docx_note_dossier as dossier_note
from pipeline.publish.docx_parts import who
from pipeline.publish.sections import Section
from pipeline.publish.wording import (
    DEMO_BANNER, DEMO_MARK, DRAFT, H, MOTTO, NATIONAL, NOTE, PLACE_DATE, RANKING_TERMS_LABEL,
    RECIPIENTS_HEADING, SIGNER_PLACEHOLDER, WORKBOOK_SHEETS, words,
)
from pipeline.tidy.results import Results

NOTE_DOCX = "Bao_cao_noi_bo_xet_khen_thuong.docx"


def write_note(path: Path, results: Results, secs: dict[str, Section], plan: Plan, is_demo: bool) -> Path:
    """The internal note, every figure and name from the award results."""
    d, w = DocBuilder(), words(plan)
    cfg = plan.raw.get("note", {})
    report = plan.raw.get("report", {})
    max_rows = int(report.get("max_rows_in_docx", 150))
    margin = float(plan.awards["ranking"]["near_tie_margin"])
    year = plan.deadline.year

    mark = f"{NOTE['mark']} – {DRAFT}" + (f" – {DEMO_MARK}" if is_demo else "")
    d.header_and_page_numbers(mark, footer_mark=DEMO_MARK if is_demo else "")
    issuer = [(line, {"bold": i > 0, "size": 13}) for i, line in enumerate(cfg.get("issuer_lines", []))]
    d.two_columns(issuer + [("――――――", {}), (cfg.get("document_number", ""), {"size": 13})],
                  [(NATIONAL, {"bold": True, "size": 12}), (MOTTO, {"bold": True, "size": 13}),
                   ("―――――――――――――", {"after": 6}),
                   (PLACE_DATE.format(place=report.get("place", ""), year=year), {"italic": True, "size": 13})])
    d.para()
    if is_demo:
        d.para(DEMO_BANNER, bold=True, size=13, align=CENTER)
    d.para(NOTE["heading"], bold=True, align=CENTER).paragraph_format.space_after = 0
    d.para(NOTE["title"].format(**w), bold=True, align=CENTER)
    d.para("――――――", align=CENTER)
    d.para(NOTE["to"].format(addressee=cfg.get("addressee", "")), align=CENTER)
    d.para(NOTE["opening"].format(title=plan.review["title"], **w))

    # 1. every criterion, verdict by verdict
    props, proposals = secs["proposals"], results.proposals
    d.heading(NOTE["h_verdicts"])
    counts = proposals["conclusion_label"].value_counts()
    d.para(NOTE["verdicts"].format(n=len(proposals), counts="; ".join(f"{label}: {n}" for label, n in counts.items())
                                   or "0"))
    if 0 < len(props.df) <= max_rows:
        d.table(props, props.df[[H["stt"], H["unit"], H["nominee"], H["kind"], H["crit_a"], H["crit_b"],
                                 H["crit_c"], H["crit_d"], H["conclusion"]]])
    elif len(props.df):
        d.para(NOTE["annex"].format(sheet=WORKBOOK_SHEETS["proposals"]))

    # 2. the suggested ranking, near ties said as ties
    rank = results.ranking
    d.heading(NOTE["h_ranking"])
    if not len(rank):
        d.para(NOTE["none"].format(**w))
    else:
        top = rank[rank["tie_group"] == rank["tie_group"].min()]
        names = "; ".join(who(n, u) for n, u in zip(top["nominee_name"], top["unit_name"]))
        key = "top" if len(top) == 1 else "top_level"
        d.para(NOTE[key].format(who=names, n=len(top), score=cell_text(top["score_total"].iloc[0]),
                                margin=cell_text(margin), **w))
        for _group, members in rank[rank["is_level"] & (rank["tie_group"] != rank["tie_group"].min())].groupby(
                "tie_group", sort=True):
            d.para(NOTE["level"].format(ranks=", ".join(str(r) for r in members["rank"]), margin=cell_text(margin),
                                        who="; ".join(who(n, u) for n, u in zip(members["nominee_name"],
                                                                                 members["unit_name"]))))
        short = pd.DataFrame({H["rank"]: rank["rank"],
                              H["nominee"]: [who(n, u) for n, u in zip(rank["nominee_name"], rank["unit_name"])],
                              RANKING_TERMS_LABEL["model_name"]: rank["model_name"],
                              NOTE["points"]: rank["score_total"],
                              H["level_with"]: secs["ranking"].df[H["level_with"]]})
        d.table(Section("ranking_short", NOTE["ranking_title"], short.head(max_rows), [H["rank"]], [NOTE["points"]],
                        note=secs["ranking"].note))
        if len(short) > max_rows:
            d.para(NOTE["ranking_annex"].format(shown=max_rows, n=len(short), sheet=WORKBOOK_SHEETS["ranking"]))

    # 3. the weights, and where they come from
    d.heading(NOTE["h_weights"])
    confirmed = bool(plan.awards["ranking"].get("weights_confirmed", False))
    d.para(NOTE["weights_confirmed" if confirmed else "weights_proposed"].format(**w))
    d.table(secs["ranking_weights"])

    # 4. the office's proposal: never decided here
    d.heading(NOTE["h_proposal"])
    dossier_note.choice(d, results, plan)                  # the office's choice once its decisions file makes one

    # 5–6. the office's decisions against the verdicts, and who sent their hồ sơ
    dossier_note.decisions_and_dossiers(d, results, secs, plan, max_rows)

    lines = list(cfg.get("signature", [])) or ["", ""]
    position, name = (lines + ["", ""])[:2]
    left = [(RECIPIENTS_HEADING, {"bold": True, "italic": True, "size": 12, "align": LEFT})]
    left += [(f"- {line}", {"size": 11, "align": LEFT}) for line in cfg.get("recipients", [])]
    right = [(position, {"bold": True, "size": 13})] + [("", {"size": 13})] * 4
    right += [(name or SIGNER_PLACEHOLDER, {"bold": True, "size": 13})]
    d.para()
    d.two_columns(left, right, widths=(8.0, 8.0))

    # Annex: the evidence of every criterion (a landscape page: the evidence texts are long)
    verdicts = secs["verdicts"]
    if 0 < len(verdicts.df) <= max_rows:
        d.landscape_section()
        d.para(NOTE["annex_heading"], bold=True, align=CENTER)
        d.table(verdicts)
    with atomic_path(path) as tmp:
        d.save(tmp)
    return path
