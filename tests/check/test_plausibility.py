"""Figures that look wrong are questioned before they reach the report (issue 28).

Wrong figures planted with openpyxl in copies of the demo returns, all checked in one run: each planted cell gets
the warning of the rule meant to catch it; the same cells of the clean demo get none, and the returns left as they
were get no new warning. Then the arithmetic of each check on small inline frames.
"""
from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from pipeline import messages as msg
from pipeline.check import check, read_and_check
from pipeline.check.feedback import issues_digest, write_feedback
from pipeline.check.plausibility import config_problems, modified_z, review, settings
from pipeline.config import Plan
from pipeline.read.discover import discover
from schemas import sheet_spec

LEAD, INFO, MODELS = sheet_spec("leadership"), sheet_spec("unit_info"), sheet_spec("models")


@dataclass
class Planted:
    kind: str
    file: str
    sheet: str
    cell: str
    rule: str


def _periods(plan: Plan) -> tuple[int, int, int]:
    """Row indexes of sheet 2: the year 2021, the year 2022 and the half-year."""
    items = plan.items("periods")
    year = {int(p["year"]): i for i, p in enumerate(items) if tuple(p.get("months", (1, 12))) == (1, 12)}
    half = next(i for i, p in enumerate(items) if tuple(p.get("months", (1, 12))) != (1, 12))
    return year[2021], year[2022], half


def _plant_all(folder: Path, returns: list, plan: Plan) -> list[Planted]:
    """One wrong figure in each of eight clean demo returns (none of the demo's own planted mistakes)."""
    clean = [r for r in returns if not r.planted]
    communes = [r for r in clean if r.unit.unit_group == plan.groups[0]]
    taken: set[str] = set()

    def pick(pool):
        ret = next(r for r in pool if r.filename not in taken)
        taken.add(ret.filename)
        return ret, load_workbook(folder / ret.filename)

    y2021, y2022, half = _periods(plan)
    plants = []

    def done(ret, wb, kind, sheet, cell, rule):
        wb.save(folder / ret.filename)
        plants.append(Planted(kind, ret.filename, sheet, cell, rule))

    ret, wb = pick([r for r in clean if r.rows["models"]])          # before the others: they need models
    ws, i = wb[MODELS.sheet], 0
    ws[MODELS.cell(i, "recognition_date")].value = dt.datetime(2013, 4, 21)
    done(ret, wb, "recognised_before_start", MODELS.sheet, MODELS.cell(i, "recognition_date"), "plausibility.rule")
    ret, wb = pick([r for r in clean if r.rows["models"]])
    wb[MODELS.sheet][MODELS.cell(0, "recognition_date")].value = dt.datetime(2031, 5, 25)
    done(ret, wb, "recognised_future", MODELS.sheet, MODELS.cell(0, "recognition_date"), "plausibility.rule")
    ret, wb = pick([r for r in clean if r.rows["models"]])
    ws = wb[MODELS.sheet]
    ws[MODELS.cell(0, "is_replicated")].value = "Có"
    ws[MODELS.cell(0, "replication_places")].value = 8
    ws[MODELS.cell(0, "beneficiaries")].value = 2
    done(ret, wb, "beneficiaries_below_places", MODELS.sheet, MODELS.cell(0, "beneficiaries"), "plausibility.rule")

    ret, wb = pick(communes)                                           # ×10 typo in a year: the unit's years
    cell = LEAD.cell(y2021, "propaganda_participants")
    wb[LEAD.sheet][cell].value = wb[LEAD.sheet][cell].value * 10
    done(ret, wb, "x10", LEAD.sheet, cell, "plausibility.jump")
    ret, wb = pick(communes)                                           # ×10 typo in the staff: the group
    cell = INFO.cell(0, "staff_total")
    wb[INFO.sheet][cell].value = wb[INFO.sheet][cell].value * 10
    done(ret, wb, "staff_x10", INFO.sheet, cell, "plausibility.outlier")
    ret, wb = pick(clean)                                              # the 2022 row typed again for 2023
    ws = wb[LEAD.sheet]
    numbers = [c.name for c in LEAD.columns if c.name != "period"]
    for col in numbers:
        ws[LEAD.cell(half, col)].value = ws[LEAD.cell(y2022, col)].value
    wb[INFO.sheet][INFO.cell(0, "email")].value = "Không có"            # and a warning the chunk itself gives
    done(ret, wb, "wrong_year", LEAD.sheet, LEAD.cell(half, numbers[0]), "plausibility.copied")
    ret, wb = pick(communes)                                           # the whole period's totals in the half-year
    ws = wb[LEAD.sheet]
    for col in numbers:
        ws[LEAD.cell(half, col)].value = sum(ws[LEAD.cell(i, col)].value for i in range(half))
    done(ret, wb, "totals_in_half_year", LEAD.sheet, LEAD.cell(half, "propaganda_participants"),
         "plausibility.half_year")
    ret, wb = pick(clean)                                              # more registered than the staff (schema rule)
    ws = wb[INFO.sheet]
    ws[INFO.cell(0, "staff_registered")].value = ws[INFO.cell(0, "staff_total")].value + 3
    done(ret, wb, "registered_gt_total", INFO.sheet, INFO.cell(0, "staff_registered"), "registered_not_above_staff")
    return plants


