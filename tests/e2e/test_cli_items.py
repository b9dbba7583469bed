"""`transfercheck classify` end to end, and `check --item`: options or a JSON file, the
answer with its clauses, and bad input named by field with exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.builders import firearm
from tests.conftest import make_dealer
from transfercheck.adapters.interchange import item_to_api
from transfercheck.bootstrap import bootstrap
from transfercheck.config import Settings
from transfercheck.entrypoints.cli import app

runner = CliRunner()

AR15_OPTIONS = [
    "--class", "rifle", "--action", "semi_automatic", "--magazine", "detachable",
    "--capacity", "30", "--feature", "pistol_grip", "--feature", "flash_suppressor",
    "--make", "Colt", "--model", "AR-15", "--ignition", "centerfire",
    "--overall-length", "35", "--barrel-length", "16",
]  # fmt: skip


def classify(*arguments: str) -> tuple[int, str]:
    """Exit code and output, with Rich's line wrapping undone."""
    result = runner.invoke(app, ["classify", *arguments])
    return result.exit_code, " ".join(result.output.split())


def test_classify_from_options_names_clauses_and_features() -> None:
    code, output = classify("--jurisdiction", "CA", "--date", "2024-06-03", *AR15_OPTIONS)
    assert code == 0, output
    assert "CA (California) on 2024-06-03: PROHIBITED" in output
    assert "PROHIBITED BY 30515(a)(1): Cal. Penal Code 30515(a)(1)" in output
    assert "features: pistol_grip, flash_suppressor" in output
    assert "PROHIBITED BY 30510(a)" in output
    assert "30515(a)(3): Does not apply: overall length 35 in, not under 30 in." in output


def test_classify_allowed_before_an_effective_date() -> None:
    code, output = classify("--jurisdiction", "CO", "--date", "2013-06-30", *AR15_OPTIONS)
    assert code == 0, output
    assert "CO (Colorado) on 2013-06-30: ALLOWED" in output
    assert "No weapon or magazine clause is in force" in output


def test_classify_under_the_2013_proposal_says_it_is_a_proposal() -> None:
    code, output = classify("--jurisdiction", "US-AWB2013", "--date", "2014-01-01", *AR15_OPTIONS)
    assert code == 0, output
    assert "never became law" in output
    assert "PROHIBITED BY 921(a)(36)(A)" in output


@pytest.mark.parametrize("whole_request", [False, True], ids=["item object", "whole request"])
def test_classify_from_a_json_file(tmp_path: Path, whole_request: bool) -> None:
    item = item_to_api(firearm(capacity=16))
    body = {"item": item, "jurisdiction": "CO", "date": "2024-06-03"} if whole_request else item
    path = tmp_path / "item.json"
    path.write_text(json.dumps(body))
    arguments = ["--file", str(path), "--json"]
    if not whole_request:
        arguments += ["--jurisdiction", "CO", "--date", "2024-06-03"]
    code, output = classify(*arguments)
    assert code == 0, output
    answer = json.loads(output)
    assert answer["status"] == "prohibited"
    assert [c["clause"] for c in answer["prohibited_by"]] == ["18-12-301(2)(a)(I)"]


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        pytest.param(["--jurisdiction", "NY", *AR15_OPTIONS[:-14], "--capacity", "0",
                      "--make", "X", "--model", "Y"],
                     "item.magazine_capacity: must be a whole number of rounds from 1 to 1000",
                     id="capacity 0"),
        pytest.param(["--jurisdiction", "ZZ", *AR15_OPTIONS], "jurisdiction: unknown jurisdiction",
                     id="unknown jurisdiction"),
        pytest.param(["--jurisdiction", "NY", "--date", "2024-02-30", *AR15_OPTIONS], "date: ",
                     id="impossible date"),
        pytest.param(["--jurisdiction", "NY", "--class", "rifle"], "item.action: Field required",
                     id="an incomplete item"),
        pytest.param(["--jurisdiction", "NY", *AR15_OPTIONS, "--possessed-since", "2099-01-01"],
                     "item.possessed_since: must not be after the transfer date",
                     id="possessed in the future"),
    ],
)  # fmt: skip
def test_classify_bad_input_names_the_field(arguments: list[str], expected: str) -> None:
    code, output = classify(*arguments)
    assert code == 2
    assert expected in output


def test_classify_bad_file(tmp_path: Path) -> None:
    path = tmp_path / "item.json"
    path.write_text(json.dumps({**item_to_api(firearm()), "magazine_capacity": "ten"}))
    code, output = classify("--jurisdiction", "NY", "--file", str(path))
    assert code == 2
    assert "item.magazine_capacity: must be a whole number" in output
    path.write_text("{not json")
    code, output = classify("--jurisdiction", "NY", "--file", str(path))
    assert (code, "not a readable JSON file" in output) == (2, True)
    code, output = classify("--jurisdiction", "NY", "--file", str(path), "--make", "Colt")
    assert "either with --file or with item options" in output


def test_check_with_a_prohibited_item_is_denied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TC_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("TC_DATA_DIR", str(tmp_path))
    application = bootstrap(Settings())
    make_dealer(application, "X")
    application.close()
    path = tmp_path / "item.json"
    path.write_text(json.dumps(item_to_api(firearm(capacity=30))))
    result = runner.invoke(
        app,
        ["check", "--dealer", "D-TEST-X", "--given-name", "Ana", "--family-name", "Lopez",
         "--date-of-birth", "1990-02-02", "--sex", "F", "--firearm", "long_gun",
         "--jurisdiction", "NY", "--item", str(path)],
    )  # fmt: skip
    output = " ".join(result.output.split())
    assert result.exit_code == 0, output
    assert "DENIED" in output
    assert "item prohibited by N.Y. Penal Law 265.00(23)" in output
