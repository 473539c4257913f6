"""The office's decisions, matched to the proposals: one row per proposal (award_decisions), and what is wrong with
the decisions file, at its cells.

Nothing is decided here for the office: a proposal its file does not decide stays undecided, and the Bằng khen
nominee is the one proposal it marked, or none (none marked, two marked, or the marked one refused). A decision
against the verdicts (accepting a proposal that fails criterion c) is the office's to make: it is kept, and said
(`contradicts`, `contradiction`).
"""
from __future__ import annotations

import pandas as pd

from pipeline import messages as msg
from pipeline.config import Plan
from pipeline.read.award_decisions import TEMPLATE_NAME, DecisionRow, OfficeDecisions
from pipeline.read.sources import Issue
from pipeline.rules import person_key
from pipeline.text import fold, is_blank
from schemas.codes import Conclusion, OfficeDecision, Severity
from schemas.dossier import (
    DECISION_COLUMNS, DECISION_WORDS, NOMINEE_WORDS, NOT_NOMINEE_WORDS, AwardDecisionsTable,
)
from schemas.rules import Rule

HEADERS = {c.key: c.header for c in DECISION_COLUMNS}
FAILING = (Conclusion.NOT_MET.value, Conclusion.NOT_EVALUATED.value)


def decide(office: OfficeDecisions, summary: pd.DataFrame, proposals: pd.DataFrame, dossiers: pd.DataFrame,
           plan: Plan) -> tuple[pd.DataFrame, list[Issue]]:
    """(award_decisions, the issues of the decisions file): `summary` is award_proposals, `proposals` the tidy
    table (positions, model names), `dossiers` award_dossiers."""
    issues = list(office.issues)
    base = _proposals(summary, proposals)
    keys = {(r["unit_code"], int(r["proposal_order"])): r for r in base}
    by_unit: dict[str, list[dict]] = {}
    for r in base:
        by_unit.setdefault(r["unit_code"], []).append(r)
    taken: dict[tuple, DecisionRow] = {}
    read: dict[tuple, dict] = {}
    for row in office.rows:
        key = _proposal_of(row, by_unit, office, issues, plan)
        if key is None:
            continue
        if key in taken:
            p = keys[key]
            issues.append(_issue(office, row, "stt", Rule.DECISIONS_DUPLICATE, "", msg.DEC_DUPLICATE.format(
                row=row.excel_row, nominee=p["nominee_name"], unit=p["unit_name"], first=taken[key].excel_row),
                p["unit_code"]))
            continue
        taken[key] = row
        read[key] = _values(row, office, issues, keys[key]["unit_code"])
    nominee = _nominee(read, taken, office, issues)
    has_dossier = set(dossiers.loc[dossiers["dossier_files"] > 0, "unit_code"])
    rows = []
    for r in base:
        key = (r["unit_code"], int(r["proposal_order"]))
        got = read.get(key, {})
        decision = got.get("decision", OfficeDecision.UNDECIDED)
        is_nominee = key == nominee
        rows.append({
            **{c: r[c] for c in ("unit_code", "unit_name", "unit_group", "recipient_kind_code",
                                 "recipient_kind_label", "nominee_name", "nominee_position", "conclusion",
                                 "conclusion_label")},
            "proposal_order": int(r["proposal_order"]), "decision": decision.value, "decision_label": decision.label,
            "reason": got.get("reason", ""), "is_nominee": is_nominee, "achievement": got.get("achievement", ""),
            "contradiction": _contradiction(r, decision, is_nominee),
            "has_dossier": r["unit_code"] in has_dossier,
            "decisions_row": taken[key].excel_row if key in taken else None,
        })
    frame = pd.DataFrame(rows, columns=list(AwardDecisionsTable.to_schema().columns))
    frame["contradicts"] = frame["contradiction"].astype(str) != ""
    frame["decisions_row"] = pd.array(frame["decisions_row"], dtype="Int64")
    frame = frame.astype({"proposal_order": "int64", "is_nominee": bool, "has_dossier": bool})
    for col in frame.columns:
        if col not in ("proposal_order", "is_nominee", "has_dossier", "contradicts", "decisions_row"):
            frame[col] = frame[col].fillna("").astype(str)
    return AwardDecisionsTable.validate(frame), issues