@pytest.fixture(scope="module")
def planted_run(demo_dir, demo_intended, plan, tmp_path_factory):
    """Every plant in one folder, checked once as `make report` does (with its cache, so that the feedback copies
    made while checking can be compared with those written at the end)."""
    folder = tmp_path_factory.mktemp("plausibility") / "returns"
    shutil.copytree(demo_dir / "returns", folder)
    plants = _plant_all(folder, demo_intended[0], plan)
    cache = folder.parent / "cache"
    checked, done = check(discover(folder, plan), plan, jobs=1, cache=cache)
    return plants, checked, done, folder


def _at(issues: pd.DataFrame, p: Planted) -> set[str]:
    return set(issues.loc[(issues["file"] == p.file) & (issues["sheet"] == p.sheet) & (issues["cell"] == p.cell),
                          "rule"])


def test_every_plant_is_questioned_at_its_cell_by_its_rule(planted_run):
    plants, checked, _, _ = planted_run
    missed = [(p.kind, p.file, p.cell, sorted(_at(checked.issues, p))) for p in plants
              if p.rule not in _at(checked.issues, p)]
    assert not missed


def test_the_planted_cells_are_not_questioned_in_the_clean_returns(planted_run, checked_demo):
    plants = planted_run[0]
    assert all(p.rule not in _at(checked_demo.issues, p) for p in plants)


def test_returns_left_as_they_were_get_no_new_warning(planted_run, checked_demo):
    """Planting wrong figures in eight returns moves the medians of their groups a little: no other return is
    questioned for it."""
    plants, checked, _, _ = planted_run
    touched = {p.file for p in plants}

    def questions(issues):
        mine = issues[issues["rule"].str.startswith("plausibility.") & ~issues["file"].isin(touched)]
        return set(zip(mine["file"], mine["cell"], mine["rule"]))

    assert questions(checked.issues) == questions(checked_demo.issues)


def test_a_questioned_figure_is_a_warning_and_still_counted(planted_run):
    plants, checked, _, _ = planted_run
    plaus = checked.issues[checked.issues["rule"].str.startswith("plausibility.")]
    assert len(plaus) and set(plaus["severity"]) == {"warning"}
    x10 = next(p for p in plants if p.kind == "x10")
    lead = checked.tables["leadership"]
    row = lead[(lead["source_file"] == x10.file) & (lead["period"] == "Năm 2021")]
    assert len(row) == 1 and int(row["propaganda_participants"].iloc[0]) > 1000   # counted as typed, questioned
    message = plaus.loc[(plaus["file"] == x10.file) & (plaus["cell"] == x10.cell), "message"].iloc[0]
    assert "Năm 2021" in message and "trung vị" in message and "[Cảnh báo" in message


