"""Writes of the awards app, one module per concept; each takes the acting user."""
