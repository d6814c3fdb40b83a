"""Stage 2: the spaCy pipeline, Document -> Extraction (entities, relations) as docs/annotation.md says."""
