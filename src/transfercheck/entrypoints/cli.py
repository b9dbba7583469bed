"""The command line: `transfercheck serve | demo | generate | records import | check |
classify`."""

from __future__ import annotations

import gc
import json
import secrets
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from transfercheck.adapters.db.engine import WalCheckpointer
from transfercheck.adapters.record_files import detect_format, read_rows
from transfercheck.bootstrap import Application, bootstrap
from transfercheck.config import Settings
from transfercheck.domain.accounts import Role, User
from transfercheck.domain.checks import CheckRequest, FirearmCategory, Transfer, TransferType
from transfercheck.domain.errors import TransferCheckError, ValidationFailed
from transfercheck.domain.identities import IdDocument, IdDocumentType, Identity, PersonName, Sex
from transfercheck.entrypoints.cli_classify import BadInput, classify, read_item_file
from transfercheck.services.intake import submit_check
from transfercheck.services.records import import_records

app = typer.Typer(
    help="transfercheck: universal background checks for firearm transfers.", no_args_is_help=True
)
records_app = typer.Typer(help="Prohibiting records.", no_args_is_help=True)
app.add_typer(records_app, name="records")
audit_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")
app.command()(classify)
certificate_app = typer.Typer(help="Buyers' certificates for private sales.", no_args_is_help=True)
app.add_typer(certificate_app, name="certificate")
users_app = typer.Typer(help="Staff accounts (examiners, supervisors).", no_args_is_help=True)
app.add_typer(users_app, name="users")
dealers_app = typer.Typer(help="Dealers.", no_args_is_help=True)
app.add_typer(dealers_app, name="dealers")
console = Console()
errors = Console(stderr=True)


def _progress() -> Progress:
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


def _application(load_index: bool = True) -> Application:
    return bootstrap(Settings(), load_index=load_index)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind")] = None,
    port: Annotated[int | None, typer.Option(help="Port")] = None,
) -> None:
    """Run the HTTP API and the web pages."""
    settings = Settings()
    _serve(bootstrap(settings), host, port)


def _serve(application: Application, host: str | None, port: int | None) -> None:
    import uvicorn

    from transfercheck.entrypoints.api.app import create_app

    settings = application.settings
    console.print(f"Index holds {len(application.index):,} records.")
    web_app = create_app(application)
    # Everything built so far (index string pool, model tables, rules, libraries) lives as
    # long as the process: leave it out of the collector's full passes. Without this a
    # full collection stopped every request for 0.4 s at 20,000 records (measured with
    # gc.callbacks during bench/http_load.py), longer with a bigger index.
    gc.collect()
    gc.freeze()
    checkpointer = WalCheckpointer(application.engine).start()
    try:
        uvicorn.run(
            web_app,
            host=host or settings.host,
            port=port or settings.port,
            log_level="info",
        )
    finally:
        checkpointer.stop()


@app.command()
def demo(
    records: Annotated[int, typer.Option(help="Synthetic records to load on first run")] = 100_000,
    seed: Annotated[int, typer.Option(help="Generator seed")] = 2013,
    serve_after: Annotated[bool, typer.Option("--serve/--no-serve")] = True,
) -> None:
    """Set up the demo (database, synthetic records, accounts, a few delayed checks for the
    examiners' queue) once, then serve."""
    from transfercheck.entrypoints.demo import seed_delayed_checks, set_up_demo, set_up_staff

    settings = Settings()
    credentials = set_up_demo(settings, records, seed, _progress)
    staff = set_up_staff(settings)
    table = Table(title="Demo credentials (synthetic, for this machine only)")
    for column in ("dealer or agency", "web user", "password", "API key"):
        # Keys are long: fold them rather than cut them, so they can be copied whole.
        table.add_column(column, overflow="fold")
    for row in credentials:
        table.add_row(row["dealer"], row["username"], row["password"], row["api_key"])
    console.print(table)
    console.print(f"(also in {settings.data_dir / 'demo-credentials.json'})")
    staff_table = Table(title="Examiners and supervisors: password + one-time code")
    for column in ("user", "role", "password", "code now"):
        staff_table.add_column(column, overflow="fold")
    for row in staff:
        staff_table.add_row(
            row["username"], row["role"], row["password"], f"transfercheck totp {row['username']}"
        )
    console.print(staff_table)
    console.print(
        f"(otpauth:// URIs for an authenticator app in {settings.data_dir / 'demo-staff.json'})"
    )
    application = bootstrap(settings)
    seeded = seed_delayed_checks(application, settings.data_dir / "demo")
    if seeded:
        console.print(f"Submitted {seeded} demo checks so the examiners' queue is not empty.")
    console.print(
        f"Dealer pages: {settings.base_url}/  ·  Examiners: {settings.base_url}/review  ·  "
        f"API docs: {settings.base_url}/docs  ·  Run `transfercheck worker` for deliveries"
    )
    if serve_after:
        _serve(application, None, None)
    else:
        application.close()


