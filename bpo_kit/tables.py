"""Reading a client's input tables: the inventory, the rate card, the providers' table and the KPI reports.

One reader for all of them, so that every file is understood the same way:

* **Files**: ``.xlsx``/``.xlsm``/``.xls`` workbooks, ``.csv``/``.tsv``/``.txt`` text. Text is read as UTF-8 (with or
  without BOM) or UTF-16 (with BOM, as Excel's "Unicode text" saves it); anything else is read as Windows-1252
  and a note says so. The delimiter is ``sep=`` on the first line when Excel wrote one, else the one of
  ``,`` ``;`` tab ``|`` that splits the lines most consistently. In a ``;`` file numbers use the decimal comma
  and the thousands dot (``29.000,00`` is 29000).
* **Where the table is**: the header is the first row holding the required columns (title rows above it are
  skipped); in a workbook, the sheet named for the table, else the one sheet holding the required columns, else
  an Excel table (Insert > Table) holding them.
* **Limits** (a file beyond them is refused before it is read, so a hostile file cannot exhaust memory):
  :data:`LIMITS`.
* **Cells**: each column has a kind (:data:`PARSERS`); a cell is parsed by its kind's small parser, which returns
  the value or raises :class:`BadCell` with what is wrong. ``N/A``, ``n/a``, ``-`` and empty cells of an optional
  column mean "use the default" and are counted as defaults.

A problem is a :class:`Problem` (file, row, column, what is wrong, what is expected) with one way of printing it:
``file, row N, column C: what is wrong; expected ...`` where N is the row number the client sees in Excel.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pycountry

from .errors import InputFileError

# --- limits ----------------------------------------------------------------------------------------------

#: what the kit reads at most; every limit is far above a real inventory (a few thousand rows, twenty columns)
LIMITS = {
    "file_bytes": 200_000_000,  # any input file
    "rows": 1_048_576,  # Excel's own row limit
    "columns": 1_000,  # a header wider than this is not an inventory
    "cells": 20_000_000,  # rows x columns a sheet may declare
    "cell_chars": 32_767,  # Excel's own limit for one cell
    "shared_strings_bytes": 50_000_000,  # the workbook's text table, uncompressed
    "shared_strings": 2_000_000,  # distinct texts in it
    "sheet_xml_bytes": 300_000_000,  # one sheet's XML, uncompressed
    "compression_ratio": 200,  # uncompressed / compressed size of a workbook part (a zip bomb is far above)
}

TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
#: formats the kit does not read, with the exact conversion that makes them readable
CONVERSIONS = {
    ".ods": "open it in LibreOffice Calc or Excel and save it as Excel Workbook (.xlsx)",
    ".xlsb": "open it in Excel and Save As > Excel Workbook (.xlsx)",
    ".numbers": "open it in Numbers and File > Export To > Excel (.xlsx)",
    ".json": "save the table as .xlsx or .csv",
}

# --- problems --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, printed as ``file, row N, column C: what; expected ...``."""

    file: str
    row: int | None
    column: str | None
    what: str
    expected: str | None = None
    value: str = ""  # the cell as written (for the rejected-rows table; never printed for a refused file)
    id: str = ""  # the row's identifier (process_id, provider...)

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        text = f"{', '.join(where)}: {self.what}"
        return f"{text}; expected {self.expected}" if self.expected else text

    @property
    def problem(self) -> str:
        """What is wrong and what is expected, without where (the rejected-rows table's ``problem``)."""
        return f"{self.what}; expected {self.expected}" if self.expected else self.what


def refuse(problems: Problem | Iterable[Problem], hint: str | None = None) -> InputFileError:
    """The error for problems that stop a file being used, sorted by row then column position."""
    items = [problems] if isinstance(problems, Problem) else list(problems)
    return InputFileError([str(p) for p in items], hint=hint)


def sort_problems(problems: Iterable[Problem], columns: Iterable[str] = ()) -> list[Problem]:
    """Problems by row (file-level ones first), then by the column's position in ``columns``."""
    order = {c: i for i, c in enumerate(columns)}
    return sorted(problems, key=lambda p: (p.row or 0, order.get(p.column or "", len(order))))


# --- columns ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of an input table: how it is checked and what a client is told about it."""

    name: str
    kind: str  # a key of PARSERS
    meaning: str
    required: bool = True
    default: Any = None  # value applied to blank cells of an optional column (None: left blank)
    expects: str | None = None  # what to tell the user, when the kind's own wording is not enough
    choices: tuple[str, ...] = ()  # for kind "choice": the accepted values

    @property
    def expected(self) -> str:
        if self.expects:
            return self.expects
        if self.kind == "choice":
            return "one of " + ", ".join(self.choices)
        return PARSERS[self.kind].expected


# --- reading text ----------------------------------------------------------------------------------------


@dataclass
class Facts:
    """How a file was read: what a consultant may want to know, and what the checks need."""

    encoding: str = "utf-8"
    delimiter: str | None = None
    decimal_comma: bool = False
    sheet: str | None = None
    header_row: int = 1
    blank_rows: int = 0
    notes: list[str] = field(default_factory=list)

    def __getitem__(self, key: str) -> Any:  # the earlier dict interface: facts["decimal_comma"]
        return getattr(self, key)


