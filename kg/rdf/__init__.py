"""Stage 3: Extraction -> RDF quads (named graph per document, evidence, metadata), and SHACL validation."""
