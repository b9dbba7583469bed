"""Request and response bodies of the API. Strict: unknown fields are an error, so a client
cannot smuggle in `status`, `decision` or `dealer_id`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from transfercheck.adapters.record_files import parse_ncic_name
from transfercheck.domain.checks import Check, FirearmCategory, Transfer, TransferType
from transfercheck.domain.deadlines import (
    DEALER_LABELS,
    DealerState,
    dealer_state,
    may_transfer_now,
)
from transfercheck.domain.determinations import CheckStatus
from transfercheck.domain.identities import IdDocument, IdDocumentType, Identity, PersonName, Sex
from transfercheck.domain.items import (
    Action,
    Feature,
    FirearmClass,
    Ignition,
    Item,
    MagazineType,
)


def _iso_date_text(value: object) -> object:
    """Dates travel as 'YYYY-MM-DD' text; a number would be read as a Unix timestamp."""
    if not isinstance(value, str | date):
        raise ValueError("must be a date written YYYY-MM-DD")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date_text)]


def _whole_number(value: object) -> object:
    """Counts travel as JSON integers: not text, not 10.0, not true."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("must be a whole number, such as 10")
    return value


def _number(value: object) -> object:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a number, such as 16.5")
    return value


WholeNumber = Annotated[int, BeforeValidator(_whole_number)]
Number = Annotated[float, BeforeValidator(_number)]
MakeOrModel = Annotated[str, StringConstraints(min_length=1, max_length=100)]
NamePart = Annotated[str, StringConstraints(min_length=1, max_length=100)]
SsnText = Annotated[str, StringConstraints(pattern=r"^[0-9]{3}-?[0-9]{2}-?[0-9]{4}$")]
StateCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]


