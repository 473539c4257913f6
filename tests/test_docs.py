"""Rule codes are data: one enum (schemas/rules.py), used by name everywhere, documented in docs/rules.md."""
from __future__ import annotations

import ast
from pathlib import Path

from pipeline import messages as msg
from pipeline.check.validation import CHECK_RULES
from schemas import SHEETS
from schemas.rules import Rule, catalogue

ROOT = Path(__file__).resolve().parent.parent
CODES = {r.value for r in Rule}


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def bare_rule_strings(source: str) -> list[tuple[int, str]]:
    """(line, code) of every plain string constant equal to a rule code, docstrings left out."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in CODES
            and id(node) not in skip]


def test_the_finder_sees_a_bare_code_and_not_a_docstring():
    source = '"""Writes "sheet.missing"."""\nx = "sheet.missing"\ny = Rule.SHEET_MISSING\n'
    assert bare_rule_strings(source) == [(2, "sheet.missing")]


def test_no_rule_code_is_spelled_as_a_bare_string_in_the_code():
    found = []
    for folder in ("pipeline", "schemas"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path.name == "rules.py" and path.parent.name == "schemas":
                continue
            found += [f"{path.relative_to(ROOT)}:{line} {code}"
                      for line, code in bare_rule_strings(path.read_text(encoding="utf-8"))]
    assert not found, found


def test_every_rule_with_a_message_or_a_check_is_declared():
    used = set(msg.RULES) | set(CHECK_RULES.values()) | {r for s in SHEETS for r in s.row_rules}
    assert len(used) > 30
    assert used <= CODES, sorted(used - CODES)


def test_every_rule_has_a_severity_a_vietnamese_label_and_an_example():
    for rule in Rule:
        assert rule.severity in ("error", "warning", "error or warning"), rule
        assert rule.label.strip() and rule.example.strip(), rule
        assert rule.value == rule.value.strip().lower(), rule


def test_docs_rules_md_is_generated_from_the_enum():
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert text == catalogue(), "run `python -m schemas.rules > docs/rules.md`"
    for rule in Rule:
        assert f"| `{rule.value}` | {rule.severity} | {rule.label} |" in text
