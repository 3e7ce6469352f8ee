"""Every chart of ``bpo_kit.plots`` on the demo assessment and on an empty table of the same shape."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes

from bpo_kit import business_case, classification, inventory, kpis, plots, providers, style
from bpo_kit.assessment import assess


@pytest.fixture(scope="session")
def demo():
    """The demo client's assessment, computed once for this file."""
    return assess()


@pytest.fixture(scope="session")
def inputs(demo) -> dict:
    """Every chart's arguments on the demo, made once."""
    return chart_inputs(demo)


@pytest.fixture(autouse=True)
def close_figures():
    style.apply()
    yield
    plt.close("all")


def chart_inputs(a) -> dict:
    """Each chart's arguments, made as the notebooks make them."""
    ranking = a.provider_ranking()
    simulation = a.simulation(plan=True)
    return {
        "cost_by_function": (inventory.by_function(a.processes), a.currency),
        "judgement_distribution": (inventory.judgement_counts(a.processes),),
        "cost_pareto": (inventory.cost_concentration(a.processes), a.currency),
        "outsourceability_map": (a.processes, a.rules.retain_threshold, a.rules.outsource_min_score),
        "fte_by_function_and_type": (a.processes,),
        "cost_by_recommendation": (classification.addressable_spend(a.processes), a.currency),
        "location_scorecard": (business_case.location_summary(a.evaluated, a.processes, a.profile), a.currency),
        "overlap_heatmap": (a.profile,),
        "savings_waterfall": (a.waterfall(), a.currency),
        "tornado": (a.tornado(), a.currency),
        "npv_distribution": (simulation.draws["recommended plan"], simulation.summary.iloc[0], a.currency),
        "location_ranges": (a.monte_carlo(), a.profile.set_index("country")["tier"], a.currency),
        "provider_scores": (providers.contributions(ranking, a.provider_weights),),
        "provider_profiles": (ranking, list(providers.CRITERIA)),
        "win_shares": (a.provider_win_shares(),),
        "risk_heatmap": (a.risk_register(),),
        "kpi_trends": (kpis.status(a.kpi_reports, a.client.config.rag_amber_tolerance),),
        "credits_by_month": (a.service_credits(), a.currency),
        "realised_vs_expected": (a.realised_savings(), a.currency),
        **({"cash_curve": (a.j_curve(), a.currency)} if hasattr(a, "j_curve") else {}),
        **({"roadmap_gantt": (a.roadmap(),)} if hasattr(a, "roadmap") else {}),
    }


CHARTS = [
    "cost_by_function",
    "judgement_distribution",
    "cost_pareto",
    "outsourceability_map",
    "fte_by_function_and_type",
    "cost_by_recommendation",
    "location_scorecard",
    "overlap_heatmap",
    "savings_waterfall",
    "tornado",
    "npv_distribution",
    "location_ranges",
    "provider_scores",
    "provider_profiles",
    "win_shares",
    "risk_heatmap",
    "kpi_trends",
    "credits_by_month",
    "realised_vs_expected",
]
# charts on their way from other branches, covered from the moment they arrive
if hasattr(plots, "cash_curve"):
    CHARTS.append("cash_curve")
if hasattr(plots, "roadmap_gantt"):
    CHARTS.append("roadmap_gantt")


def emptied(name: str, args: tuple) -> list:
    """The same arguments with no rows: empty tables keep their columns (and the NPV draws their dtype)."""
    out = [v.iloc[0:0] if isinstance(v, pd.DataFrame) else v for v in args]
    if name == "npv_distribution":
        out[0] = out[0].iloc[0:0]
    return out


def axes_of(result) -> list[Axes]:
    if isinstance(result, Axes):
        return [result]
    return [a for a in np.asarray(result).ravel() if a.get_visible()]


def drawn(ax: Axes) -> int:
    """How many things the chart drew: bars, lines, points, images and text in the data area."""
    return len(ax.patches) + len(ax.lines) + len(ax.collections) + len(ax.images) + len(ax.texts)


def test_every_public_chart_is_covered():
    public = {n for n, f in vars(plots).items() if callable(f) and getattr(f, "__module__", "") == plots.__name__}
    public -= {n for n in public if n.startswith("_")} | {"textwrap_label", "MoneyFormatter"}
    assert public == set(CHARTS)


@pytest.mark.parametrize("name", CHARTS)
def test_chart_draws_the_demo(inputs, name):
    args = inputs[name]
    result = getattr(plots, name)(*args)
    axes = axes_of(result)
    assert axes, name
    assert all(drawn(ax) > 0 for ax in axes), f"{name} drew nothing on the demo"
    assert any(ax.get_title("left") or ax.get_title() for ax in axes), f"{name} has no title"


@pytest.mark.parametrize("name", CHARTS)
def test_chart_on_an_empty_table_says_so(inputs, name):
    args = emptied(name, inputs[name])
    result = getattr(plots, name)(*args)
    axes = axes_of(result)
    assert len(axes) == 1, name
    texts = [t.get_text() for t in axes[0].texts]
    assert texts == [plots.NOTHING_TO_SHOW], name