def test_the_outlier_says_the_group_its_median_and_the_value(planted_run):
    plants, checked, _, _ = planted_run
    staff = next(p for p in plants if p.kind == "staff_x10")
    found = checked.plausibility.findings
    row = found[(found["source_file"] == staff.file) & (found["cell"] == staff.cell)].iloc[0]
    assert row["check"] == "outlier" and row["direction"] == "high" and row["distance"] > 3.5
    text = checked.issues.loc[(checked.issues["file"] == staff.file) & (checked.issues["cell"] == staff.cell),
                              "message"].iloc[0]
    assert f"trung vị {row['reference_text']}" in text and row["unit_group"] in text and "cao bất thường" in text


def test_a_feedback_copy_made_while_checking_is_remade_with_the_warnings_found_after(planted_run, tmp_path, plan):
    """The copy a chunk made shows the chunk's issues only; write_feedback sees a different digest and remakes it."""
    plants, checked, done, _ = planted_run
    copied = next(p for p in plants if p.kind == "wrong_year")
    made_path, made_digest = done.feedback[copied.file]            # made in the chunk: it had the e-mail warning
    rows = checked.issues[checked.issues["file"] == copied.file].to_dict("records")
    assert made_digest != issues_digest(rows)
    write_feedback(checked, tmp_path, plan, done.feedback)
    unit = rows[0]["unit_code"]
    wb = load_workbook(tmp_path / f"{unit}.xlsx")
    listed = " ".join(str(v) for row in wb[msg.FEEDBACK_SHEET].iter_rows(values_only=True) for v in row if v)
    message = next(r["message"] for r in rows if r["rule"] == "plausibility.copied")
    assert message in listed and "value.not_applicable" in {r["rule"] for r in rows}
    assert message in wb[copied.sheet][copied.cell].comment.text


def test_one_return_alone_gets_the_checks_within_it_but_no_comparison(planted_run, plan, tmp_path):
    """What the web page and `make check` see: the row copied and the rules, never an outlier (no peers)."""
    plants, _, _, folder = planted_run
    alone = {p.kind: p for p in plants}
    seen = {}
    for kind in ("wrong_year", "recognised_future", "staff_x10"):           # one return at a time, as uploaded
        (tmp_path / kind).mkdir()
        shutil.copy(folder / alone[kind].file, tmp_path / kind / alone[kind].file)
        seen[kind] = read_and_check(tmp_path / kind, plan).issues
    assert "plausibility.copied" in _at(seen["wrong_year"], alone["wrong_year"])
    assert "plausibility.rule" in _at(seen["recognised_future"], alone["recognised_future"])
    assert not any(issues["rule"].eq("plausibility.outlier").any() for issues in seen.values())


def test_the_review_list_puts_contradictions_first_then_the_farthest(planted_run, plan):
    from pipeline.tidy import tidy
    from pipeline.tidy.plausibility import plausibility_tables

    _, checked, _, _ = planted_run
    _, tables = tidy(checked, plan)
    listed = plausibility_tables(checked.plausibility, tables["units"], plan)["plausibility"]
    assert len(listed) == len(checked.plausibility.findings)
    certain = listed["check"].isin(["rule", "copied"])
    assert certain.iloc[:certain.sum()].all()                          # rules and copies first
    rest = listed.loc[~certain, "severity"].to_numpy()
    assert (np.diff(rest) <= 0).all()                                  # then by how far out, farthest first
    assert listed["reason"].str.len().gt(0).all() and listed["unit_name"].str.len().gt(0).all()


# -- the checks on inline frames -----------------------------------------------------------------------------