def decode(data: bytes, name: str) -> tuple[str, str]:
    """The text of a file and the encoding it was read with; never shows the file's content in an error.

    UTF-8 (BOM or not), UTF-16 with a BOM (or plainly UTF-16 without one), else Windows-1252, the encoding
    of Excel's plain "CSV" on Western Windows machines."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", name), "utf-8 (with BOM)"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", name), "utf-16"
    head = data[:4096]
    if b"\x00" in head:
        # UTF-16 without a BOM has a zero in every other byte of Latin text; anything else is binary
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if odd > len(head) // 4 and even == 0:
            return _strict(data, "utf-16-le", name), "utf-16"
        if even > len(head) // 4 and odd == 0:
            return _strict(data, "utf-16-be", name), "utf-16"
        raise InputFileError(
            f"{name}: is not a text file (it holds binary data); expected a CSV saved as text or an .xlsx workbook"
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        raise InputFileError(
            f"{name}: is neither UTF-8 nor Windows-1252 text; expected a CSV saved as 'CSV UTF-8' "
            "(in Excel: Save As > CSV UTF-8)"
        ) from None


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputFileError(
            f"{name}: starts as {encoding} text but byte {exc.start} is not valid {encoding}; "
            "expected the file as saved by Excel, unedited"
        ) from None


def read_file_bytes(path: Path, name: str | None = None) -> bytes:
    name = name or path.name
    size = path.stat().st_size
    if size > LIMITS["file_bytes"]:
        raise InputFileError(
            f"{name}: is {size / 1e6:,.0f} MB; expected at most {LIMITS['file_bytes'] / 1e6:,.0f} MB "
            "(the kit's limit for one input file)"
        )
    return path.read_bytes()


DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}


def _sniff(lines: list[str], suffix: str) -> str:
    """The delimiter that splits the first lines into the same number (more than one) of fields most often."""
    best, best_score = ("\t" if suffix == ".tsv" else ","), (0, 0)
    sample = [ln for ln in lines[:50] if ln.strip()]
    for d in DELIMITERS:
        try:
            counts = [len(r) for r in csv.reader(sample, delimiter=d)]
        except csv.Error:  # a cell beyond the limit: the reader says where
            continue
        wide = [c for c in counts if c > 1]
        if not wide:
            continue
        mode = max(set(wide), key=lambda c: (wide.count(c), c))
        score = (wide.count(mode), mode)
        if score > best_score:
            best, best_score = d, score
    return best


def _read_text_rows(path: Path, facts: Facts) -> list[list[Any]]:
    name = path.name
    text, facts.encoding = decode(read_file_bytes(path), name)
    if facts.encoding == "windows-1252":
        facts.notes.append(
            f"{name}: not UTF-8, read as Windows-1252 (Excel's plain CSV); check accented names, "
            "or save it as 'CSV UTF-8' to be sure"
        )
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    skip = 0
    m = re.fullmatch(r'"?sep=(.)"?[,;]*', lines[0].strip(" \r\n")) if lines else None  # Excel's delimiter line
    if m:
        delimiter, skip = m[1], 1
    else:
        delimiter = _sniff(lines, path.suffix.lower())
    facts.delimiter = delimiter
    facts.decimal_comma = delimiter == ";"
    body = text.split("\n", 1)[1] if skip and "\n" in text else ("" if skip else text)
    csv.field_size_limit(LIMITS["cell_chars"])
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter, strict=False)
    rows: list[list[Any]] = [[] for _ in range(skip)]  # keep sep= as a blank row: row numbers stay Excel's
    spans: list[tuple[int, int]] = []  # (index in rows, first line) of records spanning several lines
    while True:
        start = reader.line_num + 1 + skip
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            row_no = len(rows) + 1
            if "field larger" in str(exc):
                raise InputFileError(
                    f"{name}, row {row_no}: a cell is longer than {LIMITS['cell_chars']:,} characters "
                    "(Excel's limit) or a quote is never closed; expected shorter cells, or the stray quote removed"
                ) from None
            raise InputFileError(f"{name}, row {row_no}: cannot be read as CSV ({exc}); expected plain CSV") from None
        if len(row) > LIMITS["columns"]:
            raise InputFileError(
                f"{name}, row {len(rows) + 1}: has {len(row):,} columns; expected at most {LIMITS['columns']:,}"
            )
        if len(rows) >= LIMITS["rows"]:
            raise InputFileError(f"{name}: has more than {LIMITS['rows']:,} rows; expected at most that many")
        rows.append(row)
        if reader.line_num + skip > start:  # this record spans lines: a quoted line break, or a stray quote
            spans.append((len(rows) - 1, start))
    _check_quotes(rows, spans, delimiter, name)
    return rows


def _check_quotes(rows: list[list[Any]], spans: list[tuple[int, int]], delimiter: str, name: str) -> None:
    """Refuse a file where a stray quote made the parser read several lines as one cell (it would silently
    lose those rows): a cell holding line breaks and, after one of them, as many delimiters as a whole row."""
    if not spans:
        return
    width = max(len(r) for r in rows)
    for i, first_line in spans:
        row = rows[i]
        for j, cell in enumerate(row):
            if "\n" not in cell and "\r" not in cell:
                continue
            swallowed = cell.splitlines()[1:]
            if any(ln.count(delimiter) >= max(1, width - 2) for ln in swallowed) or (
                i == len(rows) - 1 and len(swallowed) > 1 and len(row) < width
            ):
                raise InputFileError(
                    f'{name}, row {i + 1}, column {j + 1}: a quote (") opens in this cell and is not closed, so '
                    f"the parser read {len(swallowed) + 1} lines from line {first_line} on as one cell and the rows "
                    "below it would be lost; expected the quote closed or removed (quote a cell only to keep a "
                    f"{_DELIMITER_NAMES.get(delimiter, delimiter)} or a line break inside it)"
                )


# --- reading workbooks -----------------------------------------------------------------------------------


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _col_letters(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def cell_name(row0: int, col0: int) -> str:
    """Excel's name of a cell from 0-based row and column: (0, 0) -> A1."""
    return f"{_col_letters(col0 + 1)}{row0 + 1}"


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the path of its XML in the workbook."""
    wb = zf.read("xl/workbook.xml").decode("utf-8", "replace")
    rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    targets = {}
    for rel in re.finditer(r"<Relationship\b[^>]*>", rels):
        rid = re.search(r'Id="([^"]+)"', rel[0])
        target = re.search(r'Target="([^"]+)"', rel[0])
        if rid and target:
            t = target[1].lstrip("/")
            targets[rid[1]] = t if t.startswith("xl/") else f"xl/{t}"
    out = {}
    for sheet in re.finditer(r"<(?:\w+:)?sheet\b[^>]*>", wb):
        nm = re.search(r'\bname="([^"]*)"', sheet[0])
        rid = re.search(r'\br:id="([^"]+)"|\b\w+:id="([^"]+)"', sheet[0])
        if nm and rid:
            key = rid[1] or rid[2]
            if key in targets:
                out[_xml_unescape(nm[1])] = targets[key]
    return out


def _xml_unescape(s: str) -> str:
    return (
        s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&")
    )


@dataclass
class _SheetScan:
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # (row0, col0) -> formula, no saved value


def _prescan_xlsx(path: Path, name: str) -> dict[str, _SheetScan]:
    """Refuse a workbook whose declared or real size is beyond :data:`LIMITS` before any cell is loaded, and
    note formulas that have no saved value (a file written by a program, never opened in Excel)."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise InputFileError(
            f"{name}: is not a readable Excel workbook (not a valid .xlsx zip); expected an .xlsx file saved by "
            "Excel, or a CSV"
        ) from None
    scans: dict[str, _SheetScan] = {}
    with zf:
        for info in zf.infolist():
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > 10_000_000 and ratio > LIMITS["compression_ratio"]:
                raise InputFileError(
                    f"{name}: part {info.filename} expands {ratio:,.0f} times ({info.file_size / 1e6:,.0f} MB); "
                    f"expected a workbook saved by Excel (at most {LIMITS['compression_ratio']} times)"
                )
            if info.filename == "xl/sharedStrings.xml":
                if info.file_size > LIMITS["shared_strings_bytes"]:
                    raise InputFileError(
                        f"{name}: its text table (shared strings) is {info.file_size:,} bytes; expected at most "
                        f"{LIMITS['shared_strings_bytes']:,} bytes"
                    )
                with zf.open(info) as fh:
                    head = fh.read(1024)
                declared = re.search(rb'uniqueCount="(\d+)"', head)
                if declared and int(declared[1]) > LIMITS["shared_strings"]:
                    raise InputFileError(
                        f"{name}: its text table declares {int(declared[1]):,} distinct texts; expected at most "
                        f"{LIMITS['shared_strings']:,}"
                    )
        try:
            parts = _sheet_parts(zf)
        except KeyError:
            return scans  # not an Excel-written layout; calamine will say what it can
        for sheet, part in parts.items():
            try:
                info = zf.getinfo(part)
            except KeyError:
                continue
            if info.file_size > LIMITS["sheet_xml_bytes"]:
                raise InputFileError(
                    f"{name}: sheet '{sheet}' is {info.file_size / 1e6:,.0f} MB of XML; expected at most "
                    f"{LIMITS['sheet_xml_bytes'] / 1e6:,.0f} MB"
                )
            xml = zf.read(part)
            _check_extent(xml, sheet, name)
            scan = _SheetScan()
            if b"<f" in xml:
                for m in re.finditer(rb'<c\b[^>]*\br="([A-Z]{1,3})(\d+)"[^>]*>(.*?)</c>', xml, flags=re.S):
                    inner = m[3]
                    f = re.search(rb"<f\b[^>]*?(?:/>|>(.*?)</f>)", inner, flags=re.S)
                    if f and not re.search(rb"<v>[^<]", inner):
                        text = f[1].decode("utf-8", "replace") if f[1] else "shared formula"
                        scan.formulas[(int(m[2]) - 1, _col_number(m[1].decode()) - 1)] = _xml_unescape(text)
            scans[sheet] = scan
    return scans


