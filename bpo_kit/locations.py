"""Delivery locations: the sourced country table, the tier of each location relative to the client, time-zone
overlap and shared working days, and the fit of each location for each process.

Time zones come from the IANA database (``zoneinfo``), so daylight saving is right on each date; public holidays
come from the maintained ``holidays`` package.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays as holidays_pkg
import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator


def table(name: str) -> pd.DataFrame:
    # imported here: config.py imports this module for LocationSettings, and reference.py imports config
    from .reference import table as reference_table

    return reference_table(name)


def _optional_table(name: str) -> pd.DataFrame:
    """A reference table that may not be there yet (read without the provenance check of ``table``)."""
    return _read_optional(name).copy()


@cache
def _read_optional(name: str) -> pd.DataFrame:
    from .config import REFERENCE_DIR

    path = REFERENCE_DIR / f"{name}.csv"
    if not path.exists():
        return pd.DataFrame()
    return pd.read_csv(path, keep_default_na=False, na_values=[""], dtype={"year": str})


class LocationSettings(BaseModel):
    """The location settings a client may change in ``client.yaml`` under ``locations:``; every default is the
    kit's and shown in the report."""

    model_config = ConfigDict(extra="forbid")

    nearshore_max_utc_offset_hours: float = Field(
        default=3.0,
        ge=0,
        le=12,
        description="nearshore: largest difference of UTC offsets, January or July (LOCATIONS.md 7.2)",
    )
    nearshore_max_distance_km: float = Field(
        default=5000.0, gt=0, description="nearshore: largest great-circle distance between the hubs, km"
    )
    language_threshold: float = Field(
        default=0.05,
        ge=0,
        le=1,
        description="share of adults who speak a language at which a hub can staff work in it",
    )
    pillar_weights: dict[str, float] = Field(
        default_factory=lambda: {"cost": 35.0, "talent": 25.0, "business_environment": 25.0, "digital": 15.0},
        description="weights of the attractiveness pillars (Kearney GSLI 2021: 35/25/25/15)",
    )
    headcount_log10_bounds: tuple[float, float] = Field(
        default=(3.0, 7.0),
        description="sector headcount scored 0 at 10^low and 100 at 10^high people (log10 scale)",
    )
    cost_usd_bounds: tuple[float, float] = Field(
        default=(3000.0, 150000.0),
        description="employer cost per FTE-year scored 100 at the low bound and 0 at the high one (log scale)",
    )

    hours_per_fte_year: dict[str, float] = Field(
        default_factory=dict,
        description="hours per FTE-year by country (ISO code), replacing the sourced figure in reference prices",
    )
    employer_oncost_share: dict[str, float] = Field(
        default_factory=dict,
        description="employer on-costs as a share of wages by country, replacing the sourced figure",
    )

    def cost_assumptions(self):
        """The client's overrides of the labour-cost derivation (``labour_costs.CostAssumptions``)."""
        from .labour_costs import CostAssumptions

        return CostAssumptions(
            hours={c.upper(): (h, h, h) for c, h in self.hours_per_fte_year.items()},
            oncosts={c.upper(): (o, o, o) for c, o in self.employer_oncost_share.items()},
        )

    @field_validator("pillar_weights")
    @classmethod
    def _weights(cls, v: dict[str, float]) -> dict[str, float]:
        known = ("cost", "talent", "business_environment", "digital")
        unknown = [k for k in v if k not in known]
        if unknown:
            raise ValueError(f"unknown pillar(s) {', '.join(unknown)}; expected some of {', '.join(known)}")
        if any(w < 0 for w in v.values()) or not sum(v.values()) > 0:
            raise ValueError("expected weights of zero or more, not all zero")
        return v

    shortlist_per_tier: int = Field(
        default=4, ge=3, le=20, description="default candidates: the most attractive this many per tier"
    )


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
    # English is a language of government and business there and BPO hiring selects English speakers, but no
    # score measures it: the kit ranks it with "moderate" (a kit choice, shown in the report)
    "official, not rated": 0.75,
}
BAND_ORDER = ["very low", "low", "not rated", "moderate", "official, not rated", "high", "very high", "native"]


