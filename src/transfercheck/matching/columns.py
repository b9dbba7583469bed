"""A NumPy column that grows by appending, the way a Python list does.

The index appends one record at a time (a feed of new records) and many at once (a build).
Appending to a NumPy array copies it, so the column keeps spare capacity and doubles it
when full: an append costs O(1) amortised, and `view()` is the filled part without a copy.
A column loaded from a snapshot may be a read-only memory map; it is copied into memory
only when the first append needs room.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import DTypeLike, NDArray

_MIN_CAPACITY = 16


class GrowableColumn:
    def __init__(self, dtype: DTypeLike, capacity: int = _MIN_CAPACITY) -> None:
        self._data: NDArray[Any] = np.zeros(max(capacity, _MIN_CAPACITY), dtype)
        self._size = 0

    @classmethod
    def of(cls, values: NDArray[Any]) -> GrowableColumn:
        """A column holding `values` (kept as is, memory map included, until it must grow)."""
        column = cls.__new__(cls)
        column._data = values
        column._size = len(values)
        return column

    def __len__(self) -> int:
        return self._size

    @property
    def dtype(self) -> np.dtype[Any]:
        return self._data.dtype

    @property
    def nbytes(self) -> int:
        return int(self._size * self._data.dtype.itemsize)

    def view(self) -> NDArray[Any]:
        return self._data[: self._size]

    def append(self, value: Any) -> None:
        if self._size == len(self._data):
            self._grow(self._size + 1)
        self._data[self._size] = value
        self._size += 1

    def extend(self, values: Sequence[Any] | NDArray[Any]) -> None:
        count = len(values)
        if self._size + count > len(self._data):
            self._grow(self._size + count)
        self._data[self._size : self._size + count] = values
        self._size += count

    def set(self, position: int, value: Any) -> None:
        if not self._data.flags.writeable:
            self._data = np.array(self._data)
        self._data[position] = value

    def _grow(self, needed: int) -> None:
        capacity = max(needed, 2 * len(self._data), _MIN_CAPACITY)
        data = np.zeros(capacity, self._data.dtype)
        data[: self._size] = self._data[: self._size]
        self._data = data
