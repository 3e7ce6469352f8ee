"""Worked answers: risks in proportion to the share of the client moved, the conditions they put on the plan,
the cost of an exit, and the service-level pool."""

import pandas as pd
import pytest

from bpo_kit import kpis as K
from bpo_kit import risks as R

VALUES = {"transition_months": 6, "contract_years": 5}
#: governance weakness (1 - WGI percentile rank / 100) used by the worked answers, as in location_pillars.csv 2023
WEAKNESS = {
    "wgi_rule_of_law": pd.Series({"IN": 1 - 0.561, "PH": 1 - 0.373}),
    "wgi_political_stability": pd.Series({"IN": 1 - 0.213, "PH": 1 - 0.237}),
}


@pytest.fixture
def pillars(monkeypatch):
    monkeypatch.setattr(R, "location_weakness", lambda metric: WEAKNESS[metric])


def client(moved_fte, stay_fte, *, country, tier, sensitivity=5, front=True, coverage="24x7", cost_per_fte=75_000):
    """A client with one process to move and one to keep; everything about the moved one is risky."""
    processes = pd.DataFrame(
        {
            "process_id": ["MOVE", "STAY"],
            "fte": [moved_fte, stay_fte],
            "annual_cost": [moved_fte * cost_per_fte, stay_fte * cost_per_fte],
            "data_sensitivity": [sensitivity, 2],
            "interdependence": [2, 2],
            "strategic_importance": [3, 3],
            "operational_risk": [40.0, 20.0],
            "bpo_type": ["front_office" if front else "back_office", "back_office"],
            "coverage": [coverage, "business_hours"],
            "customer_facing": [front, False],
        }
    )
    plan = pd.DataFrame({"process_id": ["MOVE", "STAY"], "recommended_location": [country, None], "tier": [tier, None]})
    evaluated = pd.DataFrame(
        {
            "process_id": ["MOVE"],
            "country": [country],
            "english_factor": [0.8],
            "time_zone_factor": [0.6],
            "fte": [moved_fte],
            "provider_cost": [moved_fte * 30_000.0],
            "gross_arbitrage": [moved_fte * 200_000.0],
            "hidden_costs": [moved_fte * 20_000.0],
            "transition": [moved_fte * 10_000.0],
            "net_savings": [moved_fte * 180_000.0],
        }
    )
    return processes, plan, evaluated


def test_a_small_move_never_rates_the_top_of_the_matrix(pillars):
    # 4 of 130 FTE (3% of the cost), customer-facing, 24x7 and sensitivity 5, to India: the worst small move
    reg = R.register(*client(4, 126, country="IN", tier="offshore"), VALUES).set_index("risk")
    # continuity: all moved FTE in one place, political stability at percentile 21.3 -> sqrt(1 x 0.787) = 0.89
    assert reg.at["business_continuity", "likelihood"] == 5
    # impact: all of the moved work is critical, but it is 4/130 = 3.1% of the client, x2 = 6.2%;
    # sqrt(1 x 0.062) = 0.25 -> 2 (up to 25% scores 2)
    assert reg.at["business_continuity", "impact"] == 2
    assert reg.at["business_continuity", "score"] == 10
    assert reg.at["business_continuity", "impact_reason"] == (
        "100% of the moved FTE are customer-facing or 24x7, 3% of the client's FTE"
    )
    assert reg["impact"].max() == 2 and reg["score"].max() == 10
    assert R.conditions(reg.reset_index()).empty


def test_a_large_sensitive_offshore_move_rates_the_top_and_conditions_the_plan(pillars):
    # 80 of 100 FTE, all sensitivity 5, customer-facing and 24x7, to the Philippines
    reg = R.register(*client(80, 20, country="PH", tier="offshore"), VALUES)
    r = reg.set_index("risk")
    # data security: all sensitive work leaves, rule of law at percentile 37.3 -> sqrt(1 x 0.627) = 0.79 -> 5;
    # impact sqrt((5 - 1) / 4 x min(1, 0.8 x 2)) = 1 -> 5
    assert (r.at["data_security", "likelihood"], r.at["data_security", "impact"]) == (5, 5)
    assert r.at["data_security", "likelihood_reason"] == (
        "100% of the moved FTE handle sensitive data outside the home country; rule of law where it goes: "
        "percentile 37 of 100 (World Bank WGI)"
    )
    assert r.at["business_continuity", "score"] == 25
    assert reg.loc[0, "score"] == 25
    cond = R.conditions(reg).set_index("risk")
    assert cond.at["data_security", "condition_type"] == "onshore or captive"
    assert cond.at["data_security", "applies_to"] == "the whole plan"  # the one moved process is all of it
    assert cond.at["business_continuity", "condition"].startswith("Gate: a second delivery site")
    assert (cond["score"] >= 15).all() and set(cond.index) == set(r.index[r["score"] >= 15])