def _lead(units: dict[str, list[int]], plan: Plan, column: str = "propaganda_participants") -> dict[str, pd.DataFrame]:
    """Sheet 2's valid rows: each unit's `column` by period (the other figures steady, 5 to 8: no row repeats
    another), as the checker hands them on."""
    labels = plan.labels("periods")
    rows = []
    for unit, values in units.items():
        for i, v in enumerate(values):
            row = {c.name: 5 + i for c in LEAD.columns if c.name != "period"}
            rows.append(row | {"period": labels[i], column: v, "unit_code": unit, "source_file": f"{unit}.xlsx",
                               "sheet": LEAD.sheet, "excel_row": 4 + i})
    return {"leadership": pd.DataFrame(rows)}


def _communes(plan: Plan, n: int) -> list[str]:
    return [u.unit_code for u in plan.units if u.unit_group == plan.groups[0]][:n]


def test_modified_z_and_its_fallback_when_the_mad_is_zero():
    values = pd.Series([10.0, 11, 12, 13, 100])
    z, median = modified_z(values, [pd.Series(["g"] * 5)])
    assert median.iloc[0] == 12 and z.iloc[4] == pytest.approx(0.6745 * 88 / 1)
    same = pd.Series([0.0, 0, 0, 0, 0, 7])                             # more than half equal: MAD 0
    z, _ = modified_z(same, [pd.Series(["g"] * 6)])
    assert z.iloc[5] == pytest.approx(7 / (1.253314 * 7 / 6))
    z, _ = modified_z(same, [pd.Series(["g"] * 6)], mad_zero="skip")
    assert z.isna().all()


def test_a_group_too_small_is_not_judged_and_said(plan):
    units = _communes(plan, 3)
    tables = _lead({units[0]: [400, 500, 520, 250], units[1]: [420, 510, 530, 260],
                    units[2]: [410, 5000, 525, 255]}, plan)                # a year ten times its peers'
    found = review(tables, {}, plan)
    assert not found.findings["check"].eq("outlier").any()                 # three units: no comparison
    assert found.findings["check"].eq("jump").any()                        # (its own years still say it)
    groups = found.groups.set_index("unit_group")
    assert groups.at[plan.groups[0], "units"] == 3 and not groups.at[plan.groups[0], "is_judged"]


def test_a_large_unit_is_not_an_outlier_but_its_wrong_year_is_a_jump(plan):
    units = _communes(plan, 8)
    normal = {u: [400 + 10 * k, 500 + 10 * k, 520 + 10 * k, 250 + 5 * k] for k, u in enumerate(units[:7])}
    big = {units[7]: [1600, 2000, 2100, 1000]}                         # four times its peers, every period
    found = review(_lead(normal | big, plan), {}, plan).findings
    assert not (found["unit_code"] == units[7]).any()
    typo = {units[7]: [1600, 20000, 2100, 1000]}                       # and one year typed with a digit too many
    found = review(_lead(normal | typo, plan), {}, plan).findings
    mine = found[found["unit_code"] == units[7]]
    assert list(mine["check"]) == ["jump"] and mine["key"].iloc[0] == plan.labels("periods")[1]


def test_small_figures_do_not_jump_and_zeros_are_judged_by_their_size(plan):
    units = _communes(plan, 1)
    s = settings(plan)
    small = review(_lead({units[0]: [1, 4, 1, 1]}, plan, "inspections"), {}, plan).findings   # 4 times, 3 more: no news
    assert small.empty
    big = s.smallest("news_items") * 4
    found = review(_lead({units[0]: [0, 0, big, 0]}, plan, "news_items"), {}, plan).findings
    assert list(found["check"]) == ["jump"] and found["direction"].iloc[0] == "high"


def test_a_half_year_above_the_whole_years_is_questioned(plan):
    units = _communes(plan, 1)
    found = review(_lead({units[0]: [400, 500, 520, 260]}, plan), {}, plan).findings
    assert found.empty                                                 # half a year's work: fine
    found = review(_lead({units[0]: [400, 500, 520, 1420]}, plan), {}, plan).findings
    assert list(found["check"]) == ["half_year"] and found["reference"].iloc[0] == 500


