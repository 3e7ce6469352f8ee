"""A warm, reused kernel gives every notebook exactly the outputs of a cold kernel, cell by cell."""

import nbformat
import pytest

from bpo_kit.config import DEMO_CLIENT_DIR, NOTEBOOKS_DIR
from bpo_kit.report.execute import NotebookFailed, execute
from bpo_kit.report.kernel import KernelPool

# end-to-end: runs real reports (kernels, exports); excluded from `make test-fast`
pytestmark = pytest.mark.e2e


def test_warm_and_cold_runs_give_identical_notebooks(tmp_path):
    notebooks = sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
    params = {"client_dir": str(DEMO_CLIENT_DIR)}
    pool = KernelPool()
    try:
        # every notebook twice in the same warm kernel: what one leaves behind must not reach the next
        warm = [execute(nb, params, tmp_path, pool=pool) for i in (1, 2) for nb in notebooks]
    finally:
        pool.close()
    cold = [execute(nb, params, tmp_path) for nb in notebooks] * 2
    compared = 0
    for w, c in zip(warm, cold, strict=False):
        assert len(w.cells) == len(c.cells)
        for wc, cc in zip(w.cells, c.cells, strict=False):
            if wc.cell_type != "code":
                continue
            assert wc.execution_count == cc.execution_count, wc.source[:60]
            assert wc.outputs == cc.outputs, wc.source[:60]  # text, HTML and PNG bytes alike
            compared += 1
    assert compared > 100


def test_a_failed_notebook_retires_its_kernel(tmp_path):
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("raise RuntimeError('stop')")]
    )
    bad = tmp_path / "01_bad.ipynb"
    nbformat.write(nb, bad)
    pool = KernelPool()
    try:
        with pytest.raises(NotebookFailed, match="RuntimeError: stop"):
            execute(bad, {}, tmp_path, pool=pool)
        assert pool._km is None  # never reused after a failure
        good = nbformat.v4.new_notebook(
            cells=[nbformat.v4.new_code_cell("print(sorted(k for k in dir() if k == 'x'))")]
        )
        nbformat.write(good, tmp_path / "02_good.ipynb")
        out = execute(tmp_path / "02_good.ipynb", {}, tmp_path, pool=pool)
        assert out.cells[-1].outputs[0]["text"] == "[]\n"  # the failed notebook's x is gone
    finally:
        pool.close()
