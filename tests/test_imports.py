"""Every module of the package imports on its own (a module moved or renamed leaves no stale import behind)."""
from __future__ import annotations

import ast
import importlib
import importlib.metadata
import os
import pkgutil
import re
import subprocess
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


def test_no_module_reads_the_config_when_imported(tmp_path):
    """The configuration is passed in (`plan`), never read at import: every module imports with DVK_CONFIG_DIR
    naming an empty folder, so a second town's plan can run in the same process (tests/test_second_config.py)."""
    code = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\nprint('ok')"
    root = Path(pipeline.__file__).resolve().parents[1]
    result = subprocess.run([sys.executable, "-c", code, *MODULES], capture_output=True, text=True, cwd=root,
                            env={**os.environ, "DVK_CONFIG_DIR": str(tmp_path)}, timeout=300)
    assert result.stdout.strip() == "ok", result.stderr[-2000:]


def test_the_pipeline_uses_the_plan_it_is_given_not_the_default_config():
    """`schemas.SHEETS` and `schemas.sheet_spec` are the default config's (for tests and notebooks): a stage that
    used them would check a second town's returns against the first town's template."""
    root = Path(pipeline.__file__).resolve().parents[1]
    found = []
    for path in sorted((root / "pipeline").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defaults = {id(v) for n in ast.walk(tree) if isinstance(n, ast.BoolOp) for v in n.values[1:]}  # plan or …
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.ImportFrom) and node.module == "schemas" \
                else []
            found += [f"{path.relative_to(root)}:{node.lineno} {n}" for n in names if n in ("SHEETS", "sheet_spec")]
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "load_plan" and id(node) not in defaults \
                    and "web" not in path.parts and path.name not in ("config.py", "cli.py", "command.py", "bench.py", "explore.py", "run.py"):
                found.append(f"{path.relative_to(root)}:{node.lineno} load_plan()")
    assert not found



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
