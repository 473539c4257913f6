"""Which unit sent which file: the unit named on sheet 1, its report date, and one return per unit.

A unit name is read as loosely as is unambiguous (see `Plan.match_unit`); a
blank name is taken from the unit known to have sent the file (its upload link, or its folder
received/<unit_code>/), else from the file name, and a file whose name names another
registry unit than its cell is refused (a reused file never replaces the
other unit's return); a file a unit sent through its link that names another unit is refused too. A unit that
sent several returns has the one the office chose used, else not a draft, then the one with the fewest errors
(a later return replaces the used one only when it is at least as complete), then the latest report date, then
a file named as a correction, then the latest saved, and files.csv says which and why; a return the office
sent back never counts; a sheet the used file lacks is taken from the unit's other file that has it (a return
sent in parts).
"""
from __future__ import annotations

import datetime as dt
import os
from typing import NamedTuple

from pipeline import messages as msg
from pipeline.check import values as V
from pipeline.check.validation import parser
from pipeline.config import Plan
from pipeline.read.decisions import SEND_BACK, USE
from pipeline.read.discover import guess_unit_from_name
from pipeline.read.sheets import has_data
from pipeline.read.sources import Issue, SourceFile
from schemas.codes import FileStatus
from schemas.rules import Rule


def today() -> dt.date:
    """The day of the run (DVK_TODAY=YYYY-MM-DD pins it, for tests and re-runs of an old review)."""
    pinned = os.environ.get("DVK_TODAY")
    return dt.date.fromisoformat(pinned) if pinned else dt.date.today()


# -- which unit sent which file -------------------------------------------------

def choose_returns(sources: list[SourceFile], plan: Plan, errors: dict[str, int] | None = None,
                   ) -> list[list[SourceFile]]:
    """One return per unit: a return the office sent back is rejected, the others but one are superseded, and the
    used one says why (see `_supersede`; `errors`: each file's errors as `ranking_errors` counts them). Returns
    the files of each unit that sent several, ranked (the used one last), for `complete_returns`."""
    by_unit: dict[str, list[SourceFile]] = {}
    for src in sources:
        if src.unit_code and not src.status and src.decision == SEND_BACK:   # never counts, whatever it holds
            src.status, src.reason = FileStatus.REJECTED, msg.FILE_SENT_BACK.format(reason=src.decision_reason)
        if src.unit_code and not src.status:
            by_unit.setdefault(src.unit_code, []).append(src)
    several = [files for files in by_unit.values() if len(files) > 1]
    for files in several:
        _supersede(files, plan, errors or {})
    return several


def counts_in_choosing(severity: str, column: str) -> bool:
    """Whether a problem counts among a return's errors in choosing the unit's return. The report date's own
    error (left blank, unreadable) does not: the date rules of `_supersede` weigh it already (an undated return
    loses to a dated one; a correction left undated wins)."""
    return severity == "error" and column != "report_date"


def ranking_errors(sources: list[SourceFile], errors: dict[str, int],
                   missing: dict[str, dict[str, str]]) -> dict[str, int]:
    """Each file's errors as they weigh in choosing a unit's return: a template sheet the file lacks (`missing`:
    file -> {sheet name: severity of its sheet.missing issue}) is no error when another file of the same unit has
    it, since the return sent in parts is completed from that file (`complete_returns`)."""
    by_unit: dict[str, list[SourceFile]] = {}
    for src in sources:
        if src.unit_code and not src.status:
            by_unit.setdefault(src.unit_code, []).append(src)
    counted = dict(errors)
    for files in by_unit.values():
        for src in files:
            given = [sheet for sheet, severity in missing.get(src.file, {}).items() if severity == "error"
                     and any(sheet not in missing.get(other.file, {}) for other in files if other is not src)]
            counted[src.file] = max(0, errors.get(src.file, 0) - len(given))
    return counted


def complete_returns(several: list[list[SourceFile]], missing: set[tuple[str, str]],
                     present: set[tuple[str, str]], plan: Plan) -> dict[tuple[str, str], str]:
    """A return sent in parts (the report, then its proposals in a file of their own; a missing sheet sent later)
    completed: a template sheet the used file lacks (`missing`: (file, sheet name)) is taken from the best-ranked
    other file of the unit that has it (`present`: (file, table)). Returns (giving file, table) -> used file."""
    borrowed: dict[tuple[str, str], str] = {}
    for files in several:
        borrowed.update(_complete(files, missing, present, plan))
    return borrowed


