"""Interned strings: every distinct name text stored once, referred to by a small integer.

A million records hold a few hundred thousand distinct name texts (John, Smith, Garcia
Lopez...), so the index stores an int32 per name part instead of a Python string, and a
comparison between two parts can start with an integer test. Id 0 is the empty string,
so "missing" is simply 0.

Beside each text the pool keeps the facts the vectorised comparisons need per text, as
NumPy columns indexed by id: the id of its first word, of its second word, of all its words
run together, of every word after the first run together, its first letter, its length, a
checksum of its sound code (NYSIIS) and how many forms it has as a family name.
A text's words are interned too, so these ids point back into the same pool.
"""

from __future__ import annotations

import sys
import zlib
from itertools import pairwise
from typing import Any

import numpy as np
from numpy.typing import NDArray

from transfercheck.matching.columns import GrowableColumn
from transfercheck.matching.normalise import family_forms
from transfercheck.matching.phonetic import comparison_code

EMPTY = 0


class StringPool:
    """Append-only: an id, once given, always means the same text."""

    def __init__(self) -> None:
        # An object array, not a list: a batch of texts is one fancy index, not a loop.
        self._texts = GrowableColumn(np.object_)
        self._ids: dict[str, int] = {}
        self.first_word = GrowableColumn(np.int32)
        self.second_word = GrowableColumn(np.int32)
        self.joined = GrowableColumn(np.int32)  # all words run together
        self.rest_joined = GrowableColumn(np.int32)  # the words after the first, run together
        self.first_letter = GrowableColumn(np.uint8)
        self.length = GrowableColumn(np.uint16)
        self.sound = GrowableColumn(np.uint32)  # CRC-32 of the NYSIIS code, words run together
        self.forms = GrowableColumn(np.uint8)  # how many forms it has as a family name
        self.intern("")

    def __len__(self) -> int:
        return len(self._texts)

    def text(self, string_id: int) -> str:
        text: str = self._texts.view()[string_id]
        return text

    def texts(self, ids: NDArray[np.integer[Any]] | list[int]) -> list[str]:
        texts: list[str] = self._texts.view()[ids].tolist()
        return texts

    def find(self, text: str) -> int | None:
        """The id of a text already interned, or None (a look-up never grows the pool)."""
        return self._ids.get(text)

    def intern(self, text: str) -> int:
        """The id of `text`, adding it (and its words) when new."""
        found = self._ids.get(text)
        if found is not None:
            return found
        words = text.split(" ") if text else []
        first = self.intern(words[0]) if len(words) > 1 else None
        second = self.intern(words[1]) if len(words) > 1 else EMPTY
        joined = self.intern("".join(words)) if len(words) > 1 else None
        rest = self.intern("".join(words[1:])) if len(words) > 1 else EMPTY
        string_id = len(self._texts)
        self._texts.append(text)
        self._ids[text] = string_id
        self.first_word.append(string_id if first is None else first)
        self.second_word.append(second)
        self.joined.append(string_id if joined is None else joined)
        self.rest_joined.append(rest)
        self.first_letter.append(ord(text[0]) if text and text[0].isascii() else 0)
        self.length.append(min(len(text), 65535))
        joined_text = "".join(words)
        self.sound.append(zlib.crc32(comparison_code(joined_text).encode()) if words else 0)
        self.forms.append(min(len(family_forms(tuple(words))), 255) if words else 0)
        return string_id

    def feature_columns(self) -> dict[str, NDArray[np.generic]]:
        return {
            "first_word": self.first_word.view(),
            "second_word": self.second_word.view(),
            "joined": self.joined.view(),
            "rest_joined": self.rest_joined.view(),
            "first_letter": self.first_letter.view(),
            "length": self.length.view(),
            "sound": self.sound.view(),
            "forms": self.forms.view(),
        }

    # Snapshots -------------------------------------------------------------------------

    def to_arrays(self) -> dict[str, NDArray[np.generic]]:
        """The texts as one UTF-8 blob with offsets, plus the feature columns."""
        encoded = [t.encode() for t in self._texts.view().tolist()]
        lengths = np.fromiter((len(b) for b in encoded), np.int64, len(encoded))
        offsets = np.zeros(len(encoded) + 1, np.int64)
        np.cumsum(lengths, out=offsets[1:])
        blob = np.frombuffer(b"".join(encoded), np.uint8)
        return {"blob": blob, "offsets": offsets, **self.feature_columns()}

    @classmethod
    def from_arrays(cls, arrays: dict[str, NDArray[np.generic]]) -> StringPool:
        pool = cls.__new__(cls)
        blob = bytes(np.asarray(arrays["blob"]))
        offsets = np.asarray(arrays["offsets"]).tolist()
        texts = [blob[a:b].decode() for a, b in pairwise(offsets)]
        pool._texts = GrowableColumn.of(np.array(texts, dtype=np.object_))
        pool._ids = {text: i for i, text in enumerate(texts)}
        for name in ("first_word", "second_word", "joined", "rest_joined"):
            setattr(pool, name, GrowableColumn.of(arrays[name]))
        pool.first_letter = GrowableColumn.of(arrays["first_letter"])
        pool.length = GrowableColumn.of(arrays["length"])
        pool.sound = GrowableColumn.of(arrays["sound"])
        pool.forms = GrowableColumn.of(arrays["forms"])
        return pool

    def nbytes(self) -> int:
        """Bytes held, counting Python's per-string and per-entry costs (an estimate)."""
        strings = sum(sys.getsizeof(t) for t in self._texts.view().tolist())
        tables = self._texts.nbytes + sys.getsizeof(self._ids)
        return strings + tables + sum(c.nbytes for c in self.feature_columns().values())
