"""Full-text search over risk records: folding, tokenising, one index on SQLite and PostgreSQL."""