# -- matching a row to a proposal ------------------------------------------------------------------------------

def _proposals(summary: pd.DataFrame, proposals: pd.DataFrame) -> list[dict]:
    """award_proposals with each proposal's kind code and the nominee's position (from the tidy table)."""
    extra = proposals[["unit_code", "proposal_order", "recipient_kind_code", "nominee_position"]].astype(
        {"proposal_order": "int64"})
    merged = summary.merge(extra, on=["unit_code", "proposal_order"], how="left")
    merged["nominee_position"] = merged["nominee_position"].astype(object).where(merged["nominee_position"].notna(),
                                                                                 "")
    return merged.to_dict("records")


def _issue(office: OfficeDecisions, row: DecisionRow, key: str, rule: str, value, text: str, unit: str = "",
           severity: str = Severity.ERROR.value) -> Issue:
    return Issue(file=office.file, sheet=office.sheet, cell=row.cells.get(key, ""), column=HEADERS.get(key, ""),
                 value="" if is_blank(value) else str(value), rule=rule, severity=severity, message=text,
                 unit_code=unit, excel_row=row.excel_row)


def _proposal_of(row: DecisionRow, by_unit: dict, office: OfficeDecisions, issues: list, plan: Plan):
    """(unit_code, proposal_order) the row decides, or None with an issue saying why."""
    code, name = row.values.get("unit_code"), row.values.get("unit_name")
    codes = {u.unit_code for u in plan.units}
    unit = str(code).strip() if not is_blank(code) and str(code).strip() in codes else ""
    if not unit:
        typed_key = "unit_name" if not is_blank(name) else "unit_code"
        typed = name if not is_blank(name) else code
        if is_blank(typed):
            issues.append(_issue(office, row, "unit_code", Rule.DECISIONS_UNIT_MISSING, "",
                                 msg.DEC_UNIT_MISSING.format(row=row.excel_row)))
            return None
        found, _problem = plan.match_unit(str(typed))
        if found is None:
            issues.append(_issue(office, row, typed_key, Rule.DECISIONS_UNIT_UNKNOWN, typed, msg.DEC_UNIT_UNKNOWN.format(
                cell=row.cells.get(typed_key, ""), value=typed)))
            return None
        unit = found.unit_code
        if fold(typed) != fold(found.unit_name) and str(typed).strip() != unit:
            issues.append(_issue(office, row, typed_key, Rule.DECISIONS_UNIT_ASSUMED, typed, msg.DEC_UNIT_ASSUMED.format(
                cell=row.cells.get(typed_key, ""), value=typed, unit=found.unit_name), unit, Severity.WARNING.value))
    mine = by_unit.get(unit, [])
    unit_name = plan.unit(unit).unit_name
    if not mine:
        cell_key = "unit_code" if "unit_code" in row.cells else "unit_name"
        issues.append(_issue(office, row, cell_key, Rule.DECISIONS_NO_PROPOSAL, row.values.get(cell_key),
                             msg.DEC_UNIT_NO_PROPOSAL.format(cell=row.cells.get(cell_key, ""), unit=unit_name), unit))
        return None
    typed = row.values.get("nominee")
    if is_blank(typed):
        hits = mine if len(mine) == 1 else []
    else:
        person = person_key(typed)
        hits = [p for p in mine if person_key(p["nominee_name"]) == person or fold(p["nominee_name"]) == fold(typed)]
    if len(hits) != 1:
        proposed = "; ".join(f"“{p['nominee_name']}”" for p in mine)
        issues.append(_issue(office, row, "nominee", Rule.DECISIONS_NOMINEE_UNKNOWN, typed, msg.DEC_NOMINEE_UNKNOWN.format(
            cell=row.cells.get("nominee", ""), value="" if is_blank(typed) else typed, unit=unit_name,
            proposed=proposed, template=TEMPLATE_NAME), unit))
        return None
    return unit, int(hits[0]["proposal_order"])


