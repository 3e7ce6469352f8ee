"""The client's process inventory: its schema, reading ``.xlsx``/``.csv``, validation and the blank template.

Validation never stops at the first problem and never drops a row silently: each row ends up either in
``Inventory.processes`` or in ``Inventory.rejected`` with every reason it was refused, each reason phrased as
``file, row N, column C: what is wrong; what is expected`` with N the row number the client sees in Excel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pandas as pd

from .errors import InputFileError
from .tables import (  # noqa: F401  (Column, read_rows, check_columns, problem_lines: the earlier home's names)
    COVERAGE_ALIASES,
    COVERAGES,
    FALSE_WORDS,
    FUNCTION_ALIASES,
    FUNCTIONS,
    TRUE_WORDS,
    Column,
    Facts,
    Problem,
    check_columns,
    problem_lines,
    to_problems,
)
from .tables import read_rows as read_table

COLUMNS: tuple[Column, ...] = (
    Column("process_id", "id", "Unique identifier of the process"),
    Column("process_name", "text", "Name of the process as the client calls it"),
    Column("function", "function", "Business function the process belongs to"),
    Column("fte", "number", "Full-time equivalents doing the process today"),
    Column("annual_cost", "number", "Fully loaded annual cost of the process today, in the client's currency"),
    Column("customer_facing", "bool", "Does the process deal directly with the client's customers?"),
    Column("strategic_importance", "score", "5 = core competency, a differentiator; 1 = commodity"),
    Column("standardization", "score", "5 = rule-based and documented (codifiable); 1 = ad hoc"),
    Column("measurability", "score", "5 = output quality measured by clear KPIs; 1 = hard to measure"),
    Column("data_sensitivity", "score", "5 = regulated personal, financial or health data; 1 = public data"),
    Column("knowledge_intensity", "score", "5 = expert judgement; 1 = routine work"),
    Column("interdependence", "score", "5 = tightly coupled to other in-house processes", False, 3),
    Column("automation_potential", "share", "Share of the work that is repetitive and rule-based", False, 0.0),
    Column("languages", "languages", "Languages the process must be delivered in", False, "client language"),
    Column("coverage", "coverage", "Hours the process must be staffed", False, "business_hours"),
    Column("volume", "number", "Transactions a year (optional)", False, None),
    Column("onsite_share", "share", "Share of the work that needs people on the client's site", False, 0.0),
    Column("tower", "text", "The client's own grouping of processes into sourcing lots", False, ""),
)
COLUMN_BY_NAME = {c.name: c for c in COLUMNS}
#: names the kit adds to results; a client column with one of these names is kept as ``input_<name>``
RESERVED = {
    "row",
    "bpo_type",
    "outsourceability",
    "operational_risk",
    "structural_risk",
    "readiness",
    "recommendation",
    "rationale",
    "aron_singh_form",
    "process_category",
    "role_family",
    "recommended_location",
    "tier",
    "savings",
}


@dataclass
class Inventory:
    """A checked inventory.

    ``processes``: the accepted rows, typed, with ``row`` (the spreadsheet row) first and the client's own
    extra columns last. ``rejected``: one line per problem (row, process_id, column, value, problem).
    ``defaults``: which default was applied to how many rows.
    """

    source: str
    processes: pd.DataFrame
    rejected: pd.DataFrame
    defaults: pd.DataFrame
    blank_rows: int = 0
    extra_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how the file was read, when a consultant should know

    @property
    def problems(self) -> list[str]:
        """Every problem as one line: ``file, row N, column C: what is wrong; what is expected``."""
        return problem_lines(self.source, self.rejected)

    @property
    def rejected_rows(self) -> pd.DataFrame:
        """One line per refused row, with all its reasons joined."""
        if self.rejected.empty:
            return pd.DataFrame(columns=["row", "process_id", "reasons"])
        return (
            self.rejected.assign(reason=self.rejected["column"] + ": " + self.rejected["problem"])
            .groupby("row", sort=True)
            .agg(process_id=("process_id", "first"), reasons=("reason", " | ".join))
            .reset_index()
        )

    def summary(self) -> dict:
        p = self.processes
        return {
            "file": self.source,
            "rows_read": int(len(p) + self.rejected["row"].nunique()),
            "processes": int(len(p)),
            "rejected_rows": int(self.rejected["row"].nunique()),
            "blank_rows_ignored": int(self.blank_rows),
            "fte": float(p["fte"].sum()),
            "annual_cost": float(p["annual_cost"].sum()),
            "defaults_applied": {r.column: int(r.rows) for r in self.defaults.itertuples() if r.rows},
            "extra_columns": list(self.extra_columns),
            "notes": list(self.notes),
        }


def read_rows(
    path: str | Path, columns: tuple[Column, ...] | None = None, item: str = "process", sheet: str | None = "inventory"
) -> tuple[pd.DataFrame, Facts]:
    """Read an inventory (or, with ``columns``, another table) into raw cells: see :func:`bpo_kit.tables.read_rows`."""
    return read_table(path, columns or COLUMNS, item=item, sheet=sheet)


def validate(
    raw: pd.DataFrame,
    source: str,
    *,
    language: str = "en",
    decimal_comma: bool = False,
    blank_rows: int = 0,
    notes: list[str] | None = None,
) -> Inventory:
    """Check every cell of a raw inventory table (from :func:`read_rows`) against the schema.

    ``language`` (ISO 639-1) is the default for blank ``languages`` cells: the client's main language.
    """
    out, found, applied = check_columns(
        raw,
        COLUMNS,
        "process_id",
        decimal_comma=decimal_comma,
        defaults={"languages": language},
        file=source,
        duplicate_of="the process on row",
    )
    rejected = found.rename(columns={"id": "process_id"})[["row", "process_id", "column", "value", "problem"]]
    extra = [c for c in raw.columns if c != "row" and c not in COLUMN_BY_NAME]
    renamed = {c: (f"input_{c}" if c in RESERVED else c) for c in extra}
    for c in extra:
        out[renamed[c]] = raw[c]
    accepted = out[~out["row"].isin(set(rejected["row"]))].reset_index(drop=True)
    return Inventory(
        source=source,
        processes=_typed(accepted),
        rejected=rejected,
        defaults=pd.DataFrame(applied, columns=["column", "default", "rows", "column_missing"]),
        blank_rows=blank_rows,
        extra_columns=[renamed[c] for c in extra],
        notes=list(notes or []),
    )


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    types = {
        "row": "int64",
        "process_id": "string",
        "process_name": "string",
        "function": "string",
        "fte": "float64",
        "annual_cost": "float64",
        "customer_facing": "bool",
        "automation_potential": "float64",
        "languages": "string",
        "coverage": "string",
        "volume": "float64",
        "onsite_share": "float64",
        "tower": "string",
    }
    types.update({c.name: "int64" for c in COLUMNS if c.kind == "score"})
    return df.astype(types)


def load_inventory(path: str | Path, *, language: str = "en", name: str | None = None) -> Inventory:
    """Read and check an inventory file (``.xlsx``, ``.xls``, ``.csv``, ``.tsv`` or ``.txt``).

    Raises ``InputFileError`` when the file cannot be used at all (unreadable, empty, required column
    missing); row-level problems land in ``Inventory.rejected`` instead.
    """
    name = name or Path(path).name
    raw, facts = read_table(path, COLUMNS, sheet="inventory", name=name)
    return validate(
        raw,
        name,
        language=language,
        decimal_comma=facts.decimal_comma,
        blank_rows=facts.blank_rows,
        notes=facts.notes,
    )


class _InventoryName(Protocol):
    @property
    def inventory(self) -> str: ...


class ClientFiles(Protocol):
    """What reading a client's files needs of a client (``bpo_kit.client.Client`` has it)."""

    @property
    def config(self) -> _InventoryName: ...

    @property
    def language(self) -> str: ...

    def path(self, file_name: str) -> Path: ...


