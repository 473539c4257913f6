"""Every published figure, checked against a count made from the returns themselves (issue 8, item 4).

One full run (`run_report`) on the demo returns (written by conftest's `demo_dir`) feeds every test. The expected
figures are counted here from what the demo generator put into each unit's workbook: its rows, minus the
rows where it planted an error (an error excludes its row; a planted warning keeps it). Nothing expected is
taken from the pipeline's own tables or aggregates.

Outputs checked: the summary workbook (every table of every sheet), report.html and tables/*.html (every
table), the draft .docx (its sentences with figures and its tables), and the aggregate tables the notebooks
read (data/aggregates/*.parquet, the only place where some figures are published).
Wording and lookups live in tests/published.py.
"""
from __future__ import annotations

import unicodedata

import pandas as pd
import pytest

from pipeline.tools.demo import EXPECTED
from tests.publish import published as P
from tests.factories import returns_to_tables

C = P.COL


# =============================================================================
# The run, and the counts made from the returns
# =============================================================================

@pytest.fixture(scope="module")
def outputs(demo_run):
    return demo_run


class Returns:
    """The returns as the generator wrote them, counted by hand (pandas only to group)."""

    def __init__(self, returns, missing, plan):
        self.plan = plan
        self.returns = returns
        self.registry = pd.DataFrame([{"unit_code": u.unit_code, "unit_name": u.unit_name, "unit_type": u.unit_type,
                                       "unit_group": u.unit_group} for u in plan.units])
        by_code = {r.unit.unit_code: r for r in returns}
        missing_codes = {u.unit_code for u in missing}
        assert set(by_code) | missing_codes == set(self.registry["unit_code"])
        self.registry["status"] = [("missing" if c in missing_codes else "late" if by_code[c].is_late else "on_time")
                                   for c in self.registry["unit_code"]]
        self.registry["reported"] = self.registry["status"].isin(["on_time", "late"])
        self.registry["file"] = self.registry["unit_code"].map(lambda c: by_code[c].filename if c in by_code else "")
        meta = self.registry[["unit_code", "unit_name", "unit_type", "unit_group"]]
        # Kept rows of each sheet (typed as a reader would type what the clerk typed).
        self.sheets = {name: df.merge(meta, on="unit_code", how="left", validate="many_to_one")
                       for name, df in returns_to_tables(returns).items()}
        self.scenario = {r.unit.unit_code: r.scenario.split("+")[0] for r in returns if r.scenario}
        self.groups = plan.groups
        self.periods = plan.labels("periods")
        self.none_level = plan.labels("recognition_levels")[0]
        self.rank = {i["label"]: int(i["rank"]) for i in plan.items("recognition_levels")}
        # "cấp có thẩm quyền": the recognition level criterion (c) asks for, from the config.
        self.competent = self.rank[plan.label_of("recognition_levels", plan.awards["min_recognition_level"])]

    def __getitem__(self, sheet: str) -> pd.DataFrame:
        return self.sheets[sheet]

    # -- scopes: the town, each group, each unit type ---------------------------------
    def scopes(self):
        yield "town", P.TOWN, lambda df: df
        for g in self.groups:
            yield "unit_group", g, lambda df, g=g: df[df["unit_group"] == g]
        for t in self.plan.unit_types:
            yield "unit_type", t["label"], lambda df, t=t["label"]: df[df["unit_type"] == t]

    def in_group(self, df: pd.DataFrame, group: str) -> pd.DataFrame:
        return df if group == P.TOWN else df[df["unit_group"] == group]

    # -- figures -----------------------------------------------------------------------
    @property
    def models(self) -> pd.DataFrame:
        m = self["models"]
        return m.assign(recognised=m["recognition_level"].map(self.rank) >= self.competent,
                        recognised_any=m["recognition_level"] != self.none_level,
                        replicated=m["is_replicated"].fillna(False).astype(bool),
                        places=m["replication_places"].fillna(0).astype(int),
                        people=m["beneficiaries"].fillna(0).astype(int))

    @property
    def reported(self) -> pd.DataFrame:
        return self.registry[self.registry["reported"]]

    def units_without_models(self) -> list[str]:
        return sorted(set(self.reported["unit_code"]) - set(self["models"]["unit_code"]))

    def proposals(self) -> pd.DataFrame:
        return self["proposals"]

    def eligible(self, unit_code: str) -> bool:
        return bool(EXPECTED[self.scenario[unit_code]]["eligible"])

    def issue_counts(self) -> tuple[int, int, int]:
        """(errors, warnings, files with any): the planted mistakes, plus the warnings that the two proposal
        rules must give on these returns (criterion c declared without a qualifying model; a basis model
        that is not on the unit's sheet 4)."""
        planted = [p for r in self.returns for p in r.planted]
        errors = sum(p["severity"] == "error" for p in planted)
        warnings = sum(p["severity"] == "warning" for p in planted)
        files = {p["file"] for p in planted}
        models = self.models
        collective = self.plan.label_of("recipient_kinds", "COLLECTIVE")
        needs_replication = bool(self.plan.awards.get("crit_c_requires_replication", False))
        for p in self.proposals().to_dict("records"):
            own = models[models["unit_code"] == p["unit_code"]]
            good = own[own["recognised"] & (own["replicated"] | (not needs_replication))]
            file = self.registry.set_index("unit_code").at[p["unit_code"], "file"]
            if p["recipient_kind"] == collective and p["crit_c"] is True and good.empty:
                warnings += 1
                files.add(file)
            if isinstance(p["model_name"], str) and _fold(p["model_name"]) not in set(own["model_name"].map(_fold)):
                warnings += 1
                files.add(file)
        return errors, warnings, len(files)

    def key_figures(self) -> dict[str, int]:
        lead, models = self["leadership"], self.models
        errors, warnings, _ = self.issue_counts()
        status = self.registry["status"].value_counts()
        proposals = self.proposals()
        return {
            "registry": len(self.registry),
            "reported": int(self.registry["reported"].sum()),
            "on_time": int(status.get("on_time", 0)),
            "late": int(status.get("late", 0)),
            "missing": int(status.get("missing", 0)),
            "staff": int(self["unit_info"]["staff_total"].sum()),
            "staff_registered": int(self.staff_both()["staff_registered"].sum()),
            "plans": int(lead["plans_issued"].sum()),
            "sessions": int(lead["propaganda_sessions"].sum()),
            "participants": int(lead["propaganda_participants"].sum()),
            "models": len(models),
            "recognised": int(models["recognised"].sum()),
            "recognised_any": int(models["recognised_any"].sum()),
            "replicated": int(models["replicated"].sum()),
            "units_without_models": len(self.units_without_models()),
            "proposals": len(proposals),
            "eligible": sum(self.eligible(u) for u in proposals["unit_code"]),
            "errors": errors,
            "warnings": warnings,
        }

    def staff_both(self, group: str = P.TOWN) -> pd.DataFrame:
        """Sheet 1 of the units that gave both their staff and the staff registered (the base of the share)."""
        info = self.in_group(self["unit_info"], group)
        return info[info["staff_total"].notna() & info["staff_registered"].notna()]

    def ranking(self) -> list[dict]:
        """The score terms of each eligible proposal, from the model it names and the unit's classification."""
        cfg = self.plan.awards["ranking"]
        htxs = self.plan.label_of("classification_levels", self.plan.awards["required_classification_level"])
        years = {int(y) for y in self.plan.awards["classification_years"]}
        models, cls = self.models, self["classification"]
        rows = []
        for p in self.proposals().to_dict("records"):
            if not self.eligible(p["unit_code"]):
                continue
            own = models[(models["unit_code"] == p["unit_code"]) & (models["model_name"] == p["model_name"])]
            assert len(own) == 1, p  # the demo's proposals name one of the unit's models
            m = own.iloc[0]
            own_cls = cls[(cls["unit_code"] == p["unit_code"]) & (cls["classification_level"] == htxs)]
            htxs_years = len(set(own_cls["classification_year"].astype(int)) & years)
            terms = {
                "recognition_points": cfg["points_per_recognition_rank"] * self.rank[m["recognition_level"]],
                "replication_points": cfg["points_if_replicated"] if m["replicated"] else 0,
                "places_points": min(m["places"] * cfg["points_per_replication_place"], cfg["max_replication_points"]),
                "classification_points": cfg["points_per_htxs_year"] * htxs_years,
                "people_points": min(m["people"] / 1000 * cfg["points_per_1000_people_reached"],
                                     cfg["max_people_points"]),
            }
            rows.append({"unit_code": p["unit_code"], "unit_name": p["unit_name"], "nominee": p["nominee_name"],
                         "model": m["model_name"], "level": m["recognition_level"], **terms,
                         "total": sum(terms.values())})
        for r in rows:
            r["rank"] = 1 + sum(o["total"] > r["total"] + 1e-9 for o in rows)
        return rows


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


