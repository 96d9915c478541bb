"""Spreadsheet exports of the awards app, one module per concept."""
