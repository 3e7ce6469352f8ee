"""Reading real clients' files: encodings, delimiters, title rows, sheets, Excel tables, merged cells, formulas,
hostile sizes, unbalanced quotes and the values consultants meet weekly. Every fixture is made here, small."""

from __future__ import annotations

import zipfile

import pytest
from helpers import GOOD_ROW, HEADER

from bpo_kit import tables
from bpo_kit.business_case import ROLE_FAMILIES
from bpo_kit.errors import InputFileError
from bpo_kit.inventory import load_inventory
from bpo_kit.kpis import load_kpis
from bpo_kit.tables import Problem, read_rate_card


def row(**changes) -> list:
    r = dict(zip(HEADER, GOOD_ROW, strict=True))
    r.update(changes)
    return [r[h] for h in HEADER]


def text_table(rows: list[list], header: list[str] = HEADER, sep: str = ",") -> str:
    return "\n".join(sep.join(str(c) for c in r) for r in [header, *rows]) + "\n"


def refused(path, **kw) -> list[str]:
    with pytest.raises(InputFileError) as exc:
        load_inventory(path, **kw)
    return exc.value.problems


def test_a_problem_is_a_value_with_one_way_of_printing_it():
    p = Problem("kpi row data.csv", 4, "month", "'2026-13' is not a month", "a month as YYYY-MM")
    assert str(p) == "kpi row data.csv, row 4, column month: '2026-13' is not a month; expected a month as YYYY-MM"
    assert str(Problem("inv.csv", None, None, "is empty")) == "inv.csv: is empty"
    later = Problem("kpi row data.csv", 12, "kpi", "x")
    assert tables.sort_problems([later, p], ["month", "kpi"]) == [p, later]


# --- encodings ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encoding,sep,suffix",
    [
        ("utf-8", ",", ".csv"),
        ("utf-8-sig", ",", ".csv"),  # Excel "CSV UTF-8"
        ("utf-16", "\t", ".txt"),  # Excel "Unicode text": UTF-16 with BOM, tab-delimited
        ("utf-16", "\t", ".tsv"),
        ("cp1252", ";", ".csv"),  # Excel "CSV" on a European Windows machine
    ],
)
def test_every_excel_text_save_is_read(tmp_path, encoding, sep, suffix):
    path = tmp_path / f"inv{suffix}"
    path.write_bytes(text_table([row(process_name="Crème brûlée invoicing")], sep=sep).encode(encoding))
    inv = load_inventory(path)
    assert inv.processes["process_name"].tolist() == ["Crème brûlée invoicing"]
    assert inv.processes["fte"].tolist() == [4.0]
    notes = [n for n in inv.notes if "Windows-1252" in n]
    assert len(notes) == (1 if encoding == "cp1252" else 0)


def test_utf16_without_bom_is_read_and_binary_is_never_shown(tmp_path):
    (tmp_path / "inv.csv").write_bytes(text_table([row()]).encode("utf-16-le"))
    assert len(load_inventory(tmp_path / "inv.csv").processes) == 1
    (tmp_path / "bin.csv").write_bytes(b"root:x:0:0:root\x00\x01\x02\x03\xff\xfe\x00\x00secret")
    (p,) = refused(tmp_path / "bin.csv")
    assert p == "bin.csv: is not a text file (it holds binary data); expected a CSV saved as text or an .xlsx workbook"
    assert "root" not in p


# --- delimiters, sep= and title rows ------------------------------------------------------------------------


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_the_delimiter_is_sniffed(tmp_path, sep):
    path = tmp_path / "inv.csv"
    path.write_text(text_table([row(), row(process_id="P-2", process_name="Billing, EMEA")], sep=sep))
    if sep == ",":  # a comma inside a cell of a comma file needs quotes
        path.write_text(path.read_text().replace("Billing, EMEA", '"Billing, EMEA"'))
    inv = load_inventory(path)
    assert inv.processes["process_name"].tolist() == ["Payroll run", "Billing, EMEA"]


def test_excel_sep_line_and_title_rows_above_the_header(tmp_path):
    path = tmp_path / "inv.csv"
    body = text_table([row()], sep=";").replace("280000", "280.000,50")
    path.write_text("sep=;\nProcess inventory - Acme;;\nAs of March 2026\n\n" + body)
    inv = load_inventory(path)
    assert inv.processes["annual_cost"].tolist() == [280000.5]
    assert inv.processes["row"].tolist() == [6]  # the row Excel shows


