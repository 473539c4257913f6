"""Charts of the town report (PNG and SVG), drawn from the report sections so the
figures match the tables. Greys and hatching: they must read in black and white."""
from __future__ import annotations

import textwrap
from collections.abc import Iterable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter, MaxNLocator

from pipeline.config import Plan
from pipeline.files import atomic_path
from pipeline.publish.sections import Section, partial_periods
from pipeline.publish.wording import AXIS, CHART_STEM_TITLES as TITLES, DEMO_BANNER, H, LEGEND_RECOGNISED, \
    LEGEND_REPLICATED, PARTIAL_NOTE, fill, headers
from pipeline.text import vn_number

GREYS = ["#222222", "#777777", "#bbbbbb", "#e6e6e6", "#ffffff"]
HATCHES = ["", "///", "...", "xx", "\\\\"]


def _style() -> None:
    plt.rcParams.update({
        "font.family": "DejaVu Sans", "font.size": 10, "axes.titlesize": 12, "axes.titleweight": "bold",
        "axes.spines.top": False, "axes.spines.right": False, "hatch.linewidth": 0.6, "svg.fonttype": "none",
        "svg.hashsalt": "dan-van-kheo",   # the same ids in every run: identical SVGs from identical figures
    })


def _thousands(x, _pos) -> str:
    return vn_number(x)


def _bar_kw(i: int) -> dict:
    return {"color": GREYS[i % len(GREYS)], "hatch": HATCHES[i % len(HATCHES)], "edgecolor": "black", "linewidth": 0.7}


def _label_bars(ax, bars, suffix: str = "") -> None:
    """The value above each bar, written as the axis writes it ("13.471"); none on an empty bar."""
    for b in bars:
        h = b.get_height()
        if h:
            ax.annotate(vn_number(h) + suffix, (b.get_x() + b.get_width() / 2, h),
                        ha="center", va="bottom", fontsize=8, xytext=(0, 2), textcoords="offset points")


def _legend_below(ax, handles=None, labels=None, ncols: int = 3) -> None:
    """The legend under the plot, where it can cover no bar and no label."""
    if handles is None:
        handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles, labels, frameon=False, ncols=ncols, loc="upper center", bbox_to_anchor=(0.5, -0.16),
              fontsize=9)


def _save(fig, folder: Path, stem: str, is_demo: bool) -> list[Path]:
    if is_demo:
        fig.text(0.5, 1.0, DEMO_BANNER, ha="center", va="bottom", fontsize=9, fontweight="bold",
                 bbox={"facecolor": "white", "edgecolor": "black", "linestyle": "--"})
    paths = []
    # The tight box is found once for both files (bbox_inches="tight" lays the figure out again for each).
    box = fig.get_tightbbox(fig.canvas.get_renderer()).padded(plt.rcParams["savefig.pad_inches"])
    for ext in ("png", "svg"):
        path = folder / f"{stem}.{ext}"
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format=ext, dpi=150, bbox_inches=box,
                        metadata={"Date": None} if ext == "svg" else None)   # no run time inside the file
        paths.append(path)
    plt.close(fig)
    return paths


def _wrap(text: str, width: int = 18) -> str:
    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


def _models_by_field_group(folder: Path, secs: dict[str, Section], plan: Plan, is_demo: bool) -> Path:
    """Models by field and group."""
    groups = plan.groups
    mf = secs["models_field"].df
    mf = mf[mf[H["field"]] != plan.total_label]
    fig, ax = plt.subplots(figsize=(9, 5))
    n = len(groups)
    width = 0.8 / max(n, 1)
    x = range(len(mf))
    for i, g in enumerate(groups):
        bars = ax.bar([v + (i - (n - 1) / 2) * width for v in x], mf[g], width, label=g, **_bar_kw(i))
        _label_bars(ax, bars)
    ax.set_xticks(list(x), [_wrap(f, 14) for f in mf[H["field"]]], fontsize=9)
    ax.set_ylabel(AXIS["models"])
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, ax.get_ylim()[1] * 1.08)
    ax.set_title(TITLES["models_by_field_group"])
    _legend_below(ax, ncols=len(groups))
    return _save(fig, folder, "models_by_field_group", is_demo)[0]


