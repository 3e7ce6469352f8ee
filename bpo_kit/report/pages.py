"""The small HTML pages around the notebooks: a client's index and the consultant's portfolio index.

Every piece of client text is escaped and isolated (``style.html_text``); every link is URL-encoded, so a folder
named ``Acme #2`` opens ``Acme #2``; clients are named by their folder name, never by a local path. The pages
carry the report pages' stylesheet and load nothing from anywhere.
"""

from __future__ import annotations

import html
import re
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


def _page(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(isolated(title))}'
        f'</title><style>{stylesheet()}</style></head>\n<body class="bpo-index"><main>\n{body}\n</main></body></html>\n'
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


def portfolio_index(out_root: Path, runs: list[dict], date_text: str) -> Path:
    """``index.html`` of the report folder: every client of the batch with status, date and headline numbers,
    linking each report. For the consultant; never copied into a client's folder."""
    rows = []
    for r in sorted(runs, key=lambda r: folder_name(r["client"])):
        h = r.get("headline") or {}
        cur = str(h.get("currency", "") or "")
        name = folder_name(r["client"])
        status = str(r.get("status", ""))
        link = (
            f'<a href="{href(name, "index.html")}">{html_text(name)}</a>'
            if status in ("ok", "skipped")
            else html_text(name)
        )
        detail = (
            html_text(without_local_paths(str(r.get("error", ""))))
            if status == "failed"
            else ("unchanged since the last run" if status == "skipped" else "")
        )
        npv = _money(figure(h, "npv"), cur)
        low, high = figure(h, "npv", "p10"), figure(h, "npv", "p90")
        rng = "–" if low is None and high is None else f"{_money(low, cur)} to {_money(high, cur)}"
        moved, total = figure(h, "addressable_fte", "base"), figure(h, "fte", "base")
        fte = "–" if moved is None or total is None else f"{moved:,.0f} of {total:,.0f}"
        rows.append(
            f'<tr><td>{link}</td><td class="{html.escape(status)}">{html_text(status)}</td>'
            f'<td>{html_text(r.get("finished", ""))}</td><td class="num">{npv}</td>'
            f'<td class="num">{rng}</td><td class="num">{fte}</td><td>{detail}</td></tr>'
        )
    body = (
        "<h1>Outsourcing assessments</h1>"
        f'<p class="sub">Portfolio index · {html_text(date_text)} · {len(runs)} clients</p>\n'
        '<table><thead><tr><th>client</th><th>status</th><th>finished</th><th class="num">NPV P50</th>'
        '<th class="num">NPV P10 to P90</th><th class="num">FTE addressable</th><th>detail</th></tr></thead><tbody>\n'
        + "\n".join(rows)
        + "\n</tbody></table>"
    )
    path = out_root / "index.html"
    path.write_text(_page("Outsourcing assessments: portfolio", body), encoding="utf-8")
    return path
