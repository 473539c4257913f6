"""The single source of truth for the template, the reader and the validator.

Each sheet of the standard template is a pandera `DataFrameModel` in
`schemas.sheets`. Every column declares its Vietnamese header, help text,
kind, allowed values (a vocabulary of `config/plan.toml`) or range, and
whether it is required (`nullable=False`). `SHEETS` lists the sheets in
template order with everything the other stages need to know about them.
"""
from schemas.spec import SHEETS, ColumnSpec, SheetSpec, sheet_spec

__all__ = ["SHEETS", "ColumnSpec", "SheetSpec", "sheet_spec"]
