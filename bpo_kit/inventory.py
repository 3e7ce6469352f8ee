"""The client's process inventory: its schema, reading ``.xlsx``/``.csv``, validation and the blank template.

Validation never stops at the first problem and never drops a row silently: each row ends up either in
``Inventory.processes`` or in ``Inventory.rejected`` with every reason it was refused, each reason phrased as
``file, row N, column C: what is wrong; what is expected`` with N the row number the client sees in Excel.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pycountry

from .errors import InputFileError

FUNCTIONS = (
    "finance_accounting",
    "human_resources",
    "it_services",
    "customer_service",
    "sales",
    "marketing",
    "procurement",
    "legal",
    "research_analytics",
    "operations",
    "other",
)
#: usual labels clients write, normalised (lower case, '&' -> 'and', other punctuation -> '_')
FUNCTION_ALIASES = {
    "finance_and_accounting": "finance_accounting",
    "finance": "finance_accounting",
    "accounting": "finance_accounting",
    "f_and_a": "finance_accounting",
    "f_a": "finance_accounting",
    "fa": "finance_accounting",
    "fin": "finance_accounting",
    "hr": "human_resources",
    "human_resource": "human_resources",
    "people": "human_resources",
    "it": "it_services",
    "information_technology": "it_services",
    "it_service": "it_services",
    "ict": "it_services",
    "customer_services": "customer_service",
    "customer_support": "customer_service",
    "customer_care": "customer_service",
    "cx": "customer_service",
    "contact_centre": "customer_service",
    "contact_center": "customer_service",
    "customer_experience": "customer_service",
    "purchasing": "procurement",
    "sourcing": "procurement",
    "supply_chain": "procurement",
    "legal_and_compliance": "legal",
    "legal_compliance": "legal",
    "research_and_analytics": "research_analytics",
    "research": "research_analytics",
    "analytics": "research_analytics",
    "r_and_a": "research_analytics",
    "data_and_analytics": "research_analytics",
    "ops": "operations",
    "sales_and_marketing": "sales",
}
COVERAGES = ("business_hours", "extended", "24x7")
COVERAGE_ALIASES = {
    "business_hour": "business_hours",
    "office_hours": "business_hours",
    "extended_hours": "extended",
    "24_7": "24x7",
    "24x7x365": "24x7",
    "24_7_365": "24x7",
    "round_the_clock": "24x7",
}
TRUE_WORDS = {"yes", "y", "true", "t", "1", "x"}
FALSE_WORDS = {"no", "n", "false", "f", "0"}


@dataclass(frozen=True)
class Column:
    """One inventory column: how it is checked and what a client is told about it."""

    name: str
    kind: str  # text | id | function | number | bool | score | share | languages | coverage
    meaning: str
    required: bool = True
    default: Any = None  # value applied to blank cells of an optional column (None: left blank)
    expects: str | None = None  # what to tell the user, when the kind's own wording is not enough

    @property
    def expected(self) -> str:
        if self.expects:
            return self.expects
        return {
            "id": "a text identifier, unique in the file",
            "text": "a text",
            "function": "one of "
            + ", ".join(FUNCTIONS)
            + " (or a usual label such as 'Finance & Accounting', 'HR', 'IT')",
            "number": "a number >= 0",
            "bool": "yes/no, true/false or 1/0",
            "score": "a whole number from 1 to 5",
            "share": "a share from 0 to 1 or a percentage such as '35%'",
            "languages": "ISO 639-1 codes separated by ';' such as 'en; es'",
            "coverage": "one of " + ", ".join(COVERAGES),
            "month": "a month as YYYY-MM, e.g. 2026-03",
            "direction": "higher or lower (which is better)",
            "currency": "an ISO 4217 code with an ECB reference rate, e.g. USD, EUR, GBP",
        }[self.kind]


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
        }


# --- reading -------------------------------------------------------------------------------------------


def _normalise_header(name: Any) -> str:
    text = "" if name is None else str(name)
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


def _read_csv_rows(path: Path) -> tuple[list[list[Any]], str]:
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise InputFileError(
            f"{path.name}: is not a text CSV file (it contains binary data); expected a UTF-8 CSV or an .xlsx workbook"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputFileError(
            f"{path.name}, row {line}: is not UTF-8 text; expected a CSV saved as "
            "'CSV UTF-8' (in Excel: Save As > CSV UTF-8)"
        ) from None
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return rows, delimiter


def _read_xlsx_rows(path: Path, sheet: str = "inventory", item: str = "process") -> list[list[Any]]:
    # calamine (Rust) reads a 100,000-row sheet in about a second, where openpyxl takes ten
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
        names = list(wb.sheet_names)
    except Exception as exc:  # calamine raises its own error types for zip, XML and format problems
        raise InputFileError(
            f"{path.name}: is not a readable Excel workbook ({type(exc).__name__}); "
            "expected an .xlsx file saved by Excel, or a CSV"
        ) from None
    by_name = {n.strip().lower(): n for n in names}
    if sheet.lower() in by_name:
        chosen = by_name[sheet.lower()]
    elif len(names) == 1:
        chosen = names[0]
    else:
        listed = ", ".join(repr(n) for n in names)
        raise InputFileError(
            f"{path.name}: has several sheets ({listed}) and none is called '{sheet}'; "
            + (
                f"expected the {item}es on a sheet named '{sheet}'"
                if item == "process"
                else f"expected the {item}s on a sheet named '{sheet}'"
            )
        )
    # keep leading empty rows and columns so that row numbers are the ones the client sees in Excel
    return [list(r) for r in wb.get_sheet_by_name(chosen).to_python(skip_empty_area=False)]


def read_rows(
    path: str | Path, columns: tuple[Column, ...] = COLUMNS, item: str = "process", sheet: str | None = None
) -> tuple[pd.DataFrame, dict]:
    """Read a client's table (the inventory by default; ``columns`` describe another) into text-or-value cells
    with normalised headers. In a workbook the rows are on sheet ``sheet`` (default: the file's name without
    its suffix), or on its only sheet.

    Returns the raw table (a ``row`` column holds the spreadsheet row number) and reading facts
    (``blank_rows``, ``decimal_comma``). Raises ``InputFileError`` when the file cannot be used at all.
    """
    required = [c.name for c in columns if c.required]
    expected = {c.name: c.expected for c in columns}
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"{path.name}: file not found")
    suffix = path.suffix.lower()
    decimal_comma = False
    if suffix in (".xlsx", ".xlsm"):
        rows = _read_xlsx_rows(path, sheet=sheet or path.stem, item=item)
    elif suffix in (".csv", ".txt"):
        rows, delimiter = _read_csv_rows(path)
        decimal_comma = delimiter == ";"
    elif suffix == ".xls":
        raise InputFileError(
            f"{path.name}: old Excel 97-2003 format; expected .xlsx (open it in Excel and "
            "Save As > Excel Workbook) or a CSV"
        )
    else:
        raise InputFileError(f"{path.name}: unsupported file type '{suffix}'; expected .xlsx or .csv")

    def blank(cells: list) -> bool:
        return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)

    header_at = next((i for i, r in enumerate(rows) if not blank(r)), None)
    if header_at is None:
        raise InputFileError(
            f"{path.name}: is empty; expected a header row ({', '.join(required)}) and one row per {item}"
        )
    header = [_normalise_header(h) for h in rows[header_at]]
    width = len(header)
    while width and not header[width - 1]:
        width -= 1
    header = header[:width]
    header = [h or f"unnamed_{i + 1}" for i, h in enumerate(header)]
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise InputFileError(
            f"{path.name}, row {header_at + 1}: the column(s) {', '.join(dupes)} appear more "
            "than once (header case and spaces are ignored); expected each column once"
        )
    missing = [c for c in required if c not in header]
    if missing:
        problems = []
        for c in missing:
            close = difflib.get_close_matches(c, header, n=1, cutoff=0.75)
            hint = f" (is '{close[0]}' meant to be '{c}'?)" if close else ""
            problems.append(
                f"{path.name}, row {header_at + 1}, column {c}: required column is missing{hint}; "
                f"expected {expected.get(c, 'this column')}"
            )
        raise InputFileError(problems, hint=f"Columns found: {', '.join(header)}")

    records, numbers, blank_rows = [], [], 0
    for i in range(header_at + 1, len(rows)):
        cells = list(rows[i][:width]) + [None] * max(0, width - len(rows[i]))
        if blank(cells):
            blank_rows += 1
            continue
        extra = rows[i][width:]
        if not blank(list(extra)):
            raise InputFileError(
                f"{path.name}, row {i + 1}: has values beyond the last named column; "
                "expected every column to have a header"
            )
        records.append(cells)
        numbers.append(i + 1)
    if not records:
        raise InputFileError(f"{path.name}: has a header but no {item} rows; expected one row per {item}")
    raw = pd.DataFrame(records, columns=header, dtype=object)
    raw.insert(0, "row", numbers)
    return raw, {"blank_rows": blank_rows, "decimal_comma": decimal_comma}


# --- parsing cells -------------------------------------------------------------------------------------


def _is_blank(v: Any) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v)) or (isinstance(v, str) and not v.strip())


def _as_text(v: Any) -> str:
    if _is_blank(v):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


_NUMBER_JUNK = re.compile(r"[\s\u00a0\u202f$€£¥₹']")


def _number(v: Any, decimal_comma: bool) -> float | str:
    """A number, or the reason the cell is not one."""
    if isinstance(v, bool):
        return "is a yes/no value"
    if isinstance(v, (int, float, np.integer, np.floating)):
        return float(v)
    text = _NUMBER_JUNK.sub("", str(v))
    if re.fullmatch(r"[A-Z]{3}", text[:3] or "") and len(text) > 3:
        text = text[3:]
    if "," in text and "." in text:
        thousands = "." if text.rfind(",") > text.rfind(".") else ","
        text = text.replace(thousands, "").replace(",", ".")
    elif decimal_comma and re.fullmatch(r"-?\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    elif "," in text:
        if not decimal_comma and re.fullmatch(r"-?\d{1,3}(,\d{3})+", text):
            text = text.replace(",", "")
        else:
            text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return "is not a number"


def _parse(series: pd.Series, fn: Callable[[Any], Any]) -> tuple[pd.Series, pd.Series]:
    """Apply ``fn`` to non-blank cells: it returns a value or a problem text starting with ``!``."""
    out = series.map(fn)
    problem = out.map(lambda v: v[1:] if isinstance(v, str) and v.startswith("!") else None)
    return out.where(problem.isna()), problem


def _check_column(col: Column, values: pd.Series, ctx: dict) -> tuple[pd.Series, pd.Series]:
    kind = col.kind
    if kind in ("text", "id"):
        text = values.map(_as_text)
        return text, text.map(lambda t: None if t else "is empty")
    if kind == "function":

        def fn(v):
            key = re.sub(r"[^a-z0-9]+", "_", _as_text(v).lower().replace("&", " and ")).strip("_")
            key = FUNCTION_ALIASES.get(key, key)
            return key if key in FUNCTIONS else f"!{_as_text(v)!r} is not a known function"

        return _parse(values, fn)
    if kind == "number":
        # fast path for clean cells; with a decimal comma every text cell takes the careful path
        # because '120.000' means one hundred and twenty thousand there
        fast = values.where(values.map(lambda v: not isinstance(v, str))) if ctx["decimal_comma"] else values
        numeric = pd.to_numeric(fast, errors="coerce")
        slow = numeric.isna() & ~values.map(_is_blank)
        if slow.any():
            parsed = values[slow].map(lambda v: _number(v, ctx["decimal_comma"]))
            numeric = numeric.astype(float)
            ok = parsed.map(lambda p: isinstance(p, float))
            numeric[parsed.index[ok]] = parsed[ok].astype(float)
            problem = pd.Series(None, index=values.index, dtype=object)
            problem[parsed.index[~ok]] = [f"{_as_text(values[i])!r} {parsed[i]}" for i in parsed.index[~ok]]
        else:
            problem = pd.Series(None, index=values.index, dtype=object)
        numeric = numeric.astype(float)
        negative = numeric < 0
        problem[negative] = [f"{v:g} is negative" for v in numeric[negative]]
        return numeric.where(~negative), problem
    if kind == "bool":

        def fn(v):
            if isinstance(v, bool):
                return v
            t = _as_text(v).lower()
            if t in TRUE_WORDS:
                return True
            if t in FALSE_WORDS:
                return False
            return f"!{_as_text(v)!r} is not yes or no"

        return _parse(values, fn)
    if kind == "score":
        numeric = pd.to_numeric(
            values.map(lambda v: v if not isinstance(v, str) else v.strip()), errors="coerce"
        ).astype(float)
        ok = numeric.isin([1.0, 2.0, 3.0, 4.0, 5.0])
        problem = pd.Series(None, index=values.index, dtype=object)
        for i in values.index[~ok]:
            x = numeric[i]
            why = (
                "is not a number"
                if np.isnan(x)
                else "is not a whole number"
                if not float(x).is_integer()
                else "is outside 1 to 5"
            )
            problem[i] = f"{_as_text(values[i])!r} {why}"
        return numeric.where(ok), problem
    if kind == "share":

        def fn(v):
            if isinstance(v, bool):
                return "!is a yes/no value"
            t = _as_text(v)
            pct = t.endswith("%")
            x = _number(t.rstrip("%").strip() if pct else v, ctx["decimal_comma"])
            if isinstance(x, str):
                return f"!{t!r} {x}"
            x = x / 100 if pct else x
            if pct and not 0 <= x <= 1:
                return f"!{t!r} is outside 0% to 100%"
            if x > 1:
                return f"!{t!r} is above 1 (write {x / 100:g} or '{x:g}%')"
            if x < 0:
                return f"!{t!r} is negative"
            return x

        return _parse(values, fn)
    if kind == "languages":

        def fn(v):
            codes = []
            for part in re.split(r"[;,/|]+|\s+and\s+|\s{2,}", _as_text(v)):
                part = part.strip()
                if not part:
                    continue
                lang = pycountry.languages.get(alpha_2=part.lower()) if len(part) == 2 else None
                if lang is None and len(part) > 2:
                    try:
                        lang = pycountry.languages.lookup(part)
                    except LookupError:
                        lang = None
                if lang is None or not getattr(lang, "alpha_2", None):
                    return f"!{part!r} is not an ISO 639-1 language code"
                if lang.alpha_2 not in codes:
                    codes.append(lang.alpha_2)
            return ";".join(codes)

        return _parse(values, fn)
    if kind == "coverage":

        def fn(v):
            key = re.sub(r"[^a-z0-9]+", "_", _as_text(v).lower()).strip("_")
            key = COVERAGE_ALIASES.get(key, key)
            return key if key in COVERAGES else f"!{_as_text(v)!r} is not a known coverage"

        return _parse(values, fn)
    if kind == "month":

        def fn(v):
            if hasattr(v, "year") and hasattr(v, "month"):
                return f"{v.year:04d}-{v.month:02d}"
            t = _as_text(v)
            m = re.fullmatch(r"(\d{4})[-/.](\d{1,2})(?:[-/.]\d{1,2})?", t)
            if m and 1 <= int(m[2]) <= 12:
                return f"{int(m[1]):04d}-{int(m[2]):02d}"
            return f"!{t!r} is not a month"

        return _parse(values, fn)
    if kind == "direction":
        words = {
            "higher": "higher",
            "higher_is_better": "higher",
            "high": "higher",
            "up": "higher",
            "max": "higher",
            "lower": "lower",
            "lower_is_better": "lower",
            "low": "lower",
            "down": "lower",
            "min": "lower",
        }

        def fn(v):
            key = re.sub(r"[^a-z]+", "_", _as_text(v).lower()).strip("_")
            return words.get(key, f"!{_as_text(v)!r} is neither higher nor lower")

        return _parse(values, fn)
    if kind == "currency":
        from .fx import currencies

        known = currencies()

        def fn(v):
            code = _as_text(v).upper()
            return code if code in known else f"!{_as_text(v)!r} is not a currency with an ECB reference rate"

        return _parse(values, fn)
    raise AssertionError(kind)


def problem_lines(source: str, found: pd.DataFrame) -> list[str]:
    """Problems found by :func:`check_columns` as ``file, row N, column C: what is wrong; what is expected``."""
    return [f"{source}, row {r.row}, column {r.column}: {r.problem}" for r in found.itertuples()]


def check_columns(
    raw: pd.DataFrame,
    columns: tuple[Column, ...],
    id_column: str,
    *,
    decimal_comma: bool = False,
    defaults: dict[str, Any] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, list[dict]]:
    """Check every cell of ``columns`` in a raw table from :func:`read_rows`.

    Returns the parsed columns (with ``row``), one line per problem (row, id, column, value, problem) and the
    defaults applied to blank cells of optional columns (``defaults`` overrides a column's own default).
    Duplicate values of ``id_column`` are problems too: every later copy names the row of the first.
    """
    ctx = {"decimal_comma": decimal_comma}
    by_name = {c.name: c for c in columns}
    out = pd.DataFrame({"row": raw["row"].astype(int)}, index=raw.index)
    problems: list[pd.DataFrame] = []
    applied = []
    ids = raw[id_column].map(_as_text) if id_column in raw.columns else pd.Series("", index=raw.index)

    def note(col: str, mask: pd.Series, messages: pd.Series, values: pd.Series) -> None:
        if mask.any():
            problems.append(
                pd.DataFrame(
                    {
                        "row": raw.loc[mask, "row"],
                        "id": ids[mask],
                        "column": col,
                        "value": values[mask].map(_as_text),
                        "problem": messages[mask] + "; expected " + by_name[col].expected,
                    }
                )
            )

    for col in columns:
        present = col.name in raw.columns
        values = raw[col.name] if present else pd.Series(None, index=raw.index, dtype=object)
        blank = values.map(_is_blank)
        parsed, problem = _check_column(col, values, ctx)
        if col.required:
            problem = problem.where(~blank, "is empty")
        else:
            problem = problem.where(~blank)
            default = (defaults or {}).get(col.name, col.default)
            if default is not None:
                parsed = parsed.astype(object).where(~blank, default)
                applied.append(
                    {
                        "column": col.name,
                        "default": str(default),
                        "rows": int(blank.sum()),
                        "column_missing": not present,
                    }
                )
            else:
                parsed = parsed.where(~blank)
        note(col.name, problem.notna(), problem.fillna(""), values)
        out[col.name] = parsed

    dup = ids.ne("") & ids.duplicated(keep="first")
    if dup.any():
        first_row = raw.groupby(ids)["row"].transform("first")
        note(id_column, dup, "'" + ids + "' duplicates row " + first_row.astype(str), ids)
    found = (
        pd.concat(problems, ignore_index=True)
        if problems
        else pd.DataFrame(columns=["row", "id", "column", "value", "problem"])
    )
    if len(found):
        order = {c.name: i for i, c in enumerate(columns)}
        found = (
            found.assign(_c=found["column"].map(order))
            .sort_values(["row", "_c"], kind="stable")
            .drop(columns="_c")
            .reset_index(drop=True)
        )
    return out, found, applied


def validate(
    raw: pd.DataFrame, source: str, *, language: str = "en", decimal_comma: bool = False, blank_rows: int = 0
) -> Inventory:
    """Check every cell of a raw inventory table (from :func:`read_rows`) against the schema.

    ``language`` (ISO 639-1) is the default for blank ``languages`` cells: the client's main language.
    """
    out, found, applied = check_columns(
        raw, COLUMNS, "process_id", decimal_comma=decimal_comma, defaults={"languages": language}
    )
    found["problem"] = found["problem"].str.replace(
        r"duplicates row (\d+)", r"duplicates the process on row \1", regex=True
    )
    rejected = found.rename(columns={"id": "process_id"})
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
    }
    types.update({c.name: "int64" for c in COLUMNS if c.kind == "score"})
    return df.astype(types)


def load_inventory(path: str | Path, *, language: str = "en") -> Inventory:
    """Read and check an inventory file (``.xlsx`` or ``.csv``).

    Raises ``InputFileError`` when the file cannot be used at all (unreadable, empty, required column
    missing); row-level problems land in ``Inventory.rejected`` instead.
    """
    raw, facts = read_rows(path, sheet="inventory")
    return validate(
        raw, Path(path).name, language=language, decimal_comma=facts["decimal_comma"], blank_rows=facts["blank_rows"]
    )


def load_client_inventory(client) -> Inventory:
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
