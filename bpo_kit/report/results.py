"""The assessment a report's notebooks narrate: computed once per client by the runner and saved beside the report
(``results/``), or computed on the spot when a notebook is run by hand.

A notebook's set-up cell is one call, :func:`setup`; nothing else in a notebook needs to know where its numbers
come from.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the runner imports this module for RESULTS_DIR alone: pandas is for the notebooks' kernels
    from ..assessment import Assessment

#: the folder of saved results, relative to the notebook's working directory (the report folder in a run)
RESULTS_DIR = "results"


def load_results(client_dir: str | Path | None = "", folder: str | Path = RESULTS_DIR) -> Assessment:
    """The client's assessment: the one saved in ``folder`` when it is this client's (a run), else computed now
    (a notebook opened by hand in JupyterLab)."""
    from ..assessment import Assessment, assess
    from ..client import load_client

    client = load_client(client_dir)
    try:
        return Assessment.load(folder, client)
    except LookupError:
        return assess(client.folder)


def save_results(a: Assessment, folder: str | Path) -> Path:
    """Save ``a`` where :func:`load_results` finds it (``folder`` is the report's ``results/``)."""
    return a.save(folder)


def setup(client_dir: str | Path | None = "", report_date: str = "", title: str = "") -> Assessment:
    """A report notebook's first code cell: the kit's chart style, the client's assessment and the page's title
    block (client name, ``title``, date)."""
    from IPython.display import display

    from .. import style

    style.apply()
    a = load_results(client_dir)
    display(style.title_block(a.client.config.name, title, "Outsourcing assessment", report_date))
    return a
