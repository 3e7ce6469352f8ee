"""The workbook's live model: the plan's cash flows as Excel formulas over named assumption cells.

Three sheets. ``assumptions`` holds every business-case assumption in one row, its value in a cell named after
it (``discount_rate``, ``contract_years``, ``wage_inflation``, ``transition_months``, ``governance``,
``leakage``, ``severance_weeks``...), so that a finance team can change a value and watch the model move.
``model_lines`` holds one row per recommended move and contract year: the move's drivers (FTE, today's cost,
the provider's annual price) as values, and every step that depends on an assumption as a formula, the same
steps as :func:`bpo_kit.business_case.yearly_flows`. ``model`` sums the lines year by year, discounts them and
defines ``plan_npv`` and ``plan_net_savings``; recalculated by a spreadsheet program they equal the kit's base
case.

The provider's annual price of each move is the one step kept as a value: the sourcing plan finds it (bid,
rate card or reference price), escalates published prices to the base year and adds the night-shift premium,
so the assumptions acting through it are computed by the kit, not live.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .. import business_case as bc
from .. import labels
from ..assessment import Assessment

#: years the model sheet lays out: the contract may be set to any length up to this in ``contract_years``
MIN_HORIZON = 10
#: assumptions that act through the provider's price, which the kit computes (the model takes it as a value)
THROUGH_PRICE = (
    "productivity",
    "reference_price_position",
    "labour_share_of_cost",
    "provider_margin",
    "night_shift_premium",
    "base_year",
)
#: assumptions the plan's cash flows do not use (the automation case, the choice of operating model, FX)
NOT_IN_PLAN = (
    "captive_min_fte",
    "automation_cost_reduction",
    "automation_failure_rate",
    "automation_payback_months",
    "automation_build_months",
)
#: a second name for an input cell, in the words of the brief a finance team reads
ALIASES = {"wage_inflation": "provider_wage_inflation"}
NOT_LIVE = "computed by the kit (not live)"
_PERCENT = {
    "provider_wage_inflation",
    "inhouse_cost_growth",
    "labour_share_of_cost",
    "provider_margin",
    "night_shift_premium",
    "reference_price_position",
    "discount_rate",
    "baseline_error",
}
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_CELL_LIKE = re.compile(r"^[A-Za-z]{1,3}[0-9]+$|^[RrCc][0-9]*$")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
INPUT_FONT = Font(name="Arial", color="1F4E9A")
MONEY = "#,##0"


def horizon(a: Assessment) -> int:
    """Contract years the model lays out (at least :data:`MIN_HORIZON`, at least the contract)."""
    return max(MIN_HORIZON, int(a.client.config.contract_years))


def is_name(name: str) -> bool:
    """True where ``name`` can be an Excel defined name (letters, digits, underscores; not a cell address)."""
    return bool(_NAME.match(name)) and not _CELL_LIKE.match(name) and name.lower() not in ("true", "false")


def _role(name: str) -> str:
    if name in THROUGH_PRICE:
        return f"through the provider's price, {NOT_LIVE}"
    if name in NOT_IN_PLAN or name.startswith("fx_"):
        return "not used by the plan's cash flows"
    return "live"


def _number_format(name: str, unit: str) -> str:
    if name in _PERCENT or "share" in str(unit) or name in bc.COST_LINES or name in ("vendor_selection",):
        return "0.0%"
    if name in ("contract_years", "base_year", "ramp_shape", "mid_year_discounting"):
        return "0"
    if name in ("severance_weekly_cap", "captive_setup_per_seat"):
        return MONEY
    return "#,##0.00"


def write_assumptions(wb: Workbook, a: Assessment, add_table: Callable, put: Callable) -> Worksheet:
    """The ``assumptions`` sheet: one row per business-case assumption, its value an input cell named after it."""
    ws = wb.create_sheet("assumptions")
    rows = a.assumptions.reset_index(drop=True)
    header = ["Assumption", "Name in formulas", "Value", "Low", "High", "Unit", "In the model", "Source"]
    for j, h in enumerate(header, start=1):
        put(ws, 1, j, h)
    years = horizon(a)
    for i, r in enumerate(rows.itertuples(index=False), start=2):
        name = str(r.name)
        put(ws, i, 1, labels.label(name))
        put(ws, i, 2, name if is_name(name) else "")
        fmt = _number_format(name, r.unit)
        for j, v in ((3, r.value), (4, r.low), (5, r.high)):
            put(ws, i, j, float(v) if pd.notna(v) else None).number_format = fmt
        put(ws, i, 6, r.unit)
        put(ws, i, 7, _role(name))
        put(ws, i, 8, r.source)
        value = ws.cell(i, 3)
        if name == "contract_years":
            value.value = int(r.value)
            rule = DataValidation(
                type="whole",
                operator="between",
                formula1="1",
                formula2=str(years),
                showErrorMessage=True,
                errorTitle="Contract years",
                error=f"The model lays out {years} years: enter a whole number from 1 to {years}.",
            )
            ws.add_data_validation(rule)
            rule.add(value.coordinate)
        if is_name(name):
            value.fill, value.font = INPUT_FILL, INPUT_FONT
            ref = f"assumptions!$C${i}"
            wb.defined_names[name] = DefinedName(name, attr_text=ref)
            for alias, target in ALIASES.items():
                if target == name:
                    wb.defined_names[alias] = DefinedName(alias, attr_text=ref)
    ws.column_dimensions["A"].width, ws.column_dimensions["F"].width, ws.column_dimensions["H"].width = 30, 40, 80
    add_table(ws, len(header), len(rows), id_columns=1)
    return ws


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    formula: str  # a template over {r} (the row) and {key} (another column's letter)
    fmt: str = MONEY


def _letters(columns: list[Column]) -> dict[str, str]:
    from openpyxl.utils import get_column_letter

    return {c.key: get_column_letter(j) for j, c in enumerate(columns, start=1)}


def _overlap(lo: str, hi: str) -> str:
    """Months of [lo, hi) (months from contract start) in the row's contract year, as a formula."""
    return f"MAX(0,MIN({hi},12*{{year}}{{r}})-MAX({lo},12*({{year}}{{r}}-1)))"


