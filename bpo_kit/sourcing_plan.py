"""From per-process picks to a sourcing plan: towers (lots) with one location, one operating model and the
provider who prices them, the waves they move in, and the first 90 days.

A real programme contracts work in towers, not process by process: the processes to be moved are grouped by
function (or by the inventory's ``tower`` column when the client gives one); functions too small to contract on
their own are pooled into one "Other business services" tower, and the processes recommended ``hybrid`` (kept
under the client's control) form a captive-centre tower. Each tower gets the delivery location where the tower as
a whole is worth most (its total NPV) among the candidates where most of its FTE may go, priced on the
recommended provider's bid where a qualified provider bids there, on the client's rate card next and on the
kit's reference prices last. A provider that fails a gate for the tower (ISO 27001, languages) never prices it,
not even through the rate card.

Everything here reuses the process x location business case (``business_case.evaluate``): a tower's economics
are its processes' cash flows with the tower's price.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from . import business_case as bc
from . import fx, providers

#: the price columns of a pair: the base-case price and the range the Monte Carlo draws from
PRICE_COLUMNS = ("provider_cost", "provider_low", "provider_mid", "provider_high")
#: one row per tower, location and bidder: how each bid fared
BID_COLUMNS = (
    "tower",
    "country",
    "provider",
    "qualified",
    "disqualified_because",
    "weighted_score",
    "annual_price",
    "price_basis",
    "rank",
)

POOLED = "Other business services"
CAPTIVE = "Captive centre"
TOWER_COLUMNS = [
    "tower",
    "location",
    "operating_model",
    "provider",
    "price_source",
    "processes",
    "fte",
    "provider_cost_per_year",
    "net_savings",
    "npv",
    "wave",
]


class SourcingSettings(BaseModel):
    """How processes are bundled into towers and when a location counts as the tower's."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    min_tower_fte: float = Field(
        default=20.0,
        ge=0,
        description="functions with fewer FTE to move than this are pooled into one 'Other business services' "
        "tower (a client-given tower column is never pooled)",
    )
    min_fit_share: float = Field(
        default=0.5,
        gt=0,
        le=1,
        description="share of a tower's FTE that must be able to go to a location for it to be the tower's",
    )


@dataclass
class SourcingPlan:
    """The towers, the moves they make (business-case rows priced as the tower is), each movable process's
    place in them, and each tower's bids."""

    towers: pd.DataFrame  # one row per tower, TOWER_COLUMNS + reason, not_moved and wave-sorting facts
    moves: pd.DataFrame  # evaluated rows of the moved processes at their tower's location, with `tower`
    plan: pd.DataFrame  # the per-process plan's shape (recommend_locations) for the moves, plus `tower`
    members: pd.DataFrame  # every movable process: tower, moved or not, why
    bids: pd.DataFrame  # each tower x provider: qualified, why not, covers the location, rank, annual price


#: how a function reads as a tower's name
LABELS = {"finance_accounting": "Finance & accounting", "it_services": "IT services", "human_resources": "HR"}


def _label(function: str) -> str:
    return LABELS.get(str(function), str(function).replace("_", " ").capitalize())


def tower_vendors(vendors: pd.DataFrame, tower: str, fte: float, scope_fte: float, tower_fte: dict) -> pd.DataFrame:
    """The bids as they apply to one tower moving ``fte``: a ``total_per_year`` bid naming towers (an optional
    ``towers`` column, ';'-separated) covers only those, shared between them by FTE; one naming none was priced
    on the whole scope (``scope_fte``) and covers a tower in proportion to its FTE. Per-FTE bids are left as
    they are (``providers.evaluate`` applies them to the tower's FTE)."""
    v = vendors.copy()
    total = v["price_basis"].eq("total_per_year")
    named = v["towers"].fillna("").astype(str) if "towers" in v else pd.Series("", index=v.index)
    keep = pd.Series(True, index=v.index)
    for i in v.index[total]:
        names = [x.strip() for x in named[i].split(";") if x.strip()]
        if names and tower not in names:
            keep[i] = False
            continue
        base = sum(tower_fte.get(n, 0.0) for n in names) if names else scope_fte
        v.at[i, "price"] = float(v.at[i, "price"]) * (fte / base if base else 0.0)
    return v[keep]


