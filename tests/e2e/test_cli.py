"""The command line, end to end on a real SQLite file: generate, import, check."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from transfercheck.entrypoints.cli import app

runner = CliRunner()


@pytest.fixture
def environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TC_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("TC_DATA_DIR", str(tmp_path))
    return tmp_path


def test_generate_import_and_check(environment: Path) -> None:
    out = environment / "synthetic"
    generated = runner.invoke(
        app,
        [
            "generate",
            "--out",
            str(out),
            "--records",
            "500",
            "--buyers",
            "50",
            "--seed",
            "7",
            "--reference-date",
            "2026-11-24",
        ],
    )
    assert generated.exit_code == 0, generated.output
    imported = runner.invoke(app, ["records", "import", str(out / "records.jsonl")])
    assert imported.exit_code == 0, imported.output
    assert "Imported 500 records" in imported.output
    again = runner.invoke(app, ["records", "import", str(out / "records.jsonl")])
    assert "Imported 0 records; 500 already on file" in again.output

    demo = runner.invoke(app, ["demo", "--no-serve", "--records", "10"])
    assert demo.exit_code == 0, demo.output
    assert "transfercheck totp examiner-1" in demo.output
    staff = json.loads((environment / "demo-staff.json").read_text())
    assert [s["role"] for s in staff] == ["examiner", "examiner", "supervisor"]
    assert staff[0]["otpauth_uri"].startswith("otpauth://totp/transfercheck:examiner-1")
    buyer = json.loads((out / "buyers.jsonl").read_text().splitlines()[0])["buyer"]
    result = runner.invoke(
        app,
        [
            "check",
            "--dealer",
            "D-DEMO-A",
            "--given-name",
            buyer["given_name"],
            "--family-name",
            buyer["family_name"],
            "--date-of-birth",
            buyer["date_of_birth"],
            "--sex",
            buyer["sex"],
            "--firearm",
            "long_gun",
            "--jurisdiction",
            "TX",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "NTN " in result.output


def test_import_of_a_bad_file_reports_lines_and_imports_nothing(environment: Path) -> None:
    path = environment / "bad.jsonl"
    path.write_text('{"agency_record_id": "A1"}\nnot json\n')
    result = runner.invoke(app, ["records", "import", str(path)])
    assert result.exit_code == 1
    assert "line 1, field" in result.output
    assert "line 2: not valid JSON" in result.output
    assert "nothing imported" in result.output


def test_check_with_bad_input_names_the_field(environment: Path) -> None:
    result = runner.invoke(
        app,
        [
            "check",
            "--dealer",
            "D-X",
            "--given-name",
            "<b>",
            "--family-name",
            "Doe",
            "--date-of-birth",
            "2099-01-01",
            "--sex",
            "M",
            "--firearm",
            "handgun",
            "--jurisdiction",
            "TX",
        ],
    )
    assert result.exit_code == 2
    assert "buyer.given_name" in result.output
    assert "buyer.date_of_birth" in result.output


def test_unknown_file_type_is_refused(environment: Path) -> None:
    path = environment / "records.xlsx"
    path.write_text("x")
    result = runner.invoke(app, ["records", "import", str(path)])
    assert result.exit_code == 2
    assert "use .csv or .jsonl" in result.output


def test_check_for_an_unknown_dealer_says_so(environment: Path) -> None:
    result = runner.invoke(
        app,
        [
            "check",
            "--dealer",
            "D-NOBODY",
            "--given-name",
            "Ana",
            "--family-name",
            "Lopez",
            "--date-of-birth",
            "1990-02-02",
            "--sex",
            "F",
            "--firearm",
            "long_gun",
            "--jurisdiction",
            "TX",
        ],
    )
    assert result.exit_code == 1
    assert "no dealer 'D-NOBODY'" in result.output


def test_staff_accounts_one_time_codes_the_worker_and_dealer_webhooks(environment: Path) -> None:
    from transfercheck.bootstrap import bootstrap
    from transfercheck.config import Settings
    from transfercheck.services.accounts import log_in

    added = runner.invoke(app, ["users", "add", "examiner-x", "--role", "examiner"])
    assert added.exit_code == 0, added.output
    assert "otpauth://totp/transfercheck:examiner-x" in added.output
    password = re.search(r"password: (\S+)", added.output)
    assert password
    code = runner.invoke(app, ["totp", "examiner-x"])
    assert re.fullmatch(r"[0-9]{6}\n", code.output)
    application = bootstrap(Settings(), load_index=False)
    try:
        new = log_in(
            "examiner-x", password.group(1), application.unit_of_work, application.clock(),
            code.output.strip(),
        )  # fmt: skip
    finally:
        application.close()
    assert new.session.user.username == "examiner-x"
    assert "unlocked" in runner.invoke(app, ["users", "unlock", "examiner-x"]).output
    worker = runner.invoke(app, ["worker", "--once"])
    assert worker.exit_code == 0, worker.output
    assert "delivered 0 messages" in worker.output
    missing = runner.invoke(app, ["dealers", "webhook", "D-NONE", "https://example.test/hook"])
    assert missing.exit_code == 1
