"""The risk register: every risk the seeds name, plus exit, with a likelihood and an impact (1-5) derived from
this client's assessment and the reason for each; the conditions the top risks put on the plan; the cost of an
exit; and the governance plan with the service levels a contract would hold.

Each driver is a share or a score in [0, 1]; :func:`to_scale` turns it into 1-5 with fixed, documented bands
so that two consultants get the same register from the same assessment.

Risks in proportion. A risk's *impact* needs both severe work and a large part of the client: it is the
geometric mean of the severity of the moved work (e.g. the share of it that is customer-facing) and the
exposure, the share of the client's cost, FTE, or sensitive or customer-facing FTE that is moved, stretched so
that moving half of the client counts in full (``exposure_stretch``). Moving 4 FTE out of 130 (3%) can then
never rate an impact above 2, whatever the work. Where the destination matters, the *likelihood* is the
geometric mean of what the work brings (e.g. the share of sensitive data that leaves the country) and the
destination's weakness on the World Bank governance indicator that fits (100 minus its percentile rank: rule
of law for data security, political stability for business continuity; ``data/reference/location_pillars.csv``),
weighted by the FTE each location receives. Without that table the likelihood is the work's driver alone.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator

from .business_case import recommended_pairs
from .config import REFERENCE_DIR
from .reference import table

#: upper edges of the bands of a 0-1 driver for scores 1 to 4 (5 above the last)
BANDS = (0.10, 0.25, 0.50, 0.75)
#: drivers whose worst realistic case is well below 100% are stretched so that case scores 5:
#: a 50% shortfall in English and overlap fit; a transition of a quarter of the contract; hidden costs of a
#: quarter of the labour arbitrage; moving half of the client's process cost; a re-transition costing a quarter
#: of the plan's net savings
STRETCH = {"communication": 2.0, "transition": 4.0, "hidden_share": 4.0, "moved_cost": 2.0, "exit_share": 4.0}
#: the governance indicator (World Bank WGI percentile rank) whose weakness makes a risk more likely there
PILLAR_METRICS = {"data_security": "wgi_rule_of_law", "business_continuity": "wgi_political_stability"}
PILLAR_NAMES = {"wgi_rule_of_law": "rule of law", "wgi_political_stability": "political stability"}
#: where the table has no figure for a country, its weakness is taken as the median rank (50th percentile)
UNKNOWN_WEAKNESS = 0.5

#: the seeds' KPIs, what each measures, the risks it watches and how often it is reviewed
GOVERNANCE_KPIS = (
    ("sla_adherence", "share of service levels met in the month", "quality_control, dependency", "monthly"),
    ("quality", "accuracy or quality score of the output", "quality_control, communication", "monthly"),
    ("cost_savings", "savings realised against the business case", "hidden_costs, exit", "quarterly"),
    ("turnaround_time", "time from request to completion", "quality_control, business_continuity", "monthly"),
    ("productivity", "output per provider FTE", "hidden_costs, quality_control", "quarterly"),
    (
        "employee_satisfaction",
        "satisfaction of the provider's and the client's affected staff",
        "public_perception, loss_of_control",
        "quarterly",
    ),
    ("compliance", "audit findings and data-protection incidents", "data_security, loss_of_control", "monthly"),
)


def _reference_value(name: str, parameter: str) -> float:
    t = table(name).set_index("parameter")
    return float(t.at[parameter, "value"])


class RiskSettings(BaseModel):
    """How a risk driver becomes a 1-5 score (the bands, the stretch of drivers whose worst case is far below
    100%, how much of the client counts as full exposure), from which score a risk conditions the plan, and the
    exit and service-level terms assumed for the contract."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    bands: tuple[float, float, float, float] = Field(
        default=BANDS, description="upper edges of the 0-1 driver bands for scores 1 to 4 (5 above the last)"
    )
    stretch: dict[str, float] = Field(
        default_factory=lambda: dict(STRETCH), description="factor a driver is multiplied by before banding"
    )
    exposure_stretch: float = Field(
        default=2.0, gt=0, description="factor on the share of the client moved: 2 means moving half counts in full"
    )
    condition_score: int = Field(
        default=15, ge=1, le=25, description="score (likelihood x impact) from which a risk conditions the plan"
    )
    exit_probability: float = Field(
        default_factory=lambda: _reference_value("exit_costs", "exit_probability"),
        ge=0,
        le=1,
        description="chance the deal is renegotiated or ended during its life (default: Gartner 2005, 55%)",
    )
    re_transition_factor: float = Field(
        default_factory=lambda: _reference_value("exit_costs", "re_transition_factor"),
        ge=0,
        description="cost of an exit as a multiple of one transition (default 1, an assumption)",
    )
    at_risk_share: float = Field(
        default_factory=lambda: _reference_value("service_levels", "at_risk_share"),
        ge=0,
        le=1,
        description="share of the monthly fee the provider can lose in service credits (default 12%)",
    )
    pool_allocation: float = Field(
        default_factory=lambda: _reference_value("service_levels", "pool_allocation"),
        gt=0,
        le=5,
        description="total share of the at-risk amount allocated across the critical service levels (default 1)",
    )
    earn_back_months: int = Field(
        default_factory=lambda: int(_reference_value("service_levels", "earn_back_months")),
        ge=0,
        le=24,
        description="months at target after a miss that earn its credit back (0: no earn-back)",
    )

    @field_validator("bands")
    @classmethod
    def _increasing(cls, v: tuple[float, ...]) -> tuple[float, ...]:
        if list(v) != sorted(v) or not all(0 < b < 1 for b in v):
            raise ValueError("expected four increasing edges between 0 and 1")
        return v


