"""Everything that touches disk except the content pack.

``atomic`` (private atomic writes, ``SaveError``), ``sessionfile`` (the session
format), ``locks`` (one writer per file), ``recovery`` (unsaved work written aside),
``config`` (preferences), ``recent`` (recently opened files) and ``folders`` (the
user's config, state and cache folders). Import the module you need: this package
re-exports nothing, so reading a session does not load locks or preferences.
"""
