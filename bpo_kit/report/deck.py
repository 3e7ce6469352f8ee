"""The summary deck: ``summary.pptx``, the assessment told in nine slides a partner can send to a CFO.

Each slide's title is the sentence the slide proves ("Moving 38 processes saves USD 59.7m over five years"); the
line under it says which figure it is (the middle outcome of the simulation, or the base case). Charts are the
report's own (``bpo_kit.plots``), drawn at twice the screen resolution; titles, bullets and short tables are real
text and real PowerPoint tables, so they can be edited and read aloud. Settings, seeds and file names, meant for
the consultant, go to the speaker notes.

Every figure is read through the assessment's public methods. Client text (names of the client, processes and
providers) is cleaned of control characters before it is written, so that no name can corrupt the file.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from .. import style

if TYPE_CHECKING:
    from pptx.slide import Slide
    from pptx.text.text import TextFrame

    from ..assessment import Assessment

#: 16:9, the shape of every screen a deck is shown on today
SLIDE_WIDTH, SLIDE_HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
BODY_TOP = Inches(1.85)
BODY_BOTTOM = Inches(6.85)
#: how the slides are named inside the file, in order (PowerPoint shows them in the selection pane; tests read them)
SLIDE_NAMES = (
    "title",
    "executive summary",
    "recommended moves",
    "business case",
    "uncertainty",
    "locations",
    "provider",
    "risks",
    "next steps",
)
NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


# --- reading the assessment --------------------------------------------------------------------------------
# The one place that knows the shape of the assessment's results. The headline is moving from flat keys
# (``npv_p50``) to one {p10, p50, p90, base} per figure; towers and the location index arrive with other work.
# Everything below this section reads the normalised forms only.

QUANTILES = ("p10", "p50", "p90", "base")


def _number(value: Any) -> float | None:
    if value is None:
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return None if pd.isna(out) else out


def _band(h: dict, key: str, flat: str | None = None) -> dict[str, float | None]:
    """One headline figure as {p10, p50, p90, base}: the nested form, or the flat ``<flat>_p10`` keys."""
    value = h.get(key)
    if isinstance(value, dict):
        return {q: _number(value.get(q)) for q in QUANTILES}
    prefix = flat or key
    return {q: _number(h.get(f"{prefix}_{q}")) for q in QUANTILES}


def headline(a: Assessment) -> dict:
    """The assessment's headline with every banded figure as {p10, p50, p90, base} (None where unknown) and a
    ``has_plan`` flag; accepts both the earlier flat keys and the agreed nested schema."""
    h = dict(a.headline())
    out = dict(h)
    out["net_savings"] = _band(h, "net_savings")
    out["npv"] = _band(h, "npv")
    out["payback_month"] = _band(h, "payback_month")
    pct = _band(h, "net_savings_pct")
    if pct["p50"] is None:
        pct["p50"] = _number(h.get("net_savings_share_p50"))
    out["net_savings_pct"] = pct
    out["has_plan"] = int(h.get("processes_moved") or 0) > 0
    if out.get("probability_npv_negative") is None and out["has_plan"]:
        mc = a.monte_carlo(plan=True)
        if len(mc) and "chance_of_loss" in mc:
            out["probability_npv_negative"] = _number(mc["chance_of_loss"].iloc[0])
    return out


def towers(a: Assessment) -> pd.DataFrame | None:
    """The recommended moves by tower (``tower``, ``processes``, ``net_savings``, ``npv``), or None while the
    inventory has no towers."""
    method = getattr(a, "by_tower", None)
    if callable(method):
        table = method()
        return table if table is not None and len(table) else None
    if "tower" not in a.processes:
        return None
    names = a.processes.set_index("process_id")["tower"].fillna("").astype(str).str.strip()
    moved = a.plan.dropna(subset=["recommended_location"])
    moved = moved.assign(tower=moved["process_id"].map(names).fillna(""))
    if not len(moved) or (moved["tower"] == "").all():
        return None
    moved = moved.assign(tower=moved["tower"].replace("", "Other (no tower given)"))
    return (
        moved.groupby("tower", sort=False)
        .agg(processes=("process_id", "count"), net_savings=("net_savings", "sum"), npv=("npv", "sum"))
        .reset_index()
        .sort_values("net_savings", ascending=False, kind="stable")
        .reset_index(drop=True)
    )


def attractiveness(a: Assessment) -> pd.Series | None:
    """Each candidate country's attractiveness index (0-100) when the assessment has one, else None."""
    method = getattr(a, "location_index", None)
    if not callable(method):
        return None
    index = method()
    if index is None or "attractiveness" not in index:
        return None
    return index.set_index("country")["attractiveness"]


def captive_warnings(a: Assessment) -> list[str]:
    method = getattr(a, "captive_warnings", None)
    return list(method()) if callable(method) else []


def office_font() -> str:
    """The font for text in office files: one every office program has (the charts keep the kit's own)."""
    return str(getattr(style, "WORKBOOK_FONT", "Arial"))


def palette() -> dict[str, str]:
    """The kit's colours by role (the page palette where ``style`` has one)."""
    roles = getattr(style, "PALETTE", {})
    return {
        "ink": style.INK,
        "accent": style.ACCENT,
        "grey": style.GREY,
        "text": roles.get("text", "#222222"),
        "panel": roles.get("panel", "#F3F5F8"),
        "negative": roles.get("negative", "#C0392B"),
        "paper": "#FFFFFF",
    }


