"""The human code of a buyer's certificate: short, typed by a seller, hopeless to guess.

A code is 14 random Crockford base-32 symbols (70 bits) and one check symbol, shown in
three groups of five: `7QK3M-0XW2D-HB8FA`. Reading it back forgives what people do when
they type: lower case, spaces and dashes anywhere, O for 0, I or L for 1. The check
symbol (Luhn mod 32) catches every single mistyped symbol and most swaps of two
neighbours before the code is looked up. Why 70 bits: see docs/certificates.md.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable

from transfercheck.domain.checks import NTN_ALPHABET

ALPHABET = NTN_ALPHABET  # Crockford base 32: no I, L, O, U
RANDOM_SYMBOLS = 14
CODE_LENGTH = RANDOM_SYMBOLS + 1
GROUP = 5
RANDOM_BITS = RANDOM_SYMBOLS * 5

_VALUE = {symbol: value for value, symbol in enumerate(ALPHABET)}
_READ_AS = {"O": "0", "I": "1", "L": "1"}
_SEPARATORS = frozenset(" -\t")


def new_code(randbelow: Callable[[int], int] = secrets.randbelow) -> str:
    """A fresh canonical code (no dashes); `randbelow` is injectable for tests."""
    body = "".join(ALPHABET[randbelow(len(ALPHABET))] for _ in range(RANDOM_SYMBOLS))
    return body + check_symbol(body)


def check_symbol(body: str) -> str:
    """Luhn mod 32 over the symbols of `body` (the Luhn mod N algorithm, N = 32)."""
    total, factor = 0, 2
    for symbol in reversed(body):
        addend = factor * _VALUE[symbol]
        total += addend // 32 + addend % 32
        factor = 1 if factor == 2 else 2
    return ALPHABET[(32 - total % 32) % 32]


def canonical(text: str) -> str | None:
    """The canonical code a person typed, or None when it cannot be a code."""
    if len(text) > 3 * CODE_LENGTH:  # no one types that much around 15 symbols
        return None
    symbols = []
    for char in text.upper():
        if char in _SEPARATORS:
            continue
        char = _READ_AS.get(char, char)
        if char not in _VALUE:
            return None
        symbols.append(char)
    code = "".join(symbols)
    if len(code) != CODE_LENGTH or check_symbol(code[:-1]) != code[-1]:
        return None
    return code


def formatted(code: str) -> str:
    """`7QK3M0XW2DHB8FA` -> `7QK3M-0XW2D-HB8FA`, as printed and read aloud."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def digest(code: str) -> str:
    """What the database keeps to find a certificate: 70 random bits need no slow hash."""
    return hashlib.sha256(b"transfercheck certificate code\0" + code.encode()).hexdigest()
