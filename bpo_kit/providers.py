"""Choosing the provider: the seeds' selection criteria, must-have gates, a weighted ranking, and how robust
the ranking is to the weights.

``vendors.csv`` (named under ``vendors`` in client.yaml) has one row per provider: its name, delivery locations,
a 1-5 score for each criterion, its price (per FTE per year, or a total per year) and currency, certifications
and languages. Cost-effectiveness is not scored by hand: it is computed from the price, so the cheapest bid
scores 5 and the dearest 1.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pycountry
from pydantic import BaseModel, ConfigDict, Field, field_validator

from . import fx
from .settings import check_weights
from .tables import Column, Problem, check_columns, read_rows, refuse, sort_problems, to_problems

#: the seeds' selection criteria, with what each means for a score of 5
CRITERIA = {
    "business_objectives": "able to meet the client's business objectives",
    "agility": "adapts quickly to change",
    "flexibility": "adjusts to the client's needs, the market and new technology",
    "innovation": "uses innovative techniques and technologies (AI, ML, RPA)",
    "differentiation": "stands out with unique services or capabilities",
    "capabilities": "wide range of services and capabilities",
    "cost_effectiveness": "high quality at a reasonable price (computed from the price)",
    "expertise": "a team with deep knowledge and experience",
}
SCORED = [c for c in CRITERIA if c != "cost_effectiveness"]
#: the kit's default weights: the client's objectives and the price weigh most
DEFAULT_WEIGHTS = {
    "business_objectives": 0.20,
    "agility": 0.08,
    "flexibility": 0.08,
    "innovation": 0.07,
    "differentiation": 0.07,
    "capabilities": 0.15,
    "cost_effectiveness": 0.20,
    "expertise": 0.15,
}
PRICE_BASES = {
    "per_fte_year": "per_fte_year",
    "per_fte": "per_fte_year",
    "fte": "per_fte_year",
    "total_per_year": "total_per_year",
    "total": "total_per_year",
    "annual_total": "total_per_year",
}

COLUMNS = (
    Column("provider", "id", "Provider name"),
    Column("delivery_locations", "text", "Countries it delivers from", expects="ISO country codes such as 'PH; IN'"),
    *(Column(c, "score", m) for c, m in CRITERIA.items() if c != "cost_effectiveness"),
    Column("price", "number", "Price per FTE per year, or the total per year"),
    Column("price_basis", "text", "What the price is", expects="per_fte_year or total_per_year"),
    Column("currency", "currency", "Currency of the price"),
    Column("certifications", "text", "Certifications held", False, "", expects="e.g. 'ISO 27001; SOC 2'"),
    Column("languages", "languages", "Languages it delivers in", False, None),
)


class Gates(BaseModel):
    """Must-haves that disqualify a provider, whatever its score."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    iso27001_sensitivity: int = Field(
        default=4, ge=1, le=6, description="data sensitivity of a process in scope from which ISO 27001 is required"
    )
    languages_required: bool = Field(
        default=True, description="every language the processes to be moved need must be offered"
    )


class ProviderSettings(BaseModel):
    """How providers are ranked: the criteria's weights (``provider_weights`` in client.yaml) and the gates."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    weights: dict[str, float] = Field(
        default_factory=lambda: dict(DEFAULT_WEIGHTS), description="weight of {} in the provider ranking"
    )
    gates: Gates = Field(default_factory=Gates, description="must-haves that disqualify a provider")

    @field_validator("weights", mode="before")
    @classmethod
    def _weights(cls, v: Any) -> Any:
        if v is None or not isinstance(v, Mapping):
            return dict(DEFAULT_WEIGHTS) if v is None else v
        return check_weights({str(k): w for k, w in v.items()}, DEFAULT_WEIGHTS, "criterion name")


DEFAULT_GATES = Gates()


def validate_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """Criterion weights, the kit's defaults overridden by the client's; raises ``ValueError`` if unusable."""
    return check_weights(weights, DEFAULT_WEIGHTS, "criterion name")


def load_vendors(path: Path, *, name: str | None = None) -> pd.DataFrame:
    """The providers' table, checked. Every problem is listed (file, row, column) and raised together."""
    name = name or path.name
    raw, facts = read_rows(path, COLUMNS, item="provider", name=name)
    header_row = facts.header_row
    problems: list[Problem] = []
    for col in raw.columns:
        if col == "row" or col in {c.name for c in COLUMNS}:
            continue
        close = difflib.get_close_matches(col, list(CRITERIA), n=1, cutoff=0.75)
        if close or col.startswith("score_"):
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(
                Problem(
                    name,
                    header_row,
                    col,
                    f"unknown criterion{hint}",
                    f"criteria named {', '.join(SCORED)} (cost_effectiveness is computed from the price)",
                )
            )
    out, found, _ = check_columns(raw, COLUMNS, "provider", decimal_comma=facts.decimal_comma, file=name)
    problems += to_problems(name, found)
    for r in out.itertuples():
        basis = PRICE_BASES.get(re.sub(r"[^a-z]+", "_", str(r.price_basis or "").lower()).strip("_"))
        if r.price_basis and basis is None:
            problems.append(
                Problem(
                    name,
                    r.row,
                    "price_basis",
                    f"{r.price_basis!r} is not a price basis",
                    "per_fte_year or total_per_year",
                )
            )
        codes = [c.strip().upper() for c in re.split(r"[;,/]+", str(r.delivery_locations or "")) if c.strip()]
        bad = [c for c in codes if len(c) != 2 or pycountry.countries.get(alpha_2=c) is None]
        if bad:
            problems.append(
                Problem(
                    name,
                    r.row,
                    "delivery_locations",
                    f"{', '.join(bad)} not ISO 3166 alpha-2",
                    "codes such as 'PH; IN'",
                )
            )
    if problems:
        raise refuse(sort_problems(problems, [c.name for c in COLUMNS]))
    out["price_basis"] = out["price_basis"].map(
        lambda v: PRICE_BASES[re.sub(r"[^a-z]+", "_", str(v).lower()).strip("_")]
    )
    out["delivery_locations"] = out["delivery_locations"].map(
        lambda v: ";".join(c.strip().upper() for c in re.split(r"[;,/]+", v) if c.strip())
    )
    out["languages"] = out["languages"].fillna("")
    extra = [c for c in raw.columns if c not in out.columns]
    for c in extra:
        out[c if c != "cost_effectiveness" else "input_cost_effectiveness"] = raw[c]
    for c in SCORED:
        out[c] = out[c].astype(int)
    result = out.reset_index(drop=True)
    result.attrs["notes"] = list(facts.notes)  # how the file was read, e.g. not UTF-8
    return result


