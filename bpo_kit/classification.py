"""Which processes to outsource: BPO type, scores, a recommendation with its rationale, and how robust it is.

The rules follow the seeds (keep core competencies, outsource non-core work; back office, front office and
knowledge processes; automate before you outsource) and Aron & Singh, "Getting Offshoring Right" (HBR 2005):
rank processes as core, critical or commodity, then judge *operational risk* (how codifiable the work is and how
measurable its quality) and *structural risk* (how much the relationship could be exploited), and pick the
organisational form from the two risks. Weights and thresholds are the kit's documented defaults, not published
figures; a client may override every one of them in ``client.yaml`` under ``classification``.

Every function is a vectorised pandas operation over the whole inventory.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator

from .settings import check_weights, parameter_table, tunable

RECOMMENDATIONS = ("retain", "automate", "hybrid", "outsource")
BPO_TYPES = ("back_office", "front_office", "kpo")
#: the judgement behind each outsourceability factor, and whether a high score makes outsourcing harder
OUTSOURCEABILITY_FACTORS = {
    "strategic_importance": True,
    "standardization": False,
    "measurability": False,
    "data_sensitivity": True,
    "interdependence": True,
}


_DEFAULT_WEIGHTS = {
    "strategic_importance": 0.30,
    "standardization": 0.20,
    "measurability": 0.20,
    "data_sensitivity": 0.15,
    "interdependence": 0.15,
}


def _threshold(default: float, description: str, lo: float, hi: float, sensitivity: bool = True) -> Any:
    return Field(default=default, ge=lo, le=hi, description=description, json_schema_extra={"sensitivity": sensitivity})


class Rules(BaseModel):
    """Weights and thresholds of the classification: ``classification:`` in client.yaml, where any of them may
    be overridden. Defaults are the kit's (no published figure), documented in the report from the field
    descriptions below."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    weights: dict[str, float] = Field(
        default_factory=lambda: dict(_DEFAULT_WEIGHTS),
        description="weight of {} in outsourceability",
        json_schema_extra={"sensitivity": True},
    )
    kpo_knowledge_threshold: float = _threshold(
        4, "knowledge intensity from which a back-office process is knowledge work (KPO)", 1, 5
    )
    retain_threshold: float = _threshold(4, "strategic importance from which a process is core and retained", 1, 5)
    critical_threshold: float = _threshold(
        3, "strategic importance from which a non-core process is critical, not commodity", 1, 5
    )
    automate_standardization: float = _threshold(
        4, "standardization from which a process is rule-based enough to automate", 1, 5
    )
    automate_potential: float = _threshold(
        0.6, "automation potential from which a rule-based process is automated first", 0, 1
    )
    high_risk: float = _threshold(
        60, "operational or structural risk (0-100) from which the client keeps control (hybrid)", 0, 100
    )
    low_risk: float = _threshold(35, "risk (0-100) below which a risk counts as low for the Aron & Singh form", 0, 100)
    outsource_min_score: float = _threshold(50, "outsourceability (0-100) needed to outsource outright", 0, 100)
    borderline_margin: float = _threshold(
        5, "points from a threshold within which a call is flagged as borderline", 0, 50, sensitivity=False
    )

    KPO_FUNCTIONS: ClassVar[tuple[str, ...]] = ("legal", "research_analytics")

    @field_validator("weights", mode="before")
    @classmethod
    def _weights(cls, v: Any) -> Any:
        # a client names only the weights it changes; the others keep the kit's
        if v is None:
            return dict(_DEFAULT_WEIGHTS)
        if not isinstance(v, Mapping):
            return v
        return check_weights({str(k): w for k, w in v.items()}, _DEFAULT_WEIGHTS, "factor")

    def with_value(self, name: str, value: float) -> Rules:
        """These rules with one threshold, or one weight (``weights.<factor>``), set to ``value``."""
        if name.startswith("weights."):
            weights = dict(self.weights)
            weights[name.split(".", 1)[1]] = value
            return self.model_copy(update={"weights": weights})
        return self.model_copy(update={name: value})

    def rules(self) -> Rules:
        """These rules (``classification:`` in client.yaml is a :class:`Rules` itself)."""
        return self

    def parameters(self) -> pd.DataFrame:
        """Every weight and threshold with its value and meaning, for the report's assumptions table."""
        return parameter_table(self)[["parameter", "value", "meaning"]]

    def tested(self) -> list[str]:
        """The parameters :func:`sensitivity` moves: every weight, then every threshold that decides a call."""
        return [f"weights.{k}" for k in self.weights] + [n for n in tunable(Rules) if n != "weights"]


#: ``classification:`` in client.yaml (the earlier name of :class:`Rules` there)
ClassificationSettings = Rules
#: the kit's own rules
DEFAULT_RULES = Rules()


def _unit(score: pd.Series, inverted: bool = False) -> pd.Series:
    """A 1-5 judgement on 0-1, high meaning 'easy to outsource' when ``inverted``."""
    x = (score.astype(float) - 1.0) / 4.0
    return 1.0 - x if inverted else x


