import numpy as np
import pandas as pd
import pytest

from bpo_kit import location_index as li


def pillars():
    rows = [
        # country, pillar, metric, value, scale_min, scale_max
        ("AA", "talent", "hci", 0.8, 0, 1),
        ("AA", "talent", "sector_headcount", 100_000, None, None),
        ("AA", "business_environment", "wgi_ge", 60, 0, 100),
        ("AA", "business_environment", "wgi_rq", 70, 0, 100),
        ("AA", "business_environment", "wgi_rl", 50, 0, 100),
        ("AA", "business_environment", "wgi_pv", 40, 0, 100),
        ("AA", "business_environment", "wgi_va", 99, 0, 100),  # shown, not scored
        ("AA", "digital", "tii", 0.9, 0, 1),
        ("AA", "digital", "internet_users", 70, 0, 100),
        ("BB", "talent", "hci", 0.6, 0, 1),  # no headcount: HCI alone
        ("BB", "business_environment", "wgi_ge", 20, 0, 100),
    ]
    df = pd.DataFrame(rows, columns=["country", "pillar", "metric", "value", "scale_min", "scale_max"])
    return df.assign(unit="", year="2024", source="test")


def costs():
    return pd.DataFrame(
        {
            "country": ["AA", "AA", "BB", "CC"],
            "role_family": ["x", "y", "x", "x"],
            "cost_mid_usd": [10_000.0, 30_000.0, 150_000.0, np.nan],
        }
    )


def test_index_on_a_hand_made_example():
    out = li.location_index(["AA", "BB", "CC"], pillars(), costs()).set_index("country")
    # talent: 0.5 x 80 + 0.5 x (log10(100,000) - 3) / (7 - 3) x 100 = 40 + 25 = 65
    assert out.at["AA", "talent"] == 65.0
    # business environment: mean of GE, RQ, RL, PV = 55 (VA is shown, not scored)
    assert out.at["AA", "business_environment"] == 55.0
    # digital: 0.5 x 90 + 0.5 x 70 = 80
    assert out.at["AA", "digital"] == 80.0
    # cost: mean 20,000 USD on ln between 3,000 (100) and 150,000 (0)
    cost = 100 * (np.log(150_000) - np.log(20_000)) / (np.log(150_000) - np.log(3_000))
    assert out.at["AA", "cost"] == pytest.approx(round(cost, 1))
    assert out.at["AA", "attractiveness"] == pytest.approx(
        round((35 * round(cost, 1) + 25 * 65 + 25 * 55 + 15 * 80) / 100, 1), abs=0.06
    )
    # BB: talent is HCI alone, cost at the upper bound scores 0, digital missing and named, never filled
    assert out.at["BB", "talent"] == 60.0 and out.at["BB", "cost"] == 0.0
    assert np.isnan(out.at["BB", "digital"]) and out.at["BB", "pillars_missing"] == "digital"
    assert out.at["BB", "attractiveness"] == pytest.approx((35 * 0 + 25 * 60 + 25 * 20) / 85, abs=0.06)
    # CC has nothing: every pillar missing, no score, listed last
    assert np.isnan(out.at["CC", "attractiveness"]) and list(out.index)[-1] == "CC"


def test_scores_use_the_sources_scales_so_adding_a_country_moves_no_other():
    one = li.location_index(["AA"], pillars(), costs()).set_index("country")
    two = li.location_index(["AA", "BB"], pillars(), costs()).set_index("country")
    assert one.loc["AA"].equals(two.loc["AA"])


def test_client_weights_override_the_defaults():
    out = li.location_index(["AA"], pillars(), costs(), weights={"cost": 0, "talent": 0, "digital": 0})
    assert out.at[0, "attractiveness"] == 55.0
    with pytest.raises(ValueError, match="not all zero"):
        li.attractiveness(pd.DataFrame({"cost": [1.0]}, index=["AA"]), {p: 0 for p in li.PILLARS})
