"""Every chart of the kit. Each function takes a tidy table and returns the matplotlib ``Axes`` it drew on.

Nothing here computes a business number: the tables come from the domain modules. Colours and fonts come from
``style``. A table with no rows gives an empty chart that says so, never an error.
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from . import style

NOTHING_TO_SHOW = "nothing to show"


def _ax(ax=None, figsize=None):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize or style.FIGSIZE)
    return ax


def _nothing(ax, title: str):
    """An empty chart that says it is empty, for a table with no rows."""
    ax.set_title(title)
    ax.text(0.5, 0.5, NOTHING_TO_SHOW, ha="center", va="center", color=style.GREY, transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    return ax


def _legend_label(label: str) -> str:
    """Seaborn's size legend shows raw numbers; a reader wants 1.2m, and words without underscores."""
    try:
        value = float(label)
    except ValueError:
        return label.replace("_", " ")
    return f"{value / 1e6:,.1f}m" if value >= 1e5 else f"{value:,.0f}"


class MoneyFormatter(mticker.Formatter):
    """Tick labels of money: ``0.75m``, ``120k``, with as many decimals as it takes for every label on the axis
    to differ from its neighbours (never "0.7m 0.7m 0.8m")."""

    def __init__(self, scale: str = "auto") -> None:
        self.scale = scale

    def _unit(self, values) -> tuple[float, str]:
        top = max((abs(v) for v in values), default=0.0)
        if self.scale == "m" or (self.scale == "auto" and top >= 1e6):
            return 1e6, "m"
        if self.scale == "k" or (self.scale == "auto" and top >= 1e3):
            return 1e3, "k"
        return 1.0, ""

    def format_ticks(self, values):
        values = list(values)
        size, suffix = self._unit(values)
        ordered = sorted(values)
        step = min((b - a for a, b in zip(ordered, ordered[1:], strict=False) if b > a), default=size)
        for digits in range(4):
            labels = [f"{v / size:,.{digits}f}{suffix}" for v in values]
            # distinct, and each label close to its tick (2,500 is not "2k")
            close = all(abs(round(v / size, digits) * size - v) <= 0.01 * step for v in values)
            if len(set(labels)) == len(labels) and close:
                break
        return [lbl.replace("-0" + suffix, "0" + suffix) if lbl.strip("-0.") == suffix else lbl for lbl in labels]

    def __call__(self, x, pos=None):
        locs = list(getattr(self.axis, "get_majorticklocs", lambda: [])()) if self.axis is not None else []
        labels = self.format_ticks(locs or [x])
        if locs and x in locs:
            return labels[locs.index(x)]
        size, suffix = self._unit(locs or [x])
        return f"{x / size:,.2f}{suffix}"


def _money_axis(axis, currency: str, per: str = "a year") -> None:
    axis.set_major_formatter(MoneyFormatter())
    axis.set_label_text(" ".join(p for p in (currency, per) if p) or "amount")


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _money_text(value: float, currency: str = "") -> str:
    size, suffix = (1e6, "m") if abs(value) >= 1e6 else ((1e3, "k") if abs(value) >= 1e3 else (1.0, ""))
    return f"{currency} {value / size:,.1f}{suffix}".strip()


def cost_by_function(table: pd.DataFrame, currency: str = "", ax=None):
    """Horizontal bars of annual cost per function (from ``inventory.by_function``), FTE written at the end."""
    ax = _ax(ax)
    if table.empty:
        return _nothing(ax, "Annual cost by function")
    data = table.assign(label=table["function"].map(style.FUNCTION_LABELS).fillna(table["function"]))
    sns.barplot(data=data, y="label", x="annual_cost", color=style.INK, ax=ax)
    for bar, fte in zip(ax.patches, data["fte"], strict=False):
        ax.annotate(
            f"{fte:,.0f} FTE",
            (bar.get_width(), bar.get_y() + bar.get_height() / 2),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
            color=style.GREY,
        )
    _money_axis(ax.xaxis, currency)
    ax.set_ylabel("")
    ax.set_title("Annual cost by function")
    ax.margins(x=0.15)
    top = data.sort_values("annual_cost", ascending=False).iloc[0]
    style.describe(
        ax,
        f"Bar chart of annual cost by function for {len(data)} functions; the costliest is {top['label']} at "
        f"{_money_text(top['annual_cost'], currency)} a year ({top['fte']:,.0f} FTE).",
    )
    return ax


