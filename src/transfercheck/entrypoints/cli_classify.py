"""`transfercheck classify`: may this item be transferred here, and which clause says so?

The item comes from options or from a JSON file (the `item` object of the API, or a whole
`POST /v1/items/classify` body). Either way it is validated by the API's schema, so a bad
field is named the same way everywhere. Only the rules files are read: no database.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console

from transfercheck.adapters.rules_files import load_rule_book
from transfercheck.domain.errors import Problem, ValidationFailed
from transfercheck.domain.items import Action, Feature, FirearmClass, Ignition, MagazineType
from transfercheck.entrypoints.api.item_schemas import ClassificationOut, ClassifyIn
from transfercheck.entrypoints.api.schemas import ItemIn
from transfercheck.services.items import classify_item

console = Console()
errors = Console(stderr=True)


class BadInput(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def _problems(error: ValidationError, prefix: str) -> list[Problem]:
    return [
        Problem(
            ".".join([prefix, *(str(part) for part in e["loc"])]).strip("."),
            str(e["msg"]).removeprefix("Value error, "),
        )
        for e in error.errors()
    ]


def read_item_file(path: Path) -> ItemIn:
    """An item object from a JSON file; BadInput names the file's bad fields."""
    data = _read_json(path)
    if isinstance(data, dict) and "item" in data:
        data = data["item"]
    try:
        return ItemIn.model_validate(data)
    except ValidationError as error:
        raise BadInput(_problems(error, "item")) from error


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BadInput([Problem(str(path), f"not a readable JSON file: {error}")]) from error


def _request(
    file: Path | None, options: dict[str, Any], jurisdiction: str | None, on: str | None
) -> ClassifyIn:
    given = {name: value for name, value in options.items() if value not in (None, [])}
    if file is not None and given:
        message = "give the item either with --file or with item options, not both"
        raise BadInput([Problem("item", message)])
    body = _read_json(file) if file is not None else {"item": given}
    if not isinstance(body, dict) or "item" not in body:
        body = {"item": body}
    if jurisdiction is not None:
        body["jurisdiction"] = jurisdiction
    if on is not None:
        body["date"] = on
    try:
        return ClassifyIn.model_validate(body)
    except ValidationError as error:
        raise BadInput(_problems(error, "")) from error


def classify(
    jurisdiction: Annotated[
        str | None,
        typer.Option(help="State code, US (federal law alone) or a proposal such as US-AWB2013"),
    ] = None,
    on: Annotated[
        str | None, typer.Option("--date", help="Transfer date, YYYY-MM-DD; default today")
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(help="JSON: an item object, or a whole classify request", dir_okay=False),
    ] = None,
    firearm_class: Annotated[FirearmClass | None, typer.Option("--class")] = None,
    action: Annotated[Action | None, typer.Option()] = None,
    magazine: Annotated[MagazineType | None, typer.Option()] = None,
    capacity: Annotated[int | None, typer.Option(help="Rounds the magazine holds")] = None,
    feature: Annotated[
        list[Feature] | None, typer.Option(help="A listed feature; repeat for each")
    ] = None,
    make: Annotated[str | None, typer.Option()] = None,
    model: Annotated[str | None, typer.Option()] = None,
    ignition: Annotated[Ignition | None, typer.Option()] = None,
    overall_length: Annotated[float | None, typer.Option(help="Inches")] = None,
    barrel_length: Annotated[float | None, typer.Option(help="Inches")] = None,
    weight_oz: Annotated[float | None, typer.Option(help="Unloaded weight, ounces")] = None,
    possessed_since: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    manufactured_on: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the API's JSON answer")] = False,
) -> None:
    """Say whether an item may be transferred in a jurisdiction on a date, and which
    clause and which feature made it so. Exit code 0 for either answer, 2 for bad input."""
    options: dict[str, Any] = {
        "class": firearm_class,
        "action": action,
        "magazine": magazine,
        "magazine_capacity": capacity,
        "features": feature or [],
        "make": make,
        "model": model,
        "ignition": ignition,
        "overall_length_in": overall_length,
        "barrel_length_in": barrel_length,
        "weight_oz": weight_oz,
        "possessed_since": possessed_since,
        "manufactured_on": manufactured_on,
    }
    try:
        request = _request(file, options, jurisdiction, on)
        when = request.on or date.today()
        result = classify_item(load_rule_book(), request.item.to_item(), request.jurisdiction, when)
    except (BadInput, ValidationFailed) as error:
        for problem in error.problems:
            errors.print(f"[red]{problem}[/red]", highlight=False)
        raise typer.Exit(2) from error
    answer = ClassificationOut.of(result)
    if as_json:
        console.print_json(answer.model_dump_json(by_alias=True))
    else:
        _print(answer)


def _print(answer: ClassificationOut) -> None:
    status = answer.status.value.upper()
    colour = "red" if answer.prohibited_by else "green"
    console.print(
        f"{answer.jurisdiction} ({answer.jurisdiction_name}) on {answer.on}: "
        f"[bold {colour}]{status}[/bold {colour}]",
        highlight=False,
    )
    if answer.note:
        console.print(f"[yellow]{answer.note}[/yellow]", highlight=False)
    for clause in answer.prohibited_by:
        console.print(f"  PROHIBITED BY {clause.clause}: {clause.citation}", highlight=False)
        if clause.features:
            console.print(f"    features: {', '.join(clause.features)}", highlight=False)
        console.print(f"    {clause.explanation}", highlight=False)
    if answer.not_applying:
        console.print(f"  Not applying ({len(answer.not_applying)}):", highlight=False)
    for clause in answer.not_applying:
        console.print(f"    {clause.clause}: {clause.explanation}", highlight=False)
    if not answer.prohibited_by and not answer.not_applying:
        console.print("  No weapon or magazine clause is in force there on that date.")
