"""Template headers and form labels as clerks retype them.

A header cell is read as a template column when, once folded, it is the template header (`exact`). Failing
that, `Headers.assumed` finds the one column a retyped header means:
- the same words, with a unit in brackets, a colon, a star or quotes added or dropped ("Số buổi tuyên truyền
  (buổi)", "Tỷ lệ … đúng hạn" without "(%)", "Tên đơn vị:"): read silently, the words are the template's;
- the template's words, in order, with words added ("Năm bắt đầu thực hiện"), or a part of them of at least
  SHORT_WORDS words that only one column holds ("Số lượt người" for "Số lượt người tham gia tuyên truyền"), or
  a small typo: read with a `column.assumed` warning at the header cell.
A header that could mean several columns is left unread (the column is then reported missing).
"""
from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz, process

from pipeline.matching import FUZZY_ACCEPT, FUZZY_MARGIN
from pipeline.text import fold_heading

SHORT_WORDS = 2
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_NOISE = re.compile(r"[*:;,.!?…/]")


@lru_cache(maxsize=4096)
def words(text: str) -> tuple[str, ...]:
    """The words of a header without numbering, bracketed parts, punctuation, case and diacritics."""
    return tuple(_NOISE.sub(" ", fold_heading(_BRACKETED.sub(" ", text))).replace(" - ", " ").split())


def _in_order(part: tuple[str, ...], whole: tuple[str, ...]) -> bool:
    it = iter(whole)
    return all(w in it for w in part)


class Headers:
    """The headers (or form labels) of one template sheet: column name by header."""

    def __init__(self, columns):
        self.exact = {fold_heading(c.header): c.name for c in columns}
        self.header = {c.name: c.header for c in columns}
        self._words = {c.name: words(c.header) for c in columns}
        self._joined = {name: " ".join(w) for name, w in self._words.items()}

    def name(self, value) -> str | None:
        """The column whose template header `value` is, as folded."""
        return self.exact.get(fold_heading(value)) if isinstance(value, str) and value else None

    def assumed(self, value) -> tuple[str | None, bool]:
        """(column, needs a warning) for a retyped header, or (None, False) when no one column is meant."""
        if not isinstance(value, str) or not value.strip():
            return None, False
        return self._assumed(value)

    @lru_cache(maxsize=1024)  # noqa: B019 (one matcher per sheet layout, kept for the run)
    def _assumed(self, value: str) -> tuple[str | None, bool]:
        typed = words(value)
        if not typed:
            return None, False
        same = [n for n, w in self._words.items() if w == typed]
        if len(same) == 1:
            return same[0], False
        inside = [(len(w), n) for n, w in self._words.items() if w and _in_order(w, typed)]
        if inside:
            inside.sort(reverse=True)
            if len(inside) == 1 or inside[0][0] > inside[1][0]:
                return inside[0][1], True
            return None, False
        if len(typed) >= SHORT_WORDS:
            within = [n for n, w in self._words.items() if _in_order(typed, w)]
            if len(within) == 1:
                return within[0], True
            if within:
                return None, False
        ranked = process.extract(" ".join(typed), self._joined, scorer=fuzz.ratio, limit=2)
        if ranked and ranked[0][1] >= FUZZY_ACCEPT and (len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= FUZZY_MARGIN):
            return ranked[0][2], True
        return None, False


_BUILT: dict[tuple, Headers] = {}


def headers_of(spec) -> Headers:
    """The `Headers` of a sheet spec, built once per process."""
    key = (spec.name, tuple((c.name, c.header) for c in spec.columns))
    if key not in _BUILT:
        _BUILT[key] = Headers(spec.columns)
    return _BUILT[key]
