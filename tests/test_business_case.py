import pandas as pd
import pytest
from conftest import make_client
from hypothesis import given, settings
from hypothesis import strategies as st

from bpo_kit import business_case as bc
from bpo_kit.assessment import assess
from bpo_kit.client import load_client
from bpo_kit.errors import ConfigError, InputFileError

ZERO = {
    "inhouse_cost_growth": 0.0,
    "provider_wage_inflation": 0.0,
    "transition_months": 0.0,
    "vendor_selection": 0.0,
    "transition": 0.0,
    "layoffs_retention": 0.0,
    "process_improvement": 0.0,
    "lost_productivity": 0.0,
    "governance": 0.0,
}


def test_npv_and_payback_against_a_hand_calculation():
    # in-house 100 a year, provider 40; 6-month transition; vendor selection 50% of the contract value (20),
    # governance 5% of the provider's cost; 3 years at 10%.
    # year 1: half a year active: gross 30, governance 1, one-time 20 -> net 9; years 2 and 3: 60 - 2 = 58
    p = {**ZERO, "transition_months": 6.0, "vendor_selection": 0.5, "governance": 0.05}
    flows = bc.yearly_flows(100.0, 40.0, p, 3)
    assert flows["net"].tolist() == pytest.approx([9.0, 58.0, 58.0])
    assert bc.npv(flows["net"], 0.10).item() == pytest.approx(9 / 1.1 + 58 / 1.1**2 + 58 / 1.1**3)
    # cumulative -20 at month 6, then +29/6 a month: 20 / 4.833 = 4.14 months -> month 11
    assert bc.payback_month(flows, 6.0).item() == 11


def test_growth_ramp_and_long_transitions():
    p = {
        **ZERO,
        "inhouse_cost_growth": 0.10,
        "provider_wage_inflation": 0.05,
        "productivity_ramp_multiplier": 1.10,
        "ramp_months": 24.0,
        "transition_months": 18.0,
    }
    flows = bc.yearly_flows(100.0, 50.0, p, 3)
    # year 1 nothing runs; year 2 half a year: 110/2 - 52.5/2; year 3: 121 - 55.125
    assert flows["gross"].tolist() == pytest.approx([0.0, (110 - 52.5) / 2, 121 - 55.125])
    # ramp: 10% more provider FTE for 24 months after go-live (month 18): 6 months of year 2, all of year 3
    assert flows["productivity_ramp"].tolist() == pytest.approx([0.0, 5.25 / 2, 5.5125])


@settings(max_examples=80, deadline=None)
@given(st.floats(1e3, 1e7), st.floats(1e2, 1e7), st.integers(1, 10), st.floats(0, 12))
def test_net_savings_are_always_below_gross_arbitrage(inhouse, provider, years, months):
    p = {
        **ZERO,
        "transition_months": months,
        "vendor_selection": 0.01,
        "transition": 0.02,
        "layoffs_retention": 0.03,
        "process_improvement": 0.01,
        "lost_productivity": 0.03,
        "governance": 0.03,
    }
    flows = bc.yearly_flows(inhouse, provider, p, years)
    assert flows["net"].sum() < flows["gross"].sum()


@pytest.fixture(scope="module")
def demo():
    return assess("demo")


def test_demo_net_below_gross_and_sensitive_work_stays_protected(demo):
    e = demo.evaluated.dropna(subset=["provider_cost"])
    # every pair that fits and has a price has a business case, and it nets below the arbitrage
    assert e.loc[e["fit"], "npv"].notna().all() and e.loc[~e["fit"], "npv"].isna().all()
    e = e[e["fit"]]
    assert (e["net_savings"] < e["gross_arbitrage"]).all()
    plan = demo.plan.merge(demo.processes[["process_id", "data_sensitivity"]], on="process_id")
    prof = demo.profile.set_index("country")
    chosen = plan.dropna(subset=["recommended_location"])
    sensitive = chosen[chosen["data_sensitivity"] >= 5]
    assert len(sensitive) > 0
    assert prof.loc[sensitive["recommended_location"], "data_protection_law"].all()


