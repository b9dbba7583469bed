"""Relatives and near-namesakes: the hardest non-matches for the matcher.

Twins share a family name and a date of birth; siblings a family name and nearly a date of
birth; a father and his son often share the whole name. A matcher that scores agreement
on surname and date of birth as a near-match denies all of them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from random import Random

import jellyfish

from transfercheck.domain.identities import PersonName, Sex, age_on
from transfercheck.synthetic.people import (
    Person,
    PersonFactory,
    birth_date,
    middle_name,
    pick_age,
)
from transfercheck.synthetic.places import pick_state
from transfercheck.synthetic.sampling import Weighted

JUNIOR = " Jr"  # the suffix goes with the family name, as Form 4473's last-name box asks
_JUNIOR_SHARE = 0.6  # sons named after their father who write the suffix
_SAME_HOUSEHOLD = 0.7  # relatives living in the same state
_SIMILAR_CANDIDATES = 150  # names drawn to find one that looks like the original

Relative = Callable[[PersonFactory, Person, Random], Person | None]


def twin_of(factory: PersonFactory, person: Person, rng: Random) -> Person:
    """Same family name and date of birth, another given name (and maybe another sex)."""
    return _sibling(factory, person, rng, person.identity.date_of_birth)


def sibling_of(factory: PersonFactory, person: Person, rng: Random) -> Person:
    """Same family name, another given name, born ten months to eight years apart."""
    born = person.identity.date_of_birth
    gap = timedelta(days=rng.randint(300, 8 * 365))
    younger_is_adult = age_on(born + gap, factory.reference_date) >= 18
    dob = born + gap if younger_is_adult and rng.random() < 0.5 else born - gap
    return _sibling(factory, person, rng, dob)


def namesake_of(factory: PersonFactory, person: Person, rng: Random) -> Person | None:
    """His father or son, with his full name; None for a woman or when no age fits."""
    if person.identity.sex is not Sex.MALE:
        return None
    age = age_on(person.identity.date_of_birth, factory.reference_date)
    gap = rng.randint(20, 35)
    name = person.identity.name
    family = name.family.removesuffix(JUNIOR)
    if age - gap >= 18 and (age + gap > 90 or rng.random() < 0.5):
        new_age = age - gap
        if rng.random() < _JUNIOR_SHARE:
            family += JUNIOR
    elif age + gap <= 90:
        new_age = age + gap
    else:
        return None
    dob = birth_date(rng, factory.reference_date, new_age)
    namesake = PersonName(name.given, family, name.middle)
    return _relative(factory, person, rng, namesake, Sex.MALE, dob)


def similar_to(factory: PersonFactory, person: Person, rng: Random) -> Person:
    """An unrelated person whose given or family name looks like this one's, born another day.

    The look-alike name is the nearest (Jaro-Winkler) of a sample of the pool; in small pools
    (Vietnamese surnames, Chinese given names) the nearest may not be near at all.
    """
    name, sex = person.identity.name, person.identity.sex
    pool = person.pool
    if rng.random() < 0.5:
        given = _lookalike(pool.female if sex is Sex.FEMALE else pool.male, name.given, rng)
        similar, parts = PersonName(given, name.family), person.surname_parts
    else:
        family = _lookalike(pool.family, name.family, rng)
        similar, parts = PersonName(name.given, family), (family,)
    similar = PersonName(similar.given, similar.family, middle_name(pool, sex, rng))
    dob = _another_birth(person.identity.date_of_birth, factory.reference_date, rng)
    return factory.build(
        rng,
        origin=person.origin,
        name=similar,
        surname_parts=parts,
        sex=sex,
        date_of_birth=dob,
        place_of_birth=person.identity.place_of_birth or pick_state(rng),
        state_of_residence=pick_state(rng),
    )


RELATIVES: tuple[Relative, ...] = (twin_of, sibling_of, namesake_of)


def _sibling(factory: PersonFactory, person: Person, rng: Random, dob: date) -> Person:
    sex = rng.choice((Sex.MALE, Sex.FEMALE))
    pool = person.pool
    given = _other_name(pool.female if sex is Sex.FEMALE else pool.male, person, rng)
    name = PersonName(given, person.identity.name.family, middle_name(pool, sex, rng))
    return _relative(factory, person, rng, name, sex, dob)


def _relative(
    factory: PersonFactory,
    person: Person,
    rng: Random,
    name: PersonName,
    sex: Sex,
    date_of_birth: date,
) -> Person:
    home = person.identity.state_of_residence
    return factory.build(
        rng,
        origin=person.origin,
        name=name,
        surname_parts=person.surname_parts,
        sex=sex,
        date_of_birth=date_of_birth,
        place_of_birth=person.identity.place_of_birth or pick_state(rng),
        state_of_residence=home if home and rng.random() < _SAME_HOUSEHOLD else pick_state(rng),
    )


def _other_name(names: Weighted[str], person: Person, rng: Random) -> str:
    own = person.identity.name.given.casefold()
    given = names.pick(rng)
    while given.casefold() == own:
        given = names.pick(rng)
    return given


def _lookalike(names: Weighted[str], original: str, rng: Random) -> str:
    """The name most like `original` among a few drawn, never `original` itself."""
    drawn: set[str] = set()
    while not drawn:
        drawn = {names.pick(rng) for _ in range(_SIMILAR_CANDIDATES)} - {original}
    return max(sorted(drawn), key=lambda n: jellyfish.jaro_winkler_similarity(n, original))


def _another_birth(born: date, reference_date: date, rng: Random) -> date:
    dob = birth_date(rng, reference_date, pick_age(rng))
    return dob if dob != born else dob - timedelta(days=1)
