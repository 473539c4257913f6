"""Figures that look wrong are questioned before they reach the report (issue 28): never refused, never an error.

Three kinds of checks, every threshold and rule in [plausibility] of config/plan.toml:
- outliers across units (`plausibility.outlier`): the modified z-score 0.6745·(x − median)/MAD of each numeric
  figure of the template, and of the rates declared in [[plausibility.rates]], among the units of the same group
  for the same period (and content area, award form); Iglewicz & Hoaglin's |z| > 3.5. A comparison with fewer than
  `min_units` units judges nothing; where the MAD is 0 the mean absolute deviation × 1.253314 stands in for it
  (IBM SPSS, DHIS2), or nothing is judged (`mad_zero = "skip"`);
- jumps within a unit (`plausibility.jump`): a whole year more than k times, or under 1/k of, the median of the
  unit's other whole years (and apart from the median of all of them, so that one wrong year does not throw
  suspicion on its neighbours); `plausibility.half_year`: a period of part of a year larger than the unit's
  whole-year median;
- rules between figures (`plausibility.rule`), declared as data in [[plausibility.rules]] and checked row by row.
A difference below [plausibility.min_size] is never questioned.

Run once every chunk is checked, on the valid rows of the used returns (`review`): the outliers need every unit's
figures. On one return alone (the web page, `make check`) a group has one unit, so only the checks within the
unit and the rules run. Pure: frames in, a `Review` out.
"""
from __future__ import annotations

import operator
import re
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pipeline import messages as msg
from pipeline.config import Plan
from pipeline.read.sources import Issue
from pipeline.text import vn_figure, vn_number
from schemas.fields import DATE, DECIMAL, INT, YEAR
from schemas.rules import Rule

MAD_SCALE = 0.6745           # Iglewicz & Hoaglin: the MAD of a normal sample is 0.6745 σ
MEAN_DEVIATION_SCALE = 1.253314   # the mean absolute deviation of a normal sample is σ / 1.253314
OPERATORS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq,
             "!=": operator.ne}
CHECKS = ("rule", "copied", "outlier", "jump", "half_year")   # the order of the review list: contradictions first
FINDING_COLUMNS = ["unit_code", "unit_group", "source_file", "sheet", "cell", "excel_row", "column", "check",
                   "check_code", "figure", "key", "value", "value_text", "reference", "reference_text",
                   "compared", "distance", "severity", "direction", "reason", "message"]
GROUP_COLUMNS = ["unit_group", "units", "is_judged"]
_KEY_SEP = " · "
_OPERAND = re.compile(r"^(?:(?P<fn>year)\((?P<inner>.+)\)|(?P<number>-?\d+(?:\.\d+)?)|"
                      r"(?:(?P<sheet>[a-z_]+)\.)?(?P<column>[a-z_]+))$")


# -- settings ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rate:
    code: str
    sheet: str
    label: str
    numerator: str
    denominator: str           # a column of `sheet`, or "rows" (per = "unit": the unit's rows)
    per: str                   # "row" or "unit"
    column: str                # the cell questioned
    min_size: float
    scale: float = 1.0
    min_count: float = 0.0     # also: the numerator this far from what the median rate gives (people, not points)


@dataclass(frozen=True)
class FigureRule:
    code: str
    sheet: str
    label: str
    left: str
    op: str
    right: str
    column: str
    message: str


@dataclass(frozen=True)
class Settings:
    enabled: bool = True
    threshold: float = 3.5
    min_units: int = 5
    mad_zero: str = "mean_deviation"
    jump_factor: float = 3.0
    min_other_years: int = 2
    own_level_z: float | None = 2.0
    half_year_factor: float = 1.0
    copied_min_columns: int = 3
    min_size: dict = field(default_factory=dict)
    rates: tuple[Rate, ...] = ()
    rules: tuple[FigureRule, ...] = ()
    score_bands_confirmed: bool = False

    def smallest(self, column: str) -> float:
        return float(self.min_size.get(column, self.min_size.get("default", 0)))


def settings(plan: Plan) -> Settings:
    """[plausibility] of the plan (absent: every check off)."""
    raw = plan.raw.get("plausibility")
    if raw is None:
        return Settings(enabled=False)
    return Settings(
        enabled=bool(raw.get("enabled", True)), threshold=float(raw.get("outlier_threshold", 3.5)),
        min_units=int(raw.get("min_units", 5)), mad_zero=str(raw.get("mad_zero", "mean_deviation")),
        jump_factor=float(raw.get("jump_factor", 3.0)), min_other_years=int(raw.get("min_other_years", 2)),
        own_level_z=None if raw.get("own_level_z") is None else float(raw["own_level_z"]),
        half_year_factor=float(raw.get("half_year_factor", 1.0)), min_size=dict(raw.get("min_size", {})),
        copied_min_columns=int(raw.get("copied_min_columns", 3)),
        rates=tuple(Rate(**r) for r in raw.get("rates", [])),
        rules=tuple(FigureRule(**r) for r in raw.get("rules", [])),
        score_bands_confirmed=bool(raw.get("score_bands_confirmed", False)))


