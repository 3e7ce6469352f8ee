"""Project paths: where the package, the reference data, the demo client, the notebooks and the reports are.

This module imports nothing of the kit: every other module may use it. The client folder and ``client.yaml``
are read by :mod:`bpo_kit.client`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
DATA_DIR = PROJECT_DIR / "data"
REFERENCE_DIR = DATA_DIR / "reference"
CLIENTS_DIR = DATA_DIR / "clients"
DEMO_CLIENT_DIR = CLIENTS_DIR / "demo"
NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"
REPORTS_DIR = PROJECT_DIR / "reports"
CLIENT_FILE = "client.yaml"

#: names that lived here before bpo_kit.client existed; kept reachable while code still imports them from here
_MOVED_TO_CLIENT = (
    "load_client",
    "Client",
    "ClientConfig",
    "BusinessHours",
    "AssumptionOverride",
    "read_yaml",
    "resolve_client_dir",
    "FILE_KEYS",
)


def __getattr__(name: str) -> Any:
    # transitional: `from bpo_kit.config import load_client` keeps working until every caller imports
    # bpo_kit.client; remove once nothing does (`grep -rn "config import" bpo_kit tests notebooks benchmarks`)
    if name in _MOVED_TO_CLIENT:
        from . import client

        return getattr(client, name)
    raise AttributeError(f"module 'bpo_kit.config' has no attribute {name!r}")
