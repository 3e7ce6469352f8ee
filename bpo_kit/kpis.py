"""Monitoring the contract: KPI scorecard with red/amber/green status, months in breach, service credits and
realised savings against the business case.

``kpis.csv`` (named under ``kpis`` in client.yaml): one row per month, provider and KPI with the actual, the
target and whether higher or lower is better (optional ``unit``).

Status rule (``amber_tolerance`` t, default 5%): *green* when the target is met (actual at or beyond it);
*amber* when it is missed by no more than t of the target (higher is better: actual >= target x (1 - t);
lower is better: actual <= target x (1 + t)); *red* beyond that. A month is *in breach* when it is not green.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from .tables import Column, Problem, check_columns, read_rows, refuse, sort_problems, to_problems

COLUMNS = (
    Column("month", "month", "Month reported"),
    Column("provider", "text", "Provider"),
    Column("kpi", "text", "KPI name, e.g. sla_adherence, quality, turnaround_time"),
    Column("actual", "number", "Value achieved in the month", expects="a number (the value achieved)"),
    Column("target", "number", "Target of the month"),
    Column("direction", "direction", "Whether higher or lower is better"),
    Column("unit", "text", "Unit of the KPI, e.g. %, hours", False, ""),
)
STATUSES = ("green", "amber", "red")


class ServiceCredits(BaseModel):
    """``service_credits`` in client.yaml: the contract's credit rule.

    For each month and each KPI listed, every point (in the KPI's unit) by which the provider misses the target
    earns the client ``credit_per_point`` of that month's fee; the month's credits are capped at ``cap`` of the
    fee."""

    model_config = ConfigDict(extra="forbid")
    monthly_fee: float | dict[str, float] = Field(
        description="the provider's monthly fee (client currency), or one fee per provider name"
    )
    credit_per_point: float = Field(ge=0, le=1, description="share of the monthly fee per point below target")
    cap: float = Field(ge=0, le=1, description="largest share of the monthly fee credited in one month")
    kpis: list[str] = Field(min_length=1, description="KPIs the credits apply to")

    @model_validator(mode="after")
    def _fees(self) -> ServiceCredits:
        fees = self.monthly_fee.values() if isinstance(self.monthly_fee, dict) else [self.monthly_fee]
        if any(f < 0 for f in fees):
            raise ValueError("monthly_fee must be >= 0")
        return self

    def fee(self, provider: str) -> float:
        if isinstance(self.monthly_fee, dict):
            return float(self.monthly_fee.get(provider, 0.0))
        return float(self.monthly_fee)


class KpiSettings(BaseModel):
    """How the contract is monitored: the amber band and the service-credit rule."""

    model_config = ConfigDict(extra="forbid")
    rag_amber_tolerance: float = Field(
        default=0.05, ge=0, le=1, description="how far below target (share of it) a KPI is amber, not red"
    )
    service_credits: ServiceCredits | None = Field(default=None, description="the contract's credit rule")


def _kpi_name(v: str) -> str:
    return "_".join(str(v).strip().lower().replace("-", " ").split())


def load_kpis(path: Path, *, name: str | None = None) -> pd.DataFrame:
    """The KPI reports, checked: every problem (file, row, column) listed together; one row per month,
    provider and KPI."""
    name = name or path.name
    raw, facts = read_rows(path, COLUMNS, item="KPI", name=name)
    raw = raw.assign(_key=raw["row"].astype(str))
    out, found, _ = check_columns(raw, COLUMNS, "_key", decimal_comma=facts.decimal_comma, file=name)
    problems: list[Problem] = to_problems(name, found)
    ok = ~out["row"].isin(found["row"])
    out["kpi"] = out["kpi"].map(_kpi_name, na_action="ignore")
    keyed = out[ok]
    dup = keyed.duplicated(["month", "provider", "kpi"], keep="first")
    first = keyed.groupby(["month", "provider", "kpi"])["row"].transform("first")
    for r, f in zip(keyed.loc[dup, "row"], first[dup], strict=True):
        problems.append(
            Problem(
                name,
                int(r),
                "month",
                f"a second row for the same month, provider and KPI (first on row {f})",
                "one row per month, provider and KPI",
            )
        )
    if problems:
        raise refuse(sort_problems(problems, [c.name for c in COLUMNS]))
    out = out.astype({"actual": float, "target": float})
    result = out.sort_values(["provider", "kpi", "month"], ignore_index=True)
    result.attrs["notes"] = list(facts.notes)  # how the file was read, e.g. not UTF-8
    return result


def status(kpis: pd.DataFrame, amber_tolerance: float = 0.05) -> pd.DataFrame:
    """Each row with ``met`` (target reached), ``gap`` (how far short, in the KPI's unit, 0 when met) and
    ``status`` (green, amber or red) by the rule in the module docstring."""
    k = kpis.copy()
    higher = k["direction"].eq("higher")
    k["met"] = np.where(higher, k["actual"] >= k["target"], k["actual"] <= k["target"])
    k["gap"] = np.where(higher, k["target"] - k["actual"], k["actual"] - k["target"]).clip(min=0)
    tolerance = amber_tolerance * k["target"].abs()
    amber = k["gap"] <= tolerance
    k["status"] = np.select([k["met"], amber], ["green", "amber"], "red")
    return k


def scorecard(kpis: pd.DataFrame, amber_tolerance: float = 0.05) -> pd.DataFrame:
    """Per provider and KPI: the latest month's actual, target and status, months reported and months in
    breach (not green), and the number of red months."""
    k = status(kpis, amber_tolerance)
    last = k.sort_values("month").groupby(["provider", "kpi"]).tail(1).set_index(["provider", "kpi"])
    agg = k.groupby(["provider", "kpi"]).agg(
        months=("month", "size"),
        months_in_breach=("status", lambda s: int((s != "green").sum())),
        red_months=("status", lambda s: int((s == "red").sum())),
    )
    out = agg.join(last[["month", "actual", "target", "direction", "unit", "status"]])
    out = out.rename(columns={"month": "latest_month", "status": "latest_status"})
    return out.reset_index()[
        [
            "provider",
            "kpi",
            "latest_month",
            "actual",
            "target",
            "direction",
            "unit",
            "latest_status",
            "months",
            "months_in_breach",
            "red_months",
        ]
    ]


def service_credits(kpis: pd.DataFrame, rule: ServiceCredits) -> pd.DataFrame:
    """Credits earned per provider and month under ``rule``: points below target summed over the KPIs the rule
    covers, times the credit per point, capped, times the month's fee."""
    k = status(kpis)
    k = k[k["kpi"].isin([_kpi_name(x) for x in rule.kpis])]
    per_month = k.groupby(["provider", "month"])["gap"].sum().rename("points_below_target").reset_index()
    per_month["credit_share"] = (per_month["points_below_target"] * rule.credit_per_point).clip(upper=rule.cap)
    per_month["monthly_fee"] = per_month["provider"].map(rule.fee)
    per_month["credit"] = per_month["credit_share"] * per_month["monthly_fee"]
    return per_month


def realised_savings(kpis: pd.DataFrame, expected_yearly: np.ndarray, kpi: str = "cost_savings") -> pd.DataFrame:
    """Cumulative realised savings (the ``cost_savings`` KPI's actuals, all providers) month by month against
    the business case's expectation: the plan's net savings of each contract year spread evenly over its
    months, from the first month reported."""
    k = kpis[kpis["kpi"] == kpi]
    if k.empty:
        return pd.DataFrame(columns=["month", "realised", "expected", "cumulative_realised", "cumulative_expected"])
    monthly = k.groupby("month")["actual"].sum().sort_index()
    idx = np.arange(len(monthly))
    year = np.minimum(idx // 12, len(expected_yearly) - 1)
    expected = np.asarray(expected_yearly, dtype=float)[year] / 12
    out = pd.DataFrame({"month": monthly.index, "realised": monthly.to_numpy(), "expected": expected})
    out["cumulative_realised"] = out["realised"].cumsum()
    out["cumulative_expected"] = out["expected"].cumsum()
    return out


def sla_credits(
    kpis: pd.DataFrame,
    allocation: dict[str, float],
    monthly_fee: float | dict[str, float],
    at_risk_share: float,
    earn_back_months: int = 0,
) -> pd.DataFrame:
    """Service credits under a pool regime (the governance plan's): each month a provider misses a critical
    service level (a KPI in ``allocation``, target not met), the client earns that KPI's ``allocation`` of the
    at-risk amount (``at_risk_share`` of the month's fee); a month's credits are capped at the at-risk amount,
    shared in proportion when the cap bites. A credit is earned back (returned to the provider) when the
    provider meets that KPI in each of the next ``earn_back_months`` months reported; until those months are
    reported it stays with the client. One row per provider, month and critical KPI missed, with ``credit``,
    ``earned_back`` and ``net_credit``."""
    cols = ["provider", "month", "kpi", "allocation", "at_risk_amount", "credit", "earned_back", "net_credit"]
    names = {_kpi_name(k): float(v) for k, v in allocation.items() if v > 0}
    k = status(kpis)
    k = k[k["kpi"].isin(names)].sort_values(["provider", "kpi", "month"], ignore_index=True)
    if k.empty:
        return pd.DataFrame(columns=cols)

    def fee(provider: str) -> float:
        return float(monthly_fee.get(provider, 0.0)) if isinstance(monthly_fee, dict) else float(monthly_fee)

    k["allocation"] = k["kpi"].map(names)
    k["at_risk_amount"] = k["provider"].map(fee) * at_risk_share
    # earned back when the next n reports of the same provider and KPI all meet the target
    met_next = pd.Series(earn_back_months > 0, index=k.index)
    for step in range(1, earn_back_months + 1):
        later = k.groupby(["provider", "kpi"])["met"].shift(-step)
        met_next &= later.eq(True)
    k["_earn_back"] = met_next
    missed = k[~k["met"]].copy()
    missed["credit"] = missed["at_risk_amount"] * missed["allocation"]
    month_total = missed.groupby(["provider", "month"])["credit"].transform("sum")
    cap = (missed["at_risk_amount"] / month_total.where(month_total > 0)).clip(upper=1).fillna(0)
    missed["credit"] = missed["credit"] * cap
    missed["earned_back"] = missed["credit"].where(missed["_earn_back"], 0.0)
    missed["net_credit"] = missed["credit"] - missed["earned_back"]
    return missed.sort_values(["provider", "month", "kpi"], ignore_index=True)[cols]