@pytest.fixture(scope="module")
def truth(demo_intended, plan):
    returns, missing = demo_intended
    return Returns(returns, missing, plan)


# =============================================================================
# Expected tables: (row labels, {column: figure}) from the returns
# =============================================================================

class Approx(float):
    """A figure shown rounded (shares, ranking points)."""


def _pct(num: int, den: int) -> Approx:
    return Approx(100.0 * num / den if den else 0.0)


def expect_overview(T: Returns):
    return [({C["figure"]: P.KEY_FIGURES[k]}, {C["value"]: v}) for k, v in T.key_figures().items()], None


def expect_reporting(T: Returns):
    rows = []
    for g in [*T.groups, P.TOWN]:
        u = T.in_group(T.registry, g)
        s = u["status"].value_counts()
        rows.append(({C["group"]: g}, {
            C["registry"]: len(u), C["reported"]: int(u["reported"].sum()), C["on_time"]: int(s.get("on_time", 0)),
            C["late"]: int(s.get("late", 0)), C["missing"]: int(s.get("missing", 0)), C["rejected"]: 0,
            C["rate"]: _pct(int(u["reported"].sum()), len(u))}))
    return rows, None


def expect_reporting_units(T: Returns):
    rows = [({C["unit"]: r.unit_name}, {C["status"]: P.STATUS[r.status]}) for r in T.registry.itertuples()]
    return rows, len(T.registry)


