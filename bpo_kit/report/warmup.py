"""What a warm kernel does while it boots (import the kit's stack, fill its read-only caches) and between two
notebooks (forget everything the previous notebook did).

Nothing here may change what a notebook computes or draws: no style is applied, no name is bound in the
notebook's namespace, only modules are imported and immutable reference data is read. :func:`reset` puts back
exactly the state :func:`run` left: an empty namespace, execution count 1, no figures, the same rcParams, the
report folder as working directory, pandas' default options, freshly seeded random generators (as unseeded as a
new kernel's) and the warnings filters of a new kernel.
"""

from __future__ import annotations

import warnings

_RC: dict = {}
_WARNING_FILTERS: list = []


def run() -> None:
    import holidays.countries  # noqa: F401  (its country registry is the slow part of the first calendar)
    import matplotlib.pyplot  # noqa: F401
    import pandas  # noqa: F401
    import seaborn  # noqa: F401
    from IPython.display import HTML  # noqa: F401

    from bpo_kit import assessment, fx, plots, reference, style  # noqa: F401
    from bpo_kit.config import REFERENCE_DIR

    # the state reset() restores is recorded first, so that nothing below can leave it half-recorded
    # backend and interactive mode belong to the inline backend, which switches them on lazily: leave them be
    _RC.update({k: v for k, v in matplotlib.pyplot.rcParams.items() if k not in ("backend", "interactive")})
    _WARNING_FILTERS[:] = warnings.filters
    fx._converter()
    for path in REFERENCE_DIR.glob("*.csv"):
        try:
            reference._read(path.stem)
        except ValueError:
            continue  # a table with its own reader (coordinates, changeover dates): nothing to cache here


def reset(cwd: str | None = None) -> None:
    """Forget the previous notebook: user namespace and history, figures, matplotlib settings, counter, working
    directory (back to ``cwd``), pandas options, random state and warnings filters."""
    import os
    import random

    import matplotlib
    import matplotlib.pyplot as plt
    import numpy as np
    import pandas as pd
    from IPython import get_ipython

    plt.close("all")
    shell = get_ipython()
    shell.reset(new_session=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        matplotlib.rcParams.update(_RC)
        pd.reset_option("all")
    warnings.filters[:] = _WARNING_FILTERS  # type: ignore[index]
    warnings._filters_mutated()  # type: ignore[attr-defined]  # forget the "already shown once" records
    np.random.seed()  # a new kernel's global generators are seeded from the system, not from the last notebook
    random.seed()
    if cwd is not None:
        os.chdir(cwd)
    shell.execution_count = 1
