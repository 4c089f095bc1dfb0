"""The glossary matcher: the words of the plain-language rules found in patient text.

It reads a :class:`~trd_tui.pack.records.PlainLanguage` (any object with its ``avoid``
and ``term`` fields) and imports no record, so the records can use it.
"""

from __future__ import annotations

import functools
import re
from typing import Any, Protocol

import attrs


class Vocabulary(Protocol):
    """What the matcher reads of a :class:`~trd_tui.pack.records.PlainLanguage` (hashable)."""

    @property
    def avoid(self) -> tuple[str, ...]: ...  # words patient text may use only explained

    @property
    def term(self) -> tuple[Any, ...]: ...  # glossary terms, each with a ``word``


@attrs.frozen
class _Finder:
    """Finds the entries of one word list at the start of a word, with any ending ("augment"
    finds "augmentation"), the longest entry first where several fit.

    An entry written in capitals (an abbreviation: "REMS", "ECT", "T3") matches only in
    capitals, so "ACT" does not find "action"; any other entry matches in any case. Built once
    per list (:func:`_finder`), because the pack is checked on every start.
    """

    patterns: tuple[re.Pattern[str], ...]
    by_key: dict[str, Any]  # casefolded entry -> what it stands for

    def find(self, text: str) -> list[tuple[int, int, int, Any]]:
        """``(start, end of entry, end of its word, what it stands for)``, by start, longest first."""
        found = []
        for pattern in self.patterns:
            for m in pattern.finditer(text):
                start, stop = m.span()
                end = stop
                while end < len(text) and text[end].isalnum():
                    end += 1
                found.append((start, stop, end, self.by_key[m.group().casefold()]))
        found.sort(key=lambda hit: (hit[0], -hit[1]))
        return found


@functools.lru_cache(maxsize=64)
def _finder(entries: tuple[tuple[str, Any], ...]) -> _Finder:
    """A :class:`_Finder` for ``(entry, what it stands for)`` pairs; the first of equal entries wins."""
    by_key: dict[str, Any] = {}
    for entry, value in entries:
        by_key.setdefault(entry.casefold(), value)
    patterns = []
    for exact in (True, False):
        chosen = [e if exact else e.casefold() for e, _value in entries if e.isupper() == exact]
        if chosen:
            patterns.append(re.compile(rf"(?<![^\W_])(?:{_trie(chosen)})", 0 if exact else re.IGNORECASE))
    return _Finder(tuple(patterns), by_key)


def _trie(words: list[str]) -> str:
    """A regex matching any of ``words``, longest first, with shared beginnings factored out
    (a list of a hundred words then costs a few tries per word in the text, not a hundred)."""
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and "" not in node else f"(?:{'|'.join(branches)})"
        return body + ("?" if "" in node else "")

    return emit(root)


@functools.lru_cache(maxsize=64)
def _finders(plain: Vocabulary) -> tuple[_Finder, _Finder]:
    """The avoid list's finder and the glossary's, for one set of rules."""
    avoid = _finder(tuple((e.strip(), e.strip()) for e in plain.avoid if e.strip()))
    glossary = _finder(tuple((t.word.strip(), t) for t in plain.term if t.word.strip()))
    return avoid, glossary


def glossary_spans(text: str, plain: Vocabulary) -> list[tuple[int, int, Any]]:
    """Where glossary terms occur in ``text``: ``(start, end, term)``, in order, not overlapping;
    each ``term`` is one of ``plain.term``.

    A term matches as an avoid-list entry does (see :func:`unexplained_words`), and its span runs
    to the end of the word, so "antipsychotic" covers "antipsychotics". Where terms overlap, the
    longer one wins ("CBT-I" over "CBT").
    """
    spans: list[tuple[int, int, Any]] = []
    for start, _stop, end, term in _finders(plain)[1].find(text):
        if not spans or start >= spans[-1][1]:
            spans.append((start, end, term))
    return spans


def unexplained_words(text: str, plain: Vocabulary) -> list[tuple[str, str]]:
    """Avoid-list words in ``text`` that no glossary term explains: ``(word as written, entry)``, in order.

    An entry matches at the start of a word with any ending ("augment" finds "augmentation",
    "psychotic" does not find "antipsychotic"); an entry in capitals matches only in capitals.
    A word inside a glossary term's span is explained.
    """
    hits = _finders(plain)[0].find(text)
    if not hits:
        return []
    explained = glossary_spans(text, plain)
    words: list[tuple[str, str]] = []
    last = -1
    for start, stop, end, entry in hits:
        if start == last:
            continue  # one report per word: the longest entry that fits
        last = start
        if not any(s <= start and stop <= e for s, e, _term in explained):
            words.append((text[start:end], entry))
    return words