#: value columns of a line (drivers of one move, written by the kit) then formula columns (every step that
#: depends on an assumption), in the order of :func:`bpo_kit.business_case.yearly_flows`
LINE_FORMULAS = [
    Column("t", "Transition (months)", "transition_months*IF({captive}{r}=1,captive_ramp_factor,1)", "0.0"),
    Column("price", "Provider price, year one", "{provider}{r}*IF({captive}{r}=1,captive_cost_factor,1)"),
    Column(
        "inh", "Today's cost this year", "{annual_cost}{r}*(1+baseline_error)*(1+inhouse_cost_growth)^({year}{r}-1)"
    ),
    Column("prov", "Provider price this year", "{price}{r}*(1+provider_wage_inflation)^({year}{r}-1)"),
    Column("active", "Months live", _overlap("{t}{r}", "12*{year}{r}"), "0.0"),
    Column("avoided", "Cost avoided", "{inh}{r}*{active}{r}/12"),
    Column("contract", "Provider cost", "{prov}{r}*{active}{r}/12"),
    Column("gross", "Gross arbitrage", "{avoided}{r}-{contract}{r}"),
    Column("vendor_selection", "Vendor selection", "vendor_selection*{price}{r}*({year}{r}=1)"),
    Column("process_improvement", "Process improvement", "process_improvement*{price}{r}*({year}{r}=1)"),
    Column("captive_setup", "Captive set-up", "captive_setup_per_seat*{fte}{r}*{captive}{r}*({year}{r}=1)"),
    Column(
        "knowledge_transfer",
        "Knowledge transfer",
        "knowledge_transfer_share*{inh}{r}*" + _overlap("0", "{t}{r}") + "/12",
    ),
    Column(
        "parallel_running",
        "Parallel running",
        "{prov}{r}*" + _overlap("{t}{r}-parallel_running_share*{t}{r}", "{t}{r}") + "/12",
    ),
    Column("golive", "Go-live year (1 = yes)", "IF({year}{r}=MAX(ROUNDUP({t}{r}/12,0),1),1,0)", "0"),
    Column(
        "severance",
        "Severance and notice",
        "(1-residual_inhouse_work)*(MIN(severance_capped_weeks,severance_weeks)*IF(severance_weekly_cap>0,"
        "MIN({inh}{r}/52/MAX({fte}{r},1E-9),severance_weekly_cap)*MAX({fte}{r},1E-9),{inh}{r}/52)"
        "+(severance_weeks-MIN(severance_capped_weeks,severance_weeks))*{inh}{r}/52)*{golive}{r}",
    ),
    Column("retention", "Retention bonuses", "(1-residual_inhouse_work)*retention_months/12*{inh}{r}*{golive}{r}"),
    Column(
        "a0",
        "Ramp months before the year",
        "MIN(MAX(12*({year}{r}-1),{t}{r}),{t}{r}+MAX(ramp_months,1E-9))-{t}{r}",
        "0.0",
    ),
    Column(
        "a1",
        "Ramp months to the year's end",
        "MIN(MAX(12*{year}{r},{t}{r}),{t}{r}+MAX(ramp_months,1E-9))-{t}{r}",
        "0.0",
    ),
    Column(
        "productivity_ramp",
        "Provider ramp-up",
        "(productivity_ramp_multiplier-1)*{prov}{r}*((1-ramp_shape)*({a1}{r}-{a0}{r})+ramp_shape*"
        "(({a1}{r}-{a1}{r}^2/(2*MAX(ramp_months,1E-9)))-({a0}{r}-{a0}{r}^2/(2*MAX(ramp_months,1E-9)))))/12",
    ),
    Column("change_orders", "Change orders", "change_orders*({contract}{r}+{productivity_ramp}{r})"),
    Column("residual_inhouse_work", "Work left in-house", "residual_inhouse_work*{avoided}{r}"),
    Column("governance", "Governance", "governance*({contract}{r}+{productivity_ramp}{r}+{change_orders}{r})"),
    Column("leakage", "Savings leakage", "leakage*MAX({gross}{r}-{residual_inhouse_work}{r},0)"),
    Column("stranded_costs", "Stranded costs", "stranded_costs*{inh}{r}*" + _overlap("{t}{r}", "{t}{r}+12") + "/12"),
    Column("hidden", "Hidden costs", "+".join(f"{{{k}}}{{r}}" for k in bc.COST_LINES)),
    Column("net", "Net cash", "{gross}{r}-{hidden}{r}"),
]
LINE_VALUES = [
    ("process_id", "ID"),
    ("country", "Location"),
    ("operating_model", "Operating model"),
    ("captive", "Captive (1 = yes)"),
    ("fte", "FTE"),
    ("annual_cost", "Annual cost today"),
    ("provider", "Provider annual price, year one (computed by the kit, not live)"),
    ("year", "Contract year"),
]