def tower_of(processes: pd.DataFrame, min_tower_fte: float = 20.0) -> pd.Series:
    """The tower of each process to be moved (outsource or hybrid; empty for the others): the client's
    ``tower`` column where given; else the function, with functions under ``min_tower_fte`` FTE to move pooled
    into "Other business services", and hybrid processes (client control) in the "Captive centre" tower."""
    p = processes
    movable = p["recommendation"].isin(["outsource", "hybrid"])
    given = p["tower"].fillna("").astype(str).str.strip() if "tower" in p else pd.Series("", index=p.index)
    func = p["function"].map(_label)
    auto = np.where(p["recommendation"].eq("hybrid"), CAPTIVE, func)
    auto = pd.Series(auto, index=p.index)
    third = movable & given.eq("") & auto.ne(CAPTIVE)
    size = p.loc[third].groupby(auto[third])["fte"].sum()
    small = set(size[size < min_tower_fte].index)
    if len(small) > 1:  # pooling a single small function would only rename it
        auto = auto.where(~(third & auto.isin(small)), POOLED)
    out = given.where(given.ne(""), auto).where(movable, "")
    return out.rename("tower")


def _scope(members: pd.DataFrame, fte: float, location: str) -> providers.Scope:
    langs = sorted({x for v in members["languages"] for x in str(v).split(";") if x})
    sens = int(members["data_sensitivity"].max()) if len(members) else 0
    return providers.Scope(fte=fte, languages=tuple(langs), max_sensitivity=sens, locations=(location,))


def _covers(vendors: pd.DataFrame, country: str) -> pd.Series:
    return vendors["delivery_locations"].map(lambda v: country in str(v).split(";"))


