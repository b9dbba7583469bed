"""Concurrent examiners never double-decide (SQLite file and PostgreSQL).

Jepsen-style: threads released together by a barrier claim every check, then every
examiner and a supervisor try to decide every check at the same version. Each operation
is recorded as invoke / ok / fail in a history; a checker then holds the history against
the database and the audit log: one claim and one decision per check, the stored answer
is the one that succeeded, exactly one audit event per decision, one refused event per
failure, and the audit chain still verifies.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

import pytest

from tests.builders import identity, record
from tests.conftest import MovableClock, StaffAccount, add_records, make_dealer, make_staff, submit
from transfercheck.bootstrap import Application, bootstrap
from transfercheck.config import Settings
from transfercheck.domain.accounts import Role
from transfercheck.domain.determinations import CheckStatus
from transfercheck.domain.errors import Conflict
from transfercheck.domain.review import OverrideReason
from transfercheck.services import review
from transfercheck.services.audit import verify_audit_log

CHECKS = 5
EXAMINERS = 6
T = TypeVar("T")


@dataclass(frozen=True)
class Op:
    actor: str
    action: str  # claim, decide, override
    ntn: str
    result: str  # ok, fail
    outcome: str = ""


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def app_on(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Application]:
    url = (
        f"sqlite:///{tmp_path}/race.db"
        if request.param == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    application = bootstrap(
        Settings(database_url=url, data_dir=tmp_path, environment="test"), MovableClock()
    )
    yield application
    application.close()


def race(workers: list[Callable[[], list[T]]]) -> list[T]:
    """Run the workers at once (each waits at the barrier first); return all they record."""
    start = threading.Barrier(len(workers))

    def run(worker: Callable[[], list[T]]) -> list[T]:
        start.wait()
        return worker()

    with ThreadPoolExecutor(len(workers)) as pool:
        return [item for items in pool.map(run, workers) for item in items]


def attempt(
    actor: StaffAccount, action: str, ntn: str, do: Callable[[], None], outcome: str = ""
) -> Op:
    try:
        do()
    except Conflict:
        return Op(actor.user.username, action, ntn, "fail", outcome)
    return Op(actor.user.username, action, ntn, "ok", outcome)


def test_examiners_racing_on_the_same_checks_decide_each_exactly_once(
    app_on: Application,
) -> None:
    context, now = app_on.review, app_on.clock()
    dealer = make_dealer(app_on, "A")
    people = [identity(f"Person{chr(65 + i)}", "Smith", date(1980, 3, 14)) for i in range(CHECKS)]
    add_records(app_on, *[record(p) for p in people])
    ntns = [submit(app_on, dealer, p).ntn for p in people]
    examiners = [make_staff(app_on, f"examiner-{i}", Role.EXAMINER) for i in range(EXAMINERS)]
    boss = make_staff(app_on, "supervisor-1", Role.SUPERVISOR)

    def claimer(examiner: StaffAccount) -> Callable[[], list[Op]]:
        def claim(ntn: str) -> Op:
            return attempt(
                examiner, "claim", ntn, lambda: review.claim(context, examiner.user, ntn, now)
            )

        return lambda: [claim(n) for n in random.sample(ntns, len(ntns))]

    history = race([claimer(e) for e in examiners])
    with app_on.unit_of_work() as uow:
        versions = {n: uow.reviews.state(n).version for n in ntns}  # type: ignore[union-attr]

    def decider(examiner: StaffAccount) -> Callable[[], list[Op]]:
        def decide(ntn: str) -> Op:
            outcome, reason = random.choice(
                [(CheckStatus.DENIED, "922g1"), (CheckStatus.PROCEED, "not_the_buyer")]
            )
            return attempt(
                examiner, "decide", ntn,
                lambda: review.decide(
                    context, examiner.user, ntn, versions[ntn], outcome, reason, now
                ),
                outcome.value,
            )  # fmt: skip

        return lambda: [decide(n) for n in random.sample(ntns, len(ntns))]

    def override(ntn: str) -> Op:
        return attempt(
            boss, "override", ntn,
            lambda: review.override(
                context, boss.user, ntn, versions[ntn], CheckStatus.DENIED,
                OverrideReason.POLICY_REVIEW, "race test", now,
            ),
            CheckStatus.DENIED.value,
        )  # fmt: skip

    def overrider() -> list[Op]:
        return [override(n) for n in random.sample(ntns, len(ntns))]

    history += race([*(decider(e) for e in examiners), overrider])
    check_history(app_on, ntns, history)


def check_history(application: Application, ntns: list[str], history: list[Op]) -> None:
    claims = Counter(op.ntn for op in history if op.action == "claim" and op.result == "ok")
    assert claims == Counter(ntns), "every check claimed exactly once"
    wins: dict[str, Op] = {}
    for op in history:
        if op.action in ("decide", "override") and op.result == "ok":
            assert op.ntn not in wins, f"{op.ntn} decided twice: {wins[op.ntn]} and {op}"
            wins[op.ntn] = op
    assert set(wins) == set(ntns), "every check decided"
    with application.unit_of_work() as uow:
        entries = [e.event for e in uow.audit.entries()]
        for ntn, won in wins.items():
            state = uow.reviews.state(ntn)
            assert state is not None
            assert state.resolution is not None
            assert state.resolution.resolved_by == f"user:U-{won.actor}"
            if won.action == "decide":
                assert state.status.value == won.outcome
            else:
                assert state.status is CheckStatus.DENIED
    decisions = [
        e
        for e in entries
        if e.type.value in ("check_decided", "check_overridden") and e.outcome != "refused"
    ]
    assert sorted(e.object_id for e in decisions) == sorted(ntns), "one decision event each"
    for event in decisions:
        assert event.actor == f"user:U-{wins[event.object_id].actor}"
    failures = sum(op.result == "fail" for op in history)
    refused = sum(e.outcome == "refused" for e in entries)
    assert refused == failures, "every refused attempt audited once"
    assert verify_audit_log(application.unit_of_work).ok


def test_examiners_taking_the_next_check_at_once_never_share_one(app_on: Application) -> None:
    context, now = app_on.review, app_on.clock()
    dealer = make_dealer(app_on, "A")
    people = [identity(f"Person{chr(65 + i)}", "Smith", date(1980, 3, 14)) for i in range(CHECKS)]
    add_records(app_on, *[record(p) for p in people])
    ntns = {submit(app_on, dealer, p).ntn for p in people}
    examiners = [make_staff(app_on, f"examiner-{i}", Role.EXAMINER) for i in range(EXAMINERS)]

    def taker(examiner: StaffAccount) -> Callable[[], list[str | None]]:
        return lambda: [review.claim_next(context, examiner.user, now)]

    taken = race([taker(e) for e in examiners])
    claimed = [n for n in taken if n is not None]
    assert sorted(claimed) == sorted(ntns), "each check to exactly one examiner"
    assert taken.count(None) == EXAMINERS - CHECKS
