"""Report pages (the template) and index pages, built from small notebooks and run records in memory."""

from __future__ import annotations

import re
from urllib.parse import unquote

import nbformat
import pandas as pd
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from bpo_kit import style
from bpo_kit.report import export, pages

RLO = "\u202e"


def html_output(obj) -> nbformat.NotebookNode:
    return new_output("execute_result", data={"text/html": obj.data, "text/plain": repr(obj)}, execution_count=1)


def page_notebook() -> nbformat.NotebookNode:
    title = style.title_block("Acme <b>Corp</b>", "Locations", "Outsourcing assessment", "1 May 2026")
    table = style.table(pd.DataFrame({"process_name": ["<script>alert(1)</script>"], "annual_cost": [1e6]}))
    return new_notebook(
        cells=[
            new_markdown_cell("# Locations", metadata={"tags": ["remove_cell"]}),
            new_code_cell('client_dir = "/home/someone/clients/acme"', metadata={"tags": ["parameters"]}),
            new_code_cell("style.title_block(...)", outputs=[html_output(title)]),
            new_markdown_cell("An introduction."),
            new_markdown_cell("## Where the *money* is\n\nText.\n\n## Coût, qualité & risque?"),
            new_code_cell("style.table(...)", outputs=[html_output(table)]),
            new_markdown_cell("### A sub-heading stays out of the contents"),
        ]
    )


def test_page_is_lean_with_a_contents_made_by_the_template():
    page = export.to_html(page_notebook(), f"Acme {RLO}Corp: Locations")
    assert len(page.encode()) < 20_000
    assert "<script" not in page and "jp-" not in page and "client_dir" not in page
    assert "/home/someone" not in page
    toc = re.search(r'<nav class="bpo-toc">.*?</nav>', page, re.S)
    assert toc, "no table of contents"
    links = re.findall(r'<a href="#([^"]+)">(.*?)</a>', toc.group(0))
    ids = re.findall(r'<h2 id="([^"]+)"', page)
    assert [i for i, _ in links] == ids and len(ids) == 2
    assert [t for _, t in links] == ["Where the money is", "Coût, qualité &amp; risque?"]
    assert page.index("</header>") < page.index('<nav class="bpo-toc">') < page.index("<h2")
    assert f"<title>\u2068Acme {RLO}Corp: Locations\u2069</title>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "Acme &lt;b&gt;Corp&lt;/b&gt;" in page


def test_page_without_a_title_block_opens_with_its_contents():
    nb = new_notebook(cells=[new_markdown_cell("## Only section\n\nText.")])
    page = export.to_html(nb, "x")
    assert page.index('<nav class="bpo-toc">') < page.index("<h2")


def test_page_without_sections_has_no_contents():
    page = export.to_html(new_notebook(cells=[new_markdown_cell("Just text.")]), "x")
    assert "bpo-toc" not in page.split("</style>", 1)[1]


def run(client: str, status: str = "ok", headline: dict | None = None, error: str = "") -> dict:
    return {"client": client, "status": status, "headline": headline, "error": error, "finished": "2026-05-01 10:00"}


NESTED = {
    "client": "Acme",
    "currency": "EUR",
    "fte": 359.0,
    "addressable_fte": 296.0,
    "npv": {"p10": 21.4e6, "p50": 22.7e6, "p90": 23.9e6, "base": 22.0e6},
}


def test_portfolio_links_open_the_folder_they_name(tmp_path):
    names = ["Acme #2", "Beta 100%", "Zürich AG", "plain"]
    for n in names:
        (tmp_path / n).mkdir()
        (tmp_path / n / "index.html").write_text("report")
    index = pages.portfolio_index(tmp_path, [run(n, headline=NESTED) for n in names], "1 May 2026").read_text()
    hrefs = re.findall(r'<a href="([^"]+)">', index)
    assert sorted(hrefs) == sorted(
        ["Acme%20%232/index.html", "Beta%20100%25/index.html", "Z%C3%BCrich%20AG/index.html", "plain/index.html"]
    )
    for h in hrefs:
        assert (tmp_path / unquote(h)).is_file(), h