DEFAULT_RISK_SETTINGS = RiskSettings()


def to_scale(driver: float, bands: tuple[float, ...] = BANDS) -> int:
    """A driver in [0, 1] as a score from 1 to 5: up to 10% -> 1, 25% -> 2, 50% -> 3, 75% -> 4, above -> 5."""
    if driver is None or np.isnan(driver):
        return 1
    return int(np.searchsorted(bands, float(driver), side="left")) + 1


def _pct(x: float) -> str:
    return f"{x:.0%}"


def location_weakness(metric: str) -> pd.Series:
    """Per country, 1 minus its percentile rank on a World Bank governance indicator (0 = best governed, 1 =
    worst), from ``data/reference/location_pillars.csv``; empty when that table is not installed."""
    return _weakness(metric).copy()


@cache
def _weakness(metric: str) -> pd.Series:
    path = REFERENCE_DIR / "location_pillars.csv"
    if not path.exists():
        return pd.Series(dtype=float)
    # read directly, not through reference.table: only the governance rows are used, each with its own source
    p = pd.read_csv(path, keep_default_na=False, na_values=[""], dtype={"year": str})
    p = p[p["metric"].eq(metric) & p["source"].notna() & p["year"].notna() & p["value"].notna()]
    lo, hi = p["scale_min"].astype(float), p["scale_max"].astype(float)
    rank = (p["value"].astype(float) - lo) / (hi - lo)
    return pd.Series((1 - rank).clip(0, 1).to_numpy(), index=p["country"].to_numpy(), dtype=float)


def _weighted_weakness(fte: pd.Series, country: pd.Series, metric: str) -> tuple[float | None, str]:
    """FTE-weighted weakness of the destinations, and how to say it; None when the table is missing."""
    weak = location_weakness(metric)
    if weak.empty or fte.sum() <= 0:
        return None, ""
    w = country.map(weak)
    unknown = sorted(set(country[w.isna()]))
    value = float((w.fillna(UNKNOWN_WEAKNESS) * fte).sum() / fte.sum())
    text = f"; {PILLAR_NAMES[metric]} where it goes: percentile {100 * (1 - value):.0f} of 100 (World Bank WGI)"
    if unknown:
        text += f", no figure for {', '.join(unknown)} (taken as the median)"
    return value, text


def _geo(a: float, b: float) -> float:
    return float(np.sqrt(max(a, 0.0) * max(b, 0.0)))


def _front(m: pd.DataFrame) -> pd.Series:
    """Customer-facing work: flagged so in the inventory, or front-office by its BPO type."""
    flag = m["customer_facing"].fillna(False).astype(bool) if "customer_facing" in m else False
    return m["bpo_type"].eq("front_office") | flag


def _ids(m: pd.DataFrame, mask: pd.Series, most: int = 10) -> str:
    """The processes concerned (the first ``most`` by name, then how many more and their FTE), or empty when
    it is the whole plan."""
    if bool(mask.all()):
        return ""
    ids = m.loc[mask, "process_id"].astype(str)
    if len(ids) <= most:
        return ", ".join(ids)
    rest = m.loc[mask, "fte"].iloc[most:].sum()
    return f"{', '.join(ids.iloc[:most])} and {len(ids) - most:,} more ({rest:,.1f} FTE)"


