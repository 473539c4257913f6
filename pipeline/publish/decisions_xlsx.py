"""The office's decisions file as the run writes it (outputs/Quyet_dinh_cua_co_quan.xlsx): one row per proposal with
its verdicts, the suggested rank and whether the hồ sơ came, and the columns the office fills (schemas/dossier.py).

It carries the decisions already read from inputs/, so the office can keep its copy up to date by saving this one
over it; a cell the reader could not read says why in the last column. Text is always written as text.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from pipeline.config import Plan
from pipeline.files import atomic_path
from pipeline.publish.docx_dossier import achievement_line, _ordered
from pipeline.publish.sections_dossier import decisions_or_empty, title_words
from pipeline.publish.wording import DEMO_BANNER, DOSSIER, words
from pipeline.publish.workbook import WORKBOOK_OPTIONS
from pipeline.tidy.results import Results
from schemas.codes import DossierStatus, OfficeDecision
from schemas.dossier import DECISION_COLUMNS, DECISIONS_SHEET

FONT = "Times New Roman"
MARK = "x"


def write_decisions_template(path: Path, results: Results, plan: Plan, is_demo: bool) -> Path:
    import xlsxwriter

    w = words(plan) | title_words(plan)
    decisions = _ordered(decisions_or_empty(results.decisions), plan)
    ranking = results.ranking
    rank = ranking.set_index("unit_code") if len(ranking) else None
    dossiers = results.dossiers.set_index("unit_code") if results.dossiers is not None else None
    problems = _problems(results.decision_issues)
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), WORKBOOK_OPTIONS)
        base = {"font_name": FONT, "font_size": 12, "valign": "top", "text_wrap": True, "border": 1}
        fixed = wb.add_format(base | {"bg_color": "#E7E6E6"})
        fixed_number = wb.add_format(base | {"bg_color": "#E7E6E6", "num_format": "0.##"})
        editable = wb.add_format(base | {"locked": False})
        header = wb.add_format(base | {"bold": True, "align": "center", "valign": "vcenter", "bg_color": "#D9D9D9"})
        header_edit = wb.add_format(base | {"bold": True, "align": "center", "valign": "vcenter"})
        problem = wb.add_format(base | {"font_color": "#C00000"})
        title = wb.add_format({"font_name": FONT, "font_size": 14, "bold": True, "align": "center"})
        note = wb.add_format({"font_name": FONT, "font_size": 11, "italic": True, "text_wrap": True, "valign": "top"})
        demo = wb.add_format({"font_name": FONT, "font_size": 12, "bold": True, "font_color": "#C00000",
                              "align": "center"})
        ws = wb.add_worksheet(DECISIONS_SHEET)
        last = len(DECISION_COLUMNS) - 1
        ws.merge_range(0, 0, 0, last, DOSSIER["template_title"].format(**w), title)
        ws.merge_range(1, 0, 1, last, DOSSIER["template_help"].format(**w), note)
        ws.set_row(1, 48)
        row = 2
        if is_demo:
            ws.merge_range(row, 0, row, last, DEMO_BANNER, demo)
            row += 1
        matched = {int(v) for v in decisions["decisions_row"].dropna()}
        top = [m for row_no, messages in sorted(problems.items()) if row_no not in matched for m in messages]
        for line in top:   # the file's own problems, and those of rows that match no proposal
            ws.merge_range(row, 0, row, last, line, problem)
            row += 1
        head = row
        for j, col in enumerate(DECISION_COLUMNS):
            ws.write_string(head, j, col.header, header_edit if col.editable else header)
            ws.set_column(j, j, col.width)
            if col.help:
                ws.write_comment(head, j, col.help, {"x_scale": 2, "y_scale": 1.5})
        ws.set_row(head, 36)
        keys = [c.key for c in DECISION_COLUMNS]
        for i, r in enumerate(decisions.to_dict("records"), start=1):
            x = head + i
            scored = rank.loc[r["unit_code"]] if rank is not None and r["unit_code"] in rank.index else None
            known = dossiers is not None and r["unit_code"] in dossiers.index
            dossier = dossiers.loc[r["unit_code"]] if known else None
            decision = "" if r["decision"] == OfficeDecision.UNDECIDED.value else r["decision_label"]
            values = {
                "stt": i, "unit_code": r["unit_code"], "unit_name": r["unit_name"], "kind": r["recipient_kind_label"],
                "nominee": r["nominee_name"], "conclusion": r["conclusion_label"],
                "reasons": _reasons(results.proposals, r), "rank": None if scored is None else int(scored["rank"]),
                "score": None if scored is None else float(scored["score_total"]),
                "dossier": _dossier_text(dossier), "decision": decision, "reason": r["reason"],
                "bang_khen": MARK if r["is_nominee"] else "", "achievement": achievement_line(r, ranking, plan),
                "problem": "\n".join(problems.get(int(r["decisions_row"]), [])) if not pd.isna(r["decisions_row"])
                else "",
            }
            for j, col in enumerate(DECISION_COLUMNS):
                value = values[col.key]
                fmt = editable if col.editable else (problem if col.key == "problem" else fixed)
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    ws.write_number(x, j, value, fixed_number if not col.editable else editable)
                elif value is None:
                    ws.write_blank(x, j, None, fmt)
                else:
                    ws.write_string(x, j, str(value), fmt)
        if not len(decisions):
            ws.merge_range(head + 1, 0, head + 1, last, DOSSIER["template_empty"], note)
        first, end = head + 1, head + max(len(decisions), 1) + 200   # room for rows the office adds
        ws.data_validation(first, keys.index("decision"), end, keys.index("decision"), {
            "validate": "list", "source": [OfficeDecision.ACCEPTED.label, OfficeDecision.NOT_ACCEPTED.label],
            "ignore_blank": True, "show_error": False})
        ws.data_validation(first, keys.index("bang_khen"), end, keys.index("bang_khen"), {
            "validate": "list", "source": [MARK], "ignore_blank": True, "show_error": False})
        ws.freeze_panes(head + 1, keys.index("nominee") + 1)
        ws.autofilter(head, 0, head + max(len(decisions), 1), last)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(head)
        wb.close()
    return path


def _problems(issues: pd.DataFrame | None) -> dict[int, list[str]]:
    """Excel row (1-based; 0: the file itself) -> the messages about it."""
    out: dict[int, list[str]] = {}
    if issues is None:
        return out
    for cell, message in zip(issues["cell"].fillna(""), issues["message"]):
        m = re.search(r"(\d+)$", str(cell))
        out.setdefault(int(m.group(1)) if m else 0, []).append(str(message))
    return out


def _reasons(summary: pd.DataFrame, r: dict) -> str:
    hit = summary[(summary["unit_code"] == r["unit_code"]) & (summary["proposal_order"] == r["proposal_order"])]
    return str(hit.iloc[0]["reasons"]) if len(hit) else ""


def _dossier_text(dossier) -> str:
    if dossier is None or not int(dossier["dossier_files"]):
        return DOSSIER["dossier_missing"]
    date = pd.Timestamp(dossier["dossier_received"]).strftime("%d/%m/%Y")
    key = "dossier_late" if dossier["dossier_status"] == DossierStatus.LATE.value else "dossier_received"
    return DOSSIER[key].format(date=date)
