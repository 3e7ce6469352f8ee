"""What the tests build their inputs with: small valid inventories, client folders written from a dict of
settings, a copy of the demo client, and the hostile demo client a report must show as text.

Test files import these with ``from helpers import ...``: pytest puts the ``tests`` folder on ``sys.path`` (its
rootdir-based "prepend" import mode, as ``tests`` has no ``__init__.py``), so no package set-up is needed.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

import yaml

from bpo_kit.config import DEMO_CLIENT_DIR

__all__ = [
    "FORMULA_TEXT",
    "GOOD_ROW",
    "HEADER",
    "SCRIPT_NAME",
    "copy_demo",
    "edit_client",
    "hostile_demo",
    "make_client",
    "replace_in",
    "write_csv",
    "write_client_yaml",
    "write_xlsx",
]

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

SCRIPT_NAME = "<script>alert(1)</script>"
FORMULA_TEXT = '=HYPERLINK("http://example.invalid","click")'


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


def write_client_yaml(folder: Path, settings: dict[str, Any], extra_yaml: str = "") -> Path:
    """Write ``settings`` as the folder's client.yaml, keys in the order given, then ``extra_yaml`` as it is
    (for a test that needs text a dict cannot make, such as a key given twice)."""
    text = yaml.safe_dump(settings, sort_keys=False, allow_unicode=True, default_flow_style=False)
    path = folder / "client.yaml"
    path.write_text(text + extra_yaml, encoding="utf-8")
    return path


def _apply(settings: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """``settings`` updated with ``overrides``: a dict given for a dict merges into it (``business_hours={"end":
    "08:00"}`` keeps start and time zone), ``None`` removes the key, anything else replaces the value."""
    out = dict(settings)
    for key, value in overrides.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _apply(out[key], value)
        else:
            out[key] = value
    return out


def edit_client(folder: Path, **overrides: Any) -> Path:
    """Change keys of the client.yaml in ``folder`` as :func:`make_client` does (``key=None`` removes one); the
    file is written again from its keys, so comments and the layout of the original are not kept."""
    settings = yaml.safe_load((folder / "client.yaml").read_text(encoding="utf-8")) or {}
    write_client_yaml(folder, _apply(settings, overrides))
    return folder


def replace_in(path: Path, old: str, new: str) -> Path:
    """Replace ``old`` by ``new`` in a text file, failing when ``old`` is not there (so an edit that no longer
    matches the file cannot leave a test checking the unchanged file)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} has no {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def make_client(
    folder: Path,
    inventory_rows: list[list] | None = None,
    header: list[str] = HEADER,
    extra_yaml: str = "",
    fmt: str = "csv",
    name: str = "Test Client Ltd",
    **overrides: Any,
) -> Path:
    """A client folder with a client.yaml and an inventory (the demo's inventory when no rows are given).

    The client.yaml is a US client in US dollars working 09:00-17:00 New York time; each keyword beyond the
    named ones replaces or adds a key, e.g. ``make_client(folder, currency="EUR", vendors="vendors.csv")``; a dict
    merges into a dict (``business_hours={"end": "08:00"}``) and ``key=None`` removes one. ``extra_yaml`` is
    appended as text after the keys (with no overrides, the keys above take the first eight lines).
    """
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
    settings = {
        "name": name,
        "home_country": "US",
        "currency": "USD",
        "business_hours": {"start": "09:00", "end": "17:00", "timezone": "America/New_York"},
        "inventory": inv,
    }
    write_client_yaml(folder, _apply(settings, overrides), extra_yaml)
    return folder


def copy_demo(folder: Path, **overrides: Any) -> Path:
    """A copy of the demo client folder in ``folder``; each keyword replaces or adds a key of its client.yaml,
    ``key=None`` removes one (``copy_demo(folder, vendors=None)``: a client without bids)."""
    shutil.copytree(DEMO_CLIENT_DIR, folder)
    return edit_client(folder, **overrides) if overrides else folder


def hostile_demo(folder: Path) -> Path:
    """The demo client, renamed with markup in its name, plus a process whose name is a script tag and
    whose owner is an Excel formula: everything a report must show as text."""
    copy_demo(folder, name="Acme <b>Corp</b>")
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
