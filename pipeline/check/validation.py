"""Stage 2: identify each file's unit, normalise values, validate with pandera.

All workbooks of a sheet are validated together in one lazy pandera call, so a
run over thousands of returns costs nine schema calls, not thousands. Bad input
becomes issues (file, sheet, cell, rule, Vietnamese message); in a table sheet
an error excludes its row, in a form sheet it excludes its field only; a
warning keeps the value. No row disappears without an error issue. A bug met
while validating is confined to the file that triggered it: that file is
rejected with a "lỗi chương trình" reason and every other file goes on.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from pipeline import messages as msg, rules
from pipeline.check.budget import OverBudget, budget
from pipeline.check import values as V
from pipeline.check.totals import total_row_issues
from pipeline.config import Plan
from pipeline.read.sources import Issue, SourceFile
from pipeline.text import vn_figure, vn_number
from schemas import SheetSpec
from schemas.fields import CHOICE, DATE, DECIMAL, EMAIL, INT, PHONE, TEXT, TEXT_DTYPE, YEAR, YESNO
from schemas.codes import FileStatus, RecipientKind
from schemas.spec import FIRST_DATA_ROW
from schemas.rules import Rule

log = logging.getLogger(__name__)

PROVENANCE = ["unit_code", "source_file", "sheet", "excel_row"]
CHECK_RULES = {
    "not_nullable": Rule.REQUIRED_MISSING,
    "isin": Rule.CHOICE_INVALID,
    "greater_than_or_equal_to": Rule.RANGE_OUT_OF_BOUNDS,
    "less_than_or_equal_to": Rule.RANGE_OUT_OF_BOUNDS,
    "in_range": Rule.RANGE_OUT_OF_BOUNDS,
    "str_matches": Rule.FORMAT_INVALID,
    "multiple_fields_uniqueness": Rule.DUPLICATE_ROW,
}


@dataclass
class Validated:
    tables: dict[str, pd.DataFrame]   # sheet name -> valid rows (typed) with provenance
    issues: list[Issue]
    counts: pd.DataFrame              # sheet -> rows read, valid, excluded


# -- normalisation ---------------------------------------------------------------

def parser(col, plan: Plan):
    """The function that reads a cell of column `col` into its value and problem (pipeline.check.values).
    Outside free text, a list mark pasted from Word before the value ("•\t12", "• Có") is not the unit's."""
    parse = _parser(col, plan)
    if col.kind != TEXT:
        parse = _unmarked(parse)
    if col.required or col.kind not in (INT, DECIMAL, *_NO_ZERO):
        return parse
    none_is_blank = col.kind != INT   # "không có" in a count is 0; in a rate, an address or a date, no value
    return lambda v: V.not_applicable(v, none_is_blank) or parse(v)   # "N/A", "Không áp dụng": left blank, said


_NO_ZERO = (DATE, YEAR, EMAIL, PHONE)   # optional kinds where "không có", "chưa có" or a dash says there is none


def _unmarked(parse):
    return lambda v: parse(V.without_bullet(v))


def _parser(col, plan: Plan):
    if col.kind == YEAR:
        return V.parse_year
    if col.kind == INT:
        return V.parse_int
    if col.kind == DECIMAL:
        if col.max is not None:
            return lambda v, top=col.max: V.parse_bounded(v, top)
        return V.parse_number
    if col.kind == DATE:
        year = plan.deadline.year if col.in_review_year else None
        return lambda v: V.parse_date(v, year)
    if col.kind == YESNO:
        return V.parse_yes_no
    if col.kind == CHOICE:
        choices = _choices(plan, col.vocab)
        return lambda v: V.parse_choice(v, choices)
    if col.one_item:
        severity, positions = col.one_item, plan.position_words()
        return lambda v: V.parse_one_item(v, severity, positions)
    return V.parse_text


_CHOICES: dict[tuple, V.Choices] = {}