def _check_extent(xml: bytes, sheet: str, name: str) -> None:
    dim = re.search(rb'<dimension ref="([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?"', xml[:4096])
    rows = cols = 0
    if dim:
        cols = _col_number((dim[3] or dim[1] or b"A").decode())
        rows = int(dim[4] or dim[2] or 1)
    # the declared dimension may be absent or understate: the real extent is the last row and the widest cell
    last_row = xml.rfind(b"<row ")
    if last_row >= 0:
        r = re.match(rb'<row [^>]*?\br="(\d+)"', xml[last_row : last_row + 200])
        if r:
            rows = max(rows, int(r[1]))
    for m in re.finditer(rb'\br="([A-Z]{2,3})\d', xml):  # only cells past column Z are worth a look
        cols = max(cols, _col_number(m[1].decode()))
    if cols > LIMITS["columns"] or rows > LIMITS["rows"] or rows * cols > LIMITS["cells"]:
        raise InputFileError(
            f"{name}: sheet '{sheet}' spans {rows:,} rows x {cols:,} columns (up to cell {_col_letters(cols)}{rows}); "
            f"expected at most {LIMITS['columns']:,} columns and {LIMITS['cells']:,} cells (delete the stray cells "
            "far to the right or below the table, then save)"
        )


@dataclass
class _Grid:
    rows: list[list[Any]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]]
    formulas: dict[tuple[int, int], str]
    row_offset: int = 0  # 0-based sheet row of rows[0]
    col_offset: int = 0


