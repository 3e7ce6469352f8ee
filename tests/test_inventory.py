import pandas as pd
import pytest
from helpers import GOOD_ROW, HEADER, write_csv, write_xlsx

from bpo_kit import inventory
from bpo_kit.errors import InputFileError
from bpo_kit.inventory import load_inventory


def row(**changes):
    r = dict(zip(HEADER, GOOD_ROW, strict=False))
    r.update(changes)
    return [r[h] for h in HEADER]


def file_error(path):
    with pytest.raises(InputFileError) as exc:
        load_inventory(path)
    return exc.value.problems


# --- formats -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter,bom", [(",", False), (",", True), (";", False), (";", True)])
def test_csv_delimiters_and_bom(tmp_path, delimiter, bom):
    path = write_csv(tmp_path / "inv.csv", [row()], delimiter=delimiter, bom=bom)
    inv = load_inventory(path)
    assert inv.processes.loc[0, "process_id"] == "P-1"
    assert inv.processes.loc[0, "function"] == "human_resources"
    assert inv.processes.loc[0, "annual_cost"] == 280000.0


def test_xlsx_inventory_sheet_or_only_sheet(tmp_path):
    numeric = row()
    numeric[3:5] = [4, 280000]
    a = write_xlsx(tmp_path / "a.xlsx", [numeric], sheet="Inventory", other_sheets=("notes",))
    b = write_xlsx(tmp_path / "b.xlsx", [numeric], sheet="Sheet1")
    for path in (a, b):
        inv = load_inventory(path)
        assert len(inv.processes) == 1 and inv.processes.loc[0, "fte"] == 4.0


def test_xlsx_with_several_sheets_and_no_inventory_sheet(tmp_path):
    # the one sheet holding the required columns is the inventory
    path = write_xlsx(tmp_path / "c.xlsx", [row()], sheet="Data", other_sheets=("notes",))
    assert load_inventory(path).processes["process_id"].tolist() == ["P-1"]
    # no sheet holds them: every sheet is named
    path = write_xlsx(tmp_path / "d.xlsx", [row()], header=["id", "what"], sheet="Data", other_sheets=("notes",))
    (p,) = file_error(path)
    assert p == (
        "d.xlsx: has several sheets ('Data', 'notes') and none is called 'inventory' or holds the columns "
        "process_id, process_name, function, fte, annual_cost, customer_facing, strategic_importance, "
        "standardization, measurability, data_sensitivity, knowledge_intensity; "
        "expected the processes on a sheet named 'inventory'"
    )


def test_header_case_and_spaces_are_ignored(tmp_path):
    header = [f"  {h.upper().replace('_', ' ')} " for h in HEADER]
    inv = load_inventory(write_csv(tmp_path / "inv.csv", [row()], header=header))
    assert list(inv.processes.columns[:4]) == ["row", "process_id", "process_name", "function"]


def test_european_numbers_with_semicolon(tmp_path):
    inv = load_inventory(write_csv(tmp_path / "inv.csv", [row(fte="2,5", annual_cost="120.000")], delimiter=";"))
    assert inv.processes.loc[0, "fte"] == 2.5
    assert inv.processes.loc[0, "annual_cost"] == 120000.0


def test_thousands_separators_and_currency_symbols(tmp_path):
    inv = load_inventory(
        write_csv(tmp_path / "inv.csv", [row(annual_cost="$1,234,567"), row(process_id="P-2", annual_cost="1 000")])
    )
    assert inv.processes["annual_cost"].tolist() == [1234567.0, 1000.0]


# --- unusable files ------------------------------------------------------------------------------------


def test_empty_file(tmp_path):
    (tmp_path / "inv.csv").write_text("")
    (p,) = file_error(tmp_path / "inv.csv")
    assert p.startswith("inv.csv: is empty; expected a header row")


def test_header_only(tmp_path):
    (p,) = file_error(write_csv(tmp_path / "inv.csv", []))
    assert p == "inv.csv: has a header but no process rows; expected one row per process"


def test_not_a_spreadsheet(tmp_path):
    (tmp_path / "inv.xlsx").write_text("this is not a workbook")
    (p,) = file_error(tmp_path / "inv.xlsx")
    assert p.startswith("inv.xlsx: is not a readable Excel workbook")
    (tmp_path / "inv.csv").write_bytes(b"%PDF-1.4\x00\x01\x02")
    (p,) = file_error(tmp_path / "inv.csv")
    assert p == (
        "inv.csv: is not a text file (it holds binary data); expected a CSV saved as text or an .xlsx workbook"
    )