def test_the_same_small_move_without_the_governance_table_uses_the_work_alone(monkeypatch):
    monkeypatch.setattr(R, "location_weakness", lambda metric: pd.Series(dtype=float))
    reg = R.register(*client(4, 126, country="IN", tier="offshore"), VALUES).set_index("risk")
    assert reg.at["data_security", "likelihood"] == 5  # all of the moved work is sensitive and leaves
    assert reg.at["data_security", "likelihood_reason"] == (
        "100% of the moved FTE handle sensitive data outside the home country"
    )
    assert reg["score"].max() == 10


def test_exit_cost_by_hand():
    chosen = pd.DataFrame({"tower": ["Finance", "Finance", "Customer"], "transition": [60_000.0, 40_000.0, 50_000.0]})
    whole = R.exit_cost(chosen)
    # 55% (Gartner 2005) x one re-transition of 150,000
    assert whole["re_transition_cost"].tolist() == [150_000.0]
    assert whole["expected_exit_cost"].iloc[0] == pytest.approx(82_500)
    per = R.exit_cost(chosen, by="tower").set_index("tower")
    assert per.at["Finance", "expected_exit_cost"] == pytest.approx(55_000)
    assert per.at["Customer", "expected_exit_cost"] == pytest.approx(27_500)
    dearer = R.exit_cost(chosen, settings=R.RiskSettings(re_transition_factor=1.5, exit_probability=0.48))
    assert dearer["expected_exit_cost"].iloc[0] == pytest.approx(1.5 * 150_000 * 0.48)


def test_exit_is_a_line_of_the_register(pillars):
    reg = R.register(*client(80, 20, country="PH", tier="offshore"), VALUES).set_index("risk")
    # 55% -> 4; one re-transition 800,000 of net savings 14.4m = 5.6%, x4 = 22%, with full exposure:
    # sqrt(0.22 x 1) = 0.47 -> 3
    assert (reg.at["exit", "likelihood"], reg.at["exit", "impact"]) == (4, 3)
    assert reg.at["exit", "impact_reason"] == (
        "one re-transition would cost 6% of the plan's net savings; 80% of the client's process cost is moved"
    )


def register_with(scores: dict[str, int]) -> pd.DataFrame:
    return pd.DataFrame({"risk": list(scores), "score": list(scores.values())})


def test_pool_allocation_by_hand():
    reg = register_with(
        {
            "quality_control": 20,
            "dependency": 6,
            "communication": 4,
            "business_continuity": 10,
            "data_security": 12,
            "loss_of_control": 3,
            "hidden_costs": 8,
            "exit": 5,
            "public_perception": 2,
        }
    )
    plan = R.governance_plan(reg, None, monthly_fee=100_000).set_index("kpi")
    # critical: sla_adherence, quality, turnaround_time (each watches quality control, 20) and compliance (data
    # security, 12): 20 + 20 + 20 + 12 = 72
    assert plan.loc[plan["critical"]].index.tolist() == ["sla_adherence", "quality", "turnaround_time", "compliance"]
    assert plan.at["sla_adherence", "allocation"] == pytest.approx(20 / 72)
    assert plan.at["compliance", "allocation"] == pytest.approx(12 / 72)
    assert plan["allocation"].sum() == pytest.approx(1.0)
    assert (
        plan.at["cost_savings", "allocation"] == 0
        and plan.at["cost_savings", "earn_back"] == "reported only, no credit"
    )
    # at risk: 12% of 100,000 = 12,000; a missed SLA adherence earns 12,000 x 20/72
    assert plan.at["sla_adherence", "at_risk_amount"] == pytest.approx(12_000)
    assert plan.at["sla_adherence", "credit_if_missed"] == pytest.approx(3_333.33, abs=0.01)
    assert plan.at["compliance", "credit_if_missed"] == pytest.approx(2_000)
    assert plan.at["quality", "earn_back"] == "credit paid back after 3 months at target"


def test_service_levels_per_part_of_the_plan():
    reg = register_with({"quality_control": 20, "data_security": 12})
    chosen = pd.DataFrame({"tower": ["A", "A", "B"], "provider_cost": [600_000.0, 600_000.0, 240_000.0]})
    levels = R.service_levels(reg, chosen, by="tower")
    fees = levels.groupby("tower")["monthly_fee"].first()
    assert fees.to_dict() == {"A": 100_000.0, "B": 20_000.0}
    b = levels[levels["tower"] == "B"].set_index("kpi")
    assert b.at["compliance", "credit_if_missed"] == pytest.approx(20_000 * 0.12 * 12 / 72)