@dataclass(frozen=True)
class Scope:
    """What the providers bid for: the processes to be moved."""

    fte: float
    languages: tuple[str, ...]
    max_sensitivity: int
    locations: tuple[str, ...]


def scope_of(processes: pd.DataFrame, plan: pd.DataFrame) -> Scope:
    moved = processes[processes["process_id"].isin(plan["process_id"])]
    langs = sorted({lang for v in moved["languages"] for lang in str(v).split(";") if lang})
    locs = tuple(sorted(plan["recommended_location"].dropna().unique()))
    return Scope(
        fte=float(moved["fte"].sum()),
        languages=tuple(langs),
        max_sensitivity=int(moved["data_sensitivity"].max()) if len(moved) else 0,
        locations=locs,
    )


def evaluate(
    vendors: pd.DataFrame, scope: Scope, weights: dict[str, float], client_currency: str, gates: Gates = DEFAULT_GATES
) -> pd.DataFrame:
    """Each provider with its annual price for the scope (client currency), its cost-effectiveness score, the
    gates it fails (``disqualified_because``), its weighted score (1-5) and its rank among the qualified.

    Cost-effectiveness: 5 for the cheapest qualified-or-not bid, 1 for the dearest, linear in between (all 5
    when every bid costs the same)."""
    v = vendors.copy()
    rate = v["currency"].map(lambda c: fx.rate(c, client_currency))
    v["annual_price"] = np.where(v["price_basis"].eq("per_fte_year"), v["price"] * scope.fte, v["price"]) * rate
    lo, hi = v["annual_price"].min(), v["annual_price"].max()
    v["cost_effectiveness"] = 5.0 if hi == lo else (1 + 4 * (hi - v["annual_price"]) / (hi - lo)).round(2)
    reasons = []
    for r in v.itertuples():
        why = []
        certs = re.sub(r"[^a-z0-9]", "", str(r.certifications).lower())
        if scope.max_sensitivity >= gates.iso27001_sensitivity and "iso27001" not in certs:
            why.append(f"no ISO 27001 while processes with data sensitivity {scope.max_sensitivity} are in scope")
        if gates.languages_required:
            missing = sorted(set(scope.languages) - set(str(r.languages).split(";")) - {""})
            if missing:
                why.append(f"does not deliver in {', '.join(missing)}")
        reasons.append("; ".join(why))
    v["disqualified_because"] = reasons
    v["qualified"] = v["disqualified_because"].eq("")
    total = sum(weights.values())
    v["weighted_score"] = sum(v[c] * w for c, w in weights.items()) / total
    v["covers_plan_locations"] = v["delivery_locations"].map(
        lambda locs: ", ".join(sorted(set(scope.locations) & set(locs.split(";"))))
    )
    ranked = v[v["qualified"]].sort_values(["weighted_score", "provider"], ascending=[False, True])
    v["rank"] = v["provider"].map({p: i + 1 for i, p in enumerate(ranked["provider"])})
    return v.sort_values(["rank", "provider"], na_position="last").reset_index(drop=True)


def contributions(evaluated: pd.DataFrame, weights: dict[str, float]) -> pd.DataFrame:
    """Tidy table: each qualified provider's weighted score split by criterion (they add up to the score)."""
    total = sum(weights.values())
    q = evaluated[evaluated["qualified"]]
    rows = [
        {"provider": r["provider"], "criterion": c, "contribution": r[c] * w / total}
        for _, r in q.iterrows()
        for c, w in weights.items()
    ]
    return pd.DataFrame(rows, columns=["provider", "criterion", "contribution"])


def win_shares(
    evaluated: pd.DataFrame, weights: dict[str, float], draws: int = 2000, seed: int = 42, concentration: float = 50.0
) -> pd.DataFrame:
    """Rank robustness: the share of random weightings in which each qualified provider comes first.

    Weights are drawn from a Dirichlet distribution centred on the chosen weights (``concentration`` sets how
    far they stray: higher is tighter); criteria weighted 0 stay at 0. Seeded, so the same inputs give the
    same shares. Shares sum to 1."""
    q = evaluated[evaluated["qualified"]].reset_index(drop=True)
    if q.empty:
        return pd.DataFrame(columns=["provider", "win_share"])
    active = [c for c, w in weights.items() if w > 0]
    w = np.array([weights[c] for c in active], dtype=float)
    rng = np.random.default_rng(seed)
    sample = rng.dirichlet(concentration * w / w.sum(), size=draws)
    scores = q[active].to_numpy(dtype=float) @ sample.T
    winners = np.argmax(scores, axis=0)  # ties go to the better-ranked provider (rows are in rank order)
    shares = np.bincount(winners, minlength=len(q)) / draws
    return pd.DataFrame({"provider": q["provider"], "win_share": shares})
