"""The kit's one visual style: colours, fonts, number formats and how client text and tables are written.

Everything a reader sees takes its look from here, so a report reads as one document: the charts (``plots``),
the report pages (their stylesheet's variables come from :func:`css_variables`), the index pages and the
workbook (``report.workbook`` formats its cells with :func:`column_format`). One rule, :func:`column_kind`, says
what a column holds (money, a percentage, FTE, a count...) and so how it is written, on a page and in Excel alike.

Client text is never trusted: :func:`html_text` escapes it, removes control characters and isolates
right-to-left text so that it cannot reorder the page; :func:`plain_text` does the same for files that are not
HTML (the workbook).
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

# --- colours and fonts -----------------------------------------------------------------------------------

#: brand colours, dark to light
INK = "#1F3A5F"
ACCENT = "#D98E04"
GREY = "#8A8F98"
#: losses, breaches and costs in charts; gains and "on target"
NEGATIVE = "#C0392B"
POSITIVE = "#3C8D40"
#: every colour a page or the workbook uses, by role; the pages' stylesheet reads them as CSS variables
PALETTE = {
    "ink": INK,
    "accent": ACCENT,
    "grey": GREY,
    "text": "#222222",
    "muted": "#555555",
    "rule": "#E1E4E8",
    "panel": "#F3F5F8",
    "stripe": "#F7F8FA",
    "info": "#2E7D9A",
    "info-bg": "#EEF5F8",
    "warning": NEGATIVE,
    "warning-bg": "#FBEDEB",
    "ok": POSITIVE,
    "ok-bg": "#EDF6EE",
    "negative": NEGATIVE,
    "positive": POSITIVE,
}
#: one colour per recommendation, tier and RAG status, used by every chart and table
RECOMMENDATION_COLOURS = {"outsource": "#2E7D9A", "automate": "#6BA368", "hybrid": "#D98E04", "retain": "#8C4B6B"}
TIER_COLOURS = {"onshore": "#8C4B6B", "nearshore": "#2E7D9A", "offshore": "#6BA368"}
RAG_COLOURS = {"green": "#3C8D40", "amber": "#E0A100", "red": "#C0392B", "no data": "#B0B4BA"}
#: colours for a chart's series (providers, criteria) in order; more series than colours continue with a
#: seaborn palette, so no series is ever dropped for want of a colour
SERIES_COLOURS = [INK, ACCENT, "#2E7D9A", "#8C4B6B", "#6BA368", "#B0B4BA", "#5B4B8A", "#C0392B"]
#: charts use a font that ships with matplotlib (identical images everywhere); pages fall back to the reader's
#: sans-serif fonts; the workbook uses a font every spreadsheet program has
FONT = "DejaVu Sans"
PAGE_FONTS = f'"{FONT}", "Segoe UI", Helvetica, Arial, sans-serif'
WORKBOOK_FONT = "Arial"

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


def series_colours(n: int) -> list[str]:
    """``n`` distinct colours for a chart's series: the kit's own first, then a seaborn palette."""
    if n <= len(SERIES_COLOURS):
        return SERIES_COLOURS[:n]
    import seaborn as sns

    return SERIES_COLOURS + sns.color_palette("husl", n - len(SERIES_COLOURS)).as_hex()


def css_variables() -> str:
    """The palette and fonts as CSS custom properties (``--bpo-ink``...), for the report and index pages."""
    lines = [f"--bpo-{name}: {colour};" for name, colour in PALETTE.items()]
    lines.append(f"--bpo-font: {PAGE_FONTS};")
    return ":root { " + " ".join(lines) + " }"


def apply() -> None:
    """Set the seaborn/matplotlib look for the whole kit. Call once at the top of a notebook."""
    # imported here: the index pages and the workbook use this module without drawing anything
    import matplotlib as mpl
    import seaborn as sns

    sns.set_theme(context="notebook", style="whitegrid", palette=list(RECOMMENDATION_COLOURS.values()), font=FONT)
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
            "text.color": PALETTE["text"],
            "legend.frameon": False,
            "figure.constrained_layout.use": True,
            # deterministic images: no timestamps or software tags in saved files
            "svg.hashsalt": "bpo-kit",
        }
    )


# --- client text -----------------------------------------------------------------------------------------

# C0 and C1 control characters (tab, line feed and carriage return are kept), DEL, and lone surrogates that
# cannot be written as UTF-8. PowerPoint's line break is a vertical tab, Word's page break a form feed: both
# become a space so that the words either side stay apart.
_BREAKS = str.maketrans({"\x0b": " ", "\x0c": " "})
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_BIDI_CLASSES = {"R", "AL", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}


def plain_text(value: Any) -> str:
    """Client text that is safe to write anywhere: control characters removed (line breaks from PowerPoint and
    Word become spaces) and characters that cannot be stored replaced by ``�``."""
    text = str(value).translate(_BREAKS)
    return _SURROGATE.sub("\ufffd", _CONTROL.sub("", text))


def needs_isolation(text: str) -> bool:
    """True when ``text`` holds right-to-left letters or direction controls that could reorder what follows."""
    return any(unicodedata.bidirectional(c) in _BIDI_CLASSES for c in text)


def isolated(text: Any) -> str:
    """Plain client text wrapped in Unicode isolates (FSI ... PDI) when it could change the direction of the
    text around it: for places that take no markup, such as a page title."""
    clean = plain_text(text)
    return f"\u2068{clean}\u2069" if needs_isolation(clean) else clean


def html_text(value: Any) -> str:
    """Client text for an HTML page: escaped, control characters removed, and right-to-left text or direction
    controls isolated in ``<bdi>`` so that an unclosed override cannot reorder the rest of the page."""
    clean = plain_text(value)
    escaped = html.escape(clean)
    return f"<bdi>{escaped}</bdi>" if needs_isolation(clean) else escaped


# --- number formats --------------------------------------------------------------------------------------


def millions(value: float, currency: str = "") -> str:
    if pd.isna(value):
        return "–"
    return f"{currency} {value / 1e6:,.1f}m".strip()


def percent(value: float, digits: int = 0) -> str:
    return "–" if pd.isna(value) else f"{value:.{digits}%}"


def _general(value: float) -> str:
    """Mixed quantities (an assumption's value, a KPI's target): thousands separated, small numbers as typed."""
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.4g}"


@dataclass(frozen=True)
class NumberFormat:
    """How one kind of number is written: ``text`` on a page, ``excel`` as a spreadsheet number format."""

    kind: str
    text: Callable[[Any], str]
    excel: str


#: one format per kind of column, for the pages and the workbook alike
NUMBER_FORMATS = {
    "money": NumberFormat("money", "{:,.0f}".format, "#,##0"),
    "percent": NumberFormat("percent", "{:.1%}".format, "0.0%"),
    "fte": NumberFormat("fte", "{:,.1f}".format, "#,##0.0"),
    "count": NumberFormat("count", "{:,.0f}".format, "#,##0"),
    "year": NumberFormat("year", "{:.0f}".format, "0"),
    "score": NumberFormat("score", "{:.2f}".format, "0.00"),
    "points": NumberFormat("points", "{:.0f}".format, "0"),
    "hours": NumberFormat("hours", "{:.1f} h".format, '0.0 "h"'),
    "general": NumberFormat("general", _general, "General"),
    "difference": NumberFormat("difference", "{:+,.1f}".format, "+#,##0.0;-#,##0.0;0.0"),
    "number": NumberFormat("number", "{:,.2f}".format, "#,##0.00"),
    "yes/no": NumberFormat("yes/no", lambda v: "yes" if v else "no", "General"),
}
#: what a column holds, from its name; the first rule that matches decides, so the specific come first
#: (``cost_share`` is a percentage before it is money, ``cost_effectiveness`` a score)
KIND_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("year", re.compile(r"^year$")),
    ("percent", re.compile(r"(_pct|_share|^share_|chance_of_loss|automation_potential|^weight$)")),
    ("score", re.compile(r"(fit_score$|^weighted_score$|^cost_effectiveness$|_factor$)")),
    ("hours", re.compile(r"(^overlap_|_overlap$|_hours$)")),
    ("general", re.compile(r"^(value|low|high|mid|low_value|high_value|threshold_value|target|actual|fx_rate)$")),
    (
        "money",
        re.compile(
            r"(cost|price|savings|npv|arbitrage|credits?$|fee$|inhouse|^provider_(low|high)$|_total$|^amount$|"
            r"^vendor_selection$|^transition$|^layoffs|improvement$|productivity$|^governance$|hidden|^net_p\d|"
            r"_client$|^swing$|realised$|expected$)"
        ),
    ),
    ("fte", re.compile(r"(^fte|_fte$)")),
    ("difference", re.compile(r"^distance$")),
    ("points", re.compile(r"^(outsourceability|operational_risk|structural_risk|readiness|english_epi)$")),
    ("count", re.compile(r"(^rank$|^row$|^rows$|^processes|months|_month$|_days$|^score$|^volume$)")),
]


def column_kind(column: str, values: pd.Series | None = None) -> str:
    """What a column holds: ``money``, ``percent``, ``fte``, ``count``, ``year``, ``score``, ``points``,
    ``hours``, ``general``, ``difference``, ``number``, ``yes/no`` or ``text``. The name decides for numbers; a
    column without a rule is a count when it holds whole numbers and a number otherwise."""
    if values is not None and pd.api.types.is_bool_dtype(values):
        return "yes/no"
    numeric = values is None or pd.api.types.is_numeric_dtype(values)
    for kind, rule in KIND_RULES:
        if rule.search(str(column)):
            # a column named like a number but holding text (a KPI's target written as ">= 95 %") stays text
            # unless some of its cells are numbers
            if numeric or _holds_numbers(values):
                return kind
            return "text"
    if values is None or not numeric:
        return "text"
    return "count" if pd.api.types.is_integer_dtype(values) else "number"


def _holds_numbers(values: pd.Series | None) -> bool:
    if values is None:
        return False
    return any(_is_number(v) for v in values.head(200))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)


def column_format(column: str, values: pd.Series | None = None) -> NumberFormat | None:
    """The number format of a column (``None`` for text)."""
    return NUMBER_FORMATS.get(column_kind(column, values))


def _is_missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def format_value(value: Any, fmt: NumberFormat | str | Callable | None) -> str:
    """One cell as text: missing values as ``–``; numbers by ``fmt`` (a :class:`NumberFormat`, a format string
    such as ``"{:,.0f}"`` or a function); text as it is."""
    if not isinstance(value, list | tuple) and _is_missing(value):
        return "–"
    if isinstance(fmt, NumberFormat):
        if fmt.kind == "yes/no" and isinstance(value, bool | np.bool_):
            return fmt.text(value)
        if not _is_number(value) or (isinstance(value, float) and math.isinf(value)):
            return str(value)
        return fmt.text(value)
    if isinstance(fmt, str):
        try:
            return fmt.format(value)
        except (ValueError, TypeError):
            return str(value)
    if callable(fmt):
        return str(fmt(value))
    if isinstance(value, list | tuple):
        return "; ".join(map(str, value))
    return str(value)


# --- tables and headers ----------------------------------------------------------------------------------


def header(column: str) -> str:
    """A column name as a reader sees it: ``annual_cost`` -> ``annual cost``, ``fte`` -> ``FTE``."""
    return HEADER_LABELS.get(column, str(column).replace("_", " "))


def table(
    df: pd.DataFrame,
    formats: Mapping[str, str | Callable] | None = None,
    caption: str = "",
    index: bool = False,
    max_rows: int | None = None,
    colour_by: Mapping[str, Mapping] | None = None,
):
    """Render a table for a report: formatted numbers, escaped text, a caption, no index by default.

    Each column is written by its kind (:func:`column_kind`: money with thousands separators, percentages,
    FTE to one decimal...), the same rule the workbook uses. ``formats`` overrides a column with a format string
    (``"{:,.0f}"``) or a function returning text. ``max_rows`` shows only the first rows and says how many were
    left out. ``colour_by`` maps a column to {value: colour} to shade its cells (``{"status": RAG_COLOURS}``).
    Returns an ``IPython.display.HTML`` object whose text form is stable (good for nbval).
    """
    from IPython.display import HTML

    shown = df if max_rows is None else df.head(max_rows)
    if index:
        shown = shown.reset_index()
    overrides = dict(formats or {})
    columns = list(shown.columns)
    kinds = {c: column_kind(c, shown[c]) for c in columns}
    numeric = {c for c in columns if kinds[c] not in ("text", "yes/no")}
    num = ' class="num"'
    head = "".join(f"<th{num if c in numeric else ''}>{html_text(header(c))}</th>" for c in columns)
    body = []
    for row in shown.itertuples(index=False, name=None):
        cells = []
        for c, value in zip(columns, row, strict=True):
            labels = VALUE_LABELS.get(c)
            if labels is not None and isinstance(value, str):
                value = labels.get(value, value)
            text = format_value(value, overrides.get(c, NUMBER_FORMATS.get(kinds[c])))
            colours = (colour_by or {}).get(c)
            attrs = num if c in numeric else ""
            if colours is not None and not _is_missing(value) and value in colours:
                attrs = f' class="bpo-tag" style="background-color: {html.escape(colours[value])}"'
            cells.append(f"<td{attrs}>{html_text(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{html_text(caption)}</caption>" if caption else ""
    out = (
        f'<table class="bpo-table">{cap}<thead><tr>{head}</tr></thead>\n<tbody>\n'
        + "\n".join(body)
        + "\n</tbody></table>"
    )
    if max_rows is not None and len(df) > max_rows:
        out += f'<p class="bpo-note">Showing {max_rows} of {len(df):,} rows.</p>'
    return HTML(out)


def title_block(client_name: str, title: str, subtitle: str = "", on: str | date | None = None):
    """The report's title block: the client's name (escaped), the report title and the date."""
    from IPython.display import HTML

    if not on:
        on = date.today()
    when = on if isinstance(on, str) else on.strftime("%d %B %Y")
    sub = f'<p class="bpo-subtitle">{html_text(subtitle)}</p>' if subtitle else ""
    return HTML(
        '<header class="bpo-title">'
        f'<p class="bpo-client">{html_text(client_name)}</p>'
        f'<h1 class="bpo-heading">{html_text(title)}</h1>{sub}'
        f'<p class="bpo-date">{html_text(when)}</p>'
        "</header>"
    )


def note(text: str, kind: str = "info"):
    """A highlighted note (``info``, ``warning`` or ``ok``); ``text`` is escaped."""
    from IPython.display import HTML

    return HTML(f'<div class="bpo-note bpo-{html.escape(kind)}">{html_text(text)}</div>')


def key_figures(figures: Mapping[str, str]):
    """A row of headline figures (label -> formatted value)."""
    from IPython.display import HTML

    cells = "".join(
        f'<div class="bpo-kpi"><div class="bpo-kpi-value">{html_text(v)}</div>'
        f'<div class="bpo-kpi-label">{html_text(k)}</div></div>'
        for k, v in figures.items()
    )
    return HTML(f'<div class="bpo-kpis">{cells}</div>')


def numbered(items: list[str]):
    """A numbered list of sentences (escaped)."""
    from IPython.display import HTML

    return HTML('<ol class="bpo-list">' + "".join(f"<li>{html_text(i)}</li>" for i in items) + "</ol>")
