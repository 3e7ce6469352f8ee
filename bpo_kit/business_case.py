"""What moving a process really costs: provider prices, yearly cash flows with the hidden costs of outsourcing,
NPV and payback, the recommended location per process, and the uncertainty around the savings.

The model, per process and location, year by year over the contract:

* today's cost (the inventory's fully loaded ``annual_cost``) grows with ``inhouse_cost_growth``;
* the provider's price is FTE x ``productivity`` x the price per FTE-year of the process's role family there
  (the client's rate card first; else a published provider price; else published wages grossed up for the
  provider's other operating costs and margin), plus the night-shift premium where the hub must work the
  client's hours; it grows with ``provider_wage_inflation`` and is converted at the ECB rate;
* nothing changes until go-live after ``transition_months``; then the gross labour arbitrage is today's cost
  minus the provider's price;
* hidden costs (Overby, CIO 2003 and governance benchmarks; ``data/reference/hidden_costs.csv``) are shares of
  the annual contract value: one-time costs during the transition, lost productivity for its first years after
  go-live, governance for as long as the contract runs;
* cash flows are discounted at the end of each year at ``discount_rate``.

Everything is vectorised over process-location pairs, and, for the Monte Carlo, over random draws.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, model_validator

from . import fx, labour_costs
from .reference import table
from .tables import RATE_COLUMNS, read_rate_card  # noqa: F401  (RATE_COLUMNS: its earlier home)

ROLE_FAMILIES = (
    "contact_centre_agent",
    "back_office_transactional",
    "finance_accounting_professional",
    "it_support",
    "knowledge_professional",
)
ONE_TIME = ("vendor_selection", "transition", "layoffs_retention", "process_improvement")


# --- assumptions -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Assumption:
    name: str
    value: float
    low: float
    high: float
    unit: str
    source: str


#: the kit's own defaults, with no published figure behind them; sourced ones are in
#: data/reference/provider_economics.csv and hidden_costs.csv
KIT_ASSUMPTIONS = (
    Assumption(
        "provider_wage_inflation",
        0.05,
        0.03,
        0.08,
        "per year",
        "kit assumption (no sourced figure): wage growth in delivery locations; agree it with the client",
    ),
    Assumption(
        "inhouse_cost_growth",
        0.03,
        0.03,
        0.03,
        "per year",
        "kit assumption (no sourced figure): growth of the client's own cost of the process",
    ),
    Assumption(
        "productivity",
        1.0,
        0.9,
        1.1,
        "provider FTE per FTE today",
        "kit assumption: provider scale economies (seeds) against its learning curve",
    ),
    Assumption(
        "reference_price_position",
        0.5,
        0.0,
        1.0,
        "position within the published low-high range",
        "kit convention: a published range is kept as a range; the base case takes its midpoint",
    ),
)


class AssumptionOverride(BaseModel):
    """A business-case assumption set by the client: a value, and optionally its low-high range."""

    model_config = ConfigDict(extra="forbid")
    value: float
    low: float | None = None
    high: float | None = None

    @model_validator(mode="after")
    def _ordered(self) -> AssumptionOverride:
        lo = self.value if self.low is None else self.low
        hi = self.value if self.high is None else self.high
        if not lo <= self.value <= hi:
            raise ValueError(f"expected low <= value <= high, got {lo:g}, {self.value:g}, {hi:g}")
        return self


def assumption_names() -> list[str]:
    """Names a client may override under ``assumptions`` in client.yaml."""
    return (
        [a.name for a in KIT_ASSUMPTIONS]
        + list(table("provider_economics")["name"])
        + list(table("hidden_costs")["category"])
    )


def assumptions_table(client, years: int, discount_rate: float, price_currencies: list[str]) -> pd.DataFrame:
    """Every business-case assumption with its value, range, unit and source; the client's ``assumptions``
    in ``client.yaml`` override value and range. FX rows hold the rate and its yearly volatility."""
    rows = [vars(a).copy() for a in KIT_ASSUMPTIONS]
    for e in table("provider_economics").itertuples():
        rows.append(
            {
                "name": e.name,
                "value": e.value,
                "low": e.low,
                "high": e.high,
                "unit": e.unit,
                "source": f"{e.source}, {e.year} ({e.confidence})",
            }
        )
    hidden = table("hidden_costs")
    for h in hidden.itertuples():
        years_txt = f" for {int(h.years_active)} years after go-live" if pd.notna(h.years_active) else ""
        rows.append(
            {
                "name": h.category,
                "value": (h.low_share + h.high_share) / 2,
                "low": h.low_share,
                "high": h.high_share,
                "unit": f"share of annual contract value, {h.timing}{years_txt}",
                "source": f"{h.source} ({h.confidence})",
            }
        )
    rows.append(
        {
            "name": "discount_rate",
            "value": discount_rate,
            "low": max(0.0, discount_rate - 0.02),
            "high": discount_rate + 0.02,
            "unit": "per year",
            "source": "client.yaml (default 8%); range +/-2 points",
        }
    )
    rows.append(
        {
            "name": "contract_years",
            "value": years,
            "low": years,
            "high": years,
            "unit": "years",
            "source": "client.yaml (default 5)",
        }
    )
    overrides = client.config.assumptions or {}
    for row in rows:
        o = overrides.get(row["name"])
        if o is not None:
            row.update(
                {
                    "value": o.value,
                    "low": o.low if o.low is not None else min(row["low"], o.value),
                    "high": o.high if o.high is not None else max(row["high"], o.value),
                    "source": "client.yaml override",
                }
            )
    cur = client.config.currency
    for c in sorted(set(price_currencies) - {cur}):
        vol = fx.annual_volatility(c, cur)
        rows.append(
            {
                "name": f"fx_{c}_{cur}",
                "value": fx.rate(c, cur),
                "low": vol,
                "high": vol,
                "unit": f"{cur} per {c} on {fx.rate_date():%d %b %Y}; low/high = yearly volatility",
                "source": fx.SOURCE,
            }
        )
    return pd.DataFrame(rows)[["name", "value", "low", "high", "unit", "source"]]


def base_values(assumptions: pd.DataFrame) -> dict:
    return dict(zip(assumptions["name"], assumptions["value"], strict=False))


# --- role families and prices ----------------------------------------------------------------------------


def role_family(processes: pd.DataFrame) -> pd.Series:
    """The labour market each process buys from: front-office work -> contact-centre agent; finance work with
    knowledge intensity 3 or more -> finance & accounting professional; other knowledge work -> knowledge
    professional; IT back-office work -> IT support; the rest -> back-office transactional."""
    p = processes
    out = np.select(
        [
            p["bpo_type"].eq("front_office"),
            p["function"].eq("finance_accounting") & (p["knowledge_intensity"] >= 3),
            p["bpo_type"].eq("kpo"),
            p["function"].eq("it_services"),
        ],
        ["contact_centre_agent", "finance_accounting_professional", "knowledge_professional", "it_support"],
        "back_office_transactional",
    )
    return pd.Series(out, index=p.index, name="role_family")


def load_rates(path: Path, candidates: list[str]) -> pd.DataFrame:
    """The client's rate card (providers' quotes): location, role family, price per FTE-year and its currency.
    Every problem is reported as ``file, row N, column C: ...``; read like every input table (bpo_kit.tables)."""
    return read_rate_card(path, candidates, ROLE_FAMILIES)


def price_table(
    candidates: list[str],
    client_currency: str,
    rates: pd.DataFrame | None,
    assumptions: pd.DataFrame,
    home_country: str | None = None,
    cost_assumptions=None,
) -> pd.DataFrame:
    """Price per FTE-year of each role family in each candidate location, low/mid/high in the client's
    currency, with its basis and source. The rate card wins over reference figures. A reference price is the
    derived employer cost of the role in that country grossed up by one provider overhead and margin, the
    same for every country, onshore included (``bpo_kit.labour_costs``). Role families with no figure
    anywhere are absent ("needs a quote")."""
    a = base_values(assumptions)
    ranges = assumptions.set_index("name")
    share_lo, share_hi = ranges.at["labour_share_of_cost", "low"], ranges.at["labour_share_of_cost", "high"]
    margin = a["provider_margin"]
    rows = []
    if rates is not None:
        for r in rates.itertuples():
            rows.append(
                {
                    "country": r.country,
                    "role_family": r.role_family,
                    "low": r.price,
                    "mid": r.price,
                    "high": r.price,
                    "currency": r.currency,
                    "basis": "rate card",
                    "source": f"client's rate card, row {r.row}" + (f" ({r.provider})" if r.provider else ""),
                    "year": None,
                }
            )
    # reference prices: derived employer cost x one provider gross-up, the same for every country (labour_costs)
    ref = labour_costs.reference_prices(
        candidates,
        share=(a["labour_share_of_cost"], share_lo, share_hi),
        margin=(margin, ranges.at["provider_margin", "low"], ranges.at["provider_margin", "high"]),
        assumptions=cost_assumptions,
    )
    rows.extend(ref.drop(columns="derivation").to_dict("records"))
    df = pd.DataFrame(
        rows, columns=["country", "role_family", "low", "mid", "high", "currency", "basis", "source", "year"]
    )
    df = (
        df.assign(_r=df["basis"].ne("rate card"))
        .sort_values(["country", "role_family", "_r"])
        .drop_duplicates(["country", "role_family"])
        .drop(columns="_r")
        .reset_index(drop=True)
    )
    rate = df["currency"].map(lambda c: fx.rate(c, client_currency))
    for col in ("low", "mid", "high"):
        df[f"{col}_client"] = df[col] * rate
    df["fx_rate"] = rate
    return df


# --- cash flows ------------------------------------------------------------------------------------------


def yearly_flows(inhouse, provider, p: dict, years: int) -> dict[str, np.ndarray]:
    """Yearly cash flows over the contract, broadcast over any leading shape of ``inhouse``/``provider``
    (the client's and the provider's annual cost at today's prices, same currency) and of the values in ``p``.

    Returns arrays of shape (..., years): ``inhouse`` (cost avoided), ``provider``, ``gross`` (labour
    arbitrage), one per hidden-cost category, ``hidden`` (their sum) and ``net``.
    """
    inhouse = np.asarray(inhouse, dtype=float)[..., None]
    provider = np.asarray(provider, dtype=float)[..., None]
    y = np.arange(1, years + 1, dtype=float)

    def v(name):
        return np.asarray(p[name], dtype=float)[..., None]

    t = v("transition_months")
    active = np.clip(12 * y - t, 0, 12) / 12
    transition_share = np.where(
        t > 0, (np.minimum(12 * y, t) - np.minimum(12 * (y - 1), t)) / np.maximum(t, 1e-9), (y == 1).astype(float)
    )
    inh = inhouse * (1 + v("inhouse_cost_growth")) ** (y - 1) * active
    prov = provider * (1 + v("provider_wage_inflation")) ** (y - 1) * active
    acv = provider
    out = {"inhouse": inh, "provider": prov, "gross": inh - prov}
    for name in ONE_TIME:
        out[name] = v(name) * acv * transition_share
    ramp = (np.clip(12 * y - t, 0, 12) - np.clip(12 * y - t - 24, 0, 12)) / 12
    out["lost_productivity"] = v("lost_productivity") * acv * ramp
    out["governance"] = v("governance") * prov
    out["hidden"] = sum(out[k] for k in (*ONE_TIME, "lost_productivity", "governance"))
    out["net"] = out["gross"] - out["hidden"]
    return out


def npv(net: np.ndarray, discount_rate) -> np.ndarray:
    """Net present value of yearly flows (last axis), discounted at the end of each year."""
    y = np.arange(1, net.shape[-1] + 1)
    return (net / (1 + np.asarray(discount_rate, dtype=float)[..., None]) ** y).sum(axis=-1)


def payback_month(flows: dict[str, np.ndarray], transition_months: float) -> np.ndarray:
    """The month in which cumulative net cash turns positive (NaN if never within the contract): one-time
    costs are spread over the transition, then each year's recurring flow is spread over its active months."""
    one_time = sum(flows[k] for k in ONE_TIME)
    recurring = flows["net"] + one_time
    years = recurring.shape[-1]
    t = float(transition_months)
    cum = -one_time.sum(axis=-1)
    result = np.full(cum.shape, np.nan)
    result = np.where(cum >= 0, np.ceil(t) if t > 0 else 1.0, result)
    for k in range(years):
        start = max(t, 12.0 * k)
        months = max(0.0, 12.0 * (k + 1) - start)
        if months == 0:
            continue
        rate = recurring[..., k] / months
        with np.errstate(divide="ignore", invalid="ignore"):
            need = np.where(rate > 0, -cum / rate, np.inf)
        hit = np.isnan(result) & (cum < 0) & (need <= months)
        result = np.where(hit, np.ceil(start + need), result)
        cum = cum + recurring[..., k]
    return result


# --- process x location business case --------------------------------------------------------------------


def _positions(index: pd.Series, keys: pd.Series) -> np.ndarray:
    """Row positions in ``index`` of each of ``keys`` (-1 where absent), fast for categorical keys."""
    lookup = pd.Index(index.astype(str))
    if isinstance(keys.dtype, pd.CategoricalDtype):
        return lookup.get_indexer(keys.cat.categories.astype(str))[keys.cat.codes.to_numpy()]
    return lookup.get_indexer(keys.astype(str))


def _take(values: pd.Series, pos: np.ndarray, fill=np.nan) -> np.ndarray:
    arr = values.to_numpy()
    out = arr[np.where(pos >= 0, pos, 0)]
    if (pos < 0).any():
        out = out.astype(object if out.dtype.kind in "OUS" else float)
        out[pos < 0] = fill
    return out


def pair_costs(processes: pd.DataFrame, pairs: pd.DataFrame, prices: pd.DataFrame, a: dict) -> pd.DataFrame:
    """Each process x location pair with today's annual cost and the provider's annual price (client
    currency, year-one prices) and how that price was found. Pairs with no price have NaN."""
    out = pairs.copy()
    pos = _positions(processes["process_id"], pairs["process_id"])
    out["fte"] = _take(processes["fte"], pos)
    out["annual_cost"] = _take(processes["annual_cost"], pos)
    role = _take(processes["role_family"].astype(str), pos, "")
    out["role_family"] = pd.Categorical(role)
    # look the price up by (location, role family) position rather than by joining 2.5 million string keys
    country = pd.Categorical(pairs["country"].astype(str))
    px = prices.set_index(["country", "role_family"])
    roles = pd.Index(ROLE_FAMILIES)
    grid = px.index.get_indexer(pd.MultiIndex.from_product([country.categories, roles]))
    grid = grid.reshape(len(country.categories), len(roles))
    role_pos = roles.get_indexer(role)
    row = np.where(role_pos >= 0, grid[country.codes, np.maximum(role_pos, 0)], -1)
    flat = px.reset_index()
    for col in ("low_client", "high_client"):
        out[col] = _take(flat[col], row)
    for col in ("currency", "basis"):
        out[col] = pd.Categorical(_take(flat[col], row, None))
    premium = np.where(out["night_shift"], 1 + a["night_shift_premium"], 1.0)
    position = a["reference_price_position"]
    price = out["low_client"] + position * (out["high_client"] - out["low_client"])
    out["provider_cost"] = out["fte"] * a["productivity"] * price * premium
    out["provider_low"] = out["fte"] * a["productivity"] * out["low_client"] * premium
    out["provider_high"] = out["fte"] * a["productivity"] * out["high_client"] * premium
    return out


def evaluate(costs: pd.DataFrame, a: dict, chunk: int = 250_000) -> pd.DataFrame:
    """Cash-flow totals, NPV and payback for every pair with a price (computed in chunks of rows, so that a
    large portfolio's yearly flows never sit in memory all at once)."""
    years = int(a["contract_years"])
    inhouse = costs["annual_cost"].to_numpy(dtype=float)
    provider = costs["provider_cost"].to_numpy(dtype=float)
    names = [
        "inhouse_total",
        "gross_arbitrage",
        *ONE_TIME,
        "lost_productivity",
        "governance",
        "hidden_costs",
        "net_savings",
        "npv",
        "payback_month",
    ]
    totals = {k: np.empty(len(costs)) for k in names}
    for start in range(0, len(costs), chunk):
        sl = slice(start, start + chunk)
        flows = yearly_flows(inhouse[sl], provider[sl], a, years)
        totals["inhouse_total"][sl] = flows["inhouse"].sum(axis=-1)
        totals["gross_arbitrage"][sl] = flows["gross"].sum(axis=-1)
        for k in (*ONE_TIME, "lost_productivity", "governance"):
            totals[k][sl] = flows[k].sum(axis=-1)
        totals["hidden_costs"][sl] = flows["hidden"].sum(axis=-1)
        totals["net_savings"][sl] = flows["net"].sum(axis=-1)
        totals["npv"][sl] = npv(flows["net"], a["discount_rate"])
        totals["payback_month"][sl] = payback_month(flows, a["transition_months"])
    out = costs.assign(**{k: totals[k] for k in names[:-2]})
    out["savings_pct"] = out["net_savings"] / out["inhouse_total"].where(out["inhouse_total"] > 0)
    out["npv"] = totals["npv"]
    out["payback_month"] = totals["payback_month"]
    return out


def recommend_locations(evaluated: pd.DataFrame, processes: pd.DataFrame) -> pd.DataFrame:
    """The recommended location of each process to be moved (outsource or hybrid): among the locations its
    fit allows and that have a price, the one with the highest fit-weighted NPV (NPV x fit score), provided
    the NPV is positive. Each row says why."""
    movable = processes[processes["recommendation"].isin(["outsource", "hybrid"])].reset_index(drop=True)
    # positions, not joins: each pair's process as a row number of `movable` (-1: not to be moved)
    pos = _positions(movable["process_id"], evaluated["process_id"])
    fit = evaluated["fit"].to_numpy(dtype=bool) & (pos >= 0)
    priced = fit & ~np.isnan(evaluated["provider_cost"].to_numpy(dtype=float))
    npv_ = evaluated["npv"].to_numpy(dtype=float)
    ok = np.flatnonzero(priced & (npv_ > 0))
    radj = npv_ * evaluated["fit_score"].to_numpy(dtype=float)
    country = evaluated["country"].astype(str).to_numpy()
    order = ok[np.lexsort((country[ok], -radj[ok], pos[ok]))]
    first = order[np.r_[True, pos[order][1:] != pos[order][:-1]]] if len(order) else order
    best = evaluated.iloc[first][
        [
            "country",
            "tier",
            "fit_score",
            "night_shift",
            "provider_cost",
            "net_savings",
            "savings_pct",
            "npv",
            "payback_month",
        ]
    ].reset_index(drop=True)
    best["risk_adjusted_npv"] = radj[first]
    best["_row"] = pos[first]
    out = movable[["process_id", "process_name", "recommendation", "role_family"]].copy()
    out = out.join(best.set_index("_row"), how="left")
    out["country"] = out["country"].astype(object).where(out["country"].notna(), np.nan)
    out["tier"] = out["tier"].astype(object).where(out["tier"].notna(), np.nan)
    out = out.rename(columns={"country": "recommended_location"})
    n_fit = np.bincount(pos[fit], minlength=len(movable))
    n_priced = np.bincount(pos[priced], minlength=len(movable))
    reasons = []
    for k, r in enumerate(out.itertuples()):
        if pd.notna(r.recommended_location):
            shift = ", staffed outside the hub's normal day" if r.night_shift else ""
            reasons.append(
                f"highest fit-weighted NPV among {int(n_priced[k])} priced locations "
                f"that fit (fit {r.fit_score:.2f}{shift})"
            )
        elif n_fit[k] == 0:
            reasons.append(
                "no candidate location fits (languages, English or data protection); keep in-house "
                "or widen the candidates"
            )
        elif n_priced[k] == 0:
            reasons.append(
                f"no price for {r.role_family.replace('_', ' ')} in the locations that fit; add the "
                "providers' quotes to rates.csv"
            )
        else:
            reasons.append("no location that fits saves money over the contract; keep in-house")
    out["location_reason"] = reasons
    return out


def rollup(plan: pd.DataFrame, by: str) -> pd.DataFrame:
    """The recommended moves summed per location or per tier."""
    done = plan.dropna(subset=["recommended_location"])
    return (
        done.groupby(by)
        .agg(
            processes=("process_id", "size"),
            provider_cost=("provider_cost", "sum"),
            net_savings=("net_savings", "sum"),
            npv=("npv", "sum"),
        )
        .reset_index()
        .sort_values("npv", ascending=False, ignore_index=True)
    )


def recommended_pairs(evaluated: pd.DataFrame, plan: pd.DataFrame) -> pd.DataFrame:
    """The business-case rows of the recommended moves: each moved process at its recommended location."""
    return evaluated.merge(
        plan[["process_id", "recommended_location"]].dropna(),
        left_on=["process_id", "country"],
        right_on=["process_id", "recommended_location"],
    )


def waterfall(evaluated: pd.DataFrame, plan: pd.DataFrame) -> pd.DataFrame:
    """From gross labour arbitrage down to net savings for the recommended moves: one step per hidden cost."""
    chosen = recommended_pairs(evaluated, plan)
    steps = [("gross labour arbitrage", chosen["gross_arbitrage"].sum())]
    labels = table("hidden_costs").set_index("category")["label"]
    for k in (*ONE_TIME, "lost_productivity", "governance"):
        steps.append((labels[k], -chosen[k].sum()))
    steps.append(("net savings", chosen["net_savings"].sum()))
    return pd.DataFrame(steps, columns=["step", "amount"])


# --- uncertainty -----------------------------------------------------------------------------------------


def exposure(evaluated: pd.DataFrame, plan: pd.DataFrame | None = None) -> pd.DataFrame:
    """Cost bases of the moves to simulate, per group and price currency: today's cost and the provider's
    low/high annual price (client currency). With ``plan``, only the recommended pairs, grouped as one plan;
    without, every movable pair that fits, grouped per location."""
    e = evaluated.dropna(subset=["provider_cost"])
    if plan is not None:
        e = recommended_pairs(e, plan).assign(group="recommended plan")
    else:
        e = e[e["fit"]].assign(group=e["country"].astype(str))
    return (
        e.groupby(["group", "currency"])
        .agg(
            inhouse=("annual_cost", "sum"), provider_low=("provider_low", "sum"), provider_high=("provider_high", "sum")
        )
        .reset_index()
    )


def _simulate_groups(expo: pd.DataFrame, params: dict, fx_factor: dict, years: int):
    """Net savings and NPV per group for one set of parameters (scalars or arrays of draws)."""
    groups = list(dict.fromkeys(expo["group"]))
    pos = np.asarray(params["reference_price_position"], dtype=float)
    prod = np.asarray(params["productivity"], dtype=float) / params["_base_productivity"]
    nets, npvs = [], []
    for g in groups:
        rows = expo[expo["group"] == g]
        inhouse = rows["inhouse"].sum()
        provider = (
            sum(
                (r.provider_low + pos * (r.provider_high - r.provider_low)) * fx_factor.get(r.currency, 1.0)
                for r in rows.itertuples()
            )
            * prod
        )
        flows = yearly_flows(np.broadcast_to(inhouse, np.shape(provider)), provider, params, years)
        nets.append(flows["net"].sum(axis=-1))
        npvs.append(npv(flows["net"], params["discount_rate"]))
    return groups, np.stack(nets, axis=-1), np.stack(npvs, axis=-1)


@dataclass
class Simulation:
    """A Monte Carlo's result: P10/P50/P90 per group, and every draw of NPV (one column per group)."""

    summary: pd.DataFrame
    draws: pd.DataFrame


def monte_carlo(
    expo: pd.DataFrame, assumptions: pd.DataFrame, client_currency: str, draws: int = 2000, seed: int = 42
) -> Simulation:
    """Seeded Monte Carlo over wage inflation, FX, productivity, the hidden-cost shares and the position of
    published prices within their range (each uniform between its low and high; FX lognormal with the
    ECB-derived yearly volatility over half the contract). Returns P10, P50, P90 of net savings and NPV per
    group, and the draws of NPV for charts."""
    cols = ["group", "net_p10", "net_p50", "net_p90", "npv_p10", "npv_p50", "npv_p90", "chance_of_loss"]
    if expo.empty:  # nothing to move: nothing to simulate
        return Simulation(summary=pd.DataFrame(columns=cols), draws=pd.DataFrame())
    rng = np.random.default_rng(seed)
    t = assumptions.set_index("name")
    base = base_values(assumptions)
    years = int(base["contract_years"])
    params = dict(base)
    params["_base_productivity"] = base["productivity"]
    varied = [
        "provider_wage_inflation",
        "productivity",
        "reference_price_position",
        *ONE_TIME,
        "lost_productivity",
        "governance",
    ]
    for name in varied:
        params[name] = rng.uniform(t.at[name, "low"], t.at[name, "high"], draws)
    fx_factor = {}
    for cur in sorted(set(expo["currency"]) - {client_currency}):
        vol = t.at[f"fx_{cur}_{client_currency}", "low"]
        fx_factor[cur] = np.exp(rng.normal(0.0, vol * np.sqrt(years / 2), draws))
    groups, nets, npvs = _simulate_groups(expo, params, fx_factor, years)
    q = [10, 50, 90]
    net_q = np.percentile(nets, q, axis=0)
    npv_q = np.percentile(npvs, q, axis=0)
    out = pd.DataFrame(
        {
            "group": groups,
            "net_p10": net_q[0],
            "net_p50": net_q[1],
            "net_p90": net_q[2],
            "npv_p10": npv_q[0],
            "npv_p50": npv_q[1],
            "npv_p90": npv_q[2],
            "chance_of_loss": (npvs < 0).mean(axis=0),
        }
    )
    return Simulation(summary=out, draws=pd.DataFrame(npvs, columns=groups))


def tornado(expo: pd.DataFrame, assumptions: pd.DataFrame, client_currency: str) -> pd.DataFrame:
    """NPV of the recommended plan as each assumption moves to its low and then its high value, the others at
    their base; sorted by the width of the swing."""
    if expo.empty:
        return pd.DataFrame(
            columns=["assumption", "low_value", "high_value", "npv_at_low", "npv_at_high", "base_npv", "swing"]
        )
    base = base_values(assumptions)
    base["_base_productivity"] = base["productivity"]
    years = int(base["contract_years"])
    _, _, base_npv = _simulate_groups(expo, base, {}, years)
    t = assumptions.set_index("name")
    rows = []
    # labour's share of cost acts through the price range, which reference_price_position sweeps
    names = [n for n in t.index if n not in ("contract_years", "labour_share_of_cost") and not n.startswith("fx_")]
    for n in names:
        lo, hi = t.at[n, "low"], t.at[n, "high"]
        if lo == hi:
            continue
        res = [_simulate_groups(expo, {**base, n: val}, {}, years)[2].item() for val in (lo, hi)]
        rows.append({"assumption": n, "low_value": lo, "high_value": hi, "npv_at_low": res[0], "npv_at_high": res[1]})
    for cur in sorted(set(expo["currency"]) - {client_currency}):
        vol = t.at[f"fx_{cur}_{client_currency}", "low"]
        res = [_simulate_groups(expo, base, {cur: np.exp(z * vol)}, years)[2].item() for z in (-1.2816, 1.2816)]
        rows.append(
            {
                "assumption": f"FX {cur}/{client_currency} (P10 to P90 of one year)",
                "low_value": -1.2816 * vol,
                "high_value": 1.2816 * vol,
                "npv_at_low": res[0],
                "npv_at_high": res[1],
            }
        )
    out = pd.DataFrame(rows)
    out["base_npv"] = base_npv.item()
    out["swing"] = (out["npv_at_high"] - out["npv_at_low"]).abs()
    return out.sort_values("swing", ascending=False, ignore_index=True)


def location_summary(evaluated: pd.DataFrame, processes: pd.DataFrame, profile: pd.DataFrame) -> pd.DataFrame:
    """Per candidate location, over the processes to be moved: how many fit there, their mean fit score, the
    provider's mean price per FTE-year where priced, and the savings if every fitting, priced one went there."""
    movable = processes.loc[processes["recommendation"].isin(["outsource", "hybrid"]), "process_id"]
    e = evaluated[evaluated["process_id"].isin(movable)]
    fitting = e[e["fit"]]
    priced = fitting.dropna(subset=["provider_cost"])
    out = profile[["country", "country_name", "tier"]].set_index("country")
    out["processes_fit"] = fitting.groupby("country").size()
    out["fit_share"] = out["processes_fit"] / max(len(movable), 1)
    out["mean_fit_score"] = e.groupby("country")["fit_score"].mean()
    out["processes_priced"] = priced.groupby("country").size()
    sums = priced.groupby("country")[["provider_cost", "fte"]].sum()
    out["price_per_fte"] = sums["provider_cost"] / sums["fte"].where(sums["fte"] > 0)
    out["net_savings"] = priced.groupby("country")["net_savings"].sum()
    out["savings_pct"] = out["net_savings"] / priced.groupby("country")["inhouse_total"].sum()
    out["npv"] = priced.groupby("country")["npv"].sum()
    out = out.fillna({"processes_fit": 0, "processes_priced": 0}).astype(
        {"processes_fit": int, "processes_priced": int}
    )
    return out.reset_index()


def benchmark_check(plan_savings_pct: float) -> pd.DataFrame:
    """The plan's savings share beside the published savings benchmarks, each flagged when the plan is above
    its range: a figure that beats every published range needs scrutiny before a client sees it."""
    b = table("savings_benchmarks")
    b["plan_savings_pct"] = plan_savings_pct
    b["plan_above_range"] = plan_savings_pct > b["high_share"]
    return b[
        [
            "benchmark",
            "what",
            "low_share",
            "high_share",
            "plan_savings_pct",
            "plan_above_range",
            "source",
            "year",
            "confidence",
        ]
    ]


def plan_yearly_net(evaluated: pd.DataFrame, plan: pd.DataFrame, values: dict) -> np.ndarray:
    """The recommended plan's net savings, contract year by contract year, at the base assumptions."""
    expo = exposure(evaluated, plan)
    if expo.empty:
        return np.zeros(int(values["contract_years"]))
    position = values["reference_price_position"]
    provider = (expo["provider_low"] + position * (expo["provider_high"] - expo["provider_low"])).sum()
    return yearly_flows(expo["inhouse"].sum(), provider, values, int(values["contract_years"]))["net"]