def _open_workbook(path: Path, name: str) -> Any:
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(path), load_tables=path.suffix.lower() != ".xls")
    except Exception as exc:  # calamine raises its own error types for zip, XML and format problems
        if path.suffix.lower() == ".xls":
            raise InputFileError(
                f"{name}: is not a readable Excel 97-2003 workbook ({type(exc).__name__}); expected an .xlsx: "
                "open it in Excel and Save As > Excel Workbook (.xlsx)"
            ) from None
        raise InputFileError(
            f"{name}: is not a readable Excel workbook ({type(exc).__name__}); "
            "expected an .xlsx file saved by Excel, or a CSV"
        ) from None


def _holds(cells: list[Any], required: list[str]) -> bool:
    found = {normalise_header(c) for c in cells}
    return all(r in found for r in required)


def _read_workbook(path: Path, required: list[str], sheet: str, item: str, facts: Facts) -> _Grid:
    name = path.name
    scans = _prescan_xlsx(path, name) if path.suffix.lower() != ".xls" else {}
    wb = _open_workbook(path, name)
    names = list(wb.sheet_names)

    def grid_of(sheet_name: str) -> list[list[Any]]:
        # keep leading empty rows and columns so that row numbers are the ones the client sees in Excel
        return [list(r) for r in wb.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)]

    by_name = {n.strip().lower(): n for n in names}
    chosen = by_name.get(sheet.lower())
    if chosen is None:
        holding = [n for n in names if any(_holds(r, required) for r in grid_of(n)[:50])]
        if len(holding) == 1:
            chosen = holding[0]
        elif len(holding) > 1:
            raise InputFileError(
                f"{name}: sheets {', '.join(repr(n) for n in holding)} all hold the columns "
                f"{', '.join(required)}; expected one sheet named '{sheet}' (rename the one to use)"
            )
        elif len(names) == 1:
            chosen = names[0]
        else:
            tables = _tables_holding(wb, required)
            if len(tables) == 1:
                chosen = tables[0].sheet
            else:
                listed = ", ".join(repr(n) for n in names)
                noun = "processes" if item == "process" else f"{item}s"
                raise InputFileError(
                    f"{name}: has several sheets ({listed}) and none is called '{sheet}' or holds the columns "
                    f"{', '.join(required)}; expected the {noun} on a sheet named '{sheet}'"
                )
    facts.sheet = chosen
    sh = wb.get_sheet_by_name(chosen)
    rows = grid_of(chosen)
    merged = list(getattr(sh, "merged_cell_ranges", None) or [])
    formulas = scans[chosen].formulas if chosen in scans else {}
    grid = _Grid(rows, merged, formulas)
    # an Excel table on the sheet holding the columns: read exactly its range (other cells are notes)
    if not any(_holds(r, required) for r in rows[:50]) or _tables_holding(wb, required, chosen):
        tables = _tables_holding(wb, required, chosen)
        if len(tables) == 1:
            t = tables[0]
            (r0, c0), (r1, c1) = t.start, t.end
            r0 -= 1  # calamine's start is the first data row; the header is above it
            grid.rows = [[None] * c0 + list(r[c0 : c1 + 1]) for r in rows[: r1 + 1]]
            grid.rows[:r0] = [[] for _ in range(r0)]
            facts.notes.append(f"{name}: read Excel table '{t.name}' ({cell_name(r0, c0)}:{cell_name(r1, c1)})")
    return grid


def _tables_holding(wb: Any, required: list[str], sheet: str | None = None) -> list[Any]:
    out: list[Any] = []
    try:
        table_names = list(wb.table_names)
    except Exception:  # tables not loaded (.xls) or none
        return out
    for tn in table_names:
        t = wb.get_table_by_name(tn)
        if (sheet is None or t.sheet == sheet) and _holds(list(t.columns), required):
            out.append(t)
    return out


# --- header and rows -------------------------------------------------------------------------------------

_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff\u00ad]")


def normalise_header(name: Any) -> str:
    """A header as the kit matches it: lower case, spaces and dashes as ``_``, invisible characters removed."""
    text = "" if name is None else str(name)
    text = _INVISIBLE.sub("", text).replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


def _blank_row(cells: list) -> bool:
    return all(is_blank(c) for c in cells)