def load_client_inventory(client: ClientFiles) -> Inventory:
    """The inventory named in a client's ``client.yaml``, checked, with the client's language as default."""
    inv = load_inventory(client.path(client.config.inventory), language=client.language)
    if inv.processes.empty:
        raise InputFileError(inv.problems, hint=f"{inv.source}: no row could be used; fix the problems above")
    return inv


# --- the blank template --------------------------------------------------------------------------------


def write_template(path: str | Path, *, overwrite: bool = False) -> Path:
    """Write a blank inventory workbook for a client to fill in.

    Sheet ``inventory`` has the headers, drop-downs for function, coverage and yes/no, and whole-number
    1-5 checks on the judgements; sheet ``columns`` explains each column.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise InputFileError(f"{path.name}: the template is an Excel workbook; expected a name ending in .xlsx")
    if path.exists() and not overwrite:
        raise InputFileError(f"{path.name}: already exists; choose another name or pass --force to replace it")
    wb = Workbook()
    ws = wb.active
    ws.title = "inventory"
    bold = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor="1F3A5F")
    last = 1001
    for i, col in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=i, value=col.name)
        cell.font, cell.fill = bold, fill
        ws.column_dimensions[get_column_letter(i)].width = max(14, len(col.name) + 4)
        letter = get_column_letter(i)
        rng = f"{letter}2:{letter}{last}"
        dv = None
        if col.kind == "function":
            dv = DataValidation(type="list", formula1='"' + ",".join(FUNCTIONS) + '"', allow_blank=False)
        elif col.kind == "coverage":
            dv = DataValidation(type="list", formula1='"' + ",".join(COVERAGES) + '"', allow_blank=True)
        elif col.kind == "bool":
            dv = DataValidation(type="list", formula1='"yes,no"', allow_blank=False)
        elif col.kind == "score":
            dv = DataValidation(
                type="whole", operator="between", formula1="1", formula2="5", allow_blank=not col.required
            )
        elif col.kind == "number":
            dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        elif col.kind == "share":
            dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="1", allow_blank=True)
        if dv is not None:
            dv.error = f"{col.name}: expected {col.expected}"
            dv.errorTitle = "Invalid value"
            dv.prompt = col.meaning
            dv.showErrorMessage = True
            dv.showInputMessage = True
            ws.add_data_validation(dv)
            dv.add(rng)
        if col.kind == "share":
            for r in range(2, last + 1):
                ws[f"{letter}{r}"].number_format = "0%"
    ws.freeze_panes = "A2"
    doc = wb.create_sheet("columns")
    doc.append(["column", "required", "what to enter", "meaning", "default when blank"])
    for cell in doc[1]:
        cell.font, cell.fill = bold, fill
    for col in COLUMNS:
        default = "" if col.required else ("left blank" if col.default is None else str(col.default))
        doc.append([col.name, "yes" if col.required else "no", col.expected, col.meaning, default])
    doc.append([])
    doc.append(["Other columns you add are kept and carried through to every output. Fully blank rows are ignored."])
    for letter, width in zip("ABCDE", (22, 10, 60, 60, 20), strict=False):
        doc.column_dimensions[letter].width = width
    for row in doc.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    doc.freeze_panes = "A2"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


# --- profile -------------------------------------------------------------------------------------------

JUDGEMENTS = [c.name for c in COLUMNS if c.kind == "score"]


def by_function(processes: pd.DataFrame) -> pd.DataFrame:
    """Processes, FTE and annual cost per function, largest cost first, with each function's cost share."""
    out = (
        processes.groupby("function", observed=True)
        .agg(processes=("process_id", "size"), fte=("fte", "sum"), annual_cost=("annual_cost", "sum"))
        .reset_index()
    )
    total = out["annual_cost"].sum()
    out["cost_share"] = out["annual_cost"] / total if total else 0.0
    out["cost_per_fte"] = out["annual_cost"] / out["fte"].where(out["fte"] > 0)
    return out.sort_values(["annual_cost", "function"], ascending=[False, True], ignore_index=True)


