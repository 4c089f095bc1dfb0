"""Everything that relies on Textual private API or behaviour; see README.md here."""
