"""The kit's one style: the column-kind rule behind every number format, tables, client text, colours."""

from __future__ import annotations

import re

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest

from bpo_kit import style
from bpo_kit.report.export import stylesheet

RLO = "\u202e"


@pytest.mark.parametrize(
    ("column", "values", "kind"),
    [
        ("annual_cost", [952000.0], "money"),
        ("cost_per_fte", [68000.0], "money"),
        ("price_per_fte", [25720.0], "money"),
        ("npv_p50", [2.2e7], "money"),
        ("cost_share", [0.29], "percent"),
        ("savings_pct", [0.57], "percent"),
        ("cost_effectiveness", [3.68], "score"),
        ("fit_score", [0.967], "score"),
        ("fte", [14.0], "fte"),
        ("addressable_fte", [296.0], "fte"),
        ("year", [2024], "year"),
        ("overlap_jan", [9.0], "hours"),
        ("payback_month", [8.0], "count"),
        ("top_risk_score", [15], "count"),
        ("outsourceability", [81.2], "points"),
        ("fx_rate", [1.08], "general"),
        ("distance", [-1.7], "difference"),
        ("qualified", [True], "yes/no"),
        ("likelihood", [3], "count"),
        ("points_below_target", [2.8], "number"),
        ("process_name", ["Payroll"], "text"),
        ("target", [">= 95 %"], "text"),
        ("latest_month", ["2026-10"], "text"),
    ],
)
def test_column_kind_from_name_and_values(column, values, kind):
    assert style.column_kind(column, pd.Series(values)) == kind


def cells(out) -> list[list[str]]:
    """The text of each body row of a rendered table."""
    body = out.data.split("<tbody>")[1]
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in body.split("<tr>")[1:]]


def test_table_formats_each_column_by_its_kind():
    df = pd.DataFrame(
        {
            "function": ["finance_accounting"],
            "annual_cost": [952000.4],
            "cost_share": [0.29387],
            "fte": [14.0],
            "year": [2024],
            "fit": [True],
            "note": [None],
        }
    )
    out = style.table(df)
    assert cells(out) == [["Finance &amp; accounting", "952,000", "29.4%", "14.0", "2024", "yes", "–"]]
    assert '<th class="num">Annual cost</th>' in out.data and "<th>Function</th>" in out.data


def test_numpy_values_in_text_columns_are_formatted_too():
    assert style.format_value(np.int64(1234), style.NUMBER_FORMATS["count"]) == "1,234"
    assert style.format_value(np.float64(0.5), style.NUMBER_FORMATS["percent"]) == "50.0%"
    assert style.format_value(np.bool_(True), style.NUMBER_FORMATS["yes/no"]) == "yes"
    assert style.format_value(float("inf"), style.NUMBER_FORMATS["money"]) == "inf"


def test_formats_argument_still_overrides_a_column():
    df = pd.DataFrame({"cost_share": [0.29387], "plan_above_range": [False]})
    out = style.table(df, formats={"cost_share": "{:.0%}", "plan_above_range": lambda v: "above" if v else "within"})
    assert cells(out) == [["29%", "within"]]


def test_the_workbook_and_the_pages_share_one_rule():
    for kind, fmt in style.NUMBER_FORMATS.items():
        assert fmt.kind == kind and fmt.excel
    assert style.column_format("annual_cost", pd.Series([1.0])).excel == "#,##0"
    assert style.column_format("cost_share", pd.Series([0.1])).excel == "0.0%"
    assert style.column_format("process_name", pd.Series(["x"])) is None


def test_table_caption_rows_note_and_colours():
    df = pd.DataFrame({"kpi": ["sla", "quality", "cost"], "latest_status": ["green", "red", "purple"]})
    out = style.table(df, caption="KPIs <b>", max_rows=2, colour_by={"latest_status": style.RAG_COLOURS})
    assert "<caption>KPIs &lt;b&gt;</caption>" in out.data
    assert f'style="background-color: {style.RAG_COLOURS["green"]}"' in out.data
    assert "… and 1 more.</p>" in out.data  # not a table of processes: no place is claimed for the rest
    elsewhere = style.table(df, max_rows=1, more_in="the workbook's kpis sheet")
    assert "… and 2 more (all in the workbook&#x27;s kpis sheet).</p>" in elsewhere.data
    assert "purple" not in out.data  # the third row is not shown