def build(
    processes: pd.DataFrame,
    evaluated: pd.DataFrame,
    values: dict,
    currency: str,
    vendors: pd.DataFrame | None = None,
    weights: dict[str, float] | None = None,
    gates: providers.Gates = providers.DEFAULT_GATES,
    rate_card_providers: pd.DataFrame | None = None,
    reference_costs: pd.DataFrame | None = None,
    settings: SourcingSettings | None = None,
) -> SourcingPlan:
    """The sourcing plan: towers, each with one location, operating model and price.

    ``evaluated`` is the process x location business case; ``rate_card_providers`` (``country``,
    ``role_family``, ``provider``) says whose quote each rate-card price is, so that a provider disqualified for
    a tower does not price it through the rate card; ``reference_costs`` are the same pairs priced on reference
    prices only (``business_case.pair_costs`` with no rate card), used in that case. A bid ``per_fte_year`` is
    applied to the FTE the tower moves there (x ``productivity``); a bid ``total_per_year`` is the tower's
    price, shared over its processes by FTE."""
    s = settings or SourcingSettings()
    weights = weights or dict(providers.DEFAULT_WEIGHTS)
    p = processes.assign(tower=tower_of(processes, s.min_tower_fte))
    movable = p[p["tower"].ne("")].reset_index(drop=True)
    if movable.empty:
        return _nothing_moves(evaluated, processes)
    tower_by_id = dict(zip(movable["process_id"].astype(str), movable["tower"], strict=True))
    # operating model: one per tower, the one most of its FTE is recommended for
    hyb = movable.assign(h=movable["recommendation"].eq("hybrid") * movable["fte"]).groupby("tower")[["h", "fte"]]
    hyb = hyb.sum()
    captive_tower = (hyb["h"] > hyb["fte"] / 2).to_dict()

    keep = [c for c in evaluated.columns if c not in bc_outputs()]
    cand = evaluated.loc[evaluated["process_id"].astype(str).isin(tower_by_id), keep].copy()
    cand.attrs = {}  # the business case's values travel with every slice otherwise
    cand["process_id"] = cand["process_id"].astype(str)
    cand["country"] = cand["country"].astype(str)
    cand["tower"] = cand["process_id"].map(tower_by_id)
    for col in ("currency", "basis", "operating_model", "role_family"):
        if col in cand:
            cand[col] = cand[col].astype(object)
    cand["captive"] = cand["tower"].map(captive_tower).astype(bool)
    cand["operating_model"] = np.where(cand["captive"], "captive", "third party")
    cand["provider"] = ""
    cand["price_source"] = np.where(
        cand["basis"].eq("rate card"), "rate card", np.where(cand["provider_cost"].notna(), "reference prices", "")
    )
    cand = cand.reset_index(drop=True)
    info = movable.set_index("process_id")

    # the providers each tower's scope disqualifies never price it, not even through the rate card
    bid_rows = []
    disqualified: dict[str, dict[str, str]] = {}
    tower_fte = movable.groupby("tower")["fte"].sum().to_dict()
    scope_fte = float(movable["fte"].sum())
    for tower, grp in movable.groupby("tower", sort=True):
        if vendors is None or not len(vendors):
            disqualified[tower] = {}
            continue
        ev = providers.evaluate(vendors, _scope(grp, float(grp["fte"].sum()), ""), weights, currency, gates)
        bad = ev[~ev["qualified"]]
        disqualified[tower] = dict(zip(bad["provider"], bad["disqualified_because"], strict=True))
    if rate_card_providers is not None and reference_costs is not None and any(disqualified.values()):
        rc = rate_card_providers.set_index(["country", "role_family"])["provider"].fillna("").astype(str)
        ref = reference_costs.assign(process_id=reference_costs["process_id"].astype(str))
        ref = ref.assign(country=ref["country"].astype(str)).set_index(["process_id", "country"])
        for i, r in cand[cand["basis"].eq("rate card")].iterrows():
            who = rc.get((r["country"], str(r["role_family"])), "")
            if who and who in disqualified[r["tower"]]:
                key = (r["process_id"], r["country"])
                cols = ["provider_cost", "provider_low", "provider_mid", "provider_high", "currency", "basis"]
                cols = [c for c in cols if c in cand.columns and c in ref.columns]
                if key in ref.index and pd.notna(ref.at[key, "provider_cost"]):
                    for c in cols:
                        cand.at[i, c] = ref.at[key, c]
                    cand.at[i, "price_source"] = "reference prices"
                else:
                    for c in PRICE_COLUMNS:
                        if c in cand.columns:
                            cand.at[i, c] = np.nan
                    cand.at[i, "price_source"] = ""

    # the recommended provider per tower and location prices it with its bid
    prod = float(values.get("productivity", 1.0))
    for (tower, country), grp in cand.groupby(["tower", "country"], sort=True):
        fits = grp[grp["fit"].astype(bool)]
        if vendors is None or not len(vendors) or captive_tower[tower] or fits.empty:
            continue
        fte = float(fits["fte"].sum())
        covering = tower_vendors(vendors[_covers(vendors, country)], tower, fte, scope_fte, tower_fte)
        if covering.empty:
            continue
        members = info.loc[fits["process_id"]]
        ev = providers.evaluate(covering, _scope(members, fte, country), weights, currency, gates)
        for r in ev.itertuples():
            bid_rows.append(
                {
                    "tower": tower,
                    "country": country,
                    "provider": r.provider,
                    "qualified": bool(r.qualified) and r.provider not in disqualified[tower],
                    "disqualified_because": r.disqualified_because
                    or (
                        f"for the tower as a whole: {disqualified[tower][r.provider]}"
                        if r.provider in disqualified[tower]
                        else ""
                    ),
                    "weighted_score": r.weighted_score,
                    "annual_price": r.annual_price,
                    "price_basis": r.price_basis,
                    "rank": r.rank,
                }
            )
        ok = ev[ev["qualified"] & ~ev["provider"].isin(disqualified[tower])]
        if ok.empty:
            continue
        best = ok.iloc[0]
        idx = fits.index
        if best["price_basis"] == "per_fte_year":
            rate = float(best["price"]) * fx.rate(str(best["currency"]), currency)
            cost = cand.loc[idx, "fte"].to_numpy(float) * rate * prod
        else:
            cost = float(best["annual_price"]) * cand.loc[idx, "fte"].to_numpy(float) / fte if fte else 0.0
        for c in PRICE_COLUMNS:  # a bid is one price: the Monte Carlo draws no range around it
            if c in cand.columns:
                cand.loc[idx, c] = cost
        cand.loc[idx, "currency"] = best["currency"]
        cand.loc[idx, "basis"] = "bid"
        cand.loc[idx, "provider"] = best["provider"]
        cand.loc[idx, "price_source"] = "bid"

    ev_all = bc.evaluate(cand, values)
    ev_all.attrs = {}  # pandas copies attrs on every slice; the values go back on the moves below
    fit_all = ev_all["fit"].astype(bool)
    priced_all = fit_all & ev_all["npv"].notna()
    per = (
        ev_all.assign(
            _fit_fte=ev_all["process_id"].map(info["fte"]).where(fit_all, 0.0),
            _npv=ev_all["npv"].where(priced_all, 0.0),
            _priced=priced_all,
        )
        .groupby(["tower", "country"], sort=True)[["_fit_fte", "_npv", "_priced"]]
        .sum()
        .reset_index()
    )
    per["share"] = per["_fit_fte"] / per["tower"].map(info.groupby("tower")["fte"].sum()).replace(0, np.nan)
    per["eligible"] = (per["share"].fillna(0) >= s.min_fit_share - 1e-9) & (per["_priced"] > 0)
    towers, chosen_rows, member_rows = [], [], []
    for tower, grp in ev_all.groupby("tower", sort=True):
        opts = per[per["tower"] == tower]
        elig = opts[opts["eligible"]].sort_values(["_npv", "country"], ascending=[False, True])
        model = "captive" if captive_tower[tower] else "third party"
        ids = info.index[info["tower"] == tower]
        if elig.empty or elig.iloc[0]["_npv"] <= 0:
            why = (
                f"no candidate location takes {s.min_fit_share:.0%} of its FTE at a price"
                if elig.empty
                else "no location where most of it may go saves money over the contract"
            )
            member_rows.append(
                pd.DataFrame({"process_id": ids, "tower": tower, "location": None, "moved": False, "why": why})
            )
            towers.append({"tower": tower, "location": None, "operating_model": model, "reason": f"stays: {why}"})
            continue
        top = elig.iloc[0]
        country = top["country"]
        at = grp[grp["country"] == country]
        fits = at["fit"].astype(bool)
        role = at["role_family"].astype(str).str.replace("_", " ")
        why_not = np.where(
            ~fits,
            f"does not fit {country}: " + at["fit_reason"].astype(str),
            np.where(at["npv"].isna(), "no price for " + role + f" in {country}: needs a quote", ""),
        )
        moved = why_not == ""
        member_rows.append(
            pd.DataFrame(
                {
                    "process_id": at["process_id"].to_numpy(),
                    "tower": tower,
                    "location": country,
                    "moved": moved,
                    "why": np.where(moved, "moves", why_not),
                }
            )
        )
        rows = at[moved].reset_index(drop=True)
        chosen_rows.append(rows)
        reason = (
            f"{country}: highest total NPV of the tower among {len(elig)} location(s) taking at least "
            f"{s.min_fit_share:.0%} of its FTE ({top['share']:.0%} of its FTE may go there)"
        )
        if len(elig) > 1:
            runner = elig.iloc[1]
            reason += f"; next best {runner['country']}, its NPV {(top['_npv'] - runner['_npv']) / 1e6:,.1f}m lower"
        if "moved_share" in rows and (rows["moved_share"] < 1).any():
            reason += "; the on-site share of each process stays onshore, the rest goes to the hub"
        sources = sorted(set(rows["price_source"]) - {""})
        provider = next((x for x in rows["provider"] if x), "")
        price_source = "bid" if provider else " and ".join(sources)
        towers.append(
            {
                "tower": tower,
                "location": country,
                "operating_model": model,
                "provider": provider,
                "price_source": price_source,
                "reason": reason,
            }
        )
    members = (
        pd.concat(member_rows, ignore_index=True)
        if member_rows
        else pd.DataFrame(columns=["process_id", "tower", "location", "moved", "why"])
    )
    moves = pd.concat(chosen_rows, ignore_index=True) if chosen_rows else ev_all.iloc[:0]
    moves.attrs["values"] = dict(values)
    t = pd.DataFrame(towers, columns=["tower", "location", "operating_model", "provider", "price_source", "reason"])
    for c in ("provider", "price_source"):
        t[c] = t[c].fillna("")
    agg = moves.groupby("tower").agg(
        processes=("process_id", "size"),
        fte=("fte", "sum"),
        provider_cost_per_year=("provider_cost", "sum"),
        net_savings=("net_savings", "sum"),
        npv=("npv", "sum"),
    )
    t = t.join(agg, on="tower") if len(t) else t
    for c in ("processes", "fte", "provider_cost_per_year", "net_savings", "npv"):
        t[c] = t[c].fillna(0) if c in t else 0.0
    t["processes"] = t["processes"].astype(int)
    nm = (
        members[~members["moved"]]
        .groupby("tower")
        .apply(lambda g: "; ".join(f"{r.process_id}: {r.why}" for r in g.itertuples()), include_groups=False)
    )
    t["not_moved"] = t["tower"].map(nm).fillna("") if len(nm) else ""
    t = t.merge(_wave_facts(info, moves), on="tower", how="left")
    t = assign_waves(t)
    plan = _plan_rows(moves, processes)
    bids = pd.DataFrame(bid_rows, columns=list(BID_COLUMNS))
    return SourcingPlan(towers=t, moves=moves, plan=plan, members=members, bids=bids)


