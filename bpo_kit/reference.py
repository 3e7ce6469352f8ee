"""Reading the sourced reference tables in ``data/reference/``.

Every row of every table carries ``source`` and ``year`` (a four-digit year, or ``n.d.`` for an undated source
such as one of the seed articles); a table that loses them is refused here, so that no figure reaches a report
without its provenance.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from .config import REFERENCE_DIR

PROVENANCE = ("source", "year")


@cache
def _read(name: str) -> pd.DataFrame:
    path = REFERENCE_DIR / f"{name}.csv"
    # year is text: an undated source is marked "n.d." rather than given an invented year
    df = pd.read_csv(path, keep_default_na=False, na_values=[""], dtype={"year": str})
    missing = [c for c in PROVENANCE if c not in df.columns]
    if missing:
        raise ValueError(f"data/reference/{name}.csv lacks the column(s) {missing}")
    bad = df[df["source"].isna() | df["year"].isna()]
    if len(bad):
        raise ValueError(f"data/reference/{name}.csv rows {[i + 2 for i in bad.index]} lack a source or a year")
    return df


def table(name: str) -> pd.DataFrame:
    """A copy of reference table ``name`` (file ``data/reference/<name>.csv``)."""
    return _read(name).copy()