# --- client text --------------------------------------------------------------------------------------------

# every control character (C0, DEL, C1), the two non-characters and lone surrogates: XML cannot hold most of
# them and a reader sees none of them
_NOT_TEXT = re.compile(r"[\x00-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_SPACES = re.compile(r"[\t\n\r\x0b\x0c\x85\u2028\u2029]+")
_BIDI = {"R", "AL", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}


def clean(value: Any) -> str:
    """Text that is safe in the deck: line breaks and tabs become one space, other control characters go, and
    right-to-left text is isolated so that it cannot reorder the words after it."""
    text = _NOT_TEXT.sub("", _SPACES.sub(" ", str(value)))
    if any(unicodedata.bidirectional(c) in _BIDI for c in text):
        text = f"\u2068{text}\u2069"
    return text


# --- words and numbers ---------------------------------------------------------------------------------------


def _money(value: float | None, currency: str) -> str:
    return "–" if value is None else style.millions(value, currency)


def _m(value: float | None) -> str:
    """Millions in a table whose header names the currency and the unit."""
    return "–" if value is None or pd.isna(value) else f"{value / 1e6:,.1f}"


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def _years(n: int) -> str:
    return _count(n, "year") if not 0 <= n < len(NUMBER_WORDS) else f"{NUMBER_WORDS[n]} year{'s' if n != 1 else ''}"


def _words(n: int) -> str:
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else f"{n:,}"


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _countries(codes: Any, names: pd.Series) -> str:
    """``"CO, CR"`` as ``"Colombia, Costa Rica"`` (codes the profile does not name stay codes)."""
    if codes is None or (isinstance(codes, float) and pd.isna(codes)) or not str(codes).strip():
        return "–"
    return ", ".join(clean(names.get(c.strip(), c.strip())) for c in str(codes).split(","))


def _label(text: Any) -> str:
    return clean(text).replace("_", " ")


def _month(m: float | None) -> str:
    return "not within the contract" if m is None else f"month {m:.0f}"


# --- drawing on a slide ----------------------------------------------------------------------------------------


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


@dataclass
class Deck:
    """A presentation being written, with the client's name and date for every footer."""

    prs: Any
    client: str
    when: str
    colours: dict[str, str]
    font: str

    def slide(self, name: str, title: str, kicker: str = "", notes: str = "") -> Slide:
        """A content slide: its action title in the title placeholder, the line saying which figure it is under
        it, a footer, and the consultant's notes."""
        layout = self.prs.slide_layouts[5]  # "Title Only"
        slide = self.prs.slides.add_slide(layout)
        slide._element.cSld.set("name", name)
        shape = slide.shapes.title
        shape.left, shape.top, shape.width, shape.height = MARGIN, Inches(0.25), SLIDE_WIDTH - 2 * MARGIN, Inches(1.15)
        frame = shape.text_frame
        frame.word_wrap = True
        frame.vertical_anchor = MSO_ANCHOR.BOTTOM
        # two lines at 24 points hold about 140 characters; a longer title (a long client or provider name) shrinks
        size = 24 if len(title) <= 140 else 18
        self.write(frame, [title], size=size, bold=True, colour=self.colours["ink"], align=PP_ALIGN.LEFT)
        bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, MARGIN, Inches(1.48), Inches(1.2), Inches(0.05))
        _flat(bar, self.colours["accent"])
        if kicker:
            box = slide.shapes.add_textbox(MARGIN, Inches(1.53), SLIDE_WIDTH - 2 * MARGIN, Inches(0.35))
            self.write(box.text_frame, [kicker], size=13, colour=self.colours["grey"])
        self._footer(slide)
        if notes:
            self.write(slide.notes_slide.notes_text_frame, [notes], size=12)
        return slide

    def _footer(self, slide: Slide) -> None:
        number = len(self.prs.slides)
        box = slide.shapes.add_textbox(MARGIN, Inches(7.0), Inches(10.5), Inches(0.3))
        self.write(
            box.text_frame,
            [f"{_shorten(self.client, 90)} · Outsourcing assessment · {self.when}"],
            size=9,
            colour=self.colours["grey"],
        )
        box = slide.shapes.add_textbox(Emu(SLIDE_WIDTH - MARGIN - Inches(1.0)), Inches(7.0), Inches(1.0), Inches(0.3))
        self.write(box.text_frame, [str(number)], size=9, colour=self.colours["grey"], align=PP_ALIGN.RIGHT)

    def write(
        self,
        frame: TextFrame,
        lines: Sequence[str],
        size: float = 14,
        bold: bool = False,
        colour: str | None = None,
        bullets: bool = False,
        numbered: bool = False,
        align: Any = None,
        space_after: float = 0,
    ) -> None:
        """Write ``lines`` into a text frame, one paragraph each, every line cleaned of control characters."""
        frame.word_wrap = True
        for i, line in enumerate(lines):
            p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            if i == 0:
                for extra in list(p.runs):
                    p._p.remove(extra._r)
            run = p.add_run()
            run.text = clean(line)
            font = run.font
            font.size, font.bold, font.name = Pt(size), bold, self.font
            font.color.rgb = _rgb(colour or self.colours["text"])
            if align is not None:
                p.alignment = align
            if space_after:
                p.space_after = Pt(space_after)
            if bullets or numbered:
                _bullet(p, numbered, self.colours["accent"])

    def text_box(self, slide: Slide, box: tuple[int, int, int, int], lines: Sequence[str], **kw: Any) -> None:
        shape = slide.shapes.add_textbox(*(Emu(v) for v in box))
        self.write(shape.text_frame, lines, **kw)

    def figures(self, slide: Slide, box: tuple[int, int, int, int], items: Sequence[tuple[str, str]]) -> None:
        """A row of key figures: a large value over a short label, each in a tinted panel."""
        left, top, width, height = box
        gap = Inches(0.2)
        each = int((width - gap * (len(items) - 1)) / max(len(items), 1))
        for i, (value, label) in enumerate(items):
            shape = slide.shapes.add_shape(
                MSO_SHAPE.RECTANGLE, Emu(left + i * (each + gap)), Emu(top), Emu(each), Emu(height)
            )
            _flat(shape, self.colours["panel"])
            frame = shape.text_frame
            frame.vertical_anchor = MSO_ANCHOR.MIDDLE
            frame.margin_left = frame.margin_right = Inches(0.12)
            self.write(frame, [value, label], size=14, colour=self.colours["text"], align=PP_ALIGN.LEFT)
            first = frame.paragraphs[0].runs[0].font
            first.size, first.bold = Pt(24), True
            first.color.rgb = _rgb(self.colours["ink"])

    def table(
        self,
        slide: Slide,
        box: tuple[int, int, int, int],
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float] | None = None,
        numeric: Iterable[int] = (),
        total: Sequence[str] | None = None,
        size: float = 12,
    ) -> None:
        """A real PowerPoint table: a dark header row, right-aligned numbers, an optional bold total row."""
        left, top, width, _ = box
        body = [list(r) for r in rows] + ([list(total)] if total else [])
        row_height = Inches(0.28 + 0.14 * size / 12)
        shape = slide.shapes.add_table(
            len(body) + 1, len(header), Emu(left), Emu(top), Emu(width), Emu(row_height * (len(body) + 1))
        )
        table = shape.table
        share = list(widths) if widths else [1.0] * len(header)
        for i, w in enumerate(share):
            table.columns[i].width = Emu(int(width * w / sum(share)))
        right = set(numeric)
        for r, values in enumerate([list(header), *body]):
            is_total = total is not None and r == len(body)
            for c, value in enumerate(values):
                cell = table.cell(r, c)
                cell.margin_left = cell.margin_right = Inches(0.08)
                cell.vertical_anchor = MSO_ANCHOR.MIDDLE
                cell.fill.solid()
                if r == 0:
                    cell.fill.fore_color.rgb = _rgb(self.colours["ink"])
                else:
                    cell.fill.fore_color.rgb = _rgb(self.colours["panel"] if r % 2 == 0 else self.colours["paper"])
                self.write(
                    cell.text_frame,
                    [value],
                    size=size,
                    bold=r == 0 or is_total,
                    colour=self.colours["paper"] if r == 0 else None,
                    align=PP_ALIGN.RIGHT if c in right else PP_ALIGN.LEFT,
                )

    def picture(
        self, slide: Slide, box: tuple[int, int, int, int], draw: Callable[[], Any], alt: str
    ) -> tuple[int, int, int, int]:
        """Draw a chart with the kit's plots, at twice the screen resolution, into ``box`` (kept in proportion and
        centred); ``alt`` says what it shows. Returns where it went."""
        png, (w_in, h_in) = _render(draw)
        left, top, width, height = box
        scale = min(width / Inches(w_in), height / Inches(h_in))
        w, h = int(Inches(w_in) * scale), int(Inches(h_in) * scale)
        at = (left + (width - w) // 2, top + (height - h) // 2, w, h)
        pic = slide.shapes.add_picture(io.BytesIO(png), Emu(at[0]), Emu(at[1]), Emu(w), Emu(h))
        element: Any = pic._element
        element.nvPicPr.cNvPr.set("descr", clean(alt))
        return at


def _flat(shape: Any, colour: str) -> None:
    """A plain filled shape: one colour, no outline, no shadow."""
    shape.fill.solid()
    shape.fill.fore_color.rgb = _rgb(colour)
    shape.line.fill.background()
    shape.shadow.inherit = False


def _bullet(paragraph: Any, numbered: bool, colour: str) -> None:
    """A hanging bullet (or number) on a paragraph of a plain text box."""
    pPr = paragraph._p.get_or_add_pPr()
    pPr.set("marL", str(Inches(0.3)))
    pPr.set("indent", str(-Inches(0.3)))
    for tag in ("a:buClr", "a:buFont", "a:buChar", "a:buAutoNum", "a:buNone"):
        for old in pPr.findall(qn(tag)):
            pPr.remove(old)
    clr = pPr.makeelement(qn("a:buClr"), {})
    srgb = clr.makeelement(qn("a:srgbClr"), {"val": colour.lstrip("#").upper()})
    clr.append(srgb)
    pPr.append(clr)
    if numbered:
        pPr.append(pPr.makeelement(qn("a:buAutoNum"), {"type": "arabicPeriod"}))
    else:
        pPr.append(pPr.makeelement(qn("a:buFont"), {"typeface": "Arial"}))
        pPr.append(pPr.makeelement(qn("a:buChar"), {"char": "•"}))


def _render(draw: Callable[[], Any]) -> tuple[bytes, tuple[float, float]]:
    """PNG bytes of the chart ``draw`` returns (an Axes or an array of them) and its size in inches."""
    import matplotlib as mpl
    import matplotlib.pyplot as plt

    drawn = draw()
    ax = drawn.flat[0] if hasattr(drawn, "flat") else drawn
    fig = ax.figure
    try:
        buf = io.BytesIO()
        # no software tag: the same chart gives the same bytes on every run
        fig.savefig(buf, format="png", dpi=2 * float(mpl.rcParams["figure.dpi"]), metadata={"Software": None})
        w, h = fig.get_size_inches()
        return buf.getvalue(), (float(w), float(h))
    finally:
        plt.close(fig)


def _box(left: float, top: float, width: float, height: float) -> tuple[int, int, int, int]:
    return Inches(left), Inches(top), Inches(width), Inches(height)


# --- the slides --------------------------------------------------------------------------------------------


def _title_slide(d: Deck, a: Assessment, h: dict) -> None:
    slide = d.prs.slides.add_slide(d.prs.slide_layouts[0])
    slide._element.cSld.set("name", SLIDE_NAMES[0])
    slide.background.fill.solid()
    slide.background.fill.fore_color.rgb = _rgb(d.colours["ink"])
    title, subtitle = slide.shapes.title, slide.placeholders[1]
    title.left, title.top, title.width, title.height = Inches(0.8), Inches(2.2), Inches(11.7), Inches(1.6)
    title.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    size = 40 if len(d.client) <= 45 else 28 if len(d.client) <= 120 else 18
    d.write(title.text_frame, [d.client], size=size, bold=True, colour=d.colours["paper"], align=PP_ALIGN.LEFT)
    subtitle.left, subtitle.top, subtitle.width, subtitle.height = Inches(0.8), Inches(4.0), Inches(11.7), Inches(1.4)
    scope = f"{_count(int(h.get('processes') or 0), 'process', 'processes')}, {float(h.get('fte') or 0):,.0f} FTE"
    d.write(
        subtitle.text_frame,
        ["Outsourcing assessment: summary", f"{scope} · {d.when}"],
        size=20,
        colour=d.colours["paper"],
        align=PP_ALIGN.LEFT,
    )
    subtitle.text_frame.paragraphs[1].runs[0].font.size = Pt(14)
    bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(0.8), Inches(3.9), Inches(1.6), Inches(0.06))
    _flat(bar, d.colours["accent"])


