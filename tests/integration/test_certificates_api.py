"""Buyers' certificates through the API on real SQLite: self-check, verification, rap back,
revocation, the oracle problem, rate limits, and what a verification stores (nothing)."""

from __future__ import annotations

import json
import os
import stat
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.serialization import load_pem_public_key
from fastapi.testclient import TestClient
from sqlalchemy import inspect, select, text

from tests.builders import identity, record
from tests.conftest import MovableClock
from transfercheck.adapters.db.tables import audit_events, certificate_holders
from transfercheck.adapters.interchange import identity_to_api, record_to_row
from transfercheck.adapters.record_files import read_rows
from transfercheck.adapters.rules_files import PACKAGED, read_sources
from transfercheck.bootstrap import Application
from transfercheck.domain.certificates import FactKind, OfflineVerdict, verify_offline
from transfercheck.domain.identities import Identity
from transfercheck.domain.records import ProhibitingRecord
from transfercheck.domain.rules import RuleBook
from transfercheck.services.certificates import revoke_by_examiner
from transfercheck.services.records import import_records

DOB = date(1990, 2, 2)
ID_NUMBER = "TX04417293"


def buyer(given: str = "Ana", family: str = "Lopez", dob: date = DOB, **kw: Any) -> Identity:
    return identity(given, family, dob, id_number=kw.pop("id_number", ID_NUMBER), **kw)


def self_check(client: TestClient, person: Identity, jurisdiction: str = "TX") -> Any:
    body = {"buyer": identity_to_api(person), "jurisdiction": jurisdiction}
    return client.post("/v1/certificates/self-check", json=body)


def verify(client: TestClient, code: str, **fact: Any) -> Any:
    if not fact:
        fact = {"date_of_birth": DOB.isoformat()}
    return client.post("/v1/certificates/verify", json={"code": code, **fact})


def status_of(client: TestClient, code: str, **fact: Any) -> str:
    response = verify(client, code, **fact)
    assert response.status_code == 200, response.text
    return str(response.json()["status"])


def import_through_the_service(
    application: Application, tmp_path: Path, *records: ProhibitingRecord
) -> None:
    """A record arrives as an agency's file, through the real import and its index hook."""
    path = tmp_path / "arriving.jsonl"
    path.write_text("".join(json.dumps(record_to_row(r)) + "\n" for r in records))
    report = import_records(
        read_rows(path), application.unit_of_work, application.clock(),
        on_imported=application.index_records,
    )  # fmt: skip
    assert report.imported == len(records)


# ── Issue and verify ─────────────────────────────────────────────────────────────────


def test_a_clean_buyer_gets_a_certificate_a_seller_verifies(
    client: TestClient, application: Application
) -> None:
    issued = self_check(client, buyer())
    assert issued.status_code == 201, issued.text
    body = issued.json()
    assert body["outcome"] == "issued"
    assert body["firearm_categories"] == ["handgun", "long_gun", "other"]
    code = body["code"]
    assert len(code) == 17
    assert code.count("-") == 2
    assert status_of(client, code) == "valid"
    assert status_of(client, code.lower().replace("-", " ")) == "valid"
    assert status_of(client, body["token"]) == "valid"
    assert status_of(client, code, id_last_digits="7293") == "valid"
    valid = verify(client, code).json()
    assert valid == {
        "status": "valid",
        "jurisdiction": "TX",
        "firearm_categories": ["handgun", "long_gun", "other"],
    }
    # A wrong fact reads exactly like a wrong code.
    assert verify(client, code, date_of_birth="1990-02-03").json() == {
        "status": "not_found", "jurisdiction": None, "firearm_categories": [],
    }  # fmt: skip
    assert status_of(client, code, id_last_digits="7294") == "not_found"
    assert status_of(client, "7QK3M-0XW2D-HB8FA") == "not_found"

    pem = client.get("/v1/certificates/public-key")
    assert pem.text.startswith("-----BEGIN PUBLIC KEY-----")
    public_key = load_pem_public_key(pem.text.encode())
    offline = verify_offline(
        body["token"],
        public_key,
        application.clock(),
        FactKind.DATE_OF_BIRTH,
        DOB,  # type: ignore[arg-type]
    )
    assert offline.verdict is OfflineVerdict.VALID


def test_the_signing_key_is_a_private_file_outside_the_database(
    client: TestClient, application: Application
) -> None:
    assert self_check(client, buyer()).status_code == 201
    key_file = application.settings.certificate_key_path
    assert key_file.parent == application.settings.data_dir / "keys"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    with application.engine.connect() as connection:
        dump = json.dumps([list(map(str, r)) for r in _all_rows(connection).values()])
    assert "PRIVATE KEY" not in dump


