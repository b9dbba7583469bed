"""Builders shared by the matching tests and the timing script (no test lives here)."""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from datetime import date, timedelta

from faker.providers.person.en_US import Provider as UsNames
from faker.providers.person.es_MX import Provider as MxNames

from transfercheck.domain.identities import IdDocument, IdDocumentType, Identity, PersonName, Sex
from transfercheck.matching import IdentityIndex, Matcher, load_default_model
from transfercheck.matching.normalise import NormalisedName, normalise_name

DOB = date(1980, 3, 15)
_MODEL = load_default_model()


def person(
    given: str,
    family: str,
    dob: date = DOB,
    sex: Sex = Sex.MALE,
    middle: str | None = None,
    aliases: tuple[PersonName, ...] = (),
    ssn: str | None = None,
    id_document: IdDocument | None = None,
    fbi_number: str | None = None,
    place_of_birth: str | None = None,
) -> Identity:
    return Identity(
        name=PersonName(given, family, middle),
        date_of_birth=dob,
        sex=sex,
        aliases=aliases,
        ssn=ssn,
        id_document=id_document,
        fbi_number=fbi_number,
        place_of_birth=place_of_birth,
    )


def licence(number: str, issuer: str = "TX") -> IdDocument:
    return IdDocument(IdDocumentType.DRIVERS_LICENSE, number, issuer)


def name(given: str, family: str, middle: str | None = None) -> NormalisedName:
    return normalise_name(PersonName(given, family, middle))


def matcher_for(records: Mapping[str, Identity], max_block_size: int = 1000) -> Matcher:
    index = IdentityIndex(max_block_size=max_block_size)
    for record_id, identity in records.items():
        index.add(record_id, identity)
    return Matcher(_MODEL, index)


def synthetic_identities(count: int, seed: int) -> Iterator[Identity]:
    """Plausible people drawn with US and Mexican name frequencies (Faker's lists)."""
    rng = random.Random(seed)
    male = _weighted(UsNames.first_names_male, rng)
    female = _weighted(UsNames.first_names_female, rng)
    family = _weighted(UsNames.last_names, rng)
    spanish = list(MxNames.last_names)
    for i in range(count):
        sex = rng.choice((Sex.MALE, Sex.FEMALE))
        given = male if sex is Sex.MALE else female
        surname = next(family) if rng.random() < 0.85 else rng.choice(spanish)
        middle = next(given) if rng.random() < 0.5 else None
        dob = date(1940, 1, 1) + timedelta(days=rng.randrange(65 * 365))
        ssn = f"9{rng.randrange(10**8):08d}" if rng.random() < 0.4 else None
        place = _PLACES[i % len(_PLACES)]  # not drawn: the draws above stay as they were
        yield person(next(given), surname, dob, sex, middle, ssn=ssn, place_of_birth=place)


_PLACES = (None, "TX", "California", "Mexico", "NY", "Viet Nam", "Houston, TX")


def _weighted(frequencies: Mapping[str, float], rng: random.Random) -> Iterator[str]:
    names, weights = list(frequencies), list(frequencies.values())
    while True:
        yield from rng.choices(names, weights=weights, k=1024)
