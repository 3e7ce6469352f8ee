"""Worked answers for the sourcing plan: towers, the provider who prices each, waves and the roadmap.

The hand example: one contract year, no transition, no discounting and no hidden costs, so a tower's NPV is
today's cost minus the provider's price. Two towers, two candidate locations (A and B):

* Finance: F1 (10 FTE, 1,000,000 a year) and F2 (5 FTE, 500,000); F2 may not go to B.
  Rate card: A 40,000 per FTE-year, B 30,000.
  At A: 1,000,000 - 400,000 + 500,000 - 200,000 = 900,000. At B only F1 moves: 1,000,000 - 300,000 = 700,000.
  A tower goes to one place: A (process by process F1 would go to B, scattering the function).
* HR: H1 (8 FTE, 640,000), fits both. A 50,000 -> 240,000; B 45,000 -> 280,000: B.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from helpers import copy_demo, replace_in

from bpo_kit import business_case as bc
from bpo_kit import sourcing_plan as sp

VALUES = {"contract_years": 1, "discount_rate": 0.0, "transition_months": 0.0, "productivity": 1.0}
RATE = {("A", "F1"): 40_000, ("A", "F2"): 40_000, ("B", "F1"): 30_000, ("B", "F2"): 30_000}
RATE.update({("A", "H1"): 50_000, ("B", "H1"): 45_000})


def processes(sensitivity: int = 3) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "process_id": ["F1", "F2", "H1"],
            "process_name": ["Payables", "Expenses", "Payroll"],
            "function": ["finance_accounting", "finance_accounting", "human_resources"],
            "fte": [10.0, 5.0, 8.0],
            "annual_cost": [1_000_000.0, 500_000.0, 640_000.0],
            "recommendation": ["outsource"] * 3,
            "role_family": ["back_office_transactional"] * 3,
            "languages": ["en"] * 3,
            "data_sensitivity": [sensitivity] * 3,
            "customer_facing": [False] * 3,
            "standardization": [5, 5, 3],
            "measurability": [5, 4, 3],
            "tower": ["", "", ""],
        }
    )


def evaluated(p: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for r in p.itertuples():
        for c in ("A", "B"):
            fits = not (r.process_id == "F2" and c == "B")
            price = RATE[(c, r.process_id)] * r.fte
            rows.append(
                {
                    "process_id": r.process_id,
                    "country": c,
                    "tier": "offshore",
                    "fit": fits,
                    "fit_score": 1.0,
                    "fit_reason": "" if fits else "needs de",
                    "night_shift": False,
                    "fte": r.fte,
                    "annual_cost": r.annual_cost,
                    "role_family": r.role_family,
                    "currency": "USD",
                    "basis": "rate card",
                    "provider_cost": price,
                    "provider_low": price,
                    "provider_high": price,
                    "captive": False,
                    "operating_model": "third party",
                }
            )
    return bc.evaluate(pd.DataFrame(rows), VALUES)


def vendor(name: str, where: str, price: float, basis: str, certs: str = "ISO 27001", **extra) -> dict:
    scores = dict.fromkeys(providers_scored(), 3)
    return {
        "provider": name,
        "delivery_locations": where,
        **scores,
        "price": price,
        "price_basis": basis,
        "currency": "USD",
        "certifications": certs,
        "languages": "en",
        **extra,
    }


def providers_scored() -> list[str]:
    from bpo_kit.providers import SCORED

    return SCORED


def test_two_towers_by_hand_each_go_to_one_location():
    p = processes()
    plan = sp.build(p, evaluated(p), VALUES, "USD", settings=sp.SourcingSettings(min_tower_fte=0))
    t = plan.towers.set_index("tower")
    assert t.loc["Finance & accounting", "location"] == "A"
    assert t.loc["Finance & accounting", "npv"] == pytest.approx(900_000)
    assert t.loc["Finance & accounting", "provider_cost_per_year"] == pytest.approx(600_000)
    assert t.loc["Finance & accounting", "fte"] == 15
    assert t.loc["HR", "location"] == "B"
    assert t.loc["HR", "npv"] == pytest.approx(280_000)
    assert set(t["price_source"]) == {"rate card"}
    assert set(t["provider"]) == {""}
    assert "next best B, its NPV 0.2m lower" in t.loc["Finance & accounting", "reason"]
    # the plan's moves are the towers': F1 goes with its tower to A
    assert dict(zip(plan.plan["process_id"], plan.plan["recommended_location"], strict=True)) == {
        "F1": "A",
        "F2": "A",
        "H1": "B",
    }
    assert bc.waterfall(plan.moves, plan.plan).iloc[-1]["amount"] == pytest.approx(1_180_000)


def test_a_process_that_does_not_fit_its_towers_location_is_named_with_why():
    p = processes()
    e = evaluated(p)
    # make B far cheaper for F1, so that the tower goes to B without F2
    cheap = (e["process_id"] == "F1") & (e["country"] == "B")
    e = bc.evaluate(e.assign(provider_cost=np.where(cheap, 0.0, e["provider_cost"])).drop(columns=["npv"]), VALUES)
    plan = sp.build(p, e, VALUES, "USD", settings=sp.SourcingSettings(min_tower_fte=0))
    t = plan.towers.set_index("tower")
    assert t.loc["Finance & accounting", "location"] == "B"
    assert t.loc["Finance & accounting", "npv"] == pytest.approx(1_000_000)
    assert t.loc["Finance & accounting", "not_moved"] == "F2: does not fit B: needs de"
    m = plan.members.set_index("process_id")
    assert not m.at["F2", "moved"]


def test_a_bid_per_fte_prices_the_towers_fte():
    p = processes()
    vendors = pd.DataFrame([vendor("Alpha", "A", 35_000, "per_fte_year")])
    plan = sp.build(p, evaluated(p), VALUES, "USD", vendors=vendors, settings=sp.SourcingSettings(min_tower_fte=0))
    t = plan.towers.set_index("tower")
    # Finance at A: 15 FTE x 35,000 = 525,000; HR at A: 8 x 35,000 = 280,000 beats B's rate card (360,000)
    assert t.loc["Finance & accounting", ["location", "provider", "price_source"]].tolist() == ["A", "Alpha", "bid"]
    assert t.loc["Finance & accounting", "provider_cost_per_year"] == pytest.approx(525_000)
    assert t.loc["Finance & accounting", "npv"] == pytest.approx(1_500_000 - 525_000)
    assert t.loc["HR", "location"] == "A"
    assert t.loc["HR", "provider_cost_per_year"] == pytest.approx(280_000)


def test_a_total_bid_prices_the_tower_it_covers():
    p = processes()
    vendors = pd.DataFrame(
        [
            vendor("Beta", "B", 200_000, "total_per_year", towers="HR"),
            vendor("Gamma", "A", 230_000, "total_per_year"),  # bid on the whole scope of 23 FTE
        ]
    )
    plan = sp.build(p, evaluated(p), VALUES, "USD", vendors=vendors, settings=sp.SourcingSettings(min_tower_fte=0))
    t = plan.towers.set_index("tower")
    # HR at B: the named total, 200,000 (net 440,000); at A Gamma's share 230,000 x 8/23 = 80,000 (net 560,000)
    assert t.loc["HR", ["location", "provider"]].tolist() == ["A", "Gamma"]
    assert t.loc["HR", "provider_cost_per_year"] == pytest.approx(80_000)
    # Finance: Beta names HR only, so B stays on the rate card; at A Gamma's 15/23 share, 150,000
    assert t.loc["Finance & accounting", "provider_cost_per_year"] == pytest.approx(150_000)
    bids = plan.bids
    assert not ((bids["tower"] == "Finance & accounting") & (bids["provider"] == "Beta")).any()
    hr_b = bids[(bids["tower"] == "HR") & (bids["country"] == "B")].set_index("provider")
    assert hr_b.at["Beta", "annual_price"] == pytest.approx(200_000)
    # the per-FTE shares of one total bid over the moves add back up to it
    gamma = plan.moves[plan.moves["provider"] == "Gamma"]["provider_cost"].sum()
    assert gamma == pytest.approx(230_000)


def test_a_disqualified_provider_never_prices_not_even_through_the_rate_card():
    p = processes(sensitivity=5)  # ISO 27001 required
    e = evaluated(p)
    cheap = vendor("Cheapo", "A;B", 1_000, "per_fte_year", certs="SOC 2")
    vendors = pd.DataFrame([cheap])
    # B's rate card quotes are Cheapo's; without them B falls back on reference prices of 60,000 per FTE
    rate_card = pd.DataFrame({"country": ["B"], "role_family": ["back_office_transactional"], "provider": ["Cheapo"]})
    ref = e[e["country"] == "B"].drop(columns=list(sp.bc_outputs()))
    ref = ref.assign(provider_cost=ref["fte"] * 60_000, basis="reference")
    ref["provider_low"] = ref["provider_high"] = ref["provider_cost"]
    plan = sp.build(
        p,
        e,
        VALUES,
        "USD",
        vendors=vendors,
        rate_card_providers=rate_card,
        reference_costs=ref,
        settings=sp.SourcingSettings(min_tower_fte=0),
    )
    t = plan.towers.set_index("tower")
    assert "Cheapo" not in set(plan.moves["provider"])
    assert set(t["provider"]) == {""}
    # HR: A 240,000 against B on reference prices 640,000 - 480,000 = 160,000: A
    assert t.loc["HR", ["location", "price_source"]].tolist() == ["A", "rate card"]
    assert t.loc["HR", "npv"] == pytest.approx(240_000)
    why = plan.bids.set_index(["tower", "country"]).loc[("HR", "A")]
    assert not why["qualified"]
    assert "no ISO 27001" in why["disqualified_because"]


def test_small_functions_pool_and_hybrid_goes_to_the_captive_tower():
    p = processes()
    p.loc[2, "recommendation"] = "hybrid"
    extra = p.iloc[[0]].assign(process_id="M1", function="marketing", fte=3.0)
    p = pd.concat([p, extra], ignore_index=True)
    towers = sp.tower_of(p, min_tower_fte=12).tolist()
    # finance 15 FTE stands alone; marketing's 3 is the only small one, so it keeps its name
    assert towers == ["Finance & accounting", "Finance & accounting", "Captive centre", "Marketing"]
    p.loc[1, "function"] = "procurement"
    assert sp.tower_of(p, min_tower_fte=12).tolist() == [sp.POOLED, sp.POOLED, "Captive centre", sp.POOLED]
    p.loc[3, "tower"] = "Client lot"
    assert sp.tower_of(p, min_tower_fte=12).tolist()[3] == "Client lot"


def wave_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "tower": ["Contact", "Payables", "Payroll", "Analytics", "Stays"],
            "location": ["CR", "IN", "CO", "PH", None],
            "operating_model": ["third party"] * 5,
            "processes": [3, 2, 2, 1, 0],
            "fte": [40.0, 20.0, 10.0, 5.0, 0.0],
            "npv": [5e6, 2e6, 3e6, 1e6, 0.0],
            "price_source": ["bid", "bid", "rate card", "reference prices", ""],
            "provider": ["P", "Q", "", "", ""],
            "standardization": [4.5, 4.8, 4.0, 3.0, 5.0],
            "measurability": [4.5, 4.6, 4.0, 3.5, 5.0],
            "max_sensitivity": [3, 3, 5, 2, 1],
            "customer_facing_share": [1.0, 0.0, 0.0, 0.0, 0.0],
        }
    )


def test_waves_put_quick_wins_first_and_customer_facing_or_regulated_later():
    t = sp.assign_waves(wave_frame())
    wave = dict(zip(t["tower"], t["wave"], strict=True))
    assert wave["Payables"] == 1  # standardized, back office, not sensitive
    assert wave["Analytics"] == 2  # back office but less standardized
    assert wave["Contact"] == 3 and wave["Payroll"] == 3  # customer-facing; regulated (sensitivity 5)
    assert pd.isna(wave["Stays"])
    # within a wave the higher NPV goes first
    assert t["tower"].tolist()[:4] == ["Payables", "Analytics", "Contact", "Payroll"]


def test_roadmap_staggers_waves_on_the_transition_and_parallel_run():
    t = sp.assign_waves(wave_frame())
    values = {"transition_months": 6, "parallel_running_share": 0.5, "ramp_months": 12}
    road = sp.roadmap(t, values)
    tr = road[road["phase"] == "transition"].set_index("tower")
    assert tr.loc["Payables", ["start_month", "end_month"]].tolist() == [0, 6]
    assert tr.loc["Analytics", ["start_month", "end_month"]].tolist() == [6, 12]
    assert tr.loc["Contact", ["start_month", "end_month"]].tolist() == [12, 18]
    par = road[road["phase"] == "parallel run"].set_index("tower")
    assert par.loc["Contact", ["start_month", "end_month"]].tolist() == [15, 18]
    waves = sp.wave_summary(t, road)
    assert waves["go_live"].tolist() == [6, 12, 18]
    assert waves.loc[2, "towers"] == "Contact, Payroll"


def test_first_90_days_names_rfp_consultation_transfer_assessment_and_pilot():
    t = sp.assign_waves(wave_frame())
    rules = pd.DataFrame(
        {
            "rule": ["gdpr", "ard", "eba"],
            "name": ["GDPR transfers", "Acquired rights", "EBA outsourcing"],
            "applies_when": ["transfer_outside_adequacy", "staff_transfer", "any_outsourcing"],
            "before_contract": ["Sign the SCCs", "Consult representatives", "Notify the regulator"],
            "concerns": ["IN, PH", "CR, IN, CO, PH", "CR, IN, CO, PH"],
        }
    )
    steps = sp.first_90_days(t, rules, "DE")
    text = " | ".join(steps["step"])
    assert "Confirm P's bid for the Contact tower in CR" in text
    assert "request for proposal for Analytics (PH), Payroll (CO)" in text
    assert "transfer impact assessment for the data going to IN, PH: GDPR transfers" in text
    assert "works council" in text
    assert "regulator notification" in text
    assert steps.iloc[-1]["step"].startswith("Pilot the Payables tower (wave 1) in IN")
    first_days = steps["days"].str.split("-").str[0].astype(int)
    assert first_days.is_monotonic_increasing


# --- the demo client, and a client without bids -------------------------------------------------------------


def test_demo_plan_is_a_handful_of_towers_each_in_one_place_and_priced(demo):
    t = demo.towers()
    assert list(t.columns) == sp.TOWER_COLUMNS
    moving = t[t["processes"] > 0]
    assert 3 <= len(moving) <= 8
    assert moving["tower"].is_unique and moving["location"].notna().all()
    assert set(moving["operating_model"]) <= {"third party", "captive"}
    third = moving[moving["operating_model"] == "third party"]
    assert (third["provider"] != "").all() and (third["price_source"] == "bid").all()
    # each moved process sits in exactly one tower, at that tower's location
    moves = demo.recommended_pairs()
    assert moves["process_id"].is_unique
    where = dict(zip(t["tower"], t["location"], strict=True))
    assert (moves["country"].astype(str) == moves["tower"].map(where)).all()
    # a provider the tower's scope disqualifies never prices it
    bids = demo.tower_bids()
    bad = set(zip(bids.loc[~bids["qualified"], "tower"], bids.loc[~bids["qualified"], "provider"], strict=True))
    assert not any((tw, pr) in bad for tw, pr in zip(moves["tower"], moves["provider"], strict=True))


def test_demo_provider_cost_is_one_figure_everywhere(demo):
    cost = demo.provider_cost_per_year()
    assert cost == pytest.approx(demo.recommended_pairs()["provider_cost"].sum())
    assert cost == pytest.approx(demo.towers()["provider_cost_per_year"].sum())
    assert demo.headline()["processes_moved"] == int(demo.towers()["processes"].sum())
    assert demo.headline()["npv"]["base"] == pytest.approx(demo.towers()["npv"].sum())
    # the processes sheet names each process's tower
    sheet = demo.processes_with_towers()
    assert len(sheet) == len(demo.processes)
    assert set(sheet.loc[sheet["recommendation"].isin(["retain", "automate"]), "tower"]) == {""}
    assert (sheet.loc[sheet["recommendation"].isin(["outsource", "hybrid"]), "tower"] != "").all()


def test_demo_waves_roadmap_and_90_days(demo):
    waves = demo.waves()
    assert waves["wave"].tolist() == list(range(1, len(waves) + 1))
    assert waves["go_live"].is_monotonic_increasing
    assert (waves["transition_start"].iloc[1:].to_numpy() == waves["go_live"].iloc[:-1].to_numpy()).all()
    steps = demo.first_90_days()
    assert steps.iloc[-1]["step"].startswith("Pilot the ")
    assert steps["step"].str.startswith("Confirm ").any()


def test_a_client_without_bids_still_gets_towers_on_rate_cards_or_reference_prices(tmp_path):
    from bpo_kit.assessment import assess

    a = assess(copy_demo(tmp_path / "nobids", vendors=None, kpis=None, service_credits=None))
    t = a.towers()
    moving = t[t["processes"] > 0]
    assert len(moving) >= 3
    assert set(moving["provider"]) == {""}
    assert set(moving["price_source"]) <= {"rate card", "reference prices", "rate card and reference prices"}
    assert a.provider_cost_per_year() == pytest.approx(a.recommended_pairs()["provider_cost"].sum())
    assert a.first_90_days()["step"].str.contains("request for proposal").any()


def test_nothing_to_move_gives_an_empty_plan_that_says_so():
    p = processes().assign(recommendation="retain")
    plan = sp.build(p, evaluated(p), VALUES, "USD")
    assert plan.towers.empty and plan.moves.empty and list(plan.towers[sp.TOWER_COLUMNS].columns) == sp.TOWER_COLUMNS
    assert sp.roadmap(plan.towers, VALUES).empty
    assert bc.waterfall(plan.moves, plan.plan)["amount"].tolist() == [0.0, 0.0]
    steps = sp.first_90_days(plan.towers, pd.DataFrame(columns=["name", "applies_when", "concerns"]), "US")
    assert steps["step"].tolist() == ["Revisit the scope: no tower moves at the prices found."]


def test_a_bid_in_a_currency_outside_the_rate_card_is_simulated_with_its_fx(tmp_path):
    from bpo_kit.assessment import assess

    folder = copy_demo(tmp_path / "gbp")
    replace_in(folder / "vendors.csv", "5200000,total_per_year,EUR", "4500000,total_per_year,GBP")
    a = assess(folder)
    assert "fx_GBP_USD" in set(a.assumptions["name"])
    assert "GBP" in set(a.recommended_pairs()["currency"].astype(str))
    assert a.monte_carlo(plan=True)["npv_p50"].notna().all()
