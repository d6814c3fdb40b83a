"""Stage 4: the quads as files: Turtle, TriG, N-Quads, JSON-LD."""
