"""Re-execute the committed notebooks on the demo client and store their outputs (``make notebooks``).

nbval compares a fresh run against these stored outputs, so refresh them only after a deliberate change,
and review the diff: every changed number is a changed client number.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from .kernel import KERNEL_NAME, KitKernelManager
from .run import report_notebooks


def refresh(notebook: Path) -> None:
    nb = nbformat.read(notebook, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name=KERNEL_NAME,
        kernel_manager_class=KitKernelManager,
        resources={"metadata": {"path": str(notebook.parent)}},
        timeout=1800,
    )
    client.execute()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(nb, notebook)


def main(argv: list[str]) -> int:
    from .process import skip_iri_checker

    skip_iri_checker()
    folder = Path(argv[0]) if argv else Path("notebooks")
    for nb in report_notebooks(folder):
        print(f"refreshing {nb.name}")
        refresh(nb)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