class StrictBody(BaseModel):
    """No unknown fields, no type coercion of numbers into text or dates."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class IdDocumentIn(StrictBody):
    type: IdDocumentType
    number: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9-]{1,32}$")]
    issuer: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,3}$")]


class BuyerIn(StrictBody):
    given_name: NamePart
    middle_name: NamePart | None = None
    family_name: NamePart
    aliases: list[Annotated[str, StringConstraints(max_length=200)]] = Field(
        default_factory=list, max_length=10, description="Other names, as 'FAMILY, GIVEN MIDDLE'"
    )
    date_of_birth: IsoDate
    sex: Sex
    place_of_birth: Annotated[str, StringConstraints(max_length=64)] | None = None
    state_of_residence: StateCode | None = None
    ssn: SsnText | None = Field(default=None, description="Optional; nine digits, dashes allowed")
    id_document: IdDocumentIn | None = None

    @field_validator("ssn")
    @classmethod
    def _ssn_plausible(cls, value: str | None) -> str | None:
        if value is None:
            return None
        digits = value.replace("-", "")
        if digits[:3] in ("000", "666") or digits[3:5] == "00" or digits[5:] == "0000":
            raise ValueError("is not a possible SSN (area 000 or 666, group 00 or serial 0000)")
        return digits

    @field_validator("aliases")
    @classmethod
    def _aliases_parse(cls, value: list[str]) -> list[str]:
        for alias in value:
            parse_ncic_name(alias)
        return value

    def to_identity(self) -> Identity:
        doc = self.id_document
        return Identity(
            name=PersonName(self.given_name, self.family_name, self.middle_name),
            aliases=tuple(parse_ncic_name(a) for a in self.aliases),
            date_of_birth=self.date_of_birth,
            sex=self.sex,
            place_of_birth=self.place_of_birth,
            state_of_residence=self.state_of_residence,
            ssn=self.ssn,
            id_document=IdDocument(doc.type, doc.number.upper(), doc.issuer) if doc else None,
        )


class ItemIn(StrictBody):
    """A firearm as the weapon and magazine laws describe it. Lengths in inches, weight in
    ounces (unloaded); the capacity is that of the magazine transferred with it."""

    firearm_class: FirearmClass = Field(alias="class")
    action: Action
    magazine: MagazineType = Field(description="'none' for a firearm without a magazine")
    magazine_capacity: WholeNumber | None = Field(
        default=None, description="Rounds; required unless magazine is 'none'"
    )
    features: list[Feature] = Field(default_factory=list, max_length=len(Feature))
    make: MakeOrModel
    model: MakeOrModel
    ignition: Ignition | None = None
    overall_length_in: Number | None = None
    barrel_length_in: Number | None = None
    weight_oz: Number | None = Field(default=None, description="Unloaded weight, ounces")
    possessed_since: IsoDate | None = Field(
        default=None, description="Held by the transferor since (for grandfather clauses)"
    )
    manufactured_on: IsoDate | None = None

    def to_item(self) -> Item:
        return Item(
            firearm_class=self.firearm_class,
            action=self.action,
            magazine=self.magazine,
            magazine_capacity=self.magazine_capacity,
            make=self.make,
            model=self.model,
            features=frozenset(self.features),
            ignition=self.ignition,
            overall_length_in=self.overall_length_in,
            barrel_length_in=self.barrel_length_in,
            weight_oz=self.weight_oz,
            possessed_since=self.possessed_since,
            manufactured_on=self.manufactured_on,
        )


class SellerIn(StrictBody):
    """A private seller, as on their photo ID; sent only where the state records sellers."""

    given_name: NamePart
    middle_name: NamePart | None = None
    family_name: NamePart
    date_of_birth: IsoDate
    id_document: IdDocumentIn

    def to_identity(self) -> Identity:
        doc = self.id_document
        return Identity(
            name=PersonName(self.given_name, self.family_name, self.middle_name),
            date_of_birth=self.date_of_birth,
            sex=Sex.UNKNOWN,
            id_document=IdDocument(doc.type, doc.number.upper(), doc.issuer),
        )


class CheckCreate(StrictBody):
    buyer: BuyerIn
    firearm_category: FirearmCategory
    transfer_type: TransferType = TransferType.DEALER_SALE
    jurisdiction: StateCode = Field(description="Two-letter code of the state of transfer")
    item: ItemIn | None = Field(
        default=None,
        description="The firearm, to apply the weapon and magazine rules; left out, no item "
        "test is made",
    )
    seller: SellerIn | None = Field(
        default=None,
        description="private_via_dealer only, and only where the state's rules record the seller",
    )

    def to_transfer(self) -> Transfer:
        return Transfer(
            buyer=self.buyer.to_identity(),
            firearm_category=self.firearm_category,
            transfer_type=self.transfer_type,
            jurisdiction=self.jurisdiction,
            item=self.item.to_item() if self.item else None,
            seller=self.seller.to_identity() if self.seller else None,
        )


_MESSAGES = {
    DealerState.PROCEED: "Proceed: the transfer may go ahead.",
    DealerState.DENIED: "Denied: do not transfer. The buyer may appeal, quoting the NTN.",
    DealerState.DELAYED: (
        "Delayed: the check needs research. Do not transfer before the date given unless "
        "a proceed arrives first."
    ),
    DealerState.OPEN_MAY_PROCEED: (
        "Open: transfer may proceed. No answer came by the date given, so the law lets the "
        "transfer go ahead; the check stays open and a denial may still follow."
    ),
    DealerState.EXPIRED: (
        "Closed without an answer: the open check reached the end of its retention. "
        "A transfer not yet made needs a new check."
    ),
}


class CheckPublic(BaseModel):
    """What a dealer sees: the outcome, never the records behind it."""

    ntn: str
    status: CheckStatus = Field(
        description="The answer that stands now; DELAYED while the check is open"
    )
    state: DealerState = Field(
        description="What the dealer may do today; 'open_may_proceed' once an open check's "
        "date has come"
    )
    may_transfer_now: bool
    submitted_at: datetime
    may_transfer_on: date | None = Field(
        description="Open checks only: the first day the dealer may transfer without an answer"
    )
    resolved_at: datetime | None = Field(
        description="When a delayed check got its later answer (record it on the form too)"
    )
    message: str

    @classmethod
    def of(cls, check: Check, today: date) -> CheckPublic:
        status = check.status
        is_open = status is CheckStatus.DELAYED
        state = dealer_state(status, check.may_transfer_on, today)
        return cls(
            ntn=check.ntn,
            status=status,
            state=state,
            may_transfer_now=may_transfer_now(state),
            submitted_at=check.submitted_at,
            may_transfer_on=check.may_transfer_on if is_open else None,
            resolved_at=check.resolution.resolved_at if check.resolution else None,
            message=_MESSAGES[state],
        )

    @property
    def headline(self) -> str:
        """The word a page shows in large type: the status, or the open state once the
        dealer may transfer."""
        if self.state is DealerState.OPEN_MAY_PROCEED:
            return DEALER_LABELS[self.state].upper()
        return self.status.value


class CheckList(BaseModel):
    checks: list[CheckPublic]
    limit: int
    offset: int


class ErrorDetail(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ErrorBody(BaseModel):
    error: str
    detail: list[ErrorDetail] | str