def _choices(plan: Plan, vocab: str) -> V.Choices:
    """The matcher of one vocabulary, built once per plan (it precomputes every label's loose forms)."""
    codes = None if vocab in ("units", "yes_no") else tuple(plan.codes(vocab))
    aliases = plan.aliases(vocab)
    named_by = plan.named_by(vocab)
    spans = plan.period_spans() if vocab == "periods" else {}
    key = (tuple(plan.labels(vocab)), codes, tuple(aliases.items()), plan.lead_ins(), tuple(named_by.items()),
           plan.reading_words("not_naming"), plan.reading_words("pending_words"), tuple(spans.items()))
    if key not in _CHOICES:
        _CHOICES[key] = V.Choices(list(key[0]), list(codes) if codes else None, assumed=aliases, lead_ins=key[3],
                                  named_by=named_by, not_naming=key[5], pending=key[6], spans=spans)
    return _CHOICES[key]


def _typed(values: list, kind: str) -> pd.Series:
    if kind in (INT, YEAR):
        return pd.Series(pd.array(values, dtype="Int64"))
    if kind == DECIMAL:
        return pd.Series(pd.array(values, dtype="Float64"))
    if kind == DATE:
        return pd.Series(pd.to_datetime(pd.Series(values, dtype=object)), dtype="datetime64[us]")
    if kind == YESNO:
        return pd.Series(pd.array(values, dtype="boolean"))
    return pd.Series(values, dtype=TEXT_DTYPE)


def _raw_frame(spec: SheetSpec, sources: list[SourceFile]) -> tuple[pd.DataFrame, dict, dict]:
    records, rows, files, units, sheets, places, percent = [], [], [], [], [], {}, {}
    for src in sources:
        sheet = src.sheets.get(spec.name)
        if sheet is None:
            continue
        records.extend(sheet.records)
        rows.extend(sheet.excel_rows)
        files.extend([src.file] * len(sheet.records))
        units.extend([src.unit_code] * len(sheet.records))
        sheets.extend([sheet.sheet_name or spec.sheet] * len(sheet.records))
        places[src.file] = sheet.addresses if spec.layout == "form" else sheet.letters
        percent[src.file] = sheet.percent_cells
    raw = pd.DataFrame(records, columns=spec.column_names, dtype=object)
    raw["unit_code"] = pd.Series(units, dtype="str")
    raw["source_file"] = pd.Series(files, dtype="str")
    raw["sheet"] = pd.Series(sheets, dtype="str")
    raw["excel_row"] = pd.Series(rows, dtype="int64")
    return raw, places, percent


class _Issues:
    """Issues of one sheet, keyed so a cell is reported once; an error replaces a warning of the same cell."""

    def __init__(self, spec: SheetSpec, raw: pd.DataFrame, places: dict, plan: Plan):
        self.spec, self.raw, self.places, self.plan = spec, raw, places, plan
        self.scope = "field" if spec.layout == "form" else "row"
        self.items: list[Issue] = []
        self.seen: dict[tuple, int] = {}
        self.error_cells: set[tuple[int, str]] = set()
        self.blanked_cells: set[tuple[int, str]] = set()   # optional cells left blank, their row kept
        self._columns: dict[str, dict] = {}                 # column -> {row index: raw value}
        self._choices: dict[str, str] = {}

    def at(self, idx: int, column: str):
        """raw.at[idx, column], one dictionary per column: a sheet of 20,000 faulty cells is read in a blink."""
        values = self._columns.get(column)
        if values is None:
            values = self._columns[column] = dict(zip(self.raw.index, self.raw[column]))
        return values[idx]

    def choices(self, col) -> str:
        if col.name not in self._choices:
            self._choices[col.name] = "; ".join(f"“{c}”" for c in (self.plan.labels(col.vocab) if col.vocab else []))
        return self._choices[col.name]

    @property
    def error_rows(self) -> set[int]:
        """Rows excluded by an error (a form sheet never loses its record, only the faulty fields)."""
        if self.spec.layout == "form":
            return set()
        return {idx for idx, _col in self.error_cells}

    def cell(self, idx: int, column: str) -> str:
        place = self.places.get(self.at(idx, "source_file")) or {}
        if self.spec.layout == "form":
            return place.get(column, "")
        letter = place.get(column)
        return f"{letter}{self.at(idx, 'excel_row')}" if letter else ""

    def add(self, idx: int, column: str, rule: str, severity: str, value=None, scope: str | None = None,
            read_by: str = "", **extra) -> None:
        key = (idx, column)
        if key in self.seen and (severity == "warning" or self.items[self.seen[key]].severity == "error"):
            return
        col = self.spec.column(column)
        if value is None:
            value = self.at(idx, column)
        shown = "" if V.is_blank(value) else _show(value)
        cell = self.cell(idx, column)
        choices = self.choices(col)
        low, high = (_fmt_year(col.min), _fmt_year(col.max)) if col.kind == YEAR else (vn_figure(col.min), vn_figure(col.max))
        text = msg.rule_message(rule, severity, scope or self.scope, cell=cell, header=col.header, value=shown,
                                kind=col.kind, min=low, max=high, choices=choices, read_by=read_by, **extra)
        issue = Issue(file=self.at(idx, "source_file"), unit_code=self.at(idx, "unit_code"),
                      sheet=self.at(idx, "sheet"), cell=cell, column=column, value=shown, rule=rule,
                      severity=severity, message=text, excel_row=int(self.at(idx, "excel_row")), read_by=read_by)
        if key in self.seen:
            self.items[self.seen[key]] = issue   # an error outranks the warning it replaces
        else:
            self.seen[key] = len(self.items)
            self.items.append(issue)
        if severity == "error":
            self.error_cells.add(key)

    def add_problem(self, idx: int, column: str, problem: V.Problem, value=None) -> None:
        self.add(idx, column, problem.rule, problem.severity, value=value, read_by=problem.read_by, **problem.details)

    def blank_optional(self, idx: int, column: str, problem: V.Problem) -> None:
        """An unreadable optional number or date: the cell is left blank with a warning, its row is kept."""
        self.add(idx, column, problem.rule, "warning", scope="cell", read_by=problem.read_by, **problem.details)
        self.blanked_cells.add((idx, column))


