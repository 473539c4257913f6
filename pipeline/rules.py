"""The rules of the guidance (section III and IV), each written once and called by every stage that needs it."""
from __future__ import annotations

import re

import pandas as pd

from pipeline.config import Plan
from pipeline.text import DASH_CHARS, fold


def proposal_order(file_or_unit: pd.Series, excel_row: pd.Series) -> pd.Series:
    """1, 2, ... for the proposals of one return, in the order of their Excel rows."""
    frame = pd.DataFrame({"key": file_or_unit.to_numpy(), "row": excel_row.to_numpy()}, index=file_or_unit.index)
    return frame.sort_values(["key", "row"], kind="stable").groupby("key", sort=False).cumcount() + 1


def is_beyond_limit(order: pd.Series, plan: Plan) -> pd.Series:
    """"Mỗi cơ quan, đơn vị, địa phương lựa chọn 01 tập thể hoặc 01 cá nhân": proposals past the limit."""
    return order > int(plan.awards["max_proposals_per_unit"])


def has_document_number(recognition_doc: pd.Series) -> pd.Series:
    """A recognition document written down: "125/QĐ-UBND" is one; a placeholder the clerk typed instead
    ("Chưa có", "Không", "Đang đề nghị", "-") holds no number and is no document."""
    return recognition_doc.astype("string").str.contains(r"\d", regex=True).fillna(False).astype(bool)


def is_repeated_model(file_or_unit: pd.Series, model_name: pd.Series) -> pd.Series:
    """A model listed again by the same return (same name, any case or diacritics): counted once, at its first row."""
    names = model_name.map(lambda v: fold(str(v)).strip(), na_action="ignore")
    keys = pd.DataFrame({"who": file_or_unit.to_numpy(), "name": names.to_numpy()}, index=model_name.index)
    return keys.duplicated(keep="first") & names.notna()


_HONORIFIC = re.compile(r"^(?:(?:ong|ba|dong chi|d/c|dc|anh|chi|co|thay)\s+)+")
_TITLE_AFTER = re.compile(rf"\s[-{DASH_CHARS}]\s|,|\(")
_MODEL_WORDS = re.compile(r"^(?:mo hinh\s+)?(?:dan van kheo\s+)?")
SAME_MODEL_MIN_WORDS = 3


def person_key(name) -> str:
    """A person's name as the rules compare it: without an honorific ("Ông", "Bà", "Đ/c") before it or a title
    after it ("Nguyễn Văn A - Chủ tịch Hội Nông dân", "Nguyễn Văn A (Phó Chủ tịch)")."""
    text = fold(_TITLE_AFTER.split(str(name), maxsplit=1)[0])
    bare = _HONORIFIC.sub("", text).strip()
    return bare if " " in bare else text


def model_key(name) -> str:
    """A model's name as the rules compare it: without "Mô hình" or "Dân vận khéo" written before it."""
    return _MODEL_WORDS.sub("", fold(str(name))).strip()


def same_model(key: str, other: str) -> bool:
    """Two `model_key`s name the same model: equal, or one holds the other whole (SAME_MODEL_MIN_WORDS words or
    more), as when a proposal adds the place or shortens the name."""
    if not key or not other:
        return False
    if key == other:
        return True
    short, long = sorted((key, other), key=len)
    return len(short.split()) >= SAME_MODEL_MIN_WORDS and f" {short} " in f" {long} "


def min_rank(plan: Plan, key: str = "min_recognition_level") -> int:
    """The rank of the recognition level a criterion asks for (config [awards])."""
    return int(plan.item("recognition_levels", plan.awards[key])["rank"])


def requires_replication(plan: Plan) -> bool:
    """Whether criterion (c) asks for a model already replicated (config [awards]; the guidance asks only for a
    model "có thể nhân rộng", so replication is evidence and the default is false)."""
    return bool(plan.awards.get("crit_c_requires_replication", False))


def is_competent_recognition(recognition_rank: pd.Series, plan: Plan) -> pd.Series:
    """A model recognised by the competent level ("cấp có thẩm quyền", config min_recognition_level) or higher."""
    return recognition_rank.fillna(-1).astype("int64") >= min_rank(plan)


def supports_criterion_c(recognition_rank: pd.Series, is_replicated: pd.Series, plan: Plan) -> pd.Series:
    """Criterion (c): a model recognised at the competent level or higher (and replicated, when so configured)."""
    good = is_competent_recognition(recognition_rank, plan)
    if requires_replication(plan):
        good &= is_replicated.fillna(False).astype(bool)
    return good
