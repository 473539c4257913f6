"""Reading what a clerk chose loosely: a dropdown value, a unit name or a sheet name, and the problem it raises.

`Choices` maps what was typed to one allowed value when that is unambiguous
(with a warning when it had to assume), and otherwise says which values come
nearest. It serves the value parser, the unit registry and the sheet finder.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from pipeline.reading import BRACKETED_REMARK, NEGATION_WORDS, READINGS
from pipeline.text import DASH_CHARS, fold, fold_heading, nfc
from schemas.rules import Rule

ERROR, WARNING = "error", "warning"
# A fuzzy match is taken only when it is this close (0–100) and clearly ahead of the next candidate.
FUZZY_ACCEPT, FUZZY_MARGIN, FUZZY_SUGGEST = 88, 8, 60


@dataclass(frozen=True)
class Problem:
    """Why a cell could not be read as typed: a rule code, its severity, message details, and for a value read
    under an assumption, the reading that read it (pipeline.reading)."""

    rule: str
    severity: str = ERROR
    extra: tuple = field(default=())   # (name, value) pairs for the message
    read_by: str = field(default="", compare=False)   # what was read matters, not how: tests compare the first

    @property
    def details(self) -> dict:
        return dict(self.extra)


def problem(rule: str, severity: str = ERROR, read_by: str = "", **extra) -> Problem:
    return Problem(rule, severity, tuple(sorted(extra.items())), read_by)


def assumed(rule: str, read_by: str, **extra) -> Problem:
    """The warning of a value read under an assumption, naming the reading (a code of pipeline.reading)."""
    assert read_by in READINGS, read_by   # a reading nobody declared is a bug
    return problem(rule, WARNING, read_by=read_by, **extra)


def _words(key: str) -> list[str]:
    return [w for w in re.split(r"[\s\-–—.,;:/]+", key) if w]


# Two-syllable words whose last syllable alone is another word: "thị xã" (a town) is not "xã" (a commune).
# A typed "xã" must not be found inside "thị xã" (F1: "Cấp xã" is not "Cấp thị xã công nhận").
_COMPOUNDS = {("thi", "xa"), ("thi", "tran")}


_TRAILING = re.compile(r"[\s.;:,!]+$")
ASIDE = BRACKETED_REMARK   # a remark in brackets (also read by Plan.match_unit)
_NOT_LETTERS = re.compile(r"[\W_]+")   # what `_squeezed` leaves out: spaces, "&", "-", ","
_HALVES = re.compile(r"\s*[:/–—]\s*|\s+-\s+")   # "ND2 - CCHC", "HTXS: Hoàn thành xuất sắc"; not "QP-AN"
_NEGATION = NEGATION_WORDS
# Folded words typed for their opposite in a label: "6 tháng cuối năm 2023" is no "6 tháng đầu năm 2023".
_OPPOSITES = {"dau": "cuoi", "cuoi": "dau", "tren": "duoi", "duoi": "tren", "truoc": "sau", "sau": "truoc"}
YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])")   # a year of this century or the last, in any text
_WORD = re.compile(r"\w+")
_SPELLED_CODE = re.compile(rf"^([^\W\d_][^\d]*?)\s*(\d+)\b\s*[.:)\-{DASH_CHARS}]?\s*(.*)$")


def _glued(words: list[str]) -> list[str]:
    """The words with each compound of _COMPOUNDS as one word ("thi xa" -> "thi_xa")."""
    out: list[str] = []
    for w in words:
        if out and (out[-1], w) in _COMPOUNDS:
            out[-1] = f"{out[-1]}_{w}"
        else:
            out.append(w)
    return out


def _initials(words: list[str]) -> str:
    return "".join(w[0] for w in words if w)


class Choices:
    """The allowed values of one dropdown and the loose ways clerks type them.

    - the label itself (any case, with or without diacritics, with or without
      its leading number) is read silently; with `strict`, only the label or
      an alias as written is silent, and the same without diacritics warns;
    - a code, an abbreviation (initials: "HTXS", "HTXSNV"), a unique part of a
      label ("Xuất sắc", "Hoàn thành xuất sắc") or a small typo is read as
      that label with a warning saying what was assumed;
    - anything else, or a part shared by several labels, is an error that
      names the nearest candidates; a label that says "not" ("Chưa được
      công nhận") is never taken for words that do not.
    `expand` maps folded abbreviations to their folded full form ("ubnd" ->
    "uy ban nhan dan"), applied to the labels and to what was typed.
    `aliases` are other names read silently; `assumed`, other names read
    with the warning ("Cấp huyện" for "Cấp thị xã công nhận"). `lead_ins`
    are folded words that may come before a value without changing it
    ("xep", "loai" in "Xếp loại: HTXSNV"), read with the warning.
    `named_by` maps lower-case words naming a value wherever they stand in the cell to its label ("tỉnh" in "UBND
    tỉnh Quảng Ngãi"), tried last: see `_named`; `not_naming` are words holding such a word that name nothing
    ("cán bộ"), `pending` words that say the thing is not done yet ("đề nghị").
    `spans` maps (year, first month, last month) to the label of a period: a cell that writes a period as its
    months ("T1-T6/2023", "Từ 01/01/2021 đến 31/12/2021", "Quý I, II/2023", see `month_span`) is the period with
    those months, one month alone the period it falls in ("Tháng 3/2021": "Năm 2021"), anything else no value.
    A year typed in a cell must be a year of the label read ("6 tháng đầu năm 2021" is no "6 tháng đầu năm 2023",
    however close the words).
    """

    def __init__(self, labels: list[str], codes: list[str] | None = None, aliases: dict[str, str] | None = None,
                 expand: dict[str, str] | None = None, strict: bool = False, assumed: dict[str, str] | None = None,
                 lead_ins: frozenset[str] = frozenset(), named_by: dict[str, str] | None = None,
                 not_naming: tuple[str, ...] = (), pending: tuple[str, ...] = (),
                 spans: dict[tuple[int, int, int], str] | None = None):
        self.labels = list(labels)
        self._spans = dict(spans or {})   # (year, first month, last month) -> the label of that period
        self._label_years = {label: set(YEAR.findall(label)) for label in self.labels}
        # words -> the label they name; "" names none; None says the thing is not done yet
        self._naming: dict[tuple[str, ...], str | None] = {
            **{tuple(_WORD.findall(w)): "" for w in not_naming}, **{tuple(_WORD.findall(w)): None for w in pending},
            **{tuple(_WORD.findall(w)): label for w, label in (named_by or {}).items()}} if named_by else {}
        # the same without diacritics, for a cell typed without them: only words that cannot be another word then
        # ("thi xa", "tinh uy", "tw"; not "so", which is "sở" and "số")
        self._naming_plain = {tuple(fold(w) for w in k): v for k, v in self._naming.items()
                              if len(k) > 1 or k[0].isascii()}
        self.strict = strict
        self._lead_ins = lead_ins
        self._expand = [(re.compile(rf"(?<![\w.]){re.escape(k)}" + ("" if k.endswith(".") else r"(?![\w])")),
                         v + (" " if k.endswith(".") else ""))
                        for k, v in sorted((expand or {}).items(), key=lambda kv: -len(kv[0]))]
        self.as_written = {nfc(x).casefold() for x in [*self.labels, *(aliases or {})]}
        self.exact: dict[str, str] = {}
        for label in self.labels:
            for key in (self._fold(label), self._heading(label)):
                self.exact.setdefault(key, label)
            number = re.match(r"^\s*(\d+)\s*[.)]", label)
            if number:
                self.exact.setdefault(number[1], label)
        for alias, label in (aliases or {}).items():
            self.exact.setdefault(self._fold(alias), label)
        # Each name (or other name) with only its letters and digits, its abbreviations written out or not: "Phòng
        # GDĐT" is "Phòng GD&ĐT", "LĐ, TB&XH" is "LĐTB&XH", "Khiếu nại tố cáo" is "Khiếu nại, tố cáo", "UBNDxã Phổ
        # An" is "UBND xã Phổ An".
        squeezed: dict[str, set[str]] = {}
        written = {**{x: x for x in self.labels}, **(aliases or {}), **(assumed or {})}   # as written, abbreviations kept
        for key, label in [*self.exact.items(), *((self._fold(a), label) for a, label in (assumed or {}).items()),
                           *((fold(name), label) for name, label in written.items())]:
            squeezed.setdefault(_squeezed(key), set()).add(label)
        self._squeezed = {k: next(iter(v)) for k, v in squeezed.items() if len(v) == 1 and len(k) >= 3}
        loose: dict[str, set[str]] = {}
        for label in self.labels:
            words = _words(self._heading(label))
            for key in {_initials(words[:n]) for n in range(2, len(words) + 1)}:
                loose.setdefault(key, set()).add(label)
        self.loose = {k: next(iter(v)) for k, v in loose.items() if len(v) == 1 and len(k) >= 2}
        self._aliases_assumed = {self._fold(a) for a in (assumed or {})}
        self.loose.update({self._fold(a): label for a, label in (assumed or {}).items()})
        self.loose.update({fold(c): self.labels[i] for i, c in enumerate(codes or [])})  # a code wins
        self._codes = {fold(c): self.labels[i] for i, c in enumerate(codes or [])}
        self._folded = {label: self._heading(label) for label in self.labels}
        self._word_sets = {label: set(_words(folded)) for label, folded in self._folded.items()}
        counts: dict[str, int] = {}
        for folded in self._folded.values():
            for w in set(_words(folded)):
                counts[w] = counts.get(w, 0) + 1
        # Words most labels share ("ủy ban nhân dân", "phổ") say nothing about which one was meant.
        self._common = {w for w, n in counts.items() if n >= 2 and n / len(self.labels) >= 0.25}
        # Words every label holds ("công nhận" in each recognition level): typed around a value, they add nothing.
        self._shared = {w for w, n in counts.items() if n == len(self.labels) >= 2}
        self._distinct = {label: self._strip_common(folded) for label, folded in self._folded.items()}
        # Words a label holds only through an abbreviation ("UBND" -> "uy ban nhan dan"): a typed "ban" or "dân"
        # alone does not point to it ("Ban Dân vận" is no "UBND ..." unit).
        self._expanded_only: dict[str, list[set[str]]] = {}
        for label in self.labels:
            written = re.sub(r"\s+", " ", fold(fold_heading(label)).replace(" - ", " ")).strip()
            groups = [set(_words(full)) - set(_words(written)) for pattern, full in self._expand
                      if pattern.search(written)]
            self._expanded_only[label] = [g for g in groups if g]

    @property
    def reads_periods(self) -> bool:
        """Whether the values are periods (see `spans`)."""
        return bool(self._spans)

    def _fold(self, text: str) -> str:
        key = fold(text)
        for pattern, full in self._expand:
            key = pattern.sub(full, key)
        return re.sub(r"\s+", " ", key.replace(" - ", " ")).strip()  # "Văn hóa – xã hội" = "văn hóa xã hội"

    def _heading(self, text: str) -> str:
        return self._fold(fold_heading(text))

    # What is tried when the cell names no value as typed, in order, each a reading of pipeline.reading.
    FALLBACKS = (("remark", "_without_aside"), ("label_then_words", "_label_then_words"),
                 ("lead_in", "_lead_in_then_label"), ("said_twice", "_said_twice"),
                 ("shared_words", "_without_shared_words"), ("named_body", "_named"))

    @lru_cache(maxsize=4096)  # noqa: B019 (a Choices lives as long as the run: the cache is meant to)
    def match(self, text: str) -> tuple[str | None, Problem | None]:
        text = _TRAILING.sub("", text) or text   # "Hoàn thành nhiệm vụ."
        if self._spans and (span := month_span(text)) is not None:
            year, first, last = span
            hit = self._spans.get(span) or (self._month_in(year, first) if first == last else None)
            return (hit, assumed(Rule.CHOICE_ASSUMED, "months", assumed=hit)) if hit else \
                (None, problem(Rule.CHOICE_INVALID, suggestion=self.suggest(self._heading(text))))
        hit, found = self._match(text)
        if hit is None and not self.strict:
            for reading, method in self.FALLBACKS:   # a remark after the value, a lead-in before it...
                if hit := getattr(self, method)(text):
                    found = assumed(Rule.CHOICE_ASSUMED, reading, assumed=hit)
                    break
        if hit is not None and self._label_years[hit] and not set(YEAR.findall(text)) <= self._label_years[hit]:
            return None, problem(Rule.CHOICE_INVALID, suggestion=self.suggest(self._heading(text)))   # another year
        return hit, found

    def _month_in(self, year: int, month: int) -> str | None:
        """The period a single month falls in ("Tháng 3/2021" in "Năm 2021", "6/2023" in "6 tháng đầu năm 2023")."""
        return next((label for (y, first, last), label in self._spans.items() if y == year and first <= month <= last),
                    None)

    def _without_aside(self, text: str) -> str | None:
        plain = ASIDE.sub(" ", text).strip()
        return self._match(plain)[0] if plain and plain != text.strip() else None

    def _label_then_words(self, text: str) -> str | None:
        """The one label the typed words start with, when the words after it belong to no other label (so
        "Hoàn thành nhiệm vụ xuất sắc" is not read as "Hoàn thành nhiệm vụ")."""
        typed = _words(self._heading(text))
        found = []
        for label, folded in self._folded.items():
            words = _words(folded)
            if len(typed) > len(words) and typed[:len(words)] == words:
                others = {w for other, f in self._folded.items() if other != label for w in _words(f)}
                if not set(typed[len(words):]) & others:
                    found.append(label)
        return found[0] if len(found) == 1 else None

    def _lead_in_then_label(self, text: str) -> str | None:
        """The label between lead-in words and years only: "Xếp loại: HTXSNV", "Năm 2021: Tốt", "Nội dung số 2",
        "HTXSNV năm 2021"; the longest such value first."""
        typed = _words(self._heading(text))
        n = len(typed)
        first = next((i for i, w in enumerate(typed) if not self._is_lead_in(w)), n)        # may drop typed[:first]
        last = next((i for i in range(n - 1, -1, -1) if not self._is_lead_in(typed[i])), -1)  # and typed[last + 1:]
        spans = sorted(((a, b) for a in range(min(first, n - 1) + 1) for b in range(max(last + 1, a + 1), n + 1)
                        if (a, b) != (0, n)), key=lambda span: span[0] - span[1])
        for start, end in spans:
            kept, dropped = typed[start:end], typed[:start] + typed[end:]
            if any(map(YEAR.fullmatch, kept)) and any(map(YEAR.fullmatch, dropped)):
                continue   # "2021 - 2022" in a period cell is no "Năm 2021"
            if len(kept) > 1 and kept[0].isdigit():
                continue   # "Nội dung 2: Dân chủ ở cơ sở": a number and words that may disagree (see _spelled_code)
            if hit := self._match(" ".join(kept))[0]:
                return hit
        return None

    def _without_shared_words(self, text: str) -> str | None:
        """The value typed with words every label holds around another name of it or after lead-in words:
        "UBND thị xã công nhận", "Được Thị ủy công nhận" ("Đề nghị cấp thị xã công nhận" is still no value)."""
        typed = _words(self._heading(text))
        kept = [w for w in typed if w not in self._shared]
        if not kept or len(kept) == len(typed):
            return None
        rest = " ".join(kept)
        return self._match(rest)[0] or self._lead_in_then_label(rest)

    def _said_twice(self, text: str) -> str | None:
        """One value written twice, by its code or initials and in words: "ND2 - CCHC", "HTXS: Hoàn thành xuất sắc"."""
        parts = _HALVES.split(text, maxsplit=1)
        if len(parts) != 2 or not all(p.strip() for p in parts):
            return None
        first, second = (self._match(p)[0] for p in parts)
        return first if first is not None and first == second else None

    def _named(self, text: str) -> str | None:
        """The one value the `named_by` words of the cell name, wherever they stand ("Ban Dân vận Thị ủy Đức Phổ",
        "QĐ số 12/QĐ-UBND của UBND tỉnh"): the longest words first, each word read once ("thị xã" is no "xã");
        None when they name no value or several, or when the cell says it is not done yet ("Đang đề nghị")."""
        if not self._naming:
            return None
        plain = text.isascii()
        words = [fold(w) if plain else w for w in _WORD.findall(nfc(text).casefold())]
        naming = self._naming_plain if plain else self._naming
        longest = max(map(len, naming))
        named, i = set(), 0
        while i < len(words):
            n = next((n for n in range(min(longest, len(words) - i), 0, -1) if tuple(words[i:i + n]) in naming), 0)
            if n == 0:
                i += 1
                continue
            label = naming[tuple(words[i:i + n])]
            if label is None:
                return None
            named |= {label} - {""}
            i += n
        return named.pop() if len(named) == 1 else None

    def _is_lead_in(self, word: str) -> bool:
        return word in self._lead_ins or bool(YEAR.fullmatch(word))

    def _match(self, text: str) -> tuple[str | None, Problem | None]:
        key, heading = self._fold(text), self._heading(text)
        hit = self.exact.get(key) or self.exact.get(heading)
        if hit:
            if self.strict and nfc(text).casefold() not in self.as_written:
                return hit, assumed(Rule.CHOICE_ASSUMED, "spelling", assumed=hit)
            return hit, None
        for found, reading in ((self.loose.get(key), self._loose_reading(key)),
                               (self.loose.get(heading.replace(" ", "")), "initials"),
                               (self._spelled_code(key), "spelled_code"),
                               (self._squeezed.get(_squeezed(key)), "letters_only")):
            if found:
                return found, assumed(Rule.CHOICE_ASSUMED, reading, assumed=found)
        if set(_words(heading)) <= _NEGATION:   # "Không" alone (or left of "Không xếp loại" once "xếp loại" is read as
            return None, problem(Rule.CHOICE_INVALID, suggestion="")   # a lead-in) names no level with "không"; an alias may
        parts = self._containing(heading)
        if len(parts) > 1:   # "Hoàn thành NV": in three labels, but all of one of them
            parts = [label for label in parts if self._covers(label, heading)] or parts
        if len(parts) == 1:
            return parts[0], assumed(Rule.CHOICE_ASSUMED, "part_of_label", assumed=parts[0])
        if len(parts) > 1:
            return None, problem(Rule.CHOICE_AMBIGUOUS, candidates=_quoted(self._closest(heading, parts, 3)))
        hit = self._typo(heading)
        if hit:
            return hit, assumed(Rule.CHOICE_ASSUMED, "typo", assumed=hit)
        return None, problem(Rule.CHOICE_INVALID, suggestion=self.suggest(heading))

    def _loose_reading(self, key: str) -> str:
        """Which loose name `key` is: a code, another name read with a warning, or initials."""
        return "code" if key in self._codes else "alias" if key in self._aliases_assumed else "initials"

    def _spelled_code(self, key: str) -> str | None:
        """A code written out, its letters as the initials of words: "Nội dung 2" or "Nội dung 2: Cải cách hành
        chính" for code ND2; the words after the number, if any, must name the same value."""
        m = _SPELLED_CODE.match(key)
        label = self._codes.get(_initials(_words(m[1])) + m[2]) if m else None
        if label is None or not m[3].strip():
            return label
        return label if self.match(m[3])[0] == label else None

    def _typo(self, heading: str) -> str | None:
        """The one label a small typo points to: clearly closest overall, or by the words that tell labels apart."""
        typed = _words(heading)
        ranked = process.extract(heading, self._folded, scorer=fuzz.ratio, limit=2)
        if ranked and ranked[0][1] >= FUZZY_ACCEPT and (len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= FUZZY_MARGIN):
            return ranked[0][2] if self._typo_fits(ranked[0][2], typed) else None
        distinct = {label: d for label, d in self._distinct.items() if self._whole_expansions(label, typed)}
        ranked = process.extract(self._strip_common(heading), distinct, scorer=fuzz.ratio, limit=2)
        if not ranked or ranked[0][1] < 80 or (len(ranked) > 1 and ranked[0][1] - ranked[1][1] < 10):
            return None
        return ranked[0][2] if self._typo_fits(ranked[0][2], typed) else None

    def _typo_fits(self, label: str, typed: list[str]) -> bool:
        """A label near the typed words is what was meant unless they turn it around or name another label whole
        that is not a part of it ("Trung bình khá" holds "Khá": between two levels, which one?)."""
        said, own = set(typed), self._word_sets[label]
        return self._same_negation(label, typed) and not any(
            words <= said - own for other, words in self._word_sets.items() if other != label)

    def _containing(self, heading: str) -> list[str]:
        """Labels holding every word the clerk typed (a word may also be the initials of several label words)."""
        typed = _glued(_words(heading))
        if not typed or len("".join(typed)) < 3:
            return []
        hits = []
        for label, folded in self._folded.items():
            words = _words(folded)
            runs = _runs(words)
            whole = set(_glued(words))
            if (all(w in whole or w in runs for w in typed) and self._whole_expansions(label, typed)
                    and self._same_negation(label, typed)):
                hits.append(label)
        return hits

    def _covers(self, label: str, heading: str) -> bool:
        """Whether the typed words, or initials standing for several of its words ("NV"), are all of the label's."""
        words, runs = self._word_sets[label], _runs(_words(self._folded[label]))
        covered = set()
        for w in _glued(_words(heading)):
            covered |= ({w} & words) | runs.get(w, set())
        return words <= covered

    def _same_negation(self, label: str, typed: list[str]) -> bool:
        """A label that says "not" ("Chưa được công nhận") is never what a clerk meant who did not say it
        ("Được công nhận"), nor one that says "đầu" what a clerk meant who typed "cuối" in its place."""
        words, said = self._word_sets[label], set(typed)
        return words & _NEGATION <= said and not any(_OPPOSITES.get(w) in said - words for w in words)

    def _whole_expansions(self, label: str, typed: list[str]) -> bool:
        """No typed word hits a word of an abbreviation's full form unless the whole full form was typed."""
        words = set(typed)
        groups = self._expanded_only[label]
        covered = set().union(*(g for g in groups if g <= words))
        return all(not (g & words) - covered for g in groups if not g <= words)

    def _closest(self, heading: str, labels: list[str], n: int) -> list[str]:
        ranked = process.extract(heading, {lab: self._folded[lab] for lab in labels}, scorer=fuzz.WRatio, limit=n)
        return [label for _key, _score, label in ranked]

    def _strip_common(self, folded: str) -> str:
        return " ".join(w for w in _words(folded) if w not in self._common) or folded

    def suggest(self, heading: str) -> str:
        """“A” (or “A”, “B”): the closest labels by their distinctive words, for “có phải ý bạn là …?”."""
        typed = _words(heading)
        distinct = {label: d for label, d in self._distinct.items() if self._whole_expansions(label, typed)}
        ranked = process.extract(self._strip_common(heading), distinct, scorer=fuzz.ratio, limit=3)
        if not ranked or ranked[0][1] < FUZZY_SUGGEST:
            return ""
        close = [label for _key, score, label in ranked if score >= max(FUZZY_SUGGEST, ranked[0][1] - 10)]
        return _quoted(close[:2])


def _runs(words: list[str]) -> dict[str, set[str]]:
    """The initials of each run of two words or more ("nv" for "nhiem vu") -> the words they stand for."""
    runs: dict[str, set[str]] = {}
    for i in range(len(words)):
        for j in range(i + 2, len(words) + 1):
            runs.setdefault(_initials(words[i:j]), set()).update(words[i:j])
    return runs


def _squeezed(key: str) -> str:
    return _NOT_LETTERS.sub("", key)


def _quoted(labels: list[str]) -> str:
    return ", ".join(f"“{label}”" for label in labels)


# -- a period written as its months -------------------------------------------------------------------------------
_SPAN_DATE = re.compile(r"(?<![0-9])([0-9]{1,2})\s*[/.]\s*([0-9]{1,2})\s*[/.]\s*(?:19|20)[0-9]{2}(?![0-9])")   # 30/06/2023
_SPAN_MONTH_YEAR = re.compile(r"(?<![0-9/.q])([0-9]{1,2})\s*[/.]\s*(?:19|20)[0-9]{2}(?![0-9])")             # 06/2023, T6/2023
_SPAN_DAY_MONTH = re.compile(r"(?<![0-9/.])([0-9]{1,2})\s*[/.]\s*([0-9]{1,2})(?![/.0-9])")                # 01/01 (year later)
_SPAN_TOKEN = re.compile(r"@[0-9]+|[a-z]+[0-9]*|[0-9]+|[-,&+]")
_SPAN_WORDS = {"tu", "den", "toi", "nam", "va", "ngay", "-", ",", "&", "+"}   # folded words a span may hold
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def month_span(text: str) -> tuple[int, int, int] | None:
    """(year, first month, last month) of a cell that writes a stretch of one year by its months, quarters or
    dates: "T1-T6/2023", "Tháng 1 - 6/2023", "01/2023 - 06/2023", "Từ 01/01/2023 đến 30/06/2023", "Quý I, II/2023",
    "Cả năm 2021" (1 to 12), or one month ("Tháng 6/2023": first and last month the same); None for anything else
    (no month, two years, other words). A date must be a month's first day at the start and its last day at the end."""
    key = fold(text).replace("@", " ")   # "@" marks the ends found below
    years = set(YEAR.findall(key))
    if len(years) != 1:
        return None
    year, ends = int(years.pop()), []

    def end(kind: str, day: int, month: int) -> str:
        ends.append((kind, day, month))
        return f" @{len(ends) - 1} "

    key = _SPAN_DATE.sub(lambda m: end("date", int(m[1]), int(m[2])), key)
    key = _SPAN_MONTH_YEAR.sub(lambda m: end("month", 0, int(m[1])), key)
    key = _SPAN_DAY_MONTH.sub(lambda m: end("date", int(m[1]), int(m[2])), key)
    key = YEAR.sub(" ", key).replace("/", " ")
    tokens = _SPAN_TOKEN.findall(key)
    if "".join(tokens) != re.sub(r"\s+", "", key):
        return None   # something a span does not hold
    if tokens in (["ca", "nam"], ["nam", "ca"]):
        return year, 1, 12
    unit, parts = "month", []   # parts: (first month, last month, first day, last day) of each end
    for tok in tokens:
        if tok in ("thang", "t", "quy", "q"):
            unit = "quarter" if tok in ("quy", "q") else "month"
        elif tok in _SPAN_WORDS:
            continue
        elif tok.startswith("@"):
            kind, day, month = ends[int(tok[1:])]
            if kind == "month" and unit == "quarter":   # "Quý 4/2023": the number before the year is a quarter
                parts.append((3 * month - 2, 3 * month, 1, 0))
            else:
                parts.append((month, month, day if kind == "date" else 1, day if kind == "date" else 0))
        elif (m := re.fullmatch(r"(t|q)?([0-9]{1,2})", tok)) or (unit == "quarter" and tok in _ROMAN):
            quarter = (m[1] == "q" or unit == "quarter" and not m[1]) if m else True
            n = int(m[2]) if m else _ROMAN[tok]
            parts.append((3 * n - 2, 3 * n, 1, 0) if quarter else (n, n, 1, 0))
        else:
            return None
    if not parts or not all(1 <= p[0] <= p[1] <= 12 for p in parts):
        return None
    (first, _, day, _), (_, last, _, last_day) = parts[0], parts[-1]
    if day != 1 or last_day not in (0, calendar.monthrange(year, last)[1]):
        return None   # "Từ 15/01 đến 30/6/2023" is no period of whole months
    return year, first, last
