"""The schema and the check path on both databases: SQLite (embedded) and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi.testclient import TestClient
from sqlalchemy import inspect, text

from tests.builders import check_body, firearm, identity, record
from tests.conftest import MovableClock, add_records, make_dealer
from transfercheck.adapters.db import codec
from transfercheck.adapters.db.engine import make_engine
from transfercheck.adapters.db.migrate import alembic_config, migrate
from transfercheck.adapters.db.tables import metadata
from transfercheck.adapters.interchange import item_to_api
from transfercheck.bootstrap import Application, bootstrap
from transfercheck.config import Settings
from transfercheck.domain.calendar import federal_holidays
from transfercheck.entrypoints.api.app import create_app


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: object) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/storage.db"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def app_on(database_url: str, tmp_path: object) -> Iterator[Application]:
    settings = Settings(database_url=database_url, data_dir=tmp_path, environment="test")
    application = bootstrap(settings, MovableClock())
    yield application
    application.close()


def test_migrations_build_exactly_the_declared_schema(database_url: str) -> None:
    engine = make_engine(database_url)
    migrate(engine)
    migrate(engine)  # a second run is a no-op
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    engine.dispose()
    assert differences == []


def test_sqlite_runs_in_wal_mode_with_full_sync(tmp_path: object) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/wal.db")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_check_round_trip_and_idempotency(app_on: Application) -> None:
    dealer = make_dealer(app_on, "A")
    other = make_dealer(app_on, "B")
    prohibited = identity("William", "Smith", date(1980, 3, 14), ssn="900123456")
    add_records(app_on, record(prohibited))
    with TestClient(create_app(app_on)) as client:
        headers = {**dealer.headers, "Idempotency-Key": "pg-1"}
        first = client.post("/v1/checks", json=check_body(prohibited), headers=headers)
        again = client.post("/v1/checks", json=check_body(prohibited), headers=headers)
        assert first.json()["status"] == "DENIED"
        assert again.json()["ntn"] == first.json()["ntn"]
        ntn = first.json()["ntn"]
        assert client.get(f"/v1/checks/{ntn}", headers=dealer.headers).status_code == 200
        assert client.get(f"/v1/checks/{ntn}", headers=other.headers).status_code == 404


def test_index_is_rebuilt_from_the_database_on_start(app_on: Application) -> None:
    add_records(app_on, record(identity("Ana", "Lopez")))
    restarted = bootstrap(app_on.settings, MovableClock())
    try:
        assert len(restarted.index) == 1
    finally:
        restarted.close()


def test_a_check_with_an_item_round_trips(app_on: Application) -> None:
    dealer = make_dealer(app_on, "A")
    rifle = firearm(capacity=30, features=["pistol_grip"], possessed_since=date(2012, 5, 1))
    body = {**check_body(identity("Ana", "Lopez"), jurisdiction="CO"), "item": item_to_api(rifle)}
    with TestClient(create_app(app_on)) as client:
        headers = {**dealer.headers, "Idempotency-Key": "item-1"}
        answer = client.post("/v1/checks", json=body, headers=headers).json()
    assert answer["status"] == "DENIED"
    with app_on.unit_of_work() as uow:
        stored = uow.checks.get_for_dealer(dealer.dealer_id, answer["ntn"])
    assert stored is not None
    item = stored.check.determination.item
    assert item is not None
    assert [f.clause for f in item.prohibiting] == ["18-12-301(2)(a)(I)"]
    with app_on.engine.connect() as connection:
        saved = connection.execute(text("SELECT item FROM check_subjects")).scalar_one()
    saved = json.loads(saved) if isinstance(saved, str) else saved
    assert codec.item_from_json(saved) == rifle


def test_migrations_go_down_to_the_first_and_up_again(database_url: str) -> None:
    engine = make_engine(database_url)
    migrate(engine)
    config = alembic_config(database_url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    columns = {c["name"] for c in inspect(engine).get_columns("check_subjects")}
    assert not {"item", "item_assessment"} & columns
    migrate(engine)
    columns = {c["name"] for c in inspect(engine).get_columns("check_subjects")}
    assert {"item", "item_assessment"} <= columns


def test_the_matchers_field_by_field_evidence_is_stored_with_the_check(
    app_on: Application,
) -> None:
    dealer = make_dealer(app_on, "A")
    add_records(app_on, record(identity("William", "Smith", date(1980, 3, 14))))
    with TestClient(create_app(app_on)) as client:
        body = check_body(identity("Bill", "Smyth", date(1980, 3, 14)))
        answer = client.post(
            "/v1/checks", json=body, headers={**dealer.headers, "Idempotency-Key": "ev-1"}
        ).json()
    assert answer["status"] == "DELAYED"
    with app_on.unit_of_work() as uow:
        stored = uow.checks.get_for_dealer(dealer.dealer_id, answer["ntn"])
    assert stored is not None
    (finding,) = stored.check.determination.findings
    fields = {e.field: e for e in finding.evidence}
    assert fields["given_name"].level == "nickname"
    assert "Bill" in fields["given_name"].explanation
    assert fields["prior"].level == "base rate"  # the whole computation, prior included


def test_upgrading_a_database_with_checks_keeps_them_and_their_subjects(
    database_url: str,
) -> None:
    from alembic import command

    from transfercheck.adapters.db.migrate import alembic_config

    engine = make_engine(database_url)
    config = alembic_config(database_url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002_audit_log")
        connection.execute(
            text("INSERT INTO dealers VALUES ('D-1', 'Dealer', '9-99', '2026-01-01 00:00:00+00')")
        )
        connection.execute(
            text(
                "INSERT INTO checks VALUES ('N1', 'D-1', 'k', '2026-01-01 00:00:00+00',"
                " 'DELAYED', '[]', '2026-01-06', 'r', 'm')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO check_subjects VALUES ('N1', 'f', '{}', 'handgun', 'dealer_sale',"
                " 'TX', '[]', NULL)"
            )
        )
    migrate(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version FROM checks")).scalar_one() == 1
        assert connection.execute(text("SELECT count(*) FROM check_subjects")).scalar_one() == 1
    engine.dispose()


def test_start_up_warms_the_check_path_before_the_first_check(settings: Settings) -> None:
    # The holiday tables are the costliest first use (0.65 s): the first dealer must not pay.
    federal_holidays.cache_clear()
    application = bootstrap(settings, MovableClock())
    try:
        assert federal_holidays.cache_info().currsize > 0
    finally:
        application.close()
