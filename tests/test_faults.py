"""A batch killed or interrupted for real: no process left running, nothing that looks like a report, one line
for the user; and a client whose reader crashes natively fails alone."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import copy_demo, make_client

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc"),
]
BPO_KIT = [sys.executable, "-c", "import sys; from bpo_kit.cli import main; sys.exit(main())"]


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (from /proc), kernels in their own sessions included."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            found.add(c)
            todo.append(c)
    return found


def running(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


def start_batch(tmp_path: Path) -> tuple[subprocess.Popen, Path, set[int]]:
    """Two clients on two workers, started in a session of their own (like a terminal), once both have begun
    writing their reports."""
    for name in ("north", "south"):
        make_client(tmp_path / "clients" / name, None)
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [*BPO_KIT, "run", str(tmp_path / "clients"), "--jobs", "2", "--out", str(out), "--quiet"],
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while len(list(out.glob(".*.partial-*"))) < 2:
        assert time.monotonic() < deadline and proc.poll() is None, "the batch never started"
        time.sleep(0.2)
    time.sleep(1)
    return proc, out, descendants(proc.pid)


def wait_gone(pids: set[int], seconds: float) -> set[int]:
    deadline = time.monotonic() + seconds
    while running(pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    return running(pids)


def test_a_killed_main_process_takes_its_workers_and_their_half_reports_with_it(tmp_path):
    proc, out, below = start_batch(tmp_path)
    assert len(below) >= 4  # two workers, their kernels and assessment processes
    proc.kill()
    proc.wait()
    assert wait_gone(below, 10) == set()
    assert sorted(p.name for p in out.iterdir()) == []  # no report, no hidden half-report


def test_ctrl_c_ends_a_batch_within_seconds_with_one_line(tmp_path):
    proc, out, below = start_batch(tmp_path)
    started = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends to the whole foreground group
    _, err = proc.communicate(timeout=30)
    assert time.monotonic() - started < 10
    assert proc.returncode == 130
    assert err.strip().splitlines() == [
        "interrupted: no report was left half-written; run the same command again to finish"
    ]
    assert wait_gone(below, 5) == set()
    assert sorted(p.name for p in out.iterdir()) == []


def test_a_native_crash_in_one_client_fails_that_client_only(tmp_path):
    """An xlsx claiming a cell at XFD1048576 makes the spreadsheet reader allocate 512 GB and abort."""
    from openpyxl import Workbook

    clients = tmp_path / "clients"
    copy_demo(clients / "good")
    bomb = make_client(clients / "bomb", None, inventory="inventory.xlsx")
    wb = Workbook()
    ws = wb.active
    ws.title = "inventory"
    ws.append(["process_id"])
    ws["XFD1048576"] = "x"
    wb.save(bomb / "inventory.xlsx")
    out = tmp_path / "out"
    done = subprocess.run(
        [*BPO_KIT, "run", str(clients), "--jobs", "2", "--out", str(out), "--quiet"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 1
    summary = json.loads((out / "batch-summary.json").read_text())
    status = {r["client"]: (r["status"], r["error"]) for r in summary["runs"]}
    assert status["good"] == ("ok", "")
    assert status["bomb"][0] == "failed" and status["bomb"][1]  # a reason, whichever check caught it
    assert "Traceback" not in done.stderr and "stack backtrace" not in done.stderr
    assert (out / "good" / "index.html").is_file() and not (out / "bomb").exists()
