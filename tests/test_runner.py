"""The runner's house-keeping, without kernels: saved results, the atomic swap, leftovers of dead runs, the
report folder checks, and the JSON the runner writes."""

from __future__ import annotations

import json
import math
import os
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers import make_client

from bpo_kit.assessment import Assessment
from bpo_kit.cli import main
from bpo_kit.client import load_client
from bpo_kit.config import DEMO_CLIENT_DIR
from bpo_kit.report import load_results
from bpo_kit.report.run import _swap_into_place, json_safe, remove_leftovers


@pytest.fixture(scope="module")
def demo(demo):
    """The session's demo assessment with every derived result computed, as a run saves it."""
    demo.precompute()
    return demo


def test_saved_results_read_back_exactly(demo, tmp_path):
    demo.save(tmp_path / "results")
    back = Assessment.load(tmp_path / "results", load_client(DEMO_CLIENT_DIR))
    frames = [f for f, v in vars(demo).items() if isinstance(v, pd.DataFrame)]
    assert {"processes", "plan", "evaluated", "profile"} <= set(frames)
    for name in frames:
        pd.testing.assert_frame_equal(getattr(back, name), getattr(demo, name), check_exact=True)
        assert (tmp_path / "results" / f"{name}.parquet").is_file()
    pd.testing.assert_frame_equal(back.inventory.processes, demo.inventory.processes)
    pd.testing.assert_frame_equal(back.monte_carlo(plan=True), demo.monte_carlo(plan=True), check_exact=True)
    pd.testing.assert_frame_equal(back.tornado(), demo.tornado(), check_exact=True)
    assert back.headline() == demo.headline()
    assert str(DEMO_CLIENT_DIR) not in (tmp_path / "results" / "state.pickle").read_bytes().decode("latin-1")


def test_derived_results_are_computed_once_and_handed_out_as_copies(demo, monkeypatch):
    from bpo_kit import business_case

    first = demo.monte_carlo()
    monkeypatch.setattr(business_case, "monte_carlo", lambda *a, **k: pytest.fail("computed twice"))
    first["npv_p50"] = 0.0  # a notebook changing what it got
    again = demo.monte_carlo()
    assert not (again["npv_p50"] == 0.0).all()


def test_notebooks_load_the_saved_results_of_their_client_only(demo, tmp_path, monkeypatch):
    demo.save(tmp_path / "results")
    monkeypatch.chdir(tmp_path)
    import bpo_kit.assessment as assessment

    monkeypatch.setattr(assessment, "assess", lambda *a, **k: pytest.fail("assessed again"))
    a = load_results(DEMO_CLIENT_DIR)
    assert len(a.__dict__["_derived"]) >= 10  # the derived results came with it
    other = make_client(tmp_path / "other", None)
    monkeypatch.setattr(assessment, "assess", lambda folder: "computed")
    assert load_results(other) == "computed"  # another client's results are never used


def test_when_the_final_rename_fails_the_previous_report_is_restored(tmp_path, monkeypatch):
    final, staging = tmp_path / "acme", tmp_path / ".acme.partial-x"
    final.mkdir()
    (final / "index.html").write_text("previous report")
    staging.mkdir()
    (staging / "index.html").write_text("new report")
    real_rename = Path.rename

    def rename(self, target):
        if self == staging:
            raise OSError(28, "No space left on device")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(OSError, match="No space"):
        _swap_into_place(staging, final)
    assert (final / "index.html").read_text() == "previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".acme.partial-x", "acme"]


def test_leftovers_of_dead_runs_are_removed_and_live_ones_kept(tmp_path):
    host = socket.gethostname()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    (tmp_path / f".acme.partial-{host}-{dead_pid}").mkdir()
    (tmp_path / f".acme.partial-{host}-{os.getpid()}").mkdir()  # a run still going
    (tmp_path / f".acme.partial-otherhost-{dead_pid}").mkdir()  # another machine's run on a shared disk
    old = tmp_path / f".acme.old-{host}-{dead_pid}"  # died between its two renames: the previous report
    old.mkdir()
    (old / "index.html").write_text("previous report")
    remove_leftovers(tmp_path, "acme")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f".acme.partial-{host}-{os.getpid()}", f".acme.partial-otherhost-{dead_pid}", "acme"]
    )
    assert (tmp_path / "acme" / "index.html").read_text() == "previous report"


def test_out_inside_a_client_folder_is_refused_before_anything_is_written(tmp_path, capsys):
    client = make_client(tmp_path / "acme", None)
    before = sorted(p.name for p in client.rglob("*"))
    assert main(["run", str(client), "--out", str(client / "reports"), "--quiet"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "error: --out reports: is inside the client folder acme; reports never go into a client's input "
        "folder, choose another output folder"
    ]
    assert sorted(p.name for p in client.rglob("*")) == before


def test_an_unwritable_out_fails_with_one_line(tmp_path, capsys):
    client = make_client(tmp_path / "acme", None)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert main(["run", str(client), "--out", str(blocker / "reports"), "--quiet", "--jobs", "2"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith(f"error: --out {blocker / 'reports'}: cannot write the report there (Not a directory)")


def test_headline_values_become_plain_json():
    h = {"npv": {"p10": np.float64(-1.5), "p50": np.int64(3)}, "irr_base": float("nan"), "top": ("a", None)}
    safe = json_safe(h)
    assert json.loads(json.dumps(safe, allow_nan=False)) == {
        "npv": {"p10": -1.5, "p50": 3},
        "irr_base": None,
        "top": ["a", None],
    }
    assert not any(isinstance(v, float) and math.isnan(v) for v in safe.values())


def test_workers_do_not_all_replace_their_kernels_at_once():
    from bpo_kit.report.kernel import KernelPool

    budgets = [KernelPool(max_uses=40)._budget for _ in range(200)]
    assert min(budgets) >= 20 and max(budgets) <= 40
    assert len(set(budgets)) > 10  # spread, not one number for every worker


def test_a_batch_spread_over_workers_starts_no_kernel_in_the_main_process(tmp_path):
    from bpo_kit.cli import _runs_here, build_parser

    for name in ("north", "south"):
        make_client(tmp_path / name, None)

    def here(*argv: str) -> bool:
        return _runs_here(build_parser().parse_args(["run", *argv]))

    assert here(str(tmp_path / "north"))  # one client: it runs here
    assert not here(str(tmp_path))  # a folder of clients: the workers run them
    assert not here(str(tmp_path / "north"), str(tmp_path / "south"), "--jobs", "2")
    assert here(str(tmp_path), "--jobs", "1")
    assert not here(str(tmp_path / "north"), "--scheduler", "tcp://127.0.0.1:9")


def test_a_warm_kernels_boot_reads_every_reference_table_and_records_the_state_it_restores():
    # a boot that failed half-way left reset() restoring no warnings filters at all (a table without a year column
    # stopped it before it recorded them)
    from bpo_kit.report import warmup

    warmup.run()
    assert warmup._WARNING_FILTERS and warmup._RC
