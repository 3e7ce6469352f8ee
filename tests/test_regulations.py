from types import SimpleNamespace

import pandas as pd

from bpo_kit import regulations as R


def rules():
    return pd.DataFrame(
        [
            ["gdpr_ch5", "GDPR Chapter V", "EEA", "all", "transfer_outside_adequacy", "SCCs and a TIA", "TIA"],
            ["dora", "DORA", "EU", "financial_services;insurance", "any_outsourcing", "register", "exit plan"],
            ["apra_cps230", "APRA CPS 230", "AU", "financial_services;insurance", "material_outsourcing", "x", "y"],
            ["uk_tupe", "TUPE", "GB", "all", "staff_transfer", "staff transfer", "consult"],
            ["works_council", "BetrVG 111", "DE", "all", "staff_displaced", "consult", "consult"],
        ],
        columns=["rule", "name", "jurisdictions", "sectors", "applies_when", "requires", "before_contract"],
    ).assign(key_dates="", source="test", year="2025", confidence="[T]")


def profile(countries, eea=(), adequacy=()):
    return pd.DataFrame(
        {
            "country": countries,
            "eu_eea": [c in eea for c in countries],
            "eu_adequacy": [c in adequacy for c in countries],
        }
    )


def client(home, sector=None):
    cfg = SimpleNamespace(home_country=home)
    if sector:
        cfg.sector = sector
    return cfg


def test_a_german_bank_gets_gdpr_dora_and_works_council_rules():
    prof = profile(["DE", "PL", "IN", "AR"], eea={"DE", "PL"}, adequacy={"AR"})
    out = R.applicable(client("DE", "financial_services"), prof, rules()).set_index("rule")
    assert list(out.index) == ["gdpr_ch5", "dora", "works_council"]
    # transfers: only the candidates outside the EEA without an adequacy decision
    assert out.at["gdpr_ch5", "concerns"] == "IN"
    assert out.at["dora", "concerns"] == "PL, IN, AR"


def test_sector_switches_rules_on_and_other_is_the_default():
    prof = profile(["AU", "PH"])
    assert list(R.applicable(client("AU"), prof, rules())["rule"]) == []
    assert list(R.applicable(client("AU", "insurance"), prof, rules())["rule"]) == ["apra_cps230"]
    assert list(R.applicable(client("GB"), profile(["GB", "PL"], eea={"PL"}), rules())["rule"]) == ["uk_tupe"]
    assert list(R.applicable(client("US", "healthcare"), profile(["US"]), rules())["rule"]) == []


def test_the_shipped_table_covers_the_issue_rules():
    table = R.load_rules()
    assert {"gdpr_ch5", "uk_transfers", "eba_gl_2019_02", "dora", "apra_cps230", "apra_cps234", "uk_tupe"} <= set(
        table["rule"]
    )
    assert (table["source"].str.strip() != "").all()
    de = R.applicable(client("DE", "financial_services"), profile(["DE", "IN"], eea={"DE"}))
    assert {"gdpr_ch5", "eba_gl_2019_02", "dora", "betrvg_111_113", "bgb_613a"} <= set(de["rule"])
    assert "apra_cps230" not in set(de["rule"])
