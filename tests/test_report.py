"""End to end: bpo-kit run on a client into a temporary folder, and what the HTML may and may not contain."""

import hashlib
import json
import re
from pathlib import Path

import nbformat
import pytest
from helpers import GOOD_ROW, HEADER, make_client

from bpo_kit.cli import main
from bpo_kit.config import PROJECT_DIR
from bpo_kit.errors import BpoKitError
from bpo_kit.report.run import run_client

# end-to-end: runs real reports (kernels, exports); excluded from `make test-fast`
pytestmark = pytest.mark.e2e


def tree_digest(folder: Path) -> dict:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def demo_report(report_run):
    return report_run


def test_report_folder_has_every_page_and_an_index(demo_report):
    folder, _ = demo_report
    pages = sorted(p.name for p in folder.glob("*.html"))
    notebooks = sorted(p.stem for p in (PROJECT_DIR / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert pages == sorted([f"{n}.html" for n in notebooks] + ["index.html"])
    assert sorted(p.name for p in folder.glob("*.pdf")) == sorted(f"{n}.pdf" for n in notebooks)
    assert (folder / "assessment.xlsx").stat().st_size > 10_000
    index = (folder / "index.html").read_text()
    for n in notebooks:
        assert f'href="{n}.html"' in index
    assert "Acme &lt;b&gt;Corp&lt;/b&gt;" in index
    assert not list(folder.parent.glob(".*partial*"))


def test_html_is_client_ready(demo_report):
    folder, client = demo_report
    for page in folder.glob("[0-9][0-9]_*.html"):
        text = page.read_text()
        assert "data:image/png;base64," in text, page.name
        assert not re.search(r"<script[^>]+src=", text), "no script may load from anywhere"
        assert not re.search(r"(?:src|href)=[\"']https?://", text), "no request to a network"
        assert "<link" not in text or not re.search(r"<link[^>]+href=[\"']http", text)
        for leak in (
            "client_dir",
            "import ",
            "assess(",
            str(client),
            str(PROJECT_DIR),
            "Traceback",
            "injected-parameters",
        ):
            assert leak not in text, f"{page.name} shows {leak!r}"
        # a Python warning printed by a cell (UserWarning, FutureWarning...); the page's own "Warning:" line, which
        # says first that the plan is outside published ranges, is meant for the reader
        assert not re.search(r"\b[A-Z][A-Za-z]*Warning\b", text), page.name
        assert "Acme &lt;b&gt;Corp&lt;/b&gt;" in text
        assert "Acme <b>Corp</b>" not in text


def test_a_client_without_bids_or_kpis_gets_a_note_not_an_error(tmp_path):
    client = make_client(tmp_path / "in" / "plain", None)
    nbs = [PROJECT_DIR / "notebooks" / n for n in ("05_provider_selection.ipynb", "07_kpi_monitoring.ipynb")]
    run_client(client, out_root=tmp_path / "out", notebooks=nbs, progress=False)
    folder = tmp_path / "out" / "plain"
    assert "No providers' bids yet" in (folder / "05_provider_selection.html").read_text()
    assert "No KPI reports yet" in (folder / "07_kpi_monitoring.html").read_text()


def test_executed_notebooks_keep_no_run_metadata_and_no_local_path(demo_report):
    folder, client = demo_report
    for nb_path in folder.glob("*.ipynb"):
        nb = nbformat.read(nb_path, as_version=4)
        assert "papermill" not in nb.metadata
        assert all("papermill" not in cell.metadata for cell in nb.cells)
        (injected,) = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
        assert 'client_dir = "acme"' in injected.source  # the folder's name, never where it is on disk
        assert str(client.parent) not in nb_path.read_text()


def test_the_report_carries_its_headline_and_the_results_the_notebooks_read(demo_report):
    folder, _ = demo_report
    headline = json.loads((folder / "headline.json").read_text())
    assert headline["client"] == "Acme <b>Corp</b>"
    assert headline["processes"] == 63  # the demo's 62 and the hostile row
    assert {"processes.parquet", "plan.parquet", "state.pickle"} <= {p.name for p in (folder / "results").iterdir()}


def test_a_failing_notebook_names_itself_and_leaves_no_report(tmp_path):
    client = make_client(tmp_path / "in" / "acme", None)
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell('client_dir = ""', metadata={"tags": ["parameters"]}),
            nbformat.v4.new_code_cell("raise ValueError('boom at cell two')"),
        ]
    )
    broken = tmp_path / "01_broken.ipynb"
    nbformat.write(nb, broken)
    out = tmp_path / "out"
    with pytest.raises(BpoKitError) as exc:
        run_client(client, out_root=out, notebooks=[broken], progress=False)
    assert exc.value.problems == [
        "notebook 01_broken, in the cell starting `raise ValueError('boom at cell two')`: ValueError: boom at cell two"
    ]
    assert not (out / "acme").exists()
    assert list(out.iterdir()) == []


def test_a_bad_inventory_stops_before_any_notebook_runs(tmp_path, capsys):
    bad = list(GOOD_ROW)
    bad[HEADER.index("fte")] = "lots"
    client = make_client(tmp_path / "acme", [bad])
    assert main(["run", str(client), "--out", str(tmp_path / "out"), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "inventory.csv, row 2, column fte: 'lots' is not a number; expected a number >= 0" in err
    assert not (tmp_path / "out" / "acme").exists()


def test_reports_never_go_into_the_client_folder(tmp_path):
    client = make_client(tmp_path / "acme", None)
    with pytest.raises(BpoKitError, match="inside the client folder"):
        run_client(client, out_root=client / "reports", progress=False)


def test_a_client_that_moves_nothing_gets_notes_not_errors(tmp_path):
    """Every process core: nothing to outsource, no business case, no Monte Carlo; the report still runs."""
    import csv

    client = make_client(tmp_path / "in" / "core", None)
    with open(client / "inventory.csv", newline="") as fh:
        rows = list(csv.reader(fh))
    col = rows[0].index("strategic_importance")
    for r in rows[1:]:
        r[col] = "5"
    with open(client / "inventory.csv", "w", newline="") as fh:
        csv.writer(fh).writerows(rows)
    nbs = [
        PROJECT_DIR / "notebooks" / n
        for n in (
            "00_executive_summary.ipynb",
            "03_locations.ipynb",
            "04_business_case.ipynb",
            "06_risk_register.ipynb",
        )
    ]
    result = run_client(client, out_root=tmp_path / "out", notebooks=nbs, progress=False)
    assert result.headline["processes_moved"] == 0 and result.headline["npv_p50"] == 0.0
    page = (tmp_path / "out" / "core" / "04_business_case.html").read_text()
    assert "No process has a recommended location" in page