@app.command()
def generate(
    out: Annotated[Path, typer.Option(help="Directory to write the data set into")] = Path(
        "var/synthetic"
    ),
    records: Annotated[int, typer.Option(min=1, help="Number of prohibiting records")] = 100_000,
    buyers: Annotated[int, typer.Option(min=0, help="Number of buyers (queries)")] = 10_000,
    seed: Annotated[int, typer.Option(help="Seed: the same seed gives the same files")] = 2013,
    reference_date: Annotated[
        str | None, typer.Option(help="Date the data is 'as of' (YYYY-MM-DD); default today")
    ] = None,
) -> None:
    """Generate synthetic people, records and buyers with ground truth."""
    from transfercheck.synthetic import stream_dataset, write_dataset

    as_of = date.fromisoformat(reference_date) if reference_date else date.today()
    try:
        stream = stream_dataset(seed, records, buyers, as_of)
    except ValueError as error:
        errors.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error
    with _progress() as progress:
        task = progress.add_task("Generating records", total=records)
        manifest = write_dataset(
            stream, out, progress=lambda done: progress.update(task, completed=done)
        )
    console.print(f"Wrote {out}: {json.dumps(manifest['counts'])}")


@records_app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help=".csv or .jsonl")],
    skip_bad_rows: Annotated[
        bool, typer.Option("--skip-bad-rows", help="Import the good rows even if some are bad")
    ] = False,
) -> None:
    """Import prohibiting records. A file with any bad row imports nothing unless
    --skip-bad-rows is given; every bad row is reported with its line and field."""
    try:
        file_format = detect_format(file)
    except ValueError as error:
        errors.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error
    application = _application()
    with _progress() as progress:
        task = progress.add_task(f"Importing {file.name}", total=None)
        report = import_records(
            read_rows(file, file_format),
            application.unit_of_work,
            application.clock(),
            skip_bad_rows=skip_bad_rows,
            on_progress=lambda done: progress.update(task, completed=done),
            # Rap back: live certificates are re-screened against the new records at once.
            on_imported=application.index_records,
        )
    for problem in report.problems:
        errors.print(f"{file.name}: {problem}")
    if report.rejected_rows and not skip_bad_rows:
        errors.print(
            f"[red]{report.rejected_rows} bad rows: nothing imported[/red] "
            "(fix them, or use --skip-bad-rows)"
        )
        raise typer.Exit(1)
    console.print(
        f"Imported {report.imported:,} records; {report.already_on_file:,} already on "
        f"file; {report.rejected_rows:,} bad rows skipped."
    )


