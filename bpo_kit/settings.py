"""What every settings model shares: the check of a set of weights, and the table of parameters a report shows.

Each domain module owns the pydantic model of its settings (``classification.Rules``,
``providers.ProviderSettings``, ``risks.RiskSettings``, ``kpis.KpiSettings``); the field descriptions and
defaults written there are the only place a parameter is documented: the report's parameter tables and the
sensitivity lists are generated from them.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from pydantic import BaseModel


def check_weights(weights: Mapping[str, float] | None, defaults: Mapping[str, float], what: str) -> dict[str, float]:
    """``defaults`` overridden by ``weights``; raises ``ValueError`` naming unknown ``what`` names, negative
    weights, or weights that are all 0."""
    if not weights:
        return dict(defaults)
    unknown = sorted(set(weights) - set(defaults))
    if unknown:
        raise ValueError(f"unknown {what}(s) {', '.join(unknown)}; expected some of {', '.join(defaults)}")
    negative = sorted(k for k, w in weights.items() if w < 0)
    if negative:
        raise ValueError(f"negative weight for {', '.join(negative)}; expected weights >= 0")
    merged = {**defaults, **weights}
    if not any(w > 0 for w in merged.values()):
        raise ValueError("every weight is 0; expected at least one positive weight")
    return merged


def tunable(model: type[BaseModel]) -> list[str]:
    """The numeric parameters of a settings model a sensitivity analysis moves (fields marked
    ``json_schema_extra={"sensitivity": True}``), in the model's order."""
    return [
        name
        for name, f in model.model_fields.items()
        if isinstance(f.json_schema_extra, dict) and f.json_schema_extra.get("sensitivity")
    ]


def parameter_table(settings: BaseModel, weights_field: str | None = "weights") -> pd.DataFrame:
    """Every parameter of ``settings`` with its value, the kit's default and its meaning (the field's
    description), one row per weight for a weights mapping (``weights.<name>``)."""
    model = type(settings)
    defaults = model()
    rows = []
    for name, f in model.model_fields.items():
        value = getattr(settings, name)
        meaning = f.description or name.replace("_", " ")
        if name == weights_field and isinstance(value, Mapping):
            base = getattr(defaults, name)
            for k, w in value.items():
                rows.append(
                    {
                        "parameter": f"{name}.{k}",
                        "value": float(w),
                        "default": float(base.get(k, 0.0)),
                        "meaning": meaning.format(k.replace("_", " ")) if "{}" in meaning else f"{meaning}: {k}",
                    }
                )
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            rows.append(
                {
                    "parameter": name,
                    "value": float(value),
                    "default": float(getattr(defaults, name)),
                    "meaning": meaning,
                }
            )
    return pd.DataFrame(rows, columns=["parameter", "value", "default", "meaning"])