INDICATORS = ["plans_issued", "launch_meetings", "propaganda_sessions", "propaganda_participants", "news_items",
              "inspections"]


def _base(units: pd.DataFrame, of: pd.DataFrame) -> str:
    """"27/28": units with data of the units that reported, as the tables by period say it."""
    return f"{units['unit_code'].nunique()}/{len(of)}"


def expect_leadership(T: Returns):
    lead, rows = T["leadership"], []
    for p in T.periods:
        for g in [*T.groups, P.TOWN]:
            sel = T.in_group(lead[lead["period"] == p], g)
            rows.append(({C["period"]: p, C["group"]: g}, {C[i]: int(sel[i].sum()) for i in INDICATORS}
                         | {C["units_base"]: _base(sel, T.in_group(T.reported, g))}))
    rows.append(({C["period"]: P.TOTAL, C["group"]: P.TOWN}, {C[i]: int(lead[i].sum()) for i in INDICATORS}
                 | {C["units_base"]: _base(lead, T.reported)}))
    return rows, None


def expect_staff(T: Returns):
    """Staff registered for the movement, by group and for the town, counted from sheet 1 of each return."""
    rows = []
    for g in [*T.groups, P.TOWN]:
        both = T.staff_both(g)
        total, registered = int(both["staff_total"].sum()), int(both["staff_registered"].sum())
        rows.append(({C["group"]: g}, {C["units_base"]: _base(both, T.in_group(T.reported, g)),
                                       C["staff_total"]: total, C["staff_registered"]: registered,
                                       C["registered_pct"]: _pct(registered, total)}))
    return rows, len(T.groups) + 1


def expect_assessment_texts(T: Returns):
    a = T["assessment"].dropna(subset=["text"])
    rows = [({C["topic"]: r.topic, C["unit"]: r.unit_name}, {C["text"]: r.text.strip()}) for r in a.itertuples()]
    return rows, len(rows)


def expect_leadership_chart(T: Returns):
    lead = T["leadership"]
    return [({C["period"]: p}, {g: int(T.in_group(lead[lead["period"] == p], g)["propaganda_sessions"].sum())
                                for g in T.groups}) for p in T.periods], len(T.periods)


def expect_content(T: Returns):
    cr, rows = T["content_results"], []
    good = T.plan.labels("self_assessment_levels")[0]
    # each period's column says the units its figures stand on: "Năm 2020 (27/28 đơn vị)"
    header = {p: f"{p} ({_base(cr[cr['period'] == p], T.reported)} đơn vị)" for p in T.periods}
    for area in T.plan.labels("content_areas"):
        sel = cr[cr["content_area"] == area]
        per = {header[p]: int(sel.loc[sel["period"] == p, "activities"].sum()) for p in T.periods}
        rows.append(({C["content_area"]: area}, {
            **per, C["total"]: int(sel["activities"].sum()),
            C["units_good"]: sel.loc[sel["self_assessment"] == good, "unit_code"].nunique()}))
    per = {header[p]: int(cr.loc[cr["period"] == p, "activities"].sum()) for p in T.periods}
    rows.append(({C["content_area"]: P.TOWN}, {**per, C["total"]: int(cr["activities"].sum())}))
    return rows, None