def judgement_distribution(counts: pd.DataFrame, ax=None):
    """Heat map of how many processes score 1-5 on each judgement (from ``inventory.judgement_counts``)."""
    ax = _ax(ax, (9.0, 3.6))
    if counts.empty:
        return _nothing(ax, "How the processes were judged")
    grid = counts.pivot(index="judgement", columns="score", values="processes")
    grid.index = [i.replace("_", " ").capitalize() for i in grid.index]
    sns.heatmap(grid, annot=True, fmt="d", cmap="Blues", cbar=False, linewidths=0.5, ax=ax)
    ax.set_xlabel("score (1 = low, 5 = high)")
    ax.set_ylabel("")
    ax.set_title("How the processes were judged")
    style.describe(
        ax,
        f"Heat map of how many processes scored 1 to 5 on each of {len(grid)} judgements "
        f"({', '.join(map(str, grid.index))}).",
    )
    return ax


def cost_pareto(concentration: pd.DataFrame, currency: str = "", share: float = 0.8, ax=None):
    """Bars of each process's cost, costliest first, with the cumulative share as a line (a Pareto chart)."""
    ax = _ax(ax)
    if concentration.empty:
        return _nothing(ax, "Cost concentration")
    ax.bar(concentration["rank"], concentration["annual_cost"], color=style.INK, width=0.85)
    _money_axis(ax.yaxis, currency)
    ax.set_xlabel("processes, costliest first")
    twin = ax.twinx()
    twin.plot(concentration["rank"], concentration["cumulative_share"], color=style.ACCENT, lw=2)
    twin.axhline(share, color=style.GREY, lw=1, ls="--")
    twin.yaxis.set_major_formatter(mticker.PercentFormatter(1.0))
    twin.set_ylim(0, 1.02)
    twin.grid(False)
    twin.set_ylabel("cumulative share of cost")
    ax.set_title("Cost concentration")
    reach = concentration[concentration["cumulative_share"] >= share]
    many = int(reach["rank"].iloc[0]) if len(reach) else len(concentration)
    style.describe(
        ax,
        f"Pareto chart of the annual cost of {len(concentration)} processes, costliest first, with their "
        f"cumulative share of cost; {many} processes make up {share:.0%} of the cost.",
    )
    return ax


def outsourceability_map(
    classified: pd.DataFrame, retain_threshold: float = 4, outsource_min_score: float = 50, ax=None
):
    """Strategic importance (x, jittered so equal scores do not hide each other) against outsourceability (y);
    bubble size is annual cost and colour the recommendation. The lines are the retain threshold and the
    minimum outsourceability; the quadrants are labelled."""
    ax = _ax(ax, (9.5, 6.0))
    if classified.empty:
        return _nothing(ax, "Which processes can leave the building")
    rng = np.random.default_rng(0)  # fixed jitter: the same chart on every run
    data = classified.assign(x=classified["strategic_importance"] + rng.uniform(-0.28, 0.28, len(classified)))
    sns.scatterplot(
        data=data,
        x="x",
        y="outsourceability",
        size="annual_cost",
        sizes=(30, 900),
        hue="recommendation",
        palette=style.RECOMMENDATION_COLOURS,
        hue_order=[r for r in style.RECOMMENDATION_COLOURS if r in set(data["recommendation"])],
        alpha=0.75,
        edgecolor="white",
        linewidth=0.6,
        ax=ax,
        legend="brief",
    )
    ax.axvline(retain_threshold - 0.5, color=style.GREY, ls="--", lw=1)
    ax.axhline(outsource_min_score, color=style.GREY, ls="--", lw=1)
    ax.set_xlim(0.5, 5.5)
    ax.set_ylim(-2, 102)
    ax.set_xticks(range(1, 6))
    ax.set_xlabel("strategic importance (5 = core competency)")
    ax.set_ylabel("outsourceability (0-100)")
    box = dict(fontsize=9, color="#444444", style="italic")
    ax.text(0.6, 99, "non-core, easy to move:\noutsource or automate", va="top", **box)
    ax.text(0.6, 1, "non-core but hard to move:\npilot under client control", va="bottom", **box)
    ax.text(5.4, 99, "core competency:\nretain", va="top", ha="right", **box)
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(
        handles, [_legend_label(lbl) for lbl in labels], loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=9
    )
    ax.set_title("Which processes can leave the building")
    counts = data["recommendation"].value_counts()
    style.describe(
        ax,
        f"Bubble chart of {len(data)} processes: strategic importance (1-5) across, outsourceability (0-100) "
        "up, bubble size the annual cost, colour the recommendation ("
        + ", ".join(f"{n} {r}" for r, n in counts.items())
        + ").",
    )
    return ax


