"""What moving a process really costs: provider prices, yearly cash flows with the costs of getting there and
of running the deal, NPV, IRR and payback, the recommended location per process, and the uncertainty around
the savings.

The model, per process and location, year by year over the contract (every figure a named assumption in
``data/reference/economics_assumptions.csv``, ``severance.csv`` and ``hidden_costs.csv``, with its source):

* today's cost (the inventory's fully loaded ``annual_cost``, corrected by ``baseline_error``) grows with
  ``inhouse_cost_growth``;
* the provider's price is FTE x ``productivity`` x the price per FTE-year of the process's role family there
  (the client's rate card first; else a published figure, escalated from its year to the base year at
  ``provider_wage_inflation``), plus the night-shift premium on the wage share of that price where the hub must
  work the client's hours; ``hybrid`` processes are priced as a captive centre (``captive_cost_factor``, a
  transition ``captive_ramp_factor`` times longer, set-up cost per seat);
* nothing is saved until go-live after ``transition_months``; during the last ``parallel_running_share`` of the
  transition the client pays the provider as well as its own team; a transition team
  (``knowledge_transfer_share`` of the FTE, at in-house pay) works through the transition;
* the displaced people get severance and notice (``severance_weeks`` of their own pay, by the client's home
  country, ``severance.csv``) and a retention bonus (``retention_months``) at go-live;
* after go-live the provider needs ``productivity_ramp_multiplier`` times the steady-state FTE for
  ``ramp_months``; change orders add to its price;
* the client keeps a retained organisation (``governance`` on the contract value), work left in-house
  (``residual_inhouse_work``), loses ``leakage`` of the savings, and may keep stranded costs;
* vendor selection and process improvement (Overby, CIO 2003) are shares of the annual contract value, once;
* cash flows are discounted at the end (or middle) of each year at ``discount_rate``.

Everything is vectorised over process-location pairs, and, for the Monte Carlo, over random draws.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, model_validator

from . import fx, labour_costs
from .errors import BpoKitError
from .reference import table
from .tables import RATE_COLUMNS, read_rate_card  # noqa: F401  (RATE_COLUMNS: its earlier home)

ROLE_FAMILIES = (
    "contact_centre_agent",
    "back_office_transactional",
    "finance_accounting_professional",
    "it_support",
    "knowledge_professional",
)
#: one-time costs of getting there, in the order of the waterfall
ONE_TIME = (
    "vendor_selection",
    "process_improvement",
    "captive_setup",
    "knowledge_transfer",
    "parallel_running",
    "severance",
    "retention",
)
#: recurring costs of running the deal, in the order of the waterfall
RECURRING = ("productivity_ramp", "change_orders", "residual_inhouse_work", "governance", "leakage", "stranded_costs")
COST_LINES = ONE_TIME + RECURRING
#: what :func:`evaluate` adds to a process-location pair: the business case of that move
EVALUATED_COLUMNS = (
    "inhouse_total",
    "contract_value",
    "gross_arbitrage",
    "hidden_costs",
    "net_savings",
    "savings_pct",
    "npv",
    "payback_month",
    "npv_alternative",
)
#: what a plan keeps of each chosen move, besides its location
MOVE_COLUMNS = ("tier", "fit_score", "night_shift", "operating_model", "provider_cost", *EVALUATED_COLUMNS)
LINE_LABELS = {
    "vendor_selection": "Vendor selection",
    "process_improvement": "Process improvement",
    "captive_setup": "Captive set-up",
    "knowledge_transfer": "Knowledge transfer",
    "parallel_running": "Parallel running",
    "severance": "Severance and notice",
    "retention": "Retention bonuses",
    "productivity_ramp": "Provider ramp-up",
    "change_orders": "Change orders",
    "residual_inhouse_work": "Work left in-house",
    "governance": "Governance",
    "leakage": "Savings leakage",
    "stranded_costs": "Stranded costs",
}
#: assumptions that set the model's structure or the client's choices, not an uncertainty to simulate; labour's
#: share of cost and the night premium act through the price built before the simulation, whose published
#: range reference_price_position sweeps
NOT_SIMULATED = (
    "contract_years",
    "discount_rate",
    "ramp_shape",
    "mid_year_discounting",
    "base_year",
    "captive_min_fte",
    "labour_share_of_cost",
    "night_shift_premium",
    "provider_margin",
)


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
#: data/reference/provider_economics.csv, economics_assumptions.csv, severance.csv and hidden_costs.csv
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
        "position within the low-high range of a price: 0 = low, 0.5 = its central value, 1 = high",
        "kit convention: a published or derived range is kept as a range; the base case takes the price's central "
        "value (a derived price's mid, not the midpoint of a lopsided range)",
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
        + list(table("economics_assumptions")["name"])
        + list(table("hidden_costs")["category"])
        + ["severance_weeks"]
    )


def severance_rule(country: str) -> dict:
    """The client's home-country redundancy rule at the kit's default tenure (5 years): weeks of pay (statute +
    notice paid in lieu), low (notice worked) and high (enhanced practice), the weekly-pay cap on the statutory
    part, and the source. A country without a figure comes back with ``found`` False and zero weeks."""
    t = table("severance").set_index("country")
    if country not in t.index or pd.isna(t.at[country, "value_weeks"]):
        basis = t.at[country, "basis"] if country in t.index else "NOT FOUND: no row in data/reference/severance.csv"
        return {
            "found": False,
            "value": 0.0,
            "low": 0.0,
            "high": 0.0,
            "statutory_weeks": 0.0,
            "cap": np.nan,
            "cap_currency": None,
            "source": f"no severance figure found for {country} ({basis}); severance counted as nothing",
        }
    r = t.loc[country]
    return {
        "found": True,
        "value": float(r["value_weeks"]),
        "low": float(r["low_weeks"]),
        "high": float(r["high_weeks"]),
        "statutory_weeks": float(r["statutory_weeks"]),
        "cap": float(r["weekly_pay_cap"]) if pd.notna(r["weekly_pay_cap"]) else np.nan,
        "cap_currency": r["cap_currency"] if pd.notna(r["cap_currency"]) else None,
        "source": f"{country}: {r['basis']} ({r['source']}, {r['year']}; {r['confidence']})",
    }


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
    for e in table("economics_assumptions").itertuples():
        src = e.source if e.source.startswith("kit ") else f"{e.source}, {e.year} ({e.confidence})"
        rows.append({"name": e.name, "value": e.value, "low": e.low, "high": e.high, "unit": e.unit, "source": src})
    for h in table("hidden_costs").itertuples():
        rows.append(
            {
                "name": h.category,
                "value": (h.low_share + h.high_share) / 2,
                "low": h.low_share,
                "high": h.high_share,
                "unit": f"share of annual contract value, {h.timing.replace('_', '-')}",
                "source": f"{h.source} ({h.confidence})",
            }
        )
    home = client.config.home_country
    sev = severance_rule(home)
    rows.append(
        {
            "name": "severance_weeks",
            "value": sev["value"],
            "low": sev["low"],
            "high": sev["high"],
            "unit": "weeks of pay per displaced person (statute + notice; 5 years' service)",
            "source": sev["source"],
        }
    )
    cap = sev["cap"]
    if sev["cap_currency"] and sev["cap_currency"] != client.config.currency:
        cap = cap * fx.rate(sev["cap_currency"], client.config.currency)
    rows.append(
        {
            "name": "severance_capped_weeks",
            "value": sev["statutory_weeks"] if np.isfinite(cap) else 0.0,
            "low": sev["statutory_weeks"] if np.isfinite(cap) else 0.0,
            "high": 0.0,
            "unit": f"statutory weeks paid at no more than the weekly cap ({cap:,.0f} {client.config.currency})"
            if np.isfinite(cap)
            else "no weekly pay cap",
            "source": sev["source"],
        }
    )
    rows.append(
        {
            "name": "severance_weekly_cap",
            "value": cap if np.isfinite(cap) else 0.0,
            "low": cap if np.isfinite(cap) else 0.0,
            "high": cap if np.isfinite(cap) else 0.0,
            "unit": f"{client.config.currency} per week (0 = no cap)",
            "source": sev["source"],
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
    base_year = fx.rate_date().year
    rows.append(
        {
            "name": "base_year",
            "value": base_year,
            "low": base_year,
            "high": base_year,
            "unit": "year of today's prices (published prices are escalated to it)",
            "source": f"the ECB reference rate date, {fx.rate_date():%d %b %Y}",
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


#: values of assumptions that older callers (and tests) may leave out: they change nothing when absent
NEUTRAL = {
    "parallel_running_share": 0.0,
    "knowledge_transfer_share": 0.0,
    "retention_months": 0.0,
    "productivity_ramp_multiplier": 1.0,
    "ramp_months": 24.0,
    "ramp_shape": 0.0,
    "governance": 0.0,
    "residual_inhouse_work": 0.0,
    "leakage": 0.0,
    "stranded_costs": 0.0,
    "change_orders": 0.0,
    "baseline_error": 0.0,
    "captive_cost_factor": 1.0,
    "captive_ramp_factor": 1.0,
    "captive_setup_per_seat": 0.0,
    "severance_weeks": 0.0,
    "severance_capped_weeks": 0.0,
    "severance_weekly_cap": 0.0,
    "vendor_selection": 0.0,
    "process_improvement": 0.0,
    "mid_year_discounting": 0.0,
    "inhouse_cost_growth": 0.0,
    "provider_wage_inflation": 0.0,
}


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


def _overlap(lo, hi, y):
    """Months of the span [lo, hi) (months from contract start) that fall in contract year ``y``."""
    return np.clip(np.minimum(hi, 12 * y) - np.maximum(lo, 12 * (y - 1)), 0, None)


def yearly_flows(inhouse, provider, p: dict, years: int, fte=None, captive=None) -> dict[str, np.ndarray]:
    """Yearly cash flows over the contract, broadcast over any leading shape of ``inhouse``/``provider``
    (the client's and the provider's annual cost at today's prices, same currency), of ``fte`` and ``captive``
    (True where the move is a captive centre) and of the values in ``p`` (assumptions left out change nothing).

    Returns arrays of shape (..., years): ``baseline`` (today's cost over the whole contract, transition
    included), ``inhouse`` (cost avoided), ``provider`` (contract value paid), ``gross`` (labour arbitrage), one
    per cost line (:data:`COST_LINES`), ``hidden`` (their sum) and ``net``; and ``go_live`` (month).
    """
    q = {**NEUTRAL, **p}
    inhouse = np.asarray(inhouse, dtype=float)[..., None]
    provider = np.asarray(provider, dtype=float)[..., None]
    y = np.arange(1, years + 1, dtype=float)

    def v(name):
        return np.asarray(q[name], dtype=float)[..., None]

    t = v("transition_months")
    price = provider
    setup = 0.0
    if captive is not None:
        cap = np.asarray(captive, dtype=bool)[..., None]
        t = np.where(cap, t * v("captive_ramp_factor"), t)
        price = np.where(cap, provider * v("captive_cost_factor"), provider)
        if fte is not None:
            setup = v("captive_setup_per_seat") * np.asarray(fte, dtype=float)[..., None] * cap
    first = (y == 1).astype(float)
    today = inhouse * (1 + v("baseline_error"))
    inh_y = today * (1 + v("inhouse_cost_growth")) ** (y - 1)
    prov_y = price * (1 + v("provider_wage_inflation")) ** (y - 1)
    active = _overlap(t, np.inf, y) / 12
    avoided = inh_y * active
    contract = prov_y * active
    out = {"baseline": inh_y + 0 * t, "inhouse": avoided, "provider": contract, "gross": avoided - contract}
    out["vendor_selection"] = v("vendor_selection") * price * first
    out["process_improvement"] = v("process_improvement") * price * first
    out["captive_setup"] = setup * first + 0 * contract
    # the transition team is paid at in-house rates (Overby: onshore staff at the prevailing local rate)
    out["knowledge_transfer"] = v("knowledge_transfer_share") * inh_y * _overlap(0, t, y) / 12
    out["parallel_running"] = prov_y * _overlap(t - v("parallel_running_share") * t, t, y) / 12
    go_live_year = (y == np.maximum(np.ceil(t / 12), 1)).astype(float)
    displaced = 1 - v("residual_inhouse_work")
    weeks = v("severance_weeks")
    capped = np.minimum(v("severance_capped_weeks"), weeks)
    weekly = inh_y / 52
    weekly_capped = weekly
    if fte is not None:
        n = np.maximum(np.asarray(fte, dtype=float)[..., None], 1e-9)
        cap_w = v("severance_weekly_cap")
        weekly_capped = np.where(cap_w > 0, np.minimum(weekly / n, cap_w) * n, weekly)
    out["severance"] = displaced * (capped * weekly_capped + (weeks - capped) * weekly) * go_live_year
    out["retention"] = displaced * v("retention_months") / 12 * inh_y * go_live_year
    r = np.maximum(v("ramp_months"), 1e-9)
    a0 = np.clip(12 * (y - 1), t, t + r) - t
    a1 = np.clip(12 * y, t, t + r) - t
    linear = (a1 - a1**2 / (2 * r)) - (a0 - a0**2 / (2 * r))
    shape = v("ramp_shape")
    ramp_months = (1 - shape) * (a1 - a0) + shape * linear
    out["productivity_ramp"] = (v("productivity_ramp_multiplier") - 1) * prov_y * ramp_months / 12
    out["change_orders"] = v("change_orders") * (contract + out["productivity_ramp"])
    out["residual_inhouse_work"] = v("residual_inhouse_work") * avoided
    out["governance"] = v("governance") * (contract + out["productivity_ramp"] + out["change_orders"])
    out["leakage"] = v("leakage") * np.maximum(out["gross"] - out["residual_inhouse_work"], 0)
    out["stranded_costs"] = v("stranded_costs") * inh_y * _overlap(t, t + 12, y) / 12
    out["hidden"] = sum(out[k] for k in COST_LINES)
    out["net"] = out["gross"] - out["hidden"]
    out["go_live"] = t[..., 0]
    return out


def npv(net: np.ndarray, discount_rate, mid_year: bool | float = False) -> np.ndarray:
    """Net present value of yearly flows (last axis), discounted at the end of each year, or at its middle
    with ``mid_year`` (cash that arrives through the year)."""
    y = np.arange(1, net.shape[-1] + 1) - (0.5 if mid_year else 0.0)
    return (net / (1 + np.asarray(discount_rate, dtype=float)[..., None]) ** y).sum(axis=-1)


def irr(net, one_time=None) -> float:
    """Internal rate of return of one series of yearly flows (end of year); with ``one_time``, those costs are
    moved to the signing date (year 0) and taken out of the yearly flows, as a CFO would lay out an
    investment. NaN when the flows never change sign (no outlay: no IRR)."""
    net = np.asarray(net, dtype=float)
    if one_time is not None:
        one_time = np.asarray(one_time, dtype=float)
        net = np.concatenate([[-one_time.sum()], net + one_time])
    else:
        net = np.concatenate([[0.0], net])
    if not (net.min() < 0 < net.max()):
        return float("nan")
    t = np.arange(len(net))

    def f(rate):
        return float((net / (1 + rate) ** t).sum())

    lo, hi = -0.99, 100.0
    if f(lo) * f(hi) > 0:
        return float("nan")
    for _ in range(200):
        mid = (lo + hi) / 2
        if f(lo) * f(mid) <= 0:
            hi = mid
        else:
            lo = mid
    return (lo + hi) / 2


def payback_month(flows: dict[str, np.ndarray], transition_months=None) -> np.ndarray:
    """The month in which cumulative net cash turns positive (NaN if never within the contract): one-time
    costs are counted at the start, then each year's recurring flow is spread over its months after go-live."""
    one_time = np.asarray(sum(flows[k] for k in ONE_TIME if k in flows), dtype=float)
    recurring = flows["net"] + one_time
    years = recurring.shape[-1]
    cum = -one_time.sum(axis=-1)
    t = flows["go_live"] if transition_months is None and "go_live" in flows else transition_months
    t = np.broadcast_to(np.asarray(t, dtype=float), cum.shape)
    result = np.where(cum >= 0, np.where(t > 0, np.ceil(t), 1.0), np.nan)
    for k in range(years):
        start = np.maximum(t, 12.0 * k)
        months = np.maximum(0.0, 12.0 * (k + 1) - start)
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = np.where(months > 0, recurring[..., k] / months, 0.0)
            need = np.where(rate > 0, -cum / rate, np.inf)
        hit = np.isnan(result) & (cum < 0) & (need <= months)
        result = np.where(hit, np.ceil(start + need), result)
        cum = cum + recurring[..., k]
    return result


def cumulative_cash(net: np.ndarray) -> pd.DataFrame:
    """The J-curve: each contract year's net cash and the running total."""
    net = np.asarray(net, dtype=float)
    return pd.DataFrame({"year": np.arange(1, len(net) + 1), "net": net, "cumulative": np.cumsum(net)})


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


def _take_categorical(values, pos: np.ndarray, fill=np.nan) -> pd.Categorical:
    """``pd.Categorical(_take(values, pos, fill))`` for a short ``values`` and a long ``pos``: the categories
    are found once on ``values`` (and ``fill``), then only the codes are taken, never millions of strings."""
    arr = np.asarray(values.to_numpy() if isinstance(values, pd.Series) else values)
    missing = pos < 0
    if missing.any():
        arr = np.append(arr.astype(object if arr.dtype.kind in "OUS" else float), np.array([fill], dtype=object))
        pos = np.where(missing, len(arr) - 1, pos)
    small = pd.Categorical(arr)
    codes = small.codes[pos]
    # the categories no pair uses are dropped (as ``pd.Categorical`` of the taken values would never have them)
    used = np.bincount(codes[codes >= 0], minlength=len(small.categories)) > 0
    if used.all():
        return pd.Categorical.from_codes(codes, dtype=small.dtype)
    recode = np.full(len(used) + 1, -1, dtype=codes.dtype)
    recode[:-1][used] = np.arange(used.sum(), dtype=codes.dtype)
    return pd.Categorical.from_codes(recode[codes], categories=small.categories[used])


def price_at(position, low, mid, high):
    """The price at ``position`` in its range: from low (0) to the central value (0.5), then to high (1). A
    derived price's range is lopsided (a professional's pay runs further above the central value than below
    it), so the midpoint of low and high would overstate the central estimate."""
    position = np.asarray(position, dtype=float)
    below = low + np.clip(position, 0, 0.5) / 0.5 * (mid - low)
    return np.where(position <= 0.5, below, mid + (np.clip(position, 0.5, 1) - 0.5) / 0.5 * (high - mid))


def pair_costs(processes: pd.DataFrame, pairs: pd.DataFrame, prices: pd.DataFrame, a: dict) -> pd.DataFrame:
    """Each process x location pair with today's annual cost and the provider's annual price (client
    currency, year-one prices) and how that price was found. Pairs with no price have NaN."""
    # copy-on-write (pandas 3): the new columns below never reach ``pairs``, so no deep copy of its 2.5 million rows
    out = pairs.copy(deep=False)
    pos = _positions(processes["process_id"], pairs["process_id"])
    out["fte"] = _take(processes["fte"], pos)
    out["annual_cost"] = _take(processes["annual_cost"], pos)
    # categories from the processes, codes per pair: no string per pair is built or compared
    role = _take_categorical(processes["role_family"].astype(str), pos, "")
    out["role_family"] = role
    # look the price up by (location, role family) position rather than by joining 2.5 million string keys
    pc = pairs["country"]
    if isinstance(pc.dtype, pd.CategoricalDtype) and (pc.cat.codes.to_numpy() >= 0).all():
        country_categories = pd.Index(pc.cat.categories.astype(str))
        country_codes = pc.cat.codes.to_numpy()
    else:
        country = pd.Categorical(pc.astype(str))
        country_categories, country_codes = country.categories, country.codes
    px = prices.set_index(["country", "role_family"])
    roles = pd.Index(ROLE_FAMILIES)
    grid = px.index.get_indexer(pd.MultiIndex.from_product([country_categories, roles]))
    grid = grid.reshape(len(country_categories), len(roles))
    role_pos = roles.get_indexer(role.categories)[role.codes] if len(role.categories) else np.full(len(role), -1)
    role_pos = np.where(role.codes >= 0, role_pos, -1)
    row = np.where(role_pos >= 0, grid[country_codes, np.maximum(role_pos, 0)], -1)
    flat = px.reset_index()
    for col in ("low_client", "mid_client", "high_client"):
        # a table without a central value (an older one) takes the midpoint of its range
        vals = flat[col] if col in flat else (flat["low_client"] + flat["high_client"]) / 2
        out[col] = _take(vals, row)
    for col in ("currency", "basis"):
        out[col] = _take_categorical(flat[col], row, None)
    # published prices are escalated from their year to the base year; a quote (no year) is today's price
    base_year = a.get("base_year")
    src_year = pd.to_numeric(flat["year"], errors="coerce") if "year" in flat else pd.Series(np.nan, flat.index)
    gap = np.clip(base_year - src_year.to_numpy(dtype=float), 0, None) if base_year else np.zeros(len(flat))
    esc = np.where(np.isnan(gap), 1.0, (1 + a.get("provider_wage_inflation", 0.0)) ** np.nan_to_num(gap))
    out["price_escalation"] = np.where(row >= 0, esc[np.maximum(row, 0)], 1.0) if len(esc) else 1.0
    # the night-shift premium is paid on wages, not on the provider's overhead and margin
    wage_share = a.get("labour_share_of_cost", 1.0) * (1 - a.get("provider_margin", 0.0))
    # plain arrays, the same operations in the same order as on the columns (no Series alignment per product)
    escalation = out["price_escalation"].to_numpy()
    premium = np.where(out["night_shift"], 1 + a["night_shift_premium"] * wage_share, 1.0) * escalation
    position = a["reference_price_position"]
    low, mid, high = (out[c].to_numpy() for c in ("low_client", "mid_client", "high_client"))
    price = price_at(position, low, mid, high)
    fte_productivity = out["fte"].to_numpy() * a["productivity"]
    out["provider_cost"] = fte_productivity * price * premium
    out["provider_low"] = fte_productivity * low * premium
    out["provider_mid"] = fte_productivity * mid * premium
    out["provider_high"] = fte_productivity * high * premium
    hybrid = (
        processes["recommendation"].eq("hybrid").to_numpy()
        if "recommendation" in processes
        else np.zeros(len(processes), bool)
    )
    out["captive"] = np.where(pos >= 0, hybrid[np.maximum(pos, 0)], False)
    out["operating_model"] = pd.Categorical.from_codes(
        out["captive"].to_numpy(dtype=np.int8), categories=["third party", "captive"]
    )
    return out


def evaluate(costs: pd.DataFrame, a: dict, chunk: int = 10_000) -> pd.DataFrame:
    """Cash-flow totals, NPV and payback for every pair that fits and has a price (the others get none: no
    move goes there). Computed in chunks of rows, so that a large portfolio's yearly flows never sit in memory
    all at once. Captive moves also get the NPV of the same move to a third party (``npv_alternative``). The
    cost lines of each pair are added for the recommended moves by :func:`recommended_pairs`."""
    years = int(a["contract_years"])
    mid = bool(a.get("mid_year_discounting", 0))
    provider_all = costs["provider_cost"].to_numpy(dtype=float)
    fit = costs["fit"].to_numpy(dtype=bool) if "fit" in costs else np.ones(len(costs), bool)
    rows = np.flatnonzero(fit & ~np.isnan(provider_all))
    inhouse = costs["annual_cost"].to_numpy(dtype=float)[rows]
    provider = provider_all[rows]
    fte = costs["fte"].to_numpy(dtype=float)[rows]
    captive = costs["captive"].to_numpy(dtype=bool)[rows] if "captive" in costs else np.zeros(len(rows), bool)
    names = ["inhouse_total", "contract_value", "gross_arbitrage", "hidden_costs", "net_savings"]
    # every pair's totals written straight into place; pairs not evaluated keep NaN
    part = {k: np.full(len(costs), np.nan) for k in [*names, "npv", "payback_month", "npv_alternative"]}
    # third-party and captive moves apart, each with one operating model: the transition and ramp, which
    # depend on it alone, are then worked out once per chunk rather than once per pair (same values)
    for is_captive in (False, True):
        group = np.flatnonzero(captive == is_captive)
        model = np.full(1, is_captive)
        for start in range(0, len(group), chunk):
            ix = group[start : start + chunk]
            at = rows[ix]
            flows = yearly_flows(inhouse[ix], provider[ix], a, years, fte[ix], model)
            part["inhouse_total"][at] = flows["baseline"].sum(axis=-1)
            part["contract_value"][at] = flows["provider"].sum(axis=-1)
            part["gross_arbitrage"][at] = flows["gross"].sum(axis=-1)
            part["hidden_costs"][at] = flows["hidden"].sum(axis=-1)
            part["net_savings"][at] = flows["net"].sum(axis=-1)
            part["npv"][at] = npv(flows["net"], a["discount_rate"], mid)
            part["payback_month"][at] = payback_month(flows)
            if is_captive:
                third = yearly_flows(inhouse[ix], provider[ix], a, years, fte[ix], np.zeros(1, bool))
                part["npv_alternative"][at] = npv(third["net"], a["discount_rate"], mid)
    totals = part
    # the share is of today's cost over the whole contract, the transition months included
    inhouse_total = totals["inhouse_total"]
    with np.errstate(invalid="ignore"):
        positive = np.where(inhouse_total > 0, inhouse_total, np.nan)
    added = {k: totals[k] for k in names}
    added["savings_pct"] = totals["net_savings"] / positive
    for k in ("npv", "payback_month", "npv_alternative"):
        added[k] = totals[k]
    if costs.columns.intersection(list(added)).empty and costs.columns.is_unique:
        # new columns side by side (copy-on-write: nothing of ``costs`` is copied)
        new = pd.DataFrame(added, index=costs.index, copy=False)
        out = pd.concat([costs, new], axis=1)
        out.attrs = copy.deepcopy(costs.attrs)
    else:
        out = costs.assign(**{k: added[k] for k in names})
        for k in ("savings_pct", "npv", "payback_month", "npv_alternative"):
            out[k] = added[k]
    out.attrs["values"] = dict(a)
    return out


def cost_lines(pairs: pd.DataFrame, a: dict) -> pd.DataFrame:
    """``pairs`` with each cost line over the contract (:data:`COST_LINES`), and the older summary lines
    ``transition``, ``layoffs_retention`` and ``lost_productivity`` kept for readers of the workbook."""
    out = pairs.copy()
    if out.empty:
        for k in (*COST_LINES, "transition", "layoffs_retention", "lost_productivity"):
            out[k] = pd.Series(dtype=float)
        return out
    f = yearly_flows(
        out["annual_cost"].to_numpy(float),
        out["provider_cost"].to_numpy(float),
        a,
        int(a["contract_years"]),
        out["fte"].to_numpy(float),
        out["captive"].to_numpy(bool) if "captive" in out else None,
    )
    for k in COST_LINES:
        out[k] = f[k].sum(axis=-1)
    out["transition"] = out["knowledge_transfer"] + out["parallel_running"]
    out["layoffs_retention"] = out["severance"] + out["retention"]
    out["lost_productivity"] = out["productivity_ramp"]
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
    ec = evaluated["country"]
    if isinstance(ec.dtype, pd.CategoricalDtype) and (ec.cat.codes.to_numpy() >= 0).all():
        # ties broken by the country's name, compared as the rank of its category rather than as strings
        names = np.asarray(ec.cat.categories.astype(str), dtype=object)
        ranks = {c: i for i, c in enumerate(sorted(set(names)))}
        rank = np.array([ranks[c] for c in names], dtype=np.int64)
        country = rank[ec.cat.codes.to_numpy()]
    else:
        country = ec.astype(str).to_numpy()
    if len(ok) and not np.isnan(radj[ok]).any():
        # only each process's best fit-weighted NPV (and its ties) can come first: sort those alone
        top = np.full(len(movable), -np.inf)
        np.maximum.at(top, pos[ok], radj[ok])
        ok = ok[radj[ok] == top[pos[ok]]]
    order = ok[np.lexsort((country[ok], -radj[ok], pos[ok]))]
    first = order[np.r_[True, pos[order][1:] != pos[order][:-1]]] if len(order) else order
    best = evaluated.iloc[first][["country", *MOVE_COLUMNS]].reset_index(drop=True)
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
    placed = out["recommended_location"].notna().to_numpy()
    rows = zip(placed, out["night_shift"].tolist(), out["fit_score"].tolist(), out["role_family"].tolist(), strict=True)
    for k, (is_placed, night_shift, fit_score, role_family) in enumerate(rows):
        if is_placed:
            shift = ", staffed outside the hub's normal day" if night_shift else ""
            reasons.append(
                f"highest fit-weighted NPV among {int(n_priced[k])} priced locations "
                f"that fit (fit {fit_score:.2f}{shift})"
            )
        elif n_fit[k] == 0:
            reasons.append(
                "no candidate location fits (languages, English or data protection); keep in-house "
                "or widen the candidates"
            )
        elif n_priced[k] == 0:
            reasons.append(
                f"no price for {role_family.replace('_', ' ')} in the locations that fit; add the "
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


def recommended_pairs(evaluated: pd.DataFrame, plan: pd.DataFrame, lines: bool = True) -> pd.DataFrame:
    """The business-case rows of the recommended moves: each moved process at its recommended location, with
    its cost lines."""
    chosen = evaluated.merge(
        plan[["process_id", "recommended_location"]].dropna(),
        left_on=["process_id", "country"],
        right_on=["process_id", "recommended_location"],
    )
    values = evaluated.attrs.get("values")
    return cost_lines(chosen, values) if values and lines else chosen


def waterfall(evaluated: pd.DataFrame, plan: pd.DataFrame) -> pd.DataFrame:
    """From gross labour arbitrage down to net savings for the recommended moves: one step per cost line
    (lines that come to nothing are left out)."""
    chosen = recommended_pairs(evaluated, plan)
    steps = [("gross labour arbitrage", chosen["gross_arbitrage"].sum())]
    for k in COST_LINES:
        amount = chosen[k].sum() if k in chosen else 0.0
        if amount > 0:
            steps.append((LINE_LABELS[k], -amount))
    steps.append(("net savings", chosen["net_savings"].sum()))
    return pd.DataFrame(steps, columns=["step", "amount"])


# --- uncertainty -----------------------------------------------------------------------------------------


def exposure(evaluated: pd.DataFrame, plan: pd.DataFrame | None = None) -> pd.DataFrame:
    """Cost bases of the moves to simulate, per group, price currency and operating model: today's cost, FTE
    and the provider's low/high annual price (client currency). With ``plan``, only the recommended pairs,
    grouped as one plan; without, every movable pair that fits, grouped per location."""
    # only the columns summed below: no copy of the other columns of 2.5 million pairs
    keep = [
        c
        for c in (
            "process_id",
            "country",
            "fit",
            "currency",
            "captive",
            "annual_cost",
            "fte",
            "provider_cost",
            "provider_low",
            "provider_mid",
            "provider_high",
        )
        if c in evaluated
    ]
    e = evaluated[keep].dropna(subset=["provider_cost"])
    if plan is not None:
        chosen = _chosen_rows(e, plan)
        e = (recommended_pairs(e, plan, lines=False) if chosen is None else e[chosen].reset_index(drop=True)).assign(
            group="recommended plan"
        )
    else:
        country = e["country"]
        e = e[e["fit"]]
        if isinstance(country.dtype, pd.CategoricalDtype):
            # group on the country's code (categories in name order, as the names would sort), not on a string
            # per pair; the group column is turned into the same strings after the sums
            names = country.cat.categories.astype(str)
            group = pd.Categorical(e["country"].astype(country.dtype), ordered=False).rename_categories(names)
            group = group.reorder_categories(sorted(names)) if not names.is_monotonic_increasing else group
            out = _exposure_sums(e.assign(group=group))
            out["group"] = out["group"].astype(str)
            return out
        e = e.assign(group=e["country"].astype(str))
    return _exposure_sums(e)


def _chosen_rows(e: pd.DataFrame, plan: pd.DataFrame) -> np.ndarray | None:
    """Which rows of ``e`` are the plan's moves (each process at its recommended location), by positions
    rather than by merging 2.5 million pairs on two string keys; ``None`` where a merge is needed (a plan with
    a process twice, or locations not held as categories)."""
    sel = plan[["process_id", "recommended_location"]].dropna()
    country = e["country"]
    if not isinstance(country.dtype, pd.CategoricalDtype) or not sel["process_id"].is_unique:
        return None
    ppos = _positions(sel["process_id"], e["process_id"])
    where = pd.Index(country.cat.categories.astype(str)).get_indexer(sel["recommended_location"].astype(str))
    codes = country.cat.codes.to_numpy()
    target = np.where(ppos >= 0, where[np.maximum(ppos, 0)], -1) if len(where) else np.full(len(e), -1)
    return (ppos >= 0) & (target >= 0) & (target == codes)


def _exposure_sums(e: pd.DataFrame) -> pd.DataFrame:
    if "captive" not in e:
        e = e.assign(captive=False)
    if "provider_mid" not in e:
        # pairs costed before prices had a central value: the midpoint of their range
        e = e.assign(provider_mid=(e["provider_low"] + e["provider_high"]) / 2)
    return (
        e.groupby(["group", "currency", "captive"], observed=True)
        .agg(
            inhouse=("annual_cost", "sum"),
            fte=("fte", "sum"),
            provider_low=("provider_low", "sum"),
            provider_mid=("provider_mid", "sum"),
            provider_high=("provider_high", "sum"),
        )
        .reset_index()
    )


def _simulate_groups(expo: pd.DataFrame, params: dict, fx_factor: dict, years: int) -> dict:
    """Net savings, baseline, NPV and payback per group for one set of parameters (scalars or arrays of
    draws): each group's flows are the sum of its rows' flows."""
    groups = list(dict.fromkeys(expo["group"]))
    pos = np.asarray(params["reference_price_position"], dtype=float)
    prod = np.asarray(params["productivity"], dtype=float) / params["_base_productivity"]
    mid = bool(params.get("mid_year_discounting", 0))
    res: dict[str, list] = {"net": [], "baseline": [], "npv": [], "payback": [], "hidden": [], "contract": []}
    for g in groups:
        total: dict[str, np.ndarray] = {}
        go_live = None
        for r in expo[expo["group"] == g].itertuples():
            mid_ = getattr(r, "provider_mid", (r.provider_low + r.provider_high) / 2)
            provider = price_at(pos, r.provider_low, mid_, r.provider_high) * fx_factor.get(r.currency, 1.0)
            provider = provider * prod
            inhouse = np.broadcast_to(r.inhouse, np.shape(provider))
            f = yearly_flows(inhouse, provider, params, years, r.fte, bool(r.captive))
            for k in ("net", "baseline", "hidden", "provider", *ONE_TIME):
                total[k] = total.get(k, 0) + f[k]
            go_live = f["go_live"] if go_live is None else np.minimum(go_live, f["go_live"])
        total["go_live"] = np.asarray(go_live, dtype=float)
        res["net"].append(total["net"].sum(axis=-1))
        res["baseline"].append(total["baseline"].sum(axis=-1))
        res["hidden"].append(total["hidden"].sum(axis=-1))
        res["contract"].append(total["provider"].sum(axis=-1))
        res["npv"].append(npv(total["net"], params["discount_rate"], mid))
        res["payback"].append(payback_month(total))
    out: dict = {k: np.stack([np.asarray(x, dtype=float) for x in v], axis=-1) for k, v in res.items()}
    out["groups"] = groups
    return out


def uncertain_assumptions(assumptions: pd.DataFrame) -> list[str]:
    """The assumptions the Monte Carlo draws and the tornado swings: every one with a range, except the
    client's choices (contract length, discount rate, ramp shape, discounting convention)."""
    t = assumptions.set_index("name")
    return [
        n
        for n in t.index
        if n not in NOT_SIMULATED
        and not n.startswith("fx_")
        and not n.startswith("severance_capped")
        and n != "severance_weekly_cap"
        and not n.startswith("automation_")
        and t.at[n, "low"] < t.at[n, "high"]
    ]


def pert(rng: np.random.Generator, low: float, mode: float, high: float, size: int) -> np.ndarray:
    """Draws from the PERT distribution of a low / most likely / high estimate (a beta distribution with
    shape 4, the standard in project estimating)."""
    if high <= low:
        return np.full(size, float(mode))
    mode = min(max(mode, low), high)
    a = 1 + 4 * (mode - low) / (high - low)
    b = 1 + 4 * (high - mode) / (high - low)
    return low + (high - low) * rng.beta(a, b, size)


#: how each simulated assumption is drawn, for the report
DISTRIBUTIONS = (
    "Every assumption with a range is drawn from a PERT distribution on its low, value and high (a beta with "
    "shape 4); parallel running is a share of the drawn transition, so a long transition means a long parallel "
    "run; FX is lognormal with the ECB rates' own yearly volatility over half the contract."
)


@dataclass
class Simulation:
    """A Monte Carlo's result: P10/P50/P90 per group, and every draw of NPV (one column per group)."""

    summary: pd.DataFrame
    draws: pd.DataFrame


def _pessimistic(p: np.ndarray, q: int) -> float:
    return float(np.percentile(p, q))


def monte_carlo(
    expo: pd.DataFrame, assumptions: pd.DataFrame, client_currency: str, draws: int = 2000, seed: int = 42
) -> Simulation:
    """Seeded Monte Carlo over every uncertain assumption (:func:`uncertain_assumptions`: transition length,
    parallel running, provider price and change orders, ramp, today's cost, wage inflation, severance and the
    other cost lines) and FX. Returns per group P10, P50, P90 of net savings (amount and share of today's
    cost), NPV and payback month, where P10 is the outcome nine draws in ten beat (for payback: the late
    month), the chance that NPV is negative, and the draws of NPV for charts."""
    cols = [
        "group",
        "net_p10",
        "net_p50",
        "net_p90",
        "net_pct_p10",
        "net_pct_p50",
        "net_pct_p90",
        "npv_p10",
        "npv_p50",
        "npv_p90",
        "payback_p10",
        "payback_p50",
        "payback_p90",
        "chance_of_loss",
    ]
    if expo.empty:  # nothing to move: nothing to simulate
        return Simulation(summary=pd.DataFrame(columns=cols), draws=pd.DataFrame())
    rng = np.random.default_rng(seed)
    t = assumptions.set_index("name")
    base = base_values(assumptions)
    years = int(base["contract_years"])
    params = dict(base)
    params["_base_productivity"] = base["productivity"]
    for name in uncertain_assumptions(assumptions):
        params[name] = pert(rng, t.at[name, "low"], t.at[name, "value"], t.at[name, "high"], draws)
    fx_factor = {}
    for cur in sorted(set(expo["currency"]) - {client_currency}):
        vol = t.at[f"fx_{cur}_{client_currency}", "low"]
        fx_factor[cur] = np.exp(rng.normal(0.0, vol * np.sqrt(years / 2), draws))
    sim = _simulate_groups(expo, params, fx_factor, years)
    pct = sim["net"] / np.where(sim["baseline"] > 0, sim["baseline"], np.nan)
    never = 1e9  # a draw that never pays back sorts after every month
    pay = np.where(np.isnan(sim["payback"]), never, sim["payback"])
    q = [10, 50, 90]
    pay_q = np.percentile(pay, [90, 50, 10], axis=0, method="higher")  # P10 = the late month nine in ten beat
    out = pd.DataFrame({"group": sim["groups"]})
    for name, arr in (("net", sim["net"]), ("net_pct", pct), ("npv", sim["npv"])):
        vals = np.percentile(arr, q, axis=0)
        for i, k in enumerate(q):
            out[f"{name}_p{k}"] = vals[i]
    for i, k in enumerate(q):
        out[f"payback_p{k}"] = np.where(pay_q[i] < never, pay_q[i], np.nan)
    out["chance_of_loss"] = (sim["npv"] < 0).mean(axis=0)
    return Simulation(summary=out[cols], draws=pd.DataFrame(sim["npv"], columns=sim["groups"]))


def tornado(expo: pd.DataFrame, assumptions: pd.DataFrame, client_currency: str) -> pd.DataFrame:
    """NPV of the recommended plan as each uncertain assumption (the same ones the Monte Carlo draws) moves
    to its low and then its high value, the others at their base; sorted by the width of the swing."""
    cols = ["assumption", "low_value", "high_value", "npv_at_low", "npv_at_high", "base_npv", "swing"]
    if expo.empty:
        return pd.DataFrame(columns=cols)
    base = base_values(assumptions)
    base["_base_productivity"] = base["productivity"]
    years = int(base["contract_years"])
    base_npv = _simulate_groups(expo, base, {}, years)["npv"]
    t = assumptions.set_index("name")
    rows = []
    for n in uncertain_assumptions(assumptions):
        lo, hi = t.at[n, "low"], t.at[n, "high"]
        res = [_simulate_groups(expo, {**base, n: val}, {}, years)["npv"].item() for val in (lo, hi)]
        rows.append({"assumption": n, "low_value": lo, "high_value": hi, "npv_at_low": res[0], "npv_at_high": res[1]})
    for cur in sorted(set(expo["currency"]) - {client_currency}):
        vol = t.at[f"fx_{cur}_{client_currency}", "low"]
        res = [_simulate_groups(expo, base, {cur: np.exp(z * vol)}, years)["npv"].item() for z in (-1.2816, 1.2816)]
        rows.append(
            {
                "assumption": f"FX {cur}/{client_currency} (P10 to P90 of one year)",
                "low_value": -1.2816 * vol,
                "high_value": 1.2816 * vol,
                "npv_at_low": res[0],
                "npv_at_high": res[1],
            }
        )
    out = pd.DataFrame(rows, columns=cols[:-2])
    out["base_npv"] = base_npv.item()
    out["swing"] = (out["npv_at_high"] - out["npv_at_low"]).abs()
    return out.sort_values("swing", ascending=False, ignore_index=True)


def stress_case(expo: pd.DataFrame, assumptions: pd.DataFrame, client_currency: str) -> dict:
    """The named stress case: every uncertain assumption at whichever end of its range lowers the NPV, and
    every foreign currency at the P90 of its move against the client over half the contract. Returns net
    savings, its share of today's cost, NPV, payback month and the values used."""
    if expo.empty:
        return {"net": 0.0, "net_pct": float("nan"), "npv": 0.0, "payback_month": float("nan"), "values": {}}
    base = base_values(assumptions)
    base["_base_productivity"] = base["productivity"]
    years = int(base["contract_years"])
    t = assumptions.set_index("name")
    torn = tornado(expo, assumptions, client_currency)
    worst = {}
    for r in torn.itertuples():
        if r.assumption in t.index:
            worst[r.assumption] = r.low_value if r.npv_at_low < r.npv_at_high else r.high_value
    fx_factor = {}
    for cur in sorted(set(expo["currency"]) - {client_currency}):
        vol = t.at[f"fx_{cur}_{client_currency}", "low"]
        fx_factor[cur] = float(np.exp(1.2816 * vol * np.sqrt(years / 2)))
    sim = _simulate_groups(expo, {**base, **worst}, fx_factor, years)
    net, baseline = float(sim["net"].sum()), float(sim["baseline"].sum())
    return {
        "net": net,
        "net_pct": net / baseline if baseline > 0 else float("nan"),
        "npv": float(sim["npv"].sum()),
        "payback_month": float(sim["payback"].ravel()[0]),
        "values": worst,
    }


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


def reality_check(savings_pct: float, hidden_share: float) -> dict:
    """Where the plan's net savings (share of today's cost over the contract) and its hidden-cost share (of
    the contract value) sit against published realised ranges: ``below``, ``within`` or ``above``."""
    b = table("savings_benchmarks").set_index("benchmark")
    lo, hi = b.at["realised_distribution", "low_share"], b.at["realised_distribution", "high_share"]
    hlo, hhi = b.at["overby_hidden_costs", "low_share"], b.at["overby_hidden_costs", "high_share"]

    def where(x, low, high):
        if not np.isfinite(x):
            return "within"
        return "below" if x < low else "above" if x > high else "within"

    return {
        "savings": where(savings_pct, lo, hi),
        "savings_range": (float(lo), float(hi)),
        "hidden": where(hidden_share, hlo, hhi),
        "hidden_range": (float(hlo), float(hhi)),
    }


def savings_drivers(
    plan: pd.DataFrame, processes: pd.DataFrame, prices: pd.DataFrame, home_country: str, client_currency: str
) -> dict:
    """What sets the size of the plan's savings, in figures a client can check: the provider's price as a share
    of today's cost of the work moved; today's cost per FTE against what published pay statistics say those
    roles cost an employer in the home country; and how much of the work moved is priced from a country's
    national pay statistics rather than from a quote or a figure of its outsourcing labour market. Returns the
    figures and a sentence for each that deserves the reader's attention (``lines``)."""
    moved = plan[plan["recommended_location"].notna()][["process_id", "role_family", "recommended_location"]]
    if "provider_cost" in plan:
        moved = moved.assign(provider_cost=plan.loc[moved.index, "provider_cost"])
    p = processes.set_index("process_id")
    moved = moved.assign(
        fte=moved["process_id"].map(p["fte"]).astype(float),
        annual_cost=moved["process_id"].map(p["annual_cost"]).astype(float),
    )
    out: dict = {"lines": []}
    fte, cost = float(moved["fte"].sum()), float(moved["annual_cost"].sum())
    if not len(moved) or fte <= 0 or cost <= 0:
        return out
    cur = client_currency
    if "provider_cost" in moved:
        share = float(moved["provider_cost"].sum()) / cost
        out["price_share_of_today"] = share
        out["lines"].append(
            f"The providers' price is {share:.0%} of today's cost of the work moved ({cur} "
            f"{cost / fte:,.0f} per FTE today against {cur} {moved['provider_cost'].sum() / fte:,.0f} at the "
            "providers): the labour-cost gap is what the savings rest on."
        )
    ref = labour_costs.reference_table()
    ref = ref[ref["country"].eq(home_country) & ref["cost_mid_usd"].notna()].set_index("role_family")["cost_mid_usd"]
    expected = (moved["role_family"].map(ref) * moved["fte"]).sum() * fx.rate("USD", cur)
    if expected > 0 and moved["role_family"].isin(ref.index).all():
        ratio = cost / float(expected)
        out["baseline_vs_reference"] = ratio
        if abs(ratio - 1) > 0.10:
            word = "above" if ratio > 1 else "below"
            out["lines"].append(
                f"Today's cost of the work moved, {cur} {cost / fte:,.0f} per FTE, is {abs(ratio - 1):.0%} {word} "
                f"what published pay statistics say these roles cost an employer in {home_country} ({cur} "
                f"{expected / fte:,.0f}): check what the inventory's annual cost includes before relying on "
                "the savings."
            )
    # a price derived from a country's all-occupation figure, not from a role of its outsourcing labour market
    deriv = labour_costs.reference_table().set_index(["country", "role_family"])["derivation"]
    keys = list(zip(moved["recommended_location"], moved["role_family"], strict=True))
    pr = prices.set_index(["country", "role_family"])["basis"]
    national = [pr.get(k, "") != "rate card" and "to all occupations" in str(deriv.get(k, "")) for k in keys]
    nat_fte = float(moved.loc[national, "fte"].sum())
    out["fte_priced_from_national_statistics"] = nat_fte
    if nat_fte / fte > 0.5:
        where = ", ".join(sorted(set(moved.loc[national, "recommended_location"])))
        out["lines"].append(
            f"{nat_fte / fte:.0%} of the FTE moved are priced from national pay statistics ({where}), not from a "
            "quote or a wage of the outsourcing labour market there, which can pay well above the national "
            "median (in the Philippines an agent's base wage is 1.6 times the median basic pay; in the US 0.9 "
            "times), so these prices may run low: ask for quotes."
        )
    return out


def benchmark_check(plan_savings_pct: float) -> pd.DataFrame:
    """The plan's savings share beside the published savings benchmarks, each with where the plan falls
    (``below``, ``within`` or ``above`` its range): a figure that beats the published ranges needs scrutiny
    before a client sees it."""
    b = table("savings_benchmarks")
    b = b[b["applies_to"] != "hidden_costs"].reset_index(drop=True)
    b["plan_savings_pct"] = plan_savings_pct
    b["plan_above_range"] = plan_savings_pct > b["high_share"]
    b["plan_position"] = np.where(
        plan_savings_pct > b["high_share"], "above", np.where(plan_savings_pct < b["low_share"], "below", "within")
    )
    return b[
        [
            "benchmark",
            "what",
            "applies_to",
            "low_share",
            "typical_share",
            "high_share",
            "plan_savings_pct",
            "plan_above_range",
            "plan_position",
            "source",
            "year",
            "confidence",
        ]
    ]


def plan_flows(evaluated: pd.DataFrame, plan: pd.DataFrame, values: dict) -> dict[str, np.ndarray]:
    """The recommended plan's yearly flows at the base assumptions (every line summed over the moves)."""
    years = int(values["contract_years"])
    chosen = recommended_pairs(evaluated, plan)
    if chosen.empty:
        z = np.zeros(years)
        return {k: z for k in ("baseline", "inhouse", "provider", "gross", *COST_LINES, "hidden", "net")}
    f = yearly_flows(
        chosen["annual_cost"].to_numpy(float),
        chosen["provider_cost"].to_numpy(float),
        values,
        years,
        chosen["fte"].to_numpy(float),
        chosen["captive"].to_numpy(bool) if "captive" in chosen else None,
    )
    out = {k: v.sum(axis=0) for k, v in f.items() if k != "go_live"}
    out["go_live"] = float(f["go_live"].min())
    return out


def plan_yearly_net(evaluated: pd.DataFrame, plan: pd.DataFrame, values: dict) -> np.ndarray:
    """The recommended plan's net savings, contract year by contract year, at the base assumptions."""
    return plan_flows(evaluated, plan, values)["net"]


def automation_case(processes: pd.DataFrame, evaluated: pd.DataFrame, values: dict) -> pd.DataFrame:
    """The business case of each process recommended ``automate``: the cost it removes if it works
    (``automation_cost_reduction`` of today's cost), weighted by the chance the first wave works
    (1 - ``automation_failure_rate``), from ``automation_build_months`` on; the build cost is what the benefit
    repays in ``automation_payback_months`` (Deloitte's expected payback) unless the client enters its own.
    Then the second step: what the rest of the process would save if it were outsourced to its best location
    (the business case scales with the cost moved)."""
    years = int(values["contract_years"])
    y = np.arange(1, years + 1, dtype=float)
    auto = processes[processes["recommendation"] == "automate"].reset_index(drop=True)
    cols = [
        "process_id",
        "process_name",
        "fte",
        "annual_cost",
        "benefit_if_it_works",
        "investment",
        "expected_net_savings",
        "npv",
        "payback_month",
        "fte_released",
        "remainder_cost",
        "remainder_location",
        "remainder_npv",
    ]
    if auto.empty:
        return pd.DataFrame(columns=cols)
    q = {**NEUTRAL, **values}
    r, fail = q["automation_cost_reduction"], q["automation_failure_rate"]
    build, pb = q["automation_build_months"], q["automation_payback_months"]
    cost = auto["annual_cost"].to_numpy(float)[:, None]
    benefit = r * cost
    invest = benefit[:, 0] * pb / 12
    expected = (1 - fail) * benefit * (1 + q["inhouse_cost_growth"]) ** (y - 1) * _overlap(build, np.inf, y) / 12
    net = expected - np.outer(invest, (y == 1))
    mid = bool(q.get("mid_year_discounting", 0))
    monthly = (1 - fail) * benefit[:, 0] / 12
    with np.errstate(divide="ignore", invalid="ignore"):
        pay = np.where(monthly > 0, np.ceil(build + invest / monthly), np.nan)
    pay = np.where(pay <= 12 * years, pay, np.nan)
    out = auto[["process_id", "process_name", "fte", "annual_cost"]].copy()
    out["benefit_if_it_works"] = benefit[:, 0]
    out["investment"] = invest
    out["expected_net_savings"] = net.sum(axis=1)
    out["npv"] = npv(net, q["discount_rate"], mid)
    out["payback_month"] = pay
    out["fte_released"] = auto["fte"].to_numpy(float) * r * (1 - fail)
    out["remainder_cost"] = cost[:, 0] * (1 - r)
    e = evaluated[evaluated["process_id"].isin(auto["process_id"]) & evaluated["fit"]].dropna(subset=["npv"])
    best = e.sort_values("npv", ascending=False).drop_duplicates("process_id").set_index("process_id")
    out["remainder_location"] = (
        out["process_id"].map(best["country"].astype(str)).where(out["process_id"].map(best["npv"]) > 0)
    )
    out["remainder_npv"] = (out["process_id"].map(best["npv"]) * (1 - r)).where(out["remainder_location"].notna())
    return out[cols]


def wage_floor_check(rates: pd.DataFrame | None, vendors: pd.DataFrame | None, values: dict) -> pd.DataFrame:
    """Every quote (rate card row, and each per-FTE bid of the providers' table for each of its delivery
    locations) against the statutory minimum wage the kit knows of there: the wage inside the quote is the price
    x labour's share of the provider's cost x (1 - margin). ``status`` is ``below the minimum wage``, ``above``
    or ``not checked`` with the reason (no figure, or no exchange rate to compare)."""
    mw = table("minimum_wages").set_index("country")
    sourced = table("provider_economics").set_index("name")["value"]
    share = values.get("labour_share_of_cost", sourced["labour_share_of_cost"]) * (
        1 - values.get("provider_margin", sourced["provider_margin"])
    )
    quotes = []
    if rates is not None:
        for r in rates.itertuples():
            quotes.append((f"rate card row {r.row}", r.provider or "", r.country, r.role_family, r.price, r.currency))
    if vendors is not None:
        for v in vendors[vendors["price_basis"] == "per_fte_year"].itertuples():
            for loc in str(v.delivery_locations).replace(",", ";").split(";"):
                loc = loc.strip().upper()
                if loc:
                    quotes.append((f"providers' table row {v.row}", v.provider, loc, "", v.price, v.currency))
    rows = []
    for where, provider, country, role, price, cur in quotes:
        wage = price * share
        row = {
            "quote": where,
            "provider": provider,
            "country": country,
            "role_family": role,
            "price_per_fte_year": price,
            "currency": cur,
            "wage_in_price": wage,
            "minimum_wage_year": np.nan,
            "minimum_wage_currency": None,
            "status": "",
            "source": "",
        }
        if country not in mw.index:
            row["status"] = "not checked: no minimum wage figure for this country in the kit"
        else:
            m = mw.loc[country]
            row.update(
                {
                    "minimum_wage_year": m["annual_amount"],
                    "minimum_wage_currency": m["currency"],
                    "source": f"{m['source']}, {m['year']}",
                }
            )
            try:
                wage_local = wage * fx.rate(cur, m["currency"])
            except BpoKitError:
                wage_local = None
            if wage_local is None:
                row["status"] = f"not checked: no exchange rate between {cur} and {m['currency']}"
            else:
                row["wage_in_price_local"] = wage_local
                row["status"] = "below the minimum wage" if wage_local < m["annual_amount"] else "above"
        rows.append(row)
    return pd.DataFrame(rows)