def write_lines(wb: Workbook, a: Assessment, add_table: Callable, put: Callable) -> tuple[Worksheet, dict, int]:
    """The ``model_lines`` sheet: one row per recommended move and contract year of the horizon."""
    ws = wb.create_sheet("model_lines")
    cur = a.currency
    moves = a.recommended_pairs().reset_index(drop=True)
    columns = [Column(k, h, "", "") for k, h in LINE_VALUES] + LINE_FORMULAS
    at = _letters(columns)
    money_values = {"annual_cost", "provider"}
    for j, c in enumerate(columns, start=1):
        unit = f" ({cur})" if (c.fmt == MONEY and c.formula) or c.key in money_values else ""
        put(ws, 1, j, c.header + unit)
    years = horizon(a)
    r = 2
    for m in moves.itertuples(index=False):
        captive = int(bool(getattr(m, "captive", False)))
        drivers = {
            "process_id": m.process_id,
            "country": m.country,
            "operating_model": str(getattr(m, "operating_model", "third party")),
            "captive": captive,
            "fte": float(m.fte),
            "annual_cost": float(m.annual_cost),
            "provider": float(m.provider_cost),
        }
        for y in range(1, years + 1):
            for key, value in {**drivers, "year": y}.items():
                cell = put(ws, r, columns.index(next(c for c in columns if c.key == key)) + 1, value)
                cell.number_format = {"fte": "#,##0.0", "annual_cost": MONEY, "provider": MONEY}.get(key, "General")
            for c in LINE_FORMULAS:
                cell = ws[f"{at[c.key]}{r}"]
                cell.value = "=" + c.formula.format(r=r, **at)
                cell.number_format = c.fmt
            r += 1
    add_table(ws, len(columns), r - 2, id_columns=2)
    # a plan with no moves still sums a (blank) row, never the header
    return ws, at, max(r - 1, 2)


MODEL_HEADER_ROW = 10