def config_problems(plan: Plan) -> list[str]:
    """What is wrong in [plausibility] of config/plan.toml (a user edited it badly), in Vietnamese."""
    if "plausibility" not in plan.raw:
        return []
    try:
        s = settings(plan)
    except (TypeError, ValueError) as exc:
        return [msg.CONFIG_PLAUSIBILITY.format(what=str(exc))]
    problems = []
    if s.mad_zero not in ("mean_deviation", "skip"):
        problems.append(msg.CONFIG_PLAUSIBILITY.format(what=f"mad_zero = {s.mad_zero!r}"))
    for rate in s.rates:
        names = _sheet_columns(rate.sheet, plan)
        wanted = [rate.numerator, rate.column] + ([] if rate.denominator == "rows" else [rate.denominator])
        if names is None or rate.per not in ("row", "unit") or any(c not in names for c in wanted):
            problems.append(msg.CONFIG_PLAUSIBILITY.format(what=f"rates {rate.code}"))
    for rule in s.rules:
        names = _sheet_columns(rule.sheet, plan)
        if names is None or rule.op not in OPERATORS or rule.column not in names or not all(
                _operand_ok(side, rule.sheet, plan) for side in (rule.left, rule.right)):
            problems.append(msg.CONFIG_PLAUSIBILITY.format(what=f"rules {rule.code}"))
    return problems


def _sheet_columns(name: str, plan: Plan) -> list[str] | None:
    return next((s.column_names for s in plan.sheets if s.name == name), None)


def _operand_ok(text: str, sheet: str, plan: Plan) -> bool:
    m = _OPERAND.match(text.strip())
    if m is None:
        return False
    if m["fn"]:
        return _operand_ok(m["inner"], sheet, plan)
    if m["number"]:
        return True
    other = m["sheet"] or sheet
    names = _sheet_columns(other, plan)
    layout = next((s.layout for s in plan.sheets if s.name == other), "")
    return names is not None and m["column"] in names and (m["sheet"] is None or layout == "form")


# -- the review --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Review:
    """Every figure questioned (one row each, `FINDING_COLUMNS`), the groups and whether they were large enough to
    compare units, and the warnings at the cells."""

    findings: pd.DataFrame
    groups: pd.DataFrame
    issues: list[Issue]


def empty_review() -> Review:
    return Review(pd.DataFrame(columns=FINDING_COLUMNS), pd.DataFrame(columns=GROUP_COLUMNS), [])


def review(tables: dict[str, pd.DataFrame], places: dict[str, dict[str, dict[str, str]]], plan: Plan) -> Review:
    """The plausibility findings of the valid rows of every used return (`tables`: sheet name -> rows with
    provenance); `places`: file -> sheet name -> column -> its letter (tables) or cell address (forms)."""
    s = settings(plan)
    if not s.enabled:
        return empty_review()
    groups_of = {u.unit_code: u.unit_group for u in plan.units}
    long = _figures(tables, plan, groups_of)
    parts = [_rules(tables, s, groups_of, plan), _outliers(pd.concat([long, _rates(tables, s, groups_of, plan)],
                                                               ignore_index=True), s),
             _jumps(long, s), _copies(tables, s, plan, groups_of)]
    found = _worded(pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts)
                    else pd.DataFrame(columns=FINDING_COLUMNS), places, plan)
    issues = [Issue(file=r["source_file"], sheet=r["sheet"], cell=r["cell"], column=r["column"],
                    value=r["cell_text"], rule=f"plausibility.{r['check']}", severity="warning",
                    message=r["message"], unit_code=r["unit_code"], excel_row=int(r["excel_row"]))
              for r in found.to_dict("records")]
    return Review(found[FINDING_COLUMNS].astype({"excel_row": "int64"}), _groups(tables, s, groups_of), issues)


