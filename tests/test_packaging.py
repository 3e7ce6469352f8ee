"""The two ways to install the kit list the same packages, and CI runs the README's test command."""

import re
import shutil
import subprocess
import sys
import tomllib
import zipfile

import pytest
import yaml

from bpo_kit.config import NOTEBOOKS_DIR, PROJECT_DIR

#: conda-forge names that differ from PyPI names
CONDA_NAMES = {"tzdata": "python-tzdata"}


def _name(spec: str) -> str:
    return re.split(r"[<>=!~\[ ;]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _spec(spec: str) -> str:
    return re.sub(r"\s+", "", spec.strip())[len(_name(spec)) :]


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    assert sorted(extras) == ["cluster", "lab", "test"]
    pip_specs = project["dependencies"] + [spec for name in sorted(extras) for spec in extras[name]]
    pip = {CONDA_NAMES.get(_name(s), _name(s)): _spec(s) for s in pip_specs}
    env = yaml.safe_load((PROJECT_DIR / "environment.yml").read_text())
    conda = {_name(s): _spec(s) for s in env["dependencies"] if isinstance(s, str)}
    conda.pop("python")
    conda.pop("pip")
    assert conda == pip


def test_ci_runs_the_readme_test_command():
    readme = (PROJECT_DIR / "README.md").read_text()
    commands = re.findall(r"```(?:sh|bash)?\n(.*?)```", readme, flags=re.S)[0].split("\n")
    assert commands[:2] == ["make report", "make test"]
    ci = (PROJECT_DIR / ".ci" / "run").read_text()
    assert ci.strip().splitlines()[-1] == "make test"


@pytest.mark.e2e
def test_the_wheel_carries_data_notebooks_and_the_demo_but_no_other_client(tmp_path):
    """A non-editable install runs from any folder: what the kit reads travels inside the package."""
    other = PROJECT_DIR / "data" / "clients" / "zz-confidential-test-client"
    other.mkdir(exist_ok=True)
    (other / "client.yaml").write_text("name: secret\n")
    try:
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(PROJECT_DIR)],
            check=True,
            capture_output=True,
        )
    finally:
        shutil.rmtree(other)
    (wheel,) = tmp_path.glob("bpo_kit-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    bundled = "bpo_kit/_bundled/"
    notebooks = {f"{bundled}notebooks/{p.name}" for p in NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")}
    assert len(notebooks) == 8 and notebooks <= names
    reference = {f"{bundled}data/reference/{p.name}" for p in (PROJECT_DIR / "data" / "reference").iterdir()}
    assert reference <= names
    assert f"{bundled}data/clients/demo/client.yaml" in names
    clients = {n.split("/")[4] for n in names if n.startswith(f"{bundled}data/clients/")}
    assert clients == {"demo"}