def _summary_slide(d: Deck, a: Assessment, h: dict) -> None:
    cur, years = h["currency"], int(h["contract_years"])
    ns, npv, pct, pay = h["net_savings"], h["npv"], h["net_savings_pct"], h["payback_month"]
    draws = int(a.client.config.monte_carlo_draws)
    notes = (
        f"Figures from the Monte Carlo of the recommended plan ({draws:,} draws, seed {a.client.config.seed}); "
        "the base case sets every assumption at its expected value. Full workings: the HTML report and "
        "assessment.xlsx."
    )
    moved = int(h.get("processes_moved") or 0)
    if not h["has_plan"]:
        slide = d.slide(
            SLIDE_NAMES[1],
            "No process has a place to go yet, so there are no savings to show",
            "None of the processes is both movable and fits a priced location that saves money.",
            notes,
        )
        addressable, fte = float(h.get("addressable_fte") or 0), float(h.get("fte") or 0)
        lines = [
            f"{addressable:,.0f} of {fte:,.0f} FTE could be outsourced, automated or shared with a provider; "
            "none has a location that saves money yet."
            if addressable
            else f"None of the {fte:,.0f} FTE works on processes to outsource, automate or share: all are core.",
            "The locations, the fit of each process and the reasons are in the full report.",
        ]
        d.text_box(slide, _box(0.5, 2.1, 12.3, 4.5), lines, size=16, bullets=True, space_after=8)
        return
    title = f"Moving {_count(moved, 'process', 'processes')} saves {_money(ns['p50'], cur)} over {_years(years)}"
    slide = d.slide(
        SLIDE_NAMES[1],
        title,
        f"Net savings after every cost of getting there and of running the deal; the middle outcome (P50) of "
        f"{draws:,} simulated outcomes.",
        notes,
    )
    tiles = [
        (_money(ns["p50"], cur), f"net savings over {_years(years)} (P50)"),
        ("–" if pct["p50"] is None else style.percent(pct["p50"]), "of today's cost of the processes moved"),
        (_money(npv["p50"], cur), f"net present value at {a.client.config.discount_rate:.0%} (P50)"),
    ]
    if pay["p50"] is not None:
        tiles.append((_month(pay["p50"]).capitalize(), "when the plan has paid for itself (P50)"))
    else:
        tiles.append((f"{moved} of {int(h.get('processes') or 0)}", "processes with a place to go"))
    d.figures(slide, _box(0.5, 2.05, 12.3, 1.3), tiles)
    lines = [
        f"Eight outcomes in ten save between {_money(ns['p10'], cur)} and {_money(ns['p90'], cur)}"
        + (f"; the base case saves {_money(ns['base'], cur)}." if ns["base"] is not None else "."),
    ]
    loss = _number(h.get("probability_npv_negative"))
    if loss is not None:
        lines.append(
            "No simulated outcome loses money."
            if loss == 0
            else f"The chance of losing money over the contract is {style.percent(loss)}."
        )
    lines.append(
        f"{float(h.get('addressable_fte') or 0):,.0f} of {float(h.get('fte') or 0):,.0f} FTE, "
        f"{_money(_number(h.get('addressable_cost')), cur)} of {_money(_number(h.get('annual_cost')), cur)} spent "
        "a year, can be outsourced, automated or shared with a provider; the rest is core and stays."
    )
    provider = h.get("recommended_provider")
    lines.append(
        f"Recommended provider: {clean(provider)}."
        if provider
        else "No provider has bid yet: a tender for the recommended moves comes next."
    )
    if h.get("benchmark_check") == "above":
        lines.append(
            "These savings are above what companies report actually realising: confirm the provider prices "
            "before relying on them."
        )
    elif h.get("benchmark_check") == "below":
        lines.append("These savings are below what companies report realising: the move may not be worth its risk.")
    d.text_box(slide, _box(0.5, 3.6, 12.3, 3.2), lines, size=16, bullets=True, space_after=8)


