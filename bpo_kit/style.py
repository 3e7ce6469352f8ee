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
from weakref import WeakKeyDictionary

import numpy as np
import pandas as pd

from . import labels as _labels

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

BPO_TYPE_LABELS = _labels.BPO_TYPES
FUNCTION_LABELS = _labels.FUNCTIONS
#: code values shown to a reader under a readable label, by column (``bpo_kit.labels``)
VALUE_LABELS = _labels.VALUES
#: column headers that are not simply the column's label (``bpo_kit.labels.label``)
HEADER_LABELS: dict[str, str] = {}
FIGSIZE = (9.0, 4.8)
#: a chart's size on the page is set at this density; its image holds twice as many pixels (sharp on paper)
FIGURE_DPI = 96


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
            "figure.dpi": FIGURE_DPI,
            # images saved to files (the deck) at twice the screen's density, like the pages' charts
            "savefig.dpi": 2 * FIGURE_DPI,
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
            # no label smaller than this: month labels of 7 px could not be read
            "xtick.labelsize": 9,
            "ytick.labelsize": 9,
        }
    )
    _show_charts_sharp_with_alt_text()


def _show_charts_sharp_with_alt_text() -> None:
    """In a notebook: charts are shown as PNGs at twice their size on the page (sharp on any screen and on
    paper) carrying their description (:func:`describe`), which the page writes as the image's alt text."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with the kit
        return
    shell = get_ipython()
    if shell is None:
        return
    # the backend first: loading the inline backend (at the first figure) would replace our formatter
    import matplotlib.pyplot as plt

    load_backend = getattr(plt, "_get_backend_mod", None)
    if load_backend is not None:
        load_backend()
    from matplotlib.figure import Figure

    shell.display_formatter.formatters["image/png"].for_type(Figure, figure_png)


def figure_png(fig: Any) -> tuple[str, dict[str, Any]] | None:
    """A figure as a pixel-doubled PNG (base64) with its size on the page and its alt text as metadata."""
    from IPython.core.pylabtools import retina_figure

    made = retina_figure(fig, base64=True, bbox_inches="tight")
    if made is None:
        return None
    data, metadata = made
    alt = description(fig)
    if alt:
        metadata["alt"] = alt
    return data, metadata


# --- what a chart shows ----------------------------------------------------------------------------------

#: what each chart shows, by its Axes (weakly held: a closed figure takes its description with it)
_DESCRIPTIONS: WeakKeyDictionary[Any, str] = WeakKeyDictionary()


def describe(ax: Any, text: str) -> Any:
    """Say in a sentence what the chart on ``ax`` shows; the report writes it as the image's alt text.
    Returns ``ax``."""
    _DESCRIPTIONS[ax] = " ".join(str(text).split())
    return ax


def description(fig: Any) -> str:
    """What a figure shows: the descriptions of its charts, or failing those their titles."""
    axes = list(getattr(fig, "axes", []))
    said = [_DESCRIPTIONS[a] for a in axes if a in _DESCRIPTIONS]
    if said:
        return " ".join(dict.fromkeys(said))
    titles = [t for a in axes if a.get_visible() for t in (a.get_title("left") or a.get_title(),) if t]
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None and suptitle.get_text():
        titles.insert(0, suptitle.get_text())
    return ("Chart: " + "; ".join(dict.fromkeys(titles)) + ".") if titles else ""


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
    """A column name as a reader sees it (``bpo_kit.labels``): ``net_savings`` -> ``Net savings``,
    ``fte`` -> ``FTE``, ``payback_month`` -> ``Payback (months)``."""
    return HEADER_LABELS.get(column) or _labels.label(column)


def label(name: Any) -> str:
    """The display label of a column, parameter, role family, KPI or assumption (``bpo_kit.labels.label``)."""
    return _labels.label(name)


#: a table longer than this shows its first :data:`SHOWN_ROWS` rows and says how many more the workbook holds
LONG_TABLE = 25
SHOWN_ROWS = 20
#: text longer than this (characters) is a sentence: its column keeps a readable width
LONG_TEXT = 40
#: a table with more columns than this is set in a smaller type and printed on a landscape page
WIDE_TABLE = 8
# money columns that are rates, not amounts: their total means nothing
_RATE = re.compile(r"(per_|price|rate|_factor|^low|^mid|^high)")


def _top(values: pd.Series) -> float:
    numbers = pd.to_numeric(values, errors="coerce").abs()
    return float(numbers.max()) if numbers.notna().any() else 0.0


def _in_thousands(value: Any) -> str:
    return f"{value / 1000:,.0f}" if _is_number(value) else str(value)


def _longest(values: pd.Series) -> int:
    return max((len(str(v)) for v in values if isinstance(v, str)), default=0)


def _additive(column: str, kind: str) -> bool:
    """Columns whose total means something: amounts of money and FTE (not prices, rates, shares or scores)."""
    return kind == "fte" or (kind == "money" and not _RATE.search(str(column)))


def _total_columns(df: pd.DataFrame, kinds: Mapping[str, str], totals: bool | list[str] | None) -> list[str]:
    if totals is None:
        # one row per process: its amounts add up to the whole; a table of alternatives (locations, scenarios)
        # must not be totalled, so other tables are totalled only when asked
        totals = "process_id" in df.columns and len(df) > 1
    if totals is True:
        return [c for c in df.columns if _additive(c, kinds.get(c, "text"))]
    if not totals:
        return []
    return [c for c in totals if c in df.columns]


def table(
    df: pd.DataFrame,
    formats: Mapping[str, str | Callable] | None = None,
    caption: str = "",
    index: bool = False,
    max_rows: int | None | bool = None,
    colour_by: Mapping[str, Mapping] | None = None,
    totals: bool | list[str] | None = None,
    headers: Mapping[str, str] | None = None,
    more_in: str | None = None,
    thousands: bool | None = None,
):
    """Render a table for a report: formatted numbers, escaped text, plain-word headers, a caption, totals
    where they add up, and no more rows than a reader needs.

    Each column is written by its kind (:func:`column_kind`: money with thousands separators, percentages,
    FTE to one decimal...), the same rule the workbook uses. ``formats`` overrides a column with a format string
    (``"{:,.0f}"``) or a function returning text. Headers are the columns' display labels (``bpo_kit.labels``:
    ``net_savings`` shows as "Net savings"); ``headers`` overrides some of them. Code values of known columns
    (a function, a role family, a KPI, a setting's name) are shown by their label too.

    ``max_rows`` shows only the first rows and says how many more there are ("and 42 more (all in the
    workbook)" for a table of processes, whose rows are all in the workbook's processes sheet; ``more_in``
    names where another table's rows are). By default a table of more than 25 rows shows its first 20;
    ``max_rows=False`` shows every row. ``totals`` adds a total row: ``True`` totals the columns that add up
    (amounts of money and FTE, not prices, shares or scores), a list names the columns; by default a table of
    processes (with a ``process_id`` column) is totalled, other tables only when asked. The total is always
    over every row, shown or not. A wide table (more than eight columns) writes amounts of money of a million
    or more in thousands, saying so in the header; ``thousands=False`` keeps them whole, ``thousands=True``
    asks for it in any table. ``colour_by`` maps a column to {value: colour} to shade its cells
    (``{"status": RAG_COLOURS}``). Returns an ``IPython.display.HTML`` object whose text form is stable (good
    for nbval).
    """
    from IPython.display import HTML

    if max_rows is None:
        max_rows = SHOWN_ROWS if len(df) > LONG_TABLE else False
    full = df.reset_index() if index else df
    shown = full if max_rows is False or max_rows is True else full.head(int(max_rows))
    overrides = dict(formats or {})
    columns = list(shown.columns)
    kinds = {c: column_kind(c, full[c]) for c in columns}
    numeric = {c for c in columns if kinds[c] not in ("text", "yes/no")}
    num = ' class="num"'
    names = {**{c: header(c) for c in columns}, **dict(headers or {})}
    # the column of sentences (a reason, a mitigation) keeps a readable width when the table is tight
    texts = {c: _longest(shown[c]) for c in columns if kinds[c] == "text"}
    longest = max(texts, key=lambda c: texts[c], default=None)
    long_text = {longest} if longest is not None and texts[longest] > LONG_TEXT else set()
    # a wide table writes amounts of a million or more in thousands: four digits fewer in every cell
    if thousands is None:
        thousands = len(columns) > WIDE_TABLE
    in_thousands = {
        c
        for c in columns
        if thousands and c not in overrides and _additive(c, kinds[c]) and kinds[c] == "money" and _top(full[c]) >= 1e6
    }
    for c in in_thousands:
        overrides[c] = _in_thousands
        names[c] = f"{names[c]} (thousands)"

    long = ' class="bpo-long"'
    # short codes (an ID such as CS-02, a country code) never break at their hyphen
    codes = {c for c, n in texts.items() if 0 < n <= 8 and not shown[c].astype(str).str.contains(" ").any()}
    head = "".join(
        f"<th{num if c in numeric else (long if c in long_text else '')}>{html_text(_labels.breakable(names[c]))}</th>"
        for c in columns
    )

    def cell_text(c: str, value: Any) -> str:
        return format_value(_labels.value_label(c, value), overrides.get(c, NUMBER_FORMATS.get(kinds[c])))

    body = []
    for row in shown.itertuples(index=False, name=None):
        cells = []
        for c, value in zip(columns, row, strict=True):
            text = cell_text(c, value)
            colours = (colour_by or {}).get(c)
            attrs = num if c in numeric else (long if c in long_text else (' class="bpo-code"' if c in codes else ""))
            if colours is not None and not _is_missing(value) and value in colours:
                attrs = f' class="bpo-tag" style="background-color: {html.escape(colours[value])}"'
            cells.append(f"<td{attrs}>{html_text(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    foot = ""
    summed = _total_columns(full, kinds, totals)
    if summed and len(full):
        word = html_text("Total" if len(shown) == len(full) else f"Total of all {len(full):,} rows")
        first = columns.index(summed[0])
        # the label spans the columns before the first total, so that it reads on one line
        cells = [f'<td colspan="{first}">{word}</td>'] if first else []
        for c in columns[first:]:
            if c in summed:
                cells.append(f"<td{num}>{html_text(cell_text(c, pd.to_numeric(full[c], errors='coerce').sum()))}</td>")
            else:
                cells.append("<td></td>")
        if not first:
            cells.insert(0, f"<td>{word}</td>")
            head = "<th></th>" + head
            body = ["<tr><td></td>" + r[4:] for r in body]
        foot = '<tfoot><tr class="bpo-total">' + "".join(cells) + "</tr></tfoot>"
    cap = f"<caption>{html_text(caption)}</caption>" if caption else ""
    wide = len(columns) > WIDE_TABLE
    out = (
        f'<table class="bpo-table{" bpo-wide" if wide else ""}">{cap}<thead><tr>{head}</tr></thead>\n<tbody>\n'
        + "\n".join(body)
        + f"\n</tbody>{foot}</table>"
    )
    if len(shown) < len(full):
        more = len(full) - len(shown)
        # every process is in the workbook's processes sheet; another table's rows are claimed only when named
        where = more_in if more_in is not None else ("the workbook" if "process_id" in full.columns else "")
        place = f" (all in {html_text(where)})" if where else ""
        out += f'<p class="bpo-note bpo-more">… and {more:,} more{place}.</p>'
    if wide:
        # a wide table is printed on a landscape page of its own (report.css, @page wide)
        out = f'<div class="bpo-wide-table">{out}</div>'
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


def appendix(*parts: Any, title: str = "For the consultant: method and settings"):
    """A note for the consultant, set apart from the client's reading (an element of class ``appendix``):
    settings, file names, method notes. ``parts`` are sentences (escaped, one paragraph each) or HTML objects
    made by this module (``table``, ``note``...), shown in order under ``title``.

    A notebook can also tag a markdown or code cell ``appendix``: the page shows that cell the same way."""
    from IPython.display import HTML

    body = []
    for part in parts:
        data = getattr(part, "data", None)
        body.append(data if isinstance(data, str) else f"<p>{html_text(part)}</p>")
    head = f'<p class="bpo-appendix-title">{html_text(title)}</p>' if title else ""
    return HTML(f'<aside class="appendix">{head}{"".join(body)}</aside>')