def fte_by_function_and_type(classified: pd.DataFrame, ax=None):
    """Heat map of FTE by function (rows) and BPO type (columns)."""
    ax = _ax(ax, (7.5, 5.0))
    if classified.empty:
        return _nothing(ax, "FTE by function and BPO type")
    grid = classified.pivot_table(
        index="function", columns="bpo_type", values="fte", aggfunc="sum", fill_value=0, observed=True
    )
    grid = grid.reindex(columns=[t for t in style.BPO_TYPE_LABELS if t in grid.columns])
    grid.index = [style.FUNCTION_LABELS.get(i, i) for i in grid.index]
    grid.columns = [style.BPO_TYPE_LABELS[c] for c in grid.columns]
    sns.heatmap(grid, annot=True, fmt=",.0f", cmap="Blues", cbar=False, linewidths=0.5, ax=ax)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_title("FTE by function and BPO type")
    style.describe(
        ax,
        f"Heat map of FTE by function ({len(grid)} rows) and BPO type ({', '.join(grid.columns)}); "
        f"{grid.to_numpy().sum():,.0f} FTE in all.",
    )
    return ax


def cost_by_recommendation(spend: pd.DataFrame, currency: str = "", ax=None):
    """Bars of annual cost per recommendation (from ``classification.addressable_spend``), FTE and share
    written on each bar."""
    ax = _ax(ax, (8.0, 3.8))
    if spend.empty:
        return _nothing(ax, "Annual cost addressed by each recommendation")
    sns.barplot(
        data=spend,
        x="recommendation",
        y="annual_cost",
        hue="recommendation",
        palette=style.RECOMMENDATION_COLOURS,
        legend=False,
        ax=ax,
    )
    for bar, (_, r) in zip(ax.patches, spend.iterrows(), strict=False):
        ax.annotate(
            f"{r['fte']:,.0f} FTE · {r['cost_share']:.0%}",
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            fontsize=9,
        )
    _money_axis(ax.yaxis, currency)
    ax.set_xlabel("")
    ax.margins(y=0.15)
    ax.set_title("Annual cost addressed by each recommendation")
    style.describe(
        ax,
        "Bar chart of annual cost by recommendation: "
        + "; ".join(
            f"{r['recommendation']} {_money_text(r['annual_cost'], currency)} ({r['fte']:,.0f} FTE)"
            for _, r in spend.iterrows()
        )
        + ".",
    )
    return ax


def location_scorecard(summary: pd.DataFrame, currency: str = "", ax=None):
    """Each location's mean fit for the processes to be moved (x) against the provider's mean price per FTE
    there (y), coloured by tier; cheaper is lower, better fit is further right."""
    ax = _ax(ax, (8.5, 5.0))
    data = summary.dropna(subset=["price_per_fte"])
    if data.empty:
        return _nothing(ax, "Locations: cost against fit")
    sns.scatterplot(
        data=data,
        x="mean_fit_score",
        y="price_per_fte",
        hue="tier",
        palette=style.TIER_COLOURS,
        hue_order=[t for t in style.TIER_COLOURS if t in set(data["tier"])],
        s=160,
        ax=ax,
    )
    # labels of points close together are stacked downwards instead of printed on top of each other
    span_x = 1.05
    span_y = max(float(data["price_per_fte"].max()), 1.0)
    placed: list[tuple[float, float]] = []
    for r in data.sort_values(["price_per_fte", "mean_fit_score"], ascending=False).itertuples():
        x, y = float(r.mean_fit_score) / span_x, float(r.price_per_fte) / span_y
        near = sum(1 for px, py in placed if abs(px - x) < 0.08 and abs(py - y) < 0.06)
        placed.append((x, y))
        ax.annotate(
            r.country,
            (r.mean_fit_score, r.price_per_fte),
            xytext=(7, 3 - 11 * near),
            textcoords="offset points",
            fontsize=10,
            weight="bold",
        )
    ax.yaxis.set_major_formatter(MoneyFormatter())
    ax.set_ylabel(f"provider price per FTE-year ({currency})")
    ax.set_xlabel("mean fit score for the processes to be moved (0-1)")
    ax.set_xlim(0, 1.05)
    ax.set_ylim(bottom=0)
    ax.legend(title="tier")
    ax.set_title("Locations: cost against fit")
    cheapest = data.sort_values("price_per_fte").iloc[0]
    style.describe(
        ax,
        f"Scatter chart of {len(data)} locations: mean fit score (0-1) across, provider price per FTE-year up, "
        f"colour the tier; the cheapest is {cheapest['country']} at {_money_text(cheapest['price_per_fte'], currency)} "
        f"per FTE-year with a fit of {cheapest['mean_fit_score']:.2f}.",
    )
    return ax


