"""The corruption model: the errors that creep into an identity between the person and a form.

Each corruption is a small function of (the person, the identity as written so far, a seeded
RNG) that returns the identity with one error, or None when that error cannot happen to it
(no nickname for the given name, no middle name to drop, a day above 12 to swap...). The
caller keeps the kinds that applied, so ground truth says exactly what was done.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from enum import StrEnum
from functools import cache
from random import Random
from typing import Literal

from nicknames import NickNamer

from transfercheck.domain.identities import Identity, PersonName, Sex, name_problems
from transfercheck.synthetic.families import JUNIOR
from transfercheck.synthetic.names import NameOrigin, other_spellings, pools
from transfercheck.synthetic.people import Person


class Corruption(StrEnum):
    TYPO_INSERT = "typo_insert"  # one letter added, usually a doubled or neighbouring key
    TYPO_DELETE = "typo_delete"  # one letter left out
    TYPO_SUBSTITUTE = "typo_substitute"  # one letter replaced by a neighbouring key
    TYPO_TRANSPOSE = "typo_transpose"  # two adjacent letters swapped
    NICKNAME = "nickname"  # William -> Bill
    DAY_MONTH_SWAPPED = "day_month_swapped"  # 1980-03-07 -> 1980-07-03
    MIDDLE_NAME_DROPPED = "middle_name_dropped"
    SURNAME_CHANGED = "surname_changed"  # a married name replaces the family name
    NAME_ORDER_SWAPPED = "name_order_swapped"  # given and family name exchanged
    ACCENTS_DROPPED = "accents_dropped"  # Nguyễn -> Nguyen, Muñoz -> Munoz
    COMPOUND_SURNAME_SHORTENED = "compound_surname_shortened"  # García López -> García
    TRANSLITERATION_CHANGED = "transliteration_changed"  # Mohammed -> Muhammad, Al-Omar -> Alomar
    SUFFIX_DROPPED = "suffix_dropped"  # Smith Jr -> Smith
    ALIAS_ADDED = "alias_added"  # records only: another name the person is known by


Corrupt = Callable[[Person, Identity, Random], Identity | None]

# Relative frequencies, a judgement rather than a measurement: what a clerk or a buyer
# gets wrong most often. A kind that cannot apply to an identity is skipped.
BUYER_ERRORS: Mapping[Corruption, float] = {
    Corruption.TYPO_INSERT: 0.07,
    Corruption.TYPO_DELETE: 0.08,
    Corruption.TYPO_SUBSTITUTE: 0.10,
    Corruption.TYPO_TRANSPOSE: 0.07,
    Corruption.NICKNAME: 0.12,
    Corruption.MIDDLE_NAME_DROPPED: 0.14,
    Corruption.DAY_MONTH_SWAPPED: 0.06,
    Corruption.SURNAME_CHANGED: 0.06,
    Corruption.NAME_ORDER_SWAPPED: 0.06,
    Corruption.ACCENTS_DROPPED: 0.10,
    Corruption.COMPOUND_SURNAME_SHORTENED: 0.06,
    Corruption.TRANSLITERATION_CHANGED: 0.05,
    Corruption.SUFFIX_DROPPED: 0.03,
}
# How agencies' records differ from the person: minor variations only.
RECORD_VARIATIONS: Mapping[Corruption, float] = {
    Corruption.MIDDLE_NAME_DROPPED: 0.3,
    Corruption.ALIAS_ADDED: 0.3,
    Corruption.TYPO_DELETE: 0.07,
    Corruption.TYPO_SUBSTITUTE: 0.08,
    Corruption.TYPO_TRANSPOSE: 0.08,
    Corruption.TRANSLITERATION_CHANGED: 0.07,
    Corruption.SUFFIX_DROPPED: 0.1,
}


def corrupt(
    person: Person,
    identity: Identity,
    rng: Random,
    count: int,
    frequencies: Mapping[Corruption, float] = BUYER_ERRORS,
) -> tuple[Identity, tuple[Corruption, ...]]:
    """Up to `count` different corruptions, drawn by frequency among those that apply.

    A corruption that would undo the earlier ones (a typo that restores the letter another
    removed) is skipped, so the identity differs whenever the list of corruptions is not empty.
    """
    original, applied = identity, list[Corruption]()
    left = dict(frequencies)
    while len(applied) < count and left:
        kind = rng.choices(tuple(left), tuple(left.values()))[0]
        del left[kind]
        changed = apply(kind, person, identity, rng)
        if changed is not None and changed != original:
            identity = changed
            applied.append(kind)
    return identity, tuple(applied)


def apply(kind: Corruption, person: Person, identity: Identity, rng: Random) -> Identity | None:
    """`identity` with one corruption of `kind`, or None when it cannot apply to it."""
    return _CORRUPTIONS[kind](person, identity, rng)


NamePart = Literal["given", "family", "middle"]


def _renamed(identity: Identity, part: NamePart, value: str) -> Identity:
    """`identity` with one part of its name replaced."""
    name = identity.name
    given = value if part == "given" else name.given
    family = value if part == "family" else name.family
    middle = value if part == "middle" else name.middle
    return replace(identity, name=PersonName(given, family, middle))


def _typo(edit: Callable[[str, Random], str | None]) -> Corrupt:
    """A corruption that applies `edit` to the given or family name (the middle if neither)."""

    def corrupt_one_part(person: Person, identity: Identity, rng: Random) -> Identity | None:
        name = identity.name
        fields: list[NamePart] = rng.sample(("given", "family"), 2)
        if name.middle and len(name.middle) > 1:
            fields.append("middle")
        for field in fields:
            edited = edit(getattr(name, field), rng)
            if edited is not None:
                return _renamed(identity, field, edited)
        return None

    return corrupt_one_part


_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


@cache
def _keyboard_neighbours() -> Mapping[str, str]:
    """Keys next to each letter on a QWERTY keyboard (rows are staggered by half a key)."""
    near: dict[str, str] = {}
    for r, row in enumerate(_ROWS):
        for i, key in enumerate(row):
            spots = [(r, i - 1), (r, i + 1), (r - 1, i), (r - 1, i + 1), (r + 1, i - 1), (r + 1, i)]
            near[key] = "".join(
                _ROWS[rr][ii] for rr, ii in spots if 0 <= rr < 3 and 0 <= ii < len(_ROWS[rr])
            )
    return near


def _same_case(char: str, like: str) -> str:
    return char.upper() if like.isupper() else char.lower()


def _insert(text: str, rng: Random) -> str | None:
    spots = [i for i, ch in enumerate(text) if ch.isalpha()]
    if not spots:
        return None
    i = rng.choice(spots)
    near = _keyboard_neighbours().get(text[i].lower(), "")
    added = rng.choice(near) if near and rng.random() < 0.5 else text[i].lower()
    return text[: i + 1] + added + text[i + 1 :]


def _delete(text: str, rng: Random) -> str | None:
    # Never a word's last letter: "de la O" must not become "de la ".
    spots = [
        i
        for i, ch in enumerate(text)
        if ch.isalpha()
        and ((i > 0 and text[i - 1].isalpha()) or (i + 1 < len(text) and text[i + 1].isalpha()))
    ]
    if not spots:
        return None
    i = rng.choice(spots)
    return text[:i] + text[i + 1 :]


def _substitute(text: str, rng: Random) -> str | None:
    near = _keyboard_neighbours()
    spots = [i for i, ch in enumerate(text) if ch.lower() in near]
    if not spots:
        return None
    i = rng.choice(spots)
    return text[:i] + _same_case(rng.choice(near[text[i].lower()]), text[i]) + text[i + 1 :]


def _transpose(text: str, rng: Random) -> str | None:
    spots = [
        i
        for i in range(len(text) - 1)
        if text[i].isalpha() and text[i + 1].isalpha() and text[i].lower() != text[i + 1].lower()
    ]
    if not spots:
        return None
    i = rng.choice(spots)
    # The typist keeps the case of the position: Smith -> Msith, not mSith.
    swapped = _same_case(text[i + 1], text[i]) + _same_case(text[i], text[i + 1])
    return text[:i] + swapped + text[i + 2 :]


@cache
def _nicknamer() -> NickNamer:
    return NickNamer()


def _nickname(person: Person, identity: Identity, rng: Random) -> Identity | None:
    given = identity.name.given
    options = [
        nick.title()
        for nick in sorted(_nicknamer().nicknames_of(given))
        if nick.casefold() != given.casefold() and not name_problems(nick)
    ]
    return _renamed(identity, "given", rng.choice(options)) if options else None


def _day_month_swapped(person: Person, identity: Identity, rng: Random) -> Identity | None:
    born = identity.date_of_birth
    if born.day > 12 or born.day == born.month:
        return None
    return replace(identity, date_of_birth=date(born.year, born.day, born.month))


def _middle_dropped(person: Person, identity: Identity, rng: Random) -> Identity | None:
    if not identity.name.middle:
        return None
    return replace(identity, name=replace(identity.name, middle=None))


def _another_family(person: Person, identity: Identity, rng: Random) -> str:
    """A family name from the person's group, or (intermarriage) an English one."""
    english = rng.random() < 0.4
    pool = pools()[NameOrigin.ENGLISH] if english else person.pool
    family = pool.family.pick(rng)
    while family == identity.name.family:
        family = pool.family.pick(rng)
    return family


