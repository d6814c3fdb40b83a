"""What the test modules share, made once per session, and the markers of the heavy tests.

Markers (registered in pyproject.toml): ``slow`` (a build, a server, a subprocess, a timeout waited out:
seconds each), ``browser`` (headless Chromium), ``install`` (a fresh virtual environment); a browser or
install test counts as slow too. The README's command runs everything; the fast tier leaves them out::

    python -m pytest -q -m "not slow and not browser and not install"     # or just -m "not slow"
"""

from __future__ import annotations

import pytest
from rdflib import Dataset
from seeds_graph import Pairs
from seeds_graph import seed_pairs as _seed_pairs
from seeds_graph import seeds_dataset as _seeds_dataset
from spacy.language import Language

from kg.nlp.pipeline import shared_nlp


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A browser, install or hostile test is slow as well (Chromium, a fresh virtual environment, servers,
    builds and killed processes), so ``-m "not slow"`` alone gives the fast tier."""
    for item in items:
        if any(item.get_closest_marker(m) for m in ("browser", "install", "hostile")):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The pipeline as ``kg build`` runs it: the default profile (rules, lexicons, LAC), one per session."""
    return shared_nlp("default")


@pytest.fixture(scope="session")
def rules_nlp() -> Language:
    """The fast profile: rules and lexicons only, no network."""
    return shared_nlp("fast")


@pytest.fixture(scope="session")
def full_nlp() -> Language:
    """The full profile: the default and the char-CNN model."""
    return shared_nlp("full")


@pytest.fixture(scope="session")
def seed_pairs() -> Pairs:
    """(document, hand-written gold extraction) of each seed text."""
    return _seed_pairs()


@pytest.fixture(scope="session")
def seeds_dataset() -> Dataset:
    """The dataset of the seeds' gold extractions (``build_dataset``); tests must not change it."""
    return _seeds_dataset()
