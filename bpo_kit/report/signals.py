"""Processes that never outlive the run that started them.

A worker or assessment process asks Linux to kill it when its parent dies (``PR_SET_PDEATHSIG``), so that a
killed batch leaves nothing running that could still write reports. Elsewhere this is a no-op; the kernels watch
their parent themselves (ipykernel's parent poller).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


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
