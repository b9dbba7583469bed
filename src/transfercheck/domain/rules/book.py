"""All jurisdictions' rules, loaded together: the federal file and the state overlays.

Every state, DC and inhabited territory is a valid transfer jurisdiction
(`jurisdictions.TRANSFER_JURISDICTIONS`); one without a file of its own applies federal
rules only. The book's `version` is a short hash of every file's name and text, so each
determination can record exactly which rules it applied.

Items can be classified under more codes than transfers can take place in: every transfer
jurisdiction, US alone (federal law), and each proposal (e.g. US-AWB2013, a bill that
never became law), which overlays its base jurisdiction like a state overlays US.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from transfercheck.domain.errors import NotFound, Problem, RulesFileError
from transfercheck.domain.rules.consistency import proposal_base
from transfercheck.domain.rules.items import ItemRuleSet
from transfercheck.domain.rules.jurisdictions import TRANSFER_JURISDICTIONS
from transfercheck.domain.rules.model import FEDERAL, JurisdictionRules
from transfercheck.domain.rules.parsing import parse_rules
from transfercheck.domain.rules.ruleset import RuleSet

FEDERAL_FILE = f"{FEDERAL}.toml"
VERSION_LENGTH = 12


class RuleBook:
    """The rules of every transfer jurisdiction, built once from the rules files."""

    def __init__(
        self,
        federal: JurisdictionRules,
        states: Mapping[str, JurisdictionRules],
        version: str,
        proposals: Mapping[str, JurisdictionRules] | None = None,
    ) -> None:
        self._federal = federal
        self._states = dict(states)
        self._proposals = dict(proposals or {})
        self._version = version
        self._sets = {code: self._build(code) for code in TRANSFER_JURISDICTIONS}
        self._item_sets = {
            code: _item_rules(code, self._layers(code))
            for code in (*TRANSFER_JURISDICTIONS, FEDERAL)
        }
        for code, proposal in self._proposals.items():
            base = proposal_base(code) or FEDERAL
            self._item_sets[code] = _item_rules(code, (*self._layers(base), proposal))

    @classmethod
    def from_sources(cls, sources: Mapping[str, str]) -> RuleBook:
        """Parse file name -> TOML text; raises RulesFileError naming the first bad file."""
        if FEDERAL_FILE not in sources:
            raise RulesFileError(FEDERAL_FILE, [Problem("(file)", "the federal file is missing")])
        federal = parse_rules(sources[FEDERAL_FILE], FEDERAL_FILE)
        states: dict[str, JurisdictionRules] = {}
        proposals: dict[str, JurisdictionRules] = {}
        for name in sorted(sources):
            if name == FEDERAL_FILE:
                continue
            rules = parse_rules(sources[name], name, federal)
            shelf = proposals if rules.proposal else states
            if rules.is_federal or rules.code in shelf:
                where = Problem("jurisdiction.code", f"{rules.code} already has a rules file")
                raise RulesFileError(name, [where])
            shelf[rules.code] = rules
        return cls(federal, states, content_version(sources), proposals)

    @property
    def version(self) -> str:
        return self._version

    @property
    def jurisdictions(self) -> frozenset[str]:
        """Every code a transfer may name: the states, DC and the inhabited territories."""
        return TRANSFER_JURISDICTIONS

    @property
    def with_own_rules(self) -> frozenset[str]:
        """The jurisdictions that have a rules file of their own."""
        return frozenset(self._states)

    @property
    def federal(self) -> RuleSet:
        """Federal law alone: for records, such as military ones, that belong to no state."""
        return RuleSet(FEDERAL, (self._federal,))

    def for_record(self, jurisdiction: str) -> RuleSet:
        """The rules of the record's own jurisdiction, or federal law for a federal record."""
        return self._sets.get(jurisdiction) or self.federal

    def for_jurisdiction(self, code: str) -> RuleSet:
        """The rules for transfers in `code` (upper-case, e.g. "FL"); NotFound otherwise."""
        try:
            return self._sets[code]
        except KeyError:
            raise NotFound("jurisdiction", code) from None

    @property
    def classification_codes(self) -> frozenset[str]:
        """Every code an item can be classified under: transfer jurisdictions, US, proposals."""
        return frozenset(self._item_sets)

    @property
    def proposals(self) -> frozenset[str]:
        return frozenset(self._proposals)

    def item_rules(self, code: str) -> ItemRuleSet:
        """The weapon and magazine rules under `code`; NotFound for an unknown code."""
        try:
            return self._item_sets[code]
        except KeyError:
            raise NotFound("jurisdiction", code) from None

    def _build(self, code: str) -> RuleSet:
        return RuleSet(code, self._layers(code))

    def _layers(self, code: str) -> tuple[JurisdictionRules, ...]:
        own = self._states.get(code)
        return (self._federal,) if own is None else (self._federal, own)


def _item_rules(code: str, layers: tuple[JurisdictionRules, ...]) -> ItemRuleSet:
    last = layers[-1]
    name = last.name if last.code == code else code
    clauses = tuple(clause for layer in layers for clause in layer.item_rules)
    return ItemRuleSet(code, name, clauses, proposal=last.proposal, note=last.note)


def content_version(sources: Mapping[str, str]) -> str:
    """A stable short hash of every file's name and text, independent of their order and
    of the line endings a checkout gave them."""
    digest = hashlib.sha256()
    for name in sorted(sources):
        text = sources[name].replace("\r\n", "\n")
        digest.update(name.encode() + b"\0" + text.encode() + b"\0")
    return digest.hexdigest()[:VERSION_LENGTH]
