"""Prohibiting records about synthetic people, with the facts the rules engine weighs.

Whether a record prohibits on a given day is for the rules engine to say; this module only
produces realistic facts: dispositions that are missing or still pending, protection
orders that have lapsed, relief granted after a conviction.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from random import Random

from transfercheck.domain.identities import Identity
from transfercheck.domain.records import (
    Category,
    Disposition,
    ProhibitingRecord,
    Relief,
    ReliefType,
)
from transfercheck.synthetic.agencies import RECORD_PREFIX, agency_for
from transfercheck.synthetic.corruption import RECORD_VARIATIONS, Corruption, corrupt
from transfercheck.synthetic.people import (
    ID_DOCUMENT_SHARE,
    SSN_SHARE,
    Person,
    PersonFactory,
    years_before,
)
from transfercheck.synthetic.sampling import Weighted, fixed_draw

# Share of each category among records. Source: reasons for the FBI's federal denials,
# 1998-2012 (n = 987,578; NICS Operations Report 2012): prison term over one year 58.5%,
# domestic-violence misdemeanour 10.3%, fugitive 9.6%, drug user 8.2%, protection order
# 4.3%, indictment 2.0%, unlawful immigrant 1.2%, mental health 1.0%. State prohibitions
# (4.3%) have no federal category and are spread over the others; the small categories
# are rounded up so that a 20,000-record sample holds dozens of each. These are shares of
# denials, not of the indexes (the NICS Indices are about half immigration records).
CATEGORY_SHARES: Mapping[Category, float] = {
    Category.FELONY_CONVICTION: 0.58,
    Category.DOMESTIC_VIOLENCE_MISDEMEANOR: 0.10,
    Category.FUGITIVE: 0.10,
    Category.UNLAWFUL_DRUG_USER: 0.08,
    Category.PROTECTION_ORDER: 0.05,
    Category.UNDER_INDICTMENT: 0.03,
    Category.UNLAWFUL_ALIEN: 0.03,
    Category.MENTAL_HEALTH: 0.02,
    Category.DISHONORABLE_DISCHARGE: 0.007,
    Category.RENOUNCED_CITIZENSHIP: 0.003,
}
# How many records one person has: most one, a few a long history.
RECORDS_PER_PERSON = Weighted({1: 0.70, 2: 0.18, 3: 0.08, 4: 0.04})
_CATEGORIES = Weighted(CATEGORY_SHARES)

_CONVICTION_OUTCOMES = Weighted(
    {
        Disposition.CONVICTED: 0.72,
        Disposition.UNKNOWN: 0.13,  # arrest on file, court outcome never reported
        Disposition.PENDING: 0.05,
        Disposition.DISMISSED: 0.06,
        Disposition.ACQUITTED: 0.04,
    }
)
# An indictment prohibits while it is pending, so most indictment records are.
_INDICTMENT_OUTCOMES = Weighted(
    {
        Disposition.PENDING: 0.75,
        Disposition.UNKNOWN: 0.08,
        Disposition.DISMISSED: 0.08,
        Disposition.CONVICTED: 0.05,
        Disposition.ACQUITTED: 0.04,
    }
)
_OUTCOMES: Mapping[Category, Weighted[Disposition]] = {
    Category.FELONY_CONVICTION: _CONVICTION_OUTCOMES,
    Category.DOMESTIC_VIOLENCE_MISDEMEANOR: _CONVICTION_OUTCOMES,
    Category.UNDER_INDICTMENT: _INDICTMENT_OUTCOMES,
}
# Years back from the reference date in which the event falls: warrants, drug use and
# orders are recent by nature, convictions and discharges can be decades old.
_LOOKBACK_YEARS: Mapping[Category, int] = {
    Category.FELONY_CONVICTION: 25,
    Category.DOMESTIC_VIOLENCE_MISDEMEANOR: 15,
    Category.FUGITIVE: 6,
    Category.UNLAWFUL_DRUG_USER: 3,
    Category.MENTAL_HEALTH: 25,
    Category.UNLAWFUL_ALIEN: 10,
    Category.DISHONORABLE_DISCHARGE: 30,
    Category.RENOUNCED_CITIZENSHIP: 30,
    Category.PROTECTION_ORDER: 4,
    Category.UNDER_INDICTMENT: 3,
}
_CRIMINAL = frozenset(_LOOKBACK_YEARS) - {
    Category.MENTAL_HEALTH,
    Category.UNLAWFUL_ALIEN,
    Category.DISHONORABLE_DISCHARGE,
    Category.RENOUNCED_CITIZENSHIP,
}
_DESCRIPTIONS: Mapping[Category, tuple[str, ...]] = {
    Category.FELONY_CONVICTION: (
        "Burglary", "Aggravated assault", "Robbery", "Grand theft", "Forgery",
        "Possession with intent to distribute", "Unlawful possession of a firearm",
    ),
    Category.DOMESTIC_VIOLENCE_MISDEMEANOR: ("Domestic battery", "Assault on a family member"),
    Category.FUGITIVE: ("Outstanding felony warrant", "Failure to appear", "Probation violation"),
    Category.UNLAWFUL_DRUG_USER: ("Possession of a controlled substance", "Positive drug test"),
    Category.MENTAL_HEALTH: ("Involuntary commitment", "Adjudicated mentally incompetent"),
    Category.UNLAWFUL_ALIEN: ("Final order of removal", "Nonimmigrant visa overstay"),
    Category.DISHONORABLE_DISCHARGE: ("Dishonorable discharge by general court-martial",),
    Category.RENOUNCED_CITIZENSHIP: ("Renunciation of U.S. citizenship",),
    Category.PROTECTION_ORDER: ("Protection order after hearing: intimate partner",
                                "Protection order after hearing: child"),
    Category.UNDER_INDICTMENT: ("Felony indictment: burglary", "Felony indictment: robbery"),
}  # fmt: skip
_RELIEF_SHARE = 0.04  # convictions later expunged, set aside, pardoned or rights restored
_RELIEF_TYPES = Weighted(
    {
        ReliefType.EXPUNGEMENT: 0.35,
        ReliefType.SET_ASIDE: 0.15,
        ReliefType.PARDON: 0.2,
        ReliefType.RIGHTS_RESTORED: 0.3,
    }
)
_ORDER_DAYS = Weighted({182: 0.2, 365: 0.4, 730: 0.2, 1095: 0.1, 1825: 0.1})  # protection orders
_RELIEF_KEEPS_BAN = 0.25
_VARIED_SHARE = 0.3  # records whose name differs a little from the person's
# Identifiers on a record: about 60% carry the SSN and 40% the ID document, most criminal
# records the FBI number; immigration records seldom have an SSN.
_RECORD_SSN, _RECORD_SSN_ALIEN, _RECORD_ID_DOCUMENT, _RECORD_FBI = 0.6, 0.1, 0.4, 0.9
# Places of birth on records: a quarter have none (courts and mental-health records seldom
# carry one), and a few carry the state of residence, entered in the wrong box.
RECORD_PLACE_MISSING, RECORD_PLACE_WRONG = 0.25, 0.03


@dataclass(frozen=True)
class RecordTruth:
    agency_record_id: str
    source_agency: str
    person_id: str
    variations: tuple[Corruption, ...]  # how the record's name differs from the person's


class RecordFactory:
    """Records one after another; agency record numbers never repeat in a data set."""

    def __init__(self, people: PersonFactory) -> None:
        self._people = people
        self._reference = people.reference_date
        self._next_serial = 0
        self._window_starts = {
            category: years_before(self._reference, years).toordinal()
            for category, years in _LOOKBACK_YEARS.items()
        }

    def record(
        self, person: Person, category: Category, rng: Random
    ) -> tuple[ProhibitingRecord, RecordTruth]:
        event = self._event_date(person, category, rng)
        disposition, decided = _disposition(category, event, self._reference, rng)
        agency = agency_for(category, disposition, person.identity.state_of_residence, rng)
        subject, variations = self._as_recorded(person, category, rng)
        subject = replace(subject, place_of_birth=_recorded_place(person, self._next_serial))
        agency_record_id = f"{RECORD_PREFIX[agency.type]}{event.year}-{self._next_serial:08d}"
        self._next_serial += 1
        record = ProhibitingRecord(
            record_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            agency_record_id=agency_record_id,
            source_agency=agency.name,
            source_agency_type=agency.type,
            jurisdiction=agency.jurisdiction,
            category=category,
            subject=subject,
            event_date=event,
            disposition=disposition,
            disposition_date=decided,
            expiry_date=_expiry(category, event, rng),
            relief=_relief(disposition, decided, self._reference, rng),
            description=rng.choice(_DESCRIPTIONS[category]),
        )
        return record, RecordTruth(agency_record_id, agency.name, person.person_id, variations)

    def _event_date(self, person: Person, category: Category, rng: Random) -> date:
        """Within the category's look-back window, and not before the person turned 18."""
        adult = person.identity.date_of_birth.toordinal() + 18 * 366
        latest = self._reference.toordinal()
        earliest = min(max(adult, self._window_starts[category]), latest)
        return date.fromordinal(rng.randint(earliest, latest))

    def _as_recorded(
        self, person: Person, category: Category, rng: Random
    ) -> tuple[Identity, tuple[Corruption, ...]]:
        """The person as this agency wrote them down: identifiers on some records only."""
        truth = person.identity
        ssn_share = _RECORD_SSN_ALIEN if category is Category.UNLAWFUL_ALIEN else _RECORD_SSN
        # Divided by the people's own shares, so that the shares come out over all records.
        has_ssn = rng.random() < ssn_share / SSN_SHARE
        has_document = rng.random() < _RECORD_ID_DOCUMENT / ID_DOCUMENT_SHARE
        has_fbi = category in _CRIMINAL and rng.random() < _RECORD_FBI
        recorded = Identity(
            name=truth.name,
            date_of_birth=truth.date_of_birth,
            sex=truth.sex,
            place_of_birth=truth.place_of_birth,
            state_of_residence=truth.state_of_residence,
            id_document=truth.id_document if has_document else None,
            ssn=truth.ssn if has_ssn else None,
            fbi_number=self._people.fbi_number(person) if has_fbi else None,
        )
        if rng.random() >= _VARIED_SHARE:
            return recorded, ()
        return corrupt(person, recorded, rng, 1, RECORD_VARIATIONS)


