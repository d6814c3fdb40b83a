"""Stage 5: the offline graph view (pyvis page) of a built dataset."""