def test_not_utf8_is_read_as_windows_1252_and_says_so(tmp_path):
    body = ",".join(HEADER) + "\n" + ",".join(["P-1", "Caf\xe9 cr\xe8me"] + GOOD_ROW[2:]) + "\n"
    (tmp_path / "inv.csv").write_bytes(body.encode("cp1252"))
    inv = load_inventory(tmp_path / "inv.csv")
    assert inv.processes.loc[0, "process_name"] == "Caf\xe9 cr\xe8me"
    assert inv.notes == [
        "inv.csv: not UTF-8, read as Windows-1252 (Excel's plain CSV); check accented names, "
        "or save it as 'CSV UTF-8' to be sure"
    ]


def test_old_xls_and_unknown_suffix(tmp_path):
    (tmp_path / "inv.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    assert file_error(tmp_path / "inv.xls")[0] == (
        "inv.xls: is not a readable Excel 97-2003 workbook (CalamineError); expected an .xlsx: "
        "open it in Excel and Save As > Excel Workbook (.xlsx)"
    )
    (tmp_path / "inv.pdf").write_bytes(b"%PDF")
    assert file_error(tmp_path / "inv.pdf")[0] == (
        "inv.pdf: unsupported file type '.pdf'; expected .xlsx, .xls, .csv, .tsv or .txt"
    )
    (tmp_path / "inv.ods").write_bytes(b"PK")
    assert file_error(tmp_path / "inv.ods")[0] == (
        "inv.ods: the kit does not read .ods files; open it in LibreOffice Calc or Excel and save it as "
        "Excel Workbook (.xlsx)"
    )


def test_missing_required_columns_are_all_listed_with_a_hint(tmp_path):
    header = [h if h != "fte" else "ftes" for h in HEADER if h != "function"]
    r = [v for h, v in zip(HEADER, GOOD_ROW, strict=False) if h != "function"]
    problems = file_error(write_csv(tmp_path / "inv.csv", [r], header=header))
    assert problems == [
        "inv.csv, row 1, column function: required column is missing; expected one of finance_accounting, "
        "human_resources, it_services, customer_service, sales, marketing, procurement, legal, research_analytics, "
        "operations, other (or a usual label such as 'Finance & Accounting', 'HR', 'IT')",
        "inv.csv, row 1, column fte: required column is missing (is 'ftes' meant to be 'fte'?); expected a number >= 0",
    ]


def test_duplicate_header(tmp_path):
    (p,) = file_error(write_csv(tmp_path / "inv.csv", [row() + ["x"]], header=HEADER + ["FTE"]))
    assert p.startswith("inv.csv, row 1: the column(s) fte appear more than once")


# --- row problems: every one reported, every row accounted for ------------------------------------------


def test_every_problem_is_listed_with_spreadsheet_row_and_column(tmp_path):
    rows = [
        row(),
        row(
            process_id="P-2",
            function="Fiance",
            fte="-1",
            annual_cost="abc",
            customer_facing="maybe",
            strategic_importance="6",
            standardization="3.5",
            measurability="",
        ),
    ]
    inv = load_inventory(write_csv(tmp_path / "inv.csv", rows))
    assert inv.problems == [
        "inv.csv, row 3, column function: 'Fiance' is not a known function; expected one of finance_accounting, "
        "human_resources, it_services, customer_service, sales, marketing, procurement, legal, research_analytics, "
        "operations, other (or a usual label such as 'Finance & Accounting', 'HR', 'IT')",
        "inv.csv, row 3, column fte: -1 is negative; expected a number >= 0",
        "inv.csv, row 3, column annual_cost: 'abc' is not a number; expected a number >= 0",
        "inv.csv, row 3, column customer_facing: 'maybe' is not yes or no; expected yes/no, true/false or 1/0 "
        "(ja/nein, oui/non, sí/no, sim/não, tak/nie... too)",
        "inv.csv, row 3, column strategic_importance: '6' is outside 1 to 5; expected a whole number from 1 to 5",
        "inv.csv, row 3, column standardization: '3.5' is not a whole number; expected a whole number from 1 to 5",
        "inv.csv, row 3, column measurability: is empty; expected a whole number from 1 to 5",
    ]
    assert inv.processes["process_id"].tolist() == ["P-1"]
    assert inv.rejected_rows["row"].tolist() == [3]


def test_duplicate_ids_keep_the_first_and_name_its_row(tmp_path):
    inv = load_inventory(write_csv(tmp_path / "inv.csv", [row(), row(process_name="Again")]))
    assert inv.problems == [
        "inv.csv, row 3, column process_id: 'P-1' duplicates the process on row 2; "
        "expected a text identifier, unique in the file"
    ]
    assert inv.processes["process_name"].tolist() == ["Payroll run"]