def _worded(found: pd.DataFrame, places: dict, plan: Plan) -> pd.DataFrame:
    """The findings with their cells, what the unit typed, the median as printed, the reason and the message, in the
    order of CHECKS, then the farthest first."""
    for name in FINDING_COLUMNS + ["is_rate", "detail", "cell_value", "cell_text", "_table", "_scope"]:
        if name not in found:
            found[name] = np.nan
    for name in ("reason", "value_text", "reference_text", "message", "cell_text"):   # texts, whatever was found
        found[name] = found[name].astype("object")
    if len(found):
        found["cell"] = [_cell(places, f, t, c, r, plan) for f, t, c, r in zip(found["source_file"], found["_table"],
                                                                           found["column"], found["excel_row"])]
        measured = ~found["check"].isin(["rule", "copied"])
        rate = found["is_rate"].fillna(False).astype(bool)
        found.loc[measured, "reason"] = reasons(found[measured])
        found.loc[measured, "reference_text"] = found.loc[measured, "reference"].map(_fmt)
        # issues.csv shows the cell's own value; the review list shows a rate as the rate, with its parts
        found["cell_text"] = found["cell_text"].fillna(found["value_text"])
        found.loc[measured, "cell_text"] = [_plain(v) for v in found.loc[measured, "cell_value"].where(
            rate[measured], found.loc[measured, "value"])]
        found.loc[measured, "value_text"] = found.loc[measured, "cell_text"]
        found.loc[measured & rate, "value_text"] = [f"{_fmt(v)} ({d})" for v, d in zip(
            found.loc[measured & rate, "value"], found.loc[measured & rate, "detail"])]
        found["message"] = [_message(r, plan) for r in found.to_dict("records")]
        found["_order"] = found["check"].map({c: i for i, c in enumerate(CHECKS)})
        found = found.sort_values(["_order", "severity", "unit_code", "excel_row"], ascending=[True, False, True, True],
                                  kind="stable")
    return found.reindex(columns=FINDING_COLUMNS + ["_table", "_scope", "cell_text"]).reset_index(drop=True)


def _cell(places: dict, file: str, table: str, column: str, row: int, plan: Plan) -> str:
    where = places.get(file, {}).get(table, {}) or {}
    spot = where.get(column, "")
    if not spot:
        return ""
    return spot if plan.sheet(table).layout == "form" else f"{spot}{int(row)}"


def _groups(tables: dict[str, pd.DataFrame], s: Settings, groups_of: dict[str, str]) -> pd.DataFrame:
    """Each group with the units that returned figures, and whether it is large enough to compare units."""
    units = set().union(*[set(df["unit_code"]) for df in tables.values() if len(df)]) if tables else set()
    counts = pd.Series([groups_of.get(u, "") for u in units], dtype="str").value_counts()
    rows = [{"unit_group": g, "units": int(counts.get(g, 0)), "is_judged": int(counts.get(g, 0)) >= s.min_units}
            for g in dict.fromkeys(groups_of.values())]
    return pd.DataFrame(rows, columns=GROUP_COLUMNS).astype({"units": "int64", "is_judged": "bool"})


# -- the figures, long -------------------------------------------------------------------------

def _figures(tables: dict[str, pd.DataFrame], plan: Plan, groups_of: dict[str, str]) -> pd.DataFrame:
    """One row per numeric cell of the valid rows: unit, group, measure, the key it is compared within (period,
    content area, award form), its period and the months the period covers, value and where it came from."""
    parts = []
    for spec in plan.sheets:
        numbers = [c for c in spec.columns if c.kind in (INT, DECIMAL)]
        frame = tables.get(spec.name)
        if not numbers or frame is None or not len(frame):
            continue
        base = _base(spec, frame, plan)
        for col in numbers:
            values = pd.to_numeric(frame[col.name], errors="coerce").astype("float64")
            part = base.assign(measure=f"{spec.name}.{col.name}", column=col.name, figure=col.header,
                               value=values.to_numpy(), is_rate=False, detail="")
            parts.append(part[part["value"].notna()])
    long = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=[
        "unit_code", "source_file", "sheet", "excel_row", "key", "other_key", "period", "is_whole", "share", "_table",
        "_scope", "measure", "column", "figure", "value", "is_rate", "detail"])
    long["unit_group"] = long["unit_code"].map(groups_of).fillna("").astype("str")
    return long


