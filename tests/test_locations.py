from datetime import date, time

import pandas as pd
from conftest import make_client

from bpo_kit import locations as L
from bpo_kit.config import CLIENT_FILE, REFERENCE_DIR, load_client


def client_in(tmp_path, country, zone, currency="USD", extra=""):
    folder = make_client(tmp_path / country, [], extra_yaml=extra)
    text = (folder / CLIENT_FILE).read_text().replace("home_country: US", f"home_country: {country}")
    text = text.replace("America/New_York", zone).replace("currency: USD", f"currency: {currency}")
    (folder / CLIENT_FILE).write_text(text)
    return load_client(folder)


def test_every_reference_row_has_a_source_and_a_year():
    for path in sorted(REFERENCE_DIR.glob("*.csv")):
        df = pd.read_csv(path, keep_default_na=False, dtype=str)
        assert {"source", "year"} <= set(df.columns), path.name
        assert (df["source"].str.strip() != "").all(), path.name
        assert df["year"].str.fullmatch(r"(19|20)\d\d|n\.d\.").all(), path.name


def test_location_table_covers_destinations_and_home_countries():
    locs = L.load_locations()
    assert len(locs) >= 25
    assert {"US", "GB", "DE", "FR", "NL", "CA", "AU"} <= set(locs.index)
    assert {"APAC", "Americas", "EMEA"} == set(locs["region"])
    assert locs.at["PH", "english_band"] == "official" and locs.at["MX", "english_band"] == "low"
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
    assert f.at["PH", "fit_reason"] == "needs es, not a business language there"
    assert f.at["MX", "fit_reason"] == "English proficiency low is below the minimum for this work"
    assert bool(f.at["CR", "fit"]) is True
    assert bool(f.at["CR", "night_shift"]) is True  # 7 hours of overlap in July, a customer day of 8


def test_follow_the_sun_needs_no_overlap(tmp_path):
    us = client_in(tmp_path, "US", "America/New_York")
    prof = L.location_profile(us, ["PH"], 2026)
    p = sensitive(sens=2).assign(coverage="24x7")
    f = L.fit(p, prof, 8.0).iloc[0]
    assert f["required_overlap"] == 0 and not f["night_shift"] and f["time_zone_factor"] == 1.0
