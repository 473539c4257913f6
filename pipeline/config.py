"""Plan vocabulary and unit registry, loaded from the files in `config/`."""
from __future__ import annotations

import csv
import datetime as dt
import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline.text import fold, nfc, strip_accents

ROOT = Path(__file__).resolve().parent.parent

# Vocabulary lists of plan.toml that are lists of {code, label, ...} tables.
VOCABS = (
    "periods",
    "content_areas",
    "fields",
    "classification_levels",
    "recognition_levels",
    "recipient_kinds",
    "self_assessment_levels",
    "own_award_forms",
    "assessment_topics",
)


@dataclass(frozen=True)
class Unit:
    unit_code: str
    unit_name: str
    unit_type: str
    unit_group: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    """Everything plan-specific: the vocabulary, the rules' parameters and the registry."""

    raw: dict
    units: tuple[Unit, ...]
    _lookup: dict = field(default_factory=dict, repr=False, compare=False)

    def __getstate__(self) -> dict:
        """Pickled without what was worked out from it (the sheets' pandera models are made per plan)."""
        return {**self.__dict__, "_lookup": {}}

    # -- the template's sheets --------------------------------------------
    @property
    def sheets(self) -> tuple:
        """The sheets of this plan's template (schemas.spec.SheetSpec), in template order, built once."""
        if "sheets" not in self._lookup:
            from schemas.spec import build_sheets

            self._lookup["sheets"] = build_sheets(self)
        return self._lookup["sheets"]

    def sheet(self, name: str):
        """The SheetSpec of one sheet by its machine name ("unit_info", "models", ...)."""
        return next(s for s in self.sheets if s.name == name)

    # -- vocabulary -------------------------------------------------------
    def items(self, vocab: str) -> list[dict]:
        return list(self.raw[vocab])

    def labels(self, vocab: str) -> list[str]:
        if vocab == "units":
            return [u.unit_name for u in self.units]
        if vocab == "yes_no":
            from pipeline.messages import YES_NO

            return list(YES_NO)
        return [str(item["label"]) for item in self.raw[vocab]]

    def aliases(self, vocab: str) -> dict[str, str]:
        """Other names a clerk gives a value ("Cấp huyện" for "Cấp thị xã công nhận"): `aliases` of each item,
        read as the value with a warning."""
        if vocab in ("units", "yes_no"):
            return {}
        return {str(a): str(item["label"]) for item in self.raw[vocab] for a in item.get("aliases", ())}

    def period_spans(self) -> dict[tuple[int, int, int], str]:
        """(year, first month, last month) -> the label of each review period (`year`, `months`: default 1 to 12)."""
        return {(int(p["year"]), *map(int, p.get("months", (1, 12)))): str(p["label"]) for p in self.raw["periods"]}

    def named_by(self, vocab: str) -> dict[str, str]:
        """Words naming a body of an item's level wherever they stand ("tỉnh" in "UBND tỉnh Quảng Ngãi"): `named_by`
        of each item, lower case -> its label."""
        if vocab in ("units", "yes_no"):
            return {}
        return {nfc(str(w)).casefold(): str(item["label"]) for item in self.raw[vocab] for w in item.get("named_by", ())}

    def reading_words(self, key: str) -> tuple[str, ...]:
        """A list of words of config `[reading]` (`not_naming`, `pending_words`), lower case."""
        return tuple(nfc(str(w)).casefold() for w in self.raw.get("reading", {}).get(key, ()))

    def lead_ins(self) -> frozenset[str]:
        """Words written before a dropdown value that do not change it ("Xếp loại: HTXSNV"), folded."""
        return frozenset(fold(w) for w in self.raw.get("reading", {}).get("lead_in_words", ()))

    def position_words(self) -> tuple[str, ...]:
        """Words that open a position or workplace written under a name ("Chủ tịch UBND xã"), folded."""
        return tuple(fold(w) for w in self.raw.get("reading", {}).get("position_words", ()))

    def codes(self, vocab: str) -> list[str]:
        return [str(item["code"]) for item in self.raw[vocab]]

    def label_of(self, vocab: str, code: str) -> str:
        return {str(i["code"]): str(i["label"]) for i in self.raw[vocab]}[code]

    def item(self, vocab: str, code: str) -> dict:
        return next(i for i in self.raw[vocab] if str(i["code"]) == code)

    # -- review -------------------------------------------------------------
    @property
    def review(self) -> dict:
        return self.raw["review"]

    @property
    def deadline(self) -> dt.date:
        return self.review["deadline"]

    def is_late(self, report_date: dt.date) -> bool:
        if self.review.get("deadline_inclusive", False):
            return report_date > self.deadline
        return report_date >= self.deadline

    @property
    def total_label(self) -> str:
        """The label of the whole-town scope ("Toàn thị xã")."""
        return self.review["total_label"]

    @property
    def all_periods_label(self) -> str:
        """The label of the whole review period in the tables by period ("Cả giai đoạn")."""
        return self.review["all_periods_label"]

    @property
    def no_level_label(self) -> str:
        """The label of a reported unit without a valid classification for a year."""
        return self.review["no_level_label"]

    @property
    def template_version(self) -> str:
        return self.review["template_version"]

    @property
    def classification_years(self) -> list[int]:
        return [int(y) for y in self.review["classification_years"]]

    @property
    def awards(self) -> dict:
        return self.raw["awards"]

    @property
    def limits(self) -> dict:
        return self.raw["limits"]

    @property
    def unit_types(self) -> list[dict]:
        return list(self.raw["unit_types"])

    @property
    def groups(self) -> list[str]:
        return list(dict.fromkeys(t["group"] for t in self.raw["unit_types"]))

    def classification_for_score(self, score: float) -> str:
        """Label of the classification level whose band holds `score`."""
        levels = sorted(self.raw["classification_levels"], key=lambda lv: -lv["min_score"])
        for level in levels:
            if score >= level["min_score"]:
                return level["label"]
        return levels[-1]["label"]

    # -- registry -----------------------------------------------------------
    def unit(self, unit_code: str) -> Unit:
        if "unit_by_code" not in self._lookup:
            self._lookup["unit_by_code"] = {u.unit_code: u for u in self.units}
        return self._lookup["unit_by_code"][unit_code]

    def units_named_in(self, text: str) -> set[str]:
        """Codes of the units whose code, name or alias (over 4 letters) appears as whole words in `text`."""
        if "unit_phrases" not in self._lookup:
            phrases: dict[tuple[str, ...], set[str]] = {}
            for u in self.units:
                for name in (u.unit_code, u.unit_name, *u.aliases):
                    if len(fold(name)) > 4:
                        phrases.setdefault(_words(name), set()).add(u.unit_code)
            self._lookup["unit_phrases"] = phrases
            self._lookup["unit_phrase_len"] = max(map(len, phrases), default=0)
        phrases, longest = self._lookup["unit_phrases"], self._lookup["unit_phrase_len"]
        words = _words(text)
        return {code for i in range(len(words)) for j in range(i + 1, min(len(words), i + longest) + 1)
                for code in phrases.get(words[i:j], ())}

    def match_unit(self, text: str):
        """(unit, problem) for a unit name as a clerk typed it; see `pipeline.values.Choices`.

        The name, an alias or the code as written in the registry is read silently; the
        same without diacritics, abbreviated, with words around it or with a small typo is
        read with a warning (`unit.assumed`); anything else is unknown or ambiguous.
        """
        from pipeline.matching import Choices, assumed
        from schemas.rules import Rule   # here: schemas imports this module

        if "unit_choices" not in self._lookup:
            abbreviations = {fold(k): fold(v) for k, v in self.raw.get("registry", {}).get("abbreviations", {}).items()}
            aliases = {name: u.unit_name for u in self.units for name in (u.unit_code, *u.aliases)}
            self._lookup["unit_choices"] = Choices([u.unit_name for u in self.units], aliases=aliases,
                                                   expand=abbreviations, strict=True)
            self._lookup["unit_by_name"] = {u.unit_name: u for u in self.units}
        label, problem = self._lookup["unit_choices"].match(nfc(str(text)))
        for variant in (self._unit_variants(str(text)) if label is None else ()):
            label, again = self._lookup["unit_choices"].match(variant)
            if label is not None:
                problem = again or assumed(Rule.CHOICE_ASSUMED, "unit_in_text", assumed=label)
                break
        return self._lookup["unit_by_name"].get(label), problem

    def _unit_variants(self, text: str):
        """What a unit name typed with more around it may be: without the town after it ("UBND xã Phổ An, thị xã
        Đức Phổ"), after a label ("Tên đơn vị: UBND xã Phổ An"), without a remark ("UBND xã Phổ An (bản sửa)")."""
        shapes = [text]
        if ":" in text:
            shapes.append(text.rsplit(":", 1)[1].strip())
        from pipeline.matching import ASIDE

        if (plain := ASIDE.sub(" ", text).strip()) != text:
            shapes.append(plain)
        for shape in shapes:
            if shape != text and shape:
                yield shape
            if short := self._without_town(shape):
                yield short
        for shape in shapes:
            if own := self._without_body(shape):
                yield own
                if short := self._without_town(own):
                    yield short

    def _without_body(self, text: str) -> str:
        """A unit name after the name of one of the unit's bodies (`[registry] bodies`: "Đảng ủy phường Phổ Văn",
        "Ban Dân vận Đảng ủy xã Phổ An", "Đảng ủy - UBND xã Phổ An"), folded; '' when it starts with none."""
        if "unit_bodies" not in self._lookup:
            bodies = sorted({fold(b) for b in self.raw.get("registry", {}).get("bodies", ())}, key=len, reverse=True)
            self._lookup["unit_bodies"] = re.compile(
                rf"^(?:(?:{'|'.join(map(re.escape, bodies))})\b[\s,;&/+\-–—]*(?:va\b\s*)?)+") if bodies else None
        pattern, typed = self._lookup["unit_bodies"], fold(text).strip()
        rest = pattern.sub("", typed).strip() if pattern else typed
        return rest if rest != typed else ""

    def _without_town(self, text: str) -> str:
        """A unit name with the town it belongs to written after it (", thị xã Đức Phổ", " - TX. Đức Phổ",
        ", Đức Phổ", " thị xã", ", huyện Đức Phổ, tỉnh Quảng Ngãi") taken off; '' when it ends with none of these."""
        town = fold(self.review.get("town", ""))
        place = fold(self.raw.get("report", {}).get("place", ""))
        level = town.removesuffix(place).strip() if place else ""
        initials = "".join(word[0] for word in level.split())          # "tx" for "thị xã"
        suffixes = [re.escape(town), *(re.escape(fold(n)) for n in self.review.get("former_town_names", ())),
                    rf"{initials}\.?\s*{re.escape(place)}" if initials and place else "", re.escape(place),
                    re.escape(level)]
        province = fold(self.review.get("province", ""))
        typed = fold(nfc(text)).strip()
        folded = re.sub(rf"[\s,;\-–—]*\b(?:{re.escape(province)})$", "", typed).strip() if province else typed
        for suffix in (s for s in suffixes if s):
            short = re.sub(rf"[\s,;\-–—]*\b(?:{suffix})$", "", folded).strip()
            if short != folded and short:
                return short
        return folded if folded != typed else ""

    def is_correction(self, file_name: str) -> bool:
        """Whether a file name marks a corrected return ("sửa", "bổ sung", "lần 2", "v2", "(1)")."""
        return self._file_name_has(file_name, "correction_markers")

    def is_draft(self, file_name: str) -> bool:
        """Whether a file name marks a draft, not the return the unit sends ("dự thảo", "nháp")."""
        return self._file_name_has(file_name, "draft_markers")

    def _file_name_has(self, file_name: str, key: str) -> bool:
        text = re.sub(r"[_\-.]+", " ", strip_accents(nfc(file_name)).casefold())
        markers = self.raw.get("files", {}).get(key, [])
        return any(re.search(rf"(?<![a-z0-9]){m}(?![a-z0-9])", text) for m in markers)

    @property
    def earliest_report_date(self) -> dt.date | None:
        return self.review.get("earliest_report_date")

    @property
    def swapped_date_days(self) -> int:
        return int(self.review.get("swapped_date_days", 30))


