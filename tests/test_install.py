"""A non-editable install, run from another folder, finds its ontology, lexicons and model and builds
the seeds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.install
def test_installed_package_builds_the_seeds(tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--target", str(target), str(ROOT)],
        check=True, cwd=tmp_path, capture_output=True,
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    seeds = str(ROOT / "seeds")
    code = ("import kg, kg.core.resources as r; print(kg.__file__); "
            "print(r.ontology_path('lexicon', 'groups.txt'));"
            f"from kg.cli import main; main(['build', {seeds!r}, '--out', 'o', '-q'])")
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    kg_file, lexicon_file = run.stdout.splitlines()[:2]
    assert kg_file.startswith(str(target)) and lexicon_file.startswith(str(target))
    assert (tmp_path / "o" / "graph.ttl").read_bytes() == (ROOT / "output" / "graph.ttl").read_bytes()


def test_distribution_name_extras_and_readme_install_lines() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == "kg-gov"  # "kg" on the package index is another project
    assert project["scripts"]["kg"] == "kg.cli:main"
    extras = project["optional-dependencies"]
    assert any(d.startswith("notebook") for d in extras["notebook"])
    assert any(d.startswith("ipykernel") for d in extras["notebook"])
    assert any(d.startswith("dask[distributed]") for d in extras["dask"])
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install 'kg[" not in readme and "pip install kg " not in readme
    assert "pip install -e '.[notebook]'" in readme and "jupyter notebook notebooks/explore.ipynb" in readme
    assert "kg-gov[dask]" in readme
