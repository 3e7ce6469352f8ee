"""Where the kit's own files are: the reference data, the report notebooks and the demo client.

In a clone of the repository (an editable install) they are the repository's top-level ``data/`` and
``notebooks/`` folders, which stay where the user put them. A built wheel carries copies of them inside the
package (``bpo_kit/_bundled/``, copied at build time by ``setup.py``), found with ``importlib.resources``, so that a
non-editable install runs from any folder.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
#: the repository root when the kit runs from a clone
PROJECT_DIR = PACKAGE_DIR.parent
BUNDLED = "_bundled"


def in_repository() -> bool:
    """The kit runs from a clone of its repository (editable install), not from an installed wheel."""
    return (PROJECT_DIR / "pyproject.toml").is_file() and (PROJECT_DIR / "bpo_kit").is_dir()


def kit_folder(name: str) -> Path:
    """The kit's ``data`` or ``notebooks`` folder: the repository's, or the copy inside the installed package."""
    if in_repository() and (PROJECT_DIR / name).is_dir():
        return PROJECT_DIR / name
    return Path(str(files("bpo_kit").joinpath(BUNDLED, name)))


def reports_folder() -> Path:
    """Default report folder: ``reports/`` of the repository, or of the working directory for an installed kit."""
    return PROJECT_DIR / "reports" if in_repository() else Path.cwd() / "reports"