def test_table_of_no_rows_has_its_header():
    out = style.table(pd.DataFrame({"annual_cost": pd.Series([], dtype=float)}), caption="Nothing")
    assert '<th class="num">Annual cost</th>' in out.data and cells(out) == []


def test_the_same_table_renders_to_the_same_html():
    df = pd.DataFrame({"annual_cost": [1.0, 2.0], "process_name": ["a", "b"]})
    assert style.table(df, caption="x").data == style.table(df.copy(), caption="x").data


def test_client_text_is_escaped_and_cleaned():
    assert style.html_text("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert style.html_text("Pay\x0broll\x00 run\x1b") == "Pay roll run"
    assert style.plain_text("Line\x0bbreak\x0cpage\x07") == "Line break page"
    assert style.plain_text("tab\tand\nnew line") == "tab\tand\nnew line"
    assert style.plain_text("bad \ud800 half") == "bad \ufffd half"


def test_right_to_left_text_is_isolated():
    assert style.html_text(f"Acme {RLO}Corp") == f"<bdi>Acme {RLO}Corp</bdi>"
    assert style.html_text("שלום") == "<bdi>שלום</bdi>"
    assert style.html_text("Acme Corp") == "Acme Corp"
    assert style.isolated(f"Acme {RLO}Corp") == f"\u2068Acme {RLO}Corp\u2069"
    assert style.isolated("Acme") == "Acme"


def test_every_html_helper_treats_its_text_as_client_text():
    name = f"<b>Acme</b>{RLO}\x0b"
    for out in (
        style.title_block(name, name, name, "1 May 2026"),
        style.note(name),
        style.key_figures({name: name}),
        style.numbered([name]),
        style.table(pd.DataFrame({name: [name]}), caption=name),
    ):
        assert "<b>Acme" not in out.data and "\x0b" not in out.data
        assert f"<bdi>&lt;b&gt;Acme&lt;/b&gt;{RLO} </bdi>" in out.data


def test_colours_and_fonts_are_defined_once():
    css = stylesheet()
    assert style.css_variables() in css
    for name, colour in style.PALETTE.items():
        assert f"--bpo-{name}: {colour};" in css
    rules = css.split(style.css_variables(), 1)[1]
    assert set(re.findall(r"#[0-9A-Fa-f]{3,6}\b", rules)) <= {"#fff"}, "a colour outside style.PALETTE"
    assert "var(--bpo-font)" in rules and style.FONT in style.PAGE_FONTS


def test_apply_sets_the_chart_font_and_colours():
    style.apply()
    assert mpl.rcParams["font.family"][0] == style.FONT or style.FONT in mpl.rcParams["font.sans-serif"]
    assert mpl.rcParams["text.color"] == style.PALETTE["text"]


def test_series_colours_never_run_out():
    assert style.series_colours(3) == style.SERIES_COLOURS[:3]
    many = style.series_colours(12)
    assert len(many) == 12 and len(set(many)) == 12


def test_headers_and_code_values_read_as_plain_words():
    df = pd.DataFrame(
        {
            "role_family": ["back_office_transactional"],
            "net_savings": [2.6e6],
            "payback_month": [8],
            "parameter": ["weights.strategic_importance"],
            "some_new_column": ["x"],
        }
    )
    out = style.table(df, headers={"some_new_column": "Chosen words"})
    heads = re.findall(r"<th(?: [^>]*)?>(.*?)</th>", out.data)
    assert heads == ["Role family", "Net savings", "Payback (months)", "Setting", "Chosen words"]
    assert cells(out) == [["Back-office transactional", "2,600,000", "8", "Weight of strategic importance", "x"]]
    assert style.label("fx_EUR_USD") == "Exchange rate EUR to USD"
    assert style.label("npv_p50") == "NPV P50"
    assert style.label("unknown_fte_total") == "Unknown FTE total"


def per_process(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "process_id": [f"P-{i}" for i in range(n)],
            "fte": [1.5] * n,
            "annual_cost": [100_000.0 + i for i in range(n)],
            "price_per_fte": [30_000.0] * n,
            "savings_pct": [0.2] * n,
        }
    )