def _fmt_year(x) -> str:
    """A year bound as a year is written: 2020, never 2.020."""
    return "" if x is None else str(int(x))


def _show(value) -> str:
    if value is V.NO_CACHED_VALUE:
        return "(công thức chưa có kết quả)"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return repr(value).replace(".", ",")   # 0,979 as a Vietnamese reader writes it
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    return text if len(text) <= 200 else text[:200] + "…"


def normalise(spec: SheetSpec, raw: pd.DataFrame, issues: _Issues, plan: Plan, percent: dict) -> pd.DataFrame:
    """Typed columns from raw cells; unreadable cells become issues and blanks.

    In a table, an unreadable optional number or date (a recognition date "2023", beneficiaries "khoảng 1.400")
    is left blank with a warning and its row is kept; an unreadable required or list value excludes the row.
    """
    blankable = set() if spec.layout == "form" else {
        c.name for c in spec.columns if not c.required and not c.key and c.kind in (INT, DECIMAL, DATE, YEAR)}
    out = {}
    for col in spec.columns:
        parse = parser(col, plan) if len(raw) else None   # no rows: no vocabulary index to build
        cache: dict = {}
        parsed = []
        for idx, value in zip(raw.index, raw[col.name]):
            key = (type(value), value)
            try:
                result = cache[key]
            except KeyError:
                result = cache[key] = parse(value)
            except TypeError:  # unhashable: parse directly
                result = parse(value)
            number, problem = result
            if col.percent and number is not None and problem is None and 0 < number <= 1:
                number, problem = _percent_fraction(issues, idx, col.name, number, percent)
            shown = None
            if col.share_of in out and ((formatted := _formatted_percent(issues, idx, col.name, percent))
                                        or problem is not None and problem.rule in _SHARE_RULES):
                number, problem, shown = _share_of(value, out[col.share_of].get(idx), spec.column(col.share_of),
                                                   problem, formatted)
            if problem is not None and problem.severity == "error" and col.name in blankable:
                issues.blank_optional(idx, col.name, problem)
                problem = None
            elif problem is not None:
                issues.add_problem(idx, col.name, problem, value=shown)
            parsed.append(number if problem is None or problem.severity == "warning" else None)
        out[col.name] = _typed(parsed, col.kind)
    typed = pd.DataFrame(out, index=raw.index)
    for name in PROVENANCE:
        typed[name] = raw[name]
    return typed


