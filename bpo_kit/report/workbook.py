"""``assessment.xlsx``: the assessment's tables as a formatted Excel workbook.

Numbers are stored as numbers with the format of their kind (the rule the report pages use, from
``bpo_kit.style``), header rows are frozen, columns are readable widths. Client text is always text: control
characters are removed (a line break copied from PowerPoint cannot corrupt the file), and text Excel could run
as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return), in a cell, a header or a sheet
name, is stored as text with Excel's quote prefix, so opening the file never executes it.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from .. import labels, style
from ..assessment import Assessment
from ..business_case import LINE_LABELS
from ..reference import table

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_ROWS = 1_048_575  # Excel's limit, less the header
_HEADER_FONT = Font(name=style.WORKBOOK_FONT, bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor=style.INK.lstrip("#"))
_BODY_FONT = Font(name=style.WORKBOOK_FONT)
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


#: first columns that name a row: they stay in view when the reader scrolls right
ID_COLUMNS = ("row", "process_id", "process_name", "country", "tower", "provider", "group", "risk", "kpi", "year")
_TABLE_NAME = re.compile(r"[^A-Za-z0-9_]")


#: columns of the business case that are amounts of money over the contract, and their words there (the
#: label of ``governance`` elsewhere is the assumption's, a share)
_AMOUNTS = {
    **LINE_LABELS,
    "contract_value": "Contract value",
    "inhouse_total": "Today's cost over the contract",
    "transition": "Transition",
    "layoffs_retention": "Severance and retention",
    "lost_productivity": "Provider ramp-up",
}


def column_kind(column: str, values: pd.Series | None = None) -> str:
    """What a workbook column holds (``bpo_kit.style``'s rule; the business case's cost lines are money)."""
    if column in _AMOUNTS and (values is None or pd.api.types.is_numeric_dtype(values)):
        return "money"
    return style.column_kind(column, values)


def header_text(column: Any, values: pd.Series | None = None, currency: str = "", kind: str | None = None) -> str:
    """A column's header as a reader sees it: its display label (``bpo_kit.labels``) with its unit, the
    currency for money, ``%`` for shares and 0-100 for points."""
    text = style.plain_text(str(column))
    if not labels.is_code_name(text) and not re.fullmatch(r"[a-z][a-z0-9]*", text):
        return " ".join(text.split())  # the client's own header (or a hostile one) is kept as written
    out = _AMOUNTS.get(text) or style.header(text)
    kind = kind or column_kind(text, values)
    if kind == "money" and currency and currency not in out:
        out = f"{out} ({currency})"
    elif kind == "percent" and "%" not in out:
        out = f"{out} (%)"
    elif kind == "points" and "100" not in out:
        out = f"{out} (0-100)"
    return out


def _unique(names: list[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        name = name[:250] or "Column"  # Excel's limit on a table column's name is 255 characters
        base, n = name, 2
        while name.lower() in (o.lower() for o in out):
            name, n = f"{base} ({n})", n + 1
        out.append(name)
    return out


def add_table(ws: Worksheet, width: int, rows: int, id_columns: int = 1, header_row: int = 1) -> None:
    """Make the block from ``header_row`` an Excel table (header row, banded rows, filter buttons) and set the
    sheet up for reading and printing: header and ID columns frozen, landscape, fit to one page wide, the
    header row repeated on every printed page."""
    if not width:
        return
    end = get_column_letter(width)
    last = header_row + max(rows, 1)
    for j in range(1, width + 1):
        cell = ws.cell(header_row, j)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    taken = {t.lower() for s in ws.parent.worksheets for t in s.tables}
    name = "t_" + _TABLE_NAME.sub("_", ws.title)
    base, n = name, 2
    while name.lower() in taken:
        name, n = f"{base}_{n}", n + 1
    table = Table(displayName=name, ref=f"A{header_row}:{end}{last}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    ws.add_table(table)
    ws.freeze_panes = f"{get_column_letter(min(id_columns, width) + 1)}{header_row + 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = f"{header_row}:{header_row}"
    for j in range(1, width + 1):
        letter = get_column_letter(j)
        if ws.column_dimensions[letter].width in (None, 13.0):
            # a header wraps; a formula shows a number
            cells = ws[letter][header_row : header_row + 200]
            sample = [12 if c.data_type == "f" else len(str(c.value or "")) for c in cells]
            sample.append(min(len(str(ws.cell(header_row, j).value or "")), 14))
            ws.column_dimensions[letter].width = min(40, max(10, max(sample) + 2))
    # long text wraps inside its column rather than running on past the table (and off the printed page)
    wrap = Alignment(wrap_text=True, vertical="top")
    limits = [ws.column_dimensions[get_column_letter(j)].width or 13.0 for j in range(1, width + 1)]
    for row in ws.iter_rows(min_row=header_row + 1, max_row=last, max_col=width):
        lines = 1
        for cell, limit in zip(row, limits, strict=False):
            if isinstance(cell.value, str) and cell.data_type == "s" and len(cell.value) > limit:
                cell.alignment = wrap
                lines = max(lines, -(-len(cell.value) // max(int(limit) - 1, 1)))
        if lines > 1:
            # spreadsheet programs do not all grow a row to its wrapped text when they open a file
            ws.row_dimensions[row[0].row].height = 15 * min(lines, 12)
    # wrapped headers get the height of their longest, so that no spreadsheet program cuts them
    lines = max(
        -(
            -len(str(ws.cell(header_row, j).value or ""))
            // max(int(ws.column_dimensions[get_column_letter(j)].width) - 1, 1)
        )
        for j in range(1, width + 1)
    )
    ws.row_dimensions[header_row].height = 15 * min(max(lines, 1), 6)


def _write_sheet(
    wb: Workbook,
    name: str,
    df: pd.DataFrame,
    note: str = "",
    currency: str = "",
    kinds: dict | None = None,
    identifiers: bool = False,
) -> str:
    """One table as one sheet; returns what the cover's list of sheets says about it (``note``, and that rows
    were cut where Excel cannot hold them all). Notes are never written under the table. ``kinds`` sets the
    kind of a column whose name misleads the rule (a cost pillar scored 0-100 is not money). ``identifiers``
    keeps the column names and values as they are: a sheet other tools read by its column names."""
    kinds = kinds or {}
    ws = wb.create_sheet(sheet_title(name, wb.sheetnames))
    df = df.reset_index(drop=True)
    if len(df) > MAX_ROWS:
        note = f"{note} Only the first {MAX_ROWS:,} of {len(df):,} rows fit in Excel.".strip()
        df = df.head(MAX_ROWS)
    if identifiers:
        headers = [str(c) for c in df.columns]
    else:
        headers = _unique([header_text(c, df[c], currency, kinds.get(c)) for c in df.columns])
    for j, text in enumerate(headers, start=1):
        put(ws, 1, j, text)
    formats = [style.NUMBER_FORMATS.get(kinds.get(c) or column_kind(str(c), df[c])) for c in df.columns]
    columns = list(df.columns)
    for i, row in enumerate(df.itertuples(index=False, name=None), start=2):
        for j, (value, fmt) in enumerate(zip(row, formats, strict=True), start=1):
            cell = put(ws, i, j, value if identifiers else labels.value_label(columns[j - 1], value))
            cell.font = _BODY_FONT
            if fmt is not None and isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                cell.number_format = fmt.excel
    for j, c in enumerate(headers, start=1):
        sample = [min(len(c), 24)] + [len(str(v)) for v in df.iloc[:200, j - 1].tolist()]
        ws.column_dimensions[get_column_letter(j)].width = min(60, max(10, max(sample) + 2))
    ids = next((j for j, c in enumerate(columns[:3]) if str(c) not in ID_COLUMNS), min(3, len(columns)))
    add_table(ws, len(columns), len(df), id_columns=ids)
    return note


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


def write_cover(wb: Workbook, a: Assessment, sheets: list[tuple[str, str]], figures: dict) -> Worksheet:
    """The cover: client, date, the key figures and what each sheet holds (every note of the workbook)."""
    ws = wb.create_sheet("cover", 0)
    cur = a.currency
    bold = Font(name=style.WORKBOOK_FONT, bold=True)
    put(ws, 1, 1, "Outsourcing assessment").font = Font(name=style.WORKBOOK_FONT, bold=True, size=16)
    facts = [
        ("Client", figures.get("client") or a.client.config.name),
        ("Date", date.today().isoformat()),
        ("Currency", cur),
        ("Contract", f"{figures.get('contract_years')} years"),
    ]
    r = 3
    for k, v in facts:
        put(ws, r, 1, k).font = bold
        put(ws, r, 2, v)
        r += 1
    r += 1
    put(ws, r, 1, "Key figures (base case; P10-P90 from the Monte Carlo simulation)").font = bold
    r += 1

    def band(key: str) -> dict:
        return figures.get(key) or {}

    rows: list[tuple[str, Any, str]] = [
        (f"Net present value ({cur})", band("npv").get("base"), "#,##0"),
        (f"  P10 to P90 ({cur})", _range(band("npv")), ""),
        (f"Net savings over the contract ({cur})", band("net_savings").get("base"), "#,##0"),
        ("Net savings, share of today's cost", band("net_savings_pct").get("base"), "0.0%"),
        ("Payback (month of the contract)", band("payback_month").get("base"), "0"),
        ("Internal rate of return", figures.get("irr_base"), "0.0%"),
        (f"One-time costs ({cur})", figures.get("one_time_costs_base"), "#,##0"),
        ("Hidden costs, share of the contract value", figures.get("hidden_costs_share_of_contract_value"), "0.0%"),
        ("Chance the NPV is negative", figures.get("probability_npv_negative"), "0.0%"),
        ("Processes moved", figures.get("processes_moved"), "#,##0"),
        ("FTE moved", figures.get("fte_moved"), "#,##0.0"),
        ("Recommended provider", figures.get("recommended_provider") or "no bids", ""),
    ]
    for text, value, fmt in rows:
        put(ws, r, 1, text)
        cell = put(ws, r, 2, value)
        if fmt:
            cell.number_format = fmt
        r += 1
    put(ws, r, 1, f"Net present value, live from the model sheet ({cur})")
    live = ws.cell(r, 2)
    live.value, live.number_format = "=plan_npv", "#,##0"
    r += 2
    put(ws, r, 1, "About the model").font = bold
    from .excel_model import horizon

    for line in MODEL_NOTES:
        r += 1
        put(ws, r, 1, line.format(horizon=horizon(a)))
    r += 2
    put(ws, r, 1, "Sheet")
    put(ws, r, 2, "What it holds")
    for title, note in sheets:
        r += 1
        put(ws, r, 1, title)
        put(ws, r, 2, note)
    ws.column_dimensions["A"].width = 52
    ws.column_dimensions["B"].width = 110
    add_table(ws, 2, len(sheets), id_columns=0, header_row=r - len(sheets))
    ws.freeze_panes = None
    return ws


def _range(band: dict) -> str:
    lo, hi = band.get("p10"), band.get("p90")
    return f"{lo:,.0f} to {hi:,.0f}" if lo is not None and hi is not None else "not simulated"


MODEL_NOTES = (
    "The model sheet holds the plan's cash flows year by year as live formulas over the input cells of the "
    "assumptions sheet (yellow): change one and the NPV and net savings follow.",
    "Its lines (model_lines) take each move's FTE, today's cost and the provider's annual price as values; every "
    "step that depends on an assumption is a formula, as in the kit.",
    "The provider's annual price of each move is computed by the kit (not live): the bid, rate card or reference "
    "price, escalated to the base year, with the night-shift premium. Productivity, the position in a published "
    "price range, labour's share of cost, the provider margin and the night-shift premium act through it.",
    "Contract years can be set from 1 to {horizon}, the years the model lays out; every other sheet holds the "
    "kit's values at the base assumptions.",
)


def write_workbook(a: Assessment, path: Path) -> Path:
    """Write the assessment's workbook to ``path``: a cover, the live model over its assumptions, then every
    table of the assessment as an Excel table."""
    from ..business_case import COST_LINES, location_summary
    from .excel_model import write_model

    wb = Workbook()
    wb.remove(wb.active)
    cur = a.currency
    sheets: list[tuple[str, str]] = []

    def sheet(name: str, df: pd.DataFrame, note: str, kinds: dict | None = None, identifiers: bool = False) -> None:
        note = _write_sheet(wb, name, df, note, cur, kinds, identifiers)
        sheets.append((wb.sheetnames[-1], note))

    write_model(wb, a, add_table, put)
    years = a.client.config.contract_years
    sheets += [
        (
            "model",
            f"The plan's cash flows by contract year, {cur}, base case, as live formulas; defines plan_npv and "
            "plan_net_savings.",
        ),
        ("assumptions", "Every business-case assumption; the yellow values are the model's named input cells."),
        ("model_lines", "The model's working: one row per recommended move and contract year, live formulas."),
    ]
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
    sheet(
        "processes",
        processes,
        "Every accepted inventory row with its own columns, the classification, its own best location and the "
        "tower it moves with.",
    )
    sheet(
        "towers",
        a.towers(),
        f"The sourcing plan: one row per tower, {cur}; provider cost per year, net savings and NPV over "
        "the contract, base case. Column names are identifiers other tools read.",
        identifiers=True,
    )
    if len(a.inventory.rejected):
        sheet("rejected_rows", a.inventory.rejected, "Rows set aside, with every reason.")
    locations = a.profile.merge(
        location_summary(a.evaluated, a.processes, a.profile).drop(columns=["country_name", "tier"]),
        on="country",
        how="left",
    )
    sheet("locations", locations, f"Each candidate location: its profile and the business case of moving there, {cur}.")
    index = a.location_index()
    sheet(
        "location_index",
        index,
        "Attractiveness of every reference country (ISO code), 0-100 per pillar and weighted; sources in the "
        "location report. Column names are identifiers other tools read.",
        {c: "points" for c in index.columns if pd.api.types.is_float_dtype(index[c])},
        identifiers=True,
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
    sheet("business_case", chosen[bc_cols], f"Recommended moves over {years} years, {cur}, base case.")
    sheet("cash_by_year", a.j_curve(), f"The plan's net cash by contract year, {cur}, base case.")
    automation = a.automation_case()
    if len(automation):
        sheet("automation", automation, f"The automation case per process, {cur}.")
    sheet(
        "monte_carlo",
        pd.concat([a.monte_carlo(plan=True), a.monte_carlo()], ignore_index=True),
        f"{a.client.config.monte_carlo_draws:,} draws, seed {a.client.config.seed}.",
    )
    ranking = a.provider_ranking()
    if ranking is not None:
        shares = a.provider_win_shares()
        sheet(
            "providers", ranking.merge(shares, on="provider", how="left"), "Providers ranked, with how often each wins."
        )
    sheet("risks", a.risk_register(), "The risk register.")
    card = a.kpi_scorecard()
    if card is not None:
        sheet("kpis", card, "The KPI scorecard.")
        credits = a.service_credits()
        if credits is not None:
            sheet("service_credits", credits, "Service credits owed under the KPIs.")
    sheet(
        "sources",
        assumption_rows(a),
        "Every parameter and default used, and every reference figure with its source and year.",
    )
    write_cover(wb, a, sheets, a.headline())
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