def test_recommended_location_is_the_best_fit_weighted_npv(demo):
    e = demo.evaluated
    row = demo.plan.dropna(subset=["recommended_location"]).iloc[0]
    options = e[(e["process_id"] == row["process_id"]) & e["fit"] & e["provider_cost"].notna() & (e["npv"] > 0)]
    best = (options["npv"] * options["fit_score"]).idxmax()
    assert options.at[best, "country"] == row["recommended_location"]


def test_retained_and_automated_processes_get_no_location(demo):
    assert set(demo.plan["recommendation"]) <= {"outsource", "hybrid"}
    assert len(demo.plan) == demo.processes["recommendation"].isin(["outsource", "hybrid"]).sum()


def test_monte_carlo_is_reproducible_from_its_seed(demo):
    expo = bc.exposure(demo.evaluated, demo.plan)
    sa = bc.monte_carlo(expo, demo.assumptions, "USD", 500, seed=7)
    sb = bc.monte_carlo(expo, demo.assumptions, "USD", 500, seed=7)
    a, b = sa.summary, sb.summary
    c = bc.monte_carlo(expo, demo.assumptions, "USD", 500, seed=8).summary
    pd.testing.assert_frame_equal(a, b)
    assert sa.draws.equals(sb.draws)
    assert a["npv_p50"].item() != c["npv_p50"].item()
    assert a["npv_p10"].item() <= a["npv_p50"].item() <= a["npv_p90"].item()


def test_tornado_swings_around_the_base_case(demo):
    t = demo.tornado()
    assert (t["swing"].diff().dropna() <= 0).all()
    # the tornado's base is the plan's base case, move by move
    assert t["base_npv"].iloc[0] == pytest.approx(demo.plan_base()["npv"], rel=1e-9)


def test_rate_card_wins_and_reference_costs_are_grossed_up_alike(demo):
    prices = demo.prices.set_index(["country", "role_family"])
    assert prices.at[("CR", "contact_centre_agent"), "basis"] == "rate card"
    assert prices.at[("PH", "contact_centre_agent"), "basis"] == "published role cost + provider overhead and margin"
    derived = "derived cost + provider overhead and margin"
    assert prices.at[("CO", "finance_accounting_professional"), "basis"] == derived
    # PL quote of EUR 38,000 converted at the ECB rate
    from bpo_kit import fx

    assert prices.at[("PL", "back_office_transactional"), "mid_client"] == pytest.approx(38000 * fx.rate("EUR", "USD"))


def test_rate_card_problems_are_listed(tmp_path):
    path = tmp_path / "rates.csv"
    path.write_text(
        "location,role_family,price_per_fte_year,currency\n"
        "PH,contact_centre_agent,20000,USD\nXX,agents,-5,ABC\nPH,contact_centre_agent,21000,USD\n"
    )
    with pytest.raises(InputFileError) as exc:
        bc.load_rates(path, ["PH", "IN"])
    assert exc.value.problems == [
        "rates.csv, row 3, column location: 'XX' is not a candidate location; expected one of PH, IN",
        "rates.csv, row 3, column role_family: 'agents' is not a role family; expected one of contact_centre_agent, "
        "back_office_transactional, finance_accounting_professional, it_support, knowledge_professional",
        "rates.csv, row 3, column price_per_fte_year: '-5' is not a positive number; "
        "expected the price per FTE per year",
        "rates.csv, row 3, column currency: 'ABC' has no exchange rate in the kit; expected one of "
        + ", ".join(sorted(__import__("bpo_kit.fx", fromlist=["x"]).currencies())),
        "rates.csv, row 4, column role_family: a second price for contact_centre_agent in PH (first on row 2); "
        "expected one price per location and role family",
    ]