def _surname_changed(person: Person, identity: Identity, rng: Random) -> Identity | None:
    # Name changes at marriage are overwhelmingly women's.
    if identity.sex is not Sex.FEMALE:
        return None
    return _renamed(identity, "family", _another_family(person, identity, rng))


def _order_swapped(person: Person, identity: Identity, rng: Random) -> Identity | None:
    name = identity.name
    if name.given.casefold() == name.family.casefold():
        return None
    return replace(identity, name=replace(name, given=name.family, family=name.given))


# Letters that carry their mark inside the letter, so Unicode decomposition leaves them.
_UNDECOMPOSABLE = str.maketrans({"đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L"})


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSABLE))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _accents_dropped(person: Person, identity: Identity, rng: Random) -> Identity | None:
    name = identity.name
    plain = PersonName(
        _strip_accents(name.given),
        _strip_accents(name.family),
        _strip_accents(name.middle) if name.middle else None,
    )
    return replace(identity, name=plain) if plain != name else None


def _compound_shortened(person: Person, identity: Identity, rng: Random) -> Identity | None:
    parts = person.surname_parts
    if len(parts) < 2 or identity.name.family != person.identity.name.family:
        return None
    return _renamed(identity, "family", parts[0])


def _transliterated(person: Person, identity: Identity, rng: Random) -> Identity | None:
    name = identity.name
    fields: list[NamePart] = rng.sample(("given", "middle", "family"), 3)
    for field in fields:
        value = getattr(name, field)
        spellings = other_spellings(value, family=field == "family") if value else ()
        if spellings:
            return _renamed(identity, field, rng.choice(spellings))
    return None


