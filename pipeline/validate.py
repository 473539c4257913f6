"""Stage 2: identify each file's unit, normalise values, validate with pandera.

All workbooks of a sheet are validated together in one lazy pandera call, so a
run over thousands of returns costs nine schema calls, not thousands. Bad input
becomes issues (file, sheet, cell, rule, Vietnamese message); an error excludes
its row, a warning keeps it. No row disappears without an error issue.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from pipeline import messages as msg
from pipeline.config import Plan
from pipeline.ingest import Issue, SourceFile
from pipeline.text import fold, vn_int
from pipeline import values as V
from schemas import SHEETS, SheetSpec, sheet_spec
from schemas.fields import CHOICE, DATE, DECIMAL, INT, YEAR, YESNO

PROVENANCE = ["unit_code", "source_file", "sheet", "excel_row"]
ISSUE_COLUMNS = ["file", "unit_code", "sheet", "cell", "column", "value", "rule", "severity", "message"]
CHECK_RULES = {
    "not_nullable": "required.missing",
    "isin": "choice.invalid",
    "greater_than_or_equal_to": "range.out_of_bounds",
    "less_than_or_equal_to": "range.out_of_bounds",
    "in_range": "range.out_of_bounds",
    "str_matches": "format.invalid",
    "multiple_fields_uniqueness": "duplicate.row",
}


@dataclass
class Validated:
    tables: dict[str, pd.DataFrame]   # sheet name -> valid rows (typed) with provenance
    issues: list[Issue]
    counts: pd.DataFrame              # sheet -> rows read, valid, excluded


# -- which unit sent which file -------------------------------------------------

def identify_units(sources: list[SourceFile], plan: Plan) -> None:
    """Set unit_code and status of every read file; the later report of a unit wins."""
    spec = sheet_spec("unit_info")
    i_name, i_date = spec.column_names.index("unit_name"), spec.column_names.index("report_date")
    readable = [s for s in sources if not s.status]
    report_dates = {}
    for src in readable:
        if not src.sheets:
            src.status, src.reason = "rejected", msg.FILE_NO_SHEETS
            continue
        info = src.sheets.get("unit_info")
        raw_name = info.records[0][i_name] if info else None
        if info is None or V.is_blank(raw_name):
            src.status, src.reason = "rejected", msg.FILE_NO_UNIT
            continue
        unit = plan.find_unit(str(raw_name))
        if unit is None:
            src.status, src.reason = "rejected", msg.FILE_UNKNOWN_UNIT.format(value=V.nfc(str(raw_name)))
            continue
        src.unit_code = unit.unit_code
        report_dates[src.file] = V.parse_date(info.records[0][i_date])[0]
        if src.template_version != plan.template_version:
            src.issues.append(Issue(file=src.file, sheet=sheet_spec("unit_info").sheet, cell="", column="",
                                    value=src.template_version, rule="file.template_version", severity="warning",
                                    message=msg.FILE_OLD_TEMPLATE.format(found=src.template_version or "không có")
                                    + msg.SEVERITY_SUFFIX["warning"]))
    by_unit: dict[str, list[SourceFile]] = {}
    for src in readable:
        if src.unit_code and not src.status:
            by_unit.setdefault(src.unit_code, []).append(src)
    for files in by_unit.values():
        files.sort(key=lambda s: (report_dates.get(s.file) is not None, report_dates.get(s.file) or 0, s.mtime, s.file))
        winner = files[-1]
        for loser in files[:-1]:
            loser.status, loser.reason = "superseded", msg.FILE_SUPERSEDED.format(winner=winner.file)


# -- normalisation ---------------------------------------------------------------

def _parser(col, plan: Plan):
    if col.kind in (INT, YEAR):
        return V.parse_int
    if col.kind == DECIMAL:
        return V.parse_number
    if col.kind == DATE:
        return V.parse_date
    if col.kind == YESNO:
        return V.parse_yes_no
    if col.kind == CHOICE:
        codes = None if col.vocab in ("units", "yes_no") else plan.codes(col.vocab)
        lookup = V.choice_lookup(plan.labels(col.vocab), codes)
        return lambda v: V.parse_choice(v, lookup)
    return V.parse_text


def _typed(values: list, kind: str) -> pd.Series:
    if kind in (INT, YEAR):
        return pd.Series(pd.array(values, dtype="Int64"))
    if kind == DECIMAL:
        return pd.Series(pd.array(values, dtype="Float64"))
    if kind == DATE:
        return pd.Series(pd.to_datetime(pd.Series(values, dtype=object)), dtype="datetime64[us]")
    if kind == YESNO:
        return pd.Series(pd.array(values, dtype="boolean"))
    return pd.Series(values, dtype="str")


def _raw_frame(spec: SheetSpec, sources: list[SourceFile]) -> tuple[pd.DataFrame, dict]:
    records, rows, files, units, places = [], [], [], [], {}
    for src in sources:
        sheet = src.sheets.get(spec.name)
        if sheet is None:
            continue
        records.extend(sheet.records)
        rows.extend(sheet.excel_rows)
        files.extend([src.file] * len(sheet.records))
        units.extend([src.unit_code] * len(sheet.records))
        places[src.file] = sheet.addresses if spec.layout == "form" else sheet.letters
    raw = pd.DataFrame(records, columns=spec.column_names, dtype=object)
    raw["unit_code"] = pd.Series(units, dtype="str")
    raw["source_file"] = pd.Series(files, dtype="str")
    raw["sheet"] = spec.sheet
    raw["excel_row"] = pd.Series(rows, dtype="int64")
    return raw, places


class _Issues:
    """Issues of one sheet, keyed so a cell is reported once with its first rule."""

    def __init__(self, spec: SheetSpec, raw: pd.DataFrame, places: dict, plan: Plan):
        self.spec, self.raw, self.places, self.plan = spec, raw, places, plan
        self.items: list[Issue] = []
        self.seen: set = set()
        self.error_rows: set[int] = set()

    def cell(self, idx: int, column: str) -> str:
        file = self.raw.at[idx, "source_file"]
        place = self.places.get(file) or {}
        if self.spec.layout == "form":
            return place.get(column, "")
        letter = place.get(column)
        return f"{letter}{self.raw.at[idx, 'excel_row']}" if letter else ""

    def add(self, idx: int, column: str, rule: str, severity: str, value=None, **extra) -> None:
        key = (idx, column)
        if key in self.seen:
            return
        self.seen.add(key)
        col = self.spec.column(column)
        if value is None:
            value = self.raw.at[idx, column]
        shown = "" if V.is_blank(value) else _show(value)
        cell = self.cell(idx, column)
        choices = "; ".join(f"“{c}”" for c in (self.plan.labels(col.vocab) if col.vocab else []))
        text = msg.rule_message(rule, severity, cell=cell, header=col.header, value=shown, kind=col.kind,
                                min=_fmt(col.min), max=_fmt(col.max), choices=choices, **extra)
        self.items.append(Issue(file=self.raw.at[idx, "source_file"], unit_code=self.raw.at[idx, "unit_code"],
                                sheet=self.spec.sheet, cell=cell, column=column, value=shown, rule=rule,
                                severity=severity, message=text, excel_row=int(self.raw.at[idx, "excel_row"])))
        if severity == "error":
            self.error_rows.add(idx)


def _fmt(x) -> str:
    if x is None:
        return ""
    return vn_int(x) if float(x).is_integer() else str(x)


def _show(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)


def normalise(spec: SheetSpec, raw: pd.DataFrame, issues: _Issues, plan: Plan) -> pd.DataFrame:
    """Typed columns from raw cells; unreadable cells become issues and blanks."""
    out = {}
    for col in spec.columns:
        parse = _parser(col, plan)
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
            if result[1]:
                issues.add(idx, col.name, result[1], "error")
            parsed.append(result[0])
        out[col.name] = _typed(parsed, col.kind)
    typed = pd.DataFrame(out, index=raw.index)
    for name in PROVENANCE:
        typed[name] = raw[name]
    return typed


def _schema_issues(spec: SheetSpec, typed: pd.DataFrame, issues: _Issues, plan: Plan) -> None:
    try:
        spec.schema.validate(typed, lazy=True)
        return
    except pa.errors.SchemaErrors as exc:
        failures = exc.failure_cases
    for row in failures.itertuples(index=False):
        idx = row.index
        if idx is None or pd.isna(idx):
            raise AssertionError(f"schema failure without a row in {spec.name}: {row}")  # a bug in normalise
        idx = int(idx)
        check = str(row.check)
        if check in spec.row_rules:
            rule_meta = spec.row_rules[check]
            column = rule_meta["column"]
            extra = {}
            if check == "level_matches_score":
                score = typed.at[idx, "score"]
                extra = {"score": _fmt(score), "expected": plan.classification_for_score(score)}
            issues.add(idx, column, check, rule_meta["severity"], value=typed.at[idx, column], **extra)
            continue
        base = check.split("(")[0]
        rule = CHECK_RULES.get(base)
        if rule is None:
            raise AssertionError(f"unmapped pandera check {check!r} in {spec.name}")
        column = row.column if isinstance(row.column, str) and row.column in spec.column_names else None
        if rule == "duplicate.row":
            keys = spec.key_columns
            dup = typed.duplicated(subset=["source_file", *keys], keep="first")
            if not dup.get(idx, False):
                continue
            column = keys[0]
        if column is None:
            raise AssertionError(f"schema failure without a column in {spec.name}: {row}")
        issues.add(idx, column, rule, "error")


def _proposal_rules(typed: pd.DataFrame, models: pd.DataFrame, issues: _Issues, plan: Plan) -> None:
    """One proposal per unit; a declared criterion (c) must rest on the unit's own models."""
    limit = int(plan.awards["max_proposals_per_unit"])
    alive = typed.drop(index=list(issues.error_rows)).sort_values(["source_file", "excel_row"])
    order = alive.groupby("source_file", sort=False).cumcount() + 1
    for idx, n in order[order > limit].items():
        issues.add(idx, "recipient_kind", "proposal.too_many", "error", n=n)
    own_names = set(zip(models["source_file"], models["model_name"].map(fold, na_action="ignore")))
    ranks = {lvl["label"]: lvl["rank"] for lvl in plan.items("recognition_levels")}
    min_level = plan.awards["min_recognition_level"]
    min_rank = plan.item("recognition_levels", min_level)["rank"]
    good = models[(models["recognition_level"].map(ranks).fillna(-1) >= min_rank)
                  & models["is_replicated"].fillna(False).astype(bool)]
    files_with_good_model = set(good["source_file"])
    collective = plan.label_of("recipient_kinds", "COLLECTIVE")
    for idx, file, name, kind, crit_c in zip(typed.index, typed["source_file"], typed["model_name"],
                                             typed["recipient_kind"], typed["crit_c"]):
        if pd.notna(name) and (file, fold(name)) not in own_names:
            issues.add(idx, "model_name", "proposal.model_not_found", "warning", value=name)
        if kind == collective and pd.notna(crit_c) and bool(crit_c) and file not in files_with_good_model:
            issues.add(idx, "crit_c", "proposal.crit_c_unsupported", "warning", value="Có",
                       level=plan.label_of("recognition_levels", min_level))


