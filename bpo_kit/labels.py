"""Display labels: the words a client reads for every column, parameter, role family, KPI and assumption.

One mapping for the whole kit, so that a page, a chart and the workbook call a thing by the same name.
``label("back_office_transactional")`` gives ``"Back-office transactional"``, ``label("net_savings")`` gives
``"Net savings"``; a name without an entry is still written in plain words (underscores become spaces, the
first letter is a capital, ``fte`` becomes ``FTE``). Units that do not depend on the client (months, hours,
0-100 scales, per cent) are part of the label; the currency is added by the page where it is known.

This module imports nothing of the kit, so anything may use it.
"""

from __future__ import annotations

import re

#: column names of the kit's tables
COLUMNS = {
    "process_id": "ID",
    "process_name": "Process",
    "apqc_pcf": "APQC PCF",  # APQC Process Classification Framework id, common in process inventories
    "function": "Function",
    "bpo_type": "BPO type",
    "process_category": "Category (core, critical, commodity)",
    "fte": "FTE",
    "annual_cost": "Annual cost",
    "cost_per_fte": "Cost per FTE",
    "cost_share": "Share of cost",
    "fte_share": "Share of FTE",
    "processes": "Processes",
    "recommendation": "Recommendation",
    "rationale": "Why",
    "outsourceability": "Outsourceability (0-100)",
    "operational_risk": "Operational risk (0-100)",
    "structural_risk": "Structural risk (0-100)",
    "readiness": "Readiness (0-100)",
    "strategic_importance": "Strategic importance (1-5)",
    "standardization": "Standardisation (1-5)",
    "measurability": "Measurability (1-5)",
    "data_sensitivity": "Data sensitivity (1-5)",
    "knowledge_intensity": "Knowledge intensity (1-5)",
    "interdependence": "Interdependence (1-5)",
    "automation_potential": "Automation potential (%)",
    "customer_facing": "Customer-facing",
    "sourcing_form": "Sourcing form",
    "aron_singh_form": "Organisational form",
    "role_family": "Role family",
    "country": "Country",
    "country_name": "Country",
    "hub_city": "Hub city",
    "region": "Region",
    "tier": "Tier",
    "overlap_jan": "Overlap in January (hours)",
    "overlap_jul": "Overlap in July (hours)",
    "shared_working_days": "Shared working days",
    "english_band": "English",
    "english_epi": "English (EF EPI score)",
    "data_protection_law": "Data protection law",
    "eu_adequacy": "EU adequacy decision",
    "processes_fit": "Processes that fit",
    "processes_priced": "Processes priced",
    "fit_share": "Share that fits",
    "fit_score": "Fit score (0-1)",
    "mean_fit_score": "Mean fit score (0-1)",
    "price_per_fte": "Price per FTE-year",
    "recommended_location": "Recommended location",
    "location_reason": "Why this location",
    "net_savings": "Net savings",
    "savings_pct": "Savings (%)",
    "npv": "NPV",
    "irr": "IRR (%)",
    "payback_month": "Payback (months)",
    "payback_months": "Payback (months)",
    "chance_of_loss": "Chance of a loss",
    "group": "Location",
    "net_p10": "Net savings P10",
    "net_p50": "Net savings P50",
    "net_p90": "Net savings P90",
    "npv_p10": "NPV P10",
    "npv_p50": "NPV P50",
    "npv_p90": "NPV P90",
    "net_pct_p10": "Net savings P10 (%)",
    "net_pct_p50": "Net savings P50 (%)",
    "net_pct_p90": "Net savings P90 (%)",
    "payback_p10": "Payback P10 (months)",
    "payback_p50": "Payback P50 (months)",
    "payback_p90": "Payback P90 (months)",
    "low_client": "Low",
    "mid_client": "Mid",
    "high_client": "High",
    "currency": "Currency",
    "basis": "Basis",
    "source": "Source",
    "year": "Year",
    "confidence": "Confidence",
    "parameter": "Setting",
    "assumption": "Assumption",
    "value": "Value",
    "low": "Low",
    "high": "High",
    "mid": "Mid",
    "meaning": "What it means",
    "low_value": "Low value",
    "high_value": "High value",
    "changed_at_low": "Changed at low value",
    "changed_at_high": "Changed at high value",
    "processes_changed": "Processes that change",
    "score": "Score",
    "threshold": "Threshold",
    "threshold_value": "Threshold value",
    "distance": "Distance to threshold",
    "provider": "Provider",
    "kpi": "KPI",
    "latest_month": "Latest month",
    "actual": "Actual",
    "target": "Target",
    "direction": "Better when",
    "unit": "Unit",
    "latest_status": "Latest status",
    "months": "Months",
    "months_in_breach": "Months in breach",
    "red_months": "Red months",
    "months_with_credit": "Months with a credit",
    "credits": "Service credits",
    "credit": "Service credit",
    "weighted_score": "Weighted score (1-5)",
    "cost_effectiveness": "Cost effectiveness (1-5)",
    "qualified": "Qualified",
    "rank": "Rank",
    "likelihood": "Likelihood (1-5)",
    "impact": "Impact (1-5)",
    "risk": "Risk",
    "mitigation": "Mitigation",
    "owner": "Owner",
    "amount": "Amount",
    "step": "Step",
    "contract_years": "Contract (years)",
    "one_time": "One-time costs",
    "one_time_costs": "One-time costs",
    "hidden_costs": "Hidden costs",
    "provider_cost": "Provider cost",
    "inhouse_cost": "In-house cost",
    "addressable_fte": "Addressable FTE",
    "addressable_cost": "Addressable cost",
    "onsite_share": "Share of the work needed on site",
    "transition_cost": "Transition cost",
    "re_transition_cost": "Cost of moving the work again",
    "exit_probability": "Chance of an exit",
    "expected_exit_cost": "Expected exit cost",
    "tower": "Tower",
    "total_per_year": "Total a year",
    "per_fte_year": "Per FTE-year",
    "label": "Risk",
    "benchmark": "Published benchmark",
    "what": "What it covers",
    "low_share": "Low (%)",
    "typical_share": "Typical (%)",
    "high_share": "High (%)",
    "plan_savings_pct": "The plan, P50 (%)",
    "plan_position": "The plan is",
}

