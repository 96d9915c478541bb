"""Views of the awards app, one module per concept."""
