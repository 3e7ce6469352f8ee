"""Worked answers for the business case's cost drivers, its uncertainty and the automation case."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bpo_kit import business_case as bc
from bpo_kit.assessment import assess

BASE = {
    "transition_months": 6.0,
    "parallel_running_share": 0.5,
    "knowledge_transfer_share": 0.10,
    "severance_weeks": 10.0,
    "retention_months": 1.0,
    "productivity_ramp_multiplier": 1.2,
    "ramp_months": 24.0,
    "governance": 0.05,
    "residual_inhouse_work": 0.10,
}


def test_a_process_by_hand():
    # today's cost 520 a year (10 people, 1 per week each), provider 200 a year, no growth, 3 years.
    # transition 6 months: year 1 has 6 active months.
    f = bc.yearly_flows(520.0, 200.0, BASE, 3, fte=10.0)
    # gross: year 1 260 - 100 = 160; then 320 a year
    assert f["gross"].tolist() == pytest.approx([160.0, 320.0, 320.0])
    # parallel running: the last 3 months of the transition at the provider's price: 200 x 3/12
    assert f["parallel_running"].tolist() == pytest.approx([50.0, 0.0, 0.0])
    # transition team: 10% of today's cost for 6 months
    assert f["knowledge_transfer"].tolist() == pytest.approx([26.0, 0.0, 0.0])
    # severance: 90% displaced x 10 weeks x 10 a week = 90; retention: 90% x 1 month of 520 = 39
    assert f["severance"].tolist() == pytest.approx([90.0, 0.0, 0.0])
    assert f["retention"].tolist() == pytest.approx([39.0, 0.0, 0.0])
    # ramp: 20% more provider FTE (40 a year) for 24 months from month 6: 6 months of year 1, 12 of year 2, 6 of 3
    assert f["productivity_ramp"].tolist() == pytest.approx([20.0, 40.0, 20.0])
    # work left in-house: 10% of the cost avoided
    assert f["residual_inhouse_work"].tolist() == pytest.approx([26.0, 52.0, 52.0])
    # governance: 5% of what the provider is paid (contract + ramp)
    assert f["governance"].tolist() == pytest.approx([6.0, 12.0, 11.0])
    net = [160 - 50 - 26 - 90 - 39 - 20 - 26 - 6, 320 - 40 - 52 - 12, 320 - 20 - 52 - 11]
    assert f["net"].tolist() == pytest.approx(net)
    # the baseline of the savings share is today's cost over the whole contract, transition included
    assert f["baseline"].sum() == pytest.approx(3 * 520)


def test_severance_cap_applies_to_the_statutory_weeks_only():
    # 10 people at 100 a week; 5 statutory weeks capped at 60 a week, 5 weeks of notice at full pay
    p = {"transition_months": 0.0, "severance_weeks": 10.0, "severance_capped_weeks": 5.0, "severance_weekly_cap": 60.0}
    f = bc.yearly_flows(52_000.0, 10_000.0, p, 1, fte=10.0)
    assert f["severance"][0] == pytest.approx(5 * 60 * 10 + 5 * 100 * 10)


def test_a_captive_costs_more_and_takes_twice_as_long():
    p = {**BASE, "captive_cost_factor": 1.10, "captive_ramp_factor": 2.0, "captive_setup_per_seat": 5.0}
    third = bc.yearly_flows(520.0, 200.0, p, 3, fte=10.0, captive=False)
    captive = bc.yearly_flows(520.0, 200.0, p, 3, fte=10.0, captive=True)
    assert captive["go_live"] == 12.0 and third["go_live"] == 6.0
    assert captive["captive_setup"].tolist() == pytest.approx([50.0, 0.0, 0.0])
    assert captive["provider"][1] == pytest.approx(220.0)
    assert captive["net"].sum() < third["net"].sum()


@settings(max_examples=60, deadline=None)
@given(st.floats(1e3, 1e7), st.floats(1e2, 1e7), st.integers(1, 10), st.floats(0, 24), st.floats(1.0, 2.0))
def test_savings_are_never_above_gross_arbitrage(inhouse, provider, years, months, ramp):
    p = {**BASE, "transition_months": months, "productivity_ramp_multiplier": ramp, "leakage": 0.05}
    f = bc.yearly_flows(inhouse, provider, p, years, fte=5.0)
    assert (f["net"] <= f["gross"] + 1e-9).all()


@settings(max_examples=60, deadline=None)
@given(st.floats(1e4, 1e7), st.floats(0.1, 0.9), st.floats(0, 23), st.floats(0.5, 12))
def test_a_longer_transition_never_raises_npv(inhouse, ratio, months, extra):
    p = {**BASE, "provider_wage_inflation": 0.05, "inhouse_cost_growth": 0.03}
    short = bc.yearly_flows(inhouse, inhouse * ratio, {**p, "transition_months": months}, 5, fte=10.0)
    long = bc.yearly_flows(inhouse, inhouse * ratio, {**p, "transition_months": months + extra}, 5, fte=10.0)
    assert bc.npv(long["net"], 0.08) <= bc.npv(short["net"], 0.08) + 1e-6


def test_irr_and_mid_year_discounting():
    # -100 at signing, then 60 for two years: 60/(1+r) + 60/(1+r)^2 = 100 -> r = 13.07%
    # the one-time cost is moved to signing and taken out of year 1
    assert bc.irr(np.array([-40.0, 60.0]), one_time=np.array([100.0, 0.0])) == pytest.approx(0.1307, abs=1e-4)
    assert np.isnan(bc.irr(np.array([10.0, 10.0])))
    net = np.array([110.0])
    assert bc.npv(net, 0.10).item() == pytest.approx(100.0)
    assert bc.npv(net, 0.10, mid_year=True).item() == pytest.approx(110 / 1.1**0.5)


def test_automation_case_by_hand(demo):
    v = {**demo.values(), "inhouse_cost_growth": 0.0, "contract_years": 3, "discount_rate": 0.0}
    v.update(
        automation_cost_reduction=0.15,
        automation_failure_rate=0.4,
        automation_payback_months=15,
        automation_build_months=6,
    )
    auto = bc.automation_case(demo.processes, demo.evaluated, v)
    row = auto.iloc[0]
    cost = row["annual_cost"]
    benefit = 0.15 * cost  # if it works
    invest = benefit * 15 / 12
    expected = 0.6 * benefit * (6 + 12 + 12) / 12  # from month 6
    assert row["investment"] == pytest.approx(invest)
    assert row["expected_net_savings"] == pytest.approx(expected - invest)
    assert row["npv"] == pytest.approx(expected - invest)
    # payback: build 6 months + 1.25 years of benefit / 0.6 chance it works = 6 + 25 = month 31
    assert row["payback_month"] == 31
    assert row["remainder_cost"] == pytest.approx(0.85 * cost)


@pytest.fixture(scope="module")
def demo():
    return assess("")


def test_monte_carlo_reproducible_ordered_and_above_the_stress_case(demo):
    one = demo.monte_carlo(plan=True)
    two = demo.monte_carlo(plan=True)
    assert one.equals(two)
    r = one.iloc[0]
    assert r["npv_p10"] <= r["npv_p50"] <= r["npv_p90"]
    assert r["net_p10"] <= r["net_p50"] <= r["net_p90"]
    # P10 of payback is the late month nine draws in ten beat
    assert r["payback_p10"] >= r["payback_p50"] >= r["payback_p90"]
    stress = demo.stress_case()
    assert stress["npv"] < r["npv_p10"]
    assert stress["values"]["transition_months"] == 12


def test_headline_matches_the_schema_and_the_base_case(demo):
    h = demo.headline()
    for key in ("net_savings", "net_savings_pct", "npv", "payback_month"):
        assert set(h[key]) == {"p10", "p50", "p90", "base"}
    b = demo.plan_base()
    assert h["npv"]["base"] == pytest.approx(b["npv"])
    assert h["net_savings"]["base"] <= b["gross"]
    # hidden-cost share: every cost line over the contract value
    assert h["hidden_costs_share_of_contract_value"] == pytest.approx(b["hidden"] / b["contract_value"])
    assert h["benchmark_check"] in ("below", "within", "above")
    lines = demo.reality_check()["lines"]
    if h["benchmark_check"] != "within":
        assert lines[0].startswith("Warning")


def test_severance_by_home_country_and_not_found_stays_visible():
    assert bc.severance_rule("GB")["value"] == 10 and bc.severance_rule("GB")["cap"] == 719
    pl = bc.severance_rule("PL")
    assert not pl["found"] and pl["value"] == 0 and "not found" in pl["source"].lower()


def test_quotes_below_the_minimum_wage_are_flagged():
    import pandas as pd

    rates = pd.DataFrame(
        [
            {
                "row": 2,
                "country": "PL",
                "role_family": "back_office_transactional",
                "price": 22000.0,
                "currency": "EUR",
                "provider": "x",
            },
            {
                "row": 3,
                "country": "RO",
                "role_family": "back_office_transactional",
                "price": 21000.0,
                "currency": "USD",
                "provider": "y",
            },
        ]
    )
    out = bc.wage_floor_check(rates, None, {"labour_share_of_cost": 0.65, "provider_margin": 0.30})
    # 22,000 EUR x 0.455 = 10,010 EUR, under PLN 55,992 a year
    assert out["status"].tolist()[0] == "below the minimum wage"
    assert out["status"].tolist()[1].startswith("not checked")


def test_severance_override_for_a_country_without_a_figure(tmp_path):
    import json

    from conftest import make_client

    folder = make_client(tmp_path / "pl", None, extra_yaml="candidate_locations: [PH, IN]\n")
    text = (folder / "client.yaml").read_text().replace("home_country: US", "home_country: PL")
    (folder / "client.yaml").write_text(text)
    a = assess(folder)
    assert a.values()["severance_weeks"] == 0
    assert any("no redundancy figure for PL" in line for line in a.reality_check()["lines"])
    (folder / "client.yaml").write_text(text + "assumptions: {severance_weeks: 12}\n")
    b = assess(folder)
    assert b.values()["severance_weeks"] == 12
    assert not any("no redundancy figure" in line for line in b.reality_check()["lines"])
    moved = b.recommended_pairs()
    # 12 weeks of each displaced person's own pay: 12/52 of today's annual cost of the moved processes
    assert moved["severance"].sum() == pytest.approx(12 / 52 * moved["annual_cost"].sum(), rel=1e-9)
    json.dumps(b.headline())  # the headline is plain JSON


def test_the_provider_margin_is_the_median_of_listed_providers_operating_margins():
    from bpo_kit.reference import table

    m = table("provider_margins")
    assert m["source"].str.len().gt(0).all() and m["year"].notna().all()
    ops = m[m["basis"] == "operating"]
    # one operating margin per company: Teleperformance 15.0, Genpact 15.0, Concentrix 13.7, WNS 13.3, TTEC 6.4
    assert ops["company"].is_unique and len(ops) == 5
    e = table("provider_economics").set_index("name").loc["provider_margin"]
    assert e["value"] == pytest.approx(ops["margin"].median()) == pytest.approx(0.137)
    # the range runs from the lowest operating margin to the highest measure above one (adjusted, EBITDA)
    assert (e["low"], e["high"]) == (pytest.approx(m["margin"].min()), pytest.approx(m["margin"].max()))
    assert (e["low"], e["high"]) == (pytest.approx(0.064), pytest.approx(0.214))
    # the gross-up from employer cost to price: 1 / 0.65 / (1 - 0.137) = 1.78, where a 30% vendor-blog margin
    # gave 2.20; a Polish back-office FTE costing its employer USD 27,054 is priced USD 48,228, not USD 59,470
    t = table("labour_costs").set_index(["country", "role_family"])
    pl = t.loc[("PL", "back_office_transactional")]
    assert pl["price_mid_usd"] == pytest.approx(pl["cost_mid_usd"] / 0.65 / (1 - 0.137), abs=1)
    assert (pl["cost_mid_usd"], pl["price_mid_usd"]) == (27054, 48228)


def test_the_base_price_is_the_central_value_not_the_midpoint_of_a_lopsided_range():
    # a Polish finance professional: low 55.6k, central 76.8k, high 185.9k (the professional premium of lower-wage
    # countries widens the top): the base case takes 76.8k, not the 120.8k midpoint of low and high
    assert bc.price_at(0.5, 55.6, 76.8, 185.9) == pytest.approx(76.8)
    assert bc.price_at(0.0, 55.6, 76.8, 185.9) == pytest.approx(55.6)
    assert bc.price_at(1.0, 55.6, 76.8, 185.9) == pytest.approx(185.9)
    # a quarter of the way: halfway from low to central; three quarters: halfway from central to high
    assert bc.price_at(0.25, 55.6, 76.8, 185.9) == pytest.approx((55.6 + 76.8) / 2)
    assert bc.price_at(0.75, 55.6, 76.8, 185.9) == pytest.approx((76.8 + 185.9) / 2)
    # it draws element-wise, as the Monte Carlo does
    assert bc.price_at(np.array([0.0, 0.5, 1.0]), 1.0, 2.0, 10.0).tolist() == [1.0, 2.0, 10.0]


def test_the_plan_s_provider_cost_is_priced_at_the_central_value(demo):
    e = demo.evaluated.dropna(subset=["provider_cost"])
    pos = demo.values()["reference_price_position"]
    assert pos == 0.5
    # at the base position the provider cost equals the cost at the central price, whatever the range
    assert np.allclose(e["provider_cost"], e["provider_mid"])
    lopsided = e[(e["provider_high"] - e["provider_mid"]) > 1.5 * (e["provider_mid"] - e["provider_low"]) + 1]
    assert len(lopsided) > 0
    assert (lopsided["provider_cost"] < (lopsided["provider_low"] + lopsided["provider_high"]) / 2).all()
