"""The demo reports as a person sees them: headless Chromium (Debian's package, driven by Playwright), with the
network off. `make test` installs Chromium where it is missing; this test is never skipped."""

import pytest
from conftest import SCRIPT_NAME

from bpo_kit.report.pdf import CHROMIUM_ARGS, chromium_path

# end-to-end: runs real reports (kernels, exports); excluded from `make test-fast`
pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield b
        b.close()


def open_page(browser, path):
    """A page with the network off: any request that is not for a local file is recorded and refused."""
    context = browser.new_context(offline=True, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    seen = {"console": [], "failed": [], "remote": [], "dialogs": []}
    page.on("console", lambda m: seen["console"].append(m.text) if m.type == "error" else None)
    page.on("requestfailed", lambda r: seen["failed"].append(r.url))
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))

    def gate(route):
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            seen["remote"].append(route.request.url)
            route.abort()

    page.route("**/*", gate)
    page.goto(path.as_uri(), wait_until="load")
    return page, seen


def test_every_report_page_renders_cleanly(browser, report_run):
    folder, _ = report_run
    pages = sorted(folder.glob("*.html"))
    assert len(pages) >= 8
    for path in pages:
        page, seen = open_page(browser, path)
        assert seen == {"console": [], "failed": [], "remote": [], "dialogs": []}, path.name
        sizes = page.eval_on_selector_all(
            "img", "els => els.map(e => [e.complete, e.naturalWidth, e.getBoundingClientRect().width])"
        )
        if path.name != "index.html":
            assert sizes, f"{path.name} has no chart"
        assert all(done and w > 0 and shown > 0 for done, w, shown in sizes), path.name
        page.context.close()


def test_table_of_contents_links_land_on_their_sections(browser, report_run):
    folder, _ = report_run
    for path in sorted(folder.glob("0[0-6]_*.html")):
        page, _ = open_page(browser, path)
        links = page.eval_on_selector_all("nav.bpo-toc a", "els => els.map(e => e.getAttribute('href'))")
        assert links, f"{path.name} has no table of contents"
        for href in links:
            page.click(f'nav.bpo-toc a[href="{href}"]')
            where = page.evaluate(
                "id => { const el = document.getElementById(id); if (!el) return null;"
                " const r = el.getBoundingClientRect(); return [r.top, window.innerHeight]; }",
                href[1:],
            )
            assert where is not None, f"{path.name}: {href} has no section"
            top, height = where
            assert -2 <= top < height, f"{path.name}: {href} is not in view after the click"
            assert page.evaluate("location.hash") == href
        page.context.close()


def test_client_text_shows_as_text(browser, report_run):
    import pandas as pd

    from bpo_kit import style

    folder, _ = report_run
    page, seen = open_page(browser, folder / "02_outsourceability.html")
    assert page.locator("text=Acme <b>Corp</b>").count() >= 1
    assert seen["dialogs"] == []
    page.context.close()
    # the process named like a script is the 63rd: long tables now show their first 20 rows, so it is shown
    # here the way every report table shows a process's name
    page = browser.new_context(offline=True).new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.set_content(str(style.table(pd.DataFrame({"process_id": ["ZZ-99"], "process_name": [SCRIPT_NAME]})).data))
    assert page.get_by_text(SCRIPT_NAME, exact=True).count() == 1 and dialogs == []
    page.context.close()


WORD_POSITIONS = """() => { const p = document.getElementById('p'); const text = p.lastChild;
    const at = (i) => { const r = document.createRange(); r.setStart(text, i); r.setEnd(text, i + 1);
    return r.getBoundingClientRect().left; };
    const s = text.textContent; return [at(s.indexOf('plain')), at(s.indexOf('words'))]; }"""


def test_right_to_left_overrides_in_client_text_cannot_reorder_what_follows(browser):
    from bpo_kit import style

    page = browser.new_context(offline=True).new_page()
    name = "Acme \u202eCorp"  # an override opened and never closed, as pasted from another program
    page.set_content(f'<p id="p">{style.html_text(name)} then plain words</p>')
    plain, words = page.evaluate(WORD_POSITIONS)
    assert plain < words, "the words after the client's name are drawn right to left"
    # the same text without isolation: the override reverses them (else this test would prove nothing)
    page.set_content(f'<p id="p">{name} then plain words</p>')
    plain, words = page.evaluate(WORD_POSITIONS)
    assert plain > words
    page.context.close()


