"""The one place that runs the assessment chain for a client and keeps its results.

Notebooks call :func:`assess` and narrate what it returns; nothing is computed twice or copied by hand.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import classification
from .config import Client, load_client
from .inventory import Inventory, load_client_inventory


@dataclass
class Assessment:
    """A client's assessment: inputs as checked, and each step's result table."""

    client: Client
    inventory: Inventory
    rules: classification.Rules
    processes: pd.DataFrame  # the inventory's accepted rows with classification columns

    @property
    def currency(self) -> str:
        return self.client.config.currency


def assess(client_dir: str | Path | None = None) -> Assessment:
    """Load, check and assess the client in ``client_dir`` (empty: the demo client)."""
    client = load_client(client_dir)
    inv = load_client_inventory(client)
    rules = client.config.classification.rules()
    classified = classification.classify(inv.processes, rules)
    return Assessment(client=client, inventory=inv, rules=rules, processes=classified)
