"""What a full-time employee costs an employer in each country and role family, and what a provider charges
for one: the kit's reference prices when the client has no quote.

The figures are derived, step by step, from sourced tables in ``data/reference/`` (method: LABOUR-COSTS.md
§1.2):

1. **Role-level figure** where a source gives one for the role (US BLS wages, the Site Selection Group's
   contact-centre agent costs): it is used as it is.
2. **Otherwise another role's figure of the same country**, the nearest in pay, times the ratio of the two
   roles' **pay relativities** (``role_relativities.csv``: a role's median pay over the all-occupation
   median); **else the country's all-occupation figure** (Eurostat hourly labour cost, national average
   earnings) times the role family's relativity. A role in the outsourcing labour market is the closer anchor:
   in a low-wage country it pays further above the national median than US relativities allow, and the
   derived prices are checked against published billed rates (``billed_rate_check``).
   Relativities are ratios of medians, so an all-occupation figure that is a **mean** (Eurostat's hourly
   labour cost, most national average earnings) is first brought to a median with the country's published
   **mean-to-median ratio** (``mean_median_ratios.csv``: Destatis, BLS, INSEE, ...); a country without one
   takes the median and range of the sourced ratios, flagged in ``confidence``.
3. A figure per hour, week or month becomes a yearly one with the country's **hours per FTE-year**
   (``working_hours.csv``): for a cost per hour worked, the hours a full-time employee actually works in a year
   (Eurostat LFS via Coe-Rexecode; for an EU member without a national figure as recent, the EU-27 average,
   its range spanning the members that have one); where no full-time figure was found, the hours per person in
   employment (OECD, part-timers included), flagged because they understate an FTE; 2,080 paid hours, the US
   convention, where a country has neither.
4. A wage becomes an employer cost with the country's **employer on-costs** (``employer_oncosts.csv``, the
   employer's social contributions and benefits as a share of wages).
5. Local currency becomes US dollars at the average exchange rate of the figure's year.
6. **Provider price** = employer cost / labour's share of a provider's operating cost / (1 - the provider's
   margin): one gross-up for every country, from ``provider_economics.csv``, that a client may override. The
   margin is the median of listed BPO providers' published operating margins (``provider_margins.csv``).

Every step carries its low and high, so each price is a range. A country and role family with no figure at
all stays in the table with no price and the note "needs a quote".

Where a country has several figures, ``_pick`` chooses one by a documented rule: an official source before a
repository copy, a vendor or an unofficial estimate; then the newest; then a primary release before a report of
it; then an employer cost before a wage.

``python -m bpo_kit.labour_costs`` rewrites ``data/reference/labour_costs.csv`` from the sourced tables; a test
checks the committed file equals the derivation.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from . import fx

ROLE_FAMILIES = (
    "contact_centre_agent",
    "back_office_transactional",
    "finance_accounting_professional",
    "it_support",
    "knowledge_professional",
)
ALL_OCCUPATIONS = "all_occupations"
NEEDS_A_QUOTE = "needs a quote"
COLUMNS = [
    "country",
    "role_family",
    "cost_low_usd",
    "cost_mid_usd",
    "cost_high_usd",
    "price_low_usd",
    "price_mid_usd",
    "price_high_usd",
    "derivation",
    "source",
    "year",
    "confidence",
]
#: paid hours per FTE-year where a country has no sourced figure: 40 h x 52 weeks, the convention BLS uses
#: to annualise hourly wages. It includes paid leave, so for a cost per hour actually worked it is an upper bound
DEFAULT_PAID_HOURS = 2080.0
DEFAULT_PAID_HOURS_SOURCE = "US BLS convention: annual wage = hourly wage x 2,080 hours (careers.org quoting BLS)"


@dataclass(frozen=True)
class CostAssumptions:
    """The overridable steps of the derivation. ``hours`` and ``oncosts`` replace a country's sourced figure
    (value, low, high); ``labour_share`` and ``margin`` are the provider gross-up (value, low, high)."""

    hours: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    oncosts: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    default_paid_hours: float = DEFAULT_PAID_HOURS
    #: a wage in a country with no sourced employer on-costs: ``"sourced_range"`` takes the lowest, median
    #: and highest on-costs of the countries that have one (a wide range, labelled); ``"needs_quote"`` leaves
    #: the country without a price
    unknown_oncosts: str = "sourced_range"
    labour_share: tuple[float, float, float] | None = None
    margin: tuple[float, float, float] | None = None


# --- reading the sourced tables -------------------------------------------------------------------------


def _read(name: str) -> pd.DataFrame:
    from .config import REFERENCE_DIR

    path = REFERENCE_DIR / f"{name}.csv"
    if not path.exists():
        return pd.DataFrame()
    return pd.read_csv(path, keep_default_na=False, na_values=[""], dtype={"year": str})


def _num(df: pd.DataFrame, cols) -> pd.DataFrame:
    for c in cols:
        if c in df.columns:
            df[c] = pd.to_numeric(df[c], errors="coerce")
    return df


def _found(df: pd.DataFrame, col: str) -> pd.DataFrame:
    return df[df[col].notna()].reset_index(drop=True) if col in df.columns else df


def load_inputs() -> dict[str, pd.DataFrame]:
    """The sourced tables the derivation reads (empty where a table is not there yet)."""
    # rows the sources searched for and did not find carry no value: they document the gap, not a figure
    return {
        "anchors": _num(_read("labour_cost_anchors"), ["value", "low", "high"]).pipe(_found, "value"),
        "relativities": _num(_read("role_relativities"), ["relativity", "low", "high"]).pipe(_found, "relativity"),
        "oncosts": _num(_read("employer_oncosts"), ["oncost_share", "low", "high"]).pipe(_found, "oncost_share"),
        "hours": _num(_read("working_hours"), ["hours_per_fte_year", "low", "high"]).pipe(_found, "hours_per_fte_year"),
        "gross_up": _num(_read("provider_economics"), ["value", "low", "high"]),
        "mean_median": _num(_read("mean_median_ratios"), ["ratio", "low", "high"]).pipe(_found, "ratio"),
        "eu_members": _eu_members(),
    }


def _eu_members() -> set[str]:
    """Countries of the location table in the EU/EEA: an EU average of full-time hours is a fair stand-in there."""
    from .locations import load_locations

    known = load_locations()
    return set(known.index[known["eu_eea"].astype(bool)]) if "eu_eea" in known.columns else set()


def _triple(row, value: str, low: str = "low", high: str = "high") -> tuple[float, float, float]:
    v = float(row[value])
    lo = float(row[low]) if low in row and pd.notna(row[low]) else v
    hi = float(row[high]) if high in row and pd.notna(row[high]) else v
    return (v, lo, hi)


#: said where a figure of one year converts at a rate of another (no dated rate for the figure's year)
RATE_YEAR_GAP = "rate of another year"


def _year_rate_to_usd(currency: str, year: int) -> tuple[float, str]:
    """USD per unit of ``currency``: the mean of the rates on the 15th of each month of ``year`` (ECB), or the
    dated rate where the ECB publishes none; with a few words on which."""
    if currency == "USD":
        return 1.0, ""
    last = fx.rate_date()
    days = [date(year, m, 15) for m in range(1, 13) if date(year, m, 15) <= last] or [last]
    basis = fx.rate_basis(currency, days[-1])
    if basis["basis"].startswith("dated"):
        same_year = fx.dated_rate_in_year(currency, year)
        if same_year is not None:
            r, when = same_year
            return r, f"{currency} at the dated rate of {when} (figure of {year})"
        # the newest dated rate then serves: for a high-inflation currency an older wage converts too low
        when = basis["date"]
        gap = f" (figure of {year}{', ' + RATE_YEAR_GAP if when.year != year else ''})"
        return fx.rate(currency, "USD"), f"{currency} at the dated rate of {when}{gap}"
    r = float(np.mean([fx.rate(currency, "USD", d) for d in days]))
    return r, f"{currency} at the {year} average ECB rate ({r:.4g} USD)"


# --- the derivation -------------------------------------------------------------------------------------


#: hours actually worked in a year by a full-time employee: the denominator that turns a cost per hour worked
#: into a cost per FTE-year
FULL_TIME_WORKED = "full_time_actually_worked"
#: hours actually worked per person in employment, part-timers included: a fallback only, it understates an FTE
PER_WORKER_WORKED = "actually_worked"
PER_WORKER_CAVEAT = "per worker incl. part-time: understates an FTE"
#: the ``working_hours.csv`` row of the EU-27 average of full-time hours, for an EU member with no national figure
EU_AVERAGE = "EU"
EU_AVERAGE_NOTE = "no national full-time figure as recent"


def _hours(country: str, unit: str, inputs, a: CostAssumptions) -> tuple[tuple[float, float, float], str, str]:
    """Hours per FTE-year for an anchor in ``unit``: (value, low, high), how, source.

    A cost per hour worked is multiplied by the hours a *full-time* employee actually works in a year where a
    source gives them; the hours per person in employment (OECD, part-timers included) are a flagged fallback,
    because they understate what one FTE works (Germany: 1,343 h per worker against 1,790 h per full-time
    employee). A cost per hour paid uses paid hours."""
    if country in a.hours:
        return a.hours[country], "hours set by the client", "client override"
    wanted = [FULL_TIME_WORKED, PER_WORKER_WORKED] if unit == "per_hour_worked" else ["paid"]
    h = inputs["hours"]
    rows = h[h["country"].eq(country)] if len(h) else h
    members = inputs.get("eu_members", set())
    national_ft = rows[rows["basis"].eq(FULL_TIME_WORKED)] if len(rows) else rows
    eu = h[h["country"].eq(EU_AVERAGE) & h["basis"].eq(FULL_TIME_WORKED)] if len(h) else h
    # a newer EU average beats an older national figure (as with anchors: the newer release first)
    newest_national = national_ft["year"].astype(str).max() if len(national_ft) and "year" in national_ft else ""
    eu_newer = len(eu) and (not len(national_ft) or str(eu.iloc[0].get("year", "")) > newest_national)
    if unit == "per_hour_worked" and country in members and eu_newer:
        peers = h[h["country"].isin(members) & h["basis"].eq(FULL_TIME_WORKED)]
        if len(eu):
            r = eu.iloc[0]
            v = float(r["hours_per_fte_year"])
            lo = min(v, float(peers["low"].fillna(peers["hours_per_fte_year"]).min())) if len(peers) else v
            hi = max(v, float(peers["high"].fillna(peers["hours_per_fte_year"]).max())) if len(peers) else v
            how = (
                f"{v:,.0f} h actually worked per full-time employee, EU-27 average, {r.get('year', '')} "
                f"({EU_AVERAGE_NOTE}; range {lo:,.0f}-{hi:,.0f} h spans the {len(peers)} EU countries with one)"
            )
            return (v, lo, hi), how, r["source"]
    for want in wanted:
        exact = rows[rows["basis"].eq(want)] if len(rows) else rows
        if not len(exact):
            continue
        r = exact.iloc[0]
        # the hours' own caveat (e.g. "per worker incl. part-time") belongs in the row a reader sees
        caveat = f" ({r['confidence']})" if isinstance(r.get("confidence"), str) and r["confidence"] else ""
        basis = {
            FULL_TIME_WORKED: "actually worked per full-time employee",
            PER_WORKER_WORKED: "actually worked per person in employment",
        }.get(want, want.replace("_", " "))
        year = f", {r['year']}" if isinstance(r.get("year"), str) and r["year"] else ""
        how = f"{r['hours_per_fte_year']:,.0f} h {basis}{year}{caveat}"
        return _triple(r, "hours_per_fte_year"), how, r["source"]
    d = a.default_paid_hours
    note = f"{d:,.0f} paid h (no sourced hours"
    note += "; an upper bound for a cost per hour worked)" if unit == "per_hour_worked" else ")"
    return (d, d, d), note, DEFAULT_PAID_HOURS_SOURCE


def _oncost(country: str, inputs, a: CostAssumptions) -> tuple[tuple[float, float, float], str] | None:
    if country in a.oncosts:
        return a.oncosts[country], "client override"
    o = inputs["oncosts"]
    rows = o[o["country"].eq(country)] if len(o) else o
    if len(rows):
        r = rows.iloc[0]
        return _triple(r, "oncost_share"), r["source"]
    if a.unknown_oncosts != "sourced_range" or not len(o):
        return None
    s = o["oncost_share"]
    return (
        (float(s.median()), float(o["low"].fillna(s).min()), float(o["high"].fillna(s).max())),
        f"on-costs not found for {country}: median and range of the {len(o)} countries with a sourced figure "
        "(employer_oncosts.csv)",
    )


def _fmt(x: float) -> str:
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def _annual(anchor, inputs, a: CostAssumptions):
    """An anchor row as a yearly employer cost in USD: (value, low, high), steps, sources, or None with why."""
    if anchor["currency"] not in fx.currencies():
        return None, f"no exchange rate for {anchor['currency']}"
    v, lo, hi = _triple(anchor, "value")
    steps, sources = [f"{anchor['anchor']} {_fmt(v)} {anchor['currency']} {anchor['unit'].replace('_', ' ')}"], []
    unit = anchor["unit"]
    if unit in ("per_hour_worked", "per_hour_paid"):
        (h, hl, hh), how, src = _hours(anchor["country"], unit, inputs, a)
        v, lo, hi = v * h, lo * hl, hi * hh
        steps.append(f"x {how}")
        sources.append(src)
    else:
        k = {"per_week": 52.0, "per_month": 12.0, "per_year": 1.0}.get(unit)
        if k is None:
            return None, f"unit {unit!r} not understood"
        if k != 1.0:
            v, lo, hi = v * k, lo * k, hi * k
            steps.append(f"x {k:g}")
    if anchor["cost_basis"] == "wage":
        oc = _oncost(anchor["country"], inputs, a)
        if oc is None:
            return None, f"a wage for {anchor['country']} but no employer on-costs"
        (s, sl, sh), src = oc
        v, lo, hi = v * (1 + s), lo * (1 + sl), hi * (1 + sh)
        steps.append(f"x (1 + employer on-costs {s:.1%})")
        sources.append(src)
    r, how = _year_rate_to_usd(anchor["currency"], int(str(anchor["year"])[:4]))
    if how:
        steps.append(f"-> USD: {how}")
    return (v * r, lo * r, hi * r, steps, sources), ""


#: how much a source is trusted, best first: an official release (a statistical office, central bank or
#: Eurostat, [P], or a press report quoting one, [S] quoting [P]); a public repository's copy of such a release
#: ([R], unverified transcription); a vendor or consultant ([V]); anything else (an unofficial calculation, a
#: report quoting nobody official, general knowledge)
SOURCE_GRADES = ("official", "repository copy", "vendor", "unofficial")


def source_grade(confidence: str) -> str:
    """The grade of a source from its ``confidence`` tag (see ``SOURCE_GRADES``)."""
    c = str(confidence)
    if "not official" in c:
        return "unofficial"
    if c.startswith("[P]") or "quoting [P]" in c:
        return "official"
    if c.startswith("[R]"):
        return "repository copy"
    if c.startswith("[V]"):
        return "vendor"
    return "unofficial"


def _pick(rows: pd.DataFrame) -> pd.Series:
    """The anchor to use among several for one country and scope, by one documented rule:

    1. the better source grade (``SOURCE_GRADES``): an official figure beats an unofficial one whatever their
       years, and a repository copy never beats an official release;
    2. then the newer year;
    3. then a primary release before a press report quoting it ([P] before [S] quoting [P]);
    4. then an employer cost before a wage (no on-cost assumption needed);
    5. then a full-time figure before an all-employee one, and a median before a mean (pay relativities are
       ratios of medians).
    Remaining ties keep the order of ``labour_cost_anchors.csv``."""
    grade = rows["confidence"].map(source_grade).map(SOURCE_GRADES.index)
    text = rows["source"].astype(str).str.lower() + " " + rows["anchor"].astype(str).str.lower()
    order = rows.assign(
        _g=grade,
        _y=rows["year"].astype(str),
        _p=~rows["confidence"].astype(str).str.startswith("[P]"),
        _b=rows["cost_basis"].ne("labour_cost"),
        _f=~(text.str.contains("full-time") | text.str.contains("_ft_")),
        _m=~(
            rows["statistic"].eq("median")
            if "statistic" in rows.columns
            else rows["anchor"].astype(str).str.contains("median")
        ),
    )
    return order.sort_values(
        ["_g", "_y", "_p", "_b", "_f", "_m"], ascending=[True, False, True, True, True, True], kind="stable"
    ).iloc[0]


NO_RATIO_NOTE = "mean-to-median ratio not published for this country"


def mean_to_median(country: str, inputs) -> tuple[tuple[float, float, float], str, str] | None:
    """How much a country's all-occupation mean exceeds its median: (value, low, high), how, source. A country
    without a published ratio takes the median, lowest and highest of the sourced ratios (those that may serve
    other countries; for an EU member, the EU members' ones where any); None when no ratio is sourced at all."""
    t = inputs.get("mean_median", pd.DataFrame())
    if not len(t):
        return None
    own = t[t["country"].eq(country)]
    if len(own):
        r = own.iloc[0]
        return _triple(r, "ratio"), f"{country} {r['what']}", f"mean-to-median: {r['source']}"
    # a ratio marked out of the fallback range serves its own country only (Morocco's CNSS declarations include
    # part-year workers, which widen the spread beyond what a full-time figure shows)
    pool = t[t["in_fallback_range"].astype(str).eq("yes")] if "in_fallback_range" in t.columns else t
    # pay is spread alike within the EU's labour markets (its pay-transparency and minimum-wage rules), so an EU
    # member without a ratio takes the EU members' ones where there are any
    members = inputs.get("eu_members", set())
    peers = pool[pool["country"].isin(members)]
    group = ""
    if country in members and len(peers):
        pool, group = peers, "EU "
    if not len(pool):
        return None
    s = pool["ratio"]
    names = ", ".join(pool["country"])
    how = f"{NO_RATIO_NOTE}: median and range of the {len(pool)} sourced {group}ones ({names})"
    return (float(s.median()), float(s.min()), float(s.max())), how, f"mean-to-median: {how} (mean_median_ratios.csv)"


def gross_up(inputs, a: CostAssumptions) -> tuple[tuple[float, float, float], tuple[float, float, float], str]:
    """Labour's share of a provider's operating cost and the provider's margin (value, low, high), and sources."""
    g = inputs["gross_up"].set_index("name") if len(inputs["gross_up"]) else None
    share = a.labour_share or (_triple(g.loc["labour_share_of_cost"], "value") if g is not None else None)
    margin = a.margin or (_triple(g.loc["provider_margin"], "value") if g is not None else None)
    if share is None or margin is None:
        raise LookupError("data/reference/provider_economics.csv lacks labour_share_of_cost or provider_margin")
    src = "" if g is None else "; ".join(g.loc[["labour_share_of_cost", "provider_margin"], "source"].astype(str))
    return share, margin, src


def price_from_cost(low, mid, high, share, margin):
    """Provider price per FTE-year from employer cost: cost / labour share of operating cost / (1 - margin).
    The low price pairs the low cost with the high labour share, the high price the reverse."""
    (s, sl, sh), (m, ml, mh) = share, margin
    return low / sh / (1 - ml), mid / s / (1 - m), high / sl / (1 - mh)


def derive(
    countries: list[str], inputs: dict | None = None, assumptions: CostAssumptions | None = None
) -> pd.DataFrame:
    """Employer cost and provider price per FTE-year, low/mid/high in USD, for every country in ``countries``
    and every role family, with the derivation, sources, year and how it was obtained (``confidence``:
    ``role-level``, ``derived`` or ``needs a quote``, plus the source's own grade)."""
    inputs = inputs if inputs is not None else load_inputs()
    a = assumptions or CostAssumptions()
    anchors = inputs["anchors"]
    rel = inputs["relativities"].set_index("role_family") if len(inputs["relativities"]) else pd.DataFrame()
    share, margin, gsrc = gross_up(inputs, a)
    rows = []
    for c in countries:
        mine = anchors[anchors["country"].eq(c)] if len(anchors) else anchors
        for role in ROLE_FAMILIES:
            rows.append(_cell(c, role, mine, rel, inputs, a))
    out = pd.DataFrame(rows)
    lo, mid, hi = price_from_cost(out["cost_low_usd"], out["cost_mid_usd"], out["cost_high_usd"], share, margin)
    out["price_low_usd"], out["price_mid_usd"], out["price_high_usd"] = lo, mid, hi
    priced = out["cost_mid_usd"].notna()
    out.loc[priced, "derivation"] += (
        f"; price = cost / labour share {share[0]:.0%} ({share[1]:.0%}-{share[2]:.0%}) / (1 - margin {margin[0]:.0%})"
    )
    out.loc[priced, "source"] += "; gross-up: " + gsrc
    for col in ("cost_low_usd", "cost_mid_usd", "cost_high_usd", "price_low_usd", "price_mid_usd", "price_high_usd"):
        out[col] = out[col].round(0)
    return out[COLUMNS]


def _assumed(sources: list[str], steps: list[str]) -> str:
    """What in a row rests on a kit default rather than on a figure for that country and year."""
    notes = []
    if any(RATE_YEAR_GAP in x for x in steps):
        notes.append("converted at an exchange rate of another year")
    if any(str(x).startswith("on-costs not found") for x in sources):
        notes.append("on-costs not sourced for this country")
    if DEFAULT_PAID_HOURS_SOURCE in sources:
        notes.append("hours not sourced for this country")
    if any(EU_AVERAGE_NOTE in x for x in steps):
        notes.append("full-time hours are the EU-27 average, not a national figure")
    if any(PER_WORKER_CAVEAT in x for x in steps):
        notes.append("hours per worker incl. part-time (no full-time figure found): understates an FTE")
    if any(NO_RATIO_NOTE in x for x in steps):
        notes.append("mean converted to a median with the range of other countries' ratios")
    return "; " + "; ".join(notes) if notes else ""


def _cell(country: str, role: str, mine: pd.DataFrame, rel: pd.DataFrame, inputs, a: CostAssumptions) -> dict:
    empty = {
        "country": country,
        "role_family": role,
        "cost_low_usd": np.nan,
        "cost_mid_usd": np.nan,
        "cost_high_usd": np.nan,
    }
    direct = mine[mine["occupation_scope"].eq(role)] if len(mine) else mine
    if len(direct):
        anchor = _pick(direct)
        res, why = _annual(anchor, inputs, a)
        if res is not None:
            v, lo, hi, steps, sources = res
            return {
                **empty,
                "cost_low_usd": lo,
                "cost_mid_usd": v,
                "cost_high_usd": hi,
                "derivation": " ".join(steps),
                "source": "; ".join([anchor["source"], *sources]),
                "year": str(anchor["year"]),
                "confidence": f"role-level ({anchor['confidence']}){_assumed(sources, steps)}",
            }
    # scale by pay relativities from another role's figure of the same country where there is one, the role
    # nearest in pay first (the shortest step); else from the all-occupation figure. A role in the outsourcing
    # labour market is the closer anchor: in a low-wage country that market pays further above the national
    # median than US relativities allow (Philippines: an agent's base wage is 1.62 x the median basic pay, against
    # 0.89 x in the US), so scaling from the national figure prices its work below the rates providers bill
    roles = (
        mine[mine["occupation_scope"].isin(rel.index) & mine["occupation_scope"].ne(ALL_OCCUPATIONS)]
        if len(mine) and len(rel)
        else mine.iloc[0:0]
    )
    if len(roles) and role in rel.index:
        step = (np.log(rel.loc[roles["occupation_scope"], "relativity"].to_numpy() / rel.at[role, "relativity"])) ** 2
        base = roles[step == step.min()]
    else:
        base = mine[mine["occupation_scope"].eq(ALL_OCCUPATIONS)] if len(mine) else mine
    if len(base) and role in rel.index:
        anchor = _pick(base)
        scope = anchor["occupation_scope"]
        res, why = _annual(anchor, inputs, a)
        if res is not None:
            v, lo, hi, steps, sources = res
            # relativities are ratios of medians: a mean over all employees (managers included) overstates the
            # typical pay the relativity scales from (Germany: mean 19% above the median)
            if scope == ALL_OCCUPATIONS and anchor.get("statistic") == "mean":
                conv = mean_to_median(country, inputs)
                if conv is not None:
                    (m, ml, mh), how, src = conv
                    v, lo, hi = v / m, lo / mh, hi / ml
                    steps.append(f"/ mean-to-median ratio {m:.3f} ({how})")
                    sources.append(src)
            r = rel.loc[role]
            denom = 1.0 if scope == ALL_OCCUPATIONS else float(rel.at[scope, "relativity"])
            rv, rl, rh = (x / denom for x in _triple(r, "relativity"))
            steps.append(f"x pay relativity of {role.replace('_', ' ')} to {scope.replace('_', ' ')} {rv:.3f}")
            return {
                **empty,
                "cost_low_usd": lo * rl,
                "cost_mid_usd": v * rv,
                "cost_high_usd": hi * rh,
                "derivation": " ".join(steps),
                "source": "; ".join([anchor["source"], *sources, f"relativity: {r['source']}"]),
                "year": str(anchor["year"]),
                "confidence": f"derived ({anchor['confidence']}){_assumed(sources, steps)}",
            }
    else:
        why = "no published labour cost or wage found" if not len(mine) else "no pay relativity for this role"
    return {
        **empty,
        "derivation": f"{NEEDS_A_QUOTE}: {why}",
        "source": "none found (see data/reference/SOURCES-LOCATIONS.md)",
        "year": "n.d.",
        "confidence": NEEDS_A_QUOTE,
    }


# --- what the rest of the kit reads ---------------------------------------------------------------------


def reference_table() -> pd.DataFrame:
    """The committed table ``data/reference/labour_costs.csv``."""
    from .reference import table

    return table("labour_costs")


def covered_countries() -> set[str]:
    """Countries with a reference price for at least one role family."""
    t = reference_table()
    return set(t.loc[t["cost_mid_usd"].notna(), "country"])


def needs_a_quote(countries: list[str]) -> pd.DataFrame:
    """Country x role family pairs among ``countries`` with no reference price: ``country``, ``role_family``,
    ``reason``. A country absent from the reference table needs a quote for every role family."""
    t = reference_table()
    t = t[t["country"].isin(countries)]
    rows = t.loc[t["cost_mid_usd"].isna(), ["country", "role_family", "derivation"]].rename(
        columns={"derivation": "reason"}
    )
    missing = [c for c in countries if c not in set(t["country"])]
    extra = pd.DataFrame(
        [
            {"country": c, "role_family": r, "reason": f"{NEEDS_A_QUOTE}: not in the reference table"}
            for c in missing
            for r in ROLE_FAMILIES
        ],
        columns=["country", "role_family", "reason"],
    )
    return pd.concat([rows, extra], ignore_index=True)


def reference_prices(
    candidates: list[str], share=None, margin=None, assumptions: CostAssumptions | None = None
) -> pd.DataFrame:
    """Reference provider price per FTE-year (USD, low/mid/high) for each candidate and role family that has a
    figure, grossed up with the given labour share and margin ((value, low, high) each; default: the sourced
    ones), with ``basis``, ``source``, ``year`` and ``confidence``. Countries whose hours or on-costs the
    client overrides (``assumptions``) are derived afresh with them."""
    t = reference_table()
    redo = sorted(set(candidates) & (set(assumptions.hours) | set(assumptions.oncosts))) if assumptions else []
    if redo:
        t = pd.concat([t[~t["country"].isin(redo)], derive(redo, assumptions=assumptions)], ignore_index=True)
    t = t[t["country"].isin(candidates) & t["cost_mid_usd"].notna()].copy()
    inputs = {"gross_up": _num(_read("provider_economics"), ["value", "low", "high"])}
    s, m, _ = gross_up(inputs, CostAssumptions(labour_share=share, margin=margin))
    lo, mid, hi = price_from_cost(t["cost_low_usd"], t["cost_mid_usd"], t["cost_high_usd"], s, m)
    basis = np.where(
        t["confidence"].str.startswith("role-level"),
        "published role cost + provider overhead and margin",
        "derived cost + provider overhead and margin",
    )
    return pd.DataFrame(
        {
            "country": t["country"].to_numpy(),
            "role_family": t["role_family"].to_numpy(),
            "low": lo.to_numpy(),
            "mid": mid.to_numpy(),
            "high": hi.to_numpy(),
            "currency": "USD",
            "basis": basis,
            "source": (t["source"] + " (" + t["confidence"] + ")").to_numpy(),
            "year": t["year"].to_numpy(),
            "derivation": t["derivation"].to_numpy(),
        }
    )


def billed_rate_check() -> pd.DataFrame:
    """The derived reference prices beside the billed hourly rates providers publish (``billed_rates.csv``): a
    check of the derivation, not a target it is tuned to. A price per FTE-year becomes an hourly rate over the
    country's paid hours and, since a provider bills the hours its people spend on client work, over those paid
    hours less contact-centre shrinkage (breaks, leave, training; ``shrinkage.csv``). ``position`` says where the
    billable-hour rate at the base values falls against the published range (``below``, ``within``, ``above``)
    and ``gap`` by how much (0 within)."""
    billed = _num(_read("billed_rates"), ["low", "high"])
    shrink = _num(_read("shrinkage"), ["value", "low", "high"]).set_index("name").loc["contact_centre_shrinkage"]
    t = reference_table().set_index(["country", "role_family"])
    inputs = load_inputs()
    rows = []
    for b in billed.itertuples():
        if (b.country, b.role_family) not in t.index:
            continue
        r = t.loc[(b.country, b.role_family)]
        (h, _, _), _, _ = _hours(b.country, "per_hour_paid", inputs, CostAssumptions())
        paid = [r["price_low_usd"] / h, r["price_mid_usd"] / h, r["price_high_usd"] / h]
        billable = [
            r["price_low_usd"] / (h * (1 - shrink["low"])),
            r["price_mid_usd"] / (h * (1 - shrink["value"])),
            r["price_high_usd"] / (h * (1 - shrink["high"])),
        ]
        mid = billable[1]
        pos = "below" if mid < b.low else "above" if mid > b.high else "within"
        gap = mid / b.low - 1 if pos == "below" else mid / b.high - 1 if pos == "above" else 0.0
        rows.append(
            {
                "country": b.country,
                "role_family": b.role_family,
                "what": b.what,
                "billed_low": b.low,
                "billed_high": b.high,
                "paid_hours": h,
                "per_paid_hour_low": paid[0],
                "per_paid_hour_mid": paid[1],
                "per_paid_hour_high": paid[2],
                "per_billable_hour_low": billable[0],
                "per_billable_hour_mid": mid,
                "per_billable_hour_high": billable[2],
                "position": pos,
                "gap": gap,
                "source": f"{b.source}, {b.year} ({b.confidence}); shrinkage: {shrink['source']}",
            }
        )
    return pd.DataFrame(rows)


def write(path=None) -> pd.DataFrame:
    """Derive the table for every country in the location table and write it to ``labour_costs.csv``."""
    from .config import REFERENCE_DIR
    from .locations import load_locations

    countries = list(load_locations().index)
    out = derive(countries)
    out.to_csv(path or REFERENCE_DIR / "labour_costs.csv", index=False)
    return out


def main(argv: list[str] | None = None) -> int:
    out = write()
    n = out["cost_mid_usd"].notna().sum()
    print(f"labour_costs.csv: {len(out)} rows, {n} with a figure, {len(out) - n} need a quote")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
