"""Every chart of the kit. Each function takes a tidy table and returns the matplotlib ``Axes`` it drew on.

Nothing here computes a business number: the tables come from the domain modules.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import pandas as pd
import seaborn as sns

from . import style



def _ax(ax=None, figsize=None):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize or style.FIGSIZE)
    return ax


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
