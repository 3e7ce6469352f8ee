"""Every chart of the kit. Each function takes a tidy table and returns the matplotlib ``Axes`` it drew on.

Nothing here computes a business number: the tables come from the domain modules.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import matplotlib.ticker as mticker
import pandas as pd
import seaborn as sns

from . import style



def _ax(ax=None, figsize=None):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize or style.FIGSIZE)
    return ax


def _legend_label(label: str) -> str:
    """Seaborn's size legend shows raw numbers; a reader wants 1.2m, and words without underscores."""
    try:
        value = float(label)
    except ValueError:
        return label.replace("_", " ")
    return f"{value / 1e6:,.1f}m" if value >= 1e5 else f"{value:,.0f}"


def _money_axis(axis, currency: str) -> None:
    axis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v / 1e6:,.1f}m"))
    axis.set_label_text(f"{currency} millions a year" if currency else "millions a year")


def cost_by_function(table: pd.DataFrame, currency: str = "", ax=None):
    """Horizontal bars of annual cost per function (from ``inventory.by_function``), FTE written at the end."""
    ax = _ax(ax)
    data = table.assign(label=table["function"].map(style.FUNCTION_LABELS).fillna(table["function"]))
    sns.barplot(data=data, y="label", x="annual_cost", color=style.INK, ax=ax)
    for bar, fte in zip(ax.patches, data["fte"]):
        ax.annotate(f"{fte:,.0f} FTE", (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                    xytext=(4, 0), textcoords="offset points", va="center", fontsize=9, color=style.GREY)
    _money_axis(ax.xaxis, currency)
    ax.set_ylabel("")
    ax.set_title("Annual cost by function")
    ax.margins(x=0.15)
    return ax


def judgement_distribution(counts: pd.DataFrame, ax=None):
    """Heat map of how many processes score 1-5 on each judgement (from ``inventory.judgement_counts``)."""
    ax = _ax(ax, (9.0, 3.6))
    grid = counts.pivot(index="judgement", columns="score", values="processes")
    grid.index = [i.replace("_", " ").capitalize() for i in grid.index]
    sns.heatmap(grid, annot=True, fmt="d", cmap="Blues", cbar=False, linewidths=0.5, ax=ax)
    ax.set_xlabel("score (1 = low, 5 = high)")
    ax.set_ylabel("")
    ax.set_title("How the processes were judged")
    return ax


def cost_pareto(concentration: pd.DataFrame, currency: str = "", share: float = 0.8, ax=None):
    """Bars of each process's cost, costliest first, with the cumulative share as a line (a Pareto chart)."""
    ax = _ax(ax)
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
    return ax


def outsourceability_map(classified: pd.DataFrame, retain_threshold: float = 4, outsource_min_score: float = 50,
                         ax=None):
    """Strategic importance (x, jittered so equal scores do not hide each other) against outsourceability (y);
    bubble size is annual cost and colour the recommendation. The lines are the retain threshold and the
    minimum outsourceability; the quadrants are labelled."""
    ax = _ax(ax, (9.5, 6.0))
    rng = np.random.default_rng(0)  # fixed jitter: the same chart on every run
    data = classified.assign(x=classified["strategic_importance"] + rng.uniform(-0.28, 0.28, len(classified)))
    sns.scatterplot(data=data, x="x", y="outsourceability", size="annual_cost", sizes=(30, 900),
                    hue="recommendation", palette=style.RECOMMENDATION_COLOURS,
                    hue_order=[r for r in style.RECOMMENDATION_COLOURS if r in set(data["recommendation"])],
                    alpha=0.75, edgecolor="white", linewidth=0.6, ax=ax, legend="brief")
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
    ax.legend(handles, [_legend_label(lbl) for lbl in labels], loc="center left", bbox_to_anchor=(1.01, 0.5),
              fontsize=9)
    ax.set_title("Which processes can leave the building")
    return ax


def fte_by_function_and_type(classified: pd.DataFrame, ax=None):
    """Heat map of FTE by function (rows) and BPO type (columns)."""
    ax = _ax(ax, (7.5, 5.0))
    grid = classified.pivot_table(index="function", columns="bpo_type", values="fte", aggfunc="sum",
                                  fill_value=0, observed=True)
    grid = grid.reindex(columns=[t for t in style.BPO_TYPE_LABELS if t in grid.columns])
    grid.index = [style.FUNCTION_LABELS.get(i, i) for i in grid.index]
    grid.columns = [style.BPO_TYPE_LABELS[c] for c in grid.columns]
    sns.heatmap(grid, annot=True, fmt=",.0f", cmap="Blues", cbar=False, linewidths=0.5, ax=ax)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_title("FTE by function and BPO type")
    return ax


def cost_by_recommendation(spend: pd.DataFrame, currency: str = "", ax=None):
    """Bars of annual cost per recommendation (from ``classification.addressable_spend``), FTE and share
    written on each bar."""
    ax = _ax(ax, (8.0, 3.8))
    sns.barplot(data=spend, x="recommendation", y="annual_cost", hue="recommendation",
                palette=style.RECOMMENDATION_COLOURS, legend=False, ax=ax)
    for bar, (_, r) in zip(ax.patches, spend.iterrows()):
        ax.annotate(f"{r['fte']:,.0f} FTE · {r['cost_share']:.0%}", (bar.get_x() + bar.get_width() / 2,
                    bar.get_height()), xytext=(0, 3), textcoords="offset points", ha="center", fontsize=9)
    _money_axis(ax.yaxis, currency)
    ax.set_xlabel("")
    ax.margins(y=0.15)
    ax.set_title("Annual cost addressed by each recommendation")
    return ax
