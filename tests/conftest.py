"""Shared fixtures: small valid inventories and client folders built in a temporary folder."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from bpo_kit.config import DEMO_CLIENT_DIR

HEADER = [
    "process_id",
    "process_name",
    "function",
    "fte",
    "annual_cost",
    "customer_facing",
    "strategic_importance",
    "standardization",
    "measurability",
    "data_sensitivity",
    "knowledge_intensity",
]
GOOD_ROW = ["P-1", "Payroll run", "HR", "4", "280000", "no", "2", "5", "5", "4", "2"]


def write_csv(
    path: Path, rows: list[list], header: list[str] = HEADER, delimiter: str = ",", bom: bool = False
) -> Path:
    with open(path, "w", newline="", encoding="utf-8-sig" if bom else "utf-8") as fh:
        w = csv.writer(fh, delimiter=delimiter, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    return path


def write_xlsx(
    path: Path,
    rows: list[list],
    header: list[str] = HEADER,
    sheet: str = "inventory",
    other_sheets: tuple[str, ...] = (),
) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header)
    for r in rows:
        ws.append(r)
    for name in other_sheets:
        wb.create_sheet(name).append(["notes"])
    wb.save(path)
    return path


def make_client(
    folder: Path,
    inventory_rows: list[list] | None = None,
    header: list[str] = HEADER,
    extra_yaml: str = "",
    fmt: str = "csv",
    name: str = "Test Client Ltd",
) -> Path:
    """A client folder with a client.yaml and an inventory (the demo's inventory when no rows are given)."""
    folder.mkdir(parents=True, exist_ok=True)
    if inventory_rows is None:
        shutil.copy(DEMO_CLIENT_DIR / "inventory.csv", folder / "inventory.csv")
        inv = "inventory.csv"
    elif fmt == "xlsx":
        write_xlsx(folder / "inventory.xlsx", inventory_rows, header)
        inv = "inventory.xlsx"
    else:
        write_csv(folder / "inventory.csv", inventory_rows, header)
        inv = "inventory.csv"
    (folder / "client.yaml").write_text(
        f"name: {name!r}\nhome_country: US\ncurrency: USD\n"
        "business_hours:\n  start: '09:00'\n  end: '17:00'\n  timezone: America/New_York\n"
        f"inventory: {inv}\n{extra_yaml}",
        encoding="utf-8",
    )
    return folder


@pytest.fixture
def good_row() -> list:
    return list(GOOD_ROW)


SCRIPT_NAME = "<script>alert(1)</script>"
FORMULA_TEXT = '=HYPERLINK("http://example.invalid","click")'


def hostile_demo(folder: Path) -> Path:
    """The demo client, renamed with markup in its name, plus a process whose name is a script tag and
    whose owner is an Excel formula: everything a report must show as text."""
    shutil.copytree(DEMO_CLIENT_DIR, folder)
    cfg = folder / "client.yaml"
    cfg.write_text(cfg.read_text().replace("name: Harbor & Pine Outfitters", "name: 'Acme <b>Corp</b>'"))
    with open(folder / "inventory.csv", "a", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow(
            [
                "ZZ-99",
                SCRIPT_NAME,
                "Other",
                3,
                180000,
                "no",
                1,
                5,
                5,
                2,
                1,
                1,
                "10%",
                "en",
                "business_hours",
                "",
                FORMULA_TEXT,
                "13.6",
            ]
        )
    return folder


@pytest.fixture(scope="session")
def report_run(tmp_path_factory):
    """One full ``bpo-kit run --pdf`` of the hostile demo client, shared by the end-to-end tests."""
    from bpo_kit.cli import main

    base = tmp_path_factory.mktemp("e2e")
    client = hostile_demo(base / "input" / "acme")
    before = {p.relative_to(client).as_posix(): p.read_bytes() for p in sorted(client.rglob("*")) if p.is_file()}
    out = base / "reports"
    assert main(["run", str(client), "--out", str(out), "--quiet", "--pdf"]) == 0
    after = {p.relative_to(client).as_posix(): p.read_bytes() for p in sorted(client.rglob("*")) if p.is_file()}
    assert after == before, "a run must never write into the client folder"
    return out / "acme", client
