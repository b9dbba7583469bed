"""Each action writes exactly one audit entry in its own transaction; the log is append-only
in the database and verifies end to end (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError
from typer.testing import CliRunner

from tests.builders import check_body, identity
from tests.conftest import PASSWORD, MovableClock, make_dealer
from tests.web import submit_login
from transfercheck.bootstrap import Application, bootstrap
from transfercheck.config import Settings
from transfercheck.domain.audit import EventType
from transfercheck.entrypoints.api.app import create_app
from transfercheck.entrypoints.cli import app as cli_app
from transfercheck.services.audit import verify_audit_log


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def app_on(request: pytest.FixtureRequest, tmp_path: object) -> Iterator[Application]:
    url = (
        f"sqlite:///{tmp_path}/audit.db"
        if request.param == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    settings = Settings(database_url=url, data_dir=tmp_path, environment="test")
    application = bootstrap(settings, MovableClock())
    yield application
    application.close()


def events(application: Application) -> list[tuple[str, str, str]]:
    with application.unit_of_work() as uow:
        return [
            (e.event.type.value, e.event.object_id, e.event.outcome) for e in uow.audit.entries()
        ]


def test_checks_and_logins_are_audited_once_each_and_the_chain_verifies(
    app_on: Application,
) -> None:
    dealer = make_dealer(app_on, "A")
    with TestClient(create_app(app_on)) as client:
        headers = {**dealer.headers, "Idempotency-Key": "a-1"}
        body = check_body(identity("Ana", "Lopez", date(1990, 2, 2)))
        ntn = client.post("/v1/checks", json=body, headers=headers).json()["ntn"]
        client.post("/v1/checks", json=body, headers=headers)  # a replay adds nothing
        submit_login(client, "/login", username=dealer.username, password="wrong-one")
        submit_login(client, "/login", username="nobody", password="wrong-one")
        submit_login(client, "/login", username=dealer.username, password=PASSWORD)
    assert events(app_on) == [
        (EventType.CHECK_SUBMITTED.value, ntn, "PROCEED"),
        (EventType.LOGIN_FAILED.value, "U-A", "failed"),
        (EventType.LOGIN_FAILED.value, "unknown", "failed"),
        (EventType.LOGIN_SUCCEEDED.value, "U-A", "ok"),
    ]
    assert verify_audit_log(app_on.unit_of_work).ok


def test_the_application_cannot_update_or_delete_audit_entries(app_on: Application) -> None:
    dealer = make_dealer(app_on, "A")
    with TestClient(create_app(app_on)) as client:
        client.post(
            "/v1/checks",
            json=check_body(identity()),
            headers={**dealer.headers, "Idempotency-Key": "a-1"},
        )
    for statement in ("UPDATE audit_events SET outcome = 'DENIED'", "DELETE FROM audit_events"):
        with pytest.raises(DatabaseError, match="append-only"), app_on.engine.begin() as db:
            db.execute(text(statement))
    assert verify_audit_log(app_on.unit_of_work).ok


def test_a_change_made_behind_the_applications_back_is_found(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TC_DATABASE_URL", f"sqlite:///{tmp_path}/tamper.db")
    monkeypatch.setenv("TC_DATA_DIR", str(tmp_path))
    application = bootstrap(Settings(), MovableClock())
    dealer = make_dealer(application, "A")
    with TestClient(create_app(application)) as client:
        for n in range(3):
            client.post(
                "/v1/checks",
                json=check_body(identity("Ana", f"Lopez{'x' * n}")),
                headers={**dealer.headers, "Idempotency-Key": f"k-{n}"},
            )
    with application.engine.begin() as db:  # a database administrator drops the guard
        db.execute(text("DROP TRIGGER audit_events_no_update"))
        db.execute(text("UPDATE audit_events SET outcome = 'DENIED' WHERE seq = 2"))
    application.close()
    result = CliRunner().invoke(cli_app, ["audit", "verify"])
    assert result.exit_code == 1
    assert "broken at entry 2" in result.output
