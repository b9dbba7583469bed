"""The examiners' use cases: the queue, claims, decisions, the enhanced check, supervision.

Each action is one transaction: a conditional update that wins or changes nothing (see
`adapters.db.reviews`), its audit entry (who, what, when, why as a reason category) and
its consequences (referral, dealer notice). A lost race raises Conflict and is audited
as refused; it never half-applies. Reads before the update only explain a refusal or
describe what the winning update changed: a version check makes them exact.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from transfercheck.adapters.db.reviews import StoredSubject
from transfercheck.adapters.db.unit_of_work import SqlUnitOfWork
from transfercheck.domain.accounts import Role, User
from transfercheck.domain.audit import AuditEvent, EventType
from transfercheck.domain.calendar import BusinessCalendar
from transfercheck.domain.deadlines import (
    ENHANCED_CHECK,
    business_days_left,
    enhanced_check_deadline,
    enhanced_check_refusal,
)
from transfercheck.domain.determinations import CheckStatus
from transfercheck.domain.errors import Conflict, Forbidden, NotFound, Problem, ValidationFailed
from transfercheck.domain.review import (
    REVIEW_ROLES,
    OverrideReason,
    QueueCounts,
    QueueFilter,
    ReassignReason,
    ReviewState,
    reason_fits,
)
from transfercheck.services.outbox import Kind
from transfercheck.services.ports import UnitOfWorkFactory
from transfercheck.services.resolution import after_resolution, notify_dealer

QUEUE_PAGE = 200
MAX_NOTE = 2000


@dataclass(frozen=True)
class ReviewContext:
    unit_of_work: UnitOfWorkFactory
    calendar: BusinessCalendar
    local_date: Callable[[datetime], date]  # the local day at the counter, for deadlines
    claim_for: timedelta  # a claim lapses after this long


@dataclass(frozen=True)
class QueueRow:
    check: ReviewState
    business_days_left: int


@dataclass(frozen=True)
class Queue:
    rows: list[QueueRow]
    counts: QueueCounts


def require_role(user: User, roles: frozenset[Role]) -> None:
    if user.role not in roles:
        raise Forbidden(f"a {user.role.value} may not do this")


def queue(context: ReviewContext, user: User, where: QueueFilter, now: datetime) -> Queue:
    require_role(user, REVIEW_ROLES)
    today = context.local_date(now)
    # "Near": at most one business day left, i.e. the deadline is the day after the next
    # business day (or sooner).
    near = context.calendar.add_business_days(today, 1) + timedelta(days=1)
    with context.unit_of_work() as uow:
        checks = uow.reviews.queue(where, QUEUE_PAGE)
        counts = uow.reviews.counts(where, today, near, now)
    rows = [
        QueueRow(c, business_days_left(context.calendar, today, c.may_transfer_on))
        for c in checks
        if c.may_transfer_on is not None  # every open check has one
    ]
    return Queue(rows, counts)


def claim(context: ReviewContext, user: User, ntn: str, now: datetime) -> None:
    require_role(user, REVIEW_ROLES)
    with context.unit_of_work() as uow:
        if uow.reviews.claim(ntn, user.user_id, now, now + context.claim_for):
            _audit(uow, EventType.CHECK_CLAIMED, user, ntn, now)
            uow.commit()
            return
        refusal = _refusal(ntn, uow.reviews.state(ntn), user, None, now)
    raise audited_refusal(context, EventType.CHECK_CLAIMED, user, ntn, now, refusal)


def claim_next(context: ReviewContext, user: User, now: datetime, attempts: int = 50) -> str | None:
    """Claim the open check with the nearest deadline; None when nothing is left. On SQLite
    another examiner may take the candidate first: then try the next one (each miss means
    someone else claimed a check, so the attempts run out only under a crowd)."""
    require_role(user, REVIEW_ROLES)
    for _ in range(attempts):
        with context.unit_of_work() as uow:
            ntn = uow.reviews.next_claimable(now)
            if ntn is None:
                return None
            if uow.reviews.claim(ntn, user.user_id, now, now + context.claim_for):
                _audit(uow, EventType.CHECK_CLAIMED, user, ntn, now, {"how": "next"})
                uow.commit()
                return ntn
    return None


def release(context: ReviewContext, user: User, ntn: str, now: datetime) -> None:
    require_role(user, REVIEW_ROLES)
    with context.unit_of_work() as uow:
        if uow.reviews.release(ntn, user.user_id):
            _audit(uow, EventType.CHECK_RELEASED, user, ntn, now)
            uow.commit()
            return
        refusal = _refusal(ntn, uow.reviews.state(ntn), user, None, now)
    raise audited_refusal(context, EventType.CHECK_RELEASED, user, ntn, now, refusal)


def decide(
    context: ReviewContext,
    user: User,
    ntn: str,
    version: int,
    outcome: CheckStatus,
    reason: str,
    now: datetime,
) -> None:
    """Proceed or deny, under the examiner's own claim, on the version the page showed."""
    require_role(user, REVIEW_ROLES)
    if not reason_fits(outcome, reason):
        raise ValidationFailed([Problem("reason", f"{reason!r} is no reason to {outcome}")])
    with context.unit_of_work() as uow:
        before = uow.reviews.state(ntn)
        if (
            before
            and before.version == version
            and uow.reviews.decide(ntn, user.user_id, version, now, outcome, reason)
        ):
            _resolved(context, uow, EventType.CHECK_DECIDED, user, before, now)
            return
        refusal = _refusal(ntn, before, user, version, now)
    raise audited_refusal(context, EventType.CHECK_DECIDED, user, ntn, now, refusal)


