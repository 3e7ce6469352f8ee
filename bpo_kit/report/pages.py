"""The small HTML pages around the notebooks: a client's index and the consultant's portfolio index.

Every piece of client text is escaped and isolated (``style.html_text``); every link is URL-encoded, so a folder
named ``Acme #2`` opens ``Acme #2``; clients are named by their folder name, never by a local path. The pages
carry the report pages' stylesheet and load nothing from anywhere.
"""

from __future__ import annotations

import html
import json
import re
from datetime import datetime
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from ..style import html_text, isolated
from .export import stylesheet

# an absolute path (POSIX or Windows) inside a message: shown by its last part only
_LOCAL_PATH = re.compile(r"(?:(?<![\w.])/|\b[A-Za-z]:[\\/]|\\\\)(?:[^\s:;,'\"<>|]+[\\/])+[^\s:;,'\"<>|]*")


def href(*parts: str) -> str:
    """A relative link to ``parts`` joined by ``/``, URL-encoded part by part and escaped for an attribute."""
    return html.escape("/".join(quote(p, safe="") for p in parts))


def folder_name(client: str) -> str:
    """The client's folder name, even when given a path."""
    return PureWindowsPath(PurePosixPath(str(client)).name).name or str(client)


def without_local_paths(text: str) -> str:
    """``text`` with every absolute path replaced by its last part (a file or folder name)."""
    return _LOCAL_PATH.sub(lambda m: PureWindowsPath(PurePosixPath(m.group(0)).name).name, text)


def _page(title: str, body: str, script: str = "") -> str:
    code = f"<script>{script}</script>" if script else ""
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(isolated(title))}'
        f'</title><style>{stylesheet()}</style></head>\n<body class="bpo-index"><main>\n{body}\n</main>{code}'
        "</body></html>\n"
    )


def client_index(
    folder: Path, client_name: str, date_text: str, pages: list[tuple[str, str]], extras: list[tuple[str, str]]
) -> Path:
    """``index.html`` of a client's report: the pages in order, then the workbook and any PDFs."""
    items = "\n".join(f'<li><a href="{href(f)}">{html_text(t)}</a></li>' for f, t in pages)
    more = "\n".join(f'<li><a href="{href(f)}">{html_text(t)}</a></li>' for f, t in extras)
    body = (
        f'<h1>{html_text(client_name)}</h1><p class="sub">Outsourcing assessment · '
        f"{html_text(date_text)}</p>\n<h2>Report</h2><ol>\n{items}\n</ol>\n"
        + (f"<h2>Downloads</h2><ul>\n{more}\n</ul>" if more else "")
    )
    path = folder / "index.html"
    path.write_text(_page(f"{client_name}: outsourcing assessment", body), encoding="utf-8")
    return path


def figure(headline: dict, key: str, which: str = "p50") -> float | None:
    """One figure of ``headline.json``: ``{"p10","p50","p90","base"}`` values give ``which``; plain numbers give
    themselves; an older flat key (``npv_p50``) is understood too; anything missing gives ``None``."""
    value: Any = headline.get(key)
    if isinstance(value, dict):
        value = value.get(which)
    elif value is None:
        value = headline.get(f"{key}_{which}")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _money(v: float | None, cur: str) -> str:
    return "–" if v is None else html_text(f"{cur} {v / 1e6:,.1f}m".strip())