# --- hostile text files ---------------------------------------------------------------------------------


def test_a_cell_beyond_excels_limit_names_its_row(tmp_path):
    path = tmp_path / "inv.csv"
    path.write_text(text_table([row(), row(process_id="P-2", process_name="x" * 200_000)]))
    (p,) = refused(path)
    assert p == (
        "inv.csv, row 3: a cell is longer than 32,767 characters (Excel's limit) or a quote is never closed; "
        "expected shorter cells, or the stray quote removed"
    )


def test_a_header_of_a_million_columns_is_refused(tmp_path):
    path = tmp_path / "inv.csv"
    path.write_text(",".join(f"c{i}" for i in range(1_000_000)) + "\n")
    (p,) = refused(path)
    assert p == "inv.csv, row 1: has 1,000,000 columns; expected at most 1,000"


def test_an_unbalanced_quote_is_named_not_a_silent_partial_read(tmp_path):
    rows = [row(process_id=f"P-{i}") for i in range(1, 41)]
    rows[9][1] = '"Payroll run'  # opens a quote that never closes: the parser would swallow 30 rows
    path = tmp_path / "inv.csv"
    path.write_text(text_table(rows))
    (p,) = refused(path)
    assert p == (
        'inv.csv, row 11, column 2: a quote (") opens in this cell and is not closed, so the parser read 31 lines '
        "from line 11 on as one cell and the rows below it would be lost; expected the quote closed or removed "
        "(quote a cell only to keep a comma or a line break inside it)"
    )
    # a legitimate line break inside a quoted cell is fine
    rows[9][1] = '"Payroll run\nsecond line"'
    path.write_text(text_table(rows))
    inv = load_inventory(path)
    assert len(inv.processes) == 40 and inv.processes.loc[9, "process_name"] == "Payroll run\nsecond line"


# --- workbooks ----------------------------------------------------------------------------------------------


def workbook(path, sheets: dict[str, list[list]]):
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


def test_the_sheet_holding_the_columns_is_the_inventory_and_ambiguity_lists_the_candidates(tmp_path):
    data = [HEADER, row()]
    path = workbook(tmp_path / "a.xlsx", {"Notes": [["read me"]], "Processes": [["Acme processes"], [], *data]})
    inv = load_inventory(path)
    assert inv.processes["row"].tolist() == [4]
    path = workbook(tmp_path / "b.xlsx", {"2025": data, "2026": data})
    (p,) = refused(path)
    assert p.startswith("b.xlsx: sheets '2025', '2026' all hold the columns process_id, process_name, function")
    assert p.endswith("expected one sheet named 'inventory' (rename the one to use)")


def test_an_excel_table_is_read_by_its_range(tmp_path):
    from openpyxl import Workbook
    from openpyxl.worksheet.table import Table

    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws["A1"] = "Acme - processes in scope"
    for i, r in enumerate([HEADER, row(), row(process_id="P-2")]):
        for j, v in enumerate(r):
            ws.cell(row=3 + i, column=2 + j, value=v)
    ws.cell(row=8, column=2, value="Total")  # a note under the table, not a process
    ws.cell(row=8, column=5, value=8)
    last = tables.cell_name(4, 1 + len(HEADER) - 1)
    ws.add_table(Table(displayName="Inventory", ref=f"B3:{last}"))
    wb.save(tmp_path / "t.xlsx")
    inv = load_inventory(tmp_path / "t.xlsx")
    assert inv.processes["process_id"].tolist() == ["P-1", "P-2"]
    assert inv.notes == [f"t.xlsx: read Excel table 'Inventory' (B3:{last})"]


