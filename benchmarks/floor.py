"""The floor for one client's report: the notebooks' own code, run as one plain Python program in one process.

Every code cell of every report notebook runs in order (each notebook in a fresh namespace, with the client's
folder as its parameter), and every figure is rendered to PNG as the inline backend would; there is no kernel,
no papermill and no HTML export. Whatever the runner spends above this is its overhead.

    python benchmarks/floor.py data/clients/demo
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import json  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def render_figures() -> None:
    for num in plt.get_fignums():
        plt.figure(num).savefig(io.BytesIO(), format="png", bbox_inches="tight")
    plt.close("all")


def run(client_dir: str) -> float:
    started = time.perf_counter()
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        # plain json, not nbformat: the floor pays for nothing the work itself does not need
        nb = json.loads(path.read_text())
        namespace = {"display": lambda *a, **k: None, "__name__": "__main__"}
        for cell in nb["cells"]:
            if cell["cell_type"] != "code":
                continue
            if "parameters" in cell.get("metadata", {}).get("tags", []):
                source = f"client_dir = {client_dir!r}\nreport_date = ''"
            else:
                source = "".join(cell["source"])
            exec(compile(source, f"{path.name}", "exec"), namespace)
            render_figures()
    return time.perf_counter() - started


if __name__ == "__main__":
    t0 = time.perf_counter()
    work = run(str(Path(sys.argv[1]).resolve()))
    print(f"{time.perf_counter() - t0:.3f} {work:.3f}")
