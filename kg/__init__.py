"""kg: knowledge graphs from Chinese governance texts.

Data flows one way, one module per stage::

    read  ->  nlp (spaCy pipeline)  ->  records  ->  graph  ->  export  ->  store
"""

__version__ = "0.1.0"