def _tier_rows(by_tier: pd.DataFrame, cur: str) -> tuple[list[list[str]], list[str]]:
    rows = [
        [
            _label(r["tier"]).capitalize(),
            f"{int(r['processes']):,}",
            _m(r["provider_cost"]),
            _m(r["net_savings"]),
            _m(r["npv"]),
        ]
        for _, r in by_tier.iterrows()
    ]
    total = [
        "Total",
        f"{int(by_tier['processes'].sum()):,}",
        _m(by_tier["provider_cost"].sum()),
        _m(by_tier["net_savings"].sum()),
        _m(by_tier["npv"].sum()),
    ]
    return rows, total


def _moves_slide(d: Deck, a: Assessment, h: dict) -> None:
    cur = h["currency"]
    by_tier = a.by_tier()
    counts = a.processes["recommendation"].value_counts()
    mix = [
        f"{_count(int(counts.get('outsource', 0)), 'process', 'processes')} to outsource, "
        f"{int(counts.get('automate', 0))} to automate, {int(counts.get('hybrid', 0))} to share with a provider "
        f"under the client's control (hybrid) and {int(counts.get('retain', 0))} to keep in-house as core."
    ]
    notes = "Tiers are relative to the client's home country: onshore, nearshore (close time zones), offshore."
    if by_tier.empty:
        slide = d.slide(SLIDE_NAMES[2], "No process moves yet: every candidate stays in-house for now", "", notes)
        d.text_box(slide, _box(0.5, 2.1, 12.3, 4.5), mix, size=16, bullets=True)
        return
    top = by_tier.sort_values("net_savings", ascending=False).iloc[0]
    moved = int(by_tier["processes"].sum())
    title = (
        f"{int(top['processes'])} of the {moved} processes moved go {_label(top['tier'])} and bring "
        f"{_money(top['net_savings'], cur)} of the savings"
    )
    slide = d.slide(SLIDE_NAMES[2], title, f"{cur} millions over the contract, base case.", notes)
    header = ["Tier", "Processes", f"Provider cost ({cur} m)", f"Net savings ({cur} m)", f"NPV ({cur} m)"]
    rows, total = _tier_rows(by_tier, cur)
    tower = towers(a)
    width = 6.0 if tower is not None else 7.6
    table_top = 2.45
    d.text_box(slide, _box(0.5, 2.0, width, 0.4), ["By tier"], size=14, bold=True, colour=d.colours["ink"])
    d.table(slide, _box(0.5, table_top, width, 2.0), header, rows, [1.3, 1.2, 1.3, 1.3, 1.2], range(1, 5), total)
    unplaced = int(a.plan["recommended_location"].isna().sum())
    if unplaced:
        mix.append(
            f"{len(a.plan) - unplaced} of the {len(a.plan)} processes to outsource or share have a location that "
            f"fits and saves money; {unplaced} {'has' if unplaced == 1 else 'have'} none yet."
        )
    if tower is None:
        d.text_box(slide, _box(8.5, 2.45, 4.35, 4.3), mix, size=15, bullets=True, space_after=10)
        return
    shown = tower.head(8)
    t_rows = [
        [_label(r["tower"]), f"{int(r['processes']):,}", _m(r["net_savings"]), _m(r["npv"])]
        for _, r in shown.iterrows()
    ]
    if len(tower) > len(shown):
        rest = tower.iloc[len(shown) :]
        t_rows.append(
            [
                f"and {len(rest)} more",
                f"{int(rest['processes'].sum()):,}",
                _m(rest["net_savings"].sum()),
                _m(rest["npv"].sum()),
            ]
        )
    d.text_box(slide, _box(6.8, 2.0, 6.0, 0.4), ["By tower"], size=14, bold=True, colour=d.colours["ink"])
    d.table(
        slide,
        _box(6.8, table_top, 6.0, 2.0),
        ["Tower", "Processes", f"Net savings ({cur} m)", f"NPV ({cur} m)"],
        t_rows,
        [2, 1, 1.2, 1.2],
        numeric=range(1, 4),
        size=11 if len(t_rows) > 5 else 12,
    )
    below = table_top + 0.5 * (max(len(rows) + 1, len(t_rows)) + 1) + 0.2
    d.text_box(slide, _box(0.5, below, 12.3, 6.85 - below), mix, size=14, bullets=True, space_after=6)


