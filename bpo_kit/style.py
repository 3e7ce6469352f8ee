"""The kit's one visual style: colours, fonts, number formats and how tables and headers are rendered.

Charts (``plots``) and tables in every notebook take their look from here, so a report reads as one document.
Client text is always HTML-escaped before it is shown.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Callable, Mapping
from datetime import date

import matplotlib as mpl
import pandas as pd
import seaborn as sns

#: brand colours, dark to light
INK = "#1F3A5F"
ACCENT = "#D98E04"
GREY = "#8A8F98"
#: one colour per recommendation, tier and RAG status, used by every chart and table
RECOMMENDATION_COLOURS = {"outsource": "#2E7D9A", "automate": "#6BA368", "hybrid": "#D98E04", "retain": "#8C4B6B"}
TIER_COLOURS = {"onshore": "#8C4B6B", "nearshore": "#2E7D9A", "offshore": "#6BA368"}
RAG_COLOURS = {"green": "#3C8D40", "amber": "#E0A100", "red": "#C0392B", "no data": "#B0B4BA"}
BPO_TYPE_LABELS = {"back_office": "Back office", "front_office": "Front office", "kpo": "Knowledge (KPO)"}
FUNCTION_LABELS = {
    "finance_accounting": "Finance & accounting",
    "human_resources": "Human resources",
    "it_services": "IT services",
    "customer_service": "Customer service",
    "sales": "Sales",
    "marketing": "Marketing",
    "procurement": "Procurement",
    "legal": "Legal",
    "research_analytics": "Research & analytics",
    "operations": "Operations",
    "other": "Other",
}
#: code values shown to a reader under a readable label, by column
VALUE_LABELS = {"function": FUNCTION_LABELS, "bpo_type": BPO_TYPE_LABELS}
#: column headers that are not simply the column name with spaces
HEADER_LABELS = {"fte": "FTE", "process_id": "ID", "cost_per_fte": "cost per FTE", "bpo_type": "BPO type"}
FIGSIZE = (9.0, 4.8)


def apply() -> None:
    """Set the seaborn/matplotlib look for the whole kit. Call once at the top of a notebook."""
    sns.set_theme(
        context="notebook", style="whitegrid", palette=list(RECOMMENDATION_COLOURS.values()), font="DejaVu Sans"
    )
    mpl.rcParams.update(
        {
            "figure.figsize": FIGSIZE,
            "figure.dpi": 96,
            "savefig.dpi": 96,
            "axes.titleweight": "bold",
            "axes.titlesize": 12,
            "axes.titlelocation": "left",
            "axes.edgecolor": "#C8CCD2",
            "axes.labelcolor": "#333333",
            "text.color": "#222222",
            "legend.frameon": False,
            "figure.constrained_layout.use": True,
            # deterministic images: no timestamps or software tags in saved files
            "svg.hashsalt": "bpo-kit",
        }
    )


# --- number formats --------------------------------------------------------------------------------------


def millions(value: float, currency: str = "") -> str:
    if pd.isna(value):
        return "–"
    return f"{currency} {value / 1e6:,.1f}m".strip()


def percent(value: float, digits: int = 0) -> str:
    return "–" if pd.isna(value) else f"{value:.{digits}%}"


# --- tables and headers ----------------------------------------------------------------------------------


def header(column: str) -> str:
    """A column name as a reader sees it: ``annual_cost`` -> ``annual cost``, ``fte`` -> ``FTE``."""
    return HEADER_LABELS.get(column, column.replace("_", " "))


def table(
    df: pd.DataFrame,
    formats: Mapping[str, str | Callable] | None = None,
    caption: str = "",
    index: bool = False,
    max_rows: int | None = None,
    colour_by: Mapping[str, Mapping] | None = None,
):
    """Render a table for a report: formatted numbers, escaped text, a caption, no index by default.

    ``formats`` maps a column to a format string (``"{:,.0f}"``) or a function returning text.
    ``max_rows`` shows only the first rows and says how many were left out. ``colour_by`` maps a column to
    {value: colour} to shade its cells (e.g. ``{"status": RAG_COLOURS}``).
    Returns an ``IPython.display.HTML`` object whose text form is stable (good for nbval).
    """
    from IPython.display import HTML

    shown = df if max_rows is None else df.head(max_rows)
    shown = shown.assign(
        **{c: shown[c].map(lambda v, m=m: m.get(v, v)) for c, m in VALUE_LABELS.items() if c in shown.columns}
    )
    headers = {c: header(c) for c in shown.columns}
    shown = shown.rename(columns=headers)
    formats = dict(formats or {})
    if "year" in shown.columns:
        formats.setdefault("year", lambda v: v if isinstance(v, str) else f"{v:.0f}")  # 2024, never 2,024
    formats = {headers.get(c, c): f for c, f in formats.items()}
    styler = shown.style
    # a fixed id keeps the HTML identical from run to run
    # an id derived from the content keeps the HTML identical from run to run and unique per table
    styler.set_uuid("bpo" + hashlib.md5(f"{caption}|{list(shown.columns)}|{len(shown)}".encode()).hexdigest()[:8])
    styler.format(formats, escape="html", na_rep="–", thousands=",", precision=2)
    styler.format_index(escape="html")
    if not index:
        styler.hide(axis="index")
    if caption:
        styler.set_caption(html.escape(caption))
    styler.set_table_attributes('class="bpo-table"')
    for column, colours in (colour_by or {}).items():
        name = headers.get(column, column)
        if name in shown.columns:
            styler.map(
                lambda v, c=colours: f"background-color: {c[v]}; color: white; font-weight: bold" if v in c else "",
                subset=[name],
            )
    numeric = [c for c in shown.columns if pd.api.types.is_numeric_dtype(shown[c])]
    styler.set_properties(subset=numeric, **{"text-align": "right"})
    out = styler.to_html()
    if max_rows is not None and len(df) > max_rows:
        out += f'<p class="bpo-note">Showing {max_rows} of {len(df):,} rows.</p>'
    return HTML(out)


def title_block(client_name: str, title: str, subtitle: str = "", on: str | date | None = None):
    """The report's title block: the client's name (escaped), the report title and the date."""
    from IPython.display import HTML

    if not on:
        on = date.today()
    when = on if isinstance(on, str) else on.strftime("%d %B %Y")
    sub = f'<p class="bpo-subtitle">{html.escape(subtitle)}</p>' if subtitle else ""
    return HTML(
        '<header class="bpo-title">'
        f'<p class="bpo-client">{html.escape(client_name)}</p>'
        f'<h1 class="bpo-heading">{html.escape(title)}</h1>{sub}'
        f'<p class="bpo-date">{html.escape(when)}</p>'
        "</header>"
    )


def note(text: str, kind: str = "info"):
    """A highlighted note (``info``, ``warning`` or ``ok``); ``text`` is escaped."""
    from IPython.display import HTML

    return HTML(f'<div class="bpo-note bpo-{kind}">{html.escape(text)}</div>')


def key_figures(figures: Mapping[str, str]):
    """A row of headline figures (label -> formatted value)."""
    from IPython.display import HTML

    cells = "".join(
        f'<div class="bpo-kpi"><div class="bpo-kpi-value">{html.escape(v)}</div>'
        f'<div class="bpo-kpi-label">{html.escape(k)}</div></div>'
        for k, v in figures.items()
    )
    return HTML(f'<div class="bpo-kpis">{cells}</div>')


def numbered(items: list[str]):
    """A numbered list of sentences (escaped)."""
    from IPython.display import HTML

    return HTML('<ol class="bpo-list">' + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ol>")
