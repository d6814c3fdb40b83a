"""Shared by every stage: records, errors, name normalisation, spaCy-free text helpers, lexicons, shipped
data, the one atomic writer (files) and the build folder's names (folder)."""
