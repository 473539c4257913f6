"""The README documents every rule code the pipeline can write into issues.csv."""
from __future__ import annotations

import re
from pathlib import Path

from pipeline import messages as msg
from pipeline.check.validation import CHECK_RULES
from schemas import SHEETS

ROOT = Path(__file__).resolve().parent.parent
# Rule codes written literally where an Issue or a Problem is made.
_LITERAL = re.compile(r'(?:rule=|problem\(|Problem\()\s*"([a-z_]+\.[a-z_]+)"|"([a-z_]+\.[a-z_]+)",\s*(?:msg\.|"error"|'
                      r'"warning")')


def _emitted() -> set[str]:
    codes = set(msg.RULES) | set(CHECK_RULES.values()) | {r for s in SHEETS for r in s.row_rules}
    for path in (ROOT / "pipeline").rglob("*.py"):
        if "web" in path.parts:
            continue
        for m in _LITERAL.finditer(path.read_text(encoding="utf-8")):
            codes.add(m.group(1) or m.group(2))
    return codes


def test_every_rule_code_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z_]+(?:\.[a-z_]+)?)`", readme))
    emitted = _emitted()
    assert len(emitted) > 30
    assert emitted <= documented, sorted(emitted - documented)