_SEPARATORS = re.compile(r"[\s_.,;:+\-]+")
_BRACKETS = re.compile(r"[()\[\]{}]")   # `fold` drops them: a word glued to one ("An(sửa)") is kept apart first


def _words(text: str) -> tuple[str, ...]:
    """The folded words of a name or file name, split at spaces, underscores, dots, commas, semicolons, colons, plus
    signs, hyphens and brackets."""
    return tuple(w for w in _SEPARATORS.split(fold(_BRACKETS.sub(" ", text))) if w)


def _read_units(path: Path) -> tuple[Unit, ...]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return tuple(
        Unit(
            unit_code=r["unit_code"].strip(),
            unit_name=r["unit_name"].strip(),
            unit_type=r["unit_type"].strip(),
            unit_group=r["unit_group"].strip(),
            aliases=tuple(a.strip() for a in (r.get("aliases") or "").split(";") if a.strip()),
        )
        for r in rows
        if r.get("unit_code", "").strip()
    )


def check_plan(plan: Plan) -> list[str]:
    """Problems in the config files themselves (a user edited them badly)."""
    from pipeline import messages as msg

    problems = []
    for vocab in VOCABS:
        labels = plan.labels(vocab)
        if len(set(map(fold, labels))) != len(labels):
            problems.append(msg.CONFIG_DUPLICATE_LABELS.format(vocab=vocab))
        if vocab != "periods" and len(set(plan.codes(vocab))) != len(labels):
            problems.append(msg.CONFIG_DUPLICATE_CODES.format(vocab=vocab))
    for period in plan.raw.get("periods", []):
        months = period.get("months", [1, 12])
        if not (isinstance(months, list) and len(months) == 2 and all(type(m) is int for m in months)
                and 1 <= months[0] <= months[1] <= 12):
            problems.append(msg.CONFIG_PERIOD_MONTHS.format(period=period.get("label", "?")))
    types = {t["label"]: t["group"] for t in plan.unit_types}
    codes = [u.unit_code for u in plan.units]
    if len(set(codes)) != len(codes):
        problems.append(msg.CONFIG_DUPLICATE_UNITS)
    for u in plan.units:
        if types.get(u.unit_type) != u.unit_group:
            problems.append(msg.CONFIG_UNIT_TYPE.format(unit=u.unit_code, unit_type=u.unit_type, unit_group=u.unit_group))
    from pipeline.check.plausibility import config_problems   # [plausibility]: its rules name sheets and columns

    return problems + config_problems(plan) + _dossier_problems(plan)