def read_rows(
    path: str | Path,
    columns: tuple[Column, ...],
    item: str = "process",
    sheet: str | None = None,
    *,
    name: str | None = None,
) -> tuple[pd.DataFrame, Facts]:
    """Read a client's table into text-or-value cells with normalised headers.

    In a workbook the rows are on sheet ``sheet`` (default: the file's name without its suffix), else on the
    one sheet holding the required columns. The header is the first row holding every required column.
    Returns the raw table (a ``row`` column holds the spreadsheet row number) and how the file was read
    (:class:`Facts`). Raises ``InputFileError`` when the file cannot be used at all.
    """
    required = [c.name for c in columns if c.required]
    expected = {c.name: c.expected for c in columns}
    path = Path(path)
    name = name or path.name
    if not path.is_file():
        raise InputFileError(f"{name}: file not found")
    suffix = path.suffix.lower()
    facts = Facts()
    grid: _Grid
    if suffix in EXCEL_SUFFIXES:
        if path.stat().st_size > LIMITS["file_bytes"]:
            read_file_bytes(path, name)  # raises the size error
        grid = _read_workbook(path, required, sheet or path.stem, item, facts)
    elif suffix in TEXT_SUFFIXES:
        grid = _Grid(_read_text_rows(path, facts), [], {})
    elif suffix in CONVERSIONS:
        raise InputFileError(f"{name}: the kit does not read {suffix} files; {CONVERSIONS[suffix]}")
    else:
        raise InputFileError(f"{name}: unsupported file type '{suffix}'; expected .xlsx, .xls, .csv, .tsv or .txt")
    rows = grid.rows

    header_at = next((i for i, r in enumerate(rows) if _holds(r, required)), None)
    if header_at is None:
        # no row holds them all: the header is the early row holding most of them (a column is missing),
        # else the first row with anything in it
        counts = [(sum(normalise_header(c) in required for c in r), -i) for i, r in enumerate(rows[:50])]
        best = max(counts, default=(0, 0))
        header_at = -best[1] if best[0] else next((i for i, r in enumerate(rows) if not _blank_row(r)), None)
    if header_at is None:
        raise InputFileError(f"{name}: is empty; expected a header row ({', '.join(required)}) and one row per {item}")
    facts.header_row = header_at + 1
    header = [normalise_header(h) for h in rows[header_at]]
    width = len(header)
    while width and not header[width - 1]:
        width -= 1
    if width > LIMITS["columns"]:
        raise InputFileError(
            f"{name}, row {header_at + 1}: has {width:,} columns; expected at most {LIMITS['columns']:,}"
        )
    header = [h or f"unnamed_{i + 1}" for i, h in enumerate(header[:width])]
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise InputFileError(
            f"{name}, row {header_at + 1}: the column(s) {', '.join(dupes)} appear more "
            "than once (header case and spaces are ignored); expected each column once"
        )
    missing = [c for c in required if c not in header]
    if missing:
        problems = []
        for c in missing:
            close = difflib.get_close_matches(c, header, n=1, cutoff=0.75)
            hint = f" (is '{close[0]}' meant to be '{c}'?)" if close else ""
            problems.append(
                f"{name}, row {header_at + 1}, column {c}: required column is missing{hint}; "
                f"expected {expected.get(c, 'this column')}"
            )
        if len(missing) == len(required):
            # nothing of the expected table: the file is not what was meant, and its content is not shown
            raise InputFileError(
                f"{name}: none of the required columns ({', '.join(required)}) is in it; expected the {item} "
                "table with a header row naming its columns"
            )
        shown = [h for h in header if len(h) <= 60 and h.isprintable()]
        raise InputFileError(problems, hint=f"Columns found: {', '.join(shown)}" if shown else None)
    _check_cells(grid, header_at, width, header, name)

    records, numbers, blank_rows = [], [], 0
    for i in range(header_at + 1, len(rows)):
        cells = list(rows[i][:width]) + [None] * max(0, width - len(rows[i]))
        if _blank_row(cells):
            blank_rows += 1
            continue
        extra = rows[i][width:]
        if not _blank_row(list(extra)):
            raise InputFileError(
                f"{name}, row {i + 1}: has values beyond the last named column; expected every column to have a header"
            )
        records.append(cells)
        numbers.append(i + 1)
    if not records:
        raise InputFileError(f"{name}: has a header but no {item} rows; expected one row per {item}")
    raw = pd.DataFrame(records, columns=header, dtype=object)
    raw.insert(0, "row", numbers)
    facts.blank_rows = blank_rows
    return raw, facts


def _check_cells(grid: _Grid, header_at: int, width: int, header: list[str], name: str) -> None:
    """Merged cells and formulas without saved values in the table: named, never read as blanks."""
    problems = []
    for (r0, c0), (r1, c1) in grid.merged:
        if r1 >= header_at and c0 < width and (r1 > r0 or c1 > c0):
            problems.append(
                f"{name}, row {r0 + 1}, column {header[min(c0, width - 1)]}: merged cells "
                f"{cell_name(r0, c0)}:{cell_name(r1, c1)}; expected one value in each cell (select them, "
                "Home > Merge & Center to unmerge, and fill every cell)"
            )
    for (r, c), formula in sorted(grid.formulas.items()):
        if r > header_at and c < width:
            problems.append(
                f"{name}, row {r + 1}, column {header[c]}: a formula (={formula[:60]}) with no saved value "
                "(the file was written by a program, not Excel); expected values: open and save it in Excel"
            )
    if problems:
        raise InputFileError(problems)


# --- cell parsers ----------------------------------------------------------------------------------------

#: cells that mean "nothing here": in an optional column the default applies
MISSING_WORDS = {"n/a", "#n/a", "n.a.", "-", "--", "\u2013", "\u2014"}


def is_blank(v: Any) -> bool:
    if type(v) is str:
        t = v.strip()
        return not t or (len(t) <= 4 and t.lower() in MISSING_WORDS)
    if v is None:
        return True
    if isinstance(v, float):
        return math.isnan(v)
    if isinstance(v, str):
        t = v.strip()
        return not t or (len(t) <= 4 and t.lower() in MISSING_WORDS)
    return False


def as_text(v: Any) -> str:
    if is_blank(v):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


class BadCell(ValueError):
    """A cell that does not fit its column: the message says what is wrong with it. The cell as written is
    put in front of the message unless ``complete`` (the message names the value itself)."""

    def __init__(self, message: str, complete: bool = False):
        super().__init__(message)
        self.complete = complete


@dataclass(frozen=True)
class Parser:
    """How a kind of cell is read: ``parse(value, decimal_comma)`` returns the value or raises :class:`BadCell`."""

    parse: Callable[[Any, bool], Any]
    expected: str


