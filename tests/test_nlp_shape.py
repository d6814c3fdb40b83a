"""The pipeline's public shape: components declare what they read and write, and it holds together."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from spacy.tokens import Doc

from kg.nlp.extensions import DOC_EXTENSIONS
from kg.nlp.pipeline import PROFILES, build_nlp, components, pipeline_config

KG = Path(__file__).resolve().parent.parent / "kg"


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_each_component_requires_only_what_an_earlier_one_assigns(profile: str) -> None:
    assigned: set[str] = {"doc.text", "token.text"}  # the tokenizer's
    for name, requires, assigns in components(pipeline_config(**PROFILES[profile])):
        assert set(requires) <= assigned, f"{name} requires {set(requires) - assigned}"
        assert assigns, f"{name} assigns nothing"
        assigned |= set(assigns)
    assert {"doc._.kg_entities", "doc._.kg_relations"} <= assigned  # what extraction reads at the end


def test_declared_attributes_are_the_registered_extensions() -> None:
    declared = {a.removeprefix("doc._.") for _, req, ass in components() for a in (*req, *ass)
                if a.startswith("doc._.")}
    assert declared <= set(DOC_EXTENSIONS)
    assert all(Doc.has_extension(name) for name in DOC_EXTENSIONS)


def test_extensions_are_registered_in_one_module() -> None:
    found = []
    for path in sorted(KG.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "set_extension":
                found.append(path.relative_to(KG).as_posix())
    assert found == ["nlp/extensions.py"]


def test_the_pipeline_is_the_one_its_config_describes() -> None:
    config = pipeline_config(use_model=False, min_model_score=0.7)
    nlp = build_nlp(use_model=False, min_model_score=0.7)
    assert nlp.pipe_names == config["nlp"]["pipeline"]
    assert nlp.config["components"]["kg_merge"]["min_model_score"] == 0.7
    assert nlp.get_pipe("kg_merge").min_model_score == 0.7
    assert nlp.config["nlp"]["tokenizer"] == config["nlp"]["tokenizer"]