def overlap_heatmap(profile: pd.DataFrame, ax=None):
    """Hours of working-day overlap between the client and each hub in January and July (daylight saving
    moves them), with the tier in the row label."""
    ax = _ax(ax, (6.0, 0.45 * len(profile) + 1.2))
    if profile.empty:
        return _nothing(ax, "Working-day overlap with the client (hours)")
    grid = profile.set_index("country")[["overlap_jan", "overlap_jul"]]
    grid.index = [f"{c} ({t})" for c, t in zip(profile["country"], profile["tier"], strict=False)]
    grid.columns = ["January", "July"]
    sns.heatmap(
        grid,
        annot=True,
        fmt=".1f",
        cmap="Blues",
        vmin=0,
        vmax=max(9, grid.values.max()),
        cbar=False,
        linewidths=0.5,
        ax=ax,
    )
    ax.set_ylabel("")
    ax.set_title("Working-day overlap with the client (hours)")
    style.describe(
        ax,
        f"Heat map of the hours of working-day overlap between the client and {len(grid)} locations in January and "
        f"July; from {grid.to_numpy().min():.1f} to {grid.to_numpy().max():.1f} hours.",
    )
    return ax


def savings_waterfall(steps: pd.DataFrame, currency: str = "", ax=None):
    """From gross labour arbitrage (first bar) down through each hidden cost to net savings (last bar)."""
    ax = _ax(ax, (9.5, 4.8))
    if steps.empty:
        return _nothing(ax, "From labour arbitrage to net savings")
    running, bottoms, heights, colours = 0.0, [], [], []
    last = len(steps) - 1
    for i, r in enumerate(steps.itertuples()):
        if i in (0, last):
            bottoms.append(0.0)
            heights.append(r.amount)
            colours.append(style.INK)
            running = r.amount
        else:
            running += r.amount
            bottoms.append(running)
            heights.append(-r.amount)
            colours.append(style.NEGATIVE)
    labels = [textwrap_label(s) for s in steps["step"]]
    ax.bar(range(len(steps)), heights, bottom=bottoms, color=colours, width=0.7)
    for i, (b, h) in enumerate(zip(bottoms, heights, strict=False)):
        ax.annotate(f"{h / 1e6:,.1f}m", (i, b + h), xytext=(0, 3), textcoords="offset points", ha="center", fontsize=9)
    ax.set_xticks(range(len(steps)), labels, fontsize=9)
    _money_axis(ax.yaxis, currency, "over the contract")
    ax.set_title("From labour arbitrage to net savings")
    first, final = steps.iloc[0], steps.iloc[-1]
    style.describe(
        ax,
        f"Waterfall chart over the contract: from {_short(str(first['step']))} of "
        f"{_money_text(first['amount'], currency)} down through {len(steps) - 2} hidden costs to "
        f"{_short(str(final['step']))} of {_money_text(final['amount'], currency)}.",
    )
    return ax


def textwrap_label(text: str, width: int = 14) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text.split(" (")[0], width))


def tornado(table: pd.DataFrame, currency: str = "", ax=None):
    """NPV of the recommended plan as each assumption moves from its low to its high value, widest swing on
    top; the line is the base case."""
    ax = _ax(ax, (9.0, 0.42 * len(table) + 1.5))
    if table.empty:
        return _nothing(ax, "What moves the NPV")
    t = table.iloc[::-1].reset_index(drop=True)
    base = t["base_npv"].iloc[0]
    for i, r in t.iterrows():
        lo, hi = r["npv_at_low"], r["npv_at_high"]
        ax.barh(i, lo - base, left=base, color=style.NEGATIVE if lo < base else style.INK, height=0.6)
        ax.barh(i, hi - base, left=base, color=style.NEGATIVE if hi < base else style.INK, height=0.6)
    ax.set_yticks(range(len(t)), [style.label(a) for a in t["assumption"]], fontsize=9)
    ax.axvline(base, color=style.GREY, lw=1)
    _money_axis(ax.xaxis, currency, "")
    ax.xaxis.label.set_text(f"NPV{', ' + currency if currency else ''} (red: below the base case)")
    ax.set_title("What moves the NPV")
    widest = table.iloc[0]
    style.describe(
        ax,
        f"Tornado chart of the plan's NPV as each of {len(table)} assumptions moves from its low to its high value, "
        f"around a base case of {_money_text(base, currency)}; the widest swing is "
        f"{style.label(widest['assumption'])}, from {_money_text(widest['npv_at_low'], currency)} to "
        f"{_money_text(widest['npv_at_high'], currency)}.",
    )
    return ax


