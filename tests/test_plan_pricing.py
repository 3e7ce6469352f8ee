"""A tower priced on a bid is one price: the base case and the Monte Carlo read the same figure."""

import numpy as np

from bpo_kit.assessment import assess


def test_a_bid_priced_move_has_no_range_around_its_price():
    a = assess()
    moves = a.recommended_pairs()
    bids = moves[moves["price_source"].eq("bid")]
    assert len(bids) > 0
    for column in ("provider_low", "provider_mid", "provider_high"):
        assert np.allclose(bids[column], bids["provider_cost"]), column
    # so the plan's middle outcome sits near its base case instead of being pulled to the reference prices
    h = a.headline()
    assert h["net_savings_pct"]["p10"] <= h["net_savings_pct"]["p50"] <= h["net_savings_pct"]["p90"]
    assert abs(h["net_savings_pct"]["p50"] - h["net_savings_pct"]["base"]) < 0.1
