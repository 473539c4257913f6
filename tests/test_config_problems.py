"""A config file edited badly stops `make report` before any return is read, with a sentence that names the file
and what to fix (check_plan). Each mistake is made here on a copy of the real config."""
from __future__ import annotations

import copy
import dataclasses

import pytest

from pipeline.config import Plan, check_plan, package_version


def _edited(plan: Plan, edit) -> Plan:
    raw, units = copy.deepcopy(plan.raw), list(plan.units)
    units = edit(raw, units) or units
    return Plan(raw, tuple(units))


def _same_label(raw, units):
    raw["fields"][1]["label"] = raw["fields"][0]["label"].upper()          # the same words, another case


def _same_code(raw, units):
    raw["fields"][1]["code"] = raw["fields"][0]["code"]


def _same_unit(raw, units):
    return units + [dataclasses.replace(units[1], unit_name="UBND xã Trùng Mã")]


def _wrong_group(raw, units):
    return [dataclasses.replace(units[0], unit_group="Nhóm không có")] + units[1:]


def _form_missing(raw, units):
    raw["dossier"]["achievement_report"]["in_force"] = "nd_khong_co"


def _unknown_fill(raw, units):
    raw["dossier"]["forms"]["nd91_2017"]["collective"]["parts"][1]["fill"] = "ho_so_la"


@pytest.mark.parametrize("edit, says", [
    (_same_label, "config/plan.toml: danh mục 'fields' có giá trị trùng nhau."),
    (_same_code, "config/plan.toml: danh mục 'fields' có mã trùng nhau."),
    (_same_unit, "config/units.csv: có mã đơn vị trùng nhau."),
    (_wrong_group, "nhóm 'Nhóm không có' không khớp với [[unit_types]] trong plan.toml."),
    (_form_missing, "in_force = 'nd_khong_co' nhưng [dossier.forms] không có mẫu này (có: nd91_2017, nd98_2023)."),
    (_unknown_fill, "[dossier.forms.nd91_2017.collective] có phần ghi fill = 'ho_so_la', không phải một trong:"),
])
def test_each_config_mistake_is_one_sentence_naming_what_to_fix(plan, edit, says):
    assert check_plan(plan) == []
    problems = check_plan(_edited(plan, edit))
    assert len(problems) == 1 and says in problems[0], problems


def test_the_version_of_a_source_tree_never_installed_is_said_unknown(monkeypatch):
    import importlib.metadata

    def not_installed(name):
        raise importlib.metadata.PackageNotFoundError(name)

    assert package_version() != "unknown"                    # installed by make (pip install -e .)
    monkeypatch.setattr(importlib.metadata, "version", not_installed)
    assert package_version() == "unknown"