def write_model(wb: Workbook, a: Assessment, add_table: Callable, put: Callable) -> Worksheet:
    """The ``assumptions``, ``model_lines`` and ``model`` sheets; ``model`` defines ``plan_npv`` and
    ``plan_net_savings``."""
    write_assumptions(wb, a, add_table, put)
    lines, at, last = write_lines(wb, a, add_table, put)
    ws = wb.create_sheet("model", index=wb.sheetnames.index("assumptions"))
    cur = a.currency
    years = horizon(a)
    flows = [
        ("baseline", "Today's cost", "inh"),
        ("inhouse", "Cost avoided", "avoided"),
        ("provider", "Provider cost", "contract"),
        ("gross", "Gross arbitrage", "gross"),
        *[(k, bc.LINE_LABELS[k], k) for k in bc.COST_LINES],
        ("hidden", "Hidden costs", "hidden"),
        ("net", "Net cash", "net"),
    ]
    header = ["Contract year", "In the contract (1 = yes)"] + [f"{h} ({cur})" for _, h, _ in flows]
    header += ["Discount factor", f"Present value ({cur})", f"Cumulative net cash ({cur})"]
    h0 = MODEL_HEADER_ROW
    for j, h in enumerate(header, start=1):
        put(ws, h0, j, h)
    from openpyxl.utils import get_column_letter

    col = {k: get_column_letter(j) for j, (k, _, _) in enumerate(flows, start=3)}
    disc, pv, cum = (get_column_letter(len(flows) + 3 + i) for i in range(3))
    year_range = f"model_lines!${at['year']}$2:${at['year']}${last}"
    first, end = h0 + 1, h0 + years
    for y in range(1, years + 1):
        r = h0 + y
        ws.cell(r, 1).value = y
        ws.cell(r, 2).value = f"=IF(A{r}<=contract_years,1,0)"
        for k, _, src in flows:
            rng = f"model_lines!${at[src]}$2:${at[src]}${last}"
            cell = ws[f"{col[k]}{r}"]
            cell.value = f"=SUMIFS({rng},{year_range},$A{r})*$B{r}"
            cell.number_format = MONEY
        ws[f"{disc}{r}"].value = f"=1/(1+discount_rate)^(A{r}-IF(mid_year_discounting>0,0.5,0))"
        ws[f"{disc}{r}"].number_format = "0.0000"
        ws[f"{pv}{r}"].value = f"={col['net']}{r}*{disc}{r}"
        ws[f"{cum}{r}"].value = f"={col['net']}{r}" if y == 1 else f"={cum}{r - 1}+{col['net']}{r}"
        for c in (pv, cum):
            ws[f"{c}{r}"].number_format = MONEY
    add_table(ws, len(header), years, id_columns=1, header_row=h0)
    one_time = "+".join(f"SUM({col[k]}{first}:{col[k]}{end})" for k in bc.ONE_TIME)
    results = [
        ("plan_npv", f"Net present value ({cur})", f"=SUM({pv}{first}:{pv}{end})", MONEY),
        (
            "plan_net_savings",
            f"Net savings over the contract ({cur})",
            f"=SUM({col['net']}{first}:{col['net']}{end})",
            MONEY,
        ),
        (
            "plan_net_savings_pct",
            "Net savings as a share of today's cost over the contract",
            f"=IF(SUM({col['baseline']}{first}:{col['baseline']}{end})>0,plan_net_savings/"
            f"SUM({col['baseline']}{first}:{col['baseline']}{end}),0)",
            "0.0%",
        ),
        ("plan_one_time_costs", f"One-time costs ({cur})", f"={one_time}", MONEY),
        ("plan_hidden_costs", f"Hidden costs ({cur})", f"=SUM({col['hidden']}{first}:{col['hidden']}{end})", MONEY),
    ]
    put(ws, 1, 1, "The plan's cash flows, base case: live formulas over the assumptions sheet").font = Font(
        name="Arial", bold=True, size=13
    )
    put(ws, 2, 1, "Change an input cell on the assumptions sheet and these figures follow.")
    for i, (name, text, formula, fmt) in enumerate(results, start=3):
        put(ws, i, 1, text).font = Font(name="Arial", bold=True)
        cell = ws.cell(i, 2)
        cell.value, cell.number_format = formula, fmt
        wb.defined_names[name] = DefinedName(name, attr_text=f"model!$B${i}")
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 16
    lines.sheet_properties.tabColor = ws.sheet_properties.tabColor = "1F3A5F"
    return ws