def _formatted_percent(issues: _Issues, idx: int, column: str, percent: dict) -> str:
    """Whether the cell holds a percentage: "format" when an .xlsx formats it so ("100%" typed there is stored
    as 1); "assumed" for a number from 0 to 1 in an .ods or .xls, which do not say (what "100%", "95%" are
    stored as; `_percent_fraction` reads a percent column by it too); "" otherwise."""
    cells = percent.get(issues.raw.at[idx, "source_file"])
    if cells is None:
        typed = issues.raw.at[idx, column]
        number = isinstance(typed, (int, float)) and not isinstance(typed, bool)
        return "assumed" if number and 0 < typed <= 1 else ""
    return "format" if issues.cell(idx, column) in cells else ""


_SHARE_RULES = (Rule.NUMBER_PERCENT_IN_COUNT, Rule.NUMBER_EVERYONE)   # "95%", "Tất cả" in a column with a `share_of`


def _share_of(value, total, of, problem: V.Problem | None, formatted: str):
    """"100%" or "Tất cả" typed where a count is asked, next to the count `of` it is a share of: that share of it, said
    (number, problem, the value as the unit sees it). In a percent-formatted cell the stored fraction is the
    share: 1 shows "100%"."""
    share = 100.0 if problem is not None and problem.rule == Rule.NUMBER_EVERYONE else V.parse_number(value)[0]
    if formatted and share is not None:
        share = round(share * 100, 10)
    if share is None or pd.isna(total) or not 0 <= share <= 100:
        return (None if problem is not None and problem.severity == "error" else V.parse_int(value)[0]), problem, None
    number = round(int(total) * share / 100)
    shown = f"{vn_figure(share)}%" if formatted == "format" else None
    return number, V.problem(Rule.NUMBER_SHARE_ASSUMED, V.WARNING, number=vn_number(number), share=vn_figure(share),
                             total=vn_number(int(total)), of=of.header), shown


def _percent_fraction(issues: _Issues, idx: int, column: str, number: float, percent: dict):
    """0.966 in a cell formatted as a percentage is 96.6%; a bare fraction is kept and questioned.

    A .ods or .xls return does not tell the cell's number format: a number strictly between 0 and 1 there is
    what a spreadsheet stores for a percentage typed "97,9%", so it is read as 97.9 with a warning saying so.
    """
    formatted = _formatted_percent(issues, idx, column, percent)
    if formatted == "format":
        return round(number * 100, 10), None
    example = vn_figure(round(number * 100, 4))
    if formatted == "assumed" and number < 1:
        return round(number * 100, 10), V.problem(Rule.PERCENT_FRACTION_ASSUMED, V.WARNING, example=example)
    return number, V.problem(Rule.PERCENT_FRACTION, V.WARNING, example=example)


def _schema_issues(spec: SheetSpec, typed: pd.DataFrame, issues: _Issues, plan: Plan) -> None:
    try:
        spec.validator.validate(typed, lazy=True)
        return
    except pa.errors.SchemaErrors as exc:
        failures = exc.failure_cases
    # Column checks first: a value outside its list or range is an error at its cell before any row rule looks at it.
    is_row_rule = failures["check"].astype(str).isin(list(spec.row_rules))
    for row in pd.concat([failures[~is_row_rule], failures[is_row_rule]]).itertuples(index=False):
        idx = row.index
        if idx is None or pd.isna(idx):
            raise AssertionError(f"schema failure without a row in {spec.name}: {row}")  # a bug in normalise
        idx = int(idx)
        check = str(row.check)
        if check in spec.row_rules:
            rule_meta = spec.row_rules[check]
            column = rule_meta["column"]
            if any((idx, c) in issues.error_cells or (idx, c) in issues.blanked_cells
                   for c in rule_meta.get("uses", [column])):
                continue  # a row rule over a value that could not be read says nothing more
            extra = {}
            if check == Rule.LEVEL_MATCHES_SCORE:
                score = typed.at[idx, "score"]
                extra = {"score": vn_figure(score), "expected": plan.classification_for_score(score),
                         "bands": "" if plan.raw.get("plausibility", {}).get("score_bands_confirmed", False)
                         else msg.SCORE_BANDS_UNCONFIRMED}   # the bands are defaults until the province's are known
            issues.add(idx, column, check, rule_meta["severity"], value=typed.at[idx, column], **extra)
            continue
        base = check.split("(")[0]
        rule = CHECK_RULES.get(base)
        if rule is None:
            raise AssertionError(f"unmapped pandera check {check!r} in {spec.name}")
        column = row.column if isinstance(row.column, str) and row.column in spec.column_names else None
        if rule == Rule.DUPLICATE_ROW:
            column = _duplicate_key(spec, typed, idx)
            if column is None:
                continue
        if column is None:
            raise AssertionError(f"schema failure without a column in {spec.name}: {row}")
        if rule == Rule.REQUIRED_MISSING and ((idx, column) in issues.error_cells or not issues.cell(idx, column)):
            continue  # the cell already says why it is blank, or the whole row of the form is missing (field.missing)
        issues.add(idx, column, rule, "error")


