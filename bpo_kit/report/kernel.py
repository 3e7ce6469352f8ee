"""The kernels notebooks run in: always the kit's own Python, whatever kernels the user has registered.

Starting a kernel and importing pandas, matplotlib, seaborn and the kit costs more than most notebooks take to
run, so the runner keeps a *warm* kernel: it imports the kit's stack as it boots, and serves notebook after
notebook. Before each one it is reset (``warmup.reset``: empty namespace and history, execution count 1, no
figures, the rcParams it booted with), so every notebook starts as in a fresh kernel and its outputs are those
of a cold run (``tests/test_warm_kernels.py`` compares them cell by cell). Only ``sys.modules`` and the kit's
read-only caches (reference tables, ECB rates) stay warm. A kernel is retired after ``max_uses`` notebooks or
after a notebook fails, and a new one started.
"""

from __future__ import annotations

import atexit
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path
from queue import Empty

import jupyter_client
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from traitlets import Bool, default

KERNEL_NAME = "python3"
#: run in the kernel as it boots; binds no name in the user namespace (the call returns None)
WARMUP = "__import__('bpo_kit.report.warmup').report.warmup.run()"
RESET = "__import__('bpo_kit.report.warmup').report.warmup.reset({cwd!r})"
#: the readiness check below replaces a private method of jupyter_client 8; other versions keep their own
FAST_READINESS = jupyter_client.version_info[0] == 8 and hasattr(AsyncKernelClient, "_async_wait_for_ready")


class KitKernelSpecManager(KernelSpecManager):
    """Answers every kernel name with a spec that starts this interpreter's ipykernel."""

    warm = Bool(False, help="import the kit's stack while the kernel boots").tag(config=True)

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        # the kernel's own log stays quiet: jupyter_client interrupts a kernel before shutting it down,
        # and ipykernel logs that interrupt as an error when it lands mid-message (harmless, but alarming)
        argv = [
            sys.executable,
            "-m",
            "ipykernel_launcher",
            "-f",
            "{connection_file}",
            "--IPKernelApp.log_level=CRITICAL",
        ]
        if self.warm:
            # a reused kernel restarts its execution count at 1: no history database to disagree with it
            argv += [f'--IPKernelApp.exec_lines=["{WARMUP}"]', "--HistoryManager.enabled=False"]
        return KernelSpec(argv=argv, display_name="bpo-kit (Python)", language="python", metadata={"debugger": False})


class KitKernelClient(AsyncKernelClient):
    """A kernel client whose readiness check ends as soon as the kernel has answered on both channels.

    jupyter_client's own check then drains the IOPub channel until it stays silent for 0.2 s, once per notebook;
    here the wait ends when the status message of our own kernel_info request arrives on IOPub, which proves
    the subscription is live. On a slow start the request is simply repeated. Measured on a warm kernel: a
    one-cell notebook takes 0.10-0.14 s instead of 0.35-0.48 s, so 2-3 s of wall time per client's report.
    Only with jupyter_client 8 (``FAST_READINESS``); otherwise, and if anything unexpected happens here,
    jupyter_client's own check runs."""

    async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
        if not FAST_READINESS:
            return await super()._async_wait_for_ready(timeout)
        try:
            return await self._fast_wait_for_ready(timeout)
        except (KeyError, TypeError, AttributeError):  # a message layout this code does not know
            return await super()._async_wait_for_ready(timeout)

    async def _fast_wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (60.0 if timeout is None else timeout)
        while time.monotonic() < deadline:
            msg_id = self.kernel_info()
            try:
                while True:
                    reply = await self.shell_channel.get_msg(timeout=max(0.1, deadline - time.monotonic()))
                    if reply["parent_header"].get("msg_id") == msg_id:
                        break
                while True:
                    msg = await self.iopub_channel.get_msg(timeout=0.5)
                    if (
                        msg["parent_header"].get("msg_id") == msg_id
                        and msg["msg_type"] == "status"
                        and msg["content"]["execution_state"] == "idle"
                    ):
                        return
            except Empty:
                continue  # IOPub was not subscribed yet when the kernel answered: ask again
        raise RuntimeError("the kernel did not answer within the start-up timeout")

    wait_for_ready = _async_wait_for_ready


class KitKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel is ``sys.executable``, so a user's stale 'python3' kernel is never used."""

    warm = Bool(False, help="import the kit's stack while the kernel boots").tag(config=True)

    @default("client_factory")
    def _default_client_factory(self) -> type:
        return KitKernelClient

    # IPC sockets instead of TCP ports: no port races between parallel kernels, no unencrypted-TCP warning
    @default("transport")
    def _default_transport(self) -> str:
        return "ipc" if sys.platform != "win32" else "tcp"

    @default("ip")
    def _default_ip(self) -> str:
        if self.transport == "ipc":
            return str(Path(tempfile.gettempdir()) / f"bpo-kit-{uuid.uuid4().hex[:12]}")
        return "127.0.0.1"

    @default("kernel_spec_manager")
    def _default_kernel_spec_manager(self) -> KernelSpecManager:
        return KitKernelSpecManager(data_dir=self.data_dir, warm=self.warm)


class KernelPool:
    """One warm kernel, reused from notebook to notebook with a reset in between (see the module docstring).

    The first kernel is retired after a random share (half to all) of ``max_uses`` notebooks, so that the workers
    of a batch, which start together, do not all replace their kernels at the same moment."""

    def __init__(self, max_uses: int = 40):
        self.max_uses = max_uses
        self._km: KitKernelManager | None = None
        self._uses = 0
        self._budget = random.Random().randint(max(1, max_uses // 2), max_uses)

    def _launch(self, cwd: str | None = None) -> None:
        self._km = KitKernelManager(kernel_name=KERNEL_NAME, warm=True)
        run_sync(self._km.start_kernel)(**({"cwd": cwd} if cwd else {}))
        self._uses = 0

    def _retire(self) -> None:
        if self._km is not None:
            km, self._km = self._km, None
            if run_sync(km.is_alive)():
                run_sync(km.shutdown_kernel)(now=True)

    def _reset(self, cwd: str) -> bool:
        km = self._km
        assert km is not None

        async def run() -> bool:
            kc = km.client()
            kc.start_channels()
            try:
                # the shell channel alone: its reply proves the reset ran, and unlike iopub it cannot miss
                # messages sent before it connected, so there is no need to wait for the kernel to be 'ready'
                msg_id = kc.execute(RESET.format(cwd=cwd), silent=True, store_history=False)
                while True:
                    reply = await kc.get_shell_msg(timeout=60)
                    if reply["parent_header"].get("msg_id") == msg_id:
                        return reply["content"]["status"] == "ok"
            finally:
                kc.stop_channels()

        try:
            return run_sync(run)()
        except Exception:
            return False

    def prestart(self) -> None:
        """Launch the kernel now, so that it boots while the caller does other work."""
        if self._km is None:
            self._launch()

    def take(self, cwd: str | Path) -> KitKernelManager:
        """A kernel ready for one notebook run in ``cwd``: fresh, or reused and reset; hand it back with
        :meth:`give_back`."""
        cwd = str(cwd)
        fresh = self._km is None or self._uses >= self._budget or not run_sync(self._km.is_alive)()
        if not fresh and not self._reset(cwd):  # a kernel launched by prestart is reset too: it has no cwd yet
            fresh = True
        if fresh:
            if self._km is not None:
                self._budget = self.max_uses
            self._retire()
            self._launch(cwd)
        self._uses += 1
        assert self._km is not None
        return self._km

    def give_back(self, km: KitKernelManager, ok: bool) -> None:
        """A notebook is done with ``km``; a kernel that saw a failure is never reused."""
        if not ok and km is self._km:
            self._retire()

    def close(self) -> None:
        self._retire()


_shared: KernelPool | None = None


def shared_pool() -> KernelPool:
    """The process's kernel pool, shut down when the process exits."""
    global _shared
    if _shared is None:
        _shared = KernelPool()
        atexit.register(_shared.close)
    return _shared