def test_pool_credits_with_cap_and_earn_back_by_hand():
    rows = [("2026-01", "sla", 90.0), ("2026-01", "quality", 90.0)]  # both missed
    rows += [("2026-02", "sla", 90.0), ("2026-02", "quality", 99.0)]  # SLA missed
    rows += [(f"2026-0{m}", kpi, 99.0) for m in (3, 4, 5) for kpi in ("sla", "quality")]  # all met
    k = pd.DataFrame(
        [(m, "P", kpi, a, 95.0, "higher", "%") for m, kpi, a in rows],
        columns=["month", "provider", "kpi", "actual", "target", "direction", "unit"],
    )
    c = K.sla_credits(k, {"sla": 0.5, "quality": 0.8}, 100_000, 0.12, earn_back_months=3).set_index(["month", "kpi"])
    # January: 12,000 x (0.5 + 0.8) = 15,600 > 12,000 at risk: capped, shared 0.5 : 0.8
    assert c.at[("2026-01", "sla"), "credit"] == pytest.approx(12_000 * 0.5 / 1.3)
    assert c.at[("2026-01", "quality"), "credit"] == pytest.approx(12_000 * 0.8 / 1.3)
    # January's SLA credit stays (February missed again); quality was met Feb-Apr: earned back
    assert c.at[("2026-01", "sla"), "earned_back"] == 0
    assert c.at[("2026-01", "quality"), "net_credit"] == 0
    # February: SLA 6,000, met March to May: earned back
    assert c.at[("2026-02", "sla"), "credit"] == pytest.approx(6_000)
    assert c.at[("2026-02", "sla"), "earned_back"] == pytest.approx(6_000)
    assert len(c) == 3
    assert c["net_credit"].sum() == pytest.approx(12_000 * 0.5 / 1.3)


def test_demo_conditions_exit_and_pool_credits(demo):
    reg = demo.risk_register()
    cond = demo.conditions()
    assert cond["risk"].tolist() == reg.loc[reg["score"] >= 15, "risk"].tolist()
    assert cond["condition"].str.len().gt(40).all()
    transition = demo.recommended_pairs()["transition"].sum()
    assert demo.exit_cost()["expected_exit_cost"].iloc[0] == pytest.approx(0.55 * transition)
    plan = demo.governance_plan()
    assert plan.loc[plan["critical"], "allocation"].sum() == pytest.approx(1.0)
    fee = demo.recommended_pairs()["provider_cost"].sum() / 12
    assert plan["at_risk_amount"].iloc[0] == pytest.approx(0.12 * fee)
    pool = demo.sla_credits()
    at_risk = {"Pura Vida Contact": 0.12 * 220_000, "Deccan Process Partners": 0.12 * 310_000}
    month = pool.groupby(["provider", "month"])["credit"].sum().reset_index()
    assert (month["credit"] <= month["provider"].map(at_risk) + 1e-6).all()
    assert (pool["net_credit"] == pool["credit"] - pool["earned_back"]).all()


def test_register_per_tower_rates_each_tower_in_proportion(demo, pillars):
    processes = demo.processes.assign(tower=demo.processes["function"])
    per = R.register_by(processes, demo.plan, demo.evaluated, demo.values(), by="tower")
    whole = R.register(processes, demo.plan, demo.evaluated, demo.values())
    assert set(per["tower"]) == set(
        processes.loc[
            processes["process_id"].isin(demo.plan.dropna(subset=["recommended_location"])["process_id"]), "tower"
        ]
    )
    # no tower is larger than the whole plan, so none rates a higher impact on a share-of-client driver
    worst = per.groupby("risk")["impact"].max()
    assert worst["dependency"] <= whole.set_index("risk").at["dependency", "impact"]


def test_exit_sensitivity_by_hand():
    chosen = pd.DataFrame({"transition": [100_000.0, 50_000.0]})
    s = R.exit_sensitivity(chosen).set_index("case")
    # 48% (Deloitte), 55% (Gartner), 60% (IDC) and certain, of one re-transition of 150,000
    assert s["exit_cost"].to_dict() == pytest.approx(
        {"low": 72_000, "base": 82_500, "high": 90_000, "certain": 150_000}
    )


def test_client_yaml_sets_the_risk_terms():
    import yaml

    from bpo_kit.client import ClientConfig
    from bpo_kit.config import DATA_DIR

    d = yaml.safe_load((DATA_DIR / "clients" / "demo" / "client.yaml").read_text())
    d["risks"] = {"exit_probability": 0.6, "at_risk_share": 0.15, "condition_score": 20}
    s = ClientConfig.model_validate(d).risk_settings
    assert (s.exit_probability, s.at_risk_share, s.condition_score, s.earn_back_months) == (0.6, 0.15, 20, 3)


def test_a_long_list_of_processes_is_cut_to_ten_and_a_count():
    m = pd.DataFrame({"process_id": [f"P{i:02d}" for i in range(13)], "fte": [1.0] * 12 + [4.5]})
    mask = pd.Series([True] * 13)
    mask[0] = False
    assert R._ids(m, mask) == "P01, P02, P03, P04, P05, P06, P07, P08, P09, P10 and 2 more (5.5 FTE)"
    assert R._ids(m, pd.Series([True] * 13)) == ""