@app.command()
def check(
    dealer: Annotated[str, typer.Option(help="Dealer id the check is run for")],
    given_name: Annotated[str, typer.Option()],
    family_name: Annotated[str, typer.Option()],
    date_of_birth: Annotated[str, typer.Option(help="YYYY-MM-DD")],
    sex: Annotated[Sex, typer.Option()],
    firearm: Annotated[FirearmCategory, typer.Option()],
    jurisdiction: Annotated[str, typer.Option(help="Two-letter state code")],
    middle_name: Annotated[str | None, typer.Option()] = None,
    ssn: Annotated[str | None, typer.Option()] = None,
    id_number: Annotated[str | None, typer.Option()] = None,
    id_issuer: Annotated[str | None, typer.Option()] = None,
    transfer_type: Annotated[TransferType, typer.Option()] = TransferType.DEALER_SALE,
    idempotency_key: Annotated[str | None, typer.Option()] = None,
    item: Annotated[
        Path | None,
        typer.Option(help="JSON file describing the item, as for `classify --file`"),
    ] = None,
) -> None:
    """Run one check from the command line and print the determination."""
    try:
        dob = date.fromisoformat(date_of_birth)
        described = read_item_file(item).to_item() if item else None
    except ValueError as error:
        errors.print(f"[red]--date-of-birth: {error}[/red]")
        raise typer.Exit(2) from error
    except BadInput as error:
        for problem in error.problems:
            errors.print(f"[red]{problem}[/red]", highlight=False)
        raise typer.Exit(2) from error
    document = None
    if id_number and id_issuer:
        document = IdDocument(IdDocumentType.DRIVERS_LICENSE, id_number.upper(), id_issuer)
    buyer = Identity(
        PersonName(given_name, family_name, middle_name),
        dob,
        sex,
        ssn=ssn.replace("-", "") if ssn else None,
        id_document=document,
    )
    transfer = Transfer(buyer, firearm, transfer_type, jurisdiction.upper(), item=described)
    application = _application()
    now = application.clock()
    request = CheckRequest(dealer, transfer, idempotency_key or secrets.token_urlsafe(16))
    try:
        submitted = submit_check(
            request, application.checking, application.unit_of_work, now, application.today(now)
        )
    except ValidationFailed as error:
        for problem in error.problems:
            errors.print(f"[red]{problem}[/red]")
        raise typer.Exit(2) from error
    except TransferCheckError as error:
        errors.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from error
    result = submitted.check
    console.print(f"NTN {result.ntn}: [bold]{result.determination.status.value}[/bold]")
    if result.may_transfer_on:
        console.print(f"May transfer on {result.may_transfer_on} if no answer arrives first.")
    for finding in result.determination.findings:
        console.print(
            f"  record {finding.record_id}: p={finding.match_probability:.3f} "
            f"{finding.assessment.effect.value}: {finding.assessment.explanation}"
        )
    assessment = result.determination.item
    for clause in assessment.prohibiting if assessment else ():
        console.print(f"  item prohibited by {clause.citation}: {clause.explanation}")


@audit_app.command("verify")
def verify_audit() -> None:
    """Recompute the hash chain of the whole audit log; exit 1 at the first bad entry."""
    from transfercheck.services.audit import verify_audit_log

    verdict = verify_audit_log(_application().unit_of_work)
    if verdict.ok:
        console.print(f"Audit log verifies: {verdict.entries:,} entries, chain intact.")
        return
    errors.print(f"[red]Audit log broken at entry {verdict.first_bad_seq}: {verdict.problem}[/red]")
    raise typer.Exit(1)


@certificate_app.command("verify-offline")
def verify_certificate_offline(
    token: Annotated[str, typer.Argument(help="The signed certificate (TC1....)")],
    public_key: Annotated[
        Path, typer.Option(exists=True, dir_okay=False, help="The published public key (PEM)")
    ],
    date_of_birth: Annotated[str | None, typer.Option(help="From the buyer's photo ID")] = None,
    id_last_digits: Annotated[str | None, typer.Option(help="Last 4 ID characters")] = None,
) -> None:
    """Check a certificate with no connection: signature, expiry, and one fact of the buyer.
    It cannot tell whether the certificate was revoked; verify online when you can."""
    from transfercheck.adapters.signing_key import load_public
    from transfercheck.bootstrap import system_clock
    from transfercheck.domain.certificates import FactKind, OfflineVerdict, verify_offline

    if (date_of_birth is None) == (id_last_digits is None):
        errors.print("[red]give exactly one of --date-of-birth and --id-last-digits[/red]")
        raise typer.Exit(2)
    try:
        key = load_public(public_key)
        fact = (
            (FactKind.DATE_OF_BIRTH, date.fromisoformat(date_of_birth))
            if date_of_birth
            else (FactKind.ID_LAST_DIGITS, id_last_digits or "")
        )
    except ValueError as error:
        errors.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error
    result = verify_offline(token, key, system_clock(), *fact)
    console.print(f"[bold]{result.verdict.value.upper()}[/bold]")
    if result.claims is not None:
        claims = result.claims
        scope = ", ".join(sorted(c.value for c in claims.scope))
        console.print(f"For sales in {claims.jurisdiction} of: {scope}")
        console.print(f"Valid until {claims.expires_at:%Y-%m-%d %H:%M} UTC")
    console.print("An offline check cannot know whether the certificate was revoked.")
    if result.verdict is not OfflineVerdict.VALID:
        raise typer.Exit(1)


@certificate_app.command("revoke")
def revoke_certificate(
    certificate_id: Annotated[str, typer.Argument(help="The certificate's reference, C-...")],
    examiner: Annotated[str, typer.Option(help="The examiner revoking it (audited)")],
) -> None:
    """Revoke a certificate as an examiner; its next verification says revoked."""
    from transfercheck.services.certificates import revoke_by_examiner

    application = _application()
    try:
        revoked = revoke_by_examiner(
            certificate_id, examiner, application.unit_of_work, application.clock()
        )
    except TransferCheckError as error:
        errors.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from error
    console.print("Revoked." if revoked else "Already revoked.")


