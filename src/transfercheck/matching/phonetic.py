"""Phonetic codes: a coarse one for blocking, a finer one for comparing.

Soundex is coarse (Smith, Smyth and Schmidt share S530), which is what a blocking key
wants: recall. NYSIIS separates more names (Jason and Mason differ), which is what a
comparison level wants before it awards evidence. Both are cached because the same few
thousand names recur across millions of records.
"""

from __future__ import annotations

from functools import lru_cache

import jellyfish


@lru_cache(maxsize=65536)
def blocking_code(word: str) -> str:
    """Soundex of an ASCII word; empty for an empty word."""
    return str(jellyfish.soundex(word)) if word else ""


@lru_cache(maxsize=65536)
def comparison_code(word: str) -> str:
    """NYSIIS of an ASCII word; empty for an empty word."""
    return str(jellyfish.nysiis(word)) if word else ""
