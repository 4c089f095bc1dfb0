"""One module per pane or modal, each with its .tcss beside it."""
