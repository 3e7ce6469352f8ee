"""A batch sent to a Dask distributed cluster: one task per client, same isolation and summary as locally."""

import json

import distributed
import pytest
from distributed import LocalCluster
from helpers import make_client

from bpo_kit.cli import main


# end-to-end: runs real reports (kernels, exports); excluded from `make test-fast`
@pytest.mark.e2e
def test_batch_on_a_local_dask_cluster(tmp_path, capsys):
    clients = tmp_path / "clients"
    make_client(clients / "alpha", None)
    broken = make_client(clients / "broken", None)
    (broken / "inventory.csv").write_text("process_id\n")
    out = tmp_path / "reports"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        code = main(["run", str(clients), "--out", str(out), "--scheduler", cluster.scheduler_address, "--quiet"])
    assert code == 1
    summary = json.loads((out / "batch-summary.json").read_text())
    by = {r["client"]: r for r in summary["runs"]}
    assert by["alpha"]["status"] == "ok" and (out / "alpha" / "00_executive_summary.html").exists()
    assert by["broken"]["status"] == "failed" and "required column is missing" in by["broken"]["error"]
    assert not (out / "broken").exists() and not list(out.glob(".*partial*"))


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path, capsys, monkeypatch):
    # the runner waits a while for a scheduler, as a busy cluster may need; nothing listens on port 9, so a
    # one-second wait gives the same answer (and keeps this test in `make test-fast`)
    real = distributed.Client
    waits = []

    def client(address, *args, timeout=None, **kwargs):
        waits.append(timeout)
        return real(address, *args, timeout="1s", **kwargs)

    monkeypatch.setattr(distributed, "Client", client)
    make_client(tmp_path / "c", None)
    assert (
        main(["run", str(tmp_path / "c"), "--out", str(tmp_path / "o"), "--scheduler", "tcp://127.0.0.1:9", "--quiet"])
        == 1
    )
    assert len(waits) == 1  # the runner went through the shortened wait
    assert "cannot reach a Dask scheduler" in capsys.readouterr().err
