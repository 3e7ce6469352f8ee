"""PDF copies of the HTML reports, printed by the same headless Chromium the browser tests use.

Nothing is downloaded: the browser is the system's Chromium (Debian's ``chromium`` package), driven by
Playwright's Python API.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ..errors import BpoKitError

#: flags that keep a headless Chromium off the network and quiet on a machine with no display
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def chromium_path() -> str:
    """The system Chromium, or a clear error saying how to get it."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise BpoKitError(
        "no Chromium found; --pdf prints with the system's Chromium: install it with "
        "'sudo apt-get install chromium' (Debian/Ubuntu)"
    )


def print_pdfs(pages: list[Path]) -> list[Path]:
    """Print each HTML page to a PDF beside it (A4, backgrounds on); returns the PDFs."""
    from playwright.sync_api import sync_playwright

    exe = chromium_path()
    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            for html_path in pages:
                page.goto(html_path.resolve().as_uri(), wait_until="load")
                target = html_path.with_suffix(".pdf")
                page.pdf(
                    path=str(target),
                    format="A4",
                    print_background=True,
                    margin={"top": "12mm", "bottom": "12mm", "left": "10mm", "right": "10mm"},
                )
                out.append(target)
        finally:
            browser.close()
    return out