def _complete(files: list[SourceFile], missing: set[tuple[str, str]],
              present: set[tuple[str, str]], plan: Plan) -> dict[tuple[str, str], str]:
    """The sheets the used return (last of `files`, ranked) lacks, each from the best-ranked other file having it."""
    winner, others = files[-1], files[-2::-1]
    borrowed, given = {}, {}
    for spec in plan.sheets:
        if (winner.file, spec.sheet) not in missing:
            continue
        giver = next((s for s in others if (s.file, spec.name) in present), None)
        if giver is None:
            continue
        borrowed[(giver.file, spec.name)] = winner.file
        given.setdefault(giver.file, (giver, []))[1].append(f"“{spec.sheet}”")
        winner.issues.append(Issue(file=winner.file, sheet=spec.sheet, cell="", column="", value="",
                                   rule=Rule.SHEET_FROM_OTHER_FILE, severity="warning",
                                   message=msg.SHEET_FROM_OTHER_FILE.format(sheet=spec.sheet, other=giver.file)
                                   + msg.SEVERITY_SUFFIX[("warning", "sheet")]))
    for giver, sheets in given.values():
        giver.reason = f"{giver.reason} {msg.FILE_SHEETS_GIVEN.format(sheets=', '.join(sheets), winner=winner.file)}"
    return borrowed


def identify(src: SourceFile, plan: Plan) -> None:
    """The unit of one read file (or its rejection), its report date and its template version."""
    if not src.sheets:
        src.status, src.reason = FileStatus.REJECTED, msg.FILE_NO_SHEETS
        return
    spec = plan.sheet("unit_info")
    info = src.sheets.get("unit_info")
    i_name = spec.column_names.index("unit_name")
    raw_name = info.records[0][i_name] if info else None
    cell = (info.addresses or {}).get("unit_name", "") if info else ""
    sheet = info.sheet_name if info else spec.sheet
    if info is None or V.is_blank(raw_name):
        code = src.sender or guess_unit_from_name(src.file, plan)   # the unit's own link says more than a name
        if not code:
            src.status, src.reason = FileStatus.REJECTED, msg.FILE_NO_UNIT
            return
        unit = plan.unit(code)
        if info is not None and src.sender:
            src.issues.append(_unit_issue(src, sheet, cell, "", Rule.UNIT_FROM_LINK, "warning",
                                          msg.UNIT_FROM_SENDER.format(cell=cell, unit=unit.unit_name)))
        elif info is not None:
            src.issues.append(_unit_issue(src, sheet, cell, "", Rule.UNIT_FROM_FILE_NAME, "warning",
                                          msg.UNIT_FROM_FILE_NAME.format(cell=cell, file=src.file, unit=unit.unit_name)))
    else:
        text = V.nfc(str(raw_name))
        unit, problem = plan.match_unit(text)
        if unit is None:
            details = problem.details if problem else {}
            if problem is not None and problem.rule == Rule.CHOICE_AMBIGUOUS:
                reason, rule = msg.FILE_AMBIGUOUS_UNIT.format(value=text, candidates=details["candidates"]), Rule.UNIT_AMBIGUOUS
            else:
                hint = msg.UNIT_SUGGESTION.format(candidates=details["suggestion"]) if details.get("suggestion") else ""
                reason, rule = msg.FILE_UNKNOWN_UNIT.format(value=text, suggestion=hint), Rule.UNIT_UNKNOWN
            src.status, src.reason = FileStatus.REJECTED, reason
            src.issues.append(_unit_issue(src, sheet, cell, text, rule, "error", f"Ô {cell}: {reason}"))
            return
        if problem is not None:
            issue = _unit_issue(src, sheet, cell, text, Rule.UNIT_ASSUMED, "warning", msg.UNIT_ASSUMED.format(
                cell=cell, value=text, unit=unit.unit_name, read_by=msg.read_by_note(problem.read_by)))
            issue.read_by = problem.read_by
            src.issues.append(issue)
        if src.sender and src.sender != unit.unit_code:   # sent through one unit's link, naming another unit
            reason = msg.FILE_NOT_SENDER.format(named=unit.unit_name, unit=plan.unit(src.sender).unit_name)
            src.status, src.reason = FileStatus.REJECTED, reason
            src.issues.append(_unit_issue(src, sheet, cell, text, Rule.UNIT_NOT_SENDER, "error", f"Ô {cell}: {reason}"))
            return
        # A reused file: never let it replace the other unit's return (a file a unit sent is not named by it).
        named = "" if src.sender else guess_unit_from_name(src.file, plan)
        if named and named != unit.unit_code:
            reason = msg.FILE_UNIT_CONFLICT.format(unit=unit.unit_name, file=src.file, named=plan.unit(named).unit_name)
            src.status, src.reason = FileStatus.REJECTED, reason
            src.issues.append(_unit_issue(src, sheet, cell, text, Rule.UNIT_CONFLICT, "error", f"Ô {cell}: {reason}"))
            return
    src.unit_code = unit.unit_code
    if info is not None:
        info.records[0][i_name] = unit.unit_name  # the validator sees the registry's own spelling
    _read_report_date(src, plan)
    if _blank(src, plan):
        src.status, src.reason = FileStatus.REJECTED, msg.FILE_BLANK   # no return: the unit has not reported
        return
    if src.template_version != plan.template_version:
        src.issues.append(Issue(file=src.file, sheet="", cell="", column="", value=src.template_version,
                                rule=Rule.FILE_TEMPLATE_VERSION, severity="warning",
                                message=msg.FILE_OLD_TEMPLATE.format(found=src.template_version or "không có")
                                + msg.SEVERITY_SUFFIX[("warning", "file")]))