#: settings and business-case assumptions, as their names appear in parameter and sensitivity tables
PARAMETERS = {
    "weights.strategic_importance": "Weight of strategic importance",
    "weights.standardization": "Weight of standardisation",
    "weights.measurability": "Weight of measurability",
    "weights.data_sensitivity": "Weight of data sensitivity",
    "weights.interdependence": "Weight of interdependence",
    "weights.knowledge_intensity": "Weight of knowledge intensity",
    "retain_threshold": "Strategic importance from which a process is kept (1-5)",
    "outsource_min_score": "Lowest outsourceability to outsource (0-100)",
    "automate_potential": "Automation potential from which to automate (%)",
    "automate_standardization": "Standardisation from which to automate (1-5)",
    "kpo_knowledge_threshold": "Knowledge intensity that makes a process knowledge work (1-5)",
    "high_risk": "Risk counted as high (0-100)",
    "low_risk": "Risk counted as low (0-100)",
    "critical_threshold": "Strategic importance that makes a process critical (1-5)",
    "borderline_margin": "Margin that makes a process borderline",
    "discount_rate": "Discount rate (% a year)",
    "contract_years": "Contract length (years)",
    "transition_months": "Transition (months)",
    "inhouse_cost_growth": "In-house cost growth (% a year)",
    "provider_wage_inflation": "Provider wage inflation (% a year)",
    "provider_margin": "Provider margin (%)",
    "labour_share_of_cost": "Labour share of cost (%)",
    "night_shift_premium": "Night-shift premium (%)",
    "reference_price_position": "Position in the reference price range",
    "governance": "Governance (share of contract value)",
    "vendor_selection": "Vendor selection",
    "transition": "Transition",
    "layoffs_retention": "Severance and retention",
    "process_improvement": "Process improvement",
    "lost_productivity": "Lost productivity",
    "productivity": "Productivity",
    "rag_amber_tolerance": "Tolerance before amber (%)",
    "parallel_running_share": "Parallel running (share of the transition)",
    "knowledge_transfer_share": "Knowledge-transfer team (share of FTE moved)",
    "retention_months": "Retention bonus (months of pay)",
    "productivity_ramp_multiplier": "Extra provider staff while ramping up",
    "ramp_months": "Provider ramp-up (months)",
    "ramp_shape": "Shape of the ramp-up",
    "residual_inhouse_work": "Work that stays in-house (%)",
    "leakage": "Savings leakage (%)",
    "stranded_costs": "Stranded costs (%)",
    "change_orders": "Change orders (% of provider price)",
    "baseline_error": "Error in today's cost (%)",
    "captive_cost_factor": "Captive cost against a third party (x)",
    "captive_ramp_factor": "Captive ramp-up against a third party (x)",
    "captive_setup_per_seat": "Captive set-up cost per seat",
    "captive_min_fte": "Smallest captive worth setting up (FTE)",
    "automation_cost_reduction": "Cost removed by automation (%)",
    "automation_failure_rate": "Automation projects that fail (%)",
    "automation_payback_months": "Automation payback (months)",
    "automation_build_months": "Automation build (months)",
    "mid_year_discounting": "Mid-year discounting",
    "severance_weeks": "Severance (weeks of pay)",
    "min_tower_fte": "Smallest tower (FTE)",
    "min_fit_share": "Share of a tower's FTE a location must take",
    "fx_EUR_USD": "Exchange rate EUR to USD",
}