def register(
    processes: pd.DataFrame,
    plan: pd.DataFrame,
    evaluated: pd.DataFrame,
    values: dict,
    settings: RiskSettings = DEFAULT_RISK_SETTINGS,
) -> pd.DataFrame:
    """Likelihood and impact of each risk in ``data/reference/risks.csv`` for this client, with reasons, in
    proportion to how much of the client is moved (see the module docstring).

    ``processes``: the classified inventory (the whole client: shares are of it); ``plan``: the recommended
    location per process (pass part of it, e.g. one tower, to rate that part); ``evaluated``: the process x
    location business case; ``values``: the business-case assumptions by name. Columns: ``risk``, ``label``,
    ``category``, ``likelihood``, ``impact``, ``score``, the two reasons, ``mitigation``, ``condition_type``,
    ``condition``, ``scope`` (the processes that drive the risk), ``source``, ``year``.
    """
    stretch = {**STRETCH, **settings.stretch}
    moved = plan.dropna(subset=["recommended_location"])
    keep = [
        "process_id",
        "fte",
        "annual_cost",
        "data_sensitivity",
        "interdependence",
        "strategic_importance",
        "operational_risk",
        "bpo_type",
        "coverage",
    ]
    keep += [c for c in ("customer_facing",) if c in processes]
    m = moved.merge(processes[keep], on="process_id")
    chosen = recommended_pairs(evaluated, moved)
    fte = m["fte"].sum()
    client_fte = float(processes["fte"].sum())
    client_cost = float(processes["annual_cost"].sum())

    def share(mask) -> float:
        return float(m.loc[mask, "fte"].sum() / fte) if fte else 0.0

    def of_client(mask) -> float:
        return float(m.loc[mask, "fte"].sum() / client_fte) if client_fte else 0.0

    def exposure(x: float) -> float:
        return min(1.0, x * settings.exposure_stretch)

    everything = pd.Series(True, index=m.index)
    abroad = m["tier"].ne("onshore")
    front = _front(m)
    sensitive = m["data_sensitivity"] >= 4
    critical = front | m["coverage"].eq("24x7")
    cost_share = float(m["annual_cost"].sum() / client_cost) if client_cost else 0.0
    fte_share = of_client(everything)
    cost_text = f"{_pct(cost_share)} of the client's process cost is moved"
    fte_text = f"{_pct(fte_share)} of the client's FTE are moved"
    d: dict[str, tuple[float, str, float, str, pd.Series]] = {}

    s = share(sensitive & abroad)
    weak, where = _weighted_weakness(
        m.loc[sensitive & abroad, "fte"],
        m.loc[sensitive & abroad, "recommended_location"],
        PILLAR_METRICS["data_security"],
    )
    top_sens = int(m["data_sensitivity"].max()) if len(m) else 1
    sens_client = of_client(sensitive)
    d["data_security"] = (
        s if weak is None else _geo(s, weak),
        f"{_pct(s)} of the moved FTE handle sensitive data outside the home country{where}",
        _geo((top_sens - 1) / 4, exposure(sens_client)),
        f"highest data sensitivity moved: {top_sens} of 5; {_pct(sens_client)} of the client's FTE work on "
        "sensitive data and are moved",
        sensitive,
    )
    if len(chosen):
        w = chosen["fte"] / chosen["fte"].sum()
        gap = float((w * (1 - (chosen["english_factor"] + chosen["time_zone_factor"]) / 2)).sum())
    else:
        gap = 0.0
    f = share(front)
    front_client = of_client(front)
    d["communication"] = (
        gap * stretch["communication"],
        f"FTE-weighted shortfall in English fit and overlap: {_pct(gap)}",
        _geo(f, exposure(front_client)),
        f"{_pct(f)} of the moved FTE are customer-facing, {_pct(front_client)} of the client's FTE",
        front,
    )
    tight = m["interdependence"] >= 4
    inter = share(tight)
    si = float((m["strategic_importance"] * m["fte"]).sum() / fte) if fte else 1.0
    d["loss_of_control"] = (
        inter,
        f"{_pct(inter)} of the moved FTE work in tightly interdependent processes",
        _geo((si - 1) / 4, exposure(cost_share)),
        f"FTE-weighted strategic importance of the moved work: {si:.1f} of 5; {cost_text}",
        tight,
    )
    tshare = values["transition_months"] / (12 * values["contract_years"])
    gross = chosen["gross_arbitrage"].sum() if len(chosen) else 0.0
    hidden = chosen["hidden_costs"].sum() / gross if gross > 0 else 0.0
    d["hidden_costs"] = (
        tshare * stretch["transition"],
        f"transition is {_pct(tshare)} of the contract "
        f"({values['transition_months']:g} of {12 * values['contract_years']:g} months)",
        _geo(min(1.0, hidden * stretch["hidden_share"]), exposure(cost_share)),
        f"hidden costs are {_pct(hidden)} of the gross labour arbitrage; {cost_text}",
        everything,
    )
    offshore = m["tier"].eq("offshore")
    off = share(offshore)
    d["public_perception"] = (
        off,
        f"{_pct(off)} of the moved FTE go offshore",
        _geo(f, exposure(fte_share)),
        f"{_pct(f)} of the moved FTE are customer-facing; {fte_text}",
        offshore,
    )
    op = float((m["operational_risk"] * m["fte"]).sum() / fte / 100) if fte else 0.0
    d["quality_control"] = (
        op,
        f"FTE-weighted operational risk of the moved work: {op * 100:.0f} of 100",
        _geo(f, exposure(cost_share)),
        f"{_pct(f)} of the moved FTE are customer-facing; {cost_text}",
        everything,
    )
    spend = chosen.groupby("country")["provider_cost"].sum() if len(chosen) else pd.Series(dtype=float)
    top = float(spend.max() / spend.sum()) if len(spend) and spend.sum() > 0 else 0.0
    top_loc = spend.idxmax() if len(spend) else "-"
    d["dependency"] = (
        top,
        f"{_pct(top)} of the provider spend goes to one location ({top_loc})",
        exposure(cost_share),
        cost_text,
        everything,
    )
    by_loc = m.groupby("recommended_location")["fte"].sum()
    conc = float(by_loc.max() / fte) if fte else 0.0
    weak, where = _weighted_weakness(m["fte"], m["recommended_location"], PILLAR_METRICS["business_continuity"])
    crit = share(critical)
    crit_client = of_client(critical)
    d["business_continuity"] = (
        conc if weak is None else _geo(conc, weak),
        f"{_pct(conc)} of the moved FTE sit in one location ({by_loc.idxmax() if len(by_loc) else '-'}){where}",
        _geo(crit, exposure(crit_client)),
        f"{_pct(crit)} of the moved FTE are customer-facing or 24x7, {_pct(crit_client)} of the client's FTE",
        critical,
    )
    ex = exit_cost(chosen, settings=settings)
    net = float(chosen["net_savings"].sum()) if len(chosen) else 0.0
    re_cost = float(ex["re_transition_cost"].sum()) if len(ex) else 0.0
    exit_share = re_cost / net if net > 0 else (1.0 if re_cost > 0 else 0.0)
    d["exit"] = (
        settings.exit_probability if len(m) else 0.0,
        f"{_pct(settings.exit_probability)} of outsourcing deals are renegotiated or ended during their life "
        "(Gartner 2005)",
        _geo(min(1.0, exit_share * stretch["exit_share"]), exposure(cost_share)),
        f"one re-transition would cost {_pct(exit_share)} of the plan's net savings; {cost_text}",
        everything,
    )
    ref = table("risks")
    rows = []
    for r in ref.itertuples():
        ld, lr, idr, ir, scope = d[r.risk]
        likelihood, impact = to_scale(min(ld, 1.0), settings.bands), to_scale(min(idr, 1.0), settings.bands)
        rows.append(
            {
                "risk": r.risk,
                "label": r.label,
                "category": r.category,
                "likelihood": likelihood,
                "impact": impact,
                "score": likelihood * impact,
                "likelihood_reason": lr,
                "impact_reason": ir,
                "mitigation": r.mitigation,
                "condition_type": r.condition_type,
                "condition": r.condition,
                "scope": _ids(m, scope),
                "source": r.source,
                "year": r.year,
            }
        )
    return pd.DataFrame(rows).sort_values(
        ["score", "impact", "risk"], ascending=[False, False, True], ignore_index=True
    )