def test_blank_rows_are_ignored_but_row_numbers_stay_true(tmp_path):
    path = write_csv(tmp_path / "inv.csv", [row(), [""] * len(HEADER), row(process_id="P-2", fte="x")])
    inv = load_inventory(path)
    assert inv.blank_rows == 1
    assert inv.problems[0].startswith("inv.csv, row 4, column fte: 'x' is not a number")


def test_no_row_is_lost(tmp_path):
    rows = [row(process_id=f"P-{i}", fte=str(i - 3)) for i in range(8)]
    inv = load_inventory(write_csv(tmp_path / "inv.csv", rows))
    assert len(inv.processes) + inv.rejected["row"].nunique() == 8
    assert sorted(inv.processes["row"].tolist() + inv.rejected["row"].unique().tolist()) == list(range(2, 10))


def test_optional_columns_defaults_are_reported(tmp_path):
    header = HEADER + ["automation_potential", "languages", "coverage", "volume", "Cost Centre"]
    rows = [row() + ["35%", "English; es", "24/7", "1200", "CC-1"], row(process_id="P-2") + ["", "", "", "", "CC-2"]]
    inv = load_inventory(write_csv(tmp_path / "inv.csv", rows, header=header), language="de")
    p = inv.processes
    assert p["automation_potential"].tolist() == [0.35, 0.0]
    assert p["languages"].tolist() == ["en;es", "de"]
    assert p["coverage"].tolist() == ["24x7", "business_hours"]
    assert p["interdependence"].tolist() == [3, 3]
    assert p["cost_centre"].tolist() == ["CC-1", "CC-2"]
    assert inv.summary()["defaults_applied"] == {
        "interdependence": 2,
        "automation_potential": 1,
        "languages": 1,
        "coverage": 1,
        "onsite_share": 2,
    }
    assert p["onsite_share"].tolist() == [0.0, 0.0] and p["tower"].tolist() == ["", ""]
    assert pd.isna(p.loc[1, "volume"])


def test_automation_potential_above_one_is_refused_with_a_suggestion(tmp_path):
    header = HEADER + ["automation_potential"]
    inv = load_inventory(write_csv(tmp_path / "inv.csv", [row() + ["35"]], header=header))
    assert inv.problems == [
        "inv.csv, row 2, column automation_potential: '35' is above 1 (write 0.35 or '35%'); "
        "expected a share from 0 to 1 or a percentage such as '35%'"
    ]


def test_a_client_column_named_like_a_result_is_kept_under_another_name(tmp_path):
    inv = load_inventory(write_csv(tmp_path / "inv.csv", [row() + ["keep"]], header=HEADER + ["recommendation"]))
    assert inv.processes.loc[0, "input_recommendation"] == "keep"


# --- profile -------------------------------------------------------------------------------------------


def test_profile_of_demo():
    from bpo_kit.client import load_client

    inv = inventory.load_client_inventory(load_client("demo"))
    by_fn = inventory.by_function(inv.processes)
    assert by_fn["annual_cost"].sum() == inv.processes["annual_cost"].sum() == 37_670_000
    assert by_fn.iloc[0]["function"] == "it_services"
    assert by_fn.iloc[0]["annual_cost"] == 9_574_000
    assert inventory.judgement_counts(inv.processes)["processes"].sum() == 62 * 6
    conc = inventory.cost_concentration(inv.processes)
    assert conc["cumulative_share"].iloc[-1] == pytest.approx(1.0)
    assert 1 <= inventory.processes_for_share(conc, 0.8) < 62


# --- template ------------------------------------------------------------------------------------------


def test_template_round_trips_and_has_validation(tmp_path):
    from openpyxl import load_workbook

    path = inventory.write_template(tmp_path / "t.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["inventory", "columns"]
    header = [c.value for c in wb["inventory"][1]]
    assert header == [c.name for c in inventory.COLUMNS]
    formulas = [dv.formula1 for dv in wb["inventory"].data_validations.dataValidation]
    assert '"' + ",".join(inventory.FUNCTIONS) + '"' in formulas
    assert '"business_hours,extended,24x7"' in formulas
    kinds = {(dv.type, dv.formula1, dv.formula2) for dv in wb["inventory"].data_validations.dataValidation}
    assert ("whole", "1", "5") in kinds
    with pytest.raises(InputFileError):
        inventory.write_template(path)
    ws = wb["inventory"]
    ws.append(row(fte=3, annual_cost=100000) + [3, 0.2, "en", "extended", 10])
    wb.save(path)
    inv = load_inventory(path)
    assert inv.problems == [] and inv.processes.loc[0, "coverage"] == "extended"
