"""The one place that runs the assessment chain for a client and keeps its results.

Notebooks call :func:`assess` and narrate what it returns; nothing is computed twice or copied by hand.
"""

from __future__ import annotations

import copy
import functools
import inspect
import pickle
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from . import (
    __version__,
    classification,
    fx,
    kpis,
    labels,
    labour_costs,
    location_index,
    locations,
    providers,
    regulations,
    risks,
)
from . import business_case as bc
from . import sourcing_plan as sourcing
from .client import Client, load_client
from .inventory import Inventory, load_client_inventory

_F = TypeVar("_F", bound=Callable[..., Any])


def _memo(method: _F) -> _F:
    """A derived result computed once per assessment (and saved with it); every caller gets its own copy, so a
    notebook that adds a column to what it got changes nothing for the next caller."""
    signature = inspect.signature(method)

    @functools.wraps(method)
    def cached(self: Assessment, *args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(self, *args, **kwargs)
        bound.apply_defaults()
        key = (method.__name__, tuple((k, v) for k, v in bound.arguments.items() if k != "self"))
        try:
            hash(key)
        except TypeError:  # called with a table or a list: computed each time
            return method(self, *args, **kwargs)
        derived = self.__dict__.setdefault("_derived", {})
        if key not in derived:
            derived[key] = method(self, *args, **kwargs)
        return copy.deepcopy(derived[key])

    cached.memoised = True  # type: ignore[attr-defined]
    return cached  # type: ignore[return-value]


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _without_unit(label: str) -> str:
    """A label read inside a sentence: "Transition (months)" as "Transition", the unit following in the figures."""
    return label.split(" (")[0]


@dataclass
class Assessment:
    """A client's assessment: inputs as checked, and each step's result table."""

    client: Client
    inventory: Inventory
    rules: classification.Rules
    processes: pd.DataFrame  # accepted inventory rows + classification + role family
    year: int  # calendar year of time zones and holidays (the FX rate date's year)
    tier_rule: locations.TierRule
    fit_rules: locations.FitRules
    profile: pd.DataFrame  # one row per candidate location
    prices: pd.DataFrame  # price per FTE-year by location and role family
    assumptions: pd.DataFrame  # every business-case assumption with its range and source
    evaluated: pd.DataFrame  # every process x location pair: fit, costs, cash-flow totals, NPV
    plan: pd.DataFrame  # recommended location per process to be moved
    vendors: pd.DataFrame | None  # the providers' table, when the client has one
    kpi_reports: pd.DataFrame | None  # the monthly KPI reports, when the contract runs

    @property
    def currency(self) -> str:
        return self.client.config.currency

    @_memo
    def values(self) -> dict:
        return bc.base_values(self.assumptions)

    def _moves(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The plan's moves as the towers make them: business-case rows at each tower's location and price,
        and the per-process plan's shape over them. Every plan total (headline, waterfall, Monte Carlo, J-curve)
        reads these; ``plan`` keeps each process's own best location for the locations section."""
        sp = self.sourcing_plan()
        return sp.moves, sp.plan

    @_memo
    def by_location(self) -> pd.DataFrame:
        return bc.rollup(self._moves()[1], "recommended_location")

    @_memo
    def by_tier(self) -> pd.DataFrame:
        return bc.rollup(self._moves()[1], "tier")

    @_memo
    def waterfall(self) -> pd.DataFrame:
        return bc.waterfall(*self._moves())

    @_memo
    def simulation(self, plan: bool = False) -> bc.Simulation:
        """The Monte Carlo per location (every movable process that fits there), or for the recommended plan."""
        expo = bc.exposure(*self._moves()) if plan else bc.exposure(self.evaluated, None)
        cfg = self.client.config
        return bc.monte_carlo(expo, self.assumptions, self.currency, cfg.monte_carlo_draws, cfg.seed)

    @_memo
    def monte_carlo(self, plan: bool = False) -> pd.DataFrame:
        """P10/P50/P90 of net savings and NPV per location, or for the recommended plan."""
        return self.simulation(plan).summary

    @_memo
    def tornado(self) -> pd.DataFrame:
        return bc.tornado(bc.exposure(*self._moves()), self.assumptions, self.currency)

    @_memo
    def recommended_pairs(self) -> pd.DataFrame:
        """The business-case rows of the recommended moves (each process at its tower's location and price)."""
        return bc.recommended_pairs(*self._moves())

    @_memo
    def plan_inhouse_total(self) -> float:
        """Today's cost of the processes in the plan over the whole contract, transition months included (the
        base of the savings share)."""
        return float(self.recommended_pairs()["inhouse_total"].sum())

    def plan_flows(self) -> dict:
        """The recommended plan's yearly cash flows at the base assumptions, every cost line summed."""
        return bc.plan_flows(*self._moves(), self.values())

    def j_curve(self) -> pd.DataFrame:
        """The plan's net cash year by year and its running total (base case), automation included as its own
        column."""
        out = bc.cumulative_cash(self.plan_flows()["net"]).rename(columns={"net": "outsourcing"})
        auto = self.automation_yearly()
        out["automation"] = auto
        out["net"] = out["outsourcing"] + out["automation"]
        out["cumulative"] = out["net"].cumsum()
        return out

    def plan_base(self) -> dict:
        """The plan's base case: net savings, its share of today's cost, NPV, IRR, payback month, one-time
        costs, hidden costs and their share of the contract value."""
        f = self.plan_flows()
        v = self.values()
        one_time = sum(f[k] for k in bc.ONE_TIME)
        base = float(f["baseline"].sum())
        contract = float(f["provider"].sum())
        pay = bc.payback_month({k: np.asarray(x) for k, x in f.items()}) if base else np.nan
        return {
            "net": float(f["net"].sum()),
            "net_pct": float(f["net"].sum()) / base if base else float("nan"),
            "npv": float(bc.npv(f["net"], v["discount_rate"], bool(v.get("mid_year_discounting", 0)))),
            "irr": bc.irr(f["net"], one_time),
            "payback_month": float(pay),
            "one_time": float(np.sum(one_time)),
            "hidden": float(f["hidden"].sum()),
            "hidden_share": float(f["hidden"].sum()) / contract if contract else float("nan"),
            "contract_value": contract,
            "baseline": base,
            "gross": float(f["gross"].sum()),
        }

    def stress_case(self) -> dict:
        """The plan with every uncertain assumption at its pessimistic end (see :func:`bc.stress_case`)."""
        return bc.stress_case(bc.exposure(*self._moves()), self.assumptions, self.currency)

    def automation_case(self) -> pd.DataFrame:
        """The business case of each process recommended for automation, and of outsourcing what remains."""
        return bc.automation_case(self.processes, self.evaluated, self.values())

    def automation_yearly(self) -> np.ndarray:
        """The automation line's yearly expected net cash (all automated processes)."""
        v = self.values()
        years = int(v["contract_years"])
        auto = self.automation_case()
        if auto.empty:
            return np.zeros(years)
        y = np.arange(1, years + 1, dtype=float)
        q = {**bc.NEUTRAL, **v}
        benefit = auto["benefit_if_it_works"].sum()
        expected = (1 - q["automation_failure_rate"]) * benefit * (1 + q["inhouse_cost_growth"]) ** (y - 1)
        expected = expected * bc._overlap(q["automation_build_months"], np.inf, y) / 12
        return expected - auto["investment"].sum() * (y == 1)

    def wage_floor_check(self) -> pd.DataFrame:
        """Every quote of the rate card and the providers' table against the minimum wage the kit knows of."""
        cfg = self.client.config
        known = cfg.candidate_locations or list(locations.load_locations().index)
        rates = bc.load_rates(self.client.path(cfg.rates), known) if cfg.rates else None
        return bc.wage_floor_check(rates, self.vendors, self.values())

    def captive_warnings(self) -> list[str]:
        """Captive (hybrid) centres planned below the scale published evidence says a captive needs."""
        chosen = self.recommended_pairs()
        if "captive" not in chosen or not chosen["captive"].any():
            return []
        need = self.values().get("captive_min_fte", 300)
        per = chosen[chosen["captive"]].groupby("country")["fte"].sum()
        return [
            f"The captive centre planned in {c} would hold {n:,.0f} FTE, below the {need:,.0f} that published "
            "evidence (Forrester 2007) says a captive needs to justify itself; compare it with the third-party "
            "option shown beside it, or pool more work there."
            for c, n in per.items()
            if n < need
        ]

    def reality_check(self) -> dict:
        """The plan's figures against published realised savings and Overby's hidden costs: the verdict
        (``below``/``within``/``above``), the figures judged, and the sentences the executive summary leads with."""
        mc = self.monte_carlo(plan=True)
        b = self.plan_base()
        if mc.empty:
            return {"verdict": "within", "hidden": "within", "lines": [], "drivers": []}
        p50 = float(mc.iloc[0]["net_pct_p50"])
        check = bc.reality_check(p50, b["hidden_share"])
        base_check = bc.reality_check(b["net_pct"], b["hidden_share"])
        verdict = check["savings"] if check["savings"] != "within" else base_check["savings"]
        lo, hi = check["savings_range"]
        if check["savings"] == "within" and verdict != "within":
            figs_lead = f"base-case net savings, {b['net_pct']:.1%} of today's cost over the contract (P50 {p50:.1%}),"
        else:
            figs_lead = f"net savings, {p50:.1%} of today's cost over the contract (P50; base case {b['net_pct']:.1%}),"
        torn = self.tornado().head(3)
        drivers = [
            f"{_without_unit(labels.label(r.assumption)).lower()} ({r.low_value:g} to {r.high_value:g}: "
            f"NPV {self.currency} "
            f"{r.npv_at_low / 1e6:,.1f}m to {r.npv_at_high / 1e6:,.1f}m)"
            for r in torn.itertuples()
        ]
        lines = []
        if verdict == "above":
            lines.append(
                f"Warning: the plan's {figs_lead} are above the {lo:.0%}-{hi:.0%} that companies "
                "report actually realising (Deloitte: only 9% save more than 40%). Check what drives them "
                "before presenting this figure: " + "; ".join(drivers) + "."
            )
        elif verdict == "below":
            lines.append(
                f"Warning: the plan's {figs_lead} are below the {lo:.0%}-{hi:.0%} that companies report "
                "realising; outsourcing may not be worth the risk here (Deloitte 2005: 44% of firms saw no "
                "savings). What drives them: " + "; ".join(drivers) + "."
            )
        else:
            lines.append(f"The plan's {figs_lead} sit within the {lo:.0%}-{hi:.0%} that companies report realising.")
        if verdict != "within":
            # the sensitivities say what moves the figure; these say why it is where it is (price, baseline, data)
            lines.extend(
                bc.savings_drivers(
                    self.plan, self.processes, self.prices, self.client.config.home_country, self.currency
                )["lines"]
            )
        hlo, hhi = check["hidden_range"]
        f = self.plan_flows()
        top = sorted(bc.COST_LINES, key=lambda k: -float(f[k].sum()))[:3]
        largest = [f"{bc.LINE_LABELS[k].lower()} ({self.currency} {f[k].sum() / 1e6:,.1f}m)" for k in top]
        if check["hidden"] != "within":
            lines.append(
                f"Warning: the costs of getting there and of running the deal come to {b['hidden_share']:.0%} of "
                f"the contract value, {check['hidden']} the {hlo:.1%}-{hhi:.0%} Overby (CIO 2003) found. The "
                "largest: " + "; ".join(largest) + "."
            )
        home = self.client.config.home_country
        overridden = "severance_weeks" in (self.client.config.assumptions or {})
        if not bc.severance_rule(home)["found"] and not overridden:
            lines.append(
                f"Warning: the kit has no redundancy figure for {home}, so severance counts as nothing; enter the "
                "weeks of pay a displaced person receives as severance_weeks under assumptions in client.yaml."
            )
        return {"verdict": verdict, "hidden": check["hidden"], "lines": lines, "drivers": drivers}

    def headline(self) -> dict:
        """The numbers an executive reads first, as plain values (for the summary, the workbook, headline.json
        and the portfolio index). P10 is the outcome nine Monte Carlo draws in ten beat (for payback, the
        late month); ``base`` is the business case at the assumptions' values."""
        p = self.processes
        spend = classification.addressable_spend(p).set_index("recommendation")
        moving = spend.reindex(["outsource", "automate", "hybrid"]).fillna(0)
        mc = self.monte_carlo(plan=True)
        mc = mc.iloc[0] if len(mc) else None
        b = self.plan_base()
        ranking = self.provider_ranking()
        first = ranking.dropna(subset=["rank"]) if ranking is not None else None
        moved = self.recommended_pairs()
        auto = self.automation_case()
        check = self.reality_check()

        def band(key: str, base: float) -> dict:
            if mc is None:
                return {"p10": None, "p50": None, "p90": None, "base": None}
            vals = {q: mc[f"{key}_{q}"] for q in ("p10", "p50", "p90")}
            out = {q: (None if pd.isna(x) else float(x)) for q, x in vals.items()}
            out["base"] = None if pd.isna(base) else float(base)
            return out

        def num(x):
            return None if x is None or pd.isna(x) else float(x)

        return {
            "client": self.client.config.name,
            "currency": self.currency,
            "contract_years": int(self.client.config.contract_years),
            "processes": int(len(p)),
            "fte": float(p["fte"].sum()),
            "annual_cost": float(p["annual_cost"].sum()),
            "processes_moved": int(len(moved)),
            "fte_moved": float(moved["fte"].sum()),
            "net_savings": band("net", b["net"]),
            "net_savings_pct": band("net_pct", b["net_pct"]),
            "npv": band("npv", b["npv"]),
            "irr_base": num(b["irr"]),
            "payback_month": band("payback", b["payback_month"]),
            "probability_npv_negative": float(mc["chance_of_loss"]) if mc is not None else None,
            "one_time_costs_base": b["one_time"],
            "hidden_costs_share_of_contract_value": num(b["hidden_share"]),
            "benchmark_check": check["verdict"],
            "automation_npv_base": float(auto["npv"].sum()) if len(auto) else 0.0,
            "addressable_fte": float(moving["fte"].sum()),
            "addressable_cost": float(moving["annual_cost"].sum()),
            "recommended_provider": (first.iloc[0]["provider"] if first is not None and len(first) else None),
            "top_risks": self.risk_register().head(5)["label"].tolist(),
            # flat keys of the earlier headline, kept for readers not yet on the schema above
            **{f"npv_{q}": float(mc[f"npv_{q}"]) if mc is not None else 0.0 for q in ("p10", "p50", "p90")},
            **{f"net_savings_{q}": float(mc[f"net_{q}"]) if mc is not None else 0.0 for q in ("p10", "p50", "p90")},
            "net_savings_share_p50": float(mc["net_pct_p50"]) if mc is not None else 0.0,
        }

    def next_steps(self) -> list[str]:
        """What the consultant and the client should do next, drawn from this assessment's open points."""
        steps = []
        fragile = classification.borderline(self.processes, self.rules)
        if len(fragile):
            steps.append(
                f"Agree the judgements behind the {_count(fragile['process_id'].nunique(), 'borderline call')} "
                "(listed in the outsourceability section) with their process owners."
            )
        chosen = self.recommended_pairs()
        wages = int((~chosen["basis"].isin(["rate card", "bid"])).sum())
        if wages:
            steps.append(
                f"Ask providers for quotes: {_count(wages, 'recommended move')} "
                f"{'is' if wages == 1 else 'are'} priced from published figures, not from a rate card."
            )
        kit = self.assumptions[self.assumptions["source"].str.startswith("kit assumption")]
        if len(kit):
            steps.append(
                "Agree with the client the assumptions that no published figure supports: "
                + ", ".join(_without_unit(labels.label(n)).lower() for n in kit["name"])
                + "."
            )
        unplaced = int(self.plan["recommended_location"].isna().sum())
        if unplaced:
            steps.append(
                f"Decide on the {_count(unplaced, 'process', 'processes')} recommended for moving with no "
                "location yet (reasons in the location section)."
            )
        ranking = self.provider_ranking()
        if ranking is None:
            steps.append(
                "Run a tender for the recommended moves with ISO 27001 and the required languages as "
                "must-haves, then rank the bids as this assessment ranks providers."
            )
        else:
            shares = self.provider_win_shares()
            top = (
                shares.sort_values("win_share", ascending=False).iloc[0] if shares is not None and len(shares) else None
            )
            if top is not None:
                steps.append(
                    f"Negotiate with {top['provider']}, first in {top['win_share']:.0%} of the weightings "
                    "tried; keep the runner-up warm."
                )
        hybrid = int((self.processes["recommendation"] == "hybrid").sum())
        if hybrid:
            steps.append(
                f"Pilot the {_count(hybrid, 'hybrid process', 'hybrid processes')} under client control "
                "before committing."
            )
        steps.append(
            "Write the governance plan's KPIs, targets and service credits into the contract and review them monthly."
        )
        return steps

    # --- locations -------------------------------------------------------------------------------------

    def location_index(self) -> pd.DataFrame:
        """The client-agnostic attractiveness index of every reference country (pillars 0-100 and the
        weighted score, with the client's pillar weights): the ``location_index`` sheet."""
        s = self.client.config.locations
        return location_index.location_index(
            list(locations.load_locations().index),
            weights=s.pillar_weights,
            headcount_log10_bounds=s.headcount_log10_bounds,
            cost_usd_bounds=s.cost_usd_bounds,
        )

    def candidate_shortlist(self) -> pd.DataFrame | None:
        """Why each candidate location is assessed, when the client named none (else None)."""
        if self.client.config.candidate_locations:
            return None
        rates = self.prices[self.prices["basis"] == "rate card"]
        return _default_shortlist(self.client, rates if len(rates) else None, self.processes, self.year)

    def needs_a_quote(self) -> pd.DataFrame:
        """Candidate location x role family pairs with no price from the rate card or the reference table."""
        missing = labour_costs.needs_a_quote(list(self.profile["country"]))
        have = set(zip(self.prices["country"], self.prices["role_family"], strict=False))
        keep = pd.Series(
            [(c, r) not in have for c, r in zip(missing["country"], missing["role_family"], strict=False)],
            index=missing.index,
            dtype=bool,
        )
        return missing[keep].reset_index(drop=True)

    def fx_rates(self) -> pd.DataFrame:
        """Every exchange rate the assessment uses, with its date and source."""
        return fx.rates_used(set(self.prices["currency"]) | {"USD"}, self.currency)

    def regulations(self) -> pd.DataFrame:
        """The jurisdiction and sector rules that apply to this client's moves and what each requires before
        contract."""
        return regulations.applicable(self.client.config, self.profile)

    def placement_gates(self) -> pd.DataFrame:
        """For each process recommended for moving with no location, each candidate and the gate it failed."""
        return locations.gate_failures(self.evaluated, self.plan)

    def language_pools(self) -> pd.DataFrame:
        """The sourced language pools of the candidate locations and whether each can staff the language."""
        pools = locations.language_pools(self.client.config.locations.language_threshold)
        return pools[pools["country"].isin(self.profile["country"])].reset_index(drop=True)

    # --- providers ---------------------------------------------------------------------------------------

    @property
    def provider_weights(self) -> dict[str, float]:
        return providers.validate_weights(self.client.config.provider_weights)

    @_memo
    def provider_ranking(self) -> pd.DataFrame | None:
        if self.vendors is None:
            return None
        scope = providers.scope_of(self.processes, self.plan)
        return providers.evaluate(self.vendors, scope, self.provider_weights, self.currency)

    @_memo
    def provider_win_shares(self) -> pd.DataFrame | None:
        ranking = self.provider_ranking()
        if ranking is None:
            return None
        return providers.win_shares(
            ranking, self.provider_weights, self.client.config.monte_carlo_draws, self.client.config.seed
        )

    # --- sourcing plan: towers, their providers, waves ------------------------------------------------------

    @_memo
    def sourcing_plan(self) -> sourcing.SourcingPlan:
        """The towers with one location, operating model and priced provider each."""
        cfg = self.client.config
        rates = ref = None
        if self.vendors is not None and cfg.rates:
            rates = bc.load_rates(self.client.path(cfg.rates), list(self.profile["country"]))
            rates = rates.rename(columns={"location": "country"}) if "country" not in rates else rates
            ref = self._reference_costs()
        settings = self.sourcing_settings()
        plan = sourcing.build(
            self.processes,
            self.evaluated,
            self.values(),
            self.currency,
            vendors=self.vendors,
            weights=self.provider_weights,
            rate_card_providers=rates,
            reference_costs=ref,
            settings=settings,
        )
        return plan

    def sourcing_settings(self) -> sourcing.SourcingSettings:
        """How towers are formed: the client's ``sourcing`` settings in client.yaml, else the kit's defaults."""
        return self.client.config.sourcing

    def _reference_costs(self) -> pd.DataFrame:
        """The movable pairs priced on the kit's reference prices alone (for a tower whose rate-card provider
        it disqualifies)."""
        cfg = self.client.config
        movable = self.processes.loc[self.processes["recommendation"].isin(["outsource", "hybrid"]), "process_id"]
        pairs = self.evaluated[self.evaluated["process_id"].isin(movable)]
        ref = bc.price_table(
            list(self.profile["country"]),
            self.currency,
            None,
            self.assumptions,
            cfg.home_country,
            cfg.locations.cost_assumptions(),
        )
        costs = bc.pair_costs(self.processes, pairs, ref, self.values())
        return locations.apply_onsite_share(costs, self.processes)

    def towers(self) -> pd.DataFrame:
        """One row per tower: where it goes, how (third party or captive), who prices it and on what (bid,
        rate card or reference prices), its processes, FTE, provider cost per year, net savings, NPV and wave
        (the workbook's ``towers`` sheet)."""
        return self.sourcing_plan().towers[sourcing.TOWER_COLUMNS].copy()

    def tower_reasons(self) -> pd.DataFrame:
        """Why each tower goes where it goes and in its wave, and which of its processes stay behind and why."""
        t = self.sourcing_plan().towers
        return t[["tower", "location", "operating_model", "reason", "wave", "wave_reason", "not_moved"]].copy()

    def processes_with_towers(self) -> pd.DataFrame:
        """The processes table with each process's ``tower`` (empty for processes not to be moved): the
        workbook's ``processes`` sheet. A process of a tower that stays behind is named in :meth:`tower_reasons`."""
        m = self.sourcing_plan().members.set_index("process_id")
        out = self.processes.copy()
        out["tower"] = out["process_id"].astype(str).map(m["tower"]).fillna("")
        return out

    def tower_bids(self) -> pd.DataFrame:
        """Each tower x provider bidding where the tower could go: qualified for the tower's scope or why not,
        its weighted score, its annual price for that scope and its rank."""
        return self.sourcing_plan().bids.copy()

    def provider_cost_per_year(self) -> float:
        """What the plan pays its providers in a year at today's prices: the towers' sum (one figure for the
        executive summary and the business case)."""
        return float(self.towers()["provider_cost_per_year"].sum())

    def roadmap(self) -> pd.DataFrame:
        """The waves as a Gantt chart's rows: per tower, transition, parallel run and ramp-up in months from
        signature."""
        return sourcing.roadmap(self.sourcing_plan().towers, self.values())

    def waves(self) -> pd.DataFrame:
        """One row per wave: towers, FTE, NPV, transition start, parallel run, go-live and why."""
        return sourcing.wave_summary(self.sourcing_plan().towers, self.roadmap())

    def first_90_days(self) -> pd.DataFrame:
        """The 90-day plan: confirm the towers, go to market, consult, notify, assess transfers, pilot."""
        return sourcing.first_90_days(self.sourcing_plan().towers, self.regulations(), self.client.config.home_country)

    # --- risks and KPIs ----------------------------------------------------------------------------------

    @_memo
    def risk_register(self) -> pd.DataFrame:
        return risks.register(
            self.processes, self.plan, self.evaluated, self.values(), self.client.config.risk_settings
        )

    @_memo
    def governance_plan(self) -> pd.DataFrame:
        fee = float(self.recommended_pairs()["provider_cost"].sum()) / 12
        return risks.governance_plan(self.risk_register(), self.kpi_reports, fee, self.client.config.risk_settings)

    def conditions(self) -> pd.DataFrame:
        """The conditions the top risks put on the plan (gates, pilots, onshore or captive parts, go/no-go
        decisions the client must accept), highest score first; empty when no risk reaches the red corner."""
        return risks.conditions(self.risk_register(), self.client.config.risk_settings)

    def exit_cost(self, by: str | None = None) -> pd.DataFrame:
        """One re-transition and its expected cost (exit probability x re-transition), for the whole plan or
        per ``by`` (a column of the recommended moves, e.g. ``tower``)."""
        return risks.exit_cost(self.recommended_pairs(), by, self.client.config.risk_settings)

    def exit_sensitivity(self) -> pd.DataFrame:
        """Expected cost of an exit at the low, base and high exit probability and if certain: the figure the
        business case subtracts, once at the end of the contract, for its exit sensitivity."""
        return risks.exit_sensitivity(self.recommended_pairs(), self.client.config.risk_settings)

    def sla_credits(self) -> pd.DataFrame | None:
        """Credits under the governance plan's pool regime, from the KPI reports; None without reports or
        without the providers' monthly fees (``service_credits.monthly_fee`` in client.yaml)."""
        rule = self.client.config.service_credits
        if self.kpi_reports is None or rule is None:
            return None
        plan = self.governance_plan()
        s = self.client.config.risk_settings
        allocation = dict(zip(plan["kpi"], plan["allocation"], strict=True))
        return kpis.sla_credits(self.kpi_reports, allocation, rule.monthly_fee, s.at_risk_share, s.earn_back_months)

    @_memo
    def kpi_scorecard(self) -> pd.DataFrame | None:
        if self.kpi_reports is None:
            return None
        return kpis.scorecard(self.kpi_reports, self.client.config.rag_amber_tolerance)

    @_memo
    def service_credits(self) -> pd.DataFrame | None:
        rule = self.client.config.service_credits
        if self.kpi_reports is None or rule is None:
            return None
        return kpis.service_credits(self.kpi_reports, rule)

    @_memo
    def realised_savings(self) -> pd.DataFrame | None:
        if self.kpi_reports is None:
            return None
        return kpis.realised_savings(self.kpi_reports, bc.plan_yearly_net(*self._moves(), self.values()))

    # --- saved results -----------------------------------------------------------------------------------

    def precompute(self) -> None:
        """Compute every derived result that needs no argument (Monte Carlo, tornado, rankings...), so that
        :meth:`save` keeps them and no notebook computes them again."""
        for name, member in inspect.getmembers(type(self), lambda m: getattr(m, "memoised", False)):
            params = list(inspect.signature(member).parameters.values())[1:]
            if all(p.default is not inspect.Parameter.empty for p in params):
                getattr(self, name)()

    def save(self, folder: str | Path) -> Path:
        """Write this assessment into ``folder``: every table as Parquet, the derived results computed so far
        with them, and the small remainder (settings objects, numbers) in ``state.pickle``. The client itself is
        not saved: :meth:`load` reads ``client.yaml`` again, so no local path is stored."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        state: dict[str, Any] = {"kit_version": __version__, "client": self.client.slug, "fields": {}, "derived": {}}
        items = [("fields", f.name, getattr(self, f.name)) for f in fields(self) if f.name != "client"]
        items += [("derived", key, value) for key, value in self.__dict__.get("_derived", {}).items()]
        for i, (kind, key, value) in enumerate(items):
            name = key if isinstance(key, str) else f"{key[0]}-{i}"
            if isinstance(value, pd.DataFrame):
                value = _Table.write(value, folder / f"{name}.parquet")
            state[kind][key] = value
        with open(folder / STATE_FILE, "wb") as fh:
            pickle.dump(state, fh, protocol=pickle.HIGHEST_PROTOCOL)
        return folder

    @classmethod
    def load(cls, folder: str | Path, client: Client) -> Assessment:
        """The assessment :meth:`save` wrote into ``folder``, for ``client``; raises ``LookupError`` when the
        folder holds no results of this client from this version of the kit."""
        folder = Path(folder)
        try:
            with open(folder / STATE_FILE, "rb") as fh:
                state = pickle.load(fh)
        except OSError:
            raise LookupError(f"{folder}: no saved results") from None
        if state.get("client") != client.slug or state.get("kit_version") != __version__:
            raise LookupError(f"{folder}: results of another client or kit version")

        def value(v: Any) -> Any:
            return v.read(folder) if isinstance(v, _Table) else v

        a = cls(client=client, **{k: value(v) for k, v in state["fields"].items()})
        a.__dict__["_derived"] = {k: value(v) for k, v in state["derived"].items()}
        return a


STATE_FILE = "state.pickle"


@dataclass
class _Table:
    """A DataFrame saved as Parquet, with what Parquet does not keep: which columns held Python objects (text
    with gaps, flags with gaps) and the names of categories, so that the table reads back exactly as it was."""

    file: str
    object_columns: list
    category_names: dict

    @classmethod
    def write(cls, df: pd.DataFrame, path: Path) -> _Table | pd.DataFrame:
        df.to_parquet(path)
        table = cls(
            path.name,
            [c for c in df.columns if df[c].dtype == object],
            {c: df[c].cat.categories.name for c in df.columns if isinstance(df[c].dtype, pd.CategoricalDtype)},
        )
        try:
            pd.testing.assert_frame_equal(table.read(path.parent), df, check_exact=True)
        except AssertionError:  # something Parquet cannot hold (lists in a cell, say): keep the frame as it is
            path.unlink()
            return df
        return table

    def read(self, folder: Path) -> pd.DataFrame:
        df = pd.read_parquet(folder / self.file)
        for c in self.object_columns:
            df[c] = df[c].astype(object).where(df[c].notna(), np.nan)
        for c, name in self.category_names.items():
            df[c] = df[c].cat.rename_categories(df[c].cat.categories.rename(name))
        return df


def candidate_locations(
    client: Client, rates: pd.DataFrame | None, processes: pd.DataFrame | None = None, year: int | None = None
) -> list[str]:
    """The client's ``candidate_locations``; without them, its home country and the default shortlist of
    nearshore and offshore locations (``locations.default_candidates``: the most attractive priced ones per
    tier, and the best hub per tier for each language the work needs)."""
    cfg = client.config
    if cfg.candidate_locations:
        return list(cfg.candidate_locations)
    return list(_default_shortlist(client, rates, processes, year)["country"])


def _default_shortlist(
    client: Client, rates: pd.DataFrame | None, processes: pd.DataFrame | None, year: int | None
) -> pd.DataFrame:
    cfg = client.config
    priced = labour_costs.covered_countries() | (set(rates["country"]) if rates is not None else set())
    langs: set[str] = set()
    if processes is not None and "languages" in processes.columns:
        langs = {lang for v in processes["languages"].astype(str) for lang in v.split(";") if lang}
    return locations.default_candidates(
        cfg.home_country,
        cfg.business_hours.timezone,
        year or fx.rate_date().year,
        cfg.locations,
        languages=langs,
        priced=priced,
    )


def assess(client_dir: str | Path | None = None) -> Assessment:
    """Load, check and assess the client in ``client_dir`` (empty: the demo client)."""
    client = load_client(client_dir)
    cfg = client.config
    inv = load_client_inventory(client)
    rules = cfg.classification.rules()
    processes = classification.classify(inv.processes, rules)
    processes["role_family"] = bc.role_family(processes)

    known = cfg.candidate_locations or list(locations.load_locations().index)
    rates = bc.load_rates(client.path(cfg.rates), known) if cfg.rates else None
    year = fx.rate_date().year
    candidates = candidate_locations(client, rates, processes, year)
    tier_rule = locations.TierRule.from_settings(cfg.locations)
    fit_rules = locations.FitRules(allow_sensitive_offshore=cfg.allow_sensitive_offshore)
    profile = locations.location_profile(client, candidates, year, tier_rule, cfg.locations)
    pairs = locations.fit(processes, profile, cfg.business_hours.hours, fit_rules)

    vendors = providers.load_vendors(client.path(cfg.vendors)) if cfg.vendors else None
    # a tower priced on a bid carries the bid's currency risk, so the bids' currencies get FX rows too
    currencies = ["USD"] + (list(rates["currency"]) if rates is not None else [])
    currencies += list(vendors["currency"]) if vendors is not None else []
    assumptions = bc.assumptions_table(client, cfg.contract_years, cfg.discount_rate, currencies)
    values = bc.base_values(assumptions)
    prices = bc.price_table(
        candidates, cfg.currency, rates, assumptions, cfg.home_country, cfg.locations.cost_assumptions()
    )
    costs = locations.apply_onsite_share(bc.pair_costs(processes, pairs, prices, values), processes)
    evaluated = bc.evaluate(costs, values)
    plan = locations.explain_unplaced(bc.recommend_locations(evaluated, processes), evaluated)
    kpi_reports = kpis.load_kpis(client.path(cfg.kpis)) if cfg.kpis else None
    return Assessment(
        client=client,
        inventory=inv,
        rules=rules,
        processes=processes,
        year=year,
        tier_rule=tier_rule,
        fit_rules=fit_rules,
        profile=profile,
        prices=prices,
        assumptions=assumptions,
        evaluated=evaluated,
        plan=plan,
        vendors=vendors,
        kpi_reports=kpi_reports,
    )
