"""Shared fixtures: a real SQLite file per test, a movable clock, two dealers."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError

from transfercheck.bootstrap import Application, bootstrap
from transfercheck.config import Settings
from transfercheck.domain.accounts import Agency, Dealer, Role, User
from transfercheck.domain.checks import (
    Check,
    CheckRequest,
    FirearmCategory,
    Transfer,
    TransferType,
)
from transfercheck.domain.identities import Identity
from transfercheck.domain.records import ProhibitingRecord
from transfercheck.entrypoints.api.app import create_app
from transfercheck.services import accounts
from transfercheck.services.intake import submit_check
from transfercheck.services.second_factor import code_at, new_secret

# Tuesday 24 November 2026, 10:00 in New York: Thanksgiving falls two days later.
DEFAULT_NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
PASSWORD = "correct horse battery staple"


class MovableClock:
    """Time is injected: tests move it instead of sleeping."""

    def __init__(self, now: datetime = DEFAULT_NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@dataclass(frozen=True)
class DealerAccount:
    dealer_id: str
    username: str
    api_key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'transfercheck.db'}",
        data_dir=tmp_path,
        environment="test",
    )


@pytest.fixture
def application(settings: Settings, clock: MovableClock) -> Iterator[Application]:
    app = bootstrap(settings, clock)
    yield app
    app.close()


@pytest.fixture
def client(application: Application) -> Iterator[TestClient]:
    with TestClient(create_app(application)) as test_client:
        yield test_client


def make_dealer(application: Application, letter: str) -> DealerAccount:
    now = application.clock()
    dealer_id = f"D-TEST-{letter}"
    accounts.create_dealer(
        Dealer(dealer_id, f"Test Dealer {letter}", f"9-99-999-01-1{letter}-0000{letter}"),
        application.unit_of_work,
        now,
    )
    username = f"clerk-{letter.lower()}"
    accounts.create_user(
        User(f"U-{letter}", username, Role.DEALER_CLERK, dealer_id),
        PASSWORD,
        application.unit_of_work,
        now,
    )
    key = accounts.issue_api_key(dealer_id, application.unit_of_work, now)
    return DealerAccount(dealer_id, username, key)


@dataclass(frozen=True)
class AgencyAccount:
    agency_id: str
    api_key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}


def make_agency(application: Application, agency_id: str) -> AgencyAccount:
    now = application.clock()
    accounts.create_agency(
        Agency(agency_id, f"{agency_id} (synthetic)", "court", "TX"), application.unit_of_work, now
    )
    return AgencyAccount(
        agency_id, accounts.issue_agency_api_key(agency_id, application.unit_of_work, now)
    )


@pytest.fixture
def court(application: Application) -> AgencyAccount:
    return make_agency(application, "TX-TRAVIS-COURT")


@pytest.fixture
def other_court(application: Application) -> AgencyAccount:
    return make_agency(application, "TX-HARRIS-COURT")


@pytest.fixture
def dealer_a(application: Application) -> DealerAccount:
    return make_dealer(application, "A")


@pytest.fixture
def dealer_b(application: Application) -> DealerAccount:
    return make_dealer(application, "B")


@dataclass(frozen=True)
class StaffAccount:
    user: User
    totp_secret: str

    def code(self, at: datetime) -> str:
        return code_at(self.totp_secret, at)


def make_staff(application: Application, username: str, role: Role) -> StaffAccount:
    user = User(f"U-{username}", username, role, None)
    secret = new_secret()
    accounts.create_user(user, PASSWORD, application.unit_of_work, application.clock(), secret)
    return StaffAccount(user, secret)


@pytest.fixture
def examiner(application: Application) -> StaffAccount:
    return make_staff(application, "examiner-1", Role.EXAMINER)


@pytest.fixture
def examiner_2(application: Application) -> StaffAccount:
    return make_staff(application, "examiner-2", Role.EXAMINER)


@pytest.fixture
def supervisor(application: Application) -> StaffAccount:
    return make_staff(application, "supervisor-1", Role.SUPERVISOR)


def submit(
    application: Application, dealer: DealerAccount, buyer: Identity, key: str | None = None
) -> Check:
    """Run a check through intake at the application's clock, as a dealer would."""
    now = application.clock()
    transfer = Transfer(buyer, FirearmCategory.LONG_GUN, TransferType.DEALER_SALE, "TX")
    request = CheckRequest(dealer.dealer_id, transfer, key or secrets.token_hex(8))
    return submit_check(
        request, application.checking, application.unit_of_work, now, application.today(now)
    ).check


def add_records(application: Application, *records: ProhibitingRecord) -> None:
    """Put records in the database and the live index, as an agency submission would."""
    with application.unit_of_work() as uow:
        uow.records.add_many(records, application.clock())
        uow.commit()
    application.index_records(list(records))


POSTGRES_ADMIN_URL = os.environ.get(
    "TC_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards.

    Skips when no server answers, except in CI (CI=true), where PostgreSQL must run."""
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"tc_test_{secrets.token_hex(6)}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as error:
        admin.dispose()
        message = f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL} (set TC_TEST_POSTGRES_URL)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}: {error}")
        pytest.skip(message)
    yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()