def test_merged_cells_and_formulas_without_values_are_named(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "inventory"
    ws.append(["Acme inventory"])
    ws.merge_cells("A1:D1")  # a merged title above the header is fine
    for r in [HEADER, row(), row(process_id="P-2"), row(process_id="P-3")]:
        ws.append(r)
    ws.merge_cells("C3:C4")
    ws["E5"] = "=D5*70000"  # openpyxl saves no value for a formula, as any program but Excel
    wb.save(tmp_path / "m.xlsx")
    assert refused(tmp_path / "m.xlsx") == [
        "m.xlsx, row 3, column function: merged cells C3:C4; expected one value in each cell (select them, "
        "Home > Merge & Center to unmerge, and fill every cell)",
        "m.xlsx, row 5, column annual_cost: a formula (=D5*70000) with no saved value (the file was written by a "
        "program, not Excel); expected values: open and save it in Excel",
    ]


def test_a_stray_value_in_the_last_cell_of_excel_is_refused_before_reading(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "inventory"
    for r in [HEADER, row()]:
        ws.append(r)
    ws["XFD1048576"] = "oops"
    wb.save(tmp_path / "big.xlsx")
    (p,) = refused(tmp_path / "big.xlsx")
    assert p == (
        "big.xlsx: sheet 'inventory' spans 1,048,576 rows x 16,384 columns (up to cell XFD1048576); expected at "
        "most 1,000 columns and 20,000,000 cells (delete the stray cells far to the right or below the table, "
        "then save)"
    )


def test_a_shared_strings_bomb_is_refused_by_its_declared_size(tmp_path, monkeypatch):
    path = workbook(tmp_path / "s.xlsx", {"inventory": [HEADER, row()]})
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("xl/sharedStrings.xml", b"<sst>" + b"<si><t>lol</t></si>" * 1000 + b"</sst>")
    monkeypatch.setitem(tables.LIMITS, "shared_strings_bytes", 10_000)
    (p,) = refused(path)
    assert p == "s.xlsx: its text table (shared strings) is 19,011 bytes; expected at most 10,000 bytes"
    path = workbook(tmp_path / "u.xlsx", {"inventory": [HEADER, row()]})
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("xl/sharedStrings.xml", b'<sst count="900000000" uniqueCount="900000000"><si><t>x</t></si></sst>')
    (p,) = refused(path)
    assert p == "u.xlsx: its text table declares 900,000,000 distinct texts; expected at most 2,000,000"


def test_a_zip_bomb_part_is_refused(tmp_path):
    path = tmp_path / "z.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/sharedStrings.xml", b"\0" * 50_000_000)
    (p,) = refused(path)
    assert p.startswith("z.xlsx: part xl/sharedStrings.xml expands ")
    assert p.endswith("times (50 MB); expected a workbook saved by Excel (at most 200 times)")


# --- values --------------------------------------------------------------------------------------------------


def test_missing_markers_in_optional_columns_mean_the_default_and_are_counted(tmp_path):
    header = [*HEADER, "automation_potential", "coverage", "interdependence", "onsite_share", "tower"]
    rows = [
        row() + ["N/A", "-", "n/a", "35%", "Finance lot"],
        row(process_id="P-2") + ["—", "", "#N/A", "0.5", "-"],
    ]
    path = tmp_path / "inv.csv"
    path.write_text(text_table(rows, header=header))
    inv = load_inventory(path)
    p = inv.processes
    assert p["automation_potential"].tolist() == [0.0, 0.0]
    assert p["coverage"].tolist() == ["business_hours", "business_hours"]
    assert p["onsite_share"].tolist() == [0.35, 0.5]
    assert p["tower"].tolist() == ["Finance lot", ""]
    assert inv.summary()["defaults_applied"] == {
        "interdependence": 2,
        "automation_potential": 2,
        "languages": 2,
        "coverage": 2,
    }


def test_nan_and_inf_are_not_numbers_and_shorthands_are_read(tmp_path):
    rows = [
        row(fte="NaN"),
        row(process_id="P-2", annual_cost="inf"),
        row(process_id="P-3", annual_cost="12k"),
        row(process_id="P-4", annual_cost="1.2m"),
        row(process_id="P-5", annual_cost="12 apples"),
    ]
    path = tmp_path / "inv.csv"
    path.write_text(text_table(rows))
    inv = load_inventory(path)
    assert inv.problems == [
        "inv.csv, row 2, column fte: 'NaN' is not a number; expected a number >= 0",
        "inv.csv, row 3, column annual_cost: 'inf' is not a number; expected a number >= 0",
        "inv.csv, row 6, column annual_cost: '12 apples' is not a number; expected a number >= 0",
    ]
    assert inv.processes["annual_cost"].tolist() == [12000.0, 1200000.0]


@pytest.mark.parametrize(
    "yes,no", [("ja", "nein"), ("oui", "non"), ("sí", "no"), ("sim", "não"), ("tak", "nie"), ("Yes", "NO")]
)
def test_yes_and_no_in_the_reference_countries_languages(tmp_path, yes, no):
    path = tmp_path / "inv.csv"
    path.write_text(text_table([row(customer_facing=yes), row(process_id="P-2", customer_facing=no)]))
    assert load_inventory(path).processes["customer_facing"].tolist() == [True, False]


def test_invisible_characters_in_headers_do_not_hide_a_column(tmp_path):
    header = list(HEADER)
    header[0] = "\u200bprocess_id"
    header[3] = "fte\u00a0"
    header[4] = "\ufeffannual\u202fcost"
    path = tmp_path / "inv.csv"
    path.write_text(text_table([row()], header=header))
    assert load_inventory(path).processes["annual_cost"].tolist() == [280000.0]


# --- the rate card and the KPI file read like the inventory ---------------------------------------------------


def test_the_rate_card_understands_the_decimal_comma_and_thousands_dot(tmp_path):
    path = tmp_path / "rates.csv"
    path.write_text(
        "location;role_family;price_per_fte_year;currency\n"
        "PH;contact_centre_agent;21.500;USD\nIN;it_support;18000,50;USD\nPL;back_office_transactional;29.000,00;EUR\n"
    )
    rates = read_rate_card(path, ["PH", "IN", "PL"], ROLE_FAMILIES)
    assert rates["price"].tolist() == [21500.0, 18000.5, 29000.0]
    path.write_text(
        'location,role_family,price_per_fte_year,currency\nph,Contact centre agent,"21,500",usd\n'
        "IN,it_support,18000.50,USD\n"
    )
    rates = read_rate_card(path, ["PH", "IN"], ROLE_FAMILIES)
    assert rates[["country", "role_family", "price", "currency"]].values.tolist() == [
        ["PH", "contact_centre_agent", 21500.0, "USD"],
        ["IN", "it_support", 18000.5, "USD"],
    ]


def test_kpi_problems_sort_by_row_even_in_a_file_named_with_row(tmp_path):
    path = tmp_path / "kpi row data.csv"
    path.write_text(
        "month,provider,kpi,actual,target,direction\n"
        "2026-01,A,quality,98,97,higher\n"
        "2026-01,A,quality,97,97,higher\n"
        "2026-13,A,sla,90,95,higher\n"
        "2026-02,A,sla,,95,sideways\n"
        "2026-03,A,sla,90,95,higher\n" * 1
    )
    with pytest.raises(InputFileError) as exc:
        load_kpis(path)
    assert exc.value.problems == [
        "kpi row data.csv, row 3, column month: a second row for the same month, provider and KPI (first on row 2); "
        "expected one row per month, provider and KPI",
        "kpi row data.csv, row 4, column month: '2026-13' is not a month; expected a month as YYYY-MM, e.g. 2026-03",
        "kpi row data.csv, row 5, column actual: is empty; expected a number (the value achieved)",
        "kpi row data.csv, row 5, column direction: 'sideways' is neither higher nor lower; expected higher or lower "
        "(which is better)",
    ]


def test_a_file_that_is_not_the_table_is_refused_without_showing_its_content(tmp_path):
    path = tmp_path / "inventory.csv"
    path.write_text("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n")
    with pytest.raises(InputFileError) as exc:
        load_inventory(path)
    assert exc.value.render() == (
        "inventory.csv: none of the required columns (process_id, process_name, function, fte, annual_cost, "
        "customer_facing, strategic_importance, standardization, measurability, data_sensitivity, "
        "knowledge_intensity) is in it; expected the process table with a header row naming its columns"
    )


def test_a_missing_column_under_a_title_row_is_named(tmp_path):
    path = tmp_path / "inv.csv"
    header = [h for h in HEADER if h != "fte"]
    body = text_table([[v for h, v in zip(HEADER, row(), strict=True) if h != "fte"]], header=header)
    path.write_text("Acme process inventory\n\n" + body)
    assert refused(path) == ["inv.csv, row 3, column fte: required column is missing; expected a number >= 0"]


def test_excel_sep_line_with_a_tab(tmp_path):
    path = tmp_path / "inv.txt"
    path.write_bytes(("sep=\t\n" + text_table([row()], sep="\t")).encode("utf-16"))
    assert load_inventory(path).processes["row"].tolist() == [3]
