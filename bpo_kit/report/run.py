"""Run a client's assessment: every notebook in order, into ``<out>/<client>/``, written atomically.

The report is built in a hidden staging folder beside its final place and moved there only when every
notebook has run and been exported, so an interrupted or failed run never leaves a report that looks
complete; a previous good report stays in place until the new one replaces it.
"""
from __future__ import annotations

import html
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from tqdm.auto import tqdm

from ..config import NOTEBOOKS_DIR, REPORTS_DIR, load_client
from ..errors import BpoKitError
from ..inventory import load_client_inventory
from . import export
from .execute import execute


@dataclass
class ClientRun:
    """What happened to one client: ``ok`` or ``failed`` with the reason, and where the report is."""

    client: str
    status: str
    report_dir: Path | None = None
    error: str = ""
    seconds: float = 0.0
    pages: list[str] = field(default_factory=list)


def report_notebooks(folder: Path = NOTEBOOKS_DIR) -> list[Path]:
    """The report's notebooks, in order: ``NN_name.ipynb`` files of ``folder``."""
    found = sorted(p for p in folder.glob("[0-9][0-9]_*.ipynb"))
    if not found:
        raise BpoKitError(f"{folder}: no numbered notebooks (NN_name.ipynb) to run")
    return found


def notebook_title(nb: nbformat.NotebookNode, fallback: str) -> str:
    """The first markdown heading of a notebook, without its '#' marks."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return fallback


def _swap_into_place(staging: Path, final: Path) -> None:
    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    if final.exists():
        final.rename(old)
    staging.rename(final)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def write_client_index(folder: Path, client_name: str, pages: list[tuple[str, str]]) -> Path:
    """``index.html`` of a client's report folder, linking each page (file name, title)."""
    items = "\n".join(f'<li><a href="{html.escape(f)}">{html.escape(t)}</a></li>' for f, t in pages)
    name = html.escape(client_name)
    doc = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{name}: outsourcing assessment</title>
<style>
body {{ font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; max-width: 760px; margin: 2em auto; color: #222; }}
h1 {{ color: #1F3A5F; border-left: 6px solid #1F3A5F; padding-left: 0.5em; }}
li {{ margin: 0.5em 0; font-size: 1.1em; }} a {{ color: #1F3A5F; }}
</style></head>
<body><h1>{name}</h1><p>Outsourcing assessment</p><ol>
{items}
</ol></body></html>
"""
    path = folder / "index.html"
    path.write_text(doc, encoding="utf-8")
    return path


def run_client(client_dir: str | Path, out_root: str | Path = REPORTS_DIR, notebooks: list[Path] | None = None,
               progress: bool = True) -> ClientRun:
    """Run every report notebook for one client into ``out_root/<client>/``.

    Raises ``BpoKitError`` (client.yaml, inventory or a notebook failed); the caller decides how to show it.
    """
    started = time.perf_counter()
    client = load_client(client_dir)
    load_client_inventory(client)  # fail fast, before any kernel starts, with the full list of problems
    notebooks = notebooks or report_notebooks()
    out_root = Path(out_root).resolve()
    if out_root == client.folder or client.folder in out_root.parents:
        raise BpoKitError(f"--out {out_root.name}: is inside the client folder; reports never go into a "
                          "client's input folder, choose another output folder")
    out_root.mkdir(parents=True, exist_ok=True)
    final = out_root / client.slug
    staging = out_root / f".{client.slug}.partial-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    pages: list[tuple[str, str]] = []
    bar = tqdm(notebooks, desc=client.slug, unit="notebook", disable=not progress, leave=False)
    try:
        for nb_path in bar:
            bar.set_postfix_str(nb_path.stem)
            executed = execute(nb_path, staging / nb_path.name, {"client_dir": str(client.folder)},
                               cwd=staging)
            title = notebook_title(executed, nb_path.stem)
            cleaned = export.clean(executed)
            nbformat.write(cleaned, staging / nb_path.name)
            page = f"{nb_path.stem}.html"
            (staging / page).write_text(export.to_html(executed, f"{client.config.name}: {title}"),
                                        encoding="utf-8")
            pages.append((page, title))
        write_client_index(staging, client.config.name, pages)
        _swap_into_place(staging, final)
    finally:
        bar.close()
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return ClientRun(client=client.slug, status="ok", report_dir=final,
                     seconds=time.perf_counter() - started, pages=[p for p, _ in pages])
