"""Rap back: when records arrive or change, the open checks and the live certificates they
may concern are decided again with the same matching and rules as a dealer's check.

Open checks (DELAYED, still within retention, including those past their default-proceed
date) are re-determined as of their own transfer day: a record that now identifies a
prohibited buyer denies (and, past the default-proceed date, makes one retrieval referral);
a relief that cleared the only reason for a delay lets the check proceed.

For certificates: revoke the live certificates whose holders would no longer pass.

A certificate says "this person would pass a check". When new records arrive, only the
holders who share a blocking key with one of them can be affected; each of those is
checked again with the same matching and rules as a dealer's check, and the certificate
is revoked unless every firearm category it covers still PROCEEDs. A possible match that
would now delay a dealer's check revokes too: a certificate never promises more than the
check would. The seller's next verification says "revoked" at once.

Per call this costs one index of the live holders plus one check per suspect; at national
scale the same question is a batch job (docs/certificates.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from transfercheck.domain.certificates import Certificate, RevocationReason
from transfercheck.domain.checks import Transfer
from transfercheck.domain.determinations import CheckStatus
from transfercheck.domain.identities import Identity
from transfercheck.domain.records import ProhibitingRecord
from transfercheck.domain.review import RECORD_ARRIVED
from transfercheck.matching import IdentityIndex
from transfercheck.services.certificates import SELF_CHECK_TRANSFER_TYPE, revoke_certificate
from transfercheck.services.dispositions import settle
from transfercheck.services.intake import CheckingContext, determine_transfer
from transfercheck.services.ports import UnitOfWorkFactory
from transfercheck.services.review import ReviewContext

RAP_BACK = "system:rap_back"


def revoke_certificates_matching(
    records: Sequence[ProhibitingRecord],
    context: CheckingContext,
    unit_of_work: UnitOfWorkFactory,
    now: datetime,
    today: date,
) -> list[str]:
    """Revoke the certificates the new `records` may concern; returns their ids.

    Call after the records are committed and in the index `context.finder` searches."""
    if not records:
        return []
    with unit_of_work() as uow:
        live = uow.certificates.live_with_holders(now)
    revoked = []
    for certificate, holder in _suspects(records, live):
        if _still_passes(certificate, holder, context, unit_of_work, today):
            continue
        with unit_of_work() as uow:
            if revoke_certificate(
                uow, certificate.certificate_id, RevocationReason.PROHIBITING_RECORD, RAP_BACK, now
            ):
                revoked.append(certificate.certificate_id)
            uow.commit()
    return revoked


def _suspects(
    records: Sequence[ProhibitingRecord], live: list[tuple[Certificate, Identity]]
) -> list[tuple[Certificate, Identity]]:
    """The holders that share a blocking key with a new record (the matcher's own keys)."""
    if not live:
        return []
    holders = IdentityIndex()
    for certificate, holder in live:
        holders.add(certificate.certificate_id, holder)
    near: set[str] = set()
    for record in records:
        near |= holders.candidate_ids(record.subject)
    return [(c, h) for c, h in live if c.certificate_id in near]


def _still_passes(
    certificate: Certificate,
    holder: Identity,
    context: CheckingContext,
    unit_of_work: UnitOfWorkFactory,
    today: date,
) -> bool:
    for category in sorted(certificate.claims.scope):
        transfer = Transfer(
            holder, category, SELF_CHECK_TRANSFER_TYPE, certificate.claims.jurisdiction
        )
        if determine_transfer(transfer, context, unit_of_work, today).status is not (
            CheckStatus.PROCEED
        ):
            return False
    return True


def rescreen_open_checks(
    records: Sequence[ProhibitingRecord],
    checking: CheckingContext,
    review: ReviewContext,
    unit_of_work: UnitOfWorkFactory,
    now: datetime,
) -> list[str]:
    """Decide again the open checks the new or changed `records` may concern; returns the
    NTNs that changed. Call after the records are committed and in the index."""
    if not records:
        return []
    with unit_of_work() as uow:
        open_buyers = uow.reviews.open_buyers()
    if not open_buyers:
        return []
    buyers = IdentityIndex()
    for ntn, buyer in open_buyers:
        buyers.add(ntn, buyer)
    suspects: set[str] = set()
    for record in records:
        suspects |= buyers.candidate_ids(record.subject)
    return [ntn for ntn in sorted(suspects) if _rescreen(ntn, checking, review, unit_of_work, now)]


def _rescreen(
    ntn: str,
    checking: CheckingContext,
    review: ReviewContext,
    unit_of_work: UnitOfWorkFactory,
    now: datetime,
) -> bool:
    with unit_of_work() as uow:
        before, subject = uow.reviews.state(ntn), uow.reviews.subject(ntn)
    if before is None or subject is None or before.status is not CheckStatus.DELAYED:
        return False
    on = review.local_date(before.submitted_at)  # the rules of the transfer's day
    result = determine_transfer(subject.transfer, checking, unit_of_work, on)
    if result.status is CheckStatus.DELAYED and set(result.reasons) == set(before.reasons):
        return False
    with unit_of_work() as uow:
        current = uow.reviews.state(ntn)
        if current is None or current.version != before.version:
            return False  # an examiner acted meanwhile: their decision stands
        changed = settle(uow, before, result, result.findings, RECORD_ARRIVED, now, review)
        uow.commit()
    return changed
