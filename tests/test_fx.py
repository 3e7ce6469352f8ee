from datetime import date

import pandas as pd
import pytest

from bpo_kit import fx
from bpo_kit.config import REFERENCE_DIR


def test_a_peso_bid_converts_with_the_dated_rate():
    table = pd.read_csv(REFERENCE_DIR / "fx_rates.csv").set_index("currency")
    per_usd = float(table.at["COP", "units_per_usd"])
    # a bid of COP 100 million a year is worth 100e6 / (COP per USD) US dollars, whatever the date asked
    assert fx.rate("COP", "USD") * 100e6 == pytest.approx(100e6 / per_usd)
    assert fx.rate("COP", "USD", date(2025, 1, 2)) == fx.rate("COP", "USD")
    # and into euros through the ECB's USD rate of the day
    assert fx.rate("COP", "EUR") == pytest.approx(fx.rate("USD", "EUR") / per_usd)
    used = fx.rates_used(["COP"], "EUR").set_index("currency")
    assert str(used.at["COP", "rate_date"]) == str(table.at["COP", "date"])
    assert used.at["COP", "basis"].startswith("dated published rate")
    assert "Banco de la Republica" in used.at["COP", "source"]


def test_lev_converts_at_the_fixed_rate_after_the_changeover():
    assert fx.rate("BGN", "EUR", date(2026, 3, 2)) == pytest.approx(1 / 1.95583)
    assert fx.rate("EUR", "BGN", date(2026, 10, 1)) == pytest.approx(1.95583)
    # before the changeover the ECB's own lev rate applies (pegged, but published to 4 decimals)
    assert fx.rate("BGN", "EUR", date(2025, 6, 2)) == pytest.approx(1 / 1.9558, rel=1e-6)
    used = fx.rates_used(["BGN"], "USD").set_index("currency")
    assert "fixed euro conversion rate 1.95583" in used.at["BGN", "basis"]


def test_every_location_currency_has_a_rate_or_is_named():
    assert {"COP", "EGP", "VND", "CRC", "ARS", "BGN", "MAD", "JMD"} <= fx.currencies()
    with pytest.raises(Exception, match="XOF: no exchange rate"):
        fx.rate("XOF", "USD")


def test_the_dirham_and_the_jamaican_dollar_convert_at_a_dated_rate():
    # MAD 9,192.4 is 1,000 US dollars at 9.1924 MAD per USD (World Bank GEM, May 2026)
    assert 9192.4 * fx.rate("MAD", "USD") == pytest.approx(1000.0)
    # J$157.61 per USD on 12 Mar 2025 (Bank of Jamaica daily summary): the row now has a date, so it is used
    assert fx.rate("JMD", "USD") == pytest.approx(1 / 157.61)
    basis = fx.rate_basis("JMD")
    assert str(basis["date"]) == "2025-03-12"
    assert "Bank of Jamaica" in basis["source"]
    # no rate older than 2025 is left for the currencies that were stale
    stale = fx.dated_rates().set_index("currency").loc[["EGP", "NGN", "VND"], "date"]
    assert all(d.year >= 2025 for d in stale)


def test_a_currency_with_only_a_dated_rate_has_no_simulated_spread():
    assert fx.annual_volatility("COP", "USD") == 0.0
    assert fx.annual_volatility("EUR", "USD") > 0.0


def test_a_wage_of_an_earlier_year_finds_a_rate_of_its_own_year():
    # the peso lost 29% in a year: ARS 1,031.6 per USD at the end of 2024, 1,407 in March 2026
    usd, when = fx.dated_rate_in_year("ARS", 2024)
    assert usd == pytest.approx(1 / 1031.6) and str(when) == "2024-12-31"
    assert fx.dated_rate_in_year("ARS", 2023) is None
    # the newest rate still serves a bid of today
    assert fx.rate("ARS", "USD") == pytest.approx(1 / 1407)
