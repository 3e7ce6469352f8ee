import numpy as np
import pandas as pd
import pytest

from bpo_kit import kpis as K
from bpo_kit import risks as R
from bpo_kit.errors import InputFileError


@pytest.mark.parametrize(
    "driver,score",
    [(0.0, 1), (0.10, 1), (0.11, 2), (0.25, 2), (0.5, 3), (0.75, 4), (0.76, 5), (1.0, 5), (float("nan"), 1)],
)
def test_driver_bands(driver, score):
    assert R.to_scale(driver) == score


def test_register_has_every_seed_risk_with_reasons(demo):
    reg = demo.risk_register()
    assert set(reg["risk"]) == {
        "data_security",
        "communication",
        "loss_of_control",
        "hidden_costs",
        "public_perception",
        "quality_control",
        "dependency",
        "business_continuity",
        "exit",
    }
    assert reg["likelihood"].between(1, 5).all() and reg["impact"].between(1, 5).all()
    assert (reg["score"] == reg["likelihood"] * reg["impact"]).all()
    assert reg["likelihood_reason"].str.len().gt(10).all() and reg["mitigation"].str.len().gt(10).all()
    assert reg["score"].is_monotonic_decreasing


def test_public_perception_follows_the_offshore_share(demo):
    plan = demo.plan.copy()
    moved = plan["recommended_location"].notna()
    plan.loc[moved, "tier"] = "offshore"
    reg = R.register(demo.processes, plan, demo.evaluated, demo.values()).set_index("risk")
    assert reg.at["public_perception", "likelihood"] == 5
    assert reg.at["public_perception", "likelihood_reason"] == "100% of the moved FTE go offshore"
    plan.loc[moved, "tier"] = "onshore"
    reg = R.register(demo.processes, plan, demo.evaluated, demo.values()).set_index("risk")
    assert reg.at["public_perception", "likelihood"] == 1
    assert reg.at["data_security", "likelihood"] == 1


def test_governance_targets_come_from_the_reports_or_a_published_figure_or_are_left_to_agree(demo):
    with_kpis = demo.governance_plan().set_index("kpi")
    assert with_kpis.at["sla_adherence", "target"] == ">= 95 %"
    assert with_kpis.at["turnaround_time", "target"] == "<= 24 hours"
    assert with_kpis.at["sla_adherence", "target_source"] == "agreed, KPI report of 2026-10"
    without = R.governance_plan(demo.risk_register(), None).set_index("kpi")
    assert without.at["sla_adherence", "target"] == "to be agreed in the SLA"
    assert without.at["quality", "target"] == ">= 99.95 %"
    assert without.at["quality", "target_source"].startswith("typical: Service Level Agreement example")
    assert without["at_risk_amount"].isna().all()


def kpi_rows(rows):
    return pd.DataFrame(rows, columns=["month", "provider", "kpi", "actual", "target", "direction", "unit"])


def test_rag_boundaries():
    k = kpi_rows(
        [
            ("2026-01", "P", "sla", 95.0, 95.0, "higher", "%"),  # met exactly: green
            ("2026-02", "P", "sla", 90.25, 95.0, "higher", "%"),  # 95 x 0.95: amber at the boundary
            ("2026-03", "P", "sla", 90.24, 95.0, "higher", "%"),  # just beyond: red
            ("2026-01", "P", "tat", 24.0, 24.0, "lower", "h"),  # green
            ("2026-02", "P", "tat", 25.2, 24.0, "lower", "h"),  # 24 x 1.05: amber
            ("2026-03", "P", "tat", 25.21, 24.0, "lower", "h"),  # red
        ]
    )
    s = K.status(k, 0.05)
    assert s["status"].tolist() == ["green", "amber", "red", "green", "amber", "red"]
    card = K.scorecard(k, 0.05).set_index("kpi")
    assert card.at["sla", "months_in_breach"] == 2 and card.at["sla", "red_months"] == 1
    assert card.at["sla", "latest_status"] == "red"


def test_service_credits_worked_by_hand():
    k = kpi_rows(
        [
            ("2026-01", "P", "sla_adherence", 93.0, 95.0, "higher", "%"),  # 2 points short
            ("2026-01", "P", "quality", 97.5, 98.0, "higher", "%"),  # 0.5 points short
            ("2026-01", "P", "turnaround_time", 40.0, 24.0, "lower", "h"),  # not covered by the rule
            ("2026-02", "P", "sla_adherence", 80.0, 95.0, "higher", "%"),  # 15 points: capped
            ("2026-02", "P", "quality", 99.0, 98.0, "higher", "%"),
        ]
    )
    rule = K.ServiceCredits(monthly_fee=100_000, credit_per_point=0.01, cap=0.10, kpis=["sla_adherence", "quality"])
    c = K.service_credits(k, rule).set_index("month")
    assert c.at["2026-01", "points_below_target"] == pytest.approx(2.5)
    assert c.at["2026-01", "credit"] == pytest.approx(2_500)
    assert c.at["2026-02", "credit"] == pytest.approx(10_000)


def test_kpi_file_problems_are_listed(tmp_path):
    path = tmp_path / "kpis.csv"
    path.write_text(
        "month,provider,kpi,actual,target,direction\n"
        "2026-01,P,sla,95,95,higher\n"
        "2026-13,P,sla,,95,sideways\n"
        "2026-01,P,SLA,94,95,higher\n"
    )
    with pytest.raises(InputFileError) as exc:
        K.load_kpis(path)
    assert exc.value.problems == [
        "kpis.csv, row 3, column month: '2026-13' is not a month; expected a month as YYYY-MM, e.g. 2026-03",
        "kpis.csv, row 3, column actual: is empty; expected a number (the value achieved)",
        "kpis.csv, row 3, column direction: 'sideways' is neither higher nor lower; expected higher or lower "
        "(which is better)",
        "kpis.csv, row 4, column month: a second row for the same month, provider and KPI (first on row 2); "
        "expected one row per month, provider and KPI",
    ]


def test_realised_savings_against_the_plan():
    k = kpi_rows(
        [(f"2026-{m:02d}", "P", "cost_savings", 10.0, 10.0, "higher", "USD") for m in range(1, 13)]
        + [("2027-01", "P", "cost_savings", 10.0, 10.0, "higher", "USD")]
    )
    out = K.realised_savings(k, np.array([120.0, 240.0]))
    assert out["expected"].tolist() == [10.0] * 12 + [20.0]
    assert out["cumulative_realised"].iloc[-1] == 130.0 and out["cumulative_expected"].iloc[-1] == 140.0
