"""Staff logins: password and a one-time code (SR-01, SR-02), lockout and release (SR-06),
session lifetime (SR-08)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import PASSWORD, MovableClock, StaffAccount
from transfercheck.bootstrap import Application
from transfercheck.domain.accounts import Role, User
from transfercheck.domain.audit import EventType
from transfercheck.domain.errors import NotAuthenticated, ValidationFailed
from transfercheck.services import accounts

STEP = timedelta(seconds=30)


def log_in(application: Application, staff: StaffAccount, code: str | None) -> str:
    new = accounts.log_in(
        staff.user.username, PASSWORD, application.unit_of_work, application.clock(), code
    )
    return new.token


def audit_types(application: Application) -> list[EventType]:
    with application.unit_of_work() as uow:
        return [e.event.type for e in uow.audit.entries()]


def test_a_password_alone_never_opens_a_staff_session(
    application: Application, examiner: StaffAccount
) -> None:
    for code in (None, "", "000000"):
        with pytest.raises(NotAuthenticated):
            log_in(application, examiner, code)
    assert log_in(application, examiner, examiner.code(application.clock()))


def test_a_code_works_once_and_within_one_step_of_drift(
    application: Application, clock: MovableClock, examiner: StaffAccount
) -> None:
    code = examiner.code(clock())
    log_in(application, examiner, code)
    with pytest.raises(NotAuthenticated):
        log_in(application, examiner, code)  # replayed within its 30 seconds
    assert audit_types(application)[-2:] == [EventType.OTP_REPLAY, EventType.LOGIN_FAILED]
    clock.advance(STEP)
    log_in(application, examiner, examiner.code(clock()))  # the next step's code: fine
    clock.advance(STEP * 3)
    with pytest.raises(NotAuthenticated):
        log_in(application, examiner, examiner.code(clock() - STEP * 2))  # two steps old
    log_in(application, examiner, examiner.code(clock() - STEP))  # one step of drift


def test_staff_need_a_second_factor_to_exist(application: Application) -> None:
    user = User("U-x", "examiner-x", Role.EXAMINER, None)
    with pytest.raises(ValidationFailed, match="second factor"):
        accounts.create_user(user, PASSWORD, application.unit_of_work, application.clock())


def test_five_failures_lock_until_an_administrator_releases(
    application: Application, clock: MovableClock, examiner: StaffAccount
) -> None:
    for _ in range(5):
        with pytest.raises(NotAuthenticated):
            log_in(application, examiner, "123456")
        clock.advance(STEP)
    with pytest.raises(NotAuthenticated):
        log_in(application, examiner, examiner.code(clock()))
    accounts.unlock_user("examiner-1", "admin:cli", application.unit_of_work, clock())
    clock.advance(STEP)
    log_in(application, examiner, examiner.code(clock()))
    assert EventType.ACCOUNT_UNLOCKED in audit_types(application)


def test_sessions_end_after_30_idle_minutes_and_after_12_hours(
    application: Application, clock: MovableClock, examiner: StaffAccount
) -> None:
    idle = timedelta(minutes=30)
    token = log_in(application, examiner, examiner.code(clock()))
    for _ in range(24):  # active all day: a request every 29 minutes, 11 h 36 min
        clock.advance(timedelta(minutes=29))
        accounts.resume_session(token, application.unit_of_work, clock(), idle)
    clock.advance(timedelta(minutes=29))  # 12 h 5 min after login
    with pytest.raises(NotAuthenticated, match="expired"):
        accounts.resume_session(token, application.unit_of_work, clock(), idle)
    clock.advance(STEP)
    token = log_in(application, examiner, examiner.code(clock()))
    clock.advance(idle + timedelta(seconds=1))
    with pytest.raises(NotAuthenticated, match="expired"):
        accounts.resume_session(token, application.unit_of_work, clock(), idle)