def _nothing_moves(evaluated: pd.DataFrame, processes: pd.DataFrame) -> SourcingPlan:
    """The plan of a client with nothing to move: no towers, every table empty with its columns."""
    moves = evaluated.iloc[:0].assign(tower=pd.Series(dtype=object), provider="", price_source="")
    moves.attrs["values"] = dict(evaluated.attrs.get("values", {}))
    facts = ["standardization", "measurability", "max_sensitivity", "customer_facing_share"]
    towers = pd.DataFrame(columns=[*TOWER_COLUMNS, "reason", "not_moved", *facts, "wave_class", "wave_reason"])
    towers["sequence"] = pd.Series(dtype=int)
    return SourcingPlan(
        towers=towers,
        moves=moves,
        plan=_plan_rows(moves, processes),
        members=pd.DataFrame(columns=["process_id", "tower", "location", "moved", "why"]),
        bids=pd.DataFrame(columns=list(BID_COLUMNS)),
    )


def bc_outputs() -> set[str]:
    """Columns ``business_case.evaluate`` adds (dropped before a tower's price re-evaluates the pairs)."""
    return set(bc.EVALUATED_COLUMNS)


def _plan_rows(moves: pd.DataFrame, processes: pd.DataFrame) -> pd.DataFrame:
    """The moves in the per-process plan's shape, so that every plan total (waterfall, Monte Carlo, by tier)
    reads the towers the same way it read the per-process picks."""
    names = processes.set_index(processes["process_id"].astype(str))
    out = moves.rename(columns={"country": "recommended_location"}).copy()
    out["process_name"] = out["process_id"].map(names["process_name"])
    out["recommendation"] = out["process_id"].map(names["recommendation"])
    out["location_reason"] = "moves with its tower: " + out["tower"].astype(str)
    out["risk_adjusted_npv"] = out["npv"] * out["fit_score"]
    cols = [
        "process_id",
        "process_name",
        "recommendation",
        "role_family",
        "recommended_location",
        *bc.MOVE_COLUMNS,
        "risk_adjusted_npv",
        "location_reason",
        "tower",
    ]
    return out.reindex(columns=cols).reset_index(drop=True)