def _duplicate_key(spec: SheetSpec, typed: pd.DataFrame, idx: int) -> str | None:
    """The key cell to flag when row `idx` repeats the keys of another row, or None when `idx` is the one to keep.

    The row to keep is the one whose keys are those the template prefilled at its position (a clerk
    who overwrote a locked "Năm 2020" with "2023" made the copy, not the real 2023 row); otherwise the first.
    """
    keys = spec.key_columns
    if typed.loc[idx, keys].isna().any():
        return None   # a key that could not be read repeats nothing (its cell already says why)
    same = typed[(typed["source_file"] == typed.at[idx, "source_file"])
                 & (typed[keys] == typed.loc[idx, keys]).fillna(False).all(axis=1)]
    if len(same) < 2:
        return None
    if spec.fixed_rows:
        def in_place(i):
            position = int(typed.at[i, "excel_row"]) - FIRST_DATA_ROW
            found = typed.loc[i, keys]
            return (0 <= position < len(spec.fixed_rows) and not found.isna().any()
                    and tuple(found) == spec.fixed_rows[position])
        keeper = next((i for i in same.index if in_place(i)), same.index[0])
        position = int(typed.at[idx, "excel_row"]) - FIRST_DATA_ROW
        if idx != keeper and 0 <= position < len(spec.fixed_rows):  # flag the key cell the clerk changed
            changed = [k for k, want in zip(keys, spec.fixed_rows[position]) if typed.at[idx, k] != want]
            return changed[0] if changed else keys[0]
    else:
        keeper = same.index[0]
    return None if idx == keeper else keys[0]


def _proposal_rules(typed: pd.DataFrame, models: pd.DataFrame, issues: _Issues, plan: Plan) -> None:
    """One proposal per unit; a declared criterion (c) must rest on the unit's own models."""
    # Every proposal the unit typed counts, valid or not: an error in the first must not promote the second.
    order = rules.proposal_order(typed["source_file"], typed["excel_row"])
    for idx, n in order[rules.is_beyond_limit(order, plan)].items():
        issues.add(idx, "recipient_kind", Rule.PROPOSAL_TOO_MANY, "error", n=n)
    own_names = _model_names(models, "source_file")
    files_with_good_model = _with_good_model(models, "source_file", plan)
    min_level = plan.awards["min_recognition_level"]
    collective = plan.label_of("recipient_kinds", RecipientKind.COLLECTIVE)
    for idx, file, name, kind, crit_c in zip(typed.index, typed["source_file"], typed["model_name"],
                                             typed["recipient_kind"], typed["crit_c"]):
        if pd.notna(name) and not _is_own_model(name, own_names.get(file, ())):
            issues.add(idx, "model_name", Rule.PROPOSAL_MODEL_NOT_FOUND, "warning", value=name)
        if kind == collective and pd.notna(crit_c) and bool(crit_c) and file not in files_with_good_model:
            issues.add(idx, "crit_c", Rule.PROPOSAL_CRIT_C_UNSUPPORTED, "warning", value="Có",
                       level=plan.label_of("recognition_levels", min_level))


def _model_names(models: pd.DataFrame, by: str) -> dict[str, list[str]]:
    names: dict[str, list[str]] = {}
    for key, name in zip(models[by], models["model_name"]):
        if pd.notna(name):
            names.setdefault(key, []).append(rules.model_key(name))
    return names


def _is_own_model(name: str, own: list[str]) -> bool:
    return any(rules.same_model(rules.model_key(name), key) for key in own)


