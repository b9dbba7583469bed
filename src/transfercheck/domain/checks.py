"""Transfers and the checks run on them.

A CheckRequest is what a dealer submits; a Check is what the system decided, under which
NTN (NICS Transaction Number). The request's identifying side (buyer, item) is kept apart
from the outcome so that an allowed transfer's identity can be purged (28 CFR 25.9(b)).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from transfercheck.domain.determinations import CheckStatus, Determination
from transfercheck.domain.errors import Problem
from transfercheck.domain.identities import Identity
from transfercheck.domain.items import FirearmClass, Item


class FirearmCategory(StrEnum):
    HANDGUN = "handgun"
    LONG_GUN = "long_gun"  # rifle or shotgun
    OTHER = "other"  # frames, receivers and firearms that are neither


class TransferType(StrEnum):
    DEALER_SALE = "dealer_sale"
    PRIVATE_VIA_DEALER = "private_via_dealer"  # a private sale processed by a dealer
    PAWN_REDEMPTION = "pawn_redemption"


CATEGORY_OF_CLASS = {
    FirearmClass.RIFLE: FirearmCategory.LONG_GUN,
    FirearmClass.SHOTGUN: FirearmCategory.LONG_GUN,
    FirearmClass.PISTOL: FirearmCategory.HANDGUN,
    FirearmClass.OTHER: FirearmCategory.OTHER,
}


@dataclass(frozen=True)
class Transfer:
    buyer: Identity
    firearm_category: FirearmCategory
    transfer_type: TransferType
    jurisdiction: str  # two-letter state code where the transfer takes place
    # A private transfer's seller, only where the jurisdiction's rules record it.
    seller: Identity | None = None
    item: Item | None = None  # None: the item is not described, no weapon or magazine test


def item_category_problems(transfer: Transfer) -> list[Problem]:
    """A described item must be of the firearm category the check is run for (the age
    rules follow the category)."""
    item = transfer.item
    if item is None or CATEGORY_OF_CLASS[item.firearm_class] is transfer.firearm_category:
        return []
    expected = CATEGORY_OF_CLASS[item.firearm_class].value
    return [
        Problem(
            "item.class",
            f"a {item.firearm_class.value} is a {expected} firearm, but firearm_category "
            f"is {transfer.firearm_category.value}",
        )
    ]


@dataclass(frozen=True)
class CheckRequest:
    dealer_id: str
    transfer: Transfer
    idempotency_key: str


# NTNs are random, not sequential: a number must not reveal volume or invite guessing.
NTN_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
NTN_LENGTH = 10
_NTN_PATTERN = re.compile(f"^[{NTN_ALPHABET}]{{{NTN_LENGTH}}}$")


def is_valid_ntn(text: str) -> bool:
    return bool(_NTN_PATTERN.match(text))


@dataclass(frozen=True)
class Resolution:
    """The later answer to a delayed check: an examiner's, a supervisor's or the system's."""

    status: CheckStatus  # PROCEED, DENIED or EXPIRED
    resolved_at: datetime
    resolved_by: str  # "user:U-7" or "system"
    reason: str  # a reason category (domain.review), never free text


@dataclass(frozen=True)
class Check:
    """`determination` is the first answer, the one the dealer got at the counter; a
    delayed check may get a later one (`resolution`). Both go on the transfer form."""

    ntn: str
    dealer_id: str
    submitted_at: datetime
    determination: Determination
    rules_version: str
    model_version: str
    resolution: Resolution | None = None

    @property
    def status(self) -> CheckStatus:
        """The answer that stands now."""
        return self.resolution.status if self.resolution else self.determination.status

    @property
    def may_transfer_on(self) -> date | None:
        return self.determination.may_transfer_on
