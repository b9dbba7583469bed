"""Prohibiting records: every category in its share, facts that fit the category."""

from __future__ import annotations

from collections import Counter

from transfercheck.domain.records import Category, Disposition, SourceAgencyType
from transfercheck.synthetic import Dataset
from transfercheck.synthetic.records import (
    CATEGORY_SHARES,
    RECORD_PLACE_MISSING,
    RECORD_PLACE_WRONG,
)

from .conftest import REFERENCE_DATE

_CONVICTION_TYPE = {Category.FELONY_CONVICTION, Category.DOMESTIC_VIOLENCE_MISDEMEANOR}
_AGENCY_TYPES = {
    Category.FELONY_CONVICTION: {SourceAgencyType.COURT, SourceAgencyType.POLICE},
    Category.FUGITIVE: {SourceAgencyType.COURT, SourceAgencyType.POLICE},
    Category.UNLAWFUL_DRUG_USER: {SourceAgencyType.COURT, SourceAgencyType.POLICE},
    Category.MENTAL_HEALTH: {SourceAgencyType.MENTAL_HEALTH_BOARD},
    Category.UNLAWFUL_ALIEN: {SourceAgencyType.IMMIGRATION},
    Category.DISHONORABLE_DISCHARGE: {SourceAgencyType.MILITARY},
    Category.RENOUNCED_CITIZENSHIP: {SourceAgencyType.IMMIGRATION},
    Category.PROTECTION_ORDER: {SourceAgencyType.COURT},
    Category.DOMESTIC_VIOLENCE_MISDEMEANOR: {SourceAgencyType.COURT, SourceAgencyType.POLICE},
    Category.UNDER_INDICTMENT: {SourceAgencyType.COURT, SourceAgencyType.POLICE},
}


def test_exactly_the_requested_number_of_records(dataset: Dataset) -> None:
    assert len(dataset.records) == dataset.spec.n_records == 20_000


def test_every_category_appears_near_its_share(dataset: Dataset) -> None:
    counts = Counter(r.category for r in dataset.records)
    assert set(counts) == set(Category)
    for category, share in CATEGORY_SHARES.items():
        observed = counts[category] / len(dataset.records)
        assert abs(observed - share) <= 0.2 * share + 0.002, (category, observed, share)


def test_conviction_dispositions_are_mostly_convictions_some_never_reported(
    dataset: Dataset,
) -> None:
    convictions = [r for r in dataset.records if r.category in _CONVICTION_TYPE]
    outcomes = Counter(r.disposition for r in convictions)
    assert set(outcomes) == set(Disposition)
    assert outcomes[Disposition.CONVICTED] / len(convictions) > 0.6
    assert 0.10 <= outcomes[Disposition.UNKNOWN] / len(convictions) <= 0.16
    indictments = [r for r in dataset.records if r.category is Category.UNDER_INDICTMENT]
    pending = sum(r.disposition is Disposition.PENDING for r in indictments)
    assert pending / len(indictments) > 0.6


def test_dates_are_in_order_and_never_after_the_reference_date(dataset: Dataset) -> None:
    for record in dataset.records:
        assert record.subject.date_of_birth < record.event_date <= REFERENCE_DATE
        decided = record.disposition_date
        if record.disposition in (Disposition.UNKNOWN, Disposition.PENDING):
            assert decided is None
        else:
            assert decided is not None
            assert record.event_date < decided <= REFERENCE_DATE
        if record.relief:
            assert record.disposition is Disposition.CONVICTED
            assert decided is not None
            assert decided < record.relief.granted_on <= REFERENCE_DATE


def test_protection_orders_expire_some_already(dataset: Dataset) -> None:
    orders = [r for r in dataset.records if r.category is Category.PROTECTION_ORDER]
    expiries = [r.expiry_date for r in orders]
    assert all(e is not None for e in expiries)
    expired = sum(e < REFERENCE_DATE for e in expiries if e)
    assert 0.2 < expired / len(orders) < 0.8
    indictments = [r for r in dataset.records if r.category is Category.UNDER_INDICTMENT]
    assert all(r.expiry_date is None for r in indictments)
    assert any(r.expiry_date for r in dataset.records if r.category is Category.UNLAWFUL_DRUG_USER)


def test_a_few_percent_of_convictions_are_relieved(dataset: Dataset) -> None:
    convicted = [r for r in dataset.records if r.disposition is Disposition.CONVICTED]
    relieved = [r for r in convicted if r.relief]
    assert 0.02 < len(relieved) / len(convicted) < 0.07
    assert any(r.relief and r.relief.keeps_firearm_ban for r in relieved)
    assert len({r.relief.type for r in relieved if r.relief}) == 4


def test_agencies_fit_the_category(dataset: Dataset) -> None:
    for record in dataset.records:
        assert record.source_agency_type in _AGENCY_TYPES[record.category], record
        federal = record.source_agency_type in (
            SourceAgencyType.MILITARY,
            SourceAgencyType.IMMIGRATION,
        )
        assert (record.jurisdiction == "US") == federal
        assert len(record.jurisdiction) == 2
        assert record.jurisdiction.isupper()


def test_agency_record_ids_are_unique(dataset: Dataset) -> None:
    ids = [r.agency_record_id for r in dataset.records]
    assert len(set(ids)) == len(ids)
    assert len({r.record_id for r in dataset.records}) == len(ids)


def test_identifiers_on_records(dataset: Dataset) -> None:
    records = dataset.records
    assert 0.5 < sum(bool(r.subject.ssn) for r in records) / len(records) < 0.7
    assert 0.3 < sum(bool(r.subject.id_document) for r in records) / len(records) < 0.5
    criminal = [r for r in records if r.source_agency_type in (SourceAgencyType.COURT,)]
    assert sum(bool(r.subject.fbi_number) for r in criminal) / len(criminal) > 0.8
    assert not any(r.subject.fbi_number for r in records if r.category is Category.MENTAL_HEALTH)


def test_records_name_the_person_mostly_as_they_are(dataset: Dataset) -> None:
    people = {p.person_id: p for p in dataset.people}
    exact = 0
    for record, truth in zip(dataset.records, dataset.record_truth, strict=True):
        person = people[truth.person_id]
        assert record.agency_record_id == truth.agency_record_id
        assert record.subject.date_of_birth == person.identity.date_of_birth
        assert record.subject.ssn in (None, person.identity.ssn)
        same = record.subject.name == person.identity.name and not record.subject.aliases
        assert same == (not truth.variations)
        exact += same
    assert 0.6 < exact / len(dataset.records) < 0.8


def test_places_of_birth_on_records_are_mostly_right_some_missing_few_wrong(
    dataset: Dataset,
) -> None:
    people = {p.person_id: p for p in dataset.people}
    shown = Counter[str]()
    for record, truth in zip(dataset.records, dataset.record_truth, strict=True):
        person = people[truth.person_id].identity
        place = record.subject.place_of_birth
        if place is None:
            shown["missing"] += 1
        elif place == person.place_of_birth:
            shown["right"] += 1
        else:  # the one error made: the state of residence in the wrong box
            assert place == person.state_of_residence
            shown["wrong"] += 1
    total = len(dataset.records)
    assert abs(shown["missing"] / total - RECORD_PLACE_MISSING) < 0.02
    # Wrong only where residence and birthplace differ: about half the time.
    assert 0.2 * RECORD_PLACE_WRONG < shown["wrong"] / total < RECORD_PLACE_WRONG + 0.005
