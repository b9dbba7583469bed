"""Buyers (the queries) and the truth about each: who they really are and what was garbled.

Three kinds of buyer test three things: clean people must proceed; prohibited people must
be found through the errors on their form; look-alikes of prohibited people (a twin, a
father or son with the same name, someone with a similar name) must not be taken for them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from random import Random

from transfercheck.domain.checks import FirearmCategory, Transfer, TransferType
from transfercheck.domain.identities import Identity, Sex
from transfercheck.domain.records import ProhibitingRecord
from transfercheck.synthetic.corruption import Corruption, corrupt
from transfercheck.synthetic.families import namesake_of, similar_to, twin_of
from transfercheck.synthetic.names import NameOrigin
from transfercheck.synthetic.people import Person, PersonFactory
from transfercheck.synthetic.places import pick_state
from transfercheck.synthetic.sampling import Weighted, fixed_draw


class BuyerKind(StrEnum):
    CLEAN = "clean"
    PROHIBITED = "prohibited"
    LOOKALIKE_TWIN = "lookalike-twin"
    LOOKALIKE_FATHER_SON = "lookalike-father-son"
    LOOKALIKE_SIMILAR = "lookalike-similar"


# Far more prohibited people and look-alikes than the 1-2% of real checks that are denied:
# the point of the data is to measure the matcher on the hard cases.
BUYER_MIX: Mapping[BuyerKind, float] = {
    BuyerKind.CLEAN: 0.50,
    BuyerKind.PROHIBITED: 0.30,
    BuyerKind.LOOKALIKE_TWIN: 0.07,
    BuyerKind.LOOKALIKE_FATHER_SON: 0.07,
    BuyerKind.LOOKALIKE_SIMILAR: 0.06,
}
# Errors on a prohibited buyer's form: none, one or two.
CORRUPTION_COUNTS = Weighted({0: 0.3, 1: 0.45, 2: 0.25})
_GIVES_IDENTIFIER = 0.6  # buyers who write an SSN or an ID number on the form
_GIVES_BOTH = 0.25  # of those, who write both
# Buyers who write the state they live in as their place of birth (the form asks for both).
BUYER_PLACE_WRONG = 0.02
_BUYER_MALE_SHARE = 0.75  # most gun buyers are men
_FIREARMS = Weighted(
    {FirearmCategory.HANDGUN: 0.55, FirearmCategory.LONG_GUN: 0.4, FirearmCategory.OTHER: 0.05}
)
_TRANSFERS = Weighted(
    {
        TransferType.DEALER_SALE: 0.85,
        TransferType.PRIVATE_VIA_DEALER: 0.12,
        TransferType.PAWN_REDEMPTION: 0.03,
    }
)
_LONG_GUN_OUT_OF_STATE = 0.1  # federal law lets long guns, not handguns, be bought elsewhere


@dataclass(frozen=True)
class Holder:
    """A person in the index, with their records."""

    person: Person
    records: tuple[ProhibitingRecord, ...]


@dataclass(frozen=True)
class Buyer:
    buyer_id: str
    transfer: Transfer


@dataclass(frozen=True)
class BuyerTruth:
    buyer_id: str
    kind: BuyerKind
    person_id: str  # who the buyer really is (for a look-alike: the look-alike)
    origin: NameOrigin
    corruptions: tuple[Corruption, ...]  # errors on the form, in the order made
    identifiers: tuple[str, ...]  # what the buyer wrote down: "ssn", "id_document"
    agency_record_ids: tuple[str, ...]  # the buyer's own records; whether they prohibit
    # on the reference date is for the rules engine to say
    lookalike_of: str | None  # the prohibited person a look-alike resembles

    @property
    def has_records(self) -> bool:
        return bool(self.agency_record_ids)


@dataclass(frozen=True)
class MadeBuyer:
    buyer: Buyer
    truth: BuyerTruth
    new_person: Person | None  # a person made for this buyer, to add to the population


class BuyerFactory:
    """Buyers one after another, numbered in order."""

    def __init__(self, people: PersonFactory, first_number: int = 0) -> None:
        self._people = people
        self._next_number = first_number

    def buyers(
        self, kinds: Sequence[BuyerKind], holders: Sequence[Holder], rng: Random
    ) -> list[MadeBuyer]:
        """One buyer per kind; prohibited buyers and look-alikes come from `holders`, which
        must not be empty (every batch has at least one record)."""
        men = [h for h in holders if h.person.identity.sex is Sex.MALE] or holders
        return [self._buyer(kind, holders, men, rng) for kind in kinds]

    def clean(self, rng: Random, origin: NameOrigin | None = None) -> MadeBuyer:
        """A buyer with no record, of the given name-origin group (else one drawn)."""
        person = self._people.person(rng, male_share=_BUYER_MALE_SHARE, origin=origin)
        return self._made(BuyerKind.CLEAN, person, person.identity, rng)

    def _buyer(
        self, kind: BuyerKind, holders: Sequence[Holder], men: Sequence[Holder], rng: Random
    ) -> MadeBuyer:
        if kind is BuyerKind.CLEAN:
            return self.clean(rng)
        if kind is BuyerKind.PROHIBITED:
            return self._prohibited(rng.choice(holders), rng)
        if kind is BuyerKind.LOOKALIKE_FATHER_SON:
            return self._lookalike(kind, rng.choice(men), rng)
        return self._lookalike(kind, rng.choice(holders), rng)

    def _prohibited(self, holder: Holder, rng: Random) -> MadeBuyer:
        person = holder.person
        count = CORRUPTION_COUNTS.pick(rng)
        written, corruptions = corrupt(person, person.identity, rng, count)
        return self._made(
            BuyerKind.PROHIBITED, person, written, rng, corruptions, records=holder.records
        )

    def _lookalike(self, kind: BuyerKind, holder: Holder, rng: Random) -> MadeBuyer:
        lookalike = None
        if kind is BuyerKind.LOOKALIKE_FATHER_SON:
            lookalike = namesake_of(self._people, holder.person, rng)
        elif kind is BuyerKind.LOOKALIKE_TWIN:
            lookalike = twin_of(self._people, holder.person, rng)
        if lookalike is None:  # no father or son fits: a similar name instead
            kind = BuyerKind.LOOKALIKE_SIMILAR
            lookalike = similar_to(self._people, holder.person, rng)
        return self._made(kind, lookalike, lookalike.identity, rng, lookalike_of=holder.person)

    def _made(
        self,
        kind: BuyerKind,
        person: Person,
        written: Identity,
        rng: Random,
        corruptions: tuple[Corruption, ...] = (),
        *,
        records: tuple[ProhibitingRecord, ...] = (),
        lookalike_of: Person | None = None,
    ) -> MadeBuyer:
        buyer_id = f"B{self._next_number:09d}"
        self._next_number += 1
        given = _identifiers_given(person, records, rng)
        identity = Identity(
            name=written.name,
            date_of_birth=written.date_of_birth,
            sex=written.sex,
            place_of_birth=_written_place(written, buyer_id),
            state_of_residence=written.state_of_residence,
            ssn=person.identity.ssn if "ssn" in given else None,
            id_document=person.identity.id_document if "id_document" in given else None,
        )
        truth = BuyerTruth(
            buyer_id=buyer_id,
            kind=kind,
            person_id=person.person_id,
            origin=person.origin,
            corruptions=corruptions,
            identifiers=given,
            agency_record_ids=tuple(r.agency_record_id for r in records),
            lookalike_of=lookalike_of.person_id if lookalike_of else None,
        )
        new_person = None if kind is BuyerKind.PROHIBITED else person
        return MadeBuyer(Buyer(buyer_id, _transfer(identity, rng)), truth, new_person)


def _identifiers_given(
    person: Person, records: Sequence[ProhibitingRecord], rng: Random
) -> tuple[str, ...]:
    """Which identifiers the buyer writes down; a prohibited buyer favours those that are
    also on one of their records, so that about half of them can be matched exactly."""
    if rng.random() >= _GIVES_IDENTIFIER:
        return ()
    own = person.identity
    held = [f for f, v in (("ssn", own.ssn), ("id_document", own.id_document)) if v]
    on_record = [f for f in held if any(getattr(r.subject, f) == getattr(own, f) for r in records)]
    choices = on_record or held
    if not choices:
        return ()
    if rng.random() < _GIVES_BOTH:
        return tuple(held)
    return (rng.choice(choices),)


def _written_place(written: Identity, buyer_id: str) -> str | None:
    """The place of birth on the form: now and then the state of residence instead. Drawn
    by `fixed_draw`, so that the rest of the data set stays as it was."""
    if fixed_draw("buyer place", buyer_id) < BUYER_PLACE_WRONG:
        return written.state_of_residence or written.place_of_birth
    return written.place_of_birth


def _transfer(buyer: Identity, rng: Random) -> Transfer:
    firearm = _FIREARMS.pick(rng)
    home = buyer.state_of_residence or pick_state(rng)
    away = firearm is FirearmCategory.LONG_GUN and rng.random() < _LONG_GUN_OUT_OF_STATE
    return Transfer(
        buyer=buyer,
        firearm_category=firearm,
        transfer_type=_TRANSFERS.pick(rng),
        jurisdiction=pick_state(rng) if away else home,
    )
