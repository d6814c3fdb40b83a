"""Shared by every stage: errors, extraction records, name normalisation, lexicons, shipped data, files."""
