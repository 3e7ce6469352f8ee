from datetime import date

import numpy as np
import pandas as pd
import pytest

from bpo_kit import fx
from bpo_kit import labour_costs as lc
from bpo_kit.config import REFERENCE_DIR
from bpo_kit.locations import load_locations


def inputs(**over):
    base = {
        "anchors": pd.DataFrame(
            [
                # an employer cost per hour worked, scaled to role families by relativities
                ["XA", "cost_per_hour", 20.0, 18.0, 22.0, "USD", "per_hour_worked", "labour_cost", "all_occupations"],
                # a monthly wage for one role, turned into employer cost by on-costs
                ["XB", "agent_wage", 3000.0, 3000.0, 3000.0, "USD", "per_month", "wage", "contact_centre_agent"],
            ],
            columns=["country", "anchor", "value", "low", "high", "currency", "unit", "cost_basis", "occupation_scope"],
        ).assign(year="2024", source="test source", confidence="[T]"),
        "relativities": pd.DataFrame(
            {
                "role_family": ["all_occupations", *lc.ROLE_FAMILIES],
                "relativity": [1.0, 0.9, 1.0, 1.5, 1.2, 1.3],
                "low": [1.0, 0.9, 1.0, 1.5, 1.2, 1.3],
                "high": [1.0, 0.9, 1.0, 2.0, 1.2, 1.3],
                "source": "test relativities",
            }
        ),
        "oncosts": pd.DataFrame(
            {"country": ["XB"], "oncost_share": [0.25], "low": [0.2], "high": [0.3], "source": ["test on-costs"]}
        ),
        "hours": pd.DataFrame(
            {
                "country": ["XA"],
                "hours_per_fte_year": [1800.0],
                "low": [1700.0],
                "high": [1900.0],
                "basis": ["actually_worked"],
                "source": ["test hours"],
            }
        ),
        "gross_up": pd.DataFrame(
            {
                "name": ["labour_share_of_cost", "provider_margin"],
                "value": [0.65, 0.30],
                "low": [0.60, 0.30],
                "high": [0.70, 0.30],
                "source": ["share src", "margin src"],
            }
        ),
    }
    base.update(over)
    return base


def test_cost_from_an_hourly_labour_cost_by_hand():
    out = lc.derive(["XA"], inputs()).set_index("role_family")
    bo = out.loc["back_office_transactional"]
    # 20 USD/h x 1,800 h x relativity 1.0 = 36,000; low 18 x 1,700 = 30,600; high 22 x 1,900 = 41,800
    assert (bo["cost_low_usd"], bo["cost_mid_usd"], bo["cost_high_usd"]) == (30600, 36000, 41800)
    # price = cost / 0.65 / 0.70; the low price takes the high labour share (0.70), the high one the low (0.60)
    assert bo["price_mid_usd"] == round(36000 / 0.65 / 0.7)
    assert bo["price_low_usd"] == round(30600 / 0.70 / 0.7)
    assert bo["price_high_usd"] == round(41800 / 0.60 / 0.7)
    fa = out.loc["finance_accounting_professional"]
    assert (fa["cost_mid_usd"], fa["cost_high_usd"]) == (54000, 83600)  # x 1.5, high x 2.0
    assert fa["confidence"] == "derived ([T])"
    assert "1,800 h actually worked" in fa["derivation"] and "pay relativity" in fa["derivation"]


def test_role_level_wage_plus_on_costs_and_scaling_from_that_role():
    out = lc.derive(["XB"], inputs()).set_index("role_family")
    cc = out.loc["contact_centre_agent"]
    # 3,000 x 12 x (1 + 25%) = 45,000; low on-costs 20% -> 43,200; high 30% -> 46,800
    assert (cc["cost_low_usd"], cc["cost_mid_usd"], cc["cost_high_usd"]) == (43200, 45000, 46800)
    assert cc["confidence"] == "role-level ([T])"
    # other roles scale from the agent: back office = 45,000 x 1.0 / 0.9
    assert out.at["back_office_transactional", "cost_mid_usd"] == round(45000 / 0.9)


def test_a_country_without_figures_needs_a_quote_and_a_wage_without_on_costs_takes_the_sourced_range():
    out = lc.derive(["XC"], inputs()).set_index("role_family")
    assert out["cost_mid_usd"].isna().all() and (out["confidence"] == "needs a quote").all()
    assert out["derivation"].str.startswith("needs a quote: no published labour cost").all()
    no_oncost = inputs(oncosts=inputs()["oncosts"].assign(country="XZ"))
    out = lc.derive(["XB"], no_oncost).set_index("role_family")
    assert out.at["contact_centre_agent", "cost_low_usd"] == 3000 * 12 * 1.2
    strict = lc.derive(["XB"], no_oncost, lc.CostAssumptions(unknown_oncosts="needs_quote"))
    assert strict["cost_mid_usd"].isna().all()


def test_hours_and_on_costs_are_overridable():
    a = lc.CostAssumptions(hours={"XA": (2000.0, 2000.0, 2000.0)})
    out = lc.derive(["XA"], inputs(), a).set_index("role_family")
    assert out.at["back_office_transactional", "cost_mid_usd"] == 40000
    assert "hours set by the client" in out.at["back_office_transactional", "derivation"]


def test_germany_back_office_by_hand_from_the_sourced_tables():
    t = lc.derive(["DE"]).set_index("role_family").loc["back_office_transactional"]
    hours = pd.read_csv(REFERENCE_DIR / "working_hours.csv").query("country == 'DE'")
    h = float(hours.loc[hours["basis"] == "actually_worked", "hours_per_fte_year"].iloc[0])
    eur_usd = np.mean([fx.rate("EUR", "USD", date(2024, m, 15)) for m in range(1, 13)])
    # Eurostat 2024: EUR 43.4 per hour worked x hours x EUR/USD 2024 x relativity 0.987 (BLS clerks / all)
    assert t["cost_mid_usd"] == pytest.approx(43.4 * h * eur_usd * 0.987, abs=1)
    assert t["confidence"].startswith("derived")
    assert t["year"] == "2024"


def test_committed_table_equals_the_derivation():
    committed = pd.read_csv(
        REFERENCE_DIR / "labour_costs.csv", keep_default_na=False, na_values=[""], dtype={"year": str}
    )
    fresh = lc.derive(list(load_locations().index))
    pd.testing.assert_frame_equal(committed.reset_index(drop=True), fresh.reset_index(drop=True), check_dtype=False)


def test_client_home_countries_are_priced():
    t = lc.reference_table()
    for home in ("US", "GB", "DE", "FR", "NL", "CA", "AU"):
        rows = t[t["country"] == home]
        assert len(rows) == 5 and rows["cost_mid_usd"].notna().all(), home
    prices = lc.reference_prices(["GB", "EG"])
    assert set(prices["country"]) == {"GB"}
    assert set(lc.needs_a_quote(["GB", "EG", "XX"])["country"]) == {"EG", "XX"}


def test_client_overrides_of_hours_reach_the_reference_prices():
    from bpo_kit.locations import LocationSettings

    base = lc.reference_prices(["PL"]).set_index("role_family")
    s = LocationSettings(hours_per_fte_year={"PL": 2000})
    over = lc.reference_prices(["PL"], assumptions=s.cost_assumptions()).set_index("role_family")
    hours = pd.read_csv(REFERENCE_DIR / "working_hours.csv").query("country == 'PL'")["hours_per_fte_year"].iloc[0]
    ratio = over.at["back_office_transactional", "mid"] / base.at["back_office_transactional", "mid"]
    assert ratio == pytest.approx(2000 / hours, rel=1e-3)
