"""Running notebooks into client reports: execution, HTML export, index pages; and :func:`setup`, the one call a
report notebook makes to get its client's assessment.

The runner knows notebooks and files, not business rules. Importing this package stays cheap (the command line
imports it before the kernel starts): :func:`setup` and :func:`load_results` are imported on first use.
"""

from __future__ import annotations

from typing import Any

__all__ = ["load_results", "setup"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import results

        return getattr(results, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