@pytest.mark.parametrize("name", CHARTS)
def test_chart_draws_on_the_axes_it_is_given(inputs, name):
    fig, ax = plt.subplots()
    result = getattr(plots, name)(*inputs[name], ax=ax)
    assert all(a.figure is fig for a in axes_of(result)), f"{name} drew outside the axes it was given"


def test_demo_charts_show_every_category(demo):
    functions = inventory.by_function(demo.processes)
    assert len(plots.cost_by_function(functions, "USD").patches) == len(functions)
    spend = classification.addressable_spend(demo.processes)
    assert len(plots.cost_by_recommendation(spend, "USD").patches) == len(spend)
    risk = demo.risk_register()
    ax = plots.risk_heatmap(risk)
    shown = "\n".join(t.get_text() for t in ax.texts).replace("\n", " ")
    assert all(plots.textwrap_label(label, 16).replace("\n", " ") in shown for label in risk["label"])


def many_providers(frame: pd.DataFrame, n: int) -> pd.DataFrame:
    """The demo's KPI rows repeated for ``n`` providers (named P1..Pn), each a little off the last."""
    first = frame[frame["provider"] == frame["provider"].iloc[0]]
    copies = []
    for i in range(n):
        copy = first.copy()
        copy["provider"] = f"P{i + 1}"
        for column in ("actual", "credit"):
            if column in copy:
                copy[column] = copy[column] * (1 + i / 10)
        copies.append(copy)
    return pd.concat(copies, ignore_index=True)


def test_kpi_trends_draws_every_provider_when_there_are_many(demo):
    status = many_providers(kpis.status(demo.kpi_reports, demo.client.config.rag_amber_tolerance), 7)
    axes = axes_of(plots.kpi_trends(status))
    first = axes[0]
    actual_lines = [line for line in first.lines if line.get_linestyle() == "-"]
    assert sorted(line.get_label() for line in actual_lines) == [f"P{i}" for i in range(1, 8)]
    assert len({line.get_color() for line in actual_lines}) == 7


def test_kpi_trends_fills_the_axes_it_is_given(demo):
    status = kpis.status(demo.kpi_reports, demo.client.config.rag_amber_tolerance)
    fig, ax = plt.subplots(figsize=(8, 6))
    axes = axes_of(plots.kpi_trends(status, ax=ax))
    assert len(axes) == status["kpi"].nunique()
    assert all(a.figure is fig for a in axes)
    assert len(plt.get_fignums()) == 1


def test_credits_by_month_stacks_every_provider(demo):
    credits = many_providers(demo.service_credits(), 6)
    ax = plots.credits_by_month(credits, "USD")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [f"P{i}" for i in range(1, 7)]
    months = credits["month"].nunique()
    assert len(ax.patches) == 6 * months
    tops = {}
    for bar in ax.patches:
        x = round(bar.get_x(), 6)
        tops[x] = max(tops.get(x, 0.0), bar.get_y() + bar.get_height())
    expected = credits.groupby("month")["credit"].sum().to_numpy()
    assert np.allclose(sorted(tops.values()), sorted(expected))


@pytest.mark.parametrize("name", CHARTS)
def test_chart_says_what_it_shows(inputs, name):
    result = getattr(plots, name)(*inputs[name])
    fig = axes_of(result)[0].figure
    said = style.description(fig)
    assert len(said) > 40 and not said.startswith("Chart:"), f"{name}: {said!r}"


def test_money_ticks_differ_from_each_other():
    fmt = plots.MoneyFormatter()
    assert fmt.format_ticks([1.0e6, 1.05e6, 1.1e6]) == ["1.00m", "1.05m", "1.10m"]
    assert fmt.format_ticks([0.65e6, 0.7e6, 0.75e6]) == ["650k", "700k", "750k"]
    assert fmt.format_ticks([0, 5e6, 10e6]) == ["0m", "5m", "10m"]
    assert fmt.format_ticks([0, 20_000, 40_000]) == ["0k", "20k", "40k"]
    assert fmt.format_ticks([0, 2_500, 5_000, 7_500]) == ["0.0k", "2.5k", "5.0k", "7.5k"]
    fig, ax = plt.subplots()
    ax.plot([0, 1], [690_000, 810_000])
    ax.yaxis.set_major_formatter(plots.MoneyFormatter())
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(set(labels)) == len(labels)


def test_no_tick_label_is_too_small_to_read(inputs):
    for name in ("kpi_trends", "credits_by_month", "realised_vs_expected"):
        for ax in axes_of(getattr(plots, name)(*inputs[name])):
            ax.figure.canvas.draw()
            sizes = [t.get_fontsize() for t in ax.get_xticklabels() + ax.get_yticklabels() if t.get_text()]
            assert min(sizes) >= 9, name
            assert len([t for t in ax.get_xticklabels() if t.get_text()]) <= 13, name
