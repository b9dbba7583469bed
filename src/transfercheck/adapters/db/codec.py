"""Conversions between trusted database rows and domain values.

Rows from untrusted files go through `adapters.record_files`, which validates them; rows read
back from our own tables were validated on the way in.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from typing import Any

from transfercheck.adapters.interchange import item_to_api
from transfercheck.domain.checks import Resolution
from transfercheck.domain.determinations import (
    AgeAssessment,
    CheckStatus,
    ClauseFinding,
    Determination,
    Finding,
    ItemAssessment,
    ItemStatus,
    ReasonCode,
    RecordAssessment,
    RecordEffect,
)
from transfercheck.domain.identities import (
    IdDocument,
    IdDocumentType,
    Identity,
    PersonName,
    Sex,
)
from transfercheck.domain.items import Action, Feature, FirearmClass, Ignition, Item, MagazineType
from transfercheck.domain.matches import FieldEvidence
from transfercheck.domain.records import (
    Category,
    Disposition,
    ProhibitingRecord,
    Relief,
    ReliefType,
    SourceAgencyType,
)


def utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def name_to_json(name: PersonName) -> dict[str, Any]:
    return {"given": name.given, "middle": name.middle, "family": name.family}


def name_from_json(data: dict[str, Any]) -> PersonName:
    return PersonName(given=data["given"], family=data["family"], middle=data.get("middle"))


def identity_to_json(identity: Identity) -> dict[str, Any]:
    doc = identity.id_document
    return {
        "name": name_to_json(identity.name),
        "aliases": [name_to_json(a) for a in identity.aliases],
        "date_of_birth": identity.date_of_birth.isoformat(),
        "sex": identity.sex.value,
        "place_of_birth": identity.place_of_birth,
        "state_of_residence": identity.state_of_residence,
        "ssn": identity.ssn,
        "id_document": (
            {"type": doc.type.value, "number": doc.number, "issuer": doc.issuer} if doc else None
        ),
        "fbi_number": identity.fbi_number,
    }


def identity_from_json(data: dict[str, Any]) -> Identity:
    doc = data.get("id_document")
    return Identity(
        name=name_from_json(data["name"]),
        aliases=tuple(name_from_json(a) for a in data.get("aliases", [])),
        date_of_birth=date.fromisoformat(data["date_of_birth"]),
        sex=Sex(data["sex"]),
        place_of_birth=data.get("place_of_birth"),
        state_of_residence=data.get("state_of_residence"),
        ssn=data.get("ssn"),
        id_document=(
            IdDocument(IdDocumentType(doc["type"]), doc["number"], doc["issuer"]) if doc else None
        ),
        fbi_number=data.get("fbi_number"),
    )


def record_to_columns(record: ProhibitingRecord) -> dict[str, Any]:
    subject, relief, doc = record.subject, record.relief, record.subject.id_document
    return {
        "record_id": record.record_id,
        "agency_record_id": record.agency_record_id,
        "source_agency": record.source_agency,
        "source_agency_type": record.source_agency_type.value,
        "jurisdiction": record.jurisdiction,
        "category": record.category.value,
        "event_date": record.event_date,
        "disposition": record.disposition.value,
        "disposition_date": record.disposition_date,
        "expiry_date": record.expiry_date,
        "relief_type": relief.type.value if relief else None,
        "relief_date": relief.granted_on if relief else None,
        "relief_keeps_firearm_ban": relief.keeps_firearm_ban if relief else None,
        "description": record.description,
        "given_name": subject.name.given,
        "middle_name": subject.name.middle,
        "family_name": subject.name.family,
        "aliases": [name_to_json(a) for a in subject.aliases],
        "date_of_birth": subject.date_of_birth,
        "sex": subject.sex.value,
        "place_of_birth": subject.place_of_birth,
        "state_of_residence": subject.state_of_residence,
        "ssn": subject.ssn,
        "id_document_type": doc.type.value if doc else None,
        "id_document_number": doc.number if doc else None,
        "id_document_issuer": doc.issuer if doc else None,
        "fbi_number": subject.fbi_number,
    }


def record_from_columns(row: Any) -> ProhibitingRecord:
    doc = None
    if row.id_document_type and row.id_document_number and row.id_document_issuer:
        doc = IdDocument(
            IdDocumentType(row.id_document_type), row.id_document_number, row.id_document_issuer
        )
    relief = None
    if row.relief_type and row.relief_date:
        relief = Relief(
            ReliefType(row.relief_type), row.relief_date, bool(row.relief_keeps_firearm_ban)
        )
    subject = Identity(
        name=PersonName(row.given_name, row.family_name, row.middle_name),
        aliases=tuple(name_from_json(a) for a in row.aliases),
        date_of_birth=row.date_of_birth,
        sex=Sex(row.sex),
        place_of_birth=row.place_of_birth,
        state_of_residence=row.state_of_residence,
        ssn=row.ssn,
        id_document=doc,
        fbi_number=row.fbi_number,
    )
    return ProhibitingRecord(
        record_id=row.record_id,
        agency_record_id=row.agency_record_id,
        source_agency=row.source_agency,
        source_agency_type=SourceAgencyType(row.source_agency_type),
        jurisdiction=row.jurisdiction,
        category=Category(row.category),
        subject=subject,
        event_date=row.event_date,
        disposition=Disposition(row.disposition),
        disposition_date=row.disposition_date,
        expiry_date=row.expiry_date,
        relief=relief,
        description=row.description,
    )


def findings_to_json(findings: tuple[Finding, ...]) -> list[dict[str, Any]]:
    return [
        {
            "record_id": f.record_id,
            "match_probability": f.match_probability,
            "identifier_agrees": f.identifier_agrees,
            "effect": f.assessment.effect.value,
            "explanation": f.assessment.explanation,
            "citation": f.assessment.citation,
            "evidence": [dataclasses.asdict(e) for e in f.evidence],
        }
        for f in findings
    ]


def findings_from_json(data: list[dict[str, Any]]) -> tuple[Finding, ...]:
    return tuple(
        Finding(
            record_id=f["record_id"],
            match_probability=f["match_probability"],
            identifier_agrees=f["identifier_agrees"],
            assessment=RecordAssessment(
                f["record_id"], RecordEffect(f["effect"]), f["explanation"], f["citation"]
            ),
            evidence=tuple(FieldEvidence(**e) for e in f.get("evidence", [])),
        )
        for f in data
    )


def age_to_json(age: AgeAssessment | None) -> dict[str, Any] | None:
    if age is None:
        return None
    return {"buyer_age": age.buyer_age, "minimum_age": age.minimum_age, "citation": age.citation}


def age_from_json(data: dict[str, Any] | None) -> AgeAssessment | None:
    return AgeAssessment(**data) if data else None


def item_to_json(item: Item | None) -> dict[str, Any] | None:
    return None if item is None else item_to_api(item)


def item_from_json(data: dict[str, Any] | None) -> Item | None:
    if not data:
        return None

    def day(key: str) -> date | None:
        return date.fromisoformat(data[key]) if data.get(key) else None

    return Item(
        firearm_class=FirearmClass(data["class"]),
        action=Action(data["action"]),
        magazine=MagazineType(data["magazine"]),
        magazine_capacity=data.get("magazine_capacity"),
        make=data["make"],
        model=data["model"],
        features=frozenset(Feature(f) for f in data.get("features", [])),
        ignition=Ignition(data["ignition"]) if data.get("ignition") else None,
        overall_length_in=data.get("overall_length_in"),
        barrel_length_in=data.get("barrel_length_in"),
        weight_oz=data.get("weight_oz"),
        possessed_since=day("possessed_since"),
        manufactured_on=day("manufactured_on"),
    )


def item_assessment_to_json(assessment: ItemAssessment | None) -> dict[str, Any] | None:
    if assessment is None:
        return None
    return {
        "jurisdiction": assessment.jurisdiction,
        "on": assessment.on.isoformat(),
        "status": assessment.status.value,
        "findings": [
            {
                "jurisdiction": f.jurisdiction,
                "clause": f.clause,
                "citation": f.citation,
                "label": f.label,
                "bans": f.bans,
                "prohibits": f.prohibits,
                "explanation": f.explanation,
                "features": list(f.features),
            }
            for f in assessment.findings
        ],
    }


def item_assessment_from_json(data: dict[str, Any] | None) -> ItemAssessment | None:
    if not data:
        return None
    findings = tuple(
        ClauseFinding(**{**f, "features": tuple(f.get("features", []))}) for f in data["findings"]
    )
    return ItemAssessment(
        data["jurisdiction"], date.fromisoformat(data["on"]), ItemStatus(data["status"]), findings
    )


def determination_from(
    status: str,
    reasons: list[str],
    may_transfer_on: date | None,
    findings: tuple[Finding, ...] = (),
    age: AgeAssessment | None = None,
    item: ItemAssessment | None = None,
    expires_on: date | None = None,
) -> Determination:
    return Determination(
        status=CheckStatus(status),
        reasons=tuple(ReasonCode(r) for r in reasons),
        may_transfer_on=may_transfer_on,
        findings=findings,
        age=age,
        item=item,
        expires_on=expires_on,
    )


def resolution_from(row: Any) -> Resolution | None:
    """The later answer of a `checks` row, if it has one."""
    if row.resolved_at is None:
        return None
    return Resolution(
        CheckStatus(row.status), utc(row.resolved_at), row.resolved_by, row.resolution_reason
    )
