"""Synthetic people: a true identity, its name-origin group, and how its surname is built."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from random import Random

from transfercheck.domain.identities import IdDocument, IdDocumentType, Identity, PersonName, Sex
from transfercheck.synthetic.identifiers import IdentifierFactory
from transfercheck.synthetic.names import ORIGIN_WEIGHTS, NameOrigin, NamePool, pools
from transfercheck.synthetic.places import foreign_born_share, pick_country, pick_state
from transfercheck.synthetic.sampling import Weighted

# Adult age bands (first and last age) and their shares, roughly the US adult population.
_AGE_BANDS = Weighted(
    {
        (18, 29): 0.21,
        (30, 39): 0.18,
        (40, 49): 0.17,
        (50, 59): 0.17,
        (60, 69): 0.15,
        (70, 79): 0.09,
        (80, 90): 0.03,
    }
)
_ORIGINS = Weighted(ORIGIN_WEIGHTS)
SSN_SHARE = 0.9  # people whose SSN the data knows at all
ID_DOCUMENT_SHARE = 0.95  # people holding a driver's licence or state ID
_STATE_ID_SHARE = 0.15  # of those, a non-driver state ID
_HYPHENATED_SHARE = 0.05  # women with a hyphenated married name
_BORN_IN_HOME_STATE = 0.7


@dataclass(frozen=True)
class Person:
    person_id: str
    serial: int  # the basis of the person's identifiers; unique in a data set
    origin: NameOrigin
    identity: Identity
    surname_parts: tuple[str, ...]  # ("García", "López") or ("Smith", "Jones") or ("Lee",)

    @property
    def pool(self) -> NamePool:
        return pools()[self.origin]


class PersonFactory:
    """Makes people one after another; their serials, and so their identifiers, never repeat."""

    def __init__(self, seed: int, reference_date: date, first_serial: int = 0) -> None:
        self.reference_date = reference_date
        self._identifiers = IdentifierFactory(seed)
        self._next_serial = first_serial

    def person(
        self,
        rng: Random,
        *,
        male_share: float = 0.5,
        foreign_born: bool | None = None,
        origin: NameOrigin | None = None,
    ) -> Person:
        """A new, unrelated person. `foreign_born` None lets the origin group decide, and
        `origin` None draws the group by its share of the population."""
        origin = _ORIGINS.pick(rng) if origin is None else origin
        sex = Sex.MALE if rng.random() < male_share else Sex.FEMALE
        pool = pools()[origin]
        parts, family = _surnames(pool, sex, rng)
        name = PersonName(pool.given(sex, rng), family, middle_name(pool, sex, rng))
        if foreign_born is None:
            foreign_born = rng.random() < foreign_born_share(origin)
        state = pick_state(rng)
        return self.build(
            rng,
            origin=origin,
            name=name,
            surname_parts=parts,
            sex=sex,
            date_of_birth=birth_date(rng, self.reference_date, pick_age(rng)),
            place_of_birth=pick_country(origin, rng) if foreign_born else _home(state, rng),
            state_of_residence=state,
        )

    def build(
        self,
        rng: Random,
        *,
        origin: NameOrigin,
        name: PersonName,
        surname_parts: tuple[str, ...],
        sex: Sex,
        date_of_birth: date,
        place_of_birth: str,
        state_of_residence: str,
    ) -> Person:
        """A person from the given facts, with identifiers of their own."""
        serial = self._next_serial
        self._next_serial += 1
        identity = Identity(
            name=name,
            date_of_birth=date_of_birth,
            sex=sex,
            place_of_birth=place_of_birth,
            state_of_residence=state_of_residence,
            id_document=self._id_document(serial, state_of_residence, rng),
            ssn=self._identifiers.ssn(serial) if rng.random() < SSN_SHARE else None,
        )
        return Person(f"P{serial:09d}", serial, origin, identity, surname_parts)

    def fbi_number(self, person: Person) -> str:
        """The number the FBI would give the person on their first fingerprinted arrest."""
        return self._identifiers.fbi_number(person.serial)

    def _id_document(self, serial: int, state: str, rng: Random) -> IdDocument | None:
        if rng.random() >= ID_DOCUMENT_SHARE:
            return None
        kind = (
            IdDocumentType.STATE_ID
            if rng.random() < _STATE_ID_SHARE
            else IdDocumentType.DRIVERS_LICENSE
        )
        return IdDocument(kind, self._identifiers.licence_number(serial, state), state)


def _surnames(pool: NamePool, sex: Sex, rng: Random) -> tuple[tuple[str, ...], str]:
    """The surnames of a new family name, and the name as written."""
    first = pool.family.pick(rng)
    if rng.random() < pool.compound_share:
        parts = (first, _other(pool, first, rng))
        return parts, " ".join(parts)
    if sex is Sex.FEMALE and rng.random() < _HYPHENATED_SHARE:
        parts = (first, _other(pool, first, rng))
        return parts, "-".join(parts)
    return (first,), first


def middle_name(pool: NamePool, sex: Sex, rng: Random) -> str | None:
    if rng.random() >= pool.middle_share:
        return None
    middle = pool.middle(sex, rng)
    return middle[0] if rng.random() < pool.initial_share else middle


def pick_age(rng: Random) -> int:
    low, high = _AGE_BANDS.pick(rng)
    return rng.randint(low, high)


def birth_date(rng: Random, reference_date: date, age: int) -> date:
    """A date of birth that makes the person exactly `age` on the reference date."""
    latest = years_before(reference_date, age)
    earliest = years_before(reference_date, age + 1).toordinal() + 1
    return date.fromordinal(rng.randint(earliest, latest.toordinal()))


def years_before(day: date, years: int) -> date:
    """The same day `years` earlier; 29 February falls back to the 28th."""
    year = day.year - years
    return (
        day.replace(year=year, day=28)
        if (day.month, day.day) == (2, 29)
        else day.replace(year=year)
    )


def _other(pool: NamePool, first: str, rng: Random) -> str:
    """A second surname that differs from the first (a few draws always find one)."""
    second = pool.family.pick(rng)
    while second == first:
        second = pool.family.pick(rng)
    return second


def _home(state: str, rng: Random) -> str:
    return state if rng.random() < _BORN_IN_HOME_STATE else pick_state(rng)
