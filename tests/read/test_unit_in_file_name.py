"""Which unit a file name names: the phrase index gives what a plain substring search over every registry name
gives (the reference, written here as the slow obvious loop), for file names clerks make."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.read.discover import guess_unit_from_name
from pipeline.text import fold, is_blank, nfc

_SEPARATORS = re.compile(r"[\s_.,;:+\-]+")


def _reference(rel: str, plan) -> str:
    def words(text: str) -> str:   # brackets are dropped by `fold`: a space in their place first
        return " " + _SEPARATORS.sub(" ", fold(re.sub(r"[()\[\]{}]", " ", text))).strip() + " "

    def named_in(stem: str) -> set[str]:
        return {u.unit_code for u in plan.units for name in (u.unit_code, u.unit_name, *u.aliases)
                if len(fold(name)) > 4 and words(name) in stem}

    stem = rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    glued_apart = stem[:1] + "".join(b if not (a.islower() and b.isupper()) else " " + b for a, b in zip(stem, stem[1:]))
    hits = named_in(words(stem)) or named_in(words(glued_apart))
    return hits.pop() if len(hits) == 1 else ""


@st.composite
def file_names(draw, plan):
    names = [n for u in plan.units for n in (u.unit_code, u.unit_name, *u.aliases)]
    parts = draw(st.lists(st.one_of(st.sampled_from(names), st.sampled_from(
        ["BC", "so ket", "Dan van kheo", "2023", "ban sua", "(1)", "final", "xa", "phuong", "UBND"])),
        min_size=1, max_size=4))
    sep = draw(st.sampled_from([" ", "_", "-", ".", " - ", "__", ""]))   # "" glues the words: "BCPhoAn"
    name = sep.join(draw(st.sampled_from([p, p.upper(), fold(p), fold(p).replace(" ", "_")])) for p in parts)
    folder = draw(st.sampled_from(["", "Xa/", "nop lan 2/"]))
    return f"{folder}{name}.{draw(st.sampled_from(['xlsx', 'xls', 'ods']))}"


def test_the_index_finds_what_the_plain_search_finds(plan):
    @settings(max_examples=1500, deadline=None)
    @given(file_names(plan))
    def check(rel):
        assert guess_unit_from_name(rel, plan) == _reference(rel, plan), rel

    check()


def test_some_file_names_name_one_unit_and_some_none(plan):
    unit = plan.units[0]
    assert guess_unit_from_name(f"BC_so_ket_{fold(unit.unit_name).replace(' ', '_')}.xlsx", plan) == unit.unit_code
    assert guess_unit_from_name("bao_cao_so_ket.xlsx", plan) == ""
    # words glued with capitals, as some clerks name files; all in small letters they cannot be told apart
    assert guess_unit_from_name("BC_DVK_PhoVan.xlsx", plan) == "pho_van"
    assert guess_unit_from_name("BaoCaoPhổAn_sửa.xlsx", plan) == "pho_an"
    assert guess_unit_from_name("phovan.xlsx", plan) == ""
    # a word glued to a bracket, a comma or a plus sign is still a word: "Phổ An(sửa)", "Pho An,ban sua"
    for name in ("Phổ An(sửa).xlsx", "Pho_An(1).xlsx", "Pho An[final].xlsx", "Pho An,ban sua.xlsx", "Pho An+PL.xlsx"):
        assert guess_unit_from_name(name, plan) == "pho_an", name


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=" \t\n\u00a0\u200b\u00ad\ufeff\u2060\u202a\u3000\u200dab\u0301.", max_size=6))
def test_blank_is_what_normalising_leaves_empty(text):
    assert is_blank(text) == (not nfc(text))