_NUMBER_JUNK = re.compile(r"[\s\u00a0\u202f$€£¥₹']")
_SHORTHAND = {"k": 1e3, "m": 1e6, "mn": 1e6, "mio": 1e6, "bn": 1e9}


def number(v: Any, decimal_comma: bool = False) -> float:
    """A number from a cell: ``1,234.5``, ``1.234,5``, ``29.000,00`` and ``21.500`` in a ``;`` file, ``12k``,
    ``$ 1 200``; never ``NaN`` or infinity."""
    if isinstance(v, bool):
        raise BadCell("is a yes/no value")
    if isinstance(v, (int, float, np.integer, np.floating)):
        x = float(v)
    else:
        text = _NUMBER_JUNK.sub("", str(v))
        if re.fullmatch(r"[A-Z]{3}", text[:3] or "") and len(text) > 3:
            text = text[3:]
        scale = 1.0
        m = re.fullmatch(r"(.*\d)(k|m|mn|mio|bn)", text, flags=re.I)
        if m:
            text, scale = m[1], _SHORTHAND[m[2].lower()]
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
        if not re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", text):
            raise BadCell("is not a number")
        x = float(text) * scale
    if not math.isfinite(x):
        raise BadCell("is not a finite number")
    return x


def _non_negative(v: Any, dc: bool) -> float:
    x = number(v, dc)
    if x < 0:
        raise BadCell(f"{x:g} is negative", complete=True)
    return x


def _positive(v: Any, dc: bool) -> float:
    try:
        x = number(v, dc)
    except BadCell:
        x = float("nan")
    if not x > 0:
        raise BadCell("is not a positive number")
    return x


def _score(v: Any, dc: bool) -> int:
    if isinstance(v, bool):
        raise BadCell("is a yes/no value")
    try:
        x = number(v.strip() if isinstance(v, str) else v, False)
    except BadCell:
        raise BadCell("is not a number") from None
    if not x.is_integer():
        raise BadCell("is not a whole number")
    if not 1 <= x <= 5:
        raise BadCell("is outside 1 to 5")
    return int(x)


def _share(v: Any, dc: bool) -> float:
    if isinstance(v, bool):
        raise BadCell("is a yes/no value")
    t = as_text(v)
    pct = t.endswith("%")
    x = number(t.rstrip("%").strip() if pct else v, dc)
    x = x / 100 if pct else x
    if pct and not 0 <= x <= 1:
        raise BadCell("is outside 0% to 100%")
    if x > 1:
        raise BadCell(f"is above 1 (write {x / 100:g} or '{x:g}%')")
    if x < 0:
        raise BadCell(f"{x:g} is negative", complete=True)
    return x


#: yes and no as clients write them in the languages of the reference countries
TRUE_WORDS = {
    *("yes", "y", "true", "t", "1", "x"),
    *("ja", "j", "oui", "o", "si", "sí", "sim", "s", "tak", "ano", "igen", "da", "oo", "evet", "ha", "haan", "sì"),
    *("kyllä", "ja.", "jah", "taip", "jā", "да", "是", "はい", "예", "có", "ใช่", "ya", "iya", "naam"),
}
FALSE_WORDS = {
    *("no", "n", "false", "f", "0"),
    *("nein", "non", "não", "nao", "nie", "ne", "nem", "nu", "hindi", "hayır", "hayir", "nahin", "nee", "nej"),
    *("ei", "nei", "nē", "не", "否", "いいえ", "아니요", "không", "ไม่", "tidak", "bukan", "la"),
}


def _bool(v: Any, dc: bool) -> bool:
    if isinstance(v, bool):
        return v
    t = as_text(v).lower()
    if t in TRUE_WORDS:
        return True
    if t in FALSE_WORDS:
        return False
    raise BadCell("is not yes or no")


def _text(v: Any, dc: bool) -> str:
    return as_text(v)


def _languages(v: Any, dc: bool) -> str:
    codes: list[str] = []
    for part in re.split(r"[;,/|]+|\s+and\s+|\s{2,}", as_text(v)):
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
            raise BadCell(f"{part!r} is not an ISO 639-1 language code", complete=True)
        if lang.alpha_2 not in codes:
            codes.append(lang.alpha_2)
    return ";".join(codes)


def _month(v: Any, dc: bool) -> str:
    if hasattr(v, "year") and hasattr(v, "month"):
        return f"{v.year:04d}-{v.month:02d}"
    m = re.fullmatch(r"(\d{4})[-/.](\d{1,2})(?:[-/.]\d{1,2})?", as_text(v))
    if m and 1 <= int(m[2]) <= 12:
        return f"{int(m[1]):04d}-{int(m[2]):02d}"
    raise BadCell("is not a month")


_DIRECTIONS = {
    **dict.fromkeys(("higher", "higher_is_better", "high", "up", "max"), "higher"),
    **dict.fromkeys(("lower", "lower_is_better", "low", "down", "min"), "lower"),
}


def _direction(v: Any, dc: bool) -> str:
    key = re.sub(r"[^a-z]+", "_", as_text(v).lower()).strip("_")
    if key not in _DIRECTIONS:
        raise BadCell("is neither higher nor lower")
    return _DIRECTIONS[key]


def _currency(v: Any, dc: bool) -> str:
    from .fx import currencies

    code = as_text(v).upper()
    if code not in currencies():
        raise BadCell("has no exchange rate in the kit")
    return code


def _country(v: Any, dc: bool) -> str:
    code = as_text(v).upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise BadCell("is not an ISO 3166 alpha-2 country code")
    return code