def expect_models_field(T: Returns):
    m, rows = T.models, []
    for label, sel in [*((f, m[m["field"] == f]) for f in T.plan.labels("fields")), (P.TOWN, m)]:
        rec, rep = int(sel["recognised"].sum()), int(sel["replicated"].sum())
        rows.append(({C["field"]: label}, {
            **{g: int((sel["unit_group"] == g).sum()) for g in T.groups},
            C["models"]: len(sel), C["recognised"]: rec, C["replicated"]: rep,
            C["recognised_pct"]: _pct(rec, len(sel)), C["replicated_pct"]: _pct(rep, len(sel))}))
    return rows, None


def expect_models_recognition(T: Returns):
    m, rows = T.models, []
    levels = T.plan.labels("recognition_levels")
    for label, sel in [*((lv, m[m["recognition_level"] == lv]) for lv in levels), (P.TOWN, m)]:
        rows.append(({C["recognition"]: label}, {
            **{g: int((sel["unit_group"] == g).sum()) for g in T.groups},
            C["models"]: len(sel), C["replicated"]: int(sel["replicated"].sum())}))
    return rows, None


def expect_models_list(T: Returns):
    rows = [({C["unit"]: m.unit_name, C["model_name"]: m.model_name}, {
        C["field"]: m.field, C["recognition"]: m.recognition_level, C["replicated"]: P.YES_NO[bool(m.replicated)],
        C["recognition_doc"]: m.recognition_doc if isinstance(m.recognition_doc, str) else "",
        C["recognition_date"]: m.recognition_date.strftime("%d/%m/%Y") if pd.notna(m.recognition_date) else "",
        C["places"]: int(m.places), C["beneficiaries"]: int(m.people)}) for m in T.models.itertuples()]
    return rows, len(T.models)


def expect_classification(T: Returns):
    """Units per level and year; reported units without a valid level that year; all reported units."""
    cls, rows = T["classification"], []
    years = T.plan.classification_years
    reported = len(T.reported)
    for label in T.plan.labels("classification_levels"):
        sel = cls[cls["classification_level"] == label]
        rows.append(({C["level"]: label}, {str(y): int((sel["classification_year"] == y).sum()) for y in years}))
    rows.append(({C["level"]: T.plan.no_level_label},
                 {str(y): reported - int((cls["classification_year"] == y).sum()) for y in years}))
    rows.append(({C["level"]: P.TOWN}, {str(y): reported for y in years}))
    return rows, None


def expect_awards_given(T: Returns):
    ag, rows = T["awards_given"], []
    for p in T.periods:
        for form in T.plan.labels("own_award_forms"):
            sel = ag[(ag["period"] == p) & (ag["award_form"] == form)]
            given = sel[sel["collectives"].notna() | sel["individuals"].notna()]
            rows.append(({C["period"]: p, C["award_form"]: form}, {
                C["collectives"]: int(sel["collectives"].fillna(0).sum()),
                C["individuals"]: int(sel["individuals"].fillna(0).sum()),
                C["units_base"]: _base(given, T.reported)}))
    for form in T.plan.labels("own_award_forms"):  # the whole period, form by form
        sel = ag[ag["award_form"] == form]
        rows.append(({C["period"]: T.plan.all_periods_label, C["award_form"]: form}, {
            C["collectives"]: int(sel["collectives"].fillna(0).sum()),
            C["individuals"]: int(sel["individuals"].fillna(0).sum())}))
    return rows, None


def expect_proposals(T: Returns):
    rows = []
    collective = T.plan.label_of("recipient_kinds", "COLLECTIVE")
    for p in T.proposals().itertuples():
        exp = EXPECTED[T.scenario[p.unit_code]]
        is_collective = p.recipient_kind == collective
        verdicts = {"a": "unverified", "b": "unverified", "c": exp.get("c"), "d": exp.get("d")} if is_collective else \
            {"a": "unverified", "b": exp["b"], "c": "not_applicable", "d": "not_applicable"}
        rows.append(({C["unit"]: p.unit_name}, {
            C["nominee"]: p.nominee_name, C["kind"]: p.recipient_kind,
            C["conclusion"]: P.CONCLUSION[exp["eligible"]],
            **{C[f"crit_{k}"]: P.VERDICT[v] for k, v in verdicts.items()}}))
    return rows, len(T.proposals())


