"""The dealer form's item fieldset: a prohibited item is DENIED, bad fields are named."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import DealerAccount
from tests.integration.test_web_pages import form, log_in

AR15 = {
    "item_class": "rifle",
    "item_action": "semi_automatic",
    "item_magazine": "detachable",
    "item_magazine_capacity": "30",
    "item_make": "Colt",
    "item_model": "AR-15",
    "item_ignition": "centerfire",
    "item_overall_length_in": "35",
    "item_barrel_length_in": "16",
}


def test_a_prohibited_item_is_denied_for_a_clean_buyer(
    client: TestClient, dealer_a: DealerAccount
) -> None:
    csrf = log_in(client, dealer_a.username)
    data = {**form(csrf, ssn="", jurisdiction="NY"), **AR15, "item_features": ["pistol_grip"]}
    result = client.post("/checks", data=data)
    assert result.status_code == 200
    assert "DENIED" in result.text
    assert "265.00" not in result.text  # the dealer sees the status, not the clause


def test_an_allowed_item_and_no_item_proceed(client: TestClient, dealer_a: DealerAccount) -> None:
    csrf = log_in(client, dealer_a.username)
    ten = {**AR15, "item_magazine_capacity": "10"}
    assert "PROCEED" in client.post("/checks", data={**form(csrf, ssn=""), **ten}).text
    assert "PROCEED" in client.post("/checks", data=form(csrf, ssn="")).text


def test_item_errors_name_the_field_and_keep_the_answers(
    client: TestClient, dealer_a: DealerAccount
) -> None:
    csrf = log_in(client, dealer_a.username)
    page = client.get("/checks").text
    for name in ("item_class", "item_magazine_capacity", "item_make", "item_possessed_since"):
        assert f'name="{name}"' in page
    data = {
        **form(csrf, jurisdiction="NY"),
        **AR15,
        "item_magazine_capacity": "ten",
        "item_features": ["pistol_grip", "flash_suppressor"],
    }
    response = client.post("/checks", data=data)
    assert response.status_code == 422
    assert "item magazine capacity: must be a whole number" in response.text
    assert 'id="item_magazine_capacity-error"' in response.text
    assert 'value="pistol_grip" checked' in response.text
    assert 'value="flash_suppressor" checked' in response.text
    assert "No checks yet" in response.text


def test_a_partly_described_item_asks_for_the_rest(
    client: TestClient, dealer_a: DealerAccount
) -> None:
    csrf = log_in(client, dealer_a.username)
    response = client.post("/checks", data={**form(csrf), "item_capacity": "", "item_make": "Colt"})
    assert response.status_code == 422
    for field in ("item class", "item action", "item magazine", "item model"):
        assert f"{field}: Field required" in response.text


def test_a_fact_the_law_needs_is_asked_for(client: TestClient, dealer_a: DealerAccount) -> None:
    csrf = log_in(client, dealer_a.username)
    pistol = {**AR15, "item_class": "pistol", "item_magazine_capacity": "10",
              "item_overall_length_in": "8", "item_barrel_length_in": "4.5"}  # fmt: skip
    data = {**form(csrf, jurisdiction="NY", firearm_category="handgun"), **pistol}
    response = client.post("/checks", data=data)
    assert response.status_code == 422
    assert "item weight oz: is needed to judge this item under N.Y. Penal Law" in response.text
