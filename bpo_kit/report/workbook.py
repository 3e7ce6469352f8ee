"""``assessment.xlsx``: the assessment's tables as a formatted Excel workbook.

Numbers are stored as numbers with formats, header rows are frozen, columns are readable widths, and client text
that Excel could run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) is stored as
text with Excel's quote prefix, so opening the file never executes it.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..assessment import Assessment
from ..reference import table

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_ROWS = 1_048_575  # Excel's limit, less the header
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")
_PERCENT = re.compile(r"(_pct|_share|share_|_rate|^fit_share$|win_share|chance_of_loss|automation_potential)")
_MONEY = re.compile(
    r"(cost|price|savings|npv|arbitrage|credit|fee|inhouse|provider_|_total|^amount$|"
    r"selection|transition$|layoffs|improvement|productivity$|governance$|hidden|net_p|npv_p)"
)


def _number_format(column: str, series: pd.Series) -> str | None:
    if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        return None
    if _PERCENT.search(column):
        return "0.0%"
    if _MONEY.search(column):
        return "#,##0"
    if pd.api.types.is_integer_dtype(series):
        return "0"
    return "#,##0.00"


def _write_sheet(wb: Workbook, name: str, df: pd.DataFrame, note: str = "") -> None:
    ws = wb.create_sheet(name)
    df = df.reset_index(drop=True)
    if len(df) > MAX_ROWS:
        note = f"{note} Only the first {MAX_ROWS:,} of {len(df):,} rows fit in Excel.".strip()
        df = df.head(MAX_ROWS)
    ws.append([str(c) for c in df.columns])
    for cell in ws[1]:
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    formats = {i: _number_format(str(c), df[c]) for i, c in enumerate(df.columns)}
    for row in df.itertuples(index=False):
        values = []
        for v in row:
            if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA or v is pd.NaT:
                values.append(None)
            elif isinstance(v, (np.bool_, bool)):
                values.append(bool(v))
            elif isinstance(v, np.integer):
                values.append(int(v))
            elif isinstance(v, np.floating):
                values.append(float(v))
            elif isinstance(v, (list, tuple)):
                values.append("; ".join(map(str, v)))
            else:
                values.append(v if isinstance(v, (int, float)) else str(v))
        ws.append(values)
    for col_idx, fmt in formats.items():
        letter = get_column_letter(col_idx + 1)
        for cell in ws[letter][1:]:
            if isinstance(cell.value, str):
                if cell.value.startswith(FORMULA_START):
                    cell.data_type = "s"  # stored as text, never as a formula
                    cell.quotePrefix = True
            elif fmt and isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                cell.number_format = fmt
    for i, c in enumerate(df.columns, start=1):
        sample = [len(str(c))] + [len(str(v)) for v in df.iloc[:200, i - 1].tolist()]
        ws.column_dimensions[get_column_letter(i)].width = min(60, max(10, max(sample) + 2))
    ws.freeze_panes = "A2"
    if len(df.columns):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(df.columns))}{len(df) + 1}"
    if note:
        ws.cell(row=len(df) + 3, column=1, value=note).font = Font(italic=True)


def assumption_rows(a: Assessment) -> pd.DataFrame:
    """Every parameter and default used, and every reference figure with its source and year."""
    parts = []
    cfg = a.client.config
    parts.append(
        pd.DataFrame(
            {
                "section": "client.yaml",
                "name": [
                    "home_country",
                    "currency",
                    "business_hours",
                    "language",
                    "contract_years",
                    "discount_rate",
                    "allow_sensitive_offshore",
                    "seed",
                    "monte_carlo_draws",
                    "rag_amber_tolerance",
                ],
                "value": [
                    cfg.home_country,
                    cfg.currency,
                    f"{cfg.business_hours.start:%H:%M}-{cfg.business_hours.end:%H:%M} {cfg.business_hours.timezone}",
                    a.client.language,
                    cfg.contract_years,
                    cfg.discount_rate,
                    cfg.allow_sensitive_offshore,
                    cfg.seed,
                    cfg.monte_carlo_draws,
                    cfg.rag_amber_tolerance,
                ],
                "source": "client.yaml or its documented default",
            }
        )
    )
    rules = a.rules.parameters().rename(columns={"parameter": "name", "meaning": "unit"})
    parts.append(rules.assign(section="classification", source="kit default unless set under classification"))
    parts.append(a.assumptions.assign(section="business case"))
    parts.append(
        pd.DataFrame(
            {
                "section": "tiers and fit",
                "name": ["tier rule", "fit rules"],
                "value": [a.tier_rule.describe(), str(a.fit_rules)],
                "source": "kit default",
            }
        )
    )
    for name in ("labour_costs", "hidden_costs", "provider_economics", "savings_benchmarks", "locations", "risks"):
        ref = table(name)
        key = ref.columns[0]
        desc = ref.drop(columns=[c for c in ("source", "year") if c in ref.columns])
        parts.append(
            pd.DataFrame(
                {
                    "section": f"reference: {name}.csv",
                    "name": ref[key].astype(str) + (" / " + ref["role_family"] if "role_family" in ref else ""),
                    "value": desc.drop(columns=[key])
                    .astype(str)
                    .apply(
                        lambda r: "; ".join(f"{k}={v}" for k, v in r.items() if v not in ("nan", "None", "<NA>")),
                        axis=1,
                    ),
                    "source": ref["source"],
                    "year": ref["year"],
                }
            )
        )
    cols = ["section", "name", "value", "low", "high", "unit", "source", "year"]
    out = pd.concat(parts, ignore_index=True)
    for c in cols:
        if c not in out:
            out[c] = None
    out["value"] = out["value"].map(lambda v: v if isinstance(v, (int, float, bool)) or v is None else str(v))
    return out[cols]


def write_workbook(a: Assessment, path: Path) -> Path:
    """Write the assessment's workbook to ``path``."""
    wb = Workbook()
    wb.remove(wb.active)
    plan_cols = [
        "process_id",
        "recommended_location",
        "tier",
        "fit_score",
        "provider_cost",
        "net_savings",
        "savings_pct",
        "npv",
        "payback_month",
        "location_reason",
    ]
    processes = a.processes.merge(a.plan[plan_cols], on="process_id", how="left")
    _write_sheet(
        wb,
        "processes",
        processes,
        "Every accepted inventory row with its own columns, the classification and the location plan.",
    )
    if len(a.inventory.rejected):
        _write_sheet(wb, "rejected_rows", a.inventory.rejected, "Rows set aside, with every reason.")
    from ..business_case import location_summary

    locations = a.profile.merge(
        location_summary(a.evaluated, a.processes, a.profile).drop(columns=["country_name", "tier"]),
        on="country",
        how="left",
    )
    _write_sheet(wb, "locations", locations)
    chosen = a.recommended_pairs()
    bc_cols = [
        "process_id",
        "country",
        "tier",
        "role_family",
        "basis",
        "fte",
        "annual_cost",
        "provider_cost",
        "inhouse_total",
        "gross_arbitrage",
        "vendor_selection",
        "transition",
        "layoffs_retention",
        "process_improvement",
        "lost_productivity",
        "governance",
        "hidden_costs",
        "net_savings",
        "savings_pct",
        "npv",
        "payback_month",
    ]
    _write_sheet(
        wb,
        "business_case",
        chosen[bc_cols],
        f"Recommended moves over {a.client.config.contract_years} years, {a.currency}, base case.",
    )
    _write_sheet(
        wb,
        "monte_carlo",
        pd.concat([a.monte_carlo(plan=True), a.monte_carlo()], ignore_index=True),
        f"{a.client.config.monte_carlo_draws:,} draws, seed {a.client.config.seed}.",
    )
    ranking = a.provider_ranking()
    if ranking is not None:
        shares = a.provider_win_shares()
        _write_sheet(wb, "providers", ranking.merge(shares, on="provider", how="left"))
    _write_sheet(wb, "risks", a.risk_register())
    card = a.kpi_scorecard()
    if card is not None:
        _write_sheet(wb, "kpis", card)
        credits = a.service_credits()
        if credits is not None:
            _write_sheet(wb, "service_credits", credits)
    _write_sheet(wb, "assumptions", assumption_rows(a))
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
