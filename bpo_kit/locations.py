"""Delivery locations: the sourced country table, the tier of each location relative to the client, time-zone
overlap and shared working days, and the fit of each location for each process.

Time zones come from the IANA database (``zoneinfo``), so daylight saving is right on each date; public holidays
come from the maintained ``holidays`` package.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays as holidays_pkg
import numpy as np
import pandas as pd

from .reference import table

TIERS = ("onshore", "nearshore", "offshore")
#: EF EPI bands (0-800 scale since 2020), from EF's own band limits
EPI_BANDS = ((600, "very high"), (550, "high"), (500, "moderate"), (450, "low"), (0, "very low"))
#: how well a location can deliver in English, by band, as a 0-1 factor of the fit score
ENGLISH_FACTOR = {
    "native": 1.0,
    "official": 1.0,
    "very high": 1.0,
    "high": 0.9,
    "moderate": 0.75,
    "low": 0.5,
    "very low": 0.25,
    "not rated": 0.5,
}
BAND_ORDER = ["very low", "low", "not rated", "moderate", "high", "very high", "official", "native"]


def load_locations() -> pd.DataFrame:
    """The location reference table, one row per country (ISO 3166 alpha-2 in ``country``)."""
    df = table("locations")
    df["languages"] = df["business_languages"].str.split(";")
    for col in ("eu_eea", "data_protection_law", "eu_adequacy"):
        df[col] = df[col].eq("yes")
    df["english_band"] = [english_band(s, e) for s, e in zip(df["english_status"], df["english_epi"], strict=False)]
    return df.set_index("country", drop=False)


def english_band(status: str, epi: float | None) -> str:
    """``native``/``official`` where English is a native or official language, else the EF EPI band of the
    score, or ``not rated`` where no score was found."""
    if status in ("native", "official"):
        return status
    if epi is None or pd.isna(epi):
        return "not rated"
    return next(name for floor, name in EPI_BANDS if epi >= floor)


def main_language(country: str) -> str:
    """The first business language of ``country`` in the location table (ISO 639-1)."""
    locs = load_locations()
    if country not in locs.index:
        raise LookupError(
            f"home country {country} is not in data/reference/locations.csv, so its main "
            "language is unknown; set 'language' (ISO 639-1, e.g. 'en') in client.yaml"
        )
    return locs.at[country, "languages"][0]


# --- time zones and calendars --------------------------------------------------------------------------


def overlap_hours(client_zone: str, start: time, end: time, hub_zone: str, on: date) -> float:
    """Hours on date ``on`` when the client's working day and the hub's (same local hours, in the hub's zone)
    overlap. The hub's previous and next days count too: Sydney's Tuesday morning is New York's Monday evening."""
    cz, hz = ZoneInfo(client_zone), ZoneInfo(hub_zone)
    c0 = datetime.combine(on, start, cz)
    c1 = datetime.combine(on, end, cz)
    total = 0.0
    for shift in (-1, 0, 1):
        day = on + timedelta(days=shift)
        h0 = datetime.combine(day, start, hz)
        h1 = datetime.combine(day, end, hz)
        total += max(0.0, (min(c1, h1) - max(c0, h0)).total_seconds() / 3600)
    return total


def overlap_table(business_hours, countries: pd.DataFrame, year: int) -> pd.DataFrame:
    """Overlap hours with each location's hub in mid-January and mid-July of ``year``, and the smaller of
    the two (the one that a daylight-saving change makes worse)."""
    rows = []
    for c in countries.itertuples():
        jan = overlap_hours(
            business_hours.timezone, business_hours.start, business_hours.end, c.timezone, date(year, 1, 15)
        )
        jul = overlap_hours(
            business_hours.timezone, business_hours.start, business_hours.end, c.timezone, date(year, 7, 15)
        )
        rows.append({"country": c.country, "overlap_jan": jan, "overlap_jul": jul, "overlap_min": min(jan, jul)})
    return pd.DataFrame(rows)


def working_days(country: str, year: int) -> set[date]:
    """Working days of ``country`` in ``year``: its weekend and public holidays removed."""
    cal = holidays_pkg.country_holidays(country, years=year)
    weekend = getattr(cal, "weekend", {5, 6})
    day, out = date(year, 1, 1), set()
    while day.year == year:
        if day.weekday() not in weekend and day not in cal:
            out.add(day)
        day += timedelta(days=1)
    return out


def shared_working_days(home_country: str, countries: list[str], year: int) -> pd.Series:
    """Days in ``year`` that are working days both for the client and in each location."""
    home = working_days(home_country, year)
    return pd.Series({c: len(home & working_days(c, year)) for c in countries}, name="shared_working_days")


# --- tiers -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TierRule:
    """``onshore``: the client's own country; ``nearshore``: the same macro-region and at least
    ``nearshore_min_overlap`` hours of business-day overlap in both January and July; else ``offshore``."""

    nearshore_min_overlap: float = 4.0
    same_region_required: bool = True

    def describe(self) -> str:
        region = "the same macro-region (Americas, EMEA, APAC) and " if self.same_region_required else ""
        return (
            f"onshore = the client's home country; nearshore = {region}at least "
            f"{self.nearshore_min_overlap:g} hours of working-day overlap in January and July; "
            "offshore = everything else"
        )


def tiers(locations: pd.DataFrame, home_country: str, overlaps: pd.DataFrame, rule: TierRule = TierRule()) -> pd.Series:
    """The tier of each location in ``locations`` (indexed by country) relative to ``home_country``."""
    known = load_locations()
    home_region = known.at[home_country, "region"] if home_country in known.index else None
    ov = overlaps.set_index("country")["overlap_min"].reindex(locations.index)
    same_region = (locations["region"] == home_region) if rule.same_region_required else True
    near = same_region & (ov >= rule.nearshore_min_overlap)
    out = np.select([locations.index == home_country, near], ["onshore", "nearshore"], "offshore")
    return pd.Series(out, index=locations.index, name="tier")


def location_profile(client, candidates: list[str], year: int, rule: TierRule = TierRule()) -> pd.DataFrame:
    """One row per candidate location: hub, region, tier, overlap in January and July, shared working days,
    English band, languages, data-protection law and EU adequacy, with the row's sources."""
    known = load_locations()
    locs = known.loc[candidates]
    cfg = client.config
    ov = overlap_table(cfg.business_hours, locs, year)
    out = locs.drop(columns=["languages"]).reset_index(drop=True).merge(ov, on="country")
    out["tier"] = tiers(locs, cfg.home_country, ov, rule).values
    out["shared_working_days"] = shared_working_days(cfg.home_country, candidates, year).values
    home_eu = known.at[cfg.home_country, "eu_eea"] if cfg.home_country in known.index else False
    out["client_in_eu"] = home_eu
    cols = [
        "country",
        "country_name",
        "hub_city",
        "timezone",
        "region",
        "tier",
        "overlap_jan",
        "overlap_jul",
        "overlap_min",
        "shared_working_days",
        "english_band",
        "english_epi",
        "business_languages",
        "data_protection_law",
        "eu_eea",
        "eu_adequacy",
        "client_in_eu",
        "source",
        "year",
    ]
    return out[cols]


# --- fit -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FitRules:
    """What a location must offer a process. Defaults are the kit's; each is shown in the report."""

    #: data sensitivity at or above which the process never goes where data protection is inadequate
    sensitive_threshold: int = 5
    #: a sensitive process may go anywhere when the client says so in client.yaml
    allow_sensitive_offshore: bool = False
    #: overlap hours a back-office or knowledge process needs with the client's day for hand-offs
    min_overlap_back_office: float = 2.0
    #: lowest English band for customer-facing work delivered in English, and for other work. EF EPI is a
    #: national average of self-selected test takers and BPO hiring selects English speakers, so the gates
    #: exclude only the weakest bands
    min_english_front_office: str = "moderate"
    min_english_other: str = "low"


def required_overlap(processes: pd.DataFrame, day_hours: float, rules: FitRules) -> pd.Series:
    """Hours of overlap each process needs: none for 24x7 work (follow the sun); the whole client day for
    customer-facing business-hours or extended work; ``min_overlap_back_office`` for the rest."""
    front = processes["bpo_type"].eq("front_office")
    need = np.where(processes["coverage"].eq("24x7"), 0.0, np.where(front, day_hours, rules.min_overlap_back_office))
    return pd.Series(need, index=processes.index, name="required_overlap")


def fit(processes: pd.DataFrame, profile: pd.DataFrame, day_hours: float, rules: FitRules = FitRules()) -> pd.DataFrame:
    """Every process x location pair with its fit: ``fit`` (may go there), ``fit_score`` (0-1, the mean of the
    English, data-protection and time-zone factors), ``night_shift`` and ``fit_reason`` when it may not go.

    Gates: every language the process needs is a business language there; work delivered in English meets the
    minimum English band; a process with data sensitivity at or above the threshold never goes to a country
    without a comprehensive data-protection law, nor, for an EU/EEA client, outside the EU/EEA and the countries
    with an EU adequacy decision, unless ``allow_sensitive_offshore``. Time zone is not a gate: a process that
    needs more overlap than the hub's day gives is staffed on night shifts, which cost a premium in the business
    case and lower the fit score.
    """
    # computed as (process x location) arrays, not row by row: 100,000 processes x 25 locations stay quick
    n, m = len(processes), len(profile)
    loc = profile.reset_index(drop=True)
    need = required_overlap(processes, day_hours, rules).to_numpy(dtype=float)
    sens = processes["data_sensitivity"].to_numpy()
    front = processes["bpo_type"].eq("front_office").to_numpy()
    # English is judged by its proficiency band, every other language by the business-language list; few
    # distinct language lists exist, however many processes, so each is solved once per location
    lang_codes, lang_lists = pd.factorize(processes["languages"].astype(str))
    offered = [set(h.split(";")) for h in loc["business_languages"]]
    missing_kl = np.array(
        [[";".join(sorted(set(lst.split(";")) - o - {"en"})) for o in offered] for lst in lang_lists], dtype=object
    ).reshape(len(lang_lists), m)
    needs_en = np.array(["en" in lst.split(";") for lst in lang_lists], dtype=bool)[lang_codes]
    missing = missing_kl[lang_codes]  # n x m
    lang_ok = missing == ""
    rank = {b: i for i, b in enumerate(BAND_ORDER)}
    band_rank = loc["english_band"].map(rank).to_numpy()
    min_rank = np.where(front, rank[rules.min_english_front_office], rank[rules.min_english_other])
    english_ok = ~needs_en[:, None] | (band_rank[None, :] >= min_rank[:, None])
    onshore = loc["tier"].eq("onshore").to_numpy()
    protected = onshore | (
        loc["data_protection_law"].to_numpy()
        & (~loc["client_in_eu"].to_numpy() | loc["eu_eea"].to_numpy() | loc["eu_adequacy"].to_numpy())
    )
    sensitive = sens >= rules.sensitive_threshold
    protection_ok = rules.allow_sensitive_offshore | ~sensitive[:, None] | protected[None, :]
    overlap = loc["overlap_min"].to_numpy(dtype=float)
    english_factor = np.where(needs_en[:, None], loc["english_band"].map(ENGLISH_FACTOR).to_numpy()[None, :], 1.0)
    protection_factor = np.where(protected[None, :], 1.0, (1.0 - (sens - 1) / 8)[:, None])
    time_zone_factor = np.where(
        need[:, None] > 0, np.minimum(1.0, overlap[None, :] / np.where(need > 0, need, 1.0)[:, None]), 1.0
    )
    fit_ok = lang_ok & english_ok & protection_ok

    def flat_category(values, codes):
        return pd.Categorical.from_codes(codes.ravel(), categories=pd.Index(values))

    proc_idx = np.repeat(np.arange(n), m)
    loc_idx = np.tile(np.arange(m), n)
    pairs = pd.DataFrame(
        {
            "process_id": pd.Categorical.from_codes(proc_idx, categories=pd.Index(processes["process_id"].astype(str))),
            "data_sensitivity": np.repeat(sens, m),
            "required_overlap": np.repeat(need, m),
            "country": flat_category(loc["country"], loc_idx),
            "tier": pd.Categorical(loc["tier"].to_numpy()[loc_idx]),
            "overlap_min": overlap[loc_idx],
            "english_band": pd.Categorical(loc["english_band"].to_numpy()[loc_idx]),
            "missing_languages": pd.Categorical(missing.ravel()),
            "english_factor": english_factor.ravel(),
            "protection_factor": protection_factor.ravel(),
            "time_zone_factor": time_zone_factor.ravel(),
            "night_shift": (overlap[None, :] < need[:, None]).ravel(),
            "fit_score": ((english_factor + protection_factor + time_zone_factor) / 3).round(3).ravel(),
            "fit": fit_ok.ravel(),
        }
    )
    pairs["fit_reason"] = _fit_reasons(pairs, lang_ok.ravel(), english_ok.ravel(), protection_ok.ravel())
    return pairs


def _fit_reasons(pairs: pd.DataFrame, lang_ok, english_ok, protection_ok) -> pd.Categorical:
    """Why a location may not take a process, built once per distinct combination of causes."""
    bad = ~(lang_ok & english_ok & protection_ok)
    causes = pd.DataFrame(
        {
            "lang": ~lang_ok[bad],
            "english": ~english_ok[bad],
            "protection": ~protection_ok[bad],
            "missing": pairs["missing_languages"].to_numpy()[bad],
            "band": pairs["english_band"].to_numpy()[bad],
            "sens": pairs["data_sensitivity"].to_numpy()[bad],
        }
    )
    keys = list(causes.columns)
    distinct = causes.drop_duplicates().reset_index(drop=True)
    texts = []
    for r in distinct.itertuples(index=False):
        parts = []
        if r.lang:
            parts.append(f"needs {r.missing.replace(';', ', ')}, not a business language there")
        if r.english:
            parts.append(f"English proficiency {r.band} is below the minimum for this work")
        if r.protection:
            parts.append(f"data sensitivity {r.sens} needs adequate data protection, which this country lacks")
        texts.append("; ".join(parts))
    distinct["text"] = texts
    out = np.full(len(pairs), "", dtype=object)
    out[bad] = causes.merge(distinct, on=keys, how="left")["text"].to_numpy()
    return pd.Categorical(out)
