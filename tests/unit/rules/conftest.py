"""Shared fixtures for the rules tests: the shipped rule book and its federal file."""

from __future__ import annotations

import pytest

from transfercheck.adapters.rules_files import PACKAGED, load_rule_book, read_sources
from transfercheck.domain.rules import JurisdictionRules, RuleBook, parse_rules


@pytest.fixture(scope="session")
def shipped_sources() -> dict[str, str]:
    return read_sources(PACKAGED)


@pytest.fixture(scope="session")
def book() -> RuleBook:
    return load_rule_book()


@pytest.fixture(scope="session")
def federal_text(shipped_sources: dict[str, str]) -> str:
    return shipped_sources["US.toml"]


@pytest.fixture(scope="session")
def federal(federal_text: str) -> JurisdictionRules:
    return parse_rules(federal_text, "US.toml")
