"""The demo set-up behind `make run`: schema, synthetic records, demo accounts. Idempotent:
a second run reuses what the first one made."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from rich.progress import Progress

from transfercheck.adapters.db.engine import make_engine
from transfercheck.adapters.db.migrate import migrate
from transfercheck.adapters.db.unit_of_work import SqlUnitOfWork
from transfercheck.adapters.record_files import read_rows
from transfercheck.bootstrap import Application
from transfercheck.config import Settings
from transfercheck.domain.accounts import Agency, Dealer, Role, User
from transfercheck.domain.checks import CheckRequest
from transfercheck.domain.determinations import CheckStatus
from transfercheck.domain.review import QueueFilter
from transfercheck.services import accounts
from transfercheck.services.intake import submit_check
from transfercheck.services.records import import_records
from transfercheck.services.second_factor import new_secret, provisioning_uri

DEMO_AGENCY = Agency("TX-DEMO-COURT", "Demo County District Court (synthetic)", "court", "TX")
DEMO_DEALERS = (
    Dealer("D-DEMO-A", "Riverside Outfitters (demo)", "9-99-999-01-1A-00001"),
    Dealer("D-DEMO-B", "Summit Sporting Goods (demo)", "9-99-999-01-1B-00002"),
)


def set_up_demo(
    settings: Settings, n_records: int, seed: int, progress: Callable[[], Progress]
) -> list[dict[str, str]]:
    """Make the demo ready and return its credentials (dealer, username, password, key)."""
    if settings.environment == "production":
        raise RuntimeError("the demo set-up refuses to run in production")
    engine = make_engine(settings.database_url)
    migrate(engine)
    now = datetime.now(UTC)
    with SqlUnitOfWork(engine) as uow:
        have_records = uow.records.count() > 0

    def unit_of_work() -> SqlUnitOfWork:
        return SqlUnitOfWork(engine)

    if not have_records:
        _load_synthetic_records(settings.data_dir / "demo", n_records, seed, unit_of_work, progress)
    credentials_file = settings.data_dir / "demo-credentials.json"
    if credentials_file.exists():
        credentials: list[dict[str, str]] = json.loads(credentials_file.read_text())
    else:
        credentials = [_create_dealer(d, unit_of_work, now) for d in DEMO_DEALERS]
        credentials.append(_create_agency(DEMO_AGENCY, unit_of_work, now))
        credentials_file.write_text(json.dumps(credentials, indent=2))
        credentials_file.chmod(0o600)
    engine.dispose()
    return credentials


def _load_synthetic_records(
    directory: Path,
    n_records: int,
    seed: int,
    unit_of_work: Callable[[], SqlUnitOfWork],
    progress: Callable[[], Progress],
) -> None:
    from transfercheck.synthetic import stream_dataset, write_dataset

    with progress() as bar:
        task = bar.add_task("Generating synthetic records", total=n_records)
        stream = stream_dataset(seed, n_records, 1_000, datetime.now(UTC).date())
        write_dataset(stream, directory, progress=lambda done: bar.update(task, completed=done))
        task = bar.add_task("Loading records", total=n_records)
        report = import_records(
            read_rows(directory / "records.jsonl"),
            unit_of_work,
            datetime.now(UTC),
            on_progress=lambda done: bar.update(task, completed=done),
        )
    if not report.applied:
        raise RuntimeError(f"demo records did not load: {report.problems[:5]}")


def _create_agency(
    agency: Agency, unit_of_work: Callable[[], SqlUnitOfWork], now: datetime
) -> dict[str, str]:
    accounts.create_agency(agency, unit_of_work, now)
    api_key = accounts.issue_agency_api_key(agency.agency_id, unit_of_work, now)
    return {
        "dealer": f"agency {agency.agency_id}",
        "username": "",
        "password": "",
        "api_key": api_key,
    }


def _create_dealer(
    dealer: Dealer, unit_of_work: Callable[[], SqlUnitOfWork], now: datetime
) -> dict[str, str]:
    accounts.create_dealer(dealer, unit_of_work, now)
    username = f"clerk-{dealer.dealer_id[-1].lower()}"
    password = secrets.token_urlsafe(12)
    user = User(f"U-{dealer.dealer_id}", username, Role.DEALER_CLERK, dealer.dealer_id)
    accounts.create_user(user, password, unit_of_work, now)
    api_key = accounts.issue_api_key(dealer.dealer_id, unit_of_work, now)
    return {
        "dealer": dealer.dealer_id,
        "username": username,
        "password": password,
        "api_key": api_key,
    }


DEMO_STAFF = (
    ("examiner-1", Role.EXAMINER),
    ("examiner-2", Role.EXAMINER),
    ("supervisor-1", Role.SUPERVISOR),
)


def set_up_staff(settings: Settings) -> list[dict[str, str]]:
    """Examiners and a supervisor with passwords and TOTP secrets, made once and kept in
    var/demo-staff.json (mode 600) with the otpauth:// URIs for an authenticator app."""
    staff_file = settings.data_dir / "demo-staff.json"
    if staff_file.exists():
        existing: list[dict[str, str]] = json.loads(staff_file.read_text())
        return existing
    engine = make_engine(settings.database_url)
    now = datetime.now(UTC)

    def unit_of_work() -> SqlUnitOfWork:
        return SqlUnitOfWork(engine)

    staff = []
    for username, role in DEMO_STAFF:
        password, secret = secrets.token_urlsafe(12), new_secret()
        user = User(f"U-{username}", username, role, None)
        accounts.create_user(user, password, unit_of_work, now, secret)
        staff.append(
            {
                "username": username,
                "role": role.value,
                "password": password,
                "otpauth_uri": provisioning_uri(secret, username),
            }
        )
    engine.dispose()
    staff_file.write_text(json.dumps(staff, indent=2))
    staff_file.chmod(0o600)
    return staff


def seed_delayed_checks(application: Application, data: Path, wanted: int = 8) -> int:
    """Run the demo's synthetic buyers through intake as dealer A until `wanted` checks are
    delayed, so the examiners' queue has work; only when the queue is empty. Returns the
    number of checks submitted."""
    from transfercheck.entrypoints.api.schemas import CheckCreate

    now = application.clock()
    with application.unit_of_work() as uow:
        if uow.reviews.counts(
            QueueFilter(), application.today(now), application.today(now), now
        ).open:
            return 0
    buyers = data / "buyers.jsonl"
    if not buyers.exists():
        return 0
    delayed = submitted = 0
    with buyers.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            body = CheckCreate.model_validate(
                {k: row[k] for k in ("buyer", "firearm_category", "transfer_type", "jurisdiction")},
                strict=False,
            )
            request = CheckRequest(DEMO_DEALERS[0].dealer_id, body.to_transfer(), row["buyer_id"])
            check = submit_check(
                request, application.checking, application.unit_of_work, now, application.today(now)
            ).check
            submitted += 1
            delayed += check.status is CheckStatus.DELAYED
            if delayed >= wanted or submitted >= 400:
                break
    return submitted
