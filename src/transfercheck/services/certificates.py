"""Buyers' certificates: the self-check that issues one, the seller's verification, and
revocation by the holder or an examiner (rap back is in `services.rap_back`).

The threat model behind these rules is in docs/certificates.md. In short: a self-check
answers in detail only to someone who proves the identity is theirs, a verification tells
the seller one of four words and records neither the seller nor the firearm, and every
one of these acts is audited by id only.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from transfercheck.adapters.db.unit_of_work import SqlUnitOfWork
from transfercheck.domain import certificate_codes
from transfercheck.domain.audit import AuditEvent, EventType
from transfercheck.domain.certificates import (
    Certificate,
    Claims,
    FactKind,
    InvalidToken,
    RevocationReason,
    VerificationStatus,
    bind,
    new_claims,
    public_key_pem,
    read,
    sign,
)
from transfercheck.domain.checks import FirearmCategory, Transfer, TransferType
from transfercheck.domain.determinations import CheckStatus, Determination, ReasonCode
from transfercheck.domain.errors import NotFound, Problem, ValidationFailed
from transfercheck.domain.identities import Identity
from transfercheck.domain.rules.private_transfers import terms_on
from transfercheck.services.intake import CheckingContext, determine_transfer
from transfercheck.services.ports import UnitOfWorkFactory

PUBLIC = "public"  # the actor of anonymous acts: no address or other trace of the person
# A self-check applies the age rules of a private transfer processed by a dealer.
SELF_CHECK_TRANSFER_TYPE = TransferType.PRIVATE_VIA_DEALER
_DUMMY_SALT = bytes(16)


@dataclass(frozen=True)
class CertificateAuthority:
    """The signing key, loaded once (`adapters.signing_key`); the public half is published."""

    private_key: Ed25519PrivateKey

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    @property
    def public_key_pem(self) -> str:
        return public_key_pem(self.public_key)


class SelfCheckOutcome(StrEnum):
    ISSUED = "issued"
    NOT_OFFERED = "not_offered"  # this jurisdiction allows the dealer route only
    UNDERAGE = "underage"  # from the date of birth entered: tells the visitor nothing new
    DENIED = "denied"  # DENIED and DELAYED only to a visitor who proved ownership
    DELAYED = "delayed"
    NOT_ISSUED = "not_issued"  # the same words for every other case: no oracle


@dataclass(frozen=True)
class SelfCheckRequest:
    buyer: Identity  # must carry its ID document: entering it is the proof of ownership
    jurisdiction: str


@dataclass(frozen=True)
class IssuedCertificate:
    certificate_id: str
    code: str
    token: str
    claims: Claims


@dataclass(frozen=True)
class SelfCheckResult:
    outcome: SelfCheckOutcome
    reference: str  # quoted in an appeal; names the audit entry
    certificate: IssuedCertificate | None = None
    reasons: tuple[ReasonCode, ...] = ()


def self_check(
    request: SelfCheckRequest,
    context: CheckingContext,
    authority: CertificateAuthority,
    unit_of_work: UnitOfWorkFactory,
    now: datetime,
    today: date,
) -> SelfCheckResult:
    """Run the dealer check's identity matching and rules on oneself; PROCEED issues a
    certificate valid for the firearm categories that proceed."""
    if request.buyer.id_document is None:
        raise ValidationFailed(
            [Problem("buyer.id_document", "is required: it shows the identity is yours")]
        )
    try:
        rules = context.rule_book.for_jurisdiction(request.jurisdiction)
    except NotFound:
        problem = Problem("jurisdiction", f"unknown jurisdiction {request.jurisdiction!r}")
        raise ValidationFailed([problem]) from None
    terms = terms_on(rules.layers, today)
    reference = f"S-{secrets.token_hex(8)}"
    if terms is None or not terms.certificates_offered:
        result = SelfCheckResult(SelfCheckOutcome.NOT_OFFERED, reference)
        _record_self_check(result, request, context, unit_of_work, now)
        return result
    determinations = {
        category: determine_transfer(
            Transfer(request.buyer, category, SELF_CHECK_TRANSFER_TYPE, request.jurisdiction),
            context,
            unit_of_work,
            today,
        )
        for category in FirearmCategory
    }
    scope = frozenset(c for c, d in determinations.items() if d.status is CheckStatus.PROCEED)
    if not scope:
        outcome, reasons = _refusal(list(determinations.values()))
        result = SelfCheckResult(outcome, reference, reasons=reasons)
        _record_self_check(result, request, context, unit_of_work, now)
        return result
    validity = timedelta(days=terms.certificate_validity_days)
    issued = _issue(request, scope, validity, authority, now)
    result = SelfCheckResult(SelfCheckOutcome.ISSUED, reference, issued)
    _record_self_check(result, request, context, unit_of_work, now)
    return result


def _issue(
    request: SelfCheckRequest,
    scope: frozenset[FirearmCategory],
    validity: timedelta,
    authority: CertificateAuthority,
    now: datetime,
) -> IssuedCertificate:
    assert request.buyer.id_document is not None  # checked by self_check
    claims = new_claims(
        public_key=authority.public_key,
        code=certificate_codes.new_code(),
        jurisdiction=request.jurisdiction,
        scope=scope,
        issued_at=now,
        validity=validity,
        salt=secrets.token_bytes(16),
        date_of_birth=request.buyer.date_of_birth,
        id_number=request.buyer.id_document.number,
    )
    token = sign(claims, authority.private_key)
    return IssuedCertificate(f"C-{secrets.token_hex(8)}", claims.code, token, claims)


def _refusal(
    determinations: list[Determination],
) -> tuple[SelfCheckOutcome, tuple[ReasonCode, ...]]:
    """What a refused visitor may be told. Records are named only to someone whose entered
    identifier (ID document, SSN) agrees with the record's: that proves the identity theirs.
    Name and date of birth alone are public facts and prove nothing."""
    findings = [f for d in determinations for f in d.findings]
    if not findings:  # every category failed on age alone, which the visitor typed in
        return SelfCheckOutcome.UNDERAGE, (ReasonCode.UNDERAGE,)
    if not any(f.identifier_agrees for f in findings):
        return SelfCheckOutcome.NOT_ISSUED, ()
    reasons = tuple(dict.fromkeys(r for d in determinations for r in d.reasons))
    denied = ReasonCode.PROHIBITING_RECORD in reasons
    return (SelfCheckOutcome.DENIED if denied else SelfCheckOutcome.DELAYED), reasons


def _record_self_check(
    result: SelfCheckResult,
    request: SelfCheckRequest,
    context: CheckingContext,
    unit_of_work: UnitOfWorkFactory,
    now: datetime,
) -> None:
    """Store an issued certificate with its holder, and audit every self-check, together."""
    details: dict[str, str | int] = {
        "jurisdiction": request.jurisdiction,
        "rules_version": context.rule_book.version,
        "model_version": context.finder.model_version,
    }
    with unit_of_work() as uow:
        issued = result.certificate
        if issued is not None:
            certificate = Certificate(
                issued.certificate_id, certificate_codes.digest(issued.code), issued.claims
            )
            uow.certificates.add(
                certificate, request.buyer, context.rule_book.version, context.finder.model_version
            )
            details["certificate_id"] = issued.certificate_id
        event = AuditEvent(
            EventType.SELF_CHECK_RUN,
            actor=PUBLIC,
            object_type="self_check",
            object_id=result.reference,
            outcome=result.outcome.value,
            details=details,
        )
        uow.audit.append(event, now)
        uow.commit()


# ── Verification ─────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Verification:
    status: VerificationStatus
    # Only for a valid certificate: where and for which firearms it holds. Never a person.
    jurisdiction: str | None = None
    scope: frozenset[FirearmCategory] = frozenset()


def verify(
    presented: str,
    kind: FactKind,
    value: date | str,
    authority: CertificateAuthority,
    unit_of_work: UnitOfWorkFactory,
    now: datetime,
) -> Verification:
    """A seller's question: is this code (or token) valid for the person showing `value`?
    Stores one audit entry and nothing else: no seller, no firearm."""
    code = code_of(presented, authority.public_key)
    with unit_of_work() as uow:
        found = (
            uow.certificates.find_by_code_digest(certificate_codes.digest(code)) if code else None
        )
        status = _status(found, kind, value, now)
        uow.audit.append(
            AuditEvent(
                EventType.CERTIFICATE_VERIFIED,
                actor=PUBLIC,
                object_type="certificate",
                object_id=found.certificate_id if found else "unknown",
                outcome=status.value,
                details={"fact": kind.value},
            ),
            now,
        )
        uow.commit()
    if status is VerificationStatus.VALID and found is not None:
        return Verification(status, found.claims.jurisdiction, found.claims.scope)
    return Verification(status)


def _status(
    found: Certificate | None, kind: FactKind, value: date | str, now: datetime
) -> VerificationStatus:
    if found is None:
        bind(kind, value, _DUMMY_SALT)  # the same slow work as a real one: timing tells nothing
        return VerificationStatus.NOT_FOUND
    if not found.fact_matches(kind, value):
        return VerificationStatus.NOT_FOUND  # a wrong fact reads exactly like a wrong code
    return found.status(now)


def code_of(presented: str, public_key: Ed25519PublicKey) -> str | None:
    """The canonical code in what a seller typed or scanned: a code, or a whole token."""
    text = presented.strip()
    if text.startswith("TC"):
        try:
            return read(text, public_key).code
        except InvalidToken:
            return None
    return certificate_codes.canonical(text)


# ── Revocation ───────────────────────────────────────────────────────────────────────


def revoke_by_holder(
    presented: str,
    date_of_birth: date,
    id_number: str,
    authority: CertificateAuthority,
    unit_of_work: UnitOfWorkFactory,
    now: datetime,
) -> bool:
    """The holder withdraws their certificate, proving it is theirs with the date of birth
    and the whole ID number. False, and nothing revoked, for anything that does not fit."""
    code = code_of(presented, authority.public_key)
    with unit_of_work() as uow:
        found = (
            uow.certificates.find_by_code_digest(certificate_codes.digest(code)) if code else None
        )
        holder = uow.certificates.holder(found.certificate_id) if found else None
        owner = (
            found is not None
            and holder is not None
            and _same_document(holder, id_number)
            and found.fact_matches(FactKind.DATE_OF_BIRTH, date_of_birth)
        )
        if not owner or found is None:
            refused = AuditEvent(
                EventType.CERTIFICATE_REVOKED,
                actor=PUBLIC,
                object_type="certificate",
                object_id=found.certificate_id if found else "unknown",
                outcome="refused",
            )
            uow.audit.append(refused, now)  # a failed attempt is audited too
            uow.commit()
            return False
        revoked = revoke_certificate(
            uow, found.certificate_id, RevocationReason.HOLDER_REQUEST, PUBLIC, now
        )
        uow.commit()
    return revoked


def _same_document(holder: Identity, id_number: str) -> bool:
    document = holder.id_document
    if document is None:
        return False
    entered = _clean(id_number)
    return bool(entered) and hmac.compare_digest(entered.encode(), _clean(document.number).encode())


def _clean(number: str) -> str:
    return "".join(ch for ch in number.upper() if ch.isascii() and ch.isalnum())


def revoke_by_examiner(
    certificate_id: str, examiner: str, unit_of_work: UnitOfWorkFactory, now: datetime
) -> bool:
    """An examiner revokes a certificate by its reference. NotFound for an unknown one."""
    with unit_of_work() as uow:
        if uow.certificates.get(certificate_id) is None:
            raise NotFound("certificate", certificate_id)
        revoked = revoke_certificate(
            uow, certificate_id, RevocationReason.EXAMINER, f"examiner:{examiner}", now
        )
        uow.commit()
    return revoked


def revoke_certificate(
    uow: SqlUnitOfWork, certificate_id: str, reason: RevocationReason, actor: str, now: datetime
) -> bool:
    """Revoke inside the caller's unit of work, with its audit entry; False if already."""
    if not uow.certificates.revoke(certificate_id, now, reason):
        return False
    uow.audit.append(
        AuditEvent(
            EventType.CERTIFICATE_REVOKED,
            actor=actor,
            object_type="certificate",
            object_id=certificate_id,
            outcome=reason.value,
        ),
        now,
    )
    return True


def forget_expired_holders(unit_of_work: UnitOfWorkFactory, now: datetime) -> int:
    """Delete the identities behind expired certificates (run daily); returns how many."""
    with unit_of_work() as uow:
        count = uow.certificates.forget_expired_holders(now)
        uow.commit()
    return count
