"""Stage 6: the query store (Oxigraph), saved research questions, shortest chains, the SPARQL server."""
