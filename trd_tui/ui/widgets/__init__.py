"""Reusable widgets that are neither panes nor dialogs."""