def register_by(
    processes: pd.DataFrame,
    plan: pd.DataFrame,
    evaluated: pd.DataFrame,
    values: dict,
    by: str = "tower",
    settings: RiskSettings = DEFAULT_RISK_SETTINGS,
) -> pd.DataFrame:
    """The register of each part of the plan (e.g. each tower: ``by`` is a column of ``plan`` or of
    ``processes``), one block of rows per part with the part's name in column ``by``; shares stay shares of the
    whole client, so a small tower rates in proportion."""
    p = plan if by in plan else plan.merge(processes[["process_id", by]], on="process_id")
    parts = [
        register(processes, group.drop(columns=[by]) if by not in plan else group, evaluated, values, settings).assign(
            **{by: name}
        )
        for name, group in p.dropna(subset=["recommended_location"]).groupby(by, sort=True)
    ]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=[by])


def conditions(register: pd.DataFrame, settings: RiskSettings = DEFAULT_RISK_SETTINGS) -> pd.DataFrame:
    """The conditions the plan carries: every risk scoring ``condition_score`` (15 by default, the red corner of
    the matrix) or more changes the plan (a gate, a pilot, onshore or captive for the processes concerned) or is
    a go/no-go the client must accept. Columns: ``risk``, ``label``, ``score``, ``condition_type``,
    ``condition``, ``applies_to`` (the processes concerned, or the whole plan), ``reason``; highest score
    first; empty when no risk reaches the score."""
    top = register[register["score"] >= settings.condition_score]
    cols = ["risk", "label", "score", "condition_type", "condition", "applies_to", "reason"]
    if top.empty:
        return pd.DataFrame(columns=cols)
    out = top.assign(
        applies_to=top["scope"].where(top["scope"].str.len() > 0, "the whole plan"),
        reason=top["likelihood_reason"] + "; " + top["impact_reason"],
    )
    return out[cols].sort_values(["score", "risk"], ascending=[False, True], ignore_index=True)


