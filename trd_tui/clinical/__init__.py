"""The clinical rules: pure functions from a session and the content pack to
ratings, determinations and scores, each with the reasons a clinician reads.

Kept import-light on purpose: the content pack imports the condition parser
from here, so nothing in this package's ``__init__`` may import the pack.
"""
