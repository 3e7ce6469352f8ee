"""The small HTML pages around the notebooks: a client's index and the consultant's portfolio index.

Every piece of client text is escaped; the pages carry their own CSS and load nothing from anywhere.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

CSS = """
body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; max-width: 980px; margin: 2em auto;
  color: #222; padding: 0 1.5em; }
h1 { color: #1F3A5F; border-left: 6px solid #1F3A5F; padding-left: 0.5em; margin-bottom: 0.2em; }
.sub { color: #555; margin-top: 0; }
li { margin: 0.45em 0; font-size: 1.05em; } a { color: #1F3A5F; }
table { border-collapse: collapse; font-size: 0.92em; margin-top: 1em; }
th { background: #1F3A5F; color: #fff; text-align: left; padding: 0.4em 0.7em; }
td { padding: 0.35em 0.7em; border-bottom: 1px solid #E1E4E8; }
td.num { text-align: right; }
.ok { color: #3C8D40; font-weight: bold; } .failed { color: #C0392B; font-weight: bold; }
.skipped { color: #8A8F98; font-weight: bold; }
"""


def _page(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{CSS}</style></head>\n<body>\n{body}\n</body></html>\n"
    )


def client_index(
    folder: Path, client_name: str, date_text: str, pages: list[tuple[str, str]], extras: list[tuple[str, str]]
) -> Path:
    """``index.html`` of a client's report: the pages in order, then the workbook and any PDFs."""
    items = "\n".join(f'<li><a href="{html.escape(f)}">{html.escape(t)}</a></li>' for f, t in pages)
    more = "\n".join(f'<li><a href="{html.escape(f)}">{html.escape(t)}</a></li>' for f, t in extras)
    body = (
        f'<h1>{html.escape(client_name)}</h1><p class="sub">Outsourcing assessment · '
        f"{html.escape(date_text)}</p>\n<h2>Report</h2><ol>\n{items}\n</ol>\n"
        + (f"<h2>Downloads</h2><ul>\n{more}\n</ul>" if more else "")
    )
    path = folder / "index.html"
    path.write_text(_page(f"{client_name}: outsourcing assessment", body), encoding="utf-8")
    return path


def _money(v, cur: str) -> str:
    return "–" if v is None else f"{cur} {v / 1e6:,.1f}m"


def portfolio_index(out_root: Path, runs: list[dict], date_text: str) -> Path:
    """``index.html`` of the report folder: every client of the batch with status, date and headline numbers,
    linking each report. For the consultant; never copied into a client's folder."""
    rows = []
    for r in sorted(runs, key=lambda r: r["client"]):
        h = r.get("headline") or {}
        cur = h.get("currency", "")
        name = h.get("client") or r["client"]
        link = (
            f'<a href="{html.escape(r["client"])}/index.html">{html.escape(name)}</a>'
            if r["status"] in ("ok", "skipped")
            else html.escape(name)
        )
        detail = (
            html.escape(r.get("error", ""))
            if r["status"] == "failed"
            else ("unchanged since the last run" if r["status"] == "skipped" else "")
        )
        npv = f"{_money(h.get('npv_p50'), cur)}" if h else "–"
        rng = f"{_money(h.get('npv_p10'), cur)} to {_money(h.get('npv_p90'), cur)}" if h else "–"
        fte = f"{h['addressable_fte']:,.0f} of {h['fte']:,.0f}" if h else "–"
        rows.append(
            f'<tr><td>{link}</td><td class="{r["status"]}">{r["status"]}</td>'
            f'<td>{html.escape(r.get("finished", ""))}</td><td class="num">{npv}</td>'
            f'<td class="num">{rng}</td><td class="num">{fte}</td><td>{detail}</td></tr>'
        )
    body = (
        "<h1>Outsourcing assessments</h1>"
        f'<p class="sub">Portfolio index · {html.escape(date_text)} · {len(runs)} clients</p>\n'
        "<table><thead><tr><th>client</th><th>status</th><th>finished</th><th>NPV P50</th>"
        "<th>NPV P10 to P90</th><th>FTE addressable</th><th>detail</th></tr></thead><tbody>\n"
        + "\n".join(rows)
        + "\n</tbody></table>"
    )
    path = out_root / "index.html"
    path.write_text(_page("Outsourcing assessments: portfolio", body), encoding="utf-8")
    return path


_H2 = re.compile(r'<h2 id="([^"]+)">(.*?)<a class="anchor-link"', re.S)


def add_table_of_contents(page: str) -> str:
    """Insert a table of contents of the page's sections (its ``h2`` headings) after the title block."""
    sections = _H2.findall(page)
    if not sections:
        return page
    links = "".join(
        f'<li><a href="#{anchor}">{re.sub(r"<[^>]+>", "", title).strip()}</a></li>' for anchor, title in sections
    )
    nav = f'<nav class="bpo-toc"><p>Contents</p><ol>{links}</ol></nav>'
    if "</header>" in page:
        return page.replace("</header>", "</header>" + nav, 1)
    return page.replace("<main>", "<main>" + nav, 1)