def bpo_type(processes: pd.DataFrame, rules: Rules = DEFAULT_RULES) -> pd.Series:
    """``front_office`` for customer-facing work; ``kpo`` for knowledge work (knowledge intensity at or above
    the threshold, or the functions legal and research & analytics); else ``back_office``."""
    kpo = (processes["knowledge_intensity"] >= rules.kpo_knowledge_threshold) | processes["function"].isin(
        Rules.KPO_FUNCTIONS
    )
    out = np.select([processes["customer_facing"].astype(bool), kpo], ["front_office", "kpo"], "back_office")
    return pd.Series(out, index=processes.index, name="bpo_type")


def scores(processes: pd.DataFrame, rules: Rules = DEFAULT_RULES) -> pd.DataFrame:
    """The four 0-100 scores.

    * ``outsourceability``: weighted mean of strategic importance (inverted), standardization, measurability,
      data sensitivity (inverted) and interdependence (inverted);
    * ``operational_risk``: Aron & Singh's risk that the process runs worse once moved: the mean of low
      standardization (codifiability) and low measurability;
    * ``structural_risk``: the risk that the relationship is exploited: mean of data sensitivity,
      interdependence and strategic importance;
    * ``readiness`` to transition: 60% standardization (documented work transfers), 40% measurability
      (SLAs can be written).
    """
    total = float(sum(rules.weights.values()))
    outs = sum(w * _unit(processes[k], OUTSOURCEABILITY_FACTORS[k]) for k, w in rules.weights.items()) / total
    op = (_unit(processes["standardization"], True) + _unit(processes["measurability"], True)) / 2
    st = (
        _unit(processes["data_sensitivity"])
        + _unit(processes["interdependence"])
        + _unit(processes["strategic_importance"])
    ) / 3
    ready = 0.6 * _unit(processes["standardization"]) + 0.4 * _unit(processes["measurability"])
    return pd.DataFrame(
        {
            "outsourceability": 100 * outs,
            "operational_risk": 100 * op,
            "structural_risk": 100 * st,
            "readiness": 100 * ready,
        },
        index=processes.index,
    ).round(1)


def _level(risk: pd.Series, rules: Rules) -> np.ndarray:
    return np.select([risk >= rules.high_risk, risk < rules.low_risk], ["high", "low"], "moderate")


def aron_singh_form(operational_risk: pd.Series, structural_risk: pd.Series, rules: Rules = DEFAULT_RULES) -> pd.Series:
    """The organisational form the two risks point to (Aron & Singh 2005, as usually summarised):
    both low: offshore outsourcing; both high: keep in-house; high structural only: captive centre;
    high operational only: onshore or nearshore provider; anything moderate: extended organisation."""
    op, st = _level(operational_risk, rules), _level(structural_risk, rules)
    out = np.select(
        [(op == "low") & (st == "low"), (op == "high") & (st == "high"), st == "high", op == "high"],
        ["offshore outsourcing", "keep in-house", "captive centre", "onshore or nearshore provider"],
        "extended organisation",
    )
    return pd.Series(out, index=operational_risk.index, name="aron_singh_form")


def _fmt(x: pd.Series, digits: int = 0) -> pd.Series:
    return x.map(lambda v: f"{v:.{digits}f}")


def classify(processes: pd.DataFrame, rules: Rules = DEFAULT_RULES) -> pd.DataFrame:
    """The inventory with ``bpo_type``, ``process_category``, the four scores, ``recommendation``,
    ``rationale`` and ``aron_singh_form`` added. Every input column is kept, in its place."""
    p = processes
    out = p.copy()
    out["bpo_type"] = bpo_type(p, rules)
    si = p["strategic_importance"]
    out["process_category"] = np.select(
        [si >= rules.retain_threshold, si >= rules.critical_threshold], ["core", "critical"], "commodity"
    )
    sc = scores(p, rules)
    out[sc.columns] = sc
    core = si >= rules.retain_threshold
    automate = (p["standardization"] >= rules.automate_standardization) & (
        p["automation_potential"] >= rules.automate_potential
    )
    op_high = sc["operational_risk"] >= rules.high_risk
    st_high = sc["structural_risk"] >= rules.high_risk
    low_score = sc["outsourceability"] < rules.outsource_min_score
    out["recommendation"] = np.select(
        [core, automate, op_high | st_high | low_score], ["retain", "automate", "hybrid"], "outsource"
    )
    risk_text = np.where(
        op_high & st_high,
        "high operational and structural risk ("
        + _fmt(sc["operational_risk"])
        + " and "
        + _fmt(sc["structural_risk"])
        + " of 100)",
        np.where(
            op_high,
            "high operational risk (" + _fmt(sc["operational_risk"]) + " of 100: hard to specify or measure)",
            "high structural risk (" + _fmt(sc["structural_risk"]) + " of 100: sensitive, coupled or important work)",
        ),
    )
    out["rationale"] = np.select(
        [core, automate, op_high | st_high, low_score],
        [
            "core competency: strategic importance " + si.astype(str) + " of 5; keep in-house",
            "rule-based (standardization "
            + p["standardization"].astype(str)
            + " of 5) with "
            + (100 * p["automation_potential"]).round().astype(int).astype(str)
            + "% automation potential: automate first; outsource the remainder later",
            pd.Series(risk_text, index=p.index)
            + ": move only under client control (extended organisation, captive centre or pilot)",
            "outsourceability only " + _fmt(sc["outsourceability"]) + " of 100: pilot with the client in control",
        ],
        "non-core, codifiable and measurable (outsourceability " + _fmt(sc["outsourceability"]) + " of 100): outsource",
    )
    out["aron_singh_form"] = aron_singh_form(sc["operational_risk"], sc["structural_risk"], rules)
    return out