def expect_ranking(T: Returns):
    ranking = T.ranking()
    rows = [({C["unit"]: r["unit_name"]}, {
        C["rank"]: r["rank"], C["nominee"]: r["nominee"], C["basis_model"]: r["model"], C["recognition"]: r["level"],
        **{C[t]: Approx(r[t]) for t in ("recognition_points", "replication_points", "places_points",
                                        "classification_points", "people_points")},
        C["points"]: Approx(r["total"])}) for r in ranking]
    return rows, len(ranking)


def expect_ranking_note(T: Returns):
    """The internal note's short ranking: rank and points of each proposal, found by its basis model."""
    ranking = T.ranking()
    rows = [({C["basis_model"]: r["model"]}, {C["rank"]: r["rank"], C["note_points"]: Approx(r["total"])})
            for r in ranking]
    return rows, len(ranking)


def expect_impact(T: Returns):
    """Each numeric field of sheet 6 per group and for the town: units with a value, mean, lowest, highest."""
    impact, rows = T["impact"], []
    for column, label in P.IMPACT_FIELDS.items():
        for g in [*T.groups, P.TOWN]:
            values = pd.to_numeric(T.in_group(impact, g)[column], errors="coerce").dropna()
            is_count = column == "hcm_exemplars"
            stats = {C["mean"]: Approx(values.mean()), C["min"]: Approx(values.min()), C["max"]: Approx(values.max())} \
                if len(values) else {C["mean"]: None, C["min"]: None, C["max"]: None}
            rows.append(({C["indicator"]: label, C["group"]: g}, {
                C["units_reporting"]: len(values), **stats, C["sum"]: int(values.sum()) if is_count else None}))
    return rows, len(P.IMPACT_FIELDS) * (len(T.groups) + 1)


def expect_impact_texts(T: Returns):
    impact, rows = T["impact"], []
    for column, label in P.IMPACT_TOPICS.items():
        for r in impact.dropna(subset=[column]).itertuples():
            rows.append(({C["topic"]: label, C["unit"]: r.unit_name}, {C["text"]: getattr(r, column).strip()}))
    return rows, len(rows)


def expect_outstanding(T: Returns):
    cr = T["content_results"].dropna(subset=["outstanding_results"])
    rows = [({C["content_area"]: r.content_area, C["period"]: r.period, C["unit"]: r.unit_name},
             {C["outstanding"]: r.outstanding_results.strip()}) for r in cr.itertuples()]
    return rows, len(rows)


EXPECT = {
    "overview": expect_overview, "reporting": expect_reporting, "reporting_units": expect_reporting_units,
    "leadership": expect_leadership, "leadership_chart": expect_leadership_chart, "content": expect_content,
    "models_field": expect_models_field, "models_recognition": expect_models_recognition,
    "models_list": expect_models_list, "classification": expect_classification, "awards_given": expect_awards_given,
    "proposals": expect_proposals, "ranking": expect_ranking, "impact": expect_impact,
    "impact_texts": expect_impact_texts, "outstanding": expect_outstanding, "staff": expect_staff,
    "assessment_texts": expect_assessment_texts, "ranking_note": expect_ranking_note,
}
INTERNAL = ("ranking_note",)       # only in the internal note
# Which tables each output must carry.
IN_OUTPUT = {
    "workbook": [k for k in EXPECT if k not in INTERNAL],
    "report.html": [k for k in EXPECT if k not in ("leadership_chart", "models_list", *INTERNAL)],
    "tables/*.html": [k for k in EXPECT if k not in ("leadership_chart", "models_list", *INTERNAL)],
    "docx": ["reporting", "leadership", "staff", "content", "models_field", "models_recognition", "models_list",
             "classification", "awards_given", "proposals", "impact"],
    "note": ["proposals", "ranking_note"],
}
# The draft report and the note print some tables in part (the town rows only, fewer columns).
PARTIAL = {"docx", "note"}


def _same(got, expected) -> bool:
    if expected is None:
        return got is None or str(got).strip() == ""
    if isinstance(expected, str):
        return P.norm(P._text(got)) == P.norm(expected)
    number = P.vn_number(got)
    if number is None:
        return False
    if isinstance(expected, Approx):
        shown = P.decimals_shown(got)
        tol = 0.05 if shown is None else 0.5 * 10 ** -shown
        return abs(number - expected) <= tol + 1e-9
    return number == expected


