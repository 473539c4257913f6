"""Every module of the package imports on its own (a module moved or renamed leaves no stale import behind)."""
from __future__ import annotations

import importlib
import pkgutil

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