def exit_cost(
    chosen: pd.DataFrame, by: str | None = None, settings: RiskSettings = DEFAULT_RISK_SETTINGS
) -> pd.DataFrame:
    """What ending the deal could cost, per part of the plan (``by``, e.g. ``tower``; default the whole plan):
    one re-transition (``re_transition_factor`` x the transition priced in the business case, knowledge transfer
    and parallel running) and its expected cost, ``exit_probability`` x that. ``chosen``: the business-case rows
    of the recommended moves (``business_case.recommended_pairs``). Termination assistance is priced in the
    contract and needs a quote; it is not in these figures."""
    group = by if by else "_plan"
    c = chosen.assign(_plan="whole plan") if not by else chosen
    cols = [group, "transition_cost", "re_transition_cost", "exit_probability", "expected_exit_cost"]
    if c.empty:
        return pd.DataFrame(columns=cols).rename(columns={"_plan": "part"})
    transition = c["transition"] if "transition" in c else pd.Series(0.0, index=c.index)
    out = c.assign(transition_cost=transition).groupby(group, sort=True)["transition_cost"].sum().reset_index()
    out["re_transition_cost"] = out["transition_cost"] * settings.re_transition_factor
    out["exit_probability"] = settings.exit_probability
    out["expected_exit_cost"] = out["re_transition_cost"] * settings.exit_probability
    return out[cols].rename(columns={"_plan": "part"})


def _proposed_targets() -> pd.DataFrame:
    return table("kpi_targets").set_index("kpi")


