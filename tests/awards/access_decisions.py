"""Access-table rows for the awards URLs of this concept (merged into tests/test_access.py)."""

TABLE = []
POST_ONLY = {}