def _waterfall_slide(d: Deck, a: Assessment, h: dict) -> None:
    from .. import plots

    cur = h["currency"]
    steps = a.waterfall() if h["has_plan"] else pd.DataFrame(columns=["step", "amount"])
    notes = (
        "Hidden costs after Overby (CIO, 2003): vendor selection, transition, layoffs and retention, process "
        "improvement, lost productivity and managing the contract. Each is an assumption with a range, listed in "
        "the report's business-case section."
    )
    if len(steps) < 2:
        slide = d.slide(SLIDE_NAMES[3], "There is no business case yet: no process has a place to go", "", notes)
        d.text_box(
            slide,
            _box(0.5, 2.1, 12.3, 1.0),
            ["This slide walks the labour saving down to the net saving once a process has a place to go."],
            size=16,
        )
        return
    gross, net = float(steps["amount"].iloc[0]), float(steps["amount"].iloc[-1])
    costs = steps.iloc[1:-1]
    hidden = -float(costs["amount"].sum())
    title = (
        f"Hidden costs take {_money(hidden, cur)} of the {_money(gross, cur)} labour saving; {_money(net, cur)} remains"
    )
    slide = d.slide(
        SLIDE_NAMES[3], title, f"{cur} over the contract, base case (every assumption at its expected value).", notes
    )
    d.picture(
        slide,
        _box(0.5, 1.95, 8.8, 4.9),
        lambda: plots.savings_waterfall(steps, cur),
        f"Waterfall chart: the labour saving of {_money(gross, cur)} less each hidden cost gives net savings of "
        f"{_money(net, cur)} over the contract.",
    )
    lines = []
    if len(costs):
        biggest = costs.sort_values("amount").iloc[0]
        lines.append(
            f"The largest hidden cost is {_label(str(biggest['step']).split(' (')[0]).lower()}: "
            f"{_money(-float(biggest['amount']), cur)}."
        )
    if gross:
        lines.append(f"Hidden costs are {style.percent(hidden / gross)} of the labour saving.")
    one_time = _number(h.get("one_time_costs_base"))
    if one_time is not None:
        lines.append(f"One-time costs of getting there: {_money(one_time, cur)}.")
    share = _number(h.get("hidden_costs_share_of_contract_value"))
    if share is not None:
        lines.append(f"Costs around the contract come to {style.percent(share)} of its value.")
    d.text_box(slide, _box(9.5, 2.2, 3.35, 4.5), lines, size=14, bullets=True, space_after=10)


