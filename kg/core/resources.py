"""Where the shipped data lives (``ontology/``, ``ontology/lexicon/``): package data or the source tree.

The files sit at the top level of the project (``ontology/``) and are installed as the package ``kg.ontology``
(see ``[tool.setuptools.package-dir]`` in pyproject.toml). ``ontology_path`` finds them either way.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

import kg
from kg.core.errors import ConfigError

_PACKAGE = "kg.ontology"


def _installed_root() -> Path | None:
    """``kg.ontology`` as installed package data, or None when it is not importable as a folder."""
    try:
        root = importlib.resources.files(_PACKAGE)
    except (ModuleNotFoundError, TypeError):
        return None
    return root if isinstance(root, Path) else None


def _source_root() -> Path:
    return Path(kg.__file__).resolve().parent.parent / "ontology"


def ontology_path(*parts: str) -> Path:
    """The path of ``ontology/<parts...>``: the installed package data first, then the source tree.

    ``ontology_path()`` is the folder itself, ``ontology_path("lexicon", "boilerplate.tsv")`` one file.
    Raises ConfigError naming the places looked at when neither holds it.
    """
    roots = [r for r in (_installed_root(), _source_root()) if r is not None]
    for root in roots:
        candidate = root.joinpath(*parts)
        if candidate.exists():
            return candidate
    wanted = "/".join(("ontology", *parts))
    looked = ", ".join(str(r) for r in roots)
    raise ConfigError(f"{wanted}: not found (looked in {looked})")
