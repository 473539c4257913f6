"""Validated tables (the contract of pipeline.validate) built without workbooks.

`validated_from_demo()` reshapes the rows `pipeline.demo.demo_returns()` means
to write into what the validate stage hands on: one frame per sheet with the
schema columns (labels for choices, Int64/Float64/boolean/datetime dtypes)
plus unit_code, source_file, sheet, excel_row; rows carrying a planted error
are left out, rows with a planted warning are kept. Also the submissions frame.
"""
from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from pipeline.config import Plan, load_plan
from pipeline.tools.demo import DemoReturn, demo_returns
from schemas import SHEETS, sheet_spec
from schemas.fields import DATE, DECIMAL, INT, YEAR, YESNO
from schemas.spec import FIRST_DATA_ROW

PROVENANCE = ["unit_code", "source_file", "sheet", "excel_row"]


def _value(value, kind: str):
    """The typed value the reader would produce from what the clerk typed."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if kind in (INT, YEAR):
        if isinstance(value, str):
            return int(re.sub(r"[^0-9]", "", value))  # "1.234" and "35 người" as the reader normalises them
        return int(value)
    if kind == DECIMAL:
        return float(value)
    if kind == DATE:
        if isinstance(value, str):
            return dt.datetime.strptime(value, "%d/%m/%Y")
        return pd.Timestamp(value)
    if kind == YESNO:
        if isinstance(value, bool):
            return value
        return {"Có": True, "Không": False, "x": True}.get(value)
    return str(value)


def _typed_frame(name: str, records: list[dict]) -> pd.DataFrame:
    spec = sheet_spec(name)
    data = {}
    for col in spec.columns:
        values = [_value(r.get(col.name), col.kind) for r in records]
        if col.kind in (INT, YEAR):
            data[col.name] = pd.array(values, dtype="Int64")
        elif col.kind == DECIMAL:
            data[col.name] = pd.array(values, dtype="Float64")
        elif col.kind == DATE:
            data[col.name] = pd.Series(pd.to_datetime(pd.Series(values, dtype=object)), dtype="datetime64[us]")
        elif col.kind == YESNO:
            data[col.name] = pd.array(values, dtype="boolean")
        else:
            data[col.name] = pd.Series(values, dtype="str")
    frame = pd.DataFrame(data, index=range(len(records)))
    frame["unit_code"] = pd.Series([r["_unit_code"] for r in records], dtype="str")
    frame["source_file"] = pd.Series([r["_source_file"] for r in records], dtype="str")
    frame["sheet"] = pd.Series([spec.sheet] * len(records), dtype="str")
    frame["excel_row"] = pd.Series([r["_excel_row"] for r in records], dtype="int64")
    return frame


def _error_rows(ret: DemoReturn) -> set[tuple[str, int]]:
    """(sheet title, row index in the return's list) of every planted error."""
    out = set()
    for p in ret.planted:
        if p["severity"] == "error":
            row = int(re.sub(r"[^0-9]", "", p["cell"]))
            out.add((p["sheet"], row - FIRST_DATA_ROW))
    return out


def returns_to_tables(returns: list[DemoReturn], keep_errors: bool = False) -> dict[str, pd.DataFrame]:
    """One typed frame per sheet from the intended rows of each return."""
    tables = {}
    for spec in SHEETS:
        records = []
        for ret in returns:
            errors = set() if keep_errors else _error_rows(ret)
            for i, row in enumerate(ret.rows.get(spec.name, [])):
                index = spec.fixed_rows.index(tuple(row[k] for k in spec.key_columns)) if spec.fixed_rows else i
                if (spec.sheet, index) in errors:
                    continue
                excel_row = FIRST_DATA_ROW if spec.layout == "form" else FIRST_DATA_ROW + index
                records.append(row | {"_unit_code": ret.unit.unit_code, "_source_file": ret.filename,
                                      "_excel_row": excel_row})
        tables[spec.name] = _typed_frame(spec.name, records)
    return tables


def submissions_frame(returns: list[DemoReturn], plan: Plan, rejected: tuple[str, ...] = ()) -> pd.DataFrame:
    """One row per registry unit, as the validate stage reports it."""
    by_code = {r.unit.unit_code: r for r in returns}
    rows = []
    for u in plan.units:
        ret = by_code.get(u.unit_code)
        if u.unit_code in rejected:
            status = "rejected"
        elif ret is None:
            status = "missing"
        else:
            status = "late" if ret.is_late else "on_time"
        report_date = None
        if ret is not None and status != "rejected":
            report_date = _value(ret.rows["unit_info"][0]["report_date"], DATE)
        errors = sum(p["severity"] == "error" for p in ret.planted) if ret else 0
        warnings = sum(p["severity"] == "warning" for p in ret.planted) if ret else 0
        rows.append({"unit_code": u.unit_code, "unit_name": u.unit_name, "unit_type": u.unit_type,
                     "unit_group": u.unit_group, "status": status,
                     "file": ret.filename if ret is not None else None,
                     "report_date": pd.Timestamp(report_date) if report_date is not None else pd.NaT,
                     "errors": errors, "warnings": warnings})
    return pd.DataFrame(rows)


def validated_from_demo(plan: Plan | None = None, seed: int = 2023, keep_errors: bool = False):
    """(tables, submissions, returns) for the demo returns of `seed`."""
    plan = plan or load_plan()
    returns, _missing = demo_returns(plan, seed)
    return returns_to_tables(returns, keep_errors), submissions_frame(returns, plan), returns


# -- small inline inputs for unit tests ---------------------------------------------

def sheet_frame(name: str, rows: list[dict], unit_code: str = "pho_an", first_row: int = FIRST_DATA_ROW) -> pd.DataFrame:
    """A validated frame of one sheet from a few rows (keys: schema columns; optional _unit_code, _excel_row)."""
    records = []
    for i, row in enumerate(rows):
        code = row.get("_unit_code", unit_code)
        records.append(row | {"_unit_code": code, "_source_file": row.get("_source_file", f"{code}.xlsx"),
                              "_excel_row": row.get("_excel_row", first_row + i)})
    return _typed_frame(name, records)


def inline_tables(**sheets: list[dict]) -> dict[str, pd.DataFrame]:
    """Every sheet of the contract; the ones not given are empty."""
    return {spec.name: sheet_frame(spec.name, sheets.get(spec.name, [])) for spec in SHEETS}


def inline_submissions(plan: Plan, statuses: dict[str, str]) -> pd.DataFrame:
    """Submissions of the registry: the given units with their status, every other unit missing."""
    rows = []
    for u in plan.units:
        status = statuses.get(u.unit_code, "missing")
        sent = status in ("on_time", "late", "rejected")
        rows.append({"unit_code": u.unit_code, "unit_name": u.unit_name, "unit_type": u.unit_type,
                     "unit_group": u.unit_group, "status": status, "file": f"{u.unit_code}.xlsx" if sent else None,
                     "report_date": pd.Timestamp("2023-06-10") if sent else pd.NaT, "errors": 0, "warnings": 0})
    return pd.DataFrame(rows)


def model_row(**kw) -> dict:
    row = {"model_name": "Mô hình thử", "field": "Kinh tế", "content_area": "1. Dân vận chính quyền",
           "model_kind": "Tập thể", "implementer": "UBND xã Phổ An", "start_year": 2021,
           "recognition_level": "Cấp thị xã công nhận", "recognition_doc": "12/QĐ-UBND",
           "recognition_date": dt.date(2022, 3, 1), "is_replicated": "Có", "replication_places": 3,
           "beneficiaries": 1500, "effect": "Hiệu quả tốt."}
    return row | kw


def proposal_row(**kw) -> dict:
    row = {"recipient_kind": "Tập thể", "nominee_name": "UBND xã Phổ An", "nominee_position": None,
           "achievements_summary": "Thành tích xuất sắc.", "model_name": "Mô hình thử",
           "crit_a": "Có", "crit_a_evidence": "Có minh chứng.", "crit_b": "Có", "crit_b_evidence": "Có minh chứng.",
           "crit_c": "Có", "crit_c_evidence": None, "crit_d": "Có", "crit_d_evidence": None}
    return row | kw


def classification_rows(levels: dict[int, float], unit_code: str = "pho_an") -> list[dict]:
    """One row per year from a score (the level follows the configured bands)."""
    plan = load_plan()
    return [{"classification_year": y, "score": s, "classification_level": plan.classification_for_score(s),
             "decision_number": None, "_unit_code": unit_code} for y, s in levels.items()]