#: published savings benchmarks of the reality check
BENCHMARKS = {
    "realised_distribution": "Deloitte: savings companies realise",
    "tpi_net_savings": "TPI: net savings of onshore deals",
    "forrester_tpi_infrastructure": "Forrester/TPI: infrastructure deals",
    "kearney_low_complexity": "A.T. Kearney: low-complexity offshoring",
    "kearney_medium_complexity": "A.T. Kearney: medium-complexity offshoring",
    "hackett_bpo_and_captive": "Hackett: BPO and captive centres",
    "ito_savings_sought": "IT outsourcing: savings sought",
    "overby_no_one_saves_80": "Overby: no one saves 80%",
    "captive_savings_india": "Captive centres in India",
    "deloitte_no_savings": "Deloitte: firms that saw no savings",
    "overby_hidden_costs": "Overby: hidden costs of offshoring",
}

#: provider selection criteria
CRITERIA = {
    "business_objectives": "Business objectives",
    "agility": "Agility",
    "flexibility": "Flexibility",
    "innovation": "Innovation",
    "differentiation": "Differentiation",
    "capabilities": "Capabilities",
    "cost_effectiveness": "Cost effectiveness",
    "expertise": "Expertise",
}

#: role families of the reference prices
ROLE_FAMILIES = {
    "contact_centre_agent": "Contact-centre agent",
    "back_office_transactional": "Back-office transactional",
    "finance_accounting_professional": "Finance and accounting professional",
    "it_support": "IT support",
    "knowledge_professional": "Knowledge professional",
}

#: KPIs of the monitoring page
KPIS = {
    "sla_adherence": "SLA adherence",
    "turnaround_time": "Turnaround time",
    "employee_satisfaction": "Employee satisfaction",
    "cost_savings": "Cost savings",
    "compliance": "Compliance",
    "quality": "Quality",
    "productivity": "Productivity",
    "first_contact_resolution": "First-contact resolution",
    "csat": "Customer satisfaction",
}

FUNCTIONS = {
    "finance_accounting": "Finance & accounting",
    "human_resources": "Human resources",
    "it_services": "IT services",
    "customer_service": "Customer service",
    "sales": "Sales",
    "marketing": "Marketing",
    "procurement": "Procurement",
    "legal": "Legal",
    "research_analytics": "Research & analytics",
    "operations": "Operations",
    "other": "Other",
}
BPO_TYPES = {"back_office": "Back office", "front_office": "Front office", "kpo": "Knowledge (KPO)"}

#: every label, most specific last (a parameter's name wins over a column of the same name)
LABELS: dict[str, str] = {
    **COLUMNS,
    **CRITERIA,
    **ROLE_FAMILIES,
    **KPIS,
    **FUNCTIONS,
    **BPO_TYPES,
    **BENCHMARKS,
    **PARAMETERS,
}

