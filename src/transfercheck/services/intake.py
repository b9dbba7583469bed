"""Intake: a dealer submits a check and gets PROCEED / DENIED / DELAYED with an NTN."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError

from transfercheck.adapters.db import codec
from transfercheck.domain.audit import AuditEvent, EventType
from transfercheck.domain.calendar import BusinessCalendar
from transfercheck.domain.checks import Check, CheckRequest, Transfer, item_category_problems
from transfercheck.domain.deadlines import open_check_expires_on
from transfercheck.domain.determinations import (
    Determination,
    Finding,
    ItemAssessment,
    MatchThresholds,
    ReasonCode,
    determine,
)
from transfercheck.domain.errors import IdempotencyConflict, NotFound, Problem, ValidationFailed
from transfercheck.domain.identities import identity_problems
from transfercheck.domain.items import item_problems
from transfercheck.domain.records import ProhibitingRecord
from transfercheck.domain.rules import RuleBook, RuleSet, private_transfers
from transfercheck.services.dispositions import ask_for_missing_dispositions
from transfercheck.services.ports import CandidateFinder, UnitOfWorkFactory


@dataclass(frozen=True)
class CheckingContext:
    """Everything a determination depends on besides the records themselves."""

    finder: CandidateFinder
    rule_book: RuleBook
    calendar: BusinessCalendar
    thresholds: MatchThresholds
    new_ntn: Callable[[], str]
    # Where an agency answers a disposition request (None: intake asks no agency).
    answer_url: Callable[[str], str] | None = None


@dataclass(frozen=True)
class SubmittedCheck:
    check: Check
    replayed: bool  # True when the idempotency key had been seen: nothing new was stored


def submit_check(
    request: CheckRequest,
    context: CheckingContext,
    unit_of_work: UnitOfWorkFactory,
    now: datetime,
    today: date,
) -> SubmittedCheck:
    """Validate, resolve identity, apply the rules, store and answer, idempotently.

    `today` is the transfer's local date (ages and business days count in local days).
    A described item is judged first, with the rest of the validation: a description the
    rules cannot judge is refused before anything is stored.
    """
    rules = _validated_rules(request.transfer, context.rule_book, today)
    terms = private_transfers.terms_on(rules.layers, today)
    seller_problems = private_transfers.seller_problems(request.transfer, terms, today)
    if seller_problems:
        raise ValidationFailed(seller_problems)
    item = _item_assessment(request.transfer, rules, today)
    fingerprint = request_fingerprint(request)
    replay = _replay(request, fingerprint, unit_of_work)
    if replay:
        return replay
    with unit_of_work() as uow:
        records = uow.records.get_many
        determination = _determine(request.transfer, rules, context, records, today, item)
        check = Check(
            ntn=context.new_ntn(),
            dealer_id=request.dealer_id,
            submitted_at=now,
            determination=determination,
            rules_version=context.rule_book.version,
            model_version=context.finder.model_version,
        )
        if uow.accounts.get_dealer(request.dealer_id) is None:
            raise NotFound("dealer", request.dealer_id)
        try:
            uow.checks.add(check, request.idempotency_key, request.transfer, fingerprint)
            uow.audit.append(_submitted_event(check), now)
            if ReasonCode.MISSING_DISPOSITION in determination.reasons and context.answer_url:
                found = records([f.record_id for f in determination.findings])
                ask_for_missing_dispositions(
                    uow, check.ntn, determination.findings, found, context.answer_url, now
                )
            uow.commit()
        except IntegrityError as error:
            # Another request with the same key won the race: answer with its check.
            race_lost = error
        else:
            return SubmittedCheck(check, replayed=False)
    replay = _replay(request, fingerprint, unit_of_work)
    if replay is None:  # not a race after all: a broken constraint is a bug, not an answer
        raise race_lost
    return replay


def _submitted_event(check: Check) -> AuditEvent:
    return AuditEvent(
        EventType.CHECK_SUBMITTED,
        actor=f"dealer:{check.dealer_id}",
        object_type="check",
        object_id=check.ntn,
        outcome=check.determination.status.value,
        details={
            "reasons": ",".join(r.value for r in check.determination.reasons),
            "rules_version": check.rules_version,
            "model_version": check.model_version,
        },
    )


def request_fingerprint(request: CheckRequest) -> str:
    """A digest of what the dealer asked, to tell a retry from a reused key."""
    transfer = request.transfer
    asked: dict[str, object] = {
        "dealer": request.dealer_id,
        "buyer": codec.identity_to_json(transfer.buyer),
        "firearm_category": transfer.firearm_category.value,
        "transfer_type": transfer.transfer_type.value,
        "jurisdiction": transfer.jurisdiction,
    }
    if transfer.item is not None:  # absent: the same digest as before items existed
        asked["item"] = codec.item_to_json(transfer.item)
    if transfer.seller is not None:  # only then, so earlier fingerprints stay as they were
        asked["seller"] = codec.identity_to_json(transfer.seller)
    canonical = json.dumps(asked, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _validated_rules(transfer: Transfer, rule_book: RuleBook, today: date) -> RuleSet:
    problems = identity_problems(transfer.buyer, today)
    if transfer.item is not None:
        problems += item_problems(transfer.item, today) + item_category_problems(transfer)
    rules: RuleSet | None = None
    try:
        rules = rule_book.for_jurisdiction(transfer.jurisdiction)
    except NotFound:
        problems.append(Problem("jurisdiction", f"unknown jurisdiction {transfer.jurisdiction!r}"))
    if problems or rules is None:
        raise ValidationFailed(problems)
    return rules


def _item_assessment(transfer: Transfer, rules: RuleSet, today: date) -> ItemAssessment | None:
    """What the weapon and magazine rules say of the item; None when none is described.
    Raises ValidationFailed naming any fact the rules need and the description lacks."""
    return None if transfer.item is None else rules.classify_item(transfer.item, today)


def _replay(
    request: CheckRequest, fingerprint: str, unit_of_work: UnitOfWorkFactory
) -> SubmittedCheck | None:
    with unit_of_work() as uow:
        stored = uow.checks.find_by_key(request.dealer_id, request.idempotency_key)
    if stored is None:
        return None
    # After a purge the fingerprint is gone; the key alone then identifies the check.
    if stored.request_fingerprint not in (None, fingerprint):
        raise IdempotencyConflict(request.idempotency_key)
    return SubmittedCheck(stored.check, replayed=True)


def _determine(
    transfer: Transfer,
    rules: RuleSet,
    context: CheckingContext,
    load_records: Callable[[list[str]], dict[str, ProhibitingRecord]],
    today: date,
    item: ItemAssessment | None,
) -> Determination:
    candidates = context.finder.find_candidates(
        transfer.buyer, min_probability=context.thresholds.delay
    )
    records = load_records([c.record_id for c in candidates])
    findings = []
    for candidate in candidates:
        record = records.get(candidate.record_id)
        if record is None:  # removed since the index was built: nothing to assess
            continue
        findings.append(
            Finding(
                record_id=candidate.record_id,
                match_probability=candidate.probability,
                identifier_agrees=candidate.identifier_agrees,
                assessment=rules.assess(record, today, transfer.jurisdiction),
                evidence=candidate.evidence,
            )
        )
    age = rules.assess_age(
        transfer.buyer.date_of_birth, today, transfer.firearm_category, transfer.transfer_type
    )
    deadline = context.calendar.default_proceed_date(
        today, rules.default_proceed_business_days_on(today)
    )
    expires_on = open_check_expires_on(today, rules.open_check_retention_days_on(today))
    return determine(findings, age, context.thresholds, deadline, item, expires_on)


def determine_transfer(
    transfer: Transfer, context: CheckingContext, unit_of_work: UnitOfWorkFactory, today: date
) -> Determination:
    """The determination a dealer's check of `transfer` would reach today, storing nothing:
    the same validation, matching and rules, for a buyer's self-check and for rap back."""
    rules = _validated_rules(transfer, context.rule_book, today)
    item = _item_assessment(transfer, rules, today)
    with unit_of_work() as uow:
        return _determine(transfer, rules, context, uow.records.get_many, today, item)
