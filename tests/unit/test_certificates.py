"""Certificate codes and tokens: signing, reading, tampering, expiry and offline checks."""

from __future__ import annotations

import base64
import json
import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from transfercheck.domain import certificate_codes as codes
from transfercheck.domain.certificates import (
    VERSION,
    Claims,
    FactKind,
    InvalidToken,
    OfflineVerdict,
    id_tail,
    new_claims,
    read,
    sign,
    verify_offline,
)
from transfercheck.domain.checks import FirearmCategory

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
DOB = date(1990, 2, 2)
ID_NUMBER = "TX-04417293"
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
OTHER_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))


@pytest.fixture(scope="module")
def claims() -> Claims:
    return new_claims(
        public_key=KEY.public_key(),
        code=codes.new_code(random.Random(7).randrange),
        jurisdiction="TX",
        scope=frozenset({FirearmCategory.LONG_GUN, FirearmCategory.HANDGUN}),
        issued_at=NOW,
        validity=timedelta(days=30),
        salt=bytes(16),
        date_of_birth=DOB,
        id_number=ID_NUMBER,
    )


@pytest.fixture(scope="module")
def token(claims: Claims) -> str:
    return sign(claims, KEY)


# ── Codes ────────────────────────────────────────────────────────────────────────────


def test_codes_are_fifteen_crockford_symbols_with_a_check_symbol() -> None:
    rng = random.Random(1)
    seen: set[str] = set()
    for _ in range(200):
        code = codes.new_code(rng.randrange)
        assert len(code) == codes.CODE_LENGTH == 15
        assert set(code) <= set(codes.ALPHABET)
        assert codes.canonical(code) == code
        seen |= set(code)
    assert seen == set(codes.ALPHABET)
    assert not set("ILOU") & set(codes.ALPHABET)
    assert codes.RANDOM_BITS == 70


def test_typing_is_forgiven() -> None:
    code = "7QK3M0XW2DHB8F" + codes.check_symbol("7QK3M0XW2DHB8F")
    shown = codes.formatted(code)
    assert shown == f"7QK3M-0XW2D-HB8F{code[-1]}"
    assert codes.canonical(shown.lower()) == code
    assert codes.canonical(" ".join(code)) == code
    assert codes.canonical(code.replace("0", "O")) == code
    with_one = "1QK3M0XW2DHB8F" + codes.check_symbol("1QK3M0XW2DHB8F")
    assert codes.canonical(with_one.replace("1", "l")) == with_one
    assert codes.canonical(with_one.replace("1", "I")) == with_one


def test_every_single_mistyped_symbol_is_caught() -> None:
    code = codes.new_code(random.Random(3).randrange)
    for position in range(len(code)):
        for symbol in codes.ALPHABET:
            if symbol != code[position]:
                typo = code[:position] + symbol + code[position + 1 :]
                assert codes.canonical(typo) is None


@pytest.mark.parametrize(
    "text", ["", "ABC", "U" * 15, "7QK3M-0XW2D-HB8F", "7QK3M0XW2DHB8FAA", "é" * 15, "X" * 500]
)
def test_what_cannot_be_a_code(text: str) -> None:
    assert codes.canonical(text) is None


def test_the_database_keeps_a_digest_not_the_code() -> None:
    code = codes.new_code(random.Random(4).randrange)
    assert code not in codes.digest(code)
    assert len(codes.digest(code)) == 64


# ── Tokens ───────────────────────────────────────────────────────────────────────────


def test_a_token_round_trips_and_carries_no_readable_personal_data(
    claims: Claims, token: str
) -> None:
    assert token.startswith("TC1.")
    assert len(token) < 220
    assert read(token, KEY.public_key()) == claims
    payload = base64.urlsafe_b64decode(token.split(".")[1] + "==")
    for secret in (DOB.isoformat(), "19900202", ID_NUMBER, "7293", "04417293"):
        assert secret.encode() not in payload