def _recorded_place(person: Person, serial: int) -> str | None:
    """The place of birth as the agency entered it: missing, the state of residence in its
    place, or right. Drawn by `fixed_draw`, so that the rest of the data set stays as it
    was before places of birth varied."""
    draw = fixed_draw("record place", person.serial, serial)
    truth = person.identity
    if draw < RECORD_PLACE_MISSING:
        return None
    if draw < RECORD_PLACE_MISSING + RECORD_PLACE_WRONG:
        return truth.state_of_residence or truth.place_of_birth
    return truth.place_of_birth


def pick_categories(rng: Random) -> list[Category]:
    """The categories of one person's records."""
    return [_CATEGORIES.pick(rng) for _ in range(RECORDS_PER_PERSON.pick(rng))]


def _disposition(
    category: Category, event: date, reference: date, rng: Random
) -> tuple[Disposition, date | None]:
    """The court outcome of a conviction-type record; other categories have none to wait
    for and keep the domain default (unknown, no date)."""
    outcomes = _OUTCOMES.get(category)
    if outcomes is None:
        return Disposition.UNKNOWN, None
    disposition = outcomes.pick(rng)
    if disposition in (Disposition.UNKNOWN, Disposition.PENDING):
        return disposition, None
    decided = event + timedelta(days=rng.randint(14, 540))
    # A case that would be decided after the reference date is still pending on it.
    return (disposition, decided) if decided <= reference else (Disposition.PENDING, None)


def _expiry(category: Category, event: date, rng: Random) -> date | None:
    if category is Category.PROTECTION_ORDER:
        return event + timedelta(days=_ORDER_DAYS.pick(rng))
    if category is Category.UNLAWFUL_DRUG_USER and rng.random() < 0.7:
        # ATF infers current use from a drug arrest or conviction within the past year.
        return event + timedelta(days=365)
    if category is Category.FUGITIVE and rng.random() < 0.25:
        return event + timedelta(days=365 * rng.randint(1, 5))
    return None


def _relief(
    disposition: Disposition, decided: date | None, reference: date, rng: Random
) -> Relief | None:
    if disposition is not Disposition.CONVICTED or decided is None:
        return None
    earliest = decided + timedelta(days=180)
    if earliest > reference or rng.random() >= _RELIEF_SHARE:
        return None
    kind = _RELIEF_TYPES.pick(rng)
    granted = date.fromordinal(rng.randint(earliest.toordinal(), reference.toordinal()))
    return Relief(kind, granted, keeps_firearm_ban=rng.random() < _RELIEF_KEEPS_BAN)
