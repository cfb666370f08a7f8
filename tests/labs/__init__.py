"""Lab tests: each lab graded through the real check."""
