"""Find the line of a key in TOML text, so a problem can name it (`FL.toml`, line 12).

tomllib reports lines only for syntax errors, so this scanner maps key paths, such as
("minimum_ages", 1, "age"), to the line where the key is written. It understands table
headers, arrays of tables, dotted keys, and skips the inside of multi-line strings and
arrays. It is a best effort on text tomllib already accepted: a path it cannot place
falls back to its nearest placed parent.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

PathPart = str | int
KeyPath = tuple[PathPart, ...]

_HEADER = re.compile(r"^\s*(\[\[?)\s*(?P<key>[^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY_TEXT = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""  # bare, "basic" or 'literal'
_KEY = re.compile(rf"^\s*(?P<key>{_KEY_TEXT}(?:\s*\.\s*{_KEY_TEXT})*)\s*=(?P<rest>.*)$")
_KEY_PART = re.compile(r"""[A-Za-z0-9_-]+|"([^"]*)"|'([^']*)'""")


def _split_key(text: str) -> tuple[str, ...]:
    parts: list[str] = []
    for match in _KEY_PART.finditer(text):
        quoted = match.group(1) if match.group(1) is not None else match.group(2)
        parts.append(quoted if quoted is not None else match.group(0))
    return tuple(parts)


class _ValueScanner:
    """Tracks whether a value continues on the next line (open bracket or string)."""

    def __init__(self) -> None:
        self.depth = 0
        self.multiline: str | None = None  # the open '"""' or "'''"

    @property
    def inside(self) -> bool:
        return self.depth > 0 or self.multiline is not None

    def feed(self, text: str) -> None:
        i = 0
        while i < len(text):
            if self.multiline is not None:
                end = text.find(self.multiline, i)
                if end < 0:
                    return
                self.multiline, i = None, end + 3
                continue
            i = self._step(text, i)

    def _step(self, text: str, i: int) -> int:
        char = text[i]
        if text.startswith(('"""', "'''"), i):
            self.multiline = text[i : i + 3]
            return i + 3
        if char in "\"'":
            end = text.find(char, i + 1)
            while char == '"' and end > 0 and text[end - 1] == "\\":
                end = text.find(char, end + 1)
            return len(text) if end < 0 else end + 1
        if char == "#":
            return len(text)
        if char in "[{":
            self.depth += 1
        elif char in "]}":
            self.depth = max(0, self.depth - 1)
        return i + 1


class KeyLines:
    """Lines of the keys in one TOML text."""

    def __init__(self, text: str) -> None:
        self._lines: dict[KeyPath, int] = {}
        self._array_counts: dict[KeyPath, int] = {}
        self._scan(text.splitlines())

    def line_of(self, path: Sequence[PathPart]) -> int | None:
        """The line of `path`, or of its nearest placed parent; None if nothing fits."""
        key = tuple(path)
        while key:
            if key in self._lines:
                return self._lines[key]
            key = key[:-1]
        return None

    def _scan(self, lines: list[str]) -> None:
        table: KeyPath = ()
        value = _ValueScanner()
        for number, line in enumerate(lines, start=1):
            if value.inside:
                value.feed(line)
                continue
            header = _HEADER.match(line)
            if header:
                table = self._open_table(header, number)
                continue
            assignment = _KEY.match(line)
            if assignment:
                path = table + _split_key(assignment.group("key"))
                self._lines.setdefault(path, number)
                value.feed(assignment.group("rest"))

    def _open_table(self, header: re.Match[str], number: int) -> KeyPath:
        path = self._resolve(_split_key(header.group("key")))
        if header.group(1) == "[[":
            count = self._array_counts.get(path, 0)
            self._array_counts[path] = count + 1
            self._lines.setdefault(path, number)
            path = (*path, count)
        self._lines.setdefault(path, number)
        return path

    def _resolve(self, parts: tuple[str, ...]) -> KeyPath:
        """Point each array-of-tables part of a header at its latest element."""
        resolved: KeyPath = ()
        for part in parts[:-1]:
            resolved = (*resolved, part)
            if resolved in self._array_counts:
                resolved = (*resolved, self._array_counts[resolved] - 1)
        return (*resolved, parts[-1])