def _with_good_model(models: pd.DataFrame, by: str, plan: Plan) -> set[str]:
    """The files (or units) with a model that supports criterion (c)."""
    ranks = {lvl["label"]: lvl["rank"] for lvl in plan.items("recognition_levels")}
    return set(models.loc[rules.supports_criterion_c(models["recognition_level"].map(ranks), models["is_replicated"],
                                                     plan), by])


def proposal_warnings_again(issues: list[Issue], models: pd.DataFrame, unit_of: dict[str, str],
                            plan: Plan) -> list[Issue]:
    """The proposal warnings of the files of a return sent in parts (`unit_of`: file -> unit), tested again
    against the models of the whole return: a warning the unit's models now answer is dropped."""
    own_names = _model_names(models, "unit_code")
    units_with_good_model = _with_good_model(models, "unit_code", plan)

    def still(issue: Issue) -> bool:
        unit = unit_of.get(issue.file)
        if unit is None:
            return True
        if issue.rule == Rule.PROPOSAL_MODEL_NOT_FOUND:
            return not _is_own_model(issue.value, own_names.get(unit, ()))
        if issue.rule == Rule.PROPOSAL_CRIT_C_UNSUPPORTED:
            return unit not in units_with_good_model
        return True
    return [i for i in issues if still(i)]


def validate(sources: list[SourceFile], plan: Plan) -> Validated:
    """Validate the sheets of every accepted file together; a file that trips a bug, or runs over its time or
    memory budget ([limits] of config/plan.toml), is rejected alone with its reason."""
    live = [s for s in sources if not s.status]
    try:
        with budget(plan.limits):   # a chunk of normal returns validates in seconds: over one file's budget, one
            result = _validate(live, plan)   # file is the cause, and file by file finds it
    except (Exception, OverBudget) as exc:  # find the file(s) that trigger it, reject them, go on
        if not isinstance(exc, OverBudget):
            log.exception("validation failed on the whole batch; retrying file by file")
        good = []
        for src in live:
            try:
                with budget(plan.limits):
                    _validate([src], plan)
                good.append(src)
            except OverBudget as over:
                src.reject(over.reason)
                src.issues.clear()
            except Exception as exc:
                src.reject(msg.FILE_INTERNAL_ERROR, error=exc)
                src.issues.clear()
        result = _validate(good, plan)
    # A file refused for its unit was read: its cell-level reasons go to the unit with the rest.
    result.issues.extend(i for s in sources if s.status == FileStatus.REJECTED and s.sheets for i in s.issues)
    return result


def _validate(live: list[SourceFile], plan: Plan) -> Validated:
    tables, all_issues, counts = {}, [], []
    typed_by_sheet, trackers = {}, {}
    for spec in plan.sheets:
        raw, places, percent = _raw_frame(spec, live)
        tracker = _Issues(spec, raw, places, plan)
        typed = normalise(spec, raw, tracker, plan, percent)
        _schema_issues(spec, typed, tracker, plan)
        typed_by_sheet[spec.name], trackers[spec.name] = typed, tracker
    models_ok = typed_by_sheet["models"].drop(index=list(trackers["models"].error_rows))
    _proposal_rules(typed_by_sheet["proposals"], models_ok, trackers["proposals"], plan)
    for spec in plan.sheets:
        typed, tracker = typed_by_sheet[spec.name], trackers[spec.name]
        valid = typed.drop(index=list(tracker.error_rows))
        for idx, column in tracker.error_cells:  # a form keeps its record; the faulty field is left out
            if idx in valid.index:
                valid.at[idx, column] = None
        tables[spec.name] = valid.reset_index(drop=True)
        all_issues.extend(tracker.items)
        all_issues.extend(total_row_issues(spec, live))
        excluded = len(tracker.error_rows)
        counts.append({"sheet": spec.sheet, "table": spec.name, "rows_read": len(typed),
                       "rows_valid": len(valid), "rows_excluded": excluded,
                       "cells_excluded": len(tracker.error_cells)})
        if len(typed) != len(valid) + excluded:
            raise AssertionError(f"rows lost in {spec.name}")  # a bug, never bad input
    for src in live:
        all_issues.extend(src.issues)
    return Validated(tables=tables, issues=all_issues, counts=pd.DataFrame(counts))
