"""The buyer's certificate: an Ed25519-signed token that a seller can verify, online or not.

Token, version 1 (docs/certificates.md has the full layout):

    TC1.<base64url(payload)>.<base64url(signature)>

The version fixes everything: the payload layout, Ed25519, and the slow hash of the
facts. Nothing in a token names an algorithm, so there is no `alg: none` and no
algorithm swap to attempt: a token that does not start with `TC1.` is not a token.

The payload carries no readable personal data: a code, a jurisdiction, which firearm
categories it covers, two timestamps, and *bindings*: scrypt digests, salted per
certificate, of the holder's date of birth and of the last four characters of their ID
document. A seller who is shown one of these facts can check it against the token
offline; scrypt makes recovering a fact from a stolen token cost minutes per certificate
(the honest limit of any offline check; see the threat model).

Pure: keys, times and randomness come in as arguments.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import struct
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from transfercheck.domain import certificate_codes
from transfercheck.domain.checks import FirearmCategory

VERSION = "TC1"
_SIGNED_CONTEXT = b"transfercheck certificate v1\0"  # domain separation for the signature
_LAYOUT = struct.Struct(">4s15s2sBQQ16s16s16s")
SALT_BYTES = 16
BINDING_BYTES = 16
ID_TAIL_LENGTH = 4
# scrypt cost, fixed by the version: about 70 ms per fact on one core, 16 MiB of memory.
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1
_MAX_TOKEN_LENGTH = 400

_SCOPE_BITS = {
    FirearmCategory.HANDGUN: 1,
    FirearmCategory.LONG_GUN: 2,
    FirearmCategory.OTHER: 4,
}


class FactKind(StrEnum):
    DATE_OF_BIRTH = "date_of_birth"
    ID_LAST_DIGITS = "id_last_digits"


class InvalidToken(ValueError):
    """Not a genuine, intact version-1 token signed by the key it names."""


@dataclass(frozen=True)
class Claims:
    """What a certificate says, signed."""

    key_id: bytes  # which signing key (its public key's digest prefix)
    code: str  # canonical, 15 symbols
    jurisdiction: str
    scope: frozenset[FirearmCategory]
    issued_at: datetime
    expires_at: datetime
    salt: bytes
    dob_binding: bytes
    id_binding: bytes

    def expired(self, now: datetime) -> bool:
        return now >= self.expires_at


def new_claims(
    *,
    public_key: Ed25519PublicKey,
    code: str,
    jurisdiction: str,
    scope: frozenset[FirearmCategory],
    issued_at: datetime,
    validity: timedelta,
    salt: bytes,
    date_of_birth: date,
    id_number: str,
) -> Claims:
    """The claims of a new certificate, its facts bound under a fresh salt."""
    return Claims(
        key_id=key_id(public_key),
        code=code,
        jurisdiction=jurisdiction,
        scope=scope,
        issued_at=issued_at.replace(microsecond=0),
        expires_at=(issued_at + validity).replace(microsecond=0),
        salt=salt,
        dob_binding=bind(FactKind.DATE_OF_BIRTH, date_of_birth, salt),
        id_binding=bind(FactKind.ID_LAST_DIGITS, id_number, salt),
    )


# ── Facts ────────────────────────────────────────────────────────────────────────────


def id_tail(id_number: str) -> str:
    """The last characters of an ID document number, as a buyer reads them off the card."""
    cleaned = "".join(ch for ch in id_number.upper() if ch.isascii() and ch.isalnum())
    return cleaned[-ID_TAIL_LENGTH:]


def fact_text(kind: FactKind, value: date | str) -> str:
    if kind is FactKind.DATE_OF_BIRTH:
        if not isinstance(value, date):
            raise TypeError("a date of birth is a date")
        return value.isoformat()
    return id_tail(str(value))


def bind(kind: FactKind, value: date | str, salt: bytes) -> bytes:
    """The slow, salted digest of one fact, as stored in a token and in the database."""
    return hashlib.scrypt(
        fact_text(kind, value).encode(),
        salt=salt + b"\0" + kind.value.encode(),
        n=_SCRYPT_N,
        r=_SCRYPT_R,
        p=_SCRYPT_P,
        dklen=BINDING_BYTES,
    )


def fact_matches(claims_binding: bytes, kind: FactKind, value: date | str, salt: bytes) -> bool:
    return hmac.compare_digest(claims_binding, bind(kind, value, salt))


# ── Keys ─────────────────────────────────────────────────────────────────────────────


def key_id(public_key: Ed25519PublicKey) -> bytes:
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return hashlib.sha256(raw).digest()[:4]


def public_key_pem(public_key: Ed25519PublicKey) -> str:
    return public_key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()


# ── Token ────────────────────────────────────────────────────────────────────────────


def sign(claims: Claims, private_key: Ed25519PrivateKey) -> str:
    payload = _pack(claims)
    signature = private_key.sign(_SIGNED_CONTEXT + payload)
    return f"{VERSION}.{_b64(payload)}.{_b64(signature)}"


def read(token: str, public_key: Ed25519PublicKey) -> Claims:
    """The claims of a genuine token; InvalidToken for anything else, whatever the cause."""
    token = token.strip()
    if len(token) > _MAX_TOKEN_LENGTH:
        raise InvalidToken("too long")
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != VERSION:
        raise InvalidToken(f"not a {VERSION} token")
    _, payload_text, signature_text = parts
    payload, signature = _unb64(payload_text), _unb64(signature_text)
    try:
        public_key.verify(signature, _SIGNED_CONTEXT + payload)
    except InvalidSignature:
        raise InvalidToken("the signature does not verify") from None
    claims = _unpack(payload)
    if not hmac.compare_digest(claims.key_id, key_id(public_key)):
        raise InvalidToken("signed by another key")
    return claims


def _pack(claims: Claims) -> bytes:
    scope = sum(_SCOPE_BITS[c] for c in claims.scope)
    return _LAYOUT.pack(
        claims.key_id,
        claims.code.encode("ascii"),
        claims.jurisdiction.encode("ascii"),
        scope,
        int(claims.issued_at.timestamp()),
        int(claims.expires_at.timestamp()),
        claims.salt,
        claims.dob_binding,
        claims.id_binding,
    )


def _unpack(payload: bytes) -> Claims:
    if len(payload) != _LAYOUT.size:
        raise InvalidToken("wrong payload length")
    kid, code, jurisdiction, scope, issued, expires, salt, dob, id_ = _LAYOUT.unpack(payload)
    try:
        code_text, where = code.decode("ascii"), jurisdiction.decode("ascii")
    except UnicodeDecodeError:
        raise InvalidToken("not ASCII") from None
    if certificate_codes.canonical(code_text) != code_text or not where.isalpha():
        raise InvalidToken("malformed claims")
    return Claims(
        key_id=kid,
        code=code_text,
        jurisdiction=where,
        scope=frozenset(c for c, bit in _SCOPE_BITS.items() if scope & bit),
        issued_at=datetime.fromtimestamp(issued, UTC),
        expires_at=datetime.fromtimestamp(expires, UTC),
        salt=salt,
        dob_binding=dob,
        id_binding=id_,
    )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


_B64URL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def _unb64(text: str) -> bytes:
    if not text or not set(text) <= _B64URL:
        raise InvalidToken("a part is empty or not unpadded base64url")
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise InvalidToken("not base64url") from None


# ── Offline verification ─────────────────────────────────────────────────────────────


class OfflineVerdict(StrEnum):
    VALID = "valid"  # genuine, in date, and the fact shown matches
    EXPIRED = "expired"
    FACT_MISMATCH = "fact_mismatch"  # genuine, but not this person's (or a typing error)
    INVALID = "invalid"  # not genuine: altered, forged, another key or version


@dataclass(frozen=True)
class OfflineResult:
    verdict: OfflineVerdict
    claims: Claims | None  # None when the token is not genuine


def verify_offline(
    token: str,
    public_key: Ed25519PublicKey,
    now: datetime,
    kind: FactKind,
    value: date | str,
) -> OfflineResult:
    """What a seller without a connection can know. Never: whether it was revoked."""
    try:
        claims = read(token, public_key)
    except InvalidToken:
        return OfflineResult(OfflineVerdict.INVALID, None)
    binding = claims.dob_binding if kind is FactKind.DATE_OF_BIRTH else claims.id_binding
    if not fact_matches(binding, kind, value, claims.salt):
        return OfflineResult(OfflineVerdict.FACT_MISMATCH, claims)
    if claims.expired(now):
        return OfflineResult(OfflineVerdict.EXPIRED, claims)
    return OfflineResult(OfflineVerdict.VALID, claims)


# ── Stored certificates and online answers ───────────────────────────────────────────


class RevocationReason(StrEnum):
    PROHIBITING_RECORD = "prohibiting_record"  # rap back: a record arrived for the holder
    HOLDER_REQUEST = "holder_request"
    EXAMINER = "examiner"


class VerificationStatus(StrEnum):
    """All a seller learns online. A wrong fact is "not found", exactly like a wrong code."""

    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class Certificate:
    """A certificate as the database keeps it: the code's digest, never the code."""

    certificate_id: str  # a public reference for audit and examiners, not a secret
    code_digest: str
    claims: Claims
    revoked_at: datetime | None = None
    revocation_reason: RevocationReason | None = None

    def status(self, now: datetime) -> VerificationStatus:
        # Expiry first: an expired certificate says no more about its holder than that.
        if self.claims.expired(now):
            return VerificationStatus.EXPIRED
        if self.revoked_at is not None:
            return VerificationStatus.REVOKED
        return VerificationStatus.VALID

    def fact_matches(self, kind: FactKind, value: date | str) -> bool:
        claims = self.claims
        binding = claims.dob_binding if kind is FactKind.DATE_OF_BIRTH else claims.id_binding
        return fact_matches(binding, kind, value, claims.salt)
