"""Many clients at once: find the client folders, run them in parallel workers, isolate failures, and write
the batch summary (``batch-summary.json``) and the portfolio index (``index.html``) in the report folder."""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import signal
import time
import traceback
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from pathlib import Path

from tqdm.auto import tqdm

from ..config import CLIENT_FILE, CLIENTS_DIR, PROJECT_DIR
from ..errors import BpoKitError
from . import pages
from .kernel import shared_pool
from .process import skip_iri_checker, stop_fork_server, worker_started
from .run import ClientRun, refuse_out_inside, remove_leftovers, run_client, unwritable

SUMMARY_FILE = "batch-summary.json"


def discover(targets: list[str | Path]) -> tuple[list[Path], list[ClientRun]]:
    """Client folders named by ``targets``: a folder with a client.yaml is a client; a folder without one
    contributes every subfolder that has one. Targets that hold no client, and second clients with the same
    folder name, come back as failed runs."""
    found: list[Path] = []
    failed: list[ClientRun] = []
    for t in targets:
        p = Path(t).expanduser()
        if p.name == CLIENT_FILE:
            p = p.parent
        if not p.exists():  # a bare client name, as in `bpo-kit run demo`
            p = next((c for c in (PROJECT_DIR / p, CLIENTS_DIR / p) if c.exists()), p)
        if (p / CLIENT_FILE).is_file():
            found.append(p.resolve())
        elif p.is_dir():
            subs = sorted(d.resolve() for d in p.iterdir() if d.is_dir() and (d / CLIENT_FILE).is_file())
            if subs:
                found.extend(subs)
            else:
                failed.append(
                    ClientRun(
                        client=p.name, status="failed", error=f"{p.name}: no {CLIENT_FILE} in it or in its subfolders"
                    )
                )
        else:
            failed.append(ClientRun(client=p.name, status="failed", error=f"{p.name}: no such folder"))
    unique, seen = [], set()
    for f in found:
        if f.name in seen:
            failed.append(
                ClientRun(
                    client=f.name,
                    status="failed",
                    error=f"{f.name}: another client in this batch has the folder name '{f.name}'; "
                    "reports are named by folder, so rename one",
                )
            )
        elif f not in unique:
            seen.add(f.name)
            unique.append(f)
    return unique, failed


def _run_one(folder: Path, out_root: Path, force: bool, pdf: bool, progress: bool) -> ClientRun:
    """One client, never raising: a user mistake or a kit bug becomes a failed run with its reason, which names
    folders by their names only (the summary and the index may travel; local paths must not)."""
    skip_iri_checker()  # where a run starts on a worker (a local one, or a Dask worker)
    try:
        return run_client(folder, out_root, progress=progress, force=force, pdf=pdf)
    except SystemExit:  # stopped by the main process (Ctrl-C) after run_client cleaned up: take no more work
        shared_pool().close()
        stop_fork_server()
        os._exit(1)
    except BpoKitError as exc:
        error = exc.render()
    except OSError as exc:
        error = unwritable(out_root, exc).render()
    except Exception as exc:  # a bug must not take the other clients down
        last = traceback.extract_tb(exc.__traceback__)[-1]
        error = (
            f"internal error {type(exc).__name__}: {exc} (at {Path(last.filename).name}:{last.lineno}); "
            "please report it"
        )
    for path in (folder, out_root):
        error = error.replace(str(path), path.name)
    return ClientRun(client=folder.name, status="failed", error=error)


def run_batch(
    targets: list[str | Path],
    out_root: Path,
    jobs: int | None = None,
    force: bool = False,
    pdf: bool = False,
    progress: bool = True,
    scheduler: str | None = None,
) -> list[ClientRun]:
    """Run every client of ``targets`` with ``jobs`` parallel workers (default: the machine's cores), or as
    one task per client on the Dask cluster at ``scheduler``, then write ``batch-summary.json`` and the
    portfolio ``index.html`` in ``out_root``."""
    folders, runs = discover(targets)
    out_root = Path(out_root).resolve()
    refuse_out_inside(out_root, folders)
    _check_writable(out_root)
    jobs = max(1, jobs or os.cpu_count() or 1)
    single = len(folders) == 1
    bar = tqdm(total=len(folders), desc="clients", unit="client", disable=not progress or single)
    try:
        if scheduler:
            runs.extend(_run_on_cluster(scheduler, folders, out_root, force, pdf, bar))
        elif jobs == 1 or len(folders) <= 1:
            for f in folders:
                runs.append(_run_one(f, out_root, force, pdf, progress and single))
                bar.update(1)
        else:
            runs.extend(_run_in_workers(folders, out_root, min(jobs, len(folders)), force, pdf, bar))
    finally:
        bar.close()
    write_summary(out_root, runs)
    return runs


def _check_writable(out_root: Path) -> None:
    """A report folder that cannot be written fails now, in one line, before any client runs."""
    probe = out_root / f".bpo-kit-write-test-{os.getpid()}"
    try:
        out_root.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"0" * 4096)
        probe.unlink()
    except OSError as exc:
        with contextlib.suppress(OSError):
            probe.unlink()
        raise unwritable(out_root, exc) from None