def _suffix_dropped(person: Person, identity: Identity, rng: Random) -> Identity | None:
    family = identity.name.family
    if not family.endswith(JUNIOR):
        return None
    return _renamed(identity, "family", family.removesuffix(JUNIOR))


def _alias_added(person: Person, identity: Identity, rng: Random) -> Identity | None:
    """Another name on file: a nickname, another spelling, or another family name."""
    for other in rng.sample((_nickname, _transliterated), 2):
        changed = other(person, identity, rng)
        if changed is not None and rng.random() < 0.7:
            return replace(identity, aliases=(*identity.aliases, changed.name))
    alias = replace(identity.name, family=_another_family(person, identity, rng))
    return replace(identity, aliases=(*identity.aliases, alias))


_CORRUPTIONS: Mapping[Corruption, Corrupt] = {
    Corruption.TYPO_INSERT: _typo(_insert),
    Corruption.TYPO_DELETE: _typo(_delete),
    Corruption.TYPO_SUBSTITUTE: _typo(_substitute),
    Corruption.TYPO_TRANSPOSE: _typo(_transpose),
    Corruption.NICKNAME: _nickname,
    Corruption.DAY_MONTH_SWAPPED: _day_month_swapped,
    Corruption.MIDDLE_NAME_DROPPED: _middle_dropped,
    Corruption.SURNAME_CHANGED: _surname_changed,
    Corruption.NAME_ORDER_SWAPPED: _order_swapped,
    Corruption.ACCENTS_DROPPED: _accents_dropped,
    Corruption.COMPOUND_SURNAME_SHORTENED: _compound_shortened,
    Corruption.TRANSLITERATION_CHANGED: _transliterated,
    Corruption.SUFFIX_DROPPED: _suffix_dropped,
    Corruption.ALIAS_ADDED: _alias_added,
}
