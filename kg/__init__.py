"""kg: knowledge graphs from Chinese governance texts.

Data flows one way, through the stages in :data:`STAGES` order; a module imports only from its own stage and
from those before it (tests/test_layout.py checks it)::

    core -> read -> nlp -> rdf -> export -> view -> sparql -> build -> evaluate -> cli
"""

__version__ = "0.1.0"

#: The stages, each a subpackage (or module) of kg, in the order data flows through them.
STAGES = ("core", "read", "nlp", "rdf", "export", "view", "sparql", "build", "evaluate", "cli")
