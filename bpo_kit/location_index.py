"""How attractive each delivery location is for outsourced services, whoever the client: four pillars scored
0-100 and weighted, the way the published location indices do it (LOCATIONS.md §1.5).

* **cost**: the employer cost of a full-time employee (mean over the role families, ``labour_costs.csv``) on a
  log scale between fixed bounds: cheaper scores higher.
* **talent**: half the UN E-Government Survey's Human Capital Index (education stock, 0-1), half the size of
  the country's IT-BPM / business-services workforce on a log10 scale between fixed bounds. Where the
  headcount is unknown the pillar is the HCI alone and says so.
* **business environment**: the mean of the World Bank Worldwide Governance Indicators' percentile ranks
  for government effectiveness, regulatory quality, rule of law and political stability.
* **digital**: half the UN Telecommunication Infrastructure Index, half the share of people using the internet.

Each metric is scored on its source's own global scale (a percentile rank stays a percentile rank), never
min-max within the kit's countries, so adding a country moves no other. Weights are Kearney's Global
Services Location Index 2021 (35/25/25/15); a client may set others. A pillar with no data for a country is
shown as missing and the attractiveness is the weighted mean of the pillars present, with the missing ones
named.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

PILLARS = ("cost", "talent", "business_environment", "digital")
DEFAULT_WEIGHTS = {"cost": 35.0, "talent": 25.0, "business_environment": 25.0, "digital": 15.0}
WEIGHTS_SOURCE = "Kearney Global Services Location Index 2021 pillar weights 35/25/25/15 (LOCATIONS.md 1.1)"

#: which metrics make each pillar, and their weight inside it. A metric in location_pillars.csv not named
#: here (control of corruption, voice and accountability, EGDI, OSI, attrition) is shown, not scored
METRIC_WEIGHTS: dict[str, dict[str, float]] = {
    "talent": {"hci": 0.5, "sector_headcount": 0.5},
    "business_environment": {"wgi_ge": 0.25, "wgi_rq": 0.25, "wgi_rl": 0.25, "wgi_pv": 0.25},
    "digital": {"tii": 0.5, "internet_users": 0.5},
}
#: the metric names of location_pillars.csv, lower case, and the short keys used above
ALIASES = {
    "egdi_human_capital_index": "hci",
    "human_capital_index": "hci",
    "egdi_telecom_infrastructure_index": "tii",
    "telecommunication_infrastructure_index": "tii",
    "internet_users_share": "internet_users",
    "wgi_government_effectiveness": "wgi_ge",
    "wgi_regulatory_quality": "wgi_rq",
    "wgi_rule_of_law": "wgi_rl",
    "wgi_political_stability": "wgi_pv",
    "wgi_control_of_corruption": "wgi_cc",
    "wgi_voice_accountability": "wgi_va",
}


def _metric_key(name: str) -> str:
    k = str(name).strip().lower().replace(" ", "_").replace("-", "_")
    return ALIASES.get(k, k)


def metric_scores(pillars: pd.DataFrame, headcount_log10_bounds: tuple[float, float] = (3.0, 7.0)) -> pd.DataFrame:
    """Every metric row of ``location_pillars`` scored 0-100 on its own scale: ``(value - scale_min) /
    (scale_max - scale_min)``; a headcount on log10 between ``headcount_log10_bounds`` (10^3 = 0, 10^7 = 100
    by default). Adds ``metric_key``, ``score`` and ``weight`` (0 for metrics shown but not scored)."""
    p = pillars.copy()
    for c in ("value", "scale_min", "scale_max"):
        p[c] = pd.to_numeric(p[c], errors="coerce") if c in p.columns else np.nan
    p["metric_key"] = p["metric"].map(_metric_key)
    lo, hi = headcount_log10_bounds
    linear = 100 * (p["value"] - p["scale_min"]) / (p["scale_max"] - p["scale_min"])
    logged = 100 * (np.log10(p["value"].where(p["value"] > 0)) - lo) / (hi - lo)
    p["score"] = np.where(p["metric_key"].eq("sector_headcount"), logged, linear)
    p["score"] = p["score"].clip(0, 100)
    p["weight"] = [METRIC_WEIGHTS.get(pl, {}).get(k, 0.0) for pl, k in zip(p["pillar"], p["metric_key"], strict=True)]
    return p


def cost_scores(costs: pd.DataFrame, bounds: tuple[float, float] = (3000.0, 150000.0)) -> pd.Series:
    """Cost pillar per country: the mean employer cost per FTE-year over the role families with a figure,
    100 at ``bounds[0]`` USD or less, 0 at ``bounds[1]`` or more, log scale between (a cost half as high
    gains the same points anywhere on the scale)."""
    mean = costs.dropna(subset=["cost_mid_usd"]).groupby("country")["cost_mid_usd"].mean()
    lo, hi = np.log(bounds[0]), np.log(bounds[1])
    return (100 * (hi - np.log(mean)) / (hi - lo)).clip(0, 100).rename("cost")


def pillar_scores(scored: pd.DataFrame) -> pd.DataFrame:
    """One row per country, one column per non-cost pillar: the weighted mean of its scored metrics present
    (renormalised over those present), NaN where none is."""
    s = scored[(scored["weight"] > 0) & scored["score"].notna()]
    s = s.drop_duplicates(["country", "pillar", "metric_key"], keep="last")
    g = s.assign(ws=s["score"] * s["weight"]).groupby(["country", "pillar"])[["ws", "weight"]].sum()
    out = (g["ws"] / g["weight"]).unstack("pillar")
    return out.reindex(columns=[p for p in PILLARS if p != "cost"])


def attractiveness(pillars: pd.DataFrame, weights: dict[str, float] | None = None) -> pd.DataFrame:
    """``pillars`` (country index, one column per pillar, 0-100, NaN = missing) plus ``attractiveness``: the
    weighted mean of the pillars present, and ``pillars_missing`` naming the ones that are not."""
    w = pd.Series({**DEFAULT_WEIGHTS, **(weights or {})}).reindex(list(PILLARS)).fillna(0.0)
    if (w < 0).any() or w.sum() <= 0:
        raise ValueError("pillar weights must be zero or more and not all zero")
    vals = pillars.reindex(columns=list(PILLARS))
    present = vals.notna()
    num = (vals.fillna(0) * w).sum(axis=1)
    den = (present * w).sum(axis=1)
    out = vals.copy()
    out["attractiveness"] = (num / den.where(den > 0)).round(1)
    out["pillars_missing"] = [
        ", ".join(p.replace("_", " ") for p in PILLARS if not present.at[c, p] and w[p] > 0) for c in vals.index
    ]
    return out


def location_index(
    countries: list[str],
    pillars: pd.DataFrame | None = None,
    costs: pd.DataFrame | None = None,
    weights: dict[str, float] | None = None,
    headcount_log10_bounds: tuple[float, float] = (3.0, 7.0),
    cost_usd_bounds: tuple[float, float] = (3000.0, 150000.0),
) -> pd.DataFrame:
    """The attractiveness index: ``country`` (ISO alpha-2), ``cost``, ``talent``, ``business_environment``,
    ``digital`` (each 0-100, blank where the data is missing), ``attractiveness`` and ``pillars_missing``,
    one row per country in ``countries``: those with every pillar first, most attractive first. ``pillars``
    and ``costs`` default to the reference tables ``location_pillars.csv`` and ``labour_costs.csv``."""
    if pillars is None:
        pillars = load_pillars()
    if costs is None:
        from .labour_costs import reference_table

        costs = reference_table()
    scored = metric_scores(pillars, headcount_log10_bounds) if len(pillars) else pd.DataFrame()
    table = pillar_scores(scored) if len(scored) else pd.DataFrame(columns=[p for p in PILLARS if p != "cost"])
    table = table.reindex(countries)
    table["cost"] = cost_scores(costs, cost_usd_bounds).reindex(countries)
    out = attractiveness(table, weights)
    for p in PILLARS:
        out[p] = out[p].round(1)
    out = out.rename_axis("country").reset_index()
    out.columns.name = None
    # a score over fewer pillars is not comparable with a full one: complete rows rank first
    out["_missing"] = out[list(PILLARS)].isna().sum(axis=1)
    out = out.sort_values(
        ["_missing", "attractiveness", "country"], ascending=[True, False, True], na_position="last", kind="stable"
    )
    return out[["country", *PILLARS, "attractiveness", "pillars_missing"]].reset_index(drop=True)


def load_pillars() -> pd.DataFrame:
    """``location_pillars.csv`` (empty when it is not there yet)."""
    from .config import REFERENCE_DIR

    path = REFERENCE_DIR / "location_pillars.csv"
    if not path.exists():
        return pd.DataFrame(columns=["country", "pillar", "metric", "value", "unit", "scale_min", "scale_max"])
    return pd.read_csv(path, keep_default_na=False, na_values=[""], dtype={"year": str})


def _common_source(sources: pd.Series) -> str:
    """The source text shared by most rows of one metric, without per-country detail, and how many other
    sources there are."""
    base = sources.astype(str).str.replace(r";\s*90% bounds.*$", "", regex=True)
    counts = base.value_counts()
    more = len(counts) - 1
    return counts.index[0] + (f" (and {more} other source{'s' if more > 1 else ''} for some countries)" if more else "")


def pillar_sources(pillars: pd.DataFrame | None = None) -> pd.DataFrame:
    """The sources behind each pillar: ``pillar``, ``metric``, ``weight`` inside the pillar, ``countries``
    with a value, ``year``(s) and ``source``(s)."""
    p = load_pillars() if pillars is None else pillars
    if not len(p):
        return pd.DataFrame(columns=["pillar", "metric", "weight", "countries", "year", "source"])
    s = metric_scores(p)
    s = s[s["value"].notna()]
    g = s.groupby(["pillar", "metric"])
    out = pd.DataFrame(
        {
            "weight": g["weight"].first(),
            "countries": g["country"].nunique(),
            "year": g["year"].agg(lambda y: ", ".join(sorted(set(map(str, y))))),
            # per-country detail (such as each rank's 90% bounds) stays in the data file
            "source": g["source"].agg(lambda y: _common_source(y)),
        }
    )
    return out.reset_index()
