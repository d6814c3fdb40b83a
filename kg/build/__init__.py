"""Stage 7: the build that runs the stages over a corpus, batch by batch, into one output folder."""