def _uncertainty_slide(d: Deck, a: Assessment, h: dict) -> None:
    from .. import plots

    cur, npv = h["currency"], h["npv"]
    cfg = a.client.config
    notes = (
        f"Monte Carlo of {int(cfg.monte_carlo_draws):,} draws (seed {cfg.seed}): wage inflation, exchange rates, "
        "productivity, every hidden-cost share and published prices drawn together. The tornado moves one "
        "assumption at a time from its low to its high value."
    )
    if not h["has_plan"]:
        slide = d.slide(SLIDE_NAMES[4], "There is no plan yet whose uncertainty could be measured", "", notes)
        d.text_box(
            slide,
            _box(0.5, 2.1, 12.3, 1.0),
            ["This slide shows the range of outcomes and what drives them once a process has a place to go."],
            size=16,
        )
        return
    loss = _number(h.get("probability_npv_negative"))
    title = f"Nine outcomes in ten keep the net present value above {_money(npv['p10'], cur)}"
    if loss is not None:
        title += "; none loses money" if loss == 0 else f"; the chance of a loss is {style.percent(loss)}"
    slide = d.slide(
        SLIDE_NAMES[4],
        title,
        f"Net present value of the plan at {cfg.discount_rate:.0%}, {cur}: P10, P50 (middle) and P90 of "
        f"{int(cfg.monte_carlo_draws):,} simulated outcomes.",
        notes,
    )
    simulation = a.simulation(plan=True)
    group = simulation.summary.iloc[0]
    draws = simulation.draws[group["group"]] if "group" in group else simulation.draws.iloc[:, 0]
    d.picture(
        slide,
        _box(0.4, 1.95, 6.3, 3.9),
        lambda: plots.npv_distribution(draws, group, cur),
        f"Histogram of the simulated net present value: P10 {_money(npv['p10'], cur)}, P50 "
        f"{_money(npv['p50'], cur)}, P90 {_money(npv['p90'], cur)}.",
    )
    # the widest swings only: a dozen bars would shrink the labels below reading size
    tornado = a.tornado().head(6)
    if len(tornado):
        d.picture(
            slide,
            _box(6.8, 1.95, 6.1, 3.9),
            lambda: plots.tornado(tornado, cur),
            "Tornado chart: the net present value as each assumption moves from its low to its high value, "
            "widest swing on top.",
        )
        lines = [
            f"{_label(r.assumption).capitalize()}: from {_money(r.npv_at_low, cur)} to {_money(r.npv_at_high, cur)}."
            for r in tornado.head(3).itertuples()
        ]
        d.text_box(
            slide,
            _box(0.5, 5.9, 12.3, 0.3),
            ["What moves the value most (net present value with the assumption at its low, then its high value):"],
            size=12,
            bold=True,
        )
        d.text_box(slide, _box(0.5, 6.2, 12.3, 0.7), lines, size=12, bullets=True)


