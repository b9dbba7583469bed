"""Synthetic SSNs, FBI numbers and licence numbers, unique per person by construction.

Drawing identifiers at random would give two people the same SSN long before ten million
people (the birthday problem), and a shared identifier is exactly what the matcher trusts
most. So each identifier is a seeded bijection of the person's serial number: distinct
people always get distinct numbers, and no table of issued numbers has to be kept.
"""

from __future__ import annotations

import math
from random import Random

# SSN areas 900-999 are never issued as SSNs (the IRS uses them for ITINs), so no real
# person's SSN can come out. Groups 01-99 and serials 0001-9999, as on real SSNs.
_SSN_GROUPS, _SSN_SERIALS = 99, 9999

# Digits and capitals without I and O, which are read as 1 and 0.
_FBI_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_FBI_LENGTH = 8

# Licence number shapes of some states (@ = letter, # = digit, anything else is itself);
# the other states use nine digits.
_LICENCE_SHAPES = {
    "CA": "@#######",
    "FL": "@############",
    "IL": "@###########",
    "MA": "S########",
    "MI": "@############",
    "NJ": "@##############",
    "NY": "#########",
    "OH": "@@######",
    "PA": "########",
    "TX": "########",
    "VA": "@########",
    "WA": "WDL@@@@@@###",
    "WI": "@#############",
}
_DEFAULT_SHAPE = "#########"
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class Permutation:
    """A seeded bijection of range(hi * lo): an affine map, then two Feistel rounds.

    The affine map alone would give consecutive people numbers a constant step apart; the
    Feistel rounds (invertible whatever their round function) hide that step.
    """

    def __init__(self, hi: int, lo: int, rng: Random) -> None:
        size = hi * lo
        a = rng.randrange(size // 3, size)
        while math.gcd(a, size) != 1:
            a += 1
        self._hi, self._lo, self._size = hi, lo, size
        self._a, self._b = a, rng.randrange(size)
        self._keys = (rng.randrange(lo), rng.randrange(hi))

    def __call__(self, index: int) -> int:
        if not 0 <= index < self._size:
            raise ValueError(f"index {index} outside 0..{self._size - 1}")
        high, low = divmod((self._a * index + self._b) % self._size, self._lo)
        low = (low + pow(high + self._keys[0], 3, self._lo)) % self._lo
        high = (high + pow(low + self._keys[1], 3, self._hi)) % self._hi
        return high * self._lo + low


class IdentifierFactory:
    """Identifiers for the person with a given serial number."""

    def __init__(self, seed: int) -> None:
        self._seed = seed
        self._rng = Random(f"{seed}:identifiers")
        self._ssn = Permutation(100 * _SSN_GROUPS, _SSN_SERIALS, self._rng)
        half = len(_FBI_ALPHABET) ** (_FBI_LENGTH // 2)
        self._fbi = Permutation(half, half, self._rng)
        self._licence: dict[str, tuple[tuple[str, ...], Permutation]] = {}

    def ssn(self, serial: int) -> str:
        value = self._ssn(serial)
        area, rest = divmod(value, _SSN_GROUPS * _SSN_SERIALS)
        group, serial_number = divmod(rest, _SSN_SERIALS)
        return f"{900 + area}{group + 1:02d}{serial_number + 1:04d}"

    def fbi_number(self, serial: int) -> str:
        return _encode(self._fbi(serial), (_FBI_ALPHABET,) * _FBI_LENGTH)

    def licence_number(self, serial: int, state: str) -> str:
        shape = _LICENCE_SHAPES.get(state, _DEFAULT_SHAPE)
        if shape not in self._licence:
            alphabets = tuple(_slot_alphabet(ch) for ch in shape)
            middle = len(shape) // 2
            hi = math.prod(len(a) for a in alphabets[:middle])
            lo = math.prod(len(a) for a in alphabets[middle:])
            # Seeded by the shape, not by the order shapes come up in: two factories of one
            # seed then give everyone the same numbers, whoever they made first.
            shapes = Random(f"{self._seed}:licence:{shape}")
            self._licence[shape] = alphabets, Permutation(hi, lo, shapes)
        alphabets, permutation = self._licence[shape]
        return _encode(permutation(serial), alphabets)


def _slot_alphabet(shape_char: str) -> str:
    return {"@": _LETTERS, "#": "0123456789"}.get(shape_char, shape_char)


def _encode(value: int, alphabets: tuple[str, ...]) -> str:
    """`value` written in the mixed radix given by one alphabet per character."""
    chars = []
    for alphabet in reversed(alphabets):
        value, digit = divmod(value, len(alphabet))
        chars.append(alphabet[digit])
    return "".join(reversed(chars))