# --- waves and roadmap -------------------------------------------------------------------------------------


def _wave_facts(info: pd.DataFrame, moves: pd.DataFrame) -> pd.DataFrame:
    """Per tower, FTE-weighted standardization and measurability, the highest data sensitivity and the share
    of its FTE that faces customers (of the processes it moves; of all its processes if it moves none)."""
    rows = []
    moved = set(moves["process_id"].astype(str)) if len(moves) else set()
    for tower, g in info.groupby("tower"):
        m = g[g.index.astype(str).isin(moved)]
        g = m if len(m) else g
        w = g["fte"].clip(lower=1e-9)
        rows.append(
            {
                "tower": tower,
                "standardization": float(np.average(g["standardization"], weights=w)),
                "measurability": float(np.average(g["measurability"], weights=w)),
                "max_sensitivity": int(g["data_sensitivity"].max()),
                "customer_facing_share": float(w[g["customer_facing"].astype(bool)].sum() / w.sum()),
            }
        )
    return pd.DataFrame(
        rows, columns=["tower", "standardization", "measurability", "max_sensitivity", "customer_facing_share"]
    )


def assign_waves(towers: pd.DataFrame, sensitive_from: int = 4) -> pd.DataFrame:
    """Each moving tower's wave, quick wins first: a tower is *regulated* when it holds data of sensitivity
    ``sensitive_from`` or more (transfer rules, ISO 27001), *customer-facing* when most of its FTE faces
    customers, and *standardized* when its FTE-weighted standardization and measurability are both 4 or more.
    Class 1: standardized, neither regulated nor customer-facing; 2: the other back-office towers; 3: regulated
    or customer-facing; 4: both, or a captive centre (the client builds it first). Classes that hold no tower
    are skipped, so waves are numbered 1, 2, 3 ... Within a wave, the higher NPV goes first (``sequence``)."""
    t = towers.copy()
    regulated = t["max_sensitivity"].fillna(0) >= sensitive_from
    facing = t["customer_facing_share"].fillna(0) > 0.5
    standard = (t["standardization"].fillna(0) >= 4) & (t["measurability"].fillna(0) >= 4)
    cls = np.select(
        [(regulated & facing) | t["operating_model"].eq("captive"), regulated | facing, standard],
        [4, 3, 1],
        2,
    )
    moving = t["location"].notna() & (t["processes"] > 0)
    t["wave_class"] = np.where(moving, cls, np.nan)
    order = sorted(set(t.loc[moving, "wave_class"]))
    t["wave"] = t["wave_class"].map({c: i + 1 for i, c in enumerate(order)}).astype("Int64")
    t["wave_reason"] = np.where(
        ~moving,
        "does not move",
        np.select(
            [cls == 4, cls == 3, cls == 1],
            [
                "regulated and customer-facing, or a captive centre to build: last",
                "regulated data or customer-facing work: after the back office has gone live",
                "standardized, measurable, low-risk: a quick win",
            ],
            "back office, less standardized: after the quick wins",
        ),
    )
    t = t.sort_values(["wave", "npv"], ascending=[True, False], na_position="last").reset_index(drop=True)
    t["sequence"] = np.arange(1, len(t) + 1)
    return t


