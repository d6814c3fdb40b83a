"""Stage 1: corpus files -> Document records (encodings, metadata header lines, boilerplate)."""
