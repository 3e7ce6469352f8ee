"""Run a client's assessment: every notebook in order, then the workbook, into ``<out>/<client>/``, atomically.

The report is built in a hidden staging folder beside its final place and moved there only when every
notebook has run and been exported, so an interrupted or failed run never leaves a report that looks
complete; a previous good report stays in place until the new one replaces it. A run records a fingerprint of
its inputs and of the kit, so an unchanged client can be skipped next time.
"""

from __future__ import annotations

import hashlib
import json
import math
import multiprocessing
import os
import pickle
import shutil
import signal
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import nbformat
from tqdm.auto import tqdm

from .. import __version__
from ..client import load_client
from ..config import DATA_DIR, NOTEBOOKS_DIR, PACKAGE_DIR, REPORTS_DIR
from ..errors import BpoKitError
from . import export, pages
from .execute import execute
from .kernel import shared_pool
from .process import ACTIVE_STAGING, die_with_parent
from .results import RESULTS_DIR

RUN_RECORD = ".bpo-kit-run.json"
HEADLINE_FILE = "headline.json"


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
    """Replace ``final`` by ``staging``; if the last rename fails, the previous report is put back."""
    old = final.with_name(f".{final.name}.old-{_run_tag()}")
    had_previous = final.exists()
    if had_previous:
        final.rename(old)
    try:
        staging.rename(final)
    except BaseException:
        if had_previous:
            old.rename(final)
        raise
    if had_previous:
        shutil.rmtree(old, ignore_errors=True)


def _run_tag() -> str:
    """Names this run's hidden folders: host and process, so that the next run can tell a dead run's leftovers."""
    return f"{socket.gethostname()}-{os.getpid()}"