RUN_RECORD = ".bpo-kit-run.json"
HEADLINE = "headline.json"


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def reports_in(out_root: Path) -> list[dict]:
    """Every client report present under ``out_root``: one record per folder holding a report (its
    ``index.html``, ``headline.json`` or run record), with status, date and headline as the last run left them.
    Folders being written (``.name.partial-...``) and hidden folders are not reports."""
    found = []
    try:
        folders = sorted(p for p in out_root.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError:
        return []
    for folder in folders:
        marks = [folder / "index.html", folder / HEADLINE, folder / RUN_RECORD]
        if not any(m.is_file() for m in marks):
            continue
        record = _read_json(folder / RUN_RECORD)
        headline = _read_json(folder / HEADLINE) or record.get("headline") or {}
        finished = str(record.get("finished", "") or "")
        if not finished:
            newest = max((m.stat().st_mtime for m in marks if m.is_file()), default=0.0)
            finished = datetime.fromtimestamp(newest).strftime("%Y-%m-%d %H:%M")
        status = str(record.get("status", "") or ("ok" if (folder / "index.html").is_file() else "failed"))
        found.append(
            {
                "client": folder.name,
                "status": status,
                "finished": finished,
                "headline": headline,
                "error": str(record.get("error", "") or ""),
            }
        )
    return found


def _sortable(value: float | None) -> str:
    return "" if value is None else f"{value:.6g}"


#: sorts the portfolio table by a column when its header is clicked (numbers by value, text by words); no
#: request, no dependency, and the page reads the same without it
SORT_SCRIPT = """
document.querySelectorAll("table.bpo-sortable").forEach(function (table) {
  table.querySelectorAll("th button").forEach(function (button, col) {
    button.addEventListener("click", function () {
      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      var up = button.getAttribute("aria-sort") !== "ascending";
      var key = function (row) { var c = row.cells[col]; return c.getAttribute("data-sort") || c.textContent; };
      var number = /^-?[0-9.]+(e[-+]?[0-9]+)?$/i;
      var numeric = rows.every(function (r) { var k = key(r); return k === "" || number.test(k); });
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        if (numeric) { x = x === "" ? -Infinity : parseFloat(x); y = y === "" ? -Infinity : parseFloat(y); }
        var d = numeric ? x - y : String(x).localeCompare(String(y));
        return up ? d : -d;
      });
      rows.forEach(function (r) { body.appendChild(r); });
      table.querySelectorAll("th button").forEach(function (b) { b.removeAttribute("aria-sort"); });
      button.setAttribute("aria-sort", up ? "ascending" : "descending");
    });
  });
});
"""

NUM = ' class="num"'
#: the portfolio's columns: header, whether it holds numbers
PORTFOLIO_COLUMNS = [
    ("Client", False),
    ("Status", False),
    ("Date", False),
    ("NPV P50", True),
    ("NPV P10 to P90", True),
    ("Net savings P50", True),
    ("Payback P50 (months)", True),
    ("FTE addressable", True),
    ("Detail", False),
]


def portfolio_index(out_root: Path, runs: list[dict], date_text: str) -> Path:
    """``index.html`` of the report folder: every client report present in it, from this batch (``runs``) and
    from earlier ones, with status, date and headline numbers, linking each report; sortable by any column.
    For the consultant; never copied into a client's folder."""
    merged = {r["client"]: r for r in reports_in(out_root)}
    for r in runs:
        name = folder_name(r["client"])
        earlier = merged.get(name, {})
        headline = r.get("headline") or earlier.get("headline") or _read_json(out_root / name / HEADLINE)
        merged[name] = {**r, "client": name, "headline": headline}
    rows = []
    for name in sorted(merged, key=str.casefold):
        r = merged[name]
        h = r.get("headline") or {}
        cur = str(h.get("currency", "") or "")
        status = str(r.get("status", ""))
        has_report = (out_root / name / "index.html").is_file()
        link = (
            f'<a href="{href(name, "index.html")}">{html_text(name)}</a>'
            if status in ("ok", "skipped") or has_report
            else html_text(name)
        )
        detail = (
            html_text(without_local_paths(str(r.get("error", ""))))
            if status == "failed"
            else ("unchanged since the last run" if status == "skipped" else "")
        )
        if status == "failed" and has_report:
            detail += " (the link opens the previous report)"
        p50 = figure(h, "npv")
        npv = _money(p50, cur)
        low, high = figure(h, "npv", "p10"), figure(h, "npv", "p90")
        rng = "–" if low is None and high is None else f"{_money(low, cur)} to {_money(high, cur)}"
        savings = figure(h, "net_savings")
        payback = figure(h, "payback_month")
        moved, total = figure(h, "addressable_fte", "base"), figure(h, "fte", "base")
        fte = "–" if moved is None or total is None else f"{moved:,.0f} of {total:,.0f}"
        cells = [
            f'<td data-sort="{html.escape(name.casefold())}">{link}</td>',
            f'<td class="{html.escape(status)}">{html_text(status)}</td>',
            f'<td class="when">{html_text(r.get("finished", ""))}</td>',
            f'<td class="num" data-sort="{_sortable(p50)}">{npv}</td>',
            f'<td class="num" data-sort="{_sortable(low)}">{rng}</td>',
            f'<td class="num" data-sort="{_sortable(savings)}">{_money(savings, cur)}</td>',
            f'<td class="num" data-sort="{_sortable(payback)}">{"–" if payback is None else f"{payback:,.0f}"}</td>',
            f'<td class="num" data-sort="{_sortable(moved)}">{fte}</td>',
            f"<td>{detail}</td>",
        ]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    head = "".join(
        f'<th{NUM if numeric else ""}><button type="button">{text}</button></th>' for text, numeric in PORTFOLIO_COLUMNS
    )
    body = (
        "<h1>Outsourcing assessments</h1>"
        f'<p class="sub">Portfolio index · {html_text(date_text)} · {len(merged)} clients · '
        "click a column's header to sort by it</p>\n"
        f'<table class="bpo-sortable"><thead><tr>{head}</tr></thead><tbody>\n' + "\n".join(rows) + "\n</tbody></table>"
    )
    path = out_root / "index.html"
    path.write_text(_page("Outsourcing assessments: portfolio", body, script=SORT_SCRIPT), encoding="utf-8")
    return path
