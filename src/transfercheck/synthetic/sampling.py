"""Drawing from fixed weight tables, fast.

`random.choices` rebuilds its cumulative weights on every call; these tables are drawn from
hundreds of thousands of times per data set, so each keeps its cumulative weights and a
draw costs one `random()` and one bisect.
"""

from __future__ import annotations

import bisect
import itertools
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
