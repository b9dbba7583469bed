"""Read the jurisdiction rules files and build the `RuleBook`.

By default the files shipped in the package (`transfercheck/jurisdictions/*.toml`);
a directory can be given instead (tests, a deployment's own rules). Only `*.toml` files
are read. All parsing and validation is in `transfercheck.domain.rules`.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from transfercheck.domain.errors import Problem, RulesFileError
from transfercheck.domain.rules import RuleBook

PACKAGED = resources.files("transfercheck") / "jurisdictions"


def load_rule_book(directory: Path | None = None) -> RuleBook:
    """The rule book from `directory`, or from the packaged files when None."""
    return RuleBook.from_sources(read_sources(PACKAGED if directory is None else directory))


def read_sources(directory: Traversable | Path) -> dict[str, str]:
    """File name -> text of every `*.toml` file in `directory`."""
    if not directory.is_dir():
        raise RulesFileError(str(directory), [Problem("(directory)", "not a directory")])
    return {
        entry.name: _read(entry)
        for entry in directory.iterdir()
        if entry.name.endswith(".toml") and entry.is_file()
    }


def _read(entry: Traversable | Path) -> str:
    try:
        return entry.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        raise RulesFileError(entry.name, [Problem("(file)", f"not UTF-8 text: {error}")]) from error
