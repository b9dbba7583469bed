"""The examiners' use cases on a real SQLite file: claims, decisions, supervision, queue;
each action audited once with its reason, each refusal audited as refused."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.builders import identity, record
from tests.conftest import (
    DealerAccount,
    MovableClock,
    StaffAccount,
    add_records,
    make_staff,
    submit,
)
from transfercheck.bootstrap import Application
from transfercheck.domain.accounts import Role
from transfercheck.domain.determinations import CheckStatus, ReasonCode
from transfercheck.domain.errors import Conflict, Forbidden, ValidationFailed
from transfercheck.domain.review import OverrideReason, QueueFilter, ReassignReason
from transfercheck.services import review

BUYER = identity("William", "Smith", date(1980, 3, 14))


@pytest.fixture
def ntn(application: Application, dealer_a: DealerAccount) -> str:
    """A check delayed on a possible match (name and date of birth, no identifier)."""
    add_records(application, record(BUYER))
    check = submit(application, dealer_a, BUYER)
    assert check.status is CheckStatus.DELAYED
    return check.ntn


def events(application: Application, ntn: str) -> list[tuple[str, str, str]]:
    with application.unit_of_work() as uow:
        return [
            (e.event.type.value, e.event.actor, e.event.outcome)
            for e in uow.audit.entries()
            if e.event.object_id == ntn
        ]


def version(application: Application, ntn: str) -> int:
    with application.unit_of_work() as uow:
        state = uow.reviews.state(ntn)
    assert state is not None
    return state.version


def test_an_examiner_claims_and_denies_and_each_step_is_audited(
    application: Application, ntn: str, examiner: StaffAccount, dealer_a: DealerAccount
) -> None:
    now = application.clock()
    review.claim(application.review, examiner.user, ntn, now)
    review.decide(
        application.review,
        examiner.user,
        ntn,
        version(application, ntn),
        CheckStatus.DENIED,
        "922g1",
        now,
    )
    with application.unit_of_work() as uow:
        state = uow.reviews.state(ntn)
        stored = uow.checks.get_for_dealer(dealer_a.dealer_id, ntn)
        referrals = uow.outbox.all("retrieval_referral")
    assert state is not None
    assert stored is not None
    assert state.status is CheckStatus.DENIED
    assert state.claim is None
    assert stored.check.determination.status is CheckStatus.DELAYED  # the first answer stays
    assert stored.check.resolution is not None
    assert stored.check.resolution.reason == "922g1"
    assert referrals == []  # denied in time: nothing left the shop
    actor = f"user:{examiner.user.user_id}"
    assert events(application, ntn) == [
        ("check_submitted", "dealer:D-TEST-A", "DELAYED"),
        ("check_claimed", actor, "ok"),
        ("check_decided", actor, "DENIED"),
    ]


def test_a_second_examiner_can_neither_claim_nor_decide_a_claimed_check(
    application: Application, ntn: str, examiner: StaffAccount, examiner_2: StaffAccount
) -> None:
    now = application.clock()
    review.claim(application.review, examiner.user, ntn, now)
    current = version(application, ntn)
    with pytest.raises(Conflict) as claimed:
        review.claim(application.review, examiner_2.user, ntn, now)
    assert claimed.value.reason == "claimed"
    with pytest.raises(Conflict):
        review.decide(
            application.review, examiner_2.user, ntn, current, CheckStatus.PROCEED,
            "not_the_buyer", now,
        )  # fmt: skip
    assert version(application, ntn) == current
    refused = [e for e in events(application, ntn) if e[2] == "refused"]
    assert refused == [
        ("check_claimed", f"user:{examiner_2.user.user_id}", "refused"),
        ("check_decided", f"user:{examiner_2.user.user_id}", "refused"),
    ]


def test_a_lapsed_claim_passes_to_the_next_examiner(
    application: Application,
    clock: MovableClock,
    ntn: str,
    examiner: StaffAccount,
    examiner_2: StaffAccount,
) -> None:
    review.claim(application.review, examiner.user, ntn, clock())
    seen = version(application, ntn)
    clock.advance(timedelta(minutes=31))
    review.claim(application.review, examiner_2.user, ntn, clock())
    with pytest.raises(Conflict) as late:
        review.decide(
            application.review, examiner.user, ntn, seen, CheckStatus.DENIED, "922g1", clock()
        )
    assert late.value.reason == "claimed"


def test_a_stale_page_decides_nothing(
    application: Application, ntn: str, examiner: StaffAccount
) -> None:
    now = application.clock()
    review.claim(application.review, examiner.user, ntn, now)
    stale = version(application, ntn) - 1
    with pytest.raises(Conflict) as error:
        review.decide(
            application.review, examiner.user, ntn, stale, CheckStatus.DENIED, "922g1", now
        )
    assert error.value.reason == "stale"


def test_reasons_must_fit_the_decision(
    application: Application, ntn: str, examiner: StaffAccount
) -> None:
    now = application.clock()
    review.claim(application.review, examiner.user, ntn, now)
    current = version(application, ntn)
    for outcome, reason in [(CheckStatus.DENIED, "not_the_buyer"), (CheckStatus.PROCEED, "922g1")]:
        with pytest.raises(ValidationFailed):
            review.decide(application.review, examiner.user, ntn, current, outcome, reason, now)


def test_a_supervisor_reassigns_and_overrides_with_reasons_never_their_own_decision(
    application: Application,
    ntn: str,
    examiner: StaffAccount,
    examiner_2: StaffAccount,
    supervisor: StaffAccount,
) -> None:
    context, now = application.review, application.clock()
    review.claim(context, examiner.user, ntn, now)
    with pytest.raises(ValidationFailed):
        review.reassign(
            context, supervisor.user, ntn, version(application, ntn), examiner_2.user.user_id,
            ReassignReason.WORKLOAD, "  ", now,
        )  # fmt: skip
    review.reassign(
        context, supervisor.user, ntn, version(application, ntn), examiner_2.user.user_id,
        ReassignReason.WORKLOAD, "examiner-1 is on leave", now,
    )  # fmt: skip
    review.decide(
        context, examiner_2.user, ntn, version(application, ntn), CheckStatus.PROCEED,
        "not_the_buyer", now,
    )  # fmt: skip
    with pytest.raises(Forbidden):
        review.override(
            context, examiner.user, ntn, version(application, ntn), CheckStatus.DENIED,
            OverrideReason.EXAMINER_ERROR, "wrong", now,
        )  # fmt: skip
    review.override(
        context, supervisor.user, ntn, version(application, ntn), CheckStatus.DENIED,
        OverrideReason.EXAMINER_ERROR, "the middle name on the court record matches", now,
    )  # fmt: skip
    with pytest.raises(Conflict) as own:
        review.override(
            context, supervisor.user, ntn, version(application, ntn), CheckStatus.PROCEED,
            OverrideReason.NEW_INFORMATION, "changed my mind", now,
        )  # fmt: skip
    assert own.value.reason == "own"
    with application.unit_of_work() as uow:
        subject = uow.reviews.subject(ntn)
        referrals = uow.outbox.all("retrieval_referral")
    assert subject is not None
    assert [n["action"] for n in subject.notes] == ["reassign", "override"]
    # A denial after a PROCEED: the dealer was free to hand over the firearm.
    assert len(referrals) == 1
    kinds = [e[0] for e in events(application, ntn) if e[2] != "refused"]
    assert kinds[-3:] == ["check_decided", "check_overridden", "retrieval_referral_created"]


def test_a_dealer_clerk_cannot_use_the_queue(
    application: Application, ntn: str, dealer_a: DealerAccount
) -> None:
    with application.unit_of_work() as uow:
        clerk = uow.accounts.get_user("U-A")
    assert clerk is not None
    with pytest.raises(Forbidden):
        review.claim(application.review, clerk, ntn, application.clock())


def test_the_queue_puts_the_nearest_deadline_first_and_counts_what_is_urgent(
    application: Application,
    clock: MovableClock,
    dealer_a: DealerAccount,
    examiner: StaffAccount,
) -> None:
    people = [identity(n, "Smith", date(1980, 3, 14)) for n in ("Ana", "Bea", "Cy")]
    add_records(application, *[record(p) for p in people])
    first = submit(application, dealer_a, people[0]).ntn  # Tue 24 Nov: may go Tue 1 Dec
    clock.advance(timedelta(days=6))  # Mon 30 Nov, the last business day of the first
    second = submit(application, dealer_a, people[1]).ntn
    third = submit(application, dealer_a, people[2]).ntn
    review.claim(application.review, examiner.user, third, clock())
    q = review.queue(application.review, examiner.user, QueueFilter(), clock())
    assert q.rows[0].check.ntn == first
    assert q.rows[0].business_days_left == 1
    assert (q.counts.open, q.counts.near_deadline, q.counts.past_deadline) == (3, 1, 0)
    assert q.counts.unclaimed == 2
    clock.advance(timedelta(days=1))
    q = review.queue(application.review, examiner.user, QueueFilter(), clock())
    assert (q.counts.near_deadline, q.counts.past_deadline) == (0, 1)
    by_reason = QueueFilter(reason=ReasonCode.MISSING_DISPOSITION)
    assert review.queue(application.review, examiner.user, by_reason, clock()).rows == []
    texas = QueueFilter(jurisdiction="TX", reason=ReasonCode.POSSIBLE_MATCH)
    assert len(review.queue(application.review, examiner.user, texas, clock()).rows) == 3
    assert review.queue(application.review, examiner.user, QueueFilter("FL"), clock()).rows == []
    assert second in {r.check.ntn for r in q.rows}


def test_claim_next_takes_the_most_urgent_unclaimed_check(
    application: Application, dealer_a: DealerAccount, examiner: StaffAccount
) -> None:
    people = [identity(n, "Smith", date(1980, 3, 14)) for n in ("Ana", "Bea")]
    add_records(application, *[record(p) for p in people])
    ntns = [submit(application, dealer_a, p).ntn for p in people]
    other = make_staff(application, "examiner-9", Role.EXAMINER)
    now = application.clock()
    taken = {review.claim_next(application.review, u.user, now) for u in (examiner, other)}
    assert taken == set(ntns)
    assert review.claim_next(application.review, examiner.user, now) is None
