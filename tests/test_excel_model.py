"""The workbook's model recalculated by a spreadsheet program (LibreOffice, headless) gives the kit's base case,
and moves as the kit does when a finance team changes an assumption cell."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook

from bpo_kit import business_case as bc
from bpo_kit.assessment import assess
from bpo_kit.config import DEMO_CLIENT_DIR
from bpo_kit.report.excel_model import horizon, is_name
from bpo_kit.report.workbook import write_workbook

REL = 1e-6


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    a = assess(DEMO_CLIENT_DIR)
    return a, write_workbook(a, tmp_path_factory.mktemp("xlmodel") / "assessment.xlsx")


def named(wb, name: str):
    """The cell a defined name points at."""
    ((sheet, ref),) = wb.defined_names[name].destinations
    return wb[sheet][ref.replace("$", "")]


def test_inputs_are_named_cells_holding_the_kit_assumptions(demo):
    a, path = demo
    wb = load_workbook(path)
    values = a.values()
    for name in ("discount_rate", "contract_years", "transition_months", "governance", "leakage", "severance_weeks"):
        assert named(wb, name).value == pytest.approx(values[name])
    assert named(wb, "wage_inflation").coordinate == named(wb, "provider_wage_inflation").coordinate
    # every assumption with a valid name is an input cell, on the assumptions sheet
    names = [n for n in a.assumptions["name"] if is_name(n)]
    assert len(names) >= 30 and all(named(wb, n).parent.title == "assumptions" for n in names)
    assert {named(wb, n).parent.title for n in ("plan_npv", "plan_net_savings")} == {"model"}
    # the contract can be set within the years the model lays out, and no further
    (rule,) = wb["assumptions"].data_validations.dataValidation
    assert str(rule.sqref) == named(wb, "contract_years").coordinate and rule.formula2 == str(horizon(a))


def test_every_flow_of_the_model_is_a_formula(demo):
    a, path = demo
    wb = load_workbook(path)
    model, lines = wb["model"], wb["model_lines"]
    moves = len(a.recommended_pairs())
    assert lines.max_row == 1 + moves * horizon(a)
    header = [c.value for c in lines[1]]
    first_formula = header.index("Transition (months)")
    for row in lines.iter_rows(min_row=2, max_row=lines.max_row):
        assert all(c.data_type == "f" for c in row[first_formula:])
        assert all(c.data_type != "f" for c in row[:first_formula])
    body = list(model.iter_rows(min_row=11, max_row=10 + horizon(a), min_col=2))
    assert all(c.data_type == "f" for row in body for c in row)
    assert named(wb, "plan_npv").value.startswith("=SUM(")


def recalculated(paths: list[Path], out: Path) -> dict[str, dict[str, float]]:
    """``plan_npv`` and ``plan_net_savings`` of each workbook after LibreOffice has recalculated it."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed; `make test` installs libreoffice-calc")
    profile = out / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "xlsx"]
        + ["--outdir", str(out / "calc"), *map(str, paths)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    result = {}
    for p in paths:
        wb = load_workbook(out / "calc" / p.name, data_only=True)
        result[p.stem] = {n: named(wb, n).value for n in ("plan_npv", "plan_net_savings", "plan_one_time_costs")}
        result[p.stem]["cover_npv"] = next(
            r[1].value for r in wb["cover"].iter_rows() if str(r[0].value).startswith("Net present value, live")
        )
    return result


CHANGES = {
    "discount": {"discount_rate": 0.12},
    "drivers": {
        "contract_years": 7,
        "transition_months": 9.0,
        "governance": 0.08,
        "leakage": 0.10,
        "severance_weeks": 6.0,
        "parallel_running_share": 0.75,
        "knowledge_transfer_share": 0.25,
        "ramp_shape": 1.0,
        "wage_inflation": 0.07,
        "change_orders": 0.05,
        "stranded_costs": 0.2,
        "mid_year_discounting": 1.0,
    },
}


@pytest.fixture(scope="module")
def recalc(demo, tmp_path_factory):
    _, path = demo
    out = tmp_path_factory.mktemp("recalc")
    paths = [out / "base.xlsx"]
    shutil.copy(path, paths[0])
    for stem, change in CHANGES.items():
        wb = load_workbook(path)
        for name, value in change.items():
            named(wb, name).value = value
        wb.save(out / f"{stem}.xlsx")
        paths.append(out / f"{stem}.xlsx")
    return recalculated(paths, out)


def kit(a, change: dict) -> tuple[float, float, float]:
    """The kit's own NPV, net savings and one-time costs of the plan with ``change`` to the base assumptions."""
    values = {
        **a.values(),
        **{("provider_wage_inflation" if k == "wage_inflation" else k): v for k, v in change.items()},
    }
    f = bc.plan_flows(*a._moves(), values)
    npv = float(bc.npv(f["net"], values["discount_rate"], bool(values["mid_year_discounting"])))
    return npv, float(f["net"].sum()), float(sum(f[k] for k in bc.ONE_TIME).sum())


@pytest.mark.e2e
def test_recalculated_model_gives_the_kits_base_case(demo, recalc):
    a, _ = demo
    base, head = a.plan_base(), a.headline()
    got = recalc["base"]
    assert got["plan_npv"] == pytest.approx(base["npv"], rel=REL) == head["npv"]["base"]
    assert got["plan_net_savings"] == pytest.approx(base["net"], rel=REL) == head["net_savings"]["base"]
    assert got["plan_one_time_costs"] == pytest.approx(base["one_time"], rel=REL)
    assert got["cover_npv"] == pytest.approx(base["npv"], rel=REL)


@pytest.mark.e2e
def test_a_higher_discount_rate_lowers_the_npv_as_the_kit_computes_it(demo, recalc):
    a, _ = demo
    base, got = recalc["base"], recalc["discount"]
    assert got["plan_npv"] < base["plan_npv"]
    net = a.plan_flows()["net"]
    by_hand = sum(x / 1.12**y for y, x in enumerate(net, start=1))
    assert got["plan_npv"] == pytest.approx(by_hand, rel=REL)
    assert got["plan_net_savings"] == pytest.approx(base["plan_net_savings"], rel=REL)  # cash is not discounted


@pytest.mark.e2e
def test_changed_drivers_give_the_kits_figures_at_those_assumptions(demo, recalc):
    a, _ = demo
    npv, net, one_time = kit(a, CHANGES["drivers"])
    got = recalc["drivers"]
    assert got["plan_npv"] == pytest.approx(npv, rel=REL)
    assert got["plan_net_savings"] == pytest.approx(net, rel=REL)
    assert got["plan_one_time_costs"] == pytest.approx(one_time, rel=REL)
    assert not np.isclose(got["plan_npv"], recalc["base"]["plan_npv"], rtol=1e-3)


@pytest.mark.e2e
def test_a_client_with_a_severance_cap_and_every_hidden_cost_gives_the_kits_base_case(tmp_path):
    """A UK client (statutory weeks paid at no more than the weekly cap) whose every hidden-cost driver the demo
    leaves at nothing is set: the model takes every branch of the kit's cash flows."""
    folder = tmp_path / "uk"
    shutil.copytree(DEMO_CLIENT_DIR, folder)
    text = (folder / "client.yaml").read_text(encoding="utf-8")
    text = text.replace("home_country: US", "home_country: GB").replace("contract_years: 5", "contract_years: 4")
    overrides = {
        "captive_setup_per_seat": 4000,
        "residual_inhouse_work": 0.05,
        "baseline_error": 0.05,
        "stranded_costs": 0.1,
        "change_orders": 0.03,
        "ramp_shape": 0.5,
        "transition_months": 14,
    }
    text += "assumptions:\n" + "".join(f"  {k}: {{value: {v}}}\n" for k, v in overrides.items())
    (folder / "client.yaml").write_text(text, encoding="utf-8")
    a = assess(folder)
    values = a.values()
    assert values["severance_weekly_cap"] > 0 and values["severance_capped_weeks"] > 0
    path = write_workbook(a, tmp_path / "uk.xlsx")
    got = recalculated([path], tmp_path)["uk"]
    base = a.plan_base()
    flows = a.plan_flows()
    assert values["contract_years"] == 4
    assert all(flows[k].sum() > 0 for k in ("captive_setup", "severance", "stranded_costs", "change_orders"))
    assert got["plan_npv"] == pytest.approx(base["npv"], rel=REL)
    assert got["plan_net_savings"] == pytest.approx(base["net"], rel=REL)
    assert got["plan_one_time_costs"] == pytest.approx(base["one_time"], rel=REL)
