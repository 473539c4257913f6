"""Which sheets of a workbook hold which template sheet: renamed, abbreviated, mistyped or copied sheets."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from pipeline import messages as msg
from pipeline.matching import Choices
from pipeline.read.sources import Issue, RawSheet, SourceFile
from pipeline.text import fold, fold_heading, is_blank, nfc, strip_accents
from schemas import SheetSpec
from schemas.rules import Rule

# Sheets of the template that hold no data, and the problem-list sheet of a feedback copy.
NON_DATA_SHEETS = {fold_heading(n) for n in (msg.INSTRUCTIONS_SHEET, msg.LISTS_SHEET, msg.FEEDBACK_SHEET)}
_COPY_SUFFIX = re.compile(
    r"^(?P<base>.*?)\s*(?:\(\s*\d+\s*\)|_\d+|[-_ ]+\s*(?:copy|ban sao)(?:\s*\(?\s*\d+\s*\)?)?|\(\s*(?:copy|ban sao)\s*\d*\s*\))$")
_SHEET_NUMBER = re.compile(r"^\s*(?:sheet\s*|bieu\s*|mau\s*)?(\d+)\b")
SHEET_FUZZY_ACCEPT = 80


@dataclass
class SheetMatch:
    """The sheet(s) of a workbook that hold one template sheet: the original first, then copies."""

    original: str | None
    copies: list[str]
    assumed: bool = False          # the original's name was matched loosely
    by_content: bool = False       # ... or not at all: the sheet holds the template sheet's headers

    @property
    def candidates(self) -> list[str]:
        return ([self.original] if self.original else []) + self.copies


def match_sheets(names: list[str], sheets: tuple[SheetSpec, ...]) -> dict[str, SheetMatch]:
    """Template sheet name (of `sheets`, a plan's) -> the workbook's sheets holding it, matched as loosely as is
    unambiguous."""
    specs = {spec.name: fold_heading(spec.sheet) for spec in sheets}
    numbers = {spec.name: _sheet_number(spec.sheet) for spec in sheets}
    labels = {spec.name: spec.sheet for spec in sheets}
    exact = {v: k for k, v in specs.items()}
    out: dict[str, SheetMatch] = {}
    copies: list[tuple[str, str]] = []   # (actual, folded base)
    loose: list[str] = []
    for name in names:
        key = fold_heading(name)
        if key in NON_DATA_SHEETS:
            continue
        if key in exact and exact[key] not in out:
            as_typed = nfc(name).casefold() == nfc(labels[exact[key]]).casefold()
            out[exact[key]] = SheetMatch(name, [], assumed=not as_typed)
            continue
        base = _COPY_SUFFIX.match(strip_accents(nfc(name)).casefold())
        if base and base["base"].strip():
            spec_name = exact.get(fold_heading(base["base"])) or _closest_sheet(base["base"], labels, specs, numbers, set())
            if spec_name:
                copies.append((name, spec_name))
                continue
        loose.append(name)
    for name in loose:  # a renamed, abbreviated or mistyped sheet name: the one clear best template sheet
        spec_name = _closest_sheet(name, labels, specs, numbers, taken=set(out))
        if spec_name:
            out[spec_name] = SheetMatch(name, [], assumed=True)
    for name, spec_name in copies:
        match = out.setdefault(spec_name, SheetMatch(None, []))
        match.copies.append(name)
    return out


def _sheet_number(name: str) -> str:
    m = _SHEET_NUMBER.match(fold(name))
    return m.group(1) if m else ""


_SHEET_PREFIX = re.compile(r"^\s*(?:sheet|bieu|mau|phu luc)\s*\d+\s*[-.:)]?\s*")


def _closest_sheet(name: str, labels: dict[str, str], specs: dict[str, str], numbers: dict[str, str],
                   taken: set[str]) -> str | None:
    """The template sheet a renamed sheet stands for: read as loosely as a dropdown value, else by similarity."""
    number = _sheet_number(name)
    label, _problem = _sheet_choices(tuple(labels.values())).match(_SHEET_PREFIX.sub("", fold(name)) or fold(name))
    by_label = {sheet: n for n, sheet in labels.items()}
    if label and by_label[label] not in taken and (not number or number == numbers[by_label[label]]):
        return by_label[label]
    key = fold_heading(name)
    scores = {}
    for spec_name, folded in specs.items():
        if spec_name in taken:
            continue
        score = max(fuzz.token_set_ratio(key, folded), fuzz.ratio(key, folded)) if key else 0
        if number:
            score += 15 if number == numbers[spec_name] else -15
        scores[spec_name] = score
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < SHEET_FUZZY_ACCEPT:
        return None
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < 5:
        return None
    return ranked[0][0]


@lru_cache(maxsize=4)
def _sheet_choices(labels: tuple[str, ...]) -> Choices:
    return Choices(list(labels))


def has_data(spec: SheetSpec, raw: RawSheet) -> bool:
    """Whether a sheet holds anything the unit typed (prefilled key cells do not count)."""
    typed = [i for i, c in enumerate(spec.columns) if not c.key]
    return any(not is_blank(record[i]) for record in raw.records for i in typed)


def pick_copy(src: SourceFile, spec: SheetSpec, found: SheetMatch, read: dict[str, RawSheet],
              hidden: set[str] = frozenset()) -> RawSheet | None:
    """The sheet to read among the original and its copies; a conflict is an error naming both. A hidden sheet is
    never read when a visible copy holds data: a clerk who copied a sheet, finished the copy and hid the older
    draft meant the copy (the hidden one is named in a warning)."""
    if found.assumed and found.original in read:
        said = msg.SHEET_BY_CONTENT if found.by_content else msg.SHEET_ASSUMED
        src.issues.append(notice(src, found.original, Rule.SHEET_ASSUMED, said.format(actual=found.original, sheet=spec.sheet)))
    if not found.copies:
        return read.get(found.original) if found.original else None
    filled = [name for name in found.candidates if name in read and has_data(spec, read[name])]
    visible = [name for name in filled if name not in hidden]
    passed_over = [name for name in filled if name in hidden] if visible else []
    for name in passed_over:
        src.issues.append(notice(src, name, Rule.SHEET_HIDDEN_COPY, msg.SHEET_HIDDEN_COPY.format(hidden=name,
                                                                                           used=visible[0])))
    filled = visible or filled
    if not filled:
        return read.get(found.original) if found.original in read else next(iter(read.values()), None)
    used = filled[0]
    for other in filled[1:]:
        src.issues.append(structural(src, other, "", Rule.SHEET_COPY_CONFLICT, msg.SHEET_COPY_CONFLICT.format(
            copy=other, used=used)))
    if used != found.original and found.original not in passed_over:
        src.issues.append(notice(src, used, Rule.SHEET_COPY_USED, msg.SHEET_COPY_USED.format(
            copy=used, sheet=found.original or spec.sheet)))
    return read[used]



def structural(src: SourceFile, sheet: str, cell: str, rule: str, message: str, column: str = "") -> Issue:
    """An error that keeps a whole sheet out."""
    return Issue(file=src.file, sheet=sheet, cell=cell, column=column, value="", rule=rule,
                 severity="error", message=message + msg.SEVERITY_SUFFIX[("error", "sheet")])


def notice(src: SourceFile, sheet: str, rule: str, message: str, cell: str = "", column: str = "") -> Issue:
    """A warning about a sheet that is still read."""
    return Issue(file=src.file, sheet=sheet, cell=cell, column=column, value="", rule=rule,
                 severity="warning", message=message + msg.SEVERITY_SUFFIX[("warning", "sheet")])
