from datetime import date, time

import numpy as np
import pandas as pd
import pytest
from conftest import make_client

from bpo_kit import locations as L
from bpo_kit.client import load_client
from bpo_kit.config import CLIENT_FILE, REFERENCE_DIR


def client_in(tmp_path, country, zone, currency="USD", extra=""):
    folder = make_client(tmp_path / country, [], extra_yaml=extra)
    text = (folder / CLIENT_FILE).read_text().replace("home_country: US", f"home_country: {country}")
    text = text.replace("America/New_York", zone).replace("currency: USD", f"currency: {currency}")
    (folder / CLIENT_FILE).write_text(text)
    return load_client(folder)


def test_every_reference_row_has_a_source_and_a_year():
    for path in sorted(REFERENCE_DIR.glob("*.csv")):
        df = pd.read_csv(path, keep_default_na=False, dtype=str)
        assert (df["source"].str.strip() != "").all(), path.name
        # a row that records a search that found nothing carries no figure, so no year either
        found = ~df.get("confidence", pd.Series("", index=df.index)).str.contains("NOT FOUND")
        if "year" in df.columns:
            ok = df.loc[found, "year"].str.fullmatch(r"(19|20)\d\d|n\.d\.")
            assert ok.all(), f"{path.name} rows {[i + 2 for i in ok.index[~ok]]}: year blank; expected YYYY or n.d."
        for date_col in ("date", "changeover_date"):  # exchange rates are dated to the day
            if date_col in df.columns:
                dated = df.loc[found, date_col]
                assert dated.str.fullmatch(r"(19|20)\d\d-\d\d-\d\d|").all(), path.name
        # hubs.csv holds coordinates, which have a source but no vintage


def test_location_table_covers_destinations_and_home_countries():
    locs = L.load_locations()
    assert len(locs) >= 25
    assert {"US", "GB", "DE", "FR", "NL", "CA", "AU"} <= set(locs.index)
    assert {"APAC", "Americas", "EMEA"} == set(locs["region"])
    # English is judged by the EF EPI score even where it is an official language (PH 570 = high)
    assert locs.at["PH", "english_band"] == "high" and locs.at["MX", "english_band"] == "low"
    assert locs.at["US", "english_band"] == "native"
    assert locs.at["PL", "english_band"] == "high" and locs.at["CR", "english_band"] == "moderate"


def test_tiers_for_a_us_client(tmp_path):
    client = client_in(tmp_path, "US", "America/New_York")
    prof = L.location_profile(client, ["US", "MX", "PH"], 2026).set_index("country")
    assert prof["tier"].to_dict() == {"US": "onshore", "MX": "nearshore", "PH": "offshore"}


def test_tiers_for_a_german_client(tmp_path):
    client = client_in(tmp_path, "DE", "Europe/Berlin", "EUR")
    prof = L.location_profile(client, ["DE", "PL", "IN"], 2026).set_index("country")
    assert prof["tier"].to_dict() == {"DE": "onshore", "PL": "nearshore", "IN": "offshore"}


def test_overlap_follows_daylight_saving():
    # New York 08:00-20:00 against Manila's same local hours: Manila's next morning starts at 00:00 UTC, which
    # is 19:00 in New York in January (EST) but 20:00 in July (EDT, Manila has no DST)
    assert L.overlap_hours("America/New_York", time(8), time(20), "Asia/Manila", date(2026, 1, 15)) == 1.0
    assert L.overlap_hours("America/New_York", time(8), time(20), "Asia/Manila", date(2026, 7, 15)) == 0.0
    # New York and London: 5 hours apart except between the US and the UK clock changes
    assert L.overlap_hours("America/New_York", time(9), time(17), "Europe/London", date(2026, 1, 15)) == 3.0
    assert L.overlap_hours("America/New_York", time(9), time(17), "Europe/London", date(2026, 3, 20)) == 4.0