def roadmap(towers: pd.DataFrame, values: dict) -> pd.DataFrame:
    """The roadmap as tidy rows for a Gantt chart: per moving tower, its ``transition`` (from its start to
    go-live), the ``parallel run`` inside it (the last ``parallel_running_share`` of the transition, when the
    client pays both teams) and the provider's ``ramp-up`` after go-live (``ramp_months``). Wave 1 starts at
    month 0; each later wave starts when the one before it has gone live. A captive centre's transition is
    ``captive_ramp_factor`` times longer. Months are counted from contract signature."""
    q = {**bc.NEUTRAL, **values}
    t_months = float(q.get("transition_months", 6))
    share = float(q["parallel_running_share"])
    ramp = float(q["ramp_months"])
    cols = ["wave", "tower", "phase", "start_month", "end_month"]
    moving = towers[towers["wave"].notna()].sort_values(["wave", "sequence"])
    rows = []
    start = 0.0
    for wave, g in moving.groupby("wave", sort=True):
        ends = []
        for r in g.itertuples():
            t = t_months * (float(q["captive_ramp_factor"]) if r.operating_model == "captive" else 1.0)
            go = start + t
            rows.append(
                {"wave": int(wave), "tower": r.tower, "phase": "transition", "start_month": start, "end_month": go}
            )
            if share > 0:
                rows.append(
                    {
                        "wave": int(wave),
                        "tower": r.tower,
                        "phase": "parallel run",
                        "start_month": go - share * t,
                        "end_month": go,
                    }
                )
            if ramp > 0:
                rows.append(
                    {"wave": int(wave), "tower": r.tower, "phase": "ramp-up", "start_month": go, "end_month": go + ramp}
                )
            ends.append(go)
        start = max(ends)
    return pd.DataFrame(rows, columns=cols)