def _base(spec, frame: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """The rows of one sheet with where they came from and what they are compared within: `key` (period, content
    area, award form: shown), `period` (a label, or None for a sheet without periods; a classification year is
    "Năm 2021"), `other_key` (the keys but the period) and whether the period is a whole year."""
    months = {str(p["label"]): tuple(map(int, p.get("months", (1, 12)))) for p in plan.items("periods")}
    shares = {label: (last - first + 1) / 12 for label, (first, last) in months.items()}
    keys = spec.key_columns
    period_col = "period" if "period" in keys else next((k for k in keys if spec.column(k).kind == YEAR), None)
    key = _joined(frame, keys)
    others = [k for k in keys if k != period_col]
    other_key = _joined(frame, others)
    if period_col == "period":
        period = frame["period"].astype("str").astype("object")
    elif period_col:
        years = frame[period_col]
        labels = {y: msg.PLAUSIBILITY_YEAR.format(year=int(y)) for y in years.dropna().unique()}
        period = years.map(labels).astype("object")
        key = period if not others else other_key + _KEY_SEP + period
    else:
        period = pd.Series(None, index=frame.index, dtype="object")
    share = period.map(shares).fillna(1.0).astype("float64")   # a classification year: a whole year
    return pd.DataFrame({
        "unit_code": frame["unit_code"].astype("str"), "source_file": frame["source_file"].astype("str"),
        "sheet": frame["sheet"].astype("str"), "excel_row": frame["excel_row"].astype("int64"),
        "key": key.astype("str"), "other_key": other_key.astype("str"), "period": period,
        "is_whole": (share == 1.0).to_numpy(), "share": share.to_numpy(),
        "_table": spec.name, "_scope": "field" if spec.layout == "form" else "row"})


def _joined(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """The values of `columns`, row by row, as one text ("1. Dân vận chính quyền · Năm 2021")."""
    parts = [[str(v) for v in frame[c].tolist()] for c in columns]
    return pd.Series([_KEY_SEP.join(row) for row in zip(*parts)] if parts else [""] * len(frame), index=frame.index,
                     dtype="object")


def _rates(tables: dict[str, pd.DataFrame], s: Settings, groups_of: dict[str, str], plan: Plan) -> pd.DataFrame:
    """The declared rates as figures of their own (`Rate`), each at the cell its warning goes to."""
    parts = []
    for rate in s.rates:
        frame = tables.get(rate.sheet)
        if frame is None or not len(frame):
            continue
        spec = plan.sheet(rate.sheet)
        num = pd.to_numeric(frame[rate.numerator], errors="coerce").astype("float64")
        if rate.per == "row":
            rows = _base(spec, frame, plan).assign(
                num=num, den=pd.to_numeric(frame[rate.denominator], errors="coerce").astype("float64"),
                cell_value=pd.to_numeric(frame[rate.column], errors="coerce"))
        else:
            held = frame.assign(_num=num, _den=1.0 if rate.denominator == "rows" else pd.to_numeric(
                frame[rate.denominator], errors="coerce").astype("float64"))
            held = held[held["_num"].notna() & held["_den"].notna()]
            if not len(held):
                continue
            top = held.sort_values("_num", ascending=False, kind="stable").drop_duplicates("unit_code")
            sums = held.groupby("unit_code")[["_num", "_den"]].sum()
            rows = _base(spec, top, plan).assign(
                key="", other_key="", period=None, is_whole=True, share=1.0, num=top["unit_code"].map(sums["_num"]),
                den=top["unit_code"].map(sums["_den"]), cell_value=pd.to_numeric(top[rate.column], errors="coerce"))
        rows = rows[rows["num"].notna() & (rows["den"] > 0)]
        if not len(rows):
            continue
        value = rows["num"] / rows["den"] * rate.scale
        parts.append(rows.drop(columns=["num", "den", "cell_value"]).assign(**{
            "measure": f"rate.{rate.code}",
            "column": rate.column, "figure": rate.label, "value": value.astype("float64"), "is_rate": True,
            "detail": [msg.PLAUSIBILITY_RATE_PARTS.format(num=vn_number(n), den=vn_number(d)) if rate.per == "row" or
                       rate.denominator != "rows" else msg.PLAUSIBILITY_RATE_ROWS.format(num=vn_number(n), den=int(d))
                       for n, d in zip(rows["num"], rows["den"])],
            "_min": rate.min_size, "cell_value": rows["cell_value"].astype("float64"),
            "_num": rows["num"].astype("float64"), "_den": rows["den"].astype("float64"), "_scale": rate.scale,
            "_min_count": rate.min_count}))
    if not parts:
        return pd.DataFrame()
    out = pd.concat(parts, ignore_index=True)
    out["unit_group"] = out["unit_code"].map(groups_of).fillna("").astype("str")
    return out


# -- outliers across units ------------------------------------------------------------------------

def modified_z(values: pd.Series, by: list[pd.Series], mad_zero: str = "mean_deviation") -> tuple[pd.Series, ...]:
    """(modified z-score, median) of each value within its group `by`: 0.6745·(x − median)/MAD, or where the MAD is
    0, (x − median)/(1.253314·mean absolute deviation) (`mad_zero = "mean_deviation"`); NaN where neither says
    anything (every value equal, or `mad_zero = "skip"`)."""
    median = values.groupby(by, sort=False).transform("median")
    deviation = (values - median).abs()
    mad = deviation.groupby(by, sort=False).transform("median")
    mean_dev = deviation.groupby(by, sort=False).transform("mean")
    z = MAD_SCALE * (values - median) / mad.where(mad > 0)
    if mad_zero == "mean_deviation":
        fallback = (values - median) / (MEAN_DEVIATION_SCALE * mean_dev.where(mean_dev > 0))
        z = z.where(mad > 0, fallback)
    return z, median


def _outliers(long: pd.DataFrame, s: Settings) -> pd.DataFrame:
    if not len(long):
        return pd.DataFrame()
    by = [long["unit_group"], long["measure"], long["key"]]
    n_units = long.groupby(by, sort=False)["unit_code"].transform("nunique")
    z, median = modified_z(long["value"], by, s.mad_zero)
    smallest = long["column"].map(s.smallest) if "_min" not in long else long["_min"].fillna(
        long["column"].map(s.smallest))
    out = (n_units >= s.min_units) & (z.abs() > s.threshold) & ((long["value"] - median).abs() >= smallest)
    if "_min_count" in long:   # a rate of a few people (6 of 8 staff registered) moves far on a person or two
        gap = (long["_num"] - median * long["_den"] / long["_scale"]).abs()
        out &= ~(gap < long["_min_count"]).fillna(False)
    if s.own_level_z is not None:   # a large (or small) unit is so in every period: not a mistyped figure
        level = _own_level(long, z, s)
        out &= ~(np.sign(z) * level > s.own_level_z).fillna(False)
    hit = long[out.fillna(False).to_numpy()].copy()
    if not len(hit):
        return pd.DataFrame()
    hit["reference"] = median[hit.index]
    hit["compared"] = n_units[hit.index].astype("int64")
    hit["distance"] = z[hit.index].abs()
    hit["severity"] = hit["distance"] / s.threshold
    hit["direction"] = np.where(z[hit.index] > 0, "high", "low")
    hit["check"] = "outlier"
    hit["check_code"] = hit["measure"]
    # a figure and a rate drawn from it, both out at one cell (participants ×10: participants, participants per
    # session): one question, the farther
    hit = hit.sort_values("severity", ascending=False, kind="stable")
    return hit.drop_duplicates(["source_file", "_table", "excel_row", "column"]).sort_index()


def _own_level(long: pd.DataFrame, z: pd.Series, s: Settings) -> pd.Series:
    """For each figure of a period, the median z-score of the same unit's figure in its other periods (NaN with
    fewer than `min_other_years` of them): how far out the unit usually stands among its peers."""
    timed = long["period"].notna().to_numpy()
    level = pd.Series(np.nan, index=long.index)
    if not timed.any():
        return level
    rows = long.loc[timed, ["unit_code", "measure", "other_key", "period"]].assign(z=z[timed])
    index = ["unit_code", "measure", "other_key"]
    wide = rows.pivot_table(index=index, columns="period", values="z", aggfunc="first", observed=True)
    if wide.empty:   # no z-score anywhere (one unit alone: the web page, `make check`)
        return level
    arr = wide.to_numpy(dtype="float64")
    found = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for j, period in enumerate(wide.columns):
            others = np.delete(arr, j, axis=1)
            med = np.where(np.sum(~np.isnan(others), axis=1) >= s.min_other_years, np.nanmedian(others, axis=1), np.nan)
            found.append(wide.index.to_frame(index=False).assign(period=period, _level=med))
    levels = pd.concat(found, ignore_index=True)
    merged = rows.reset_index().merge(levels, on=index + ["period"], how="left").set_index("index")
    level.loc[merged.index] = merged["_level"]
    return level


# -- jumps within a unit ----------------------------------------------------------------------------

def _jumps(long: pd.DataFrame, s: Settings) -> pd.DataFrame:
    """A whole year far from the unit's other whole years; a part-year above the unit's whole-year median."""
    timed = long[long["period"].notna()]
    if not len(timed):
        return pd.DataFrame()
    index = ["unit_code", "measure", "other_key"]
    wide = timed.pivot_table(index=index, columns="period", values="value", aggfunc="first", observed=True)
    if wide.empty:
        return pd.DataFrame()
    whole = [p for p in wide.columns if timed.loc[timed["period"] == p, "is_whole"].iloc[0]]
    parts = [p for p in wide.columns if p not in whole]
    if len(whole) < s.min_other_years + 1 and not parts:
        return pd.DataFrame()
    years = wide[whole].to_numpy(dtype="float64")
    found = []
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)   # an all-blank slice (no other year) judges nothing
        typical = np.nanmedian(years, axis=1) if len(whole) else np.full(len(wide), np.nan)
        counted = np.sum(~np.isnan(years), axis=1)
        for j, period in enumerate(whole):
            x = years[:, j]
            others = np.delete(years, j, axis=1)
            enough = np.sum(~np.isnan(others), axis=1) >= s.min_other_years
            med = np.nanmedian(others, axis=1)
            high = (x > s.jump_factor * med) & (x > s.jump_factor * typical)
            low = (x < med / s.jump_factor) & (x < typical / s.jump_factor)
            found.append(_jump_rows(wide.index, period, x, med, enough & (high | low) & ~np.isnan(x), high,
                                    counted - 1, "jump", s.jump_factor))
        for period in parts:
            x = wide[period].to_numpy(dtype="float64")
            enough = counted >= s.min_other_years
            high = x > s.half_year_factor * typical
            found.append(_jump_rows(wide.index, period, x, typical, enough & high & ~np.isnan(x), high, counted,
                                    "half_year", max(s.half_year_factor, 1.0)))
    hits = pd.concat(found, ignore_index=True) if found else pd.DataFrame()
    if not len(hits):
        return hits
    rows = timed.merge(hits, on=index + ["period"], how="inner")
    # the difference that must reach min_size: from the median for a year; for a part-year, from what that part of
    # a year usually holds (half the median for a half-year), the excess a whole year typed there would show
    usual = rows["reference"] * rows["share"].where(rows["check"] == "half_year", 1.0)
    return rows[(rows["value"] - usual).abs() >= rows["column"].map(s.smallest)]


def _jump_rows(index: pd.MultiIndex, period: str, x, med, hit, high, compared, check: str,
               factor: float) -> pd.DataFrame:
    keep = np.asarray(hit, dtype=bool)
    if not keep.any():
        return pd.DataFrame()
    frame = index[keep].to_frame(index=False)
    x, med, high = x[keep], med[keep], np.asarray(high)[keep]
    with np.errstate(all="ignore"):
        ratio = np.where(high, x / np.where(med > 0, med, np.nan), med / np.where(x > 0, x, np.nan))
    return frame.assign(period=period, reference=med, compared=np.asarray(compared)[keep].astype("int64"),
                        distance=ratio, severity=np.where(np.isnan(ratio), np.inf, ratio / factor),
                        direction=np.where(high, "high", "low"), check=check, check_code=frame["measure"])


def _copies(tables: dict[str, pd.DataFrame], s: Settings, plan: Plan, groups_of: dict[str, str]) -> pd.DataFrame:
    """A period's row whose every figure (at least `copied_min_columns` of them) repeats another period's row of the
    same unit: a row copied from another year (the later row is questioned, the earlier named)."""
    if s.copied_min_columns <= 0:
        return pd.DataFrame()
    parts = []
    for spec in plan.sheets:
        numbers = [c.name for c in spec.columns if c.kind in (INT, DECIMAL)]
        frame = tables.get(spec.name)
        if "period" not in spec.key_columns or len(numbers) < s.copied_min_columns or frame is None or not len(frame):
            continue
        others = [k for k in spec.key_columns if k != "period"]
        full = frame[frame[numbers].notna().all(axis=1)].sort_values("excel_row", kind="stable")
        full = full[full[numbers].astype("float64").sum(axis=1) >= s.smallest("default")]   # no copy of zeros
        by = ["unit_code", *others, *numbers]
        repeated = full.duplicated(subset=by, keep="first")
        if not repeated.any():
            continue
        first = full[~repeated].drop_duplicates(subset=by).set_index(by)["period"]
        hit = full[repeated]
        original = [first.get(tuple(row)) for row in hit[by].itertuples(index=False)]
        base = _base(spec, hit, plan)
        parts.append(base.assign(
            column=numbers[0], figure=msg.PLAUSIBILITY_COPIED_FIGURE,
            value=hit[numbers[0]].astype("float64").to_numpy(),
            value_text=["; ".join(_plain(v) for v in row) for row in hit[numbers].itertuples(index=False)],
            cell_text=[_plain(v) for v in hit[numbers[0]]], reference_text=[str(o) for o in original],
            compared=len(numbers), check="copied", check_code=f"{spec.name}.copied", severity=np.nan, direction="",
            reason=[msg.PLAUSIBILITY_REASONS["copied"].format(other=o, n=len(numbers)) for o in original]))
    if not parts:
        return pd.DataFrame()
    out = pd.concat(parts, ignore_index=True)
    out["unit_group"] = out["unit_code"].map(groups_of).fillna("").astype("str")
    return out


# -- rules between figures ------------------------------------------------------------------------

def _rules(tables: dict[str, pd.DataFrame], s: Settings, groups_of: dict[str, str], plan: Plan) -> pd.DataFrame:
    parts = []
    for rule in s.rules:
        frame = tables.get(rule.sheet)
        if frame is None or not len(frame):
            continue
        left, right = _operand(rule.left, frame, tables), _operand(rule.right, frame, tables)
        if pd.api.types.is_datetime64_any_dtype(left) != pd.api.types.is_datetime64_any_dtype(right):
            left, right = pd.to_datetime(left, errors="coerce"), pd.to_datetime(right, errors="coerce")   # one blank
        both = left.notna() & right.notna()
        broken = both & ~OPERATORS[rule.op](left.where(both), right.where(both)).fillna(True).astype(bool)
        hit = frame[broken.to_numpy()]
        if not len(hit):
            continue
        spec = plan.sheet(rule.sheet)
        named = _named_values(rule, hit, tables, plan)
        value = pd.to_numeric(hit[rule.column], errors="coerce") if spec.column(rule.column).kind in (INT, DECIMAL) \
            else pd.Series(np.nan, index=hit.index)
        parts.append(pd.DataFrame({
            "unit_code": hit["unit_code"].astype("str"), "source_file": hit["source_file"].astype("str"),
            "sheet": hit["sheet"].astype("str"), "excel_row": hit["excel_row"].astype("int64"),
            "key": "", "_table": rule.sheet, "_scope": "field" if spec.layout == "form" else "row",
            "column": rule.column, "figure": rule.label, "value": value.astype("float64"),
            "value_text": [_plain(v) for v in hit[rule.column]],
            "reference_text": [_shown(v, _kind_of(rule.right, rule.sheet, plan)) for v in right[broken]],
            "check": "rule", "check_code": rule.code, "severity": np.nan, "direction": "",
            "reason": [rule.message.format_map(_Blank(n)) for n in named]}))
    if not parts:
        return pd.DataFrame()
    out = pd.concat(parts, ignore_index=True)
    out["unit_group"] = out["unit_code"].map(groups_of).fillna("").astype("str")
    return out


def _operand(text: str, frame: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.Series:
    """The values of one side of a rule, row by row of `frame` (dates as timestamps, numbers as floats)."""
    m = _OPERAND.match(text.strip())
    if m is None:
        raise ValueError(f"plausibility rule operand {text!r}")   # config_problems refuses it before any run
    if m["fn"] == "year":
        inner = _operand(m["inner"], frame, tables)
        return pd.to_datetime(inner, errors="coerce").dt.year.astype("float64")
    if m["number"]:
        return pd.Series(float(m["number"]), index=frame.index)
    if m["sheet"]:
        other = tables.get(m["sheet"])
        if other is None or not len(other):
            return pd.Series(np.nan, index=frame.index)
        by_unit = other.drop_duplicates("unit_code").set_index("unit_code")[m["column"]]
        return _comparable(frame["unit_code"].map(by_unit))
    return _comparable(frame[m["column"]])


def _comparable(values: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values) or values.map(lambda v: hasattr(v, "year")).any():
        return pd.to_datetime(values, errors="coerce")
    return pd.to_numeric(values, errors="coerce").astype("float64")


def _kind_of(text: str, sheet: str, plan: Plan) -> str:
    m = _OPERAND.match(text.strip())
    if m is None or m["number"]:
        return DECIMAL
    if m["fn"]:
        return YEAR
    return plan.sheet(m["sheet"] or sheet).column(m["column"]).kind


def _named_values(rule: FigureRule, hit: pd.DataFrame, tables: dict[str, pd.DataFrame],
                  plan: Plan) -> list[dict[str, str]]:
    """For each broken row, every column named in the rule, by its own name, as the unit would write it."""
    names: dict[str, pd.Series] = {}
    for side in (rule.left, rule.right, rule.column):
        for m in re.finditer(r"\b(?:([a-z_]+)\.)?([a-z_]+)\b(?!\()", side):
            sheet, column = m.group(1), m.group(2)
            if column == "year":
                continue
            source = sheet or rule.sheet
            spec = next((s for s in plan.sheets if s.name == source), None)
            if spec is None or column not in spec.column_names:
                continue
            if sheet:
                other = tables.get(sheet)
                values = hit["unit_code"].map(other.drop_duplicates("unit_code").set_index("unit_code")[column]) \
                    if other is not None and len(other) else pd.Series(None, index=hit.index)
            else:
                values = hit[column]
            kind = spec.column(column).kind
            names[column] = values.map(lambda v, kind=kind: _shown(v, kind))
    return [{k: v.iloc[i] for k, v in names.items()} for i in range(len(hit))]


class _Blank(dict):
    def __missing__(self, key):
        return ""


def _plain(value) -> str:
    """A cell's value as issues.csv shows it: 36997, 96,5, 21/04/2013."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return ""
    if hasattr(value, "strftime"):
        return pd.Timestamp(value).strftime("%d/%m/%Y")
    value = float(value)
    return str(int(value)) if value.is_integer() else str(round(value, 4)).replace(".", ",")


def _shown(value, kind: str) -> str:
    """A value as a message to a unit writes it: 21/04/2013, 2022, 1.234, 96,5."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return ""
    if kind == DATE or hasattr(value, "strftime"):
        return pd.Timestamp(value).strftime("%d/%m/%Y")
    if kind == YEAR:
        return str(int(value))
    return vn_figure(round(float(value), 1) if not float(value).is_integer() else float(value))


# -- what the unit reads ------------------------------------------------------------------------

def _message(r: dict, plan: Plan) -> str:
    """The Vietnamese message of one finding (messages.RULES), and its short reason for the review list."""
    scope = r["_scope"]
    key = f", {r['key']}" if r.get("key") else ""
    if r["check"] == "rule":
        return msg.rule_message(Rule.PLAUSIBILITY_RULE, "warning", scope, cell=r["cell"], text=r["reason"],
                                label=r["figure"])
    if r["check"] == "copied":
        return msg.rule_message(Rule.PLAUSIBILITY_COPIED, "warning", scope, cell=r["cell"], key=r["key"],
                                other=r["reference_text"], n=int(r["compared"]))
    figure = _fmt(r["value"])
    median = _fmt(r["reference"])
    if r["check"] == "outlier":
        what = (msg.PLAUSIBILITY_RATE_WHAT.format(label=r["figure"], value=figure, detail=r["detail"]) if r["is_rate"]
                else msg.PLAUSIBILITY_VALUE_WHAT.format(value=figure))
        return msg.rule_message(Rule.PLAUSIBILITY_OUTLIER, "warning", scope, cell=r["cell"], header=_header(r, plan), key=key,
                                what=what, direction=msg.PLAUSIBILITY_DIRECTION[r["direction"]], group=r["unit_group"],
                                median=median, n=int(r["compared"]))
    how = (msg.PLAUSIBILITY_TIMES.format(ratio=_ratio(r["distance"])) if r["direction"] == "high"
           else msg.PLAUSIBILITY_FRACTION.format(ratio=_ratio(r["distance"])))
    return msg.rule_message(f"plausibility.{r['check']}", "warning", scope, cell=r["cell"], header=_header(r, plan),
                            key=key, value=figure, how=how, median=median, n=int(r["compared"]))


def _header(r: dict, plan: Plan) -> str:
    return plan.sheet(r["_table"]).column(r["column"]).header


def _fmt(x) -> str:
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return ""
    x = float(x)
    return vn_number(x) if abs(x - round(x)) < 1e-9 else vn_number(x, 1)


def _ratio(x) -> str:
    return "" if x is None or not np.isfinite(x) else vn_number(x, 1)


def reasons(found: pd.DataFrame) -> pd.Series:
    """The short reason of each finding for the review list (a rule's own message; else direction and median)."""
    out = []
    for r in found.to_dict("records"):
        if r["check"] == "rule":
            out.append(r["reason"])
        elif r["check"] == "outlier":
            out.append(msg.PLAUSIBILITY_REASONS["outlier"].format(
                direction=msg.PLAUSIBILITY_DIRECTION[r["direction"]], median=_fmt(r["reference"]),
                group=r["unit_group"], n=int(r["compared"])))
        else:
            how = (msg.PLAUSIBILITY_TIMES.format(ratio=_ratio(r["distance"])) if r["direction"] == "high"
                   else msg.PLAUSIBILITY_FRACTION.format(ratio=_ratio(r["distance"])))
            out.append(msg.PLAUSIBILITY_REASONS[r["check"]].format(how=how, median=_fmt(r["reference"]),
                                                                   n=int(r["compared"])))
    return pd.Series(out, index=found.index, dtype="object")
