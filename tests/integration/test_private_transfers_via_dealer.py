"""A private transfer through a dealer: the seller is recorded exactly when the rules say."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.builders import check_body, identity
from tests.conftest import DealerAccount
from transfercheck.adapters.db.tables import check_sellers
from transfercheck.adapters.rules_files import PACKAGED, read_sources
from transfercheck.bootstrap import Application
from transfercheck.domain.rules import RuleBook

SELLER = {
    "given_name": "Zebulon",
    "family_name": "Quartermaine",
    "date_of_birth": "1961-07-04",
    "id_document": {"type": "drivers_license", "number": "NJ55501234", "issuer": "NJ"},
}


@pytest.fixture
def records_sellers_in_nj(application: Application) -> None:
    sources = read_sources(PACKAGED)
    sources["NJ.toml"] = (
        '[jurisdiction]\ncode = "NJ"\nname = "Test"\n[[private_transfers.terms]]\n'
        "certificates_offered = false\ncertificate_validity_days = 30\n"
        "seller_identity_recorded = true\nexempt_relationships = []\n"
        'citation = "Test Code 5"\neffective_from = 2026-01-01\n'
    )
    application.checking = replace(application.checking, rule_book=RuleBook.from_sources(sources))


def private(jurisdiction: str, seller: dict[str, Any] | None = None) -> dict[str, Any]:
    body = check_body(identity("Ana", "Lopez", date(1990, 2, 2)), jurisdiction=jurisdiction)
    body["transfer_type"] = "private_via_dealer"
    if seller is not None:
        body["seller"] = seller
    return body


def submit(client: TestClient, dealer: DealerAccount, body: dict[str, Any], key: str) -> Any:
    return client.post("/v1/checks", json=body, headers={**dealer.headers, "Idempotency-Key": key})


def sellers(application: Application) -> list[Any]:
    with application.engine.connect() as connection:
        return list(connection.execute(select(check_sellers)).all())


@pytest.mark.usefixtures("records_sellers_in_nj")
def test_the_seller_is_recorded_where_the_rules_require_it(
    client: TestClient, application: Application, dealer_a: DealerAccount
) -> None:
    missing = submit(client, dealer_a, private("NJ"), "k1")
    assert missing.status_code == 422
    [problem] = missing.json()["detail"]
    assert problem["loc"] == ["body", "seller"]
    assert "Test Code 5" in problem["msg"]
    bad = submit(client, dealer_a, private("NJ", {**SELLER, "given_name": "Z3b"}), "k2")
    assert bad.json()["detail"][0]["loc"] == ["body", "seller", "given_name"]
    assert sellers(application) == []
    created = submit(client, dealer_a, private("NJ", SELLER), "k3")
    assert created.status_code == 201, created.text
    [row] = sellers(application)
    assert row.ntn == created.json()["ntn"]
    assert row.seller["name"]["family"] == "Quartermaine"
    assert row.seller["id_document"]["number"] == "NJ55501234"
    other_seller = {**SELLER, "given_name": "Zachary"}
    conflict = submit(client, dealer_a, private("NJ", other_seller), "k3")
    assert conflict.status_code == 422
    assert conflict.json()["error"] == "idempotency_key_reused"


def test_nothing_more_than_the_rules_require(
    client: TestClient, application: Application, dealer_a: DealerAccount
) -> None:
    extra = submit(client, dealer_a, private("TX", SELLER), "k1")
    assert extra.status_code == 422
    assert "TX does not record the seller" in extra.json()["detail"][0]["msg"]
    sale = check_body(identity("Ana", "Lopez", date(1990, 2, 2)))
    sale["seller"] = SELLER
    not_private = submit(client, dealer_a, sale, "k2")
    assert "only a private transfer has a seller" in not_private.json()["detail"][0]["msg"]
    plain = submit(client, dealer_a, private("TX"), "k3")
    assert plain.status_code == 201
    assert sellers(application) == []