def test_shared_working_days_remove_both_sides_holidays():
    us = L.working_days("US", 2026)
    assert date(2026, 7, 3) not in us  # Independence Day observed (the 4th is a Saturday)
    shared = L.shared_working_days("US", ["PH", "US"], 2026)
    assert shared["US"] == len(us)
    assert shared["PH"] < len(us)
    assert shared["PH"] == len(us & L.working_days("PH", 2026))


def sensitive(pid="S", sens=5, lang="en", bpo="back_office"):
    return pd.DataFrame(
        [
            {
                "process_id": pid,
                "languages": lang,
                "coverage": "business_hours",
                "bpo_type": bpo,
                "data_sensitivity": sens,
            }
        ]
    )


def test_sensitive_work_never_goes_where_protection_is_inadequate(tmp_path):
    us = client_in(tmp_path, "US", "America/New_York")
    prof = L.location_profile(us, ["US", "PK", "PH"], 2026)
    f = L.fit(sensitive(), prof, 8.0).set_index("country")
    assert f["fit"].to_dict() == {"US": True, "PK": False, "PH": True}
    assert "needs adequate data protection" in f.at["PK", "fit_reason"]
    de = client_in(tmp_path, "DE", "Europe/Berlin", "EUR")
    prof = L.location_profile(de, ["PL", "PH", "AR"], 2026)
    f = L.fit(sensitive(), prof, 8.0).set_index("country")
    assert f["fit"].to_dict() == {"PL": True, "PH": False, "AR": True}  # EU client: EU/EEA or adequacy only
    f = L.fit(sensitive(), prof, 8.0, L.FitRules(allow_sensitive_offshore=True)).set_index("country")
    assert f["fit"].all()


def test_languages_and_english_gates(tmp_path):
    us = client_in(tmp_path, "US", "America/New_York")
    prof = L.location_profile(us, ["MX", "PH", "CR"], 2026)
    f = L.fit(sensitive(sens=2, lang="en;es", bpo="front_office"), prof, 8.0).set_index("country")
    assert f.at["PH", "fit_reason"] == "needs es, which no sourced language pool there supports"
    assert f.at["MX", "fit_reason"] == "English proficiency low is below the minimum for this work"
    assert bool(f.at["CR", "fit"]) is True
    assert bool(f.at["CR", "night_shift"]) is True  # 7 hours of overlap in July, a customer day of 8


def test_follow_the_sun_needs_no_overlap(tmp_path):
    us = client_in(tmp_path, "US", "America/New_York")
    prof = L.location_profile(us, ["PH"], 2026)
    p = sensitive(sens=2).assign(coverage="24x7")
    f = L.fit(p, prof, 8.0).iloc[0]
    assert f["required_overlap"] == 0 and not f["night_shift"] and f["time_zone_factor"] == 1.0


# hub coordinates (degrees) of the worked examples in LOCATIONS.md 7.2
LONDON, KRAKOW, CAPE_TOWN = (51.5074, -0.1278), (50.0647, 19.9450), (-33.9249, 18.4241)
NEW_YORK, BOGOTA = (40.7128, -74.0060), (4.7110, -74.0721)


def test_nearshore_is_time_zone_and_distance():
    # London -> Krakow: 1 hour apart, 1,415 km: nearshore
    assert L.offset_gap("Europe/London", "Europe/Warsaw", 2026) == 1.0
    assert round(L.distance_km(*LONDON, *KRAKOW)) == pytest.approx(1415, abs=5)
    assert L.tier_of(False, 1.0, L.distance_km(*LONDON, *KRAKOW)) == "nearshore"
    # London -> Cape Town: the time zone passes (2 h in January, 1 h in July) but 9,671 km does not
    assert L.offset_gap("Europe/London", "Africa/Johannesburg", 2026) == 2.0
    assert round(L.distance_km(*LONDON, *CAPE_TOWN)) == pytest.approx(9671, abs=10)
    assert L.tier_of(False, 2.0, L.distance_km(*LONDON, *CAPE_TOWN)) == "offshore"
    # New York -> Bogota: 0 h in January, 1 h in July, 4,015 km: nearshore
    assert L.offset_gap("America/New_York", "America/Bogota", 2026) == 1.0
    assert L.tier_of(False, 1.0, L.distance_km(*NEW_YORK, *BOGOTA)) == "nearshore"
    # the thresholds are parameters: a 3,000 km cap makes Bogota offshore for New York
    rule = L.TierRule(max_distance_km=3000)
    assert L.tier_of(False, 1.0, L.distance_km(*NEW_YORK, *BOGOTA), rule) == "offshore"
    assert L.TierRule.from_settings(L.LocationSettings(nearshore_max_utc_offset_hours=2)).max_utc_offset_hours == 2


