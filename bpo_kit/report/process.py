"""What every process of a run sets up as it starts: it never outlives the run that started it, Ctrl-C is the
main process's alone to handle, and nbformat's slow optional import is skipped.

A worker or assessment process asks Linux to signal it when its parent dies (``PR_SET_PDEATHSIG``), so that a
killed batch leaves nothing running that could still write reports. Elsewhere that part is a no-op; the kernels
watch their parent themselves (ipykernel's parent poller).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

_PR_SET_PDEATHSIG = 1
#: staging folders this process is writing; removed if it must stop at once (see :func:`worker_started`)
ACTIVE_STAGING: set[Path] = set()
_PARENT: list[int] = []


def skip_iri_checker() -> None:
    """Go without jsonschema's optional IRI format checker.

    nbformat imports jsonschema, whose IRI checker (rfc3987_syntax, pulled in by jupyterlab's dependencies)
    builds its parsers at import: about a second in every process that touches nbformat. Notebooks never use IRI
    formats; jsonschema treats the module as not installed. Called where a run starts (command line, workers),
    never on import, so that a program importing the kit keeps its own jsonschema.
    """
    if "rfc3987_syntax" not in sys.modules:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]


def die_with_parent(sig: int = signal.SIGKILL) -> None:
    """Have this process receive ``sig`` when its parent process ends; if the parent is already gone, exit now."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent or parent == 1:  # the parent died before the request took effect
        os._exit(1)


def _stop(signum: int, frame: FrameType | None) -> None:
    if _PARENT and os.getppid() != _PARENT[0]:
        # the main process was killed: nobody waits for this worker's result; its kernel and assessment process
        # notice on their own, so remove the half-written report and go
        for path in list(ACTIVE_STAGING):
            shutil.rmtree(path, ignore_errors=True)
        stop_fork_server()
        os._exit(128 + signum)
    # stopped by the main process (Ctrl-C): clean up on the way out, hard exit if that takes too long
    timer = threading.Timer(8, os._exit, (1,))
    timer.daemon = True
    timer.start()
    raise SystemExit(128 + signum)


def stop_fork_server() -> None:
    """End this process's multiprocessing fork server (which starts the assessment processes) now, rather than
    trusting it to notice that its parent is gone."""
    from multiprocessing import forkserver

    pid = getattr(forkserver._forkserver, "_forkserver_pid", None)
    if pid:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


def worker_started() -> None:
    """A batch worker: ends with its parent, cleans up and exits on SIGTERM, leaves Ctrl-C to the parent."""
    skip_iri_checker()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop)
    _PARENT.append(os.getppid())
    die_with_parent(signal.SIGTERM)