def report_pages(folder):
    return sorted(p for p in folder.glob("[0-9][0-9]_*.html"))


TABLES_INSIDE = """() => Array.from(document.querySelectorAll('table')).map(t => {
    const box = t.parentElement.closest('main');
    const style = getComputedStyle(box);
    const right = box.getBoundingClientRect().right - parseFloat(style.paddingRight);
    const caption = t.querySelector('caption');
    return [caption ? caption.textContent : t.rows[0].textContent, t.getBoundingClientRect().right - right];
  }).concat([['the page', document.documentElement.scrollWidth - document.documentElement.clientWidth]])"""


def test_no_table_is_wider_than_its_column_at_1280_px(browser, report_run):
    folder, _ = report_run
    for path in report_pages(folder):
        context = browser.new_context(offline=True, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(path.as_uri(), wait_until="load")
        over = [(what, round(by)) for what, by in page.evaluate(TABLES_INSIDE) if by > 1]
        assert over == [], f"{path.name}: wider than the column by (px): {over}"
        context.close()


def pdf_words(pdf) -> set[str]:
    """The words of a PDF's text (pdftotext from poppler-utils), with words broken at a line's end joined again
    (a soft hyphen, or a hyphen, before the line break)."""
    import re
    import shutil
    import subprocess

    exe = shutil.which("pdftotext")
    assert exe, "pdftotext is missing: install it with 'sudo apt-get install poppler-utils' (Debian/Ubuntu)"
    text = subprocess.run([exe, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    joined = re.sub("(\u00ad[-\u2010]?|[-\u2010])\n", "", text.replace("\u00ad\u2010", "\u00ad"))
    return set(words(text)) | set(words(joined))


def words(text: str) -> list[str]:
    """The words of a text; a soft hyphen separates, since a header may break there on paper."""
    import re

    return re.findall(r"[^\W_]+", text.lower())


def test_every_column_header_on_screen_is_on_paper(browser, report_run):
    folder, _ = report_run
    for path in report_pages(folder):
        page, _ = open_page(browser, path)
        headers = page.eval_on_selector_all("th", "els => els.map(e => e.textContent)")
        page.context.close()
        on_paper = pdf_words(path.with_suffix(".pdf"))
        missing = [h for h in headers if not set(words(h)) <= on_paper]
        assert missing == [], f"{path.name}: headers not in the PDF (cut off?): {missing}"


GENERIC_ALT = {"", "no description has been provided for this image", "image", "chart", "figure"}


def test_every_chart_says_what_it_shows(browser, report_run):
    folder, _ = report_run
    for path in report_pages(folder):
        page, _ = open_page(browser, path)
        alts = page.eval_on_selector_all("img", "els => els.map(e => e.getAttribute('alt') || '')")
        page.context.close()
        for alt in alts:
            assert alt.strip().lower() not in GENERIC_ALT and len(alt) > 40, f"{path.name}: alt text {alt!r}"
        assert len(set(alts)) == len(alts), f"{path.name}: two charts with the same alt text"


def test_portfolio_index_sorts_without_errors_or_requests(browser, tmp_path):
    import json

    from bpo_kit.report import pages

    for name, npv in (("beta", 3e6), ("alpha", 12e6), ("gamma", -1e6)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.html").write_text("report")
        (tmp_path / name / "headline.json").write_text(json.dumps({"currency": "EUR", "npv": {"p50": npv}}))
    index = pages.portfolio_index(tmp_path, [], "1 May 2026")
    page, seen = open_page(browser, index)

    def clients():
        return page.eval_on_selector_all("tbody tr td:first-child", "els => els.map(e => e.textContent)")

    assert clients() == ["alpha", "beta", "gamma"]
    page.get_by_role("button", name="NPV P50").click()
    assert clients() == ["gamma", "beta", "alpha"]
    page.get_by_role("button", name="NPV P50").click()
    assert clients() == ["alpha", "beta", "gamma"]
    page.get_by_role("button", name="Client").click()
    page.get_by_role("button", name="Client").click()
    assert clients() == ["gamma", "beta", "alpha"]
    assert seen == {"console": [], "failed": [], "remote": [], "dialogs": []}
    page.context.close()