def _locations_slide(d: Deck, a: Assessment, h: dict) -> None:
    from .. import plots

    cur = h["currency"]
    profile = a.profile.set_index("country")
    names = profile["country_name"] if "country_name" in profile else pd.Series(dtype=str)
    tiers = profile["tier"]
    notes = (
        "Each candidate location on its own: the net present value if every process that fits there, and has a "
        "price, went there. The plan picks the location with the highest fit-weighted value for each process."
    )
    by_location = a.by_location() if h["has_plan"] else pd.DataFrame()
    per_location = a.monte_carlo()
    if by_location.empty:
        slide = d.slide(SLIDE_NAMES[5], "No candidate location both fits and saves money yet", "", notes)
        lines = [f"{len(profile)} candidate locations were weighed: " + ", ".join(map(clean, names)) + "."]
        d.text_box(slide, _box(0.5, 2.1, 12.3, 1.5), lines, size=16)
        return
    top = by_location.sort_values("net_savings", ascending=False).iloc[0]
    where = clean(names.get(top["recommended_location"], top["recommended_location"]))
    title = (
        f"{where} takes the most work: {_count(int(top['processes']), 'process', 'processes')} and "
        f"{_money(top['net_savings'], cur)} of the savings"
    )
    slide = d.slide(
        SLIDE_NAMES[5], title, f"{cur} millions over the contract, base case; ranges from the simulation.", notes
    )
    if len(per_location):
        d.picture(
            slide,
            _box(0.4, 1.95, 6.0, 4.9),
            lambda: plots.location_ranges(per_location, tiers, cur),
            "Each candidate location's net present value if every process that fits there went there: P10 to "
            "P90 as a line, P50 as a dot, coloured by tier.",
        )
    index = attractiveness(a)
    header = ["Location", "Tier", "Processes", f"Net savings ({cur} m)", f"NPV ({cur} m)"]
    widths = [1.3, 1.1, 1.0, 1.0, 0.9]
    if index is not None:
        header.append("Location index (0-100)")
        widths.append(1.0)
    rows = []
    for _, r in by_location.iterrows():
        code = r["recommended_location"]
        row = [
            clean(names.get(code, code)),
            _label(tiers.get(code, "")).capitalize(),
            f"{int(r['processes']):,}",
            _m(r["net_savings"]),
            _m(r["npv"]),
        ]
        if index is not None:
            score = _number(index.get(code))
            row.append("–" if score is None else f"{score:.0f}")
        rows.append(row)
    total = [
        "Total",
        "",
        f"{int(by_location['processes'].sum()):,}",
        _m(by_location["net_savings"].sum()),
        _m(by_location["npv"].sum()),
    ] + ([""] if index is not None else [])
    d.table(slide, _box(6.6, 2.1, 6.25, 3.0), header, rows, widths, numeric=range(2, len(header)), total=total, size=11)
    unplaced = int(a.plan["recommended_location"].isna().sum())
    if unplaced:
        d.text_box(
            slide,
            _box(6.6, 2.3 + 0.45 * (len(rows) + 2), 6.25, 0.8),
            [f"{_count(unplaced, 'process', 'processes')} to move has no location that fits and saves money yet."],
            size=12,
            colour=d.colours["grey"],
        )


def _provider_slide(d: Deck, a: Assessment, h: dict) -> None:
    from .. import plots

    cur = h["currency"]
    ranking = a.provider_ranking()
    notes = (
        "Providers are scored 1-5 on each criterion and weighted; a provider missing a must-have (a certification "
        "or a language the work needs) is not ranked. The robustness check redraws the weights at random."
    )
    if ranking is None or ranking.empty:
        moved = int(h.get("processes_moved") or 0)
        if moved:
            title = "No provider has bid yet: a tender for the recommended moves comes next"
            line = (
                "Once providers have bid, this slide ranks them on price, capability and fit for the "
                f"{_count(moved, 'process', 'processes')} to move, and shows how robust the ranking is."
            )
        else:
            title = "No provider is needed until a process has a place to go"
            line = (
                "Once processes have a place to go and providers have bid, this slide ranks the providers on "
                "price, capability and fit, and shows how robust the ranking is."
            )
        slide = d.slide(SLIDE_NAMES[6], title, "", notes)
        d.text_box(slide, _box(0.5, 2.1, 12.3, 1.2), [line], size=16)
        return
    ranked = ranking.dropna(subset=["rank"]).sort_values("rank")
    names = a.profile.set_index("country")["country_name"] if "country_name" in a.profile else pd.Series(dtype=str)
    shares = a.provider_win_shares()
    if ranked.empty:
        slide = d.slide(SLIDE_NAMES[6], "No bid meets the must-haves: the tender needs another round", "", notes)
    else:
        first = clean(ranked.iloc[0]["provider"])
        share = None
        if shares is not None and len(shares):
            hit = shares[shares["provider"] == ranked.iloc[0]["provider"]]
            share = float(hit["win_share"].iloc[0]) if len(hit) else None
        title = f"{first} is the strongest bid" + (
            f": first under {style.percent(share)} of the weightings tried" if share is not None else ""
        )
        slide = d.slide(SLIDE_NAMES[6], title, f"Weighted score 1-5; annual price in {cur}.", notes)
    rows = [
        [
            f"{int(r['rank'])}",
            clean(r["provider"]),
            f"{float(r['weighted_score']):.2f}",
            _m(_number(r.get("annual_price"))),
            _countries(r.get("covers_plan_locations"), names),
        ]
        for _, r in ranked.iterrows()
    ]
    if rows:
        d.table(
            slide,
            _box(0.5, 2.1, 7.0, 2.0),
            ["Rank", "Provider", "Score", f"Price a year ({cur} m)", "Delivers from"],
            rows,
            [0.6, 2.1, 1.0, 1.3, 2.0],
            numeric=(0, 2, 3),
        )
    out = ranking[ranking["rank"].isna()]
    lines = [
        f"Not ranked: {clean(r['provider'])}, {clean(r['disqualified_because']) or 'not qualified'}."
        for _, r in out.iterrows()
    ]
    if lines:
        d.text_box(
            slide, _box(0.5, 2.35 + 0.45 * (len(rows) + 1), 7.0, 2.0), lines, size=12, bullets=True, space_after=4
        )
    if shares is not None and len(shares):
        d.picture(
            slide,
            _box(7.8, 1.95, 5.1, 4.9),
            lambda: plots.win_shares(shares),
            "Bar chart: the share of random weightings of the criteria in which each provider ranks first.",
        )