# --- roll-ups ------------------------------------------------------------------------------------------


def addressable_spend(classified: pd.DataFrame, by: str | list[str] = "recommendation") -> pd.DataFrame:
    """Processes, FTE and annual cost per ``by`` (recommendation, bpo_type, function...), with cost shares."""
    keys = [by] if isinstance(by, str) else list(by)
    out = (
        classified.groupby(keys, observed=True)
        .agg(processes=("process_id", "size"), fte=("fte", "sum"), annual_cost=("annual_cost", "sum"))
        .reset_index()
    )
    total = classified["annual_cost"].sum()
    out["cost_share"] = out["annual_cost"] / total if total else 0.0
    if keys == ["recommendation"]:
        out["_o"] = out["recommendation"].map({r: i for i, r in enumerate(RECOMMENDATIONS)})
        return out.sort_values("_o").drop(columns="_o").reset_index(drop=True)
    return out.sort_values(keys).reset_index(drop=True)


# --- robustness ----------------------------------------------------------------------------------------


def sensitivity(processes: pd.DataFrame, rules: Rules = DEFAULT_RULES, change: float = 0.25) -> pd.DataFrame:
    """How many recommendations change when each weight and threshold moves by -/+``change`` (one at a time).

    One row per parameter: its value, the low and high values tried, how many processes change at each, and
    which ones.
    """
    base = classify(processes, rules)["recommendation"]
    ids = processes["process_id"]
    rows = []
    names = rules.tested()
    for name in names:
        value = rules.weights[name.split(".", 1)[1]] if name.startswith("weights.") else getattr(rules, name)
        row = {"parameter": name, "value": float(value)}
        changed_ids: list[str] = []
        for side, factor in (("low", 1 - change), ("high", 1 + change)):
            moved = rules.with_value(name, value * factor)
            if name.startswith("weights.") and not any(w > 0 for w in moved.weights.values()):
                continue
            rec = classify(processes, moved)["recommendation"]
            diff = rec != base
            row[f"{side}_value"] = round(float(value * factor), 3)
            row[f"changed_at_{side}"] = int(diff.sum())
            changed_ids += [i for i in ids[diff] if i not in changed_ids]
        row["processes_changed"] = ", ".join(changed_ids)
        rows.append(row)
    cols = ["parameter", "value", "low_value", "changed_at_low", "high_value", "changed_at_high", "processes_changed"]
    return pd.DataFrame(rows)[cols]


def borderline(classified: pd.DataFrame, rules: Rules = DEFAULT_RULES) -> pd.DataFrame:
    """Processes whose score sits within ``rules.borderline_margin`` points of a threshold that decides
    their recommendation (outsourceability vs the outsourcing minimum; either risk vs the high-risk mark;
    automation potential, in percentage points, vs the automation threshold)."""
    c = classified
    checks = [
        ("outsourceability", "outsource_min_score", c["outsourceability"], rules.outsource_min_score),
        ("operational_risk", "high_risk", c["operational_risk"], rules.high_risk),
        ("structural_risk", "high_risk", c["structural_risk"], rules.high_risk),
        (
            "automation_potential (%)",
            "automate_potential",
            100 * c["automation_potential"],
            100 * rules.automate_potential,
        ),
    ]
    relevant = c["recommendation"] != "retain"
    parts = []
    for score, threshold, value, limit in checks:
        near = relevant & ((value - limit).abs() <= rules.borderline_margin)
        if score.startswith("automation"):
            near &= c["standardization"] >= rules.automate_standardization
        if near.any():
            parts.append(
                pd.DataFrame(
                    {
                        "process_id": c.loc[near, "process_id"],
                        "process_name": c.loc[near, "process_name"],
                        "recommendation": c.loc[near, "recommendation"],
                        "score": score,
                        "value": value[near].round(1),
                        "threshold": threshold,
                        "threshold_value": limit,
                        "distance": (value[near] - limit).round(1),
                    }
                )
            )
    if not parts:
        return pd.DataFrame(
            columns=[
                "process_id",
                "process_name",
                "recommendation",
                "score",
                "value",
                "threshold",
                "threshold_value",
                "distance",
            ]
        )
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values(["process_id", "score"], ignore_index=True)