def compare(table: P.Table, expected: list, count: int | None, partial: bool) -> list[str]:
    """Mismatches between a published table and the expected rows (empty when all agree)."""
    problems = []
    for key, values in expected:
        shown_key = {}
        for col, label in key.items():
            if table.has(col):
                shown_key[col] = label
            elif not (partial and P.norm(label) in (P.norm(P.TOWN), P.norm(P.TOTAL))):
                shown_key = None  # a breakdown this table does not show
                if not partial:
                    problems.append(f"no column “{col}”")
                break
        if shown_key is None:
            continue
        rows = table.rows_where(shown_key)
        if len(rows) != 1:
            problems.append(f"{len(rows)} rows for {key}")
            continue
        for col, want in values.items():
            if not table.has(col):
                if not partial:
                    problems.append(f"no column “{col}”")
                continue
            got = table.cell(rows[0], col)
            try:
                ok = _same(got, want)
            except ValueError as exc:
                ok, got = False, f"{got!r} ({exc})"
            if not ok:
                problems.append(f"{key} / “{col}”: published {got!r}, counted from the returns {want!r}")
    if count is not None and len(table.rows) != count:
        problems.append(f"{len(table.rows)} data rows, expected {count}")
    return problems


# =============================================================================
# Published tables
# =============================================================================

@pytest.fixture(scope="module")
def published(outputs):
    """output name -> (tables, paragraphs)"""
    paragraphs, doc_tables = P.docx_content(outputs / P.DOCX)
    note_paragraphs, note_tables = P.docx_content(outputs / P.NOTE)
    html_pages = sorted((outputs / P.TABLES_DIR).glob("*.html"))
    assert html_pages, "no tables/*.html written"
    return {
        "workbook": (P.workbook_tables(outputs / P.WORKBOOK), []),
        "report.html": (P.html_tables(outputs / P.REPORT_HTML), []),
        "tables/*.html": ([t for page in html_pages for t in P.html_tables(page)], []),
        "docx": (doc_tables, paragraphs),
        "note": (note_tables, note_paragraphs),
    }


CASES = [(out, key) for out, keys in IN_OUTPUT.items() for key in keys]


@pytest.mark.parametrize("output,key", CASES, ids=[f"{o}-{k}" for o, k in CASES])
def test_published_table_matches_the_returns(published, truth, output, key):
    tables, _ = published[output]
    table = P.find(tables, key)
    assert table is not None, f"{output}: no table “{P.TABLES[key].caption}” with columns {P.TABLES[key].headers}"
    expected, count = EXPECT[key](truth)
    problems = compare(table, expected, count, partial=output in PARTIAL)
    assert not problems, f"{table}:\n  " + "\n  ".join(problems)


def test_every_workbook_sheet_with_figures_is_checked(published):
    """A new table in the summary workbook gets noticed: each one is either checked above or listed here."""
    # the list of data problems: covered by the error/warning counts; the ranking weights come from the config
    # hồ sơ received (checked by test_award_dossier) and the figures questioned (checked by the plausibility tests)
    # are lists of units and values, not counts
    not_figures = ("vấn đề về số liệu", "thang điểm gợi ý", "hồ sơ đề nghị khen thưởng", "số liệu cần xem lại")
    tables, _ = published["workbook"]
    checked = {id(P.find(tables, k)) for k in IN_OUTPUT["workbook"]}
    unchecked = [str(t) for t in tables
                 if id(t) not in checked and not any(w in P.norm(t.caption) for w in not_figures)]
    assert not unchecked, unchecked


# =============================================================================
# Sentences of the draft report
# =============================================================================

def sentence_figures(T: Returns) -> dict:
    kf = T.key_figures()
    lead, m, ag = T["leadership"], T.models, T["awards_given"]
    _, _, files = T.issue_counts()
    g_commune, g_town = T.groups[:2]
    return {k: P.vn(v) for k, v in {
        **kf, "launch": lead["launch_meetings"].sum(), "news": lead["news_items"].sum(),
        "inspections": lead["inspections"].sum(),
        "models_commune": (m["unit_group"] == g_commune).sum(), "models_town": (m["unit_group"] == g_town).sum(),
        "no_models": kf["units_without_models"],
        "collectives": ag["collectives"].fillna(0).sum(), "individuals": ag["individuals"].fillna(0).sum(),
        "not_eligible": kf["proposals"] - kf["eligible"], "files": files,
        "staff_both": T.staff_both()["staff_total"].sum(), "staff_units": len(T.staff_both()),
    }.items()} | {"staff_rate": P.vn_pct(100 * kf["staff_registered"] / T.staff_both()["staff_total"].sum())} | {"recognised_pct": P.vn_pct(100 * kf["recognised"] / kf["models"]),
                  "replicated_pct": P.vn_pct(100 * kf["replicated"] / kf["models"])} | impact_figures(T)


