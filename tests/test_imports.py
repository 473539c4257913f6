"""Every module of the package imports on its own (a module moved or renamed leaves no stale import behind)."""
from __future__ import annotations

import ast
import importlib
import importlib.metadata
import pkgutil
import re
import sys
import tomllib
from pathlib import Path

import pytest

import pipeline
import schemas

MODULES = sorted(m.name for pkg in (pipeline, schemas)
                 for m in pkgutil.walk_packages(pkg.__path__, f"{pkg.__name__}.")
                 if not m.name.endswith("__main__"))


@pytest.mark.parametrize("name", MODULES)
def test_module_imports(name):
    importlib.import_module(name)


def test_every_stage_package_is_found():
    assert {"pipeline.read", "pipeline.check", "pipeline.tidy", "pipeline.publish", "pipeline.tools"} <= set(MODULES)



def _imported_roots(paths) -> set[str]:
    """Top-level modules the files import (absolute imports only)."""
    roots = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                roots |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                roots.add(node.module.split(".")[0])
    return roots


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_every_library_the_report_imports_is_a_base_dependency():
    """A fresh `make report` installs the base dependencies only: a library imported outside pipeline/web (the
    only package the `web` extra serves) but declared only in an extra breaks a newcomer's first command."""
    root = Path(pipeline.__file__).resolve().parents[1]
    with (root / "pyproject.toml").open("rb") as fh:
        base = {_name(d) for d in tomllib.load(fh)["project"]["dependencies"]}
    files = [p for folder in ("pipeline", "schemas") for p in (root / folder).rglob("*.py")
             if "web" not in p.relative_to(root).parts]
    providers = importlib.metadata.packages_distributions()
    third_party = {m for m in _imported_roots(files) if m not in sys.stdlib_module_names
                   and m not in ("pipeline", "schemas")}
    assert {"pandas", "jinja2", "openpyxl"} <= third_party            # the scan sees the imports
    missing = {m: providers.get(m, [m]) for m in third_party
               if not {_name(d) for d in providers.get(m, [m])} & base}
    assert not missing, f"imported on the report path but only in an extra, or not declared: {missing}"