def test_a_certificate_expires(client: TestClient, clock: MovableClock) -> None:
    code = self_check(client, buyer()).json()["code"]
    clock.advance(timedelta(days=30, seconds=-1))
    assert status_of(client, code) == "valid"
    clock.advance(timedelta(seconds=1))
    assert status_of(client, code) == "expired"


def test_age_limits_the_firearms_a_certificate_covers(client: TestClient) -> None:
    nineteen = self_check(client, buyer(dob=date(2007, 5, 1))).json()
    assert nineteen["outcome"] == "issued"
    assert nineteen["firearm_categories"] == ["long_gun"]
    child = self_check(client, buyer("Eva", dob=date(2012, 5, 1))).json()
    assert child["outcome"] == "underage"
    assert child["code"] is None


def test_a_self_check_needs_an_id_document_and_a_known_state(client: TestClient) -> None:
    response = self_check(client, replace(buyer(), id_document=None))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "buyer", "id_document"]
    assert self_check(client, buyer(), "ZZ").status_code == 422
    bad = self_check(client, buyer(given="B1ll"))
    assert bad.status_code == 422


# ── What a verification stores ───────────────────────────────────────────────────────


def _all_rows(connection: Any) -> dict[str, list[tuple[Any, ...]]]:
    tables = inspect(connection).get_table_names()
    return {
        name: [tuple(r) for r in connection.execute(text(f'SELECT * FROM "{name}"'))]  # noqa: S608
        for name in tables
    }


def test_a_verification_stores_no_firearm_and_no_seller_data(
    client: TestClient, application: Application
) -> None:
    code = self_check(client, buyer()).json()["code"]
    with application.engine.connect() as connection:
        before = _all_rows(connection)
    seller_and_firearm = {
        "seller": {"given_name": "Zebulon", "family_name": "Quartermaine"},
        "firearm_category": "handgun",
        "serial_number": "SN-77-QQ-123",
    }
    refused = verify(client, code, date_of_birth=DOB.isoformat(), **seller_and_firearm)
    assert refused.status_code == 422
    assert status_of(client, code) == "valid"
    with application.engine.connect() as connection:
        after = _all_rows(connection)
        [event] = connection.execute(
            select(audit_events).order_by(audit_events.c.seq.desc()).limit(1)
        ).all()
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {"audit_events", "audit_head"}
    assert len(after["audit_events"]) == len(before["audit_events"]) + 1
    assert event.event_type == "certificate_verified"
    assert (event.actor, event.object_type, event.outcome) == ("public", "certificate", "valid")
    assert event.object_id.startswith("C-")
    assert event.details == {"fact": "date_of_birth"}
    dump = json.dumps({k: [list(map(str, r)) for r in v] for k, v in after.items()})
    for trace in ("Zebulon", "Quartermaine", "SN-77-QQ", "testclient", code):
        assert trace not in dump


# ── Revocation ───────────────────────────────────────────────────────────────────────


def test_a_record_arriving_for_the_holder_revokes_at_once(
    client: TestClient, application: Application, tmp_path: Path
) -> None:
    holder = buyer()
    code = self_check(client, holder).json()["code"]
    bystander = self_check(
        client, buyer("Zoe", "Whitfield", date(1975, 8, 9), id_number="TX9")
    ).json()
    import_through_the_service(application, tmp_path, record(holder))
    assert status_of(client, code) == "revoked"
    assert status_of(client, bystander["code"], date_of_birth="1975-08-09") == "valid"
    with application.engine.connect() as connection:
        holders = connection.execute(select(certificate_holders.c.certificate_id)).all()
        revoked = connection.execute(
            select(audit_events).where(audit_events.c.event_type == "certificate_revoked")
        ).all()
    assert len(holders) == 1  # the revoked holder's identity is gone; the bystander's stays
    [event] = revoked
    assert (event.actor, event.outcome) == ("system:rap_back", "prohibiting_record")


def test_a_namesake_record_with_another_id_still_revokes_if_a_check_would_delay(
    client: TestClient, application: Application, tmp_path: Path
) -> None:
    code = self_check(client, buyer()).json()["code"]
    twin = buyer(id_number="TX55555555")
    import_through_the_service(application, tmp_path, record(twin))
    # Same name and date of birth: a dealer's check would delay, so the certificate goes.
    assert status_of(client, code) == "revoked"


def test_the_holder_and_an_examiner_can_revoke(
    client: TestClient, application: Application
) -> None:
    code = self_check(client, buyer()).json()["code"]
    wrong = {"code": code, "date_of_birth": DOB.isoformat(), "id_number": "TX04417294"}
    assert client.post("/v1/certificates/revoke", json=wrong).status_code == 404
    assert status_of(client, code) == "valid"
    with application.engine.connect() as connection:
        [refused] = connection.execute(
            select(audit_events).where(audit_events.c.event_type == "certificate_revoked")
        ).all()
    assert (refused.actor, refused.outcome) == ("public", "refused")
    right = {**wrong, "id_number": "tx-0441-7293"}
    assert client.post("/v1/certificates/revoke", json=right).json() == {"status": "revoked"}
    assert status_of(client, code) == "revoked"
    assert client.post("/v1/certificates/revoke", json=right).status_code == 404

    other = self_check(client, buyer("Eli", "Park")).json()
    certificate_id = _last_certificate_id(application)
    assert revoke_by_examiner(certificate_id, "E-7", application.unit_of_work, application.clock())
    assert status_of(client, other["code"]) == "revoked"


