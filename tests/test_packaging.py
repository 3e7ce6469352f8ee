"""The two ways to install the kit list the same packages, and CI runs the README's test command."""

import re
import tomllib

import yaml

from bpo_kit.config import PROJECT_DIR

#: conda-forge names that differ from PyPI names
CONDA_NAMES = {"tzdata": "python-tzdata"}


def _name(spec: str) -> str:
    return re.split(r"[<>=!~\[ ;]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _spec(spec: str) -> str:
    return re.sub(r"\s+", "", spec.strip())[len(_name(spec)) :]


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text())["project"]
    pip_specs = project["dependencies"] + project["optional-dependencies"]["test"]
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