@certificate_app.command("forget-expired")
def forget_expired_certificate_holders() -> None:
    """Delete the identities behind expired certificates (run daily)."""
    from transfercheck.services.certificates import forget_expired_holders

    application = _application()
    count = forget_expired_holders(application.unit_of_work, application.clock())
    console.print(f"Forgot the holders of {count:,} expired certificates.")


@app.command()
def worker(
    once: Annotated[bool, typer.Option("--once", help="One round, then exit")] = False,
    interval: Annotated[float | None, typer.Option(help="Seconds between rounds")] = None,
) -> None:
    """Close open checks past their retention and deliver the outbox (retrieval referrals,
    dealer and agency notices), round after round. Safe to stop and restart at any time."""
    import time

    from transfercheck.services.worker import run_round

    settings = Settings()
    application = bootstrap(settings, load_index=False)
    pause = interval or settings.worker_interval_seconds
    try:
        while True:
            done = run_round(application.review, application.delivery, application.clock())
            if once or done.expired or done.delivered or done.failed:
                console.print(
                    f"expired {done.expired} open checks, delivered {done.delivered} "
                    f"messages, {done.failed} to retry"
                )
            if once:
                return
            time.sleep(pause)
    except KeyboardInterrupt:
        console.print("worker stopped")
    finally:
        application.close()


@users_app.command("add")
def add_user(
    username: Annotated[str, typer.Argument()],
    role: Annotated[Role, typer.Option(help="examiner or supervisor")] = Role.EXAMINER,
) -> None:
    """Create a staff account: prints its password once and the otpauth:// URI to put into
    an authenticator app (the second factor)."""
    from transfercheck.services import accounts
    from transfercheck.services.second_factor import new_secret, provisioning_uri

    if role is Role.DEALER_CLERK:
        errors.print("[red]dealer clerks are created with their dealer[/red]")
        raise typer.Exit(2)
    application = _application(load_index=False)
    password, secret = secrets.token_urlsafe(15), new_secret()
    user = User(f"U-{username}", username, role, None)
    try:
        accounts.create_user(user, password, application.unit_of_work, application.clock(), secret)
    except ValidationFailed as error:
        for problem in error.problems:
            errors.print(f"[red]{problem}[/red]")
        raise typer.Exit(2) from error
    console.print(f"{username} ({role.value}) password: {password}")
    console.print(f"second factor: {provisioning_uri(secret, username)}")


@users_app.command("unlock")
def unlock(username: Annotated[str, typer.Argument()]) -> None:
    """Release an account locked after repeated failed logins (audited)."""
    from transfercheck.services import accounts

    application = _application(load_index=False)
    try:
        accounts.unlock_user(username, "admin:cli", application.unit_of_work, application.clock())
    except TransferCheckError as error:
        errors.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from error
    console.print(f"{username} unlocked")


@app.command()
def totp(username: Annotated[str, typer.Argument()]) -> None:
    """Demo helper: print a staff user's current one-time code. Refused in production,
    where the code comes only from the user's authenticator."""
    from transfercheck.services.second_factor import code_at

    if Settings().environment == "production":
        errors.print("[red]refused in production[/red]")
        raise typer.Exit(2)
    application = _application(load_index=False)
    with application.unit_of_work() as uow:
        credentials = uow.accounts.credentials(username)
    application.close()
    if credentials is None or credentials.totp_secret is None:
        errors.print(f"[red]{username} has no second factor[/red]")
        raise typer.Exit(1)
    console.print(code_at(credentials.totp_secret, application.clock()))


@dealers_app.command("webhook")
def dealer_webhook(
    dealer_id: Annotated[str, typer.Argument()],
    url: Annotated[str | None, typer.Argument(help="Leave out to remove the webhook")] = None,
) -> None:
    """Where a dealer hears that a delayed check was answered."""
    if url is not None and not url.startswith(("https://", "http://")):
        errors.print("[red]the URL must start with https:// (or http:// for local tests)[/red]")
        raise typer.Exit(2)
    application = _application(load_index=False)
    with application.unit_of_work() as uow:
        found = uow.accounts.set_dealer_webhook(dealer_id, url)
        uow.commit()
    if not found:
        errors.print(f"[red]no dealer {dealer_id}[/red]")
        raise typer.Exit(1)
    console.print(f"{dealer_id}: webhook {'set' if url else 'removed'}")


if __name__ == "__main__":
    app()
