"""Build step of the wheel: the kit's data and notebooks travel inside the package.

The repository keeps ``data/`` and ``notebooks/`` at its top level (the consultant's layout). A wheel gets copies
of the reference data, the demo client and the report notebooks in ``bpo_kit/_bundled/``, where
``bpo_kit.resources`` finds them. An editable install copies nothing: it reads the repository's folders. Other
client folders under ``data/clients/`` are confidential and never packaged.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
#: what the wheel carries, relative to the repository root
BUNDLED = ["data/reference", "data/clients/demo", "notebooks"]


class BuildPyWithKitFiles(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / "bpo_kit" / "_bundled"
        shutil.rmtree(target, ignore_errors=True)
        for rel in BUNDLED:
            src = ROOT / rel
            shutil.copytree(
                src,
                target / rel,
                ignore=shutil.ignore_patterns(".*", "~$*", "__pycache__", "*.pyc"),
            )


setup(cmdclass={"build_py": BuildPyWithKitFiles})