def impact_figures(T: Returns) -> dict:
    on_time = pd.to_numeric(T["impact"]["on_time_procedures_pct"], errors="coerce").dropna()
    return {"on_time_units": P.vn(len(on_time)), "on_time_mean": P.vn_pct(on_time.mean())}


@pytest.mark.parametrize("sentence", list(P.DOC_SENTENCES))
def test_docx_sentence_figures_match_the_returns(published, truth, sentence):
    _, paragraphs = published["docx"]
    anchor, phrases = P.DOC_SENTENCES[sentence]
    text = P.one_paragraph(paragraphs, anchor)
    figures = sentence_figures(truth)
    missing = [tpl.format(**figures) for tpl in phrases if not P.phrase_pattern(tpl, figures).search(text)]
    assert not missing, f"the draft says: {text}\nbut the returns give: {missing}"


def test_docx_names_the_units_behind_the_figures(published, truth):
    _, paragraphs = published["docx"]
    names = dict(zip(truth.registry["unit_code"], truth.registry["unit_name"]))
    not_sent = truth.registry.loc[~truth.registry["reported"], "unit_name"].tolist()
    without = [names[c] for c in truth.units_without_models()]
    assert not_sent and without  # the demo has both, so the lists are exercised
    reporting = P.one_paragraph(paragraphs, P.DOC_SENTENCES["reporting"][0])
    models = P.one_paragraph(paragraphs, P.DOC_SENTENCES["models"][0])
    assert all(n in reporting for n in not_sent), (not_sent, reporting)
    assert all(n in models for n in without), (without, models)
    others = set(names.values()) - set(not_sent) - set(without)
    assert not [n for n in others if n in reporting or n in models]


def test_the_outgoing_report_names_no_nominee_and_leaves_the_choice_to_the_office(published, truth):
    """The draft sent to Sở Nội vụ carries no ranking: the Bằng khen nominee is a marked placeholder."""
    _, paragraphs = published["docx"]
    text = " ".join(paragraphs)
    ranking = truth.ranking()
    assert ranking   # the demo has ranked proposals, so their absence means something
    lead_in = P.one_paragraph(paragraphs, "tặng Bằng khen cho")
    choice = paragraphs[paragraphs.index(lead_in) + 1]
    assert choice.startswith("[Cần bổ sung:") and "Bằng khen" in choice, choice
    assert P.DOC_TOP not in text and "xếp hạng" not in text.lower() and "điểm gợi ý" not in text.lower()
    assert not any(r["nominee"] in choice for r in ranking)


def test_the_internal_note_names_the_top_ranked_nominee(published, truth):
    _, paragraphs = published["note"]
    ranking = truth.ranking()
    top = [r for r in ranking if r["rank"] == 1]
    assert len(top) == 1
    text = P.one_paragraph(paragraphs, P.DOC_TOP)
    assert top[0]["nominee"] in text and top[0]["unit_name"] in text, text
    assert "gợi ý" in text.lower()
    for r in ranking:  # a nominee named like its unit is named once: no "Phòng Tư pháp (Phòng Tư pháp)"
        assert f"{r['nominee']} ({r['unit_name']})" not in text or r["nominee"] != r["unit_name"]
    assert top[0]["nominee"] != top[0]["unit_name"] or text.count(top[0]["unit_name"]) == 1
    score = P.DOC_TOP_SCORE.search(text)
    assert score and abs(P.vn_number(score.group(1)) - top[0]["total"]) <= 0.05 + 1e-9, (text, top[0]["total"])


# =============================================================================
# Aggregate tables the notebooks read (data/aggregates/*.parquet)
# Some figures are published only there: people reached, replication places, units with activities.
# =============================================================================

