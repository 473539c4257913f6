"""outputs/data/README.md: the data dictionary, generated from the schemas and the code sets."""
from __future__ import annotations

from pathlib import Path

from pipeline import messages as msg
from schemas.codes import ALL_PERIODS, CODE_SETS, NO_LEVEL


def write_data_dictionary(path: Path, plan) -> Path:
    """outputs/data/README.md: every persisted table and column, generated from the schemas (the sheets: `plan`'s)."""
    from schemas.aggregates import data_dictionary

    where = {"table": "data/{t}.parquet", "aggregate": "data/aggregates/{t}.parquet", "awards": "data/award_{t}.parquet"}
    lines = [f"# {msg.DICTIONARY_TITLE}", "", msg.DICTIONARY_NOTE, ""]
    for (kind, table), cols in data_dictionary().groupby(["kind", "table"], sort=False):
        lines += [f"## `{where[kind].format(t=table)}`", "", str(cols["table_description"].iloc[0]), "",
                  msg.DICTIONARY_HEADERS, "| --- | --- | --- |"]
        lines += [f"| `{r.column}` | {r.dtype} | {r.description} |" for r in cols.itertuples()]
        lines.append("")
    for spec in plan.sheets:
        lines += [f"## `data/validated/{spec.name}.parquet`", "", msg.DICTIONARY_VALIDATED.format(sheet=spec.sheet), "",
                  msg.DICTIONARY_HEADERS, "| --- | --- | --- |"]
        lines += [f"| `{c.name}` | {c.kind} | {c.header} |" for c in spec.columns]
        lines += ["| `unit_code`, `source_file`, `sheet`, `excel_row` | | " + msg.DICTIONARY_PROVENANCE + " |", ""]
    lines += [f"## {msg.DICTIONARY_CODES}", ""]
    for column, codes in CODE_SETS.items():
        lines += [f"### `{column}`", "", msg.DICTIONARY_CODE_HEADERS, "| --- | --- | --- |"]
        lines += [f"| `{c.value}` | {c.label} | {c.meaning} |" for c in codes]
        lines.append("")
    lines += [f"- `{ALL_PERIODS}`: {msg.DICTIONARY_ALL_PERIODS}", f"- `{NO_LEVEL}`: {msg.DICTIONARY_NO_LEVEL}", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