def _values(row: DecisionRow, office: OfficeDecisions, issues: list, unit: str) -> dict:
    """The decision, reason, Bằng khen mark and achievement line typed on a matched row."""
    out: dict = {}
    typed = row.values.get("decision")
    if not is_blank(typed):
        key = fold(typed).rstrip(".")
        found = next((d for d, words in DECISION_WORDS.items() if key in words), None)
        if found is None:
            issues.append(_issue(office, row, "decision", Rule.DECISIONS_VALUE, typed, msg.DEC_VALUE.format(
                cell=row.cells.get("decision", ""), value=typed, accept=OfficeDecision.ACCEPTED.label,
                refuse=OfficeDecision.NOT_ACCEPTED.label), unit))
        else:
            out["decision"] = found
    mark = row.values.get("bang_khen")
    if mark is True or (not is_blank(mark) and fold(mark).rstrip(".") in NOMINEE_WORDS):
        out["nominee"] = True
    elif not (mark is None or mark is False or is_blank(mark) or fold(mark) in NOT_NOMINEE_WORDS):
        issues.append(_issue(office, row, "bang_khen", Rule.DECISIONS_NOMINEE_VALUE, mark, msg.DEC_NOMINEE_VALUE.format(
            cell=row.cells.get("bang_khen", ""), value=mark), unit))
    for key in ("reason", "achievement"):
        if not is_blank(value := row.values.get(key)):
            out[key] = str(value).strip()
    return out


def _nominee(read: dict, taken: dict, office: OfficeDecisions, issues: list):
    """The one proposal marked for the Bằng khen, or None (with issues when two are marked or it is refused)."""
    marked = [key for key, got in read.items() if got.get("nominee")]
    if len(marked) > 1:
        cells = ", ".join(taken[k].cells.get("bang_khen", "") for k in marked)
        for key in marked:
            row = taken[key]
            issues.append(_issue(office, row, "bang_khen", Rule.DECISIONS_TWO_NOMINEES, row.values.get("bang_khen"),
                                 msg.DEC_TWO_NOMINEES.format(cell=row.cells.get("bang_khen", ""), n=len(marked),
                                                             cells=cells), key[0]))
        return None
    if not marked:
        return None
    key = marked[0]
    if read[key].get("decision") == OfficeDecision.NOT_ACCEPTED:
        row = taken[key]
        issues.append(_issue(office, row, "bang_khen", Rule.DECISIONS_NOMINEE_REFUSED, row.values.get("bang_khen"),
                             msg.DEC_NOMINEE_REFUSED.format(cell=row.cells.get("bang_khen", ""),
                                                            decision=OfficeDecision.NOT_ACCEPTED.label), key[0]))
        return None
    return key


# -- what a decision says ---------------------------------------------------------------------------------------

def _contradiction(p: dict, decision: OfficeDecision, is_nominee: bool) -> str:
    """How a decision goes against the proposal's verdicts ('' when it does not)."""
    failing = p["conclusion"] in FAILING
    why = p.get("reasons") or p.get("conclusion_text") or ""
    if failing and is_nominee:
        return msg.CONTRADICTS_NOMINEE.format(conclusion=p["conclusion_label"], why=why)
    if failing and decision == OfficeDecision.ACCEPTED:
        return msg.CONTRADICTS_ACCEPTED.format(conclusion=p["conclusion_label"], why=why)
    if not failing and decision == OfficeDecision.NOT_ACCEPTED:
        return msg.CONTRADICTS_REFUSED.format(conclusion=p["conclusion_label"])
    return ""


def issues_table(issues: list[Issue]) -> pd.DataFrame:
    """The decisions file's problems as rows of issues.csv (same columns and labels as a return's)."""
    from pipeline.check.results import ISSUE_COLUMNS

    rows = [{c: str(getattr(i, c, "") or "") for c in ISSUE_COLUMNS} for i in issues]
    frame = pd.DataFrame(rows, columns=ISSUE_COLUMNS)
    frame["severity_label"] = frame["severity"].map(Severity.labels()).fillna("").astype(str)
    if "read_by_label" in frame:
        from pipeline import reading

        frame["read_by_label"] = frame["read_by"].map(reading.label).astype(str)
    return frame.reset_index(drop=True)
