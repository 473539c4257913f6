"""The single source of truth for the template, the reader and the validator.

Each sheet of the standard template is a pandera `DataFrameModel` in
`schemas.sheets`, made from a plan. Every column declares its Vietnamese header, help text,
kind, allowed values (a vocabulary of `config/plan.toml`) or range, and
whether it is required (`nullable=False`). `plan.sheets` lists the sheets in
template order with everything the other stages need to know about them;
`schemas.SHEETS` and `sheet_spec(name)` are the default config's, for tests and notebooks.
"""
from schemas.spec import ColumnSpec, SheetSpec, sheet_spec

__all__ = ["SHEETS", "ColumnSpec", "SheetSpec", "sheet_spec"]


def __getattr__(name: str):
    if name == "SHEETS":   # the default config's sheets, read when first asked for (never at import)
        from pipeline.config import load_plan

        return load_plan().sheets
    raise AttributeError(name)
