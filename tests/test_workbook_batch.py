import json

import pytest
from helpers import FORMULA_TEXT, SCRIPT_NAME, make_client, replace_in
from openpyxl import load_workbook

from bpo_kit.cli import main
from bpo_kit.report.batch import discover

# end-to-end: runs real reports (kernels, exports); excluded from `make test-fast`
pytestmark = pytest.mark.e2e


def test_workbook_sheets_formats_and_formula_safety(report_run):
    folder, _ = report_run
    wb = load_workbook(folder / "assessment.xlsx")
    assert wb.sheetnames == [
        "cover",
        "model",
        "assumptions",
        "model_lines",
        "processes",
        "towers",
        "locations",
        "location_index",
        "business_case",
        "cash_by_year",
        "automation",
        "monte_carlo",
        "providers",
        "risks",
        "kpis",
        "service_credits",
        "sources",
    ]
    towers = [c.value for c in wb["towers"][1]]
    assert towers == [
        "tower",
        "location",
        "operating_model",
        "provider",
        "price_source",
        "processes",
        "fte",
        "provider_cost_per_year",
        "net_savings",
        "npv",
        "wave",
    ]
    index = list(wb["location_index"].iter_rows(values_only=True))
    # the identifiers: other tools read these sheets by column name
    assert index[0][:6] == ("country", "cost", "talent", "business_environment", "digital", "attractiveness")
    from bpo_kit.locations import load_locations

    countries = [r[0] for r in index[1:]]  # one Excel table, nothing under it
    assert sorted(countries) == sorted(load_locations().index)  # every reference country
    ws = wb["processes"]
    header = [c.value for c in ws[1]]
    assert ws.freeze_panes == "D2"  # row, ID and process name stay in view
    for column in (
        "Process owner",
        "APQC PCF",
        "BPO type",
        "Outsourceability (0-100)",
        "Recommendation",
        "Why",
        "Recommended location",
        "Tier",
        "Net savings (USD)",
        "Tower",
    ):
        assert column in header
    rows = {r[header.index("ID")].value: r for r in ws.iter_rows(min_row=2, values_only=False)}
    hostile = rows["ZZ-99"]
    owner = hostile[header.index("Process owner")]
    assert owner.value == FORMULA_TEXT and owner.data_type == "s" and owner.quotePrefix
    assert hostile[header.index("Process")].value == SCRIPT_NAME
    cost = rows["FA-01"][header.index("Annual cost (USD)")]
    assert cost.value == 952000 and cost.number_format == "#,##0"
    assert ws.column_dimensions["C"].width >= 20
    assumptions = wb["sources"]
    sections = {r[0] for r in assumptions.iter_rows(min_row=2, values_only=True)}
    assert {
        "client.yaml",
        "classification",
        "business case",
        "reference: labour_costs.csv",
        "reference: hidden_costs.csv",
    } <= sections
    years = [r[7] for r in assumptions.iter_rows(min_row=2, values_only=True) if str(r[0]).startswith("reference")]
    assert all(years)


def test_batch_isolates_a_broken_client_and_skips_unchanged_ones(tmp_path, capsys):
    clients = tmp_path / "clients"
    make_client(clients / "good", None)
    make_client(clients / "broken", None, currency="XYZ")
    (clients / "notes").mkdir()
    out = tmp_path / "reports"
    assert main(["run", str(clients), "--out", str(out), "--jobs", "2", "--quiet"]) == 1
    summary = json.loads((out / "batch-summary.json").read_text())
    by = {r["client"]: r for r in summary["runs"]}
    assert by["good"]["status"] == "ok" and by["broken"]["status"] == "failed"
    assert "key 'currency': 'XYZ' is not an ISO 4217 currency code" in by["broken"]["error"]
    assert (out / "good" / "index.html").exists() and not (out / "broken").exists()
    assert not list(out.glob(".*partial*"))
    index = (out / "index.html").read_text()
    assert 'href="good/index.html"' in index and "failed" in index
    assert not (out / "good" / "batch-summary.json").exists()
    err = capsys.readouterr()
    assert "broken: failed" in err.err and "broken  failed" in err.out
    # a rerun skips the unchanged good client, reruns nothing else, and still reports the broken one
    assert main(["run", str(clients / "good"), "--out", str(out), "--quiet"]) == 0
    assert json.loads((out / "batch-summary.json").read_text())["runs"][0]["status"] == "skipped"
    replace_in(clients / "good" / "inventory.csv", "FA-01,Accounts payable", "FA-01,Payables")
    assert main(["run", str(clients / "good"), "--out", str(out), "--quiet"]) == 0
    assert json.loads((out / "batch-summary.json").read_text())["runs"][0]["status"] == "ok"


def test_discover_names_what_it_cannot_use(tmp_path):
    make_client(tmp_path / "a" / "x", [])
    make_client(tmp_path / "b" / "x", [])
    (tmp_path / "empty").mkdir()
    found, failed = discover([tmp_path / "a", tmp_path / "b", tmp_path / "empty", tmp_path / "missing"])
    assert [f.name for f in found] == ["x"]
    reasons = sorted(r.error.split(": ", 1)[1] for r in failed)
    assert reasons == [
        "another client in this batch has the folder name 'x'; reports are named by folder, so rename one",
        "no client.yaml in it or in its subfolders",
        "no such folder",
    ]