def _run_in_workers(folders: list[Path], out_root: Path, jobs: int, force: bool, pdf: bool, bar) -> list[ClientRun]:
    """Clients on ``jobs`` worker processes. A worker that dies (a native crash) fails only its own client: the
    clients of the broken pool are run again, each alone. Ctrl-C stops every worker within seconds."""
    runs, broken = _pool_round(folders, out_root, jobs, force, pdf, bar)
    for folder in broken:
        again, still_broken = _pool_round([folder], out_root, 1, force, pdf, bar)
        runs += again
        if still_broken:
            runs.append(
                ClientRun(
                    client=folder.name,
                    status="failed",
                    error=f"{folder.name}: the process running this client stopped abruptly (a native crash); "
                    "run it alone to see where",
                )
            )
            bar.update(1)
    return runs


def _pool_round(
    folders: list[Path], out_root: Path, jobs: int, force: bool, pdf: bool, bar
) -> tuple[list[ClientRun], list[Path]]:
    runs: list[ClientRun] = []
    broken: list[Path] = []
    # spawn, not fork: each worker starts clean, with no inherited threads, sockets or kernels
    ctx = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(folders)), mp_context=ctx, initializer=worker_started)
    try:
        # workers are born ignoring Ctrl-C (an ignored signal stays ignored across exec): a Ctrl-C while they
        # import must not kill them with a traceback; the main process stops them itself
        handler = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            futures: dict[Future, Path] = {pool.submit(_run_one, f, out_root, force, pdf, False): f for f in folders}
        finally:
            signal.signal(signal.SIGINT, handler)
        for fut in as_completed(futures):
            try:
                runs.append(fut.result())
            except BrokenProcessPool:
                broken.append(futures[fut])
                continue
            bar.set_postfix_str(futures[fut].name)
            bar.update(1)
    except BaseException:  # Ctrl-C: stop the workers, then remove what they leave behind
        _stop_workers(pool)
        for f in folders:
            remove_leftovers(out_root, f.name)
        raise
    pool.shutdown(wait=True)
    return runs, broken


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    processes = list((pool._processes or {}).values())  # the executor has no public way to stop running tasks
    pool.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        if p.is_alive() and p.pid:
            os.kill(p.pid, signal.SIGTERM)
    deadline = time.monotonic() + 3
    for p in processes:
        p.join(max(0.1, deadline - time.monotonic()))
        if p.is_alive():
            p.kill()
            p.join(1)


def _run_on_cluster(address: str, folders: list[Path], out_root: Path, force: bool, pdf: bool, bar) -> list[ClientRun]:
    """One task per client on an existing Dask distributed cluster. The workers must see the client folders
    and ``out_root`` at the same paths (a shared file system); each task has the isolation, atomic writes and
    failure reporting of a local run, since it is the same function."""
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError:
        raise BpoKitError("--scheduler needs the kit's cluster extra: pip install 'bpo-kit[cluster]'") from None
    try:
        client = Client(address, timeout="20s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise BpoKitError(
            f"--scheduler {address}: cannot reach a Dask scheduler there ({exc}); expected an "
            "address such as tcp://scheduler-host:8786"
        ) from None
    runs = []
    try:
        futures = {
            client.submit(
                _run_one, f, out_root, force, pdf, False, pure=False, key=f"bpo-kit-{f.name}-{os.getpid()}-{i}"
            ): f
            for i, f in enumerate(folders)
        }
        for fut in dask_completed(list(futures)):
            try:
                runs.append(fut.result())
            except Exception as exc:  # a worker died: the client fails, the batch goes on
                runs.append(
                    ClientRun(
                        client=futures[fut].name,
                        status="failed",
                        error=f"the cluster lost this task ({type(exc).__name__}: {exc})",
                    )
                )
            bar.set_postfix_str(futures[fut].name)
            bar.update(1)
    finally:
        client.close()
    return runs


def write_summary(out_root: Path, runs: list[ClientRun]) -> None:
    now = datetime.now()
    records = sorted((r.record() for r in runs), key=lambda r: r["client"])
    summary = {
        "finished": now.strftime("%Y-%m-%d %H:%M"),
        "clients": len(records),
        "ok": sum(r["status"] == "ok" for r in records),
        "skipped": sum(r["status"] == "skipped" for r in records),
        "failed": sum(r["status"] == "failed" for r in records),
        "runs": records,
    }
    (out_root / SUMMARY_FILE).write_text(json.dumps(summary, indent=2), encoding="utf-8")
    pages.portfolio_index(out_root, records, now.strftime("%d %B %Y"))


def summary_table(runs: list[ClientRun]) -> str:
    """The end-of-batch table for the terminal."""
    width = max([len(r.client) for r in runs] + [6])
    lines = [f"{'client':<{width}}  {'status':<8} {'time':>6}  detail"]
    for r in sorted(runs, key=lambda r: (r.status != "failed", r.client)):
        detail = r.error.splitlines()[0] if r.error else ""
        if r.error and len(r.error.splitlines()) > 1:
            detail += f" (+{len(r.error.splitlines()) - 1} more lines)"
        lines.append(f"{r.client:<{width}}  {r.status:<8} {r.seconds:>5.0f}s  {detail}")
    return "\n".join(lines)