def _dossier_problems(plan: Plan) -> list[str]:
    """[dossier]: the form in force exists, and every part of every form says what to fill with (schemas/dossier.py)."""
    from pipeline import messages as msg
    from schemas.dossier import FORM_FILLS

    cfg = plan.raw.get("dossier", {})
    forms = cfg.get("forms", {})
    problems = []
    in_force = cfg.get("achievement_report", {}).get("in_force")
    if in_force and in_force not in forms:
        problems.append(msg.CONFIG_DOSSIER_FORM.format(form=in_force, forms=", ".join(forms) or "—"))
    for key, decree in forms.items():
        for kind in ("collective", "individual"):
            for part in decree.get(kind, {}).get("parts", []):
                if part.get("fill", "") not in FORM_FILLS:
                    problems.append(msg.CONFIG_DOSSIER_FILL.format(form=key, kind=kind, fill=part.get("fill"),
                                                                   fills=", ".join(f for f in FORM_FILLS if f)))
    return problems


def package_version() -> str:
    """The installed version of this package ("unknown" when it runs from a source tree never installed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("dan-van-kheo")
    except PackageNotFoundError:
        return "unknown"


def config_dir() -> Path:
    """config/ of the project, or the folder DVK_CONFIG_DIR names (read at each call)."""
    return Path(os.environ.get("DVK_CONFIG_DIR") or ROOT / "config")


def load_plan(folder: str | Path | None = None) -> Plan:
    """The plan and the registry of `folder` (default: `config_dir()`), read again when either file changed."""
    folder = Path(folder or config_dir())
    stamps = tuple((folder / n).stat().st_mtime_ns if (folder / n).exists() else 0 for n in ("plan.toml", "units.csv"))
    return _load_plan(str(folder), stamps)


@lru_cache(maxsize=8)
def _load_plan(folder: str, _stamps: tuple) -> Plan:
    folder = Path(folder)
    with (folder / "plan.toml").open("rb") as fh:
        raw = tomllib.load(fh)
    return Plan(raw=raw, units=_read_units(folder / "units.csv"))


load_plan.cache_clear = _load_plan.cache_clear
