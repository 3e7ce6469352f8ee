"""Run a client's assessment: every notebook in order, then the workbook, into ``<out>/<client>/``, atomically.

The report is built in a hidden staging folder beside its final place and moved there only when every
notebook has run and been exported, so an interrupted or failed run never leaves a report that looks
complete; a previous good report stays in place until the new one replaces it. A run records a fingerprint of
its inputs and of the kit, so an unchanged client can be skipped next time.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import nbformat
from tqdm.auto import tqdm

from .. import __version__
from ..config import DATA_DIR, NOTEBOOKS_DIR, PACKAGE_DIR, REPORTS_DIR, load_client
from ..errors import BpoKitError
from ..inventory import load_client_inventory
from . import export, pages
from .execute import execute
from .kernel import shared_pool

RUN_RECORD = ".bpo-kit-run.json"


@dataclass
class ClientRun:
    """What happened to one client: ``ok``, ``skipped`` (unchanged) or ``failed`` with the reason."""

    client: str
    status: str
    report_dir: Path | None = None
    error: str = ""
    seconds: float = 0.0
    pages: list[str] = field(default_factory=list)
    headline: dict | None = None
    finished: str = ""

    def record(self) -> dict:
        return {
            "client": self.client,
            "status": self.status,
            "error": self.error,
            "seconds": round(self.seconds, 1),
            "pages": self.pages,
            "headline": self.headline,
            "finished": self.finished,
        }


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


def _hash_files(paths: list[Path], root: Path, digest) -> None:
    for p in sorted(paths):
        digest.update(p.relative_to(root).as_posix().encode())
        digest.update(p.read_bytes())


@lru_cache(maxsize=1)
def kit_fingerprint() -> str:
    """The kit's version, code, notebooks and reference data: a change to any of them reruns every client."""
    digest = hashlib.sha256(__version__.encode())
    root = PACKAGE_DIR.parent
    _hash_files([p for p in PACKAGE_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts], root, digest)
    _hash_files(list(NOTEBOOKS_DIR.glob("*.ipynb")), root, digest)
    _hash_files(list((DATA_DIR / "reference").glob("*")), root, digest)
    return digest.hexdigest()


def input_fingerprint(client_folder: Path, options: dict) -> str:
    """The client's files (names and contents), the run's options and the kit's fingerprint."""
    digest = hashlib.sha256(kit_fingerprint().encode())
    digest.update(json.dumps(options, sort_keys=True).encode())
    files = [
        p
        for p in client_folder.rglob("*")
        if p.is_file() and not any(part.startswith((".", "~$")) for part in p.relative_to(client_folder).parts)
    ]
    _hash_files(files, client_folder, digest)
    return digest.hexdigest()


def _swap_into_place(staging: Path, final: Path) -> None:
    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    if final.exists():
        final.rename(old)
    staging.rename(final)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def previous_run(final: Path) -> dict | None:
    try:
        return json.loads((final / RUN_RECORD).read_text())
    except (OSError, ValueError):
        return None


def _export_page(executed: nbformat.NotebookNode, staging: Path, stem: str, title: str) -> None:
    nbformat.write(export.clean(executed), staging / f"{stem}.ipynb")
    (staging / f"{stem}.html").write_text(export.to_html(executed, title), encoding="utf-8")


def _assessment_outputs(client_folder: Path, workbook_path: Path) -> dict:
    """The workbook and the headline numbers, computed by the package (the same calls the notebooks make)."""
    from ..assessment import assess
    from .workbook import write_workbook

    assessment = assess(client_folder)
    write_workbook(assessment, workbook_path)
    return assessment.headline()


def run_client(
    client_dir: str | Path,
    out_root: str | Path = REPORTS_DIR,
    notebooks: list[Path] | None = None,
    progress: bool = True,
    force: bool = True,
    pdf: bool = False,
    warm: bool = True,
) -> ClientRun:
    """Run every report notebook for one client into ``out_root/<client>/``, then its workbook (and PDFs).

    With ``force=False`` a client whose inputs, options and kit are unchanged since its last good report is
    skipped. ``warm`` runs the notebooks in pre-started, pre-imported kernels (``kernel.KernelPool``; the
    outputs are those of a cold run). Raises ``BpoKitError`` (client.yaml, an input file or a notebook failed).
    """
    started = time.perf_counter()
    pool = shared_pool() if warm else None
    if pool is not None:
        pool.prestart()  # the kernel boots while the inputs are checked
    client = load_client(client_dir)
    load_client_inventory(client)  # fail fast, before any kernel starts, with the full list of problems
    notebooks = notebooks or report_notebooks()
    out_root = Path(out_root).resolve()
    if out_root == client.folder or client.folder in out_root.parents:
        raise BpoKitError(
            f"--out {out_root.name}: is inside the client folder; reports never go into a "
            "client's input folder, choose another output folder"
        )
    final = out_root / client.slug
    fingerprint = input_fingerprint(client.folder, {"pdf": pdf, "notebooks": [n.name for n in notebooks]})
    before = previous_run(final)
    if not force and before and before.get("fingerprint") == fingerprint and before.get("status") == "ok":
        return ClientRun(
            client=client.slug,
            status="skipped",
            report_dir=final,
            pages=before.get("pages", []),
            headline=before.get("headline"),
            finished=before.get("finished", ""),
            seconds=time.perf_counter() - started,
        )
    out_root.mkdir(parents=True, exist_ok=True)
    staging = out_root / f".{client.slug}.partial-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    done: list[tuple[str, str]] = []
    bar = tqdm(notebooks, desc=client.slug, unit="notebook", disable=not progress, leave=False)
    # the runner waits on the kernel most of the time: it exports each page and builds the workbook meanwhile
    side = ThreadPoolExecutor(max_workers=1)
    try:
        workbook = side.submit(_assessment_outputs, client.folder, staging / "assessment.xlsx")
        exports = []
        for nb_path in bar:
            bar.set_postfix_str(nb_path.stem)
            executed = execute(nb_path, {"client_dir": str(client.folder)}, cwd=staging, pool=pool)
            title = notebook_title(executed, nb_path.stem)
            exports.append(side.submit(_export_page, executed, staging, nb_path.stem, f"{client.config.name}: {title}"))
            done.append((f"{nb_path.stem}.html", title))
        for job in exports:
            job.result()
        headline = workbook.result()
        extras = [("assessment.xlsx", "Workbook: every table of the assessment (assessment.xlsx)")]
        if pdf:
            from .pdf import print_pdfs

            for p in print_pdfs([staging / f for f, _ in done]):
                extras.append((p.name, f"PDF: {p.stem}"))
        now = datetime.now()
        pages.client_index(staging, client.config.name, now.strftime("%d %B %Y"), done, extras)
        result = ClientRun(
            client=client.slug,
            status="ok",
            report_dir=final,
            pages=[p for p, _ in done],
            headline=headline,
            finished=now.strftime("%Y-%m-%d %H:%M"),
            seconds=time.perf_counter() - started,
        )
        (staging / RUN_RECORD).write_text(
            json.dumps({**result.record(), "fingerprint": fingerprint, "kit_version": __version__}, indent=2)
        )
        _swap_into_place(staging, final)
    finally:
        side.shutdown(wait=True, cancel_futures=True)
        bar.close()
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return result
