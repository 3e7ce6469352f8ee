"""Delivery locations: the sourced country table, tiers relative to the client, time-zone overlap and fit."""
from __future__ import annotations

import pandas as pd

from .reference import table


def load_locations() -> pd.DataFrame:
    """The location reference table, one row per country (ISO 3166 alpha-2 in ``country``)."""
    df = table("locations")
    df["languages"] = df["business_languages"].str.split(";")
    for col in ("eu_eea", "data_protection_law", "eu_adequacy"):
        df[col] = df[col].eq("yes")
    return df.set_index("country", drop=False)


def main_language(country: str) -> str:
    """The first business language of ``country`` in the location table (ISO 639-1)."""
    locs = load_locations()
    if country not in locs.index:
        raise LookupError(f"home country {country} is not in data/reference/locations.csv, so its main "
                          "language is unknown; set 'language' (ISO 639-1, e.g. 'en') in client.yaml")
    return locs.at[country, "languages"][0]