def test_language_pools_let_german_work_go_where_the_evidence_says():
    pools = L.language_pools(0.05)
    served = pools[pools["serves"] & pools["language"].eq("de")]["country"]
    # Poland 19% and Bulgaria 8% of the population (CLDR), Czechia a named German-speaking hub (ABSL)
    assert {"PL", "BG", "CZ"} <= set(served)
    # no evidence for German in Portugal or Morocco: absent, never assumed
    assert not {"PT", "MA"} & set(served)
    # a higher threshold drops Bulgaria (8%) but keeps the named hub Czechia whatever its share
    strict = L.language_pools(0.10)
    strict_de = set(strict[strict["serves"] & strict["language"].eq("de")]["country"])
    assert "BG" not in strict_de and "CZ" in strict_de
    assert "fr" in L.languages_served(0.05)["MA"]  # named French hub


def test_english_uses_the_epi_score_never_official_status():
    assert L.english_band("official", 570) == "high"
    assert L.english_band("official", None) == "official, not rated"
    assert L.english_band("native", None) == "native"
    assert L.english_band("foreign", 459) == "low"


def test_onsite_share_keeps_that_share_onshore():
    procs = pd.DataFrame({"process_id": ["P1", "P2"], "onsite_share": [0.25, None]})
    costs = pd.DataFrame(
        {
            "process_id": ["P1", "P1", "P2"],
            "tier": ["onshore", "offshore", "offshore"],
            "fte": [10.0, 10.0, 4.0],
            "annual_cost": [1000.0, 1000.0, 400.0],
            "provider_cost": [900.0, 300.0, 100.0],
        }
    )
    out = L.apply_onsite_share(costs, procs)
    assert out["moved_share"].tolist() == [1.0, 0.75, 1.0]
    assert out["fte"].tolist() == [10.0, 7.5, 4.0] and out["provider_cost"].tolist() == [900.0, 225.0, 100.0]
    # no column: nothing stays (the documented default 0)
    assert L.apply_onsite_share(costs, procs.drop(columns="onsite_share"))["fte"].tolist() == [10.0, 10.0, 4.0]


def test_unplaced_processes_say_which_gate_failed_where():
    plan = pd.DataFrame(
        {
            "process_id": ["P1", "P2"],
            "role_family": ["contact_centre_agent", "it_support"],
            "recommended_location": [None, "PL"],
            "location_reason": ["no candidate location fits", "placed"],
        }
    )
    ev = pd.DataFrame(
        {
            "process_id": ["P1", "P1", "P1", "P2"],
            "country": ["IN", "EG", "US", "PL"],
            "fit": [False, True, True, True],
            "fit_reason": ["needs de, which no sourced language pool there supports", "", "", ""],
            "provider_cost": [np.nan, np.nan, 100.0, 50.0],
            "npv": [np.nan, np.nan, -5.0, 10.0],
        }
    )
    out = L.explain_unplaced(plan, ev).set_index("process_id")["location_reason"]
    assert out["P1"] == (
        "no location: IN: needs de, which no sourced language pool there supports; "
        "EG: no price for contact centre agent in EG: needs a quote; "
        "US: does not save money over the contract"
    )
    assert out["P2"] == "placed"


