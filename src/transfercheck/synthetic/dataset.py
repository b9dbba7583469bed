"""A whole synthetic data set, generated in batches so that it can be streamed to disk.

Batches hold a fixed number of records (the last one fewer), each with its share of the
buyers, drawn from the people in that batch. Everything comes from one `random.Random`
seeded with the seed, consumed in the same order every time: the same seed gives the same
data set, and ten million records never need to be in memory at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from itertools import chain
from random import Random

from transfercheck.domain.records import Category, ProhibitingRecord
from transfercheck.synthetic.buyers import BUYER_MIX, Buyer, BuyerFactory, BuyerTruth, Holder
from transfercheck.synthetic.families import RELATIVES
from transfercheck.synthetic.names import NameOrigin
from transfercheck.synthetic.people import Person, PersonFactory
from transfercheck.synthetic.records import RecordFactory, RecordTruth, pick_categories
from transfercheck.synthetic.sampling import Weighted

BATCH_RECORDS = 10_000  # part of the output's definition: changing it changes the data
# Fewer people than that, and so than the 99 million synthetic SSNs and the 100 million
# numbers of the smallest licence format: identifiers stay unique.
MAX_SIZE = 90_000_000
# Buyers made apart from a data set (`clean_buyers_by_origin`) take serials from MAX_SIZE on,
# below the 99 million SSNs: at most this many of each of the six groups.
MAX_PER_ORIGIN = 1_000_000
_RELATIVE_IN_INDEX = 0.08  # record holders with a twin, sibling, father or son also on file
_HOLDER_MALE_SHARE = 0.8  # prohibited persons are mostly men
_BUYER_KINDS = Weighted(BUYER_MIX)


@dataclass(frozen=True)
class DatasetSpec:
    seed: int
    n_records: int
    n_buyers: int
    reference_date: date  # "today" for ages, event dates and expiries; never the clock

    def __post_init__(self) -> None:
        if self.n_records < 1:
            raise ValueError("n_records must be at least 1")
        if self.n_buyers < 0:
            raise ValueError("n_buyers must not be negative")
        if self.n_records + self.n_buyers > MAX_SIZE:
            raise ValueError(f"n_records + n_buyers must be at most {MAX_SIZE:,}")


@dataclass(frozen=True)
class Batch:
    people: tuple[Person, ...]
    records: tuple[ProhibitingRecord, ...]
    record_truth: tuple[RecordTruth, ...]
    buyers: tuple[Buyer, ...]
    buyer_truth: tuple[BuyerTruth, ...]


@dataclass(frozen=True)
class DatasetStream:
    """A data set generated batch by batch as it is read; read it as often as you like."""

    spec: DatasetSpec

    def batches(self) -> Iterator[Batch]:
        return _generate(self.spec)


@dataclass(frozen=True)
class Dataset:
    """A data set held in memory."""

    spec: DatasetSpec
    parts: tuple[Batch, ...]

    def batches(self) -> Iterator[Batch]:
        return iter(self.parts)

    @property
    def people(self) -> tuple[Person, ...]:
        return tuple(chain.from_iterable(b.people for b in self.parts))

    @property
    def records(self) -> tuple[ProhibitingRecord, ...]:
        return tuple(chain.from_iterable(b.records for b in self.parts))

    @property
    def record_truth(self) -> tuple[RecordTruth, ...]:
        return tuple(chain.from_iterable(b.record_truth for b in self.parts))

    @property
    def buyers(self) -> tuple[Buyer, ...]:
        return tuple(chain.from_iterable(b.buyers for b in self.parts))

    @property
    def buyer_truth(self) -> tuple[BuyerTruth, ...]:
        return tuple(chain.from_iterable(b.buyer_truth for b in self.parts))


def clean_buyers_by_origin(
    spec: DatasetSpec, per_origin: int
) -> tuple[tuple[Buyer, ...], tuple[BuyerTruth, ...]]:
    """`per_origin` clean buyers of every name-origin group, apart from the data set: enough
    of each small group to measure its false delays (a data set's own mix holds a few
    hundred). They are new people: their serials start where no data set's can reach, so
    their identifiers never repeat one of the data set's (the same seeded bijections)."""
    if not 0 <= per_origin <= MAX_PER_ORIGIN:
        raise ValueError(f"per_origin must be between 0 and {MAX_PER_ORIGIN:,}")
    rng = Random(f"{spec.seed}:clean buyers by origin")
    people = PersonFactory(spec.seed, spec.reference_date, first_serial=MAX_SIZE)
    factory = BuyerFactory(people, first_number=MAX_SIZE)
    made = [factory.clean(rng, origin) for origin in NameOrigin for _ in range(per_origin)]
    return tuple(m.buyer for m in made), tuple(m.truth for m in made)


