"""The main-screen panes; each is declared once in :mod:`trd_tui.ui.panes.pane` (PANES)."""
