"""The risk register: every risk the seeds name, with a likelihood and an impact (1-5) derived from this
client's assessment and the reason for each, the top risks with their mitigations, and the governance plan.

Each driver is a share or a score in [0, 1]; :func:`to_scale` turns it into 1-5 with fixed, documented bands
so that two consultants get the same register from the same assessment.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator

from .business_case import recommended_pairs
from .reference import table

#: upper edges of the bands of a 0-1 driver for scores 1 to 4 (5 above the last)
BANDS = (0.10, 0.25, 0.50, 0.75)
#: drivers whose worst realistic case is well below 100% are stretched so that case scores 5:
#: a 50% shortfall in English and overlap fit; a transition of a quarter of the contract; hidden costs of a
#: quarter of the labour arbitrage; moving half of the client's process cost
STRETCH = {"communication": 2.0, "transition": 4.0, "hidden_share": 4.0, "moved_cost": 2.0}

#: the seeds' KPIs, what each measures, the risks it watches and how often it is reviewed
GOVERNANCE_KPIS = (
    ("sla_adherence", "share of service levels met in the month", "quality_control, dependency", "monthly"),
    ("quality", "accuracy or quality score of the output", "quality_control, communication", "monthly"),
    ("cost_savings", "savings realised against the business case", "hidden_costs", "quarterly"),
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


class RiskSettings(BaseModel):
    """How a risk driver becomes a 1-5 score: the bands, and the stretch of drivers whose worst case is far
    below 100%."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    bands: tuple[float, float, float, float] = Field(
        default=BANDS, description="upper edges of the 0-1 driver bands for scores 1 to 4 (5 above the last)"
    )
    stretch: dict[str, float] = Field(
        default_factory=lambda: dict(STRETCH), description="factor a driver is multiplied by before banding"
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


def register(
    processes: pd.DataFrame,
    plan: pd.DataFrame,
    evaluated: pd.DataFrame,
    values: dict,
    settings: RiskSettings = DEFAULT_RISK_SETTINGS,
) -> pd.DataFrame:
    """Likelihood and impact of each risk in ``data/reference/risks.csv`` for this client, with reasons.

    ``processes``: the classified inventory; ``plan``: the recommended location per process; ``evaluated``:
    the process x location business case; ``values``: the business-case assumptions by name.
    """
    stretch = {**STRETCH, **settings.stretch}
    moved = plan.dropna(subset=["recommended_location"])
    m = moved.merge(
        processes[
            [
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
        ],
        on="process_id",
    )
    chosen = recommended_pairs(evaluated, plan)
    fte = m["fte"].sum()
    share = (lambda mask: float(m.loc[mask, "fte"].sum() / fte)) if fte else (lambda mask: 0.0)
    abroad = m["tier"].ne("onshore")
    front = m["bpo_type"].eq("front_office")
    d = {}
    s = share((m["data_sensitivity"] >= 4) & abroad)
    top_sens = int(m["data_sensitivity"].max()) if len(m) else 1
    d["data_security"] = (
        s,
        f"{_pct(s)} of the moved FTE handle sensitive data outside the home country",
        (top_sens - 1) / 4,
        f"highest data sensitivity moved: {top_sens} of 5",
    )
    if len(chosen):
        w = chosen["fte"] / chosen["fte"].sum()
        gap = float((w * (1 - (chosen["english_factor"] + chosen["time_zone_factor"]) / 2)).sum())
    else:
        gap = 0.0
    f = share(front)
    d["communication"] = (
        gap * stretch["communication"],
        f"FTE-weighted shortfall in English fit and overlap: {_pct(gap)}",
        f,
        f"{_pct(f)} of the moved FTE are customer-facing",
    )
    inter = share(m["interdependence"] >= 4)
    si = float((m["strategic_importance"] * m["fte"]).sum() / fte) if fte else 1.0
    d["loss_of_control"] = (
        inter,
        f"{_pct(inter)} of the moved FTE work in tightly interdependent processes",
        (si - 1) / 4,
        f"FTE-weighted strategic importance of the moved work: {si:.1f} of 5",
    )
    tshare = values["transition_months"] / (12 * values["contract_years"])
    hidden = (
        chosen["hidden_costs"].sum() / chosen["gross_arbitrage"].sum()
        if len(chosen) and chosen["gross_arbitrage"].sum() > 0
        else 0.0
    )
    d["hidden_costs"] = (
        tshare * stretch["transition"],
        f"transition is {_pct(tshare)} of the contract "
        f"({values['transition_months']:g} of {12 * values['contract_years']:g} months)",
        hidden * stretch["hidden_share"],
        f"hidden costs are {_pct(hidden)} of the gross labour arbitrage",
    )
    off = share(m["tier"].eq("offshore"))
    d["public_perception"] = (
        off,
        f"{_pct(off)} of the moved FTE go offshore",
        f,
        f"{_pct(f)} of the moved FTE are customer-facing",
    )
    op = float((m["operational_risk"] * m["fte"]).sum() / fte / 100) if fte else 0.0
    d["quality_control"] = (
        op,
        f"FTE-weighted operational risk of the moved work: {op * 100:.0f} of 100",
        f,
        f"{_pct(f)} of the moved FTE are customer-facing",
    )
    spend = chosen.groupby("country")["provider_cost"].sum() if len(chosen) else pd.Series(dtype=float)
    top = float(spend.max() / spend.sum()) if len(spend) else 0.0
    top_loc = spend.idxmax() if len(spend) else "-"
    moved_cost = m["annual_cost"].sum() / processes["annual_cost"].sum() if processes["annual_cost"].sum() else 0.0
    d["dependency"] = (
        top,
        f"{_pct(top)} of the provider spend goes to one location ({top_loc})",
        moved_cost * stretch["moved_cost"],
        f"{_pct(moved_cost)} of the client's process cost is moved",
    )
    by_loc = m.groupby("recommended_location")["fte"].sum()
    conc = float(by_loc.max() / fte) if fte else 0.0
    critical = share(front | m["coverage"].eq("24x7"))
    d["business_continuity"] = (
        conc,
        f"{_pct(conc)} of the moved FTE sit in one location ({by_loc.idxmax() if len(by_loc) else '-'})",
        critical,
        f"{_pct(critical)} of the moved FTE are customer-facing or 24x7",
    )
    ref = table("risks")
    rows = []
    for r in ref.itertuples():
        ld, lr, idr, ir = d[r.risk]
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
                "source": r.source,
                "year": r.year,
            }
        )
    return pd.DataFrame(rows).sort_values(
        ["score", "impact", "risk"], ascending=[False, False, True], ignore_index=True
    )


def governance_plan(risks: pd.DataFrame, kpis: pd.DataFrame | None = None) -> pd.DataFrame:
    """The KPIs the contract needs (the seeds' list), what each measures, the register's risks it watches with
    their top score, the review cadence, and the target: the latest one agreed in ``kpis.csv`` where there is
    one, else to be agreed in the SLA (the kit never invents a target)."""
    score = risks.set_index("risk")["score"]
    rows = []
    for kpi, what, watched, cadence in GOVERNANCE_KPIS:
        names = [w.strip() for w in watched.split(",")]
        target = "to be agreed in the SLA"
        if kpis is not None and len(kpis):
            k = kpis[kpis["kpi"] == kpi].sort_values("month")
            if len(k):
                last = k.iloc[-1]
                sign = ">=" if last["direction"] == "higher" else "<="
                target = f"{sign} {last['target']:g}" + (f" {last['unit']}" if last.get("unit") else "")
        top = int(max(score.get(n, 0) for n in names))
        rows.append(
            {
                "kpi": kpi,
                "measures": what,
                "watches": watched.replace("_", " "),
                "top_risk_score": top,
                "review": cadence if top < 12 else "monthly",
                "target": target,
            }
        )
    return pd.DataFrame(rows)
