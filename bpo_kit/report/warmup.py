"""What a warm kernel does while it boots (import the kit's stack, fill its read-only caches) and between two
notebooks (forget everything the previous notebook did).

Nothing here may change what a notebook computes or draws: no style is applied, no name is bound in the
notebook's namespace, only modules are imported and immutable reference data is read. :func:`reset` puts back
exactly the state :func:`run` left: an empty namespace, execution count 1, no figures, the same rcParams.
"""

from __future__ import annotations

_RC: dict = {}


def run() -> None:
    import holidays.countries  # noqa: F401  (its country registry is the slow part of the first calendar)
    import matplotlib.pyplot  # noqa: F401
    import pandas  # noqa: F401
    import seaborn  # noqa: F401
    from IPython.display import HTML  # noqa: F401

    from bpo_kit import assessment, fx, plots, reference, style  # noqa: F401
    from bpo_kit.config import REFERENCE_DIR

    fx._converter()
    for path in REFERENCE_DIR.glob("*.csv"):
        reference._read(path.stem)
    # backend and interactive mode belong to the inline backend, which switches them on lazily: leave them be
    _RC.update({k: v for k, v in matplotlib.pyplot.rcParams.items() if k not in ("backend", "interactive")})


def reset() -> None:
    """Forget the previous notebook: user namespace and history, figures, matplotlib settings, counter."""
    import matplotlib
    import matplotlib.pyplot as plt
    from IPython import get_ipython

    plt.close("all")
    shell = get_ipython()
    shell.reset(new_session=True)
    with __import__("warnings").catch_warnings():
        __import__("warnings").simplefilter("ignore")
        matplotlib.rcParams.update(_RC)
    shell.execution_count = 1
