"""Modal dialogs and the editing forms (one FormDialog base in :mod:`.form`)."""