def _key(v: Any) -> str:
    return re.sub(r"[^a-z0-9]+", "_", as_text(v).lower().replace("&", " and ")).strip("_")


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
    **dict.fromkeys(
        ("finance_and_accounting", "finance", "accounting", "f_and_a", "f_a", "fa", "fin"), "finance_accounting"
    ),
    **dict.fromkeys(("hr", "human_resource", "people"), "human_resources"),
    **dict.fromkeys(("it", "information_technology", "it_service", "ict"), "it_services"),
    **dict.fromkeys(
        (
            "customer_services",
            "customer_support",
            "customer_care",
            "cx",
            "contact_centre",
            "contact_center",
            "customer_experience",
        ),
        "customer_service",
    ),
    **dict.fromkeys(("purchasing", "sourcing", "supply_chain"), "procurement"),
    **dict.fromkeys(("legal_and_compliance", "legal_compliance"), "legal"),
    **dict.fromkeys(
        ("research_and_analytics", "research", "analytics", "r_and_a", "data_and_analytics"), "research_analytics"
    ),
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


def _function(v: Any, dc: bool) -> str:
    key = FUNCTION_ALIASES.get(_key(v), _key(v))
    if key not in FUNCTIONS:
        raise BadCell("is not a known function")
    return key


def _coverage(v: Any, dc: bool) -> str:
    key = COVERAGE_ALIASES.get(_key(v), _key(v))
    if key not in COVERAGES:
        raise BadCell("is not a known coverage")
    return key


#: every kind of column, its parser and what a client is told to write
PARSERS: dict[str, Parser] = {
    "id": Parser(_text, "a text identifier, unique in the file"),
    "text": Parser(_text, "a text"),
    "function": Parser(
        _function,
        "one of " + ", ".join(FUNCTIONS) + " (or a usual label such as 'Finance & Accounting', 'HR', 'IT')",
    ),
    "number": Parser(_non_negative, "a number >= 0"),
    "positive": Parser(_positive, "a number > 0"),
    "bool": Parser(_bool, "yes/no, true/false or 1/0 (ja/nein, oui/non, sí/no, sim/não, tak/nie... too)"),
    "score": Parser(_score, "a whole number from 1 to 5"),
    "share": Parser(_share, "a share from 0 to 1 or a percentage such as '35%'"),
    "languages": Parser(_languages, "ISO 639-1 codes separated by ';' such as 'en; es'"),
    "coverage": Parser(_coverage, "one of " + ", ".join(COVERAGES)),
    "month": Parser(_month, "a month as YYYY-MM, e.g. 2026-03"),
    "direction": Parser(_direction, "higher or lower (which is better)"),
    "currency": Parser(_currency, "an ISO 4217 code the kit can convert, e.g. USD, EUR, GBP"),
    "upper": Parser(lambda v, dc: as_text(v).upper(), "a code"),
    "country": Parser(_country, "an ISO 3166 alpha-2 country code such as 'PH'"),
    "choice": Parser(_text, "one of the listed values"),
}


def _parse_column(
    col: Column, values: list[Any], decimal_comma: bool
) -> tuple[list[bool], list[Any], list[str | None]]:
    """Whether each cell is blank, its parsed value (None when blank or wrong) and its problem (None when fine);
    each distinct cell is looked at once."""
    parse = PARSERS[col.kind].parse
    if col.kind == "choice":
        choices = {_key(c): c for c in col.choices}

        def parse(v: Any, dc: bool) -> Any:
            key = _key(v)
            if key not in choices:
                raise BadCell(f"is not a {col.meaning.lower()}")
            return choices[key]

    cache: dict[tuple[type, Any], tuple[bool, Any, str | None]] = {}
    blank: list[bool] = []
    parsed: list[Any] = []
    problems: list[str | None] = []
    for v in values:
        key = (type(v), v)
        hit = cache.get(key)
        if hit is None:
            if is_blank(v):
                hit = (True, None, None)
            else:
                try:
                    hit = (False, parse(v, decimal_comma), None)
                except BadCell as exc:
                    hit = (False, None, str(exc) if exc.complete else f"{as_text(v)!r} {exc}")
            if v == v:  # NaN is never equal to itself, so it would never be found again
                cache[key] = hit
        blank.append(hit[0])
        parsed.append(hit[1])
        problems.append(hit[2])
    return blank, parsed, problems


