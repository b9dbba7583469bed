"""The flat interchange format of records and identities (records files, generator output).

A record is one flat row, the same fields in CSV and JSON Lines. Names follow the NCIC
convention "FAMILY, GIVEN MIDDLE"; aliases are a list of such names (in CSV joined by
";"). Dates are ISO 8601. Empty strings and nulls both mean "not given".

This module converts domain values to rows. Reading rows back, with validation that names
every bad field, is `transfercheck.adapters.record_files`.
"""

from __future__ import annotations

from typing import Any

from transfercheck.domain.identities import Identity, PersonName
from transfercheck.domain.items import Item
from transfercheck.domain.records import ProhibitingRecord

RECORD_FIELDS: tuple[str, ...] = (
    "agency_record_id",
    "source_agency",
    "source_agency_type",
    "jurisdiction",
    "category",
    "event_date",
    "disposition",
    "disposition_date",
    "expiry_date",
    "relief_type",
    "relief_date",
    "relief_keeps_firearm_ban",
    "description",
    "name",
    "aliases",
    "date_of_birth",
    "sex",
    "place_of_birth",
    "state_of_residence",
    "ssn",
    "id_document_type",
    "id_document_number",
    "id_document_issuer",
    "fbi_number",
)


def format_name(name: PersonName) -> str:
    """'FAMILY, GIVEN MIDDLE' as on NCIC records (case kept as given)."""
    given = f"{name.given} {name.middle}" if name.middle else name.given
    return f"{name.family}, {given}"


def identity_to_row(identity: Identity) -> dict[str, Any]:
    doc = identity.id_document
    return {
        "name": format_name(identity.name),
        "aliases": [format_name(a) for a in identity.aliases],
        "date_of_birth": identity.date_of_birth.isoformat(),
        "sex": identity.sex.value,
        "place_of_birth": identity.place_of_birth,
        "state_of_residence": identity.state_of_residence,
        "ssn": identity.ssn,
        "id_document_type": doc.type.value if doc else None,
        "id_document_number": doc.number if doc else None,
        "id_document_issuer": doc.issuer if doc else None,
        "fbi_number": identity.fbi_number,
    }


def record_to_row(record: ProhibitingRecord) -> dict[str, Any]:
    relief = record.relief
    row: dict[str, Any] = {
        "agency_record_id": record.agency_record_id,
        "source_agency": record.source_agency,
        "source_agency_type": record.source_agency_type.value,
        "jurisdiction": record.jurisdiction,
        "category": record.category.value,
        "event_date": record.event_date.isoformat(),
        "disposition": record.disposition.value,
        "disposition_date": _iso(record.disposition_date),
        "expiry_date": _iso(record.expiry_date),
        "relief_type": relief.type.value if relief else None,
        "relief_date": relief.granted_on.isoformat() if relief else None,
        "relief_keeps_firearm_ban": relief.keeps_firearm_ban if relief else None,
        "description": record.description,
    }
    row.update(identity_to_row(record.subject))
    return {name: row[name] for name in RECORD_FIELDS}


def identity_to_api(identity: Identity) -> dict[str, Any]:
    """An identity as the `buyer` object of `POST /v1/checks`."""
    doc = identity.id_document
    return {
        "given_name": identity.name.given,
        "middle_name": identity.name.middle,
        "family_name": identity.name.family,
        "aliases": [format_name(a) for a in identity.aliases],
        "date_of_birth": identity.date_of_birth.isoformat(),
        "sex": identity.sex.value,
        "place_of_birth": identity.place_of_birth,
        "state_of_residence": identity.state_of_residence,
        "ssn": identity.ssn,
        "id_document": (
            {"type": doc.type.value, "number": doc.number, "issuer": doc.issuer} if doc else None
        ),
    }


def item_to_api(item: Item) -> dict[str, Any]:
    """An item as the `item` object of `POST /v1/checks` and `POST /v1/items/classify`."""
    return {
        "class": item.firearm_class.value,
        "action": item.action.value,
        "magazine": item.magazine.value,
        "magazine_capacity": item.magazine_capacity,
        "features": sorted(f.value for f in item.features),
        "make": item.make,
        "model": item.model,
        "ignition": item.ignition.value if item.ignition else None,
        "overall_length_in": item.overall_length_in,
        "barrel_length_in": item.barrel_length_in,
        "weight_oz": item.weight_oz,
        "possessed_since": _iso(item.possessed_since),
        "manufactured_on": _iso(item.manufactured_on),
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None
