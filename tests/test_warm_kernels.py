"""A warm, reused kernel gives every notebook exactly the outputs of a cold kernel, cell by cell."""

import nbformat
import pytest

from bpo_kit.config import DEMO_CLIENT_DIR, NOTEBOOKS_DIR
from bpo_kit.report.execute import NotebookFailed, execute
from bpo_kit.report.kernel import KernelPool

# end-to-end: runs real reports (kernels, exports); excluded from `make test-fast`
pytestmark = pytest.mark.e2e


#: a notebook that changes everything a kernel keeps between cells besides its namespace
DISTURB = """
import os, random, warnings
import numpy as np
import pandas as pd
os.chdir("/")
pd.set_option("display.max_rows", 3)
pd.set_option("display.precision", 1)
np.random.seed(1)
random.seed(1)
warnings.simplefilter("error")
"""
#: a notebook that shows that state
PROBE = """
import os, random, sys, warnings
import numpy as np
import pandas as pd
print(os.getcwd() == sys.argv[0] or os.getcwd())
print(pd.get_option("display.max_rows"), pd.get_option("display.precision"))
print(np.random.get_state()[1][0] == np.random.RandomState(1).get_state()[1][0])
print(random.getstate() == random.Random(1).getstate())
print([f[0] for f in warnings.filters[:3]], len(warnings.filters))
"""


def _notebook(folder, name, source):
    path = folder / name
    params = nbformat.v4.new_code_cell('client_dir = ""', metadata={"tags": ["parameters"]})
    nbformat.write(nbformat.v4.new_notebook(cells=[params, nbformat.v4.new_code_cell(source)]), path)
    return path


def test_warm_and_cold_runs_give_identical_notebooks(tmp_path):
    extra = tmp_path / "extra"
    extra.mkdir()
    run_in = tmp_path / "report"
    run_in.mkdir()
    disturb, probe = _notebook(extra, "disturb.ipynb", DISTURB), _notebook(extra, "probe.ipynb", PROBE)
    # the disturbing notebook before each report notebook, and the probe at the end
    notebooks = [p for nb in sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")) for p in (disturb, nb)] + [probe]
    params = {"client_dir": str(DEMO_CLIENT_DIR)}
    pool = KernelPool()
    try:
        # every notebook twice in the same warm kernel: what one leaves behind must not reach the next
        warm = [execute(nb, params, run_in, pool=pool) for i in (1, 2) for nb in notebooks]
    finally:
        pool.close()
    cold = [execute(nb, params, run_in) for nb in notebooks] * 2
    assert warm[-1].cells[-1].outputs == cold[-1].cells[-1].outputs
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
