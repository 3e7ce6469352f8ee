"""The workbook writes client text as text (never a formula, never a control character) and numbers in the
format of their kind, the rule the report pages use."""

from __future__ import annotations

import csv
import shutil

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from bpo_kit import style
from bpo_kit.config import DEMO_CLIENT_DIR
from bpo_kit.report.workbook import _write_sheet, header_text, sheet_title, write_workbook

HOSTILE = ["=sum(1,2)", "+1+1", "-2+3", "@SUM(A1)", "Pay\x0broll\x07 run", '=HYPERLINK("http://x.invalid","click")']


def written(tmp_path, frames: dict[str, pd.DataFrame]):
    wb = Workbook()
    wb.remove(wb.active)
    for name, df in frames.items():
        _write_sheet(wb, name, df, note="=note")
    wb.save(tmp_path / "t.xlsx")
    return load_workbook(tmp_path / "t.xlsx")


def test_client_text_is_never_a_formula_nor_a_control_character(tmp_path):
    df = pd.DataFrame({h: [v] for h, v in zip(HOSTILE, reversed(HOSTILE), strict=True)})
    ws = written(tmp_path, {"processes": df})["processes"]
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert cells and all(c.data_type == "s" for c in cells)
    assert [c.value for c in ws[1]] == [style.plain_text(h) for h in HOSTILE]
    assert [c.value for c in ws[2]] == [style.plain_text(v) for v in reversed(HOSTILE)]
    starts = [c for c in cells if c.value.startswith(("=", "+", "-", "@"))]
    assert len(starts) == 10 and all(c.quotePrefix for c in starts)
    assert "Pay roll run" in [c.value for c in ws[1]]
    # the note goes to the cover's list of sheets, never under the table
    assert ws.max_row == 2
    (table,) = ws.tables.values()
    assert table.ref == "A1:F2"


def test_sheet_names_are_valid_and_unique():
    taken: list[str] = []
    for name in ["=evil[1]:*?/\\", "a" * 40, "a" * 40, "'quoted'", "tab\x0bname", ""]:
        taken.append(sheet_title(name, taken))
    assert taken == ["evil 1", "a" * 31, "a" * 27 + " (2)", "quoted", "tab name", "sheet"]


def test_a_formula_like_sheet_name_is_stored_as_a_name(tmp_path):
    wb = written(tmp_path, {"=cmd|' /C calc'!A0": pd.DataFrame({"x": [1]})})
    assert wb.sheetnames == ["cmd|'  C calc'!A0"]


def test_numbers_take_the_format_of_their_kind(tmp_path):
    df = pd.DataFrame(
        {
            "annual_cost": [952000.0],
            "cost_share": [0.29],
            "fte": [14.0],
            "year": [2024],
            "fx_rate": [1.08],
            "payback_month": [8.0],
            "fit_score": [0.97],
            "overlap_jan": [9.0],
            "qualified": [True],
        }
    )
    ws = written(tmp_path, {"t": df})["t"]
    headers = [ws.cell(1, j).value for j in range(1, len(df.columns) + 1)]
    assert headers == [header_text(c, df[c]) for c in df.columns]
    assert headers[:3] == ["Annual cost", "Share of cost (%)", "FTE"]
    formats = dict(zip(df.columns, (ws.cell(2, j).number_format for j in range(1, 10)), strict=True))
    expected = {c: style.column_format(c, df[c]).excel for c in df.columns if c != "qualified"}
    assert {c: f for c, f in formats.items() if c != "qualified"} == expected
    assert formats["annual_cost"] == "#,##0" and formats["cost_share"] == "0.0%" and formats["year"] == "0"
    assert ws.cell(2, 9).value is True


def test_money_headers_carry_the_currency():
    assert header_text("net_savings", pd.Series([1.0]), "EUR") == "Net savings (EUR)"
    assert header_text("payback_month", pd.Series([8.0]), "EUR") == "Payback (months)"


@pytest.fixture(scope="module")
def hostile_workbook(tmp_path_factory):
    """The demo client with a formula as a column header and a PowerPoint line break in a process name."""
    from bpo_kit.assessment import assess

    folder = tmp_path_factory.mktemp("wb") / "hostile"
    shutil.copytree(DEMO_CLIENT_DIR, folder)
    path = folder / "inventory.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    rows[0].append("=sum(1,2)")
    for r in rows[1:]:
        r.append("-1+1")
    rows[1][1] = "Pay\x0broll\x07 run"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    out = write_workbook(assess(folder), folder.parent / "assessment.xlsx")
    return load_workbook(out), rows[1][0]


def test_a_client_file_with_a_control_character_and_a_formula_header_makes_a_safe_workbook(hostile_workbook):
    wb, first_id = hostile_workbook
    ws = wb["processes"]
    header = [c.value for c in ws[1]]
    formula = ws.cell(1, header.index("=sum(1,2)") + 1)
    assert formula.data_type == "s" and formula.quotePrefix
    ids = header.index("ID")
    names = header.index("Process")
    row = next(r for r in ws.iter_rows(min_row=2) if r[ids].value == first_id)
    assert row[names].value == "Pay roll run"
    # formulas live in the model (and the cover's one link to it) only, and hold no client text
    formulas = [c for s in wb for r in s.iter_rows() for c in r if c.data_type == "f"]
    assert {c.parent.title for c in formulas} == {"cover", "model", "model_lines"}
    assert not [c for c in formulas if "-1+1" in c.value or "sum(1,2)" in c.value or first_id in c.value]
    lines = wb["model_lines"]
    assert all(c.data_type == "s" for c in lines["A"][1:]) and first_id in [c.value for c in lines["A"]]


def test_every_sheet_is_one_table_with_print_settings_and_frozen_ids(hostile_workbook):
    wb, _ = hostile_workbook
    assert wb.sheetnames[:4] == ["cover", "model", "assumptions", "model_lines"] and wb.sheetnames[-1] == "sources"
    for ws in wb:
        assert len(ws.tables) == 1, ws.title
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
    # the row number, ID and name of a process stay in view
    assert wb["processes"].freeze_panes == "D2" and wb["processes"].print_title_rows == "$1:$1"
    assert wb["model"].print_title_rows == "$10:$10"
    cover = [c.value for r in wb["cover"].iter_rows() for c in r if c.value is not None]
    # every sheet is listed on the cover with what it holds
    for title in wb.sheetnames[1:]:
        assert title in cover
    assert "Net present value (USD)" in cover and "=plan_npv" in cover
    # display names with units: the cost lines are money in the client's currency, shares say so
    case = [c.value for c in wb["business_case"][1]]
    assert {"ID", "Governance (USD)", "Contract value (USD)", "Savings leakage (USD)", "NPV (USD)"} <= set(case)
    assert wb["business_case"].cell(2, case.index("Governance (USD)") + 1).number_format == "#,##0"
    index = [c.value for c in wb["location_index"][1]]
    # sheets other tools read by column name (issues 12 and 14) keep their identifiers, still formatted by kind
    assert index[:2] == ["country", "cost"] and wb["location_index"]["B2"].number_format == "0"
    assert [c.value for c in wb["towers"][1]][:2] == ["tower", "location"]