def load_locations() -> pd.DataFrame:
    """The location reference table, one row per country (ISO 3166 alpha-2 in ``country``), with the hub's
    coordinates where ``hubs.csv`` has them and the EF EPI score from ``language_pools.csv`` where the
    location table has none."""
    df = table("locations")
    df["languages"] = df["business_languages"].str.split(";")
    for col in ("eu_eea", "data_protection_law", "eu_adequacy"):
        df[col] = df[col].eq("yes")
    pools = _optional_table("language_pools")
    if len(pools) and "epi_score" in pools.columns:
        epi = pd.to_numeric(pools["epi_score"], errors="coerce")
        epi = epi.groupby(pools["country"]).max()
        df["english_epi"] = pd.to_numeric(df["english_epi"], errors="coerce").fillna(df["country"].map(epi))
    df["english_band"] = [english_band(s, e) for s, e in zip(df["english_status"], df["english_epi"], strict=False)]
    hubs = _optional_table("hubs")
    if len(hubs):
        h = hubs.drop_duplicates("country").set_index("country")
        df["latitude"] = pd.to_numeric(df["country"].map(h["latitude"]), errors="coerce")
        df["longitude"] = pd.to_numeric(df["country"].map(h["longitude"]), errors="coerce")
    else:
        df["latitude"] = np.nan
        df["longitude"] = np.nan
    return df.set_index("country", drop=False)


def english_band(status: str, epi: float | None) -> str:
    """``native`` where English is the native language; elsewhere the EF EPI band of the score, even where
    English is an official language (an official language is not a workforce's proficiency); ``official,
    not rated`` where English is official and EF publishes no score, ``not rated`` otherwise."""
    if status == "native":
        return status
    if epi is None or pd.isna(epi):
        return "official, not rated" if status == "official" else "not rated"
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


# --- tiers ---------------------------------------------------------------------------------------------