def test_a_rule_with_a_blank_side_judges_nothing(plan):
    rows = [{"model_name": f"Mô hình {i}", "start_year": 2022, "recognition_date": date, "beneficiaries": None,
             "replication_places": 3, "unit_code": "pho_an", "source_file": "a.xlsx", "sheet": MODELS.sheet,
             "excel_row": 4 + i} for i, date in enumerate([pd.Timestamp("2021-05-01"), pd.NaT])]
    found = review({"models": pd.DataFrame(rows)}, {}, plan).findings
    assert list(found["check_code"]) == ["recognised_after_start"] and list(found["excel_row"]) == [4]


def test_a_rule_naming_an_unknown_column_is_a_config_problem(plan):
    raw = {**plan.raw, "plausibility": {**plan.raw["plausibility"], "rules": [
        {**plan.raw["plausibility"]["rules"][0], "right": "start_yeer"}]}}
    problems = config_problems(Plan(raw, plan.units))
    assert len(problems) == 1 and "recognised_after_start" in problems[0]


def test_switched_off_nothing_is_questioned(plan):
    raw = {**plan.raw, "plausibility": {**plan.raw["plausibility"], "enabled": False}}
    units = _communes(plan, 1)
    assert review(_lead({units[0]: [400, 5000, 520, 260]}, plan), {}, Plan(raw, plan.units)).findings.empty


def test_the_summary_workbook_and_the_report_list_every_figure_questioned(planted_run, plan, tmp_path):
    """Sheet "10a. Số liệu cần xem lại" and its section of report.html: unit, figure, value, median, reason, rule."""
    from pipeline.publish.html import render_section
    from pipeline.publish.sections import sections
    from pipeline.publish.wording import WORKBOOK_SHEETS
    from pipeline.publish.workbook import write_workbook
    from pipeline.tidy import tidy
    from pipeline.tidy.results import summarise

    _, checked, _, _ = planted_run
    checked_, tables = tidy(checked, plan)
    secs = sections(summarise(checked_, tables, plan), plan)
    listed = checked_.plausibility.findings
    path = write_workbook(tmp_path / "summary.xlsx", secs, plan, is_demo=False)
    ws = load_workbook(path, read_only=True)[WORKBOOK_SHEETS["plausibility"]]
    rows = [[str(v) for v in row if v is not None] for row in ws.iter_rows(values_only=True)]
    for f in listed.itertuples():
        assert any(f"{f.sheet}!{f.cell}" in row and f.reason in row and f.value_text in row for row in rows), f
    page = str(render_section(secs["plausibility"]))
    assert all(f.reason in page or f.reason.replace("“", "&ldquo;") in page for f in listed.itertuples())
    assert "plausibility.rule (recognised_after_start)" in page and "Iglewicz" in page


def test_a_rate_of_a_few_people_is_not_questioned_for_a_person_or_two(plan):
    """6 of 8 staff registered is 75 % among units at 95 %: two people, no news; 6 of 80 is."""
    units = [u.unit_code for u in plan.units if u.unit_group == plan.groups[1]][:8]

    def shares(last_total: int) -> pd.DataFrame:
        totals = [9, 12, 15, 20, 30, 45, 60, last_total]
        registered = [round(t * 0.95) for t in totals[:7]] + [6]
        found = review({"unit_info": pd.DataFrame({
            "staff_total": totals, "staff_registered": registered, "unit_code": units,
            "source_file": [f"{u}.xlsx" for u in units], "sheet": INFO.sheet, "excel_row": 4})}, {}, plan).findings
        return found[found["check_code"] == "rate.registered_share"]

    assert shares(8).empty
    found = shares(80)
    assert list(found["unit_code"]) == [units[-1]] and found["direction"].iloc[0] == "low"
