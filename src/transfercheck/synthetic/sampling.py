"""Drawing from fixed weight tables, fast.

`random.choices` rebuilds its cumulative weights on every call; these tables are drawn from
hundreds of thousands of times per data set, so each keeps its cumulative weights and a
draw costs one `random()` and one bisect.
"""

from __future__ import annotations

import bisect
import itertools
import zlib
from collections.abc import Mapping
from random import Random
from typing import Generic, TypeVar

T = TypeVar("T")


class Weighted(Generic[T]):
    """Choices with weights (any positive numbers; they need not add up to one)."""

    def __init__(self, weights: Mapping[T, float]) -> None:
        self.items: tuple[T, ...] = tuple(weights)
        self._cumulative = tuple(itertools.accumulate(weights.values()))

    def pick(self, rng: Random) -> T:
        point = rng.random() * self._cumulative[-1]
        return self.items[bisect.bisect_right(self._cumulative, point)]


def fixed_draw(*parts: object) -> float:
    """A draw in [0, 1) fixed by `parts` (CRC-32 of their text), not taken from the stream.

    For details added after the stream's order was settled: drawing them from the seeded
    `Random` would move every later draw, and so change the whole data set."""
    return zlib.crc32(":".join(map(str, parts)).encode()) / 2**32
