"""Exports of an assessed session: one table of formats (formats.py) used by the CLI and the app."""
