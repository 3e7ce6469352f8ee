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

from . import __version__, classification, fx, kpis, locations, providers, risks
from . import business_case as bc
from .config import Client, load_client
from .inventory import Inventory, load_client_inventory
from .reference import table

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

    @_memo
    def by_location(self) -> pd.DataFrame:
        return bc.rollup(self.plan, "recommended_location")

    @_memo
    def by_tier(self) -> pd.DataFrame:
        return bc.rollup(self.plan, "tier")

    @_memo
    def waterfall(self) -> pd.DataFrame:
        return bc.waterfall(self.evaluated, self.plan)

    @_memo
    def simulation(self, plan: bool = False) -> bc.Simulation:
        """The Monte Carlo per location (every movable process that fits there), or for the recommended plan."""
        expo = bc.exposure(self.evaluated, self.plan if plan else None)
        cfg = self.client.config
        return bc.monte_carlo(expo, self.assumptions, self.currency, cfg.monte_carlo_draws, cfg.seed)

    @_memo
    def monte_carlo(self, plan: bool = False) -> pd.DataFrame:
        """P10/P50/P90 of net savings and NPV per location, or for the recommended plan."""
        return self.simulation(plan).summary

    @_memo
    def tornado(self) -> pd.DataFrame:
        return bc.tornado(bc.exposure(self.evaluated, self.plan), self.assumptions, self.currency)

    @_memo
    def recommended_pairs(self) -> pd.DataFrame:
        """The business-case rows of the recommended moves."""
        return bc.recommended_pairs(self.evaluated, self.plan)

    @_memo
    def plan_inhouse_total(self) -> float:
        """Today's cost of the processes in the plan over the contract (the base of the savings share)."""
        return float(self.recommended_pairs()["inhouse_total"].sum())

    def headline(self) -> dict:
        """The numbers an executive reads first, as plain values (for the summary, the workbook and the
        portfolio index)."""
        p = self.processes
        spend = classification.addressable_spend(p).set_index("recommendation")
        moving = spend.reindex(["outsource", "automate", "hybrid"]).fillna(0)
        mc = self.monte_carlo(plan=True)
        mc = mc.iloc[0] if len(mc) else None
        base = self.plan_inhouse_total()
        ranking = self.provider_ranking()
        first = ranking.dropna(subset=["rank"]) if ranking is not None else None
        return {
            "client": self.client.config.name,
            "currency": self.currency,
            "processes": int(len(p)),
            "fte": float(p["fte"].sum()),
            "annual_cost": float(p["annual_cost"].sum()),
            "addressable_fte": float(moving["fte"].sum()),
            "addressable_cost": float(moving["annual_cost"].sum()),
            "processes_moved": int(self.plan["recommended_location"].notna().sum()),
            "contract_years": int(self.client.config.contract_years),
            "npv_p10": float(mc["npv_p10"]) if mc is not None else 0.0,
            "npv_p50": float(mc["npv_p50"]) if mc is not None else 0.0,
            "npv_p90": float(mc["npv_p90"]) if mc is not None else 0.0,
            "net_savings_p10": float(mc["net_p10"]) if mc is not None else 0.0,
            "net_savings_p50": float(mc["net_p50"]) if mc is not None else 0.0,
            "net_savings_p90": float(mc["net_p90"]) if mc is not None else 0.0,
            "net_savings_share_p50": float(mc["net_p50"] / base) if mc is not None and base else 0.0,
            "recommended_provider": (first.iloc[0]["provider"] if first is not None and len(first) else None),
            "top_risks": self.risk_register().head(5)["label"].tolist(),
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
        wages = int((chosen["basis"] != "rate card").sum())
        if wages:
            steps.append(
                f"Ask providers for quotes: {_count(wages, 'recommended move')} "
                f"{'is' if wages == 1 else 'are'} priced from published figures, not from a rate card."
            )
        kit = self.assumptions[self.assumptions["source"].str.startswith("kit assumption")]
        if len(kit):
            steps.append(
                "Agree the kit assumptions without a published figure with the client: "
                + ", ".join(n.replace("_", " ") for n in kit["name"])
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
                "must-haves, then rank the bids with this kit."
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

    # --- risks and KPIs ----------------------------------------------------------------------------------

    @_memo
    def risk_register(self) -> pd.DataFrame:
        return risks.register(self.processes, self.plan, self.evaluated, self.values())

    @_memo
    def governance_plan(self) -> pd.DataFrame:
        return risks.governance_plan(self.risk_register(), self.kpi_reports)

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
        return kpis.realised_savings(self.kpi_reports, bc.plan_yearly_net(self.evaluated, self.plan, self.values()))

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
