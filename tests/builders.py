"""Builders of valid domain values and request bodies: tests override only what matters."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import Any

from transfercheck.adapters.interchange import identity_to_api
from transfercheck.domain.identities import IdDocument, IdDocumentType, Identity, PersonName, Sex
from transfercheck.domain.items import (
    Action,
    Feature,
    FirearmClass,
    Ignition,
    Item,
    MagazineType,
)
from transfercheck.domain.records import (
    Category,
    Disposition,
    ProhibitingRecord,
    Relief,
    SourceAgencyType,
)

_ids = itertools.count(1)


def identity(
    given: str = "William",
    family: str = "Smith",
    dob: date = date(1980, 3, 14),
    sex: Sex = Sex.MALE,
    middle: str | None = None,
    ssn: str | None = None,
    id_number: str | None = None,
    id_issuer: str = "TX",
) -> Identity:
    document = (
        IdDocument(IdDocumentType.DRIVERS_LICENSE, id_number, id_issuer) if id_number else None
    )
    return Identity(
        name=PersonName(given, family, middle),
        date_of_birth=dob,
        sex=sex,
        ssn=ssn,
        id_document=document,
        state_of_residence="TX",
    )


def record(
    subject: Identity,
    category: Category = Category.FELONY_CONVICTION,
    disposition: Disposition = Disposition.CONVICTED,
    event_date: date = date(2015, 6, 1),
    disposition_date: date | None = date(2016, 2, 1),
    expiry_date: date | None = None,
    relief: Relief | None = None,
) -> ProhibitingRecord:
    n = next(_ids)
    return ProhibitingRecord(
        record_id=f"rec-{n:06d}",
        agency_record_id=f"AGY-{n:06d}",
        source_agency="Travis County District Court (synthetic)",
        source_agency_type=SourceAgencyType.COURT,
        jurisdiction="TX",
        category=category,
        subject=subject,
        event_date=event_date,
        disposition=disposition,
        disposition_date=disposition_date if disposition is Disposition.CONVICTED else None,
        expiry_date=expiry_date,
        relief=relief,
    )


def check_body(
    buyer: Identity, firearm_category: str = "long_gun", jurisdiction: str = "TX"
) -> dict[str, Any]:
    return {
        "buyer": identity_to_api(buyer),
        "firearm_category": firearm_category,
        "transfer_type": "dealer_sale",
        "jurisdiction": jurisdiction,
    }


def with_name(person: Identity, given: str, family: str | None = None) -> Identity:
    return replace(
        person, name=replace(person.name, given=given, family=family or person.name.family)
    )


def firearm(
    firearm_class: str = "rifle",
    action: str = "semi_automatic",
    magazine: str = "detachable",
    capacity: int | None = 10,
    features: Iterable[str] = (),
    make: str = "Acme Arms",
    model: str = "Model 7",
    ignition: str | None = "centerfire",
    overall: float | None = 36.0,
    barrel: float | None = 18.0,
    weight: float | None = None,
    possessed_since: date | None = None,
    manufactured_on: date | None = None,
) -> Item:
    """An item; the defaults are a plain semi-automatic centerfire rifle with a detachable
    10-round magazine and no listed feature, made by a maker on no list."""
    return Item(
        firearm_class=FirearmClass(firearm_class),
        action=Action(action),
        magazine=MagazineType(magazine),
        magazine_capacity=None if magazine == "none" else capacity,
        make=make,
        model=model,
        features=frozenset(Feature(f) for f in features),
        ignition=Ignition(ignition) if ignition else None,
        overall_length_in=overall,
        barrel_length_in=barrel,
        weight_oz=weight,
        possessed_since=possessed_since,
        manufactured_on=manufactured_on,
    )