def test_long_tables_show_the_first_rows_and_total_every_row():
    out = style.table(per_process(62))
    body = cells(out)
    assert len(body) == 20 and body[0][0] == "P-0" and body[-1][0] == "P-19"
    assert "… and 42 more (all in the workbook)." in out.data
    total = re.search(r'<tfoot><tr class="bpo-total">(.*?)</tr></tfoot>', out.data).group(1)
    # the total is over all 62 processes; a price and a percentage are not added up
    assert re.findall(r"<td[^>]*>(.*?)</td>", total) == ["Total of all 62 rows", "93.0", f"{6_201_891:,}", "", ""]


def test_short_tables_show_every_row_and_tables_of_alternatives_are_not_totalled():
    out = style.table(per_process(25))
    assert len(cells(out)) == 25 and "more (all in" not in out.data
    assert re.search(r"<tfoot>.*>Total<", out.data)
    locations = pd.DataFrame({"country": ["PL", "IN"], "npv": [1e6, 2e6]})
    assert "<tfoot>" not in style.table(locations).data
    totalled = style.table(locations, totals=["npv"], max_rows=False)
    assert ">3,000,000<" in totalled.data
    assert len(cells(style.table(per_process(40), max_rows=False))) == 40


def test_wide_tables_are_marked_for_a_landscape_page():
    wide = pd.DataFrame({f"c{i}": [1] for i in range(9)})
    assert 'class="bpo-wide-table"' in style.table(wide).data
    assert "bpo-wide" not in style.table(wide.iloc[:, :8]).data
    assert "@page wide" in stylesheet() and "page: wide" in stylesheet()


def test_appendix_holds_consultant_notes_apart():
    out = style.appendix("Settings come from client.yaml <b>", style.table(pd.DataFrame({"value": [1.0]})))
    assert out.data.startswith('<aside class="appendix">')
    assert "client.yaml &lt;b&gt;" in out.data and "<table" in out.data


def test_charts_carry_what_they_show_as_alt_text():
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2)
    left.set_title("Cost")
    assert style.description(fig) == "Chart: Cost."
    style.describe(left, "Bar chart of  cost.")
    style.describe(right, "Line chart of savings.")
    assert style.description(fig) == "Bar chart of cost. Line chart of savings."
    data, metadata = style.figure_png(fig)
    assert metadata["alt"] == "Bar chart of cost. Line chart of savings."
    # twice as many pixels as the size it is shown at
    import base64
    import struct

    width = struct.unpack(">I", base64.b64decode(data)[16:20])[0]
    assert width == 2 * metadata["width"]
    plt.close(fig)


def test_wide_tables_write_large_amounts_in_thousands():
    wide = per_process(3).assign(**{f"score_{i}": [1.0, 2.0, 3.0] for i in range(5)}, npv=[2.5e6, 1.2e6, 0.4e6])
    out = style.table(wide)
    heads = re.findall(r"<th(?: [^>]*)?>(.*?)</th>", out.data)
    assert "NPV (thousands)" in heads and "Annual cost" in heads  # annual costs under a million stay whole
    body = out.data.split("<tbody>")[1].split("</tbody>")[0]
    assert [re.findall(r"<td[^>]*>(.*?)</td>", r)[-1] for r in body.split("<tr>")[1:]] == ["2,500", "1,200", "400"]
    total = re.search(r"<tfoot>(.*?)</tfoot>", out.data).group(1)
    assert ">4,100</td>" in total
    assert "NPV (thousands)" not in style.table(wide, thousands=False).data