def _models_by_recognition(folder: Path, secs: dict[str, Section], plan: Plan, is_demo: bool) -> Path:
    """Models by recognition level (rows, lowest level at the bottom) and group (stacked)."""
    groups = plan.groups
    mr = secs["models_recognition"].df
    mr = mr[mr[H["recognition"]] != plan.total_label]
    fig, ax = plt.subplots(figsize=(9, 4.2))
    labels = [_wrap(v, 26) for v in mr[H["recognition"]]]
    left = [0] * len(mr)
    for i, g in enumerate(groups):
        vals = [int(v) for v in mr[g]]
        bars = ax.barh(labels, vals, 0.6, left=left, label=g, **_bar_kw(i))
        for b, v, l0 in zip(bars, vals, left):
            if v:
                ax.text(l0 + v / 2, b.get_y() + b.get_height() / 2, str(v), ha="center", va="center", fontsize=9,
                        fontweight="bold", bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5})
        left = [a + b for a, b in zip(left, vals)]
    ax.set_xlabel(AXIS["models"])
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(TITLES["models_by_recognition"])
    _legend_below(ax, ncols=len(groups))
    return _save(fig, folder, "models_by_recognition", is_demo)[0]


def _models_recognised_replicated(folder: Path, secs: dict[str, Section], plan: Plan, is_demo: bool) -> Path:
    """Recognised and replicated shares, per field and for the town."""
    mf_all = secs["models_field"].df
    h = headers(plan)
    fig, ax = plt.subplots(figsize=(10, 5))
    labels = [_wrap(v, 12) for v in mf_all[H["field"]]]
    x = range(len(mf_all))
    for i, (col, lab) in enumerate(((h["recognised_pct"], fill(LEGEND_RECOGNISED, plan)),
                                    (h["replicated_pct"], LEGEND_REPLICATED))):
        bars = ax.bar([v + (i - 0.5) * 0.38 for v in x], mf_all[col].fillna(0), 0.38, label=lab, **_bar_kw(i + 1))
        _label_bars(ax, bars, "%")
    ax.set_xticks(list(x), labels, fontsize=9)
    ax.get_xticklabels()[-1].set_fontweight("bold")
    ax.set_ylim(0, 112)
    ax.set_ylabel(AXIS["percent"])
    ax.set_title(fill(TITLES["models_recognised_replicated"], plan))
    _legend_below(ax, ncols=2)
    return _save(fig, folder, "models_recognised_replicated", is_demo)[0]


def _classification_by_year(folder: Path, secs: dict[str, Section], plan: Plan, is_demo: bool) -> Path:
    """Classification levels by year (stacked)."""
    cl = secs["classification"].df
    cl = cl[cl[H["level"]] != plan.total_label]
    years = [c for c in cl.columns if c != H["level"]]
    fig, ax = plt.subplots(figsize=(8, 5))
    bottom = [0] * len(years)
    for i, (_, row) in enumerate(cl.iterrows()):
        vals = [int(row[y]) for y in years]
        bars = ax.bar(years, vals, 0.55, bottom=bottom, label=row[H["level"]], **_bar_kw(i))
        for b, v, b0 in zip(bars, vals, bottom):
            if v:
                ax.text(b.get_x() + b.get_width() / 2, b0 + v / 2, str(v), ha="center", va="center", fontsize=9,
                        color="white" if i == 0 else "black", fontweight="bold",
                        bbox=None if i == 0 else {"facecolor": "white", "edgecolor": "none", "pad": 1.5})
        bottom = [a + b for a, b in zip(bottom, vals)]
    ax.set_xlabel(AXIS["year"])
    ax.set_ylim(0, max(bottom + [1]) * 1.08)
    ax.set_ylabel(AXIS["units"])
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(TITLES["classification_by_year"])
    _legend_below(ax, ncols=3)
    return _save(fig, folder, "classification_by_year", is_demo)[0]


def _reporting_status(folder: Path, secs: dict[str, Section], plan: Plan, is_demo: bool) -> Path:
    """Reporting status by group (horizontal stacked)."""
    rp = secs["reporting"].df
    cols = [(H["on_time"], 3), (H["late"], 1), (H["date_unknown"], 4), (H["missing"], 0), (H["rejected"], 2)]
    fig, ax = plt.subplots(figsize=(9, 3.6))
    left = [0] * len(rp)
    ylabels = [_wrap(g, 22) for g in rp[H["group"]]]
    for col, shade in cols:
        vals = [int(v) for v in rp[col]]
        if not any(vals):
            continue
        bars = ax.barh(ylabels, vals, 0.55, left=left, label=col, **_bar_kw(shade))
        for b, v, l0 in zip(bars, vals, left):
            if v:
                ax.text(l0 + v / 2, b.get_y() + b.get_height() / 2, str(v), ha="center", va="center", fontsize=9,
                        fontweight="bold", color="black",
                        bbox={"facecolor": "white", "edgecolor": "none", "pad": 2.5, "alpha": 1.0})
        left = [a + b for a, b in zip(left, vals)]
    ax.invert_yaxis()
    ax.set_xlabel(AXIS["units"])
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(TITLES["reporting_status"])
    ax.legend(frameon=False, ncols=5, bbox_to_anchor=(0.5, -0.3), loc="upper center", fontsize=9)
    return _save(fig, folder, "reporting_status", is_demo)[0]