def _check_frame(name: str, got: pd.DataFrame, expected: list[tuple[dict, dict]]) -> list[str]:
    problems = []
    for key, values in expected:
        mask = pd.Series(True, index=got.index)
        for col, label in key.items():
            mask &= got[col].astype(str) == str(label)
        rows = got[mask]
        if len(rows) != 1:
            problems.append(f"{name}: {len(rows)} rows for {key}")
            continue
        for col, want in values.items():
            if int(rows.iloc[0][col]) != want:
                problems.append(f"{name} {key} {col}: published {rows.iloc[0][col]}, counted from the returns {want}")
    return problems


def test_aggregate_tables_match_the_returns(outputs, truth):
    T, problems = truth, []
    periods = [*T.periods, P.ALL_PERIODS]
    m, lead, cr, cls, ag = T.models, T["leadership"], T["content_results"], T["classification"], T["awards_given"]
    staff = dict(zip(T["unit_info"]["unit_code"], T["unit_info"]["staff_total"].astype(int)))

    def period(df, p):
        return df if p == P.ALL_PERIODS else df[df["period"] == p]

    exp = {k: [] for k in ("reporting", "models_summary", "models_by", "leadership_by_period", "content_by_area",
                           "classification_levels", "awards_given_by_form")}
    for _kind, scope, pick in T.scopes():
        reg, mm = pick(T.registry), pick(m)
        s = reg["status"].value_counts()
        exp["reporting"].append(({"scope": scope}, {
            "expected": len(reg), "reported": int(reg["reported"].sum()), "on_time": int(s.get("on_time", 0)),
            "late": int(s.get("late", 0)), "missing": int(s.get("missing", 0)), "rejected": 0}))
        exp["models_summary"].append(({"scope": scope}, {
            "models": len(mm), "recognised": int(mm["recognised"].sum()), "replicated": int(mm["replicated"].sum()),
            "replication_places": int(mm["places"].sum()), "beneficiaries": int(mm["people"].sum()),
            "units_with_models": mm["unit_code"].nunique(), "units_reported": int(reg["reported"].sum()),
            "units_without_models": len(set(reg.loc[reg["reported"], "unit_code"]) - set(mm["unit_code"]))}))
        dims = {"field": ("field", T.plan.labels("fields")),
                "content_area": ("content_area", T.plan.labels("content_areas")),
                "recognition": ("recognition_level", T.plan.labels("recognition_levels")),
                "model_kind": ("model_kind", T.plan.labels("recipient_kinds")),
                "start_year": ("start_year", sorted({str(int(y)) for y in m["start_year"]}))}
        for dim, (col, labels) in dims.items():
            for label in labels:
                sel = mm[mm[col].astype(str) == label]
                exp["models_by"].append(({"scope": scope, "dimension": dim, "category_label": label}, {
                    "models": len(sel), "recognised": int(sel["recognised"].sum()),
                    "replicated": int(sel["replicated"].sum()), "replication_places": int(sel["places"].sum())}))
        for p in periods:
            sel = period(pick(lead), p)
            exp["leadership_by_period"].append(({"scope": scope, "period_label": p}, {
                **{i: int(sel[i].sum()) for i in INDICATORS}, "units_reporting": sel["unit_code"].nunique(),
                "staff_total": sum(staff[u] for u in set(sel["unit_code"]))}))
            for area in T.plan.labels("content_areas"):
                sel = period(pick(cr), p)
                sel = sel[sel["content_area"] == area]
                exp["content_by_area"].append(({"scope": scope, "period_label": p, "content_area_label": area}, {
                    "activities": int(sel["activities"].sum()), "units_reporting": sel["unit_code"].nunique(),
                    "units_with_activities": sel.loc[sel["activities"] > 0, "unit_code"].nunique()}))
            for form in T.plan.labels("own_award_forms"):
                sel = period(pick(ag), p)
                sel = sel[sel["award_form"] == form]
                c, i = int(sel["collectives"].fillna(0).sum()), int(sel["individuals"].fillna(0).sum())
                exp["awards_given_by_form"].append(({"scope": scope, "period_label": p, "award_form_label": form},
                                                    {"collectives": c, "individuals": i, "total": c + i}))
        for y in T.plan.classification_years:
            sel = pick(cls)
            sel = sel[sel["classification_year"] == y]
            for level in T.plan.labels("classification_levels"):
                exp["classification_levels"].append((
                    {"scope": scope, "classification_year": y, "level_label": level},
                    {"units": sel.loc[sel["classification_level"] == level, "unit_code"].nunique()}))
    for name, rows in exp.items():
        problems += _check_frame(name, P.aggregate(outputs, name), rows)
    assert not problems, "\n".join(problems)