def validate(sources: list[SourceFile], plan: Plan) -> Validated:
    """Validate the sheets of every accepted file together, one schema call per sheet."""
    live = [s for s in sources if not s.status]
    tables, all_issues, counts = {}, [], []
    typed_by_sheet, trackers = {}, {}
    for spec in SHEETS:
        raw, places = _raw_frame(spec, live)
        tracker = _Issues(spec, raw, places, plan)
        typed = normalise(spec, raw, tracker, plan)
        _schema_issues(spec, typed, tracker, plan)
        typed_by_sheet[spec.name], trackers[spec.name] = typed, tracker
    models_ok = typed_by_sheet["models"].drop(index=list(trackers["models"].error_rows))
    _proposal_rules(typed_by_sheet["proposals"], models_ok, trackers["proposals"], plan)
    for spec in SHEETS:
        typed, tracker = typed_by_sheet[spec.name], trackers[spec.name]
        valid = typed.drop(index=list(tracker.error_rows)).reset_index(drop=True)
        tables[spec.name] = valid
        all_issues.extend(tracker.items)
        counts.append({"sheet": spec.sheet, "table": spec.name, "rows_read": len(typed),
                       "rows_valid": len(valid), "rows_excluded": len(tracker.error_rows)})
        if len(typed) != len(valid) + len(tracker.error_rows):
            raise AssertionError(f"rows lost in {spec.name}")  # a bug, never bad input
    for src in live:
        all_issues.extend(src.issues)
    return Validated(tables=tables, issues=all_issues, counts=pd.DataFrame(counts))