def wave_summary(towers: pd.DataFrame, road: pd.DataFrame) -> pd.DataFrame:
    """One row per wave: its towers, FTE, NPV, transition start, go-live and parallel run (months from
    signature), and why it sits where it does."""
    cols = [
        "wave",
        "towers",
        "fte",
        "npv",
        "transition_start",
        "parallel_run_from",
        "go_live",
        "why",
    ]
    if road.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for wave, g in towers[towers["wave"].notna()].groupby("wave", sort=True):
        r = road[road["wave"] == wave]
        tr = r[r["phase"] == "transition"]
        par = r[r["phase"] == "parallel run"]
        rows.append(
            {
                "wave": int(wave),
                "towers": ", ".join(g["tower"]),
                "fte": float(g["fte"].sum()),
                "npv": float(g["npv"].sum()),
                "transition_start": float(tr["start_month"].min()),
                "parallel_run_from": float(par["start_month"].min()) if len(par) else np.nan,
                "go_live": float(tr["end_month"].max()),
                "why": "; ".join(sorted(set(g["wave_reason"]))),
            }
        )
    return pd.DataFrame(rows, columns=cols)


def first_90_days(towers: pd.DataFrame, rules: pd.DataFrame, home_country: str) -> pd.DataFrame:
    """The next 90 days as steps (``days``, ``step``, ``why``): confirm the towers, go to the market (a
    confirmation of the recommended bid, or an RFP where a tower is priced on a rate card or reference prices),
    the consultations, notifications and transfer assessments that ``rules`` (the jurisdiction rules that apply,
    ``regulations.applicable``) require before contract for the towers' locations, and a pilot of the first
    wave's lead tower with a go/no-go at day 90."""
    moving = towers[towers["wave"].notna()].sort_values(["wave", "sequence"])
    steps: list[dict] = []

    def add(days: str, step: str, why: str) -> None:
        steps.append({"days": days, "step": step, "why": why})

    if moving.empty:
        add("1-30", "Revisit the scope: no tower moves at the prices found.", "no tower saves money")
        return pd.DataFrame(steps, columns=["days", "step", "why"])
    add(
        "1-15",
        f"Agree the {len(moving)} towers, their locations and the wave plan with the process owners and the sponsor.",
        "the plan contracts towers, not single processes",
    )
    bid = moving[moving["price_source"].eq("bid")]
    other = moving[~moving["price_source"].eq("bid")]
    for r in bid.itertuples():
        add(
            "1-45",
            f"Confirm {r.provider}'s bid for the {r.tower} tower in {r.location} on the tower's scope "
            f"({r.fte:,.0f} FTE) and run due diligence.",
            "the business case prices this tower on that bid",
        )
    if len(other):
        add(
            "1-60",
            "Issue a request for proposal for "
            + ", ".join(f"{r.tower} ({r.location})" for r in other.itertuples())
            + ", with ISO 27001 and the required languages as must-haves.",
            "priced on " + " and ".join(sorted(set(other["price_source"]) - {""}) or ["no price"]) + ", not a bid",
        )
    locs = set(moving["location"])
    offshore = locs - {home_country}
    for r in rules.itertuples():
        concerns = {c.strip() for c in str(r.concerns).split(",")}
        hit = sorted(concerns & offshore)
        when = str(r.applies_when)
        if not hit and when != "staff_displaced" and when != "staff_transfer":
            continue
        if when in ("staff_displaced", "staff_transfer"):
            what = "Inform and consult employee representatives (works council where there is one)"
            days = "1-30"
        elif when == "transfer_outside_adequacy":
            what = f"Complete a transfer impact assessment for the data going to {', '.join(hit)}"
            days = "15-60"
        else:
            what = "Prepare the regulator notification and outsourcing register entry"
            days = "30-75"
        add(days, f"{what}: {r.name}.", str(r.before_contract))
    lead = moving.iloc[0]
    add(
        "45-90",
        f"Pilot the {lead.tower} tower (wave 1) in {lead.location} on a slice of its volume, with the contract's "
        "KPIs measured from day one; go/no-go for wave 1 at day 90.",
        "quick win first: " + str(lead.wave_reason),
    )
    out = pd.DataFrame(steps, columns=["days", "step", "why"])
    first = out["days"].str.split("-").str[0].astype(int)
    return out.assign(_d=first).sort_values("_d", kind="stable").drop(columns="_d").reset_index(drop=True)