def _blank(src: SourceFile, plan: Plan) -> bool:
    """The template sent back with only the unit's information: every other sheet read, and nothing typed in any.
    (A sheet that could not be read says why on its own: such a file is not called blank.)"""
    data = [spec for spec in plan.sheets if spec.name != "unit_info"]
    return all(spec.name in src.sheets for spec in data if not spec.optional) and not any(
        has_data(spec, src.sheets[spec.name]) for spec in data if spec.name in src.sheets)


def _unit_issue(src: SourceFile, sheet: str, cell: str, value: str, rule: str, severity: str, text: str) -> Issue:
    scope = "file" if severity == "error" else "field"
    return Issue(file=src.file, sheet=sheet, cell=cell, column="unit_name", value=value, rule=rule,
                 severity=severity, message=text + msg.SEVERITY_SUFFIX[(severity, scope)])


def _read_report_date(src: SourceFile, plan: Plan) -> None:
    """The report date, read once for lateness and for choosing among a unit's returns."""
    info = src.sheets.get("unit_info")
    if info is None:
        return
    spec = plan.sheet("unit_info")
    date, _problem = parser(spec.column("report_date"), plan)(info.records[0][spec.column_names.index("report_date")])
    src.report_date = date
    if date is not None:
        cell = (info.addresses or {}).get("report_date", "")
        for issue in report_date_warnings(date, plan):
            rule, extra = issue
            src.issues.append(Issue(file=src.file, sheet=info.sheet_name, cell=cell, column="report_date",
                                    value=date.strftime("%d/%m/%Y"), rule=rule, severity="warning",
                                    message=msg.rule_message(rule, "warning", "field", cell=cell,
                                                             value=date.strftime("%d/%m/%Y"), **extra)))
            if rule == Rule.REPORT_DATE_YEAR:   # the year a slip of the keyboard: counted on the day it proposes
                src.report_date = _in_year(date, plan.deadline.year)


def report_date_warnings(date: dt.date, plan: Plan) -> list[tuple[str, dict]]:
    """Why a readable report date looks wrong: in the future, too early, day and month swapped, or a later year
    typed for the review's own (the same day a year on, near the deadline)."""
    swapped = _swapped(date)
    near = swapped is not None and abs((swapped - plan.deadline).days) <= plan.swapped_date_days
    hint = {"swapped": swapped.strftime("%d/%m/%Y")} if near else {}
    fmt = "%d/%m/%Y"
    # A later year typed for the review's own (14/6/2026 for 14/6/2023), the day near the deadline: a typing slip,
    # whether or not that year has come (said first: "in the future" would hide what happened).
    if (same_day := _in_year(date, plan.deadline.year)) and date.year > plan.deadline.year \
            and _one_digit_apart(date.year, plan.deadline.year) \
            and abs((same_day - plan.deadline).days) <= plan.swapped_date_days:
        return [(Rule.REPORT_DATE_YEAR, {"deadline": plan.deadline.strftime(fmt), "meant": same_day.strftime(fmt)})]
    if date > today():
        return [(Rule.REPORT_DATE_FUTURE, {"today": today().strftime(fmt), **hint})]
    earliest = plan.earliest_report_date
    if earliest and date < earliest:
        return [(Rule.REPORT_DATE_TOO_EARLY, {"earliest": earliest.strftime(fmt), **hint})]
    if near and (date - plan.deadline).days >= plan.swapped_date_days:
        return [(Rule.REPORT_DATE_SWAPPED, {"deadline": plan.deadline.strftime(fmt), **hint})]
    return []