def test_every_altered_byte_of_the_payload_or_signature_fails(token: str) -> None:
    _, payload, signature = token.split(".")
    raw_payload = base64.urlsafe_b64decode(payload + "==")
    for i in range(len(raw_payload)):
        altered = bytearray(raw_payload)
        altered[i] ^= 0x01
        text = base64.urlsafe_b64encode(bytes(altered)).rstrip(b"=").decode()
        with pytest.raises(InvalidToken):
            read(f"{VERSION}.{text}.{signature}", KEY.public_key())
    raw_signature = bytearray(base64.urlsafe_b64decode(signature + "=="))
    raw_signature[10] ^= 0x80
    text = base64.urlsafe_b64encode(bytes(raw_signature)).rstrip(b"=").decode()
    with pytest.raises(InvalidToken):
        read(f"{VERSION}.{payload}.{text}", KEY.public_key())


def _jwt_part(data: dict[str, str]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "shape",
    [
        "alg none",
        "alg swap",
        "other version",
        "no signature",
        "extra part",
        "padding",
        "empty",
    ],
)
def test_no_algorithm_or_format_games(token: str, shape: str) -> None:
    _, payload, signature = token.split(".")
    forged = {
        "alg none": f"{_jwt_part({'alg': 'none', 'typ': 'JWT'})}.{payload}.",
        "alg swap": f"{_jwt_part({'alg': 'HS256'})}.{payload}.{signature}",
        "other version": f"TC2.{payload}.{signature}",
        "no signature": f"{VERSION}.{payload}.",
        "extra part": f"{VERSION}.{payload}.{signature}.x",
        "padding": f"{VERSION}.{payload}==.{signature}",
        "empty": "",
    }[shape]
    with pytest.raises(InvalidToken):
        read(forged, KEY.public_key())


def test_a_token_signed_by_another_key_fails(claims: Claims) -> None:
    # The claims name the right key id: the signature alone gives the forgery away.
    with pytest.raises(InvalidToken, match="signature"):
        read(sign(claims, OTHER_KEY), KEY.public_key())
    relabelled = replace(claims, key_id=b"\0\0\0\0")
    with pytest.raises(InvalidToken, match="another key"):
        read(sign(relabelled, KEY), KEY.public_key())


# ── Offline verification ─────────────────────────────────────────────────────────────


def test_offline_with_either_fact(token: str) -> None:
    public = KEY.public_key()
    by_dob = verify_offline(token, public, NOW, FactKind.DATE_OF_BIRTH, DOB)
    assert by_dob.verdict is OfflineVerdict.VALID
    assert by_dob.claims is not None
    assert by_dob.claims.expires_at == NOW + timedelta(days=30)
    assert by_dob.claims.scope == {FirearmCategory.LONG_GUN, FirearmCategory.HANDGUN}
    by_id = verify_offline(token, public, NOW, FactKind.ID_LAST_DIGITS, "7293")
    assert by_id.verdict is OfflineVerdict.VALID
    assert id_tail("tx 0441-7293") == "7293"


def test_offline_wrong_fact_expiry_and_forgery(token: str) -> None:
    public = KEY.public_key()
    wrong = verify_offline(token, public, NOW, FactKind.DATE_OF_BIRTH, date(1990, 2, 3))
    assert wrong.verdict is OfflineVerdict.FACT_MISMATCH
    wrong_id = verify_offline(token, public, NOW, FactKind.ID_LAST_DIGITS, "7294")
    assert wrong_id.verdict is OfflineVerdict.FACT_MISMATCH
    last_second = NOW + timedelta(days=30, seconds=-1)
    assert verify_offline(token, public, last_second, FactKind.DATE_OF_BIRTH, DOB).verdict is (
        OfflineVerdict.VALID
    )
    at_expiry = NOW + timedelta(days=30)
    assert verify_offline(token, public, at_expiry, FactKind.DATE_OF_BIRTH, DOB).verdict is (
        OfflineVerdict.EXPIRED
    )
    forged = verify_offline(token[:-2] + "AA", public, NOW, FactKind.DATE_OF_BIRTH, DOB)
    assert forged.verdict is OfflineVerdict.INVALID
    assert forged.claims is None
