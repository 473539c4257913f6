"""Plain descriptions of each sheet, derived from the pandera models."""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from functools import cached_property

import pandera.pandas as pa

from schemas import sheets
from schemas.fields import TEXT_DTYPE

# Layout constants of the template: a title row, a note row, then the header.
TITLE_ROW = 1
NOTE_ROW = 2
HEADER_ROW = 3
FIRST_DATA_ROW = 4
FORM_VALUE_COLUMN = 2  # column B holds the values of a form sheet


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    header: str
    help: str
    kind: str
    required: bool
    vocab: str | None
    min: float | None
    max: float | None
    width: int
    key: bool
    percent: bool = False
    share_of: str | None = None   # a percentage typed here is this share of the named count column
    in_review_year: bool = False  # a date whose year, when left out, is the deadline's (schemas.fields.column)
    one_item: str | None = None   # severity of a cell listing several things where one is asked (schemas.fields.column)


@dataclass(frozen=True)
class SheetSpec:
    name: str
    sheet: str
    title: str
    layout: str
    model: type[pa.DataFrameModel]
    columns: tuple[ColumnSpec, ...]
    fixed_rows: tuple[tuple, ...] = ()
    blank_rows: int = 0
    optional: bool = False        # a unit may have nothing to list: a deleted sheet is said, not refused
    row_rules: dict = field(default_factory=dict)

    @property
    def schema(self) -> pa.DataFrameSchema:
        return self.model.to_schema()

    @cached_property
    def validator(self) -> pa.DataFrameSchema:
        """The schema as the checker runs it on the typed rows: text columns declared as pandas' own "str"
        dtype, which the reader gives them. The same checks; pandera then checks a text column's dtype once,
        not value by value (which costs ~0.3 s per chunk of returns in building failure cases that pass)."""
        schema = self.schema
        return schema.update_columns({name: {"dtype": TEXT_DTYPE} for name, col in schema.columns.items()
                                      if str(col.dtype) == "string[pyarrow]"})

    @property
    def key_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.key]

    @property
    def percent_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.percent]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> ColumnSpec:
        return next(c for c in self.columns if c.name == name)

    def cell(self, row_index: int, column: str) -> str:
        """Excel address, in the blank template, of a data cell (row_index from 0)."""
        from openpyxl.utils import get_column_letter

        if self.layout == "form":
            return f"{get_column_letter(FORM_VALUE_COLUMN)}{FIRST_DATA_ROW + self.column_names.index(column)}"
        return f"{get_column_letter(self.column_names.index(column) + 1)}{FIRST_DATA_ROW + row_index}"

    @property
    def n_data_rows(self) -> int:
        """Rows the template prepares for data (forms: one row per field)."""
        if self.layout == "form":
            return len(self.columns)
        return len(self.fixed_rows) or self.blank_rows


def _vocab_values(vocab: str, plan) -> list:
    if vocab == "classification_years":
        return plan.classification_years
    return plan.labels(vocab)


def _build(name: str, model: type[pa.DataFrameModel], plan) -> SheetSpec:
    schema = model.to_schema()
    meta = model.__config__.metadata or {}
    columns = tuple(
        ColumnSpec(
            name=col_name,
            header=col.metadata["header"],
            help=col.metadata["help"],
            kind=col.metadata["kind"],
            required=not col.nullable,
            vocab=col.metadata["vocab"],
            min=col.metadata["min"],
            max=col.metadata["max"],
            width=col.metadata["width"],
            key=col.metadata["key"],
            percent=col.metadata.get("percent", False),
            share_of=col.metadata.get("share_of"),
            in_review_year=col.metadata.get("in_review_year", False),
            one_item=col.metadata.get("one_item"),
        )
        for col_name, col in schema.columns.items()
    )
    vocabs = meta.get("fixed_rows", [])
    fixed = tuple(itertools.product(*(_vocab_values(v, plan) for v in vocabs))) if vocabs else ()
    return SheetSpec(
        name=name,
        sheet=meta["sheet"],
        title=(model.__doc__ or "").strip(),
        layout=meta["layout"],
        model=model,
        columns=columns,
        fixed_rows=fixed,
        blank_rows=meta.get("blank_rows", 0),
        optional=meta.get("optional", False),
        row_rules=meta.get("row_rules", {}),
    )


def build_sheets(plan) -> tuple[SheetSpec, ...]:
    """The sheets of `plan`'s template, in template order (use `plan.sheets`, which builds them once)."""
    return tuple(_build(name, model, plan) for name, model in sheets.models(plan).items())


def sheet_spec(name: str) -> SheetSpec:
    """A sheet of the default config's template (config/plan.toml, or DVK_CONFIG_DIR), for tests and notebooks;
    the pipeline uses the plan it is given: `plan.sheet(name)`."""
    from pipeline.config import load_plan

    return load_plan().sheet(name)

