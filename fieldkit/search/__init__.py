"""Full-text search: per-language analysis, indexing and ranked queries (FTS5)."""