def _risks_slide(d: Deck, a: Assessment, h: dict) -> None:
    register = a.risk_register()
    top = register.head(5)
    notes = "Risks rated from this plan: likelihood and impact each 1-5, score = likelihood x impact (of 25)."
    if top.empty:
        slide = d.slide(SLIDE_NAMES[7], "No risk stands out for this plan", "", notes)
        return
    lead = top.iloc[0]
    if h["has_plan"]:
        title = (
            f"{_words(len(top)).capitalize()} risks need conditions in the contract; "
            f"{_label(lead['label']).lower()} leads"
        )
        action = "Condition to put in the contract"
    else:
        title = "No move is planned yet: these are the risks to weigh when one is"
        action = "What to do about it"
    slide = d.slide(SLIDE_NAMES[7], title, "Likelihood and impact 1-5; score out of 25.", notes)
    rows = [
        [
            _label(r["label"]),
            f"{int(r['likelihood'])}",
            f"{int(r['impact'])}",
            f"{int(r['score'])}",
            _label(r["mitigation"])[:1].upper() + _label(r["mitigation"])[1:],
        ]
        for _, r in top.iterrows()
    ]
    d.table(
        slide,
        _box(0.5, 2.05, 12.3, 4.0),
        ["Risk", "Likelihood", "Impact", "Score", action],
        rows,
        [2.3, 1.1, 0.8, 0.7, 7.4],
        numeric=(1, 2, 3),
        size=11,
    )
    warnings = captive_warnings(a)
    if warnings:
        d.text_box(slide, _box(0.5, 6.2, 12.3, 0.7), warnings[:1], size=11, colour=d.colours["negative"])


def _next_steps_slide(d: Deck, a: Assessment, h: dict) -> None:
    steps = a.next_steps()
    count = _words(len(steps)).capitalize()
    title = f"{count} steps take the plan to a signed contract" if h["has_plan"] else f"{count} steps come next"
    slide = d.slide(SLIDE_NAMES[8], title, "In order; each comes from an open point of this assessment.")
    size = 16 if len(steps) <= 7 else 14
    d.text_box(slide, _box(0.5, 2.05, 12.3, 4.8), steps, size=size, numbered=True, space_after=8)


SLIDES = (
    _title_slide,
    _summary_slide,
    _moves_slide,
    _waterfall_slide,
    _uncertainty_slide,
    _locations_slide,
    _provider_slide,
    _risks_slide,
    _next_steps_slide,
)


def write_deck(a: Assessment, path: Path, on: date | None = None) -> Path:
    """Write the summary deck of assessment ``a`` to ``path`` (usually ``<report>/summary.pptx``) and return it.

    ``on`` is the date printed on the slides (today when empty); the same assessment and date give the same
    file, byte for byte.
    """
    import matplotlib as mpl

    path = Path(path)
    on = on or date.today()
    h = headline(a)
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    client = clean(h.get("client") or a.client.config.name)
    _properties(prs, client, on)
    deck = Deck(prs=prs, client=client, when=on.strftime("%d %B %Y").lstrip("0"), colours=palette(), font=office_font())
    # the charts take the kit's look without changing it for whoever called us
    with mpl.rc_context():
        style.apply()
        for draw in SLIDES:
            draw(deck, a, h)
    buf = io.BytesIO()
    prs.save(buf)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_stable_zip(buf.getvalue(), on))
    return path


def _properties(prs: Any, client: str, on: date) -> None:
    props = prs.core_properties
    props.title = f"{client}: outsourcing assessment"
    props.subject = "Outsourcing assessment: summary"
    props.author = props.last_modified_by = ""
    props.revision = 1
    stamp = datetime(on.year, on.month, on.day)
    props.created = props.modified = stamp
    props.last_printed = stamp


def _stable_zip(data: bytes, on: date) -> bytes:
    """The same package with every member dated ``on``: a zip otherwise stamps the time it was written."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(on.year, on.month, on.day, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
