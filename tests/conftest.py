"""Fixtures shared by the test files: the demo client's assessment (made once per session), a good inventory row
and one full report run of the hostile demo client.

The helpers that build inputs live in ``helpers.py``; test files import them from there. The names below are
re-exported for test files that still write ``from conftest import ...``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pandas as pd
import pytest
from helpers import (
    FORMULA_TEXT,
    GOOD_ROW,
    HEADER,
    SCRIPT_NAME,
    copy_demo,
    edit_client,
    hostile_demo,
    make_client,
    replace_in,
    write_client_yaml,
    write_csv,
    write_xlsx,
)

from bpo_kit.config import DEMO_CLIENT_DIR

if TYPE_CHECKING:
    from bpo_kit.assessment import Assessment

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
    "write_client_yaml",
    "write_csv",
    "write_xlsx",
]


@pytest.fixture
def good_row() -> list:
    return list(GOOD_ROW)


def _tables(a: Assessment) -> dict[str, pd.DataFrame]:
    tables = {name: value for name, value in vars(a).items() if isinstance(value, pd.DataFrame)}
    return {**tables, "inventory.processes": a.inventory.processes}


@pytest.fixture(scope="session")
def demo() -> Iterator[Assessment]:
    """The demo client's assessment, made once for the whole session and shared by every test that asks for it.

    Read-only: a test that wants to change it works on ``copy.deepcopy(demo)`` (a few milliseconds) or builds a
    new one with ``dataclasses.replace``. Its derived results (Monte Carlo, rankings...) are memoised on it as
    tests ask for them, as in a run; what a method hands out is a copy. At the end of the session its tables and
    settings are checked against what they were, so a test that changed them fails loudly instead of quietly
    changing other tests' results.
    """
    from bpo_kit.assessment import assess

    a = assess(DEMO_CLIENT_DIR)
    tables = copy.deepcopy(_tables(a))
    settings = a.client.config.model_dump()
    yield a
    assert _tables(a).keys() == tables.keys(), "a test added or removed a table of the shared demo assessment"
    for name, before in tables.items():
        pd.testing.assert_frame_equal(_tables(a)[name], before, obj=f"the shared demo assessment's {name}")
    assert a.client.config.model_dump() == settings, "a test changed the shared demo assessment's client settings"


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
