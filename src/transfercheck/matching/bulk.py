"""Identities straight to table rows and blocking keys: the path of a build.

One record at a time, `normalise_identity`, `RecordTable.encode` and `record_keys` go
through several objects per name (a NormalisedName with its forms, a PersonName, tuples
joined and split again); a build of ten million records spent most of its time making
them. A build meets the same given and family spellings over and over, so here each raw
name field is worked out once (words, suffix, text, shown text, blocking codes) and a
record is put together from those. Strings are interned in the same order as `encode`
does, so the table, the pool and the keys are exactly those of the one-record path, which
stays the reference (a test holds the two equal).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from transfercheck.domain.identities import Identity
from transfercheck.matching.blocking import (
    document_digest,
    filed_keys,
    identifier_keys_of,
    text_digest,
)
from transfercheck.matching.normalise import (
    MAX_NAMES,
    name_part,
    normalise_document,
    normalise_fbi_number,
    normalise_place,
    normalise_ssn,
    shown_part,
)
from transfercheck.matching.pool import EMPTY
from transfercheck.matching.table import (
    SEX_CODES,
    SUFFIX_CODES,
    EncodedRecord,
    RecordTable,
    yyyymmdd,
)


@dataclass(frozen=True, slots=True)
class _Field:
    """One raw name field, normalised: what a row and the keys need of it."""

    words: tuple[str, ...]
    suffix: str
    text: str  # the words joined by spaces, as the table stores them
    shown: str  # the text as entered, cleaned, for explanations


@lru_cache(maxsize=1 << 19)
def _field(raw: str | None, keep_lone: bool) -> _Field:
    words, suffix = name_part(raw, keep_lone)
    return _Field(words, suffix, " ".join(words), shown_part(raw))


def encode_identity(table: RecordTable, identity: Identity) -> tuple[EncodedRecord, set[int]]:
    """`table.encode(normalise_identity(identity))` and its `record_keys`, in one pass."""
    names: dict[tuple[object, ...], tuple[_Field, _Field, _Field, str]] = {}
    for raw in identity.all_names[:MAX_NAMES]:
        given, middle = _field(raw.given, True), _field(raw.middle, False)
        family = _field(raw.family, True)
        suffix = family.suffix or given.suffix or middle.suffix
        names.setdefault((given.words, middle.words, family.words, suffix),
                         (given, middle, family, suffix))  # fmt: skip
    ssn = normalise_ssn(identity.ssn)
    document = normalise_document(identity.id_document)
    fbi_number = normalise_fbi_number(identity.fbi_number)
    intern = table.pool.intern
    record = (
        yyyymmdd(identity.date_of_birth),
        SEX_CODES[identity.sex],
        int(ssn) if ssn else 0,
        intern(f"{document.kind}:{document.issuer}") if document else EMPTY,
        document_digest(document) if document else 0,
        text_digest(fbi_number) if fbi_number else 0,
        intern(place) if (place := normalise_place(identity.place_of_birth)) else EMPTY,
        0,
        len(names),
    )
    rows = tuple(
        (intern(g.text), intern(m.text), intern(f.text), SUFFIX_CODES[suffix],
         intern(g.shown), intern(m.shown), intern(f.shown))
        for g, m, f, suffix in names.values()
    )  # fmt: skip
    parts = (
        (g.words[0] if g.words else "", _first_middle(g, m), f.words)
        for g, m, f, _ in names.values()
    )
    keys = filed_keys(identifier_keys_of(ssn, document, fbi_number), identity.date_of_birth,
                      identity.sex, parts)  # fmt: skip
    return EncodedRecord(record, rows), keys


def _first_middle(given: _Field, middle: _Field) -> str:
    """`NormalisedName.first_middle`: the middle name, else a second given name."""
    if middle.words:
        return middle.words[0]
    return given.words[1] if len(given.words) > 1 else ""