def _last_certificate_id(application: Application) -> str:
    with application.engine.connect() as connection:
        rows = connection.execute(
            select(audit_events.c.details).where(audit_events.c.event_type == "self_check_run")
        ).all()
    return str(rows[-1].details["certificate_id"])


# ── The oracle problem ───────────────────────────────────────────────────────────────


def test_a_stranger_learns_nothing_about_records_the_owner_does(
    client: TestClient, application: Application, tmp_path: Path
) -> None:
    prohibited = buyer("Carl", "Meyer", date(1970, 1, 5), id_number="TX12345678")
    import_through_the_service(application, tmp_path, record(prohibited))
    stranger = self_check(client, replace(prohibited, id_document=buyer().id_document)).json()
    assert stranger["outcome"] == "not_issued"
    assert stranger["reasons"] == []
    assert stranger["code"] is None
    owner = self_check(client, prohibited).json()
    assert owner["outcome"] == "denied"
    assert owner["reasons"] == ["prohibiting_record"]
    for answer in (stranger, owner):
        assert "Carl" not in json.dumps(answer)
        assert "922g1" not in json.dumps(answer)


def test_a_state_with_the_dealer_route_only_issues_nothing(
    client: TestClient, application: Application
) -> None:
    sources = read_sources(PACKAGED)
    sources["NJ.toml"] = (
        '[jurisdiction]\ncode = "NJ"\nname = "Test"\n[[private_transfers.terms]]\n'
        "certificates_offered = false\ncertificate_validity_days = 30\n"
        "seller_identity_recorded = false\nexempt_relationships = []\n"
        'citation = "Test"\neffective_from = 2026-01-01\n'
    )
    application.checking = replace(application.checking, rule_book=RuleBook.from_sources(sources))
    answer = self_check(client, buyer(), "NJ").json()
    assert answer["outcome"] == "not_offered"
    needed = client.get("/v1/private-transfers/requirement?jurisdiction=NJ&relationship=spouse")
    assert needed.json()["routes"] == ["dealer"]
    assert needed.json()["certificate_validity_days"] is None


def test_what_a_private_transfer_needs(client: TestClient) -> None:
    url = "/v1/private-transfers/requirement?jurisdiction=TX"
    family = client.get(f"{url}&relationship=sibling").json()
    assert (family["check_required"], family["routes"]) == (False, [])
    stranger = client.get(url).json()
    assert stranger["check_required"] is True
    assert stranger["routes"] == ["dealer", "certificate"]
    assert stranger["certificate_validity_days"] == 30
    assert client.get("/v1/private-transfers/requirement?jurisdiction=ZZ").status_code == 422
    assert client.get(f"{url}&relationship=friend").status_code == 422


# ── Rate limits ──────────────────────────────────────────────────────────────────────


def test_verifications_are_limited_per_code_and_per_address(
    client: TestClient, clock: MovableClock
) -> None:
    code = self_check(client, buyer()).json()["code"]
    for _ in range(10):
        assert verify(client, code).status_code == 200
    limited = verify(client, code)
    assert limited.status_code == 429
    assert limited.json()["error"] == "rate_limited"
    assert 0 < int(limited.headers["Retry-After"]) <= 3600
    clock.advance(timedelta(hours=1))
    assert verify(client, code).status_code == 200
    for n in range(29):  # 30 verifications from this address in the last hour
        assert verify(client, f"bad-code-{n}").status_code == 200
    assert verify(client, "another-bad-code").status_code == 429


def test_self_checks_are_limited_per_identity_and_per_address(
    client: TestClient, clock: MovableClock
) -> None:
    someone = buyer(dob=date(2012, 1, 1))  # underage: answered fast, nothing issued
    for _ in range(5):
        assert self_check(client, someone).status_code == 200
    assert self_check(client, someone).status_code == 429
    clock.advance(timedelta(hours=1))
    assert self_check(client, someone).status_code == 429  # a day per identity
    names = ["Ada", "Bea", "Cy", "Dot", "Ed", "Flo", "Gus", "Hal", "Ivy"]
    for name in names:  # with the refused one above, 10 from this address this hour
        assert self_check(client, buyer(name, dob=date(2012, 1, 1))).status_code == 200
    limited = self_check(client, buyer("Jo", dob=date(2012, 1, 1)))
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0