def test_client_keys_are_validated(tmp_path):
    folder = make_client(
        tmp_path / "c",
        [],
        extra_yaml="candidate_locations: [PH, ZZ]\ncontract_years: 0\n"
        "assumptions: {productivity: {value: 2, low: 0.9, high: 1.1}}\n",
    )
    with pytest.raises(ConfigError) as exc:
        load_client(folder)
    assert exc.value.problems == [
        "client.yaml: key 'candidate_locations': 'ZZ' is not an ISO 3166 alpha-2 country code; expected e.g. "
        "'US', 'DE', 'GB'",
        "client.yaml: key 'contract_years': Input should be greater than or equal to 1",
        "client.yaml: key 'assumptions.productivity': expected low <= value <= high, got 0.9, 2, 1.1",
    ]
    (folder / "client.yaml").write_text(
        (folder / "client.yaml").read_text().split("candidate_locations")[0] + "assumptions: {wage_inflation: 0.04}\n"
    )
    with pytest.raises(ConfigError) as exc:
        load_client(folder)
    assert exc.value.problems[0].startswith(
        "client.yaml: key 'assumptions': unknown assumption(s) wage_inflation; expected some of "
        "provider_wage_inflation, inhouse_cost_growth"
    )


def test_assumption_overrides_reach_the_business_case(tmp_path):
    folder = make_client(
        tmp_path / "c",
        None,
        extra_yaml="candidate_locations: [PH, IN]\n"
        "assumptions: {governance: {value: 0.08, low: 0.05, high: 0.12}, transition_months: 9}\n",
    )
    a = assess(folder)
    t = a.assumptions.set_index("name")
    assert t.loc["governance", ["value", "low", "high", "source"]].tolist() == [
        0.08,
        0.05,
        0.12,
        "client.yaml override",
    ]
    assert t.at["transition_months", "value"] == 9
    assert set(a.profile["country"]) == {"PH", "IN"}


def test_savings_drivers_name_the_price_gap_the_baseline_and_national_statistics():
    import pandas as pd

    from bpo_kit import business_case as bc
    from bpo_kit import labour_costs as lc

    plan = pd.DataFrame(
        {
            "process_id": ["A", "B", "C"],
            "role_family": ["back_office_transactional"] * 3,
            "recommended_location": ["ID", "ID", None],
            "provider_cost": [30_000.0, 20_000.0, None],
        }
    )
    processes = pd.DataFrame(
        {"process_id": ["A", "B", "C"], "fte": [3.0, 2.0, 9.0], "annual_cost": [300e3, 200e3, 1e6]}
    )
    prices = pd.DataFrame({"country": ["ID"], "role_family": ["back_office_transactional"], "basis": ["derived"]})
    out = bc.savings_drivers(plan, processes, prices, "US", "USD")
    # the work moved: 5 FTE costing 500,000 today; the providers charge 50,000: 10% of today's cost
    assert out["price_share_of_today"] == pytest.approx(0.10)
    assert out["lines"][0].startswith("The providers' price is 10% of today's cost of the work moved (USD 100,000")
    # US back office costs an employer USD 67,317 (BLS clerks' median + on-costs): 100,000 is 49% above it
    us = (
        lc.reference_table()
        .set_index(["country", "role_family"])
        .at[("US", "back_office_transactional"), "cost_mid_usd"]
    )
    assert out["baseline_vs_reference"] == pytest.approx(100_000 / us)
    assert (
        "49% above what published pay statistics say these roles cost an employer in US (USD 67,317)" in out["lines"][1]
    )
    # Indonesia's back office is priced from its national average wage (BPS Sakernas): all 5 FTE
    assert out["fte_priced_from_national_statistics"] == 5
    assert out["lines"][2].startswith("100% of the FTE moved are priced from national pay statistics (ID)")
    # a rate card price is a quote: no warning
    quoted = bc.savings_drivers(plan, processes, prices.assign(basis="rate card"), "US", "USD")
    assert quoted["fte_priced_from_national_statistics"] == 0 and len(quoted["lines"]) == 2
