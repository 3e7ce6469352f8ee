"""The kernel notebooks run in: always the kit's own Python, whatever kernels the user has registered."""
from __future__ import annotations

import sys
import tempfile
import uuid
from pathlib import Path

from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from traitlets import default

KERNEL_NAME = "python3"


class KitKernelSpecManager(KernelSpecManager):
    """Answers every kernel name with a spec that starts this interpreter's ipykernel."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        return KernelSpec(
            # the kernel's own log stays quiet: jupyter_client interrupts a kernel before shutting it down,
            # and ipykernel logs that interrupt as an error when it lands mid-message (harmless, but alarming)
            argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}",
                  "--IPKernelApp.log_level=CRITICAL"],
            display_name="bpo-kit (Python)", language="python", metadata={"debugger": False},
        )


class KitKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel is ``sys.executable``, so a user's stale 'python3' kernel is never used."""

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
        return KitKernelSpecManager(data_dir=self.data_dir)