def override(
    context: ReviewContext,
    supervisor: User,
    ntn: str,
    version: int,
    outcome: CheckStatus,
    reason: OverrideReason,
    note: str,
    now: datetime,
) -> None:
    """A supervisor decides over a claim or reverses a review decision, never their own;
    the reason category is audited, the note (free text) stays with the check's subject."""
    require_role(supervisor, frozenset({Role.SUPERVISOR}))
    if outcome not in (CheckStatus.PROCEED, CheckStatus.DENIED):
        raise ValidationFailed([Problem("outcome", "must be PROCEED or DENIED")])
    _require_note(note)
    with context.unit_of_work() as uow:
        before = uow.reviews.state(ntn)
        if (
            before
            and before.version == version
            and before.status is not outcome
            and uow.reviews.override(ntn, supervisor.user_id, version, now, outcome, reason)
        ):
            _note(uow, ntn, supervisor, "override", note, now)
            _resolved(context, uow, EventType.CHECK_OVERRIDDEN, supervisor, before, now)
            return
        refusal = _override_refusal(ntn, before, supervisor, version, outcome)
    raise audited_refusal(context, EventType.CHECK_OVERRIDDEN, supervisor, ntn, now, refusal)


def reassign(
    context: ReviewContext,
    supervisor: User,
    ntn: str,
    version: int,
    to_user_id: str,
    reason: ReassignReason,
    note: str,
    now: datetime,
) -> None:
    require_role(supervisor, frozenset({Role.SUPERVISOR}))
    _require_note(note)
    with context.unit_of_work() as uow:
        target = uow.accounts.get_user(to_user_id)
        if target is None or target.role not in REVIEW_ROLES:
            raise ValidationFailed([Problem("to_user", "must be an examiner or a supervisor")])
        if uow.reviews.reassign(ntn, version, to_user_id, now + context.claim_for):
            _note(uow, ntn, supervisor, "reassign", note, now)
            details = {"reason": reason.value, "to_user": to_user_id}
            _audit(uow, EventType.CHECK_REASSIGNED, supervisor, ntn, now, details)
            uow.commit()
            return
        refusal = _refusal(
            ntn, uow.reviews.state(ntn), supervisor, version, now, claim_needed=False
        )
    raise audited_refusal(context, EventType.CHECK_REASSIGNED, supervisor, ntn, now, refusal)


def extend_for_under_21(
    context: ReviewContext, user: User, ntn: str, version: int, now: datetime
) -> date:
    """The enhanced check: the examiner found cause to research a possibly disqualifying
    juvenile record of a buyer under 21, so the window becomes 10 business days."""
    require_role(user, REVIEW_ROLES)
    with context.unit_of_work() as uow:
        before, subject = uow.reviews.state(ntn), uow.reviews.subject(ntn)
        if before is None or subject is None:
            raise NotFound("check", ntn)
        extended = _enhanced_deadline(context, before, subject, now)
        if uow.reviews.extend(ntn, user.user_id, version, now, extended):
            details: dict[str, str | int] = {
                "business_days": ENHANCED_CHECK.business_days,
                "until": extended.isoformat(),
            }
            _audit(uow, EventType.DEADLINE_EXTENDED, user, ntn, now, details)
            after = uow.reviews.state(ntn)
            assert after is not None
            notify_dealer(uow, after, Kind.DEADLINE_EXTENDED, now)
            uow.commit()
            return extended
        refusal = _refusal(ntn, before, user, version, now)
    raise audited_refusal(context, EventType.DEADLINE_EXTENDED, user, ntn, now, refusal)


