"""The one place that runs the assessment chain for a client and keeps its results.

Notebooks call :func:`assess` and narrate what it returns; nothing is computed twice or copied by hand.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import business_case as bc
from . import classification, fx, kpis, locations, providers, risks
from .config import Client, load_client
from .inventory import Inventory, load_client_inventory
from .reference import table


@dataclass
class Assessment:
    """A client's assessment: inputs as checked, and each step's result table."""

    client: Client
    inventory: Inventory
    rules: classification.Rules
    processes: pd.DataFrame       # accepted inventory rows + classification + role family
    year: int                     # calendar year of time zones and holidays (the FX rate date's year)
    tier_rule: locations.TierRule
    fit_rules: locations.FitRules
    profile: pd.DataFrame         # one row per candidate location
    prices: pd.DataFrame          # price per FTE-year by location and role family
    assumptions: pd.DataFrame     # every business-case assumption with its range and source
    evaluated: pd.DataFrame       # every process x location pair: fit, costs, cash-flow totals, NPV
    plan: pd.DataFrame            # recommended location per process to be moved
    vendors: pd.DataFrame | None  # the providers' table, when the client has one
    kpi_reports: pd.DataFrame | None  # the monthly KPI reports, when the contract runs

    @property
    def currency(self) -> str:
        return self.client.config.currency

    def values(self) -> dict:
        return bc.base_values(self.assumptions)

    def by_location(self) -> pd.DataFrame:
        return bc.rollup(self.plan, "recommended_location")

    def by_tier(self) -> pd.DataFrame:
        return bc.rollup(self.plan, "tier")

    def waterfall(self) -> pd.DataFrame:
        return bc.waterfall(self.evaluated, self.plan)

    def monte_carlo(self, plan: bool = False) -> pd.DataFrame:
        """P10/P50/P90 per location (every movable process that fits there), or for the recommended plan."""
        expo = bc.exposure(self.evaluated, self.plan if plan else None)
        cfg = self.client.config
        return bc.monte_carlo(expo, self.assumptions, self.currency, cfg.monte_carlo_draws, cfg.seed)

    def tornado(self) -> pd.DataFrame:
        return bc.tornado(bc.exposure(self.evaluated, self.plan), self.assumptions, self.currency)

    # --- providers ---------------------------------------------------------------------------------------

    @property
    def provider_weights(self) -> dict[str, float]:
        return providers.validate_weights(self.client.config.provider_weights)

    def provider_ranking(self) -> pd.DataFrame | None:
        if self.vendors is None:
            return None
        scope = providers.scope_of(self.processes, self.plan)
        return providers.evaluate(self.vendors, scope, self.provider_weights, self.currency)

    def provider_win_shares(self) -> pd.DataFrame | None:
        ranking = self.provider_ranking()
        if ranking is None:
            return None
        return providers.win_shares(ranking, self.provider_weights, self.client.config.monte_carlo_draws,
                                    self.client.config.seed)

    # --- risks and KPIs ----------------------------------------------------------------------------------

    def risk_register(self) -> pd.DataFrame:
        return risks.register(self.processes, self.plan, self.evaluated, self.values())

    def governance_plan(self) -> pd.DataFrame:
        return risks.governance_plan(self.risk_register(), self.kpi_reports)

    def kpi_scorecard(self) -> pd.DataFrame | None:
        if self.kpi_reports is None:
            return None
        return kpis.scorecard(self.kpi_reports, self.client.config.rag_amber_tolerance)

    def service_credits(self) -> pd.DataFrame | None:
        rule = self.client.config.service_credits
        if self.kpi_reports is None or rule is None:
            return None
        return kpis.service_credits(self.kpi_reports, rule)

    def realised_savings(self) -> pd.DataFrame | None:
        if self.kpi_reports is None:
            return None
        return kpis.realised_savings(self.kpi_reports, bc.plan_yearly_net(self.evaluated, self.plan, self.values()))


def candidate_locations(client: Client, rates: pd.DataFrame | None) -> list[str]:
    """The client's ``candidate_locations``, or every location with a published cost or a quote."""
    if client.config.candidate_locations:
        return list(client.config.candidate_locations)
    with_cost = set(table("labour_costs")["country"])
    if rates is not None:
        with_cost |= set(rates["country"])
    known = locations.load_locations().index
    return [c for c in known if c in with_cost]


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
    candidates = candidate_locations(client, rates)
    year = fx.rate_date().year
    tier_rule = locations.TierRule()
    fit_rules = locations.FitRules(allow_sensitive_offshore=cfg.allow_sensitive_offshore)
    profile = locations.location_profile(client, candidates, year, tier_rule)
    pairs = locations.fit(processes, profile, cfg.business_hours.hours, fit_rules)

    currencies = ["USD"] + (list(rates["currency"]) if rates is not None else [])
    assumptions = bc.assumptions_table(client, cfg.contract_years, cfg.discount_rate, currencies)
    values = bc.base_values(assumptions)
    prices = bc.price_table(candidates, cfg.currency, rates, assumptions, cfg.home_country)
    costs = bc.pair_costs(processes, pairs, prices, values)
    evaluated = bc.evaluate(costs, values)
    plan = bc.recommend_locations(evaluated, processes)
    vendors = providers.load_vendors(client.path(cfg.vendors)) if cfg.vendors else None
    kpi_reports = kpis.load_kpis(client.path(cfg.kpis)) if cfg.kpis else None
    return Assessment(client=client, inventory=inv, rules=rules, processes=processes, year=year,
                      tier_rule=tier_rule, fit_rules=fit_rules, profile=profile, prices=prices,
                      assumptions=assumptions, evaluated=evaluated, plan=plan, vendors=vendors,
                      kpi_reports=kpi_reports)