def check_columns(
    raw: pd.DataFrame,
    columns: tuple[Column, ...],
    id_column: str,
    *,
    decimal_comma: bool = False,
    defaults: dict[str, Any] | None = None,
    file: str = "",
    duplicate_of: str = "row",
) -> tuple[pd.DataFrame, pd.DataFrame, list[dict]]:
    """Check every cell of ``columns`` in a raw table from :func:`read_rows`.

    Returns the parsed columns (with ``row``), one line per problem (row, id, column, value, problem, what,
    expected) and the defaults applied to blank cells of optional columns (``defaults`` overrides a column's
    own default). Duplicate values of ``id_column`` are problems too: every later copy names the row of the first
    (``duplicate_of`` words it: "'P-1' duplicates <duplicate_of> 2").
    """
    out = pd.DataFrame({"row": raw["row"].astype(int)}, index=raw.index)
    found: list[Problem] = []
    applied = []
    rows = raw["row"].astype(int).tolist()
    ids = raw[id_column].map(as_text) if id_column in raw.columns else pd.Series("", index=raw.index)
    id_list = ids.tolist()
    for col in columns:
        present = col.name in raw.columns
        values = raw[col.name] if present else pd.Series(None, index=raw.index, dtype=object)
        texts = values.tolist()
        blank_list, parsed, problems = _parse_column(col, texts, decimal_comma)
        blank = pd.Series(blank_list, index=raw.index, dtype=bool)
        for i, what in enumerate(problems):
            if what is not None:
                shown = as_text(texts[i])
                found.append(Problem(file, rows[i], col.name, what, col.expected, shown, id_list[i]))
        series = pd.Series(parsed, index=raw.index, dtype=object)
        if col.required:
            for i in np.flatnonzero(blank.to_numpy()).tolist():
                found.append(Problem(file, rows[i], col.name, "is empty", col.expected, as_text(texts[i]), id_list[i]))
        else:
            default = (defaults or {}).get(col.name, col.default)
            if default is not None:
                series = series.where(~blank, default)
            if default is not None and default != "":  # an empty text default is not worth a line
                applied.append(
                    {
                        "column": col.name,
                        "default": str(default),
                        "rows": int(blank.sum()),
                        "column_missing": not present,
                    }
                )
        out[col.name] = series
    dup = ids.ne("") & ids.duplicated(keep="first")
    if dup.any():
        first_row = raw.groupby(ids)["row"].transform("first")
        id_col = next(c for c in columns if c.name == id_column) if any(c.name == id_column for c in columns) else None
        for i in np.flatnonzero(dup.to_numpy()).tolist():
            found.append(
                Problem(
                    file,
                    rows[i],
                    id_column,
                    f"'{id_list[i]}' duplicates {duplicate_of} {first_row.iloc[i]}",
                    id_col.expected if id_col else "each value once",
                    id_list[i],
                    id_list[i],
                )
            )
    return out, problems_frame(sort_problems(found, [c.name for c in columns])), applied


PROBLEM_COLUMNS = ["row", "id", "column", "value", "problem", "what", "expected"]


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """Problems as a table: row, id, column, value, problem (what; expected), what, expected."""
    return pd.DataFrame(
        [(p.row, p.id, p.column, p.value, p.problem, p.what, p.expected) for p in problems], columns=PROBLEM_COLUMNS
    )


def problem_lines(source: str, found: pd.DataFrame) -> list[str]:
    """Problems found by :func:`check_columns` as ``file, row N, column C: what is wrong; what is expected``."""
    return [str(p) for p in to_problems(source, found)]


def to_problems(source: str, found: pd.DataFrame) -> list[Problem]:
    """The rows of a problems table as :class:`Problem` values of file ``source``."""
    out = []
    for r in found.itertuples():
        what = getattr(r, "what", None)
        if not isinstance(what, str):
            what, expected = str(r.problem), None
        else:
            expected = r.expected if isinstance(r.expected, str) else None
        ident = getattr(r, "id", getattr(r, "process_id", ""))
        out.append(Problem(source, int(r.row), str(r.column), what, expected, str(r.value), str(ident)))
    return out


# --- the rate card ---------------------------------------------------------------------------------------

#: what a rate card (providers' quotes) holds
RATE_COLUMNS = (
    Column("location", "upper", "Delivery location", expects="an ISO 3166 alpha-2 code of a candidate location"),
    Column("role_family", "choice", "Role family"),  # choices: the business case's role families
    Column("price_per_fte_year", "positive", "Price per FTE per year", expects="the price per FTE per year"),
    Column("currency", "currency", "Currency of the price", expects="one of the ECB's currencies"),
    Column("provider", "text", "Provider who quoted the price", False, ""),
)


def read_rate_card(
    path: str | Path, candidates: list[str], role_families: Iterable[str], *, name: str | None = None
) -> pd.DataFrame:
    """The client's rate card (providers' quotes), checked: one row per location and role family with
    ``row, country, role_family, price, currency, provider``. Every problem is raised together."""
    path = Path(path)
    name = name or path.name
    from .fx import currencies

    raw, facts = read_rows(path, RATE_COLUMNS, item="price", name=name)
    given: dict[str, dict[str, Any]] = {
        "currency": {"expects": "one of " + ", ".join(sorted(currencies()))},
        "role_family": {"choices": tuple(role_families)},
    }
    columns = tuple(replace(c, **given.get(c.name, {})) for c in RATE_COLUMNS)
    out, found, _ = check_columns(raw, columns, "row", decimal_comma=facts.decimal_comma, file=name)
    problems = to_problems(name, found)
    bad_rows = set(found["row"])
    for r in out.itertuples():
        if isinstance(r.location, str) and r.location not in candidates:
            problems.append(
                Problem(
                    name,
                    r.row,
                    "location",
                    f"{r.location!r} is not a candidate location",
                    "one of " + ", ".join(candidates),
                )
            )
            bad_rows.add(r.row)
    ok = out[~out["row"].isin(bad_rows)]
    df = pd.DataFrame(
        {
            "row": ok["row"].astype(int),
            "country": ok["location"],
            "role_family": ok["role_family"],
            "price": ok["price_per_fte_year"].astype(float),
            "currency": ok["currency"],
            "provider": ok["provider"].fillna(""),
        }
    ).reset_index(drop=True)
    dup = df.duplicated(["country", "role_family"], keep="first")
    first = df.groupby(["country", "role_family"])["row"].transform("first")
    for i in np.flatnonzero(dup.to_numpy()):
        problems.append(
            Problem(
                name,
                int(df["row"].iloc[i]),
                "role_family",
                f"a second price for {df['role_family'].iloc[i]} in {df['country'].iloc[i]} "
                f"(first on row {first.iloc[i]})",
                "one price per location and role family",
            )
        )
    if problems:
        raise refuse(sort_problems(problems, [c.name for c in RATE_COLUMNS]))
    df.attrs["notes"] = list(facts.notes)  # how the file was read, e.g. not UTF-8
    return df