def _propaganda_by_year(folder: Path, secs: dict[str, Section], plan: Plan, is_demo: bool) -> Path:
    """Propaganda over the years: participants of all units (line, top panel), sessions by group (bars, below).

    Two panels rather than two y axes on one: the labels of the line and of the bars can never meet."""
    groups = plan.groups
    n, width = len(groups), 0.8 / max(len(groups), 1)
    ld = secs["leadership"].df
    ld = ld[ld[H["period"]] != H["total"]].set_index([H["period"], H["group"]])
    periods = plan.labels("periods")
    fig, (top, ax) = plt.subplots(2, 1, figsize=(9, 6), sharex=True, gridspec_kw={"height_ratios": [1, 2]})
    x = list(range(len(periods)))
    tot = [int(ld.at[(p, plan.total_label), H["propaganda_participants"]]) for p in periods]
    # A period shorter than a year (the half-year) is drawn apart: never joined to the whole years by the line,
    # a hollow marker, a dotted rule before it and a note, so that no reader takes it for a fall.
    partial = partial_periods(plan)
    whole = [i for i, p in enumerate(periods) if p not in partial]
    top.plot([x[i] for i in whole], [tot[i] for i in whole], color="black", marker="o", linestyle="--",
             label=AXIS["participants"])
    for i, p in enumerate(periods):
        if p in partial:
            top.plot([x[i]], [tot[i]], color="black", marker="o", markerfacecolor="white", linestyle="none")
            for axis in (top, ax):
                axis.axvline(x[i] - 0.5, color="black", linestyle=":", linewidth=0.8)
    for xi, v in zip(x, tot):
        top.annotate(_thousands(v, None), (xi, v), xytext=(0, 7), textcoords="offset points", ha="center", fontsize=8)
    top.set_ylim(0, max(tot + [1]) * 1.35)
    top.set_ylabel(_wrap(AXIS["participants"], 22), fontsize=9)
    top.yaxis.set_major_formatter(FuncFormatter(_thousands))
    top.set_title(TITLES["propaganda_by_year"])
    for i, g in enumerate(groups):
        vals = [int(ld.at[(p, g), H["propaganda_sessions"]]) for p in periods]
        bars = ax.bar([v + (i - (n - 1) / 2) * width for v in x], vals, width, label=g, **_bar_kw(i + 1))
        _label_bars(ax, bars)
    ax.set_xticks(x, [_wrap(p, 14) for p in periods])
    for i, p in enumerate(periods):   # said beside the point itself: a note under the chart meets the legend
        if p in partial:
            top.annotate(_wrap(PARTIAL_NOTE.format(months=partial[p]), 22), (x[i], tot[i]), xytext=(0, -10),
                         textcoords="offset points", ha="center", va="top", fontsize=8, style="italic")
    ax.set_ylabel(AXIS["sessions"])
    ax.yaxis.set_major_formatter(FuncFormatter(_thousands))
    ax.set_ylim(0, ax.get_ylim()[1] * 1.1)
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = top.get_legend_handles_labels()
    _legend_below(ax, h1 + h2, l1 + l2, ncols=3)
    return _save(fig, folder, "propaganda_by_year", is_demo)[0]


CHARTS = {
    "models_by_field_group": _models_by_field_group,
    "models_by_recognition": _models_by_recognition,
    "models_recognised_replicated": _models_recognised_replicated,
    "classification_by_year": _classification_by_year,
    "reporting_status": _reporting_status,
    "propaganda_by_year": _propaganda_by_year,
}
STEMS = list(CHARTS)


def draw_all(folder: Path, secs: dict[str, Section], plan: Plan, is_demo: bool,
             stems: Iterable[str] = STEMS) -> dict[str, Path]:
    """Draw every chart of `stems` (default: all); return stem -> PNG path (SVGs are written beside them)."""
    _style()
    folder.mkdir(parents=True, exist_ok=True)
    return {stem: CHARTS[stem](folder, secs, plan, is_demo) for stem in stems}