def judgement_counts(processes: pd.DataFrame) -> pd.DataFrame:
    """How many processes have each score 1-5, per judgement column (tidy: judgement, score, processes)."""
    long = processes.melt(value_vars=JUDGEMENTS, var_name="judgement", value_name="score")
    counts = long.groupby(["judgement", "score"]).size().rename("processes")
    full = pd.MultiIndex.from_product([JUDGEMENTS, range(1, 6)], names=["judgement", "score"])
    return counts.reindex(full, fill_value=0).reset_index()


def cost_concentration(processes: pd.DataFrame) -> pd.DataFrame:
    """Processes from the most to the least costly with the cumulative share of annual cost (a Pareto)."""
    out = processes[["process_id", "process_name", "function", "annual_cost"]].sort_values(
        ["annual_cost", "process_id"], ascending=[False, True], ignore_index=True
    )
    total = out["annual_cost"].sum()
    out["rank"] = range(1, len(out) + 1)
    out["cumulative_share"] = out["annual_cost"].cumsum() / total if total else 0.0
    return out


def processes_for_share(concentration: pd.DataFrame, share: float = 0.8) -> int:
    """How many of the costliest processes it takes to reach ``share`` of the annual cost."""
    reached = concentration.index[concentration["cumulative_share"] >= share - 1e-12]
    return int(reached[0] + 1) if len(reached) else len(concentration)
