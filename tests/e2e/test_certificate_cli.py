"""The certificate commands: offline verification with the published key, examiner revocation."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from typer.testing import CliRunner

from tests.builders import identity
from transfercheck.bootstrap import bootstrap
from transfercheck.config import Settings
from transfercheck.domain.certificates import public_key_pem
from transfercheck.entrypoints.cli import app
from transfercheck.services.certificates import SelfCheckRequest, self_check

runner = CliRunner()


@pytest.fixture
def environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TC_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("TC_DATA_DIR", str(tmp_path))
    return tmp_path


def issue(environment: Path) -> tuple[str, str, Path]:
    """(certificate id, token, public key file) of a fresh certificate, issued now."""
    application = bootstrap(Settings())
    try:
        now = datetime.now(UTC)
        buyer = identity("Ana", "Lopez", date(1990, 2, 2), id_number="TX04417293")
        result = self_check(
            SelfCheckRequest(buyer, "TX"),
            application.checking,
            application.certificates,
            application.unit_of_work,
            now,
            application.today(now),
        )
        key_file = environment / "certificate-key.pem"
        key_file.write_text(application.certificates.public_key_pem)
    finally:
        application.close()
    assert result.certificate is not None
    return result.certificate.certificate_id, result.certificate.token, key_file


def test_verify_offline_with_the_published_key(environment: Path) -> None:
    _, token, key_file = issue(environment)
    ok = runner.invoke(
        app, ["certificate", "verify-offline", token, "--public-key", str(key_file),
              "--date-of-birth", "1990-02-02"],
    )  # fmt: skip
    assert ok.exit_code == 0, ok.output
    assert "VALID" in ok.output
    assert "cannot know whether the certificate was revoked" in ok.output
    wrong = runner.invoke(
        app, ["certificate", "verify-offline", token, "--public-key", str(key_file),
              "--id-last-digits", "0000"],
    )  # fmt: skip
    assert (wrong.exit_code, "FACT_MISMATCH" in wrong.output) == (1, True)
    other = environment / "other.pem"
    other.write_text(public_key_pem(Ed25519PrivateKey.generate().public_key()))
    forged = runner.invoke(
        app, ["certificate", "verify-offline", token, "--public-key", str(other),
              "--date-of-birth", "1990-02-02"],
    )  # fmt: skip
    assert (forged.exit_code, "INVALID" in forged.output) == (1, True)


def test_an_examiner_revokes_from_the_command_line(environment: Path) -> None:
    certificate_id, _, _ = issue(environment)
    first = runner.invoke(app, ["certificate", "revoke", certificate_id, "--examiner", "E-7"])
    assert first.exit_code == 0, first.output
    assert "Revoked." in first.output
    again = runner.invoke(app, ["certificate", "revoke", certificate_id, "--examiner", "E-7"])
    assert "Already revoked." in again.output
    unknown = runner.invoke(app, ["certificate", "revoke", "C-0000", "--examiner", "E-7"])
    assert unknown.exit_code == 1
    forgot = runner.invoke(app, ["certificate", "forget-expired"])
    assert forgot.exit_code == 0, forgot.output


def test_an_expired_certificate_fails_offline(environment: Path) -> None:
    _, token, key_file = issue(environment)
    with time_machine.travel(datetime.now(UTC) + timedelta(days=31), tick=False):
        expired = runner.invoke(
            app, ["certificate", "verify-offline", token, "--public-key", str(key_file),
                  "--date-of-birth", "1990-02-02"],
        )  # fmt: skip
    assert (expired.exit_code, "EXPIRED" in expired.output) == (1, True)
