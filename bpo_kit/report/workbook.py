"""``assessment.xlsx``: the assessment's tables as a formatted Excel workbook.

Numbers are stored as numbers with the format of their kind (the rule the report pages use, from
``bpo_kit.style``), header rows are frozen, columns are readable widths. Client text is always text: control
characters are removed (a line break copied from PowerPoint cannot corrupt the file), and text Excel could run
as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return), in a cell, a header or a sheet
name, is stored as text with Excel's quote prefix, so opening the file never executes it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .. import style
from ..assessment import Assessment
from ..reference import table

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_ROWS = 1_048_575  # Excel's limit, less the header
_HEADER_FONT = Font(name=style.WORKBOOK_FONT, bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor=style.INK.lstrip("#"))
_BODY_FONT = Font(name=style.WORKBOOK_FONT)
_NOTE_FONT = Font(name=style.WORKBOOK_FONT, italic=True)
_SHEET_NAME_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")


def cell_value(value: Any) -> Any:
    """A table value as the workbook stores it: missing as empty, numpy numbers as Python numbers, lists
    joined, everything else as clean text."""
    if isinstance(value, list | tuple):
        return style.plain_text("; ".join(map(str, value)))
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return None if np.isnan(value) else float(value)
    if isinstance(value, int | float):
        return value
    return style.plain_text(value)


def put(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write one value; text is always stored as text, never as a formula."""
    cell = ws.cell(row=row, column=column)
    cell.value = cell_value(value)
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if cell.value.startswith(FORMULA_START):
            cell.quotePrefix = True
    return cell


def sheet_title(name: str, taken: list[str]) -> str:
    """A valid, unique sheet name: no characters Excel refuses, no control characters, no formula character
    first, 31 characters at most."""
    # Excel never evaluates a sheet name, but one that reads as a formula is refused anyway, as in cells
    title = _SHEET_NAME_FORBIDDEN.sub(" ", style.plain_text(name)).lstrip("=+-@").strip().strip("'") or "sheet"
    title = title[:31]
    base, n = title, 2
    while title.lower() in (t.lower() for t in taken):
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    return title


def _write_sheet(wb: Workbook, name: str, df: pd.DataFrame, note: str = "") -> None:
    ws = wb.create_sheet(sheet_title(name, wb.sheetnames))
    df = df.reset_index(drop=True)
    if len(df) > MAX_ROWS:
        note = f"{note} Only the first {MAX_ROWS:,} of {len(df):,} rows fit in Excel.".strip()
        df = df.head(MAX_ROWS)
    for j, column in enumerate(df.columns, start=1):
        cell = put(ws, 1, j, str(column))
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    formats = [style.column_format(str(c), df[c]) for c in df.columns]
    for i, row in enumerate(df.itertuples(index=False, name=None), start=2):
        for j, (value, fmt) in enumerate(zip(row, formats, strict=True), start=1):
            cell = put(ws, i, j, value)
            cell.font = _BODY_FONT
            if fmt is not None and isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                cell.number_format = fmt.excel
    for j, c in enumerate(df.columns, start=1):
        sample = [len(str(c))] + [len(str(v)) for v in df.iloc[:200, j - 1].tolist()]
        ws.column_dimensions[get_column_letter(j)].width = min(60, max(10, max(sample) + 2))
    ws.freeze_panes = "A2"
    if len(df.columns):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(df.columns))}{len(df) + 1}"
    if note:
        put(ws, len(df) + 3, 1, note).font = _NOTE_FONT


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
    processes = a.processes_with_towers().merge(a.plan[plan_cols], on="process_id", how="left")
    _write_sheet(
        wb,
        "processes",
        processes,
        "Every accepted inventory row with its own columns, the classification, its own best location and the "
        "tower it moves with.",
    )
    _write_sheet(
        wb,
        "towers",
        a.towers(),
        f"The sourcing plan: one row per tower, {a.currency}; provider cost per year, net savings and NPV over "
        "the contract, base case.",
    )
    if len(a.inventory.rejected):
        _write_sheet(wb, "rejected_rows", a.inventory.rejected, "Rows set aside, with every reason.")
    from ..business_case import COST_LINES, location_summary

    locations = a.profile.merge(
        location_summary(a.evaluated, a.processes, a.profile).drop(columns=["country_name", "tier"]),
        on="country",
        how="left",
    )
    _write_sheet(wb, "locations", locations)
    _write_sheet(
        wb,
        "location_index",
        a.location_index(),
        "Attractiveness of every reference country, 0-100 per pillar and weighted; sources in the location report.",
    )
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
        "tower",
        "operating_model",
        "provider",
        "price_source",
        "contract_value",
        *COST_LINES,
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
    _write_sheet(wb, "cash_by_year", a.j_curve(), f"The plan's net cash by contract year, {a.currency}, base case.")
    automation = a.automation_case()
    if len(automation):
        _write_sheet(wb, "automation", automation, f"The automation case per process, {a.currency}.")
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
