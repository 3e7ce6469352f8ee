"""Rules that gate or condition a move, by the client's jurisdiction and sector: GDPR transfers, the UK data
bridges, EBA outsourcing guidelines and DORA, APRA CPS 230/234, works councils and transfer of undertakings.

Each rule is a row of ``data/reference/regulations.csv`` with its source; this module only decides which rows
apply to a client and which candidate locations each concerns. It decides nothing legal: the report lists
what each rule requires before contract so that counsel can check it.
"""

from __future__ import annotations

import re

import pandas as pd

#: the client sectors ``client.yaml`` may name (``sector:``); ``other`` switches on only the rules for all
SECTORS = ("financial_services", "insurance", "healthcare", "public_sector", "other")
#: members of the EU and EEA (ISO 3166 alpha-2): "EU" or "EEA" in a rule's jurisdictions means these
EU = frozenset("AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split())
EEA = EU | {"IS", "LI", "NO"}
#: words in ``applies_when`` that make a rule concern only moves out of the client's jurisdiction
TRANSFER_WORDS = ("transfer", "outside", "third country", "third-country", "offshore", "overseas")


def load_rules() -> pd.DataFrame:
    """``regulations.csv`` (empty when it is not there yet)."""
    from .config import REFERENCE_DIR

    path = REFERENCE_DIR / "regulations.csv"
    cols = [
        "rule",
        "name",
        "jurisdictions",
        "sectors",
        "applies_when",
        "requires",
        "before_contract",
        "key_dates",
        "source",
        "year",
        "confidence",
    ]
    if not path.exists():
        return pd.DataFrame(columns=cols)
    return pd.read_csv(path, keep_default_na=False, dtype=str)


def _tokens(text: str) -> set[str]:
    return {t.strip() for t in re.split(r"[;,|/ ]+", str(text)) if t.strip()}


def jurisdiction_countries(text: str) -> set[str] | None:
    """The countries a rule's ``jurisdictions`` cell covers; None for every country ("all", "*", "any")."""
    out: set[str] = set()
    for t in _tokens(text.upper()):
        if t in ("ALL", "*", "ANY", "GLOBAL"):
            return None
        if t == "EU":
            out |= EU
        elif t == "EEA":
            out |= EEA
        elif t == "UK":
            out.add("GB")
        elif len(t) == 2:
            out.add(t)
    return out


def sector_matches(rule_sectors: str, sector: str) -> bool:
    tokens = {t.lower() for t in _tokens(rule_sectors)}
    return not tokens or bool(tokens & {"all", "any", "*"}) or sector in tokens


def applicable(config, profile: pd.DataFrame | None = None, rules: pd.DataFrame | None = None) -> pd.DataFrame:
    """The rules that apply to a client: its home country is in the rule's jurisdictions and its sector
    (``config.sector``, default ``other``) in the rule's sectors. ``concerns`` lists the candidate locations
    in ``profile`` each rule bears on: for a transfer rule (``applies_when`` = ``transfer_outside_adequacy``),
    the candidates outside its area without an adequacy decision; for the others, every candidate outside the
    client's country."""
    rules = load_rules() if rules is None else rules
    sector = str(getattr(config, "sector", None) or "other")
    home = config.home_country
    candidates = [] if profile is None else [c for c in profile["country"] if c != home]
    rows = []
    for r in rules.to_dict("records"):
        where = jurisdiction_countries(r["jurisdictions"])
        if where is not None and home not in where:
            continue
        if not sector_matches(r.get("sectors", ""), sector):
            continue
        when = str(r.get("applies_when", "")).lower()
        if when == "transfer_outside_adequacy" and profile is not None:
            # data may flow freely within the rule's area and to countries with an adequacy decision (the
            # EU's list; the UK's own regulations cover the EEA and, in practice, the EU's list)
            p = profile.set_index("country")
            concerned = [
                c
                for c in candidates
                if (where is None or c not in where) and not (bool(p.at[c, "eu_eea"]) or bool(p.at[c, "eu_adequacy"]))
            ]
        elif any(w in when for w in TRANSFER_WORDS):
            concerned = [c for c in candidates if where is None or c not in where]
        else:
            concerned = candidates
        rows.append({**r, "concerns": ", ".join(concerned) if concerned else "no candidate location"})
    cols = [*rules.columns, "concerns"]
    return pd.DataFrame(rows, columns=cols)