def npv_distribution(draws: pd.Series, summary: pd.Series, currency: str = "", ax=None):
    """Histogram of the Monte Carlo NPV draws of the plan, with P10, P50 and P90 marked."""
    ax = _ax(ax, (8.5, 4.0))
    if draws.empty:
        return _nothing(ax, "Monte Carlo: how sure is the NPV?")
    sns.histplot(draws, bins=50, color=style.INK, ax=ax)
    for q, ls in (("npv_p10", ":"), ("npv_p50", "-"), ("npv_p90", ":")):
        ax.axvline(summary[q], color=style.ACCENT, ls=ls, lw=2)
        ax.annotate(
            q.split("_")[1].upper(),
            (summary[q], ax.get_ylim()[1] * 0.95),
            xytext=(3, 0),
            textcoords="offset points",
            color=style.ACCENT,
            fontsize=9,
        )
    _money_axis(ax.xaxis, currency, "")
    ax.xaxis.label.set_text(f"NPV of the plan{', ' + currency if currency else ''}")
    ax.set_ylabel("draws")
    ax.set_title("Monte Carlo: how sure is the NPV?")
    style.describe(
        ax,
        f"Histogram of {len(draws):,} simulated NPVs of the plan: P10 {_money_text(summary['npv_p10'], currency)}, "
        f"P50 {_money_text(summary['npv_p50'], currency)}, P90 {_money_text(summary['npv_p90'], currency)}.",
    )
    return ax


def location_ranges(mc: pd.DataFrame, tiers: pd.Series, currency: str = "", ax=None):
    """P10-P90 range (line) and P50 (dot) of each location's NPV if every fitting, priced process went there."""
    ax = _ax(ax, (8.5, 0.5 * len(mc) + 1.5))
    if mc.empty:
        return _nothing(ax, "Each location on its own")
    m = mc.sort_values("npv_p50").reset_index(drop=True)
    for i, r in m.iterrows():
        colour = style.TIER_COLOURS.get(tiers.get(r["group"], ""), style.GREY)
        ax.plot([r["npv_p10"], r["npv_p90"]], [i, i], color=colour, lw=4, solid_capstyle="round")
        ax.plot(r["npv_p50"], i, "o", color="white", mec=colour, mew=2, ms=8)
    ax.set_yticks(range(len(m)), [f"{g} ({tiers.get(g, '')})" for g in m["group"]])
    ax.axvline(0, color=style.GREY, lw=1)
    _money_axis(ax.xaxis, currency, "")
    ax.xaxis.label.set_text(f"NPV{', ' + currency if currency else ''} (P10 to P90, dot = P50)")
    ax.set_title("Each location on its own")
    best = m.iloc[-1]
    style.describe(
        ax,
        f"Range chart of the NPV (P10 to P90, dot the P50) if every fitting process went to one location, for "
        f"{len(m)} locations; the highest P50 is {best['group']} at {_money_text(best['npv_p50'], currency)}.",
    )
    return ax


CRITERION_COLOURS = sns.color_palette("tab10", 8).as_hex()  # criteria read apart from the kit's series colours