def _enhanced_deadline(
    context: ReviewContext, check: ReviewState, subject: StoredSubject, now: datetime
) -> date:
    submitted_on = context.local_date(check.submitted_at)
    age = subject.age.buyer_age if subject.age else None
    deadline = check.may_transfer_on
    refused = enhanced_check_refusal(submitted_on, age, context.local_date(now), deadline)
    if refused is None and deadline is not None:
        extended = enhanced_check_deadline(context.calendar, submitted_on, deadline)
        if extended is not None:
            return extended
        refused = "the window was extended already"
    raise ValidationFailed([Problem("enhanced_check", refused or "not applicable")])


def claim_refusal(
    uow: SqlUnitOfWork, user: User, ntn: str, version: int, now: datetime
) -> Conflict | NotFound | None:
    """Guard a change made outside `checks` (e.g. a disposition request): bump the version
    under the user's live claim; the refusal if that changed nothing (to raise, audited by
    `audited_refusal`, once the transaction is left)."""
    if uow.reviews.touch_claimed(ntn, user.user_id, version, now):
        return None
    return _refusal(ntn, uow.reviews.state(ntn), user, version, now)


def _resolved(
    context: ReviewContext,
    uow: SqlUnitOfWork,
    event: EventType,
    user: User,
    before: ReviewState,
    now: datetime,
) -> None:
    after = uow.reviews.state(before.ntn)
    assert after is not None
    assert after.resolution is not None
    details = {"reason": after.resolution.reason, "from": before.status.value}
    _audit(uow, event, user, before.ntn, now, details, outcome=after.status.value)
    after_resolution(uow, before, after, now, context.local_date(now))
    uow.commit()


def _refusal(
    ntn: str,
    state: ReviewState | None,
    user: User,
    version: int | None,
    now: datetime,
    claim_needed: bool = True,
) -> Conflict | NotFound:
    """Why a conditional update changed nothing, told from the check as it is now."""
    if state is None:
        return NotFound("check", ntn)
    if state.status is not CheckStatus.DELAYED:
        return Conflict("decided", f"The check was already answered: {state.status.value}.")
    if state.claimed_by_other(user.user_id, now):
        return Conflict("claimed", "Another examiner holds this check.")
    if claim_needed and (state.claim is None or not state.claim.held_by(user.user_id, now)):
        return Conflict("not_claimed", "Claim the check first (a claim lapses after a while).")
    if version is not None and state.version != version:
        return Conflict("stale", "The check changed since the page was loaded; look again.")
    return Conflict("changed", "The check changed meanwhile; look again.")


def _override_refusal(
    ntn: str, state: ReviewState | None, supervisor: User, version: int, outcome: CheckStatus
) -> Conflict | NotFound:
    if state is None:
        return NotFound("check", ntn)
    if state.version != version:
        return Conflict("stale", "The check changed since the page was loaded; look again.")
    if state.status is outcome:
        return Conflict("same", f"The check is {outcome.value} already.")
    resolution = state.resolution
    if resolution and resolution.resolved_by == f"user:{supervisor.user_id}":
        return Conflict("own", "No one overrides their own decision.")
    return Conflict("final", "Only an open check or an examiner's decision can be overridden.")


def audited_refusal(
    context: ReviewContext,
    event: EventType,
    user: User,
    ntn: str,
    now: datetime,
    refusal: Conflict | NotFound,
) -> Conflict | NotFound:
    """Audit a refused attempt in its own transaction (the attempt rolled back)."""
    if isinstance(refusal, Conflict):
        with context.unit_of_work() as uow:
            details = {"refused": refusal.reason}
            _audit(uow, event, user, ntn, now, details, outcome="refused")
            uow.commit()
    return refusal


def _audit(
    uow: SqlUnitOfWork,
    event: EventType,
    user: User,
    ntn: str,
    now: datetime,
    details: Mapping[str, str | int] | None = None,
    outcome: str = "ok",
) -> None:
    uow.audit.append(
        AuditEvent(event, f"user:{user.user_id}", "check", ntn, outcome, details or {}), now
    )


def _require_note(note: str) -> None:
    if not note.strip():
        raise ValidationFailed([Problem("note", "a reason must be written down")])
    if len(note) > MAX_NOTE:
        raise ValidationFailed([Problem("note", f"must be at most {MAX_NOTE} characters")])


def _note(uow: SqlUnitOfWork, ntn: str, user: User, action: str, text: str, now: datetime) -> None:
    uow.reviews.add_note(
        ntn, {"at": now.isoformat(), "by": user.username, "action": action, "text": text.strip()}
    )
