"""Text helpers shared by every stage: Unicode normalisation and loose matching."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
_NUMBERING = re.compile(r"^\s*(?:(?:[0-9]+(?:\.[0-9]+)*|[ivxlc]+)\s*[.)]|[a-z]\))\s*", re.IGNORECASE)
_PUNCT = re.compile(r"[\"'“”‘’«»()\[\]]")
DASH_CHARS = "‐‑‒–—―−"   # the dashes Word, a PDF or a phone put where a hyphen-minus was meant
_DASHES = re.compile(rf"\s*[{DASH_CHARS}-]\s*")
# Invisible characters that come along when text is pasted from Word or the web: zero-width spaces,
# direction marks and embeddings, word joiners, the byte-order mark, soft hyphens. (The zero-width
# joiner is kept: it holds emoji sequences together.)
_INVISIBLE_CHARS = "\u00ad\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")
_VISIBLE = re.compile(rf"[^\s{_INVISIBLE_CHARS}]")   # one character a person would see


# OWASP, CSV injection: a spreadsheet runs a cell that starts with one of these as a formula.
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """A CSV cell no spreadsheet runs: text that starts like a formula ("=HYPERLINK(…)", "@SUM(…)", "+1+1")
    gets a leading apostrophe, which Excel and LibreOffice show as plain text; anything else as it is."""
    if isinstance(value, str) and value.startswith(CSV_FORMULA_STARTS):
        return "'" + value
    return value


def nfc(text: str) -> str:
    """NFC form with spaces collapsed and trimmed (what a unit meant to type)."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", unicodedata.normalize("NFC", text))).strip()


def is_blank(value) -> bool:
    """A cell with nothing a person would read in it: None, NaN, or only spaces and invisible characters."""
    if isinstance(value, str):   # most cells: tested first, "" without a search
        return not value or _VISIBLE.search(value) is None
    return value is None or (isinstance(value, float) and value != value)


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    plain = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return plain.replace("đ", "d").replace("Đ", "D")


def fold(text: object) -> str:
    """A loose key: no case, no diacritics, one kind of dash, single spaces."""
    if text is None:
        return ""
    return _fold(str(text))


@lru_cache(maxsize=1 << 16)
def _fold(text: str) -> str:
    s = strip_accents(nfc(text)).casefold()
    s = _PUNCT.sub("", s)
    s = _DASHES.sub(" - ", s)
    return _SPACES.sub(" ", s).strip()


_VI_SEPARATORS = str.maketrans(",.", ".,")


def vn_figure(x) -> str:
    """A figure as a message to a unit writes it: 1.234 when whole, else its decimals as typed (96,666); '' for None."""
    if x is None:
        return ""
    return vn_number(x) if float(x).is_integer() else str(x).replace(".", ",")


def vn_number(n, decimals: int = 0) -> str:
    """A number the Vietnamese way (1.234.567; 96,6): babel's "vi" locale, 20 times faster (same strings,
    checked on 630,000 values; tests/test_text.py compares with babel)."""
    value = round(float(n), decimals) if decimals else int(round(float(n)))
    return f"{value:,.{decimals}f}".translate(_VI_SEPARATORS)


def fold_heading(text: object) -> str:
    """Like `fold`, also ignoring a leading number such as "4." or "IV)"."""
    return _fold_heading(str(text or ""))


@lru_cache(maxsize=1 << 16)
def _fold_heading(text: str) -> str:
    rest = _NUMBERING.sub("", nfc(text), count=1)
    # "0.5" or "2.3" is a number, not a numbered heading: keep it whole.
    return fold(rest if rest.strip() and not rest.strip().replace(".", "").replace(",", "").isdigit() else text)


# -- TCVN3 ---------------------------------------------------------------------------------------------------------
# Text typed with a ".VnTime" font of the ABC input method is stored in TCVN3 (TCVN 5712:1993 VN3): each Vietnamese
# letter a byte that any other font shows as a Latin-1 sign ("D©n vËn khÐo" is "Dân vận khéo"). The lower-case
# letters and Ă Â Đ Ê Ô Ơ Ư, as glibc's TCVN5712-1 maps them (upper-case letters with a tone come from the
# ".VnTimeH" fonts as the lower-case bytes).
_TCVN3_BYTES = "µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìîïóñòô\u00adõøö÷ùúýûüþ¡¢§£¤¥¦"
_TCVN3_LETTERS = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĂÂĐÊÔƠƯ"
_FROM_TCVN3 = str.maketrans(dict(zip(_TCVN3_BYTES, _TCVN3_LETTERS)))
# Signs a text in Unicode does not hold as letters: the strong ones say TCVN3 anywhere; the ones a text may hold as
# signs (quotes, ©, ×, a soft hyphen) only inside a word ("Kh«ng"), and "·" (ã) only right after a letter ("x·").
_STRONG_SIGNS = "µ¸¶¹¨¾¼½ÆÇËÐÎÏÑªÖØÜÞßäåæçëîïñöøûüþ¡¢£¤¥¦¬"
_WEAK_SIGNS = "«»©®×§÷\u00ad"
_TCVN3_SIGN = re.compile(f"[{_STRONG_SIGNS}]|(?<=[A-Za-z])·"
                         f"|(?<=[A-Za-z\u00a0-\u00ff])[{_WEAK_SIGNS}](?=[A-Za-z\u00a0-\u00ff])")
_SIGNS = re.compile(f"[{_STRONG_SIGNS}{_WEAK_SIGNS}·]")   # any of them: a test 10 times faster than the one above
_TCVN3_ANY = re.compile(f"[{_TCVN3_BYTES}]")
_UNICODE_ONLY = re.compile("[ăĂđĐĩĨũŨơƠưƯ\u1ea0-\u1ef9]")   # letters only Unicode text holds
_TOKEN = re.compile(r"\S+")


def may_hold_tcvn3(text: str) -> bool:
    """Whether any text joined in `text` may be TCVN3 (a quick test before `from_tcvn3` cell by cell)."""
    return _SIGNS.search(text) is not None and _TCVN3_SIGN.search(text) is not None


def from_tcvn3(text: str) -> str | None:
    """The Unicode text of a cell typed in TCVN3 ("Phæ An" -> "Phổ An"; a word typed in capitals stays in capitals,
    "PHæ AN" -> "PHỔ AN"); None for a text that is not TCVN3 (it holds a letter only Unicode has, or no sign of it)."""
    if _TCVN3_SIGN.search(text) is None or _UNICODE_ONLY.search(text):
        return None
    return _TOKEN.sub(_converted_word, text)


def read_as_tcvn3(text: str) -> str | None:
    """`text` read as TCVN3 even with no sign of it ("Cã" is "Có", "Tèt" is "Tốt"), for a value that names nothing
    as it stands; None when it holds a letter only Unicode has, or no TCVN3 byte."""
    if _UNICODE_ONLY.search(text) or not _TCVN3_ANY.search(text):
        return None
    return _TOKEN.sub(_converted_word, text)


def _converted_word(m: re.Match) -> str:
    word = m[0]
    if not _TCVN3_ANY.search(word):
        return word
    plain = [c for c in word if c.isascii() and c.isalpha()]
    read = word.translate(_FROM_TCVN3)
    return read.upper() if len(plain) >= 2 and all(c.isupper() for c in plain) else read
