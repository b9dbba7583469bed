"""The command line: `transfercheck serve | demo | generate | records import | check |
classify`."""

from __future__ import annotations

import json
import secrets
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from transfercheck.adapters.record_files import detect_format, read_rows
from transfercheck.bootstrap import Application, bootstrap
from transfercheck.config import Settings
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


def _application() -> Application:
    return bootstrap(Settings())


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind")] = None,
    port: Annotated[int | None, typer.Option(help="Port")] = None,
) -> None:
    """Run the HTTP API and the web pages."""
    import uvicorn

    from transfercheck.entrypoints.api.app import create_app

    settings = Settings()
    application = bootstrap(settings)
    console.print(f"Index holds {len(application.index):,} records.")
    uvicorn.run(
        create_app(application),
        host=host or settings.host,
        port=port or settings.port,
        log_level="info",
    )


@app.command()
def demo(
    records: Annotated[int, typer.Option(help="Synthetic records to load on first run")] = 100_000,
    seed: Annotated[int, typer.Option(help="Generator seed")] = 2013,
    serve_after: Annotated[bool, typer.Option("--serve/--no-serve")] = True,
) -> None:
    """Set up the demo (database, synthetic records, accounts) once, then serve."""
    from transfercheck.entrypoints.demo import set_up_demo

    settings = Settings()
    credentials = set_up_demo(settings, records, seed, _progress)
    table = Table(title="Demo credentials (synthetic, for this machine only)")
    for column in ("dealer or agency", "web user", "password", "API key"):
        # Keys are long: fold them rather than cut them, so they can be copied whole.
        table.add_column(column, overflow="fold")
    for row in credentials:
        table.add_row(row["dealer"], row["username"], row["password"], row["api_key"])
    console.print(table)
    console.print(f"(also in {settings.data_dir / 'demo-credentials.json'})")
    console.print(
        f"Web pages: http://{settings.host}:{settings.port}/  ·  "
        f"API docs: http://{settings.host}:{settings.port}/docs"
    )
    if serve_after:
        serve(None, None)


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
    transfer = Transfer(buyer, firearm, transfer_type, jurisdiction.upper(), described)
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


if __name__ == "__main__":
    app()