EARTH_RADIUS_KM = 6371.0


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points (haversine, mean Earth radius 6,371 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def utc_offset_hours(zone: str, on: date) -> float:
    """The UTC offset of ``zone`` at noon on ``on``, in hours (daylight saving included)."""
    off = datetime.combine(on, time(12), ZoneInfo(zone)).utcoffset()
    return off.total_seconds() / 3600 if off is not None else 0.0


def offset_gap(zone_a: str, zone_b: str, year: int) -> float:
    """The larger of the January and July differences of UTC offset between two zones, in hours."""
    return max(
        abs(utc_offset_hours(zone_a, date(year, m, 15)) - utc_offset_hours(zone_b, date(year, m, 15))) for m in (1, 7)
    )


@dataclass(frozen=True)
class TierRule:
    """``onshore``: the client's own country. ``nearshore``: another country whose hub is within
    ``max_utc_offset_hours`` of the client's time zone in both January and July AND within ``max_distance_km``
    of the client's home hub (great circle). ``offshore``: everything else. The rule is LOCATIONS.md 7.2: the
    sources define nearshore by time-zone and geographic proximity; the two thresholds are the kit's and
    parameters. A shared language is a separate flag (``language_affinity``), not a tier."""

    max_utc_offset_hours: float = 3.0
    max_distance_km: float = 5000.0

    @classmethod
    def from_settings(cls, settings: LocationSettings) -> TierRule:
        return cls(settings.nearshore_max_utc_offset_hours, settings.nearshore_max_distance_km)

    def describe(self) -> str:
        return (
            "onshore = the client's home country; nearshore = a hub whose UTC offset differs from the client's "
            f"by at most {self.max_utc_offset_hours:g} hours in January and July and that lies within "
            f"{self.max_distance_km:,.0f} km of the client's home hub; offshore = everything else"
        )


def tier_of(is_home: bool, gap_hours: float, distance: float | None, rule: TierRule = TierRule()) -> str:
    """The tier of one location from its offset gap (hours) and hub distance (km; None when unknown, then
    the time zone alone decides)."""
    if is_home:
        return "onshore"
    near_km = distance is None or pd.isna(distance) or distance <= rule.max_distance_km
    return "nearshore" if gap_hours <= rule.max_utc_offset_hours and near_km else "offshore"


def tiers(
    locations: pd.DataFrame, home_country: str, client_zone: str, year: int, rule: TierRule = TierRule()
) -> pd.DataFrame:
    """For each location in ``locations`` (indexed by country): ``offset_gap_hours``, ``distance_km`` from the
    home country's hub, and ``tier`` relative to ``home_country``."""
    known = load_locations()
    home = known.loc[home_country] if home_country in known.index else None
    rows = []
    for c, loc in locations.iterrows():
        gap = offset_gap(client_zone, loc["timezone"], year)
        dist = np.nan
        if home is not None and pd.notna(home["latitude"]) and pd.notna(loc.get("latitude", np.nan)):
            dist = distance_km(home["latitude"], home["longitude"], loc["latitude"], loc["longitude"])
        rows.append(
            {
                "country": c,
                "offset_gap_hours": gap,
                "distance_km": dist,
                "tier": tier_of(c == home_country, gap, dist, rule),
            }
        )
    return pd.DataFrame(rows).set_index("country")


def empty_tier_notes(home_country: str, client_zone: str, year: int, rule: TierRule = TierRule()) -> list[str]:
    """A sentence for each of the nearshore and offshore tiers that no reference location falls in for this
    client, naming the closest location that misses it (an Australian client has no reference location within
    5,000 km and 3 hours, so the nearest miss is named and the client may widen the rule)."""
    known = load_locations()
    t = tiers(known, home_country, client_zone, year, rule).drop(index=home_country, errors="ignore")
    notes = []
    if not (t["tier"] == "nearshore").any():
        tz_ok = t[t["offset_gap_hours"] <= rule.max_utc_offset_hours].sort_values("distance_km")
        if len(tz_ok):
            c = tz_ok.index[0]
            notes.append(
                f"No reference location is nearshore for this client: the nearest within "
                f"{rule.max_utc_offset_hours:g} hours is {known.at[c, 'hub_city']} ({c}) at "
                f"{tz_ok.at[c, 'distance_km']:,.0f} km, beyond the {rule.max_distance_km:,.0f} km limit."
            )
        else:
            notes.append("No reference location is nearshore for this client.")
    if not (t["tier"] == "offshore").any():
        notes.append("No reference location is offshore for this client.")
    return notes


def language_affinity(locations: pd.DataFrame, client_language: str, threshold: float) -> pd.Series:
    """True where the client's main language is a business language of the location or a language its hub
    can staff (``language_pools``): Spain to Latin America is a linguistic nearshore whatever the tier."""
    served = languages_served(threshold)
    out = [
        client_language in loc["business_languages"].split(";") or client_language in served.get(c, set())
        for c, loc in locations.iterrows()
    ]
    return pd.Series(out, index=locations.index, name="language_affinity")


def location_profile(
    client, candidates: list[str], year: int, rule: TierRule = TierRule(), settings: LocationSettings | None = None
) -> pd.DataFrame:
    """One row per candidate location: hub, region, tier (with the offset gap and hub distance behind it),
    overlap in January and July, shared working days, English band, languages it can staff, data-protection
    law and EU adequacy, with the row's sources."""
    settings = settings or LocationSettings()
    known = load_locations()
    locs = known.loc[candidates]
    cfg = client.config
    ov = overlap_table(cfg.business_hours, locs, year)
    out = locs.drop(columns=["languages"]).reset_index(drop=True).merge(ov, on="country")
    t = tiers(locs, cfg.home_country, cfg.business_hours.timezone, year, rule)
    out = out.merge(t.reset_index(), on="country")
    out["shared_working_days"] = shared_working_days(cfg.home_country, candidates, year).values
    home_eu = known.at[cfg.home_country, "eu_eea"] if cfg.home_country in known.index else False
    out["client_in_eu"] = home_eu
    served = languages_served(settings.language_threshold)
    out["languages_served"] = [
        ";".join(sorted(set(bl.split(";")) | served.get(c, set())))
        for c, bl in zip(out["country"], out["business_languages"], strict=True)
    ]
    lang = cfg.language or (known.at[cfg.home_country, "languages"][0] if cfg.home_country in known.index else "en")
    out["language_affinity"] = language_affinity(locs, lang, settings.language_threshold).to_numpy()
    cols = [
        "country",
        "country_name",
        "hub_city",
        "timezone",
        "region",
        "tier",
        "offset_gap_hours",
        "distance_km",
        "language_affinity",
        "overlap_jan",
        "overlap_jul",
        "overlap_min",
        "shared_working_days",
        "english_band",
        "english_epi",
        "business_languages",
        "languages_served",
        "data_protection_law",
        "eu_eea",
        "eu_adequacy",
        "client_in_eu",
        "source",
        "year",
    ]
    return out[cols]


# --- language talent pools -------------------------------------------------------------------------------

#: bases of a language share in language_pools.csv, best evidence first
POOL_BASES = ("native_official", "named_hub", "eurobarometer", "cldr", "ef_epi")


def language_pools(threshold: float = 0.05) -> pd.DataFrame:
    """Every sourced (country, language) pair with its share of adults, basis and source, and ``serves``:
    whether a hub there can staff work in that language. A named language hub serves it whatever the share;
    otherwise the share (Eurobarometer first, then CLDR via babel) must reach ``threshold``. English is judged
    by its EF EPI score elsewhere, so English rows never serve here. Pairs with no evidence are absent, never
    zero."""
    pools = _optional_table("language_pools")
    cols = ["country", "language", "share", "basis", "serves", "source", "year", "confidence"]
    if pools.empty:
        return pd.DataFrame(columns=cols)
    pools["share"] = pd.to_numeric(pools["share"], errors="coerce")
    # shares may be written as percentages
    pools.loc[pools["share"] > 1, "share"] = pools.loc[pools["share"] > 1, "share"] / 100
    pools = pools[pools["language"].ne("en") | pools["basis"].ne("ef_epi")]
    pools["_rank"] = pools["basis"].map({b: i for i, b in enumerate(POOL_BASES)}).fillna(len(POOL_BASES))
    named = pools[pools["basis"].eq("named_hub")].assign(serves=True)
    measured = pools[pools["basis"].ne("named_hub")].sort_values("_rank", kind="stable")
    # the best basis for each pair decides (Eurobarometer over CLDR)
    measured = measured.drop_duplicates(["country", "language"]).copy()
    measured["serves"] = measured["share"].ge(threshold) & measured["language"].ne("en")
    out = pd.concat([named, measured], ignore_index=True)
    out["serves"] = out["serves"].astype(bool)
    out = out.sort_values(["country", "language", "serves"], ascending=[True, True, False], kind="stable")
    return out[cols].reset_index(drop=True)


def languages_served(threshold: float = 0.05) -> dict[str, set[str]]:
    """The languages each country's hub can staff by its language pool (business languages aside)."""
    p = language_pools(threshold)
    p = p[p["serves"]]
    return {c: set(g["language"]) for c, g in p.groupby("country")}


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
    served_col = "languages_served" if "languages_served" in loc.columns else "business_languages"
    offered = [set(h.split(";")) for h in loc[served_col]]
    missing_kl = np.array(
        [[";".join(sorted(set(lst.split(";")) - o - {"en"})) for o in offered] for lst in lang_lists], dtype=object
    ).reshape(len(lang_lists), m)
    needs_en = np.array(["en" in lst.split(";") for lst in lang_lists], dtype=bool)[lang_codes]
    missing = missing_kl[lang_codes]  # n x m
    lang_ok = missing == ""
    rank = {b: i for i, b in enumerate(BAND_ORDER)}
    rank["official, not rated"] = rank["moderate"]
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
            parts.append(f"needs {r.missing.replace(';', ', ')}, which no sourced language pool there supports")
        if r.english:
            parts.append(f"English proficiency {r.band} is below the minimum for this work")
        if r.protection:
            parts.append(f"data sensitivity {r.sens} needs adequate data protection, which this country lacks")
        texts.append("; ".join(parts))
    distinct["text"] = texts
    out = np.full(len(pairs), "", dtype=object)
    out[bad] = causes.merge(distinct, on=keys, how="left")["text"].to_numpy()
    return pd.Categorical(out)


# --- default candidates -----------------------------------------------------------------------------------


def default_candidates(
    home_country: str,
    client_zone: str,
    year: int,
    settings: LocationSettings | None = None,
    languages: set[str] | None = None,
    priced: set[str] | None = None,
) -> pd.DataFrame:
    """The locations a client is assessed on when it names none: its home country (onshore), and in each of
    the nearshore and offshore tiers the ``shortlist_per_tier`` most attractive locations with a reference
    price (``priced``), plus, for each language other than English the client's work needs (``languages``),
    and for all of them together when there are several, the ``shortlist_per_tier`` most attractive locations
    of each tier that can staff it, priced or not (one without a price is listed as needing a quote). A location
    whose mean reference employer cost is above the home country's is left out: work moved there would cost
    more. (A location priced only by the client's rate card stays in.) One row per candidate: ``country``, ``tier``,
    ``attractiveness`` and ``why``."""
    from .labour_costs import covered_countries
    from .location_index import location_index

    settings = settings or LocationSettings()
    known = load_locations()
    priced = covered_countries() if priced is None else priced
    index = location_index(
        list(known.index),
        weights=settings.pillar_weights,
        headcount_log10_bounds=settings.headcount_log10_bounds,
        cost_usd_bounds=settings.cost_usd_bounds,
    ).set_index("country")
    t = tiers(known, home_country, client_zone, year, TierRule.from_settings(settings))
    served = languages_served(settings.language_threshold)
    rows = []
    if home_country in known.index:
        rows.append({"country": home_country, "tier": "onshore", "why": "the client's home country"})
    # a location dearer than the client's own country is no destination for moving work to save money
    from .labour_costs import reference_table

    ref = reference_table().groupby("country")["cost_mid_usd"].mean()
    cheaper = ref.index if pd.isna(ref.get(home_country)) else ref.index[ref < ref[home_country]]
    for tier in ("nearshore", "offshore"):
        pool = index[
            index.index.isin(t.index[t["tier"] == tier])
            & index.index.isin(priced)
            & (index.index.isin(cheaper) | ~index.index.isin(ref.dropna().index))
        ]
        # location_index's order: rows with every pillar first, then by attractiveness
        n = settings.shortlist_per_tier
        rows += [
            {"country": c, "tier": tier, "why": f"among the {n} most attractive priced {tier} locations"}
            for c in pool.index[:n]
        ]
        # a language hub with no reference price still makes the list: the report shows it as needing a quote
        lang_pool = index[
            index.index.isin(t.index[t["tier"] == tier])
            & (index.index.isin(cheaper) | ~index.index.isin(ref.dropna().index))
        ]
        needed = sorted((languages or set()) - {"en"})
        # each language on its own, and, when the work needs several, all of them at once: work in two
        # languages needs a hub that speaks both, which the best hubs for each one alone may not be
        groups = [[lang] for lang in needed] + ([needed] if len(needed) > 1 else [])
        for group in groups:
            can = [
                c
                for c in lang_pool.index
                if all(
                    lang in known.at[c, "business_languages"].split(";") or lang in served.get(c, set())
                    for lang in group
                )
            ]
            label = " and ".join(group)
            rows += [
                {"country": c, "tier": tier, "why": f"among the {n} most attractive {tier} hubs for {label}"}
                for c in can[:n]
            ]
    out = pd.DataFrame(rows, columns=["country", "tier", "why"])
    out = out.groupby(["country", "tier"], sort=False)["why"].agg("; ".join).reset_index()
    out["attractiveness"] = out["country"].map(index["attractiveness"])
    return out


# --- work that must stay on site ---------------------------------------------------------------------------

#: the share of a process's work that needs people on site when the inventory does not say (none)
DEFAULT_ONSITE_SHARE = 0.0


def onsite_shares(processes: pd.DataFrame) -> pd.Series:
    """``onsite_share`` of each process (0-1: the share of the work that needs people on site, e.g. mailroom
    or desktop support), ``DEFAULT_ONSITE_SHARE`` where the inventory has no such column or leaves it blank."""
    if "onsite_share" not in processes.columns:
        return pd.Series(DEFAULT_ONSITE_SHARE, index=processes.index, name="onsite_share")
    s = pd.to_numeric(processes["onsite_share"], errors="coerce").fillna(DEFAULT_ONSITE_SHARE).clip(0, 1)
    return s.rename("onsite_share")


def apply_onsite_share(costs: pd.DataFrame, processes: pd.DataFrame) -> pd.DataFrame:
    """Each process x location pair with the on-site share kept onshore: for a nearshore or offshore pair
    only ``1 - onsite_share`` of the process's FTE, cost and price moves (the rest stays where it is, at
    today's cost, so it neither saves nor costs anything); an onshore pair moves all of it."""
    share = onsite_shares(processes)
    if not share.any():
        return costs.assign(moved_share=1.0)
    by_id = pd.Series(share.to_numpy(), index=processes["process_id"].astype(str))
    s = costs["process_id"].astype(str).map(by_id).fillna(0.0).to_numpy()
    onshore = costs["tier"].astype(str).eq("onshore").to_numpy()
    moved = np.where(onshore, 1.0, 1.0 - s)
    out = costs.copy()
    for col in ("fte", "annual_cost", "provider_cost", "provider_low", "provider_high"):
        if col in out.columns:
            out[col] = out[col].to_numpy(dtype=float) * moved
    out["moved_share"] = moved
    return out


# --- reasons a consultant can act on -------------------------------------------------------------------------


def gate_failures(evaluated: pd.DataFrame, plan: pd.DataFrame) -> pd.DataFrame:
    """For each process recommended for moving that got no location: every candidate and the gate it failed
    there (``gate``: language/English/data protection, ``price``, ``savings``) with the reason in words."""
    unplaced = plan.loc[plan["recommended_location"].isna(), ["process_id", "role_family"]]
    e = evaluated[evaluated["process_id"].astype(str).isin(set(unplaced["process_id"].astype(str)))]
    role = dict(zip(unplaced["process_id"].astype(str), unplaced["role_family"].astype(str), strict=False))
    rows = []
    for r in e.itertuples(index=False):
        pid, c = str(r.process_id), str(r.country)
        if not r.fit:
            rows.append({"process_id": pid, "country": c, "gate": "fit", "reason": str(r.fit_reason)})
        elif pd.isna(r.provider_cost):
            rf = role.get(pid, "").replace("_", " ")
            rows.append(
                {
                    "process_id": pid,
                    "country": c,
                    "gate": "price",
                    "reason": f"no price for {rf} in {c}: needs a quote",
                }
            )
        elif not r.npv > 0:
            rows.append(
                {"process_id": pid, "country": c, "gate": "savings", "reason": "does not save money over the contract"}
            )
    return pd.DataFrame(rows, columns=["process_id", "country", "gate", "reason"])


def explain_unplaced(plan: pd.DataFrame, evaluated: pd.DataFrame) -> pd.DataFrame:
    """``plan`` with the ``location_reason`` of each process that got no location rewritten to name, for each
    candidate, the gate it failed: "EG: no price for contact centre agent in EG: needs a quote; IN, PH: needs
    de, which no sourced language pool there supports"."""
    fails = gate_failures(evaluated, plan)
    if fails.empty:
        return plan
    grouped = fails.groupby(["process_id", "reason"], sort=False)["country"].agg(lambda c: ", ".join(sorted(c)))
    text = (
        grouped.reset_index()
        .groupby("process_id", sort=False)
        .apply(
            lambda g: "; ".join(f"{cs}: {why}" for why, cs in zip(g["reason"], g["country"], strict=True)),
            include_groups=False,
        )
    )
    out = plan.copy()
    pid = out["process_id"].astype(str)
    mask = out["recommended_location"].isna() & pid.isin(text.index)
    out.loc[mask, "location_reason"] = "no location: " + pid[mask].map(text)
    return out
