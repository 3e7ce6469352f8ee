"""Project paths: where the package, the reference data, the demo client, the notebooks and the reports are.

This module imports nothing of the kit: every other module may use it. The client folder and ``client.yaml``
are read by :mod:`bpo_kit.client`.
"""

from __future__ import annotations

from .resources import PACKAGE_DIR as PACKAGE_DIR  # where the kit's code is (re-exported for the runner)
from .resources import PROJECT_DIR as PROJECT_DIR  # the repository root when run from a clone
from .resources import kit_folder, reports_folder

DATA_DIR = kit_folder("data")  # the repository's data/, or its copy inside an installed wheel
REFERENCE_DIR = DATA_DIR / "reference"
CLIENTS_DIR = DATA_DIR / "clients"
DEMO_CLIENT_DIR = CLIENTS_DIR / "demo"
NOTEBOOKS_DIR = kit_folder("notebooks")
REPORTS_DIR = reports_folder()
CLIENT_FILE = "client.yaml"
