"""What follows when a delayed check gets its later answer, in the same transaction:

- a denial after the dealer was free to transfer becomes a retrieval referral to local law
  enforcement (the FBI sends ATF one in the same case); a reversal of such a denial tells
  them to stand down;
- the dealer hears of the answer on its webhook, if it registered one.

Messages carry ids, the dealer's licence and the prohibition's category: the buyer's
identity stays on the dealer's transfer form, which the NTN points to.
"""

from __future__ import annotations

from datetime import date, datetime

from transfercheck.adapters.db.unit_of_work import SqlUnitOfWork
from transfercheck.domain.audit import AuditEvent, EventType
from transfercheck.domain.determinations import CheckStatus
from transfercheck.domain.review import ReviewState, firearm_may_be_gone
from transfercheck.services.outbox import Channel, Kind, enqueue


def after_resolution(
    uow: SqlUnitOfWork, before: ReviewState, after: ReviewState, now: datetime, today: date
) -> None:
    """`before` and `after` are the check on either side of the winning update."""
    if after.status is CheckStatus.DENIED and firearm_may_be_gone(
        before.status, before.may_transfer_on, today
    ):
        _refer_for_retrieval(uow, after, now)
    elif before.status is CheckStatus.DENIED and uow.outbox.has_message(_referral_prefix(after)):
        _withdraw_referral(uow, after, now)
    notify_dealer(uow, after, Kind.CHECK_RESOLVED, now)


def notify_dealer(uow: SqlUnitOfWork, state: ReviewState, kind: Kind, now: datetime) -> None:
    if uow.accounts.dealer_webhook(state.dealer_id) is None:
        return
    payload = {
        "ntn": state.ntn,
        "status": state.status.value,
        "may_transfer_on": state.may_transfer_on.isoformat() if state.may_transfer_on else None,
        "at": now.isoformat(),
    }
    enqueue(
        uow,
        kind,
        Channel.DEALER,
        state.dealer_id,
        payload,
        f"{kind.value}:{state.ntn}:{state.version}",
        now,
    )


def _referral_prefix(state: ReviewState) -> str:
    return f"{Kind.RETRIEVAL_REFERRAL.value}:{state.ntn}:"


def _refer_for_retrieval(uow: SqlUnitOfWork, state: ReviewState, now: datetime) -> None:
    dealer = uow.accounts.get_dealer(state.dealer_id)
    assert dealer is not None  # a check's dealer is a foreign key
    resolution = state.resolution
    payload = {
        "ntn": state.ntn,
        "jurisdiction": state.jurisdiction,
        "dealer_id": dealer.dealer_id,
        "dealer_name": dealer.name,
        "dealer_license": dealer.license_number,
        "denied_at": now.isoformat(),
        "reason": resolution.reason if resolution else None,  # prohibition, or override reason
        "may_transfer_on": state.may_transfer_on.isoformat() if state.may_transfer_on else None,
    }
    message = enqueue(
        uow,
        Kind.RETRIEVAL_REFERRAL,
        Channel.LAW_ENFORCEMENT,
        state.jurisdiction or "US",
        payload,
        f"{_referral_prefix(state)}{state.version}",
        now,
    )
    uow.audit.append(
        AuditEvent(
            EventType.REFERRAL_CREATED,
            actor="system",
            object_type="check",
            object_id=state.ntn,
            details={"message_id": message.message_id},
        ),
        now,
    )


def _withdraw_referral(uow: SqlUnitOfWork, state: ReviewState, now: datetime) -> None:
    enqueue(
        uow,
        Kind.REFERRAL_WITHDRAWN,
        Channel.LAW_ENFORCEMENT,
        state.jurisdiction or "US",
        {"ntn": state.ntn, "withdrawn_at": now.isoformat()},
        f"{Kind.REFERRAL_WITHDRAWN.value}:{state.ntn}:{state.version}",
        now,
    )
