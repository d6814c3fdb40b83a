"""The spaCy pipeline, assembled from its config: jieba with the domain dictionary, then kg's components.

The tokenizer is ``kg.JiebaTokenizer.v1`` (kg.nlp.tokenizer): spaCy's jieba tokenizer, aligned in linear time.

Order (``kg info`` prints it): ``kg_lexicon`` and ``kg_patterns`` propose rule candidates, ``kg_lac`` (Baidu's
lexical analyser, kg.nlp.lac) proposes the names it finds, ``kg_ner`` (the char-CNN model, optional) proposes
statistical ones, ``kg_merge`` decides among them, ``kg_resolve`` groups mentions into entities,
``kg_relations`` links them, ``kg_title`` adds the issuers that titles name; each factory declares the
``doc._`` attributes (kg.nlp.extensions) it requires and assigns. ``kg_ner`` runs after the rules because of
its gate (``gate``, on by default): it tags only around the words where ``kg_merge`` could keep one of its
entities, i.e. where a name of the right shape is possible outside every rule candidate
(kg.nlp.statistical.gate_regions).

**Profiles** (:data:`PROFILES`; ``kg build/extract/evaluate --fast`` or ``--profile``):

- ``default``: rules, lexicons and LAC, the most accurate on every gold set;
- ``fast``: rules and lexicons only, no network (``--no-model`` is kept as another name for it);
- ``full``: ``default`` and the char-CNN model. The model adds nothing beside LAC on the gold sets (its few
  extra names are false more often than true, benchmarks/README.md and README.md give the figures) and costs
  a fifth of the build's CPU, so it left the default at pipeline 0.3.0.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jieba
import spacy
from spacy.language import Language

from kg.core.lexicon import load_lexicon

# the factories register on import
from kg.nlp import lac, lexicon_ruler, merge, patterns, relations, resolve, statistical, tokenizer  # noqa: F401

#: Bump when extraction output can change for the same input (cache keys, ``kg info``).
PIPELINE_VERSION = "0.5.1"

RULE_COMPONENTS = ("kg_lexicon", "kg_patterns")

#: profile -> which networks run: ``use_lac`` (kg_lac) and ``use_model`` (kg_ner, the char-CNN).
PROFILES: dict[str, dict[str, bool]] = {
    "default": {"use_lac": True, "use_model": False},
    "fast": {"use_lac": False, "use_model": False},
    "full": {"use_lac": True, "use_model": True},
}
DEFAULT_PROFILE = "default"


def profile_options(profile: str | bool | None = None) -> dict[str, bool]:
    """The component switches of a profile name (``None``: the default; ``True``/``False``, the old
    ``use_model`` switch: the default and the fast profile)."""
    if profile is None or profile is True:
        profile = DEFAULT_PROFILE
    elif profile is False:
        profile = "fast"
    if profile not in PROFILES:
        raise ValueError(f"unknown pipeline profile {profile!r}: one of {', '.join(PROFILES)}")
    return dict(PROFILES[profile])


TAIL_COMPONENTS = ("kg_merge", "kg_resolve", "kg_relations", "kg_title")


def pipeline_config(
    *, use_model: bool = False, use_lac: bool = True, min_model_score: float = 0.5, gate: bool = True
) -> dict[str, Any]:
    """The config the pipeline is built from (spaCy's ``[nlp]``/``[components]`` sections as a dict).

    ``gate=False`` lets the trained model and LAC tag every sentence (slower; nearly the same output,
    docs/ner.md, kg.nlp.lac.LacComponent.gated).
    """
    names = [*RULE_COMPONENTS, *(("kg_lac",) if use_lac else ()), *(("kg_ner",) if use_model else ()),
             *TAIL_COMPONENTS]
    components: dict[str, Any] = {name: {"factory": name} for name in names}
    components["kg_merge"]["min_model_score"] = min_model_score
    if use_model:
        components["kg_ner"]["gate"] = gate
    if use_lac:
        components["kg_lac"]["gate"] = gate
    return {
        "nlp": {"lang": "zh", "pipeline": names, "tokenizer": {"@tokenizers": "kg.JiebaTokenizer.v1"}},
        "components": components,
    }


def _add_user_words() -> None:
    """Lexicon names and aliases as jieba words, so names are not split across tokens.

    A person's name is left as jieba has it when jieba knows it, and else taught just firmly enough to stay
    whole on its own (``jieba.suggest_freq``): a name must not outweigh the ordinary words around it
    (庆贺|龙年, not 庆|贺龙|年; 中韩|正式, not 中|韩正|式).
    """
    jieba.setLogLevel(60)
    jieba.dt.check_initialized()
    lexicon = load_lexicon()
    for term in lexicon.terms:
        for surface in (term.name, *term.aliases):
            if len(surface) < 2:
                continue
            if term.label != "PERSON":
                tokenizer.add_user_word(surface, 2000)
            elif not jieba.dt.FREQ.get(surface):
                tokenizer.add_user_word(surface, jieba.suggest_freq(surface))


def build_nlp(*, use_model: bool = False, use_lac: bool = True, min_model_score: float = 0.5,
              gate: bool = True) -> Language:
    """A fresh pipeline; ``use_model=True`` adds the char-CNN NER, ``use_lac=False`` leaves LAC out."""
    _add_user_words()
    return spacy.blank("zh", config=pipeline_config(use_model=use_model, use_lac=use_lac,
                                                    min_model_score=min_model_score, gate=gate))


def components(config: dict[str, Any] | None = None) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """(name, what it requires, what it assigns) of each component of ``config``, in order, from the
    factories' declarations (nothing is loaded)."""
    config = config or pipeline_config()
    out = []
    for name in config["nlp"]["pipeline"]:
        meta = Language.get_factory_meta(config["components"][name]["factory"])
        out.append((name, tuple(meta.requires), tuple(meta.assigns)))
    return out


def shared_nlp(profile: str | bool | None = None) -> Language:
    """One pipeline per process and profile (worker processes each build their own); see :data:`PROFILES`."""
    return _shared_nlp(**profile_options(profile))


@lru_cache(maxsize=3)
def _shared_nlp(use_model: bool, use_lac: bool) -> Language:
    return build_nlp(use_model=use_model, use_lac=use_lac)