def test_portfolio_reads_the_headline_schema_and_tolerates_gaps(tmp_path):
    flat = {"currency": "USD", "npv_p10": 1e6, "npv_p50": 2e6, "npv_p90": 3e6, "fte": 10.0, "addressable_fte": 4.0}
    partial = {"currency": "USD", "npv": {"p50": 5e6}}
    index = pages.portfolio_index(
        tmp_path,
        [run("a", headline=NESTED), run("b", headline=flat), run("c", headline=partial), run("d", headline=None)],
        "1 May 2026",
    ).read_text()
    rows = {re.search(r">(\w)</a>", r).group(1): r for r in index.split("<tr>")[2:]}
    assert "EUR 22.7m</td>" in rows["a"] and "EUR 21.4m to EUR 23.9m" in rows["a"] and "296 of 359" in rows["a"]
    assert "USD 2.0m</td>" in rows["b"] and "USD 1.0m to USD 3.0m" in rows["b"] and "4 of 10" in rows["b"]
    # no range, net savings, payback or FTE for c; nothing at all for d
    assert "USD 5.0m</td>" in rows["c"] and rows["c"].count('data-sort="">–</td>') == 4
    assert rows["d"].count('data-sort="">–</td>') == 5


def test_portfolio_names_clients_by_folder_never_by_path(tmp_path):
    error = "/home/consultant/clients/gamma/inventory.csv: row 3, column fte: expected a number"
    win = r"C:\Users\consultant\clients\delta\client.yaml: no such file"
    index = pages.portfolio_index(
        tmp_path,
        [
            run("/home/consultant/clients/gamma", "failed", error=error),
            run("delta", "failed", error=win),
            run("acme", headline={**NESTED, "client": "/home/consultant/Acme"}),
        ],
        "1 May 2026",
    ).read_text()
    assert "consultant" not in index and "/home" not in index and "Users" not in index
    assert "inventory.csv: row 3, column fte: expected a number" in index
    assert "client.yaml: no such file" in index
    assert ">gamma<" in index and ">acme</a>" in index


def test_client_index_links_and_names_are_safe(tmp_path):
    path = pages.client_index(
        tmp_path,
        f"Acme <b>{RLO}Corp",
        "1 May 2026",
        [("00_summary #1.html", "Summary <i>")],
        [("assessment.xlsx", "Workbook")],
    )
    text = path.read_text()
    assert 'href="00_summary%20%231.html"' in text and "Summary &lt;i&gt;" in text
    assert f"<h1><bdi>Acme &lt;b&gt;{RLO}Corp</bdi></h1>" in text
    assert style.css_variables() in text


def test_portfolio_remembers_reports_of_earlier_runs(tmp_path):
    import json

    earlier = tmp_path / "beta"
    earlier.mkdir()
    (earlier / "index.html").write_text("report")
    (earlier / "headline.json").write_text(
        json.dumps({"currency": "EUR", "npv": {"p50": 3e6}, "net_savings": {"p50": 4.5e6}, "payback_month": {"p50": 9}})
    )
    (earlier / ".bpo-kit-run.json").write_text(json.dumps({"status": "ok", "finished": "2026-04-01 09:00"}))
    for hidden in (".gamma.partial-1", "notes"):
        (tmp_path / hidden).mkdir()  # a report being written, a folder that holds no report
    (tmp_path / "alpha").mkdir()
    (tmp_path / "alpha" / "index.html").write_text("report")
    index = pages.portfolio_index(tmp_path, [run("alpha", headline=NESTED)], "1 May 2026").read_text()
    rows = index.split("<tbody>")[1].split("<tr>")[1:]
    assert [re.search(r'<a href="[^"]+">(\w+)</a>', r).group(1) for r in rows] == ["alpha", "beta"]
    assert "2026-04-01 09:00" in rows[1] and "EUR 3.0m</td>" in rows[1] and "EUR 4.5m</td>" in rows[1]
    assert '<td class="num" data-sort="9">9</td>' in rows[1]
    assert "2 clients" in index and "gamma" not in index and "notes" not in index


def test_portfolio_is_sortable_without_loading_anything(tmp_path):
    index = pages.portfolio_index(tmp_path, [run("a", headline=NESTED)], "1 May 2026").read_text()
    assert index.count("<script>") == 1 and "src=" not in index and "http" not in index
    assert re.findall(r"<th[^>]*><button", index) and 'data-sort="2.27e+07"' in index