def governance_plan(
    risks: pd.DataFrame,
    kpis: pd.DataFrame | None = None,
    monthly_fee: float | None = None,
    settings: RiskSettings = DEFAULT_RISK_SETTINGS,
) -> pd.DataFrame:
    """The KPIs the contract needs (the seeds' list) and the service levels it would hold.

    Per KPI: what it measures, the register's risks it watches with their top score, the review cadence
    (monthly whenever a watched risk scores 12 or more), the target (the latest one agreed in the KPI reports
    where there is one, else the typical figure of ``data/reference/kpi_targets.csv`` where one is published,
    else to be agreed in the SLA) and where it comes from; whether it is a *critical* service level (one that
    earns the client a credit when missed; the others are reported only); the critical ones' ``allocation``,
    their share of the at-risk amount, in proportion to the top score of the risks each watches and adding up to
    ``pool_allocation``; and, with ``monthly_fee`` (the provider's fee for the part of the plan), the at-risk
    amount (``at_risk_share`` of the fee) and the credit one month's miss would earn, which the provider earns
    back after ``earn_back_months`` months at target."""
    score = risks.set_index("risk")["score"]
    proposed = _proposed_targets()
    rows = []
    for kpi, what, watched, cadence in GOVERNANCE_KPIS:
        names = [w.strip() for w in watched.split(",")]
        target, source = "to be agreed in the SLA", "none published; the kit never invents one"
        ref = proposed.loc[kpi] if kpi in proposed.index else None
        if ref is not None and pd.notna(ref["target"]):
            sign = ">=" if ref["direction"] == "higher" else "<="
            target, source = f"{sign} {float(ref['target']):g} {ref['unit']}", f"typical: {ref['source']}"
        if kpis is not None and len(kpis):
            k = kpis[kpis["kpi"] == kpi].sort_values("month")
            if len(k):
                last = k.iloc[-1]
                sign = ">=" if last["direction"] == "higher" else "<="
                target = f"{sign} {last['target']:g}" + (f" {last['unit']}" if last.get("unit") else "")
                source = f"agreed, KPI report of {last['month']}"
        top = int(max(score.get(n, 0) for n in names))
        critical = bool(ref is not None and str(ref["critical"]).strip().lower() == "true")
        rows.append(
            {
                "kpi": kpi,
                "measures": what,
                "watches": watched.replace("_", " "),
                "top_risk_score": top,
                "review": cadence if top < 12 else "monthly",
                "target": target,
                "target_source": source,
                "critical": critical,
            }
        )
    out = pd.DataFrame(rows)
    weight = out["top_risk_score"].clip(lower=1).where(out["critical"], 0.0)
    out["allocation"] = weight / weight.sum() * settings.pool_allocation if weight.sum() else 0.0
    fee = np.nan if monthly_fee is None else float(monthly_fee)
    out["at_risk_amount"] = fee * settings.at_risk_share
    out["credit_if_missed"] = out["at_risk_amount"] * out["allocation"]
    out["earn_back"] = np.where(
        out["critical"],
        f"credit paid back after {settings.earn_back_months} months at target" if settings.earn_back_months else "none",
        "reported only, no credit",
    )
    return out


def service_levels(
    risks: pd.DataFrame,
    chosen: pd.DataFrame,
    by: str | None = None,
    kpis: pd.DataFrame | None = None,
    settings: RiskSettings = DEFAULT_RISK_SETTINGS,
) -> pd.DataFrame:
    """The governance plan of each part of the plan (``by``, e.g. ``tower``; default the whole plan), its
    monthly fee the provider cost of the part's recommended moves (``chosen``) over twelve. With ``by``, the
    register ``risks`` may hold one block per part in a column of that name (``register_by``); else the same
    register serves every part."""
    group = by if by else "part"
    c = chosen.assign(part="whole plan") if not by else chosen
    parts = []
    for name, g in c.groupby(group, sort=True):
        r = risks[risks[group] == name] if group in risks else risks
        fee = float(g["provider_cost"].sum()) / 12
        parts.append(governance_plan(r, kpis, fee, settings).assign(**{group: name, "monthly_fee": fee}))
    if not parts:
        return governance_plan(risks, kpis, None, settings).iloc[0:0].assign(**{group: [], "monthly_fee": []})
    out = pd.concat(parts, ignore_index=True)
    return out[[group, *[x for x in out.columns if x != group]]]


def exit_sensitivity(chosen: pd.DataFrame, settings: RiskSettings = DEFAULT_RISK_SETTINGS) -> pd.DataFrame:
    """The exit as a sensitivity for the business case: the expected cost of an exit over the contract at the
    low, base and high exit probability of ``data/reference/exit_costs.csv`` (48%, 55%, 60%; the base is the
    client's setting), and the cost if the exit is certain. One row per case, with ``exit_probability``,
    ``re_transition_cost`` and ``exit_cost``; the business case subtracts ``exit_cost`` from the net savings
    (a one-time cost at the end of the contract, when a re-transition would happen)."""
    ref = table("exit_costs").set_index("parameter")
    re_cost = float(exit_cost(chosen, settings=settings)["re_transition_cost"].sum())
    cases = {
        "low": float(ref.at["exit_probability", "low"]),
        "base": settings.exit_probability,
        "high": float(ref.at["exit_probability", "high"]),
        "certain": 1.0,
    }
    return pd.DataFrame(
        {
            "case": list(cases),
            "exit_probability": list(cases.values()),
            "re_transition_cost": re_cost,
            "exit_cost": [p * re_cost for p in cases.values()],
        }
    )