def remove_leftovers(out_root: Path, slug: str) -> None:
    """Remove the hidden staging folders of this client's runs that died on this host (killed, power cut)."""
    host = socket.gethostname()
    for p in out_root.glob(f".{slug}.*"):
        kind, _, tag = p.name[len(slug) + 2 :].partition("-")
        run_host, _, pid = tag.rpartition("-")
        if kind not in ("partial", "old") or run_host != host or not pid.isdigit() or _alive(int(pid)):
            continue
        if kind == "old" and not (out_root / slug).exists():
            p.rename(out_root / slug)  # a run died between its two renames: its previous report comes back
        else:
            shutil.rmtree(p, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def previous_run(final: Path) -> dict | None:
    try:
        return json.loads((final / RUN_RECORD).read_text())
    except (OSError, ValueError):
        return None


def _export_page(executed: nbformat.NotebookNode, staging: Path, stem: str, title: str, client: Path) -> None:
    # the injected parameter holds the consultant's local path: a shipped notebook names the client folder only
    text = nbformat.writes(export.clean(executed)).replace(json.dumps(str(client))[1:-1], client.name)
    (staging / f"{stem}.ipynb").write_text(text, encoding="utf-8")
    (staging / f"{stem}.html").write_text(export.to_html(executed, title), encoding="utf-8")


def json_safe(value: object) -> object:
    """``value`` with numpy numbers as plain numbers and NaN or infinity as null, ready for ``json.dumps``."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _assess(conn, client_folder: str, staging: str) -> None:  # noqa: ANN001 (a multiprocessing Connection)
    """In a child process: assess the client once, save the results the notebooks load, send the headline, then
    write the workbook from the same results. A crash while reading a hostile file ends this process only."""
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    # a native crash prints its own backtrace: the user gets the one line the runner writes instead
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    try:
        from ..assessment import assess
        from .deck import write_deck
        from .workbook import write_workbook

        a = assess(client_folder)
        headline = json_safe(a.headline())
        a.precompute()
        try:
            a.save(Path(staging) / RESULTS_DIR)
        except (pickle.PicklingError, TypeError, AttributeError):
            # something in the assessment cannot be saved: the notebooks then compute it themselves (slower,
            # same pages); tests/test_runner.py checks that the demo's assessment saves
            shutil.rmtree(Path(staging) / RESULTS_DIR, ignore_errors=True)
        conn.send(("saved", headline))
        write_workbook(a, Path(staging) / "assessment.xlsx")
        write_deck(a, Path(staging) / "summary.pptx")
        conn.send(("done", None))
    except BpoKitError as exc:
        conn.send(("failed", exc.problems, exc.hint))
    except OSError as exc:
        if str(exc.filename or "").startswith(staging):  # a full or read-only disk under the report folder
            out = Path(staging).parent
            conn.send(("failed", [unwritable(out, exc).render().replace(str(out), out.name)], None))
        else:
            conn.send(("failed", [f"internal error {type(exc).__name__}: {exc}; please report it"], None))
    except Exception as exc:
        conn.send(("failed", [f"internal error {type(exc).__name__}: {exc}; please report it"], None))


class _Assessment:
    """The client's assessment, running in a child process (see :func:`_assess`)."""

    def __init__(self, client_folder: Path, staging: Path):
        ctx = multiprocessing.get_context("forkserver")
        # the assessment's imports are paid once per process, by the fork server, not by each client
        ctx.set_forkserver_preload(["bpo_kit.assessment", "bpo_kit.report.workbook", "bpo_kit.report.deck"])
        self._conn, child = ctx.Pipe(duplex=False)
        self._proc = ctx.Process(target=_assess, args=(child, str(client_folder), str(staging)), daemon=True)
        me = multiprocessing.current_process()
        daemonic = me.daemon
        # a Dask worker is a daemonic process, which multiprocessing forbids to have children; this child never
        # outlives it (it is killed in close() and dies with its parent), which is what that rule protects
        me._config["daemon"] = False  # type: ignore[attr-defined]
        try:
            self._proc.start()
        finally:
            me._config["daemon"] = daemonic  # type: ignore[attr-defined]
        child.close()
        self._name = client_folder.name

    def wait(self, expected: str) -> object:
        """Wait for the child's ``expected`` message and return its payload; raise its error, or name its death."""
        try:
            kind, *payload = self._conn.recv()
        except EOFError:
            self._proc.join(5)
            code = self._proc.exitcode
            how = f"was killed by {signal.Signals(-code).name}" if code is not None and code < 0 else "stopped"
            raise BpoKitError(
                f"{self._name}: the assessment {how} while reading the client's files (a damaged or oversized file "
                "can do this); open each input file, save it again from Excel and rerun"
            ) from None
        if kind == "failed":
            raise BpoKitError(payload[0], hint=payload[1])
        assert kind == expected, kind
        return payload[0]

    def close(self) -> None:
        if self._proc.is_alive():
            self._proc.kill()
        self._proc.join()
        self._conn.close()


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
    notebooks = notebooks or report_notebooks()
    out_root = Path(out_root).resolve()
    refuse_out_inside(out_root, [client.folder])
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
    staging = out_root / f".{client.slug}.partial-{_run_tag()}"
    try:
        out_root.mkdir(parents=True, exist_ok=True)
        remove_leftovers(out_root, client.slug)
        ACTIVE_STAGING.add(staging)
        staging.mkdir()
    except OSError as exc:
        raise unwritable(out_root, exc) from None
    done: list[tuple[str, str]] = []
    bar = tqdm(notebooks, desc=client.slug, unit="notebook", disable=not progress, leave=False)
    # the runner waits on the kernel most of the time: it exports each page meanwhile
    side = ThreadPoolExecutor(max_workers=1)
    assessment = None
    try:
        # assessed once, in a child process whose crash cannot take the runner down; it saves the results
        # (results/) that every notebook loads, then writes the workbook while the notebooks run
        assessment = _Assessment(client.folder, staging)
        headline = assessment.wait("saved")
        (staging / HEADLINE_FILE).write_text(json.dumps(headline, indent=2), encoding="utf-8")
        exports = []
        for nb_path in bar:
            bar.set_postfix_str(nb_path.stem)
            executed = execute(nb_path, {"client_dir": str(client.folder)}, cwd=staging, pool=pool)
            title = notebook_title(executed, nb_path.stem)
            exports.append(
                side.submit(
                    _export_page, executed, staging, nb_path.stem, f"{client.config.name}: {title}", client.folder
                )
            )
            done.append((f"{nb_path.stem}.html", title))
        for job in exports:
            job.result()
        assessment.wait("done")
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
            headline=headline if isinstance(headline, dict) else None,
            finished=now.strftime("%Y-%m-%d %H:%M"),
            seconds=time.perf_counter() - started,
        )
        (staging / RUN_RECORD).write_text(
            json.dumps({**result.record(), "fingerprint": fingerprint, "kit_version": __version__}, indent=2)
        )
        _swap_into_place(staging, final)
    except OSError as exc:
        raise unwritable(out_root, exc) from None
    finally:
        if assessment is not None:
            assessment.close()
        side.shutdown(wait=True, cancel_futures=True)
        bar.close()
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
        ACTIVE_STAGING.discard(staging)
    return result


def refuse_out_inside(out_root: Path, client_folders: list[Path]) -> None:
    """Reports never go into a client's input folder: refused before anything is written."""
    out_root = out_root.resolve()
    for folder in client_folders:
        folder = folder.resolve()
        if out_root == folder or folder in out_root.parents:
            raise BpoKitError(
                f"--out {out_root.name}: is inside the client folder {folder.name}; reports never go into a "
                "client's input folder, choose another output folder"
            )


def unwritable(out_root: Path, exc: OSError) -> BpoKitError:
    """One clear line for a report folder that cannot be written (read-only, full disk, no permission)."""
    why = exc.strerror or type(exc).__name__
    return BpoKitError(f"--out {out_root}: cannot write the report there ({why}); choose a folder you can write to")