def client_without_rate_card(tmp_path, country, zone, currency, language="en"):
    from bpo_kit.assessment import assess

    folder = make_client(tmp_path / country, None)
    text = (folder / CLIENT_FILE).read_text().replace("home_country: US", f"home_country: {country}")
    (folder / CLIENT_FILE).write_text(text.replace("America/New_York", zone).replace("USD", currency))
    if language != "en":
        inv = pd.read_csv(folder / "inventory.csv", dtype=str)
        inv["languages"] = inv["languages"].str.replace(r"\ben\b", language, regex=True)
        inv.to_csv(folder / "inventory.csv", index=False)
    return assess(folder)


@pytest.mark.parametrize(
    "country, zone, currency, language, nearshore",
    [
        # German work goes to the most attractive hubs whose pools speak German; Morocco, priced from what its
        # call centres pay (MAD 4,000-6,000 a month) rather than from its national median, now ranks below Romania
        ("DE", "Europe/Berlin", "EUR", "de", {"BG", "CZ", "PL", "PT", "RO"}),
        ("GB", "Europe/London", "GBP", "en", {"PT", "ES", "CZ", "RO"}),
        ("US", "America/New_York", "USD", "en", {"MX", "CO", "CR"}),
        # no reference country is within 5,000 km and 3 hours of Sydney (Manila: 6,260 km)
        ("AU", "Australia/Sydney", "AUD", "en", set()),
    ],
)
def test_a_client_without_rate_card_gets_priced_options_in_every_tier(
    tmp_path, country, zone, currency, language, nearshore
):
    a = client_without_rate_card(tmp_path, country, zone, currency, language)
    tiers_ = a.profile.set_index("country")["tier"]
    assert tiers_[country] == "onshore"
    assert nearshore <= set(tiers_[tiers_ == "nearshore"].index)
    assert (tiers_ == "offshore").sum() >= 4
    # every candidate has a sourced reference price for every role family, the home country included, or is
    # listed as needing a quote (a language hub with no published cost)
    priced = a.prices.groupby("country").size().reindex(tiers_.index)
    quotes = a.needs_a_quote().groupby("country").size().reindex(tiers_.index)
    assert (priced.fillna(0) + quotes.fillna(0) == 5).all()
    assert priced[country] == 5 and (priced[tiers_ == "offshore"] == 5).sum() >= 4
    assert all((priced[tiers_ == "nearshore"] == 5).get(c, False) for c in nearshore)
    assert a.prices["source"].str.len().gt(0).all()
    # "most of their movable processes get a recommended location" (issue 12); the rest are named with the gate
    # (work needing both German and Spanish finds no hub whose sourced pools speak both) or the cost line
    # (severance, parallel running, full-time hours of the destination) that kept them home
    placed = a.plan["recommended_location"].notna().mean()
    assert placed >= 0.6
    assert set(a.location_index()["country"]) == set(L.load_locations().index)


def test_an_empty_tier_names_the_nearest_miss():
    assert L.empty_tier_notes("AU", "Australia/Sydney", 2026) == [
        "No reference location is nearshore for this client: the nearest within 3 hours is Manila (PH) at "
        "6,269 km, beyond the 5,000 km limit."
    ]
    assert L.empty_tier_notes("DE", "Europe/Berlin", 2026) == []
    # widening the distance makes Manila nearshore for Sydney
    wide = L.TierRule(max_distance_km=6500)
    assert L.empty_tier_notes("AU", "Australia/Sydney", 2026, wide) == []


def test_the_default_shortlist_seeks_hubs_for_all_the_work_s_languages_at_once():
    # German-and-Spanish work: France's pools speak both, and a French FTE costs less than a German one (1,668
    # against 1,790 full-time hours at EUR 43.7 and 43.4 an hour), so France joins the nearshore list for the pair
    d = L.default_candidates("DE", "Europe/Berlin", 2026, languages={"de", "es", "en"}).set_index("country")
    assert d.at["FR", "tier"] == "nearshore"
    assert d.at["FR", "why"] == "among the 4 most attractive nearshore hubs for de and es"
    # one language alone adds no pair
    one = L.default_candidates("DE", "Europe/Berlin", 2026, languages={"de", "en"})
    assert not one["why"].str.contains(" and ").any()