def stream_dataset(seed: int, n_records: int, n_buyers: int, reference_date: date) -> DatasetStream:
    """The data set as a stream of batches, for sizes that should not sit in memory."""
    return DatasetStream(DatasetSpec(seed, n_records, n_buyers, reference_date))


def generate_dataset(seed: int, n_records: int, n_buyers: int, reference_date: date) -> Dataset:
    """The whole data set in memory: exactly `n_records` records and `n_buyers` buyers."""
    spec = DatasetSpec(seed, n_records, n_buyers, reference_date)
    return Dataset(spec, tuple(_generate(spec)))


def _generate(spec: DatasetSpec) -> Iterator[Batch]:
    rng = Random(spec.seed)
    people = PersonFactory(spec.seed, spec.reference_date)
    records, buyers = RecordFactory(people), BuyerFactory(people)
    for start in range(0, spec.n_records, BATCH_RECORDS):
        end = min(start + BATCH_RECORDS, spec.n_records)
        # Buyers spread over batches in proportion to records, adding up to n_buyers.
        n_buyers = spec.n_buyers * end // spec.n_records - spec.n_buyers * start // spec.n_records
        yield _batch(end - start, n_buyers, people, records, buyers, rng)


def _batch(
    size: int,
    n_buyers: int,
    people: PersonFactory,
    records: RecordFactory,
    buyers: BuyerFactory,
    rng: Random,
) -> Batch:
    holders, extra_people, truths = _index(size, people, records, rng)
    kinds = [_BUYER_KINDS.pick(rng) for _ in range(n_buyers)]
    made = buyers.buyers(kinds, holders, rng)
    extra_people += [m.new_person for m in made if m.new_person is not None]
    return Batch(
        people=(*(h.person for h in holders), *extra_people),
        records=tuple(chain.from_iterable(h.records for h in holders)),
        record_truth=tuple(truths),
        buyers=tuple(m.buyer for m in made),
        buyer_truth=tuple(m.truth for m in made),
    )


def _index(
    size: int, people: PersonFactory, records: RecordFactory, rng: Random
) -> tuple[list[Holder], list[Person], list[RecordTruth]]:
    """People with `size` records in all; some with a relative who is also on file."""
    holders: list[Holder] = []
    spare: list[Person] = []  # relatives made when the batch had no records left for them
    truths: list[RecordTruth] = []
    while len(truths) < size:
        categories = pick_categories(rng)
        alien = Category.UNLAWFUL_ALIEN in categories
        person = people.person(rng, male_share=_HOLDER_MALE_SHARE, foreign_born=alien or None)
        family: list[tuple[Person, list[Category]]] = [(person, categories)]
        if rng.random() < _RELATIVE_IN_INDEX:
            relative = rng.choice(RELATIVES)(people, person, rng)
            if relative is not None:
                family.append((relative, _categories_for(relative, rng)))
        for member, member_categories in family:
            room = size - len(truths)
            if not room:
                spare.append(member)
                continue
            made = [records.record(member, c, rng) for c in member_categories[:room]]
            holders.append(Holder(member, tuple(r for r, _ in made)))
            truths += [t for _, t in made]
    return holders, spare, truths


def _categories_for(person: Person, rng: Random) -> list[Category]:
    """Categories that fit a person made before them: no immigration record for a native."""
    born_abroad = len(person.identity.place_of_birth or "") > 2
    categories = pick_categories(rng)
    while Category.UNLAWFUL_ALIEN in categories and not born_abroad:
        categories = pick_categories(rng)
    return categories