#: code values shown under a readable label, by the column that holds them
VALUES = {
    "function": FUNCTIONS,
    "bpo_type": BPO_TYPES,
    "role_family": ROLE_FAMILIES,
    "kpi": KPIS,
    "parameter": PARAMETERS,
    "assumption": PARAMETERS,
    "criterion": CRITERIA,
    "benchmark": BENCHMARKS,
    # the borderline table names the score it tests; the automation score carries its unit in the name
    "score": {"automation_potential (%)": "Automation potential (%)", "outsourceability": "Outsourceability (0-100)"},
}

#: where long words of a header may break when its column is narrow (a soft hyphen; browsers on Linux have
#: no hyphenation dictionary of their own)
BREAKS = {
    "addressable": "address-able",
    "interdependence": "inter-dependence",
    "measurability": "measur-ability",
    "operational": "oper-ational",
    "organisational": "organis-ational",
    "administration": "admin-istration",
    "structural": "struc-tural",
    "outsourceability": "outsource-ability",
    "procurement": "procure-ment",
    "productivity": "produc-tivity",
    "recommendation": "recommen-dation",
    "recommended": "recom-mended",
    "standardisation": "standard-isation",
    "effectiveness": "effective-ness",
    "improvement": "improve-ment",
    "professional": "profes-sional",
    "satisfaction": "satis-faction",
    "sensitivity": "sensi-tivity",
    "transactional": "trans-actional",
    "concentration": "concen-tration",
    "automation": "auto-mation",
    "cumulative": "cumu-lative",
}
_BREAKABLE = re.compile(r"[A-Za-z]{10,}")
_RANGE = re.compile(r"(\d)-(\d)")


def breakable(text: str) -> str:
    """``text`` with soft hyphens in its long words, so that a narrow column can break them where a reader
    expects (``Outsource-ability``); the text reads the same when there is room."""

    def soft(m: re.Match[str]) -> str:
        word = m.group(0)
        split = BREAKS.get(word.lower())
        if split is None:
            return word
        at = split.index("-")
        return word[:at] + "\u00ad" + word[at:]

    # a range such as (0-100) stays on one line: a non-breaking hyphen
    return _RANGE.sub("\\1\u2011\\2", _BREAKABLE.sub(soft, text))


# words that keep their capitals when a name is written out
_WORDS = {
    "fte": "FTE",
    "npv": "NPV",
    "irr": "IRR",
    "kpi": "KPI",
    "kpis": "KPIs",
    "sla": "SLA",
    "fx": "FX",
    "bpo": "BPO",
    "kpo": "KPO",
    "it": "IT",
    "eu": "EU",
    "id": "ID",
    "pct": "(%)",
    "usd": "USD",
    "eur": "EUR",
}
_PERCENTILE = re.compile(r"^p\d{1,2}$")
_SNAKE = re.compile(r"^[A-Za-z][A-Za-z0-9]*([_.][A-Za-z0-9]+)+$")


def label(name: object) -> str:
    """The words a reader sees for a column, parameter, role family, KPI or assumption."""
    text = str(name)
    if text in LABELS:
        return LABELS[text]
    if text.lower() in LABELS:
        return LABELS[text.lower()]
    words = [w for w in re.split(r"[_.\s]+", text) if w]
    if not words:
        return text
    out = [_WORDS.get(w.lower(), w.upper() if _PERCENTILE.match(w.lower()) else w) for w in words]
    first = out[0]
    if first == first.lower():
        out[0] = first[:1].upper() + first[1:]
    return " ".join(out)


def is_code_name(value: object) -> bool:
    """True for a value written like a code name (``back_office_transactional``, ``weights.measurability``)."""
    return isinstance(value, str) and bool(_SNAKE.match(value))


def value_label(column: object, value: object) -> object:
    """A cell's value as a reader sees it: code values of a known column (function, role family, KPI,
    parameter...) by their label, code names the kit knows by their label in any column; anything else
    unchanged."""
    if not isinstance(value, str):
        return value
    known = VALUES.get(str(column))
    if known is not None:
        if value in known:
            return known[value]
        if is_code_name(value):
            return label(value)
    elif is_code_name(value) and value in LABELS:
        # a code name the kit knows (a setting, a role family...) in any column; other text is left as it is,
        # since it may be the client's own (an ID such as AP_01)
        return LABELS[value]
    return value
