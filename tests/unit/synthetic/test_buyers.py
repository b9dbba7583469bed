"""Buyers and their ground truth."""

from __future__ import annotations

from collections import Counter

from transfercheck.domain.checks import FirearmCategory
from transfercheck.synthetic import BuyerKind, Dataset, NameOrigin
from transfercheck.synthetic.buyers import BUYER_MIX, BUYER_PLACE_WRONG


def test_truth_covers_every_buyer_once(dataset: Dataset) -> None:
    buyer_ids = [b.buyer_id for b in dataset.buyers]
    assert len(buyer_ids) == dataset.spec.n_buyers == 4_000
    assert len(set(buyer_ids)) == len(buyer_ids)
    assert [t.buyer_id for t in dataset.buyer_truth] == buyer_ids


def test_every_kind_in_roughly_its_share(dataset: Dataset) -> None:
    counts = Counter(t.kind for t in dataset.buyer_truth)
    for kind, share in BUYER_MIX.items():
        assert abs(counts[kind] / len(dataset.buyers) - share) < 0.03, kind


def test_truth_points_at_real_people_and_their_own_records(dataset: Dataset) -> None:
    people = {p.person_id: p for p in dataset.people}
    owner = {t.agency_record_id: t.person_id for t in dataset.record_truth}
    records_of: dict[str, set[str]] = {}
    for record_id, person_id in owner.items():
        records_of.setdefault(person_id, set()).add(record_id)
    for truth in dataset.buyer_truth:
        person = people[truth.person_id]
        assert truth.origin is person.origin
        assert set(truth.agency_record_ids) == records_of.get(truth.person_id, set())
        assert truth.has_records == (truth.kind is BuyerKind.PROHIBITED)
        assert (truth.lookalike_of is not None) == truth.kind.value.startswith("lookalike")
        if truth.lookalike_of:
            assert records_of[truth.lookalike_of]


def test_only_prohibited_buyers_are_corrupted_with_at_most_two_errors(dataset: Dataset) -> None:
    people = {p.person_id: p for p in dataset.people}
    counts: Counter[int] = Counter()
    for buyer, truth in zip(dataset.buyers, dataset.buyer_truth, strict=True):
        written, true = buyer.transfer.buyer, people[truth.person_id].identity
        same = (written.name, written.date_of_birth) == (true.name, true.date_of_birth)
        assert same == (not truth.corruptions)
        if truth.kind is not BuyerKind.PROHIBITED:
            assert not truth.corruptions
        else:
            counts[len(truth.corruptions)] += 1
    assert set(counts) == {0, 1, 2}


def test_identifiers_given_match_the_truth(dataset: Dataset) -> None:
    people = {p.person_id: p for p in dataset.people}
    for buyer, truth in zip(dataset.buyers, dataset.buyer_truth, strict=True):
        written, true = buyer.transfer.buyer, people[truth.person_id].identity
        assert written.ssn == (true.ssn if "ssn" in truth.identifiers else None)
        assert written.id_document == (
            true.id_document if "id_document" in truth.identifiers else None
        )
        assert written.fbi_number is None
        assert not written.aliases


def test_about_half_the_prohibited_buyers_give_an_identifier_on_their_record(
    dataset: Dataset,
) -> None:
    records = {r.agency_record_id: r for r in dataset.records}
    prohibited = [
        (b.transfer.buyer, [records[i] for i in t.agency_record_ids])
        for b, t in zip(dataset.buyers, dataset.buyer_truth, strict=True)
        if t.kind is BuyerKind.PROHIBITED
    ]
    matched = sum(
        any(
            (buyer.ssn and r.subject.ssn == buyer.ssn)
            or (buyer.id_document and r.subject.id_document == buyer.id_document)
            for r in own
        )
        for buyer, own in prohibited
    )
    assert 0.4 < matched / len(prohibited) < 0.6


def test_every_origin_is_among_the_buyers(dataset: Dataset) -> None:
    assert {t.origin for t in dataset.buyer_truth} == set(NameOrigin)


def test_handguns_are_bought_in_the_home_state(dataset: Dataset) -> None:
    transfers = [b.transfer for b in dataset.buyers]
    for transfer in transfers:
        if transfer.firearm_category is FirearmCategory.HANDGUN:
            assert transfer.jurisdiction == transfer.buyer.state_of_residence
    assert {t.firearm_category for t in transfers} == set(FirearmCategory)


def test_a_few_buyers_write_their_state_of_residence_as_place_of_birth(dataset: Dataset) -> None:
    people = {p.person_id: p.identity for p in dataset.people}
    wrong = 0
    for buyer, truth in zip(dataset.buyers, dataset.buyer_truth, strict=True):
        written, person = buyer.transfer.buyer, people[truth.person_id]
        if written.place_of_birth != person.place_of_birth:
            assert written.place_of_birth == person.state_of_residence
            wrong += 1
    assert 0 < wrong / len(dataset.buyers) < BUYER_PLACE_WRONG + 0.005
