"""Items over HTTP: `POST /v1/items/classify`, and a check whose item is prohibited."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from tests.builders import check_body, firearm, identity
from tests.conftest import DealerAccount, MovableClock, make_dealer
from transfercheck.adapters.interchange import item_to_api
from transfercheck.bootstrap import Application, bootstrap
from transfercheck.config import Settings
from transfercheck.entrypoints.api.app import create_app

CLEAN_BUYER = identity("Ana", "Lopez", date(1990, 2, 2))
AR15 = firearm(capacity=30, features=["pistol_grip"], make="Colt", model="AR-15")


def classify(client: TestClient, dealer: DealerAccount, body: Any) -> httpx.Response:
    return client.post("/v1/items/classify", json=body, headers=dealer.headers)


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, DealerAccount]]:
    """One application for the classify tests: classifying stores nothing, so they can
    share it (and skip a database and a password hash per test)."""
    path = tmp_path_factory.mktemp("classify")
    settings = Settings(database_url=f"sqlite:///{path / 'db'}", data_dir=path, environment="test")
    application = bootstrap(settings, MovableClock())
    dealer = make_dealer(application, "A")
    with TestClient(create_app(application)) as client:
        yield client, dealer
    application.close()


def classify_body(**changes: Any) -> dict[str, Any]:
    return {"item": item_to_api(AR15), "jurisdiction": "NY", "date": "2024-06-03", **changes}


def with_item(**changes: Any) -> dict[str, Any]:
    body = classify_body()
    body["item"].update(changes)
    return body


# ── Classify ────────────────────────────────────────────────────────────────────────


def test_classify_says_which_clause_and_feature_prohibit(
    reader: tuple[TestClient, DealerAccount],
) -> None:
    client, dealer_a = reader
    response = classify(client, dealer_a, classify_body())
    assert response.status_code == 200
    body = response.json()
    assert (body["jurisdiction"], body["date"], body["status"]) == (
        "NY",
        "2024-06-03",
        "prohibited",
    )
    assert body["proposal"] is False
    weapon, magazine = body["prohibited_by"]
    assert weapon["clause"] == "265.00(22)(a)"
    assert weapon["citation"].startswith("N.Y. Penal Law 265.00(22)(a)")
    assert weapon["features"] == ["pistol_grip"]
    assert magazine["bans"] == "magazine"
    assert "holds 30 rounds, more than 10" in magazine["explanation"]
    assert all(c["explanation"].startswith("Does not apply") for c in body["not_applying"])


def test_classify_allows_where_no_clause_is_in_force_and_defaults_to_today(
    reader: tuple[TestClient, DealerAccount],
) -> None:
    client, dealer_a = reader
    body = {k: v for k, v in classify_body(jurisdiction="TX").items() if k != "date"}
    answer = classify(client, dealer_a, body).json()
    assert (answer["status"], answer["date"]) == ("allowed", "2026-11-24")  # the test clock
    assert answer["prohibited_by"] == answer["not_applying"] == []


def test_the_2013_proposal_is_classified_and_flagged(
    reader: tuple[TestClient, DealerAccount],
) -> None:
    client, dealer_a = reader
    answer = classify(client, dealer_a, classify_body(jurisdiction="US-AWB2013")).json()
    assert answer["proposal"] is True
    assert "never became law" in answer["note"]
    assert {c["clause"] for c in answer["prohibited_by"]} == {"921(a)(36)(A)", "LCAFD-over-10"}


def test_classify_needs_an_api_key(reader: tuple[TestClient, DealerAccount]) -> None:
    client, _ = reader
    response = client.post("/v1/items/classify", json=classify_body())
    assert response.status_code == 401


BAD = [
    pytest.param(with_item(magazine_capacity=-1), ["item", "magazine_capacity"], "from 1 to 1000",
                 id="capacity -1"),
    pytest.param(with_item(magazine_capacity=0), ["item", "magazine_capacity"], "from 1 to 1000",
                 id="capacity 0"),
    pytest.param(with_item(magazine_capacity=10**9), ["item", "magazine_capacity"],
                 "from 1 to 1000", id="capacity 10^9"),
    pytest.param(with_item(magazine_capacity="ten"), ["item", "magazine_capacity"],
                 "must be a whole number", id="capacity as text"),
    pytest.param(with_item(magazine_capacity="30"), ["item", "magazine_capacity"],
                 "must be a whole number", id="capacity as quoted digits"),
    pytest.param(with_item(magazine_capacity=10.5), ["item", "magazine_capacity"],
                 "must be a whole number", id="capacity 10.5"),
    pytest.param(with_item(magazine_capacity=True), ["item", "magazine_capacity"],
                 "must be a whole number", id="capacity true"),
    pytest.param(with_item(magazine_capacity=None), ["item", "magazine_capacity"], "is required",
                 id="a detachable magazine without its capacity"),
    pytest.param(with_item(overall_length_in="long"), ["item", "overall_length_in"],
                 "must be a number", id="a length as text"),
    pytest.param(with_item(barrel_length_in=40), ["item", "barrel_length_in"],
                 "longer than the overall length", id="barrel longer than the firearm"),
    pytest.param(with_item(features=["pistol_grp"]), ["item", "features", "0"], "",
                 id="unknown feature"),
    pytest.param(with_item(colour="black"), ["item", "colour"], "", id="unknown field"),
    pytest.param(with_item(**{"class": "bazooka"}), ["item", "class"], "", id="unknown class"),
    pytest.param(with_item(make=""), ["item", "make"], "", id="empty make"),
    pytest.param(with_item(possessed_since="2099-01-01"), ["item", "possessed_since"],
                 "after the transfer date", id="possessed in the future"),
    pytest.param(classify_body(jurisdiction="ZZ"), ["jurisdiction"], "unknown jurisdiction",
                 id="unknown jurisdiction"),
    pytest.param(classify_body(jurisdiction="ny"), ["jurisdiction"], "", id="lower case code"),
    pytest.param(classify_body(date="2024-02-30"), ["date"], "", id="impossible date"),
    pytest.param(classify_body(date=20240603), ["date"], "YYYY-MM-DD", id="a number for a date"),
    pytest.param(classify_body(item=[]), ["item"], "", id="an array for the item"),
    pytest.param({"jurisdiction": "NY"}, ["item"], "", id="no item"),
    pytest.param(
        {**classify_body(), "item": item_to_api(firearm("pistol", overall=8, barrel=4.5))},
        ["item", "weight_oz"], "N.Y. Penal Law 265.00(22)(c)(vii)",
        id="a fact the law needs: a NY pistol's weight",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("body", "loc", "message"), BAD)
def test_bad_classify_input_names_the_field(
    reader: tuple[TestClient, DealerAccount], body: Any, loc: list[str], message: str
) -> None:
    client, dealer_a = reader
    response = classify(client, dealer_a, body)
    assert response.status_code == 422, response.text
    problems = response.json()["detail"]
    named = [p for p in problems if [str(x) for x in p["loc"][1:]] == loc]
    assert named, problems
    assert message in named[0]["msg"]
    assert "black" not in response.text
    assert "bazooka" not in response.text


def test_classify_wants_json(reader: tuple[TestClient, DealerAccount]) -> None:
    client, dealer_a = reader
    headers = {**dealer_a.headers, "Content-Type": "text/plain"}
    response = client.post("/v1/items/classify", content=b"{}", headers=headers)
    assert response.status_code == 415


# ── Checks with an item ──────────────────────────────────────────────────────────────


def post_check(
    client: TestClient, dealer: DealerAccount, body: dict[str, Any], key: str = "item-1"
) -> httpx.Response:
    return client.post("/v1/checks", json=body, headers={**dealer.headers, "Idempotency-Key": key})


def item_check(
    jurisdiction: str = "NY", item: Any = AR15, category: str = "long_gun"
) -> dict[str, Any]:
    body = check_body(CLEAN_BUYER, firearm_category=category, jurisdiction=jurisdiction)
    return {**body, "item": item_to_api(item)}


def stored(application: Application, sql: str) -> list[Any]:
    with application.engine.connect() as connection:
        return list(connection.execute(text(sql)))


def test_a_prohibited_item_is_denied_for_a_clean_buyer_without_details(
    client: TestClient, application: Application, dealer_a: DealerAccount
) -> None:
    response = post_check(client, dealer_a, item_check())
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "DENIED"
    assert "item" not in body
    assert "prohibited_by" not in body
    assert "922" not in response.text
    assert "AR-15" not in response.text
    assert "265.00" not in response.text
    [(reasons,)] = stored(application, "SELECT reasons FROM checks")
    assert json.loads(reasons) == ["prohibited_item"]


def test_the_item_is_kept_on_the_purgeable_side_only(
    client: TestClient, application: Application, dealer_a: DealerAccount
) -> None:
    ntn = post_check(client, dealer_a, item_check()).json()["ntn"]
    outcome_columns = {row[1] for row in stored(application, "PRAGMA table_info(checks)")}
    assert not {"item", "item_assessment"} & outcome_columns
    [(item, assessment)] = stored(application, "SELECT item, item_assessment FROM check_subjects")
    assert json.loads(item)["model"] == "AR-15"
    assert json.loads(assessment)["status"] == "prohibited"
    with application.engine.begin() as connection:  # what a purge does
        connection.execute(text("DELETE FROM check_subjects"))
    after = client.get(f"/v1/checks/{ntn}", headers=dealer_a.headers).json()
    assert after["status"] == "DENIED"


def test_the_same_buyer_and_an_allowed_item_proceed(
    client: TestClient, dealer_a: DealerAccount
) -> None:
    allowed = firearm(capacity=10)  # a featureless rifle, ten rounds
    assert post_check(client, dealer_a, item_check(item=allowed)).json()["status"] == "PROCEED"
    assert post_check(client, dealer_a, item_check("TX"), "k2").json()["status"] == "PROCEED"


def test_a_check_without_an_item_works_as_before(
    client: TestClient, dealer_a: DealerAccount
) -> None:
    body = check_body(CLEAN_BUYER, jurisdiction="NY")
    assert post_check(client, dealer_a, body).json()["status"] == "PROCEED"


def test_reusing_a_key_with_another_item_is_refused(
    client: TestClient, dealer_a: DealerAccount
) -> None:
    assert post_check(client, dealer_a, item_check(item=firearm())).status_code == 201
    again = post_check(client, dealer_a, item_check(item=firearm(capacity=9)))
    assert again.status_code == 422
    assert again.json()["error"] == "idempotency_key_reused"


@pytest.mark.parametrize(
    ("item", "category", "loc"),
    [
        pytest.param(firearm("pistol", overall=8, barrel=4.5, weight=25), "long_gun",
                     ["item", "class"], id="a pistol on a long-gun check"),
        pytest.param(firearm("pistol", overall=8, barrel=4.5), "handgun", ["item", "weight_oz"],
                     id="a fact the rules need"),
        pytest.param(firearm(capacity=0), "long_gun", ["item", "magazine_capacity"],
                     id="capacity 0"),
    ],
)  # fmt: skip
def test_a_bad_item_refuses_the_check_and_stores_nothing(
    client: TestClient,
    application: Application,
    dealer_a: DealerAccount,
    item: Any,
    category: str,
    loc: list[str],
) -> None:
    response = post_check(client, dealer_a, item_check(item=item, category=category))
    assert response.status_code == 422
    assert [p["loc"][1:] for p in response.json()["detail"]] == [loc]
    assert stored(application, "SELECT count(*) FROM check_subjects") == [(0,)]


def test_the_endpoint_is_documented(reader: tuple[TestClient, DealerAccount]) -> None:
    client, _ = reader
    spec = client.get("/openapi.json").json()
    assert "/v1/items/classify" in spec["paths"]
    assert "item" in spec["components"]["schemas"]["CheckCreate"]["properties"]