def provider_scores(contributions: pd.DataFrame, ax=None):
    """Stacked bars: each qualified provider's weighted score (1-5) split by criterion, best on top."""
    ax = _ax(ax, (9.0, 0.6 * contributions["provider"].nunique() + 1.8))
    if contributions.empty:
        return _nothing(ax, "Weighted score by criterion")
    grid = contributions.pivot_table(
        index="provider", columns="criterion", values="contribution", aggfunc="sum", sort=False
    )
    grid = grid.loc[grid.sum(axis=1).sort_values().index]
    left = np.zeros(len(grid))
    for colour, criterion in zip(CRITERION_COLOURS, grid.columns, strict=False):
        ax.barh(grid.index, grid[criterion], left=left, color=colour, label=criterion.replace("_", " "), height=0.6)
        left += grid[criterion].to_numpy()
    for y, total in enumerate(left):
        ax.annotate(
            f"{total:.2f}",
            (total, y),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
            weight="bold",
        )
    ax.set_xlim(0, 5.4)
    ax.set_xlabel("weighted score (1-5)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=4, fontsize=9)
    ax.set_title("Weighted score by criterion")
    style.describe(
        ax,
        f"Stacked bar chart of the weighted score (1-5) of {len(grid)} qualified providers split by criterion; "
        f"{grid.index[-1]} scores highest at {left[-1]:.2f}.",
    )
    return ax


def provider_profiles(ranking: pd.DataFrame, criteria: list[str], ax=None):
    """Heat map of every provider's 1-5 score on each criterion (disqualified providers marked)."""
    ax = _ax(ax, (9.0, 0.5 * len(ranking) + 1.6))
    if ranking.empty:
        return _nothing(ax, "Provider profiles across the criteria")
    grid = ranking.set_index("provider")[criteria].astype(float)
    grid.index = [
        p if q else f"{p} (disqualified)" for p, q in zip(ranking["provider"], ranking["qualified"], strict=False)
    ]
    grid.columns = [style.label(c) for c in criteria]
    sns.heatmap(grid, annot=True, fmt=".1f", cmap="Blues", vmin=1, vmax=5, cbar=False, linewidths=0.5, ax=ax)
    ax.set_ylabel("")
    ax.tick_params(axis="x", labelsize=9, labelrotation=30)
    ax.set_title("Provider profiles across the criteria")
    style.describe(
        ax,
        f"Heat map of {len(grid)} providers' scores (1-5) on {len(criteria)} criteria "
        f"({', '.join(grid.columns)}); disqualified providers are marked.",
    )
    return ax


def win_shares(shares: pd.DataFrame, ax=None):
    """Share of random weightings in which each provider comes first."""
    ax = _ax(ax, (7.5, 0.5 * len(shares) + 1.4))
    if shares.empty:
        return _nothing(ax, "How robust is the ranking?")
    data = shares.sort_values("win_share")
    ax.barh(data["provider"], data["win_share"], color=style.INK, height=0.6)
    for y, v in enumerate(data["win_share"]):
        ax.annotate(f"{v:.0%}", (v, y), xytext=(4, 0), textcoords="offset points", va="center", fontsize=9)
    ax.xaxis.set_major_formatter(mticker.PercentFormatter(1.0))
    ax.set_xlim(0, 1.1)
    ax.set_xlabel("share of weightings in which the provider ranks first")
    ax.set_title("How robust is the ranking?")
    top = data.iloc[-1]
    style.describe(
        ax,
        f"Bar chart of how often each of {len(data)} providers ranks first under random weightings; "
        f"{top['provider']} wins {top['win_share']:.0%} of them.",
    )
    return ax


def risk_heatmap(register: pd.DataFrame, ax=None):
    """The 5x5 risk matrix: likelihood across, impact up; each risk written in its cell."""
    ax = _ax(ax, (8.0, 6.0))
    if register.empty:
        return _nothing(ax, "Risk matrix")
    colours = np.array([[(li * im) for li in range(1, 6)] for im in range(1, 6)], dtype=float)
    ax.imshow(colours, origin="lower", cmap="RdYlGn_r", alpha=0.45, extent=(0.5, 5.5, 0.5, 5.5), vmin=1, vmax=25)
    cells: dict[tuple[int, int], list[str]] = {}
    for r in register.itertuples():
        cells.setdefault((r.likelihood, r.impact), []).append(r.label)
    for (li, im), labels in cells.items():
        ax.text(li, im, "\n".join(textwrap_label(lbl, 16) for lbl in labels), ha="center", va="center", fontsize=8)
    ax.set_xticks(range(1, 6))
    ax.set_yticks(range(1, 6))
    ax.set_xlim(0.5, 5.5)
    ax.set_ylim(0.5, 5.5)
    ax.grid(False)
    for k in np.arange(1.5, 5.5):
        ax.axhline(k, color="white", lw=1)
        ax.axvline(k, color="white", lw=1)
    ax.set_xlabel("likelihood (1 = rare, 5 = almost certain)")
    ax.set_ylabel("impact (1 = minor, 5 = severe)")
    ax.set_title("Risk matrix")
    worst = register.assign(_score=register["likelihood"] * register["impact"]).sort_values("_score").iloc[-1]
    style.describe(
        ax,
        f"Risk matrix of {len(register)} risks by likelihood (1-5, across) and impact (1-5, up); the highest is "
        f"{worst['label']} (likelihood {worst['likelihood']}, impact {worst['impact']}).",
    )
    return ax


def kpi_trends(status: pd.DataFrame, ax=None):
    """Small multiples: each KPI's monthly actual per provider (lines) against its target (dashed).

    ``ax`` is where to draw: one ``Axes`` (its place is divided into small charts, three a row) or a sequence of
    at least as many ``Axes`` as there are KPIs. Returns the ``Axes`` drawn on, one row of the grid per row."""
    kpis = list(dict.fromkeys(status["kpi"]))
    if not kpis:
        return _nothing(_ax(ax), "KPI trends")
    cols = min(3, len(kpis))
    rows = int(np.ceil(len(kpis) / cols))
    fig: Any
    if ax is None:
        fig, grid = plt.subplots(rows, cols, figsize=(11.0, 2.8 * rows), squeeze=False)
    elif isinstance(ax, Axes):
        fig, spec = ax.get_figure(), ax.get_subplotspec()
        if spec is None or fig is None:
            raise ValueError("kpi_trends: the Axes given must come from plt.subplots (it is divided into a grid)")
        ax.remove()
        cells = spec.subgridspec(rows, cols)
        grid = np.array([[fig.add_subplot(cells[r, c]) for c in range(cols)] for r in range(rows)], dtype=object)
    else:
        grid = np.asarray(ax, dtype=object)
        if grid.size < len(kpis):
            raise ValueError(f"kpi_trends: {len(kpis)} KPIs need {len(kpis)} Axes; {grid.size} were given")
        fig = grid.flat[0].get_figure()
    axes = list(grid.flat)
    providers = sorted(status["provider"].unique())
    palette = dict(zip(providers, style.series_colours(len(providers)), strict=True))
    for axis, kpi in zip(axes, kpis, strict=False):
        k = status[status["kpi"] == kpi]
        for p in providers:
            kp = k[k["provider"] == p]
            axis.plot(kp["month"], kp["actual"], marker="o", ms=3, color=palette[p], label=p)
            axis.plot(kp["month"], kp["target"], ls="--", lw=1, color=palette[p], alpha=0.7)
        unit = k["unit"].iloc[0] if "unit" in k and len(k) else ""
        axis.set_title(style.label(kpi) + (f" ({unit})" if unit else ""), fontsize=10)
        # at most six month labels a chart, big enough to read
        axis.xaxis.set_major_locator(mticker.MaxNLocator(6, integer=True))
        axis.tick_params(axis="x", labelrotation=45, labelsize=9)
        axis.tick_params(axis="y", labelsize=9)
        style.describe(
            axis,
            f"{style.label(kpi)}: monthly actual of {len(providers)} providers against the target (dashed), "
            f"{k['month'].min()} to {k['month'].max()}.",
        )
    for axis in axes[len(kpis) :]:
        axis.set_visible(False)
    handles, labels = axes[0].get_legend_handles_labels()
    ncol = min(len(providers), 6)
    fig.legend(handles, labels, loc="lower center", ncol=ncol, fontsize=9, bbox_to_anchor=(0.5, -0.02))
    return grid


def credits_by_month(credits: pd.DataFrame, currency: str = "", ax=None):
    """Service credits earned each month, stacked by provider."""
    ax = _ax(ax, (9.0, 3.6))
    if credits.empty:
        return _nothing(ax, "Service credits earned")
    grid = credits.pivot_table(index="month", columns="provider", values="credit", aggfunc="sum", fill_value=0)
    bottom = np.zeros(len(grid))
    for colour, p in zip(style.series_colours(len(grid.columns)), grid.columns, strict=True):
        ax.bar(grid.index, grid[p], bottom=bottom, color=colour, label=p)
        bottom += grid[p].to_numpy()
    ax.yaxis.set_major_formatter(MoneyFormatter())
    ax.set_ylabel(f"credit a month ({currency})" if currency else "credit a month")
    ax.xaxis.set_major_locator(mticker.MaxNLocator(12, integer=True))
    ax.tick_params(axis="x", labelrotation=45, labelsize=9)
    ax.legend(fontsize=9)
    ax.set_title("Service credits earned")
    style.describe(
        ax,
        f"Stacked bar chart of service credits earned each month by {len(grid.columns)} providers, "
        f"{grid.index.min()} to {grid.index.max()}; {_money_text(float(grid.to_numpy().sum()), currency)} in all.",
    )
    return ax


def realised_vs_expected(savings: pd.DataFrame, currency: str = "", ax=None):
    """Cumulative realised savings against what the business case expects for the same months."""
    ax = _ax(ax, (9.0, 3.8))
    if savings.empty:
        return _nothing(ax, "Realised savings against the business case")
    ax.plot(
        savings["month"],
        savings["cumulative_realised"],
        color=style.INK,
        lw=2,
        marker="o",
        ms=3,
        label="realised (cost savings KPI)",
    )
    ax.plot(savings["month"], savings["cumulative_expected"], color=style.ACCENT, lw=2, ls="--", label="business case")
    _money_axis(ax.yaxis, currency, "cumulative")
    ax.xaxis.set_major_locator(mticker.MaxNLocator(12, integer=True))
    ax.tick_params(axis="x", labelrotation=45, labelsize=9)
    ax.legend(fontsize=9)
    ax.set_title("Realised savings against the business case")
    last = savings.iloc[-1]
    style.describe(
        ax,
        f"Line chart of cumulative realised savings against the business case, month by month to "
        f"{last['month']}: {_money_text(last['cumulative_realised'], currency)} realised against "
        f"{_money_text(last['cumulative_expected'], currency)} expected.",
    )
    return ax


def cash_curve(curve: pd.DataFrame, currency: str = "", ax=None):
    """The J-curve of a plan: bars of each contract year's net cash (``year``, ``net``) and the line of the
    running total (``cumulative``); where the line crosses zero the plan has paid for itself."""
    ax = _ax(ax, (8, 4.2))
    if curve.empty:
        return _nothing(ax, "Cash year by year (base case)")
    colours = [style.INK if v >= 0 else style.NEGATIVE for v in curve["net"]]
    ax.bar(curve["year"], curve["net"], color=colours, width=0.6, label="net cash in the year")
    ax.plot(curve["year"], curve["cumulative"], marker="o", color=style.SERIES_COLOURS[2], label="cumulative")
    ax.axhline(0, color="grey", lw=0.8)
    ax.set_xticks(curve["year"], [f"year {int(y)}" for y in curve["year"]])
    _money_axis(ax.yaxis, currency)
    ax.set_title("Cash year by year (base case)")
    ax.legend(frameon=False, fontsize=8)
    turns = curve.loc[curve["cumulative"] >= 0, "year"]
    paid = f"the running total turns positive in year {int(turns.iloc[0])}" if len(turns) else "it never turns positive"
    last = style.millions(float(curve["cumulative"].iloc[-1]), currency)
    return style.describe(
        ax, f"Net cash of the plan in each contract year with its running total: {paid}, ending at {last}."
    )


def roadmap_gantt(road: pd.DataFrame, ax=None):
    """The roadmap as a Gantt chart: one row per tower (``tower``, grouped by ``wave``), a bar per ``phase``
    (transition, parallel run, ramp-up) from ``start_month`` to ``end_month``; go-live is where the transition
    bar ends."""
    rows = road["tower"].nunique() if len(road) else 1
    ax = _ax(ax, (9.0, max(2.6, 0.55 * rows + 1.4)))
    if road.empty:
        return _nothing(ax, "Roadmap: towers in waves")
    order = list(dict.fromkeys(road.sort_values(["wave", "start_month"], kind="stable")["tower"]))
    y = {t: i for i, t in enumerate(order)}
    colours = {"transition": style.INK, "parallel run": style.ACCENT, "ramp-up": "#B0B4BA"}
    heights = {"transition": 0.6, "parallel run": 0.3, "ramp-up": 0.35}
    for phase in ("ramp-up", "transition", "parallel run"):
        part = road[road["phase"] == phase]
        if part.empty:
            continue
        ax.barh(
            [y[t] for t in part["tower"]],
            part["end_month"] - part["start_month"],
            left=part["start_month"],
            height=heights.get(phase, 0.6),
            color=colours.get(phase, style.GREY),
            label=phase,
        )
    waves = road.drop_duplicates("tower").set_index("tower")["wave"]
    ax.set_yticks(range(len(order)), [f"wave {int(waves[t])}: {t}" for t in order])
    ax.invert_yaxis()
    ax.set_xlabel("months from contract signature")
    ax.set_xlim(0, float(road["end_month"].max()) * 1.02)
    ax.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3)
    ax.set_title("Roadmap: towers in waves")
    end = int(road["end_month"].max())
    return style.describe(
        ax,
        f"Roadmap of {len(order)} towers in {int(road['wave'].nunique())} waves: transition, parallel run and "
        f"ramp-up of each tower by month; the last tower is at steady state in month {end}.",
    )
