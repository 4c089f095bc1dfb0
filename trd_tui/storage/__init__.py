"""Everything that touches disk except the content pack: the session format, its rules, and the files around it."""
