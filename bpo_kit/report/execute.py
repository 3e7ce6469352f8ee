"""Execute one notebook for one client with papermill, in the kit's own kernel."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import nbformat
import papermill as pm
from papermill.exceptions import PapermillExecutionError

from ..errors import BpoKitError
from .kernel import KERNEL_NAME, KernelPool, KitKernelManager

#: exception names raised in a notebook that mean "the user's input is wrong", not "the kit is broken"
USER_ERRORS = {"BpoKitError", "ConfigError", "InputFileError"}
logging.getLogger("papermill").setLevel(logging.WARNING)


class NotebookFailed(BpoKitError):
    """A notebook stopped with an error; ``problems`` names the notebook and the cell's error."""


def execute(
    notebook: Path, parameters: dict[str, Any], cwd: Path, timeout: int = 1800, pool: KernelPool | None = None
) -> nbformat.NotebookNode:
    """Run ``notebook`` with ``parameters`` in working directory ``cwd`` and return the executed notebook
    (the caller writes what it keeps of it).

    With ``pool``, the notebook runs in a warm kernel taken from it (see ``kernel``); without, papermill
    starts a cold one. Raises ``NotebookFailed`` naming the notebook, the cell and its error (no traceback).
    """
    km = pool.take(cwd) if pool is not None else None
    ok = False
    try:
        nb = pm.execute_notebook(
            str(notebook),
            None,
            parameters=parameters,
            kernel_name=KERNEL_NAME,
            language="python",
            kernel_manager_class=KitKernelManager,
            km=km,
            progress_bar=False,
            cwd=str(cwd),
            execution_timeout=timeout,
            request_save_on_cell_execute=False,
            log_output=False,
        )
        ok = True
        return nb
    except PapermillExecutionError as exc:
        first_line = next((ln.strip() for ln in (exc.source or "").splitlines() if ln.strip()), "")
        if len(first_line) > 60:
            first_line = first_line[:57] + "..."
        where = f"{notebook.stem}, in the cell starting `{first_line}`"
        if exc.ename in USER_ERRORS:
            problems = [line for line in str(exc.evalue).splitlines() if line.strip()]
            raise NotebookFailed(problems or [exc.ename], hint=f"(raised in notebook {where})") from None
        raise NotebookFailed(f"notebook {where}: {exc.ename}: {exc.evalue}") from None
    finally:
        if pool is not None and km is not None:
            pool.give_back(km, ok)