def _one_digit_apart(typed: int, meant: int) -> bool:
    """2026 typed for 2023 (one key): a slip of the keyboard; 2099 is no slip of 2023."""
    return sum(a != b for a, b in zip(str(typed), str(meant))) == 1


def _in_year(date: dt.date, year: int) -> dt.date | None:
    """The same day and month in `year` ("14/6/2024" typed for 14/6/2023); None for 29/2 in a common year."""
    try:
        return date.replace(year=year)
    except ValueError:
        return None


def _swapped(date: dt.date) -> dt.date | None:
    if date.day > 12 or date.day == date.month:
        return None
    try:
        return dt.date(date.year, date.day, date.month)
    except ValueError:
        return None


class _Rank(NamedTuple):
    """How a unit's return ranks among its others (the greatest is used); `_supersede` says why by it."""

    chosen: bool            # the office chose it (pipeline.read.decisions)
    final: bool             # not named as a draft
    fewer_errors: int       # minus its errors: a later return replaces the used one only when as complete
    dated: bool
    date: dt.date
    correction: bool
    mtime: float
    file: str


def _supersede(files: list[SourceFile], plan: Plan, errors: dict[str, int]) -> None:
    """Keep one return per unit: the one the office chose, else not a draft, the fewest errors, the latest report
    date, then a corrected file, then the latest saved.

    A file named as a correction whose report date is blank was made after the dated ones it corrects: it is
    ranked as the latest.
    """
    def rank(s: SourceFile) -> _Rank:
        stem = os.path.splitext(os.path.basename(s.file))[0]
        correction = plan.is_correction(stem)
        date = s.report_date or (dt.date.max if correction else None)
        return _Rank(s.decision == USE, not plan.is_draft(stem), -errors.get(s.file, 0), date is not None,
                     date or dt.date.min, correction, s.mtime, s.file)

    files.sort(key=rank)
    winner = files[-1]
    w = rank(winner)
    reasons = []
    for loser in files[:-1]:
        lose = rank(loser)
        if lose.chosen < w.chosen:
            reason, why = msg.FILE_SUPERSEDED_OFFICE, msg.WHY_OFFICE
        elif lose.final < w.final:
            reason, why = msg.FILE_SUPERSEDED_DRAFT, msg.WHY_NOT_DRAFT
        elif lose.fewer_errors < w.fewer_errors:
            reason, why = msg.FILE_SUPERSEDED_MORE_ERRORS, msg.WHY_FEWER_ERRORS
        elif winner.report_date is None and w.correction:
            reason, why = msg.FILE_SUPERSEDED_UNDATED_CORRECTION, msg.WHY_UNDATED_CORRECTION
        elif not lose.dated:
            reason, why = msg.FILE_SUPERSEDED_DATED, msg.WHY_HAS_DATE
        elif lose.date < w.date:
            reason, why = msg.FILE_SUPERSEDED, msg.WHY_LATER_DATE
        elif w.correction and not lose.correction:
            reason, why = msg.FILE_SUPERSEDED_CORRECTION, msg.WHY_CORRECTION
        else:
            reason, why = msg.FILE_SUPERSEDED_LATER, msg.WHY_LATER_SAVED
        loser.status = FileStatus.SUPERSEDED
        loser.reason = reason.format(winner=winner.file, errors=-lose.fewer_errors, winner_errors=-w.fewer_errors)
        reasons.append(why)
    others = ", ".join(s.file for s in files[:-1])
    text = msg.FILE_USED_OVER.format(n=len(files), others=others, why=" ".join(dict.fromkeys(reasons)))
    winner.reason = text
    winner.issues.append(Issue(file=winner.file, sheet="", cell="", column="", value="", rule=Rule.FILE_DUPLICATE_USED,
                               severity="warning", message=text + msg.SEVERITY_SUFFIX[("warning", "file")]))
