"""Text helpers: Vietnamese number formatting (the same strings as babel's "vi" locale, the reference the report
used) and text typed in TCVN3 (read as glibc reads it)."""
from __future__ import annotations

import pytest
from babel.numbers import format_decimal
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.text import vn_number


def _babel(n: float, decimals: int) -> str:
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(round(float(n), decimals) if decimals else int(round(float(n))), format=pattern, locale="vi")


@pytest.mark.parametrize("value, decimals, text", [
    (1234567, 0, "1.234.567"), (96.64, 1, "96,6"), (0, 0, "0"), (-1234.5, 1, "-1.234,5"), (999.96, 1, "1.000,0"),
    (12, 2, "12,00"), (1000, 0, "1.000"),
])
def test_known_values(value, decimals, text):
    assert vn_number(value, decimals) == text


@settings(max_examples=3000, deadline=None)
@given(st.one_of(st.integers(-10**12, 10**12), st.floats(-1e12, 1e12, allow_nan=False)), st.integers(0, 2))
def test_same_as_babel_vi(value, decimals):
    assert vn_number(value, decimals) == _babel(value, decimals)


def test_every_letter_typed_in_tcvn3_reads_back_as_glibc_reads_it():
    """Each lower-case Vietnamese letter and Ă Â Đ Ê Ô Ơ Ư, stored as a ".VnTime" font stores it (glibc's iconv
    TCVN5712-1), reads back as that letter."""
    import subprocess

    from pipeline.text import read_as_tcvn3

    letters = "aàáảãạăằắẳẵặâầấẩẫậđeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵĂÂĐÊÔƠƯ"
    stored = subprocess.run(["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"], input=" ".join(letters).encode(),
                            capture_output=True, check=True).stdout.decode("latin-1")
    assert [read_as_tcvn3(w) or w for w in stored.split(" ")] == list(letters)
